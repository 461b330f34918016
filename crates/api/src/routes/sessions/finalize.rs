//! The chair finalizes a product's result: ranked here or forwarded to the next level.

use actix_web::{post, web};
use ocop_domain::council::decide;
use ocop_domain::cycle::Action;
use ocop_domain::scoring::{SubmittedSheet, rank};
use ocop_domain::session::{SessionError, check_finalize};
use ocop_persistence::{applications, audit};
use serde::Deserialize;
use validator::Validate;

use super::*;
use crate::extract::ApiJson;

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"discussion_note": "Hội đồng đã thảo luận, thống nhất kết quả"}))]
pub struct FinalizeInput {
    /// Required when members' totals still differ by more than 10 points.
    #[validate(length(max = 2000))]
    pub discussion_note: Option<String>,
}

/// Finalize the result / Chủ tịch chốt kết quả.
///
/// By the chair, once every present member has submitted. The council's rules decide whether
/// the product is ranked here or forwarded to the next level (for example 90 points and more
/// go from the province to the national council). A finalized result cannot change (409),
/// except through an admin reopen.
#[utoipa::path(operation_id = "finalize_item", tag = "councils", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Session item id")), request_body = FinalizeInput, responses(
    (status = 200, description = "Finalized / Đã chốt", body = ItemDetail),
    (status = 403, description = "Not the present chair (`not_the_chair`) / Không phải chủ tịch hội đồng", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "Sheets missing (`sheets_missing`), or already finalized (`already_finalized`) / Chưa đủ phiếu hoặc đã chốt", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "Diverging totals need a discussion note / Cần ghi nội dung thảo luận", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/session-items/{id}/finalize")]
pub async fn finalize(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<FinalizeInput>,
) -> ApiResult<web::Json<ItemDetail>> {
    let body = body.0;
    body.validate()?;
    let ic = ItemCtx::load(&state, &user, id.into_inner()).await?;
    let (sheets, states) = ic.sheets(&state).await?;
    let note = body.discussion_note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
    let sitting = ic.ctx.sitting();
    check_finalize(&sitting, &facts(&ic.item, &states)?, note.is_some())?;
    let scorers = sitting.scorers();
    let level = ic.ctx.level()?;
    let outcome = rank(
        &sheets
            .iter()
            .filter(|s| scorers.contains(&s.member_id))
            .map(|s| SubmittedSheet {
                total: u32::try_from(s.total).unwrap_or(0),
                failed_minimums: serde_json::from_str(&s.failed_minimums).unwrap_or_default(),
            })
            .collect::<Vec<_>>(),
    )
    .ok_or(SessionError::SheetsMissing)?;
    let (decision, next) = decide(&state.council_rules, level, &outcome);
    let app = applications::find(&state.db, ic.item.application_id).await?.ok_or_else(ApiError::not_found)?;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let done = councils::finalize(
        &txn,
        ic.item.id,
        councils::Finalization {
            decision: decision.as_str().to_owned(),
            forwarded_to: next.map(|l| l.as_str().to_owned()),
            discussion_note: note.clone(),
            by: user.id(),
        },
    )
    .await?;
    if !done {
        return Err(SessionError::AlreadyFinalized.into());
    }
    let (action, at_level) = match decision {
        Decision::Forwarded => (Action::Forward, next.unwrap_or(level)),
        Decision::Ranked => (Action::Rank, level),
    };
    crate::moves::by_scoring(&txn, &user, &app, action, Some(at_level.as_str()), note).await?;
    let item = councils::find_item(&txn, ic.item.id).await?.ok_or_else(ApiError::not_found)?;
    audit::record(&txn, &user.audit(), "session_item.finalize", "session_item", item.id, Some(&ic.item), Some(&item))
        .await?;
    txn.commit().await?;
    item_detail(&state, &user, ItemCtx { item, ..ic }).await.map(web::Json)
}
