//! Editing the inventory one record at a time (OGC API – Features Part 4): create, replace and retire parcels,
//! buildings, units and projects. Every edit is checked with the rules an import passes ([`crate::check`]) and
//! returns a [`Change`] for the store to commit; nothing is ever deleted — retiring keeps the record, with its
//! history, in a terminal state (`retired`, or `cancelled` for a project).
//!
//! States that reservations and allocations own stay theirs: an edit cannot put a parcel on or take it off hold,
//! reserve or free a unit, or touch a record while an active hold or allocation names it in a way that would
//! contradict it.

use crate::check::{Problem, check_one};
use crate::reservation::{AllocationStatus, Change, ReservationStatus, Target};
use crate::{
    Availability, BuildingStatus, FactoryBuilding, FactoryUnit, Inventory, Layer, Parcel, ParcelId, Project, ProjectId,
    ProjectStage, UnitId, UnitStatus,
};

/// One record of an editable layer, as a client sends it.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Parcel(Parcel),
    Building(FactoryBuilding),
    Unit(FactoryUnit),
    Project(Project),
}

impl Record {
    /// The layer the record belongs to.
    pub fn layer(&self) -> Layer {
        match self {
            Record::Parcel(_) => Layer::Parcels,
            Record::Building(_) => Layer::Buildings,
            Record::Unit(_) => Layer::Units,
            Record::Project(_) => Layer::Projects,
        }
    }

    /// The record's id.
    pub fn id(&self) -> i64 {
        match self {
            Record::Parcel(p) => p.id.0,
            Record::Building(b) => b.id.0,
            Record::Unit(u) => u.id.0,
            Record::Project(p) => p.id.0,
        }
    }

    fn into_change(self, kind: &'static str) -> Change {
        let mut change = Change { kind, ..Change::default() };
        match self {
            Record::Parcel(p) => change.parcels.push(p),
            Record::Building(b) => change.buildings.push(b),
            Record::Unit(u) => change.units.push(u),
            Record::Project(p) => change.projects.push(p),
        }
        change
    }
}

/// Why an edit is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditError {
    /// Zones and points of interest change only by import.
    #[error("{0} cannot be edited feature by feature; import the layer instead")]
    NotEditable(Layer),
    #[error("{layer} {id} does not exist")]
    Unknown { layer: Layer, id: i64 },
    /// The record breaks the rules an import checks.
    #[error("{}", .0.iter().map(|p| format!("{}: {}", p.kind.code(), p.detail)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Problem>),
    /// The edit contradicts the state of the record or of the holds on it.
    #[error("{0}")]
    Conflict(String),
}

/// The record of `layer` with `id`, as an editable [`Record`].
///
/// # Errors
///
/// [`EditError::NotEditable`] for zones and points of interest, [`EditError::Unknown`] for a missing id.
pub fn current(inventory: &Inventory, layer: Layer, id: i64) -> Result<Record, EditError> {
    let unknown = || EditError::Unknown { layer, id };
    Ok(match layer {
        Layer::Parcels => Record::Parcel(inventory.parcel(ParcelId(id)).ok_or_else(unknown)?.clone()),
        Layer::Buildings => Record::Building(inventory.building(crate::BuildingId(id)).ok_or_else(unknown)?.clone()),
        Layer::Units => Record::Unit(inventory.unit(UnitId(id)).ok_or_else(unknown)?.clone()),
        Layer::Projects => Record::Project(inventory.project(ProjectId(id)).ok_or_else(unknown)?.clone()),
        Layer::Zones | Layer::Pois => return Err(EditError::NotEditable(layer)),
    })
}

