use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "batches")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub product_id: Uuid,
    pub subject_id: Uuid,
    pub area_path: String,
    /// The lot number, unique per product.
    pub code: String,
    pub produced_on: Date,
    pub quantity: f64,
    pub unit: String,
    pub expires_on: Option<Date>,
    /// The standard applied (TCVN, the producer's own standard, …).
    pub standard: String,
    /// The serial the next stamp of this batch gets.
    pub next_serial: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
