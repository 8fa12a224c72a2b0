//! What only the GeoPackage store does, against real files: the GeoPackage structure and R-tree indexes, files
//! that are not landbank stores, schema upgrades, corrupt rows, and a real GIS client (GDAL's ogrinfo). What every
//! store does is in `contract.rs`.

use std::path::Path;
use std::process::Command;

mod sample;

use landbank_inventory::{Availability, InventoryParts, Layer, ParcelId};
use landbank_store::{GeoPackage, NewEvent, SCHEMA_VERSION, StoreError, register_sql_functions};
use rusqlite::Connection;
use sample::{AT, assert_same, rect, sample};

/// A plain SQLite connection to a file, with the ST_ functions the R-tree triggers need.
fn sql(path: &Path) -> Connection {
    let conn = Connection::open(path).expect("the file opens");
    register_sql_functions(&conn).expect("the functions register");
    conn
}

fn count(conn: &Connection, query: &str) -> i64 {
    conn.query_row(query, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{query}: {e}"))
}

#[test]
fn an_empty_inventory_makes_a_valid_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.gpkg");
    let store = GeoPackage::create(&path, &InventoryParts::default()).unwrap();
    assert_same(&store.load().unwrap(), &InventoryParts::default());
    assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_owned()]);
}

#[test]
fn the_file_is_a_geopackage_with_registered_layers_and_spatial_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("park.gpkg");
    let parts = sample();
    let store = GeoPackage::create(&path, &parts).unwrap();
    assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_owned()]);
    drop(store);
    let conn = sql(&path);

    assert_eq!(count(&conn, "pragma application_id"), 0x4750_4B47);
    assert_eq!(count(&conn, "pragma user_version"), 10_400);
    assert_eq!(conn.pragma_query_value(None, "journal_mode", |r| r.get::<_, String>(0)).unwrap(), "wal");

    let srs: Vec<(i64, String, String)> = conn
        .prepare("select srs_id, organization, definition from gpkg_spatial_ref_sys order by srs_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(srs.iter().map(|s| s.0).collect::<Vec<_>>(), vec![-1, 0, 4326, 4490]);
    assert!(srs[3].2.starts_with("GEOGCS[\"China Geodetic Coordinate System 2000\""));
    assert!(srs[3].2.ends_with("AUTHORITY[\"EPSG\",\"4490\"]]"));

    let contents: Vec<(String, String, Option<i64>, Option<f64>)> = conn
        .prepare("select table_name, data_type, srs_id, min_x from gpkg_contents order by table_name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let expected = [
        ("allocation", "attributes"),
        ("building", "features"),
        ("event", "attributes"),
        ("hold", "attributes"),
        ("parcel", "features"),
        ("poi", "features"),
        ("project", "attributes"),
        ("project_unit", "attributes"),
        ("reservation", "attributes"),
        ("unit", "features"),
        ("zone", "features"),
    ];
    assert_eq!(contents.len(), expected.len());
    for ((table, data_type, srs_id, min_x), (want_table, want_type)) in contents.iter().zip(expected) {
        assert_eq!((table.as_str(), data_type.as_str()), (want_table, want_type));
        if want_type == "features" {
            assert_eq!(*srs_id, Some(4490), "{table}");
            assert!(min_x.is_some(), "{table} has a bounding box");
        } else {
            assert_eq!(*srs_id, None, "{table}");
        }
    }
    let zone_box: (f64, f64, f64, f64) = conn
        .query_row("select min_x, min_y, max_x, max_y from gpkg_contents where table_name = 'zone'", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .unwrap();
    assert_eq!(zone_box, (107.95, 21.50, 108.0, 21.56));

    let columns: Vec<(String, String, String, i64)> = conn
        .prepare(
            "select table_name, column_name, geometry_type_name, srs_id from gpkg_geometry_columns order by table_name",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let columns: Vec<_> = columns.iter().map(|(t, c, g, s)| (t.as_str(), c.as_str(), g.as_str(), *s)).collect();
    assert_eq!(
        columns,
        vec![
            ("building", "geom", "POLYGON", 4490),
            ("parcel", "geom", "POLYGON", 4490),
            ("poi", "geom", "GEOMETRY", 4490),
            ("unit", "geom", "POLYGON", 4490),
            ("zone", "geom", "POLYGON", 4490),
        ]
    );

    // One rtree row per feature with a geometry; the unit without an outline has none.
    for (table, features) in [("zone", 2), ("parcel", 2), ("building", 2), ("unit", 1), ("poi", 2)] {
        assert_eq!(count(&conn, &format!("select count(*) from rtree_{table}_geom")), features, "{table}");
        assert_eq!(
            count(
                &conn,
                &format!(
                    "select count(*) from gpkg_extensions where table_name = '{table}' and column_name = 'geom' and extension_name = 'gpkg_rtree_index'"
                )
            ),
            1
        );
        assert_eq!(
            count(
                &conn,
                &format!(
                    "select count(*) from sqlite_master where type = 'trigger' and name like 'rtree_{table}_geom_%'"
                )
            ),
            7
        );
    }
    // The index holds each feature's envelope (rounded outwards to 32-bit floats).
    let (minx, maxy): (f64, f64) = conn
        .query_row("select minx, maxy from rtree_parcel_geom where id = 10", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert!(minx <= 107.961_234_567_890_1 && 107.961_234_567_890_1 - minx < 1e-5);
    assert!(maxy >= 21.532_934_567_890_1 && maxy - 21.532_934_567_890_1 < 1e-5);

    assert_eq!(count(&conn, "select max(version) from landbank_schema"), SCHEMA_VERSION);
    assert_eq!(count(&conn, "select count(*) from parcel where version = 1"), 2);
}

#[test]
fn creating_over_an_existing_file_is_refused_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("park.gpkg");
    std::fs::write(&path, "precious").unwrap();
    let err = GeoPackage::create(&path, &sample()).unwrap_err();
    assert!(matches!(err, StoreError::Exists { .. }), "{err:?}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious");
}

#[test]
fn a_failed_create_leaves_no_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("park.gpkg");
    let mut parts = sample();
    parts.parcels[1].id = parts.parcels[0].id;
    let err = GeoPackage::create(&path, &parts).unwrap_err();
    assert!(matches!(err, StoreError::Rejected { table: "parcel", fid: 10, .. }), "{err:?}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn replacing_a_layer_keeps_its_spatial_index_and_extent_in_step() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("park.gpkg");
    let mut store = GeoPackage::create(&path, &sample()).unwrap();
    let mut next = sample();
    next.parcels.remove(1);
    next.parcels[0].availability = Availability::Reclaimed;
    let mut added = next.parcels[0].clone();
    added.id = ParcelId(12);
    added.plot_no = "KHQ-01-05".into();
    added.geometry = rect(108.2, 21.7, 0.001, 0.001);
    next.parcels.push(added);
    assert_eq!(store.replace_layer(&next, Layer::Parcels, "admin", AT).unwrap(), 2);
    drop(store);

    let conn = sql(&path);
    let versions: Vec<(i64, i64)> = conn
        .prepare("select fid, version from parcel order by fid")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(versions, vec![(10, 2), (12, 1)]);
    assert_eq!(count(&conn, "select count(*) from rtree_parcel_geom"), 2);
    assert_eq!(count(&conn, "select count(*) from rtree_parcel_geom where id = 11"), 0);
    assert_eq!(
        count(&conn, "select count(*) from rtree_parcel_geom where minx <= 108.2 and maxx >= 108.2 and id = 12"),
        1
    );
    let (max_x, last_change): (f64, String) = conn
        .query_row("select max_x, last_change from gpkg_contents where table_name = 'parcel'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(max_x.to_bits(), (108.2_f64 + 0.001).to_bits());
    assert_eq!(last_change, "2026-11-27T09:30:00.000Z");
}

#[test]
fn a_failing_replace_keeps_the_spatial_index_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("park.gpkg");
    let mut store = GeoPackage::create(&path, &sample()).unwrap();
    let mut bad = sample();
    bad.parcels[0].availability = Availability::Retired;
    bad.parcels.push(bad.parcels[0].clone()); // duplicate id 10: the second insert is refused

    let err = store.replace_layer(&bad, Layer::Parcels, "admin", AT).unwrap_err();
    assert!(matches!(err, StoreError::Rejected { table: "parcel", fid: 10, .. }), "{err:?}");
    assert!(err.to_string().starts_with("parcel 10: row rejected"), "{err}");
    assert_same(&store.load().unwrap(), &sample());
    assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_owned()]);
    drop(store);
    let conn = sql(&path);
    assert_eq!(count(&conn, "select count(*) from rtree_parcel_geom"), 2);
    assert_eq!(count(&conn, "select count(*) from parcel where version = 1"), 2);
}

