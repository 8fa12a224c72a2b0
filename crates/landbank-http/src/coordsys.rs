//! The `coordsys` output option: WGS 84 as stored, or GCJ-02 for maps built on `AMap` or Tencent, shifted only
//! inside mainland China.
//!
//! GCJ-02 is the published obfuscation formula (Krasovsky ellipsoid, the well-known `transformLat`/`transformLon`
//! series). Whether a point is in mainland China is decided in two steps: the usual rectangle
//! (lon 72.004–137.8347, lat 0.8293–55.8271), then a hand-drawn polygon of Vietnam along the Dongxing/Mong Cai
//! stretch of the border, south of the Beilun River, which the rectangle wrongly includes. The polygon is
//! **approximate** (it follows the river line of the fixtures, about ±200 m, and coarse lines west and south of
//! it) and only covers this park's surroundings; features whose country (or zone's country) is VN are never
//! shifted wherever they lie. We chose this over the `coordtransform` crate's mainland mask to avoid an `ODbL`
//! data dependency and a large mask for a park that lies on one 20 km stretch of border.

use geo::{Contains, Coord, LineString, Point, Polygon};
use landbank_geojson::{PropertyValue, RecordRef, records};
use landbank_inventory::{Inventory, Layer};
use serde_json::Value;

use crate::error::ApiError;
use crate::query::Params;

/// The coordinate system of GeoJSON output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoordSys {
    /// WGS 84 longitude/latitude, as stored (the default).
    Wgs84,
    /// GCJ-02, shifted only inside mainland China.
    Gcj02,
}

impl CoordSys {
    /// The `coordsys` parameter; unknown values are a 400.
    pub fn parse(params: &Params) -> Result<CoordSys, ApiError> {
        match params.get("coordsys") {
            None | Some("wgs84") => Ok(CoordSys::Wgs84),
            Some("gcj02") => Ok(CoordSys::Gcj02),
            Some(other) => {
                Err(ApiError::invalid("coordsys", format!("`{other}` is not supported; use wgs84 or gcj02")))
            }
        }
    }
}

/// The OpenAPI description of the `coordsys` parameter.
pub fn coordsys_parameter() -> Value {
    serde_json::json!({ "name": "coordsys", "in": "query", "required": false,
            "description": "Output coordinates: `wgs84` as stored, or `gcj02` for `AMap`/Tencent maps (shifted only inside mainland China; Vietnamese features never).",
            "schema": { "type": "string", "enum": ["wgs84", "gcj02"], "default": "wgs84" } })
}

const A: f64 = 6_378_245.0;
const EE: f64 = 0.006_693_421_622_965_943;
const PI: f64 = std::f64::consts::PI;

