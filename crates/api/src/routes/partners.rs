//! Partners of the catalog (portals, retailers) and their API keys: registered by admins; a
//! key is shown once, stored hashed, carries scopes and a rate, can be rotated (the old one
//! keeps working for a grace period) and revoked; its calls are counted per day.

use actix_web::{HttpResponse, get, post, put, web};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use ocop_domain::partner::{DEFAULT_RATE_PER_MINUTE, MAX_RATE_PER_MINUTE, check_partner_kind, parse_scopes};
use ocop_persistence::entities::{api_key, partner};
use ocop_persistence::{audit, new_id, partners};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::auth::api_key::{KeyCaller, generate};
use crate::error::partner_error;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::paging::{Page, paging};
use crate::state::AppState;

/// A partner of the catalog.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c01", "name": "Sàn TMĐT Quảng Ninh", "kind": "portal",
    "contact_email": "kythuat@san.example.vn", "website": "https://san.example.vn", "active": true, "created_at": "2026-12-03T08:00:00Z"}))]
pub struct Partner {
    pub id: Uuid,
    pub name: String,
    /// `portal`, `retailer` or `other`.
    pub kind: String,
    pub contact_email: String,
    pub website: Option<String>,
    /// A suspended partner's keys are refused.
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl From<partner::Model> for Partner {
    fn from(p: partner::Model) -> Self {
        Self {
            id: p.id,
            name: p.name,
            kind: p.kind,
            contact_email: p.contact_email,
            website: p.website,
            active: p.active,
            created_at: p.created_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"name": "Sàn TMĐT Quảng Ninh", "kind": "portal", "contact_email": "kythuat@san.example.vn", "website": "https://san.example.vn", "active": true}))]
pub struct PartnerInput {
    #[validate(length(min = 2, max = 300))]
    pub name: String,
    /// `portal`, `retailer` or `other`.
    pub kind: String,
    #[validate(email)]
    pub contact_email: String,
    #[validate(url, length(max = 500))]
    pub website: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

const fn yes() -> bool {
    true
}

/// Partners / Đối tác (admins).
#[utoipa::path(operation_id = "list_partners", tag = "partners", security(("bearer" = [])), params(crate::paging::PagingQuery), responses(
    (status = 200, description = "A page of partners", body = Page<Partner>),
))]
#[get("/partners")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<crate::paging::PagingQuery>,
) -> ApiResult<web::Json<Page<Partner>>> {
    user.require_admin()?;
    query.validate()?;
    let page = partners::list(&state.db, paging(query.limit, query.offset)?).await?;
    Ok(web::Json(Page::map(page, Partner::from)))
}

async fn save(
    state: &AppState,
    user: &AuthUser,
    body: PartnerInput,
    existing: Option<partner::Model>,
) -> ApiResult<partner::Model> {
    user.require_admin()?;
    body.validate()?;
    check_partner_kind(&body.kind).map_err(partner_error)?;
    let now = Utc::now();
    let row = partner::Model {
        id: existing.as_ref().map_or_else(new_id, |p| p.id),
        name: body.name.trim().to_owned(),
        kind: body.kind,
        contact_email: body.contact_email.trim().to_lowercase(),
        website: body.website.filter(|w| !w.trim().is_empty()),
        active: body.active,
        created_at: existing.as_ref().map_or(now, |p| p.created_at),
        updated_at: now,
    };
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let saved = partners::save(&txn, row, existing.is_none()).await?;
    let action = if existing.is_some() { "partner.update" } else { "partner.create" };
    audit::record(&txn, &user.audit(), action, "partner", saved.id, existing.as_ref(), Some(&saved)).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Register a partner / Đăng ký đối tác (admins).
#[utoipa::path(operation_id = "create_partner", tag = "partners", security(("bearer" = [])), request_body = PartnerInput, responses(
    (status = 201, description = "Registered", body = Partner),
))]
#[post("/partners")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ApiJson<PartnerInput>,
) -> ApiResult<HttpResponse> {
    let saved = save(&state, &user, body.0, None).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/partners/{}", saved.id)))
        .json(Partner::from(saved)))
}

async fn find(state: &AppState, id: Uuid) -> ApiResult<partner::Model> {
    partners::find(&state.db, id).await?.ok_or_else(ApiError::not_found)
}

