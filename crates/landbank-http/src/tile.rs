//! Vector tiles (OGC API – Tiles, `WebMercatorQuad`, Mapbox Vector Tile 2.1): one layer per collection at
//! `/collections/{id}/tiles/WebMercatorQuad/{z}/{y}/{x}`, all spatial layers at `/tiles/WebMercatorQuad/{z}/{y}/{x}`,
//! `TileJSON` 3.0.0 for both, and the default MapLibre style at `/styles/default`.
//!
//! Answers, decided once for every tile path:
//! - a tile with features: `200`, `application/vnd.mapbox-vector-tile`;
//! - a tile of the grid with nothing in it: `204 No Content` (OGC API – Tiles' recommendation; MapLibre draws
//!   nothing for it);
//! - a tile that is not in `WebMercatorQuad` (`z` not an integer in 0–22, `y` or `x` not in `0..2^z`): `400`
//!   naming `tileMatrix`, `tileRow` or `tileCol`; another tile matrix set is an unknown path, `404`;
//! - an unknown collection, or `projects` (no geometry): `404`.
//!
//! Tiles are drawn from the snapshot's inventory and kept in that snapshot's [`TileCache`], so a change to the
//! inventory is visible in the very next tile request. Both answers carry `Cache-Control: public, max-age=60`.

mod cache;
mod mercator;
mod mvt;
mod style;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use landbank_inventory::Layer;
use serde_json::{Value, json};

pub use cache::{CACHE_BYTES, TileCache};

/// Which cached tiles a change leaves as they were: those whose buffered box no changed parcel, building or unit
/// reaches, before or after the change. `None` when the change cannot be bounded in space — a project's new
/// stage or name may show on any of its parcels — so no tile is kept.
pub fn unchanged_by(before: &Inventory, after: &Inventory, change: &Change) -> Option<impl Fn(TileKey) -> bool> {
    if !change.projects.is_empty() {
        return None;
    }
    let mut dirty: Vec<BBox> = Vec::new();
    let mut add = |polygon: Option<&geo::Polygon>| dirty.extend(polygon.and_then(BBox::of_polygon));
    for parcel in &change.parcels {
        add(before.parcel(parcel.id).map(|p| &p.geometry));
        add(Some(&parcel.geometry));
    }
    for building in &change.buildings {
        add(before.building(building.id).map(|b| &b.footprint));
        add(Some(&building.footprint));
    }
    for unit in &change.units {
        for inventory in [before, after] {
            let outline = inventory.unit(unit.id).and_then(|u| u.outline.as_ref());
            add(outline.or_else(|| inventory.building(unit.building).map(|b| &b.footprint)));
        }
        add(unit.outline.as_ref());
    }
    Some(move |key: TileKey| {
        let reach = key.tile.bbox(mercator::BUFFER);
        !dirty.iter().any(|b| b.intersects(&reach))
    })
}
use cache::TileKey;
use landbank_inventory::{BBox, Change, Inventory};
use mercator::{MAX_ZOOM, TileId, tiles_across};

use crate::collection::{description, layer_of, title};
use crate::error::ApiError;
use crate::landing::{DESCRIPTION, TITLE};
use crate::link::Base;
use crate::query::Params;
use crate::{AppState, html};

/// The media type of a Mapbox Vector Tile.
pub const MVT: &str = "application/vnd.mapbox-vector-tile";
/// How long clients and proxies may reuse a tile: short, because the inventory changes with every write.
pub const CACHE_CONTROL: &str = "public, max-age=60";

/// The collections that have tiles (every spatial one), in the order their layers are written in a tile.
pub const TILED: [Layer; 5] = [Layer::Zones, Layer::Parcels, Layer::Buildings, Layer::Units, Layer::Pois];

/// A set of tiled layers, as a bit per entry of [`TILED`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LayerSet(u8);

impl LayerSet {
    /// Every tiled layer.
    pub const ALL: LayerSet = LayerSet((1 << TILED.len()) - 1);

