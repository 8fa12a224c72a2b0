//! Vector tiles, `TileJSON` and the MapLibre style over the Dongxing inventory, called in-process with `oneshot`;
//! tiles are decoded with prost and a geometry decoder written here from the MVT 2.1 spec.

use std::collections::{BTreeMap, BTreeSet};
use std::f64::consts::PI;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use geozero::mvt::{Message, Tile, tile};
use http_body_util::BodyExt;
use landbank_http::{AppState, router};
use landbank_inventory::{Availability, BBox, Inventory, Layer, ParcelId};
use serde_json::{Value, json};
use tower::ServiceExt;

const EXTENT: i64 = 4096;
const BUFFER: i64 = 64;
/// A z14 tile over the Cross-border Economic Cooperation Zone (KHQ), with parcels, buildings and units.
const KHQ_Z14: (u8, u32, u32) = (14, 7_187, 13_107);
/// The z12 tile around it, which also holds roads and a bridge.
const KHQ_Z12: (u8, u32, u32) = (12, 1_796, 3_276);

fn inventory() -> Inventory {
    Inventory::new(landbank_gen::dongxing()).expect("the fixtures assemble")
}

struct Answer {
    status: StatusCode,
    content_type: String,
    cache_control: String,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    fn tile(&self) -> Tile {
        assert_eq!(self.status, StatusCode::OK, "{}", String::from_utf8_lossy(&self.body));
        assert_eq!(self.content_type, "application/vnd.mapbox-vector-tile");
        Tile::decode(self.body.as_slice()).expect("a protobuf tile")
    }
}

async fn get_from(state: &AppState, uri: &str) -> Answer {
    let request = Request::get(uri).header(header::HOST, "landbank.test").body(Body::empty()).expect("request");
    let response = router(state.clone()).oneshot(request).await.expect("the router answers");
    let text = |name| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let (status, content_type, cache_control) =
        (response.status(), text(header::CONTENT_TYPE), text(header::CACHE_CONTROL));
    let body = response.into_body().collect().await.expect("body").to_bytes().to_vec();
    Answer { status, content_type, cache_control, body }
}

async fn get(uri: &str) -> Answer {
    get_from(&AppState::new(inventory()), uri).await
}

fn tile_path(collection: Option<&str>, (z, y, x): (u8, u32, u32)) -> String {
    match collection {
        Some(id) => format!("/collections/{id}/tiles/WebMercatorQuad/{z}/{y}/{x}"),
        None => format!("/tiles/WebMercatorQuad/{z}/{y}/{x}"),
    }
}

/// The longitude/latitude box of a tile grown by `buffer` tile units, from the inverse Web Mercator formula.
fn tile_bbox((z, y, x): (u8, u32, u32), buffer: i64) -> BBox {
    let n = f64::from(1u32 << z);
    let margin = buffer as f64 / EXTENT as f64;
    let lon = |col: f64| col / n * 360.0 - 180.0;
    let lat = |row: f64| (PI * (1.0 - 2.0 * row / n)).sinh().atan().to_degrees();
    let (x, y) = (f64::from(x), f64::from(y));
    BBox::new(lon(x - margin), lat(y + 1.0 + margin), lon(x + 1.0 + margin), lat(y - margin)).expect("a box")
}

/// The parts of a feature's geometry in absolute tile coordinates, decoded from its command stream
/// (MVT 2.1 §4.3): every `MoveTo` starts a part, `ClosePath` repeats the part's first point.
fn parts(feature: &tile::Feature) -> Vec<Vec<(i64, i64)>> {
    let zigzag = |v: u32| i64::from((v >> 1) as i32 ^ -((v & 1) as i32));
    let (mut x, mut y, mut at) = (0_i64, 0_i64, 0);
    let mut out: Vec<Vec<(i64, i64)>> = Vec::new();
    let g = &feature.geometry;
    while at < g.len() {
        let (command, count) = (g[at] & 7, g[at] >> 3);
        at += 1;
        match command {
            1 | 2 => {
                for _ in 0..count {
                    let (dx, dy) = (zigzag(g[at]), zigzag(g[at + 1]));
                    at += 2;
                    if command == 2 {
                        assert!(dx != 0 || dy != 0, "a zero-length LineTo in feature {:?}", feature.id);
                    }
                    x += dx;
                    y += dy;
                    if command == 1 {
                        out.push(Vec::new());
                    }
                    out.last_mut().expect("a MoveTo first").push((x, y));
                }
            }
            7 => {
                let part = out.last_mut().expect("a MoveTo first");
                part.push(part[0]);
            }
            other => panic!("unknown command {other} in feature {:?}", feature.id),
        }
    }
    out
}

