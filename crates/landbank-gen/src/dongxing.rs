//! The Dongxing Industrial Park fixtures (广西东兴产业园): a deterministic inventory that reproduces the park's
//! published figures (DESIGN.md §2) through the inventory's own statistics, on synthetic but plausible geometry
//! (reference/domain.md §4).
//!
//! Plots are laid out in blocks between streets around a core in each Chinese zone, clear of the Beilun River,
//! G219, 国门大道, the bridges and the town centres. Registered areas are chosen first, in thousandths of a mu,
//! so the published sums are exact; each outline is then scaled to its registered area. Last comes the assembly
//! block ([`assembly`]): offered plots that touch, and one large enough to carve, in empty blocks of Jiangping.

mod assembly;
mod catalog;
mod idle;
mod site;

use geo::{Centroid, Coord, LineString, MapCoordsInPlace, Polygon, Scale};
use jiff::ToSpan;
use jiff::civil::date;
use landbank_inventory::{
    Availability, BuildingId, BuildingStatus, Date, DevStage, FactoryBuilding, FactoryUnit, IndustrialClass,
    InventoryParts, LandUse, LandUseSystem, Mu, Parcel, ParcelId, Project, ProjectId, ProjectStage, SupplyMethod,
    UnitStatus, Wan, ZoneId, geodesic_area,
};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::apportion::{Share, apportion};
use crate::factory::{Packer, Placement, Spec, specs_with_total};
use crate::layout::{self, BLOCK_DEPTHS_M, BLOCK_WIDTHS_M, Rect};
use crate::shape::{Outline, ShapeKind};
use catalog::{EARLIER_HOLDERS, Entry, PARK_COMPANY, PROJECTS, Space};
use site::{Clearance, ZONES};

/// The day the fixtures describe: their dates are consistent with the idle-land rules on this day.
pub const AS_OF: Date = date(2026, 11, 27);

/// Seed of every random choice in the fixtures.
const SEED: u64 = 20_231_027;
/// Published: 1,699.5 mu of idle existing land revitalized (盘活存量用地), in thousandths of a mu.
const REVITALIZED: i64 = 1_699_500;
/// Published: 1,334.8 mu of land supplied by allocation (划拨供地), in thousandths of a mu.
const ALLOCATED: i64 = 1_334_800;
/// Published: "more than 172,000 m²" of standard factories built.
const STANDARD_FACTORY_GFA_M2: f64 = 172_480.0;
/// How many of the standard-factory buildings are single-storey steel portals.
const STEEL_PORTALS: usize = 3;
/// Standard-factory platform plots per zone.
const PLATFORMS_PER_ZONE: usize = 3;
/// Share of standard-factory space let or reserved.
const OCCUPANCY: f64 = 0.76;
const RESERVED_SHARE: f64 = 0.03;
/// Share of all parcels offered (可供).
const AVAILABLE_SHARE: f64 = 0.35;

const M2_PER_MU: f64 = 10_000.0 / 15.0;
/// Registered areas of plots, thousandths of a mu: 3 to 200 mu.
const SMALLEST_PLOT: i64 = 3_000;
const LARGEST_PLOT: i64 = 200_000;

/// What a plot is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Industrial,
    Road,
    Substation,
    Sewage,
    ServiceCentre,
    FactoryPlatform,
    LogisticsPlatform,
}

impl Role {
    /// Public plots are supplied by allocation (划拨); industrial plots never are.
    fn is_allocated(self) -> bool {
        self != Role::Industrial
    }
}

/// A plot being planned: its cell, its largest outline, what it is for, and its parcel record so far.
struct Plot {
    zone: usize,
    cell: Rect,
    /// Largest outline in the cell, metres of the zone's frame.
    natural: Outline,
    role: Role,
    /// Bounds on the registered area, thousandths of a mu.
    share: Share,
    idle: bool,
    parcel: Parcel,
}

/// Bounds on an area as percentages of `cap`: at least `lo`, at most `hi`, ideally `want`.
fn percent_of(cap: i64, lo: i64, want: i64, hi: i64) -> Share {
    Share { lo: cap * lo / 100, hi: cap * hi / 100, want: cap * want / 100 }
}

impl Plot {
    /// The most the outline holds, thousandths of a mu, capped at the largest plot.
    fn cap(&self) -> i64 {
        ((self.natural.area() / M2_PER_MU * 1_000.0).floor() as i64).min(LARGEST_PLOT)
    }

    fn distance_to_core(&self) -> f64 {
        let zone = &ZONES[self.zone];
        let core = zone.core.map_or(Coord { x: 0.0, y: 0.0 }, |c| zone.frame().meters(c));
        let c = self.cell.centre();
        (c.x - core.x).hypot(c.y - core.y)
    }

    fn is_free(&self) -> bool {
        self.role == Role::Industrial && self.parcel.project.is_none() && !self.assigned()
    }

    /// Whether the plot's availability has been decided (drafts start as planned without a holder).
    fn assigned(&self) -> bool {
        self.parcel.availability != Availability::Planned || self.parcel.holder.is_some()
    }

    /// Gives the plot a public role with a rectangular outline and bounds on its area (fractions of its cap, or
    /// around a wanted area in mu).
    fn make_public(&mut self, role: Role, want_mu: Option<f64>) {
        self.role = role;
        self.natural = Outline::rectangle(self.cell);
        let cap = self.cap();
        self.share = match want_mu {
            Some(mu) => {
                let want = ((mu * 1_000.0) as i64).min(cap * 95 / 100);
                Share { lo: want * 95 / 100, hi: (want * 105 / 100).min(cap), want }
            }
            None => percent_of(cap, 90, 94, 97),
        };
    }
}

fn blank_parcel(id: i64, plot_no: &str, zone: usize) -> Parcel {
    let outline = Polygon::new(LineString::new(Vec::new()), Vec::new());
    let land_use = LandUse::industrial(IndustrialClass::I);
    Parcel::new(ParcelId(id), plot_no, ZoneId(zone as i64 + 1), outline, Mu(0.0), land_use)
}

/// A day in a random month from `first` to `last` (year, month), inclusive.
fn day_between(rng: &mut impl Rng, first: (i16, i8), last: (i16, i8)) -> Date {
    let month = |(y, m): (i16, i8)| i32::from(y) * 12 + i32::from(m) - 1;
    let m = rng.random_range(month(first)..=month(last));
    date((m / 12) as i16, (m % 12 + 1) as i8, rng.random_range(1..=28))
}

fn ydyh(code: &str) -> LandUse {
    LandUse { system: LandUseSystem::Ydyh2023, code: code.to_owned() }
}

