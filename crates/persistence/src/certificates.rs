//! OCOP certificates. The stored status is active, revoked or superseded; expiry is derived
//! from `valid_until` by the caller's date.

use chrono::{NaiveDate, Utc};
use ocop_domain::access::Visibility;
use ocop_domain::council::CertificateStatus;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::admin_units::prefix;
use crate::entities::certificate::{ActiveModel, Column, Entity, Model};
use crate::paging::{Paged, Paging, fetch_page};
use crate::subjects::visibility_condition;

#[derive(Debug, Clone)]
pub struct Filter {
    pub visibility: Visibility,
    pub product_id: Option<Uuid>,
    pub area_path: Option<String>,
    pub star: Option<i16>,
    /// `active`, `expired`, `revoked` or `superseded`, as of `today`.
    pub status: Option<String>,
    /// Active certificates whose validity ends on or before this day (and not before today).
    pub expiring_by: Option<NaiveDate>,
    pub today: NaiveDate,
}

fn condition(f: &Filter) -> Condition {
    let mut cond = visibility_condition(&f.visibility, (Entity, Column::SubjectId), (Entity, Column::AreaPath));
    if let Some(product) = f.product_id {
        cond = cond.add(Column::ProductId.eq(product));
    }
    if let Some(path) = &f.area_path {
        cond = cond.add(Column::AreaPath.like(prefix(path)));
    }
    if let Some(star) = f.star {
        cond = cond.add(Column::Star.eq(star));
    }
    match f.status.as_deref() {
        Some(s) if s == CertificateStatus::Active.as_str() => {
            cond = cond.add(Column::Status.eq(CertificateStatus::Active.as_str())).add(Column::ValidUntil.gte(f.today))
        }
        Some(s) if s == CertificateStatus::Expired.as_str() => {
            cond = cond.add(Column::Status.eq(CertificateStatus::Active.as_str())).add(Column::ValidUntil.lt(f.today))
        }
        Some(other) => cond = cond.add(Column::Status.eq(other)),
        None => {}
    }
    if let Some(by) = f.expiring_by {
        cond = cond
            .add(Column::Status.eq(CertificateStatus::Active.as_str()))
            .add(Column::ValidUntil.gte(f.today))
            .add(Column::ValidUntil.lte(by));
    }
    cond
}

pub async fn list(db: &impl ConnectionTrait, f: &Filter, paging: Paging) -> Result<Paged<Model>, DbErr> {
    let expiring = f.expiring_by.is_some();
    fetch_page(db, Entity::find().filter(condition(f)), paging, |q| {
        if expiring { q.order_by_asc(Column::ValidUntil) } else { q.order_by_desc(Column::DecisionDate) }
            .order_by_desc(Column::Id)
    })
    .await
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

pub async fn find_by_item(db: &impl ConnectionTrait, item_id: Uuid) -> Result<Option<Model>, DbErr> {
    Entity::find().filter(Column::ItemId.eq(item_id)).one(db).await
}

/// The certificates issued from these results.
pub async fn of_items(db: &impl ConnectionTrait, item_ids: Vec<Uuid>) -> Result<Vec<Model>, DbErr> {
    if item_ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find().filter(Column::ItemId.is_in(item_ids)).all(db).await
}

/// The certificates in force on `today` for these products (at most one each, as issuing
/// supersedes the earlier one).
pub async fn in_force(
    db: &impl ConnectionTrait,
    product_ids: Vec<Uuid>,
    today: NaiveDate,
) -> Result<Vec<Model>, DbErr> {
    if product_ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find()
        .filter(Column::ProductId.is_in(product_ids))
        .filter(Column::Status.eq(CertificateStatus::Active.as_str()))
        .filter(Column::ValidUntil.gte(today))
        .all(db)
        .await
}

/// Certificates of products, newest first.
pub async fn of_products(db: &impl ConnectionTrait, product_ids: Vec<Uuid>) -> Result<Vec<Model>, DbErr> {
    if product_ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find()
        .filter(Column::ProductId.is_in(product_ids))
        .order_by_desc(Column::DecisionDate)
        .order_by_desc(Column::Id)
        .all(db)
        .await
}

/// How many certificates carry a number starting with `number_prefix` (for the next number).
pub async fn count_numbered(db: &impl ConnectionTrait, number_prefix: &str) -> Result<u64, DbErr> {
    Entity::find().filter(Column::Number.like(format!("{number_prefix}%"))).count(db).await
}

pub struct NewCertificate {
    pub number: String,
    pub product_id: Uuid,
    pub application_id: Uuid,
    pub item_id: Uuid,
    pub subject_id: Uuid,
    pub area_path: String,
    pub star: i16,
    pub score_centi: i32,
    pub level: String,
    pub issuing_body: String,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub valid_until: NaiveDate,
    pub issued_by: Uuid,
}

pub async fn insert(db: &impl ConnectionTrait, n: NewCertificate) -> Result<Model, DbErr> {
    let now = Utc::now();
    ActiveModel {
        id: Set(crate::new_id()),
        number: Set(n.number),
        product_id: Set(n.product_id),
        application_id: Set(n.application_id),
        item_id: Set(n.item_id),
        subject_id: Set(n.subject_id),
        area_path: Set(n.area_path),
        star: Set(n.star),
        score_centi: Set(n.score_centi),
        level: Set(n.level),
        issuing_body: Set(n.issuing_body),
        decision_number: Set(n.decision_number),
        decision_date: Set(n.decision_date),
        valid_from: Set(n.decision_date),
        valid_until: Set(n.valid_until),
        status: Set("active".into()),
        revoked_reason: Set(None),
        revoked_at: Set(None),
        superseded_by: Set(None),
        issued_by: Set(Some(n.issued_by)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// Marks every other active certificate of the product superseded by `by`.
pub async fn supersede_others(db: &impl ConnectionTrait, product_id: Uuid, by: Uuid) -> Result<Vec<Uuid>, DbErr> {
    let previous: Vec<Uuid> = Entity::find()
        .filter(Column::ProductId.eq(product_id))
        .filter(Column::Status.eq(CertificateStatus::Active.as_str()))
        .filter(Column::Id.ne(by))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    if !previous.is_empty() {
        Entity::update_many()
            .col_expr(Column::Status, Expr::value("superseded"))
            .col_expr(Column::SupersededBy, Expr::value(by))
            .col_expr(Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(Column::Id.is_in(previous.clone()))
            .exec(db)
            .await?;
    }
    Ok(previous)
}

/// Revokes an active certificate; false if it was not active any more.
pub async fn revoke(db: &impl ConnectionTrait, id: Uuid, reason: String) -> Result<bool, DbErr> {
    let now = Utc::now();
    let result = Entity::update_many()
        .col_expr(Column::Status, Expr::value("revoked"))
        .col_expr(Column::RevokedReason, Expr::value(reason))
        .col_expr(Column::RevokedAt, Expr::value(now))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(CertificateStatus::Active.as_str()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Whether the product still holds an active certificate on `today`.
pub async fn has_active(db: &impl ConnectionTrait, product_id: Uuid, today: NaiveDate) -> Result<bool, DbErr> {
    Ok(Entity::find()
        .filter(Column::ProductId.eq(product_id))
        .filter(Column::Status.eq(CertificateStatus::Active.as_str()))
        .filter(Column::ValidUntil.gte(today))
        .count(db)
        .await?
        > 0)
}
