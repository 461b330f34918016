//! Every role against every endpoint: who gets through, who gets 403.

use reqwest::Method;
use serde_json::{Value, json};

use crate::both;
use crate::helpers::{DEMO_PASSWORD, TestApp};

const ROLES: [&str; 6] =
    ["admin", "province_officer", "commune_officer", "other_commune_officer", "council_member", "producer"];

/// The caller's e-mail per role.
fn email(role: &str) -> &'static str {
    match role {
        "admin" => "admin@ocop.demo",
        "province_officer" => "tinh@ocop.demo",
        "commune_officer" => "halong@ocop.demo", // the ward of Hạ Long, where the targets are
        "other_commune_officer" => "yentu@ocop.demo", // the ward of Yên Tử, outside
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
const UNIT_MANAGERS: &[&str] = &["admin", "province_officer"];

async fn every_role_meets_the_right_door(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let province = app.unit_id("22").await;
    let hong_gai = app.unit_id("06685").await;
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
                path: format!("/api/v1/admin-units/{province}/tree"),
                body: None,
                allowed: EVERYONE,
            },
            Case {
                name: "create unit in the province",
                method: Method::POST,
                path: "/api/v1/admin-units".into(),
                body: Some(
                    json!({"code": format!("0970{i}"), "name": format!("Xã Ma Trận {i}"), "kind": "commune", "parent_id": province}),
                ),
                allowed: UNIT_MANAGERS,
            },
            Case {
                name: "edit a ward",
                method: Method::PATCH,
                path: format!("/api/v1/admin-units/{hong_gai}"),
                body: Some(json!({"name": format!("Phường Hồng Gai ({role})")})),
                allowed: UNIT_MANAGERS,
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

/// The registry's doors. A producer asking for another subject's object gets 404, as if it
/// did not exist; officers outside their area get 403.
struct Door {
    name: &'static str,
    method: Method,
    path: String,
    body: Option<Value>,
    /// Roles that get through, and the status they get.
    allowed: &'static [&'static str],
    ok: u16,
    /// The object belongs to another subject than the producer's: 404 instead of 403.
    hidden_from_producer: bool,
}

const REGISTRY_ROLES: [&str; 6] = ROLES;

const READERS: &[&str] = &["admin", "province_officer", "commune_officer", "council_member", "producer"];
const MANAGERS: &[&str] = &["admin", "province_officer", "commune_officer", "producer"];
const OFFICERS: &[&str] = &["admin", "province_officer", "commune_officer"];
const IMPORTERS: &[&str] = &["admin", "province_officer", "other_commune_officer", "commune_officer"];
const PROGRAMME: &[&str] = &["admin", "province_officer"];
const PROVINCE_READERS: &[&str] = &["admin", "province_officer", "council_member"];
const PROVINCE_MANAGERS: &[&str] = &["admin", "province_officer"];
/// Everyone but producers (councils are not theirs to see).
const STAFF: &[&str] = &["admin", "province_officer", "other_commune_officer", "commune_officer", "council_member"];

fn minimal_pdf(i: usize) -> Vec<u8> {
    format!("%PDF-1.4\n% tài liệu {i}\n%%EOF\n").into_bytes()
}

async fn every_role_meets_the_right_registry_door(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let ha_long = app.unit_id("06688").await;
    let province = app.unit_id("22").await;

    let find = |q: &'static str| {
        let app = &app;
        let admin = admin.clone();
        async move { app.get_json(&format!("/api/v1/products?q={q}"), &admin).await["items"][0].clone() }
    };
    let own = find("cha%20muc").await;
    let own_product = own["id"].as_str().expect("id").to_owned();
    let own_subject = own["subject"]["id"].as_str().expect("id").to_owned();
    let foreign = find("ruou%20ba%20kich").await;
    let foreign_product = foreign["id"].as_str().expect("id").to_owned();
    let cycles = app.get_json("/api/v1/cycles", &admin).await;
    let cycle = cycles[0]["id"].as_str().expect("cycle").to_owned();
    let version = cycles[0]["classification_version_id"].as_str().expect("version").to_owned();
    let nodes = app.get_json(&format!("/api/v1/classifications/{version}/nodes"), &admin).await;
    let node = nodes.as_array().expect("nodes").iter().find(|n| n["code"] == "1.3.5").expect("node")["id"].clone();
    let foreign_application =
        app.get_json(&format!("/api/v1/applications?cycle_id={cycle}&q=ruou"), &admin).await["items"][0]["id"]
            .as_str()
            .expect("seeded application")
            .to_owned();
    let own_application = app
        .post_expect("/api/v1/applications", &admin, &json!({"cycle_id": cycle, "product_id": own_product}), 201)
        .await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let detail = app.get_json(&format!("/api/v1/applications/{own_application}"), &admin).await;
    let plan_kind = detail["document_kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .find(|k| k["code"] == "business_plan")
        .expect("kind")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let uploaded: Value = app
        .upload(&own_application, &admin, &plan_kind, "p.pdf", minimal_pdf(99), None)
        .await
        .json()
        .await
        .expect("doc");
    let document = uploaded["id"].as_str().expect("id").to_owned();
    let partner = app
        .post_expect(
            "/api/v1/partners",
            &admin,
            &json!({"name": "Sàn ma trận", "kind": "portal", "contact_email": "san@ma.tran"}),
            201,
        )
        .await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    // One household and one unregistered product per role, so that every role's success is real.
    let mut households = Vec::new();
    let mut fresh_products = Vec::new();
    for i in 0..REGISTRY_ROLES.len() {
        let household = json!({"legal_form": "household", "name": format!("Hộ ma trận {i}"), "tax_code": format!("57099900{i:02}"), "representative": "Người đại diện", "phone": "0912345678", "address": "Hạ Long", "commune_id": ha_long});
        households.push(
            app.post_expect("/api/v1/subjects", &admin, &household, 201).await["id"].as_str().expect("id").to_owned(),
        );
        let product = json!({"name": format!("Sản phẩm ma trận {i}"), "classification_node_id": node, "subject_id": own_subject, "unit": "kg"});
        fresh_products.push(
            app.post_expect("/api/v1/products", &admin, &product, 201).await["id"].as_str().expect("id").to_owned(),
        );
    }
    let empty_workbook = {
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet().set_name("Chủ thể").expect("sheet");
        book.save_to_buffer().expect("xlsx")
    };

    for (i, role) in REGISTRY_ROLES.iter().enumerate() {
        let token = app.token(email(role)).await;
        let get = |name: &'static str, path: String, allowed: &'static [&'static str], hidden: bool| Door {
            name,
            method: Method::GET,
            path,
            body: None,
            allowed,
            ok: 200,
            hidden_from_producer: hidden,
        };
        let subject_body = json!({"legal_form": "enterprise", "name": format!("Công ty ma trận {i}"), "tax_code": format!("57088800{i:02}"), "representative": "Giám đốc", "phone": "0912345678", "address": "Hạ Long", "commune_id": ha_long});
        let product_body = json!({"name": format!("Chả mực ({role})"), "classification_node_id": node, "subject_id": own_subject, "unit": "kg"});
        let doors = [
            get("list subjects", "/api/v1/subjects".into(), EVERYONE, false),
            get("export subjects", "/api/v1/subjects/export?format=csv".into(), EVERYONE, false),
            get("get own subject", format!("/api/v1/subjects/{own_subject}"), READERS, false),
            get("list products", "/api/v1/products".into(), EVERYONE, false),
            get("export products", "/api/v1/products/export".into(), EVERYONE, false),
            get("get own product", format!("/api/v1/products/{own_product}"), READERS, false),
            get("get foreign product", format!("/api/v1/products/{foreign_product}"), PROVINCE_READERS, true),
            get("list classifications", "/api/v1/classifications".into(), EVERYONE, false),
            get("classification nodes", format!("/api/v1/classifications/{version}/nodes"), EVERYONE, false),
            get("document kinds", format!("/api/v1/classifications/{version}/document-kinds"), EVERYONE, false),
            get("list cycles", "/api/v1/cycles".into(), EVERYONE, false),
            get("get cycle", format!("/api/v1/cycles/{cycle}"), EVERYONE, false),
            get("list applications", format!("/api/v1/applications?cycle_id={cycle}"), EVERYONE, false),
            get("export applications", "/api/v1/applications/export?format=csv".into(), EVERYONE, false),
            get("get own application", format!("/api/v1/applications/{own_application}"), MANAGERS, false),
            get(
                "get foreign application",
                format!("/api/v1/applications/{foreign_application}"),
                PROVINCE_MANAGERS,
                true,
            ),
            get("download document", format!("/api/v1/documents/{document}/file"), MANAGERS, false),
            get("progress by stage", format!("/api/v1/progress/stages?cycle_id={cycle}"), EVERYONE, false),
            get("overdue", format!("/api/v1/progress/overdue?cycle_id={cycle}"), EVERYONE, false),
            get("progress by subject", format!("/api/v1/progress/subjects?cycle_id={cycle}"), EVERYONE, false),
            get("import template", "/api/v1/imports/template".into(), EVERYONE, false),
            get("list criteria sets", "/api/v1/criteria-sets".into(), EVERYONE, false),
            get("council rules", "/api/v1/council-rules".into(), EVERYONE, false),
            get("list councils", "/api/v1/councils".into(), STAFF, false),
            get("list certificates", "/api/v1/certificates".into(), EVERYONE, false),
            get("list growing areas", "/api/v1/growing-areas".into(), EVERYONE, false),
            get("public map items", "/api/v1/geo/collections/craft-villages/items".into(), EVERYONE, false),
            Door {
                name: "set up a province council",
                method: Method::POST,
                path: "/api/v1/councils".into(),
                body: Some(
                    json!({"level": "province", "area_id": province, "cycle_id": cycle, "name": format!("Hội đồng {role}"), "decision_number": format!("{i}/QĐ"), "decision_date": "2026-09-01"}),
                ),
                allowed: PROGRAMME,
                ok: 201,
                hidden_from_producer: false,
            },
            // Authorised callers reach the checks (no such result): 422.
            Door {
                name: "issue a certificate",
                method: Method::POST,
                path: "/api/v1/certificates".into(),
                body: Some(
                    json!({"item_id": uuid::Uuid::nil(), "decision_number": "1/QĐ", "decision_date": "2026-11-22", "issuing_body": "UBND tỉnh"}),
                ),
                allowed: PROGRAMME,
                ok: 422,
                hidden_from_producer: false,
            },
            Door {
                name: "register a growing area",
                method: Method::POST,
                path: "/api/v1/growing-areas".into(),
                body: Some(
                    json!({"code": format!("VN-22-000-06688-{}-26", 100 + i), "name": format!("Vùng trồng {role}"), "crop": "Na", "crop_cycle": "perennial",
                    "declared_area_ha": 1.2, "subject_id": own_subject,
                    "geometry": {"type": "Polygon", "coordinates": [[[107.08, 20.95], [107.081, 20.95], [107.081, 20.951], [107.08, 20.951], [107.08, 20.95]]]}}),
                ),
                allowed: MANAGERS,
                ok: 201,
                hidden_from_producer: false,
            },
            Door {
                name: "register a craft village",
                method: Method::POST,
                path: "/api/v1/craft-villages".into(),
                body: Some(
                    json!({"name": format!("Làng nghề {role}"), "craft": "Gốm", "commune_id": ha_long, "lon": 107.08, "lat": 20.95}),
                ),
                allowed: OFFICERS,
                ok: 201,
                hidden_from_producer: false,
            },
            Door {
                name: "create subject",
                method: Method::POST,
                path: "/api/v1/subjects".into(),
                body: Some(subject_body.clone()),
                allowed: OFFICERS,
                ok: 201,
                hidden_from_producer: false,
            },
            Door {
                name: "edit own subject",
                method: Method::PUT,
                path: format!("/api/v1/subjects/{own_subject}"),
                body: Some(
                    json!({"legal_form": "enterprise", "name": "Công ty TNHH Thực phẩm Biển Hạ Long", "tax_code": "5701234567", "representative": format!("Đại diện {i}"), "phone": "0912345678", "address": "Số 12 phố Hạ Long", "commune_id": ha_long}),
                ),
                allowed: MANAGERS,
                ok: 200,
                hidden_from_producer: false,
            },
            Door {
                name: "upgrade a household",
                method: Method::POST,
                path: format!("/api/v1/subjects/{}/upgrades", households[i]),
                body: Some(json!({"to_form": "enterprise", "upgraded_on": "2025-01-01"})),
                allowed: OFFICERS,
                ok: 201,
                hidden_from_producer: true,
            },
            Door {
                name: "create product",
                method: Method::POST,
                path: "/api/v1/products".into(),
                body: Some(product_body.clone()),
                allowed: MANAGERS,
                ok: 201,
                hidden_from_producer: false,
            },
            Door {
                name: "edit own product",
                method: Method::PUT,
                path: format!("/api/v1/products/{own_product}"),
                body: Some(
                    json!({"name": "Chả mực Hạ Long", "classification_node_id": node, "subject_id": own_subject, "unit": "kg", "description": format!("Sửa bởi {role}")}),
                ),
                allowed: MANAGERS,
                ok: 200,
                hidden_from_producer: false,
            },
            Door {
                name: "edit foreign product",
                method: Method::PUT,
                path: format!("/api/v1/products/{foreign_product}"),
                body: Some(
                    json!({"name": "Rượu ba kích Ba Chẽ", "classification_node_id": node, "subject_id": own_subject, "unit": "chai"}),
                ),
                allowed: PROVINCE_MANAGERS,
                ok: 200,
                hidden_from_producer: true,
            },
            Door {
                name: "register idea",
                method: Method::POST,
                path: "/api/v1/applications".into(),
                body: Some(json!({"cycle_id": cycle, "product_id": fresh_products[i]})),
                allowed: MANAGERS,
                ok: 201,
                hidden_from_producer: false,
            },
            // Authorised callers reach the rules (approving an idea is not a move): 409.
            Door {
                name: "move own application",
                method: Method::POST,
                path: format!("/api/v1/applications/{own_application}/moves"),
                body: Some(json!({"action": "approve_plan"})),
                allowed: MANAGERS,
                ok: 409,
                hidden_from_producer: false,
            },
            Door {
                name: "move foreign application",
                method: Method::POST,
                path: format!("/api/v1/applications/{foreign_application}/moves"),
                body: Some(json!({"action": "submit_for_evaluation"})),
                allowed: PROVINCE_MANAGERS,
                ok: 409,
                hidden_from_producer: true,
            },
            Door {
                name: "review document",
                method: Method::POST,
                path: format!("/api/v1/documents/{document}/review"),
                body: Some(json!({"review": "accepted"})),
                allowed: OFFICERS,
                ok: 200,
                hidden_from_producer: false,
            },
            Door {
                name: "create cycle",
                method: Method::POST,
                path: "/api/v1/cycles".into(),
                body: Some(json!({"year": 2040 + i, "name": format!("Chu trình {i}")})),
                allowed: PROGRAMME,
                ok: 201,
                hidden_from_producer: false,
            },
            Door {
                name: "edit cycle",
                method: Method::PATCH,
                path: format!("/api/v1/cycles/{cycle}"),
                body: Some(json!({"name": format!("Chu trình OCOP năm 2026 ({role})")})),
                allowed: PROGRAMME,
                ok: 200,
                hidden_from_producer: false,
            },
            Door {
                name: "extend classification",
                method: Method::POST,
                path: format!("/api/v1/classifications/{version}/nodes"),
                body: Some(
                    json!({"parent_id": null, "code": format!("{}", 7 + i), "name": "Nhóm mới", "name_en": "New group"}),
                ),
                allowed: ADMIN,
                ok: 201,
                hidden_from_producer: false,
            },
            Door {
                name: "list partners",
                method: Method::GET,
                path: "/api/v1/partners".into(),
                body: None,
                allowed: ADMIN,
                ok: 200,
                hidden_from_producer: false,
            },
            Door {
                name: "register partner",
                method: Method::POST,
                path: "/api/v1/partners".into(),
                body: Some(json!({"name": format!("Sàn {i}"), "kind": "retailer", "contact_email": "a@b.vn"})),
                allowed: ADMIN,
                ok: 201,
                hidden_from_producer: false,
            },
            Door {
                name: "issue API key",
                method: Method::POST,
                path: format!("/api/v1/partners/{partner}/keys"),
                body: Some(json!({"name": format!("Khóa {i}"), "scopes": ["catalog:read"]})),
                allowed: ADMIN,
                ok: 201,
                hidden_from_producer: false,
            },
            Door {
                name: "partner deliveries",
                method: Method::GET,
                path: format!("/api/v1/partners/{partner}/deliveries"),
                body: None,
                allowed: ADMIN,
                ok: 200,
                hidden_from_producer: false,
            },
            Door {
                name: "add document kind",
                method: Method::POST,
                path: format!("/api/v1/classifications/{version}/document-kinds"),
                body: Some(json!({"code": format!("kind_{i}"), "name": "Loại mới", "name_en": "New kind"})),
                allowed: ADMIN,
                ok: 201,
                hidden_from_producer: false,
            },
        ];
        for door in doors {
            let mut request = app.request(door.method.clone(), &door.path).bearer_auth(&token);
            if let Some(body) = &door.body {
                request = request.json(body);
            }
            let response = request.send().await.expect("request");
            let status = response.status().as_u16();
            let expected = if door.allowed.contains(role) {
                door.ok
            } else if *role == "producer" && door.hidden_from_producer {
                404
            } else if *role == "council_member"
                && door.method == Method::GET
                && ["/api/v1/applications/", "/api/v1/documents/"].iter().any(|p| door.path.starts_with(p))
            {
                // Council members read only the applications on their councils' agendas;
                // others do not exist for them.
                404
            } else {
                403
            };
            let body = response.text().await.unwrap_or_default();
            assert_eq!(status, expected, "{role} → {}: {body}", door.name);
        }
        // Uploads and imports are multipart.
        let upload =
            app.upload(&own_application, &token, &plan_kind, "x.pdf", minimal_pdf(i), None).await.status().as_u16();
        assert_eq!(upload, if MANAGERS.contains(role) { 201 } else { 403 }, "{role} → upload");
        let foreign_upload =
            app.upload(&foreign_application, &token, &plan_kind, "x.pdf", minimal_pdf(i), None).await.status().as_u16();
        let expected = match *role {
            "admin" | "province_officer" => 201,
            "producer" => 404,
            _ => 403,
        };
        assert_eq!(foreign_upload, expected, "{role} → foreign upload");
        let form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(empty_workbook.clone()).file_name("x.xlsx"));
        let import = app
            .request(Method::POST, "/api/v1/imports?dry_run=true")
            .bearer_auth(&token)
            .multipart(form)
            .send()
            .await
            .expect("import");
        assert_eq!(import.status().as_u16(), if IMPORTERS.contains(role) { 200 } else { 403 }, "{role} → import");
    }
}
both!(every_role_meets_the_right_registry_door);
