//! Editing features (OGC API – Features Part 4: create, replace, update, delete) on `parcels`, `buildings`,
//! `units` and `projects`, with optimistic locking by `ETag`.
//!
//! - `POST /collections/{id}/items` with a GeoJSON `Feature` creates a record; the server names it and answers
//!   `201` with `Location` and the new feature's `ETag`.
//! - `PUT /collections/{id}/items/{fid}` replaces the record with a whole feature; `PATCH` applies a JSON Merge
//!   Patch (RFC 7396) to the feature as `GET` shows it; `DELETE` retires the record (nothing is deleted: it stays
//!   readable as `retired`, or `cancelled` for a project, with its history). All three need `If-Match` with the
//!   feature's `ETag` (`428` without it) and answer `412` when the feature changed since.
//! - The feature is read with the import's reader and checked with the import's rules (valid, non-overlapping
//!   outline inside its zone, unique code, existing references); a geometry in another CRS says so with
//!   `Content-Crs`.
//!
//! A feature's tag is a digest of its canonical GeoJSON ([`crate::cache::feature_state`]), so every node holding
//! the same record gives it the same tag, and a write elsewhere in the inventory does not make it stale.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use landbank_inventory::edit::{self, EditError, Record};
use landbank_inventory::{Change, Inventory, Layer};
use serde_json::Value;

use crate::AppState;
use crate::auth::Role;
use crate::cache::feature_state;
use crate::collection::layer_of;
use crate::crs::Crs;
use crate::error::ApiError;
use crate::link::Base;
use crate::query::Params;
use crate::write::{Actor, Answer, Body, Write, commit};

impl From<EditError> for ApiError {
    fn from(e: EditError) -> ApiError {
        match e {
            EditError::NotEditable(layer) => not_editable(layer),
            EditError::Unknown { layer, id } => {
                ApiError::FeatureNotFound { collection: layer.code().to_owned(), id: id.to_string() }
            }
            EditError::Invalid(problems) => ApiError::Unprocessable(format!(
                "the feature breaks the inventory's rules: {}",
                problems.iter().map(|p| format!("{} ({})", p.detail, p.kind.code())).collect::<Vec<_>>().join("; ")
            )),
            EditError::Conflict(reason) => ApiError::Conflict(reason),
        }
    }
}

fn not_editable(layer: Layer) -> ApiError {
    ApiError::NotEditable(format!(
        "{layer} are not edited feature by feature; replace the layer with `landbank import FILE --layer {layer}`"
    ))
}

/// The layer of a collection that can be edited.
fn editable(collection_id: &str) -> Result<Layer, ApiError> {
    let layer = layer_of(collection_id)?;
    match layer {
        Layer::Parcels | Layer::Buildings | Layer::Units | Layer::Projects => Ok(layer),
        Layer::Zones | Layer::Pois => Err(not_editable(layer)),
    }
}

/// Planners edit projects; the inventory itself (parcels, buildings, units) is an admin's.
fn needed(layer: Layer) -> Role {
    if layer == Layer::Projects { Role::Planner } else { Role::Admin }
}

fn feature_id(collection: &str, raw: &str) -> Result<i64, ApiError> {
    raw.parse()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::FeatureNotFound { collection: collection.to_owned(), id: raw.to_owned() })
}

/// What `If-Match` asks for.
enum IfMatch {
    /// `*`: any current version.
    Any,
    /// The feature states named by the listed tags.
    States(Vec<String>),
}

impl IfMatch {
    /// Reads `If-Match`; a write to an existing feature must send it.
    fn of(headers: &HeaderMap) -> Result<IfMatch, ApiError> {
        let Some(value) = headers.get(header::IF_MATCH) else {
            return Err(ApiError::PreconditionRequired(
                "send `If-Match` with the feature's ETag (from GET on the feature), so that a change made since \
                 you read it is not overwritten"
                    .into(),
            ));
        };
        let value = value
            .to_str()
            .map_err(|_| ApiError::invalid("If-Match", "it must be ETags in visible ASCII, such as \"3f2a…\""))?;
        if value.trim() == "*" {
            return Ok(IfMatch::Any);
        }
        let mut states = Vec::new();
        for tag in value.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            // Strong comparison (RFC 9110 §13.1.1): a weak tag never matches.
            if tag.starts_with("W/") {
                continue;
            }
            let Some(opaque) = tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else {
                return Err(ApiError::invalid("If-Match", format!("`{tag}` is not a quoted ETag")));
            };
            // A feature's tags are `"<state>"` or `"<state>-<representation>"`: the state is what is compared.
            states.push(opaque.split('-').next().unwrap_or(opaque).to_owned());
        }
        Ok(IfMatch::States(states))
    }

    fn check(&self, inventory: &Inventory, layer: Layer, id: i64) -> Result<(), ApiError> {
        let current = feature_state(inventory, layer, id)
            .ok_or_else(|| ApiError::FeatureNotFound { collection: layer.code().to_owned(), id: id.to_string() })?;
        match self {
            IfMatch::Any => Ok(()),
            IfMatch::States(states) if states.contains(&current) => Ok(()),
            IfMatch::States(_) => Err(ApiError::PreconditionFailed(format!(
                "{layer} {id} changed since that ETag was read; its current ETag is \"{current}\": GET it again \
                 and reapply your change"
            ))),
        }
    }
}

