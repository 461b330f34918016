//! Administrative units: list and search, read, subtree, create, edit, retire.

use std::collections::HashMap;

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use ocop_domain::access::check_manage_unit;
use ocop_domain::admin_unit::{
    AdminLevel, AdminUnitCode, AdminUnitKind, RetireError, UnitFacts, check_placement, check_replacement,
    check_retirement, unit_path,
};
use ocop_domain::text::fold;
use ocop_persistence::entities::admin_unit::Model;
use ocop_persistence::paging::Direction;
use ocop_persistence::{admin_units, audit};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::dto::AdminUnitRef;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::paging::{Page, paging};

/// An administrative unit (tỉnh / huyện / xã).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e41", "code": "06673", "name": "Phường Bãi Cháy",
    "kind": "ward", "level": "commune", "parent_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e3f",
    "path": "/22/06673/", "valid_from": "2025-07-01", "valid_to": null, "replaced_by_id": null, "replaced_by": null,
    "created_at": "2026-11-22T08:00:00Z", "updated_at": "2026-11-22T08:00:00Z"
}))]
pub struct AdminUnit {
    pub id: Uuid,
    /// Official numeric code (2 digits province, 3 district, 5 commune).
    pub code: String,
    pub name: String,
    #[schema(schema_with = crate::schemas::admin_unit_kind)]
    pub kind: String,
    #[schema(schema_with = crate::schemas::admin_level)]
    pub level: String,
    pub parent_id: Option<Uuid>,
    /// Codes from the province down to this unit.
    pub path: String,
    pub valid_from: Option<NaiveDate>,
    /// Set when the unit is retired (merged or dissolved).
    pub valid_to: Option<NaiveDate>,
    pub replaced_by_id: Option<Uuid>,
    /// The unit that took over a retired one (so a pre-2025 name leads to today's unit).
    pub replaced_by: Option<AdminUnitRef>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Model> for AdminUnit {
    fn from(m: Model) -> Self {
        Self {
            id: m.id,
            code: m.code,
            name: m.name,
            kind: m.kind,
            level: m.level,
            parent_id: m.parent_id,
            path: m.path,
            valid_from: m.valid_from,
            valid_to: m.valid_to,
            replaced_by_id: m.replaced_by_id,
            replaced_by: None,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// Units as the API shows them, each retired one with the unit that took it over.
async fn dtos(state: &crate::state::AppState, rows: Vec<Model>) -> ApiResult<Vec<AdminUnit>> {
    let successors = crate::areas::unit_refs(state, rows.iter().filter_map(|u| u.replaced_by_id).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|m| {
            let replaced_by = m.replaced_by_id.and_then(|id| successors.get(&id).cloned());
            AdminUnit { replaced_by, ..AdminUnit::from(m) }
        })
        .collect())
}

async fn dto(state: &crate::state::AppState, row: Model) -> ApiResult<AdminUnit> {
    dtos(state, vec![row]).await?.pop().ok_or_else(ApiError::not_found)
}

/// A unit with its current sub-units.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e3f", "code": "22", "name": "Tỉnh Quảng Ninh",
    "kind": "province", "level": "province", "parent_id": null,
    "path": "/22/", "valid_from": null, "valid_to": null, "replaced_by_id": null, "replaced_by": null,
    "created_at": "2026-11-22T08:00:00Z", "updated_at": "2026-11-22T08:00:00Z",
    "children": [{
        "id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e41", "code": "06673", "name": "Phường Bãi Cháy",
        "kind": "ward", "level": "commune", "parent_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e3f",
        "path": "/22/06673/", "valid_from": "2025-07-01", "valid_to": null, "replaced_by_id": null, "replaced_by": null,
        "created_at": "2026-11-22T08:00:00Z", "updated_at": "2026-11-22T08:00:00Z", "children": []
    }]
}))]
pub struct AdminUnitNode {
    #[serde(flatten)]
    pub unit: AdminUnit,
    #[schema(no_recursion)]
    pub children: Vec<AdminUnitNode>,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
pub enum AdminUnitSort {
    #[serde(rename = "code")]
    CodeAsc,
    #[serde(rename = "-code")]
    CodeDesc,
    #[serde(rename = "name")]
    NameAsc,
    #[serde(rename = "-name")]
    NameDesc,
    #[serde(rename = "level")]
    LevelAsc,
    #[serde(rename = "-level")]
    LevelDesc,
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only direct children of this unit.
    pub parent_id: Option<Uuid>,
    #[param(schema_with = crate::schemas::admin_level)]
    pub level: Option<AdminLevel>,
    /// Search in names, ignoring diacritics and case ("ha long" finds "Hạ Long"), or a code prefix.
    #[validate(length(max = 100))]
    #[param(example = "ha long")]
    pub q: Option<String>,
    /// Include retired (merged, dissolved) units.
    pub include_retired: Option<bool>,
    /// Page size, 1–200 (default 20).
    pub limit: Option<u64>,
    pub offset: Option<u64>,
    /// Sort key; a leading `-` sorts descending. Default `code`.
    #[param(inline)]
    pub sort: Option<AdminUnitSort>,
}

/// List and search administrative units / Danh sách đơn vị hành chính.
#[utoipa::path(operation_id = "list_admin_units", tag = "admin-units", security(("bearer" = [])), params(ListQuery), responses(
    (status = 200, description = "A page of units", body = Page<AdminUnit>),
))]
#[get("/admin-units")]
pub async fn list(
    state: web::Data<crate::state::AppState>,
    _user: AuthUser,
    query: web::Query<ListQuery>,
) -> ApiResult<web::Json<Page<AdminUnit>>> {
    let query = query.into_inner();
    query.validate()?;
    let (sort, direction) = match query.sort.unwrap_or(AdminUnitSort::CodeAsc) {
        AdminUnitSort::CodeAsc => (admin_units::SortKey::Code, Direction::Asc),
        AdminUnitSort::CodeDesc => (admin_units::SortKey::Code, Direction::Desc),
        AdminUnitSort::NameAsc => (admin_units::SortKey::Name, Direction::Asc),
        AdminUnitSort::NameDesc => (admin_units::SortKey::Name, Direction::Desc),
        AdminUnitSort::LevelAsc => (admin_units::SortKey::Level, Direction::Asc),
        AdminUnitSort::LevelDesc => (admin_units::SortKey::Level, Direction::Desc),
    };
    let filter = admin_units::Filter {
        parent_id: query.parent_id,
        level: query.level.map(|l| l.as_str().to_owned()),
        q: query.q.as_deref().map(fold),
        include_retired: query.include_retired.unwrap_or(false),
        ..Default::default()
    };
    let page = admin_units::list(&state.db, &filter, sort, direction, paging(query.limit, query.offset)?).await?;
    Ok(web::Json(Page { items: dtos(&state, page.items).await?, total: page.total }))
}

