//! The audit trail, read-only (admins).

use actix_web::{get, web};
use chrono::{DateTime, Utc};
use ocop_persistence::audit;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::paging::{CursorPage, decode_cursor, paging};
use crate::state::AppState;

/// One recorded change.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e50", "occurred_at": "2026-11-22T08:15:00Z",
    "actor_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e10", "actor_email": "admin@ocop.demo",
    "action": "admin_unit.create", "entity_type": "admin_unit", "entity_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e41",
    "before": null, "after": {"code": "06661", "name": "Phường Tuần Châu"}, "request_id": "7c2f0d1e-3a4b-4c5d-8e9f-0a1b2c3d4e5f"
}))]
pub struct AuditEntry {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor_email: Option<String>,
    /// `entity.verb`, e.g. `admin_unit.create`, `user.deactivate`.
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    /// State before the change (absent for creations).
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// State after the change.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    pub actor_id: Option<Uuid>,
    #[validate(length(max = 64))]
    #[param(example = "admin_unit")]
    pub entity_type: Option<String>,
    #[validate(length(max = 64))]
    pub entity_id: Option<String>,
    #[validate(length(max = 64))]
    #[param(example = "admin_unit.create")]
    pub action: Option<String>,
    /// From this instant (inclusive), RFC 3339.
    pub from: Option<DateTime<Utc>>,
    /// Until this instant (exclusive), RFC 3339.
    pub to: Option<DateTime<Utc>>,
    /// Page size, 1–200 (default 20).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The audit trail, newest first, cursor-paged / Nhật ký thay đổi (admin).
#[utoipa::path(operation_id = "list_audit_entries", tag = "audit", security(("bearer" = [])), params(ListQuery), responses(
    (status = 200, description = "A page of audit entries", body = CursorPage<AuditEntry>),
))]
#[get("/audit")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ListQuery>,
) -> ApiResult<web::Json<CursorPage<AuditEntry>>> {
    user.require_admin()?;
    let query = query.into_inner();
    query.validate()?;
    let filter = audit::Filter {
        actor_id: query.actor_id,
        entity_type: query.entity_type,
        entity_id: query.entity_id,
        action: query.action,
        from: query.from,
        to: query.to,
    };
    let before = query.cursor.as_deref().map(decode_cursor).transpose()?;
    let limit = paging(query.limit, None)?.limit;
    let rows = audit::list(&state.db, &filter, before, limit).await?;
    Ok(web::Json(CursorPage::from_rows(
        rows,
        limit,
        |e| e.id,
        |e| AuditEntry {
            id: e.id,
            occurred_at: e.occurred_at,
            actor_id: e.actor_id,
            actor_email: e.actor_email,
            action: e.action,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            before: e.before,
            after: e.after,
            request_id: e.request_id,
        },
    )))
}