/// One partner / Chi tiết đối tác (admins).
#[utoipa::path(operation_id = "get_partner", tag = "partners", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Partner id")), responses(
    (status = 200, description = "The partner", body = Partner),
))]
#[get("/partners/{id}")]
pub async fn get(state: web::Data<AppState>, user: AuthUser, id: web::Path<Uuid>) -> ApiResult<web::Json<Partner>> {
    user.require_admin()?;
    Ok(web::Json(find(&state, id.into_inner()).await?.into()))
}

/// Change a partner; `active: false` suspends its keys / Sửa, tạm ngừng đối tác (admins).
#[utoipa::path(operation_id = "update_partner", tag = "partners", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Partner id")), request_body = PartnerInput, responses(
    (status = 200, description = "Saved", body = Partner),
))]
#[put("/partners/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<PartnerInput>,
) -> ApiResult<web::Json<Partner>> {
    user.require_admin()?;
    let existing = find(&state, id.into_inner()).await?;
    Ok(web::Json(save(&state, &user, body.0, Some(existing)).await?.into()))
}

/// An API key, without its secret.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c11", "partner_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c01", "name": "Đồng bộ danh mục",
    "prefix": "ocop_Xk3q9Lm", "scopes": ["catalog:read"], "rate_per_minute": 600, "status": "active", "expires_at": null, "revoked_at": null,
    "replaced_by": null, "last_used_at": "2026-12-03T08:05:00Z", "created_at": "2026-12-03T08:00:00Z"}))]
pub struct ApiKey {
    pub id: Uuid,
    pub partner_id: Uuid,
    pub name: String,
    /// The key's first characters, to recognise it.
    pub prefix: String,
    pub scopes: Vec<String>,
    pub rate_per_minute: i32,
    /// `active`, `rotating` (works until `expires_at`), `expired` or `revoked`.
    pub status: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The key that replaced it in a rotation.
    pub replaced_by: Option<Uuid>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<api_key::Model> for ApiKey {
    fn from(k: api_key::Model) -> Self {
        let now = Utc::now();
        let status = match (k.revoked_at, k.expires_at) {
            (Some(_), _) => "revoked",
            (None, Some(until)) if until <= now => "expired",
            (None, Some(_)) => "rotating",
            (None, None) => "active",
        };
        Self {
            id: k.id,
            partner_id: k.partner_id,
            name: k.name,
            prefix: k.prefix,
            scopes: serde_json::from_str(&k.scopes).unwrap_or_default(),
            rate_per_minute: k.rate_per_minute,
            status: status.to_owned(),
            expires_at: k.expires_at,
            revoked_at: k.revoked_at,
            replaced_by: k.replaced_by,
            last_used_at: k.last_used_at,
            created_at: k.created_at,
        }
    }
}

/// A new key with its secret: shown this once, never again.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"key": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c11", "partner_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c01", "name": "Đồng bộ danh mục",
    "prefix": "ocop_Xk3q9Lm", "scopes": ["catalog:read"], "rate_per_minute": 600, "status": "active", "expires_at": null, "revoked_at": null,
    "replaced_by": null, "last_used_at": null, "created_at": "2026-12-03T08:00:00Z"}, "secret": "ocop_Xk3q9LmT0pS2vB7nQ1wE4rY6uI8oP0aZcXvBnM2k"}))]
pub struct IssuedKey {
    pub key: ApiKey,
    /// Send it as `X-API-Key`. Stored only as a hash: keep it now.
    pub secret: String,
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"name": "Đồng bộ danh mục", "scopes": ["catalog:read", "webhooks:manage"], "rate_per_minute": 600}))]
pub struct NewKeyInput {
    #[validate(length(min = 2, max = 200))]
    pub name: String,
    /// `catalog:read`, `webhooks:manage`.
    #[validate(length(min = 1, max = 10))]
    pub scopes: Vec<String>,
    /// Calls a minute (default 600).
    #[validate(range(min = 1, max = 100000))]
    pub rate_per_minute: Option<u32>,
}

fn new_key_row(partner_id: Uuid, name: String, scopes: &[String], rate: u32) -> (api_key::Model, String) {
    let key = generate();
    let row = api_key::Model {
        id: new_id(),
        partner_id,
        name,
        prefix: key.prefix,
        key_hash: key.hash,
        scopes: serde_json::to_string(scopes).unwrap_or_else(|_| "[]".into()),
        rate_per_minute: i32::try_from(rate.min(MAX_RATE_PER_MINUTE)).unwrap_or(i32::MAX),
        expires_at: None,
        revoked_at: None,
        replaced_by: None,
        last_used_at: None,
        created_at: Utc::now(),
    };
    (row, key.secret)
}

