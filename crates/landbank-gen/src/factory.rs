//! Standard-factory buildings (标准厂房) and their lettable units: specs in the ranges of reference/domain.md §2
//! and §8, footprints packed into a plot, and each floor let whole or in bays.

use landbank_inventory::{
    BuildingId, BuildingStatus, Date, FactoryBuilding, FactoryUnit, FireClass, ParcelId, SquareMeters, Structure,
    UnitId, UnitStatus, ZoneId,
};
use rand::Rng;
use rand::seq::IndexedRandom;

use crate::frame::Frame;
use crate::layout::Rect;

/// Standard transformer sizes, kVA.
const TRANSFORMER_STEPS_KVA: [u32; 12] = [315, 400, 500, 630, 800, 1_000, 1_250, 1_600, 2_000, 2_500, 3_150, 4_000];
/// Clear distance between a plot's edge and a building, metres.
pub(crate) const SETBACK_M: f64 = 12.0;
/// Clear distance between two buildings (fire spacing of 丙-class multi-storey factories), metres.
pub(crate) const SPACING_M: f64 = 15.0;
/// Floor plates of multi-storey blocks, m².
const RC_PLATE_M2: std::ops::RangeInclusive<f64> = 1_500.0..=3_600.0;
/// The largest gross floor area one randomly drawn building reaches, m².
const LARGEST_GFA_M2: f64 = 3_600.0 * 6.0;

/// What a standard-factory building is like, before it is placed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spec {
    pub structure: Structure,
    pub floors: u8,
    /// Length of the footprint along its column grid, metres.
    pub length_m: f64,
    pub gross_floor_area_m2: f64,
    pub height_1f_m: f64,
    pub height_upper_m: f64,
    pub load_1f_kn_m2: f64,
    pub load_upper_kn_m2: f64,
    pub lift_capacity_t: f64,
    /// Electrical provision, VA per m² of floor area.
    pub va_per_m2: f64,
    pub fire_class: FireClass,
    pub rent_1f: f64,
    pub rent_upper: f64,
}

/// Where a building stands and who runs it.
#[derive(Debug, Clone)]
pub(crate) struct Placement {
    pub id: BuildingId,
    pub building_no: String,
    pub name: String,
    pub zone: ZoneId,
    pub parcel: Option<ParcelId>,
    /// Footprint in metres of `frame`.
    pub footprint: Rect,
    pub frame: Frame,
    pub completion_date: Option<Date>,
    pub operator: Option<String>,
}

fn pick(rng: &mut impl Rng, values: &[f64]) -> f64 {
    values.choose(rng).copied().unwrap_or_default()
}

