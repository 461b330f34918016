//! Loading registry objects on behalf of a caller: the object is found, then the caller's
//! right to it is checked by the domain rules. Producers asking for another subject's object
//! get 404, as if it did not exist; officers outside their area get 403.

use ocop_domain::access::{
    Owner, check_manage_council, check_manage_registry, check_read_application, check_read_council,
    check_read_registry, check_review,
};
use ocop_domain::account::Role;
use ocop_persistence::entities::{application, product, subject};
use ocop_persistence::{applications, councils, products, subjects};
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// See the registry record.
    Read,
    /// Change it, or see and file its dossier.
    Manage,
    /// Review its dossier (officers).
    Review,
}

fn check(user: &AuthUser, owner: Owner<'_>, need: Need) -> ApiResult<()> {
    let actor = user.actor();
    match need {
        Need::Read => check_read_registry(&actor, owner),
        Need::Manage => check_manage_registry(&actor, owner),
        Need::Review => check_review(&actor, owner),
    }
    .map_err(Into::into)
}

pub async fn subject(state: &AppState, user: &AuthUser, id: Uuid, need: Need) -> ApiResult<subject::Model> {
    let found = subjects::find(&state.db, id).await?.ok_or_else(ApiError::not_found)?;
    check(user, Owner { subject_id: found.id, area_path: &found.area_path }, need)?;
    Ok(found)
}

pub async fn product(state: &AppState, user: &AuthUser, id: Uuid, need: Need) -> ApiResult<product::Model> {
    let found = products::find(&state.db, id).await?.ok_or_else(ApiError::not_found)?;
    check(user, Owner { subject_id: found.subject_id, area_path: &found.area_path }, need)?;
    Ok(found)
}

pub async fn application(state: &AppState, user: &AuthUser, id: Uuid, need: Need) -> ApiResult<application::Model> {
    let found = applications::find(&state.db, id).await?.ok_or_else(ApiError::not_found)?;
    let owner = Owner { subject_id: found.subject_id, area_path: &found.area_path };
    if need == Need::Read {
        let on_agenda = user.role == Role::CouncilMember
            && councils::on_agenda_of(&state.db, found.id, councils::councils_of_user(&state.db, user.id()).await?)
                .await?;
        check_read_application(&user.actor(), owner, on_agenda)?;
    } else {
        check(user, owner, need)?;
    }
    Ok(found)
}

/// Whether the caller reviews this application's documents (for the UI).
pub fn may_review(user: &AuthUser, app: &application::Model) -> bool {
    check(user, Owner { subject_id: app.subject_id, area_path: &app.area_path }, Need::Review).is_ok()
}

/// A council and the caller's relation to it, once the caller may see it.
pub struct CouncilSeat {
    pub council: ocop_persistence::entities::council::Model,
    pub member: Option<ocop_persistence::entities::council_member::Model>,
    pub can_manage: bool,
}

pub async fn council(state: &AppState, user: &AuthUser, id: Uuid) -> ApiResult<CouncilSeat> {
    let found = councils::find(&state.db, id).await?.ok_or_else(ApiError::not_found)?;
    let member = councils::member_of(&state.db, found.id, user.id()).await?;
    let actor = user.actor();
    check_read_council(&actor, &found.area_path, member.is_some()).map_err(|_| ApiError::not_found())?;
    let can_manage = check_manage_council(&actor, &found.area_path).is_ok();
    Ok(CouncilSeat { council: found, member, can_manage })
}
