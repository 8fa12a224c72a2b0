//! Collections: one per inventory layer, with metadata, JSON Schema, queryables and sortables.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use landbank_geojson::{PropertySpec, PropertyType};
use landbank_inventory::{BBox, Layer};
use serde_json::{Value, json};

use crate::auth::{Access, visible};
use crate::crs::Crs;
use crate::error::ApiError;
use crate::format::Format;
use crate::link::{Base, GEOJSON, HTML, JSON, Link, SCHEMA};
use crate::query::{self, Params};
use crate::{AppState, Snapshot, html};

pub use crate::crs::CRS84;

/// The layers served as collections, in listing order.
pub const COLLECTIONS: [Layer; 6] =
    [Layer::Zones, Layer::Parcels, Layer::Buildings, Layer::Units, Layer::Projects, Layer::Pois];

pub fn title(layer: Layer) -> &'static str {
    match layer {
        Layer::Zones => "Zones (片区)",
        Layer::Parcels => "Land parcels (宗地/地块)",
        Layer::Buildings => "Standard-factory buildings (标准厂房)",
        Layer::Units => "Lettable factory units (出租单元)",
        Layer::Projects => "Investment projects (招商项目)",
        Layer::Pois => "Roads, bridges and landmarks",
    }
}

pub fn description(layer: Layer) -> &'static str {
    match layer {
        Layer::Zones => "The park's zones and the twin-park counterpart across the border, with their land policy.",
        Layer::Parcels => {
            "Every land parcel and planning plot: land use and class, availability, supply method, stated and computed area."
        }
        Layer::Buildings => {
            "Standard-factory buildings with floors, storey heights, floor loads, lifts, power and fire class."
        }
        Layer::Units => {
            "Lettable units of the standard factories: floor, area, height, load, power, rent, status and availability; the outline is the bay or the building footprint."
        }
        Layer::Projects => {
            "Signed investment projects with industry, investment and stage; attributes only (geometry null)."
        }
        Layer::Pois => {
            "Roads (G219, 国门大道), the Beilun River bridges, the service centre and the twin park in Mong Cai."
        }
    }
}

/// The collection a path names, or a 404 listing the real ones.
pub fn layer_of(id: &str) -> Result<Layer, ApiError> {
    id.parse::<Layer>().map_err(|_| ApiError::UnknownCollection {
        id: id.to_owned(),
        known: COLLECTIONS.iter().map(|l| l.code()).collect::<Vec<_>>().join(", "),
    })
}

/// The extent of a layer, computed once per snapshot.
pub fn extent(snapshot: &Snapshot, layer: Layer) -> Option<BBox> {
    snapshot.extents[COLLECTIONS.iter().position(|l| *l == layer).unwrap_or(0)]
}

pub fn collection_json(base: &Base, snapshot: &Snapshot, layer: Layer) -> Value {
    let id = layer.code();
    let url = format!("{}/collections/{id}", base.0);
    let links = vec![
        Link::new(url.clone(), "self", JSON, "This collection"),
        Link::new(format!("{url}?f=html"), "alternate", HTML, "This collection as HTML"),
        Link::new(format!("{url}/items"), "items", GEOJSON, format!("{} as GeoJSON", title(layer))),
        Link::new(format!("{url}/items?f=html"), "items", HTML, format!("{} as HTML", title(layer))),
        Link::new(format!("{url}/schema"), "describedby", SCHEMA, "JSON Schema of the features"),
        Link::new(
            format!("{url}/queryables"),
            "http://www.opengis.net/def/rel/ogc/1.0/queryables",
            SCHEMA,
            "Properties to filter on",
        ),
        Link::new(
            format!("{url}/sortables"),
            "http://www.opengis.net/def/rel/ogc/1.0/sortables",
            SCHEMA,
            "Properties to sort by",
        ),
    ];
    let mut doc = json!({
        "id": id,
        "title": title(layer),
        "description": description(layer),
        "itemType": "feature",
        "crs": Crs::uris(),
        // The data is stored as CGCS2000 longitude/latitude, which equals CRS84 to centimetres. We do not claim
        // EPSG:4490 as `storageCrs`: GDAL would then take it as the layer CRS, ask for it, and expect (and swap)
        // its authority axis order, latitude first; CRS84 keeps longitude first, as stored and as GeoJSON.
        "storageCrs": CRS84,
        "links": links,
    });
    if let Some(name) = query::temporal_property(layer) {
        // The date property `datetime` filters on.
        doc["temporalProperty"] = json!(name);
    }
    if let Some(b) = extent(snapshot, layer) {
        doc["extent"] = json!({ "spatial": { "bbox": [[b.min_lon, b.min_lat, b.max_lon, b.max_lat]], "crs": CRS84 } });
    }
    doc
}