impl Spec {
    /// A building of the given structure with sizes and specs drawn from realistic ranges. Its gross floor area is
    /// a whole number of m².
    pub(crate) fn random(rng: &mut impl Rng, structure: Structure) -> Spec {
        let rent_1f = f64::from(rng.random_range(16..=28_u32)) / 2.0;
        let rent_upper = (rent_1f - rng.random_range(2.0..3.5)).clamp(6.0, 11.0);
        let rent_upper = (rent_upper * 2.0).round() / 2.0;
        if structure == Structure::SteelPortal {
            let span = pick(rng, &[24.0, 30.0, 36.0]);
            let length = 6.0 * f64::from(rng.random_range(11..=16_u32));
            let height = pick(rng, &[8.0, 8.5, 9.0]);
            let load = pick(rng, &[15.0, 20.0, 25.0, 30.0]);
            Spec {
                structure,
                floors: 1,
                length_m: length,
                gross_floor_area_m2: (span * length).round(),
                height_1f_m: height,
                height_upper_m: height,
                load_1f_kn_m2: load,
                load_upper_kn_m2: load,
                lift_capacity_t: 0.0,
                va_per_m2: rng.random_range(120.0..200.0),
                fire_class: *[FireClass::Ding, FireClass::Ding, FireClass::Wu, FireClass::Bing]
                    .choose(rng)
                    .unwrap_or(&FireClass::Ding),
                rent_1f,
                rent_upper: rent_1f,
            }
        } else {
            let grid = pick(rng, &[8.4, 9.0]);
            let depth = grid * f64::from(rng.random_range(3..=4_u32));
            let mut bays = rng.random_range(7..=11_u32);
            while grid * f64::from(bays) * depth < *RC_PLATE_M2.start() {
                bays += 1;
            }
            let length = grid * f64::from(bays);
            let floors = *[3_u8, 4, 4, 4, 5, 5, 5, 6].choose(rng).unwrap_or(&4);
            Spec {
                structure,
                floors,
                length_m: length,
                gross_floor_area_m2: (length * depth).round() * f64::from(floors),
                height_1f_m: pick(rng, &[6.0, 6.5, 7.0, 7.5, 8.0]),
                height_upper_m: pick(rng, &[4.5, 4.8, 5.0, 5.2, 5.5]),
                load_1f_kn_m2: pick(rng, &[20.0, 25.0, 30.0]),
                load_upper_kn_m2: pick(rng, &[5.0, 6.5, 7.5, 8.0, 10.0]),
                lift_capacity_t: pick(rng, &[2.0, 3.0, 3.0, 5.0]),
                va_per_m2: rng.random_range(100.0..180.0),
                // Multi-storey standard factories are designed for class 丙 production, a few for 丁.
                fire_class: if rng.random_range(0..12) != 0 { FireClass::Bing } else { FireClass::Ding },
                rent_1f,
                rent_upper,
            }
        }
    }

    /// The same building resized to `gfa` m² (floors kept): the length follows the column grid, the depth the rest.
    #[must_use]
    pub(crate) fn with_gross_floor_area(mut self, gfa: f64) -> Spec {
        self.gross_floor_area_m2 = gfa;
        let aspect = if self.floors == 1 { 1.8 } else { 2.6 };
        let grid = if self.floors == 1 { 6.0 } else { 8.4 };
        self.length_m = (((self.floor_plate() * aspect).sqrt() / grid).round() * grid).max(grid);
        self
    }

    pub(crate) fn floor_plate(&self) -> f64 {
        self.gross_floor_area_m2 / f64::from(self.floors)
    }

    pub(crate) fn depth_m(&self) -> f64 {
        self.floor_plate() / self.length_m
    }

    fn lift_count(&self) -> u8 {
        if self.floors == 1 { 0 } else { (self.gross_floor_area_m2 / 10_000.0).ceil().max(1.0) as u8 }
    }

    fn transformer_kva(&self) -> u32 {
        let need = self.gross_floor_area_m2 * self.va_per_m2 / 1_000.0;
        TRANSFORMER_STEPS_KVA
            .iter()
            .copied()
            .find(|&kva| f64::from(kva) >= need)
            .unwrap_or(TRANSFORMER_STEPS_KVA[TRANSFORMER_STEPS_KVA.len() - 1])
    }

    /// The building record, leasable until its units say otherwise.
    pub(crate) fn building(&self, at: &Placement) -> FactoryBuilding {
        FactoryBuilding {
            id: at.id,
            building_no: at.building_no.clone(),
            name: at.name.clone(),
            zone: at.zone,
            parcel: at.parcel,
            footprint: at.frame.polygon(&at.footprint.ring()),
            structure: self.structure,
            floors: self.floors,
            gross_floor_area: SquareMeters(self.gross_floor_area_m2),
            floor_plate: SquareMeters(self.floor_plate()),
            height_1f_m: self.height_1f_m,
            height_upper_m: self.height_upper_m,
            load_1f_kn_m2: self.load_1f_kn_m2,
            load_upper_kn_m2: self.load_upper_kn_m2,
            lift_count: self.lift_count(),
            lift_capacity_t: self.lift_capacity_t,
            transformer_kva: self.transformer_kva(),
            fire_class: self.fire_class,
            status: BuildingStatus::Leasable,
            completion_date: at.completion_date,
            operator: at.operator.clone(),
        }
    }