/// The Dongxing Industrial Park fixtures: zones, parcels, standard factories and their units, the 48 signed
/// projects and the reference features. Deterministic: every call returns the same inventory.
///
/// The fixtures reproduce the published figures through [`landbank_inventory::statistics`]: revitalized land
/// 1,699.5 mu, allocated land 1,334.8 mu, 172,480 m² of standard factories, 48 projects worth 154.02 亿元 (10 in
/// production, 18 under construction). Geometry is synthetic. Dates are consistent with [`AS_OF`].
///
/// # Examples
///
/// ```
/// let parts = landbank_gen::dongxing();
/// assert_eq!(parts.projects.len(), 48);
/// ```
pub fn dongxing() -> InventoryParts {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let (mut plots, spare) = lay_out(&mut rng);
    assign_public_plots(&mut plots, &mut rng);
    settle_land_projects(&mut plots, &mut rng);
    assign_other_land(&mut plots, &mut rng);
    choose_revitalized(&mut plots, &mut rng);
    state_areas(&mut plots, &mut rng);
    let outlines = draw_parcels(&mut plots);
    let (buildings, mut units) = build_factories(&mut plots, &outlines, &mut rng);
    let projects = projects(&plots, &buildings, &mut units, &mut rng);
    let buildings = settle_building_status(buildings, &units);
    let centre = plots
        .iter()
        .find(|p| p.role == Role::ServiceCentre)
        .and_then(|p| p.parcel.geometry.centroid())
        .map_or(Coord { x: 107.978, y: 21.565 }, |c| c.0);
    let mut parts = InventoryParts {
        zones: site::zones(),
        parcels: plots.into_iter().map(|p| p.parcel).collect(),
        buildings,
        units,
        projects,
        pois: site::pois(centre),
        reservations: Vec::new(),
        allocations: Vec::new(),
    };
    to_published_precision(&mut parts);
    idle::track(&mut parts);
    assembly::append(&mut parts, &spare);
    parts
}

/// A coordinate at 7 decimals (about 1 cm), the precision the fixtures are published at.
fn round(c: Coord) -> Coord {
    Coord { x: (c.x * 1e7).round() / 1e7, y: (c.y * 1e7).round() / 1e7 }
}

/// Rounds every coordinate to the published precision ([`round`]) and computes each parcel's area from the
/// rounded outline, so the fixtures read back from their files exactly as generated.
fn to_published_precision(parts: &mut InventoryParts) {
    for z in &mut parts.zones {
        z.boundary.map_coords_in_place(round);
    }
    for p in &mut parts.parcels {
        p.geometry.map_coords_in_place(round);
        p.area = landbank_inventory::geodesic_area(&p.geometry);
    }
    for b in &mut parts.buildings {
        b.footprint.map_coords_in_place(round);
    }
    for u in &mut parts.units {
        if let Some(outline) = &mut u.outline {
            outline.map_coords_in_place(round);
        }
    }
    for poi in &mut parts.pois {
        poi.geometry.map_coords_in_place(round);
    }
}

/// The blocks of a zone the layout left empty, nearest to its core first, and how many blocks it built on.
#[derive(Debug, Clone, Default)]
struct Spare {
    built: usize,
    blocks: Vec<Rect>,
}

/// Blocks around each zone's core until the zone has its plots, every block split into cells, and a road plot
/// along each avenue that the blocks border; also each zone's blocks left empty (in [`ZONES`] order).
fn lay_out(rng: &mut ChaCha8Rng) -> (Vec<Plot>, Vec<Spare>) {
    let mut plots: Vec<Plot> = Vec::new();
    let mut spare = vec![Spare::default(); ZONES.len()];
    for (zi, zone) in ZONES.iter().enumerate() {
        let Some(core) = zone.core else { continue };
        let frame = zone.frame();
        let core = frame.meters(core);
        let clearance = Clearance::for_zone(zi);
        let region = zone.region();
        let columns = layout::spans(region.x0, region.x1, &BLOCK_WIDTHS_M, rng);
        let rows = layout::spans(region.y0, region.y1, &BLOCK_DEPTHS_M, rng);
        let mut blocks: Vec<Rect> = rows
            .blocks
            .iter()
            .flat_map(|r| columns.blocks.iter().map(move |c| Rect::new(c.lo, r.lo, c.hi, r.hi)))
            .filter(|b| clearance.allows_block(*b))
            .collect();
        let from_core = |b: &Rect| (b.centre().x - core.x).hypot(b.centre().y - core.y);
        blocks.sort_by(|a, b| from_core(a).total_cmp(&from_core(b)));

        let mut taken: Vec<Rect> = Vec::new();
        let mut count = 0;
        for &block in &blocks {
            if count >= zone.plots {
                break;
            }
            let cells = layout::partition(block, layout::Mix::MEDIUM, rng);
            count += cells.len();
            taken.push(block);
            for (seq, cell) in cells.into_iter().enumerate() {
                let kind = ShapeKind::pick(rng, [12, 10, 8, 10]);
                let id = plots.len() as i64 + 1;
                let plot_no = format!("{}-{:02}-{:02}", zone.code, taken.len(), seq + 1);
                plots.push(Plot {
                    zone: zi,
                    cell,
                    natural: Outline::inside(kind, cell, rng),
                    role: Role::Industrial,
                    share: Share::default(),
                    idle: false,
                    parcel: blank_parcel(id, &plot_no, zi),
                });
            }
        }

        spare[zi] = Spare { built: taken.len(), blocks: blocks[taken.len()..].to_vec() };

        let mut roads = 0;
        for avenue in &columns.avenues {
            let beside = taken.iter().filter(|b| (b.x1 - avenue.lo).abs() < 1e-6 || (b.x0 - avenue.hi).abs() < 1e-6);
            let (y0, y1) = beside.fold((f64::MAX, f64::MIN), |(lo, hi), b| (lo.min(b.y0), hi.max(b.y1)));
            if y0 >= y1 {
                continue;
            }
            let strip = Rect::new(avenue.lo + 10.0, y0, avenue.hi - 10.0, y1.min(y0 + 3_000.0));
            if !clearance.allows_strip(strip) {
                continue;
            }
            roads += 1;
            let id = plots.len() as i64 + 1;
            let plot_no = format!("{}-R{roads}", zone.code);
            let mut road = Plot {
                zone: zi,
                cell: strip,
                natural: Outline::rectangle(strip),
                role: Role::Road,
                share: Share::default(),
                idle: false,
                parcel: blank_parcel(id, &plot_no, zi),
            };
            road.share = percent_of(road.cap(), 60, 90, 99);
            plots.push(road);
        }
    }
    (plots, spare)
}

/// The free industrial plot of a zone that best meets `fits`, by `score` (lowest wins).
fn pick_plot(plots: &[Plot], zone: usize, fits: impl Fn(&Plot) -> bool, score: impl Fn(&Plot) -> f64) -> Option<usize> {
    plots
        .iter()
        .enumerate()
        .filter(|(_, p)| p.zone == zone && p.is_free() && fits(p))
        .min_by(|(_, a), (_, b)| score(a).total_cmp(&score(b)))
        .map(|(i, _)| i)
}

