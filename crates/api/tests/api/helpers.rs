use std::net::TcpListener;
use std::sync::OnceLock;

use ocop_api::{ApiConfig, Application};
use ocop_persistence::{ConnectionTrait, DatabaseConnection};
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{Value, json};

pub const JWT_SECRET: &str = "test-secret-0123456789-abcdefghijklmnop";
pub const DEMO_PASSWORD: &str = ocop_persistence::seed::DEMO_PASSWORD;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    config: ApiConfig,
    url: String,
    server: Option<(actix_web::dev::ServerHandle, tokio::task::JoinHandle<std::io::Result<()>>)>,
    _sqlite_dir: Option<tempfile::TempDir>,
    pg_database: Option<String>,
}

pub(crate) fn postgres_admin_url() -> String {
    std::env::var("OCOP_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub(crate) fn with_database(url: &str, name: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("postgres URL has a path");
    format!("{base}/{name}")
}

/// Whether the PostgreSQL cases run. An unreachable PostgreSQL fails the run with a clear
/// message, unless `OCOP_TEST_SQLITE_ONLY=true` says on purpose that only SQLite runs.
pub(crate) async fn postgres_available() -> bool {
    static CHECKED: OnceLock<bool> = OnceLock::new();
    if let Some(ok) = CHECKED.get() {
        return *ok;
    }
    if sqlite_only() {
        eprintln!("\nOCOP_TEST_SQLITE_ONLY=true: the PostgreSQL cases are not run\n");
        return *CHECKED.get_or_init(|| false);
    }
    if let Err(e) = ocop_persistence::connect(&postgres_admin_url()).await {
        panic!(
            "PostgreSQL at {} is unreachable ({e}). Start it, point OCOP_TEST_POSTGRES_URL at one, \
             or run SQLite only on purpose with OCOP_TEST_SQLITE_ONLY=true.",
            postgres_admin_url()
        );
    }
    *CHECKED.get_or_init(|| true)
}

/// The explicit opt-out of the PostgreSQL half of the suite.
pub fn sqlite_only() -> bool {
    std::env::var("OCOP_TEST_SQLITE_ONLY").is_ok_and(|v| v == "true")
}

impl TestApp {
    /// A server on a random port over a fresh, migrated and demo-seeded database.
    pub async fn spawn(backend: Backend) -> Option<Self> {
        Self::spawn_with(backend, |_| {}).await
    }

    pub async fn spawn_with(backend: Backend, configure: impl FnOnce(&mut ApiConfig)) -> Option<Self> {
        let (url, sqlite_dir, pg_database) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("ocop.db").display());
                (url, Some(dir), None)
            }
            Backend::Postgres => {
                if !postgres_available().await {
                    return None;
                }
                let name = format!("ocop_test_{}", uuid::Uuid::new_v4().simple());
                let admin = ocop_persistence::connect(&postgres_admin_url()).await.expect("postgres");
                admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create database");
                admin.close().await.ok();
                (with_database(&postgres_admin_url(), &name), None, Some(name))
            }
        };
        let db = ocop_persistence::connect(&url).await.expect("connect");
        ocop_persistence::migrate(&db).await.expect("migrate");
        ocop_persistence::seed::demo(&db, &demo_hash()).await.expect("seed");
        let mut config = ApiConfig::new(JWT_SECRET.as_bytes().to_vec());
        configure(&mut config);
        let mut app = Self {
            address: String::new(),
            client: reqwest::Client::new(),
            db,
            config,
            url,
            server: None,
            _sqlite_dir: sqlite_dir,
            pg_database,
        };
        app.start();
        Some(app)
    }

    /// Starts the server; its public address is where the tests reach it, as
    /// `OCOP_PUBLIC_BASE_URL` would be set in a deployment.
    fn start(&mut self) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        self.address = format!("http://127.0.0.1:{}", listener.local_addr().expect("address").port());
        self.config.public_base_url = self.address.clone();
        let app = Application::build(self.config.clone(), self.db.clone(), listener).expect("build");
        let handle = app.handle();
        self.server = Some((handle, tokio::spawn(app.run_until_stopped())));
    }

    /// Stops the server (and its workers) and starts a new one over the same database, as a
    /// restart would: with a new connection pool (the old pool's connections belong to the
    /// stopped server's worker threads) and a new address.
    pub async fn restart(&mut self) {
        self.stop().await;
        self.start();
    }

    /// Stops the server and its workers (the database stays, with a fresh pool for the test);
    /// `restart` starts it again.
    pub async fn stop(&mut self) {
        if let Some((handle, join)) = self.server.take() {
            handle.stop(false).await;
            join.await.expect("server task").expect("server stopped cleanly");
        }
        let fresh = ocop_persistence::connect(&self.url).await.expect("reconnect");
        std::mem::replace(&mut self.db, fresh).close().await.ok();
    }

    /// Another server over the same database, as a second instance behind a load balancer
    /// would run (its own pool, its own workers); stopped when the returned handle is.
    pub async fn another_instance(&self) -> (String, actix_web::dev::ServerHandle) {
        let db = ocop_persistence::connect(&self.url).await.expect("connect");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = format!("http://127.0.0.1:{}", listener.local_addr().expect("address").port());
        let mut config = self.config.clone();
        config.public_base_url = address.clone();
        let app = Application::build(config, db, listener).expect("build");
        let handle = app.handle();
        tokio::spawn(app.run_until_stopped());
        (address, handle)
    }

    /// The settings the server runs with.
    pub fn config(&self) -> &ApiConfig {
        &self.config
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, format!("{}{path}", self.address))
    }

    pub fn get(&self, path: &str, token: &str) -> RequestBuilder {
        self.request(Method::GET, path).bearer_auth(token)
    }

    /// GET with a token, expecting 200 and a JSON body.
    pub async fn get_json(&self, path: &str, token: &str) -> Value {
        let response = self.get(path, token).send().await.expect("request");
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.expect("JSON body")
    }

    pub fn post(&self, path: &str, token: &str, body: &Value) -> RequestBuilder {
        self.request(Method::POST, path).bearer_auth(token).json(body)
    }

    pub fn patch(&self, path: &str, token: &str, body: &Value) -> RequestBuilder {
        self.request(Method::PATCH, path).bearer_auth(token).json(body)
    }

    pub fn put(&self, path: &str, token: &str, body: &Value) -> RequestBuilder {
        self.request(Method::PUT, path).bearer_auth(token).json(body)
    }

    /// POST with a JSON body, expecting `status`; returns the body.
    pub async fn post_expect(&self, path: &str, token: &str, body: &Value, status: u16) -> Value {
        let response = self.post(path, token, body).send().await.expect("request");
        let got = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(got, status, "POST {path}: {body}");
        body
    }

    /// Uploads a dossier document.
    pub async fn upload(
        &self,
        application: &str,
        token: &str,
        kind_id: &str,
        name: &str,
        content: Vec<u8>,
        replaces: Option<&str>,
    ) -> Response {
        let mut form = reqwest::multipart::Form::new()
            .text("kind_id", kind_id.to_owned())
            .part("file", reqwest::multipart::Part::bytes(content).file_name(name.to_owned()));
        if let Some(id) = replaces {
            form = form.text("replaces", id.to_owned());
        }
        self.request(Method::POST, &format!("/api/v1/applications/{application}/documents"))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .expect("upload")
    }

    pub async fn login_response(&self, email: &str, password: &str) -> Response {
        self.request(Method::POST, "/api/v1/auth/login")
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .expect("login request")
    }

    /// Signs in and returns the whole token pair.
    pub async fn login(&self, email: &str) -> Value {
        let response = self.login_response(email, DEMO_PASSWORD).await;
        assert_eq!(response.status(), 200, "login as {email}");
        response.json().await.expect("token pair")
    }

    pub async fn token(&self, email: &str) -> String {
        self.login(email).await["access_token"].as_str().expect("access token").to_owned()
    }

    pub async fn unit_id(&self, code: &str) -> String {
        let unit = ocop_persistence::admin_units::find_by_code(&self.db, code).await.expect("query").expect("unit");
        unit.id.to_string()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(name) = self.pg_database.take() {
            // Drop the per-test database from a separate thread: Drop cannot await.
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                runtime.block_on(async move {
                    if let Ok(admin) = ocop_persistence::connect(&postgres_admin_url()).await {
                        let _ =
                            admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await;
                    }
                });
            })
            .join()
            .ok();
        }
    }
}

