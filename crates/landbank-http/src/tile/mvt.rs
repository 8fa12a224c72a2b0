//! Drawing one tile: each layer's records in the tile, projected to tile coordinates, simplified, clipped to the
//! buffered tile, snapped to the integer grid with MVT 2.1 winding, and encoded as a Mapbox Vector Tile.
//!
//! All geometry work happens in tile coordinates (`0..EXTENT`, y down). There the MVT rule "exterior rings have a
//! positive surveyor's area" is geo's counter-clockwise (`Direction::Default`); in y-up map space it would be
//! `Direction::Reversed`. The winding is fixed *after* snapping to integers, from the exact integer area, so that
//! rounding can never leave a ring the wrong way round.

use std::collections::HashMap;

use geo::{
    Area, BooleanOps, BoundingRect, Coord, Geometry, LineString, MapCoords, MultiLineString, MultiPoint, MultiPolygon,
    Point, Polygon, Rect, Simplify,
};
use geozero::ToMvt;
use geozero::error::GeozeroError;
use geozero::mvt::{Message, Tile, TileValue, tile};
use landbank_geojson::{GeometryRef, PropertyValue, RecordRef, records};
use landbank_inventory::{BBox, Inventory, Layer};

use super::LayerSet;
use super::mercator::{BUFFER, EXTENT, TileId};

/// Simplification tolerance in tile units: half a pixel of a tile drawn 512 px wide (MapLibre's size for vector
/// tiles: 4096 / 512 = 8 units a pixel), so the same on screen at every zoom.
pub const SIMPLIFY_TOLERANCE: f64 = 4.0;

/// Polygons smaller than this on the tile, in square tile units, are left out: half a pixel square, the same
/// threshold as [`SIMPLIFY_TOLERANCE`]. Judged on the whole polygon, not on the part inside the tile.
pub const MIN_AREA: f64 = SIMPLIFY_TOLERANCE * SIMPLIFY_TOLERANCE;

/// The encoded tile of the given layers (one MVT layer each, named after the collection), or an empty vector when
/// no feature of any of them reaches the tile.
pub fn encode(inventory: &Inventory, layers: LayerSet, tile: TileId) -> Result<Vec<u8>, GeozeroError> {
    let frame = Frame::new(tile);
    let mut drawn = Tile { layers: Vec::new() };
    for layer in layers.iter() {
        let layer = draw_layer(inventory, layer, &frame)?;
        if !layer.features.is_empty() {
            drawn.layers.push(layer);
        }
    }
    Ok(if drawn.layers.is_empty() { Vec::new() } else { drawn.encode_to_vec() })
}

/// The records of a layer that may reach the box (their bounding boxes meet it), in id order: through the R-tree
/// for parcels and buildings, by a scan of the (small) other layers.
pub fn candidates(inventory: &Inventory, layer: Layer, bbox: BBox) -> Vec<RecordRef<'_>> {
    let mut found: Vec<RecordRef<'_>> = match layer {
        Layer::Parcels => inventory.parcels_near_bbox(bbox).map(RecordRef::Parcel).collect(),
        Layer::Buildings => inventory.buildings_near_bbox(bbox).map(RecordRef::Building).collect(),
        Layer::Zones | Layer::Units | Layer::Projects | Layer::Pois => {
            records(inventory, layer).filter(|r| r.bbox(inventory).is_some_and(|b| b.intersects(&bbox))).collect()
        }
    };
    found.sort_unstable_by_key(|r| r.id());
    found
}

