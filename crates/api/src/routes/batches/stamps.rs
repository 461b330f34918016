//! A batch's e-stamps: issuing them (a background job), downloading sheets and code lists,
//! voiding ranges.

use super::*;

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"count": 100}))]
pub struct IssueStamps {
    /// 1 to 1,000,000.
    #[validate(range(min = 1, max = 1_000_000))]
    pub count: u32,
}

/// Issue stamps / Phát hành tem (the producer or an admin): 202 and a job.
///
/// Codes are 64 random bits in 13 base-32 symbols and a check symbol, unique and never reused;
/// serials follow on from the batch's earlier stamps. Follow the job at `/stamp-jobs/{id}`.
#[utoipa::path(operation_id = "issue_stamps", tag = "traceability", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Batch id")), request_body = IssueStamps, responses(
    (status = 202, description = "Accepted: the job", body = StampJob),
    (status = 429, description = "The subject's issuing jobs are still running / Đang phát hành", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/batches/{id}/stamps")]
pub async fn issue(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<IssueStamps>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    body.validate()?;
    debug_assert!(body.count <= MAX_STAMPS_PER_JOB);
    let b = kept(&state, &user, *id).await?;
    let count = i64::from(body.count);
    check_quota(&state, &b, u64::from(body.count)).await?;
    let first = traceability::reserve_serials(&state.db, b.id, count).await?;
    let created = traceability::insert_job(
        &state.db,
        stamp_job::Model {
            id: ocop_persistence::new_id(),
            batch_id: b.id,
            requested: i32::try_from(body.count).unwrap_or(i32::MAX),
            issued: 0,
            first_serial: first,
            status: ocop_domain::traceability::JobStatus::Running.as_str().into(),
            error: None,
            created_by: Some(user.id()),
            created_at: Utc::now(),
            finished_at: None,
            locked_until: None,
        },
    )
    .await?;
    audit::record::<(), _>(&state.db, &user.audit(), "stamps.issue", "batch", b.id, None, Some(&created)).await?;
    // The stamp-jobs worker issues them (and takes them up again after a restart).
    state.wake.stamp_jobs.notify_one();
    let job_id = created.id;
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, format!("/api/v1/stamp-jobs/{job_id}")))
        .json(StampJob::from(created)))
}

/// A subject may hold `OCOP_STAMP_MAX_LIVE` stamps in circulation and run
/// `OCOP_STAMP_MAX_RUNNING_JOBS` issuing jobs at once.
async fn check_quota(state: &AppState, b: &batch::Model, count: u64) -> ApiResult<()> {
    let product = products::find(&state.db, b.product_id).await?.ok_or_else(ApiError::not_found)?;
    let (live, running) = traceability::stamp_load(&state.db, product.subject_id).await?;
    let quota = state.stamp_quota;
    if running >= quota.max_running_jobs {
        return Err(ApiError::new(ErrorCode::TooManyRequests)
            .with_message(
                format!("Đang có {running} lượt phát hành tem chưa xong (tối đa OCOP_STAMP_MAX_RUNNING_JOBS = {}); hãy chờ.", quota.max_running_jobs),
                format!("{running} stamp jobs are still running (at most OCOP_STAMP_MAX_RUNNING_JOBS = {}); wait for them.", quota.max_running_jobs),
            )
            .retry_after(10));
    }
    if live.saturating_add(count) > quota.max_live {
        return Err(ApiError::invalid_field(
            "count",
            "OCOP_STAMP_MAX_LIVE",
            format!("Chủ thể đã có {live} tem đang lưu hành; tối đa {} (OCOP_STAMP_MAX_LIVE).", quota.max_live),
            format!("The subject has {live} stamps in circulation; at most {} (OCOP_STAMP_MAX_LIVE).", quota.max_live),
        ));
    }
    Ok(())
}

