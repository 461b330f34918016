//! The `ocop` binary's commands, run as a user would run them, on SQLite and PostgreSQL.

use std::path::Path;
use std::process::{Command, Output};

use ocop_persistence::ConnectionTrait;

const BIN: &str = env!("CARGO_BIN_EXE_ocop");

/// Runs `ocop` with only the given settings in its environment.
fn ocop(data_dir: &Path, database_url: Option<&str>, extra_env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = Command::new(BIN);
    command.env_clear().env("OCOP_DATA_DIR", data_dir).env("OCOP_CONFIG", data_dir.join("none.toml")).args(args);
    if let Some(url) = database_url {
        command.env("OCOP_DATABASE_URL", url);
    }
    for (key, value) in extra_env {
        command.env(key, value);
    }
    command.output().expect("run ocop")
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[test]
fn openapi_prints_the_committed_document() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = ocop(dir.path(), None, &[], &["openapi"]);
    assert!(output.status.success());
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    let committed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json")).expect("read"),
    )
    .expect("JSON");
    assert!(printed == committed, "openapi/openapi.json is stale: run `make openapi`");
}

#[test]
fn production_refuses_to_start_without_a_jwt_secret() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = ocop(dir.path(), None, &[("OCOP_ENV", "production")], &["serve", "--bind", "127.0.0.1:0"]);
    assert!(!output.status.success());
    assert!(text(&output).contains("OCOP_JWT_SECRET is required"), "{}", text(&output));
    let short = ocop(dir.path(), None, &[("OCOP_JWT_SECRET", "too-short")], &["serve", "--bind", "127.0.0.1:0"]);
    assert!(!short.status.success());
    assert!(text(&short).contains("at least 32 characters"));
    let bad_env = ocop(dir.path(), None, &[("OCOP_ENV", "staging")], &["migrate"]);
    assert!(!bad_env.status.success());
}

fn commands_manage_the_database(url: Option<&str>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str], env: &[(&str, &str)]| ocop(dir.path(), url, env, args);

    let migrate = run(&["migrate"], &[]);
    assert!(migrate.status.success(), "{}", text(&migrate));
    if url.is_none() {
        assert!(dir.path().join("ocop.db").is_file(), "SQLite file in the data dir");
    }

    let weak = run(&["create-admin", "--email", "qtv@quangninh.gov.vn", "--password", "short"], &[]);
    assert!(!weak.status.success());
    assert!(text(&weak).contains("password rejected"));
    let from_env =
        run(&["create-admin", "--email", "QTV@QuangNinh.gov.vn"], &[("OCOP_ADMIN_PASSWORD", "Quản trị 2026 an toàn")]);
    assert!(from_env.status.success(), "{}", text(&from_env));
    assert!(text(&from_env).contains("created administrator qtv@quangninh.gov.vn"));
    let again = run(&["create-admin", "--email", "qtv@quangninh.gov.vn", "--password", "Quản trị 2026 an toàn"], &[]);
    assert!(!again.status.success());
    assert!(text(&again).contains("already exists"));

    // Demo data only goes into an empty database.
    let seed = run(&["seed", "--demo"], &[]);
    assert!(!seed.status.success());
    assert!(text(&seed).contains("not empty"));

    // The official units: one province (Quảng Ninh and its 54 communes and wards), again (nothing
    // new), then the whole country.
    let quang_ninh = run(&["units", "load", "--province", "22"], &[]);
    assert!(quang_ninh.status.success(), "{}", text(&quang_ninh));
    assert!(text(&quang_ninh).contains("Loaded 55 administrative units of the 2025 structure (0 already present)"));
    let again = run(&["units", "load", "--province", "22"], &[]);
    assert!(text(&again).contains("Loaded 0 administrative units of the 2025 structure (55 already present)"));
    let unknown = run(&["units", "load", "--province", "02"], &[]);
    assert!(!unknown.status.success());
    assert!(text(&unknown).contains("no province has the code 02"), "{}", text(&unknown));
    let country = run(&["units", "load", "--all"], &[]);
    assert!(country.status.success(), "{}", text(&country));
    assert!(text(&country).contains("Loaded 3300 administrative units of the 2025 structure (55 already present)"));
    // The legacy structure next to it: Quảng Ninh's 13 districts and 171 communes, retired on
    // 1 July 2025 (the province itself lives on), then everything else.
    let legacy = run(&["units", "load", "--province", "22", "--structure", "legacy"], &[]);
    assert!(legacy.status.success(), "{}", text(&legacy));
    assert!(text(&legacy).contains("Loaded 184 administrative units of the legacy structure (1 already present)"));
    let both = run(&["units", "load", "--all", "--structure", "both"], &[]);
    assert!(both.status.success(), "{}", text(&both));
    assert!(text(&both).contains("Loaded 0 administrative units of the 2025 structure (3355 already present)"));
    assert!(
        text(&both).contains("Loaded 10576 administrative units of the legacy structure (218 already present)"),
        "{}",
        text(&both)
    );
    // The reorganisation: nothing placed in the old units of this registry yet, so nothing moves.
    let dry = run(&["units", "reorganise", "--dry-run"], &[]);
    assert!(dry.status.success(), "{}", text(&dry));
    assert!(text(&dry).contains("Dry run, nothing changed: 0 records of"), "{}", text(&dry));
    let done = run(&["units", "reorganise", "--effective", "2025-07-01"], &[]);
    assert!(text(&done).contains("Moved 0 records of"), "{}", text(&done));
    let neither = run(&["units", "load"], &[]);
    assert!(!neither.status.success(), "a province or --all is required");
}

