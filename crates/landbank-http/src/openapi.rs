//! `/api`: the OpenAPI 3.0 document, with a concrete path per collection so that clients such as GDAL find each
//! collection's `limit` and filterable properties.
//!
//! It is built from the same collection and property tables that drive the handlers, so it cannot drift from them.
//! (utoipa emits OpenAPI 3.1; OGC API – Features `oas30` and GDAL's driver want 3.0.)

use axum::extract::{RawQuery, State};
use axum::response::Response;
use landbank_geojson::schema;
use landbank_inventory::Layer;
use serde_json::{Map, Value, json};

use crate::collection::{COLLECTIONS, description, property_schema, title};
use crate::crs::Crs;
use crate::error::ApiError;
use crate::landing::{DESCRIPTION, TITLE};
use crate::link::{Base, OPENAPI};
use crate::query::{DEFAULT_LIMIT, MAX_LIMIT, Params};
use crate::{AppState, html};

fn f_parameter() -> Value {
    json!({ "name": "f", "in": "query", "required": false, "description": "Representation; overrides the Accept header.",
            "schema": { "type": "string", "enum": ["json", "html"] }, "style": "form", "explode": false })
}

fn as_of_parameter() -> Value {
    json!({ "name": "as_of", "in": "query", "required": false,
            "description": "The day to assess the idle-land rules on (YYYY-MM-DD); today in UTC when left out.",
            "schema": { "type": "string", "format": "date" } })
}

/// `f` on an answer that is JSON only: read and ignored (any value), never HTML.
fn ignored_f_parameter() -> Value {
    json!({ "name": "f", "in": "query", "required": false, "description": "Accepted and ignored: the answer is always JSON.",
            "schema": { "type": "string" } })
}

fn problem() -> Value {
    json!({ "$ref": "#/components/responses/Problem" })
}

/// A 200 in `media`, with a `text/html` alternative when `html` (negotiated by `f` or `Accept`).
fn responses(ok: &str, media: &str, html: bool) -> Value {
    let mut content = json!({ media: { "schema": { "type": "object" } } });
    if html {
        content["text/html"] = json!({ "schema": { "type": "string" } });
    }
    json!({ "200": { "description": ok, "content": content } })
}

fn operation(id: &str, summary: &str, tag: &str, parameters: &[Value], ok: &str, media: &str) -> Value {
    let html = parameters
        .iter()
        .any(|p| p["name"] == "f" && p["schema"]["enum"].as_array().is_some_and(|e| e.contains(&json!("html"))));
    json!({ "get": { "operationId": id, "summary": summary, "tags": [tag], "parameters": parameters, "responses": responses(ok, media, html) } })
}

/// A read that shows restricted fields to token holders: anonymous or with a token, and a wrong token is a 401.
fn reader(mut operation: Value) -> Value {
    operation["get"]["security"] = json!([{}, { "bearer": [] }]);
    operation["get"]["responses"]["401"] = problem();
    operation
}

/// What every operation can answer besides its own: 400 (a parameter it does not take, or a bad value), 429 (an
/// anonymous client over its rate), 503 (too many requests in flight, a request over its time, no store to write
/// to). A tile request names at least one collection.
fn complete(paths: &mut Map<String, Value>) {
    for operation in paths.values_mut().filter_map(Value::as_object_mut).flat_map(|item| item.values_mut()) {
        if let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) {
            for code in ["400", "429", "503"] {
                responses.entry(code).or_insert_with(problem);
            }
        }
        let parameters = operation.get_mut("parameters").and_then(Value::as_array_mut).into_iter().flatten();
        for collections in parameters.filter(|p| p["name"] == "collections") {
            collections["schema"]["minItems"] = json!(1);
        }
    }
}

/// `properties`: the schema properties to write.
fn properties_parameter(layer: Layer) -> Value {
    json!({ "name": "properties", "in": "query", "required": false, "style": "form", "explode": false,
            "description": "Only these properties are written (the geometry always is).",
            "schema": { "type": "array", "items": { "type": "string", "enum": schema(layer).iter().map(|p| p.name).collect::<Vec<_>>() } } })
}

