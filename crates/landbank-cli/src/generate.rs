//! `landbank gen`: a seeded synthetic inventory of any size, written to a new GeoPackage or an empty PostGIS
//! database.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use landbank_store::{Location, Store};

pub async fn generate(parcels: usize, seed: u64, out: &Location) -> Result<ExitCode> {
    if let Location::GeoPackage(path) = out
        && path.exists()
    {
        bail!("{} exists already; choose a new file", path.display());
    }
    let started = Instant::now();
    let bar = ProgressBar::new(parcels as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} parcels ({per_sec}, {eta})")
            .context("progress template")?
            .progress_chars("=> "),
    );
    bar.set_message("generating");
    let parts = landbank_gen::synthetic_with_progress(parcels, seed, |done| bar.set_position(done as u64));
    bar.finish_and_clear();
    let generated = started.elapsed();

    let spinner = ProgressBar::new_spinner();
    spinner.set_message(format!("writing {out}"));
    spinner.enable_steady_tick(Duration::from_millis(120));
    let writing = Instant::now();
    let counts = (parts.parcels.len(), parts.buildings.len(), parts.units.len(), parts.projects.len());
    Store::create(out, parts).await.with_context(|| format!("writing {out}"))?;
    spinner.finish_and_clear();
    println!(
        "{} parcels, {} buildings, {} units, {} projects: generated in {:.1} s, written in {:.1} s to {out}",
        counts.0,
        counts.1,
        counts.2,
        counts.3,
        generated.as_secs_f64(),
        writing.elapsed().as_secs_f64(),
    );
    Ok(ExitCode::SUCCESS)
}
