//! Features: `/collections/{id}/items` and `/collections/{id}/items/{fid}`, written straight from the index.

use std::io::Write as _;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use geo::Intersects;
use landbank_geojson::{GeometryRef, RecordRef, record, records, write_feature};
use landbank_inventory::{BBox, Inventory, Layer};

use crate::auth::{Access, output, visible};
use crate::collection::{layer_of, title};
use crate::coordsys::{CoordSys, feature_in, rewrite_geometry};
use crate::crs::Crs;
use crate::encoded::FeatureCache;
use crate::error::ApiError;
use crate::format::Format;
use crate::link::{Base, GEOJSON, HTML, JSON, Link};
use crate::query::{self, DateRange, Params, PropertyFilter, SortKey};
use crate::{AppState, html};

const ITEMS_PARAMETERS: [&str; 12] = [
    "f",
    "bbox",
    "bbox-crs",
    "crs",
    "limit",
    "offset",
    "sortby",
    "properties",
    "datetime",
    "coordsys",
    "filter",
    "filter-lang",
];

/// One page of matching features and what is needed to link to the others.
pub struct Page<'a> {
    pub records: Vec<RecordRef<'a>>,
    pub matched: usize,
    pub offset: usize,
}

pub async fn list_items(
    State(state): State<AppState>,
    access: Access,
    base: Base,
    Path(collection_id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let layer = layer_of(&collection_id)?;
    let params = Params::parse(raw.as_deref());
    let queryables = visible(layer, access).filter(|p| p.queryable);
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
    let criteria = Criteria {
        bbox,
        filters,
        sortby: query::sortby(&params, layer, access)?,
        datetime: query::datetime(&params, layer)?,
        filter: crate::filter::parse(&params, layer, access)?,
    };
    let properties = query::properties(&params, layer, access)?;
    let (coordsys, crs) = output_crs(&params)?;

    let snapshot = state.snapshot();
    let page = select(&snapshot.inventory, layer, &criteria, offset, limit);
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
        Format::Html => Ok(html::items(&base, &snapshot.inventory, layer, &page, &links, access).into_response()),
        Format::Json => {
            let output = Output { properties: output(properties.as_deref(), layer, access), coordsys, crs };
            let cache = (output.is_default(layer) && snapshot.features.enabled()).then_some(&snapshot.features);
            let body = feature_collection(&snapshot.inventory, layer, &page, &links, output, cache)
                .map_err(|e| ApiError::Internal(format!("writing features: {e}")))?;
            let mut response = ([(header::CONTENT_TYPE, GEOJSON)], body).into_response();
            response.headers_mut().insert(CONTENT_CRS, content_crs(crs));
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

/// What selects and orders the features of a collection.
#[derive(Debug, Default)]
pub struct Criteria {
    pub bbox: Option<BBox>,
    pub filters: Vec<PropertyFilter>,
    /// Sort keys, most significant first; ties (and an empty list) fall back to id order.
    pub sortby: Vec<SortKey>,
    pub datetime: Option<DateRange>,
    /// A compiled CQL2 `filter`.
    pub filter: Option<crate::filter::Filter>,
}

/// How features are written: which properties, in which coordinate system.
#[derive(Debug, Clone, Copy)]
pub struct Output<'p> {
    pub properties: Option<&'p [&'p str]>,
    pub coordsys: CoordSys,
    /// The `crs` of the coordinates (only CRS84 goes with GCJ-02).
    pub crs: Crs,
}

impl Output<'_> {
    /// Whether this is what an anonymous reader gets by default (every public property, CRS84): the view the
    /// snapshot's [`FeatureCache`] keeps.
    fn is_default(&self, layer: Layer) -> bool {
        self.coordsys == CoordSys::Wgs84
            && self.crs == Crs::Crs84
            && self.properties.is_some_and(|p| std::ptr::eq(p, crate::auth::public_names(layer)))
    }
}

/// The header naming the CRS of a features answer (OGC API – Features Part 2).
const CONTENT_CRS: HeaderName = HeaderName::from_static("content-crs");