/// Adds `record` with the next free id of its layer (its own id is ignored); returns the change and the id.
///
/// # Errors
///
/// [`EditError::Invalid`] with every problem the checks find, or [`EditError::Conflict`] when the record starts
/// in a state only the allocation workflow or retiring may set.
pub fn create(inventory: &Inventory, record: Record) -> Result<(Change, i64), EditError> {
    let record = match record {
        Record::Parcel(mut p) => {
            p.id = inventory.next_parcel_id();
            Record::Parcel(p)
        }
        Record::Building(mut b) => {
            b.id = inventory.next_building_id();
            Record::Building(b)
        }
        Record::Unit(mut u) => {
            u.id = inventory.next_unit_id();
            Record::Unit(u)
        }
        Record::Project(mut p) => {
            p.id = inventory.next_project_id();
            Record::Project(p)
        }
    };
    let refused = match &record {
        Record::Parcel(p) => matches!(p.availability, Availability::Held | Availability::Retired)
            .then(|| format!("a new parcel cannot start `{}`", p.availability)),
        Record::Building(b) => {
            (b.status == BuildingStatus::Retired).then(|| "a new building cannot start `retired`".to_owned())
        }
        Record::Unit(u) => matches!(u.status, UnitStatus::Reserved | UnitStatus::Retired)
            .then(|| format!("a new unit cannot start `{}`", u.status)),
        Record::Project(p) => {
            (p.stage == ProjectStage::Cancelled).then(|| "a new project cannot start `cancelled`".to_owned())
        }
    };
    if let Some(reason) = refused {
        return Err(EditError::Conflict(format!("{reason}: reservations hold space, and DELETE retires")));
    }
    valid(inventory, &record)?;
    let id = record.id();
    Ok((record.into_change("create"), id))
}

/// Replaces the record with `record`'s id by `record` (`kind` names the event: `replace` or `update`).
///
/// # Errors
///
/// [`EditError::Unknown`], [`EditError::Invalid`], or [`EditError::Conflict`] when the record is retired or
/// the edit would change a state the allocation workflow owns.
pub fn replace(inventory: &Inventory, record: Record, kind: &'static str) -> Result<Change, EditError> {
    let layer = record.layer();
    let id = record.id();
    let before = current(inventory, layer, id)?;
    let name = format!("{} {id}", singular(layer));
    match (&before, &record) {
        (Record::Parcel(old), Record::Parcel(new)) => {
            if old.availability == Availability::Retired {
                return Err(retired(&name));
            }
            if new.availability != old.availability {
                if new.availability == Availability::Retired {
                    return Err(EditError::Conflict(format!("DELETE retires {name}; an edit cannot")));
                }
                if new.availability == Availability::Held || old.availability == Availability::Held {
                    return Err(EditError::Conflict(format!(
                        "{name} goes on and off hold through /reservations, not by an edit of `availability`"
                    )));
                }
                if let Some(hold) = holds(inventory, Layer::Parcels, id) {
                    return Err(EditError::Conflict(format!(
                        "{name} is named by {hold}; release it before changing `availability`"
                    )));
                }
            }
        }
        (Record::Building(old), Record::Building(new)) => {
            if old.status == BuildingStatus::Retired {
                return Err(retired(&name));
            }
            if new.status == BuildingStatus::Retired {
                return Err(EditError::Conflict(format!("DELETE retires {name}; an edit cannot")));
            }
        }
        (Record::Unit(old), Record::Unit(new)) => {
            if old.status == UnitStatus::Retired {
                return Err(retired(&name));
            }
            if new.status != old.status {
                if new.status == UnitStatus::Retired {
                    return Err(EditError::Conflict(format!("DELETE retires {name}; an edit cannot")));
                }
                if new.status == UnitStatus::Reserved || old.status == UnitStatus::Reserved {
                    return Err(EditError::Conflict(format!(
                        "{name} is reserved and freed through /reservations, not by an edit of `status`"
                    )));
                }
                if let Some(hold) = holds(inventory, Layer::Units, id) {
                    return Err(EditError::Conflict(format!(
                        "{name} is named by {hold}; release it before changing `status`"
                    )));
                }
            }
        }
        (Record::Project(old), Record::Project(new)) => {
            if old.stage == ProjectStage::Cancelled {
                return Err(EditError::Conflict(format!("{name} is cancelled; it is kept for its history")));
            }
            if new.stage == ProjectStage::Cancelled {
                return Err(EditError::Conflict(format!("DELETE cancels {name}; an edit cannot")));
            }
        }
        _ => unreachable!("current() returns a record of the layer asked for"),
    }
    valid(inventory, &record)?;
    Ok(record.into_change(kind))
}

