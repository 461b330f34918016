//! What a consumer sees when scanning a stamp: `GET /t/{code}` (a light HTML page for a cheap
//! phone on a slow network) and `GET /api/v1/public/trace/{code}` (the same data as JSON, with
//! the minimum fields of Circular 02/2024/TT-BKHCN). Every look-up is a scan: it is logged
//! (time, device class, a keyed hash of the address, a coarse place when the consumer shares
//! it) and the stamp's scans are checked for signs of counterfeiting.

mod html;
pub mod lookup;
pub mod pages;

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Utc;
use ocop_domain::calendar::vietnam_day;
use ocop_domain::product::Gtin;
use ocop_domain::traceability::{
    PLACE_WINDOW_MINUTES, Scan, client_key, coarse, device_class, parse_stamp_code, stamp_code,
};
use ocop_persistence::traceability::NewScan;
use ocop_persistence::{admin_units, certificates, maps, products, subjects, traceability};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::dto::{CachedBatch, LabTest, TraceBatch, TraceEvent, TraceInput};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::ApiJson;
use crate::stamps::{Miss, StampEntry};
use crate::state::AppState;

/// A stamp's trace.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"code": "0A1B2C3D4E5F6G", "serial": 17, "url": "https://ocop.quangninh.gov.vn/t/0A1B2C3D4E5F6G", "scans": 2, "signals": [],
    "warning_vi": null, "warning_en": null, "scan_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b9a01",
    "product_name": "Trà hoa vàng Ba Chẽ", "photo_url": "https://ocop.quangninh.gov.vn/api/v1/public/products/019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e93/photo?v=3f2a9c1b7d4e",
    "product_code": "22-000-06970-002-2026", "gtin": null, "producer_name": "Hợp tác xã Dược liệu Ba Chẽ",
    "producer_address": "Thôn Làng Han, xã Thanh Sơn, huyện Ba Chẽ", "producer_phone": "0203 3888 123", "star": 4, "certificate_number": "OCOP-22-2026-00001",
    "certificate_valid_until": "2029-11-22", "batch_code": "L2026-11", "produced_on": "2026-11-20", "expires_on": "2027-11-20", "standard": "TCCS 01:2024/HTX",
    "lab_tests": [{"laboratory": "Trung tâm Kiểm nghiệm Quảng Ninh", "tested_on": "2026-11-22", "passed": true, "summary": "Đạt chỉ tiêu vi sinh, kim loại nặng", "report_number": "KN-1123"}],
    "inputs": [{"material": "Hoa trà hoa vàng", "quantity": 50.0, "unit": "kg", "supplier": "Tổ hợp tác Làng Han", "origin": "Xã Thanh Sơn", "growing_area_code": "VN-22-202-06973-001-24", "growing_area_name": "Vùng trà hoa vàng Làng Han"}],
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

/// The batch part of a trace, from the cache or built.
async fn batch_part(state: &AppState, batch_id: Uuid) -> ApiResult<Arc<CachedBatch>> {
    if let Some(hit) = state.trace_cache.get(batch_id) {
        return Ok(hit);
    }
    let batch = traceability::find_batch(&state.db, batch_id).await?.ok_or_else(ApiError::not_found)?;
    let product = products::find(&state.db, batch.product_id).await?.ok_or_else(ApiError::not_found)?;
    let producer = subjects::find(&state.db, batch.subject_id).await?.ok_or_else(ApiError::not_found)?;
    let today = vietnam_day(Utc::now());
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
    let lot = crate::links::lot_uri(&state.public_base_url, batch.id);
    let events = traceability::query_events(
        &state.db,
        &traceability::EventQuery { match_epc: Some(vec![lot]), limit: 100, ..Default::default() },
    )
    .await?
    .into_iter()
    .map(|e| TraceEvent { event_type: e.event_type, event_time: e.event_time, biz_step: e.biz_step })
    .collect();
    let batch_part = TraceBatch {
        photo_url: crate::links::photo_url(&state.public_base_url, &product),
        photo_path: crate::links::photo_url("", &product),
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
        let decision = state.trace_limiter.take(&address, state.trace_rate_per_minute);
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
