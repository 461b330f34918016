use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "lab_tests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub batch_id: Uuid,
    pub laboratory: String,
    pub tested_on: Date,
    pub passed: bool,
    pub summary: String,
    pub report_number: Option<String>,
    /// The report file, when attached: its name, type and content hash (the storage key).
    pub report_name: Option<String>,
    pub report_type: Option<String>,
    pub report_sha256: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
