//! E-stamps at scale: issuing jobs that write a million codes in chunks, and the scan log kept
//! in memory for a moment and written in batches (a scan answer must not wait for a write).

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use ocop_domain::traceability::JobStatus;
use ocop_domain::traceability::{ClientHasher, stamp_code};
use ocop_persistence::traceability::NewScan;
use ocop_persistence::{DatabaseConnection, DbErr, traceability};
use rand::RngExt;
use uuid::Uuid;

/// Rows per insert: 4 parameters each stays under SQLite's and PostgreSQL's limits.
const CHUNK: usize = 4_000;

/// Issues a job's stamps: its `requested` serials from `first_serial`, fresh random codes, a
/// code already taken drawn again for the same serial. Progress is written after each chunk,
/// renewing the job's claim. Serials that already hold a stamp are left as they are, so a job
/// interrupted by a restart is finished by running it again.
pub async fn issue(db: &DatabaseConnection, job: &ocop_persistence::entities::stamp_job::Model) -> Result<(), DbErr> {
    let (batch, first, count) = (job.batch_id, job.first_serial, i64::from(job.requested));
    let mut issued: i64 = 0;
    while issued < count {
        let from = first + issued;
        let to = from + (count - issued).min(CHUNK as i64) - 1;
        let present = traceability::serials_present(db, batch, from, to).await?;
        let mut wanted: Vec<i64> = (from..=to).filter(|s| !present.contains(s)).collect();
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
        let running = issued < count;
        let hold = running.then(|| {
            chrono::Utc::now()
                + chrono::Duration::from_std(crate::workers::CLAIM).unwrap_or(chrono::Duration::seconds(60))
        });
        traceability::job_progress(
            db,
            job.id,
            done,
            if running { JobStatus::Running } else { JobStatus::Done }.as_str(),
            None,
            hold,
        )
        .await?;
    }
    Ok(())
}

/// Scans not written yet, in shards so that concurrent scans rarely wait on each other.
///
/// Bounded: past `capacity` scans waiting (the database is down or slow) a scan is dropped —
/// the consumer's page still answers — and counted; the count is logged when the log is next
/// written.
pub struct ScanLog {
    pending: Vec<Mutex<Vec<NewScan>>>,
    /// Held for writing while a flush has scans in flight (out of memory, not yet in the
    /// database), for reading while a scan is placed: a place never misses its scan between
    /// the two.
    in_flight: tokio::sync::RwLock<()>,
    waiting: std::sync::atomic::AtomicUsize,
    capacity: usize,
    dropped: std::sync::atomic::AtomicU64,
    /// `dropped` when it was last logged.
    logged: std::sync::atomic::AtomicU64,
}

impl Default for ScanLog {
    fn default() -> Self {
        Self::new(Self::CAPACITY)
    }
}

impl ScanLog {
    /// Scans waiting at most, by default (about 200 MB).
    pub const CAPACITY: usize = 1_000_000;