    /// The set holding only `layer`, or `None` when the layer has no tiles.
    pub fn one(layer: Layer) -> Option<LayerSet> {
        TILED.iter().position(|l| *l == layer).map(|at| LayerSet(1 << at))
    }

    /// The layers of the set, in [`TILED`] order.
    pub fn iter(self) -> impl Iterator<Item = Layer> {
        TILED.into_iter().enumerate().filter(move |(at, _)| self.0 & (1 << at) != 0).map(|(_, layer)| layer)
    }

    fn union(self, other: LayerSet) -> LayerSet {
        LayerSet(self.0 | other.0)
    }
}

/// The Mapbox Vector Tile of `layers` (every tiled layer when empty) at tile `z/x/y` of `WebMercatorQuad`, as the
/// tile endpoints draw it before caching: empty when no feature reaches the tile, `None` for a tile outside the grid
/// or a layer without tiles. For benchmarks and tools that draw tiles without a server.
pub fn draw(inventory: &Inventory, layers: &[Layer], z: u8, x: u32, y: u32) -> Option<Vec<u8>> {
    let tile = TileId::new(z, x, y)?;
    let mut set = if layers.is_empty() { LayerSet::ALL } else { LayerSet(0) };
    for layer in layers {
        set = set.union(LayerSet::one(*layer)?);
    }
    Some(mvt::encode(inventory, set, tile))
}

/// The layer of a collection that has tiles: `404` for an unknown collection and for `projects`.
fn tiled_layer(collection_id: &str) -> Result<(Layer, LayerSet), ApiError> {
    let layer = layer_of(collection_id)?;
    LayerSet::one(layer)
        .map(|set| (layer, set))
        .ok_or_else(|| ApiError::NoTiles { collection: layer.code().to_owned() })
}

/// The tile named by the path segments `{z}/{y}/{x}` (OGC: `{tileMatrix}/{tileRow}/{tileCol}`).
fn tile_id(z: &str, y: &str, x: &str) -> Result<TileId, ApiError> {
    let zoom = z.parse::<u8>().ok().filter(|z| *z <= MAX_ZOOM).ok_or_else(|| {
        ApiError::invalid("tileMatrix", format!("`{z}` is not a zoom level of WebMercatorQuad; use 0 to {MAX_ZOOM}"))
    })?;
    let last = tiles_across(zoom) - 1;
    let index = |name: &str, raw: &str, what: &str| {
        raw.parse::<u32>().ok().filter(|i| *i <= last).ok_or_else(|| {
            ApiError::invalid(name, format!("`{raw}` is not a {what} of tile matrix {zoom}; use 0 to {last}"))
        })
    };
    let row = index("tileRow", y, "row")?;
    let col = index("tileCol", x, "column")?;
    TileId::new(zoom, col, row).ok_or_else(|| ApiError::invalid("tileMatrix", format!("no tile {z}/{y}/{x}")))
}

/// `collections=parcels,zones` on the dataset tiles: only those layers.
fn collections_parameter(params: &Params) -> Result<LayerSet, ApiError> {
    let Some(raw) = params.get("collections") else { return Ok(LayerSet::ALL) };
    let mut set = LayerSet(0);
    for id in raw.split(',').map(str::trim).filter(|id| !id.is_empty()) {
        let layer = id.parse::<Layer>().map_err(|_| {
            let known = TILED.map(Layer::code).join(", ");
            ApiError::invalid("collections", format!("there is no collection `{id}` with tiles; use some of: {known}"))
        })?;
        let one = LayerSet::one(layer).ok_or_else(|| {
            ApiError::invalid("collections", format!("collection `{id}` has no geometry and so no tiles"))
        })?;
        set = set.union(one);
    }
    if set == LayerSet(0) {
        return Err(ApiError::invalid("collections", "name at least one collection, e.g. `parcels,zones`"));
    }
    Ok(set)
}

