//! The consumer's scan page (HTML) and the GS1 Digital Link that leads to it.

use super::*;

fn invalid() -> HttpResponse {
    HttpResponse::NotFound().content_type("text/html; charset=utf-8").body(html::invalid_page())
}

/// The consumer's scan page / Trang truy xuất khi quét tem (HTML, public).
#[utoipa::path(operation_id = "scan_page", tag = "traceability", params(("code" = String, Path, description = "Stamp code")), responses(
    (status = 200, description = "The page", content_type = "text/html", body = String),
    (status = 404, description = "\"This is not a valid stamp\" page", content_type = "text/html", body = String),
    (status = 429, description = "\"Too many look-ups\" page", content_type = "text/html", body = String),
))]
#[get("/t/{code}")]
pub async fn scan_page(state: web::Data<AppState>, req: HttpRequest, code: web::Path<String>) -> HttpResponse {
    match trace(&state, &req, &code).await {
        Ok(t) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(html::trace_page(&t.whole())),
        Err(e) if e.problem().status == 404 => invalid(),
        Err(e) if e.code == ErrorCode::TooManyRequests => HttpResponse::TooManyRequests()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::RETRY_AFTER, "60"))
            .body(html::too_many_page()),
        Err(e) => {
            tracing::error!(error = ?e.problem(), "scan page failed");
            HttpResponse::ServiceUnavailable().content_type("text/html; charset=utf-8").body(html::unavailable_page())
        }
    }
}

/// GS1 Digital Link / Đường dẫn GS1 Digital Link (public):
/// `/01/{gtin}/10/{lot}/21/{serial}`, where the serial (AI 21) is the stamp's own code, so
/// that what is printed on a package never lets anyone list the other stamps of its batch.
/// The GTIN may be given in its 8, 12, 13 or 14-digit form. Redirects to the stamp's page;
/// rate-limited per client like the page.
#[utoipa::path(operation_id = "digital_link", tag = "traceability", params(
    ("gtin" = String, Path, description = "GTIN of the product (8, 12, 13 or 14 digits)"), ("lot" = String, Path, description = "Batch (lot) code"), ("serial" = String, Path, description = "The stamp's code")), responses(
    (status = 302, description = "To /t/{code}"),
    (status = 404, description = "\"This is not a valid stamp\" page", content_type = "text/html", body = String),
    (status = 429, description = "Too many look-ups from this client", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[get("/01/{gtin}/10/{lot}/21/{serial}")]
pub async fn digital_link(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
) -> ApiResult<HttpResponse> {
    admit(&state, &req)?;
    let (gtin, lot, serial) = path.into_inner();
    let found = async {
        let gtin = Gtin::parse(&gtin).ok()?.gtin14();
        let code = stamp_code(parse_stamp_code(&serial)?);
        let stamp = traceability::find_stamp(&state.db, &code).await.ok()??;
        let batch = traceability::find_batch(&state.db, stamp.batch_id).await.ok()??;
        let product = products::find(&state.db, batch.product_id).await.ok()??;
        let product_gtin = Gtin::parse(product.gtin.as_deref()?).ok()?.gtin14();
        (stamp.voided_at.is_none() && batch.code == lot && product_gtin == gtin).then_some(code)
    }
    .await;
    Ok(match found {
        Some(code) => HttpResponse::Found().insert_header((header::LOCATION, format!("/t/{code}"))).finish(),
        None => invalid(),
    })
}
