//! The layers of the inventory: one per kind of record, the same names in files, stores and collections.

use crate::code::coded_enum;

coded_enum! {
    /// A layer of the inventory. Its code is the collection id, the `GeoPackage` table stem and the file name.
    Layer ("layer") {
        Zones = "zones",
        Parcels = "parcels",
        Buildings = "buildings",
        Units = "units",
        Projects = "projects",
        Pois = "pois",
    }
}

impl Layer {
    /// Whether records of the layer have a geometry (projects are attributes only).
    pub fn is_spatial(self) -> bool {
        self != Layer::Projects
    }
}
