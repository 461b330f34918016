//! Trade events (fairs, exhibitions, consumer weeks): set up by admins and province officers,
//! listed publicly once published, with the subjects and products taking part.

use std::collections::HashMap;

use actix_web::{HttpResponse, get, post, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use ocop_domain::access::check_manage_programme;
use ocop_domain::calendar::vietnam_day;
use ocop_domain::promotion::{EventError, check_event};
use ocop_domain::text::fold;
use ocop_persistence::entities::{trade_event, trade_event_participant};
use ocop_persistence::{audit, products, subjects, trade_events};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::dto::ProductRef;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::paging::{Page, paging};
use crate::state::AppState;

/// A trade event.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8fa1", "name": "Hội chợ OCOP Quảng Ninh 2026", "kind": "fair",
    "starts_on": "2026-12-10", "ends_on": "2026-12-14", "place": "Cung Quy hoạch, Hội chợ và Triển lãm tỉnh, Hạ Long", "commune_id": null,
    "organiser": "Sở Công Thương", "description": "Hơn 300 gian hàng OCOP.", "booths": 300, "published": true, "updated_at": "2026-11-22T08:00:00Z"}))]
pub struct TradeEvent {
    pub id: Uuid,
    pub name: String,
    /// `fair`, `exhibition` or `consumer_week`.
    pub kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub place: String,
    pub commune_id: Option<Uuid>,
    pub organiser: String,
    pub description: Option<String>,
    pub booths: Option<i32>,
    pub published: bool,
    pub updated_at: DateTime<Utc>,
}

impl From<trade_event::Model> for TradeEvent {
    fn from(e: trade_event::Model) -> Self {
        Self {
            id: e.id,
            name: e.name,
            kind: e.kind,
            starts_on: e.starts_on,
            ends_on: e.ends_on,
            place: e.place,
            commune_id: e.commune_id,
            organiser: e.organiser,
            description: e.description,
            booths: e.booths,
            published: e.published,
            updated_at: e.updated_at,
        }
    }
}

/// A subject taking part, with its booth and the products it shows.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"subject_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e61", "subject_name": "Hợp tác xã Dược liệu Ba Chẽ", "booth": "A12",
    "products": [{"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e93", "code": "22-000-06970-002-2026", "name": "Trà hoa vàng Ba Chẽ"}]}))]
pub struct Participant {
    pub subject_id: Uuid,
    pub subject_name: String,
    pub booth: Option<String>,
    pub products: Vec<ProductRef>,
}

/// A trade event with its participants.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8fa1", "name": "Hội chợ OCOP Quảng Ninh 2026", "kind": "fair",
    "starts_on": "2026-12-10", "ends_on": "2026-12-14", "place": "Hạ Long", "commune_id": null, "organiser": "Sở Công Thương",
    "description": null, "booths": 300, "published": true, "updated_at": "2026-11-22T08:00:00Z", "participants": []}))]
pub struct TradeEventDetail {
    #[serde(flatten)]
    pub event: TradeEvent,
    pub participants: Vec<Participant>,
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only events still running on or after this day (default: today).
    pub ending_from: Option<NaiveDate>,
    /// Words in the name, without diacritics.
    #[validate(length(max = 100))]
    pub q: Option<String>,
    #[validate(range(min = 1, max = 200))]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// Published trade events, soonest first / Hội chợ, triển lãm, tuần hàng (công khai).
#[utoipa::path(operation_id = "list_trade_events", tag = "catalog", params(ListQuery), responses(
    (status = 200, description = "A page of events", body = Page<TradeEvent>),
))]
#[get("/trade-events")]
pub async fn list(state: web::Data<AppState>, query: web::Query<ListQuery>) -> ApiResult<web::Json<Page<TradeEvent>>> {
    query.validate()?;
    let filter = trade_events::Filter {
        published_only: true,
        ending_from: Some(query.ending_from.unwrap_or_else(|| vietnam_day(Utc::now()))),
        q: query.q.as_deref().map(fold),
    };
    let page = trade_events::list(&state.db, &filter, paging(query.limit, query.offset)?).await?;
    Ok(web::Json(Page::map(page, TradeEvent::from)))
}

