use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub code: String,
    pub commune_seq: i32,
    pub code_year: i32,
    pub name: String,
    #[serde(skip)]
    pub name_folded: String,
    /// Folded name, code and subject name: what a search matches.
    #[serde(skip)]
    pub search_folded: String,
    pub classification_node_id: Uuid,
    /// Code of the top-level group, kept for filters and counts.
    pub group_code: String,
    pub is_service: bool,
    pub subject_id: Uuid,
    pub commune_id: Uuid,
    pub area_path: String,
    pub description: Option<String>,
    pub story: Option<String>,
    pub gtin: Option<String>,
    pub unit: String,
    pub price_vnd: Option<i64>,
    pub status: String,
    /// The product photo (public): its type and content hash (the storage key).
    pub photo_type: Option<String>,
    pub photo_sha256: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::subject::Entity", from = "Column::SubjectId", to = "super::subject::Column::Id")]
    Subject,
}

impl Related<super::subject::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Subject.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