    pub fn new(capacity: usize) -> Self {
        Self {
            pending: (0..16).map(|_| Mutex::new(Vec::new())).collect(),
            in_flight: tokio::sync::RwLock::new(()),
            waiting: std::sync::atomic::AtomicUsize::new(0),
            capacity,
            dropped: std::sync::atomic::AtomicU64::new(0),
            logged: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Keeps a scan to write; `false` (and counted) when the log is full.
    pub fn record(&self, scan: NewScan) -> bool {
        use std::sync::atomic::Ordering;
        if self.waiting.fetch_add(1, Ordering::Relaxed) >= self.capacity {
            self.waiting.fetch_sub(1, Ordering::Relaxed);
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return false;
        }
        // The scan's id is time-ordered and random at the end: a fair spread.
        let i = usize::from(scan.id.as_bytes()[15]) % self.pending.len();
        self.pending[i].lock().unwrap_or_else(|p| p.into_inner()).push(scan);
        true
    }

    /// Scans dropped because the log was full, since the server started.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Sets the place of a scan, in memory or written already, if `client_hash` made it after
    /// `since` and it has none yet; `false` otherwise (no such scan, or not this client's).
    pub async fn place(
        &self,
        db: &DatabaseConnection,
        id: Uuid,
        code: &str,
        client_hash: &str,
        since: DateTime<Utc>,
        place: (f64, f64),
    ) -> Result<bool, DbErr> {
        let _settled = self.in_flight.read().await;
        if self.place_pending(id, code, client_hash, since, place) {
            return Ok(true);
        }
        traceability::set_scan_place(db, id, code, client_hash, since, place).await
    }

    fn place_pending(&self, id: Uuid, code: &str, client_hash: &str, since: DateTime<Utc>, place: (f64, f64)) -> bool {
        let i = usize::from(id.as_bytes()[15]) % self.pending.len();
        let mut pending = self.pending[i].lock().unwrap_or_else(|p| p.into_inner());
        match pending.iter_mut().find(|s| {
            s.id == id && s.code == code && s.place.is_none() && s.client_hash == client_hash && s.scanned_at >= since
        }) {
            Some(s) => {
                s.place = Some(place);
                true
            }
            None => false,
        }
    }

    /// Writes what was logged, in one transaction; on failure the scans are kept for the next
    /// time.
    pub async fn flush(&self, db: &DatabaseConnection) {
        let _in_flight = self.in_flight.write().await;
        let taken: Vec<NewScan> = self
            .pending
            .iter()
            .flat_map(|shard| std::mem::take(&mut *shard.lock().unwrap_or_else(|p| p.into_inner())))
            .collect();
        self.waiting.fetch_sub(taken.len(), std::sync::atomic::Ordering::Relaxed);
        let dropped = self.dropped();
        let before = self.logged.swap(dropped, std::sync::atomic::Ordering::Relaxed);
        if dropped > before {
            tracing::warn!(
                worker = "scan-log",
                dropped = dropped - before,
                dropped_since_start = dropped,
                "the scan log was full: scans were dropped"
            );
        }
        if let Err(e) = traceability::insert_scans(db, &taken).await {
            tracing::warn!(error = %e, scans = taken.len(), "could not write the scan log; kept for the next flush");
            for scan in taken {
                self.record(scan);
            }
        }
    }
}

/// What a trace needs to know of a stamp between two reads of the database: its batch and
/// serial, whether it is voided, and its scans (the count and the latest placed ones, with this
/// instance's own scans added as they happen). Entries are read again after about `TTL`, so
/// scans made through other instances and voids made elsewhere show within it.
pub struct StampEntry {
    pub batch_id: Uuid,
    pub serial: i64,
    pub voided: bool,
    pub count: u64,
    /// The latest scans, newest last, at most `RECENT`, and their ids (side by side).
    recent: std::collections::VecDeque<ocop_domain::traceability::Scan>,
    ids: std::collections::VecDeque<Uuid>,
    expires: std::time::Instant,
}

impl StampEntry {
    pub const RECENT: usize = 100;

    pub fn new(
        batch_id: Uuid,
        serial: i64,
        voided: bool,
        count: u64,
        recent: Vec<(Uuid, ocop_domain::traceability::Scan)>,
    ) -> Self {
        // Up to a fifth earlier, so stamps read in the same second are not all read again in
        // the same second.
        let jitter = StampCache::TTL.mul_f64(rand::rng().random_range(0.0..0.2));
        let (ids, recent) = recent.into_iter().unzip();
        Self {
            batch_id,
            serial,
            voided,
            count,
            recent,
            ids,
            expires: std::time::Instant::now() + StampCache::TTL - jitter,
        }
    }

    /// A code that is no stamp: answered as not valid without asking the database again until
    /// the entry expires.
    pub fn unknown() -> Self {
        Self::new(Uuid::nil(), 0, true, 0, Vec::new())
    }

    fn fresh(&self) -> bool {
        std::time::Instant::now() < self.expires
    }
}

/// Stamp codes are 64 random bits: their value needs no further hashing.
#[derive(Default)]
struct CodeHasher(u64);

impl std::hash::Hasher for CodeHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

type Entries = HashMap<u64, StampEntry, std::hash::BuildHasherDefault<CodeHasher>>;

/// Stamp entries by code value (`parse_stamp_code`), in shards so that concurrent scans of
/// different stamps rarely wait on each other.
pub struct StampCache {
    shards: Vec<Mutex<Entries>>,
}

impl Default for StampCache {
    fn default() -> Self {
        Self { shards: (0..32).map(|_| Mutex::new(Entries::default())).collect() }
    }
}

/// A stamp as a scan sees it.
pub struct Scanned {
    pub batch_id: Uuid,
    pub serial: i64,
    pub count: u64,
    pub signals: Vec<ocop_domain::traceability::Signal>,
}

/// Why a scan was not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Miss {
    /// Not read yet, or read too long ago: read it (again) and retry.
    Stale,
    /// Voided, or no stamp at all.
    Voided,
}

impl StampCache {
    const TTL: std::time::Duration = std::time::Duration::from_secs(30);
    const MAX_PER_SHARD: usize = 20_000;

