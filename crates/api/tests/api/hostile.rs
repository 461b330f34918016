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

/// A batch of `n` stamps of the first product of the demo producer, with a GTIN; returns
/// (gtin, lot, [(serial, code)]).
async fn stamped_batch(app: &TestApp, n: u32) -> (String, String, Vec<(i64, String)>) {
    let producer = app.token("chuthe@ocop.demo").await;
    let product = app.get_json("/api/v1/products?limit=1", &producer).await["items"][0].clone();
    let gtin = "8934567890120";
    let update = json!({"name": product["name"], "classification_node_id": product["classification"]["id"], "subject_id": product["subject"]["id"],
        "commune_id": product["commune"]["id"], "unit": product["unit"], "gtin": gtin});
    let saved =
        app.put(&format!("/api/v1/products/{}", product["id"].as_str().expect("id")), &producer, &update).send();
    assert_eq!(saved.await.expect("req").status(), 200);
    let batch = app
        .post_expect(
            "/api/v1/batches",
            &producer,
            &json!({"product_id": product["id"], "code": "L-HOSTILE", "produced_on": "2026-12-01", "quantity": 10, "unit": "hộp", "standard": "TCCS 01:2024"}),
            201,
        )
        .await;
    let id = batch["id"].as_str().expect("id").to_owned();
    let job = app.post_expect(&format!("/api/v1/batches/{id}/stamps"), &producer, &json!({"count": n}), 202).await;
    crate::traceability::wait_job(app, &producer, &job).await;
    let stamps = crate::traceability::codes(app, &producer, &id).await;
    (gtin.to_owned(), "L-HOSTILE".to_owned(), stamps)
}

/// What is printed on a package (GTIN, lot) and a counter used to give away every secret code
/// of the batch: `/01/{gtin}/10/{lot}/21/1`, `/21/2`, … redirected to `/t/{code}`.
async fn digital_link_serials_cannot_be_enumerated(app: TestApp) {
    let (gtin, lot, stamps) = stamped_batch(&app, 3).await;
    let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    for (serial, _) in &stamps {
        let r = no_redirects.get(format!("{}/01/{gtin}/10/{lot}/21/{serial}", app.address)).send().await.expect("req");
        assert_eq!(r.status(), 404, "serial {serial} gives nothing away");
        assert!(r.headers().get("location").is_none());
    }
    // The stamp's own code as the serial resolves, in every GTIN form.
    let (_, code) = &stamps[0];
    for form in [gtin.clone(), format!("0{gtin}")] {
        let r = no_redirects.get(format!("{}/01/{form}/10/{lot}/21/{code}", app.address)).send().await.expect("req");
        assert_eq!(r.status(), 302, "{form}");
        assert_eq!(r.headers()["location"], format!("/t/{code}").as_str());
    }
    // Another lot's code does not resolve under this lot.
    let r = no_redirects.get(format!("{}/01/{gtin}/10/OTHER/21/{code}", app.address)).send().await.expect("req");
    assert_eq!(r.status(), 404);
}
both!(digital_link_serials_cannot_be_enumerated);

/// A JSON trace of `code` by the client at `address` (behind one trusted proxy).
async fn look_up_response(app: &TestApp, code: &str, address: &str) -> reqwest::Response {
    app.request(Method::GET, &format!("/api/v1/public/trace/{code}"))
        .header("x-forwarded-for", address)
        .send()
        .await
        .expect("req")
}

async fn look_up(app: &TestApp, code: &str, address: &str) -> Value {
    let r = look_up_response(app, code, address).await;
    assert_eq!(r.status(), 200);
    r.json().await.expect("json")
}

