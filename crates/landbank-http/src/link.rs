//! Absolute links: the base URL of the service, from configuration or the request's `Host`.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use serde::Serialize;

use crate::AppState;
use crate::error::ApiError;

/// The URL the service is reached at, without a trailing slash.
#[derive(Debug, Clone)]
pub struct Base(pub String);

impl FromRequestParts<AppState> for Base {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Base, ApiError> {
        if let Some(url) = &state.public_url {
            return Ok(Base(url.to_string()));
        }
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| parts.uri.authority().map(axum::http::uri::Authority::as_str))
            .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b)))
            .unwrap_or("localhost");
        Ok(Base(format!("http://{host}")))
    }
}

/// A web link as OGC API documents carry them.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub href: String,
    pub rel: &'static str,
    #[serde(rename = "type")]
    pub media_type: &'static str,
    pub title: String,
}

impl Link {
    pub fn new(href: String, rel: &'static str, media_type: &'static str, title: impl Into<String>) -> Link {
        Link { href, rel, media_type, title: title.into() }
    }
}

pub const JSON: &str = "application/json";
pub const GEOJSON: &str = "application/geo+json";
pub const HTML: &str = "text/html";
pub const OPENAPI: &str = "application/vnd.oai.openapi+json;version=3.0";
pub const SCHEMA: &str = "application/schema+json";