/// Public plots supplied by allocation: a substation per zone, standard-factory platforms near each core, sewage
/// works in the two industrial parks, the service centre in the border zone, a logistics platform in the
/// cross-border zone.
fn assign_public_plots(plots: &mut [Plot], rng: &mut ChaCha8Rng) {
    for (zi, zone) in ZONES.iter().enumerate() {
        if zone.core.is_none() {
            continue;
        }
        for _ in 0..PLATFORMS_PER_ZONE {
            let found = pick_plot(
                plots,
                zi,
                |p| p.cell.width().min(p.cell.height()) >= 120.0 && (30_000..=110_000).contains(&p.cap()),
                Plot::distance_to_core,
            );
            if let Some(i) = found {
                plots[i].make_public(Role::FactoryPlatform, None);
            }
        }
        if let Some(i) = pick_plot(plots, zi, |p| p.cap() >= 7_000, |p| p.cap() as f64) {
            let mu = rng.random_range(4.0..8.0);
            plots[i].make_public(Role::Substation, Some(mu));
        }
        let far = |p: &Plot| -p.distance_to_core();
        match zone.code {
            "CL" | "JP" => {
                if let Some(i) = pick_plot(plots, zi, |p| (45_000..=120_000).contains(&p.cap()), far) {
                    let mu = rng.random_range(32.0..42.0);
                    plots[i].make_public(Role::Sewage, Some(mu));
                }
            }
            "BHQ" => {
                let fits = |p: &Plot| (14_000..=60_000).contains(&p.cap());
                if let Some(i) = pick_plot(plots, zi, fits, Plot::distance_to_core) {
                    plots[i].make_public(Role::ServiceCentre, Some(15.6));
                }
            }
            "KHQ" => {
                let fits = |p: &Plot| (40_000..=120_000).contains(&p.cap());
                if let Some(i) = pick_plot(plots, zi, fits, Plot::distance_to_core) {
                    plots[i].make_public(Role::LogisticsPlatform, None);
                }
            }
            _ => {}
        }
    }
    for p in plots.iter_mut().filter(|p| p.role.is_allocated()) {
        let (code, holder) = match p.role {
            Role::Road => ("1207", PARK_COMPANY),
            Role::Substation => ("1303", "广西电网有限责任公司东兴供电局"),
            Role::Sewage => ("1302", "东兴市城市污水处理有限公司"),
            Role::ServiceCentre => ("0801", PARK_COMPANY),
            Role::LogisticsPlatform => ("110101", PARK_COMPANY),
            Role::FactoryPlatform | Role::Industrial => ("100101", PARK_COMPANY),
        };
        let supplied = day_between(rng, (2018, 1), (2022, 12));
        let parcel = &mut p.parcel;
        parcel.land_use = ydyh(code);
        parcel.availability = Availability::Supplied;
        parcel.supply_method = Some(SupplyMethod::Allocation);
        parcel.holder = Some(holder.to_owned());
        parcel.supply_date = Some(supplied);
        if p.role == Role::FactoryPlatform {
            parcel.plot_ratio_min = Some(1.2);
            parcel.plot_ratio_max = Some(3.0);
            parcel.coverage_min = Some(0.40);
            parcel.height_max_m = Some(36.0);
            parcel.power_available_kva = Some(4_000);
        } else {
            let start = supplied.saturating_add(3.months());
            parcel.agreed_start_date = Some(start);
            parcel.actual_start_date = Some(start);
            parcel.agreed_completion_date = Some(start.saturating_add(18.months()));
            parcel.dev_stage = DevStage::Completed;
        }
    }
}

/// A price in the zone's range, to 0.1 万元 per mu.
fn price(rng: &mut ChaCha8Rng, zone: usize) -> f64 {
    let (lo, hi) = ZONES[zone].price_wan_per_mu;
    (rng.random_range(lo..=hi) * 10.0).round() / 10.0
}

/// Planning conditions of an industrial plot: the zone's minima, a height limit and the power at its boundary.
fn plan_industrial(p: &mut Plot, class: IndustrialClass, rng: &mut ChaCha8Rng) {
    let policy = &ZONES[p.zone].policy;
    let mu = p.cap() as f64 / 1_000.0;
    let parcel = &mut p.parcel;
    parcel.land_use = LandUse::industrial(class);
    parcel.plot_ratio_min = Some(policy.plot_ratio_min + f64::from(rng.random_range(0..=2_u8)) / 10.0);
    parcel.plot_ratio_max = Some([2.0, 2.5, 3.0][rng.random_range(0..3)]);
    parcel.coverage_min = Some(policy.coverage_min);
    parcel.height_max_m = Some([24.0, 36.0, 45.0][rng.random_range(0..3)]);
    let need = mu * 25.0;
    parcel.power_available_kva = Some(
        [630, 1_000, 1_600, 2_500, 4_000, 6_300, 10_000]
            .into_iter()
            .find(|&kva| f64::from(kva) >= need)
            .unwrap_or(10_000),
    );
}

/// Supplies the plot to `holder` by `method` for 50 years (20 for a lease), at a price in the zone's range.
fn transfer(p: &mut Plot, holder: &str, method: SupplyMethod, rng: &mut ChaCha8Rng) {
    let price = price(rng, p.zone);
    let parcel = &mut p.parcel;
    parcel.availability = Availability::Supplied;
    parcel.supply_method = Some(method);
    parcel.term_years = Some(if method == SupplyMethod::Lease { 20 } else { 50 });
    parcel.price_wan_per_mu = Some(price);
    parcel.holder = Some(holder.to_owned());
}

/// Development dates of a supplied plot: construction agreed `lead_months` after supply and, unless `stage` is
/// not started, begun a few weeks before the agreed date.
fn develop(p: &mut Plot, supplied: Date, lead_months: i32, stage: DevStage, rng: &mut ChaCha8Rng) {
    let agreed = supplied.saturating_add(lead_months.months());
    let parcel = &mut p.parcel;
    parcel.supply_date = Some(supplied);
    parcel.agreed_start_date = Some(agreed);
    parcel.agreed_completion_date = Some(agreed.saturating_add(24.months()));
    parcel.dev_stage = stage;
    if stage != DevStage::NotStarted {
        parcel.actual_start_date = Some(agreed.saturating_sub(rng.random_range(5..=40).days()));
    }
}

/// Puts every land project on the free plot of its zone whose size best matches its investment, and records the
/// supply and development its stage implies.
fn settle_land_projects(plots: &mut [Plot], rng: &mut ChaCha8Rng) {
    let mut order: Vec<usize> = (0..PROJECTS.len()).filter(|&i| PROJECTS[i].space == Space::Land).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(PROJECTS[i].investment_wan));
    for i in order {
        let entry = &PROJECTS[i];
        let class = entry.industry.typical_class();
        let intensity = rng.random_range(350.0..650.0);
        let want = (f64::from(entry.investment_wan) / intensity).clamp(12.0, 190.0) * 1_000.0 / 0.92;
        let zone = ZONES.iter().position(|z| z.code == entry.zone).unwrap_or_default();
        let score = |p: &Plot| (p.cap() as f64 - want).abs();
        let found = pick_plot(plots, zone, |_| true, score).or_else(|| {
            (0..ZONES.len())
                .filter(|&z| ZONES[z].classes.contains(&class))
                .filter_map(|z| pick_plot(plots, z, |_| true, score))
                .min_by(|&a, &b| score(&plots[a]).total_cmp(&score(&plots[b])))
        });
        let Some(at) = found else { continue };
        let p = &mut plots[at];
        plan_industrial(p, class, rng);
        p.parcel.project = Some(ProjectId(i as i64 + 1));
        if entry.stage == ProjectStage::Signed {
            p.parcel.availability = Availability::Held;
            p.parcel.holder = Some(entry.company.to_owned());
            p.parcel.price_wan_per_mu = Some(price(rng, p.zone));
            continue;
        }
        let method =
            if entry.investment_wan < 20_000 { SupplyMethod::LeaseThenTransfer } else { SupplyMethod::TransferListing };
        transfer(p, entry.company, method, rng);
        let supplied = entry.signed.saturating_add(rng.random_range(2..=4).months());
        let (lead, stage) = match entry.stage {
            ProjectStage::SpaceSecured => (12, DevStage::NotStarted),
            ProjectStage::Stalled => (6, DevStage::NotStarted),
            ProjectStage::Completed => (6, DevStage::Completed),
            ProjectStage::InProduction => (6, DevStage::InProduction),
            _ => (6, DevStage::Started),
        };
        develop(p, supplied, lead, stage, rng);
        p.idle = entry.stage == ProjectStage::Stalled;
    }
}

