//! Evaluation sessions: attendance, the products on the session, members' score sheets (blind
//! until one's own is submitted), results, finalization by the chair, admin reopen, minutes.

use std::collections::{BTreeMap, HashMap};

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, put, web};
use chrono::{DateTime, Utc};
use ocop_domain::access::{check_manage_council, check_reopen};
use ocop_domain::council::{CouncilLevel, MemberRole, QuorumError, Seat as QuorumSeat, check_quorum};
use ocop_domain::criteria::{AnswerError, Answers, CriteriaSet, score_sheet};
use ocop_domain::cycle::{Action, ApplicationStatus, Party, check_move};
use ocop_domain::scoring::{
    Centipoints, Decision, FinalizeError, SubmittedSheet, Viewer, check_finalize, decide, rank, sheets_visible,
};
use ocop_persistence::entities::{
    application, council_member, evaluation_session, score_sheet as sheet, session_attendance, session_item,
};
use ocop_persistence::{
    DatabaseTransaction, applications, audit, certificates, classifications, councils, criteria_sets, products,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::routes::applications::ProductRef;
use crate::routes::councils::{self as council_routes, Council, Member, Session};
use crate::routes::criteria_sets::{CriteriaSetDetail, summary};
use crate::sheets::{Cell, Table, XLSX, xlsx};
use crate::state::AppState;

/// Everything about a session the rules need, loaded once the caller may see it.
struct Ctx {
    seat: council_routes::Seat,
    session: evaluation_session::Model,
    members: Vec<councils::MemberWithUser>,
    attendance: Vec<session_attendance::Model>,
}

impl Ctx {
    async fn load(state: &AppState, user: &AuthUser, session_id: Uuid) -> ApiResult<Self> {
        let session = councils::find_session(&state.db, session_id).await?.ok_or_else(ApiError::not_found)?;
        let seat = council_routes::load(state, user, session.council_id).await?;
        let members = councils::members(&state.db, seat.council.id).await?;
        let attendance = councils::attendance(&state.db, session.id).await?;
        Ok(Self { seat, session, members, attendance })
    }

    fn present(&self, member_id: Uuid) -> bool {
        self.attendance.iter().any(|a| a.member_id == member_id && a.present)
    }

    fn role(&self, member_id: Uuid) -> Option<MemberRole> {
        self.members.iter().find(|(m, _)| m.id == member_id).and_then(|(m, _)| m.role.parse().ok())
    }

    /// Present members who score (the chair, vice chairs and members; not the secretary).
    fn scorers(&self) -> Vec<Uuid> {
        self.members
            .iter()
            .filter(|(m, _)| self.role(m.id).is_some_and(MemberRole::scores) && self.present(m.id))
            .map(|(m, _)| m.id)
            .collect()
    }

    fn quorum(&self) -> Result<(), QuorumError> {
        let seats: Vec<QuorumSeat> = self
            .members
            .iter()
            .filter_map(|(m, _)| self.role(m.id).map(|role| QuorumSeat { role, present: self.present(m.id) }))
            .collect();
        check_quorum(&seats)
    }

    fn me(&self) -> Option<&council_member::Model> {
        self.seat.member.as_ref()
    }

    fn i_score(&self) -> bool {
        self.me().is_some_and(|m| self.scorers().contains(&m.id))
    }

    fn i_chair(&self) -> bool {
        self.me().is_some_and(|m| self.role(m.id) == Some(MemberRole::Chair) && self.present(m.id))
    }

    fn level(&self) -> ApiResult<CouncilLevel> {
        self.seat.council.level.parse().map_err(ApiError::internal)
    }
}

fn quorum_error(e: QuorumError) -> ApiError {
    let vi = match e {
        QuorumError::NoChair => "Hội đồng chưa có chủ tịch.".to_owned(),
        QuorumError::ChairAbsent => "Chủ tịch hội đồng vắng mặt: phiên họp chưa đủ điều kiện chấm điểm.".to_owned(),
        QuorumError::TooFew { present, members } => {
            format!("Mới có {present}/{members} thành viên chấm điểm có mặt; cần ít nhất 75%.")
        }
    };
    ApiError::conflict(vi, e.to_string())
}

/// One member's sheet.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d41", "member_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d11",
    "member_name": "Trần Văn Chủ Tịch", "member_role": "chair", "answers": {"A1.1": "c", "A1.2": "b"}, "comment": null,
    "part_totals": [12, 0, 0], "total": 12, "failed_minimums": [], "unanswered": 22, "status": "draft", "revision": 0, "submitted_at": null}))]
pub struct Sheet {
    pub id: Uuid,
    pub member_id: Uuid,
    pub member_name: String,
    #[schema(schema_with = crate::schemas::member_role)]
    pub member_role: String,
    /// Criterion code → chosen option code.
    pub answers: BTreeMap<String, String>,
    pub comment: Option<String>,
    /// Subtotals of parts A, B, C.
    pub part_totals: Vec<i32>,
    pub total: i32,
    /// Minimum requirements the chosen options fail.
    pub failed_minimums: Vec<String>,
    /// Criteria not answered yet.
    pub unanswered: usize,
    /// `draft` or `submitted`.
    pub status: String,
    /// Number of submissions so far (every one is kept).
    pub revision: i32,
    pub submitted_at: Option<DateTime<Utc>>,
}

