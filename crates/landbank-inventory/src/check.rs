//! Data-quality checks: invalid geometry, overlaps, parcels outside their zone, malformed codes, area drift,
//! dangling references. Every problem is reported, not only the first.

use std::fmt;

use geo::{Relate, Validation};

use std::collections::HashMap;

use crate::edit::Record;
use crate::{BBox, BuildingStatus, FactoryBuilding, FactoryUnit, Inventory, Parcel, Project, UnitStatus, Zone};

/// Relative difference between computed and registered area above which a parcel is reported.
pub const AREA_DRIFT_TOLERANCE: f64 = 0.005;

/// What is wrong with a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProblemKind {
    InvalidGeometry,
    OutsideZone,
    Overlap,
    AreaDrift,
    MalformedCode,
    DuplicateCode,
    DanglingReference,
    OutOfRange,
}

impl ProblemKind {
    /// A stable code for reports.
    pub fn code(self) -> &'static str {
        match self {
            ProblemKind::InvalidGeometry => "invalid_geometry",
            ProblemKind::OutsideZone => "outside_zone",
            ProblemKind::Overlap => "overlap",
            ProblemKind::AreaDrift => "area_drift",
            ProblemKind::MalformedCode => "malformed_code",
            ProblemKind::DuplicateCode => "duplicate_code",
            ProblemKind::DanglingReference => "dangling_reference",
            ProblemKind::OutOfRange => "out_of_range",
        }
    }
}

/// One problem with one record.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub kind: ProblemKind,
    /// The layer: `zones`, `parcels`, `buildings`, `units`, `projects` or `pois`.
    pub layer: &'static str,
    pub id: i64,
    /// The record's human code (plot number, building number…).
    pub code: String,
    pub detail: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ({}): {}: {}", self.layer, self.id, self.code, self.kind.code(), self.detail)
    }
}

/// Whether `code` is a 宗地代码: 12 digits, ownership G/J/Z, right type, 5 digits (GB/T 37346-2019).
///
/// # Examples
///
/// ```
/// assert!(landbank_inventory::check::is_parcel_code("450681103005GB00027"));
/// assert!(!landbank_inventory::check::is_parcel_code("450681103005GB0027"));
/// ```
pub fn is_parcel_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 19
        && b[..12].iter().all(u8::is_ascii_digit)
        && b"GJZ".contains(&b[12])
        && b"ABSXCDEFHGWY".contains(&b[13])
        && b[14..].iter().all(u8::is_ascii_digit)
}

/// Checks every record and returns every problem found, in layer and id order.
pub fn check(inventory: &Inventory) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut report = |kind, layer, id: i64, code: &str, detail: String| {
        problems.push(Problem { kind, layer, id, code: code.to_owned(), detail });
    };
    for z in inventory.zones() {
        check_zone(z, &mut report);
    }
    let mut seen = HashMap::new();
    for p in inventory.parcels() {
        if let Some(previous) = seen.insert(p.plot_no.as_str(), p.id.0) {
            duplicate(&mut report, "parcels", p.id.0, &p.plot_no, "plot number", "parcel", previous);
        }
        check_parcel(inventory, p, Overlaps::WithLaterIds, &mut report);
    }
    seen.clear();
    for b in inventory.buildings() {
        if let Some(previous) = seen.insert(b.building_no.as_str(), b.id.0) {
            duplicate(&mut report, "buildings", b.id.0, &b.building_no, "building number", "building", previous);
        }
        check_building(inventory, b, &mut report);
    }
    for u in inventory.units() {
        check_unit(inventory, u, &mut report);
    }
    seen.clear();
    for p in inventory.projects() {
        if let Some(previous) = seen.insert(p.code.as_str(), p.id.0) {
            duplicate(&mut report, "projects", p.id.0, &p.code, "project code", "project", previous);
        }
        check_project(inventory, p, &mut report);
    }
    for poi in inventory.pois() {
        if let Err(e) = poi.geometry.check_validation() {
            report(ProblemKind::InvalidGeometry, "pois", poi.id.0, &poi.code, e.to_string());
        }
    }
    problems
}

