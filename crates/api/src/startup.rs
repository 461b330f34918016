//! Builds and runs the HTTP server: `Application::build` binds (port 0 in tests) and
//! returns before serving, so callers learn the port first.

use std::net::TcpListener;

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::{Compress, DefaultHeaders, Next, from_fn};
use actix_web::{App, Error, HttpMessage, HttpServer, web};
use ocop_persistence::DatabaseConnection;
use tracing_actix_web::{RequestId, TracingLogger};
use utoipa::OpenApi;
use utoipa::openapi::OpenApi as Document;
use utoipa_actix_web::{AppExt, UtoipaApp, scope};
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::api_key::RateHeaders;
use crate::error::ApiError;
use crate::extract::{path_config, query_config};
use crate::openapi::{ApiDoc, add_error_responses};
use crate::routes;
use crate::state::{ApiConfig, AppState};

pub const OPENAPI_PATH: &str = "/api-docs/openapi.json";

/// Mounts every documented route; used both to serve and to produce the document.
fn mount<T>(app: UtoipaApp<T>) -> UtoipaApp<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = Error, InitError = ()>,
{
    app.openapi(ApiDoc::openapi())
        .service(routes::health::healthz)
        .service(routes::health::readyz)
        // A scope's prefix is a plain comparison; the dynamic stamp routes after it cost a
        // regex match each, so the API does not pay for them.
        .service(
            scope::scope("/api/v1")
                .configure(routes::api_v1)
                .default_service(web::to(not_found))
                .wrap(from_fn(rate_limit_headers))
                .wrap(from_fn(refuse_nul))
                // API answers are per user and often personal: never keep them in caches.
                .wrap(DefaultHeaders::new().add((header::CACHE_CONTROL, "no-store"))),
        )
        .service(routes::trace::pages::scan_page)
        .service(routes::trace::pages::digital_link)
}

/// The OpenAPI document the server serves (and `ocop openapi` prints).
pub fn openapi_document() -> Document {
    let (_, mut doc) = mount(App::new().into_utoipa_app()).split_for_parts();
    add_error_responses(&mut doc);
    doc
}

pub struct Application {
    server: Server,
    port: u16,
    state: web::Data<AppState>,
}

impl Application {
    pub fn build(config: ApiConfig, db: DatabaseConnection, listener: TcpListener) -> std::io::Result<Self> {
        let port = listener.local_addr()?.port();
        let state = web::Data::new(AppState::new(db, &config));
        let doc = openapi_document();
        let app_state = state.clone();
        let csp = content_security_policy(config.basemap_style_url.as_deref());
        let hsts = config.public_base_url.starts_with("https://");
        let server = HttpServer::new(move || {
            let (app, _) = mount(App::new().into_utoipa_app()).split_for_parts();
            let app = app
                .app_data(state.clone())
                .app_data(web::PayloadConfig::new(config.body_limit_bytes))
                .app_data(query_config())
                .app_data(path_config())
                .service(SwaggerUi::new("/swagger-ui/{_:.*}").url(OPENAPI_PATH, doc.clone()))
                .wrap(cors(&config.cors_origins))
                .wrap(Compress::default())
                .wrap({
                    let headers = DefaultHeaders::new()
                        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                        .add((header::X_FRAME_OPTIONS, "DENY"))
                        .add((header::REFERRER_POLICY, "no-referrer"))
                        .add((header::CONTENT_SECURITY_POLICY, csp.clone()))
                        // The scan page asks for the place itself; nothing else is used.
                        .add((
                            HeaderName::from_static("permissions-policy"),
                            "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), interest-cohort=()",
                        ));
                    if hsts {
                        headers.add((header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains"))
                    } else {
                        headers
                    }
                })
                .wrap(from_fn(request_id_header))
                .wrap(TracingLogger::default());
            match &config.spa_dir {
                Some(dir) => app.service(crate::spa::service(dir)),
                None => app.default_service(web::to(not_found)),
            }
        })
        .listen(listener)?
        .run();
        Ok(Self { server, port, state: app_state })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server from elsewhere (tests restart it this way).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped, with the background workers beside it (`crate::workers`); each
    /// ends its round (the scan log and the API keys' counts are written a last time) before
    /// this returns.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let workers = crate::workers::start(&self.state, &stopped);
        let served = self.server.await;
        let _ = stop.send(true);
        for (name, worker) in workers {
            if let Err(e) = worker.await {
                tracing::error!(error = %e, worker = name, "worker ended abnormally");
            }
        }
        served
    }
}

/// What pages of this server may load: only from itself (and the base map's server when one
/// is configured); no framing, no plugins. Inline styles and the scan page's few lines of
/// script are allowed; scripts from elsewhere are not.
fn content_security_policy(basemap_style_url: Option<&str>) -> String {
    let basemap = basemap_style_url
        .and_then(|u| url::Url::parse(u).ok())
        .map(|u| format!(" {}", u.origin().ascii_serialization()))
        .unwrap_or_default();
    format!(
        "default-src 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; \
         script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:{basemap}; \
         font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'{basemap}"
    )
}

async fn not_found() -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::not_found())
}

fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PATCH", "PUT", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::IF_NONE_MATCH,
            HeaderName::from_static(crate::auth::api_key::HEADER),
        ])
        .expose_headers([
            HeaderName::from_static("x-request-id"),
            header::RETRY_AFTER,
            header::ETAG,
            HeaderName::from_static("ratelimit-limit"),
            HeaderName::from_static("ratelimit-remaining"),
            HeaderName::from_static("ratelimit-reset"),
        ])
        .max_age(3600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}

/// Echoes the request id (from the tracing middleware) in `x-request-id`.
async fn request_id_header(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = req.extensions().get::<RequestId>().map(ToString::to_string);
    let mut response = next.call(req).await?;
    if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        response.headers_mut().insert(HeaderName::from_static("x-request-id"), value);
    }
    Ok(response)
}

/// Announces the caller's rate-limit state (set by the API-key check) on the answer.
/// A NUL character is no text anyone types, and PostgreSQL refuses it in text: a request whose
/// path or query carries one is refused here (400), before it can reach a query.
async fn refuse_nul(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let uri = req.uri().to_string();
    if uri.contains('\0') || uri.to_ascii_lowercase().contains("%00") {
        return Err(crate::error::ApiError::malformed("the address contains a NUL character").into());
    }
    next.call(req).await
}

async fn rate_limit_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let mut response = next.call(req).await?;
    let decision = response.request().extensions().get::<RateHeaders>().map(|h| h.0);
    if let Some(d) = decision {
        let headers = response.headers_mut();
        for (name, value) in [
            ("ratelimit-limit", d.limit.into()),
            ("ratelimit-remaining", d.remaining.into()),
            ("ratelimit-reset", d.reset_seconds),
        ] {
            headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
        }
    }
    Ok(response)
}