#[test]
fn an_event_without_a_timestamp_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = GeoPackage::create(&dir.path().join("park.gpkg"), &sample()).unwrap();
    let err = store
        .append_event(&NewEvent {
            at: "2026-11-27",
            actor: "planner-7",
            kind: "reserve",
            layer: "parcels",
            record_id: Some(11),
            before: None,
            after: None,
        })
        .unwrap_err();
    assert_eq!(err.to_string(), "event time `2026-11-27` is not an rfc 3339 timestamp");
}

#[test]
fn opening_a_file_that_is_not_a_geopackage_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.gpkg");
    std::fs::write(&text, "this is not a database, just some text that is long enough to have a header").unwrap();
    let err = GeoPackage::open(&text).unwrap_err();
    assert!(matches!(err, StoreError::NotAGeoPackage { .. }), "{err:?}");
    assert_eq!(err.to_string(), format!("{} is not a geopackage", text.display()));

    let plain = dir.path().join("plain.sqlite");
    sql(&plain).execute_batch("create table t (x integer)").unwrap();
    assert!(matches!(GeoPackage::open(&plain), Err(StoreError::NotAGeoPackage { .. })));

    let empty = dir.path().join("empty.gpkg");
    std::fs::write(&empty, "").unwrap();
    assert!(matches!(GeoPackage::open(&empty), Err(StoreError::NotAGeoPackage { .. })));
}

