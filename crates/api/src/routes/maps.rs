//! Writing the map layers: growing areas (producers for their subject, officers in their
//! area), craft villages with their tourism services and OCOP sales points (officers in their
//! area), and the GeoJSON import of growing areas. Reading is public through `/geo`; the
//! signed-in map also reads unpublished growing areas here.

use actix_web::{HttpResponse, get, post, put, web};
use chrono::{NaiveDate, Utc};
use ocop_domain::access::{
    Owner, check_create_in_area, check_manage_registry, check_read_registry, registry_visibility,
};
use ocop_domain::admin_unit::AdminLevel;
use ocop_domain::geo::{
    AreaGeometry, Bbox, CropCycle, GrowingAreaCode, SALES_POINT_LEVELS, SERVICE_KINDS, STANDARDS, check_area,
    check_point,
};
use ocop_domain::text::fold;
use ocop_persistence::entities::{admin_unit, craft_village, growing_area, sales_point};
use ocop_persistence::{admin_units, audit, maps, subjects};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::ApiJson;
use crate::files::{pdf_or_image, private_download, receive, storage_key};
use crate::paging::paging;
use crate::routes::geo::{GEO_JSON, craft_village_feature, growing_area_feature, sales_point_feature};
use crate::state::AppState;

/// A standard a growing area holds.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"standard": "vietgap", "certificate_number": "VG-22-0123", "expires_on": "2027-06-30",
    "certificate_file": {"file_name": "vietgap.pdf", "content_type": "application/pdf", "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "size_bytes": 48213}}))]
pub struct StandardHeld {
    /// `vietgap`, `globalgap` or `organic`.
    pub standard: String,
    pub certificate_number: Option<String>,
    pub expires_on: Option<NaiveDate>,
    /// The scanned certificate, uploaded with `POST …/standards/{index}/certificate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_file: Option<CertificateFile>,
}

/// A standard as a request gives it: the file is never taken from a body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[schema(example = json!({"standard": "vietgap", "certificate_number": "VG-22-0123", "expires_on": "2027-06-30"}))]
pub struct StandardInput {
    /// `vietgap`, `globalgap` or `organic`.
    pub standard: String,
    pub certificate_number: Option<String>,
    pub expires_on: Option<NaiveDate>,
}

/// A stored certificate file (content-addressed by its SHA-256).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CertificateFile {
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub size_bytes: i64,
}

/// The yield of one season.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"season": "2025", "tonnes": 8.5}))]
pub struct SeasonYield {
    pub season: String,
    pub tonnes: f64,
}

#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"code": "VN-22-202-06739-001-24", "name": "Vùng trồng trà hoa vàng Thanh Sơn", "crop": "Trà hoa vàng",
    "variety": "Camellia chrysantha", "crop_cycle": "perennial", "plant_age_years": 6, "seed_origin": "Giống bản địa Ba Chẽ",
    "declared_area_ha": 12.0, "subject_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e61", "households": 14, "representative": "Hoàng Văn Sơn",
    "standards": [{"standard": "vietgap", "certificate_number": "VG-22-0123", "expires_on": "2027-06-30"}], "yields": [{"season": "2025", "tonnes": 8.5}],
    "geometry": {"type": "Polygon", "coordinates": [[[107.27, 21.26], [107.2735, 21.26], [107.2735, 21.2635], [107.27, 21.2635], [107.27, 21.26]]]},
    "published": true}))]
pub struct GrowingAreaInput {
    /// `VN-{province}-{district}-{commune}-{facility}-{YY}`; the commune in the code is where
    /// the area lies.
    #[validate(length(min = 3, max = 32))]
    pub code: String,
    #[validate(length(min = 2, max = 300))]
    pub name: String,
    #[validate(length(min = 2, max = 120))]
    pub crop: String,
    #[validate(length(max = 120))]
    pub variety: Option<String>,
    /// `perennial` (at least 1 ha) or `annual` (at least 0.1 ha).
    pub crop_cycle: CropCycleInput,
    #[validate(range(min = 0, max = 200))]
    pub plant_age_years: Option<i32>,
    #[validate(length(max = 300))]
    pub seed_origin: Option<String>,
    #[validate(range(min = 0.0, max = 100000.0))]
    pub declared_area_ha: f64,
    pub subject_id: Uuid,
    #[validate(range(min = 0, max = 100000))]
    pub households: Option<i32>,
    #[validate(length(max = 200))]
    pub representative: Option<String>,
    #[serde(default)]
    pub standards: Vec<StandardInput>,
    #[serde(default)]
    pub yields: Vec<SeasonYield>,
    /// A GeoJSON Polygon or MultiPolygon in WGS 84 `[lon, lat]`.
    #[schema(value_type = Object)]
    pub geometry: Value,
    #[serde(default)]
    pub published: bool,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CropCycleInput {
    Perennial,
    Annual,
}

impl From<CropCycleInput> for CropCycle {
    fn from(c: CropCycleInput) -> Self {
        match c {
            CropCycleInput::Perennial => Self::Perennial,
            CropCycleInput::Annual => Self::Annual,
        }
    }
}

/// A saved growing area: its GeoJSON Feature and any warnings.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"feature": {"type": "Feature", "id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8f71", "geometry": {"type": "Polygon", "coordinates": []}, "properties": {"code": "VN-22-202-06739-001-24"}},
    "warnings": [{"field": "declared_area_ha", "code": "area_mismatch", "message_vi": "Diện tích khai báo 12 ha, diện tích vẽ 14,2 ha.", "message_en": "Declared 12 ha, drawn 14.2 ha."}]}))]
