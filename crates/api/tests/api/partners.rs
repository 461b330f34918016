//! Partners of the catalog: keys with scopes and rates, rotation and revocation, usage; and
//! webhooks that are signed, retried, logged, and delivered after a restart.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use chrono::Utc;
use ocop_domain::partner::verify;
use ocop_persistence::ConnectionTrait;
use reqwest::Method;
use serde_json::{Value, json};

use crate::both;
use crate::catalog::{certify, revoke};
use crate::helpers::{TestApp, assert_problem};

const ADMIN: &str = "admin@ocop.demo";

fn keyed(app: &TestApp, method: Method, path: &str, key: &str) -> reqwest::RequestBuilder {
    app.request(method, path).header("X-API-Key", key)
}

pub(crate) async fn new_partner(app: &TestApp, admin: &str) -> String {
    let body = json!({"name": "Sàn TMĐT Quảng Ninh", "kind": "portal", "contact_email": "kythuat@san.example.vn", "website": "https://san.example.vn"});
    app.post_expect("/api/v1/partners", admin, &body, 201).await["id"].as_str().expect("id").to_owned()
}

/// Issues a key; returns (key id, secret).
async fn new_key(app: &TestApp, admin: &str, partner: &str, scopes: &[&str], rate: u32) -> (String, String) {
    let body = json!({"name": "Đồng bộ", "scopes": scopes, "rate_per_minute": rate});
    let issued = app.post_expect(&format!("/api/v1/partners/{partner}/keys"), admin, &body, 201).await;
    (issued["key"]["id"].as_str().expect("id").to_owned(), issued["secret"].as_str().expect("secret").to_owned())
}

