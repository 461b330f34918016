//! The catalog's queries: listed products (a certificate of 3★ or more in force) and what the
//! change feed needs.

use chrono::{DateTime, NaiveDate, Utc};
use ocop_domain::council::CertificateStatus;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::admin_units::prefix;
use crate::entities::{certificate, product};
use crate::subjects::words_condition;

#[derive(Debug, Clone)]
pub struct Filter {
    pub today: NaiveDate,
    /// At least this star (3 or more).
    pub min_star: i16,
    /// Top-level product group.
    pub group_code: Option<String>,
    /// Products made inside this unit.
    pub area_path: Option<String>,
    /// Folded words in the name, code or subject.
    pub q: Option<String>,
    /// Products or certificates changed since.
    pub updated_since: Option<DateTime<Utc>>,
    /// Cursor: ids after this one.
    pub after: Option<Uuid>,
    pub limit: u64,
}

fn in_force(today: NaiveDate, min_star: i16) -> Condition {
    Condition::all()
        .add(certificate::Column::Status.eq(CertificateStatus::Active.as_str()))
        .add(certificate::Column::ValidUntil.gte(today))
        .add(certificate::Column::Star.gte(min_star))
}

/// A page of listed products, by id (stable cursor order); one more than `limit` tells that
/// another page follows.
pub async fn list(db: &impl ConnectionTrait, f: &Filter) -> Result<Vec<product::Model>, DbErr> {
    // Correlated: walking products in id order, each is checked by the certificates' product
    // index, and the walk stops at the page's end (an `IN` list would read every listed
    // certificate first).
    let mut listed = Query::select();
    listed
        .expr(Expr::val(1))
        .from(certificate::Entity)
        .and_where(
            Expr::col((certificate::Entity, certificate::Column::ProductId))
                .equals((product::Entity, product::Column::Id)),
        )
        .cond_where(in_force(f.today, f.min_star));
    let mut cond = Condition::all().add(Expr::exists(listed));
    if let Some(group) = &f.group_code {
        cond = cond.add(product::Column::GroupCode.eq(group.as_str()));
    }
    if let Some(path) = &f.area_path {
        cond = cond.add(product::Column::AreaPath.like(prefix(path)));
    }
    if let Some(q) = f.q.as_deref().filter(|q| !q.trim().is_empty()) {
        cond = cond.add(words_condition(q, &[Expr::col((product::Entity, product::Column::SearchFolded))]));
    }
    if let Some(since) = f.updated_since {
        let mut certified = Query::select();
        certified
            .column(certificate::Column::ProductId)
            .from(certificate::Entity)
            .and_where(certificate::Column::CreatedAt.gte(since));
        cond = cond.add(
            Condition::any()
                .add(product::Column::UpdatedAt.gte(since))
                .add(Expr::col((product::Entity, product::Column::Id)).in_subquery(certified)),
        );
    }
    if let Some(after) = f.after {
        cond = cond.add(product::Column::Id.gt(after));
    }
    product::Entity::find().filter(cond).order_by_asc(product::Column::Id).limit(f.limit + 1).all(db).await
}

/// Every certificate of the products whose certificates were issued, revoked or reached their
/// end in `(since, now]` (the feed needs each product's whole history to tell a renewal from a
/// listing).
pub async fn certificates_touched(
    db: &impl ConnectionTrait,
    since: DateTime<Utc>,
    today: NaiveDate,
) -> Result<Vec<certificate::Model>, DbErr> {
    let since_day = since.date_naive().pred_opt().unwrap_or(since.date_naive());
    let touched = Condition::any()
        .add(certificate::Column::CreatedAt.gt(since))
        .add(certificate::Column::RevokedAt.gt(since))
        .add(
            Condition::all()
                .add(certificate::Column::ValidUntil.gte(since_day))
                .add(certificate::Column::ValidUntil.lt(today)),
        );
    let products: Vec<Uuid> = certificate::Entity::find()
        .select_only()
        .column(certificate::Column::ProductId)
        .filter(touched)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    if products.is_empty() {
        return Ok(Vec::new());
    }
    certificate::Entity::find().filter(certificate::Column::ProductId.is_in(products)).all(db).await
}

