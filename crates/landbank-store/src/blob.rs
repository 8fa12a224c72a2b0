//! GeoPackage geometry blobs (GeoPackageBinary: `GP` header, envelope, WKB) in EPSG:4490, written and read with
//! geozero's GeoPackage dialect.

use geo::{BoundingRect, Geometry, Polygon};
use geozero::wkb::GpkgWkb;
use geozero::{CoordDimensions, ToGeo, ToWkb};

/// The spatial reference system of every geometry landbank stores: CGCS2000 longitude/latitude.
pub(crate) const SRS_ID: i32 = 4490;

/// Header flag: the geometry is empty.
const EMPTY_FLAG: u8 = 0b0001_0000;
/// Header flag: an extended (non-standard) geometry type follows.
const EXTENDED_FLAG: u8 = 0b0010_0000;

/// An axis-aligned envelope in degrees, in the order the GeoPackage header stores it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Envelope {
    pub min_x: f64,
    pub max_x: f64,
    pub min_y: f64,
    pub max_y: f64,
}

impl Envelope {
    /// The envelope of a geometry, or `None` when it has no coordinates.
    pub(crate) fn of(geometry: &Geometry) -> Option<Envelope> {
        geometry.bounding_rect().map(|r| Envelope {
            min_x: r.min().x,
            max_x: r.max().x,
            min_y: r.min().y,
            max_y: r.max().y,
        })
    }

    /// The smallest envelope holding both.
    #[must_use]
    pub(crate) fn union(self, other: Envelope) -> Envelope {
        Envelope {
            min_x: self.min_x.min(other.min_x),
            max_x: self.max_x.max(other.max_x),
            min_y: self.min_y.min(other.min_y),
            max_y: self.max_y.max(other.max_y),
        }
    }
}

/// Grows an optional running envelope by another optional one.
pub(crate) fn extend(total: &mut Option<Envelope>, next: Option<Envelope>) {
    if let Some(next) = next {
        *total = Some(total.map_or(next, |t| t.union(next)));
    }
}

/// Encodes a geometry as a GeoPackage blob with its envelope in the header; returns the envelope too
/// (`None` for an empty geometry, which gets the header's empty flag instead).
pub(crate) fn encode(geometry: &Geometry) -> Result<(Vec<u8>, Option<Envelope>), String> {
    let envelope = Envelope::of(geometry);
    let header_envelope = envelope.map_or_else(Vec::new, |e| vec![e.min_x, e.max_x, e.min_y, e.max_y]);
    let mut blob =
        geometry.to_gpkg_wkb(CoordDimensions::xy(), Some(SRS_ID), header_envelope).map_err(|e| e.to_string())?;
    if envelope.is_none() {
        blob[3] |= EMPTY_FLAG;
    }
    Ok((blob, envelope))
}

/// Encodes a polygon (geozero encodes `Geometry` values only, so the polygon is wrapped in a copy).
pub(crate) fn encode_polygon(polygon: &Polygon) -> Result<(Vec<u8>, Option<Envelope>), String> {
    encode(&Geometry::Polygon(polygon.clone()))
}

/// Decodes a GeoPackage blob.
pub(crate) fn decode(blob: &[u8]) -> Result<Geometry, String> {
    let header = Header::parse(blob)?;
    if header.extended {
        return Err("extended geometry types are not supported".to_owned());
    }
    GpkgWkb(blob).to_geo().map_err(|e| e.to_string())
}

/// Decodes a GeoPackage blob that must hold a polygon.
pub(crate) fn decode_polygon(blob: &[u8]) -> Result<Polygon, String> {
    match decode(blob)? {
        Geometry::Polygon(p) => Ok(p),
        other => Err(format!("expected a polygon, found a {}", kind(&other))),
    }
}

/// The envelope of the geometry in a blob, from the header when it has one, or `None` when the geometry is empty.
pub(crate) fn extent(blob: &[u8]) -> Result<Option<Envelope>, String> {
    let header = Header::parse(blob)?;
    if header.empty {
        return Ok(None);
    }
    if let Some(envelope) = header.envelope {
        return Ok(Some(envelope));
    }
    Ok(Envelope::of(&decode(blob)?))
}

