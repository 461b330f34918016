//! The list envelope shared by every limit/offset list: `{"items": [...], "total": n}`.

use ocop_persistence::paging::Paging;
use serde::Serialize;
use utoipa::ToSchema;

pub const DEFAULT_LIMIT: u64 = 20;
pub const MAX_LIMIT: u64 = 200;

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    /// Number of items matching the filters, over all pages.
    #[schema(example = 57)]
    pub total: u64,
}

impl<T: ToSchema> Page<T> {
    pub fn map<S, F: FnMut(S) -> T>(page: ocop_persistence::paging::Paged<S>, f: F) -> Self {
        Self { items: page.items.into_iter().map(f).collect(), total: page.total }
    }
}

/// Limit defaults to 20 and is clamped to 1..=200.
pub fn paging(limit: Option<u64>, offset: Option<u64>) -> Paging {
    Paging { limit: limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT), offset: offset.unwrap_or(0) }
}