fn items_parameters(layer: Layer) -> Vec<Value> {
    let mut parameters = vec![
        json!({ "name": "bbox", "in": "query", "required": false, "style": "form", "explode": false,
                "description": "Only features intersecting the box minLon,minLat,maxLon,maxLat (CRS84), or in `bbox-crs` and its axis order.",
                "schema": { "type": "array", "minItems": 4, "maxItems": 6, "items": { "type": "number" } } }),
        crate::crs::bbox_crs_parameter(),
        crate::crs::crs_parameter(),
        json!({ "name": "limit", "in": "query", "required": false, "style": "form", "explode": false,
                "description": format!("Items per page; values outside 1 to {MAX_LIMIT} are clamped, as OGC API – Features requires."),
                "schema": { "type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT } }),
        json!({ "name": "offset", "in": "query", "required": false, "description": "Position of the first item (the `next` links carry it).",
                "schema": { "type": "integer", "minimum": 0, "default": 0 } }),
        f_parameter(),
        json!({ "name": "sortby", "in": "query", "required": false, "style": "form", "explode": false,
                "description": "Sort keys, most significant first: `-` descending, `+` or nothing ascending (e.g. `-area_mu,plot_no`); see /sortables. Ties and nulls: id order, nulls last.",
                "schema": { "type": "array", "items": { "type": "string",
                    "enum": crate::query::sortables(layer, crate::auth::Access::Full).flat_map(|p| [p.name.to_owned(), format!("-{}", p.name)]).collect::<Vec<_>>() } } }),
        properties_parameter(layer),
        crate::coordsys::coordsys_parameter(),
        json!({ "name": "filter", "in": "query", "required": false,
                "description": "A CQL2 filter on the queryables (see /queryables), e.g. `area_mu > 50 AND S_INTERSECTS(geometry, BBOX(108.0,21.5,108.1,21.6))`; at most 4 KiB.",
                "schema": { "type": "string", "minLength": 1 } }),
        json!({ "name": "filter-lang", "in": "query", "required": false,
                "description": "The language of `filter`; `cql-text` is read as `cql2-text`.",
                "schema": { "type": "string", "enum": crate::filter::FILTER_LANGS, "default": "cql2-text" } }),
    ];
    if let Some(name) = crate::query::temporal_property(layer) {
        parameters.push(json!({ "name": "datetime", "in": "query", "required": false,
            "description": format!("Only features whose `{name}` lies at the RFC 3339 instant (its UTC day) or in the interval `a/b`, `../b`, `a/..` (ends included)."),
            "schema": { "type": "string", "minLength": 1 } }));
    }
    for p in schema(layer).iter().filter(|p| p.queryable) {
        parameters.push(json!({ "name": p.name, "in": "query", "required": false, "style": "form", "explode": false,
                                "description": format!("Only features whose `{}` equals the value.", p.name),
                                "schema": property_schema(p) }));
    }
    parameters
}

/// The body of a POST or PUT on `layer`: a GeoJSON Feature with the layer's properties, those neither nullable nor
/// computed required, and the geometry the layer needs (a Polygon; units may have none, projects have none).
fn feature_schema(layer: Layer) -> Value {
    let specs = schema(layer).iter().filter(|p| !p.read_only);
    let required: Vec<&str> = specs.clone().filter(|p| !p.nullable).map(|p| p.name).collect();
    let properties: Map<String, Value> = specs.map(|p| (p.name.to_owned(), property_schema(p))).collect();
    let polygon = json!({ "type": "object", "required": ["type", "coordinates"],
        "properties": { "type": { "type": "string", "enum": ["Polygon"] },
                        "coordinates": { "type": "array", "items": { "type": "array", "items": { "type": "array", "items": { "type": "number" } } } } } });
    let (geometry, required_geometry) = match layer {
        Layer::Parcels | Layer::Buildings => (polygon, true),
        Layer::Units => (json!({ "allOf": [polygon], "nullable": true }), false),
        _ => (json!({ "type": "object", "nullable": true }), false),
    };
    let mut feature = json!({ "type": "object", "required": ["type", "properties"],
        "properties": { "type": { "type": "string", "enum": ["Feature"] }, "geometry": geometry,
                        "properties": { "type": "object", "required": required, "properties": properties } } });
    if required_geometry {
        feature["required"] = json!(["type", "geometry", "properties"]);
    }
    feature
}

/// OGC API – Features Part 4 on an editable collection: POST on items; PUT, PATCH and DELETE on a feature.
fn add_edits(paths: &mut Map<String, Value>, layer: Layer, tag: &str) {
    let id = layer.code();
    let feature = json!({ "schema": feature_schema(layer) });
    let written = |description: &str| {
        json!({ "description": description,
                "headers": { "ETag": { "description": "The feature's new version, for `If-Match`", "schema": { "type": "string" } } },
                "content": { "application/geo+json": { "schema": { "$ref": "#/components/schemas/Feature" } } } })
    };
    let failures = |codes: &[&str]| codes.iter().map(|c| ((*c).to_owned(), problem())).collect::<Map<_, _>>();
    let idempotency = json!({ "name": "Idempotency-Key", "in": "header", "required": false,
        "description": "Retrying a request with the same key gives the first answer; nothing is written twice.",
        "schema": { "type": "string", "minLength": 1, "maxLength": 255 } });
    let content_crs = json!({ "name": "Content-Crs", "in": "header", "required": false,
        "description": "The CRS of the body's geometry, e.g. `<http://www.opengis.net/def/crs/EPSG/0/4545>`; CRS84 when left out.",
        "schema": { "type": "string", "enum": Crs::uris().iter().map(|u| format!("<{u}>")).collect::<Vec<_>>() } });
    let if_match = json!({ "name": "If-Match", "in": "header", "required": true,
        "description": "The feature's ETag as last read (or `*`); a stale one is answered 412. Weak tags never match.",
        "schema": { "type": "string" } });
    let feature_id = json!({ "name": "featureId", "in": "path", "required": true, "schema": { "type": "integer" } });

    let mut created = failures(&["400", "401", "403", "409", "415", "422"]);
    let mut ok = written("The feature as created");
    ok["headers"]["Location"] = json!({ "description": "The new feature's URL", "schema": { "type": "string" } });
    created.insert("201".into(), ok);
    let items = paths.entry(format!("/collections/{id}/items")).or_insert_with(|| json!({}));
    items["post"] = json!({ "operationId": format!("create_{id}"), "summary": format!("Add a feature to {id}"), "tags": [tag],
        "security": [{ "bearer": [] }], "parameters": [idempotency, content_crs],
        "requestBody": { "required": true, "content": { "application/geo+json": feature, "application/json": feature } },
        "responses": created });

    let mut changed = failures(&["400", "401", "403", "404", "409", "412", "415", "422", "428"]);
    changed.insert("200".into(), written("The feature after the change"));
    let item = paths.entry(format!("/collections/{id}/items/{{featureId}}")).or_insert_with(|| json!({}));
    item["put"] = json!({ "operationId": format!("replace_{id}_feature"), "summary": format!("Replace a feature of {id}"),
        "tags": [tag], "security": [{ "bearer": [] }], "parameters": [feature_id, if_match, idempotency, content_crs],
        "requestBody": { "required": true, "content": { "application/geo+json": feature, "application/json": feature } },
        "responses": changed });
    item["patch"] = json!({ "operationId": format!("update_{id}_feature"),
        "summary": format!("Change some properties or the geometry of a feature of {id} (JSON Merge Patch, RFC 7396)"),
        "tags": [tag], "security": [{ "bearer": [] }], "parameters": [feature_id, if_match, idempotency, content_crs],
        "requestBody": { "required": true, "content": { "application/merge-patch+json": { "schema": { "type": "object" } } } },
        "responses": changed });
    item["delete"] = json!({ "operationId": format!("retire_{id}_feature"),
        "summary": format!("Retire a feature of {id}: it stays readable, as retired, with its history"),
        "tags": [tag], "security": [{ "bearer": [] }], "parameters": [feature_id, if_match, idempotency],
        "responses": changed });
}

pub fn document(base: &Base) -> Value {
    let mut paths = Map::new();
    let landing = operation(
        "getLandingPage",
        "Landing page",
        "Capabilities",
        &[f_parameter()],
        "Links to the API, conformance and collections",
        "application/json",
    );
    paths.insert("/".into(), landing);
    paths.insert(
        "/conformance".into(),
        operation(
            "getConformance",
            "Conformance classes",
            "Capabilities",
            &[f_parameter()],
            "The conformance classes",
            "application/json",
        ),
    );
    paths.insert("/api".into(), json!({ "get": { "operationId": "getApi", "summary": "This document", "tags": ["Capabilities"],
        "parameters": [ignored_f_parameter()], "responses": { "200": { "description": "The OpenAPI document", "content": { OPENAPI: { "schema": { "type": "object" } } } } } } }));
    paths.insert(
        "/collections".into(),
        operation(
            "getCollections",
            "The collections",
            "Capabilities",
            &[f_parameter()],
            "Metadata of every collection",
            "application/json",
        ),
    );
    for layer in COLLECTIONS {
        let id = layer.code();
        let tag = title(layer);
        paths.insert(
            format!("/collections/{id}"),
            operation(
                &format!("describe_{id}"),
                &format!("Metadata of {id}"),
                tag,
                &[f_parameter()],
                description(layer),
                "application/json",
            ),
        );
        let mut items = reader(operation(
            &format!("get_{id}_items"),
            &format!("Features of {id}"),
            tag,
            &items_parameters(layer),
            "A page of features with `next`/`prev` links",
            "application/geo+json",
        ));
        items["get"]["description"] = json!(description(layer));
        paths.insert(format!("/collections/{id}/items"), items);
        let feature_id = json!({ "name": "featureId", "in": "path", "required": true, "description": "Integer feature id.", "schema": { "type": "integer" } });
        let mut feature = reader(operation(
            &format!("get_{id}_feature"),
            &format!("One feature of {id}"),
            tag,
            &[
                feature_id,
                f_parameter(),
                properties_parameter(layer),
                crate::coordsys::coordsys_parameter(),
                crate::crs::crs_parameter(),
            ],
            "The feature",
            "application/geo+json",
        ));
        feature["get"]["responses"]["404"] = problem();
        paths.insert(format!("/collections/{id}/items/{{featureId}}"), feature);
        if matches!(layer, Layer::Parcels | Layer::Buildings | Layer::Units | Layer::Projects) {
            add_edits(&mut paths, layer, tag);
        }
        paths.insert(
            format!("/collections/{id}/queryables"),
            reader(operation(
                &format!("get_{id}_queryables"),
                &format!("Properties of {id} to filter on"),
                tag,
                &[ignored_f_parameter()],
                "JSON Schema",
                "application/schema+json",
            )),
        );
        paths.insert(
            format!("/collections/{id}/sortables"),
            reader(operation(
                &format!("get_{id}_sortables"),
                &format!("Properties of {id} to sort by"),
                tag,
                &[ignored_f_parameter()],
                "JSON Schema",
                "application/schema+json",
            )),
        );
        paths.insert(
            format!("/collections/{id}/schema"),
            reader(operation(
                &format!("get_{id}_schema"),
                &format!("Schema of {id} features"),
                tag,
                &[ignored_f_parameter()],
                "JSON Schema",
                "application/schema+json",
            )),
        );
    }
    paths.insert(
        "/stats".into(),
        operation(
            "getStats",
            "Park statistics: land, factory space and projects, by zone",
            "Statistics",
            &[ignored_f_parameter(), as_of_parameter()],
            "Statistics",
            "application/json",
        ),
    );
    paths.extend(crate::availability::openapi_paths());
    paths.extend(crate::tile::openapi_paths());
    // Planning for a project reads its investment: a token is needed for `project_id`, and a wrong one is a 401.
    let mut plan = crate::plan::openapi_path();
    plan["post"]["security"] = json!([{}, { "bearer": [] }]);
    plan["post"]["responses"]["401"] = problem();
    paths.insert("/allocation-plans".into(), plan);
    // The report names holders and prices: token holders only; `f=geojson` answers the parcels as a map layer.
    let mut idle = operation(
        "getIdleLandReport",
        "Idle land (闲置土地处置办法, 2012): parcels idle, reclaimable or within 90 days of idle, with the fee due",
        "Statistics",
        &[
            as_of_parameter(),
            json!({ "name": "f", "in": "query", "required": false,
                        "description": "`json` (the report) or `geojson` (the affected parcels as a map layer).",
                        "schema": { "type": "string", "enum": ["json", "geojson"] } }),
        ],
        "Idle-land report",
        "application/json",
    );
    idle["get"]["security"] = json!([{ "bearer": [] }]);
    idle["get"]["responses"]["200"]["content"]["application/geo+json"] = json!({ "schema": { "type": "object" } });
    idle["get"]["responses"]["401"] = problem();
    paths.insert("/reports/idle-land".into(), idle);
    paths.insert("/health".into(), json!({ "get": { "operationId": "getHealth", "summary": "Liveness", "tags": ["Operations"],
        "responses": { "200": { "description": "The service runs", "content": { "application/json": { "schema": { "type": "object" } } } } } } }));
    paths.insert("/ready".into(), json!({ "get": { "operationId": "getReady", "summary": "Readiness: the store answers; how far behind the change feed this node is", "tags": ["Operations"],
        "responses": { "200": { "description": "Ready (`applied_sequence`, `store_sequence`, `behind` on PostGIS)", "content": { "application/json": { "schema": { "type": "object" } } } },
                       "503": { "description": "The database does not answer", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } } } } }));
    complete(&mut paths);

    json!({
        "openapi": "3.0.3",
        "info": { "title": TITLE, "description": DESCRIPTION, "version": env!("CARGO_PKG_VERSION"),
                  "license": { "name": "Apache-2.0" } },
        "servers": [{ "url": base.0 }],
        "paths": paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Feature": { "type": "object", "required": ["type", "properties"],
                    "properties": { "type": { "type": "string", "enum": ["Feature"] },
                                    "geometry": { "type": "object", "nullable": true },
                                    "properties": { "type": "object" } } },
                "Problem": { "type": "object", "required": ["type", "title", "status", "detail", "code"],
                    "properties": { "type": { "type": "string" }, "title": { "type": "string" }, "status": { "type": "integer" },
                                    "detail": { "type": "string" }, "code": { "type": "string" } } }
            },
            "responses": {
                "Problem": { "description": "A problem with the request (RFC 9457)",
                             "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
            }
        }
    })
}

pub async fn api(State(_state): State<AppState>, base: Base, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref()).only(&["f"])?;
    Ok(html::typed_json(&document(&base), OPENAPI))
}
