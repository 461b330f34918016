//! Batch records (hồ sơ lô): production batches of a product with their raw-material inputs,
//! lab tests and retained samples; e-stamps issued per batch by a background job, downloaded
//! as a code list or printable sheets, voided by range; scan statistics and counterfeit alerts.

use std::collections::{BTreeMap, HashMap};

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, put, web};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use ocop_domain::access::{Owner, Visibility, batch_visibility, check_keep_batch, check_read_batch};
use ocop_domain::traceability::{MAX_STAMPS_PER_JOB, may_source_from, printed_code};
use ocop_persistence::entities::{batch, batch_input, epcis_event, lab_test, retained_sample, stamp_job};
use ocop_persistence::{audit, products, traceability};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, ErrorCode, FieldError};
use crate::extract::ApiJson;
use crate::files::{pdf_or_image, private_download, receive, storage_key};
use crate::paging::{Page, paging};
use crate::state::AppState;

/// The HTTP URL that names a batch (lot) in EPCIS events: this server's, as the batch has no GS1 code.
pub fn lot_uri(base: &str, batch: Uuid) -> String {
    format!("{base}/lots/{batch}")
}

/// A production batch.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b9b01", "product_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e93", "code": "L2026-11",
    "produced_on": "2026-11-20", "quantity": 500.0, "unit": "hộp", "expires_on": "2027-11-20", "standard": "TCCS 01:2024/HTX", "stamps": 100, "voided": 0,
    "lot_uri": "https://ocop.quangninh.gov.vn/lots/019a8f2e-7b1c-7e3a-9c51-3f0d2a6b9b01"}))]
pub struct Batch {
    pub id: Uuid,
    pub product_id: Uuid,
    /// The lot number, unique per product.
    pub code: String,
    pub produced_on: NaiveDate,
    pub quantity: f64,
    pub unit: String,
    pub expires_on: Option<NaiveDate>,
    pub standard: String,
    /// Stamps issued, and how many of them are voided.
    pub stamps: u64,
    pub voided: u64,
    /// The batch's identifier in EPCIS events.
    pub lot_uri: String,
}

/// A raw material of a batch.
#[derive(Debug, Serialize, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"material": "Hoa trà hoa vàng", "quantity": 50.0, "unit": "kg", "supplier": "Tổ hợp tác Làng Han", "origin_commune_id": null, "growing_area_id": null}))]
pub struct BatchInput {
    #[validate(length(min = 2, max = 200))]
    pub material: String,
    pub quantity: Option<f64>,
    #[validate(length(max = 32))]
    #[serde(default)]
    pub unit: String,
    #[validate(length(min = 2, max = 200))]
    pub supplier: String,
    pub origin_commune_id: Option<Uuid>,
    pub growing_area_id: Option<Uuid>,
}

/// A lab test of a batch.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"laboratory": "Trung tâm Kiểm nghiệm Quảng Ninh", "tested_on": "2026-11-22", "passed": true, "summary": "Đạt chỉ tiêu vi sinh, kim loại nặng", "report_number": "KN-1123"}))]
pub struct LabTest {
    #[validate(length(min = 2, max = 200))]
    pub laboratory: String,
    pub tested_on: NaiveDate,
    pub passed: bool,
    #[validate(length(min = 2, max = 1000))]
    pub summary: String,
    #[validate(length(max = 100))]
    pub report_number: Option<String>,
}

/// A retained sample of a batch.
#[derive(Debug, Serialize, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"kept_at": "Kho mẫu HTX, thôn Làng Han", "kept_until": "2027-12-31", "quantity": "3 hộp"}))]
pub struct RetainedSample {
    #[validate(length(min = 2, max = 300))]
    pub kept_at: String,
    pub kept_until: NaiveDate,
    #[validate(length(min = 1, max = 100))]
    pub quantity: String,
}

impl From<lab_test::Model> for LabTest {
    fn from(t: lab_test::Model) -> Self {
        Self {
            laboratory: t.laboratory,
            tested_on: t.tested_on,
            passed: t.passed,
            summary: t.summary,
            report_number: t.report_number,
        }
    }
}

/// A stamp-issuing job.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b9c01", "batch_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b9b01", "requested": 100, "issued": 100,
    "first_serial": 1, "last_serial": 100, "status": "done", "error": null, "created_at": "2026-12-03T08:00:00Z", "finished_at": "2026-12-03T08:00:01Z"}))]
