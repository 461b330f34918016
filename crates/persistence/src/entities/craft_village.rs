use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "craft_villages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    #[serde(skip)]
    pub name_folded: String,
    pub craft: String,
    #[serde(skip)]
    pub craft_folded: String,
    pub decision_number: Option<String>,
    pub recognised_on: Option<Date>,
    pub commune_id: Uuid,
    pub area_path: String,
    pub lon: f64,
    pub lat: f64,
    pub description: Option<String>,
    /// JSON array of photo URLs.
    pub photos: String,
    /// JSON array of linked product ids.
    pub product_ids: String,
    /// JSON array of tourism services.
    pub services: String,
    pub published: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
