//! What a consumer sees when scanning a stamp: `GET /t/{code}` (a light HTML page for a cheap
//! phone on a slow network) and `GET /api/v1/public/trace/{code}` (the same data as JSON, with
//! the minimum fields of Circular 02/2024/TT-BKHCN). Every look-up is a scan: it is logged
//! (time, device class, a keyed hash of the address, a coarse place when the consumer shares
//! it) and the stamp's scans are checked for signs of counterfeiting.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{NaiveDate, Utc};
use ocop_domain::product::Gtin;
use ocop_domain::traceability::{
    PLACE_WINDOW_MINUTES, Scan, client_key, coarse, device_class, parse_stamp_code, stamp_code, vietnam_time,
};
use ocop_persistence::traceability::NewScan;
use ocop_persistence::{admin_units, certificates, maps, products, subjects, traceability};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::ApiJson;
use crate::routes::batches::LabTest;
use crate::stamps::{Miss, StampEntry};
use crate::state::AppState;

/// A raw material of the batch and where it came from.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"material": "Hoa trà hoa vàng", "quantity": 50.0, "unit": "kg", "supplier": "Tổ hợp tác Làng Han", "origin": "Xã Thanh Sơn", "growing_area_code": "VN-22-202-06739-001-24", "growing_area_name": "Vùng trà hoa vàng Làng Han"}))]
pub struct TraceInput {
    pub material: String,
    pub quantity: Option<f64>,
    pub unit: String,
    pub supplier: String,
    /// The commune it came from.
    pub origin: Option<String>,
    /// Code and name of the growing area (mã số vùng trồng).
    pub growing_area_code: Option<String>,
    pub growing_area_name: Option<String>,
}

/// A step of the batch's history (an EPCIS event).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"event_type": "ObjectEvent", "event_time": "2026-11-20T01:00:00Z", "biz_step": "commissioning"}))]
pub struct TraceEvent {
    pub event_type: String,
    pub event_time: chrono::DateTime<Utc>,
    /// CBV business step (`commissioning`, `packing`, `shipping`, …).
    pub biz_step: Option<String>,
}

/// What does not change from one scan to the next: product, producer, certificate, batch.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"product_name": "Trà hoa vàng Ba Chẽ", "photo_url": null, "product_code": "22-202-06739-002-2026", "gtin": null, "producer_name": "Hợp tác xã Dược liệu Ba Chẽ",
    "producer_address": "Thôn Làng Han, xã Thanh Sơn, huyện Ba Chẽ", "producer_phone": "0203 3888 123", "star": 4, "certificate_number": "OCOP-22-2026-00001",
    "certificate_valid_until": "2029-11-22", "batch_code": "L2026-11", "produced_on": "2026-11-20", "expires_on": "2027-11-20", "standard": "TCCS 01:2024/HTX",
    "lab_tests": [], "inputs": [], "events": []}))]
pub struct TraceBatch {
    pub product_name: String,
    /// The product photo, if it has one.
    pub photo_url: Option<String>,
    pub product_code: String,
    pub gtin: Option<String>,
    pub producer_name: String,
    pub producer_address: String,
    pub producer_phone: String,
    /// Star of the certificate in force, if any.
    pub star: Option<i16>,
    pub certificate_number: Option<String>,
    pub certificate_valid_until: Option<NaiveDate>,
    pub batch_code: String,
    pub produced_on: NaiveDate,
    /// Shelf life: the batch's expiry.
    pub expires_on: Option<NaiveDate>,
    /// Standard applied.
    pub standard: String,
    pub lab_tests: Vec<LabTest>,
    pub inputs: Vec<TraceInput>,
    pub events: Vec<TraceEvent>,
    #[serde(skip)]
    pub product_id: Uuid,
    #[serde(skip)]
    pub area_path: Arc<str>,
    /// The photo's address on this server, for the page.
    #[serde(skip)]
    pub photo_path: Option<String>,
}

