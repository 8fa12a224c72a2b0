//! `carve` on arbitrary polygons near Dongxing (108.0 E, 21.55 N, within about a kilometre), and, when a carve
//! succeeds, the same split through `lineage::split` on an inventory holding that parcel.
//!
//! Polygons come two ways: a raw ring of 3–40 grid points (mostly self-intersecting: these must be refused with
//! an error), or a star-shaped ring around the centre (simple by construction), each maybe with a hole.
//! A carve may refuse anything with a `CarveError`, never panic; when it returns a carve, what its docs promise
//! must hold: both pieces are valid polygons, their geodesic areas (as reported, and recomputed) add up to the
//! parent's within `AREA_SUM_TOLERANCE` relative, and the piece is within `CARVE_TOLERANCE` of the target.

#![no_main]

use std::f64::consts::TAU;
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use geo::{BoundingRect, Coord, LineString, Polygon, Validation};
use landbank_inventory::check::check;
use landbank_inventory::{
    AREA_SUM_TOLERANCE, Availability, CARVE_TOLERANCE, CarveDirection, Inventory, InventoryParts, Mu, Parcel,
    ParcelId, SliverPolicy, carve, geodesic_area, lineage,
};
use libfuzzer_sys::fuzz_target;

const CENTRE: Coord = Coord { x: 108.0, y: 21.55 };
/// Half the side of the box the points lie in, in degrees (about 500 m).
const HALF: f64 = 0.005;
const MAX_POINTS: usize = 40;

#[derive(Debug, Arbitrary)]
enum Shape {
    /// Grid points as they come.
    Ring { outer: Vec<(u16, u16)>, hole: Option<Vec<(u16, u16)>> },
    /// `(angle, radius)` pairs, sorted by angle around the centre: a simple polygon unless points coincide.
    Star { outer: Vec<(u16, u16)>, hole: Option<Vec<(u16, u16)>> },
}

#[derive(Debug, Arbitrary)]
enum Target {
    /// A fraction of the parent's area, in (0, 1).
    Fraction(u16),
    /// Any number of mu at all.
    Mu(f64),
}

#[derive(Debug, Arbitrary)]
enum Direction {
    Auto,
    Bearing(u16),
    AnyBearing(f64),
    /// Along an edge of the outer ring (index modulo its length), either way.
    Edge(u8, bool),
    AnyEdge((u16, u16), (u16, u16)),
}

#[derive(Debug, Arbitrary)]
enum Policy {
    Default,
    /// Nothing is a sliver.
    Lenient,
    Custom { min_width_m: u8, min_area_mu: u8, max_aspect: u8 },
}

#[derive(Debug, Arbitrary)]
struct Input {
    shape: Shape,
    target: Target,
    direction: Direction,
    policy: Policy,
}

fn grid((x, y): (u16, u16)) -> Coord {
    let unit = |v: u16| f64::from(v) / f64::from(u16::MAX) * 2.0 - 1.0;
    Coord { x: CENTRE.x + unit(x) * HALF, y: CENTRE.y + unit(y) * HALF }
}

fn ring(points: &[(u16, u16)]) -> Option<LineString> {
    let coords: Vec<Coord> = points.iter().take(MAX_POINTS).copied().map(grid).collect();
    (coords.len() >= 3).then(|| LineString::new(coords))
}

/// A star-shaped ring: points sorted by angle, at radii scaled into `(0, max_radius]`; with the smallest distance
/// from the centre to the ring, a lower bound for where a hole may go.
fn star(points: &[(u16, u16)], max_radius: f64) -> Option<(LineString, f64)> {
    let mut polar: Vec<(f64, f64)> = points
        .iter()
        .take(MAX_POINTS)
        .map(|&(a, r)| (f64::from(a) / 65_536.0 * TAU, (f64::from(r) + 1.0) / 65_536.0 * max_radius))
        .collect();
    polar.sort_by(|a, b| a.0.total_cmp(&b.0));
    polar.dedup_by(|a, b| a.0 == b.0);
    if polar.len() < 3 {
        return None;
    }
    let mut widest_gap: f64 = 0.0;
    for (i, &(a, _)) in polar.iter().enumerate() {
        let next = polar.get(i + 1).map_or(polar[0].0 + TAU, |p| p.0);
        widest_gap = widest_gap.max(next - a);
    }
    let nearest = polar.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let inner = if widest_gap < std::f64::consts::PI { nearest * (widest_gap / 2.0).cos() } else { 0.0 };
    let coords = polar.iter().map(|&(a, r)| Coord { x: CENTRE.x + r * a.cos(), y: CENTRE.y + r * a.sin() }).collect();
    Some((LineString::new(coords), inner))
}

fn polygon(shape: &Shape) -> Option<Polygon> {
    match shape {
        Shape::Ring { outer, hole } => {
            let holes = hole.as_deref().and_then(ring).into_iter().collect();
            Some(Polygon::new(ring(outer)?, holes))
        }
        Shape::Star { outer, hole } => {
            let (exterior, inner) = star(outer, HALF)?;
            let holes = match hole {
                Some(h) if inner > 0.0 => star(h, inner * 0.9).map(|(r, _)| r).into_iter().collect(),
                _ => Vec::new(),
            };
            Some(Polygon::new(exterior, holes))
        }
    }
}

