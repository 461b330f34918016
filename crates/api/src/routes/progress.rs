//! Progress (tiến độ): how many products sit in each stage per area, which are overdue, and
//! where each subject stands. Each view is one grouped query plus constant look-ups.

use std::collections::BTreeMap;

use actix_web::{get, web};
use chrono::Utc;
use ocop_domain::access::{application_visibility, registry_visibility};
use ocop_domain::admin_unit::is_within;
use ocop_domain::calendar::vietnam_day;
use ocop_domain::cycle::{ApplicationStatus, Stage, is_overdue};
use ocop_domain::text::fold;
use ocop_persistence::entities::admin_unit;
use ocop_persistence::{admin_units, applications, cycles, subjects};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::dto::AdminUnitRef;
use crate::error::{ApiError, ApiResult};
use crate::paging::{Page, paging};
use crate::state::AppState;

/// Applications in one state.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"status": "plan_submitted", "count": 12}))]
pub struct StatusCount {
    #[schema(schema_with = crate::schemas::application_status)]
    pub status: String,
    pub count: i64,
}

/// Counts for one area.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"unit": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e40", "code": "06688", "name": "Phường Hạ Long", "level": "commune", "path": "/22/06688/"}, "total": 14, "overdue": 3, "by_status": [{"status": "idea_registered", "count": 5}]}))]
pub struct AreaProgress {
    pub unit: AdminUnitRef,
    pub total: i64,
    pub overdue: i64,
    /// Every state, zeros included, in cycle order.
    pub by_status: Vec<StatusCount>,
}

/// The progress dashboard of one cycle over one area.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "cycle_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8eb0",
    "area": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e3f", "code": "22", "name": "Tỉnh Quảng Ninh", "level": "province", "path": "/22/"},
    "total": 40, "overdue": 6,
    "by_status": [{"status": "idea_registered", "count": 10}],
    "by_stage": [{"stage": "business_plan", "count": 18, "deadline": "2026-06-30"}],
    "areas": []
}))]
pub struct StageProgress {
    pub cycle_id: Uuid,
    pub area: AdminUnitRef,
    pub total: i64,
    pub overdue: i64,
    pub by_status: Vec<StatusCount>,
    pub by_stage: Vec<StageCount>,
    /// The same counts for each unit directly below the area.
    pub areas: Vec<AreaProgress>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"stage": "business_plan", "count": 18, "deadline": "2026-06-30"}))]
pub struct StageCount {
    #[schema(schema_with = crate::schemas::stage)]
    pub stage: Stage,
    pub count: i64,
    pub deadline: Option<chrono::NaiveDate>,
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ProgressQuery {
    pub cycle_id: Uuid,
    /// Defaults to the caller's own unit, or the province.
    pub area_id: Option<Uuid>,
}

fn statuses(counts: &BTreeMap<String, i64>) -> Vec<StatusCount> {
    ApplicationStatus::ALL
        .iter()
        .map(|s| StatusCount { status: s.as_str().to_owned(), count: counts.get(s.as_str()).copied().unwrap_or(0) })
        .collect()
}

async fn area(state: &AppState, user: &AuthUser, area_id: Option<Uuid>) -> ApiResult<admin_unit::Model> {
    let id = area_id.or_else(|| user.unit.as_ref().map(|u| u.id));
    let found = match id {
        Some(id) => admin_units::find(&state.db, id).await?,
        None => admin_units::root(&state.db).await?,
    };
    found.ok_or_else(|| {
        ApiError::invalid_field("area_id", "not_found", "Không tìm thấy đơn vị.", "The unit does not exist.")
    })
}

/// Applications per stage and area / Tiến độ theo bước và địa bàn.
#[utoipa::path(operation_id = "progress_by_stage", tag = "progress", security(("bearer" = [])), params(ProgressQuery), responses(
    (status = 200, description = "Counts for the area and each unit below it", body = StageProgress),
))]
#[get("/progress/stages")]
pub async fn by_stage(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ProgressQuery>,
) -> ApiResult<web::Json<StageProgress>> {
    let cycle = cycles::find(&state.db, query.cycle_id).await?.ok_or_else(|| {
        ApiError::invalid_field("cycle_id", "not_found", "Không tìm thấy chu trình.", "The cycle does not exist.")
    })?;
    let area = area(&state, &user, query.area_id).await?;
    let mut filter = applications::Filter::new(application_visibility(&user.actor(), user.id()));
    filter.cycle_id = Some(cycle.id);
    filter.area_path = Some(area.path.clone());
    // One grouped query; whether a state is overdue follows from its stage's deadline.
    let rows = applications::counts_by_area_and_status(&state.db, &filter).await?;
    let children = admin_units::children(&state.db, area.id).await?;
    let deadlines = cycles::stages(&state.db, cycle.id).await?;
    let today = vietnam_day(Utc::now());
    let overdue_status = |status: &str| {
        status
            .parse::<ApplicationStatus>()
            .is_ok_and(|s| deadlines.iter().any(|d| d.stage == s.stage().as_str() && is_overdue(d.deadline, today)))
    };

    let child_of = |path: &str| children.iter().position(|c| is_within(path, &c.path));
    let mut total_by_status: BTreeMap<String, i64> = BTreeMap::new();
    let mut per_child: Vec<(BTreeMap<String, i64>, i64)> = vec![(BTreeMap::new(), 0); children.len()];
    let mut overdue = 0;
    for (path, status, n) in &rows {
        let late = if overdue_status(status) { *n } else { 0 };
        overdue += late;
        *total_by_status.entry(status.clone()).or_default() += n;
        if let Some(i) = child_of(path) {
            *per_child[i].0.entry(status.clone()).or_default() += n;
            per_child[i].1 += late;
        }
    }
    let by_stage = Stage::ALL
        .into_iter()
        .map(|stage| StageCount {
            stage,
            count: ApplicationStatus::ALL
                .iter()
                .filter(|s| s.stage() == stage)
                .map(|s| total_by_status.get(s.as_str()).copied().unwrap_or(0))
                .sum(),
            deadline: deadlines.iter().find(|d| d.stage == stage.as_str()).and_then(|d| d.deadline),
        })
        .collect();
    let areas = children
        .into_iter()
        .zip(per_child)
        .map(|(unit, (counts, overdue))| AreaProgress {
            total: counts.values().sum(),
            overdue,
            by_status: statuses(&counts),
            unit: unit.into(),
        })
        .collect();
    Ok(web::Json(StageProgress {
        cycle_id: cycle.id,
        area: area.into(),
        total: total_by_status.values().sum(),
        overdue,
        by_status: statuses(&total_by_status),
        by_stage,
        areas,
    }))
}

