//! Synthetic parks of any size, for benchmarks and load tests: plausible parcels (2–200 mu, mostly rectangles) in
//! blocks between streets north of Dongxing, a few zones, standard factories with units on about 5 % of parcels
//! and projects on about 10 %. Deterministic per seed.
//!
//! Parcels cover about two thirds of the land they span (about 1,000 mu per km² of zone; streets, gaps between
//! plots and setbacks take the rest), so a million parcels span about 1.7° × 1.6°. Each row of blocks has its own
//! metric frame with the ellipsoid's scales, so a parcel's `area` is the planar area of the outline drawn in
//! metres, which matches its geodesic area to about 1e-5 without computing it.

use geo::{Coord, LineString, Polygon};
use jiff::ToSpan;
use jiff::civil::date;
use landbank_inventory::{
    Availability, BuildingId, Country, Date, DevStage, FactoryBuilding, FactoryUnit, IndustrialClass, Industry,
    InventoryParts, LandUse, LandUseSystem, Mu, Parcel, ParcelId, Project, ProjectId, ProjectStage, SquareMeters,
    SupplyMethod, UnitStatus, Wan, Zone, ZoneId, ZoneKind, ZonePolicy,
};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::factory::{Packer, Placement, Spec};
use crate::frame::{Frame, meters_per_degree};
use crate::layout::{self, AVENUE_EVERY, AVENUE_M, BLOCK_DEPTHS_M, BLOCK_WIDTHS_M, Rect, STREET_M};
use crate::shape::{Outline, ShapeKind};

/// South-west corner of the first block (lon, lat): north-west of Dongxing, inland.
const ORIGIN: Coord = Coord { x: 107.60, y: 21.62 };
/// Call the progress hook every this many parcels.
const PROGRESS_EVERY: usize = 10_000;
/// At most this many zones.
const MAX_ZONES: usize = 4;
/// Cells a block splits into on average ([`layout::Mix::VARIED`]).
const CELLS_PER_BLOCK: f64 = 5.0;
/// Average distance between block origins across and along rows, metres (block plus street).
const COLUMN_PITCH_M: f64 = 440.0;
const ROW_PITCH_M: f64 = 335.0;
/// Zones reach this far beyond their outermost blocks, metres.
const ZONE_MARGIN_M: f64 = 10.0;
const M2_PER_MU: f64 = 10_000.0 / 15.0;
const SMALLEST_M2: f64 = 2.0 * M2_PER_MU;
const LARGEST_M2: f64 = 200.0 * M2_PER_MU;

const TRADE_NAMES: [&str; 16] = [
    "华信",
    "恒达",
    "宏图",
    "东盛",
    "北仑",
    "海润",
    "桂越",
    "金海湾",
    "京岛",
    "锦程",
    "美家",
    "蓝海",
    "晟光",
    "智联",
    "钠能",
    "百草",
];
const INDUSTRIES: [(Industry, &str, &str); 10] = [
    (Industry::Garment, "服装", "Garments"),
    (Industry::Textile, "纺织", "Textiles"),
    (Industry::SmallAppliance, "小家电", "Small Appliances"),
    (Industry::ElectronicInfo, "电子信息", "Electronics"),
    (Industry::EvCharging, "充电桩", "EV Chargers"),
    (Industry::SodiumIonBattery, "钠离子电池", "Sodium-ion Batteries"),
    (Industry::SeafoodProcessing, "海产品加工", "Seafood Processing"),
    (Industry::SpiceHerbal, "香料中药材", "Spices and Herbs"),
    (Industry::NutProcessing, "坚果加工", "Nut Processing"),
    (Industry::BorderTradeProcessing, "边贸加工", "Border-trade Processing"),
];
const COUNTRIES: [&str; 10] = ["CN", "CN", "CN", "CN", "CN", "CN", "CN", "VN", "HK", "SG"];

