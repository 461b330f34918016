//! Administrative units: the province → district → commune tree.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::LikeExpr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use ocop_domain::admin_unit::{AdminLevel, UnitFacts, UnknownAdminLevel};

use crate::entities::admin_unit::{self, ActiveModel, Column, Entity, Model};
use crate::paging::{Direction, Paged, Paging, fetch_page};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Code,
    Name,
    Level,
}

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub parent_id: Option<Uuid>,
    pub level: Option<String>,
    /// Folded search text, matched anywhere in the folded name or as a code prefix.
    pub q: Option<String>,
    /// Only units inside this materialised path (inclusive).
    pub within_path: Option<String>,
    /// Retired units (with `valid_to` in the past) are left out unless asked for.
    pub include_retired: bool,
    pub today: Option<NaiveDate>,
}

pub(crate) fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

pub(crate) fn contains(text: &str) -> LikeExpr {
    LikeExpr::new(format!("%{}%", escape_like(text))).escape('\\')
}

pub(crate) fn prefix(text: &str) -> LikeExpr {
    LikeExpr::new(format!("{}%", escape_like(text))).escape('\\')
}

fn condition(filter: &Filter) -> Condition {
    let mut cond = Condition::all();
    if let Some(parent) = filter.parent_id {
        cond = cond.add(Column::ParentId.eq(parent));
    }
    if let Some(level) = &filter.level {
        cond = cond.add(Column::Level.eq(level.as_str()));
    }
    if let Some(q) = filter.q.as_deref().filter(|q| !q.is_empty()) {
        cond = cond.add(Condition::any().add(Column::NameFolded.like(contains(q))).add(Column::Code.like(prefix(q))));
    }
    if let Some(path) = &filter.within_path {
        cond = cond.add(Column::Path.like(prefix(path)));
    }
    if !filter.include_retired {
        let today = filter.today.unwrap_or_else(|| Utc::now().date_naive());
        cond = cond.add(Condition::any().add(Column::ValidTo.is_null()).add(Column::ValidTo.gt(today)));
    }
    cond
}

pub async fn list(
    db: &impl ConnectionTrait,
    filter: &Filter,
    sort: SortKey,
    direction: Direction,
    paging: Paging,
) -> Result<Paged<Model>, DbErr> {
    let column = match sort {
        SortKey::Code => Column::Code,
        SortKey::Name => Column::NameFolded,
        SortKey::Level => Column::Level,
    };
    fetch_page(db, Entity::find().filter(condition(filter)), paging, |q| {
        q.order_by(column, direction.into()).order_by_asc(Column::Code)
    })
    .await
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

/// The unit with this code: the current one, else the one retired last (a code may be held by a
/// retired unit of the legacy structure and a current one).
pub async fn find_by_code(db: &impl ConnectionTrait, code: &str) -> Result<Option<Model>, DbErr> {
    let units = Entity::find().filter(Column::Code.eq(code)).all(db).await?;
    Ok(units.into_iter().max_by_key(|u| (u.valid_to.is_none(), u.valid_to)))
}

/// The unit and all units below it, ordered by path (parents before children).
pub async fn subtree(db: &impl ConnectionTrait, path: &str, include_retired: bool) -> Result<Vec<Model>, DbErr> {
    let filter = Filter { within_path: Some(path.to_owned()), include_retired, ..Filter::default() };
    Entity::find().filter(condition(&filter)).order_by_asc(Column::Path).all(db).await
}

pub async fn count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    Entity::find().count(db).await
}

pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub name_folded: String,
    pub kind: String,
    pub level: String,
    pub parent_id: Option<Uuid>,
    pub path: String,
    pub valid_from: Option<NaiveDate>,
}

