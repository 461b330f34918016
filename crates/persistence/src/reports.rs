//! The rows the standard reports are counted from, each loaded for an area (its path prefix).

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::admin_units::prefix;
use crate::entities::{application, certificate, cycle, product, subject, training_course};

/// Products of the area (optionally of one group): id, area path, group code.
pub async fn products(
    db: &impl ConnectionTrait,
    within: &str,
    group: Option<&str>,
) -> Result<Vec<(Uuid, String, String)>, DbErr> {
    let mut q = product::Entity::find()
        .select_only()
        .column(product::Column::Id)
        .column(product::Column::AreaPath)
        .column(product::Column::GroupCode)
        .filter(product::Column::AreaPath.like(prefix(within)));
    if let Some(g) = group {
        q = q.filter(product::Column::GroupCode.eq(g));
    }
    q.into_tuple().all(db).await
}

/// Certificates of the area decided from `from` to `to`, oldest first.
pub async fn certificates(
    db: &impl ConnectionTrait,
    within: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<certificate::Model>, DbErr> {
    certificate::Entity::find()
        .filter(certificate::Column::AreaPath.like(prefix(within)))
        .filter(certificate::Column::DecisionDate.gte(from))
        .filter(certificate::Column::DecisionDate.lte(to))
        .order_by_asc(certificate::Column::DecisionDate)
        .order_by_asc(certificate::Column::Number)
        .all(db)
        .await
}

/// Subjects of the area: id, area path, legal form.
pub async fn subjects(db: &impl ConnectionTrait, within: &str) -> Result<Vec<(Uuid, String, String)>, DbErr> {
    subject::Entity::find()
        .select_only()
        .column(subject::Column::Id)
        .column(subject::Column::AreaPath)
        .column(subject::Column::LegalForm)
        .filter(subject::Column::AreaPath.like(prefix(within)))
        .into_tuple()
        .all(db)
        .await
}

/// Applications of the area in the cycles of these years: area path, group, stage, status, year.
pub async fn applications(
    db: &impl ConnectionTrait,
    within: &str,
    years: (i32, i32),
) -> Result<Vec<(String, String, String, String, i32)>, DbErr> {
    let cycles: Vec<(Uuid, i32)> = cycle::Entity::find()
        .select_only()
        .column(cycle::Column::Id)
        .column(cycle::Column::Year)
        .filter(cycle::Column::Year.gte(years.0))
        .filter(cycle::Column::Year.lte(years.1))
        .into_tuple()
        .all(db)
        .await?;
    if cycles.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(String, String, String, String, Uuid)> = application::Entity::find()
        .select_only()
        .column(application::Column::AreaPath)
        .column(application::Column::GroupCode)
        .column(application::Column::Stage)
        .column(application::Column::Status)
        .column(application::Column::CycleId)
        .filter(application::Column::AreaPath.like(prefix(within)))
        .filter(application::Column::CycleId.is_in(cycles.iter().map(|c| c.0).collect::<Vec<_>>()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(path, group, stage, status, cycle)| {
            let year = cycles.iter().find(|c| c.0 == cycle).map_or(0, |c| c.1);
            (path, group, stage, status, year)
        })
        .collect())
}

/// Courses organised inside the area that ended from `from` to `to`.
pub async fn courses(
    db: &impl ConnectionTrait,
    within: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<training_course::Model>, DbErr> {
    training_course::Entity::find()
        .filter(training_course::Column::AreaPath.like(prefix(within)))
        .filter(training_course::Column::EndsOn.gte(from))
        .filter(training_course::Column::EndsOn.lte(to))
        .order_by_asc(training_course::Column::StartsOn)
        .all(db)
        .await
}
