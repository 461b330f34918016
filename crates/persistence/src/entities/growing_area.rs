use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "growing_areas")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    #[serde(skip)]
    pub name_folded: String,
    pub crop: String,
    #[serde(skip)]
    pub crop_folded: String,
    pub variety: Option<String>,
    /// `perennial` or `annual`.
    pub crop_cycle: String,
    pub plant_age_years: Option<i32>,
    pub seed_origin: Option<String>,
    pub declared_area_ha: f64,
    pub computed_area_ha: f64,
    pub subject_id: Uuid,
    pub commune_id: Uuid,
    pub area_path: String,
    pub households: Option<i32>,
    pub representative: Option<String>,
    /// JSON array of standards held.
    pub standards: String,
    /// JSON array of yields per season.
    pub yields: String,
    /// GeoJSON geometry (Polygon or MultiPolygon).
    pub geometry: String,
    pub min_lon: f64,
    pub min_lat: f64,
    pub max_lon: f64,
    pub max_lat: f64,
    pub published: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