/// Retires the record of `layer` with `id`: parcels, buildings and units become `retired`, projects
/// `cancelled`. Only what nothing depends on can retire.
///
/// # Errors
///
/// [`EditError::Unknown`], [`EditError::NotEditable`], or [`EditError::Conflict`] when the record is already
/// retired, is held or allocated, or still carries buildings, units or holds.
pub fn retire(inventory: &Inventory, layer: Layer, id: i64) -> Result<Change, EditError> {
    let name = format!("{} {id}", singular(layer));
    let record = match current(inventory, layer, id)? {
        Record::Parcel(mut p) => {
            match p.availability {
                Availability::Retired => return Err(retired(&name)),
                Availability::Held | Availability::Supplied => {
                    return Err(EditError::Conflict(format!(
                        "{name} is {}; release its reservation or allocation first",
                        p.availability
                    )));
                }
                _ => {}
            }
            let standing = inventory
                .buildings()
                .iter()
                .filter(|b| b.parcel == Some(p.id) && b.status != BuildingStatus::Retired)
                .map(|b| b.building_no.as_str())
                .collect::<Vec<_>>();
            if !standing.is_empty() {
                return Err(EditError::Conflict(format!(
                    "{name} carries building(s) {}; retire them first",
                    standing.join(", ")
                )));
            }
            p.availability = Availability::Retired;
            Record::Parcel(p)
        }
        Record::Building(mut b) => {
            if b.status == BuildingStatus::Retired {
                return Err(retired(&name));
            }
            let live = inventory
                .units()
                .iter()
                .filter(|u| u.building == b.id && u.status != UnitStatus::Retired)
                .map(|u| u.label.as_str())
                .collect::<Vec<_>>();
            if !live.is_empty() {
                return Err(EditError::Conflict(format!(
                    "{name} still has {} unit(s) ({}); retire them first",
                    live.len(),
                    live.iter().take(5).copied().collect::<Vec<_>>().join(", ")
                )));
            }
            b.status = BuildingStatus::Retired;
            Record::Building(b)
        }
        Record::Unit(mut u) => {
            match u.status {
                UnitStatus::Retired => return Err(retired(&name)),
                UnitStatus::Vacant | UnitStatus::NotLettable => {}
                other => {
                    return Err(EditError::Conflict(format!(
                        "{name} is {other}; only a vacant or unlettable unit can retire"
                    )));
                }
            }
            if let Some(hold) = holds(inventory, Layer::Units, id) {
                return Err(EditError::Conflict(format!("{name} is named by {hold}; release it first")));
            }
            u.status = UnitStatus::Retired;
            Record::Unit(u)
        }
        Record::Project(mut p) => {
            if p.stage == ProjectStage::Cancelled {
                return Err(EditError::Conflict(format!("{name} is already cancelled")));
            }
            if let Some(hold) = holds(inventory, Layer::Projects, id) {
                return Err(EditError::Conflict(format!("{name} has {hold}; release it first")));
            }
            p.stage = ProjectStage::Cancelled;
            Record::Project(p)
        }
    };
    Ok(record.into_change("retire"))
}

fn singular(layer: Layer) -> &'static str {
    match layer {
        Layer::Zones => "zone",
        Layer::Parcels => "parcel",
        Layer::Buildings => "building",
        Layer::Units => "unit",
        Layer::Projects => "project",
        Layer::Pois => "point of interest",
    }
}

fn retired(name: &str) -> EditError {
    EditError::Conflict(format!("{name} is retired; it is kept for its history and cannot change"))
}

