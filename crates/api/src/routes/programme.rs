//! Programme targets and progress against them: targets per area, period and indicator are set
//! by admins and province officers; actual values are counted from the live data (certificates,
//! subjects' upgrades, training completions), never typed in, for an area and each unit directly under it.

use std::collections::HashMap;

use actix_web::{HttpResponse, get, put, web};
use chrono::Utc;
use ocop_domain::access::{check_manage_programme, check_view_programme};
use ocop_domain::programme::{Indicator, Period, Tally, TargetError, Trend, check_value, standing};
use ocop_domain::training::ParticipantKind;
use ocop_persistence::entities::{admin_unit, programme_target};
use ocop_persistence::{admin_units, audit, programme, training};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::areas::area_of;
use crate::auth::AuthUser;
use crate::dto::AdminUnitRef;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::sheets::{Cell, ExportFormat, Table, download};
use crate::state::AppState;

/// One indicator of an area: target, actual and how far along.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"indicator": "three_four_star", "share": false, "target": 20.0, "actual": 7.0, "percent": 35.0, "trend": "on_track"}))]
pub struct IndicatorProgress {
    /// `products_standardised`, `five_star`, `three_four_star`, `organisations_upgraded`,
    /// `officials_trained`, `leaders_trained`, `workers_trained`.
    pub indicator: String,
    /// A share in percent (training) rather than a count.
    pub share: bool,
    pub target: Option<f64>,
    /// Counted from the live data; `null` where it cannot be counted yet (training records).
    pub actual: Option<f64>,
    /// Actual over target, in percent.
    pub percent: Option<f64>,
    /// `reached`, `on_track` (at least the elapsed share of the period's target) or `behind`.
    pub trend: Option<String>,
}

/// An area's progress.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"area": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8a01", "code": "22", "name": "Tỉnh Quảng Ninh", "level": "province", "path": "/22/"},
    "indicators": [{"indicator": "three_four_star", "share": false, "target": 20.0, "actual": 7.0, "percent": 35.0, "trend": "on_track"}]}))]
pub struct AreaTargets {
    pub area: AdminUnitRef,
    pub indicators: Vec<IndicatorProgress>,
}

/// Progress of an area and of each unit directly under it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"period_start": 2026, "period_end": 2030, "elapsed_percent": 20.0,
    "area": {"area": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8a01", "code": "22", "name": "Tỉnh Quảng Ninh", "level": "province", "path": "/22/"},
    "indicators": [{"indicator": "five_star", "share": false, "target": 5.0, "actual": 1.0, "percent": 20.0, "trend": "on_track"}]}, "children": []}))]
pub struct TargetsProgress {
    pub period_start: i32,
    pub period_end: i32,
    /// How much of the period has passed.
    pub elapsed_percent: f64,
    pub area: AreaTargets,
    /// The units directly under it (districts of the province, communes of a district).
    pub children: Vec<AreaTargets>,
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct TargetsQuery {
    /// Last year of the period (e.g. 2025, 2030).
    #[validate(range(min = 2000, max = 2100))]
    pub period_end: i32,
    /// First year (default: from the area's targets, else five years).
    #[validate(range(min = 2000, max = 2100))]
    pub period_start: Option<i32>,
    /// Code of the area (default: the caller's unit, or the province).
    #[validate(length(max = 8))]
    pub area: Option<String>,
}

fn period_error(e: TargetError) -> ApiError {
    match e {
        TargetError::Period => ApiError::invalid_field(
            "period_start",
            "period",
            "Năm bắt đầu không được sau năm kết thúc (2000–2100).",
            e.to_string(),
        ),
        TargetError::Value => ApiError::invalid_field(
            "value",
            "value",
            "Chỉ tiêu tỷ lệ từ 0 đến 100%, chỉ tiêu số lượng không âm.",
            e.to_string(),
        ),
    }
}

fn indicators(
    targets: &[programme_target::Model],
    tally: &Tally,
    period: Period,
    today: chrono::NaiveDate,
) -> Vec<IndicatorProgress> {
    Indicator::ALL
        .into_iter()
        .map(|indicator| {
            let target = targets.iter().find(|t| t.indicator == indicator.as_str()).map(|t| t.value);
            let actual = tally.actual(indicator);
            let s = standing(target, actual, period, today);
            IndicatorProgress {
                indicator: indicator.as_str().to_owned(),
                share: indicator.is_share(),
                target,
                actual,
                percent: s.percent,
                trend: s.trend.map(|t| t.as_str().to_owned()),
            }
        })
        .collect()
}

/// Progress against the targets / Tiến độ thực hiện chỉ tiêu (admins, officers in their area).
///
/// For an area and each unit directly under it: target, actual (counted from certificates and
/// subjects' upgrades in the period), percent and trend against the time elapsed.
#[utoipa::path(operation_id = "programme_progress", tag = "programme", security(("bearer" = [])), params(TargetsQuery), responses(
    (status = 200, description = "The area's progress and its units'", body = TargetsProgress),
))]
#[get("/programme/progress")]
pub async fn progress(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<TargetsQuery>,
) -> ApiResult<web::Json<TargetsProgress>> {
    compute(&state, &user, &query).await.map(web::Json)
}

