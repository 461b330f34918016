//! Applications: a product's entry into a cycle year, the moves through the cycle's stages
//! with their history, and the product's dossier for that year (documents, reviews,
//! completeness).

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

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::ApiJson;
use crate::files::{private_download, read_multipart, sha256_hex, sniff, storage_key};
use crate::guard::{self, Need};
use crate::paging::{Page, paging};
use crate::routes::admin_units::area_path;
use crate::routes::classifications::DocumentKind;
use crate::sheets::{Cell, EXPORT_ROWS, ExportFormat, Table, download};
use crate::state::AppState;

/// A short reference to a product.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e90", "code": "22-193-06637-001-2026", "name": "Chả mực Hạ Long"}))]
pub struct ProductRef {
    pub id: Uuid,
    pub code: String,
    pub name: String,
}

/// An application: one product in one cycle year.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8ec0", "cycle_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8eb0",
    "product": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e90", "code": "22-193-06637-001-2026", "name": "Chả mực Hạ Long"},
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
#[schema(example = json!({"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8ed0", "action": "return", "from_status": "plan_submitted", "to_status": "idea_registered", "note": "Phương án chưa có kế hoạch tài chính", "actor_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e12", "actor_name": "Cán bộ TP Hạ Long (demo)", "occurred_at": "2026-06-03T02:00:00Z"}))]
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
    "product": {"id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e90", "code": "22-193-06637-001-2026", "name": "Chả mực Hạ Long"},
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

/// List applications (the cycle board) / Danh sách hồ sơ tham gia chu trình.
///
/// Ordered by how long they have waited in their current state.
#[utoipa::path(operation_id = "list_applications", tag = "applications", security(("bearer" = [])), params(ListQuery), responses(
    (status = 200, description = "A page of applications", body = Page<Application>),
))]
#[get("/applications")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ListQuery>,
) -> ApiResult<web::Json<Page<Application>>> {
    Ok(web::Json(page(&state, &user, &query).await?))
}

/// A page of the applications the caller may see.
pub async fn page(state: &AppState, user: &AuthUser, query: &ListQuery) -> ApiResult<Page<Application>> {
    query.validate()?;
    let filter = filter(state, user, query).await?;
    let page = applications::list(&state.db, &filter, paging(query.limit, query.offset)?).await?;
    let context = Context::load(state, user, &page.items).await?;
    Ok(Page::map(page, |a| context.application(a)))
}

