//! Applications: a product's entry into a cycle year, the moves through the cycle's stages
//! with their history, and the product's dossier for that year (documents, reviews,
//! completeness).

pub mod documents;
pub mod list;
pub mod moves;
pub mod register;

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use ocop_domain::access::{application_visibility, party};
use ocop_domain::cycle::{
    Action, ApplicationStatus, DossierNeed, MoveError, Party, Stage, check_move, dossier_need, is_overdue, moves_from,
};
use ocop_domain::dossier::{Completeness, FiledDocument, KindRule, Review, completeness, safe_file_name};
use ocop_domain::text::fold;
use ocop_persistence::entities::{application, application_event, cycle_stage, document, document_kind};
use ocop_persistence::{applications, audit, classifications, cycles, products};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::areas::area_path;
use crate::auth::AuthUser;
use crate::dto::DocumentKind;
use crate::dto::ProductRef;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::ApiJson;
use crate::files::{private_download, read_multipart, sha256_hex, sniff, storage_key};
use crate::guard::{self, Need};
use crate::paging::{Page, paging};
use crate::sheets::{Cell, EXPORT_ROWS, ExportFormat, Table, download};
use crate::state::AppState;

/// An application: one product in one cycle year.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8ec0", "cycle_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8eb0",
    "product": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e90", "code": "22-000-06688-001-2026", "name": "Chả mực Hạ Long"},
    "subject_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e60", "group_code": "1",
    "status": "plan_submitted", "stage": "business_plan", "dossier_version": 1, "returned_reason": null,
    "status_changed_at": "2026-06-02T03:00:00Z", "deadline": "2026-06-30", "overdue": false, "created_at": "2026-04-02T03:00:00Z",
    "allowed_moves": ["approve_plan", "return"]
}))]
pub struct Application {
    pub id: Uuid,
    pub cycle_id: Uuid,
    pub product: Option<ProductRef>,
    pub subject_id: Uuid,
    pub group_code: String,
    #[schema(schema_with = crate::schemas::application_status)]
    pub status: String,
    #[schema(schema_with = crate::schemas::stage)]
    pub stage: String,
    /// 1 for a product's first dossier; one more at each re-evaluation.
    pub dossier_version: i32,
    /// Why an officer last sent it back (cleared by the next forward move).
    pub returned_reason: Option<String>,
    /// The council level whose queue a forwarded application waits in.
    pub evaluation_level: Option<String>,
    pub status_changed_at: DateTime<Utc>,
    /// Deadline of the current stage.
    pub deadline: Option<NaiveDate>,
    pub overdue: bool,
    pub created_at: DateTime<Utc>,
    /// Moves the caller may attempt now (the dossier is checked when the move is made).
    #[schema(schema_with = crate::schemas::actions)]
    pub allowed_moves: Vec<String>,
}

struct Context {
    products: HashMap<Uuid, ProductRef>,
    deadlines: HashMap<(Uuid, String), Option<NaiveDate>>,
    today: NaiveDate,
    /// The caller's side, or `None` when they only read (council members).
    party: Option<Party>,
}

impl Context {
    async fn load(state: &AppState, user: &AuthUser, rows: &[application::Model]) -> ApiResult<Self> {
        let products = products::find_many(&state.db, rows.iter().map(|a| a.product_id).collect())
            .await?
            .into_iter()
            .map(|p| (p.id, ProductRef { id: p.id, code: p.code, name: p.name }))
            .collect();
        let mut cycle_ids: Vec<Uuid> = rows.iter().map(|a| a.cycle_id).collect();
        cycle_ids.sort();
        cycle_ids.dedup();
        let deadlines = cycles::stages_of(&state.db, cycle_ids)
            .await?
            .into_iter()
            .map(|s: cycle_stage::Model| ((s.cycle_id, s.stage), s.deadline))
            .collect();
        let actor = user.actor();
        let party = (actor.role != ocop_domain::account::Role::CouncilMember).then(|| party(&actor));
        Ok(Self { products, deadlines, today: Utc::now().date_naive(), party })
    }

