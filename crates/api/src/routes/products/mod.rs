//! Products: list and search, export, create (with the generated code), read, edit.

pub mod photos;

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use ocop_domain::access::{Owner, check_manage_registry, registry_visibility};
use ocop_domain::calendar::vietnam_day;
use ocop_domain::cycle::Stage;
use ocop_domain::product::{ProductStatus, check_status_change};
use ocop_domain::subject::LegalForm;
use ocop_domain::text::fold;
use ocop_persistence::entities::product::Model;
use ocop_persistence::paging::Direction;
use ocop_persistence::{admin_units, audit, certificates, classifications, products, subjects};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::areas::{area_path, unit_refs};
use crate::auth::AuthUser;
use crate::dto::AdminUnitRef;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::ApiJson;
use crate::files::{receive, storage_key};
use crate::guard::{self, Need};
use crate::links::photo_url;
use crate::paging::{Page, paging};
use crate::registry::{ProductInput, check_product, place};

use crate::sheets::{Cell, EXPORT_ROWS, ExportFormat, Table, download};
use crate::state::AppState;
use crate::webhooks::{self, ListingChange};

/// A short reference to a subject.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e60", "name": "Công ty TNHH Thực phẩm Biển Hạ Long"}))]
pub struct SubjectRef {
    pub id: Uuid,
    pub name: String,
}

/// A short reference to a classification node.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e80", "code": "1.3.5", "name": "Chế biến từ thủy, hải sản"}))]
pub struct ClassificationRef {
    pub id: Uuid,
    pub code: String,
    pub name: String,
}

/// A product.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e90", "code": "22-000-06688-001-2026", "name": "Chả mực Hạ Long",
    "classification": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e80", "code": "1.3.5", "name": "Chế biến từ thủy, hải sản"},
    "group_code": "1", "is_service": false,
    "subject": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e60", "name": "Công ty TNHH Thực phẩm Biển Hạ Long"},
    "commune": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e41", "code": "06688", "name": "Phường Hạ Long", "level": "commune", "path": "/22/06688/"},
    "description": "Chả mực giã tay từ mực tươi vùng vịnh Hạ Long.", "story": null, "gtin": "8934588012112",
    "unit": "kg", "price_vnd": 450000, "status": "certified", "star": 4, "certified_until": "2029-11-22",
    "photo_url": "https://ocop.quangninh.gov.vn/api/v1/public/products/019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e90/photo?v=3f2a9c1b7d4e",
    "created_at": "2026-11-22T08:00:00Z", "updated_at": "2026-11-22T08:00:00Z"
}))]
pub struct Product {
    pub id: Uuid,
    /// `{province}-{district}-{commune}-{seq}-{year}`; district `000` for a commune directly
    /// under the province.
    pub code: String,
    pub name: String,
    pub classification: Option<ClassificationRef>,
    /// The top-level product group (`1` food … `6` tourism).
    pub group_code: String,
    pub is_service: bool,
    pub subject: Option<SubjectRef>,
    pub commune: Option<AdminUnitRef>,
    pub description: Option<String>,
    pub story: Option<String>,
    pub gtin: Option<String>,
    pub unit: String,
    /// Indicative price in VND.
    pub price_vnd: Option<i64>,
    #[schema(schema_with = crate::schemas::product_status)]
    pub status: String,
    /// The star of the certificate in force (active, not expired); none without one.
    pub star: Option<i16>,
    /// When that certificate expires.
    pub certified_until: Option<NaiveDate>,
    /// The product photo (public, for the stamp page and the catalog); none without one.
    pub photo_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a page of products refers to, loaded in one query per kind.
pub struct Refs {
    subjects: HashMap<Uuid, SubjectRef>,
    communes: HashMap<Uuid, AdminUnitRef>,
    nodes: HashMap<Uuid, ClassificationRef>,
    /// Product → (star, valid until) of its certificate in force.
    stars: HashMap<Uuid, (i16, NaiveDate)>,
    base: String,
}

impl Refs {
    pub async fn load(state: &AppState, rows: &[Model]) -> ApiResult<Self> {
        let subjects = subjects::find_many(&state.db, rows.iter().map(|p| p.subject_id).collect())
            .await?
            .into_iter()
            .map(|s| (s.id, SubjectRef { id: s.id, name: s.name }))
            .collect();
        let communes = unit_refs(state, rows.iter().map(|p| p.commune_id).collect()).await?;
        let nodes = classifications::find_nodes(&state.db, rows.iter().map(|p| p.classification_node_id).collect())
            .await?
            .into_iter()
            .map(|n| (n.id, ClassificationRef { id: n.id, code: n.code, name: n.name }))
            .collect();
        let stars = certificates::in_force(&state.db, rows.iter().map(|p| p.id).collect(), vietnam_day(Utc::now()))
            .await?
            .into_iter()
            .map(|c| (c.product_id, (c.star, c.valid_until)))
            .collect();
        Ok(Self { subjects, communes, nodes, stars, base: state.public_base_url.clone() })
    }

