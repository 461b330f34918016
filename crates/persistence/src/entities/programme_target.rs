use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "programme_targets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub area_unit_id: Uuid,
    pub area_path: String,
    pub period_start: i32,
    pub period_end: i32,
    /// An `Indicator` of the domain.
    pub indicator: String,
    /// A count, or a share in percent.
    pub value: f64,
    /// Where the figure comes from (a decision, a plan).
    pub source: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