async fn detail(state: &AppState, event: trade_event::Model) -> ApiResult<TradeEventDetail> {
    let rows = trade_events::participants(&state.db, event.id).await?;
    let subjects: HashMap<Uuid, String> = subjects::find_many(&state.db, rows.iter().map(|p| p.subject_id).collect())
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let shown: Vec<Vec<Uuid>> = rows.iter().map(|p| serde_json::from_str(&p.product_ids).unwrap_or_default()).collect();
    let products: HashMap<Uuid, ProductRef> = products::find_many(&state.db, shown.iter().flatten().copied().collect())
        .await?
        .into_iter()
        .map(|p| (p.id, ProductRef { id: p.id, code: p.code, name: p.name }))
        .collect();
    let participants = rows
        .into_iter()
        .zip(shown)
        .map(|(p, ids)| Participant {
            subject_name: subjects.get(&p.subject_id).cloned().unwrap_or_default(),
            subject_id: p.subject_id,
            booth: p.booth,
            products: ids.iter().filter_map(|id| products.get(id).cloned()).collect(),
        })
        .collect();
    Ok(TradeEventDetail { event: event.into(), participants })
}

/// One published trade event with its participants / Chi tiết hội chợ.
#[utoipa::path(operation_id = "get_trade_event", tag = "catalog", params(("id" = Uuid, Path, description = "Trade event id")), responses(
    (status = 200, description = "The event", body = TradeEventDetail),
    (status = 404, description = "No such published event", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[get("/trade-events/{id}")]
pub async fn get(state: web::Data<AppState>, id: web::Path<Uuid>) -> ApiResult<web::Json<TradeEventDetail>> {
    let event = trade_events::find(&state.db, id.into_inner())
        .await?
        .filter(|e| e.published)
        .ok_or_else(ApiError::not_found)?;
    detail(&state, event).await.map(web::Json)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"name": "Hội chợ OCOP Quảng Ninh 2026", "kind": "fair", "starts_on": "2026-12-10", "ends_on": "2026-12-14",
    "place": "Cung Quy hoạch, Hội chợ và Triển lãm tỉnh, Hạ Long", "commune_id": null, "organiser": "Sở Công Thương", "description": "Hơn 300 gian hàng OCOP.", "booths": 300, "published": true}))]
pub struct TradeEventInput {
    #[validate(length(min = 3, max = 300))]
    pub name: String,
    /// `fair`, `exhibition` or `consumer_week`.
    pub kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    #[validate(length(min = 2, max = 500))]
    pub place: String,
    pub commune_id: Option<Uuid>,
    #[validate(length(min = 2, max = 300))]
    pub organiser: String,
    #[validate(length(max = 5000))]
    pub description: Option<String>,
    #[validate(range(min = 0, max = 100000))]
    pub booths: Option<i32>,
    #[serde(default)]
    pub published: bool,
}

fn event_error(e: EventError) -> ApiError {
    match e {
        EventError::Kind => {
            ApiError::invalid_field("kind", "kind", "Loại sự kiện: fair, exhibition hoặc consumer_week.", e.to_string())
        }
        EventError::Dates => ApiError::invalid_field(
            "ends_on",
            "before_start",
            "Ngày kết thúc không được trước ngày bắt đầu.",
            e.to_string(),
        ),
    }
}

async fn save(
    state: &AppState,
    user: &AuthUser,
    body: TradeEventInput,
    existing: Option<trade_event::Model>,
) -> ApiResult<trade_event::Model> {
    check_manage_programme(&user.actor())?;
    body.validate()?;
    check_event(&body.kind, body.starts_on, body.ends_on).map_err(event_error)?;
    if let Some(commune) = body.commune_id
        && ocop_persistence::admin_units::find(&state.db, commune).await?.is_none()
    {
        return Err(ApiError::invalid_field(
            "commune_id",
            "not_found",
            "Không có đơn vị hành chính này.",
            "No such administrative unit.",
        ));
    }
    let now = Utc::now();
    let row = trade_event::Model {
        id: existing.as_ref().map_or_else(ocop_persistence::new_id, |e| e.id),
        name_folded: fold(&body.name),
        name: body.name.trim().to_owned(),
        kind: body.kind,
        starts_on: body.starts_on,
        ends_on: body.ends_on,
        place: body.place.trim().to_owned(),
        commune_id: body.commune_id,
        organiser: body.organiser.trim().to_owned(),
        description: body.description,
        booths: body.booths,
        published: body.published,
        created_at: existing.as_ref().map_or(now, |e| e.created_at),
        updated_at: now,
    };
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let saved = trade_events::save(&txn, row, existing.is_none()).await?;
    audit::record(&txn, &user.audit(), "trade_event.save", "trade_event", saved.id, existing.as_ref(), Some(&saved))
        .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Announce a trade event / Thêm hội chợ, triển lãm (admins, province officers).
#[utoipa::path(operation_id = "create_trade_event", tag = "catalog", security(("bearer" = [])), request_body = TradeEventInput, responses(
    (status = 201, description = "Created / Đã tạo", body = TradeEventDetail),
))]
#[post("/trade-events")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ApiJson<TradeEventInput>,
) -> ApiResult<HttpResponse> {
    let saved = save(&state, &user, body.0, None).await?;
    Ok(HttpResponse::Created().json(detail(&state, saved).await?))
}