async fn compute(state: &AppState, user: &AuthUser, query: &TargetsQuery) -> ApiResult<TargetsProgress> {
    query.validate()?;
    let area = area_of(state, user, query.area.as_deref()).await?;
    let children = admin_units::children(&state.db, area.id).await?;
    let mut ids: Vec<Uuid> = children.iter().map(|c| c.id).collect();
    ids.push(area.id);
    let targets = programme::targets(&state.db, query.period_end, ids).await?;
    let start = query
        .period_start
        .or_else(|| targets.iter().find(|t| t.area_unit_id == area.id).map(|t| t.period_start))
        .unwrap_or(query.period_end - 4);
    let period = Period::new(start, query.period_end).map_err(period_error)?;
    let (from, to) = (period.first_day(), period.last_day());
    // Each fact goes to the area and to the child unit whose path it lies in.
    let mut tallies: HashMap<Uuid, Tally> = HashMap::new();
    let child_of = |path: &str| children.iter().find(|c| path.starts_with(&c.path)).map(|c| c.id);
    for r in programme::recognitions(&state.db, &area.path, from, to).await? {
        for unit in std::iter::once(Some(area.id)).chain([child_of(&r.area_path)]).flatten() {
            tallies.entry(unit).or_default().recognise(r.product_id, r.star, r.first);
        }
    }
    for path in programme::upgrades(&state.db, &area.path, from, to).await? {
        for unit in std::iter::once(Some(area.id)).chain([child_of(&path)]).flatten() {
            tallies.entry(unit).or_default().upgrade();
        }
    }
    for c in training::completions(&state.db, &area.path, from, to).await? {
        let Some(kind) = ParticipantKind::parse(&c.kind) else { continue };
        for unit in std::iter::once(Some(area.id)).chain([child_of(&c.area_path)]).flatten() {
            tallies.entry(unit).or_default().trained(kind, &c.person_key);
        }
    }
    let bases = training::bases(&state.db, &area.path).await?;
    let people =
        bases.officials.iter().map(|path| (path, ParticipantKind::Official, 1)).chain(bases.subjects.iter().flat_map(
            |(path, workers)| [(path, ParticipantKind::Leader, 1), (path, ParticipantKind::Worker, *workers)],
        ));
    for (path, kind, n) in people {
        for unit in std::iter::once(Some(area.id)).chain([child_of(path)]).flatten() {
            tallies.entry(unit).or_default().base(kind, n);
        }
    }
    let today = Utc::now().date_naive();
    let empty = Tally::default();
    let of = |unit: &admin_unit::Model| AreaTargets {
        indicators: indicators(
            &targets.iter().filter(|t| t.area_unit_id == unit.id).cloned().collect::<Vec<_>>(),
            tallies.get(&unit.id).unwrap_or(&empty),
            period,
            today,
        ),
        area: AdminUnitRef::from(unit.clone()),
    };
    Ok(TargetsProgress {
        period_start: period.start_year,
        period_end: period.end_year,
        elapsed_percent: (period.elapsed(today) * 1000.0).round() / 10.0,
        area: of(&area),
        children: children.iter().map(of).collect(),
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `xlsx` (default) or `csv`.
    #[param(inline)]
    pub format: Option<ExportFormat>,
}

/// Export the progress report / Xuất báo cáo tiến độ chỉ tiêu (.xlsx or .csv).
///
/// One row per area (the area, then each unit under it) and indicator: target, actual,
/// percent, assessment.
#[utoipa::path(operation_id = "export_programme_progress", tag = "programme", security(("bearer" = [])), params(TargetsQuery, ExportQuery), responses(
    (status = 200, description = "The spreadsheet", content(
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (String = "text/csv"),
        (Vec<u8> = "application/pdf"),
    )),
))]
#[get("/programme/progress/export")]
pub async fn export(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<TargetsQuery>,
    format: web::Query<ExportQuery>,
) -> ApiResult<HttpResponse> {
    let report = compute(&state, &user, &query).await?;
    let period = format!("{}–{}", report.period_start, report.period_end);
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for a in std::iter::once(&report.area).chain(&report.children) {
        rows.extend(a.indicators.iter().map(|i| {
            let label = Indicator::parse(&i.indicator).map_or_else(|| i.indicator.clone(), |x| x.label_vi().to_owned());
            let trend = i
                .trend
                .as_deref()
                .and_then(|t| [Trend::Reached, Trend::OnTrack, Trend::Behind].into_iter().find(|x| x.as_str() == t));
            vec![
                Cell::from(a.area.code.clone()),
                a.area.name.clone().into(),
                period.clone().into(),
                label.into(),
                i.target.map_or(Cell::Empty, Cell::Number),
                i.actual.map_or(Cell::Empty, Cell::Number),
                i.percent.map_or(Cell::Empty, Cell::Number),
                trend.map_or("Chưa có số liệu", Trend::label_vi).into(),
            ]
        }));
    }
    let table = Table {
        sheet: "Tiến độ chỉ tiêu",
        headers: &["Mã địa bàn", "Địa bàn", "Giai đoạn", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỷ lệ (%)", "Đánh giá"],
        rows,
    };
    download(
        &state.heavy,
        table,
        format.format.unwrap_or_default(),
        &format!("tien-do-chi-tieu-{}", report.area.area.code),
    )
    .await
}

/// A target.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8b01", "area_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8a01", "period_start": 2026, "period_end": 2030,
    "indicator": "five_star", "value": 5.0, "source": "Đề án OCOP tỉnh giai đoạn 2019–2030"}))]
