//! Webhook subscriptions, the outbox of catalog events and the delivery log. Several server
//! instances may run the delivery worker at once: a delivery is claimed by a conditional
//! update before it is sent, and fan-out skips pairs that already exist.

use chrono::{DateTime, Utc};
use ocop_domain::partner::DeliveryStatus;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::entities::{outbox_event as event, webhook_delivery as delivery, webhook_subscription as subscription};
use crate::paging::{Paged, Paging, fetch_page};

pub async fn subscriptions_of(db: &impl ConnectionTrait, partner_id: Uuid) -> Result<Vec<subscription::Model>, DbErr> {
    subscription::Entity::find()
        .filter(subscription::Column::PartnerId.eq(partner_id))
        .order_by_asc(subscription::Column::CreatedAt)
        .all(db)
        .await
}

pub async fn find_subscription(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<subscription::Model>, DbErr> {
    subscription::Entity::find_by_id(id).one(db).await
}

pub async fn save_subscription(
    db: &impl ConnectionTrait,
    row: subscription::Model,
    is_new: bool,
) -> Result<subscription::Model, DbErr> {
    let active = row.into_active_model().reset_all();
    if is_new { active.insert(db).await } else { active.update(db).await }
}

/// Writes an event unless one with the same `dedup_key` exists; true when written.
pub async fn record_event(db: &impl ConnectionTrait, row: event::Model) -> Result<bool, DbErr> {
    let inserted = event::Entity::insert(row.into_active_model())
        .on_conflict(OnConflict::column(event::Column::DedupKey).do_nothing().to_owned())
        .try_insert()
        .exec(db)
        .await?;
    Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(_)))
}

pub async fn undispatched(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<event::Model>, DbErr> {
    event::Entity::find()
        .filter(event::Column::DispatchedAt.is_null())
        .order_by_asc(event::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

pub async fn active_subscriptions(db: &impl ConnectionTrait) -> Result<Vec<subscription::Model>, DbErr> {
    subscription::Entity::find().filter(subscription::Column::Active.eq(true)).all(db).await
}

/// Creates the deliveries of an event (pairs already made are skipped) and marks it dispatched.
pub async fn dispatch(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    deliveries: Vec<delivery::Model>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if !deliveries.is_empty() {
        delivery::Entity::insert_many(deliveries.into_iter().map(IntoActiveModel::into_active_model))
            .on_conflict(
                OnConflict::columns([delivery::Column::EventId, delivery::Column::SubscriptionId])
                    .do_nothing()
                    .to_owned(),
            )
            .try_insert()
            .exec(db)
            .await?;
    }
    event::Entity::update_many()
        .col_expr(event::Column::DispatchedAt, Expr::value(now))
        .filter(event::Column::Id.eq(event_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Pending deliveries whose time has come and that no worker holds.
pub async fn due(db: &impl ConnectionTrait, now: DateTime<Utc>, limit: u64) -> Result<Vec<delivery::Model>, DbErr> {
    delivery::Entity::find()
        .filter(delivery::Column::Status.eq(DeliveryStatus::Pending.as_str()))
        .filter(delivery::Column::NextAttemptAt.lte(now))
        .filter(
            Condition::any().add(delivery::Column::LockedUntil.is_null()).add(delivery::Column::LockedUntil.lt(now)),
        )
        .order_by_asc(delivery::Column::NextAttemptAt)
        .limit(limit)
        .all(db)
        .await
}

/// Takes a delivery for this worker until `until`; false when another worker has it.
pub async fn claim(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let done = delivery::Entity::update_many()
        .col_expr(delivery::Column::LockedUntil, Expr::value(until))
        .filter(delivery::Column::Id.eq(id))
        .filter(delivery::Column::Status.eq(DeliveryStatus::Pending.as_str()))
        .filter(
            Condition::any().add(delivery::Column::LockedUntil.is_null()).add(delivery::Column::LockedUntil.lt(now)),
        )
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

pub async fn find_subscriptions(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<Vec<subscription::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    subscription::Entity::find().filter(subscription::Column::Id.is_in(ids)).all(db).await
}

/// What one attempt came to.
pub struct Attempt {
    pub status: &'static str,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
}

pub async fn record_attempt(db: &impl ConnectionTrait, id: Uuid, a: Attempt) -> Result<(), DbErr> {
    delivery::Entity::update_many()
        .col_expr(delivery::Column::Status, Expr::value(a.status))
        .col_expr(delivery::Column::Attempts, Expr::value(a.attempts))
        .col_expr(delivery::Column::NextAttemptAt, Expr::value(a.next_attempt_at))
        .col_expr(delivery::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(delivery::Column::LastStatus, Expr::value(a.last_status))
        .col_expr(delivery::Column::LastError, Expr::value(a.last_error))
        .col_expr(delivery::Column::DeliveredAt, Expr::value(a.delivered_at))
        .filter(delivery::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// A partner's deliveries, newest first.
pub async fn deliveries_of(
    db: &impl ConnectionTrait,
    partner_id: Uuid,
    status: Option<&str>,
    paging: Paging,
) -> Result<Paged<delivery::Model>, DbErr> {
    let mut query = delivery::Entity::find().filter(delivery::Column::PartnerId.eq(partner_id));
    if let Some(status) = status {
        query = query.filter(delivery::Column::Status.eq(status));
    }
    fetch_page(db, query, paging, |q| q.order_by_desc(delivery::Column::CreatedAt).order_by_desc(delivery::Column::Id))
        .await
}

pub async fn events(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<Vec<event::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    event::Entity::find().filter(event::Column::Id.is_in(ids)).all(db).await
}