fn draw_layer(inventory: &Inventory, layer: Layer, frame: &Frame) -> Result<tile::Layer, GeozeroError> {
    let mut tags = Tags::default();
    let candidates = candidates(inventory, layer, frame.bbox);
    let mut features = Vec::with_capacity(candidates.len());
    for record in candidates {
        let Some(geometry) = record.geometry(inventory).and_then(|g| frame.draw(g)) else { continue };
        let mut feature = geometry.to_mvt_unscaled()?;
        feature.id = u64::try_from(record.id()).ok();
        feature.tags.reserve(2 * tags.columns.len().max(8));
        let mut position = 0;
        let Ok(()) = record.try_each_property(inventory, |spec, value| {
            let property = position;
            position += 1;
            // Tiles are public and shared by every reader: restricted properties never go into them.
            if !spec.restricted
                && let Some(value) = Tag::of(value)
            {
                feature.tags.extend(tags.insert(property, spec.name, value));
            }
            Ok::<_, std::convert::Infallible>(())
        });
        features.push(feature);
    }
    Ok(tile::Layer {
        version: 2,
        name: layer.code().to_owned(),
        features,
        keys: tags.keys,
        values: tags.values,
        extent: Some(EXTENT),
    })
}

/// The keys and values of one MVT layer, each kept once (MVT 2.1 §4.4), found again without allocating.
#[derive(Default)]
struct Tags<'a> {
    keys: Vec<String>,
    /// Each property of the layer's schema, by position in the schema, once a feature has used it.
    columns: Vec<Option<Column<'a>>>,
    values: Vec<tile::Value>,
    value_of: HashMap<Tag<'a>, u32, foldhash::fast::RandomState>,
}

/// A property's key, and the value it had last with that value's index: features drawn one after another
/// (neighbours by id) often share a value, which is then found without hashing.
struct Column<'a> {
    key: u32,
    last: Option<(Tag<'a>, u32)>,
}

impl<'a> Tags<'a> {
    /// The key and value indices of the `property`-th property of the schema, called `name`, with `value`.
    fn insert(&mut self, property: usize, name: &str, value: Tag<'a>) -> [u32; 2] {
        let Tags { keys, columns, values, value_of } = self;
        if columns.len() <= property {
            columns.resize_with(property + 1, || None);
        }
        let column = columns[property].get_or_insert_with(|| {
            keys.push(name.to_owned());
            Column { key: u32::try_from(keys.len() - 1).expect("fewer keys than properties"), last: None }
        });
        if let Some((last, index)) = &column.last
            && *last == value
        {
            return [column.key, *index];
        }
        let index = *value_of.entry(value.clone()).or_insert_with_key(|value| {
            values.push(value.to_mvt());
            u32::try_from(values.len() - 1).expect("fewer than 2³² values in a tile")
        });
        column.last = Some((value, index));
        [column.key, index]
    }
}

/// A property value that can go into a tile, borrowed from the record where it can be.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Tag<'a> {
    Str(&'a str),
    Text(String),
    Int(i64),
    /// The bits of an `f64`.
    Double(u64),
    Bool(bool),
    Date(jiff::civil::Date),
}

impl<'a> Tag<'a> {
    /// A property as an MVT value; `null` and lists are left out (MVT has neither).
    fn of(value: PropertyValue<'a>) -> Option<Tag<'a>> {
        match value {
            PropertyValue::Null | PropertyValue::Strings(_) | PropertyValue::Integers(_) => None,
            PropertyValue::Integer(v) => Some(Tag::Int(v)),
            PropertyValue::Number(v) => Some(Tag::Double(v.to_bits())),
            PropertyValue::String(v) => Some(Tag::Str(v)),
            PropertyValue::Text(v) => Some(Tag::Text(v)),
            PropertyValue::Boolean(v) => Some(Tag::Bool(v)),
            PropertyValue::Date(v) => Some(Tag::Date(v)),
        }
    }

    fn to_mvt(&self) -> tile::Value {
        let value = match self {
            Tag::Str(v) => TileValue::Str((*v).to_owned()),
            Tag::Text(v) => TileValue::Str(v.clone()),
            Tag::Int(v) => TileValue::Int(*v),
            Tag::Double(bits) => TileValue::Double(f64::from_bits(*bits)),
            Tag::Bool(v) => TileValue::Bool(*v),
            Tag::Date(v) => TileValue::Str(v.to_string()),
        };
        value.into()
    }
}

/// One tile being drawn: where it is, and the buffered square geometry is clipped to.
struct Frame {
    tile: TileId,
    /// The buffered tile in longitude/latitude, for the index query.
    bbox: BBox,
    /// The buffered tile in tile coordinates.
    clip: Rect,
    clip_polygon: Polygon,
}

impl Frame {
    fn new(tile: TileId) -> Frame {
        let (low, high) = (-f64::from(BUFFER), f64::from(EXTENT + BUFFER));
        let clip = Rect::new(Coord { x: low, y: low }, Coord { x: high, y: high });
        Frame { tile, bbox: tile.bbox(BUFFER), clip, clip_polygon: clip.to_polygon() }
    }

