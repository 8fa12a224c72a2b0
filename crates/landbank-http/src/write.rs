//! Writes: the bearer token, JSON bodies, `Idempotency-Key`, and the one path every change takes — plan on the
//! current snapshot (pure), commit to the store in one transaction, apply to a copy of the inventory, swap it in.
//!
//! Writes on one node run one at a time (a `tokio` mutex), so each plans against the state the previous one left;
//! the store refuses a double booking even if two nodes race (a unique index on active holds in the GeoPackage, an
//! exclusion constraint in PostGIS).

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::{RoundMode, Timestamp, TimestampRound, Unit};
use landbank_geojson::{RecordRef, write_feature};
use landbank_inventory::{Change, Inventory, Layer};
use landbank_store::{Basis, Idempotent, NewEvent, Store, StoreError};
use serde::de::DeserializeOwned;

use crate::auth::Role;
use crate::error::ApiError;
use crate::{AppState, Snapshot};

/// The largest request body a write accepts.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The durable store and the lock that makes this node's writes take turns.
#[derive(Debug)]
pub struct Writer {
    store: Store,
    /// Held from planning a write to installing its snapshot; owned, so that the commit task can keep it. The
    /// change-feed follower takes it too, so that changes from other nodes and this node's writes take turns.
    pub(crate) turn: Arc<tokio::sync::Mutex<()>>,
    /// The sequence number of the last event of the change feed this node's snapshot includes.
    pub(crate) applied: AtomicI64,
    /// Sequence numbers of events this node committed (and so applied) that the follower has not passed yet.
    pub(crate) own: Mutex<BTreeSet<i64>>,
}

impl Writer {
    /// A writer over `store`.
    pub fn new(store: Store) -> Writer {
        Writer {
            store,
            turn: Arc::new(tokio::sync::Mutex::new(())),
            applied: AtomicI64::new(0),
            own: Mutex::new(BTreeSet::new()),
        }
    }

    /// The store writes commit to (a GeoPackage on the blocking pool, or PostGIS).
    pub fn store(&self) -> &Store {
        &self.store
    }
}

pub(crate) fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::Conflict { reason } => ApiError::Conflict(reason),
        e if e.is_unavailable() => {
            tracing::warn!(error = %e, source = ?std::error::Error::source(&e), "the store is unavailable");
            ApiError::StoreUnavailable
        }
        other => ApiError::Internal(format!("store: {other}: {:?}", std::error::Error::source(&other))),
    }
}

/// The caller of a write, known by its bearer token: its name and role.
#[derive(Debug, Clone)]
pub struct Actor(pub String, pub Role);

impl Actor {
    /// Refuses (403) a caller whose role is below `role`.
    pub fn require(&self, role: Role, what: &str) -> Result<(), ApiError> {
        if self.1 >= role {
            return Ok(());
        }
        Err(ApiError::Forbidden(format!(
            "{what} needs a{} {role} token; `{}` is a {}",
            if role == Role::Admin { "n" } else { "" },
            self.0,
            self.1
        )))
    }
}

impl FromRequestParts<AppState> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Actor, ApiError> {
        if state.writer.is_none() && state.tokens.is_empty() {
            return Err(ApiError::ReadOnly);
        }
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Err(ApiError::Unauthorized("this needs an `Authorization: Bearer <token>` header".into()));
        };
        let secret = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
        let Some(secret) = secret else {
            return Err(ApiError::Unauthorized("the Authorization header must be `Bearer <token>`".into()));
        };
        // Secrets are compared by their SHA-256 digests, so the lookup's timing tells nothing about a secret.
        state
            .tokens
            .find(secret)
            .map(|grant| Actor(grant.name, grant.role))
            .ok_or_else(|| ApiError::Unauthorized("the bearer token is not valid (unknown or revoked)".into()))
    }
}