/// One cell of the session board: a member's sheet for a product.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"member_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d11", "state": "submitted", "total": 74, "revision": 1}))]
pub struct BoardCell {
    pub member_id: Uuid,
    /// `none`, `draft` or `submitted`.
    pub state: String,
    /// Shown once the viewer may see this member's sheet (blind scoring).
    pub total: Option<i32>,
    pub revision: i32,
}

/// The result of a product on a session, once every present member has submitted.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"average": 72.67, "spread": 6, "divergent": false, "star": 4, "not_ranked": false, "failed_minimums": [],
    "decision": "ranked", "forwarded_to": null, "discussion_note": null, "finalized_at": "2026-10-20T09:00:00Z"}))]
pub struct ItemResult {
    pub average: f64,
    pub spread: i32,
    /// Totals differ by more than 10 points: discuss, members may revise.
    pub divergent: bool,
    pub star: Option<i32>,
    /// A minimum requirement is failed: not ranked whatever the total.
    pub not_ranked: bool,
    pub failed_minimums: Vec<String>,
    pub decision: Option<String>,
    #[schema(schema_with = crate::schemas::optional_council_level)]
    pub forwarded_to: Option<String>,
    pub discussion_note: Option<String>,
    pub finalized_at: Option<DateTime<Utc>>,
}

/// A product on a session.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d31", "session_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d21", "application_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8ec0",
    "product": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e90", "code": "22-202-06739-002-2026", "name": "Trà hoa vàng Ba Chẽ"},
    "criteria_set_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c01", "level": "province", "status": "scoring", "all_submitted": false, "result": null,
    "cells": [{"member_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d11", "state": "submitted", "total": null, "revision": 1}], "certificate_id": null}))]
pub struct Item {
    pub id: Uuid,
    pub session_id: Uuid,
    pub application_id: Uuid,
    pub product: Option<ProductRef>,
    pub criteria_set_id: Uuid,
    #[schema(schema_with = crate::schemas::council_level)]
    pub level: String,
    /// `scoring` or `finalized`.
    pub status: String,
    pub all_submitted: bool,
    pub result: Option<ItemResult>,
    pub cells: Vec<BoardCell>,
    /// The certificate issued from this result, if any.
    pub certificate_id: Option<Uuid>,
}

/// A present or absent member.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d11", "user_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8a11",
    "display_name": "Trần Văn Chủ Tịch", "email": "chutich@ocop.demo", "role": "chair", "organisation": "UBND tỉnh", "present": true}))]
pub struct Attendee {
    #[serde(flatten)]
    pub member: Member,
    pub present: bool,
}

/// The session board: products × members.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"session": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d21", "council_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d01", "held_on": "2026-10-20", "place": null},
    "council": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d01", "level": "province", "area": null, "cycle_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8eb0",
        "name": "Hội đồng OCOP tỉnh năm 2026", "decision_number": "2345/QĐ-UBND", "decision_date": "2026-09-15", "created_at": "2026-09-15T03:00:00Z"},
    "members": [{"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d11", "user_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8a11", "display_name": "Trần Văn Chủ Tịch", "email": "chutich@ocop.demo", "role": "chair", "organisation": null, "present": true}],
    "quorum_met": true, "quorum_message_vi": null, "quorum_message_en": null, "items": [{"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d31", "session_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d21", "application_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8ec0",
    "product": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e90", "code": "22-202-06739-002-2026", "name": "Trà hoa vàng Ba Chẽ"},
    "criteria_set_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c01", "level": "province", "status": "scoring", "all_submitted": false, "result": null,
    "cells": [{"member_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d11", "state": "submitted", "total": null, "revision": 1}], "certificate_id": null}],
    "my_member_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d11", "i_score": true, "i_chair": true, "can_manage": false}))]
pub struct SessionBoard {
    pub session: Session,
    pub council: Council,
    pub members: Vec<Attendee>,
    /// Whether the session may score (75% of scoring members present, the chair included).
    pub quorum_met: bool,
    pub quorum_message_vi: Option<String>,
    pub quorum_message_en: Option<String>,
    pub items: Vec<Item>,
    pub my_member_id: Option<Uuid>,
    /// The caller scores at this session.
    pub i_score: bool,
    /// The caller chairs this session (finalizes results).
    pub i_chair: bool,
    pub can_manage: bool,
}

fn sheet_dto(s: &sheet::Model, ctx: &Ctx, set: Option<&CriteriaSet>) -> Sheet {
    let (name, role) = ctx
        .members
        .iter()
        .find(|(m, _)| m.id == s.member_id)
        .map(|(m, u)| (u.as_ref().map(|u| u.display_name.clone()).unwrap_or_default(), m.role.clone()))
        .unwrap_or_default();
    let answers: BTreeMap<String, String> = serde_json::from_str(&s.answers).unwrap_or_default();
    let unanswered = set.map_or(0, |set| set.criteria().filter(|(_, c)| !answers.contains_key(&c.code)).count());
    Sheet {
        id: s.id,
        member_id: s.member_id,
        member_name: name,
        member_role: role,
        answers,
        comment: s.comment.clone(),
        part_totals: vec![s.part_a, s.part_b, s.part_c],
        total: s.total,
        failed_minimums: serde_json::from_str(&s.failed_minimums).unwrap_or_default(),
        unanswered,
        status: s.status.clone(),
        revision: s.revision,
        submitted_at: s.submitted_at,
    }
}