/// Seven anonymous look-ups used to brand a genuine stamp counterfeit and notify the producer
/// and the officers. Now one client counts once, however often it scans, and only the client
/// that scanned may place its scan.
async fn one_client_cannot_forge_a_counterfeit_signal(app: TestApp) {
    let (_, _, stamps) = stamped_batch(&app, 2).await;
    let (_, code) = &stamps[0];
    for _ in 0..50 {
        let t = look_up(&app, code, "203.0.113.66").await;
        assert_eq!(t["signals"], json!([]), "{t}");
    }
    // Nor can it move other people's scans to places far apart.
    let (_, fresh) = &stamps[1];
    let victim = look_up(&app, fresh, "198.51.100.10").await;
    let path = format!("/api/v1/public/trace/{fresh}/scans/{}/place", victim["scan_id"].as_str().expect("scan"));
    let moved = app
        .request(Method::POST, &path)
        .header("x-forwarded-for", "203.0.113.66")
        .json(&json!({"lat": 10.77, "lon": 106.70}))
        .send()
        .await
        .expect("req");
    assert_eq!(moved.status(), 404);
    // Six different people far apart within the day: a real signal.
    for (i, (lat, lon)) in
        [(20.95, 107.08), (21.03, 105.85), (10.77, 106.70), (16.05, 108.20), (20.95, 107.08), (21.03, 105.85)]
            .into_iter()
            .enumerate()
    {
        let by = format!("198.51.100.{}", 20 + i);
        let t = look_up(&app, code, &by).await;
        let path = format!("/api/v1/public/trace/{code}/scans/{}/place", t["scan_id"].as_str().expect("scan"));
        let placed = app
            .request(Method::POST, &path)
            .header("x-forwarded-for", &by)
            .json(&json!({"lat": lat, "lon": lon}))
            .send()
            .await
            .expect("req");
        assert_eq!(placed.status(), 204);
    }
    let t = look_up(&app, code, "198.51.100.40").await;
    let signals: Vec<&str> = t["signals"].as_array().expect("signals").iter().filter_map(Value::as_str).collect();
    assert!(signals.contains(&"too_many_scans") && signals.contains(&"far_apart"), "{t}");
    // The officers see what the signal rests on.
    let officer = app.token(HA_LONG).await;
    let stats = app.get_json("/api/v1/scans/stats", &officer).await;
    let alert = stats["alerts"].as_array().expect("alerts").iter().find(|a| a["code"] == code.as_str()).cloned();
    let alert = alert.expect("an alert for the stamp");
    assert!(alert["clients_in_window"].as_u64().is_some_and(|n| n > 5), "{alert}");
    assert_eq!(alert["far_apart"].as_array().map(Vec::len), Some(2), "{alert}");
}
both!(one_client_cannot_forge_a_counterfeit_signal, |c: &mut ocop_api::ApiConfig| {
    c.trust_proxy = true;
    c.trace_rate_per_minute = 0;
});

/// Public look-ups are limited per client: past the rate, 429 (a problem for JSON, a small
/// page for the scan page).
async fn public_look_ups_are_rate_limited_per_client(app: TestApp) {
    let (_, _, stamps) = stamped_batch(&app, 1).await;
    let (_, code) = &stamps[0];
    for _ in 0..3 {
        look_up(&app, code, "203.0.113.5").await;
    }
    let over = look_up_response(&app, code, "203.0.113.5").await;
    assert!(over.headers().contains_key("retry-after"));
    assert_problem(over, 429, "too_many_requests").await;
    let page = app
        .request(Method::GET, &format!("/t/{code}"))
        .header("x-forwarded-for", "203.0.113.5")
        .send()
        .await
        .expect("req");
    assert_eq!(page.status(), 429);
    assert!(page.text().await.expect("html").contains("Quá nhiều lượt tra cứu"));
    // Another client is not affected.
    look_up(&app, code, "203.0.113.6").await;
}
both!(public_look_ups_are_rate_limited_per_client, |c: &mut ocop_api::ApiConfig| {
    c.trust_proxy = true;
    c.trace_rate_per_minute = 3;
});

