//! Members' score sheets: drafts, submission, revisions after divergence; the item's result
//! recomputed from the submitted sheets.

use actix_web::{post, put, web};
use ocop_domain::criteria::{AnswerError, Answers, score_sheet};
use ocop_domain::scoring::{SubmittedSheet, rank};
use ocop_domain::session::{SessionError, Submission, check_save_draft, check_submit};
use ocop_persistence::{DatabaseTransaction, audit};
use serde::Deserialize;
use validator::Validate;

use super::*;
use crate::extract::ApiJson;

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"answers": {"A1.1": "c", "A1.2": "b", "B1.1": "b"}, "comment": "Bao bì cần bổ sung mã truy xuất"}))]
pub struct SheetInput {
    /// Criterion code → option code; a draft may be partial.
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
    #[validate(length(max = 2000))]
    pub comment: Option<String>,
}

fn answer_error(e: AnswerError) -> ApiError {
    match &e {
        AnswerError::UnknownCriterion(code) => ApiError::invalid_field(
            &format!("answers.{code}"),
            "unknown_criterion",
            format!("Tiêu chí {code} không có trong bộ tiêu chí."),
            e.to_string(),
        ),
        AnswerError::UnknownOption { criterion, .. } => ApiError::invalid_field(
            &format!("answers.{criterion}"),
            "unknown_option",
            format!("Tiêu chí {criterion} không có lựa chọn này."),
            e.to_string(),
        ),
    }
}

fn content(set: &CriteriaSet, input: &SheetInput) -> ApiResult<(councils::SheetContent, bool)> {
    let answers: Answers = input.answers.clone();
    let score = score_sheet(set, &answers).map_err(answer_error)?;
    let to_i32 = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    Ok((
        councils::SheetContent {
            answers: ocop_persistence::to_json(&answers)?,
            comment: input.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned),
            parts: score.parts.map(to_i32),
            total: to_i32(score.total),
            failed_minimums: ocop_persistence::to_json(&score.failed_minimums)?,
        },
        score.is_complete(),
    ))
}

/// Save my draft sheet / Lưu nháp phiếu chấm.
#[utoipa::path(operation_id = "save_sheet", tag = "councils", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Session item id")), request_body = SheetInput, responses(
    (status = 200, description = "Saved / Đã lưu", body = ItemDetail),
    (status = 403, description = "Not a present scoring member (`not_a_scorer`) / Không phải thành viên chấm điểm có mặt", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "Already submitted (`already_submitted`), finalized (`already_finalized`), or no quorum (`quorum_not_met`) / Đã nộp, đã chốt hoặc chưa đủ túc số", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[put("/session-items/{id}/sheet")]
pub async fn save_sheet(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<SheetInput>,
) -> ApiResult<web::Json<ItemDetail>> {
    let body = body.0;
    body.validate()?;
    let ic = ItemCtx::load(&state, &user, id.into_inner()).await?;
    let (sheets, states) = ic.sheets(&state).await?;
    let me = check_save_draft(&ic.ctx.sitting(), &facts(&ic.item, &states)?)?;
    let (content, _) = content(&ic.set, &body)?;
    let existing = sheets.into_iter().find(|s| s.member_id == me);
    councils::save_draft(&state.db, existing, ic.item.id, me, content).await?;
    item_detail(&state, &user, ic).await.map(web::Json)
}

/// Recomputes the item's result from the submitted sheets of the present scorers.
async fn refresh_result(
    txn: &DatabaseTransaction,
    item: session_item::Model,
    sitting: &Sitting<'_>,
) -> ApiResult<session_item::Model> {
    let sheets = councils::sheets(txn, vec![item.id]).await?;
    let states = sheet_states(&item, &sheets)?;
    let scorers = sitting.scorers();
    let result = if facts(&item, &states)?.all_submitted(sitting) {
        let submitted: Vec<SubmittedSheet> = sheets
            .iter()
            .filter(|s| scorers.contains(&s.member_id))
            .map(|s| SubmittedSheet {
                total: u32::try_from(s.total).unwrap_or(0),
                failed_minimums: serde_json::from_str(&s.failed_minimums).unwrap_or_default(),
            })
            .collect();
        rank(&submitted).map(|o| councils::ItemResult {
            average_centi: Some(i32::try_from(o.average.0).unwrap_or(0)),
            spread: Some(i32::try_from(o.spread).unwrap_or(0)),
            divergent: o.divergent,
            star: o.star.map(|s| i32::from(s.0)),
            failed_minimums: ocop_persistence::to_json(&o.failed_minimums).ok(),
        })
    } else {
        None
    };
    Ok(councils::set_result(txn, item, result.unwrap_or_default()).await?)
}

/// Submit my sheet / Nộp phiếu chấm.
///
/// The body may carry the final answers (else the saved draft is submitted). Every criterion
/// must be answered. Once every present member has submitted, the average, spread and star are
/// computed; when totals differ by more than 10 points members may submit revised sheets
/// (every revision is kept).
#[utoipa::path(operation_id = "submit_sheet", tag = "councils", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Session item id")), request_body = SheetInput, responses(
    (status = 200, description = "Submitted / Đã nộp", body = ItemDetail),
    (status = 409, description = "Already submitted and no divergence (`already_submitted`), finalized (`already_finalized`), or no quorum (`quorum_not_met`)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "Criteria left unanswered / Còn tiêu chí chưa chấm", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/session-items/{id}/sheet/submit")]