/// A stamp's trace.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"code": "0A1B2C3D4E5F6G", "serial": 17, "url": "https://ocop.quangninh.gov.vn/t/0A1B2C3D4E5F6G", "scans": 2, "signals": [],
    "warning_vi": null, "warning_en": null, "scan_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b9a01",
    "product_name": "Trà hoa vàng Ba Chẽ", "photo_url": "https://ocop.quangninh.gov.vn/api/v1/public/products/019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e93/photo?v=3f2a9c1b7d4e",
    "product_code": "22-202-06739-002-2026", "gtin": null, "producer_name": "Hợp tác xã Dược liệu Ba Chẽ",
    "producer_address": "Thôn Làng Han, xã Thanh Sơn, huyện Ba Chẽ", "producer_phone": "0203 3888 123", "star": 4, "certificate_number": "OCOP-22-2026-00001",
    "certificate_valid_until": "2029-11-22", "batch_code": "L2026-11", "produced_on": "2026-11-20", "expires_on": "2027-11-20", "standard": "TCCS 01:2024/HTX",
    "lab_tests": [{"laboratory": "Trung tâm Kiểm nghiệm Quảng Ninh", "tested_on": "2026-11-22", "passed": true, "summary": "Đạt chỉ tiêu vi sinh, kim loại nặng", "report_number": "KN-1123"}],
    "inputs": [{"material": "Hoa trà hoa vàng", "quantity": 50.0, "unit": "kg", "supplier": "Tổ hợp tác Làng Han", "origin": "Xã Thanh Sơn", "growing_area_code": "VN-22-202-06739-001-24", "growing_area_name": "Vùng trà hoa vàng Làng Han"}],
    "events": [{"event_type": "ObjectEvent", "event_time": "2026-11-20T01:00:00Z", "biz_step": "commissioning"}]}))]
pub struct Trace {
    /// The stamp's code (the product trace code).
    pub code: String,
    /// Serial within the batch.
    pub serial: i64,
    pub url: String,
    /// How many times this stamp was scanned, this scan included.
    pub scans: u64,
    /// `too_many_scans`, `far_apart`.
    pub signals: Vec<String>,
    pub warning_vi: Option<String>,
    pub warning_en: Option<String>,
    /// This scan, to attach a place to when the consumer shares it.
    pub scan_id: Uuid,
    #[serde(flatten)]
    pub batch: TraceBatch,
}

/// The batch part of a trace with its JSON, serialised once.
#[derive(Debug)]
pub struct CachedBatch {
    pub batch: TraceBatch,
    json: String,
}

/// The batch part of a trace, from the cache or built.
async fn batch_part(state: &AppState, batch_id: Uuid) -> ApiResult<Arc<CachedBatch>> {
    if let Some(hit) = state.trace_cache.get(batch_id) {
        return Ok(hit);
    }
    let batch = traceability::find_batch(&state.db, batch_id).await?.ok_or_else(ApiError::not_found)?;
    let product = products::find(&state.db, batch.product_id).await?.ok_or_else(ApiError::not_found)?;
    let producer = subjects::find(&state.db, batch.subject_id).await?.ok_or_else(ApiError::not_found)?;
    let today = Utc::now().date_naive();
    let cert = certificates::in_force(&state.db, vec![product.id], today).await?.into_iter().max_by_key(|c| c.star);
    let mut inputs = Vec::new();
    for i in traceability::inputs(&state.db, batch.id).await? {
        let origin = match i.origin_commune_id {
            Some(id) => admin_units::find(&state.db, id).await?.map(|u| u.name),
            None => None,
        };
        let area = match i.growing_area_id {
            Some(id) => maps::find_growing_area(&state.db, id).await?,
            None => None,
        };
        inputs.push(TraceInput {
            material: i.material,
            quantity: i.quantity,
            unit: i.unit,
            supplier: i.supplier,
            origin,
            growing_area_code: area.as_ref().map(|a| a.code.clone()),
            growing_area_name: area.map(|a| a.name),
        });
    }
    let lot = crate::routes::batches::lot_uri(&state.public_base_url, batch.id);
    let events = traceability::query_events(
        &state.db,
        &traceability::EventQuery { match_epc: Some(vec![lot]), limit: 100, ..Default::default() },
    )
    .await?
    .into_iter()
    .map(|e| TraceEvent { event_type: e.event_type, event_time: e.event_time, biz_step: e.biz_step })
    .collect();
    let batch_part = TraceBatch {
        photo_url: crate::routes::products::photo_url(&state.public_base_url, &product),
        photo_path: crate::routes::products::photo_url("", &product),
        product_name: product.name,
        product_code: product.code,
        gtin: product.gtin,
        producer_name: producer.name,
        producer_address: producer.address,
        producer_phone: producer.phone,
        star: cert.as_ref().map(|c| c.star),
        certificate_number: cert.as_ref().map(|c| c.number.clone()),
        certificate_valid_until: cert.as_ref().map(|c| c.valid_until),
        batch_code: batch.code,
        produced_on: batch.produced_on,
        expires_on: batch.expires_on,
        standard: batch.standard,
        lab_tests: traceability::lab_tests(&state.db, batch.id).await?.into_iter().map(LabTest::from).collect(),
        inputs,
        events,
        product_id: product.id,
        area_path: batch.area_path.into(),
    };
    let json = serde_json::to_string(&batch_part).map_err(ApiError::internal)?;
    let part = Arc::new(CachedBatch { batch: batch_part, json });
    state.trace_cache.put(batch_id, part.clone());
    Ok(part)
}

