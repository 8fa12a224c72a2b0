//! The web map: the page at `/` and its files under `/app/`.
//!
//! The page is built by npm from `web/` and embedded in the binary (see `build.rs`); `serve --web-dir DIR` serves
//! a directory instead, read on every request, for working on the page. When neither has a page, `/` answers the
//! HTML landing page with the commands that build it. `/app/config.json` tells the page the deployment's settings
//! (a raster basemap, when one is configured).

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::AppState;
use crate::error::ApiError;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/web_files.rs"));
}

/// Where the page comes from.
#[derive(Clone, Debug, Default)]
pub enum Web {
    /// The page built into the binary (none when npm was not available at build time).
    #[default]
    Embedded,
    /// A directory holding a built page (`web/dist`), read on every request.
    Dir(Arc<Path>),
}

/// A raster basemap drawn under the park's own layers.
#[derive(Clone, Debug)]
pub struct Basemap {
    /// An XYZ tile URL template, `https://…/{z}/{x}/{y}.png`.
    pub tiles: String,
    pub attribution: String,
}

/// The web map's settings.
#[derive(Clone, Debug, Default)]
pub struct WebConfig {
    pub source: Web,
    pub basemap: Option<Basemap>,
}

impl WebConfig {
    /// A file of the page, by its path under `/app/` (`index.html` for the page itself): straight from the
    /// binary, or read from the directory.
    fn file(&self, path: &str) -> Option<Bytes> {
        match &self.source {
            Web::Embedded => {
                embedded::FILES.iter().find(|(p, _)| *p == path).map(|(_, bytes)| Bytes::from_static(bytes))
            }
            Web::Dir(dir) => std::fs::read(safe_join(dir, path)?).ok().map(Bytes::from),
        }
    }

    /// Whether there is a page to serve at `/`.
    pub fn has_page(&self) -> bool {
        match &self.source {
            Web::Embedded => embedded::FILES.iter().any(|(p, _)| *p == "index.html"),
            Web::Dir(dir) => dir.join("index.html").is_file(),
        }
    }

    fn config(&self) -> Value {
        json!({
            "basemap": self.basemap.as_ref().map(|b| json!({"tiles": [b.tiles], "attribution": b.attribution})),
        })
    }
}

/// `dir/path` when `path` is a plain relative path (no `..`, no root).
fn safe_join(dir: &Path, path: &str) -> Option<PathBuf> {
    let relative = Path::new(path);
    relative.components().all(|c| matches!(c, Component::Normal(_))).then(|| dir.join(relative))
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("pbf") => "application/x-protobuf",
        _ => "application/octet-stream",
    }
}

/// The page itself; `None` when there is none.
pub fn page(state: &AppState) -> Option<Response> {
    let web = state.web();
    let body = web.file("index.html")?;
    Some(
        (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            ],
            body,
        )
            .into_response(),
    )
}

/// `GET /app/`: the page, as at `/`.
pub async fn index(State(state): State<AppState>) -> Result<Response, ApiError> {
    page(&state).ok_or_else(|| ApiError::NotFound { path: "/app/ (the web map is not built)".to_owned() })
}

/// `GET /app/{*path}`: a file of the page. Built assets have content hashes in their names and are cached for a
/// year; everything else is revalidated.
pub async fn asset(State(state): State<AppState>, UrlPath(path): UrlPath<String>) -> Result<Response, ApiError> {
    let web = state.web();
    if path == "config.json" {
        return Ok(crate::html::json(&web.config()));
    }
    let cache = if path.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type(&path))),
        (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
    ];
    match web.file(&path) {
        Some(bytes) => Ok((headers, bytes).into_response()),
        None => Err(ApiError::NotFound { path: format!("/app/{path}") }),
    }
}

/// What `/` says when the page was not built.
pub const NOT_BUILT: &str = "The web map is not built into this binary: install Node.js and npm, then run \
    <code>npm ci --prefix web &amp;&amp; npm run build --prefix web</code> and build landbank again (or serve the \
    built page with <code>landbank serve --web-dir web/dist</code>).";
