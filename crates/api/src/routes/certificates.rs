//! OCOP certificates: issued from a finalized result of 3★ and above, valid 36 months, revoked
//! with a reason, superseded by a later certificate of the same product; and a product's
//! evaluation (star) history.

use std::collections::HashMap;

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use ocop_domain::access::{Owner, check_certify, check_read_registry, registry_visibility};
use ocop_domain::calendar::vietnam_day;
use ocop_domain::council::{
    CertificateStatus, CouncilLevel, Decision, EXPIRY_WARNING_DAYS, certificate_number, certificate_number_prefix,
    valid_until,
};
use ocop_domain::cycle::{Action, ApplicationStatus};
use ocop_domain::product::ProductStatus;
use ocop_domain::scoring::{Centipoints, Star};
use ocop_domain::session::ItemStatus;
use ocop_persistence::entities::{certificate, product};
use ocop_persistence::{admin_units, applications, audit, certificates, councils, products, subjects};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::dto::ProductRef;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::guard::{self, Need};
use crate::paging::{Page, paging};

use crate::state::AppState;
use crate::webhooks::{self, ListingChange};

fn today() -> NaiveDate {
    vietnam_day(Utc::now())
}

/// A certificate.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8f01", "number": "OCOP-22-2026-00001",
    "product": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e90", "code": "22-000-06688-001-2026", "name": "Chả mực Hạ Long"},
    "subject_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e60", "subject_name": "Hợp tác xã Chả mực Hạ Long", "star": 4, "score": 72.67,
    "level": "province", "issuing_body": "Ủy ban nhân dân tỉnh Quảng Ninh", "decision_number": "3456/QĐ-UBND", "decision_date": "2026-11-22",
    "valid_from": "2026-11-22", "valid_until": "2029-11-22", "status": "active", "days_left": 1096, "expiring_soon": false,
    "revoked_reason": null, "superseded_by": null, "application_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8ec0", "item_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d31",
    "created_at": "2026-11-22T08:00:00Z"}))]
pub struct Certificate {
    pub id: Uuid,
    pub number: String,
    pub product: Option<ProductRef>,
    pub subject_id: Uuid,
    pub subject_name: Option<String>,
    pub star: i16,
    pub score: f64,
    #[schema(schema_with = crate::schemas::council_level)]
    pub level: String,
    pub issuing_body: String,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    /// As of today: expiry is derived from `valid_until`.
    #[schema(schema_with = crate::schemas::certificate_status)]
    pub status: String,
    /// Days until expiry (negative once expired).
    pub days_left: i64,
    /// Active and expiring within 90 days.
    pub expiring_soon: bool,
    pub revoked_reason: Option<String>,
    pub superseded_by: Option<Uuid>,
    pub application_id: Uuid,
    pub item_id: Uuid,
    pub created_at: DateTime<Utc>,
}

