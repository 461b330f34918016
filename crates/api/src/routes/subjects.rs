//! OCOP subjects (chủ thể): list and search, export, create, read, edit, record an upgrade.

use actix_web::{HttpResponse, get, post, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use ocop_domain::access::{check_create_in_area, check_move_subject, registry_visibility};
use ocop_domain::calendar::vietnam_day;
use ocop_domain::subject::{LegalForm, UpgradeError, check_upgrade};
use ocop_domain::text::fold;
use ocop_persistence::entities::{subject::Model, subject_upgrade};
use ocop_persistence::paging::Direction;
use ocop_persistence::{admin_units, audit, subjects};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::areas::{area_path, unit_refs};
use crate::auth::AuthUser;
use crate::dto::AdminUnitRef;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::guard::{self, Need};
use crate::paging::{Page, paging};
use crate::registry::{SubjectInput, check_subject};
use crate::sheets::{Cell, EXPORT_ROWS, ExportFormat, Table, download};
use crate::state::AppState;

/// An OCOP subject: the organisation or household that makes products.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e60", "legal_form": "cooperative", "name": "Hợp tác xã Dược liệu Ba Chẽ",
    "tax_code": "5701765432", "representative": "Hoàng Văn Sơn", "phone": "0987654321", "email": "htx.bache@gmail.com",
    "address": "Thôn Khe Tâm, xã Thanh Sơn",
    "commune": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e41", "code": "06970", "name": "Xã Thanh Sơn", "level": "commune", "path": "/22/06970/"},
    "founded_on": "2018-03-15", "members": 7, "employees": 15,
    "created_at": "2026-11-22T08:00:00Z", "updated_at": "2026-11-22T08:00:00Z"
}))]
pub struct Subject {
    pub id: Uuid,
    #[schema(schema_with = crate::schemas::legal_form)]
    pub legal_form: String,
    pub name: String,
    /// Tax / business registration number.
    pub tax_code: String,
    pub representative: String,
    pub phone: String,
    pub email: Option<String>,
    pub address: String,
    pub commune: Option<AdminUnitRef>,
    pub founded_on: Option<NaiveDate>,
    pub members: Option<i32>,
    pub employees: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Subject {
    pub fn new(m: Model, commune: Option<AdminUnitRef>) -> Self {
        Self {
            id: m.id,
            legal_form: m.legal_form,
            name: m.name,
            tax_code: m.tax_code,
            representative: m.representative,
            phone: m.phone,
            email: m.email,
            address: m.address,
            commune,
            founded_on: m.founded_on,
            members: m.members,
            employees: m.employees,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// A recorded change of legal form.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e70", "from_form": "cooperative_group", "to_form": "cooperative", "upgraded_on": "2024-05-01", "note": "Thành lập HTX theo Luật HTX 2023", "recorded_at": "2026-11-22T08:00:00Z"}))]
pub struct SubjectUpgrade {
    pub id: Uuid,
    #[schema(schema_with = crate::schemas::legal_form)]
    pub from_form: String,
    #[schema(schema_with = crate::schemas::legal_form)]
    pub to_form: String,
    pub upgraded_on: NaiveDate,
    pub note: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

impl From<subject_upgrade::Model> for SubjectUpgrade {
    fn from(u: subject_upgrade::Model) -> Self {
        Self {
            id: u.id,
            from_form: u.from_form,
            to_form: u.to_form,
            upgraded_on: u.upgraded_on,
            note: u.note,
            recorded_at: u.recorded_at,
        }
    }
}

/// A subject with its history of upgrades.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e60", "legal_form": "cooperative", "name": "Hợp tác xã Dược liệu Ba Chẽ",
    "tax_code": "5701765432", "representative": "Hoàng Văn Sơn", "phone": "0987654321", "email": null,
    "address": "Thôn Khe Tâm, xã Thanh Sơn", "commune": null, "founded_on": "2018-03-15", "members": 7, "employees": 15,
    "created_at": "2026-11-22T08:00:00Z", "updated_at": "2026-11-22T08:00:00Z",
    "upgrades": [{"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e70", "from_form": "cooperative_group", "to_form": "cooperative", "upgraded_on": "2024-05-01", "note": null, "recorded_at": "2026-11-22T08:00:00Z"}]
}))]
pub struct SubjectDetail {
    #[serde(flatten)]
    pub subject: Subject,
    pub upgrades: Vec<SubjectUpgrade>,
}

fn duplicate_tax_code(tax_code: &str) -> ApiError {
    ApiError::already_exists(
        format!("Mã số thuế {tax_code} đã được đăng ký cho chủ thể khác."),
        format!("The tax code {tax_code} is already registered to another subject."),
    )
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
pub enum SubjectSort {
    #[serde(rename = "name")]
    NameAsc,
    #[serde(rename = "-name")]
    NameDesc,
    #[serde(rename = "created_at")]
    CreatedAsc,
    #[serde(rename = "-created_at")]
    CreatedDesc,
    #[serde(rename = "tax_code")]
    TaxCodeAsc,
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Words searched in names (ignoring diacritics and case) and tax codes.
    #[validate(length(max = 100))]
    #[param(example = "htx duoc lieu")]
    pub q: Option<String>,
    #[param(schema_with = crate::schemas::legal_form)]
    pub legal_form: Option<LegalForm>,
    /// Only subjects registered inside this administrative unit.
    pub area_id: Option<Uuid>,
    /// Page size, 1–200 (default 20).
    pub limit: Option<u64>,
    pub offset: Option<u64>,
    /// Default `name`.
    #[param(inline)]
    pub sort: Option<SubjectSort>,
    /// For the export only: `xlsx` (default) or `csv`.
    #[param(inline)]
    pub format: Option<ExportFormat>,
}

async fn filter(state: &AppState, user: &AuthUser, query: &ListQuery) -> ApiResult<subjects::Filter> {
    Ok(subjects::Filter {
        visibility: registry_visibility(&user.actor()),
        q: query.q.as_deref().map(fold),
        legal_form: query.legal_form.map(|f| f.as_str().to_owned()),
        area_path: area_path(state, query.area_id).await?,
    })
}

fn sort(sort: Option<SubjectSort>) -> (subjects::SortKey, Direction) {
    match sort.unwrap_or(SubjectSort::NameAsc) {
        SubjectSort::NameAsc => (subjects::SortKey::Name, Direction::Asc),
        SubjectSort::NameDesc => (subjects::SortKey::Name, Direction::Desc),
        SubjectSort::CreatedAsc => (subjects::SortKey::CreatedAt, Direction::Asc),
        SubjectSort::CreatedDesc => (subjects::SortKey::CreatedAt, Direction::Desc),
        SubjectSort::TaxCodeAsc => (subjects::SortKey::TaxCode, Direction::Asc),
    }
}

/// List and search subjects / Danh sách chủ thể OCOP.
///
/// Producers see their own subject; officers the subjects of their area.
#[utoipa::path(operation_id = "list_subjects", tag = "subjects", security(("bearer" = [])), params(ListQuery), responses(
    (status = 200, description = "A page of subjects", body = Page<Subject>),
))]
#[get("/subjects")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ListQuery>,
) -> ApiResult<web::Json<Page<Subject>>> {
    query.validate()?;
    let filter = filter(&state, &user, &query).await?;
    let (key, direction) = sort(query.sort);
    let page = subjects::list(&state.db, &filter, key, direction, paging(query.limit, query.offset)?).await?;
    let units = unit_refs(&state, page.items.iter().map(|s| s.commune_id).collect()).await?;
    Ok(web::Json(Page::map(page, |s| {
        let commune = units.get(&s.commune_id).cloned();
        Subject::new(s, commune)
    })))
}

