//! Craft villages and rural tourism spots, and sales points.

use super::*;

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
        .filter(admin_units::is_current_commune)
        .ok_or_else(|| ApiError::invalid_field("commune_id", "not_found", "Không tìm thấy xã.", "No such commune."))?;
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
