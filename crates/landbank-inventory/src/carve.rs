//! Carving a sub-parcel of a target area off a parcel by a straight cut, and finding a parcel's road frontage.
//!
//! The cut sweeps a straight line across the parcel in a metric frame: the area on the near side of the line,
//! A(t), only grows as the line moves, so one target area has one cut position. The position is solved exactly
//! on the planar area (A(t) is piecewise quadratic) and then refined on the geodesic area, which is what must
//! match the target.

use std::f64::consts::PI;
use std::fmt;

use geo::orient::{Direction, Orient};
use geo::{
    BooleanOps, BoundingRect, Centroid, Coord, Distance, Euclidean, Geodesic, Geometry, InterpolatePoint, Line,
    LineString, MapCoords, MinimumRotatedRect, MultiPolygon, Point, Polygon, Validation,
};

use crate::{
    Availability, BBox, Inventory, LandUseSystem, Meters, Mu, Parcel, PoiKind, SquareMeters, geodesic_area, local_frame,
};

/// How far the carved piece's geodesic area may be from the target: 0.001 mu (0.667 m²).
pub const CARVE_TOLERANCE: Mu = Mu(0.001);

/// How far, relative to the parcel's area, the piece and the remainder may fall short of or exceed the parcel.
pub const AREA_SUM_TOLERANCE: f64 = 1e-6;

/// Land-use codes of road plots under the 2023 guide: 1202 公路用地, 1207 城镇道路用地.
const ROAD_CODES: [&str; 2] = ["1202", "1207"];

/// The geodesic error the refinement aims for, well inside [`CARVE_TOLERANCE`].
const AIM_M2: f64 = 0.01;
/// Refinement steps in all; the first few follow the planar model, later ones bisect.
const MAX_STEPS: usize = 80;
const MODEL_STEPS: usize = 8;
/// A vertex of a boolean result this close to a vertex of the parent is that vertex, in metres. The integer grid of
/// the boolean operations is about a micrometre at parcel sizes (it scales with the extent), far below this.
const VERTEX_SNAP_M: f64 = 1e-3;
/// A cut point this close to the chord of a parent edge that crosses the cut lies on that edge, in metres.
const EDGE_SNAP_M: f64 = 1e-2;
/// Spacing of the points at which an outline edge is tested against the roads, in metres.
const FRONTAGE_SAMPLE_M: f64 = 5.0;

/// GRS80 (CGCS2000) semi-major axis in metres and flattening.
const GRS80_A: f64 = 6_378_137.0;
const GRS80_F: f64 = 1.0 / 298.257_222_101;

/// Which way the cut line sweeps across the parcel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CarveDirection {
    /// Along a road-frontage edge, from its first to its second point: the cut line runs perpendicular to the
    /// edge and moves along it, so the piece and the remainder both keep frontage. See [`frontage`].
    Frontage { edge: (Coord, Coord) },
    /// Toward a compass bearing (degrees clockwise from north): the direction in which the cut line moves. The
    /// piece is taken from the opposite end, e.g. `90` carves from the western end.
    Bearing { degrees: f64 },
    /// Along the long axis of the parcel's minimum rotated rectangle, so pieces come out as squarish as the
    /// parcel allows; the short axis is tried next.
    Auto,
}

/// The shapes a carve refuses to leave behind, for both the piece and the remainder.
///
/// Width and length are the short and long sides of a piece's minimum rotated rectangle.
///
/// # Units
///
/// `min_width_m` in metres, `min_area_mu` in mu, `max_aspect` a ratio of length to width.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SliverPolicy {
    pub min_width_m: f64,
    pub min_area_mu: f64,
    pub max_aspect: f64,
}

impl Default for SliverPolicy {
    /// 20 m wide, 2 mu, 4:1 at most.
    fn default() -> Self {
        SliverPolicy { min_width_m: 20.0, min_area_mu: 2.0, max_aspect: 4.0 }
    }
}

/// A parcel cut in two: the carved piece of the target area and the remainder.
#[derive(Debug, Clone, PartialEq)]
pub struct Carve {
    /// The carved piece, EPSG:4490 lon/lat.
    pub piece: Polygon,
    /// The rest of the parcel, EPSG:4490 lon/lat.
    pub remainder: Polygon,
    /// Geodesic area of `piece`.
    pub piece_area: SquareMeters,
    /// Geodesic area of `remainder`.
    pub remainder_area: SquareMeters,
    /// Compass bearing in degrees `[0, 360)` toward which the cut line moved; the piece lies behind the cut.
    pub sweep_bearing_deg: f64,
    /// The cut in lon/lat, from where it enters the parcel to where it leaves it (across any hole or notch the
    /// cut line passes over).
    pub cut: Line,
}

/// One of the two polygons a carve makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CarvePart {
    /// The carved piece of the target area.
    Piece,
    /// What is left of the parcel.
    Remainder,
}

impl fmt::Display for CarvePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CarvePart::Piece => "carved piece",
            CarvePart::Remainder => "remainder",
        })
    }
}

/// Why a parcel could not be carved.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CarveError {
    #[error("the target area must be a positive number of mu, got {target_mu}")]
    NonPositiveTarget { target_mu: f64 },
    #[error(
        "the target of {target_mu:.3} mu is not smaller than the parcel's {parcel_mu:.3} mu; allocate the whole \
         parcel instead"
    )]
    TargetNotBelowParcel { target_mu: f64, parcel_mu: f64 },
    #[error("the parcel outline is invalid ({reason}); repair it before carving")]
    InvalidParcel { reason: String },
    #[error("the sweep direction is undefined: {reason}")]
    InvalidDirection { reason: &'static str },
    #[error(
        "every cut tried (sweeping toward {}) leaves the {part} in {parts} separate parts, as the parcel is concave; \
         choose another direction or a different target",
        bearing_list(.bearings_deg)
    )]
    Disconnected { part: CarvePart, parts: usize, bearings_deg: Vec<f64> },
    #[error(
        "the {part} would be {area_mu:.3} mu, below the sliver policy's minimum area of {min_area_mu} mu \
         (sweeping toward {sweep_bearing_deg:.1}°)"
    )]
    TooSmall { part: CarvePart, area_mu: f64, min_area_mu: f64, sweep_bearing_deg: f64 },
    #[error(
        "the {part} would be {width_m:.1} m wide, below the sliver policy's minimum width of {min_width_m} m \
         (sweeping toward {sweep_bearing_deg:.1}°)"
    )]
    TooNarrow { part: CarvePart, width_m: f64, min_width_m: f64, sweep_bearing_deg: f64 },
    #[error(
        "the {part} would be {aspect:.1} times as long as it is wide, above the sliver policy's maximum aspect of \
         {max_aspect} (sweeping toward {sweep_bearing_deg:.1}°)"
    )]
    TooElongated { part: CarvePart, aspect: f64, max_aspect: f64, sweep_bearing_deg: f64 },
    #[error("the cut produced an invalid {part} ({reason})")]
    InvalidPart { part: CarvePart, reason: String },
    #[error("the carved piece came out at {piece_mu:.4} mu, not within 0.001 mu of the {target_mu:.4} mu target")]
    NotConverged { piece_mu: f64, target_mu: f64 },
    #[error(
        "the piece ({piece_m2:.3} m²) and the remainder ({remainder_m2:.3} m²) do not add up to the parcel's \
         {parcel_m2:.3} m²"
    )]
    AreasDoNotAddUp { piece_m2: f64, remainder_m2: f64, parcel_m2: f64 },
}

fn bearing_list(bearings_deg: &[f64]) -> String {
    let listed: Vec<String> = bearings_deg.iter().map(|b| format!("{b:.1}°")).collect();
    listed.join(", ")
}

