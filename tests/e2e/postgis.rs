//! The binary over PostgreSQL + PostGIS (whenever `LANDBANK_TEST_DATABASE_URL` is set; each test gets its own
//! database): `migrate`, `copy` there and back with identical exports, `serve --database-url` filling an empty
//! database and keeping a reservation across a restart, and `import`/`check` on a database.

use std::fs;
use std::process::{Command, Output};

use landbank_store::scratch::ScratchDatabase;
use serde_json::json;

use crate::client::{get, send};
use crate::server::Server;
use crate::{fixture_count, root};

const LAYERS: [&str; 6] = ["zones", "parcels", "buildings", "units", "projects", "pois"];

fn landbank(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_landbank")).args(args).env("LANDBANK_LOG", "warn").output().expect("landbank runs")
}

fn succeeds(args: &[&str]) -> String {
    let out = landbank(args);
    assert!(out.status.success(), "landbank {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn migrate_brings_a_database_up_to_date_once() {
    let Some(db) = ScratchDatabase::from_env() else { return };
    let first = succeeds(&["migrate", "--database-url", db.url()]);
    assert!(first.contains("applied migration 1"), "{first}");
    let again = succeeds(&["migrate", "--database-url", db.url()]);
    assert!(again.contains("the schema is up to date"), "{again}");
}

#[test]
fn copy_takes_the_fixtures_to_postgis_and_back_with_identical_exports() {
    let Some(db) = ScratchDatabase::from_env() else { return };
    let dir = tempfile::tempdir().expect("temporary directory");
    let first = dir.path().join("first.gpkg");
    drop(Server::on(&first)); // `serve` creates the store from the embedded fixtures
    let (first, back) = (first.to_string_lossy().into_owned(), dir.path().join("back.gpkg"));
    let back = back.to_string_lossy().into_owned();

    let out = succeeds(&["copy", "--from", &first, "--to", db.url()]);
    assert!(out.contains(&format!("{} parcels", fixture_count("parcels"))), "{out}");
    succeeds(&["copy", "--from", db.url(), "--to", &back]);

    for layer in LAYERS {
        let original = succeeds(&["export", "--layer", layer, "--store", &first]);
        let postgis = succeeds(&["export", "--layer", layer, "--database-url", db.url()]);
        let returned = succeeds(&["export", "--layer", layer, "--store", &back]);
        assert!(original == postgis, "{layer} changed on the way into PostGIS");
        assert!(original == returned, "{layer} changed on the way back from PostGIS");
    }

    let refused = landbank(&["copy", "--from", &first, "--to", db.url()]);
    assert!(!refused.status.success(), "a copy into a database that holds an inventory is refused");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("the store is not empty"));
}

#[test]
fn serve_fills_an_empty_database_and_a_reservation_survives_a_restart() {
    const TOKEN: &str = "planner:correct-horse-battery-staple";
    let Some(db) = ScratchDatabase::from_env() else { return };
    let server = Server::with_database(db.url(), &["--token", TOKEN]);
    let parcels = get(&server.url("/collections/parcels/items?limit=1")).json();
    assert_eq!(parcels["numberMatched"], fixture_count("parcels"));

    let available = get(&server.url("/collections/parcels/items?availability=available&class=III&limit=1000")).json();
    let parcel = available["features"]
        .as_array()
        .expect("features")
        .iter()
        .find(|f| f["properties"]["available_from"].as_str().is_none_or(|d| d <= "2026-01-01"))
        .and_then(|f| f["id"].as_i64())
        .expect("a class-III parcel available now");
    let projects = get(&server.url("/collections/projects/items?stage=signed&limit=1")).json();
    let project = projects["features"][0]["id"].as_i64().expect("a signed project");
    let headers = [("Authorization", "Bearer correct-horse-battery-staple"), ("Content-Type", "application/json")];
    let body = json!({ "project_id": project, "parcel_id": parcel }).to_string();
    let reserved = send("POST", &server.url("/reservations"), &headers, body.as_bytes());
    assert_eq!(reserved.status, 201, "{}", String::from_utf8_lossy(&reserved.body));
    let again = send("POST", &server.url("/reservations"), &headers, body.as_bytes());
    assert_eq!(again.status, 409, "{}", String::from_utf8_lossy(&again.body));
    let id = reserved.json()["id"].clone();
    server.kill_hard();

    let server = Server::with_database(db.url(), &["--token", TOKEN]);
    let stored =
        crate::client::get_as(&server.url(&format!("/reservations/{id}")), "Bearer correct-horse-battery-staple")
            .json();
    assert_eq!((&stored["status"], &stored["parcel_id"]), (&json!("active"), &json!(parcel)));
    let feature = get(&server.url(&format!("/collections/parcels/items/{parcel}"))).json();
    assert_eq!(feature["properties"]["availability"], "held");
    let history = crate::client::get_as(
        &server.url(&format!("/parcels/{parcel}/history")),
        "Bearer correct-horse-battery-staple",
    )
    .json();
    assert_eq!(history["events"][0]["kind"], "reserve", "{history}");
    assert_eq!(
        get(&server.url("/collections/parcels/items?limit=1")).json()["numberMatched"],
        fixture_count("parcels"),
        "a restart does not fill the database again"
    );
}

#[test]
fn import_and_check_work_on_a_database() {
    let Some(db) = ScratchDatabase::from_env() else { return };
    drop(Server::with_database(db.url(), &[]));
    let units = root().join("fixtures/dongxing/units.geojson");
    let out = succeeds(&["import", &units.to_string_lossy(), "--layer", "units", "--database-url", db.url()]);
    assert!(out.contains(&format!("imported {} units", fixture_count("units"))), "{out}");
    let exported = succeeds(&["export", "--layer", "units", "--database-url", db.url()]);
    assert!(exported.as_bytes() == fs::read(&units).expect("fixture"), "units changed through import and export");
    let report = succeeds(&["check", "--database-url", db.url()]);
    assert!(report.contains("no problems found"), "{report}");
}

#[test]
fn a_file_and_a_database_cannot_both_be_the_store() {
    let out = landbank(&["check", "--store", "x.gpkg", "--database-url", "postgres://localhost/x"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot be used with"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn gen_fills_an_empty_database_that_serves() {
    let Some(db) = ScratchDatabase::from_env() else { return };
    let out = succeeds(&["gen", "--parcels", "1500", "--out", db.url()]);
    assert!(out.contains("1500 parcels"), "{out}");
    let server = Server::with_database(db.url(), &[]);
    let doc = get(&server.url("/collections/parcels/items?limit=1")).json();
    assert_eq!(doc["numberMatched"], 1500);
    let again = landbank(&["gen", "--parcels", "10", "--out", db.url()]);
    assert!(!again.status.success(), "a second gen into a filled database must be refused");
}
