use serde_json::{Value, json};

use crate::both;
use crate::helpers::{TestApp, assert_problem};

async fn search_ignores_diacritics_and_case(app: TestApp) {
    let token = app.token("hoidong@ocop.demo").await;
    let found: Value = app.get_json("/api/v1/admin-units?q=ha%20long", &token).await;
    let items = found["items"].as_array().expect("items");
    assert_eq!(items[0]["name"], "Phường Hạ Long", "{found}");
    assert!(items.iter().all(|u| u["valid_to"].is_null()), "current units only: {found}");
    let found: Value = app.get_json("/api/v1/admin-units?q=DONG%20TRIEU&level=commune", &token).await;
    assert_eq!(found["items"][0]["name"], "Phường Đông Triều");
    // Code prefix: the nine current communes of Quảng Ninh whose code starts 069.
    let found: Value = app.get_json("/api/v1/admin-units?q=069&level=commune", &token).await;
    assert_eq!(found["total"], 9, "{found}");
    // The retired districts, when asked for: 193..199 minus 197.
    let found: Value = app.get_json("/api/v1/admin-units?q=19&level=district&include_retired=true", &token).await;
    assert_eq!(found["total"], 6, "{found}");
}
both!(search_ignores_diacritics_and_case);

async fn lists_are_paged_filtered_and_sorted(app: TestApp) {
    let token = app.token("admin@ocop.demo").await;
    let province = app.unit_id("22").await;
    let page: Value =
        app.get_json(&format!("/api/v1/admin-units?parent_id={province}&limit=5&offset=0&sort=-code"), &token).await;
    assert_eq!(page["total"], 54, "Quảng Ninh's 54 communes, wards and special zones of 2025");
    let items = page["items"].as_array().expect("items");
    assert_eq!(items.len(), 5);
    assert_eq!(items[0]["code"], "07192", "Đặc khu Cô Tô");
    let codes: Vec<&str> = items.iter().map(|i| i["code"].as_str().expect("code")).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(codes, sorted);
    let next: Value =
        app.get_json(&format!("/api/v1/admin-units?parent_id={province}&limit=5&offset=50&sort=-code"), &token).await;
    assert_eq!(next["items"].as_array().expect("items").len(), 4);
    // Past the end: no items, and still the right total.
    let beyond = app.get_json(&format!("/api/v1/admin-units?parent_id={province}&limit=5&offset=100"), &token).await;
    assert_eq!(beyond["items"].as_array().expect("items").len(), 0);
    assert_eq!(beyond["total"], 54);
    // With the 13 districts retired in 2025 below it too.
    let all = app.get_json(&format!("/api/v1/admin-units?parent_id={province}&include_retired=true"), &token).await;
    assert_eq!(all["total"], 67);
    // Limits are clamped, not refused: 239 units in all (1 + 54 + 13 + 171), 200 at most a page.
    let big: Value = app.get_json("/api/v1/admin-units?limit=100000&include_retired=true", &token).await;
    assert_eq!(big["total"], 239);
    assert_eq!(big["items"].as_array().expect("items").len(), 200);
    let bad_sort = app.get("/api/v1/admin-units?sort=color", &token).send().await.expect("list");
    assert_problem(bad_sort, 400, "malformed_request").await;
}
both!(lists_are_paged_filtered_and_sorted);

async fn the_tree_nests_communes_under_the_province(app: TestApp) {
    let token = app.token("admin@ocop.demo").await;
    let province = app.unit_id("22").await;
    let tree: Value = app.get_json(&format!("/api/v1/admin-units/{province}/tree"), &token).await;
    assert_eq!(tree["code"], "22");
    let communes = tree["children"].as_array().expect("children");
    assert_eq!(communes.len(), 54, "two levels since July 2025: the retired districts are not in the tree");
    let ha_long = communes.iter().find(|c| c["code"] == "06688").expect("Hạ Long");
    assert_eq!(ha_long["name"], "Phường Hạ Long");
    assert!(ha_long["children"].as_array().expect("leaf").is_empty());
}
both!(the_tree_nests_communes_under_the_province);

async fn create_commune(app: &TestApp, token: &str, parent_code: &str, code: &str, name: &str) -> reqwest::Response {
    let parent = app.unit_id(parent_code).await;
    app.post("/api/v1/admin-units", token, &json!({"code": code, "name": name, "kind": "commune", "parent_id": parent}))
        .send()
        .await
        .expect("create")
}