/// A JSON request body whose rejections are problem+json like every other error.
#[derive(Debug)]
pub struct Body<T> {
    pub value: T,
    /// The raw bytes, for the idempotency digest.
    pub raw: Bytes,
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Body<T>, ApiError> {
        let content_type =
            request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        let media = content_type.split(';').next().unwrap_or("").trim();
        let raw = Bytes::from_request(request, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::InvalidBody(format!("it is larger than {MAX_BODY_BYTES} bytes"))
            } else {
                ApiError::InvalidBody(e.body_text())
            }
        })?;
        if raw.is_empty() {
            let value = serde_json::from_slice(b"{}").map_err(|e| ApiError::InvalidBody(e.to_string()))?;
            return Ok(Body { value, raw });
        }
        if media != "application/json" && !media.ends_with("+json") {
            let shown = if media.is_empty() { "no Content-Type" } else { media };
            return Err(ApiError::UnsupportedMediaType(shown.to_owned()));
        }
        let value = serde_json::from_slice(&raw).map_err(|e| ApiError::InvalidBody(e.to_string()))?;
        Ok(Body { value, raw })
    }
}

/// A planned write: what to change, and how to answer once it is committed.
pub struct Write<'a> {
    pub actor: &'a Actor,
    /// The `Idempotency-Key` header and a digest of the request, when the client sent a key.
    pub idempotency: Option<(String, String)>,
}

impl<'a> Write<'a> {
    pub fn new(
        actor: &'a Actor,
        headers: &HeaderMap,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> Result<Write<'a>, ApiError> {
        let idempotency = match headers.get("idempotency-key") {
            None => None,
            Some(v) => {
                let key =
                    v.to_str().ok().map(str::trim).filter(|k| !k.is_empty() && k.len() <= 255).ok_or_else(|| {
                        ApiError::invalid("Idempotency-Key", "it must be 1 to 255 visible ASCII characters")
                    })?;
                let digest = digest(&[method.as_bytes(), path.as_bytes(), actor.0.as_bytes(), body]);
                Some((key.to_owned(), digest))
            }
        };
        Ok(Write { actor, idempotency })
    }
}

