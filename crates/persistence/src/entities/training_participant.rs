use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "training_participants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub course_id: Uuid,
    /// `official`, `leader` or `worker`.
    pub kind: String,
    pub full_name: String,
    /// Who the person is, unique per course: the official's account, or subject and folded name.
    #[serde(skip)]
    pub person_key: String,
    /// An official's account.
    pub user_id: Option<Uuid>,
    /// The subject a leader or worker belongs to.
    pub subject_id: Option<Uuid>,
    /// The official's unit, or the subject's commune.
    pub area_path: String,
    pub attended: bool,
    pub completed: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