/// The per-scan part of a trace.
#[derive(Debug, Serialize)]
struct TraceHead {
    code: String,
    serial: i64,
    url: String,
    scans: u64,
    signals: Vec<&'static str>,
    warning_vi: Option<String>,
    warning_en: Option<String>,
    scan_id: Uuid,
}

struct Traced {
    head: TraceHead,
    batch: Arc<CachedBatch>,
}

impl Traced {
    /// The whole trace (the page renders it; the JSON answer is spliced for speed).
    fn whole(&self) -> Trace {
        let h = &self.head;
        Trace {
            code: h.code.clone(),
            serial: h.serial,
            url: h.url.clone(),
            scans: h.scans,
            signals: h.signals.iter().map(|s| (*s).to_owned()).collect(),
            warning_vi: h.warning_vi.clone(),
            warning_en: h.warning_en.clone(),
            scan_id: h.scan_id,
            batch: self.batch.batch.clone(),
        }
    }

    /// `Trace` as JSON: the per-scan fields, then the batch's, serialised once.
    fn json(&self) -> ApiResult<Vec<u8>> {
        let mut out = Vec::with_capacity(512 + self.batch.json.len());
        serde_json::to_writer(&mut out, &self.head).map_err(ApiError::internal)?;
        out.pop(); // the head's closing brace
        out.push(b',');
        out.extend_from_slice(&self.batch.json.as_bytes()[1..]);
        Ok(out)
    }
}

/// Reads a stamp into the cache (an unknown code too, as not valid); `false` when there is
/// no such stamp.
async fn load_stamp(state: &AppState, value: u64, code: &str) -> ApiResult<bool> {
    let Some(stamp) = traceability::find_stamp(&state.db, code).await? else {
        state.stamp_cache.put(value, StampEntry::unknown());
        return Ok(false);
    };
    // Scans of this instance not written yet are not in this count; `put` keeps the larger.
    let count = u64::try_from(stamp.scan_count).unwrap_or(0);
    let since = Utc::now() - chrono::Duration::hours(state.trace_rules.window_hours.max(0));
    let latest = match count {
        0 => Vec::new(),
        _ => traceability::recent_scans(&state.db, code, since, StampEntry::RECENT as u64).await?,
    };
    let recent = latest.into_iter().map(|scan| (Uuid::nil(), scan));
    state
        .stamp_cache
        .put(value, StampEntry::new(stamp.batch_id, stamp.serial, stamp.voided_at.is_some(), count, recent.collect()));
    Ok(true)
}

/// Spends one public look-up of the client's budget (`OCOP_TRACE_RATE_PER_MINUTE`, 0: no
/// limit); returns the client's address.
fn admit(state: &AppState, req: &HttpRequest) -> ApiResult<String> {
    let address = state.client_address(req);
    if state.trace_rate_per_minute > 0 {
        let decision = state.rate_limiter.take(&format!("trace:{address}"), state.trace_rate_per_minute);
        if !decision.allowed {
            return Err(ApiError::new(ErrorCode::TooManyRequests).retry_after(decision.retry_after_seconds));
        }
    }
    Ok(address)
}