/// Export the filtered applications / Xuất danh sách hồ sơ (.xlsx or .csv).
#[utoipa::path(operation_id = "export_applications", tag = "applications", security(("bearer" = [])), params(ListQuery), responses(
    (status = 200, description = "The spreadsheet", content(
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (String = "text/csv"),
        (Vec<u8> = "application/pdf"),
    )),
))]
#[get("/applications/export")]
pub async fn export(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ListQuery>,
) -> ApiResult<HttpResponse> {
    query.validate()?;
    let filter = filter(&state, &user, &query).await?;
    let page = applications::list(&state.db, &filter, EXPORT_ROWS).await?;
    let context = Context::load(&state, &user, &page.items).await?;
    let rows = page
        .items
        .into_iter()
        .map(|a| {
            let a = context.application(a);
            let stage = a.stage.parse::<Stage>().map(Stage::label_vi).unwrap_or_default();
            vec![
                Cell::from(a.product.as_ref().map(|p| p.code.clone())),
                a.product.map(|p| p.name).into(),
                stage.into(),
                a.status.into(),
                a.dossier_version.into(),
                a.status_changed_at.format("%d/%m/%Y").to_string().into(),
                a.deadline.map(|d| d.format("%d/%m/%Y").to_string()).into(),
                if a.overdue { "Quá hạn" } else { "" }.into(),
            ]
        })
        .collect();
    let headers: &[&str] =
        &["Mã sản phẩm", "Tên sản phẩm", "Bước", "Trạng thái", "Phiên bản hồ sơ", "Ngày chuyển bước", "Hạn", "Quá hạn"];
    download(&state.heavy, Table { sheet: "Hồ sơ", headers, rows }, query.format.unwrap_or_default(), "ho-so").await
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"cycle_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8eb0", "product_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e90", "note": "Đăng ký sản phẩm mới"}))]
pub struct RegisterIdea {
    pub cycle_id: Uuid,
    pub product_id: Uuid,
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

/// Register a product idea in a cycle / Đăng ký ý tưởng sản phẩm.
///
/// If the product took part in an earlier cycle (renewal or upgrade), its last dossier is
/// carried forward as a new version: the documents are reused without uploading them again,
/// and await review anew.
#[utoipa::path(operation_id = "register_application", tag = "applications", security(("bearer" = [])), request_body = RegisterIdea, responses(
    (status = 201, description = "Registered / Đã đăng ký", body = ApplicationDetail),
    (status = 409, description = "Already registered in this cycle / Đã đăng ký trong chu trình", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/applications")]
pub async fn register(
    state: web::Data<AppState>,
    user: AuthUser,
    body: ApiJson<RegisterIdea>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    body.validate()?;
    let product = guard::product(&state, &user, body.product_id, Need::Manage).await?;
    if product.status == ocop_domain::product::ProductStatus::Discontinued.as_str() {
        return Err(ApiError::conflict(
            "Sản phẩm đã ngừng sản xuất, không thể đăng ký vào chu trình.",
            "A discontinued product cannot join a cycle.",
        ));
    }
    let cycle = cycles::find(&state.db, body.cycle_id).await?.ok_or_else(|| {
        ApiError::invalid_field("cycle_id", "not_found", "Không tìm thấy chu trình.", "The cycle does not exist.")
    })?;
    if applications::find_for(&state.db, cycle.id, product.id).await?.is_some() {
        return Err(ApiError::conflict(
            "Sản phẩm đã được đăng ký trong chu trình này.",
            "The product is already registered in this cycle.",
        ));
    }
    let previous = applications::latest_for_product(&state.db, product.id).await?;
    let status = ApplicationStatus::IdeaRegistered;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let created = applications::insert(
        &txn,
        applications::NewApplication {
            cycle_id: cycle.id,
            product: product.clone(),
            status: status.as_str().to_owned(),
            stage: status.stage().as_str().to_owned(),
            dossier_version: previous.as_ref().map_or(1, |p| p.dossier_version + 1),
            previous_application_id: previous.as_ref().map(|p| p.id),
        },
    )
    .await?;
    let carried = match &previous {
        Some(prev) => carry_forward(&txn, prev, &created, cycle.classification_version_id).await?,
        None => 0,
    };
    applications::record_event(
        &txn,
        applications::NewEvent {
            application_id: created.id,
            action: "register",
            from_status: None,
            to_status: status.as_str(),
            note: body.note.filter(|n| !n.trim().is_empty()),
            actor_id: Some(user.id()),
            actor_name: Some(user.user.display_name.clone()),
        },
    )
    .await?;
    let after = serde_json::json!({ "application": &created, "carried_documents": carried });
    audit::record::<(), _>(&txn, &user.audit(), "application.register", "application", created.id, None, Some(&after))
        .await?;
    txn.commit().await?;
    let detail = detail(&state, &user, created).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/applications/{}", detail.application.id)))
        .json(detail))
}

/// Copies the previous dossier's current documents into the new one (kinds matched by code in
/// the new cycle's classification); the stored files are shared.
async fn carry_forward(
    db: &impl ocop_persistence::ConnectionTrait,
    previous: &application::Model,
    created: &application::Model,
    version_id: Uuid,
) -> ApiResult<usize> {
    let old_cycle = cycles::find(db, previous.cycle_id).await?.ok_or_else(|| ApiError::internal("cycle missing"))?;
    let old_kinds: HashMap<Uuid, String> = classifications::kinds(db, old_cycle.classification_version_id)
        .await?
        .into_iter()
        .map(|k| (k.id, k.code))
        .collect();
    let new_kinds: HashMap<String, Uuid> =
        classifications::kinds(db, version_id).await?.into_iter().map(|k| (k.code, k.id)).collect();
    let mut carried = 0;
    for doc in applications::current_documents(db, previous.id).await? {
        let Some(kind_id) = old_kinds.get(&doc.kind_id).and_then(|code| new_kinds.get(code)) else { continue };
        applications::insert_document(
            db,
            applications::NewDocument {
                application_id: created.id,
                kind_id: *kind_id,
                file_name: doc.file_name,
                content_type: doc.content_type,
                size_bytes: doc.size_bytes,
                sha256: doc.sha256,
                storage_key: doc.storage_key,
                uploaded_by: doc.uploaded_by,
                carried_from_id: Some(doc.id),
            },
        )
        .await?;
        carried += 1;
    }
    Ok(carried)
}

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
    applications::record_event(
        &txn,
        applications::NewEvent {
            application_id: moved.id,
            action: body.action.as_str(),
            from_status: Some(from.as_str()),
            to_status: to.as_str(),
            note: note.map(str::to_owned),
            actor_id: Some(user.id()),
            actor_name: Some(user.user.display_name.clone()),
        },
    )
    .await?;
    audit::record(
        &txn,
        &user.audit(),
        &format!("application.{}", body.action.as_str()),
        "application",
        moved.id,
        Some(&app),
        Some(&moved),
    )
    .await?;
    txn.commit().await?;
    Ok(web::Json(detail(&state, &user, moved).await?))
}