/// Where one subject's applications stand.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"subject_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e60", "name": "Hợp tác xã Dược liệu Ba Chẽ", "legal_form": "cooperative", "total": 2, "by_status": [{"status": "plan_submitted", "count": 1}]}))]
pub struct SubjectProgress {
    pub subject_id: Uuid,
    pub name: String,
    #[schema(schema_with = crate::schemas::legal_form)]
    pub legal_form: String,
    pub total: i64,
    pub by_status: Vec<StatusCount>,
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct SubjectsQuery {
    pub cycle_id: Uuid,
    pub area_id: Option<Uuid>,
    /// Words searched in subject names.
    #[validate(length(max = 100))]
    pub q: Option<String>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// Per-subject overview of a cycle / Tiến độ theo chủ thể.
#[utoipa::path(operation_id = "progress_by_subject", tag = "progress", security(("bearer" = [])), params(SubjectsQuery), responses(
    (status = 200, description = "A page of subjects with their applications per state", body = Page<SubjectProgress>),
))]
#[get("/progress/subjects")]
pub async fn by_subject(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<SubjectsQuery>,
) -> ApiResult<web::Json<Page<SubjectProgress>>> {
    query.validate()?;
    let visibility = registry_visibility(&user.actor());
    let area_path = crate::areas::area_path(&state, query.area_id).await?;
    let filter = subjects::Filter {
        visibility: visibility.clone(),
        q: query.q.as_deref().map(fold),
        legal_form: None,
        area_path,
    };
    let page = subjects::list(
        &state.db,
        &filter,
        subjects::SortKey::Name,
        ocop_persistence::paging::Direction::Asc,
        paging(query.limit, query.offset)?,
    )
    .await?;
    let mut app_filter = applications::Filter::new(application_visibility(&user.actor(), user.id()));
    app_filter.cycle_id = Some(query.cycle_id);
    let rows =
        applications::counts_by_subject_and_status(&state.db, &app_filter, page.items.iter().map(|s| s.id).collect())
            .await?;
    Ok(web::Json(Page::map(page, |s| {
        let counts: BTreeMap<String, i64> =
            rows.iter().filter(|(id, _, _)| *id == s.id).map(|(_, status, n)| (status.clone(), *n)).collect();
        SubjectProgress {
            subject_id: s.id,
            name: s.name,
            legal_form: s.legal_form,
            total: counts.values().sum(),
            by_status: statuses(&counts),
        }
    })))
}