pub struct SavedFeature {
    #[schema(value_type = Object)]
    pub feature: Value,
    pub warnings: Vec<FieldError>,
}

fn field(prefix: &str, name: &str) -> String {
    if prefix.is_empty() { name.to_owned() } else { format!("{prefix}.{name}") }
}

/// Checks a growing area's input and builds its row; errors and warnings carry field paths
/// under `prefix` (the import reports them per feature).
async fn prepare_growing_area(
    state: &AppState,
    user: &AuthUser,
    input: GrowingAreaInput,
    existing: Option<&growing_area::Model>,
    prefix: &str,
) -> ApiResult<Result<(growing_area::Model, Vec<FieldError>), Vec<FieldError>>> {
    let mut errors = Vec::new();
    if let Err(e) = input.validate() {
        return Ok(Err(ApiError::from(e)
            .field_errors()
            .into_iter()
            .map(|f| FieldError { field: field(prefix, &f.field), ..f })
            .collect()));
    }
    let code = match GrowingAreaCode::parse(&input.code) {
        Ok(code) => Some(code),
        Err(e) => {
            errors.push(FieldError::new(
                field(prefix, "code"),
                "growing_area_code",
                format!("Mã số vùng trồng không hợp lệ: {e}"),
                e.to_string(),
            ));
            None
        }
    };
    // The self-intersection check is quadratic in the positions: on the heavy-work pool.
    let raw = input.geometry.clone();
    let parsed = state
        .heavy
        .run(move || {
            serde_json::from_value::<AreaGeometry>(raw).map(|g| {
                let checked = g.validate();
                (g, checked)
            })
        })
        .await?;
    let geometry = match parsed {
        Ok((g, checked)) => match checked {
            Ok(()) => Some(g),
            Err(e) => {
                errors.push(FieldError::new(
                    field(prefix, &format!("geometry.{}", e.path())),
                    "geometry",
                    format!("Hình học không hợp lệ: {e}"),
                    e.to_string(),
                ));
                None
            }
        },
        Err(e) => {
            errors.push(FieldError::new(
                field(prefix, "geometry"),
                "geometry",
                "Hình học phải là GeoJSON Polygon hoặc MultiPolygon.",
                format!("The geometry must be a GeoJSON Polygon or MultiPolygon: {e}"),
            ));
            None
        }
    };
    for (i, s) in input.standards.iter().enumerate() {
        if !STANDARDS.contains(&s.standard.as_str()) {
            errors.push(FieldError::new(
                field(prefix, &format!("standards[{i}].standard")),
                "standard",
                "Tiêu chuẩn là vietgap, globalgap hoặc organic.",
                "A standard is vietgap, globalgap or organic.",
            ));
        }
    }
    let commune = match &code {
        Some(code) => admin_units::find_by_code(&state.db, code.commune())
            .await?
            .filter(|u| u.level == AdminLevel::Commune.as_str()),
        None => None,
    };
    if code.is_some() && commune.is_none() {
        errors.push(FieldError::new(
            field(prefix, "code"),
            "unknown_commune",
            "Mã xã trong mã số vùng trồng không tồn tại.",
            "The commune in the code does not exist.",
        ));
    }
    let subject = subjects::find(&state.db, input.subject_id).await?;
    if subject.is_none() {
        errors.push(FieldError::new(
            field(prefix, "subject_id"),
            "not_found",
            "Không tìm thấy chủ thể.",
            "No such subject.",
        ));
    }
    let (Some(code), Some(geometry), Some(commune), Some(_), true) =
        (code, geometry, commune, subject, errors.is_empty())
    else {
        return Ok(Err(errors));
    };
    check_manage_registry(&user.actor(), Owner { subject_id: input.subject_id, area_path: &commune.path })?;
    if let Some(old) = existing {
        check_manage_registry(&user.actor(), Owner { subject_id: old.subject_id, area_path: &old.area_path })?;
    }
    let cycle: CropCycle = input.crop_cycle.into();
    let area = check_area(&geometry, input.declared_area_ha, cycle);
    if area.below_minimum {
        return Ok(Err(vec![FieldError::new(
            field(prefix, "declared_area_ha"),
            "below_minimum",
            format!(
                "Vùng trồng cây {} phải có ít nhất {} ha.",
                if cycle == CropCycle::Perennial { "lâu năm" } else { "hằng năm" },
                cycle.minimum_ha()
            ),
            format!("A {} growing area needs at least {} ha.", cycle.as_str(), cycle.minimum_ha()),
        )]));
    }
    let mut warnings = Vec::new();
    if area.mismatch {
        warnings.push(FieldError::new(
            field(prefix, "declared_area_ha"),
            "area_mismatch",
            format!(
                "Diện tích khai báo {:.2} ha, diện tích theo bản đồ {:.2} ha: chênh lệch quá 20%.",
                area.declared_ha, area.computed_ha
            ),
            format!(
                "Declared {:.2} ha, the map gives {:.2} ha: more than 20% apart.",
                area.declared_ha, area.computed_ha
            ),
        ));
    }
    // Uploaded certificate files stay with their standard across edits.
    let kept: Vec<StandardHeld> =
        existing.and_then(|old| serde_json::from_str(&old.standards).ok()).unwrap_or_default();
    let standards: Vec<StandardHeld> = input
        .standards
        .into_iter()
        .map(|s| StandardHeld {
            certificate_file: kept.iter().find(|k| k.standard == s.standard).and_then(|k| k.certificate_file.clone()),
            standard: s.standard,
            certificate_number: s.certificate_number,
            expires_on: s.expires_on,
        })
        .collect();
    let bbox = geometry.bbox();
    let now = Utc::now();
    let trimmed = |s: Option<String>| s.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let row = growing_area::Model {
        id: existing.map_or_else(ocop_persistence::new_id, |e| e.id),
        code: code.as_str().to_owned(),
        name_folded: fold(&input.name),
        name: input.name.trim().to_owned(),
        crop_folded: fold(&input.crop),
        crop: input.crop.trim().to_owned(),
        variety: trimmed(input.variety),
        crop_cycle: cycle.as_str().to_owned(),
        plant_age_years: input.plant_age_years,
        seed_origin: trimmed(input.seed_origin),
        declared_area_ha: input.declared_area_ha,
        computed_area_ha: area.computed_ha,
        subject_id: input.subject_id,
        commune_id: commune.id,
        area_path: commune.path.clone(),
        households: input.households,
        representative: trimmed(input.representative),
        standards: ocop_persistence::to_json(&standards)?,
        yields: ocop_persistence::to_json(&input.yields)?,
        geometry: ocop_persistence::to_json(&geometry)?,
        min_lon: bbox.min_lon,
        min_lat: bbox.min_lat,
        max_lon: bbox.max_lon,
        max_lat: bbox.max_lat,
        published: input.published,
        created_at: existing.map_or(now, |e| e.created_at),
        updated_at: now,
    };
    Ok(Ok((row, warnings)))
}

