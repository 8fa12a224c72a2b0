//! Durable stores of the landbank inventory: the only crate that knows SQL and file formats.
//!
//! The embedded store is a GeoPackage 1.4 file ([`GeoPackage`]): one table per layer with geometry in EPSG:4490
//! (CGCS2000 longitude/latitude), an R-tree spatial index per feature table, and an `event` table that records
//! every change. GDAL and QGIS open the file as it is.
//!
//! The schema lives in `migrations/gpkg/` at the workspace root and is compiled into the crate.

mod blob;
mod commit;
mod error;
mod event;
mod function;
mod geopackage;
mod holding;
mod row;
mod schema;

pub use commit::Idempotent;
pub use error::StoreError;
pub use event::{Event, NewEvent};
pub use function::register_sql_functions;
pub use geopackage::GeoPackage;
pub use schema::{APPLICATION_ID, GEOPACKAGE_VERSION, SCHEMA_VERSION};