/// A partner's keys / Khóa API của đối tác (admins).
#[utoipa::path(operation_id = "list_api_keys", tag = "partners", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Partner id")), responses(
    (status = 200, description = "Its keys, newest first", body = Vec<ApiKey>),
))]
#[get("/partners/{id}/keys")]
pub async fn keys(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Vec<ApiKey>>> {
    user.require_admin()?;
    let partner = find(&state, id.into_inner()).await?;
    Ok(web::Json(partners::keys_of(&state.db, partner.id).await?.into_iter().map(ApiKey::from).collect()))
}

/// Issue a key / Cấp khóa API (admins). The secret is in this answer only.
#[utoipa::path(operation_id = "create_api_key", tag = "partners", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Partner id")), request_body = NewKeyInput, responses(
    (status = 201, description = "Issued; keep the secret now", body = IssuedKey),
))]
#[post("/partners/{id}/keys")]
pub async fn create_key(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<NewKeyInput>,
) -> ApiResult<HttpResponse> {
    user.require_admin()?;
    let body = body.0;
    body.validate()?;
    let scopes: Vec<String> =
        parse_scopes(&body.scopes).map_err(partner_error)?.iter().map(|s| s.as_str().to_owned()).collect();
    let partner = find(&state, id.into_inner()).await?;
    let (row, secret) = new_key_row(
        partner.id,
        body.name.trim().to_owned(),
        &scopes,
        body.rate_per_minute.unwrap_or(DEFAULT_RATE_PER_MINUTE),
    );
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let saved = partners::insert_key(&txn, row).await?;
    audit::record::<(), _>(&txn, &user.audit(), "api_key.create", "api_key", saved.id, None, Some(&saved)).await?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(IssuedKey { key: saved.into(), secret }))
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"grace_hours": 24}))]
pub struct RotateInput {
    /// How long the old key keeps working (0–168 hours, default 24).
    #[validate(range(min = 0, max = 168))]
    pub grace_hours: Option<i64>,
}

/// Rotate a key / Đổi khóa API (admins).
///
/// A new key with the same name, scopes and rate; the old one keeps working for the grace
/// period, so the partner can switch without an outage.
#[utoipa::path(operation_id = "rotate_api_key", tag = "partners", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Key id")), request_body = RotateInput, responses(
    (status = 201, description = "The new key; keep the secret now", body = IssuedKey),
    (status = 409, description = "Revoked or already rotated", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/api-keys/{id}/rotate")]
pub async fn rotate_key(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<RotateInput>,
) -> ApiResult<HttpResponse> {
    user.require_admin()?;
    let body = body.0;
    body.validate()?;
    let old = partners::find_key(&state.db, id.into_inner()).await?.ok_or_else(ApiError::not_found)?;
    let scopes: Vec<String> = serde_json::from_str(&old.scopes).unwrap_or_default();
    let (row, secret) =
        new_key_row(old.partner_id, old.name.clone(), &scopes, u32::try_from(old.rate_per_minute).unwrap_or(1));
    let until = Utc::now() + Duration::hours(body.grace_hours.unwrap_or(24));
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let saved = partners::insert_key(&txn, row).await?;
    if !partners::retire_key(&txn, old.id, until, saved.id).await? {
        return Err(ApiError::conflict(
            "Khóa đã bị thu hồi hoặc đã được đổi.",
            "The key was revoked or already rotated.",
        ));
    }
    audit::record(&txn, &user.audit(), "api_key.rotate", "api_key", old.id, Some(&old), Some(&saved)).await?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(IssuedKey { key: saved.into(), secret }))
}

