//! Batches, stamps, the public trace with its scan log and counterfeit signals, EPCIS capture
//! and query; who sees whose batches.

use std::collections::HashSet;
use std::time::Duration;

use ocop_domain::traceability::parse_stamp_code;
use serde_json::{Value, json};

use crate::both;
use crate::helpers::{DEMO_PASSWORD, TestApp, assert_problem};

pub(crate) async fn wait_job(app: &TestApp, token: &str, job: &Value) -> Value {
    let id = job["id"].as_str().expect("job id");
    for _ in 0..300 {
        let now = app.get_json(&format!("/api/v1/stamp-jobs/{id}"), token).await;
        if now["status"] != "running" {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("stamp job {id} did not finish");
}

pub(crate) async fn codes(app: &TestApp, token: &str, batch: &str) -> Vec<(i64, String)> {
    let csv = app
        .get(&format!("/api/v1/batches/{batch}/stamps"), token)
        .send()
        .await
        .expect("req")
        .text()
        .await
        .expect("csv");
    csv.lines()
        .skip(1)
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[0].parse().expect("serial"), cells[1].to_owned())
        })
        .collect()
}

async fn scan(app: &TestApp, code: &str) -> Value {
    scan_from(app, code, "198.51.100.1").await
}

/// A look-up by the client at `address` (behind the trusted proxy the tests configure).
pub(crate) async fn scan_from(app: &TestApp, code: &str, address: &str) -> Value {
    let response = app
        .request(reqwest::Method::GET, &format!("/api/v1/public/trace/{code}"))
        .header("x-forwarded-for", address)
        .send()
        .await
        .expect("req");
    assert_eq!(response.status(), 200, "trace of {code}");
    response.json().await.expect("json")
}

