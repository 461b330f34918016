use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "applications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub cycle_id: Uuid,
    pub product_id: Uuid,
    pub subject_id: Uuid,
    pub area_path: String,
    pub group_code: String,
    pub is_service: bool,
    pub status: String,
    /// The cycle stage of `status`, kept so deadlines join in SQL.
    pub stage: String,
    /// 1 for a product's first dossier, then one more per re-evaluation.
    pub dossier_version: i32,
    pub previous_application_id: Option<Uuid>,
    pub returned_reason: Option<String>,
    /// The council level whose queue a forwarded application waits in.
    pub evaluation_level: Option<String>,
    pub status_changed_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