/// The CRS of a request body's geometry, from `Content-Crs` (CRS84 when absent).
fn content_crs(headers: &HeaderMap) -> Result<Crs, ApiError> {
    let Some(value) = headers.get("content-crs") else { return Ok(Crs::Crs84) };
    let raw = value.to_str().unwrap_or("").trim();
    let name = raw.strip_prefix('<').and_then(|r| r.strip_suffix('>')).unwrap_or(raw);
    Crs::from_name(name).ok_or_else(|| {
        ApiError::invalid(
            "Content-Crs",
            format!("`{raw}` is not one of the supported CRSs: {}", Crs::uris().join(", ")),
        )
    })
}

/// The most positions a written geometry may have (the largest Dongxing parcel has a few dozen).
pub const MAX_VERTICES: usize = 10_000;

fn positions(geometry: &Value) -> usize {
    match geometry {
        Value::Array(items) if items.first().is_some_and(Value::is_number) => 1,
        Value::Array(items) => items.iter().map(positions).sum(),
        Value::Object(object) => {
            object.get("coordinates").map_or(0, positions) + object.get("geometries").map_or(0, positions)
        }
        _ => 0,
    }
}

/// A body that must be a GeoJSON `Feature` (or a merge patch of one), with its geometry taken to CRS84.
fn prepare(mut feature: Value, headers: &HeaderMap, patch: bool) -> Result<Value, ApiError> {
    let Value::Object(object) = &mut feature else {
        let what = if patch { "a JSON Merge Patch object" } else { "a GeoJSON Feature object" };
        return Err(ApiError::InvalidBody(format!("the body must be {what}")));
    };
    let crs = content_crs(headers)?;
    if let Some(count) = object.get("geometry").map(positions).filter(|n| *n > MAX_VERTICES) {
        return Err(ApiError::InvalidBody(format!(
            "the geometry has {count} positions; at most {MAX_VERTICES} are accepted"
        )));
    }
    if let Some(geometry) = object.get_mut("geometry").filter(|g| !g.is_null()) {
        crs.geometry_to_crs84(geometry).map_err(ApiError::InvalidBody)?;
    }
    Ok(feature)
}

fn read(layer: Layer, feature: &Value, id: i64) -> Result<Record, ApiError> {
    landbank_geojson::read_record(layer, feature, id)
        .map_err(|reasons| ApiError::InvalidBody(format!("the feature cannot be read: {}", reasons.join("; "))))
}

