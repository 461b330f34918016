//! Product classifications (versioned: 2019 QĐ 1048, 2023 QĐ 148) and the dossier document
//! kinds of each version. Shipped as JSON seed files, loaded once, extended by admins.

use chrono::Utc;
use ocop_domain::classification::NodeLevel;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, TransactionTrait,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::entities::{classification_node as node, classification_version as version, document_kind as kind};

/// The seed files, compiled in so that every installation starts with both versions.
pub const SEED_FILES: [&str; 2] =
    [include_str!("../seeds/classification-2019.json"), include_str!("../seeds/classification-2023.json")];

/// The JSON format of a classification file (documented in the README).
#[derive(Debug, Deserialize)]
pub struct VersionFile {
    pub code: String,
    pub name: String,
    pub decision: String,
    pub groups: Vec<NodeFile>,
    pub document_kinds: Vec<KindFile>,
}

#[derive(Debug, Deserialize)]
pub struct NodeFile {
    pub code: String,
    pub name: String,
    pub name_en: String,
    #[serde(default)]
    pub service: bool,
    #[serde(default)]
    pub children: Vec<NodeFile>,
}

#[derive(Debug, Deserialize)]
pub struct KindFile {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub category: String,
    pub required_at: Option<String>,
    #[serde(default)]
    pub not_for_services: bool,
}

/// Loads the shipped versions that are not in the database yet. Idempotent.
pub async fn load_seeds(db: &DatabaseConnection) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    for text in SEED_FILES {
        let file: VersionFile =
            serde_json::from_str(text).map_err(|e| DbErr::Custom(format!("classification seed: {e}")))?;
        if version::Entity::find().filter(version::Column::Code.eq(&file.code)).one(&txn).await?.is_none() {
            insert_version(&txn, &file).await?;
        }
    }
    txn.commit().await
}

pub async fn insert_version(db: &impl ConnectionTrait, file: &VersionFile) -> Result<version::Model, DbErr> {
    let saved = version::ActiveModel {
        id: Set(crate::new_id()),
        code: Set(file.code.clone()),
        name: Set(file.name.clone()),
        decision: Set(file.decision.clone()),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    let mut sort = 0;
    let mut stack: Vec<(&NodeFile, Option<Uuid>, usize)> = file.groups.iter().rev().map(|g| (g, None, 0)).collect();
    while let Some((n, parent, depth)) = stack.pop() {
        sort += 1;
        let level = [NodeLevel::Group, NodeLevel::Subgroup, NodeLevel::ProductSet][depth.min(2)].as_str();
        let id = insert_node(db, saved.id, parent, &n.code, &n.name, &n.name_en, level, n.service, sort).await?.id;
        stack.extend(n.children.iter().rev().map(|c| (c, Some(id), depth + 1)));
    }
    for (i, k) in file.document_kinds.iter().enumerate() {
        insert_kind(db, saved.id, k, i32::try_from(i).unwrap_or(i32::MAX)).await?;
    }
    Ok(saved)
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_node(
    db: &impl ConnectionTrait,
    version_id: Uuid,
    parent_id: Option<Uuid>,
    code: &str,
    name: &str,
    name_en: &str,
    level: &str,
    is_service: bool,
    sort: i32,
) -> Result<node::Model, DbErr> {
    node::ActiveModel {
        id: Set(crate::new_id()),
        version_id: Set(version_id),
        parent_id: Set(parent_id),
        code: Set(code.to_owned()),
        name: Set(name.to_owned()),
        name_en: Set(name_en.to_owned()),
        level: Set(level.to_owned()),
        is_service: Set(is_service),
        sort: Set(sort),
    }
    .insert(db)
    .await
}

pub async fn insert_kind(
    db: &impl ConnectionTrait,
    version_id: Uuid,
    k: &KindFile,
    sort: i32,
) -> Result<kind::Model, DbErr> {
    kind::ActiveModel {
        id: Set(crate::new_id()),
        version_id: Set(version_id),
        code: Set(k.code.clone()),
        name: Set(k.name.clone()),
        name_en: Set(k.name_en.clone()),
        category: Set(k.category.clone()),
        required_at: Set(k.required_at.clone()),
        not_for_services: Set(k.not_for_services),
        sort: Set(sort),
    }
    .insert(db)
    .await
}

pub async fn versions(db: &impl ConnectionTrait) -> Result<Vec<version::Model>, DbErr> {
    version::Entity::find().order_by_asc(version::Column::Code).all(db).await
}

pub async fn find_version(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<version::Model>, DbErr> {
    version::Entity::find_by_id(id).one(db).await
}

pub async fn find_version_by_code(db: &impl ConnectionTrait, code: &str) -> Result<Option<version::Model>, DbErr> {
    version::Entity::find().filter(version::Column::Code.eq(code)).one(db).await
}

/// The newest version (highest code), the default for new products and cycles.
pub async fn latest_version(db: &impl ConnectionTrait) -> Result<Option<version::Model>, DbErr> {
    version::Entity::find().order_by_desc(version::Column::Code).one(db).await
}

pub async fn nodes(db: &impl ConnectionTrait, version_id: Uuid) -> Result<Vec<node::Model>, DbErr> {
    node::Entity::find().filter(node::Column::VersionId.eq(version_id)).order_by_asc(node::Column::Sort).all(db).await
}

pub async fn find_node(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<node::Model>, DbErr> {
    node::Entity::find_by_id(id).one(db).await
}

pub async fn find_nodes(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<Vec<node::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    node::Entity::find().filter(node::Column::Id.is_in(ids)).all(db).await
}

pub async fn find_node_by_code(
    db: &impl ConnectionTrait,
    version_id: Uuid,
    code: &str,
) -> Result<Option<node::Model>, DbErr> {
    node::Entity::find()
        .filter(node::Column::VersionId.eq(version_id))
        .filter(node::Column::Code.eq(code))
        .one(db)
        .await
}

pub async fn max_sort(db: &impl ConnectionTrait, version_id: Uuid) -> Result<i32, DbErr> {
    Ok(node::Entity::find()
        .filter(node::Column::VersionId.eq(version_id))
        .order_by_desc(node::Column::Sort)
        .one(db)
        .await?
        .map_or(0, |n| n.sort))
}

pub async fn kinds(db: &impl ConnectionTrait, version_id: Uuid) -> Result<Vec<kind::Model>, DbErr> {
    kind::Entity::find().filter(kind::Column::VersionId.eq(version_id)).order_by_asc(kind::Column::Sort).all(db).await
}

pub async fn find_kind(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<kind::Model>, DbErr> {
    kind::Entity::find_by_id(id).one(db).await
}

pub use ocop_domain::classification::group_code;
