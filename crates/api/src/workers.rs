//! Background work, in one place: named workers, each a loop with its own interval and its own
//! log lines, started (and so resumed) by [`start`] beside the HTTP server and stopped with it.
//! Handlers never spawn work: they store a job in the database and wake its worker. Work that
//! several instances could pick up (stamp jobs, EPCIS captures, webhook deliveries) is claimed
//! by a conditional update, so each piece is done once; a claim runs out after [`CLAIM`], so
//! the work of an instance that died is taken up by another.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use actix_web::web::Data;
use chrono::Utc;
use ocop_domain::traceability::JobStatus;
use ocop_domain::traceability::check_epcis_document;
use ocop_persistence::entities::{epcis_capture, epcis_event};
use ocop_persistence::{DbErr, traceability};
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

use crate::state::AppState;

/// How long a claimed job stays with the instance that claimed it without a sign of life.
pub const CLAIM: Duration = Duration::from_secs(60);

/// How often the scan log is written.
pub const SCAN_LOG_INTERVAL: Duration = Duration::from_secs(1);
/// How often the API keys' usage counts are written.
pub const USAGE_INTERVAL: Duration = Duration::from_secs(5);
/// How often the database's planner statistics are refreshed.
pub const PLANNER_INTERVAL: Duration = Duration::from_secs(3600);
/// How often stamp jobs and captures left by others are looked for (new ones wake their
/// worker at once).
pub const JOB_POLL_INTERVAL: Duration = Duration::from_secs(5);

/// Wakes a worker as soon as a handler stored its job.
#[derive(Default)]
pub struct Wake {
    pub stamp_jobs: Arc<Notify>,
    pub captures: Arc<Notify>,
}

/// Starts every worker; each finishes its round (and the scan log and usage counts are written
/// a last time) once `stop` turns true.
pub fn start(state: &Data<AppState>, stop: &watch::Receiver<bool>) -> Vec<(&'static str, JoinHandle<()>)> {
    let periodic = |interval, work: fn(Data<AppState>) -> Round, last_round| {
        tokio::spawn(every(state.clone(), stop.clone(), interval, work, last_round))
    };
    let jobs = |wake: &Arc<Notify>, claim: JobRound| {
        tokio::spawn(claimed_jobs(state.clone(), stop.clone(), Arc::clone(wake), claim))
    };
    vec![
        ("webhooks", tokio::spawn(crate::webhooks::run(state.clone(), stop.clone()))),
        ("notifications", tokio::spawn(crate::notify::run(state.clone(), stop.clone()))),
        ("scan-log", periodic(SCAN_LOG_INTERVAL, flush_scans, true)),
        ("api-key-usage", periodic(USAGE_INTERVAL, flush_usage, true)),
        ("planner-statistics", periodic(PLANNER_INTERVAL, refresh_statistics, false)),
        ("stamp-jobs", jobs(&state.wake.stamp_jobs, stamp_job)),
        ("epcis-captures", jobs(&state.wake.captures, capture)),
    ]
}

type Round = std::pin::Pin<Box<dyn Future<Output = ()> + Send>>;

/// Runs `work` every `interval` until `stop`; `last_round` runs it once more after the stop
/// (to write what is buffered).
async fn every(
    state: Data<AppState>,
    mut stop: watch::Receiver<bool>,
    interval: Duration,
    work: fn(Data<AppState>) -> Round,
    last_round: bool,
) {
    while !*stop.borrow() {
        work(state.clone()).await;
        tokio::select! {
            () = tokio::time::sleep(interval) => {}
            _ = stop.changed() => {}
        }
    }
    if last_round {
        work(state).await;
    }
}

fn flush_scans(state: Data<AppState>) -> Round {
    Box::pin(async move { state.scans.flush(&state.db).await })
}

fn flush_usage(state: Data<AppState>) -> Round {
    Box::pin(async move { state.usage.flush(&state.db).await })
}

fn refresh_statistics(state: Data<AppState>) -> Round {
    Box::pin(async move {
        if let Err(e) = ocop_persistence::optimize(&state.db).await {
            tracing::warn!(error = %e, worker = "planner-statistics", "planner statistics not refreshed");
        }
    })
}

/// Claims one job and returns its work, or `None` when there is nothing to claim.
type JobRound = fn(Data<AppState>) -> std::pin::Pin<Box<dyn Future<Output = Result<Option<Claimed>, DbErr>> + Send>>;

/// A claimed job: its work, and how to give it back.
pub struct Claimed {
    work: std::pin::Pin<Box<dyn Future<Output = ()> + Send>>,
    release: std::pin::Pin<Box<dyn Future<Output = Result<(), DbErr>> + Send>>,
}