#[test]
fn opening_a_missing_file_does_not_create_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing.gpkg");
    assert!(matches!(GeoPackage::open(&path), Err(StoreError::Open { .. })));
    assert!(!path.exists());
}

#[test]
fn opening_a_foreign_geopackage_says_it_lacks_the_landbank_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.gpkg");
    sql(&path)
        .execute_batch("pragma application_id = 1196444487; create table gpkg_contents (table_name text)")
        .unwrap();
    assert!(matches!(GeoPackage::open(&path), Err(StoreError::NotALandbankStore { .. })));
}

#[test]
fn opening_a_store_whose_schema_table_is_empty_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("park.gpkg");
    drop(GeoPackage::create(&path, &sample()).unwrap());
    sql(&path).execute("delete from landbank_schema", []).unwrap();
    assert!(matches!(GeoPackage::open(&path), Err(StoreError::NotALandbankStore { .. })));
}

/// The parcel columns of schema version 1, as `migrations/gpkg/0001_inventory.sql` creates them.
const PARCEL_COLUMNS_V1: &str = "fid, plot_no, parcel_code, zone_id, geom, area_m2, stated_area_mu, land_use_system, \
     land_use_code, availability, dev_stage, supply_method, revitalized, term_years, price_wan_per_mu, plot_ratio_min, \
     plot_ratio_max, coverage_min, height_max_m, power_available_kva, holder, project_id, available_from, supply_date, \
     agreed_start_date, agreed_completion_date, actual_start_date, version";

