//! The `landbank` command: argument parsing, logging, and the choice of what to run.

mod args;
mod check;
mod copy;
mod fixtures;
mod generate;
mod import;
mod serve;
mod token;

use std::fs;
use std::io::Write as _;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use landbank_inventory::Inventory;
use landbank_store::{Location, POSTGIS_SCHEMA_VERSION, PostGis, Store};
use tracing_subscriber::EnvFilter;

use args::{Args, Command};

/// mimalloc: drawing tiles and writing pages allocate and free many small buffers from two threads at once,
/// which glibc's allocator serves markedly slower (docs/BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the runtime")?;
    runtime.block_on(async move {
        match args.command {
            Command::Serve {
                store,
                listen,
                public_url,
                tokens,
                token_refresh_s,
                max_in_flight,
                request_timeout_s,
                anonymous_rate,
                header_timeout_s,
                expiry_interval_s,
                tile_cache_mib,
                feature_cache_mib,
                web_dir,
                basemap_tiles,
                basemap_attribution,
            } => {
                if let Some(dir) = &web_dir {
                    anyhow::ensure!(
                        dir.join("index.html").is_file(),
                        "--web-dir {}: no index.html there; build the page with `npm run build --prefix web`",
                        dir.display()
                    );
                }
                let web = landbank_http::WebConfig {
                    source: match web_dir {
                        Some(dir) => landbank_http::Web::Dir(dir.into()),
                        None => landbank_http::Web::Embedded,
                    },
                    basemap: basemap_tiles
                        .map(|tiles| landbank_http::Basemap { tiles, attribution: basemap_attribution }),
                };
                serve::serve(serve::Options {
                    location: store.location(),
                    listen,
                    public_url: public_url.as_deref(),
                    tokens,
                    token_refresh: std::time::Duration::from_secs(token_refresh_s),
                    limits: landbank_http::Limits::new(
                        max_in_flight,
                        std::time::Duration::from_secs(request_timeout_s),
                    )
                    .with_anonymous_rate(anonymous_rate),
                    header_timeout: std::time::Duration::from_secs(header_timeout_s),
                    expiry_interval: std::time::Duration::from_secs(expiry_interval_s),
                    web,
                    tile_cache_bytes: tile_cache_mib << 20,
                    feature_cache_bytes: feature_cache_mib << 20,
                })
                .await
            }
            Command::Token { command } => token::run(command).await,
            Command::Import { file, layer, store } => import::import(&file, layer, &store.location()).await,
            Command::Export { layer, format: _, out, store } => {
                let inventory = open(&store.location()).await?;
                let mut body = Vec::new();
                landbank_geojson::write_collection(&mut body, &inventory, layer).context("writing GeoJSON")?;
                body.push(b'\n');
                match out {
                    Some(path) => fs::write(&path, body).with_context(|| format!("writing {}", path.display()))?,
                    None => std::io::stdout().write_all(&body).context("writing to standard output")?,
                }
                Ok(ExitCode::SUCCESS)
            }
            Command::Check { store } => check::check(&store.location()).await,
            Command::Migrate { database_url } => migrate(&database_url).await,
            Command::Copy { from, to } => copy::copy(&from, &to).await,
            Command::Gen { parcels, out, seed } => generate::generate(parcels, seed, &out).await,
            Command::Fixtures { out } => fixtures::write(&out).map(|()| ExitCode::SUCCESS),
        }
    })
}

/// Opens an existing store and loads its inventory.
async fn open(location: &Location) -> Result<Inventory> {
    let store = Store::open(location).await.with_context(|| format!("opening store at {location}"))?;
    let parts = store.load().await.with_context(|| format!("loading {location}"))?;
    Inventory::new(parts).context("assembling the inventory")
}

/// `landbank migrate`: brings a database's schema up to date.
async fn migrate(url: &str) -> Result<ExitCode> {
    let location = Location::PostGis(url.to_owned());
    let db = PostGis::connect_without_migrating(url).with_context(|| format!("connecting to {location}"))?;
    let applied = db.migrate().await.with_context(|| format!("migrating {location}"))?;
    if applied.is_empty() {
        println!("{location}: the schema is up to date (version {POSTGIS_SCHEMA_VERSION})");
    } else {
        let list: Vec<String> = applied.iter().map(ToString::to_string).collect();
        println!("{location}: applied migration {} (schema version {POSTGIS_SCHEMA_VERSION})", list.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}