fn submitted(sheets: &[&sheet::Model], scorers: &[Uuid]) -> bool {
    !scorers.is_empty() && scorers.iter().all(|m| sheets.iter().any(|s| s.member_id == *m && s.status == "submitted"))
}

/// Whether the caller may see the other members' sheets of this product (the domain's rule).
fn may_see_others(ctx: &Ctx, item: &session_item::Model, sheets: &[&sheet::Model]) -> bool {
    let viewer = match ctx.me().filter(|_| ctx.i_score()) {
        Some(me) => {
            Viewer::Scorer { submitted: sheets.iter().any(|s| s.member_id == me.id && s.status == "submitted") }
        }
        None => Viewer::Other,
    };
    sheets_visible(viewer, submitted(sheets, &ctx.scorers()), item.status == "finalized")
}

fn result_dto(item: &session_item::Model) -> Option<ItemResult> {
    item.average_centi.map(|avg| ItemResult {
        average: Centipoints(u32::try_from(avg).unwrap_or(0)).as_points(),
        spread: item.spread.unwrap_or(0),
        divergent: item.divergent,
        star: item.star,
        not_ranked: item.star.is_none(),
        failed_minimums: item.failed_minimums.as_deref().and_then(|f| serde_json::from_str(f).ok()).unwrap_or_default(),
        decision: item.decision.clone(),
        forwarded_to: item.forwarded_to.clone(),
        discussion_note: item.discussion_note.clone(),
        finalized_at: item.finalized_at,
    })
}

async fn item_dtos(
    state: &AppState,
    ctx: &Ctx,
    items: Vec<session_item::Model>,
    sheets: &[sheet::Model],
) -> ApiResult<Vec<Item>> {
    let products: HashMap<Uuid, ProductRef> =
        products::find_many(&state.db, items.iter().map(|i| i.product_id).collect())
            .await?
            .into_iter()
            .map(|p| (p.id, ProductRef { id: p.id, code: p.code, name: p.name }))
            .collect();
    let certificates: HashMap<Uuid, Uuid> = certificates::of_items(&state.db, items.iter().map(|i| i.id).collect())
        .await?
        .into_iter()
        .map(|c| (c.item_id, c.id))
        .collect();
    let scorers = ctx.scorers();
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let mine: Vec<&sheet::Model> = sheets.iter().filter(|s| s.item_id == item.id).collect();
        let visible = may_see_others(ctx, &item, &mine);
        let own = ctx.me().map(|m| m.id);
        let cells = ctx
            .members
            .iter()
            .filter(|(m, _)| scorers.contains(&m.id))
            .map(|(m, _)| {
                let found = mine.iter().find(|s| s.member_id == m.id);
                BoardCell {
                    member_id: m.id,
                    state: found.map_or("none".to_owned(), |s| s.status.clone()),
                    total: found.filter(|_| visible || own == Some(m.id)).map(|s| s.total),
                    revision: found.map_or(0, |s| s.revision),
                }
            })
            .collect();
        out.push(Item {
            certificate_id: certificates.get(&item.id).copied(),
            all_submitted: submitted(&mine, &scorers),
            result: result_dto(&item),
            product: products.get(&item.product_id).cloned(),
            id: item.id,
            session_id: item.session_id,
            application_id: item.application_id,
            criteria_set_id: item.criteria_set_id,
            level: item.level,
            status: item.status,
            cells,
        });
    }
    Ok(out)
}

async fn board(state: &AppState, ctx: Ctx) -> ApiResult<SessionBoard> {
    let items = councils::items(&state.db, ctx.session.id).await?;
    let sheets = councils::sheets(&state.db, items.iter().map(|i| i.id).collect()).await?;
    let item_dtos = item_dtos(state, &ctx, items, &sheets).await?;
    let quorum = ctx.quorum();
    let members = ctx
        .members
        .iter()
        .map(|mu| Attendee { member: Member::from(mu.clone()), present: ctx.present(mu.0.id) })
        .collect();
    Ok(SessionBoard {
        session: Session::from(ctx.session.clone()),
        council: council_routes::council_dto(state, ctx.seat.council.clone()).await?,
        members,
        quorum_met: quorum.is_ok(),
        quorum_message_vi: quorum.err().map(|e| quorum_error(e).problem().message_vi),
        quorum_message_en: quorum.err().map(|e| e.to_string()),
        items: item_dtos,
        my_member_id: ctx.me().map(|m| m.id),
        i_score: ctx.i_score(),
        i_chair: ctx.i_chair(),
        can_manage: ctx.seat.can_manage,
    })
}