#[test]
fn a_store_created_at_schema_version_1_opens_upgraded_with_its_parcels_intact() {
    let dir = tempfile::tempdir().unwrap();
    let current = dir.path().join("current.gpkg");
    drop(GeoPackage::create(&current, &sample()).unwrap());
    // A file as landbank wrote it at schema version 1: the first migration only, and parcel rows of that schema.
    let old = dir.path().join("old.gpkg");
    let conn = sql(&old);
    conn.execute_batch(include_str!("../../../migrations/gpkg/0001_inventory.sql")).unwrap();
    conn.execute("insert into landbank_schema (version, name) values (1, 'inventory')", []).unwrap();
    conn.execute("attach database ?1 as current", [current.to_str().unwrap()]).unwrap();
    conn.execute(
        &format!("insert into parcel ({PARCEL_COLUMNS_V1}) select {PARCEL_COLUMNS_V1} from current.parcel"),
        [],
    )
    .unwrap();
    conn.execute("detach database current", []).unwrap();
    assert!(conn.prepare("select government_caused from parcel").is_err(), "a version-1 file has no idle columns");
    drop(conn);

    let mut store = GeoPackage::open(&old).unwrap();
    let versions: Vec<(i64, String)> = sql(&old)
        .prepare("select version, name from landbank_schema order by version")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(versions[..2], [(1, "inventory".to_owned()), (2, "idle_land".to_owned())]);
    assert_eq!(versions.last().map(|v| v.0), Some(SCHEMA_VERSION));
    // The old parcels come back with the idle-land fields empty.
    let mut expected = sample();
    for p in &mut expected.parcels {
        p.required_gfa_m2 = None;
        p.built_gfa_m2 = None;
        p.total_investment_wan = None;
        p.invested_wan = None;
        p.suspended_since = None;
        p.government_caused = false;
        p.land_price_wan = None;
    }
    assert_eq!(store.load().unwrap().parcels, expected.parcels);
    // The upgraded file stores them from now on, through the R-tree triggers of version 1.
    store.replace_layer(&sample(), Layer::Parcels, "admin", AT).unwrap();
    assert_eq!(store.load().unwrap().parcels, sample().parcels);
    assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_owned()]);
    drop(store);
    assert_eq!(count(&sql(&old), "select count(*) from rtree_parcel_geom"), 2);
    // Opening an up-to-date file applies nothing again.
    drop(GeoPackage::open(&old).unwrap());
    assert_eq!(count(&sql(&old), "select count(*) from landbank_schema"), SCHEMA_VERSION);
}

#[test]
fn opening_a_store_from_a_newer_landbank_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("park.gpkg");
    drop(GeoPackage::create(&path, &sample()).unwrap());
    sql(&path).execute("insert into landbank_schema (version, name) values (99, 'future')", []).unwrap();
    let err = GeoPackage::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::SchemaTooNew { found: 99, supported: SCHEMA_VERSION }), "{err:?}");
}

#[test]
fn an_unknown_code_in_a_row_is_reported_with_its_record_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("park.gpkg");
    drop(GeoPackage::create(&path, &sample()).unwrap());
    sql(&path).execute("update parcel set availability = 'lost' where fid = 11", []).unwrap();
    let err = GeoPackage::open(&path).unwrap().load().unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { table: "parcel", fid: 11, .. }), "{err:?}");
    assert!(err.to_string().starts_with("parcel 11: column availability: unknown availability `lost`"), "{err}");
}

#[test]
fn a_bad_date_in_a_row_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("park.gpkg");
    drop(GeoPackage::create(&path, &sample()).unwrap());
    sql(&path).execute("update project set signed_date = '2025-13-01' where fid = 101", []).unwrap();
    let err = GeoPackage::open(&path).unwrap().load().unwrap_err();
    assert_eq!(err.to_string(), "project 101: column signed_date: `2025-13-01` is not a date");
}

#[test]
fn a_line_in_a_polygon_table_is_a_geometry_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("park.gpkg");
    drop(GeoPackage::create(&path, &sample()).unwrap());
    let conn = sql(&path);
    let road: Vec<u8> = conn.query_row("select geom from poi where fid = 1", [], |r| r.get(0)).unwrap();
    conn.execute("update building set geom = ?1 where fid = 21", [&road]).unwrap();
    // The trigger moved the building's index entry to the road's envelope.
    assert_eq!(count(&conn, "select count(*) from rtree_building_geom where id = 21 and maxy > 21.59"), 1);
    drop(conn);
    let err = GeoPackage::open(&path).unwrap().load().unwrap_err();
    assert_eq!(err.to_string(), "building 21: bad geometry: expected a polygon, found a linestring");
}

#[test]
fn a_client_without_the_st_functions_cannot_write_features() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("park.gpkg");
    drop(GeoPackage::create(&path, &sample()).unwrap());
    let bare = Connection::open(&path).unwrap();
    let err = bare.execute("update parcel set holder = 'x' where fid = 11", []).unwrap_err();
    assert!(err.to_string().contains("no such function: ST_IsEmpty"), "{err}");
    // Attribute tables have no triggers.
    bare.execute("update project set employees = 7 where fid = 101", []).unwrap();
}

