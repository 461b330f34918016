//! Importing subjects and products from a spreadsheet: a template to download, a dry run that
//! reports row by row, and the real import, all or nothing in one transaction.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use chrono::{Datelike, NaiveDate, Utc};
use ocop_domain::access::{check_create_in_area, check_import};
use ocop_domain::subject::{LegalForm, TaxCode};
use ocop_domain::text::fold;
use ocop_persistence::entities::{admin_unit, subject};
use ocop_persistence::{admin_units, audit, classifications, products, subjects};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, ErrorCode, FieldError};
use crate::files::{read_multipart, sniff};
use crate::registry::{ProductInput, SubjectInput, check_product, check_subject, place};
use crate::sheets::{Cell, Table, XLSX, read_xlsx, xlsx};
use crate::state::AppState;

const SUBJECT_SHEET: &str = "Chủ thể";
const PRODUCT_SHEET: &str = "Sản phẩm";

/// Import columns of the subject sheet (`*` marks required ones); other columns are ignored,
/// so an exported list can be edited and imported back.
const SUBJECT_COLUMNS: &[&str] = &[
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

const PRODUCT_COLUMNS: &[&str] =
    &["Tên sản phẩm*", "Mã số thuế chủ thể*", "Mã phân loại*", "Mã xã", "Đơn vị tính*", "Giá (VNĐ)", "GTIN", "Mô tả"];

/// Download the import template / Tải mẫu nhập liệu (.xlsx).
#[utoipa::path(operation_id = "import_template", tag = "imports", security(("bearer" = [])), responses(
    (status = 200, description = "The template workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
))]
#[get("/imports/template")]
pub async fn template(_user: AuthUser) -> ApiResult<HttpResponse> {
    let guide = [
        "Điền mỗi chủ thể một dòng ở trang «Chủ thể», mỗi sản phẩm một dòng ở trang «Sản phẩm». Cột có dấu * là bắt buộc.",
        "Loại hình: Hộ sản xuất có ĐKKD, Tổ hợp tác, Hợp tác xã, Doanh nghiệp, Công ty cổ phần.",
        "Mã xã: mã đơn vị hành chính cấp xã (5 chữ số). Ngày: dd/mm/yyyy. Giá: số, đơn vị VNĐ.",
        "Mã phân loại: mã bộ sản phẩm của bộ tiêu chí mới nhất (ví dụ 1.3.5 — Chế biến từ thủy, hải sản).",
        "Sản phẩm tham chiếu chủ thể bằng mã số thuế: chủ thể trong cùng tệp hoặc đã có trong hệ thống.",
        "Hãy chạy thử (dry run) trước: hệ thống báo lỗi từng dòng; khi nhập thật, chỉ cần một dòng lỗi là không dòng nào được ghi.",
    ];
    let tables = [
        Table {
            sheet: SUBJECT_SHEET,
            headers: SUBJECT_COLUMNS,
            rows: vec![vec![
                "5701765432".into(),
                "Hợp tác xã Dược liệu Ba Chẽ".into(),
                "Hợp tác xã".into(),
                "Hoàng Văn Sơn".into(),
                "0987654321".into(),
                "htx.bache@gmail.com".into(),
                "Thôn Khe Tâm, xã Thanh Sơn".into(),
                "06970".into(),
                "15/03/2018".into(),
                Cell::from(7),
                Cell::from(15),
            ]],
        },
        Table {
            sheet: PRODUCT_SHEET,
            headers: PRODUCT_COLUMNS,
            rows: vec![vec![
                "Trà hoa vàng Ba Chẽ".into(),
                "5701765432".into(),
                "1.5.1".into(),
                "06970".into(),
                "hộp 100 g".into(),
                Cell::from(600_000i64),
                Cell::Empty,
                "Trà hoa vàng sấy lạnh".into(),
            ]],
        },
        Table {
            sheet: "Hướng dẫn",
            headers: &["Hướng dẫn nhập liệu"],
            rows: guide.iter().map(|g| vec![Cell::from(*g)]).collect(),
        },
    ];
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, XLSX))
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"mau-nhap-lieu-ocop.xlsx\""))
        .body(xlsx(&tables)?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Check every row and report, writing nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// A problem with one cell of the workbook.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"sheet": "Chủ thể", "row": 3, "column": "Mã số thuế*", "code": "tax_code", "message_vi": "Mã số thuế gồm 10 chữ số.", "message_en": "A tax code has 10 digits."}))]
pub struct RowError {
    pub sheet: String,
    /// Row number as the spreadsheet shows it (the header is row 1).
    pub row: usize,
    pub column: String,
    pub code: String,
    pub message_vi: String,
    pub message_en: String,
}

/// What an import did, or would do.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"dry_run": true, "committed": false, "subject_rows": 12, "product_rows": 30, "errors": [{"sheet": "Chủ thể", "row": 3, "column": "Mã số thuế*", "code": "tax_code", "message_vi": "Mã số thuế gồm 10 chữ số.", "message_en": "A tax code has 10 digits."}]}))]
pub struct ImportReport {
    pub dry_run: bool,
    /// Whether the rows were written (never when there is an error).
    pub committed: bool,
    pub subject_rows: usize,
    pub product_rows: usize,
    pub errors: Vec<RowError>,
}

/// A sheet's rows keyed by folded header (required marks dropped).
struct Sheet {
    name: &'static str,
    rows: Vec<(usize, HashMap<String, String>)>,
}

fn header_key(h: &str) -> String {
    fold(h.trim_end_matches('*'))
}

fn sheet(workbook: &[(String, Vec<Vec<String>>)], name: &'static str) -> Sheet {
    let Some((_, rows)) = workbook.iter().find(|(n, _)| fold(n) == fold(name)) else {
        return Sheet { name, rows: Vec::new() };
    };
    let mut iter = rows.iter().enumerate();
    let headers: Vec<String> = iter.next().map(|(_, h)| h.iter().map(|c| header_key(c)).collect()).unwrap_or_default();
    let rows = iter
        .filter(|(_, r)| r.iter().any(|c| !c.is_empty()))
        .map(|(i, r)| (i + 1, headers.iter().cloned().zip(r.iter().cloned()).collect()))
        .collect();
    Sheet { name, rows }
}

struct RowReader<'a> {
    sheet: &'static str,
    row: usize,
    cells: &'a HashMap<String, String>,
    columns: &'static [&'static str],
    errors: &'a mut Vec<RowError>,
}