fn transform_lat(x: f64, y: f64) -> f64 {
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn transform_lon(x: f64, y: f64) -> f64 {
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// WGS 84 `(lon, lat)` in degrees to GCJ-02, unconditionally (callers decide where it applies).
pub fn wgs84_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    let d_lat = transform_lat(lon - 105.0, lat - 35.0);
    let d_lon = transform_lon(lon - 105.0, lat - 35.0);
    let rad_lat = lat / 180.0 * PI;
    let magic = 1.0 - EE * rad_lat.sin() * rad_lat.sin();
    let sqrt_magic = magic.sqrt();
    let d_lat = (d_lat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    let d_lon = (d_lon * 180.0) / (A / sqrt_magic * rad_lat.cos() * PI);
    (lon + d_lon, lat + d_lat)
}

/// Vietnam along the Dongxing/Mong Cai border: south of the Beilun River (approximate; see the module docs).
fn vietnam_near_dongxing() -> Polygon<f64> {
    let ring: Vec<Coord<f64>> = [
        (107.300, 21.660),
        (107.800, 21.620),
        (107.900, 21.570),
        (107.930, 21.552),
        (107.950, 21.543),
        (107.971, 21.5365),
        (107.995, 21.5295),
        (108.015, 21.520),
        (108.030, 21.505),
        (108.060, 21.490),
        (108.150, 21.400),
        (108.150, 21.000),
        (107.300, 21.000),
        (107.300, 21.660),
    ]
    .into_iter()
    .map(|(x, y)| Coord { x, y })
    .collect();
    Polygon::new(LineString::new(ring), vec![])
}

/// Whether a WGS 84 point lies in mainland China, where GCJ-02 applies.
pub fn in_mainland_china(lon: f64, lat: f64) -> bool {
    let in_rectangle = (72.004..=137.8347).contains(&lon) && (0.8293..=55.8271).contains(&lat);
    in_rectangle && !vietnam_near_dongxing().contains(&Point::new(lon, lat))
}

/// Whether a record is Vietnamese: its `country`, or its zone's, is VN.
pub fn in_vietnam(inventory: &Inventory, record: RecordRef<'_>) -> bool {
    let is_vn = |v: Option<PropertyValue<'_>>| matches!(v, Some(PropertyValue::String("VN")));
    if is_vn(record.property(inventory, "country")) {
        return true;
    }
    let zone = match record.property(inventory, "zone") {
        Some(PropertyValue::String(code)) => code.to_owned(),
        Some(PropertyValue::Text(code)) => code,
        _ => return false,
    };
    records(inventory, Layer::Zones).any(|z| {
        matches!(z.property(inventory, "code"), Some(PropertyValue::String(c)) if c == zone)
            && is_vn(z.property(inventory, "country"))
    })
}

/// Shifts every position of a GeoJSON geometry that lies in mainland China to GCJ-02, rounded to 7 decimals.
pub fn shift_geometry(geometry: &mut Value) {
    fn walk(v: &mut Value) {
        let Value::Array(items) = v else { return };
        if let [Value::Number(x), Value::Number(y), ..] = &items[..]
            && let (Some(lon), Some(lat)) = (x.as_f64(), y.as_f64())
        {
            if in_mainland_china(lon, lat) {
                let (lon, lat) = wgs84_to_gcj02(lon, lat);
                let round = |n: f64| (n * 1e7).round() / 1e7;
                items[0] = serde_json::json!(round(lon));
                items[1] = serde_json::json!(round(lat));
            }
            return;
        }
        items.iter_mut().for_each(walk);
    }
    if let Some(coordinates) = geometry.get_mut("coordinates") {
        walk(coordinates);
    }
    if let Some(Value::Array(parts)) = geometry.get_mut("geometries") {
        parts.iter_mut().for_each(shift_geometry);
    }
}

/// A written GeoJSON feature in `coordsys`: returned as is for WGS 84 and for Vietnamese records.
///
/// Only the geometry is rewritten, spliced between the `"geometry":` and `,"properties":` that
/// [`landbank_geojson::write_feature`] writes, so the members keep their order and anything appended later still
/// finds the feature's closing braces where it expects them.
pub fn feature_in(coordsys: CoordSys, inventory: &Inventory, record: RecordRef<'_>, feature: Vec<u8>) -> Vec<u8> {
    if coordsys == CoordSys::Wgs84 || in_vietnam(inventory, record) {
        return feature;
    }
    rewrite_geometry(feature, shift_geometry)
}

/// A written GeoJSON feature with its geometry rewritten by `rewrite` (also used for the `crs` output).
///
/// The geometry is spliced between the `"geometry":` and `,"properties":` that
/// [`landbank_geojson::write_feature`] writes; the feature is returned as is if they cannot be found.
pub fn rewrite_geometry(feature: Vec<u8>, rewrite: impl FnOnce(&mut Value)) -> Vec<u8> {
    const START: &[u8] = b",\"geometry\":";
    const END: &[u8] = b",\"properties\":";
    let find = |from: usize, needle: &[u8]| {
        feature[from..].windows(needle.len()).position(|w| w == needle).map(|at| from + at)
    };
    let Some(start) = find(0, START).map(|at| at + START.len()) else { return feature };
    let Some(end) = find(start, END) else { return feature };
    let Ok(mut geometry) = serde_json::from_slice::<Value>(&feature[start..end]) else { return feature };
    rewrite(&mut geometry);
    let mut out = Vec::with_capacity(feature.len() + 64);
    out.extend_from_slice(&feature[..start]);
    if serde_json::to_writer(&mut out, &geometry).is_err() {
        return feature;
    }
    out.extend_from_slice(&feature[end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_beijing_test_vector_of_the_coordtransform_libraries_is_reproduced() {
        // wandergis/coordtransform README: wgs84togcj02(116.404, 39.915) = [116.41024449916938, 39.91640428150164].
        let (lon, lat) = wgs84_to_gcj02(116.404, 39.915);
        assert!((lon - 116.410_244_499_169_38).abs() < 1e-9, "{lon}");
        assert!((lat - 39.916_404_281_501_64).abs() < 1e-9, "{lat}");
    }

    #[test]
    fn mong_cai_is_not_mainland_china_but_dongxing_is() {
        assert!(!in_mainland_china(107.967, 21.533), "Mong Cai city centre");
        assert!(!in_mainland_china(107.93, 21.51), "Hai Yen twin park");
        assert!(in_mainland_china(107.975, 21.555), "Dongxing border zone");
        assert!(in_mainland_china(116.404, 39.915), "Beijing");
        assert!(!in_mainland_china(2.35, 48.85), "Paris");
    }
}