async fn a_batch_s_stamps_trace_to_its_record(app: TestApp) {
    let producer = app.token("chuthe@ocop.demo").await;
    let product = app.get_json("/api/v1/products?limit=1", &producer).await["items"][0].clone();
    let batch = app
        .post_expect(
            "/api/v1/batches",
            &producer,
            &json!({"product_id": product["id"], "code": "L2026-12", "produced_on": "2026-12-01", "quantity": 500, "unit": "hộp",
                "expires_on": "2027-12-01", "standard": "TCCS 01:2024",
                "inputs": [{"material": "Mực lá", "quantity": 120, "unit": "kg", "supplier": "Tàu cá QN-90123"}],
                "lab_tests": [{"laboratory": "Trung tâm Kiểm nghiệm Quảng Ninh", "tested_on": "2026-12-02", "passed": true, "summary": "Đạt chỉ tiêu vi sinh"}],
                "samples": [{"kept_at": "Kho mẫu công ty", "kept_until": "2027-12-31", "quantity": "3 hộp"}]}),
            201,
        )
        .await;
    let id = batch["id"].as_str().expect("id").to_owned();
    assert_problem(
        app.post("/api/v1/batches", &producer, &json!({"product_id": product["id"], "code": "L2026-12", "produced_on": "2026-12-01", "quantity": 1, "unit": "hộp", "standard": "TCCS"})).send().await.expect("req"),
        409,
        "already_exists",
    )
    .await;

    // Who sees it: the producer and the officer of its area; not another producer, not Yên Tử.
    let admin = app.token("admin@ocop.demo").await;
    let coop = app.get_json("/api/v1/subjects?q=duoc%20lieu%20ba%20che", &admin).await["items"][0]["id"].clone();
    app.post_expect("/api/v1/users", &admin, &json!({"email": "other@ocop.demo", "display_name": "HTX khác", "password": DEMO_PASSWORD, "role": "producer", "subject_id": coop}), 201).await;
    let other = app.token("other@ocop.demo").await;
    assert_problem(app.get(&format!("/api/v1/batches/{id}"), &other).send().await.expect("req"), 404, "not_found")
        .await;
    assert_eq!(app.get_json("/api/v1/batches", &other).await["total"], 0);
    let area =
        product["area_path"].as_str().or_else(|| product["commune"]["path"].as_str()).unwrap_or_default().to_owned();
    let officer = if area.starts_with("/22/06688/") { "halong@ocop.demo" } else { "yentu@ocop.demo" };
    let outsider = if officer == "halong@ocop.demo" { "yentu@ocop.demo" } else { "halong@ocop.demo" };
    app.get_json(&format!("/api/v1/batches/{id}"), &app.token(officer).await).await;
    assert_problem(
        app.get(&format!("/api/v1/batches/{id}"), &app.token(outsider).await).send().await.expect("req"),
        403,
        "outside_area",
    )
    .await;
    // Officers read; they do not issue stamps.
    assert_problem(
        app.post(&format!("/api/v1/batches/{id}/stamps"), &app.token(officer).await, &json!({"count": 1}))
            .send()
            .await
            .expect("req"),
        403,
        "forbidden",
    )
    .await;

    // 100 stamps, then two jobs at once: serials never overlap, codes never repeat.
    let job = app.post_expect(&format!("/api/v1/batches/{id}/stamps"), &producer, &json!({"count": 100}), 202).await;
    assert_eq!(wait_job(&app, &producer, &job).await["issued"], 100);
    let path = format!("/api/v1/batches/{id}/stamps");
    let (a, b) = tokio::join!(
        app.post(&path, &producer, &json!({"count": 700})).send(),
        app.post(&path, &producer, &json!({"count": 700})).send()
    );
    let (a, b): (Value, Value) = (a.expect("a").json().await.expect("a"), b.expect("b").json().await.expect("b"));
    wait_job(&app, &producer, &a).await;
    wait_job(&app, &producer, &b).await;
    let firsts: HashSet<i64> = [a["first_serial"].as_i64().expect("a"), b["first_serial"].as_i64().expect("b")].into();
    assert_eq!(firsts, HashSet::from([101, 801]));
    let all = codes(&app, &producer, &id).await;
    assert_eq!(all.len(), 1500);
    assert_eq!(all.iter().map(|(s, _)| *s).collect::<HashSet<_>>().len(), 1500);
    assert_eq!(all.iter().map(|(_, c)| c.clone()).collect::<HashSet<_>>().len(), 1500);
    assert!(all.iter().all(|(_, c)| c.len() == 14 && parse_stamp_code(c).is_some()));
    assert_problem(
        app.post(&path, &producer, &json!({"count": 1_000_001})).send().await.expect("req"),
        422,
        "validation_failed",
    )
    .await;

    // The trace: product, producer, batch and its lab test; each look-up is a scan.
    let code = all[0].1.clone();
    let first = scan(&app, &code).await;
    assert_eq!(first["product_name"], product["name"]);
    assert_eq!(first["batch_code"], "L2026-12");
    assert_eq!(first["expires_on"], "2027-12-01");
    assert_eq!(first["lab_tests"][0]["passed"], true);
    assert_eq!(first["inputs"][0]["material"], "Mực lá");
    assert_eq!(first["events"][0]["biz_step"], "commissioning");
    assert_eq!(first["scans"], 1);
    assert_eq!(first["signals"], json!([]));
    // Five more people scan it: the sixth person within a day raises the signal.
    for n in 2..=5 {
        let by = format!("198.51.100.{n}");
        assert_eq!(scan_from(&app, &code.to_lowercase(), &by).await["scans"], n);
    }
    let sixth = scan_from(&app, &code, "198.51.100.6").await;
    assert_eq!(sixth["signals"], json!(["too_many_scans"]));
    assert!(sixth["warning_vi"].as_str().expect("warning").contains("hơn 5 người"));
    // The page: light HTML with the same data and the warning.
    let page = app.request(reqwest::Method::GET, &format!("/t/{code}")).send().await.expect("req");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("id=\"warning\"") && html.contains("L2026-12") && html.len() < 20_000, "{html}");

    // Two scans of a fresh stamp, shared from Hạ Long and from Hà Nội within the hour.
    let fresh = all[1].1.clone();
    for (by, place) in [
        ("198.51.100.1", json!({"lat": 20.9512, "lon": 107.0848})),
        ("198.51.100.2", json!({"lat": 21.0285, "lon": 105.8542})),
    ] {
        let t = scan_from(&app, &fresh, by).await;
        let path = format!("/api/v1/public/trace/{fresh}/scans/{}/place", t["scan_id"].as_str().expect("scan"));
        // Only the client that scanned may say where it was.
        let stranger =
            app.request(reqwest::Method::POST, &path).header("x-forwarded-for", "192.0.2.99").json(&place).send().await;
        assert_eq!(stranger.expect("req").status(), 404);
        let shared = app
            .request(reqwest::Method::POST, &path)
            .header("x-forwarded-for", by)
            .json(&place)
            .send()
            .await
            .expect("req");
        assert_eq!(shared.status(), 204);
    }
    assert_eq!(scan(&app, &fresh).await["signals"], json!(["far_apart"]));

    // With a GTIN, the GS1 Digital Link of a stamp (its code as the serial) leads to its page.
    let gtin = "8934567890120";
    let update = json!({"name": product["name"], "classification_node_id": product["classification"]["id"], "subject_id": product["subject"]["id"],
        "commune_id": product["commune"]["id"], "unit": product["unit"], "gtin": gtin});
    let saved = app
        .put(&format!("/api/v1/products/{}", product["id"].as_str().expect("id")), &producer, &update)
        .send()
        .await
        .expect("req");
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap_or_default());
    let (serial, linked) = &all[2];
    let r =
        app.request(reqwest::Method::GET, &format!("/01/0{gtin}/10/L2026-12/21/{linked}")).send().await.expect("req");
    let landed = if r.status() == 302 {
        r.headers()["location"].to_str().expect("location").to_owned()
    } else {
        r.url().path().to_owned()
    };
    assert_eq!(landed, format!("/t/{linked}"));
    assert_eq!(
        app.request(reqwest::Method::GET, &format!("/01/{gtin}/10/L2026-12/21/{serial}"))
            .send()
            .await
            .expect("req")
            .status(),
        404
    );

    // Unknown codes, a wrong check symbol, and a voided roll are not valid stamps.
    let mut wrong = code.clone().into_bytes();
    wrong[13] = if wrong[13] == b'0' { b'1' } else { b'0' };
    for bad in ["0000000000000Z", "nonsense", std::str::from_utf8(&wrong).expect("ascii")] {
        assert_problem(
            app.request(reqwest::Method::GET, &format!("/api/v1/public/trace/{bad}")).send().await.expect("req"),
            404,
            "not_found",
        )
        .await;
        let page = app.request(reqwest::Method::GET, &format!("/t/{bad}")).send().await.expect("req");
        assert_eq!(page.status(), 404);
        assert!(page.text().await.expect("html").contains("Tem không hợp lệ"));
    }
    let voided = app
        .post_expect(
            &format!("/api/v1/batches/{id}/stamps/void"),
            &producer,
            &json!({"from": 1, "to": 10, "reason": "Mất cuộn tem"}),
            200,
        )
        .await;
    assert_eq!(voided["voided"], 10);
    assert_eq!(app.request(reqwest::Method::GET, &format!("/t/{code}")).send().await.expect("req").status(), 404);
    assert_eq!(app.get_json(&format!("/api/v1/batches/{id}"), &producer).await["voided"], 10);

    // Printable sheets.
    for (format, kind, magic) in [("pdf", "application/pdf", "%PDF-"), ("svg", "image/svg+xml", "<svg")] {
        let r = app
            .get(&format!("/api/v1/batches/{id}/stamps?format={format}&from=11&to=50"), &producer)
            .send()
            .await
            .expect("req");
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-type"].to_str().expect("type").starts_with(kind));
        assert!(r.text().await.map(|t| t.starts_with(magic)).unwrap_or(format == "pdf"));
    }

    // Statistics and alerts: the producer's and the area officer's, not another producer's.
    let stats = app.get_json("/api/v1/scans/stats", &producer).await;
    // Six look-ups and the page of the first stamp, three of the second, the Digital Link's page.
    assert_eq!(stats["total"], 11);
    let alerted: HashSet<&str> =
        stats["alerts"].as_array().expect("alerts").iter().filter_map(|a| a["code"].as_str()).collect();
    assert_eq!(alerted, HashSet::from([code.as_str(), fresh.as_str()]));
    // An alert counts all the stamp's scans: six look-ups and the page.
    let first_alert = stats["alerts"].as_array().expect("alerts").iter().find(|a| a["code"] == code.as_str());
    assert_eq!(first_alert.expect("alert")["scans"], 7);
    assert_eq!(app.get_json("/api/v1/scans/stats", &app.token(officer).await).await["total"], 11);
    assert_eq!(app.get_json("/api/v1/scans/stats", &other).await["total"], 0);
    // The producer and the area's officer are told of the suspicious stamps, once.
    let today = chrono::Utc::now().date_naive();
    ocop_persistence::notifications::sweep(&app.db, today, &Default::default()).await.expect("sweep");
    assert_eq!(ocop_persistence::notifications::sweep(&app.db, today, &Default::default()).await.expect("sweep"), 0);
    let inbox = app.get_json("/api/v1/notifications", &producer).await;
    let alerts: Vec<&Value> =
        inbox["items"].as_array().expect("items").iter().filter(|n| n["kind"] == "counterfeit_alert").collect();
    assert_eq!(alerts.len(), 2, "{inbox}");
    assert!(alerts.iter().any(|n| n["body_vi"].as_str().is_some_and(|b| b.contains(&code))));
    assert_eq!(app.get_json("/api/v1/notifications", &other).await["total"], 0);
    // With no districts since July 2025, the province's officers are told too.
    let province = app.get_json("/api/v1/notifications", &app.token("tinh@ocop.demo").await).await;
    let told = province["items"].as_array().expect("items").iter().filter(|n| n["kind"] == "counterfeit_alert").count();
    assert_eq!(told, 2, "{province}");

    // Audited.
    let audit = app.get_json("/api/v1/audit?entity_type=batch", &admin).await;
    let actions: HashSet<&str> =
        audit["items"].as_array().expect("items").iter().filter_map(|a| a["action"].as_str()).collect();
    assert!(actions.is_superset(&HashSet::from(["batch.create", "stamps.issue", "stamps.void"])), "{actions:?}");
}
both!(a_batch_s_stamps_trace_to_its_record, |c: &mut ocop_api::ApiConfig| c.trust_proxy = true);

