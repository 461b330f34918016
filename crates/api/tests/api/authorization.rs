//! Every role against every endpoint: who gets through, who gets 403.

use reqwest::Method;
use serde_json::{Value, json};

use crate::both;
use crate::helpers::{DEMO_PASSWORD, TestApp};

const ROLES: [&str; 7] = [
    "admin",
    "province_officer",
    "district_officer",
    "other_district_officer",
    "commune_officer",
    "council_member",
    "producer",
];

/// The caller's e-mail per role; the commune officer is created for the test.
fn email(role: &str) -> &'static str {
    match role {
        "admin" => "admin@ocop.demo",
        "province_officer" => "tinh@ocop.demo",
        "district_officer" => "halong@ocop.demo", // Hạ Long, where the targets are
        "other_district_officer" => "uongbi@ocop.demo", // Uông Bí, outside
        "commune_officer" => "xa.thongnhat@ocop.demo", // a commune of Hạ Long
        "council_member" => "hoidong@ocop.demo",
        _ => "chuthe@ocop.demo",
    }
}

struct Case {
    name: &'static str,
    method: Method,
    path: String,
    body: Option<Value>,
    /// Roles that succeed; every other role gets 403.
    allowed: &'static [&'static str],
}

const EVERYONE: &[&str] = &ROLES;
const ADMIN: &[&str] = &["admin"];
const HA_LONG_MANAGERS: &[&str] = &["admin", "province_officer", "district_officer"];

async fn every_role_meets_the_right_door(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let thong_nhat = app.unit_id("06649").await;
    let created = app
        .post(
            "/api/v1/users",
            &admin,
            &json!({"email": email("commune_officer"), "display_name": "Cán bộ xã Thống Nhất", "password": DEMO_PASSWORD, "role": "commune_officer", "admin_unit_id": thong_nhat}),
        )
        .send()
        .await
        .expect("create commune officer");
    assert_eq!(created.status(), 201);
    let province = app.unit_id("22").await;
    let ha_long = app.unit_id("193").await;
    let quang_la = app.unit_id("06652").await;
    let producer: Value = app.get_json("/api/v1/users?role=producer", &admin).await;
    let producer_id = producer["items"][0]["id"].as_str().expect("producer id").to_owned();

    for (i, role) in ROLES.iter().enumerate() {
        let token = app.token(email(role)).await;
        let cases = [
            Case { name: "me", method: Method::GET, path: "/api/v1/auth/me".into(), body: None, allowed: EVERYONE },
            Case {
                name: "list units",
                method: Method::GET,
                path: "/api/v1/admin-units".into(),
                body: None,
                allowed: EVERYONE,
            },
            Case {
                name: "get unit",
                method: Method::GET,
                path: format!("/api/v1/admin-units/{province}"),
                body: None,
                allowed: EVERYONE,
            },
            Case {
                name: "unit tree",
                method: Method::GET,
                path: format!("/api/v1/admin-units/{ha_long}/tree"),
                body: None,
                allowed: EVERYONE,
            },
            Case {
                name: "create unit in Hạ Long",
                method: Method::POST,
                path: "/api/v1/admin-units".into(),
                body: Some(
                    json!({"code": format!("0970{i}"), "name": format!("Xã Ma Trận {i}"), "kind": "commune", "parent_id": ha_long}),
                ),
                allowed: HA_LONG_MANAGERS,
            },
            Case {
                name: "edit unit in Hạ Long",
                method: Method::PATCH,
                path: format!("/api/v1/admin-units/{quang_la}"),
                body: Some(json!({"name": format!("Xã Quảng La ({role})")})),
                allowed: HA_LONG_MANAGERS,
            },
            Case { name: "list users", method: Method::GET, path: "/api/v1/users".into(), body: None, allowed: ADMIN },
            Case {
                name: "get user",
                method: Method::GET,
                path: format!("/api/v1/users/{producer_id}"),
                body: None,
                allowed: ADMIN,
            },
            Case {
                name: "create user",
                method: Method::POST,
                path: "/api/v1/users".into(),
                body: Some(
                    json!({"email": format!("moi{i}@ocop.demo"), "display_name": "Người mới", "password": "Mật khẩu 2026 mới", "role": "producer"}),
                ),
                allowed: ADMIN,
            },
            Case {
                name: "edit user",
                method: Method::PATCH,
                path: format!("/api/v1/users/{producer_id}"),
                body: Some(json!({"display_name": format!("Chủ thể ({role})")})),
                allowed: ADMIN,
            },
            Case {
                name: "reset password",
                method: Method::POST,
                path: format!("/api/v1/users/{producer_id}/password-reset"),
                // Back to the demo password, so the producer can still sign in for its turn.
                body: Some(json!({"new_password": DEMO_PASSWORD})),
                allowed: ADMIN,
            },
            Case { name: "audit", method: Method::GET, path: "/api/v1/audit".into(), body: None, allowed: ADMIN },
        ];
        for case in cases {
            let mut request = app.request(case.method.clone(), &case.path).bearer_auth(&token);
            if let Some(body) = &case.body {
                request = request.json(body);
            }
            let status = request.send().await.expect("request").status().as_u16();
            if case.allowed.contains(role) {
                assert!((200..300).contains(&status), "{role} → {}: expected success, got {status}", case.name);
            } else {
                assert_eq!(status, 403, "{role} → {}: expected 403", case.name);
            }
        }
    }
}
both!(every_role_meets_the_right_door);
