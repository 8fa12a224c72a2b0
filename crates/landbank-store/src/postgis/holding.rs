//! Reservations, allocations and their holds in PostgreSQL, with the semantics of the GeoPackage store: written
//! inside a change's transaction, read back at load. The exclusion constraint on live holds makes the database
//! refuse a double booking, whichever node commits it.

use std::collections::HashMap;

use deadpool_postgres::{GenericClient, Transaction};
use jiff::{Timestamp, Unit};
use landbank_inventory::{
    Allocation, AllocationId, AllocationStatus, ParcelId, ProjectId, Reservation, ReservationId, ReservationStatus,
    SupplyMethod, Target, UnitId,
};
use tokio_postgres::error::SqlState;

use crate::StoreError;
use crate::holding::{hold_targets, holds};

fn corrupt(table: &'static str, fid: i64, reason: impl Into<String>) -> StoreError {
    StoreError::Corrupt { table, fid, reason: reason.into() }
}

/// Whether a reservation's status leaves its holds live.
fn holds_live(status: ReservationStatus) -> bool {
    matches!(status, ReservationStatus::Active | ReservationStatus::Confirmed)
}

/// The targets of every reservation, from its hold rows in position order.
async fn targets(client: &Transaction<'_>) -> Result<HashMap<i64, Target>, StoreError> {
    let rows =
        client.query("select reservation_id, kind, target_id from hold order by reservation_id, position", &[]).await?;
    let mut targets = HashMap::new();
    for row in rows {
        let (reservation, kind, target): (i64, &str, i64) = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        match (kind, targets.entry(reservation).or_insert_with(|| Target::Units(Vec::new()))) {
            ("parcel", t) => *t = Target::Parcel(ParcelId(target)),
            ("unit", Target::Units(units)) => units.push(UnitId(target)),
            (other, _) => return Err(corrupt("hold", reservation, format!("unknown hold kind `{other}`"))),
        }
    }
    Ok(targets)
}

/// Every reservation and allocation, in id order.
pub(crate) async fn read(client: &Transaction<'_>) -> Result<(Vec<Reservation>, Vec<Allocation>), StoreError> {
    let targets = targets(client).await?;
    let target = |table, fid: i64, reservation: i64| {
        targets.get(&reservation).cloned().ok_or_else(|| corrupt(table, fid, "holds nothing"))
    };
    let rows = client
        .query(
            "select fid, project_id, status, created_at, expires_at, actor, closed_at from reservation order by fid",
            &[],
        )
        .await?;
    let mut reservations = Vec::with_capacity(rows.len());
    for r in rows {
        let fid: i64 = r.try_get(0)?;
        let status: &str = r.try_get(2)?;
        reservations.push(Reservation {
            id: ReservationId(fid),
            project: ProjectId(r.try_get(1)?),
            target: target("reservation", fid, fid)?,
            status: status.parse::<ReservationStatus>().map_err(|e| corrupt("reservation", fid, e.to_string()))?,
            created_at: r.try_get(3)?,
            expires_at: r.try_get(4)?,
            actor: r.try_get(5)?,
            closed_at: r.try_get(6)?,
        });
    }
    let rows = client
        .query(
            "select fid, reservation_id, project_id, status, supply_method, term_years, price_wan, contract_ref, \
             confirmed_at, actor, released_at from allocation order by fid",
            &[],
        )
        .await?;
    let mut allocations = Vec::with_capacity(rows.len());
    for r in rows {
        let fid: i64 = r.try_get(0)?;
        let reservation: i64 = r.try_get(1)?;
        let status: &str = r.try_get(3)?;
        let supply: Option<&str> = r.try_get(4)?;
        let term_years: Option<i32> = r.try_get(5)?;
        allocations.push(Allocation {
            id: AllocationId(fid),
            reservation: ReservationId(reservation),
            project: ProjectId(r.try_get(2)?),
            target: target("allocation", fid, reservation)?,
            status: status.parse::<AllocationStatus>().map_err(|e| corrupt("allocation", fid, e.to_string()))?,
            supply_method: supply
                .map(str::parse::<SupplyMethod>)
                .transpose()
                .map_err(|e| corrupt("allocation", fid, e.to_string()))?,
            term_years: term_years
                .map(u16::try_from)
                .transpose()
                .map_err(|_| corrupt("allocation", fid, "column term_years: out of range"))?,
            price_wan: r.try_get(6)?,
            contract_ref: r.try_get(7)?,
            confirmed_at: r.try_get(8)?,
            actor: r.try_get(9)?,
            released_at: r.try_get(10)?,
        });
    }
    Ok((reservations, allocations))
}

const INSERT_RESERVATION: &str = "insert into reservation (fid, project_id, status, created_at, expires_at, actor, \
     closed_at) values ($1, $2, $3, $4, $5, $6, $7)";

const INSERT_ALLOCATION: &str = "insert into allocation (fid, reservation_id, project_id, status, supply_method, \
     term_years, price_wan, contract_ref, confirmed_at, actor, released_at) \
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

const INSERT_HOLD: &str = "insert into hold (reservation_id, allocation_id, kind, target_id, position, active) \
     values ($1, $2, $3, $4, $5, $6)";

async fn insert_reservation(client: &Transaction<'_>, r: &Reservation) -> Result<(), tokio_postgres::Error> {
    let stmt = client.prepare_cached(INSERT_RESERVATION).await?;
    client
        .execute(
            &stmt,
            &[&r.id.0, &r.project.0, &r.status.code(), &r.created_at, &r.expires_at, &r.actor, &r.closed_at],
        )
        .await?;
    Ok(())
}

