//! Evaluation councils: their members, the queue of applications waiting for them, and their
//! sessions.

use std::collections::HashMap;

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use ocop_domain::access::check_manage_council;
use ocop_domain::account::Role;
use ocop_domain::council::{CouncilLevel, MemberRole};
use ocop_persistence::{admin_units, audit, councils, cycles, products, users};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::dto::ProductRef;
use crate::dto::{Council, Member, Session};
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::guard::CouncilSeat;
use crate::state::AppState;

/// A council with its members and sessions, and what the caller may do with it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d01", "level": "province", "area": null, "cycle_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8eb0",
    "name": "Hội đồng OCOP tỉnh năm 2026", "decision_number": "2345/QĐ-UBND", "decision_date": "2026-09-15", "created_at": "2026-09-15T03:00:00Z",
    "members": [{"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d11", "user_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8a11", "display_name": "Trần Văn Chủ Tịch", "email": "chutich@ocop.demo", "role": "chair", "organisation": null}],
    "sessions": [{"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d21", "council_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d01", "held_on": "2026-10-20", "place": null}],
    "can_manage": true, "my_member_id": null}))]
pub struct CouncilDetail {
    #[serde(flatten)]
    pub council: Council,
    pub members: Vec<Member>,
    pub sessions: Vec<Session>,
    /// The caller sets up this council (members, sessions, products).
    pub can_manage: bool,
    /// The caller's seat on this council, if any.
    pub my_member_id: Option<Uuid>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    pub cycle_id: Option<Uuid>,
}

/// Councils the caller manages or sits on / Danh sách hội đồng.
#[utoipa::path(operation_id = "list_councils", tag = "councils", security(("bearer" = [])), params(ListQuery), responses(
    (status = 200, description = "Councils, newest decision first", body = Vec<Council>),
))]
#[get("/councils")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ListQuery>,
) -> ApiResult<web::Json<Vec<Council>>> {
    let actor = user.actor();
    let only = match user.role {
        Role::Producer => return Err(ApiError::forbidden()),
        Role::Admin => None,
        _ => Some(councils::councils_of_user(&state.db, user.id()).await?),
    };
    let mut rows = councils::list(&state.db, query.cycle_id, None).await?;
    rows.retain(|c| {
        only.as_ref().is_none_or(|ids| ids.contains(&c.id)) || check_manage_council(&actor, &c.area_path).is_ok()
    });
    let units = crate::areas::unit_refs(&state, rows.iter().map(|c| c.area_unit_id).collect()).await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|c| Council {
                area: units.get(&c.area_unit_id).cloned(),
                id: c.id,
                level: c.level,
                cycle_id: c.cycle_id,
                name: c.name,
                decision_number: c.decision_number,
                decision_date: c.decision_date,
                created_at: c.created_at,
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"level": "province", "area_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e01", "cycle_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8eb0",
    "name": "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh năm 2026", "decision_number": "3012/QĐ-UBND", "decision_date": "2026-09-15"}))]
pub struct CreateCouncil {
    #[schema(schema_with = crate::schemas::council_level)]
    pub level: CouncilLevel,
    /// The unit the council serves: a commune, district or the province (national councils
    /// are registered on the province).
    pub area_id: Uuid,
    pub cycle_id: Uuid,
    #[validate(length(min = 3, max = 300))]
    pub name: String,
    /// Number of the decision that set up the council.
    #[validate(length(min = 1, max = 64))]
    pub decision_number: String,
    pub decision_date: NaiveDate,
}

