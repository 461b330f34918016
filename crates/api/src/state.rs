use std::path::PathBuf;
use std::time::Duration;

use ocop_domain::council::LevelRules;
use ocop_persistence::DatabaseConnection;

use crate::auth::api_key::{RateLimiter, UsageCounter};
use crate::auth::jwt::JwtKeys;
use crate::auth::throttle::{Limits, LoginThrottle};
use crate::files::FileStore;

/// What the API needs from the outside world; the server binary fills it from settings.
#[derive(Clone)]
pub struct ApiConfig {
    pub jwt_secret: Vec<u8>,
    pub access_ttl_seconds: i64,
    pub refresh_ttl_seconds: i64,
    pub cors_origins: Vec<String>,
    /// Built SPA (`frontend/dist`); served at `/` with history fallback when present.
    pub spa_dir: Option<PathBuf>,
    pub body_limit_bytes: usize,
    pub login_limits: Limits,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy that sets it);
    /// otherwise the TCP peer address.
    pub trust_proxy: bool,
    /// How many proxies of ours stand in front of the server: the client is the address the
    /// outermost of them saw, `proxy_hops` entries from the right of `X-Forwarded-For`.
    pub proxy_hops: usize,
    /// Where dossier files are kept.
    pub files: FileStore,
    /// Largest accepted upload (dossier file or import workbook).
    pub upload_limit_bytes: usize,
    /// Council levels and the rules between them.
    pub council_rules: LevelRules,
    /// A MapLibre style for the map's base layer, where a tile server is reachable.
    pub basemap_style_url: Option<String>,
    /// The address the public reaches this server at (links in webhook events).
    pub public_base_url: String,
    /// Catalog calls per minute for a client address without an API key (0: no limit).
    pub anonymous_rate_per_minute: u32,
    /// Memory for catalog pages already built (0: build every answer).
    pub catalog_cache_bytes: usize,
    /// Public stamp look-ups (page, JSON, Digital Link, place) per minute per client (0: no limit).
    pub trace_rate_per_minute: u32,
    pub webhooks: WebhookConfig,
    pub notifications: NotifyConfig,
    /// When a stamp's scans count as signs of counterfeiting.
    pub trace_rules: ocop_domain::traceability::SignalRules,
    pub stamp_quota: StampQuota,
    /// How much of an imported workbook is read.
    pub workbook_limits: crate::sheets::WorkbookLimits,
    /// Positions one imported unit boundary may carry.
    pub boundary_max_positions: usize,
    /// How much CPU-heavy work runs at once.
    pub heavy: crate::heavy::HeavyLimits,
}

/// How many stamps one subject may have: in circulation (issued, not voided), and issuing
/// jobs running at once.
#[derive(Debug, Clone, Copy)]
pub struct StampQuota {
    pub max_live: u64,
    pub max_running_jobs: u64,
}

impl Default for StampQuota {
    fn default() -> Self {
        Self { max_live: 20_000_000, max_running_jobs: 2 }
    }
}

/// How notifications are found and mailed.
#[derive(Debug, Clone)]
pub struct NotifyConfig {
    /// How often the live data is swept for due occasions.
    pub sweep_interval: Duration,
    /// The e-mail hook: a shell command receiving each message on its input (off when `None`).
    pub mail_command: Option<String>,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        Self { sweep_interval: Duration::from_secs(60), mail_command: None }
    }
}

/// How webhook deliveries are made.
#[derive(Debug, Clone, Copy)]
pub struct WebhookConfig {
    /// Accept subscriptions to local or private-network addresses (tests, closed networks).
    pub allow_private_targets: bool,
    /// The wait after the first failed attempt; tripled after each further failure.
    pub retry_base: Duration,
    /// How often the worker looks for events and due deliveries.
    pub poll_interval: Duration,
    /// How often it looks for certificates that reached their end.
    pub sweep_interval: Duration,
    /// How long a partner's endpoint may take to answer.
    pub timeout: Duration,
    /// Subscriptions one partner may hold.
    pub max_subscriptions_per_partner: usize,
    /// Deliveries to one partner in flight at once (others wait for the next round).
    pub per_partner_concurrency: usize,
    /// Deliveries in flight at once, over all partners.
    pub concurrency: usize,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        Self {
            allow_private_targets: false,
            retry_base: Duration::from_secs(10),
            poll_interval: Duration::from_secs(1),
            sweep_interval: Duration::from_secs(60),
            timeout: Duration::from_secs(10),
            max_subscriptions_per_partner: 10,
            per_partner_concurrency: 4,
            concurrency: 32,
        }
    }
}