/// The session board / Bảng tổng hợp phiên họp.
///
/// Products × present members: who has a draft or has submitted, members' totals as far as
/// blind scoring allows, results and divergence flags.
#[utoipa::path(operation_id = "get_session", tag = "councils", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Session id")), responses(
    (status = 200, description = "The board", body = SessionBoard),
    (status = 404, description = "No such session, or not one of your councils'", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[get("/sessions/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<SessionBoard>> {
    let ctx = Ctx::load(&state, &user, id.into_inner()).await?;
    board(&state, ctx).await.map(web::Json)
}

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
    (status = 409, description = "Scoring has started / Đã bắt đầu chấm điểm", body = crate::error::Problem, content_type = "application/problem+json"),
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
    let keeps_minutes =
        ctx.me().and_then(|m| ctx.role(m.id)).is_some_and(|r| matches!(r, MemberRole::Chair | MemberRole::Secretary));
    if !ctx.seat.can_manage && !keeps_minutes {
        return Err(ApiError::forbidden());
    }
    if let Some(i) = body.present.iter().position(|p| !ctx.members.iter().any(|(m, _)| m.id == *p)) {
        return Err(ApiError::invalid_field(
            &format!("present[{i}]"),
            "not_a_member",
            "Người này không phải thành viên hội đồng.",
            "Not a member of this council.",
        ));
    }
    let items = councils::items(&state.db, ctx.session.id).await?;
    if !councils::sheets(&state.db, items.iter().map(|i| i.id).collect()).await?.is_empty() {
        return Err(ApiError::conflict(
            "Đã có thành viên bắt đầu chấm điểm; không thể thay đổi điểm danh.",
            "Scoring has started; attendance can no longer change.",
        ));
    }
    let seats: Vec<(Uuid, bool)> = ctx.members.iter().map(|(m, _)| (m.id, body.present.contains(&m.id))).collect();
    let before = ctx.attendance.clone();
    let txn = ocop_persistence::begin_write(&state.db).await?;
    councils::set_attendance(&txn, ctx.session.id, &seats).await?;
    ctx.attendance = councils::attendance(&txn, ctx.session.id).await?;
    audit::record(
        &txn,
        &user.audit(),
        "session.attendance",
        "evaluation_session",
        ctx.session.id,
        Some(&before),
        Some(&ctx.attendance),
    )
    .await?;
    txn.commit().await?;
    board(&state, ctx).await.map(web::Json)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"application_ids": ["019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8ec0"]}))]
pub struct AddItems {
    /// Applications from the council's queue.
    #[validate(length(min = 1, max = 200))]
    pub application_ids: Vec<Uuid>,
}

/// The criteria set for a product: the most specific set of its classification version.
async fn criteria_set_for(state: &AppState, product_id: Uuid) -> ApiResult<Option<Uuid>> {
    let Some(product) = products::find(&state.db, product_id).await? else { return Ok(None) };
    let Some(node) = classifications::find_node(&state.db, product.classification_node_id).await? else {
        return Ok(None);
    };
    let Some(version) = classifications::find_version(&state.db, node.version_id).await? else { return Ok(None) };
    let mut best: Option<(usize, Uuid)> = None;
    for row in criteria_sets::of_version(&state.db, &version.code).await? {
        if let Some(score) = criteria_sets::parse(&row)?.applies(&version.code, &node.code)
            && best.is_none_or(|(b, _)| score > b)
        {
            best = Some((score, row.id));
        }
    }
    Ok(best.map(|(_, id)| id))
}

async fn record_move(
    txn: &DatabaseTransaction,
    user: &AuthUser,
    before: &application::Model,
    after: &application::Model,
    action: Action,
    note: Option<String>,
) -> ApiResult<()> {
    applications::record_event(
        txn,
        applications::NewEvent {
            application_id: after.id,
            action: action.as_str(),
            from_status: Some(&before.status),
            to_status: &after.status,
            note,
            actor_id: Some(user.id()),
            actor_name: Some(user.user.display_name.clone()),
        },
    )
    .await?;
    audit::record(
        txn,
        &user.audit(),
        &format!("application.{}", action.as_str()),
        "application",
        after.id,
        Some(before),
        Some(after),
    )
    .await?;
    Ok(())
}

/// Moves an application by the scoring workflow, refusing if it moved meanwhile.
pub(crate) async fn move_by_scoring(
    txn: &DatabaseTransaction,
    user: &AuthUser,
    app: &application::Model,
    action: Action,
    evaluation_level: Option<&str>,
    note: Option<String>,
) -> ApiResult<application::Model> {
    let from: ApplicationStatus = app.status.parse().map_err(ApiError::internal)?;
    let to = check_move(action, from, Party::Scoring, None, None)
        .map_err(|e| ApiError::conflict("Hồ sơ không ở trạng thái phù hợp cho thao tác này.", e.to_string()))?;
    let moved =
        councils::move_application(txn, app.id, from.as_str(), to.as_str(), to.stage().as_str(), evaluation_level)
            .await?
            .ok_or_else(|| {
                ApiError::conflict(
                    "Hồ sơ vừa được người khác chuyển bước; hãy tải lại.",
                    "The application just moved; reload it.",
                )
            })?;
    record_move(txn, user, app, &moved, action, note).await?;
    Ok(moved)
}

