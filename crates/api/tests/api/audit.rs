use ocop_persistence::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};

use crate::both;
use crate::helpers::{TestApp, assert_problem};

async fn every_write_is_audited_with_before_after_and_request_id(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let parent = app.unit_id("22").await;
    let created = app
        .post(
            "/api/v1/admin-units",
            &admin,
            &json!({"code": "09100", "name": "Xã Kiểm Toán", "kind": "commune", "parent_id": parent}),
        )
        .send()
        .await
        .expect("create");
    let request_id =
        created.headers().get("x-request-id").and_then(|v| v.to_str().ok()).expect("request id").to_owned();
    let unit: Value = created.json().await.expect("json");
    let id = unit["id"].as_str().expect("id");
    app.patch(&format!("/api/v1/admin-units/{id}"), &admin, &json!({"name": "Xã Kiểm Toán Mới"}))
        .send()
        .await
        .expect("patch");

    let trail: Value = app.get_json(&format!("/api/v1/audit?entity_type=admin_unit&entity_id={id}"), &admin).await;
    assert_eq!(trail["items"].as_array().expect("items").len(), 2);
    assert!(trail["next_cursor"].is_null(), "one page only");
    let (update, create) = (&trail["items"][0], &trail["items"][1]);
    assert_eq!(update["action"], "admin_unit.update");
    assert_eq!(update["before"]["name"], "Xã Kiểm Toán");
    assert_eq!(update["after"]["name"], "Xã Kiểm Toán Mới");
    assert_eq!(create["action"], "admin_unit.create");
    assert!(create["before"].is_null());
    assert_eq!(create["actor_email"], "admin@ocop.demo");
    assert_eq!(create["request_id"], request_id.as_str());

    let by_action: Value = app.get_json("/api/v1/audit?action=admin_unit.create&limit=1", &admin).await;
    assert_eq!(by_action["items"][0]["entity_id"], id);
}
both!(every_write_is_audited_with_before_after_and_request_id);

async fn the_trail_is_cursor_paged_newest_first(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let parent = app.unit_id("22").await;
    for i in 0..5 {
        let body = json!({"code": format!("0920{i}"), "name": format!("Xã Trang {i}"), "kind": "commune", "parent_id": parent});
        assert_eq!(app.post("/api/v1/admin-units", &admin, &body).send().await.expect("create").status(), 201);
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/audit?action=admin_unit.create&limit=2".to_owned();
    loop {
        let page = app.get_json(&path, &admin).await;
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= 2);
        seen.extend(items.iter().map(|e| e["after"]["name"].as_str().expect("name").to_owned()));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/audit?action=admin_unit.create&limit=2&cursor={cursor}"),
            None => break,
        }
    }
    let expected: Vec<String> = (0..5).rev().map(|i| format!("Xã Trang {i}")).collect();
    assert_eq!(seen, expected, "every entry once, newest first");
    let bad = app.get("/api/v1/audit?cursor=garbage", &admin).send().await.expect("audit");
    assert_problem(bad, 400, "malformed_request").await;
}
both!(the_trail_is_cursor_paged_newest_first);

async fn audit_entries_never_carry_password_hashes(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let body = json!({"email": "moi@ocop.demo", "display_name": "Người Mới", "password": "Mật khẩu 2026 mới", "role": "council_member"});
    app.post("/api/v1/users", &admin, &body).send().await.expect("create");
    let trail: Value = app.get_json("/api/v1/audit?entity_type=user", &admin).await;
    let text = trail.to_string();
    assert!(text.contains("moi@ocop.demo"));
    assert!(!text.contains("argon2"), "no hash in the audit trail");
}
both!(audit_entries_never_carry_password_hashes);

async fn only_admins_read_the_audit_trail(app: TestApp) {
    let officer = app.token("tinh@ocop.demo").await;
    assert_problem(app.get("/api/v1/audit", &officer).send().await.expect("audit"), 403, "forbidden").await;
}
both!(only_admins_read_the_audit_trail);

async fn the_audit_table_refuses_updates_and_deletes(app: TestApp) {
    let backend = app.db.get_database_backend();
    let before = count(&app, backend).await;
    assert!(before > 0, "the demo seed is audited");
    for sql in ["UPDATE audit_log SET action = 'forged'", "DELETE FROM audit_log"] {
        let result = app.db.execute_raw(Statement::from_string(backend, sql)).await;
        assert!(result.is_err(), "`{sql}` must fail");
    }
    assert_eq!(count(&app, backend).await, before);
}
both!(the_audit_table_refuses_updates_and_deletes);

async fn count(app: &TestApp, backend: DbBackend) -> i64 {
    let row = app
        .db
        .query_one_raw(Statement::from_string(backend, "SELECT COUNT(*) AS n FROM audit_log"))
        .await
        .expect("count")
        .expect("row");
    row.try_get::<i64>("", "n").expect("n")
}