/// The first active reservation or allocation that names the parcel, unit or project, described.
fn holds(inventory: &Inventory, layer: Layer, id: i64) -> Option<String> {
    let names = |target: &Target, project: ProjectId| match (layer, target) {
        (Layer::Parcels, Target::Parcel(p)) => p.0 == id,
        (Layer::Units, Target::Units(units)) => units.iter().any(|u| u.0 == id),
        (Layer::Projects, _) => project.0 == id,
        _ => false,
    };
    let reservation = inventory
        .reservations()
        .iter()
        .find(|r| r.status == ReservationStatus::Active && names(&r.target, r.project))
        .map(|r| format!("active reservation {}", r.id));
    reservation.or_else(|| {
        inventory
            .allocations()
            .iter()
            .find(|a| a.status == AllocationStatus::Active && names(&a.target, a.project))
            .map(|a| format!("active allocation {}", a.id))
    })
}

/// The record passes the checks an import runs, as if it replaced the record with its id.
fn valid(inventory: &Inventory, record: &Record) -> Result<(), EditError> {
    let problems = check_one(inventory, record);
    if problems.is_empty() { Ok(()) } else { Err(EditError::Invalid(problems)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        Country, IndustrialClass, InventoryParts, LandUse, Mu, SquareMeters, Zone, ZoneId, ZoneKind, ZonePolicy,
        geodesic_area,
    };
    use geo::polygon;

    fn inventory() -> Inventory {
        let zone = Zone {
            id: ZoneId(1),
            code: "Z1".to_owned(),
            name_zh: "片区".to_owned(),
            name_en: "Zone".to_owned(),
            kind: ZoneKind::IndustrialPark,
            country: Country::Cn,
            boundary: polygon![(x: 108.0, y: 21.5), (x: 108.1, y: 21.5), (x: 108.1, y: 21.6), (x: 108.0, y: 21.6)],
            planned_area: SquareMeters(1.0e8),
            leading_industries: Vec::new(),
            allowed_classes: vec![IndustrialClass::II],
            policy: ZonePolicy::default(),
        };
        let parcel = |id: i64, x: f64| {
            let geometry =
                polygon![(x: x, y: 21.55), (x: x + 0.001, y: 21.55), (x: x + 0.001, y: 21.551), (x: x, y: 21.551)];
            let area = Mu::from(geodesic_area(&geometry));
            let land_use = LandUse::industrial(IndustrialClass::II);
            let mut p = Parcel::new(ParcelId(id), &format!("Z1-01-{id:02}"), ZoneId(1), geometry, area, land_use);
            p.availability = Availability::Available;
            p
        };
        Inventory::new(InventoryParts {
            zones: vec![zone],
            parcels: vec![parcel(1, 108.01), parcel(2, 108.02)],
            ..InventoryParts::default()
        })
        .unwrap()
    }

    #[test]
    fn a_new_parcel_gets_the_next_id_and_must_not_overlap() {
        let inv = inventory();
        let mut p = inv.parcel(ParcelId(1)).unwrap().clone();
        p.plot_no = "Z1-01-09".into();
        let overlapping = create(&inv, Record::Parcel(p.clone()));
        assert!(
            matches!(&overlapping, Err(EditError::Invalid(problems)) if problems.iter().any(|p| p.kind == crate::ProblemKind::Overlap)),
            "{overlapping:?}"
        );
        p.geometry =
            polygon![(x: 108.05, y: 21.55), (x: 108.051, y: 21.55), (x: 108.051, y: 21.551), (x: 108.05, y: 21.551)];
        let (change, id) = create(&inv, Record::Parcel(p)).unwrap();
        assert_eq!(id, 3);
        assert_eq!(change.kind, "create");
        assert_eq!(change.parcels[0].id, ParcelId(3));
    }

    #[test]
    fn a_duplicate_plot_number_is_refused() {
        let inv = inventory();
        let mut p = inv.parcel(ParcelId(2)).unwrap().clone();
        p.plot_no = "Z1-01-01".into();
        let refused = replace(&inv, Record::Parcel(p), "replace");
        assert!(
            matches!(&refused, Err(EditError::Invalid(problems)) if problems[0].kind == crate::ProblemKind::DuplicateCode)
        );
    }

    #[test]
    fn holding_is_the_workflows_business_and_retiring_is_deletes() {
        let inv = inventory();
        let mut p = inv.parcel(ParcelId(1)).unwrap().clone();
        p.availability = Availability::Held;
        assert!(matches!(replace(&inv, Record::Parcel(p.clone()), "update"), Err(EditError::Conflict(_))));
        p.availability = Availability::Retired;
        assert!(matches!(replace(&inv, Record::Parcel(p.clone()), "update"), Err(EditError::Conflict(_))));
        p.availability = Availability::Reserve;
        p.price_wan_per_mu = Some(12.5);
        let change = replace(&inv, Record::Parcel(p), "update").unwrap();
        assert_eq!(change.parcels[0].availability, Availability::Reserve);
    }

    #[test]
    fn a_retired_parcel_stays_and_cannot_change_again() {
        let mut inv = inventory();
        let change = retire(&inv, Layer::Parcels, 1).unwrap();
        assert_eq!(change.kind, "retire");
        inv.apply(&change);
        assert_eq!(inv.parcel(ParcelId(1)).unwrap().availability, Availability::Retired);
        assert!(matches!(retire(&inv, Layer::Parcels, 1), Err(EditError::Conflict(_))));
        let p = inv.parcel(ParcelId(1)).unwrap().clone();
        assert!(matches!(replace(&inv, Record::Parcel(p), "replace"), Err(EditError::Conflict(_))));
        assert!(matches!(retire(&inv, Layer::Parcels, 99), Err(EditError::Unknown { id: 99, .. })));
        assert!(matches!(retire(&inv, Layer::Zones, 1), Err(EditError::NotEditable(Layer::Zones))));
    }

    #[test]
    fn a_building_needs_its_zone_and_keeps_the_tree_current() {
        let mut inv = inventory();
        let footprint = polygon![(x: 108.0102, y: 21.5502), (x: 108.0108, y: 21.5502), (x: 108.0108, y: 21.5508), (x: 108.0102, y: 21.5508)];
        let building = FactoryBuilding {
            id: crate::BuildingId(0),
            building_no: "Z1-B1".into(),
            name: "B1".into(),
            zone: ZoneId(1),
            parcel: Some(ParcelId(1)),
            footprint,
            structure: crate::Structure::RcFrame,
            floors: 3,
            gross_floor_area: SquareMeters(9000.0),
            floor_plate: SquareMeters(3000.0),
            height_1f_m: 8.0,
            height_upper_m: 5.0,
            load_1f_kn_m2: 10.0,
            load_upper_kn_m2: 5.0,
            lift_count: 1,
            lift_capacity_t: 2.0,
            transformer_kva: 800,
            fire_class: crate::FireClass::Bing,
            status: BuildingStatus::Leasable,
            completion_date: None,
            operator: None,
        };
        let mut elsewhere = building.clone();
        elsewhere.zone = ZoneId(7);
        assert!(matches!(create(&inv, Record::Building(elsewhere)), Err(EditError::Invalid(_))));
        let (change, id) = create(&inv, Record::Building(building)).unwrap();
        inv.apply(&change);
        let point = geo::point!(x: 108.0105, y: 21.5505);
        assert_eq!(inv.buildings_at(point).map(|b| b.id.0).collect::<Vec<_>>(), [id]);
        // The parcel under a standing building cannot retire.
        assert!(matches!(retire(&inv, Layer::Parcels, 1), Err(EditError::Conflict(_))));
        let change = retire(&inv, Layer::Buildings, id).unwrap();
        inv.apply(&change);
        assert!(retire(&inv, Layer::Parcels, 1).is_ok());
    }
}