/// Everything else: about a third of all plots offered, earlier holders (a few of them idle), land taken back,
/// plots held for negotiations, the reserve and the plan.
fn assign_other_land(plots: &mut [Plot], rng: &mut ChaCha8Rng) {
    let mut free: Vec<usize> = (0..plots.len()).filter(|&i| plots[i].is_free()).collect();
    free.shuffle(rng);
    let available = (AVAILABLE_SHARE * plots.len() as f64).round() as usize;
    let mut holders = EARLIER_HOLDERS.iter().cycle();
    for (n, &i) in free.iter().enumerate() {
        let p = &mut plots[i];
        let classes = ZONES[p.zone].classes;
        let class = if classes.len() > 2 && rng.random_bool(0.15) {
            IndustrialClass::III
        } else if rng.random_bool(0.5) {
            IndustrialClass::I
        } else {
            IndustrialClass::II
        };
        plan_industrial(p, class, rng);
        let k = n.saturating_sub(available);
        if n < available {
            p.parcel.availability = Availability::Available;
            p.parcel.price_wan_per_mu = Some(price(rng, p.zone));
            if rng.random_bool(0.3) {
                p.parcel.available_from = Some(day_between(rng, (2027, 1), (2027, 6)));
            }
            continue;
        }
        let holder = holders.next().copied().unwrap_or(PARK_COMPANY);
        match k {
            // Idle more than two years: supplied, start agreed long ago, not started.
            0..3 => {
                transfer(p, holder, SupplyMethod::TransferListing, rng);
                let supplied = day_between(rng, (2020, 6), (2022, 10));
                develop(p, supplied, 12, DevStage::NotStarted, rng);
                p.idle = true;
            }
            // Idle more than one year.
            3..6 => {
                transfer(p, holder, SupplyMethod::TransferListing, rng);
                let supplied = day_between(rng, (2024, 1), (2024, 9));
                develop(p, supplied, 12, DevStage::NotStarted, rng);
                p.idle = true;
            }
            6..10 => {
                p.parcel.availability = Availability::Reclaimed;
                p.parcel.supply_date = Some(day_between(rng, (2016, 1), (2019, 12)));
            }
            10..15 => p.parcel.availability = Availability::Held,
            15..47 => {
                let method = match k {
                    15..17 => SupplyMethod::Lease,
                    17..19 => SupplyMethod::LeaseThenTransfer,
                    19 => SupplyMethod::TransferAuction,
                    _ => SupplyMethod::TransferListing,
                };
                transfer(p, holder, method, rng);
                let supplied = day_between(rng, (2012, 1), (2022, 12));
                let stage = match rng.random_range(0..10) {
                    0 => DevStage::Started,
                    1 | 2 => DevStage::Completed,
                    _ => DevStage::InProduction,
                };
                develop(p, supplied, 6, stage, rng);
            }
            _ if k % 2 == 0 => {
                p.parcel.availability = Availability::Reserve;
                if rng.random_bool(0.5) {
                    p.parcel.available_from = Some(day_between(rng, (2027, 6), (2028, 12)));
                }
            }
            _ => p.parcel.availability = Availability::Planned,
        }
    }
}

/// Marks supplied industrial plots as revitalized idle land (project plots first) until they can hold the
/// published total; plots of earlier holders among them were re-supplied recently.
fn choose_revitalized(plots: &mut [Plot], rng: &mut ChaCha8Rng) {
    let candidate = |p: &Plot| p.role == Role::Industrial && p.parcel.availability == Availability::Supplied && !p.idle;
    let mut with_project: Vec<usize> =
        (0..plots.len()).filter(|&i| candidate(&plots[i]) && plots[i].parcel.project.is_some()).collect();
    let mut others: Vec<usize> =
        (0..plots.len()).filter(|&i| candidate(&plots[i]) && plots[i].parcel.project.is_none()).collect();
    with_project.shuffle(rng);
    others.shuffle(rng);
    let mut room = 0;
    for i in with_project.into_iter().chain(others) {
        if room >= REVITALIZED {
            break;
        }
        let p = &mut plots[i];
        room += p.cap() * 90 / 100;
        p.parcel.revitalized = true;
        if p.parcel.project.is_none() {
            let supplied = day_between(rng, (2023, 1), (2025, 6));
            let stage = if rng.random_bool(0.5) { DevStage::Started } else { DevStage::InProduction };
            develop(p, supplied, 6, stage, rng);
        }
    }
}

/// Which plots a published total covers.
type Member = fn(&Plot) -> bool;

/// Registered areas: allocated plots together make the published allocation total and revitalized plots the
/// published revitalization total, to the thousandth of a mu; every other plot takes 86–97 % of its cell.
fn state_areas(plots: &mut [Plot], rng: &mut ChaCha8Rng) {
    for p in plots.iter_mut() {
        if p.role == Role::Industrial {
            p.share = percent_of(p.cap(), 70, rng.random_range(86..97), 97);
        }
        let s = &mut p.share;
        s.lo = s.lo.max(SMALLEST_PLOT);
        s.hi = s.hi.min(LARGEST_PLOT).max(s.lo);
        s.want = s.want.clamp(s.lo, s.hi);
    }
    let groups: [(i64, Member); 2] = [(ALLOCATED, |p| p.role.is_allocated()), (REVITALIZED, |p| p.parcel.revitalized)];
    for (total, member) in groups {
        let members: Vec<usize> = (0..plots.len()).filter(|&i| member(&plots[i])).collect();
        let shares: Vec<Share> = members.iter().map(|&i| plots[i].share).collect();
        let amounts = apportion(total, &shares).expect("the fixture plots have room for the published total");
        for (&i, amount) in members.iter().zip(amounts) {
            plots[i].share.want = amount;
        }
    }
    for p in plots.iter_mut() {
        p.parcel.stated_area = Mu(p.share.want as f64 / 1_000.0);
    }
}

/// Scales each outline to its registered area, places it on the ellipsoid, and corrects the scale until the
/// geodesic area matches. Returns the outlines in metres of each zone's frame.
fn draw_parcels(plots: &mut [Plot]) -> Vec<Outline> {
    plots
        .iter_mut()
        .map(|p| {
            let stated = p.parcel.stated_area_m2().0;
            let outline = p.natural.with_area(stated);
            let mut polygon = ZONES[p.zone].frame().polygon(&outline.0);
            for _ in 0..2 {
                let factor = (stated / geodesic_area(&polygon).0).sqrt();
                polygon = polygon.scale(factor);
            }
            p.parcel.area = geodesic_area(&polygon);
            p.parcel.geometry = polygon;
            let code = ZONES[p.zone].district;
            let supplied = matches!(p.parcel.availability, Availability::Supplied | Availability::Reclaimed);
            if supplied {
                let block: u32 = p.parcel.plot_no.split('-').nth(1).and_then(|b| b.parse().ok()).unwrap_or(0);
                p.parcel.parcel_code = Some(format!("450681{code:03}{block:03}GB{:05}", p.parcel.id.0));
            }
            outline
        })
        .collect()
}