/// A stable digest (FNV-1a, 64 bit) of the request parts; it only tells a retry from a different request.
pub(crate) fn digest(parts: &[&[u8]]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.iter().chain(&[0xff]) {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// The answer to a committed write.
pub struct Answer {
    pub status: StatusCode,
    pub location: Option<String>,
    /// The `ETag` of the feature written, for a write to one feature.
    pub etag: Option<String>,
    pub body: serde_json::Value,
}

fn respond(status: StatusCode, location: Option<&str>, content_type: &str, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    // A write's answer describes what was committed; it is never cached.
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    if let Some(location) = location.and_then(|l| HeaderValue::from_str(l).ok()) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// Plans, commits and applies one change, and answers. `plan` sees the current inventory; `answer` sees the
/// inventory after the change.
pub async fn commit(
    state: &AppState,
    write: Write<'_>,
    plan: impl FnOnce(&Inventory, Timestamp) -> Result<Change, ApiError>,
    answer: impl FnOnce(&Inventory, &Change) -> Answer,
) -> Result<Response, ApiError> {
    let writer = state.writer.as_ref().ok_or(ApiError::ReadOnly)?;
    let turn = Arc::clone(&writer.turn).lock_owned().await;
    if let Some((key, digest)) = &write.idempotency
        && let Some(previous) = writer.store.remembered(key).await.map_err(store_error)?
    {
        if &previous.request_hash != digest {
            return Err(ApiError::IdempotencyKeyReused(key.clone()));
        }
        let status = StatusCode::from_u16(previous.status).unwrap_or(StatusCode::OK);
        return Ok(respond(status, None, &previous.content_type, previous.body));
    }
    // PostgreSQL keeps microseconds: every time a write records is cut to them, so both stores hold the same.
    let now = Timestamp::now()
        .round(TimestampRound::new().smallest(Unit::Microsecond).mode(RoundMode::Trunc))
        .map_err(|e| ApiError::Internal(format!("rounding the clock: {e}")))?;
    let snapshot = state.snapshot();
    // What this snapshot holds: the feed up to `applied`, plus this node's own commits since.
    let basis = Basis {
        applied: writer.applied.load(Ordering::SeqCst),
        own: writer.own.lock().unwrap_or_else(PoisonError::into_inner).iter().copied().collect(),
    };
    let change = plan(&snapshot.inventory, now)?;
    let mut next = snapshot.inventory.clone();
    next.apply(&change);
    let answer = answer(&next, &change);
    let body = serde_json::to_vec(&answer.body).map_err(|e| ApiError::Internal(e.to_string()))?;
    // A feature is answered as GeoJSON, everything else as JSON.
    let answer_type = if answer.body.get("type").and_then(serde_json::Value::as_str) == Some("Feature") {
        crate::link::GEOJSON
    } else {
        "application/json"
    };
    let events = events(&snapshot.inventory, &next, &change);
    let idempotent = write.idempotency.map(|(key, request_hash)| Idempotent {
        key,
        request_hash,
        status: answer.status.as_u16(),
        content_type: answer_type.to_owned(),
        body: body.clone(),
    });
    let (at, actor) = (now.to_string(), write.actor.0.clone());
    let (store, state) = (writer.store.clone(), state.clone());
    // Commit and install run in a task of their own, holding the turn: a client that hangs up mid-write cannot
    // leave a change committed to the store but missing from this node's snapshot.
    tokio::spawn(async move {
        let events: Vec<NewEvent<'_>> = events
            .iter()
            .map(|e| NewEvent {
                at: &at,
                actor: &actor,
                kind: e.kind,
                layer: e.layer,
                record_id: Some(e.record_id),
                before: e.before.as_deref(),
                after: e.after.as_deref(),
            })
            .collect();
        let sequences = store.commit_on(&basis, &change, &events, idempotent.as_ref()).await.map_err(store_error)?;
        if let Some(writer) = &state.writer {
            if let Store::PostGis(_) = writer.store {
                // The change feed brings these back; the follower skips them and moves past them.
                let mut own = writer.own.lock().unwrap_or_else(PoisonError::into_inner);
                let applied = writer.applied.load(Ordering::SeqCst);
                own.extend(sequences.into_iter().filter(|s| *s > applied));
            } else if let Some(last) = sequences.last() {
                // A GeoPackage has one writer, this node: its log is what it applied.
                writer.applied.fetch_max(*last, Ordering::SeqCst);
            }
        }
        state.install(Snapshot::after(&snapshot, next, &change));
        drop(turn);
        Ok::<(), ApiError>(())
    })
    .await
    .map_err(|e| ApiError::Internal(format!("commit task failed: {e}")))??;
    let mut response = respond(answer.status, answer.location.as_deref(), answer_type, body);
    if let Some(etag) = answer.etag.and_then(|e| HeaderValue::from_str(&e).ok()) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    Ok(response)
}

/// One event per changed record, with the record before and after as JSON.
struct EventDraft {
    kind: &'static str,
    layer: &'static str,
    record_id: i64,
    before: Option<String>,
    after: Option<String>,
}

fn feature_json(inventory: &Inventory, record: Option<RecordRef<'_>>) -> Option<String> {
    let record = record?;
    let mut out = Vec::new();
    write_feature(&mut out, inventory, record, None).ok()?;
    String::from_utf8(out).ok()
}

fn events(before: &Inventory, after: &Inventory, change: &Change) -> Vec<EventDraft> {
    let mut drafts = Vec::new();
    let mut record = |layer: Layer, id: i64| {
        let lineage = change.lineage.iter().find(|(parent, _)| parent.0 == id);
        let kind = match (change.kind, lineage) {
            ("split" | "merge", Some(_)) => "retire",
            (kind, _) => kind,
        };
        drafts.push(EventDraft {
            kind,
            layer: layer.code(),
            record_id: id,
            before: feature_json(before, landbank_geojson::record(before, layer, id)),
            after: feature_json(after, landbank_geojson::record(after, layer, id)),
        });
    };
    for p in &change.parcels {
        record(Layer::Parcels, p.id.0);
    }
    for b in &change.buildings {
        record(Layer::Buildings, b.id.0);
    }
    for u in &change.units {
        record(Layer::Units, u.id.0);
    }
    for p in &change.projects {
        record(Layer::Projects, p.id.0);
    }
    for r in &change.reservations {
        drafts.push(EventDraft {
            kind: change.kind,
            layer: "reservations",
            record_id: r.id.0,
            before: None,
            after: Some(crate::reservation::reservation_json(r).to_string()),
        });
    }
    for a in &change.allocations {
        drafts.push(EventDraft {
            kind: change.kind,
            layer: "allocations",
            record_id: a.id.0,
            before: None,
            after: Some(crate::reservation::allocation_json(a).to_string()),
        });
    }
    drafts
}
