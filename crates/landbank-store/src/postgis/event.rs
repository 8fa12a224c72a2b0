//! The event log (change feed) in PostgreSQL: appended inside the transaction of each change, under a lock that
//! makes sequence numbers become visible in order, and read back in sequence order.

use deadpool_postgres::Transaction;
use tokio_postgres::Row;

use crate::StoreError;
use crate::event::{Event, NewEvent, timestamp};

/// The advisory lock key every transaction that appends events takes first: the ASCII bytes of `lbevents`.
///
/// A sequence is drawn when a row is inserted but becomes visible when its transaction commits; two writers could
/// commit out of order and a reader that has seen sequence 11 would never look back for 10. Holding this lock from
/// the first event appended to the commit makes every writer draw its numbers after the previous one committed.
const EVENT_LOCK: i64 = 0x6c62_6576_656e_7473;

/// Takes the event lock for the rest of the transaction.
pub(crate) async fn lock(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute("select pg_advisory_xact_lock($1)", &[&EVENT_LOCK]).await?;
    Ok(())
}

/// The channel each commit notifies with the sequence number of its last event.
pub(crate) const CHANNEL: &str = "landbank_events";

/// Tells every node listening to the change feed that events up to `sequence` are committed; PostgreSQL
/// delivers the notification when (and only if) the transaction commits.
pub(crate) async fn notify(tx: &Transaction<'_>, sequence: i64) -> Result<(), StoreError> {
    tx.execute("select pg_notify($1, $2)", &[&CHANNEL, &sequence.to_string()]).await?;
    Ok(())
}

/// Appends an event and returns its sequence number. The caller holds the transaction and the event lock.
pub(crate) async fn append(tx: &Transaction<'_>, event: &NewEvent<'_>) -> Result<i64, StoreError> {
    timestamp(event.at)?;
    let stmt = tx
        .prepare_cached(
            "insert into event (at, actor, kind, layer, record_id, before, after) \
             values ($1, $2, $3, $4, $5, $6, $7) returning sequence",
        )
        .await?;
    let row = tx
        .query_one(
            &stmt,
            &[&event.at, &event.actor, &event.kind, &event.layer, &event.record_id, &event.before, &event.after],
        )
        .await?;
    Ok(row.try_get(0)?)
}

/// Appends events with the sequence numbers they carry, and moves the sequence past them. The caller holds the
/// transaction and the event lock.
pub(crate) async fn restore(tx: &Transaction<'_>, events: &[Event]) -> Result<(), StoreError> {
    let stmt = tx
        .prepare_cached(
            "insert into event (sequence, at, actor, kind, layer, record_id, before, after) \
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .await?;
    for e in events {
        tx.execute(&stmt, &[&e.sequence, &e.at, &e.actor, &e.kind, &e.layer, &e.record_id, &e.before, &e.after])
            .await?;
    }
    tx.execute(
        "select setval(pg_get_serial_sequence('event', 'sequence'), max(sequence)) from event having count(*) > 0",
        &[],
    )
    .await?;
    Ok(())
}

pub(crate) const SELECT: &str = "select sequence, at, actor, kind, layer, record_id, before, after from event";

pub(crate) fn decode(row: &Row) -> Result<Event, StoreError> {
    Ok(Event {
        sequence: row.try_get(0)?,
        at: row.try_get(1)?,
        actor: row.try_get(2)?,
        kind: row.try_get(3)?,
        layer: row.try_get(4)?,
        record_id: row.try_get(5)?,
        before: row.try_get(6)?,
        after: row.try_get(7)?,
    })
}
