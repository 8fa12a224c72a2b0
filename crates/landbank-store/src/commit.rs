//! Committing a change: records, reservations, allocations, events and an idempotent answer, in one transaction.

use landbank_inventory::{Change, InventoryParts, Layer};
use rusqlite::{Connection, OptionalExtension};

use crate::event::{self, NewEvent};
use crate::row::{self, Versions};
use crate::{StoreError, holding};

/// The answer given to a request that carried an `Idempotency-Key`, kept so that a retry gets it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idempotent {
    pub key: String,
    /// A digest of the request (method, path, body), so that a key reused for another request is caught.
    pub request_hash: String,
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// Writes the records of `change` (replacing rows with the same id and bumping their versions), its
/// reservations, allocations and holds, the events and the idempotent answer. The caller holds the transaction.
pub(crate) fn commit(
    conn: &Connection,
    change: &Change,
    events: &[NewEvent<'_>],
    idempotent: Option<&Idempotent>,
) -> Result<Vec<i64>, StoreError> {
    let mut parts = InventoryParts::default();
    parts.parcels.clone_from(&change.parcels);
    parts.buildings.clone_from(&change.buildings);
    parts.units.clone_from(&change.units);
    parts.projects.clone_from(&change.projects);
    for (layer, ids) in [
        (Layer::Parcels, change.parcels.iter().map(|p| p.id.0).collect::<Vec<_>>()),
        (Layer::Buildings, change.buildings.iter().map(|b| b.id.0).collect()),
        (Layer::Units, change.units.iter().map(|u| u.id.0).collect()),
        (Layer::Projects, change.projects.iter().map(|p| p.id.0).collect()),
    ] {
        if ids.is_empty() {
            continue;
        }
        let table = row::table(layer);
        let versions = Versions::of(conn, table, &ids)?;
        let mut delete = conn.prepare_cached(&format!("delete from {} where fid = ?1", table.name))?;
        for id in &ids {
            if layer == Layer::Projects {
                conn.execute("delete from project_unit where project_id = ?1", [id])?;
            }
            delete.execute([id])?;
        }
        row::write(conn, &parts, layer, &versions)?;
    }
    for reservation in &change.reservations {
        holding::write_reservation(conn, reservation)?;
    }
    for allocation in &change.allocations {
        holding::write_allocation(conn, allocation)?;
    }
    let sequences = events.iter().map(|e| event::append(conn, e)).collect::<Result<Vec<_>, _>>()?;
    if let Some(answer) = idempotent {
        conn.execute(
            "insert into idempotency (key, request_hash, status, content_type, body, at) \
             values (?1, ?2, ?3, ?4, ?5, ?6)",
            (
                &answer.key,
                &answer.request_hash,
                answer.status,
                &answer.content_type,
                &answer.body,
                events.first().map_or("", |e| e.at),
            ),
        )
        .map_err(|e| {
            if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
                StoreError::Conflict { reason: format!("idempotency key `{}` was used by another request", answer.key) }
            } else {
                e.into()
            }
        })?;
    }
    Ok(sequences)
}

/// The answer remembered for an idempotency key.
pub(crate) fn remembered(conn: &Connection, key: &str) -> Result<Option<Idempotent>, StoreError> {
    conn.query_row("select key, request_hash, status, content_type, body from idempotency where key = ?1", [key], |r| {
        Ok(Idempotent {
            key: r.get(0)?,
            request_hash: r.get(1)?,
            status: r.get(2)?,
            content_type: r.get(3)?,
            body: r.get(4)?,
        })
    })
    .optional()
    .map_err(Into::into)
}
