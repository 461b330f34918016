use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "budget_lines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub year: i32,
    pub area_unit_id: Uuid,
    pub area_path: String,
    /// A `FundingSource` of the domain.
    pub source: String,
    /// An `Activity` of the domain.
    pub activity: String,
    pub description: String,
    pub planned_vnd: i64,
    pub allocated_vnd: i64,
    pub disbursed_vnd: i64,
    pub course_id: Option<Uuid>,
    pub trade_event_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