/// Checks one record against the rest of the inventory, with the rules [`check`] applies, as if it replaced the
/// record with its id: what an edit must pass. Its code must differ from every other record's, a parcel must
/// overlap no other, and the records that depend on it must still fit (buildings inside a reshaped parcel, units
/// within a building's floors).
pub(crate) fn check_one(inventory: &Inventory, record: &Record) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut report = |kind, layer, id: i64, code: &str, detail: String| {
        problems.push(Problem { kind, layer, id, code: code.to_owned(), detail });
    };
    match record {
        Record::Parcel(p) => {
            if let Some(other) = inventory.parcels().iter().find(|o| o.id != p.id && o.plot_no == p.plot_no) {
                duplicate(&mut report, "parcels", p.id.0, &p.plot_no, "plot number", "parcel", other.id.0);
            }
            check_parcel(inventory, p, Overlaps::WithAll, &mut report);
            for b in inventory.buildings().iter().filter(|b| b.parcel == Some(p.id)) {
                if b.status != BuildingStatus::Retired && !p.geometry.relate(&b.footprint).is_covers() {
                    let detail = format!("building {} ({}) would no longer be inside the parcel", b.id, b.building_no);
                    report(ProblemKind::OutsideZone, "parcels", p.id.0, &p.plot_no, detail);
                }
            }
        }
        Record::Building(b) => {
            if let Some(other) = inventory.buildings().iter().find(|o| o.id != b.id && o.building_no == b.building_no) {
                duplicate(&mut report, "buildings", b.id.0, &b.building_no, "building number", "building", other.id.0);
            }
            check_building(inventory, b, &mut report);
            for u in inventory.units().iter().filter(|u| u.building == b.id && u.status != UnitStatus::Retired) {
                if u.floor > b.floors {
                    let detail = format!(
                        "unit {} ({}) is on floor {}, above the building's {}",
                        u.id, u.label, u.floor, b.floors
                    );
                    report(ProblemKind::OutOfRange, "buildings", b.id.0, &b.building_no, detail);
                }
            }
        }
        Record::Unit(u) => check_unit(inventory, u, &mut report),
        Record::Project(p) => {
            if let Some(other) = inventory.projects().iter().find(|o| o.id != p.id && o.code == p.code) {
                duplicate(&mut report, "projects", p.id.0, &p.code, "project code", "project", other.id.0);
            }
            check_project(inventory, p, &mut report);
        }
    }
    problems
}

fn duplicate(
    report: &mut Report<'_>,
    layer: &'static str,
    id: i64,
    code: &str,
    what: &str,
    other: &str,
    other_id: i64,
) {
    report(ProblemKind::DuplicateCode, layer, id, code, format!("{what} also used by {other} {other_id}"));
}

/// Which other parcels a parcel is compared with for overlaps.
#[derive(Clone, Copy, PartialEq)]
enum Overlaps {
    /// Those with a larger id: checking every parcel this way compares each pair once.
    WithLaterIds,
    WithAll,
}

type Report<'a> = dyn FnMut(ProblemKind, &'static str, i64, &str, String) + 'a;

fn check_zone(z: &Zone, report: &mut Report<'_>) {
    if let Err(e) = z.boundary.check_validation() {
        report(ProblemKind::InvalidGeometry, "zones", z.id.0, &z.code, e.to_string());
    }
}

fn check_building(inventory: &Inventory, b: &FactoryBuilding, report: &mut Report<'_>) {
    let mut note = |kind, detail: String| report(kind, "buildings", b.id.0, &b.building_no, detail);
    if let Err(e) = b.footprint.check_validation() {
        note(ProblemKind::InvalidGeometry, e.to_string());
        return;
    }
    match inventory.zone(b.zone) {
        None => note(ProblemKind::DanglingReference, format!("zone {} does not exist", b.zone)),
        Some(z) if !z.boundary.relate(&b.footprint).is_covers() => {
            note(ProblemKind::OutsideZone, format!("footprint is not inside zone {}", z.code));
        }
        Some(_) => {}
    }
    if let Some(parcel) = b.parcel {
        match inventory.parcel(parcel) {
            None => note(ProblemKind::DanglingReference, format!("parcel {parcel} does not exist")),
            Some(p) if !p.geometry.relate(&b.footprint).is_covers() => {
                note(ProblemKind::OutsideZone, format!("footprint is not inside parcel {}", p.plot_no));
            }
            Some(_) => {}
        }
    }
    if b.floors == 0 || b.gross_floor_area.0 <= 0.0 {
        note(ProblemKind::OutOfRange, "floors and gross floor area must be positive".into());
    }
}

