//! Funding (nguồn vốn): budget lines per year, area, source and activity, with the amounts
//! planned, allocated and disbursed, optionally linked to a course or a trade event; totals
//! for a period against the plan.

use actix_web::{HttpResponse, get, post, put, web};
use chrono::{DateTime, Utc};
use ocop_domain::access::check_view_programme;
use ocop_domain::funding::{Amounts, BudgetError, check_line};
use ocop_persistence::entities::{admin_unit, budget_line};
use ocop_persistence::{audit, funding, trade_events, training};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::areas::{area_of, unit_or_own};
use crate::auth::AuthUser;
use crate::dto::{FundingSummary, summarise};
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::paging::{Page, paging};
use crate::state::AppState;

/// A budget line.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d01", "year": 2027, "area_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8a01",
    "source": "provincial", "activity": "training", "description": "Tập huấn cán bộ OCOP cấp huyện, xã",
    "planned_vnd": 500000000, "allocated_vnd": 450000000, "disbursed_vnd": 300000000, "course_id": null, "trade_event_id": null,
    "updated_at": "2026-12-03T08:00:00Z"}))]
pub struct BudgetLine {
    pub id: Uuid,
    pub year: i32,
    pub area_id: Uuid,
    /// `central`, `provincial`, `integrated` (state budget); `own`, `credit`, `sponsor`.
    pub source: String,
    /// `training`, `fairs`, `sales_points`, `subject_support` or `other`.
    pub activity: String,
    pub description: String,
    /// In VND.
    pub planned_vnd: i64,
    pub allocated_vnd: i64,
    pub disbursed_vnd: i64,
    pub course_id: Option<Uuid>,
    pub trade_event_id: Option<Uuid>,
    pub updated_at: DateTime<Utc>,
}

impl From<budget_line::Model> for BudgetLine {
    fn from(l: budget_line::Model) -> Self {
        Self {
            id: l.id,
            year: l.year,
            area_id: l.area_unit_id,
            source: l.source,
            activity: l.activity,
            description: l.description,
            planned_vnd: l.planned_vnd,
            allocated_vnd: l.allocated_vnd,
            disbursed_vnd: l.disbursed_vnd,
            course_id: l.course_id,
            trade_event_id: l.trade_event_id,
            updated_at: l.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct BudgetQuery {
    /// Code of the area (default: the caller's unit, or the province); lines of the units under it count.
    #[validate(length(max = 8))]
    pub area: Option<String>,
    #[validate(range(min = 2000, max = 2100))]
    pub year_from: Option<i32>,
    #[validate(range(min = 2000, max = 2100))]
    pub year_to: Option<i32>,
    #[validate(length(max = 16))]
    pub source: Option<String>,
    #[validate(length(max = 16))]
    pub activity: Option<String>,
    #[validate(range(min = 1, max = 200))]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

impl BudgetQuery {
    fn filter(&self, area: &admin_unit::Model) -> funding::Filter {
        funding::Filter {
            within: Some(area.path.clone()),
            year_from: self.year_from,
            year_to: self.year_to,
            source: self.source.clone(),
            activity: self.activity.clone(),
        }
    }
}

/// Budget lines / Kế hoạch vốn (admins; officers in their area).
#[utoipa::path(operation_id = "list_budget_lines", tag = "programme", security(("bearer" = [])), params(BudgetQuery), responses(
    (status = 200, description = "A page of lines, latest year first", body = Page<BudgetLine>),
))]
#[get("/funding/lines")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<BudgetQuery>,
) -> ApiResult<web::Json<Page<BudgetLine>>> {
    query.validate()?;
    let area = area_of(&state, &user, query.area.as_deref()).await?;
    let page = funding::list(&state.db, &query.filter(&area), paging(query.limit, query.offset)?).await?;
    Ok(web::Json(Page::map(page, BudgetLine::from)))
}

/// Funding totals against the plan / Tổng hợp nguồn vốn (by source, activity and year).
#[utoipa::path(operation_id = "funding_summary", tag = "programme", security(("bearer" = [])), params(BudgetQuery), responses(
    (status = 200, description = "Totals", body = FundingSummary),
))]
#[get("/funding/summary")]
pub async fn summary(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<BudgetQuery>,
) -> ApiResult<web::Json<FundingSummary>> {
    query.validate()?;
    let area = area_of(&state, &user, query.area.as_deref()).await?;
    let lines = funding::all(&state.db, &query.filter(&area)).await?;
    Ok(web::Json(summarise(&lines)))
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"year": 2027, "area_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8a01", "source": "provincial", "activity": "training",
    "description": "Tập huấn cán bộ OCOP cấp huyện, xã", "planned_vnd": 500000000, "allocated_vnd": 450000000, "disbursed_vnd": 300000000}))]