pub struct StampJob {
    pub id: Uuid,
    pub batch_id: Uuid,
    pub requested: i32,
    /// Issued so far.
    pub issued: i32,
    pub first_serial: i64,
    pub last_serial: i64,
    /// `running`, `done` or `failed`.
    pub status: String,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<stamp_job::Model> for StampJob {
    fn from(j: stamp_job::Model) -> Self {
        Self {
            last_serial: j.first_serial + i64::from(j.requested) - 1,
            id: j.id,
            batch_id: j.batch_id,
            requested: j.requested,
            issued: j.issued,
            first_serial: j.first_serial,
            status: j.status,
            error: j.error,
            created_at: j.created_at,
            finished_at: j.finished_at,
        }
    }
}

/// A batch with its record.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b9b01", "product_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e93", "code": "L2026-11",
    "produced_on": "2026-11-20", "quantity": 500.0, "unit": "hộp", "expires_on": "2027-11-20", "standard": "TCCS 01:2024/HTX", "stamps": 0, "voided": 0,
    "lot_uri": "https://ocop.quangninh.gov.vn/lots/019a8f2e-7b1c-7e3a-9c51-3f0d2a6b9b01", "inputs": [], "lab_tests": [], "samples": [], "jobs": []}))]
pub struct BatchDetail {
    #[serde(flatten)]
    pub batch: Batch,
    pub inputs: Vec<BatchInput>,
    pub lab_tests: Vec<RecordedLabTest>,
    pub samples: Vec<RetainedSample>,
    pub jobs: Vec<StampJob>,
}

/// A lab test as recorded, with its report file when one is attached.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b9c11", "laboratory": "Trung tâm Kiểm nghiệm Quảng Ninh", "tested_on": "2026-11-22", "passed": true,
    "summary": "Đạt chỉ tiêu vi sinh, kim loại nặng", "report_number": "KN-1123", "report": {"file_name": "KN-1123.pdf", "content_type": "application/pdf"}}))]
pub struct RecordedLabTest {
    pub id: Uuid,
    #[serde(flatten)]
    pub test: LabTest,
    pub report: Option<ReportFile>,
}

/// An attached file (download it from the lab test's `report` address).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"file_name": "KN-1123.pdf", "content_type": "application/pdf"}))]
pub struct ReportFile {
    pub file_name: String,
    pub content_type: String,
}

impl From<lab_test::Model> for RecordedLabTest {
    fn from(t: lab_test::Model) -> Self {
        let report = match (&t.report_name, &t.report_type) {
            (Some(name), Some(kind)) => Some(ReportFile { file_name: name.clone(), content_type: kind.clone() }),
            _ => None,
        };
        Self { id: t.id, report, test: LabTest::from(t) }
    }
}

async fn summary(state: &AppState, b: batch::Model) -> ApiResult<Batch> {
    let (stamps, voided) = traceability::count_stamps(&state.db, b.id).await?;
    Ok(Batch {
        lot_uri: lot_uri(&state.public_base_url, b.id),
        id: b.id,
        product_id: b.product_id,
        code: b.code,
        produced_on: b.produced_on,
        quantity: b.quantity,
        unit: b.unit,
        expires_on: b.expires_on,
        standard: b.standard,
        stamps,
        voided,
    })
}

async fn detail(state: &AppState, b: batch::Model) -> ApiResult<BatchDetail> {
    let id = b.id;
    Ok(BatchDetail {
        batch: summary(state, b).await?,
        inputs: traceability::inputs(&state.db, id)
            .await?
            .into_iter()
            .map(|i| BatchInput {
                material: i.material,
                quantity: i.quantity,
                unit: i.unit,
                supplier: i.supplier,
                origin_commune_id: i.origin_commune_id,
                growing_area_id: i.growing_area_id,
            })
            .collect(),
        lab_tests: traceability::lab_tests(&state.db, id).await?.into_iter().map(RecordedLabTest::from).collect(),
        samples: traceability::samples(&state.db, id)
            .await?
            .into_iter()
            .map(|s| RetainedSample { kept_at: s.kept_at, kept_until: s.kept_until, quantity: s.quantity })
            .collect(),
        jobs: traceability::jobs_of(&state.db, id).await?.into_iter().map(StampJob::from).collect(),
    })
}

fn owner(b: &batch::Model) -> Owner<'_> {
    Owner { subject_id: b.subject_id, area_path: &b.area_path }
}

