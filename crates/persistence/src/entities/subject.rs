use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "subjects")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub legal_form: String,
    pub name: String,
    #[serde(skip)]
    pub name_folded: String,
    #[sea_orm(unique)]
    pub tax_code: String,
    pub representative: String,
    pub phone: String,
    pub email: Option<String>,
    pub address: String,
    pub commune_id: Uuid,
    pub area_path: String,
    pub founded_on: Option<Date>,
    pub members: Option<i32>,
    pub employees: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