    /// A stored geometry as tile geometry with integer coordinates, or `None` when nothing of it is left.
    fn draw(&self, geometry: GeometryRef<'_>) -> Option<Geometry> {
        match geometry {
            GeometryRef::Polygon(p) => self.polygons(std::slice::from_ref(p)),
            GeometryRef::Other(g) => match g {
                Geometry::Point(p) => self.points(std::slice::from_ref(p)),
                Geometry::MultiPoint(mp) => self.points(&mp.0),
                Geometry::Line(l) => self.lines(&[LineString::from(*l)]),
                Geometry::LineString(l) => self.lines(std::slice::from_ref(l)),
                Geometry::MultiLineString(ml) => self.lines(&ml.0),
                Geometry::Polygon(p) => self.polygons(std::slice::from_ref(p)),
                Geometry::MultiPolygon(mp) => self.polygons(&mp.0),
                Geometry::Rect(r) => self.polygons(&[r.to_polygon()]),
                Geometry::Triangle(t) => self.polygons(&[t.to_polygon()]),
                // MVT has no collections.
                Geometry::GeometryCollection(_) => None,
            },
        }
    }

    fn project<G: MapCoords<f64, f64, Output = G>>(&self, geometry: &G) -> G {
        geometry.map_coords(|c| self.tile.project(c))
    }

    /// Whether `bounds` lies inside the buffered tile, and whether it reaches it at all.
    fn placement(&self, bounds: Rect) -> (bool, bool) {
        let (c, b) = (self.clip, bounds);
        let inside =
            b.min().x >= c.min().x && b.max().x <= c.max().x && b.min().y >= c.min().y && b.max().y <= c.max().y;
        let reaches =
            b.min().x <= c.max().x && b.max().x >= c.min().x && b.min().y <= c.max().y && b.max().y >= c.min().y;
        (inside, reaches)
    }

    fn polygons(&self, polygons: &[Polygon]) -> Option<Geometry> {
        let mut out = Vec::new();
        for polygon in polygons {
            let projected = self.project(polygon);
            let Some(bounds) = projected.bounding_rect() else { continue };
            let (inside, reaches) = self.placement(bounds);
            if !reaches || projected.unsigned_area() < MIN_AREA {
                continue;
            }
            let shape = simplified(projected);
            if inside {
                out.extend(snap_polygon(&shape));
            } else {
                out.extend(shape.intersection(&self.clip_polygon).iter().filter_map(snap_polygon));
            }
        }
        match out.len() {
            0 => None,
            1 => out.pop().map(Geometry::Polygon),
            _ => Some(Geometry::MultiPolygon(MultiPolygon(out))),
        }
    }

    fn lines(&self, lines: &[LineString]) -> Option<Geometry> {
        let mut out = Vec::new();
        for line in lines {
            let projected = self.project(line);
            let Some(bounds) = projected.bounding_rect() else { continue };
            let (inside, reaches) = self.placement(bounds);
            if !reaches {
                continue;
            }
            let shape = projected.simplify(SIMPLIFY_TOLERANCE);
            if inside {
                out.extend(snap_line(&shape));
            } else {
                let clipped = self.clip_polygon.clip(&MultiLineString(vec![shape]), false);
                out.extend(clipped.iter().filter_map(snap_line));
            }
        }
        match out.len() {
            0 => None,
            1 => out.pop().map(Geometry::LineString),
            _ => Some(Geometry::MultiLineString(MultiLineString(out))),
        }
    }

