//! User management (admins): list, create, read, edit (role, scope, activation), reset password.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use ocop_domain::access::{BindingError, check_officer_binding};
use ocop_domain::account::{Email, Role, check_password};
use ocop_domain::admin_unit::AdminLevel;
use ocop_domain::text::fold;
use ocop_persistence::entities::user::Model;
use ocop_persistence::paging::Direction;
use ocop_persistence::{admin_units, audit, refresh_tokens, users};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::{AuthUser, password};
use crate::dto::AdminUnitRef;
use crate::error::weak_password;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::paging::{Page, paging};
use crate::state::AppState;

/// A user account (never with its password hash).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e12", "email": "halong@ocop.demo", "display_name": "Nguyễn Văn An",
    "role": "commune_officer",
    "admin_unit": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e40", "code": "06688", "name": "Phường Hạ Long", "level": "commune", "path": "/22/06688/"},
    "subject_id": null, "active": true, "created_at": "2026-11-22T08:00:00Z", "updated_at": "2026-11-22T08:00:00Z"
}))]
pub struct User {
    pub id: Uuid,
    #[schema(example = "halong@ocop.demo")]
    pub email: String,
    #[schema(example = "Nguyễn Văn An")]
    pub display_name: String,
    #[schema(schema_with = crate::schemas::role)]
    pub role: String,
    pub admin_unit: Option<AdminUnitRef>,
    /// For producers: the subject the account acts for.
    pub subject_id: Option<Uuid>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn to_dto(user: Model, unit: Option<AdminUnitRef>) -> User {
    User {
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        role: user.role,
        admin_unit: unit,
        subject_id: user.subject_id,
        active: user.active,
        created_at: user.created_at,
        updated_at: user.updated_at,
    }
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
pub enum UserSort {
    #[serde(rename = "email")]
    EmailAsc,
    #[serde(rename = "-email")]
    EmailDesc,
    #[serde(rename = "name")]
    NameAsc,
    #[serde(rename = "-name")]
    NameDesc,
    #[serde(rename = "created_at")]
    CreatedAsc,
    #[serde(rename = "-created_at")]
    CreatedDesc,
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Search in names (ignoring diacritics) and e-mail addresses.
    #[validate(length(max = 100))]
    pub q: Option<String>,
    #[param(schema_with = crate::schemas::role)]
    pub role: Option<Role>,
    pub admin_unit_id: Option<Uuid>,
    pub active: Option<bool>,
    /// Page size, 1–200 (default 20).
    pub limit: Option<u64>,
    pub offset: Option<u64>,
    /// Default `email`.
    #[param(inline)]
    pub sort: Option<UserSort>,
}

/// List users / Danh sách tài khoản (admin).
#[utoipa::path(operation_id = "list_users", tag = "users", security(("bearer" = [])), params(ListQuery), responses(
    (status = 200, description = "A page of users", body = Page<User>),
))]
#[get("/users")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ListQuery>,
) -> ApiResult<web::Json<Page<User>>> {
    user.require_admin()?;
    let query = query.into_inner();
    query.validate()?;
    let (sort, direction) = match query.sort.unwrap_or(UserSort::EmailAsc) {
        UserSort::EmailAsc => (users::SortKey::Email, Direction::Asc),
        UserSort::EmailDesc => (users::SortKey::Email, Direction::Desc),
        UserSort::NameAsc => (users::SortKey::Name, Direction::Asc),
        UserSort::NameDesc => (users::SortKey::Name, Direction::Desc),
        UserSort::CreatedAsc => (users::SortKey::CreatedAt, Direction::Asc),
        UserSort::CreatedDesc => (users::SortKey::CreatedAt, Direction::Desc),
    };
    let filter = users::Filter {
        q: query.q.as_deref().map(fold),
        role: query.role.map(|r| r.as_str().to_owned()),
        admin_unit_id: query.admin_unit_id,
        active: query.active,
    };
    let page = users::list(&state.db, &filter, sort, direction, paging(query.limit, query.offset)?).await?;
    // One query for all the units on the page.
    let unit_ids = page.items.iter().filter_map(|u| u.admin_unit_id).collect();
    let units: std::collections::HashMap<Uuid, AdminUnitRef> =
        admin_units::find_many(&state.db, unit_ids).await?.into_iter().map(|u| (u.id, AdminUnitRef::from(u))).collect();
    Ok(web::Json(Page::map(page, |u| {
        let unit = u.admin_unit_id.and_then(|id| units.get(&id).cloned());
        to_dto(u, unit)
    })))
}

