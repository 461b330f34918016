//! The programme's budget lines.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use crate::admin_units::prefix;
use crate::entities::budget_line as line;
use crate::paging::{Paged, Paging, fetch_page};

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub within: Option<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub source: Option<String>,
    pub activity: Option<String>,
}

fn condition(f: &Filter) -> Condition {
    let mut cond = Condition::all();
    if let Some(path) = &f.within {
        cond = cond.add(line::Column::AreaPath.like(prefix(path)));
    }
    if let Some(y) = f.year_from {
        cond = cond.add(line::Column::Year.gte(y));
    }
    if let Some(y) = f.year_to {
        cond = cond.add(line::Column::Year.lte(y));
    }
    if let Some(s) = &f.source {
        cond = cond.add(line::Column::Source.eq(s.as_str()));
    }
    if let Some(a) = &f.activity {
        cond = cond.add(line::Column::Activity.eq(a.as_str()));
    }
    cond
}

pub async fn list(db: &impl ConnectionTrait, f: &Filter, paging: Paging) -> Result<Paged<line::Model>, DbErr> {
    fetch_page(db, line::Entity::find().filter(condition(f)), paging, |q| {
        q.order_by_desc(line::Column::Year).order_by_asc(line::Column::Source).order_by_asc(line::Column::Id)
    })
    .await
}

/// Every line the filter matches (for totals and reports).
pub async fn all(db: &impl ConnectionTrait, f: &Filter) -> Result<Vec<line::Model>, DbErr> {
    line::Entity::find()
        .filter(condition(f))
        .order_by_asc(line::Column::Year)
        .order_by_asc(line::Column::Source)
        .order_by_asc(line::Column::Activity)
        .all(db)
        .await
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<line::Model>, DbErr> {
    line::Entity::find_by_id(id).one(db).await
}

pub async fn save(db: &impl ConnectionTrait, row: line::Model, is_new: bool) -> Result<line::Model, DbErr> {
    let active = row.into_active_model().reset_all();
    if is_new { active.insert(db).await } else { active.update(db).await }
}