    fn points(&self, points: &[Point]) -> Option<Geometry> {
        let mut out: Vec<Point> = points
            .iter()
            .map(|p| self.project(p))
            .filter(|p| self.clip.min().x <= p.x() && p.x() <= self.clip.max().x)
            .filter(|p| self.clip.min().y <= p.y() && p.y() <= self.clip.max().y)
            .map(|p| Point::new(p.x().round(), p.y().round()))
            .collect();
        out.dedup();
        match out.len() {
            0 => None,
            1 => out.pop().map(Geometry::Point),
            _ => Some(Geometry::MultiPoint(MultiPoint(out))),
        }
    }
}

/// The polygon simplified by [`SIMPLIFY_TOLERANCE`], or as it was when simplifying would collapse its exterior.
fn simplified(polygon: Polygon) -> Polygon {
    if polygon.exterior().0.len() <= 5 {
        return polygon;
    }
    let simple = polygon.simplify(SIMPLIFY_TOLERANCE);
    if simple.exterior().0.len() >= 4 && twice_area(&simple.exterior().0).abs() >= 1.0 { simple } else { polygon }
}

/// Twice the signed (surveyor's) area of a closed ring; positive when it turns from +x towards +y.
fn twice_area(ring: &[Coord]) -> f64 {
    ring.windows(2).map(|w| w[0].x * w[1].y - w[1].x * w[0].y).sum()
}

/// The ring on the integer grid without repeated points, closed, with its doubled signed area; `None` when fewer
/// than three distinct points or no area are left.
fn snap_ring(ring: &LineString) -> Option<(LineString, i64)> {
    let mut points: Vec<Coord> = Vec::with_capacity(ring.0.len());
    for c in &ring.0 {
        let snapped = Coord { x: c.x.round(), y: c.y.round() };
        if points.last() != Some(&snapped) {
            points.push(snapped);
        }
    }
    while points.len() > 1 && points.first() == points.last() {
        points.pop();
    }
    if points.len() < 3 {
        return None;
    }
    points.push(points[0]);
    // Exact: snapped coordinates are small integers.
    let area: i64 = points.windows(2).map(|w| w[0].x as i64 * w[1].y as i64 - w[1].x as i64 * w[0].y as i64).sum();
    (area != 0).then_some((LineString(points), area))
}

/// The polygon on the integer grid, exterior with positive area and holes with negative area in tile
/// coordinates (MVT 2.1 §4.3.4.4); `None` when its exterior collapses. Collapsed holes are dropped.
fn snap_polygon(polygon: &Polygon) -> Option<Polygon> {
    let (mut exterior, area) = snap_ring(polygon.exterior())?;
    if area < 0 {
        exterior.0.reverse();
    }
    let holes = polygon
        .interiors()
        .iter()
        .filter_map(snap_ring)
        .map(|(mut hole, area)| {
            if area > 0 {
                hole.0.reverse();
            }
            hole
        })
        .collect();
    Some(Polygon::new(exterior, holes))
}

/// The line on the integer grid without repeated points; `None` when fewer than two points are left.
fn snap_line(line: &LineString) -> Option<LineString> {
    let mut points: Vec<Coord> = line.0.iter().map(|c| Coord { x: c.x.round(), y: c.y.round() }).collect();
    points.dedup();
    (points.len() >= 2).then_some(LineString(points))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{line_string, polygon};

    fn frame() -> Frame {
        Frame::new(TileId { z: 0, x: 0, y: 0 })
    }

    #[test]
    fn a_snapped_exterior_has_positive_area_in_tile_coordinates_whatever_its_input_winding() {
        let square = polygon![(x: 10.2, y: 10.0), (x: 10.0, y: 20.0), (x: 20.0, y: 20.0), (x: 20.0, y: 10.0)];
        for input in
            [square.clone(), Polygon::new(LineString(square.exterior().0.iter().rev().copied().collect()), vec![])]
        {
            let snapped = snap_polygon(&input).expect("a square stays");
            assert!(twice_area(&snapped.exterior().0) > 0.0, "{snapped:?}");
        }
    }

    #[test]
    fn a_polygon_smaller_than_a_tile_unit_collapses_and_is_dropped() {
        let speck = polygon![(x: 10.1, y: 10.1), (x: 10.3, y: 10.1), (x: 10.3, y: 10.3), (x: 10.1, y: 10.3)];
        assert!(snap_polygon(&speck).is_none());
        assert!(frame().polygons(&[]).is_none());
    }

    #[test]
    fn polygons_smaller_than_half_a_pixel_square_are_left_out() {
        // At z0 one tile unit is about 9.8 km: a 10 km square covers about one unit, a 100 km square about 100.
        let f = frame();
        let square = |side_deg: f64| polygon![(x: 0.0, y: 0.0), (x: side_deg, y: 0.0), (x: side_deg, y: side_deg), (x: 0.0, y: side_deg)];
        assert!(f.polygons(&[square(0.09)]).is_none());
        assert!(f.polygons(&[square(0.9)]).is_some());
    }

    #[test]
    fn holes_are_wound_against_their_exterior_and_collapsed_holes_are_dropped() {
        let outer = line_string![(x: 0.0, y: 0.0), (x: 100.0, y: 0.0), (x: 100.0, y: 100.0), (x: 0.0, y: 100.0)];
        let hole = line_string![(x: 40.0, y: 40.0), (x: 60.0, y: 40.0), (x: 60.0, y: 60.0), (x: 40.0, y: 60.0)];
        let speck = line_string![(x: 10.1, y: 10.1), (x: 10.2, y: 10.1), (x: 10.2, y: 10.2)];
        let snapped = snap_polygon(&Polygon::new(outer, vec![hole, speck])).expect("stays");
        assert!(twice_area(&snapped.exterior().0) > 0.0);
        assert_eq!(snapped.interiors().len(), 1);
        assert!(twice_area(&snapped.interiors()[0].0) < 0.0);
    }

    #[test]
    fn simplifying_drops_vertices_closer_than_half_a_pixel() {
        let circle: Vec<Coord> = (0..1_000)
            .map(|i| f64::from(i) * std::f64::consts::TAU / 1_000.0)
            .map(|a| Coord { x: 2_000.0 + 1_000.0 * a.cos(), y: 2_000.0 + 1_000.0 * a.sin() })
            .collect();
        let simple = simplified(Polygon::new(LineString(circle), vec![]));
        assert!(simple.exterior().0.len() < 200, "{} vertices", simple.exterior().0.len());
    }

    #[test]
    fn simplifying_a_sliver_thinner_than_the_tolerance_never_collapses_it() {
        let mut ring: Vec<Coord> = (0..=10).map(|i| Coord { x: f64::from(i) * 20.0, y: f64::from(i % 2) }).collect();
        ring.extend((0..=10).rev().map(|i| Coord { x: f64::from(i) * 20.0, y: 2.0 + f64::from(i % 2) }));
        let kept = simplified(Polygon::new(LineString(ring), vec![]));
        assert!(kept.exterior().0.len() >= 4, "{kept:?}");
        assert!(twice_area(&kept.exterior().0).abs() >= 1.0, "{kept:?}");
    }

    #[test]
    fn lines_crossing_the_buffered_tile_are_cut_at_its_edge() {
        let f = Frame::new(TileId { z: 1, x: 0, y: 0 });
        // Along the equator from 170°W to 170°E: crosses tile (1, 0, 0) and leaves it at its east edge.
        let line = line_string![(x: -170.0, y: 0.0), (x: 170.0, y: 0.0)];
        let Some(Geometry::LineString(cut)) = f.lines(&[line]) else { panic!("a line") };
        let xs: Vec<f64> = cut.0.iter().map(|c| c.x).collect();
        assert!(xs.iter().all(|x| (-64.0..=4160.0).contains(x)), "{xs:?}");
        assert!(xs.contains(&4160.0), "{xs:?}");
    }

    #[test]
    fn points_outside_the_buffered_tile_are_left_out() {
        let f = Frame::new(TileId { z: 1, x: 0, y: 0 });
        let points = [Point::new(-90.0, 45.0), Point::new(90.0, 45.0)];
        assert!(matches!(f.points(&points), Some(Geometry::Point(_))));
    }
}
