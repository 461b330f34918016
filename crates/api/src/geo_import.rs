//! What the GeoJSON imports share (growing areas, unit boundaries): the uploaded
//! FeatureCollection's features, the report feature by feature, and its verdict — a dry run
//! answers the report, an import with any invalid feature writes nothing (422).

use actix_web::HttpResponse;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult, FieldError};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GeoImportQuery {
    /// Check only; nothing is written.
    #[serde(default)]
    pub dry_run: bool,
}

/// One feature of an import.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"index": 0, "code": "VN-22-202-06973-001-24", "ok": false,
    "errors": [{"field": "features[0].geometry.coordinates[0]", "code": "geometry", "message_vi": "Hình học không hợp lệ: …", "message_en": "coordinates[0]: the ring crosses itself"}], "warnings": []}))]
pub struct GeoImportRow {
    pub index: usize,
    pub code: Option<String>,
    pub ok: bool,
    pub errors: Vec<FieldError>,
    pub warnings: Vec<FieldError>,
}

/// The import's report.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"dry_run": true, "total": 1, "valid": 1, "imported": 0, "rows": []}))]
pub struct GeoImportReport {
    pub dry_run: bool,
    pub total: usize,
    pub valid: usize,
    pub imported: usize,
    pub rows: Vec<GeoImportRow>,
}

/// The features of a GeoJSON FeatureCollection, from 1 to `max` of them.
pub fn features(mut collection: Value, max: usize) -> ApiResult<Vec<Value>> {
    if collection.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(ApiError::invalid_field(
            "type",
            "feature_collection",
            "Tệp phải là GeoJSON FeatureCollection.",
            "The body must be a GeoJSON FeatureCollection.",
        ));
    }
    match collection.get_mut("features").map(Value::take) {
        Some(Value::Array(features)) if !features.is_empty() && features.len() <= max => Ok(features),
        _ => Err(ApiError::invalid_field(
            "features",
            "count",
            format!("Cần từ 1 đến {max} đối tượng."),
            format!("Between 1 and {max} features are needed."),
        )),
    }
}

/// What to do once every feature is checked.
pub enum Verdict {
    /// Answer this (a dry run's report).
    Answer(HttpResponse),
    /// Every feature is valid: write them, then answer [`imported`].
    Write(Vec<GeoImportRow>),
}

/// A dry run answers the report; an import with an invalid feature is refused with every
/// feature's errors (422, nothing written); otherwise the import goes ahead.
pub fn verdict(dry_run: bool, rows: Vec<GeoImportRow>) -> ApiResult<Verdict> {
    let valid = rows.iter().filter(|r| r.ok).count();
    let total = rows.len();
    if dry_run {
        return Ok(Verdict::Answer(HttpResponse::Ok().json(GeoImportReport {
            dry_run: true,
            total,
            valid,
            imported: 0,
            rows,
        })));
    }
    if valid < total {
        return Err(ApiError::invalid_fields(rows.into_iter().flat_map(|r| r.errors).collect()));
    }
    Ok(Verdict::Write(rows))
}

/// The answer of an import that wrote `imported` features (201).
pub fn imported(rows: Vec<GeoImportRow>, imported: usize) -> HttpResponse {
    let total = rows.len();
    HttpResponse::Created().json(GeoImportReport { dry_run: false, total, valid: total, imported, rows })
}
