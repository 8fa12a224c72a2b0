//! `landbank check`: the data-quality report of a store.

use std::process::ExitCode;

use anyhow::Result;
use landbank_inventory::{Availability, check};
use landbank_store::Location;

pub async fn check(location: &Location) -> Result<ExitCode> {
    let inventory = crate::open(location).await?;
    let problems = check::check(&inventory);
    let drifts: Vec<f64> = inventory
        .parcels()
        .iter()
        .filter(|p| p.availability != Availability::Retired)
        .map(|p| p.area_drift().abs())
        .collect();
    let worst = drifts.iter().copied().fold(0.0_f64, f64::max);
    let mean = if drifts.is_empty() { 0.0 } else { drifts.iter().sum::<f64>() / drifts.len() as f64 };
    println!(
        "{} zones, {} parcels, {} buildings, {} units, {} projects, {} points of interest",
        inventory.zones().len(),
        inventory.parcels().len(),
        inventory.buildings().len(),
        inventory.units().len(),
        inventory.projects().len(),
        inventory.pois().len()
    );
    println!(
        "area drift (computed geodesic vs stated): mean {:.3} %, worst {:.3} %, tolerance {:.1} %",
        mean * 100.0,
        worst * 100.0,
        check::AREA_DRIFT_TOLERANCE * 100.0
    );
    for p in &problems {
        println!("{p}");
    }
    if problems.is_empty() {
        println!("no problems found");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{} problems found", problems.len());
        Ok(ExitCode::FAILURE)
    }
}