/// Behind one trusted proxy, the client is the address the proxy added (the right-most), not
/// the left-most one, which the client writes itself: forging it does not give a fresh budget.
async fn a_forged_forwarding_header_does_not_change_the_client(app: TestApp) {
    let (_, _, stamps) = stamped_batch(&app, 1).await;
    let (_, code) = &stamps[0];
    for forged in ["10.0.0.1", "10.0.0.2", "10.0.0.3"] {
        look_up(&app, code, &format!("{forged}, 203.0.113.9")).await;
    }
    let over = look_up_response(&app, code, "10.0.0.4, 203.0.113.9").await;
    assert_eq!(over.status(), 429, "the same client whatever it puts in front");
}
both!(a_forged_forwarding_header_does_not_change_the_client, |c: &mut ocop_api::ApiConfig| {
    c.trust_proxy = true;
    c.trace_rate_per_minute = 3;
});

/// Ten thousand parts in one upload are refused with 413 (each small part used to be kept).
async fn a_form_with_thousands_of_parts_is_too_large(app: TestApp) {
    let officer = app.token(HA_LONG).await;
    // Written by hand: a client library nests one stream per part, too deep for 10,000.
    let boundary = "hostile-boundary-0123456789";
    let mut body = String::new();
    for i in 0..10_000 {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\n{}\r\n",
            "x".repeat(100)
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    let refused = app
        .request(Method::POST, "/api/v1/imports?dry_run=true")
        .bearer_auth(&officer)
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .expect("an answer");
    assert_problem(refused, 413, "payload_too_large").await;
    still_answers(&app).await;
}
both!(a_form_with_thousands_of_parts_is_too_large);

/// Pages and answers say what a browser may load and use; HSTS only once the public address
/// is https.
async fn answers_carry_the_browser_security_headers(app: TestApp) {
    let r = app.request(Method::GET, "/healthz").send().await.expect("req");
    let csp = r.headers()["content-security-policy"].to_str().expect("csp").to_owned();
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(r.headers()["permissions-policy"].to_str().expect("pp").contains("camera=()"));
    assert!(r.headers().get("strict-transport-security").is_none(), "plain http in tests");
}
both!(answers_carry_the_browser_security_headers);

/// Links in the catalog and the OGC documents start from the public base URL: a forged
/// `Host` cannot make the server hand out links to another site.
async fn links_ignore_a_forged_host(app: TestApp) {
    for path in ["/api/v1/geo", "/api/v1/geo/collections/craft-villages/items?limit=1", "/api/v1/catalog/products"] {
        let r = app.request(Method::GET, path).header("host", "evil.example").send().await.expect("req");
        assert_eq!(r.status(), 200, "{path}");
        let text = r.text().await.expect("body");
        assert!(!text.contains("evil.example"), "{path}: {text}");
    }
    let landing = app.request(Method::GET, "/api/v1/geo").send().await.expect("req").text().await.expect("body");
    assert!(landing.contains(&format!("{}/api/v1/geo/collections", app.address)), "{landing}");
}
both!(links_ignore_a_forged_host);

/// A stranger failing to sign in as a known account, again and again, does not lock its owner
/// out (failures count per account and address).
async fn a_stranger_cannot_lock_an_account_out(app: TestApp) {
    let sign_in = |from: &'static str, password: &'static str| {
        app.request(Method::POST, "/api/v1/auth/login")
            .header("x-forwarded-for", from)
            .json(&json!({"email": "tinh@ocop.demo", "password": password}))
            .send()
    };
    for _ in 0..8 {
        let refused = sign_in("203.0.113.66", "wrong-password-1").await.expect("req").status().as_u16();
        assert!(refused == 401 || refused == 429, "{refused}");
    }
    assert_eq!(
        sign_in("203.0.113.66", "wrong-password-1").await.expect("req").status(),
        429,
        "the stranger is stopped"
    );
    let owner = sign_in("198.51.100.7", crate::helpers::DEMO_PASSWORD).await.expect("req");
    assert_eq!(owner.status(), 200, "the owner still signs in");
}
both!(a_stranger_cannot_lock_an_account_out, |c: &mut ocop_api::ApiConfig| c.trust_proxy = true);

/// Two people moving the same application at once: exactly one move happens, the others are
/// told it moved (409) — on PostgreSQL a re-read in the transaction was not enough.
async fn concurrent_moves_cannot_both_succeed(app: TestApp) {
    let producer = app.token(crate::registry::PRODUCER).await;
    let cycle = crate::registry::cycle_2026(&app, &producer).await;
    let product = crate::registry::product_id(&app, &producer, "cha%20muc").await;
    let registered = app
        .post_expect("/api/v1/applications", &producer, &json!({"cycle_id": cycle, "product_id": product}), 201)
        .await;
    let id = registered["id"].as_str().expect("id").to_owned();
    for code in ["idea_registration_form", "business_plan", "organisation_profile", "business_registration"] {
        let kind = registered["document_kinds"].as_array().expect("kinds").iter().find(|k| k["code"] == code);
        let kind = kind.expect("kind")["id"].as_str().expect("kind id");
        let uploaded = app.upload(&id, &producer, kind, &format!("{code}.pdf"), crate::helpers::pdf(code), None).await;
        assert_eq!(uploaded.status(), 201);
    }
    let path = format!("/api/v1/applications/{id}/moves");
    let moves = (0..8).map(|_| app.post(&path, &producer, &json!({"action": "submit_plan"})).send());
    let statuses: Vec<u16> =
        futures_util::future::join_all(moves).await.into_iter().map(|r| r.expect("answer").status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 409), "{statuses:?}");
    let history = app.get_json(&format!("/api/v1/applications/{id}"), &producer).await;
    let submitted = history["history"].as_array().map(|e| e.iter().filter(|e| e["action"] == "submit_plan").count());
    assert_eq!(submitted, Some(1), "one move in the history: {history}");
}
both!(concurrent_moves_cannot_both_succeed);

