//! Recording a batch (its inputs, lab tests and retained samples, its commissioning event) and
//! adding to it later.

use super::*;

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"product_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e93", "code": "L2026-11", "produced_on": "2026-11-20", "quantity": 500.0,
    "unit": "hộp", "expires_on": "2027-11-20", "standard": "TCCS 01:2024/HTX",
    "inputs": [{"material": "Hoa trà hoa vàng", "quantity": 50.0, "unit": "kg", "supplier": "Tổ hợp tác Làng Han"}],
    "lab_tests": [{"laboratory": "Trung tâm Kiểm nghiệm Quảng Ninh", "tested_on": "2026-11-22", "passed": true, "summary": "Đạt chỉ tiêu vi sinh, kim loại nặng"}],
    "samples": [{"kept_at": "Kho mẫu HTX", "kept_until": "2027-12-31", "quantity": "3 hộp"}]}))]
pub struct BatchInputBody {
    pub product_id: Uuid,
    #[validate(length(min = 1, max = 40))]
    pub code: String,
    pub produced_on: NaiveDate,
    #[validate(range(min = 0.0))]
    pub quantity: f64,
    #[validate(length(min = 1, max = 32))]
    pub unit: String,
    pub expires_on: Option<NaiveDate>,
    #[validate(length(min = 2, max = 200))]
    pub standard: String,
    #[serde(default)]
    #[validate(nested, length(max = 100))]
    pub inputs: Vec<BatchInput>,
    #[serde(default)]
    #[validate(nested, length(max = 50))]
    pub lab_tests: Vec<LabTest>,
    #[serde(default)]
    #[validate(nested, length(max = 50))]
    pub samples: Vec<RetainedSample>,
}

/// Each input's growing area must exist and be one the batch's producer may name
/// (`may_source_from`): 422 on the input otherwise.
async fn check_sources(state: &AppState, producer: Uuid, inputs: &[BatchInput]) -> ApiResult<()> {
    let ids: Vec<Uuid> = inputs.iter().filter_map(|i| i.growing_area_id).collect();
    let areas: HashMap<Uuid, (Uuid, bool)> = ocop_persistence::maps::find_growing_areas(&state.db, ids)
        .await?
        .into_iter()
        .map(|g| (g.id, (g.subject_id, g.published)))
        .collect();
    let mut errors = Vec::new();
    for (n, input) in inputs.iter().enumerate() {
        let Some(id) = input.growing_area_id else { continue };
        let field = format!("inputs[{n}].growing_area_id");
        match areas.get(&id) {
            Some((owner, published)) if may_source_from(producer, *owner, *published) => {}
            Some(_) => errors.push(FieldError::new(
                field,
                "not_usable",
                "Vùng trồng này không thuộc chủ thể và chưa được công bố.",
                "This growing area is neither the producer's nor published.",
            )),
            None => {
                errors.push(FieldError::new(field, "not_found", "Không có vùng trồng này.", "No such growing area."))
            }
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(ApiError::invalid_fields(errors)) }
}

fn input_row(batch_id: Uuid, i: BatchInput) -> batch_input::Model {
    batch_input::Model {
        id: ocop_persistence::new_id(),
        batch_id,
        material: i.material.trim().to_owned(),
        quantity: i.quantity,
        unit: i.unit.trim().to_owned(),
        supplier: i.supplier.trim().to_owned(),
        origin_commune_id: i.origin_commune_id,
        growing_area_id: i.growing_area_id,
        created_at: Utc::now(),
    }
}

fn test_row(batch_id: Uuid, t: LabTest) -> lab_test::Model {
    lab_test::Model {
        id: ocop_persistence::new_id(),
        batch_id,
        laboratory: t.laboratory.trim().to_owned(),
        tested_on: t.tested_on,
        passed: t.passed,
        summary: t.summary.trim().to_owned(),
        report_number: t.report_number.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty()),
        report_name: None,
        report_type: None,
        report_sha256: None,
        created_at: Utc::now(),
    }
}

fn sample_row(batch_id: Uuid, s: RetainedSample) -> retained_sample::Model {
    retained_sample::Model {
        id: ocop_persistence::new_id(),
        batch_id,
        kept_at: s.kept_at.trim().to_owned(),
        kept_until: s.kept_until,
        quantity: s.quantity.trim().to_owned(),
        created_at: Utc::now(),
    }
}