/// Place products on the session / Đưa sản phẩm vào phiên họp.
///
/// Each application must be in the council's queue; the criteria set is the most specific one
/// for the product's classification.
#[utoipa::path(operation_id = "add_session_items", tag = "councils", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Session id")), request_body = AddItems, responses(
    (status = 200, description = "Placed / Đã đưa vào phiên", body = SessionBoard),
    (status = 422, description = "Not in the queue, or no criteria set fits / Không có trong danh sách chờ", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/sessions/{id}/items")]
pub async fn add_items(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<AddItems>,
) -> ApiResult<web::Json<SessionBoard>> {
    let body = body.0;
    body.validate()?;
    let ctx = Ctx::load(&state, &user, id.into_inner()).await?;
    check_manage_council(&user.actor(), &ctx.seat.council.area_path)?;
    let level = ctx.level()?;
    let waiting = councils::queue(&state.db, &ctx.seat.council, state.council_rules.entry() == level).await?;
    let mut placed = Vec::new();
    for (i, app_id) in body.application_ids.iter().enumerate() {
        let field = format!("application_ids[{i}]");
        let app = waiting.iter().find(|a| a.id == *app_id).ok_or_else(|| {
            ApiError::invalid_field(
                &field,
                "not_in_queue",
                "Hồ sơ không có trong danh sách chờ của hội đồng.",
                "Not in this council's queue.",
            )
        })?;
        let set = criteria_set_for(&state, app.product_id).await?.ok_or_else(|| {
            ApiError::invalid_field(
                &field,
                "no_criteria_set",
                "Chưa có bộ tiêu chí cho nhóm sản phẩm này.",
                "No criteria set applies to this product.",
            )
        })?;
        placed.push((app.clone(), set));
    }
    let txn = ocop_persistence::begin_write(&state.db).await?;
    for (app, criteria_set_id) in placed {
        let item = councils::insert_item(
            &txn,
            councils::NewItem {
                session_id: ctx.session.id,
                council_id: ctx.seat.council.id,
                application_id: app.id,
                product_id: app.product_id,
                criteria_set_id,
                level: level.as_str().to_owned(),
            },
        )
        .await?;
        move_by_scoring(&txn, &user, &app, Action::PlaceInSession, Some(level.as_str()), None).await?;
        audit::record::<(), _>(&txn, &user.audit(), "session.add_item", "session_item", item.id, None, Some(&item))
            .await?;
    }
    txn.commit().await?;
    board(&state, ctx).await.map(web::Json)
}

/// A submitted revision of a sheet (every one is kept).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"member_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d11", "revision": 2, "total": 74, "submitted_at": "2026-10-20T08:30:00Z"}))]
pub struct Revision {
    pub member_id: Uuid,
    pub revision: i32,
    pub total: i32,
    pub submitted_at: DateTime<Utc>,
}

/// A product on a session, with its criteria set and the sheets the caller may see.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"item": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d31", "session_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d21", "application_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8ec0",
    "product": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e90", "code": "22-202-06739-002-2026", "name": "Trà hoa vàng Ba Chẽ"},
    "criteria_set_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c01", "level": "province", "status": "scoring", "all_submitted": false, "result": null,
    "cells": [{"member_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d11", "state": "submitted", "total": null, "revision": 1}], "certificate_id": null},
    "criteria_set": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c01", "code": "2023-chung", "name": "Bộ tiêu chí 2023", "decision": null, "classification_version": "2023",
        "applies_to": [], "part_points": [40, 25, 35], "criteria": 24, "created_at": "2026-11-22T08:00:00Z", "set": {"code": "2023-chung", "parts": ["…"]}},
    "my_sheet": null, "sheets": [], "revisions": [], "can_score": true, "can_revise": false, "can_finalize": false, "can_reopen": false}))]
pub struct ItemDetail {
    pub item: Item,
    pub criteria_set: CriteriaSetDetail,
    pub my_sheet: Option<Sheet>,
    /// Other members' sheets, once blind scoring allows.
    pub sheets: Vec<Sheet>,
    pub revisions: Vec<Revision>,
    /// The caller may fill or submit a sheet now.
    pub can_score: bool,
    /// The caller may submit a revised sheet (results diverge by more than 10 points).
    pub can_revise: bool,
    pub can_finalize: bool,
    pub can_reopen: bool,
}

struct ItemCtx {
    ctx: Ctx,
    item: session_item::Model,
    set: CriteriaSet,
    set_row: ocop_persistence::entities::criteria_set::Model,
}

impl ItemCtx {
    async fn load(state: &AppState, user: &AuthUser, item_id: Uuid) -> ApiResult<Self> {
        let item = councils::find_item(&state.db, item_id).await?.ok_or_else(ApiError::not_found)?;
        let ctx = Ctx::load(state, user, item.session_id).await?;
        let set_row = criteria_sets::find(&state.db, item.criteria_set_id).await?.ok_or_else(ApiError::not_found)?;
        let set = criteria_sets::parse(&set_row)?;
        Ok(Self { ctx, item, set, set_row })
    }
}