/// Checks that the role and the bound unit fit together (officers: a unit of their level;
/// others: none) and returns the unit, for the response.
async fn check_binding(state: &AppState, role: Role, unit_id: Option<Uuid>) -> ApiResult<Option<AdminUnitRef>> {
    let unit = match unit_id {
        Some(id) => Some(admin_units::find(&state.db, id).await?.ok_or_else(|| {
            ApiError::invalid_field("admin_unit_id", "not_found", "Không tìm thấy đơn vị.", "The unit does not exist.")
        })?),
        None => None,
    };
    let level = unit.as_ref().map(|u| u.level.parse::<AdminLevel>()).transpose().map_err(ApiError::internal)?;
    check_officer_binding(role, level).map_err(|e| {
        let vi = match e {
            BindingError::UnitRequired => "Cán bộ phải gắn với một đơn vị hành chính.",
            BindingError::WrongLevel(_) => "Đơn vị không đúng cấp với vai trò.",
            BindingError::NotAnOfficer => "Chỉ cán bộ mới gắn với đơn vị hành chính.",
        };
        ApiError::invalid_field("admin_unit_id", "binding", vi, e.to_string())
    })?;
    Ok(unit.map(AdminUnitRef::from))
}

/// Only producer accounts are bound to a subject, and the subject must exist.
async fn check_subject_binding(state: &AppState, role: Role, subject_id: Option<Uuid>) -> ApiResult<()> {
    let Some(id) = subject_id else { return Ok(()) };
    if role != Role::Producer {
        return Err(ApiError::invalid_field(
            "subject_id",
            "binding",
            "Chỉ tài khoản chủ thể mới gắn với chủ thể OCOP.",
            "Only producer accounts are bound to a subject.",
        ));
    }
    if ocop_persistence::subjects::find(&state.db, id).await?.is_none() {
        return Err(ApiError::invalid_field(
            "subject_id",
            "not_found",
            "Không tìm thấy chủ thể.",
            "The subject does not exist.",
        ));
    }
    Ok(())
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"email": "xa.thongnhat@quangninh.gov.vn", "display_name": "Trần Thị Bình", "password": "Thống Nhất 2026", "role": "commune_officer", "admin_unit_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e41"}))]
pub struct CreateUser {
    #[validate(length(min = 3, max = 254))]
    pub email: String,
    #[validate(length(min = 1, max = 200))]
    pub display_name: String,
    #[validate(length(min = 1, max = 128))]
    pub password: String,
    #[schema(schema_with = crate::schemas::role)]
    pub role: Role,
    /// Required for officers: a unit of the officer's level.
    pub admin_unit_id: Option<Uuid>,
    /// For producers: the subject the account acts for (it sees only that subject's data).
    pub subject_id: Option<Uuid>,
}

/// Create a user / Tạo tài khoản (admin).
#[utoipa::path(operation_id = "create_user", tag = "users", security(("bearer" = [])), request_body = CreateUser, responses(
    (status = 201, description = "Created / Đã tạo", body = User),
    (status = 409, description = "E-mail already used / Email đã được dùng", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/users")]
pub async fn create(state: web::Data<AppState>, user: AuthUser, body: ApiJson<CreateUser>) -> ApiResult<HttpResponse> {
    user.require_admin()?;
    let body = body.0;
    body.validate()?;
    let email = Email::parse(&body.email)
        .map_err(|_| ApiError::invalid_field("email", "email", "Email không hợp lệ.", "Not a valid e-mail address."))?;
    check_password(&body.password, email.as_str()).map_err(|w| weak_password("password", w))?;
    let unit = check_binding(&state, body.role, body.admin_unit_id).await?;
    check_subject_binding(&state, body.role, body.subject_id).await?;
    if users::find_by_email(&state.db, email.as_str()).await?.is_some() {
        return Err(ApiError::already_exists(
            "Email đã được dùng cho tài khoản khác.",
            "The e-mail is already used by another account.",
        ));
    }
    let hash = password::hash_blocking(&state.heavy, body.password).await?;
    let name = body.display_name.trim().to_owned();
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let created = users::insert(
        &txn,
        users::NewUser {
            email: email.into_inner(),
            display_name_folded: fold(&name),
            display_name: name,
            password_hash: hash,
            role: body.role.as_str().to_owned(),
            admin_unit_id: body.admin_unit_id,
            subject_id: body.subject_id,
        },
    )
    .await?;
    audit::record::<Model, _>(&txn, &user.audit(), "user.create", "user", created.id, None, Some(&created)).await?;
    txn.commit().await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/users/{}", created.id)))
        .json(to_dto(created, unit)))
}

