//! The reorganisation of administrative units as an operation: every record placed in a unit
//! retired on a given day moves to the unit that took it over, in the caller's transaction.
//! Which records move is fixed below (the registry and the programme's plans); what happened
//! in the past (applications, certificates, batches, scans) keeps the units of its time, so
//! reports over a past period still count by them.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use ocop_domain::access::role_after_merger;
use ocop_domain::account::Role;
use ocop_domain::admin_unit::AdminLevel;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use serde::Serialize;
use uuid::Uuid;

use crate::entities::{admin_unit, user};

/// Tables whose rows name a unit and carry its path: (table, unit column).
const PLACED: [(&str, &str); 8] = [
    ("subjects", "commune_id"),
    ("products", "commune_id"),
    ("growing_areas", "commune_id"),
    ("craft_villages", "commune_id"),
    ("sales_points", "commune_id"),
    ("councils", "area_unit_id"),
    ("programme_targets", "area_unit_id"),
    ("budget_lines", "area_unit_id"),
];

/// Tables placed by path only.
const BY_PATH: [&str; 1] = ["training_participants"];

/// One retired unit and the unit that took it over.
#[derive(Debug, Clone, Serialize)]
pub struct UnitMove {
    pub from_id: Uuid,
    pub from_code: String,
    pub from_name: String,
    pub from_path: String,
    pub to_id: Uuid,
    pub to_code: String,
    pub to_name: String,
    pub to_path: String,
    pub to_level: String,
    pub level: String,
    /// The old commune was divided: its records went to the default part, to be confirmed.
    pub divided: bool,
}

/// A record moved from a divided commune, for an officer to confirm or correct.
#[derive(Debug, Clone, Serialize)]
pub struct ToConfirm {
    pub table: &'static str,
    pub id: Uuid,
    pub from_code: String,
    pub to_code: String,
}

/// What the reorganisation moved.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub units: usize,
    /// Records moved, by table.
    pub moved: BTreeMap<&'static str, usize>,
    /// District officers of retired districts, now officers of the province.
    pub officers_promoted: usize,
    pub to_confirm: Vec<ToConfirm>,
}

/// Legacy communes divided in 2025 (several successors in the official data).
fn divided_communes() -> Result<HashSet<&'static str>, DbErr> {
    let successors = crate::official_units::successors().map_err(|e| DbErr::Custom(e.to_string()))?;
    let mut parts: HashMap<&str, usize> = HashMap::new();
    for s in &successors {
        *parts.entry(s.legacy_code).or_default() += 1;
    }
    Ok(parts.into_iter().filter(|(_, n)| *n > 1).map(|(code, _)| code).collect())
}

/// Units retired on `effective` with a successor, communes first (then districts, provinces),
/// each marked when it was a commune divided in 2025.
pub async fn plan(db: &impl ConnectionTrait, effective: NaiveDate) -> Result<Vec<UnitMove>, DbErr> {
    let divided_codes = divided_communes()?;
    let divided = |code: &str| divided_codes.contains(code);
    let retired = admin_unit::Entity::find()
        .filter(admin_unit::Column::ValidTo.eq(effective))
        .filter(admin_unit::Column::ReplacedById.is_not_null())
        .all(db)
        .await?;
    let successors: HashMap<Uuid, admin_unit::Model> =
        crate::admin_units::find_many(db, retired.iter().filter_map(|u| u.replaced_by_id).collect())
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
    let rank = |level: &str| match level.parse::<AdminLevel>() {
        Ok(AdminLevel::Commune) => 0,
        Ok(AdminLevel::District) => 1,
        _ => 2,
    };
    let mut moves: Vec<UnitMove> = retired
        .into_iter()
        .filter_map(|u| {
            let to = successors.get(&u.replaced_by_id?)?;
            Some(UnitMove {
                divided: divided(&u.code),
                from_id: u.id,
                from_code: u.code,
                from_name: u.name,
                from_path: u.path,
                to_id: to.id,
                to_code: to.code.clone(),
                to_name: to.name.clone(),
                to_path: to.path.clone(),
                to_level: to.level.clone(),
                level: u.level,
            })
        })
        .collect();
    moves.sort_by(|a, b| rank(&a.level).cmp(&rank(&b.level)).then(a.from_path.cmp(&b.from_path)));
    Ok(moves)
}

async fn ids(
    db: &impl ConnectionTrait,
    table: &str,
    column: &str,
    value: impl Into<sea_orm::Value>,
) -> Result<Vec<Uuid>, DbErr> {
    let select = Query::select()
        .column(Alias::new("id"))
        .from(Alias::new(table))
        .and_where(Expr::col(Alias::new(column)).eq(value.into()))
        .to_owned();
    db.query_all(&select).await?.iter().map(|row| row.try_get::<Uuid>("", "id")).collect()
}

/// Moves every record of the planned units, and the officers bound to them (their role as
/// `access::role_after_merger` says).
pub async fn apply(db: &impl ConnectionTrait, moves: &[UnitMove]) -> Result<Report, DbErr> {
    let now = Utc::now();
    let mut report = Report { units: moves.len(), ..Report::default() };
    for m in moves {
        for (table, column) in PLACED {
            let moved = ids(db, table, column, m.from_id).await?;
            if moved.is_empty() {
                continue;
            }
            let update = Query::update()
                .table(Alias::new(table))
                .values([
                    (Alias::new(column), m.to_id.into()),
                    (Alias::new("area_path"), m.to_path.clone().into()),
                    (Alias::new("updated_at"), now.into()),
                ])
                .and_where(Expr::col(Alias::new(column)).eq(m.from_id))
                .to_owned();
            db.execute(&update).await?;
            *report.moved.entry(table).or_default() += moved.len();
            if m.divided {
                report.to_confirm.extend(moved.into_iter().map(|id| ToConfirm {
                    table,
                    id,
                    from_code: m.from_code.clone(),
                    to_code: m.to_code.clone(),
                }));
            }
        }
        for table in BY_PATH {
            let moved = ids(db, table, "area_path", m.from_path.clone()).await?;
            if moved.is_empty() {
                continue;
            }
            let update = Query::update()
                .table(Alias::new(table))
                .values([(Alias::new("area_path"), m.to_path.clone().into())])
                .and_where(Expr::col(Alias::new("area_path")).eq(m.from_path.clone()))
                .to_owned();
            db.execute(&update).await?;
            *report.moved.entry(table).or_default() += moved.len();
        }
        let officers = user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .column(user::Column::Role)
            .filter(user::Column::AdminUnitId.eq(m.from_id))
            .into_tuple::<(Uuid, String)>()
            .all(db)
            .await?;
        for (id, role) in officers {
            let mut update = user::Entity::update_many()
                .col_expr(user::Column::AdminUnitId, Expr::value(m.to_id))
                .col_expr(user::Column::UpdatedAt, Expr::value(now))
                .filter(user::Column::Id.eq(id));
            if let (Ok(role), Ok(level)) = (role.parse::<Role>(), m.to_level.parse::<AdminLevel>()) {
                let after = role_after_merger(role, level);
                if after != role {
                    update = update.col_expr(user::Column::Role, Expr::value(after.as_str()));
                    report.officers_promoted += 1;
                }
            }
            update.exec(db).await?;
            *report.moved.entry("users").or_default() += 1;
        }
    }
    Ok(report)
}
