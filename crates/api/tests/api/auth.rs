use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use reqwest::Method;
use serde_json::{Value, json};

use crate::both;
use crate::helpers::{Backend, DEMO_PASSWORD, JWT_SECRET, TestApp, assert_problem};

async fn me_status(app: &TestApp, token: &str) -> u16 {
    app.get("/api/v1/auth/me", token).send().await.expect("me").status().as_u16()
}

async fn sign_in_and_read_own_profile(app: TestApp) {
    let pair = app.login("halong@ocop.demo").await;
    assert_eq!(pair["token_type"], "Bearer");
    assert_eq!(pair["expires_in"], 900);
    assert_eq!(pair["user"]["role"], "commune_officer");
    assert_eq!(pair["user"]["admin_unit"]["code"], "06688");
    let token = pair["access_token"].as_str().expect("token");
    let me: Value = app.get_json("/api/v1/auth/me", token).await;
    assert_eq!(me["email"], "halong@ocop.demo");
    assert_eq!(me["admin_unit"]["name"], "Phường Hạ Long");
    // E-mail is case-insensitive.
    assert_eq!(app.login_response("HaLong@OCOP.demo", DEMO_PASSWORD).await.status(), 200);
}
both!(sign_in_and_read_own_profile);

async fn wrong_password_and_unknown_account_look_the_same(app: TestApp) {
    let wrong = app.login_response("admin@ocop.demo", "not-the-password-1").await;
    let wrong = assert_problem(wrong, 401, "invalid_credentials").await;
    let unknown = app.login_response("nobody@ocop.demo", "not-the-password-1").await;
    let unknown = assert_problem(unknown, 401, "invalid_credentials").await;
    assert_eq!(wrong, unknown);
}
both!(wrong_password_and_unknown_account_look_the_same);

async fn requests_without_a_valid_token_are_refused(app: TestApp) {
    let none = app.request(Method::GET, "/api/v1/auth/me").send().await.expect("me");
    assert_eq!(none.headers().get("www-authenticate").and_then(|v| v.to_str().ok()), Some("Bearer"));
    assert_problem(none, 401, "unauthenticated").await;
    assert_eq!(me_status(&app, "garbage").await, 401);
}
both!(requests_without_a_valid_token_are_refused);

fn claims(sub: &str, exp_offset: i64) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({"iss": "ocop", "aud": "ocop-api", "sub": sub, "iat": now, "exp": now + exp_offset, "role": "admin"})
}

async fn admin_id(app: &TestApp) -> String {
    let pair = app.login("admin@ocop.demo").await;
    pair["user"]["id"].as_str().expect("id").to_owned()
}

async fn forged_and_expired_tokens_are_refused(app: TestApp) {
    let sub = admin_id(&app).await;
    let good =
        encode(&Header::new(Algorithm::HS256), &claims(&sub, 300), &EncodingKey::from_secret(JWT_SECRET.as_bytes()))
            .expect("jwt");
    assert_eq!(me_status(&app, &good).await, 200, "a well-formed token is accepted");

    let expired =
        encode(&Header::new(Algorithm::HS256), &claims(&sub, -120), &EncodingKey::from_secret(JWT_SECRET.as_bytes()))
            .expect("jwt");
    assert_eq!(me_status(&app, &expired).await, 401, "expired");

    let other_key = encode(
        &Header::new(Algorithm::HS256),
        &claims(&sub, 300),
        &EncodingKey::from_secret(b"another-secret-another-secret-xx"),
    )
    .expect("jwt");
    assert_eq!(me_status(&app, &other_key).await, 401, "signed with another key");

    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims(&sub, 300).to_string());
    assert_eq!(me_status(&app, &format!("{header}.{payload}.")).await, 401, "alg none");

    let mut wrong_audience = claims(&sub, 300);
    wrong_audience["aud"] = json!("someone-else");
    let token =
        encode(&Header::new(Algorithm::HS256), &wrong_audience, &EncodingKey::from_secret(JWT_SECRET.as_bytes()))
            .expect("jwt");
    assert_eq!(me_status(&app, &token).await, 401, "wrong audience");

    let mut no_sub = claims(&sub, 300);
    no_sub.as_object_mut().expect("object").remove("sub");
    let token =
        encode(&Header::new(Algorithm::HS256), &no_sub, &EncodingKey::from_secret(JWT_SECRET.as_bytes())).expect("jwt");
    assert_eq!(me_status(&app, &token).await, 401, "missing sub");
}
both!(forged_and_expired_tokens_are_refused);

