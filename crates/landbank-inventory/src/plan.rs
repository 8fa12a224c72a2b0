//! Allocation plans (配置方案): whether a project belongs on its own land or in standard-factory space, how much it
//! needs, and ranked candidates to meet the need — a whole parcel, a piece carved off a larger one, neighbouring
//! parcels assembled, or factory units — each with a score breakdown and the land-control checks it must pass.
//!
//! # Route and land need
//!
//! The land an investment supports is `fixed-asset investment ÷ the zone's minimum investment intensity`
//! (万元 ÷ 万元/mu, [`intensity_min_wan_per_mu`]): the preferred zone's minimum when the need names a zone, else
//! each zone's own. A project whose land need is below the zone's [`factory_routing_max_mu`] goes to standard
//! factories (原则上不单独供地) — without a preferred zone, when that holds in every zone — unless the need states
//! its land explicitly (`land_mu`). Factory space is sought for the process floor area, or else for the floor area
//! the land need would carry at the zone's minimum plot ratio.
//!
//! [`intensity_min_wan_per_mu`]: crate::ZonePolicy::intensity_min_wan_per_mu
//! [`factory_routing_max_mu`]: crate::ZonePolicy::factory_routing_max_mu
//!
//! # Candidates
//!
//! Land candidates are available on the day, never supplied by allocation (划拨), and of a class that takes the
//! project's class (I fits I/II/III land, II fits II/III, III only III).
//!
//! - **single** — a parcel at least as large as the need, best fit first (the least leftover).
//! - **carved** — a piece of exactly the need cut off a parcel that exceeds it by at least the zone's minimum lot,
//!   so the remainder stays a lot the zone can supply; cut across the road frontage when the parcel has one
//!   ([`frontage`], [`carve`]). Only the few best-fitting parcels are cut; parcels the cut would leave in parts
//!   or as slivers are skipped.
//! - **assembled** — 2 or 3 touching parcels of one zone and land use that together cover the need, none of
//!   them alone and no two of a three covering it, least excess first. Parcels touch when their boundaries run
//!   together, within [`TOUCH_TOLERANCE`], for at least [`ASSEMBLY_MIN_FRONT`] (a shared corner is not enough), and
//!   a set is offered only when its union is one valid polygon: what [`merge`](crate::lineage::merge) joins as it
//!   is. Plots of one block drawn with setbacks between them are not assembled: the strips between them are no
//!   parcel's land.
//! - **units** — free factory units of at least the floor area, single or adjacent bays combined (see
//!   [`search_space`]), meeting the floor load and power asked, in buildings whose zone takes the class.
//!
//! # Scores
//!
//! A candidate's score in `[0, 1]` is the sum of `weight × value` over its breakdown; the weights add up to 1 and
//! every value is in `[0, 1]`. Components that do not apply to a need (no preferred zone, no point) are 0 for every
//! candidate, so they never change the order.
//!
//! | land criterion | weight | value |
//! |---|---|---|
//! | `area_fit` | 0.25 | need ÷ area (1 for an exact fit) |
//! | `price` | 0.15 | cheapest candidate's price ÷ this price (0 on request) |
//! | `leading_industry` | 0.15 | 1 when the zone leads in the project's industry |
//! | `compliance` | 0.10 | share of the checks passed |
//! | `preferred_zone` | 0.10 | 1 in the zone asked for |
//! | `freight_bridge` | 0.10 | 2 km ÷ (2 km + distance to the freight bridge) |
//! | `road` | 0.05 | 500 m ÷ (500 m + distance to a main road) |
//! | `near` | 0.05 | 1 km ÷ (1 km + distance to the point asked) |
//! | `ready` | 0.05 | 1 for a parcel as it is, 1/2 carved, 1/n for n parcels assembled |
//!
//! | space criterion | weight | value |
//! |---|---|---|
//! | `area_fit` | 0.30 | floor need ÷ area |
//! | `rent` | 0.25 | cheapest candidate's rent ÷ this rent |
//! | `leading_industry` | 0.10 | as for land |
//! | `ready` | 0.10 | 1/n for n units |
//! | `preferred_zone` | 0.05 | as for land |
//! | `freight_bridge`, `road`, `near` | 0.10, 0.05, 0.05 | as for land |
//!
//! # Checks
//!
//! Land candidates carry `intensity` (investment ÷ area against the zone's minimum), `class`, `plot_ratio` (floor
//! area ÷ land area against the parcel's or zone's minimum, when the floor area is given), `coverage`,
//! `admin_share` and `green_share`; assembled ones also `contiguous` (the boundaries they share). What cannot be
//! computed from a need is stated as the limit the project must keep, and passes. Unit candidates carry `class`,
//! `load` and `power`.
//!
//! # Units and coordinates
//!
//! Areas are [`SquareMeters`] (registered areas for whole parcels, geodesic for carved pieces), land needs
//! [`Mu`], money [`Wan`], distances [`Meters`] in a local frame, geometry EPSG:4490 lon/lat.

use std::collections::{BTreeMap, BTreeSet};

use geo::{Geometry, MultiPolygon, Point, Polygon, Validation};

use crate::code::coded_enum;
use crate::{
    BBox, BuildingId, CarveDirection, Date, IndustrialClass, Industry, Inventory, Meters, Mu, Parcel, ParcelId, Poi,
    PoiKind, Project, SliverPolicy, SpaceOffer, SpaceQuery, SquareMeters, SupplyMethod, UnitId, Wan, Zone, ZoneId,
    ZoneKind, carve, distance_to_geometry, distance_to_polygon, frontage, search_space, shared_boundary,
};

/// The most candidates a plan returns.
pub const MAX_CANDIDATES: usize = 20;
/// Boundaries of two parcels this close to each other run together: the parcels touch, and a merge joins them as
/// they are (a centimetre of coordinate rounding and then some).
pub const TOUCH_TOLERANCE: Meters = Meters(0.5);
/// The shortest boundary two parcels must share to be assembled (less is a corner).
pub const ASSEMBLY_MIN_FRONT: Meters = Meters(20.0);

/// Whole parcels considered, best fit first.
const MAX_SINGLES: usize = 12;
/// Carved pieces offered, and parcels tried for them.
const MAX_CARVED: usize = 5;
const MAX_CARVE_ATTEMPTS: usize = 10;
/// Assembled sets offered, and parcels they may start from.
const MAX_ASSEMBLED: usize = 5;
const MAX_ASSEMBLY_SEEDS: usize = 64;
/// Factory offers considered, best fit first.
const MAX_UNIT_OFFERS: usize = 30;
/// A road within this distance of a parcel edge makes that edge its frontage (as for `POST /parcels/{id}/split`).
const FRONTAGE_WITHIN: Meters = Meters(30.0);
/// Radii searched around the point asked, before the whole park.
const SEARCH_RADII_M: [f64; 3] = [2_000.0, 5_000.0, 15_000.0];
/// A search scope with this many parcels at least as large as their need is wide enough.
const ENOUGH_FITS: usize = 12;

/// Distances at which the closeness values halve.
const BRIDGE_HALF_M: f64 = 2_000.0;
const ROAD_HALF_M: f64 = 500.0;
const NEAR_HALF_M: f64 = 1_000.0;

coded_enum! {
    /// Where a plan sends a project.
    Route ("route") {
        /// Land of its own: whole, carved or assembled parcels.
        Land = "land",
        /// Standard-factory space: units to lease.
        Factory = "factory",
    }
}

coded_enum! {
    /// What a candidate offers.
    CandidateKind ("candidate kind") {
        /// One available parcel as it is.
        Single = "single",
        /// A piece of exactly the need cut off a larger parcel.
        Carved = "carved",
        /// Neighbouring parcels taken together.
        Assembled = "assembled",
        /// One factory unit, or adjacent units on one floor.
        Units = "units",
    }
}

/// What a project needs: its industry, investment and process, and where it would like to be.
///
/// # Units
///
/// `fixed_asset_investment` in 万元 (plant, equipment and land price), `floor_area` the process floor area in m²,
/// `power_kva` in kVA, `min_load_kn_m2` in kN/m², `near` EPSG:4490 lon/lat, `land_mu` in mu.
///
/// # Examples
///
/// ```
/// use landbank_inventory::{IndustrialClass, Industry, Need, Wan};
/// let need = Need::new(Industry::SeafoodProcessing, Wan(15_000.0));
/// assert_eq!(need.class(), IndustrialClass::II);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    pub industry: Industry,
    /// The project's class; the industry's typical class when `None`.
    pub class: Option<IndustrialClass>,
    pub fixed_asset_investment: Wan,
    pub employees: Option<u32>,
    /// Process floor area (GFA) the project needs.
    pub floor_area: Option<SquareMeters>,
    pub power_kva: Option<u32>,
    pub min_load_kn_m2: Option<f64>,
    /// The zone whose policy sets the land need; its land is searched first and scores higher.
    pub preferred_zone: Option<ZoneId>,
    /// A point the project would like to be near; land around it is searched first.
    pub near: Option<Point>,
    /// Land asked for explicitly, overriding the need the investment supports and the routing to factories.
    pub land_mu: Option<Mu>,
}