/// The public map never shows a growing area's stored certificate file (its name, hash, size).
async fn public_features_hide_private_file_metadata(app: TestApp) {
    use ocop_persistence::entities::growing_area;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let items = "/api/v1/geo/collections/growing-areas/items";
    let all: Value = app.request(Method::GET, items).send().await.expect("req").json().await.expect("json");
    let id = all["features"][0]["id"].as_str().expect("a published growing area").to_owned();
    let standards = json!([{"standard": "vietgap", "certificate_number": "VG-1", "expires_on": "2027-06-30",
        "certificate_file": {"file_name": "giay-chung-nhan-noi-bo.pdf", "content_type": "application/pdf", "sha256": "ab".repeat(32), "size_bytes": 12345}}]);
    growing_area::Entity::update_many()
        .col_expr(growing_area::Column::Standards, Expr::value(standards.to_string()))
        .filter(growing_area::Column::Id.eq(id.parse::<uuid::Uuid>().expect("uuid")))
        .exec(&app.db)
        .await
        .expect("a certificate on file");
    for path in [format!("{items}/{id}"), items.to_owned()] {
        let text = app.request(Method::GET, &path).send().await.expect("req").text().await.expect("body");
        assert!(!text.contains("giay-chung-nhan-noi-bo") && !text.contains(&"ab".repeat(32)), "{path}: {text}");
        assert!(text.contains("\"certificate_on_file\":true"), "{path}: {text}");
    }
}
both!(public_features_hide_private_file_metadata);

