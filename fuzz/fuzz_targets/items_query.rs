//! `GET /collections/{id}/items?…` over the Dongxing inventory: query-string parsing and CQL2 parse + evaluate.
//!
//! The first byte picks the collection; the rest is used three ways:
//! 1. as the raw query string, bytes as they are (inputs that cannot form a valid URI are skipped for this one);
//! 2. percent-encoded as `filter=…&filter-lang=cql2-text`;
//! 3. percent-encoded as `filter=…&filter-lang=cql2-json`.
//!
//! Every answer must be below 500; a 4xx must be `application/problem+json` with a JSON body; a 200 JSON answer
//! must be JSON.

#![no_main]

use std::sync::OnceLock;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{Request, Uri, header};
use http_body_util::BodyExt;
use landbank_http::{AppState, router};
use landbank_inventory::Inventory;
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

const COLLECTIONS: [&str; 6] = ["parcels", "units", "buildings", "zones", "projects", "pois"];

struct App {
    runtime: tokio::runtime::Runtime,
    router: Router,
}

fn app() -> &'static App {
    static APP: OnceLock<App> = OnceLock::new();
    APP.get_or_init(|| {
        let runtime =
            tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a current-thread runtime");
        let inventory = Inventory::new(landbank_gen::dongxing()).expect("the Dongxing fixtures assemble");
        App { runtime, router: router(AppState::new(inventory)) }
    })
}

/// Percent-encodes every byte but the unreserved ones, so the server decodes exactly `bytes`
/// (non-UTF-8 sequences become U+FFFD there).
fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn call(app: &App, uri: Uri) {
    let shown = uri.to_string();
    let request = Request::get(uri)
        .header(header::HOST, "landbank.test")
        .body(Body::empty())
        .expect("a request from a valid URI");
    let (status, content_type, body) = app.runtime.block_on(async {
        let response = app.router.clone().oneshot(request).await.expect("the router is infallible");
        let status = response.status();
        let content_type =
            response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        let body = response.into_body().collect().await.expect("the body is read").to_bytes();
        (status, content_type, body)
    });
    let text = || String::from_utf8_lossy(&body).into_owned();
    assert!(!status.is_server_error(), "GET {shown} answered {status}: {}", text());
    if status.is_client_error() {
        assert_eq!(content_type, "application/problem+json", "GET {shown} answered {status}: {}", text());
        let problem: Result<serde_json::Value, _> = serde_json::from_slice(&body);
        assert!(problem.is_ok_and(|p| p.is_object()), "GET {shown}: {status} with a body that is not JSON: {}", text());
    } else if status.is_success() && (content_type.contains("json")) {
        let doc: Result<serde_json::Value, _> = serde_json::from_slice(&body);
        assert!(doc.is_ok(), "GET {shown}: {status} {content_type} with a body that is not JSON: {}", text());
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let collection = COLLECTIONS[usize::from(pick) % COLLECTIONS.len()];
    let app = app();
    let path = format!("/collections/{collection}/items");

    // 1. The raw query string.
    let mut raw = Vec::with_capacity(path.len() + 1 + rest.len());
    raw.extend_from_slice(path.as_bytes());
    raw.push(b'?');
    raw.extend_from_slice(rest);
    if let Ok(uri) = Uri::from_maybe_shared(Bytes::from(raw)) {
        call(app, uri);
    }

    // 2. and 3. The input as a CQL2 filter, text and JSON.
    let filter = encode(rest);
    for lang in ["cql2-text", "cql2-json"] {
        let uri = format!("{path}?filter={filter}&filter-lang={lang}");
        call(app, Uri::try_from(uri).expect("a percent-encoded query is a valid URI"));
    }
});
