//! GDAL's `ogrinfo` reads the store file and the running server: real clients that nobody here wrote.

use std::process::Command;

use crate::fixture_count;
use crate::server::Server;

/// `ogrinfo`, or `None` outside CI when GDAL is not installed (CI installs it and then requires it).
fn ogrinfo() -> Option<Command> {
    let found = Command::new("ogrinfo").arg("--version").output().is_ok_and(|o| o.status.success());
    if found {
        return Some(Command::new("ogrinfo"));
    }
    assert!(std::env::var("CI").is_err(), "ogrinfo is required under CI; install gdal-bin");
    eprintln!("note: ogrinfo not found; install gdal-bin to run this test");
    None
}

fn feature_count(output: &str) -> Option<usize> {
    output.lines().find_map(|l| l.trim().strip_prefix("Feature Count: ")).and_then(|n| n.trim().parse().ok())
}

#[test]
fn ogrinfo_reads_every_layer_of_the_store_in_cgcs2000() {
    let Some(mut ogr) = ogrinfo() else { return };
    let server = Server::start();
    assert!(server.store.is_file(), "the server created its store");
    let out = ogr.args(["-ro", "-so", "-al"]).arg(&server.store).output().expect("ogrinfo runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "ogrinfo failed: {}", String::from_utf8_lossy(&out.stderr));
    for (table, layer) in
        [("zone", "zones"), ("parcel", "parcels"), ("building", "buildings"), ("unit", "units"), ("poi", "pois")]
    {
        let section = text
            .split("Layer name: ")
            .find(|s| s.starts_with(&format!("{table}\n")))
            .unwrap_or_else(|| panic!("ogrinfo does not list layer {table}:\n{text}"));
        assert_eq!(feature_count(section), Some(fixture_count(layer)), "feature count of {table}");
        assert!(
            section.contains("ID[\"EPSG\",4490]") || section.contains("AUTHORITY[\"EPSG\",\"4490\"]"),
            "{table} is not in EPSG:4490:\n{section}"
        );
    }
}

#[test]
fn ogrinfo_reads_the_running_server_as_an_ogc_api_features_source() {
    let Some(mut ogr) = ogrinfo() else { return };
    let server = Server::start();
    let out =
        ogr.args(["-ro", "-so"]).arg(format!("OAPIF:{}", server.base)).arg("parcels").output().expect("ogrinfo runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "ogrinfo failed: {}\n{text}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(feature_count(&text), Some(fixture_count("parcels")), "{text}");
}

#[test]
fn ogrinfo_pages_through_a_whole_collection_by_next_links() {
    let Some(mut ogr) = ogrinfo() else { return };
    let server = Server::start();
    // Without -so, GDAL reads every feature, following `next` links page by page (10 per page on GDAL 3.6).
    let out = ogr
        .args(["-ro", "-q", "-oo", "PAGE_SIZE=40"])
        .arg(format!("OAPIF:{}", server.base))
        .arg("buildings")
        .output()
        .expect("ogrinfo runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "ogrinfo failed: {}", String::from_utf8_lossy(&out.stderr));
    let features = text.lines().filter(|l| l.starts_with("OGRFeature(buildings):")).count();
    assert_eq!(features, fixture_count("buildings"), "{text}");
}