/// `GET /tiles/WebMercatorQuad/{z}/{y}/{x}`: every spatial layer (or those named by `collections`).
pub async fn get_tile(
    State(state): State<AppState>,
    Path((z, y, x)): Path<(String, String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    params.only(&["collections"])?;
    let layers = collections_parameter(&params)?;
    let tile = tile_id(&z, &y, &x)?;
    answer(&state, layers, tile).await
}

/// `GET /collections/{id}/tiles/WebMercatorQuad/{z}/{y}/{x}`: one layer, named after the collection.
pub async fn get_collection_tile(
    State(state): State<AppState>,
    Path((collection_id, z, y, x)): Path<(String, String, String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let (_, layers) = tiled_layer(&collection_id)?;
    Params::parse(raw.as_deref()).only(&[])?;
    let tile = tile_id(&z, &y, &x)?;
    answer(&state, layers, tile).await
}

/// Tiles of at most this many parcels and buildings are drawn on the request's own task: under a millisecond (the
/// tile bench draws about 0.9 µs a parcel), the work of writing an items page of as many features, which is done
/// there too. Handing a z14 tile of a few hundred parcels to the blocking pool and back cost a quarter of the
/// throughput of uncached tiles (wrk over the 100k synthetic park on 2 cores: 6,700 req/s through the pool, 8,100
/// with this rule, 8,700 with every tile drawn on its request's task).
const INLINE_FEATURES: usize = 1_000;

/// The tile from the snapshot's cache, else drawn (bigger ones on the blocking pool) and kept there.
async fn answer(state: &AppState, layers: LayerSet, tile: TileId) -> Result<Response, ApiError> {
    let snapshot = state.snapshot();
    let key = TileKey { layers, tile };
    let body = if let Some(body) = snapshot.tiles.get(key) {
        body
    } else {
        let drawn = if mvt::is_small(&snapshot.inventory, layers, tile, INLINE_FEATURES) {
            mvt::encode(&snapshot.inventory, layers, tile)
        } else {
            let drawing = Arc::clone(&snapshot);
            tokio::task::spawn_blocking(move || mvt::encode(&drawing.inventory, layers, tile))
                .await
                .map_err(|e| ApiError::Internal(format!("drawing tile {tile:?}: {e}")))?
        };
        let body = Bytes::from(drawn);
        snapshot.tiles.insert(key, body.clone());
        body
    };
    let cache_control = (header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL));
    if body.is_empty() {
        return Ok((StatusCode::NO_CONTENT, [cache_control]).into_response());
    }
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static(MVT)), cache_control], body).into_response())
}

/// `GET /tiles/WebMercatorQuad/tilejson.json`: `TileJSON` 3.0.0 of the all-layer tiles.
pub async fn get_tilejson(
    State(state): State<AppState>,
    base: Base,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref()).only(&[])?;
    let tiles = format!("{}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}", base.0);
    Ok(html::json(&style::tilejson(&state.snapshot(), &TILED, TITLE, DESCRIPTION, &tiles)))
}

/// `GET /collections/{id}/tiles/WebMercatorQuad/tilejson.json`: `TileJSON` 3.0.0 of one collection's tiles.
pub async fn get_collection_tilejson(
    State(state): State<AppState>,
    base: Base,
    Path(collection_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let (layer, _) = tiled_layer(&collection_id)?;
    Params::parse(raw.as_deref()).only(&[])?;
    let tiles = format!("{}/collections/{}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}", base.0, layer.code());
    let doc = style::tilejson(&state.snapshot(), &[layer], title(layer), description(layer), &tiles);
    Ok(html::json(&doc))
}

/// `GET /styles/default`: a MapLibre style (spec v8) over the all-layer `TileJSON`.
pub async fn get_style(
    State(state): State<AppState>,
    base: Base,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref()).only(&[])?;
    let tilejson = format!("{}/tiles/WebMercatorQuad/tilejson.json", base.0);
    Ok(html::json(&style::style(&base, &state.snapshot(), &tilejson)))
}