/// Export the filtered subjects / Xuất danh sách chủ thể (.xlsx or .csv).
#[utoipa::path(operation_id = "export_subjects", tag = "subjects", security(("bearer" = [])), params(ListQuery), responses(
    (status = 200, description = "The spreadsheet", content(
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (String = "text/csv"),
        (Vec<u8> = "application/pdf"),
    )),
))]
#[get("/subjects/export")]
pub async fn export(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ListQuery>,
) -> ApiResult<HttpResponse> {
    query.validate()?;
    let filter = filter(&state, &user, &query).await?;
    let (key, direction) = sort(query.sort);
    let page = subjects::list(&state.db, &filter, key, direction, EXPORT_ROWS).await?;
    let units = unit_refs(&state, page.items.iter().map(|s| s.commune_id).collect()).await?;
    let rows = page
        .items
        .into_iter()
        .map(|s| {
            let form = s.legal_form.parse::<LegalForm>().map(LegalForm::label_vi).unwrap_or_default();
            let commune = units.get(&s.commune_id);
            vec![
                Cell::from(s.tax_code),
                s.name.into(),
                form.into(),
                s.representative.into(),
                s.phone.into(),
                s.email.into(),
                s.address.into(),
                commune.map(|c| c.code.clone()).into(),
                commune.map(|c| c.name.clone()).into(),
                s.founded_on.map(|d| d.format("%d/%m/%Y").to_string()).into(),
                s.members.map(Cell::from).unwrap_or(Cell::Empty),
                s.employees.map(Cell::from).unwrap_or(Cell::Empty),
            ]
        })
        .collect();
    download(
        &state.heavy,
        Table { sheet: "Chủ thể", headers: SUBJECT_HEADERS, rows },
        query.format.unwrap_or_default(),
        "chu-the",
    )
    .await
}

