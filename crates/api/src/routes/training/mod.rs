//! Training (đào tạo, tập huấn): courses organised by the province or a district, the officials,
//! subjects' leaders and workers taking part, their attendance and completion. Completions
//! feed the programme's training targets.

pub mod participants;

use actix_web::{HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use ocop_domain::access::{check_read_course, check_view_programme};
use ocop_domain::account::Role;
use ocop_domain::funding::SOURCES;
use ocop_domain::text::fold;
use ocop_domain::training::{CourseError, ParticipantKind, check_attendance, check_course, person_key};
use ocop_persistence::entities::{training_course, training_participant};
use ocop_persistence::{audit, subjects, training, users};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::areas::unit_or_own;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::paging::{Page, paging};
use crate::state::AppState;

/// A training course.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c01", "title": "Tập huấn triển khai Chương trình OCOP 2027", "kind": "tot",
    "audience": "officials", "starts_on": "2027-03-10", "ends_on": "2027-03-12", "place": "Trung tâm Hội nghị tỉnh, Hạ Long",
    "organiser": "Văn phòng Điều phối nông thôn mới tỉnh", "funding_source": "provincial", "area_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8a01",
    "participants": 42, "completed": 40, "updated_at": "2026-12-03T08:00:00Z"}))]
pub struct Course {
    pub id: Uuid,
    pub title: String,
    /// `tot` (training of trainers), `course`, `workshop` or `study_tour`.
    pub kind: String,
    /// `officials`, `leaders`, `workers` or `mixed`.
    pub audience: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub place: String,
    pub organiser: String,
    /// `central`, `provincial`, `integrated`, `own`, `credit` or `sponsor`.
    pub funding_source: String,
    /// The unit organising it.
    pub area_id: Uuid,
    pub participants: u64,
    pub completed: u64,
    pub updated_at: DateTime<Utc>,
}

impl Course {
    fn new(c: training_course::Model, people: &[training_participant::Model]) -> Self {
        Self {
            participants: people.len() as u64,
            completed: people.iter().filter(|p| p.completed).count() as u64,
            id: c.id,
            title: c.title,
            kind: c.kind,
            audience: c.audience,
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            place: c.place,
            organiser: c.organiser,
            funding_source: c.funding_source,
            area_id: c.area_unit_id,
            updated_at: c.updated_at,
        }
    }
}

/// Someone taking part in a course.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c11", "kind": "leader", "full_name": "Nguyễn Thị Hoa",
    "user_id": null, "subject_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e61", "attended": true, "completed": true}))]
pub struct CourseParticipant {
    pub id: Uuid,
    /// `official`, `leader` or `worker`.
    pub kind: String,
    pub full_name: String,
    /// An official's account.
    pub user_id: Option<Uuid>,
    /// The subject of a leader or worker.
    pub subject_id: Option<Uuid>,
    pub attended: bool,
    pub completed: bool,
}

impl From<training_participant::Model> for CourseParticipant {
    fn from(p: training_participant::Model) -> Self {
        Self {
            id: p.id,
            kind: p.kind,
            full_name: p.full_name,
            user_id: p.user_id,
            subject_id: p.subject_id,
            attended: p.attended,
            completed: p.completed,
        }
    }
}

/// A course with the people taking part.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c01", "title": "Tập huấn triển khai Chương trình OCOP 2027", "kind": "tot",
    "audience": "officials", "starts_on": "2027-03-10", "ends_on": "2027-03-12", "place": "Hạ Long", "organiser": "Văn phòng Điều phối nông thôn mới tỉnh",
    "funding_source": "provincial", "area_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8a01", "participants": 1, "completed": 1, "updated_at": "2026-12-03T08:00:00Z",
    "people": [{"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c11", "kind": "leader", "full_name": "Nguyễn Thị Hoa", "user_id": null,
    "subject_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e61", "attended": true, "completed": true}]}))]
