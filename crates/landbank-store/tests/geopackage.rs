//! The GeoPackage store against real files: round trips, GeoPackage structure, atomic replacement, the event
//! log, refusals, and a real GIS client (GDAL's ogrinfo).

use std::path::Path;
use std::process::Command;

use geo::{Geometry, LineString, Point, Polygon, polygon};
use landbank_inventory::{
    Availability, BuildingId, BuildingStatus, Country, DevStage, FactoryBuilding, FactoryUnit, FireClass,
    IndustrialClass, Industry, InventoryParts, LandUse, LandUseSystem, Layer, Mu, Parcel, ParcelId, Poi, PoiId,
    PoiKind, Project, ProjectId, ProjectStage, SquareMeters, Structure, SupplyMethod, UnitId, UnitStatus, Wan, Zone,
    ZoneId, ZoneKind, ZonePolicy,
};
use landbank_store::{GeoPackage, NewEvent, SCHEMA_VERSION, StoreError, register_sql_functions};
use rusqlite::Connection;

const AT: &str = "2026-11-27T09:30:00Z";

fn date(y: i16, m: i8, d: i8) -> jiff::civil::Date {
    jiff::civil::Date::new(y, m, d).expect("a valid date")
}

/// A rectangle near Dongxing, `w` × `h` degrees, south-west corner at (x, y).
fn rect(x: f64, y: f64, w: f64, h: f64) -> Polygon {
    polygon![(x: x, y: y), (x: x + w, y: y), (x: x + w, y: y + h), (x: x, y: y + h), (x: x, y: y)]
}

