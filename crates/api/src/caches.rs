//! In-memory caches of one instance (the scale design allows them per instance): the batch
//! part of stamp traces and built catalog pages.

use std::collections::HashMap;
use std::sync::Mutex;

use actix_web::web::Bytes;
use uuid::Uuid;

/// Catalog answers already built, under the catalog's fingerprint: a page is built once per
/// change of the catalog, whatever the number of callers. Bounded in bytes (0: nothing is
/// kept); emptied when the fingerprint moves on.
pub struct PageCache {
    capacity: usize,
    inner: Mutex<CacheInner>,
}

#[derive(Default)]
struct CacheInner {
    fingerprint: String,
    bytes: usize,
    pages: HashMap<String, Bytes>,
}

impl PageCache {
    pub fn new(capacity: usize) -> Self {
        Self { capacity, inner: Mutex::default() }
    }

    pub fn get(&self, fingerprint: &str, key: &str) -> Option<Bytes> {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if inner.fingerprint == fingerprint { inner.pages.get(key).cloned() } else { None }
    }

    pub fn put(&self, fingerprint: &str, key: String, body: Bytes) {
        if body.len() > self.capacity {
            return;
        }
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if inner.fingerprint != fingerprint || inner.bytes + body.len() > self.capacity {
            *inner = CacheInner { fingerprint: fingerprint.to_owned(), ..CacheInner::default() };
        }
        inner.bytes += body.len();
        inner.pages.insert(key, body);
    }
}

/// What a trace answer says about a batch that does not change from scan to scan, kept for a
/// minute so the public lookup costs one indexed read and the scan count.
pub struct TraceCache<T> {
    entries: std::sync::RwLock<HashMap<Uuid, (std::time::Instant, std::sync::Arc<T>)>>,
}

impl<T> Default for TraceCache<T> {
    fn default() -> Self {
        Self { entries: std::sync::RwLock::new(HashMap::new()) }
    }
}

impl<T> TraceCache<T> {
    const TTL: std::time::Duration = std::time::Duration::from_secs(60);

    pub fn get(&self, batch: Uuid) -> Option<std::sync::Arc<T>> {
        let entries = self.entries.read().unwrap_or_else(|p| p.into_inner());
        entries.get(&batch).filter(|(at, _)| at.elapsed() < Self::TTL).map(|(_, v)| v.clone())
    }

    pub fn put(&self, batch: Uuid, value: std::sync::Arc<T>) {
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        if entries.len() > 10_000 {
            entries.retain(|_, (at, _)| at.elapsed() < Self::TTL);
        }
        entries.insert(batch, (std::time::Instant::now(), value));
    }

    /// Forgets a batch whose record changed.
    pub fn forget(&self, batch: Uuid) {
        self.entries.write().unwrap_or_else(|p| p.into_inner()).remove(&batch);
    }
}
