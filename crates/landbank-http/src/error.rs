//! The one error type of the HTTP surface and its RFC 9457 problem+json rendering.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Everything a request can fail with. The status of each variant is decided in [`ApiError::status`].
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("unknown query parameter `{name}`; this endpoint accepts: {allowed}")]
    UnknownParameter { name: String, allowed: String },
    #[error("invalid value for `{name}`: {reason}")]
    InvalidParameter { name: String, reason: String },
    #[error("parameter `{name}` is given more than once")]
    RepeatedParameter { name: String },
    #[error("there is no collection `{id}`; the collections are: {known}")]
    UnknownCollection { id: String, known: String },
    #[error("collection `{collection}` has no feature with id `{id}`")]
    FeatureNotFound { collection: String, id: String },
    #[error("nothing is served at `{path}`; start at `/` for the landing page")]
    NotFound { path: String },
    #[error("collection `{collection}` has no geometry and so no tiles; read it at /collections/{collection}/items")]
    NoTiles { collection: String },
    #[error("method not allowed on this path")]
    MethodNotAllowed,
    #[error("{0}")]
    NotAcceptable(String),
    #[error("the request body is not valid: {0}")]
    InvalidBody(String),
    #[error("send the body as application/json (got {0})")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    NotEditable(String),
    /// `If-Match` names another version of the feature than the current one.
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("{0}")]
    PreconditionRequired(String),
    #[error("{0}")]
    Unprocessable(String),
    #[error("Idempotency-Key `{0}` was used for a different request; use a new key for a new request")]
    IdempotencyKeyReused(String),
    #[error("this server has no store to write to; it serves reads only")]
    ReadOnly,
    /// An anonymous client went over its rate.
    #[error("too many requests from this address without a token; retry in {retry_after_s} s, or use a token")]
    RateLimited { retry_after_s: u64 },
    /// Too many requests in flight, or a request that ran out of time.
    #[error("{0}")]
    Busy(String),
    /// The database cannot be reached: reads go on from memory, writes are refused until it is back.
    #[error("the database cannot be reached; reads are still served, retry the write later")]
    StoreUnavailable,
    /// A bug or an outside failure. The detail goes to the log, never to the client.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    /// The HTTP status of each error; exhaustive so that a new variant forces a decision.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::UnknownParameter { .. }
            | ApiError::InvalidParameter { .. }
            | ApiError::RepeatedParameter { .. }
            | ApiError::InvalidBody(_) => StatusCode::BAD_REQUEST,
            ApiError::UnknownCollection { .. }
            | ApiError::FeatureNotFound { .. }
            | ApiError::NotFound { .. }
            | ApiError::NoTiles { .. } => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed | ApiError::NotEditable(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            ApiError::PreconditionRequired(_) => StatusCode::PRECONDITION_REQUIRED,
            ApiError::Unprocessable(_) | ApiError::IdempotencyKeyReused(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::ReadOnly | ApiError::StoreUnavailable | ApiError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable machine-readable code, also the last segment of the problem `type`.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::UnknownParameter { .. } => "unknown-parameter",
            ApiError::InvalidParameter { .. } => "invalid-parameter",
            ApiError::RepeatedParameter { .. } => "repeated-parameter",
            ApiError::UnknownCollection { .. } => "unknown-collection",
            ApiError::FeatureNotFound { .. } => "feature-not-found",
            ApiError::NotFound { .. } => "not-found",
            ApiError::NoTiles { .. } => "no-tiles",
            ApiError::MethodNotAllowed => "method-not-allowed",
            ApiError::InvalidBody(_) => "invalid-body",
            ApiError::UnsupportedMediaType(_) => "unsupported-media-type",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::Conflict(_) => "conflict",
            ApiError::NotEditable(_) => "not-editable",
            ApiError::PreconditionFailed(_) => "precondition-failed",
            ApiError::PreconditionRequired(_) => "precondition-required",
            ApiError::Unprocessable(_) => "unprocessable",
            ApiError::IdempotencyKeyReused(_) => "idempotency-key-reused",
            ApiError::ReadOnly => "read-only",
            ApiError::StoreUnavailable => "store-unavailable",
            ApiError::Busy(_) => "busy",
            ApiError::RateLimited { .. } => "rate-limited",
            ApiError::NotAcceptable(_) => "not-acceptable",
            ApiError::Internal(_) => "internal",
        }
    }

    pub fn invalid(name: &str, reason: impl Into<String>) -> ApiError {
        ApiError::InvalidParameter { name: name.to_owned(), reason: reason.into() }
    }
}

/// How long a client should wait before retrying a write the database was not there for, in seconds.
const RETRY_AFTER_SECONDS: &str = "5";

/// RFC 9457 problem details, plus our `code`.
#[derive(Debug, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    pub code: &'static str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let detail = match &self {
            ApiError::Internal(internal) => {
                tracing::error!(error = %internal, "internal error");
                "the server failed to answer; the failure is logged".to_owned()
            }
            other => other.to_string(),
        };
        let problem = Problem {
            kind: format!("urn:landbank:problem:{}", self.code()),
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail,
            code: self.code(),
        };
        let mut response = (status, Json(problem)).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if matches!(self, ApiError::StoreUnavailable) {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECONDS));
        }
        if let ApiError::RateLimited { retry_after_s } = self
            && let Ok(value) = HeaderValue::from_str(&retry_after_s.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
