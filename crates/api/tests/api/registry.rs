//! Subjects, products, search, exports and the classification data.

use serde_json::{Value, json};

use crate::both;
use crate::helpers::{TestApp, assert_problem};

pub const PRODUCER: &str = "chuthe@ocop.demo";
pub const HA_LONG: &str = "halong@ocop.demo";
pub const YEN_TU: &str = "yentu@ocop.demo";

/// The id of the first product found by a search.
pub async fn product_id(app: &TestApp, token: &str, q: &str) -> String {
    let page = app.get_json(&format!("/api/v1/products?q={q}"), token).await;
    page["items"][0]["id"].as_str().unwrap_or_else(|| panic!("no product for {q}: {page}")).to_owned()
}

pub async fn cycle_2026(app: &TestApp, token: &str) -> String {
    let cycles = app.get_json("/api/v1/cycles", token).await;
    let cycle = cycles.as_array().expect("cycles").iter().find(|c| c["year"] == 2026).expect("2026 cycle");
    cycle["id"].as_str().expect("id").to_owned()
}

fn subject_body(commune_id: &str) -> Value {
    json!({
        "legal_form": "household", "name": "Hộ kinh doanh Lê Thị Mai", "tax_code": "5702223334",
        "representative": "Lê Thị Mai", "phone": "+84 912 000 111", "email": "Mai.Le@Gmail.com",
        "address": "Tổ 3, phường Hạ Long", "commune_id": commune_id, "founded_on": "2020-01-15",
        "members": 3, "employees": 5
    })
}

