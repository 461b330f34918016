use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "admin_units")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Unique among current units; a retired unit may share it with its successor.
    pub code: String,
    pub name: String,
    #[serde(skip)]
    pub name_folded: String,
    pub kind: String,
    pub level: String,
    pub parent_id: Option<Uuid>,
    pub path: String,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
    pub replaced_by_id: Option<Uuid>,
    /// Centroid, CRS84 degrees.
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Bounding box, CRS84 degrees.
    pub min_lon: Option<f64>,
    pub min_lat: Option<f64>,
    pub max_lon: Option<f64>,
    pub max_lat: Option<f64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