pub struct CourseDetail {
    #[serde(flatten)]
    pub course: Course,
    pub people: Vec<CourseParticipant>,
}

async fn detail(state: &AppState, course: training_course::Model) -> ApiResult<CourseDetail> {
    let people = training::participants(&state.db, course.id).await?;
    Ok(CourseDetail {
        course: Course::new(course, &people),
        people: people.into_iter().map(CourseParticipant::from).collect(),
    })
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct CourseQuery {
    /// Courses ending in this year.
    #[validate(range(min = 2000, max = 2100))]
    pub year: Option<i32>,
    /// Words in the title, without diacritics.
    #[validate(length(max = 100))]
    pub q: Option<String>,
    #[validate(range(min = 1, max = 200))]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

fn officers_only(user: &AuthUser) -> ApiResult<()> {
    if user.role == Role::Admin || user.role.officer_level().is_some() { Ok(()) } else { Err(ApiError::forbidden()) }
}

/// Training courses / Khóa đào tạo, tập huấn (admins; officers: their area's and those above it).
#[utoipa::path(operation_id = "list_training_courses", tag = "programme", security(("bearer" = [])), params(CourseQuery), responses(
    (status = 200, description = "A page of courses, latest first", body = Page<Course>),
))]
#[get("/training/courses")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<CourseQuery>,
) -> ApiResult<web::Json<Page<Course>>> {
    query.validate()?;
    officers_only(&user)?;
    let year = |m, d| query.year.and_then(|y| NaiveDate::from_ymd_opt(y, m, d));
    let filter = training::Filter {
        visible_from: if user.role == Role::Admin { None } else { user.unit.as_ref().map(|u| u.path.clone()) },
        ending_from: year(1, 1),
        ending_to: year(12, 31),
        q: query.q.as_deref().map(fold),
    };
    let page = training::list(&state.db, &filter, paging(query.limit, query.offset)?).await?;
    let people = training::participants_of(&state.db, page.items.iter().map(|c| c.id).collect()).await?;
    let items = page
        .items
        .into_iter()
        .map(|c| {
            let own: Vec<_> = people.iter().filter(|p| p.course_id == c.id).cloned().collect();
            Course::new(c, &own)
        })
        .collect();
    Ok(web::Json(Page { items, total: page.total }))
}

/// One course with its participants / Chi tiết khóa đào tạo.
#[utoipa::path(operation_id = "get_training_course", tag = "programme", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Course id")), responses(
    (status = 200, description = "The course", body = CourseDetail),
    (status = 404, description = "No such course", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[get("/training/courses/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<CourseDetail>> {
    let course = training::find(&state.db, id.into_inner()).await?.ok_or_else(ApiError::not_found)?;
    check_read_course(&user.actor(), &course.area_path)?;
    detail(&state, course).await.map(web::Json)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"title": "Tập huấn triển khai Chương trình OCOP 2027", "kind": "tot", "audience": "officials", "starts_on": "2027-03-10",
    "ends_on": "2027-03-12", "place": "Trung tâm Hội nghị tỉnh, Hạ Long", "organiser": "Văn phòng Điều phối nông thôn mới tỉnh",
    "funding_source": "provincial", "area_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8a01"}))]
pub struct CourseInput {
    #[validate(length(min = 3, max = 300))]
    pub title: String,
    pub kind: String,
    pub audience: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    #[validate(length(min = 2, max = 300))]
    pub place: String,
    #[validate(length(min = 2, max = 300))]
    pub organiser: String,
    pub funding_source: String,
    /// The organising unit (default: the caller's unit, or the province).
    pub area_id: Option<Uuid>,
}

