//! Geometries on the wire: writing geo geometries as RFC 7946 GeoJSON (lon/lat to 7 decimals, outer rings
//! counter-clockwise) and reading GeoJSON geometries back into geo types with checks a person can act on.

use std::io::{self, Write};

use geo::{
    Coord, CoordsIter, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon, Point,
    Polygon, Winding, winding_order::WindingOrder,
};
use geojson::{GeometryValue, Position};
use landbank_inventory::Layer;
use serde::Deserialize;
use serde_json::Value;

use crate::GeometryRef;

/// Decimals written for coordinates: 1e-7° is about 1 cm.
const DECIMALS_SCALE: f64 = 1e7;

/// Writes a geometry as a GeoJSON geometry object.
///
/// Coordinates are written with at most 7 decimals; outer rings counter-clockwise and holes clockwise, by
/// reading a ring backwards when it is stored the other way round (nothing is copied).
///
/// # Errors
///
/// Errors of the writer, and [`io::ErrorKind::InvalidData`] for a coordinate that is not a finite number.
pub fn write_geometry<W: Write>(out: &mut W, geometry: GeometryRef<'_>) -> io::Result<()> {
    match geometry {
        GeometryRef::Polygon(p) => write_polygon(out, p),
        GeometryRef::Other(g) => write_any(out, g),
    }
}

fn write_any<W: Write>(out: &mut W, geometry: &Geometry) -> io::Result<()> {
    match geometry {
        Geometry::Point(p) => {
            out.write_all(b"{\"type\":\"Point\",\"coordinates\":")?;
            write_position(out, p.0)?;
        }
        Geometry::Line(l) => {
            out.write_all(b"{\"type\":\"LineString\",\"coordinates\":")?;
            write_positions(out, [l.start, l.end].iter())?;
        }
        Geometry::LineString(ls) => {
            out.write_all(b"{\"type\":\"LineString\",\"coordinates\":")?;
            write_positions(out, ls.0.iter())?;
        }
        Geometry::Polygon(p) => return write_polygon(out, p),
        Geometry::MultiPoint(mp) => {
            out.write_all(b"{\"type\":\"MultiPoint\",\"coordinates\":[")?;
            for (i, p) in mp.0.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",")?;
                }
                write_position(out, p.0)?;
            }
            out.write_all(b"]")?;
        }
        Geometry::MultiLineString(mls) => {
            out.write_all(b"{\"type\":\"MultiLineString\",\"coordinates\":[")?;
            for (i, ls) in mls.0.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",")?;
                }
                write_positions(out, ls.0.iter())?;
            }
            out.write_all(b"]")?;
        }
        Geometry::MultiPolygon(mp) => {
            out.write_all(b"{\"type\":\"MultiPolygon\",\"coordinates\":[")?;
            for (i, p) in mp.0.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",")?;
                }
                write_rings(out, p)?;
            }
            out.write_all(b"]")?;
        }
        Geometry::GeometryCollection(gc) => {
            out.write_all(b"{\"type\":\"GeometryCollection\",\"geometries\":[")?;
            for (i, g) in gc.0.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",")?;
                }
                write_any(out, g)?;
            }
            out.write_all(b"]")?;
        }
        Geometry::Rect(r) => return write_polygon(out, &r.to_polygon()),
        Geometry::Triangle(t) => return write_polygon(out, &t.to_polygon()),
    }
    out.write_all(b"}")
}

fn write_polygon<W: Write>(out: &mut W, polygon: &Polygon) -> io::Result<()> {
    out.write_all(b"{\"type\":\"Polygon\",\"coordinates\":")?;
    write_rings(out, polygon)?;
    out.write_all(b"}")
}

/// The rings of a polygon: the outer one counter-clockwise, then the holes clockwise.
fn write_rings<W: Write>(out: &mut W, polygon: &Polygon) -> io::Result<()> {
    if polygon.exterior().0.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[")?;
    write_ring(out, polygon.exterior(), WindingOrder::CounterClockwise)?;
    for hole in polygon.interiors() {
        out.write_all(b",")?;
        write_ring(out, hole, WindingOrder::Clockwise)?;
    }
    out.write_all(b"]")
}

fn write_ring<W: Write>(out: &mut W, ring: &LineString, wanted: WindingOrder) -> io::Result<()> {
    match ring.winding_order() {
        Some(order) if order != wanted => write_positions(out, ring.0.iter().rev()),
        _ => write_positions(out, ring.0.iter()),
    }
}

fn write_positions<'c, W: Write>(out: &mut W, coords: impl Iterator<Item = &'c Coord>) -> io::Result<()> {
    out.write_all(b"[")?;
    for (i, c) in coords.enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write_position(out, *c)?;
    }
    out.write_all(b"]")
}

