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
use landbank_geojson::{GeometryRef, PropertyValue, RecordRef, records};
use landbank_inventory::{BBox, Inventory, Layer};
use prost::encoding::{encode_varint, encoded_len_varint};

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
///
/// Each feature is written straight into its layer's buffer as it is drawn (protobuf wire format, fields in the
/// order of their numbers, as prost writes them), so no message tree is built and measured before encoding.
pub fn encode(inventory: &Inventory, layers: LayerSet, tile: TileId) -> Vec<u8> {
    let frame = Frame::new(tile);
    let mut out = Vec::new();
    let mut scratch = Scratch::default();
    for layer in layers.iter() {
        draw_layer(inventory, layer, &frame, &mut scratch, &mut out);
    }
    out
}

/// Whether the tile is small enough to draw without leaving the request's task: only layers found through an
/// R-tree (parcels, buildings; the others are scanned whole), and at most `limit` of their records near its
/// buffered box.
pub fn is_small(inventory: &Inventory, layers: LayerSet, tile: TileId, limit: usize) -> bool {
    let bbox = tile.bbox(BUFFER);
    let mut near = 0;
    for layer in layers.iter() {
        near += match layer {
            Layer::Parcels => inventory.parcels_near_bbox(bbox).take(limit + 1).count(),
            Layer::Buildings => inventory.buildings_near_bbox(bbox).take(limit + 1).count(),
            Layer::Zones | Layer::Units | Layer::Projects | Layer::Pois => return false,
        };
        if near > limit {
            return false;
        }
    }
    true
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

/// Buffers reused from feature to feature and layer to layer of one tile.
#[derive(Default)]
struct Scratch {
    /// The encoded features of the layer being drawn.
    features: Vec<u8>,
    /// One feature's tags: key and value indices in turn.
    tags: Vec<u32>,
    /// One feature's geometry commands and parameters.
    commands: Vec<u32>,
}

/// Draws the layer's features reaching the tile and appends the layer to `out` (as field `layers` of a `Tile`),
/// or leaves `out` as it was when none does.
fn draw_layer(inventory: &Inventory, layer: Layer, frame: &Frame, scratch: &mut Scratch, out: &mut Vec<u8>) {
    let candidates = candidates(inventory, layer, frame.bbox);
    let mut tags = Tags::with_capacity(candidates.len());
    scratch.features.clear();
    for record in candidates {
        let Some(geometry) = record.geometry(inventory).and_then(|g| frame.draw(g)) else { continue };
        scratch.commands.clear();
        let kind = commands(&geometry, &mut scratch.commands);
        scratch.tags.clear();
        let mut position = 0;
        let Ok(()) = record.try_each_property(inventory, |spec, value| {
            let property = position;
            position += 1;
            // Tiles are public and shared by every reader: restricted properties never go into them.
            if !spec.restricted
                && let Some(value) = Tag::of(value)
            {
                scratch.tags.extend(tags.insert(property, spec.name, value));
            }
            Ok::<_, std::convert::Infallible>(())
        });
        let id = u64::try_from(record.id()).ok();
        write_feature(&mut scratch.features, id, &scratch.tags, kind, &scratch.commands);
    }
    if scratch.features.is_empty() {
        return;
    }
    let name = layer.code();
    let keys: usize = tags.keys.iter().map(|k| 1 + len_delimited(k.len())).sum();
    // name, features, keys, values, extent and version, as written below.
    let body = 1
        + len_delimited(name.len())
        + scratch.features.len()
        + keys
        + tags.values.len()
        + 1
        + encoded_len_varint(u64::from(EXTENT))
        + 2;
    out.reserve(1 + len_delimited(body));
    out.push(field::TILE_LAYER);
    varint(out, body);
    out.push(field::LAYER_NAME);
    bytes(out, name.as_bytes());
    out.extend_from_slice(&scratch.features);
    for key in &tags.keys {
        out.push(field::LAYER_KEY);
        bytes(out, key.as_bytes());
    }
    out.extend_from_slice(&tags.values);
    out.push(field::LAYER_EXTENT);
    varint(out, EXTENT as usize);
    out.extend_from_slice(&[field::LAYER_VERSION, 2]);
}

/// Field keys (field number << 3 | wire type) of `vector_tile.proto` (MVT 2.1), each one byte.
mod field {
    pub const TILE_LAYER: u8 = 3 << 3 | 2;
    pub const LAYER_VERSION: u8 = 15 << 3;
    pub const LAYER_NAME: u8 = 1 << 3 | 2;
    pub const LAYER_FEATURE: u8 = 2 << 3 | 2;
    pub const LAYER_KEY: u8 = 3 << 3 | 2;
    pub const LAYER_VALUE: u8 = 4 << 3 | 2;
    pub const LAYER_EXTENT: u8 = 5 << 3;
    pub const FEATURE_ID: u8 = 1 << 3;
    pub const FEATURE_TAGS: u8 = 2 << 3 | 2;
    pub const FEATURE_TYPE: u8 = 3 << 3;
    pub const FEATURE_GEOMETRY: u8 = 4 << 3 | 2;
    pub const VALUE_STRING: u8 = 1 << 3 | 2;
    pub const VALUE_DOUBLE: u8 = 3 << 3 | 1;
    pub const VALUE_INT: u8 = 4 << 3;
    pub const VALUE_BOOL: u8 = 7 << 3;
}

/// `GeomType` of `vector_tile.proto`.
#[derive(Clone, Copy)]
#[repr(u8)]
enum GeomType {
    Point = 1,
    LineString = 2,
    Polygon = 3,
}

fn varint(out: &mut Vec<u8>, value: usize) {
    uvarint(out, value as u64);
}

/// A base-128 varint; most of a tile's are tag indices and coordinate deltas below 2¹⁴, written as one or two
/// bytes without going through `BufMut`.
#[inline]
fn uvarint(out: &mut Vec<u8>, value: u64) {
    if value < 0x80 {
        out.push(value as u8);
    } else if value < 0x4000 {
        out.extend_from_slice(&[value as u8 | 0x80, (value >> 7) as u8]);
    } else {
        encode_varint(value, out);
    }
}

/// Bytes taken by a length-delimited field's length and payload of `len` bytes.
fn len_delimited(len: usize) -> usize {
    encoded_len_varint(len as u64) + len
}

/// A length-delimited payload (after its key).
fn bytes(out: &mut Vec<u8>, payload: &[u8]) {
    varint(out, payload.len());
    out.extend_from_slice(payload);
}

/// Bytes taken by a packed repeated `uint32` field's payload.
fn packed_len(values: &[u32]) -> usize {
    values
        .iter()
        .map(|&v| {
            if v < 0x80 {
                1
            } else if v < 0x4000 {
                2
            } else {
                encoded_len_varint(u64::from(v))
            }
        })
        .sum()
}

fn packed(out: &mut Vec<u8>, values: &[u32]) {
    varint(out, packed_len(values));
    for &v in values {
        uvarint(out, u64::from(v));
    }
}

/// Appends one feature (as field `features` of a `Layer`): id, tags (left out when empty), type, geometry.
fn write_feature(out: &mut Vec<u8>, id: Option<u64>, tags: &[u32], kind: GeomType, commands: &[u32]) {
    let tags_len = packed_len(tags);
    let commands_len = packed_len(commands);
    let body = id.map_or(0, |id| 1 + encoded_len_varint(id))
        + if tags.is_empty() { 0 } else { 1 + len_delimited(tags_len) }
        + 2
        + 1
        + len_delimited(commands_len);
    out.reserve(1 + len_delimited(body));
    out.push(field::LAYER_FEATURE);
    varint(out, body);
    if let Some(id) = id {
        out.push(field::FEATURE_ID);
        uvarint(out, id);
    }
    if !tags.is_empty() {
        out.push(field::FEATURE_TAGS);
        packed(out, tags);
    }
    out.extend_from_slice(&[field::FEATURE_TYPE, kind as u8, field::FEATURE_GEOMETRY]);
    packed(out, commands);
}

/// The MVT geometry commands of a geometry already on the integer grid (MVT 2.1 §4.3), from a cursor at the
/// origin: `MoveTo`, `LineTo` and `ClosePath` with zigzag-encoded deltas.
fn commands(geometry: &Geometry, out: &mut Vec<u32>) -> GeomType {
    let mut pen = Pen::default();
    match geometry {
        Geometry::Point(p) => {
            pen.points(out, std::slice::from_ref(p));
            GeomType::Point
        }
        Geometry::MultiPoint(mp) => {
            pen.points(out, &mp.0);
            GeomType::Point
        }
        Geometry::LineString(line) => {
            pen.line(out, &line.0);
            GeomType::LineString
        }
        Geometry::MultiLineString(lines) => {
            lines.iter().for_each(|line| pen.line(out, &line.0));
            GeomType::LineString
        }
        Geometry::Polygon(polygon) => {
            pen.polygon(out, polygon);
            GeomType::Polygon
        }
        Geometry::MultiPolygon(polygons) => {
            polygons.iter().for_each(|polygon| pen.polygon(out, polygon));
            GeomType::Polygon
        }
        // `Frame::draw` returns only the kinds above.
        other => unreachable!("no MVT geometry drawn as {other:?}"),
    }
}

/// The MVT cursor: the last point written, which parameters are relative to.
#[derive(Default)]
struct Pen {
    x: i32,
    y: i32,
}

impl Pen {
    const MOVE_TO: u32 = 1;
    const LINE_TO: u32 = 2;
    const CLOSE_PATH: u32 = 7;

    fn command(id: u32, count: usize) -> u32 {
        id | (u32::try_from(count).expect("fewer than 2²⁹ points") << 3)
    }

    /// Writes the point relative to the cursor and moves there. Coordinates are integers already.
    fn to(&mut self, out: &mut Vec<u32>, c: Coord) {
        let (x, y) = (c.x as i32, c.y as i32);
        let zigzag = |d: i32| ((d << 1) ^ (d >> 31)) as u32;
        out.extend([zigzag(x.wrapping_sub(self.x)), zigzag(y.wrapping_sub(self.y))]);
        (self.x, self.y) = (x, y);
    }

    fn points(&mut self, out: &mut Vec<u32>, points: &[Point]) {
        out.push(Self::command(Self::MOVE_TO, points.len()));
        for p in points {
            self.to(out, p.0);
        }
    }

    fn line(&mut self, out: &mut Vec<u32>, line: &[Coord]) {
        let [first, rest @ ..] = line else { return };
        out.push(Self::command(Self::MOVE_TO, 1));
        self.to(out, *first);
        out.push(Self::command(Self::LINE_TO, rest.len()));
        for c in rest {
            self.to(out, *c);
        }
    }

    /// A closed ring: its points but the closing one, then `ClosePath`.
    fn ring(&mut self, out: &mut Vec<u32>, ring: &[Coord]) {
        self.line(out, &ring[..ring.len().saturating_sub(1)]);
        out.push(Self::command(Self::CLOSE_PATH, 1));
    }

    fn polygon(&mut self, out: &mut Vec<u32>, polygon: &Polygon) {
        self.ring(out, &polygon.exterior().0);
        polygon.interiors().iter().for_each(|hole| self.ring(out, &hole.0));
    }
}

/// The keys and values of one MVT layer, each kept once (MVT 2.1 §4.4), found again without allocating.
struct Tags<'a> {
    keys: Vec<&'static str>,
    /// Each property of the layer's schema, by position in the schema, once a feature has used it.
    columns: Vec<Option<Column<'a>>>,
    /// The values, encoded as fields `values` of a `Layer`, one after another.
    values: Vec<u8>,
    value_of: HashMap<Tag<'a>, u32, foldhash::fast::RandomState>,
}

