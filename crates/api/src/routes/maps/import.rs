//! Growing areas imported from a GeoJSON FeatureCollection, reported row by row.

use super::*;
use crate::geo_import::{self, GeoImportQuery, GeoImportReport, GeoImportRow, Verdict};

/// Import growing areas from GeoJSON / Nhập vùng trồng từ GeoJSON.
///
/// A FeatureCollection whose features carry a Polygon or MultiPolygon and, as properties, the
/// fields of `GrowingAreaInput` (`code`, `name`, `crop`, `crop_cycle`, `declared_area_ha`,
/// `subject_id`, …). `dry_run=true` returns the report feature by feature; otherwise every
/// feature is written in one transaction, only if none has an error (422 with the report's
/// errors otherwise).
#[utoipa::path(operation_id = "import_growing_areas", tag = "maps", security(("bearer" = [])), params(GeoImportQuery),
    request_body(content = Object, description = "A GeoJSON FeatureCollection", content_type = "application/json",
        example = json!({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[107.27, 21.26], [107.2735, 21.26], [107.2735, 21.2635], [107.27, 21.2635], [107.27, 21.26]]]},
            "properties": {"code": "VN-22-202-06973-001-24", "name": "Vùng trồng trà hoa vàng", "crop": "Trà hoa vàng", "crop_cycle": "perennial", "declared_area_ha": 14, "subject_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e61"}}]})),
    responses(
        (status = 200, description = "Dry run: the report / Kết quả kiểm tra", body = GeoImportReport),
        (status = 201, description = "Imported / Đã nhập", body = GeoImportReport),
        (status = 422, description = "Some features are invalid; nothing was written / Có đối tượng không hợp lệ", body = crate::error::Problem, content_type = "application/problem+json"),
    ))]
#[post("/growing-areas/import")]
pub async fn import_growing_areas(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<GeoImportQuery>,
    body: ApiJson<Value>,
) -> ApiResult<HttpResponse> {
    let features = geo_import::features(body.0, 2000)?;
    let mut rows = Vec::with_capacity(features.len());
    let mut ready = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (index, feature) in features.into_iter().enumerate() {
        let prefix = format!("features[{index}]");
        let mut props = feature.get("properties").cloned().unwrap_or(json!({}));
        let code = props.get("code").and_then(Value::as_str).map(str::to_owned);
        props["geometry"] = feature.get("geometry").cloned().unwrap_or(Value::Null);
        let outcome = match serde_json::from_value::<GrowingAreaInput>(props) {
            Ok(input) => prepare_growing_area(&state, &user, input, None, &prefix).await?,
            Err(e) => Preparation::Refused(vec![FieldError::new(
                format!("{prefix}.properties"),
                "format",
                format!("Thuộc tính không hợp lệ: {e}"),
                format!("Invalid properties: {e}"),
            )]),
        };
        let (errors, warnings) = match outcome {
            Preparation::Ready { row, warnings } => {
                let mut errors = Vec::new();
                if !seen.insert(row.code.clone()) || taken(&state, &row.code, None).await? {
                    errors.push(FieldError::new(
                        format!("{prefix}.code"),
                        "taken",
                        format!("Mã {} đã được dùng.", row.code),
                        format!("The code {} is taken.", row.code),
                    ));
                } else {
                    ready.push(*row);
                }
                (errors, warnings)
            }
            Preparation::Refused(errors) => (errors, Vec::new()),
        };
        rows.push(GeoImportRow { index, code, ok: errors.is_empty(), errors, warnings });
    }
    let rows = match geo_import::verdict(query.dry_run, rows)? {
        Verdict::Answer(report) => return Ok(report),
        Verdict::Write(rows) => rows,
    };
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let mut imported = 0;
    for row in ready {
        let saved = maps::save_growing_area(&txn, row, true).await?;
        audit::record::<(), _>(
            &txn,
            &user.audit(),
            "growing_area.import",
            "growing_area",
            saved.id,
            None,
            Some(&saved),
        )
        .await?;
        imported += 1;
    }
    txn.commit().await?;
    Ok(geo_import::imported(rows, imported))
}