/// Cuts a piece of `target` area off `parent` with one straight cut, leaving the remainder as the other polygon.
///
/// The cut line sweeps across the parcel in `direction`; the piece is what it has passed over. When the cut at
/// the first end leaves either polygon in several parts (a concave parcel) or makes a sliver, the sweep from the
/// opposite end is tried, and for [`CarveDirection::Auto`] then the other axis; the result reports the sweep used.
///
/// # Units
///
/// `parent` in EPSG:4490 lon/lat degrees; `target` in mu; the areas in the result are geodesic, in m². The piece
/// is within [`CARVE_TOLERANCE`] (0.001 mu) of the target, and the two areas add up to the parent's geodesic area
/// within [`AREA_SUM_TOLERANCE`] relative.
///
/// # Assumptions
///
/// The sweep direction, widths and aspects are taken in a local frame tangent to the GRS80 ellipsoid at the
/// parcel's centroid (metres east and north, true to scale and angle there); the cut is straight in that frame and
/// in lon/lat. Edges are geodesics, as [`geodesic_area`] sees them: every vertex of the parent comes through
/// exactly, in the piece or the remainder, and the cut's ends lie on the geodesics of the edges they cross, within
/// millimetres of the lon/lat chords. A cut passing within a millimetre of a vertex passes through it.
///
/// # Errors
///
/// A [`CarveError`] when the target is not positive or not below the parent's area, the parent is not a valid
/// polygon, the direction is undefined, every sweep tried leaves a polygon in parts or breaks the `policy`, or
/// the result would miss the area tolerances (refused rather than returned).
///
/// # Examples
///
/// ```
/// use geo::polygon;
/// use landbank_inventory::{CarveDirection, Mu, SliverPolicy, carve, geodesic_area};
/// // About 200 m east-west by 100 m north-south near Jiangping: 30 mu.
/// let parcel = polygon![(x: 108.08, y: 21.59), (x: 108.081_93, y: 21.59),
///                       (x: 108.081_93, y: 21.590_903), (x: 108.08, y: 21.590_903)];
/// let carve = carve(&parcel, Mu(10.0), CarveDirection::Auto, &SliverPolicy::default()).unwrap();
/// assert!((carve.piece_area.to_mu().0 - 10.0).abs() <= 0.001);
/// let whole = geodesic_area(&parcel).0;
/// assert!((carve.piece_area.0 + carve.remainder_area.0 - whole).abs() <= 1e-6 * whole);
/// // The cut moved east or west, along the long axis.
/// assert!((carve.sweep_bearing_deg - 90.0).abs() < 1.0 || (carve.sweep_bearing_deg - 270.0).abs() < 1.0);
/// ```
pub fn carve(
    parent: &Polygon,
    target: Mu,
    direction: CarveDirection,
    policy: &SliverPolicy,
) -> Result<Carve, CarveError> {
    if target.0.is_nan() || target.0 <= 0.0 {
        return Err(CarveError::NonPositiveTarget { target_mu: target.0 });
    }
    if let Err(problem) = parent.check_validation() {
        return Err(CarveError::InvalidParcel { reason: problem.to_string() });
    }
    let parent_area = geodesic_area(parent);
    let origin = parent.centroid().map(|p| p.0);
    let (Some(origin), true) = (origin, parent_area.0 > 0.0) else {
        return Err(CarveError::InvalidParcel { reason: "it has no area".to_owned() });
    };
    let target_m2 = SquareMeters::from(target).0;
    if target_m2 >= parent_area.0 {
        return Err(CarveError::TargetNotBelowParcel { target_mu: target.0, parcel_mu: parent_area.to_mu().0 });
    }

    let frame = Frame::around(origin);
    let local = parent.orient(Direction::Default).map_coords(|c| frame.to_local(c));
    let anchors = Anchors::new(parent, frame);
    let job = Job { parent, parent_area: parent_area.0, local: &local, anchors: &anchors, frame, target_m2, policy };

    let mut tried = Vec::new();
    let mut sliver = None;
    let mut disconnected = None;
    let mut other = None;
    for sweep in sweeps(direction, &local, frame)? {
        tried.push(sweep.bearing_deg);
        match job.along(sweep) {
            Ok(carve) => return Ok(carve),
            Err(e @ (CarveError::TooSmall { .. } | CarveError::TooNarrow { .. } | CarveError::TooElongated { .. })) => {
                sliver.get_or_insert(e);
            }
            Err(CarveError::Disconnected { part, parts, .. }) => {
                disconnected.get_or_insert((part, parts));
            }
            Err(
                e @ (CarveError::NonPositiveTarget { .. }
                | CarveError::TargetNotBelowParcel { .. }
                | CarveError::InvalidParcel { .. }
                | CarveError::InvalidDirection { .. }
                | CarveError::InvalidPart { .. }
                | CarveError::NotConverged { .. }
                | CarveError::AreasDoNotAddUp { .. }),
            ) => {
                other.get_or_insert(e);
            }
        }
    }
    // A sliver says more about what would work than a split does; a split more than a numerical failure.
    Err(match (sliver, disconnected, other) {
        (Some(e), _, _) | (None, None, Some(e)) => e,
        (None, Some((part, parts)), _) => CarveError::Disconnected { part, parts, bearings_deg: tried },
        (None, None, None) => CarveError::InvalidDirection { reason: "no sweep direction to try" },
    })
}

/// The parcel's longest outline edge that lies, over its whole length, within `within` of a road: a
/// [`PoiKind::Road`] feature or a road plot (a parcel with land use 1202 or 1207 under
/// [`LandUseSystem::Ydyh2023`], not retired). The edge is returned in the outline's order, ready for
/// [`CarveDirection::Frontage`].
///
/// Road plots are found through the parcel R-tree with the parcel's box grown by `within`; the few road features
/// are scanned.
///
/// # Units
///
/// `within` in metres, measured in the crate's local tangent frame ([`local_frame`]); the edge in lon/lat.
/// An edge counts when points along it every 5 m and both ends are all within `within` of some road, so a side
/// that only touches a road at one corner is not frontage.
pub fn frontage(inventory: &Inventory, parcel: &Parcel, within: Meters) -> Option<(Coord, Coord)> {
    let within_m = within.0.max(0.0);
    let search = BBox::of_polygon(&parcel.geometry)?.expanded_by(within_m);
    let to_local = local_frame(parcel.geometry.centroid()?);
    let mut roads: Vec<Geometry> = inventory
        .parcels_in_bbox(search)
        .filter(|p| p.id != parcel.id && is_road_plot(p))
        .map(|p| Geometry::Polygon(p.geometry.map_coords(to_local)))
        .collect();
    roads.extend(
        inventory
            .pois()
            .iter()
            .filter(|poi| poi.kind == PoiKind::Road)
            .filter(|poi| poi.geometry.bounding_rect().is_some_and(|r| search.intersects(&BBox::from(r))))
            .map(|poi| poi.geometry.map_coords(to_local)),
    );
    if roads.is_empty() {
        return None;
    }
    let near_a_road = |c: Coord| roads.iter().any(|road| Euclidean.distance(&Point(c), road) <= within_m);

    let mut best: Option<(f64, Line)> = None;
    for edge in parcel.geometry.exterior().lines() {
        let (a, b) = (to_local(edge.start), to_local(edge.end));
        let length = Euclidean.distance(a, b);
        if best.as_ref().is_some_and(|(l, _)| *l >= length) {
            continue;
        }
        let steps = (length / FRONTAGE_SAMPLE_M).ceil().max(1.0) as usize;
        let mut along = (0..=steps).map(|i| i as f64 / steps as f64).map(|f| a + (b - a) * f);
        if along.all(near_a_road) {
            best = Some((length, edge));
        }
    }
    best.map(|(_, edge)| (edge.start, edge.end))
}

fn is_road_plot(parcel: &Parcel) -> bool {
    parcel.land_use.system == LandUseSystem::Ydyh2023
        && ROAD_CODES.contains(&parcel.land_use.code.as_str())
        && parcel.availability != Availability::Retired
}

/// A local frame tangent to the GRS80 ellipsoid at `origin`: metres east and north, with the meridian and prime
/// vertical radii of curvature there, so it is true to scale and angle at the origin. It is affine in lon/lat,
/// so straight lines stay straight both ways and the inverse is exact.
#[derive(Debug, Clone, Copy)]
struct Frame {
    origin: Coord,
    m_per_deg_lon: f64,
    m_per_deg_lat: f64,
}