impl RowReader<'_> {
    fn column(&self, field: &str) -> String {
        let key = match (self.sheet, field) {
            (SUBJECT_SHEET, "tax_code") => 0,
            (SUBJECT_SHEET, "name") => 1,
            (SUBJECT_SHEET, "legal_form") => 2,
            (SUBJECT_SHEET, "representative") => 3,
            (SUBJECT_SHEET, "phone") => 4,
            (SUBJECT_SHEET, "email") => 5,
            (SUBJECT_SHEET, "address") => 6,
            (SUBJECT_SHEET, "commune_id") => 7,
            (SUBJECT_SHEET, "founded_on") => 8,
            (SUBJECT_SHEET, "members") => 9,
            (SUBJECT_SHEET, "employees") => 10,
            (PRODUCT_SHEET, "name") => 0,
            (PRODUCT_SHEET, "subject_id") => 1,
            (PRODUCT_SHEET, "classification_node_id") => 2,
            (PRODUCT_SHEET, "commune_id") => 3,
            (PRODUCT_SHEET, "unit") => 4,
            (PRODUCT_SHEET, "price_vnd") => 5,
            (PRODUCT_SHEET, "gtin") => 6,
            (PRODUCT_SHEET, "description") => 7,
            _ => return field.to_owned(),
        };
        self.columns[key].to_owned()
    }

    fn text(&self, index: usize) -> String {
        self.cells.get(&header_key(self.columns[index])).cloned().unwrap_or_default()
    }

    fn optional(&self, index: usize) -> Option<String> {
        Some(self.text(index)).filter(|t| !t.is_empty())
    }

    fn error(&mut self, field: &str, code: &str, vi: impl Into<String>, en: impl Into<String>) {
        let column = self.column(field);
        self.errors.push(RowError {
            sheet: self.sheet.to_owned(),
            row: self.row,
            column,
            code: code.to_owned(),
            message_vi: vi.into(),
            message_en: en.into(),
        });
    }

    fn field_errors(&mut self, errors: Vec<FieldError>) {
        for e in errors {
            self.error(&e.field, &e.code, e.message_vi, e.message_en);
        }
    }

    fn number<T: std::str::FromStr>(&mut self, index: usize, field: &str) -> Option<T> {
        let raw = self.optional(index)?;
        let cleaned: String = raw.chars().filter(|c| !matches!(c, '.' | ',' | ' ')).collect();
        match cleaned.parse() {
            Ok(n) => Some(n),
            Err(_) => {
                self.error(field, "number", "Phải là một số.", "Must be a number.");
                None
            }
        }
    }

    fn date(&mut self, index: usize, field: &str) -> Option<NaiveDate> {
        let raw = self.optional(index)?;
        match NaiveDate::parse_from_str(&raw, "%d/%m/%Y").or_else(|_| NaiveDate::parse_from_str(&raw, "%Y-%m-%d")) {
            Ok(d) => Some(d),
            Err(_) => {
                self.error(field, "date", "Ngày phải có dạng dd/mm/yyyy.", "Dates read dd/mm/yyyy.");
                None
            }
        }
    }
}

