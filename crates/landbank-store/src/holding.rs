//! Reservations, allocations and their holds on parcels and units: written inside a change's transaction, read
//! back at load. The unique index on active holds makes the database refuse a double booking.

use jiff::Timestamp;
use landbank_inventory::{
    Allocation, AllocationId, AllocationStatus, ParcelId, ProjectId, Reservation, ReservationId, ReservationStatus,
    SupplyMethod, Target, UnitId,
};
use rusqlite::{Connection, ErrorCode, OptionalExtension};

use crate::StoreError;

fn corrupt(table: &'static str, fid: i64, reason: impl Into<String>) -> StoreError {
    StoreError::Corrupt { table, fid, reason: reason.into() }
}

fn time(table: &'static str, fid: i64, text: &str) -> Result<Timestamp, StoreError> {
    text.parse().map_err(|_| corrupt(table, fid, format!("`{text}` is not a timestamp")))
}

fn optional_time(table: &'static str, fid: i64, text: Option<String>) -> Result<Option<Timestamp>, StoreError> {
    text.map(|t| time(table, fid, &t)).transpose()
}

/// The targets of every reservation, from its hold rows in position order.
fn targets(conn: &Connection) -> Result<std::collections::HashMap<i64, Target>, StoreError> {
    let mut stmt =
        conn.prepare("select reservation_id, kind, target_id from hold order by reservation_id, position")?;
    let mut rows = stmt.query([])?;
    let mut targets = std::collections::HashMap::new();
    while let Some(row) = rows.next()? {
        let (reservation, kind, target): (i64, String, i64) = (row.get(0)?, row.get(1)?, row.get(2)?);
        match (kind.as_str(), targets.entry(reservation).or_insert_with(|| Target::Units(Vec::new()))) {
            ("parcel", t) => *t = Target::Parcel(ParcelId(target)),
            ("unit", Target::Units(units)) => units.push(UnitId(target)),
            (other, _) => return Err(corrupt("hold", reservation, format!("unknown hold kind `{other}`"))),
        }
    }
    Ok(targets)
}

/// Every reservation and allocation, in id order.
pub(crate) fn read(conn: &Connection) -> Result<(Vec<Reservation>, Vec<Allocation>), StoreError> {
    let targets = targets(conn)?;
    let target = |table, fid: i64, reservation: i64| {
        targets.get(&reservation).cloned().ok_or_else(|| corrupt(table, fid, "holds nothing"))
    };
    let mut stmt = conn.prepare(
        "select fid, project_id, status, created_at, expires_at, actor, closed_at from reservation order by fid",
    )?;
    let mut rows = stmt.query([])?;
    let mut reservations = Vec::new();
    while let Some(r) = rows.next()? {
        let fid: i64 = r.get(0)?;
        let status: String = r.get(2)?;
        reservations.push(Reservation {
            id: ReservationId(fid),
            project: ProjectId(r.get(1)?),
            target: target("reservation", fid, fid)?,
            status: status.parse::<ReservationStatus>().map_err(|e| corrupt("reservation", fid, e.to_string()))?,
            created_at: time("reservation", fid, &r.get::<_, String>(3)?)?,
            expires_at: time("reservation", fid, &r.get::<_, String>(4)?)?,
            actor: r.get(5)?,
            closed_at: optional_time("reservation", fid, r.get(6)?)?,
        });
    }
    let mut stmt = conn.prepare(
        "select fid, reservation_id, project_id, status, supply_method, term_years, price_wan, contract_ref, \
         confirmed_at, actor, released_at from allocation order by fid",
    )?;
    let mut rows = stmt.query([])?;
    let mut allocations = Vec::new();
    while let Some(r) = rows.next()? {
        let fid: i64 = r.get(0)?;
        let reservation: i64 = r.get(1)?;
        let status: String = r.get(3)?;
        let supply: Option<String> = r.get(4)?;
        allocations.push(Allocation {
            id: AllocationId(fid),
            reservation: ReservationId(reservation),
            project: ProjectId(r.get(2)?),
            target: target("allocation", fid, reservation)?,
            status: status.parse::<AllocationStatus>().map_err(|e| corrupt("allocation", fid, e.to_string()))?,
            supply_method: supply
                .map(|s| s.parse::<SupplyMethod>())
                .transpose()
                .map_err(|e| corrupt("allocation", fid, e.to_string()))?,
            term_years: r.get(5)?,
            price_wan: r.get(6)?,
            contract_ref: r.get(7)?,
            confirmed_at: time("allocation", fid, &r.get::<_, String>(8)?)?,
            actor: r.get(9)?,
            released_at: optional_time("allocation", fid, r.get(10)?)?,
        });
    }
    Ok((reservations, allocations))
}

/// Whether a reservation's status leaves its holds live.
fn holds_live(status: ReservationStatus) -> bool {
    matches!(status, ReservationStatus::Active | ReservationStatus::Confirmed)
}

/// The `(kind, target id)` of each hold of a target, in position order.
pub(crate) fn hold_targets(target: &Target) -> Vec<(&'static str, i64)> {
    match target {
        Target::Parcel(p) => vec![("parcel", p.0)],
        Target::Units(units) => units.iter().map(|u| ("unit", u.0)).collect(),
    }
}

/// One row of the `hold` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hold {
    pub reservation_id: i64,
    pub allocation_id: Option<i64>,
    pub kind: &'static str,
    pub target_id: i64,
    pub position: i64,
    pub active: bool,
}

