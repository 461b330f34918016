//! One application and its moves through the cycle.

use super::*;

/// One application with its dossier / Chi tiết hồ sơ.
#[utoipa::path(operation_id = "get_application", tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Application id")), responses(
    (status = 200, description = "The application", body = ApplicationDetail),
))]
#[get("/applications/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<ApplicationDetail>> {
    let app = guard::application(&state, &user, id.into_inner(), Need::Read).await?;
    Ok(web::Json(detail(&state, &user, app).await?))
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"action": "return", "note": "Phương án chưa có kế hoạch tài chính"}))]
pub struct MoveInput {
    #[schema(schema_with = crate::schemas::action)]
    pub action: Action,
    /// Required when returning; kept in the history.
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

fn move_error(e: MoveError, kinds: &[document_kind::Model]) -> ApiError {
    match &e {
        MoveError::NotAllowedFrom { .. } => {
            ApiError::conflict("Không thể thực hiện thao tác này ở trạng thái hiện tại.", e.to_string())
        }
        MoveError::WrongParty => ApiError::forbidden(),
        MoveError::ReasonRequired => {
            ApiError::invalid_field("note", "required", "Cần nêu lý do trả lại hồ sơ.", e.to_string())
        }
        MoveError::DossierIncomplete { missing, needs_fix, pending } => {
            let join = |codes: &[String], vi: bool| {
                if codes.is_empty() {
                    return "—".to_owned();
                }
                let name = |code: &String| {
                    kinds
                        .iter()
                        .find(|k| &k.code == code)
                        .map_or(code.clone(), |k| if vi { k.name.clone() } else { k.name_en.clone() })
                };
                codes.iter().map(name).collect::<Vec<_>>().join("; ")
            };
            ApiError::conflict(
                format!(
                    "Hồ sơ chưa đủ. Chưa nộp: {}. Cần bổ sung: {}. Chưa thẩm định: {}.",
                    join(missing, true),
                    join(needs_fix, true),
                    join(pending, true)
                ),
                format!(
                    "The dossier is not complete. Not filed: {}. To fix: {}. Not yet accepted: {}.",
                    join(missing, false),
                    join(needs_fix, false),
                    join(pending, false)
                ),
            )
        }
    }
}

/// Move an application / Chuyển bước hồ sơ.
///
/// The moves, who may make them and the documents each needs are the domain's rules: the
/// producer submits the plan and the dossier for evaluation (every required document filed,
/// none awaiting a fix); an officer approves the plan (every required document accepted) or
/// returns the application one step with a reason.
#[utoipa::path(operation_id = "move_application", tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Application id")), request_body = MoveInput, responses(
    (status = 200, description = "Moved / Đã chuyển bước", body = ApplicationDetail),
    (status = 409, description = "Not possible from this state, or the dossier is incomplete / Không thể chuyển bước", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/applications/{id}/moves")]
pub async fn make_move(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<MoveInput>,
) -> ApiResult<web::Json<ApplicationDetail>> {
    let body = body.0;
    body.validate()?;
    let app = guard::application(&state, &user, id.into_inner(), Need::Manage).await?;
    let from: ApplicationStatus = app.status.parse().map_err(ApiError::internal)?;
    let note = body.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let (completeness, kinds) = match dossier_need(body.action, from) {
        DossierNeed::Nothing => (None, Vec::new()),
        DossierNeed::Filed(stage) | DossierNeed::Accepted(stage) => {
            let dossier = Dossier::load(&state.db, &app).await?;
            (Some(dossier.completeness(stage, app.is_service)), dossier.kinds)
        }
    };
    let to = check_move(body.action, from, party(&user.actor()), note, completeness.as_ref())
        .map_err(|e| move_error(e, &kinds))?;
    let returned_reason = (body.action == Action::Return).then(|| note.unwrap_or_default().to_owned());
    let txn = ocop_persistence::begin_write(&state.db).await?;
    // Only from the status it was read in: a concurrent move that came first wins.
    let moved = applications::move_status(&txn, app.clone(), to.as_str(), to.stage().as_str(), returned_reason)
        .await?
        .ok_or_else(|| {
            ApiError::conflict(
                "Hồ sơ vừa được người khác chuyển bước; hãy tải lại.",
                "The application was just moved by someone else; reload it.",
            )
        })?;
    let audit = user.audit();
    let by = applications::Mover { audit: &audit, id: user.id(), name: &user.user.display_name };
    applications::record_move(&txn, by, body.action.as_str(), &app, &moved, note.map(str::to_owned)).await?;
    txn.commit().await?;
    Ok(web::Json(detail(&state, &user, moved).await?))
}
