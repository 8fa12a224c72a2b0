//! Where the Dongxing fixtures lie: the zone boxes of reference/domain.md §4, the river, roads, bridges and town
//! centres that plots keep clear of, and the reference features (POIs). All positions are synthetic guesses.

use geo::{Coord, Distance, Euclidean, Geometry, LineString, Point, Polygon};
use landbank_inventory::{
    Country, IndustrialClass, Industry, Poi, PoiId, PoiKind, SquareMeters, Zone, ZoneId, ZoneKind, ZonePolicy,
};

use crate::frame::Frame;
use crate::layout::Rect;

/// A zone of the park and how the fixtures develop it.
pub(super) struct ZoneSite {
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    /// Short Chinese name used in building names.
    pub short_zh: &'static str,
    pub kind: ZoneKind,
    pub country: Country,
    /// `lon_min, lat_min, lon_max, lat_max`.
    pub bbox: [f64; 4],
    pub planned_km2: f64,
    pub leading: &'static [Industry],
    pub classes: &'static [IndustrialClass],
    pub policy: ZonePolicy,
    /// Where development clusters; `None` for a zone without plots.
    pub core: Option<Coord>,
    /// About how many plots the zone gets.
    pub plots: usize,
    /// Cadastral district (地籍区) in its 宗地代码.
    pub district: u16,
    /// Range of land prices, 万元 per mu.
    pub price_wan_per_mu: (f64, f64),
}

const fn policy(intensity: f64, plot_ratio: f64, coverage: f64, green: f64, min_lot: f64) -> ZonePolicy {
    ZonePolicy {
        intensity_min_wan_per_mu: intensity,
        plot_ratio_min: plot_ratio,
        coverage_min: coverage,
        green_max: green,
        admin_max: 0.07,
        min_lot_mu: min_lot,
        factory_routing_max_mu: 15.0,
    }
}

const fn at(x: f64, y: f64) -> Coord {
    Coord { x, y }
}

/// The four Chinese zones of the park and the twin park across the border, in id order.
pub(super) const ZONES: [ZoneSite; 5] = [
    ZoneSite {
        code: "KHQ",
        name_zh: "东兴跨境经济合作区",
        name_en: "Dongxing Cross-border Economic Cooperation Zone",
        short_zh: "跨合区",
        kind: ZoneKind::CrossBorderCoopZone,
        country: Country::Cn,
        bbox: [107.975, 21.515, 108.030, 21.550],
        planned_km2: 9.9,
        leading: &[
            Industry::BorderTradeProcessing,
            Industry::ElectronicInfo,
            Industry::SeafoodProcessing,
            Industry::NutProcessing,
            Industry::SmallAppliance,
            Industry::Logistics,
        ],
        classes: &[IndustrialClass::I, IndustrialClass::II],
        policy: policy(300.0, 1.0, 0.40, 0.15, 5.0),
        core: Some(at(108.010, 21.538)),
        plots: 60,
        district: 101,
        price_wan_per_mu: (14.0, 20.0),
    },
    ZoneSite {
        code: "BHQ",
        name_zh: "东兴边境经济合作区",
        name_en: "Dongxing Border Economic Cooperation Zone",
        short_zh: "边合区",
        kind: ZoneKind::BorderEconCoopZone,
        country: Country::Cn,
        bbox: [107.950, 21.545, 107.990, 21.575],
        planned_km2: 4.07,
        leading: &[
            Industry::Garment,
            Industry::Textile,
            Industry::SpiceHerbal,
            Industry::SmallAppliance,
            Industry::BorderTradeProcessing,
        ],
        classes: &[IndustrialClass::I, IndustrialClass::II],
        policy: policy(250.0, 1.0, 0.40, 0.15, 5.0),
        core: Some(at(107.978, 21.565)),
        plots: 50,
        district: 102,
        price_wan_per_mu: (12.0, 18.0),
    },
    ZoneSite {
        code: "CL",
        name_zh: "冲栏工业园",
        name_en: "Chonglan Industrial Park",
        short_zh: "冲栏",
        kind: ZoneKind::IndustrialPark,
        country: Country::Cn,
        bbox: [108.000, 21.555, 108.060, 21.600],
        planned_km2: 12.0,
        leading: &[
            Industry::ElectronicInfo,
            Industry::SmallAppliance,
            Industry::EvCharging,
            Industry::SodiumIonBattery,
            Industry::NewEnergyOther,
        ],
        classes: &[IndustrialClass::I, IndustrialClass::II],
        policy: policy(220.0, 0.8, 0.35, 0.20, 10.0),
        core: Some(at(108.030, 21.578)),
        plots: 70,
        district: 103,
        price_wan_per_mu: (9.0, 14.0),
    },
    ZoneSite {
        code: "JP",
        name_zh: "江平工业园",
        name_en: "Jiangping Industrial Park",
        short_zh: "江平",
        kind: ZoneKind::IndustrialPark,
        country: Country::Cn,
        bbox: [108.060, 21.565, 108.130, 21.620],
        planned_km2: 14.0,
        leading: &[
            Industry::SeafoodProcessing,
            Industry::SpiceHerbal,
            Industry::Pharmaceutical,
            Industry::SodiumIonBattery,
            Industry::NewEnergyOther,
            Industry::Textile,
            Industry::Metal,
        ],
        classes: &[IndustrialClass::I, IndustrialClass::II, IndustrialClass::III],
        policy: policy(200.0, 0.7, 0.30, 0.20, 10.0),
        core: Some(at(108.085, 21.590)),
        plots: 70,
        district: 104,
        price_wan_per_mu: (8.0, 12.0),
    },
    ZoneSite {
        code: "VN-HY",
        name_zh: "芒街海安工业园（越方）",
        name_en: "Hai Yen Industrial Park, Mong Cai (Viet Nam)",
        short_zh: "海安",
        kind: ZoneKind::TwinParkCounterpart,
        country: Country::Vn,
        bbox: [107.900, 21.490, 107.950, 21.530],
        planned_km2: 4.0,
        leading: &[Industry::Garment, Industry::Textile, Industry::ElectronicInfo],
        classes: &[IndustrialClass::I, IndustrialClass::II],
        policy: policy(200.0, 0.8, 0.30, 0.20, 10.0),
        core: None,
        plots: 0,
        district: 0,
        price_wan_per_mu: (0.0, 0.0),
    },
];

