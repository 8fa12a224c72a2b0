//! Availability search: free land for a project ([`search_land`]) and free factory space for a tenant
//! ([`search_space`]), hard-filtered, ranked best first and explained.
//!
//! # Scores
//!
//! A score is the sum of the `points` of its [`Reason`]s, out of 100. Each component is a fraction of its weight,
//! so a client can show why one answer beats another:
//!
//! | land | points | space | points |
//! |---|---|---|---|
//! | area fit (best fit: smallest leftover over the minimum asked) | 25 | area fit | 40 |
//! | price against the cheapest match | 20 | rent against the cheapest offer | 30 |
//! | zone leads in the project's industry | 15 | one unit (no partition work) | 10 |
//! | class fit (exact 10, one class above 5) | 10 | distance to the freight bridge | 10 |
//! | distance to the freight bridge | 10 | distance to a main road | 10 |
//! | distance to a main road (G219, 国门大道) | 10 | | |
//! | distance to the requested point | 10 | | |
//!
//! Distances score `weight × h / (h + d)`: full points at 0 m, half at `h` (2 km for the freight bridge, 500 m for
//! a road). Components that do not apply to a query (no area asked, no industry named) give 0 points to every
//! answer, so they never change the order.
//!
//! # Units and coordinates
//!
//! Areas are [`SquareMeters`] (land areas are the registered areas), distances [`Meters`] measured in a local
//! frame (see [`distance_to_geometry`]), points EPSG:4490 lon/lat, prices 万元 per mu, rents 元 per m² per month.

use std::collections::{BTreeMap, BTreeSet};

use geo::{Geometry, MultiPolygon, Point, Polygon};

use crate::code::coded_enum;
use crate::{
    Availability, BuildingId, Date, FactoryBuilding, FactoryUnit, FireClass, IndustrialClass, Industry, Inventory,
    Meters, Mu, Parcel, Poi, PoiKind, SquareMeters, SupplyMethod, ZoneId, distance_to_geometry, shared_boundary,
};

/// Points for how closely land fits the requested area.
const LAND_AREA_POINTS: f64 = 25.0;
/// Points for the cheapest land price among the matches.
const LAND_PRICE_POINTS: f64 = 20.0;
/// Points for land in a zone that leads in the project's industry.
const LAND_INDUSTRY_POINTS: f64 = 15.0;
/// Points for land of exactly the project's class (half for one class above).
const LAND_CLASS_POINTS: f64 = 10.0;
/// Points for land next to the freight bridge.
const LAND_BRIDGE_POINTS: f64 = 10.0;
/// Points for land next to a main road.
const LAND_ROAD_POINTS: f64 = 10.0;
/// Points for land at the requested point.
const LAND_POINT_POINTS: f64 = 10.0;

/// Points for how closely space fits the requested area.
const SPACE_AREA_POINTS: f64 = 40.0;
/// Points for the cheapest rent among the offers.
const SPACE_RENT_POINTS: f64 = 30.0;
/// Points for an offer of one unit; a combination of `n` units gets a `1/n` share.
const SPACE_UNITS_POINTS: f64 = 10.0;
/// Points for space next to the freight bridge.
const SPACE_BRIDGE_POINTS: f64 = 10.0;
/// Points for space next to a main road.
const SPACE_ROAD_POINTS: f64 = 10.0;

/// Distance at which the freight-bridge points halve.
const BRIDGE_HALF_M: f64 = 2_000.0;
/// Distance at which the road points halve.
const ROAD_HALF_M: f64 = 500.0;

/// How far apart two bay outlines may be and still share a wall.
const ADJACENCY_TOLERANCE: Meters = Meters(0.5);
/// The shortest shared wall that makes two bays adjacent (less is a corner).
const ADJACENCY_MIN_WALL: Meters = Meters(1.0);
/// The most units one combined offer joins.
const MAX_COMBINED_UNITS: usize = 4;

coded_enum! {
    /// What a [`Reason`] is about, as a stable code for clients.
    ReasonCode ("reason") {
        /// The land class and the project's class.
        ClassFit = "class_fit",
        /// How closely the area fits the range asked (best fit: the smallest leftover).
        AreaFit = "area_fit",
        /// The land price against the cheapest match.
        Price = "price",
        /// The rent against the cheapest offer.
        Rent = "rent",
        /// Whether the zone lists the project's industry among its leading industries.
        LeadingIndustry = "leading_industry",
        /// Distance to the point asked for.
        NearPoint = "near_point",
        /// Distance to the freight border bridge (Beilun River Bridge 2).
        NearFreightBridge = "near_freight_bridge",
        /// Distance to a main road (G219, 国门大道).
        NearRoad = "near_road",
        /// Distance to another kind of point of interest a distance filter names.
        NearPoi = "near_poi",
        /// How the land is supplied.
        SupplyMethod = "supply_method",
        /// When the land or space can be handed over.
        AvailableFrom = "available_from",
        /// One unit, or adjacent units combined.
        Units = "units",
        /// Floor, storey height, floor load, lift and power of the space.
        Specs = "specs",
    }
}

/// One line of an answer's explanation: what it is about, in English, and the points it adds to the score.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub code: ReasonCode,
    pub text: String,
    /// Points added to the score (0 for reasons that only inform).
    pub points: f64,
}

/// The text of a reason, or nothing when the reasons only score (`explain` false): `format!` otherwise.
macro_rules! text {
    ($explain:expr, $($format:tt)+) => {
        if $explain { format!($($format)+) } else { String::new() }
    };
}

impl Reason {
    fn new(code: ReasonCode, points: f64, text: String) -> Reason {
        Reason { code, text, points }
    }
}

/// What an investor asks of land. Empty lists and `None` mean "any".
///
/// # Examples
///
/// ```
/// use jiff::civil::date;
/// use landbank_inventory::{IndustrialClass, Industry, LandQuery, Mu};
/// let query = LandQuery {
///     min_area: Some(Mu(40.0).into()),
///     industry: Some(Industry::SeafoodProcessing),
///     ..LandQuery::on(date(2026, 11, 27))
/// };
/// assert_eq!(query.required_class(), Some(IndustrialClass::II));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LandQuery {
    /// Only land in these zones.
    pub zones: Vec<ZoneId>,
    /// Registered area at least this.
    pub min_area: Option<SquareMeters>,
    /// Registered area at most this.
    pub max_area: Option<SquareMeters>,
    /// The project's class: class-I projects fit I/II/III land, class II fits II/III, class III only III.
    pub project_class: Option<IndustrialClass>,
    /// The project's industry: zones leading in it rank higher, and it gives the class when `project_class` is
    /// `None`.
    pub industry: Option<Industry>,
    /// Only land offered by one of these methods (land whose method is not yet fixed matches any). Allocation
    /// (划拨) is never an investor's option: such land is never returned.
    pub supply_methods: Vec<SupplyMethod>,
    /// Listing price at most this, 万元 per mu; land without a price is then left out.
    pub max_price_wan_per_mu: Option<f64>,
    /// Only land within this distance of the point (lon/lat).
    pub near: Option<(Point, Meters)>,
    /// Only land within each distance of the nearest point of interest of that kind (e.g. the freight bridge
    /// within 5 km, a road within 1 km).
    pub near_poi: Vec<(PoiKind, Meters)>,
    /// The day the land must be free to hand over.
    pub available_on: Date,
}

impl LandQuery {
    /// Any land available on `date`, with no other filter.
    pub fn on(date: Date) -> LandQuery {
        LandQuery {
            zones: Vec::new(),
            min_area: None,
            max_area: None,
            project_class: None,
            industry: None,
            supply_methods: Vec::new(),
            max_price_wan_per_mu: None,
            near: None,
            near_poi: Vec::new(),
            available_on: date,
        }
    }