async fn readable(state: &AppState, user: &AuthUser, id: Uuid) -> ApiResult<batch::Model> {
    let b = traceability::find_batch(&state.db, id).await?.ok_or_else(ApiError::not_found)?;
    check_read_batch(&user.actor(), owner(&b))?;
    Ok(b)
}

async fn kept(state: &AppState, user: &AuthUser, id: Uuid) -> ApiResult<batch::Model> {
    let b = readable(state, user, id).await?;
    check_keep_batch(&user.actor(), owner(&b))?;
    Ok(b)
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct BatchQuery {
    pub product_id: Option<Uuid>,
    #[validate(range(min = 1, max = 200))]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

fn visible(user: &AuthUser) -> ApiResult<traceability::BatchFilter> {
    let mut f = traceability::BatchFilter::default();
    match batch_visibility(&user.actor()) {
        Visibility::All => {}
        Visibility::Subject(s) => f.subject_id = Some(s),
        Visibility::Area(p) => f.within = Some(p),
        Visibility::Agenda(_) | Visibility::Nothing => return Err(ApiError::forbidden()),
    }
    Ok(f)
}

/// Batches / Lô sản xuất (producers: their own; officers: their area).
#[utoipa::path(operation_id = "list_batches", tag = "traceability", security(("bearer" = [])), params(BatchQuery), responses(
    (status = 200, description = "A page of batches, latest first", body = Page<Batch>),
))]
#[get("/batches")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<BatchQuery>,
) -> ApiResult<web::Json<Page<Batch>>> {
    query.validate()?;
    let mut filter = visible(&user)?;
    filter.product_id = query.product_id;
    let page = traceability::list_batches(&state.db, &filter, paging(query.limit, query.offset)?).await?;
    let mut items = Vec::with_capacity(page.items.len());
    for b in page.items {
        items.push(summary(&state, b).await?);
    }
    Ok(web::Json(Page { items, total: page.total }))
}

/// One batch with its record / Hồ sơ lô.
#[utoipa::path(operation_id = "get_batch", tag = "traceability", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Batch id")), responses(
    (status = 200, description = "The batch", body = BatchDetail),
    (status = 404, description = "No such batch (or not yours)", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[get("/batches/{id}")]
pub async fn get(state: web::Data<AppState>, user: AuthUser, id: web::Path<Uuid>) -> ApiResult<web::Json<BatchDetail>> {
    let b = readable(&state, &user, *id).await?;
    detail(&state, b).await.map(web::Json)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"product_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e93", "code": "L2026-11", "produced_on": "2026-11-20", "quantity": 500.0,
    "unit": "hộp", "expires_on": "2027-11-20", "standard": "TCCS 01:2024/HTX",
    "inputs": [{"material": "Hoa trà hoa vàng", "quantity": 50.0, "unit": "kg", "supplier": "Tổ hợp tác Làng Han"}],
    "lab_tests": [{"laboratory": "Trung tâm Kiểm nghiệm Quảng Ninh", "tested_on": "2026-11-22", "passed": true, "summary": "Đạt chỉ tiêu vi sinh, kim loại nặng"}],
    "samples": [{"kept_at": "Kho mẫu HTX", "kept_until": "2027-12-31", "quantity": "3 hộp"}]}))]
pub struct BatchInputBody {
    pub product_id: Uuid,
    #[validate(length(min = 1, max = 40))]
    pub code: String,
    pub produced_on: NaiveDate,
    #[validate(range(min = 0.0))]
    pub quantity: f64,
    #[validate(length(min = 1, max = 32))]
    pub unit: String,
    pub expires_on: Option<NaiveDate>,
    #[validate(length(min = 2, max = 200))]
    pub standard: String,
    #[serde(default)]
    #[validate(nested, length(max = 100))]
    pub inputs: Vec<BatchInput>,
    #[serde(default)]
    #[validate(nested, length(max = 50))]
    pub lab_tests: Vec<LabTest>,
    #[serde(default)]
    #[validate(nested, length(max = 50))]
    pub samples: Vec<RetainedSample>,
}

