use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "certificates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub number: String,
    pub product_id: Uuid,
    pub application_id: Uuid,
    #[sea_orm(unique)]
    pub item_id: Uuid,
    pub subject_id: Uuid,
    pub area_path: String,
    pub star: i16,
    pub score_centi: i32,
    pub level: String,
    pub issuing_body: String,
    pub decision_number: String,
    pub decision_date: Date,
    pub valid_from: Date,
    pub valid_until: Date,
    /// `active`, `revoked` or `superseded`; expiry is derived from `valid_until`.
    pub status: String,
    pub revoked_reason: Option<String>,
    pub revoked_at: Option<DateTimeUtc>,
    pub superseded_by: Option<Uuid>,
    pub issued_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
