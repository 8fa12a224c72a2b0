//! HTTP caching: strong `ETag`s, `304 Not Modified`, `Cache-Control` and `Vary`, without building bodies.
//!
//! Every read answer is a deterministic function of the snapshot, the request's path and query, the negotiated
//! format, the base URL (and, for the date-defaulting `/stats`, `/availability` and `/reports`, today's date). So the tag
//! is `"<snapshot version>-<hash of that request key>"`, computed from the request alone: a matching
//! `If-None-Match` is answered `304` before the handler runs, and bodies are streamed, never buffered.
//!
//! Compression: the raw `Accept-Encoding` header is part of the request key, so a gzip, a brotli and an
//! identity answer of the same resource carry different tags and the tags stay honestly strong. (A client that
//! changes its `Accept-Encoding` merely misses the cache once.) tower-http's compression layer leaves `ETag`
//! alone, and `Vary: Accept, Accept-Encoding` tells shared caches about both negotiations.
//!
//! A single feature (`/collections/{id}/items/{fid}`) is tagged by its own state instead of the snapshot's: a
//! digest of its canonical GeoJSON ([`feature_state`]), so its tag survives changes to other features, is the same
//! on every node, and is what `If-Match` names on a write (see [`crate::edit`]).
//!
//! Should a write replace the snapshot while a handler runs, the version read before and after differ and the
//! answer goes out without a tag rather than with a wrong one. Errors never get a tag and are never a `304`.

use std::collections::hash_map::DefaultHasher;
use std::hash::{BuildHasher as _, Hash as _, Hasher as _};
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use landbank_inventory::{Inventory, Layer};

use crate::AppState;
use crate::format::{Format, preferred};

const DATA: &str = "public, max-age=60";
const NO_STORE: &str = "no-store";
const PRIVATE: &str = "private, max-age=60";
const VARY: &str = "Accept, Accept-Encoding, Authorization";

/// A version that names one snapshot: random per process, counted within it, so two snapshots with different
/// data never share a version across restarts or nodes.
pub fn new_version() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    // `RandomState` is seeded from the operating system's randomness; mix in the clock and the process id too.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    std::time::SystemTime::now().hash(&mut hasher);
    std::process::id().hash(&mut hasher);
    count.hash(&mut hasher);
    format!("{:016x}{count:x}", hasher.finish())
}

/// The state of one feature: a digest of its canonical GeoJSON (CRS84, every property), the same on every node
/// that holds the same record. `None` when there is no such feature.
pub fn feature_state(inventory: &Inventory, layer: Layer, id: i64) -> Option<String> {
    let record = landbank_geojson::record(inventory, layer, id)?;
    let mut out = Vec::with_capacity(2_048);
    landbank_geojson::write_feature(&mut out, inventory, record, None).ok()?;
    Some(crate::write::digest(&[&out]))
}

/// The state of the feature a path names (`/collections/{id}/items/{fid}`), if it names one that exists.
fn item_state(inventory: &Inventory, path: &str) -> Option<String> {
    let rest = path.strip_prefix("/collections/")?;
    let (collection, rest) = rest.split_once('/')?;
    let id = rest.strip_prefix("items/")?.parse().ok()?;
    feature_state(inventory, collection.parse().ok()?, id)
}

/// Paths whose GET answers depend only on the snapshot and the request.
fn cacheable(path: &str) -> bool {
    matches!(path, "/" | "/conformance" | "/api" | "/collections" | "/stats" | "/styles/default")
        || path.starts_with("/collections/")
        || path.starts_with("/tiles/")
        || path.starts_with("/availability/")
        || path.starts_with("/reports/")
}

/// Answers that must never be stored: health probes.
fn uncacheable(path: &str) -> bool {
    matches!(path, "/health" | "/ready") || path.starts_with("/tokens")
}

/// The strong tag of a request's answer from `version`.
fn tag(version: &str, request: &Request, base: &str) -> String {
    let headers = request.headers();
    let header = |name| headers.get(name).map(HeaderValue::as_bytes).unwrap_or_default();
    let format = match preferred(std::str::from_utf8(header(header::ACCEPT)).unwrap_or("")) {
        Format::Json => "json",
        Format::Html => "html",
    };
    // Deterministic SipHash (fixed keys): the version already differs between processes.
    let mut hasher = DefaultHasher::new();
    request.uri().path().hash(&mut hasher);
    request.uri().query().unwrap_or("").hash(&mut hasher);
    // A token holder sees restricted fields: the two views never share a tag.
    headers.contains_key(header::AUTHORIZATION).hash(&mut hasher);
    format.hash(&mut hasher);
    base.hash(&mut hasher);
    header(header::ACCEPT_ENCODING).hash(&mut hasher);
    let path = request.uri().path();
    if path == "/stats" || path.starts_with("/availability/") || path.starts_with("/reports/") {
        crate::report::today().to_string().hash(&mut hasher);
    }
    format!("\"{version}-{:016x}\"", hasher.finish())
}

/// The base URL links are built from, as [`crate::link::Base`] finds it.
fn base(state: &AppState, headers: &HeaderMap) -> String {
    match &state.public_url {
        Some(url) => url.to_string(),
        None => headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("").to_owned(),
    }
}

/// Whether an `If-None-Match` value matches `etag` (weak comparison, as RFC 9110 §13.1.2 asks).
fn none_match(value: &str, etag: &str) -> Option<bool> {
    let mut any = false;
    for candidate in value.split(',').map(str::trim) {
        if candidate == "*" {
            return None;
        }
        any |= candidate.strip_prefix("W/").unwrap_or(candidate) == etag;
    }
    Some(any)
}

fn not_modified(etag: &str, private: bool) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(if private { PRIVATE } else { DATA }));
    headers.insert(header::VARY, HeaderValue::from_static(VARY));
    response
}

/// The caching middleware; see the module documentation.
pub async fn conditional(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let read = matches!(*request.method(), Method::GET | Method::HEAD);
    if !read || uncacheable(&path) || !cacheable(&path) {
        let mut response = next.run(request).await;
        if !read || uncacheable(&path) {
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(NO_STORE));
        }
        return response;
    }
    // An answer to a token holder may carry restricted fields: shared caches must not keep it.
    let private = request.headers().contains_key(header::AUTHORIZATION);
    let snapshot = state.snapshot();
    let before = snapshot.version.clone();
    let version = item_state(&snapshot.inventory, &path).unwrap_or_else(|| before.clone());
    drop(snapshot);
    let etag = tag(&version, &request, &base(&state, request.headers()));
    let wanted = request.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let matched = wanted.as_deref().map(|w| none_match(w, &etag));
    if matched == Some(Some(true)) {
        return not_modified(&etag, private);
    }
    let mut response = next.run(request).await;
    if !response.status().is_success() || state.snapshot().version != before {
        return response;
    }
    if matched == Some(None) {
        // `If-None-Match: *` and the resource exists: drop the body unread.
        return not_modified(&etag, private);
    }
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(if private { PRIVATE } else { DATA }));
    }
    headers.insert(header::VARY, HeaderValue::from_static(VARY));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly_and_understands_a_star() {
        assert_eq!(none_match("\"a-1\"", "\"a-1\""), Some(true));
        assert_eq!(none_match("\"x\", W/\"a-1\"", "\"a-1\""), Some(true));
        assert_eq!(none_match("\"a-2\"", "\"a-1\""), Some(false));
        assert_eq!(none_match("*", "\"a-1\""), None);
    }

    #[test]
    fn versions_never_repeat() {
        assert_ne!(new_version(), new_version());
    }
}