    /// The class the land must take: the project's class, else its industry's typical class.
    pub fn required_class(&self) -> Option<IndustrialClass> {
        self.project_class.or_else(|| self.industry.map(Industry::typical_class))
    }
}

/// A parcel that meets a [`LandQuery`], with its score and why.
#[derive(Debug, Clone, PartialEq)]
pub struct LandMatch<'a> {
    pub parcel: &'a Parcel,
    /// 0–100, the sum of the reasons' points.
    pub score: f64,
    pub reasons: Vec<Reason>,
    /// Distance to the nearest point of interest of each kind the inventory has, in [`PoiKind::ALL`] order.
    pub distances: Vec<(PoiKind, Meters)>,
    /// Distance to the query's `near` point, when it has one.
    pub distance_to_point: Option<Meters>,
}

/// The points of interest of each kind, to measure distances to the nearest one.
struct Landmarks<'a>(Vec<(PoiKind, Vec<&'a Poi>)>);

impl<'a> Landmarks<'a> {
    fn new(inventory: &'a Inventory) -> Landmarks<'a> {
        let groups = PoiKind::ALL
            .iter()
            .map(|&kind| (kind, inventory.pois().iter().filter(|p| p.kind == kind).collect::<Vec<_>>()))
            .filter(|(_, pois)| !pois.is_empty())
            .collect();
        Landmarks(groups)
    }

    /// The nearest point of interest of each kind, and its distance from the outline.
    fn nearest(&self, outline: &Polygon) -> Vec<(PoiKind, &'a Poi, Meters)> {
        self.0
            .iter()
            .filter_map(|(kind, pois)| {
                pois.iter()
                    .map(|poi| (*poi, distance_to_geometry(outline, &poi.geometry)))
                    .min_by(|a, b| a.1.0.total_cmp(&b.1.0))
                    .map(|(poi, d)| (*kind, poi, d))
            })
            .collect()
    }
}

/// Whether every distance filter holds; a kind the inventory does not have fails its filter.
fn within_limits(nearest: &[(PoiKind, &Poi, Meters)], limits: &[(PoiKind, Meters)]) -> bool {
    limits.iter().all(|(kind, max)| nearest.iter().any(|(k, _, d)| k == kind && d.0 <= max.0))
}

/// `1` at distance 0, `1/2` at `half`, towards 0 far away.
fn closeness(d: Meters, half: f64) -> f64 {
    half / (half + d.0.max(0.0))
}

fn distance_text(d: Meters) -> String {
    if d.0 < 1.0 {
        "0 m".to_owned()
    } else if d.0 < 1_000.0 {
        format!("{:.0} m", d.0)
    } else {
        format!("{:.1} km", d.0 / 1_000.0)
    }
}

fn industry_text(industry: Industry) -> String {
    industry.code().replace('_', " ")
}

fn supply_text(method: SupplyMethod) -> &'static str {
    match method {
        SupplyMethod::Allocation => "allocation (划拨)",
        SupplyMethod::TransferTender => "transfer by tender (招标出让)",
        SupplyMethod::TransferAuction => "transfer by auction (拍卖出让)",
        SupplyMethod::TransferListing => "transfer by listing (挂牌出让)",
        SupplyMethod::TransferAgreement => "transfer by agreement (协议出让)",
        SupplyMethod::Lease => "lease (租赁)",
        SupplyMethod::LeaseThenTransfer => "lease then transfer (先租后让)",
        SupplyMethod::CapitalContribution => "capital contribution (作价出资)",
    }
}

/// How closely `area` fits the range: `min / area` when a minimum is asked (1 for an exact fit, less as the
/// leftover grows), `area / max` when only a maximum is, `None` when neither.
fn area_fit(area: SquareMeters, min: Option<SquareMeters>, max: Option<SquareMeters>) -> Option<f64> {
    match (min, max) {
        (Some(min), _) if area.0 > 0.0 => Some((min.0 / area.0).clamp(0.0, 1.0)),
        (None, Some(max)) if max.0 > 0.0 => Some((area.0 / max.0).clamp(0.0, 1.0)),
        _ => None,
    }
}

fn in_range(area: SquareMeters, min: Option<SquareMeters>, max: Option<SquareMeters>) -> bool {
    min.is_none_or(|m| area.0 >= m.0) && max.is_none_or(|m| area.0 <= m.0)
}

/// Distance reasons for the freight bridge and the nearest road, and informative ones for other kinds a filter
/// names.
fn distance_reasons(
    nearest: &[(PoiKind, &Poi, Meters)],
    limits: &[(PoiKind, Meters)],
    bridge_points: f64,
    road_points: f64,
    explain: bool,
) -> Vec<Reason> {
    let mut reasons = Vec::new();
    for (kind, poi, d) in nearest {
        let limit = limits.iter().find(|(k, _)| k == kind).map(|(_, m)| *m);
        let text = match limit {
            Some(m) => {
                text!(explain, "{} from {} (within the {} asked)", distance_text(*d), poi.name_en, distance_text(m))
            }
            None => text!(explain, "{} from {}", distance_text(*d), poi.name_en),
        };
        match kind {
            PoiKind::BridgeFreight => {
                reasons.push(Reason::new(
                    ReasonCode::NearFreightBridge,
                    bridge_points * closeness(*d, BRIDGE_HALF_M),
                    text,
                ));
            }
            PoiKind::Road => {
                reasons.push(Reason::new(ReasonCode::NearRoad, road_points * closeness(*d, ROAD_HALF_M), text));
            }
            _ if limit.is_some() => reasons.push(Reason::new(ReasonCode::NearPoi, 0.0, text)),
            _ => {}
        }
    }
    reasons
}

fn land_passes(parcel: &Parcel, query: &LandQuery, class: Option<IndustrialClass>) -> bool {
    let area = parcel.stated_area_m2();
    parcel.availability == Availability::Available
        && parcel.is_available_on(query.available_on)
        && parcel.supply_method != Some(SupplyMethod::Allocation)
        && (query.zones.is_empty() || query.zones.contains(&parcel.zone))
        && in_range(area, query.min_area, query.max_area)
        && class.is_none_or(|needs| parcel.class().is_some_and(|land| needs.fits_on(land)))
        && (query.supply_methods.is_empty() || parcel.supply_method.is_none_or(|m| query.supply_methods.contains(&m)))
        && query
            .max_price_wan_per_mu
            .is_none_or(|max| parcel.price_wan_per_mu.is_some_and(|p| p.is_finite() && p <= max))
}

/// Available land that meets the query, best first.
///
/// Hard filters: available and free on `available_on`; never land supplied by allocation (划拨); in the zones
/// asked; registered area in range; the land's class takes the project's (or its industry's) class; supply method;
/// price; within `near` (searched in the R-tree) and within every `near_poi` distance. The score (see the
/// [module documentation](self)) ranks what is left; ties go to the lower parcel id.
///
/// # Examples
///
/// ```
/// use jiff::civil::date;
/// use landbank_inventory::{Inventory, InventoryParts, LandQuery, search_land};
/// let inventory = Inventory::new(InventoryParts::default()).unwrap();
/// assert!(search_land(&inventory, &LandQuery::on(date(2026, 11, 27))).is_empty());
/// ```
pub fn search_land<'a>(inventory: &'a Inventory, query: &LandQuery) -> Vec<LandMatch<'a>> {
    search_land_best(inventory, query, usize::MAX).1
}