async fn dtos(state: &AppState, rows: Vec<certificate::Model>) -> ApiResult<Vec<Certificate>> {
    let products: HashMap<Uuid, product::Model> =
        products::find_many(&state.db, rows.iter().map(|c| c.product_id).collect())
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
    let subjects: HashMap<Uuid, String> = subjects::find_many(&state.db, rows.iter().map(|c| c.subject_id).collect())
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let today = today();
    Ok(rows
        .into_iter()
        .map(|c| {
            let stored = c.status.parse().unwrap_or(CertificateStatus::Active);
            let status = CertificateStatus::on(stored, c.valid_until, today);
            let days_left = (c.valid_until - today).num_days();
            Certificate {
                product: products.get(&c.product_id).map(|p| ProductRef {
                    id: p.id,
                    code: p.code.clone(),
                    name: p.name.clone(),
                }),
                subject_name: subjects.get(&c.subject_id).cloned(),
                score: Centipoints(u32::try_from(c.score_centi).unwrap_or(0)).as_points(),
                status: status.as_str().to_owned(),
                expiring_soon: status == CertificateStatus::Active && days_left <= EXPIRY_WARNING_DAYS,
                days_left,
                id: c.id,
                number: c.number,
                subject_id: c.subject_id,
                star: c.star,
                level: c.level,
                issuing_body: c.issuing_body,
                decision_number: c.decision_number,
                decision_date: c.decision_date,
                valid_from: c.valid_from,
                valid_until: c.valid_until,
                revoked_reason: c.revoked_reason,
                superseded_by: c.superseded_by,
                application_id: c.application_id,
                item_id: c.item_id,
                created_at: c.created_at,
            }
        })
        .collect())
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    pub product_id: Option<Uuid>,
    /// Only certificates of products made inside this unit.
    pub area_id: Option<Uuid>,
    #[validate(range(min = 3, max = 5))]
    pub star: Option<i16>,
    /// `active`, `expired`, `revoked` or `superseded` (as of today).
    #[param(schema_with = crate::schemas::certificate_status)]
    pub status: Option<CertificateStatus>,
    /// Only active certificates expiring within this many days (90 for the warning list).
    #[validate(range(min = 1, max = 3650))]
    pub expiring_within_days: Option<i64>,
    #[validate(range(min = 1, max = 200))]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// Certificates / Danh sách giấy chứng nhận OCOP.
///
/// Officers see their area, producers their own products. With `expiring_within_days=90`:
/// the certificates to renew, soonest first.
#[utoipa::path(operation_id = "list_certificates", tag = "certificates", security(("bearer" = [])), params(ListQuery), responses(
    (status = 200, description = "A page of certificates", body = Page<Certificate>),
))]
#[get("/certificates")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ListQuery>,
) -> ApiResult<web::Json<Page<Certificate>>> {
    query.validate()?;
    let area_path = crate::areas::area_path(&state, query.area_id).await?;
    let today = today();
    let filter = certificates::Filter {
        visibility: registry_visibility(&user.actor()),
        product_id: query.product_id,
        area_path,
        star: query.star,
        status: query.status.map(|s| s.as_str().to_owned()),
        expiring_by: query.expiring_within_days.map(|d| today + chrono::Duration::days(d)),
        today,
    };
    let page = certificates::list(&state.db, &filter, paging(query.limit, query.offset)?).await?;
    Ok(web::Json(Page { total: page.total, items: dtos(&state, page.items).await? }))
}

/// One certificate (printable) / Giấy chứng nhận.
#[utoipa::path(operation_id = "get_certificate", tag = "certificates", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Certificate id")), responses(
    (status = 200, description = "The certificate", body = Certificate),
    (status = 404, description = "No such certificate", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[get("/certificates/{id}")]
pub async fn get(state: web::Data<AppState>, user: AuthUser, id: web::Path<Uuid>) -> ApiResult<web::Json<Certificate>> {
    let found = certificates::find(&state.db, id.into_inner()).await?.ok_or_else(ApiError::not_found)?;
    check_read_registry(&user.actor(), Owner { subject_id: found.subject_id, area_path: &found.area_path })?;
    let mut out = dtos(&state, vec![found]).await?;
    out.pop().map(web::Json).ok_or_else(ApiError::not_found)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"item_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d31", "decision_number": "3456/QĐ-UBND", "decision_date": "2026-11-22",
    "issuing_body": "Ủy ban nhân dân tỉnh Quảng Ninh"}))]
pub struct IssueCertificate {
    /// The finalized result (a product on a session) the certificate recognises.
    pub item_id: Uuid,
    /// The recognition decision (quyết định công nhận).
    #[validate(length(min = 1, max = 64))]
    pub decision_number: String,
    pub decision_date: NaiveDate,
    #[validate(length(min = 3, max = 300))]
    pub issuing_body: String,
}