/// The Beilun River, west to east; China lies north of it.
const RIVER: [Coord; 7] = [
    at(107.930, 21.552),
    at(107.950, 21.543),
    at(107.971, 21.5365),
    at(107.995, 21.5295),
    at(108.015, 21.520),
    at(108.030, 21.505),
    at(108.060, 21.490),
];
/// Plots keep this far north of the river, metres.
const RIVER_CLEARANCE_M: f64 = 200.0;

/// National road G219 (防城峒中—东兴 section) to its end at 竹山村 on the estuary.
const G219: [Coord; 8] = [
    at(107.900, 21.600),
    at(107.945, 21.5785),
    at(107.994, 21.5785),
    at(107.995, 21.5525),
    at(108.012, 21.5470),
    at(108.022, 21.5330),
    at(108.027, 21.5180),
    at(108.030, 21.5060),
];
/// 国门大道, from Bridge 1 north through the border economic cooperation zone.
const GUOMEN_AVENUE: [Coord; 5] =
    [at(107.9712, 21.5380), at(107.9722, 21.5450), at(107.9760, 21.5540), at(107.9790, 21.5650), at(107.9810, 21.5800)];
/// Plots keep this far from the centre line of a road, metres.
const ROAD_CLEARANCE_M: f64 = 40.0;

const BRIDGE_1: Coord = at(107.971, 21.537);
const BRIDGE_2: Coord = at(107.995, 21.530);
const TWIN_PARK: Coord = at(107.925, 21.510);

/// Places plots keep clear of, with the clearance in metres: the bridges' approaches and the town centres of
/// Dongxing (city government) and Jiangping.
const KEEP_CLEAR: [(Coord, f64); 4] =
    [(BRIDGE_1, 300.0), (BRIDGE_2, 300.0), (at(107.9717, 21.5478), 900.0), (at(108.100, 21.590), 700.0)];

/// Plots keep this far from the boxes of other zones (the cross-border and border zones' boxes overlap), metres.
const OTHER_ZONE_CLEARANCE_M: f64 = 40.0;
/// Plots keep this far inside their zone's box on the west, east and north, metres.
const EDGE_MARGIN_M: f64 = 30.0;
/// Plots keep this far from the zone's southern edge, which faces the river, metres.
const SOUTH_MARGIN_M: f64 = 150.0;

fn bbox_ring(b: [f64; 4]) -> [Coord; 4] {
    [at(b[0], b[1]), at(b[2], b[1]), at(b[2], b[3]), at(b[0], b[3])]
}

impl ZoneSite {
    /// The zone's metric frame: origin at the south-west corner of its box, scales at its middle latitude.
    pub(super) fn frame(&self) -> Frame {
        Frame::new(at(self.bbox[0], self.bbox[1]), f64::midpoint(self.bbox[1], self.bbox[3]))
    }

    /// The part of the zone's box plots may use, in metres of [`ZoneSite::frame`].
    pub(super) fn region(&self) -> Rect {
        let ne = self.frame().meters(at(self.bbox[2], self.bbox[3]));
        Rect::new(EDGE_MARGIN_M, SOUTH_MARGIN_M, ne.x - EDGE_MARGIN_M, ne.y - EDGE_MARGIN_M)
    }

    fn boundary(&self) -> Polygon {
        Polygon::new(LineString::new(bbox_ring(self.bbox).to_vec()), Vec::new())
    }
}

/// What plots of one zone must keep clear of, in that zone's metres.
pub(super) struct Clearance {
    region: Rect,
    river: LineString,
    roads: Vec<LineString>,
    points: Vec<(Point, f64)>,
    other_zones: Vec<Polygon>,
}

