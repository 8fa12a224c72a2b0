//! Data-quality checks: invalid geometry, overlaps, parcels outside their zone, malformed codes, area drift,
//! dangling references. Every problem is reported, not only the first.

use std::fmt;

use geo::{Relate, Validation};

use crate::{BBox, Inventory, Parcel};

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
        if let Err(e) = z.boundary.check_validation() {
            report(ProblemKind::InvalidGeometry, "zones", z.id.0, &z.code, e.to_string());
        }
    }

    let mut seen_codes = std::collections::HashMap::new();
    for p in inventory.parcels() {
        if let Some(previous) = seen_codes.insert(p.plot_no.as_str(), p.id) {
            report(
                ProblemKind::DuplicateCode,
                "parcels",
                p.id.0,
                &p.plot_no,
                format!("plot number also used by parcel {previous}"),
            );
        }
        check_parcel(inventory, p, &mut report);
    }

    for b in inventory.buildings() {
        if let Err(e) = b.footprint.check_validation() {
            report(ProblemKind::InvalidGeometry, "buildings", b.id.0, &b.building_no, e.to_string());
        }
        match inventory.zone(b.zone) {
            None => report(
                ProblemKind::DanglingReference,
                "buildings",
                b.id.0,
                &b.building_no,
                format!("zone {} does not exist", b.zone),
            ),
            Some(z) if !z.boundary.relate(&b.footprint).is_covers() => {
                report(
                    ProblemKind::OutsideZone,
                    "buildings",
                    b.id.0,
                    &b.building_no,
                    format!("footprint is not inside zone {}", z.code),
                );
            }
            Some(_) => {}
        }
        if let Some(parcel) = b.parcel {
            match inventory.parcel(parcel) {
                None => report(
                    ProblemKind::DanglingReference,
                    "buildings",
                    b.id.0,
                    &b.building_no,
                    format!("parcel {parcel} does not exist"),
                ),
                Some(p) if !p.geometry.relate(&b.footprint).is_covers() => {
                    report(
                        ProblemKind::OutsideZone,
                        "buildings",
                        b.id.0,
                        &b.building_no,
                        format!("footprint is not inside parcel {}", p.plot_no),
                    );
                }
                Some(_) => {}
            }
        }
        if b.floors == 0 || b.gross_floor_area.0 <= 0.0 {
            report(
                ProblemKind::OutOfRange,
                "buildings",
                b.id.0,
                &b.building_no,
                "floors and gross floor area must be positive".into(),
            );
        }
    }

    for u in inventory.units() {
        match inventory.building(u.building) {
            None => report(
                ProblemKind::DanglingReference,
                "units",
                u.id.0,
                &u.label,
                format!("building {} does not exist", u.building),
            ),
            Some(b) if u.floor == 0 || u.floor > b.floors => report(
                ProblemKind::OutOfRange,
                "units",
                u.id.0,
                &u.label,
                format!("floor {} is not between 1 and the building's {} floors", u.floor, b.floors),
            ),
            Some(_) => {}
        }
        if let Some(outline) = &u.outline
            && let Err(e) = outline.check_validation()
        {
            report(ProblemKind::InvalidGeometry, "units", u.id.0, &u.label, e.to_string());
        }
        if u.area.0 <= 0.0 {
            report(ProblemKind::OutOfRange, "units", u.id.0, &u.label, "area must be positive".into());
        }
    }

    for p in inventory.projects() {
        if let Some(parcel) = p.parcel
            && inventory.parcel(parcel).is_none()
        {
            report(
                ProblemKind::DanglingReference,
                "projects",
                p.id.0,
                &p.code,
                format!("parcel {parcel} does not exist"),
            );
        }
        for unit in &p.units {
            if inventory.unit(*unit).is_none() {
                report(
                    ProblemKind::DanglingReference,
                    "projects",
                    p.id.0,
                    &p.code,
                    format!("unit {unit} does not exist"),
                );
            }
        }
        if p.fixed_asset_investment.0 > p.total_investment.0 {
            report(
                ProblemKind::OutOfRange,
                "projects",
                p.id.0,
                &p.code,
                "fixed-asset investment exceeds total investment".into(),
            );
        }
    }

    for poi in inventory.pois() {
        if let Err(e) = poi.geometry.check_validation() {
            report(ProblemKind::InvalidGeometry, "pois", poi.id.0, &poi.code, e.to_string());
        }
    }
    problems
}

fn check_parcel(
    inventory: &Inventory,
    p: &Parcel,
    report: &mut impl FnMut(ProblemKind, &'static str, i64, &str, String),
) {
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
        if other.id > p.id
            && other.availability != crate::Availability::Retired
            && p.geometry.relate(&other.geometry).is_overlaps()
        {
            note(ProblemKind::Overlap, format!("overlaps parcel {} ({})", other.id, other.plot_no));
        }
    }
}
