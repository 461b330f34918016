//! The audit trail: one row per write that matters, written in the write's own transaction.
//! The table is append-only (database triggers refuse UPDATE and DELETE).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Serialize;
use uuid::Uuid;

use crate::entities::audit_log::{ActiveModel, Column, Entity, Model};

/// Who is writing, and under which request.
#[derive(Debug, Clone, Default)]
pub struct AuditContext {
    pub actor_id: Option<Uuid>,
    pub actor_email: Option<String>,
    pub request_id: Option<String>,
}

/// Records one change. `before`/`after` are the entity's serialised states (absent for a
/// creation or a deletion respectively).
pub async fn record<B: Serialize, A: Serialize>(
    db: &impl ConnectionTrait,
    ctx: &AuditContext,
    action: &str,
    entity_type: &str,
    entity_id: impl ToString,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<Model, DbErr> {
    let before = before.map(serde_json::to_value).transpose().map_err(json_err)?;
    let after = after.map(serde_json::to_value).transpose().map_err(json_err)?;
    ActiveModel {
        id: Set(crate::new_id()),
        occurred_at: Set(Utc::now()),
        actor_id: Set(ctx.actor_id),
        actor_email: Set(ctx.actor_email.clone()),
        action: Set(action.to_owned()),
        entity_type: Set(entity_type.to_owned()),
        entity_id: Set(entity_id.to_string()),
        before: Set(before),
        after: Set(after),
        request_id: Set(ctx.request_id.clone()),
    }
    .insert(db)
    .await
}

fn json_err(err: serde_json::Error) -> DbErr {
    DbErr::Custom(format!("audit serialisation: {err}"))
}

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub actor_id: Option<Uuid>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// Newest first, keyset-paged: rows older than `before` (an id; UUID v7 ids sort by time).
/// Fetches one row more than `limit`, so the caller knows whether another page follows.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &Filter,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Model>, DbErr> {
    let mut cond = Condition::all();
    if let Some(actor) = filter.actor_id {
        cond = cond.add(Column::ActorId.eq(actor));
    }
    if let Some(t) = &filter.entity_type {
        cond = cond.add(Column::EntityType.eq(t.as_str()));
    }
    if let Some(id) = &filter.entity_id {
        cond = cond.add(Column::EntityId.eq(id.as_str()));
    }
    if let Some(action) = &filter.action {
        cond = cond.add(Column::Action.eq(action.as_str()));
    }
    if let Some(from) = filter.from {
        cond = cond.add(Column::OccurredAt.gte(from));
    }
    if let Some(to) = filter.to {
        cond = cond.add(Column::OccurredAt.lt(to));
    }
    if let Some(before) = before {
        cond = cond.add(Column::Id.lt(before));
    }
    Entity::find().filter(cond).order_by_desc(Column::Id).limit(limit + 1).all(db).await
}
