//! Geometry on CGCS2000 longitude/latitude: bounding boxes, geodesic areas and metric distances.

use geo::{Coord, CoordsIter, Distance, Euclidean, GeodesicArea, Geometry, MapCoords, Point, Polygon, Rect};

use crate::SquareMeters;

/// Mean metres per degree of latitude on the CGCS2000/GRS80 ellipsoid (between 110,574 m at the equator and
/// 111,694 m at the poles). Used only for local frames and search envelopes, never for areas.
const METERS_PER_DEGREE: f64 = 111_132.954;

/// An axis-aligned box in longitude/latitude degrees: `min_lon, min_lat, max_lon, max_lat`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    pub min_lon: f64,
    pub min_lat: f64,
    pub max_lon: f64,
    pub max_lat: f64,
}

impl BBox {
    /// The box, provided `min <= max` on both axes and all values are finite longitudes/latitudes.
    pub fn new(min_lon: f64, min_lat: f64, max_lon: f64, max_lat: f64) -> Option<BBox> {
        let finite = [min_lon, min_lat, max_lon, max_lat].iter().all(|v| v.is_finite());
        let in_range = (-180.0..=180.0).contains(&min_lon)
            && (-180.0..=180.0).contains(&max_lon)
            && (-90.0..=90.0).contains(&min_lat)
            && (-90.0..=90.0).contains(&max_lat);
        (finite && in_range && min_lon <= max_lon && min_lat <= max_lat).then_some(BBox {
            min_lon,
            min_lat,
            max_lon,
            max_lat,
        })
    }

    /// The box around a polygon's exterior, or `None` for an empty polygon.
    pub fn of_polygon(polygon: &Polygon) -> Option<BBox> {
        geo::BoundingRect::bounding_rect(polygon).map(BBox::from)
    }

    /// The smallest box holding both.
    #[must_use]
    pub fn union(self, other: BBox) -> BBox {
        BBox {
            min_lon: self.min_lon.min(other.min_lon),
            min_lat: self.min_lat.min(other.min_lat),
            max_lon: self.max_lon.max(other.max_lon),
            max_lat: self.max_lat.max(other.max_lat),
        }
    }

    /// Whether the two boxes share at least one point.
    pub fn intersects(&self, other: &BBox) -> bool {
        self.min_lon <= other.max_lon
            && other.min_lon <= self.max_lon
            && self.min_lat <= other.max_lat
            && other.min_lat <= self.max_lat
    }

    /// The box as a rectangle polygon.
    pub fn to_rect(self) -> Rect {
        Rect::new(Coord { x: self.min_lon, y: self.min_lat }, Coord { x: self.max_lon, y: self.max_lat })
    }

    /// This box grown by `meters` on every side (a conservative envelope for distance searches).
    #[must_use]
    pub fn expanded_by(self, meters: f64) -> BBox {
        let dlat = meters / (METERS_PER_DEGREE * 0.99);
        let widest = self.min_lat.abs().max(self.max_lat.abs()) + dlat;
        let cos = widest.min(89.0).to_radians().cos();
        let dlon = dlat / cos;
        BBox {
            min_lon: (self.min_lon - dlon).max(-180.0),
            min_lat: (self.min_lat - dlat).max(-90.0),
            max_lon: (self.max_lon + dlon).min(180.0),
            max_lat: (self.max_lat + dlat).min(90.0),
        }
    }
}

impl From<Rect> for BBox {
    fn from(r: Rect) -> Self {
        BBox { min_lon: r.min().x, min_lat: r.min().y, max_lon: r.max().x, max_lat: r.max().y }
    }
}

/// The geodesic area of a lon/lat polygon on the WGS 84 ellipsoid (equal to CGCS2000's to µm²), in m².
///
/// # Units
///
/// Input in degrees (EPSG:4490 or CRS84), output in square metres. Planar area of degrees is never used.
///
/// # Examples
///
/// ```
/// use geo::polygon;
/// use landbank_inventory::geodesic_area;
/// // About 100 m × 100 m near Dongxing.
/// let square = polygon![(x: 108.0, y: 21.55), (x: 108.000_966, y: 21.55),
///                       (x: 108.000_966, y: 21.550_904), (x: 108.0, y: 21.550_904)];
/// let area = geodesic_area(&square).0;
/// assert!((area - 10_000.0).abs() < 50.0, "{area}");
/// ```
pub fn geodesic_area(polygon: &Polygon) -> SquareMeters {
    SquareMeters(polygon.geodesic_area_unsigned())
}

