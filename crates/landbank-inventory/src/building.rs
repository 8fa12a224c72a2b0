//! Standard-factory buildings (标准厂房): footprint and the specs investors filter on.

use geo::Polygon;

use crate::code::coded_enum;
use crate::{BuildingId, Date, ParcelId, SquareMeters, ZoneId};

coded_enum! {
    /// Structural system.
    Structure ("structure") {
        /// Reinforced-concrete frame, usually multi-storey.
        RcFrame = "rc_frame",
        /// Single-storey steel portal frame.
        SteelPortal = "steel_portal",
        Mixed = "mixed",
    }
}

coded_enum! {
    /// Fire hazard class of production (GB 50016 甲/乙/丙/丁/戊).
    FireClass ("fire class") {
        Jia = "jia",
        Yi = "yi",
        Bing = "bing",
        Ding = "ding",
        Wu = "wu",
    }
}

coded_enum! {
    /// Construction and letting status of a building.
    BuildingStatus ("building status") {
        Planned = "planned",
        UnderConstruction = "under_construction",
        Completed = "completed",
        Leasable = "leasable",
        /// Taken out of the inventory (demolished or handed back); kept for history.
        Retired = "retired",
    }
}

/// A standard-factory building.
#[derive(Debug, Clone, PartialEq)]
pub struct FactoryBuilding {
    pub id: BuildingId,
    /// Building number, e.g. `CL-B3`.
    pub building_no: String,
    pub name: String,
    pub zone: ZoneId,
    pub parcel: Option<ParcelId>,
    /// Footprint in EPSG:4490 lon/lat.
    pub footprint: Polygon,
    pub structure: Structure,
    pub floors: u8,
    /// Gross floor area (建筑面积).
    pub gross_floor_area: SquareMeters,
    pub floor_plate: SquareMeters,
    pub height_1f_m: f64,
    pub height_upper_m: f64,
    pub load_1f_kn_m2: f64,
    pub load_upper_kn_m2: f64,
    pub lift_count: u8,
    pub lift_capacity_t: f64,
    pub transformer_kva: u32,
    pub fire_class: FireClass,
    pub status: BuildingStatus,
    pub completion_date: Option<Date>,
    pub operator: Option<String>,
}
