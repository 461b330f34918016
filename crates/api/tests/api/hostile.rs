//! Hostile input: each test replays an attack on the public, partner or officer edge and
//! checks that the server refuses it and keeps answering.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::both;
use crate::helpers::{TestApp, assert_problem};
use crate::registry::HA_LONG;

async fn still_answers(app: &TestApp) {
    let health = app.request(Method::GET, "/healthz").send().await.expect("the server still answers");
    assert_eq!(health.status(), 200);
}

/// A 1.6 KB workbook whose two cells span the whole sheet (A1 and XFD1048576) used to make the
/// reader allocate the range between them (~512 GB) and abort the process.
async fn a_sparse_workbook_is_refused_without_reading_its_range(app: TestApp) {
    let officer = app.token(HA_LONG).await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Chủ thể").expect("name");
    sheet.write_string(0, 0, "Mã số thuế*").expect("A1");
    sheet.write_string(1_048_575, 16_383, "x").expect("XFD1048576");
    let content = book.save_to_buffer().expect("xlsx");
    assert!(content.len() < 8 * 1024, "a small file: {} bytes", content.len());
    let form =
        reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(content).file_name("x.xlsx"));
    let refused = app
        .request(Method::POST, "/api/v1/imports?dry_run=true")
        .bearer_auth(&officer)
        .multipart(form)
        .send()
        .await
        .expect("an answer, not a dropped connection");
    let problem = assert_problem(refused, 413, "payload_too_large").await;
    assert!(problem["message_en"].as_str().is_some_and(|m| m.contains("OCOP_IMPORT_MAX_ROWS")), "{problem}");
    still_answers(&app).await;
}
both!(a_sparse_workbook_is_refused_without_reading_its_range);

/// Every spelling of a local or private address is refused at subscription.
async fn webhook_targets_inside_the_network_are_refused(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let partner = crate::partners::new_partner(&app, &admin).await;
    for url in [
        "http://127.0.0.1/",
        "http://2130706433/",
        "http://127.1/",
        "http://0x7f.1/",
        "http://0177.0.0.1/",
        "http://localhost./",
        "http://[::ffff:169.254.169.254]/",
        "http://[::ffff:7f00:1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://[fd00::1]/",
        "http://[2002:7f00:1::]/",
        "http://intranet/",
    ] {
        let refused = app
            .post(
                &format!("/api/v1/partners/{partner}/webhooks"),
                &admin,
                &json!({"url": url, "events": ["product.listed"]}),
            )
            .send()
            .await
            .expect("request");
        let problem = assert_problem(refused, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "url", "{url}: {problem}");
    }
}
both!(webhook_targets_inside_the_network_are_refused);

/// A subscription stored before these rules (or whose name now resolves inside) is refused at
/// delivery: nothing reaches the local listener, and the log shows a category, not the error.
async fn a_delivery_to_a_local_address_is_refused_when_it_is_sent(app: TestApp) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = hits.clone();
    tokio::spawn(async move {
        while let Ok((_socket, _)) = listener.accept().await {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    });
    let admin = app.token("admin@ocop.demo").await;
    let partner = crate::partners::new_partner(&app, &admin).await;
    // The target as an attacker would have it stored: the rules at subscription are bypassed
    // by writing the row directly (as an older version, or a rebinding name, would leave it).
    let url = format!("http://127.0.0.1:{port}/hook");
    let now = chrono::Utc::now();
    let row = ocop_persistence::entities::webhook_subscription::Model {
        id: ocop_persistence::new_id(),
        partner_id: partner.parse().expect("uuid"),
        url: url.clone(),
        events: r#"["product.listed","product.updated","product.delisted"]"#.into(),
        secret: "whsec_test".into(),
        active: true,
        created_at: now,
        updated_at: now,
    };
    ocop_persistence::webhooks::save_subscription(&app.db, row, true).await.expect("stored");
    let today = chrono::Utc::now().date_naive().format("%Y-%m-%d").to_string();
    crate::catalog::certify(&app, 75, &today).await;
    let log = format!("/api/v1/partners/{partner}/deliveries");
    let mut last = Value::Null;
    for _ in 0..100 {
        last = app.get_json(&log, &admin).await;
        if last["items"][0]["last_error"].is_string() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(last["items"][0]["last_error"], "blocked_address", "{last}");
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 0, "nothing connected to the local listener");
}
both!(a_delivery_to_a_local_address_is_refused_when_it_is_sent, |c: &mut ocop_api::ApiConfig| {
    c.webhooks.poll_interval = std::time::Duration::from_millis(50);
    c.webhooks.retry_base = std::time::Duration::from_millis(200);
});

/// An offset past what the database takes used to panic in the SQL layer and drop the
/// connection.
async fn an_offset_out_of_range_is_a_bad_request(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    for path in [
        "/api/v1/subjects?offset=9223372036854775808",
        "/api/v1/trade-events?offset=9223372036854775808",
        "/api/v1/products?offset=18446744073709551615",
        "/api/v1/users?offset=9223372036854775808",
        "/api/v1/batches?offset=9223372036854775808",
        "/api/v1/geo/collections/growing-areas/items?offset=9223372036854775808",
    ] {
        let response = app.get(path, &admin).send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(response.status(), 400, "{path}");
    }
    let too_far = app.get("/api/v1/subjects?offset=99999999999999999999", &admin).send().await.expect("answer");
    assert_eq!(too_far.status(), 400);
    still_answers(&app).await;
}
both!(an_offset_out_of_range_is_a_bad_request);