async fn taken(state: &AppState, code: &str, except: Option<Uuid>) -> ApiResult<bool> {
    Ok(maps::find_growing_areas_by_code(&state.db, vec![code.to_owned()]).await?.iter().any(|g| Some(g.id) != except))
}

fn code_taken(code: &str) -> ApiError {
    ApiError::conflict(
        format!("Mã số vùng trồng {code} đã được dùng."),
        format!("The growing-area code {code} is taken."),
    )
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `minLon,minLat,maxLon,maxLat` (edges included).
    pub bbox: Option<String>,
    pub subject_id: Option<Uuid>,
    /// Crop, without diacritics.
    pub crop: Option<String>,
    /// `vietgap`, `globalgap` or `organic`.
    pub standard: Option<String>,
    /// Words in the name.
    pub q: Option<String>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// Growing areas the caller may see, as GeoJSON / Vùng trồng (kể cả chưa công bố).
#[utoipa::path(operation_id = "list_growing_areas", tag = "maps", security(("bearer" = [])), params(ListQuery), responses(
    (status = 200, description = "A FeatureCollection with `numberMatched`", content_type = "application/geo+json", body = Object,
        example = json!({"type": "FeatureCollection", "numberMatched": 1, "numberReturned": 1, "features": []})),
))]
#[get("/growing-areas")]
pub async fn list_growing_areas(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ListQuery>,
) -> ApiResult<HttpResponse> {
    let bbox = query
        .bbox
        .as_deref()
        .map(Bbox::parse)
        .transpose()
        .map_err(|e| ApiError::invalid_field("bbox", "bbox", format!("bbox không hợp lệ: {e}"), e.to_string()))?;
    let filter = maps::GrowingAreaFilter {
        geo: maps::GeoFilter { bbox, q: query.q.as_deref().map(fold), ..Default::default() },
        visibility: Some(registry_visibility(&user.actor())),
        subject_id: query.subject_id,
        crop: query.crop.as_deref().map(fold),
        standard: query.standard.clone(),
    };
    let page = maps::list_growing_areas(&state.db, &filter, paging(query.limit, query.offset)?).await?;
    Ok(HttpResponse::Ok().insert_header(("content-type", GEO_JSON)).json(json!({
        "type": "FeatureCollection",
        "numberMatched": page.total,
        "numberReturned": page.items.len(),
        "features": page.items.iter().map(growing_area_feature).collect::<Vec<_>>(),
    })))
}