/// Standard-factory buildings on the platform plots, adding up to the published floor area, and their units.
/// Platform plots that received buildings count as built; the others wait for phase two.
fn build_factories(
    plots: &mut [Plot],
    outlines: &[Outline],
    rng: &mut ChaCha8Rng,
) -> (Vec<FactoryBuilding>, Vec<FactoryUnit>) {
    // Platforms in turn across zones, so every zone gets buildings.
    let mut platforms: Vec<usize> = (0..plots.len()).filter(|&i| plots[i].role == Role::FactoryPlatform).collect();
    platforms.sort_by_key(|&i| {
        let rank = platforms_before(plots, i);
        (rank, plots[i].zone)
    });
    let mut packers: Vec<Packer> = platforms.iter().map(|&i| Packer::new(outlines[i].bounds())).collect();
    let specs = specs_with_total(rng, STANDARD_FACTORY_GFA_M2, STEEL_PORTALS);
    let mut placed: Vec<(usize, usize, Rect, Spec)> = Vec::new();
    for (n, spec) in specs.into_iter().enumerate() {
        let spot = (0..platforms.len()).find_map(|k| {
            let slot = (n + k) % platforms.len();
            packers[slot].place(spec.length_m, spec.depth_m()).map(|r| (slot, r))
        });
        let (slot, rect) = spot.expect("the platform plots hold every standard-factory building");
        placed.push((plots[platforms[slot]].zone, slot, rect, spec));
    }
    placed.sort_by_key(|&(zone, slot, _, _)| (zone, slot));

    let mut buildings = Vec::new();
    let mut units = Vec::new();
    let mut per_zone = vec![0; ZONES.len()];
    for (zone, slot, rect, spec) in placed {
        per_zone[zone] += 1;
        let plot = &mut plots[platforms[slot]];
        let supplied = plot.parcel.supply_date.unwrap_or(date(2018, 1, 1));
        let completion = day_between(rng, (2019, 3), (2025, 12)).max(supplied.saturating_add(24.months()));
        let site = &ZONES[zone];
        let at = Placement {
            id: BuildingId(buildings.len() as i64 + 1),
            building_no: format!("{}-B{}", site.code, per_zone[zone]),
            name: format!("{}标准厂房{}号楼", site.short_zh, per_zone[zone]),
            zone: ZoneId(zone as i64 + 1),
            parcel: Some(plot.parcel.id),
            footprint: rect,
            frame: site.frame(),
            completion_date: Some(completion),
            operator: Some(PARK_COMPANY.to_owned()),
        };
        let parcel = &mut plot.parcel;
        let start = completion.saturating_sub(20.months());
        if parcel.actual_start_date.is_none_or(|d| d > start) {
            parcel.agreed_start_date = Some(start);
            parcel.actual_start_date = Some(start);
        }
        if parcel.agreed_completion_date.is_none_or(|d| d < completion) {
            parcel.agreed_completion_date = Some(completion);
        }
        parcel.dev_stage = DevStage::Completed;
        units.extend(spec.units(&at, units.len() as i64 + 1, rng));
        buildings.push(spec.building(&at));
    }
    for &i in &platforms {
        let parcel = &mut plots[i].parcel;
        if parcel.actual_start_date.is_none() {
            parcel.agreed_start_date = Some(date(2027, 6, 30));
        }
    }
    (buildings, units)
}

/// How many platform plots of the same zone come before plot `i`.
fn platforms_before(plots: &[Plot], i: usize) -> usize {
    plots[..i].iter().filter(|p| p.role == Role::FactoryPlatform && p.zone == plots[i].zone).count()
}

/// The 48 project records. Factory projects lease (or reserve, when only signed or stalled) units in their
/// zone's buildings; other units are let to earlier tenants up to the target occupancy, a few reserved, the rest
/// vacant.
fn projects(
    plots: &[Plot],
    buildings: &[FactoryBuilding],
    units: &mut [FactoryUnit],
    rng: &mut ChaCha8Rng,
) -> Vec<Project> {
    let mut records = Vec::with_capacity(PROJECTS.len());
    for (i, entry) in PROJECTS.iter().enumerate() {
        let id = ProjectId(i as i64 + 1);
        let land = plots.iter().find(|p| p.parcel.project == Some(id));
        let leased = if entry.space == Space::Factory { lease_units(entry, id, buildings, units) } else { Vec::new() };
        let zone = land.map(|p| p.parcel.zone).or_else(|| {
            let first = leased.first()?;
            let unit = units.iter().find(|u| u.id == *first)?;
            buildings.iter().find(|b| b.id == unit.building).map(|b| b.zone)
        });
        let power = if leased.is_empty() {
            ((f64::from(entry.investment_wan) / 40.0).clamp(200.0, 8_000.0) / 50.0).round() as u32 * 50
        } else {
            units.iter().filter(|u| leased.contains(&u.id)).map(|u| u.power_kva).sum()
        };
        let (start, production) = project_dates(entry, land, rng);
        let investment = f64::from(entry.investment_wan);
        records.push(Project {
            id,
            code: String::new(),
            name_zh: entry.name_zh.to_owned(),
            name_en: entry.name_en.to_owned(),
            company: entry.company.to_owned(),
            investor_country: entry.country.to_owned(),
            industry: entry.industry,
            required_class: entry.industry.typical_class(),
            total_investment: Wan(investment),
            fixed_asset_investment: Wan((investment * rng.random_range(0.65..0.85) / 10.0).round() * 10.0),
            employees: ((investment / 80.0).clamp(40.0, 3_000.0) / 10.0).round() as u32 * 10,
            power_need_kva: power,
            stage: entry.stage,
            zone,
            parcel: land.map(|p| p.parcel.id),
            units: leased,
            signed_date: entry.signed,
            start_date: start,
            production_date: production,
        });
    }
    // Codes number the projects signed in each year in signing order.
    let mut by_date: Vec<usize> = (0..records.len()).collect();
    by_date.sort_by_key(|&i| (records[i].signed_date, i));
    let mut year = 0;
    let mut seq = 0;
    for i in by_date {
        let y = records[i].signed_date.year();
        if y != year {
            year = y;
            seq = 0;
        }
        seq += 1;
        records[i].code = format!("DX-{y}-{seq:03}");
    }
    let_other_units(units, rng);
    records
}

/// When a project started building or fitting out, and when it went into production.
fn project_dates(entry: &Entry, land: Option<&Plot>, rng: &mut ChaCha8Rng) -> (Option<Date>, Option<Date>) {
    let started = match entry.stage {
        ProjectStage::Signed | ProjectStage::Stalled | ProjectStage::SpaceSecured => None,
        _ => match land {
            Some(p) => p.parcel.actual_start_date,
            None => Some(entry.signed.saturating_add(rng.random_range(1..=3).months())),
        },
    };
    let production = match (entry.stage, started) {
        (ProjectStage::InProduction, Some(s)) => {
            let months = if land.is_some() { rng.random_range(14..=22) } else { rng.random_range(2..=5) };
            Some(s.saturating_add(months.months()).min(AS_OF))
        }
        _ => None,
    };
    (started, production)
}