/// An available parcel of the Dongxing inventory, to dress an arbitrary outline as, and the zones.
fn template() -> &'static (Parcel, InventoryParts) {
    static TEMPLATE: OnceLock<(Parcel, InventoryParts)> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let parts = landbank_gen::dongxing();
        let parcel = parts
            .parcels
            .iter()
            .find(|p| p.availability == Availability::Available && p.project.is_none() && p.holder.is_none())
            .expect("Dongxing has an available parcel")
            .clone();
        let zones = InventoryParts { zones: parts.zones.clone(), ..InventoryParts::default() };
        (parcel, zones)
    })
}

fn within(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance
}

fuzz_target!(|input: Input| {
    let Some(parent) = polygon(&input.shape) else { return };
    let whole = geodesic_area(&parent).0;
    let target = match input.target {
        Target::Fraction(f) => Mu(whole / (10_000.0 / 15.0) * (f64::from(f) + 1.0) / 65_537.0),
        Target::Mu(mu) => Mu(mu),
    };
    let direction = match input.direction {
        Direction::Auto => CarveDirection::Auto,
        Direction::Bearing(b) => CarveDirection::Bearing { degrees: f64::from(b) / 65_536.0 * 360.0 },
        Direction::AnyBearing(degrees) => CarveDirection::Bearing { degrees },
        Direction::Edge(i, forward) => {
            let coords = &parent.exterior().0;
            let i = usize::from(i) % (coords.len() - 1);
            let (a, b) = (coords[i], coords[i + 1]);
            CarveDirection::Frontage { edge: if forward { (a, b) } else { (b, a) } }
        }
        Direction::AnyEdge(a, b) => CarveDirection::Frontage { edge: (grid(a), grid(b)) },
    };
    let policy = match input.policy {
        Policy::Default => SliverPolicy::default(),
        Policy::Lenient => SliverPolicy { min_width_m: 0.0, min_area_mu: 0.0, max_aspect: f64::INFINITY },
        Policy::Custom { min_width_m, min_area_mu, max_aspect } => SliverPolicy {
            min_width_m: f64::from(min_width_m),
            min_area_mu: f64::from(min_area_mu) / 10.0,
            max_aspect: 1.0 + f64::from(max_aspect) / 10.0,
        },
    };

    let Ok(cut) = carve(&parent, target, direction, &policy) else { return };

    // What the docs promise of a carve.
    let shown = || format!("parent {parent:?}, target {target:?}, {direction:?}, {policy:?}");
    assert!(cut.piece.is_valid(), "invalid piece {:?} of {}", cut.piece, shown());
    assert!(cut.remainder.is_valid(), "invalid remainder {:?} of {}", cut.remainder, shown());
    let (piece, rest) = (cut.piece_area.0, cut.remainder_area.0);
    assert!(
        within(piece + rest, whole, AREA_SUM_TOLERANCE * whole),
        "piece {piece} m² + remainder {rest} m² is not the parent's {whole} m²: {}",
        shown()
    );
    assert!(
        within(cut.piece_area.to_mu().0, target.0, CARVE_TOLERANCE.0),
        "piece of {} mu for a target of {} mu: {}",
        cut.piece_area.to_mu().0,
        target.0,
        shown()
    );
    let (piece_again, rest_again) = (geodesic_area(&cut.piece).0, geodesic_area(&cut.remainder).0);
    assert!(within(piece_again, piece, 1e-9 * whole + 1e-6), "piece area {piece} is {piece_again}: {}", shown());
    assert!(within(rest_again, rest, 1e-9 * whole + 1e-6), "remainder area {rest} is {rest_again}: {}", shown());
    assert!((0.0..360.0).contains(&cut.sweep_bearing_deg), "bearing {}: {}", cut.sweep_bearing_deg, shown());
    let bounds = parent.bounding_rect().expect("a parent with area has bounds");
    for part in [&cut.piece, &cut.remainder] {
        let b = part.bounding_rect().expect("a valid part has bounds");
        // The cut's ends lie on the geodesics of the edges they cross, "within millimetres of the lon/lat chords":
        // a geodesic bulges off its chord by up to about a centimetre over this box.
        let slack = 2e-7;
        assert!(
            b.min().x >= bounds.min().x - slack
                && b.min().y >= bounds.min().y - slack
                && b.max().x <= bounds.max().x + slack
                && b.max().y <= bounds.max().y + slack,
            "part {part:?} reaches out of the parent: {}",
            shown()
        );
    }

    // The same split through an inventory: a free parcel of this outline.
    let (template, zones) = template();
    let id = ParcelId(1);
    let mut parcel = template.clone();
    parcel.id = id;
    parcel.area = geodesic_area(&parent);
    parcel.stated_area = Mu((parcel.area.to_mu().0 * 1_000.0).round() / 1_000.0);
    parcel.geometry = parent.clone();
    let stated = parcel.stated_area.0;
    let mut parts = zones.clone();
    parts.parcels = vec![parcel];
    let mut inventory = Inventory::new(parts).expect("one parcel assembles");
    let (change, again) = lineage::split(&inventory, id, target, direction, &policy)
        .unwrap_or_else(|e| panic!("carve succeeded but split failed ({e}): {}", shown()));
    assert_eq!(again, cut, "split carved differently: {}", shown());
    let children: Vec<&Parcel> = change.parcels.iter().filter(|p| p.id != id).collect();
    assert_eq!(children.len(), 2, "split made {} children: {}", children.len(), shown());
    let sum: f64 = children.iter().map(|p| p.stated_area.0).sum();
    assert!(within(sum, stated, 1e-9), "children's stated areas add up to {sum}, not {stated}: {}", shown());
    inventory.apply(&change);
    let _ = check(&inventory);
});
