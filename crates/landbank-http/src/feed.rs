//! Following the change feed of a shared database, and the readiness probe that says how far behind it is.
//!
//! Every node on PostGIS keeps a connection that `LISTEN`s to `landbank_events`. On each notification, every
//! few seconds as a safety net, and right after (re)connecting, it reads the events after the last one it
//! applied, reloads the records they name, and swaps in a snapshot with them — in the same turn as this node's
//! own writes, so the two never interleave. Events this node committed itself are skipped: it applied them when
//! it committed. A lost connection is retried with a growing delay; the catch-up from the `event` table by
//! sequence number brings the node up to date once the database is back.

use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use landbank_inventory::Inventory;
use landbank_store::{RecordIds, Store};
use serde_json::json;

use crate::error::ApiError;
use crate::query::Params;
use crate::write::{Writer, store_error};
use crate::{AppState, Snapshot};

/// How often a follower reads the event table even without a notification.
const SAFETY_NET: Duration = Duration::from_secs(5);

/// The first and the longest wait before connecting to the change feed again.
const FIRST_RETRY: Duration = Duration::from_millis(250);
const LONGEST_RETRY: Duration = Duration::from_secs(5);

/// How many events one read of the event table takes.
const BATCH: usize = 1_000;

impl AppState {
    /// The sequence number of the last event already in the inventory this state was built from (read before
    /// loading it), so that the follower starts after it.
    #[must_use]
    pub fn applied_from(self, sequence: i64) -> AppState {
        if let Some(writer) = &self.writer {
            writer.applied.store(sequence, Ordering::SeqCst);
        }
        self
    }
}

/// Starts following the change feed when the store is a shared database; does nothing for a GeoPackage.
pub fn spawn_follower(state: AppState) {
    let Some(writer) = state.writer.clone() else { return };
    if !matches!(writer.store(), Store::PostGis(_)) {
        return;
    }
    tokio::spawn(async move {
        let mut retry = FIRST_RETRY;
        loop {
            match writer.store().listen().await {
                Ok(Some(mut feed)) => {
                    retry = FIRST_RETRY;
                    tracing::info!("following the change feed");
                    // The first tick is immediate: catch up right after (re)connecting.
                    let mut ticks = tokio::time::interval(SAFETY_NET);
                    loop {
                        tokio::select! {
                            notified = feed.next() => if notified.is_none() { break },
                            _ = ticks.tick() => {}
                        }
                        if let Err(e) = catch_up(&state, &writer).await {
                            tracing::warn!(error = %e, "catching up with the change feed failed");
                        }
                    }
                    tracing::warn!("lost the change feed connection; reconnecting");
                }
                Ok(None) => return,
                Err(e) => tracing::warn!(error = %e, retry_ms = retry.as_millis(), "cannot listen to the change feed"),
            }
            tokio::time::sleep(retry).await;
            retry = (retry * 2).min(LONGEST_RETRY);
        }
    });
}

/// Applies every event after the last applied one, in batches, in the writers' turn.
async fn catch_up(state: &AppState, writer: &Writer) -> Result<(), String> {
    let _turn = writer.turn.lock().await;
    let store = writer.store();
    loop {
        let after = writer.applied.load(Ordering::SeqCst);
        let events = store.events(after, BATCH).await.map_err(|e| chain(&e))?;
        let Some(last) = events.last().map(|e| e.sequence) else { return Ok(()) };
        let foreign: Vec<_> = {
            let mut own = writer.own.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            events.into_iter().filter(|e| !own.remove(&e.sequence)).collect()
        };
        if !foreign.is_empty() {
            let next = match RecordIds::of(&foreign) {
                Some(ids) => {
                    let change = store.records(&ids).await.map_err(|e| chain(&e))?;
                    let current = state.snapshot();
                    let mut next = current.inventory.clone();
                    next.apply(&change);
                    Snapshot::after(&current, next, &change)
                }
                // An import replaced a whole layer: only a full reload is sure to match.
                None => Snapshot::new(
                    Inventory::new(store.load().await.map_err(|e| chain(&e))?).map_err(|e| e.to_string())?,
                ),
            };
            state.install(next);
            tracing::debug!(events = foreign.len(), sequence = last, "applied changes from other nodes");
        }
        writer.applied.store(last, Ordering::SeqCst);
    }
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// `GET /ready`: whether this node can take traffic, and on a shared database how many events it has not applied
/// yet. 503 when the database does not answer (reads still work then; `/health` says the process is alive).
pub async fn get_ready(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref()).only(&[])?;
    let Some(writer) = &state.writer else {
        return Ok(Json(json!({ "status": "ready", "backend": "memory" })).into_response());
    };
    let store = writer.store();
    if let Store::GeoPackage(_) = store {
        return Ok(Json(json!({ "status": "ready", "backend": store.backend() })).into_response());
    }
    let store_sequence = store.last_sequence().await.map_err(store_error)?;
    let applied = writer.applied.load(Ordering::SeqCst);
    Ok(Json(json!({
        "status": "ready",
        "backend": store.backend(),
        "applied_sequence": applied,
        "store_sequence": store_sequence,
        "behind": (store_sequence - applied).max(0),
    }))
    .into_response())
}
