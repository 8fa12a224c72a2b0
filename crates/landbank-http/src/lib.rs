//! The HTTP surface of landbank: OGC API – Features, statistics and health, over the in-memory inventory.
//!
//! [`router`] builds the whole application from an [`AppState`], so tests call it with `oneshot` and the binary
//! serves it with `axum::serve`.

mod auth;
mod availability;
mod cache;
mod collection;
mod coordsys;
mod crs;
mod edit;
mod encoded;
mod error;
mod features;
mod feed;
mod filter;
mod format;
mod html;
mod landing;
mod limit;
mod lineage;
mod link;
mod openapi;
mod plan;
mod query;
mod report;
mod reservation;
pub mod serve;
mod stats;
mod tile;
mod web;
mod write;

use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Uri;
use axum::routing::{get, post};
use landbank_inventory::{BBox, Change, Inventory, Statistics, statistics};
use tower_http::compression::CompressionLayer;
use tower_http::cors::CorsLayer;
use tower_http::trace::TraceLayer;

pub use auth::{Grant, Role, Tokens, check_token_name, new_secret, refresh_tokens, secret_digest, spawn_token_refresh};
pub use encoded::CACHE_BYTES as FEATURE_CACHE_BYTES;
pub use error::ApiError;
pub use feed::spawn_follower;
pub use limit::{DEFAULT_ANONYMOUS_RATE, DEFAULT_MAX_IN_FLIGHT, DEFAULT_REQUEST_TIMEOUT, Limits};
pub use query::{DEFAULT_LIMIT, MAX_LIMIT};
pub use reservation::{expire_now, spawn_expiry};
pub use tile::{CACHE_BYTES as TILE_CACHE_BYTES, draw as draw_tile};
pub use web::{Basemap, Web, WebConfig};
use write::Writer;

/// One consistent view of the inventory and what is derived from it.
#[derive(Debug)]
pub struct Snapshot {
    pub inventory: Inventory,
    pub statistics: Statistics,
    /// The extent of each collection, in [`collection::COLLECTIONS`] order.
    extents: [Option<BBox>; 6],
    /// Vector tiles drawn from this snapshot; a new snapshot starts with an empty cache.
    tiles: tile::TileCache,
    /// Features written from this snapshot in the default anonymous view; a new snapshot starts with none.
    features: encoded::FeatureCache,
    /// Names this snapshot in `ETag`s; never the same for two snapshots (see [`cache`]).
    version: String,
}

impl Snapshot {
    pub fn new(inventory: Inventory) -> Snapshot {
        let statistics = statistics(&inventory);
        let extents = collection::COLLECTIONS.map(|layer| {
            landbank_geojson::records(&inventory, layer).filter_map(|r| r.bbox(&inventory)).reduce(BBox::union)
        });
        Snapshot {
            inventory,
            statistics,
            extents,
            tiles: tile::TileCache::default(),
            features: encoded::FeatureCache::default(),
            version: cache::new_version(),
        }
    }

    /// The snapshot of `inventory`, which is `previous`'s with `change` applied: it keeps the cached tiles the
    /// change leaves as they were.
    pub fn after(previous: &Snapshot, inventory: Inventory, change: &Change) -> Snapshot {
        let next = Snapshot::new(inventory);
        if let Some(keep) = tile::unchanged_by(&previous.inventory, &next.inventory, change) {
            next.tiles.carry_over(&previous.tiles, keep);
        }
        next
    }
}

/// The state every handler shares: the current snapshot, swapped whole when the inventory changes, so readers
/// never wait for a writer and never see half a change.
#[derive(Debug, Clone)]
pub struct AppState {
    current: Arc<RwLock<Arc<Snapshot>>>,
    public_url: Option<Arc<str>>,
    writer: Option<Arc<Writer>>,
    /// The bearer tokens this node accepts: configured ones, and those the store keeps.
    tokens: Arc<Tokens>,
    limits: Limits,
    web: Arc<WebConfig>,
    /// What each snapshot's tile cache may hold, in bytes (0: no cache).
    tile_cache_bytes: usize,
    /// What each snapshot's cache of encoded features may hold, in bytes (0: no cache).
    feature_cache_bytes: usize,
}

impl AppState {
    /// A read-only state: writes answer 503.
    pub fn new(inventory: Inventory) -> AppState {
        AppState {
            current: Arc::new(RwLock::new(Arc::new(Snapshot::new(inventory)))),
            public_url: None,
            writer: None,
            tokens: Arc::new(Tokens::default()),
            limits: Limits::default(),
            web: Arc::new(WebConfig::default()),
            tile_cache_bytes: tile::CACHE_BYTES,
            feature_cache_bytes: encoded::CACHE_BYTES,
        }
    }

    /// A state that commits writes to `store` (a GeoPackage or PostGIS), accepting `tokens` and, once
    /// [`refresh_tokens`] has run, the tokens the store keeps.
    #[must_use]
    pub fn with_store(mut self, store: landbank_store::Store, tokens: Tokens) -> AppState {
        self.writer = Some(Arc::new(Writer::new(store)));
        self.tokens = Arc::new(tokens);
        self
    }

