use std::path::PathBuf;

use ocop_domain::council::LevelRules;
use ocop_persistence::DatabaseConnection;

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
    /// Take the client address from `Forwarded` / `X-Forwarded-For` (only behind a proxy
    /// that sets them); otherwise the TCP peer address.
    pub trust_proxy: bool,
    /// Where dossier files are kept.
    pub files: FileStore,
    /// Largest accepted upload (dossier file or import workbook).
    pub upload_limit_bytes: usize,
    /// Council levels and the rules between them.
    pub council_rules: LevelRules,
    /// A MapLibre style for the map's base layer, where a tile server is reachable.
    pub basemap_style_url: Option<String>,
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
            files: FileStore::in_memory(),
            upload_limit_bytes: 20 * 1024 * 1024,
            council_rules: LevelRules::two_level_2025(),
            basemap_style_url: None,
        }
    }
}

pub struct AppState {
    pub db: DatabaseConnection,
    pub jwt: JwtKeys,
    pub throttle: LoginThrottle,
    pub refresh_ttl_seconds: i64,
    pub trust_proxy: bool,
    /// Verified against when an account does not exist, so timing does not reveal it.
    pub dummy_password_hash: String,
    pub files: FileStore,
    pub upload_limit_bytes: usize,
    pub council_rules: LevelRules,
    pub basemap_style_url: Option<String>,
}

impl AppState {
    /// The client's address, for throttling.
    pub fn client_address(&self, req: &actix_web::HttpRequest) -> String {
        if self.trust_proxy {
            req.connection_info().realip_remote_addr().unwrap_or_default().to_owned()
        } else {
            req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default()
        }
    }

    pub fn new(db: DatabaseConnection, config: &ApiConfig) -> Self {
        Self {
            db,
            jwt: JwtKeys::new(&config.jwt_secret, config.access_ttl_seconds),
            throttle: LoginThrottle::new(config.login_limits),
            refresh_ttl_seconds: config.refresh_ttl_seconds,
            trust_proxy: config.trust_proxy,
            dummy_password_hash: crate::auth::password::hash("not-a-real-password-0").unwrap_or_default(),
            files: config.files.clone(),
            upload_limit_bytes: config.upload_limit_bytes,
            council_rules: config.council_rules.clone(),
            basemap_style_url: config.basemap_style_url.clone(),
        }
    }
}
