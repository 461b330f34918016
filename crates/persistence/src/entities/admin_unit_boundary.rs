use sea_orm::entity::prelude::*;

/// A unit's imported boundary: a GeoJSON Polygon or MultiPolygon (CRS84), apart from the unit so
/// that lists of units never read it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "admin_unit_boundaries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub unit_id: Uuid,
    pub geometry: String,
    pub positions: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