/// `Content-Crs: <uri>`.
fn content_crs(crs: Crs) -> HeaderValue {
    HeaderValue::from_static(match crs {
        Crs::Crs84 => "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>",
        Crs::Epsg4326 => "<http://www.opengis.net/def/crs/EPSG/0/4326>",
        Crs::Epsg4490 => "<http://www.opengis.net/def/crs/EPSG/0/4490>",
        Crs::Epsg3857 => "<http://www.opengis.net/def/crs/EPSG/0/3857>",
        Crs::Epsg4545 => "<http://www.opengis.net/def/crs/EPSG/0/4545>",
    })
}

/// `coordsys` and `crs`, refused together: GCJ-02 is defined on longitude/latitude only.
fn output_crs(params: &Params) -> Result<(CoordSys, Crs), ApiError> {
    let coordsys = CoordSys::parse(params)?;
    let crs = Crs::parse(params, "crs")?;
    if coordsys == CoordSys::Gcj02 && crs != Crs::Crs84 {
        return Err(ApiError::invalid(
            "coordsys",
            format!("`coordsys=gcj02` cannot be combined with `crs={}`; GCJ-02 is served in CRS84 only", crs.uri()),
        ));
    }
    Ok((coordsys, crs))
}

/// The matching records in `sortby` order (else id order), counted exactly, and the requested page of them.
pub fn select<'a>(
    inventory: &'a Inventory,
    layer: Layer,
    criteria: &Criteria,
    offset: usize,
    limit: usize,
) -> Page<'a> {
    let keep = |r: &RecordRef<'a>| {
        criteria.filters.iter().all(|f| f.matches(r.property(inventory, f.name).as_ref()))
            && criteria.datetime.is_none_or(|d| d.matches(r.property(inventory, d.name).as_ref()))
            && criteria.filter.as_ref().is_none_or(|f| f.matches(inventory, *r))
    };
    // A spatial filter ANDed at the top asks the R-tree first, with its literal's box, when `bbox` does not.
    let bbox = criteria.bbox.or_else(|| criteria.filter.as_ref().and_then(|f| f.prefilter));
    if !criteria.sortby.is_empty() {
        let hits = match bbox {
            Some(bbox) => in_bbox(inventory, layer, bbox).into_iter().filter(keep).collect(),
            None => records(inventory, layer).filter(keep).collect(),
        };
        return sorted(inventory, hits, &criteria.sortby, offset, limit);
    }
    let Some(bbox) = bbox else {
        // Records come in id order already: count, then take the page, with no list of matches in between.
        let matched = records(inventory, layer).filter(keep).count();
        let page = records(inventory, layer).filter(keep).skip(offset).take(limit).collect();
        return Page { records: page, matched, offset };
    };
    let mut hits: Vec<RecordRef<'a>> = in_bbox(inventory, layer, bbox).into_iter().filter(keep).collect();
    hits.sort_unstable_by_key(|r| r.id());
    let matched = hits.len();
    let records = hits.into_iter().skip(offset).take(limit).collect();
    Page { records, matched, offset }
}

/// Sorts by the keys (then id), keeping each record's key values so they are read once.
fn sorted<'a>(
    inventory: &'a Inventory,
    hits: Vec<RecordRef<'a>>,
    sortby: &[SortKey],
    offset: usize,
    limit: usize,
) -> Page<'a> {
    let mut keyed: Vec<_> = hits
        .into_iter()
        .map(|r| (sortby.iter().map(|k| r.property(inventory, k.name)).collect::<Vec<_>>(), r))
        .collect();
    keyed.sort_by(|(a, ra), (b, rb)| {
        sortby
            .iter()
            .zip(a.iter().zip(b))
            .map(|(k, (x, y))| query::compare(x.as_ref(), y.as_ref(), k.descending))
            .find(|o| o.is_ne())
            .unwrap_or_else(|| ra.id().cmp(&rb.id()))
    });
    let matched = keyed.len();
    let records = keyed.into_iter().skip(offset).take(limit).map(|(_, r)| r).collect();
    Page { records, matched, offset }
}

/// The records of a layer whose geometry meets `bbox`, in no particular order.
fn in_bbox(inventory: &Inventory, layer: Layer, bbox: BBox) -> Vec<RecordRef<'_>> {
    match layer {
        Layer::Parcels => inventory.parcels_in_bbox(bbox).map(RecordRef::Parcel).collect(),
        Layer::Buildings => inventory.buildings_in_bbox(bbox).map(RecordRef::Building).collect(),
        Layer::Zones | Layer::Units | Layer::Projects | Layer::Pois => {
            let rect = bbox.to_rect();
            records(inventory, layer)
                .filter(|r| match r.geometry(inventory) {
                    Some(GeometryRef::Polygon(p)) => p.intersects(&rect),
                    Some(GeometryRef::Other(g)) => g.intersects(&rect),
                    None => false,
                })
                .collect()
        }
    }
}

