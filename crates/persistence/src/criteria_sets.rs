//! Criteria sets: stored whole as their JSON import format, immutable once stored (a new text
//! is a new set with its own code).

use chrono::Utc;
use ocop_domain::criteria::CriteriaSet;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, TransactionTrait,
};
use uuid::Uuid;

use crate::entities::criteria_set::{ActiveModel, Column, Entity, Model};

const SEED_FILES: [&str; 2] =
    [include_str!("../seeds/criteria-2019.json"), include_str!("../seeds/criteria-2023.json")];

/// Loads the shipped sets that are not there yet.
pub async fn load_seeds(db: &DatabaseConnection) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    for text in SEED_FILES {
        let set: CriteriaSet = serde_json::from_str(text).map_err(|e| DbErr::Custom(format!("criteria seed: {e}")))?;
        set.validate().map_err(|e| DbErr::Custom(format!("criteria seed {}: {e:?}", set.code)))?;
        if find_by_code(&txn, &set.code).await?.is_none() {
            insert(&txn, &set, None).await?;
        }
    }
    txn.commit().await
}

pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Model>, DbErr> {
    Entity::find().order_by_desc(Column::ClassificationVersion).order_by_asc(Column::Code).all(db).await
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

pub async fn find_by_code(db: &impl ConnectionTrait, code: &str) -> Result<Option<Model>, DbErr> {
    Entity::find().filter(Column::Code.eq(code)).one(db).await
}

pub async fn of_version(db: &impl ConnectionTrait, version: &str) -> Result<Vec<Model>, DbErr> {
    Entity::find().filter(Column::ClassificationVersion.eq(version)).all(db).await
}

/// The stored text as the domain's set.
pub fn parse(model: &Model) -> Result<CriteriaSet, DbErr> {
    serde_json::from_str(&model.body).map_err(|e| DbErr::Custom(format!("criteria set {}: {e}", model.code)))
}

pub async fn insert(db: &impl ConnectionTrait, set: &CriteriaSet, created_by: Option<Uuid>) -> Result<Model, DbErr> {
    ActiveModel {
        id: Set(crate::new_id()),
        code: Set(set.code.trim().to_owned()),
        name: Set(set.name.trim().to_owned()),
        decision: Set(set.decision.clone()),
        classification_version: Set(set.classification_version.clone()),
        applies_to: Set(crate::to_json(&set.applies_to)?),
        body: Set(crate::to_json(set)?),
        created_by: Set(created_by),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await
}