/// The number of parcels that meet the query and the best `limit` of them, ranked as [`search_land`] ranks them:
/// every match is scored, only those returned are explained.
///
/// # Examples
///
/// ```
/// use jiff::civil::date;
/// use landbank_inventory::{Inventory, InventoryParts, LandQuery, search_land_best};
/// let inventory = Inventory::new(InventoryParts::default()).unwrap();
/// let (matched, best) = search_land_best(&inventory, &LandQuery::on(date(2026, 11, 27)), 20);
/// assert_eq!((matched, best.len()), (0, 0));
/// ```
pub fn search_land_best<'a>(inventory: &'a Inventory, query: &LandQuery, limit: usize) -> (usize, Vec<LandMatch<'a>>) {
    let class = query.required_class();
    let landmarks = Landmarks::new(inventory);
    let candidates: Vec<(&Parcel, Option<Meters>)> = match query.near {
        Some((point, radius)) => inventory.parcels_within(point, radius).map(|(p, d)| (p, Some(d))).collect(),
        None => inventory.parcels().iter().map(|p| (p, None)).collect(),
    };
    let found: Vec<_> = candidates
        .into_iter()
        .filter(|(p, _)| land_passes(p, query, class))
        .filter_map(|(p, d)| {
            let nearest = landmarks.nearest(&p.geometry);
            within_limits(&nearest, &query.near_poi).then_some((p, d, nearest))
        })
        .collect();
    let cheapest =
        found.iter().filter_map(|(p, _, _)| p.price_wan_per_mu).filter(|v| v.is_finite() && *v > 0.0).reduce(f64::min);
    let reasons = |(parcel, distance_to_point, nearest): &(&Parcel, Option<Meters>, Vec<_>), explain| {
        land_reasons(inventory, query, parcel, *distance_to_point, nearest, cheapest, explain)
    };
    let score = |reasons: &[Reason]| reasons.iter().map(|r| r.points).sum::<f64>();
    let mut ranked: Vec<(f64, usize)> =
        found.iter().enumerate().map(|(i, one)| (score(&reasons(one, false)), i)).collect();
    let order = |a: &(f64, usize), b: &(f64, usize)| b.0.total_cmp(&a.0).then(found[a.1].0.id.cmp(&found[b.1].0.id));
    if limit < ranked.len() {
        ranked.select_nth_unstable_by(limit, order);
        ranked.truncate(limit);
    }
    ranked.sort_by(order);
    let best = ranked
        .into_iter()
        .map(|(_, i)| {
            let one = &found[i];
            let reasons = reasons(one, true);
            LandMatch {
                parcel: one.0,
                score: score(&reasons),
                reasons,
                distances: one.2.iter().map(|(k, _, d)| (*k, *d)).collect(),
                distance_to_point: one.1,
            }
        })
        .collect();
    (found.len(), best)
}

fn land_reasons(
    inventory: &Inventory,
    query: &LandQuery,
    parcel: &Parcel,
    distance_to_point: Option<Meters>,
    nearest: &[(PoiKind, &Poi, Meters)],
    cheapest: Option<f64>,
    explain: bool,
) -> Vec<Reason> {
    let class = query.required_class();
    let mut reasons = Vec::new();
    match (parcel.class(), class) {
        (Some(land), Some(needs)) => {
            let steps = land as i32 - needs as i32;
            let (points, text) = if steps == 0 {
                (LAND_CLASS_POINTS, text!(explain, "class {land} land takes a class {needs} project"))
            } else {
                let above = if steps == 1 { "one class" } else { "two classes" };
                let points = if steps == 1 { LAND_CLASS_POINTS / 2.0 } else { 0.0 };
                (
                    points,
                    text!(explain, "class {land} land takes a class {needs} project ({above} above what it needs)"),
                )
            };
            reasons.push(Reason::new(ReasonCode::ClassFit, points, text));
        }
        (Some(land), None) => reasons.push(Reason::new(ReasonCode::ClassFit, 0.0, text!(explain, "class {land} land"))),
        (None, _) => {}
    }
    let area = parcel.stated_area;
    let asked_min = query.min_area.map(Mu::from);
    let asked_max = query.max_area.map(Mu::from);
    if let Some(fit) = area_fit(parcel.stated_area_m2(), query.min_area, query.max_area) {
        let text = match (asked_min, asked_max) {
            (Some(min), _) => {
                text!(
                    explain,
                    "{:.1} mu leaves {:.1} mu over the {:.1} mu asked",
                    area.0,
                    (area.0 - min.0).max(0.0),
                    min.0
                )
            }
            (None, Some(max)) => text!(explain, "{:.1} mu of the {:.1} mu at most asked", area.0, max.0),
            (None, None) => text!(explain, "{:.1} mu", area.0),
        };
        reasons.push(Reason::new(ReasonCode::AreaFit, LAND_AREA_POINTS * fit, text));
    }
    match (parcel.price_wan_per_mu, cheapest) {
        (Some(price), Some(low)) if price.is_finite() && price > 0.0 => {
            let text = if price <= low {
                text!(explain, "{price:.1} 万元/mu, the cheapest match")
            } else {
                text!(explain, "{price:.1} 万元/mu (the cheapest match asks {low:.1})")
            };
            reasons.push(Reason::new(ReasonCode::Price, LAND_PRICE_POINTS * (low / price).min(1.0), text));
        }
        _ => reasons.push(Reason::new(ReasonCode::Price, 0.0, text!(explain, "price on request"))),
    }
    if let Some(industry) = query.industry {
        let zone = inventory.zone(parcel.zone);
        let leads = zone.is_some_and(|z| z.leading_industries.contains(&industry));
        let name = zone
            .map_or_else(|| text!(explain, "zone {}", parcel.zone), |z| text!(explain, "{} ({})", z.name_en, z.code));
        let (points, text) = if leads {
            (LAND_INDUSTRY_POINTS, text!(explain, "{} is a leading industry of {name}", industry_text(industry)))
        } else {
            (0.0, text!(explain, "{} is not among the leading industries of {name}", industry_text(industry)))
        };
        reasons.push(Reason::new(ReasonCode::LeadingIndustry, points, text));
    }
    reasons.extend(distance_reasons(nearest, &query.near_poi, LAND_BRIDGE_POINTS, LAND_ROAD_POINTS, explain));
    if let (Some(d), Some((_, radius))) = (distance_to_point, query.near) {
        let fit = if radius.0 > 0.0 { (1.0 - d.0 / radius.0).clamp(0.0, 1.0) } else { 1.0 };
        let text = text!(explain, "{} from the point asked (within {})", distance_text(d), distance_text(radius));
        reasons.push(Reason::new(ReasonCode::NearPoint, LAND_POINT_POINTS * fit, text));
    }
    let method = match parcel.supply_method {
        Some(m) => text!(explain, "offered by {}", supply_text(m)),
        None => text!(explain, "supply method to be agreed (transfer or lease)"),
    };
    reasons.push(Reason::new(ReasonCode::SupplyMethod, 0.0, method));
    let from = match parcel.available_from {
        Some(d) => text!(explain, "available from {d}"),
        None => text!(explain, "available now"),
    };
    reasons.push(Reason::new(ReasonCode::AvailableFrom, 0.0, from));
    reasons
}

