//! Command-line arguments as typed by people, before validation.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use landbank_http::Role;
use landbank_inventory::Layer;
use landbank_store::Location;

/// landbank — land and standard-factory inventory of an industrial park, served over HTTP.
#[derive(Debug, Parser)]
#[command(name = "landbank", version, about, long_about = None)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the inventory over HTTP (OGC API – Features, statistics). Creates the store from the Dongxing
    /// fixtures when the file does not exist yet, or fills an empty database with them.
    Serve {
        #[command(flatten)]
        store: StoreArgs,
        /// Address to listen on; port 0 picks a free port (the chosen address is printed).
        #[arg(long, default_value = "127.0.0.1:8080", env = "LANDBANK_LISTEN")]
        listen: SocketAddr,
        /// The URL clients reach the service at, when it sits behind a proxy; links are built from it.
        #[arg(long, env = "LANDBANK_PUBLIC_URL")]
        public_url: Option<String>,
        /// A bearer token kept in memory only, as `name:secret[:role]` (role `planner`, the default, or
        /// `admin`; the name is recorded in every event it causes). Repeat for more. Tokens made with
        /// `landbank token create` are read from the store as well.
        #[arg(long = "token", env = "LANDBANK_TOKENS", value_delimiter = ',', value_parser = parse_token)]
        tokens: Vec<(String, String, Role)>,
        /// How often the tokens kept in the store are reloaded (so that a revocation elsewhere takes effect),
        /// in seconds.
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
        token_refresh_s: u64,
        /// How many requests are answered at once; more are turned away with 503 and `Retry-After`.
        #[arg(long, default_value_t = landbank_http::DEFAULT_MAX_IN_FLIGHT, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
        max_in_flight: usize,
        /// How long a request may take, in seconds, before it is abandoned with 503.
        #[arg(long, default_value_t = landbank_http::DEFAULT_REQUEST_TIMEOUT.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
        request_timeout_s: u64,
        /// Requests per second one client address may make without a token (bursts of twice as many pass);
        /// more are answered 429 with `Retry-After`. 0 turns the limit off (for load tests).
        #[arg(long, default_value_t = landbank_http::DEFAULT_ANONYMOUS_RATE)]
        anonymous_rate: u32,
        /// How long a client may take to send a request's headers, in seconds, before the connection is closed.
        #[arg(long, default_value_t = landbank_http::serve::DEFAULT_HEADER_TIMEOUT.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
        header_timeout_s: u64,
        /// How often expired reservations are released, in seconds.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
        expiry_interval_s: u64,
        /// What each inventory snapshot's tile cache may hold, in MiB; 0 draws every tile afresh.
        #[arg(long, default_value_t = landbank_http::TILE_CACHE_BYTES >> 20)]
        tile_cache_mib: usize,
        /// What each inventory snapshot may keep of encoded features (the GeoJSON an anonymous reader gets by
        /// default), in MiB; 0 writes every page afresh.
        #[arg(long, default_value_t = landbank_http::FEATURE_CACHE_BYTES >> 20)]
        feature_cache_mib: usize,
        /// Serve the web map from this directory (a built `web/dist`, read on every request) instead of the page
        /// built into the binary.
        #[arg(long, value_name = "DIR")]
        web_dir: Option<std::path::PathBuf>,
        /// A raster basemap for the web map under the park's own layers: an XYZ tile URL template such as
        /// `https://tiles.example.com/{z}/{x}/{y}.png`. Without one the park's layers are the map.
        #[arg(long, value_name = "URL")]
        basemap_tiles: Option<String>,
        /// The attribution the basemap's licence asks for, shown on the map.
        #[arg(long, value_name = "TEXT", default_value = "", requires = "basemap_tiles")]
        basemap_attribution: String,
    },
    /// Replace one layer of the store with the features of a GeoJSON file, after validating every feature.
    /// Nothing is written when any feature is wrong; every problem is listed.
    Import {
        /// A GeoJSON feature collection.
        file: PathBuf,
        #[arg(long, value_parser = parse_layer)]
        layer: Layer,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Write one layer of the store as GeoJSON.
    Export {
        #[arg(long, value_parser = parse_layer)]
        layer: Layer,
        #[arg(long, default_value = "geojson", value_parser = ["geojson"])]
        format: String,
        /// Output file; standard output when absent.
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Data-quality report: invalid geometry, overlaps, parcels outside their zone, malformed codes, area drift.
    /// Exits with 1 when a problem is found.
    Check {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Bring a PostgreSQL database's schema up to date (`serve` does it too when it starts). Safe to run from
    /// several nodes at once.
    Migrate {
        /// The database, as `postgres://user[:password]@host[:port]/database`.
        #[arg(long, env = "LANDBANK_DATABASE_URL")]
        database_url: String,
    },
    /// Copy a whole store — every layer, reservations, allocations and the event log — into a new GeoPackage or
    /// an empty database. Each side is a `.gpkg` path or a `postgres://` URL.
    Copy {
        #[arg(long, value_parser = parse_location)]
        from: Location,
        #[arg(long, value_parser = parse_location)]
        to: Location,
    },
    /// Manage the bearer tokens kept in the store (only a SHA-256 digest of each secret is kept).
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Generate a seeded synthetic inventory of any size (for benchmarks) into a new GeoPackage or an empty
    /// PostgreSQL + PostGIS database.
    Gen {
        #[arg(long)]
        parcels: usize,
        /// A new `.gpkg` file, or `postgres://user@host/database` (an empty database with PostGIS).
        #[arg(long, value_parser = parse_location)]
        out: Location,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Write the Dongxing fixtures as GeoJSON files (one per layer) into a directory.
    Fixtures {
        #[arg(long, default_value = "fixtures/dongxing")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print its secret, once: it cannot be shown again.
    Create {
        /// Recorded as the actor of every event the token causes; never reused.
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// List the tokens (names, roles, when created and revoked), never their secrets.
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Revoke a token; every node refuses it within the refresh interval of `serve`.
    Revoke {
        name: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// Where the inventory is kept: a GeoPackage file (the default) or a PostgreSQL + PostGIS database.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// The GeoPackage holding the inventory.
    #[arg(long, default_value = "landbank.gpkg", env = "LANDBANK_STORE")]
    store: PathBuf,
    /// A PostgreSQL database with PostGIS holding the inventory instead, shared by every node pointed at it:
    /// `postgres://user[:password]@host[:port]/database`.
    #[arg(long, env = "LANDBANK_DATABASE_URL", conflicts_with = "store")]
    database_url: Option<String>,
}

impl StoreArgs {
    pub fn location(&self) -> Location {
        match &self.database_url {
            Some(url) => Location::PostGis(url.clone()),
            None => Location::GeoPackage(self.store.clone()),
        }
    }
}

fn parse_location(s: &str) -> Result<Location, String> {
    if s.is_empty() {
        return Err("expected a .gpkg path or a postgres:// url".to_owned());
    }
    Ok(Location::parse(s))
}

fn parse_token(s: &str) -> Result<(String, String, Role), String> {
    let Some((name, rest)) = s.split_once(':') else { return Err("expected name:secret[:role]".to_owned()) };
    let (secret, role) = match rest.rsplit_once(':') {
        Some((secret, role)) if role.parse::<Role>().is_ok() => (secret, role.parse::<Role>()?),
        _ => (rest, Role::Planner),
    };
    landbank_http::check_token_name(name)?;
    if secret.len() < 16 {
        return Err("the secret must have at least 16 characters".to_owned());
    }
    Ok((name.to_owned(), secret.to_owned(), role))
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
}

fn parse_layer(s: &str) -> Result<Layer, String> {
    s.parse::<Layer>().map_err(|e| e.to_string())
}