async fn item_detail(state: &AppState, user: &AuthUser, ic: ItemCtx) -> ApiResult<ItemDetail> {
    let sheets = councils::sheets(&state.db, vec![ic.item.id]).await?;
    let refs: Vec<&sheet::Model> = sheets.iter().collect();
    let visible = may_see_others(&ic.ctx, &ic.item, &refs);
    let me = ic.ctx.me().map(|m| m.id);
    let my_sheet = sheets.iter().find(|s| Some(s.member_id) == me).map(|s| sheet_dto(s, &ic.ctx, Some(&ic.set)));
    let others = if visible {
        sheets.iter().filter(|s| Some(s.member_id) != me).map(|s| sheet_dto(s, &ic.ctx, Some(&ic.set))).collect()
    } else {
        Vec::new()
    };
    let revisions = councils::revisions(&state.db, ic.item.id)
        .await?
        .into_iter()
        .filter(|r| visible || Some(r.member_id) == me)
        .map(|r| Revision {
            member_id: r.member_id,
            revision: r.revision,
            total: r.total,
            submitted_at: r.submitted_at,
        })
        .collect();
    let scoring = ic.item.status == "scoring";
    let all_in = submitted(&refs, &ic.ctx.scorers());
    let mine_submitted = my_sheet.as_ref().is_some_and(|s| s.status == "submitted");
    let can_score = scoring && ic.ctx.i_score() && ic.ctx.quorum().is_ok() && !mine_submitted;
    let can_revise = scoring && ic.ctx.i_score() && mine_submitted && all_in && ic.item.divergent;
    let can_finalize = scoring && ic.ctx.i_chair() && all_in;
    let can_reopen = !scoring && check_reopen(&user.actor()).is_ok();
    let set_detail = CriteriaSetDetail { summary: summary(&ic.set_row, &ic.set), set: ic.set.clone() };
    let item =
        item_dtos(state, &ic.ctx, vec![ic.item.clone()], &sheets).await?.pop().ok_or_else(ApiError::not_found)?;
    Ok(ItemDetail {
        item,
        criteria_set: set_detail,
        my_sheet,
        sheets: others,
        revisions,
        can_score,
        can_revise,
        can_finalize,
        can_reopen,
    })
}