/// Whether the geometry in a blob is empty (by the header flag, or by having no coordinates).
pub(crate) fn is_empty(blob: &[u8]) -> Result<bool, String> {
    extent(blob).map(|e| e.is_none())
}

/// The GeoPackageBinary header fields the store needs.
struct Header {
    empty: bool,
    extended: bool,
    envelope: Option<Envelope>,
}

impl Header {
    fn parse(blob: &[u8]) -> Result<Header, String> {
        if blob.len() < 8 || &blob[..2] != b"GP" {
            return Err("not a geopackage geometry blob".to_owned());
        }
        let flags = blob[3];
        let little_endian = flags & 1 == 1;
        let doubles = match (flags >> 1) & 0b111 {
            0 => 0,
            1 => 4,
            2 | 3 => 6,
            4 => 8,
            other => return Err(format!("invalid envelope indicator {other}")),
        };
        let body = &blob[8..];
        if body.len() < doubles * 8 {
            return Err("truncated geopackage geometry header".to_owned());
        }
        let read = |i: usize| {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(&body[i * 8..i * 8 + 8]);
            if little_endian { f64::from_le_bytes(bytes) } else { f64::from_be_bytes(bytes) }
        };
        let envelope = (doubles >= 4)
            .then(|| Envelope { min_x: read(0), max_x: read(1), min_y: read(2), max_y: read(3) })
            .filter(|e| !(e.min_x.is_nan() || e.max_x.is_nan() || e.min_y.is_nan() || e.max_y.is_nan()));
        Ok(Header { empty: flags & EMPTY_FLAG != 0, extended: flags & EXTENDED_FLAG != 0, envelope })
    }
}

/// The WKB name of a geometry's type, for messages.
fn kind(geometry: &Geometry) -> &'static str {
    match geometry {
        Geometry::Point(_) => "point",
        Geometry::Line(_) | Geometry::LineString(_) => "linestring",
        Geometry::Polygon(_) | Geometry::Rect(_) | Geometry::Triangle(_) => "polygon",
        Geometry::MultiPoint(_) => "multipoint",
        Geometry::MultiLineString(_) => "multilinestring",
        Geometry::MultiPolygon(_) => "multipolygon",
        Geometry::GeometryCollection(_) => "geometrycollection",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Point, polygon};

    fn square() -> Polygon {
        polygon![(x: 108.0, y: 21.5), (x: 108.001, y: 21.5), (x: 108.001, y: 21.501), (x: 108.0, y: 21.501)]
    }

    #[test]
    fn a_polygon_survives_encoding_bit_for_bit() {
        let p = square();
        let (blob, envelope) = encode_polygon(&p).unwrap();
        assert_eq!(&blob[..2], b"GP");
        assert_eq!(i32::from_le_bytes(blob[4..8].try_into().unwrap()), 4490);
        assert_eq!(decode_polygon(&blob).unwrap(), p);
        assert_eq!(extent(&blob).unwrap(), envelope);
        assert_eq!(envelope.unwrap().max_y.to_bits(), 21.501_f64.to_bits());
    }

    #[test]
    fn a_line_is_not_a_polygon() {
        let line = Geometry::LineString(LineString::from(vec![(108.0, 21.5), (108.1, 21.6)]));
        let (blob, _) = encode(&line).unwrap();
        assert_eq!(decode(&blob).unwrap(), line);
        let err = decode_polygon(&blob).unwrap_err();
        assert_eq!(err, "expected a polygon, found a linestring");
    }

    #[test]
    fn a_point_has_a_degenerate_envelope() {
        let (blob, envelope) = encode(&Geometry::Point(Point::new(107.98, 21.54))).unwrap();
        let e = envelope.unwrap();
        assert_eq!((e.min_x, e.max_x), (107.98, 107.98));
        assert!(!is_empty(&blob).unwrap());
    }

    #[test]
    fn an_empty_polygon_carries_the_empty_flag() {
        let empty = Polygon::new(LineString::new(vec![]), vec![]);
        let (blob, envelope) = encode_polygon(&empty).unwrap();
        assert!(envelope.is_none());
        assert!(is_empty(&blob).unwrap());
    }

    #[test]
    fn garbage_is_not_a_blob() {
        assert!(decode(b"hello world").is_err());
        assert!(extent(b"GP").is_err());
    }
}
