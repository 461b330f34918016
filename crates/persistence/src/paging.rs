use sea_orm::sea_query::Expr;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, FromQueryResult, PaginatorTrait, QueryResult, QuerySelect, Select};

/// Limit/offset paging, already clamped by the caller.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub limit: u64,
    pub offset: u64,
}

/// A page of rows and the total number of matching rows.
#[derive(Debug)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Asc,
    Desc,
}

impl From<Direction> for sea_orm::Order {
    fn from(d: Direction) -> Self {
        match d {
            Direction::Asc => sea_orm::Order::Asc,
            Direction::Desc => sea_orm::Order::Desc,
        }
    }
}

const TOTAL: &str = "ocop_total_count";

/// A row of a page together with the number of all rows matching the filters.
struct Counted<M> {
    model: M,
    total: i64,
}

impl<M: FromQueryResult> FromQueryResult for Counted<M> {
    fn from_query_result(res: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        Ok(Self { model: M::from_query_result(res, pre)?, total: res.try_get(pre, TOTAL)? })
    }
}

/// One ordered page of the filtered rows and their total, in a single round trip: the total
/// rides along as `COUNT(*) OVER ()`. Only a page past the end (no rows to carry it) costs a
/// separate count.
pub async fn fetch_page<E: EntityTrait>(
    db: &impl ConnectionTrait,
    filtered: Select<E>,
    paging: Paging,
    order: impl FnOnce(Select<E>) -> Select<E>,
) -> Result<Paged<E::Model>, DbErr>
where
    E::Model: FromQueryResult + Send + Sync,
{
    let rows = order(filtered.clone())
        .expr_as(Expr::cust("COUNT(*) OVER ()"), TOTAL)
        .limit(paging.limit)
        .offset(paging.offset)
        .into_model::<Counted<E::Model>>()
        .all(db)
        .await?;
    let total = match rows.first() {
        Some(row) => u64::try_from(row.total).unwrap_or_default(),
        None if paging.offset == 0 => 0,
        None => filtered.count(db).await?,
    };
    Ok(Paged { items: rows.into_iter().map(|r| r.model).collect(), total })
}
