//! Programme targets and the facts their actual values are counted from.

use chrono::{NaiveDate, Utc};
use ocop_domain::council::CertificateStatus;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use crate::admin_units::prefix;
use crate::entities::{certificate, programme_target as target, subject, subject_upgrade};

/// The targets of these areas for the period ending in `period_end`.
pub async fn targets(
    db: &impl ConnectionTrait,
    period_end: i32,
    areas: Vec<Uuid>,
) -> Result<Vec<target::Model>, DbErr> {
    if areas.is_empty() {
        return Ok(Vec::new());
    }
    target::Entity::find()
        .filter(target::Column::PeriodEnd.eq(period_end))
        .filter(target::Column::AreaUnitId.is_in(areas))
        .all(db)
        .await
}

pub async fn find_target(
    db: &impl ConnectionTrait,
    area: Uuid,
    period_end: i32,
    indicator: &str,
) -> Result<Option<target::Model>, DbErr> {
    target::Entity::find()
        .filter(target::Column::AreaUnitId.eq(area))
        .filter(target::Column::PeriodEnd.eq(period_end))
        .filter(target::Column::Indicator.eq(indicator))
        .one(db)
        .await
}

pub async fn save_target(db: &impl ConnectionTrait, row: target::Model, is_new: bool) -> Result<target::Model, DbErr> {
    let active = row.into_active_model().reset_all();
    if is_new { active.insert(db).await } else { active.update(db).await }
}

/// A certificate issued in the period inside the area.
pub struct Recognition {
    pub product_id: Uuid,
    pub area_path: String,
    pub star: i16,
    /// The product held no certificate before the period.
    pub first: bool,
}

/// The certificates issued from `from` to `to` inside `within` (revoked ones excluded).
pub async fn recognitions(
    db: &impl ConnectionTrait,
    within: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Recognition>, DbErr> {
    let rows: Vec<(Uuid, String, i16)> = certificate::Entity::find()
        .select_only()
        .column(certificate::Column::ProductId)
        .column(certificate::Column::AreaPath)
        .column(certificate::Column::Star)
        .filter(certificate::Column::AreaPath.like(prefix(within)))
        .filter(certificate::Column::DecisionDate.gte(from))
        .filter(certificate::Column::DecisionDate.lte(to))
        .filter(certificate::Column::Status.ne(CertificateStatus::Revoked.as_str()))
        .into_tuple()
        .all(db)
        .await?;
    let earlier: std::collections::HashSet<Uuid> = certificate::Entity::find()
        .select_only()
        .column(certificate::Column::ProductId)
        .filter(certificate::Column::AreaPath.like(prefix(within)))
        .filter(certificate::Column::DecisionDate.lt(from))
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|(product_id, area_path, star)| Recognition {
            first: !earlier.contains(&product_id),
            product_id,
            area_path,
            star,
        })
        .collect())
}

/// The area paths of the subjects upgraded from `from` to `to` inside `within`, once per upgrade.
pub async fn upgrades(
    db: &impl ConnectionTrait,
    within: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<String>, DbErr> {
    let upgraded: Vec<Uuid> = subject_upgrade::Entity::find()
        .select_only()
        .column(subject_upgrade::Column::SubjectId)
        .filter(subject_upgrade::Column::UpgradedOn.gte(from))
        .filter(subject_upgrade::Column::UpgradedOn.lte(to))
        .into_tuple()
        .all(db)
        .await?;
    if upgraded.is_empty() {
        return Ok(Vec::new());
    }
    let paths: std::collections::HashMap<Uuid, String> = subject::Entity::find()
        .select_only()
        .column(subject::Column::Id)
        .column(subject::Column::AreaPath)
        .filter(subject::Column::Id.is_in(upgraded.clone()))
        .filter(subject::Column::AreaPath.like(prefix(within)))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(upgraded.iter().filter_map(|id| paths.get(id).cloned()).collect())
}

/// A target row for the demo and for tests.
pub fn new_target(
    area: (Uuid, String),
    period: (i32, i32),
    indicator: &str,
    value: f64,
    source: Option<String>,
) -> target::Model {
    let now = Utc::now();
    target::Model {
        id: crate::new_id(),
        area_unit_id: area.0,
        area_path: area.1,
        period_start: period.0,
        period_end: period.1,
        indicator: indicator.to_owned(),
        value,
        source,
        created_at: now,
        updated_at: now,
    }
}