    fn application(&self, a: application::Model) -> Application {
        let deadline = self.deadlines.get(&(a.cycle_id, a.stage.clone())).copied().flatten();
        let allowed_moves = match (self.party, a.status.parse::<ApplicationStatus>()) {
            (Some(party), Ok(status)) => moves_from(status, party).into_iter().map(|m| m.as_str().to_owned()).collect(),
            _ => Vec::new(),
        };
        Application {
            allowed_moves,
            id: a.id,
            cycle_id: a.cycle_id,
            product: self.products.get(&a.product_id).cloned(),
            subject_id: a.subject_id,
            group_code: a.group_code,
            status: a.status,
            stage: a.stage,
            dossier_version: a.dossier_version,
            returned_reason: a.returned_reason,
            evaluation_level: a.evaluation_level,
            status_changed_at: a.status_changed_at,
            deadline,
            overdue: is_overdue(deadline, self.today),
            created_at: a.created_at,
        }
    }
}

/// One move in an application's history.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8ed0", "action": "return", "from_status": "plan_submitted", "to_status": "idea_registered", "note": "Phương án chưa có kế hoạch tài chính", "actor_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e12", "actor_name": "Cán bộ phường Hạ Long (demo)", "occurred_at": "2026-06-03T02:00:00Z"}))]
pub struct ApplicationEvent {
    pub id: Uuid,
    /// `register`, one of the moves, or `seed`.
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: Option<String>,
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    pub occurred_at: DateTime<Utc>,
}

impl From<application_event::Model> for ApplicationEvent {
    fn from(e: application_event::Model) -> Self {
        Self {
            id: e.id,
            action: e.action,
            from_status: e.from_status,
            to_status: e.to_status,
            note: e.note,
            actor_id: e.actor_id,
            actor_name: e.actor_name,
            occurred_at: e.occurred_at,
        }
    }
}

/// A document of a dossier.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8ee0", "application_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8ec0",
    "kind_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8ea0", "kind_code": "business_plan", "file_name": "Phương án SXKD 2026.pdf",
    "content_type": "application/pdf", "size_bytes": 482113, "sha256": "9f2c…", "review": "needs_fix",
    "review_comment": "Thiếu kế hoạch tài chính 3 năm", "reviewed_at": "2026-06-03T02:00:00Z",
    "uploaded_at": "2026-06-01T02:00:00Z", "carried_from_id": null, "superseded_at": null
}))]
pub struct Document {
    pub id: Uuid,
    pub application_id: Uuid,
    pub kind_id: Uuid,
    pub kind_code: String,
    /// The uploaded name, without any path.
    pub file_name: String,
    /// Sniffed from the content.
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    #[schema(schema_with = crate::schemas::review)]
    pub review: String,
    pub review_comment: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub uploaded_at: DateTime<Utc>,
    /// The document of the previous dossier version this one was carried from.
    pub carried_from_id: Option<Uuid>,
    /// Set when a newer file replaced this one.
    pub superseded_at: Option<DateTime<Utc>>,
}

fn document_dto(d: document::Model, kinds: &HashMap<Uuid, document_kind::Model>) -> Document {
    Document {
        id: d.id,
        application_id: d.application_id,
        kind_id: d.kind_id,
        kind_code: kinds.get(&d.kind_id).map(|k| k.code.clone()).unwrap_or_default(),
        file_name: d.file_name,
        content_type: d.content_type,
        size_bytes: d.size_bytes,
        sha256: d.sha256,
        review: d.review,
        review_comment: d.review_comment,
        reviewed_at: d.reviewed_at,
        uploaded_at: d.uploaded_at,
        carried_from_id: d.carried_from_id,
        superseded_at: d.superseded_at,
    }
}

