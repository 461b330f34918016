//! The certificate files of a growing area's standards (VietGAP, GlobalGAP, organic).

use super::*;

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