/// Upload a document to the dossier / Nộp tài liệu hồ sơ.
///
/// `multipart/form-data` with `kind_id` (a document kind of the cycle's classification),
/// `file` (PDF, image or office document; the type is read from the content, not from the
/// name), and optionally `replaces` (the id of a document this file replaces, e.g. one
/// returned for a fix). At most 20 MB unless configured otherwise.
#[utoipa::path(operation_id = "upload_document", tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Application id")),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored / Đã lưu", body = Document),
    ))]
#[post("/applications/{id}/documents")]
pub async fn upload(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    payload: Multipart,
) -> ApiResult<HttpResponse> {
    let app = guard::application(&state, &user, id.into_inner(), Need::Manage).await?;
    let (fields, file) = read_multipart(payload, state.upload_limit_bytes).await?;
    let field_error =
        |field: &str, vi: &str, en: &str| ApiError::invalid_field(field, "required", vi.to_owned(), en.to_owned());
    let kind_id: Uuid = fields
        .get("kind_id")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| field_error("kind_id", "Hãy chọn loại tài liệu.", "Choose a document kind."))?;
    let (raw_name, content) = file.ok_or_else(|| field_error("file", "Hãy chọn tệp.", "Attach a file."))?;
    if content.is_empty() {
        return Err(ApiError::invalid_field("file", "empty", "Tệp rỗng.", "The file is empty."));
    }
    let cycle = cycles::find(&state.db, app.cycle_id).await?.ok_or_else(|| ApiError::internal("cycle missing"))?;
    let kind = classifications::find_kind(&state.db, kind_id)
        .await?
        .filter(|k| k.version_id == cycle.classification_version_id)
        .ok_or_else(|| {
            ApiError::invalid_field(
                "kind_id",
                "not_found",
                "Loại tài liệu không thuộc bộ phân loại của chu trình.",
                "The kind is not one of this cycle's classification.",
            )
        })?;
    let replaces = match fields.get("replaces").filter(|v| !v.is_empty()) {
        Some(raw) => {
            let id: Uuid = raw.parse().map_err(|_| {
                ApiError::invalid_field("replaces", "uuid", "Mã tài liệu không hợp lệ.", "Not a document id.")
            })?;
            Some(
                applications::find_document(&state.db, id)
                    .await?
                    .filter(|d| d.application_id == app.id && d.superseded_at.is_none())
                    .ok_or_else(|| {
                        ApiError::invalid_field(
                            "replaces",
                            "not_found",
                            "Không tìm thấy tài liệu cần thay.",
                            "The document to replace is not in this dossier.",
                        )
                    })?,
            )
        }
        None => None,
    };
    let content_type = sniff(&content).ok_or_else(|| {
        ApiError::new(ErrorCode::UnsupportedMediaType).with_message(
            "Chỉ nhận tệp PDF, ảnh (JPEG, PNG, WebP, HEIF) hoặc văn bản Office/OpenDocument.",
            "Only PDF, images (JPEG, PNG, WebP, HEIF) and Office/OpenDocument files are accepted.",
        )
    })?;
    let sha256 = sha256_hex(&content);
    let key = storage_key(&sha256);
    let size = i64::try_from(content.len()).map_err(ApiError::internal)?;
    state.files.put(&key, content.into()).await.map_err(ApiError::internal)?;
    let txn = ocop_persistence::begin_write(&state.db).await?;
    if let Some(old) = &replaces {
        applications::supersede(&txn, old.clone()).await?;
    }
    let saved = applications::insert_document(
        &txn,
        applications::NewDocument {
            application_id: app.id,
            kind_id: kind.id,
            file_name: safe_file_name(&raw_name),
            content_type: content_type.to_owned(),
            size_bytes: size,
            sha256,
            storage_key: key,
            uploaded_by: Some(user.id()),
            carried_from_id: None,
        },
    )
    .await?;
    audit::record(&txn, &user.audit(), "document.upload", "document", saved.id, replaces.as_ref(), Some(&saved))
        .await?;
    txn.commit().await?;
    let kinds = HashMap::from([(kind.id, kind)]);
    Ok(HttpResponse::Created().json(document_dto(saved, &kinds)))
}

