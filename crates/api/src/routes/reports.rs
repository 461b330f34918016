//! Standard reports of the programme, each for an area (and the units directly under it), a
//! period of years and optionally a product group; as JSON for the screen, or `.xlsx`, `.csv`
//! and PDF to file: products by star and group, subjects by legal form and upgrades,
//! certificates, cycle progress, training coverage, funding.

use std::collections::HashMap;

use actix_web::{HttpResponse, get, web};
use chrono::{Datelike, NaiveDate, Utc};
use ocop_domain::council::{CertificateStatus, EXPIRY_WARNING_DAYS};
use ocop_domain::cycle::Stage;
use ocop_domain::funding::{activity_label_vi, disbursement_rate, source_label_vi};
use ocop_domain::subject::LegalForm;
use ocop_domain::training::{ParticipantKind, course_kind_label_vi};
use ocop_persistence::entities::admin_unit;
use ocop_persistence::{admin_units, funding, products, programme, reports, subjects, training};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::routes::programme::area_of;
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
    "rows": [["Huyện Ba Chẽ", "Thực phẩm", 3, 0, 1, 0, 1], ["Tổng cộng", "", 3, 0, 1, 0, 1]]}))]
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
        ReportKind::Products => products_report(&state, &scope).await?,
        ReportKind::Subjects => subjects_report(&state, &scope).await?,
        ReportKind::Certificates => certificates_report(&state, &scope).await?,
        ReportKind::Cycle => cycle_report(&state, &scope).await?,
        ReportKind::Training => training_report(&state, &scope).await?,
        ReportKind::Funding => funding_report(&state, &scope).await?,
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

async fn products_report(state: &AppState, s: &Scope) -> ApiResult<Table> {
    let products = reports::products(&state.db, &s.area.path, s.group.as_deref()).await?;
    let today = Utc::now().date_naive();
    // The star of each product's active certificate decided in the period.
    let stars: HashMap<uuid::Uuid, i16> = reports::certificates(&state.db, &s.area.path, s.from(), s.to())
        .await?
        .into_iter()
        .filter(|c| c.status == "active" && c.valid_until >= today)
        .map(|c| (c.product_id, c.star))
        .collect();
    // (unit, group) → [registered, 3★, 4★, 5★]
    let mut counts: HashMap<(uuid::Uuid, String), [usize; 4]> = HashMap::new();
    let mut total = [0usize; 4];
    for (id, path, group) in &products {
        let unit = s.unit_of(path);
        let row = counts.entry((unit.id, group.clone())).or_default();
        row[0] += 1;
        total[0] += 1;
        if let Some(star) = stars.get(id).filter(|s| **s >= 3) {
            let i = usize::try_from(*star - 2).unwrap_or(1).min(3);
            row[i] += 1;
            total[i] += 1;
        }
    }
    let mut rows = Vec::new();
    for unit in s.units() {
        let mut groups: Vec<&String> = counts.keys().filter(|(u, _)| *u == unit.id).map(|(_, g)| g).collect();
        groups.sort();
        for g in groups {
            let c = counts[&(unit.id, g.clone())];
            rows.push(vec![
                unit.name.clone().into(),
                format!("Nhóm {g}").into(),
                n(c[0]),
                n(c[1]),
                n(c[2]),
                n(c[3]),
                n(c[1] + c[2] + c[3]),
            ]);
        }
    }
    rows.push(vec![
        "Tổng cộng".into(),
        Cell::Empty,
        n(total[0]),
        n(total[1]),
        n(total[2]),
        n(total[3]),
        n(total[1] + total[2] + total[3]),
    ]);
    Ok(Table {
        sheet: "Sản phẩm OCOP theo hạng sao và nhóm",
        headers: &["Địa bàn", "Nhóm sản phẩm", "Sản phẩm đăng ký", "3 sao", "4 sao", "5 sao", "Tổng đạt OCOP"],
        rows,
    })
}

