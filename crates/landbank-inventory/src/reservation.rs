//! Reservations (holds with an expiry) and allocations (confirmed supply or lease) of parcels and factory units,
//! planned as pure changes: the caller commits a [`Change`] to its store, then applies it to the inventory.
//!
//! A reservation holds a parcel or a set of units for a project until it expires; confirming it turns it into an
//! allocation (land supplied, units leased) and advances the project; releasing either frees the space. Every
//! function checks the rules against the inventory it is given and returns a [`Change`] or an
//! [`AllocationError`]; none reads a clock (`now` is passed in).

use jiff::{SignedDuration, Timestamp};

use crate::code::coded_enum;
use crate::{
    Availability, FactoryBuilding, FactoryUnit, Inventory, Parcel, ParcelId, Project, ProjectId, ProjectStage,
    SupplyMethod, UnitId, UnitStatus,
};

/// Identifies a reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReservationId(pub i64);

/// Identifies an allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AllocationId(pub i64);

impl std::fmt::Display for ReservationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::fmt::Display for AllocationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What a reservation or allocation holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Parcel(ParcelId),
    /// One or more units, usually adjacent on one floor.
    Units(Vec<UnitId>),
}

coded_enum! {
    /// Where a reservation stands.
    ReservationStatus ("reservation status") {
        Active = "active",
        Confirmed = "confirmed",
        Released = "released",
        Expired = "expired",
    }
}

coded_enum! {
    /// Where an allocation stands.
    AllocationStatus ("allocation status") {
        Active = "active",
        Released = "released",
    }
}

/// A hold on space for a project, until `expires_at`.
#[derive(Debug, Clone, PartialEq)]
pub struct Reservation {
    pub id: ReservationId,
    pub project: ProjectId,
    pub target: Target,
    pub status: ReservationStatus,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// Who made it (a token's name).
    pub actor: String,
    /// When it was confirmed, released or expired.
    pub closed_at: Option<Timestamp>,
}

/// Space supplied or leased to a project.
#[derive(Debug, Clone, PartialEq)]
pub struct Allocation {
    pub id: AllocationId,
    pub reservation: ReservationId,
    pub project: ProjectId,
    pub target: Target,
    pub status: AllocationStatus,
    /// For land: how it is supplied (never 划拨 for a manufacturing project).
    pub supply_method: Option<SupplyMethod>,
    pub term_years: Option<u16>,
    /// Total land price or yearly rent, 万元.
    pub price_wan: Option<f64>,
    pub contract_ref: Option<String>,
    pub confirmed_at: Timestamp,
    pub actor: String,
    pub released_at: Option<Timestamp>,
}

/// Terms a reservation is confirmed with.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Terms {
    pub supply_method: Option<SupplyMethod>,
    pub term_years: Option<u16>,
    pub price_wan: Option<f64>,
    pub contract_ref: Option<String>,
}

/// The records a write creates or replaces, and what happened, for the store to commit in one transaction.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Change {
    pub parcels: Vec<Parcel>,
    pub buildings: Vec<FactoryBuilding>,
    pub units: Vec<FactoryUnit>,
    pub projects: Vec<Project>,
    pub reservations: Vec<Reservation>,
    pub allocations: Vec<Allocation>,
    /// Parcels retired by this change (also in `parcels`, with availability `Retired`), with their successors.
    pub lineage: Vec<(ParcelId, Vec<ParcelId>)>,
    /// A short name for the event log: `reserve`, `confirm`, `release`, `expire`, `split`, `merge`, `create`,
    /// `replace`, `update`, `retire`.
    pub kind: &'static str,
}

impl Change {
    /// This change followed by `next` (planned on the inventory this one leaves): records of `next` replace
    /// records of this one with the same id; lineage is kept; the kind is `next`'s.
    #[must_use]
    pub fn then(mut self, next: Change) -> Change {
        fn merge<T, K: PartialEq>(mut mine: Vec<T>, theirs: Vec<T>, key: impl Fn(&T) -> K) -> Vec<T> {
            mine.retain(|m| !theirs.iter().any(|t| key(t) == key(m)));
            mine.extend(theirs);
            mine
        }
        self.parcels = merge(self.parcels, next.parcels, |p| p.id);
        self.buildings = merge(self.buildings, next.buildings, |b| b.id);
        self.units = merge(self.units, next.units, |u| u.id);
        self.projects = merge(self.projects, next.projects, |p| p.id);
        self.reservations = merge(self.reservations, next.reservations, |r| r.id);
        self.allocations = merge(self.allocations, next.allocations, |a| a.id);
        self.lineage.extend(next.lineage);
        self.kind = next.kind;
        self
    }
}