/// Each input's growing area must exist and be one the batch's producer may name
/// (`may_source_from`): 422 on the input otherwise.
async fn check_sources(state: &AppState, producer: Uuid, inputs: &[BatchInput]) -> ApiResult<()> {
    let ids: Vec<Uuid> = inputs.iter().filter_map(|i| i.growing_area_id).collect();
    let areas: HashMap<Uuid, (Uuid, bool)> = ocop_persistence::maps::find_growing_areas(&state.db, ids)
        .await?
        .into_iter()
        .map(|g| (g.id, (g.subject_id, g.published)))
        .collect();
    let mut errors = Vec::new();
    for (n, input) in inputs.iter().enumerate() {
        let Some(id) = input.growing_area_id else { continue };
        let field = format!("inputs[{n}].growing_area_id");
        match areas.get(&id) {
            Some((owner, published)) if may_source_from(producer, *owner, *published) => {}
            Some(_) => errors.push(FieldError::new(
                field,
                "not_usable",
                "Vùng trồng này không thuộc chủ thể và chưa được công bố.",
                "This growing area is neither the producer's nor published.",
            )),
            None => {
                errors.push(FieldError::new(field, "not_found", "Không có vùng trồng này.", "No such growing area."))
            }
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(ApiError::invalid_fields(errors)) }
}

fn input_row(batch_id: Uuid, i: BatchInput) -> batch_input::Model {
    batch_input::Model {
        id: ocop_persistence::new_id(),
        batch_id,
        material: i.material.trim().to_owned(),
        quantity: i.quantity,
        unit: i.unit.trim().to_owned(),
        supplier: i.supplier.trim().to_owned(),
        origin_commune_id: i.origin_commune_id,
        growing_area_id: i.growing_area_id,
        created_at: Utc::now(),
    }
}

fn test_row(batch_id: Uuid, t: LabTest) -> lab_test::Model {
    lab_test::Model {
        id: ocop_persistence::new_id(),
        batch_id,
        laboratory: t.laboratory.trim().to_owned(),
        tested_on: t.tested_on,
        passed: t.passed,
        summary: t.summary.trim().to_owned(),
        report_number: t.report_number.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty()),
        report_name: None,
        report_type: None,
        report_sha256: None,
        created_at: Utc::now(),
    }
}

fn sample_row(batch_id: Uuid, s: RetainedSample) -> retained_sample::Model {
    retained_sample::Model {
        id: ocop_persistence::new_id(),
        batch_id,
        kept_at: s.kept_at.trim().to_owned(),
        kept_until: s.kept_until,
        quantity: s.quantity.trim().to_owned(),
        created_at: Utc::now(),
    }
}

/// Record a batch / Tạo hồ sơ lô (the producer of the product, or an admin).
///
/// Its commissioning is recorded as an EPCIS `ObjectEvent` (`ADD`, `commissioning`) naming the
/// lot by its URL, the first step of the batch's timeline.
#[utoipa::path(operation_id = "create_batch", tag = "traceability", security(("bearer" = [])), request_body = BatchInputBody, responses(
    (status = 201, description = "Created / Đã tạo", body = BatchDetail),
    (status = 409, description = "The product already has a batch with this code", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/batches")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ApiJson<BatchInputBody>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    body.validate()?;
    let product = products::find(&state.db, body.product_id).await?.ok_or_else(|| {
        ApiError::invalid_field("product_id", "not_found", "Không tìm thấy sản phẩm.", "No such product.")
    })?;
    check_keep_batch(&user.actor(), Owner { subject_id: product.subject_id, area_path: &product.area_path })?;
    check_sources(&state, product.subject_id, &body.inputs).await?;
    if body.expires_on.is_some_and(|e| e < body.produced_on) {
        return Err(ApiError::invalid_field(
            "expires_on",
            "before_production",
            "Hạn sử dụng không được trước ngày sản xuất.",
            "Expiry before production.",
        ));
    }
    let code = body.code.trim().to_owned();
    if traceability::find_batch_by_code(&state.db, product.id, &code).await?.is_some() {
        return Err(ApiError::conflict(
            "Sản phẩm đã có lô mang số này.",
            "The product already has a batch with this code.",
        ));
    }
    let now = Utc::now();
    let row = batch::Model {
        id: ocop_persistence::new_id(),
        product_id: product.id,
        subject_id: product.subject_id,
        area_path: product.area_path.clone(),
        code,
        produced_on: body.produced_on,
        quantity: body.quantity,
        unit: body.unit.trim().to_owned(),
        expires_on: body.expires_on,
        standard: body.standard.trim().to_owned(),
        next_serial: 1,
        created_at: now,
        updated_at: now,
    };
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let saved = traceability::insert_batch(&txn, row).await?;
    for i in body.inputs {
        traceability::add_input(&txn, input_row(saved.id, i)).await?;
    }
    for t in body.lab_tests {
        traceability::add_lab_test(&txn, test_row(saved.id, t)).await?;
    }
    for s in body.samples {
        traceability::add_sample(&txn, sample_row(saved.id, s)).await?;
    }
    let lot = lot_uri(&state.public_base_url, saved.id);
    let produced = saved.produced_on.and_hms_opt(0, 0, 0).map_or(now, |t| t.and_utc());
    let commissioning = serde_json::json!({"type": "ObjectEvent", "eventTime": produced.to_rfc3339(), "eventTimeZoneOffset": "+07:00",
        "action": "ADD", "bizStep": "commissioning", "disposition": "active",
        "quantityList": [{"epcClass": lot, "quantity": saved.quantity, "uom": saved.unit}],
        "ilmd": {"lotNumber": saved.code, "itemExpirationDate": saved.expires_on}});
    traceability::insert_event(
        &txn,
        epcis_event::Model {
            id: ocop_persistence::new_id(),
            event_id: format!("{}/events/{}", state.public_base_url, saved.id),
            event_type: "ObjectEvent".into(),
            event_time: produced,
            biz_step: Some("commissioning".into()),
            body: commissioning.to_string(),
            subject_id: Some(saved.subject_id),
            area_path: Some(saved.area_path.clone()),
            capture_id: None,
            recorded_at: now,
        },
        &[lot],
    )
    .await?;
    audit::record::<(), _>(&txn, &user.audit(), "batch.create", "batch", saved.id, None, Some(&saved)).await?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(detail(&state, saved).await?))
}