    /// Accepts `tokens` on a server without a store (one that serves reads only): token holders read restricted
    /// fields and the planners' reports.
    #[must_use]
    pub fn with_tokens(mut self, tokens: Tokens) -> AppState {
        self.tokens = Arc::new(tokens);
        self
    }

    /// Serves the web map from elsewhere than the binary, or with a basemap.
    #[must_use]
    pub fn with_web(mut self, web: WebConfig) -> AppState {
        self.web = Arc::new(web);
        self
    }

    pub(crate) fn web(&self) -> &WebConfig {
        &self.web
    }

    /// Keeps at most `bytes` of encoded tiles per snapshot instead of [`tile::CACHE_BYTES`]; 0 draws every tile
    /// afresh (to measure drawing).
    #[must_use]
    pub fn with_tile_cache(mut self, bytes: usize) -> AppState {
        self.tile_cache_bytes = bytes;
        let current = self.snapshot();
        current.tiles.set_budget(bytes);
        self
    }

    /// Each snapshot keeps at most `bytes` of encoded features (0: every page is written afresh).
    #[must_use]
    pub fn with_feature_cache(mut self, bytes: usize) -> AppState {
        self.feature_cache_bytes = bytes;
        self.snapshot().features.set_budget(bytes);
        self
    }

    /// Other limits on requests in flight and their duration than [`Limits::default`].
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> AppState {
        self.limits = limits;
        self
    }

    /// Links are built from this URL (e.g. `https://land.example.cn/api`) instead of the request's `Host`.
    #[must_use]
    pub fn with_public_url(mut self, url: &str) -> AppState {
        self.public_url = Some(url.trim_end_matches('/').into());
        self
    }

    /// The snapshot to answer from.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.current.read().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// Replaces the inventory; readers holding the old snapshot finish on it.
    pub fn replace(&self, inventory: Inventory) {
        self.install(Snapshot::new(inventory));
    }

    fn install(&self, snapshot: Snapshot) {
        snapshot.tiles.set_budget(self.tile_cache_bytes);
        snapshot.features.set_budget(self.feature_cache_bytes);
        *self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(snapshot);
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(landing::landing))
        .route("/app/", get(web::index))
        .route("/app/{*path}", get(web::asset))
        .route("/conformance", get(landing::conformance))
        .route("/api", get(openapi::api))
        .route("/collections", get(collection::list_collections))
        .route("/collections/{collection_id}", get(collection::get_collection))
        .route("/collections/{collection_id}/queryables", get(collection::get_queryables))
        .route("/collections/{collection_id}/schema", get(collection::get_schema))
        .route("/collections/{collection_id}/sortables", get(collection::get_sortables))
        .route("/collections/{collection_id}/items", get(features::list_items).post(edit::create_item))
        .route(
            "/collections/{collection_id}/items/{feature_id}",
            get(features::get_item).put(edit::replace_item).patch(edit::update_item).delete(edit::delete_item),
        )
        .route("/collections/{collection_id}/tiles/WebMercatorQuad/tilejson.json", get(tile::get_collection_tilejson))
        .route("/collections/{collection_id}/tiles/WebMercatorQuad/{z}/{y}/{x}", get(tile::get_collection_tile))
        .route("/tiles/WebMercatorQuad/tilejson.json", get(tile::get_tilejson))
        .route("/tiles/WebMercatorQuad/{z}/{y}/{x}", get(tile::get_tile))
        .route("/styles/default", get(tile::get_style))
        .route("/reservations", get(reservation::list_reservations).post(reservation::create_reservation))
        .route("/reservations/{id}", get(reservation::get_reservation).delete(reservation::delete_reservation))
        .route("/reservations/{id}/confirm", post(reservation::confirm_reservation))
        .route("/allocations", get(reservation::list_allocations))
        .route("/allocations/{id}", get(reservation::get_allocation))
        .route("/allocations/{id}/release", post(reservation::release_allocation))
        .route("/parcels/{id}/history", get(reservation::parcel_history))
        .route("/parcels/{id}/split", post(lineage::split_parcel))
        .route("/parcels/merge", post(lineage::merge_parcels))
        .route("/availability/land", get(availability::get_land_availability))
        .route("/availability/space", get(availability::get_space_availability))
        .route("/allocation-plans", post(plan::create_allocation_plan))
        .route("/reports/idle-land", get(report::get_idle_land_report))
        .route("/tokens", get(auth::list_tokens).post(auth::create_token))
        .route("/tokens/{name}", axum::routing::delete(auth::revoke_token))
        .route("/stats", get(stats::get_stats))
        .route("/health", get(landing::health))
        .route("/ready", get(feed::get_ready))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(write::MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(state.clone(), cache::conditional))
        .layer(CompressionLayer::new())
        .layer(CorsLayer::permissive())
        .layer(axum::middleware::from_fn_with_state(state.limits.clone(), limit::enforce))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(limit::panicked))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError::NotFound { path: uri.path().to_owned() }
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
