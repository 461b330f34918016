//! Partners' API keys: made and hashed here, recognised in `X-API-Key`, rate-limited per key
//! (and per address for callers without one), counted per day. Limits and counts are kept in
//! memory per instance; the counts go to the database every few seconds and before they are
//! read.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use base64::Engine;
use chrono::{NaiveDate, Utc};
use futures_util::future::LocalBoxFuture;
use ocop_domain::partner::{RateDecision, Scope, TokenBucket};
use ocop_persistence::entities::{api_key, partner};
use ocop_persistence::{DatabaseConnection, partners};
use rand::RngExt;
use uuid::Uuid;

use crate::error::{ApiError, ErrorCode};
use crate::files::sha256_hex;
use crate::state::AppState;

pub const HEADER: &str = "x-api-key";
const KEY_PREFIX: &str = "ocop_";

/// A new key: what the partner is given once, and what is stored.
pub struct NewKey {
    pub secret: String,
    pub prefix: String,
    pub hash: String,
}

pub fn generate() -> NewKey {
    let mut raw = [0u8; 30];
    rand::rng().fill(&mut raw[..]);
    let secret = format!("{KEY_PREFIX}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw));
    NewKey { prefix: secret.chars().take(12).collect(), hash: sha256_hex(secret.as_bytes()), secret }
}

/// A caller that presented a working key.
#[derive(Debug, Clone)]
pub struct KeyCaller {
    pub key: api_key::Model,
    pub partner: partner::Model,
    pub scopes: Vec<Scope>,
}

impl KeyCaller {
    pub fn require(&self, scope: Scope) -> Result<(), ApiError> {
        if self.scopes.contains(&scope) {
            Ok(())
        } else {
            Err(ApiError::new(ErrorCode::Forbidden).with_message(
                format!("Khóa API không có quyền `{}`.", scope.as_str()),
                format!("This API key lacks the `{}` scope.", scope.as_str()),
            ))
        }
    }
}

/// The rate-limit state to announce in the response headers.
#[derive(Debug, Clone, Copy)]
pub struct RateHeaders(pub RateDecision);

/// Token buckets per key and per anonymous address, in shards so that concurrent requests of
/// different clients rarely wait for one another's lock.
pub struct RateLimiter {
    shards: [Mutex<HashMap<String, (TokenBucket, u32)>>; SHARDS],
}

const SHARDS: usize = 16;
/// Past this many buckets in a shard, idle ones are dropped.
const SHARD_CAPACITY: usize = 100_000 / SHARDS;

impl RateLimiter {
    pub fn new() -> Self {
        Self { shards: std::array::from_fn(|_| Mutex::new(HashMap::new())) }
    }

    fn shard(&self, who: &str) -> &Mutex<HashMap<String, (TokenBucket, u32)>> {
        // FNV-1a: cheap, and a client cannot choose its shard to any useful end.
        let hash = who.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        &self.shards[(hash % SHARDS as u64) as usize]
    }

    pub fn take(&self, who: &str, per_minute: u32) -> RateDecision {
        let now = Instant::now();
        let mut buckets = self.shard(who).lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() > SHARD_CAPACITY {
            buckets.retain(|_, (b, limit)| !b.idle(*limit, now));
        }
        // Found without allocating on the busy path; a new client's key is copied once.
        if let Some((bucket, limit)) = buckets.get_mut(who) {
            *limit = per_minute;
            return bucket.take(per_minute, now);
        }
        let (bucket, _) =
            buckets.entry(who.to_owned()).or_insert_with(|| (TokenBucket::full(per_minute, now), per_minute));
        bucket.take(per_minute, now)
    }
}

impl Default for RateLimiter {
    fn default() -> Self {
        Self::new()
    }
}

/// Calls per key and day, waiting to be written.
#[derive(Default)]
pub struct UsageCounter {
    pending: Mutex<HashMap<(Uuid, NaiveDate), (i64, i64)>>,
}

impl UsageCounter {
    pub fn count(&self, key: Uuid, throttled: bool) {
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        let entry = pending.entry((key, Utc::now().date_naive())).or_default();
        entry.0 += 1;
        if throttled {
            entry.1 += 1;
        }
    }

    /// Writes what was counted; counts that could not be written are kept for the next time.
    pub async fn flush(&self, db: &DatabaseConnection) {
        let taken: Vec<_> =
            std::mem::take(&mut *self.pending.lock().unwrap_or_else(|p| p.into_inner())).into_iter().collect();
        let now = Utc::now();
        for ((key, day), (requests, throttled)) in taken {
            if let Err(e) = partners::add_usage(db, key, day, requests, throttled, now).await {
                tracing::warn!(error = %e, "could not write API key usage; kept for the next flush");
                let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
                let entry = pending.entry((key, day)).or_default();
                entry.0 += requests;
                entry.1 += throttled;
            }
        }
    }
}

fn presented_key(req: &HttpRequest) -> Option<String> {
    req.headers().get(HEADER).and_then(|v| v.to_str().ok()).map(|v| v.trim().to_owned())
}

fn invalid_key() -> ApiError {
    ApiError::unauthenticated().with_message(
        "Khóa API không hợp lệ, đã hết hạn hoặc đã bị thu hồi.",
        "The API key is invalid, expired or revoked.",
    )
}

/// Looks the key up, then spends one call of its budget (or of the address's, without a key).
async fn admit(state: &AppState, req: &HttpRequest, presented: Option<String>) -> Result<Option<KeyCaller>, ApiError> {
    let (caller, who, limit) = match presented {
        Some(secret) => {
            let (key, partner) = partners::find_usable_key(&state.db, &sha256_hex(secret.as_bytes()), Utc::now())
                .await?
                .ok_or_else(invalid_key)?;
            if !partner.active {
                return Err(ApiError::new(ErrorCode::AccountDisabled)
                    .with_message("Đối tác đã bị tạm ngừng.", "This partner is suspended."));
            }
            let scopes: Vec<String> = serde_json::from_str(&key.scopes).unwrap_or_default();
            let scopes = scopes.iter().filter_map(|s| Scope::parse(s)).collect();
            let limit = u32::try_from(key.rate_per_minute).unwrap_or(1);
            let who = format!("key:{}", key.id);
            (Some(KeyCaller { key, partner, scopes }), who, limit)
        }
        None => match state.anonymous_rate_per_minute {
            0 => return Ok(None),
            limit => (None, format!("address:{}", state.client_address(req)), limit),
        },
    };
    let decision = state.rate_limiter.take(&who, limit);
    if let Some(c) = &caller {
        state.usage.count(c.key.id, !decision.allowed);
    }
    req.extensions_mut().insert(RateHeaders(decision));
    if !decision.allowed {
        return Err(ApiError::new(ErrorCode::TooManyRequests).retry_after(decision.retry_after_seconds));
    }
    Ok(caller)
}

fn app_state(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>().cloned().ok_or_else(|| ApiError::internal("AppState missing"))
}

/// A caller of the public catalog: anonymous, or a partner with a key.
pub struct CatalogCaller(pub Option<KeyCaller>);

impl FromRequest for CatalogCaller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = app_state(&req)?;
            let caller = admit(&state, &req, presented_key(&req)).await?;
            if let Some(c) = &caller {
                c.require(Scope::CatalogRead)?;
            }
            Ok(Self(caller))
        })
    }
}