/// A synthetic park of `parcels` parcels; the same seed gives the same park. See [`synthetic_with_progress`].
///
/// # Examples
///
/// ```
/// let parts = landbank_gen::synthetic(500, 7);
/// assert_eq!(parts.parcels.len(), 500);
/// ```
pub fn synthetic(parcels: usize, seed: u64) -> InventoryParts {
    synthetic_with_progress(parcels, seed, |_| {})
}

/// A synthetic park of `parcels` parcels, calling `on_progress` with the number of parcels made so far every
/// 10,000 parcels and once at the end.
///
/// Parcels are 2–200 mu, mostly rectangles, some turned a few degrees, trapezoids or L shapes, never
/// overlapping; blocks fill rows eastwards and rows go north from 107.6°E 21.62°N. Up to four zones split the
/// rows into bands. About 5 % of parcels carry a standard-factory building with units, about 10 % a project.
///
/// # Examples
///
/// ```
/// let mut reports = Vec::new();
/// let parts = landbank_gen::synthetic_with_progress(25_000, 1, |n| reports.push(n));
/// assert_eq!(reports, vec![10_000, 20_000, 25_000]);
/// assert_eq!(parts.parcels.len(), 25_000);
/// ```
pub fn synthetic_with_progress(parcels: usize, seed: u64, mut on_progress: impl FnMut(usize)) -> InventoryParts {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let blocks = (parcels as f64 / CELLS_PER_BLOCK).ceil().max(1.0);
    let columns_wanted = ((blocks * ROW_PITCH_M / COLUMN_PITCH_M).sqrt().ceil() as usize).max(1);
    let rows_expected = (blocks / columns_wanted as f64).ceil().max(1.0) as usize;
    let zones = rows_expected.clamp(1, MAX_ZONES);
    let mut columns = layout::spans(0.0, columns_wanted as f64 * 500.0, &BLOCK_WIDTHS_M, &mut rng);
    columns.blocks.truncate(columns_wanted);
    let east_m = columns.blocks.last().map_or(0.0, |c| c.hi);

    let mut park = Park::new(parcels);
    let mut bands: Vec<Option<(f64, f64, f64)>> = vec![None; zones];
    let mut lat = ORIGIN.y;
    let mut row = 0;
    while park.parcels.len() < parcels {
        let depth = *BLOCK_DEPTHS_M.choose(&mut rng).unwrap_or(&300.0);
        let centre_lat = lat + depth / 2.0 / meters_per_degree(lat).y;
        let frame = Frame::new(Coord { x: ORIGIN.x, y: lat }, centre_lat);
        let zone = (row * zones / rows_expected).min(zones - 1);
        let top = frame.lon_lat(Coord { x: east_m + ZONE_MARGIN_M, y: depth + ZONE_MARGIN_M });
        let bottom = frame.lon_lat(Coord { x: -ZONE_MARGIN_M, y: -ZONE_MARGIN_M });
        let band = bands[zone].get_or_insert((bottom.y, top.y, top.x));
        band.1 = top.y;
        band.2 = band.2.max(top.x);
        'row: for (col, span) in columns.blocks.iter().enumerate() {
            let block = Rect::new(span.lo, 0.0, span.hi, depth);
            for (seq, cell) in layout::partition(block, layout::Mix::VARIED, &mut rng).into_iter().enumerate() {
                if park.parcels.len() == parcels {
                    break 'row;
                }
                let at = Where { zone, row, col, seq, frame };
                park.add(&at, cell, &mut rng);
                if park.parcels.len().is_multiple_of(PROGRESS_EVERY) {
                    on_progress(park.parcels.len());
                }
            }
        }
        let gap = if (row + 1) % AVENUE_EVERY == 0 { AVENUE_M } else { STREET_M };
        lat += (depth + gap) / meters_per_degree(centre_lat).y;
        row += 1;
    }
    if !parcels.is_multiple_of(PROGRESS_EVERY) {
        on_progress(parcels);
    }
    park.zones = bands.iter().enumerate().filter_map(|(i, band)| band.map(|b| zone(i, b))).collect();
    park.into_parts()
}

