//! The documents that point map clients at the tiles: `TileJSON` 3.0.0 for a set of layers, and the default
//! MapLibre style (style spec v8) that colours parcels by availability.

use geo::Coord;
use landbank_geojson::schema;
use landbank_inventory::{Availability, BBox, Layer};
use serde_json::{Map, Value, json};

use super::mercator::{MAX_LATITUDE, MAX_ZOOM, world};
use crate::Snapshot;
use crate::collection::{description, extent, title};
use crate::link::Base;

/// The source id the default style gives our tiles.
const SOURCE: &str = "landbank";

/// `TileJSON` 3.0.0 for `layers` served at `tiles` (a URL template with `{z}`, `{y}` and `{x}`).
pub fn tilejson(snapshot: &Snapshot, layers: &[Layer], name: &str, about: &str, tiles: &str) -> Value {
    let bounds = layers.iter().filter_map(|l| extent(snapshot, *l)).reduce(BBox::union);
    let bounds =
        bounds.unwrap_or(BBox { min_lon: -180.0, min_lat: -MAX_LATITUDE, max_lon: 180.0, max_lat: MAX_LATITUDE });
    let (center, zoom) = view(bounds);
    let vector_layers: Vec<Value> = layers
        .iter()
        .map(|layer| {
            let fields: Map<String, Value> = schema(*layer)
                .iter()
                .filter(|p| !p.array && !p.restricted)
                .map(|p| (p.name.to_owned(), json!(p.title)))
                .collect();
            json!({
                "id": layer.code(),
                "description": format!("{}: {}", title(*layer), description(*layer)),
                "minzoom": 0,
                "maxzoom": MAX_ZOOM,
                "fields": fields,
            })
        })
        .collect();
    json!({
        "tilejson": "3.0.0",
        "name": name,
        "description": about,
        "scheme": "xyz",
        "tiles": [tiles],
        "minzoom": 0,
        "maxzoom": MAX_ZOOM,
        "bounds": [bounds.min_lon, bounds.min_lat, bounds.max_lon, bounds.max_lat],
        "center": [center.x, center.y, zoom],
        "vector_layers": vector_layers,
    })
}

/// The middle of a box and the deepest zoom at which it fits in one 512-pixel tile.
fn view(bounds: BBox) -> (Coord, u8) {
    let center =
        Coord { x: f64::midpoint(bounds.min_lon, bounds.max_lon), y: f64::midpoint(bounds.min_lat, bounds.max_lat) };
    let nw = world(Coord { x: bounds.min_lon, y: bounds.max_lat });
    let se = world(Coord { x: bounds.max_lon, y: bounds.min_lat });
    let span = (se.x - nw.x).max(se.y - nw.y);
    let zoom = if span > 0.0 { (1.0 / span).log2().floor().clamp(0.0, f64::from(MAX_ZOOM)) as u8 } else { 16 };
    (center, zoom)
}

/// The fill colour of parcels by availability; `None` hides them.
fn availability_colour(availability: Availability) -> Option<&'static str> {
    match availability {
        Availability::Available => Some("#2e9e4f"),
        Availability::Held => Some("#f0a202"),
        Availability::Supplied => Some("#2b6cb0"),
        Availability::Reserve => Some("#9aa0a6"),
        Availability::Planned => Some("#c4c8cc"),
        Availability::Reclaimed => Some("#d64545"),
        Availability::Retired => None,
    }
}

/// The default MapLibre style: zones, parcels coloured by availability, buildings, units from zoom 16, and the
/// roads, bridges and landmarks. No labels: text needs a `glyphs` server, and this style points nowhere outside.
pub fn style(base: &Base, snapshot: &Snapshot, tilejson_url: &str) -> Value {
    let all = super::TILED.iter().filter_map(|l| extent(snapshot, *l)).reduce(BBox::union);
    let (center, zoom) = all.map_or((Coord { x: 0.0, y: 0.0 }, 1), view);
    let mut colour = vec![json!("match"), json!(["get", "availability"])];
    let mut hidden = Vec::new();
    for availability in Availability::ALL {
        match availability_colour(*availability) {
            Some(c) => colour.extend([json!(availability.code()), json!(c)]),
            None => hidden.push(availability.code()),
        }
    }
    colour.push(json!("#9aa0a6"));
    let shown = json!(["match", ["get", "availability"], hidden, false, true]);
    let layer = |id: &str, kind: &str, source_layer: &str, extra: Value| {
        let mut l = json!({ "id": id, "type": kind, "source": SOURCE, "source-layer": source_layer });
        if let (Some(l), Value::Object(extra)) = (l.as_object_mut(), extra) {
            l.extend(extra);
        }
        l
    };
    let lines = json!(["match", ["geometry-type"], ["LineString", "MultiLineString"], true, false]);
    let points = json!(["match", ["geometry-type"], ["Point", "MultiPoint"], true, false]);
    json!({
        "version": 8,
        "name": "landbank — parcels by availability",
        "metadata": { "landbank:service": base.0 },
        "center": [center.x, center.y],
        "zoom": zoom,
        "sources": { SOURCE: { "type": "vector", "url": tilejson_url } },
        "layers": [
            { "id": "background", "type": "background", "paint": { "background-color": "#f5f4f0" } },
            layer("zones-fill", "fill", "zones", json!({ "paint": { "fill-color": "#d8d2c2", "fill-opacity": 0.35 } })),
            layer("parcels-fill", "fill", "parcels", json!({
                "filter": shown,
                "paint": { "fill-color": colour, "fill-opacity": 0.7 },
            })),
            layer("parcels-outline", "line", "parcels", json!({
                "filter": shown,
                "minzoom": 12,
                "paint": { "line-color": "#4a4a4a", "line-width": ["interpolate", ["linear"], ["zoom"], 12, 0.3, 18, 1.5] },
            })),
            layer("buildings-fill", "fill", "buildings", json!({
                "minzoom": 13,
                "paint": { "fill-color": "#7a5c4f", "fill-opacity": 0.8, "fill-outline-color": "#3e2b23" },
            })),
            layer("units-outline", "line", "units", json!({
                "minzoom": 16,
                "paint": { "line-color": "#3e2b23", "line-width": 0.8, "line-dasharray": [2, 1] },
            })),
            layer("zones-outline", "line", "zones", json!({
                "paint": { "line-color": "#37474f", "line-width": 2, "line-dasharray": [4, 2] },
            })),
            layer("pois-lines", "line", "pois", json!({
                "filter": lines,
                "layout": { "line-cap": "round", "line-join": "round" },
                "paint": { "line-color": "#e07b00", "line-width": ["interpolate", ["linear"], ["zoom"], 10, 1.5, 16, 6] },
            })),
            layer("pois-points", "circle", "pois", json!({
                "filter": points,
                "paint": { "circle-radius": 6, "circle-color": "#8e24aa", "circle-stroke-color": "#ffffff", "circle-stroke-width": 1.5 },
            })),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_park_a_dozen_kilometres_wide_is_viewed_at_zoom_eleven() {
        let park = BBox { min_lon: 107.97, min_lat: 21.53, max_lon: 108.09, max_lat: 21.60 };
        let (center, zoom) = view(park);
        assert_eq!(zoom, 11);
        assert!((center.x - 108.03).abs() < 1e-9 && (center.y - 21.565).abs() < 1e-9);
    }

    #[test]
    fn only_retired_parcels_are_hidden() {
        let hidden: Vec<_> = Availability::ALL.iter().filter(|a| availability_colour(**a).is_none()).collect();
        assert_eq!(hidden, [&Availability::Retired]);
    }
}