/// The stored unit as the domain rules see it.
fn facts(unit: &Model) -> ApiResult<UnitFacts> {
    admin_units::facts(unit).map_err(ApiError::internal)
}

async fn load(state: &crate::state::AppState, id: Uuid) -> ApiResult<Model> {
    admin_units::find(&state.db, id).await?.ok_or_else(ApiError::not_found)
}

/// One administrative unit / Chi tiết đơn vị.
#[utoipa::path(operation_id = "get_admin_unit", tag = "admin-units", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Unit id")), responses(
    (status = 200, description = "The unit", body = AdminUnit),
))]
#[get("/admin-units/{id}")]
pub async fn get(
    state: web::Data<crate::state::AppState>,
    _user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<AdminUnit>> {
    let unit = load(&state, id.into_inner()).await?;
    Ok(web::Json(dto(&state, unit).await?))
}

/// A unit and its current sub-units, as a tree / Cây đơn vị.
#[utoipa::path(operation_id = "get_admin_unit_tree", tag = "admin-units", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Unit id")), responses(
    (status = 200, description = "The subtree", body = AdminUnitNode),
))]
#[get("/admin-units/{id}/tree")]
pub async fn tree(
    state: web::Data<crate::state::AppState>,
    _user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<AdminUnitNode>> {
    let root = load(&state, id.into_inner()).await?;
    let units = admin_units::subtree(&state.db, &root.path, false).await?;
    Ok(web::Json(build_tree(root, units)))
}

/// Units arrive ordered by path, so every parent precedes its children.
fn build_tree(root: Model, units: Vec<Model>) -> AdminUnitNode {
    let mut children: HashMap<Uuid, Vec<Model>> = HashMap::new();
    for unit in units {
        if let Some(parent) = unit.parent_id.filter(|_| unit.id != root.id) {
            children.entry(parent).or_default().push(unit);
        }
    }
    fn attach(unit: Model, children: &mut HashMap<Uuid, Vec<Model>>) -> AdminUnitNode {
        let kids = children.remove(&unit.id).unwrap_or_default();
        AdminUnitNode { children: kids.into_iter().map(|k| attach(k, children)).collect(), unit: unit.into() }
    }
    attach(root, &mut children)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"code": "06661", "name": "Phường Tuần Châu", "kind": "ward", "parent_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e40", "valid_from": "2026-01-01"}))]