/// Products edited in `(since, now]` that hold a certificate in force, with their edit time.
pub async fn edited_listed(
    db: &impl ConnectionTrait,
    since: DateTime<Utc>,
    today: NaiveDate,
) -> Result<Vec<(product::Model, Vec<certificate::Model>)>, DbErr> {
    let mut listed = Query::select();
    listed.column(certificate::Column::ProductId).from(certificate::Entity).cond_where(in_force(today, 3));
    let products = product::Entity::find()
        .filter(product::Column::UpdatedAt.gt(since))
        .filter(Expr::col((product::Entity, product::Column::Id)).in_subquery(listed))
        .all(db)
        .await?;
    let certificates = certificate::Entity::find()
        .filter(certificate::Column::ProductId.is_in(products.iter().map(|p| p.id).collect::<Vec<_>>()))
        .all(db)
        .await?;
    Ok(products
        .into_iter()
        .map(|p| {
            let own = certificates.iter().filter(|c| c.product_id == p.id).cloned().collect();
            (p, own)
        })
        .collect())
}

/// What the catalog shows changes only when one of these does: the latest change of a
/// product, a subject, a certificate or an administrative unit, and the next expiry of a
/// certificate in force (which also moves when one is backdated). With `today`, a cheap,
/// index-served key for pages built earlier, shared by every server instance.
pub async fn fingerprint(db: &impl ConnectionTrait, today: NaiveDate) -> Result<String, DbErr> {
    let sql = format!(
        "SELECT CAST((SELECT MAX(updated_at) FROM products) AS TEXT), \
         CAST((SELECT MAX(updated_at) FROM subjects) AS TEXT), \
         CAST((SELECT MAX(updated_at) FROM certificates) AS TEXT), \
         CAST((SELECT MAX(updated_at) FROM admin_units) AS TEXT), \
         CAST((SELECT MIN(valid_until) FROM certificates WHERE status = 'active' AND valid_until >= '{today}') AS TEXT)",
        today = today.format("%Y-%m-%d")
    );
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("catalog fingerprint".into()))?;
    let mut out = today.format("%Y-%m-%d").to_string();
    for i in 0..5 {
        out.push('|');
        out.push_str(&row.try_get_by_index::<Option<String>>(i)?.unwrap_or_default());
    }
    Ok(out)
}

/// Active certificates that ended between `from` and yesterday, of products holding no other
/// certificate in force: their expiry delists the product.
pub async fn lapsed(
    db: &impl ConnectionTrait,
    from: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<certificate::Model>, DbErr> {
    let mut still_listed = Query::select();
    still_listed.column(certificate::Column::ProductId).from(certificate::Entity).cond_where(in_force(today, 1));
    certificate::Entity::find()
        .filter(certificate::Column::Status.eq(CertificateStatus::Active.as_str()))
        .filter(certificate::Column::ValidUntil.gte(from))
        .filter(certificate::Column::ValidUntil.lt(today))
        .filter(certificate::Column::Star.gte(3))
        .filter(Expr::col((certificate::Entity, certificate::Column::ProductId)).not_in_subquery(still_listed))
        .all(db)
        .await
}

/// The place and star of every listed product (from its certificate in force).
pub async fn listed_places(db: &impl ConnectionTrait, today: NaiveDate) -> Result<Vec<(String, i16)>, DbErr> {
    certificate::Entity::find()
        .select_only()
        .column(certificate::Column::AreaPath)
        .column(certificate::Column::Star)
        .filter(in_force(today, 3))
        .into_tuple()
        .all(db)
        .await
}

/// How many listed products each top-level product group has.
pub async fn listed_groups(db: &impl ConnectionTrait, today: NaiveDate) -> Result<Vec<(String, i64)>, DbErr> {
    let mut listed = Query::select();
    listed.column(certificate::Column::ProductId).from(certificate::Entity).cond_where(in_force(today, 3));
    product::Entity::find()
        .select_only()
        .column(product::Column::GroupCode)
        .column_as(product::Column::Id.count(), "n")
        .filter(Expr::col((product::Entity, product::Column::Id)).in_subquery(listed))
        .group_by(product::Column::GroupCode)
        .order_by_asc(product::Column::GroupCode)
        .into_tuple()
        .all(db)
        .await
}
