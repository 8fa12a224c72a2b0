//! OGC API – Features Part 2: the `crs` and `bbox-crs` parameters, in each CRS's authority axis order.
//!
//! The data is stored as CGCS2000 longitude/latitude, served by default as CRS84. Supported besides: EPSG:4326 and
//! EPSG:4490 (latitude, longitude; CGCS2000 → WGS 84 is an identity here, as in PROJ's "ballpark" transformation,
//! the real difference being centimetres), EPSG:3857 (x, y; the closed-form Web Mercator) and EPSG:4545
//! (CGCS2000 / 3-degree Gauss–Krüger CM 108E; northing, easting; transformed with `proj4rs`, which matches PROJ to
//! well under a millimetre). Geographic coordinates are written with 7 decimals, projected ones with 3 (mm).

use std::sync::LazyLock;

use proj4rs::Proj;
use serde_json::Value;

use crate::error::ApiError;
use crate::query::Params;

/// The OGC URI of CRS84, longitude/latitude on WGS 84: the default of every features answer.
pub const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

/// Web Mercator sphere radius (EPSG:3857), metres.
const MERCATOR_RADIUS: f64 = 6_378_137.0;
/// The latitude limit of Web Mercator, degrees; points beyond are clamped to it.
const MERCATOR_MAX_LAT: f64 = 85.051_128_779_806_59;

/// A coordinate reference system the features endpoints can answer in (and take `bbox` in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Crs {
    /// WGS 84 longitude, latitude (the default; also how the data is stored, to centimetres).
    #[default]
    Crs84,
    /// WGS 84 latitude, longitude.
    Epsg4326,
    /// CGCS2000 latitude, longitude.
    Epsg4490,
    /// Web Mercator x, y in metres.
    Epsg3857,
    /// CGCS2000 / 3-degree Gauss–Krüger CM 108E: northing, easting in metres (false easting 500 000).
    Epsg4545,
}

impl Crs {
    /// Every supported CRS, the default first.
    pub const ALL: [Crs; 5] = [Crs::Crs84, Crs::Epsg4326, Crs::Epsg4490, Crs::Epsg3857, Crs::Epsg4545];

