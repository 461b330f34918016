//! Standard reports of the programme, each for an area (and the units directly under it), a
//! period of years and optionally a product group; as JSON for the screen, or `.xlsx`, `.csv`
//! and PDF to file: products by star and group, subjects by legal form and upgrades,
//! certificates, cycle progress, training coverage, funding.

pub mod tables;

use std::collections::HashMap;

use actix_web::{HttpResponse, get, web};
use chrono::{Datelike, NaiveDate, Utc};
use ocop_domain::calendar::vietnam_day;
use ocop_domain::council::{CertificateStatus, EXPIRY_WARNING_DAYS};
use ocop_domain::cycle::{ApplicationStatus, Stage};
use ocop_domain::funding::{activity_label_vi, disbursement_rate, source_label_vi};
use ocop_domain::subject::LegalForm;
use ocop_domain::training::{ParticipantKind, course_kind_label_vi};
use ocop_persistence::entities::admin_unit;
use ocop_persistence::{admin_units, funding, products, programme, reports, subjects, training};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::areas::area_of;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::sheets::{Cell, ExportFormat, Table, download_with_caption, number_vi};
use crate::state::AppState;

/// The reports there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    Products,
    Subjects,
    Certificates,
    Cycle,
    Training,
    Funding,
}

impl ReportKind {
    /// The file name's stem.
    const fn stem(self) -> &'static str {
        match self {
            Self::Products => "bao-cao-san-pham",
            Self::Subjects => "bao-cao-chu-the",
            Self::Certificates => "bao-cao-giay-chung-nhan",
            Self::Cycle => "bao-cao-chu-trinh",
            Self::Training => "bao-cao-dao-tao",
            Self::Funding => "bao-cao-nguon-von",
        }
    }
}

/// A report: its columns and rows (text, numbers or null), the last row being the total where
/// the report has one.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"title": "Sản phẩm OCOP theo hạng sao và nhóm", "caption": "Tỉnh Quảng Ninh · 2019–2026",
    "columns": ["Địa bàn", "Nhóm sản phẩm", "Sản phẩm đăng ký", "3 sao", "4 sao", "5 sao", "Tổng đạt OCOP"],
    "rows": [["Xã Ba Chẽ", "Thực phẩm", 3, 0, 1, 0, 1], ["Tổng cộng", "", 3, 0, 1, 0, 1]]}))]
pub struct Report {
    pub title: String,
    /// The filters, in words.
    pub caption: String,
    pub columns: Vec<String>,
    #[schema(value_type = Vec<Vec<Object>>)]
    #[schema(schema_with = crate::schemas::report_rows)]
    pub rows: Vec<Vec<serde_json::Value>>,
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Code of the area (default: the caller's unit, or the province).
    #[validate(length(max = 8))]
    pub area: Option<String>,
    /// First year (default 2019, the programme's start).
    #[validate(range(min = 2000, max = 2100))]
    pub year_from: Option<i32>,
    /// Last year (default: this year).
    #[validate(range(min = 2000, max = 2100))]
    pub year_to: Option<i32>,
    /// A product group code (`1`–`6`), for the product, certificate and cycle reports.
    #[validate(length(max = 8))]
    pub group: Option<String>,
    /// `xlsx`, `csv` or `pdf` to download; JSON without it.
    #[param(inline)]
    pub format: Option<ExportFormat>,
}

struct Scope {
    area: admin_unit::Model,
    children: Vec<admin_unit::Model>,
    years: (i32, i32),
    group: Option<String>,
}

impl Scope {
    fn from(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.years.0, 1, 1).unwrap_or(NaiveDate::MIN)
    }

    fn to(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.years.1, 12, 31).unwrap_or(NaiveDate::MAX)
    }

    /// The unit directly under the area a path lies in (the area itself for its own objects).
    fn unit_of(&self, path: &str) -> &admin_unit::Model {
        self.children.iter().find(|c| path.starts_with(&c.path)).unwrap_or(&self.area)
    }

    /// The area and the units under it, in order: the rows of a per-area report.
    fn units(&self) -> impl Iterator<Item = &admin_unit::Model> {
        std::iter::once(&self.area).chain(&self.children)
    }

    fn caption(&self) -> String {
        let group = self.group.as_ref().map(|g| format!(" · Nhóm {g}")).unwrap_or_default();
        format!(
            "{} · {}–{}{group} · Ngày lập: {}",
            self.area.name,
            self.years.0,
            self.years.1,
            Utc::now().format("%d/%m/%Y")
        )
    }
}

fn n(v: usize) -> Cell {
    Cell::Number(v as f64)
}

/// A standard report / Báo cáo (admins; officers for their area).
///
/// `products`: registered and certified products by area and group (stars of active certificates
/// decided in the period); `subjects`: subjects by area and legal form with upgrades in the
/// period; `certificates`: certificates decided in the period with their standing (active,
/// expiring within 90 days, expired, revoked); `cycle`: applications of the period's cycles
/// by area and stage; `training`: courses ended in the period with participants, attendance
/// and completion by kind; `funding`: budget lines with planned, allocated and disbursed
/// amounts and a total.
#[utoipa::path(operation_id = "report", tag = "programme", security(("bearer" = [])), params(
    ("kind" = inline(ReportKind), Path, description = "products, subjects, certificates, cycle, training or funding"), ReportQuery), responses(
    (status = 200, description = "The report (JSON), or the file", body = Report, content(
        (Report = "application/json"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (String = "text/csv"),
        (Vec<u8> = "application/pdf"),
    )),
))]
#[get("/reports/{kind}")]
pub async fn report(
    state: web::Data<AppState>,
    user: AuthUser,
    kind: web::Path<ReportKind>,
    query: web::Query<ReportQuery>,
) -> ApiResult<HttpResponse> {
    query.validate()?;
    let area = area_of(&state, &user, query.area.as_deref()).await?;
    let years = (query.year_from.unwrap_or(2019), query.year_to.unwrap_or_else(|| Utc::now().year()));
    if years.0 > years.1 {
        return Err(ApiError::invalid_field(
            "year_from",
            "period",
            "Năm bắt đầu không được sau năm kết thúc.",
            "The first year comes after the last.",
        ));
    }
    let children = admin_units::children(&state.db, area.id).await?;
    let group = query.group.clone().filter(|g| !g.trim().is_empty());
    let scope = Scope { area, children, years, group };
    let table = match *kind {
        ReportKind::Products => tables::products_report(&state, &scope).await?,
        ReportKind::Subjects => tables::subjects_report(&state, &scope).await?,
        ReportKind::Certificates => tables::certificates_report(&state, &scope).await?,
        ReportKind::Cycle => tables::cycle_report(&state, &scope).await?,
        ReportKind::Training => tables::training_report(&state, &scope).await?,
        ReportKind::Funding => tables::funding_report(&state, &scope).await?,
    };
    let caption = scope.caption();
    match query.format {
        Some(format) => {
            let stem = format!("{}-{}", kind.stem(), scope.area.code);
            download_with_caption(&state.heavy, table, format, &stem, caption).await
        }
        None => Ok(HttpResponse::Ok().json(Report {
            title: table.sheet.to_owned(),
            caption,
            columns: table.headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: table
                .rows
                .into_iter()
                .map(|r| {
                    r.into_iter()
                        .map(|c| match c {
                            Cell::Text(s) => serde_json::Value::from(s),
                            Cell::Number(x) => serde_json::Value::from(x),
                            Cell::Empty => serde_json::Value::Null,
                        })
                        .collect()
                })
                .collect(),
        })),
    }
}
