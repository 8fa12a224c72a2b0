//! The event log (change feed): one row per change with its sequence number, time, actor and before/after
//! JSON, appended inside the transaction of the change and read back in sequence order.

use rusqlite::Connection;

use crate::StoreError;

/// A change as recorded in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Position in the log; strictly increasing, never reused.
    pub sequence: i64,
    /// When the change happened, an RFC 3339 timestamp as the caller gave it.
    pub at: String,
    /// Who made the change (a token's subject, `import`, `cli`…).
    pub actor: String,
    /// What kind of change: `import`, `update`, `reserve`, `split`…
    pub kind: String,
    /// The layer code (`parcels`, `units`…).
    pub layer: String,
    /// The record changed, when the change is about one record.
    pub record_id: Option<i64>,
    /// JSON text of the record before the change.
    pub before: Option<String>,
    /// JSON text of the record after the change.
    pub after: Option<String>,
}

/// A change to append to the log; the store gives it its sequence number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewEvent<'a> {
    /// An RFC 3339 timestamp, e.g. `2026-11-27T09:30:00Z`; the store reads no clock.
    pub at: &'a str,
    pub actor: &'a str,
    pub kind: &'a str,
    pub layer: &'a str,
    pub record_id: Option<i64>,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

/// Parses an event time.
pub(crate) fn timestamp(at: &str) -> Result<jiff::Timestamp, StoreError> {
    at.parse().map_err(|_| StoreError::InvalidTimestamp { at: at.to_owned() })
}

/// Appends an event and returns its sequence number. The caller holds the transaction.
pub(crate) fn append(conn: &Connection, event: &NewEvent<'_>) -> Result<i64, StoreError> {
    timestamp(event.at)?;
    let mut stmt = conn.prepare_cached(
        "insert into event (at, actor, kind, layer, record_id, before, after) \
         values (?1, ?2, ?3, ?4, ?5, ?6, ?7) returning sequence",
    )?;
    let sequence = stmt.query_row(
        (event.at, event.actor, event.kind, event.layer, event.record_id, event.before, event.after),
        |r| r.get(0),
    )?;
    Ok(sequence)
}

/// Appends events with the sequence numbers they carry. The caller holds the transaction.
pub(crate) fn restore(conn: &Connection, events: &[Event]) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(
        "insert into event (sequence, at, actor, kind, layer, record_id, before, after) \
         values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for e in events {
        stmt.execute((e.sequence, &e.at, &e.actor, &e.kind, &e.layer, e.record_id, &e.before, &e.after))?;
    }
    Ok(())
}

/// Every event about one record, in sequence order.
pub(crate) fn about(conn: &Connection, layer: &str, record_id: i64) -> Result<Vec<Event>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "select sequence, at, actor, kind, layer, record_id, before, after from event \
         where layer = ?1 and record_id = ?2 order by sequence",
    )?;
    let events = stmt.query_map((layer, record_id), event)?.collect::<Result<Vec<_>, _>>()?;
    Ok(events)
}

/// Up to `limit` events with a sequence number above `after`, in sequence order.
pub(crate) fn after(conn: &Connection, after: i64, limit: usize) -> Result<Vec<Event>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "select sequence, at, actor, kind, layer, record_id, before, after from event \
         where sequence > ?1 order by sequence limit ?2",
    )?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let events = stmt.query_map((after, limit), event)?.collect::<Result<Vec<_>, _>>()?;
    Ok(events)
}

fn event(r: &rusqlite::Row<'_>) -> rusqlite::Result<Event> {
    Ok(Event {
        sequence: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        kind: r.get(3)?,
        layer: r.get(4)?,
        record_id: r.get(5)?,
        before: r.get(6)?,
        after: r.get(7)?,
    })
}