/// A product on a session with its criteria and sheets / Phiếu chấm điểm của một sản phẩm.
#[utoipa::path(operation_id = "get_session_item", tag = "councils", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Session item id")), responses(
    (status = 200, description = "The item", body = ItemDetail),
))]
#[get("/session-items/{id}")]
pub async fn get_item(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<ItemDetail>> {
    let ic = ItemCtx::load(&state, &user, id.into_inner()).await?;
    item_detail(&state, &user, ic).await.map(web::Json)
}

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

/// Checks that the caller may write their sheet on this item now; returns their member row.
fn check_scoring(ic: &ItemCtx) -> ApiResult<council_member::Model> {
    if ic.item.status != "scoring" {
        return Err(ApiError::conflict(
            "Kết quả đã được chủ tịch hội đồng chốt; không thể sửa phiếu.",
            "The result is finalized; sheets cannot change.",
        ));
    }
    let me = ic.ctx.me().cloned().ok_or_else(ApiError::forbidden)?;
    if !ic.ctx.i_score() {
        return Err(ApiError::forbidden().with_message(
            "Chỉ thành viên chấm điểm có mặt tại phiên họp mới được chấm.",
            "Only scoring members present at the session may score.",
        ));
    }
    ic.ctx.quorum().map_err(quorum_error)?;
    Ok(me)
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
    (status = 403, description = "Not a present scoring member / Không phải thành viên chấm điểm có mặt", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "Already submitted, finalized, or no quorum / Đã nộp, đã chốt hoặc chưa đủ túc số", body = crate::error::Problem, content_type = "application/problem+json"),
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
    let me = check_scoring(&ic)?;
    let (content, _) = content(&ic.set, &body)?;
    let existing = councils::find_sheet(&state.db, ic.item.id, me.id).await?;
    if existing.as_ref().is_some_and(|s| s.status == "submitted") {
        return Err(ApiError::conflict(
            "Phiếu đã nộp; chỉ có thể chấm lại khi hội đồng thảo luận do chênh lệch điểm.",
            "The sheet is submitted; it can be revised only when totals diverge.",
        ));
    }
    councils::save_draft(&state.db, existing, ic.item.id, me.id, content).await?;
    item_detail(&state, &user, ic).await.map(web::Json)
}

/// Recomputes the item's result from the submitted sheets of the present scorers.
async fn refresh_result(
    txn: &DatabaseTransaction,
    item: session_item::Model,
    scorers: &[Uuid],
) -> ApiResult<session_item::Model> {
    let sheets = councils::sheets(txn, vec![item.id]).await?;
    let refs: Vec<&sheet::Model> = sheets.iter().collect();
    let result = if submitted(&refs, scorers) {
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
    (status = 409, description = "Already submitted (and no divergence), finalized, or no quorum", body = crate::error::Problem, content_type = "application/problem+json"),
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
    let me = check_scoring(&ic)?;
    let existing = councils::find_sheet(&state.db, ic.item.id, me.id).await?;
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
    if let Some(sheet) = existing.as_ref().filter(|s| s.status == "submitted") {
        let sheets = councils::sheets(&state.db, vec![ic.item.id]).await?;
        let all_in = submitted(&sheets.iter().collect::<Vec<_>>(), &ic.ctx.scorers());
        if !(all_in && ic.item.divergent) {
            return Err(ApiError::conflict(
                "Phiếu đã nộp; chỉ chấm lại khi điểm các thành viên chênh lệch quá 10 điểm.",
                "Already submitted; a revision is possible only when members' totals differ by more than 10 points.",
            ));
        }
        tracing::info!(sheet = %sheet.id, "revising a submitted sheet after divergence");
    }
    let scorers = ic.ctx.scorers();
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let draft = councils::save_draft(&txn, existing, ic.item.id, me.id, content).await?;
    let sent = councils::submit(&txn, draft, user.id()).await?;
    let item = councils::find_item(&txn, ic.item.id).await?.ok_or_else(ApiError::not_found)?;
    if item.status != "scoring" {
        return Err(ApiError::conflict("Kết quả vừa được chốt.", "The result was just finalized."));
    }
    let item = refresh_result(&txn, item, &scorers).await?;
    audit::record::<(), _>(&txn, &user.audit(), "sheet.submit", "score_sheet", sent.id, None, Some(&sent)).await?;
    txn.commit().await?;
    item_detail(&state, &user, ItemCtx { item, ..ic }).await.map(web::Json)
}

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
    (status = 403, description = "Not the present chair / Không phải chủ tịch hội đồng", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 409, description = "Sheets missing, or already finalized / Chưa đủ phiếu hoặc đã chốt", body = crate::error::Problem, content_type = "application/problem+json"),
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
    if ic.item.status != "scoring" {
        return Err(ApiError::conflict("Kết quả đã được chốt.", "The result is already finalized."));
    }
    if !ic.ctx.i_chair() {
        return Err(ApiError::forbidden().with_message(
            "Chỉ chủ tịch hội đồng có mặt tại phiên họp mới được chốt kết quả.",
            "Only the council's chair, present at the session, finalizes.",
        ));
    }
    let sheets = councils::sheets(&state.db, vec![ic.item.id]).await?;
    let note = body.discussion_note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
    let everyone = submitted(&sheets.iter().collect::<Vec<_>>(), &ic.ctx.scorers());
    check_finalize(everyone, ic.item.divergent, note.is_some()).map_err(|e| match e {
        FinalizeError::SheetsMissing => {
            ApiError::conflict("Chưa đủ phiếu chấm của các thành viên có mặt.", e.to_string())
        }
        FinalizeError::DiscussionRequired => ApiError::invalid_field(
            "discussion_note",
            "required",
            "Điểm các thành viên chênh lệch quá 10 điểm: cần ghi nội dung thảo luận của hội đồng.",
            e.to_string(),
        ),
    })?;
    let level = ic.ctx.level()?;
    let outcome = rank(
        &sheets
            .iter()
            .filter(|s| ic.ctx.scorers().contains(&s.member_id))
            .map(|s| SubmittedSheet {
                total: u32::try_from(s.total).unwrap_or(0),
                failed_minimums: serde_json::from_str(&s.failed_minimums).unwrap_or_default(),
            })
            .collect::<Vec<_>>(),
    )
    .ok_or_else(|| ApiError::conflict("Chưa có phiếu chấm.", "No sheets."))?;
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
        return Err(ApiError::conflict("Kết quả vừa được chốt.", "The result was just finalized."));
    }
    let (action, at_level) = match decision {
        Decision::Forwarded => (Action::Forward, next.unwrap_or(level)),
        Decision::Ranked => (Action::Rank, level),
    };
    move_by_scoring(&txn, &user, &app, action, Some(at_level.as_str()), note).await?;
    let item = councils::find_item(&txn, ic.item.id).await?.ok_or_else(ApiError::not_found)?;
    audit::record(&txn, &user.audit(), "session_item.finalize", "session_item", item.id, Some(&ic.item), Some(&item))
        .await?;
    txn.commit().await?;
    item_detail(&state, &user, ItemCtx { item, ..ic }).await.map(web::Json)
}

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
    (status = 409, description = "Not finalized, a certificate stands, or the application moved on", body = crate::error::Problem, content_type = "application/problem+json"),
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
    if ic.item.status != "finalized" {
        return Err(ApiError::conflict("Kết quả chưa được chốt.", "The result is not finalized."));
    }
    if certificates::find_by_item(&state.db, ic.item.id).await?.is_some_and(|c| c.status == "active") {
        return Err(ApiError::conflict(
            "Đã cấp giấy chứng nhận từ kết quả này; hãy thu hồi giấy chứng nhận trước.",
            "A certificate was issued from this result; revoke it first.",
        ));
    }
    let app = applications::find(&state.db, ic.item.application_id).await?.ok_or_else(ApiError::not_found)?;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    if !councils::reopen(&txn, ic.item.id).await? {
        return Err(ApiError::conflict("Kết quả vừa thay đổi.", "The result just changed."));
    }
    move_by_scoring(&txn, &user, &app, Action::Reopen, Some(&ic.item.level), Some(body.reason.trim().to_owned()))
        .await?;
    let item = councils::find_item(&txn, ic.item.id).await?.ok_or_else(ApiError::not_found)?;
    audit::record(&txn, &user.audit(), "session_item.reopen", "session_item", item.id, Some(&ic.item), Some(&item))
        .await?;
    txn.commit().await?;
    item_detail(&state, &user, ItemCtx { item, ..ic }).await.map(web::Json)
}

