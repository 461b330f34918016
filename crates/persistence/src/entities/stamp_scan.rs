use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "stamp_scans")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub code: String,
    pub product_id: Uuid,
    pub area_path: String,
    pub scanned_at: DateTimeUtc,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub device_class: String,
    /// Keyed hash of the client address with a salt that changes daily; never the address.
    pub client_hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