    fn shard(&self, code: u64) -> std::sync::MutexGuard<'_, Entries> {
        // The high bits pick the shard; the map inside uses the low ones.
        let i = usize::try_from((code >> 58) % self.shards.len() as u64).unwrap_or(0);
        self.shards[i].lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Keeps a stamp as read. Its count never goes back: scans this instance counted but has
    /// not written yet are missing from what was read.
    pub fn put(&self, code: u64, mut entry: StampEntry) {
        let mut shard = self.shard(code);
        if let Some(before) = shard.get(&code).filter(|before| before.batch_id == entry.batch_id) {
            entry.count = entry.count.max(before.count);
        }
        if shard.len() >= Self::MAX_PER_SHARD {
            shard.retain(|_, e| e.fresh());
            if shard.len() >= Self::MAX_PER_SHARD {
                shard.clear();
            }
        }
        shard.insert(code, entry);
    }

    /// Counts a scan of a live stamp and tells the signals its scans raise.
    pub fn scan(
        &self,
        code: u64,
        id: Uuid,
        scan: ocop_domain::traceability::Scan,
        rules: &ocop_domain::traceability::SignalRules,
    ) -> Result<Scanned, Miss> {
        let mut shard = self.shard(code);
        let e = shard.get_mut(&code).filter(|e| e.fresh()).ok_or(Miss::Stale)?;
        if e.voided {
            return Err(Miss::Voided);
        }
        e.count += 1;
        e.recent.push_back(scan);
        e.ids.push_back(id);
        while e.recent.len() > StampEntry::RECENT {
            e.recent.pop_front();
            e.ids.pop_front();
        }
        let signals = ocop_domain::traceability::signals(e.recent.make_contiguous(), rules);
        Ok(Scanned { batch_id: e.batch_id, serial: e.serial, count: e.count, signals })
    }

    /// Records where a scan happened.
    pub fn place(&self, code: u64, id: Uuid, place: (f64, f64)) {
        if let Some(e) = self.shard(code).get_mut(&code)
            && let Some(at) = e.ids.iter().position(|i| *i == id)
        {
            e.recent[at].place = Some(place);
        }
    }

    /// Forgets the stamps of a batch (after a void), so the next scan reads them again.
    pub fn forget_batch(&self, batch_id: Uuid) {
        for shard in &self.shards {
            shard.lock().unwrap_or_else(|p| p.into_inner()).retain(|_, e| e.batch_id != batch_id);
        }
    }
}

/// The scan log's client hasher, keyed once a day.
pub struct DailyHasher {
    secret: Vec<u8>,
    current: std::sync::RwLock<(chrono::NaiveDate, std::sync::Arc<ClientHasher>)>,
}

impl DailyHasher {
    pub fn new(secret: Vec<u8>) -> Self {
        let first = ClientHasher::for_day(&secret, chrono::NaiveDate::MIN);
        Self { secret, current: std::sync::RwLock::new((chrono::NaiveDate::MIN, std::sync::Arc::new(first))) }
    }