async fn refresh(app: &TestApp, token: &str) -> reqwest::Response {
    app.request(Method::POST, "/api/v1/auth/refresh")
        .json(&json!({"refresh_token": token}))
        .send()
        .await
        .expect("refresh")
}

async fn refresh_tokens_rotate_and_reuse_revokes_the_family(app: TestApp) {
    let first = app.login("admin@ocop.demo").await;
    let r1 = first["refresh_token"].as_str().expect("refresh token").to_owned();
    let second: Value = {
        let response = refresh(&app, &r1).await;
        assert_eq!(response.status(), 200);
        response.json().await.expect("json")
    };
    let r2 = second["refresh_token"].as_str().expect("refresh token").to_owned();
    assert_ne!(r1, r2);
    assert_eq!(me_status(&app, second["access_token"].as_str().expect("token")).await, 200);
    // Reusing the spent token is refused and revokes the family, including r2.
    assert_problem(refresh(&app, &r1).await, 401, "invalid_refresh_token").await;
    assert_problem(refresh(&app, &r2).await, 401, "invalid_refresh_token").await;
    // A separate sign-in is a separate family and still works.
    let other = app.login("admin@ocop.demo").await;
    assert_eq!(refresh(&app, other["refresh_token"].as_str().expect("token")).await.status(), 200);
}
both!(refresh_tokens_rotate_and_reuse_revokes_the_family);

async fn logout_revokes_the_refresh_token(app: TestApp) {
    let pair = app.login("tinh@ocop.demo").await;
    let token = pair["refresh_token"].as_str().expect("token");
    let out = app
        .request(Method::POST, "/api/v1/auth/logout")
        .json(&json!({"refresh_token": token}))
        .send()
        .await
        .expect("logout");
    assert_eq!(out.status(), 204);
    assert_problem(refresh(&app, token).await, 401, "invalid_refresh_token").await;
}
both!(logout_revokes_the_refresh_token);

async fn a_deactivated_user_is_locked_out_at_once(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let officer = app.login("yentu@ocop.demo").await;
    let officer_token = officer["access_token"].as_str().expect("token");
    let officer_id = officer["user"]["id"].as_str().expect("id");
    assert_eq!(me_status(&app, officer_token).await, 200);
    let response = app
        .patch(&format!("/api/v1/users/{officer_id}"), &admin, &json!({"active": false}))
        .send()
        .await
        .expect("patch");
    assert_eq!(response.status(), 200);
    assert_eq!(me_status(&app, officer_token).await, 401, "existing access token refused");
    assert_problem(
        refresh(&app, officer["refresh_token"].as_str().expect("token")).await,
        401,
        "invalid_refresh_token",
    )
    .await;
    assert_problem(app.login_response("yentu@ocop.demo", DEMO_PASSWORD).await, 403, "account_disabled").await;
}
both!(a_deactivated_user_is_locked_out_at_once);

async fn repeated_failures_are_throttled_without_revealing_accounts(app: TestApp) {
    for email in ["admin@ocop.demo", "ghost@ocop.demo"] {
        for _ in 0..5 {
            assert_eq!(app.login_response(email, "wrong-password-1").await.status(), 401);
        }
        let blocked = app.login_response(email, "wrong-password-1").await;
        let retry_after: u64 = blocked
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .expect("Retry-After");
        assert!(retry_after > 0 && retry_after <= 900);
        assert_problem(blocked, 429, "too_many_requests").await;
    }
    // Even the right password waits until the lock ends.
    assert_eq!(app.login_response("admin@ocop.demo", DEMO_PASSWORD).await.status(), 429);
    assert_eq!(app.login_response("tinh@ocop.demo", DEMO_PASSWORD).await.status(), 200);
}
both!(repeated_failures_are_throttled_without_revealing_accounts);

