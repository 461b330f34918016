//! Request extractors whose failures are problem+json with field paths.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, mime, web};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ErrorCode, FieldError};

/// JSON body: 415 without a JSON content type, 413 over the body limit, 400 for broken JSON,
/// 422 with the field path for wrong types, unknown enum values and missing fields.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<mime::Mime>().ok())
            .is_some_and(|m| m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON));
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::new(ErrorCode::UnsupportedMediaType).with_message(
                    "Nội dung phải là JSON (Content-Type: application/json).",
                    "The body must be JSON (Content-Type: application/json).",
                ));
            }
            let bytes = bytes.await.map_err(|e| {
                if e.as_response_error().status_code() == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::new(ErrorCode::PayloadTooLarge)
                } else {
                    ApiError::malformed(e.to_string())
                }
            })?;
            parse_json(&bytes).map(ApiJson)
        })
    }
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Syntax first (a cheap pass that builds nothing), so broken JSON is always a 400.
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes)
        .map_err(|e| ApiError::malformed(format!("invalid JSON at line {}, column {}", e.line(), e.column())))?;
    // JSON writes a NUL character only as `\u0000`; no text may hold one (PostgreSQL refuses it).
    if bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
        return Err(ApiError::malformed("text may not contain a NUL character (\\u0000)"));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let field = if path == "." { String::new() } else { path };
        let detail = strip_position(&err.into_inner().to_string());
        ApiError::new(ErrorCode::ValidationFailed).with_field(FieldError::new(
            field,
            "invalid_type",
            format!("Giá trị không hợp lệ: {detail}"),
            format!("Invalid value: {detail}"),
        ))
    })
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Errors of actix's own Query and Path extractors, as problems.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| ApiError::malformed(err.to_string()).into())
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, _req| ApiError::malformed(err.to_string()).into())
}