/// A small inventory with every field of every record populated, and the optional ones `None` in a second record.
fn sample() -> InventoryParts {
    let zone = Zone {
        id: ZoneId(1),
        code: "KHQ".into(),
        name_zh: "跨境经济合作区".into(),
        name_en: "Cross-border Economic Cooperation Zone".into(),
        kind: ZoneKind::CrossBorderCoopZone,
        country: Country::Cn,
        boundary: Polygon::new(
            LineString::from(vec![(107.95, 21.52), (108.0, 21.52), (108.0, 21.56), (107.95, 21.56), (107.95, 21.52)]),
            vec![LineString::from(vec![(107.97, 21.53), (107.975, 21.53), (107.975, 21.535), (107.97, 21.53)])],
        ),
        planned_area: SquareMeters(8_471_234.567_891_23),
        leading_industries: vec![Industry::Textile, Industry::ElectronicInfo, Industry::SodiumIonBattery],
        allowed_classes: vec![IndustrialClass::I, IndustrialClass::II],
        policy: ZonePolicy { intensity_min_wan_per_mu: 260.5, ..ZonePolicy::default() },
    };
    let twin = Zone {
        id: ZoneId(2),
        code: "MC".into(),
        name_zh: "芒街".into(),
        name_en: "Mong Cai counterpart".into(),
        kind: ZoneKind::TwinParkCounterpart,
        country: Country::Vn,
        boundary: rect(107.96, 21.50, 0.02, 0.01),
        planned_area: SquareMeters(0.1 + 0.2),
        leading_industries: vec![],
        allowed_classes: vec![],
        policy: ZonePolicy::default(),
    };
    let full_parcel = Parcel {
        id: ParcelId(10),
        plot_no: "KHQ-01-03".into(),
        parcel_code: Some("450681103005GB00027".into()),
        zone: ZoneId(1),
        geometry: rect(107.961_234_567_890_1, 21.531_234_567_890_1, 0.0021, 0.0017),
        area: SquareMeters(38_123.456_789_012_34),
        stated_area: Mu(57.185),
        land_use: LandUse::industrial(IndustrialClass::II),
        availability: Availability::Supplied,
        dev_stage: DevStage::InProduction,
        supply_method: Some(SupplyMethod::TransferListing),
        revitalized: true,
        term_years: Some(50),
        price_wan_per_mu: Some(18.75),
        plot_ratio_min: Some(1.0),
        plot_ratio_max: Some(2.5),
        coverage_min: Some(0.4),
        height_max_m: Some(24.0),
        power_available_kva: Some(2_500),
        holder: Some("东兴华信坚果加工有限公司".into()),
        project: Some(ProjectId(100)),
        available_from: Some(date(2023, 1, 1)),
        supply_date: Some(date(2023, 3, 15)),
        agreed_start_date: Some(date(2023, 9, 15)),
        agreed_completion_date: Some(date(2025, 9, 14)),
        actual_start_date: Some(date(2023, 10, 8)),
        required_gfa_m2: Some(45_750.125),
        built_gfa_m2: Some(15_249.5),
        total_investment_wan: Some(25_600.5),
        invested_wan: Some(0.1 + 0.2),
        suspended_since: Some(date(2024, 12, 1)),
        government_caused: true,
        land_price_wan: Some(1_072.218_75),
    };
    let bare_parcel = Parcel {
        id: ParcelId(11),
        plot_no: "KHQ-01-04".into(),
        parcel_code: None,
        zone: ZoneId(1),
        geometry: rect(107.965, 21.531, 0.002, 0.0015),
        area: SquareMeters(33_000.0),
        stated_area: Mu(49.5),
        land_use: LandUse { system: LandUseSystem::Gb50137, code: "M1".into() },
        availability: Availability::Available,
        dev_stage: DevStage::NotStarted,
        supply_method: None,
        revitalized: false,
        term_years: None,
        price_wan_per_mu: None,
        plot_ratio_min: None,
        plot_ratio_max: None,
        coverage_min: None,
        height_max_m: None,
        power_available_kva: None,
        holder: None,
        project: None,
        available_from: None,
        supply_date: None,
        agreed_start_date: None,
        agreed_completion_date: None,
        actual_start_date: None,
        required_gfa_m2: None,
        built_gfa_m2: None,
        total_investment_wan: None,
        invested_wan: None,
        suspended_since: None,
        government_caused: false,
        land_price_wan: None,
    };
    let building =
        |id: i64, parcel: Option<ParcelId>, date_: Option<jiff::civil::Date>, operator: Option<&str>| FactoryBuilding {
            id: BuildingId(id),
            building_no: format!("KHQ-B{id}"),
            name: format!("标准厂房 {id} 号"),
            zone: ZoneId(1),
            parcel,
            footprint: rect(107.9615 + id as f64 * 0.0004, 21.5315, 0.0003, 0.0002),
            structure: Structure::RcFrame,
            floors: 4,
            gross_floor_area: SquareMeters(8_640.0),
            floor_plate: SquareMeters(2_160.0),
            height_1f_m: 8.0,
            height_upper_m: 5.4,
            load_1f_kn_m2: 15.0,
            load_upper_kn_m2: 8.0,
            lift_count: 2,
            lift_capacity_t: 3.0,
            transformer_kva: 1_250,
            fire_class: FireClass::Bing,
            status: BuildingStatus::Leasable,
            completion_date: date_,
            operator: operator.map(str::to_owned),
        };
    let unit = |id: i64, outline: Option<Polygon>, project: Option<ProjectId>| FactoryUnit {
        id: UnitId(id),
        building: BuildingId(20),
        label: format!("KHQ-B20-{id}F"),
        floor: 1 + (id % 4) as u8,
        outline,
        area: SquareMeters(2_160.0),
        whole_floor: id % 2 == 0,
        height_m: 5.4,
        load_kn_m2: 8.0,
        power_kva: 250,
        lift_access: true,
        rent_yuan_m2_month: 12.5,
        status: if project.is_some() { UnitStatus::Leased } else { UnitStatus::Vacant },
        available_from: project.is_none().then(|| date(2026, 12, 1)),
        project,
    };
    let project = Project {
        id: ProjectId(100),
        code: "DX-2023-004".into(),
        name_zh: "华信坚果加工".into(),
        name_en: "Huaxin nut processing".into(),
        company: "东兴华信坚果加工有限公司".into(),
        investor_country: "CN".into(),
        industry: Industry::NutProcessing,
        required_class: IndustrialClass::II,
        total_investment: Wan(32_000.0),
        fixed_asset_investment: Wan(25_600.5),
        employees: 320,
        power_need_kva: 1_600,
        stage: ProjectStage::InProduction,
        zone: Some(ZoneId(1)),
        parcel: Some(ParcelId(10)),
        units: vec![UnitId(31), UnitId(30)],
        signed_date: date(2022, 11, 18),
        start_date: Some(date(2023, 10, 8)),
        production_date: Some(date(2025, 6, 30)),
    };
    let bare_project = Project {
        id: ProjectId(101),
        code: "DX-2025-031".into(),
        name_zh: "钠离子电池".into(),
        name_en: "Sodium-ion batteries".into(),
        company: "Pin Co.".into(),
        investor_country: "VN".into(),
        industry: Industry::SodiumIonBattery,
        required_class: IndustrialClass::II,
        total_investment: Wan(150_000.0),
        fixed_asset_investment: Wan(120_000.0),
        employees: 0,
        power_need_kva: 0,
        stage: ProjectStage::Signed,
        zone: None,
        parcel: None,
        units: vec![],
        signed_date: date(2025, 12, 31),
        start_date: None,
        production_date: None,
    };
    let pois = vec![
        Poi {
            id: PoiId(1),
            code: "G219".into(),
            kind: PoiKind::Road,
            name_zh: "国道G219".into(),
            name_en: "National road G219".into(),
            country: Country::Cn,
            geometry: Geometry::LineString(LineString::from(vec![(107.95, 21.6), (107.97, 21.58), (107.99, 21.55)])),
        },
        Poi {
            id: PoiId(2),
            code: "BR1".into(),
            kind: PoiKind::BridgePeople,
            name_zh: "北仑河一桥".into(),
            name_en: "Beilun River Bridge 1".into(),
            country: Country::Cn,
            geometry: Geometry::Point(Point::new(107.970_123_456_789, 21.530_987_654_321)),
        },
    ];
    InventoryParts {
        zones: vec![zone, twin],
        parcels: vec![full_parcel, bare_parcel],
        buildings: vec![
            building(20, Some(ParcelId(10)), Some(date(2021, 12, 30)), Some("东兴产投")),
            building(21, None, None, None),
        ],
        units: vec![
            unit(30, Some(rect(107.9695, 21.5315, 0.0001, 0.0002)), Some(ProjectId(100))),
            unit(31, None, Some(ProjectId(100))),
            unit(32, None, None),
        ],
        projects: vec![project, bare_project],
        pois,
        reservations: Vec::new(),
        allocations: Vec::new(),
    }
}