/// What to add to a batch's record.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"lab_tests": [{"laboratory": "Trung tâm Kiểm nghiệm Quảng Ninh", "tested_on": "2026-11-25", "passed": true, "summary": "Tái kiểm: đạt"}]}))]
pub struct BatchAdditions {
    #[serde(default)]
    #[validate(nested, length(max = 100))]
    pub inputs: Vec<BatchInput>,
    #[serde(default)]
    #[validate(nested, length(max = 50))]
    pub lab_tests: Vec<LabTest>,
    #[serde(default)]
    #[validate(nested, length(max = 50))]
    pub samples: Vec<RetainedSample>,
}

/// Add inputs, lab tests or retained samples / Bổ sung hồ sơ lô.
#[utoipa::path(operation_id = "add_to_batch", tag = "traceability", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Batch id")), request_body = BatchAdditions, responses(
    (status = 200, description = "The batch", body = BatchDetail),
))]
#[post("/batches/{id}/record")]
pub async fn add(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<BatchAdditions>,
) -> ApiResult<web::Json<BatchDetail>> {
    let body = body.0;
    body.validate()?;
    let b = kept(&state, &user, *id).await?;
    check_sources(&state, b.subject_id, &body.inputs).await?;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    for i in body.inputs {
        let row = traceability::add_input(&txn, input_row(b.id, i)).await?;
        audit::record::<(), _>(&txn, &user.audit(), "batch.add_input", "batch", b.id, None, Some(&row)).await?;
    }
    for t in body.lab_tests {
        let row = traceability::add_lab_test(&txn, test_row(b.id, t)).await?;
        audit::record::<(), _>(&txn, &user.audit(), "batch.add_lab_test", "batch", b.id, None, Some(&row)).await?;
    }
    for s in body.samples {
        let row = traceability::add_sample(&txn, sample_row(b.id, s)).await?;
        audit::record::<(), _>(&txn, &user.audit(), "batch.add_sample", "batch", b.id, None, Some(&row)).await?;
    }
    txn.commit().await?;
    state.trace_cache.forget(b.id);
    detail(&state, b).await.map(web::Json)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"count": 100}))]
pub struct IssueStamps {
    /// 1 to 1,000,000.
    #[validate(range(min = 1, max = 1_000_000))]
    pub count: u32,
}

