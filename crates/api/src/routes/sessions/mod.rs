//! Evaluation sessions: attendance, the products on the session, members' score sheets (blind
//! until one's own is submitted), results, finalization by the chair, admin reopen, minutes.
//! The rules — who scores, chairs and keeps attendance, quorum, revisions, finalization — are
//! `ocop_domain::session`'s; these handlers load the facts, ask it, store and shape.

pub mod attendance;
pub mod finalize;
pub mod items;
pub mod minutes;
pub mod reopen;
pub mod sheet;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use ocop_domain::access::{check_certify, check_reopen};
use ocop_domain::council::{CouncilLevel, Decision, MemberRole};
use ocop_domain::criteria::CriteriaSet;
use ocop_domain::scoring::{Centipoints, Star};
use ocop_domain::session::{ItemFacts, ItemStatus, Permissions, Seat, SheetStatus, Sitting, permissions};
use ocop_persistence::entities::{evaluation_session, score_sheet, session_attendance, session_item};
use ocop_persistence::{certificates, councils, criteria_sets, products};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::dto::{Council, CriteriaSetDetail, Member, ProductRef, Session};
use crate::error::{ApiError, ApiResult};
use crate::guard::CouncilSeat;
use crate::state::AppState;

/// Everything about a session the rules need, loaded once the caller may see it.
struct Ctx {
    seat: CouncilSeat,
    session: evaluation_session::Model,
    members: Vec<councils::MemberWithUser>,
    seats: Vec<Seat>,
}

impl Ctx {
    async fn load(state: &AppState, user: &AuthUser, session_id: Uuid) -> ApiResult<Self> {
        let session = councils::find_session(&state.db, session_id).await?.ok_or_else(ApiError::not_found)?;
        let seat = crate::guard::council(state, user, session.council_id).await?;
        let members = councils::members(&state.db, seat.council.id).await?;
        let attendance = councils::attendance(&state.db, session.id).await?;
        let seats = seats(&members, &attendance)?;
        Ok(Self { seat, session, members, seats })
    }

    /// The session as the caller sees it, for the domain's rules.
    fn sitting(&self) -> Sitting<'_> {
        Sitting { seats: &self.seats, me: self.seat.member.as_ref().map(|m| m.id), manages: self.seat.can_manage }
    }

    fn present(&self, member_id: Uuid) -> bool {
        self.seats.iter().any(|s| s.member == member_id && s.present)
    }

    fn level(&self) -> ApiResult<CouncilLevel> {
        self.seat.council.level.parse().map_err(ApiError::internal)
    }
}

/// Members' seats with their recorded presence (the stored role parsed once, here).
fn seats(members: &[councils::MemberWithUser], attendance: &[session_attendance::Model]) -> ApiResult<Vec<Seat>> {
    members
        .iter()
        .map(|(m, _)| {
            let role: MemberRole = m.role.parse().map_err(ApiError::internal)?;
            let present = attendance.iter().any(|a| a.member_id == m.id && a.present);
            Ok(Seat { member: m.id, role, present })
        })
        .collect()
}

fn item_status(item: &session_item::Model) -> ApiResult<ItemStatus> {
    item.status.parse().map_err(ApiError::internal)
}

fn sheet_status(s: &score_sheet::Model) -> ApiResult<SheetStatus> {
    s.status.parse().map_err(ApiError::internal)
}

/// Each member's sheet state on one item.
fn sheet_states(item: &session_item::Model, sheets: &[score_sheet::Model]) -> ApiResult<Vec<(Uuid, SheetStatus)>> {
    sheets.iter().filter(|s| s.item_id == item.id).map(|s| Ok((s.member_id, sheet_status(s)?))).collect()
}

fn facts<'a>(item: &session_item::Model, states: &'a [(Uuid, SheetStatus)]) -> ApiResult<ItemFacts<'a>> {
    Ok(ItemFacts { status: item_status(item)?, divergent: item.divergent, sheets: states })
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
    "product": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e90", "code": "22-000-06970-002-2026", "name": "Trà hoa vàng Ba Chẽ"},
    "criteria_set_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c01", "level": "province", "status": "scoring", "all_submitted": false, "result": null,
    "cells": [{"member_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d11", "state": "submitted", "total": null, "revision": 1}], "certificate_id": null, "can_certify": false}))]
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
    /// The caller may issue a certificate from this result now (a finalized, ranked result
    /// of a star this council's level recognises, none issued yet, a certifying officer).
    pub can_certify: bool,
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
    "product": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e90", "code": "22-000-06970-002-2026", "name": "Trà hoa vàng Ba Chẽ"},
    "criteria_set_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c01", "level": "province", "status": "scoring", "all_submitted": false, "result": null,
    "cells": [{"member_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d11", "state": "submitted", "total": null, "revision": 1}], "certificate_id": null, "can_certify": false}],
    "my_member_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d11", "i_score": true, "i_chair": true, "can_manage": false, "can_keep_attendance": false}))]
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
    /// The caller sets up this council's sessions (places products on them).
    pub can_manage: bool,
    /// The caller may record attendance now (the chair, the secretary or a manager, before
    /// the first sheet is started).
    pub can_keep_attendance: bool,
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
    "product": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e90", "code": "22-000-06970-002-2026", "name": "Trà hoa vàng Ba Chẽ"},
    "criteria_set_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c01", "level": "province", "status": "scoring", "all_submitted": false, "result": null,
    "cells": [{"member_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d11", "state": "submitted", "total": null, "revision": 1}], "certificate_id": null, "can_certify": false},
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