async fn load_growing_area(state: &AppState, user: &AuthUser, id: Uuid) -> ApiResult<growing_area::Model> {
    let found = maps::find_growing_area(&state.db, id).await?.ok_or_else(ApiError::not_found)?;
    check_read_registry(&user.actor(), Owner { subject_id: found.subject_id, area_path: &found.area_path })?;
    Ok(found)
}

/// One growing area / Chi tiết vùng trồng.
#[utoipa::path(operation_id = "get_growing_area", tag = "maps", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Growing area id")), responses(
    (status = 200, description = "The GeoJSON Feature", body = SavedFeature),
))]
#[get("/growing-areas/{id}")]
pub async fn get_growing_area(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<SavedFeature>> {
    let found = load_growing_area(&state, &user, id.into_inner()).await?;
    Ok(web::Json(SavedFeature { feature: growing_area_feature(&found), warnings: Vec::new() }))
}

/// Register a growing area / Khai báo vùng trồng.
///
/// The geometry is checked (closed rings of at least four positions, coordinates in range and
/// in lon/lat order, no ring crossing itself) and its geodesic area computed: a declared area
/// below the minimum (1 ha perennial, 0.1 ha annual) is refused; one more than 20% away from
/// the drawing is accepted with a warning.
#[utoipa::path(operation_id = "create_growing_area", tag = "maps", security(("bearer" = [])), request_body = GrowingAreaInput, responses(
    (status = 201, description = "Saved, with warnings / Đã lưu", body = SavedFeature),
    (status = 409, description = "The code is taken / Mã đã dùng", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid code, geometry or area, with the reason / Dữ liệu không hợp lệ", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/growing-areas")]
pub async fn create_growing_area(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ApiJson<GrowingAreaInput>,
) -> ApiResult<HttpResponse> {
    let (row, warnings) =
        prepare_growing_area(&state, &user, body.0, None, "").await?.map_err(ApiError::invalid_fields)?;
    if taken(&state, &row.code, None).await? {
        return Err(code_taken(&row.code));
    }
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let saved = maps::save_growing_area(&txn, row, true).await?;
    audit::record::<(), _>(&txn, &user.audit(), "growing_area.create", "growing_area", saved.id, None, Some(&saved))
        .await?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(SavedFeature { feature: growing_area_feature(&saved), warnings }))
}

/// Change a growing area / Sửa vùng trồng (its geometry included).
#[utoipa::path(operation_id = "update_growing_area", tag = "maps", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Growing area id")), request_body = GrowingAreaInput, responses(
    (status = 200, description = "Saved, with warnings / Đã lưu", body = SavedFeature),
    (status = 409, description = "The code is taken / Mã đã dùng", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[put("/growing-areas/{id}")]
pub async fn update_growing_area(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<GrowingAreaInput>,
) -> ApiResult<web::Json<SavedFeature>> {
    let found = load_growing_area(&state, &user, id.into_inner()).await?;
    check_manage_registry(&user.actor(), Owner { subject_id: found.subject_id, area_path: &found.area_path })?;
    let (row, warnings) =
        prepare_growing_area(&state, &user, body.0, Some(&found), "").await?.map_err(ApiError::invalid_fields)?;
    if taken(&state, &row.code, Some(found.id)).await? {
        return Err(code_taken(&row.code));
    }
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let saved = maps::save_growing_area(&txn, row, false).await?;
    audit::record(&txn, &user.audit(), "growing_area.update", "growing_area", saved.id, Some(&found), Some(&saved))
        .await?;
    txn.commit().await?;
    Ok(web::Json(SavedFeature { feature: growing_area_feature(&saved), warnings }))
}

/// The multipart form of a certificate upload.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"file": "(VietGAP 2025.pdf)"}))]
#[allow(dead_code)]
pub struct CertificateUpload {
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

fn standard_at(row: &growing_area::Model, index: usize) -> ApiResult<(Vec<StandardHeld>, usize)> {
    let standards: Vec<StandardHeld> = serde_json::from_str(&row.standards).map_err(ApiError::internal)?;
    if index >= standards.len() {
        return Err(ApiError::not_found());
    }
    Ok((standards, index))
}

/// Attach a standard's certificate / Tải giấy chứng nhận tiêu chuẩn (VietGAP…) của vùng trồng.
///
/// `multipart/form-data` with `file` (PDF or image, read from the content); replaces any
/// earlier file of that standard.
#[utoipa::path(operation_id = "upload_standard_certificate", tag = "maps", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Growing area id"), ("index" = usize, Path, description = "Position of the standard in `standards`")),
    request_body(content = CertificateUpload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "Stored / Đã lưu", body = SavedFeature),
        (status = 404, description = "No such growing area or standard", body = crate::error::Problem, content_type = "application/problem+json"),
    ))]