/// A small but real PDF.
pub fn pdf(text: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n%\u{e2}\u{e3}\n1 0 obj << /Type /Catalog >> endobj\n% {text}\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}

/// Hashing is slow by design: hash the demo password once per test binary.
pub(crate) fn demo_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| ocop_api::auth::password::hash(DEMO_PASSWORD).expect("hash")).clone()
}

/// Asserts a problem+json response and returns its body.
pub async fn assert_problem(response: Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status(), status, "status");
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.expect("problem body");
    assert_eq!(body["code"], code, "problem code in {body}");
    assert_eq!(body["status"], status);
    assert!(body["message_vi"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(body["message_en"].as_str().is_some_and(|m| !m.is_empty()));
    body
}

/// Runs a test body against both databases: `both!(name);` expects `async fn name(app: TestApp)`;
/// `both!(name, configure);` first passes the server's settings to `fn configure(&mut ApiConfig)`.
#[macro_export]
macro_rules! both {
    ($name:ident) => {
        $crate::both!($name, |_| {});
    };
    ($name:ident, $configure:expr) => {
        mod $name {
            use $crate::helpers::{Backend, TestApp};

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some(app) = TestApp::spawn_with(Backend::Sqlite, $configure).await {
                    super::$name(app).await;
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = TestApp::spawn_with(Backend::Postgres, $configure).await {
                    super::$name(app).await;
                }
            }
        }
    };
}
