//! The in-memory inventory: records sorted by id and R-trees over parcel and building outlines.

use geo::{Contains, Intersects, Point, Polygon};
use rstar::{AABB, RTree, RTreeObject};

use crate::reservation::{Allocation, AllocationId, Change, Reservation, ReservationId};
use crate::{
    BBox, BuildingId, FactoryBuilding, FactoryUnit, InventoryError, Meters, Parcel, ParcelId, Poi, PoiId, Project,
    ProjectId, UnitId, Zone, ZoneId, distance_to_polygon,
};

/// The records an [`Inventory`] is built from, in any order.
#[derive(Debug, Clone, Default)]
pub struct InventoryParts {
    pub zones: Vec<Zone>,
    pub parcels: Vec<Parcel>,
    pub buildings: Vec<FactoryBuilding>,
    pub units: Vec<FactoryUnit>,
    pub projects: Vec<Project>,
    pub pois: Vec<Poi>,
    pub reservations: Vec<Reservation>,
    pub allocations: Vec<Allocation>,
}

/// An R-tree entry: the slot of a record and its envelope, computed once.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Entry {
    slot: u32,
    envelope: AABB<[f64; 2]>,
}

impl RTreeObject for Entry {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        self.envelope
    }
}

impl rstar::PointDistance for Entry {
    fn distance_2(&self, point: &[f64; 2]) -> f64 {
        rstar::Envelope::distance_2(&self.envelope, point)
    }
    fn contains_point(&self, point: &[f64; 2]) -> bool {
        rstar::Envelope::contains_point(&self.envelope, point)
    }
}

fn aabb(b: BBox) -> AABB<[f64; 2]> {
    AABB::from_corners([b.min_lon, b.min_lat], [b.max_lon, b.max_lat])
}

fn index<'a>(outlines: impl ExactSizeIterator<Item = &'a Polygon>) -> RTree<Entry> {
    // Sized up front: at a million parcels, growing the list by doubling copied it over and over.
    let mut entries = Vec::with_capacity(outlines.len());
    entries.extend(
        outlines
            .enumerate()
            .filter_map(|(slot, p)| BBox::of_polygon(p).map(|b| Entry { slot: slot as u32, envelope: aabb(b) })),
    );
    RTree::bulk_load(entries)
}

/// The park's inventory in memory: every record sorted by id, parcels and buildings in R-trees.
///
/// Queries return iterators that borrow from the inventory, so they compose with attribute filters without
/// allocating:
///
/// ```
/// use landbank_inventory::{Availability, BBox, Inventory, InventoryParts};
/// let inventory = Inventory::new(InventoryParts::default()).unwrap();
/// let bbox = BBox::new(107.95, 21.5, 108.13, 21.62).unwrap();
/// let free = inventory
///     .parcels_in_bbox(bbox)
///     .filter(|p| p.availability == Availability::Available)
///     .count();
/// assert_eq!(free, 0);
/// ```
#[derive(Debug, Clone)]
pub struct Inventory {
    zones: Vec<Zone>,
    parcels: Vec<Parcel>,
    buildings: Vec<FactoryBuilding>,
    units: Vec<FactoryUnit>,
    projects: Vec<Project>,
    pois: Vec<Poi>,
    reservations: Vec<Reservation>,
    allocations: Vec<Allocation>,
    parcel_tree: RTree<Entry>,
    building_tree: RTree<Entry>,
}

fn sorted<T, K: Ord + Copy>(
    mut records: Vec<T>,
    key: impl Fn(&T) -> K,
    raw: impl Fn(K) -> i64,
    kind: &'static str,
) -> Result<Vec<T>, InventoryError> {
    records.sort_by_key(&key);
    if let Some([first, ..]) = records.windows(2).find(|w| key(&w[0]) == key(&w[1])) {
        return Err(InventoryError::DuplicateId { kind, id: raw(key(first)) });
    }
    Ok(records)
}

/// Replaces the record with the same key, or inserts it in key order; returns its slot.
fn upsert<T, K: Ord + Copy>(records: &mut Vec<T>, record: T, key: impl Fn(&T) -> K) -> usize {
    match records.binary_search_by_key(&key(&record), &key) {
        Ok(i) => {
            records[i] = record;
            i
        }
        Err(i) if i == records.len() => {
            records.push(record);
            i
        }
        Err(i) => {
            records.insert(i, record);
            i
        }
    }
}