/// Where a cell lies: its zone, row and column of blocks, its place in the block, and the row's frame.
struct Where {
    zone: usize,
    row: usize,
    col: usize,
    seq: usize,
    frame: Frame,
}

/// The records made so far.
#[derive(Default)]
struct Park {
    zones: Vec<Zone>,
    parcels: Vec<Parcel>,
    buildings: Vec<FactoryBuilding>,
    units: Vec<FactoryUnit>,
    projects: Vec<Project>,
}

fn zone(i: usize, (south, north, east): (f64, f64, f64)) -> Zone {
    let west = ORIGIN.x - ZONE_MARGIN_M / meters_per_degree(south).x;
    let ring = vec![
        Coord { x: west, y: south },
        Coord { x: east, y: south },
        Coord { x: east, y: north },
        Coord { x: west, y: north },
    ];
    let scale = meters_per_degree(f64::midpoint(south, north));
    let leading: Vec<Industry> =
        INDUSTRIES.iter().cycle().skip(i * 3).take(4).map(|(industry, _, _)| *industry).collect();
    Zone {
        id: ZoneId(i as i64 + 1),
        code: format!("SZ{}", i + 1),
        name_zh: format!("合成园区{}", i + 1),
        name_en: format!("Synthetic park {}", i + 1),
        kind: ZoneKind::IndustrialPark,
        country: Country::Cn,
        boundary: Polygon::new(LineString::new(ring), Vec::new()),
        planned_area: SquareMeters((east - west) * scale.x * (north - south) * scale.y),
        leading_industries: leading,
        allowed_classes: vec![IndustrialClass::I, IndustrialClass::II, IndustrialClass::III],
        policy: ZonePolicy::default(),
    }
}

fn some_day(rng: &mut impl Rng, years: std::ops::RangeInclusive<i16>) -> Date {
    date(rng.random_range(years), rng.random_range(1..=12), rng.random_range(1..=28))
}

impl Park {
    fn new(parcels: usize) -> Park {
        Park { parcels: Vec::with_capacity(parcels), ..Park::default() }
    }

    fn into_parts(self) -> InventoryParts {
        InventoryParts {
            zones: self.zones,
            parcels: self.parcels,
            buildings: self.buildings,
            units: self.units,
            projects: self.projects,
            pois: Vec::new(),
            reservations: Vec::new(),
            allocations: Vec::new(),
        }
    }