pub struct ProgrammeTarget {
    pub id: Uuid,
    pub area_id: Uuid,
    pub period_start: i32,
    pub period_end: i32,
    pub indicator: String,
    pub value: f64,
    pub source: Option<String>,
}

impl From<programme_target::Model> for ProgrammeTarget {
    fn from(t: programme_target::Model) -> Self {
        Self {
            id: t.id,
            area_id: t.area_unit_id,
            period_start: t.period_start,
            period_end: t.period_end,
            indicator: t.indicator,
            value: t.value,
            source: t.source,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"area_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8a01", "period_start": 2026, "period_end": 2030, "indicator": "five_star", "value": 5.0, "source": "Đề án OCOP tỉnh giai đoạn 2019–2030"}))]
pub struct TargetInput {
    pub area_id: Uuid,
    pub period_start: i32,
    pub period_end: i32,
    pub indicator: String,
    pub value: f64,
    #[validate(length(max = 300))]
    pub source: Option<String>,
}

/// Set a target / Đặt chỉ tiêu (admins, province officers).
///
/// One target per area, period end and indicator: setting it again replaces the value (the
/// audit trail keeps the earlier one).
#[utoipa::path(operation_id = "set_programme_target", tag = "programme", security(("bearer" = [])), request_body = TargetInput, responses(
    (status = 200, description = "Saved", body = ProgrammeTarget),
))]
#[put("/programme/targets")]
pub async fn set_target(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ApiJson<TargetInput>,
) -> ApiResult<web::Json<ProgrammeTarget>> {
    let body = body.0;
    body.validate()?;
    check_manage_programme(&user.actor())?;
    let indicator = Indicator::parse(&body.indicator).ok_or_else(|| {
        ApiError::invalid_field(
            "indicator",
            "indicator",
            "Chỉ tiêu không hợp lệ.",
            "Unknown indicator: products_standardised, five_star, three_four_star, organisations_upgraded, officials_trained, leaders_trained, workers_trained.",
        )
    })?;
    Period::new(body.period_start, body.period_end).map_err(period_error)?;
    check_value(indicator, body.value).map_err(period_error)?;
    let area = admin_units::find(&state.db, body.area_id).await?.ok_or_else(|| {
        ApiError::invalid_field("area_id", "not_found", "Không tìm thấy đơn vị hành chính.", "No such unit.")
    })?;
    check_view_programme(&user.actor(), &area.path)?;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let existing = programme::find_target(&txn, area.id, body.period_end, indicator.as_str()).await?;
    let mut row = programme::new_target(
        (area.id, area.path.clone()),
        (body.period_start, body.period_end),
        indicator.as_str(),
        body.value,
        body.source.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()),
    );
    if let Some(old) = &existing {
        row.id = old.id;
        row.created_at = old.created_at;
    }
    let saved = programme::save_target(&txn, row, existing.is_none()).await?;
    audit::record(
        &txn,
        &user.audit(),
        "programme_target.set",
        "programme_target",
        saved.id,
        existing.as_ref(),
        Some(&saved),
    )
    .await?;
    txn.commit().await?;
    Ok(web::Json(saved.into()))
}