/// What a tenant asks of factory space. Empty lists and `None` mean "any".
///
/// # Examples
///
/// ```
/// use jiff::civil::date;
/// use landbank_inventory::{SpaceQuery, SquareMeters};
/// let query = SpaceQuery {
///     min_area: Some(SquareMeters(2_000.0)),
///     min_load_kn_m2: Some(5.0),
///     combine_adjacent: true,
///     ..SpaceQuery::on(date(2026, 11, 27))
/// };
/// assert!(!query.ground_floor_only);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SpaceQuery {
    /// Total area of an offer at least this.
    pub min_area: Option<SquareMeters>,
    /// Total area of an offer at most this.
    pub max_area: Option<SquareMeters>,
    /// Also offer adjacent units on one floor of one building, combined to reach `min_area` (at most 4).
    pub combine_adjacent: bool,
    /// Only ground-floor units.
    pub ground_floor_only: bool,
    /// Only units on this floor or below.
    pub max_floor: Option<u8>,
    /// Storey height at least this, metres.
    pub min_height_m: Option<f64>,
    /// Floor load at least this, kN/m².
    pub min_load_kn_m2: Option<f64>,
    /// Freight lift of at least this many tonnes (ground floors need none).
    pub min_lift_t: Option<f64>,
    /// Power of the whole offer at least this, kVA.
    pub min_power_kva: Option<u32>,
    /// Rent of every unit at most this, 元 per m² per month.
    pub max_rent_yuan_m2_month: Option<f64>,
    /// The day the space must be free to let.
    pub available_on: Date,
    /// Only buildings in these zones.
    pub zones: Vec<ZoneId>,
    /// Only buildings designed for one of these fire classes.
    pub fire_classes: Vec<FireClass>,
    /// Only buildings within each distance of the nearest point of interest of that kind.
    pub near_poi: Vec<(PoiKind, Meters)>,
}

impl SpaceQuery {
    /// Any space free on `date`, one unit at a time, with no other filter.
    pub fn on(date: Date) -> SpaceQuery {
        SpaceQuery {
            min_area: None,
            max_area: None,
            combine_adjacent: false,
            ground_floor_only: false,
            max_floor: None,
            min_height_m: None,
            min_load_kn_m2: None,
            min_lift_t: None,
            min_power_kva: None,
            max_rent_yuan_m2_month: None,
            available_on: date,
            zones: Vec::new(),
            fire_classes: Vec::new(),
            near_poi: Vec::new(),
        }
    }
}

/// The specs of a unit as a tenant meets them, its own values falling back to its building's where missing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnitSpecs {
    pub floor: u8,
    /// Storey height, metres.
    pub height_m: f64,
    /// Floor load, kN/m².
    pub load_kn_m2: f64,
    /// Power, kVA.
    pub power_kva: u32,
    /// Capacity of the freight lift serving the unit, tonnes; `None` when no lift serves it.
    pub lift_t: Option<f64>,
}

impl UnitSpecs {
    /// The unit's specs: its own height, load and power when stated (positive), else its building's for that
    /// floor (power: the transformer's share by area); the lift is the building's when the unit has lift access.
    pub fn of(unit: &FactoryUnit, building: &FactoryBuilding) -> UnitSpecs {
        let ground = unit.floor <= 1;
        let positive = |v: f64| (v.is_finite() && v > 0.0).then_some(v);
        let height_m =
            positive(unit.height_m).unwrap_or(if ground { building.height_1f_m } else { building.height_upper_m });
        let load_kn_m2 = positive(unit.load_kn_m2).unwrap_or(if ground {
            building.load_1f_kn_m2
        } else {
            building.load_upper_kn_m2
        });
        let power_kva = if unit.power_kva > 0 || building.gross_floor_area.0 <= 0.0 {
            unit.power_kva
        } else {
            (f64::from(building.transformer_kva) * unit.area.0 / building.gross_floor_area.0).round() as u32
        };
        let lift_t = (unit.lift_access && building.lift_count > 0 && building.lift_capacity_t > 0.0)
            .then_some(building.lift_capacity_t);
        UnitSpecs { floor: unit.floor, height_m, load_kn_m2, power_kva, lift_t }
    }

    /// Whether goods of `tonnes` reach the unit: always on the ground floor, else by a lift that carries them.
    ///
    /// # Examples
    ///
    /// ```
    /// use landbank_inventory::UnitSpecs;
    /// let upper = UnitSpecs { floor: 3, height_m: 4.8, load_kn_m2: 6.5, power_kva: 200, lift_t: Some(3.0) };
    /// assert!(upper.reachable_by(3.0) && !upper.reachable_by(5.0));
    /// let ground = UnitSpecs { floor: 1, lift_t: None, ..upper };
    /// assert!(ground.reachable_by(5.0));
    /// ```
    pub fn reachable_by(&self, tonnes: f64) -> bool {
        self.floor <= 1 || self.lift_t.is_some_and(|t| t >= tonnes)
    }
}

/// Factory space that meets a [`SpaceQuery`]: one unit, or adjacent units on one floor of one building.
#[derive(Debug, Clone, PartialEq)]
pub struct SpaceOffer<'a> {
    pub building: &'a FactoryBuilding,
    /// The units, in id order.
    pub units: Vec<&'a FactoryUnit>,
    pub floor: u8,
    pub total_area: SquareMeters,
    /// Area-weighted mean rent, 元 per m² per month.
    pub rent_yuan_m2_month: f64,
    /// Rent of the whole offer, 元 per month.
    pub rent_yuan_month: f64,
    /// The least height, load and lift and the summed power of the units.
    pub specs: UnitSpecs,
    /// The last `available_from` of the units, if any.
    pub available_from: Option<Date>,
    /// Distance from the building to the nearest point of interest of each kind, in [`PoiKind::ALL`] order.
    pub distances: Vec<(PoiKind, Meters)>,
    /// 0–100, the sum of the reasons' points.
    pub score: f64,
    pub reasons: Vec<Reason>,
}

impl SpaceOffer<'_> {
    /// Whether the offer joins several units.
    pub fn is_combined(&self) -> bool {
        self.units.len() > 1
    }

    /// The outline to draw: the unit's own outline, the union of the combined units' outlines, or the building's
    /// footprint for a whole floor without one (EPSG:4490 lon/lat).
    pub fn outline(&self) -> Geometry {
        let outlines: Vec<&Polygon> = self.units.iter().filter_map(|u| u.outline.as_ref()).collect();
        match outlines[..] {
            [] => Geometry::Polygon(self.building.footprint.clone()),
            [one] => Geometry::Polygon(one.clone()),
            [first, ..] => {
                let mut union: MultiPolygon = geo::unary_union(outlines.iter().copied());
                match union.0.len() {
                    1 => Geometry::Polygon(union.0.pop().unwrap_or_else(|| first.clone())),
                    _ => Geometry::MultiPolygon(union),
                }
            }
        }
    }
}

/// Vacant space of one building on the day asked.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildingVacancy<'a> {
    pub building: &'a FactoryBuilding,
    /// Total area of the units free on the day.
    pub vacant_area: SquareMeters,
    pub vacant_units: usize,
}

/// The answer to a [`SpaceQuery`]: offers best first, and the vacant space of every building searched.
#[derive(Debug, Clone, PartialEq)]
pub struct SpaceAnswer<'a> {
    pub offers: Vec<SpaceOffer<'a>>,
    /// Buildings in the zones, fire classes and distances asked with at least one unit free on the day, in id order,
    /// whatever the unit filters.
    pub vacancy: Vec<BuildingVacancy<'a>>,
}

fn unit_passes(unit: &FactoryUnit, specs: &UnitSpecs, query: &SpaceQuery) -> bool {
    unit.is_available_on(query.available_on)
        && (!query.ground_floor_only || unit.floor <= 1)
        && query.max_floor.is_none_or(|f| unit.floor <= f)
        && query.min_height_m.is_none_or(|h| specs.height_m >= h)
        && query.min_load_kn_m2.is_none_or(|l| specs.load_kn_m2 >= l)
        && query.min_lift_t.is_none_or(|t| specs.reachable_by(t))
        && query.max_rent_yuan_m2_month.is_none_or(|r| unit.rent_yuan_m2_month <= r)
}

