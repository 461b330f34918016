//! Attendance: who is present, recorded before scoring starts.

use actix_web::{put, web};
use ocop_persistence::audit;
use serde::Deserialize;
use validator::Validate;

use super::*;
use crate::extract::ApiJson;

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"present": ["019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d11", "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d12"]}))]
pub struct Attendance {
    /// Members present; every other member is recorded absent.
    #[validate(length(max = 100))]
    pub present: Vec<Uuid>,
}

/// Record who is present / Điểm danh thành viên.
///
/// By those who manage the council, its chair or its secretary; only before the first sheet
/// is started, so that no one scores who was not counted.
#[utoipa::path(operation_id = "set_attendance", tag = "councils", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Session id")), request_body = Attendance, responses(
    (status = 200, description = "Recorded / Đã điểm danh", body = SessionBoard),
    (status = 409, description = "Scoring has started (`attendance_frozen`) / Đã bắt đầu chấm điểm", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[put("/sessions/{id}/attendance")]
pub async fn set_attendance(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<Attendance>,
) -> ApiResult<web::Json<SessionBoard>> {
    let body = body.0;
    body.validate()?;
    let mut ctx = Ctx::load(&state, &user, id.into_inner()).await?;
    let items = councils::items(&state.db, ctx.session.id).await?;
    let started = !councils::sheets(&state.db, items.iter().map(|i| i.id).collect()).await?.is_empty();
    ctx.sitting().check_attendance(started)?;
    if let Some(i) = body.present.iter().position(|p| !ctx.members.iter().any(|(m, _)| m.id == *p)) {
        return Err(ApiError::invalid_field(
            &format!("present[{i}]"),
            "not_a_member",
            "Người này không phải thành viên hội đồng.",
            "Not a member of this council.",
        ));
    }
    let seats: Vec<(Uuid, bool)> = ctx.members.iter().map(|(m, _)| (m.id, body.present.contains(&m.id))).collect();
    let before = councils::attendance(&state.db, ctx.session.id).await?;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    councils::set_attendance(&txn, ctx.session.id, &seats).await?;
    let after = councils::attendance(&txn, ctx.session.id).await?;
    ctx.seats = super::seats(&ctx.members, &after)?;
    audit::record(
        &txn,
        &user.audit(),
        "session.attendance",
        "evaluation_session",
        ctx.session.id,
        Some(&before),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    board(&state, &user, ctx).await.map(web::Json)
}
