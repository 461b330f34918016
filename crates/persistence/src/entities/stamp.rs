use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "stamps")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub batch_id: Uuid,
    pub serial: i64,
    pub voided_at: Option<DateTimeUtc>,
    /// Scans written so far, added to in the transaction that writes them.
    pub scan_count: i64,
    /// When the latest written scan happened.
    pub last_scanned_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::batch::Entity", from = "Column::BatchId", to = "super::batch::Column::Id")]
    Batch,
}

impl Related<super::batch::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Batch.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
