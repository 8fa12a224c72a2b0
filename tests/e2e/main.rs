//! End-to-end tests: the real `landbank` binary, started on port 0, read over HTTP and by GDAL's `ogrinfo`, over a
//! GeoPackage and (whenever `LANDBANK_TEST_DATABASE_URL` is set) over PostgreSQL + PostGIS.

mod api_fuzz;
mod browser;
mod cli;
mod client;
mod clients;
mod crash;
mod nodes;
mod ogr;
mod postgis;
mod serve;
mod server;
mod write;

/// The repository root.
pub fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Number of features in a committed fixture file.
pub fn fixture_count(layer: &str) -> usize {
    let path = root().join(format!("fixtures/dongxing/{layer}.geojson"));
    let text = std::fs::read_to_string(&path).expect("fixture file is readable");
    let value: serde_json::Value = serde_json::from_str(&text).expect("fixture is JSON");
    value["features"].as_array().expect("a FeatureCollection").len()
}
