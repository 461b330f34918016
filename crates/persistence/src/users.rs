//! User accounts.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::admin_units::contains;
use crate::entities::user::{ActiveModel, Column, Entity, Model};
use crate::paging::{Direction, Paged, Paging, fetch_page};

pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub display_name_folded: String,
    pub password_hash: String,
    pub role: String,
    pub admin_unit_id: Option<Uuid>,
    pub subject_id: Option<Uuid>,
}

pub async fn insert(db: &impl ConnectionTrait, user: NewUser) -> Result<Model, DbErr> {
    let now = Utc::now();
    ActiveModel {
        id: Set(crate::new_id()),
        email: Set(user.email),
        display_name: Set(user.display_name),
        display_name_folded: Set(user.display_name_folded),
        password_hash: Set(user.password_hash),
        role: Set(user.role),
        admin_unit_id: Set(user.admin_unit_id),
        subject_id: Set(user.subject_id),
        active: Set(true),
        password_changed_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

/// The user with the unit it is bound to, in one query.
pub async fn find_with_unit(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<(Model, Option<crate::entities::admin_unit::Model>)>, DbErr> {
    Entity::find_by_id(id).find_also_related(crate::entities::admin_unit::Entity).one(db).await
}

/// The user with this e-mail and the unit they are bound to, in one query.
pub async fn find_by_email_with_unit(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<(Model, Option<crate::entities::admin_unit::Model>)>, DbErr> {
    Entity::find().filter(Column::Email.eq(email)).find_also_related(crate::entities::admin_unit::Entity).one(db).await
}

pub async fn find_by_email(db: &impl ConnectionTrait, email: &str) -> Result<Option<Model>, DbErr> {
    Entity::find().filter(Column::Email.eq(email)).one(db).await
}

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub q: Option<String>,
    pub role: Option<String>,
    pub admin_unit_id: Option<Uuid>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Email,
    Name,
    CreatedAt,
}

pub async fn list(
    db: &impl ConnectionTrait,
    filter: &Filter,
    sort: SortKey,
    direction: Direction,
    paging: Paging,
) -> Result<Paged<Model>, DbErr> {
    let mut cond = Condition::all();
    if let Some(q) = filter.q.as_deref().filter(|q| !q.is_empty()) {
        cond = cond.add(
            Condition::any().add(Column::DisplayNameFolded.like(contains(q))).add(Column::Email.like(contains(q))),
        );
    }
    if let Some(role) = &filter.role {
        cond = cond.add(Column::Role.eq(role.as_str()));
    }
    if let Some(unit) = filter.admin_unit_id {
        cond = cond.add(Column::AdminUnitId.eq(unit));
    }
    if let Some(active) = filter.active {
        cond = cond.add(Column::Active.eq(active));
    }
    let column = match sort {
        SortKey::Email => Column::Email,
        SortKey::Name => Column::DisplayNameFolded,
        SortKey::CreatedAt => Column::CreatedAt,
    };
    fetch_page(db, Entity::find().filter(cond), paging, |q| {
        q.order_by(column, direction.into()).order_by_asc(Column::Id)
    })
    .await
}

#[derive(Debug, Default)]
pub struct UserChanges {
    pub display_name: Option<(String, String)>,
    pub role: Option<String>,
    pub admin_unit_id: Option<Option<Uuid>>,
    pub subject_id: Option<Option<Uuid>>,
    pub active: Option<bool>,
    pub password_hash: Option<String>,
}

pub async fn update(db: &impl ConnectionTrait, user: Model, changes: UserChanges) -> Result<Model, DbErr> {
    let now = Utc::now();
    let mut active: ActiveModel = user.into();
    if let Some((name, folded)) = changes.display_name {
        active.display_name = Set(name);
        active.display_name_folded = Set(folded);
    }
    if let Some(role) = changes.role {
        active.role = Set(role);
    }
    if let Some(subject) = changes.subject_id {
        active.subject_id = Set(subject);
    }
    if let Some(unit) = changes.admin_unit_id {
        active.admin_unit_id = Set(unit);
    }
    if let Some(flag) = changes.active {
        active.active = Set(flag);
    }
    if let Some(hash) = changes.password_hash {
        active.password_hash = Set(hash);
        active.password_changed_at = Set(now);
    }
    active.updated_at = Set(now);
    active.update(db).await
}

pub async fn count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    Entity::find().count(db).await
}
