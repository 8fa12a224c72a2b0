//! HTML pages for people with a browser, and the JSON response helpers the handlers share.

use std::fmt::Write as _;

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use landbank_geojson::{PropertyValue, RecordRef, schema};
use landbank_inventory::{Inventory, Layer};
use serde_json::Value;

use crate::Snapshot;
use crate::auth::{Access, visible};
use crate::collection::{COLLECTIONS, description, extent, title};
use crate::features::Page;
use crate::landing::{CONFORMANCE, DESCRIPTION, TITLE};
use crate::link::{Base, Link};

/// A JSON response with `application/json`.
pub fn json(value: &Value) -> Response {
    typed_json(value, "application/json")
}

/// A JSON response with the given media type.
pub fn typed_json(value: &Value, media_type: &'static str) -> Response {
    let body = serde_json::to_vec(value).unwrap_or_default();
    ([(header::CONTENT_TYPE, media_type)], body).into_response()
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{t}</title><style>body{{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d2a33}}\
table{{border-collapse:collapse;font-size:.9rem}}td,th{{border:1px solid #c9d3da;padding:.25rem .5rem;text-align:left}}th{{background:#eef3f6}}\
nav a{{margin-right:1rem}}code{{background:#eef3f6;padding:0 .2rem}}</style></head>\
<body><nav><a href=\"/?f=html\">Home</a><a href=\"/collections?f=html\">Collections</a><a href=\"/stats\">Statistics</a><a href=\"/api\">API</a></nav>\
<h1>{t}</h1>{body}</body></html>",
        t = escape(title)
    ))
}

/// The landing page; `map` says whether the web map is served at `/`.
pub fn landing(base: &Base, snapshot: &Snapshot, map: bool) -> Html<String> {
    let inv = &snapshot.inventory;
    let mut body = format!("<p>{}</p><ul>", escape(DESCRIPTION));
    for l in crate::landing::landing_links(base) {
        let _ = write!(
            body,
            "<li><a href=\"{}\">{}</a> <code>{}</code></li>",
            escape(&l.href),
            escape(&l.title),
            escape(l.rel)
        );
    }
    let _ = write!(
        body,
        "</ul><p>{} parcels, {} factory buildings, {} units, {} projects. Browse the <a href=\"{}/collections?f=html\">collections</a> \
         or open this service in QGIS or GDAL as an OGC API – Features source.</p>",
        inv.parcels().len(),
        inv.buildings().len(),
        inv.units().len(),
        inv.projects().len(),
        escape(&base.0),
    );
    if map {
        let _ = write!(body, "<p>The <a href=\"{}/\">web map</a> shows the park and its figures.</p>", escape(&base.0));
    } else {
        let _ = write!(body, "<p>{}</p>", crate::web::NOT_BUILT);
    }
    page(TITLE, &body)
}

pub fn conformance(_base: &Base) -> Html<String> {
    let mut items = String::new();
    for c in CONFORMANCE {
        let _ = write!(items, "<li><code>{}</code></li>", escape(c));
    }
    page("Conformance", &format!("<ul>{items}</ul>"))
}

pub fn collections(base: &Base, snapshot: &Snapshot) -> Html<String> {
    let mut body = String::from("<table><tr><th>Collection</th><th>Description</th><th>Extent</th><th>Items</th></tr>");
    for layer in COLLECTIONS {
        let id = layer.code();
        let extent = extent(snapshot, layer)
            .map(|b| format!("{:.4}, {:.4} – {:.4}, {:.4}", b.min_lon, b.min_lat, b.max_lon, b.max_lat))
            .unwrap_or_default();
        let _ = write!(
            body,
            "<tr><td><a href=\"{b}/collections/{id}?f=html\">{t}</a></td><td>{d}</td><td>{extent}</td>\
             <td><a href=\"{b}/collections/{id}/items?f=html\">HTML</a> · <a href=\"{b}/collections/{id}/items?f=json\">GeoJSON</a></td></tr>",
            b = escape(&base.0),
            t = escape(title(layer)),
            d = escape(description(layer)),
        );
    }
    body.push_str("</table>");
    page("Collections", &body)
}

pub fn collection(base: &Base, snapshot: &Snapshot, layer: Layer) -> Html<String> {
    let id = layer.code();
    let mut body = format!(
        "<p>{}</p><p><a href=\"{b}/collections/{id}/items?f=html\">Browse the features</a> · \
         <a href=\"{b}/collections/{id}/items?f=json\">GeoJSON</a> · <a href=\"{b}/collections/{id}/queryables\">Queryables</a></p>",
        escape(description(layer)),
        b = escape(&base.0)
    );
    if let Some(b) = extent(snapshot, layer) {
        let _ = write!(body, "<p>Extent (CRS84): {}, {} – {}, {}</p>", b.min_lon, b.min_lat, b.max_lon, b.max_lat);
    }
    body.push_str("<table><tr><th>Property</th><th>Type</th><th>Description</th></tr>");
    for p in schema(layer) {
        let _ = write!(
            body,
            "<tr><td><code>{}</code></td><td>{:?}</td><td>{}</td></tr>",
            escape(p.name),
            p.kind,
            escape(p.title)
        );
    }
    body.push_str("</table>");
    page(title(layer), &body)
}

/// A property value as text for a table cell.
pub fn display(value: Option<PropertyValue<'_>>) -> String {
    match value {
        None | Some(PropertyValue::Null) => String::new(),
        Some(PropertyValue::Integer(v)) => v.to_string(),
        Some(PropertyValue::Number(v)) => {
            let s = format!("{v:.3}");
            s.trim_end_matches('0').trim_end_matches('.').to_owned()
        }
        Some(PropertyValue::String(v)) => v.to_owned(),
        Some(PropertyValue::Text(v)) => v,
        Some(PropertyValue::Boolean(v)) => if v { "yes" } else { "no" }.to_owned(),
        Some(PropertyValue::Date(d)) => d.to_string(),
        Some(PropertyValue::Strings(vs)) => vs.join(", "),
        Some(PropertyValue::Integers(vs)) => vs.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
    }
}

pub fn items(
    base: &Base,
    inventory: &Inventory,
    layer: Layer,
    page_of: &Page<'_>,
    links: &[Link],
    access: Access,
) -> Html<String> {
    let id = layer.code();
    let columns: Vec<&str> = visible(layer, access).take(9).map(|p| p.name).collect();
    let mut body = format!(
        "<p>Features {}–{} of {}.</p><p>",
        if page_of.records.is_empty() { 0 } else { page_of.offset + 1 },
        page_of.offset + page_of.records.len(),
        page_of.matched
    );
    for l in links.iter().filter(|l| matches!(l.rel, "prev" | "next")) {
        let _ = write!(body, "<a href=\"{}\">{}</a> ", escape(&l.href.replace("f=json", "f=html")), escape(&l.title));
    }
    body.push_str("</p><table><tr><th>id</th>");
    for c in &columns {
        let _ = write!(body, "<th>{}</th>", escape(c));
    }
    body.push_str("</tr>");
    for record in &page_of.records {
        let _ = write!(
            body,
            "<tr><td><a href=\"{}/collections/{id}/items/{rid}?f=html\">{rid}</a></td>",
            escape(&base.0),
            rid = record.id()
        );
        for c in &columns {
            let _ = write!(body, "<td>{}</td>", escape(&display(record.property(inventory, c))));
        }
        body.push_str("</tr>");
    }
    body.push_str("</table>");
    page(&format!("{} — features", title(layer)), &body)
}

pub fn item(inventory: &Inventory, record: RecordRef<'_>, links: &[Link], access: Access) -> Html<String> {
    let layer = record.layer();
    let mut body = String::from("<table>");
    for p in visible(layer, access) {
        let _ = write!(
            body,
            "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
            escape(p.name),
            escape(&display(record.property(inventory, p.name))),
            escape(p.title)
        );
    }
    body.push_str("</table><p>");
    for l in links {
        let _ = write!(body, "<a href=\"{}\">{}</a> ", escape(&l.href), escape(&l.title));
    }
    body.push_str("</p>");
    page(&format!("{} {}", title(layer), record.id()), &body)
}
