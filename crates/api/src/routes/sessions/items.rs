//! The session board, the products placed on it, and one product with its sheets.

use actix_web::{get, post, web};
use ocop_persistence::{audit, classifications};
use serde::Deserialize;
use validator::Validate;

use super::*;
use crate::extract::ApiJson;

/// The session board / Bảng tổng hợp phiên họp.
///
/// Products × present members: who has a draft or has submitted, members' totals as far as
/// blind scoring allows, results and divergence flags.
#[utoipa::path(operation_id = "get_session", tag = "councils", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Session id")), responses(
    (status = 200, description = "The board", body = SessionBoard),
    (status = 404, description = "No such session, or not one of your councils'", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[get("/sessions/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<SessionBoard>> {
    let ctx = Ctx::load(&state, &user, id.into_inner()).await?;
    board(&state, &user, ctx).await.map(web::Json)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"application_ids": ["019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8ec0"]}))]
pub struct AddItems {
    /// Applications from the council's queue.
    #[validate(length(min = 1, max = 200))]
    pub application_ids: Vec<Uuid>,
}

/// The criteria set for a product: the most specific set of its classification version.
async fn criteria_set_for(state: &AppState, product_id: Uuid) -> ApiResult<Option<Uuid>> {
    let Some(product) = products::find(&state.db, product_id).await? else { return Ok(None) };
    let Some(node) = classifications::find_node(&state.db, product.classification_node_id).await? else {
        return Ok(None);
    };
    let Some(version) = classifications::find_version(&state.db, node.version_id).await? else { return Ok(None) };
    let mut best: Option<(usize, Uuid)> = None;
    for row in criteria_sets::of_version(&state.db, &version.code).await? {
        if let Some(score) = criteria_sets::parse(&row)?.applies(&version.code, &node.code)
            && best.is_none_or(|(b, _)| score > b)
        {
            best = Some((score, row.id));
        }
    }
    Ok(best.map(|(_, id)| id))
}

/// Place products on the session / Đưa sản phẩm vào phiên họp.
///
/// Each application must be in the council's queue; the criteria set is the most specific one
/// for the product's classification.
#[utoipa::path(operation_id = "add_session_items", tag = "councils", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Session id")), request_body = AddItems, responses(
    (status = 200, description = "Placed / Đã đưa vào phiên", body = SessionBoard),
    (status = 422, description = "Not in the queue, or no criteria set fits / Không có trong danh sách chờ", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/sessions/{id}/items")]
pub async fn add_items(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<AddItems>,
) -> ApiResult<web::Json<SessionBoard>> {
    let body = body.0;
    body.validate()?;
    let ctx = Ctx::load(&state, &user, id.into_inner()).await?;
    ocop_domain::access::check_manage_council(&user.actor(), &ctx.seat.council.area_path)?;
    let level = ctx.level()?;
    let waiting = councils::queue(&state.db, &ctx.seat.council, state.council_rules.entry() == level).await?;
    let mut placed = Vec::new();
    for (i, app_id) in body.application_ids.iter().enumerate() {
        let field = format!("application_ids[{i}]");
        let app = waiting.iter().find(|a| a.id == *app_id).ok_or_else(|| {
            ApiError::invalid_field(
                &field,
                "not_in_queue",
                "Hồ sơ không có trong danh sách chờ của hội đồng.",
                "Not in this council's queue.",
            )
        })?;
        let set = criteria_set_for(&state, app.product_id).await?.ok_or_else(|| {
            ApiError::invalid_field(
                &field,
                "no_criteria_set",
                "Chưa có bộ tiêu chí cho nhóm sản phẩm này.",
                "No criteria set applies to this product.",
            )
        })?;
        placed.push((app.clone(), set));
    }
    let txn = ocop_persistence::begin_write(&state.db).await?;
    for (app, criteria_set_id) in placed {
        let item = councils::insert_item(
            &txn,
            councils::NewItem {
                session_id: ctx.session.id,
                council_id: ctx.seat.council.id,
                application_id: app.id,
                product_id: app.product_id,
                criteria_set_id,
                level: level.as_str().to_owned(),
            },
        )
        .await?;
        crate::moves::by_scoring(
            &txn,
            &user,
            &app,
            ocop_domain::cycle::Action::PlaceInSession,
            Some(level.as_str()),
            None,
        )
        .await?;
        audit::record::<(), _>(&txn, &user.audit(), "session.add_item", "session_item", item.id, None, Some(&item))
            .await?;
    }
    txn.commit().await?;
    board(&state, &user, ctx).await.map(web::Json)
}

/// A product on a session with its criteria and sheets / Phiếu chấm điểm của một sản phẩm.
#[utoipa::path(operation_id = "get_session_item", tag = "councils", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Session item id")), responses(
    (status = 200, description = "The item", body = ItemDetail),
))]
#[get("/session-items/{id}")]
pub async fn get_item(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<ItemDetail>> {
    let ic = ItemCtx::load(&state, &user, id.into_inner()).await?;
    item_detail(&state, &user, ic).await.map(web::Json)
}