async fn subjects_report(state: &AppState, s: &Scope) -> ApiResult<Table> {
    let subjects = reports::subjects(&state.db, &s.area.path).await?;
    let upgrades = programme::upgrades(&state.db, &s.area.path, s.from(), s.to()).await?;
    let mut rows = Vec::new();
    let mut total = vec![0usize; LegalForm::ALL.len() + 2];
    for unit in s.units() {
        let mine: Vec<&(uuid::Uuid, String, String)> =
            subjects.iter().filter(|x| s.unit_of(&x.1).id == unit.id).collect();
        let ups = upgrades.iter().filter(|p| s.unit_of(p).id == unit.id).count();
        if mine.is_empty() && ups == 0 {
            continue;
        }
        let mut row: Vec<Cell> = vec![unit.name.clone().into()];
        for (i, form) in LegalForm::ALL.into_iter().enumerate() {
            let k = mine.iter().filter(|x| x.2 == form.as_str()).count();
            total[i] += k;
            row.push(n(k));
        }
        total[LegalForm::ALL.len()] += mine.len();
        total[LegalForm::ALL.len() + 1] += ups;
        row.extend([n(mine.len()), n(ups)]);
        rows.push(row);
    }
    rows.push(std::iter::once(Cell::from("Tổng cộng")).chain(total.into_iter().map(n)).collect());
    Ok(Table {
        sheet: "Chủ thể OCOP theo loại hình và nâng cấp",
        headers: &[
            "Địa bàn",
            "Hộ sản xuất",
            "Tổ hợp tác",
            "Hợp tác xã",
            "Doanh nghiệp",
            "Công ty cổ phần",
            "Tổng chủ thể",
            "Nâng cấp trong kỳ",
        ],
        rows,
    })
}

async fn certificates_report(state: &AppState, s: &Scope) -> ApiResult<Table> {
    let mut certs = reports::certificates(&state.db, &s.area.path, s.from(), s.to()).await?;
    let names: HashMap<uuid::Uuid, (String, String)> =
        products::find_many(&state.db, certs.iter().map(|c| c.product_id).collect())
            .await?
            .into_iter()
            .map(|p| (p.id, (p.name, p.group_code)))
            .collect();
    if let Some(g) = &s.group {
        certs.retain(|c| names.get(&c.product_id).is_some_and(|p| &p.1 == g));
    }
    let owners: HashMap<uuid::Uuid, String> =
        subjects::find_many(&state.db, certs.iter().map(|c| c.subject_id).collect())
            .await?
            .into_iter()
            .map(|x| (x.id, x.name))
            .collect();
    let today = Utc::now().date_naive();
    let rows = certs
        .iter()
        .map(|c| {
            let standing =
                match c.status.parse::<CertificateStatus>().map(|st| CertificateStatus::on(st, c.valid_until, today)) {
                    Ok(CertificateStatus::Active) if (c.valid_until - today).num_days() <= EXPIRY_WARNING_DAYS => {
                        "Sắp hết hiệu lực"
                    }
                    Ok(CertificateStatus::Active) => "Còn hiệu lực",
                    Ok(CertificateStatus::Expired) => "Hết hiệu lực",
                    Ok(CertificateStatus::Revoked) => "Đã thu hồi",
                    Ok(CertificateStatus::Superseded) | Err(_) => "Đã thay thế",
                };
            vec![
                c.number.clone().into(),
                names.get(&c.product_id).map(|p| p.0.clone()).unwrap_or_default().into(),
                owners.get(&c.subject_id).cloned().unwrap_or_default().into(),
                s.unit_of(&c.area_path).name.clone().into(),
                Cell::Number(f64::from(c.star)),
                c.decision_date.format("%d/%m/%Y").to_string().into(),
                c.valid_until.format("%d/%m/%Y").to_string().into(),
                standing.into(),
            ]
        })
        .collect();
    Ok(Table {
        sheet: "Giấy chứng nhận OCOP",
        headers: &[
            "Số giấy chứng nhận",
            "Sản phẩm",
            "Chủ thể",
            "Địa bàn",
            "Hạng sao",
            "Ngày quyết định",
            "Hiệu lực đến",
            "Tình trạng",
        ],
        rows,
    })
}

async fn cycle_report(state: &AppState, s: &Scope) -> ApiResult<Table> {
    let mut apps = reports::applications(&state.db, &s.area.path, s.years).await?;
    if let Some(g) = &s.group {
        apps.retain(|a| &a.1 == g);
    }
    let stages = [Stage::IdeaRegistration, Stage::BusinessPlan, Stage::Implementation, Stage::Evaluation];
    let mut rows = Vec::new();
    let mut total = [0usize; 6];
    for unit in s.units() {
        let mine: Vec<_> = apps.iter().filter(|a| s.unit_of(&a.0).id == unit.id).collect();
        if mine.is_empty() {
            continue;
        }
        let mut row: Vec<Cell> = vec![unit.name.clone().into()];
        for (i, stage) in stages.iter().enumerate() {
            let k = mine.iter().filter(|a| a.2 == stage.as_str() && a.3 != "ranked" && a.3 != "certified").count();
            total[i] += k;
            row.push(n(k));
        }
        let done = mine.iter().filter(|a| a.3 == "ranked" || a.3 == "certified").count();
        total[4] += done;
        total[5] += mine.len();
        row.extend([n(done), n(mine.len())]);
        rows.push(row);
    }
    rows.push(std::iter::once(Cell::from("Tổng cộng")).chain(total.into_iter().map(n)).collect());
    Ok(Table {
        sheet: "Tiến độ chu trình OCOP",
        headers: &[
            "Địa bàn",
            "Đăng ký ý tưởng",
            "Phương án SXKD",
            "Triển khai phương án",
            "Đánh giá, phân hạng",
            "Đã có kết quả",
            "Tổng hồ sơ",
        ],
        rows,
    })
}

