use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "classification_nodes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub version_id: Uuid,
    pub parent_id: Option<Uuid>,
    /// Dotted code inside its version: `1`, `1.2`, `1.2.3`.
    pub code: String,
    pub name: String,
    pub name_en: String,
    /// `group`, `subgroup` or `product_set`.
    pub level: String,
    pub is_service: bool,
    pub sort: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