impl Need {
    /// A need of `industry` with `fixed_asset_investment`, nothing else stated.
    pub fn new(industry: Industry, fixed_asset_investment: Wan) -> Need {
        Need {
            industry,
            class: None,
            fixed_asset_investment,
            employees: None,
            floor_area: None,
            power_kva: None,
            min_load_kn_m2: None,
            preferred_zone: None,
            near: None,
            land_mu: None,
        }
    }

    /// The need of a signed project: its industry, class, fixed-asset investment, employees, power and zone.
    pub fn for_project(project: &Project) -> Need {
        Need {
            class: Some(project.required_class),
            employees: (project.employees > 0).then_some(project.employees),
            power_kva: (project.power_need_kva > 0).then_some(project.power_need_kva),
            preferred_zone: project.zone,
            ..Need::new(project.industry, project.fixed_asset_investment)
        }
    }

    /// The class the project needs: the one stated, else its industry's typical class.
    pub fn class(&self) -> IndustrialClass {
        self.class.unwrap_or_else(|| self.industry.typical_class())
    }

    fn validate(&self) -> Result<(), PlanError> {
        let wan = self.fixed_asset_investment.0;
        if !(wan.is_finite() && wan > 0.0) {
            return Err(PlanError::NonPositiveInvestment { wan });
        }
        let areas = [("land_mu", self.land_mu.map(|m| m.0)), ("floor_area", self.floor_area.map(|a| a.0))];
        for (field, value) in areas {
            if let Some(value) = value.filter(|v| !(v.is_finite() && *v > 0.0)) {
                return Err(PlanError::NonPositiveArea { field, value });
            }
        }
        if let Some(value) = self.min_load_kn_m2.filter(|v| !(v.is_finite() && *v >= 0.0)) {
            return Err(PlanError::Negative { field: "min_load_kn_m2", value });
        }
        if let Some(p) = self.near
            && !((-180.0..=180.0).contains(&p.x()) && (-90.0..=90.0).contains(&p.y()))
        {
            return Err(PlanError::InvalidPoint { lon: p.x(), lat: p.y() });
        }
        Ok(())
    }
}

/// Why no plan can be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    #[error("the fixed-asset investment must be a positive number of 万元, got {wan}")]
    NonPositiveInvestment { wan: f64 },
    #[error("the {field} must be a positive area, got {value}")]
    NonPositiveArea { field: &'static str, value: f64 },
    #[error("the {field} must be a number of at least 0, got {value}")]
    Negative { field: &'static str, value: f64 },
    #[error("({lon}, {lat}) is not a longitude and latitude in degrees")]
    InvalidPoint { lon: f64, lat: f64 },
    #[error("zone {0} does not exist")]
    UnknownZone(ZoneId),
    #[error("the inventory has no zone with a land policy (a positive minimum investment intensity) to plan with")]
    NoZonePolicy,
}

/// One component of a candidate's score: `weight × value` of it adds to the score.
#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    pub name: &'static str,
    pub weight: f64,
    /// In `[0, 1]`.
    pub value: f64,
}

/// A land-control or fit check (`intensity`, `class`, `plot_ratio`, `coverage`, `admin_share`, `green_share`,
/// `contiguous`, `load`, `power`), with what was compared in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub name: &'static str,
    pub passed: bool,
    pub detail: String,
}

/// How a carved candidate is cut: `POST /parcels/{parent}/split` with the need and `sweep_bearing_deg` makes it.
#[derive(Debug, Clone, PartialEq)]
pub struct CarvedPiece {
    pub parent: ParcelId,
    /// The piece, EPSG:4490 lon/lat, for previews.
    pub outline: Polygon,
    /// Geodesic area of what stays of the parent.
    pub remainder_area: SquareMeters,
    /// Compass bearing toward which the cut line moved (see [`crate::Carve::sweep_bearing_deg`]).
    pub sweep_bearing_deg: f64,
    /// Whether the cut runs across the parent's road frontage, so both parts keep it.
    pub along_frontage: bool,
}

/// One way to meet the need, with its score and checks.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub kind: CandidateKind,
    /// The parcels involved (the parent of a carved piece), in id order; empty for units.
    pub parcels: Vec<ParcelId>,
    /// The units involved, in id order; empty for land.
    pub units: Vec<UnitId>,
    pub zone: ZoneId,
    /// The building of the units.
    pub building: Option<BuildingId>,
    /// Land: registered area of the parcels, or the carved piece's geodesic area. Units: their total floor area.
    pub area: SquareMeters,
    /// The need it is fitted to: land in the zone's terms, or the floor area.
    pub need: SquareMeters,
    /// `area − need`, at least 0.
    pub leftover: SquareMeters,
    /// In `[0, 1]`: the sum of `weight × value` over `breakdown`.
    pub score: f64,
    pub breakdown: Vec<Criterion>,
    pub checks: Vec<Check>,
    /// The outline to draw: the parcel, the carved piece, the parcels together, the units' outlines.
    pub geometry: Geometry,
    pub carve: Option<CarvedPiece>,
}

/// The land an investment supports in one zone, at its minimum intensity.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneNeed {
    pub zone: ZoneId,
    pub land_need: Mu,
    pub intensity_min_wan_per_mu: f64,
    pub factory_routing_max_mu: f64,
}

/// Where a project should go and the best candidates to put it there.
#[derive(Debug, Clone, PartialEq)]
pub struct AllocationPlan {
    pub route: Route,
    /// Why this route, in English.
    pub reason: String,
    /// The class the project needs.
    pub class: IndustrialClass,
    /// The land need: the one stated, else the preferred zone's, else the most any zone's minimum supports.
    pub land_need: Mu,
    /// The land the investment supports in each zone that could take the project.
    pub zone_needs: Vec<ZoneNeed>,
    /// The floor area sought in factory space (factory route only).
    pub floor_area_need: Option<SquareMeters>,
    pub available_on: Date,
    /// Best first, at most [`MAX_CANDIDATES`].
    pub candidates: Vec<Candidate>,
}

/// Plans where a need goes and ranks the candidates to meet it, as free on `on`.
///
/// See the [module documentation](self) for the route, the candidates, the score and the checks. The search uses
/// the R-tree: around `near` first (2, 5, then 15 km), else in the preferred zone, widening to the whole park only
/// when the scope holds too few parcels that fit; at most a few parcels are carved.
///
/// # Errors
///
/// A [`PlanError`] for a fixed-asset investment or an area that is not positive, a negative floor load, a point
/// off the globe, an unknown preferred zone, or an inventory without a zone policy.
///
/// # Examples
///
/// ```
/// use geo::polygon;
/// use jiff::civil::date;
/// use landbank_inventory::{
///     Availability, Country, IndustrialClass, Industry, Inventory, InventoryParts, LandUse, Mu, Need, Parcel,
///     ParcelId, Route, SquareMeters, Wan, Zone, ZoneId, ZoneKind, ZonePolicy, plan,
/// };
/// let outline = polygon![(x: 108.08, y: 21.59), (x: 108.083, y: 21.59),
///                        (x: 108.083, y: 21.591_8), (x: 108.08, y: 21.591_8)];
/// let zone = Zone {
///     id: ZoneId(1), code: "JP".into(), name_zh: "江平".into(), name_en: "Jiangping".into(),
///     kind: ZoneKind::IndustrialPark, country: Country::Cn, boundary: outline.clone(),
///     planned_area: SquareMeters(1.0e6), leading_industries: vec![Industry::SeafoodProcessing],
///     allowed_classes: IndustrialClass::ALL.to_vec(), policy: ZonePolicy::default(),
/// };
/// let class_ii = LandUse::industrial(IndustrialClass::II);
/// let mut parcel = Parcel::new(ParcelId(1), "JP-01", ZoneId(1), outline, Mu(93.0), class_ii);
/// parcel.availability = Availability::Available;
/// let parts = InventoryParts { zones: vec![zone], parcels: vec![parcel], ..InventoryParts::default() };
/// let inventory = Inventory::new(parts).unwrap();
///
/// // 15,000 万元 at 250 万元/mu supports 60 mu: land, the whole parcel or a 60-mu piece of it.
/// let need = Need::new(Industry::SeafoodProcessing, Wan(15_000.0));
/// let land = plan(&inventory, &need, date(2026, 11, 27)).unwrap();
/// assert_eq!(land.route, Route::Land);
/// assert!((land.land_need.0 - 60.0).abs() < 1e-9);
/// assert!(land.candidates.iter().any(|c| (c.area.to_mu().0 - 60.0).abs() <= 0.001));
///
/// // 800 万元 supports 3.2 mu, below the 15 mu that warrants land of its own: standard factories.
/// let small = Need::new(Industry::Garment, Wan(800.0));
/// assert_eq!(plan(&inventory, &small, date(2026, 11, 27)).unwrap().route, Route::Factory);
/// ```
pub fn plan(inventory: &Inventory, need: &Need, on: Date) -> Result<AllocationPlan, PlanError> {
    need.validate()?;
    let preferred = match need.preferred_zone {
        Some(id) => Some(inventory.zone(id).ok_or(PlanError::UnknownZone(id))?),
        None => None,
    };
    let class = need.class();
    let investment = need.fixed_asset_investment.0;
    let supported = |z: &Zone| Mu(investment / z.policy.intensity_min_wan_per_mu);
    let zones = considered_zones(inventory, class);
    let policy_zone = preferred.filter(|z| has_policy(z));
    let reference = policy_zone
        .or_else(|| {
            zones.iter().copied().max_by(|a, b| supported(a).0.total_cmp(&supported(b).0).then(b.id.cmp(&a.id)))
        })
        .ok_or(PlanError::NoZonePolicy)?;
    let zone_needs: Vec<ZoneNeed> = zones
        .iter()
        .map(|z| ZoneNeed {
            zone: z.id,
            land_need: supported(z),
            intensity_min_wan_per_mu: z.policy.intensity_min_wan_per_mu,
            factory_routing_max_mu: z.policy.factory_routing_max_mu,
        })
        .collect();
    let land_need = need.land_mu.unwrap_or_else(|| supported(reference));
    let (route, reason) = route(need, policy_zone, reference, &zones);

    let mut planner = Planner {
        inventory,
        need,
        class,
        on,
        preferred,
        bridges: inventory.pois().iter().filter(|p| p.kind == PoiKind::BridgeFreight).collect(),
        roads: inventory.pois().iter().filter(|p| p.kind == PoiKind::Road).collect(),
        land_needs: BTreeMap::new(),
    };
    let (mut candidates, floor_area_need, reason) = match route {
        Route::Land => {
            for zone in inventory.zones().iter().filter(|z| has_policy(z)) {
                let need_here = match (need.land_mu, policy_zone) {
                    (Some(mu), _) => Some(mu),
                    (None, Some(z)) => Some(supported(z)),
                    // A zone where the investment supports less than its threshold for land sends it to factories.
                    (None, None) => Some(supported(zone)).filter(|mu| mu.0 >= zone.policy.factory_routing_max_mu),
                };
                if let Some(mu) = need_here {
                    planner.land_needs.insert(zone.id, (zone, mu.into()));
                }
            }
            (planner.land_candidates(), None, reason)
        }
        Route::Factory => {
            let floor = need.floor_area.unwrap_or_else(|| {
                SquareMeters(land_need.to_square_meters().0 * reference.policy.plot_ratio_min.max(0.0))
            });
            let candidates = planner.space_candidates(floor);
            let reason = if need.floor_area.is_some() {
                format!("{reason}; {:.0} m² of floor area asked", floor.0)
            } else {
                format!(
                    "{reason}; {:.0} m² of floor area: {:.1} mu at {}'s minimum plot ratio of {}",
                    floor.0,
                    land_need.0,
                    reference.code,
                    limit_text(reference.policy.plot_ratio_min, 2)
                )
            };
            let reason = if candidates.is_empty() {
                format!("{reason}; no free factory space meets the need — state `land_mu` to plan land instead")
            } else {
                reason
            };
            (candidates, Some(floor), reason)
        }
    };
    candidates.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.leftover.0.total_cmp(&b.leftover.0))
            .then(a.kind.cmp(&b.kind))
            .then(first_id(a).cmp(&first_id(b)))
    });
    candidates.truncate(MAX_CANDIDATES);
    Ok(AllocationPlan { route, reason, class, land_need, zone_needs, floor_area_need, available_on: on, candidates })
}