impl Frame {
    fn around(origin: Coord) -> Frame {
        let e2 = GRS80_F * (2.0 - GRS80_F);
        let (sin, cos) = origin.y.to_radians().sin_cos();
        let w = (1.0 - e2 * sin * sin).sqrt();
        let prime_vertical = GRS80_A / w;
        let meridian = GRS80_A * (1.0 - e2) / (w * w * w);
        let rad = PI / 180.0;
        Frame { origin, m_per_deg_lon: prime_vertical * cos * rad, m_per_deg_lat: meridian * rad }
    }

    fn to_local(self, c: Coord) -> Coord {
        Coord { x: (c.x - self.origin.x) * self.m_per_deg_lon, y: (c.y - self.origin.y) * self.m_per_deg_lat }
    }

    fn to_lon_lat(self, c: Coord) -> Coord {
        Coord { x: self.origin.x + c.x / self.m_per_deg_lon, y: self.origin.y + c.y / self.m_per_deg_lat }
    }
}

/// A sweep direction in the local frame: `s` runs along it, `u` across it (`along` turned 90° anticlockwise, so
/// `(s, u)` keeps the orientation of east/north).
#[derive(Debug, Clone, Copy)]
struct Sweep {
    along: Coord,
    across: Coord,
    bearing_deg: f64,
}

impl Sweep {
    fn toward(bearing_deg: f64) -> Sweep {
        let mut bearing_deg = bearing_deg.rem_euclid(360.0);
        if bearing_deg >= 360.0 {
            bearing_deg = 0.0;
        }
        let (sin, cos) = bearing_deg.to_radians().sin_cos();
        Sweep { along: Coord { x: sin, y: cos }, across: Coord { x: -cos, y: sin }, bearing_deg }
    }

    fn of_vector(v: Coord) -> Sweep {
        Sweep::toward(v.x.atan2(v.y).to_degrees())
    }

    fn reversed(self) -> Sweep {
        Sweep::toward(self.bearing_deg + 180.0)
    }

    fn to_sweep(self, p: Coord) -> (f64, f64) {
        (p.x * self.along.x + p.y * self.along.y, p.x * self.across.x + p.y * self.across.y)
    }

    fn point_at(self, s: f64, u: f64) -> Coord {
        self.along * s + self.across * u
    }
}

/// The sweeps to try, in order.
fn sweeps(direction: CarveDirection, local: &Polygon, frame: Frame) -> Result<Vec<Sweep>, CarveError> {
    let both_ends = |sweep: Sweep| vec![sweep, sweep.reversed()];
    match direction {
        CarveDirection::Frontage { edge: (a, b) } => {
            let v = frame.to_local(b) - frame.to_local(a);
            if !(v.x.is_finite() && v.y.is_finite()) {
                return Err(CarveError::InvalidDirection { reason: "the frontage edge has a non-finite coordinate" });
            }
            if v.x.hypot(v.y) < 1e-3 {
                return Err(CarveError::InvalidDirection { reason: "the frontage edge has no length" });
            }
            Ok(both_ends(Sweep::of_vector(v)))
        }
        CarveDirection::Bearing { degrees } => {
            if !degrees.is_finite() {
                return Err(CarveError::InvalidDirection { reason: "the bearing is not a finite number of degrees" });
            }
            Ok(both_ends(Sweep::toward(degrees)))
        }
        CarveDirection::Auto => {
            let (long, _) = rect_axes(local)
                .ok_or(CarveError::InvalidParcel { reason: "it has no minimum rotated rectangle".to_owned() })?;
            // Of the axis's two bearings, start with the one in [0, 180) so results are repeatable.
            let long = Sweep::toward(Sweep::of_vector(long).bearing_deg.rem_euclid(180.0));
            let short = Sweep::toward((long.bearing_deg + 90.0).rem_euclid(180.0));
            Ok(vec![long, long.reversed(), short, short.reversed()])
        }
    }
}

/// The long and short sides of a polygon's minimum rotated rectangle, as vectors.
fn rect_axes(polygon: &Polygon) -> Option<(Coord, Coord)> {
    let rect = polygon.minimum_rotated_rect()?;
    let c = &rect.exterior().0;
    let (first, second) = (*c.get(1)? - *c.first()?, *c.get(2)? - *c.get(1)?);
    let length = |v: Coord| v.x.hypot(v.y);
    Some(if length(first) >= length(second) { (first, second) } else { (second, first) })
}

/// Everything one carve needs, whichever sweep it tries.
struct Job<'a> {
    parent: &'a Polygon,
    parent_area: f64,
    /// The parent in the local frame, exterior anticlockwise and holes clockwise.
    local: &'a Polygon,
    anchors: &'a Anchors,
    frame: Frame,
    target_m2: f64,
    policy: &'a SliverPolicy,
}

impl Job<'_> {
    fn along(&self, sweep: Sweep) -> Result<Carve, CarveError> {
        let outline = SweptOutline::new(self.local, sweep);
        let ratio = outline.total / self.parent_area;
        let settle = |parts: MultiPolygon, t: f64| {
            let restored: MultiPolygon = parts.iter().map(|p| self.anchors.restore(p)).collect();
            restored.map_coords(|c| self.anchors.settle(c, sweep, t))
        };
        let geodesic_below = |t: f64| -> (f64, MultiPolygon) {
            let piece = settle(self.parent.intersection(&self.half_plane(&outline, t)), t);
            (piece.iter().map(|p| geodesic_area(p).0).sum(), piece)
        };

        // Exact on the planar area, scaled to the geodesic one; then refined on the geodesic area itself, keeping
        // a bracket so that a step the planar model gets wrong falls back to bisection.
        let (mut low, mut high) = (outline.s_min, outline.s_max);
        let mut t = outline.solve(self.target_m2 * ratio);
        let (area, piece) = geodesic_below(t);
        let mut best = (area - self.target_m2, t, piece);
        let mut error = best.0;
        for step in 0..MAX_STEPS {
            if error.abs() <= AIM_M2 {
                break;
            }
            if error < 0.0 {
                low = t;
            } else {
                high = t;
            }
            if high - low <= 1e-9 {
                break;
            }
            let model = outline.solve(outline.area_below(t) - error * ratio);
            t = if step < MODEL_STEPS && model > low && model < high { model } else { f64::midpoint(low, high) };
            let (area, piece) = geodesic_below(t);
            error = area - self.target_m2;
            if error.abs() < best.0.abs() {
                best = (error, t, piece);
            }
        }
        let (_, t, piece) = best;

        let remainder = settle(self.parent.difference(&self.half_plane(&outline, t)), t);
        let piece = single(piece, CarvePart::Piece, sweep)?;
        let remainder = single(remainder, CarvePart::Remainder, sweep)?;
        let piece_area = geodesic_area(&piece);
        let remainder_area = geodesic_area(&remainder);
        if (piece_area.0 - self.target_m2).abs() > SquareMeters::from(CARVE_TOLERANCE).0 {
            return Err(CarveError::NotConverged {
                piece_mu: piece_area.to_mu().0,
                target_mu: SquareMeters(self.target_m2).to_mu().0,
            });
        }
        if (piece_area.0 + remainder_area.0 - self.parent_area).abs() > AREA_SUM_TOLERANCE * self.parent_area {
            return Err(CarveError::AreasDoNotAddUp {
                piece_m2: piece_area.0,
                remainder_m2: remainder_area.0,
                parcel_m2: self.parent_area,
            });
        }
        self.check_sliver(&piece, piece_area, CarvePart::Piece, sweep)?;
        self.check_sliver(&remainder, remainder_area, CarvePart::Remainder, sweep)?;
        let cut = outline.cut(t).map_coords(|c| self.anchors.settle(self.frame.to_lon_lat(c), sweep, t));
        Ok(Carve { piece, remainder, piece_area, remainder_area, sweep_bearing_deg: sweep.bearing_deg, cut })
    }

    /// The half-plane `s <= t` as a lon/lat rectangle reaching past the parcel on the other three sides. It is
    /// kept small: the boolean operations' integer grid scales with the extent of both operands.
    fn half_plane(&self, outline: &SweptOutline, t: f64) -> Polygon {
        let margin = 1.0 + 0.1 * (outline.s_max - outline.s_min).max(outline.u_max - outline.u_min);
        let (s0, u0, u1) = (outline.s_min - margin, outline.u_min - margin, outline.u_max + margin);
        let corners = [(s0, u0), (t, u0), (t, u1), (s0, u1)];
        let ring: Vec<Coord> =
            corners.iter().map(|&(s, u)| self.frame.to_lon_lat(outline.sweep.point_at(s, u))).collect();
        Polygon::new(LineString::from(ring), vec![])
    }

    fn check_sliver(
        &self,
        part: &Polygon,
        area: SquareMeters,
        which: CarvePart,
        sweep: Sweep,
    ) -> Result<(), CarveError> {
        let policy = self.policy;
        let sweep_bearing_deg = sweep.bearing_deg;
        let area_mu = area.to_mu().0;
        if area_mu < policy.min_area_mu {
            return Err(CarveError::TooSmall {
                part: which,
                area_mu,
                min_area_mu: policy.min_area_mu,
                sweep_bearing_deg,
            });
        }
        let local = part.map_coords(|c| self.frame.to_local(c));
        let (long, short) = rect_axes(&local).unwrap_or_default();
        let (length_m, width_m) = (long.x.hypot(long.y), short.x.hypot(short.y));
        if width_m < policy.min_width_m {
            return Err(CarveError::TooNarrow {
                part: which,
                width_m,
                min_width_m: policy.min_width_m,
                sweep_bearing_deg,
            });
        }
        let aspect = if width_m > 0.0 { length_m / width_m } else { f64::INFINITY };
        if aspect > policy.max_aspect {
            return Err(CarveError::TooElongated {
                part: which,
                aspect,
                max_aspect: policy.max_aspect,
                sweep_bearing_deg,
            });
        }
        Ok(())
    }
}