#[post("/growing-areas/{id}/standards/{index}/certificate")]
pub async fn upload_standard_certificate(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, usize)>,
    payload: actix_multipart::Multipart,
) -> ApiResult<web::Json<SavedFeature>> {
    let (id, index) = path.into_inner();
    let found = load_growing_area(&state, &user, id).await?;
    check_manage_registry(&user.actor(), Owner { subject_id: found.subject_id, area_path: &found.area_path })?;
    let (mut standards, index) = standard_at(&found, index)?;
    let got = receive(
        &state.files,
        payload,
        state.upload_limit_bytes,
        pdf_or_image,
        ("Giấy chứng nhận là tệp PDF hoặc ảnh.", "A certificate is a PDF or an image."),
    )
    .await?;
    standards[index].certificate_file = Some(CertificateFile {
        file_name: got.file_name,
        content_type: got.content_type.to_owned(),
        sha256: got.sha256,
        size_bytes: got.size_bytes,
    });
    let mut row = found.clone();
    row.standards = ocop_persistence::to_json(&standards)?;
    row.updated_at = Utc::now();
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let saved = maps::save_growing_area(&txn, row, false).await?;
    audit::record(
        &txn,
        &user.audit(),
        "growing_area.certificate",
        "growing_area",
        saved.id,
        Some(&found),
        Some(&saved),
    )
    .await?;
    txn.commit().await?;
    Ok(web::Json(SavedFeature { feature: growing_area_feature(&saved), warnings: Vec::new() }))
}

/// Download a standard's certificate / Tải về giấy chứng nhận tiêu chuẩn.
#[utoipa::path(operation_id = "download_standard_certificate", tag = "maps", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Growing area id"), ("index" = usize, Path, description = "Position of the standard")),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, description = "No such file", body = crate::error::Problem, content_type = "application/problem+json"),
    ))]
#[get("/growing-areas/{id}/standards/{index}/certificate")]
pub async fn download_standard_certificate(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, usize)>,
) -> ApiResult<HttpResponse> {
    let (id, index) = path.into_inner();
    let found = load_growing_area(&state, &user, id).await?;
    let (standards, index) = standard_at(&found, index)?;
    let file = standards[index].certificate_file.clone().ok_or_else(ApiError::not_found)?;
    private_download(&state.files, &storage_key(&file.sha256), file.content_type, &file.file_name).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GeoImportQuery {
    /// Check only; nothing is written.
    #[serde(default)]
    pub dry_run: bool,
}

/// One feature of an import.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"index": 0, "code": "VN-22-202-06739-001-24", "ok": false,
    "errors": [{"field": "features[0].geometry.coordinates[0]", "code": "geometry", "message_vi": "Hình học không hợp lệ: …", "message_en": "coordinates[0]: the ring crosses itself"}], "warnings": []}))]
pub struct GeoImportRow {
    pub index: usize,
    pub code: Option<String>,
    pub ok: bool,
    pub errors: Vec<FieldError>,
    pub warnings: Vec<FieldError>,
}

/// The import's report.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"dry_run": true, "total": 1, "valid": 1, "imported": 0, "rows": []}))]
pub struct GeoImportReport {
    pub dry_run: bool,
    pub total: usize,
    pub valid: usize,
    pub imported: usize,
    pub rows: Vec<GeoImportRow>,
}

