//! Catalog events for partners: written to the outbox in the transaction of the change that
//! raised them, then fanned out to the subscriptions and delivered, signed, by a worker that
//! retries with backoff. A crash loses nothing: undelivered work is in the database and the
//! next worker (after a restart, or on another instance) carries on.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use ocop_domain::calendar::vietnam_day;
use ocop_domain::partner::DeliveryStatus;
use ocop_domain::partner::{MAX_ATTEMPTS, listing_event, retry_delay, sign};
use ocop_persistence::entities::{certificate, outbox_event, product, webhook_delivery};
use ocop_persistence::{ConnectionTrait, DbErr, catalog, new_id, products, webhooks};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use futures_util::StreamExt;

use crate::outbound::Failure;
use crate::state::AppState;

pub const SIGNATURE_HEADER: &str = "X-OCOP-Signature";
pub const EVENT_HEADER: &str = "X-OCOP-Event";
pub const EVENT_ID_HEADER: &str = "X-OCOP-Event-Id";

/// The body of a webhook delivery. Its raw bytes are what `X-OCOP-Signature` signs.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8f77", "type": "product.delisted", "created_at": "2026-12-03T08:00:00Z",
    "data": {"product_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e93", "code": "22-000-06970-002-2026", "title": "Trà hoa vàng Ba Chẽ",
    "star": null, "certificate_number": "OCOP-22-2026-00001", "valid_until": "2029-11-22", "reason": "revoked",
    "catalog_url": "https://ocop.quangninh.gov.vn/api/v1/catalog/products/019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e93"}}))]
pub struct CatalogEvent {
    /// The event id: the same in every retry, to de-duplicate by.
    pub id: Uuid,
    /// `product.listed`, `product.updated` or `product.delisted`.
    #[serde(rename = "type")]
    pub kind: String,
    pub created_at: DateTime<Utc>,
    pub data: CatalogEventData,
}

/// What changed in the catalog.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"product_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e93", "code": "22-000-06970-002-2026", "title": "Trà hoa vàng Ba Chẽ",
    "star": 4, "certificate_number": "OCOP-22-2026-00001", "valid_until": "2029-11-22", "reason": "certified",
    "catalog_url": "https://ocop.quangninh.gov.vn/api/v1/catalog/products/019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e93"}))]
pub struct CatalogEventData {
    pub product_id: Uuid,
    pub code: String,
    pub title: String,
    /// The star it is listed with now; `null` once delisted.
    pub star: Option<i16>,
    /// The certificate the listing rests on (for a delisting: the one that ended).
    pub certificate_number: Option<String>,
    pub valid_until: Option<NaiveDate>,
    /// `certified`, `renewed`, `edited`, `revoked` or `expired`.
    pub reason: String,
    /// Where to read the listing (404 once delisted).
    pub catalog_url: String,
}

/// A change of a product's listing, to be written with the change itself.
pub struct ListingChange<'a> {
    pub product: &'a product::Model,
    /// Star it was listed with before (`None`: not listed).
    pub before: Option<i16>,
    /// The certificate in force after the change, if any.
    pub after: Option<&'a certificate::Model>,
    /// The certificate that ended, for a delisting.
    pub ended: Option<&'a certificate::Model>,
    pub reason: &'a str,
    /// Makes the event unique where it may be noticed more than once.
    pub dedup_key: Option<String>,
}

/// Writes the event a listing change raises, if any, in `db` (the change's transaction).
pub async fn record(db: &impl ConnectionTrait, public_base_url: &str, change: ListingChange<'_>) -> Result<(), DbErr> {
    let Some(kind) = listing_event(change.before, change.after.map(|c| c.star)) else {
        return Ok(());
    };
    let id = new_id();
    let shown = change.after.or(change.ended);
    let event = CatalogEvent {
        id,
        kind: kind.as_str().to_owned(),
        created_at: Utc::now(),
        data: CatalogEventData {
            product_id: change.product.id,
            code: change.product.code.clone(),
            title: change.product.name.clone(),
            star: change.after.map(|c| c.star),
            certificate_number: shown.map(|c| c.number.clone()),
            valid_until: shown.map(|c| c.valid_until),
            reason: change.reason.to_owned(),
            catalog_url: format!("{public_base_url}/api/v1/catalog/products/{}", change.product.id),
        },
    };
    let payload = serde_json::to_string(&event).map_err(|e| DbErr::Custom(e.to_string()))?;
    webhooks::record_event(
        db,
        outbox_event::Model {
            id,
            kind: event.kind,
            product_id: change.product.id,
            dedup_key: change.dedup_key.unwrap_or_else(|| id.to_string()),
            payload,
            created_at: event.created_at,
            dispatched_at: None,
        },
    )
    .await
    .map(|_| ())
}

