//! GeoJSON features of the map layers (growing areas, craft villages, sales points,
//! administrative units), the same for the officers' map and the public OGC API – Features.

use ocop_persistence::entities::{admin_unit, craft_village, growing_area, sales_point};
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};

/// The layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    GrowingAreas,
    CraftVillages,
    SalesPoints,
    AdminUnits,
}

impl Layer {
    pub const ALL: [Self; 4] = [Self::GrowingAreas, Self::CraftVillages, Self::SalesPoints, Self::AdminUnits];

    pub fn id(self) -> &'static str {
        match self {
            Self::GrowingAreas => "growing-areas",
            Self::CraftVillages => "craft-villages",
            Self::SalesPoints => "sales-points",
            Self::AdminUnits => "admin-units",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::GrowingAreas => "Vùng trồng / Growing areas",
            Self::CraftVillages => "Làng nghề và du lịch / Craft villages and rural tourism",
            Self::SalesPoints => "Điểm bán hàng OCOP / OCOP sales points",
            Self::AdminUnits => "Đơn vị hành chính / Administrative units",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Self::GrowingAreas => {
                "Growing areas with their code (VN-…), crop, variety, area and standards held (polygons)."
            }
            Self::CraftVillages => {
                "Recognised craft villages, their crafts, linked OCOP products and tourism services (points)."
            }
            Self::SalesPoints => "OCOP sales points by level, operator, address and opening hours (points).",
            Self::AdminUnits => {
                "Current provinces and communes (and districts where a deployment keeps them): the imported boundary where there is one, else the centroid, with the bounding box."
            }
        }
    }

    /// Query parameters this collection accepts besides the core ones.
    pub fn extra_params(self) -> &'static [&'static str] {
        match self {
            Self::GrowingAreas => &["area", "crop", "standard", "q"],
            Self::CraftVillages => &["area", "craft", "q"],
            Self::SalesPoints => &["area", "level", "q"],
            Self::AdminUnits => &["area", "level", "q"],
        }
    }

    pub fn parse(id: &str) -> ApiResult<Self> {
        Self::ALL.into_iter().find(|l| l.id() == id).ok_or_else(ApiError::not_found)
    }
}

pub const GEO_JSON: &str = "application/geo+json";

pub fn parse_json<T: serde::de::DeserializeOwned + Default>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_default()
}

pub fn growing_area_feature(g: &growing_area::Model) -> Value {
    json!({
        "type": "Feature",
        "id": g.id,
        "geometry": serde_json::from_str::<Value>(&g.geometry).unwrap_or(Value::Null),
        "bbox": [g.min_lon, g.min_lat, g.max_lon, g.max_lat],
        "properties": {
            "layer": Layer::GrowingAreas.id(),
            "code": g.code, "name": g.name, "crop": g.crop, "variety": g.variety, "crop_cycle": g.crop_cycle,
            "plant_age_years": g.plant_age_years, "seed_origin": g.seed_origin,
            "declared_area_ha": g.declared_area_ha, "computed_area_ha": (g.computed_area_ha * 100.0).round() / 100.0,
            "subject_id": g.subject_id, "commune_id": g.commune_id, "households": g.households,
            "representative": g.representative,
            "standards": parse_json::<Value>(&g.standards), "yields": parse_json::<Value>(&g.yields),
            "published": g.published, "updated_at": g.updated_at,
        }
    })
}

/// A growing area as the public sees it: a standard says whether its certificate is on file,
/// never the stored file's name, type, hash or size.
pub fn public_growing_area_feature(g: &growing_area::Model) -> Value {
    let mut feature = growing_area_feature(g);
    if let Some(standards) = feature["properties"]["standards"].as_array_mut() {
        for standard in standards.iter_mut().filter_map(Value::as_object_mut) {
            let on_file = standard.remove("certificate_file").is_some();
            standard.insert("certificate_on_file".into(), Value::Bool(on_file));
        }
    }
    feature
}

pub fn craft_village_feature(v: &craft_village::Model) -> Value {
    json!({
        "type": "Feature",
        "id": v.id,
        "geometry": {"type": "Point", "coordinates": [v.lon, v.lat]},
        "properties": {
            "layer": Layer::CraftVillages.id(),
            "name": v.name, "craft": v.craft, "decision_number": v.decision_number, "recognised_on": v.recognised_on,
            "commune_id": v.commune_id, "description": v.description, "photos": parse_json::<Value>(&v.photos),
            "product_ids": parse_json::<Value>(&v.product_ids), "services": parse_json::<Value>(&v.services),
            "published": v.published, "updated_at": v.updated_at,
        }
    })
}

pub fn sales_point_feature(p: &sales_point::Model) -> Value {
    json!({
        "type": "Feature",
        "id": p.id,
        "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
        "properties": {
            "layer": Layer::SalesPoints.id(),
            "name": p.name, "level": p.level, "operator": p.operator, "address": p.address,
            "opening_hours": p.opening_hours, "commune_id": p.commune_id,
            "product_ids": parse_json::<Value>(&p.product_ids), "published": p.published, "updated_at": p.updated_at,
        }
    })
}

/// A unit on the map: its imported boundary, else its centroid, else no geometry (GeoJSON
/// allows it); its box when known.
pub fn admin_unit_feature(u: &admin_unit::Model, boundary: Option<&str>) -> Value {
    let centroid = u.lon.zip(u.lat).map(|(lon, lat)| json!([lon, lat]));
    let geometry = boundary
        .and_then(|b| serde_json::from_str::<Value>(b).ok())
        .or_else(|| centroid.clone().map(|c| json!({"type": "Point", "coordinates": c})))
        .unwrap_or(Value::Null);
    let mut feature = json!({
        "type": "Feature",
        "id": u.id,
        "geometry": geometry,
        "properties": {
            "layer": Layer::AdminUnits.id(),
            "code": u.code, "name": u.name, "kind": u.kind, "level": u.level, "parent_id": u.parent_id,
            "path": u.path, "valid_from": u.valid_from, "centroid": centroid,
            "has_boundary": boundary.is_some(), "updated_at": u.updated_at,
        }
    });
    if let (Some(a), Some(b), Some(c), Some(d)) = (u.min_lon, u.min_lat, u.max_lon, u.max_lat) {
        feature["bbox"] = json!([a, b, c, d]);
    }
    feature
}
