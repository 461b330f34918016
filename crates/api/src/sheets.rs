//! Spreadsheets: lists exported to `.xlsx` and CSV with Vietnamese headers, and `.xlsx`
//! workbooks read for imports.

use std::io::{Cursor, Read};

use actix_web::HttpResponse;
use actix_web::http::header;
use calamine::{Data, DataRef, Reader, Xlsx};
use rust_xlsxwriter::Format;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult, ErrorCode, FieldError};
use crate::heavy::Heavy;

/// One cell of an exported table.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Self::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Self::Text(s.to_owned())
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Self::Empty, Into::into)
    }
}

impl From<i64> for Cell {
    #[allow(clippy::cast_precision_loss)]
    fn from(n: i64) -> Self {
        Self::Number(n as f64)
    }
}

impl From<i32> for Cell {
    fn from(n: i32) -> Self {
        Self::Number(f64::from(n))
    }
}

/// A sheet to write: a name, Vietnamese column headers and rows.
pub struct Table {
    pub sheet: &'static str,
    pub headers: &'static [&'static str],
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    #[default]
    Xlsx,
    Csv,
    /// A4 landscape, for printing and filing.
    Pdf,
}

/// At most this many rows per export, to keep one request bounded.
pub const EXPORT_ROWS: ocop_persistence::paging::Paging = ocop_persistence::paging::Paging { limit: 50_000, offset: 0 };

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn xlsx(tables: &[Table]) -> ApiResult<Vec<u8>> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let bold = Format::new().set_bold();
    for table in tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(table.sheet)).map_err(ApiError::internal)?;
        for (c, title) in table.headers.iter().enumerate() {
            let col = u16::try_from(c).map_err(ApiError::internal)?;
            sheet.write_string_with_format(0, col, *title, &bold).map_err(ApiError::internal)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).map_err(ApiError::internal)?;
            for (c, cell) in row.iter().enumerate() {
                let c = u16::try_from(c).map_err(ApiError::internal)?;
                match cell {
                    Cell::Text(s) => sheet.write_string(r, c, s).map(|_| ()),
                    Cell::Number(n) => sheet.write_number(r, c, *n).map(|_| ()),
                    Cell::Empty => Ok(()),
                }
                .map_err(ApiError::internal)?;
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(ApiError::internal)?;
        sheet.autofit();
    }
    workbook.save_to_buffer().map_err(ApiError::internal)
}

/// A worksheet name as Excel takes it: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(title: &str) -> String {
    title.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect::<String>().trim().to_owned()
}

/// CSV in UTF-8 with a byte-order mark, so spreadsheet programs read the diacritics right.
pub fn csv(table: &Table) -> ApiResult<Vec<u8>> {
    let mut out = Vec::from(*b"\xEF\xBB\xBF");
    {
        let mut writer = ::csv::Writer::from_writer(&mut out);
        writer.write_record(table.headers).map_err(ApiError::internal)?;
        for row in &table.rows {
            writer
                .write_record(row.iter().map(|cell| match cell {
                    Cell::Text(s) => neutralised(s),
                    Cell::Number(n) => n.to_string(),
                    Cell::Empty => String::new(),
                }))
                .map_err(ApiError::internal)?;
        }
        writer.flush().map_err(ApiError::internal)?;
    }
    Ok(out)
}

/// Text that a spreadsheet would run as a formula (a leading `=`, `+`, `-`, `@`, tab or
/// carriage return) gets a leading apostrophe, so an exported list cannot carry a formula
/// that someone typed into a name or an address.
fn neutralised(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() }
}

