//! Features: `/collections/{id}/items` and `/collections/{id}/items/{fid}`, written straight from the index.

use std::io::Write as _;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use geo::Intersects;
use landbank_geojson::{GeometryRef, RecordRef, record, records, schema, write_feature};
use landbank_inventory::{BBox, Inventory, Layer};

use crate::collection::{layer_of, title};
use crate::error::ApiError;
use crate::format::Format;
use crate::link::{Base, GEOJSON, HTML, JSON, Link};
use crate::query::{self, Params, PropertyFilter};
use crate::{AppState, html};

const ITEMS_PARAMETERS: [&str; 5] = ["f", "bbox", "bbox-crs", "limit", "offset"];

/// One page of matching features and what is needed to link to the others.
pub struct Page<'a> {
    pub records: Vec<RecordRef<'a>>,
    pub matched: usize,
    pub offset: usize,
}

pub async fn list_items(
    State(state): State<AppState>,
    base: Base,
    Path(collection_id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let layer = layer_of(&collection_id)?;
    let params = Params::parse(raw.as_deref());
    let queryables = schema(layer).iter().filter(|p| p.queryable);
    let allowed: Vec<&str> = ITEMS_PARAMETERS.into_iter().chain(queryables.clone().map(|p| p.name)).collect();
    params.only(&allowed)?;
    let format = Format::negotiate(params.get("f"), &headers)?;
    let bbox = query::bbox(&params)?;
    let limit = query::limit(&params)?;
    let offset = query::offset(&params)?;
    let filters = params
        .iter()
        .filter_map(|(name, value)| {
            queryables.clone().find(|p| p.name == name).map(|p| PropertyFilter::parse(p, value))
        })
        .collect::<Result<Vec<_>, _>>()?;

    let snapshot = state.snapshot();
    let page = select(&snapshot.inventory, layer, bbox, &filters, offset, limit);
    let url = format!("{}/collections/{}/items", base.0, layer.code());
    let mut links = vec![
        Link::new(format!("{url}?{}", params.with("f", "json")), "self", GEOJSON, "This page"),
        Link::new(format!("{url}?{}", params.with("f", "html")), "alternate", HTML, "This page as HTML"),
        Link::new(format!("{}/collections/{}", base.0, layer.code()), "collection", JSON, title(layer)),
    ];
    let next = (offset + page.records.len() < page.matched).then(|| offset + page.records.len());
    let prev = (offset > 0).then(|| offset.saturating_sub(limit));
    let paging = [("next", next, "Next page"), ("prev", prev, "Previous page")];
    for (rel, at, name) in paging {
        if let Some(at) = at {
            let query = params.with("offset", &at.to_string());
            let query = Params::parse(Some(&query)).with("limit", &limit.to_string());
            links.push(Link::new(format!("{url}?{query}"), rel, GEOJSON, name));
        }
    }

    match format {
        Format::Html => Ok(html::items(&base, &snapshot.inventory, layer, &page, &links).into_response()),
        Format::Json => {
            let body = feature_collection(&snapshot.inventory, &page, &links)
                .map_err(|e| ApiError::Internal(format!("writing features: {e}")))?;
            let mut response = ([(header::CONTENT_TYPE, GEOJSON)], body).into_response();
            let link_header = links
                .iter()
                .filter(|l| matches!(l.rel, "next" | "prev"))
                .map(|l| format!("<{}>; rel=\"{}\"; type=\"{}\"", l.href, l.rel, l.media_type))
                .collect::<Vec<_>>()
                .join(", ");
            if let Ok(value) = HeaderValue::from_str(&link_header)
                && !link_header.is_empty()
            {
                response.headers_mut().insert(header::LINK, value);
            }
            Ok(response)
        }
    }
}

/// The matching records in id order, counted exactly, and the requested page of them.
pub fn select<'a>(
    inventory: &'a Inventory,
    layer: Layer,
    bbox: Option<BBox>,
    filters: &[PropertyFilter],
    offset: usize,
    limit: usize,
) -> Page<'a> {
    let keep = |r: &RecordRef<'a>| filters.iter().all(|f| f.matches(r.property(inventory, f.name).as_ref()));
    let Some(bbox) = bbox else {
        // Records come in id order already: count, then take the page, with no list of matches in between.
        let matched = records(inventory, layer).filter(keep).count();
        let page = records(inventory, layer).filter(keep).skip(offset).take(limit).collect();
        return Page { records: page, matched, offset };
    };
    let mut hits: Vec<RecordRef<'a>> = match layer {
        Layer::Parcels => inventory.parcels_in_bbox(bbox).map(RecordRef::Parcel).filter(keep).collect(),
        Layer::Buildings => inventory.buildings_in_bbox(bbox).map(RecordRef::Building).filter(keep).collect(),
        Layer::Zones | Layer::Units | Layer::Projects | Layer::Pois => {
            let rect = bbox.to_rect();
            records(inventory, layer)
                .filter(|r| match r.geometry(inventory) {
                    Some(GeometryRef::Polygon(p)) => p.intersects(&rect),
                    Some(GeometryRef::Other(g)) => g.intersects(&rect),
                    None => false,
                })
                .filter(keep)
                .collect()
        }
    };
    hits.sort_unstable_by_key(|r| r.id());
    let matched = hits.len();
    let records = hits.into_iter().skip(offset).take(limit).collect();
    Page { records, matched, offset }
}

fn feature_collection(inventory: &Inventory, page: &Page<'_>, links: &[Link]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(512 + page.records.len() * 1_200);
    write!(
        out,
        "{{\"type\":\"FeatureCollection\",\"numberMatched\":{},\"numberReturned\":{},\"links\":",
        page.matched,
        page.records.len()
    )?;
    serde_json::to_writer(&mut out, links)?;
    out.extend_from_slice(b",\"features\":[");
    for (i, record) in page.records.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_feature(&mut out, inventory, *record, None)?;
    }
    out.extend_from_slice(b"]}");
    Ok(out)
}

pub async fn get_item(
    State(state): State<AppState>,
    base: Base,
    Path((collection_id, feature_id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let layer = layer_of(&collection_id)?;
    let params = Params::parse(raw.as_deref());
    params.only(&["f"])?;
    let format = Format::negotiate(params.get("f"), &headers)?;
    let snapshot = state.snapshot();
    let inventory = &snapshot.inventory;
    let found = feature_id.parse::<i64>().ok().and_then(|id| record(inventory, layer, id));
    let Some(found) = found else {
        return Err(ApiError::FeatureNotFound { collection: collection_id, id: feature_id });
    };
    let url = format!("{}/collections/{}/items/{}", base.0, layer.code(), found.id());
    let links = [
        Link::new(format!("{url}?f=json"), "self", GEOJSON, "This feature"),
        Link::new(format!("{url}?f=html"), "alternate", HTML, "This feature as HTML"),
        Link::new(format!("{}/collections/{}", base.0, layer.code()), "collection", JSON, title(layer)),
    ];
    match format {
        Format::Html => Ok(html::item(inventory, found, &links).into_response()),
        Format::Json => {
            let mut out = Vec::with_capacity(2_048);
            write_feature(&mut out, inventory, found, None)
                .and_then(|()| {
                    // Close the feature with its links: replace the final `}` of the written object.
                    out.pop();
                    out.extend_from_slice(b",\"links\":");
                    serde_json::to_writer(&mut out, &links)?;
                    out.push(b'}');
                    Ok(())
                })
                .map_err(|e| ApiError::Internal(format!("writing feature: {e}")))?;
            Ok(([(header::CONTENT_TYPE, GEOJSON)], out).into_response())
        }
    }
}
