use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "session_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub session_id: Uuid,
    pub council_id: Uuid,
    pub application_id: Uuid,
    pub product_id: Uuid,
    pub criteria_set_id: Uuid,
    pub level: String,
    /// `scoring` or `finalized`.
    pub status: String,
    pub average_centi: Option<i32>,
    pub spread: Option<i32>,
    pub divergent: bool,
    pub star: Option<i32>,
    /// JSON array of failed minimum requirements.
    pub failed_minimums: Option<String>,
    pub decision: Option<String>,
    pub forwarded_to: Option<String>,
    pub discussion_note: Option<String>,
    pub finalized_at: Option<DateTimeUtc>,
    pub finalized_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
