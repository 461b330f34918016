//! Annual cycles and the deadline of each of their six stages.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use ocop_domain::access::check_manage_programme;
use ocop_domain::cycle::Stage;
use ocop_persistence::entities::{cycle, cycle_stage};
use ocop_persistence::{audit, classifications, cycles};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::state::AppState;

/// The dates of one stage of a cycle.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"stage": "business_plan", "starts_on": "2026-04-01", "deadline": "2026-06-30"}))]
pub struct StageDates {
    #[schema(schema_with = crate::schemas::stage)]
    pub stage: Stage,
    pub starts_on: Option<NaiveDate>,
    /// Applications still in this stage after this day are overdue.
    pub deadline: Option<NaiveDate>,
}

/// A cycle year.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8eb0", "year": 2026, "name": "Chu trình OCOP năm 2026",
    "classification_version_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e01",
    "stages": [{"stage": "promotion", "starts_on": "2026-01-01", "deadline": "2026-03-31"}, {"stage": "idea_registration", "starts_on": "2026-02-01", "deadline": "2026-04-30"}],
    "created_at": "2026-11-22T08:00:00Z", "updated_at": "2026-11-22T08:00:00Z"
}))]
pub struct Cycle {
    pub id: Uuid,
    pub year: i32,
    pub name: String,
    /// The classification (and its dossier kinds) products are filed under this year.
    pub classification_version_id: Uuid,
    /// The six stages in cycle order.
    pub stages: Vec<StageDates>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Cycle {
    pub fn new(c: cycle::Model, rows: &[cycle_stage::Model]) -> Self {
        let stages = Stage::ALL
            .into_iter()
            .map(|stage| {
                let row = rows.iter().find(|r| r.cycle_id == c.id && r.stage == stage.as_str());
                StageDates { stage, starts_on: row.and_then(|r| r.starts_on), deadline: row.and_then(|r| r.deadline) }
            })
            .collect();
        Self {
            id: c.id,
            year: c.year,
            name: c.name,
            classification_version_id: c.classification_version_id,
            stages,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// Cycles, newest first / Danh sách chu trình.
#[utoipa::path(operation_id = "list_cycles", tag = "cycles", security(("bearer" = [])), responses(
    (status = 200, description = "All cycles", body = Vec<Cycle>),
))]
#[get("/cycles")]
pub async fn list(state: web::Data<AppState>, _user: AuthUser) -> ApiResult<web::Json<Vec<Cycle>>> {
    let all = cycles::list(&state.db).await?;
    let stages = cycles::stages_of(&state.db, all.iter().map(|c| c.id).collect()).await?;
    Ok(web::Json(all.into_iter().map(|c| Cycle::new(c, &stages)).collect()))
}

/// One cycle / Chi tiết chu trình.
#[utoipa::path(operation_id = "get_cycle", tag = "cycles", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Cycle id")), responses(
    (status = 200, description = "The cycle", body = Cycle),
))]
#[get("/cycles/{id}")]
pub async fn get(state: web::Data<AppState>, _user: AuthUser, id: web::Path<Uuid>) -> ApiResult<web::Json<Cycle>> {
    let c = cycles::find(&state.db, id.into_inner()).await?.ok_or_else(ApiError::not_found)?;
    let stages = cycles::stages(&state.db, c.id).await?;
    Ok(web::Json(Cycle::new(c, &stages)))
}

fn check_dates(stages: &[StageDates]) -> ApiResult<()> {
    for (i, s) in stages.iter().enumerate() {
        if let (Some(start), Some(end)) = (s.starts_on, s.deadline)
            && end < start
        {
            return Err(ApiError::invalid_field(
                &format!("stages[{i}].deadline"),
                "deadline_before_start",
                "Hạn chót không được trước ngày bắt đầu.",
                "The deadline cannot be before the start.",
            ));
        }
        if stages[..i].iter().any(|o| o.stage == s.stage) {
            return Err(ApiError::invalid_field(
                &format!("stages[{i}].stage"),
                "duplicate_stage",
                "Mỗi bước chỉ khai báo một lần.",
                "Each stage appears once.",
            ));
        }
    }
    Ok(())
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"year": 2027, "name": "Chu trình OCOP năm 2027", "classification_version_id": null, "stages": [{"stage": "idea_registration", "starts_on": "2027-02-01", "deadline": "2027-04-30"}]}))]
pub struct CreateCycle {
    #[validate(range(min = 2018, max = 2100))]
    pub year: i32,
    #[validate(length(min = 2, max = 300))]
    pub name: String,
    /// Defaults to the newest classification.
    pub classification_version_id: Option<Uuid>,
    /// Stages not listed get no dates.
    #[serde(default)]
    pub stages: Vec<StageDates>,
}