struct Plan {
    subjects: Vec<subjects::SubjectData>,
    /// Product data, its commune, and the tax code of its subject.
    products: Vec<(products::ProductData, admin_unit::Model, String)>,
}

/// Checks every row and builds the rows to write.
async fn plan(
    state: &AppState,
    user: &AuthUser,
    workbook: &[(String, Vec<Vec<String>>)],
) -> ApiResult<(Plan, Vec<RowError>, usize, usize)> {
    let subject_sheet = sheet(workbook, SUBJECT_SHEET);
    let product_sheet = sheet(workbook, PRODUCT_SHEET);
    let communes: HashMap<String, admin_unit::Model> =
        admin_units::communes_by_code(&state.db).await?.into_iter().map(|u| (u.code.clone(), u)).collect();
    let version =
        classifications::latest_version(&state.db).await?.ok_or_else(|| ApiError::internal("no classification"))?;
    let nodes: HashMap<String, ocop_persistence::entities::classification_node::Model> =
        classifications::nodes(&state.db, version.id).await?.into_iter().map(|n| (n.code.clone(), n)).collect();
    let today = Utc::now().date_naive();
    let actor = user.actor();
    let mut errors = Vec::new();
    let mut plan = Plan { subjects: Vec::new(), products: Vec::new() };
    let mut tax_codes_in_file: HashMap<String, usize> = HashMap::new();
    // Every subject the file names that is already registered, in one query.
    let mut named: Vec<String> = Vec::new();
    for (sheet, column, columns) in [(&subject_sheet, 0, SUBJECT_COLUMNS), (&product_sheet, 1, PRODUCT_COLUMNS)] {
        for (_, cells) in &sheet.rows {
            if let Some(code) = cells.get(&header_key(columns[column])) {
                named.push(TaxCode::normalize(code));
            }
        }
    }
    let registered: HashMap<String, subject::Model> =
        subjects::find_by_tax_codes(&state.db, named).await?.into_iter().map(|s| (s.tax_code.clone(), s)).collect();

    for (row, cells) in &subject_sheet.rows {
        let mut r =
            RowReader { sheet: subject_sheet.name, row: *row, cells, columns: SUBJECT_COLUMNS, errors: &mut errors };
        let form_text = r.text(2);
        let form = LegalForm::parse_label(&form_text);
        if form.is_none() {
            r.error(
                "legal_form",
                "legal_form",
                format!("Loại hình «{form_text}» không hợp lệ."),
                format!("Unknown legal form “{form_text}”."),
            );
        }
        let members = r.number(9, "members");
        let employees = r.number(10, "employees");
        let founded_on = r.date(8, "founded_on");
        let commune = communes.get(&r.text(7));
        let input = SubjectInput {
            legal_form: form.unwrap_or(LegalForm::Enterprise),
            name: r.text(1),
            tax_code: r.text(0),
            representative: r.text(3),
            phone: r.text(4),
            email: r.optional(5),
            address: r.text(6),
            commune_id: commune.map_or(Uuid::nil(), |c| c.id),
            founded_on,
            members,
            employees,
        };
        match check_subject(&input, form.unwrap_or(LegalForm::Enterprise), commune, today) {
            Ok(data) if form.is_some() => {
                if check_create_in_area(&actor, &data.area_path).is_err() {
                    r.error(
                        "commune_id",
                        "outside_area",
                        "Xã nằm ngoài địa bàn bạn quản lý.",
                        "The commune lies outside your area.",
                    );
                } else if let Some(first) = tax_codes_in_file.insert(data.tax_code.clone(), *row) {
                    r.error(
                        "tax_code",
                        "duplicate",
                        format!("Trùng mã số thuế với dòng {first}."),
                        format!("Same tax code as row {first}."),
                    );
                } else if registered.contains_key(&data.tax_code) {
                    r.error(
                        "tax_code",
                        "exists",
                        "Mã số thuế đã có trong hệ thống.",
                        "The tax code is already registered.",
                    );
                } else {
                    plan.subjects.push(data);
                }
            }
            Ok(_) => {}
            Err(field_errors) => r.field_errors(field_errors),
        }
    }

    for (row, cells) in &product_sheet.rows {
        let mut r =
            RowReader { sheet: product_sheet.name, row: *row, cells, columns: PRODUCT_COLUMNS, errors: &mut errors };
        let tax_code = TaxCode::normalize(&r.text(1));
        let in_file =
            plan.subjects.iter().find(|s| s.tax_code == tax_code).map(|s| (s.commune_id, s.area_path.clone()));
        let existing = match in_file {
            Some(_) => None,
            None => registered.get(&tax_code),
        };
        let subject_commune = in_file.as_ref().map(|s| s.0).or(existing.as_ref().map(|s| s.commune_id));
        if subject_commune.is_none() {
            r.error(
                "subject_id",
                "not_found",
                format!("Không có chủ thể mã số thuế «{tax_code}»."),
                format!("No subject has the tax code “{tax_code}”."),
            );
        }
        let commune = match r.optional(3) {
            Some(code) => communes.get(&code),
            None => subject_commune.and_then(|id| communes.values().find(|c| c.id == id)),
        };
        if commune.is_none() && subject_commune.is_some() {
            r.error("commune_id", "not_a_commune", "Mã xã không đúng.", "Unknown commune code.");
        }
        let price_vnd = r.number(5, "price_vnd");
        let input = ProductInput {
            name: r.text(0),
            classification_node_id: Uuid::nil(),
            subject_id: Uuid::nil(),
            commune_id: None,
            description: r.optional(7),
            story: None,
            gtin: r.optional(6),
            unit: r.text(4),
            price_vnd,
            status: None,
        };
        match check_product(&input, nodes.get(&r.text(2))) {
            Ok(data) => {
                if let (Some(commune), Some(_)) = (commune, subject_commune) {
                    if check_create_in_area(&actor, &commune.path).is_err() {
                        r.error(
                            "commune_id",
                            "outside_area",
                            "Xã nằm ngoài địa bàn bạn quản lý.",
                            "The commune lies outside your area.",
                        );
                    } else {
                        plan.products.push((data, commune.clone(), tax_code));
                    }
                }
            }
            Err(field_errors) => r.field_errors(field_errors),
        }
    }
    let counts = (subject_sheet.rows.len(), product_sheet.rows.len());
    Ok((plan, errors, counts.0, counts.1))
}