/// Keeps `tree` in step with a record upserted at `slot` (the slice had `before` records, now `after`), whose
/// envelope was `old` and is `new`. Returns `false` when the record was inserted before others: every later slot
/// moved, and the caller rebuilds the tree.
fn reindex(
    tree: &mut RTree<Entry>,
    before: usize,
    after: usize,
    slot: usize,
    old: Option<AABB<[f64; 2]>>,
    new: Option<AABB<[f64; 2]>>,
) -> bool {
    if after > before && slot + 1 < after {
        return false;
    }
    if old != new {
        let slot = slot as u32;
        if let Some(envelope) = old {
            tree.remove(&Entry { slot, envelope });
        }
        if let Some(envelope) = new {
            tree.insert(Entry { slot, envelope });
        }
    }
    true
}

fn find<T, K: Ord + Copy>(records: &[T], id: K, key: impl Fn(&T) -> K) -> Option<&T> {
    records.binary_search_by_key(&id, key).ok().map(|i| &records[i])
}

impl Inventory {
    /// Sorts the records by id and bulk-loads the R-trees.
    ///
    /// # Errors
    ///
    /// [`InventoryError::DuplicateId`] when two records of one kind share an id.
    pub fn new(parts: InventoryParts) -> Result<Inventory, InventoryError> {
        let zones = sorted(parts.zones, |z| z.id, |k| k.0, "zone")?;
        let parcels = sorted(parts.parcels, |p| p.id, |k| k.0, "parcel")?;
        let buildings = sorted(parts.buildings, |b| b.id, |k| k.0, "building")?;
        let units = sorted(parts.units, |u| u.id, |k| k.0, "unit")?;
        let projects = sorted(parts.projects, |p| p.id, |k| k.0, "project")?;
        let pois = sorted(parts.pois, |p| p.id, |k| k.0, "poi")?;
        let reservations = sorted(parts.reservations, |r| r.id, |k| k.0, "reservation")?;
        let allocations = sorted(parts.allocations, |a| a.id, |k| k.0, "allocation")?;
        let parcel_tree = index(parcels.iter().map(|p| &p.geometry));
        let building_tree = index(buildings.iter().map(|b| &b.footprint));
        Ok(Inventory {
            zones,
            parcels,
            buildings,
            units,
            projects,
            pois,
            reservations,
            allocations,
            parcel_tree,
            building_tree,
        })
    }

    /// Gives the records back, e.g. to rebuild after a change.
    pub fn into_parts(self) -> InventoryParts {
        InventoryParts {
            zones: self.zones,
            parcels: self.parcels,
            buildings: self.buildings,
            units: self.units,
            projects: self.projects,
            pois: self.pois,
            reservations: self.reservations,
            allocations: self.allocations,
        }
    }

    /// Zones in id order.
    pub fn zones(&self) -> &[Zone] {
        &self.zones
    }
    /// Parcels in id order, retired ones included.
    pub fn parcels(&self) -> &[Parcel] {
        &self.parcels
    }
    /// Factory buildings in id order.
    pub fn buildings(&self) -> &[FactoryBuilding] {
        &self.buildings
    }
    /// Factory units in id order.
    pub fn units(&self) -> &[FactoryUnit] {
        &self.units
    }
    /// Projects in id order.
    pub fn projects(&self) -> &[Project] {
        &self.projects
    }
    /// Points of interest in id order.
    pub fn pois(&self) -> &[Poi] {
        &self.pois
    }

    pub fn zone(&self, id: ZoneId) -> Option<&Zone> {
        find(&self.zones, id, |z| z.id)
    }
    pub fn parcel(&self, id: ParcelId) -> Option<&Parcel> {
        find(&self.parcels, id, |p| p.id)
    }
    pub fn building(&self, id: BuildingId) -> Option<&FactoryBuilding> {
        find(&self.buildings, id, |b| b.id)
    }
    pub fn unit(&self, id: UnitId) -> Option<&FactoryUnit> {
        find(&self.units, id, |u| u.id)
    }
    pub fn project(&self, id: ProjectId) -> Option<&Project> {
        find(&self.projects, id, |p| p.id)
    }
    pub fn poi(&self, id: PoiId) -> Option<&Poi> {
        find(&self.pois, id, |p| p.id)
    }
    /// Reservations in id order, closed ones included.
    pub fn reservations(&self) -> &[Reservation] {
        &self.reservations
    }
    /// Allocations in id order, released ones included.
    pub fn allocations(&self) -> &[Allocation] {
        &self.allocations
    }
    pub fn reservation(&self, id: ReservationId) -> Option<&Reservation> {
        find(&self.reservations, id, |r| r.id)
    }
    pub fn allocation(&self, id: AllocationId) -> Option<&Allocation> {
        find(&self.allocations, id, |a| a.id)
    }

