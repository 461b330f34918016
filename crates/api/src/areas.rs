//! The administrative area a request names or implies, loaded and checked against the caller.

use std::collections::HashMap;

use ocop_domain::access::check_view_programme;
use ocop_persistence::admin_units;
use ocop_persistence::entities::admin_unit;
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::dto::AdminUnitRef;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The materialised path of an area filter.
pub async fn area_path(state: &AppState, area_id: Option<Uuid>) -> ApiResult<Option<String>> {
    match area_id {
        Some(id) => Ok(Some(
            admin_units::find(&state.db, id)
                .await?
                .ok_or_else(|| {
                    ApiError::invalid_field(
                        "area_id",
                        "not_found",
                        "Không tìm thấy đơn vị.",
                        "The unit does not exist.",
                    )
                })?
                .path,
        )),
        None => Ok(None),
    }
}

/// References to the units of a page of rows, in one query.
pub async fn unit_refs(state: &AppState, ids: Vec<Uuid>) -> ApiResult<HashMap<Uuid, AdminUnitRef>> {
    Ok(admin_units::find_many(&state.db, ids).await?.into_iter().map(|u| (u.id, AdminUnitRef::from(u))).collect())
}

/// The area a query names by code (default: the caller's unit, or the province), which the
/// caller must be allowed to see.
pub async fn area_of(state: &AppState, user: &AuthUser, code: Option<&str>) -> ApiResult<admin_unit::Model> {
    let found = match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => admin_units::find_by_code(&state.db, code).await?,
        None => match &user.unit {
            Some(unit) => Some(unit.clone()),
            None => admin_units::root(&state.db).await?,
        },
    };
    let area = found.ok_or_else(|| {
        ApiError::invalid_field("area", "not_found", "Không có đơn vị hành chính mã này.", "No unit has this code.")
    })?;
    check_view_programme(&user.actor(), &area.path)?;
    Ok(area)
}

/// The unit a body names by id (default: the caller's unit, or the province), which the caller
/// must be allowed to plan for.
pub async fn unit_or_own(state: &AppState, user: &AuthUser, id: Option<Uuid>) -> ApiResult<admin_unit::Model> {
    let found = match id {
        Some(id) => admin_units::find(&state.db, id).await?,
        None => match &user.unit {
            Some(unit) => Some(unit.clone()),
            None => admin_units::root(&state.db).await?,
        },
    };
    let area = found.ok_or_else(|| {
        ApiError::invalid_field("area_id", "not_found", "Không tìm thấy đơn vị hành chính.", "No such unit.")
    })?;
    check_view_programme(&user.actor(), &area.path)?;
    Ok(area)
}