/// A producer cannot move its subject into another province's programme (it used to skip the
/// area check altogether); inside its province it can.
async fn a_producer_cannot_move_its_subject_out_of_its_province(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let producer = app.token(crate::registry::PRODUCER).await;
    let province = app
        .post_expect(
            "/api/v1/admin-units",
            &admin,
            &json!({"code": "01", "name": "Thành phố Hà Nội", "kind": "municipality"}),
            201,
        )
        .await;
    let far = app
        .post_expect(
            "/api/v1/admin-units",
            &admin,
            &json!({"code": "00004", "name": "Phường Ba Đình", "kind": "ward", "parent_id": province["id"]}),
            201,
        )
        .await;
    let subject = app.get_json("/api/v1/subjects?limit=1", &producer).await["items"][0].clone();
    let id = subject["id"].as_str().expect("id").to_owned();
    let detail = app.get_json(&format!("/api/v1/subjects/{id}"), &producer).await;
    let body = |commune: &Value| {
        json!({"legal_form": detail["legal_form"], "name": detail["name"], "tax_code": detail["tax_code"],
            "representative": detail["representative"], "phone": detail["phone"], "email": detail["email"],
            "address": detail["address"], "commune_id": commune, "founded_on": detail["founded_on"],
            "members": detail["members"], "employees": detail["employees"]})
    };
    let moved = app.put(&format!("/api/v1/subjects/{id}"), &producer, &body(&far["id"])).send().await.expect("req");
    assert_problem(moved, 403, "outside_area").await;
    let near = app.unit_id("06970").await;
    let kept = app.put(&format!("/api/v1/subjects/{id}"), &producer, &body(&json!(near))).send().await.expect("req");
    assert_eq!(kept.status(), 200, "{}", kept.text().await.unwrap_or_default());
}
both!(a_producer_cannot_move_its_subject_out_of_its_province);

/// A subject cannot flood the stamp table: stamps in circulation and running jobs are capped.
async fn stamp_issuing_is_capped_per_subject(app: TestApp) {
    let producer = app.token(crate::registry::PRODUCER).await;
    let (_, _, stamps) = stamped_batch(&app, 100).await;
    assert_eq!(stamps.len(), 100);
    let batch =
        app.get_json("/api/v1/batches?limit=1", &producer).await["items"][0]["id"].as_str().expect("id").to_owned();
    let over = app.post(&format!("/api/v1/batches/{batch}/stamps"), &producer, &json!({"count": 51})).send().await;
    let problem = assert_problem(over.expect("req"), 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "OCOP_STAMP_MAX_LIVE", "{problem}");
    let within = app.post(&format!("/api/v1/batches/{batch}/stamps"), &producer, &json!({"count": 50})).send().await;
    assert_eq!(within.expect("req").status(), 202);
}
both!(stamp_issuing_is_capped_per_subject, |c: &mut ocop_api::ApiConfig| c.stamp_quota.max_live = 150);

/// A producer cannot borrow another's certified origin: a batch input may name only the
/// producer's own growing areas or published ones.
async fn batch_inputs_name_only_usable_growing_areas(app: TestApp) {
    use ocop_persistence::entities::{growing_area, subject};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let producer = app.token(crate::registry::PRODUCER).await;
    let product = app.get_json("/api/v1/products?limit=1", &producer).await["items"][0].clone();
    let mine = product["subject"]["id"].as_str().expect("subject").parse::<uuid::Uuid>().expect("uuid");
    let other = subject::Entity::find()
        .filter(subject::Column::Id.ne(mine))
        .one(&app.db)
        .await
        .expect("q")
        .expect("another subject");
    let area = growing_area::Entity::find().one(&app.db).await.expect("q").expect("a growing area");
    growing_area::Entity::update_many()
        .col_expr(growing_area::Column::SubjectId, Expr::value(other.id))
        .col_expr(growing_area::Column::Published, Expr::value(false))
        .filter(growing_area::Column::Id.eq(area.id))
        .exec(&app.db)
        .await
        .expect("another's unpublished area");
    let body = |area_id: String| {
        json!({"product_id": product["id"], "code": format!("L-SRC-{}", &area_id[..4]), "produced_on": "2026-12-01", "quantity": 10, "unit": "kg", "standard": "TCCS",
            "inputs": [{"material": "Chè búp", "quantity": 5, "unit": "kg", "supplier": "Tự sản xuất", "growing_area_id": area_id}]})
    };
    let refused = app.post("/api/v1/batches", &producer, &body(area.id.to_string())).send().await.expect("req");
    let problem = assert_problem(refused, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "inputs[0].growing_area_id", "{problem}");
    assert_eq!(problem["errors"][0]["code"], "not_usable");
    let unknown =
        app.post("/api/v1/batches", &producer, &body(uuid::Uuid::now_v7().to_string())).send().await.expect("req");
    assert_eq!(assert_problem(unknown, 422, "validation_failed").await["errors"][0]["code"], "not_found");
    growing_area::Entity::update_many()
        .col_expr(growing_area::Column::Published, Expr::value(true))
        .filter(growing_area::Column::Id.eq(area.id))
        .exec(&app.db)
        .await
        .expect("published");
    app.post_expect("/api/v1/batches", &producer, &body(area.id.to_string()), 201).await;
}
both!(batch_inputs_name_only_usable_growing_areas);

