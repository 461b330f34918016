//! Webhook subscriptions and their delivery log: managed by admins for any partner, or by a
//! partner itself with a key holding `webhooks:manage`.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use base64::Engine;
use chrono::{DateTime, Utc};
use ocop_domain::partner::DeliveryStatus;
use ocop_domain::partner::{PartnerError, Scope, parse_events};
use ocop_persistence::audit::AuditContext;
use ocop_persistence::entities::{webhook_delivery, webhook_subscription as subscription};
use ocop_persistence::{audit, new_id, partners, webhooks};
use rand::RngExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::auth::api_key::KeyCaller;
use crate::auth::api_key::key_audit;
use crate::error::partner_error;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::ApiJson;
use crate::outbound::{Failure, TargetError};
use crate::paging::{Page, paging};
use crate::state::AppState;

/// A webhook subscription (its secret is shown only when it is made).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c21", "partner_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c01",
    "url": "https://san.example.vn/hooks/ocop", "events": ["product.listed", "product.updated", "product.delisted"], "active": true, "created_at": "2026-12-03T08:00:00Z"}))]
pub struct Subscription {
    pub id: Uuid,
    pub partner_id: Uuid,
    pub url: String,
    pub events: Vec<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl From<subscription::Model> for Subscription {
    fn from(s: subscription::Model) -> Self {
        Self {
            id: s.id,
            partner_id: s.partner_id,
            url: s.url,
            events: serde_json::from_str(&s.events).unwrap_or_default(),
            active: s.active,
            created_at: s.created_at,
        }
    }
}

/// A new subscription and the secret its deliveries are signed with (shown this once).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"subscription": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c21", "partner_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c01",
    "url": "https://san.example.vn/hooks/ocop", "events": ["product.delisted"], "active": true, "created_at": "2026-12-03T08:00:00Z"},
    "secret": "whsec_4mJq0V7cYpR2kX9sT1bN6wL3eH8uA5zD"}))]
pub struct NewSubscription {
    pub subscription: Subscription,
    /// HMAC-SHA256 key of `X-OCOP-Signature`. Keep it now.
    pub secret: String,
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"url": "https://san.example.vn/hooks/ocop", "events": ["product.listed", "product.updated", "product.delisted"], "active": true}))]
pub struct SubscriptionInput {
    #[validate(length(min = 8, max = 2000))]
    pub url: String,
    /// `product.listed`, `product.updated`, `product.delisted`.
    #[validate(length(min = 1, max = 3))]
    pub events: Vec<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

const fn yes() -> bool {
    true
}

async fn checked(state: &AppState, body: &SubscriptionInput) -> ApiResult<(String, String)> {
    body.validate()?;
    let url = match crate::outbound::check_target(body.url.trim(), state.webhooks.allow_private_targets).await {
        Ok(target) => target.url,
        Err(TargetError::Url(e)) => return Err(partner_error(e)),
        Err(TargetError::Resolved(Failure::BlockedAddress)) => return Err(partner_error(PartnerError::PrivateTarget)),
        Err(TargetError::Resolved(_)) => {
            return Err(ApiError::invalid_field(
                "url",
                "unresolvable",
                "Không phân giải được tên miền của địa chỉ webhook.",
                "The webhook URL's host name does not resolve.",
            ));
        }
    };
    let events: Vec<&str> = parse_events(&body.events).map_err(partner_error)?.iter().map(|e| e.as_str()).collect();
    Ok((url, serde_json::to_string(&events).unwrap_or_else(|_| "[]".into())))
}

async fn subscribe(
    state: &AppState,
    audit_ctx: &AuditContext,
    partner_id: Uuid,
    body: SubscriptionInput,
) -> ApiResult<HttpResponse> {
    let (url, events) = checked(state, &body).await?;
    let limit = state.webhooks.max_subscriptions_per_partner;
    if webhooks::subscriptions_of(&state.db, partner_id).await?.len() >= limit {
        return Err(ApiError::new(ErrorCode::PayloadTooLarge).with_message(
            format!("Mỗi đối tác có tối đa {limit} đăng ký webhook (OCOP_WEBHOOK_MAX_SUBSCRIPTIONS)."),
            format!("A partner has at most {limit} webhook subscriptions (OCOP_WEBHOOK_MAX_SUBSCRIPTIONS)."),
        ));
    }
    let mut raw = [0u8; 24];
    rand::rng().fill(&mut raw[..]);
    let secret = format!("whsec_{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw));
    let now = Utc::now();
    let row = subscription::Model {
        id: new_id(),
        partner_id,
        url,
        events,
        secret: secret.clone(),
        active: body.active,
        created_at: now,
        updated_at: now,
    };
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let saved = webhooks::save_subscription(&txn, row, true).await?;
    audit::record::<(), _>(&txn, audit_ctx, "webhook.subscribe", "webhook_subscription", saved.id, None, Some(&saved))
        .await?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(NewSubscription { subscription: saved.into(), secret }))
}

async fn subscriptions(state: &AppState, partner_id: Uuid) -> ApiResult<Vec<Subscription>> {
    Ok(webhooks::subscriptions_of(&state.db, partner_id).await?.into_iter().map(Subscription::from).collect())
}

/// One attempted delivery of an event to a subscription.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c31", "event_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8f77", "event_type": "product.delisted",
    "subscription_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8c21", "status": "delivered", "attempts": 2, "next_attempt_at": "2026-12-03T08:00:10Z",
    "last_status": 200, "last_error": null, "delivered_at": "2026-12-03T08:00:10Z", "created_at": "2026-12-03T08:00:00Z"}))]
