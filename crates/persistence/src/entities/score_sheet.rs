use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "score_sheets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub item_id: Uuid,
    pub member_id: Uuid,
    /// JSON object: criterion code → option code.
    pub answers: String,
    pub comment: Option<String>,
    pub part_a: i32,
    pub part_b: i32,
    pub part_c: i32,
    pub total: i32,
    /// JSON array.
    pub failed_minimums: String,
    /// `draft` or `submitted`.
    pub status: String,
    /// 0 while a first draft; then one more per submission.
    pub revision: i32,
    pub submitted_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
