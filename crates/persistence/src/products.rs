//! Products.

use chrono::Utc;
use ocop_domain::access::Visibility;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait, Set,
};
use uuid::Uuid;

use crate::admin_units::prefix;
use crate::entities::product::{ActiveModel, Column, Entity, Model};
use crate::entities::{application, subject};
use crate::paging::{Direction, Paged, Paging, fetch_page};
use crate::subjects::{visibility_condition, words_condition};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Name,
    Code,
    CreatedAt,
}

#[derive(Debug, Clone)]
pub struct Filter {
    pub visibility: Visibility,
    /// Folded search words, matched in the product's name, its code and its subject's name.
    pub q: Option<String>,
    pub area_path: Option<String>,
    pub subject_id: Option<Uuid>,
    pub group_code: Option<String>,
    pub status: Option<String>,
    pub legal_form: Option<String>,
    /// With `stage`: products with an application in this cycle (at that stage).
    pub cycle_id: Option<Uuid>,
    pub stage: Option<String>,
}

fn condition(filter: &Filter) -> Condition {
    let mut cond = visibility_condition(&filter.visibility, (Entity, Column::SubjectId), (Entity, Column::AreaPath));
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        cond = cond.add(words_condition(q, &[Expr::col((Entity, Column::SearchFolded))]));
    }
    if let Some(path) = &filter.area_path {
        cond = cond.add(Expr::col((Entity, Column::AreaPath)).like(prefix(path)));
    }
    if let Some(id) = filter.subject_id {
        cond = cond.add(Column::SubjectId.eq(id));
    }
    if let Some(group) = &filter.group_code {
        cond = cond.add(Column::GroupCode.eq(group.as_str()));
    }
    if let Some(status) = &filter.status {
        cond = cond.add(Column::Status.eq(status.as_str()));
    }
    if let Some(form) = &filter.legal_form {
        cond = cond.add(subject::Column::LegalForm.eq(form.as_str()));
    }
    if filter.cycle_id.is_some() || filter.stage.is_some() {
        let mut sub = Query::select();
        sub.column(application::Column::ProductId).from(application::Entity);
        if let Some(cycle) = filter.cycle_id {
            sub.and_where(application::Column::CycleId.eq(cycle));
        }
        if let Some(stage) = &filter.stage {
            sub.and_where(application::Column::Stage.eq(stage.as_str()));
        }
        cond = cond.add(Column::Id.in_subquery(sub.to_owned()));
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
        SortKey::Code => Column::Code,
        SortKey::CreatedAt => Column::CreatedAt,
    };
    let select = Entity::find()
        .join(JoinType::InnerJoin, crate::entities::product::Relation::Subject.def())
        .filter(condition(filter));
    fetch_page(db, select, paging, |q| q.order_by(column, direction.into()).order_by_asc(Column::Id)).await
}

/// The ids of a subject's products.
pub async fn ids_of_subject(db: &impl ConnectionTrait, subject_id: Uuid) -> Result<Vec<Uuid>, DbErr> {
    Entity::find().select_only().column(Column::Id).filter(Column::SubjectId.eq(subject_id)).into_tuple().all(db).await
}

