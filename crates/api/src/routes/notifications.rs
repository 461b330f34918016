//! The caller's notifications: deadlines, returned documents, sessions to score, expiring
//! certificates, counterfeit alerts. Each user sees only their own.

use actix_web::{get, post, web};
use chrono::{DateTime, Utc};
use ocop_persistence::entities::notification;
use ocop_persistence::notifications;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::paging::paging;
use crate::state::AppState;

/// A notification, in both languages.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8f01", "kind": "certificate_expiring",
    "title_vi": "Giấy chứng nhận OCOP sắp hết hiệu lực", "title_en": "An OCOP certificate expires soon",
    "body_vi": "Giấy chứng nhận QN-2026-0001 của sản phẩm Trà hoa vàng Ba Chẽ hết hiệu lực ngày 31/01/2027.",
    "body_en": "Certificate QN-2026-0001 of Trà hoa vàng Ba Chẽ expires on 2027-01-31.",
    "link": "/certificates/019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8f11", "created_at": "2026-12-03T08:00:00Z", "read_at": null}))]
pub struct Notification {
    pub id: Uuid,
    /// `stage_deadline`, `document_returned`, `session_to_score`, `certificate_expiring` or `counterfeit_alert`.
    pub kind: String,
    pub title_vi: String,
    pub title_en: String,
    pub body_vi: String,
    pub body_en: String,
    /// The page of the SPA that shows the object.
    pub link: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl From<notification::Model> for Notification {
    fn from(n: notification::Model) -> Self {
        Self {
            id: n.id,
            kind: n.kind,
            title_vi: n.title_vi,
            title_en: n.title_en,
            body_vi: n.body_vi,
            body_en: n.body_en,
            link: n.link,
            created_at: n.created_at,
            read_at: n.read_at,
        }
    }
}

/// A page of the caller's notifications and how many are unread.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"items": [], "total": 0, "unread": 0}))]
pub struct Inbox {
    pub items: Vec<Notification>,
    pub total: u64,
    pub unread: u64,
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    /// Only the unread ones.
    #[serde(default)]
    pub unread: bool,
    #[validate(range(min = 1, max = 200))]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// My notifications, newest first / Thông báo của tôi.
#[utoipa::path(operation_id = "list_notifications", tag = "notifications", security(("bearer" = [])), params(InboxQuery), responses(
    (status = 200, description = "A page of notifications", body = Inbox),
))]
#[get("/notifications")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<InboxQuery>,
) -> ApiResult<web::Json<Inbox>> {
    query.validate()?;
    let page = notifications::list(&state.db, user.id(), query.unread, paging(query.limit, query.offset)?).await?;
    Ok(web::Json(Inbox {
        items: page.items.into_iter().map(Notification::from).collect(),
        total: page.total,
        unread: notifications::unread(&state.db, user.id()).await?,
    }))
}

/// How many are unread.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"unread": 3}))]
pub struct UnreadCount {
    pub unread: u64,
}

/// The number of unread notifications, for the header / Số thông báo chưa đọc.
#[utoipa::path(operation_id = "unread_notifications", tag = "notifications", security(("bearer" = [])), responses(
    (status = 200, description = "The count", body = UnreadCount),
))]
#[get("/notifications/unread-count")]
pub async fn unread_count(state: web::Data<AppState>, user: AuthUser) -> ApiResult<web::Json<UnreadCount>> {
    Ok(web::Json(UnreadCount { unread: notifications::unread(&state.db, user.id()).await? }))
}

/// Mark one notification read / Đánh dấu đã đọc.
#[utoipa::path(operation_id = "read_notification", tag = "notifications", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Notification id")), responses(
    (status = 200, description = "Read; the unread count that remains", body = UnreadCount),
    (status = 404, description = "Not one of yours", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/notifications/{id}/read")]
pub async fn read(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<UnreadCount>> {
    // Someone else's notification is answered as not found.
    notifications::find(&state.db, *id).await?.filter(|n| n.user_id == user.id()).ok_or_else(ApiError::not_found)?;
    notifications::mark_read(&state.db, user.id(), Some(*id)).await?;
    Ok(web::Json(UnreadCount { unread: notifications::unread(&state.db, user.id()).await? }))
}

/// Mark all read / Đánh dấu tất cả đã đọc.
#[utoipa::path(operation_id = "read_all_notifications", tag = "notifications", security(("bearer" = [])), responses(
    (status = 200, description = "All read", body = UnreadCount),
))]
#[post("/notifications/read-all")]
pub async fn read_all(state: web::Data<AppState>, user: AuthUser) -> ApiResult<web::Json<UnreadCount>> {
    notifications::mark_read(&state.db, user.id(), None).await?;
    Ok(web::Json(UnreadCount { unread: notifications::unread(&state.db, user.id()).await? }))
}