/// A partner calling with its key (required).
impl FromRequest for KeyCaller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let presented = presented_key(&req).ok_or_else(|| {
                ApiError::unauthenticated()
                    .with_message("Cần khóa API (X-API-Key).", "An API key is required (X-API-Key).")
            })?;
            let state = app_state(&req)?;
            admit(&state, &req, Some(presented)).await?.ok_or_else(invalid_key)
        })
    }
}

/// The audit trail's name for a partner acting with its key.
pub fn key_audit(req: &HttpRequest, caller: &KeyCaller) -> ocop_persistence::audit::AuditContext {
    ocop_persistence::audit::AuditContext {
        actor_id: None,
        actor_email: Some(format!("partner:{} (key {})", caller.partner.name, caller.key.prefix)),
        request_id: crate::auth::session::request_id(req),
    }
}

#[cfg(test)]
mod tests {
    use super::RateLimiter;

    #[test]
    fn each_client_has_its_own_budget_whatever_its_shard() {
        let limiter = RateLimiter::new();
        let clients: Vec<String> = (0..64).map(|i| format!("203.0.113.{i}")).collect();
        for client in &clients {
            assert!((0..3).all(|_| limiter.take(client, 3).allowed), "{client} spends its own three");
        }
        for client in &clients {
            assert!(!limiter.take(client, 3).allowed, "{client} has spent its budget");
        }
        assert!(limiter.take("198.51.100.1", 3).allowed, "a new client starts full");
    }
}