/// Column headers of the subject sheet, for export and import alike.
pub const SUBJECT_HEADERS: &[&str] = &[
    "Mã số thuế",
    "Tên chủ thể",
    "Loại hình",
    "Người đại diện",
    "Điện thoại",
    "Email",
    "Địa chỉ",
    "Mã xã",
    "Tên xã",
    "Ngày thành lập",
    "Số thành viên",
    "Số lao động",
];

/// Register a subject / Thêm chủ thể OCOP.
///
/// Officers register subjects in their area; admins anywhere.
#[utoipa::path(operation_id = "create_subject", tag = "subjects", security(("bearer" = [])), request_body = SubjectInput, responses(
    (status = 201, description = "Created / Đã tạo", body = Subject),
    (status = 409, description = "Tax code already registered / Mã số thuế đã đăng ký", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/subjects")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ApiJson<SubjectInput>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    let commune = admin_units::find(&state.db, body.commune_id).await?;
    let data = check_subject(&body, body.legal_form, commune.as_ref(), vietnam_day(Utc::now()))
        .map_err(ApiError::invalid_fields)?;
    check_create_in_area(&user.actor(), &data.area_path)?;
    if subjects::find_by_tax_code(&state.db, &data.tax_code).await?.is_some() {
        return Err(duplicate_tax_code(&data.tax_code));
    }
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let created = subjects::insert(&txn, data).await?;
    audit::record::<Model, _>(&txn, &user.audit(), "subject.create", "subject", created.id, None, Some(&created))
        .await?;
    txn.commit().await?;
    let commune = commune.map(AdminUnitRef::from);
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/subjects/{}", created.id)))
        .json(Subject::new(created, commune)))
}

/// One subject with its upgrades / Chi tiết chủ thể.
#[utoipa::path(operation_id = "get_subject", tag = "subjects", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Subject id")), responses(
    (status = 200, description = "The subject", body = SubjectDetail),
))]
#[get("/subjects/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<SubjectDetail>> {
    let subject = guard::subject(&state, &user, id.into_inner(), Need::Read).await?;
    let upgrades = subjects::upgrades(&state.db, subject.id).await?;
    let commune = admin_units::find(&state.db, subject.commune_id).await?.map(AdminUnitRef::from);
    Ok(web::Json(SubjectDetail {
        subject: Subject::new(subject, commune),
        upgrades: upgrades.into_iter().map(Into::into).collect(),
    }))
}

