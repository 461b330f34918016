//! `ocop`: the server binary. Thin: settings, telemetry, and the commands below.

mod settings;
mod telemetry;

use std::net::TcpListener;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use ocop_api::auth::password;
use ocop_api::{ApiConfig, Application};
use ocop_persistence::{DatabaseConnection, TransactionTrait, audit, seed, users};

use crate::settings::Settings;

#[derive(Parser)]
#[command(name = "ocop", version, about = "OCOP programme management server (Mỗi xã một sản phẩm)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database, load demo data if enabled and empty, and serve HTTP.
    Serve {
        /// Address to listen on (default from OCOP_BIND, else 127.0.0.1:8080).
        #[arg(long)]
        bind: Option<String>,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Load a dataset: the demo (into an empty database), then optionally synthetic volume.
    #[command(group(clap::ArgGroup::new("dataset").required(true).multiple(true).args(["demo", "synthetic"])))]
    Seed {
        /// The demo dataset (Quảng Ninh).
        #[arg(long)]
        demo: bool,
        /// Add this many synthetic products (with subjects and 2026 applications) on top of
        /// the demo dataset, for benchmarks.
        #[arg(long, value_name = "PRODUCTS")]
        synthetic: Option<u32>,
        /// Certify the synthetic products (3★, every fourth 4★, one in fifty 5★), so that
        /// they fill the public catalog.
        #[arg(long, requires = "synthetic")]
        certified: bool,
    },
    /// Vietnam's official administrative units, shipped with the server.
    #[command(subcommand)]
    Units(UnitsCommand),
    /// Print the OpenAPI document.
    Openapi,
    /// Create an administrator account.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, env = "OCOP_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long, default_value = "Quản trị hệ thống")]
        name: String,
    },
}

