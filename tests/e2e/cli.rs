//! The other commands: fixtures, export, import and check, run as a person would.

use std::fs;
use std::process::{Command, Output};

use crate::root;
use crate::server::Server;

fn landbank(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_landbank")).args(args).env("LANDBANK_LOG", "warn").output().expect("landbank runs")
}

/// A store created the way `serve` creates it (from the embedded fixtures).
fn store() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("landbank.gpkg");
    drop(Server::on(&path));
    (dir, path.to_string_lossy().into_owned())
}

#[test]
fn the_committed_fixtures_are_exactly_what_the_generator_writes() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let out = landbank(&["fixtures", "--out", &dir.path().to_string_lossy()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for layer in ["zones", "parcels", "buildings", "units", "projects", "pois"] {
        let generated = fs::read(dir.path().join(format!("{layer}.geojson"))).expect("generated file");
        let committed = fs::read(root().join(format!("fixtures/dongxing/{layer}.geojson"))).expect("committed file");
        assert!(generated == committed, "fixtures/dongxing/{layer}.geojson is stale: run `landbank fixtures`");
    }
}

#[test]
fn export_gives_back_the_fixtures_byte_for_byte() {
    let (_dir, store) = store();
    for layer in ["zones", "parcels", "buildings", "units", "projects", "pois"] {
        let out = landbank(&["export", "--layer", layer, "--store", &store]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let committed = fs::read(root().join(format!("fixtures/dongxing/{layer}.geojson"))).expect("committed file");
        assert!(out.stdout == committed, "{layer} did not survive GeoJSON → GeoPackage → GeoJSON unchanged");
    }
}

#[test]
fn check_finds_no_problem_in_the_fixtures() {
    let (_dir, store) = store();
    let out = landbank(&["check", "--store", &store]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("no problems found"), "{text}");
}

#[test]
fn importing_a_file_with_bad_features_lists_every_problem_and_writes_nothing() {
    let (dir, store) = store();
    let parcels: serde_json::Value =
        serde_json::from_slice(&fs::read(root().join("fixtures/dongxing/parcels.geojson")).expect("fixture"))
            .expect("JSON");
    let mut bad = parcels.clone();
    let features = bad["features"].as_array_mut().expect("features");
    features[3]["properties"]["availability"] = "sold-twice".into();
    features[7]["properties"]["stated_area_mu"] = "lots".into();
    features[11]["geometry"]["coordinates"] =
        serde_json::json!([[[108.0, 21.56], [108.01, 21.57], [108.0, 21.57], [108.01, 21.56], [108.0, 21.56]]]);
    let file = dir.path().join("bad.geojson");
    fs::write(&file, serde_json::to_vec(&bad).expect("JSON")).expect("written");

    let before = landbank(&["export", "--layer", "parcels", "--store", &store]).stdout;
    let out = landbank(&["import", &file.to_string_lossy(), "--layer", "parcels", "--store", &store]);
    let errors = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(errors.contains("feature 3") && errors.contains("sold-twice"), "{errors}");
    assert!(errors.contains("feature 7"), "{errors}");
    assert!(errors.contains("nothing was imported"), "{errors}");
    let after = landbank(&["export", "--layer", "parcels", "--store", &store]).stdout;
    assert!(before == after, "a refused import changed the store");
}

#[test]
fn importing_a_self_intersecting_parcel_is_refused_with_its_index() {
    let (dir, store) = store();
    let mut parcels: serde_json::Value =
        serde_json::from_slice(&fs::read(root().join("fixtures/dongxing/parcels.geojson")).expect("fixture"))
            .expect("JSON");
    let features = parcels["features"].as_array_mut().expect("features");
    let ring = features[5]["geometry"]["coordinates"][0].as_array().expect("ring").clone();
    // A bow tie: swap two corners of the outline.
    let mut bow = ring.clone();
    bow.swap(1, 2);
    features[5]["geometry"]["coordinates"][0] = serde_json::Value::Array(bow);
    let file = dir.path().join("bow.geojson");
    fs::write(&file, serde_json::to_vec(&parcels).expect("JSON")).expect("written");
    let out = landbank(&["import", &file.to_string_lossy(), "--layer", "parcels", "--store", &store]);
    let errors = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{errors}");
    assert!(errors.contains("feature 5"), "{errors}");
}

#[test]
fn importing_the_fixtures_again_succeeds() {
    let (_dir, store) = store();
    let file = root().join("fixtures/dongxing/units.geojson");
    let out = landbank(&["import", &file.to_string_lossy(), "--layer", "units", "--store", &store]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn gen_writes_a_synthetic_store_that_serves() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("synthetic.gpkg");
    let out = landbank(&["gen", "--parcels", "2000", "--out", &path.to_string_lossy()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let server = Server::on(&path);
    let doc = crate::client::get(&server.url("/collections/parcels/items?limit=1")).json();
    assert_eq!(doc["numberMatched"], 2000);
}

#[test]
fn a_token_made_with_the_cli_works_on_a_running_server_until_it_is_revoked() {
    let (_dir, path) = store();
    let server = Server::with(std::path::Path::new(&path), &["--token-refresh-s", "1"]);
    let out = landbank(&["token", "create", "--name", "survey-office", "--role", "admin", "--store", &path]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let secret = String::from_utf8(out.stdout).expect("UTF-8").trim().to_owned();
    assert!(secret.starts_with("lb_") && secret.len() == 67, "{secret}");
    let again = landbank(&["token", "create", "--name", "survey-office", "--role", "planner", "--store", &path]);
    assert!(!again.status.success(), "a name is never reused");

    let listed = landbank(&["token", "list", "--store", &path]);
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    assert!(listed.contains("survey-office") && listed.contains("admin") && !listed.contains(&secret), "{listed}");

    let bearer = format!("Bearer {secret}");
    let list = |auth: &str| crate::client::request("GET", &server.url("/tokens"), &[("Authorization", auth)]).status;
    // The server reloads the stored tokens every second.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while list(&bearer) != 200 {
        assert!(std::time::Instant::now() < deadline, "the new token never worked");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let revoked = landbank(&["token", "revoke", "survey-office", "--store", &path]);
    assert!(revoked.status.success(), "{}", String::from_utf8_lossy(&revoked.stderr));
    while list(&bearer) != 401 {
        assert!(std::time::Instant::now() < deadline, "the revoked token kept working");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let unknown = landbank(&["token", "revoke", "nobody", "--store", &path]);
    assert!(!unknown.status.success());
}