/// Import subjects and products from .xlsx / Nhập chủ thể, sản phẩm từ Excel.
///
/// `multipart/form-data` with the workbook as `file` (see the template). With `dry_run=true`
/// every row is checked and reported, nothing is written. Otherwise the rows are written in
/// one transaction, only if no row has an error (422 with the same report as `errors`
/// otherwise). Officers import inside their area; admins anywhere.
#[utoipa::path(operation_id = "import_registry", tag = "imports", security(("bearer" = [])), params(ImportQuery),
    request_body(content = ImportForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "The report / Báo cáo kiểm tra, kết quả nhập", body = ImportReport),
    ))]
#[post("/imports")]
pub async fn run(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ImportQuery>,
    payload: Multipart,
) -> ApiResult<web::Json<ImportReport>> {
    check_import(&user.actor())?;
    let (_, file) = read_multipart(payload, state.upload_limit_bytes).await?;
    let (_, content) =
        file.ok_or_else(|| ApiError::invalid_field("file", "required", "Hãy chọn tệp Excel.", "Attach the workbook."))?;
    if sniff(&content) != Some(XLSX) {
        return Err(ApiError::new(ErrorCode::UnsupportedMediaType).with_message(
            "Chỉ nhận tệp Excel .xlsx theo mẫu.",
            "Only .xlsx workbooks (see the template) are accepted.",
        ));
    }
    let limits = state.workbook_limits;
    let workbook = state.heavy.run(move || read_xlsx(content, limits)).await??;
    let (plan, errors, subject_rows, product_rows) = plan(&state, &user, &workbook).await?;
    let mut report = ImportReport { dry_run: query.dry_run, committed: false, subject_rows, product_rows, errors };
    if query.dry_run {
        return Ok(web::Json(report));
    }
    if !report.errors.is_empty() {
        let mut problem = ApiError::new(ErrorCode::ValidationFailed).with_message(
            format!("Có {} lỗi; chưa dòng nào được nhập.", report.errors.len()),
            format!("{} errors; nothing was imported.", report.errors.len()),
        );
        for e in report.errors {
            problem = problem.with_field(FieldError::new(
                format!("{}!{}: {}", e.sheet, e.row, e.column),
                e.code,
                e.message_vi,
                e.message_en,
            ));
        }
        return Err(problem);
    }
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let mut created_subjects: HashMap<String, (Uuid, String)> = HashMap::new();
    for data in plan.subjects {
        let created = subjects::insert(&txn, data).await?;
        created_subjects.insert(created.tax_code.clone(), (created.id, created.name));
    }
    let year = Utc::now().year();
    for (data, commune, tax_code) in plan.products {
        let (subject_id, subject_name) = match created_subjects.get(&tax_code) {
            Some(known) => known.clone(),
            None => {
                let found = subjects::find_by_tax_code(&txn, &tax_code)
                    .await?
                    .ok_or_else(|| ApiError::internal("subject vanished"))?;
                (found.id, found.name)
            }
        };
        let placement = place(&txn, subject_id, &commune, year).await?;
        products::insert(&txn, placement, data, &subject_name).await?;
    }
    let summary = serde_json::json!({ "subjects": subject_rows, "products": product_rows });
    audit::record::<(), _>(&txn, &user.audit(), "registry.import", "import", Uuid::now_v7(), None, Some(&summary))
        .await?;
    txn.commit().await?;
    report.committed = true;
    Ok(web::Json(report))
}

/// The multipart form of an import.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"file": "(mau-nhap-lieu-ocop.xlsx)"}))]
#[allow(dead_code)]
pub struct ImportForm {
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}
