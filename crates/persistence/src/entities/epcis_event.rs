use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "epcis_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The event's `eventID`, or one this server gave it.
    pub event_id: String,
    pub event_type: String,
    pub event_time: DateTimeUtc,
    pub biz_step: Option<String>,
    /// The event as captured (JSON).
    pub body: String,
    pub subject_id: Option<Uuid>,
    pub area_path: Option<String>,
    pub capture_id: Option<Uuid>,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
