//! Deterministic inventories: the Dongxing Industrial Park fixtures and synthetic parks of any size.
//!
//! Pure: no I/O, no clock. [`dongxing()`] returns the fixtures that reproduce the park's published figures;
//! [`synthetic()`] and [`synthetic_with_progress`] return realistic parks of any size for benchmarks. Geometry is
//! CGCS2000 (EPSG:4490) longitude/latitude; registered areas are in mu to the thousandth and every outline's
//! geodesic area matches its registered area.
//!
//! # Examples
//!
//! ```
//! use landbank_inventory::{Inventory, statistics};
//! let inventory = Inventory::new(landbank_gen::dongxing()).unwrap();
//! let stats = statistics(&inventory);
//! assert_eq!((stats.park.revitalized.stated_area.0 * 1_000.0).round(), 1_699_500.0);
//! ```

mod apportion;
mod dongxing;
mod factory;
mod frame;
mod layout;
mod shape;
mod synthetic;

pub use dongxing::{AS_OF, dongxing};
pub use synthetic::{synthetic, synthetic_with_progress};