    /// A parcel in `cell`, with a standard factory on it now and then and a project on some of the taken ones.
    fn add(&mut self, at: &Where, cell: Rect, rng: &mut ChaCha8Rng) {
        let kind = ShapeKind::pick(rng, [15, 8, 4, 3]);
        let natural = Outline::inside(kind, cell, rng);
        let target = (natural.area() * rng.random_range(0.85..0.99)).clamp(SMALLEST_M2, LARGEST_M2);
        let thousandths = (target / M2_PER_MU * 1_000.0).round();
        let outline = natural.with_area(thousandths * M2_PER_MU / 1_000.0);
        let id = self.parcels.len() as i64 + 1;
        let mut parcel = Parcel {
            id: ParcelId(id),
            plot_no: format!("SZ{}-{:04}-{:03}-{}", at.zone + 1, at.row + 1, at.col + 1, at.seq + 1),
            parcel_code: None,
            zone: ZoneId(at.zone as i64 + 1),
            geometry: at.frame.polygon(&outline.0),
            area: SquareMeters(outline.area()),
            stated_area: Mu(thousandths / 1_000.0),
            land_use: LandUse::industrial(match rng.random_range(0..20) {
                0..9 => IndustrialClass::I,
                9..18 => IndustrialClass::II,
                _ => IndustrialClass::III,
            }),
            availability: Availability::Planned,
            dev_stage: DevStage::NotStarted,
            supply_method: None,
            revitalized: false,
            term_years: None,
            price_wan_per_mu: None,
            plot_ratio_min: Some([0.8, 1.0, 1.2][rng.random_range(0..3)]),
            plot_ratio_max: Some(2.5),
            coverage_min: Some(0.35),
            height_max_m: None,
            power_available_kva: None,
            holder: None,
            project: None,
            available_from: None,
            supply_date: None,
            agreed_start_date: None,
            agreed_completion_date: None,
            actual_start_date: None,
            required_gfa_m2: None,
            built_gfa_m2: None,
            total_investment_wan: None,
            invested_wan: None,
            suspended_since: None,
            government_caused: false,
            land_price_wan: None,
        };
        let factory = kind == ShapeKind::Rectangle && rng.random_bool(0.075);
        let roll = if factory { 40 } else { rng.random_range(0..100) };
        parcel.availability = match roll {
            0..35 => Availability::Available,
            35..65 => Availability::Supplied,
            65..70 => Availability::Held,
            70..82 => Availability::Reserve,
            82..97 => Availability::Planned,
            _ => Availability::Reclaimed,
        };
        let price = f64::from(rng.random_range(80..=200_u32)) / 10.0;
        match parcel.availability {
            Availability::Available => parcel.price_wan_per_mu = Some(price),
            Availability::Supplied => supply(&mut parcel, at, price, rng),
            _ => {}
        }
        if factory && !self.build_factory(&mut parcel, at, &outline, rng) {
            parcel.supply_method = Some(SupplyMethod::TransferListing);
        }
        let takes_project = matches!(parcel.availability, Availability::Supplied | Availability::Held)
            && parcel.supply_method != Some(SupplyMethod::Allocation)
            && rng.random_bool(0.27);
        if takes_project {
            self.land_project(&mut parcel, rng);
        }
        self.parcels.push(parcel);
    }

    /// Puts a standard-factory building with its units on the parcel, if one fits; some leased units go to a
    /// factory project.
    fn build_factory(&mut self, parcel: &mut Parcel, at: &Where, outline: &Outline, rng: &mut ChaCha8Rng) -> bool {
        let structure = if rng.random_bool(0.15) {
            landbank_inventory::Structure::SteelPortal
        } else {
            landbank_inventory::Structure::RcFrame
        };
        let spec = Spec::random(rng, structure);
        let Some(footprint) = Packer::new(outline.bounds()).place(spec.length_m, spec.depth_m()) else {
            return false;
        };
        parcel.supply_method = Some(SupplyMethod::Allocation);
        parcel.term_years = None;
        parcel.price_wan_per_mu = None;
        parcel.dev_stage = DevStage::Completed;
        let id = BuildingId(self.buildings.len() as i64 + 1);
        let placement = Placement {
            id,
            building_no: format!("SZ{}-B{}", at.zone + 1, id.0),
            name: format!("标准厂房{}号楼", id.0),
            zone: parcel.zone,
            parcel: Some(parcel.id),
            footprint,
            frame: at.frame,
            completion_date: Some(some_day(rng, 2015..=2025)),
            operator: Some("园区投资开发有限公司".to_owned()),
        };
        let mut units = spec.units(&placement, self.units.len() as i64 + 1, rng);
        let mut leased = Vec::new();
        for u in &mut units {
            u.status = match rng.random_range(0..100) {
                0..65 => UnitStatus::Leased,
                65..70 => UnitStatus::Reserved,
                _ => UnitStatus::Vacant,
            };
            if u.status == UnitStatus::Vacant && rng.random_bool(0.5) {
                u.available_from = Some(some_day(rng, 2026..=2027));
            }
            if u.status == UnitStatus::Leased {
                leased.push(u.id);
            }
        }
        self.buildings.push(spec.building(&placement));
        if !leased.is_empty() && rng.random_bool(0.3) {
            let area: f64 = units.iter().filter(|u| leased.contains(&u.id)).map(|u| u.area.0).sum();
            let project = self.project(rng, parcel.zone, (area * 2.0 / 10.0).round() * 10.0);
            for u in units.iter_mut().filter(|u| leased.contains(&u.id)) {
                u.project = Some(project.id);
            }
            self.projects.push(Project { units: leased, stage: ProjectStage::InProduction, ..project });
        }
        self.units.extend(units);
        true
    }