    pub fn product(&self, m: Model) -> Product {
        Product {
            photo_url: photo_url(&self.base, &m),
            id: m.id,
            code: m.code,
            name: m.name,
            classification: self.nodes.get(&m.classification_node_id).cloned(),
            group_code: m.group_code,
            is_service: m.is_service,
            subject: self.subjects.get(&m.subject_id).cloned(),
            commune: self.communes.get(&m.commune_id).cloned(),
            description: m.description,
            story: m.story,
            gtin: m.gtin,
            unit: m.unit,
            price_vnd: m.price_vnd,
            status: m.status,
            star: self.stars.get(&m.id).map(|(star, _)| *star),
            certified_until: self.stars.get(&m.id).map(|(_, until)| *until),
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// `certified` comes from a council's decision, never from a form.
fn check_status(requested: &str, current: Option<&str>) -> ApiResult<()> {
    let parse = |s: &str| s.parse::<ProductStatus>().map_err(ApiError::internal);
    let current = current.map(parse).transpose()?;
    check_status_change(parse(requested)?, current).map_err(|e| {
        ApiError::invalid_field(
            "status",
            "certified_by_council",
            "Trạng thái «đã chứng nhận» chỉ được ghi nhận qua quyết định công nhận của hội đồng.",
            e.to_string(),
        )
    })
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
pub enum ProductSort {
    #[serde(rename = "name")]
    NameAsc,
    #[serde(rename = "-name")]
    NameDesc,
    #[serde(rename = "code")]
    CodeAsc,
    #[serde(rename = "-code")]
    CodeDesc,
    #[serde(rename = "-created_at")]
    CreatedDesc,
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Words searched in product names, codes and subject names, ignoring diacritics and case
    /// ("cha muc ha long" finds "Chả mực Hạ Long").
    #[validate(length(max = 100))]
    #[param(example = "cha muc ha long")]
    pub q: Option<String>,
    /// Only products made inside this administrative unit.
    pub area_id: Option<Uuid>,
    pub subject_id: Option<Uuid>,
    /// Top-level product group code (`1` … `6`).
    #[validate(length(max = 8))]
    pub group: Option<String>,
    #[param(schema_with = crate::schemas::product_status)]
    pub status: Option<ProductStatus>,
    #[param(schema_with = crate::schemas::legal_form)]
    pub legal_form: Option<LegalForm>,
    /// Products with an application in this cycle.
    pub cycle_id: Option<Uuid>,
    /// With `cycle_id`: products whose application is at this stage.
    #[param(schema_with = crate::schemas::stage)]
    pub stage: Option<Stage>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
    /// Default `name`.
    #[param(inline)]
    pub sort: Option<ProductSort>,
    /// For the export only: `xlsx` (default) or `csv`.
    #[param(inline)]
    pub format: Option<ExportFormat>,
}

async fn filter(state: &AppState, user: &AuthUser, query: &ListQuery) -> ApiResult<products::Filter> {
    Ok(products::Filter {
        visibility: registry_visibility(&user.actor()),
        q: query.q.as_deref().map(fold),
        area_path: area_path(state, query.area_id).await?,
        subject_id: query.subject_id,
        group_code: query.group.clone(),
        status: query.status.map(|s| s.as_str().to_owned()),
        legal_form: query.legal_form.map(|f| f.as_str().to_owned()),
        cycle_id: query.cycle_id,
        stage: query.stage.map(|s| s.as_str().to_owned()),
    })
}

fn sort(sort: Option<ProductSort>) -> (products::SortKey, Direction) {
    match sort.unwrap_or(ProductSort::NameAsc) {
        ProductSort::NameAsc => (products::SortKey::Name, Direction::Asc),
        ProductSort::NameDesc => (products::SortKey::Name, Direction::Desc),
        ProductSort::CodeAsc => (products::SortKey::Code, Direction::Asc),
        ProductSort::CodeDesc => (products::SortKey::Code, Direction::Desc),
        ProductSort::CreatedDesc => (products::SortKey::CreatedAt, Direction::Desc),
    }
}

/// List and search products / Danh sách sản phẩm.
#[utoipa::path(operation_id = "list_products", tag = "products", security(("bearer" = [])), params(ListQuery), responses(
    (status = 200, description = "A page of products", body = Page<Product>),
))]
#[get("/products")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ListQuery>,
) -> ApiResult<web::Json<Page<Product>>> {
    query.validate()?;
    let filter = filter(&state, &user, &query).await?;
    let (key, direction) = sort(query.sort);
    let page = products::list(&state.db, &filter, key, direction, paging(query.limit, query.offset)?).await?;
    let refs = Refs::load(&state, &page.items).await?;
    Ok(web::Json(Page::map(page, |p| refs.product(p))))
}

pub const PRODUCT_HEADERS: &[&str] = &[
    "Mã sản phẩm",
    "Tên sản phẩm",
    "Mã phân loại",
    "Bộ sản phẩm",
    "Chủ thể",
    "Mã xã",
    "Xã",
    "Đơn vị tính",
    "Giá (VNĐ)",
    "GTIN",
    "Trạng thái",
];

/// Export the filtered products / Xuất danh sách sản phẩm (.xlsx or .csv).
#[utoipa::path(operation_id = "export_products", tag = "products", security(("bearer" = [])), params(ListQuery), responses(
    (status = 200, description = "The spreadsheet", content(
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (String = "text/csv"),
        (Vec<u8> = "application/pdf"),
    )),
))]
#[get("/products/export")]
pub async fn export(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ListQuery>,
) -> ApiResult<HttpResponse> {
    query.validate()?;
    let filter = filter(&state, &user, &query).await?;
    let (key, direction) = sort(query.sort);
    let page = products::list(&state.db, &filter, key, direction, EXPORT_ROWS).await?;
    let refs = Refs::load(&state, &page.items).await?;
    let rows = page
        .items
        .into_iter()
        .map(|p| {
            let p = refs.product(p);
            vec![
                Cell::from(p.code),
                p.name.into(),
                p.classification.as_ref().map(|c| c.code.clone()).into(),
                p.classification.map(|c| c.name).into(),
                p.subject.map(|s| s.name).into(),
                p.commune.as_ref().map(|c| c.code.clone()).into(),
                p.commune.map(|c| c.name).into(),
                p.unit.into(),
                p.price_vnd.map(Cell::from).unwrap_or(Cell::Empty),
                p.gtin.into(),
                p.status.into(),
            ]
        })
        .collect();
    download(
        &state.heavy,
        Table { sheet: "Sản phẩm", headers: PRODUCT_HEADERS, rows },
        query.format.unwrap_or_default(),
        "san-pham",
    )
    .await
}