/// Import growing areas from GeoJSON / Nhập vùng trồng từ GeoJSON.
///
/// A FeatureCollection whose features carry a Polygon or MultiPolygon and, as properties, the
/// fields of `GrowingAreaInput` (`code`, `name`, `crop`, `crop_cycle`, `declared_area_ha`,
/// `subject_id`, …). `dry_run=true` returns the report feature by feature; otherwise every
/// feature is written in one transaction, only if none has an error (422 with the report's
/// errors otherwise).
#[utoipa::path(operation_id = "import_growing_areas", tag = "maps", security(("bearer" = [])), params(GeoImportQuery),
    request_body(content = Object, description = "A GeoJSON FeatureCollection", content_type = "application/json",
        example = json!({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[107.27, 21.26], [107.2735, 21.26], [107.2735, 21.2635], [107.27, 21.2635], [107.27, 21.26]]]},
            "properties": {"code": "VN-22-202-06739-001-24", "name": "Vùng trồng trà hoa vàng", "crop": "Trà hoa vàng", "crop_cycle": "perennial", "declared_area_ha": 14, "subject_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e61"}}]})),
    responses(
        (status = 200, description = "Dry run: the report / Kết quả kiểm tra", body = GeoImportReport),
        (status = 201, description = "Imported / Đã nhập", body = GeoImportReport),
        (status = 422, description = "Some features are invalid; nothing was written / Có đối tượng không hợp lệ", body = crate::error::Problem, content_type = "application/problem+json"),
    ))]
#[post("/growing-areas/import")]
pub async fn import_growing_areas(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<GeoImportQuery>,
    body: ApiJson<Value>,
) -> ApiResult<HttpResponse> {
    let collection = body.0;
    if collection.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(ApiError::invalid_field(
            "type",
            "feature_collection",
            "Tệp phải là GeoJSON FeatureCollection.",
            "The body must be a GeoJSON FeatureCollection.",
        ));
    }
    let features = collection.get("features").and_then(Value::as_array).cloned().unwrap_or_default();
    if features.is_empty() || features.len() > 2000 {
        return Err(ApiError::invalid_field(
            "features",
            "count",
            "Cần từ 1 đến 2000 đối tượng.",
            "Between 1 and 2000 features are needed.",
        ));
    }
    let mut rows = Vec::with_capacity(features.len());
    let mut ready = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (index, feature) in features.into_iter().enumerate() {
        let prefix = format!("features[{index}]");
        let mut props = feature.get("properties").cloned().unwrap_or(json!({}));
        let code = props.get("code").and_then(Value::as_str).map(str::to_owned);
        props["geometry"] = feature.get("geometry").cloned().unwrap_or(Value::Null);
        let outcome = match serde_json::from_value::<GrowingAreaInput>(props) {
            Ok(input) => prepare_growing_area(&state, &user, input, None, &prefix).await?,
            Err(e) => Err(vec![FieldError::new(
                format!("{prefix}.properties"),
                "format",
                format!("Thuộc tính không hợp lệ: {e}"),
                format!("Invalid properties: {e}"),
            )]),
        };
        let (errors, warnings) = match outcome {
            Ok((row, warnings)) => {
                let mut errors = Vec::new();
                if !seen.insert(row.code.clone()) || taken(&state, &row.code, None).await? {
                    errors.push(FieldError::new(
                        format!("{prefix}.code"),
                        "taken",
                        format!("Mã {} đã được dùng.", row.code),
                        format!("The code {} is taken.", row.code),
                    ));
                } else {
                    ready.push(row);
                }
                (errors, warnings)
            }
            Err(errors) => (errors, Vec::new()),
        };
        rows.push(GeoImportRow { index, code, ok: errors.is_empty(), errors, warnings });
    }
    let valid = rows.iter().filter(|r| r.ok).count();
    let total = rows.len();
    if query.dry_run {
        return Ok(HttpResponse::Ok().json(GeoImportReport { dry_run: true, total, valid, imported: 0, rows }));
    }
    if valid < total {
        return Err(ApiError::invalid_fields(rows.into_iter().flat_map(|r| r.errors).collect()));
    }
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let mut imported = 0;
    for row in ready {
        let saved = maps::save_growing_area(&txn, row, true).await?;
        audit::record::<(), _>(
            &txn,
            &user.audit(),
            "growing_area.import",
            "growing_area",
            saved.id,
            None,
            Some(&saved),
        )
        .await?;
        imported += 1;
    }
    txn.commit().await?;
    Ok(HttpResponse::Created().json(GeoImportReport { dry_run: false, total, valid, imported, rows }))
}

/// A tourism service of a craft village.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"kind": "workshop", "name": "Trải nghiệm làm gốm", "contact": "0912 345 678", "price_vnd": 150000, "product_id": null}))]
pub struct TourismService {
    /// `tour`, `homestay` or `workshop`.
    pub kind: String,
    #[validate(length(min = 2, max = 200))]
    pub name: String,
    #[validate(length(max = 200))]
    pub contact: Option<String>,
    #[validate(range(min = 0))]
    pub price_vnd: Option<i64>,
    /// The OCOP product (tourism group) this service is, if any.
    pub product_id: Option<Uuid>,
}

