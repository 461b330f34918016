use reqwest::Method;
use serde_json::Value;

use crate::helpers::{Backend, TestApp};

/// The committed document must be exactly what the server serves (`make openapi` rewrites it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn committed_openapi_document_matches_the_served_one() {
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else { return };
    let served: Value =
        app.request(Method::GET, "/api-docs/openapi.json").send().await.expect("doc").json().await.expect("json");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json");
    let committed: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("openapi/openapi.json exists")).expect("valid JSON");
    assert!(served == committed, "openapi/openapi.json is stale: run `make openapi`");
    assert_eq!(served["openapi"], "3.1.0");
    let swagger = app.request(Method::GET, "/swagger-ui/").send().await.expect("swagger");
    assert_eq!(swagger.status(), 200);
    assert!(swagger.text().await.expect("html").contains("swagger"));
}

/// Every operation documents its errors and every schema it names exists.
#[test]
fn every_operation_documents_problems() {
    let doc = serde_json::to_value(ocop_api::openapi_document()).expect("json");
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 15);
    let mut operation_ids = std::collections::HashSet::new();
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("item") {
            let id = op["operationId"].as_str().expect("operationId");
            assert!(
                operation_ids.insert(id.to_owned()),
                "duplicate operationId {id} (the typed client would merge them)"
            );
            let responses = op["responses"].as_object().expect("responses");
            assert!(responses.contains_key("500"), "{method} {path} lacks 500");
            let secured = op.get("security").is_some();
            if secured {
                assert!(responses.contains_key("401") && responses.contains_key("403"), "{method} {path}");
            }
            if op.get("requestBody").is_some() {
                assert!(responses.contains_key("422") && responses.contains_key("413"), "{method} {path}");
            }
        }
    }
    for (name, schema) in doc["components"]["schemas"].as_object().expect("schemas") {
        let is_object = schema.get("properties").is_some();
        // Generic pages show their items' examples.
        if is_object && !name.starts_with("Page_") && !name.starts_with("CursorPage_") {
            assert!(
                schema.get("example").is_some() || schema.get("examples").is_some(),
                "schema {name} has no example"
            );
        }
    }
    let text = doc.to_string();
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for reference in text.split("#/components/schemas/").skip(1) {
        let name: String = reference.chars().take_while(|c| *c != '"').collect();
        assert!(schemas.contains_key(&name), "missing schema {name}");
    }
}
