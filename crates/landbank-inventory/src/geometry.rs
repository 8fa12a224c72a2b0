//! Geometry on CGCS2000 longitude/latitude: bounding boxes, geodesic areas and metric distances.

use geo::{Coord, Distance, Euclidean, GeodesicArea, MapCoords, Point, Polygon, Rect};

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

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use geo::polygon;

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
    fn expanded_boxes_cover_the_distance() {
        let b = BBox::new(108.0, 21.5, 108.0, 21.5).expect("valid");
        let grown = b.expanded_by(1_000.0);
        assert!(grown.max_lat - 21.5 > 1_000.0 / 110_574.0 * 0.999);
        assert!(grown.max_lon - 108.0 > 1_000.0 / (110_574.0 * 21.5_f64.to_radians().cos()) * 0.999);
    }
}
