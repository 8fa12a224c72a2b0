//! Reservations and allocations: hold space for a project, confirm it into an allocation, release either.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use jiff::{SignedDuration, Timestamp};
use landbank_inventory::{
    Allocation, AllocationError, AllocationId, Inventory, ParcelId, ProjectId, Reservation, ReservationId,
    ReservationStatus, SupplyMethod, Target, Terms, UnitId, reservation as plan,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::lineage::{CarveSpec, plan_split};
use crate::link::Base;
use crate::query::Params;
use crate::write::{Actor, Answer, Body, Write, commit};
use crate::{AppState, html};

/// How long a reservation holds its space unless the request says otherwise.
pub const DEFAULT_HOLD_DAYS: f64 = 14.0;

impl From<AllocationError> for ApiError {
    fn from(e: AllocationError) -> ApiError {
        let detail = e.to_string();
        match e {
            AllocationError::UnknownProject(_)
            | AllocationError::UnknownParcel(_)
            | AllocationError::UnknownUnit(_)
            | AllocationError::NoUnits
            | AllocationError::HoldOutOfRange(_)
            | AllocationError::ClassMismatch { .. }
            | AllocationError::AllocationSupplyForManufacturing => ApiError::Unprocessable(detail),
            AllocationError::ForeignReservation { .. } => ApiError::Forbidden(detail),
            AllocationError::UnknownReservation(id) => {
                ApiError::FeatureNotFound { collection: "reservations".into(), id: id.to_string() }
            }
            AllocationError::UnknownAllocation(id) => {
                ApiError::FeatureNotFound { collection: "allocations".into(), id: id.to_string() }
            }
            AllocationError::ParcelNotAvailable { .. }
            | AllocationError::ParcelNotYetAvailable { .. }
            | AllocationError::UnitNotVacant { .. }
            | AllocationError::ReservationNotActive { .. }
            | AllocationError::ReservationExpired { .. }
            | AllocationError::AllocationReleased { .. } => ApiError::Conflict(detail),
        }
    }
}

fn target_json(target: &Target) -> Value {
    match target {
        Target::Parcel(p) => json!({ "parcel_id": p.0 }),
        Target::Units(units) => json!({ "unit_ids": units.iter().map(|u| u.0).collect::<Vec<_>>() }),
    }
}

pub fn reservation_json(r: &Reservation) -> Value {
    let mut v = json!({
        "id": r.id.0,
        "project_id": r.project.0,
        "status": r.status.code(),
        "created_at": r.created_at.to_string(),
        "expires_at": r.expires_at.to_string(),
        "actor": r.actor,
        "closed_at": r.closed_at.map(|t| t.to_string()),
        "links": [{ "rel": "self", "href": format!("/reservations/{}", r.id.0), "type": "application/json" }],
    });
    if let (Some(obj), Value::Object(t)) = (v.as_object_mut(), target_json(&r.target)) {
        obj.extend(t);
    }
    v
}

pub fn allocation_json(a: &Allocation) -> Value {
    let mut v = json!({
        "id": a.id.0,
        "reservation_id": a.reservation.0,
        "project_id": a.project.0,
        "status": a.status.code(),
        "supply_method": a.supply_method.map(SupplyMethod::code),
        "term_years": a.term_years,
        "price_wan": a.price_wan,
        "contract_ref": a.contract_ref,
        "confirmed_at": a.confirmed_at.to_string(),
        "actor": a.actor,
        "released_at": a.released_at.map(|t| t.to_string()),
        "links": [{ "rel": "self", "href": format!("/allocations/{}", a.id.0), "type": "application/json" }],
    });
    if let (Some(obj), Value::Object(t)) = (v.as_object_mut(), target_json(&a.target)) {
        obj.extend(t);
    }
    v
}

/// `POST /reservations` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewReservation {
    project_id: i64,
    parcel_id: Option<i64>,
    unit_ids: Option<Vec<i64>>,
    /// Carve a piece of this area out of a parcel and hold the piece.
    carve: Option<CarveTarget>,
    /// How long to hold, in days (fractions allowed); 14 when absent.
    hold_days: Option<f64>,
}

/// A carve target: the parcel to cut and how.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarveTarget {
    parcel_id: i64,
    #[serde(flatten)]
    spec: CarveSpec,
}

/// What a reservation request asks to hold.
enum Wanted {
    Target(Target),
    Carve(ParcelId, CarveSpec),
}

fn target_of(body: NewReservation) -> Result<Wanted, ApiError> {
    match (body.parcel_id, body.unit_ids, body.carve) {
        (Some(p), None, None) => Ok(Wanted::Target(Target::Parcel(ParcelId(p)))),
        (None, Some(units), None) => Ok(Wanted::Target(Target::Units(units.into_iter().map(UnitId).collect()))),
        (None, None, Some(c)) => Ok(Wanted::Carve(ParcelId(c.parcel_id), c.spec)),
        _ => Err(ApiError::InvalidBody("give exactly one of `parcel_id`, `unit_ids` or `carve`".into())),
    }
}

