use reqwest::Method;

use crate::helpers::{Backend, TestApp};

fn header(response: &reqwest::Response, name: &str) -> String {
    response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// The built SPA is served with history fallback and sensible caching; the API is not
/// swallowed by the fallback.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_spa_is_served_with_history_fallback_and_caching() {
    let dist = tempfile::tempdir().expect("temp dir");
    std::fs::write(dist.path().join("index.html"), "<!doctype html><title>OCOP</title>").expect("index");
    std::fs::create_dir(dist.path().join("assets")).expect("assets dir");
    std::fs::write(dist.path().join("assets/app-1a2b3c.js"), "console.log('ocop')").expect("asset");
    let dir = dist.path().to_owned();
    let Some(app) = TestApp::spawn_with(Backend::Sqlite, move |c| c.spa_dir = Some(dir)).await else { return };

    for path in ["/", "/admin-units", "/users/some-client-route"] {
        let page = app.request(Method::GET, path).send().await.expect("page");
        assert_eq!(page.status(), 200, "{path}");
        assert_eq!(header(&page, "cache-control"), "no-cache", "{path}");
        assert!(page.text().await.expect("html").contains("<title>OCOP</title>"), "{path}");
    }
    let asset = app.request(Method::GET, "/assets/app-1a2b3c.js").send().await.expect("asset");
    assert_eq!(asset.status(), 200);
    assert_eq!(header(&asset, "cache-control"), "public, max-age=31536000, immutable");
    let missing_asset = app.request(Method::GET, "/assets/gone.js").send().await.expect("asset");
    assert_eq!(missing_asset.status(), 404);

    let api = app.request(Method::GET, "/api/v1/no-such-endpoint").send().await.expect("api");
    assert_eq!(api.status(), 404);
    assert_eq!(header(&api, "content-type"), "application/problem+json");
    assert_eq!(header(&api, "cache-control"), "no-store");
    let health = app.request(Method::GET, "/healthz").send().await.expect("health");
    assert_eq!(health.status(), 200);
}