    /// The lettable units, vacant: every floor let whole or in 2–4 bays whose outlines split the footprint. Their
    /// areas add up to the gross floor area. Ids count up from `first_id`.
    pub(crate) fn units(&self, at: &Placement, first_id: i64, rng: &mut impl Rng) -> Vec<FactoryUnit> {
        let mut units = Vec::new();
        let along_x = at.footprint.width() >= at.footprint.height();
        let plate = self.floor_plate();
        for floor in 1..=self.floors {
            let bays = match (floor, self.floors) {
                (_, 1) => rng.random_range(2..=4),
                (1, _) => *[1, 2, 2, 3].choose(rng).unwrap_or(&2),
                _ => *[1, 1, 2, 2, 3, 4].choose(rng).unwrap_or(&1),
            };
            let rent = if floor == 1 { self.rent_1f } else { (self.rent_upper - 0.2 * f64::from(floor - 2)).max(6.0) };
            let outlines = if bays == 1 {
                vec![None]
            } else {
                at.footprint.split(bays, along_x, 0.0, rng).into_iter().map(Some).collect()
            };
            for (i, bay) in outlines.iter().enumerate() {
                let area = bay.map_or(plate, |r| r.area() * plate / at.footprint.area());
                let label = if bays == 1 {
                    format!("{}-{floor}F", at.building_no)
                } else {
                    format!("{}-{floor}F-{}", at.building_no, char::from(b'A' + i as u8))
                };
                units.push(FactoryUnit {
                    id: UnitId(first_id + units.len() as i64),
                    building: at.id,
                    label,
                    floor,
                    outline: bay.map(|r| at.frame.polygon(&r.ring())),
                    area: SquareMeters(area),
                    whole_floor: bays == 1,
                    height_m: if floor == 1 { self.height_1f_m } else { self.height_upper_m },
                    load_kn_m2: if floor == 1 { self.load_1f_kn_m2 } else { self.load_upper_kn_m2 },
                    power_kva: ((area * self.va_per_m2 / 10_000.0).round() as u32 * 10).max(50),
                    lift_access: self.floors > 1,
                    rent_yuan_m2_month: (rent * 10.0).round() / 10.0,
                    status: UnitStatus::Vacant,
                    available_from: None,
                    project: None,
                });
            }
        }
        // The last unit takes what rounding left, so the units add up to the gross floor area exactly.
        let others: f64 = units.iter().rev().skip(1).map(|u| u.area.0).sum();
        if let Some(last) = units.last_mut() {
            last.area = SquareMeters(self.gross_floor_area_m2 - others);
        }
        units
    }
}

/// Buildings whose gross floor areas add up to exactly `total_m2` (a whole number), `steel_portals` of them
/// single-storey steel portals, the rest multi-storey RC frames.
pub(crate) fn specs_with_total(rng: &mut impl Rng, total_m2: f64, steel_portals: usize) -> Vec<Spec> {
    let mut specs: Vec<Spec> = Vec::new();
    let mut left = total_m2;
    let mut steel = 0;
    while left > LARGEST_GFA_M2 {
        let structure =
            if steel < steel_portals && specs.len() % 5 == 1 { Structure::SteelPortal } else { Structure::RcFrame };
        let spec = Spec::random(rng, structure);
        // Leave at least a small steel shed's worth for the last building.
        if left - spec.gross_floor_area_m2 >= *RC_PLATE_M2.start() {
            left -= spec.gross_floor_area_m2;
            steel += usize::from(structure == Structure::SteelPortal);
            specs.push(spec);
        }
    }
    let last = if left >= 3.0 * RC_PLATE_M2.start() {
        let mut spec = Spec::random(rng, Structure::RcFrame);
        spec.floors = ((left / RC_PLATE_M2.end()).ceil() as u8).clamp(3, 6);
        spec
    } else {
        Spec::random(rng, Structure::SteelPortal)
    };
    specs.push(last.with_gross_floor_area(left));
    specs
}