/// Runs GDAL's `ogrinfo` on a store; GDAL must see every layer with its features and EPSG:4490.
#[test]
fn gdal_reads_every_layer_with_its_features_and_crs() {
    if Command::new("ogrinfo").arg("--version").output().is_err() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "ogrinfo is not installed; CI must install gdal-bin");
        eprintln!("note: ogrinfo not found; skipping the GDAL check (install gdal-bin)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("park.gpkg");
    let mut store = GeoPackage::create(&path, &sample()).unwrap();
    store.replace_layer(&sample(), Layer::Units, "admin", AT).unwrap();
    drop(store);

    let output = Command::new("ogrinfo").arg("-ro").arg("-so").arg("-al").arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "ogrinfo failed: {stderr}");
    // GDAL before 3.7 knows GeoPackage up to 1.3 and warns that 1.4 "may only be partially supported"; 1.4
    // changed only the R-tree update triggers, which GDAL does not need for reading. Anything else is a finding.
    let complaints: Vec<&str> =
        stderr.lines().filter(|l| !l.contains("user_version=0x000028A0 (10400, v1.4.0)")).collect();
    assert!(complaints.is_empty(), "ogrinfo complained: {stderr}");

    let layers: Vec<&str> = stdout.split("Layer name: ").skip(1).collect();
    let layer = |name: &str| {
        layers
            .iter()
            .find(|l| l.lines().next() == Some(name))
            .unwrap_or_else(|| panic!("layer {name} missing from ogrinfo output:\n{stdout}"))
    };
    for (name, features, geometry) in [
        ("zone", 2, Some("Polygon")),
        ("parcel", 2, Some("Polygon")),
        ("building", 2, Some("Polygon")),
        ("unit", 3, Some("Polygon")),
        ("poi", 2, Some("Unknown (any)")),
        ("project", 2, None),
        ("project_unit", 2, None),
        ("event", 1, None),
    ] {
        let text = layer(name);
        assert!(text.contains(&format!("Feature Count: {features}\n")), "{name}:\n{text}");
        if let Some(geometry) = geometry {
            assert!(text.contains(&format!("Geometry: {geometry}\n")), "{name}:\n{text}");
            assert!(
                text.contains(r#"ID["EPSG",4490]"#) || text.contains(r#"AUTHORITY["EPSG","4490"]"#),
                "{name} is not in EPSG:4490:\n{text}"
            );
            assert!(text.contains("FID Column = fid"), "{name}:\n{text}");
            assert!(
                text.lines().any(|l| l.starts_with("Geometry Column") && l.ends_with(" = geom")),
                "{name}:\n{text}"
            );
        }
    }
    let parcel = layer("parcel");
    for field in ["stated_area_mu: Real", "available_from: Date", "revitalized: Integer(Boolean)", "version: Integer"] {
        assert!(parcel.contains(field), "parcel lacks {field}:\n{parcel}");
    }

    // GDAL's spatial filter goes through the R-tree: only the parcel at (108.2, 21.7) is not there.
    let output = Command::new("ogrinfo")
        .args(["-ro", "-so", "-spat", "107.96", "21.53", "107.97", "21.54"])
        .arg(&path)
        .arg("parcel")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("Feature Count: 2\n"), "{stdout}");

    // GDAL writes through the same triggers with its own ST_ functions, and the store reads the result.
    let output = Command::new("ogrinfo")
        .arg(&path)
        .args([
            "-q",
            "-sql",
            "update parcel set geom = (select geom from zone where fid = 2), holder = 'gdal' where fid = 11",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let store = GeoPackage::open(&path).unwrap();
    let parcel = store.load().unwrap().parcels.into_iter().find(|p| p.id == ParcelId(11)).unwrap();
    assert_eq!((parcel.holder.as_deref(), parcel.geometry), (Some("gdal"), sample().zones[1].boundary.clone()));
    assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_owned()]);
    drop(store);
    assert_eq!(count(&sql(&path), "select count(*) from rtree_parcel_geom where id = 11 and maxy < 21.52"), 1);
}