pub async fn list_collections(
    State(state): State<AppState>,
    base: Base,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    params.only(&["f"])?;
    let format = Format::negotiate(params.get("f"), &headers)?;
    let snapshot = state.snapshot();
    let collections: Vec<Value> = COLLECTIONS.iter().map(|l| collection_json(&base, &snapshot, *l)).collect();
    match format {
        Format::Json => Ok(html::json(&json!({
            "links": [
                Link::new(format!("{}/collections", base.0), "self", JSON, "The collections"),
                Link::new(format!("{}/collections?f=html", base.0), "alternate", HTML, "The collections as HTML"),
            ],
            "collections": collections,
            "crs": Crs::uris(),
        }))),
        Format::Html => Ok(html::collections(&base, &snapshot).into_response()),
    }
}

pub async fn get_collection(
    State(state): State<AppState>,
    base: Base,
    Path(collection_id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let layer = layer_of(&collection_id)?;
    let params = Params::parse(raw.as_deref());
    params.only(&["f"])?;
    let snapshot = state.snapshot();
    match Format::negotiate(params.get("f"), &headers)? {
        Format::Json => Ok(html::json(&collection_json(&base, &snapshot, layer))),
        Format::Html => Ok(html::collection(&base, &snapshot, layer).into_response()),
    }
}

/// The JSON Schema of one property.
pub fn property_schema(p: &PropertySpec) -> Value {
    let mut s = match p.kind {
        PropertyType::Integer => json!({ "type": "integer" }),
        PropertyType::Number => json!({ "type": "number" }),
        PropertyType::Boolean => json!({ "type": "boolean" }),
        PropertyType::Date => json!({ "type": "string", "format": "date" }),
        PropertyType::String => json!({ "type": "string" }),
    };
    if let Some(values) = p.values {
        s["enum"] = json!(values);
    }
    let mut s = if p.array { json!({ "type": "array", "items": s }) } else { s };
    s["title"] = json!(p.title);
    if p.nullable {
        s["nullable"] = json!(true);
    }
    if p.read_only {
        s["readOnly"] = json!(true);
    }
    s
}

fn geometry_schema(layer: Layer) -> Option<Value> {
    let format = match layer {
        Layer::Projects => return None,
        Layer::Pois => "geometry-any",
        Layer::Zones | Layer::Parcels | Layer::Buildings | Layer::Units => "geometry-polygon",
    };
    Some(json!({ "format": format, "x-ogc-role": "primary-geometry" }))
}

/// Which JSON Schema document of a collection to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Document {
    Schema,
    Queryables,
    Sortables,
}

fn schema_document(base: &Base, layer: Layer, document: Document, access: Access) -> Value {
    let mut properties = serde_json::Map::new();
    if document != Document::Sortables
        && let Some(g) = geometry_schema(layer)
    {
        properties.insert("geometry".into(), g);
    }
    if document == Document::Schema {
        properties.insert("id".into(), json!({ "type": "integer", "title": "Feature id", "x-ogc-role": "id" }));
    }
    let wanted = |p: &PropertySpec| match document {
        Document::Schema => true,
        Document::Queryables => p.queryable,
        Document::Sortables => !p.array,
    };
    for p in visible(layer, access).filter(|p| wanted(p)) {
        properties.insert(p.name.into(), property_schema(p));
    }
    let queryables_only = document != Document::Schema;
    let kind = match document {
        Document::Schema => "schema",
        Document::Queryables => "queryables",
        Document::Sortables => "sortables",
    };
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{}/collections/{}/{kind}", base.0, layer.code()),
        "type": "object",
        "title": title(layer),
        "properties": properties,
        "additionalProperties": !queryables_only,
    })
}

pub async fn get_schema(
    access: Access,
    base: Base,
    Path(collection_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let layer = layer_of(&collection_id)?;
    Params::parse(raw.as_deref()).only(&["f"])?;
    Ok(html::typed_json(&schema_document(&base, layer, Document::Schema, access), SCHEMA))
}

pub async fn get_queryables(
    access: Access,
    base: Base,
    Path(collection_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let layer = layer_of(&collection_id)?;
    Params::parse(raw.as_deref()).only(&["f"])?;
    Ok(html::typed_json(&schema_document(&base, layer, Document::Queryables, access), SCHEMA))
}

pub async fn get_sortables(
    access: Access,
    base: Base,
    Path(collection_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let layer = layer_of(&collection_id)?;
    Params::parse(raw.as_deref()).only(&["f"])?;
    Ok(html::typed_json(&schema_document(&base, layer, Document::Sortables, access), SCHEMA))
}