/// The feature as `GET` shows it, as a JSON value.
fn feature_value(inventory: &Inventory, layer: Layer, id: i64) -> Value {
    let mut out = Vec::with_capacity(2_048);
    let written = landbank_geojson::record(inventory, layer, id)
        .map(|record| landbank_geojson::write_feature(&mut out, inventory, record, None));
    match written {
        Some(Ok(())) => serde_json::from_slice(&out).unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

/// The answer to a write of one feature: the feature after it, with its new tag.
fn answer(after: &Inventory, layer: Layer, id: i64, status: StatusCode, location: Option<String>) -> Answer {
    Answer {
        status,
        location,
        etag: feature_state(after, layer, id).map(|state| format!("\"{state}\"")),
        body: feature_value(after, layer, id),
    }
}

fn first_id(change: &Change) -> i64 {
    change
        .parcels
        .first()
        .map(|p| p.id.0)
        .or_else(|| change.buildings.first().map(|b| b.id.0))
        .or_else(|| change.units.first().map(|u| u.id.0))
        .or_else(|| change.projects.first().map(|p| p.id.0))
        .unwrap_or_default()
}

/// `POST /collections/{id}/items`.
pub async fn create_item(
    State(state): State<AppState>,
    actor: Result<Actor, ApiError>,
    base: Base,
    Path(collection_id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Body<Value>,
) -> Result<Response, ApiError> {
    let layer = editable(&collection_id)?;
    Params::parse(raw.as_deref()).only(&[])?;
    let actor = actor?;
    actor.require(needed(layer), &format!("editing {layer}"))?;
    let feature = prepare(body.value, &headers, false)?;
    let record = read(layer, &feature, 0)?;
    let path = format!("/collections/{}/items", layer.code());
    let write = Write::new(&actor, &headers, "POST", &path, &body.raw)?;
    commit(
        &state,
        write,
        |inventory, _| Ok(edit::create(inventory, record)?.0),
        |after, change| {
            let id = first_id(change);
            let location = format!("{}{path}/{id}", base.0);
            answer(after, layer, id, StatusCode::CREATED, Some(location))
        },
    )
    .await
}

/// `PUT /collections/{id}/items/{fid}`.
pub async fn replace_item(
    State(state): State<AppState>,
    actor: Result<Actor, ApiError>,
    Path((collection_id, raw_id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Body<Value>,
) -> Result<Response, ApiError> {
    let layer = editable(&collection_id)?;
    Params::parse(raw.as_deref()).only(&[])?;
    let actor = actor?;
    actor.require(needed(layer), &format!("editing {layer}"))?;
    let id = feature_id(layer.code(), &raw_id)?;
    let if_match = IfMatch::of(&headers)?;
    let feature = prepare(body.value, &headers, false)?;
    let record = read(layer, &feature, id)?;
    let path = format!("/collections/{}/items/{id}", layer.code());
    let write = Write::new(&actor, &headers, "PUT", &path, &body.raw)?;
    commit(
        &state,
        write,
        |inventory, _| {
            if_match.check(inventory, layer, id)?;
            Ok(edit::replace(inventory, record, "replace")?)
        },
        |after, _| answer(after, layer, id, StatusCode::OK, None),
    )
    .await
}

/// `PATCH /collections/{id}/items/{fid}`: a JSON Merge Patch of the feature.
pub async fn update_item(
    State(state): State<AppState>,
    actor: Result<Actor, ApiError>,
    Path((collection_id, raw_id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Body<Value>,
) -> Result<Response, ApiError> {
    let layer = editable(&collection_id)?;
    Params::parse(raw.as_deref()).only(&[])?;
    let actor = actor?;
    actor.require(needed(layer), &format!("editing {layer}"))?;
    let id = feature_id(layer.code(), &raw_id)?;
    let if_match = IfMatch::of(&headers)?;
    let patch = prepare(body.value, &headers, true)?;
    if let Some(properties) = patch.get("properties").and_then(Value::as_object) {
        let schema = landbank_geojson::schema(layer);
        if let Some(computed) = properties.keys().find(|k| schema.iter().any(|p| p.name == *k && p.read_only)) {
            return Err(ApiError::InvalidBody(format!(
                "`{computed}` is computed by the server and cannot be patched; change what it is computed from"
            )));
        }
    }
    let path = format!("/collections/{}/items/{id}", layer.code());
    let write = Write::new(&actor, &headers, "PATCH", &path, &body.raw)?;
    commit(
        &state,
        write,
        |inventory, _| {
            if_match.check(inventory, layer, id)?;
            let mut feature = feature_value(inventory, layer, id);
            json_patch::merge(&mut feature, &patch);
            let record = read(layer, &feature, id)?;
            Ok(edit::replace(inventory, record, "update")?)
        },
        |after, _| answer(after, layer, id, StatusCode::OK, None),
    )
    .await
}

/// `DELETE /collections/{id}/items/{fid}`: retires the record, which stays readable with its history.
pub async fn delete_item(
    State(state): State<AppState>,
    actor: Result<Actor, ApiError>,
    Path((collection_id, raw_id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let layer = editable(&collection_id)?;
    Params::parse(raw.as_deref()).only(&[])?;
    let actor = actor?;
    actor.require(needed(layer), &format!("editing {layer}"))?;
    let id = feature_id(layer.code(), &raw_id)?;
    let if_match = IfMatch::of(&headers)?;
    let path = format!("/collections/{}/items/{id}", layer.code());
    let write = Write::new(&actor, &headers, "DELETE", &path, b"")?;
    commit(
        &state,
        write,
        |inventory, _| {
            if_match.check(inventory, layer, id)?;
            Ok(edit::retire(inventory, layer, id)?)
        },
        |after, _| answer(after, layer, id, StatusCode::OK, None),
    )
    .await
}