/// Leases (or reserves) units of one building in the project's zone covering its space need, preferring the
/// first building with enough free space; returns their ids.
fn lease_units(
    entry: &Entry,
    project: ProjectId,
    buildings: &[FactoryBuilding],
    units: &mut [FactoryUnit],
) -> Vec<landbank_inventory::UnitId> {
    let need = (f64::from(entry.investment_wan) * 0.35).clamp(800.0, 8_000.0);
    let zone = ZONES.iter().position(|z| z.code == entry.zone).map_or(ZoneId(0), |z| ZoneId(z as i64 + 1));
    let free_area = |b: &FactoryBuilding, units: &[FactoryUnit]| -> f64 {
        units.iter().filter(|u| u.building == b.id && u.project.is_none()).map(|u| u.area.0).sum()
    };
    let in_zone = buildings.iter().filter(|b| b.zone == zone);
    let building = in_zone
        .clone()
        .find(|b| free_area(b, units) >= need)
        .or_else(|| in_zone.max_by(|a, b| free_area(a, units).total_cmp(&free_area(b, units))))
        .or_else(|| buildings.iter().find(|b| free_area(b, units) >= need));
    let Some(building) = building else {
        return Vec::new();
    };
    let status = match entry.stage {
        ProjectStage::Signed | ProjectStage::Stalled => UnitStatus::Reserved,
        _ => UnitStatus::Leased,
    };
    let mut taken = Vec::new();
    let mut area = 0.0;
    for u in units.iter_mut().filter(|u| u.building == building.id && u.project.is_none()) {
        if area >= need {
            break;
        }
        area += u.area.0;
        u.status = status;
        u.project = Some(project);
        taken.push(u.id);
    }
    taken
}

/// Lets units without a project to earlier tenants until the target occupancy, reserves a few, and gives the
/// vacant ones a date they are free from.
fn let_other_units(units: &mut [FactoryUnit], rng: &mut ChaCha8Rng) {
    let total: f64 = units.iter().map(|u| u.area.0).sum();
    let mut occupied: f64 = units.iter().filter(|u| u.status == UnitStatus::Leased).map(|u| u.area.0).sum();
    let mut reserved: f64 = units.iter().filter(|u| u.status == UnitStatus::Reserved).map(|u| u.area.0).sum();
    let mut free: Vec<usize> = (0..units.len()).filter(|&i| units[i].project.is_none()).collect();
    free.shuffle(rng);
    for i in free {
        let u = &mut units[i];
        if occupied < OCCUPANCY * total {
            u.status = UnitStatus::Leased;
            occupied += u.area.0;
        } else if reserved < RESERVED_SHARE * total {
            u.status = UnitStatus::Reserved;
            reserved += u.area.0;
        } else if rng.random_bool(0.6) {
            u.available_from = Some(day_between(rng, (2026, 12), (2027, 6)));
        }
    }
}

