//! Supply-chain events in the GS1 EPCIS 2.0 model: documents captured as JSON-LD (checked
//! against the standard's structure, then stored by a capture job) and queried with the
//! standard's simple-event-query parameters, answered as an `EPCISQueryDocument`. Lots and
//! stamps without GS1 codes are named by HTTP URLs of this server (`/lots/{id}`, `/t/{code}`).

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use ocop_domain::access::Visibility;
use ocop_domain::account::Role;
use ocop_domain::traceability::JobStatus;
use ocop_domain::traceability::{EventFacts, LocalId, check_epcis_document, local_identifier, stamp_code};
use ocop_persistence::entities::epcis_capture;
use ocop_persistence::traceability::{self, EventQuery};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::state::AppState;

const CONTEXT: &str = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld";

/// A capture job.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"captureID": "019a8f2e-7b1c-7e3a-9c51-3f0d2a6b9d01", "running": false, "success": true, "captureErrorBehaviour": "rollback", "events": 2, "errors": []}))]
pub struct CaptureJob {
    #[serde(rename = "captureID")]
    pub capture_id: Uuid,
    pub running: bool,
    pub success: bool,
    /// All or nothing: a document either is stored whole or not at all.
    #[serde(rename = "captureErrorBehaviour")]
    pub capture_error_behaviour: String,
    pub events: i32,
    #[schema(value_type = Vec<Object>)]
    pub errors: Vec<serde_json::Value>,
}

impl From<epcis_capture::Model> for CaptureJob {
    fn from(c: epcis_capture::Model) -> Self {
        Self {
            capture_id: c.id,
            running: c.status.parse() == Ok(JobStatus::Running),
            success: c.status.parse() == Ok(JobStatus::Done),
            capture_error_behaviour: "rollback".into(),
            events: c.events,
            errors: c.errors.and_then(|e| serde_json::from_str(&e).ok()).unwrap_or_default(),
        }
    }
}

fn can_capture(user: &AuthUser) -> ApiResult<Option<Uuid>> {
    match user.role {
        Role::Admin => Ok(None),
        Role::Producer => user.user.subject_id.map(Some).ok_or_else(ApiError::forbidden),
        _ => Err(ApiError::forbidden()),
    }
}

/// A producer's events may name this server's lots and stamps only when they are its own
/// (another producer's lot or stamp, or one that does not exist, is refused); identifiers of
/// other systems are its own business.
async fn check_own_identifiers(state: &AppState, subject: Uuid, facts: &[EventFacts]) -> ApiResult<()> {
    let named: Vec<(&str, LocalId)> = facts
        .iter()
        .flat_map(|f| f.epcs.iter())
        .filter_map(|epc| local_identifier(&state.public_base_url, epc).map(|id| (epc.as_str(), id)))
        .collect();
    let lots = named.iter().filter_map(|(_, id)| if let LocalId::Lot(l) = id { Some(*l) } else { None }).collect();
    let stamps = named
        .iter()
        .filter_map(|(_, id)| if let LocalId::Stamp(c) = id { Some(stamp_code(*c)) } else { None })
        .collect();
    let (lot_owners, stamp_owners) = traceability::identifier_owners(&state.db, lots, stamps).await?;
    let foreign: Vec<FieldError> = named
        .into_iter()
        .filter(|(_, id)| match id {
            LocalId::Lot(l) => lot_owners.get(l) != Some(&subject),
            LocalId::Stamp(c) => stamp_owners.get(&stamp_code(*c)) != Some(&subject),
        })
        .map(|(epc, _)| {
            FieldError::new(
                "epcisBody.eventList",
                "not_own_identifier",
                format!("«{epc}» không phải lô hay tem của chủ thể."),
                format!("“{epc}” is not a lot or stamp of this producer."),
            )
        })
        .collect();
    if foreign.is_empty() { Ok(()) } else { Err(ApiError::invalid_fields(foreign)) }
}