#[derive(Subcommand)]
enum UnitsCommand {
    /// Load official units into the registry: the structure in force since 1 July 2025
    /// (provinces and their communes), the one before it (provinces, districts, communes, all
    /// retired on that day and pointing at their successors), or both. Idempotent: units
    /// already present are left as they are.
    #[command(group(clap::ArgGroup::new("which").required(true).args(["province", "all"])))]
    Load {
        /// A province's code (repeatable), e.g. `--province 22` for Quảng Ninh.
        #[arg(long, value_name = "CODE")]
        province: Vec<String>,
        /// Every province: the national deployment.
        #[arg(long)]
        all: bool,
        #[arg(long, value_enum, default_value = "2025")]
        structure: StructureArg,
    },
    /// Move every record placed in a unit retired on the effective day (subjects, products,
    /// growing areas, craft villages, sales points, councils, targets, training participants,
    /// funding lines, officers) to the unit that took it over, in one audited transaction.
    /// Records of a divided commune go to its default part and are listed to be confirmed.
    Reorganise {
        /// The day the new structure took effect (the retired units' `valid_to`).
        #[arg(long, default_value = "2025-07-01")]
        effective: chrono::NaiveDate,
        /// Report what would move, change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum StructureArg {
    /// Since 1 July 2025.
    #[value(name = "2025")]
    Current,
    /// Before 1 July 2025.
    Legacy,
    /// The 2025 structure, then the legacy one.
    Both,
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Command::Openapi = cli.command {
        let doc = ocop_api::openapi_document();
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(());
    }
    let settings = Settings::load()?;
    telemetry::init(&settings.log_format);
    std::fs::create_dir_all(&settings.data_dir)
        .with_context(|| format!("cannot create data dir {}", settings.data_dir.display()))?;
    let db = ocop_persistence::connect(&settings.database_url()).await.context("cannot connect to the database")?;
    ocop_persistence::migrate(&db).await.context("migration failed")?;
    match cli.command {
        Command::Serve { bind } => serve(settings, db, bind).await,
        Command::Migrate => {
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Seed { demo, synthetic, certified } => {
            if demo && !seed_demo(&db).await? {
                bail!("the database is not empty; demo data is only loaded into an empty database");
            }
            if let Some(products) = synthetic {
                seed::synthetic(&db, products, certified).await?;
                let what = if certified { "certified " } else { "" };
                println!("Added {products} {what}synthetic products with their subjects and 2026 applications.");
            }
            Ok(())
        }
        Command::CreateAdmin { email, password, name } => create_admin(&db, &email, &password, &name).await,
        Command::Units(UnitsCommand::Load { province, all, structure }) => {
            use ocop_persistence::official_units::Provinces;
            let which = if all { Provinces::All } else { Provinces::Some(province) };
            load_units(&db, which, structure, "ocop units load").await
        }
        Command::Units(UnitsCommand::Reorganise { effective, dry_run }) => reorganise(&db, effective, dry_run).await,
        Command::Openapi => Ok(()),
    }
}

async fn serve(settings: Settings, db: DatabaseConnection, bind: Option<String>) -> anyhow::Result<()> {
    let demo_loaded = settings.demo_enabled() && seed_demo(&db).await?;
    if settings.demo_enabled() && !demo_loaded && users::find_by_email(&db, seed::DEMO_ADMIN_EMAIL).await?.is_some() {
        println!(
            "Demo dataset present: sign in as {} (demo password {} unless changed).",
            seed::DEMO_ADMIN_EMAIL,
            seed::DEMO_PASSWORD
        );
    }
    // First start on real ground: the official units of the configured provinces.
    if let Some(provinces) = settings.provinces()
        && !demo_loaded
        && ocop_persistence::admin_units::count(&db).await? == 0
    {
        load_units(&db, provinces, StructureArg::Both, "OCOP_PROVINCES at first start").await?;
    }
    let mut config = ApiConfig::new(settings.jwt_secret()?);
    config.cors_origins = settings.cors_origins();
    config.spa_dir = settings.spa_dir();
    config.body_limit_bytes = settings.body_limit_bytes;
    config.trust_proxy = settings.trust_proxy;
    config.proxy_hops = settings.proxy_hops;
    config.upload_limit_bytes = settings.upload_limit_bytes;
    config.council_rules = settings.council_rules()?;
    config.basemap_style_url = settings.basemap_style_url.clone().filter(|u| !u.trim().is_empty());
    config.public_base_url = settings.public_base_url.clone();
    config.anonymous_rate_per_minute = settings.catalog_anonymous_rate_per_minute;
    config.trace_rate_per_minute = settings.trace_rate_per_minute;
    config.webhooks.allow_private_targets = settings.webhook_allow_private_targets;
    config.webhooks.max_subscriptions_per_partner = settings.webhook_max_subscriptions;
    config.webhooks.per_partner_concurrency = settings.webhook_per_partner_concurrency;
    config.webhooks.concurrency = settings.webhook_concurrency;
    config.catalog_cache_bytes = settings.catalog_cache_bytes;
    config.notifications.mail_command = settings.notification_mail_command.clone().filter(|c| !c.trim().is_empty());
    config.notifications.sweep_interval = std::time::Duration::from_secs(settings.notification_sweep_seconds.max(1));
    config.trace_rules = ocop_domain::traceability::SignalRules {
        max_scans: settings.stamp_max_scans,
        far_km: settings.stamp_far_km,
        window_hours: settings.stamp_window_hours,
    };
    config.stamp_quota =
        ocop_api::StampQuota { max_live: settings.stamp_max_live, max_running_jobs: settings.stamp_max_running_jobs };
    config.workbook_limits = ocop_api::sheets::WorkbookLimits {
        max_unpacked_bytes: settings.import_max_unpacked_bytes,
        max_sheets: settings.import_max_sheets,
        max_rows: settings.import_max_rows,
        max_columns: settings.import_max_columns,
        max_cells: settings.import_max_cells,
    };
    config.boundary_max_positions = settings.boundary_max_positions;
    if settings.heavy_concurrency > 0 {
        config.heavy.concurrency = settings.heavy_concurrency;
    }
    config.heavy.queue_wait = std::time::Duration::from_millis(settings.heavy_queue_wait_ms);
    config.files = ocop_api::files::FileStore::open(&settings.file_store())
        .with_context(|| format!("cannot open the file store {}", settings.file_store()))?;
    if config.spa_dir.is_none() {
        tracing::warn!("no built SPA found (frontend/dist); serving the API only");
    }
    let bind = bind.unwrap_or_else(|| settings.bind.clone());
    let listener = TcpListener::bind(&bind).with_context(|| format!("cannot listen on {bind}"))?;
    let app = Application::build(config, db, listener)?;
    tracing::info!(address = %bind, "ocop listening");
    println!("ocop is listening on http://{bind}  (API /api/v1, Swagger UI /swagger-ui/)");
    app.run_until_stopped().await?;
    Ok(())
}

/// Loads official units in one audited transaction; `actor` names who asked in the audit log.
async fn load_units(
    db: &DatabaseConnection,
    which: ocop_persistence::official_units::Provinces,
    structure: StructureArg,
    actor: &str,
) -> anyhow::Result<()> {
    use ocop_persistence::official_units::{Provinces, load_current, load_legacy};
    let started = std::time::Instant::now();
    let txn = db.begin().await?;
    let mut lines = Vec::new();
    let ctx = audit::AuditContext { actor_email: Some(actor.into()), ..Default::default() };
    for (name, legacy) in [("2025", false), ("legacy", true)] {
        let wanted = match structure {
            StructureArg::Current => !legacy,
            StructureArg::Legacy => legacy,
            StructureArg::Both => true,
        };
        if !wanted {
            continue;
        }
        let report = if legacy { load_legacy(&txn, &which).await? } else { load_current(&txn, &which).await? };
        let summary = serde_json::json!({"structure": name, "inserted": report.inserted, "present": report.present,
        "provinces": match &which {
            Provinces::All => serde_json::json!("all"),
            Provinces::Some(codes) => serde_json::json!(codes),
        }});
        audit::record::<(), _>(&txn, &ctx, "admin_units.load", "admin_unit", name, None, Some(&summary)).await?;
        lines.push(format!(
            "Loaded {} administrative units of the {name} structure ({} already present)",
            report.inserted, report.present
        ));
    }
    txn.commit().await?;
    for line in lines {
        println!("{line} in {:.1} s.", started.elapsed().as_secs_f64());
    }
    Ok(())
}

async fn reorganise(db: &DatabaseConnection, effective: chrono::NaiveDate, dry_run: bool) -> anyhow::Result<()> {
    use ocop_persistence::reorganisation;
    let txn = db.begin().await?;
    let moves = reorganisation::plan(&txn, effective).await?;
    let report = reorganisation::apply(&txn, &moves).await?;
    let ctx = audit::AuditContext { actor_email: Some("ocop units reorganise".into()), ..Default::default() };
    let summary = serde_json::json!({"effective": effective, "report": &report, "moves": &moves});
    audit::record::<(), _>(&txn, &ctx, "admin_units.reorganise", "admin_unit", effective, None, Some(&summary)).await?;
    let moved: usize = report.moved.values().sum();
    if dry_run {
        txn.rollback().await?;
        println!("Dry run, nothing changed: {moved} records of {} retired units would move.", report.units);
    } else {
        txn.commit().await?;
        println!("Moved {moved} records of {} retired units to their successors.", report.units);
    }
    for (table, n) in &report.moved {
        println!("  {table}: {n}");
    }
    if report.officers_promoted > 0 {
        println!("  district officers now officers of their province: {}", report.officers_promoted);
    }
    if !report.to_confirm.is_empty() {
        println!("{} records came from divided communes; confirm or correct their commune:", report.to_confirm.len());
        for c in &report.to_confirm {
            println!("  {} {}: {} → {}", c.table, c.id, c.from_code, c.to_code);
        }
    }
    Ok(())
}

/// Loads the demo dataset if the database is empty; `false` if it was not.
async fn seed_demo(db: &DatabaseConnection) -> anyhow::Result<bool> {
    if users::count(db).await? > 0 || ocop_persistence::admin_units::count(db).await? > 0 {
        return Ok(false);
    }
    let hash = password::hash(seed::DEMO_PASSWORD)?;
    seed::demo(db, &hash).await?;
    println!("Loaded the DEMO dataset (Quảng Ninh). Demo accounts, all with password {}:", seed::DEMO_PASSWORD);
    for (email, _, role, _) in seed::DEMO_USERS {
        println!("  {email:<22} {role}");
    }
    Ok(true)
}

async fn create_admin(db: &DatabaseConnection, email: &str, password_text: &str, name: &str) -> anyhow::Result<()> {
    let email = ocop_domain_email(email)?;
    if let Err(weak) = ocop_domain::account::check_password(password_text, &email) {
        bail!("password rejected: it needs {weak}");
    }
    if users::find_by_email(db, &email).await?.is_some() {
        bail!("an account with e-mail {email} already exists");
    }
    let hash = password::hash(password_text)?;
    let txn = db.begin().await?;
    let user = users::insert(
        &txn,
        users::NewUser {
            email: email.clone(),
            display_name: name.to_owned(),
            display_name_folded: ocop_domain::text::fold(name),
            password_hash: hash,
            role: "admin".into(),
            admin_unit_id: None,
            subject_id: None,
        },
    )
    .await?;
    let ctx = audit::AuditContext { actor_email: Some("cli".into()), ..Default::default() };
    audit::record::<(), _>(&txn, &ctx, "user.create", "user", user.id, None, Some(&user)).await?;
    txn.commit().await?;
    println!("created administrator {email}");
    Ok(())
}

fn ocop_domain_email(raw: &str) -> anyhow::Result<String> {
    ocop_domain::account::Email::parse(raw)
        .map(|e| e.into_inner())
        .map_err(|_| anyhow::anyhow!("`{raw}` is not a valid e-mail address"))
}
