//! The landing page, the conformance declaration and the health probe.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::error::ApiError;
use crate::format::Format;
use crate::link::{Base, HTML, JSON, Link, OPENAPI};
use crate::query::Params;
use crate::{AppState, html};

/// The conformance classes this service passes, and only those.
pub const CONFORMANCE: [&str; 18] = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/optimistic-locking-etags",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
];

pub const TITLE: &str = "landbank — Dongxing Industrial Park land and factory-space inventory";
pub const DESCRIPTION: &str =
    "Land parcels, standard-factory buildings and lettable units of the park, served as OGC API – Features.";

pub fn landing_links(base: &Base) -> Vec<Link> {
    let b = &base.0;
    vec![
        Link::new(format!("{b}/?f=json"), "self", JSON, "This document"),
        Link::new(format!("{b}/?f=html"), "alternate", HTML, "This document as HTML"),
        Link::new(format!("{b}/api"), "service-desc", OPENAPI, "The API definition (OpenAPI 3.0)"),
        Link::new(format!("{b}/api"), "service-doc", OPENAPI, "The API documentation"),
        Link::new(format!("{b}/conformance"), "conformance", JSON, "Conformance classes implemented"),
        Link::new(format!("{b}/collections"), "data", JSON, "The collections"),
        Link::new(format!("{b}/stats"), "http://www.opengis.net/def/rel/ogc/1.0/statistics", JSON, "Park statistics"),
    ]
}

pub async fn landing(
    State(state): State<AppState>,
    base: Base,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    // The web map keeps its state (view, filters, language) in the query of its own address, which is `/`.
    if params.get("f").is_none()
        && Format::negotiate(None, &headers)? == Format::Html
        && let Some(page) = crate::web::page(&state)
    {
        return Ok(page);
    }
    params.only(&["f"])?;
    match Format::negotiate(params.get("f"), &headers)? {
        Format::Json => Ok(html::json(&json!({
            "title": TITLE,
            "description": DESCRIPTION,
            "links": landing_links(&base),
        }))),
        // A browser gets the web map (above); `?f=html`, or a binary built without the map, the landing page.
        Format::Html => Ok(html::landing(&base, &state.snapshot(), state.web().has_page()).into_response()),
    }
}

pub async fn conformance(base: Base, RawQuery(raw): RawQuery, headers: HeaderMap) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    params.only(&["f"])?;
    match Format::negotiate(params.get("f"), &headers)? {
        Format::Json => Ok(html::json(&json!({ "conformsTo": CONFORMANCE }))),
        Format::Html => Ok(html::conformance(&base).into_response()),
    }
}

pub async fn health(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref()).only(&[])?;
    let snapshot = state.snapshot();
    Ok(Json(json!({
        "status": "ok",
        "parcels": snapshot.inventory.parcels().len(),
        "buildings": snapshot.inventory.buildings().len(),
    }))
    .into_response())
}