fn write_position<W: Write>(out: &mut W, c: Coord) -> io::Result<()> {
    out.write_all(b"[")?;
    write_degrees(out, c.x)?;
    out.write_all(b",")?;
    write_degrees(out, c.y)?;
    out.write_all(b"]")
}

/// Writes an angle in degrees rounded to 7 decimals (half away from zero), without trailing zeros or `-0`.
pub(crate) fn write_degrees<W: Write>(out: &mut W, degrees: f64) -> io::Result<()> {
    if !degrees.is_finite() {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("coordinate {degrees} is not a finite number")));
    }
    if degrees.abs() >= 1e11 {
        // Not an angle; written as is rather than overflowing the fixed-point form.
        return serde_json::to_writer(out, &degrees).map_err(io::Error::from);
    }
    let mut buf = [0; 24];
    out.write_all(format_degrees(degrees, &mut buf))
}

/// `degrees` (finite, below 1e11 in magnitude) rounded to 7 decimals, formatted into the end of `buf`.
fn format_degrees(degrees: f64, buf: &mut [u8; 24]) -> &[u8] {
    let scaled = (degrees * DECIMALS_SCALE).round();
    let magnitude = scaled.abs() as u64;
    let mut int = magnitude / 10_000_000;
    let mut frac = magnitude % 10_000_000;
    let mut at = buf.len();
    let mut push = |byte: u8| {
        at -= 1;
        buf[at] = byte;
    };
    if frac != 0 {
        let mut digits = 7;
        while frac.is_multiple_of(10) {
            frac /= 10;
            digits -= 1;
        }
        for _ in 0..digits {
            push(b'0' + (frac % 10) as u8);
            frac /= 10;
        }
        push(b'.');
    }
    loop {
        push(b'0' + (int % 10) as u8);
        int /= 10;
        if int == 0 {
            break;
        }
    }
    if scaled < 0.0 {
        push(b'-');
    }
    &buf[at..]
}

/// Parses a GeoJSON geometry object.
pub(crate) fn parse(value: &Value) -> Result<geojson::Geometry, String> {
    geojson::Geometry::deserialize(value).map_err(|e| format!("geometry is not valid GeoJSON: {e}"))
}

/// The single polygon the features of `layer` carry: a `Polygon`, or a `MultiPolygon` holding one polygon (as
/// GIS tools often write).
pub(crate) fn to_polygon(value: &GeometryValue, layer: Layer, problems: &mut Vec<String>) -> Option<Polygon> {
    let polygon = match value {
        GeometryValue::Polygon { coordinates } => polygon(coordinates, "", problems)?,
        GeometryValue::MultiPolygon { coordinates } if coordinates.len() == 1 => {
            polygon(&coordinates[0], "", problems)?
        }
        GeometryValue::MultiPolygon { coordinates } => {
            problems.push(format!(
                "geometry is a MultiPolygon of {} polygons; {layer} need a single Polygon (make one feature per \
                 polygon)",
                coordinates.len()
            ));
            return None;
        }
        other => {
            problems.push(format!("geometry is a {}; {layer} need a Polygon", other.type_name()));
            return None;
        }
    };
    check_range(&polygon, problems).then_some(polygon)
}

/// Any geometry (points of interest).
pub(crate) fn to_geometry(value: &GeometryValue, problems: &mut Vec<String>) -> Option<Geometry> {
    let geometry = any(value, "", problems)?;
    check_range(&geometry, problems).then_some(geometry)
}

fn any(value: &GeometryValue, context: &str, problems: &mut Vec<String>) -> Option<Geometry> {
    Some(match value {
        GeometryValue::Point { coordinates } => Geometry::Point(Point(position(coordinates, context, problems)?)),
        GeometryValue::MultiPoint { coordinates } => {
            let points: Option<Vec<Point>> =
                coordinates.iter().map(|p| position(p, context, problems).map(Point)).collect();
            Geometry::MultiPoint(MultiPoint(points?))
        }
        GeometryValue::LineString { coordinates } => Geometry::LineString(line_string(coordinates, context, problems)?),
        GeometryValue::MultiLineString { coordinates } => {
            let mut lines = Vec::with_capacity(coordinates.len());
            let mut ok = true;
            for (i, line) in coordinates.iter().enumerate() {
                let context = format!("{context}line {i}: ");
                match line_string(line, &context, problems) {
                    Some(l) => lines.push(l),
                    None => ok = false,
                }
            }
            Geometry::MultiLineString(ok.then_some(MultiLineString(lines))?)
        }
        GeometryValue::Polygon { coordinates } => Geometry::Polygon(polygon(coordinates, context, problems)?),
        GeometryValue::MultiPolygon { coordinates } => {
            let mut polygons = Vec::with_capacity(coordinates.len());
            let mut ok = true;
            for (i, rings) in coordinates.iter().enumerate() {
                let context = format!("{context}polygon {i}: ");
                match polygon(rings, &context, problems) {
                    Some(p) => polygons.push(p),
                    None => ok = false,
                }
            }
            Geometry::MultiPolygon(ok.then_some(MultiPolygon(polygons))?)
        }
        GeometryValue::GeometryCollection { geometries } => {
            let mut members = Vec::with_capacity(geometries.len());
            let mut ok = true;
            for (i, g) in geometries.iter().enumerate() {
                let context = format!("{context}member {i}: ");
                match any(&g.value, &context, problems) {
                    Some(m) => members.push(m),
                    None => ok = false,
                }
            }
            Geometry::GeometryCollection(ok.then_some(GeometryCollection(members))?)
        }
    })
}

