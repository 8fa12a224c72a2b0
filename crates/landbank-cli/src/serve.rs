//! `landbank serve`: open (or create) the store, load the inventory, serve HTTP until interrupted.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use landbank_http::{AppState, router};
use landbank_inventory::Inventory;
use landbank_store::GeoPackage;

/// What `landbank serve` was asked to do.
pub struct Options<'a> {
    pub store: &'a Path,
    pub listen: SocketAddr,
    pub public_url: Option<&'a str>,
    pub tokens: Vec<(String, String)>,
    pub expiry_interval: Duration,
}

pub fn serve(options: &Options<'_>) -> Result<ExitCode> {
    let Options { store, listen, public_url, .. } = *options;
    let started = Instant::now();
    let gpkg = if store.exists() {
        GeoPackage::open(store).with_context(|| format!("opening store at {}", store.display()))?
    } else {
        tracing::info!(store = %store.display(), "no store yet: creating it from the Dongxing fixtures");
        let parts = crate::fixtures::embedded()?;
        GeoPackage::create(store, &parts).with_context(|| format!("creating store at {}", store.display()))?
    };
    let parts = gpkg.load().with_context(|| format!("loading {}", store.display()))?;
    let inventory = Inventory::new(parts).context("assembling the inventory")?;
    tracing::info!(
        parcels = inventory.parcels().len(),
        buildings = inventory.buildings().len(),
        units = inventory.units().len(),
        elapsed_ms = started.elapsed().as_millis(),
        "inventory loaded"
    );
    if options.tokens.is_empty() {
        tracing::warn!("no --token given: the service answers every write with 401");
    }
    let mut state = AppState::new(inventory).with_store(gpkg, options.tokens.clone());
    if let Some(url) = public_url {
        state = state.with_public_url(url);
    }
    let expiry = (state.clone(), options.expiry_interval);

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("listening on {listen}"))?;
        let local = listener.local_addr().context("reading the bound address")?;
        landbank_http::spawn_expiry(expiry.0, expiry.1);
        // One parseable line on standard output, for people and for tests that bind port 0.
        println!("landbank listening on http://{local}/");
        tracing::info!(address = %local, "serving");
        axum::serve(listener, router(state)).with_graceful_shutdown(shutdown()).await.context("serving HTTP")
    })?;
    Ok(ExitCode::SUCCESS)
}

async fn shutdown() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