/// The GeoJSON `FeatureCollection` of one page. With `cache` (only for the default view), features come from it
/// where it has them, and those written here are kept in it.
fn feature_collection(
    inventory: &Inventory,
    layer: Layer,
    page: &Page<'_>,
    links: &[Link],
    output: Output<'_>,
    cache: Option<&FeatureCache>,
) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(512 + page.records.len() * 1_200);
    write!(
        out,
        "{{\"type\":\"FeatureCollection\",\"numberMatched\":{},\"numberReturned\":{},\"links\":",
        page.matched,
        page.records.len()
    )?;
    serde_json::to_writer(&mut out, links)?;
    out.extend_from_slice(b",\"features\":[");
    match cache {
        None => {
            for (i, record) in page.records.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_one(&mut out, inventory, *record, output)?;
            }
        }
        Some(cache) => {
            // Features not cached are written in place; where each landed is noted, to keep a copy afterwards.
            let (mut written, mut hits) = (Vec::new(), 0);
            let mut records = page.records.iter();
            cache.lookup(layer, page.records.iter().map(|r| r.id()), |id, cached| {
                let record = records.next().expect("one record per id");
                if written.len() + hits > 0 {
                    out.push(b',');
                }
                if let Some(bytes) = cached {
                    out.extend_from_slice(bytes);
                    hits += 1;
                } else {
                    let start = out.len();
                    write_feature(&mut out, inventory, *record, output.properties)?;
                    written.push((id, start..out.len()));
                }
                Ok::<_, std::io::Error>(())
            })?;
            if !written.is_empty() {
                // Copied before the cache's exclusive lock is taken, so readers wait for the inserts only.
                let kept: Vec<(i64, Box<[u8]>)> = written.into_iter().map(|(id, at)| (id, out[at].into())).collect();
                cache.insert(layer, kept);
            }
        }
    }
    out.extend_from_slice(b"]}");
    Ok(out)
}

pub async fn get_item(
    State(state): State<AppState>,
    access: Access,
    base: Base,
    Path((collection_id, feature_id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let layer = layer_of(&collection_id)?;
    let params = Params::parse(raw.as_deref());
    params.only(&["f", "properties", "coordsys", "crs"])?;
    let format = Format::negotiate(params.get("f"), &headers)?;
    let properties = query::properties(&params, layer, access)?;
    let (coordsys, crs) = output_crs(&params)?;
    let output = Output { properties: output(properties.as_deref(), layer, access), coordsys, crs };
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
        Format::Html => Ok(html::item(inventory, found, &links, access).into_response()),
        Format::Json => {
            let mut out = Vec::with_capacity(2_048);
            write_one(&mut out, inventory, found, output)
                .and_then(|()| {
                    // Close the feature with its links: replace the final `}` of the written object.
                    out.pop();
                    out.extend_from_slice(b",\"links\":");
                    serde_json::to_writer(&mut out, &links)?;
                    out.push(b'}');
                    Ok(())
                })
                .map_err(|e| ApiError::Internal(format!("writing feature: {e}")))?;
            Ok(([(header::CONTENT_TYPE, GEOJSON)], [(CONTENT_CRS, content_crs(crs))], out).into_response())
        }
    }
}

/// Writes one feature with the chosen properties, in the chosen coordinate system.
fn write_one(
    out: &mut Vec<u8>,
    inventory: &Inventory,
    record: RecordRef<'_>,
    output: Output<'_>,
) -> std::io::Result<()> {
    if output.coordsys == CoordSys::Wgs84 && output.crs == Crs::Crs84 {
        return write_feature(out, inventory, record, output.properties);
    }
    let mut feature = Vec::with_capacity(1_200);
    write_feature(&mut feature, inventory, record, output.properties)?;
    let feature = feature_in(output.coordsys, inventory, record, feature);
    let feature = match output.crs {
        Crs::Crs84 => feature,
        crs => rewrite_geometry(feature, |g| crs.transform_geometry(g)),
    };
    out.extend_from_slice(&feature);
    Ok(())
}
