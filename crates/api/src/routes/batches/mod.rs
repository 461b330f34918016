//! Batch records (hồ sơ lô): production batches of a product with their raw-material inputs,
//! lab tests and retained samples; e-stamps issued per batch by a background job, downloaded
//! as a code list or printable sheets, voided by range; scan statistics and counterfeit alerts.

pub mod create;
pub mod lab_reports;
pub mod list;
pub mod scans;
pub mod stamps;

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
use crate::dto::LabTest;
use crate::error::{ApiError, ApiResult, ErrorCode, FieldError};
use crate::extract::ApiJson;
use crate::files::{pdf_or_image, private_download, receive, storage_key};
use crate::paging::{Page, paging};
use crate::state::AppState;

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
        lot_uri: crate::links::lot_uri(&state.public_base_url, b.id),
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