#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"name": "Làng nghề gốm Đông Triều", "craft": "Gốm sứ", "decision_number": "1234/QĐ-UBND", "recognised_on": "2015-05-20",
    "commune_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e41", "lon": 106.55, "lat": 21.08, "description": "Nghề gốm truyền thống hơn 700 năm.",
    "photos": [], "product_ids": [], "services": [{"kind": "workshop", "name": "Trải nghiệm làm gốm", "contact": "0912 345 678", "price_vnd": 150000}], "published": true}))]
pub struct CraftVillageInput {
    #[validate(length(min = 2, max = 300))]
    pub name: String,
    #[validate(length(min = 2, max = 200))]
    pub craft: String,
    #[validate(length(max = 64))]
    pub decision_number: Option<String>,
    pub recognised_on: Option<NaiveDate>,
    pub commune_id: Uuid,
    pub lon: f64,
    pub lat: f64,
    #[validate(length(max = 5000))]
    pub description: Option<String>,
    /// Photo URLs.
    #[serde(default)]
    #[validate(length(max = 20))]
    pub photos: Vec<String>,
    #[serde(default)]
    pub product_ids: Vec<Uuid>,
    #[serde(default)]
    #[validate(nested)]
    pub services: Vec<TourismService>,
    #[serde(default = "yes")]
    pub published: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"name": "Điểm bán hàng OCOP tỉnh Quảng Ninh", "level": "province", "operator": "Trung tâm Xúc tiến thương mại tỉnh",
    "address": "Số 1 đường Trần Hưng Đạo, Hạ Long", "opening_hours": "8:00–21:00 hằng ngày", "commune_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e41",
    "lon": 107.07, "lat": 20.96, "product_ids": [], "published": true}))]
pub struct SalesPointInput {
    #[validate(length(min = 2, max = 300))]
    pub name: String,
    /// `province`, `district` or `commune`.
    pub level: String,
    #[validate(length(min = 2, max = 300))]
    pub operator: String,
    #[validate(length(min = 2, max = 500))]
    pub address: String,
    #[validate(length(max = 200))]
    pub opening_hours: Option<String>,
    pub commune_id: Uuid,
    pub lon: f64,
    pub lat: f64,
    #[serde(default)]
    pub product_ids: Vec<Uuid>,
    #[serde(default = "yes")]
    pub published: bool,
}

/// The commune a place lies in, once the caller may write there, and its point checked.
async fn place_commune(
    state: &AppState,
    user: &AuthUser,
    commune_id: Uuid,
    lon: f64,
    lat: f64,
) -> ApiResult<admin_unit::Model> {
    if !check_point(lon, lat) {
        return Err(ApiError::invalid_fields(vec![FieldError::new(
            "lon",
            "point",
            "Toạ độ phải là kinh độ [-180, 180], vĩ độ [-90, 90] (WGS 84).",
            "The location is a longitude in [-180, 180] and a latitude in [-90, 90] (WGS 84).",
        )]));
    }
    let commune = admin_units::find(&state.db, commune_id)
        .await?
        .filter(|u| u.level == AdminLevel::Commune.as_str())
        .ok_or_else(|| {
        ApiError::invalid_field("commune_id", "not_found", "Không tìm thấy xã.", "No such commune.")
    })?;
    check_create_in_area(&user.actor(), &commune.path)?;
    Ok(commune)
}

fn saved(feature: Value) -> SavedFeature {
    SavedFeature { feature, warnings: Vec::new() }
}

async fn save_craft_village(
    state: &AppState,
    user: &AuthUser,
    body: CraftVillageInput,
    existing: Option<craft_village::Model>,
) -> ApiResult<craft_village::Model> {
    body.validate()?;
    if let Some((i, _)) = body.services.iter().enumerate().find(|(_, s)| !SERVICE_KINDS.contains(&s.kind.as_str())) {
        return Err(ApiError::invalid_field(
            &format!("services[{i}].kind"),
            "kind",
            "Loại dịch vụ: tour, homestay hoặc workshop.",
            "A service is a tour, homestay or workshop.",
        ));
    }
    if let Some(old) = &existing {
        check_create_in_area(&user.actor(), &old.area_path)?;
    }
    let commune = place_commune(state, user, body.commune_id, body.lon, body.lat).await?;
    let now = Utc::now();
    let row = craft_village::Model {
        id: existing.as_ref().map_or_else(ocop_persistence::new_id, |e| e.id),
        name_folded: fold(&body.name),
        name: body.name.trim().to_owned(),
        craft_folded: fold(&body.craft),
        craft: body.craft.trim().to_owned(),
        decision_number: body.decision_number,
        recognised_on: body.recognised_on,
        commune_id: commune.id,
        area_path: commune.path,
        lon: body.lon,
        lat: body.lat,
        description: body.description,
        photos: ocop_persistence::to_json(&body.photos)?,
        product_ids: ocop_persistence::to_json(&body.product_ids)?,
        services: ocop_persistence::to_json(&body.services)?,
        published: body.published,
        created_at: existing.as_ref().map_or(now, |e| e.created_at),
        updated_at: now,
    };
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let out = maps::save_craft_village(&txn, row, existing.is_none()).await?;
    audit::record(&txn, &user.audit(), "craft_village.save", "craft_village", out.id, existing.as_ref(), Some(&out))
        .await?;
    txn.commit().await?;
    Ok(out)
}