/// One user / Chi tiết tài khoản (admin).
#[utoipa::path(operation_id = "get_user", tag = "users", security(("bearer" = [])), params(("id" = Uuid, Path, description = "User id")), responses(
    (status = 200, description = "The user", body = User),
))]
#[get("/users/{id}")]
pub async fn get(state: web::Data<AppState>, user: AuthUser, id: web::Path<Uuid>) -> ApiResult<web::Json<User>> {
    user.require_admin()?;
    let (found, unit) = users::find_with_unit(&state.db, id.into_inner()).await?.ok_or_else(ApiError::not_found)?;
    Ok(web::Json(to_dto(found, unit.map(AdminUnitRef::from))))
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"role": "commune_officer", "admin_unit_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e40", "active": true}))]
pub struct UpdateUser {
    #[validate(length(min = 1, max = 200))]
    pub display_name: Option<String>,
    #[schema(schema_with = crate::schemas::role)]
    pub role: Option<Role>,
    /// `null` unbinds the user from any unit.
    #[serde(default, deserialize_with = "crate::schemas::double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub admin_unit_id: Option<Option<Uuid>>,
    /// Producers only; `null` unbinds the account from its subject.
    #[serde(default, deserialize_with = "crate::schemas::double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub subject_id: Option<Option<Uuid>>,
    /// `false` deactivates the account and signs it out everywhere.
    pub active: Option<bool>,
}

/// Change a user's name, role, scope or activation / Sửa tài khoản (admin).
#[utoipa::path(operation_id = "update_user", tag = "users", security(("bearer" = [])), params(("id" = Uuid, Path, description = "User id")), request_body = UpdateUser, responses(
    (status = 200, description = "Updated / Đã cập nhật", body = User),
    (status = 409, description = "An admin cannot demote or deactivate themselves", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[patch("/users/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<UpdateUser>,
) -> ApiResult<web::Json<User>> {
    user.require_admin()?;
    let body = body.0;
    body.validate()?;
    let target = users::find(&state.db, id.into_inner()).await?.ok_or_else(ApiError::not_found)?;
    let current_role: Role = target.role.parse().map_err(ApiError::internal)?;
    let role = body.role.unwrap_or(current_role);
    let unit = body.admin_unit_id.unwrap_or(target.admin_unit_id);
    if target.id == user.id() && (role != Role::Admin || body.active == Some(false)) {
        return Err(ApiError::conflict(
            "Bạn không thể tự hạ quyền hoặc tự khóa tài khoản của mình.",
            "You cannot demote or deactivate your own account.",
        ));
    }
    let unit_ref = check_binding(&state, role, unit).await?;
    if let Some(Some(subject)) = body.subject_id {
        check_subject_binding(&state, role, Some(subject)).await?;
    }
    // A role change away from producer drops the subject binding.
    let subject_id = if role == Role::Producer { body.subject_id } else { target.subject_id.map(|_| None) };
    let deactivating = body.active == Some(false) && target.active;
    let changes = users::UserChanges {
        display_name: body.display_name.map(|n| {
            let n = n.trim().to_owned();
            let folded = fold(&n);
            (n, folded)
        }),
        role: body.role.map(|r| r.as_str().to_owned()),
        admin_unit_id: body.admin_unit_id,
        subject_id,
        active: body.active,
        password_hash: None,
    };
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let updated = users::update(&txn, target.clone(), changes).await?;
    if deactivating {
        refresh_tokens::revoke_all_for_user(&txn, updated.id).await?;
    }
    let action = if deactivating { "user.deactivate" } else { "user.update" };
    audit::record(&txn, &user.audit(), action, "user", updated.id, Some(&target), Some(&updated)).await?;
    txn.commit().await?;
    Ok(web::Json(to_dto(updated, unit_ref)))
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"new_password": "Tạm thời 2026 ok"}))]
pub struct ResetPassword {
    #[validate(length(min = 1, max = 128))]
    pub new_password: String,
}

/// Set a new password for a user and sign them out everywhere / Đặt lại mật khẩu (admin).
#[utoipa::path(operation_id = "reset_user_password", tag = "users", security(("bearer" = [])), params(("id" = Uuid, Path, description = "User id")), request_body = ResetPassword, responses(
    (status = 204, description = "Password reset / Đã đặt lại mật khẩu"),
))]
#[post("/users/{id}/password-reset")]
pub async fn reset_password(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<ResetPassword>,
) -> ApiResult<HttpResponse> {
    user.require_admin()?;
    let body = body.0;
    body.validate()?;
    let target = users::find(&state.db, id.into_inner()).await?.ok_or_else(ApiError::not_found)?;
    check_password(&body.new_password, &target.email).map_err(|w| weak_password("new_password", w))?;
    let hash = password::hash_blocking(&state.heavy, body.new_password).await?;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let updated =
        users::update(&txn, target.clone(), users::UserChanges { password_hash: Some(hash), ..Default::default() })
            .await?;
    refresh_tokens::revoke_all_for_user(&txn, updated.id).await?;
    audit::record(&txn, &user.audit(), "user.password_reset", "user", updated.id, Some(&target), Some(&updated))
        .await?;
    txn.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
