//! The `WebMercatorQuad` tile grid: tile ids, and longitude/latitude to tile coordinates and back (hand-written,
//! allocation-free).
//!
//! CGCS2000 longitude/latitude is taken as WGS 84 (they differ by centimetres), projected with the spherical Web
//! Mercator formula (EPSG:3857) and scaled so that a tile spans `0..EXTENT` on both axes with y pointing down, as
//! MVT wants.

use std::f64::consts::PI;

use geo::Coord;
use landbank_inventory::BBox;

/// Tile coordinate units across one tile (MVT `extent`).
pub const EXTENT: u32 = 4096;
/// Tile coordinate units kept beyond each edge, so that outlines and strokes join without seams.
pub const BUFFER: u32 = 64;
/// The deepest zoom level (tile matrix) served.
pub const MAX_ZOOM: u8 = 22;
/// The latitude where Web Mercator's square world ends, degrees.
pub const MAX_LATITUDE: f64 = 85.051_128_779_806_59;

/// One tile of `WebMercatorQuad`: zoom `z` (tile matrix), column `x` (tile col) and row `y` (tile row, from the
/// north).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TileId {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

impl TileId {
    /// The tile, provided `z ≤ MAX_ZOOM` and both `x` and `y` lie in `0..2^z`.
    pub fn new(z: u8, x: u32, y: u32) -> Option<TileId> {
        (z <= MAX_ZOOM && x < tiles_across(z) && y < tiles_across(z)).then_some(TileId { z, x, y })
    }

    /// Where a longitude/latitude point (degrees) falls in this tile's coordinates: `0..EXTENT` from the west
    /// and from the north edge. Latitudes beyond ±[`MAX_LATITUDE`] are clamped.
    pub fn project(self, lon_lat: Coord) -> Coord {
        let n = f64::from(tiles_across(self.z));
        let extent = f64::from(EXTENT);
        Coord {
            x: (world_x(lon_lat.x) * n - f64::from(self.x)) * extent,
            y: (world_y(lon_lat.y) * n - f64::from(self.y)) * extent,
        }
    }

    /// The longitude/latitude box of the tile grown by `buffer` tile units on every side (clamped to the world).
    pub fn bbox(self, buffer: u32) -> BBox {
        let n = f64::from(tiles_across(self.z));
        let margin = f64::from(buffer) / f64::from(EXTENT);
        let (x, y) = (f64::from(self.x), f64::from(self.y));
        BBox {
            min_lon: longitude((x - margin) / n).max(-180.0),
            max_lon: longitude((x + 1.0 + margin) / n).min(180.0),
            max_lat: latitude((y - margin) / n).min(MAX_LATITUDE),
            min_lat: latitude((y + 1.0 + margin) / n).max(-MAX_LATITUDE),
        }
    }
}

/// Tiles along each axis at zoom `z` (`2^z`; `z ≤ 22` keeps it well inside `u32`).
pub fn tiles_across(z: u8) -> u32 {
    1u32 << u32::from(z.min(MAX_ZOOM))
}

/// Where a longitude/latitude point (degrees) falls in the Web Mercator square, `0..1` from the north-west corner.
pub fn world(lon_lat: Coord) -> Coord {
    Coord { x: world_x(lon_lat.x), y: world_y(lon_lat.y) }
}

/// Longitude in degrees → `0..1` from the antimeridian eastwards.
fn world_x(lon: f64) -> f64 {
    (lon + 180.0) / 360.0
}

/// Latitude in degrees → `0..1` from the north edge of the Mercator square southwards.
fn world_y(lat: f64) -> f64 {
    let sin = lat.clamp(-MAX_LATITUDE, MAX_LATITUDE).to_radians().sin();
    // ln(tan φ + sec φ) = atanh(sin φ) = ½ ln((1 + sin φ) / (1 − sin φ)): one sine and one logarithm a point.
    0.5 - ((1.0 + sin) / (1.0 - sin)).ln() / (4.0 * PI)
}

/// Inverse of [`world_x`].
fn longitude(x: f64) -> f64 {
    x * 360.0 - 180.0
}

/// Inverse of [`world_y`].
fn latitude(y: f64) -> f64 {
    (PI * (1.0 - 2.0 * y)).sinh().atan().to_degrees()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    #[test]
    fn tiles_outside_the_matrix_do_not_exist() {
        assert!(TileId::new(0, 0, 0).is_some());
        assert!(TileId::new(0, 1, 0).is_none());
        assert!(TileId::new(14, 16_383, 16_383).is_some());
        assert!(TileId::new(14, 16_384, 0).is_none());
        assert!(TileId::new(22, (1 << 22) - 1, 0).is_some());
        assert!(TileId::new(23, 0, 0).is_none());
    }

    #[test]
    fn the_world_tile_maps_its_corners_and_the_origin() {
        let world = TileId { z: 0, x: 0, y: 0 };
        let nw = world.project(Coord { x: -180.0, y: MAX_LATITUDE });
        assert!(close(nw.x, 0.0, 1e-9) && close(nw.y, 0.0, 1e-6), "{nw:?}");
        let origin = world.project(Coord { x: 0.0, y: 0.0 });
        assert!(close(origin.x, 2048.0, 1e-9) && close(origin.y, 2048.0, 1e-9), "{origin:?}");
        let se = world.project(Coord { x: 180.0, y: -MAX_LATITUDE });
        assert!(close(se.x, 4096.0, 1e-9) && close(se.y, 4096.0, 1e-6), "{se:?}");
    }

    #[test]
    fn a_point_projects_into_the_tile_that_contains_it() {
        // Dongxing at z14: column 13_105.83…, row 7_187.26… (the closed form evaluated independently in Python).
        let tile = TileId { z: 14, x: 13_105, y: 7_187 };
        let p = tile.project(Coord { x: 107.97, y: 21.55 });
        assert!(close(p.x, 0.834_666_666_67 * 4096.0, 1e-3) && close(p.y, 0.258_578_957_3 * 4096.0, 1e-3), "{p:?}");
    }

    #[test]
    fn the_tile_box_and_the_projection_agree() {
        let tile = TileId { z: 14, x: 13_105, y: 7_187 };
        let b = tile.bbox(0);
        let nw = tile.project(Coord { x: b.min_lon, y: b.max_lat });
        let se = tile.project(Coord { x: b.max_lon, y: b.min_lat });
        assert!(close(nw.x, 0.0, 1e-6) && close(nw.y, 0.0, 1e-6), "{nw:?}");
        assert!(close(se.x, 4096.0, 1e-6) && close(se.y, 4096.0, 1e-6), "{se:?}");
        let buffered = tile.bbox(BUFFER);
        let corner = tile.project(Coord { x: buffered.min_lon, y: buffered.max_lat });
        assert!(close(corner.x, -64.0, 1e-6) && close(corner.y, -64.0, 1e-6), "{corner:?}");
    }

    #[test]
    fn the_buffered_box_of_an_edge_tile_stays_inside_the_world() {
        let b = TileId { z: 0, x: 0, y: 0 }.bbox(BUFFER);
        assert!(BBox::new(b.min_lon, b.min_lat, b.max_lon, b.max_lat).is_some(), "{b:?}");
        assert!(close(b.min_lon, -180.0, 0.0) && close(b.max_lat, MAX_LATITUDE, 0.0));
    }
}
