use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A catalog event, written in the transaction of the change that raised it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "outbox_events")]
pub struct Model {
    /// Also the event id partners de-duplicate by.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `product.listed`, `product.updated` or `product.delisted`.
    pub kind: String,
    pub product_id: Uuid,
    /// What makes the event unique (an expiry is raised once, whoever notices it).
    pub dedup_key: String,
    /// The JSON body sent to subscribers.
    pub payload: String,
    pub created_at: DateTimeUtc,
    /// When deliveries were made for the subscriptions of that moment.
    pub dispatched_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
