//! The reorganisation of administrative units, for admins: every record placed in a unit
//! retired on the effective day moves to its successor (`ocop_persistence::reorganisation`),
//! in one audited transaction; a dry run reports without changing anything.

use actix_web::{post, web};
use chrono::NaiveDate;
use ocop_persistence::{audit, reorganisation};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::extract::ApiJson;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"effective": "2025-07-01", "dry_run": true}))]
pub struct ReorganisationInput {
    /// The day the new structure took effect (the retired units' `valid_to`).
    pub effective: NaiveDate,
    /// Report what would move and change nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Records moved out of one kind of table.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"table": "subjects", "count": 12}))]
pub struct MovedRecords {
    pub table: String,
    pub count: u64,
}

/// A record moved from a divided commune to its default part, to be confirmed or corrected.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"table": "subjects", "id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e60", "from_code": "06853", "to_code": "06856"}))]
pub struct RecordToConfirm {
    pub table: String,
    pub id: Uuid,
    pub from_code: String,
    pub to_code: String,
}

/// What the reorganisation moved (or, in a dry run, would move).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"dry_run": true, "effective": "2025-07-01", "units": 184, "moved": [{"table": "subjects", "count": 12}],
    "officers_promoted": 1, "to_confirm": []}))]
pub struct ReorganisationReport {
    pub dry_run: bool,
    pub effective: NaiveDate,
    /// Retired units with a successor.
    pub units: u64,
    pub moved: Vec<MovedRecords>,
    /// District officers of retired districts, now officers of their province.
    pub officers_promoted: u64,
    pub to_confirm: Vec<RecordToConfirm>,
}

/// Reorganise administrative units / Sắp xếp đơn vị hành chính (admins).
///
/// Moves subjects, products, growing areas, craft villages, sales points, councils, targets,
/// funding lines, training participants and officers from every unit retired on `effective`
/// to the unit that took it over. Applications, certificates, batches and scans keep the units
/// of their time. `dry_run` reports without changing anything.
#[utoipa::path(operation_id = "reorganise_admin_units", tag = "admin-units", security(("bearer" = [])), request_body = ReorganisationInput, responses(
    (status = 200, description = "What moved / Kết quả sắp xếp", body = ReorganisationReport),
))]
#[post("/admin-units/reorganisations")]
pub async fn reorganise(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ApiJson<ReorganisationInput>,
) -> ApiResult<web::Json<ReorganisationReport>> {
    user.require_admin()?;
    let body = body.0;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let moves = reorganisation::plan(&txn, body.effective).await?;
    let report = reorganisation::apply(&txn, &moves).await?;
    let summary = serde_json::json!({"effective": body.effective, "report": &report, "moves": &moves});
    if body.dry_run {
        txn.rollback().await?;
    } else {
        audit::record::<(), _>(
            &txn,
            &user.audit(),
            "admin_units.reorganise",
            "admin_unit",
            body.effective,
            None,
            Some(&summary),
        )
        .await?;
        txn.commit().await?;
    }
    let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    Ok(web::Json(ReorganisationReport {
        dry_run: body.dry_run,
        effective: body.effective,
        units: count(report.units),
        moved: report
            .moved
            .iter()
            .map(|(table, n)| MovedRecords { table: (*table).to_owned(), count: count(*n) })
            .collect(),
        officers_promoted: count(report.officers_promoted),
        to_confirm: report
            .to_confirm
            .into_iter()
            .map(|c| RecordToConfirm {
                table: c.table.to_owned(),
                id: c.id,
                from_code: c.from_code,
                to_code: c.to_code,
            })
            .collect(),
    }))
}