pub struct CreateAdminUnit {
    #[validate(length(min = 2, max = 5))]
    pub code: String,
    #[validate(length(min = 2, max = 200))]
    pub name: String,
    #[schema(schema_with = crate::schemas::admin_unit_kind)]
    pub kind: AdminUnitKind,
    /// Required except for a province.
    pub parent_id: Option<Uuid>,
    pub valid_from: Option<NaiveDate>,
}

/// Create a unit / Thêm đơn vị hành chính.
///
/// Admins anywhere; officers only below their own unit.
#[utoipa::path(operation_id = "create_admin_unit", tag = "admin-units", security(("bearer" = [])), request_body = CreateAdminUnit, responses(
    (status = 201, description = "Created / Đã tạo", body = AdminUnit),
    (status = 409, description = "Code already used / Mã đã tồn tại", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/admin-units")]
pub async fn create(
    state: web::Data<crate::state::AppState>,
    user: AuthUser,
    body: ApiJson<CreateAdminUnit>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    body.validate()?;
    let level = body.kind.level();
    let code = AdminUnitCode::parse(&body.code, level).map_err(|e| {
        ApiError::invalid_field(
            "code",
            "admin_unit_code",
            format!("Mã đơn vị không hợp lệ: {}", code_error_vi(&e, level)),
            e.to_string(),
        )
    })?;
    let parent = match body.parent_id {
        Some(id) => Some(admin_units::find(&state.db, id).await?.ok_or_else(|| {
            ApiError::invalid_field(
                "parent_id",
                "not_found",
                "Không tìm thấy đơn vị cấp trên.",
                "The parent unit does not exist.",
            )
        })?),
        None => None,
    };
    let parent_facts = parent.as_ref().map(facts).transpose()?;
    check_placement(level, parent_facts)
        .map_err(|e| ApiError::invalid_field("parent_id", "placement", placement_vi(e), e.to_string()))?;
    let path = unit_path(parent.as_ref().map(|p| p.path.as_str()), &code);
    check_manage_unit(&user.actor(), &path)?;
    if admin_units::find_by_code(&state.db, code.as_str()).await?.is_some() {
        return Err(ApiError::already_exists(
            format!("Mã {code} đã được dùng."),
            format!("The code {code} is already used."),
        ));
    }
    let name = body.name.trim().to_owned();
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let unit = admin_units::insert(
        &txn,
        admin_units::NewUnit {
            code: code.to_string(),
            name_folded: fold(&name),
            name,
            kind: body.kind.as_str().to_owned(),
            level: level.as_str().to_owned(),
            parent_id: parent.map(|p| p.id),
            path,
            valid_from: body.valid_from,
        },
    )
    .await?;
    audit::record::<Model, _>(&txn, &user.audit(), "admin_unit.create", "admin_unit", unit.id, None, Some(&unit))
        .await?;
    txn.commit().await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/admin-units/{}", unit.id)))
        .json(AdminUnit::from(unit)))
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"name": "Phường Hồng Gai"}))]
pub struct UpdateAdminUnit {
    #[validate(length(min = 2, max = 200))]
    pub name: Option<String>,
    /// Must stay at the same level (a ward may become a commune, not a district).
    #[schema(schema_with = crate::schemas::admin_unit_kind)]
    pub kind: Option<AdminUnitKind>,
    #[serde(default, deserialize_with = "crate::schemas::double_option")]
    #[schema(value_type = Option<NaiveDate>)]
    pub valid_from: Option<Option<NaiveDate>>,
}

