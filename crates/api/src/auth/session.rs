//! The authenticated caller, extracted from `Authorization: Bearer <jwt>`.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use ocop_domain::access::Actor;
use ocop_domain::account::Role;
use ocop_persistence::audit::AuditContext;
use ocop_persistence::entities::{admin_unit, user};
use ocop_persistence::users;
use tracing_actix_web::RequestId;
use uuid::Uuid;

use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

/// A signed-in, active user and the unit they are bound to, reloaded from the database on
/// every request (one query) so that deactivation, role changes and password changes take
/// effect at once.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user: user::Model,
    pub unit: Option<admin_unit::Model>,
    pub role: Role,
    pub request_id: Option<String>,
}

impl AuthUser {
    pub fn id(&self) -> Uuid {
        self.user.id
    }

    pub fn actor(&self) -> Actor {
        Actor {
            role: self.role,
            unit_path: self.unit.as_ref().map(|u| u.path.clone()),
            subject_id: self.user.subject_id,
        }
    }

    pub fn audit(&self) -> AuditContext {
        AuditContext {
            actor_id: Some(self.user.id),
            actor_email: Some(self.user.email.clone()),
            request_id: self.request_id.clone(),
        }
    }

    pub fn require_admin(&self) -> Result<(), ApiError> {
        ocop_domain::access::check_admin(&self.actor()).map_err(Into::into)
    }
}

impl From<ocop_domain::access::Denied> for ApiError {
    fn from(denied: ocop_domain::access::Denied) -> Self {
        match denied {
            ocop_domain::access::Denied::Role => ApiError::forbidden(),
            ocop_domain::access::Denied::OutsideArea => ApiError::new(ErrorCode::OutsideArea),
            ocop_domain::access::Denied::Hidden => ApiError::not_found(),
        }
    }
}

pub fn request_id(req: &HttpRequest) -> Option<String> {
    req.extensions().get::<RequestId>().map(ToString::to_string)
}

fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer(req);
        let request_id = request_id(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal("AppState missing"))?;
            let token = token.ok_or_else(ApiError::unauthenticated)?;
            let claims = state.jwt.verify(&token).map_err(|e| {
                tracing::debug!(error = %e, "rejected access token");
                ApiError::unauthenticated()
            })?;
            let (user, unit) =
                users::find_with_unit(&state.db, claims.sub).await?.ok_or_else(ApiError::unauthenticated)?;
            if !user.active || claims.iat < user.password_changed_at.timestamp() {
                return Err(ApiError::unauthenticated());
            }
            let role: Role = user.role.parse().map_err(ApiError::internal)?;
            Ok(AuthUser { user, unit, role, request_id })
        })
    }
}