/// An offer before scoring.
struct Draft<'a> {
    building: &'a FactoryBuilding,
    units: Vec<(&'a FactoryUnit, UnitSpecs)>,
}

impl Draft<'_> {
    fn area(&self) -> SquareMeters {
        self.units.iter().map(|(u, _)| u.area).sum()
    }
    fn power_kva(&self) -> u32 {
        self.units.iter().map(|(_, s)| s.power_kva).sum()
    }
    fn acceptable(&self, query: &SpaceQuery) -> bool {
        in_range(self.area(), query.min_area, query.max_area)
            && query.min_power_kva.is_none_or(|p| self.power_kva() >= p)
    }
}

/// Connected sets of up to [`MAX_COMBINED_UNITS`] adjacent bays (indices into `bays`) that are acceptable and
/// minimal: no smaller connected set inside them is acceptable on its own.
fn combinations<'a>(
    building: &'a FactoryBuilding,
    bays: &[(&'a FactoryUnit, UnitSpecs)],
    query: &SpaceQuery,
) -> Vec<Draft<'a>> {
    let adjacent: Vec<Vec<usize>> = (0..bays.len())
        .map(|i| {
            (0..bays.len())
                .filter(|&j| j != i)
                .filter(|&j| match (&bays[i].0.outline, &bays[j].0.outline) {
                    (Some(a), Some(b)) => shared_boundary(a, b, ADJACENCY_TOLERANCE).0 >= ADJACENCY_MIN_WALL.0,
                    _ => false,
                })
                .collect()
        })
        .collect();
    let draft = |set: &[usize]| Draft { building, units: set.iter().map(|&i| bays[i]).collect() };
    let max = query.max_area.map_or(f64::INFINITY, |m| m.0);
    let mut acceptable: BTreeSet<Vec<usize>> = BTreeSet::new();
    let mut seen: BTreeSet<Vec<usize>> = BTreeSet::new();
    let mut frontier: Vec<Vec<usize>> = Vec::new();
    for i in 0..bays.len() {
        let single = draft(&[i]);
        if single.acceptable(query) {
            acceptable.insert(vec![i]);
        } else if single.area().0 <= max {
            frontier.push(vec![i]);
        }
    }
    let mut found = Vec::new();
    for _size in 2..=MAX_COMBINED_UNITS {
        let mut next = Vec::new();
        for set in &frontier {
            for &i in set {
                for &j in &adjacent[i] {
                    if set.contains(&j) {
                        continue;
                    }
                    let mut grown = set.clone();
                    grown.push(j);
                    grown.sort_unstable();
                    if !seen.insert(grown.clone()) {
                        continue;
                    }
                    let candidate = draft(&grown);
                    if candidate.acceptable(query) {
                        acceptable.insert(grown.clone());
                        let minimal = proper_subsets(&grown).all(|s| !acceptable.contains(&s));
                        if minimal {
                            found.push(candidate);
                        }
                    } else if candidate.area().0 <= max {
                        next.push(grown);
                    }
                }
            }
        }
        frontier = next;
    }
    found
}

/// Every non-empty proper subset of a small set.
fn proper_subsets(set: &[usize]) -> impl Iterator<Item = Vec<usize>> + '_ {
    let full = (1_u32 << set.len()) - 1;
    (1..full).map(move |mask| set.iter().enumerate().filter(|(k, _)| mask & (1 << k) != 0).map(|(_, &i)| i).collect())
}

/// Free factory space that meets the query, best first, and the vacant space per building.
///
/// Every unit of an offer is free on `available_on` and meets the floor, height, load, lift and rent filters (its
/// specs falling back to the building's, see [`UnitSpecs::of`]); the offer's total area is in range and its
/// summed power meets `min_power_kva`. With `combine_adjacent` and a `min_area`, adjacent bays on one floor of one
/// building (outlines sharing a wall, within 0.5 m) are joined, up to 4, when no smaller set of them would do;
/// whole floors without an outline are never combined. Ties go to the smaller offer, then the lower unit id.
///
/// # Examples
///
/// ```
/// use jiff::civil::date;
/// use landbank_inventory::{Inventory, InventoryParts, SpaceQuery, search_space};
/// let inventory = Inventory::new(InventoryParts::default()).unwrap();
/// let answer = search_space(&inventory, &SpaceQuery::on(date(2026, 11, 27)));
/// assert!(answer.offers.is_empty() && answer.vacancy.is_empty());
/// ```
pub fn search_space<'a>(inventory: &'a Inventory, query: &SpaceQuery) -> SpaceAnswer<'a> {
    let landmarks = Landmarks::new(inventory);
    let mut by_building: BTreeMap<BuildingId, Vec<&'a FactoryUnit>> = BTreeMap::new();
    for unit in inventory.units() {
        by_building.entry(unit.building).or_default().push(unit);
    }
    let mut drafts: Vec<Draft<'a>> = Vec::new();
    let mut vacancy = Vec::new();
    let mut nearest_of: BTreeMap<BuildingId, Vec<(PoiKind, &'a Poi, Meters)>> = BTreeMap::new();
    for (id, units) in by_building {
        let Some(building) = inventory.building(id) else { continue };
        if !(query.zones.is_empty() || query.zones.contains(&building.zone))
            || !(query.fire_classes.is_empty() || query.fire_classes.contains(&building.fire_class))
        {
            continue;
        }
        let nearest = landmarks.nearest(&building.footprint);
        if !within_limits(&nearest, &query.near_poi) {
            continue;
        }
        let free: Vec<&FactoryUnit> = units.iter().copied().filter(|u| u.is_available_on(query.available_on)).collect();
        if free.is_empty() {
            continue;
        }
        vacancy.push(BuildingVacancy {
            building,
            vacant_area: free.iter().map(|u| u.area).sum(),
            vacant_units: free.len(),
        });
        nearest_of.insert(id, nearest);
        let eligible: Vec<(&FactoryUnit, UnitSpecs)> = free
            .into_iter()
            .map(|u| (u, UnitSpecs::of(u, building)))
            .filter(|(u, s)| unit_passes(u, s, query))
            .collect();
        for &(unit, specs) in &eligible {
            let single = Draft { building, units: vec![(unit, specs)] };
            if single.acceptable(query) {
                drafts.push(single);
            }
        }
        if query.combine_adjacent && query.min_area.is_some() {
            let mut floors: BTreeMap<u8, Vec<(&FactoryUnit, UnitSpecs)>> = BTreeMap::new();
            for &(unit, specs) in eligible.iter().filter(|(u, _)| u.outline.is_some()) {
                floors.entry(unit.floor).or_default().push((unit, specs));
            }
            for bays in floors.values().filter(|b| b.len() > 1) {
                drafts.extend(combinations(building, bays, query));
            }
        }
    }
    let rent = |d: &Draft<'_>| {
        let area = d.area().0;
        let total: f64 = d.units.iter().map(|(u, _)| u.area.0 * u.rent_yuan_m2_month).sum();
        (total, if area > 0.0 { total / area } else { 0.0 })
    };
    let cheapest = drafts.iter().map(|d| rent(d).1).filter(|r| *r > 0.0).reduce(f64::min);
    let mut offers: Vec<SpaceOffer<'a>> = drafts
        .into_iter()
        .map(|draft| {
            let (rent_yuan_month, rent_yuan_m2_month) = rent(&draft);
            let nearest = nearest_of.get(&draft.building.id).map_or(&[][..], Vec::as_slice);
            let offer_specs = UnitSpecs {
                floor: draft.units[0].1.floor,
                height_m: draft.units.iter().map(|(_, s)| s.height_m).fold(f64::INFINITY, f64::min),
                load_kn_m2: draft.units.iter().map(|(_, s)| s.load_kn_m2).fold(f64::INFINITY, f64::min),
                power_kva: draft.power_kva(),
                lift_t: draft
                    .units
                    .iter()
                    .map(|(_, s)| s.lift_t)
                    .reduce(|a, b| a.zip(b).map(|(a, b)| a.min(b)))
                    .flatten(),
            };
            let mut offer = SpaceOffer {
                building: draft.building,
                units: draft.units.iter().map(|(u, _)| *u).collect(),
                floor: offer_specs.floor,
                total_area: draft.area(),
                rent_yuan_m2_month,
                rent_yuan_month,
                specs: offer_specs,
                available_from: draft.units.iter().filter_map(|(u, _)| u.available_from).max(),
                distances: nearest.iter().map(|(k, _, d)| (*k, *d)).collect(),
                score: 0.0,
                reasons: Vec::new(),
            };
            offer.reasons = space_reasons(&offer, query, nearest, cheapest);
            offer.score = offer.reasons.iter().map(|r| r.points).sum();
            offer
        })
        .collect();
    offers.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.total_area.0.total_cmp(&b.total_area.0))
            .then(a.units[0].id.cmp(&b.units[0].id))
    });
    SpaceAnswer { offers, vacancy }
}