/// Record a batch / Tạo hồ sơ lô (the producer of the product, or an admin).
///
/// Its commissioning is recorded as an EPCIS `ObjectEvent` (`ADD`, `commissioning`) naming the
/// lot by its URL, the first step of the batch's timeline.
#[utoipa::path(operation_id = "create_batch", tag = "traceability", security(("bearer" = [])), request_body = BatchInputBody, responses(
    (status = 201, description = "Created / Đã tạo", body = BatchDetail),
    (status = 409, description = "The product already has a batch with this code", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/batches")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ApiJson<BatchInputBody>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    body.validate()?;
    let product = products::find(&state.db, body.product_id).await?.ok_or_else(|| {
        ApiError::invalid_field("product_id", "not_found", "Không tìm thấy sản phẩm.", "No such product.")
    })?;
    check_keep_batch(&user.actor(), Owner { subject_id: product.subject_id, area_path: &product.area_path })?;
    check_sources(&state, product.subject_id, &body.inputs).await?;
    if body.expires_on.is_some_and(|e| e < body.produced_on) {
        return Err(ApiError::invalid_field(
            "expires_on",
            "before_production",
            "Hạn sử dụng không được trước ngày sản xuất.",
            "Expiry before production.",
        ));
    }
    let code = body.code.trim().to_owned();
    if traceability::find_batch_by_code(&state.db, product.id, &code).await?.is_some() {
        return Err(ApiError::already_exists(
            "Sản phẩm đã có lô mang số này.",
            "The product already has a batch with this code.",
        ));
    }
    let now = Utc::now();
    let row = batch::Model {
        id: ocop_persistence::new_id(),
        product_id: product.id,
        subject_id: product.subject_id,
        area_path: product.area_path.clone(),
        code,
        produced_on: body.produced_on,
        quantity: body.quantity,
        unit: body.unit.trim().to_owned(),
        expires_on: body.expires_on,
        standard: body.standard.trim().to_owned(),
        next_serial: 1,
        created_at: now,
        updated_at: now,
    };
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let saved = traceability::insert_batch(&txn, row).await?;
    for i in body.inputs {
        traceability::add_input(&txn, input_row(saved.id, i)).await?;
    }
    for t in body.lab_tests {
        traceability::add_lab_test(&txn, test_row(saved.id, t)).await?;
    }
    for s in body.samples {
        traceability::add_sample(&txn, sample_row(saved.id, s)).await?;
    }
    let lot = crate::links::lot_uri(&state.public_base_url, saved.id);
    let event = ocop_domain::traceability::commissioning(
        &lot,
        &saved.code,
        saved.produced_on,
        saved.quantity,
        &saved.unit,
        saved.expires_on,
    );
    traceability::insert_event(
        &txn,
        epcis_event::Model {
            id: ocop_persistence::new_id(),
            event_id: format!("{}/events/{}", state.public_base_url, saved.id),
            event_type: "ObjectEvent".into(),
            event_time: event.event_time,
            biz_step: Some("commissioning".into()),
            body: event.body.to_string(),
            subject_id: Some(saved.subject_id),
            area_path: Some(saved.area_path.clone()),
            capture_id: None,
            recorded_at: now,
        },
        &[lot],
    )
    .await?;
    audit::record::<(), _>(&txn, &user.audit(), "batch.create", "batch", saved.id, None, Some(&saved)).await?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(detail(&state, saved).await?))
}

/// What to add to a batch's record.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"lab_tests": [{"laboratory": "Trung tâm Kiểm nghiệm Quảng Ninh", "tested_on": "2026-11-25", "passed": true, "summary": "Tái kiểm: đạt"}]}))]
pub struct BatchAdditions {
    #[serde(default)]
    #[validate(nested, length(max = 100))]
    pub inputs: Vec<BatchInput>,
    #[serde(default)]
    #[validate(nested, length(max = 50))]
    pub lab_tests: Vec<LabTest>,
    #[serde(default)]
    #[validate(nested, length(max = 50))]
    pub samples: Vec<RetainedSample>,
}

/// Add inputs, lab tests or retained samples / Bổ sung hồ sơ lô.
#[utoipa::path(operation_id = "add_to_batch", tag = "traceability", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Batch id")), request_body = BatchAdditions, responses(
    (status = 200, description = "The batch", body = BatchDetail),
))]
#[post("/batches/{id}/record")]
pub async fn add(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<BatchAdditions>,
) -> ApiResult<web::Json<BatchDetail>> {
    let body = body.0;
    body.validate()?;
    let b = kept(&state, &user, *id).await?;
    check_sources(&state, b.subject_id, &body.inputs).await?;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    for i in body.inputs {
        let row = traceability::add_input(&txn, input_row(b.id, i)).await?;
        audit::record::<(), _>(&txn, &user.audit(), "batch.add_input", "batch", b.id, None, Some(&row)).await?;
    }
    for t in body.lab_tests {
        let row = traceability::add_lab_test(&txn, test_row(b.id, t)).await?;
        audit::record::<(), _>(&txn, &user.audit(), "batch.add_lab_test", "batch", b.id, None, Some(&row)).await?;
    }
    for s in body.samples {
        let row = traceability::add_sample(&txn, sample_row(b.id, s)).await?;
        audit::record::<(), _>(&txn, &user.audit(), "batch.add_sample", "batch", b.id, None, Some(&row)).await?;
    }
    txn.commit().await?;
    state.trace_cache.forget(b.id);
    detail(&state, b).await.map(web::Json)
}
