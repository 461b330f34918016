//! A product's photo: set by its keepers, served publicly (cached by its content's hash).

use super::*;

/// Largest product photo: the stamp page is opened on cheap phones over slow networks.
const PHOTO_LIMIT: usize = 2 * 1024 * 1024;

/// The multipart form of a photo upload.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"file": "(cha-muc.jpg)"}))]
#[allow(dead_code)]
pub struct PhotoUpload {
    /// A JPEG, PNG or WebP image of at most 2 MB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Set the product photo / Tải ảnh sản phẩm.
///
/// `multipart/form-data` with `file`: a JPEG, PNG or WebP image (read from its content) of at
/// most 2 MB; replaces the earlier photo. The photo is public: it shows on the stamp page and
/// in the catalog (`image_links`).
#[utoipa::path(operation_id = "set_product_photo", tag = "products", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Product id")),
    request_body(content = PhotoUpload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "Stored / Đã lưu", body = Product),
        (status = 413, description = "Larger than 2 MB / Ảnh quá 2 MB", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a JPEG, PNG or WebP image / Không phải ảnh JPEG, PNG, WebP", body = crate::error::Problem, content_type = "application/problem+json"),
    ))]
#[put("/products/{id}/photo")]
pub async fn set_photo(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    payload: actix_multipart::Multipart,
) -> ApiResult<web::Json<Product>> {
    let product = guard::product(&state, &user, id.into_inner(), Need::Manage).await?;
    let got = receive(
        &state.files,
        payload,
        PHOTO_LIMIT.min(state.upload_limit_bytes),
        |t| matches!(t, "image/jpeg" | "image/png" | "image/webp"),
        ("Ảnh sản phẩm là tệp JPEG, PNG hoặc WebP.", "A product photo is a JPEG, PNG or WebP image."),
    )
    .await?;
    save_photo(&state, &user, product, Some((got.content_type.to_owned(), got.sha256))).await
}

/// Remove the product photo / Xoá ảnh sản phẩm.
#[utoipa::path(operation_id = "remove_product_photo", tag = "products", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Product id")),
    responses((status = 200, description = "Removed / Đã xoá", body = Product)))]
#[delete("/products/{id}/photo")]
pub async fn remove_photo(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Product>> {
    let product = guard::product(&state, &user, id.into_inner(), Need::Manage).await?;
    save_photo(&state, &user, product, None).await
}

async fn save_photo(
    state: &AppState,
    user: &AuthUser,
    product: Model,
    new_photo: Option<(String, String)>,
) -> ApiResult<web::Json<Product>> {
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let updated = products::set_photo(&txn, product.clone(), new_photo).await?;
    audit::record(&txn, &user.audit(), "product.photo", "product", updated.id, Some(&product), Some(&updated)).await?;
    edited_listing(&txn, state, &updated).await?;
    txn.commit().await?;
    let refs = Refs::load(state, std::slice::from_ref(&updated)).await?;
    Ok(web::Json(refs.product(updated)))
}

/// A product's photo / Ảnh sản phẩm (public).
#[utoipa::path(operation_id = "product_photo", tag = "products", params(("id" = Uuid, Path, description = "Product id")), responses(
    (status = 200, description = "The image", content_type = "image/jpeg", body = Vec<u8>),
    (status = 404, description = "No photo / Chưa có ảnh", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[get("/public/products/{id}/photo")]
pub async fn public_photo(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let product = products::find(&state.db, id.into_inner()).await?.ok_or_else(ApiError::not_found)?;
    let (Some(content_type), Some(sha256)) = (product.photo_type, product.photo_sha256) else {
        return Err(ApiError::not_found());
    };
    let etag = format!("\"{sha256}\"");
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::ETAG, etag.clone()))
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
    if req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains(&etag)) {
        return Ok(HttpResponse::NotModified().insert_header((header::ETAG, etag)).finish());
    }
    let content = state.files.get(&storage_key(&sha256)).await.map_err(ApiError::internal)?;
    Ok(response.insert_header((header::CONTENT_TYPE, content_type)).body(content))
}
