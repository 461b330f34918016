//! Councils, their members, evaluation sessions with attendance, the products placed on a
//! session (items) with their results, and members' score sheets with every submitted
//! revision.

use chrono::{DateTime, NaiveDate, Utc};
use ocop_domain::cycle::ApplicationStatus;
use ocop_domain::session::ItemStatus;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::admin_units::prefix;
use crate::entities::{
    application, council, council_member as member, evaluation_session as session, score_sheet as sheet,
    score_sheet_revision as revision, session_attendance as attendance, session_item as item, user,
};

pub async fn list(
    db: &impl ConnectionTrait,
    cycle_id: Option<Uuid>,
    only_ids: Option<Vec<Uuid>>,
) -> Result<Vec<council::Model>, DbErr> {
    let mut query = council::Entity::find();
    if let Some(cycle) = cycle_id {
        query = query.filter(council::Column::CycleId.eq(cycle));
    }
    if let Some(ids) = only_ids {
        query = query.filter(council::Column::Id.is_in(ids));
    }
    query.order_by_desc(council::Column::DecisionDate).order_by_asc(council::Column::Name).all(db).await
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<council::Model>, DbErr> {
    council::Entity::find_by_id(id).one(db).await
}

pub struct NewCouncil {
    pub level: String,
    pub area_unit_id: Uuid,
    pub area_path: String,
    pub cycle_id: Uuid,
    pub name: String,
    pub decision_number: String,
    pub decision_date: NaiveDate,
}

pub async fn insert(db: &impl ConnectionTrait, new: NewCouncil) -> Result<council::Model, DbErr> {
    let now = Utc::now();
    council::ActiveModel {
        id: Set(crate::new_id()),
        level: Set(new.level),
        area_unit_id: Set(new.area_unit_id),
        area_path: Set(new.area_path),
        cycle_id: Set(new.cycle_id),
        name: Set(new.name),
        decision_number: Set(new.decision_number),
        decision_date: Set(new.decision_date),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// A member with the account they score under.
pub type MemberWithUser = (member::Model, Option<user::Model>);

pub async fn members(db: &impl ConnectionTrait, council_id: Uuid) -> Result<Vec<MemberWithUser>, DbErr> {
    member::Entity::find()
        .filter(member::Column::CouncilId.eq(council_id))
        .order_by_asc(member::Column::CreatedAt)
        .find_also_related(user::Entity)
        .all(db)
        .await
}

pub async fn find_member(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<member::Model>, DbErr> {
    member::Entity::find_by_id(id).one(db).await
}

pub async fn member_of(
    db: &impl ConnectionTrait,
    council_id: Uuid,
    user_id: Uuid,
) -> Result<Option<member::Model>, DbErr> {
    member::Entity::find()
        .filter(member::Column::CouncilId.eq(council_id))
        .filter(member::Column::UserId.eq(user_id))
        .one(db)
        .await
}

/// The councils a user sits on.
pub async fn councils_of_user(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<Uuid>, DbErr> {
    Ok(member::Entity::find()
        .filter(member::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.council_id)
        .collect())
}

pub async fn insert_member(
    db: &impl ConnectionTrait,
    council_id: Uuid,
    user_id: Uuid,
    role: &str,
    organisation: Option<String>,
) -> Result<member::Model, DbErr> {
    member::ActiveModel {
        id: Set(crate::new_id()),
        council_id: Set(council_id),
        user_id: Set(user_id),
        role: Set(role.to_owned()),
        organisation: Set(organisation),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await
}

/// Whether the member has been recorded at any session (then the member stays, for history).
pub async fn member_has_sat(db: &impl ConnectionTrait, member_id: Uuid) -> Result<bool, DbErr> {
    Ok(attendance::Entity::find().filter(attendance::Column::MemberId.eq(member_id)).one(db).await?.is_some())
}

pub async fn delete_member(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    member::Entity::delete_by_id(id).exec(db).await.map(|_| ())
}

pub async fn sessions(db: &impl ConnectionTrait, council_id: Uuid) -> Result<Vec<session::Model>, DbErr> {
    session::Entity::find()
        .filter(session::Column::CouncilId.eq(council_id))
        .order_by_desc(session::Column::HeldOn)
        .all(db)
        .await
}

pub async fn find_session(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<session::Model>, DbErr> {
    session::Entity::find_by_id(id).one(db).await
}

pub async fn find_sessions(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<Vec<session::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    session::Entity::find().filter(session::Column::Id.is_in(ids)).all(db).await
}

pub async fn insert_session(
    db: &impl ConnectionTrait,
    council_id: Uuid,
    held_on: NaiveDate,
    place: Option<String>,
) -> Result<session::Model, DbErr> {
    session::ActiveModel {
        id: Set(crate::new_id()),
        council_id: Set(council_id),
        held_on: Set(held_on),
        place: Set(place),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await
}

pub async fn attendance(db: &impl ConnectionTrait, session_id: Uuid) -> Result<Vec<attendance::Model>, DbErr> {
    attendance::Entity::find().filter(attendance::Column::SessionId.eq(session_id)).all(db).await
}

/// Replaces the session's attendance with `present` for every member listed.
pub async fn set_attendance(db: &impl ConnectionTrait, session_id: Uuid, seats: &[(Uuid, bool)]) -> Result<(), DbErr> {
    attendance::Entity::delete_many().filter(attendance::Column::SessionId.eq(session_id)).exec(db).await?;
    for (member_id, present) in seats {
        attendance::ActiveModel {
            id: Set(crate::new_id()),
            session_id: Set(session_id),
            member_id: Set(*member_id),
            present: Set(*present),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Applications waiting for a council: submitted ones at the entry level, forwarded ones at
/// the level they were forwarded to; same cycle, inside the council's area.
pub async fn queue(
    db: &impl ConnectionTrait,
    council: &council::Model,
    is_entry_level: bool,
) -> Result<Vec<application::Model>, DbErr> {
    let mut waiting = Condition::any().add(
        Condition::all()
            .add(application::Column::Status.eq(ApplicationStatus::Forwarded.as_str()))
            .add(application::Column::EvaluationLevel.eq(council.level.as_str())),
    );
    if is_entry_level {
        waiting = waiting.add(application::Column::Status.eq(ApplicationStatus::SubmittedForEvaluation.as_str()));
    }
    application::Entity::find()
        .filter(application::Column::CycleId.eq(council.cycle_id))
        .filter(application::Column::AreaPath.like(prefix(&council.area_path)))
        .filter(waiting)
        .order_by_asc(application::Column::StatusChangedAt)
        .all(db)
        .await
}

pub async fn items(db: &impl ConnectionTrait, session_id: Uuid) -> Result<Vec<item::Model>, DbErr> {
    item::Entity::find()
        .filter(item::Column::SessionId.eq(session_id))
        .order_by_asc(item::Column::CreatedAt)
        .order_by_asc(item::Column::Id)
        .all(db)
        .await
}

pub async fn find_item(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<item::Model>, DbErr> {
    item::Entity::find_by_id(id).one(db).await
}

/// Every evaluation of a product, newest first (its star history).
pub async fn items_of_product(db: &impl ConnectionTrait, product_id: Uuid) -> Result<Vec<item::Model>, DbErr> {
    item::Entity::find()
        .filter(item::Column::ProductId.eq(product_id))
        .order_by_desc(item::Column::CreatedAt)
        .all(db)
        .await
}

/// Whether an application sits on a session of one of these councils (a council member may
/// read exactly those applications).
pub async fn on_agenda_of(
    db: &impl ConnectionTrait,
    application_id: Uuid,
    council_ids: Vec<Uuid>,
) -> Result<bool, DbErr> {
    if council_ids.is_empty() {
        return Ok(false);
    }
    Ok(item::Entity::find()
        .filter(item::Column::ApplicationId.eq(application_id))
        .filter(item::Column::CouncilId.is_in(council_ids))
        .one(db)
        .await?
        .is_some())
}

/// Condition on applications: on the agenda of a council the user sits on.
pub fn on_user_agenda(user_id: Uuid) -> Condition {
    let mut councils = Query::select();
    councils.column(member::Column::CouncilId).from(member::Entity).and_where(member::Column::UserId.eq(user_id));
    let mut apps = Query::select();
    apps.column(item::Column::ApplicationId)
        .from(item::Entity)
        .and_where(Expr::col((item::Entity, item::Column::CouncilId)).in_subquery(councils));
    Condition::all().add(Expr::col((application::Entity, application::Column::Id)).in_subquery(apps))
}

pub struct NewItem {
    pub session_id: Uuid,
    pub council_id: Uuid,
    pub application_id: Uuid,
    pub product_id: Uuid,
    pub criteria_set_id: Uuid,
    pub level: String,
}

pub async fn insert_item(db: &impl ConnectionTrait, new: NewItem) -> Result<item::Model, DbErr> {
    let now = Utc::now();
    item::ActiveModel {
        id: Set(crate::new_id()),
        session_id: Set(new.session_id),
        council_id: Set(new.council_id),
        application_id: Set(new.application_id),
        product_id: Set(new.product_id),
        criteria_set_id: Set(new.criteria_set_id),
        level: Set(new.level),
        status: Set("scoring".into()),
        average_centi: Set(None),
        spread: Set(None),
        divergent: Set(false),
        star: Set(None),
        failed_minimums: Set(None),
        decision: Set(None),
        forwarded_to: Set(None),
        discussion_note: Set(None),
        finalized_at: Set(None),
        finalized_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// The live result of an item (recomputed whenever a sheet is submitted).
#[derive(Debug, Clone, Default)]
pub struct ItemResult {
    pub average_centi: Option<i32>,
    pub spread: Option<i32>,
    pub divergent: bool,
    pub star: Option<i32>,
    pub failed_minimums: Option<String>,
}

pub async fn set_result(
    db: &impl ConnectionTrait,
    found: item::Model,
    result: ItemResult,
) -> Result<item::Model, DbErr> {
    let mut active: item::ActiveModel = found.into();
    active.average_centi = Set(result.average_centi);
    active.spread = Set(result.spread);
    active.divergent = Set(result.divergent);
    active.star = Set(result.star);
    active.failed_minimums = Set(result.failed_minimums);
    active.updated_at = Set(Utc::now());
    active.update(db).await
}

pub struct Finalization {
    pub decision: String,
    pub forwarded_to: Option<String>,
    pub discussion_note: Option<String>,
    pub by: Uuid,
}

/// Marks the item finalized, only if it still is being scored (0 rows: someone else won).
pub async fn finalize(db: &impl ConnectionTrait, item_id: Uuid, f: Finalization) -> Result<bool, DbErr> {
    let now = Utc::now();
    let result = item::Entity::update_many()
        .col_expr(item::Column::Status, Expr::value("finalized"))
        .col_expr(item::Column::Decision, Expr::value(f.decision))
        .col_expr(item::Column::ForwardedTo, Expr::value(f.forwarded_to))
        .col_expr(item::Column::DiscussionNote, Expr::value(f.discussion_note))
        .col_expr(item::Column::FinalizedAt, Expr::value(now))
        .col_expr(item::Column::FinalizedBy, Expr::value(f.by))
        .col_expr(item::Column::UpdatedAt, Expr::value(now))
        .filter(item::Column::Id.eq(item_id))
        .filter(item::Column::Status.eq(ItemStatus::Scoring.as_str()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Back to scoring (admin reopen); only a finalized item. Members' sheets become drafts again
/// (their submitted revisions stay in the history) and the result is cleared until everyone
/// has submitted anew.
pub async fn reopen(db: &impl ConnectionTrait, item_id: Uuid) -> Result<bool, DbErr> {
    let result = item::Entity::update_many()
        .col_expr(item::Column::Status, Expr::value("scoring"))
        .col_expr(item::Column::Decision, Expr::value(Option::<String>::None))
        .col_expr(item::Column::ForwardedTo, Expr::value(Option::<String>::None))
        .col_expr(item::Column::FinalizedAt, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(item::Column::FinalizedBy, Expr::value(Option::<Uuid>::None))
        .col_expr(item::Column::AverageCenti, Expr::value(Option::<i32>::None))
        .col_expr(item::Column::Spread, Expr::value(Option::<i32>::None))
        .col_expr(item::Column::Star, Expr::value(Option::<i32>::None))
        .col_expr(item::Column::FailedMinimums, Expr::value(Option::<String>::None))
        .col_expr(item::Column::Divergent, Expr::value(false))
        .col_expr(item::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(item::Column::Id.eq(item_id))
        .filter(item::Column::Status.eq(ItemStatus::Finalized.as_str()))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Ok(false);
    }
    sheet::Entity::update_many()
        .col_expr(sheet::Column::Status, Expr::value("draft"))
        .filter(sheet::Column::ItemId.eq(item_id))
        .exec(db)
        .await?;
    Ok(true)
}

pub async fn sheets(db: &impl ConnectionTrait, item_ids: Vec<Uuid>) -> Result<Vec<sheet::Model>, DbErr> {
    if item_ids.is_empty() {
        return Ok(Vec::new());
    }
    sheet::Entity::find().filter(sheet::Column::ItemId.is_in(item_ids)).all(db).await
}

pub async fn find_sheet(
    db: &impl ConnectionTrait,
    item_id: Uuid,
    member_id: Uuid,
) -> Result<Option<sheet::Model>, DbErr> {
    sheet::Entity::find()
        .filter(sheet::Column::ItemId.eq(item_id))
        .filter(sheet::Column::MemberId.eq(member_id))
        .one(db)
        .await
}

/// A sheet's content as computed by the domain.
pub struct SheetContent {
    pub answers: String,
    pub comment: Option<String>,
    pub parts: [i32; 3],
    pub total: i32,
    pub failed_minimums: String,
}

/// Saves a draft, creating the sheet on first save.
pub async fn save_draft(
    db: &impl ConnectionTrait,
    existing: Option<sheet::Model>,
    item_id: Uuid,
    member_id: Uuid,
    content: SheetContent,
) -> Result<sheet::Model, DbErr> {
    let now = Utc::now();
    let is_new = existing.is_none();
    let mut active = match existing {
        Some(found) => found.into(),
        None => sheet::ActiveModel {
            id: Set(crate::new_id()),
            item_id: Set(item_id),
            member_id: Set(member_id),
            status: Set("draft".into()),
            revision: Set(0),
            submitted_at: Set(None),
            ..Default::default()
        },
    };
    active.answers = Set(content.answers);
    active.comment = Set(content.comment);
    active.part_a = Set(content.parts[0]);
    active.part_b = Set(content.parts[1]);
    active.part_c = Set(content.parts[2]);
    active.total = Set(content.total);
    active.failed_minimums = Set(content.failed_minimums);
    active.updated_at = Set(now);
    if is_new { active.insert(db).await } else { active.update(db).await }
}

/// Submits the sheet as its next revision and keeps that revision in the append-only history.
pub async fn submit(db: &impl ConnectionTrait, draft: sheet::Model, by: Uuid) -> Result<sheet::Model, DbErr> {
    let now = Utc::now();
    let next = draft.revision + 1;
    revision::ActiveModel {
        id: Set(crate::new_id()),
        sheet_id: Set(draft.id),
        item_id: Set(draft.item_id),
        member_id: Set(draft.member_id),
        revision: Set(next),
        answers: Set(draft.answers.clone()),
        comment: Set(draft.comment.clone()),
        total: Set(draft.total),
        failed_minimums: Set(draft.failed_minimums.clone()),
        submitted_by: Set(by),
        submitted_at: Set(now),
    }
    .insert(db)
    .await?;
    let mut active: sheet::ActiveModel = draft.into();
    active.status = Set("submitted".into());
    active.revision = Set(next);
    active.submitted_at = Set(Some(now));
    active.updated_at = Set(now);
    active.update(db).await
}

pub async fn revisions(db: &impl ConnectionTrait, item_id: Uuid) -> Result<Vec<revision::Model>, DbErr> {
    revision::Entity::find()
        .filter(revision::Column::ItemId.eq(item_id))
        .order_by_asc(revision::Column::SubmittedAt)
        .order_by_asc(revision::Column::Revision)
        .all(db)
        .await
}

/// Moves an application between evaluation states only if it is still in `from` (a concurrent
/// change is refused, not overwritten). Returns the updated row, or `None` if it had moved.
pub async fn move_application(
    db: &impl ConnectionTrait,
    id: Uuid,
    from: &str,
    to: &str,
    stage: &str,
    evaluation_level: Option<&str>,
) -> Result<Option<application::Model>, DbErr> {
    let now = Utc::now();
    let result = application::Entity::update_many()
        .col_expr(application::Column::Status, Expr::value(to))
        .col_expr(application::Column::Stage, Expr::value(stage))
        .col_expr(application::Column::EvaluationLevel, Expr::value(evaluation_level.map(str::to_owned)))
        .col_expr(application::Column::ReturnedReason, Expr::value(Option::<String>::None))
        .col_expr(application::Column::StatusChangedAt, Expr::value(now))
        .col_expr(application::Column::UpdatedAt, Expr::value(now))
        .filter(application::Column::Id.eq(id))
        .filter(application::Column::Status.eq(from))
        .exec(db)
        .await?;
    if result.rows_affected == 1 { application::Entity::find_by_id(id).one(db).await } else { Ok(None) }
}
