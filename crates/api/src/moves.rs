//! Application moves made by the scoring workflow (placing on a session, ranking, forwarding,
//! reopening, certifying): the domain's check, the conditional update, then the history and
//! audit step every move shares.

use ocop_domain::cycle::{Action, ApplicationStatus, Party, check_move};
use ocop_persistence::entities::application;
use ocop_persistence::{DatabaseTransaction, applications, councils};

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, ErrorCode};

/// Moves an application by the scoring workflow, refusing if it moved meanwhile.
pub async fn by_scoring(
    txn: &DatabaseTransaction,
    user: &AuthUser,
    app: &application::Model,
    action: Action,
    evaluation_level: Option<&str>,
    note: Option<String>,
) -> ApiResult<application::Model> {
    let from: ApplicationStatus = app.status.parse().map_err(ApiError::internal)?;
    let to = check_move(action, from, Party::Scoring, None, None).map_err(|e| {
        ApiError::new(ErrorCode::InvalidTransition)
            .with_message("Hồ sơ không ở trạng thái phù hợp cho thao tác này.", e.to_string())
    })?;
    let moved =
        councils::move_application(txn, app.id, from.as_str(), to.as_str(), to.stage().as_str(), evaluation_level)
            .await?
            .ok_or_else(|| {
                ApiError::changed_meanwhile(
                    "Hồ sơ vừa được người khác chuyển bước; hãy tải lại.",
                    "The application just moved; reload it.",
                )
            })?;
    let audit = user.audit();
    let by = applications::Mover { audit: &audit, id: user.id(), name: &user.user.display_name };
    applications::record_move(txn, by, action.as_str(), app, &moved, note).await?;
    Ok(moved)
}
