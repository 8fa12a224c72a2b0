//! Statistics of the inventory: land by status and supply method, factory space, the project pipeline and its
//! investment intensity, by zone.

use std::collections::BTreeMap;

use crate::{
    Availability, BuildingStatus, Industry, Inventory, Mu, Project, ProjectId, ProjectStage, SquareMeters,
    SupplyMethod, UnitStatus, Wan, ZoneId,
};

/// A count of parcels and the sum of their registered areas.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Tally {
    pub count: u32,
    pub stated_area: Mu,
}

impl Tally {
    pub(crate) fn add(&mut self, area: Mu) {
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
    /// Investment intensity of each land project, in project id order.
    pub intensity: Vec<ProjectIntensity>,
}

/// A land project's fixed-asset investment intensity (投资强度) against the minimum of its parcel's zone
/// (工业项目建设用地控制指标).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProjectIntensity {
    pub project: ProjectId,
    /// Fixed-asset investment per mu of the registered area of the project's parcel, 万元/亩.
    pub intensity_wan_per_mu: f64,
    /// The minimum the parcel's zone sets ([`crate::ZonePolicy::intensity_min_wan_per_mu`]), 万元/亩.
    pub threshold_wan_per_mu: f64,
    /// Whether the intensity reaches the minimum.
    pub meets: bool,
}