fn course_error(e: CourseError) -> ApiError {
    let (field, vi) = match e {
        CourseError::Kind => ("kind", "Loại khóa học: tot, course, workshop hoặc study_tour."),
        CourseError::Audience => ("audience", "Đối tượng: officials, leaders, workers hoặc mixed."),
        CourseError::Dates => ("ends_on", "Ngày kết thúc không được trước ngày bắt đầu."),
        CourseError::Identity => {
            ("kind", "Cán bộ tham gia theo tài khoản (user_id); lãnh đạo, người lao động theo chủ thể (subject_id).")
        }
        CourseError::CompletedWithoutAttending => ("completed", "Chỉ người đã tham dự mới được ghi nhận hoàn thành."),
    };
    ApiError::invalid_field(field, field, vi, e.to_string())
}

async fn save(
    state: &AppState,
    user: &AuthUser,
    body: CourseInput,
    existing: Option<training_course::Model>,
) -> ApiResult<training_course::Model> {
    body.validate()?;
    officers_only(user)?;
    check_course(&body.kind, &body.audience, body.starts_on, body.ends_on).map_err(course_error)?;
    if !SOURCES.contains(&body.funding_source.as_str()) {
        return Err(ApiError::invalid_field(
            "funding_source",
            "funding_source",
            "Nguồn kinh phí: central, provincial, integrated, own, credit hoặc sponsor.",
            "Unknown funding source.",
        ));
    }
    let area = unit_or_own(state, user, body.area_id).await?;
    let now = Utc::now();
    let row = training_course::Model {
        id: existing.as_ref().map_or_else(ocop_persistence::new_id, |c| c.id),
        title_folded: fold(&body.title),
        title: body.title.trim().to_owned(),
        kind: body.kind,
        audience: body.audience,
        starts_on: body.starts_on,
        ends_on: body.ends_on,
        place: body.place.trim().to_owned(),
        organiser: body.organiser.trim().to_owned(),
        funding_source: body.funding_source,
        area_unit_id: area.id,
        area_path: area.path,
        created_at: existing.as_ref().map_or(now, |c| c.created_at),
        updated_at: now,
    };
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let saved = training::save(&txn, row, existing.is_none()).await?;
    audit::record(
        &txn,
        &user.audit(),
        "training_course.save",
        "training_course",
        saved.id,
        existing.as_ref(),
        Some(&saved),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Open a course / Thêm khóa đào tạo (admins; officers in their area).
#[utoipa::path(operation_id = "create_training_course", tag = "programme", security(("bearer" = [])), request_body = CourseInput, responses(
    (status = 201, description = "Created / Đã tạo", body = CourseDetail),
))]
#[post("/training/courses")]
pub async fn create(state: web::Data<AppState>, user: AuthUser, body: ApiJson<CourseInput>) -> ApiResult<HttpResponse> {
    let saved = save(&state, &user, body.0, None).await?;
    Ok(HttpResponse::Created().json(detail(&state, saved).await?))
}

/// A participant of this course.
async fn participant_of(
    state: &AppState,
    course: &training_course::Model,
    id: Uuid,
) -> ApiResult<training_participant::Model> {
    training::find_participant(&state.db, id)
        .await?
        .filter(|p| p.course_id == course.id)
        .ok_or_else(ApiError::not_found)
}

async fn managed_course(state: &AppState, user: &AuthUser, id: Uuid) -> ApiResult<training_course::Model> {
    let course = training::find(&state.db, id).await?.ok_or_else(ApiError::not_found)?;
    check_read_course(&user.actor(), &course.area_path)?;
    check_view_programme(&user.actor(), &course.area_path)?;
    Ok(course)
}

/// Change a course / Sửa khóa đào tạo.
#[utoipa::path(operation_id = "update_training_course", tag = "programme", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Course id")), request_body = CourseInput, responses(
    (status = 200, description = "Saved / Đã lưu", body = CourseDetail),
))]
#[put("/training/courses/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<CourseInput>,
) -> ApiResult<web::Json<CourseDetail>> {
    let found = managed_course(&state, &user, id.into_inner()).await?;
    let saved = save(&state, &user, body.0, Some(found)).await?;
    detail(&state, saved).await.map(web::Json)
}