fn has_policy(zone: &Zone) -> bool {
    let min = zone.policy.intensity_min_wan_per_mu;
    min.is_finite() && min > 0.0
}

/// The zones whose policy can set a land need: those with a policy that take the class, not the counterpart park
/// across the border; failing that, any zone with a policy.
fn considered_zones(inventory: &Inventory, class: IndustrialClass) -> Vec<&Zone> {
    let with_policy = || inventory.zones().iter().filter(|z| has_policy(z));
    let fitting: Vec<&Zone> =
        with_policy().filter(|z| z.kind != ZoneKind::TwinParkCounterpart && takes_class(z, class)).collect();
    if fitting.is_empty() { with_policy().collect() } else { fitting }
}

/// Whether the zone takes projects of the class (a zone that lists no classes takes any).
fn takes_class(zone: &Zone, class: IndustrialClass) -> bool {
    zone.allowed_classes.is_empty() || zone.allowed_classes.iter().any(|&land| class.fits_on(land))
}

/// The route and why.
fn route(need: &Need, policy_zone: Option<&Zone>, reference: &Zone, zones: &[&Zone]) -> (Route, String) {
    let investment = need.fixed_asset_investment.0;
    let supported = |z: &Zone| investment / z.policy.intensity_min_wan_per_mu;
    let threshold = |z: &Zone| z.policy.factory_routing_max_mu;
    if let Some(mu) = need.land_mu {
        return (
            Route::Land,
            format!(
                "{:.3} mu of land asked for; {investment:.0} 万元 of fixed-asset investment over it is {:.1} 万元/mu",
                mu.0,
                investment / mu.0
            ),
        );
    }
    let supports = |z: &Zone| {
        format!(
            "{investment:.0} 万元 of fixed-asset investment at {}'s minimum intensity of {} 万元/mu supports {:.1} mu",
            z.code,
            limit_text(z.policy.intensity_min_wan_per_mu, 1),
            supported(z)
        )
    };
    if let Some(z) = policy_zone {
        return if supported(z) < threshold(z) {
            (
                Route::Factory,
                format!(
                    "{}, below its {} mu threshold for land of its own: standard-factory space (原则上不单独供地)",
                    supports(z),
                    threshold(z)
                ),
            )
        } else {
            (Route::Land, format!("{}, at least its {} mu threshold for land of its own", supports(z), threshold(z)))
        };
    }
    if zones.iter().all(|z| supported(z) < threshold(z)) {
        (
            Route::Factory,
            format!(
                "{}, the most of any zone, below every zone's threshold for land of its own: standard-factory space \
                 (原则上不单独供地)",
                supports(reference)
            ),
        )
    } else {
        (
            Route::Land,
            format!(
                "{}, the most of any zone; in each zone the need is the land its own minimum supports, where that \
                 reaches its threshold for land of its own",
                supports(reference)
            ),
        )
    }
}

fn first_id(c: &Candidate) -> i64 {
    c.parcels.first().map(|p| p.0).or_else(|| c.units.first().map(|u| u.0)).unwrap_or(i64::MAX)
}

/// `1` at distance 0, `1/2` at `half`, towards 0 far away.
fn closeness(d: Meters, half: f64) -> f64 {
    half / (half + d.0.max(0.0))
}

/// A limit as people write it: at most `decimals` decimals, no trailing zeros (`0.9`, not `0.8999999999999999`).
fn limit_text(v: f64, decimals: i32) -> String {
    let k = 10_f64.powi(decimals);
    format!("{}", (v * k).round() / k)
}

fn distance_text(d: Meters) -> String {
    if d.0 < 1_000.0 { format!("{:.0} m", d.0) } else { format!("{:.1} km", d.0 / 1_000.0) }
}

/// An available parcel that could serve the need, with its zone and the need in that zone.
#[derive(Debug, Clone, Copy)]
struct Eligible<'a> {
    parcel: &'a Parcel,
    zone: &'a Zone,
    need: SquareMeters,
}

impl Eligible<'_> {
    fn area(&self) -> SquareMeters {
        self.parcel.stated_area_m2()
    }
    fn fits(&self) -> bool {
        self.area().0 >= self.need.0
    }
}

/// Land candidates before scoring.
struct Draft<'a> {
    kind: CandidateKind,
    parcels: Vec<&'a Parcel>,
    zone: &'a Zone,
    area: SquareMeters,
    need: SquareMeters,
    carve: Option<CarvedPiece>,
}

impl Draft<'_> {
    /// The land price, 万元 per mu: area-weighted over assembled parcels, when every one has a price.
    fn price(&self) -> Option<f64> {
        let priced: Option<Vec<(f64, f64)>> = self
            .parcels
            .iter()
            .map(|p| p.price_wan_per_mu.filter(|v| v.is_finite() && *v > 0.0).map(|v| (v, p.stated_area.0)))
            .collect();
        let priced = priced?;
        let area: f64 = priced.iter().map(|(_, a)| a).sum();
        (area > 0.0).then(|| priced.iter().map(|(v, a)| v * a).sum::<f64>() / area)
    }

    fn outlines(&self) -> Vec<&Polygon> {
        match &self.carve {
            Some(piece) => vec![&piece.outline],
            None => self.parcels.iter().map(|p| &p.geometry).collect(),
        }
    }
}

struct Planner<'a> {
    inventory: &'a Inventory,
    need: &'a Need,
    class: IndustrialClass,
    on: Date,
    preferred: Option<&'a Zone>,
    bridges: Vec<&'a Poi>,
    roads: Vec<&'a Poi>,
    /// The land need in each zone that offers land for it.
    land_needs: BTreeMap<ZoneId, (&'a Zone, SquareMeters)>,
}

