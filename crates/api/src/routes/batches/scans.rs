//! Scan statistics and counterfeit alerts of the caller's stamps.

use super::*;

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ScanQuery {
    pub product_id: Option<Uuid>,
    /// The last this many days (default 30, at most 366).
    #[validate(range(min = 1, max = 366))]
    pub days: Option<i64>,
}

/// Scans on one day.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"day": "2026-12-03", "scans": 6}))]
pub struct DayCount {
    pub day: NaiveDate,
    pub scans: u64,
}

/// Scans of one product.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"product_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e93", "scans": 6}))]
pub struct ProductCount {
    pub product_id: Uuid,
    pub scans: u64,
}

/// Scans of one area (commune path).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"area_path": "/22/06970/", "scans": 6}))]
pub struct AreaCount {
    pub area_path: String,
    pub scans: u64,
}

/// A stamp whose scans look like counterfeiting, with the evidence behind the signals.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"code": "0A1B2C3D4E5F6G", "product_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e93", "scans": 6, "signals": ["too_many_scans"], "last_scan": "2026-12-03T08:00:00Z",
    "clients_in_window": 6, "far_apart": null}))]
pub struct ScanAlert {
    pub code: String,
    pub product_id: Uuid,
    /// All the stamp's scans.
    pub scans: u64,
    /// `too_many_scans` (more distinct clients within the window than the rules allow),
    /// `far_apart` (two clients far apart within the window).
    pub signals: Vec<String>,
    pub last_scan: DateTime<Utc>,
    /// The most distinct clients (keyed address hashes) that scanned it within one window.
    pub clients_in_window: usize,
    /// The two scans, by different clients, that lie far apart.
    pub far_apart: Option<Vec<PlacedScan>>,
}

/// A scan with its (coarse) place.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"scanned_at": "2026-12-03T08:00:00Z", "lat": 20.95, "lon": 107.08}))]
pub struct PlacedScan {
    pub scanned_at: DateTime<Utc>,
    pub lat: f64,
    pub lon: f64,
}

/// Scan statistics and counterfeit alerts.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"total": 6, "by_day": [{"day": "2026-12-03", "scans": 6}], "by_product": [{"product_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e93", "scans": 6}],
    "by_area": [{"area_path": "/22/06970/", "scans": 6}], "alerts": [{"code": "0A1B2C3D4E5F6G", "product_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e93", "scans": 6, "signals": ["too_many_scans"], "last_scan": "2026-12-03T08:00:00Z"}]}))]
pub struct ScanStats {
    pub total: u64,
    pub by_day: Vec<DayCount>,
    pub by_product: Vec<ProductCount>,
    pub by_area: Vec<AreaCount>,
    pub alerts: Vec<ScanAlert>,
}

/// Scan statistics and counterfeit alerts / Thống kê quét tem, cảnh báo hàng giả
/// (producers: their products; officers: their area).
#[utoipa::path(operation_id = "scan_stats", tag = "traceability", security(("bearer" = [])), params(ScanQuery), responses(
    (status = 200, description = "Statistics", body = ScanStats),
))]
#[get("/scans/stats")]
pub async fn stats(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ScanQuery>,
) -> ApiResult<web::Json<ScanStats>> {
    query.validate()?;
    state.scans.flush(&state.db).await;
    let since = Utc::now() - Duration::days(query.days.unwrap_or(30));
    let (within, mut products) = match batch_visibility(&user.actor()) {
        Visibility::All => (None, None),
        Visibility::Area(p) => (Some(p), None),
        Visibility::Subject(s) => (None, Some(products::ids_of_subject(&state.db, s).await?)),
        Visibility::Agenda(_) | Visibility::Nothing => return Err(ApiError::forbidden()),
    };
    if let Some(p) = query.product_id {
        products = Some(match products {
            Some(mine) if !mine.contains(&p) => Vec::new(),
            _ => vec![p],
        });
    }
    let counts = traceability::scan_counts(&state.db, within.as_deref(), products.clone(), since).await?;
    let mut by_day: BTreeMap<NaiveDate, u64> = BTreeMap::new();
    let mut by_product: HashMap<Uuid, u64> = HashMap::new();
    let mut by_area: BTreeMap<String, u64> = BTreeMap::new();
    let mut total = 0;
    for c in counts {
        let n = u64::try_from(c.scans).unwrap_or_default();
        total += n;
        *by_day.entry(c.day).or_default() += n;
        *by_product.entry(c.product_id).or_default() += n;
        *by_area.entry(c.area_path).or_default() += n;
    }
    let alerts =
        traceability::flagged_stamps(&state.db, within.as_deref(), products.as_deref(), since, &state.trace_rules)
            .await?
            .into_iter()
            .map(|f| ScanAlert {
                code: f.code,
                product_id: f.product_id,
                scans: f.scans,
                signals: f.evidence.signals.iter().map(|s| s.as_str().to_owned()).collect(),
                last_scan: f.last_scan,
                clients_in_window: f.evidence.clients_in_window,
                far_apart: f.evidence.far_pair.map(|(a, b)| {
                    [a, b]
                        .into_iter()
                        .filter_map(|s| s.place.map(|(lat, lon)| PlacedScan { scanned_at: s.at, lat, lon }))
                        .collect()
                }),
            })
            .collect();
    let mut by_product: Vec<ProductCount> =
        by_product.into_iter().map(|(product_id, scans)| ProductCount { product_id, scans }).collect();
    by_product.sort_by_key(|p| std::cmp::Reverse(p.scans));
    Ok(web::Json(ScanStats {
        total,
        by_day: by_day.into_iter().map(|(day, scans)| DayCount { day, scans }).collect(),
        by_product,
        by_area: by_area.into_iter().map(|(area_path, scans)| AreaCount { area_path, scans }).collect(),
        alerts,
    }))
}
