use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "score_sheet_revisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub sheet_id: Uuid,
    pub item_id: Uuid,
    pub member_id: Uuid,
    pub revision: i32,
    pub answers: String,
    pub comment: Option<String>,
    pub total: i32,
    pub failed_minimums: String,
    pub submitted_by: Uuid,
    pub submitted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
