//! Boundaries of administrative units, for admins: a GeoJSON FeatureCollection whose features
//! carry a unit's code and its Polygon or MultiPolygon, checked feature by feature (a dry run
//! reports only), written all or none in one audited transaction. A unit's box becomes its
//! boundary's; the map and `admin-units` OGC items then draw the boundary.

use actix_web::{HttpResponse, post, web};
use ocop_domain::geo::AreaGeometry;
use ocop_persistence::{admin_units, audit};
use serde_json::{Value, json};

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::ApiJson;
use crate::geo_import::{self, GeoImportQuery, GeoImportReport, GeoImportRow, Verdict};
use crate::state::AppState;

/// Features one import takes at most.
pub const MAX_FEATURES: usize = 4_000;

/// Import unit boundaries / Nhập ranh giới đơn vị hành chính (admins).
///
/// A FeatureCollection of at most 4,000 features, each with `properties.code` (a current
/// unit's code) and a Polygon or MultiPolygon (WGS 84, lon/lat) of at most
/// `OCOP_BOUNDARY_MAX_POSITIONS` positions (50,000 by default); the request is bounded by
/// `OCOP_BODY_LIMIT_BYTES`. `dry_run=true` returns the report feature by feature; otherwise
/// every boundary is written in one transaction, only if none has an error (422 with the
/// report's errors otherwise). A boundary whose box does not hold the unit's centroid is kept
/// with a warning (check the code).
#[utoipa::path(operation_id = "import_unit_boundaries", tag = "admin-units", security(("bearer" = [])), params(GeoImportQuery),
    request_body(content = Object, description = "A GeoJSON FeatureCollection", content_type = "application/json",
        example = json!({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "06688"},
            "geometry": {"type": "Polygon", "coordinates": [[[107.02, 20.94], [107.07, 20.94], [107.07, 20.98], [107.02, 20.98], [107.02, 20.94]]]}}]})),
    responses(
        (status = 200, description = "Dry run: the report / Kết quả kiểm tra", body = GeoImportReport),
        (status = 201, description = "Imported / Đã nhập", body = GeoImportReport),
        (status = 422, description = "Some features are invalid; nothing was written / Có đối tượng không hợp lệ", body = crate::error::Problem, content_type = "application/problem+json"),
    ))]
