//! Growing areas, craft villages and sales points: stored rows and the spatial and attribute
//! filters the map and OGC API – Features need.

use chrono::{DateTime, Utc};
use ocop_domain::access::Visibility;
use ocop_domain::geo::Bbox;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use crate::admin_units::prefix;
use crate::entities::{admin_unit, craft_village, growing_area, sales_point};
use crate::paging::{Paged, Paging, fetch_page};
use crate::subjects::{visibility_condition, words_condition};

/// Filters shared by the three layers.
#[derive(Debug, Clone, Default)]
pub struct GeoFilter {
    /// Only features marked published (the public API).
    pub published_only: bool,
    pub bbox: Option<Bbox>,
    pub area_path: Option<String>,
    /// Last change inside this interval (either end open).
    pub changed_from: Option<DateTime<Utc>>,
    pub changed_to: Option<DateTime<Utc>>,
    /// Folded words matched in the name.
    pub q: Option<String>,
}

fn common<C: ColumnTrait + sea_orm::IntoSimpleExpr>(
    f: &GeoFilter,
    published: Option<C>,
    area: C,
    updated: C,
    name_folded: C,
) -> Condition {
    let mut cond = Condition::all();
    if let Some(published) = published.filter(|_| f.published_only) {
        cond = cond.add(published.eq(true));
    }
    if let Some(path) = &f.area_path {
        cond = cond.add(area.like(prefix(path)));
    }
    if let Some(from) = f.changed_from {
        cond = cond.add(updated.gte(from));
    }
    if let Some(to) = f.changed_to {
        cond = cond.add(updated.lte(to));
    }
    if let Some(q) = f.q.as_deref().filter(|q| !q.trim().is_empty()) {
        cond = cond.add(words_condition(q, &[Expr::col(name_folded)]));
    }
    cond
}

/// Points inside the box, edges included.
fn point_in(bbox: &Bbox, lon: impl ColumnTrait, lat: impl ColumnTrait) -> Condition {
    Condition::all()
        .add(lon.gte(bbox.min_lon))
        .add(lon.lte(bbox.max_lon))
        .add(lat.gte(bbox.min_lat))
        .add(lat.lte(bbox.max_lat))
}

/// Boxes that touch the box, edges included (boxes that touch intersect); a row without a box
/// never does.
fn box_touches<C: ColumnTrait>(b: &Bbox, (min_lon, min_lat, max_lon, max_lat): (C, C, C, C)) -> Condition {
    Condition::all()
        .add(min_lon.lte(b.max_lon))
        .add(max_lon.gte(b.min_lon))
        .add(min_lat.lte(b.max_lat))
        .add(max_lat.gte(b.min_lat))
}

#[derive(Debug, Clone, Default)]
pub struct UnitFilter {
    /// `published_only` does not apply: every current unit is public.
    pub geo: GeoFilter,
    pub level: Option<String>,
    pub today: Option<chrono::NaiveDate>,
}

/// Current administrative units as a map layer: those whose box touches the asked one, inside an
/// area, by level and name, ordered by code.
pub async fn list_units(
    db: &impl ConnectionTrait,
    f: &UnitFilter,
    paging: Paging,
) -> Result<Paged<admin_unit::Model>, DbErr> {
    use admin_unit::{Column, Entity};
    let today = f.today.unwrap_or_else(|| Utc::now().date_naive());
    let mut cond = common(&f.geo, None, Column::Path, Column::UpdatedAt, Column::NameFolded)
        .add(Condition::any().add(Column::ValidTo.is_null()).add(Column::ValidTo.gt(today)));
    if let Some(b) = &f.geo.bbox {
        cond = cond.add(box_touches(b, (Column::MinLon, Column::MinLat, Column::MaxLon, Column::MaxLat)));
    }
    if let Some(level) = &f.level {
        cond = cond.add(Column::Level.eq(level.as_str()));
    }
    fetch_page(db, Entity::find().filter(cond), paging, |q| q.order_by_asc(Column::Code)).await
}

#[derive(Debug, Clone, Default)]
pub struct GrowingAreaFilter {
    pub geo: GeoFilter,
    /// Registry visibility for the authenticated API; the public API uses `published_only`.
    pub visibility: Option<Visibility>,
    pub subject_id: Option<Uuid>,
    /// Folded crop name.
    pub crop: Option<String>,
    /// A standard held (`vietgap`, `globalgap`, `organic`).
    pub standard: Option<String>,
}