/// Compares two inventories layer by layer so a failure names the layer.
fn assert_same(left: &InventoryParts, right: &InventoryParts) {
    assert_eq!(left.zones, right.zones);
    assert_eq!(left.parcels, right.parcels);
    assert_eq!(left.buildings, right.buildings);
    assert_eq!(left.units, right.units);
    assert_eq!(left.projects, right.projects);
    assert_eq!(left.pois, right.pois);
}

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
fn a_created_store_loads_back_exactly_what_went_in() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("park.gpkg");
    let parts = sample();
    let store = GeoPackage::create(&path, &parts).unwrap();
    assert_eq!(store.path(), path);
    assert_same(&store.load().unwrap(), &parts);
    drop(store);
    let reopened = GeoPackage::open(&path).unwrap();
    assert_same(&reopened.load().unwrap(), &parts);
}

#[test]
fn coordinates_and_quantities_survive_bit_for_bit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("park.gpkg");
    let mut parts = sample();
    parts.parcels[0].area = SquareMeters(f64::from_bits(0x40E2_A3B4_C5D6_E7F8));
    parts.parcels[0].geometry = rect(107.961_234_567_890_12, 21.531_234_567_890_12, 1e-9, 3e-15);
    let loaded = GeoPackage::create(&path, &parts).unwrap().load().unwrap();
    assert_eq!(loaded.parcels[0].area.0.to_bits(), parts.parcels[0].area.0.to_bits());
    let bits = |p: &Polygon| p.exterior().coords().map(|c| (c.x.to_bits(), c.y.to_bits())).collect::<Vec<_>>();
    assert_eq!(bits(&loaded.parcels[0].geometry), bits(&parts.parcels[0].geometry));
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
fn replacing_a_layer_swaps_its_rows_bumps_versions_and_logs_an_import() {
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
    next.zones.clear(); // other layers of `parts` are ignored

    let written = store.replace_layer(&next, Layer::Parcels, "admin", AT).unwrap();
    assert_eq!(written, 2);
    let loaded = store.load().unwrap();
    assert_eq!(loaded.parcels, next.parcels);
    assert_eq!(loaded.zones, sample().zones);

    let events = store.events(0, 100).unwrap();
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(
        (e.kind.as_str(), e.layer.as_str(), e.actor.as_str(), e.at.as_str()),
        ("import", "parcels", "admin", AT)
    );
    assert_eq!(e.record_id, None);
    assert_eq!(e.before.as_deref(), Some(r#"{"count":2}"#));
    assert_eq!(e.after.as_deref(), Some(r#"{"count":2}"#));
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
fn replacing_projects_rewrites_their_units_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("park.gpkg");
    let mut store = GeoPackage::create(&path, &sample()).unwrap();
    let mut next = sample();
    next.projects[0].units = vec![UnitId(32), UnitId(30), UnitId(31)];
    next.projects[1].units = vec![UnitId(31)];
    store.replace_layer(&next, Layer::Projects, "admin", AT).unwrap();
    assert_eq!(store.load().unwrap().projects, next.projects);
    next.projects.clear();
    assert_eq!(store.replace_layer(&next, Layer::Projects, "admin", AT).unwrap(), 0);
    assert!(store.load().unwrap().projects.is_empty());
    drop(store);
    assert_eq!(count(&sql(&path), "select count(*) from project_unit"), 0);
}

#[test]
fn a_failing_replace_keeps_the_old_rows_and_logs_nothing() {
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
    assert!(store.events(0, 10).unwrap().is_empty());
    assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_owned()]);
    drop(store);
    let conn = sql(&path);
    assert_eq!(count(&conn, "select count(*) from rtree_parcel_geom"), 2);
    assert_eq!(count(&conn, "select count(*) from parcel where version = 1"), 2);
}

#[test]
fn a_replace_with_a_bad_time_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("park.gpkg");
    let mut store = GeoPackage::create(&path, &sample()).unwrap();
    let err = store.replace_layer(&InventoryParts::default(), Layer::Zones, "admin", "yesterday").unwrap_err();
    assert!(matches!(err, StoreError::InvalidTimestamp { .. }), "{err:?}");
    assert_eq!(store.load().unwrap().zones.len(), 2);
}

#[test]
fn events_come_back_in_sequence_order_from_any_point() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("park.gpkg");
    let mut store = GeoPackage::create(&path, &sample()).unwrap();
    let mut sequences = Vec::new();
    for (i, kind) in ["reserve", "confirm", "release"].into_iter().enumerate() {
        let after = format!(r#"{{"availability":"{kind}"}}"#);
        let at = format!("2026-11-27T10:0{i}:00+08:00");
        sequences.push(
            store
                .append_event(&NewEvent {
                    at: &at,
                    actor: "planner-7",
                    kind,
                    layer: "parcels",
                    record_id: Some(11),
                    before: (i > 0).then_some(r#"{"availability":"held"}"#),
                    after: Some(&after),
                })
                .unwrap(),
        );
    }
    assert!(sequences.windows(2).all(|w| w[0] < w[1]), "{sequences:?}");

    let all = store.events(0, 100).unwrap();
    assert_eq!(all.iter().map(|e| e.sequence).collect::<Vec<_>>(), sequences);
    assert_eq!(all.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(), ["reserve", "confirm", "release"]);
    assert_eq!(all[0].before, None);
    assert_eq!(all[1].before.as_deref(), Some(r#"{"availability":"held"}"#));
    assert_eq!(all[2].at, "2026-11-27T10:02:00+08:00");
    assert_eq!(all[2].record_id, Some(11));

    let tail = store.events(sequences[0], 100).unwrap();
    assert_eq!(tail, all[1..]);
    assert_eq!(store.events(0, 1).unwrap(), all[..1]);
    assert!(store.events(sequences[2], 100).unwrap().is_empty());

    drop(store);
    assert_eq!(GeoPackage::open(&path).unwrap().events(0, 100).unwrap(), all);
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
