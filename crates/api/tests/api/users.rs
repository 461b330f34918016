use reqwest::Method;
use serde_json::{Value, json};

use crate::both;
use crate::helpers::{TestApp, assert_problem};

async fn only_admins_manage_users(app: TestApp) {
    for email in ["tinh@ocop.demo", "halong@ocop.demo", "hoidong@ocop.demo", "chuthe@ocop.demo"] {
        let token = app.token(email).await;
        assert_problem(app.get("/api/v1/users", &token).send().await.expect("list"), 403, "forbidden").await;
        let body = json!({"email": "x@ocop.demo", "display_name": "X", "password": "Mật khẩu 2026 x", "role": "admin"});
        assert_problem(app.post("/api/v1/users", &token, &body).send().await.expect("create"), 403, "forbidden").await;
    }
}
both!(only_admins_manage_users);

async fn admins_create_officers_bound_to_units_of_their_level(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let commune = app.unit_id("07060").await; // Xã Thống Nhất
    let province = app.unit_id("22").await;
    let wrong_level = json!({"email": "can.bo@quangninh.gov.vn", "display_name": "Trần Thị Bình", "password": "Thống Nhất 2026", "role": "commune_officer", "admin_unit_id": province});
    let body = assert_problem(
        app.post("/api/v1/users", &admin, &wrong_level).send().await.expect("create"),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "admin_unit_id");
    let unbound = json!({"email": "can.bo@quangninh.gov.vn", "display_name": "Trần Thị Bình", "password": "Thống Nhất 2026", "role": "commune_officer"});
    assert_problem(app.post("/api/v1/users", &admin, &unbound).send().await.expect("create"), 422, "validation_failed")
        .await;
    let weak = json!({"email": "can.bo@quangninh.gov.vn", "display_name": "Trần Thị Bình", "password": "12345", "role": "producer"});
    let body = assert_problem(
        app.post("/api/v1/users", &admin, &weak).send().await.expect("create"),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "password");
    let bad_email =
        json!({"email": "not an email", "display_name": "A", "password": "Thống Nhất 2026", "role": "producer"});
    let body = assert_problem(
        app.post("/api/v1/users", &admin, &bad_email).send().await.expect("create"),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "email");

    let good = json!({"email": "Can.Bo@QuangNinh.gov.vn", "display_name": "Trần Thị Bình", "password": "Thống Nhất 2026", "role": "commune_officer", "admin_unit_id": commune});
    let created = app.post("/api/v1/users", &admin, &good).send().await.expect("create");
    assert_eq!(created.status(), 201);
    let user: Value = created.json().await.expect("json");
    assert_eq!(user["email"], "can.bo@quangninh.gov.vn");
    assert_eq!(user["admin_unit"]["code"], "07060");
    assert!(user.get("password_hash").is_none());
    assert_problem(app.post("/api/v1/users", &admin, &good).send().await.expect("create"), 409, "already_exists").await;
    // The new officer can sign in.
    let login = app.login_response("can.bo@quangninh.gov.vn", "Thống Nhất 2026").await;
    assert_eq!(login.status(), 200);
}
both!(admins_create_officers_bound_to_units_of_their_level);

async fn users_are_listed_searched_and_edited(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let all: Value = app.get_json("/api/v1/users?limit=2&sort=email", &admin).await;
    assert_eq!(all["total"], 8);
    assert_eq!(all["items"].as_array().expect("items").len(), 2);
    assert_eq!(all["items"][0]["email"], "admin@ocop.demo");
    let found: Value = app.get_json("/api/v1/users?q=ha%20long", &admin).await;
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["admin_unit"]["name"], "Phường Hạ Long");
    let officers: Value = app.get_json("/api/v1/users?role=commune_officer", &admin).await;
    assert_eq!(officers["total"], 2);

    let id = found["items"][0]["id"].as_str().expect("id");
    let uong_bi = app.unit_id("06811").await;
    let moved: Value = app
        .patch(
            &format!("/api/v1/users/{id}"),
            &admin,
            &json!({"admin_unit_id": uong_bi, "display_name": "Cán bộ chuyển công tác"}),
        )
        .send()
        .await
        .expect("patch")
        .json()
        .await
        .expect("json");
    assert_eq!(moved["admin_unit"]["code"], "06811");
    let unbind =
        app.patch(&format!("/api/v1/users/{id}"), &admin, &json!({"admin_unit_id": null})).send().await.expect("patch");
    assert_problem(unbind, 422, "validation_failed").await;
    let to_producer: Value = app
        .patch(&format!("/api/v1/users/{id}"), &admin, &json!({"role": "producer", "admin_unit_id": null}))
        .send()
        .await
        .expect("patch")
        .json()
        .await
        .expect("json");
    assert_eq!(to_producer["role"], "producer");
    assert!(to_producer["admin_unit"].is_null());
}
both!(users_are_listed_searched_and_edited);

async fn admins_cannot_lock_themselves_out(app: TestApp) {
    let pair = app.login("admin@ocop.demo").await;
    let token = pair["access_token"].as_str().expect("token");
    let id = pair["user"]["id"].as_str().expect("id");
    for body in [json!({"active": false}), json!({"role": "producer"})] {
        let response = app.patch(&format!("/api/v1/users/{id}"), token, &body).send().await.expect("patch");
        assert_problem(response, 409, "conflict").await;
    }
}
both!(admins_cannot_lock_themselves_out);

async fn admins_reset_passwords(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let producer = app.login("chuthe@ocop.demo").await;
    let id = producer["user"]["id"].as_str().expect("id");
    let reset = app
        .request(Method::POST, &format!("/api/v1/users/{id}/password-reset"))
        .bearer_auth(&admin)
        .json(&json!({"new_password": "Mật khẩu tạm 2026"}))
        .send()
        .await
        .expect("reset");
    assert_eq!(reset.status(), 204);
    assert_eq!(app.login_response("chuthe@ocop.demo", "Mật khẩu tạm 2026").await.status(), 200);
    let refresh = app
        .request(Method::POST, "/api/v1/auth/refresh")
        .json(&json!({"refresh_token": producer["refresh_token"]}))
        .send()
        .await
        .expect("refresh");
    assert_problem(refresh, 401, "invalid_refresh_token").await;
}
both!(admins_reset_passwords);
