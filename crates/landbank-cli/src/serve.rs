//! `landbank serve`: open (or create) the store — a GeoPackage file or a PostGIS database — load the inventory,
//! serve HTTP until interrupted.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use landbank_http::{AppState, router};
use landbank_inventory::Inventory;
use landbank_store::{Location, Store, StoreError};

/// What `landbank serve` was asked to do.
pub struct Options<'a> {
    pub location: Location,
    pub listen: SocketAddr,
    pub public_url: Option<&'a str>,
    pub tokens: Vec<(String, String, landbank_http::Role)>,
    pub token_refresh: Duration,
    pub limits: landbank_http::Limits,
    pub header_timeout: Duration,
    pub expiry_interval: Duration,
    pub web: landbank_http::WebConfig,
    pub tile_cache_bytes: usize,
    pub feature_cache_bytes: usize,
}

pub async fn serve(options: Options<'_>) -> Result<ExitCode> {
    let Options { location, listen, public_url, .. } = &options;
    let started = Instant::now();
    let store = open_or_create(location).await?;
    // Read before loading: events committed meanwhile are applied again by the follower, which is harmless.
    let sequence = store.last_sequence().await.with_context(|| format!("reading the event log of {location}"))?;
    let parts = store.load().await.with_context(|| format!("loading {location}"))?;
    let inventory = Inventory::new(parts).context("assembling the inventory")?;
    tracing::info!(
        store = store.backend(),
        parcels = inventory.parcels().len(),
        buildings = inventory.buildings().len(),
        units = inventory.units().len(),
        elapsed_ms = started.elapsed().as_millis(),
        "inventory loaded"
    );
    let tokens = landbank_http::Tokens::configured(options.tokens.iter().cloned());
    let mut state = AppState::new(inventory)
        .with_store(store, tokens)
        .with_limits(options.limits.clone())
        .with_web(options.web.clone())
        .with_tile_cache(options.tile_cache_bytes)
        .with_feature_cache(options.feature_cache_bytes)
        .applied_from(sequence);
    landbank_http::refresh_tokens(&state).await.map_err(|e| anyhow::anyhow!("{e}")).context("reading the tokens")?;
    if let Some(url) = public_url {
        state = state.with_public_url(url);
    }
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("listening on {listen}"))?;
    let local = listener.local_addr().context("reading the bound address")?;
    landbank_http::spawn_expiry(state.clone(), options.expiry_interval);
    landbank_http::spawn_token_refresh(state.clone(), options.token_refresh);
    landbank_http::spawn_follower(state.clone());
    // One parseable line on standard output, for people and for tests that bind port 0.
    println!("landbank listening on http://{local}/");
    tracing::info!(address = %local, "serving");
    landbank_http::serve::serve(listener, router(state), options.header_timeout, shutdown())
        .await
        .context("serving HTTP")?;
    Ok(ExitCode::SUCCESS)
}

/// Opens the store, creating it from the embedded Dongxing fixtures when the GeoPackage file does not exist yet
/// or the database is empty (migrating the database first).
async fn open_or_create(location: &Location) -> Result<Store> {
    if let Location::GeoPackage(path) = location
        && !path.exists()
    {
        tracing::info!(store = %location, "no store yet: creating it from the Dongxing fixtures");
        let parts = crate::fixtures::embedded()?;
        return Store::create(location, parts).await.with_context(|| format!("creating store at {location}"));
    }
    let store = Store::open(location).await.with_context(|| format!("opening store at {location}"))?;
    if matches!(location, Location::PostGis(_)) && store.is_empty().await.context("reading the database")? {
        tracing::info!(store = %location, "empty database: filling it with the Dongxing fixtures");
        match store.fill(crate::fixtures::embedded()?).await {
            // Another node filled it first.
            Ok(()) | Err(StoreError::NotEmpty) => {}
            Err(e) => return Err(e).with_context(|| format!("filling {location}")),
        }
    }
    Ok(store)
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
