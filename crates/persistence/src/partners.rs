//! Partners, their API keys and the keys' daily usage.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::entities::{api_key, api_key_usage as usage, partner};
use crate::paging::{Paged, Paging, fetch_page};

pub async fn list(db: &impl ConnectionTrait, paging: Paging) -> Result<Paged<partner::Model>, DbErr> {
    fetch_page(db, partner::Entity::find(), paging, |q| {
        q.order_by_asc(partner::Column::Name).order_by_asc(partner::Column::Id)
    })
    .await
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<partner::Model>, DbErr> {
    partner::Entity::find_by_id(id).one(db).await
}

pub async fn save(db: &impl ConnectionTrait, row: partner::Model, is_new: bool) -> Result<partner::Model, DbErr> {
    let active = row.into_active_model().reset_all();
    if is_new { active.insert(db).await } else { active.update(db).await }
}

pub async fn insert_key(db: &impl ConnectionTrait, row: api_key::Model) -> Result<api_key::Model, DbErr> {
    row.into_active_model().reset_all().insert(db).await
}

pub async fn find_key(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<api_key::Model>, DbErr> {
    api_key::Entity::find_by_id(id).one(db).await
}

pub async fn keys_of(db: &impl ConnectionTrait, partner_id: Uuid) -> Result<Vec<api_key::Model>, DbErr> {
    api_key::Entity::find()
        .filter(api_key::Column::PartnerId.eq(partner_id))
        .order_by_desc(api_key::Column::CreatedAt)
        .all(db)
        .await
}

/// The key with this hash that still works at `now`, with its partner.
pub async fn find_usable_key(
    db: &impl ConnectionTrait,
    key_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<(api_key::Model, partner::Model)>, DbErr> {
    let Some(key) = api_key::Entity::find()
        .filter(api_key::Column::KeyHash.eq(key_hash))
        .filter(api_key::Column::RevokedAt.is_null())
        .filter(Condition::any().add(api_key::Column::ExpiresAt.is_null()).add(api_key::Column::ExpiresAt.gt(now)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(find(db, key.partner_id).await?.map(|p| (key, p)))
}

/// Revokes a key that is not revoked yet; false when it already was.
pub async fn revoke_key(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let done = api_key::Entity::update_many()
        .col_expr(api_key::Column::RevokedAt, Expr::value(now))
        .filter(api_key::Column::Id.eq(id))
        .filter(api_key::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Marks a rotated key: it works until `until` and names its successor. False when the key
/// was revoked or rotated meanwhile.
pub async fn retire_key(
    db: &impl ConnectionTrait,
    id: Uuid,
    until: DateTime<Utc>,
    replaced_by: Uuid,
) -> Result<bool, DbErr> {
    let done = api_key::Entity::update_many()
        .col_expr(api_key::Column::ExpiresAt, Expr::value(until))
        .col_expr(api_key::Column::ReplacedBy, Expr::value(replaced_by))
        .filter(api_key::Column::Id.eq(id))
        .filter(api_key::Column::RevokedAt.is_null())
        .filter(api_key::Column::ReplacedBy.is_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Adds counted calls to a key's day (and notes when it was last used).
pub async fn add_usage(
    db: &impl ConnectionTrait,
    key_id: Uuid,
    day: NaiveDate,
    requests: i64,
    throttled: i64,
    last_used: DateTime<Utc>,
) -> Result<(), DbErr> {
    let updated = usage::Entity::update_many()
        .col_expr(usage::Column::Requests, Expr::col(usage::Column::Requests).add(requests))
        .col_expr(usage::Column::Throttled, Expr::col(usage::Column::Throttled).add(throttled))
        .filter(usage::Column::KeyId.eq(key_id))
        .filter(usage::Column::Day.eq(day))
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        usage::ActiveModel { key_id: Set(key_id), day: Set(day), requests: Set(requests), throttled: Set(throttled) }
            .insert(db)
            .await?;
    }
    api_key::Entity::update_many()
        .col_expr(api_key::Column::LastUsedAt, Expr::value(last_used))
        .filter(api_key::Column::Id.eq(key_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A key's usage per day from `since`, oldest first.
pub async fn usage(db: &impl ConnectionTrait, key_id: Uuid, since: NaiveDate) -> Result<Vec<usage::Model>, DbErr> {
    usage::Entity::find()
        .filter(usage::Column::KeyId.eq(key_id))
        .filter(usage::Column::Day.gte(since))
        .order_by_asc(usage::Column::Day)
        .all(db)
        .await
}