/// Why a reservation, confirmation or release is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AllocationError {
    #[error("project {0} does not exist")]
    UnknownProject(ProjectId),
    #[error("parcel {0} does not exist")]
    UnknownParcel(ParcelId),
    #[error("unit {0} does not exist")]
    UnknownUnit(UnitId),
    #[error("reservation {0} does not exist")]
    UnknownReservation(ReservationId),
    #[error("allocation {0} does not exist")]
    UnknownAllocation(AllocationId),
    #[error("a reservation needs at least one unit")]
    NoUnits,
    #[error("parcel {parcel} is {availability}, not available")]
    ParcelNotAvailable { parcel: ParcelId, availability: Availability },
    #[error("parcel {parcel} is available only from {from}")]
    ParcelNotYetAvailable { parcel: ParcelId, from: crate::Date },
    #[error("unit {unit} is {status}, not vacant")]
    UnitNotVacant { unit: UnitId, status: UnitStatus },
    #[error("parcel {parcel} is class {land} land and cannot take project {project}, which needs class {needs}")]
    ClassMismatch { parcel: ParcelId, project: ProjectId, land: String, needs: String },
    #[error("reservation {id} is {status}; only an active reservation can be {action}")]
    ReservationNotActive { id: ReservationId, status: ReservationStatus, action: &'static str },
    #[error("reservation {id} was made by `{owner}`; only `{owner}` can {action} it")]
    ForeignReservation { id: ReservationId, owner: String, action: &'static str },
    #[error("reservation {id} expired at {expires_at}")]
    ReservationExpired { id: ReservationId, expires_at: Timestamp },
    #[error("allocation {id} is already released")]
    AllocationReleased { id: AllocationId },
    #[error("the hold must last between 1 second and 366 days, not {0}")]
    HoldOutOfRange(SignedDuration),
    #[error("allocation (划拨) is not a supply method for a manufacturing project")]
    AllocationSupplyForManufacturing,
}

/// The longest hold a reservation may ask for.
const MAX_HOLD: SignedDuration = SignedDuration::from_hours(366 * 24);

fn project(inventory: &Inventory, id: ProjectId) -> Result<&Project, AllocationError> {
    inventory.project(id).ok_or(AllocationError::UnknownProject(id))
}

fn next_reservation_id(inventory: &Inventory) -> ReservationId {
    ReservationId(inventory.reservations().last().map_or(1, |r| r.id.0 + 1))
}

fn next_allocation_id(inventory: &Inventory) -> AllocationId {
    AllocationId(inventory.allocations().last().map_or(1, |a| a.id.0 + 1))
}

/// Plans a reservation of `target` for `project`, held for `hold` from `now`.
///
/// # Errors
///
/// Unknown project, parcel or unit; a parcel that is not available (or not yet on `now`'s date), or whose class
/// cannot take the project; a unit that is not vacant; a hold outside 1 second to 366 days.
pub fn reserve(
    inventory: &Inventory,
    project_id: ProjectId,
    target: Target,
    now: Timestamp,
    hold: SignedDuration,
    actor: &str,
) -> Result<Change, AllocationError> {
    if hold < SignedDuration::from_secs(1) || hold > MAX_HOLD {
        return Err(AllocationError::HoldOutOfRange(hold));
    }
    let project = project(inventory, project_id)?;
    let mut change = Change { kind: "reserve", ..Change::default() };
    match &target {
        Target::Parcel(id) => {
            let parcel = inventory.parcel(*id).ok_or(AllocationError::UnknownParcel(*id))?;
            let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
            if parcel.availability != Availability::Available {
                return Err(AllocationError::ParcelNotAvailable { parcel: *id, availability: parcel.availability });
            }
            if let Some(from) = parcel.available_from.filter(|from| *from > today) {
                return Err(AllocationError::ParcelNotYetAvailable { parcel: *id, from });
            }
            if let Some(land) = parcel.class()
                && !project.required_class.fits_on(land)
            {
                return Err(AllocationError::ClassMismatch {
                    parcel: *id,
                    project: project_id,
                    land: land.code().to_owned(),
                    needs: project.required_class.code().to_owned(),
                });
            }
            let mut held = parcel.clone();
            held.availability = Availability::Held;
            held.project = Some(project_id);
            change.parcels.push(held);
        }
        Target::Units(ids) => {
            if ids.is_empty() {
                return Err(AllocationError::NoUnits);
            }
            for id in ids {
                let unit = inventory.unit(*id).ok_or(AllocationError::UnknownUnit(*id))?;
                if unit.status != UnitStatus::Vacant {
                    return Err(AllocationError::UnitNotVacant { unit: *id, status: unit.status });
                }
                let mut held = unit.clone();
                held.status = UnitStatus::Reserved;
                held.project = Some(project_id);
                change.units.push(held);
            }
        }
    }
    change.reservations.push(Reservation {
        id: next_reservation_id(inventory),
        project: project_id,
        target,
        status: ReservationStatus::Active,
        created_at: now,
        expires_at: now + hold,
        actor: actor.to_owned(),
        closed_at: None,
    });
    Ok(change)
}

fn reservation(inventory: &Inventory, id: ReservationId) -> Result<&Reservation, AllocationError> {
    inventory.reservation(id).ok_or(AllocationError::UnknownReservation(id))
}

/// Plans confirming an active reservation: the parcel is supplied (or the units leased) to the project, the
/// project advances to "space secured" if it was only signed, and an allocation records the terms.
///
/// # Errors
///
/// Unknown reservation; one made by another actor; a reservation that is not active or has expired at `now`;
/// 划拨 for a manufacturing project.
pub fn confirm(
    inventory: &Inventory,
    id: ReservationId,
    terms: Terms,
    now: Timestamp,
    actor: &str,
) -> Result<Change, AllocationError> {
    let held = reservation(inventory, id)?;
    if held.actor != actor {
        return Err(AllocationError::ForeignReservation { id, owner: held.actor.clone(), action: "confirm" });
    }
    if held.status != ReservationStatus::Active {
        return Err(AllocationError::ReservationNotActive { id, status: held.status, action: "confirmed" });
    }
    if held.expires_at <= now {
        return Err(AllocationError::ReservationExpired { id, expires_at: held.expires_at });
    }
    let project = project(inventory, held.project)?;
    if terms.supply_method == Some(SupplyMethod::Allocation) && project.industry != crate::Industry::Infrastructure {
        return Err(AllocationError::AllocationSupplyForManufacturing);
    }
    let mut change = Change { kind: "confirm", ..Change::default() };
    let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    match &held.target {
        Target::Parcel(pid) => {
            let mut parcel = inventory.parcel(*pid).ok_or(AllocationError::UnknownParcel(*pid))?.clone();
            parcel.availability = Availability::Supplied;
            parcel.project = Some(project.id);
            parcel.holder = Some(project.company.clone());
            parcel.supply_method = terms.supply_method.or(parcel.supply_method).or(Some(SupplyMethod::TransferListing));
            parcel.term_years = terms.term_years.or(parcel.term_years);
            parcel.supply_date = Some(today);
            change.parcels.push(parcel);
        }
        Target::Units(ids) => {
            for uid in ids {
                let mut unit = inventory.unit(*uid).ok_or(AllocationError::UnknownUnit(*uid))?.clone();
                unit.status = UnitStatus::Leased;
                unit.project = Some(project.id);
                change.units.push(unit);
            }
        }
    }
    if project.stage == ProjectStage::Signed {
        let mut advanced = project.clone();
        advanced.stage = ProjectStage::SpaceSecured;
        if let Target::Parcel(pid) = held.target {
            advanced.parcel = Some(pid);
        }
        change.projects.push(advanced);
    }
    let mut closed = held.clone();
    closed.status = ReservationStatus::Confirmed;
    closed.closed_at = Some(now);
    change.reservations.push(closed);
    change.allocations.push(Allocation {
        id: next_allocation_id(inventory),
        reservation: id,
        project: held.project,
        target: held.target.clone(),
        status: AllocationStatus::Active,
        supply_method: terms.supply_method,
        term_years: terms.term_years,
        price_wan: terms.price_wan,
        contract_ref: terms.contract_ref,
        confirmed_at: now,
        actor: actor.to_owned(),
        released_at: None,
    });
    Ok(change)
}

/// Frees what a reservation or allocation held: the parcel becomes available, the units vacant.
fn free(
    inventory: &Inventory,
    target: &Target,
    project: ProjectId,
    change: &mut Change,
) -> Result<(), AllocationError> {
    match target {
        Target::Parcel(pid) => {
            let mut parcel = inventory.parcel(*pid).ok_or(AllocationError::UnknownParcel(*pid))?.clone();
            if parcel.project == Some(project) {
                parcel.availability = Availability::Available;
                parcel.project = None;
                parcel.holder = None;
                parcel.supply_date = None;
                change.parcels.push(parcel);
            }
        }
        Target::Units(ids) => {
            for uid in ids {
                let mut unit = inventory.unit(*uid).ok_or(AllocationError::UnknownUnit(*uid))?.clone();
                if unit.project == Some(project) {
                    unit.status = UnitStatus::Vacant;
                    unit.project = None;
                    change.units.push(unit);
                }
            }
        }
    }
    Ok(())
}

/// Plans releasing an active reservation before it expires; only the actor who made it may.
///
/// # Errors
///
/// Unknown reservation, one made by another actor, or one that is not active.
pub fn release_reservation(
    inventory: &Inventory,
    id: ReservationId,
    now: Timestamp,
    actor: &str,
) -> Result<Change, AllocationError> {
    let held = reservation(inventory, id)?;
    if held.actor != actor {
        return Err(AllocationError::ForeignReservation { id, owner: held.actor.clone(), action: "release" });
    }
    if held.status != ReservationStatus::Active {
        return Err(AllocationError::ReservationNotActive { id, status: held.status, action: "released" });
    }
    let mut change = Change { kind: "release", ..Change::default() };
    free(inventory, &held.target, held.project, &mut change)?;
    let mut closed = held.clone();
    closed.status = ReservationStatus::Released;
    closed.closed_at = Some(now);
    change.reservations.push(closed);
    Ok(change)
}

/// Plans releasing an active allocation: the space is free again and a project that had only secured its space
/// goes back to "signed".
///
/// # Errors
///
/// Unknown allocation, or one already released.
pub fn release_allocation(inventory: &Inventory, id: AllocationId, now: Timestamp) -> Result<Change, AllocationError> {
    let allocation = inventory.allocation(id).ok_or(AllocationError::UnknownAllocation(id))?;
    if allocation.status != AllocationStatus::Active {
        return Err(AllocationError::AllocationReleased { id });
    }
    let mut change = Change { kind: "release", ..Change::default() };
    free(inventory, &allocation.target, allocation.project, &mut change)?;
    let project = project(inventory, allocation.project)?;
    if project.stage == ProjectStage::SpaceSecured {
        let mut back = project.clone();
        back.stage = ProjectStage::Signed;
        if matches!(allocation.target, Target::Parcel(_)) {
            back.parcel = None;
        }
        change.projects.push(back);
    }
    let mut released = allocation.clone();
    released.status = AllocationStatus::Released;
    released.released_at = Some(now);
    change.allocations.push(released);
    Ok(change)
}

/// Plans expiring every active reservation whose hold ended at or before `now`, or `None` when none has.
pub fn expire(inventory: &Inventory, now: Timestamp) -> Option<Change> {
    let mut change = Change { kind: "expire", ..Change::default() };
    for held in inventory.reservations().iter().filter(|r| r.status == ReservationStatus::Active && r.expires_at <= now)
    {
        if free(inventory, &held.target, held.project, &mut change).is_err() {
            continue;
        }
        let mut closed = held.clone();
        closed.status = ReservationStatus::Expired;
        closed.closed_at = Some(now);
        change.reservations.push(closed);
    }
    (!change.reservations.is_empty()).then_some(change)
}