/// The multipart form of an upload.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"kind_id": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8ea0", "file": "(Phương án SXKD 2026.pdf)", "replaces": null}))]
#[allow(dead_code)]
pub struct UploadForm {
    kind_id: Uuid,
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    replaces: Option<Uuid>,
}

/// A document, once the caller's right to its dossier is checked.
async fn document_for(state: &AppState, user: &AuthUser, id: Uuid, need: Need) -> ApiResult<document::Model> {
    let doc = applications::find_document(&state.db, id).await?.ok_or_else(ApiError::not_found)?;
    guard::application(state, user, doc.application_id, need).await?;
    Ok(doc)
}

/// Download a document's file / Tải tệp tài liệu.
#[utoipa::path(operation_id = "download_document", tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Document id")), responses(
    (status = 200, description = "The file, with its sniffed type", content_type = "application/octet-stream", body = Vec<u8>),
))]
#[get("/documents/{id}/file")]
pub async fn download_file(state: web::Data<AppState>, user: AuthUser, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let doc = document_for(&state, &user, id.into_inner(), Need::Read).await?;
    private_download(&state.files, &doc.storage_key, doc.content_type, &doc.file_name).await
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"review": "needs_fix", "comment": "Thiếu kế hoạch tài chính 3 năm"}))]
pub struct ReviewInput {
    #[schema(schema_with = crate::schemas::review)]
    pub review: Review,
    /// Required when asking for a fix.
    #[validate(length(max = 2000))]
    pub comment: Option<String>,
}

/// Review a document / Thẩm định tài liệu (officers of the area).
#[utoipa::path(operation_id = "review_document", tag = "applications", security(("bearer" = [])), params(("id" = Uuid, Path, description = "Document id")), request_body = ReviewInput, responses(
    (status = 200, description = "Reviewed / Đã thẩm định", body = Document),
    (status = 409, description = "The document was replaced / Tài liệu đã được thay", body = crate::error::Problem, content_type = "application/problem+json"),
))]
#[post("/documents/{id}/review")]
pub async fn review(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: ApiJson<ReviewInput>,
) -> ApiResult<web::Json<Document>> {
    let body = body.0;
    body.validate()?;
    let doc = document_for(&state, &user, id.into_inner(), Need::Review).await?;
    if doc.superseded_at.is_some() {
        return Err(ApiError::conflict(
            "Tài liệu đã được thay bằng tệp mới.",
            "The document was replaced by a newer file.",
        ));
    }
    let comment = body.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned);
    if body.review == Review::NeedsFix && comment.is_none() {
        return Err(ApiError::invalid_field(
            "comment",
            "required",
            "Cần ghi rõ nội dung cần bổ sung.",
            "Say what needs fixing.",
        ));
    }
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let reviewed = applications::review_document(&txn, doc.clone(), body.review.as_str(), comment, user.id()).await?;
    audit::record(&txn, &user.audit(), "document.review", "document", reviewed.id, Some(&doc), Some(&reviewed)).await?;
    txn.commit().await?;
    let kinds = classifications::find_kind(&state.db, reviewed.kind_id).await?.into_iter().map(|k| (k.id, k)).collect();
    Ok(web::Json(document_dto(reviewed, &kinds)))
}