/// Twice the surveyor's area of a closed ring in tile coordinates.
fn twice_area(ring: &[(i64, i64)]) -> i64 {
    ring.windows(2).map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1).sum()
}

fn value_json(v: &tile::Value) -> Value {
    if let Some(s) = &v.string_value {
        json!(s)
    } else if let Some(d) = v.double_value {
        json!(d)
    } else if let Some(i) = v.int_value.or(v.sint_value) {
        json!(i)
    } else if let Some(u) = v.uint_value {
        json!(u)
    } else if let Some(b) = v.bool_value {
        json!(b)
    } else if let Some(f) = v.float_value {
        json!(f)
    } else {
        Value::Null
    }
}

fn properties(layer: &tile::Layer, feature: &tile::Feature) -> BTreeMap<String, Value> {
    feature
        .tags
        .chunks(2)
        .map(|kv| (layer.keys[kv[0] as usize].clone(), value_json(&layer.values[kv[1] as usize])))
        .collect()
}

fn layer<'a>(tile: &'a Tile, name: &str) -> &'a tile::Layer {
    tile.layers.iter().find(|l| l.name == name).unwrap_or_else(|| panic!("no layer {name}"))
}

fn ids(layer: &tile::Layer) -> BTreeSet<i64> {
    layer.features.iter().map(|f| i64::try_from(f.id.expect("every feature has an id")).expect("id")).collect()
}

fn parcel_ids(inventory: &Inventory, bbox: BBox) -> BTreeSet<i64> {
    inventory.parcels_in_bbox(bbox).map(|p| p.id.0).collect()
}

#[tokio::test]
async fn a_z14_parcels_tile_holds_the_parcels_the_bbox_query_finds() {
    let answer = get(&tile_path(Some("parcels"), KHQ_Z14)).await;
    assert_eq!(answer.cache_control, "public, max-age=60");
    let tile = answer.tile();
    assert_eq!(tile.layers.len(), 1, "one layer, named after the collection");
    let parcels = layer(&tile, "parcels");
    assert_eq!((parcels.version, parcels.extent), (2, Some(4096)));

    let inventory = inventory();
    let found = ids(parcels);
    let in_tile = parcel_ids(&inventory, tile_bbox(KHQ_Z14, 0));
    let in_buffer = parcel_ids(&inventory, tile_bbox(KHQ_Z14, BUFFER));
    assert!(in_tile.len() >= 10, "the tile is over the zone: {in_tile:?}");
    assert!(in_tile.is_subset(&found), "missing: {:?}", in_tile.difference(&found).collect::<Vec<_>>());
    // The R-tree query over the buffered box, exactly (a parcel reaching less than a tile unit into the buffer
    // would collapse on the grid and be left out; none does here).
    assert_eq!(found, in_buffer);
    assert_eq!(parcels.features.len(), found.len(), "each parcel once");
}

#[tokio::test]
async fn tile_geometry_is_on_the_grid_within_the_buffer_with_exterior_rings_of_positive_area() {
    let tile = get(&tile_path(None, KHQ_Z14)).await.tile();
    let mut polygons = 0;
    for layer in &tile.layers {
        for feature in &layer.features {
            let rings = parts(feature);
            assert!(!rings.is_empty(), "{}/{:?} has geometry", layer.name, feature.id);
            for &(x, y) in rings.iter().flatten() {
                let range = -BUFFER..=EXTENT + BUFFER;
                assert!(range.contains(&x) && range.contains(&y), "{}/{:?}: ({x}, {y})", layer.name, feature.id);
            }
            if feature.r#type == Some(tile::GeomType::Polygon as i32) {
                polygons += 1;
                assert!(twice_area(&rings[0]) > 0, "{}/{:?}: first ring is an exterior", layer.name, feature.id);
                for ring in &rings {
                    assert_ne!(twice_area(ring), 0, "{}/{:?}: a ring without area", layer.name, feature.id);
                    assert!(ring.len() >= 4 && ring.first() == ring.last(), "{}/{:?}", layer.name, feature.id);
                }
            }
        }
    }
    assert!(polygons > 10, "{polygons} polygons");
}

