//! Batches the caller may see, and one batch in detail.

use super::*;

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct BatchQuery {
    pub product_id: Option<Uuid>,
    #[validate(range(min = 1, max = 200))]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

fn visible(user: &AuthUser) -> ApiResult<traceability::BatchFilter> {
    let mut f = traceability::BatchFilter::default();
    match batch_visibility(&user.actor()) {
        Visibility::All => {}
        Visibility::Subject(s) => f.subject_id = Some(s),
        Visibility::Area(p) => f.within = Some(p),
        Visibility::Agenda(_) | Visibility::Nothing => return Err(ApiError::forbidden()),
    }
    Ok(f)
}

/// Batches / Lô sản xuất (producers: their own; officers: their area).
#[utoipa::path(operation_id = "list_batches", tag = "traceability", security(("bearer" = [])), params(BatchQuery), responses(
    (status = 200, description = "A page of batches, latest first", body = Page<Batch>),
))]
#[get("/batches")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<BatchQuery>,
) -> ApiResult<web::Json<Page<Batch>>> {
    query.validate()?;
    let mut filter = visible(&user)?;
    filter.product_id = query.product_id;
    let page = traceability::list_batches(&state.db, &filter, paging(query.limit, query.offset)?).await?;
    let mut items = Vec::with_capacity(page.items.len());
    for b in page.items {
        items.push(summary(&state, b).await?);
    }
    Ok(web::Json(Page { items, total: page.total }))
}

/// One batch with its record / Hồ sơ lô.
#[utoipa::path(operation_id = "get_batch", tag = "traceability", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Batch id")), responses(
    (status = 200, description = "The batch", body = BatchDetail),
    (status = 404, description = "No such batch (or not yours)", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[get("/batches/{id}")]
pub async fn get(state: web::Data<AppState>, user: AuthUser, id: web::Path<Uuid>) -> ApiResult<web::Json<BatchDetail>> {
    let b = readable(&state, &user, *id).await?;
    detail(&state, b).await.map(web::Json)
}