impl<'a> Planner<'a> {
    /// The parcel as a candidate, if it is free on the day, not 划拨, of a class that takes the project's, in a
    /// zone that offers land for the need.
    fn eligible(&self, parcel: &'a Parcel) -> Option<Eligible<'a>> {
        let free = parcel.is_available_on(self.on) && parcel.supply_method != Some(SupplyMethod::Allocation);
        if !free || !parcel.class().is_some_and(|land| self.class.fits_on(land)) {
            return None;
        }
        let &(zone, need) = self.land_needs.get(&parcel.zone)?;
        Some(Eligible { parcel, zone, need })
    }

    /// Eligible parcels around the point asked, else in the preferred zone, else in the whole park: the first
    /// scope with enough parcels that fit.
    fn pool(&self) -> Vec<Eligible<'a>> {
        let enough = |pool: &[Eligible<'a>]| pool.iter().filter(|e| e.fits()).count() >= ENOUGH_FITS;
        if let Some(point) = self.need.near {
            for radius in SEARCH_RADII_M {
                let found: Vec<Eligible<'a>> = self
                    .inventory
                    .parcels_within(point, Meters(radius))
                    .filter_map(|(p, _)| self.eligible(p))
                    .collect();
                if enough(&found) {
                    return found;
                }
            }
        } else if let Some(zone) = self.preferred
            && let Some(bbox) = BBox::of_polygon(&zone.boundary)
        {
            let found: Vec<Eligible<'a>> = self
                .inventory
                .parcels_in_bbox(bbox)
                .filter(|p| p.zone == zone.id)
                .filter_map(|p| self.eligible(p))
                .collect();
            if enough(&found) {
                return found;
            }
        }
        self.inventory.parcels().iter().filter_map(|p| self.eligible(p)).collect()
    }

    fn land_candidates(&self) -> Vec<Candidate> {
        if self.land_needs.is_empty() {
            return Vec::new();
        }
        let pool = self.pool();
        let mut drafts = singles(&pool);
        drafts.extend(self.carved(&pool));
        drafts.extend(self.assembled(&pool));
        let cheapest = drafts.iter().filter_map(Draft::price).reduce(f64::min);
        drafts.iter().map(|d| self.land_candidate(d, cheapest)).collect()
    }

    /// Pieces of exactly the need cut off the best-fitting parcels that leave at least a minimum lot.
    fn carved(&self, pool: &[Eligible<'a>]) -> Vec<Draft<'a>> {
        let mut sources: Vec<&Eligible<'a>> = pool
            .iter()
            .filter(|e| e.area().0 >= e.need.0 + SquareMeters::from(Mu(e.zone.policy.min_lot_mu.max(0.0))).0)
            .collect();
        sources.sort_by(|a, b| a.area().0.total_cmp(&b.area().0).then(a.parcel.id.cmp(&b.parcel.id)));
        let policy = SliverPolicy::default();
        let mut drafts = Vec::new();
        for e in sources.into_iter().take(MAX_CARVE_ATTEMPTS) {
            if drafts.len() == MAX_CARVED {
                break;
            }
            let target = Mu::from(e.need);
            let along = frontage(self.inventory, e.parcel, FRONTAGE_WITHIN)
                .and_then(|edge| carve(&e.parcel.geometry, target, CarveDirection::Frontage { edge }, &policy).ok());
            let (cut, along_frontage) = match along {
                Some(cut) => (cut, true),
                None => match carve(&e.parcel.geometry, target, CarveDirection::Auto, &policy) {
                    Ok(cut) => (cut, false),
                    Err(_) => continue,
                },
            };
            drafts.push(Draft {
                kind: CandidateKind::Carved,
                parcels: vec![e.parcel],
                zone: e.zone,
                area: cut.piece_area,
                need: e.need,
                carve: Some(CarvedPiece {
                    parent: e.parcel.id,
                    outline: cut.piece,
                    remainder_area: cut.remainder_area,
                    sweep_bearing_deg: cut.sweep_bearing_deg,
                    along_frontage,
                }),
            });
        }
        drafts
    }

    /// Eligible parcels smaller than their need that touch a parcel, in the same zone and land use, in id order.
    fn neighbours(&self, of: &Eligible<'a>) -> Vec<Eligible<'a>> {
        let Some(bbox) = BBox::of_polygon(&of.parcel.geometry) else { return Vec::new() };
        let mut found: Vec<Eligible<'a>> = self
            .inventory
            .parcels_in_bbox(bbox.expanded_by(TOUCH_TOLERANCE.0))
            .filter(|p| p.id != of.parcel.id && p.zone == of.parcel.zone && p.land_use == of.parcel.land_use)
            .filter_map(|p| self.eligible(p))
            .filter(|e| !e.fits() && touching(&of.parcel.geometry, &e.parcel.geometry))
            .collect();
        found.sort_by_key(|e| e.parcel.id);
        found
    }

    /// Sets of 2 or 3 touching parcels, each smaller than the need, that cover it with no smaller subset covering
    /// it and whose union is one valid polygon; least excess first. Starts from the largest parcels below the
    /// need (a set of three covering it has one of at least a third of it) and looks only at the parcels touching
    /// them, found in the R-tree.
    fn assembled(&self, pool: &[Eligible<'a>]) -> Vec<Draft<'a>> {
        let mut seeds: Vec<&Eligible<'a>> = pool.iter().filter(|e| !e.fits() && e.area().0 * 3.0 >= e.need.0).collect();
        seeds.sort_by(|a, b| b.area().0.total_cmp(&a.area().0).then(a.parcel.id.cmp(&b.parcel.id)));
        let mut cache: BTreeMap<ParcelId, Vec<Eligible<'a>>> = BTreeMap::new();
        let mut neighbours_of =
            |e: &Eligible<'a>| cache.entry(e.parcel.id).or_insert_with(|| self.neighbours(e)).clone();
        let mut sets: BTreeMap<Vec<ParcelId>, Vec<Eligible<'a>>> = BTreeMap::new();
        for seed in seeds.into_iter().take(MAX_ASSEMBLY_SEEDS) {
            let need = seed.need.0;
            let area = |set: &[&Eligible<'a>]| set.iter().map(|e| e.area().0).sum::<f64>();
            let around_seed = neighbours_of(seed);
            for first in &around_seed {
                if area(&[seed, first]) >= need {
                    let ids = set_ids(&[seed, first]);
                    sets.entry(ids).or_insert_with(|| vec![*seed, *first]);
                    continue;
                }
                let mut around: Vec<Eligible<'a>> = around_seed.clone();
                around.extend(neighbours_of(first));
                for second in &around {
                    let ids = set_ids(&[seed, first, second]);
                    let distinct = ids.len() == 3;
                    let minimal = area(&[seed, second]) < need && area(&[first, second]) < need;
                    if distinct && minimal && area(&[seed, first, second]) >= need {
                        sets.entry(ids).or_insert_with(|| vec![*seed, *first, *second]);
                    }
                }
            }
        }
        let mut sets: Vec<Vec<Eligible<'a>>> = sets.into_values().filter(|set| merges(set)).collect();
        let excess = |set: &[Eligible<'a>]| set.iter().map(|e| e.area().0).sum::<f64>() - set[0].need.0;
        sets.sort_by(|a, b| excess(a).total_cmp(&excess(b)).then(a.len().cmp(&b.len())));
        sets.into_iter()
            .take(MAX_ASSEMBLED)
            .map(|set| Draft {
                kind: CandidateKind::Assembled,
                parcels: set.iter().map(|e| e.parcel).collect(),
                zone: set[0].zone,
                area: set.iter().map(Eligible::area).sum(),
                need: set[0].need,
                carve: None,
            })
            .collect()
    }

    fn land_candidate(&self, draft: &Draft<'a>, cheapest: Option<f64>) -> Candidate {
        let mut parcels: Vec<&Parcel> = draft.parcels.clone();
        parcels.sort_by_key(|p| p.id);
        let outlines = draft.outlines();
        let checks = self.land_checks(draft, &parcels);
        let passed = checks.iter().filter(|c| c.passed).count() as f64 / checks.len().max(1) as f64;
        let price = match (draft.price(), cheapest) {
            (Some(price), Some(low)) => (low / price).min(1.0),
            _ => 0.0,
        };
        let ready = match draft.kind {
            CandidateKind::Single => 1.0,
            CandidateKind::Carved => 0.5,
            CandidateKind::Assembled | CandidateKind::Units => 1.0 / draft.parcels.len().max(1) as f64,
        };
        let breakdown = vec![
            criterion("area_fit", 0.25, fit(draft.need, draft.area)),
            criterion("price", 0.15, price),
            criterion("leading_industry", 0.15, self.leads(draft.zone)),
            criterion("compliance", 0.10, passed),
            criterion("preferred_zone", 0.10, self.preferred_value(draft.zone.id)),
            criterion(
                "freight_bridge",
                0.10,
                nearest(&self.bridges, &outlines).map_or(0.0, |d| closeness(d, BRIDGE_HALF_M)),
            ),
            criterion("road", 0.05, nearest(&self.roads, &outlines).map_or(0.0, |d| closeness(d, ROAD_HALF_M))),
            criterion("near", 0.05, self.near_value(&outlines)),
            criterion("ready", 0.05, ready),
        ];
        let geometry = match &draft.carve {
            Some(piece) => Geometry::Polygon(piece.outline.clone()),
            None => union(&outlines),
        };
        Candidate {
            kind: draft.kind,
            parcels: parcels.iter().map(|p| p.id).collect(),
            units: Vec::new(),
            zone: draft.zone.id,
            building: None,
            area: draft.area,
            need: draft.need,
            leftover: SquareMeters((draft.area.0 - draft.need.0).max(0.0)),
            score: score(&breakdown),
            breakdown,
            checks,
            geometry,
            carve: draft.carve.clone(),
        }
    }

    fn land_checks(&self, draft: &Draft<'a>, parcels: &[&Parcel]) -> Vec<Check> {
        let policy = &draft.zone.policy;
        let zone = &draft.zone.code;
        let area_m2 = draft.area.0;
        let area_mu = draft.area.to_mu().0;
        let investment = self.need.fixed_asset_investment.0;
        let intensity = investment / area_mu;
        let minimum = policy.intensity_min_wan_per_mu;
        let mut checks = vec![Check {
            name: "intensity",
            passed: intensity >= minimum,
            detail: format!(
                "{investment:.0} 万元 over {area_mu:.3} mu is {intensity:.1} 万元/mu; {zone} asks at least {} 万元/mu",
                limit_text(minimum, 1)
            ),
        }];
        let classes: BTreeSet<IndustrialClass> = parcels.iter().filter_map(|p| p.class()).collect();
        let land: Vec<&str> = classes.iter().map(|c| c.code()).collect();
        checks.push(Check {
            name: "class",
            passed: classes.iter().all(|&c| self.class.fits_on(c)),
            detail: format!("a class {} project on class {} land", self.class, land.join("/")),
        });
        let strictest = |value: fn(&Parcel) -> Option<f64>, default: f64| {
            parcels.iter().filter_map(|p| value(p)).filter(|v| v.is_finite()).reduce(f64::max).unwrap_or(default)
        };
        let plot_ratio_min = strictest(|p| p.plot_ratio_min, policy.plot_ratio_min);
        let least_floor = plot_ratio_min * area_m2;
        let ratio_min = limit_text(plot_ratio_min, 2);
        checks.push(match self.need.floor_area {
            Some(floor) => {
                let ratio = floor.0 / area_m2;
                let (passed, verdict) = if ratio >= plot_ratio_min { (true, "at least") } else { (false, "below") };
                Check {
                    name: "plot_ratio",
                    passed,
                    detail: format!(
                        "{:.0} m² of floor area on {area_m2:.0} m² is a plot ratio of {ratio:.2}, {verdict} the \
                         minimum of {ratio_min}, which asks for {least_floor:.0} m²",
                        floor.0
                    ),
                }
            }
            None => Check {
                name: "plot_ratio",
                passed: true,
                detail: format!(
                    "build at least {least_floor:.0} m² of floor area (plot ratio at least {ratio_min}; a storey over \
                     8 m counts twice)"
                ),
            },
        });
        let coverage_min = strictest(|p| p.coverage_min, policy.coverage_min);
        checks.push(Check {
            name: "coverage",
            passed: true,
            detail: format!(
                "buildings, structures and yards must cover at least {:.0} % of the site: {:.0} m²",
                coverage_min * 100.0,
                coverage_min * area_m2
            ),
        });
        checks.push(Check {
            name: "admin_share",
            passed: true,
            detail: format!(
                "admin and living facilities on at most {:.0} % of the site: {:.0} m²; no housing, hotels or training \
                 centres",
                policy.admin_max * 100.0,
                policy.admin_max * area_m2
            ),
        });
        checks.push(Check {
            name: "green_share",
            passed: true,
            detail: format!(
                "green space on at most {:.0} % of the site: {:.0} m², and only where the process needs it",
                policy.green_max * 100.0,
                policy.green_max * area_m2
            ),
        });
        if draft.kind == CandidateKind::Assembled {
            checks.push(contiguity(parcels));
        }
        checks
    }

    /// Factory offers of at least the floor area, in buildings whose zone takes the class.
    fn space_candidates(&self, floor: SquareMeters) -> Vec<Candidate> {
        let query = SpaceQuery {
            min_area: Some(floor),
            combine_adjacent: true,
            min_load_kn_m2: self.need.min_load_kn_m2,
            min_power_kva: self.need.power_kva,
            ..SpaceQuery::on(self.on)
        };
        let answer = search_space(self.inventory, &query);
        let mut offers: Vec<(&SpaceOffer<'_>, &Zone)> = answer
            .offers
            .iter()
            .filter_map(|o| self.inventory.zone(o.building.zone).map(|z| (o, z)))
            .filter(|(_, z)| takes_class(z, self.class))
            .collect();
        offers.sort_by(|(a, _), (b, _)| {
            a.total_area
                .0
                .total_cmp(&b.total_area.0)
                .then(a.rent_yuan_m2_month.total_cmp(&b.rent_yuan_m2_month))
                .then(a.units[0].id.cmp(&b.units[0].id))
        });
        offers.truncate(MAX_UNIT_OFFERS);
        let cheapest = offers.iter().map(|(o, _)| o.rent_yuan_m2_month).filter(|r| *r > 0.0).reduce(f64::min);
        offers.iter().map(|(offer, zone)| self.unit_candidate(offer, zone, floor, cheapest)).collect()
    }

    fn unit_candidate(
        &self,
        offer: &SpaceOffer<'_>,
        zone: &Zone,
        floor: SquareMeters,
        cheapest: Option<f64>,
    ) -> Candidate {
        let distance = |kind: PoiKind| offer.distances.iter().find(|(k, _)| *k == kind).map(|(_, d)| *d);
        let rent = match cheapest {
            Some(low) if offer.rent_yuan_m2_month > 0.0 => (low / offer.rent_yuan_m2_month).min(1.0),
            _ => 0.0,
        };
        let footprint = [&offer.building.footprint];
        let breakdown = vec![
            criterion("area_fit", 0.30, fit(floor, offer.total_area)),
            criterion("rent", 0.25, rent),
            criterion("leading_industry", 0.10, self.leads(zone)),
            criterion("ready", 0.10, 1.0 / offer.units.len().max(1) as f64),
            criterion("preferred_zone", 0.05, self.preferred_value(zone.id)),
            criterion(
                "freight_bridge",
                0.10,
                distance(PoiKind::BridgeFreight).map_or(0.0, |d| closeness(d, BRIDGE_HALF_M)),
            ),
            criterion("road", 0.05, distance(PoiKind::Road).map_or(0.0, |d| closeness(d, ROAD_HALF_M))),
            criterion("near", 0.05, self.near_value(&footprint)),
        ];
        let specs = &offer.specs;
        let classes: Vec<&str> = zone.allowed_classes.iter().map(|c| c.code()).collect();
        let load = match self.need.min_load_kn_m2 {
            Some(asked) => format!("floor load {} kN/m², at least the {asked} kN/m² asked", specs.load_kn_m2),
            None => format!("floor load {} kN/m²", specs.load_kn_m2),
        };
        let power = match self.need.power_kva {
            Some(asked) => format!("{} kVA, at least the {asked} kVA asked", specs.power_kva),
            None => format!("{} kVA", specs.power_kva),
        };
        let checks = vec![
            Check {
                name: "class",
                passed: true,
                detail: format!(
                    "a class {} project in {} ({}), which takes class {}",
                    self.class,
                    offer.building.building_no,
                    zone.code,
                    if classes.is_empty() { "any".to_owned() } else { classes.join("/") }
                ),
            },
            Check { name: "load", passed: true, detail: load },
            Check { name: "power", passed: true, detail: power },
        ];
        Candidate {
            kind: CandidateKind::Units,
            parcels: Vec::new(),
            units: offer.units.iter().map(|u| u.id).collect(),
            zone: zone.id,
            building: Some(offer.building.id),
            area: offer.total_area,
            need: floor,
            leftover: SquareMeters((offer.total_area.0 - floor.0).max(0.0)),
            score: score(&breakdown),
            breakdown,
            checks,
            geometry: offer.outline(),
            carve: None,
        }
    }

    fn leads(&self, zone: &Zone) -> f64 {
        if zone.leading_industries.contains(&self.need.industry) { 1.0 } else { 0.0 }
    }

    fn preferred_value(&self, zone: ZoneId) -> f64 {
        if self.preferred.is_some_and(|z| z.id == zone) { 1.0 } else { 0.0 }
    }

    fn near_value(&self, outlines: &[&Polygon]) -> f64 {
        let Some(point) = self.need.near else { return 0.0 };
        let d = outlines.iter().map(|o| distance_to_polygon(point, o).0).reduce(f64::min);
        d.map_or(0.0, |d| closeness(Meters(d), NEAR_HALF_M))
    }
}

/// Whole parcels at least as large as the need, least leftover first.
fn singles<'a>(pool: &[Eligible<'a>]) -> Vec<Draft<'a>> {
    let mut fits: Vec<&Eligible<'a>> = pool.iter().filter(|e| e.fits()).collect();
    fits.sort_by(|a, b| {
        (a.area().0 - a.need.0).total_cmp(&(b.area().0 - b.need.0)).then(a.parcel.id.cmp(&b.parcel.id))
    });
    fits.into_iter()
        .take(MAX_SINGLES)
        .map(|e| Draft {
            kind: CandidateKind::Single,
            parcels: vec![e.parcel],
            zone: e.zone,
            area: e.area(),
            need: e.need,
            carve: None,
        })
        .collect()
}

fn criterion(name: &'static str, weight: f64, value: f64) -> Criterion {
    Criterion { name, weight, value: if value.is_finite() { value.clamp(0.0, 1.0) } else { 0.0 } }
}

fn score(breakdown: &[Criterion]) -> f64 {
    breakdown.iter().map(|c| c.weight * c.value).sum::<f64>().clamp(0.0, 1.0)
}

/// `need / area`: 1 for an exact fit, less as the leftover grows.
fn fit(need: SquareMeters, area: SquareMeters) -> f64 {
    if area.0 > 0.0 { need.0 / area.0 } else { 0.0 }
}

/// The distance from the nearest outline to the nearest point of interest, if there is one.
fn nearest(pois: &[&Poi], outlines: &[&Polygon]) -> Option<Meters> {
    outlines
        .iter()
        .flat_map(|o| pois.iter().map(move |poi| distance_to_geometry(o, &poi.geometry).0))
        .reduce(f64::min)
        .map(Meters)
}

fn set_ids(set: &[&Eligible<'_>]) -> Vec<ParcelId> {
    let ids: BTreeSet<ParcelId> = set.iter().map(|e| e.parcel.id).collect();
    ids.into_iter().collect()
}

/// The length of boundary two outlines share, within [`TOUCH_TOLERANCE`].
fn shared(a: &Polygon, b: &Polygon) -> Meters {
    Meters(shared_boundary(a, b, TOUCH_TOLERANCE).0.max(shared_boundary(b, a, TOUCH_TOLERANCE).0))
}

/// Whether two outlines share at least [`ASSEMBLY_MIN_FRONT`] of boundary: they touch along a side, not at a corner.
fn touching(a: &Polygon, b: &Polygon) -> bool {
    shared(a, b).0 >= ASSEMBLY_MIN_FRONT.0
}

/// Whether the parcels' union is one valid polygon, as a merge needs.
fn merges(set: &[Eligible<'_>]) -> bool {
    let outlines: Vec<&Polygon> = set.iter().map(|e| &e.parcel.geometry).collect();
    matches!(union(&outlines), Geometry::Polygon(p) if p.is_valid())
}

/// The outlines as one geometry: a polygon where they touch, a multipolygon where gaps part them.
fn union(outlines: &[&Polygon]) -> Geometry {
    match outlines {
        [] => Geometry::MultiPolygon(MultiPolygon::new(Vec::new())),
        [one] => Geometry::Polygon((*one).clone()),
        many => {
            let mut union: MultiPolygon = geo::unary_union(many.iter().copied());
            if union.0.len() == 1 {
                union.0.pop().map_or(Geometry::MultiPolygon(MultiPolygon::new(Vec::new())), Geometry::Polygon)
            } else {
                Geometry::MultiPolygon(union)
            }
        }
    }
}

/// The boundaries assembled parcels share, so a merge joins them into one parcel as they are. Assembled parcels
/// always touch and union into one polygon; a set that did not would fail the check.
fn contiguity(parcels: &[&Parcel]) -> Check {
    let mut joints = Vec::new();
    for (i, a) in parcels.iter().enumerate() {
        for b in &parcels[i + 1..] {
            let run = shared(&a.geometry, &b.geometry);
            if run.0 >= ASSEMBLY_MIN_FRONT.0 {
                joints.push(format!("{} and {} share {}", a.plot_no, b.plot_no, distance_text(run)));
            }
        }
    }
    let outlines: Vec<&Polygon> = parcels.iter().map(|p| &p.geometry).collect();
    let one = matches!(union(&outlines), Geometry::Polygon(p) if p.is_valid());
    let plots: Vec<&str> = parcels.iter().map(|p| p.plot_no.as_str()).collect();
    let detail = if one {
        format!("{}: one piece of land, which POST /parcels/merge joins as it is", joints.join("; "))
    } else {
        format!("{} do not form one piece of land: a merge refuses them", plots.join(", "))
    };
    Check { name: "contiguous", passed: one, detail }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        Availability, BuildingStatus, Country, FactoryBuilding, FactoryUnit, FireClass, InventoryParts, LandUse, PoiId,
        Structure, UnitStatus, ZonePolicy, geodesic_area,
    };
    use approx::assert_relative_eq;
    use geo::{LineString, polygon};
    use jiff::civil::date;

    const TODAY: Date = date(2026, 11, 27);
    /// Metres per degree of longitude and latitude near 21.5°N, for laying out test parcels.
    const M_PER_LON: f64 = 103_600.0;
    const M_PER_LAT: f64 = 110_700.0;

    fn rectangle(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon {
        polygon![(x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1)]
    }

    /// A rectangle `width_m` east-west by `depth_m` north-south whose south-west corner is `east_m` and `north_m`
    /// from 108°E 21.5°N.
    fn plot(east_m: f64, north_m: f64, width_m: f64, depth_m: f64) -> Polygon {
        let x = |m: f64| 108.0 + m / M_PER_LON;
        let y = |m: f64| 21.5 + m / M_PER_LAT;
        rectangle(x(east_m), y(north_m), x(east_m + width_m), y(north_m + depth_m))
    }

    fn zone(id: i64, code: &str, leading: Vec<Industry>, policy: ZonePolicy) -> Zone {
        Zone {
            id: ZoneId(id),
            code: code.to_owned(),
            name_zh: code.to_owned(),
            name_en: format!("{code} zone"),
            kind: ZoneKind::IndustrialPark,
            country: Country::Cn,
            boundary: rectangle(107.99, 21.49, 108.05, 21.53),
            planned_area: SquareMeters(1.0e6),
            leading_industries: leading,
            allowed_classes: IndustrialClass::ALL.to_vec(),
            policy,
        }
    }

    /// An available parcel whose registered area is its outline's geodesic area, to the thousandth of a mu.
    fn parcel(id: i64, zone: i64, outline: Polygon, class: IndustrialClass, price: f64) -> Parcel {
        let mu = (geodesic_area(&outline).to_mu().0 * 1_000.0).round() / 1_000.0;
        let mut p =
            Parcel::new(ParcelId(id), &format!("T-{id}"), ZoneId(zone), outline, Mu(mu), LandUse::industrial(class));
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
            poi(1, PoiKind::BridgeFreight, "Bridge 2", Geometry::Point(Point::new(108.0, 21.499))),
            poi(2, PoiKind::Road, "G219", Geometry::LineString(LineString::from(vec![(108.04, 21.4), (108.04, 21.6)]))),
        ]
    }

    /// Zone 1 (JP, seafood, 250 万元/mu, lots of 10 mu) and zone 2 (KHQ, 300 万元/mu), with:
    /// 1: 90 mu class II; 2: 42 mu class II; 3 + 4: 25 + 20 mu class II touching; 5: 50 mu class I; 6: 45 mu
    /// class II held; 7: 45 mu class II allocated (划拨); 8 + 9: 25 + 20 mu class II 15 m apart; 10: 45 mu class II
    /// in zone 2 (all about: the outlines' geodesic areas).
    fn land() -> Inventory {
        use IndustrialClass::{I, II};
        let mut held = parcel(6, 1, plot(0.0, 1_000.0, 150.0, 200.0), II, 10.0);
        held.availability = Availability::Held;
        let mut allocated = parcel(7, 1, plot(300.0, 1_000.0, 150.0, 200.0), II, 10.0);
        allocated.supply_method = Some(SupplyMethod::Allocation);
        let parcels = vec![
            parcel(1, 1, plot(0.0, 0.0, 300.0, 200.0), II, 12.0),
            parcel(2, 1, plot(400.0, 0.0, 140.0, 200.0), II, 11.0),
            parcel(3, 1, plot(600.0, 0.0, 83.5, 200.0), II, 10.0),
            parcel(4, 1, plot(683.5, 0.0, 66.5, 200.0), II, 10.0),
            parcel(5, 1, plot(800.0, 0.0, 166.7, 200.0), I, 8.0),
            held,
            allocated,
            parcel(8, 1, plot(0.0, 2_000.0, 83.5, 200.0), II, 10.0),
            parcel(9, 1, plot(98.5, 2_000.0, 66.5, 200.0), II, 10.0),
            parcel(10, 2, plot(1_200.0, 0.0, 150.0, 200.0), II, 10.0),
        ];
        let zones = vec![
            zone(1, "JP", vec![Industry::SeafoodProcessing], ZonePolicy::default()),
            zone(
                2,
                "KHQ",
                vec![Industry::Garment],
                ZonePolicy { intensity_min_wan_per_mu: 300.0, ..ZonePolicy::default() },
            ),
        ];
        Inventory::new(InventoryParts { zones, parcels, pois: pois(), ..InventoryParts::default() }).expect("valid")
    }

    fn seafood(land_mu: f64) -> Need {
        Need { land_mu: Some(Mu(land_mu)), ..Need::new(Industry::SeafoodProcessing, Wan(12_000.0)) }
    }

    fn ids(c: &Candidate) -> Vec<i64> {
        c.parcels.iter().map(|p| p.0).collect()
    }

    fn of_kind(plan: &AllocationPlan, kind: CandidateKind) -> Vec<&Candidate> {
        plan.candidates.iter().filter(|c| c.kind == kind).collect()
    }

    #[test]
    fn an_explicit_land_need_gets_single_carved_and_assembled_candidates_ranked() {
        let inventory = land();
        let plan = plan(&inventory, &seafood(40.0), TODAY).expect("a plan");
        assert_eq!(plan.route, Route::Land);
        assert_relative_eq!(plan.land_need.0, 40.0);
        let singles: Vec<Vec<i64>> = of_kind(&plan, CandidateKind::Single).iter().map(|c| ids(c)).collect();
        assert_eq!(singles.len(), 3, "{singles:?}");
        for want in [vec![1], vec![2], vec![10]] {
            assert!(singles.contains(&want), "{singles:?}");
        }
        let carved = of_kind(&plan, CandidateKind::Carved);
        assert_eq!(carved.iter().map(|c| ids(c)).collect::<Vec<_>>(), vec![vec![1]], "only 90 mu leaves a 10-mu lot");
        let assembled: Vec<Vec<i64>> = of_kind(&plan, CandidateKind::Assembled).iter().map(|c| ids(c)).collect();
        assert_eq!(assembled, vec![vec![3, 4]], "8 and 9 lie 15 m apart");
        assert!(plan.candidates.windows(2).all(|w| w[0].score >= w[1].score));
        for c in &plan.candidates {
            assert_relative_eq!(c.score, c.breakdown.iter().map(|k| k.weight * k.value).sum::<f64>(), epsilon = 1e-12);
            assert!((0.0..=1.0).contains(&c.score));
            assert_relative_eq!(c.breakdown.iter().map(|k| k.weight).sum::<f64>(), 1.0, epsilon = 1e-12);
        }
    }

    #[test]
    fn a_carved_piece_is_the_need_within_a_thousandth_of_a_mu_and_shows_its_outline() {
        let inventory = land();
        for need in [40.0, 55.5, 71.25] {
            let plan = plan(&inventory, &seafood(need), TODAY).expect("a plan");
            let carved = of_kind(&plan, CandidateKind::Carved);
            assert!(!carved.is_empty(), "{need} mu");
            for c in carved {
                assert!((c.area.to_mu().0 - need).abs() <= 0.001, "{} for {need}", c.area.to_mu().0);
                let piece = c.carve.as_ref().expect("carve details");
                assert_eq!(piece.parent, ParcelId(1));
                assert!((geodesic_area(&piece.outline).to_mu().0 - need).abs() <= 0.001);
                assert!(matches!(&c.geometry, Geometry::Polygon(p) if *p == piece.outline));
                assert!(piece.remainder_area.to_mu().0 >= 10.0 - 0.01, "the remainder stays a lot");
            }
        }
    }

    #[test]
    fn land_of_a_lower_class_held_or_allocated_is_never_a_candidate() {
        let inventory = land();
        let plan = plan(&inventory, &seafood(40.0), TODAY).expect("a plan");
        for c in &plan.candidates {
            for id in &c.parcels {
                assert!(![5, 6, 7].contains(&id.0), "{id} in {:?}", c.kind);
            }
            let class = c.checks.iter().find(|k| k.name == "class").expect("a class check");
            assert!(class.passed, "{}", class.detail);
        }
        let class_iii = Need { class: Some(IndustrialClass::III), ..seafood(40.0) };
        assert!(plan_of(&inventory, &class_iii).candidates.is_empty(), "no class III land");
        let class_i = Need { class: Some(IndustrialClass::I), ..seafood(40.0) };
        assert!(plan_of(&inventory, &class_i).candidates.iter().any(|c| c.parcels == [ParcelId(5)]));
    }

    fn plan_of(inventory: &Inventory, need: &Need) -> AllocationPlan {
        plan(inventory, need, TODAY).expect("a plan")
    }

    #[test]
    fn only_touching_parcels_are_assembled_into_land_a_merge_joins_as_it_is() {
        let inventory = land();
        let plan = plan_of(&inventory, &seafood(40.0));
        let joined = plan.candidates.iter().find(|c| ids(c) == [3, 4]).expect("3 + 4");
        assert_eq!(joined.kind, CandidateKind::Assembled);
        let contiguous = joined.checks.iter().find(|k| k.name == "contiguous").expect("contiguity");
        assert!(contiguous.passed, "{}", contiguous.detail);
        // The 200 m side, drawn at 110.7 km per degree of latitude, measured at the local frame's 111.1 km.
        assert!(contiguous.detail.starts_with("T-3 and T-4 share 201 m"), "{}", contiguous.detail);
        assert!(matches!(joined.geometry, Geometry::Polygon(_)), "touching parcels union into one polygon");
        crate::lineage::merge(&inventory, &joined.parcels).expect("a merge joins them");
        let apart =
            plan.candidates.iter().find(|c| c.parcels.contains(&ParcelId(8)) || c.parcels.contains(&ParcelId(9)));
        assert!(apart.is_none(), "15 m apart, with a strip between them that is no parcel's: {apart:?}");
    }

    #[test]
    fn three_parcels_touching_in_an_l_are_assembled_but_not_one_meeting_them_at_a_corner() {
        use IndustrialClass::II;
        // 1 and 2 side by side, 3 on top of 1: an L of three 15-mu plots. 4 meets 2 and 3 at corners only.
        let parcels = vec![
            parcel(1, 1, plot(0.0, 0.0, 100.0, 100.0), II, 10.0),
            parcel(2, 1, plot(100.0, 0.0, 100.0, 100.0), II, 10.0),
            parcel(3, 1, plot(0.0, 100.0, 100.0, 100.0), II, 10.0),
            parcel(4, 1, plot(200.0, 100.0, 100.0, 100.0), II, 10.0),
        ];
        let zones = vec![zone(1, "JP", Vec::new(), ZonePolicy::default())];
        let inventory = Inventory::new(InventoryParts { zones, parcels, ..InventoryParts::default() }).expect("valid");
        let plan = plan_of(&inventory, &seafood(40.0));
        let sets: Vec<Vec<i64>> = plan.candidates.iter().map(ids).collect();
        assert_eq!(sets, vec![vec![1, 2, 3]]);
        let l = &plan.candidates[0];
        assert_eq!(l.kind, CandidateKind::Assembled);
        assert!(matches!(&l.geometry, Geometry::Polygon(p) if p.is_valid()), "{:?}", l.geometry);
        let contiguous = l.checks.iter().find(|k| k.name == "contiguous").expect("contiguity");
        assert!(contiguous.passed, "{}", contiguous.detail);
        assert!(contiguous.detail.contains("T-1 and T-3 share 100 m"), "{}", contiguous.detail);
        assert!(!contiguous.detail.contains("T-2 and T-3"), "a corner is not a shared boundary: {}", contiguous.detail);
        let merged = crate::lineage::merge(&inventory, &l.parcels).expect("a merge joins them");
        assert_relative_eq!(merged.parcels[3].area.0, l.area.0, max_relative = 1e-3);
    }

    #[test]
    fn parcels_across_a_street_are_not_assembled() {
        use IndustrialClass::II;
        let parcels = vec![
            parcel(1, 1, plot(0.0, 0.0, 83.5, 200.0), II, 10.0),
            parcel(2, 1, plot(113.5, 0.0, 66.5, 200.0), II, 10.0),
        ];
        let zones = vec![zone(1, "JP", Vec::new(), ZonePolicy::default())];
        let inventory = Inventory::new(InventoryParts { zones, parcels, ..InventoryParts::default() }).expect("valid");
        assert!(plan_of(&inventory, &seafood(40.0)).candidates.is_empty(), "30 m apart: a street between them");
    }

    #[test]
    fn intensity_fails_where_the_investment_is_spread_thinner_than_the_zone_asks() {
        let inventory = land();
        // 12,000 万元 over 60 mu is 200 万元/mu: below JP's 250.
        let plan = plan_of(&inventory, &seafood(60.0));
        let single = plan.candidates.iter().find(|c| c.parcels == [ParcelId(1)] && c.kind == CandidateKind::Single);
        let intensity = single.expect("parcel 1").checks.iter().find(|k| k.name == "intensity").expect("intensity");
        assert!(!intensity.passed);
        assert!(intensity.detail.starts_with("12000 万元 over 9"), "{}", intensity.detail);
        assert!(intensity.detail.ends_with("JP asks at least 250 万元/mu"), "{}", intensity.detail);
        let compliance = single.expect("parcel 1").breakdown.iter().find(|k| k.name == "compliance").expect("share");
        assert!(compliance.value < 1.0);
    }

    #[test]
    fn the_preferred_zone_sets_the_land_need_and_ranks_its_land_higher() {
        let inventory = land();
        // 12,000 万元 at KHQ's 300 万元/mu supports 40 mu.
        let need = Need { preferred_zone: Some(ZoneId(2)), ..Need::new(Industry::SeafoodProcessing, Wan(12_000.0)) };
        let plan = plan_of(&inventory, &need);
        assert_eq!(plan.route, Route::Land);
        assert_relative_eq!(plan.land_need.0, 40.0, epsilon = 1e-9);
        assert!(plan.reason.contains("KHQ"), "{}", plan.reason);
        let khq = plan.candidates.iter().find(|c| c.parcels == [ParcelId(10)]).expect("parcel 10");
        assert_eq!(khq.breakdown.iter().find(|k| k.name == "preferred_zone").map(|k| k.value), Some(1.0));
        // Without a preference each zone uses its own minimum: 48 mu in JP, 40 in KHQ.
        let anywhere = plan_of(&inventory, &Need::new(Industry::SeafoodProcessing, Wan(12_000.0)));
        assert_relative_eq!(anywhere.land_need.0, 48.0, epsilon = 1e-9);
        let needs: Vec<(i64, f64)> = anywhere.zone_needs.iter().map(|z| (z.zone.0, z.land_need.0)).collect();
        assert_eq!(needs, vec![(1, 48.0), (2, 40.0)]);
        let parcel_2 = anywhere.candidates.iter().find(|c| c.parcels == [ParcelId(2)]);
        assert!(parcel_2.is_none(), "about 42 mu is below JP's 48-mu need");
        let ten = anywhere.candidates.iter().find(|c| c.parcels == [ParcelId(10)]).expect("in KHQ");
        assert_relative_eq!(ten.need.to_mu().0, 40.0, epsilon = 1e-9);
    }

    #[test]
    fn a_floor_area_checks_the_plot_ratio() {
        let inventory = land();
        let need = Need { floor_area: Some(SquareMeters(24_000.0)), ..seafood(40.0) };
        let plan = plan_of(&inventory, &need);
        let whole = plan.candidates.iter().find(|c| c.parcels == [ParcelId(1)] && c.kind == CandidateKind::Single);
        let ratio = whole.expect("parcel 1").checks.iter().find(|k| k.name == "plot_ratio").expect("plot ratio");
        assert!(!ratio.passed, "24,000 m² on 60,000 m² is 0.4, below 0.8: {}", ratio.detail);
        let carved = of_kind(&plan, CandidateKind::Carved)[0];
        let ratio = carved.checks.iter().find(|k| k.name == "plot_ratio").expect("plot ratio");
        assert!(ratio.passed, "24,000 m² on 26,667 m² is 0.9, at least 0.8: {}", ratio.detail);
    }

    fn building(id: i64, zone: i64) -> FactoryBuilding {
        FactoryBuilding {
            id: BuildingId(id),
            building_no: format!("B{id}"),
            name: format!("Building {id}"),
            zone: ZoneId(zone),
            parcel: None,
            footprint: plot(0.0, 3_000.0, 90.0, 30.0),
            structure: Structure::RcFrame,
            floors: 3,
            gross_floor_area: SquareMeters(8_100.0),
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

    fn bay(id: i64, floor: u8, bay: usize, bays: usize, load: f64, rent: f64) -> FactoryUnit {
        let width = 90.0 / bays as f64;
        FactoryUnit {
            id: UnitId(id),
            building: BuildingId(1),
            label: format!("B1-{floor}F-{bay}"),
            floor,
            outline: Some(plot(width * bay as f64, 3_000.0, width, 30.0)),
            area: SquareMeters(2_700.0 / bays as f64),
            whole_floor: false,
            height_m: 4.8,
            load_kn_m2: load,
            power_kva: 200,
            lift_access: true,
            rent_yuan_m2_month: rent,
            status: UnitStatus::Vacant,
            available_from: None,
            project: None,
        }
    }

    fn space() -> Inventory {
        let units = vec![
            bay(1, 1, 0, 2, 25.0, 11.0),
            bay(2, 1, 1, 2, 25.0, 11.0),
            bay(3, 2, 0, 3, 6.5, 8.0),
            bay(4, 2, 1, 3, 6.5, 8.0),
            bay(5, 2, 2, 3, 6.5, 8.0),
            bay(6, 3, 0, 1, 3.0, 6.0),
        ];
        let zones = vec![zone(1, "BHQ", vec![Industry::Garment], ZonePolicy::default())];
        let parts =
            InventoryParts { zones, buildings: vec![building(1, 1)], units, pois: pois(), ..InventoryParts::default() };
        Inventory::new(parts).expect("valid")
    }

    #[test]
    fn a_small_investment_goes_to_factory_space_with_the_load_it_needs() {
        let inventory = space();
        let need = Need {
            floor_area: Some(SquareMeters(2_000.0)),
            min_load_kn_m2: Some(5.0),
            ..Need::new(Industry::Garment, Wan(800.0))
        };
        let plan = plan_of(&inventory, &need);
        assert_eq!(plan.route, Route::Factory);
        assert!(plan.reason.contains("3.2 mu"), "{}", plan.reason);
        assert_eq!(plan.floor_area_need, Some(SquareMeters(2_000.0)));
        let offers: Vec<Vec<i64>> = plan.candidates.iter().map(|c| c.units.iter().map(|u| u.0).collect()).collect();
        // Floor 3 has 3 kN/m² only; floor 2 needs all three bays, floor 1 both.
        assert_eq!(offers.len(), 2, "{offers:?}");
        assert!(offers.contains(&vec![1, 2]) && offers.contains(&vec![3, 4, 5]));
        for c in &plan.candidates {
            assert_eq!(c.kind, CandidateKind::Units);
            assert!(c.area.0 >= 2_000.0 && c.building == Some(BuildingId(1)));
            assert!(c.checks.iter().all(|k| k.passed));
        }
        let first: Vec<i64> = plan.candidates[0].units.iter().map(|u| u.0).collect();
        assert_eq!(first, [3, 4, 5], "2,700 m² either way; 8 元 beats 11 元 by more than two bays beat three");
    }

    #[test]
    fn without_a_floor_area_factory_space_is_sought_for_what_the_land_need_would_carry() {
        let inventory = space();
        let plan = plan_of(&inventory, &Need::new(Industry::Garment, Wan(400.0)));
        assert_eq!(plan.route, Route::Factory);
        // 400 万元 at 250 万元/mu is 1.6 mu, about 1,067 m², at a plot ratio of 0.8: about 853 m².
        let floor = plan.floor_area_need.expect("a floor need").0;
        assert_relative_eq!(floor, 1.6 * 10_000.0 / 15.0 * 0.8, epsilon = 1e-6);
        assert!(plan.candidates.iter().any(|c| c.units == [UnitId(3)]));
    }

    #[test]
    fn a_stated_land_need_overrides_the_routing_to_factories() {
        let inventory = land();
        let need = Need { land_mu: Some(Mu(20.0)), ..Need::new(Industry::SeafoodProcessing, Wan(800.0)) };
        let plan = plan_of(&inventory, &need);
        assert_eq!(plan.route, Route::Land);
        assert!(plan.reason.starts_with("20.000 mu of land asked for"), "{}", plan.reason);
    }

    #[test]
    fn a_project_brings_its_industry_class_investment_and_zone() {
        let project = Project {
            id: crate::ProjectId(7),
            code: "DX-2026-007".into(),
            name_zh: "海产".into(),
            name_en: "Seafood".into(),
            company: "海润".into(),
            investor_country: "CN".into(),
            industry: Industry::SeafoodProcessing,
            required_class: IndustrialClass::II,
            total_investment: Wan(16_000.0),
            fixed_asset_investment: Wan(12_000.0),
            employees: 300,
            power_need_kva: 0,
            stage: crate::ProjectStage::Signed,
            zone: Some(ZoneId(2)),
            parcel: None,
            units: Vec::new(),
            signed_date: TODAY,
            start_date: None,
            production_date: None,
        };
        let need = Need::for_project(&project);
        assert_eq!(
            (
                need.industry,
                need.class,
                need.fixed_asset_investment,
                need.employees,
                need.power_kva,
                need.preferred_zone
            ),
            (Industry::SeafoodProcessing, Some(IndustrialClass::II), Wan(12_000.0), Some(300), None, Some(ZoneId(2)))
        );
        assert_relative_eq!(plan_of(&land(), &need).land_need.0, 40.0, epsilon = 1e-9);
    }

    #[test]
    fn needs_that_cannot_be_planned_are_refused() {
        let inventory = land();
        let refused = |need: Need| plan(&inventory, &need, TODAY).expect_err("refused");
        assert_eq!(refused(Need::new(Industry::Garment, Wan(0.0))), PlanError::NonPositiveInvestment { wan: 0.0 });
        assert_eq!(refused(seafood(-1.0)), PlanError::NonPositiveArea { field: "land_mu", value: -1.0 });
        let no_floor = Need { floor_area: Some(SquareMeters(0.0)), ..seafood(40.0) };
        assert_eq!(refused(no_floor), PlanError::NonPositiveArea { field: "floor_area", value: 0.0 });
        let nowhere = Need { preferred_zone: Some(ZoneId(9)), ..seafood(40.0) };
        assert_eq!(refused(nowhere), PlanError::UnknownZone(ZoneId(9)));
        let off_globe = Need { near: Some(Point::new(200.0, 21.5)), ..seafood(40.0) };
        assert!(matches!(refused(off_globe), PlanError::InvalidPoint { .. }));
        let empty = Inventory::new(InventoryParts::default()).expect("valid");
        assert_eq!(plan(&empty, &seafood(40.0), TODAY), Err(PlanError::NoZonePolicy));
        assert_eq!(
            PlanError::NonPositiveArea { field: "land_mu", value: -1.0 }.to_string(),
            "the land_mu must be a positive area, got -1"
        );
    }

    #[test]
    fn a_point_asked_for_scores_the_land_around_it() {
        let inventory = land();
        let near_ten = Need { near: Some(Point::new(108.0125, 21.5009)), ..seafood(40.0) };
        let plan = plan_of(&inventory, &near_ten);
        let near = |parcel: i64| {
            let c = plan.candidates.iter().find(|c| c.parcels == [ParcelId(parcel)] && c.kind == CandidateKind::Single);
            c.expect("single").breakdown.iter().find(|k| k.name == "near").map_or(0.0, |k| k.value)
        };
        assert!(near(10) > 0.99 && near(1) < near(10), "{} {}", near(10), near(1));
    }
}