    /// The OGC URI that names this CRS in `crs`, `bbox-crs`, collection `crs` lists and `Content-Crs`.
    pub fn uri(self) -> &'static str {
        match self {
            Crs::Crs84 => CRS84,
            Crs::Epsg4326 => "http://www.opengis.net/def/crs/EPSG/0/4326",
            Crs::Epsg4490 => "http://www.opengis.net/def/crs/EPSG/0/4490",
            Crs::Epsg3857 => "http://www.opengis.net/def/crs/EPSG/0/3857",
            Crs::Epsg4545 => "http://www.opengis.net/def/crs/EPSG/0/4545",
        }
    }

    /// The short form also accepted, such as `EPSG:4490`.
    fn short(self) -> &'static str {
        match self {
            Crs::Crs84 => "OGC:CRS84",
            Crs::Epsg4326 => "EPSG:4326",
            Crs::Epsg4490 => "EPSG:4490",
            Crs::Epsg3857 => "EPSG:3857",
            Crs::Epsg4545 => "EPSG:4545",
        }
    }

    /// The URIs of every supported CRS, for collection metadata and the OpenAPI enums.
    pub fn uris() -> Vec<&'static str> {
        Crs::ALL.into_iter().map(Crs::uri).collect()
    }

    /// A CRS from its URI, its short form (`EPSG:4490`, `OGC:CRS84`, `CRS84`) or a safe CURIE (`[EPSG:4490]`).
    pub fn from_name(raw: &str) -> Option<Crs> {
        let raw = raw.trim();
        let raw = raw.strip_prefix('[').and_then(|r| r.strip_suffix(']')).unwrap_or(raw);
        let raw = raw.strip_prefix('<').and_then(|r| r.strip_suffix('>')).unwrap_or(raw);
        Crs::ALL.into_iter().find(|c| {
            raw == c.uri()
                || raw.eq_ignore_ascii_case(c.short())
                || (*c == Crs::Crs84 && raw.eq_ignore_ascii_case("CRS84"))
        })
    }

    /// The parameter `name` (`crs` or `bbox-crs`): CRS84 when absent, a 400 listing the supported ones when unknown.
    pub fn parse(params: &Params, name: &str) -> Result<Crs, ApiError> {
        let Some(raw) = params.get(name) else { return Ok(Crs::Crs84) };
        Crs::from_name(raw).ok_or_else(|| {
            ApiError::invalid(name, format!("`{raw}` is not supported; use one of: {}", Crs::uris().join(", ")))
        })
    }

    /// Whether coordinates are metres (else degrees).
    pub fn is_projected(self) -> bool {
        matches!(self, Crs::Epsg3857 | Crs::Epsg4545)
    }

    /// Decimals written: 3 (millimetres) for projected CRSs, 7 (about a centimetre) for geographic ones.
    pub fn decimals(self) -> i32 {
        if self.is_projected() { 3 } else { 7 }
    }

    /// A CRS84 longitude/latitude (degrees) in this CRS, in its authority axis order.
    pub fn forward(self, lon: f64, lat: f64) -> Option<(f64, f64)> {
        match self {
            Crs::Crs84 => Some((lon, lat)),
            Crs::Epsg4326 | Crs::Epsg4490 => Some((lat, lon)),
            Crs::Epsg3857 => {
                let lat = lat.clamp(-MERCATOR_MAX_LAT, MERCATOR_MAX_LAT).to_radians();
                let y = MERCATOR_RADIUS * (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln();
                Some((MERCATOR_RADIUS * lon.to_radians(), y))
            }
            Crs::Epsg4545 => {
                let (geographic, gauss_kruger) = GAUSS_KRUGER.as_ref()?;
                let (easting, northing) =
                    proj4rs::adaptors::transform_xy(geographic, gauss_kruger, lon.to_radians(), lat.to_radians())
                        .ok()?;
                Some((northing, easting)).filter(|(n, e)| n.is_finite() && e.is_finite())
            }
        }
    }

    /// A position given in this CRS (authority axis order) as CRS84 longitude/latitude in degrees.
    pub fn inverse(self, first: f64, second: f64) -> Option<(f64, f64)> {
        match self {
            Crs::Crs84 => Some((first, second)),
            Crs::Epsg4326 | Crs::Epsg4490 => Some((second, first)),
            Crs::Epsg3857 => {
                let lat = (second / MERCATOR_RADIUS).sinh().atan().to_degrees();
                Some(((first / MERCATOR_RADIUS).to_degrees(), lat))
            }
            Crs::Epsg4545 => {
                let (geographic, gauss_kruger) = GAUSS_KRUGER.as_ref()?;
                let (lon, lat) = proj4rs::adaptors::transform_xy(gauss_kruger, geographic, second, first).ok()?;
                Some((lon.to_degrees(), lat.to_degrees())).filter(|(x, y)| x.is_finite() && y.is_finite())
            }
        }
    }

    /// A `bbox` given in this CRS as `min_lon, min_lat, max_lon, max_lat`: each edge is densified to 16 points
    /// and their CRS84 envelope taken, so the box found contains the one asked for.
    ///
    /// The numbers come in this CRS's axis order (`minLat,minLon,maxLat,maxLon` for EPSG:4326, for instance).
    pub fn bbox_to_crs84(self, corners: [f64; 4]) -> Option<[f64; 4]> {
        const STEPS: u32 = 16;
        if self == Crs::Crs84 {
            return Some(corners);
        }
        let [min_first, min_second, max_first, max_second] = corners;
        let mut envelope = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        for step in 0..=STEPS {
            let along = f64::from(step) / f64::from(STEPS);
            let first = min_first + (max_first - min_first) * along;
            let second = min_second + (max_second - min_second) * along;
            let edges = [(first, min_second), (first, max_second), (min_first, second), (max_first, second)];
            for (edge_first, edge_second) in edges {
                let (lon, lat) = self.inverse(edge_first, edge_second)?;
                envelope = [envelope[0].min(lon), envelope[1].min(lat), envelope[2].max(lon), envelope[3].max(lat)];
            }
        }
        Some(envelope)
    }

    /// Rewrites every position of a GeoJSON geometry (in CRS84) into this CRS, rounded to [`Crs::decimals`].
    pub fn transform_geometry(self, geometry: &mut Value) {
        fn walk(crs: Crs, scale: f64, v: &mut Value) {
            let Value::Array(items) = v else { return };
            if let [Value::Number(x), Value::Number(y), ..] = &items[..]
                && let (Some(lon), Some(lat)) = (x.as_f64(), y.as_f64())
            {
                if let Some((first, second)) = crs.forward(lon, lat) {
                    items[0] = serde_json::json!((first * scale).round() / scale);
                    items[1] = serde_json::json!((second * scale).round() / scale);
                }
                return;
            }
            for item in items {
                walk(crs, scale, item);
            }
        }
        if self == Crs::Crs84 {
            return;
        }
        let scale = 10f64.powi(self.decimals());
        if let Some(coordinates) = geometry.get_mut("coordinates") {
            walk(self, scale, coordinates);
        }
        if let Some(Value::Array(parts)) = geometry.get_mut("geometries") {
            for part in parts {
                self.transform_geometry(part);
            }
        }
    }
}