/// Plans holding what was asked for; a carve is split first and its piece held, in one change.
fn plan_hold(
    inventory: &Inventory,
    project: ProjectId,
    wanted: Wanted,
    now: Timestamp,
    hold: SignedDuration,
    actor: &str,
) -> Result<landbank_inventory::Change, ApiError> {
    match wanted {
        Wanted::Target(target) => Ok(plan::reserve(inventory, project, target, now, hold, actor)?),
        Wanted::Carve(parcel, spec) => {
            let (split, _) = plan_split(inventory, parcel, &spec)?;
            let piece = split.lineage[0].1[0];
            let mut after = inventory.clone();
            after.apply(&split);
            let reserve = plan::reserve(&after, project, Target::Parcel(piece), now, hold, actor)?;
            Ok(split.then(reserve))
        }
    }
}

fn hold_of(days: Option<f64>) -> Result<SignedDuration, ApiError> {
    let days = days.unwrap_or(DEFAULT_HOLD_DAYS);
    if !days.is_finite() || days <= 0.0 {
        return Err(ApiError::InvalidBody(format!("`hold_days` must be a positive number of days, not {days}")));
    }
    SignedDuration::try_from_secs_f64(days * 86_400.0)
        .map_err(|_| ApiError::InvalidBody(format!("`hold_days` {days} is out of range")))
}

pub async fn create_reservation(
    State(state): State<AppState>,
    actor: Actor,
    headers: HeaderMap,
    body: Body<NewReservation>,
) -> Result<Response, ApiError> {
    let write = Write::new(&actor, &headers, "POST", "/reservations", &body.raw)?;
    let hold = hold_of(body.value.hold_days)?;
    let project = ProjectId(body.value.project_id);
    let wanted = target_of(body.value)?;
    commit(
        &state,
        write,
        |inventory, now| plan_hold(inventory, project, wanted, now, hold, &actor.0),
        |_, change| {
            let r = &change.reservations[0];
            Answer {
                status: StatusCode::CREATED,
                location: Some(format!("/reservations/{}", r.id.0)),
                etag: None,
                body: reservation_json(r),
            }
        },
    )
    .await
}

/// `POST /reservations/{id}/confirm` body: the terms of the allocation.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Confirmation {
    supply_method: Option<String>,
    term_years: Option<u16>,
    price_wan: Option<f64>,
    contract_ref: Option<String>,
}

fn id_of(raw: &str, collection: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().map_err(|_| ApiError::FeatureNotFound { collection: collection.into(), id: raw.into() })
}

pub async fn confirm_reservation(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body<Confirmation>,
) -> Result<Response, ApiError> {
    let id = ReservationId(id_of(&id, "reservations")?);
    let c = body.value;
    let supply_method = c
        .supply_method
        .as_deref()
        .map(str::parse::<SupplyMethod>)
        .transpose()
        .map_err(|e| ApiError::InvalidBody(e.to_string()))?;
    if c.price_wan.is_some_and(|p| !p.is_finite() || p < 0.0) {
        return Err(ApiError::InvalidBody("`price_wan` must be a non-negative number".into()));
    }
    let terms = Terms { supply_method, term_years: c.term_years, price_wan: c.price_wan, contract_ref: c.contract_ref };
    let write = Write::new(&actor, &headers, "POST", &format!("/reservations/{id}/confirm"), &body.raw)?;
    commit(
        &state,
        write,
        |inventory, now| Ok(plan::confirm(inventory, id, terms, now, &actor.0)?),
        |_, change| {
            let a = &change.allocations[0];
            Answer {
                status: StatusCode::CREATED,
                location: Some(format!("/allocations/{}", a.id.0)),
                etag: None,
                body: allocation_json(a),
            }
        },
    )
    .await
}

pub async fn delete_reservation(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = ReservationId(id_of(&id, "reservations")?);
    let write = Write::new(&actor, &headers, "DELETE", &format!("/reservations/{id}"), b"")?;
    commit(
        &state,
        write,
        |inventory, now| Ok(plan::release_reservation(inventory, id, now, &actor.0)?),
        |_, change| Answer {
            status: StatusCode::OK,
            location: None,
            etag: None,
            body: reservation_json(&change.reservations[0]),
        },
    )
    .await
}

pub async fn release_allocation(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body<serde_json::Map<String, Value>>,
) -> Result<Response, ApiError> {
    if let Some(field) = body.value.keys().next() {
        return Err(ApiError::InvalidBody(format!("unknown field `{field}`; releasing takes no fields")));
    }
    let id = AllocationId(id_of(&id, "allocations")?);
    let write = Write::new(&actor, &headers, "POST", &format!("/allocations/{id}/release"), &body.raw)?;
    commit(
        &state,
        write,
        |inventory, now| Ok(plan::release_allocation(inventory, id, now)?),
        |_, change| Answer {
            status: StatusCode::OK,
            location: None,
            etag: None,
            body: allocation_json(&change.allocations[0]),
        },
    )
    .await
}

fn listing<T>(
    items: &[T],
    status: Option<&str>,
    code: impl Fn(&T) -> &'static str,
    json: impl Fn(&T) -> Value,
) -> Value {
    let items: Vec<Value> = items.iter().filter(|i| status.is_none_or(|s| code(i) == s)).map(json).collect();
    json!({ "numberMatched": items.len(), "items": items })
}

