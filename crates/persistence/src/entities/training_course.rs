use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "training_courses")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    #[serde(skip)]
    pub title_folded: String,
    /// A `CourseKind` of the domain.
    pub kind: String,
    /// An `Audience` of the domain.
    pub audience: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub place: String,
    pub organiser: String,
    /// A `FundingSource` of the domain.
    pub funding_source: String,
    /// The unit organising it (province or district).
    pub area_unit_id: Uuid,
    pub area_path: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