impl ApiConfig {
    pub fn new(jwt_secret: Vec<u8>) -> Self {
        Self {
            jwt_secret,
            access_ttl_seconds: 15 * 60,
            refresh_ttl_seconds: 14 * 24 * 3600,
            cors_origins: Vec::new(),
            spa_dir: None,
            body_limit_bytes: 1024 * 1024,
            login_limits: Limits::default(),
            trust_proxy: false,
            proxy_hops: 1,
            files: FileStore::in_memory(),
            upload_limit_bytes: 20 * 1024 * 1024,
            council_rules: LevelRules::two_level_2025(),
            basemap_style_url: None,
            public_base_url: "http://127.0.0.1:8080".into(),
            anonymous_rate_per_minute: 600,
            catalog_cache_bytes: 64 * 1024 * 1024,
            trace_rate_per_minute: 120,
            webhooks: WebhookConfig::default(),
            notifications: NotifyConfig::default(),
            trace_rules: ocop_domain::traceability::SignalRules::default(),
            stamp_quota: StampQuota::default(),
            workbook_limits: crate::sheets::WorkbookLimits::default(),
            boundary_max_positions: 50_000,
            heavy: crate::heavy::HeavyLimits::default(),
        }
    }
}

pub struct AppState {
    pub db: DatabaseConnection,
    pub jwt: JwtKeys,
    pub throttle: LoginThrottle,
    pub refresh_ttl_seconds: i64,
    /// Trusted proxies in front of the server (0: none, the peer address is the client).
    pub proxy_hops: usize,
    /// Verified against when an account does not exist, so timing does not reveal it.
    pub dummy_password_hash: String,
    pub files: FileStore,
    pub upload_limit_bytes: usize,
    pub council_rules: LevelRules,
    pub basemap_style_url: Option<String>,
    pub public_base_url: String,
    pub anonymous_rate_per_minute: u32,
    pub trace_rate_per_minute: u32,
    pub webhooks: WebhookConfig,
    pub notifications: NotifyConfig,
    pub trace_rules: ocop_domain::traceability::SignalRules,
    pub stamp_quota: StampQuota,
    pub workbook_limits: crate::sheets::WorkbookLimits,
    pub boundary_max_positions: usize,
    /// The gate in front of the blocking pool for CPU-heavy work.
    pub heavy: crate::heavy::Heavy,
    /// Scans waiting to be written.
    pub scans: crate::stamps::ScanLog,
    /// Wakes the workers whose jobs a handler has just stored.
    pub wake: crate::workers::Wake,
    pub trace_cache: crate::caches::TraceCache<crate::dto::CachedBatch>,
    pub stamp_cache: crate::stamps::StampCache,
    /// The scan log's client hashes are keyed by a salt that changes daily.
    pub scan_hasher: crate::stamps::DailyHasher,
    pub rate_limiter: RateLimiter,
    /// Public stamp look-ups per client address (`OCOP_TRACE_RATE_PER_MINUTE`).
    pub trace_limiter: RateLimiter,
    pub usage: UsageCounter,
    /// Catalog pages already built, by the catalog's fingerprint and the request.
    pub catalog_cache: crate::caches::PageCache,
}

impl AppState {
    /// The client's address, for throttling and the scan log. Behind `proxy_hops` trusted
    /// proxies it is the entry of `X-Forwarded-For` that the outermost of them added (each
    /// proxy appends the address it was called from): entries to its left are whatever the
    /// client wrote. Without a full chain, the peer address.
    pub fn client_address(&self, req: &actix_web::HttpRequest) -> String {
        let peer = || req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default();
        if self.proxy_hops == 0 {
            return peer();
        }
        let chain: Vec<&str> = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .collect();
        match chain.len().checked_sub(self.proxy_hops) {
            Some(at) => chain[at].to_owned(),
            None => peer(),
        }
    }

    pub fn new(db: DatabaseConnection, config: &ApiConfig) -> Self {
        Self {
            db,
            jwt: JwtKeys::new(&config.jwt_secret, config.access_ttl_seconds),
            throttle: LoginThrottle::new(config.login_limits),
            refresh_ttl_seconds: config.refresh_ttl_seconds,
            proxy_hops: if config.trust_proxy { config.proxy_hops.max(1) } else { 0 },
            dummy_password_hash: crate::auth::password::hash("not-a-real-password-0").unwrap_or_default(),
            files: config.files.clone(),
            upload_limit_bytes: config.upload_limit_bytes,
            council_rules: config.council_rules.clone(),
            basemap_style_url: config.basemap_style_url.clone(),
            public_base_url: config.public_base_url.trim_end_matches('/').to_owned(),
            anonymous_rate_per_minute: config.anonymous_rate_per_minute,
            trace_rate_per_minute: config.trace_rate_per_minute,
            webhooks: config.webhooks,
            notifications: config.notifications.clone(),
            trace_rules: config.trace_rules,
            stamp_quota: config.stamp_quota,
            workbook_limits: config.workbook_limits,
            boundary_max_positions: config.boundary_max_positions,
            heavy: crate::heavy::Heavy::new(config.heavy),
            scans: crate::stamps::ScanLog::default(),
            wake: crate::workers::Wake::default(),
            trace_cache: crate::caches::TraceCache::default(),
            stamp_cache: crate::stamps::StampCache::default(),
            scan_hasher: crate::stamps::DailyHasher::new(config.jwt_secret.clone()),
            rate_limiter: RateLimiter::new(),
            trace_limiter: RateLimiter::new(),
            usage: UsageCounter::default(),
            catalog_cache: crate::caches::PageCache::new(config.catalog_cache_bytes),
        }
    }
}