#[post("/admin-units/boundaries")]
pub async fn import_boundaries(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<GeoImportQuery>,
    body: ApiJson<Value>,
) -> ApiResult<HttpResponse> {
    user.require_admin()?;
    let features = geo_import::features(body.0, MAX_FEATURES)?;
    // Parsing and checking thousands of positions is CPU work: on the heavy-work pool.
    let max = state.boundary_max_positions;
    let checked = state.heavy.run(move || features.into_iter().map(|f| check(f, max)).collect::<Vec<_>>()).await?;
    // The units named, in one query.
    let units =
        admin_units::current_by_codes(&state.db, checked.iter().filter_map(|(code, _)| code.clone()).collect()).await?;
    let mut rows = Vec::with_capacity(checked.len());
    let mut ready = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (index, (code, shape)) in checked.into_iter().enumerate() {
        let prefix = format!("features[{index}]");
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let unit = code.as_ref().and_then(|c| units.get(c).cloned());
        match (&code, &unit) {
            (None, _) => errors.push(FieldError::new(
                format!("{prefix}.properties.code"),
                "required",
                "Thiếu mã đơn vị (properties.code).",
                "The unit's code (properties.code) is missing.",
            )),
            (Some(c), None) => errors.push(FieldError::new(
                format!("{prefix}.properties.code"),
                "unknown_unit",
                format!("Không có đơn vị hiện hành mã {c}."),
                format!("No current unit has the code {c}."),
            )),
            (Some(c), Some(_)) if !seen.insert(c.clone()) => errors.push(FieldError::new(
                format!("{prefix}.properties.code"),
                "duplicate",
                format!("Mã {c} xuất hiện hai lần."),
                format!("The code {c} appears twice."),
            )),
            _ => {}
        }
        match shape {
            Err(e) => errors.push(e.at(&prefix)),
            Ok((geometry, positions)) => {
                if let Some(u) = unit.filter(|_| errors.is_empty()) {
                    let bbox = geometry.bbox();
                    if let (Some(lon), Some(lat)) = (u.lon, u.lat)
                        && !bbox.contains_point(lon, lat)
                    {
                        warnings.push(FieldError::new(
                            format!("{prefix}.geometry"),
                            "centroid_outside",
                            format!("Ranh giới không bao tâm của {}: kiểm tra lại mã.", u.name),
                            format!("The boundary's box does not hold the centre of {}: check the code.", u.name),
                        ));
                    }
                    ready.push((u, geometry, bbox, positions));
                }
            }
        }
        rows.push(GeoImportRow { index, code, ok: errors.is_empty(), errors, warnings });
    }
    let rows = match geo_import::verdict(query.dry_run, rows)? {
        Verdict::Answer(report) => return Ok(report),
        Verdict::Write(rows) => rows,
    };
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let mut imported = 0;
    for (unit, geometry, bbox, positions) in ready {
        let before = json!({"code": unit.code, "bbox": [unit.min_lon, unit.min_lat, unit.max_lon, unit.max_lat]});
        let text = serde_json::to_string(&geometry).map_err(ApiError::internal)?;
        let saved = admin_units::set_boundary(&txn, unit, text, positions, bbox).await?;
        let after = json!({"code": saved.code, "has_boundary": true, "positions": positions,
            "bbox": [saved.min_lon, saved.min_lat, saved.max_lon, saved.max_lat]});
        audit::record(&txn, &user.audit(), "admin_unit.boundary", "admin_unit", saved.id, Some(&before), Some(&after))
            .await?;
        imported += 1;
    }
    txn.commit().await?;
    Ok(geo_import::imported(rows, imported))
}

/// Why a feature's geometry is refused.
struct ShapeError {
    field: String,
    message_vi: String,
    message_en: String,
}

impl ShapeError {
    fn at(self, prefix: &str) -> FieldError {
        FieldError::new(format!("{prefix}.{}", self.field), "geometry", self.message_vi, self.message_en)
    }
}

type Checked = (Option<String>, Result<(AreaGeometry, usize), ShapeError>);

/// A feature's code and its geometry, parsed and checked (structure and the position cap).
fn check(mut feature: Value, max_positions: usize) -> Checked {
    let code = feature.pointer("/properties/code").and_then(Value::as_str).map(|c| c.trim().to_owned());
    let shape = match serde_json::from_value::<AreaGeometry>(
        feature.get_mut("geometry").map(Value::take).unwrap_or_default(),
    ) {
        Err(e) => Err(ShapeError {
            field: "geometry".into(),
            message_vi: "Hình học phải là GeoJSON Polygon hoặc MultiPolygon.".into(),
            message_en: format!("The geometry must be a GeoJSON Polygon or MultiPolygon: {e}"),
        }),
        Ok(g) => match g.validate_shape(max_positions) {
            Ok(()) => {
                let positions = g.positions();
                Ok((g, positions))
            }
            Err(ocop_domain::geo::GeometryError::TooLarge { max, .. }) => Err(ShapeError {
                field: "geometry.coordinates".into(),
                message_vi: format!("Ranh giới có quá {max} điểm (OCOP_BOUNDARY_MAX_POSITIONS)."),
                message_en: format!("The boundary has more than {max} positions (OCOP_BOUNDARY_MAX_POSITIONS)."),
            }),
            Err(e) => Err(ShapeError {
                field: format!("geometry.{}", e.path()),
                message_vi: format!("Hình học không hợp lệ: {e}"),
                message_en: e.to_string(),
            }),
        },
    };
    (code, shape)
}