async fn subjects_are_validated_created_and_upgraded(app: TestApp) {
    let officer = app.token(HA_LONG).await;
    let ha_long = app.unit_id("06688").await;
    let mut bad = subject_body(&ha_long);
    bad["tax_code"] = json!("12345");
    bad["phone"] = json!("abc");
    bad["founded_on"] = json!("2999-01-01");
    let problem = assert_problem(
        app.post("/api/v1/subjects", &officer, &bad).send().await.expect("req"),
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> =
        problem["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    for field in ["tax_code", "phone", "founded_on"] {
        assert!(fields.contains(&field), "{field} in {fields:?}");
    }
    // Outside the officer's ward.
    let outside = subject_body(&app.unit_id("06832").await);
    assert_problem(app.post("/api/v1/subjects", &officer, &outside).send().await.expect("req"), 403, "outside_area")
        .await;

    let created = app.post_expect("/api/v1/subjects", &officer, &subject_body(&ha_long), 201).await;
    assert_eq!(created["phone"], "0912000111");
    assert_eq!(created["email"], "mai.le@gmail.com");
    assert_eq!(created["commune"]["code"], "06688");
    let again = app.post("/api/v1/subjects", &officer, &subject_body(&ha_long)).send().await.expect("req");
    assert_problem(again, 409, "already_exists").await;

    let id = created["id"].as_str().expect("id");
    let wrong = json!({"to_form": "cooperative", "upgraded_on": "2025-01-01"});
    assert_problem(
        app.post(&format!("/api/v1/subjects/{id}/upgrades"), &officer, &wrong).send().await.expect("req"),
        422,
        "validation_failed",
    )
    .await;
    let upgraded = app
        .post_expect(
            &format!("/api/v1/subjects/{id}/upgrades"),
            &officer,
            &json!({"to_form": "enterprise", "upgraded_on": "2025-06-01", "note": "Thành lập công ty TNHH"}),
            201,
        )
        .await;
    assert_eq!(upgraded["legal_form"], "enterprise");
    assert_eq!(upgraded["upgrades"][0]["from_form"], "household");
    // Details are replaced as a whole; the legal form stays.
    let mut edit = subject_body(&ha_long);
    edit["name"] = json!("Công ty TNHH Mai Thống Nhất");
    let edited: Value = app
        .put(&format!("/api/v1/subjects/{id}"), &officer, &edit)
        .send()
        .await
        .expect("req")
        .json()
        .await
        .expect("json");
    assert_eq!(edited["name"], "Công ty TNHH Mai Thống Nhất");
    assert_eq!(edited["legal_form"], "enterprise");
    let audit = app.get_json("/api/v1/audit?entity_type=subject", &app.token("admin@ocop.demo").await).await;
    let actions: Vec<&str> =
        audit["items"].as_array().expect("items").iter().filter_map(|a| a["action"].as_str()).collect();
    for action in ["subject.create", "subject.upgrade", "subject.update"] {
        assert!(actions.contains(&action), "{action} audited: {actions:?}");
    }
}
both!(subjects_are_validated_created_and_upgraded);

async fn products_get_codes_and_are_found_without_diacritics(app: TestApp) {
    let officer = app.token(HA_LONG).await;
    let found = app.get_json("/api/v1/products?q=cha%20muc%20ha%20long", &officer).await;
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["name"], "Chả mực Hạ Long");
    // Words may come from the subject's name too.
    let by_subject = app.get_json("/api/v1/products?q=thuc%20pham%20bien%20sa%20sung", &officer).await;
    assert_eq!(by_subject["items"][0]["name"], "Sá sùng khô Quan Lạn");

    let subject_id = found["items"][0]["subject"]["id"].as_str().expect("subject").to_owned();
    // Renaming the subject moves its products' search words with it.
    let subject = app.get_json(&format!("/api/v1/subjects/{subject_id}"), &officer).await;
    let rename = json!({
        "legal_form": subject["legal_form"], "name": "Công ty Hải sản Vịnh Bắc Bộ", "tax_code": subject["tax_code"],
        "representative": subject["representative"], "phone": subject["phone"], "address": subject["address"],
        "commune_id": subject["commune"]["id"]
    });
    assert_eq!(
        app.put(&format!("/api/v1/subjects/{subject_id}"), &officer, &rename).send().await.expect("req").status(),
        200
    );
    let renamed = app.get_json("/api/v1/products?q=hai%20san%20vinh%20bac%20bo%20sa%20sung", &officer).await;
    assert_eq!(renamed["items"][0]["name"], "Sá sùng khô Quan Lạn");
    assert_eq!(app.get_json("/api/v1/products?q=thuc%20pham%20bien%20sa%20sung", &officer).await["total"], 0);
    let versions = app.get_json("/api/v1/classifications", &officer).await;
    let v2023 = versions.as_array().expect("versions").iter().find(|v| v["code"] == "2023").expect("2023")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let nodes = app.get_json(&format!("/api/v1/classifications/{v2023}/nodes"), &officer).await;
    let nodes = nodes.as_array().expect("nodes");
    assert_eq!(nodes.iter().filter(|n| n["level"] == "group").count(), 6);
    let group = nodes.iter().find(|n| n["code"] == "1").expect("group 1")["id"].clone();
    let fish = nodes.iter().find(|n| n["code"] == "1.3.5").expect("1.3.5")["id"].clone();
    let mut body = json!({"name": "Nước mắm Cái Rồng", "classification_node_id": group, "subject_id": subject_id, "unit": "chai 500 ml", "price_vnd": 120000, "gtin": "8934588012113"});
    let problem = assert_problem(
        app.post("/api/v1/products", &officer, &body).send().await.expect("req"),
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> =
        problem["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["gtin", "classification_node_id"]);
    body["classification_node_id"] = fish;
    body["gtin"] = json!("8934588012112");
    // The sequence goes on from the commune's products registered this year (two of Hạ Long in
    // the demo when run in its own year, none later): counted from the fixture, not the calendar.
    let year = chrono::Utc::now().format("%Y").to_string();
    let ward = app.unit_id("06688").await;
    let before = app.get_json(&format!("/api/v1/products?area_id={ward}&limit=100"), &officer).await;
    let this_year = before["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|p| {
            p["code"].as_str().is_some_and(|c| c.starts_with("22-000-06688-") && c.ends_with(&format!("-{year}")))
        })
        .count();
    let created = app.post_expect("/api/v1/products", &officer, &body, 201).await;
    assert_eq!(created["code"], format!("22-000-06688-{:03}-{year}", this_year + 1));
    assert_eq!(created["group_code"], "1");
    let again = app.post("/api/v1/products", &officer, &body).send().await.expect("req");
    assert_problem(again, 409, "already_exists").await; // the GTIN is taken

    let id = created["id"].as_str().expect("id");
    body["status"] = json!("certified");
    let self_certified = app.put(&format!("/api/v1/products/{id}"), &officer, &body).send().await.expect("req");
    assert_problem(self_certified, 422, "validation_failed").await;
    body["status"] = json!("discontinued");
    let edited: Value = app
        .put(&format!("/api/v1/products/{id}"), &officer, &body)
        .send()
        .await
        .expect("req")
        .json()
        .await
        .expect("json");
    assert_eq!(edited["status"], "discontinued");
    assert_eq!(edited["code"], created["code"], "the code never changes");
    let cycle = cycle_2026(&app, &officer).await;
    let register = app
        .post("/api/v1/applications", &officer, &json!({"cycle_id": cycle, "product_id": id}))
        .send()
        .await
        .expect("req");
    assert_problem(register, 409, "conflict").await; // discontinued products stay out of cycles

    let groups = app.get_json("/api/v1/products?group=2", &officer).await;
    assert_eq!(groups["total"], 0, "Hạ Long has no beverages");
    let admin = app.token("admin@ocop.demo").await;
    assert_eq!(app.get_json("/api/v1/products?group=2", &admin).await["total"], 1);
    assert_eq!(app.get_json("/api/v1/products?legal_form=household", &admin).await["total"], 1);
}
both!(products_get_codes_and_are_found_without_diacritics);

async fn lists_export_to_spreadsheets(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let csv = app.get("/api/v1/products/export?format=csv&sort=code", &admin).send().await.expect("req");
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"].to_str().expect("type").starts_with("text/csv"));
    assert!(csv.headers()["content-disposition"].to_str().expect("cd").contains("san-pham-"));
    let text = csv.text().await.expect("text");
    assert!(text.starts_with('\u{feff}'), "UTF-8 BOM");
    assert!(text.contains("Mã sản phẩm,Tên sản phẩm"));
    assert!(text.contains("Chả mực Hạ Long"));
    assert_eq!(text.lines().count(), 6, "header and five demo products");
    let xlsx = app.get("/api/v1/subjects/export", &admin).send().await.expect("req");
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.expect("bytes");
    let sheets = ocop_api::sheets::read_xlsx(bytes.to_vec(), ocop_api::sheets::WorkbookLimits::default())
        .expect("a real workbook");
    assert_eq!(sheets[0].0, "Chủ thể");
    assert_eq!(sheets[0].1[0][0], "Mã số thuế");
    assert_eq!(sheets[0].1.len(), 4);
    // Producers export only what they may see.
    let producer = app.token(PRODUCER).await;
    let own =
        app.get("/api/v1/subjects/export?format=csv", &producer).send().await.expect("req").text().await.expect("text");
    assert_eq!(own.lines().count(), 2);
}
both!(lists_export_to_spreadsheets);

async fn admins_extend_the_classification(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let versions = app.get_json("/api/v1/classifications", &admin).await;
    let v2019 = versions[0]["id"].as_str().expect("id").to_owned();
    assert_eq!(versions[0]["code"], "2019");
    let nodes = app.get_json(&format!("/api/v1/classifications/{v2019}/nodes"), &admin).await;
    let food = nodes.as_array().expect("nodes").iter().find(|n| n["code"] == "1.3").expect("1.3")["id"].clone();
    let bad = json!({"parent_id": food, "code": "2.9", "name": "Chế biến từ nấm", "name_en": "From mushrooms"});
    assert_problem(
        app.post(&format!("/api/v1/classifications/{v2019}/nodes"), &admin, &bad).send().await.expect("req"),
        422,
        "validation_failed",
    )
    .await;
    let good = json!({"parent_id": food, "code": "1.3.9", "name": "Chế biến từ nấm", "name_en": "From mushrooms"});
    let node = app.post_expect(&format!("/api/v1/classifications/{v2019}/nodes"), &admin, &good, 201).await;
    assert_eq!(node["level"], "product_set");
    let kinds = app.get_json(&format!("/api/v1/classifications/{v2019}/document-kinds"), &admin).await;
    let required: Vec<&str> = kinds
        .as_array()
        .expect("kinds")
        .iter()
        .filter(|k| k["category"] == "required")
        .filter_map(|k| k["code"].as_str())
        .collect();
    assert_eq!(
        required,
        ["idea_registration_form", "business_plan", "organisation_profile", "business_registration", "product_samples"]
    );
    let kind = json!({"code": "vietgap_certificate", "name": "Giấy chứng nhận VietGAP", "name_en": "VietGAP certificate", "required_at": null});
    app.post_expect(&format!("/api/v1/classifications/{v2019}/document-kinds"), &admin, &kind, 201).await;
    let officer = app.token(HA_LONG).await;
    let denied = app
        .post(&format!("/api/v1/classifications/{v2019}/document-kinds"), &officer, &kind)
        .send()
        .await
        .expect("req");
    assert_problem(denied, 403, "forbidden").await;
}
both!(admins_extend_the_classification);