/// The hold rows that committing `reservations` and then `allocations` one by one would leave: a reservation's
/// holds belong to its (last) allocation, and are live while the reservation is active or confirmed and no
/// allocation of it has been released. Used when a whole inventory is written at once.
pub(crate) fn holds(reservations: &[Reservation], allocations: &[Allocation]) -> Vec<Hold> {
    let mut allocated: std::collections::HashMap<i64, (i64, bool)> = std::collections::HashMap::new();
    for a in allocations {
        let released = a.status == AllocationStatus::Released;
        let entry = allocated.entry(a.reservation.0).or_insert((a.id.0, released));
        *entry = (a.id.0, entry.1 || released);
    }
    let mut rows = Vec::new();
    for r in reservations {
        let allocation = allocated.get(&r.id.0).copied();
        let active = holds_live(r.status) && !allocation.is_some_and(|(_, released)| released);
        for (position, (kind, target_id)) in hold_targets(&r.target).into_iter().enumerate() {
            rows.push(Hold {
                reservation_id: r.id.0,
                allocation_id: allocation.map(|(id, _)| id),
                kind,
                target_id,
                position: position as i64,
                active,
            });
        }
    }
    rows
}

/// Writes every reservation, allocation and hold of an inventory into empty tables. The caller holds the
/// transaction.
pub(crate) fn write_all(
    conn: &Connection,
    reservations: &[Reservation],
    allocations: &[Allocation],
) -> Result<(), StoreError> {
    let mut insert = conn.prepare_cached(
        "insert into reservation (fid, project_id, status, created_at, expires_at, actor, closed_at) \
         values (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for r in reservations {
        insert.execute((
            r.id.0,
            r.project.0,
            r.status.code(),
            r.created_at.to_string(),
            r.expires_at.to_string(),
            &r.actor,
            r.closed_at.map(|t| t.to_string()),
        ))?;
    }
    let mut insert = conn.prepare_cached(
        "insert into allocation (fid, reservation_id, project_id, status, supply_method, term_years, price_wan, \
         contract_ref, confirmed_at, actor, released_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for a in allocations {
        insert.execute((
            a.id.0,
            a.reservation.0,
            a.project.0,
            a.status.code(),
            a.supply_method.map(SupplyMethod::code),
            a.term_years,
            a.price_wan,
            &a.contract_ref,
            a.confirmed_at.to_string(),
            &a.actor,
            a.released_at.map(|t| t.to_string()),
        ))?;
    }
    let mut insert = conn.prepare_cached(
        "insert into hold (reservation_id, allocation_id, kind, target_id, position, active) \
         values (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for h in holds(reservations, allocations) {
        insert
            .execute((h.reservation_id, h.allocation_id, h.kind, h.target_id, h.position, i64::from(h.active)))
            .map_err(|e| double_booking(e, h.kind, h.target_id))?;
    }
    Ok(())
}

/// Inserts or updates a reservation; a new one takes its holds, a closed one gives them up.
pub(crate) fn write_reservation(conn: &Connection, r: &Reservation) -> Result<(), StoreError> {
    let existed: Option<String> =
        conn.query_row("select status from reservation where fid = ?1", [r.id.0], |row| row.get(0)).optional()?;
    conn.execute(
        "insert into reservation (fid, project_id, status, created_at, expires_at, actor, closed_at) \
         values (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
         on conflict (fid) do update set status = excluded.status, expires_at = excluded.expires_at, \
         closed_at = excluded.closed_at, version = version + 1",
        (
            r.id.0,
            r.project.0,
            r.status.code(),
            r.created_at.to_string(),
            r.expires_at.to_string(),
            &r.actor,
            r.closed_at.map(|t| t.to_string()),
        ),
    )?;
    if existed.is_none() {
        let rows = hold_targets(&r.target);
        let mut insert = conn.prepare_cached(
            "insert into hold (reservation_id, kind, target_id, position, active) values (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (position, (kind, target)) in rows.into_iter().enumerate() {
            insert
                .execute((r.id.0, kind, target, position as i64, i64::from(holds_live(r.status))))
                .map_err(|e| double_booking(e, kind, target))?;
        }
    } else if !holds_live(r.status) {
        conn.execute("update hold set active = 0 where reservation_id = ?1", [r.id.0])?;
    }
    Ok(())
}

/// Inserts or updates an allocation; a released one gives up its holds.
pub(crate) fn write_allocation(conn: &Connection, a: &Allocation) -> Result<(), StoreError> {
    conn.execute(
        "insert into allocation (fid, reservation_id, project_id, status, supply_method, term_years, price_wan, \
         contract_ref, confirmed_at, actor, released_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) \
         on conflict (fid) do update set status = excluded.status, released_at = excluded.released_at, \
         version = version + 1",
        (
            a.id.0,
            a.reservation.0,
            a.project.0,
            a.status.code(),
            a.supply_method.map(SupplyMethod::code),
            a.term_years,
            a.price_wan,
            &a.contract_ref,
            a.confirmed_at.to_string(),
            &a.actor,
            a.released_at.map(|t| t.to_string()),
        ),
    )?;
    match a.status {
        AllocationStatus::Active => {
            conn.execute("update hold set allocation_id = ?1 where reservation_id = ?2", (a.id.0, a.reservation.0))?;
        }
        AllocationStatus::Released => {
            conn.execute("update hold set active = 0 where reservation_id = ?1", [a.reservation.0])?;
        }
    }
    Ok(())
}

/// A unique-index violation on `hold` is a double booking; anything else stays a database error.
fn double_booking(e: rusqlite::Error, kind: &str, target: i64) -> StoreError {
    if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) {
        StoreError::Conflict { reason: format!("{kind} {target} is already held by another reservation") }
    } else {
        e.into()
    }
}
