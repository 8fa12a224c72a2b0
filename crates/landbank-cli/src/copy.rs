//! `landbank copy`: move a whole inventory between stores — GeoPackage to PostGIS and back, or between two of
//! either — with its reservations, allocations and event log.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use landbank_store::{Location, Store};

pub async fn copy(from: &Location, to: &Location) -> Result<ExitCode> {
    let started = Instant::now();
    let source = Store::open(from).await.with_context(|| format!("opening {from}"))?;
    let (_, copied) = source.copy_to(to).await.with_context(|| format!("copying {from} to {to}"))?;
    println!(
        "copied {} zones, {} parcels, {} buildings, {} units, {} projects, {} points of interest, \
         {} reservations, {} allocations and {} events from {from} to {to} in {:.1} s",
        copied.zones,
        copied.parcels,
        copied.buildings,
        copied.units,
        copied.projects,
        copied.pois,
        copied.reservations,
        copied.allocations,
        copied.events,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