/// Issue stamps / Phát hành tem (the producer or an admin): 202 and a job.
///
/// Codes are 64 random bits in 13 base-32 symbols and a check symbol, unique and never reused;
/// serials follow on from the batch's earlier stamps. Follow the job at `/stamp-jobs/{id}`.
#[utoipa::path(operation_id = "issue_stamps", tag = "traceability", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Batch id")), request_body = IssueStamps, responses(
    (status = 202, description = "Accepted: the job", body = StampJob),
    (status = 429, description = "The subject's issuing jobs are still running / Đang phát hành", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/batches/{id}/stamps")]
pub async fn issue(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<IssueStamps>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    body.validate()?;
    debug_assert!(body.count <= MAX_STAMPS_PER_JOB);
    let b = kept(&state, &user, *id).await?;
    let count = i64::from(body.count);
    check_quota(&state, &b, u64::from(body.count)).await?;
    let first = traceability::reserve_serials(&state.db, b.id, count).await?;
    let created = traceability::insert_job(
        &state.db,
        stamp_job::Model {
            id: ocop_persistence::new_id(),
            batch_id: b.id,
            requested: i32::try_from(body.count).unwrap_or(i32::MAX),
            issued: 0,
            first_serial: first,
            status: "running".into(),
            error: None,
            created_by: Some(user.id()),
            created_at: Utc::now(),
            finished_at: None,
            locked_until: None,
        },
    )
    .await?;
    audit::record::<(), _>(&state.db, &user.audit(), "stamps.issue", "batch", b.id, None, Some(&created)).await?;
    // The stamp-jobs worker issues them (and takes them up again after a restart).
    state.wake.stamp_jobs.notify_one();
    let job_id = created.id;
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, format!("/api/v1/stamp-jobs/{job_id}")))
        .json(StampJob::from(created)))
}

/// A subject may hold `OCOP_STAMP_MAX_LIVE` stamps in circulation and run
/// `OCOP_STAMP_MAX_RUNNING_JOBS` issuing jobs at once.
async fn check_quota(state: &AppState, b: &batch::Model, count: u64) -> ApiResult<()> {
    let product = products::find(&state.db, b.product_id).await?.ok_or_else(ApiError::not_found)?;
    let (live, running) = traceability::stamp_load(&state.db, product.subject_id).await?;
    let quota = state.stamp_quota;
    if running >= quota.max_running_jobs {
        return Err(ApiError::new(ErrorCode::TooManyRequests)
            .with_message(
                format!("Đang có {running} lượt phát hành tem chưa xong (tối đa OCOP_STAMP_MAX_RUNNING_JOBS = {}); hãy chờ.", quota.max_running_jobs),
                format!("{running} stamp jobs are still running (at most OCOP_STAMP_MAX_RUNNING_JOBS = {}); wait for them.", quota.max_running_jobs),
            )
            .retry_after(10));
    }
    if live.saturating_add(count) > quota.max_live {
        return Err(ApiError::invalid_field(
            "count",
            "OCOP_STAMP_MAX_LIVE",
            format!("Chủ thể đã có {live} tem đang lưu hành; tối đa {} (OCOP_STAMP_MAX_LIVE).", quota.max_live),
            format!("The subject has {live} stamps in circulation; at most {} (OCOP_STAMP_MAX_LIVE).", quota.max_live),
        ));
    }
    Ok(())
}