#[tokio::test]
async fn parcel_features_carry_every_public_property_that_has_a_value() {
    let tile = get(&tile_path(Some("parcels"), KHQ_Z14)).await.tile();
    let parcels = layer(&tile, "parcels");
    let inventory = inventory();
    for feature in &parcels.features {
        let props = properties(parcels, feature);
        let id = i64::try_from(feature.id.expect("id")).expect("id");
        let record = landbank_geojson::record(&inventory, Layer::Parcels, id).expect("a parcel of the inventory");
        for spec in landbank_geojson::schema(Layer::Parcels).iter().filter(|s| !s.array) {
            let expected = record.property(&inventory, spec.name).map(|v| serde_json::to_value(v).expect("json"));
            if spec.restricted {
                assert!(!props.contains_key(spec.name), "parcel {id}: restricted {} is in a public tile", spec.name);
                continue;
            }
            match expected {
                Some(Value::Null) | None => assert!(!props.contains_key(spec.name), "parcel {id}: {}", spec.name),
                Some(value) => assert_eq!(props.get(spec.name), Some(&value), "parcel {id}: {}", spec.name),
            }
        }
        for name in ["availability", "plot_no", "area_mu", "zone"] {
            assert!(props.contains_key(name), "parcel {id} lacks {name}");
        }
    }
}

#[tokio::test]
async fn the_all_layers_tile_has_one_layer_per_spatial_collection() {
    let tile = get(&tile_path(None, KHQ_Z12)).await.tile();
    let names: Vec<&str> = tile.layers.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["zones", "parcels", "buildings", "units", "pois"]);
    let buildings = layer(&tile, "buildings");
    assert!(buildings.features.iter().all(|f| properties(buildings, f).contains_key("status")));
    let pois = layer(&tile, "pois");
    let kinds: BTreeSet<i32> = pois.features.iter().filter_map(|f| f.r#type).collect();
    assert!(kinds.contains(&(tile::GeomType::Linestring as i32)) && kinds.contains(&(tile::GeomType::Point as i32)));

    let some = get(&format!("{}?collections=zones,pois", tile_path(None, KHQ_Z12))).await.tile();
    let names: Vec<&str> = some.layers.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["zones", "pois"]);
}

#[tokio::test]
async fn tiles_are_canonical_protobuf_that_prost_writes_back_byte_for_byte() {
    // Points, lines and polygons with holes, every value type, and features without tags: prost decodes the tile
    // and encodes the same message again, which gives the same bytes only when every field, length and varint was
    // written as prost writes them, in the order of their field numbers.
    for path in [tile_path(None, KHQ_Z12), tile_path(None, KHQ_Z14), tile_path(Some("parcels"), KHQ_Z14)] {
        let answer = get(&path).await;
        let tile = answer.tile();
        assert!(tile.layers.iter().all(|l| !l.features.is_empty() && l.version == 2 && l.extent == Some(4096)));
        let again = tile.encode_to_vec();
        let first =
            again.iter().zip(&answer.body).position(|(a, b)| a != b).unwrap_or(again.len().min(answer.body.len()));
        assert!(
            again == answer.body,
            "{path}: prost writes the decoded tile differently from byte {first} of {}: {:?} against ours {:?}",
            answer.body.len(),
            &again[first.saturating_sub(8)..(first + 8).min(again.len())],
            &answer.body[first.saturating_sub(8)..(first + 8).min(answer.body.len())],
        );
    }
}

