//! CPU-heavy work (reading workbooks, building PDFs and QR sheets, checking polygons, hashing
//! passwords) runs on the blocking pool, never on the async workers that answer everyone else,
//! and only so many jobs at once: past the cap a request waits briefly, then gets 503 with
//! `Retry-After` instead of stalling the server.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::error::{ApiError, ApiResult, ErrorCode};

/// How much heavy work runs at once, and how long a request waits for a turn.
#[derive(Debug, Clone, Copy)]
pub struct HeavyLimits {
    /// Jobs running at once (`OCOP_HEAVY_CONCURRENCY`; default: the number of cores).
    pub concurrency: usize,
    /// How long a request waits for a free slot before 503 (`OCOP_HEAVY_QUEUE_WAIT_MS`).
    pub queue_wait: Duration,
}

impl Default for HeavyLimits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        Self { concurrency: cores, queue_wait: Duration::from_secs(5) }
    }
}

/// The gate in front of the blocking pool.
#[derive(Clone)]
pub struct Heavy {
    slots: Arc<Semaphore>,
    queue_wait: Duration,
}

impl Heavy {
    pub fn new(limits: HeavyLimits) -> Self {
        Self { slots: Arc::new(Semaphore::new(limits.concurrency.max(1))), queue_wait: limits.queue_wait }
    }

    /// Runs `work` on the blocking pool once a slot is free; 503 with `Retry-After` when none
    /// frees up within the queue wait.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> ApiResult<T> {
        let slot = tokio::time::timeout(self.queue_wait, Arc::clone(&self.slots).acquire_owned())
            .await
            .map_err(|_| busy())?
            .map_err(ApiError::internal)?;
        tokio::task::spawn_blocking(move || {
            let _slot = slot;
            work()
        })
        .await
        .map_err(ApiError::internal)
    }
}

fn busy() -> ApiError {
    ApiError::new(ErrorCode::Unavailable)
        .with_message(
            "Máy chủ đang bận xử lý các tác vụ nặng, vui lòng thử lại sau ít giây.",
            "The server is busy with heavy work; try again in a few seconds.",
        )
        .retry_after(5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn past_the_cap_a_request_is_told_to_retry_instead_of_waiting_forever() {
        let heavy = Heavy::new(HeavyLimits { concurrency: 1, queue_wait: Duration::from_millis(50) });
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let first = {
            let heavy = heavy.clone();
            tokio::spawn(async move {
                heavy
                    .run(move || {
                        started_tx.send(()).ok();
                        release_rx.recv().ok();
                        1
                    })
                    .await
            })
        };
        tokio::task::spawn_blocking(move || started_rx.recv()).await.expect("join").expect("started");
        let refused = heavy.run(|| 2).await.expect_err("no slot");
        assert_eq!(refused.code, ErrorCode::Unavailable);
        release_tx.send(()).expect("release");
        assert_eq!(first.await.expect("join").expect("ran"), 1);
        assert_eq!(heavy.run(|| 3).await.expect("a slot again"), 3);
    }
}
