//! Response shapes shared by several resources (references to units and products, councils,
//! criteria sets, lab tests, funding totals, the batch part of a trace), and the functions that
//! build them from rows. A resource's own shapes stay with its routes.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use ocop_domain::criteria::CriteriaSet;
use ocop_domain::funding::{disbursement_rate, is_state};
use ocop_persistence::entities::admin_unit::Model;
use ocop_persistence::entities::{budget_line, council, criteria_set, document_kind, evaluation_session, lab_test};
use ocop_persistence::{admin_units, councils};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::error::ApiResult;
use crate::state::AppState;

/// A short reference to a unit, embedded in other resources.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e40", "code": "06688", "name": "Phường Hạ Long", "level": "commune", "path": "/22/06688/"}))]
pub struct AdminUnitRef {
    pub id: Uuid,
    #[schema(example = "06688")]
    pub code: String,
    #[schema(example = "Phường Hạ Long")]
    pub name: String,
    #[schema(schema_with = crate::schemas::admin_level)]
    pub level: String,
    #[schema(example = "/22/06688/")]
    pub path: String,
}

impl From<Model> for AdminUnitRef {
    fn from(m: Model) -> Self {
        Self { id: m.id, code: m.code, name: m.name, level: m.level, path: m.path }
    }
}

/// A short reference to a product.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e90", "code": "22-000-06688-001-2026", "name": "Chả mực Hạ Long"}))]
pub struct ProductRef {
    pub id: Uuid,
    pub code: String,
    pub name: String,
}

/// A kind of dossier document.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8ea0", "code": "business_plan", "name": "Phương án, dự án sản xuất kinh doanh", "name_en": "Production and business plan", "category": "required", "required_at": "business_plan", "not_for_services": false}))]
pub struct DocumentKind {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub name_en: String,
    /// `required` or `evidence`.
    pub category: String,
    /// The cycle stage from which the kind is required; `null` for optional evidence.
    #[schema(schema_with = crate::schemas::optional_stage)]
    pub required_at: Option<String>,
    /// Not asked of services (tourism), e.g. product samples.
    pub not_for_services: bool,
}

impl From<document_kind::Model> for DocumentKind {
    fn from(k: document_kind::Model) -> Self {
        Self {
            id: k.id,
            code: k.code,
            name: k.name,
            name_en: k.name_en,
            category: k.category,
            required_at: k.required_at,
            not_for_services: k.not_for_services,
        }
    }
}

/// A council member.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d11", "user_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8a11",
    "display_name": "Trần Văn Chủ Tịch", "email": "chutich@ocop.demo", "role": "chair", "organisation": "UBND tỉnh"}))]
pub struct Member {
    pub id: Uuid,
    pub user_id: Uuid,
    pub display_name: String,
    pub email: String,
    #[schema(schema_with = crate::schemas::member_role)]
    pub role: String,
    pub organisation: Option<String>,
}

impl From<councils::MemberWithUser> for Member {
    fn from((m, u): councils::MemberWithUser) -> Self {
        Self {
            id: m.id,
            user_id: m.user_id,
            display_name: u.as_ref().map(|u| u.display_name.clone()).unwrap_or_default(),
            email: u.map(|u| u.email).unwrap_or_default(),
            role: m.role,
            organisation: m.organisation,
        }
    }
}

/// A council.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d01", "level": "province", "area": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e01", "code": "22", "name": "Tỉnh Quảng Ninh", "level": "province", "path": "/22/"},
    "cycle_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8eb0", "name": "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh năm 2026",
    "decision_number": "3012/QĐ-UBND", "decision_date": "2026-09-15", "created_at": "2026-09-15T03:00:00Z"}))]
pub struct Council {
    pub id: Uuid,
    #[schema(schema_with = crate::schemas::council_level)]
    pub level: String,
    pub area: Option<AdminUnitRef>,
    pub cycle_id: Uuid,
    pub name: String,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub created_at: DateTime<Utc>,
}

/// A session of a council.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d21", "council_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d01", "held_on": "2026-10-20", "place": "Hội trường UBND tỉnh"}))]
pub struct Session {
    pub id: Uuid,
    pub council_id: Uuid,
    pub held_on: NaiveDate,
    pub place: Option<String>,
}

impl From<evaluation_session::Model> for Session {
    fn from(s: evaluation_session::Model) -> Self {
        Self { id: s.id, council_id: s.council_id, held_on: s.held_on, place: s.place }
    }
}

pub async fn council(state: &AppState, c: council::Model) -> ApiResult<Council> {
    let area = admin_units::find(&state.db, c.area_unit_id).await?.map(AdminUnitRef::from);
    Ok(Council {
        id: c.id,
        level: c.level,
        area,
        cycle_id: c.cycle_id,
        name: c.name,
        decision_number: c.decision_number,
        decision_date: c.decision_date,
        created_at: c.created_at,
    })
}

/// A criteria set without its text.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c01", "code": "2023-chung",
    "name": "Bộ tiêu chí đánh giá, phân hạng sản phẩm OCOP 2023 (cấu trúc chung)",
    "decision": "148/QĐ-TTg ngày 24/02/2023", "classification_version": "2023", "applies_to": [],
    "part_points": [40, 25, 35], "criteria": 24, "created_at": "2026-11-22T08:00:00Z"
}))]
pub struct CriteriaSetSummary {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub decision: Option<String>,
    pub classification_version: String,
    /// Classification codes the set applies to; empty: every product of the version without
    /// a more specific set.
    pub applies_to: Vec<String>,
    /// Points of parts A, B and C.
    pub part_points: Vec<u32>,
    /// Number of criteria.
    pub criteria: usize,
    pub created_at: DateTime<Utc>,
}