pub async fn insert(db: &impl ConnectionTrait, unit: NewUnit) -> Result<Model, DbErr> {
    let now = Utc::now();
    ActiveModel {
        id: Set(crate::new_id()),
        code: Set(unit.code),
        name: Set(unit.name),
        name_folded: Set(unit.name_folded),
        kind: Set(unit.kind),
        level: Set(unit.level),
        parent_id: Set(unit.parent_id),
        path: Set(unit.path),
        valid_from: Set(unit.valid_from),
        valid_to: Set(None),
        replaced_by_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The editable attributes; the code, level and place in the tree are fixed at creation
/// (a merge is a retirement with `replaced_by`, not a move).
pub struct UnitChanges {
    pub name: Option<(String, String)>,
    pub kind: Option<String>,
    pub valid_from: Option<Option<NaiveDate>>,
}

pub async fn update(db: &impl ConnectionTrait, unit: Model, changes: UnitChanges) -> Result<Model, DbErr> {
    let mut active: ActiveModel = unit.into();
    if let Some((name, folded)) = changes.name {
        active.name = Set(name);
        active.name_folded = Set(folded);
    }
    if let Some(kind) = changes.kind {
        active.kind = Set(kind);
    }
    if let Some(valid_from) = changes.valid_from {
        active.valid_from = Set(valid_from);
    }
    active.updated_at = Set(Utc::now());
    active.update(db).await
}

pub async fn retire(
    db: &impl ConnectionTrait,
    unit: Model,
    valid_to: NaiveDate,
    replaced_by: Option<Uuid>,
) -> Result<Model, DbErr> {
    let mut active: ActiveModel = unit.into();
    active.valid_to = Set(Some(valid_to));
    active.replaced_by_id = Set(replaced_by);
    active.updated_at = Set(Utc::now());
    active.update(db).await
}

/// Keeps a unit's imported boundary (GeoJSON geometry text, replacing any earlier one) and makes
/// the unit's box the boundary's; the centroid stays.
pub async fn set_boundary(
    db: &impl ConnectionTrait,
    unit: Model,
    geometry: String,
    positions: usize,
    bbox: ocop_domain::geo::Bbox,
) -> Result<Model, DbErr> {
    use crate::entities::admin_unit_boundary as boundary;
    let now = Utc::now();
    boundary::Entity::delete_by_id(unit.id).exec(db).await?;
    boundary::ActiveModel {
        unit_id: Set(unit.id),
        geometry: Set(geometry),
        positions: Set(i32::try_from(positions).unwrap_or(i32::MAX)),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    let mut active: ActiveModel = unit.into();
    active.min_lon = Set(Some(bbox.min_lon));
    active.min_lat = Set(Some(bbox.min_lat));
    active.max_lon = Set(Some(bbox.max_lon));
    active.max_lat = Set(Some(bbox.max_lat));
    active.updated_at = Set(now);
    active.update(db).await
}

/// The imported boundaries (GeoJSON geometry text) of these units, by unit.
pub async fn boundaries(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<HashMap<Uuid, String>, DbErr> {
    use crate::entities::admin_unit_boundary as boundary;
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = boundary::Entity::find().filter(boundary::Column::UnitId.is_in(ids)).all(db).await?;
    Ok(rows.into_iter().map(|b| (b.unit_id, b.geometry)).collect())
}

/// The current units with these codes, by code (one query).
pub async fn current_by_codes(db: &impl ConnectionTrait, codes: Vec<String>) -> Result<HashMap<String, Model>, DbErr> {
    if codes.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = Entity::find().filter(Column::Code.is_in(codes)).filter(Column::ValidTo.is_null()).all(db).await?;
    Ok(rows.into_iter().map(|u| (u.code.clone(), u)).collect())
}

/// Units that still have current (not retired) children.
pub async fn has_current_children(db: &impl ConnectionTrait, id: Uuid, today: NaiveDate) -> Result<bool, DbErr> {
    let n = Entity::find()
        .filter(admin_unit::Column::ParentId.eq(id))
        .filter(Condition::any().add(Column::ValidTo.is_null()).add(Column::ValidTo.gt(today)))
        .count(db)
        .await?;
    Ok(n > 0)
}

pub async fn find_many(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<Vec<Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find().filter(Column::Id.is_in(ids)).all(db).await
}

/// The province at the top of the tree (the first current one by code).
pub async fn root(db: &impl ConnectionTrait) -> Result<Option<Model>, DbErr> {
    Entity::find()
        .filter(Column::Level.eq(AdminLevel::Province.as_str()))
        .filter(Column::ValidTo.is_null())
        .order_by_asc(Column::Code)
        .one(db)
        .await
}

/// The current units directly below a unit, by code.
pub async fn children(db: &impl ConnectionTrait, id: Uuid) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::ParentId.eq(id))
        .filter(Column::ValidTo.is_null())
        .order_by_asc(Column::Code)
        .all(db)
        .await
}

/// A stored unit as the domain's rules see it (its level parsed once, here).
pub fn facts(unit: &Model) -> Result<UnitFacts, UnknownAdminLevel> {
    Ok(UnitFacts { level: unit.level.parse()?, retired: unit.valid_to.is_some() })
}

/// Whether a stored unit is a current commune (the domain's rule).
pub fn is_current_commune(unit: &Model) -> bool {
    facts(unit).is_ok_and(UnitFacts::is_current_commune)
}

/// Current communes by code, for imports.
pub async fn communes_by_code(db: &impl ConnectionTrait) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::Level.eq(AdminLevel::Commune.as_str()))
        .filter(Column::ValidTo.is_null())
        .all(db)
        .await
}