async fn insert_allocation(client: &Transaction<'_>, a: &Allocation) -> Result<(), tokio_postgres::Error> {
    let stmt = client.prepare_cached(INSERT_ALLOCATION).await?;
    client
        .execute(
            &stmt,
            &[
                &a.id.0,
                &a.reservation.0,
                &a.project.0,
                &a.status.code(),
                &a.supply_method.map(SupplyMethod::code),
                &a.term_years.map(i32::from),
                &a.price_wan,
                &a.contract_ref,
                &a.confirmed_at,
                &a.actor,
                &a.released_at,
            ],
        )
        .await?;
    Ok(())
}

/// A time as PostgreSQL keeps it: rounded to the microsecond.
fn microseconds(t: Timestamp) -> Timestamp {
    t.round(Unit::Microsecond).unwrap_or(t)
}

/// Inserts or updates a reservation; a new one takes its holds, a closed one gives them up.
///
/// Unlike SQLite's upsert, a reservation is only updated when the stored one is the same reservation (same
/// project, creation time and actor): when another node has committed a different reservation with the same id
/// meanwhile, this one is refused as a conflict instead of overwriting it.
pub(crate) async fn write_reservation(client: &Transaction<'_>, r: &Reservation) -> Result<(), StoreError> {
    let existing =
        client.query_opt("select project_id, created_at, actor from reservation where fid = $1", &[&r.id.0]).await?;
    if let Some(row) = existing {
        let (project, created_at, actor): (i64, Timestamp, &str) = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        if project != r.project.0 || created_at != microseconds(r.created_at) || actor != r.actor {
            return Err(StoreError::Conflict {
                reason: format!("reservation {} was created by another request", r.id),
            });
        }
        client
            .execute(
                "update reservation set status = $2, expires_at = $3, closed_at = $4, version = version + 1 \
                 where fid = $1",
                &[&r.id.0, &r.status.code(), &r.expires_at, &r.closed_at],
            )
            .await?;
        if !holds_live(r.status) {
            client.execute("update hold set active = false where reservation_id = $1", &[&r.id.0]).await?;
        }
        return Ok(());
    }
    insert_reservation(client, r)
        .await
        .map_err(|e| conflict(e, || format!("reservation {} was created by another request", r.id)))?;
    let insert = client.prepare_cached(INSERT_HOLD).await?;
    for (position, (kind, target)) in hold_targets(&r.target).into_iter().enumerate() {
        client
            .execute(&insert, &[&r.id.0, &None::<i64>, &kind, &target, &(position as i32), &holds_live(r.status)])
            .await
            .map_err(|e| conflict(e, || format!("{kind} {target} is already held by another reservation")))?;
    }
    Ok(())
}

/// Inserts or updates an allocation (only when the stored one is of the same reservation and confirmation time);
/// a released one gives up its holds.
pub(crate) async fn write_allocation(client: &Transaction<'_>, a: &Allocation) -> Result<(), StoreError> {
    let existing =
        client.query_opt("select reservation_id, confirmed_at from allocation where fid = $1", &[&a.id.0]).await?;
    if let Some(row) = existing {
        let (reservation, confirmed_at): (i64, Timestamp) = (row.try_get(0)?, row.try_get(1)?);
        if reservation != a.reservation.0 || confirmed_at != microseconds(a.confirmed_at) {
            return Err(StoreError::Conflict { reason: format!("allocation {} was created by another request", a.id) });
        }
        client
            .execute(
                "update allocation set status = $2, released_at = $3, version = version + 1 where fid = $1",
                &[&a.id.0, &a.status.code(), &a.released_at],
            )
            .await?;
    } else {
        insert_allocation(client, a)
            .await
            .map_err(|e| conflict(e, || format!("allocation {} was created by another request", a.id)))?;
    }
    match a.status {
        AllocationStatus::Active => {
            client
                .execute("update hold set allocation_id = $1 where reservation_id = $2", &[&a.id.0, &a.reservation.0])
                .await?;
        }
        AllocationStatus::Released => {
            client.execute("update hold set active = false where reservation_id = $1", &[&a.reservation.0]).await?;
        }
    }
    Ok(())
}

/// Writes every reservation, allocation and hold of an inventory into empty tables. The caller holds the
/// transaction.
pub(crate) async fn write_all(
    client: &Transaction<'_>,
    reservations: &[Reservation],
    allocations: &[Allocation],
) -> Result<(), StoreError> {
    for r in reservations {
        insert_reservation(client, r).await?;
    }
    for a in allocations {
        insert_allocation(client, a).await?;
    }
    let insert = client.prepare_cached(INSERT_HOLD).await?;
    for h in holds(reservations, allocations) {
        client
            .execute(
                &insert,
                &[&h.reservation_id, &h.allocation_id, &h.kind, &h.target_id, &(h.position as i32), &h.active],
            )
            .await
            .map_err(|e| conflict(e, || format!("{} {} is held twice", h.kind, h.target_id)))?;
    }
    Ok(())
}

/// An exclusion or unique violation is a conflict with what another request committed; anything else stays a
/// database error.
pub(crate) fn conflict(e: tokio_postgres::Error, reason: impl FnOnce() -> String) -> StoreError {
    match e.code() {
        Some(code) if *code == SqlState::EXCLUSION_VIOLATION || *code == SqlState::UNIQUE_VIOLATION => {
            StoreError::Conflict { reason: reason() }
        }
        _ => e.into(),
    }
}
