//! Dossier documents: uploads, downloads and officers' reviews.

use super::*;

/// Upload a document to the dossier / Nộp tài liệu hồ sơ.
///
/// `multipart/form-data` with `kind_id` (a document kind of the cycle's classification),
/// `file` (PDF, image or office document; the type is read from the content, not from the
/// name), and optionally `replaces` (the id of a document this file replaces, e.g. one
/// returned for a fix). At most 20 MB unless configured otherwise.
#[utoipa::path(operation_id = "upload_document", tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Application id")),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored / Đã lưu", body = Document),
    ))]
#[post("/applications/{id}/documents")]
pub async fn upload(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    payload: Multipart,
) -> ApiResult<HttpResponse> {
    let app = guard::application(&state, &user, id.into_inner(), Need::Manage).await?;
    let (fields, file) = read_multipart(payload, state.upload_limit_bytes).await?;
    let field_error =
        |field: &str, vi: &str, en: &str| ApiError::invalid_field(field, "required", vi.to_owned(), en.to_owned());
    let kind_id: Uuid = fields
        .get("kind_id")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| field_error("kind_id", "Hãy chọn loại tài liệu.", "Choose a document kind."))?;
    let (raw_name, content) = file.ok_or_else(|| field_error("file", "Hãy chọn tệp.", "Attach a file."))?;
    if content.is_empty() {
        return Err(ApiError::invalid_field("file", "empty", "Tệp rỗng.", "The file is empty."));
    }
    let cycle = cycles::find(&state.db, app.cycle_id).await?.ok_or_else(|| ApiError::internal("cycle missing"))?;
    let kind = classifications::find_kind(&state.db, kind_id)
        .await?
        .filter(|k| k.version_id == cycle.classification_version_id)
        .ok_or_else(|| {
            ApiError::invalid_field(
                "kind_id",
                "not_found",
                "Loại tài liệu không thuộc bộ phân loại của chu trình.",
                "The kind is not one of this cycle's classification.",
            )
        })?;
    let replaces = match fields.get("replaces").filter(|v| !v.is_empty()) {
        Some(raw) => {
            let id: Uuid = raw.parse().map_err(|_| {
                ApiError::invalid_field("replaces", "uuid", "Mã tài liệu không hợp lệ.", "Not a document id.")
            })?;
            Some(
                applications::find_document(&state.db, id)
                    .await?
                    .filter(|d| d.application_id == app.id && d.superseded_at.is_none())
                    .ok_or_else(|| {
                        ApiError::invalid_field(
                            "replaces",
                            "not_found",
                            "Không tìm thấy tài liệu cần thay.",
                            "The document to replace is not in this dossier.",
                        )
                    })?,
            )
        }
        None => None,
    };
    let content_type = sniff(&content).ok_or_else(|| {
        ApiError::new(ErrorCode::UnsupportedMediaType).with_message(
            "Chỉ nhận tệp PDF, ảnh (JPEG, PNG, WebP, HEIF) hoặc văn bản Office/OpenDocument.",
            "Only PDF, images (JPEG, PNG, WebP, HEIF) and Office/OpenDocument files are accepted.",
        )
    })?;
    let sha256 = sha256_hex(&content);
    let key = storage_key(&sha256);
    let size = i64::try_from(content.len()).map_err(ApiError::internal)?;
    state.files.put(&key, content.into()).await.map_err(ApiError::internal)?;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    if let Some(old) = &replaces {
        applications::supersede(&txn, old.clone()).await?;
    }
    let saved = applications::insert_document(
        &txn,
        applications::NewDocument {
            application_id: app.id,
            kind_id: kind.id,
            file_name: safe_file_name(&raw_name),
            content_type: content_type.to_owned(),
            size_bytes: size,
            sha256,
            storage_key: key,
            uploaded_by: Some(user.id()),
            carried_from_id: None,
        },
    )
    .await?;
    audit::record(&txn, &user.audit(), "document.upload", "document", saved.id, replaces.as_ref(), Some(&saved))
        .await?;
    txn.commit().await?;
    let kinds = HashMap::from([(kind.id, kind)]);
    Ok(HttpResponse::Created().json(document_dto(saved, &kinds)))
}

/// The multipart form of an upload.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"kind_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8ea0", "file": "(Phương án SXKD 2026.pdf)", "replaces": null}))]
#[allow(dead_code)]
pub struct UploadForm {
    kind_id: Uuid,
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    replaces: Option<Uuid>,
}

/// A document, once the caller's right to its dossier is checked.
async fn document_for(state: &AppState, user: &AuthUser, id: Uuid, need: Need) -> ApiResult<document::Model> {
    let doc = applications::find_document(&state.db, id).await?.ok_or_else(ApiError::not_found)?;
    guard::application(state, user, doc.application_id, need).await?;
    Ok(doc)
}

/// Download a document's file / Tải tệp tài liệu.
#[utoipa::path(operation_id = "download_document", tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Document id")), responses(
    (status = 200, description = "The file, with its sniffed type", content_type = "application/octet-stream", body = Vec<u8>),
))]
#[get("/documents/{id}/file")]
pub async fn download_file(state: web::Data<AppState>, user: AuthUser, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let doc = document_for(&state, &user, id.into_inner(), Need::Read).await?;
    private_download(&state.files, &doc.storage_key, doc.content_type, &doc.file_name).await
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"review": "needs_fix", "comment": "Thiếu kế hoạch tài chính 3 năm"}))]
pub struct ReviewInput {
    #[schema(schema_with = crate::schemas::review)]
    pub review: Review,
    /// Required when asking for a fix.
    #[validate(length(max = 2000))]
    pub comment: Option<String>,
}

/// Review a document / Thẩm định tài liệu (officers of the area).
#[utoipa::path(operation_id = "review_document", tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Document id")), request_body = ReviewInput, responses(
    (status = 200, description = "Reviewed / Đã thẩm định", body = Document),
    (status = 409, description = "The document was replaced / Tài liệu đã được thay", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/documents/{id}/review")]
pub async fn review(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<ReviewInput>,
) -> ApiResult<web::Json<Document>> {
    let body = body.0;
    body.validate()?;
    let doc = document_for(&state, &user, id.into_inner(), Need::Review).await?;
    if doc.superseded_at.is_some() {
        return Err(ApiError::conflict(
            "Tài liệu đã được thay bằng tệp mới.",
            "The document was replaced by a newer file.",
        ));
    }
    let comment = body.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned);
    if body.review == Review::NeedsFix && comment.is_none() {
        return Err(ApiError::invalid_field(
            "comment",
            "required",
            "Cần ghi rõ nội dung cần bổ sung.",
            "Say what needs fixing.",
        ));
    }
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let reviewed = applications::review_document(&txn, doc.clone(), body.review.as_str(), comment, user.id()).await?;
    audit::record(&txn, &user.audit(), "document.review", "document", reviewed.id, Some(&doc), Some(&reviewed)).await?;
    txn.commit().await?;
    let kinds = classifications::find_kind(&state.db, reviewed.kind_id).await?.into_iter().map(|k| (k.id, k)).collect();
    Ok(web::Json(document_dto(reviewed, &kinds)))
}
