//! The public catalog of certified 3★+ products for e-commerce portals: the list with a stable
//! cursor, one product (also as schema.org JSON-LD), and the change feed. Answers carry an
//! `ETag`; a matching `If-None-Match` gets 304.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, NaiveDate, Utc};
use ocop_domain::admin_unit::AdminLevel;
use ocop_domain::calendar::vietnam_day;
use ocop_domain::catalog::{CertificateFacts, Change, MIN_STAR, changes};
use ocop_domain::council::CertificateStatus;
use ocop_domain::text::fold;
use ocop_persistence::entities::{admin_unit, certificate, product};
use ocop_persistence::{admin_units, catalog, certificates, products, subjects};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::api_key::CatalogCaller;
use crate::error::{ApiError, ApiResult};
use crate::files::sha256_hex;
use crate::paging::{CursorPage, decode_cursor};
use crate::state::AppState;

/// The certificate a listed product holds.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"number": "OCOP-22-2026-00001", "star": 4, "decision_number": "3456/QĐ-UBND", "issuing_body": "Ủy ban nhân dân tỉnh Quảng Ninh", "valid_from": "2026-11-22", "valid_until": "2029-11-22"}))]
pub struct CatalogCertificate {
    pub number: String,
    pub star: i16,
    pub decision_number: String,
    pub issuing_body: String,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
}

/// Who makes it and how to reach them.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"name": "Hợp tác xã Dược liệu Ba Chẽ", "phone": "0987654321", "email": null, "address": "Thôn Khe Tâm, xã Thanh Sơn"}))]
pub struct Producer {
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
    pub address: String,
}

/// Where it comes from.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"commune": "Xã Ba Chẽ", "district": null, "province": "Tỉnh Quảng Ninh", "commune_code": "06970"}))]
pub struct Origin {
    pub commune: Option<String>,
    pub district: Option<String>,
    pub province: Option<String>,
    pub commune_code: Option<String>,
}

/// A listed product, with what a merchant feed needs.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e93", "code": "22-000-06970-002-2026", "title": "Trà hoa vàng Ba Chẽ",
    "description": "Trà hoa vàng sấy lạnh.", "link": "https://ocop.example.vn/catalog/019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e93", "image_links": [],
    "brand": "Hợp tác xã Dược liệu Ba Chẽ", "gtin": null, "star": 4,
    "certificate": {"number": "OCOP-22-2026-00001", "star": 4, "decision_number": "3456/QĐ-UBND", "issuing_body": "Ủy ban nhân dân tỉnh Quảng Ninh", "valid_from": "2026-11-22", "valid_until": "2029-11-22"},
    "unit": "hộp 100 g", "price_vnd": 600000, "currency": "VND", "group_code": "1",
    "producer": {"name": "Hợp tác xã Dược liệu Ba Chẽ", "phone": "0987654321", "email": null, "address": "Thôn Khe Tâm, xã Thanh Sơn"},
    "origin": {"commune": "Xã Ba Chẽ", "district": null, "province": "Tỉnh Quảng Ninh", "commune_code": "06970"}, "updated_at": "2026-11-22T08:00:00Z"}))]
pub struct CatalogProduct {
    /// Stable id (the product's).
    pub id: Uuid,
    pub code: String,
    pub title: String,
    pub description: Option<String>,
    /// The product's public page.
    pub link: String,
    pub image_links: Vec<String>,
    /// The producing subject.
    pub brand: String,
    pub gtin: Option<String>,
    pub star: i16,
    pub certificate: CatalogCertificate,
    pub unit: String,
    /// Indicative price.
    pub price_vnd: Option<i64>,
    pub currency: String,
    /// Top-level product group.
    pub group_code: String,
    pub producer: Producer,
    pub origin: Origin,
    /// The last change of the product or its certificate.
    pub updated_at: DateTime<Utc>,
}