/// A property's key, and the values it took in this tile while they were few: most columns hold a handful of
/// codes, flags or round numbers (availability, class, zone, plot ratio), found again in this short list without
/// hashing; a column that passes [`Column::FEW`] distinct values (plot numbers, areas) keeps only its last one,
/// since neighbours by id often share it.
struct Column<'a> {
    key: u32,
    recent: Vec<(Tag<'a>, u32)>,
    many: bool,
}

impl Column<'_> {
    const FEW: usize = 8;
}

impl<'a> Tags<'a> {
    /// Room for the values of about `features` features: a z14 tile of the synthetic park holds about four
    /// distinct values a feature, some 14 bytes each; the rest are shared. The table gets room for six, so that
    /// it seldom grows.
    fn with_capacity(features: usize) -> Tags<'a> {
        Tags {
            keys: Vec::new(),
            columns: Vec::new(),
            values: Vec::with_capacity(features * 64),
            value_of: HashMap::with_capacity_and_hasher(features * 6, foldhash::fast::RandomState::default()),
        }
    }

    /// The key and value indices of the `property`-th property of the schema, called `name`, with `value`.
    fn insert(&mut self, property: usize, name: &'static str, value: Tag<'a>) -> [u32; 2] {
        let Tags { keys, columns, values, value_of } = self;
        if columns.len() <= property {
            columns.resize_with(property + 1, || None);
        }
        let column = columns[property].get_or_insert_with(|| {
            keys.push(name);
            let key = u32::try_from(keys.len() - 1).expect("fewer keys than properties");
            Column { key, recent: Vec::with_capacity(Column::FEW), many: false }
        });
        if let Some((_, index)) = column.recent.iter().find(|(seen, _)| *seen == value) {
            return [column.key, *index];
        }
        // Each value the table does not hold yet is written once and takes the next index.
        let next = u32::try_from(value_of.len()).expect("fewer than 2³² values in a tile");
        let index = *value_of.entry(value.clone()).or_insert_with_key(|value| {
            value.write(values);
            next
        });
        if column.many {
            column.recent[0] = (value, index);
        } else if column.recent.len() < Column::FEW {
            column.recent.push((value, index));
        } else {
            column.many = true;
            column.recent.truncate(1);
            column.recent[0] = (value, index);
        }
        [column.key, index]
    }
}