impl Crs {
    /// Rewrites every position of a GeoJSON geometry given in this CRS (authority axis order) into CRS84.
    ///
    /// # Errors
    ///
    /// The first position that is not a pair of numbers this CRS can take back to longitude and latitude.
    pub fn geometry_to_crs84(self, geometry: &mut Value) -> Result<(), String> {
        fn walk(crs: Crs, v: &mut Value) -> Result<(), String> {
            let Value::Array(items) = v else { return Ok(()) };
            if let [Value::Number(x), Value::Number(y), ..] = &items[..] {
                let (first, second) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
                let (lon, lat) = crs
                    .inverse(first, second)
                    .filter(|(lon, lat)| lon.abs() <= 180.0 && lat.abs() <= 90.0)
                    .ok_or_else(|| format!("position [{first}, {second}] is not a valid position in {}", crs.uri()))?;
                items[0] = serde_json::json!(lon);
                items[1] = serde_json::json!(lat);
                return Ok(());
            }
            items.iter_mut().try_for_each(|item| walk(crs, item))
        }
        if self == Crs::Crs84 {
            return Ok(());
        }
        if let Some(coordinates) = geometry.get_mut("coordinates") {
            walk(self, coordinates)?;
        }
        if let Some(Value::Array(parts)) = geometry.get_mut("geometries") {
            for part in parts {
                self.geometry_to_crs84(part)?;
            }
        }
        Ok(())
    }
}

/// CGCS2000 geographic (EPSG:4490) and Gauss–Krüger CM 108E (EPSG:4545), from the bundled EPSG definitions.
static GAUSS_KRUGER: LazyLock<Option<(Proj, Proj)>> =
    LazyLock::new(|| Some((Proj::from_epsg_code(4490).ok()?, Proj::from_epsg_code(4545).ok()?)));

/// The OpenAPI description of the `crs` parameter.
pub fn crs_parameter() -> Value {
    serde_json::json!({ "name": "crs", "in": "query", "required": false, "style": "form", "explode": false,
            "description": "CRS of the answer's coordinates, in its authority axis order (EPSG:4326 and 4490: lat,lon; EPSG:4545: northing,easting; CRS84 and EPSG:3857: x,y). The answer names it in `Content-Crs`.",
            "schema": { "type": "string", "format": "uri", "enum": Crs::uris(), "default": CRS84 } })
}

/// The OpenAPI description of the `bbox-crs` parameter.
pub fn bbox_crs_parameter() -> Value {
    serde_json::json!({ "name": "bbox-crs", "in": "query", "required": false, "style": "form", "explode": false,
            "description": "CRS of `bbox`, whose numbers come in that CRS's authority axis order.",
            "schema": { "type": "string", "format": "uri", "enum": Crs::uris(), "default": CRS84 } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_crs_is_found_by_uri_and_by_short_name() {
        for crs in Crs::ALL {
            assert_eq!(Crs::from_name(crs.uri()), Some(crs));
            assert_eq!(Crs::from_name(crs.short()), Some(crs));
        }
        assert_eq!(Crs::from_name("[EPSG:4545]"), Some(Crs::Epsg4545));
        assert_eq!(Crs::from_name("EPSG:4543"), None);
    }

    #[test]
    fn the_dongxing_government_matches_proj_in_every_crs() {
        // PROJ 9 through pyproj 3, for lon 107.9717, lat 21.5478 (EPSG:4490/4326 → 4545 and 3857).
        let (n, e) = Crs::Epsg4545.forward(107.9717, 21.5478).expect("4545");
        assert!((n - 2_383_729.886_173_306).abs() < 1e-3 && (e - 497_068.507_119_890_8).abs() < 1e-3, "{n} {e}");
        let (x, y) = Crs::Epsg3857.forward(107.9717, 21.5478).expect("3857");
        assert!((x - 12_019_354.664_084_097).abs() < 1e-2 && (y - 2_457_319.042_562_671_5).abs() < 1e-2, "{x} {y}");
        assert_eq!(Crs::Epsg4490.forward(107.9717, 21.5478), Some((21.5478, 107.9717)));
        assert_eq!(Crs::Epsg4326.forward(107.9717, 21.5478), Some((21.5478, 107.9717)));
    }

    #[test]
    fn positions_survive_a_round_trip_through_every_crs() {
        for crs in Crs::ALL {
            let (a, b) = crs.forward(107.9717, 21.5478).expect("forward");
            let (lon, lat) = crs.inverse(a, b).expect("inverse");
            assert!((lon - 107.9717).abs() < 1e-9 && (lat - 21.5478).abs() < 1e-9, "{crs:?}: {lon} {lat}");
        }
    }
}