/// The parent's vertices and edges, to put the output of the boolean operations back on them.
///
/// Geodesic areas treat every edge as a geodesic, which bows off the straight lon/lat chord the boolean operations
/// see (about 0.7 mm on a 300 m east-west edge at 21.5°N, some 0.1 m² of area), so the output needs three repairs
/// before the piece and the remainder add up to the parent:
/// - the operations drop vertices that lie on a straight line, such as a neighbour's corner on a long side: they
///   are put back, or the edge around them would become one geodesic instead of two;
/// - they round to an integer grid, moving vertices by about a micrometre: the parent's vertices are put back
///   exactly, which also keeps boundaries shared with neighbours exact;
/// - the points where the cut crosses an edge lie on the edge's chord: they are moved onto its geodesic.
struct Anchors {
    frame: Frame,
    /// Each vertex in lon/lat and in the local frame.
    vertices: Vec<(Coord, Coord)>,
    /// Each edge's ends in lon/lat and in the local frame.
    edges: Vec<(Line, Line)>,
}

impl Anchors {
    fn new(parent: &Polygon, frame: Frame) -> Anchors {
        let rings = || std::iter::once(parent.exterior()).chain(parent.interiors());
        // Rings are closed: their last coordinate repeats the first.
        let vertices = rings()
            .flat_map(|r| r.0.iter().take(r.0.len().saturating_sub(1)))
            .map(|&c| (c, frame.to_local(c)))
            .collect();
        let edges = rings()
            .flat_map(LineString::lines)
            .map(|l| (l, Line::new(frame.to_local(l.start), frame.to_local(l.end))))
            .collect();
        Anchors { frame, vertices, edges }
    }

    /// The polygon with the parent's vertices that lie on its edges put back.
    fn restore(&self, polygon: &Polygon) -> Polygon {
        let ring = |r: &LineString| self.restore_ring(r);
        Polygon::new(ring(polygon.exterior()), polygon.interiors().iter().map(ring).collect())
    }

    fn restore_ring(&self, ring: &LineString) -> LineString {
        let mut coords = Vec::with_capacity(ring.0.len());
        for edge in ring.lines() {
            coords.push(edge.start);
            let (start, end) = (self.frame.to_local(edge.start), self.frame.to_local(edge.end));
            let run = end - start;
            let length = run.x.hypot(run.y);
            if length <= 2.0 * VERTEX_SNAP_M {
                continue;
            }
            let mut between: Vec<(f64, Coord)> = self
                .vertices
                .iter()
                .filter_map(|&(lon_lat, local)| {
                    let offset = local - start;
                    let along = (offset.x * run.x + offset.y * run.y) / length;
                    let off = (offset.x * run.y - offset.y * run.x).abs() / length;
                    let inside = along > VERTEX_SNAP_M && along < length - VERTEX_SNAP_M;
                    (inside && off <= VERTEX_SNAP_M).then_some((along, lon_lat))
                })
                .collect();
            between.sort_by(|a, b| a.0.total_cmp(&b.0));
            coords.extend(between.into_iter().map(|(_, c)| c));
        }
        coords.extend(ring.0.first());
        LineString::from(coords)
    }

    /// The exact parent vertex at `c`, or else the point where the cut at `t` crosses the geodesic of the parent
    /// edge that `c` lies on, or `c` itself if it is on neither.
    fn settle(&self, c: Coord, sweep: Sweep, t: f64) -> Coord {
        let local = self.frame.to_local(c);
        let metres = |a: Coord, b: Coord| (a.x - b.x).hypot(a.y - b.y);
        let vertex = self.vertices.iter().map(|&(ll, l)| (metres(l, local), ll)).min_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((d, vertex)) = vertex
            && d <= VERTEX_SNAP_M
        {
            return vertex;
        }
        let crosses = |l: &Line| {
            let (s_start, s_end) = (sweep.to_sweep(l.start).0, sweep.to_sweep(l.end).0);
            s_start.min(s_end) - EDGE_SNAP_M <= t && t <= s_start.max(s_end) + EDGE_SNAP_M
        };
        let edge = self
            .edges
            .iter()
            .filter(|(_, l)| crosses(l))
            .map(|(ll, l)| (Euclidean.distance(&Point(local), l), ll, l))
            .min_by(|a, b| a.0.total_cmp(&b.0));
        let Some((d, edge, edge_local)) = edge else { return c };
        let (s_start, s_end) = (sweep.to_sweep(edge_local.start).0, sweep.to_sweep(edge_local.end).0);
        let run = s_end - s_start;
        if d > EDGE_SNAP_M || run.abs() < 1e-9 {
            return c;
        }
        // Newton on the fraction of the geodesic: its `s` grows almost linearly from `s_start` to `s_end`.
        let mut fraction = ((t - s_start) / run).clamp(0.0, 1.0);
        let mut point = c;
        for _ in 0..6 {
            point = Geodesic.point_at_ratio_between(Point(edge.start), Point(edge.end), fraction).0;
            let miss = sweep.to_sweep(self.frame.to_local(point)).0 - t;
            if miss.abs() < 1e-9 {
                break;
            }
            fraction = (fraction - miss / run).clamp(0.0, 1.0);
        }
        point
    }
}

/// The one polygon of a boolean result, or why there is not exactly one valid polygon.
fn single(parts: MultiPolygon, which: CarvePart, sweep: Sweep) -> Result<Polygon, CarveError> {
    let count = parts.0.len();
    let mut parts = parts.0.into_iter();
    match (parts.next(), count) {
        (Some(polygon), 1) => match polygon.check_validation() {
            Ok(()) => Ok(polygon),
            Err(problem) => Err(CarveError::InvalidPart { part: which, reason: problem.to_string() }),
        },
        (None, _) => Err(CarveError::InvalidPart { part: which, reason: "it is empty".to_owned() }),
        (Some(_), parts) => Err(CarveError::Disconnected { part: which, parts, bearings_deg: vec![sweep.bearing_deg] }),
    }
}