/// Register a product / Thêm sản phẩm.
///
/// Producers for their own subject; officers in their area. The code is generated from the
/// commune and the year.
#[utoipa::path(operation_id = "create_product", tag = "products", security(("bearer" = [])), request_body = ProductInput, responses(
    (status = 201, description = "Created / Đã tạo", body = Product),
    (status = 409, description = "GTIN already used / GTIN đã được dùng", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/products")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ApiJson<ProductInput>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    let subject = guard::subject(&state, &user, body.subject_id, Need::Read).await.map_err(|e| match e.code {
        ErrorCode::NotFound => {
            ApiError::invalid_field("subject_id", "not_found", "Không tìm thấy chủ thể.", "The subject does not exist.")
        }
        _ => e,
    })?;
    let commune = admin_units::find(&state.db, body.commune_id.unwrap_or(subject.commune_id))
        .await?
        .filter(admin_units::is_current_commune)
        .ok_or_else(|| {
            ApiError::invalid_field(
                "commune_id",
                "not_a_commune",
                "Phải chọn một xã đang hoạt động.",
                "Choose a current commune.",
            )
        })?;
    check_manage_registry(&user.actor(), Owner { subject_id: subject.id, area_path: &commune.path })?;
    let node = classifications::find_node(&state.db, body.classification_node_id).await?;
    let data = check_product(&body, node.as_ref()).map_err(ApiError::invalid_fields)?;
    check_status(&data.status, None)?;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let placement = place(&txn, subject.id, &commune, Utc::now().year()).await?;
    let created = products::insert(&txn, placement, data, &subject.name).await?;
    audit::record::<Model, _>(&txn, &user.audit(), "product.create", "product", created.id, None, Some(&created))
        .await?;
    txn.commit().await?;
    let refs = Refs::load(&state, std::slice::from_ref(&created)).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/products/{}", created.id)))
        .json(refs.product(created)))
}

