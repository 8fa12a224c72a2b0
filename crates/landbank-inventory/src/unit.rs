//! Lettable factory units (出租单元): a floor or a bay of a standard-factory building.

use geo::Polygon;

use crate::code::coded_enum;
use crate::{BuildingId, Date, ProjectId, SquareMeters, UnitId};

coded_enum! {
    /// Letting status of a unit.
    UnitStatus ("unit status") {
        Vacant = "vacant",
        Reserved = "reserved",
        Leased = "leased",
        OwnerOccupied = "owner_occupied",
        FitOut = "fit_out",
        NotLettable = "not_lettable",
        /// Taken out of the inventory (merged into another unit, building retired); kept for history.
        Retired = "retired",
    }
}

/// A lettable unit of a factory building.
#[derive(Debug, Clone, PartialEq)]
pub struct FactoryUnit {
    pub id: UnitId,
    pub building: BuildingId,
    /// Label, e.g. `CL-B3-2F-A`.
    pub label: String,
    /// Floor number, 1 = ground floor.
    pub floor: u8,
    /// Bay outline in EPSG:4490 lon/lat; `None` means the building's footprint.
    pub outline: Option<Polygon>,
    /// Gross area (建筑面积).
    pub area: SquareMeters,
    pub whole_floor: bool,
    /// Storey height (层高), metres.
    pub height_m: f64,
    /// Floor load, kN/m².
    pub load_kn_m2: f64,
    /// Power allocated to the unit, kVA.
    pub power_kva: u32,
    pub lift_access: bool,
    /// Rent, 元 per m² per month.
    pub rent_yuan_m2_month: f64,
    pub status: UnitStatus,
    pub available_from: Option<Date>,
    pub project: Option<ProjectId>,
}

impl FactoryUnit {
    /// Whether the unit can be let from `date`.
    pub fn is_available_on(&self, date: Date) -> bool {
        self.status == UnitStatus::Vacant && self.available_from.is_none_or(|d| d <= date)
    }
}