    /// A land project on a supplied or held parcel, at the stage the parcel's development implies.
    fn land_project(&mut self, parcel: &mut Parcel, rng: &mut ChaCha8Rng) {
        let investment = (parcel.stated_area.0 * rng.random_range(300.0..600.0) / 100.0).round() * 100.0;
        let mut project = self.project(rng, parcel.zone, investment.max(2_000.0));
        project.parcel = Some(parcel.id);
        project.stage = match (parcel.availability, parcel.dev_stage) {
            (Availability::Held, _) => ProjectStage::Signed,
            (_, DevStage::NotStarted) => ProjectStage::SpaceSecured,
            (_, DevStage::Started | DevStage::Suspended) => ProjectStage::UnderConstruction,
            (_, DevStage::Completed) => ProjectStage::Completed,
            (_, DevStage::InProduction) => ProjectStage::InProduction,
        };
        project.start_date = parcel.actual_start_date;
        parcel.project = Some(project.id);
        parcel.holder = Some(project.company.clone());
        self.projects.push(project);
    }

    /// A new project record with a synthetic name, in the given zone, not yet linked to land or units.
    fn project(&self, rng: &mut ChaCha8Rng, zone: ZoneId, investment: f64) -> Project {
        let id = ProjectId(self.projects.len() as i64 + 1);
        let trade = TRADE_NAMES.choose(rng).copied().unwrap_or("华信");
        let (industry, product_zh, product_en) = *INDUSTRIES.choose(rng).unwrap_or(&INDUSTRIES[0]);
        let signed = some_day(rng, 2019..=2026);
        Project {
            id,
            code: format!("SY-{}-{:07}", signed.year(), id.0),
            name_zh: format!("{trade}{product_zh}项目{}", id.0),
            name_en: format!("{trade} {product_en} project {}", id.0),
            company: format!("{trade}{product_zh}有限公司"),
            investor_country: COUNTRIES.choose(rng).copied().unwrap_or("CN").to_owned(),
            industry,
            required_class: industry.typical_class(),
            total_investment: Wan(investment),
            fixed_asset_investment: Wan((investment * 0.75).round()),
            employees: (investment / 80.0).clamp(20.0, 3_000.0) as u32,
            power_need_kva: (investment / 40.0).clamp(100.0, 8_000.0) as u32,
            stage: ProjectStage::Signed,
            zone: Some(zone),
            parcel: None,
            units: Vec::new(),
            signed_date: signed,
            start_date: None,
            production_date: None,
        }
    }
}

/// Supplies a parcel: mostly listed transfers for 50 years, some leases, a few allocations for public use; with
/// supply, construction and a 宗地代码.
fn supply(parcel: &mut Parcel, at: &Where, price: f64, rng: &mut ChaCha8Rng) {
    let method = match rng.random_range(0..100) {
        0..85 => SupplyMethod::TransferListing,
        85..90 => SupplyMethod::Lease,
        90..95 => SupplyMethod::LeaseThenTransfer,
        _ => SupplyMethod::Allocation,
    };
    parcel.supply_method = Some(method);
    if method == SupplyMethod::Allocation {
        let code = ["1207", "1301", "1302", "1303"][rng.random_range(0..4)];
        parcel.land_use = LandUse { system: LandUseSystem::Ydyh2023, code: code.to_owned() };
    } else {
        parcel.term_years = Some(if method == SupplyMethod::Lease { 20 } else { 50 });
        parcel.price_wan_per_mu = Some(price);
        parcel.holder = Some(format!("{}实业有限公司", TRADE_NAMES.choose(rng).copied().unwrap_or("华信")));
    }
    let supplied = some_day(rng, 2010..=2026);
    let agreed = supplied.saturating_add(6.months());
    parcel.supply_date = Some(supplied);
    parcel.agreed_start_date = Some(agreed);
    parcel.agreed_completion_date = Some(agreed.saturating_add(24.months()));
    parcel.dev_stage = match rng.random_range(0..10) {
        0..2 => DevStage::NotStarted,
        2..4 => DevStage::Started,
        4..6 => DevStage::Completed,
        _ => DevStage::InProduction,
    };
    if parcel.dev_stage != DevStage::NotStarted {
        parcel.actual_start_date = Some(agreed.saturating_sub(20.days()));
    }
    parcel.parcel_code = Some(format!("450681{:03}{:03}GB{:05}", 100 + at.zone, at.row % 1_000, parcel.id.0 % 100_000));
}