/// Places footprints in a plot: rows from the south-west, a setback from the plot's edge, fire spacing between.
#[derive(Debug, Clone)]
pub(crate) struct Packer {
    inner: Rect,
    x: f64,
    y: f64,
    row_depth: f64,
}

impl Packer {
    pub(crate) fn new(plot: Rect) -> Packer {
        let inner = plot.inset(SETBACK_M);
        Packer { inner, x: inner.x0, y: inner.y0, row_depth: 0.0 }
    }

    /// Room for an `a × b` footprint (either way round), or `None` when the plot has none left.
    pub(crate) fn place(&mut self, a: f64, b: f64) -> Option<Rect> {
        let inner = self.inner;
        for (w, h) in [(a, b), (b, a)] {
            if self.x + w <= inner.x1 && self.y + h <= inner.y1 {
                let r = Rect::new(self.x, self.y, self.x + w, self.y + h);
                self.x += w + SPACING_M;
                self.row_depth = self.row_depth.max(h);
                return Some(r);
            }
        }
        let y = self.y + self.row_depth + SPACING_M;
        for (w, h) in [(a, b), (b, a)] {
            if inner.x0 + w <= inner.x1 && y + h <= inner.y1 {
                let r = Rect::new(inner.x0, y, inner.x0 + w, y + h);
                self.y = y;
                self.x = inner.x0 + w + SPACING_M;
                self.row_depth = h;
                return Some(r);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use geo::Coord;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn buildings_add_up_to_the_requested_total() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for total in [172_480.0, 60_000.0, 250_001.0] {
            let specs = specs_with_total(&mut rng, total, 3);
            let sum: f64 = specs.iter().map(|s| s.gross_floor_area_m2).sum();
            assert_relative_eq!(sum, total, epsilon = 1e-6);
            for s in &specs {
                assert!((1..=6).contains(&s.floors));
                assert!((1_400.0..=6_000.0).contains(&s.floor_plate()), "{}", s.floor_plate());
                assert!(s.depth_m() > 15.0 && s.depth_m() < 70.0, "{}", s.depth_m());
            }
        }
    }

    #[test]
    fn packed_footprints_stay_inside_the_setback_and_apart() {
        let mut packer = Packer::new(Rect::new(0.0, 0.0, 200.0, 150.0));
        let placed: Vec<Rect> = std::iter::from_fn(|| packer.place(72.0, 27.0)).collect();
        assert_eq!(placed.len(), 6);
        for (i, a) in placed.iter().enumerate() {
            assert!(a.x0 >= SETBACK_M && a.x1 <= 200.0 - SETBACK_M);
            assert!(a.y0 >= SETBACK_M && a.y1 <= 150.0 - SETBACK_M);
            for b in &placed[i + 1..] {
                let apart = b.x0 - a.x1 >= SPACING_M - 1e-9
                    || a.x0 - b.x1 >= SPACING_M - 1e-9
                    || b.y0 - a.y1 >= SPACING_M - 1e-9
                    || a.y0 - b.y1 >= SPACING_M - 1e-9;
                assert!(apart, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn units_add_up_to_the_gross_floor_area() {
        let mut rng = ChaCha8Rng::seed_from_u64(8);
        let spec = Spec::random(&mut rng, Structure::RcFrame);
        let at = Placement {
            id: BuildingId(1),
            building_no: "T-B1".into(),
            name: "test".into(),
            zone: ZoneId(1),
            parcel: None,
            footprint: Rect::new(0.0, 0.0, spec.length_m, spec.depth_m()),
            frame: Frame::new(Coord { x: 108.0, y: 21.55 }, 21.55),
            completion_date: None,
            operator: None,
        };
        let units = spec.units(&at, 1, &mut rng);
        let sum: f64 = units.iter().map(|u| u.area.0).sum();
        assert_relative_eq!(sum, spec.gross_floor_area_m2, max_relative = 1e-12);
        assert!(units.iter().all(|u| u.whole_floor == u.outline.is_none()));
        assert!(units.iter().all(|u| u.area.0 >= 150.0));
    }
}
