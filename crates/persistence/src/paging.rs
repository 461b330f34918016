use sea_orm::{ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QuerySelect, Select};

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

/// Counts the filtered rows, then fetches one ordered page of them.
pub async fn fetch_page<E: EntityTrait>(
    db: &impl ConnectionTrait,
    filtered: Select<E>,
    paging: Paging,
    order: impl FnOnce(Select<E>) -> Select<E>,
) -> Result<Paged<E::Model>, DbErr>
where
    E::Model: Send + Sync,
{
    let total = filtered.clone().count(db).await?;
    let items = order(filtered).limit(paging.limit).offset(paging.offset).all(db).await?;
    Ok(Paged { items, total })
}