/// Change a trade event / Sửa hội chợ.
#[utoipa::path(operation_id = "update_trade_event", tag = "catalog", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Trade event id")), request_body = TradeEventInput, responses(
    (status = 200, description = "Saved / Đã lưu", body = TradeEventDetail),
))]
#[put("/trade-events/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<TradeEventInput>,
) -> ApiResult<web::Json<TradeEventDetail>> {
    check_manage_programme(&user.actor())?;
    let found = trade_events::find(&state.db, id.into_inner()).await?.ok_or_else(ApiError::not_found)?;
    let saved = save(&state, &user, body.0, Some(found)).await?;
    detail(&state, saved).await.map(web::Json)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"subject_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e61", "booth": "A12", "product_ids": ["019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e93"]}))]
pub struct ParticipantInput {
    pub subject_id: Uuid,
    #[validate(length(max = 64))]
    pub booth: Option<String>,
    /// Products of that subject shown at the booth.
    #[serde(default)]
    #[validate(length(max = 100))]
    pub product_ids: Vec<Uuid>,
}

/// Add a participating subject / Thêm chủ thể tham gia (admins, province officers).
#[utoipa::path(operation_id = "add_trade_event_participant", tag = "catalog", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Trade event id")), request_body = ParticipantInput, responses(
    (status = 201, description = "Added / Đã thêm", body = TradeEventDetail),
    (status = 409, description = "Already taking part / Đã tham gia", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/trade-events/{id}/participants")]
pub async fn add_participant(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<ParticipantInput>,
) -> ApiResult<HttpResponse> {
    check_manage_programme(&user.actor())?;
    let body = body.0;
    body.validate()?;
    let event = trade_events::find(&state.db, id.into_inner()).await?.ok_or_else(ApiError::not_found)?;
    subjects::find(&state.db, body.subject_id).await?.ok_or_else(|| {
        ApiError::invalid_field("subject_id", "not_found", "Không tìm thấy chủ thể.", "No such subject.")
    })?;
    let shown = products::find_many(&state.db, body.product_ids.clone()).await?;
    if let Some(i) =
        body.product_ids.iter().position(|id| !shown.iter().any(|p| p.id == *id && p.subject_id == body.subject_id))
    {
        return Err(ApiError::invalid_field(
            &format!("product_ids[{i}]"),
            "not_of_subject",
            "Sản phẩm không thuộc chủ thể này.",
            "The product is not one of this subject's.",
        ));
    }
    if trade_events::participants(&state.db, event.id).await?.iter().any(|p| p.subject_id == body.subject_id) {
        return Err(ApiError::already_exists("Chủ thể đã tham gia sự kiện này.", "The subject already takes part."));
    }
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let added = trade_events::add_participant(
        &txn,
        trade_event_participant::Model {
            id: ocop_persistence::new_id(),
            event_id: event.id,
            subject_id: body.subject_id,
            booth: body.booth.map(|b| b.trim().to_owned()).filter(|b| !b.is_empty()),
            product_ids: ocop_persistence::to_json(&body.product_ids)?,
            created_at: Utc::now(),
        },
    )
    .await?;
    audit::record::<(), _>(
        &txn,
        &user.audit(),
        "trade_event.add_participant",
        "trade_event",
        event.id,
        None,
        Some(&added),
    )
    .await?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(detail(&state, event).await?))
}