/// Open a cycle year / Tạo chu trình (admins, province officers).
#[utoipa::path(operation_id = "create_cycle", tag = "cycles", security(("bearer" = [])), request_body = CreateCycle, responses(
    (status = 201, description = "Created / Đã tạo", body = Cycle),
    (status = 409, description = "The year already has a cycle / Năm đã có chu trình", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/cycles")]
pub async fn create(state: web::Data<AppState>, user: AuthUser, body: ApiJson<CreateCycle>) -> ApiResult<HttpResponse> {
    check_manage_programme(&user.actor())?;
    let body = body.0;
    body.validate()?;
    check_dates(&body.stages)?;
    let version = match body.classification_version_id {
        Some(id) => classifications::find_version(&state.db, id).await?,
        None => classifications::latest_version(&state.db).await?,
    }
    .ok_or_else(|| {
        ApiError::invalid_field(
            "classification_version_id",
            "not_found",
            "Không tìm thấy phiên bản phân loại.",
            "The classification version does not exist.",
        )
    })?;
    if cycles::find_by_year(&state.db, body.year).await?.is_some() {
        return Err(ApiError::already_exists(
            format!("Năm {} đã có chu trình.", body.year),
            format!("The year {} already has a cycle.", body.year),
        ));
    }
    let dates = Stage::ALL
        .into_iter()
        .map(|stage| {
            let given = body.stages.iter().find(|s| s.stage == stage);
            cycles::StageDates {
                stage: stage.as_str().to_owned(),
                starts_on: given.and_then(|s| s.starts_on),
                deadline: given.and_then(|s| s.deadline),
            }
        })
        .collect();
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let created = cycles::insert(&txn, body.year, body.name.trim().to_owned(), version.id, dates).await?;
    let stages = cycles::stages(&txn, created.id).await?;
    let dto = Cycle::new(created, &stages);
    audit::record::<(), _>(
        &txn,
        &user.audit(),
        "cycle.create",
        "cycle",
        dto.id,
        None,
        Some(&serde_json::to_value(&dto).map_err(ApiError::internal)?),
    )
    .await?;
    txn.commit().await?;
    Ok(HttpResponse::Created().insert_header(("Location", format!("/api/v1/cycles/{}", dto.id))).json(dto))
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"stages": [{"stage": "business_plan", "starts_on": "2026-04-01", "deadline": "2026-07-15"}]}))]
pub struct UpdateCycle {
    #[validate(length(min = 2, max = 300))]
    pub name: Option<String>,
    /// The stages whose dates change.
    #[serde(default)]
    pub stages: Vec<StageDates>,
}

/// Rename a cycle or move its deadlines / Sửa chu trình, gia hạn (admins, province officers).
#[utoipa::path(operation_id = "update_cycle", tag = "cycles", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Cycle id")), request_body = UpdateCycle, responses(
    (status = 200, description = "Updated / Đã cập nhật", body = Cycle),
))]
#[patch("/cycles/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<UpdateCycle>,
) -> ApiResult<web::Json<Cycle>> {
    check_manage_programme(&user.actor())?;
    let body = body.0;
    body.validate()?;
    check_dates(&body.stages)?;
    let found = cycles::find(&state.db, id.into_inner()).await?.ok_or_else(ApiError::not_found)?;
    let before = Cycle::new(found.clone(), &cycles::stages(&state.db, found.id).await?);
    let dates = body
        .stages
        .iter()
        .map(|s| cycles::StageDates {
            stage: s.stage.as_str().to_owned(),
            starts_on: s.starts_on,
            deadline: s.deadline,
        })
        .collect();
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let updated = cycles::update(&txn, found, body.name.map(|n| n.trim().to_owned()), dates).await?;
    let after = Cycle::new(updated, &cycles::stages(&txn, before.id).await?);
    audit::record(&txn, &user.audit(), "cycle.update", "cycle", after.id, Some(&before), Some(&after)).await?;
    txn.commit().await?;
    Ok(web::Json(after))
}