    /// Applies a committed change in place: replaces records with the same id, adds new ones, and keeps the parcel
    /// R-tree in step with changed outlines. Readers of other snapshots are unaffected (callers clone first).
    pub fn apply(&mut self, change: &Change) {
        for parcel in &change.parcels {
            let count = self.parcels.len();
            let old = self.parcel(parcel.id).and_then(|p| BBox::of_polygon(&p.geometry)).map(aabb);
            let slot = upsert(&mut self.parcels, parcel.clone(), |p| p.id);
            let new = BBox::of_polygon(&parcel.geometry).map(aabb);
            if !reindex(&mut self.parcel_tree, count, self.parcels.len(), slot, old, new) {
                self.parcel_tree = index(self.parcels.iter().map(|p| &p.geometry));
            }
        }
        for building in &change.buildings {
            let count = self.buildings.len();
            let old = self.building(building.id).and_then(|b| BBox::of_polygon(&b.footprint)).map(aabb);
            let slot = upsert(&mut self.buildings, building.clone(), |b| b.id);
            let new = BBox::of_polygon(&building.footprint).map(aabb);
            if !reindex(&mut self.building_tree, count, self.buildings.len(), slot, old, new) {
                self.building_tree = index(self.buildings.iter().map(|b| &b.footprint));
            }
        }
        for unit in &change.units {
            upsert(&mut self.units, unit.clone(), |u| u.id);
        }
        for project in &change.projects {
            upsert(&mut self.projects, project.clone(), |p| p.id);
        }
        for reservation in &change.reservations {
            upsert(&mut self.reservations, reservation.clone(), |r| r.id);
        }
        for allocation in &change.allocations {
            upsert(&mut self.allocations, allocation.clone(), |a| a.id);
        }
    }

    /// The id the next new parcel gets.
    pub fn next_parcel_id(&self) -> ParcelId {
        ParcelId(self.parcels.last().map_or(1, |p| p.id.0 + 1))
    }

    /// The id the next new building gets.
    pub fn next_building_id(&self) -> BuildingId {
        BuildingId(self.buildings.last().map_or(1, |b| b.id.0 + 1))
    }

    /// The id the next new unit gets.
    pub fn next_unit_id(&self) -> UnitId {
        UnitId(self.units.last().map_or(1, |u| u.id.0 + 1))
    }

    /// The id the next new project gets.
    pub fn next_project_id(&self) -> ProjectId {
        ProjectId(self.projects.last().map_or(1, |p| p.id.0 + 1))
    }

    /// The zone with the given short code (`KHQ`, `BHQ`, `CL`, `JP`…).
    pub fn zone_by_code(&self, code: &str) -> Option<&Zone> {
        self.zones.iter().find(|z| z.code == code)
    }

    /// The outline of a unit: its own bay outline, else its building's footprint.
    pub fn unit_outline<'a>(&'a self, unit: &'a FactoryUnit) -> Option<&'a Polygon> {
        unit.outline.as_ref().or_else(|| self.building(unit.building).map(|b| &b.footprint))
    }

