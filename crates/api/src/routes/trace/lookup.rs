//! The public trace look-up (JSON) and the place a consumer shares for their scan.

use super::*;

/// A stamp's trace / Truy xuất nguồn gốc theo mã tem (public; counts as a scan).
///
/// Product, producer and address, star and certificate validity, batch (production date,
/// expiry, standard, lab tests), raw-material origins with their growing areas, the batch's
/// event timeline, the number of scans and any counterfeit warning. An unknown or voided code
/// is 404.
#[utoipa::path(operation_id = "public_trace", tag = "traceability", params(("code" = String, Path, description = "Stamp code")), responses(
    (status = 200, description = "The trace", body = Trace),
    (status = 404, description = "Not a valid stamp / Tem không hợp lệ", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 429, description = "Too many look-ups from this client", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[get("/public/trace/{code}")]
pub async fn public_trace(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let traced = trace(&state, &req, &code).await?;
    Ok(HttpResponse::Ok().content_type("application/json").body(traced.json()?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"lat": 20.9512, "lon": 107.0848}))]
pub struct ScanPlace {
    pub lat: f64,
    pub lon: f64,
}

/// Share where a scan happened / Chia sẻ vị trí quét (public, with the consumer's consent).
///
/// Stored rounded to 0.01° (about a kilometre); once per scan, by the client that scanned,
/// within 10 minutes of the scan.
#[utoipa::path(operation_id = "set_scan_place", tag = "traceability", params(("code" = String, Path, description = "Stamp code"), ("scan_id" = Uuid, Path, description = "The scan, from the trace")),
    request_body = ScanPlace, responses(
    (status = 204, description = "Kept / Đã ghi nhận"),
    (status = 404, description = "No such scan of this stamp by this client, or placed already", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 429, description = "Too many look-ups from this client", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/public/trace/{code}/scans/{scan_id}/place")]
pub async fn set_place(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, Uuid)>,
    body: ApiJson<ScanPlace>,
) -> ApiResult<HttpResponse> {
    let client_address = admit(&state, &req)?;
    let body = body.0;
    let (code, scan_id) = path.into_inner();
    let value = parse_stamp_code(&code).ok_or_else(ApiError::not_found)?;
    let code = stamp_code(value);
    let (lat, lon) = coarse(body.lat, body.lon).ok_or_else(|| {
        ApiError::invalid_field("lat", "coordinates", "Tọa độ không hợp lệ.", "Latitude −90…90, longitude −180…180.")
    })?;
    // Only the client that scanned, soon after: nobody else can move a scan to accuse a stamp.
    let now = Utc::now();
    let since = now - chrono::Duration::minutes(PLACE_WINDOW_MINUTES);
    let client_hash = state.scan_hasher.of(now.date_naive()).hash(&client_address);
    if !state.scans.place(&state.db, scan_id, &code, &client_hash, since, (lat, lon)).await? {
        return Err(ApiError::not_found());
    }
    state.stamp_cache.place(value, scan_id, (lat, lon));
    Ok(HttpResponse::NoContent().finish())
}