/// Issue a certificate / Cấp giấy chứng nhận (admins, province officers).
///
/// From a finalized result ranked at a level that recognises its star (3★ and above). Valid
/// 36 months from the decision date. A product's earlier active certificate is superseded.
#[utoipa::path(operation_id = "issue_certificate", tag = "certificates", security(("bearer" = [])), request_body = IssueCertificate, responses(
    (status = 201, description = "Issued / Đã cấp", body = Certificate),
    (status = 409, description = "Not finalized, not certifiable here, or already issued / Không thể cấp", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/certificates")]
pub async fn issue(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ApiJson<IssueCertificate>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    body.validate()?;
    check_certify(&user.actor())?;
    let item = councils::find_item(&state.db, body.item_id).await?.ok_or_else(|| {
        ApiError::invalid_field(
            "item_id",
            "not_found",
            "Không tìm thấy kết quả đánh giá.",
            "No such evaluation result.",
        )
    })?;
    let finalized = item.status.parse() == Ok(ItemStatus::Finalized);
    if !finalized || item.decision.as_deref().map(str::parse) != Some(Ok(Decision::Ranked)) {
        return Err(ApiError::conflict(
            "Kết quả chưa được chốt xếp hạng tại cấp này.",
            "The result is not finalized as ranked at this level.",
        ));
    }
    let level: CouncilLevel = item.level.parse().map_err(ApiError::internal)?;
    let star = item.star.and_then(|s| u8::try_from(s).ok()).map(Star);
    let Some(star) = star.filter(|s| state.council_rules.certifies(level, *s)) else {
        return Err(ApiError::conflict(
            format!(
                "Kết quả {} không được công nhận ở {}.",
                item.star.map_or("không xếp hạng".to_owned(), |s| format!("{s} sao")),
                level.label_vi().to_lowercase()
            ),
            format!(
                "This result is not recognised at the {} level (3★ and above, within the level's stars).",
                level.as_str()
            ),
        ));
    };
    if certificates::find_by_item(&state.db, item.id).await?.is_some() {
        return Err(ApiError::conflict(
            "Đã cấp giấy chứng nhận cho kết quả này.",
            "A certificate was already issued for this result.",
        ));
    }
    let app = applications::find(&state.db, item.application_id).await?.ok_or_else(ApiError::not_found)?;
    let found = products::find(&state.db, item.product_id).await?.ok_or_else(ApiError::not_found)?;
    let province = admin_units::root(&state.db).await?.map_or_else(|| "00".to_owned(), |u| u.code);
    let prefix = certificate_number_prefix(&province, body.decision_date.year());
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let listed_before = certificates::in_force(&txn, vec![found.id], today()).await?.first().map(|c| c.star);
    let seq = certificates::count_numbered(&txn, &prefix).await? + 1;
    let created = certificates::insert(
        &txn,
        certificates::NewCertificate {
            number: certificate_number(&prefix, seq),
            product_id: found.id,
            application_id: app.id,
            item_id: item.id,
            subject_id: found.subject_id,
            area_path: found.area_path.clone(),
            star: i16::from(star.0),
            score_centi: item.average_centi.unwrap_or(0),
            level: item.level.clone(),
            issuing_body: body.issuing_body.trim().to_owned(),
            decision_number: body.decision_number.trim().to_owned(),
            decision_date: body.decision_date,
            valid_until: valid_until(body.decision_date),
            issued_by: user.id(),
        },
    )
    .await?;
    let superseded = certificates::supersede_others(&txn, found.id, created.id).await?;
    if found.status != ProductStatus::Certified.as_str() {
        products::set_status(&txn, found.clone(), ProductStatus::Certified.as_str()).await?;
    }
    crate::moves::by_scoring(&txn, &user, &app, Action::Certify, Some(&item.level), Some(created.number.clone()))
        .await?;
    webhooks::record(
        &txn,
        &state.public_base_url,
        ListingChange {
            product: &found,
            before: listed_before,
            after: Some(&created),
            ended: None,
            reason: if listed_before.is_some() { "renewed" } else { "certified" },
            dedup_key: None,
        },
    )
    .await?;
    audit::record::<(), _>(&txn, &user.audit(), "certificate.issue", "certificate", created.id, None, Some(&created))
        .await?;
    for old in superseded {
        audit::record::<(), _>(
            &txn,
            &user.audit(),
            "certificate.supersede",
            "certificate",
            old,
            None,
            Some(&created.id),
        )
        .await?;
    }
    txn.commit().await?;
    let id = created.id;
    let dto = dtos(&state, vec![created]).await?.pop().ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Created().insert_header(("Location", format!("/api/v1/certificates/{id}"))).json(dto))
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"reason": "Sản phẩm không duy trì chất lượng theo kết quả kiểm tra"}))]
pub struct RevokeCertificate {
    #[validate(length(min = 5, max = 2000))]
    pub reason: String,
}