/// Claims and does jobs one after another while there are any, then waits to be woken or for
/// the next poll.
async fn claimed_jobs(state: Data<AppState>, mut stop: watch::Receiver<bool>, wake: Arc<Notify>, claim: JobRound) {
    while !*stop.borrow() {
        loop {
            let claimed = match claim(state.clone()).await {
                Ok(Some(claimed)) => claimed,
                Ok(None) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "could not claim a background job");
                    break;
                }
            };
            tokio::select! {
                () = claimed.work => {}
                _ = stop.changed() => {
                    if let Err(e) = claimed.release.await {
                        tracing::warn!(error = %e, "could not give a background job back");
                    }
                    return;
                }
            }
        }
        tokio::select! {
            () = tokio::time::sleep(JOB_POLL_INTERVAL) => {}
            () = wake.notified() => {}
            _ = stop.changed() => {}
        }
    }
}

fn claim_until() -> (chrono::DateTime<Utc>, chrono::DateTime<Utc>) {
    let now = Utc::now();
    (now, now + chrono::Duration::from_std(CLAIM).unwrap_or(chrono::Duration::seconds(60)))
}

/// The stamp-jobs worker's claim: a stamp job, issued in chunks, its claim renewed with each.
fn stamp_job(state: Data<AppState>) -> std::pin::Pin<Box<dyn Future<Output = Result<Option<Claimed>, DbErr>> + Send>> {
    Box::pin(async move {
        let (now, until) = claim_until();
        let Some(job) = traceability::claim_stamp_job(&state.db, now, until).await? else { return Ok(None) };
        tracing::info!(worker = "stamp-jobs", job = %job.id, requested = job.requested, issued = job.issued, "issuing stamps");
        let db = state.db.clone();
        let id = job.id;
        Ok(Some(Claimed {
            work: Box::pin(async move {
                if let Err(e) = crate::stamps::issue(&db, &job).await {
                    tracing::error!(worker = "stamp-jobs", error = %e, job = %job.id, "stamp job failed");
                    let _ = traceability::job_progress(
                        &db,
                        job.id,
                        job.issued,
                        JobStatus::Failed.as_str(),
                        Some(e.to_string()),
                        None,
                    )
                    .await;
                }
            }),
            release: Box::pin({
                let db = state.db.clone();
                async move { traceability::release_stamp_job(&db, id).await }
            }),
        }))
    })
}

/// The EPCIS-captures worker's claim: a captured document, its events stored in one
/// transaction with the capture's end.
fn capture(state: Data<AppState>) -> std::pin::Pin<Box<dyn Future<Output = Result<Option<Claimed>, DbErr>> + Send>> {
    Box::pin(async move {
        let (now, until) = claim_until();
        let Some(job) = traceability::claim_capture(&state.db, now, until).await? else { return Ok(None) };
        let id = job.id;
        let db = state.db.clone();
        Ok(Some(Claimed {
            work: Box::pin(async move {
                if let Err(e) = store_capture(&state, &job).await {
                    tracing::error!(worker = "epcis-captures", error = %e, capture = %job.id, "EPCIS capture failed");
                    let problem = serde_json::json!([{"type": "epcisException:ImplementationException", "title": "The events could not be stored"}]);
                    let _ = traceability::finish_capture(
                        &state.db,
                        job.id,
                        JobStatus::Failed.as_str(),
                        Some(problem.to_string()),
                    )
                    .await;
                }
            }),
            release: Box::pin(async move { traceability::release_capture(&db, id).await }),
        }))
    })
}

/// Stores a capture's events (an `eventID` seen before is kept as it was) and ends the capture,
/// in one transaction.
async fn store_capture(state: &AppState, job: &epcis_capture::Model) -> Result<(), DbErr> {
    let doc: serde_json::Value = serde_json::from_str(job.document.as_deref().unwrap_or("null"))
        .map_err(|e| DbErr::Custom(format!("stored document: {e}")))?;
    let facts = check_epcis_document(&doc).map_err(|e| DbErr::Custom(format!("stored document: {e}")))?;
    let area_path = match job.subject_id {
        Some(s) => ocop_persistence::subjects::find(&state.db, s).await?.map(|s| s.area_path),
        None => None,
    };
    let listed = doc.pointer("/epcisBody/eventList").and_then(|v| v.as_array()).cloned().unwrap_or_default();
    let txn = ocop_persistence::begin_write(&state.db).await?;
    let now = Utc::now();
    for (mut event, fact) in listed.into_iter().zip(facts) {
        let row_id = ocop_persistence::new_id();
        let event_id = event
            .get("eventID")
            .and_then(|v| v.as_str())
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{}/events/{row_id}", state.public_base_url));
        event["eventID"] = serde_json::Value::from(event_id.clone());
        event["recordTime"] = serde_json::Value::from(now.to_rfc3339());
        let row = epcis_event::Model {
            id: row_id,
            event_id,
            event_type: fact.event_type,
            event_time: fact.event_time,
            biz_step: fact.biz_step,
            body: event.to_string(),
            subject_id: job.subject_id,
            area_path: area_path.clone(),
            capture_id: Some(job.id),
            recorded_at: now,
        };
        traceability::insert_event(&txn, row, &fact.epcs).await?;
    }
    traceability::finish_capture(&txn, job.id, JobStatus::Done.as_str(), None).await?;
    txn.commit().await
}