/// Set up a council / Thành lập hội đồng (admins; officers inside their area).
#[utoipa::path(operation_id = "create_council", tag = "councils", security(("bearer" = [])), request_body = CreateCouncil, responses(
    (status = 201, description = "Created / Đã tạo", body = CouncilDetail),
    (status = 422, description = "Level not configured, or the area is not of the council's level / Cấp hội đồng không phù hợp", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/councils")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ApiJson<CreateCouncil>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    body.validate()?;
    if state.council_rules.rule(body.level).is_none() {
        return Err(ApiError::invalid_field(
            "level",
            "level_not_configured",
            format!("Cấp {} không có trong cấu hình hội đồng hiện hành.", body.level.label_vi()),
            format!("The level {} is not part of the configured council rules.", body.level.as_str()),
        ));
    }
    let area = admin_units::find(&state.db, body.area_id).await?.ok_or_else(|| {
        ApiError::invalid_field(
            "area_id",
            "not_found",
            "Không tìm thấy đơn vị hành chính.",
            "No such administrative unit.",
        )
    })?;
    if area.level != body.level.unit_level().as_str() {
        return Err(ApiError::invalid_field(
            "area_id",
            "wrong_level",
            format!(
                "Hội đồng {} phải gắn với đơn vị cấp {}.",
                body.level.label_vi().to_lowercase(),
                body.level.unit_level().as_str()
            ),
            format!(
                "A {} council belongs to a unit of level {}.",
                body.level.as_str(),
                body.level.unit_level().as_str()
            ),
        ));
    }
    check_manage_council(&user.actor(), &area.path)?;
    if cycles::find(&state.db, body.cycle_id).await?.is_none() {
        return Err(ApiError::invalid_field("cycle_id", "not_found", "Không tìm thấy chu trình.", "No such cycle."));
    }
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let created = councils::insert(
        &txn,
        councils::NewCouncil {
            level: body.level.as_str().to_owned(),
            area_unit_id: area.id,
            area_path: area.path.clone(),
            cycle_id: body.cycle_id,
            name: body.name.trim().to_owned(),
            decision_number: body.decision_number.trim().to_owned(),
            decision_date: body.decision_date,
        },
    )
    .await?;
    audit::record::<(), _>(&txn, &user.audit(), "council.create", "council", created.id, None, Some(&created)).await?;
    txn.commit().await?;
    let id = created.id;
    let dto = CouncilDetail {
        council: crate::dto::council(&state, created).await?,
        members: Vec::new(),
        sessions: Vec::new(),
        can_manage: true,
        my_member_id: None,
    };
    Ok(HttpResponse::Created().insert_header(("Location", format!("/api/v1/councils/{id}"))).json(dto))
}

/// A council with members and sessions / Chi tiết hội đồng.
#[utoipa::path(operation_id = "get_council", tag = "councils", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Council id")), responses(
    (status = 200, description = "The council", body = CouncilDetail),
    (status = 404, description = "No such council, or not one of yours", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[get("/councils/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<CouncilDetail>> {
    let seat = crate::guard::council(&state, &user, id.into_inner()).await?;
    detail(&state, seat).await.map(web::Json)
}

async fn detail(state: &AppState, seat: CouncilSeat) -> ApiResult<CouncilDetail> {
    let members = councils::members(&state.db, seat.council.id).await?.into_iter().map(Member::from).collect();
    let sessions = councils::sessions(&state.db, seat.council.id).await?.into_iter().map(Session::from).collect();
    Ok(CouncilDetail {
        council: crate::dto::council(state, seat.council).await?,
        members,
        sessions,
        can_manage: seat.can_manage,
        my_member_id: seat.member.map(|m| m.id),
    })
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"user_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8a11", "role": "chair", "organisation": "UBND tỉnh Quảng Ninh"}))]
pub struct AddMember {
    /// The account the member signs in and scores with (any active account except producers).
    pub user_id: Uuid,
    #[schema(schema_with = crate::schemas::member_role)]
    pub role: MemberRole,
    #[validate(length(max = 300))]
    pub organisation: Option<String>,
}

/// Add a member / Thêm thành viên hội đồng.
#[utoipa::path(operation_id = "add_council_member", tag = "councils", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Council id")), request_body = AddMember, responses(
    (status = 201, description = "Added / Đã thêm", body = CouncilDetail),
    (status = 409, description = "Already a member, or the council has a chair / Đã là thành viên hoặc đã có chủ tịch", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/councils/{id}/members")]
pub async fn add_member(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<AddMember>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    body.validate()?;
    let seat = crate::guard::council(&state, &user, id.into_inner()).await?;
    check_manage_council(&user.actor(), &seat.council.area_path)?;
    let account = users::find(&state.db, body.user_id).await?.filter(|u| u.active).ok_or_else(|| {
        ApiError::invalid_field(
            "user_id",
            "not_found",
            "Không tìm thấy tài khoản đang hoạt động.",
            "No such active account.",
        )
    })?;
    if account.role == Role::Producer.as_str() {
        return Err(ApiError::invalid_field(
            "user_id",
            "producer",
            "Tài khoản chủ thể không thể là thành viên hội đồng.",
            "A producer account cannot sit on a council.",
        ));
    }
    let members = councils::members(&state.db, seat.council.id).await?;
    if members.iter().any(|(m, _)| m.user_id == account.id) {
        return Err(ApiError::already_exists(
            "Tài khoản đã là thành viên hội đồng.",
            "The account is already a member.",
        ));
    }
    if body.role == MemberRole::Chair && members.iter().any(|(m, _)| m.role == MemberRole::Chair.as_str()) {
        return Err(ApiError::conflict("Hội đồng đã có chủ tịch.", "The council already has a chair."));
    }
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let added = councils::insert_member(
        &txn,
        seat.council.id,
        account.id,
        body.role.as_str(),
        body.organisation.map(|o| o.trim().to_owned()).filter(|o| !o.is_empty()),
    )
    .await?;
    audit::record::<(), _>(&txn, &user.audit(), "council.add_member", "council", seat.council.id, None, Some(&added))
        .await?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(detail(&state, seat).await?))
}