/// A local tangent frame around `origin`: maps lon/lat degrees to metres east/north of the origin.
///
/// # Assumptions
///
/// An equirectangular approximation: the error stays below 0.1 % within about 50 km of the origin, which covers
/// a park. Use it for distances and shapes, never for registered areas.
pub fn local_frame(origin: Point) -> impl Fn(Coord) -> Coord + Copy {
    let lat0 = origin.y();
    let lon0 = origin.x();
    let kx = METERS_PER_DEGREE * lat0.to_radians().cos();
    move |c: Coord| Coord { x: (c.x - lon0) * kx, y: (c.y - lat0) * METERS_PER_DEGREE }
}

/// The distance in metres from a point to a polygon: 0 inside it, otherwise to its nearest edge.
pub fn distance_to_polygon(point: Point, polygon: &Polygon) -> crate::Meters {
    let frame = local_frame(point);
    let local = polygon.map_coords(frame);
    crate::Meters(Euclidean.distance(&Point::new(0.0, 0.0), &local))
}

/// The distance in metres from a polygon to any geometry (a point, a road line, another polygon): 0 when they
/// touch or overlap, otherwise between their nearest points.
///
/// # Assumptions
///
/// Both are mapped into the [`local_frame`] around the polygon's first vertex, so the error stays below 0.1 %
/// within about 50 km — a park and its roads, bridges and ports.
///
/// # Examples
///
/// ```
/// use geo::{Geometry, Point, polygon};
/// use landbank_inventory::distance_to_geometry;
/// let plot = polygon![(x: 108.0, y: 21.5), (x: 108.01, y: 21.5), (x: 108.01, y: 21.51), (x: 108.0, y: 21.51)];
/// // A bridge 0.01° south of the plot: about 1.1 km.
/// let bridge = Geometry::Point(Point::new(108.005, 21.49));
/// let d = distance_to_geometry(&plot, &bridge).0;
/// assert!((d - 1_107.0).abs() < 11.0, "{d}");
/// ```
pub fn distance_to_geometry(polygon: &Polygon, geometry: &Geometry) -> crate::Meters {
    let origin = polygon.exterior().0.first().copied().or_else(|| geometry.coords_iter().next());
    let Some(origin) = origin else { return crate::Meters(f64::INFINITY) };
    let frame = local_frame(Point::from(origin));
    let (polygon, geometry) = (polygon.map_coords(frame), geometry.map_coords(frame));
    crate::Meters(Euclidean.distance(&polygon, &geometry))
}

