//! Training courses, their participants, and the facts training coverage is counted from.

use chrono::NaiveDate;
use ocop_domain::account::Role;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::admin_units::prefix;
use crate::entities::{admin_unit, subject, training_course as course, training_participant as participant, user};
use crate::paging::{Paged, Paging, fetch_page};
use crate::subjects::words_condition;

#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Courses organised inside this area, or by a unit above it (a province course concerns
    /// every district).
    pub visible_from: Option<String>,
    pub ending_from: Option<NaiveDate>,
    pub ending_to: Option<NaiveDate>,
    pub q: Option<String>,
}

pub async fn list(db: &impl ConnectionTrait, f: &Filter, paging: Paging) -> Result<Paged<course::Model>, DbErr> {
    let mut cond = Condition::all();
    if let Some(path) = &f.visible_from {
        cond = cond.add(
            Condition::any()
                .add(course::Column::AreaPath.like(prefix(path)))
                .add(course::Column::AreaPath.is_in(ancestors(path))),
        );
    }
    if let Some(day) = f.ending_from {
        cond = cond.add(course::Column::EndsOn.gte(day));
    }
    if let Some(day) = f.ending_to {
        cond = cond.add(course::Column::EndsOn.lte(day));
    }
    if let Some(q) = f.q.as_deref().filter(|q| !q.trim().is_empty()) {
        cond = cond.add(words_condition(q, &[Expr::col(course::Column::TitleFolded)]));
    }
    fetch_page(db, course::Entity::find().filter(cond), paging, |q| {
        q.order_by_desc(course::Column::StartsOn).order_by_asc(course::Column::Id)
    })
    .await
}

/// `/22/193/` → [`/22/`]: the paths of the units above.
fn ancestors(path: &str) -> Vec<String> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    (1..parts.len()).map(|n| format!("/{}/", parts[..n].join("/"))).collect()
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<course::Model>, DbErr> {
    course::Entity::find_by_id(id).one(db).await
}

pub async fn save(db: &impl ConnectionTrait, row: course::Model, is_new: bool) -> Result<course::Model, DbErr> {
    let active = row.into_active_model().reset_all();
    if is_new { active.insert(db).await } else { active.update(db).await }
}

pub async fn participants(db: &impl ConnectionTrait, course_id: Uuid) -> Result<Vec<participant::Model>, DbErr> {
    participant::Entity::find()
        .filter(participant::Column::CourseId.eq(course_id))
        .order_by_asc(participant::Column::Kind)
        .order_by_asc(participant::Column::FullName)
        .all(db)
        .await
}

/// The participants of several courses at once.
pub async fn participants_of(
    db: &impl ConnectionTrait,
    course_ids: Vec<Uuid>,
) -> Result<Vec<participant::Model>, DbErr> {
    if course_ids.is_empty() {
        return Ok(Vec::new());
    }
    participant::Entity::find().filter(participant::Column::CourseId.is_in(course_ids)).all(db).await
}

pub async fn find_participant(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<participant::Model>, DbErr> {
    participant::Entity::find_by_id(id).one(db).await
}

pub async fn find_by_person(
    db: &impl ConnectionTrait,
    course_id: Uuid,
    person_key: &str,
) -> Result<Option<participant::Model>, DbErr> {
    participant::Entity::find()
        .filter(participant::Column::CourseId.eq(course_id))
        .filter(participant::Column::PersonKey.eq(person_key))
        .one(db)
        .await
}

pub async fn save_participant(
    db: &impl ConnectionTrait,
    row: participant::Model,
    is_new: bool,
) -> Result<participant::Model, DbErr> {
    let active = row.into_active_model().reset_all();
    if is_new { active.insert(db).await } else { active.update(db).await }
}

pub async fn remove_participant(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    participant::Entity::delete_by_id(id).exec(db).await.map(|_| ())
}

/// A completed participation in a course that ended in the period.
pub struct Completion {
    pub kind: String,
    pub person_key: String,
    pub area_path: String,
}

pub async fn completions(
    db: &impl ConnectionTrait,
    within: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Completion>, DbErr> {
    let courses: Vec<Uuid> = course::Entity::find()
        .select_only()
        .column(course::Column::Id)
        .filter(course::Column::EndsOn.gte(from))
        .filter(course::Column::EndsOn.lte(to))
        .into_tuple()
        .all(db)
        .await?;
    if courses.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(String, String, String)> = participant::Entity::find()
        .select_only()
        .column(participant::Column::Kind)
        .column(participant::Column::PersonKey)
        .column(participant::Column::AreaPath)
        .filter(participant::Column::CourseId.is_in(courses))
        .filter(participant::Column::Completed.eq(true))
        .filter(participant::Column::AreaPath.like(prefix(within)))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(kind, person_key, area_path)| Completion { kind, person_key, area_path }).collect())
}

/// Who there is to train inside an area: officials (active officer accounts, by their unit's
/// path) and subjects (path and number of workers).
pub struct Bases {
    pub officials: Vec<String>,
    pub subjects: Vec<(String, u64)>,
}

pub async fn bases(db: &impl ConnectionTrait, within: &str) -> Result<Bases, DbErr> {
    let units: std::collections::HashMap<Uuid, String> = admin_unit::Entity::find()
        .select_only()
        .column(admin_unit::Column::Id)
        .column(admin_unit::Column::Path)
        .filter(admin_unit::Column::Path.like(prefix(within)))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let officers: Vec<Option<Uuid>> = user::Entity::find()
        .select_only()
        .column(user::Column::AdminUnitId)
        .filter(user::Column::Active.eq(true))
        .filter(
            user::Column::Role
                .is_in([Role::ProvinceOfficer, Role::DistrictOfficer, Role::CommuneOfficer].map(Role::as_str)),
        )
        .into_tuple()
        .all(db)
        .await?;
    let subjects: Vec<(String, Option<i32>)> = subject::Entity::find()
        .select_only()
        .column(subject::Column::AreaPath)
        .column(subject::Column::Employees)
        .filter(subject::Column::AreaPath.like(prefix(within)))
        .into_tuple()
        .all(db)
        .await?;
    Ok(Bases {
        officials: officers.into_iter().flatten().filter_map(|unit| units.get(&unit).cloned()).collect(),
        subjects: subjects
            .into_iter()
            .map(|(path, employees)| (path, u64::try_from(employees.unwrap_or(0)).unwrap_or(0)))
            .collect(),
    })
}