async fn dtos(state: &AppState, rows: Vec<product::Model>, today: NaiveDate) -> ApiResult<Vec<CatalogProduct>> {
    let certs: HashMap<Uuid, certificate::Model> =
        certificates::in_force(&state.db, rows.iter().map(|p| p.id).collect(), today)
            .await?
            .into_iter()
            .filter(|c| c.star >= MIN_STAR)
            .map(|c| (c.product_id, c))
            .collect();
    let subjects: HashMap<Uuid, _> = subjects::find_many(&state.db, rows.iter().map(|p| p.subject_id).collect())
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    // The commune, its district (if any) and the province: three look-ups for the page.
    let communes = units(state, rows.iter().map(|p| p.commune_id).collect()).await?;
    let parents = units(state, communes.values().filter_map(|u| u.parent_id).collect()).await?;
    let grandparents = units(state, parents.values().filter_map(|u| u.parent_id).collect()).await?;
    let base = state.public_base_url.as_str();
    Ok(rows
        .into_iter()
        .filter_map(|p| {
            let c = certs.get(&p.id)?;
            let s = subjects.get(&p.subject_id)?;
            let commune = communes.get(&p.commune_id);
            let parent = commune.and_then(|u| u.parent_id).and_then(|id| parents.get(&id));
            let (district, province) = match parent {
                Some(u) if u.level.parse() == Ok(AdminLevel::Province) => (None, Some(u)),
                Some(u) => (Some(u), u.parent_id.and_then(|id| grandparents.get(&id))),
                None => (None, None),
            };
            Some(CatalogProduct {
                link: format!("{base}/catalog/{}", p.id),
                image_links: crate::links::photo_url(base, &p).into_iter().collect(),
                brand: s.name.clone(),
                star: c.star,
                certificate: CatalogCertificate {
                    number: c.number.clone(),
                    star: c.star,
                    decision_number: c.decision_number.clone(),
                    issuing_body: c.issuing_body.clone(),
                    valid_from: c.valid_from,
                    valid_until: c.valid_until,
                },
                currency: "VND".into(),
                producer: Producer {
                    name: s.name.clone(),
                    phone: s.phone.clone(),
                    email: s.email.clone(),
                    address: s.address.clone(),
                },
                origin: Origin {
                    commune: commune.map(|u| u.name.clone()),
                    district: district.map(|u| u.name.clone()),
                    province: province.map(|u| u.name.clone()),
                    commune_code: commune.map(|u| u.code.clone()),
                },
                updated_at: p.updated_at.max(c.updated_at),
                id: p.id,
                code: p.code,
                title: p.name,
                description: p.description,
                gtin: p.gtin,
                unit: p.unit,
                price_vnd: p.price_vnd,
                group_code: p.group_code,
            })
        })
        .collect())
}

async fn units(state: &AppState, ids: Vec<Uuid>) -> ApiResult<HashMap<Uuid, admin_unit::Model>> {
    Ok(admin_units::find_many(&state.db, ids).await?.into_iter().map(|u| (u.id, u)).collect())
}

