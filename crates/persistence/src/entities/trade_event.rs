use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "trade_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    #[serde(skip)]
    pub name_folded: String,
    /// `fair`, `exhibition` or `consumer_week`.
    pub kind: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub place: String,
    pub commune_id: Option<Uuid>,
    pub organiser: String,
    pub description: Option<String>,
    pub booths: Option<i32>,
    pub published: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
