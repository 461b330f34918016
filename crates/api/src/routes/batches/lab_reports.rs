//! The report files of a batch's lab tests.

use super::*;

/// The multipart form of a lab report upload.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"file": "(KN-1123.pdf)"}))]
#[allow(dead_code)]
pub struct LabReportUpload {
    /// A PDF or an image of the laboratory's report.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

async fn lab_test_of(state: &AppState, batch: &batch::Model, test: Uuid) -> ApiResult<lab_test::Model> {
    traceability::find_lab_test(&state.db, test)
        .await?
        .filter(|t| t.batch_id == batch.id)
        .ok_or_else(ApiError::not_found)
}

/// Attach a lab test's report / Tải phiếu kết quả kiểm nghiệm.
///
/// `multipart/form-data` with `file`: a PDF or an image (read from its content) within the
/// upload limit; replaces an earlier file. Only those who keep the batch.
#[utoipa::path(operation_id = "upload_lab_report", tag = "traceability", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Batch id"), ("test" = Uuid, Path, description = "Lab test id")),
    request_body(content = LabReportUpload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "Stored / Đã lưu", body = RecordedLabTest),
        (status = 404, description = "No such batch or lab test", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Too large / Tệp quá lớn", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a PDF or an image / Không phải PDF hoặc ảnh", body = crate::error::Problem, content_type = "application/problem+json"),
    ))]
#[put("/batches/{id}/lab-tests/{test}/report")]
pub async fn upload_lab_report(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    payload: actix_multipart::Multipart,
) -> ApiResult<web::Json<RecordedLabTest>> {
    let (id, test) = path.into_inner();
    let b = kept(&state, &user, id).await?;
    let found = lab_test_of(&state, &b, test).await?;
    let got = receive(
        &state.files,
        payload,
        state.upload_limit_bytes,
        pdf_or_image,
        ("Phiếu kiểm nghiệm là tệp PDF hoặc ảnh.", "A lab report is a PDF or an image."),
    )
    .await?;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let saved =
        traceability::set_lab_report(&txn, found.clone(), (got.file_name, got.content_type.to_owned(), got.sha256))
            .await?;
    audit::record(&txn, &user.audit(), "batch.lab_report", "batch", b.id, Some(&found), Some(&saved)).await?;
    txn.commit().await?;
    Ok(web::Json(RecordedLabTest::from(saved)))
}

/// Download a lab test's report / Tải về phiếu kết quả kiểm nghiệm.
#[utoipa::path(operation_id = "download_lab_report", tag = "traceability", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Batch id"), ("test" = Uuid, Path, description = "Lab test id")),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, description = "No such file", body = crate::error::Problem, content_type = "application/problem+json"),
    ))]
#[get("/batches/{id}/lab-tests/{test}/report")]
pub async fn download_lab_report(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (id, test) = path.into_inner();
    let b = readable(&state, &user, id).await?;
    let t = lab_test_of(&state, &b, test).await?;
    let (Some(name), Some(kind), Some(sha256)) = (t.report_name, t.report_type, t.report_sha256) else {
        return Err(ApiError::not_found());
    };
    private_download(&state.files, &storage_key(&sha256), kind, &name).await
}