/// The parent's rings in sweep coordinates `(s, u)`, with the planar area behind a cut at `s = t` in closed form.
struct SweptOutline {
    sweep: Sweep,
    rings: Vec<Vec<(f64, f64)>>,
    /// Distinct `s` of the vertices, ascending: between two of them the area is a quadratic in `t`.
    breaks: Vec<f64>,
    s_min: f64,
    s_max: f64,
    u_min: f64,
    u_max: f64,
    /// Planar area of the whole parent, m².
    total: f64,
}

impl SweptOutline {
    fn new(local: &Polygon, sweep: Sweep) -> SweptOutline {
        let rings: Vec<Vec<(f64, f64)>> = std::iter::once(local.exterior())
            .chain(local.interiors())
            .map(|ring| ring.0.iter().map(|&c| sweep.to_sweep(c)).collect())
            .collect();
        let mut breaks: Vec<f64> = rings.iter().flatten().map(|&(s, _)| s).collect();
        breaks.sort_by(f64::total_cmp);
        breaks.dedup();
        let (u_min, u_max) =
            rings.iter().flatten().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &(_, u)| (lo.min(u), hi.max(u)));
        let s_min = breaks.first().copied().unwrap_or_default();
        let s_max = breaks.last().copied().unwrap_or_default();
        let mut outline = SweptOutline { sweep, rings, breaks, s_min, s_max, u_min, u_max, total: 0.0 };
        outline.total = outline.area_below(s_max);
        outline
    }

    /// The planar area of the parent where `s <= t`: the shoelace integral −∮ u ds over each edge's part with
    /// `s <= t`. The cut itself runs along `s = t`, where ds = 0, so it adds nothing, and the formula holds for
    /// concave parcels and holes alike.
    fn area_below(&self, t: f64) -> f64 {
        let mut area = 0.0;
        for ring in &self.rings {
            for edge in ring.windows(2) {
                let ((s1, u1), (s2, u2)) = (edge[0], edge[1]);
                let (start, u_start, end, u_end, sense) = if s1 < s2 {
                    (s1, u1, s2, u2, 1.0)
                } else if s2 < s1 {
                    (s2, u2, s1, u1, -1.0)
                } else {
                    continue;
                };
                if t <= start {
                    continue;
                }
                let stop = t.min(end);
                let u_stop = u_start + (u_end - u_start) * (stop - start) / (end - start);
                area -= sense * (stop - start) * (u_start + u_stop) / 2.0;
            }
        }
        area
    }

    /// The `t` at which the planar area behind the cut is `target`, solving the quadratic of its bracket.
    fn solve(&self, target: f64) -> f64 {
        let k = self.breaks.partition_point(|&b| self.area_below(b) < target);
        if k == 0 {
            return self.s_min;
        }
        if k >= self.breaks.len() {
            return self.s_max;
        }
        let (a, b) = (self.breaks[k - 1], self.breaks[k]);
        let (at_a, at_mid, at_b) = (self.area_below(a), self.area_below(f64::midpoint(a, b)), self.area_below(b));
        // area(a + τ(b − a)) = at_a + α τ + β τ² for τ in [0, 1].
        let alpha = 4.0 * (at_mid - at_a) - (at_b - at_a);
        let beta = (at_b - at_a) - alpha;
        let rest = target - at_a;
        let denominator = alpha + (alpha * alpha + 4.0 * beta * rest).max(0.0).sqrt();
        let tau = if denominator > 0.0 { (2.0 * rest / denominator).clamp(0.0, 1.0) } else { 0.0 };
        a + tau * (b - a)
    }

    /// The cut at `t` in the local frame, from the lowest to the highest `u` where the line meets the outline.
    fn cut(&self, t: f64) -> Line {
        let mut span = (f64::INFINITY, f64::NEG_INFINITY);
        let mut take = |u: f64| span = (span.0.min(u), span.1.max(u));
        for ring in &self.rings {
            for edge in ring.windows(2) {
                let ((s1, u1), (s2, u2)) = (edge[0], edge[1]);
                if s1.min(s2) > t || s1.max(s2) < t {
                    continue;
                }
                if s1 < s2 || s2 < s1 {
                    take(u1 + (u2 - u1) * (t - s1) / (s2 - s1));
                } else {
                    take(u1);
                    take(u2);
                }
            }
        }
        let (low, high) = if span.0 <= span.1 { span } else { (0.0, 0.0) };
        Line::new(self.sweep.point_at(t, low), self.sweep.point_at(t, high))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Country, IndustrialClass, LandUse, ParcelId, Poi, PoiId, ZoneId};
    use approx::assert_relative_eq;
    use geo::{Contains, ConvexHull, Intersects};
    use proptest::prelude::*;

    /// Near Jiangping, in the Dongxing corridor.
    const ORIGIN: Coord = Coord { x: 108.08, y: 21.59 };

    /// A ring given in metres east and north of `origin`, as a lon/lat polygon.
    fn in_metres(origin: Coord, corners: &[(f64, f64)]) -> Polygon {
        let frame = Frame::around(origin);
        let ring: Vec<Coord> = corners.iter().map(|&(x, y)| frame.to_lon_lat(Coord { x, y })).collect();
        Polygon::new(LineString::from(ring), vec![])
    }

    /// Corners turned anticlockwise by `degrees` about the origin.
    fn turned(corners: &[(f64, f64)], degrees: f64) -> Vec<(f64, f64)> {
        let (sin, cos) = degrees.to_radians().sin_cos();
        corners.iter().map(|&(x, y)| (x * cos - y * sin, x * sin + y * cos)).collect()
    }

    fn rectangle(width_m: f64, height_m: f64) -> Vec<(f64, f64)> {
        vec![(0.0, 0.0), (width_m, 0.0), (width_m, height_m), (0.0, height_m)]
    }

    fn permissive() -> SliverPolicy {
        SliverPolicy { min_width_m: 0.0, min_area_mu: 0.0, max_aspect: f64::INFINITY }
    }

    /// Whether every vertex of the parent comes through, bit for bit, in the piece or the remainder.
    fn keeps_every_vertex(parent: &Polygon, carve: &Carve) -> bool {
        let rings =
            |p: &Polygon| std::iter::once(p.exterior()).chain(p.interiors()).flat_map(|r| r.0.clone()).collect();
        let kept: Vec<Coord> = [rings(&carve.piece), rings(&carve.remainder)].concat();
        let parent: Vec<Coord> = rings(parent);
        parent.iter().all(|v| kept.contains(v))
    }

    /// The promises of a carve: two valid polygons, the piece on target, the areas adding up.
    fn assert_sound(parent: &Polygon, carve: &Carve, target: Mu) {
        assert!(keeps_every_vertex(parent, carve));
        assert!(carve.piece.is_valid() && carve.remainder.is_valid());
        assert!((carve.piece_area.to_mu().0 - target.0).abs() <= CARVE_TOLERANCE.0, "{:?}", carve.piece_area.to_mu());
        assert_relative_eq!(carve.piece_area.0, geodesic_area(&carve.piece).0);
        assert_relative_eq!(carve.remainder_area.0, geodesic_area(&carve.remainder).0);
        let whole = geodesic_area(parent).0;
        let sum = carve.piece_area.0 + carve.remainder_area.0;
        assert!((sum - whole).abs() <= AREA_SUM_TOLERANCE * whole, "{sum} vs {whole}");
    }

    fn metres_between(a: Coord, b: Coord) -> f64 {
        let frame = Frame::around(a);
        let d = frame.to_local(b);
        d.x.hypot(d.y)
    }

    #[test]
    fn carving_a_rectangle_cuts_across_its_long_axis() {
        // 200 m east-west by 100 m north-south: 30 mu.
        let parcel = in_metres(ORIGIN, &rectangle(200.0, 100.0));
        let result = carve(&parcel, Mu(10.0), CarveDirection::Auto, &SliverPolicy::default()).unwrap();
        assert_sound(&parcel, &result, Mu(10.0));
        assert_relative_eq!(result.sweep_bearing_deg, 90.0, epsilon = 1e-6);
        assert_relative_eq!(metres_between(result.cut.start, result.cut.end), 100.0, max_relative = 1e-4);
        // Swept eastward, the piece is the western third.
        let west = in_metres(ORIGIN, &[(10.0, 50.0)]).exterior().0[0];
        assert!(result.piece.contains(&Point(west)));
        assert_relative_eq!(result.remainder_area.to_mu().0, 20.0, epsilon = 2e-3);
    }

    #[test]
    fn a_rotated_rectangle_is_swept_along_its_own_long_axis() {
        // The long side runs 30° north of east, i.e. toward bearing 60°.
        let parcel = in_metres(ORIGIN, &turned(&rectangle(300.0, 120.0), 30.0));
        let result = carve(&parcel, Mu(17.5), CarveDirection::Auto, &SliverPolicy::default()).unwrap();
        assert_sound(&parcel, &result, Mu(17.5));
        assert_relative_eq!(result.sweep_bearing_deg, 60.0, epsilon = 0.01);
        assert_relative_eq!(metres_between(result.cut.start, result.cut.end), 120.0, max_relative = 1e-4);
    }

    #[test]
    fn a_trapezoid_is_carved_from_either_end_to_the_same_area() {
        let corners = [(0.0, 0.0), (300.0, 0.0), (250.0, 150.0), (60.0, 150.0)];
        let parcel = in_metres(ORIGIN, &corners);
        let policy = permissive();
        let north = carve(&parcel, Mu(20.0), CarveDirection::Bearing { degrees: 0.0 }, &policy).unwrap();
        let south = carve(&parcel, Mu(20.0), CarveDirection::Bearing { degrees: 180.0 }, &policy).unwrap();
        assert_sound(&parcel, &north, Mu(20.0));
        assert_sound(&parcel, &south, Mu(20.0));
        // The wide southern end needs a shallower strip than the narrow northern one.
        let depth = |c: &Carve| {
            let frame = Frame::around(ORIGIN);
            frame.to_local(c.cut.start).y
        };
        assert!(depth(&north) < 150.0 - depth(&south), "{} {}", depth(&north), depth(&south));
        assert_relative_eq!(north.sweep_bearing_deg, 0.0);
        assert_relative_eq!(south.sweep_bearing_deg, 180.0);
    }

    #[test]
    fn an_l_shaped_parcel_is_carved_from_the_other_end_when_the_first_would_split_it() {
        // A 300 m arm east and a 100 m arm north, both 50 m wide, meeting at the south-west corner.
        let l_shape = [(0.0, 0.0), (300.0, 0.0), (300.0, 50.0), (50.0, 50.0), (50.0, 100.0), (0.0, 100.0)];
        let parcel = in_metres(ORIGIN, &l_shape);
        // Sweeping north-east from the corner, 10 mu reaches past the inner corner and cuts both arms off.
        let result =
            carve(&parcel, Mu(10.0), CarveDirection::Bearing { degrees: 45.0 }, &SliverPolicy::default()).unwrap();
        assert_sound(&parcel, &result, Mu(10.0));
        assert_relative_eq!(result.sweep_bearing_deg, 225.0);
        let east_tip = in_metres(ORIGIN, &[(295.0, 25.0)]).exterior().0[0];
        assert!(result.piece.contains(&Point(east_tip)));
    }

    #[test]
    fn a_u_shaped_parcel_refuses_a_cut_that_splits_it_at_both_ends() {
        let u_shape = [
            (0.0, 0.0),
            (300.0, 0.0),
            (300.0, 300.0),
            (250.0, 300.0),
            (250.0, 50.0),
            (50.0, 50.0),
            (50.0, 300.0),
            (0.0, 300.0),
        ];
        let parcel = in_metres(ORIGIN, &u_shape);
        let err =
            carve(&parcel, Mu(30.0), CarveDirection::Bearing { degrees: 0.0 }, &SliverPolicy::default()).unwrap_err();
        assert!(matches!(err, CarveError::Disconnected { parts: 2, .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            "every cut tried (sweeping toward 0.0°, 180.0°) leaves the remainder in 2 separate parts, as the parcel \
             is concave; choose another direction or a different target"
        );
        // Left to choose, the carve sweeps east or west instead.
        let auto = carve(&parcel, Mu(30.0), CarveDirection::Auto, &SliverPolicy::default()).unwrap();
        assert_sound(&parcel, &auto, Mu(30.0));
        assert!([90.0, 270.0].iter().any(|b| (auto.sweep_bearing_deg - b).abs() < 1e-6), "{}", auto.sweep_bearing_deg);
    }

    #[test]
    fn a_parcel_with_a_hole_is_carved_through_the_hole_or_around_it() {
        let frame = Frame::around(ORIGIN);
        let ring = |corners: &[(f64, f64)]| {
            LineString::from(corners.iter().map(|&(x, y)| frame.to_lon_lat(Coord { x, y })).collect::<Vec<_>>())
        };
        let outer = ring(&rectangle(200.0, 200.0));
        let hole = ring(&[(80.0, 80.0), (80.0, 120.0), (120.0, 120.0), (120.0, 80.0)]);
        let parcel = Polygon::new(outer, vec![hole]);
        assert!(parcel.is_valid());
        let whole = geodesic_area(&parcel).to_mu().0;
        assert_relative_eq!(whole, (40_000.0 - 1_600.0) / (10_000.0 / 15.0), max_relative = 1e-4);

        // Half of it: the cut crosses the hole, and each half wraps round one side of it.
        let half = Mu(whole / 2.0);
        let through = carve(&parcel, half, CarveDirection::Bearing { degrees: 90.0 }, &permissive()).unwrap();
        assert_sound(&parcel, &through, half);
        assert!(through.piece.interiors().is_empty() && through.remainder.interiors().is_empty());
        assert_relative_eq!(metres_between(through.cut.start, through.cut.end), 200.0, max_relative = 1e-4);

        // A strip off the west side leaves the hole whole in the remainder.
        let strip = carve(&parcel, Mu(15.0), CarveDirection::Bearing { degrees: 90.0 }, &permissive()).unwrap();
        assert_sound(&parcel, &strip, Mu(15.0));
        assert_eq!(strip.remainder.interiors().len(), 1);
    }

    #[test]
    fn vertices_on_a_straight_side_survive_the_cut_and_the_areas_still_add_up() {
        // Neighbours' corners on the long sides; a geodesic through them differs from one that skips them.
        let corners = [(0.0, 0.0), (150.0, 0.0), (400.0, 0.0), (400.0, 100.0), (250.0, 100.0), (0.0, 100.0)];
        let parcel = in_metres(ORIGIN, &corners);
        for target in [10.0, 30.0, 50.0] {
            let result = carve(&parcel, Mu(target), CarveDirection::Bearing { degrees: 90.0 }, &permissive()).unwrap();
            assert_sound(&parcel, &result, Mu(target));
        }
    }

    #[test]
    fn a_target_of_zero_or_less_is_refused() {
        let parcel = in_metres(ORIGIN, &rectangle(200.0, 100.0));
        for target in [0.0, -1.0, f64::NAN] {
            let err = carve(&parcel, Mu(target), CarveDirection::Auto, &SliverPolicy::default()).unwrap_err();
            assert!(matches!(err, CarveError::NonPositiveTarget { .. }), "{err:?}");
        }
        let err = carve(&parcel, Mu(0.0), CarveDirection::Auto, &SliverPolicy::default()).unwrap_err();
        assert_eq!(err.to_string(), "the target area must be a positive number of mu, got 0");
    }

    #[test]
    fn a_target_as_large_as_the_parcel_is_refused_with_both_areas() {
        let parcel = in_metres(ORIGIN, &rectangle(200.0, 100.0));
        let err = carve(&parcel, Mu(45.0), CarveDirection::Auto, &SliverPolicy::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the target of 45.000 mu is not smaller than the parcel's 30.000 mu; allocate the whole parcel instead"
        );
        let err = carve(&parcel, Mu(f64::INFINITY), CarveDirection::Auto, &SliverPolicy::default()).unwrap_err();
        assert!(matches!(err, CarveError::TargetNotBelowParcel { .. }), "{err:?}");
    }

    #[test]
    fn a_self_intersecting_parcel_is_refused() {
        let bow_tie = in_metres(ORIGIN, &[(0.0, 0.0), (200.0, 100.0), (200.0, 0.0), (0.0, 100.0)]);
        let err = carve(&bow_tie, Mu(5.0), CarveDirection::Auto, &SliverPolicy::default()).unwrap_err();
        assert!(matches!(err, CarveError::InvalidParcel { .. }), "{err:?}");
        assert!(err.to_string().starts_with("the parcel outline is invalid ("), "{err}");
    }

    #[test]
    fn an_undefined_direction_is_refused() {
        let parcel = in_metres(ORIGIN, &rectangle(200.0, 100.0));
        let point = parcel.exterior().0[0];
        let err = carve(&parcel, Mu(5.0), CarveDirection::Frontage { edge: (point, point) }, &SliverPolicy::default())
            .unwrap_err();
        assert_eq!(err.to_string(), "the sweep direction is undefined: the frontage edge has no length");
        let err = carve(&parcel, Mu(5.0), CarveDirection::Bearing { degrees: f64::NAN }, &SliverPolicy::default())
            .unwrap_err();
        assert!(matches!(err, CarveError::InvalidDirection { .. }), "{err:?}");
    }

    #[test]
    fn a_piece_narrower_than_the_minimum_width_is_refused() {
        // 100 m deep: 2.5 mu is a strip about 16.7 m wide, from either end.
        let parcel = in_metres(ORIGIN, &rectangle(400.0, 100.0));
        let err = carve(&parcel, Mu(2.5), CarveDirection::Auto, &SliverPolicy::default()).unwrap_err();
        assert!(matches!(err, CarveError::TooNarrow { part: CarvePart::Piece, .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            "the carved piece would be 16.7 m wide, below the sliver policy's minimum width of 20 m (sweeping \
             toward 90.0°)"
        );
    }

    #[test]
    fn a_remainder_below_the_minimum_area_is_refused() {
        let parcel = in_metres(ORIGIN, &rectangle(200.0, 100.0));
        let err = carve(&parcel, Mu(28.5), CarveDirection::Auto, &SliverPolicy::default()).unwrap_err();
        assert!(matches!(err, CarveError::TooSmall { part: CarvePart::Remainder, .. }), "{err:?}");
        assert!(
            err.to_string()
                .starts_with("the remainder would be 1.500 mu, below the sliver policy's minimum area of 2 mu"),
            "{err}"
        );
    }

    #[test]
    fn a_piece_longer_than_the_maximum_aspect_is_refused() {
        // 30 m wide and 300 m long: 6 mu is 30 m by 133 m, 4.4 times as long as wide.
        let parcel = in_metres(ORIGIN, &rectangle(300.0, 30.0));
        let err = carve(&parcel, Mu(6.0), CarveDirection::Auto, &SliverPolicy::default()).unwrap_err();
        assert!(matches!(err, CarveError::TooElongated { part: CarvePart::Piece, .. }), "{err:?}");
        assert!(err.to_string().starts_with("the carved piece would be 4.4 times as long as it is wide"), "{err}");
    }

    fn parcel(id: i64, geometry: Polygon, land_use: LandUse) -> Parcel {
        let mut p = Parcel::new(ParcelId(id), &format!("T-{id}"), ZoneId(1), geometry, Mu(0.0), land_use);
        p.availability = Availability::Available;
        p
    }

    fn road_plot(code: &str) -> LandUse {
        LandUse { system: LandUseSystem::Ydyh2023, code: code.to_owned() }
    }

    fn industrial() -> LandUse {
        LandUse::industrial(IndustrialClass::II)
    }

    fn inventory(parcels: Vec<Parcel>, pois: Vec<Poi>) -> Inventory {
        Inventory::new(crate::InventoryParts { parcels, pois, ..Default::default() }).unwrap()
    }

    fn same_edge(found: (Coord, Coord), a: (f64, f64), b: (f64, f64)) -> bool {
        let close =
            |c: Coord, (x, y): (f64, f64)| metres_between(c, in_metres(ORIGIN, &[(x, y)]).exterior().0[0]) < 1e-6;
        close(found.0, a) && close(found.1, b)
    }

    #[test]
    fn frontage_is_the_edge_along_a_road_plot_not_a_longer_side_that_only_touches_it() {
        // 100 m of frontage on a 20 m road plot to the south; the 300 m sides touch the road only at one end.
        let plot = parcel(1, in_metres(ORIGIN, &rectangle(100.0, 300.0)), industrial());
        let road = in_metres(ORIGIN, &[(-200.0, -20.0), (300.0, -20.0), (300.0, 0.0), (-200.0, 0.0)]);
        let inv = inventory(vec![plot.clone(), parcel(2, road, road_plot("1207"))], vec![]);
        let edge = frontage(&inv, &plot, Meters(30.0)).unwrap();
        assert!(same_edge(edge, (0.0, 0.0), (100.0, 0.0)), "{edge:?}");
    }

    #[test]
    fn frontage_follows_a_road_line_a_few_metres_away() {
        let plot = parcel(1, in_metres(ORIGIN, &rectangle(150.0, 120.0)), industrial());
        let frame = Frame::around(ORIGIN);
        let g219 = [(-10.0, -100.0), (-12.0, 400.0)].map(|(x, y)| frame.to_lon_lat(Coord { x, y }));
        let poi = Poi {
            id: PoiId(1),
            code: "G219".to_owned(),
            kind: PoiKind::Road,
            name_zh: "G219国道".to_owned(),
            name_en: "G219".to_owned(),
            country: Country::Cn,
            geometry: Geometry::LineString(LineString::from(g219.to_vec())),
        };
        let inv = inventory(vec![plot.clone()], vec![poi]);
        let edge = frontage(&inv, &plot, Meters(30.0)).unwrap();
        assert!(same_edge(edge, (0.0, 120.0), (0.0, 0.0)), "{edge:?}");
        assert!(frontage(&inv, &plot, Meters(5.0)).is_none(), "the road is 10 m away");
    }

    #[test]
    fn a_parcel_away_from_roads_has_no_frontage() {
        let plot = parcel(1, in_metres(ORIGIN, &rectangle(100.0, 100.0)), industrial());
        let far_road = in_metres(ORIGIN, &[(0.0, 200.0), (100.0, 200.0), (100.0, 220.0), (0.0, 220.0)]);
        // An industrial neighbour right next to it is no road.
        let neighbour = in_metres(ORIGIN, &[(100.0, 0.0), (200.0, 0.0), (200.0, 100.0), (100.0, 100.0)]);
        let inv = inventory(
            vec![plot.clone(), parcel(2, far_road, road_plot("1202")), parcel(3, neighbour, industrial())],
            vec![],
        );
        assert!(frontage(&inv, &plot, Meters(30.0)).is_none());
    }

    #[test]
    fn carving_along_the_frontage_leaves_both_pieces_on_the_road() {
        let plot = parcel(1, in_metres(ORIGIN, &rectangle(240.0, 160.0)), industrial());
        let road = in_metres(ORIGIN, &[(-50.0, -24.0), (300.0, -24.0), (300.0, 0.0), (-50.0, 0.0)]);
        let road = parcel(2, road, road_plot("1202"));
        let inv = inventory(vec![plot.clone(), road.clone()], vec![]);
        let edge = frontage(&inv, &plot, Meters(30.0)).unwrap();
        let result =
            carve(&plot.geometry, Mu(20.0), CarveDirection::Frontage { edge }, &SliverPolicy::default()).unwrap();
        assert_sound(&plot.geometry, &result, Mu(20.0));
        assert_relative_eq!(result.sweep_bearing_deg, 90.0, epsilon = 1e-6);
        assert!(result.piece.intersects(&road.geometry) && result.remainder.intersects(&road.geometry));
    }

    /// A ring given in metres east and north of `centre` (a random place in the park), as a lon/lat polygon.
    fn shape_at(centre: Coord, corners: &[Coord]) -> Polygon {
        let frame = Frame::around(centre);
        Polygon::new(LineString::from(corners.iter().map(|&c| frame.to_lon_lat(c)).collect::<Vec<_>>()), vec![])
    }

    /// Scales a shape in metres about the origin to `area_mu` (planar, close to geodesic at this size).
    fn scaled_to(corners: Vec<Coord>, area_mu: f64) -> Vec<Coord> {
        let polygon = Polygon::new(LineString::from(corners.clone()), vec![]);
        let planar = geo::Area::unsigned_area(&polygon);
        let k = (SquareMeters::from(Mu(area_mu)).0 / planar).sqrt();
        corners.into_iter().map(|c| c * k).collect()
    }

    fn direction(kind: u8, bearing: f64, parent: &Polygon, edge: usize) -> CarveDirection {
        match kind {
            0 => CarveDirection::Auto,
            1 => CarveDirection::Bearing { degrees: bearing },
            _ => {
                let lines: Vec<Line> = parent.exterior().lines().collect();
                let line = lines[edge % lines.len()];
                CarveDirection::Frontage { edge: (line.start, line.end) }
            }
        }
    }

    /// Whether a refusal is one a planner can act on: a sliver, or (for a concave parcel) a split.
    fn is_planning_refusal(err: &CarveError, concave: bool) -> bool {
        match err {
            CarveError::TooSmall { .. } | CarveError::TooNarrow { .. } | CarveError::TooElongated { .. } => true,
            CarveError::Disconnected { .. } => concave,
            CarveError::NonPositiveTarget { .. }
            | CarveError::TargetNotBelowParcel { .. }
            | CarveError::InvalidParcel { .. }
            | CarveError::InvalidDirection { .. }
            | CarveError::InvalidPart { .. }
            | CarveError::NotConverged { .. }
            | CarveError::AreasDoNotAddUp { .. } => false,
        }
    }

    /// What every carve of a convex parcel must give: a sound result, or a sliver refusal and nothing else
    /// (a straight cut cannot split a convex parcel, and a permissive policy never refuses).
    fn check_convex(
        parent: &Polygon,
        target: Mu,
        direction: CarveDirection,
        strict: bool,
    ) -> Result<(), TestCaseError> {
        let policy = if strict { SliverPolicy::default() } else { permissive() };
        match carve(parent, target, direction, &policy) {
            Ok(result) => {
                prop_assert!(result.piece.is_valid() && result.remainder.is_valid());
                prop_assert!(keeps_every_vertex(parent, &result));
                prop_assert!((result.piece_area.to_mu().0 - target.0).abs() <= CARVE_TOLERANCE.0);
                let whole = geodesic_area(parent).0;
                let sum = result.piece_area.0 + result.remainder_area.0;
                prop_assert!((sum - whole).abs() <= AREA_SUM_TOLERANCE * whole, "{} vs {}", sum, whole);
            }
            Err(err) => {
                prop_assert!(strict && is_planning_refusal(&err, false), "unexpected refusal: {}", err);
            }
        }
        Ok(())
    }

    /// Any parcel, concave or not: a sound result, or a refusal a planner can act on.
    fn check_any(parent: &Polygon, target: Mu, direction: CarveDirection, strict: bool) -> Result<(), TestCaseError> {
        let policy = if strict { SliverPolicy::default() } else { permissive() };
        match carve(parent, target, direction, &policy) {
            Ok(result) => {
                prop_assert!(result.piece.is_valid() && result.remainder.is_valid());
                prop_assert!(keeps_every_vertex(parent, &result));
                prop_assert!((result.piece_area.to_mu().0 - target.0).abs() <= CARVE_TOLERANCE.0);
                let whole = geodesic_area(parent).0;
                let sum = result.piece_area.0 + result.remainder_area.0;
                prop_assert!((sum - whole).abs() <= AREA_SUM_TOLERANCE * whole, "{} vs {}", sum, whole);
            }
            Err(err) => prop_assert!(is_planning_refusal(&err, true), "unexpected refusal: {}", err),
        }
        Ok(())
    }

    fn centre() -> impl Strategy<Value = Coord> {
        (107.95..108.13_f64, 21.50..21.62_f64).prop_map(|(x, y)| Coord { x, y })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn any_rectangle_or_trapezoid_is_carved_soundly_or_refused_as_a_sliver(
            centre in centre(),
            area_mu in 2.0..200.0_f64,
            aspect in 1.0..5.0_f64,
            taper in 0.3..=1.0_f64,
            turn in 0.0..180.0_f64,
            fraction in 0.01..0.99_f64,
            kind in 0..3_u8,
            bearing in -360.0..720.0_f64,
            edge in 0..8_usize,
            strict in any::<bool>(),
            neighbours in proptest::option::of(0.05..0.95_f64),
        ) {
            // A trapezoid `aspect` times as wide as deep, its top `taper` of its base, turned by `turn`; perhaps
            // with a neighbour's corner on every side, in line with it.
            let (w, h) = (aspect, 1.0);
            let top = w * taper;
            let raw = [(0.0, 0.0), (w, 0.0), (f64::midpoint(w, top), h), ((w - top) / 2.0, h)];
            let mut corners: Vec<Coord> = turned(&raw, turn).into_iter().map(Coord::from).collect();
            if let Some(at) = neighbours {
                let closed: Vec<Coord> = corners.iter().chain(corners.first()).copied().collect();
                corners = closed.windows(2).flat_map(|w| [w[0], w[0] + (w[1] - w[0]) * at]).collect();
            }
            let parent = shape_at(centre, &scaled_to(corners, area_mu));
            let whole = geodesic_area(&parent).to_mu().0;
            let target = Mu(whole * fraction);
            check_convex(&parent, target, direction(kind, bearing, &parent, edge), strict)?;
        }

        #[test]
        fn any_convex_parcel_is_carved_soundly_or_refused_as_a_sliver(
            centre in centre(),
            area_mu in 2.0..200.0_f64,
            points in proptest::collection::vec((-1.0..1.0_f64, -1.0..1.0_f64), 3..16),
            stretch in 1.0..4.0_f64,
            fraction in 0.01..0.99_f64,
            kind in 0..3_u8,
            bearing in 0.0..360.0_f64,
            edge in 0..16_usize,
            strict in any::<bool>(),
        ) {
            let cloud = geo::MultiPoint::from(points.iter().map(|&(x, y)| (x * stretch, y)).collect::<Vec<_>>());
            let hull = cloud.convex_hull();
            prop_assume!(geo::Area::unsigned_area(&hull) > 0.05 * stretch);
            let parent = shape_at(centre, &scaled_to(hull.exterior().0.clone(), area_mu));
            prop_assume!(parent.is_valid());
            let whole = geodesic_area(&parent).to_mu().0;
            let target = Mu(whole * fraction);
            check_convex(&parent, target, direction(kind, bearing, &parent, edge), strict)?;
        }

        #[test]
        fn any_star_shaped_parcel_is_carved_soundly_or_refused_with_a_reason(
            centre in centre(),
            area_mu in 2.0..200.0_f64,
            spokes in proptest::collection::vec((0.0..1.0_f64, 0.3..1.0_f64), 5..14),
            fraction in 0.01..0.99_f64,
            kind in 0..3_u8,
            bearing in 0.0..360.0_f64,
            edge in 0..14_usize,
            strict in any::<bool>(),
        ) {
            // Spokes at increasing angles with random lengths: a simple polygon, usually concave.
            let n = spokes.len() as f64;
            let corners: Vec<Coord> = spokes
                .iter()
                .enumerate()
                .map(|(i, &(jitter, radius))| {
                    let angle = (i as f64 + 0.8 * jitter) / n * 2.0 * PI;
                    Coord { x: radius * angle.cos(), y: radius * angle.sin() }
                })
                .collect();
            let parent = shape_at(centre, &scaled_to(corners, area_mu));
            prop_assume!(parent.is_valid());
            let whole = geodesic_area(&parent).to_mu().0;
            let target = Mu(whole * fraction);
            check_any(&parent, target, direction(kind, bearing, &parent, edge), strict)?;
        }
    }
}
