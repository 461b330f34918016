//! Trade events and the subjects taking part.

use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use crate::entities::{trade_event as event, trade_event_participant as participant};
use crate::paging::{Paged, Paging, fetch_page};
use crate::subjects::words_condition;

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub published_only: bool,
    /// Events still running on or after this day.
    pub ending_from: Option<NaiveDate>,
    pub q: Option<String>,
}

pub async fn list(db: &impl ConnectionTrait, f: &Filter, paging: Paging) -> Result<Paged<event::Model>, DbErr> {
    let mut cond = Condition::all();
    if f.published_only {
        cond = cond.add(event::Column::Published.eq(true));
    }
    if let Some(day) = f.ending_from {
        cond = cond.add(event::Column::EndsOn.gte(day));
    }
    if let Some(q) = f.q.as_deref().filter(|q| !q.trim().is_empty()) {
        cond = cond.add(words_condition(q, &[Expr::col(event::Column::NameFolded)]));
    }
    fetch_page(db, event::Entity::find().filter(cond), paging, |q| {
        q.order_by_asc(event::Column::StartsOn).order_by_asc(event::Column::Id)
    })
    .await
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<event::Model>, DbErr> {
    event::Entity::find_by_id(id).one(db).await
}

pub async fn save(db: &impl ConnectionTrait, row: event::Model, is_new: bool) -> Result<event::Model, DbErr> {
    let active = row.into_active_model().reset_all();
    if is_new { active.insert(db).await } else { active.update(db).await }
}

pub async fn participants(db: &impl ConnectionTrait, event_id: Uuid) -> Result<Vec<participant::Model>, DbErr> {
    participant::Entity::find()
        .filter(participant::Column::EventId.eq(event_id))
        .order_by_asc(participant::Column::Booth)
        .order_by_asc(participant::Column::CreatedAt)
        .all(db)
        .await
}

pub async fn add_participant(db: &impl ConnectionTrait, row: participant::Model) -> Result<participant::Model, DbErr> {
    row.into_active_model().reset_all().insert(db).await
}