    pub fn of(&self, day: chrono::NaiveDate) -> std::sync::Arc<ClientHasher> {
        {
            let current = self.current.read().unwrap_or_else(|p| p.into_inner());
            if current.0 == day {
                return current.1.clone();
            }
        }
        let hasher = std::sync::Arc::new(ClientHasher::for_day(&self.secret, day));
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = (day, hasher.clone());
        hasher
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ocop_domain::traceability::{Scan, SignalRules};

    fn scan(cache: &StampCache, code: u64) -> Result<Scanned, Miss> {
        scan_by(cache, code, 1)
    }

    fn scan_by(cache: &StampCache, code: u64, client: u64) -> Result<Scanned, Miss> {
        cache.scan(code, Uuid::now_v7(), Scan { at: chrono::Utc::now(), place: None, client }, &SignalRules::default())
    }

    #[test]
    fn a_stamp_read_again_never_loses_this_instance_s_scans() {
        let cache = StampCache::default();
        let batch = Uuid::now_v7();
        assert_eq!(scan(&cache, 7).err(), Some(Miss::Stale), "not read yet");
        cache.put(7, StampEntry::new(batch, 1, false, 3, Vec::new()));
        assert_eq!(scan(&cache, 7).map(|s| s.count).ok(), Some(4));
        assert_eq!(scan(&cache, 7).map(|s| s.count).ok(), Some(5));
        // Read again before the last two scans were written: the count stays.
        cache.put(7, StampEntry::new(batch, 1, false, 3, Vec::new()));
        let sixth = scan(&cache, 7).expect("counted");
        assert_eq!(sixth.count, 6);
        assert!(sixth.signals.is_empty(), "all by one client");
        // Read after they were written elsewhere too: the larger count wins.
        cache.put(7, StampEntry::new(batch, 1, false, 10, Vec::new()));
        assert_eq!(scan(&cache, 7).map(|s| s.count).ok(), Some(11));
    }

    #[test]
    fn a_full_scan_log_drops_and_counts() {
        let log = ScanLog::new(2);
        let scan = || NewScan {
            id: Uuid::now_v7(),
            code: "X".into(),
            product_id: Uuid::nil(),
            area_path: "/22/".into(),
            scanned_at: chrono::Utc::now(),
            place: None,
            device_class: "mobile",
            client_hash: String::new(),
        };
        assert!(log.record(scan()) && log.record(scan()));
        assert!(!log.record(scan()), "full");
        assert_eq!(log.dropped(), 1);
    }

    #[test]
    fn six_clients_within_the_window_raise_a_signal() {
        let cache = StampCache::default();
        cache.put(5, StampEntry::new(Uuid::now_v7(), 1, false, 0, Vec::new()));
        for client in 1..=5 {
            assert!(scan_by(&cache, 5, client).expect("counted").signals.is_empty());
        }
        let sixth = scan_by(&cache, 5, 6).expect("counted");
        assert_eq!(sixth.signals, vec![ocop_domain::traceability::Signal::TooManyScans]);
    }

    #[test]
    fn unknown_and_voided_codes_are_not_counted() {
        let cache = StampCache::default();
        cache.put(8, StampEntry::unknown());
        assert_eq!(scan(&cache, 8).err(), Some(Miss::Voided));
        cache.put(9, StampEntry::new(Uuid::now_v7(), 1, true, 2, Vec::new()));
        assert_eq!(scan(&cache, 9).err(), Some(Miss::Voided));
    }

    #[test]
    fn entries_expire_within_the_ttl() {
        let e = StampEntry::new(Uuid::now_v7(), 1, false, 0, Vec::new());
        let left = e.expires - std::time::Instant::now();
        assert!(left <= StampCache::TTL && left >= StampCache::TTL.mul_f64(0.79), "{left:?}");
    }
}
