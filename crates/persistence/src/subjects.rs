//! OCOP subjects and their legal-form upgrades.

use chrono::{NaiveDate, Utc};
use ocop_domain::access::Visibility;
use sea_orm::sea_query::{Expr, ExprTrait, IntoColumnRef};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::admin_units::{contains, prefix};
use crate::entities::subject::{ActiveModel, Column, Entity, Model};
use crate::entities::subject_upgrade;
use crate::paging::{Direction, Paged, Paging, fetch_page};

/// Rows an actor may see, for any table with a subject and an area column.
pub fn visibility_condition(
    visibility: &Visibility,
    subject_column: impl IntoColumnRef,
    area_column: impl IntoColumnRef,
) -> Condition {
    match visibility {
        Visibility::All => Condition::all(),
        Visibility::Area(path) => Condition::all().add(Expr::col(area_column).like(prefix(path))),
        Visibility::Subject(id) => Condition::all().add(Expr::col(subject_column).eq(*id)),
        // The agenda of a council member is resolved by the applications query.
        Visibility::Nothing | Visibility::Agenda(_) => Condition::all().add(Expr::val(1).eq(0)),
    }
}

/// Every word of a folded query must appear in one of the columns ("cha muc ha long").
pub fn words_condition(q: &str, columns: &[Expr]) -> Condition {
    let mut all = Condition::all();
    for word in q.split_whitespace() {
        let mut any = Condition::any();
        for column in columns {
            any = any.add(column.clone().like(contains(word)));
        }
        all = all.add(any);
    }
    all
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Name,
    CreatedAt,
    TaxCode,
}

#[derive(Debug, Clone)]
pub struct Filter {
    pub visibility: Visibility,
    /// Folded search words.
    pub q: Option<String>,
    pub legal_form: Option<String>,
    /// Only subjects registered inside this unit.
    pub area_path: Option<String>,
}

fn condition(filter: &Filter) -> Condition {
    let mut cond = visibility_condition(&filter.visibility, Column::Id, Column::AreaPath);
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        cond = cond.add(words_condition(q, &[Expr::col(Column::NameFolded), Expr::col(Column::TaxCode)]));
    }
    if let Some(form) = &filter.legal_form {
        cond = cond.add(Column::LegalForm.eq(form.as_str()));
    }
    if let Some(path) = &filter.area_path {
        cond = cond.add(Column::AreaPath.like(prefix(path)));
    }
    cond
}

pub async fn list(
    db: &impl ConnectionTrait,
    filter: &Filter,
    sort: SortKey,
    direction: Direction,
    paging: Paging,
) -> Result<Paged<Model>, DbErr> {
    let column = match sort {
        SortKey::Name => Column::NameFolded,
        SortKey::CreatedAt => Column::CreatedAt,
        SortKey::TaxCode => Column::TaxCode,
    };
    fetch_page(db, Entity::find().filter(condition(filter)), paging, |q| {
        q.order_by(column, direction.into()).order_by_asc(Column::Id)
    })
    .await
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

pub async fn find_by_tax_code(db: &impl ConnectionTrait, tax_code: &str) -> Result<Option<Model>, DbErr> {
    Entity::find().filter(Column::TaxCode.eq(tax_code)).one(db).await
}

pub async fn find_by_tax_codes(db: &impl ConnectionTrait, codes: Vec<String>) -> Result<Vec<Model>, DbErr> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find().filter(Column::TaxCode.is_in(codes)).all(db).await
}

pub async fn find_many(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<Vec<Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find().filter(Column::Id.is_in(ids)).all(db).await
}

/// A subject's attributes as stored (already validated and normalised).
#[derive(Debug, Clone)]
pub struct SubjectData {
    pub legal_form: String,
    pub name: String,
    pub tax_code: String,
    pub representative: String,
    pub phone: String,
    pub email: Option<String>,
    pub address: String,
    pub commune_id: Uuid,
    pub area_path: String,
    pub founded_on: Option<NaiveDate>,
    pub members: Option<i32>,
    pub employees: Option<i32>,
}

pub async fn insert(db: &impl ConnectionTrait, data: SubjectData) -> Result<Model, DbErr> {
    let now = Utc::now();
    ActiveModel {
        id: Set(crate::new_id()),
        legal_form: Set(data.legal_form),
        name_folded: Set(ocop_domain::text::fold(&data.name)),
        name: Set(data.name),
        tax_code: Set(data.tax_code),
        representative: Set(data.representative),
        phone: Set(data.phone),
        email: Set(data.email),
        address: Set(data.address),
        commune_id: Set(data.commune_id),
        area_path: Set(data.area_path),
        founded_on: Set(data.founded_on),
        members: Set(data.members),
        employees: Set(data.employees),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// Replaces the editable attributes (the legal form changes only through an upgrade).
pub async fn update(db: &impl ConnectionTrait, subject: Model, data: SubjectData) -> Result<Model, DbErr> {
    if data.name != subject.name {
        crate::products::rename_subject(db, subject.id, &data.name).await?;
    }
    let mut active: ActiveModel = subject.into();
    active.name_folded = Set(ocop_domain::text::fold(&data.name));
    active.name = Set(data.name);
    active.tax_code = Set(data.tax_code);
    active.representative = Set(data.representative);
    active.phone = Set(data.phone);
    active.email = Set(data.email);
    active.address = Set(data.address);
    active.commune_id = Set(data.commune_id);
    active.area_path = Set(data.area_path);
    active.founded_on = Set(data.founded_on);
    active.members = Set(data.members);
    active.employees = Set(data.employees);
    active.updated_at = Set(Utc::now());
    active.update(db).await
}

pub async fn record_upgrade(
    db: &impl ConnectionTrait,
    subject: Model,
    to_form: &str,
    upgraded_on: NaiveDate,
    note: Option<String>,
    recorded_by: Uuid,
) -> Result<(Model, subject_upgrade::Model), DbErr> {
    let upgrade = subject_upgrade::ActiveModel {
        id: Set(crate::new_id()),
        subject_id: Set(subject.id),
        from_form: Set(subject.legal_form.clone()),
        to_form: Set(to_form.to_owned()),
        upgraded_on: Set(upgraded_on),
        note: Set(note),
        recorded_by: Set(Some(recorded_by)),
        recorded_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    let mut active: ActiveModel = subject.into();
    active.legal_form = Set(to_form.to_owned());
    active.updated_at = Set(Utc::now());
    Ok((active.update(db).await?, upgrade))
}

pub async fn upgrades(db: &impl ConnectionTrait, subject_id: Uuid) -> Result<Vec<subject_upgrade::Model>, DbErr> {
    subject_upgrade::Entity::find()
        .filter(subject_upgrade::Column::SubjectId.eq(subject_id))
        .order_by_asc(subject_upgrade::Column::UpgradedOn)
        .all(db)
        .await
}
