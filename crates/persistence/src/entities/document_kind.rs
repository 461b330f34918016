use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "document_kinds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub version_id: Uuid,
    pub code: String,
    pub name: String,
    pub name_en: String,
    /// `required` or `evidence`.
    pub category: String,
    /// The cycle stage from which the kind is required; `None` for optional evidence.
    pub required_at: Option<String>,
    pub not_for_services: bool,
    pub sort: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