/// Remove a member who has not sat yet / Bỏ thành viên (chưa dự phiên nào).
#[utoipa::path(operation_id = "remove_council_member", tag = "councils", security(("bearer" = [])), params(
    ("id" = Uuid, Path, description = "Council id"), ("member_id" = Uuid, Path, description = "Member id")), responses(
    (status = 200, description = "Removed / Đã bỏ", body = CouncilDetail),
    (status = 409, description = "The member has sat at a session and stays for the record / Thành viên đã dự phiên", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[delete("/councils/{id}/members/{member_id}")]
pub async fn remove_member(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<web::Json<CouncilDetail>> {
    let (id, member_id) = path.into_inner();
    let seat = crate::guard::council(&state, &user, id).await?;
    check_manage_council(&user.actor(), &seat.council.area_path)?;
    let member = councils::find_member(&state.db, member_id)
        .await?
        .filter(|m| m.council_id == seat.council.id)
        .ok_or_else(ApiError::not_found)?;
    if councils::member_has_sat(&state.db, member.id).await? {
        return Err(ApiError::conflict(
            "Thành viên đã dự phiên họp nên được giữ trong hồ sơ hội đồng.",
            "The member has sat at a session and stays on record.",
        ));
    }
    let txn = ocop_persistence::begin_write(&state.db).await?;
    councils::delete_member(&txn, member.id).await?;
    audit::record::<_, ()>(
        &txn,
        &user.audit(),
        "council.remove_member",
        "council",
        seat.council.id,
        Some(&member),
        None,
    )
    .await?;
    txn.commit().await?;
    detail(&state, seat).await.map(web::Json)
}

/// An application waiting for a council.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"application_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8ec0",
    "product": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e90", "code": "22-000-06688-001-2026", "name": "Chả mực Hạ Long"},
    "status": "submitted_for_evaluation", "waiting_since": "2026-09-02T03:00:00Z"}))]
pub struct QueueEntry {
    pub application_id: Uuid,
    pub product: Option<ProductRef>,
    #[schema(schema_with = crate::schemas::application_status)]
    pub status: String,
    pub waiting_since: DateTime<Utc>,
}

/// Applications waiting for this council / Sản phẩm chờ hội đồng đánh giá.
///
/// At the entry level (the first configured level) these are the applications submitted for
/// evaluation in the council's area and cycle; at higher levels, the ones forwarded to it.
#[utoipa::path(operation_id = "council_queue", tag = "councils", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Council id")), responses(
    (status = 200, description = "Oldest first", body = Vec<QueueEntry>),
))]
#[get("/councils/{id}/queue")]
pub async fn queue(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Vec<QueueEntry>>> {
    let seat = crate::guard::council(&state, &user, id.into_inner()).await?;
    let level: CouncilLevel = seat.council.level.parse().map_err(ApiError::internal)?;
    let waiting = councils::queue(&state.db, &seat.council, state.council_rules.entry() == level).await?;
    let products: HashMap<Uuid, ProductRef> =
        products::find_many(&state.db, waiting.iter().map(|a| a.product_id).collect())
            .await?
            .into_iter()
            .map(|p| (p.id, ProductRef { id: p.id, code: p.code, name: p.name }))
            .collect();
    Ok(web::Json(
        waiting
            .into_iter()
            .map(|a| QueueEntry {
                application_id: a.id,
                product: products.get(&a.product_id).cloned(),
                status: a.status,
                waiting_since: a.status_changed_at,
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"held_on": "2026-10-20", "place": "Hội trường UBND tỉnh"}))]
pub struct CreateSession {
    pub held_on: NaiveDate,
    #[validate(length(max = 300))]
    pub place: Option<String>,
}

/// Open a session / Tạo phiên họp đánh giá.
#[utoipa::path(operation_id = "create_session", tag = "councils", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Council id")), request_body = CreateSession, responses(
    (status = 201, description = "Created / Đã tạo", body = Session),
))]
#[post("/councils/{id}/sessions")]
pub async fn create_session(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<CreateSession>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    body.validate()?;
    let seat = crate::guard::council(&state, &user, id.into_inner()).await?;
    check_manage_council(&user.actor(), &seat.council.area_path)?;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let created = councils::insert_session(
        &txn,
        seat.council.id,
        body.held_on,
        body.place.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()),
    )
    .await?;
    audit::record::<(), _>(
        &txn,
        &user.audit(),
        "session.create",
        "evaluation_session",
        created.id,
        None,
        Some(&created),
    )
    .await?;
    txn.commit().await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/sessions/{}", created.id)))
        .json(Session::from(created)))
}
