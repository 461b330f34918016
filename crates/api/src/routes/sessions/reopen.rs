//! An admin reopens a finalized result, with a reason.

use actix_web::{post, web};
use ocop_domain::council::CertificateStatus;
use ocop_domain::session::check_reopen_item;
use ocop_persistence::{applications, audit};
use serde::Deserialize;
use validator::Validate;

use super::*;
use crate::extract::ApiJson;

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"reason": "Khiếu nại của chủ thể được chấp nhận, hội đồng chấm lại"}))]
pub struct ReopenInput {
    #[validate(length(min = 5, max = 2000))]
    pub reason: String,
}

/// Reopen a finalized result / Mở lại kết quả đã chốt (admins, with a reason).
///
/// Only while no active certificate was issued from it (revoke that first) and the application
/// has not moved on to another council.
#[utoipa::path(operation_id = "reopen_item", tag = "councils", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Session item id")), request_body = ReopenInput, responses(
    (status = 200, description = "Reopened / Đã mở lại", body = ItemDetail),
    (status = 409, description = "Not finalized (`not_finalized`), a certificate stands (`certificate_stands`), or the application moved on", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/session-items/{id}/reopen")]
pub async fn reopen(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<ReopenInput>,
) -> ApiResult<web::Json<ItemDetail>> {
    let body = body.0;
    body.validate()?;
    check_reopen(&user.actor())?;
    let ic = ItemCtx::load(&state, &user, id.into_inner()).await?;
    let certified = certificates::find_by_item(&state.db, ic.item.id)
        .await?
        .is_some_and(|c| c.status.parse::<CertificateStatus>() == Ok(CertificateStatus::Active));
    let (_, states) = ic.sheets(&state).await?;
    check_reopen_item(&facts(&ic.item, &states)?, certified)?;
    let app = applications::find(&state.db, ic.item.application_id).await?.ok_or_else(ApiError::not_found)?;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    if !councils::reopen(&txn, ic.item.id).await? {
        return Err(ApiError::changed_meanwhile("Kết quả vừa thay đổi.", "The result just changed."));
    }
    crate::moves::by_scoring(
        &txn,
        &user,
        &app,
        ocop_domain::cycle::Action::Reopen,
        Some(&ic.item.level),
        Some(body.reason.trim().to_owned()),
    )
    .await?;
    let item = councils::find_item(&txn, ic.item.id).await?.ok_or_else(ApiError::not_found)?;
    audit::record(&txn, &user.audit(), "session_item.reopen", "session_item", item.id, Some(&ic.item), Some(&item))
        .await?;
    txn.commit().await?;
    item_detail(&state, &user, ItemCtx { item, ..ic }).await.map(web::Json)
}