/// Capture an EPCIS 2.0 document / Ghi nhận sự kiện EPCIS (producers for their own subject, admins).
///
/// The body is an `EPCISDocument` (JSON or JSON-LD) whose `epcisBody.eventList` holds
/// `ObjectEvent`, `TransformationEvent` or `AggregationEvent`s, each with `eventTime`,
/// `eventTimeZoneOffset`, and CBV `bizStep` / `disposition` where known. A document that breaks
/// the structure is refused at once (422, the JSON pointer of the first problem); otherwise the
/// answer is 202 with a capture job to follow. An `eventID` seen before is not stored twice.
#[utoipa::path(operation_id = "epcis_capture", tag = "traceability", security(("bearer" = [])),
    request_body(content = Object, content_type = "application/ld+json", description = "An EPCISDocument"), responses(
    (status = 202, description = "Accepted: the capture job", body = CaptureJob),
))]
#[post("/epcis/capture")]
pub async fn capture(state: web::Data<AppState>, user: AuthUser, body: web::Bytes) -> ApiResult<HttpResponse> {
    let subject = can_capture(&user)?;
    let doc: serde_json::Value =
        serde_json::from_slice(&body).map_err(|e| ApiError::malformed(format!("not JSON: {e}")))?;
    let facts = check_epcis_document(&doc).map_err(|e| {
        ApiError::invalid_fields(vec![FieldError::new(
            &e.pointer,
            "epcis_structure",
            format!("Sự kiện EPCIS không đúng cấu trúc: {}", e.reason),
            e.to_string(),
        )])
    })?;
    if let Some(s) = subject {
        check_own_identifiers(&state, s, &facts).await?;
    }
    // Stored with its document before the answer: the epcis-captures worker stores the events,
    // after a restart too.
    let job = traceability::insert_capture(
        &state.db,
        epcis_capture::Model {
            id: ocop_persistence::new_id(),
            status: JobStatus::Running.as_str().into(),
            events: i32::try_from(facts.len()).unwrap_or(i32::MAX),
            errors: None,
            subject_id: subject,
            created_by: Some(user.id()),
            created_at: Utc::now(),
            finished_at: None,
            document: Some(String::from_utf8_lossy(&body).into_owned()),
            locked_until: None,
        },
    )
    .await?;
    state.wake.captures.notify_one();
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, format!("/api/v1/epcis/capture/{}", job.id)))
        .json(CaptureJob::from(job)))
}