/// The table as a PDF: its sheet name as the title, `caption` (the filters) below it.
pub fn pdf(table: &Table, caption: &str) -> ApiResult<Vec<u8>> {
    let numeric = |i: usize| {
        table.rows.iter().any(|r| matches!(r.get(i), Some(Cell::Number(_))))
            && table.rows.iter().all(|r| matches!(r.get(i), Some(Cell::Number(_)) | Some(Cell::Empty) | None))
    };
    let columns: Vec<crate::pdf::Column<'_>> =
        table.headers.iter().enumerate().map(|(i, h)| crate::pdf::Column { heading: h, numeric: numeric(i) }).collect();
    let rows: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Cell::Text(s) => s.clone(),
                    Cell::Number(n) => number_vi(*n),
                    Cell::Empty => String::new(),
                })
                .collect()
        })
        .collect();
    crate::pdf::render(table.sheet, caption, &columns, &rows).map_err(ApiError::internal)
}

/// A number as Vietnamese write it: `1.234.567` and `12,5`.
pub fn number_vi(n: f64) -> String {
    let negative = n < 0.0;
    let rounded = (n.abs() * 10.0).round() / 10.0;
    let whole = rounded.trunc();
    let mut digits: Vec<char> = format!("{whole:.0}").chars().collect();
    let mut grouped = String::new();
    while digits.len() > 3 {
        let tail: String = digits.split_off(digits.len() - 3).into_iter().collect();
        grouped = format!(".{tail}{grouped}");
    }
    grouped = format!("{}{grouped}", digits.into_iter().collect::<String>());
    let tenth = ((rounded - whole) * 10.0).round();
    let sign = if negative { "-" } else { "" };
    if tenth > 0.0 { format!("{sign}{grouped},{tenth:.0}") } else { format!("{sign}{grouped}") }
}

/// The download response for an exported list.
pub async fn download(heavy: &Heavy, table: Table, format: ExportFormat, stem: &str) -> ApiResult<HttpResponse> {
    let caption = format!("Ngày xuất: {}", chrono::Utc::now().format("%d/%m/%Y"));
    download_with_caption(heavy, table, format, stem, caption).await
}

/// The download response for a report, `caption` naming its filters (shown in the PDF). The
/// file (up to 50,000 rows) is built on the heavy-work pool.
pub async fn download_with_caption(
    heavy: &Heavy,
    table: Table,
    format: ExportFormat,
    stem: &str,
    caption: String,
) -> ApiResult<HttpResponse> {
    let today = chrono::Utc::now().format("%Y%m%d");
    let (body, content_type, ext) = heavy
        .run(move || {
            Ok::<_, ApiError>(match format {
                ExportFormat::Xlsx => (xlsx(std::slice::from_ref(&table))?, XLSX, "xlsx"),
                ExportFormat::Csv => (csv(&table)?, "text/csv; charset=utf-8", "csv"),
                ExportFormat::Pdf => (pdf(&table, &caption)?, "application/pdf", "pdf"),
            })
        })
        .await??;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{stem}-{today}.{ext}\"")))
        .body(body))
}

/// How much of a workbook the server agrees to read. A small file can be a zip bomb or name a
/// cell a million rows down: everything is streamed and counted against these caps, which are
/// settings (`OCOP_IMPORT_MAX_*`).
#[derive(Debug, Clone, Copy)]
pub struct WorkbookLimits {
    /// Bytes all the workbook's parts may unpack to, counted while unpacking.
    pub max_unpacked_bytes: u64,
    pub max_sheets: usize,
    /// Rows per sheet, the header included (the last row with a value counts).
    pub max_rows: u32,
    /// Columns per sheet (the last column with a value counts).
    pub max_columns: u32,
    /// Cells with a value, over all sheets.
    pub max_cells: usize,
}

impl Default for WorkbookLimits {
    fn default() -> Self {
        Self {
            max_unpacked_bytes: 64 * 1024 * 1024,
            max_sheets: 16,
            max_rows: 20_000,
            max_columns: 64,
            max_cells: 400_000,
        }
    }
}

/// Which cap a workbook exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkbookCap {
    UnpackedBytes,
    Sheets,
    Rows,
    Columns,
    Cells,
}

