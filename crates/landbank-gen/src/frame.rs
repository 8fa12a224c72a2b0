//! Local metric frames: shapes drawn in metres east and north of an origin, placed on CGCS2000 longitude/latitude.
//!
//! A frame maps metres to degrees with the ellipsoid's own scales (radii of curvature) at a reference latitude, so
//! a shape's planar area in metres equals its geodesic area on the ellipsoid to about 1e-4 within a few kilometres
//! of that latitude, and to about 1e-5 within a few hundred metres.

use geo::{Coord, LineString, Polygon};

/// Semi-major axis of the CGCS2000 (GRS 80) ellipsoid, metres.
const SEMI_MAJOR_M: f64 = 6_378_137.0;
/// Flattening of the CGCS2000 (GRS 80) ellipsoid.
const FLATTENING: f64 = 1.0 / 298.257_222_101;

/// Metres per degree of longitude (`x`) and of latitude (`y`) at latitude `lat` degrees.
pub(crate) fn meters_per_degree(lat: f64) -> Coord {
    let e2 = FLATTENING * (2.0 - FLATTENING);
    let phi = lat.to_radians();
    let w = (1.0 - e2 * phi.sin().powi(2)).sqrt();
    let prime_vertical = SEMI_MAJOR_M / w;
    let meridian = SEMI_MAJOR_M * (1.0 - e2) / (w * w * w);
    let per_radian = std::f64::consts::PI / 180.0;
    Coord { x: prime_vertical * phi.cos() * per_radian, y: meridian * per_radian }
}

/// Metres east/north of an origin, tied to longitude/latitude by the scales at one latitude.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Frame {
    origin: Coord,
    scale: Coord,
}

impl Frame {
    /// A frame whose `(0, 0)` is `origin` (lon/lat degrees), with the scales at latitude `scale_lat`.
    pub(crate) fn new(origin: Coord, scale_lat: f64) -> Frame {
        Frame { origin, scale: meters_per_degree(scale_lat) }
    }

    /// The longitude/latitude of a point given in metres.
    pub(crate) fn lon_lat(&self, c: Coord) -> Coord {
        Coord { x: self.origin.x + c.x / self.scale.x, y: self.origin.y + c.y / self.scale.y }
    }

    /// The metres east/north of a point given in longitude/latitude.
    pub(crate) fn meters(&self, c: Coord) -> Coord {
        Coord { x: (c.x - self.origin.x) * self.scale.x, y: (c.y - self.origin.y) * self.scale.y }
    }

    /// A lon/lat polygon from a ring in metres (open or closed; `Polygon::new` closes it).
    pub(crate) fn polygon(&self, ring: &[Coord]) -> Polygon {
        let exterior: Vec<Coord> = ring.iter().map(|&c| self.lon_lat(c)).collect();
        Polygon::new(LineString::new(exterior), Vec::new())
    }

    /// A line in metres from a line in lon/lat.
    pub(crate) fn line_in_meters(&self, line: &[Coord]) -> LineString {
        LineString::new(line.iter().map(|&c| self.meters(c)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use landbank_inventory::geodesic_area;

    fn square_area_on_the_ellipsoid(lon: f64, lat: f64, side: f64) -> f64 {
        let frame = Frame::new(Coord { x: lon, y: lat }, lat);
        let h = side / 2.0;
        let ring = [Coord { x: -h, y: -h }, Coord { x: h, y: -h }, Coord { x: h, y: h }, Coord { x: -h, y: h }];
        geodesic_area(&frame.polygon(&ring)).0
    }

    #[test]
    fn a_square_drawn_in_metres_keeps_its_area_on_the_ellipsoid() {
        for (lon, lat) in [(108.0, 21.55), (109.5, 23.2), (107.9, 21.5)] {
            for side in [50.0, 200.0, 600.0] {
                assert_relative_eq!(square_area_on_the_ellipsoid(lon, lat, side), side * side, max_relative = 1e-5);
            }
        }
    }

    #[test]
    fn metres_and_degrees_round_trip() {
        let frame = Frame::new(Coord { x: 108.0, y: 21.5 }, 21.52);
        let c = Coord { x: 1_234.5, y: -678.9 };
        let back = frame.meters(frame.lon_lat(c));
        assert_relative_eq!(back.x, c.x, epsilon = 1e-6);
        assert_relative_eq!(back.y, c.y, epsilon = 1e-6);
    }

    #[test]
    fn a_degree_of_latitude_near_dongxing_is_about_110_7_km() {
        let s = meters_per_degree(21.55);
        assert_relative_eq!(s.y, 110_725.0, max_relative = 1e-3);
        assert_relative_eq!(s.x, 103_585.0, max_relative = 1e-3);
    }
}