/// Answers a catalog read with a strong ETag derived from the catalog's fingerprint and the
/// request: a client that has it gets 304 after one cheap query, others get the page from the
/// cache or built by `build`.
async fn answer<F, Fut>(
    state: &AppState,
    req: &HttpRequest,
    content_type: &'static str,
    build: F,
) -> ApiResult<HttpResponse>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = ApiResult<Vec<u8>>>,
{
    let fingerprint = catalog::fingerprint(&state.db, vietnam_day(Utc::now())).await?;
    let key = format!("{content_type} {}?{}", req.path(), req.query_string());
    let etag = format!("\"{}\"", &sha256_hex(format!("{fingerprint}\n{key}").as_bytes())[..32]);
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut response = if matches { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    response
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .insert_header((header::VARY, "Accept, Accept-Encoding, X-API-Key"));
    if matches {
        return Ok(response.finish());
    }
    let body = match state.catalog_cache.get(&fingerprint, &key) {
        Some(body) => body,
        None => {
            let body = Bytes::from(build().await?);
            state.catalog_cache.put(&fingerprint, key, body.clone());
            body
        }
    };
    Ok(response.insert_header((header::CONTENT_TYPE, content_type)).body(body))
}

fn to_json<T: Serialize>(body: &T) -> ApiResult<Vec<u8>> {
    serde_json::to_vec(body).map_err(ApiError::internal)
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// At least this star (3–5, default 3).
    #[validate(range(min = 3, max = 5))]
    pub star: Option<i16>,
    /// Top-level product group code (`1` food … `6` tourism).
    #[validate(length(max = 8))]
    pub group: Option<String>,
    /// Code of an administrative unit: products made inside it.
    #[validate(length(max = 8))]
    pub area: Option<String>,
    /// Words in the title, code or brand, with or without diacritics.
    #[validate(length(max = 100))]
    pub q: Option<String>,
    /// Products or certificates changed since this instant.
    pub updated_since: Option<DateTime<Utc>>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// 1–200, default 50.
    #[validate(range(min = 1, max = 200))]
    pub limit: Option<u64>,
}

/// Certified 3★+ products / Sản phẩm OCOP được chứng nhận từ 3 sao.
///
/// Only products whose certificate is in force (active, not expired, not revoked) and of 3★ or
/// more. Stable ids and a stable cursor (by id). `ETag` + `If-None-Match` → 304;
/// `Cache-Control: public, max-age=60`; compressed when the client accepts it.
#[utoipa::path(operation_id = "catalog_products", tag = "catalog", security((), ("api_key" = [])), params(ListQuery), responses(
    (status = 200, description = "A page of listed products / Danh sách sản phẩm", body = CursorPage<CatalogProduct>),
    (status = 304, description = "Not modified (ETag)"),
))]
#[get("/catalog/products")]
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    _caller: CatalogCaller,
    query: web::Query<ListQuery>,
) -> ApiResult<HttpResponse> {
    query.validate()?;
    answer(&state, &req, "application/json", || build_page(&state, query.into_inner())).await
}

async fn build_page(state: &AppState, query: ListQuery) -> ApiResult<Vec<u8>> {
    let today = vietnam_day(Utc::now());
    let area_path = match &query.area {
        Some(code) => Some(
            admin_units::find_by_code(&state.db, code.trim())
                .await?
                .ok_or_else(|| {
                    ApiError::invalid_field(
                        "area",
                        "not_found",
                        "Không có đơn vị hành chính mã này.",
                        "No unit has this code.",
                    )
                })?
                .path,
        ),
        None => None,
    };
    let limit = query.limit.unwrap_or(50);
    let filter = catalog::Filter {
        today,
        min_star: query.star.unwrap_or(MIN_STAR),
        group_code: query.group.clone(),
        area_path,
        q: query.q.as_deref().map(fold),
        updated_since: query.updated_since,
        after: query.cursor.as_deref().map(decode_cursor).transpose()?,
        limit,
    };
    // Up to `limit + 1` rows: the extra one only says that another page follows.
    let rows = catalog::list(&state.db, &filter).await?;
    let page = CursorPage::from_rows(dtos(state, rows, today).await?, limit, |p| p.id, |p| p);
    to_json(&page)
}

/// The schema.org `Product` view of a listed product.
fn json_ld(p: &CatalogProduct) -> Value {
    json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "@id": p.link,
        "url": p.link,
        "name": p.title,
        "description": p.description,
        "sku": p.code,
        "gtin": p.gtin,
        "image": p.image_links,
        "brand": {"@type": "Brand", "name": p.brand},
        "manufacturer": {"@type": "Organization", "name": p.producer.name, "telephone": p.producer.phone, "email": p.producer.email,
            "address": {"@type": "PostalAddress", "streetAddress": p.producer.address, "addressLocality": p.origin.commune, "addressRegion": p.origin.province, "addressCountry": "VN"}},
        "countryOfOrigin": {"@type": "Country", "name": "VN"},
        "award": format!("OCOP {} sao — {} (hiệu lực đến {})", p.star, p.certificate.number, p.certificate.valid_until.format("%d/%m/%Y")),
        "offers": p.price_vnd.map(|price| json!({"@type": "Offer", "price": price, "priceCurrency": "VND", "availability": "https://schema.org/InStock"})),
    })
}

