//! Integer identifiers of inventory records; GIS clients use them as feature ids (FIDs).

use std::fmt;

macro_rules! id {
    ($($(#[$doc:meta])* $name:ident),*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    )*};
}

id!(
    /// Identifies a zone (片区).
    ZoneId,
    /// Identifies a land parcel or planning plot (宗地/地块).
    ParcelId,
    /// Identifies a standard-factory building (标准厂房栋).
    BuildingId,
    /// Identifies a lettable factory unit (出租单元).
    UnitId,
    /// Identifies an investment project (招商项目).
    ProjectId,
    /// Identifies a point or line of interest (road, bridge, service centre).
    PoiId
);
