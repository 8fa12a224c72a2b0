//! Zones (片区) of the park and the land policy each one applies.

use geo::Polygon;

use crate::code::coded_enum;
use crate::{IndustrialClass, Industry, SquareMeters, ZoneId};

coded_enum! {
    /// What kind of area a zone is.
    ZoneKind ("zone kind") {
        /// 跨境经济合作区.
        CrossBorderCoopZone = "cross_border_coop_zone",
        /// 边境经济合作区.
        BorderEconCoopZone = "border_econ_coop_zone",
        /// 工业园.
        IndustrialPark = "industrial_park",
        /// 边民互市贸易区.
        BorderTradeZone = "border_trade_zone",
        /// The counterpart park across the border ("two countries, twin parks").
        TwinParkCounterpart = "twin_park_counterpart",
    }
}

coded_enum! {
    /// The country a feature lies in. Features in Vietnam are never shifted to GCJ-02.
    Country ("country") {
        Cn = "CN",
        Vn = "VN",
    }
}

/// The land-control thresholds a zone applies (工业项目建设用地控制指标), configurable per zone.
#[derive(Debug, Clone, PartialEq)]
pub struct ZonePolicy {
    /// Minimum fixed-asset investment intensity, 万元 per mu.
    pub intensity_min_wan_per_mu: f64,
    /// Minimum plot ratio (容积率).
    pub plot_ratio_min: f64,
    /// Minimum building coverage (建筑系数), a fraction.
    pub coverage_min: f64,
    /// Maximum green share (绿地率), a fraction.
    pub green_max: f64,
    /// Maximum admin and living share of site area, a fraction.
    pub admin_max: f64,
    /// Smallest plot the zone supplies, in mu.
    pub min_lot_mu: f64,
    /// Projects below this land need go to standard factories, in mu.
    pub factory_routing_max_mu: f64,
}

impl Default for ZonePolicy {
    fn default() -> Self {
        ZonePolicy {
            intensity_min_wan_per_mu: 250.0,
            plot_ratio_min: 0.8,
            coverage_min: 0.30,
            green_max: 0.20,
            admin_max: 0.07,
            min_lot_mu: 10.0,
            factory_routing_max_mu: 15.0,
        }
    }
}

/// A zone of the park, e.g. the cross-border economic cooperation zone (跨合区).
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    pub id: ZoneId,
    /// Short code, e.g. `KHQ`.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: ZoneKind,
    pub country: Country,
    /// The zone's boundary in EPSG:4490 lon/lat.
    pub boundary: Polygon,
    /// Planned area as published.
    pub planned_area: SquareMeters,
    pub leading_industries: Vec<Industry>,
    pub allowed_classes: Vec<IndustrialClass>,
    pub policy: ZonePolicy,
}
