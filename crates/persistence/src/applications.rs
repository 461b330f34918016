//! Applications (a product in a cycle), their history of moves, and their dossier documents.

use chrono::{NaiveDate, Utc};
use ocop_domain::access::Visibility;
use ocop_domain::dossier::Review;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::admin_units::prefix;
use crate::entities::application::{ActiveModel, Column, Entity, Model};
use crate::entities::{application_event as event, cycle_stage, document, product};
use crate::paging::{Paged, Paging, fetch_page};
use crate::subjects::{visibility_condition, words_condition};

#[derive(Debug, Clone)]
pub struct Filter {
    pub visibility: Visibility,
    pub cycle_id: Option<Uuid>,
    pub status: Option<String>,
    pub stage: Option<String>,
    pub area_path: Option<String>,
    pub subject_id: Option<Uuid>,
    pub product_id: Option<Uuid>,
    pub group_code: Option<String>,
    /// Folded words matched in the product's name and code.
    pub q: Option<String>,
    /// Only applications past the deadline of their current stage on this day.
    pub overdue_on: Option<NaiveDate>,
    /// Only applications with a current document awaiting review.
    pub awaiting_review: bool,
}

impl Filter {
    pub fn new(visibility: Visibility) -> Self {
        Self {
            visibility,
            cycle_id: None,
            status: None,
            stage: None,
            area_path: None,
            subject_id: None,
            product_id: None,
            group_code: None,
            q: None,
            overdue_on: None,
            awaiting_review: false,
        }
    }
}

fn condition(filter: &Filter) -> Condition {
    let mut cond = match filter.visibility {
        Visibility::Agenda(user_id) => crate::councils::on_user_agenda(user_id),
        ref other => visibility_condition(other, (Entity, Column::SubjectId), (Entity, Column::AreaPath)),
    };
    if let Some(cycle) = filter.cycle_id {
        cond = cond.add(Column::CycleId.eq(cycle));
    }
    if let Some(status) = &filter.status {
        cond = cond.add(Column::Status.eq(status.as_str()));
    }
    if let Some(stage) = &filter.stage {
        cond = cond.add(Column::Stage.eq(stage.as_str()));
    }
    if let Some(path) = &filter.area_path {
        cond = cond.add(Column::AreaPath.like(prefix(path)));
    }
    if let Some(subject) = filter.subject_id {
        cond = cond.add(Column::SubjectId.eq(subject));
    }
    if let Some(product) = filter.product_id {
        cond = cond.add(Column::ProductId.eq(product));
    }
    if let Some(group) = &filter.group_code {
        cond = cond.add(Column::GroupCode.eq(group.as_str()));
    }
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        let mut sub = Query::select();
        sub.column(product::Column::Id).from(product::Entity).cond_where(words_condition(
            q,
            &[
                Expr::col((product::Entity, product::Column::NameFolded)),
                Expr::col((product::Entity, product::Column::Code)),
            ],
        ));
        cond = cond.add(Column::ProductId.in_subquery(sub.to_owned()));
    }
    if let Some(today) = filter.overdue_on {
        let overdue = Query::select()
            .expr(Expr::val(1))
            .from(cycle_stage::Entity)
            .and_where(Expr::col((cycle_stage::Entity, cycle_stage::Column::CycleId)).equals((Entity, Column::CycleId)))
            .and_where(Expr::col((cycle_stage::Entity, cycle_stage::Column::Stage)).equals((Entity, Column::Stage)))
            .and_where(Expr::col((cycle_stage::Entity, cycle_stage::Column::Deadline)).lt(today))
            .to_owned();
        cond = cond.add(Expr::exists(overdue));
    }
    if filter.awaiting_review {
        let pending = Query::select()
            .expr(Expr::val(1))
            .from(document::Entity)
            .and_where(Expr::col((document::Entity, document::Column::ApplicationId)).equals((Entity, Column::Id)))
            .and_where(Expr::col((document::Entity, document::Column::SupersededAt)).is_null())
            .and_where(Expr::col((document::Entity, document::Column::Review)).eq(Review::Pending.as_str()))
            .to_owned();
        cond = cond.add(Expr::exists(pending));
    }
    cond
}

pub async fn list(db: &impl ConnectionTrait, filter: &Filter, paging: Paging) -> Result<Paged<Model>, DbErr> {
    fetch_page(db, Entity::find().filter(condition(filter)), paging, |q| {
        q.order_by_asc(Column::StatusChangedAt).order_by_asc(Column::Id)
    })
    .await
}