pub async fn list_growing_areas(
    db: &impl ConnectionTrait,
    f: &GrowingAreaFilter,
    paging: Paging,
) -> Result<Paged<growing_area::Model>, DbErr> {
    use growing_area::{Column, Entity};
    let mut cond = common(&f.geo, Some(Column::Published), Column::AreaPath, Column::UpdatedAt, Column::NameFolded);
    if let Some(v) = &f.visibility {
        cond = cond.add(visibility_condition(v, (Entity, Column::SubjectId), (Entity, Column::AreaPath)));
    }
    if let Some(b) = &f.geo.bbox {
        cond = cond.add(box_touches(b, (Column::MinLon, Column::MinLat, Column::MaxLon, Column::MaxLat)));
    }
    if let Some(subject) = f.subject_id {
        cond = cond.add(Column::SubjectId.eq(subject));
    }
    if let Some(crop) = f.crop.as_deref().filter(|c| !c.trim().is_empty()) {
        cond = cond.add(words_condition(crop, &[Expr::col(Column::CropFolded)]));
    }
    if let Some(standard) = &f.standard {
        cond = cond.add(Column::Standards.like(format!("%\"standard\":\"{standard}\"%")));
    }
    fetch_page(db, Entity::find().filter(cond), paging, |q| q.order_by_asc(Column::Code)).await
}

pub async fn find_growing_area(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<growing_area::Model>, DbErr> {
    growing_area::Entity::find_by_id(id).one(db).await
}

pub async fn find_growing_areas(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<Vec<growing_area::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    growing_area::Entity::find().filter(growing_area::Column::Id.is_in(ids)).all(db).await
}

pub async fn find_growing_areas_by_code(
    db: &impl ConnectionTrait,
    codes: Vec<String>,
) -> Result<Vec<growing_area::Model>, DbErr> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    growing_area::Entity::find().filter(growing_area::Column::Code.is_in(codes)).all(db).await
}

/// Inserts a new row or updates an existing one (the id decides).
pub async fn save_growing_area(
    db: &impl ConnectionTrait,
    row: growing_area::Model,
    is_new: bool,
) -> Result<growing_area::Model, DbErr> {
    let active = row.into_active_model().reset_all();
    if is_new { active.insert(db).await } else { active.update(db).await }
}

#[derive(Debug, Clone, Default)]
pub struct PlaceFilter {
    pub geo: GeoFilter,
    /// Folded craft (villages) or the level (sales points).
    pub kind: Option<String>,
}

pub async fn list_craft_villages(
    db: &impl ConnectionTrait,
    f: &PlaceFilter,
    paging: Paging,
) -> Result<Paged<craft_village::Model>, DbErr> {
    use craft_village::{Column, Entity};
    let mut cond = common(&f.geo, Some(Column::Published), Column::AreaPath, Column::UpdatedAt, Column::NameFolded);
    if let Some(b) = &f.geo.bbox {
        cond = cond.add(point_in(b, Column::Lon, Column::Lat));
    }
    if let Some(craft) = f.kind.as_deref().filter(|c| !c.trim().is_empty()) {
        cond = cond.add(words_condition(craft, &[Expr::col(Column::CraftFolded)]));
    }
    fetch_page(db, Entity::find().filter(cond), paging, |q| q.order_by_asc(Column::Name).order_by_asc(Column::Id)).await
}

pub async fn find_craft_village(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<craft_village::Model>, DbErr> {
    craft_village::Entity::find_by_id(id).one(db).await
}

pub async fn save_craft_village(
    db: &impl ConnectionTrait,
    row: craft_village::Model,
    is_new: bool,
) -> Result<craft_village::Model, DbErr> {
    let active = row.into_active_model().reset_all();
    if is_new { active.insert(db).await } else { active.update(db).await }
}

pub async fn list_sales_points(
    db: &impl ConnectionTrait,
    f: &PlaceFilter,
    paging: Paging,
) -> Result<Paged<sales_point::Model>, DbErr> {
    use sales_point::{Column, Entity};
    let mut cond = common(&f.geo, Some(Column::Published), Column::AreaPath, Column::UpdatedAt, Column::NameFolded);
    if let Some(b) = &f.geo.bbox {
        cond = cond.add(point_in(b, Column::Lon, Column::Lat));
    }
    if let Some(level) = &f.kind {
        cond = cond.add(Column::Level.eq(level.as_str()));
    }
    fetch_page(db, Entity::find().filter(cond), paging, |q| q.order_by_asc(Column::Name).order_by_asc(Column::Id)).await
}

pub async fn find_sales_point(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<sales_point::Model>, DbErr> {
    sales_point::Entity::find_by_id(id).one(db).await
}

pub async fn save_sales_point(
    db: &impl ConnectionTrait,
    row: sales_point::Model,
    is_new: bool,
) -> Result<sales_point::Model, DbErr> {
    let active = row.into_active_model().reset_all();
    if is_new { active.insert(db).await } else { active.update(db).await }
}