pub struct Delivery {
    pub id: Uuid,
    /// The event id (`X-OCOP-Event-Id`).
    pub event_id: Uuid,
    pub event_type: String,
    pub subscription_id: Uuid,
    /// `pending` (to be tried at `next_attempt_at`), `delivered` or `failed` (attempts used up).
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    /// The HTTP status of the last attempt.
    pub last_status: Option<i32>,
    /// Why the last attempt failed, as a category: `http_status` (see `last_status`),
    /// `timeout`, `connection`, `dns`, `blocked_address` (the target is not a public
    /// address), `invalid_url` or `disabled`.
    #[schema(example = "timeout")]
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct DeliveriesQuery {
    /// `pending`, `delivered` or `failed`.
    #[validate(length(max = 16))]
    pub status: Option<String>,
    #[validate(range(min = 1, max = 200))]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

async fn deliveries(state: &AppState, partner_id: Uuid, query: &DeliveriesQuery) -> ApiResult<Page<Delivery>> {
    query.validate()?;
    if let Some(status) = query.status.as_deref()
        && status.parse::<DeliveryStatus>().is_err()
    {
        return Err(ApiError::invalid_field(
            "status",
            "invalid",
            "Trạng thái: pending, delivered hoặc failed.",
            "Status is pending, delivered or failed.",
        ));
    }
    let page =
        webhooks::deliveries_of(&state.db, partner_id, query.status.as_deref(), paging(query.limit, query.offset)?)
            .await?;
    let kinds: HashMap<Uuid, String> = webhooks::events(&state.db, page.items.iter().map(|d| d.event_id).collect())
        .await?
        .into_iter()
        .map(|e| (e.id, e.kind))
        .collect();
    Ok(Page::map(page, |d: webhook_delivery::Model| Delivery {
        event_type: kinds.get(&d.event_id).cloned().unwrap_or_default(),
        id: d.id,
        event_id: d.event_id,
        subscription_id: d.subscription_id,
        status: d.status,
        attempts: d.attempts,
        next_attempt_at: d.next_attempt_at,
        last_status: d.last_status,
        last_error: d.last_error,
        delivered_at: d.delivered_at,
        created_at: d.created_at,
    }))
}

async fn partner_for_admin(state: &AppState, user: &AuthUser, id: Uuid) -> ApiResult<Uuid> {
    user.require_admin()?;
    Ok(partners::find(&state.db, id).await?.ok_or_else(ApiError::not_found)?.id)
}

/// A partner's webhook subscriptions / Webhook của đối tác (admins).
#[utoipa::path(operation_id = "list_webhooks", tag = "webhooks", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Partner id")), responses(
    (status = 200, description = "Its subscriptions", body = Vec<Subscription>),
))]
#[get("/partners/{id}/webhooks")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Vec<Subscription>>> {
    let partner = partner_for_admin(&state, &user, id.into_inner()).await?;
    subscriptions(&state, partner).await.map(web::Json)
}