/// Revoke a key at once / Thu hồi khóa API (admins).
#[utoipa::path(operation_id = "revoke_api_key", tag = "partners", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Key id")), responses(
    (status = 200, description = "Revoked", body = ApiKey),
    (status = 409, description = "Already revoked", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/api-keys/{id}/revoke")]
pub async fn revoke_key(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<ApiKey>> {
    user.require_admin()?;
    let old = partners::find_key(&state.db, id.into_inner()).await?.ok_or_else(ApiError::not_found)?;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    if !partners::revoke_key(&txn, old.id, Utc::now()).await? {
        return Err(ApiError::conflict("Khóa đã bị thu hồi.", "The key is already revoked."));
    }
    let after = partners::find_key(&txn, old.id).await?.ok_or_else(ApiError::not_found)?;
    audit::record(&txn, &user.audit(), "api_key.revoke", "api_key", old.id, Some(&old), Some(&after)).await?;
    txn.commit().await?;
    Ok(web::Json(after.into()))
}

/// Calls of one day.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"day": "2026-12-03", "requests": 1520, "throttled": 3}))]
pub struct UsageDay {
    pub day: NaiveDate,
    pub requests: i64,
    /// Refused with 429.
    pub throttled: i64,
}

/// A key's usage.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"key_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c11", "days": [{"day": "2026-12-03", "requests": 1520, "throttled": 3}], "requests": 1520, "throttled": 3}))]
pub struct Usage {
    pub key_id: Uuid,
    /// Days with calls, oldest first.
    pub days: Vec<UsageDay>,
    pub requests: i64,
    pub throttled: i64,
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct UsageQuery {
    /// Days back from today (1–366, default 30).
    #[validate(range(min = 1, max = 366))]
    pub days: Option<i64>,
}

async fn usage_of(state: &AppState, key_id: Uuid, days: i64) -> ApiResult<Usage> {
    // Counts of this instance not written yet go in first.
    state.usage.flush(&state.db).await;
    let since = Utc::now().date_naive() - Duration::days(days - 1);
    let rows = partners::usage(&state.db, key_id, since).await?;
    Ok(Usage {
        key_id,
        requests: rows.iter().map(|r| r.requests).sum(),
        throttled: rows.iter().map(|r| r.throttled).sum(),
        days: rows.into_iter().map(|r| UsageDay { day: r.day, requests: r.requests, throttled: r.throttled }).collect(),
    })
}

/// A key's calls per day / Thống kê sử dụng khóa API (admins).
#[utoipa::path(operation_id = "api_key_usage", tag = "partners", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Key id"), UsageQuery), responses(
    (status = 200, description = "Usage per day", body = Usage),
))]
#[get("/api-keys/{id}/usage")]
pub async fn usage(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    query: web::Query<UsageQuery>,
) -> ApiResult<web::Json<Usage>> {
    user.require_admin()?;
    query.validate()?;
    let key = partners::find_key(&state.db, id.into_inner()).await?.ok_or_else(ApiError::not_found)?;
    usage_of(&state, key.id, query.days.unwrap_or(30)).await.map(web::Json)
}

/// What a key's holder sees of itself.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"partner": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c01", "name": "Sàn TMĐT Quảng Ninh", "kind": "portal",
    "contact_email": "kythuat@san.example.vn", "website": "https://san.example.vn", "active": true, "created_at": "2026-12-03T08:00:00Z"},
    "key": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c11", "partner_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c01", "name": "Đồng bộ danh mục",
    "prefix": "ocop_Xk3q9Lm", "scopes": ["catalog:read"], "rate_per_minute": 600, "status": "active", "expires_at": null, "revoked_at": null,
    "replaced_by": null, "last_used_at": "2026-12-03T08:05:00Z", "created_at": "2026-12-03T08:00:00Z"},
    "usage": {"key_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c11", "days": [{"day": "2026-12-03", "requests": 1520, "throttled": 3}], "requests": 1520, "throttled": 3}}))]
pub struct PartnerSelf {
    pub partner: Partner,
    pub key: ApiKey,
    /// The last 30 days.
    pub usage: Usage,
}

/// The calling key, its partner and its usage / Thông tin khóa đang dùng (API key).
#[utoipa::path(operation_id = "partner_me", tag = "partners", security(("api_key" = [])), responses(
    (status = 200, description = "The key and its partner", body = PartnerSelf),
))]
#[get("/partner/me")]
pub async fn me(state: web::Data<AppState>, caller: KeyCaller) -> ApiResult<web::Json<PartnerSelf>> {
    let days = usage_of(&state, caller.key.id, 30).await?;
    Ok(web::Json(PartnerSelf { partner: caller.partner.into(), key: caller.key.into(), usage: days }))
}