#[tokio::test]
async fn a_tile_with_nothing_in_it_is_204_no_content() {
    // Mid-Pacific.
    let answer = get(&tile_path(None, (14, 7_000, 1_000))).await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT);
    assert!(answer.body.is_empty());
    assert_eq!(answer.cache_control, "public, max-age=60");
    let answer = get(&tile_path(Some("buildings"), (14, 7_000, 1_000))).await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn tiles_outside_the_grid_are_400_problems_naming_the_part() {
    for (path, name) in [
        ("/tiles/WebMercatorQuad/23/0/0", "tileMatrix"),
        ("/tiles/WebMercatorQuad/z/0/0", "tileMatrix"),
        ("/tiles/WebMercatorQuad/2/4/0", "tileRow"),
        ("/collections/parcels/tiles/WebMercatorQuad/2/0/-1", "tileCol"),
        ("/collections/parcels/tiles/WebMercatorQuad/14/7187/16384", "tileCol"),
    ] {
        let answer = get(path).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(answer.content_type, "application/problem+json", "{path}");
        let problem = answer.json();
        assert_eq!(problem["code"], "invalid-parameter", "{path}");
        assert!(problem["detail"].as_str().is_some_and(|d| d.contains(name)), "{path}: {problem}");
    }
    let answer = get("/tiles/WebMercatorQuad/0/0/0?colour=red").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn projects_unknown_collections_and_other_tile_matrix_sets_have_no_tiles() {
    let answer = get("/collections/projects/tiles/WebMercatorQuad/0/0/0").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.content_type, "application/problem+json");
    assert_eq!(answer.json()["code"], "no-tiles");
    let answer = get("/collections/roads/tiles/WebMercatorQuad/0/0/0").await;
    assert_eq!((answer.status, answer.json()["code"].clone()), (StatusCode::NOT_FOUND, json!("unknown-collection")));
    let answer = get("/tiles/WorldCRS84Quad/0/0/0").await;
    assert_eq!((answer.status, answer.json()["code"].clone()), (StatusCode::NOT_FOUND, json!("not-found")));
    let answer = get("/tiles/WebMercatorQuad/0/0/0?collections=projects").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn tilejson_points_at_the_tiles_and_lists_every_layer_with_its_fields() {
    let answer = get("/tiles/WebMercatorQuad/tilejson.json").await;
    assert_eq!(answer.content_type, "application/json");
    let doc = answer.json();
    assert_eq!(doc["tilejson"], "3.0.0");
    assert_eq!(doc["tiles"], json!(["http://landbank.test/tiles/WebMercatorQuad/{z}/{y}/{x}"]));
    assert_eq!((doc["minzoom"].as_u64(), doc["maxzoom"].as_u64()), (Some(0), Some(22)));
    let ids: Vec<&str> =
        doc["vector_layers"].as_array().expect("layers").iter().filter_map(|l| l["id"].as_str()).collect();
    assert_eq!(ids, ["zones", "parcels", "buildings", "units", "pois"]);
    let parcels = &doc["vector_layers"][1];
    for field in ["availability", "class", "plot_no", "area_mu"] {
        assert!(parcels["fields"][field].is_string(), "parcels lacks {field}");
    }
    let b: Vec<f64> = doc["bounds"].as_array().expect("bounds").iter().filter_map(Value::as_f64).collect();
    let extent = inventory().extent().expect("an extent");
    assert!(
        b.len() == 4
            && b[0] <= extent.min_lon
            && b[1] <= extent.min_lat
            && b[2] >= extent.max_lon
            && b[3] >= extent.max_lat
    );
    let center: Vec<f64> = doc["center"].as_array().expect("center").iter().filter_map(Value::as_f64).collect();
    assert!(
        center.len() == 3 && (b[0]..=b[2]).contains(&center[0]) && (b[1]..=b[3]).contains(&center[1]),
        "{center:?}"
    );

    let doc = get("/collections/parcels/tiles/WebMercatorQuad/tilejson.json").await.json();
    assert_eq!(doc["tiles"], json!(["http://landbank.test/collections/parcels/tiles/WebMercatorQuad/{z}/{y}/{x}"]));
    assert_eq!(doc["vector_layers"].as_array().map(Vec::len), Some(1));
    assert_eq!(get("/collections/projects/tiles/WebMercatorQuad/tilejson.json").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_default_style_colours_parcels_by_availability_from_our_tilejson() {
    let doc = get("/styles/default").await.json();
    assert_eq!(doc["version"], 8);
    assert_eq!(doc["sources"]["landbank"]["type"], "vector");
    assert_eq!(doc["sources"]["landbank"]["url"], "http://landbank.test/tiles/WebMercatorQuad/tilejson.json");
    assert!(doc.get("glyphs").is_none() && doc.get("sprite").is_none(), "nothing from outside servers");
    let layers = doc["layers"].as_array().expect("layers");
    let ids: BTreeSet<&str> = layers.iter().filter_map(|l| l["id"].as_str()).collect();
    assert_eq!(ids.len(), layers.len(), "unique layer ids");
    for l in layers.iter().filter(|l| l["type"] != "background") {
        assert_eq!(l["source"], "landbank", "{l}");
        let source_layer = l["source-layer"].as_str().unwrap_or("");
        assert!(["zones", "parcels", "buildings", "units", "pois"].contains(&source_layer), "{l}");
        assert!(l.get("layout").is_none_or(|layout| layout.get("text-field").is_none()), "no labels without glyphs");
    }
    let fill = layers.iter().find(|l| l["id"] == "parcels-fill").expect("a parcel fill");
    let colour = fill["paint"]["fill-color"].to_string();
    for code in ["available", "held", "supplied", "reserve", "planned", "reclaimed"] {
        assert!(colour.contains(&format!("\"{code}\"")), "{code} has a colour: {colour}");
    }
    assert!(fill["filter"].to_string().contains("retired"), "retired parcels are hidden");
    let units = layers.iter().find(|l| l["source-layer"] == "units").expect("units");
    assert!(units["minzoom"].as_u64().is_some_and(|z| z >= 15), "units only close up");
}

#[tokio::test]
async fn a_tile_is_served_from_the_cache_until_the_inventory_changes() {
    let state = AppState::new(inventory());
    let path = tile_path(Some("parcels"), KHQ_Z14);
    let first = get_from(&state, &path).await;
    let again = get_from(&state, &path).await;
    assert_eq!(first.body, again.body, "the same snapshot, the same tile");

    // One parcel of the tile becomes available (or, if it was, held): the next tile shows it.
    let tile = first.tile();
    let parcels = layer(&tile, "parcels");
    let feature = &parcels.features[0];
    let id = i64::try_from(feature.id.expect("id")).expect("id");
    let before = properties(parcels, feature)["availability"].clone();
    let mut parts = inventory().into_parts();
    let parcel = parts.parcels.iter_mut().find(|p| p.id == ParcelId(id)).expect("the parcel");
    parcel.availability =
        if parcel.availability == Availability::Available { Availability::Reserve } else { Availability::Available };
    let after = parcel.availability.code();
    state.replace(Inventory::new(parts).expect("still a valid inventory"));

    let changed = get_from(&state, &path).await.tile();
    let parcels = layer(&changed, "parcels");
    let feature = parcels.features.iter().find(|f| f.id == u64::try_from(id).ok()).expect("still in the tile");
    assert_ne!(before, json!(after));
    assert_eq!(properties(parcels, feature)["availability"], after);
}

#[tokio::test]
async fn the_api_document_lists_the_tile_paths() {
    let doc = get("/api").await.json();
    let paths = &doc["paths"];
    for path in [
        "/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}",
        "/tiles/WebMercatorQuad/tilejson.json",
        "/styles/default",
        "/collections/parcels/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}",
        "/collections/pois/tiles/WebMercatorQuad/tilejson.json",
    ] {
        assert!(paths[path]["get"].is_object(), "{path} is missing");
    }
    assert!(paths.get("/collections/projects/tiles/WebMercatorQuad/tilejson.json").is_none());
    let tile = &paths["/collections/parcels/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}"]["get"];
    assert!(tile["responses"]["200"]["content"]["application/vnd.mapbox-vector-tile"].is_object());
    assert!(tile["responses"]["204"].is_object());
}

#[tokio::test]
async fn head_on_a_tile_answers_like_get_without_a_body() {
    let request = Request::head(tile_path(Some("parcels"), KHQ_Z14))
        .header(header::HOST, "landbank.test")
        .body(Body::empty())
        .expect("request");
    let response = router(AppState::new(inventory())).oneshot(request).await.expect("the router answers");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/vnd.mapbox-vector-tile");
    assert!(response.into_body().collect().await.expect("body").to_bytes().is_empty());
}