/// Looks a stamp up and logs the scan. Stamps and batches are served from memory once read
/// (see `StampCache`); the scan is written within a second by the worker.
async fn trace(state: &AppState, req: &HttpRequest, code: &str) -> ApiResult<Traced> {
    let client_address = admit(state, req)?;
    let value = parse_stamp_code(code).ok_or_else(ApiError::not_found)?;
    let code = stamp_code(value);
    let now = Utc::now();
    let scan_id = ocop_persistence::new_id();
    let client_hash = state.scan_hasher.of(now.date_naive()).hash(&client_address);
    let scan = Scan { at: now, place: None, client: client_key(&client_hash) };
    let scanned = match state.stamp_cache.scan(value, scan_id, scan, &state.trace_rules) {
        Err(Miss::Stale) if load_stamp(state, value, &code).await? => {
            state.stamp_cache.scan(value, scan_id, scan, &state.trace_rules).map_err(|_| ApiError::not_found())?
        }
        counted => counted.map_err(|_| ApiError::not_found())?,
    };
    let part = batch_part(state, scanned.batch_id).await?;
    let agent = req.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or_default();
    state.scans.record(NewScan {
        id: scan_id,
        code: code.clone(),
        product_id: part.batch.product_id,
        area_path: part.batch.area_path.clone(),
        scanned_at: now,
        place: None,
        device_class: device_class(agent),
        client_hash,
    });
    let count = scanned.count;
    let raised = scanned.signals;
    let warned = !raised.is_empty();
    let rules = state.trace_rules;
    Ok(Traced {
        head: TraceHead {
            url: format!("{}/t/{code}", state.public_base_url),
            code,
            serial: scanned.serial,
            scans: count,
            signals: raised.iter().map(|s| s.as_str()).collect(),
            warning_vi: warned.then(|| {
                format!("Cảnh báo: trong {} giờ, tem này đã được quét bởi hơn {} người (thiết bị) khác nhau hoặc ở những nơi cách xa nhau. Sản phẩm có thể là hàng giả; hãy liên hệ nhà sản xuất.", rules.window_hours, rules.max_scans)
            }),
            warning_en: warned.then(|| {
                format!("Warning: within {} hours this stamp has been scanned by more than {} different people (devices) or from places far apart. The product may be counterfeit; contact the producer.", rules.window_hours, rules.max_scans)
            }),
            scan_id,
        },
        batch: part,
    })
}

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
    let kept = state.scans.place(scan_id, &code, &client_hash, since, (lat, lon))
        || traceability::set_scan_place(&state.db, scan_id, &code, &client_hash, since, (lat, lon)).await?;
    if !kept {
        return Err(ApiError::not_found());
    }
    state.stamp_cache.place(value, scan_id, (lat, lon));
    Ok(HttpResponse::NoContent().finish())
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