/// The length in metres along which the outer boundaries of two polygons run together, each edge of one within
/// `tolerance` of an edge of the other: the wall two neighbouring factory bays share. Polygons that meet only at a
/// corner share (close to) nothing.
///
/// # Examples
///
/// ```
/// use geo::polygon;
/// use landbank_inventory::{Meters, shared_boundary};
/// let west = polygon![(x: 108.0, y: 21.5), (x: 108.001, y: 21.5), (x: 108.001, y: 21.501), (x: 108.0, y: 21.501)];
/// let east = polygon![(x: 108.001, y: 21.5), (x: 108.002, y: 21.5), (x: 108.002, y: 21.501), (x: 108.001, y: 21.501)];
/// // The shared wall is 0.001° of latitude, about 111 m.
/// assert!((shared_boundary(&west, &east, Meters(0.5)).0 - 111.1).abs() < 0.5);
/// ```
pub fn shared_boundary(a: &Polygon, b: &Polygon, tolerance: crate::Meters) -> crate::Meters {
    let Some(origin) = a.exterior().0.first().copied() else { return crate::Meters(0.0) };
    let frame = local_frame(Point::from(origin));
    let (a, b) = (a.exterior().map_coords(frame), b.exterior().map_coords(frame));
    let mut total = 0.0;
    for edge in a.lines() {
        let (dx, dy) = (edge.dx(), edge.dy());
        let length = dx.hypot(dy);
        if length < 1e-9 {
            continue;
        }
        let (ux, uy) = (dx / length, dy / length);
        // Distance across the edge's line, and position along it, of a point.
        let across = |c: Coord| ((c.x - edge.start.x) * uy - (c.y - edge.start.y) * ux).abs();
        let along = |c: Coord| (c.x - edge.start.x) * ux + (c.y - edge.start.y) * uy;
        for other in b.lines() {
            if across(other.start) > tolerance.0 || across(other.end) > tolerance.0 {
                continue;
            }
            let (t0, t1) = (along(other.start), along(other.end));
            let overlap = t0.max(t1).min(length) - t0.min(t1).max(0.0);
            total += overlap.max(0.0);
        }
    }
    crate::Meters(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use geo::{line_string, polygon};

    #[test]
    fn a_bbox_with_min_above_max_is_refused() {
        assert!(BBox::new(108.1, 21.5, 108.0, 21.6).is_none());
        assert!(BBox::new(-181.0, 21.5, 108.0, 21.6).is_none());
        assert!(BBox::new(f64::NAN, 21.5, 108.0, 21.6).is_none());
    }

    #[test]
    fn a_point_inside_a_polygon_is_at_distance_zero() {
        let square = polygon![(x: 108.0, y: 21.5), (x: 108.01, y: 21.5), (x: 108.01, y: 21.51), (x: 108.0, y: 21.51)];
        assert_relative_eq!(distance_to_polygon(Point::new(108.005, 21.505), &square).0, 0.0);
    }

    #[test]
    fn distance_along_a_meridian_matches_the_degree_length() {
        let square = polygon![(x: 108.0, y: 21.5), (x: 108.01, y: 21.5), (x: 108.01, y: 21.51), (x: 108.0, y: 21.51)];
        // 0.01° south of the square's southern edge: about 1,107 m on the ellipsoid at 21.5°N.
        let d = distance_to_polygon(Point::new(108.005, 21.49), &square).0;
        assert_relative_eq!(d, 1_107.0, max_relative = 0.01);
    }

    #[test]
    fn distance_to_a_road_line_is_measured_to_its_nearest_segment() {
        let square = polygon![(x: 108.0, y: 21.5), (x: 108.01, y: 21.5), (x: 108.01, y: 21.51), (x: 108.0, y: 21.51)];
        // A north-south road 0.01° east of the square's eastern edge: about 1,036 m at 21.5°N.
        let road = Geometry::LineString(line_string![(x: 108.02, y: 21.4), (x: 108.02, y: 21.6)]);
        assert_relative_eq!(distance_to_geometry(&square, &road).0, 1_035.6, max_relative = 0.01);
        let crossing = Geometry::LineString(line_string![(x: 107.99, y: 21.505), (x: 108.02, y: 21.505)]);
        assert_relative_eq!(distance_to_geometry(&square, &crossing).0, 0.0);
    }

    #[test]
    fn polygons_meeting_at_a_corner_share_no_boundary() {
        let a = polygon![(x: 108.0, y: 21.5), (x: 108.001, y: 21.5), (x: 108.001, y: 21.501), (x: 108.0, y: 21.501)];
        let b = polygon![(x: 108.001, y: 21.501), (x: 108.002, y: 21.501), (x: 108.002, y: 21.502), (x: 108.001, y: 21.502)];
        assert!(shared_boundary(&a, &b, crate::Meters(0.5)).0 < 1.0);
        // 0.2 m apart still counts as one wall; 2 m apart does not.
        let near = polygon![(x: 108.001_002, y: 21.5), (x: 108.002, y: 21.5), (x: 108.002, y: 21.5005), (x: 108.001_002, y: 21.5005)];
        assert_relative_eq!(shared_boundary(&a, &near, crate::Meters(0.5)).0, 55.6, max_relative = 0.01);
        let far = polygon![(x: 108.001_02, y: 21.5), (x: 108.002, y: 21.5), (x: 108.002, y: 21.5005), (x: 108.001_02, y: 21.5005)];
        assert_relative_eq!(shared_boundary(&a, &far, crate::Meters(0.5)).0, 0.0);
    }

    #[test]
    fn expanded_boxes_cover_the_distance() {
        let b = BBox::new(108.0, 21.5, 108.0, 21.5).expect("valid");
        let grown = b.expanded_by(1_000.0);
        assert!(grown.max_lat - 21.5 > 1_000.0 / 110_574.0 * 0.999);
        assert!(grown.max_lon - 108.0 > 1_000.0 / (110_574.0 * 21.5_f64.to_radians().cos()) * 0.999);
    }
}