async fn epcis_documents_are_captured_and_queried(app: TestApp) {
    let producer = app.token("chuthe@ocop.demo").await;
    let product = app.get_json("/api/v1/products?limit=1", &producer).await["items"][0].clone();
    let batch = app
        .post_expect("/api/v1/batches", &producer, &json!({"product_id": product["id"], "code": "L-EPCIS", "produced_on": "2026-11-01", "quantity": 10, "unit": "kg", "standard": "TCCS"}), 201)
        .await;
    let lot = batch["lot_uri"].as_str().expect("lot").to_owned();
    let doc = json!({"@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"], "type": "EPCISDocument", "schemaVersion": "2.0",
    "creationDate": "2026-12-03T08:00:00Z", "epcisBody": {"eventList": [
        {"type": "ObjectEvent", "eventID": "urn:uuid:6f1c7a2e-0d1b-4b8e-9a51-2f3e4d5c6b7a", "eventTime": "2026-11-02T08:00:00+07:00", "eventTimeZoneOffset": "+07:00",
         "action": "OBSERVE", "bizStep": "urn:epcglobal:cbv:bizstep:packing", "disposition": "urn:epcglobal:cbv:disp:in_progress", "quantityList": [{"epcClass": lot, "quantity": 10}]},
        {"type": "ObjectEvent", "eventTime": "2026-11-03T08:00:00+07:00", "eventTimeZoneOffset": "+07:00",
         "action": "OBSERVE", "bizStep": "shipping", "quantityList": [{"epcClass": lot, "quantity": 10}]}
    ]}});
    let response = app.post("/api/v1/epcis/capture", &producer, &doc).send().await.expect("req");
    assert_eq!(response.status(), 202);
    assert!(response.headers()["location"].to_str().expect("location").starts_with("/api/v1/epcis/capture/"));
    let job: Value = response.json().await.expect("json");
    let id = job["captureID"].as_str().expect("id");
    let mut done = Value::Null;
    for _ in 0..100 {
        done = app.get_json(&format!("/api/v1/epcis/capture/{id}"), &producer).await;
        if done["running"] == false {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(done["success"], true, "{done}");
    // The same document again stores nothing twice (the first event's eventID).
    app.post("/api/v1/epcis/capture", &producer, &doc).send().await.expect("req");
    tokio::time::sleep(Duration::from_millis(300)).await;

    let lot_q = url_escape(&lot);
    let all = app.get_json(&format!("/api/v1/epcis/events?MATCH_epc={lot_q}"), &producer).await;
    assert_eq!(all["type"], "EPCISQueryDocument");
    let list = all["epcisBody"]["queryResults"]["resultsBody"]["eventList"].as_array().expect("events").clone();
    let steps: Vec<&str> = list.iter().filter_map(|e| e["bizStep"].as_str()).collect();
    assert_eq!(steps[0], "commissioning", "the batch's own commissioning comes first: {steps:?}");
    assert_eq!(list.iter().filter(|e| e["eventID"] == "urn:uuid:6f1c7a2e-0d1b-4b8e-9a51-2f3e4d5c6b7a").count(), 1);
    let packing = app.get_json(&format!("/api/v1/epcis/events?MATCH_epc={lot_q}&EQ_bizStep=packing"), &producer).await;
    assert_eq!(packing["epcisBody"]["queryResults"]["resultsBody"]["eventList"].as_array().expect("events").len(), 1);
    let window = app.get_json(&format!("/api/v1/epcis/events?MATCH_epc={lot_q}&GE_eventTime=2026-11-02T00:00:00Z&LT_eventTime=2026-11-03T00:00:00Z"), &producer).await;
    assert_eq!(
        window["epcisBody"]["queryResults"]["resultsBody"]["eventList"][0]["bizStep"],
        "urn:epcglobal:cbv:bizstep:packing"
    );
    // Paging by token.
    let first =
        app.get(&format!("/api/v1/epcis/events?MATCH_epc={lot_q}&perPage=2"), &producer).send().await.expect("req");
    let link = first.headers()["link"].to_str().expect("link").to_owned();
    let next = link.trim_start_matches('<').split('>').next().expect("url").to_owned();
    let second = app.get_json(&next, &producer).await;
    assert_eq!(
        second["epcisBody"]["queryResults"]["resultsBody"]["eventList"].as_array().expect("events").len(),
        list.len() - 2
    );
    // Another producer sees none of them; a broken document is refused with where it breaks.
    let admin = app.token("admin@ocop.demo").await;
    let coop = app.get_json("/api/v1/subjects?q=duoc%20lieu%20ba%20che", &admin).await["items"][0]["id"].clone();
    app.post_expect("/api/v1/users", &admin, &json!({"email": "khac@ocop.demo", "display_name": "HTX khác", "password": DEMO_PASSWORD, "role": "producer", "subject_id": coop}), 201).await;
    let other = app.token("khac@ocop.demo").await;
    let none = app.get_json(&format!("/api/v1/epcis/events?MATCH_epc={lot_q}"), &other).await;
    assert_eq!(none["epcisBody"]["queryResults"]["resultsBody"]["eventList"], json!([]));
    let mut broken = doc.clone();
    broken["epcisBody"]["eventList"][1]["type"] = json!("TransactionEvent");
    let p = assert_problem(
        app.post("/api/v1/epcis/capture", &producer, &broken).send().await.expect("req"),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "/epcisBody/eventList/1/type");
    let council = app.token("hoidong@ocop.demo").await;
    assert_problem(app.post("/api/v1/epcis/capture", &council, &doc).send().await.expect("req"), 403, "forbidden")
        .await;
}
both!(epcis_documents_are_captured_and_queried);

fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The scan log's writer splits a flush into statements of a few fixed sizes (SQLite) or copies
/// it in PostgreSQL's binary format: every row arrives, with its place and time as the ORM
/// reads them, and is added to its stamp's count in the same transaction.
async fn scans_are_written_whole(app: TestApp) {
    use ocop_persistence::entities::{stamp, stamp_scan};
    use ocop_persistence::traceability::{NewScan, insert_scans, insert_stamps};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

    use chrono::SubsecRound;
    // PostgreSQL keeps microseconds.
    let at = chrono::Utc::now().trunc_subsecs(6) - chrono::Duration::minutes(5);
    let area: std::sync::Arc<str> = "/22/06688/".into();
    let stamps: Vec<(String, i64)> = (0..3).map(|i| (format!("TEST{i:010}"), i)).collect();
    insert_stamps(&app.db, uuid::Uuid::nil(), &stamps).await.expect("stamps");
    // 256 + 64 + 16 + 4 + 1 + 1: every statement size, one of them twice; three stamps.
    let rows: Vec<NewScan> = (0..342_i64)
        .map(|i| NewScan {
            id: ocop_persistence::new_id(),
            code: stamps[usize::try_from(i % 3).expect("index")].0.clone(),
            product_id: uuid::Uuid::nil(),
            area_path: area.clone(),
            scanned_at: at + chrono::Duration::milliseconds(i),
            place: (i % 2 == 0).then_some((20.95, 107.08)),
            device_class: "mobile",
            client_hash: format!("{i:032x}"),
        })
        .collect();
    insert_scans(&app.db, &rows).await.expect("written");
    insert_scans(&app.db, &[]).await.expect("nothing to write");
    let stored = stamp_scan::Entity::find().filter(stamp_scan::Column::AreaPath.eq("/22/06688/"));
    assert_eq!(stored.clone().count(&app.db).await.expect("count"), 342);
    let since = stored.clone().filter(stamp_scan::Column::ScannedAt.gte(at + chrono::Duration::milliseconds(300)));
    assert_eq!(since.count(&app.db).await.expect("count"), 42);
    let one = stamp_scan::Entity::find_by_id(rows[340].id).one(&app.db).await.expect("read").expect("row");
    assert_eq!((one.lat, one.lon, one.device_class.as_str()), (Some(20.95), Some(107.08), "mobile"));
    assert_eq!(one.scanned_at, rows[340].scanned_at);
    let counts = || async {
        let mut rows =
            stamp::Entity::find().filter(stamp::Column::Code.starts_with("TEST")).all(&app.db).await.expect("stamps");
        rows.sort_by(|a, b| a.code.cmp(&b.code));
        rows.into_iter().map(|s| (s.scan_count, s.last_scanned_at)).collect::<Vec<_>>()
    };
    let last = |i: i64| Some(rows[usize::try_from(i).expect("index")].scanned_at);
    assert_eq!(counts().await, vec![(114, last(339)), (114, last(340)), (114, last(341))]);
    // A flush tried again after a lost confirmation writes nothing twice and counts it once.
    let again = [rows[0].clone(), NewScan { id: ocop_persistence::new_id(), ..rows[1].clone() }];
    insert_scans(&app.db, &again).await.expect("written");
    assert_eq!(
        stamp_scan::Entity::find()
            .filter(stamp_scan::Column::AreaPath.eq("/22/06688/"))
            .count(&app.db)
            .await
            .expect("count"),
        343
    );
    assert_eq!(counts().await[..2], [(114, last(339)), (115, last(340))]);
}
both!(scans_are_written_whole);

/// A consumer sharing where they scanned while their scan is being written (out of memory, not
/// yet committed) still finds it: the place waits for the write rather than answering 404.
async fn a_place_is_kept_while_its_scan_is_being_written(app: TestApp) {
    use ocop_api::stamps::ScanLog;
    use ocop_persistence::entities::stamp_scan;
    use ocop_persistence::traceability::{NewScan, insert_stamps};
    use sea_orm::EntityTrait;

    let code = "TEST0000000009".to_owned();
    insert_stamps(&app.db, uuid::Uuid::nil(), &[(code.clone(), 9)]).await.expect("stamp");
    let log = ScanLog::new(10);
    let now = chrono::Utc::now();
    let scan = NewScan {
        id: ocop_persistence::new_id(),
        code: code.clone(),
        product_id: uuid::Uuid::nil(),
        area_path: "/22/".into(),
        scanned_at: now,
        place: None,
        device_class: "mobile",
        client_hash: "c".repeat(32),
    };
    assert!(log.record(scan.clone()));
    let mut flush = std::pin::pin!(log.flush(&app.db));
    // One step of the flush: the scan leaves memory and its write begins (or, rarely, ends).
    let written = tokio::select! {
        biased;
        () = &mut flush => true,
        () = std::future::ready(()) => false,
    };
    let since = now - chrono::Duration::minutes(10);
    let place = log.place(&app.db, scan.id, &code, &scan.client_hash, since, (20.95, 107.08));
    let placed = if written { place.await } else { tokio::join!(flush, place).1 };
    assert!(placed.expect("placed"), "the place of a scan being written was refused");
    let stored = stamp_scan::Entity::find_by_id(scan.id).one(&app.db).await.expect("read").expect("written");
    assert_eq!((stored.lat, stored.lon), (Some(20.95), Some(107.08)));
}
both!(a_place_is_kept_while_its_scan_is_being_written);

/// Scan statistics are counted by the database, by day in Vietnam: a scan at 23:30 and one at
/// 00:30 the next morning fall on two days, though both are on one day in UTC.
async fn scan_statistics_count_vietnamese_days(app: TestApp) {
    use ocop_persistence::traceability::{NewScan, insert_scans, insert_stamps};

    let producer = app.token("chuthe@ocop.demo").await;
    let product =
        app.get_json("/api/v1/products?limit=1", &producer).await["items"][0]["id"].as_str().expect("id").to_owned();
    let product = uuid::Uuid::parse_str(&product).expect("uuid");
    insert_stamps(&app.db, uuid::Uuid::nil(), &[("STAT0000000001".to_owned(), 1)]).await.expect("stamp");
    let vn = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7");
    let day = chrono::Utc::now().with_timezone(&vn).date_naive() - chrono::Duration::days(2);
    let at = |d: chrono::NaiveDate, h: u32, m: u32| {
        d.and_hms_opt(h, m, 0).expect("time").and_local_timezone(vn).single().expect("time").to_utc()
    };
    let next = day.succ_opt().expect("next day");
    let times = [
        at(day, 23, 30),
        at(day, 23, 45),
        at(next, 0, 30),
        at(next, 0, 40),
        at(next, 1, 0),
        at(day, 0, 0) - chrono::Duration::days(8),
    ];
    let rows: Vec<NewScan> = times
        .iter()
        .map(|t| NewScan {
            id: ocop_persistence::new_id(),
            code: "STAT0000000001".to_owned(),
            product_id: product,
            area_path: "/22/06688/".into(),
            scanned_at: *t,
            place: None,
            device_class: "mobile",
            client_hash: "0".repeat(32),
        })
        .collect();
    insert_scans(&app.db, &rows).await.expect("scans");
    let stats = app.get_json("/api/v1/scans/stats?days=5", &producer).await;
    assert_eq!(stats["total"], 5, "the scan of ten days ago is outside the five days");
    assert_eq!(stats["by_day"], json!([{"day": day.to_string(), "scans": 2}, {"day": next.to_string(), "scans": 3}]));
    assert_eq!(stats["by_product"], json!([{"product_id": product, "scans": 5}]));
    assert_eq!(stats["by_area"], json!([{"area_path": "/22/06688/", "scans": 5}]));
}
both!(scan_statistics_count_vietnamese_days);

/// A 1×1 PNG.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\nIDATx\x9cc\0\x01\0\0\x05\0\x01\r\n-\xb4\0\0\0\0IEND\xaeB`\x82";

async fn send_file(app: &TestApp, path: &str, token: &str, name: &str, content: Vec<u8>) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(content).file_name(name.to_owned()));
    app.request(reqwest::Method::PUT, path).bearer_auth(token).multipart(form).send().await.expect("upload")
}