fn position(p: &Position, context: &str, problems: &mut Vec<String>) -> Option<Coord> {
    match p.as_slice() {
        [x, y, ..] => Some(Coord { x: *x, y: *y }),
        other => {
            problems.push(format!(
                "{context}a position has {} number(s); positions are [longitude, latitude]",
                other.len()
            ));
            None
        }
    }
}

fn coords(positions: &[Position], context: &str, problems: &mut Vec<String>) -> Option<Vec<Coord>> {
    let before = problems.len();
    let coords: Vec<Coord> = positions.iter().filter_map(|p| position(p, context, problems)).collect();
    // One message per malformed ring or line is enough.
    problems.truncate(before + 1);
    (coords.len() == positions.len()).then_some(coords)
}

fn line_string(positions: &[Position], context: &str, problems: &mut Vec<String>) -> Option<LineString> {
    let coords = coords(positions, context, problems)?;
    if coords.len() < 2 {
        problems.push(format!("{context}a LineString has {} position(s); it needs at least 2", coords.len()));
        return None;
    }
    Some(LineString(coords))
}

fn polygon(rings: &[Vec<Position>], context: &str, problems: &mut Vec<String>) -> Option<Polygon> {
    let Some((outer, holes)) = rings.split_first() else {
        problems.push(format!("{context}the polygon has no rings"));
        return None;
    };
    let exterior = ring(outer, context, "outer ring", problems);
    let mut interiors = Vec::with_capacity(holes.len());
    let mut ok = true;
    for (i, hole) in holes.iter().enumerate() {
        match ring(hole, context, &format!("hole {}", i + 1), problems) {
            Some(r) => interiors.push(r),
            None => ok = false,
        }
    }
    let exterior = exterior?;
    ok.then(|| Polygon::new(exterior, interiors))
}

fn ring(positions: &[Position], context: &str, which: &str, problems: &mut Vec<String>) -> Option<LineString> {
    let coords = coords(positions, context, problems)?;
    if coords.len() < 4 {
        problems.push(format!(
            "{context}the {which} has {} position(s); a closed ring needs at least 4 (the first repeated at the \
             end)",
            coords.len()
        ));
        return None;
    }
    let (first, last) = (coords[0], coords[coords.len() - 1]);
    if first != last {
        problems.push(format!(
            "{context}the {which} is not closed: it starts at [{}, {}] and ends at [{}, {}]; repeat the first \
             position at the end",
            first.x, first.y, last.x, last.y
        ));
        return None;
    }
    Some(LineString(coords))
}

