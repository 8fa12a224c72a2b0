//! The `landbank` command: argument parsing, logging, and the choice of what to run.

mod args;
mod check;
mod fixtures;
mod generate;
mod import;
mod serve;

use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use landbank_inventory::Inventory;
use landbank_store::GeoPackage;
use tracing_subscriber::EnvFilter;

use args::{Args, Command};

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_env("LANDBANK_LOG").unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .init();
    match run(Args::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<ExitCode> {
    match args.command {
        Command::Serve { store, listen, public_url, tokens, expiry_interval_s } => serve::serve(&serve::Options {
            store: &store,
            listen,
            public_url: public_url.as_deref(),
            tokens,
            expiry_interval: std::time::Duration::from_secs(expiry_interval_s),
        }),
        Command::Import { file, layer, store } => import::import(&file, layer, &store),
        Command::Export { layer, format: _, out, store } => {
            let inventory = open(&store)?;
            let mut body = Vec::new();
            landbank_geojson::write_collection(&mut body, &inventory, layer).context("writing GeoJSON")?;
            body.push(b'\n');
            match out {
                Some(path) => fs::write(&path, body).with_context(|| format!("writing {}", path.display()))?,
                None => std::io::stdout().write_all(&body).context("writing to standard output")?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { store } => check::check(&store),
        Command::Gen { parcels, out, seed } => generate::generate(parcels, seed, &out),
        Command::Fixtures { out } => fixtures::write(&out).map(|()| ExitCode::SUCCESS),
    }
}

/// Opens an existing store and loads its inventory.
fn open(store: &Path) -> Result<Inventory> {
    let gpkg = GeoPackage::open(store).with_context(|| format!("opening store at {}", store.display()))?;
    let parts = gpkg.load().with_context(|| format!("loading {}", store.display()))?;
    Inventory::new(parts).context("assembling the inventory")
}