/// A product photo is public (stamp page, trace, catalog); a lab report is read by those who
/// read the batch.
async fn photos_and_lab_reports(app: TestApp) {
    let producer = app.token("chuthe@ocop.demo").await;
    let product = app.get_json("/api/v1/products?limit=1", &producer).await["items"][0].clone();
    let product_id = product["id"].as_str().expect("id").to_owned();
    let photo_path = format!("/api/v1/products/{product_id}/photo");
    assert!(product["photo_url"].is_null());

    // Only images, at most 2 MB, only by who manages the product.
    let saved = send_file(&app, &photo_path, &producer, "cha-muc.png", PNG.to_vec()).await;
    assert_eq!(saved.status(), 200);
    let url = saved.json::<Value>().await.expect("json")["photo_url"].as_str().expect("photo url").to_owned();
    assert!(url.contains(&format!("/api/v1/public/products/{product_id}/photo?v=")), "{url}");
    assert_problem(
        send_file(&app, &photo_path, &producer, "x.txt", b"hello, world".to_vec()).await,
        415,
        "unsupported_media_type",
    )
    .await;
    let mut big = PNG.to_vec();
    big.resize(2 * 1024 * 1024 + 1, 0);
    assert_problem(send_file(&app, &photo_path, &producer, "big.png", big).await, 413, "payload_too_large").await;
    let admin = app.token("admin@ocop.demo").await;
    let coop = app.get_json("/api/v1/subjects?q=duoc%20lieu%20ba%20che", &admin).await["items"][0]["id"].clone();
    app.post_expect("/api/v1/users", &admin, &json!({"email": "other@ocop.demo", "display_name": "HTX khác", "password": DEMO_PASSWORD, "role": "producer", "subject_id": coop}), 201).await;
    let other = app.token("other@ocop.demo").await;
    assert_problem(send_file(&app, &photo_path, &other, "x.png", PNG.to_vec()).await, 404, "not_found").await;

    // Anyone fetches it, cached by its hash.
    let public = format!("/api/v1/public/products/{product_id}/photo");
    let r = app.request(reqwest::Method::GET, &public).send().await.expect("photo");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    let etag = r.headers()["etag"].to_str().expect("etag").to_owned();
    assert_eq!(r.bytes().await.expect("bytes").as_ref(), PNG);
    let again = app.request(reqwest::Method::GET, &public).header("if-none-match", &etag).send().await.expect("photo");
    assert_eq!(again.status(), 304);

    // The stamp page and the trace show it.
    let batch = app
        .post_expect(
            "/api/v1/batches",
            &producer,
            &json!({"product_id": product_id, "code": "L-PHOTO", "produced_on": "2026-12-01", "quantity": 10, "unit": "hộp", "standard": "TCCS 01:2024",
                "lab_tests": [{"laboratory": "Trung tâm Kiểm nghiệm Quảng Ninh", "tested_on": "2026-12-02", "passed": true, "summary": "Đạt chỉ tiêu vi sinh", "report_number": "KN-7"}]}),
            201,
        )
        .await;
    let id = batch["id"].as_str().expect("id").to_owned();
    let job = app.post_expect(&format!("/api/v1/batches/{id}/stamps"), &producer, &json!({"count": 1}), 202).await;
    wait_job(&app, &producer, &job).await;
    let code = codes(&app, &producer, &id).await[0].1.clone();
    assert_eq!(scan(&app, &code).await["photo_url"], url.as_str());
    let html = app
        .request(reqwest::Method::GET, &format!("/t/{code}"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let relative = &url[url.find("/api/").expect("path")..];
    assert!(html.contains(&format!("id=\"photo\" class=\"photo\" src=\"{relative}\"")), "{html}");

    // The lab report: attached by the producer, read by the area's officer, no one else.
    let test = batch["lab_tests"][0].clone();
    assert!(test["report"].is_null());
    let report_path = format!("/api/v1/batches/{id}/lab-tests/{}/report", test["id"].as_str().expect("test id"));
    let pdf = crate::helpers::pdf("Phiếu kết quả KN-7");
    let attached = send_file(&app, &report_path, &producer, "KN-7.pdf", pdf.clone()).await;
    assert_eq!(attached.status(), 200);
    assert_eq!(
        attached.json::<Value>().await.expect("json")["report"],
        json!({"file_name": "KN-7.pdf", "content_type": "application/pdf"})
    );
    assert_eq!(
        app.get_json(&format!("/api/v1/batches/{id}"), &producer).await["lab_tests"][0]["report"]["file_name"],
        "KN-7.pdf"
    );
    assert_problem(
        send_file(&app, &report_path, &producer, "x.exe", b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff".to_vec()).await,
        415,
        "unsupported_media_type",
    )
    .await;
    let area = product["commune"]["path"].as_str().expect("path").to_owned();
    let (officer, outsider) = if area.starts_with("/22/06688/") {
        ("halong@ocop.demo", "yentu@ocop.demo")
    } else {
        ("yentu@ocop.demo", "halong@ocop.demo")
    };
    let officer = app.token(officer).await;
    let read = app.get(&report_path, &officer).send().await.expect("download");
    assert_eq!(read.status(), 200);
    assert_eq!(read.bytes().await.expect("bytes").as_ref(), pdf.as_slice());
    assert_problem(send_file(&app, &report_path, &officer, "KN-7.pdf", pdf.clone()).await, 403, "forbidden").await;
    assert_problem(app.get(&report_path, &app.token(outsider).await).send().await.expect("req"), 403, "outside_area")
        .await;
    assert_problem(app.get(&report_path, &other).send().await.expect("req"), 404, "not_found").await;
    let unknown = format!("/api/v1/batches/{id}/lab-tests/{}/report", uuid::Uuid::nil());
    assert_problem(app.get(&unknown, &producer).send().await.expect("req"), 404, "not_found").await;

    // Removing the photo; both writes are audited.
    let removed =
        app.request(reqwest::Method::DELETE, &photo_path).bearer_auth(&producer).send().await.expect("delete");
    assert_eq!(removed.status(), 200);
    assert!(removed.json::<Value>().await.expect("json")["photo_url"].is_null());
    assert_eq!(app.request(reqwest::Method::GET, &public).send().await.expect("photo").status(), 404);
    for (kind, action) in [("product", "product.photo"), ("batch", "batch.lab_report")] {
        let audit = app.get_json(&format!("/api/v1/audit?entity_type={kind}"), &admin).await;
        assert!(audit["items"].as_array().expect("items").iter().any(|a| a["action"] == action), "{audit}");
    }
}
both!(photos_and_lab_reports);