pub struct BudgetLineInput {
    #[validate(range(min = 2000, max = 2100))]
    pub year: i32,
    /// Default: the caller's unit, or the province.
    pub area_id: Option<Uuid>,
    pub source: String,
    pub activity: String,
    #[validate(length(min = 3, max = 500))]
    pub description: String,
    #[validate(range(min = 0))]
    pub planned_vnd: i64,
    #[validate(range(min = 0))]
    #[serde(default)]
    pub allocated_vnd: i64,
    #[validate(range(min = 0))]
    #[serde(default)]
    pub disbursed_vnd: i64,
    pub course_id: Option<Uuid>,
    pub trade_event_id: Option<Uuid>,
}

fn budget_error(e: BudgetError) -> ApiError {
    let (field, vi) = match e {
        BudgetError::Source => ("source", "Nguồn vốn: central, provincial, integrated, own, credit hoặc sponsor."),
        BudgetError::Activity => ("activity", "Nội dung: training, fairs, sales_points, subject_support hoặc other."),
        BudgetError::Amounts => ("disbursed_vnd", "Số tiền không âm và số giải ngân không vượt số đã phân bổ."),
        BudgetError::Link => (
            "activity",
            "Chỉ dòng vốn đào tạo mới gắn khóa học, chỉ dòng vốn hội chợ mới gắn sự kiện xúc tiến thương mại.",
        ),
    };
    ApiError::invalid_field(field, field, vi, e.to_string())
}

async fn save(
    state: &AppState,
    user: &AuthUser,
    body: BudgetLineInput,
    existing: Option<budget_line::Model>,
) -> ApiResult<budget_line::Model> {
    body.validate()?;
    let amounts = Amounts { planned: body.planned_vnd, allocated: body.allocated_vnd, disbursed: body.disbursed_vnd };
    check_line(&body.source, &body.activity, &amounts, body.course_id.is_some(), body.trade_event_id.is_some())
        .map_err(budget_error)?;
    let area = unit_or_own(state, user, body.area_id).await?;
    if let Some(id) = body.course_id
        && training::find(&state.db, id).await?.is_none()
    {
        return Err(ApiError::invalid_field("course_id", "not_found", "Không tìm thấy khóa học.", "No such course."));
    }
    if let Some(id) = body.trade_event_id
        && trade_events::find(&state.db, id).await?.is_none()
    {
        return Err(ApiError::invalid_field(
            "trade_event_id",
            "not_found",
            "Không tìm thấy sự kiện.",
            "No such trade event.",
        ));
    }
    let now = Utc::now();
    let row = budget_line::Model {
        id: existing.as_ref().map_or_else(ocop_persistence::new_id, |l| l.id),
        year: body.year,
        area_unit_id: area.id,
        area_path: area.path,
        source: body.source,
        activity: body.activity,
        description: body.description.trim().to_owned(),
        planned_vnd: body.planned_vnd,
        allocated_vnd: body.allocated_vnd,
        disbursed_vnd: body.disbursed_vnd,
        course_id: body.course_id,
        trade_event_id: body.trade_event_id,
        created_at: existing.as_ref().map_or(now, |l| l.created_at),
        updated_at: now,
    };
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let saved = funding::save(&txn, row, existing.is_none()).await?;
    audit::record(&txn, &user.audit(), "budget_line.save", "budget_line", saved.id, existing.as_ref(), Some(&saved))
        .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Add a budget line / Thêm dòng kế hoạch vốn (admins; officers in their area).
#[utoipa::path(operation_id = "create_budget_line", tag = "programme", security(("bearer" = [])), request_body = BudgetLineInput, responses(
    (status = 201, description = "Created / Đã tạo", body = BudgetLine),
))]
#[post("/funding/lines")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ApiJson<BudgetLineInput>,
) -> ApiResult<HttpResponse> {
    let saved = save(&state, &user, body.0, None).await?;
    Ok(HttpResponse::Created().json(BudgetLine::from(saved)))
}

/// Change a budget line (allocations, disbursements) / Cập nhật dòng vốn.
#[utoipa::path(operation_id = "update_budget_line", tag = "programme", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Budget line id")), request_body = BudgetLineInput, responses(
    (status = 200, description = "Saved / Đã lưu", body = BudgetLine),
))]
#[put("/funding/lines/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<BudgetLineInput>,
) -> ApiResult<web::Json<BudgetLine>> {
    let found = funding::find(&state.db, id.into_inner()).await?.ok_or_else(ApiError::not_found)?;
    check_view_programme(&user.actor(), &found.area_path)?;
    save(&state, &user, body.0, Some(found)).await.map(BudgetLine::from).map(web::Json)
}