impl WorkbookCap {
    /// The setting that raises it.
    pub const fn setting(self) -> &'static str {
        match self {
            Self::UnpackedBytes => "OCOP_IMPORT_MAX_UNPACKED_BYTES",
            Self::Sheets => "OCOP_IMPORT_MAX_SHEETS",
            Self::Rows => "OCOP_IMPORT_MAX_ROWS",
            Self::Columns => "OCOP_IMPORT_MAX_COLUMNS",
            Self::Cells => "OCOP_IMPORT_MAX_CELLS",
        }
    }

    /// What is counted, in (Vietnamese, English).
    pub const fn unit(self) -> (&'static str, &'static str) {
        match self {
            Self::UnpackedBytes => ("byte sau giải nén", "unpacked bytes"),
            Self::Sheets => ("trang tính", "sheets"),
            Self::Rows => ("dòng mỗi trang", "rows per sheet"),
            Self::Columns => ("cột mỗi trang", "columns per sheet"),
            Self::Cells => ("ô có dữ liệu", "cells with a value"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("the workbook exceeds {max} {} ({})", .cap.unit().1, .cap.setting())]
    TooLarge { cap: WorkbookCap, max: u64 },
    #[error("unreadable workbook: {0}")]
    Unreadable(String),
}

impl SheetError {
    fn over(cap: WorkbookCap, max: impl TryInto<u64>) -> Self {
        Self::TooLarge { cap, max: max.try_into().unwrap_or(u64::MAX) }
    }
}

impl From<SheetError> for ApiError {
    fn from(e: SheetError) -> Self {
        match e {
            SheetError::TooLarge { cap, max } => {
                let (vi, _) = cap.unit();
                ApiError::new(ErrorCode::PayloadTooLarge)
                    .with_message(format!("Tệp Excel vượt giới hạn {max} {vi} ({}).", cap.setting()), e.to_string())
                    .with_field(FieldError::new("file", cap.setting(), format!("Tối đa {max} {vi}."), e.to_string()))
            }
            SheetError::Unreadable(_) => {
                ApiError::invalid_field("file", "unreadable", "Không đọc được tệp Excel.", e.to_string())
            }
        }
    }
}

/// The sheets of a workbook: (name, rows of cells).
pub type Workbook = Vec<(String, Vec<Vec<String>>)>;

/// Reads every sheet of an `.xlsx` workbook as rows of trimmed text (numbers without a
/// trailing `.0`, dates as `dd/mm/yyyy`), within `limits`: the parts are unpacked once to
/// count their real size (a zip's declared sizes can lie), then cells are streamed, so memory
/// follows the cells that hold a value, never the range they span. CPU-bound: call it on the
/// blocking pool.
pub fn read_xlsx(content: Vec<u8>, limits: WorkbookLimits) -> Result<Workbook, SheetError> {
    let unreadable = |e: &dyn std::fmt::Display| SheetError::Unreadable(e.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(content.as_slice())).map_err(|e| unreadable(&e))?;
    let mut left = limits.max_unpacked_bytes;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|e| unreadable(&e))?;
        let read =
            std::io::copy(&mut entry.take(left.saturating_add(1)), &mut std::io::sink()).map_err(|e| unreadable(&e))?;
        left = left.checked_sub(read).ok_or(SheetError::over(WorkbookCap::UnpackedBytes, limits.max_unpacked_bytes))?;
    }
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(content)).map_err(|e: calamine::XlsxError| unreadable(&e))?;
    let names = workbook.sheet_names();
    if names.len() > limits.max_sheets {
        return Err(SheetError::over(WorkbookCap::Sheets, limits.max_sheets));
    }
    let mut cells = 0usize;
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let mut reader = workbook.worksheet_cells_reader(&name).map_err(|e| unreadable(&e))?;
        let mut rows: Vec<Vec<String>> = Vec::new();
        while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e))? {
            let text = cell_text(cell.get_value());
            if text.is_empty() {
                continue;
            }
            let (row, column) = cell.get_position();
            if row >= limits.max_rows {
                return Err(SheetError::over(WorkbookCap::Rows, limits.max_rows));
            }
            if column >= limits.max_columns {
                return Err(SheetError::over(WorkbookCap::Columns, limits.max_columns));
            }
            cells += 1;
            if cells > limits.max_cells {
                return Err(SheetError::over(WorkbookCap::Cells, limits.max_cells));
            }
            // Both below their caps, so these fit in memory.
            let (row, column) = (row as usize, column as usize);
            if rows.len() <= row {
                rows.resize_with(row + 1, Vec::new);
            }
            let cells_of_row = &mut rows[row];
            if cells_of_row.len() <= column {
                cells_of_row.resize(column + 1, String::new());
            }
            cells_of_row[column] = text;
        }
        sheets.push((name, rows));
    }
    Ok(sheets)
}