/// A producer cannot write events into another producer's lot history (or a lot that does not
/// exist) through EPCIS capture.
async fn epcis_capture_names_only_the_producer_s_own_lots(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let producer = app.token(crate::registry::PRODUCER).await;
    let mine = app.get_json("/api/v1/products?limit=1", &producer).await["items"][0]["subject"]["id"].clone();
    let all = app.get_json("/api/v1/products?limit=100", &admin).await;
    let theirs = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|p| p["subject"]["id"] != mine)
        .expect("another's product")
        .clone();
    let batch = app
        .post_expect("/api/v1/batches", &admin, &json!({"product_id": theirs["id"], "code": "L-THEIRS", "produced_on": "2026-11-01", "quantity": 10, "unit": "kg", "standard": "TCCS"}), 201)
        .await;
    let doc = |lot: &str| {
        json!({"@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"], "type": "EPCISDocument", "schemaVersion": "2.0",
        "creationDate": "2026-12-03T08:00:00Z", "epcisBody": {"eventList": [
            {"type": "ObjectEvent", "eventTime": "2026-11-02T08:00:00+07:00", "eventTimeZoneOffset": "+07:00",
             "action": "OBSERVE", "bizStep": "urn:epcglobal:cbv:bizstep:destroying", "quantityList": [{"epcClass": lot, "quantity": 10}]}]}})
    };
    let foreign = batch["lot_uri"].as_str().expect("lot").to_owned();
    let missing = format!("{}/lots/{}", app.address, uuid::Uuid::now_v7());
    for lot in [foreign, missing] {
        let refused = app.post("/api/v1/epcis/capture", &producer, &doc(&lot)).send().await.expect("req");
        let problem = assert_problem(refused, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["code"], "not_own_identifier", "{problem}");
    }
    // Identifiers of other systems are the producer's business.
    let external =
        app.post("/api/v1/epcis/capture", &producer, &doc("urn:epc:class:lgtin:893456.078901.L1")).send().await;
    assert_eq!(external.expect("req").status(), 202);
}
both!(epcis_capture_names_only_the_producer_s_own_lots);

/// Found by the API fuzzer: a trade event naming a commune that does not exist met the
/// database's reference check and answered an undocumented 409; it is a field error.
async fn a_trade_event_in_an_unknown_commune_is_a_field_error(app: TestApp) {
    let officer = app.token("tinh@ocop.demo").await;
    let event = json!({"name": "Hội chợ OCOP", "kind": "fair", "starts_on": "2026-12-10", "ends_on": "2026-12-14", "place": "Hạ Long",
        "commune_id": uuid::Uuid::now_v7(), "organiser": "Sở Công Thương", "booths": 10, "published": false});
    let refused = app.post("/api/v1/trade-events", &officer, &event).send().await.expect("req");
    assert_eq!(assert_problem(refused, 422, "validation_failed").await["errors"][0]["field"], "commune_id");
}
both!(a_trade_event_in_an_unknown_commune_is_a_field_error);

