//! E-stamps at scale: issuing jobs that write a million codes in chunks, and the scan log kept
//! in memory for a moment and written in batches (a scan answer must not wait for a write).

use std::collections::HashMap;
use std::sync::Mutex;

use ocop_domain::traceability::stamp_code;
use ocop_persistence::entities::stamp_scan;
use ocop_persistence::{DatabaseConnection, DbErr, traceability};
use rand::RngExt;
use uuid::Uuid;

/// Rows per insert: 4 parameters each stays under SQLite's and PostgreSQL's limits.
const CHUNK: usize = 4_000;

/// Issues `count` stamps with serials from `first`: fresh random codes, a code already taken
/// drawn again for the same serial. Progress is written after each chunk.
pub async fn issue(db: &DatabaseConnection, job: Uuid, batch: Uuid, first: i64, count: i64) -> Result<(), DbErr> {
    let mut issued: i64 = 0;
    while issued < count {
        let from = first + issued;
        let to = from + (count - issued).min(CHUNK as i64) - 1;
        let mut wanted: Vec<i64> = (from..=to).collect();
        // Each round leaves only the serials whose code collided (practically never).
        for _ in 0..5 {
            // The thread's generator is not held across an await.
            let rows: Vec<(String, i64)> = {
                let mut rng = rand::rng();
                wanted.iter().map(|s| (stamp_code(rng.random::<u64>()), *s)).collect()
            };
            let written = traceability::insert_stamps(db, batch, &rows).await?;
            if written as usize == rows.len() {
                wanted.clear();
                break;
            }
            let present = traceability::serials_present(db, batch, from, to).await?;
            wanted.retain(|s| !present.contains(s));
        }
        if !wanted.is_empty() {
            return Err(DbErr::Custom("could not find free codes".into()));
        }
        issued += to - from + 1;
        let done = i32::try_from(issued).unwrap_or(i32::MAX);
        traceability::job_progress(db, job, done, if issued < count { "running" } else { "done" }, None).await?;
    }
    Ok(())
}

/// Scans not written yet, by stamp code.
#[derive(Default)]
pub struct ScanLog {
    pending: Mutex<Vec<stamp_scan::Model>>,
}

impl ScanLog {
    pub fn record(&self, scan: stamp_scan::Model) {
        self.pending.lock().unwrap_or_else(|p| p.into_inner()).push(scan);
    }

    /// The scans of a code not written yet.
    pub fn pending_for(&self, code: &str) -> Vec<stamp_scan::Model> {
        self.pending.lock().unwrap_or_else(|p| p.into_inner()).iter().filter(|s| s.code == code).cloned().collect()
    }

    /// Sets the place of a scan still in memory; `false` when it was written already.
    pub fn place(&self, id: Uuid, code: &str, lat: f64, lon: f64) -> bool {
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        match pending.iter_mut().find(|s| s.id == id && s.code == code && s.lat.is_none()) {
            Some(s) => {
                s.lat = Some(lat);
                s.lon = Some(lon);
                true
            }
            None => false,
        }
    }

    /// Writes what was logged; on failure the scans are kept for the next time.
    pub async fn flush(&self, db: &DatabaseConnection) {
        let taken = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|p| p.into_inner()));
        if taken.is_empty() {
            return;
        }
        if let Err(e) = traceability::insert_scans(db, taken.clone()).await {
            tracing::warn!(error = %e, scans = taken.len(), "could not write the scan log; kept for the next flush");
            self.pending.lock().unwrap_or_else(|p| p.into_inner()).extend(taken);
        }
    }
}

/// What a trace answer says about a batch that does not change from scan to scan, kept for a
/// minute so the public lookup costs one indexed read and the scan count.
pub struct TraceCache<T> {
    entries: Mutex<HashMap<Uuid, (std::time::Instant, std::sync::Arc<T>)>>,
}

impl<T> Default for TraceCache<T> {
    fn default() -> Self {
        Self { entries: Mutex::new(HashMap::new()) }
    }
}

impl<T> TraceCache<T> {
    const TTL: std::time::Duration = std::time::Duration::from_secs(60);

    pub fn get(&self, batch: Uuid) -> Option<std::sync::Arc<T>> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.get(&batch).filter(|(at, _)| at.elapsed() < Self::TTL).map(|(_, v)| v.clone())
    }

    pub fn put(&self, batch: Uuid, value: std::sync::Arc<T>) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() > 10_000 {
            entries.retain(|_, (at, _)| at.elapsed() < Self::TTL);
        }
        entries.insert(batch, (std::time::Instant::now(), value));
    }

    /// Forgets a batch whose record changed.
    pub fn forget(&self, batch: Uuid) {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).remove(&batch);
    }
}