/// Buildings with no vacant unit are complete; the others are leasable.
fn settle_building_status(mut buildings: Vec<FactoryBuilding>, units: &[FactoryUnit]) -> Vec<FactoryBuilding> {
    for b in &mut buildings {
        let vacant = units.iter().any(|u| u.building == b.id && u.status == UnitStatus::Vacant);
        b.status = if vacant { BuildingStatus::Leasable } else { BuildingStatus::Completed };
    }
    buildings
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{BoundingRect, Geometry, Relate};
    use landbank_inventory::check::{check, is_parcel_code};
    use landbank_inventory::{Country, FireClass, Inventory, PoiKind, Statistics, Structure, ZoneKind, statistics};

    fn inventory() -> Inventory {
        Inventory::new(dongxing()).expect("unique ids")
    }

    fn stats(inventory: &Inventory) -> Statistics {
        statistics(inventory)
    }

    fn thousandths(mu: f64) -> i64 {
        (mu * 1_000.0).round() as i64
    }

    #[test]
    fn the_fixtures_pass_every_data_quality_check() {
        let problems = check(&inventory());
        let listed: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(problems.is_empty(), "{listed:#?}");
    }

    #[test]
    fn the_fixtures_are_the_same_on_every_call() {
        let (a, b) = (dongxing(), dongxing());
        assert_eq!(a.zones, b.zones);
        assert_eq!(a.parcels, b.parcels);
        assert_eq!(a.buildings, b.buildings);
        assert_eq!(a.units, b.units);
        assert_eq!(a.projects, b.projects);
        assert_eq!(a.pois, b.pois);
    }

    #[test]
    fn zones_are_the_four_park_areas_on_their_boxes_and_the_twin_park() {
        let inv = inventory();
        let expected = [
            ("KHQ", ZoneKind::CrossBorderCoopZone, Country::Cn, [107.975, 21.515, 108.030, 21.550]),
            ("BHQ", ZoneKind::BorderEconCoopZone, Country::Cn, [107.950, 21.545, 107.990, 21.575]),
            ("CL", ZoneKind::IndustrialPark, Country::Cn, [108.000, 21.555, 108.060, 21.600]),
            ("JP", ZoneKind::IndustrialPark, Country::Cn, [108.060, 21.565, 108.130, 21.620]),
            ("VN-HY", ZoneKind::TwinParkCounterpart, Country::Vn, [107.900, 21.490, 107.950, 21.530]),
        ];
        assert_eq!(inv.zones().len(), expected.len());
        for (code, kind, country, b) in expected {
            let z = inv.zone_by_code(code).expect(code);
            assert_eq!((z.kind, z.country), (kind, country), "{code}");
            let r = z.boundary.bounding_rect().expect("a boundary");
            let corners = [r.min().x, r.min().y, r.max().x, r.max().y];
            assert!(corners.iter().zip(b).all(|(got, want)| (got - want).abs() < 1e-12), "{code}: {corners:?}");
            assert!(!z.leading_industries.is_empty() && !z.allowed_classes.is_empty());
            assert!((200.0..=300.0).contains(&z.policy.intensity_min_wan_per_mu));
        }
        let twin = inv.zone_by_code("VN-HY").expect("twin park").id;
        assert!(inv.parcels().iter().all(|p| p.zone != twin));
        let names = ["跨", "边", "冲栏", "江平"];
        for (code, name) in ["KHQ", "BHQ", "CL", "JP"].into_iter().zip(names) {
            let z = inv.zone_by_code(code).expect(code);
            assert!(z.name_zh.contains(name), "{}", z.name_zh);
            assert!(inv.parcels().iter().filter(|p| p.zone == z.id).count() >= 30, "{code}");
        }
    }

    #[test]
    fn there_are_150_to_400_parcels_of_3_to_200_mu_mostly_20_to_80() {
        let inv = inventory();
        let parcels = inv.parcels();
        assert!((150..=400).contains(&parcels.len()), "{}", parcels.len());
        for p in parcels {
            let mu = p.stated_area.0;
            assert!((3.0..=200.0).contains(&mu), "{} is {mu} mu", p.plot_no);
            assert!((mu * 1_000.0 - (mu * 1_000.0).round()).abs() < 1e-6, "{} is not in thousandths: {mu}", p.plot_no);
        }
        let typical = parcels.iter().filter(|p| (20.0..=80.0).contains(&p.stated_area.0)).count();
        assert!(typical * 2 > parcels.len(), "{typical} of {}", parcels.len());
    }

    #[test]
    fn every_outline_matches_its_registered_area_within_half_a_per_mille() {
        for p in inventory().parcels() {
            let geodesic = geodesic_area(&p.geometry).0;
            approx::assert_relative_eq!(p.area.0, geodesic, max_relative = 1e-12);
            assert!(p.area_drift().abs() < 5e-4, "{} drifts {}", p.plot_no, p.area_drift());
        }
    }

    #[test]
    fn shapes_are_mostly_rectangles_with_some_rotated_trapezoids_and_l_shapes() {
        let inv = inventory();
        let vertices = |p: &Parcel| p.geometry.exterior().0.len() - 1;
        let axis_aligned = |p: &Parcel| {
            let c = &p.geometry.exterior().0;
            c.windows(2).all(|w| (w[0].x - w[1].x).abs() < 1e-12 || (w[0].y - w[1].y).abs() < 1e-12)
        };
        let parcels = inv.parcels();
        let rectangles = parcels.iter().filter(|p| vertices(p) == 4 && axis_aligned(p)).count();
        let l_shapes = parcels.iter().filter(|p| vertices(p) == 6).count();
        let others = parcels.len() - rectangles - l_shapes;
        assert!(rectangles * 2 > parcels.len(), "{rectangles}");
        assert!(l_shapes >= 5 && others >= 20, "{l_shapes} L, {others} other");
    }

    #[test]
    fn parcels_keep_150_m_off_the_southern_edge_of_their_zone() {
        let inv = inventory();
        for p in inv.parcels() {
            let zone = inv.zone(p.zone).expect("zone");
            let south = zone.boundary.bounding_rect().expect("box").min().y;
            let lowest = p.geometry.bounding_rect().expect("box").min().y;
            assert!((lowest - south) * 110_700.0 >= 149.0, "{}", p.plot_no);
        }
    }

    #[test]
    fn revitalized_land_is_exactly_1699_5_mu() {
        let s = stats(&inventory());
        assert_eq!(thousandths(s.park.revitalized.stated_area.0), 1_699_500);
        assert!(s.park.revitalized.count >= 10);
    }

    #[test]
    fn land_supplied_by_allocation_is_exactly_1334_8_mu() {
        let inv = inventory();
        let s = stats(&inv);
        let allocated = s.park.by_supply_method[&SupplyMethod::Allocation];
        assert_eq!(thousandths(allocated.stated_area.0), 1_334_800);
        let codes: Vec<&str> = inv
            .parcels()
            .iter()
            .filter(|p| p.supply_method == Some(SupplyMethod::Allocation))
            .map(|p| p.land_use.code.as_str())
            .collect();
        for code in ["1207", "1302", "1303", "0801", "100101"] {
            assert!(codes.contains(&code), "no allocated {code} plot");
        }
        for p in inv.parcels().iter().filter(|p| p.supply_method == Some(SupplyMethod::Allocation)) {
            assert!(p.price_wan_per_mu.is_none() && p.project.is_none(), "{}", p.plot_no);
        }
    }

    #[test]
    fn availability_is_about_a_third_offered_with_every_status_present() {
        let s = stats(&inventory());
        let count = |a| s.park.by_availability.get(&a).map_or(0, |t| t.count);
        let total = f64::from(s.park.parcels.count);
        let available = f64::from(count(Availability::Available)) / total;
        assert!((0.30..=0.40).contains(&available), "{available}");
        for a in [
            Availability::Supplied,
            Availability::Held,
            Availability::Reserve,
            Availability::Planned,
            Availability::Reclaimed,
        ] {
            assert!(count(a) > 0, "no {a} parcel");
        }
        assert!(count(Availability::Reclaimed) <= 8);
        assert_eq!(count(Availability::Retired), 0);
    }

    #[test]
    fn supplied_industrial_land_is_mostly_listed_for_fifty_years_at_8_to_20_wan() {
        let inv = inventory();
        let supplied: Vec<&Parcel> = inv
            .parcels()
            .iter()
            .filter(|p| p.availability == Availability::Supplied && p.class().is_some())
            .filter(|p| p.supply_method != Some(SupplyMethod::Allocation))
            .collect();
        let listed = supplied.iter().filter(|p| p.supply_method == Some(SupplyMethod::TransferListing)).count();
        assert!(listed * 10 > supplied.len() * 7, "{listed} of {}", supplied.len());
        for method in [SupplyMethod::Lease, SupplyMethod::LeaseThenTransfer] {
            assert!(supplied.iter().any(|p| p.supply_method == Some(method)), "no {method}");
        }
        for p in &supplied {
            let price = p.price_wan_per_mu.expect("a price");
            assert!((8.0..=20.0).contains(&price), "{} at {price}", p.plot_no);
            let term = p.term_years.expect("a term");
            assert!(term == 50 || p.supply_method == Some(SupplyMethod::Lease), "{}", p.plot_no);
            assert!(p.holder.is_some() && p.supply_date.is_some(), "{}", p.plot_no);
            assert!(p.plot_ratio_min.is_some_and(|r| (0.7..=1.2).contains(&r)));
            assert!(p.coverage_min.is_some_and(|c| (0.30..=0.40).contains(&c)));
        }
    }

    #[test]
    fn registered_parcels_carry_valid_parcel_codes() {
        let inv = inventory();
        let mut codes = std::collections::BTreeSet::new();
        for p in inv.parcels() {
            if p.availability == Availability::Supplied {
                assert!(p.parcel_code.is_some(), "{}", p.plot_no);
            }
            if let Some(code) = &p.parcel_code {
                assert!(is_parcel_code(code) && code.starts_with("450681"), "{code}");
                assert!(codes.insert(code.clone()), "{code} twice");
            }
        }
    }

    #[test]
    fn some_supplied_parcels_are_idle_for_more_than_one_and_more_than_two_years() {
        let inv = inventory();
        let idle_since = |p: &Parcel| {
            let not_started = p.availability == Availability::Supplied
                && p.dev_stage == DevStage::NotStarted
                && p.actual_start_date.is_none();
            p.agreed_start_date.filter(|_| not_started).map(|d| d.until(AS_OF).expect("days").get_days())
        };
        let idle: Vec<i32> = inv.parcels().iter().filter_map(idle_since).collect();
        let over_two = idle.iter().filter(|&&d| d > 731).count();
        let one_to_two = idle.iter().filter(|&&d| (366..=731).contains(&d)).count();
        assert!(over_two >= 2 && one_to_two >= 2, "{idle:?}");
        for p in inv.parcels() {
            if let (Some(s), Some(a)) = (p.supply_date, p.actual_start_date) {
                assert!(s <= a && a <= AS_OF, "{}", p.plot_no);
            }
        }
    }

    #[test]
    fn standard_factories_add_up_to_172_480_square_metres() {
        let inv = inventory();
        let s = stats(&inv);
        let gfa = s.park.factories.gross_floor_area.0;
        assert!((172_000.0..173_000.0).contains(&gfa), "{gfa}");
        approx::assert_relative_eq!(gfa, 172_480.0, epsilon = 1e-6);
        let buildings = inv.buildings();
        assert!((15..=25).contains(&buildings.len()), "{}", buildings.len());
        let steel = buildings.iter().filter(|b| b.structure == Structure::SteelPortal).count();
        assert!((1..=5).contains(&steel), "{steel}");
        let bing = buildings.iter().filter(|b| b.fire_class == FireClass::Bing).count();
        assert!(bing * 2 > buildings.len());
        for zone in ["KHQ", "BHQ", "CL", "JP"] {
            let id = inv.zone_by_code(zone).expect(zone).id;
            assert!(buildings.iter().any(|b| b.zone == id), "no factory in {zone}");
        }
    }

    #[test]
    fn factory_specs_are_in_the_ranges_investors_expect() {
        let inv = inventory();
        for b in inv.buildings() {
            let no = &b.building_no;
            approx::assert_relative_eq!(
                b.gross_floor_area.0,
                b.floor_plate.0 * f64::from(b.floors),
                max_relative = 1e-9
            );
            approx::assert_relative_eq!(geodesic_area(&b.footprint).0, b.floor_plate.0, max_relative = 1e-3);
            assert!((1_500.0..=6_000.0).contains(&b.floor_plate.0), "{no}");
            assert!((6.0..=9.0).contains(&b.height_1f_m), "{no}");
            assert!((15.0..=30.0).contains(&b.load_1f_kn_m2), "{no}");
            assert!(b.transformer_kva >= 315, "{no}");
            if b.floors > 1 {
                assert!((3..=6).contains(&b.floors), "{no}");
                assert!((4.5..=5.5).contains(&b.height_upper_m), "{no}");
                assert!((5.0..=10.0).contains(&b.load_upper_kn_m2), "{no}");
                assert!((2.0..=5.0).contains(&b.lift_capacity_t) && b.lift_count >= 1, "{no}");
            }
            let parcel = inv.parcel(b.parcel.expect("on a parcel")).expect("parcel");
            assert!(parcel.geometry.relate(&b.footprint).is_covers(), "{no}");
            assert_eq!(parcel.supply_method, Some(SupplyMethod::Allocation), "{no}");
        }
    }

    #[test]
    fn units_split_every_building_and_most_space_is_let() {
        let inv = inventory();
        for b in inv.buildings() {
            let units: Vec<&FactoryUnit> = inv.units().iter().filter(|u| u.building == b.id).collect();
            let sum: f64 = units.iter().map(|u| u.area.0).sum();
            approx::assert_relative_eq!(sum, b.gross_floor_area.0, max_relative = 1e-9);
            for u in units {
                assert!(u.label.starts_with(&format!("{}-{}F", b.building_no, u.floor)), "{}", u.label);
                let rent = u.rent_yuan_m2_month;
                let range = if u.floor == 1 { 8.0..=14.0 } else { 6.0..=11.0 };
                assert!(range.contains(&rent), "{} at {rent}", u.label);
                if let Some(bay) = &u.outline {
                    assert!(!u.whole_floor);
                    assert!(b.footprint.relate(bay).is_covers(), "{}", u.label);
                }
            }
        }
        let s = stats(&inv);
        let occupancy = s.park.factories.occupancy().expect("units");
        assert!((0.65..=0.85).contains(&occupancy), "{occupancy}");
        let vacant: Vec<&FactoryUnit> = inv.units().iter().filter(|u| u.status == UnitStatus::Vacant).collect();
        assert!(!vacant.is_empty() && vacant.iter().any(|u| u.available_from.is_some()));
        assert!(inv.units().iter().any(|u| u.status == UnitStatus::Reserved));
    }

    #[test]
    fn there_are_48_projects_worth_154_02_yi_at_the_published_stages() {
        let inv = inventory();
        let s = stats(&inv);
        let projects = &s.park.projects;
        assert_eq!(projects.count, 48);
        approx::assert_relative_eq!(projects.total_investment.0, 1_540_200.0);
        approx::assert_relative_eq!(projects.total_investment.to_yi(), 154.02, epsilon = 1e-9);
        assert_eq!(projects.by_stage[&ProjectStage::InProduction].count, 10);
        assert_eq!(projects.by_stage[&ProjectStage::UnderConstruction].count, 18);
        let named = [
            ("华信坚果加工", ProjectStage::InProduction),
            ("卓夫香料加工厂", ProjectStage::InProduction),
            ("全朗生物原料药加工生产项目", ProjectStage::UnderConstruction),
            ("广西东盟中药材香料智慧产业园", ProjectStage::UnderConstruction),
        ];
        for (name, stage) in named {
            let p = inv.projects().iter().find(|p| p.name_zh.contains(name)).expect(name);
            assert_eq!(p.stage, stage, "{name}");
        }
        let codes: std::collections::BTreeSet<&str> = inv.projects().iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes.len(), 48);
        assert!(codes.contains("DX-2023-001"));
        assert!(inv.projects().iter().filter(|p| p.investor_country == "CN").count() > 36);
        for p in inv.projects() {
            assert!((2_000.0..=200_000.0).contains(&p.total_investment.0), "{}", p.code);
            assert!(p.fixed_asset_investment.0 <= p.total_investment.0);
        }
    }

    #[test]
    fn every_project_holds_land_or_units_consistently() {
        let inv = inventory();
        for p in inv.projects() {
            assert_eq!(p.parcel.is_some(), p.units.is_empty(), "{} needs land or units, not both", p.code);
            if let Some(id) = p.parcel {
                let parcel = inv.parcel(id).expect("parcel");
                assert_eq!(parcel.project, Some(p.id), "{}", p.code);
                assert_eq!(parcel.holder.as_deref(), Some(p.company.as_str()), "{}", p.code);
                assert!(matches!(parcel.availability, Availability::Supplied | Availability::Held));
                assert!(p.required_class.fits_on(parcel.class().expect("industrial")), "{}", p.code);
                assert_eq!(p.zone, Some(parcel.zone));
            }
            for &id in &p.units {
                let unit = inv.unit(id).expect("unit");
                assert_eq!(unit.project, Some(p.id), "{}", p.code);
                assert!(matches!(unit.status, UnitStatus::Leased | UnitStatus::Reserved));
            }
            let in_production = p.stage == ProjectStage::InProduction;
            assert_eq!(p.production_date.is_some(), in_production, "{}", p.code);
        }
        for parcel in inv.parcels() {
            if let Some(id) = parcel.project {
                assert_eq!(inv.project(id).and_then(|p| p.parcel), Some(parcel.id));
            }
        }
        for unit in inv.units() {
            if let Some(id) = unit.project {
                assert!(inv.project(id).is_some_and(|p| p.units.contains(&unit.id)));
            }
        }
    }

    #[test]
    fn reference_features_mark_the_roads_bridges_service_centre_and_twin_park() {
        let inv = inventory();
        let poi = |kind| inv.pois().iter().filter(move |p| p.kind == kind);
        let roads: Vec<&str> = poi(PoiKind::Road).map(|p| p.name_zh.as_str()).collect();
        assert!(roads.iter().any(|n| n.contains("G219")) && roads.iter().any(|n| n.contains("国门大道")));
        assert!(poi(PoiKind::Road).all(|p| matches!(p.geometry, Geometry::LineString(_))));
        let point = |kind| match poi(kind).next().map(|p| &p.geometry) {
            Some(Geometry::Point(pt)) => *pt,
            other => panic!("{kind}: {other:?}"),
        };
        let near = |p: geo::Point, x: f64, y: f64| (p.x() - x).abs() < 0.005 && (p.y() - y).abs() < 0.005;
        assert!(near(point(PoiKind::BridgePeople), 107.971, 21.537));
        assert!(near(point(PoiKind::BridgeFreight), 107.995, 21.530));
        let centre = point(PoiKind::ServiceCentre);
        let in_zone =
            |code: &str, p: geo::Point| inv.zone_by_code(code).is_some_and(|z| z.boundary.relate(&p).is_covers());
        assert!(in_zone("BHQ", centre) || in_zone("KHQ", centre));
        let twin = point(PoiKind::TwinPark);
        assert!(in_zone("VN-HY", twin));
        for p in inv.pois() {
            let expected = if p.kind == PoiKind::TwinPark { Country::Vn } else { Country::Cn };
            assert_eq!(p.country, expected, "{}", p.code);
        }
    }
}