/// A cell as text, without NUL characters (no one types them; PostgreSQL refuses them).
fn cell_text(cell: &DataRef<'_>) -> String {
    let text = match cell {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.trim().to_owned(),
        DataRef::SharedString(s) => s.trim().to_owned(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        DataRef::Float(f) => f.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => d.as_datetime().map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default(),
        other => Data::from(other.clone()).to_string().trim().to_owned(),
    };
    if text.contains('\0') { text.replace('\0', "") } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for (r, c, v) in cells {
            sheet.write_string(*r, *c, *v).expect("write");
        }
        workbook.save_to_buffer().expect("xlsx")
    }

    #[test]
    fn long_titles_make_valid_sheet_names() {
        let table = Table { sheet: "Sản phẩm OCOP theo hạng sao và nhóm", headers: &["a"], rows: Vec::new() };
        assert!(xlsx(&[table]).is_ok());
        assert_eq!(sheet_name("a/b [c]"), "ab c");
    }

    #[test]
    fn csv_text_cannot_carry_a_formula() {
        let table = Table {
            sheet: "x",
            headers: &["a", "b", "c"],
            rows: vec![vec![Cell::from("=HYPERLINK(\"http://x\")"), Cell::from("Hạ Long"), Cell::Number(-5.0)]],
        };
        let text = String::from_utf8(csv(&table).expect("csv")).expect("utf-8");
        assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\",Hạ Long,-5"), "{text}");
    }

    #[test]
    fn a_far_cell_is_refused_without_allocating_the_range_to_it() {
        let content = book(&[(0, 0, "a"), (1_048_575, 16_383, "z")]);
        let err = read_xlsx(content, WorkbookLimits::default()).expect_err("refused");
        assert!(matches!(err, SheetError::TooLarge { cap: WorkbookCap::Rows, .. }), "{err}");
    }

    #[test]
    fn sparse_cells_inside_the_caps_are_read_in_place() {
        let content = book(&[(0, 0, "a"), (3, 2, " c ")]);
        let sheets = read_xlsx(content, WorkbookLimits::default()).expect("read");
        let rows = &sheets[0].1;
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0], vec!["a"]);
        assert_eq!(rows[3], vec!["", "", "c"]);
    }

    #[test]
    fn every_cap_names_its_setting() {
        let content = book(&[(0, 0, "a"), (0, 5, "b"), (1, 0, "c")]);
        let read = |limits| read_xlsx(content.clone(), limits).expect_err("refused");
        let limits = WorkbookLimits::default();
        let cap = |e: SheetError| match e {
            SheetError::TooLarge { cap, .. } => cap,
            SheetError::Unreadable(e) => panic!("{e}"),
        };
        assert_eq!(cap(read(WorkbookLimits { max_columns: 5, ..limits })), WorkbookCap::Columns);
        assert_eq!(cap(read(WorkbookLimits { max_cells: 2, ..limits })), WorkbookCap::Cells);
        assert_eq!(cap(read(WorkbookLimits { max_sheets: 0, ..limits })), WorkbookCap::Sheets);
        assert_eq!(cap(read(WorkbookLimits { max_unpacked_bytes: 100, ..limits })), WorkbookCap::UnpackedBytes);
    }
}
