use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "sales_points")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    #[serde(skip)]
    pub name_folded: String,
    /// `province`, `district` or `commune`.
    pub level: String,
    pub operator: String,
    pub address: String,
    pub opening_hours: Option<String>,
    pub commune_id: Uuid,
    pub area_path: String,
    pub lon: f64,
    pub lat: f64,
    /// JSON array of product ids sold.
    pub product_ids: String,
    pub published: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