/// The session's minutes / Biên bản phiên họp (.xlsx).
///
/// Three sheets: the results (average, spread, star, decision), every member's totals by part,
/// and every member's choice for every criterion. Blind scoring applies: a product's sheets
/// appear once the caller may see them.
#[utoipa::path(operation_id = "session_minutes", tag = "councils", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Session id")), responses(
    (status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
))]
#[get("/sessions/{id}/minutes")]
pub async fn minutes(state: web::Data<AppState>, user: AuthUser, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let ctx = Ctx::load(&state, &user, id.into_inner()).await?;
    let items = councils::items(&state.db, ctx.session.id).await?;
    let sheets = councils::sheets(&state.db, items.iter().map(|i| i.id).collect()).await?;
    let products: HashMap<Uuid, (String, String)> =
        products::find_many(&state.db, items.iter().map(|i| i.product_id).collect())
            .await?
            .into_iter()
            .map(|p| (p.id, (p.code, p.name)))
            .collect();
    let mut sets: HashMap<Uuid, CriteriaSet> = HashMap::new();
    for item in &items {
        if let std::collections::hash_map::Entry::Vacant(e) = sets.entry(item.criteria_set_id)
            && let Some(row) = criteria_sets::find(&state.db, item.criteria_set_id).await?
        {
            e.insert(criteria_sets::parse(&row)?);
        }
    }
    let name_of = |member_id: Uuid| {
        ctx.members
            .iter()
            .find(|(m, _)| m.id == member_id)
            .map(|(m, u)| (u.as_ref().map(|u| u.display_name.clone()).unwrap_or_default(), m.role.clone()))
            .unwrap_or_default()
    };
    let mut results = Vec::new();
    let mut totals = Vec::new();
    let mut choices = Vec::new();
    for item in &items {
        let (code, name) = products.get(&item.product_id).cloned().unwrap_or_default();
        let result = result_dto(item);
        results.push(vec![
            Cell::from(code.clone()),
            name.clone().into(),
            result.as_ref().map(|r| Cell::Number(r.average)).unwrap_or(Cell::Empty),
            item.spread.map(Cell::from).unwrap_or(Cell::Empty),
            match (&result, item.star) {
                (Some(_), Some(star)) => Cell::from(format!("{star} sao")),
                (Some(_), None) => "Không xếp hạng".into(),
                _ => Cell::Empty,
            },
            item.decision.as_deref().map(|d| if d == "forwarded" { "Chuyển cấp trên" } else { "Xếp hạng" }).into(),
            (if item.status == "finalized" { "Đã chốt" } else { "Đang chấm" }).into(),
            item.discussion_note.clone().into(),
        ]);
        let mine: Vec<&sheet::Model> = sheets.iter().filter(|s| s.item_id == item.id).collect();
        if !may_see_others(&ctx, item, &mine) {
            continue;
        }
        let set = sets.get(&item.criteria_set_id);
        for s in mine.iter().filter(|s| s.status == "submitted") {
            let (member, role) = name_of(s.member_id);
            totals.push(vec![
                Cell::from(code.clone()),
                name.clone().into(),
                member.clone().into(),
                role.clone().into(),
                s.part_a.into(),
                s.part_b.into(),
                s.part_c.into(),
                s.total.into(),
                s.revision.into(),
                s.submitted_at.map(|t| t.format("%d/%m/%Y %H:%M").to_string()).into(),
                s.comment.clone().into(),
            ]);
            let answers: BTreeMap<String, String> = serde_json::from_str(&s.answers).unwrap_or_default();
            for (_, criterion) in set.iter().flat_map(|set| set.criteria()) {
                let option = answers.get(&criterion.code).and_then(|o| criterion.options.iter().find(|x| &x.code == o));
                choices.push(vec![
                    Cell::from(code.clone()),
                    member.clone().into(),
                    criterion.code.clone().into(),
                    criterion.text.clone().into(),
                    option.map(|o| o.text.clone()).into(),
                    option.map(|o| Cell::from(i64::from(o.points))).unwrap_or(Cell::Empty),
                ]);
            }
        }
    }
    let body = xlsx(&[
        Table {
            sheet: "Ket qua",
            headers: &[
                "Mã sản phẩm",
                "Tên sản phẩm",
                "Điểm trung bình",
                "Chênh lệch",
                "Hạng sao",
                "Quyết định",
                "Tình trạng",
                "Nội dung thảo luận",
            ],
            rows: results,
        },
        Table {
            sheet: "Tong diem",
            headers: &[
                "Mã sản phẩm",
                "Tên sản phẩm",
                "Thành viên",
                "Vai trò",
                "Phần A",
                "Phần B",
                "Phần C",
                "Tổng điểm",
                "Lần nộp",
                "Thời điểm nộp",
                "Ý kiến",
            ],
            rows: totals,
        },
        Table {
            sheet: "Phieu cham",
            headers: &["Mã sản phẩm", "Thành viên", "Mã tiêu chí", "Tiêu chí", "Lựa chọn", "Điểm"],
            rows: choices,
        },
    ])?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, XLSX))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"bien-ban-{}.xlsx\"", ctx.session.held_on.format("%Y%m%d")),
        ))
        .body(body))
}