/// Subscribe a partner to catalog events / Đăng ký webhook cho đối tác (admins).
#[utoipa::path(operation_id = "create_webhook", tag = "webhooks", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Partner id")), request_body = SubscriptionInput, responses(
    (status = 201, description = "Subscribed; keep the secret now", body = NewSubscription),
))]
#[post("/partners/{id}/webhooks")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<SubscriptionInput>,
) -> ApiResult<HttpResponse> {
    let partner = partner_for_admin(&state, &user, id.into_inner()).await?;
    subscribe(&state, &user.audit(), partner, body.0).await
}

/// Change or pause a subscription / Sửa, tạm dừng webhook (admins).
#[utoipa::path(operation_id = "update_webhook", tag = "webhooks", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Subscription id")), request_body = SubscriptionInput, responses(
    (status = 200, description = "Saved", body = Subscription),
))]
#[put("/webhooks/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<SubscriptionInput>,
) -> ApiResult<web::Json<Subscription>> {
    user.require_admin()?;
    let existing = webhooks::find_subscription(&state.db, id.into_inner()).await?.ok_or_else(ApiError::not_found)?;
    let body = body.0;
    let (url, events) = checked(&state, &body).await?;
    let row = subscription::Model { url, events, active: body.active, updated_at: Utc::now(), ..existing.clone() };
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let saved = webhooks::save_subscription(&txn, row, false).await?;
    audit::record(
        &txn,
        &user.audit(),
        "webhook.update",
        "webhook_subscription",
        saved.id,
        Some(&existing),
        Some(&saved),
    )
    .await?;
    txn.commit().await?;
    Ok(web::Json(saved.into()))
}

/// A partner's deliveries, newest first / Nhật ký gửi webhook (admins).
#[utoipa::path(operation_id = "list_webhook_deliveries", tag = "webhooks", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Partner id"), DeliveriesQuery), responses(
    (status = 200, description = "A page of deliveries", body = Page<Delivery>),
))]
#[get("/partners/{id}/deliveries")]
pub async fn list_deliveries(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    query: web::Query<DeliveriesQuery>,
) -> ApiResult<web::Json<Page<Delivery>>> {
    let partner = partner_for_admin(&state, &user, id.into_inner()).await?;
    deliveries(&state, partner, &query).await.map(web::Json)
}

/// The calling partner's subscriptions / Webhook của tôi (API key, `webhooks:manage`).
#[utoipa::path(operation_id = "partner_list_webhooks", tag = "webhooks", security(("api_key" = [])), responses(
    (status = 200, description = "The partner's subscriptions", body = Vec<Subscription>),
))]
#[get("/partner/webhooks")]
pub async fn own_list(state: web::Data<AppState>, caller: KeyCaller) -> ApiResult<web::Json<Vec<Subscription>>> {
    caller.require(Scope::WebhooksManage)?;
    subscriptions(&state, caller.partner.id).await.map(web::Json)
}

/// Subscribe to catalog events / Đăng ký webhook (API key, `webhooks:manage`).
#[utoipa::path(operation_id = "partner_create_webhook", tag = "webhooks", security(("api_key" = [])), request_body = SubscriptionInput, responses(
    (status = 201, description = "Subscribed; keep the secret now", body = NewSubscription),
))]
#[post("/partner/webhooks")]
pub async fn own_create(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: KeyCaller,
    body: ApiJson<SubscriptionInput>,
) -> ApiResult<HttpResponse> {
    caller.require(Scope::WebhooksManage)?;
    subscribe(&state, &key_audit(&req, &caller), caller.partner.id, body.0).await
}

/// The calling partner's deliveries / Nhật ký gửi webhook của tôi (API key, `webhooks:manage`).
#[utoipa::path(operation_id = "partner_list_deliveries", tag = "webhooks", security(("api_key" = [])), params(DeliveriesQuery), responses(
    (status = 200, description = "A page of deliveries", body = Page<Delivery>),
))]
#[get("/partner/deliveries")]
pub async fn own_deliveries(
    state: web::Data<AppState>,
    caller: KeyCaller,
    query: web::Query<DeliveriesQuery>,
) -> ApiResult<web::Json<Page<Delivery>>> {
    caller.require(Scope::WebhooksManage)?;
    deliveries(&state, caller.partner.id, &query).await.map(web::Json)
}