#[test]
fn commands_manage_a_sqlite_database() {
    commands_manage_the_database(None);
}

/// Runs `check` on a fresh PostgreSQL database named after `name`, then drops it.
fn on_postgres(name: &str, check: impl FnOnce(&str)) {
    let admin_url = std::env::var("OCOP_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("ocop_{name}_{}", std::process::id());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    if std::env::var("OCOP_TEST_SQLITE_ONLY").is_ok_and(|v| v == "true") {
        eprintln!("\nOCOP_TEST_SQLITE_ONLY=true: the PostgreSQL CLI test is not run\n");
        return;
    }
    let admin = runtime.block_on(ocop_persistence::connect(&admin_url)).unwrap_or_else(|e| {
        panic!(
            "PostgreSQL at {admin_url} is unreachable ({e}). Start it, point OCOP_TEST_POSTGRES_URL at one, \
             or run SQLite only on purpose with OCOP_TEST_SQLITE_ONLY=true."
        )
    });
    runtime.block_on(admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))).expect("drop");
    runtime.block_on(admin.execute_unprepared(&format!("CREATE DATABASE {name}"))).expect("create");
    let url = format!("{}/{name}", admin_url.rsplit_once('/').expect("URL path").0);
    check(&url);
    runtime.block_on(admin.execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))).expect("drop");
}

#[test]
fn commands_manage_a_postgres_database() {
    on_postgres("cli", |url| commands_manage_the_database(Some(url)));
}

