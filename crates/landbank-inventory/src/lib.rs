//! The land and standard-factory inventory of an industrial park: domain model, R-tree index, queries, statistics.
//!
//! This crate does no I/O and reads no clock: callers pass in data and dates. Its errors are rule violations.
//!
//! # Coordinates and units
//!
//! Geometry is CGCS2000 (EPSG:4490) longitude/latitude in degrees, which equals WGS 84 to centimetres.
//! Areas are geodesic areas on the ellipsoid in square metres ([`SquareMeters`]), shown in mu ([`Mu`],
//! 1 mu = 10000/15 m² exactly). Distances are metres ([`Meters`]).
//!
//! # Examples
//!
//! ```
//! use landbank_inventory::{Mu, SquareMeters};
//! let plot = Mu(40.318);
//! assert!((SquareMeters::from(plot).0 - 26_878.666_666).abs() < 1e-3);
//! ```

pub mod availability;
mod building;
mod carve;

mod code;
pub mod edit;
mod error;
mod geometry;
mod id;
pub mod idle;
mod index;
mod land_use;
mod layer;
pub mod lineage;
mod parcel;
pub mod plan;
mod poi;
mod project;
mod quantity;
pub mod reservation;
mod stats;
mod unit;
mod zone;

pub use availability::{
    BuildingVacancy, LandMatch, LandQuery, Reason, ReasonCode, SpaceAnswer, SpaceOffer, SpaceQuery, UnitSpecs,
    search_land, search_land_best, search_space,
};
pub use building::{BuildingStatus, FactoryBuilding, FireClass, Structure};
pub use carve::{
    AREA_SUM_TOLERANCE, CARVE_TOLERANCE, Carve, CarveDirection, CarveError, CarvePart, SliverPolicy, carve, frontage,
};
pub mod check;
pub use check::{Problem, ProblemKind};
pub use code::UnknownCode;
pub use edit::{EditError, Record};
pub use error::InventoryError;
pub use geometry::{BBox, distance_to_geometry, distance_to_polygon, geodesic_area, local_frame, shared_boundary};
pub use id::{BuildingId, ParcelId, PoiId, ProjectId, UnitId, ZoneId};
pub use idle::{IdleAssessment, IdleRule, IdleStatus, IdleSummary, idle_land_report, idle_land_summary};
pub use index::{Inventory, InventoryParts};
pub use land_use::{IndustrialClass, LandUse, LandUseSystem};
pub use layer::Layer;
pub use parcel::{Availability, DevStage, Parcel, SupplyMethod};
pub use plan::{
    ASSEMBLY_MIN_FRONT, AllocationPlan, Candidate, CandidateKind, CarvedPiece, Check, Criterion, MAX_CANDIDATES, Need,
    PlanError, Route, TOUCH_TOLERANCE, ZoneNeed, plan,
};
pub use poi::{Poi, PoiKind};
pub use project::{Industry, Project, ProjectStage};
pub use quantity::{Meters, Mu, SquareMeters, Wan};
pub use reservation::{
    Allocation, AllocationError, AllocationId, AllocationStatus, Change, Reservation, ReservationId, ReservationStatus,
    Target, Terms,
};
pub use stats::{
    FactoryTotals, ProjectIntensity, ProjectTally, ProjectTotals, Statistics, Tally, ZoneStatistics,
    investment_intensity, statistics,
};
pub use unit::{FactoryUnit, UnitStatus};
pub use zone::{Country, Zone, ZoneKind, ZonePolicy};

/// A calendar date (no time zone), as used for contract and availability dates.
pub type Date = jiff::civil::Date;
