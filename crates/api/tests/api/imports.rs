//! Spreadsheet import: template, dry run with a row-by-row report, all-or-nothing import.

use reqwest::Method;
use rust_xlsxwriter::Workbook;
use serde_json::Value;

use crate::both;
use crate::helpers::{TestApp, assert_problem, pdf};
use crate::registry::HA_LONG;

const SUBJECTS: &[&str] = &[
    "Mã số thuế*",
    "Tên chủ thể*",
    "Loại hình*",
    "Người đại diện*",
    "Điện thoại*",
    "Email",
    "Địa chỉ*",
    "Mã xã*",
    "Ngày thành lập",
    "Số thành viên",
    "Số lao động",
];
const PRODUCTS: &[&str] =
    &["Tên sản phẩm*", "Mã số thuế chủ thể*", "Mã phân loại*", "Mã xã", "Đơn vị tính*", "Giá (VNĐ)", "GTIN", "Mô tả"];

fn workbook(subjects: &[&[&str]], products: &[&[&str]]) -> Vec<u8> {
    let mut book = Workbook::new();
    for (name, headers, rows) in [("Chủ thể", SUBJECTS, subjects), ("Sản phẩm", PRODUCTS, products)] {
        let sheet = book.add_worksheet();
        sheet.set_name(name).expect("name");
        for (c, h) in headers.iter().enumerate() {
            sheet.write_string(0, u16::try_from(c).expect("col"), *h).expect("write");
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                sheet
                    .write_string(u32::try_from(r + 1).expect("row"), u16::try_from(c).expect("col"), *v)
                    .expect("write");
            }
        }
    }
    book.save_to_buffer().expect("xlsx")
}

async fn import(app: &TestApp, token: &str, content: Vec<u8>, dry_run: bool) -> reqwest::Response {
    let form =
        reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(content).file_name("nhap.xlsx"));
    app.request(Method::POST, &format!("/api/v1/imports?dry_run={dry_run}"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("import")
}

async fn subject_total(app: &TestApp, token: &str) -> i64 {
    app.get_json("/api/v1/subjects", token).await["total"].as_i64().expect("total")
}

async fn imports_report_rows_and_write_all_or_nothing(app: TestApp) {
    let admin = app.token("admin@ocop.demo").await;
    let template = app.get("/api/v1/imports/template", &admin).send().await.expect("req");
    assert_eq!(template.status(), 200);
    let sheets = ocop_api::sheets::read_xlsx(
        template.bytes().await.expect("bytes").to_vec(),
        ocop_api::sheets::WorkbookLimits::default(),
    )
    .expect("workbook");
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Chủ thể", "Sản phẩm", "Hướng dẫn"]);

    let good_subjects: &[&[&str]] = &[
        &[
            "5703334445",
            "Hợp tác xã Nấm Quảng La",
            "Hợp tác xã",
            "Phạm Văn Nam",
            "0913222333",
            "",
            "Thôn 2, xã Quảng La",
            "07054",
            "01/02/2019",
            "9",
            "20",
        ],
        &[
            "5703334446",
            "Tổ hợp tác Chè Đông Ngũ",
            "to hop tac",
            "Vi Thị Lan",
            "0913222444",
            "",
            "Thôn Khe Lầy",
            "06877",
            "",
            "",
            "",
        ],
    ];
    let bad_products: &[&[&str]] = &[
        &["Nấm linh chi Quảng La", "5703334445", "3.1.1", "", "hộp", "250.000", "", "Nấm linh chi sấy"],
        &["Chè Đông Ngũ", "5703334446", "9.9.9", "", "gói", "abc", "8934588012113", ""],
        &["Sản phẩm mồ côi", "0000000000", "1.5.1", "", "kg", "", "", ""],
    ];
    let before = subject_total(&app, &admin).await;
    let file = workbook(good_subjects, bad_products);
    let report: Value = import(&app, &admin, file.clone(), true).await.json().await.expect("report");
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["committed"], false);
    assert_eq!(report["subject_rows"], 2);
    assert_eq!(report["product_rows"], 3);
    let errors: Vec<(i64, &str)> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| (e["row"].as_i64().expect("row"), e["code"].as_str().expect("code")))
        .collect();
    assert!(errors.contains(&(3, "number")), "{errors:?}");
    assert!(errors.contains(&(3, "gtin")), "{errors:?}");
    assert!(errors.contains(&(3, "not_found")), "unknown classification: {errors:?}");
    assert!(errors.contains(&(4, "not_found")), "unknown subject: {errors:?}");
    assert!(report["errors"].as_array().expect("errors").iter().all(|e| e["sheet"] == "Sản phẩm"));

    // The real import refuses the whole file and writes nothing.
    assert_problem(import(&app, &admin, file, false).await, 422, "validation_failed").await;
    assert_eq!(subject_total(&app, &admin).await, before);

    let good_products: &[&[&str]] =
        &[&["Nấm linh chi Quảng La", "5703334445", "3.1.1", "", "hộp", "250.000", "", "Nấm linh chi sấy"]];
    let done: Value =
        import(&app, &admin, workbook(good_subjects, good_products), false).await.json().await.expect("report");
    assert_eq!(done["committed"], true, "{done}");
    assert_eq!(subject_total(&app, &admin).await, before + 2);
    let found = app.get_json("/api/v1/products?q=nam%20linh%20chi", &admin).await;
    assert_eq!(found["items"][0]["price_vnd"], 250_000);
    assert!(found["items"][0]["code"].as_str().expect("code").starts_with("22-000-07054-001-"));
    let group = app.get_json("/api/v1/subjects?q=dong%20ngu", &admin).await;
    assert_eq!(group["items"][0]["legal_form"], "cooperative_group");

    // The same rows again: every tax code now exists.
    let again: Value = import(&app, &admin, workbook(good_subjects, &[]), true).await.json().await.expect("report");
    assert_eq!(again["errors"].as_array().expect("errors").len(), 2);

    // Officers import inside their area only; producers not at all; only real workbooks.
    let officer = app.token(HA_LONG).await;
    let report: Value =
        import(&app, &officer, workbook(&good_subjects[1..], &[]), true).await.json().await.expect("report");
    assert_eq!(report["errors"][0]["code"], "outside_area");
    assert_problem(
        import(&app, &app.token("chuthe@ocop.demo").await, workbook(&[], &[]), true).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(import(&app, &admin, pdf("not a workbook"), true).await, 415, "unsupported_media_type").await;
}
both!(imports_report_rows_and_write_all_or_nothing);

/// A workbook that is small on the wire but unpacks far past ten times the upload limit.
async fn zip_bombs_are_refused_before_unpacking(backend: crate::helpers::Backend) {
    let Some(app) = TestApp::spawn_with(backend, |c| {
        c.upload_limit_bytes = 64 * 1024;
        c.workbook_limits.max_unpacked_bytes = 640 * 1024;
    })
    .await
    else {
        return;
    };
    let admin = app.token("admin@ocop.demo").await;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    // About 1.3 MB of shared strings that compress to a few kilobytes.
    for row in 0..2_000u32 {
        sheet.write_string(row, 0, format!("{row} {}", "x".repeat(600))).expect("write");
    }
    let bomb = book.save_to_buffer().expect("xlsx");
    assert!(bomb.len() < 64 * 1024, "small on the wire: {} bytes", bomb.len());
    assert_problem(import(&app, &admin, bomb, true).await, 413, "payload_too_large").await;
}

mod zip_bombs {
    use crate::helpers::Backend;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::zip_bombs_are_refused_before_unpacking(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::zip_bombs_are_refused_before_unpacking(Backend::Postgres).await;
    }
}
