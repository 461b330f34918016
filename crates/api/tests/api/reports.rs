//! Standard reports: counted from the live data, scoped to the caller's area, downloadable as
//! .xlsx, .csv and PDF.

use chrono::Utc;
use serde_json::Value;

use crate::both;
use crate::catalog::certify;
use crate::helpers::{TestApp, assert_problem};

fn row<'a>(report: &'a Value, first: &str) -> &'a Value {
    report["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r[0] == first)
        .unwrap_or_else(|| panic!("no row {first} in {report}"))
}

async fn reports_count_the_live_data_within_the_callers_area(app: TestApp) {
    let province = app.token("tinh@ocop.demo").await;
    let today = Utc::now().date_naive().format("%Y-%m-%d").to_string();
    let cert = certify(&app, 75, &today).await;

    let products = app.get_json("/api/v1/reports/products", &province).await;
    assert_eq!(products["columns"][5], "5 sao");
    let total = products["rows"].as_array().expect("rows").last().expect("total").clone();
    assert_eq!(total[0], "Tổng cộng");
    assert_eq!(total[4], 1.0, "one 4★ product: {products}");
    assert_eq!(total[6], 1.0);
    let registered = app.get_json("/api/v1/products?limit=1", &province).await["total"].as_f64().expect("total");
    assert_eq!(total[2], registered);
    assert_eq!(row(&products, "Xã Ba Chẽ")[4], 1.0);

    let certs = app.get_json("/api/v1/reports/certificates", &province).await;
    assert_eq!(certs["rows"].as_array().expect("rows").len(), 1);
    assert_eq!(certs["rows"][0][0], cert["number"]);
    assert_eq!(certs["rows"][0][7], "Còn hiệu lực");

    let subjects = app.get_json("/api/v1/reports/subjects", &province).await;
    let subjects_total = app.get_json("/api/v1/subjects?limit=1", &province).await["total"].as_f64().expect("total");
    assert_eq!(subjects["rows"].as_array().expect("rows").last().expect("total")[6], subjects_total);

    let cycle = app.get_json("/api/v1/reports/cycle", &province).await;
    assert_eq!(
        cycle["rows"].as_array().expect("rows").last().expect("total")[6],
        app.get_json("/api/v1/applications?limit=1", &province).await["total"].as_f64().expect("total")
    );

    // A commune officer's report covers only their ward: Hạ Long has no certified product.
    let ward = app.token("halong@ocop.demo").await;
    let mine = app.get_json("/api/v1/reports/products", &ward).await;
    assert!(mine["caption"].as_str().expect("caption").contains("Hạ Long"), "{mine}");
    let mine_total = mine["rows"].as_array().expect("rows").last().expect("total").clone();
    assert_eq!(mine_total[6], 0.0);
    assert!(mine_total[2].as_f64().expect("n") < registered);
    assert_eq!(app.get_json("/api/v1/reports/certificates", &ward).await["rows"].as_array().expect("rows").len(), 0);
    assert_problem(
        app.get("/api/v1/reports/products?area=06970", &ward).send().await.expect("req"),
        403,
        "outside_area",
    )
    .await;
    let producer = app.token("chuthe@ocop.demo").await;
    assert_problem(app.get("/api/v1/reports/funding", &producer).send().await.expect("req"), 403, "forbidden").await;
    assert_problem(
        app.get("/api/v1/reports/products?year_from=2027&year_to=2026", &province).send().await.expect("req"),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(app.get("/api/v1/reports/nonsense", &province).send().await.expect("req").status(), 400);

    // Files: a workbook, a CSV and a PDF with the Vietnamese title.
    for (format, kind) in [("xlsx", "spreadsheetml"), ("csv", "text/csv"), ("pdf", "application/pdf")] {
        let response =
            app.get(&format!("/api/v1/reports/certificates?format={format}"), &province).send().await.expect("req");
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"].to_str().expect("type").contains(kind));
        assert!(response.headers()["content-disposition"].to_str().expect("cd").contains(&format!(".{format}")));
        let body = response.bytes().await.expect("body");
        if format == "pdf" {
            assert!(body.starts_with(b"%PDF-"));
            assert!(body.windows(9).any(|w| w == b"FontFile2"));
        }
        if format == "csv" {
            assert!(String::from_utf8_lossy(&body).contains(cert["number"].as_str().expect("number")));
        }
    }
}
both!(reports_count_the_live_data_within_the_callers_area);
