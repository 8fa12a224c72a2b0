//! Durable stores of the landbank inventory: the only crate that knows SQL and file formats.
//!
//! The embedded store is a GeoPackage 1.4 file ([`GeoPackage`]): one table per layer with geometry in EPSG:4490
//! (CGCS2000 longitude/latitude), an R-tree spatial index per feature table, and an `event` table that records
//! every change. GDAL and QGIS open the file as it is.
//!
//! The shared store is a PostgreSQL database with PostGIS ([`PostGis`]): the same tables with `geometry(…, 4490)`
//! columns and `GiST` indexes, reached through a connection pool, so that many service nodes keep one inventory;
//! an exclusion constraint refuses a double booking whichever node commits it.
//!
//! The rest of the program uses [`Store`], which is either, behind the same async operations, and names where an
//! inventory lives with a [`Location`] (a file path or a `postgres://` URL).
//!
//! The schemas live in `migrations/gpkg/` and `migrations/postgres/` at the workspace root and are compiled into
//! the crate.

mod blob;
mod commit;
mod error;
mod event;
mod function;
mod geopackage;
mod holding;
mod postgis;
mod row;
mod schema;
pub mod scratch;
mod store;
mod token;

pub use commit::Idempotent;
pub use error::StoreError;
pub use event::{Event, NewEvent};
pub use function::register_sql_functions;
pub use geopackage::GeoPackage;
pub use postgis::{Basis, Notifications, POSTGIS_SCHEMA_VERSION, PostGis};
pub use schema::{APPLICATION_ID, GEOPACKAGE_VERSION, SCHEMA_VERSION};
pub use store::{Copied, Location, RecordIds, Store};
pub use token::Token;