/// A capture job / Trạng thái ghi nhận.
#[utoipa::path(operation_id = "epcis_capture_job", tag = "traceability", security(("bearer" = [])), params(("id" = Uuid, Path, description = "captureID")), responses(
    (status = 200, description = "The job", body = CaptureJob),
))]
#[get("/epcis/capture/{id}")]
pub async fn capture_job(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<CaptureJob>> {
    let job = traceability::find_capture(&state.db, *id).await?.ok_or_else(ApiError::not_found)?;
    let mine = user.role == Role::Admin || job.created_by == Some(user.id());
    if !mine {
        return Err(ApiError::not_found());
    }
    Ok(web::Json(job.into()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(non_snake_case)]
pub struct EventsQuery {
    /// Comma-separated event types.
    pub eventType: Option<String>,
    /// Events at or after this time (RFC 3339).
    pub GE_eventTime: Option<DateTime<Utc>>,
    /// Events before this time.
    pub LT_eventTime: Option<DateTime<Utc>>,
    /// Comma-separated CBV business steps (short names or URIs).
    pub EQ_bizStep: Option<String>,
    /// Comma-separated EPCs or classes the event names.
    pub MATCH_epc: Option<String>,
    /// Events per page, 1–1000 (default 30).
    pub perPage: Option<u64>,
    /// From the `Link` header of the previous page.
    pub nextPageToken: Option<String>,
}

fn list(text: &Option<String>, short: bool) -> Option<Vec<String>> {
    text.as_ref().map(|t| {
        t.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| if short { s.rsplit([':', '/']).next().unwrap_or(s).to_owned() } else { s.to_owned() })
            .collect()
    })
}

/// Query events / Truy vấn sự kiện EPCIS (producers: their own; officers: their area; admins).
///
/// Answers an `EPCISQueryDocument` in time order; when more follow, a `Link` header names the
/// next page (`rel="next"`, with `nextPageToken`).
#[utoipa::path(operation_id = "epcis_events", tag = "traceability", security(("bearer" = [])), params(EventsQuery), responses(
    (status = 200, description = "An EPCISQueryDocument", content_type = "application/ld+json", body = Object),
))]
#[get("/epcis/events")]
pub async fn events(
    state: web::Data<AppState>,
    user: AuthUser,
    req: actix_web::HttpRequest,
    query: web::Query<EventsQuery>,
) -> ApiResult<HttpResponse> {
    let per_page = query.perPage.unwrap_or(30);
    if !(1..=1000).contains(&per_page) {
        return Err(ApiError::invalid_field(
            "perPage",
            "range",
            "Số sự kiện mỗi trang từ 1 đến 1000.",
            "perPage is 1 to 1000.",
        ));
    }
    let after = match &query.nextPageToken {
        Some(token) => Some(
            URL_SAFE_NO_PAD
                .decode(token)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .and_then(|t| {
                    let (time, id) = t.split_once('|')?;
                    Some((DateTime::parse_from_rfc3339(time).ok()?.with_timezone(&Utc), Uuid::parse_str(id).ok()?))
                })
                .ok_or_else(|| {
                    ApiError::invalid_field(
                        "nextPageToken",
                        "token",
                        "Mã trang không hợp lệ.",
                        "Invalid nextPageToken.",
                    )
                })?,
        ),
        None => None,
    };
    let mut q = EventQuery {
        event_type: list(&query.eventType, false),
        ge_time: query.GE_eventTime,
        lt_time: query.LT_eventTime,
        biz_step: list(&query.EQ_bizStep, true),
        match_epc: list(&query.MATCH_epc, false),
        after,
        limit: per_page,
        ..Default::default()
    };
    match ocop_domain::access::batch_visibility(&user.actor()) {
        Visibility::All => {}
        Visibility::Area(p) => q.within = Some(p),
        Visibility::Subject(s) => q.subject_id = Some(s),
        Visibility::Agenda(_) | Visibility::Nothing => return Err(ApiError::forbidden()),
    }
    let mut rows = traceability::query_events(&state.db, &q).await?;
    let more = rows.len() as u64 > per_page;
    rows.truncate(usize::try_from(per_page).unwrap_or(usize::MAX));
    let list: Vec<serde_json::Value> = rows.iter().filter_map(|r| serde_json::from_str(&r.body).ok()).collect();
    let doc = serde_json::json!({"@context": [CONTEXT], "type": "EPCISQueryDocument", "schemaVersion": "2.0", "creationDate": Utc::now().to_rfc3339(),
        "epcisBody": {"queryResults": {"queryName": "SimpleEventQuery", "resultsBody": {"eventList": list}}}});
    let mut response = HttpResponse::Ok();
    response.content_type("application/ld+json");
    if let (true, Some(last)) = (more, rows.last()) {
        let token = URL_SAFE_NO_PAD.encode(format!("{}|{}", last.event_time.to_rfc3339(), last.id));
        // The same query, one page on.
        let kept: Vec<&str> =
            req.query_string().split('&').filter(|p| !p.is_empty() && !p.starts_with("nextPageToken=")).collect();
        let mut next = kept.join("&");
        if !next.is_empty() {
            next.push('&');
        }
        response
            .insert_header((header::LINK, format!("</api/v1/epcis/events?{next}nextPageToken={token}>; rel=\"next\"")));
    }
    Ok(response.body(doc.to_string()))
}
