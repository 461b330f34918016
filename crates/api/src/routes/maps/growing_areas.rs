//! Growing areas (vùng trồng): list, read, create, change.

use super::*;

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
    let (row, warnings) = prepare_growing_area(&state, &user, body.0, None, "").await?.ready()?;
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
    let (row, warnings) = prepare_growing_area(&state, &user, body.0, Some(&found), "").await?.ready()?;
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