/// Replace a subject's details / Sửa thông tin chủ thể.
///
/// The legal form in the body is ignored: it changes through an upgrade.
#[utoipa::path(operation_id = "update_subject", tag = "subjects", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Subject id")), request_body = SubjectInput, responses(
    (status = 200, description = "Updated / Đã cập nhật", body = Subject),
    (status = 409, description = "Tax code already registered / Mã số thuế đã đăng ký", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[put("/subjects/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<SubjectInput>,
) -> ApiResult<web::Json<Subject>> {
    let subject = guard::subject(&state, &user, id.into_inner(), Need::Manage).await?;
    let body = body.0;
    let form: LegalForm = subject.legal_form.parse().map_err(ApiError::internal)?;
    let commune = admin_units::find(&state.db, body.commune_id).await?;
    let data =
        check_subject(&body, form, commune.as_ref(), vietnam_day(Utc::now())).map_err(ApiError::invalid_fields)?;
    check_move_subject(&user.actor(), &subject.area_path, &data.area_path)?;
    if let Some(other) = subjects::find_by_tax_code(&state.db, &data.tax_code).await?
        && other.id != subject.id
    {
        return Err(duplicate_tax_code(&data.tax_code));
    }
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let updated = subjects::update(&txn, subject.clone(), data).await?;
    audit::record(&txn, &user.audit(), "subject.update", "subject", updated.id, Some(&subject), Some(&updated)).await?;
    txn.commit().await?;
    Ok(web::Json(Subject::new(updated, commune.map(AdminUnitRef::from))))
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"to_form": "cooperative", "upgraded_on": "2024-05-01", "note": "Thành lập HTX từ tổ hợp tác"}))]
pub struct UpgradeInput {
    #[schema(schema_with = crate::schemas::legal_form)]
    pub to_form: LegalForm,
    pub upgraded_on: NaiveDate,
    #[validate(length(max = 1000))]
    pub note: Option<String>,
}

/// Record an upgrade of legal form / Ghi nhận nâng cấp loại hình.
///
/// Household → enterprise, cooperative group → cooperative, cooperative or enterprise →
/// joint-stock company. Officers of the area and admins.
#[utoipa::path(operation_id = "upgrade_subject", tag = "subjects", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Subject id")), request_body = UpgradeInput, responses(
    (status = 201, description = "Recorded / Đã ghi nhận", body = SubjectDetail),
))]
#[post("/subjects/{id}/upgrades")]
pub async fn upgrade(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<UpgradeInput>,
) -> ApiResult<HttpResponse> {
    let subject = guard::subject(&state, &user, id.into_inner(), Need::Review).await?;
    let body = body.0;
    body.validate()?;
    let from: LegalForm = subject.legal_form.parse().map_err(ApiError::internal)?;
    check_upgrade(from, body.to_form).map_err(|e| {
        let vi = match e {
            UpgradeError::Unchanged => "Chủ thể đã có loại hình này.".to_owned(),
            UpgradeError::NotAnUpgrade { from, to } => {
                format!("Không thể chuyển từ {} sang {}.", from.label_vi(), to.label_vi())
            }
        };
        ApiError::invalid_field("to_form", "not_an_upgrade", vi, e.to_string())
    })?;
    if body.upgraded_on > vietnam_day(Utc::now()) {
        return Err(ApiError::invalid_field(
            "upgraded_on",
            "future_date",
            "Ngày nâng cấp không được ở tương lai.",
            "The date cannot be in the future.",
        ));
    }
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let (updated, upgrade) =
        subjects::record_upgrade(&txn, subject.clone(), body.to_form.as_str(), body.upgraded_on, body.note, user.id())
            .await?;
    audit::record(&txn, &user.audit(), "subject.upgrade", "subject", updated.id, Some(&subject), Some(&upgrade))
        .await?;
    txn.commit().await?;
    let upgrades = subjects::upgrades(&state.db, updated.id).await?;
    let commune = admin_units::find(&state.db, updated.commune_id).await?.map(AdminUnitRef::from);
    Ok(HttpResponse::Created().json(SubjectDetail {
        subject: Subject::new(updated, commune),
        upgrades: upgrades.into_iter().map(Into::into).collect(),
    }))
}