pub async fn find_by_gtin(db: &impl ConnectionTrait, gtin: &str) -> Result<Option<Model>, DbErr> {
    Entity::find().filter(Column::Gtin.eq(gtin)).one(db).await
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

pub async fn find_many(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<Vec<Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find().filter(Column::Id.is_in(ids)).all(db).await
}

pub async fn by_subject(db: &impl ConnectionTrait, subject_id: Uuid) -> Result<Vec<Model>, DbErr> {
    Entity::find().filter(Column::SubjectId.eq(subject_id)).order_by_asc(Column::Code).all(db).await
}

/// The next free sequence number for a commune and year.
pub async fn next_seq(db: &impl ConnectionTrait, commune_id: Uuid, year: i32) -> Result<i32, DbErr> {
    let last = Entity::find()
        .filter(Column::CommuneId.eq(commune_id))
        .filter(Column::CodeYear.eq(year))
        .order_by_desc(Column::CommuneSeq)
        .one(db)
        .await?;
    Ok(last.map_or(1, |p| p.commune_seq + 1))
}

/// A product's attributes as stored (already validated).
#[derive(Debug, Clone)]
pub struct ProductData {
    pub name: String,
    pub classification_node_id: Uuid,
    pub group_code: String,
    pub is_service: bool,
    pub description: Option<String>,
    pub story: Option<String>,
    pub gtin: Option<String>,
    pub unit: String,
    pub price_vnd: Option<i64>,
    pub status: String,
}

pub struct Placement {
    pub code: String,
    pub commune_seq: i32,
    pub code_year: i32,
    pub subject_id: Uuid,
    pub commune_id: Uuid,
    pub area_path: String,
}

/// What a search matches: the product's name and code and its subject's name, folded.
fn search_text(name: &str, code: &str, subject_name: &str) -> String {
    ocop_domain::text::fold(&format!("{name} {code} {subject_name}"))
}

pub async fn insert(
    db: &impl ConnectionTrait,
    placement: Placement,
    data: ProductData,
    subject_name: &str,
) -> Result<Model, DbErr> {
    let now = Utc::now();
    ActiveModel {
        search_folded: Set(search_text(&data.name, &placement.code, subject_name)),
        id: Set(crate::new_id()),
        code: Set(placement.code),
        commune_seq: Set(placement.commune_seq),
        code_year: Set(placement.code_year),
        name_folded: Set(ocop_domain::text::fold(&data.name)),
        name: Set(data.name),
        classification_node_id: Set(data.classification_node_id),
        group_code: Set(data.group_code),
        is_service: Set(data.is_service),
        subject_id: Set(placement.subject_id),
        commune_id: Set(placement.commune_id),
        area_path: Set(placement.area_path),
        description: Set(data.description),
        story: Set(data.story),
        gtin: Set(data.gtin),
        unit: Set(data.unit),
        price_vnd: Set(data.price_vnd),
        status: Set(data.status),
        photo_type: Set(None),
        photo_sha256: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// Replaces the editable attributes; the code, subject and commune are fixed.
pub async fn update(
    db: &impl ConnectionTrait,
    product: Model,
    data: ProductData,
    subject_name: &str,
) -> Result<Model, DbErr> {
    let search = search_text(&data.name, &product.code, subject_name);
    let mut active: ActiveModel = product.into();
    active.search_folded = Set(search);
    active.name_folded = Set(ocop_domain::text::fold(&data.name));
    active.name = Set(data.name);
    active.classification_node_id = Set(data.classification_node_id);
    active.group_code = Set(data.group_code);
    active.is_service = Set(data.is_service);
    active.description = Set(data.description);
    active.story = Set(data.story);
    active.gtin = Set(data.gtin);
    active.unit = Set(data.unit);
    active.price_vnd = Set(data.price_vnd);
    active.status = Set(data.status);
    active.updated_at = Set(Utc::now());
    active.update(db).await
}

/// Keeps the products' search text in step with a renamed subject.
pub async fn rename_subject(db: &impl ConnectionTrait, subject_id: Uuid, subject_name: &str) -> Result<(), DbErr> {
    for product in by_subject(db, subject_id).await? {
        let search = search_text(&product.name, &product.code, subject_name);
        let mut active: ActiveModel = product.into();
        active.search_folded = Set(search);
        active.update(db).await?;
    }
    Ok(())
}

/// Sets (or with `None` removes) the product's photo: its type and content hash.
pub async fn set_photo(
    db: &impl ConnectionTrait,
    product: Model,
    photo: Option<(String, String)>,
) -> Result<Model, DbErr> {
    let mut active: ActiveModel = product.into();
    let (kind, sha256) = photo.unzip();
    active.photo_type = Set(kind);
    active.photo_sha256 = Set(sha256);
    active.updated_at = Set(Utc::now());
    active.update(db).await
}

/// Certification changes a product's status (only the scoring module calls this).
pub async fn set_status(db: &impl ConnectionTrait, product: Model, status: &str) -> Result<Model, DbErr> {
    let mut active: ActiveModel = product.into();
    active.status = Set(status.to_owned());
    active.updated_at = Set(chrono::Utc::now());
    active.update(db).await
}
