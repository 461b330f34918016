//! Criteria sets (bộ tiêu chí): list, read, import; and the configured council levels.

use actix_web::{HttpResponse, get, post, web};
use ocop_domain::council::LevelRules;
use ocop_domain::criteria::CriteriaSet;
use ocop_persistence::{audit, criteria_sets};
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::dto::{CriteriaSetDetail, CriteriaSetSummary, criteria_set_summary};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::ApiJson;
use crate::state::AppState;

/// Criteria sets / Danh sách bộ tiêu chí.
#[utoipa::path(operation_id = "list_criteria_sets", tag = "scoring", security(("bearer" = [])), responses(
    (status = 200, description = "Every set, newest classification first", body = Vec<CriteriaSetSummary>),
))]
#[get("/criteria-sets")]
pub async fn list(state: web::Data<AppState>, _user: AuthUser) -> ApiResult<web::Json<Vec<CriteriaSetSummary>>> {
    let rows = criteria_sets::list(&state.db).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push(criteria_set_summary(row, &criteria_sets::parse(row)?));
    }
    Ok(web::Json(out))
}

/// One criteria set with its parts, sections, criteria and options / Chi tiết bộ tiêu chí.
#[utoipa::path(operation_id = "get_criteria_set", tag = "scoring", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Criteria set id")), responses(
    (status = 200, description = "The set", body = CriteriaSetDetail),
    (status = 404, description = "No such set", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[get("/criteria-sets/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    _user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<CriteriaSetDetail>> {
    let row = criteria_sets::find(&state.db, id.into_inner()).await?.ok_or_else(ApiError::not_found)?;
    let set = criteria_sets::parse(&row)?;
    Ok(web::Json(CriteriaSetDetail { summary: criteria_set_summary(&row, &set), set }))
}

/// Import a criteria set / Nhập bộ tiêu chí (admins).
///
/// The body is the set in the documented JSON format (README, "Criteria set format"): `code`,
/// `name`, `decision`, `classification_version`, `applies_to` (classification codes), and
/// `parts` A, B, C → `sections` → `criteria` (`code`, `text`, optional `minimum_points`) →
/// `options` (`code`, `text`, `points`). The set is checked before it is stored: the parts
/// add up to 100, each section's best options add up to its points and none exceeds it, codes
/// and options are unique. Every problem is reported at once, with its path. A stored set is
/// never changed: a corrected text is imported under a new code.
#[utoipa::path(operation_id = "import_criteria_set", tag = "scoring", security(("bearer" = [])),
    request_body(content = Object, description = "The set in its JSON format", example = json!({
        "code": "2023-1.3.1", "name": "Bộ tiêu chí nhóm thực phẩm chế biến", "decision": "148/QĐ-TTg ngày 24/02/2023",
        "classification_version": "2023", "applies_to": ["1.3"],
        "parts": [{"code": "A", "name": "Sản phẩm và sức mạnh cộng đồng", "points": 40, "sections": [{"code": "A1", "name": "Tổ chức sản xuất", "points": 40, "criteria": [
            {"code": "A1.1", "text": "Nguồn nguyên liệu", "minimum_points": 1, "options": [{"code": "a", "text": "Mua ngoài", "points": 0}, {"code": "b", "text": "Tại địa phương", "points": 40}]}]}]},
            {"code": "B", "name": "Khả năng tiếp thị", "points": 25, "sections": ["…"]},
            {"code": "C", "name": "Chất lượng sản phẩm", "points": 35, "sections": ["…"]}]
    })),
    responses(
        (status = 201, description = "Imported / Đã nhập", body = CriteriaSetDetail),
        (status = 409, description = "The code is taken / Mã đã tồn tại", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The set does not add up; one field error per problem / Bộ tiêu chí không hợp lệ", body = crate::error::Problem, content_type = "application/problem+json"),
    ))]
#[post("/criteria-sets")]
pub async fn import(state: web::Data<AppState>, user: AuthUser, body: ApiJson<CriteriaSet>) -> ApiResult<HttpResponse> {
    user.require_admin()?;
    let set = body.0;
    set.validate().map_err(|problems| {
        ApiError::invalid_fields(
            problems
                .into_iter()
                .map(|p| {
                    FieldError::new(
                        &p.path,
                        "criteria_set",
                        format!("Bộ tiêu chí không hợp lệ: {}", p.message),
                        p.message,
                    )
                })
                .collect(),
        )
    })?;
    if criteria_sets::find_by_code(&state.db, set.code.trim()).await?.is_some() {
        return Err(ApiError::already_exists(
            format!("Mã bộ tiêu chí {} đã tồn tại.", set.code),
            format!("The criteria set code {} is taken.", set.code),
        ));
    }
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let row = criteria_sets::insert(&txn, &set, Some(user.id())).await?;
    let dto = CriteriaSetDetail { summary: criteria_set_summary(&row, &set), set };
    audit::record::<(), _>(
        &txn,
        &user.audit(),
        "criteria_set.import",
        "criteria_set",
        row.id,
        None,
        Some(&dto.summary),
    )
    .await?;
    txn.commit().await?;
    Ok(HttpResponse::Created().insert_header(("Location", format!("/api/v1/criteria-sets/{}", row.id))).json(dto))
}

/// The configured council levels / Cấu hình các cấp hội đồng.
///
/// Which levels evaluate, in order; when a result goes on to the next level; which stars each
/// level recognises. A deployment sets this with `OCOP_COUNCIL_RULES` (`two_level_2025`,
/// `three_level_2019`, or its own rules as JSON).
#[utoipa::path(operation_id = "get_council_rules", tag = "scoring", security(("bearer" = [])), responses(
    (status = 200, description = "The rules", body = Object, example = json!({"name": "two_level_2025", "levels": [
        {"level": "province", "forward_from_points": 90, "forward_to": "national", "certifies": [3, 4]},
        {"level": "national", "certifies": [5, 5]}]})),
))]
#[get("/council-rules")]
pub async fn rules(state: web::Data<AppState>, _user: AuthUser) -> web::Json<LevelRules> {
    web::Json(state.council_rules.clone())
}