fn sheet_dto(s: &score_sheet::Model, ctx: &Ctx, set: Option<&CriteriaSet>) -> Sheet {
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

/// Whether the caller may issue a certificate from this item's result now.
fn may_certify(state: &AppState, user: &AuthUser, item: &session_item::Model, certified: bool) -> bool {
    let ranked = item.decision.as_deref().and_then(|d| d.parse::<Decision>().ok()) == Some(Decision::Ranked);
    let star = item.star.and_then(|s| u8::try_from(s).ok()).map(Star);
    let level = item.level.parse::<CouncilLevel>().ok();
    !certified
        && ranked
        && item_status(item).is_ok_and(|s| s == ItemStatus::Finalized)
        && star.zip(level).is_some_and(|(star, level)| state.council_rules.certifies(level, star))
        && check_certify(&user.actor()).is_ok()
}

async fn item_dtos(
    state: &AppState,
    user: &AuthUser,
    ctx: &Ctx,
    items: Vec<session_item::Model>,
    sheets: &[score_sheet::Model],
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
    let sitting = ctx.sitting();
    let scorers = sitting.scorers();
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let states = sheet_states(&item, sheets)?;
        let facts = facts(&item, &states)?;
        let visible = permissions(&sitting, &facts, false).see_others;
        let own = sitting.me;
        let mine: Vec<&score_sheet::Model> = sheets.iter().filter(|s| s.item_id == item.id).collect();
        let cells = scorers
            .iter()
            .map(|m| {
                let found = mine.iter().find(|s| s.member_id == *m);
                BoardCell {
                    member_id: *m,
                    state: found.map_or("none".to_owned(), |s| s.status.clone()),
                    total: found.filter(|_| visible || own == Some(*m)).map(|s| s.total),
                    revision: found.map_or(0, |s| s.revision),
                }
            })
            .collect();
        let certificate_id = certificates.get(&item.id).copied();
        out.push(Item {
            can_certify: may_certify(state, user, &item, certificate_id.is_some()),
            certificate_id,
            all_submitted: facts.all_submitted(&sitting),
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

async fn board(state: &AppState, user: &AuthUser, ctx: Ctx) -> ApiResult<SessionBoard> {
    let items = councils::items(&state.db, ctx.session.id).await?;
    let sheets = councils::sheets(&state.db, items.iter().map(|i| i.id).collect()).await?;
    let item_dtos = item_dtos(state, user, &ctx, items, &sheets).await?;
    let sitting = ctx.sitting();
    let quorum = sitting.quorum();
    let members = ctx
        .members
        .iter()
        .map(|mu| Attendee { member: Member::from(mu.clone()), present: ctx.present(mu.0.id) })
        .collect();
    Ok(SessionBoard {
        session: Session::from(ctx.session.clone()),
        council: crate::dto::council(state, ctx.seat.council.clone()).await?,
        members,
        quorum_met: quorum.is_ok(),
        quorum_message_vi: quorum.err().map(|e| ApiError::from(e).problem().message_vi),
        quorum_message_en: quorum.err().map(|e| e.to_string()),
        items: item_dtos,
        my_member_id: sitting.me,
        i_score: sitting.i_score(),
        i_chair: sitting.i_chair(),
        can_manage: ctx.seat.can_manage,
        can_keep_attendance: sitting.check_attendance(!sheets.is_empty()).is_ok(),
    })
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

    /// The item's sheets, their states and what the caller may do.
    async fn sheets(&self, state: &AppState) -> ApiResult<(Vec<score_sheet::Model>, Vec<(Uuid, SheetStatus)>)> {
        let sheets = councils::sheets(&state.db, vec![self.item.id]).await?;
        let states = sheet_states(&self.item, &sheets)?;
        Ok((sheets, states))
    }
}

async fn item_detail(state: &AppState, user: &AuthUser, ic: ItemCtx) -> ApiResult<ItemDetail> {
    let (sheets, states) = ic.sheets(state).await?;
    let sitting = ic.ctx.sitting();
    let may: Permissions = permissions(&sitting, &facts(&ic.item, &states)?, check_reopen(&user.actor()).is_ok());
    let see_others = may.see_others;
    let me = sitting.me;
    let my_sheet = sheets.iter().find(|s| Some(s.member_id) == me).map(|s| sheet_dto(s, &ic.ctx, Some(&ic.set)));
    let others = if see_others {
        sheets.iter().filter(|s| Some(s.member_id) != me).map(|s| sheet_dto(s, &ic.ctx, Some(&ic.set))).collect()
    } else {
        Vec::new()
    };
    let revisions = councils::revisions(&state.db, ic.item.id)
        .await?
        .into_iter()
        .filter(|r| see_others || Some(r.member_id) == me)
        .map(|r| Revision {
            member_id: r.member_id,
            revision: r.revision,
            total: r.total,
            submitted_at: r.submitted_at,
        })
        .collect();
    let set_detail =
        CriteriaSetDetail { summary: crate::dto::criteria_set_summary(&ic.set_row, &ic.set), set: ic.set.clone() };
    let item =
        item_dtos(state, user, &ic.ctx, vec![ic.item.clone()], &sheets).await?.pop().ok_or_else(ApiError::not_found)?;
    Ok(ItemDetail {
        item,
        criteria_set: set_detail,
        my_sheet,
        sheets: others,
        revisions,
        can_score: may.score,
        can_revise: may.revise,
        can_finalize: may.finalize,
        can_reopen: may.reopen,
    })
}