/// A property value that can go into a tile, borrowed from the record where it can be.
#[derive(Clone)]
enum Tag<'a> {
    Str(&'a str),
    Text(String),
    Int(i64),
    /// The bits of an `f64`.
    Double(u64),
    Bool(bool),
    Date(jiff::civil::Date),
}

impl Tag<'_> {
    fn as_str(&self) -> Option<&str> {
        match self {
            Tag::Str(v) => Some(v),
            Tag::Text(v) => Some(v),
            _ => None,
        }
    }
}

/// Strings are equal whether borrowed or owned, and the same code borrowed twice (the same `&'static str`) is
/// told equal without comparing its bytes.
impl PartialEq for Tag<'_> {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Tag::Int(a), Tag::Int(b)) => a == b,
            (Tag::Double(a), Tag::Double(b)) => a == b,
            (Tag::Bool(a), Tag::Bool(b)) => a == b,
            (Tag::Date(a), Tag::Date(b)) => a == b,
            _ => match (self.as_str(), other.as_str()) {
                (Some(a), Some(b)) => a.len() == b.len() && (std::ptr::eq(a.as_ptr(), b.as_ptr()) || a == b),
                _ => false,
            },
        }
    }
}

impl Eq for Tag<'_> {}

impl std::hash::Hash for Tag<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match self {
            Tag::Str(v) => v.hash(state),
            Tag::Text(v) => v.as_str().hash(state),
            Tag::Int(v) => (1u8, v).hash(state),
            Tag::Double(v) => (2u8, v).hash(state),
            Tag::Bool(v) => (3u8, v).hash(state),
            Tag::Date(v) => (4u8, v).hash(state),
        }
    }
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

    /// Appends the value as field `values` of a `Layer`: a `Value` message with the one field of its type.
    fn write(&self, out: &mut Vec<u8>) {
        let string = |out: &mut Vec<u8>, s: &str| {
            out.push(field::LAYER_VALUE);
            varint(out, 1 + len_delimited(s.len()));
            out.push(field::VALUE_STRING);
            bytes(out, s.as_bytes());
        };
        match self {
            Tag::Str(v) => string(out, v),
            Tag::Text(v) => string(out, v),
            Tag::Date(v) => string(out, &v.to_string()),
            Tag::Int(v) => {
                out.push(field::LAYER_VALUE);
                let v = *v as u64;
                varint(out, 1 + encoded_len_varint(v));
                out.push(field::VALUE_INT);
                encode_varint(v, out);
            }
            Tag::Double(bits) => {
                out.extend_from_slice(&[field::LAYER_VALUE, 9, field::VALUE_DOUBLE]);
                out.extend_from_slice(&bits.to_le_bytes());
            }
            Tag::Bool(v) => out.extend_from_slice(&[field::LAYER_VALUE, 2, field::VALUE_BOOL, u8::from(*v)]),
        }
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
                out.extend(self.clipped(&shape).iter().filter_map(snap_polygon));
            }
        }
        match out.len() {
            0 => None,
            1 => out.pop().map(Geometry::Polygon),
            _ => Some(Geometry::MultiPolygon(MultiPolygon(out))),
        }
    }

    /// The polygon cut to the buffered tile. A convex polygon without holes (most parcels and buildings) is cut
    /// edge by edge (Sutherland–Hodgman), which is exact when both shapes are convex; any other goes through the
    /// general boolean intersection.
    fn clipped(&self, shape: &Polygon) -> Vec<Polygon> {
        if shape.interiors().is_empty() && is_convex(&shape.exterior().0) {
            clip_convex(&shape.exterior().0, self.clip)
                .map(|ring| Polygon::new(LineString(ring), vec![]))
                .into_iter()
                .collect()
        } else {
            shape.intersection(&self.clip_polygon).0
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

/// Whether the closed ring bounds a convex polygon: it turns the same way at every corner (straight corners
/// aside) and goes around once — its x coordinate changes direction at most twice, which rules out stars.
fn is_convex(ring: &[Coord]) -> bool {
    use std::cmp::Ordering::{self, Equal};
    let sign = |v: f64| v.partial_cmp(&0.0).unwrap_or(Equal);
    let n = ring.len().saturating_sub(1);
    if n < 3 {
        return false;
    }
    let (mut turn, mut heading, mut reversals) = (Equal, Equal, 0);
    let mut first_heading: Option<Ordering> = None;
    for i in 0..n {
        let (a, b, c) = (ring[i], ring[(i + 1) % n], ring[(i + 2) % n]);
        let cross = sign((b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x));
        if cross != Equal {
            if turn == Equal {
                turn = cross;
            } else if cross != turn {
                return false;
            }
        }
        let dx = sign(b.x - a.x);
        if dx != Equal {
            if heading != Equal && dx != heading {
                reversals += 1;
            }
            heading = dx;
            first_heading.get_or_insert(dx);
        }
    }
    // Around the ring, the last heading meets the first: a convex ring reverses twice in all.
    if first_heading.is_some_and(|first| first != heading) {
        reversals += 1;
    }
    turn != Equal && reversals <= 2
}

/// The convex ring (closed) cut to the rectangle, one edge of the rectangle after the other (Sutherland–Hodgman);
/// `None` when less than a triangle is left.
fn clip_convex(ring: &[Coord], clip: Rect) -> Option<Vec<Coord>> {
    let (min, max) = (clip.min(), clip.max());
    let mut points: Vec<Coord> = ring[..ring.len() - 1].to_vec();
    let mut kept = Vec::with_capacity(points.len() + 4);
    // Each edge of the rectangle: across x (else y), where, and whether the side kept is above it.
    for (across_x, at, above) in
        [(true, min.x, true), (true, max.x, false), (false, min.y, true), (false, max.y, false)]
    {
        let inside = |c: Coord| {
            let v = if across_x { c.x } else { c.y };
            if above { v >= at } else { v <= at }
        };
        let cross = |a: Coord, b: Coord| if across_x { cross_x(a, b, at) } else { cross_y(a, b, at) };
        kept.clear();
        for i in 0..points.len() {
            let (a, b) = (points[i], points[(i + 1) % points.len()]);
            match (inside(a), inside(b)) {
                (true, true) => kept.push(b),
                (true, false) => kept.push(cross(a, b)),
                (false, true) => kept.extend([cross(a, b), b]),
                (false, false) => {}
            }
        }
        std::mem::swap(&mut points, &mut kept);
        if points.len() < 3 {
            return None;
        }
    }
    points.push(points[0]);
    Some(points)
}

/// Where the segment from `a` to `b` meets the vertical line at `x`.
fn cross_x(a: Coord, b: Coord, x: f64) -> Coord {
    Coord { x, y: a.y + (x - a.x) / (b.x - a.x) * (b.y - a.y) }
}

/// Where the segment from `a` to `b` meets the horizontal line at `y`.
fn cross_y(a: Coord, b: Coord, y: f64) -> Coord {
    Coord { x: a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x), y }
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
    fn convex_rings_are_told_from_concave_ones_and_stars() {
        let ring = |points: &[(f64, f64)]| -> Vec<Coord> {
            points.iter().chain(&points[..1]).map(|&(x, y)| Coord { x, y }).collect()
        };
        assert!(is_convex(&ring(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)])));
        assert!(is_convex(&ring(&[(0.0, 0.0), (0.0, 10.0), (10.0, 10.0), (10.0, 0.0)])), "either winding");
        assert!(is_convex(&ring(&[(0.0, 0.0), (5.0, 0.0), (10.0, 0.0), (10.0, 10.0)])), "a straight corner");
        assert!(!is_convex(&ring(&[(0.0, 0.0), (10.0, 0.0), (5.0, 2.0), (10.0, 10.0), (0.0, 10.0)])), "concave");
        let star: Vec<(f64, f64)> = (0..5)
            .map(|i| f64::from(i * 2) * std::f64::consts::TAU / 5.0)
            .map(|a| (100.0 * a.cos(), 100.0 * a.sin()))
            .collect();
        assert!(!is_convex(&ring(&star)), "a pentagram turns one way at every corner but goes around twice");
        assert!(!is_convex(&ring(&[(0.0, 0.0), (10.0, 0.0), (20.0, 0.0)])), "no area");
    }

    #[test]
    fn cutting_a_convex_polygon_edge_by_edge_gives_the_boolean_intersection() {
        let f = frame();
        let mut checked = 0;
        // Hexagons of many sizes and places about the buffered tile's edges and corners.
        for (cx, cy, r) in [(-64.0, 2000.0, 300.0), (4160.0, 4160.0, 500.0), (2000.0, -100.0, 80.0), (0.0, 0.0, 5000.0)]
            .into_iter()
            .chain((0..40).map(|i| (f64::from(i) * 113.0 - 200.0, f64::from(i * 7 % 40) * 110.0 - 150.0, 250.0)))
        {
            let hexagon: Vec<Coord> = (0..=6)
                .map(|i| f64::from(i % 6) * std::f64::consts::TAU / 6.0 + 0.3)
                .map(|a| Coord { x: cx + r * a.cos(), y: cy + r * 0.7 * a.sin() })
                .collect();
            let polygon = Polygon::new(LineString(hexagon), vec![]);
            let cut: f64 = f.clipped(&polygon).iter().map(Area::unsigned_area).sum();
            let boolean: f64 = polygon.intersection(&f.clip_polygon).unsigned_area();
            assert!((cut - boolean).abs() <= 1e-6 * boolean.max(1.0), "({cx}, {cy}, {r}): {cut} against {boolean}");
            for part in f.clipped(&polygon) {
                assert!(part.exterior().0.iter().all(|c| f.clip.min().x <= c.x
                    && c.x <= f.clip.max().x
                    && f.clip.min().y <= c.y
                    && c.y <= f.clip.max().y));
            }
            checked += usize::from(boolean > 0.0);
        }
        assert!(checked > 20, "only {checked} hexagons reached the tile");
    }

    #[test]
    fn points_outside_the_buffered_tile_are_left_out() {
        let f = Frame::new(TileId { z: 1, x: 0, y: 0 });
        let points = [Point::new(-90.0, 45.0), Point::new(90.0, 45.0)];
        assert!(matches!(f.points(&points), Some(Geometry::Point(_))));
    }
}