pub async fn submit_sheet(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<SheetInput>,
) -> ApiResult<web::Json<ItemDetail>> {
    let body = body.0;
    body.validate()?;
    let ic = ItemCtx::load(&state, &user, id.into_inner()).await?;
    let (sheets, states) = ic.sheets(&state).await?;
    let (me, submission) = check_submit(&ic.ctx.sitting(), &facts(&ic.item, &states)?)?;
    let existing = sheets.into_iter().find(|s| s.member_id == me);
    let input = if body.answers.is_empty() {
        let saved = existing.as_ref().ok_or_else(|| {
            ApiError::invalid_field("answers", "required", "Phiếu chưa có điểm nào.", "The sheet has no answers.")
        })?;
        SheetInput {
            answers: serde_json::from_str(&saved.answers).unwrap_or_default(),
            comment: body.comment.or_else(|| saved.comment.clone()),
        }
    } else {
        body
    };
    let (content, complete) = content(&ic.set, &input)?;
    if !complete {
        let missing: Vec<String> = ic
            .set
            .criteria()
            .filter(|(_, c)| !input.answers.contains_key(&c.code))
            .map(|(_, c)| c.code.clone())
            .collect();
        return Err(ApiError::invalid_field(
            "answers",
            "incomplete",
            format!("Còn tiêu chí chưa chấm: {}.", missing.join(", ")),
            format!("Criteria not answered: {}.", missing.join(", ")),
        ));
    }
    if submission == Submission::Revision {
        tracing::info!(item = %ic.item.id, member = %me, "revising a submitted sheet after divergence");
    }
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let draft = councils::save_draft(&txn, existing, ic.item.id, me, content).await?;
    let sent = councils::submit(&txn, draft, user.id()).await?;
    let item = councils::find_item(&txn, ic.item.id).await?.ok_or_else(ApiError::not_found)?;
    if item_status(&item)? != ItemStatus::Scoring {
        return Err(SessionError::AlreadyFinalized.into());
    }
    let item = refresh_result(&txn, item, &ic.ctx.sitting()).await?;
    audit::record::<(), _>(&txn, &user.audit(), "sheet.submit", "score_sheet", sent.id, None, Some(&sent)).await?;
    txn.commit().await?;
    item_detail(&state, &user, ItemCtx { item, ..ic }).await.map(web::Json)
}