const PAGE_STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;background:#fafafa;color:#222}main{max-width:560px;margin:auto;padding:16px}\
h1{font-size:1.3em;margin:.2em 0}h2{font-size:1.05em;margin:1.2em 0 .4em;color:#b71c1c}.card{background:#fff;border-radius:8px;padding:12px 14px;margin:10px 0;box-shadow:0 1px 2px #0002}\
.star{color:#e6a700;font-size:1.2em}.warn{background:#fdecea;color:#a4000f;border:1px solid #f5c2c0}.ok{color:#1b5e20}dt{color:#666;font-size:.85em}dd{margin:0 0 .5em}\
button{padding:8px 12px;border-radius:6px;border:1px solid #999;background:#fff}small{color:#777}\
.photo{display:block;width:100%;max-height:240px;object-fit:cover;border-radius:6px;background:#eee}";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title><style>{PAGE_STYLE}</style></head><body><main>{body}</main></body></html>",
        esc(title)
    )
}

fn trace_page(t: &Trace) -> String {
    let b = &t.batch;
    let mut html = String::new();
    if let Some(w) = &t.warning_vi {
        html.push_str(&format!(
            "<div class=\"card warn\" id=\"warning\" role=\"alert\"><strong>{}</strong></div>",
            esc(w)
        ));
    }
    html.push_str("<div class=\"card\">");
    if let Some(photo) = &b.photo_path {
        html.push_str(&format!(
            "<img id=\"photo\" class=\"photo\" src=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\">",
            esc(photo),
            esc(&b.product_name)
        ));
    }
    html.push_str(&format!("<h1>{}</h1>", esc(&b.product_name)));
    match (b.star, &b.certificate_number, b.certificate_valid_until) {
        (Some(star), Some(number), Some(until)) => html.push_str(&format!(
            "<div class=\"star\" id=\"star\">{} <small>Sản phẩm OCOP {star} sao</small></div><small>Giấy chứng nhận {} · hiệu lực đến {}</small>",
            "★".repeat(usize::try_from(star).unwrap_or(0)),
            esc(number),
            dmy(until)
        )),
        _ => html.push_str("<small>Chưa có giấy chứng nhận OCOP còn hiệu lực.</small>"),
    }
    html.push_str(&format!(
        "<dl><dt>Mã sản phẩm</dt><dd>{}</dd><dt>Mã tem · số sê-ri</dt><dd>{} · {}</dd><dt>Số lần quét tem</dt><dd id=\"scans\">{}</dd></dl></div>",
        esc(&b.product_code),
        esc(&t.code),
        t.serial,
        t.scans
    ));
    html.push_str(&format!(
        "<div class=\"card\"><h2>Nhà sản xuất</h2><dl><dt>Tên</dt><dd>{}</dd><dt>Địa chỉ</dt><dd>{}</dd><dt>Điện thoại</dt><dd>{}</dd></dl></div>",
        esc(&b.producer_name),
        esc(&b.producer_address),
        esc(&b.producer_phone)
    ));
    html.push_str(&format!(
        "<div class=\"card\" id=\"batch\"><h2>Lô sản xuất</h2><dl><dt>Số lô</dt><dd>{}</dd><dt>Ngày sản xuất</dt><dd>{}</dd><dt>Hạn sử dụng</dt><dd>{}</dd><dt>Tiêu chuẩn áp dụng</dt><dd>{}</dd>",
        esc(&b.batch_code),
        dmy(b.produced_on),
        b.expires_on.map_or_else(|| "—".to_owned(), dmy),
        esc(&b.standard)
    ));
    for test in &b.lab_tests {
        html.push_str(&format!(
            "<dt>Kiểm nghiệm ({}, {})</dt><dd class=\"{}\">{} — {}</dd>",
            esc(&test.laboratory),
            dmy(test.tested_on),
            if test.passed { "ok" } else { "warn" },
            if test.passed { "Đạt" } else { "Không đạt" },
            esc(&test.summary)
        ));
    }
    html.push_str("</dl></div>");
    if !b.inputs.is_empty() {
        html.push_str("<div class=\"card\"><h2>Nguồn gốc nguyên liệu</h2><ul>");
        for i in &b.inputs {
            let area = match (&i.growing_area_code, &i.growing_area_name) {
                (Some(code), Some(name)) => format!(" · vùng trồng {} ({})", esc(name), esc(code)),
                _ => String::new(),
            };
            let origin = i.origin.as_deref().map(|o| format!(" · {}", esc(o))).unwrap_or_default();
            html.push_str(&format!("<li>{} — {}{origin}{area}</li>", esc(&i.material), esc(&i.supplier)));
        }
        html.push_str("</ul></div>");
    }
    if !b.events.is_empty() {
        html.push_str("<div class=\"card\"><h2>Hành trình sản phẩm</h2><ul>");
        for e in &b.events {
            let when = e.event_time.with_timezone(&vietnam_time()).format("%d/%m/%Y %H:%M");
            html.push_str(&format!("<li>{when} — {}</li>", esc(step_vi(e.biz_step.as_deref()))));
        }
        html.push_str("</ul></div>");
    }
    html.push_str(&format!(
        "<div class=\"card\"><button id=\"share\">Chia sẻ vị trí quét (giúp phát hiện hàng giả)</button> <small id=\"shared\"></small></div>\
<script>document.getElementById('share').onclick=function(){{navigator.geolocation&&navigator.geolocation.getCurrentPosition(function(p){{\
fetch('/api/v1/public/trace/{code}/scans/{scan}/place',{{method:'POST',headers:{{'Content-Type':'application/json'}},body:JSON.stringify({{lat:p.coords.latitude,lon:p.coords.longitude}})}})\
.then(function(){{document.getElementById('shared').textContent='Cảm ơn bạn.'}})}})}}</script>",
        code = t.code,
        scan = t.scan_id
    ));
    page(&format!("{} — truy xuất nguồn gốc", b.product_name), &html)
}

fn step_vi(step: Option<&str>) -> &'static str {
    match step {
        Some("commissioning") => "Thu hoạch, khởi tạo lô",
        Some("transforming") => "Chế biến",
        Some("packing") => "Đóng gói",
        Some("shipping") => "Xuất hàng",
        Some("receiving") => "Nhận hàng",
        Some("inspecting") => "Kiểm tra",
        Some("retail_selling") => "Bán lẻ",
        _ => "Sự kiện chuỗi cung ứng",
    }
}

fn invalid_page() -> HttpResponse {
    HttpResponse::NotFound().content_type("text/html; charset=utf-8").body(page(
        "Tem không hợp lệ",
        "<div class=\"card warn\" id=\"invalid\"><h1>Tem không hợp lệ</h1><p>Mã tem này không có trong hệ thống hoặc đã bị hủy. Sản phẩm có thể không chính hãng.</p><p><small>This is not a valid stamp.</small></p></div>",
    ))
}

/// The consumer's scan page / Trang truy xuất khi quét tem (HTML, public).
#[utoipa::path(operation_id = "scan_page", tag = "traceability", params(("code" = String, Path, description = "Stamp code")), responses(
    (status = 200, description = "The page", content_type = "text/html", body = String),
    (status = 404, description = "\"This is not a valid stamp\" page", content_type = "text/html", body = String),
    (status = 429, description = "\"Too many look-ups\" page", content_type = "text/html", body = String),
))]
#[get("/t/{code}")]
pub async fn scan_page(state: web::Data<AppState>, req: HttpRequest, code: web::Path<String>) -> HttpResponse {
    match trace(&state, &req, &code).await {
        Ok(t) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(trace_page(&t.whole())),
        Err(e) if e.problem().status == 404 => invalid_page(),
        Err(e) if e.code == ErrorCode::TooManyRequests => HttpResponse::TooManyRequests()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::RETRY_AFTER, "60"))
            .body(page(
                "Quá nhiều lượt tra cứu",
                "<div class=\"card warn\"><h1>Quá nhiều lượt tra cứu</h1><p>Vui lòng thử lại sau một phút.</p><p><small>Too many look-ups; try again in a minute.</small></p></div>",
            )),
        Err(e) => {
            tracing::error!(error = ?e.problem(), "scan page failed");
            HttpResponse::ServiceUnavailable()
                .content_type("text/html; charset=utf-8")
                .body(page("Tạm thời gián đoạn", "<p>Hệ thống đang bận, vui lòng thử lại sau.</p>"))
        }
    }
}

