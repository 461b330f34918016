use reqwest::Method;
use serde_json::json;

use crate::both;
use crate::helpers::{TestApp, assert_problem};

async fn bad_input_gets_a_problem_never_a_500(app: TestApp) {
    let token = app.token("admin@ocop.demo").await;
    let send = |body: &'static str, content_type: &'static str| {
        app.request(Method::POST, "/api/v1/admin-units")
            .bearer_auth(&token)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    assert_problem(send("{\"code\": ", "application/json").await.expect("send"), 400, "malformed_request").await;
    assert_problem(send("{} trailing", "application/json").await.expect("send"), 400, "malformed_request").await;
    let body = assert_problem(
        send(r#"{"code": 5, "name": "x", "kind": "commune"}"#, "application/json").await.expect("send"),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "code");
    let body = assert_problem(
        send(r#"{"code": "09999", "name": "Xã", "kind": "village"}"#, "application/json").await.expect("send"),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "kind");
    let body = assert_problem(
        send(r#"{"name": "Xã", "kind": "commune"}"#, "application/json").await.expect("send"),
        422,
        "validation_failed",
    )
    .await;
    assert!(body["errors"][0]["message_en"].as_str().expect("message").contains("code"));
    assert_problem(send(r#"{"code": "09999"}"#, "text/plain").await.expect("send"), 415, "unsupported_media_type")
        .await;

    let long_name = "Đ".repeat(300);
    let response = app
        .post("/api/v1/admin-units", &token, &json!({"code": "09999", "name": long_name, "kind": "commune"}))
        .send()
        .await
        .expect("send");
    let body = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "name");
    assert_eq!(body["errors"][0]["code"], "length");

    let huge = format!("{{\"name\": \"{}\"}}", "a".repeat(2 * 1024 * 1024));
    let response = app
        .request(Method::POST, "/api/v1/admin-units")
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .expect("send");
    assert_problem(response, 413, "payload_too_large").await;

    assert_problem(app.get("/api/v1/no-such-thing", &token).send().await.expect("send"), 404, "not_found").await;
    assert_problem(
        app.get("/api/v1/admin-units?limit=-1", &token).send().await.expect("send"),
        400,
        "malformed_request",
    )
    .await;
    assert_problem(
        app.get("/api/v1/audit?from=yesterday", &token).send().await.expect("send"),
        400,
        "malformed_request",
    )
    .await;
}
both!(bad_input_gets_a_problem_never_a_500);