/// An EPCIS capture accepted (202) by a server that then stopped is stored by the next one:
/// the document was kept with its job before the answer.
async fn a_capture_interrupted_by_a_restart_is_finished(mut app: TestApp) {
    use ocop_persistence::entities::epcis_capture;
    let producer = app.token(crate::registry::PRODUCER).await;
    let product = app.get_json("/api/v1/products?limit=1", &producer).await["items"][0].clone();
    let batch = app
        .post_expect("/api/v1/batches", &producer, &json!({"product_id": product["id"], "code": "L-RESTART", "produced_on": "2026-11-01", "quantity": 10, "unit": "kg", "standard": "TCCS"}), 201)
        .await;
    let doc = json!({"@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"], "type": "EPCISDocument", "schemaVersion": "2.0",
        "creationDate": "2026-12-03T08:00:00Z", "epcisBody": {"eventList": [
            {"type": "ObjectEvent", "eventID": "urn:uuid:9a1c7a2e-0d1b-4b8e-9a51-2f3e4d5c6b7a", "eventTime": "2026-11-02T08:00:00+07:00", "eventTimeZoneOffset": "+07:00",
             "action": "OBSERVE", "bizStep": "urn:epcglobal:cbv:bizstep:shipping", "quantityList": [{"epcClass": batch["lot_uri"], "quantity": 10}]}]}});
    app.stop().await;
    // What the stopped server had stored when it answered 202, its worker not having run.
    let subject = product["subject"]["id"].as_str().expect("subject").parse::<uuid::Uuid>().expect("uuid");
    let id = ocop_persistence::new_id();
    ocop_persistence::traceability::insert_capture(
        &app.db,
        epcis_capture::Model {
            id,
            status: "running".into(),
            events: 1,
            errors: None,
            subject_id: Some(subject),
            created_by: None,
            created_at: chrono::Utc::now(),
            finished_at: None,
            document: Some(doc.to_string()),
            locked_until: None,
        },
    )
    .await
    .expect("a capture left running");
    app.restart().await;
    let admin = app.token("admin@ocop.demo").await;
    let mut job = Value::Null;
    for _ in 0..100 {
        job = app.get_json(&format!("/api/v1/epcis/capture/{id}"), &admin).await;
        if job["running"] == false {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(job["running"], false, "{job}");
    assert_eq!(job["success"], true, "{job}");
    let events = app.get_json("/api/v1/epcis/events?EQ_bizStep=shipping", &admin).await;
    assert!(events.to_string().contains("9a1c7a2e-0d1b-4b8e-9a51-2f3e4d5c6b7a"), "{events}");
}
both!(a_capture_interrupted_by_a_restart_is_finished);

/// Two instances on one database deliver each webhook event once.
async fn two_instances_deliver_each_webhook_once(app: TestApp) {
    let (_second, handle) = app.another_instance().await;
    let receiver = crate::partners::Receiver::start(200);
    let admin = app.token("admin@ocop.demo").await;
    let partner = crate::partners::new_partner(&app, &admin).await;
    let hook = json!({"url": receiver.url, "events": ["product.listed", "product.updated", "product.delisted"]});
    app.post_expect(&format!("/api/v1/partners/{partner}/webhooks"), &admin, &hook, 201).await;
    let today = chrono::Utc::now().date_naive().format("%Y-%m-%d").to_string();
    crate::catalog::certify(&app, 75, &today).await;
    let got = receiver.wait_for(1).await;
    // Both instances poll every 50 ms: give a second delivery every chance to happen.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let got_now = receiver.received();
    assert_eq!(got_now.len(), 1, "delivered once: {:?}", got_now.iter().map(|r| &r.event_id).collect::<Vec<_>>());
    assert_eq!(got_now[0].event_id, got[0].event_id);
    handle.stop(true).await;
}
both!(two_instances_deliver_each_webhook_once, |c: &mut ocop_api::ApiConfig| {
    c.webhooks.allow_private_targets = true;
    c.webhooks.poll_interval = std::time::Duration::from_millis(50);
});

/// The browser's refresh token is an HttpOnly, SameSite=Strict cookie for the sign-in
/// endpoints only (no script can read it to steal it); refresh and sign-out work by it.
async fn the_refresh_token_travels_in_an_http_only_cookie(app: TestApp) {
    let cookie_of = |r: &reqwest::Response| {
        r.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("ocop_refresh="))
            .map(str::to_owned)
            .expect("the refresh cookie")
    };
    let signed_in = app.login_response("tinh@ocop.demo", crate::helpers::DEMO_PASSWORD).await;
    assert_eq!(signed_in.status(), 200);
    let cookie = cookie_of(&signed_in);
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/auth"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");
    let value = cookie.split(';').next().expect("pair").to_owned();
    let refreshed = app
        .request(Method::POST, "/api/v1/auth/refresh")
        .header("cookie", &value)
        .json(&json!({}))
        .send()
        .await
        .expect("req");
    assert_eq!(refreshed.status(), 200);
    let next = cookie_of(&refreshed).split(';').next().expect("pair").to_owned();
    assert_ne!(next, value, "rotated");
    let out = app.request(Method::POST, "/api/v1/auth/logout").header("cookie", &next).send().await.expect("req");
    assert_eq!(out.status(), 204);
    assert!(cookie_of(&out).contains("Max-Age=0"), "cleared");
    let after = app.request(Method::POST, "/api/v1/auth/refresh").header("cookie", &next).send().await.expect("req");
    assert_problem(after, 401, "invalid_refresh_token").await;
}
both!(the_refresh_token_travels_in_an_http_only_cookie);

