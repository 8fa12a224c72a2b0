//! Measures how fast a GeoPackage of N generated parcels is written and loaded back:
//! `cargo run --release -p landbank-store --example load_speed -- 100000 [path]`.

use std::path::PathBuf;
use std::time::Instant;

use geo::polygon;
use landbank_inventory::{
    Availability, DevStage, IndustrialClass, InventoryParts, LandUse, Mu, Parcel, ParcelId, SquareMeters, SupplyMethod,
    ZoneId,
};
use landbank_store::GeoPackage;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map_or(Ok(100_000), |a| a.parse())?;
    let dir = tempfile::tempdir()?;
    let path = args.next().map_or_else(|| dir.path().join("speed.gpkg"), PathBuf::from);

    let parts = InventoryParts { parcels: (0..n).map(parcel).collect(), ..InventoryParts::default() };

    let started = Instant::now();
    drop(GeoPackage::create(&path, &parts)?);
    let create = started.elapsed();
    let size = std::fs::metadata(&path)?.len();

    let started = Instant::now();
    let store = GeoPackage::open(&path)?;
    let open = started.elapsed();

    let started = Instant::now();
    let loaded = store.load()?;
    let load = started.elapsed();
    assert_eq!(loaded.parcels, parts.parcels, "the round trip is exact");

    println!(
        "{n} parcels: create {:.2} s ({size} bytes), open {:.1} ms, load {:.3} s ({:.0} parcels/s)",
        create.as_secs_f64(),
        open.as_secs_f64() * 1e3,
        load.as_secs_f64(),
        n as f64 / load.as_secs_f64()
    );
    Ok(())
}

/// A 60 m × 45 m plot on a grid near Dongxing, every field populated.
fn parcel(i: usize) -> Parcel {
    let (col, row) = ((i % 1000) as f64, (i / 1000) as f64);
    let (west, south) = (107.9 + col * 0.0006, 21.5 + row * 0.0004);
    let (east, north) = (west + 0.00058, south + 0.00038);
    Parcel {
        id: ParcelId(i as i64 + 1),
        plot_no: format!("GEN-{:04}-{:03}", i / 1000, i % 1000),
        parcel_code: Some(format!("450681103005GB{:05}", i % 100_000)),
        zone: ZoneId(1 + (i % 4) as i64),
        geometry: polygon![(x: west, y: south), (x: east, y: south), (x: east, y: north), (x: west, y: north), (x: west, y: south)],
        area: SquareMeters(2_470.0 + (i % 97) as f64 * 0.125),
        stated_area: Mu(3.705),
        land_use: LandUse::industrial(IndustrialClass::II),
        availability: if i.is_multiple_of(3) { Availability::Available } else { Availability::Supplied },
        dev_stage: DevStage::InProduction,
        supply_method: Some(SupplyMethod::TransferListing),
        revitalized: i.is_multiple_of(7),
        term_years: Some(50),
        price_wan_per_mu: Some(18.5),
        plot_ratio_min: Some(1.0),
        plot_ratio_max: Some(2.5),
        coverage_min: Some(0.4),
        height_max_m: Some(24.0),
        power_available_kva: Some(1_250),
        holder: (!i.is_multiple_of(3)).then(|| format!("holder {i}")),
        project: None,
        available_from: jiff::civil::Date::new(2024, 1, 1).ok(),
        supply_date: jiff::civil::Date::new(2024, 3, 15).ok(),
        agreed_start_date: jiff::civil::Date::new(2024, 9, 15).ok(),
        agreed_completion_date: jiff::civil::Date::new(2026, 9, 14).ok(),
        actual_start_date: None,
        required_gfa_m2: Some(2_470.0),
        built_gfa_m2: Some(2_470.0),
        total_investment_wan: Some(926.25),
        invested_wan: Some(926.25),
        suspended_since: None,
        government_caused: false,
        land_price_wan: Some(68.54),
    }
}