/// One product / Chi tiết sản phẩm.
#[utoipa::path(operation_id = "get_product", tag = "products", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Product id")), responses(
    (status = 200, description = "The product", body = Product),
))]
#[get("/products/{id}")]
pub async fn get(state: web::Data<AppState>, user: AuthUser, id: web::Path<Uuid>) -> ApiResult<web::Json<Product>> {
    let product = guard::product(&state, &user, id.into_inner(), Need::Read).await?;
    let refs = Refs::load(&state, std::slice::from_ref(&product)).await?;
    Ok(web::Json(refs.product(product)))
}

/// Replace a product's details / Sửa sản phẩm.
///
/// The code, subject and commune stay as registered.
#[utoipa::path(operation_id = "update_product", tag = "products", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Product id")), request_body = ProductInput, responses(
    (status = 200, description = "Updated / Đã cập nhật", body = Product),
))]
#[put("/products/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<ProductInput>,
) -> ApiResult<web::Json<Product>> {
    let product = guard::product(&state, &user, id.into_inner(), Need::Manage).await?;
    let body = body.0;
    let node = classifications::find_node(&state.db, body.classification_node_id).await?;
    let data = check_product(&body, node.as_ref()).map_err(ApiError::invalid_fields)?;
    check_status(&data.status, Some(&product.status))?;
    let subject =
        subjects::find(&state.db, product.subject_id).await?.ok_or_else(|| ApiError::internal("subject missing"))?;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let updated = products::update(&txn, product.clone(), data, &subject.name).await?;
    audit::record(&txn, &user.audit(), "product.update", "product", updated.id, Some(&product), Some(&updated)).await?;
    edited_listing(&txn, &state, &updated).await?;
    txn.commit().await?;
    let refs = Refs::load(&state, std::slice::from_ref(&updated)).await?;
    Ok(web::Json(refs.product(updated)))
}

/// Portals hear of an edit to a listed product.
async fn edited_listing(
    txn: &impl ocop_persistence::ConnectionTrait,
    state: &AppState,
    updated: &Model,
) -> ApiResult<()> {
    if let Some(cert) = certificates::in_force(txn, vec![updated.id], vietnam_day(Utc::now())).await?.first() {
        let change = ListingChange {
            product: updated,
            before: Some(cert.star),
            after: Some(cert),
            ended: None,
            reason: "edited",
            dedup_key: None,
        };
        webhooks::record(txn, &state.public_base_url, change).await?;
    }
    Ok(())
}