    /// Parcels whose outline intersects the box, in no particular order.
    pub fn parcels_in_bbox(&self, bbox: BBox) -> impl Iterator<Item = &Parcel> + '_ {
        let rect = bbox.to_rect();
        self.parcel_tree
            .locate_in_envelope_intersecting(&aabb(bbox))
            .map(|e| &self.parcels[e.slot as usize])
            .filter(move |p| p.geometry.intersects(&rect))
    }

    /// Parcels whose bounding box meets the box, in no particular order: [`Inventory::parcels_in_bbox`] without
    /// its exact test, for callers that clip outlines to the box anyway (tiles).
    pub fn parcels_near_bbox(&self, bbox: BBox) -> impl Iterator<Item = &Parcel> + '_ {
        self.parcel_tree.locate_in_envelope_intersecting(&aabb(bbox)).map(|e| &self.parcels[e.slot as usize])
    }

    /// Buildings whose bounding box meets the box, in no particular order (see [`Inventory::parcels_near_bbox`]).
    pub fn buildings_near_bbox(&self, bbox: BBox) -> impl Iterator<Item = &FactoryBuilding> + '_ {
        self.building_tree.locate_in_envelope_intersecting(&aabb(bbox)).map(|e| &self.buildings[e.slot as usize])
    }

    /// Buildings whose footprint intersects the box, in no particular order.
    pub fn buildings_in_bbox(&self, bbox: BBox) -> impl Iterator<Item = &FactoryBuilding> + '_ {
        let rect = bbox.to_rect();
        self.building_tree
            .locate_in_envelope_intersecting(&aabb(bbox))
            .map(|e| &self.buildings[e.slot as usize])
            .filter(move |b| b.footprint.intersects(&rect))
    }

    /// Parcels containing the point (on the boundary counts), e.g. "what is here?".
    pub fn parcels_at(&self, point: Point) -> impl Iterator<Item = &Parcel> + '_ {
        self.parcel_tree
            .locate_all_at_point(&[point.x(), point.y()])
            .map(|e| &self.parcels[e.slot as usize])
            .filter(move |p| p.geometry.contains(&point) || p.geometry.intersects(&point))
    }

    /// Buildings whose footprint contains the point.
    pub fn buildings_at(&self, point: Point) -> impl Iterator<Item = &FactoryBuilding> + '_ {
        self.building_tree
            .locate_all_at_point(&[point.x(), point.y()])
            .map(|e| &self.buildings[e.slot as usize])
            .filter(move |b| b.footprint.intersects(&point))
    }

    /// Parcels within `radius` of the point, each with its distance (0 when the point is inside).
    pub fn parcels_within(&self, point: Point, radius: Meters) -> impl Iterator<Item = (&Parcel, Meters)> + '_ {
        let Some(search) = BBox::new(point.x(), point.y(), point.x(), point.y()) else {
            return None.into_iter().flatten();
        };
        let envelope = aabb(search.expanded_by(radius.0));
        Some(
            self.parcel_tree
                .locate_in_envelope_intersecting(&envelope)
                .map(|e| &self.parcels[e.slot as usize])
                .map(move |p| (p, distance_to_polygon(point, &p.geometry)))
                .filter(move |(_, d)| d.0 <= radius.0),
        )
        .into_iter()
        .flatten()
    }

    /// The `k` parcels nearest to the point that pass `keep`, nearest first, with their distances.
    ///
    /// Walks the R-tree outward by envelope and stops once no closer parcel can remain, so the cost grows with
    /// `k` and the local density, not with the size of the inventory.
    pub fn nearest_parcels(&self, point: Point, k: usize, keep: impl Fn(&Parcel) -> bool) -> Vec<(&Parcel, Meters)> {
        let mut best: Vec<(&Parcel, Meters)> = Vec::with_capacity(k + 1);
        if k == 0 {
            return best;
        }
        // A degree of separation is at least this many metres anywhere within a few degrees of the point.
        let min_meters_per_degree = 110_574.0 * (point.y().abs() + 5.0).min(89.0).to_radians().cos();
        let query = [point.x(), point.y()];
        for (entry, d2) in self.parcel_tree.nearest_neighbor_iter_with_distance_2(&query) {
            if best.len() == k && d2.sqrt() * min_meters_per_degree > best[k - 1].1.0 {
                break;
            }
            let parcel = &self.parcels[entry.slot as usize];
            if !keep(parcel) {
                continue;
            }
            let d = distance_to_polygon(point, &parcel.geometry);
            let at = best.partition_point(|(_, b)| b.0 <= d.0);
            if at < k {
                best.insert(at, (parcel, d));
                best.truncate(k);
            }
        }
        best
    }

    /// The box around every parcel, building and zone, or `None` for an empty inventory.
    pub fn extent(&self) -> Option<BBox> {
        let parcels = self.parcels.iter().map(|p| &p.geometry);
        let zones = self.zones.iter().map(|z| &z.boundary);
        let buildings = self.buildings.iter().map(|b| &b.footprint);
        parcels.chain(zones).chain(buildings).filter_map(BBox::of_polygon).reduce(BBox::union)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Availability, IndustrialClass, LandUse, Mu, SquareMeters};
    use geo::polygon;

    fn parcel(id: i64, x: f64, y: f64) -> Parcel {
        let geometry = polygon![(x: x, y: y), (x: x + 0.001, y: y), (x: x + 0.001, y: y + 0.001), (x: x, y: y + 0.001)];
        let land_use = LandUse::industrial(IndustrialClass::II);
        let mut p = Parcel::new(ParcelId(id), &format!("T-{id}"), ZoneId(1), geometry, Mu(16.0), land_use);
        p.availability = Availability::Available;
        p
    }

    fn grid() -> Inventory {
        let mut parcels = Vec::new();
        for i in 0..10 {
            for j in 0..10 {
                parcels.push(parcel(
                    i * 10 + j + 1,
                    108.0 + f64::from(i as i32) * 0.002,
                    21.5 + f64::from(j as i32) * 0.002,
                ));
            }
        }
        Inventory::new(InventoryParts { parcels, ..InventoryParts::default() }).expect("unique ids")
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let parts =
            InventoryParts { parcels: vec![parcel(1, 108.0, 21.5), parcel(1, 108.1, 21.5)], ..Default::default() };
        assert_eq!(Inventory::new(parts).unwrap_err(), InventoryError::DuplicateId { kind: "parcel", id: 1 });
    }

    #[test]
    fn a_bbox_finds_exactly_the_parcels_it_touches() {
        let inv = grid();
        let b = BBox::new(108.0005, 21.5005, 108.0025, 21.5025).expect("valid");
        let mut ids: Vec<i64> = inv.parcels_in_bbox(b).map(|p| p.id.0).collect();
        ids.sort_unstable();
        assert_eq!(ids, vec![1, 2, 11, 12]);
    }

    #[test]
    fn a_point_finds_the_parcel_around_it() {
        let inv = grid();
        let ids: Vec<i64> = inv.parcels_at(Point::new(108.0025, 21.5045)).map(|p| p.id.0).collect();
        assert_eq!(ids, vec![13]);
        assert_eq!(inv.parcels_at(Point::new(108.0015, 21.5015)).count(), 0, "the gap between parcels is empty");
    }

    #[test]
    fn within_a_radius_keeps_only_parcels_that_close() {
        let inv = grid();
        // Parcel 1 spans 108.000–108.001; 108.0015 is ~52 m east of it at 21.5°N.
        let near: Vec<i64> =
            inv.parcels_within(Point::new(108.0015, 21.5005), Meters(60.0)).map(|(p, _)| p.id.0).collect();
        assert!(near.contains(&1) && near.contains(&11), "{near:?}");
        assert!(!near.contains(&2), "parcel 2 starts 0.0015° north-east: {near:?}");
    }

    #[test]
    fn nearest_parcels_come_nearest_first_and_respect_the_filter() {
        let inv = grid();
        let got = inv.nearest_parcels(Point::new(107.99, 21.5005), 3, |p| p.id.0 != 1);
        let ids: Vec<i64> = got.iter().map(|(p, _)| p.id.0).collect();
        assert_eq!(ids[0], 2);
        assert!(got.windows(2).all(|w| w[0].1.0 <= w[1].1.0));
        let brute = {
            let mut all: Vec<(i64, f64)> = inv
                .parcels()
                .iter()
                .filter(|p| p.id.0 != 1)
                .map(|p| (p.id.0, distance_to_polygon(Point::new(107.99, 21.5005), &p.geometry).0))
                .collect();
            all.sort_by(|a, b| a.1.total_cmp(&b.1));
            all.into_iter().take(3).map(|(id, _)| id).collect::<Vec<_>>()
        };
        assert_eq!(ids, brute);
    }

    #[test]
    fn lookups_by_id_find_records() {
        let inv = grid();
        assert_eq!(inv.parcel(ParcelId(57)).map(|p| p.plot_no.as_str()), Some("T-57"));
        assert!(inv.parcel(ParcelId(1000)).is_none());
        assert!(inv.parcels()[0].area.0 > SquareMeters(10_000.0).0);
    }
}
