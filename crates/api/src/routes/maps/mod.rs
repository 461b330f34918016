//! Writing the map layers: growing areas (producers for their subject, officers in their
//! area), craft villages with their tourism services and OCOP sales points (officers in their
//! area), and the GeoJSON import of growing areas. Reading is public through `/geo`; the
//! signed-in map also reads unpublished growing areas here.

pub mod certificates;
pub mod growing_areas;
pub mod import;
pub mod places;
pub mod prepare;

use actix_web::{HttpResponse, get, post, put, web};
use chrono::{NaiveDate, Utc};
use ocop_domain::access::{
    Owner, check_create_in_area, check_manage_registry, check_read_registry, registry_visibility,
};
use ocop_domain::geo::{
    AreaGeometry, Bbox, CropCycle, GrowingAreaCode, SALES_POINT_LEVELS, SERVICE_KINDS, STANDARDS, check_area,
    check_point,
};
use ocop_domain::text::fold;
use ocop_persistence::entities::{admin_unit, craft_village, growing_area, sales_point};
use ocop_persistence::{admin_units, audit, maps, subjects};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use self::prepare::{Preparation, prepare_growing_area};
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::ApiJson;
use crate::files::{pdf_or_image, private_download, receive, storage_key};
use crate::geojson::{GEO_JSON, craft_village_feature, growing_area_feature, sales_point_feature};
use crate::paging::paging;
use crate::state::AppState;

/// A standard a growing area holds.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"standard": "vietgap", "certificate_number": "VG-22-0123", "expires_on": "2027-06-30",
    "certificate_file": {"file_name": "vietgap.pdf", "content_type": "application/pdf", "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "size_bytes": 48213}}))]
pub struct StandardHeld {
    /// `vietgap`, `globalgap` or `organic`.
    pub standard: String,
    pub certificate_number: Option<String>,
    pub expires_on: Option<NaiveDate>,
    /// The scanned certificate, uploaded with `POST …/standards/{index}/certificate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_file: Option<CertificateFile>,
}

/// A standard as a request gives it: the file is never taken from a body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[schema(example = json!({"standard": "vietgap", "certificate_number": "VG-22-0123", "expires_on": "2027-06-30"}))]
pub struct StandardInput {
    /// `vietgap`, `globalgap` or `organic`.
    pub standard: String,
    pub certificate_number: Option<String>,
    pub expires_on: Option<NaiveDate>,
}

/// A stored certificate file (content-addressed by its SHA-256).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CertificateFile {
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub size_bytes: i64,
}

/// The yield of one season.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"season": "2025", "tonnes": 8.5}))]
pub struct SeasonYield {
    pub season: String,
    pub tonnes: f64,
}

#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"code": "VN-22-202-06973-001-24", "name": "Vùng trồng trà hoa vàng Thanh Sơn", "crop": "Trà hoa vàng",
    "variety": "Camellia chrysantha", "crop_cycle": "perennial", "plant_age_years": 6, "seed_origin": "Giống bản địa Ba Chẽ",
    "declared_area_ha": 12.0, "subject_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e61", "households": 14, "representative": "Hoàng Văn Sơn",
    "standards": [{"standard": "vietgap", "certificate_number": "VG-22-0123", "expires_on": "2027-06-30"}], "yields": [{"season": "2025", "tonnes": 8.5}],
    "geometry": {"type": "Polygon", "coordinates": [[[107.27, 21.26], [107.2735, 21.26], [107.2735, 21.2635], [107.27, 21.2635], [107.27, 21.26]]]},
    "published": true}))]
pub struct GrowingAreaInput {
    /// `VN-{province}-{district}-{commune}-{facility}-{YY}`; the commune in the code is where
    /// the area lies.
    #[validate(length(min = 3, max = 32))]
    pub code: String,
    #[validate(length(min = 2, max = 300))]
    pub name: String,
    #[validate(length(min = 2, max = 120))]
    pub crop: String,
    #[validate(length(max = 120))]
    pub variety: Option<String>,
    /// `perennial` (at least 1 ha) or `annual` (at least 0.1 ha).
    pub crop_cycle: CropCycleInput,
    #[validate(range(min = 0, max = 200))]
    pub plant_age_years: Option<i32>,
    #[validate(length(max = 300))]
    pub seed_origin: Option<String>,
    #[validate(range(min = 0.0, max = 100000.0))]
    pub declared_area_ha: f64,
    pub subject_id: Uuid,
    #[validate(range(min = 0, max = 100000))]
    pub households: Option<i32>,
    #[validate(length(max = 200))]
    pub representative: Option<String>,
    #[serde(default)]
    pub standards: Vec<StandardInput>,
    #[serde(default)]
    pub yields: Vec<SeasonYield>,
    /// A GeoJSON Polygon or MultiPolygon in WGS 84 `[lon, lat]`.
    #[schema(value_type = Object)]
    pub geometry: Value,
    #[serde(default)]
    pub published: bool,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CropCycleInput {
    Perennial,
    Annual,
}

impl From<CropCycleInput> for CropCycle {
    fn from(c: CropCycleInput) -> Self {
        match c {
            CropCycleInput::Perennial => Self::Perennial,
            CropCycleInput::Annual => Self::Annual,
        }
    }
}

/// A saved growing area: its GeoJSON Feature and any warnings.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"feature": {"type": "Feature", "id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8f71", "geometry": {"type": "Polygon", "coordinates": []}, "properties": {"code": "VN-22-202-06973-001-24"}},
    "warnings": [{"field": "declared_area_ha", "code": "area_mismatch", "message_vi": "Diện tích khai báo 12 ha, diện tích vẽ 14,2 ha.", "message_en": "Declared 12 ha, drawn 14.2 ha."}]}))]
pub struct SavedFeature {
    #[schema(value_type = Object)]
    pub feature: Value,
    pub warnings: Vec<FieldError>,
}

fn field(prefix: &str, name: &str) -> String {
    if prefix.is_empty() { name.to_owned() } else { format!("{prefix}.{name}") }
}

async fn taken(state: &AppState, code: &str, except: Option<Uuid>) -> ApiResult<bool> {
    Ok(maps::find_growing_areas_by_code(&state.db, vec![code.to_owned()]).await?.iter().any(|g| Some(g.id) != except))
}

fn code_taken(code: &str) -> ApiError {
    ApiError::already_exists(
        format!("Mã số vùng trồng {code} đã được dùng."),
        format!("The growing-area code {code} is taken."),
    )
}

async fn load_growing_area(state: &AppState, user: &AuthUser, id: Uuid) -> ApiResult<growing_area::Model> {
    let found = maps::find_growing_area(&state.db, id).await?.ok_or_else(ApiError::not_found)?;
    check_read_registry(&user.actor(), Owner { subject_id: found.subject_id, area_path: &found.area_path })?;
    Ok(found)
}
