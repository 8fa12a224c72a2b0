//! The GeoJSON codec of the landbank inventory: the feature schema of each layer, a streaming writer and a
//! validating reader.
//!
//! # Wire rules (RFC 7946)
//!
//! - Coordinates are CGCS2000 (EPSG:4490) longitude, latitude in degrees, which equals CRS84 to centimetres,
//!   written with at most 7 decimals (about 1 cm), rounded half away from zero, without trailing zeros or `-0`.
//! - Outer rings are written counter-clockwise and holes clockwise, whatever the stored orientation.
//! - Every feature has an integer `id`, the record's id (GIS clients use it as FID).
//! - Property names are `snake_case` and carry their unit (`area_m2`, `power_kva`, `price_wan_per_mu`), in the
//!   order of [`schema`].
//!
//! # Writing and reading
//!
//! [`write_feature`] and [`write_collection`] serialize borrowed records straight into an [`std::io::Write`]
//! (no intermediate JSON tree); give them a buffered writer. [`read_layer`] parses a `FeatureCollection` of one
//! layer and reports every problem with every feature at once. What [`write_collection`] writes, [`read_layer`]
//! reads back exactly: stored numbers are written with all their digits and parsed bit-exact; only computed
//! display values (areas in m² and mu, the zone code…) are rounded, and they are ignored on reading.
//!
//! ```
//! use landbank_geojson::{read_layer, write_collection};
//! use landbank_inventory::{Inventory, InventoryParts, Layer};
//!
//! let inventory = Inventory::new(InventoryParts::default()).unwrap();
//! let mut out = Vec::new();
//! write_collection(&mut out, &inventory, Layer::Parcels).unwrap();
//! let text = String::from_utf8(out).unwrap();
//! assert_eq!(read_layer(Layer::Parcels, &text).unwrap().len(), 0);
//! ```

mod building;
mod geometry;
mod parcel;
mod poi;
mod project;
mod read;
mod record;
mod schema;
mod unit;
mod value;
mod write;
mod zone;

#[cfg(test)]
mod sample;

pub use geometry::write_geometry;
pub use read::{FeatureProblem, LayerRecords, read_layer, read_record};
pub use record::{GeometryRef, RecordRef, Records, record, records};
pub use schema::{PropertySpec, PropertyType, schema};
pub use value::PropertyValue;
pub use write::{write_collection, write_feature};