async fn training_report(state: &AppState, s: &Scope) -> ApiResult<Table> {
    let courses = reports::courses(&state.db, &s.area.path, s.from(), s.to()).await?;
    let people = training::participants_of(&state.db, courses.iter().map(|c| c.id).collect()).await?;
    let mut total = [0usize; 5];
    let mut rows: Vec<Vec<Cell>> = courses
        .iter()
        .map(|c| {
            let mine: Vec<_> = people.iter().filter(|p| p.course_id == c.id).collect();
            let by = |k: ParticipantKind| mine.iter().filter(|p| p.kind == k.as_str()).count();
            let counts = [
                mine.len(),
                mine.iter().filter(|p| p.attended).count(),
                mine.iter().filter(|p| p.completed).count(),
                by(ParticipantKind::Official),
                by(ParticipantKind::Leader) + by(ParticipantKind::Worker),
            ];
            for (t, k) in total.iter_mut().zip(counts) {
                *t += k;
            }
            let mut row: Vec<Cell> = vec![
                c.title.clone().into(),
                course_kind_label_vi(&c.kind).into(),
                format!("{} – {}", c.starts_on.format("%d/%m/%Y"), c.ends_on.format("%d/%m/%Y")).into(),
                c.organiser.clone().into(),
            ];
            row.extend(counts.into_iter().map(n));
            row
        })
        .collect();
    let mut last: Vec<Cell> = vec!["Tổng cộng".into(), Cell::Empty, Cell::Empty, Cell::Empty];
    last.extend(total.into_iter().map(n));
    rows.push(last);
    Ok(Table {
        sheet: "Đào tạo, tập huấn OCOP",
        headers: &[
            "Khóa học",
            "Loại",
            "Thời gian",
            "Đơn vị tổ chức",
            "Học viên",
            "Tham dự",
            "Hoàn thành",
            "Cán bộ",
            "Chủ thể, lao động",
        ],
        rows,
    })
}

async fn funding_report(state: &AppState, s: &Scope) -> ApiResult<Table> {
    let filter = funding::Filter {
        within: Some(s.area.path.clone()),
        year_from: Some(s.years.0),
        year_to: Some(s.years.1),
        ..Default::default()
    };
    let lines = funding::all(&state.db, &filter).await?;
    let summary = crate::routes::funding::summarise(&lines);
    let rate = |planned: i64, disbursed: i64| disbursement_rate(planned, disbursed).map_or(Cell::Empty, Cell::Number);
    let mut rows: Vec<Vec<Cell>> = lines
        .iter()
        .map(|l| {
            vec![
                l.year.into(),
                s.unit_of(&l.area_path).name.clone().into(),
                source_label_vi(&l.source).into(),
                activity_label_vi(&l.activity).into(),
                l.description.clone().into(),
                l.planned_vnd.into(),
                l.allocated_vnd.into(),
                l.disbursed_vnd.into(),
                rate(l.planned_vnd, l.disbursed_vnd),
            ]
        })
        .collect();
    let t = &summary.total;
    rows.push(vec![
        Cell::Empty,
        "Tổng cộng".into(),
        Cell::Empty,
        Cell::Empty,
        format!(
            "Ngân sách nhà nước: {} đ; ngoài ngân sách: {} đ",
            number_vi(summary.state_budget.planned_vnd as f64),
            number_vi(summary.non_state.planned_vnd as f64)
        )
        .into(),
        t.planned_vnd.into(),
        t.allocated_vnd.into(),
        t.disbursed_vnd.into(),
        rate(t.planned_vnd, t.disbursed_vnd),
    ]);
    Ok(Table {
        sheet: "Nguồn vốn thực hiện Chương trình OCOP",
        headers: &[
            "Năm",
            "Địa bàn",
            "Nguồn vốn",
            "Nội dung",
            "Diễn giải",
            "Kế hoạch (đ)",
            "Đã phân bổ (đ)",
            "Đã giải ngân (đ)",
            "Tỷ lệ giải ngân (%)",
        ],
        rows,
    })
}