#[cfg(test)]
mod tests {
    use super::*;
    use landbank_inventory::{Inventory, check, geodesic_area, statistics};

    #[test]
    fn the_same_seed_gives_the_same_park_and_another_seed_another() {
        let a = synthetic(1_500, 11);
        let b = synthetic(1_500, 11);
        let c = synthetic(1_500, 12);
        assert_eq!(a.parcels, b.parcels);
        assert_eq!(a.buildings, b.buildings);
        assert_eq!(a.units, b.units);
        assert_eq!(a.projects, b.projects);
        assert_eq!(a.zones, b.zones);
        assert_ne!(a.parcels, c.parcels);
    }

    #[test]
    fn a_synthetic_park_has_exactly_the_parcels_asked_for() {
        for n in [0, 1, 7, 999, 2_345] {
            assert_eq!(synthetic(n, 3).parcels.len(), n);
        }
    }

    #[test]
    fn a_synthetic_park_passes_every_data_quality_check() {
        let inventory = Inventory::new(synthetic(4_000, 5)).expect("unique ids");
        let problems = check::check(&inventory);
        assert!(problems.is_empty(), "{} problems, first: {}", problems.len(), problems[0]);
    }

    #[test]
    fn analytic_areas_stay_within_a_hundredth_of_a_percent_of_geodesic_ones() {
        let parts = synthetic(60_000, 9);
        for p in parts.parcels.iter().step_by(97) {
            let geodesic = geodesic_area(&p.geometry).0;
            let drift = (p.area.0 - geodesic).abs() / geodesic;
            assert!(drift < 1e-4, "{} drifts {drift:e}", p.plot_no);
            assert!(p.area_drift().abs() < 1e-6, "{}", p.plot_no);
        }
    }

    #[test]
    fn parcels_are_two_to_two_hundred_mu_and_mostly_twenty_to_eighty() {
        let parts = synthetic(5_000, 4);
        let mu: Vec<f64> = parts.parcels.iter().map(|p| p.stated_area.0).collect();
        assert!(mu.iter().all(|&a| (2.0..=200.0).contains(&a)));
        let typical = mu.iter().filter(|&&a| (10.0..=80.0).contains(&a)).count();
        assert!(typical * 2 > mu.len(), "{typical} of {}", mu.len());
    }

    #[test]
    fn about_five_percent_carry_factories_and_ten_percent_projects() {
        let parts = synthetic(20_000, 6);
        let n = parts.parcels.len() as f64;
        let with_building = parts.buildings.len() as f64 / n;
        let with_project = parts.projects.len() as f64 / n;
        assert!((0.03..0.07).contains(&with_building), "{with_building}");
        assert!((0.07..0.13).contains(&with_project), "{with_project}");
        let stats = statistics(&Inventory::new(parts).expect("unique ids"));
        assert!(stats.park.factories.units > 0);
    }

    #[test]
    fn parcels_cover_about_two_thirds_of_the_land_they_span() {
        let parts = synthetic(20_000, 2);
        let mu: f64 = parts.parcels.iter().map(|p| p.stated_area.0).sum();
        let km2: f64 = parts.zones.iter().map(|z| z.planned_area.0).sum::<f64>() / 1e6;
        let density = mu / km2;
        // 1,500 mu per km² would be wall-to-wall parcels.
        assert!((950.0..1_150.0).contains(&density), "{density} mu/km²");
    }
}