async fn the_client_address_is_throttled_across_accounts() {
    let Some(app) = TestApp::spawn_with(Backend::Sqlite, |c| c.login_limits.address_attempts = 3).await else { return };
    for i in 0..3 {
        app.login_response(&format!("user{i}@ocop.demo"), "wrong-password-1").await;
    }
    assert_eq!(app.login_response("tinh@ocop.demo", DEMO_PASSWORD).await.status(), 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn address_throttling() {
    the_client_address_is_throttled_across_accounts().await;
}

async fn login_from(app: &TestApp, forwarded_for: &str, email: &str, password: &str) -> u16 {
    app.request(Method::POST, "/api/v1/auth/login")
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .expect("login")
        .status()
        .as_u16()
}

/// Behind a trusted proxy, clients are told apart by X-Forwarded-For; otherwise the header is
/// ignored, so a client cannot dodge the limit by inventing addresses.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
    let limit = |c: &mut ocop_api::ApiConfig| c.login_limits.address_attempts = 2;
    let Some(trusting) = TestApp::spawn_with(Backend::Sqlite, |c| {
        limit(c);
        c.trust_proxy = true;
    })
    .await
    else {
        return;
    };
    for _ in 0..2 {
        login_from(&trusting, "203.0.113.7", "x@ocop.demo", "wrong-password-1").await;
    }
    assert_eq!(login_from(&trusting, "203.0.113.7", "tinh@ocop.demo", DEMO_PASSWORD).await, 429);
    assert_eq!(login_from(&trusting, "203.0.113.8", "tinh@ocop.demo", DEMO_PASSWORD).await, 200);

    let Some(direct) = TestApp::spawn_with(Backend::Sqlite, limit).await else { return };
    login_from(&direct, "203.0.113.7", "x@ocop.demo", "wrong-password-1").await;
    login_from(&direct, "203.0.113.8", "x@ocop.demo", "wrong-password-1").await;
    assert_eq!(login_from(&direct, "203.0.113.9", "tinh@ocop.demo", DEMO_PASSWORD).await, 429);
}

async fn changing_the_password_signs_out_other_sessions(app: TestApp) {
    let first = app.login("tinh@ocop.demo").await;
    let token = first["access_token"].as_str().expect("token");
    let weak = app
        .post("/api/v1/auth/password", token, &json!({"current_password": DEMO_PASSWORD, "new_password": "short"}))
        .send()
        .await
        .expect("change");
    let body = assert_problem(weak, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "new_password");
    let wrong = app
        .post(
            "/api/v1/auth/password",
            token,
            &json!({"current_password": "nope-nope-1", "new_password": "Mật khẩu mới 2026"}),
        )
        .send()
        .await
        .expect("change");
    assert_problem(wrong, 401, "invalid_credentials").await;
    // Tokens are stamped to the second; make the change land in a later second.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let changed = app
        .post(
            "/api/v1/auth/password",
            token,
            &json!({"current_password": DEMO_PASSWORD, "new_password": "Mật khẩu mới 2026"}),
        )
        .send()
        .await
        .expect("change");
    assert_eq!(changed.status(), 200);
    let fresh: Value = changed.json().await.expect("pair");
    assert_eq!(me_status(&app, fresh["access_token"].as_str().expect("token")).await, 200);
    assert_eq!(me_status(&app, token).await, 401, "the old access token is void");
    assert_problem(refresh(&app, first["refresh_token"].as_str().expect("token")).await, 401, "invalid_refresh_token")
        .await;
    assert_eq!(app.login_response("tinh@ocop.demo", DEMO_PASSWORD).await.status(), 401);
    assert_eq!(app.login_response("tinh@ocop.demo", "Mật khẩu mới 2026").await.status(), 200);
}
both!(changing_the_password_signs_out_other_sessions);
