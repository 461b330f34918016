//! Settings, layered: built-in defaults, then an optional TOML file (`OCOP_CONFIG`, default
//! `./ocop.toml`), then `OCOP_*` environment variables.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use base64::Engine;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use ocop_domain::council::LevelRules;
use rand::RngExt;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    /// `development` (default) or `production`.
    pub env: String,
    /// `sqlite://…` (default: `sqlite://{data_dir}/ocop.db`) or `postgres://…`.
    pub database_url: Option<String>,
    pub data_dir: PathBuf,
    pub bind: String,
    /// HS256 signing secret; required in production, generated and kept in the data
    /// directory in development.
    pub jwt_secret: Option<String>,
    /// Comma-separated origins allowed by CORS (the SPA served by this server needs none).
    pub cors_origins: String,
    pub public_base_url: String,
    /// Load the demo dataset into an empty database (default: on in development).
    pub demo: Option<bool>,
    /// The official units loaded (both structures) at first start when the registry has no
    /// unit and the demo is not loaded: province codes separated by commas, `all` for the
    /// whole country, or empty for none.
    #[serde(deserialize_with = "text_or_number")]
    pub provinces: String,
    /// `text` (default) or `json`.
    pub log_format: String,
    /// The built SPA; default `frontend/dist` when it exists.
    pub spa_dir: Option<PathBuf>,
    pub body_limit_bytes: usize,
    /// Trust `Forwarded` / `X-Forwarded-For` for the client address (behind a proxy only).
    pub trust_proxy: bool,
    /// How many trusted proxies stand in front of the server (with `trust_proxy`): the client
    /// is the address the outermost one added to `X-Forwarded-For`.
    pub proxy_hops: usize,
    /// Where dossier files go: a directory (default `{data_dir}/files`) or `s3://bucket/prefix`
    /// (credentials and endpoint from the standard `AWS_*` variables).
    pub file_store: Option<String>,
    /// Largest accepted upload (dossier file, import workbook), in bytes.
    pub upload_limit_bytes: usize,
    /// Council levels and the rules between them: `two_level_2025` (default),
    /// `three_level_2019`, or the path of a JSON file with the deployment's own rules.
    pub council_rules: String,
    /// A MapLibre style URL for the map's base layer; without one the map draws its data on a
    /// plain background (no tile server is needed).
    pub basemap_style_url: Option<String>,
    /// Catalog calls per minute from one address without an API key (0: no limit).
    pub catalog_anonymous_rate_per_minute: u32,
    /// Public stamp look-ups (scan page, JSON trace, Digital Link, place) per minute from one
    /// client address (0: no limit).
    pub trace_rate_per_minute: u32,
    /// Accept webhook subscriptions to local or private-network addresses.
    pub webhook_allow_private_targets: bool,
    /// Memory for catalog pages already built, in bytes (0: build every answer).
    pub catalog_cache_bytes: usize,
    /// The e-mail hook (off when unset): a command such as `/usr/sbin/sendmail -t`, run by
    /// `sh -c`, that receives each new notification as an RFC 5322 message on its input.
    pub notification_mail_command: Option<String>,
    /// How often the live data is swept for due notifications, in seconds.
    pub notification_sweep_seconds: u64,
    /// A stamp scanned more often than this is flagged.
    pub stamp_max_scans: u32,
    /// A stamp scanned from places farther apart than this (km) …
    pub stamp_far_km: f64,
    /// … within this many hours is flagged.
    pub stamp_window_hours: i64,
    /// Stamps one subject may have in circulation, and issuing jobs it may run at once.
    pub stamp_max_live: u64,
    pub stamp_max_running_jobs: u64,
    /// Caps on an imported workbook: unpacked bytes, sheets, rows and columns per sheet, cells
    /// with a value. Past one the import is refused with 413 naming the setting.
    pub import_max_unpacked_bytes: u64,
    pub import_max_sheets: usize,
    pub import_max_rows: u32,
    pub import_max_columns: u32,
    pub import_max_cells: usize,
    /// Positions one imported unit boundary may carry.
    pub boundary_max_positions: usize,
    /// CPU-heavy jobs (workbooks, PDFs, QR sheets, polygons, password hashes) at once
    /// (0: the number of cores), and how long a request waits for a turn before 503.
    pub heavy_concurrency: usize,
    pub heavy_queue_wait_ms: u64,
    /// Webhook subscriptions one partner may hold; deliveries in flight per partner and in all.
    pub webhook_max_subscriptions: usize,
    pub webhook_per_partner_concurrency: usize,
    pub webhook_concurrency: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            env: "development".into(),
            database_url: None,
            data_dir: PathBuf::from("./data"),
            bind: "127.0.0.1:8080".into(),
            jwt_secret: None,
            cors_origins: String::new(),
            public_base_url: "http://127.0.0.1:8080".into(),
            demo: None,
            provinces: "22".into(),
            log_format: "text".into(),
            spa_dir: None,
            body_limit_bytes: 1024 * 1024,
            trust_proxy: false,
            proxy_hops: 1,
            file_store: None,
            upload_limit_bytes: 20 * 1024 * 1024,
            council_rules: "two_level_2025".into(),
            basemap_style_url: None,
            catalog_anonymous_rate_per_minute: 600,
            trace_rate_per_minute: 120,
            webhook_allow_private_targets: false,
            catalog_cache_bytes: 64 * 1024 * 1024,
            notification_mail_command: None,
            notification_sweep_seconds: 60,
            stamp_max_scans: 5,
            stamp_far_km: 100.0,
            stamp_window_hours: 24,
            stamp_max_live: 20_000_000,
            stamp_max_running_jobs: 2,
            import_max_unpacked_bytes: ocop_api::sheets::WorkbookLimits::default().max_unpacked_bytes,
            import_max_sheets: ocop_api::sheets::WorkbookLimits::default().max_sheets,
            import_max_rows: ocop_api::sheets::WorkbookLimits::default().max_rows,
            import_max_columns: ocop_api::sheets::WorkbookLimits::default().max_columns,
            import_max_cells: ocop_api::sheets::WorkbookLimits::default().max_cells,
            boundary_max_positions: 50_000,
            heavy_concurrency: 0,
            heavy_queue_wait_ms: 5_000,
            webhook_max_subscriptions: 10,
            webhook_per_partner_concurrency: 4,
            webhook_concurrency: 32,
        }
    }
}