async fn keys_have_scopes_rates_rotation_and_usage(app: TestApp) {
    let admin = app.token(ADMIN).await;
    let officer = app.token("tinh@ocop.demo").await;
    let body = json!({"name": "Sàn", "kind": "portal", "contact_email": "a@b.vn"});
    assert_problem(app.post("/api/v1/partners", &officer, &body).send().await.expect("req"), 403, "forbidden").await;
    let odd = json!({"name": "Sàn", "kind": "bank", "contact_email": "a@b.vn"});
    let refused =
        assert_problem(app.post("/api/v1/partners", &admin, &odd).send().await.expect("req"), 422, "validation_failed")
            .await;
    assert_eq!(refused["errors"][0]["field"], "kind");
    let partner = new_partner(&app, &admin).await;
    let bad_scope = json!({"name": "x1", "scopes": ["catalog:write"]});
    let refused = assert_problem(
        app.post(&format!("/api/v1/partners/{partner}/keys"), &admin, &bad_scope).send().await.expect("req"),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(refused["errors"][0]["field"], "scopes");

    let (key_id, secret) = new_key(&app, &admin, &partner, &["catalog:read"], 3).await;
    assert!(secret.starts_with("ocop_") && secret.len() >= 40, "{secret}");
    // The secret is shown once: never in a listing, never in the audit trail.
    let listed = app.get_json(&format!("/api/v1/partners/{partner}/keys"), &admin).await;
    assert_eq!(listed[0]["status"], "active");
    assert!(!listed.to_string().contains(&secret));
    let trail = app.get_json("/api/v1/audit?entity_type=api_key", &admin).await;
    assert!(!trail.to_string().contains(&secret[5..]), "{trail}");

    // Within the rate: 200 with the rate-limit headers; then 429 with Retry-After.
    for left in ["2", "1", "0"] {
        let ok = keyed(&app, Method::GET, "/api/v1/catalog/products", &secret).send().await.expect("req");
        assert_eq!(ok.status(), 200);
        assert_eq!(ok.headers()["ratelimit-limit"], "3");
        assert_eq!(ok.headers()["ratelimit-remaining"], left);
    }
    let over = keyed(&app, Method::GET, "/api/v1/catalog/products", &secret).send().await.expect("req");
    let retry: u64 = over.headers()["retry-after"].to_str().expect("retry-after").parse().expect("seconds");
    assert!((1..=20).contains(&retry), "one call every 20 s: {retry}");
    assert_eq!(over.headers()["ratelimit-remaining"], "0");
    assert_problem(over, 429, "too_many_requests").await;

    // Scopes: a catalog key cannot manage webhooks; a webhook key cannot read the catalog.
    let hook = json!({"url": "https://san.example.vn/hooks", "events": ["product.listed"]});
    let (_, hooks_only) = new_key(&app, &admin, &partner, &["webhooks:manage"], 100).await;
    let denied = keyed(&app, Method::GET, "/api/v1/catalog/products", &hooks_only).send().await.expect("req");
    let denied = assert_problem(denied, 403, "forbidden").await;
    assert!(denied["message_en"].as_str().is_some_and(|m| m.contains("catalog:read")), "{denied}");
    let (_, reader) = new_key(&app, &admin, &partner, &["catalog:read"], 100).await;
    let denied = keyed(&app, Method::POST, "/api/v1/partner/webhooks", &reader).json(&hook).send().await.expect("req");
    assert_problem(denied, 403, "forbidden").await;
    let unknown = keyed(&app, Method::GET, "/api/v1/catalog/products", "ocop_not-a-key").send().await.expect("req");
    assert_problem(unknown, 401, "unauthenticated").await;
    let missing = app.request(Method::GET, "/api/v1/partner/me").send().await.expect("req");
    assert_problem(missing, 401, "unauthenticated").await;

    // Usage per day counts every call, the refused one too.
    let usage = app.get_json(&format!("/api/v1/api-keys/{key_id}/usage"), &admin).await;
    assert_eq!(usage["requests"], 4, "{usage}");
    assert_eq!(usage["throttled"], 1, "{usage}");
    assert_eq!(usage["days"][0]["day"], Utc::now().date_naive().format("%Y-%m-%d").to_string());
    let me = keyed(&app, Method::GET, "/api/v1/partner/me", &reader).send().await.expect("req");
    assert_eq!(me.status(), 200);
    let me: Value = me.json().await.expect("json");
    assert_eq!(me["partner"]["id"], partner.as_str());
    assert_eq!(me["usage"]["requests"], 2, "the refused subscription and this call: {me}");

    // Rotation: the new key works, the old one too until its grace ends; a second rotation of
    // the same key is refused; revocation ends it at once.
    let rotated =
        app.post_expect(&format!("/api/v1/api-keys/{key_id}/rotate"), &admin, &json!({"grace_hours": 1}), 201).await;
    let new_secret = rotated["secret"].as_str().expect("secret").to_owned();
    assert_ne!(new_secret, secret);
    assert_eq!(rotated["key"]["scopes"], json!(["catalog:read"]));
    let listed = app.get_json(&format!("/api/v1/partners/{partner}/keys"), &admin).await;
    let old = listed.as_array().expect("keys").iter().find(|k| k["id"] == key_id.as_str()).expect("old key").clone();
    assert_eq!(old["status"], "rotating");
    assert_eq!(old["replaced_by"], rotated["key"]["id"]);
    assert_eq!(
        keyed(
            &app,
            Method::GET,
            &format!("/api/v1/catalog/changes?since={}", Utc::now().format("%Y-%m-01T00:00:00Z")),
            &new_secret
        )
        .send()
        .await
        .expect("req")
        .status(),
        200
    );
    assert_problem(
        app.post(&format!("/api/v1/api-keys/{key_id}/rotate"), &admin, &json!({})).send().await.expect("req"),
        409,
        "conflict",
    )
    .await;
    app.post_expect(&format!("/api/v1/api-keys/{key_id}/revoke"), &admin, &json!({}), 200).await;
    let revoked = keyed(&app, Method::GET, "/api/v1/catalog/products", &secret).send().await.expect("req");
    assert_problem(revoked, 401, "unauthenticated").await;

    // A suspended partner's keys are refused.
    let suspended = json!({"name": "Sàn TMĐT Quảng Ninh", "kind": "portal", "contact_email": "kythuat@san.example.vn", "active": false});
    assert_eq!(
        app.put(&format!("/api/v1/partners/{partner}"), &admin, &suspended).send().await.expect("req").status(),
        200
    );
    let refused = keyed(&app, Method::GET, "/api/v1/catalog/products", &new_secret).send().await.expect("req");
    assert_problem(refused, 403, "account_disabled").await;
    let trail = app.get_json("/api/v1/audit?entity_type=api_key", &admin).await;
    let actions: Vec<&str> =
        trail["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
    for action in ["api_key.create", "api_key.rotate", "api_key.revoke"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
}
both!(keys_have_scopes_rates_rotation_and_usage);

async fn anonymous_callers_are_limited_per_address(app: TestApp) {
    for _ in 0..2 {
        assert_eq!(app.request(Method::GET, "/api/v1/catalog/products").send().await.expect("req").status(), 200);
    }
    let over = app.request(Method::GET, "/api/v1/catalog/products").send().await.expect("req");
    assert!(over.headers().contains_key("retry-after"));
    assert_problem(over, 429, "too_many_requests").await;
}

both!(anonymous_callers_are_limited_per_address, |c| c.anonymous_rate_per_minute = 2);

/// One request the partner's endpoint received.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    pub(crate) body: Vec<u8>,
    signature: String,
    pub(crate) event_id: String,
}

/// A partner's webhook endpoint: answers `status` (changeable) and keeps what it received.
#[derive(Clone)]
pub(crate) struct Receiver {
    pub(crate) url: String,
    got: Arc<Mutex<Vec<Received>>>,
    status: Arc<Mutex<u16>>,
}

impl Receiver {
    pub(crate) fn start(status: u16) -> Self {
        let got = Arc::new(Mutex::new(Vec::new()));
        let status = Arc::new(Mutex::new(status));
        let (g, s) = (got.clone(), status.clone());
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://127.0.0.1:{}/hooks/ocop", listener.local_addr().expect("addr").port());
        let server = HttpServer::new(move || {
            let (g, s) = (g.clone(), s.clone());
            App::new().route(
                "/hooks/ocop",
                web::post().to(move |req: HttpRequest, body: web::Bytes| {
                    let (g, s) = (g.clone(), s.clone());
                    async move {
                        let header = |name: &str| {
                            req.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
                        };
                        g.lock().expect("lock").push(Received {
                            body: body.to_vec(),
                            signature: header("x-ocop-signature"),
                            event_id: header("x-ocop-event-id"),
                        });
                        let code = *s.lock().expect("lock");
                        HttpResponse::build(actix_web::http::StatusCode::from_u16(code).expect("status")).finish()
                    }
                }),
            )
        })
        .workers(1)
        .listen(listener)
        .expect("listen")
        .run();
        tokio::spawn(server);
        Self { url, got, status }
    }

    fn set_status(&self, code: u16) {
        *self.status.lock().expect("lock") = code;
    }

    pub(crate) fn received(&self) -> Vec<Received> {
        self.got.lock().expect("lock").clone()
    }

    /// Waits (bounded) until `n` requests arrived.
    pub(crate) async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..150 {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("expected {n} webhook requests, got {:?}", self.received().len());
    }
}

async fn webhooks_are_signed_retried_logged_and_survive_a_restart(mut app: TestApp) {
    let receiver = Receiver::start(500);
    let admin = app.token(ADMIN).await;
    let partner = new_partner(&app, &admin).await;
    let (_, key) = new_key(&app, &admin, &partner, &["catalog:read", "webhooks:manage"], 600).await;
    let hook = json!({"url": receiver.url, "events": ["product.listed", "product.updated", "product.delisted"]});
    let bad = json!({"url": "ftp://san.example.vn/x", "events": ["product.listed"]});
    let refused = keyed(&app, Method::POST, "/api/v1/partner/webhooks", &key).json(&bad).send().await.expect("req");
    assert_eq!(assert_problem(refused, 422, "validation_failed").await["errors"][0]["field"], "url");
    let made = keyed(&app, Method::POST, "/api/v1/partner/webhooks", &key).json(&hook).send().await.expect("req");
    assert_eq!(made.status(), 201);
    let made: Value = made.json().await.expect("json");
    let secret = made["secret"].as_str().expect("secret").to_owned();
    let listed = keyed(&app, Method::GET, "/api/v1/partner/webhooks", &key).send().await.expect("req");
    let listed: Value = listed.json().await.expect("json");
    assert_eq!(listed[0]["url"], receiver.url.as_str());
    assert!(!listed.to_string().contains(&secret));

    // A certificate lists the tea: the first attempt fails (500), a retry is delivered.
    let today = Utc::now().date_naive().format("%Y-%m-%d").to_string();
    let cert = certify(&app, 75, &today).await;
    receiver.wait_for(1).await;
    receiver.set_status(200);
    let log = all_delivered(&app, &partner, 1).await;
    let got = receiver.received();
    assert!(got.len() >= 2, "a failed attempt, then the delivery");
    assert_eq!(log["items"][0]["attempts"], got.len(), "{log}");
    assert_eq!(log["items"][0]["last_status"], 200);
    assert_eq!(log["items"][0]["event_type"], "product.listed");
    for r in &got {
        assert!(verify(secret.as_bytes(), &r.body, &r.signature), "signature of {}", String::from_utf8_lossy(&r.body));
        assert!(!verify(b"another-secret", &r.body, &r.signature));
        assert_eq!(r.event_id, got[0].event_id, "a retry carries the same event id");
    }
    let event: Value = serde_json::from_slice(&got[0].body).expect("event json");
    assert_eq!(event["type"], "product.listed");
    assert_eq!(event["id"], got[0].event_id.as_str());
    assert_eq!(event["data"]["star"], 4);
    assert_eq!(event["data"]["certificate_number"], cert["number"]);
    let own = keyed(&app, Method::GET, "/api/v1/partner/deliveries?status=delivered", &key).send().await.expect("req");
    let own: Value = own.json().await.expect("json");
    assert_eq!(own["total"], 1, "{own}");

    // The endpoint goes down; the revocation's event waits in the database across a restart.
    receiver.set_status(503);
    let seen = got.len();
    revoke(&app, &cert).await;
    receiver.wait_for(seen + 1).await;
    app.restart().await;
    receiver.set_status(200);
    all_delivered(&app, &partner, 2).await;
    let got = receiver.received();
    let last = got.last().expect("delivery");
    let event: Value = serde_json::from_slice(&last.body).expect("json");
    assert_eq!(event["type"], "product.delisted");
    assert_eq!(event["data"]["reason"], "revoked");
    assert_eq!(event["data"]["star"], Value::Null);
    assert!(verify(secret.as_bytes(), &last.body, &last.signature));
}

/// Waits (bounded) until the partner's log holds `n` deliveries, all delivered.
async fn all_delivered(app: &TestApp, partner: &str, n: u64) -> Value {
    let admin = app.token(ADMIN).await;
    for _ in 0..150 {
        let log = app.get_json(&format!("/api/v1/partners/{partner}/deliveries"), &admin).await;
        if log["total"] == n && log["items"].as_array().is_some_and(|i| i.iter().all(|d| d["status"] == "delivered")) {
            return log;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{n} deliveries were not all delivered");
}

async fn an_expiry_is_announced_once(app: TestApp) {
    let receiver = Receiver::start(200);
    let admin = app.token(ADMIN).await;
    let partner = new_partner(&app, &admin).await;
    let hook = json!({"url": receiver.url, "events": ["product.delisted"]});
    app.post_expect(&format!("/api/v1/partners/{partner}/webhooks"), &admin, &hook, 201).await;
    let today = Utc::now().date_naive();
    certify(&app, 60, &today.format("%Y-%m-%d").to_string()).await;
    let yesterday = (today - chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    app.db
        .execute_unprepared(&format!("UPDATE certificates SET valid_until = '{yesterday}'"))
        .await
        .expect("age the certificate");
    let got = receiver.wait_for(1).await;
    let event: Value = serde_json::from_slice(&got[0].body).expect("json");
    assert_eq!(event["type"], "product.delisted", "only delistings were asked for: {event}");
    assert_eq!(event["data"]["reason"], "expired");
    // Swept again and again, still announced once.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(receiver.received().len(), 1);
}

fn fast_webhooks(config: &mut ocop_api::ApiConfig) {
    config.webhooks.allow_private_targets = true;
    config.webhooks.retry_base = Duration::from_millis(200);
    config.webhooks.poll_interval = Duration::from_millis(50);
    config.webhooks.sweep_interval = Duration::from_millis(200);
}

both!(webhooks_are_signed_retried_logged_and_survive_a_restart, super::fast_webhooks);
both!(an_expiry_is_announced_once, super::fast_webhooks);

async fn private_webhook_targets_are_refused_by_default(app: TestApp) {
    let admin = app.token(ADMIN).await;
    let partner = new_partner(&app, &admin).await;
    let hook = json!({"url": "http://127.0.0.1:9/hooks", "events": ["product.listed"]});
    let refused = app.post(&format!("/api/v1/partners/{partner}/webhooks"), &admin, &hook).send().await.expect("req");
    assert_eq!(assert_problem(refused, 422, "validation_failed").await["errors"][0]["field"], "url");
}
both!(private_webhook_targets_are_refused_by_default);