/// The webhooks worker, until `stop` turns true: every poll, fans events out and delivers what
/// is due; every sweep interval, notices lapsed certificates. A round in progress is finished
/// before it stops, so no transaction is cut short.
pub async fn run(state: actix_web::web::Data<AppState>, mut stop: tokio::sync::watch::Receiver<bool>) {
    let client = match crate::outbound::client(
        state.webhooks.allow_private_targets,
        state.webhooks.timeout,
        "ocop-webhooks/1",
    ) {
        Ok(client) => client,
        Err(e) => {
            tracing::error!(error = %e, "webhook worker: no HTTP client; deliveries stop");
            return;
        }
    };
    let mut last_sweep: Option<std::time::Instant> = None;
    loop {
        if last_sweep.is_none_or(|t| t.elapsed() >= state.webhooks.sweep_interval) {
            if let Err(e) = notice_lapsed(&state).await {
                tracing::warn!(error = %e, "webhook worker: expiry sweep failed");
            }
            last_sweep = Some(std::time::Instant::now());
        }
        if let Err(e) = fan_out(&state).await {
            tracing::warn!(error = %e, "webhook worker: fan-out failed");
        }
        if let Err(e) = deliver_due(&state, &client).await {
            tracing::warn!(error = %e, "webhook worker: delivery round failed");
        }
        tokio::select! {
            () = tokio::time::sleep(state.webhooks.poll_interval) => {}
            _ = stop.changed() => break,
        }
    }
}

/// Certificates that reached their end since last week raise `product.delisted` once each,
/// whichever instance notices first (the dedup key is the certificate's).
async fn notice_lapsed(state: &AppState) -> Result<(), DbErr> {
    let today = vietnam_day(Utc::now());
    let lapsed = catalog::lapsed(&state.db, today - chrono::Duration::days(7), today).await?;
    let found: HashMap<Uuid, product::Model> =
        products::find_many(&state.db, lapsed.iter().map(|c| c.product_id).collect())
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
    for cert in lapsed {
        let Some(product) = found.get(&cert.product_id) else { continue };
        record(
            &state.db,
            &state.public_base_url,
            ListingChange {
                product,
                before: Some(cert.star),
                after: None,
                ended: Some(&cert),
                reason: "expired",
                dedup_key: Some(format!("expired:{}", cert.id)),
            },
        )
        .await?;
    }
    Ok(())
}

async fn fan_out(state: &AppState) -> Result<(), DbErr> {
    let events = webhooks::undispatched(&state.db, 100).await?;
    if events.is_empty() {
        return Ok(());
    }
    let subscriptions = webhooks::active_subscriptions(&state.db).await?;
    let now = Utc::now();
    for event in events {
        let deliveries = subscriptions
            .iter()
            .filter(|s| serde_json::from_str::<Vec<String>>(&s.events).unwrap_or_default().contains(&event.kind))
            .map(|s| webhook_delivery::Model {
                id: new_id(),
                event_id: event.id,
                subscription_id: s.id,
                partner_id: s.partner_id,
                status: DeliveryStatus::Pending.as_str().into(),
                attempts: 0,
                next_attempt_at: now,
                locked_until: None,
                last_status: None,
                last_error: None,
                delivered_at: None,
                created_at: now,
            })
            .collect();
        let txn = ocop_persistence::begin_write(&state.db).await?;
        webhooks::dispatch(&txn, event.id, deliveries, now).await?;
        txn.commit().await?;
    }
    Ok(())
}

