//! Notifications: each occasion found in the live data reaches whom it concerns once; read and
//! unread; the e-mail hook receives them.

use std::time::Duration;

use chrono::{Months, Utc};
use ocop_persistence::notifications::sweep;
use serde_json::{Value, json};

use crate::both;
use crate::catalog::certify;
use crate::helpers::{DEMO_PASSWORD, TestApp, assert_problem};
use crate::scoring::in_session;

async fn inbox(app: &TestApp, token: &str) -> Value {
    app.get_json("/api/v1/notifications", token).await
}

async fn members_are_told_to_score_once(app: TestApp) {
    let s = in_session(&app).await;
    let today = Utc::now().date_naive();
    assert!(
        sweep(&app.db, today, &Default::default()).await.expect("sweep") >= 3,
        "every member of the council is told"
    );
    assert_eq!(sweep(&app.db, today, &Default::default()).await.expect("sweep"), 0, "a second sweep adds nothing");
    let mine = inbox(&app, &s.chair).await;
    assert_eq!(mine["unread"], 1);
    let note = &mine["items"][0];
    assert_eq!(note["kind"], "session_to_score");
    assert_eq!(note["title_vi"], "Có sản phẩm cần chấm điểm");
    assert_eq!(note["link"], format!("/sessions/{}", s.session));
    assert_eq!(inbox(&app, &s.admin).await["total"], 0, "the admin is not a member");
    // Someone else's notification is not found; one's own is marked read.
    let id = note["id"].as_str().expect("id");
    assert_problem(
        app.post(&format!("/api/v1/notifications/{id}/read"), &s.member, &json!({})).send().await.expect("req"),
        404,
        "not_found",
    )
    .await;
    let read = app.post_expect(&format!("/api/v1/notifications/{id}/read"), &s.chair, &json!({}), 200).await;
    assert_eq!(read["unread"], 0);
    assert_eq!(app.get_json("/api/v1/notifications/unread-count", &s.member).await["unread"], 1);
    app.post_expect("/api/v1/notifications/read-all", &s.member, &json!({}), 200).await;
    assert_eq!(app.get_json("/api/v1/notifications?unread=true", &s.member).await["total"], 0);
}
both!(members_are_told_to_score_once);

fn mail_hook(config: &mut ocop_api::ApiConfig) {
    let file = std::env::temp_dir().join(format!("ocop-mail-{}.txt", uuid::Uuid::now_v7()));
    config.notifications.mail_command = Some(format!("cat >> '{}'", file.display()));
    config.notifications.sweep_interval = Duration::from_millis(200);
}

async fn expiring_certificates_reach_the_producer_and_the_mail_hook(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    // The Ba Chẽ cooperative gets its own producer account.
    let coop = app.get_json("/api/v1/subjects?q=duoc%20lieu%20ba%20che", &admin).await["items"][0]["id"].clone();
    app.post_expect(
        "/api/v1/users",
        &admin,
        &json!({"email": "hoptacxa@ocop.demo", "display_name": "HTX Dược liệu Ba Chẽ", "password": DEMO_PASSWORD, "role": "producer", "subject_id": coop}),
        201,
    )
    .await;
    // Decided 35 months ago: it expires within a month.
    let decided = Utc::now().date_naive().checked_sub_months(Months::new(35)).expect("date");
    let cert = certify(&app, 75, &decided.format("%Y-%m-%d").to_string()).await;
    let producer = app.token("hoptacxa@ocop.demo").await;
    let mut found = Value::Null;
    for _ in 0..100 {
        let mine = inbox(&app, &producer).await;
        if let Some(n) = mine["items"].as_array().and_then(|a| a.iter().find(|n| n["kind"] == "certificate_expiring")) {
            found = n.clone();
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(found.is_object(), "the worker's sweep notified the producer");
    let number = cert["number"].as_str().expect("number");
    assert!(found["body_vi"].as_str().expect("body").contains(number));
    let until =
        chrono::NaiveDate::parse_from_str(cert["valid_until"].as_str().expect("until"), "%Y-%m-%d").expect("date");
    assert!(found["body_vi"].as_str().expect("body").contains(&until.format("%d/%m/%Y").to_string()), "{found}");
    // Another subject's producer hears nothing of it.
    let other = app.token("chuthe@ocop.demo").await;
    assert!(
        !inbox(&app, &other).await["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|n| n["kind"] == "certificate_expiring")
    );
    // The e-mail hook received it, addressed to the producer, subject encoded.
    let command = app.config().notifications.mail_command.clone().expect("hook");
    let file = command.trim_start_matches("cat >> '").trim_end_matches('\'').to_owned();
    let mut mail = String::new();
    for _ in 0..100 {
        mail = std::fs::read_to_string(&file).unwrap_or_default();
        if mail.contains("To: hoptacxa@ocop.demo") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(mail.contains("To: hoptacxa@ocop.demo"), "{mail}");
    assert!(mail.contains("Subject: =?UTF-8?B?"));
    assert!(mail.contains(number));
    let _ = std::fs::remove_file(file);
}
both!(expiring_certificates_reach_the_producer_and_the_mail_hook, super::mail_hook);