/// A criteria set with its whole text.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c01", "code": "2023-chung", "name": "Bộ tiêu chí 2023", "decision": "148/QĐ-TTg ngày 24/02/2023",
    "classification_version": "2023", "applies_to": [], "part_points": [40, 25, 35], "criteria": 24, "created_at": "2026-11-22T08:00:00Z",
    "set": {"code": "2023-chung", "name": "Bộ tiêu chí 2023", "classification_version": "2023", "applies_to": [], "parts": [{"code": "A", "name": "Sản phẩm và sức mạnh cộng đồng", "points": 40, "sections": ["…"]}]}}))]
pub struct CriteriaSetDetail {
    #[serde(flatten)]
    pub summary: CriteriaSetSummary,
    /// The set in its import format (see `import_criteria_set`).
    #[schema(value_type = Object)]
    pub set: CriteriaSet,
}

pub fn criteria_set_summary(model: &criteria_set::Model, set: &CriteriaSet) -> CriteriaSetSummary {
    CriteriaSetSummary {
        id: model.id,
        code: model.code.clone(),
        name: model.name.clone(),
        decision: model.decision.clone(),
        classification_version: model.classification_version.clone(),
        applies_to: set.applies_to.clone(),
        part_points: set.parts.iter().map(|p| p.points).collect(),
        criteria: set.criteria().count(),
        created_at: model.created_at,
    }
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

/// Planned, allocated and disbursed amounts of a group of lines.
#[derive(Debug, Default, Clone, Serialize, ToSchema)]
#[schema(example = json!({"key": "provincial", "planned_vnd": 500000000, "allocated_vnd": 450000000, "disbursed_vnd": 300000000, "disbursement_rate": 60.0}))]
pub struct BudgetTotal {
    /// The source, activity or year grouped by (`all` for the grand total).
    pub key: String,
    pub planned_vnd: i64,
    pub allocated_vnd: i64,
    pub disbursed_vnd: i64,
    /// Disbursed over planned, in percent.
    pub disbursement_rate: Option<f64>,
}

impl BudgetTotal {
    fn add(&mut self, l: &budget_line::Model) {
        self.planned_vnd += l.planned_vnd;
        self.allocated_vnd += l.allocated_vnd;
        self.disbursed_vnd += l.disbursed_vnd;
        self.disbursement_rate = disbursement_rate(self.planned_vnd, self.disbursed_vnd);
    }
}

/// Funding totals of an area for a period.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"total": {"key": "all", "planned_vnd": 500000000, "allocated_vnd": 450000000, "disbursed_vnd": 300000000, "disbursement_rate": 60.0},
    "state_budget": {"key": "state", "planned_vnd": 500000000, "allocated_vnd": 450000000, "disbursed_vnd": 300000000, "disbursement_rate": 60.0},
    "non_state": {"key": "non_state", "planned_vnd": 0, "allocated_vnd": 0, "disbursed_vnd": 0, "disbursement_rate": null},
    "by_source": [], "by_activity": [], "by_year": []}))]
pub struct FundingSummary {
    pub total: BudgetTotal,
    pub state_budget: BudgetTotal,
    pub non_state: BudgetTotal,
    pub by_source: Vec<BudgetTotal>,
    pub by_activity: Vec<BudgetTotal>,
    pub by_year: Vec<BudgetTotal>,
}

pub fn summarise(lines: &[budget_line::Model]) -> FundingSummary {
    let total_of = |key: &str| BudgetTotal { key: key.to_owned(), ..BudgetTotal::default() };
    let (mut total, mut state_budget, mut non_state) = (total_of("all"), total_of("state"), total_of("non_state"));
    let mut groups: [BTreeMap<String, BudgetTotal>; 3] = Default::default();
    for l in lines {
        total.add(l);
        if is_state(&l.source) {
            state_budget.add(l)
        } else {
            non_state.add(l)
        }
        for (group, key) in groups.iter_mut().zip([l.source.clone(), l.activity.clone(), l.year.to_string()]) {
            group.entry(key.clone()).or_insert_with(|| total_of(&key)).add(l);
        }
    }
    let [by_source, by_activity, by_year] = groups.map(|g| g.into_values().collect());
    FundingSummary { total, state_budget, non_state, by_source, by_activity, by_year }
}

/// A raw material of the batch and where it came from.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"material": "Hoa trà hoa vàng", "quantity": 50.0, "unit": "kg", "supplier": "Tổ hợp tác Làng Han", "origin": "Xã Thanh Sơn", "growing_area_code": "VN-22-202-06973-001-24", "growing_area_name": "Vùng trà hoa vàng Làng Han"}))]
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
#[schema(example = json!({"product_name": "Trà hoa vàng Ba Chẽ", "photo_url": null, "product_code": "22-000-06970-002-2026", "gtin": null, "producer_name": "Hợp tác xã Dược liệu Ba Chẽ",
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

/// The batch part of a trace with its JSON, serialised once (kept in the trace cache).
#[derive(Debug)]
pub struct CachedBatch {
    pub batch: TraceBatch,
    pub json: String,
}
