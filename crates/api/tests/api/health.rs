use crate::both;
use crate::helpers::TestApp;
use reqwest::Method;

async fn health_and_readiness_answer_with_request_ids(app: TestApp) {
    let live = app.request(Method::GET, "/healthz").send().await.expect("healthz");
    assert_eq!(live.status(), 200);
    let id = live.headers().get("x-request-id").and_then(|v| v.to_str().ok()).expect("request id").to_owned();
    assert_eq!(id.len(), 36, "a UUID request id");
    let ready = app.request(Method::GET, "/readyz").send().await.expect("readyz");
    assert_eq!(ready.status(), 200);
    let body: serde_json::Value = ready.json().await.expect("json");
    assert_eq!(body["status"], "ready");
    // Another request gets another id.
    let again = app.request(Method::GET, "/healthz").send().await.expect("healthz");
    assert_ne!(again.headers().get("x-request-id").and_then(|v| v.to_str().ok()), Some(id.as_str()));
}
both!(health_and_readiness_answer_with_request_ids);

async fn readiness_fails_when_the_database_is_gone(app: TestApp) {
    app.db.clone().close().await.expect("close pool");
    let ready = app.request(Method::GET, "/readyz").send().await.expect("readyz");
    crate::helpers::assert_problem(ready, 503, "unavailable").await;
}
both!(readiness_fails_when_the_database_is_gone);