async fn listed(state: &AppState, id: Uuid) -> ApiResult<CatalogProduct> {
    let found = products::find(&state.db, id).await?.ok_or_else(ApiError::not_found)?;
    dtos(state, vec![found], vietnam_day(Utc::now())).await?.pop().ok_or_else(ApiError::not_found)
}

fn wants_json_ld(req: &HttpRequest) -> bool {
    req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("application/ld+json"))
}

/// One listed product / Một sản phẩm (JSON, or schema.org JSON-LD with `Accept: application/ld+json`).
#[utoipa::path(operation_id = "catalog_product", tag = "catalog", security((), ("api_key" = [])), params(("id" = Uuid, Path, description = "Product id")), responses(
    (status = 200, description = "The product; JSON-LD when asked for", body = CatalogProduct),
    (status = 304, description = "Not modified (ETag)"),
    (status = 404, description = "Not listed (no certificate in force, or below 3★)", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[get("/catalog/products/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    req: HttpRequest,
    _caller: CatalogCaller,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let raw = id.into_inner();
    // `{id}.jsonld` is the JSON-LD view by path, for clients that cannot set `Accept`.
    let (raw_id, ld) = match raw.strip_suffix(".jsonld") {
        Some(id) => (id.to_owned(), true),
        None => (raw, wants_json_ld(&req)),
    };
    let id = Uuid::parse_str(&raw_id).map_err(|_| ApiError::not_found())?;
    if ld {
        answer(&state, &req, "application/ld+json", || async { to_json(&json_ld(&listed(&state, id).await?)) }).await
    } else {
        answer(&state, &req, "application/json", || async { to_json(&listed(&state, id).await?) }).await
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// Changes after this instant (the previous answer's `next_since`).
    pub since: DateTime<Utc>,
}

/// One entry of the change feed.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"product_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e93", "kind": "delisted", "at": "2026-11-22T09:00:00Z"}))]
pub struct ChangeEntry {
    pub product_id: Uuid,
    /// `listed`, `updated` or `delisted`.
    pub kind: String,
    pub at: DateTime<Utc>,
}

/// The change feed's answer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"changes": [{"product_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e93", "kind": "listed", "at": "2026-11-22T08:00:00Z"}], "next_since": "2026-11-22T10:00:00Z"}))]
pub struct Changes {
    /// Each changed product once, with its last change, oldest first.
    pub changes: Vec<ChangeEntry>,
    /// Pass as `since` next time.
    pub next_since: DateTime<Utc>,
}

fn facts(c: &certificate::Model) -> CertificateFacts {
    CertificateFacts {
        id: c.id,
        product_id: c.product_id,
        star: c.star,
        issued_at: c.created_at,
        valid_until: c.valid_until,
        stored: c.status.parse().unwrap_or(CertificateStatus::Active),
        revoked_at: c.revoked_at,
    }
}

/// The change feed / Biến động danh mục.
///
/// `listed` (a certificate of 3★+ came into force), `updated` (a listed product or its
/// certificate changed, e.g. a renewal or a new star) and `delisted` (revoked, expired, and no
/// other certificate in force) since the given instant: what a portal needs to stay in sync
/// without reading everything again.
#[utoipa::path(operation_id = "catalog_changes", tag = "catalog", security((), ("api_key" = [])), params(ChangesQuery), responses(
    (status = 200, description = "The changes / Các thay đổi", body = Changes),
))]
#[get("/catalog/changes")]
pub async fn changes_since(
    state: web::Data<AppState>,
    _caller: CatalogCaller,
    query: web::Query<ChangesQuery>,
) -> ApiResult<web::Json<Changes>> {
    let now = Utc::now();
    let today = vietnam_day(now);
    let mut certs: Vec<certificate::Model> = catalog::certificates_touched(&state.db, query.since, today).await?;
    let edited = catalog::edited_listed(&state.db, query.since, today).await?;
    let mut edits = Vec::with_capacity(edited.len());
    for (p, own) in edited {
        edits.push((p.id, p.updated_at));
        certs.extend(own.into_iter().filter(|c| !certs.iter().any(|k| k.id == c.id)).collect::<Vec<_>>());
    }
    let facts: Vec<CertificateFacts> = certs.iter().map(facts).collect();
    let found: Vec<Change> = changes(&facts, &edits, query.since, now);
    Ok(web::Json(Changes {
        changes: found
            .into_iter()
            .map(|c| ChangeEntry {
                product_id: c.product_id,
                kind: serde_json::to_value(c.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
                at: c.at,
            })
            .collect(),
        next_since: now,
    }))
}

/// A value to filter by, and how many listed products have it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"value": "06970", "label": "Xã Ba Chẽ", "count": 12}))]
pub struct FacetValue {
    /// What to pass to the list's filter (`area`, `group` or `star`).
    pub value: String,
    pub label: Option<String>,
    pub count: i64,
}

/// The filters of the catalog with their counts.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"total": 437, "areas": [{"value": "06970", "label": "Xã Ba Chẽ", "count": 12}], "groups": [{"value": "1", "label": null, "count": 326}],
    "stars": [{"value": "3", "label": null, "count": 326}, {"value": "4", "label": null, "count": 103}, {"value": "5", "label": null, "count": 8}]}))]
