//! Serves the built SPA with history fallback: unknown paths get `index.html`, so client
//! routes like `/admin-units` survive a reload. Hashed assets are cached for a year; pages
//! are revalidated, so a deployment is picked up at once.

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::dev::{HttpServiceFactory, ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::header::CACHE_CONTROL;
use actix_web::middleware::DefaultHeaders;
use actix_web::web;

pub fn service(dir: &Path) -> impl HttpServiceFactory + use<> {
    let assets = web::scope("/assets")
        .wrap(DefaultHeaders::new().add((CACHE_CONTROL, "public, max-age=31536000, immutable")))
        .service(Files::new("", dir.join("assets")));
    let pages = web::scope("").wrap(DefaultHeaders::new().add((CACHE_CONTROL, "no-cache"))).service(files(dir));
    (assets, pages)
}

fn files(dir: &Path) -> Files {
    let index: PathBuf = dir.join("index.html");
    Files::new("/", dir).index_file("index.html").default_handler(fn_service(move |req: ServiceRequest| {
        let index = index.clone();
        async move {
            let (req, _) = req.into_parts();
            let file = NamedFile::open_async(&index).await?;
            let response = file.into_response(&req);
            Ok(ServiceResponse::new(req, response))
        }
    }))
}
