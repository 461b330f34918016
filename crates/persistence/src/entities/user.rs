use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub email: String,
    pub display_name: String,
    #[serde(skip)]
    pub display_name_folded: String,
    /// Never serialised: audit rows and logs must not carry password hashes.
    #[serde(skip)]
    pub password_hash: String,
    pub role: String,
    pub admin_unit_id: Option<Uuid>,
    /// The subject a producer account acts for.
    pub subject_id: Option<Uuid>,
    pub active: bool,
    pub password_changed_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::admin_unit::Entity",
        from = "Column::AdminUnitId",
        to = "super::admin_unit::Column::Id"
    )]
    AdminUnit,
}

impl Related<super::admin_unit::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AdminUnit.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