/// Whether every coordinate is a longitude within ±180 and a latitude within ±90; reports the first that is not.
fn check_range(geometry: &impl CoordsIter<Scalar = f64>, problems: &mut Vec<String>) -> bool {
    let valid = |c: &Coord| (-180.0..=180.0).contains(&c.x) && (-90.0..=90.0).contains(&c.y);
    let mut bad = geometry.coords_iter().filter(|c| !valid(c));
    let Some(first) = bad.next() else {
        return true;
    };
    let count = 1 + bad.count();
    let hint = if (-90.0..=90.0).contains(&first.x) && (-180.0..=180.0).contains(&first.y) {
        " (latitude and longitude swapped? GeoJSON positions are [longitude, latitude])"
    } else {
        " (projected metres? coordinates must be CRS84 / EPSG:4490 degrees)"
    };
    problems.push(format!(
        "{count} position(s) out of range, the first [{}, {}]: longitude must lie within -180..180 and latitude \
         within -90..90{hint}",
        first.x, first.y
    ));
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn degrees(v: f64) -> String {
        let mut out = Vec::new();
        write_degrees(&mut out, v).expect("finite");
        String::from_utf8(out).expect("ascii")
    }

    fn written(geometry: GeometryRef<'_>) -> String {
        let mut out = Vec::new();
        write_geometry(&mut out, geometry).expect("writes");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn degrees_are_rounded_to_seven_decimals_without_trailing_zeros() {
        assert_eq!(degrees(108.123_456_78), "108.1234568");
        assert_eq!(degrees(-108.123_456_78), "-108.1234568");
        assert_eq!(degrees(108.123_456_71), "108.1234567");
        assert_eq!(degrees(108.1), "108.1");
        assert_eq!(degrees(108.0), "108");
        assert_eq!(degrees(21.500_000_04), "21.5");
        assert_eq!(degrees(0.000_000_1), "0.0000001");
        assert_eq!(degrees(-180.0), "-180");
    }

    #[test]
    fn tiny_negative_degrees_are_written_as_zero_not_minus_zero() {
        assert_eq!(degrees(-0.000_000_04), "0");
        assert_eq!(degrees(-0.0), "0");
    }

    #[test]
    fn non_finite_degrees_are_refused() {
        assert!(write_degrees(&mut Vec::new(), f64::NAN).is_err());
        assert!(write_degrees(&mut Vec::new(), f64::INFINITY).is_err());
    }

    #[test]
    fn seven_decimal_input_survives_a_round_trip_exactly() {
        // A deterministic spread of 7-decimal longitudes and latitudes, negative ones included.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let units = (state % 3_600_000_001) as i64 - 1_800_000_000;
            let text = format!(
                "{}{}.{:07}",
                if units < 0 { "-" } else { "" },
                units.unsigned_abs() / 10_000_000,
                units.unsigned_abs() % 10_000_000
            );
            let value: f64 = text.parse().expect("a number");
            let out = degrees(value);
            let back: f64 = out.parse().expect("a number");
            assert_eq!(back.to_bits(), value.to_bits(), "{text} -> {out}");
        }
    }

    #[test]
    fn clockwise_outer_rings_are_written_counter_clockwise_and_holes_clockwise() {
        let cw = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 0.0, y: 1.0), (x: 1.0, y: 1.0), (x: 1.0, y: 0.0)],
            interiors: [[(x: 0.2, y: 0.2), (x: 0.8, y: 0.2), (x: 0.8, y: 0.8), (x: 0.2, y: 0.8)]],
        );
        assert!(cw.exterior().is_cw() && cw.interiors()[0].is_ccw());
        let text = written(GeometryRef::Polygon(&cw));
        assert_eq!(
            text,
            "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1],[0,0]],\
             [[0.2,0.2],[0.2,0.8],[0.8,0.8],[0.8,0.2],[0.2,0.2]]]}"
        );
    }

    #[test]
    fn points_and_lines_are_written_with_their_own_types() {
        let point = Geometry::Point(Point::new(107.98, 21.55));
        assert_eq!(written(GeometryRef::Other(&point)), r#"{"type":"Point","coordinates":[107.98,21.55]}"#);
        let line = Geometry::LineString(LineString::from(vec![(107.9, 21.5), (108.0, 21.6)]));
        assert_eq!(
            written(GeometryRef::Other(&line)),
            r#"{"type":"LineString","coordinates":[[107.9,21.5],[108,21.6]]}"#
        );
    }

    #[test]
    fn an_open_ring_is_reported_with_its_ends() {
        let value: Value = serde_json::from_str(
            r#"{"type":"Polygon","coordinates":[[[108,21.5],[108.1,21.5],[108.1,21.6],[108,21.6]]]}"#,
        )
        .expect("json");
        let mut problems = Vec::new();
        let geometry = parse(&value).expect("geojson");
        assert!(to_polygon(&geometry.value, Layer::Parcels, &mut problems).is_none());
        assert_eq!(
            problems,
            vec![
                "the outer ring is not closed: it starts at [108, 21.5] and ends at [108, 21.6]; repeat the first \
                 position at the end"
            ]
        );
    }

    #[test]
    fn swapped_coordinates_are_reported_with_a_hint() {
        let value: Value = serde_json::from_str(
            r#"{"type":"Polygon","coordinates":[[[21.5,108],[21.5,108.1],[21.6,108.1],[21.5,108]]]}"#,
        )
        .expect("json");
        let mut problems = Vec::new();
        let geometry = parse(&value).expect("geojson");
        assert!(to_polygon(&geometry.value, Layer::Parcels, &mut problems).is_none());
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("4 position(s) out of range, the first [21.5, 108]")
                && problems[0].contains("swapped"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn a_multipolygon_of_one_polygon_is_taken_as_that_polygon() {
        let value: Value = serde_json::from_str(
            r#"{"type":"MultiPolygon","coordinates":[[[[108,21.5],[108.1,21.5],[108.1,21.6],[108,21.5]]]]}"#,
        )
        .expect("json");
        let mut problems = Vec::new();
        let geometry = parse(&value).expect("geojson");
        let polygon = to_polygon(&geometry.value, Layer::Parcels, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(polygon.map(|p| p.exterior().0.len()), Some(4));
    }
}