async fn officers_manage_units_only_inside_their_area(app: TestApp) {
    // A commune officer's area is their ward: no unit can be created in it, nor another edited.
    let ha_long = app.token("halong@ocop.demo").await;
    assert_problem(create_commune(&app, &ha_long, "22", "09002", "Xã Ngoài Vùng").await, 403, "outside_area").await;
    let hong_gai = app.unit_id("06685").await;
    let response = app
        .patch(&format!("/api/v1/admin-units/{hong_gai}"), &ha_long, &json!({"name": "Đổi tên"}))
        .send()
        .await
        .expect("patch");
    assert_problem(response, 403, "outside_area").await;
    // Not even their own ward itself.
    let own = app.unit_id("06688").await;
    let response = app
        .patch(&format!("/api/v1/admin-units/{own}"), &ha_long, &json!({"name": "Đổi tên"}))
        .send()
        .await
        .expect("patch");
    assert_problem(response, 403, "outside_area").await;
    // Roles without an area cannot manage units at all.
    let producer = app.token("chuthe@ocop.demo").await;
    assert_problem(create_commune(&app, &producer, "22", "09003", "Xã Bất Kỳ").await, 403, "forbidden").await;
    // The province officer works anywhere in the province.
    let province = app.token("tinh@ocop.demo").await;
    let created = create_commune(&app, &province, "22", "09001", "Xã Đảo Tuần Châu").await;
    assert_eq!(created.status(), 201);
    let unit: Value = created.json().await.expect("json");
    assert_eq!(unit["path"], "/22/09001/");
    assert_eq!(unit["level"], "commune");
}
both!(officers_manage_units_only_inside_their_area);

async fn invalid_units_are_refused_with_the_field_at_fault(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let body =
        assert_problem(create_commune(&app, &admin, "22", "123", "Xã Sai Mã").await, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "code");
    assert!(body["errors"][0]["message_vi"].as_str().expect("vi").contains("5 chữ số"));
    let body =
        assert_problem(create_commune(&app, &admin, "06688", "09020", "Xã Cùng Cấp").await, 422, "validation_failed")
            .await;
    assert_eq!(body["errors"][0]["field"], "parent_id", "a commune under a commune");
    assert_problem(create_commune(&app, &admin, "22", "06685", "Xã Trùng Mã").await, 409, "already_exists").await;
    let district = json!({"code": "299", "name": "Huyện Không Tỉnh", "kind": "rural_district"});
    let body = assert_problem(
        app.post("/api/v1/admin-units", &admin, &district).send().await.expect("create"),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "parent_id");
    // A commune directly under the province (two-level structure since July 2025) is fine.
    assert_eq!(create_commune(&app, &admin, "22", "09010", "Xã Trực Thuộc Tỉnh").await.status(), 201);
}
both!(invalid_units_are_refused_with_the_field_at_fault);

async fn units_are_edited_and_retired_with_history(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let hong_gai = app.unit_id("06685").await;
    let ha_long = app.unit_id("06688").await;
    let changed: Value = app
        .patch(&format!("/api/v1/admin-units/{hong_gai}"), &admin, &json!({"name": "Phường Hồng Gai (mới)"}))
        .send()
        .await
        .expect("patch")
        .json()
        .await
        .expect("json");
    assert_eq!(changed["name"], "Phường Hồng Gai (mới)");
    let level_change = app
        .patch(&format!("/api/v1/admin-units/{hong_gai}"), &admin, &json!({"kind": "town"}))
        .send()
        .await
        .expect("patch");
    assert_problem(level_change, 422, "validation_failed").await;

    let province = app.unit_id("22").await;
    let has_children = app
        .post(
            &format!("/api/v1/admin-units/{province}/retire"),
            &admin,
            &json!({"valid_to": "2026-01-01", "reason": "Hợp nhất tỉnh"}),
        )
        .send()
        .await
        .expect("retire");
    assert_problem(has_children, 409, "conflict").await;

    let retired = app
        .post(
            &format!("/api/v1/admin-units/{hong_gai}/retire"),
            &admin,
            &json!({"valid_to": "2026-01-01", "replaced_by_id": ha_long, "reason": "Sáp nhập vào Phường Hạ Long"}),
        )
        .send()
        .await
        .expect("retire");
    assert_eq!(retired.status(), 200);
    let retired: Value = retired.json().await.expect("json");
    assert_eq!(retired["valid_to"], "2026-01-01");
    assert_eq!(retired["replaced_by_id"], ha_long);
    let current: Value = app.get_json(&format!("/api/v1/admin-units?parent_id={province}"), &admin).await;
    assert_eq!(current["total"], 53, "retired unit left the current list");
    let all: Value =
        app.get_json(&format!("/api/v1/admin-units?parent_id={province}&include_retired=true"), &admin).await;
    assert_eq!(all["total"], 67, "history kept");
    let again = app
        .post(
            &format!("/api/v1/admin-units/{hong_gai}/retire"),
            &admin,
            &json!({"valid_to": "2026-01-02", "reason": "lần hai"}),
        )
        .send()
        .await
        .expect("retire");
    assert_problem(again, 409, "conflict").await;
}
both!(units_are_edited_and_retired_with_history);

async fn unknown_units_are_not_found(app: TestApp) {
    let token = app.token("admin@ocop.demo").await;
    let missing =
        app.get("/api/v1/admin-units/01900000-0000-7000-8000-000000000000", &token).send().await.expect("get");
    assert_problem(missing, 404, "not_found").await;
    let malformed = app.get("/api/v1/admin-units/not-a-uuid", &token).send().await.expect("get");
    assert_problem(malformed, 400, "malformed_request").await;
}
both!(unknown_units_are_not_found);

