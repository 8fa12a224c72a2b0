//! Splitting and merging parcels: `POST /parcels/{id}/split` carves a target area (or previews the carve),
//! `POST /parcels/merge` joins adjacent parcels. Parents are retired, never deleted.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use landbank_geojson::{RecordRef, write_feature};
use landbank_inventory::lineage::{self, LineageError};
use landbank_inventory::{Carve, CarveDirection, Change, Inventory, Meters, Mu, ParcelId, SliverPolicy, frontage};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::write::{Actor, Answer, Body, Write, commit};
use crate::{AppState, html};

/// A road within this distance of a parcel edge makes that edge its frontage.
const FRONTAGE_WITHIN: Meters = Meters(30.0);

impl From<LineageError> for ApiError {
    fn from(e: LineageError) -> ApiError {
        let detail = e.to_string();
        match e {
            LineageError::UnknownParcel(id) => {
                ApiError::FeatureNotFound { collection: "parcels".into(), id: id.to_string() }
            }
            LineageError::NotFree { .. } => ApiError::Conflict(detail),
            LineageError::Carve(_)
            | LineageError::TooFew
            | LineageError::DifferentZones { .. }
            | LineageError::DifferentLandUse { .. }
            | LineageError::NotAdjacent { .. }
            | LineageError::InvalidUnion(_) => ApiError::Unprocessable(detail),
        }
    }
}

/// How to carve: a target area and, optionally, the compass bearing the cut line moves toward.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarveSpec {
    pub area_mu: f64,
    pub bearing_deg: Option<f64>,
}

/// `POST /parcels/{id}/split` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitRequest {
    #[serde(flatten)]
    carve: CarveSpec,
    /// Only show the two pieces; change nothing.
    #[serde(default)]
    preview: bool,
}

fn direction(inventory: &Inventory, parcel: ParcelId, spec: &CarveSpec) -> Result<CarveDirection, ApiError> {
    if let Some(degrees) = spec.bearing_deg {
        if !degrees.is_finite() {
            return Err(ApiError::InvalidBody("`bearing_deg` must be a number of degrees".into()));
        }
        return Ok(CarveDirection::Bearing { degrees });
    }
    let frontage = inventory.parcel(parcel).and_then(|p| frontage(inventory, p, FRONTAGE_WITHIN));
    Ok(frontage.map_or(CarveDirection::Auto, |edge| CarveDirection::Frontage { edge }))
}

/// Plans a split of `parcel` by `spec`.
pub fn plan_split(inventory: &Inventory, parcel: ParcelId, spec: &CarveSpec) -> Result<(Change, Carve), ApiError> {
    if !spec.area_mu.is_finite() {
        return Err(ApiError::InvalidBody("`area_mu` must be a number".into()));
    }
    let direction = direction(inventory, parcel, spec)?;
    Ok(lineage::split(inventory, parcel, Mu(spec.area_mu), direction, &SliverPolicy::default())?)
}

fn feature(inventory: &Inventory, id: ParcelId) -> Value {
    let mut out = Vec::new();
    inventory
        .parcel(id)
        .and_then(|p| write_feature(&mut out, inventory, RecordRef::Parcel(p), None).ok())
        .and_then(|()| serde_json::from_slice(&out).ok())
        .unwrap_or(Value::Null)
}

/// The answer to a split or merge: the new parcels as GeoJSON features, the retired ones by id.
pub fn lineage_json(after: &Inventory, change: &Change, carve: Option<&Carve>) -> Value {
    let created: Vec<Value> = change
        .parcels
        .iter()
        .filter(|p| !change.lineage.iter().any(|(parent, _)| *parent == p.id))
        .map(|p| feature(after, p.id))
        .collect();
    let retired: Vec<i64> = change.lineage.iter().map(|(parent, _)| parent.0).collect();
    let mut body = json!({ "type": "FeatureCollection", "retired": retired, "features": created });
    if let Some(c) = carve {
        body["sweep_bearing_deg"] = json!(c.sweep_bearing_deg);
        body["cut"] = json!({ "type": "LineString", "coordinates": [[c.cut.start.x, c.cut.start.y], [c.cut.end.x, c.cut.end.y]] });
    }
    body
}

pub async fn split_parcel(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body<SplitRequest>,
) -> Result<Response, ApiError> {
    let parcel = ParcelId(
        id.parse::<i64>().map_err(|_| ApiError::FeatureNotFound { collection: "parcels".into(), id: id.clone() })?,
    );
    if body.value.preview {
        let snapshot = state.snapshot();
        let (change, carve) = plan_split(&snapshot.inventory, parcel, &body.value.carve)?;
        let mut after = snapshot.inventory.clone();
        after.apply(&change);
        let mut answer = lineage_json(&after, &change, Some(&carve));
        answer["preview"] = json!(true);
        return Ok(html::json(&answer));
    }
    let write = Write::new(&actor, &headers, "POST", &format!("/parcels/{parcel}/split"), &body.raw)?;
    let spec = body.value.carve;
    let carved = std::sync::Mutex::new(None);
    commit(
        &state,
        write,
        |inventory, _| {
            let (change, carve) = plan_split(inventory, parcel, &spec)?;
            *carved.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(carve);
            Ok(change)
        },
        |after, change| Answer {
            status: StatusCode::CREATED,
            location: None,
            etag: None,
            body: lineage_json(
                after,
                change,
                carved.lock().unwrap_or_else(std::sync::PoisonError::into_inner).as_ref(),
            ),
        },
    )
    .await
}

/// `POST /parcels/merge` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    parcel_ids: Vec<i64>,
}

pub async fn merge_parcels(
    State(state): State<AppState>,
    actor: Actor,
    headers: HeaderMap,
    body: Body<MergeRequest>,
) -> Result<Response, ApiError> {
    let ids: Vec<ParcelId> = body.value.parcel_ids.iter().map(|id| ParcelId(*id)).collect();
    let write = Write::new(&actor, &headers, "POST", "/parcels/merge", &body.raw)?;
    commit(
        &state,
        write,
        |inventory, _| Ok(lineage::merge(inventory, &ids)?),
        |after, change| Answer {
            status: StatusCode::CREATED,
            location: None,
            etag: None,
            body: lineage_json(after, change, None),
        },
    )
    .await
}
