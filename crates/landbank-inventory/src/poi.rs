//! Points and lines of interest: roads, border bridges, the service centre, the twin park across the border.

use geo::Geometry;

use crate::code::coded_enum;
use crate::{Country, PoiId};

coded_enum! {
    /// What a point of interest is; distance filters name these kinds.
    PoiKind ("poi kind") {
        /// A national or park road (G219, 国门大道), as a line.
        Road = "road",
        /// A border bridge for people (Beilun River Bridge 1).
        BridgePeople = "bridge_people",
        /// A border bridge for freight (Beilun River Bridge 2).
        BridgeFreight = "bridge_freight",
        /// The park's one-stop government service centre.
        ServiceCentre = "service_centre",
        /// The "two countries, twin parks" counterpart across the border.
        TwinPark = "twin_park",
        Port = "port",
        Rail = "rail",
    }
}

/// A point or line of interest.
#[derive(Debug, Clone, PartialEq)]
pub struct Poi {
    pub id: PoiId,
    pub code: String,
    pub kind: PoiKind,
    pub name_zh: String,
    pub name_en: String,
    pub country: Country,
    /// A point, line or polygon in EPSG:4490 lon/lat.
    pub geometry: Geometry,
}