async fn deliver_due(state: &AppState, client: &reqwest::Client) -> Result<(), DbErr> {
    let now = Utc::now();
    let hold = now + chrono::Duration::from_std(state.webhooks.timeout * 3).unwrap_or(chrono::Duration::seconds(60));
    let due = webhooks::due(&state.db, now, 50).await?;
    if due.is_empty() {
        return Ok(());
    }
    let events: HashMap<Uuid, outbox_event::Model> =
        webhooks::events(&state.db, due.iter().map(|d| d.event_id).collect())
            .await?
            .into_iter()
            .map(|e| (e.id, e))
            .collect();
    let subscriptions: HashMap<Uuid, _> =
        webhooks::find_subscriptions(&state.db, due.iter().map(|d| d.subscription_id).collect())
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
    // A few deliveries per partner each round, all of them concurrently: one slow partner
    // holds up neither the others nor the next round for long.
    let mut per_partner: HashMap<Uuid, usize> = HashMap::new();
    let mut claimed = Vec::new();
    for due in due {
        let (Some(event), Some(subscription)) = (events.get(&due.event_id), subscriptions.get(&due.subscription_id))
        else {
            continue;
        };
        let taken = per_partner.entry(due.partner_id).or_default();
        if *taken >= state.webhooks.per_partner_concurrency.max(1) {
            continue;
        }
        if !webhooks::claim(&state.db, due.id, now, hold).await? {
            continue;
        }
        *taken += 1;
        claimed.push((due, event.clone(), subscription.clone()));
    }
    let attempts = futures_util::stream::iter(claimed.into_iter().map(|(due, event, subscription)| async move {
        let attempts = due.attempts + 1;
        let outcome = if subscription.active {
            send(
                client,
                &subscription.url,
                subscription.secret.as_bytes(),
                &event,
                state.webhooks.allow_private_targets,
            )
            .await
        } else {
            Err((None, "disabled"))
        };
        let attempt = match outcome {
            Ok(status) => webhooks::Attempt {
                status: DeliveryStatus::Delivered.as_str(),
                attempts,
                next_attempt_at: Utc::now(),
                last_status: Some(status),
                last_error: None,
                delivered_at: Some(Utc::now()),
            },
            Err((status, failure)) => {
                let next = retry_delay(u32::try_from(attempts).unwrap_or(MAX_ATTEMPTS), state.webhooks.retry_base)
                    .filter(|_| subscription.active);
                webhooks::Attempt {
                    status: if next.is_some() { DeliveryStatus::Pending } else { DeliveryStatus::Failed }.as_str(),
                    attempts,
                    next_attempt_at: Utc::now()
                        + next.and_then(|d| chrono::Duration::from_std(d).ok()).unwrap_or_default(),
                    last_status: status,
                    last_error: Some(failure.to_owned()),
                    delivered_at: None,
                }
            }
        };
        (due.id, attempt)
    }))
    .buffer_unordered(state.webhooks.concurrency.max(1))
    .collect::<Vec<_>>()
    .await;
    for (id, attempt) in attempts {
        webhooks::record_attempt(&state.db, id, attempt).await?;
    }
    Ok(())
}

/// One POST of the raw event body, signed; a 2xx answer is a delivery. The URL is checked
/// again (it may have been stored under older rules), and a failure is told by its category.
async fn send(
    client: &reqwest::Client,
    url: &str,
    secret: &[u8],
    event: &outbox_event::Model,
    allow_private: bool,
) -> Result<i32, (Option<i32>, &'static str)> {
    // The same rules as at subscription; a name is checked by the client's resolver.
    let target = ocop_domain::partner::check_webhook_url(url, allow_private).map_err(|e| match e {
        ocop_domain::partner::PartnerError::PrivateTarget => (None, Failure::BlockedAddress.as_str()),
        _ => (None, "invalid_url"),
    })?;
    let body = event.payload.clone().into_bytes();
    let response = client
        .post(target.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(SIGNATURE_HEADER, sign(secret, &body))
        .header(EVENT_HEADER, &event.kind)
        .header(EVENT_ID_HEADER, event.id.to_string())
        .body(body)
        .send()
        .await
        .map_err(|e| (None, crate::outbound::classify(&e).as_str()))?;
    let status = i32::from(response.status().as_u16());
    if response.status().is_success() { Ok(status) } else { Err((Some(status), Failure::HttpStatus.as_str())) }
}