fn check_unit(inventory: &Inventory, u: &FactoryUnit, report: &mut Report<'_>) {
    let mut note = |kind, detail: String| report(kind, "units", u.id.0, &u.label, detail);
    match inventory.building(u.building) {
        None => note(ProblemKind::DanglingReference, format!("building {} does not exist", u.building)),
        Some(b) if u.floor == 0 || u.floor > b.floors => note(
            ProblemKind::OutOfRange,
            format!("floor {} is not between 1 and the building's {} floors", u.floor, b.floors),
        ),
        Some(_) => {}
    }
    if let Some(outline) = &u.outline
        && let Err(e) = outline.check_validation()
    {
        note(ProblemKind::InvalidGeometry, e.to_string());
    }
    if u.area.0 <= 0.0 {
        note(ProblemKind::OutOfRange, "area must be positive".into());
    }
    if let Some(project) = u.project
        && inventory.project(project).is_none()
    {
        note(ProblemKind::DanglingReference, format!("project {project} does not exist"));
    }
}

fn check_project(inventory: &Inventory, p: &Project, report: &mut Report<'_>) {
    let mut note = |kind, detail: String| report(kind, "projects", p.id.0, &p.code, detail);
    if let Some(parcel) = p.parcel
        && inventory.parcel(parcel).is_none()
    {
        note(ProblemKind::DanglingReference, format!("parcel {parcel} does not exist"));
    }
    if let Some(zone) = p.zone
        && inventory.zone(zone).is_none()
    {
        note(ProblemKind::DanglingReference, format!("zone {zone} does not exist"));
    }
    for unit in &p.units {
        if inventory.unit(*unit).is_none() {
            note(ProblemKind::DanglingReference, format!("unit {unit} does not exist"));
        }
    }
    if p.fixed_asset_investment.0 > p.total_investment.0 {
        note(ProblemKind::OutOfRange, "fixed-asset investment exceeds total investment".into());
    }
}

fn check_parcel(inventory: &Inventory, p: &Parcel, overlaps: Overlaps, report: &mut Report<'_>) {
    let mut note = |kind, detail: String| report(kind, "parcels", p.id.0, &p.plot_no, detail);
    if let Err(e) = p.geometry.check_validation() {
        note(ProblemKind::InvalidGeometry, e.to_string());
        return;
    }
    if let Some(code) = &p.parcel_code
        && !is_parcel_code(code)
    {
        note(
            ProblemKind::MalformedCode,
            format!("parcel code `{code}` is not 12 digits, G/J/Z, a right type and 5 digits"),
        );
    }
    if !p.land_use.is_well_formed() {
        note(
            ProblemKind::MalformedCode,
            format!("land-use code `{}` is not a {} code", p.land_use.code, p.land_use.system),
        );
    }
    if p.stated_area.0 <= 0.0 {
        note(ProblemKind::OutOfRange, "stated area must be positive".into());
    } else if p.area_drift().abs() > AREA_DRIFT_TOLERANCE {
        note(
            ProblemKind::AreaDrift,
            format!(
                "computed area {:.2} m² differs from the stated {:.3} mu ({:.2} m²) by {:+.2} %",
                p.area.0,
                p.stated_area.0,
                p.stated_area_m2().0,
                p.area_drift() * 100.0
            ),
        );
    }
    match inventory.zone(p.zone) {
        None => note(ProblemKind::DanglingReference, format!("zone {} does not exist", p.zone)),
        Some(z) if !z.boundary.relate(&p.geometry).is_covers() => {
            note(ProblemKind::OutsideZone, format!("outline is not inside zone {}", z.code));
        }
        Some(_) => {}
    }
    if p.availability == crate::Availability::Retired {
        return;
    }
    let Some(bbox) = BBox::of_polygon(&p.geometry) else {
        return;
    };
    for other in inventory.parcels_in_bbox(bbox) {
        if (other.id > p.id || (overlaps == Overlaps::WithAll && other.id != p.id))
            && other.availability != crate::Availability::Retired
            && interiors_meet(&p.geometry, &other.geometry)
        {
            note(ProblemKind::Overlap, format!("overlaps parcel {} ({})", other.id, other.plot_no));
        }
    }
}

/// Whether two outlines share area: they overlap, are equal, or one contains the other — more than touching.
fn interiors_meet(a: &geo::Polygon, b: &geo::Polygon) -> bool {
    let matrix = a.relate(b);
    matrix.is_intersects() && !matrix.is_touches()
}