/// Applications per (commune path, status) for the filter: the progress view's one query.
pub async fn counts_by_area_and_status(
    db: &impl ConnectionTrait,
    filter: &Filter,
) -> Result<Vec<(String, String, i64)>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::AreaPath)
        .column(Column::Status)
        .column_as(Expr::col(Column::Id).count(), "n")
        .filter(condition(filter))
        .group_by(Column::AreaPath)
        .group_by(Column::Status)
        .into_tuple()
        .all(db)
        .await
}

/// Applications per (subject, status) for the given subjects.
pub async fn counts_by_subject_and_status(
    db: &impl ConnectionTrait,
    filter: &Filter,
    subject_ids: Vec<Uuid>,
) -> Result<Vec<(Uuid, String, i64)>, DbErr> {
    if subject_ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find()
        .select_only()
        .column(Column::SubjectId)
        .column(Column::Status)
        .column_as(Expr::col(Column::Id).count(), "n")
        .filter(condition(filter))
        .filter(Column::SubjectId.is_in(subject_ids))
        .group_by(Column::SubjectId)
        .group_by(Column::Status)
        .into_tuple()
        .all(db)
        .await
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

pub async fn find_for(db: &impl ConnectionTrait, cycle_id: Uuid, product_id: Uuid) -> Result<Option<Model>, DbErr> {
    Entity::find().filter(Column::CycleId.eq(cycle_id)).filter(Column::ProductId.eq(product_id)).one(db).await
}

/// The product's most recent application (the dossier to carry forward).
pub async fn latest_for_product(db: &impl ConnectionTrait, product_id: Uuid) -> Result<Option<Model>, DbErr> {
    Entity::find().filter(Column::ProductId.eq(product_id)).order_by_desc(Column::CreatedAt).one(db).await
}

pub async fn by_product(db: &impl ConnectionTrait, product_id: Uuid) -> Result<Vec<Model>, DbErr> {
    Entity::find().filter(Column::ProductId.eq(product_id)).order_by_desc(Column::CreatedAt).all(db).await
}

pub struct NewApplication {
    pub cycle_id: Uuid,
    pub product: product::Model,
    pub status: String,
    pub stage: String,
    pub dossier_version: i32,
    pub previous_application_id: Option<Uuid>,
}

pub async fn insert(db: &impl ConnectionTrait, new: NewApplication) -> Result<Model, DbErr> {
    let now = Utc::now();
    ActiveModel {
        id: Set(crate::new_id()),
        cycle_id: Set(new.cycle_id),
        product_id: Set(new.product.id),
        subject_id: Set(new.product.subject_id),
        area_path: Set(new.product.area_path),
        group_code: Set(new.product.group_code),
        is_service: Set(new.product.is_service),
        status: Set(new.status),
        stage: Set(new.stage),
        dossier_version: Set(new.dossier_version),
        previous_application_id: Set(new.previous_application_id),
        returned_reason: Set(None),
        evaluation_level: Set(None),
        status_changed_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// Moves an application to `status` (and `stage`), only if it is still in the status it was
/// read in: of two concurrent moves, the one that comes second changes nothing and gets
/// `None`, on any database and isolation level.
pub async fn move_status(
    db: &impl ConnectionTrait,
    application: Model,
    status: &str,
    stage: &str,
    returned_reason: Option<String>,
) -> Result<Option<Model>, DbErr> {
    let now = Utc::now();
    let moved = Entity::update_many()
        .col_expr(Column::Status, Expr::value(status))
        .col_expr(Column::Stage, Expr::value(stage))
        .col_expr(Column::ReturnedReason, Expr::value(returned_reason.clone()))
        .col_expr(Column::StatusChangedAt, Expr::value(now))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(application.id))
        .filter(Column::Status.eq(application.status.as_str()))
        .exec(db)
        .await?;
    Ok((moved.rows_affected == 1).then(|| Model {
        status: status.to_owned(),
        stage: stage.to_owned(),
        returned_reason,
        status_changed_at: now,
        updated_at: now,
        ..application
    }))
}

/// Who moves an application: recorded in its history and in the audit trail.
#[derive(Debug, Clone, Copy)]
pub struct Mover<'a> {
    pub audit: &'a crate::audit::AuditContext,
    pub id: Uuid,
    pub name: &'a str,
}

/// The write step every move shares, after the conditional status update: the history event
/// (`action`, from → to, note) and the audit entry with both states.
pub async fn record_move(
    db: &impl ConnectionTrait,
    by: Mover<'_>,
    action: &str,
    before: &Model,
    after: &Model,
    note: Option<String>,
) -> Result<(), DbErr> {
    record_event(
        db,
        NewEvent {
            application_id: after.id,
            action,
            from_status: Some(&before.status),
            to_status: &after.status,
            note,
            actor_id: Some(by.id),
            actor_name: Some(by.name.to_owned()),
        },
    )
    .await?;
    crate::audit::record(
        db,
        by.audit,
        &format!("application.{action}"),
        "application",
        after.id,
        Some(before),
        Some(after),
    )
    .await?;
    Ok(())
}

pub struct NewEvent<'a> {
    pub application_id: Uuid,
    pub action: &'a str,
    pub from_status: Option<&'a str>,
    pub to_status: &'a str,
    pub note: Option<String>,
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
}