/// Register a craft village / Thêm làng nghề (officers in their area).
#[utoipa::path(operation_id = "create_craft_village", tag = "maps", security(("bearer" = [])), request_body = CraftVillageInput, responses(
    (status = 201, description = "Saved / Đã lưu", body = SavedFeature),
))]
#[post("/craft-villages")]
pub async fn create_craft_village(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ApiJson<CraftVillageInput>,
) -> ApiResult<HttpResponse> {
    let out = save_craft_village(&state, &user, body.0, None).await?;
    Ok(HttpResponse::Created().json(saved(craft_village_feature(&out))))
}

/// Change a craft village / Sửa làng nghề.
#[utoipa::path(operation_id = "update_craft_village", tag = "maps", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Craft village id")), request_body = CraftVillageInput, responses(
    (status = 200, description = "Saved / Đã lưu", body = SavedFeature),
))]
#[put("/craft-villages/{id}")]
pub async fn update_craft_village(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<CraftVillageInput>,
) -> ApiResult<web::Json<SavedFeature>> {
    let found = maps::find_craft_village(&state.db, id.into_inner()).await?.ok_or_else(ApiError::not_found)?;
    let out = save_craft_village(&state, &user, body.0, Some(found)).await?;
    Ok(web::Json(saved(craft_village_feature(&out))))
}

async fn save_sales_point(
    state: &AppState,
    user: &AuthUser,
    body: SalesPointInput,
    existing: Option<sales_point::Model>,
) -> ApiResult<sales_point::Model> {
    body.validate()?;
    if !SALES_POINT_LEVELS.contains(&body.level.as_str()) {
        return Err(ApiError::invalid_field(
            "level",
            "level",
            "Cấp điểm bán: province, district hoặc commune.",
            "The level is province, district or commune.",
        ));
    }
    if let Some(old) = &existing {
        check_create_in_area(&user.actor(), &old.area_path)?;
    }
    let commune = place_commune(state, user, body.commune_id, body.lon, body.lat).await?;
    let now = Utc::now();
    let row = sales_point::Model {
        id: existing.as_ref().map_or_else(ocop_persistence::new_id, |e| e.id),
        name_folded: fold(&body.name),
        name: body.name.trim().to_owned(),
        level: body.level,
        operator: body.operator.trim().to_owned(),
        address: body.address.trim().to_owned(),
        opening_hours: body.opening_hours,
        commune_id: commune.id,
        area_path: commune.path,
        lon: body.lon,
        lat: body.lat,
        product_ids: ocop_persistence::to_json(&body.product_ids)?,
        published: body.published,
        created_at: existing.as_ref().map_or(now, |e| e.created_at),
        updated_at: now,
    };
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let out = maps::save_sales_point(&txn, row, existing.is_none()).await?;
    audit::record(&txn, &user.audit(), "sales_point.save", "sales_point", out.id, existing.as_ref(), Some(&out))
        .await?;
    txn.commit().await?;
    Ok(out)
}

/// Register an OCOP sales point / Thêm điểm bán hàng OCOP (officers in their area).
#[utoipa::path(operation_id = "create_sales_point", tag = "maps", security(("bearer" = [])), request_body = SalesPointInput, responses(
    (status = 201, description = "Saved / Đã lưu", body = SavedFeature),
))]
#[post("/sales-points")]
pub async fn create_sales_point(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ApiJson<SalesPointInput>,
) -> ApiResult<HttpResponse> {
    let out = save_sales_point(&state, &user, body.0, None).await?;
    Ok(HttpResponse::Created().json(saved(sales_point_feature(&out))))
}

/// Change a sales point / Sửa điểm bán hàng.
#[utoipa::path(operation_id = "update_sales_point", tag = "maps", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Sales point id")), request_body = SalesPointInput, responses(
    (status = 200, description = "Saved / Đã lưu", body = SavedFeature),
))]
#[put("/sales-points/{id}")]
pub async fn update_sales_point(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<SalesPointInput>,
) -> ApiResult<web::Json<SavedFeature>> {
    let found = maps::find_sales_point(&state.db, id.into_inner()).await?.ok_or_else(ApiError::not_found)?;
    let out = save_sales_point(&state, &user, body.0, Some(found)).await?;
    Ok(web::Json(saved(sales_point_feature(&out))))
}