/// How complete the dossier is for one stage (lists of kind codes).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"stage": "business_plan", "required": ["idea_registration_form", "business_plan", "organisation_profile", "business_registration"], "accepted": ["idea_registration_form"], "pending": ["business_plan", "organisation_profile"], "needs_fix": [], "missing": ["business_registration"], "filed": false, "complete": false}))]
pub struct StageCompleteness {
    #[schema(schema_with = crate::schemas::stage)]
    pub stage: Stage,
    pub required: Vec<String>,
    pub accepted: Vec<String>,
    pub pending: Vec<String>,
    pub needs_fix: Vec<String>,
    pub missing: Vec<String>,
    /// Everything required is filed and nothing awaits a fix.
    pub filed: bool,
    /// Everything required is accepted.
    pub complete: bool,
}

impl StageCompleteness {
    fn new(stage: Stage, c: Completeness) -> Self {
        Self {
            stage,
            filed: c.is_filed(),
            complete: c.is_accepted(),
            required: c.required,
            accepted: c.accepted,
            pending: c.pending,
            needs_fix: c.needs_fix,
            missing: c.missing,
        }
    }
}

/// An application with its history, dossier, completeness and the caller's possible moves.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8ec0", "cycle_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8eb0",
    "product": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e90", "code": "22-000-06688-001-2026", "name": "Chả mực Hạ Long"},
    "subject_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e60", "group_code": "1",
    "status": "idea_registered", "stage": "idea_registration", "dossier_version": 1, "returned_reason": null,
    "status_changed_at": "2026-04-02T03:00:00Z", "deadline": "2026-04-30", "overdue": false, "created_at": "2026-04-02T03:00:00Z",
    "allowed_moves": ["submit_plan"], "history": [], "documents": [], "document_kinds": [], "completeness": [], "can_review": false
}))]
pub struct ApplicationDetail {
    #[serde(flatten)]
    pub application: Application,
    pub history: Vec<ApplicationEvent>,
    /// Every document, replaced ones included (with `superseded_at`).
    pub documents: Vec<Document>,
    /// The kinds of this cycle's classification version.
    pub document_kinds: Vec<DocumentKind>,
    /// For idea registration, business plan and evaluation.
    pub completeness: Vec<StageCompleteness>,
    /// Whether the caller reviews documents here.
    pub can_review: bool,
}

/// The dossier as the completeness rules see it.
struct Dossier {
    kinds: Vec<document_kind::Model>,
    current: Vec<document::Model>,
}

/// The document kinds of an application's cycle.
async fn cycle_kinds(
    db: &impl ocop_persistence::ConnectionTrait,
    app: &application::Model,
) -> ApiResult<Vec<document_kind::Model>> {
    let cycle = cycles::find(db, app.cycle_id).await?.ok_or_else(|| ApiError::internal("cycle missing"))?;
    Ok(classifications::kinds(db, cycle.classification_version_id).await?)
}

impl Dossier {
    async fn load(db: &impl ocop_persistence::ConnectionTrait, app: &application::Model) -> ApiResult<Self> {
        Ok(Self { kinds: cycle_kinds(db, app).await?, current: applications::current_documents(db, app.id).await? })
    }

    fn completeness(&self, stage: Stage, is_service: bool) -> Completeness {
        let rules: Vec<KindRule> = self
            .kinds
            .iter()
            .map(|k| KindRule {
                code: k.code.clone(),
                required_at: k.required_at.as_deref().and_then(|s| s.parse().ok()),
                not_for_services: k.not_for_services,
            })
            .collect();
        let codes: HashMap<Uuid, &str> = self.kinds.iter().map(|k| (k.id, k.code.as_str())).collect();
        let docs: Vec<FiledDocument> = self
            .current
            .iter()
            .map(|d| FiledDocument {
                kind: codes.get(&d.kind_id).copied().unwrap_or_default().to_owned(),
                review: d.review.parse().unwrap_or(Review::Pending),
            })
            .collect();
        completeness(&rules, &docs, stage, is_service)
    }
}