/// A production start without demo data loads the provinces of `OCOP_PROVINCES` (both
/// structures, with their centroids and bounding boxes) once, into an empty registry.
fn first_start_loads_the_configured_provinces(url: Option<&str>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = taken.local_addr().expect("addr").to_string();
    let env = [("OCOP_DEMO", "false"), ("OCOP_PROVINCES", "22")];
    let first = ocop(dir.path(), url, &env, &["serve", "--bind", &address]);
    assert!(
        text(&first).contains("Loaded 55 administrative units of the 2025 structure (0 already present)"),
        "{}",
        text(&first)
    );
    assert!(text(&first).contains("Loaded 184 administrative units of the legacy structure (1 already present)"));
    assert!(text(&first).contains("cannot listen"), "then serves (here: the address is taken)");
    let second = ocop(dir.path(), url, &env, &["serve", "--bind", &address]);
    assert!(!text(&second).contains("Loaded"), "only at first start: {}", text(&second));
    let database_url = url.map_or_else(|| format!("sqlite://{}", dir.path().join("ocop.db").display()), str::to_owned);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let db = ocop_persistence::connect(&database_url).await.expect("connect");
        let row = db
            .query_one_raw(ocop_persistence::Statement::from_string(
                db.get_database_backend(),
                "SELECT lat, lon, min_lon, min_lat, max_lon, max_lat FROM admin_units WHERE code = '06688' AND valid_to IS NULL",
            ))
            .await
            .expect("query")
            .expect("Phường Hạ Long");
        let value = |c: &str| row.try_get::<f64>("", c).expect(c);
        assert!((value("lat") - 20.96).abs() < 0.05 && (value("lon") - 107.05).abs() < 0.05);
        assert!(value("min_lon") <= value("lon") && value("lon") <= value("max_lon"), "the centroid in its box");
        assert!(value("min_lat") <= value("lat") && value("lat") <= value("max_lat"));
        // Its box holds Hồng Hải and Hồng Hà, the wards merged into it (east of 107.09 °E).
        assert!(value("max_lon") > 107.13 && value("max_lon") - value("min_lon") < 0.2);
    });
    let none = tempfile::tempdir().expect("temp dir");
    let skipped =
        ocop(none.path(), None, &[("OCOP_DEMO", "false"), ("OCOP_PROVINCES", "")], &["serve", "--bind", &address]);
    assert!(!text(&skipped).contains("Loaded"), "{}", text(&skipped));
}

#[test]
fn first_start_loads_the_configured_provinces_sqlite() {
    first_start_loads_the_configured_provinces(None);
}

#[test]
fn first_start_loads_the_configured_provinces_postgres() {
    on_postgres("first_start", |url| first_start_loads_the_configured_provinces(Some(url)));
}

#[test]
fn demo_seed_loads_once_and_serve_keeps_its_development_secret() {
    let dir = tempfile::tempdir().expect("temp dir");
    let seed = ocop(dir.path(), None, &[], &["seed", "--demo"]);
    assert!(seed.status.success(), "{}", text(&seed));
    assert!(text(&seed).contains("admin@ocop.demo"));
    assert!(text(&seed).contains("OcopDemo@2026"));
    let twice = ocop(dir.path(), None, &[], &["seed", "--demo"]);
    assert!(!twice.status.success());
    // `serve` on an address already taken fails after the secret is generated.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = taken.local_addr().expect("addr").to_string();
    let serve = ocop(dir.path(), None, &[], &["serve", "--bind", &address]);
    assert!(!serve.status.success());
    assert!(text(&serve).contains("cannot listen"));
    let secret_path = dir.path().join("jwt-secret");
    let secret = std::fs::read_to_string(&secret_path).expect("generated secret");
    assert!(secret.len() >= 32);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secret_path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the secret is private");
    }
    let again = ocop(dir.path(), None, &[], &["serve", "--bind", &address]);
    assert!(text(&again).contains("Demo dataset present: sign in as admin@ocop.demo"), "{}", text(&again));
    assert_eq!(std::fs::read_to_string(&secret_path).expect("secret"), secret, "kept, not regenerated");
}

#[test]
fn synthetic_volume_adds_up_across_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = ocop(dir.path(), None, &[], &["seed", "--demo", "--synthetic", "30"]);
    assert!(first.status.success(), "{}", text(&first));
    let second = ocop(dir.path(), None, &[], &["seed", "--synthetic", "30"]);
    assert!(second.status.success(), "{}", text(&second));
    assert!(!ocop(dir.path(), None, &[], &["seed"]).status.success(), "a dataset must be named");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let count = |table: &str| {
        runtime.block_on(async {
            let db = ocop_persistence::connect(&format!("sqlite://{}", dir.path().join("ocop.db").display()))
                .await
                .expect("db");
            let row = db
                .query_one_raw(ocop_persistence::Statement::from_string(
                    db.get_database_backend(),
                    format!("SELECT COUNT(*) AS n FROM {table}"),
                ))
                .await
                .expect("query")
                .expect("row");
            row.try_get::<i64>("", "n").expect("n")
        })
    };
    assert_eq!(count("products"), 5 + 60, "the demo's five and twice thirty");
    assert_eq!(count("applications"), 3 + 60);
    assert_eq!(count("subjects"), 3 + 20);
}
