//! Annual cycles and their stage deadlines.

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::entities::cycle::{ActiveModel, Column, Entity, Model};
use crate::entities::cycle_stage;

pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Model>, DbErr> {
    Entity::find().order_by_desc(Column::Year).all(db).await
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

pub async fn find_by_year(db: &impl ConnectionTrait, year: i32) -> Result<Option<Model>, DbErr> {
    Entity::find().filter(Column::Year.eq(year)).one(db).await
}

pub async fn stages(db: &impl ConnectionTrait, cycle_id: Uuid) -> Result<Vec<cycle_stage::Model>, DbErr> {
    cycle_stage::Entity::find().filter(cycle_stage::Column::CycleId.eq(cycle_id)).all(db).await
}

pub async fn stages_of(db: &impl ConnectionTrait, cycle_ids: Vec<Uuid>) -> Result<Vec<cycle_stage::Model>, DbErr> {
    if cycle_ids.is_empty() {
        return Ok(Vec::new());
    }
    cycle_stage::Entity::find().filter(cycle_stage::Column::CycleId.is_in(cycle_ids)).all(db).await
}

pub struct StageDates {
    pub stage: String,
    pub starts_on: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    year: i32,
    name: String,
    classification_version_id: Uuid,
    stages: Vec<StageDates>,
) -> Result<Model, DbErr> {
    let now = Utc::now();
    let cycle = ActiveModel {
        id: Set(crate::new_id()),
        year: Set(year),
        name: Set(name),
        classification_version_id: Set(classification_version_id),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    for s in stages {
        cycle_stage::ActiveModel {
            id: Set(crate::new_id()),
            cycle_id: Set(cycle.id),
            stage: Set(s.stage),
            starts_on: Set(s.starts_on),
            deadline: Set(s.deadline),
        }
        .insert(db)
        .await?;
    }
    Ok(cycle)
}

/// Renames the cycle and replaces the dates of the given stages.
pub async fn update(
    db: &impl ConnectionTrait,
    cycle: Model,
    name: Option<String>,
    stages: Vec<StageDates>,
) -> Result<Model, DbErr> {
    let existing = self::stages(db, cycle.id).await?;
    for s in stages {
        if let Some(row) = existing.iter().find(|r| r.stage == s.stage) {
            let mut active: cycle_stage::ActiveModel = row.clone().into();
            active.starts_on = Set(s.starts_on);
            active.deadline = Set(s.deadline);
            active.update(db).await?;
        }
    }
    let mut active: ActiveModel = cycle.into();
    if let Some(name) = name {
        active.name = Set(name);
    }
    active.updated_at = Set(Utc::now());
    active.update(db).await
}