/// Edit a unit's name, kind or start date / Sửa đơn vị.
#[utoipa::path(operation_id = "update_admin_unit", tag = "admin-units", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Unit id")), request_body = UpdateAdminUnit, responses(
    (status = 200, description = "Updated / Đã cập nhật", body = AdminUnit),
))]
#[patch("/admin-units/{id}")]
pub async fn update(
    state: web::Data<crate::state::AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<UpdateAdminUnit>,
) -> ApiResult<web::Json<AdminUnit>> {
    let body = body.0;
    body.validate()?;
    let unit = load(&state, id.into_inner()).await?;
    check_manage_unit(&user.actor(), &unit.path)?;
    if let Some(kind) = body.kind
        && kind.level().as_str() != unit.level
    {
        return Err(ApiError::invalid_field(
            "kind",
            "level_change",
            "Không thể đổi cấp của đơn vị.",
            "A unit's level cannot change.",
        ));
    }
    let changes = admin_units::UnitChanges {
        name: body.name.map(|n| {
            let n = n.trim().to_owned();
            let folded = fold(&n);
            (n, folded)
        }),
        kind: body.kind.map(|k| k.as_str().to_owned()),
        valid_from: body.valid_from,
    };
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let updated = admin_units::update(&txn, unit.clone(), changes).await?;
    audit::record(&txn, &user.audit(), "admin_unit.update", "admin_unit", updated.id, Some(&unit), Some(&updated))
        .await?;
    txn.commit().await?;
    Ok(web::Json(updated.into()))
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"valid_to": "2025-07-01", "replaced_by_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e42", "reason": "Sáp nhập theo Nghị quyết 1679/NQ-UBTVQH15"}))]
pub struct RetireAdminUnit {
    /// Last day the unit exists is the day before this date.
    pub valid_to: NaiveDate,
    /// The unit it was merged into, if any.
    pub replaced_by_id: Option<Uuid>,
    #[validate(length(min = 3, max = 500))]
    pub reason: String,
}

/// Retire a unit (merge or dissolution); history is kept / Giải thể, sáp nhập đơn vị.
#[utoipa::path(operation_id = "retire_admin_unit", tag = "admin-units", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Unit id")), request_body = RetireAdminUnit, responses(
    (status = 200, description = "Retired / Đã giải thể", body = AdminUnit),
    (status = 409, description = "Already retired, or still has current sub-units", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/admin-units/{id}/retire")]
pub async fn retire(
    state: web::Data<crate::state::AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<RetireAdminUnit>,
) -> ApiResult<web::Json<AdminUnit>> {
    let body = body.0;
    body.validate()?;
    let unit = load(&state, id.into_inner()).await?;
    check_manage_unit(&user.actor(), &unit.path)?;
    let unit_facts = facts(&unit)?;
    let has_children = admin_units::has_current_children(&state.db, unit.id, Utc::now().date_naive()).await?;
    check_retirement(unit_facts, has_children).map_err(|e| {
        let vi = match e {
            RetireError::AlreadyRetired => "Đơn vị đã giải thể trước đó.",
            _ => "Đơn vị còn đơn vị trực thuộc; hãy giải thể hoặc sáp nhập chúng trước.",
        };
        ApiError::conflict(vi, e.to_string())
    })?;
    if let Some(target) = body.replaced_by_id {
        let invalid = |e: RetireError| {
            ApiError::invalid_field(
                "replaced_by_id",
                "replacement",
                "Đơn vị thay thế phải tồn tại, cùng cấp và đang hoạt động.",
                e.to_string(),
            )
        };
        let replacement =
            admin_units::find(&state.db, target).await?.ok_or_else(|| invalid(RetireError::InvalidReplacement))?;
        check_replacement(unit_facts, facts(&replacement)?, replacement.id == unit.id).map_err(invalid)?;
    }
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let retired = admin_units::retire(&txn, unit.clone(), body.valid_to, body.replaced_by_id).await?;
    let mut after = serde_json::to_value(&retired).map_err(ApiError::internal)?;
    after["retire_reason"] = serde_json::Value::from(body.reason);
    audit::record(&txn, &user.audit(), "admin_unit.retire", "admin_unit", retired.id, Some(&unit), Some(&after))
        .await?;
    txn.commit().await?;
    Ok(web::Json(dto(&state, retired).await?))
}

fn code_error_vi(e: &ocop_domain::admin_unit::AdminUnitCodeError, level: AdminLevel) -> String {
    use ocop_domain::admin_unit::AdminUnitCodeError::*;
    let level_vi = match level {
        AdminLevel::Province => "tỉnh",
        AdminLevel::District => "huyện",
        AdminLevel::Commune => "xã",
    };
    match e {
        NotDigits => "mã chỉ gồm chữ số.".to_owned(),
        WrongLength { expected, .. } => format!("mã cấp {level_vi} gồm {expected} chữ số."),
    }
}

fn placement_vi(e: ocop_domain::admin_unit::PlacementError) -> &'static str {
    use ocop_domain::admin_unit::PlacementError::*;
    match e {
        ProvinceWithParent => "Tỉnh không có đơn vị cấp trên.",
        MissingParent => "Huyện, xã phải có đơn vị cấp trên.",
        DistrictParent => "Huyện phải trực thuộc tỉnh.",
        CommuneParent => "Xã phải trực thuộc huyện hoặc trực thuộc tỉnh (từ 7/2025).",
        RetiredParent => "Đơn vị cấp trên đã giải thể.",
    }
}
