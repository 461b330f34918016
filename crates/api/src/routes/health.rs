use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"status": "ok"}))]
pub struct Health {
    pub status: &'static str,
}

/// Liveness: the process answers.
#[utoipa::path(operation_id = "healthz", tag = "health", responses((status = 200, description = "Alive / Đang chạy", body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// Readiness: the database answers.
#[utoipa::path(operation_id = "readyz", tag = "health", responses(
    (status = 200, description = "Ready / Sẵn sàng", body = Health),
    (status = 503, description = "Database unreachable / Không kết nối được CSDL", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    ocop_persistence::ping(&state.db).await.map_err(|e| {
        tracing::warn!(error = %e, "readiness check failed");
        ApiError::new(ErrorCode::Unavailable)
    })?;
    Ok(HttpResponse::Ok().json(Health { status: "ready" }))
}