/// Revoke a certificate / Thu hồi giấy chứng nhận (admins, province officers).
///
/// The product loses its certified status unless another certificate stands; its application
/// goes back to ranked, so an admin may reopen the result for a new evaluation.
#[utoipa::path(operation_id = "revoke_certificate", tag = "certificates", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Certificate id")), request_body = RevokeCertificate, responses(
    (status = 200, description = "Revoked / Đã thu hồi", body = Certificate),
    (status = 409, description = "Not active / Không còn hiệu lực", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/certificates/{id}/revoke")]
pub async fn revoke(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<RevokeCertificate>,
) -> ApiResult<web::Json<Certificate>> {
    let body = body.0;
    body.validate()?;
    check_certify(&user.actor())?;
    let found = certificates::find(&state.db, id.into_inner()).await?.ok_or_else(ApiError::not_found)?;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    if !certificates::revoke(&txn, found.id, body.reason.trim().to_owned()).await? {
        return Err(ApiError::conflict("Giấy chứng nhận không còn hiệu lực.", "The certificate is not active."));
    }
    if !certificates::has_active(&txn, found.product_id, today()).await?
        && let Some(p) = products::find(&txn, found.product_id).await?
        && p.status == ProductStatus::Certified.as_str()
    {
        products::set_status(&txn, p, ProductStatus::Active.as_str()).await?;
    }
    // The application it recognised goes back to ranked (and may then be reopened).
    if let Some(app) = applications::find(&txn, found.application_id).await?
        && app.status == ApplicationStatus::Certified.as_str()
    {
        crate::moves::by_scoring(
            &txn,
            &user,
            &app,
            Action::Revoke,
            Some(&found.level),
            Some(body.reason.trim().to_owned()),
        )
        .await?;
    }
    if found.valid_until >= today()
        && let Some(p) = products::find(&txn, found.product_id).await?
    {
        let standing = certificates::in_force(&txn, vec![p.id], today()).await?;
        webhooks::record(
            &txn,
            &state.public_base_url,
            ListingChange {
                product: &p,
                before: Some(found.star),
                after: standing.first(),
                ended: Some(&found),
                reason: "revoked",
                dedup_key: None,
            },
        )
        .await?;
    }
    let after = certificates::find(&txn, found.id).await?.ok_or_else(ApiError::not_found)?;
    audit::record(&txn, &user.audit(), "certificate.revoke", "certificate", found.id, Some(&found), Some(&after))
        .await?;
    txn.commit().await?;
    dtos(&state, vec![after]).await?.pop().map(web::Json).ok_or_else(ApiError::not_found)
}

/// One finalized evaluation of a product.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"item_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d31", "session_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8d21",
    "council_name": "Hội đồng OCOP tỉnh năm 2026", "level": "province", "held_on": "2026-10-20", "average": 72.67, "star": 4,
    "decision": "ranked", "forwarded_to": null, "certificate_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8f01"}))]
pub struct Evaluation {
    pub item_id: Uuid,
    pub session_id: Uuid,
    pub council_name: String,
    #[schema(schema_with = crate::schemas::council_level)]
    pub level: String,
    pub held_on: Option<NaiveDate>,
    pub average: Option<f64>,
    /// `null`: not ranked (a minimum requirement failed).
    pub star: Option<i32>,
    pub decision: Option<String>,
    pub forwarded_to: Option<String>,
    pub certificate_id: Option<Uuid>,
}

/// A product's evaluations and stars / Lịch sử đánh giá, hạng sao của sản phẩm.
#[utoipa::path(operation_id = "product_evaluations", tag = "certificates", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Product id")), responses(
    (status = 200, description = "Finalized evaluations, newest first", body = Vec<Evaluation>),
))]
#[get("/products/{id}/evaluations")]
pub async fn evaluations(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Vec<Evaluation>>> {
    let found = guard::product(&state, &user, id.into_inner(), Need::Read).await?;
    let items: Vec<_> = councils::items_of_product(&state.db, found.id)
        .await?
        .into_iter()
        .filter(|i| i.status.parse() == Ok(ItemStatus::Finalized))
        .collect();
    let certs: HashMap<Uuid, Uuid> =
        certificates::of_products(&state.db, vec![found.id]).await?.into_iter().map(|c| (c.item_id, c.id)).collect();
    let council_names: HashMap<Uuid, String> =
        councils::list(&state.db, None, Some(items.iter().map(|i| i.council_id).collect()))
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
    let held_on: HashMap<Uuid, NaiveDate> =
        councils::find_sessions(&state.db, items.iter().map(|i| i.session_id).collect())
            .await?
            .into_iter()
            .map(|s| (s.id, s.held_on))
            .collect();
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(Evaluation {
            certificate_id: certs.get(&item.id).copied(),
            item_id: item.id,
            session_id: item.session_id,
            council_name: council_names.get(&item.council_id).cloned().unwrap_or_default(),
            level: item.level,
            held_on: held_on.get(&item.session_id).copied(),
            average: item.average_centi.map(|a| Centipoints(u32::try_from(a).unwrap_or(0)).as_points()),
            star: item.star,
            decision: item.decision,
            forwarded_to: item.forwarded_to,
        });
    }
    Ok(web::Json(out))
}