/// Found by the API fuzzer: concurrent writes on SQLite failed with "database is locked" (a
/// 500) whenever a transaction read before writing while another one committed.
async fn concurrent_writes_do_not_fail(app: TestApp) {
    let officer = app.token("tinh@ocop.demo").await;
    let cycle = crate::registry::cycle_2026(&app, &officer).await;
    let path = format!("/api/v1/cycles/{cycle}");
    let edit = json!({"stages": [{"stage": "business_plan", "starts_on": "2026-04-01", "deadline": null}]});
    let writes = (0..30).map(|_| app.patch(&path, &officer, &edit).send());
    let statuses: Vec<u16> = futures_util::future::join_all(writes)
        .await
        .into_iter()
        .map(|r| r.expect("answer").status().as_u16())
        .collect();
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
}
both!(concurrent_writes_do_not_fail);

/// A NUL character in a search, a path or a JSON text (found by the API fuzzer: PostgreSQL
/// refuses it in text, so it surfaced as a 500) is a 400 problem.
async fn a_nul_character_is_a_bad_request(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let search = app.get("/api/v1/users?q=4%C2%A7s%00G", &admin).send().await.expect("req");
    assert_problem(search, 400, "malformed_request").await;
    let subjects = app.get("/api/v1/subjects?q=a%00", &admin).send().await.expect("req");
    assert_problem(subjects, 400, "malformed_request").await;
    let body = serde_json::json!({"name": "Xã\u{0}Thử", "kind": "commune", "code": "99999"});
    let created = app.post("/api/v1/admin-units", &admin, &body).send().await.expect("req");
    assert_problem(created, 400, "malformed_request").await;
    assert_eq!(app.get("/api/v1/users?q=nguyen", &admin).send().await.expect("req").status(), 200);
}
both!(a_nul_character_is_a_bad_request);