impl Settings {
    pub fn load() -> anyhow::Result<Self> {
        let file = std::env::var("OCOP_CONFIG").unwrap_or_else(|_| "ocop.toml".into());
        let settings: Self = Figment::from(Serialized::defaults(Self::default()))
            .merge(Toml::file(&file))
            .merge(Env::prefixed("OCOP_").ignore(&["config", "admin_password"]))
            .extract()
            .context("invalid settings")?;
        if !matches!(settings.env.as_str(), "development" | "production") {
            bail!("OCOP_ENV must be `development` or `production`, not `{}`", settings.env);
        }
        Ok(settings)
    }

    pub fn is_production(&self) -> bool {
        self.env == "production"
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("ocop.db").display()))
    }

    pub fn file_store(&self) -> String {
        // An empty value (as compose passes an unset variable) means the default.
        self.file_store
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| self.data_dir.join("files").display().to_string())
    }

    /// The configured council rules: a preset by name, else a JSON file; checked before use.
    pub fn council_rules(&self) -> anyhow::Result<LevelRules> {
        let rules = match LevelRules::preset(&self.council_rules) {
            Some(rules) => rules,
            None => {
                let text = std::fs::read_to_string(&self.council_rules).with_context(|| {
                    format!("OCOP_COUNCIL_RULES is neither a preset nor a readable file: {}", self.council_rules)
                })?;
                serde_json::from_str(&text).context("OCOP_COUNCIL_RULES: invalid JSON rules")?
            }
        };
        rules.validate().context("OCOP_COUNCIL_RULES")?;
        Ok(rules)
    }

    /// `OCOP_PROVINCES`: none (empty), some codes, or every province.
    pub fn provinces(&self) -> Option<ocop_persistence::official_units::Provinces> {
        use ocop_persistence::official_units::Provinces;
        let codes: Vec<String> =
            self.provinces.split(',').map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned).collect();
        match codes.as_slice() {
            [] => None,
            [all] if all.eq_ignore_ascii_case("all") => Some(Provinces::All),
            _ => Some(Provinces::Some(codes)),
        }
    }

    pub fn demo_enabled(&self) -> bool {
        self.demo.unwrap_or(!self.is_production())
    }

    pub fn cors_origins(&self) -> Vec<String> {
        self.cors_origins.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
    }

    pub fn spa_dir(&self) -> Option<PathBuf> {
        match &self.spa_dir {
            Some(dir) => Some(dir.clone()),
            None => Some(PathBuf::from("frontend/dist")).filter(|d| d.join("index.html").is_file()),
        }
    }

    /// The JWT secret: configured, or (development only) generated once into the data dir.
    pub fn jwt_secret(&self) -> anyhow::Result<Vec<u8>> {
        if let Some(secret) = &self.jwt_secret {
            if secret.len() < 32 {
                bail!("OCOP_JWT_SECRET must be at least 32 characters");
            }
            return Ok(secret.as_bytes().to_vec());
        }
        if self.is_production() {
            bail!("OCOP_JWT_SECRET is required when OCOP_ENV=production");
        }
        let path = self.data_dir.join("jwt-secret");
        if let Ok(existing) = std::fs::read_to_string(&path) {
            return Ok(existing.trim().as_bytes().to_vec());
        }
        let mut raw = [0u8; 48];
        rand::rng().fill(&mut raw[..]);
        let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
        write_private(&path, &secret)?;
        tracing::warn!(path = %path.display(), "generated a development JWT secret; set OCOP_JWT_SECRET in production");
        Ok(secret.into_bytes())
    }
}

fn write_private(path: &Path, content: &str) -> anyhow::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options.open(path).with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(content.as_bytes())?;
    Ok(())
}

/// A text setting that may look like a number (`OCOP_PROVINCES=22`): the environment's value
/// comes parsed, and a lone code would otherwise be refused.
fn text_or_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Whole(u64),
    }
    Ok(match Raw::deserialize(deserializer)? {
        Raw::Text(text) => text,
        // A code's leading zero is lost to the number: provinces' codes have two digits.
        Raw::Whole(n) => format!("{n:02}"),
    })
}