const SHOWN_STAGES: [Stage; 3] = [Stage::IdeaRegistration, Stage::BusinessPlan, Stage::Evaluation];

async fn detail(state: &AppState, user: &AuthUser, app: application::Model) -> ApiResult<ApplicationDetail> {
    // Every document once: the current ones make the dossier, all of them the file history.
    let all_docs = applications::all_documents(&state.db, app.id).await?;
    let current = all_docs.iter().filter(|d| d.superseded_at.is_none()).cloned().collect();
    let dossier = Dossier { kinds: cycle_kinds(&state.db, &app).await?, current };
    let history = applications::events(&state.db, app.id).await?;
    let kinds: HashMap<Uuid, document_kind::Model> = dossier.kinds.iter().map(|k| (k.id, k.clone())).collect();
    let completeness =
        SHOWN_STAGES.into_iter().map(|s| StageCompleteness::new(s, dossier.completeness(s, app.is_service))).collect();
    let can_review = guard::may_review(user, &app);
    let context = Context::load(state, user, std::slice::from_ref(&app)).await?;
    Ok(ApplicationDetail {
        can_review,
        history: history.into_iter().map(Into::into).collect(),
        documents: all_docs.into_iter().map(|d| document_dto(d, &kinds)).collect(),
        document_kinds: dossier.kinds.into_iter().map(Into::into).collect(),
        completeness,
        application: context.application(app),
    })
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    pub cycle_id: Option<Uuid>,
    #[param(schema_with = crate::schemas::application_status)]
    pub status: Option<ApplicationStatus>,
    #[param(schema_with = crate::schemas::stage)]
    pub stage: Option<Stage>,
    /// Only applications for products made inside this unit.
    pub area_id: Option<Uuid>,
    pub subject_id: Option<Uuid>,
    /// The applications of one product (its cycle years).
    pub product_id: Option<Uuid>,
    /// Top-level product group code.
    #[validate(length(max = 8))]
    pub group: Option<String>,
    /// Words searched in product names and codes, ignoring diacritics.
    #[validate(length(max = 100))]
    pub q: Option<String>,
    /// Only applications past the deadline of their current stage.
    pub overdue: Option<bool>,
    /// Only applications with a document awaiting review (the officers' review queue).
    pub awaiting_review: Option<bool>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
    /// For the export only: `xlsx` (default) or `csv`.
    #[param(inline)]
    pub format: Option<ExportFormat>,
}

pub async fn filter(state: &AppState, user: &AuthUser, query: &ListQuery) -> ApiResult<applications::Filter> {
    let mut filter = applications::Filter::new(application_visibility(&user.actor(), user.id()));
    filter.cycle_id = query.cycle_id;
    filter.status = query.status.map(|s| s.as_str().to_owned());
    filter.stage = query.stage.map(|s| s.as_str().to_owned());
    filter.area_path = area_path(state, query.area_id).await?;
    filter.subject_id = query.subject_id;
    filter.product_id = query.product_id;
    filter.group_code = query.group.clone();
    filter.q = query.q.as_deref().map(fold);
    filter.overdue_on = query.overdue.filter(|o| *o).map(|_| Utc::now().date_naive());
    filter.awaiting_review = query.awaiting_review.unwrap_or(false);
    Ok(filter)
}

/// A page of the applications the caller may see.
pub async fn page(state: &AppState, user: &AuthUser, query: &ListQuery) -> ApiResult<Page<Application>> {
    query.validate()?;
    let filter = filter(state, user, query).await?;
    let page = applications::list(&state.db, &filter, paging(query.limit, query.offset)?).await?;
    let context = Context::load(state, user, &page.items).await?;
    Ok(Page::map(page, |a| context.application(a)))
}