/// A stamp job's progress / Tiến độ phát hành tem.
#[utoipa::path(operation_id = "get_stamp_job", tag = "traceability", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Job id")), responses(
    (status = 200, description = "The job", body = StampJob),
))]
#[get("/stamp-jobs/{id}")]
pub async fn job(state: web::Data<AppState>, user: AuthUser, id: web::Path<Uuid>) -> ApiResult<web::Json<StampJob>> {
    let j = traceability::find_job(&state.db, *id).await?.ok_or_else(ApiError::not_found)?;
    readable(&state, &user, j.batch_id).await?;
    Ok(web::Json(j.into()))
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct StampRange {
    /// First serial (default 1).
    #[validate(range(min = 1, max = 1_000_000_000_000_i64))]
    pub from: Option<i64>,
    /// Last serial (default: as many as one download allows).
    #[validate(range(min = 1, max = 1_000_000_000_000_i64))]
    pub to: Option<i64>,
    /// `csv` (default), `svg` or `pdf` (printable sheets with QR codes, at most 1,000 stamps).
    #[validate(length(max = 8))]
    pub format: Option<String>,
}

/// Download stamps / Tải tem: the code list (CSV) or printable sheets (SVG, PDF).
#[utoipa::path(operation_id = "download_stamps", tag = "traceability", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Batch id"), StampRange), responses(
    (status = 200, description = "The file", content(
        (String = "text/csv"), (String = "image/svg+xml"), (Vec<u8> = "application/pdf"),
    )),
))]
#[get("/batches/{id}/stamps")]
pub async fn download(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    range: web::Query<StampRange>,
) -> ApiResult<HttpResponse> {
    range.validate()?;
    let b = kept(&state, &user, *id).await?;
    let format = range.format.as_deref().unwrap_or("csv");
    let cap = if format == "csv" { 1_000_000 } else { 1_000 };
    let from = range.from.unwrap_or(1).max(1);
    let to = range.to.unwrap_or(from + cap - 1).min(from + cap - 1);
    let gtin = products::find(&state.db, b.product_id).await?.and_then(|p| p.gtin);
    let name = format!("tem-{}-{from}-{to}", b.code.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_"));
    if format == "csv" {
        return Ok(HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
            .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.csv\"")))
            .streaming(code_list(state.into_inner(), b, gtin, from, to)));
    }
    let rows = traceability::stamps(&state.db, b.id, from, to).await?;
    let url = |code: &str| crate::links::stamp_url(&state.public_base_url, gtin.as_deref(), &b.code, code);
    match format {
        "svg" | "pdf" => {
            let stamps: Vec<(String, String)> =
                rows.iter().filter(|s| s.voided_at.is_none()).map(|s| (url(&s.code), printed_code(&s.code))).collect();
            if format == "svg" {
                let svg = state.heavy.run(move || crate::pdf::stamp_sheet_svg(&stamps)).await?;
                Ok(file(svg.into_bytes(), "image/svg+xml", &format!("{name}.svg")))
            } else {
                let pdf =
                    state.heavy.run(move || crate::pdf::stamp_sheets(&stamps)).await?.map_err(ApiError::internal)?;
                Ok(file(pdf, "application/pdf", &format!("{name}.pdf")))
            }
        }
        _ => Err(ApiError::invalid_field(
            "format",
            "format",
            "Định dạng: csv, svg hoặc pdf.",
            "Format: csv, svg or pdf.",
        )),
    }
}

/// Stamps read and sent as CSV a page at a time, so a list of a million codes never sits in
/// memory whole.
fn code_list(
    state: std::sync::Arc<AppState>,
    b: batch::Model,
    gtin: Option<String>,
    from: i64,
    to: i64,
) -> impl futures_util::Stream<Item = Result<bytes::Bytes, actix_web::Error>> {
    const PAGE: i64 = 10_000;
    let header = futures_util::stream::once(async {
        Ok(bytes::Bytes::from_static("\u{feff}serial,code,printed,url,status\n".as_bytes()))
    });
    let pages = futures_util::stream::unfold(Some(from), move |next| {
        let (state, b, gtin) = (state.clone(), b.clone(), gtin.clone());
        async move {
            let start = next.filter(|s| *s <= to)?;
            let end = start.saturating_add(PAGE - 1).min(to);
            let page = match traceability::stamps(&state.db, b.id, start, end).await {
                Ok(rows) => rows,
                Err(e) => return Some((Err(ApiError::from(e).into()), None)),
            };
            let mut out = String::with_capacity(page.len() * 120);
            for s in &page {
                out.push_str(&format!(
                    "{},{},{},{},{}\n",
                    s.serial,
                    s.code,
                    printed_code(&s.code),
                    crate::links::stamp_url(&state.public_base_url, gtin.as_deref(), &b.code, &s.code),
                    if s.voided_at.is_some() { "voided" } else { "valid" }
                ));
            }
            Some((Ok(bytes::Bytes::from(out)), (end < to).then(|| end + 1)))
        }
    });
    futures_util::StreamExt::chain(header, pages)
}

fn file(body: Vec<u8>, content_type: &str, name: &str) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type.to_owned()))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")))
        .body(body)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"from": 501, "to": 600, "reason": "Mất cuộn tem"}))]
pub struct VoidRange {
    pub from: i64,
    pub to: i64,
    #[validate(length(min = 3, max = 300))]
    pub reason: String,
}

/// How many stamps a request changed.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"voided": 100}))]
pub struct Voided {
    pub voided: u64,
}