/// Reservations name projects, actors and terms: token holders only.
pub async fn list_reservations(
    State(state): State<AppState>,
    _reader: Actor,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    params.only(&["status", "project_id"])?;
    let status = params.get("status");
    if let Some(s) = status {
        s.parse::<ReservationStatus>().map_err(|e| ApiError::invalid("status", e.to_string()))?;
    }
    let project = project_filter(&params)?;
    let snapshot = state.snapshot();
    let items: Vec<Reservation> =
        snapshot.inventory.reservations().iter().filter(|r| project.is_none_or(|p| r.project == p)).cloned().collect();
    Ok(html::json(&listing(&items, status, |r| r.status.code(), reservation_json)))
}

/// Allocations carry negotiated prices and contracts: token holders only.
pub async fn list_allocations(
    State(state): State<AppState>,
    _reader: Actor,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    params.only(&["status", "project_id"])?;
    let status = params.get("status");
    if let Some(s) = status {
        s.parse::<landbank_inventory::AllocationStatus>().map_err(|e| ApiError::invalid("status", e.to_string()))?;
    }
    let project = project_filter(&params)?;
    let snapshot = state.snapshot();
    let items: Vec<Allocation> =
        snapshot.inventory.allocations().iter().filter(|a| project.is_none_or(|p| a.project == p)).cloned().collect();
    Ok(html::json(&listing(&items, status, |a| a.status.code(), allocation_json)))
}

fn project_filter(params: &Params) -> Result<Option<ProjectId>, ApiError> {
    params
        .get("project_id")
        .map(|p| p.parse::<i64>().map(ProjectId).map_err(|_| ApiError::invalid("project_id", "it must be an integer")))
        .transpose()
}

pub async fn get_reservation(
    State(state): State<AppState>,
    _reader: Actor,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref()).only(&[])?;
    let snapshot = state.snapshot();
    let found = snapshot.inventory.reservation(ReservationId(id_of(&id, "reservations")?));
    let r = found.ok_or(ApiError::FeatureNotFound { collection: "reservations".into(), id })?;
    Ok(html::json(&reservation_json(r)))
}

pub async fn get_allocation(
    State(state): State<AppState>,
    _reader: Actor,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref()).only(&[])?;
    let snapshot = state.snapshot();
    let found = snapshot.inventory.allocation(AllocationId(id_of(&id, "allocations")?));
    let a = found.ok_or(ApiError::FeatureNotFound { collection: "allocations".into(), id })?;
    Ok(html::json(&allocation_json(a)))
}

/// Expires reservations whose hold has ended, now. Returns how many expired.
pub async fn expire_now(state: &AppState) -> Result<usize, ApiError> {
    if state.writer.is_none() || plan::expire(&state.snapshot().inventory, Timestamp::now()).is_none() {
        return Ok(0);
    }
    let actor = Actor("expiry".to_owned(), crate::auth::Role::Admin);
    let write = Write { actor: &actor, idempotency: None };
    let mut expired = 0;
    let result = commit(
        state,
        write,
        |inventory: &Inventory, now| {
            plan::expire(inventory, now).ok_or_else(|| ApiError::Conflict("nothing left to expire".into()))
        },
        |_, change| {
            expired = change.reservations.len();
            Answer {
                status: StatusCode::OK,
                location: None,
                etag: None,
                body: json!({ "expired": change.reservations.len() }),
            }
        },
    )
    .await;
    match result {
        Ok(_) | Err(ApiError::Conflict(_)) => Ok(expired),
        Err(e) => Err(e),
    }
}

/// Runs [`expire_now`] every `every`, for as long as the runtime lives.
pub fn spawn_expiry(state: AppState, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            match expire_now(&state).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(expired = n, "reservations expired"),
                Err(e) => tracing::warn!(error = %e, "expiring reservations failed"),
            }
        }
    });
}

/// The history carries every field of every version, restricted ones too: token holders only.
pub async fn parcel_history(
    State(state): State<AppState>,
    _reader: Actor,
    _base: Base,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref()).only(&[])?;
    let pid = id_of(&id, "parcels")?;
    if state.snapshot().inventory.parcel(ParcelId(pid)).is_none() {
        return Err(ApiError::FeatureNotFound { collection: "parcels".into(), id });
    }
    let writer = state.writer.as_ref().ok_or(ApiError::ReadOnly)?;
    let events =
        writer.store().history(landbank_inventory::Layer::Parcels, pid).await.map_err(crate::write::store_error)?;
    let parse = |t: &Option<String>| t.as_deref().and_then(|t| serde_json::from_str::<Value>(t).ok());
    let items: Vec<Value> = events
        .iter()
        .map(|e| {
            json!({
                "sequence": e.sequence,
                "at": e.at,
                "actor": e.actor,
                "kind": e.kind,
                "before": parse(&e.before),
                "after": parse(&e.after),
            })
        })
        .collect();
    Ok(html::json(&json!({ "parcel_id": pid, "events": items })))
}