/// GS1 Digital Link / Đường dẫn GS1 Digital Link (public):
/// `/01/{gtin}/10/{lot}/21/{serial}`, where the serial (AI 21) is the stamp's own code, so
/// that what is printed on a package never lets anyone list the other stamps of its batch.
/// The GTIN may be given in its 8, 12, 13 or 14-digit form. Redirects to the stamp's page;
/// rate-limited per client like the page.
#[utoipa::path(operation_id = "digital_link", tag = "traceability", params(
    ("gtin" = String, Path, description = "GTIN of the product (8, 12, 13 or 14 digits)"), ("lot" = String, Path, description = "Batch (lot) code"), ("serial" = String, Path, description = "The stamp's code")), responses(
    (status = 302, description = "To /t/{code}"),
    (status = 404, description = "\"This is not a valid stamp\" page", content_type = "text/html", body = String),
    (status = 429, description = "Too many look-ups from this client", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[get("/01/{gtin}/10/{lot}/21/{serial}")]
pub async fn digital_link(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
) -> ApiResult<HttpResponse> {
    admit(&state, &req)?;
    let (gtin, lot, serial) = path.into_inner();
    let found = async {
        let gtin = Gtin::parse(&gtin).ok()?.gtin14();
        let code = stamp_code(parse_stamp_code(&serial)?);
        let stamp = traceability::find_stamp(&state.db, &code).await.ok()??;
        let batch = traceability::find_batch(&state.db, stamp.batch_id).await.ok()??;
        let product = products::find(&state.db, batch.product_id).await.ok()??;
        let product_gtin = Gtin::parse(product.gtin.as_deref()?).ok()?.gtin14();
        (stamp.voided_at.is_none() && batch.code == lot && product_gtin == gtin).then_some(code)
    }
    .await;
    Ok(match found {
        Some(code) => HttpResponse::Found().insert_header((header::LOCATION, format!("/t/{code}"))).finish(),
        None => invalid_page(),
    })
}
