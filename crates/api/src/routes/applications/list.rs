//! Lists of applications: the cycle board, exports, the overdue list of the progress dashboard.

use super::*;

/// List applications (the cycle board) / Danh sách hồ sơ tham gia chu trình.
///
/// Ordered by how long they have waited in their current state.
#[utoipa::path(operation_id = "list_applications", tag = "applications", security(("bearer" = [])), params(ListQuery), responses(
    (status = 200, description = "A page of applications", body = Page<Application>),
))]
#[get("/applications")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ListQuery>,
) -> ApiResult<web::Json<Page<Application>>> {
    Ok(web::Json(page(&state, &user, &query).await?))
}

/// Export the filtered applications / Xuất danh sách hồ sơ (.xlsx or .csv).
#[utoipa::path(operation_id = "export_applications", tag = "applications", security(("bearer" = [])), params(ListQuery), responses(
    (status = 200, description = "The spreadsheet", content(
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (String = "text/csv"),
        (Vec<u8> = "application/pdf"),
    )),
))]
#[get("/applications/export")]
pub async fn export(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ListQuery>,
) -> ApiResult<HttpResponse> {
    query.validate()?;
    let filter = filter(&state, &user, &query).await?;
    let page = applications::list(&state.db, &filter, EXPORT_ROWS).await?;
    let context = Context::load(&state, &user, &page.items).await?;
    let rows = page
        .items
        .into_iter()
        .map(|a| {
            let a = context.application(a);
            let stage = a.stage.parse::<Stage>().map(Stage::label_vi).unwrap_or_default();
            vec![
                Cell::from(a.product.as_ref().map(|p| p.code.clone())),
                a.product.map(|p| p.name).into(),
                stage.into(),
                a.status.into(),
                a.dossier_version.into(),
                a.status_changed_at.format("%d/%m/%Y").to_string().into(),
                a.deadline.map(|d| d.format("%d/%m/%Y").to_string()).into(),
                if a.overdue { "Quá hạn" } else { "" }.into(),
            ]
        })
        .collect();
    let headers: &[&str] =
        &["Mã sản phẩm", "Tên sản phẩm", "Bước", "Trạng thái", "Phiên bản hồ sơ", "Ngày chuyển bước", "Hạn", "Quá hạn"];
    download(&state.heavy, Table { sheet: "Hồ sơ", headers, rows }, query.format.unwrap_or_default(), "ho-so").await
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct OverdueQuery {
    pub cycle_id: Uuid,
    pub area_id: Option<Uuid>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// Applications past the deadline of their current stage / Hồ sơ quá hạn.
#[utoipa::path(operation_id = "progress_overdue", tag = "progress", security(("bearer" = [])), params(OverdueQuery), responses(
    (status = 200, description = "A page of overdue applications, longest waiting first", body = Page<Application>),
))]
#[get("/progress/overdue")]
pub async fn overdue_list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<OverdueQuery>,
) -> ApiResult<web::Json<Page<Application>>> {
    let overdue = ListQuery {
        cycle_id: Some(query.cycle_id),
        status: None,
        stage: None,
        area_id: query.area_id,
        subject_id: None,
        product_id: None,
        group: None,
        q: None,
        overdue: Some(true),
        awaiting_review: None,
        limit: query.limit,
        offset: query.offset,
        format: None,
    };
    Ok(web::Json(page(&state, &user, &overdue).await?))
}