fn space_reasons(
    offer: &SpaceOffer<'_>,
    query: &SpaceQuery,
    nearest: &[(PoiKind, &Poi, Meters)],
    cheapest: Option<f64>,
) -> Vec<Reason> {
    let mut reasons = Vec::new();
    let area = offer.total_area.0;
    if let Some(fit) = area_fit(offer.total_area, query.min_area, query.max_area) {
        let text = match (query.min_area, query.max_area) {
            (Some(min), _) => {
                format!("{area:.0} m² leaves {:.0} m² over the {:.0} m² asked", (area - min.0).max(0.0), min.0)
            }
            (None, Some(max)) => format!("{area:.0} m² of the {:.0} m² at most asked", max.0),
            (None, None) => format!("{area:.0} m²"),
        };
        reasons.push(Reason::new(ReasonCode::AreaFit, SPACE_AREA_POINTS * fit, text));
    }
    let rent = offer.rent_yuan_m2_month;
    match cheapest {
        Some(low) if rent > 0.0 => {
            let text = if rent <= low {
                format!("{rent:.1} 元/m²/month, the cheapest offer")
            } else {
                format!("{rent:.1} 元/m²/month (the cheapest offer asks {low:.1})")
            };
            reasons.push(Reason::new(ReasonCode::Rent, SPACE_RENT_POINTS * (low / rent).min(1.0), text));
        }
        _ => reasons.push(Reason::new(ReasonCode::Rent, 0.0, format!("{rent:.1} 元/m²/month"))),
    }
    let n = offer.units.len();
    let labels: Vec<&str> = offer.units.iter().map(|u| u.label.as_str()).collect();
    let text = if n == 1 {
        format!("one unit, {}", labels[0])
    } else {
        format!("{n} adjacent units on floor {} combined: {}", offer.floor, labels.join(" + "))
    };
    reasons.push(Reason::new(ReasonCode::Units, SPACE_UNITS_POINTS / n as f64, text));
    reasons.extend(distance_reasons(nearest, &query.near_poi, SPACE_BRIDGE_POINTS, SPACE_ROAD_POINTS, true));
    let s = &offer.specs;
    let lift = match (s.floor, s.lift_t) {
        (0 | 1, _) => "ground floor, no lift needed".to_owned(),
        (_, Some(t)) => format!("{t} t freight lift"),
        (_, None) => "no freight lift".to_owned(),
    };
    let text = format!(
        "floor {}, {} m storey height, {} kN/m² floor load, {lift}, {} kVA",
        s.floor, s.height_m, s.load_kn_m2, s.power_kva
    );
    reasons.push(Reason::new(ReasonCode::Specs, 0.0, text));
    let from = offer.available_from.map_or("available now".to_owned(), |d| format!("available from {d}"));
    reasons.push(Reason::new(ReasonCode::AvailableFrom, 0.0, from));
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        BuildingStatus, Country, InventoryParts, LandUse, ParcelId, PoiId, Structure, UnitId, UnitStatus, Zone,
        ZoneKind, ZonePolicy,
    };
    use approx::assert_relative_eq;
    use geo::{LineString, polygon};
    use jiff::civil::date;

    const TODAY: Date = date(2026, 11, 27);

    fn rectangle(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon {
        polygon![(x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1)]
    }

    fn zone(id: i64, code: &str, leading: Vec<Industry>) -> Zone {
        Zone {
            id: ZoneId(id),
            code: code.to_owned(),
            name_zh: code.to_owned(),
            name_en: format!("{code} zone"),
            kind: ZoneKind::IndustrialPark,
            country: Country::Cn,
            boundary: rectangle(107.9, 21.4, 108.1, 21.6),
            planned_area: SquareMeters(1.0e6),
            leading_industries: leading,
            allowed_classes: IndustrialClass::ALL.to_vec(),
            policy: ZonePolicy::default(),
        }
    }

    /// A square parcel of about `mu` mu whose south-west corner is `x` degrees east of 108°E on 21.5°N.
    fn parcel(id: i64, zone: i64, x: f64, mu: f64, class: IndustrialClass, price: f64) -> Parcel {
        let side = SquareMeters::from(Mu(mu)).0.sqrt();
        let geometry = rectangle(108.0 + x, 21.5, 108.0 + x + side / 103_600.0, 21.5 + side / 110_700.0);
        let land_use = LandUse::industrial(class);
        let mut p = Parcel::new(ParcelId(id), &format!("T-{id}"), ZoneId(zone), geometry, Mu(mu), land_use);
        p.availability = Availability::Available;
        p.price_wan_per_mu = Some(price);
        p
    }

    fn pois() -> Vec<Poi> {
        let poi = |id: i64, kind, name: &str, geometry| Poi {
            id: PoiId(id),
            code: name.to_uppercase(),
            kind,
            name_zh: name.to_owned(),
            name_en: name.to_owned(),
            country: Country::Cn,
            geometry,
        };
        vec![
            // The freight bridge at 108°E, just south of the parcels; a north-south road at 108.05°E.
            poi(1, PoiKind::BridgeFreight, "Bridge 2", Geometry::Point(Point::new(108.0, 21.499))),
            poi(2, PoiKind::Road, "G219", Geometry::LineString(LineString::from(vec![(108.05, 21.4), (108.05, 21.6)]))),
        ]
    }

    fn land() -> Inventory {
        let parcels = vec![
            parcel(1, 1, 0.0, 45.0, IndustrialClass::II, 12.0),
            parcel(2, 1, 0.01, 80.0, IndustrialClass::III, 10.0),
            parcel(3, 2, 0.02, 42.0, IndustrialClass::II, 15.0),
            parcel(4, 1, 0.03, 50.0, IndustrialClass::I, 9.0),
            parcel(5, 1, 0.04, 20.0, IndustrialClass::II, 9.0),
            {
                let mut held = parcel(6, 1, 0.05, 44.0, IndustrialClass::II, 9.0);
                held.availability = Availability::Held;
                held
            },
            {
                let mut allocated = parcel(7, 1, 0.06, 44.0, IndustrialClass::II, 9.0);
                allocated.supply_method = Some(SupplyMethod::Allocation);
                allocated
            },
            {
                let mut later = parcel(8, 1, 0.07, 44.0, IndustrialClass::II, 9.0);
                later.available_from = Some(date(2027, 6, 1));
                later
            },
        ];
        let zones = vec![zone(1, "JP", vec![Industry::SeafoodProcessing]), zone(2, "KHQ", vec![Industry::Garment])];
        Inventory::new(InventoryParts { zones, parcels, pois: pois(), ..InventoryParts::default() }).expect("valid")
    }

    fn ids(matches: &[LandMatch<'_>]) -> Vec<i64> {
        matches.iter().map(|m| m.parcel.id.0).collect()
    }

    fn seafood() -> LandQuery {
        LandQuery {
            min_area: Some(Mu(40.0).into()),
            industry: Some(Industry::SeafoodProcessing),
            ..LandQuery::on(TODAY)
        }
    }

    #[test]
    fn a_class_ii_need_gets_only_available_class_ii_or_iii_land_big_enough() {
        let inventory = land();
        let found = search_land(&inventory, &seafood());
        let mut got = ids(&found);
        got.sort_unstable();
        // 4 is class I, 5 too small, 6 held, 7 allocated, 8 not free until June.
        assert_eq!(got, vec![1, 2, 3]);
        for m in &found {
            assert!(IndustrialClass::II.fits_on(m.parcel.class().expect("industrial")));
            assert_relative_eq!(m.score, m.reasons.iter().map(|r| r.points).sum::<f64>());
        }
    }

    #[test]
    fn the_best_few_are_the_head_of_the_whole_ranking_with_the_same_reasons() {
        let inventory = land();
        for query in [seafood(), LandQuery::on(seafood().available_on)] {
            let all = search_land(&inventory, &query);
            assert!(all.len() >= 3, "{}", all.len());
            for limit in 0..=all.len() + 1 {
                let (matched, best) = search_land_best(&inventory, &query, limit);
                assert_eq!(matched, all.len());
                assert_eq!(best, all[..limit.min(all.len())], "limit {limit}");
                assert!(best.iter().all(|m| m.reasons.iter().all(|r| !r.text.is_empty())));
            }
        }
    }

    #[test]
    fn the_closest_fit_in_a_leading_zone_ranks_first() {
        let inventory = land();
        let found = search_land(&inventory, &seafood());
        assert_eq!(ids(&found)[0], 1, "45 mu class II in a seafood zone next to the bridge");
        let first = &found[0];
        let codes: Vec<ReasonCode> = first.reasons.iter().map(|r| r.code).collect();
        for code in [ReasonCode::ClassFit, ReasonCode::AreaFit, ReasonCode::Price, ReasonCode::LeadingIndustry] {
            assert!(codes.contains(&code), "{codes:?}");
        }
        let class = first.reasons.iter().find(|r| r.code == ReasonCode::ClassFit).expect("class reason");
        assert_eq!(class.text, "class II land takes a class II project");
        assert!(found.windows(2).all(|w| w[0].score >= w[1].score));
        let bridge = first.reasons.iter().find(|r| r.code == ReasonCode::NearFreightBridge).expect("bridge reason");
        assert!(bridge.text.ends_with("m from Bridge 2"), "{}", bridge.text);
    }

    #[test]
    fn class_iii_projects_only_go_on_class_iii_land() {
        let inventory = land();
        let query = LandQuery { project_class: Some(IndustrialClass::III), ..LandQuery::on(TODAY) };
        assert_eq!(ids(&search_land(&inventory, &query)), vec![2]);
        let class_i = LandQuery { project_class: Some(IndustrialClass::I), ..LandQuery::on(TODAY) };
        assert_eq!(search_land(&inventory, &class_i).len(), 5);
    }

    #[test]
    fn a_later_date_finds_land_that_becomes_free() {
        let inventory = land();
        let query = LandQuery { available_on: date(2027, 6, 1), ..seafood() };
        assert!(ids(&search_land(&inventory, &query)).contains(&8));
    }

    #[test]
    fn allocation_land_is_never_offered_even_when_asked_for() {
        let inventory = land();
        let query = LandQuery { supply_methods: vec![SupplyMethod::Allocation], ..LandQuery::on(TODAY) };
        assert!(!ids(&search_land(&inventory, &query)).contains(&7));
    }

    #[test]
    fn zones_price_and_area_caps_narrow_the_answer() {
        let inventory = land();
        let khq = LandQuery { zones: vec![ZoneId(2)], ..seafood() };
        assert_eq!(ids(&search_land(&inventory, &khq)), vec![3]);
        let cheap = LandQuery { max_price_wan_per_mu: Some(11.0), ..seafood() };
        assert_eq!(ids(&search_land(&inventory, &cheap)), vec![2]);
        let capped = LandQuery { max_area: Some(Mu(50.0).into()), ..seafood() };
        assert!(!ids(&search_land(&inventory, &capped)).contains(&2));
    }

    #[test]
    fn distance_filters_keep_land_near_the_bridge_and_road() {
        let inventory = land();
        // Parcel 1 starts at the bridge's longitude; parcel 3 is about 2 km east.
        let near_bridge = LandQuery { near_poi: vec![(PoiKind::BridgeFreight, Meters(1_000.0))], ..seafood() };
        assert_eq!(ids(&search_land(&inventory, &near_bridge)), vec![1]);
        // Parcel 3 is about 2.9 km from the road, parcel 2 about 3.9 km, parcel 1 about 5 km.
        let near_road = LandQuery { near_poi: vec![(PoiKind::Road, Meters(3_000.0))], ..seafood() };
        assert_eq!(ids(&search_land(&inventory, &near_road)), vec![3]);
        let nearer_road = LandQuery { near_poi: vec![(PoiKind::Road, Meters(4_000.0))], ..seafood() };
        assert_eq!(ids(&search_land(&inventory, &nearer_road)), vec![2, 3], "2 is in a seafood zone, 3 is not");
        let no_port = LandQuery { near_poi: vec![(PoiKind::Port, Meters(100_000.0))], ..seafood() };
        assert!(search_land(&inventory, &no_port).is_empty(), "no port in the inventory");
        let found = search_land(&inventory, &seafood());
        let first = &found[0];
        assert_eq!(
            first.distances.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            [PoiKind::Road, PoiKind::BridgeFreight]
        );
    }

    #[test]
    fn a_radius_around_a_point_keeps_only_land_within_it() {
        let inventory = land();
        let query = LandQuery { near: Some((Point::new(108.021, 21.501), Meters(300.0))), ..seafood() };
        let found = search_land(&inventory, &query);
        assert_eq!(ids(&found), vec![3]);
        assert_eq!(found[0].distance_to_point, Some(Meters(0.0)));
        assert!(found[0].reasons.iter().any(|r| r.code == ReasonCode::NearPoint && r.points > 9.99));
    }

    fn building(id: i64, zone: i64, x: f64, floors: u8) -> FactoryBuilding {
        FactoryBuilding {
            id: BuildingId(id),
            building_no: format!("B{id}"),
            name: format!("Building {id}"),
            zone: ZoneId(zone),
            parcel: None,
            footprint: rectangle(108.0 + x, 21.5, 108.0 + x + 0.0008, 21.5003),
            structure: Structure::RcFrame,
            floors,
            gross_floor_area: SquareMeters(2_700.0 * f64::from(floors)),
            floor_plate: SquareMeters(2_700.0),
            height_1f_m: 7.0,
            height_upper_m: 4.8,
            load_1f_kn_m2: 25.0,
            load_upper_kn_m2: 6.5,
            lift_count: 1,
            lift_capacity_t: 3.0,
            transformer_kva: 1_600,
            fire_class: FireClass::Bing,
            status: BuildingStatus::Leasable,
            completion_date: None,
            operator: None,
        }
    }

    /// Bay `bay` of `bays` of a floor of the building, cut west to east.
    fn bay(id: i64, b: &FactoryBuilding, floor: u8, bay: usize, bays: usize, rent: f64) -> FactoryUnit {
        let x0 = b.footprint.exterior().0[0].x;
        let width = 0.0008 / bays as f64;
        let outline = rectangle(x0 + width * bay as f64, 21.5, x0 + width * (bay + 1) as f64, 21.5003);
        FactoryUnit {
            id: UnitId(id),
            building: b.id,
            label: format!("{}-{floor}F-{}", b.building_no, char::from(b'A' + bay as u8)),
            floor,
            outline: Some(outline),
            area: SquareMeters(2_700.0 / bays as f64),
            whole_floor: false,
            height_m: if floor == 1 { 7.0 } else { 4.8 },
            load_kn_m2: if floor == 1 { 25.0 } else { 6.5 },
            power_kva: (400 / bays) as u32,
            lift_access: true,
            rent_yuan_m2_month: rent,
            status: UnitStatus::Vacant,
            available_from: None,
            project: None,
        }
    }

    fn whole_floor(id: i64, b: &FactoryBuilding, floor: u8, rent: f64) -> FactoryUnit {
        FactoryUnit {
            label: format!("{}-{floor}F", b.building_no),
            outline: None,
            area: SquareMeters(2_700.0),
            whole_floor: true,
            height_m: 0.0,
            load_kn_m2: 0.0,
            power_kva: 0,
            ..bay(id, b, floor, 0, 1, rent)
        }
    }

    fn space() -> Inventory {
        let b1 = building(1, 1, 0.0, 3);
        let b2 = building(2, 2, 0.01, 3);
        let mut units = vec![
            // B1 floor 2: three bays of 900 m², floor 1: two bays of 1,350 m², floor 3 whole.
            bay(10, &b1, 2, 0, 3, 8.0),
            bay(11, &b1, 2, 1, 3, 8.0),
            bay(12, &b1, 2, 2, 3, 8.5),
            bay(13, &b1, 1, 0, 2, 11.0),
            bay(14, &b1, 1, 1, 2, 11.0),
            whole_floor(15, &b1, 3, 7.5),
            // B2 floor 2: four bays of 675 m², the second leased.
            bay(20, &b2, 2, 0, 4, 9.0),
            bay(21, &b2, 2, 1, 4, 9.0),
            bay(22, &b2, 2, 2, 4, 9.0),
            bay(23, &b2, 2, 3, 4, 9.0),
        ];
        units[7].status = UnitStatus::Leased;
        let zones = vec![zone(1, "BHQ", vec![Industry::Garment]), zone(2, "CL", Vec::new())];
        let parts = InventoryParts { zones, buildings: vec![b1, b2], units, pois: pois(), ..InventoryParts::default() };
        Inventory::new(parts).expect("valid")
    }

    fn unit_ids(offer: &SpaceOffer<'_>) -> Vec<i64> {
        offer.units.iter().map(|u| u.id.0).collect()
    }

    fn garment() -> SpaceQuery {
        SpaceQuery {
            min_area: Some(SquareMeters(2_000.0)),
            min_load_kn_m2: Some(5.0),
            combine_adjacent: true,
            ..SpaceQuery::on(TODAY)
        }
    }

    #[test]
    fn a_2000_m2_need_gets_whole_floors_and_adjacent_bays_combined() {
        let inventory = space();
        let answer = search_space(&inventory, &garment());
        let mut offers: Vec<Vec<i64>> = answer.offers.iter().map(unit_ids).collect();
        offers.sort();
        // B1 2F: 10+11+12 (2,700 m²); 1F: 13+14; 3F whole. B2: 22+23 is only 1,350 m², 21 is leased.
        assert_eq!(offers, vec![vec![10, 11, 12], vec![13, 14], vec![15]]);
        assert!(answer.offers.iter().all(|o| o.total_area.0 >= 2_000.0));
        assert!(answer.offers.windows(2).all(|w| w[0].score >= w[1].score));
        let whole = answer.offers.iter().find(|o| o.units[0].id.0 == 15).expect("whole floor");
        assert_relative_eq!(whole.specs.height_m, 4.8);
        assert_eq!(whole.specs.power_kva, 533, "power falls back to the transformer's share");
        assert!(matches!(whole.outline(), Geometry::Polygon(p) if p == whole.building.footprint));
        let combined = answer.offers.iter().find(|o| o.units.len() == 3).expect("combined");
        assert!(matches!(combined.outline(), Geometry::Polygon(_)), "adjacent bays union into one polygon");
        assert!(combined.reasons.iter().any(|r| r.text.starts_with("3 adjacent units on floor 2 combined")));
    }

    #[test]
    fn combinations_are_minimal_and_need_a_shared_wall() {
        let inventory = space();
        let query = SpaceQuery { min_area: Some(SquareMeters(1_300.0)), ..garment() };
        let answer = search_space(&inventory, &query);
        let offers: Vec<Vec<i64>> = answer.offers.iter().map(unit_ids).collect();
        assert!(offers.contains(&vec![10, 11]) && offers.contains(&vec![11, 12]));
        assert!(!offers.contains(&vec![10, 12]), "10 and 12 do not touch");
        assert!(!offers.contains(&vec![10, 11, 12]), "a pair already suffices");
        assert!(offers.contains(&vec![13]) && !offers.contains(&vec![13, 14]), "one bay suffices");
        assert!(offers.contains(&vec![22, 23]) && !offers.contains(&vec![20, 22]), "20 and 22 are not adjacent");
    }

    #[test]
    fn without_combining_only_single_units_are_offered() {
        let inventory = space();
        let query = SpaceQuery { combine_adjacent: false, ..garment() };
        let offers: Vec<Vec<i64>> = search_space(&inventory, &query).offers.iter().map(unit_ids).collect();
        assert_eq!(offers, vec![vec![15]]);
    }

    #[test]
    fn floor_rent_and_lift_filters_narrow_the_offers() {
        let inventory = space();
        let ground = SpaceQuery { ground_floor_only: true, ..garment() };
        let offers: Vec<Vec<i64>> = search_space(&inventory, &ground).offers.iter().map(unit_ids).collect();
        assert_eq!(offers, vec![vec![13, 14]]);
        let cheap = SpaceQuery { max_rent_yuan_m2_month: Some(8.2), ..garment() };
        let offers: Vec<Vec<i64>> = search_space(&inventory, &cheap).offers.iter().map(unit_ids).collect();
        assert_eq!(offers, vec![vec![15]], "bay 12 costs 8.5, so 10+11+12 is out");
        let heavy_lift = SpaceQuery { min_lift_t: Some(5.0), ..garment() };
        let offers: Vec<Vec<i64>> = search_space(&inventory, &heavy_lift).offers.iter().map(unit_ids).collect();
        assert_eq!(offers, vec![vec![13, 14]], "only the ground floor needs no 5 t lift");
    }

    #[test]
    fn vacancy_counts_every_free_unit_per_building() {
        let inventory = space();
        let answer = search_space(&inventory, &garment());
        let vacancy: Vec<(i64, usize, f64)> =
            answer.vacancy.iter().map(|v| (v.building.id.0, v.vacant_units, v.vacant_area.0)).collect();
        assert_eq!(vacancy, vec![(1, 6, 8_100.0), (2, 3, 2_025.0)]);
    }

    #[test]
    fn an_offer_ranks_cheaper_and_closer_fits_first() {
        let inventory = space();
        let answer = search_space(&inventory, &garment());
        let first = &answer.offers[0];
        assert_eq!(unit_ids(first), vec![15], "the cheapest single whole floor");
        assert_relative_eq!(first.score, first.reasons.iter().map(|r| r.points).sum::<f64>());
        assert_relative_eq!(first.rent_yuan_month, 2_700.0 * 7.5);
    }
}
