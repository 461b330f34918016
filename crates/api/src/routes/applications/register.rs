//! Registering a product idea in a cycle, carrying forward the dossier of an earlier year.

use super::*;

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"cycle_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8eb0", "product_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e90", "note": "Đăng ký sản phẩm mới"}))]
pub struct RegisterIdea {
    pub cycle_id: Uuid,
    pub product_id: Uuid,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

/// Register a product idea in a cycle / Đăng ký ý tưởng sản phẩm.
///
/// If the product took part in an earlier cycle (renewal or upgrade), its last dossier is
/// carried forward as a new version: the documents are reused without uploading them again,
/// and await review anew.
#[utoipa::path(operation_id = "register_application", tag = "applications", security(("bearer" = [])), request_body = RegisterIdea, responses(
    (status = 201, description = "Registered / Đã đăng ký", body = ApplicationDetail),
    (status = 409, description = "Already registered in this cycle / Đã đăng ký trong chu trình", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/applications")]
pub async fn register(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ApiJson<RegisterIdea>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    body.validate()?;
    let product = guard::product(&state, &user, body.product_id, Need::Manage).await?;
    if product.status == ocop_domain::product::ProductStatus::Discontinued.as_str() {
        return Err(ApiError::conflict(
            "Sản phẩm đã ngừng sản xuất, không thể đăng ký vào chu trình.",
            "A discontinued product cannot join a cycle.",
        ));
    }
    let cycle = cycles::find(&state.db, body.cycle_id).await?.ok_or_else(|| {
        ApiError::invalid_field("cycle_id", "not_found", "Không tìm thấy chu trình.", "The cycle does not exist.")
    })?;
    if applications::find_for(&state.db, cycle.id, product.id).await?.is_some() {
        return Err(ApiError::already_exists(
            "Sản phẩm đã được đăng ký trong chu trình này.",
            "The product is already registered in this cycle.",
        ));
    }
    let previous = applications::latest_for_product(&state.db, product.id).await?;
    let status = ApplicationStatus::IdeaRegistered;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let created = applications::insert(
        &txn,
        applications::NewApplication {
            cycle_id: cycle.id,
            product: product.clone(),
            status: status.as_str().to_owned(),
            stage: status.stage().as_str().to_owned(),
            dossier_version: previous.as_ref().map_or(1, |p| p.dossier_version + 1),
            previous_application_id: previous.as_ref().map(|p| p.id),
        },
    )
    .await?;
    let carried = match &previous {
        Some(prev) => carry_forward(&txn, prev, &created, cycle.classification_version_id).await?,
        None => 0,
    };
    applications::record_event(
        &txn,
        applications::NewEvent {
            application_id: created.id,
            action: "register",
            from_status: None,
            to_status: status.as_str(),
            note: body.note.filter(|n| !n.trim().is_empty()),
            actor_id: Some(user.id()),
            actor_name: Some(user.user.display_name.clone()),
        },
    )
    .await?;
    let after = serde_json::json!({ "application": &created, "carried_documents": carried });
    audit::record::<(), _>(&txn, &user.audit(), "application.register", "application", created.id, None, Some(&after))
        .await?;
    txn.commit().await?;
    let detail = detail(&state, &user, created).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/applications/{}", detail.application.id)))
        .json(detail))
}

/// Copies the previous dossier's current documents into the new one (kinds matched by code in
/// the new cycle's classification); the stored files are shared.
async fn carry_forward(
    db: &impl ocop_persistence::ConnectionTrait,
    previous: &application::Model,
    created: &application::Model,
    version_id: Uuid,
) -> ApiResult<usize> {
    let old_cycle = cycles::find(db, previous.cycle_id).await?.ok_or_else(|| ApiError::internal("cycle missing"))?;
    let old_kinds: HashMap<Uuid, String> = classifications::kinds(db, old_cycle.classification_version_id)
        .await?
        .into_iter()
        .map(|k| (k.id, k.code))
        .collect();
    let new_kinds: HashMap<String, Uuid> =
        classifications::kinds(db, version_id).await?.into_iter().map(|k| (k.code, k.id)).collect();
    let mut carried = 0;
    for doc in applications::current_documents(db, previous.id).await? {
        let Some(kind_id) = old_kinds.get(&doc.kind_id).and_then(|code| new_kinds.get(code)) else { continue };
        applications::insert_document(
            db,
            applications::NewDocument {
                application_id: created.id,
                kind_id: *kind_id,
                file_name: doc.file_name,
                content_type: doc.content_type,
                size_bytes: doc.size_bytes,
                sha256: doc.sha256,
                storage_key: doc.storage_key,
                uploaded_by: doc.uploaded_by,
                carried_from_id: Some(doc.id),
            },
        )
        .await?;
        carried += 1;
    }
    Ok(carried)
}
