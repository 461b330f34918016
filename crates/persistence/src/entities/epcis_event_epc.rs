use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "epcis_event_epcs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub event_row_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub epc: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