/// Void a range of stamps (a lost roll) / Hủy dải tem: their codes then show as invalid.
#[utoipa::path(operation_id = "void_stamps", tag = "traceability", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Batch id")), request_body = VoidRange, responses(
    (status = 200, description = "Voided", body = Voided),
))]
#[post("/batches/{id}/stamps/void")]
pub async fn void(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<VoidRange>,
) -> ApiResult<web::Json<Voided>> {
    let body = body.0;
    body.validate()?;
    if body.from < 1 || body.to < body.from {
        return Err(ApiError::invalid_field(
            "to",
            "range",
            "Dải số sê-ri không hợp lệ.",
            "Serials from 1, and `to` not before `from`.",
        ));
    }
    let b = kept(&state, &user, *id).await?;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let voided = traceability::void_range(&txn, b.id, body.from, body.to).await?;
    audit::record::<(), _>(
        &txn,
        &user.audit(),
        "stamps.void",
        "batch",
        b.id,
        None,
        Some(&serde_json::json!({"from": body.from, "to": body.to, "reason": body.reason, "voided": voided})),
    )
    .await?;
    txn.commit().await?;
    state.stamp_cache.forget_batch(b.id);
    Ok(web::Json(Voided { voided }))
}

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
#[schema(example = json!({"area_path": "/22/202/06739/", "scans": 6}))]
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
    "by_area": [{"area_path": "/22/202/06739/", "scans": 6}], "alerts": [{"code": "0A1B2C3D4E5F6G", "product_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e93", "scans": 6, "signals": ["too_many_scans"], "last_scan": "2026-12-03T08:00:00Z"}]}))]
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

/// The multipart form of a lab report upload.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"file": "(KN-1123.pdf)"}))]
#[allow(dead_code)]
pub struct LabReportUpload {
    /// A PDF or an image of the laboratory's report.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

async fn lab_test_of(state: &AppState, batch: &batch::Model, test: Uuid) -> ApiResult<lab_test::Model> {
    traceability::find_lab_test(&state.db, test)
        .await?
        .filter(|t| t.batch_id == batch.id)
        .ok_or_else(ApiError::not_found)
}

/// Attach a lab test's report / Tải phiếu kết quả kiểm nghiệm.
///
/// `multipart/form-data` with `file`: a PDF or an image (read from its content) within the
/// upload limit; replaces an earlier file. Only those who keep the batch.
#[utoipa::path(operation_id = "upload_lab_report", tag = "traceability", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Batch id"), ("test" = Uuid, Path, description = "Lab test id")),
    request_body(content = LabReportUpload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "Stored / Đã lưu", body = RecordedLabTest),
        (status = 404, description = "No such batch or lab test", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Too large / Tệp quá lớn", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a PDF or an image / Không phải PDF hoặc ảnh", body = crate::error::Problem, content_type = "application/problem+json"),
    ))]
#[put("/batches/{id}/lab-tests/{test}/report")]
pub async fn upload_lab_report(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    payload: actix_multipart::Multipart,
) -> ApiResult<web::Json<RecordedLabTest>> {
    let (id, test) = path.into_inner();
    let b = kept(&state, &user, id).await?;
    let found = lab_test_of(&state, &b, test).await?;
    let got = receive(
        &state.files,
        payload,
        state.upload_limit_bytes,
        pdf_or_image,
        ("Phiếu kiểm nghiệm là tệp PDF hoặc ảnh.", "A lab report is a PDF or an image."),
    )
    .await?;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let saved =
        traceability::set_lab_report(&txn, found.clone(), (got.file_name, got.content_type.to_owned(), got.sha256))
            .await?;
    audit::record(&txn, &user.audit(), "batch.lab_report", "batch", b.id, Some(&found), Some(&saved)).await?;
    txn.commit().await?;
    Ok(web::Json(RecordedLabTest::from(saved)))
}

/// Download a lab test's report / Tải về phiếu kết quả kiểm nghiệm.
#[utoipa::path(operation_id = "download_lab_report", tag = "traceability", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Batch id"), ("test" = Uuid, Path, description = "Lab test id")),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, description = "No such file", body = crate::error::Problem, content_type = "application/problem+json"),
    ))]
#[get("/batches/{id}/lab-tests/{test}/report")]
pub async fn download_lab_report(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (id, test) = path.into_inner();
    let b = readable(&state, &user, id).await?;
    let t = lab_test_of(&state, &b, test).await?;
    let (Some(name), Some(kind), Some(sha256)) = (t.report_name, t.report_type, t.report_sha256) else {
        return Err(ApiError::not_found());
    };
    private_download(&state.files, &storage_key(&sha256), kind, &name).await
}