impl Clearance {
    pub(super) fn for_zone(index: usize) -> Clearance {
        let zone = &ZONES[index];
        let frame = zone.frame();
        let polygon_in_meters = |b: [f64; 4]| Polygon::new(frame.line_in_meters(&bbox_ring(b)), Vec::new());
        Clearance {
            region: zone.region(),
            river: frame.line_in_meters(&RIVER),
            roads: vec![frame.line_in_meters(&G219), frame.line_in_meters(&GUOMEN_AVENUE)],
            points: KEEP_CLEAR.iter().map(|&(c, d)| (Point::from(frame.meters(c)), d)).collect(),
            other_zones: ZONES
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != index)
                .map(|(_, z)| polygon_in_meters(z.bbox))
                .collect(),
        }
    }

    /// Whether a block may be built on: inside the region, north of and away from the river, clear of roads,
    /// bridges, town centres and other zones.
    pub(super) fn allows_block(&self, r: Rect) -> bool {
        let g = r.to_geo();
        self.allows_strip(r) && self.roads.iter().all(|road| Euclidean.distance(&g, road) >= ROAD_CLEARANCE_M)
    }

    /// Like [`Clearance::allows_block`], but roads may cross it (a road plot).
    pub(super) fn allows_strip(&self, r: Rect) -> bool {
        let g = r.to_geo();
        let inside =
            r.x0 >= self.region.x0 && r.y0 >= self.region.y0 && r.x1 <= self.region.x1 && r.y1 <= self.region.y1;
        inside
            && self.north_of_river(r.centre())
            && Euclidean.distance(&g, &self.river) >= RIVER_CLEARANCE_M
            && self.points.iter().all(|(p, d)| Euclidean.distance(&g, p) >= *d)
            && self.other_zones.iter().all(|z| Euclidean.distance(&g, z) >= OTHER_ZONE_CLEARANCE_M)
    }

    fn north_of_river(&self, c: Coord) -> bool {
        self.river.lines().all(|l| {
            let (a, b) = (l.start, l.end);
            if c.x < a.x || c.x > b.x {
                return true;
            }
            let t = (c.x - a.x) / (b.x - a.x);
            c.y > a.y + t * (b.y - a.y)
        })
    }
}

/// The zone records, ids 1 to 5 in [`ZONES`] order.
pub(super) fn zones() -> Vec<Zone> {
    ZONES
        .iter()
        .enumerate()
        .map(|(i, z)| Zone {
            id: ZoneId(i as i64 + 1),
            code: z.code.to_owned(),
            name_zh: z.name_zh.to_owned(),
            name_en: z.name_en.to_owned(),
            kind: z.kind,
            country: z.country,
            boundary: z.boundary(),
            planned_area: SquareMeters(z.planned_km2 * 1_000_000.0),
            leading_industries: z.leading.to_vec(),
            allowed_classes: z.classes.to_vec(),
            policy: z.policy.clone(),
        })
        .collect()
}

/// The reference features: the roads, the two border bridges, the park's service centre (at `service_centre`) and
/// the twin park in Mong Cai.
pub(super) fn pois(service_centre: Coord) -> Vec<Poi> {
    let poi = |id: i64, code: &str, kind, name_zh: &str, name_en: &str, country, geometry| Poi {
        id: PoiId(id),
        code: code.to_owned(),
        kind,
        name_zh: name_zh.to_owned(),
        name_en: name_en.to_owned(),
        country,
        geometry,
    };
    vec![
        poi(
            1,
            "G219",
            PoiKind::Road,
            "G219国道（防城峒中—东兴段）",
            "National Road G219 (Fangcheng Dongzhong–Dongxing section)",
            Country::Cn,
            Geometry::LineString(LineString::new(G219.to_vec())),
        ),
        poi(
            2,
            "GUOMEN-AVE",
            PoiKind::Road,
            "国门大道",
            "Guomen Avenue",
            Country::Cn,
            Geometry::LineString(LineString::new(GUOMEN_AVENUE.to_vec())),
        ),
        poi(
            3,
            "BEILUN-BRIDGE-1",
            PoiKind::BridgePeople,
            "北仑河一桥（东兴口岸）",
            "Beilun River Bridge 1 (Dongxing port, people)",
            Country::Cn,
            Geometry::Point(Point::from(BRIDGE_1)),
        ),
        poi(
            4,
            "BEILUN-BRIDGE-2",
            PoiKind::BridgeFreight,
            "北仑河二桥",
            "Beilun River Bridge 2 (freight)",
            Country::Cn,
            Geometry::Point(Point::from(BRIDGE_2)),
        ),
        poi(
            5,
            "SERVICE-CENTRE",
            PoiKind::ServiceCentre,
            "东兴产业园一站式政务服务中心",
            "Dongxing Industrial Park one-stop government service centre",
            Country::Cn,
            Geometry::Point(Point::from(service_centre)),
        ),
        poi(
            6,
            "TWIN-PARK-MONG-CAI",
            PoiKind::TwinPark,
            "两国双园芒街园区",
            "Twin park counterpart in Mong Cai (two countries, twin parks)",
            Country::Vn,
            Geometry::Point(Point::from(TWIN_PARK)),
        ),
    ]
}
