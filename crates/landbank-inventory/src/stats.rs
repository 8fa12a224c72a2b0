//! Statistics of the inventory: land by status and supply method, factory space, the project pipeline, by zone.

use std::collections::BTreeMap;

use crate::{Availability, Industry, Inventory, Mu, ProjectStage, SquareMeters, SupplyMethod, UnitStatus, Wan, ZoneId};

/// A count of parcels and the sum of their registered areas.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Tally {
    pub count: u32,
    pub stated_area: Mu,
}

impl Tally {
    fn add(&mut self, area: Mu) {
        self.count += 1;
        self.stated_area += area;
    }
}

/// A count of projects and their investment.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ProjectTally {
    pub count: u32,
    pub total_investment: Wan,
}

/// Standard-factory space: stock and occupancy.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FactoryTotals {
    pub buildings: u32,
    pub gross_floor_area: SquareMeters,
    pub units: u32,
    pub unit_area: SquareMeters,
    pub vacant_area: SquareMeters,
    /// Leased, owner-occupied or in fit-out.
    pub occupied_area: SquareMeters,
    pub reserved_area: SquareMeters,
}

impl FactoryTotals {
    /// Occupied share of lettable unit area, 0–1; `None` without units.
    pub fn occupancy(&self) -> Option<f64> {
        (self.unit_area.0 > 0.0).then(|| self.occupied_area.0 / self.unit_area.0)
    }
}

/// The project pipeline.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProjectTotals {
    pub count: u32,
    pub total_investment: Wan,
    pub fixed_asset_investment: Wan,
    pub by_stage: BTreeMap<ProjectStage, ProjectTally>,
    pub by_industry: BTreeMap<Industry, ProjectTally>,
}

/// Statistics of one zone, or of the whole park.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ZoneStatistics {
    /// Parcels that are not retired.
    pub parcels: Tally,
    pub by_availability: BTreeMap<Availability, Tally>,
    pub by_supply_method: BTreeMap<SupplyMethod, Tally>,
    /// Revitalized idle existing land (盘活存量用地).
    pub revitalized: Tally,
    pub factories: FactoryTotals,
    pub projects: ProjectTotals,
}

/// Statistics of the park and of each zone.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Statistics {
    pub park: ZoneStatistics,
    pub zones: BTreeMap<ZoneId, ZoneStatistics>,
}

/// Computes the statistics from the inventory's records. Retired parcels (split or merged away) are left out, so
/// areas are never counted twice.
///
/// # Examples
///
/// ```
/// use landbank_inventory::{Inventory, InventoryParts, statistics};
/// let stats = statistics(&Inventory::new(InventoryParts::default()).unwrap());
/// assert_eq!(stats.park.parcels.count, 0);
/// ```
pub fn statistics(inventory: &Inventory) -> Statistics {
    let mut stats = Statistics::default();
    for zone in inventory.zones() {
        stats.zones.insert(zone.id, ZoneStatistics::default());
    }
    let mut each = |zone: Option<ZoneId>, f: &mut dyn FnMut(&mut ZoneStatistics)| {
        f(&mut stats.park);
        if let Some(z) = zone {
            f(stats.zones.entry(z).or_default());
        }
    };

    for p in inventory.parcels().iter().filter(|p| p.availability != Availability::Retired) {
        each(Some(p.zone), &mut |s| {
            s.parcels.add(p.stated_area);
            s.by_availability.entry(p.availability).or_default().add(p.stated_area);
            if let Some(m) = p.supply_method {
                s.by_supply_method.entry(m).or_default().add(p.stated_area);
            }
            if p.revitalized {
                s.revitalized.add(p.stated_area);
            }
        });
    }
    for b in inventory.buildings() {
        each(Some(b.zone), &mut |s| {
            s.factories.buildings += 1;
            s.factories.gross_floor_area += b.gross_floor_area;
        });
    }
    for u in inventory.units() {
        let zone = inventory.building(u.building).map(|b| b.zone);
        each(zone, &mut |s| {
            let f = &mut s.factories;
            f.units += 1;
            f.unit_area += u.area;
            match u.status {
                UnitStatus::Vacant => f.vacant_area += u.area,
                UnitStatus::Reserved => f.reserved_area += u.area,
                UnitStatus::Leased | UnitStatus::OwnerOccupied | UnitStatus::FitOut => {
                    f.occupied_area += u.area;
                }
                UnitStatus::NotLettable => {}
            }
        });
    }
    for p in inventory.projects() {
        each(p.zone, &mut |s| {
            let t = &mut s.projects;
            t.count += 1;
            t.total_investment += p.total_investment;
            t.fixed_asset_investment += p.fixed_asset_investment;
            for tally in [t.by_stage.entry(p.stage).or_default(), t.by_industry.entry(p.industry).or_default()] {
                tally.count += 1;
                tally.total_investment += p.total_investment;
            }
        });
    }
    stats
}