/// The tile paths of the OpenAPI document: concrete per tiled collection, like the items paths.
pub fn openapi_paths() -> Vec<(String, Value)> {
    let grid = [
        ("tileMatrix", format!("Zoom level, 0 to {MAX_ZOOM}.")),
        ("tileRow", "Row from the north, 0 to 2^tileMatrix − 1.".to_owned()),
        ("tileCol", "Column from the antimeridian, 0 to 2^tileMatrix − 1.".to_owned()),
    ]
    .map(|(name, about)| {
        json!({ "name": name, "in": "path", "required": true, "description": about,
                "schema": { "type": "integer", "minimum": 0 } })
    });
    let problem = json!({ "$ref": "#/components/responses/Problem" });
    let tile_responses = json!({
        "200": { "description": "The tile (Mapbox Vector Tile 2.1, extent 4096, buffer 64)",
                 "headers": { "Cache-Control": { "schema": { "type": "string", "example": CACHE_CONTROL } } },
                 "content": { MVT: { "schema": { "type": "string", "format": "binary" } } } },
        "204": { "description": "Nothing in this tile" },
        "400": problem, "404": problem,
    });
    let json_responses = |about: &str| {
        json!({ "200": { "description": about, "content": { "application/json": { "schema": { "type": "object" } } } },
                "404": problem })
    };
    let get = |id: String, summary: String, parameters: Vec<Value>, responses: Value| {
        json!({ "get": { "operationId": id, "summary": summary, "tags": ["Vector tiles"], "parameters": parameters,
                         "responses": responses } })
    };
    let collections = json!({ "name": "collections", "in": "query", "required": false, "style": "form", "explode": false,
        "description": "Only these collections' layers (default: all).",
        "schema": { "type": "array", "items": { "type": "string", "enum": TILED.map(Layer::code) } } });
    let mut paths = vec![
        (
            "/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}".to_owned(),
            get(
                "getTile".into(),
                "A vector tile of every spatial collection, one layer each".into(),
                grid.iter().cloned().chain([collections]).collect(),
                tile_responses.clone(),
            ),
        ),
        (
            "/tiles/WebMercatorQuad/tilejson.json".to_owned(),
            get("getTileJson".into(), "TileJSON 3.0.0 of the tiles".into(), vec![], json_responses("TileJSON")),
        ),
        (
            "/styles/default".to_owned(),
            get(
                "getDefaultStyle".into(),
                "A MapLibre style (v8): parcels coloured by availability".into(),
                vec![],
                json_responses("MapLibre style"),
            ),
        ),
    ];
    for layer in TILED {
        let id = layer.code();
        paths.push((
            format!("/collections/{id}/tiles/WebMercatorQuad/{{tileMatrix}}/{{tileRow}}/{{tileCol}}"),
            get(format!("get_{id}_tile"), format!("A vector tile of {id}"), grid.to_vec(), tile_responses.clone()),
        ));
        paths.push((
            format!("/collections/{id}/tiles/WebMercatorQuad/tilejson.json"),
            get(format!("get_{id}_tilejson"), format!("TileJSON 3.0.0 of {id}"), vec![], json_responses("TileJSON")),
        ));
    }
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The z16 tile holding a point.
    fn tile_at(lon: f64, lat: f64) -> TileKey {
        let world = mercator::world(geo::Coord { x: lon, y: lat });
        let n = f64::from(tiles_across(16));
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let tile = TileId::new(16, (world.x * n) as u32, (world.y * n) as u32).expect("in the grid");
        TileKey { layers: LayerSet::ALL, tile }
    }

    #[test]
    fn a_change_keeps_the_cached_tiles_it_does_not_reach() {
        let before = Inventory::new(landbank_gen::dongxing()).expect("the fixtures assemble");
        let centre = |p: &landbank_inventory::Parcel| {
            let b = BBox::of_polygon(&p.geometry).expect("box");
            (f64::midpoint(b.min_lon, b.max_lon), f64::midpoint(b.min_lat, b.max_lat))
        };
        let parcels = before.parcels();
        let near = &parcels[0];
        let (x, y) = centre(near);
        let distance = |p: &&landbank_inventory::Parcel| {
            let (px, py) = centre(p);
            (px - x).hypot(py - y)
        };
        let far = parcels.iter().max_by(|a, b| distance(a).total_cmp(&distance(b))).expect("parcels");
        let mut held = near.clone();
        held.availability = landbank_inventory::Availability::Held;
        let change = Change { parcels: vec![held], kind: "reserve", ..Change::default() };
        let mut after = before.clone();
        after.apply(&change);

        let keep = unchanged_by(&before, &after, &change).expect("a parcel's change is bounded");
        let (lon, lat) = centre(near);
        assert!(!keep(tile_at(lon, lat)), "the changed parcel's tile must be drawn again");
        let (lon, lat) = centre(far);
        assert!(keep(tile_at(lon, lat)), "a tile far from the change stays");

        let project = before.projects()[0].clone();
        let change = Change { projects: vec![project], kind: "update", ..Change::default() };
        assert!(unchanged_by(&before, &before, &change).is_none(), "a project may show on any tile");
    }

    #[test]
    fn only_tiles_of_few_parcels_and_buildings_are_drawn_on_the_request_task() {
        let inventory = Inventory::new(landbank_gen::dongxing()).expect("the fixtures assemble");
        let parcel = &inventory.parcels()[0];
        let b = BBox::of_polygon(&parcel.geometry).expect("box");
        let key = tile_at(f64::midpoint(b.min_lon, b.max_lon), f64::midpoint(b.min_lat, b.max_lat));
        let parcels = LayerSet::one(Layer::Parcels).expect("tiled");
        let near = mvt::candidates(&inventory, Layer::Parcels, key.tile.bbox(mercator::BUFFER)).len();
        assert!(near > 0);
        assert!(mvt::is_small(&inventory, parcels, key.tile, near));
        assert!(!mvt::is_small(&inventory, parcels, key.tile, near - 1), "more parcels than the limit");
        assert!(!mvt::is_small(&inventory, LayerSet::ALL, key.tile, INLINE_FEATURES), "units are scanned whole");
    }

    #[test]
    fn tile_paths_name_the_part_that_is_out_of_the_grid() {
        let name = |z: &str, y: &str, x: &str| match tile_id(z, y, x) {
            Err(ApiError::InvalidParameter { name, .. }) => name,
            other => panic!("{other:?}"),
        };
        assert_eq!(name("23", "0", "0"), "tileMatrix");
        assert_eq!(name("-1", "0", "0"), "tileMatrix");
        assert_eq!(name("abc", "0", "0"), "tileMatrix");
        assert_eq!(name("2", "4", "0"), "tileRow");
        assert_eq!(name("2", "0", "4"), "tileCol");
        assert_eq!(name("2", "0", "1.5"), "tileCol");
        assert_eq!(tile_id("2", "3", "1").ok(), Some(TileId { z: 2, x: 1, y: 3 }));
    }

    #[test]
    fn a_layer_set_lists_its_layers_in_tile_order() {
        let set = LayerSet::one(Layer::Pois).and_then(|p| LayerSet::one(Layer::Zones).map(|z| p.union(z)));
        assert_eq!(set.map(|s| s.iter().collect::<Vec<_>>()), Some(vec![Layer::Zones, Layer::Pois]));
        assert_eq!(LayerSet::ALL.iter().count(), TILED.len());
        assert!(LayerSet::one(Layer::Projects).is_none());
    }

    #[test]
    fn the_collections_parameter_takes_only_tiled_collections() {
        let parse = |q: &str| collections_parameter(&Params::parse(Some(q)));
        assert_eq!(parse("collections=parcels").ok(), LayerSet::one(Layer::Parcels));
        assert!(parse("collections=projects").is_err());
        assert!(parse("collections=roads").is_err());
        assert!(parse("collections=").is_err());
        assert_eq!(collections_parameter(&Params::default()).ok(), Some(LayerSet::ALL));
    }
}