pub struct Facets {
    pub total: i64,
    /// Districts (or, where there are none, communes) directly under the province.
    pub areas: Vec<FacetValue>,
    /// Top-level product groups.
    pub groups: Vec<FacetValue>,
    pub stars: Vec<FacetValue>,
}

/// The catalog's filters with counts / Bộ lọc danh mục kèm số lượng.
///
/// Areas directly under the province, product groups and stars, each with the number of
/// listed products: what a catalog page needs to draw its filters.
#[utoipa::path(operation_id = "catalog_facets", tag = "catalog", security((), ("api_key" = [])), responses(
    (status = 200, description = "The filters and their counts", body = Facets),
    (status = 304, description = "Not modified (ETag)"),
))]
#[get("/catalog/facets")]
pub async fn facets(state: web::Data<AppState>, req: HttpRequest, _caller: CatalogCaller) -> ApiResult<HttpResponse> {
    answer(&state, &req, "application/json", || async {
        let today = vietnam_day(Utc::now());
        let places = catalog::listed_places(&state.db, today).await?;
        let mut by_area: HashMap<String, i64> = HashMap::new();
        let mut by_star: HashMap<i16, i64> = HashMap::new();
        for (path, star) in &places {
            // `/province/district/commune/`: the second code is the unit under the province.
            if let Some(code) = path.split('/').filter(|s| !s.is_empty()).nth(1) {
                *by_area.entry(code.to_owned()).or_default() += 1;
            }
            *by_star.entry(*star).or_default() += 1;
        }
        let names: HashMap<String, String> = match admin_units::root(&state.db).await? {
            Some(root) => {
                admin_units::children(&state.db, root.id).await?.into_iter().map(|u| (u.code, u.name)).collect()
            }
            None => HashMap::new(),
        };
        let mut areas: Vec<FacetValue> = by_area
            .into_iter()
            .map(|(code, count)| FacetValue { label: names.get(&code).cloned(), value: code, count })
            .collect();
        areas.sort_by(|a, b| a.label.cmp(&b.label).then(a.value.cmp(&b.value)));
        let mut stars: Vec<FacetValue> = by_star
            .into_iter()
            .map(|(star, count)| FacetValue { value: star.to_string(), label: None, count })
            .collect();
        stars.sort_by(|a, b| a.value.cmp(&b.value));
        let groups = catalog::listed_groups(&state.db, today)
            .await?
            .into_iter()
            .map(|(value, count)| FacetValue { value, label: None, count })
            .collect();
        to_json(&Facets { total: i64::try_from(places.len()).unwrap_or(i64::MAX), areas, groups, stars })
    })
    .await
}
