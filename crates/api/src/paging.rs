//! The list envelopes: `{"items": [...], "total": n}` for limit/offset paging and
//! `{"items": [...], "next_cursor": "..."}` for cursor paging (append-only, unbounded lists).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ocop_persistence::paging::Paging;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;

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

#[derive(Debug, Serialize, ToSchema)]
pub struct CursorPage<T: ToSchema> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[schema(example = "MDE5YThmMmUtN2IxYy03ZTNhLTljNTEtM2YwZDJhNmI4ZTUw")]
    pub next_cursor: Option<String>,
}

impl<T: ToSchema> CursorPage<T> {
    /// `rows` holds up to `limit + 1` rows: the extra one only says that another page follows,
    /// and the cursor points after the last row shown.
    pub fn from_rows<S, F: FnMut(S) -> T>(mut rows: Vec<S>, limit: u64, key: impl Fn(&S) -> Uuid, f: F) -> Self {
        let more = rows.len() as u64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        let next_cursor = if more { rows.last().map(|r| encode_cursor(key(r))) } else { None };
        Self { items: rows.into_iter().map(f).collect(), next_cursor }
    }
}

fn encode_cursor(id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(id.to_string())
}

/// An opaque cursor back to the row id it stands for; anything else is a 400.
pub fn decode_cursor(cursor: &str) -> Result<Uuid, ApiError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| Uuid::parse_str(&text).ok())
        .ok_or_else(|| ApiError::malformed("invalid cursor"))
}

/// Limit defaults to 20 and is clamped to 1..=200.
/// `limit` and `offset`, for lists that take no other filter.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams, validator::Validate)]
#[into_params(parameter_in = Query)]
pub struct PagingQuery {
    /// 1–200, default 20.
    #[validate(range(min = 1, max = 200))]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// The largest offset a database takes (a signed 64-bit number).
pub const MAX_OFFSET: u64 = i64::MAX as u64;

/// Limit and offset as the database takes them: the limit clamped, an offset past
/// [`MAX_OFFSET`] a 400 (the database layer would otherwise fail on it).
pub fn paging(limit: Option<u64>, offset: Option<u64>) -> Result<Paging, ApiError> {
    Ok(Paging { limit: limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT), offset: checked_offset(offset)? })
}

pub fn checked_offset(offset: Option<u64>) -> Result<u64, ApiError> {
    match offset {
        Some(offset) if offset > MAX_OFFSET => Err(ApiError::new(crate::error::ErrorCode::MalformedRequest)
            .with_message(format!("offset tối đa là {MAX_OFFSET}."), format!("offset is at most {MAX_OFFSET}."))
            .with_field(crate::error::FieldError::new(
                "offset",
                "out_of_range",
                format!("Tối đa {MAX_OFFSET}."),
                format!("At most {MAX_OFFSET}."),
            ))),
        offset => Ok(offset.unwrap_or(0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offset_past_what_the_database_takes_is_a_bad_request() {
        assert_eq!(paging(None, Some(MAX_OFFSET)).expect("largest").offset, MAX_OFFSET);
        assert!(paging(None, Some(MAX_OFFSET + 1)).is_err());
        assert_eq!(paging(Some(10_000), None).expect("clamped").limit, MAX_LIMIT);
    }

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let id = Uuid::now_v7();
        assert_eq!(decode_cursor(&encode_cursor(id)).unwrap(), id);
        assert!(decode_cursor("not a cursor").is_err());
        assert!(decode_cursor(&URL_SAFE_NO_PAD.encode("not-a-uuid")).is_err());
    }

    #[test]
    fn a_cursor_is_given_only_when_more_rows_follow() {
        let ids: Vec<Uuid> = (0..3).map(|_| Uuid::now_v7()).collect();
        let page = CursorPage::<String>::from_rows(ids.clone(), 2, |id| *id, |id| id.to_string());
        assert_eq!(page.items.len(), 2);
        assert_eq!(decode_cursor(page.next_cursor.as_deref().unwrap()).unwrap(), ids[1]);
        let last = CursorPage::<String>::from_rows(ids[..2].to_vec(), 2, |id| *id, |id| id.to_string());
        assert!(last.next_cursor.is_none());
    }
}