/// A square ring of `side` degrees with its south-west corner at (lon, lat), `n` positions a side.
fn ring(lon: f64, lat: f64, side: f64, n: usize) -> Value {
    let step = side / n as f64;
    let mut points = Vec::new();
    for i in 0..n {
        points.push(json!([lon + step * i as f64, lat]));
    }
    for i in 0..n {
        points.push(json!([lon + side, lat + step * i as f64]));
    }
    for i in 0..n {
        points.push(json!([lon + side - step * i as f64, lat + side]));
    }
    for i in 0..n {
        points.push(json!([lon, lat + side - step * i as f64]));
    }
    points.push(json!([lon, lat]));
    json!({"type": "Polygon", "coordinates": [points]})
}

/// Admins import communes' boundaries from GeoJSON: checked feature by feature (the position cap
/// named), written all or none, audited; the map layer then draws the boundary.
async fn admins_import_unit_boundaries(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let feature =
        |code: &str, geometry: Value| json!({"type": "Feature", "properties": {"code": code}, "geometry": geometry});
    // Around the centroid of Phường Hạ Long (107.0458, 20.9626); Hồng Gai's drawn far away.
    let ha_long = feature("06688", ring(107.02, 20.94, 0.05, 4));
    let collection = |features: Vec<Value>| json!({"type": "FeatureCollection", "features": features});
    let path = "/api/v1/admin-units/boundaries";
    let officer = app.token("tinh@ocop.demo").await;
    assert_problem(
        app.post(path, &officer, &collection(vec![ha_long.clone()])).send().await.expect("req"),
        403,
        "forbidden",
    )
    .await;

    let mixed = collection(vec![
        ha_long.clone(),
        feature("99999", ring(107.0, 21.0, 0.01, 1)),
        feature("06685", ring(106.0, 20.0, 0.05, 30)),
        feature("06832", json!({"type": "Polygon", "coordinates": [[[106.7, 21.1], [106.8, 21.1], [106.8, 21.2]]]})),
        json!({"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [107.0, 21.0]}}),
    ]);
    let report = app.post_expect(&format!("{path}?dry_run=true"), &admin, &mixed, 200).await;
    assert_eq!((report["total"].clone(), report["valid"].clone()), (json!(5), json!(1)), "{report}");
    let rows = report["rows"].as_array().expect("rows");
    assert_eq!(rows[0]["ok"], true);
    assert_eq!(rows[1]["errors"][0]["code"], "unknown_unit");
    // 121 positions where this server takes 100 (OCOP_BOUNDARY_MAX_POSITIONS).
    assert!(rows[2]["errors"][0]["message_en"].as_str().expect("en").contains("100 positions"), "{}", rows[2]);
    assert_eq!(rows[3]["errors"][0]["field"], "features[3].geometry.coordinates[0]");
    let fields: Vec<&str> =
        rows[4]["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["features[4].properties.code", "features[4].geometry"]);
    assert_problem(app.post(path, &admin, &mixed).send().await.expect("req"), 422, "validation_failed").await;
    let id = app.unit_id("06688").await;
    let item = format!("/api/v1/geo/collections/admin-units/items/{id}");
    let before: Value = app.request(reqwest::Method::GET, &item).send().await.expect("req").json().await.expect("json");
    assert_eq!(before["geometry"]["type"], "Point", "nothing was written");

    // A boundary drawn away from its unit is kept, with a warning to check the code.
    let far = feature("06685", ring(106.0, 20.0, 0.05, 4));
    let done = app.post_expect(path, &admin, &collection(vec![ha_long, far]), 201).await;
    assert_eq!(done["imported"], 2);
    assert_eq!(done["rows"][1]["warnings"][0]["code"], "centroid_outside");
    let after: Value = app.request(reqwest::Method::GET, &item).send().await.expect("req").json().await.expect("json");
    assert_eq!(after["geometry"]["type"], "Polygon");
    assert_eq!(after["properties"]["has_boundary"], true);
    let bbox: Vec<f64> = serde_json::from_value(after["bbox"].clone()).expect("bbox");
    for (got, want) in bbox.iter().zip([107.02, 20.94, 107.07, 20.99]) {
        assert!((got - want).abs() < 1e-9, "{bbox:?}");
    }
    assert_eq!(after["properties"]["centroid"], json!([107.0458, 20.9626]));
    let audit = app.get_json(&format!("/api/v1/audit?entity_type=admin_unit&entity_id={id}"), &admin).await;
    assert_eq!(audit["items"][0]["action"], "admin_unit.boundary", "{audit}");
    assert_eq!(audit["items"][0]["after"]["positions"], 17);
}
both!(admins_import_unit_boundaries, |c: &mut ocop_api::ApiConfig| c.boundary_max_positions = 100);
