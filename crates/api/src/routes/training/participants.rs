//! A course's participants: enrolling, attendance and completion, removal.

use super::*;

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"kind": "leader", "full_name": "Nguyễn Thị Hoa", "subject_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e61", "attended": true, "completed": false}))]
pub struct CourseParticipantInput {
    /// `official` (with `user_id`), `leader` or `worker` (with `subject_id`).
    pub kind: String,
    /// Defaults to the official's display name, or the subject's representative for a leader.
    #[validate(length(min = 2, max = 200))]
    pub full_name: Option<String>,
    pub user_id: Option<Uuid>,
    pub subject_id: Option<Uuid>,
    #[serde(default)]
    pub attended: bool,
    #[serde(default)]
    pub completed: bool,
}

/// Add a participant / Thêm học viên (admins; officers managing the course).
#[utoipa::path(operation_id = "add_training_participant", tag = "programme", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Course id")), request_body = CourseParticipantInput, responses(
    (status = 201, description = "Added / Đã thêm", body = CourseDetail),
    (status = 409, description = "Already in the course / Đã có trong khóa học", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/training/courses/{id}/participants")]
pub async fn add_participant(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<CourseParticipantInput>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    body.validate()?;
    let course = managed_course(&state, &user, id.into_inner()).await?;
    let kind = ParticipantKind::parse(&body.kind).ok_or_else(|| {
        ApiError::invalid_field("kind", "kind", "Học viên: official, leader hoặc worker.", "Unknown participant kind.")
    })?;
    check_attendance(body.attended, body.completed).map_err(course_error)?;
    let (name, area_path) = match (kind, body.user_id, body.subject_id) {
        (ParticipantKind::Official, Some(id), None) => {
            let official = users::find_with_unit(&state.db, id).await?;
            match official {
                Some((u, Some(unit))) if u.active && u.role.ends_with("_officer") => (u.display_name, unit.path),
                _ => {
                    return Err(ApiError::invalid_field(
                        "user_id",
                        "not_an_official",
                        "Tài khoản này không phải cán bộ OCOP đang hoạt động.",
                        "This account is not an active OCOP official.",
                    ));
                }
            }
        }
        (ParticipantKind::Leader | ParticipantKind::Worker, None, Some(id)) => {
            let subject = subjects::find(&state.db, id).await?.ok_or_else(|| {
                ApiError::invalid_field("subject_id", "not_found", "Không tìm thấy chủ thể.", "No such subject.")
            })?;
            (subject.representative, subject.area_path)
        }
        _ => return Err(course_error(CourseError::Identity)),
    };
    let full_name = body.full_name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    let full_name = match (kind, full_name) {
        (_, Some(n)) => n,
        (ParticipantKind::Official | ParticipantKind::Leader, None) => name,
        (ParticipantKind::Worker, None) => {
            return Err(ApiError::invalid_field(
                "full_name",
                "required",
                "Cần nhập họ tên người lao động.",
                "A worker's full name is required.",
            ));
        }
    };
    let key = person_key(kind, body.user_id, body.subject_id, &full_name).map_err(course_error)?;
    if training::find_by_person(&state.db, course.id, &key).await?.is_some() {
        return Err(ApiError::already_exists(
            "Người này đã có trong khóa học.",
            "This person is already in the course.",
        ));
    }
    let now = Utc::now();
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let added = training::save_participant(
        &txn,
        training_participant::Model {
            id: ocop_persistence::new_id(),
            course_id: course.id,
            kind: kind.as_str().to_owned(),
            full_name,
            person_key: key,
            user_id: body.user_id,
            subject_id: body.subject_id,
            area_path,
            attended: body.attended,
            completed: body.completed,
            created_at: now,
            updated_at: now,
        },
        true,
    )
    .await?;
    audit::record::<(), _>(
        &txn,
        &user.audit(),
        "training.add_participant",
        "training_course",
        course.id,
        None,
        Some(&added),
    )
    .await?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(detail(&state, course).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"attended": true, "completed": true}))]
pub struct AttendanceInput {
    pub attended: bool,
    pub completed: bool,
}

/// Record attendance and completion / Ghi nhận tham dự, hoàn thành.
#[utoipa::path(operation_id = "set_training_attendance", tag = "programme", security(("bearer" = [])), params(
    ("id" = Uuid, Path, description = "Course id"), ("participant_id" = Uuid, Path, description = "Participant id")),
    request_body = AttendanceInput, responses(
    (status = 200, description = "Saved / Đã lưu", body = CourseDetail),
))]
#[put("/training/courses/{id}/participants/{participant_id}")]
pub async fn set_attendance(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: ApiJson<AttendanceInput>,
) -> ApiResult<web::Json<CourseDetail>> {
    let body = body.0;
    let (course_id, participant_id) = path.into_inner();
    let course = managed_course(&state, &user, course_id).await?;
    let before = participant_of(&state, &course, participant_id).await?;
    check_attendance(body.attended, body.completed).map_err(course_error)?;
    let after = training_participant::Model {
        attended: body.attended,
        completed: body.completed,
        updated_at: Utc::now(),
        ..before.clone()
    };
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let saved = training::save_participant(&txn, after, false).await?;
    audit::record(
        &txn,
        &user.audit(),
        "training.set_attendance",
        "training_course",
        course.id,
        Some(&before),
        Some(&saved),
    )
    .await?;
    txn.commit().await?;
    detail(&state, course).await.map(web::Json)
}

/// Remove a participant / Xóa học viên.
#[utoipa::path(operation_id = "remove_training_participant", tag = "programme", security(("bearer" = [])), params(
    ("id" = Uuid, Path, description = "Course id"), ("participant_id" = Uuid, Path, description = "Participant id")), responses(
    (status = 200, description = "Removed / Đã xóa", body = CourseDetail),
))]
#[delete("/training/courses/{id}/participants/{participant_id}")]
pub async fn remove_participant(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<web::Json<CourseDetail>> {
    let (course_id, participant_id) = path.into_inner();
    let course = managed_course(&state, &user, course_id).await?;
    let before = participant_of(&state, &course, participant_id).await?;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    training::remove_participant(&txn, before.id).await?;
    audit::record::<_, ()>(
        &txn,
        &user.audit(),
        "training.remove_participant",
        "training_course",
        course.id,
        Some(&before),
        None,
    )
    .await?;
    txn.commit().await?;
    detail(&state, course).await.map(web::Json)
}