pub async fn record_event(db: &impl ConnectionTrait, e: NewEvent<'_>) -> Result<event::Model, DbErr> {
    event::ActiveModel {
        id: Set(crate::new_id()),
        application_id: Set(e.application_id),
        action: Set(e.action.to_owned()),
        from_status: Set(e.from_status.map(str::to_owned)),
        to_status: Set(e.to_status.to_owned()),
        note: Set(e.note),
        actor_id: Set(e.actor_id),
        actor_name: Set(e.actor_name),
        occurred_at: Set(Utc::now()),
    }
    .insert(db)
    .await
}

pub async fn events(db: &impl ConnectionTrait, application_id: Uuid) -> Result<Vec<event::Model>, DbErr> {
    event::Entity::find()
        .filter(event::Column::ApplicationId.eq(application_id))
        .order_by_asc(event::Column::OccurredAt)
        .order_by_asc(event::Column::Id)
        .all(db)
        .await
}

/// Current (not superseded) documents of an application's dossier.
pub async fn current_documents(db: &impl ConnectionTrait, application_id: Uuid) -> Result<Vec<document::Model>, DbErr> {
    document::Entity::find()
        .filter(document::Column::ApplicationId.eq(application_id))
        .filter(document::Column::SupersededAt.is_null())
        .order_by_asc(document::Column::UploadedAt)
        .all(db)
        .await
}

/// Every document of the dossier, replaced ones included (the file history).
pub async fn all_documents(db: &impl ConnectionTrait, application_id: Uuid) -> Result<Vec<document::Model>, DbErr> {
    document::Entity::find()
        .filter(document::Column::ApplicationId.eq(application_id))
        .order_by_asc(document::Column::UploadedAt)
        .all(db)
        .await
}

pub async fn find_document(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<document::Model>, DbErr> {
    document::Entity::find_by_id(id).one(db).await
}

pub struct NewDocument {
    pub application_id: Uuid,
    pub kind_id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
    pub uploaded_by: Option<Uuid>,
    pub carried_from_id: Option<Uuid>,
}

pub async fn insert_document(db: &impl ConnectionTrait, d: NewDocument) -> Result<document::Model, DbErr> {
    document::ActiveModel {
        id: Set(crate::new_id()),
        application_id: Set(d.application_id),
        kind_id: Set(d.kind_id),
        file_name: Set(d.file_name),
        content_type: Set(d.content_type),
        size_bytes: Set(d.size_bytes),
        sha256: Set(d.sha256),
        storage_key: Set(d.storage_key),
        review: Set(Review::Pending.as_str().to_owned()),
        review_comment: Set(None),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        uploaded_by: Set(d.uploaded_by),
        uploaded_at: Set(Utc::now()),
        carried_from_id: Set(d.carried_from_id),
        superseded_at: Set(None),
    }
    .insert(db)
    .await
}

pub async fn supersede(db: &impl ConnectionTrait, doc: document::Model) -> Result<document::Model, DbErr> {
    let mut active: document::ActiveModel = doc.into();
    active.superseded_at = Set(Some(Utc::now()));
    active.update(db).await
}

pub async fn review_document(
    db: &impl ConnectionTrait,
    doc: document::Model,
    review: &str,
    comment: Option<String>,
    reviewer: Uuid,
) -> Result<document::Model, DbErr> {
    let mut active: document::ActiveModel = doc.into();
    active.review = Set(review.to_owned());
    active.review_comment = Set(comment);
    active.reviewed_by = Set(Some(reviewer));
    active.reviewed_at = Set(Some(Utc::now()));
    active.update(db).await
}