/// A stamp job's progress / Tiến độ phát hành tem.
#[utoipa::path(operation_id = "get_stamp_job", tag = "traceability", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Job id")), responses(
    (status = 200, description = "The job", body = StampJob),
))]
#[get("/stamp-jobs/{id}")]
pub async fn job(state: web::Data<AppState>, user: AuthUser, id: web::Path<Uuid>) -> ApiResult<web::Json<StampJob>> {
    let j = traceability::find_job(&state.db, *id).await?.ok_or_else(ApiError::not_found)?;
    readable(&state, &user, j.batch_id).await?;
    Ok(web::Json(j.into()))
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct StampRange {
    /// First serial (default 1).
    #[validate(range(min = 1, max = 1_000_000_000_000_i64))]
    pub from: Option<i64>,
    /// Last serial (default: as many as one download allows).
    #[validate(range(min = 1, max = 1_000_000_000_000_i64))]
    pub to: Option<i64>,
    /// `csv` (default), `svg` or `pdf` (printable sheets with QR codes, at most 1,000 stamps).
    #[validate(length(max = 8))]
    pub format: Option<String>,
}

/// Download stamps / Tải tem: the code list (CSV) or printable sheets (SVG, PDF).
#[utoipa::path(operation_id = "download_stamps", tag = "traceability", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Batch id"), StampRange), responses(
    (status = 200, description = "The file", content(
        (String = "text/csv"), (String = "image/svg+xml"), (Vec<u8> = "application/pdf"),
    )),
))]
#[get("/batches/{id}/stamps")]
pub async fn download(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    range: web::Query<StampRange>,
) -> ApiResult<HttpResponse> {
    range.validate()?;
    let b = kept(&state, &user, *id).await?;
    let format = range.format.as_deref().unwrap_or("csv");
    let cap = if format == "csv" { 1_000_000 } else { 1_000 };
    let from = range.from.unwrap_or(1).max(1);
    let to = range.to.unwrap_or(from + cap - 1).min(from + cap - 1);
    let gtin = products::find(&state.db, b.product_id).await?.and_then(|p| p.gtin);
    let name = format!("tem-{}-{from}-{to}", b.code.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_"));
    if format == "csv" {
        return Ok(HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
            .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.csv\"")))
            .streaming(code_list(state.into_inner(), b, gtin, from, to)));
    }
    let rows = traceability::stamps(&state.db, b.id, from, to).await?;
    let url = |code: &str| crate::links::stamp_url(&state.public_base_url, gtin.as_deref(), &b.code, code);
    match format {
        "svg" | "pdf" => {
            let stamps: Vec<(String, String)> =
                rows.iter().filter(|s| s.voided_at.is_none()).map(|s| (url(&s.code), printed_code(&s.code))).collect();
            if format == "svg" {
                let svg = state.heavy.run(move || crate::pdf::stamp_sheet_svg(&stamps)).await?;
                Ok(file(svg.into_bytes(), "image/svg+xml", &format!("{name}.svg")))
            } else {
                let pdf =
                    state.heavy.run(move || crate::pdf::stamp_sheets(&stamps)).await?.map_err(ApiError::internal)?;
                Ok(file(pdf, "application/pdf", &format!("{name}.pdf")))
            }
        }
        _ => Err(ApiError::invalid_field(
            "format",
            "format",
            "Định dạng: csv, svg hoặc pdf.",
            "Format: csv, svg or pdf.",
        )),
    }
}

/// Stamps read and sent as CSV a page at a time, so a list of a million codes never sits in
/// memory whole.
fn code_list(
    state: std::sync::Arc<AppState>,
    b: batch::Model,
    gtin: Option<String>,
    from: i64,
    to: i64,
) -> impl futures_util::Stream<Item = Result<bytes::Bytes, actix_web::Error>> {
    const PAGE: i64 = 10_000;
    let header = futures_util::stream::once(async {
        Ok(bytes::Bytes::from_static("\u{feff}serial,code,printed,url,status\n".as_bytes()))
    });
    let pages = futures_util::stream::unfold(Some(from), move |next| {
        let (state, b, gtin) = (state.clone(), b.clone(), gtin.clone());
        async move {
            let start = next.filter(|s| *s <= to)?;
            let end = start.saturating_add(PAGE - 1).min(to);
            let page = match traceability::stamps(&state.db, b.id, start, end).await {
                Ok(rows) => rows,
                Err(e) => return Some((Err(ApiError::from(e).into()), None)),
            };
            let mut out = String::with_capacity(page.len() * 120);
            for s in &page {
                out.push_str(&format!(
                    "{},{},{},{},{}\n",
                    s.serial,
                    s.code,
                    printed_code(&s.code),
                    crate::links::stamp_url(&state.public_base_url, gtin.as_deref(), &b.code, &s.code),
                    if s.voided_at.is_some() { "voided" } else { "valid" }
                ));
            }
            Some((Ok(bytes::Bytes::from(out)), (end < to).then(|| end + 1)))
        }
    });
    futures_util::StreamExt::chain(header, pages)
}

fn file(body: Vec<u8>, content_type: &str, name: &str) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type.to_owned()))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")))
        .body(body)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"from": 501, "to": 600, "reason": "Mất cuộn tem"}))]
pub struct VoidRange {
    pub from: i64,
    pub to: i64,
    #[validate(length(min = 3, max = 300))]
    pub reason: String,
}

/// How many stamps a request changed.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"voided": 100}))]
pub struct Voided {
    pub voided: u64,
}

/// Void a range of stamps (a lost roll) / Hủy dải tem: their codes then show as invalid.
#[utoipa::path(operation_id = "void_stamps", tag = "traceability", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Batch id")), request_body = VoidRange, responses(
    (status = 200, description = "Voided", body = Voided),
))]
#[post("/batches/{id}/stamps/void")]
pub async fn void(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<VoidRange>,
) -> ApiResult<web::Json<Voided>> {
    let body = body.0;
    body.validate()?;
    if body.from < 1 || body.to < body.from {
        return Err(ApiError::invalid_field(
            "to",
            "range",
            "Dải số sê-ri không hợp lệ.",
            "Serials from 1, and `to` not before `from`.",
        ));
    }
    let b = kept(&state, &user, *id).await?;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let voided = traceability::void_range(&txn, b.id, body.from, body.to).await?;
    audit::record::<(), _>(
        &txn,
        &user.audit(),
        "stamps.void",
        "batch",
        b.id,
        None,
        Some(&serde_json::json!({"from": body.from, "to": body.to, "reason": body.reason, "voided": voided})),
    )
    .await?;
    txn.commit().await?;
    state.stamp_cache.forget_batch(b.id);
    Ok(web::Json(Voided { voided }))
}
