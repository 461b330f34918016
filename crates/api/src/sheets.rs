//! Spreadsheets: lists exported to `.xlsx` and CSV with Vietnamese headers, and `.xlsx`
//! workbooks read for imports.

use std::io::Cursor;

use actix_web::HttpResponse;
use actix_web::http::header;
use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::Format;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult};

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
        sheet.set_name(table.sheet).map_err(ApiError::internal)?;
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

/// CSV in UTF-8 with a byte-order mark, so spreadsheet programs read the diacritics right.
pub fn csv(table: &Table) -> ApiResult<Vec<u8>> {
    let mut out = Vec::from(*b"\xEF\xBB\xBF");
    {
        let mut writer = ::csv::Writer::from_writer(&mut out);
        writer.write_record(table.headers).map_err(ApiError::internal)?;
        for row in &table.rows {
            writer
                .write_record(row.iter().map(|cell| match cell {
                    Cell::Text(s) => s.clone(),
                    Cell::Number(n) => n.to_string(),
                    Cell::Empty => String::new(),
                }))
                .map_err(ApiError::internal)?;
        }
        writer.flush().map_err(ApiError::internal)?;
    }
    Ok(out)
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
pub fn download(table: Table, format: ExportFormat, stem: &str) -> ApiResult<HttpResponse> {
    let caption = format!("Ngày xuất: {}", chrono::Utc::now().format("%d/%m/%Y"));
    download_with_caption(table, format, stem, &caption)
}

/// The download response for a report, `caption` naming its filters (shown in the PDF).
pub fn download_with_caption(table: Table, format: ExportFormat, stem: &str, caption: &str) -> ApiResult<HttpResponse> {
    let today = chrono::Utc::now().format("%Y%m%d");
    let (body, content_type, ext) = match format {
        ExportFormat::Xlsx => (xlsx(std::slice::from_ref(&table))?, XLSX, "xlsx"),
        ExportFormat::Csv => (csv(&table)?, "text/csv; charset=utf-8", "csv"),
        ExportFormat::Pdf => (pdf(&table, caption)?, "application/pdf", "pdf"),
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{stem}-{today}.{ext}\"")))
        .body(body))
}

/// A workbook may unpack to at most this many times the upload limit: a small file can be a
/// zip bomb. Real workbooks compress 5–10 times.
pub const UNPACK_RATIO: u128 = 10;

#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("the workbook unpacks to more than {0} bytes")]
    TooLarge(u128),
    #[error("unreadable workbook: {0}")]
    Unreadable(String),
}

/// Reads every sheet of an `.xlsx` workbook as rows of trimmed text (numbers without a
/// trailing `.0`, dates as `dd/mm/yyyy`), after checking its unpacked size.
/// The sheets of a workbook: (name, rows of cells).
pub type Workbook = Vec<(String, Vec<Vec<String>>)>;

pub fn read_xlsx(content: Vec<u8>, max_unpacked: u128) -> Result<Workbook, SheetError> {
    let unreadable = |e: &dyn std::fmt::Display| SheetError::Unreadable(e.to_string());
    // Sizes as the central directory declares them (present even when entries use data
    // descriptors, which `decompressed_size` gives up on).
    let mut archive = zip::ZipArchive::new(Cursor::new(content.as_slice())).map_err(|e| unreadable(&e))?;
    let mut unpacked = 0u128;
    for i in 0..archive.len() {
        unpacked += u128::from(archive.by_index_raw(i).map_err(|e| unreadable(&e))?.size());
        if unpacked > max_unpacked {
            return Err(SheetError::TooLarge(max_unpacked));
        }
    }
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(content)).map_err(|e: calamine::XlsxError| unreadable(&e))?;
    let mut sheets = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).map_err(|e| unreadable(&e))?;
        let rows = range.rows().map(|row| row.iter().map(cell_text).collect()).collect();
        sheets.push((name, rows));
    }
    Ok(sheets)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.as_datetime().map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default(),
        other => other.to_string().trim().to_owned(),
    }
}