/// The fixed-asset investment intensity of a land project: its fixed-asset investment divided by the registered
/// area of its parcel in mu, against the minimum of the parcel's zone. `None` for a project without land (it rents
/// factory units), or whose parcel or zone is missing, or whose parcel has no area.
///
/// # Units
///
/// 万元 per mu (1 万元/亩 = 15 万元/公顷). The fixed-asset investment is the project's as signed.
///
/// # Examples
///
/// ```
/// use landbank_inventory::{Inventory, investment_intensity};
/// let inventory = Inventory::new(landbank_inventory::InventoryParts::default()).unwrap();
/// assert!(inventory.projects().iter().all(|p| investment_intensity(&inventory, p).is_none()));
/// ```
pub fn investment_intensity(inventory: &Inventory, project: &Project) -> Option<ProjectIntensity> {
    let parcel = inventory.parcel(project.parcel?)?;
    let zone = inventory.zone(parcel.zone)?;
    let mu = parcel.stated_area.0;
    if mu <= 0.0 || mu.is_nan() {
        return None;
    }
    let intensity = project.fixed_asset_investment.0 / mu;
    let threshold = zone.policy.intensity_min_wan_per_mu;
    Some(ProjectIntensity {
        project: project.id,
        intensity_wan_per_mu: intensity,
        threshold_wan_per_mu: threshold,
        meets: intensity >= threshold,
    })
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
    for b in inventory.buildings().iter().filter(|b| b.status != BuildingStatus::Retired) {
        each(Some(b.zone), &mut |s| {
            s.factories.buildings += 1;
            s.factories.gross_floor_area += b.gross_floor_area;
        });
    }
    for u in inventory.units().iter().filter(|u| u.status != UnitStatus::Retired) {
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
                UnitStatus::NotLettable | UnitStatus::Retired => {}
            }
        });
    }
    // A cancelled project is kept for its history but is no longer part of the pipeline.
    for p in inventory.projects().iter().filter(|p| p.stage != ProjectStage::Cancelled) {
        let intensity = investment_intensity(inventory, p);
        each(p.zone, &mut |s| {
            let t = &mut s.projects;
            t.count += 1;
            t.total_investment += p.total_investment;
            t.fixed_asset_investment += p.fixed_asset_investment;
            for tally in [t.by_stage.entry(p.stage).or_default(), t.by_industry.entry(p.industry).or_default()] {
                tally.count += 1;
                tally.total_investment += p.total_investment;
            }
            t.intensity.extend(intensity);
        });
    }
    stats
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        Country, DevStage, IndustrialClass, InventoryParts, LandUse, Parcel, ParcelId, Zone, ZoneKind, ZonePolicy,
    };
    use approx::assert_relative_eq;
    use geo::polygon;
    use jiff::civil::date;

    fn zone(id: i64, intensity_min_wan_per_mu: f64) -> Zone {
        Zone {
            id: ZoneId(id),
            code: format!("Z{id}"),
            name_zh: "片区".to_owned(),
            name_en: "Zone".to_owned(),
            kind: ZoneKind::IndustrialPark,
            country: Country::Cn,
            boundary: polygon![(x: 108.0, y: 21.5), (x: 108.1, y: 21.5), (x: 108.1, y: 21.6)],
            planned_area: SquareMeters(1.0e6),
            leading_industries: Vec::new(),
            allowed_classes: vec![IndustrialClass::I, IndustrialClass::II],
            policy: ZonePolicy { intensity_min_wan_per_mu, ..ZonePolicy::default() },
        }
    }

    fn parcel(id: i64, zone: i64, mu: f64) -> Parcel {
        Parcel {
            id: ParcelId(id),
            plot_no: format!("Z{zone}-01-{id:02}"),
            parcel_code: None,
            zone: ZoneId(zone),
            geometry: polygon![(x: 108.0, y: 21.5), (x: 108.001, y: 21.5), (x: 108.001, y: 21.501)],
            area: Mu(mu).to_square_meters(),
            stated_area: Mu(mu),
            land_use: LandUse::industrial(IndustrialClass::II),
            availability: Availability::Supplied,
            dev_stage: DevStage::Started,
            supply_method: Some(SupplyMethod::TransferListing),
            revitalized: false,
            term_years: Some(50),
            price_wan_per_mu: Some(12.0),
            plot_ratio_min: None,
            plot_ratio_max: None,
            coverage_min: None,
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
        }
    }

    fn project(id: i64, zone: i64, parcel: Option<i64>, fixed_asset_investment: f64) -> Project {
        Project {
            id: ProjectId(id),
            code: format!("DX-2025-{id:03}"),
            name_zh: "项目".to_owned(),
            name_en: "Project".to_owned(),
            company: "某公司".to_owned(),
            investor_country: "CN".to_owned(),
            industry: Industry::SpiceHerbal,
            required_class: IndustrialClass::II,
            total_investment: Wan(fixed_asset_investment * 1.25),
            fixed_asset_investment: Wan(fixed_asset_investment),
            employees: 100,
            power_need_kva: 800,
            stage: ProjectStage::UnderConstruction,
            zone: Some(ZoneId(zone)),
            parcel: parcel.map(ParcelId),
            units: Vec::new(),
            signed_date: date(2024, 5, 1),
            start_date: None,
            production_date: None,
        }
    }

    fn inventory() -> Inventory {
        Inventory::new(InventoryParts {
            zones: vec![zone(1, 250.0), zone(2, 300.0)],
            parcels: vec![parcel(10, 1, 40.0), parcel(11, 2, 20.0), parcel(12, 2, 0.0)],
            projects: vec![
                project(1, 1, Some(10), 10_000.0), // 250 万元/亩 against 250: meets
                project(2, 2, Some(11), 5_000.0),  // 250 against 300: short
                project(3, 2, None, 3_000.0),      // rents factory units
                project(4, 2, Some(12), 1_000.0),  // a parcel without area
                project(5, 1, Some(99), 1_000.0),  // a dangling parcel
            ],
            ..InventoryParts::default()
        })
        .expect("unique ids")
    }

    #[test]
    fn intensity_is_fixed_asset_investment_per_stated_mu_against_the_zone_minimum() {
        let inventory = inventory();
        let meets = investment_intensity(&inventory, &inventory.projects()[0]).expect("a land project");
        assert_relative_eq!(meets.intensity_wan_per_mu, 250.0);
        assert_relative_eq!(meets.threshold_wan_per_mu, 250.0);
        assert!(meets.meets, "reaching the minimum exactly meets it");
        let short = investment_intensity(&inventory, &inventory.projects()[1]).expect("a land project");
        assert_relative_eq!(short.threshold_wan_per_mu, 300.0);
        assert!(!short.meets);
    }

    #[test]
    fn projects_without_usable_land_have_no_intensity() {
        let inventory = inventory();
        for p in &inventory.projects()[2..] {
            assert_eq!(investment_intensity(&inventory, p), None, "{}", p.code);
        }
    }

    #[test]
    fn statistics_list_the_intensity_of_land_projects_for_the_park_and_their_zone() {
        let stats = statistics(&inventory());
        let ids = |list: &[ProjectIntensity]| list.iter().map(|i| i.project.0).collect::<Vec<_>>();
        assert_eq!(ids(&stats.park.projects.intensity), [1, 2]);
        assert_eq!(ids(&stats.zones[&ZoneId(1)].projects.intensity), [1]);
        assert_eq!(ids(&stats.zones[&ZoneId(2)].projects.intensity), [2]);
    }
}
