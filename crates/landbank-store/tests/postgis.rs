//! What only the PostGIS store does, against a real server (whenever `LANDBANK_TEST_DATABASE_URL` is set; each
//! test gets its own database): the schema PostGIS clients see, the migration runner under two nodes starting at
//! once, double bookings raced from many connections, and corrupt rows. What every store does is in
//! `contract.rs`.

mod sample;

use landbank_inventory::{Availability, Change, InventoryParts, ParcelId, Target};
use landbank_store::scratch::ScratchDatabase;
use landbank_store::{Basis, NewEvent, POSTGIS_SCHEMA_VERSION, PostGis, StoreError};
use sample::{reservation, sample};
use tokio_postgres::NoTls;

/// A plain connection to a test database, for looking behind the store's back.
async fn sql(db: &ScratchDatabase) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(db.url(), NoTls).await.expect("the test database answers");
    tokio::spawn(connection);
    client
}

#[tokio::test]
async fn the_schema_has_geometry_columns_in_cgcs2000_with_spatial_indexes() {
    let Some(db) = ScratchDatabase::from_env() else { return };
    let store = PostGis::connect(db.url()).await.unwrap();
    store.fill(&sample()).await.unwrap();
    let client = sql(&db).await;
    let columns: Vec<(String, String, i32)> = client
        .query(
            "select f_table_name::text, type, srid from geometry_columns where f_geometry_column = 'geom' \
             order by f_table_name",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    let expected =
        [("building", "POLYGON"), ("parcel", "POLYGON"), ("poi", "GEOMETRY"), ("unit", "POLYGON"), ("zone", "POLYGON")];
    assert_eq!(columns.len(), expected.len(), "{columns:?}");
    for ((table, kind, srid), (want_table, want_kind)) in columns.iter().zip(expected) {
        assert_eq!((table.as_str(), kind.as_str(), *srid), (want_table, want_kind, 4490));
        let gist: i64 = client
            .query_one(
                "select count(*) from pg_indexes where tablename = $1 and indexdef like '%USING gist (geom)%'",
                &[table],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(gist, 1, "{table} has a GiST index on geom");
    }
    // The stored geometry carries its SRID, and PostGIS computes the same geodesic area the inventory stated.
    let (srid, area): (i32, f64) = client
        .query_one("select st_srid(geom), st_area(geom::geography) from parcel where fid = 10", &[])
        .await
        .map(|r| (r.get(0), r.get(1)))
        .unwrap();
    assert_eq!(srid, 4490);
    let ours = landbank_inventory::geodesic_area(&sample().parcels[0].geometry).0;
    assert!((area - ours).abs() / ours < 1e-9, "PostGIS {area} m², landbank {ours} m²");
    let versions: Vec<i32> =
        client.query("select version from parcel order by fid", &[]).await.unwrap().iter().map(|r| r.get(0)).collect();
    assert_eq!(versions, [1, 1]);
    let schema: i32 = client.query_one("select max(version) from landbank_schema", &[]).await.unwrap().get(0);
    assert_eq!(schema, POSTGIS_SCHEMA_VERSION);
}

#[tokio::test]
async fn nodes_starting_at_once_apply_each_migration_once() {
    let Some(db) = ScratchDatabase::from_env() else { return };
    let nodes = (0..4).map(|_| PostGis::connect_without_migrating(db.url()).unwrap()).collect::<Vec<_>>();
    let starting: Vec<_> = nodes.into_iter().map(|node| tokio::spawn(async move { node.migrate().await })).collect();
    let mut applied: Vec<Vec<i32>> = Vec::new();
    for node in starting {
        applied.push(node.await.unwrap().unwrap());
    }
    let all: Vec<i32> = (1..=POSTGIS_SCHEMA_VERSION).collect();
    assert_eq!(applied.iter().filter(|a| **a == all).count(), 1, "one node migrates: {applied:?}");
    assert_eq!(applied.iter().filter(|a| a.is_empty()).count(), 3, "the others find it done: {applied:?}");
    let rows: i64 = sql(&db).await.query_one("select count(*) from landbank_schema", &[]).await.unwrap().get(0);
    assert_eq!(rows, i64::from(POSTGIS_SCHEMA_VERSION));
    assert!(PostGis::connect(db.url()).await.unwrap().migrate().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_database_from_a_newer_landbank_is_refused() {
    let Some(db) = ScratchDatabase::from_env() else { return };
    PostGis::connect(db.url()).await.unwrap();
    sql(&db).await.execute("insert into landbank_schema (version, name) values (99, 'future')", &[]).await.unwrap();
    let err = PostGis::connect(db.url()).await.unwrap_err();
    assert!(
        matches!(err, StoreError::SchemaTooNew { found: 99, supported } if supported == i64::from(POSTGIS_SCHEMA_VERSION)),
        "{err:?}"
    );
}

#[tokio::test]
async fn many_nodes_reserving_one_parcel_at_once_get_exactly_one_hold() {
    let Some(db) = ScratchDatabase::from_env() else { return };
    PostGis::connect(db.url()).await.unwrap().fill(&sample()).await.unwrap();
    // Five nodes (five pools), ten requests each, every one with its own reservation id.
    let nodes: Vec<PostGis> = (0..5).map(|_| PostGis::connect_without_migrating(db.url()).unwrap()).collect();
    let attempts: Vec<_> = (0..50_i64)
        .map(|i| {
            let node = nodes[(i % 5) as usize].clone();
            tokio::spawn(async move {
                let mut held = sample().parcels[1].clone();
                held.availability = Availability::Held;
                let change = Change {
                    parcels: vec![held],
                    reservations: vec![reservation(100 + i, Target::Parcel(ParcelId(11)))],
                    kind: "reserve",
                    ..Change::default()
                };
                node.commit(&change, &[], None).await
            })
        })
        .collect();
    let mut results: Vec<Result<Vec<i64>, StoreError>> = Vec::new();
    for attempt in attempts {
        results.push(attempt.await.unwrap());
    }
    let won = results.iter().filter(|r| r.is_ok()).count();
    let refused = results.iter().filter(|r| matches!(r, Err(StoreError::Conflict { .. }))).count();
    assert_eq!((won, refused), (1, 49), "{results:?}");
    let parts = nodes[0].load().await.unwrap();
    assert_eq!(parts.reservations.len(), 1);
    let live: i64 = sql(&db).await.query_one("select count(*) from hold where active", &[]).await.unwrap().get(0);
    assert_eq!(live, 1);
}

#[tokio::test]
async fn a_reservation_id_taken_by_another_node_is_a_conflict_not_an_overwrite() {
    let Some(db) = ScratchDatabase::from_env() else { return };
    let store = PostGis::connect(db.url()).await.unwrap();
    store.fill(&sample()).await.unwrap();
    let first = Change { reservations: vec![reservation(7, Target::Parcel(ParcelId(10)))], ..Change::default() };
    store.commit(&first, &[], None).await.unwrap();
    // Another node planned reservation 7 too, for another parcel: it may not replace the first one.
    let mut other = reservation(7, Target::Parcel(ParcelId(11)));
    other.actor = "zoning".into();
    let second = Change { reservations: vec![other], ..Change::default() };
    let err = store.commit(&second, &[], None).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    assert_eq!(store.load().await.unwrap().reservations, first.reservations);
}

fn about(layer: &'static str, id: i64) -> NewEvent<'static> {
    NewEvent {
        at: "2026-11-27T09:00:00Z",
        actor: "a",
        kind: "update",
        layer,
        record_id: Some(id),
        before: None,
        after: None,
    }
}

#[tokio::test]
async fn a_change_planned_before_another_node_changed_its_record_is_a_conflict() {
    let Some(db) = ScratchDatabase::from_env() else { return };
    let store = PostGis::connect(db.url()).await.unwrap();
    store.fill(&sample()).await.unwrap();
    let mut parcel = sample().parcels[1].clone();
    // Node A changes parcel 11 and logs it as event 1.
    parcel.availability = Availability::Held;
    let on_a = Change { parcels: vec![parcel.clone()], ..Change::default() };
    let sequences = store.commit_on(Some(&Basis::default()), &on_a, &[about("parcels", 11)], None).await.unwrap();
    // Node B planned a change of parcel 11 before it saw event 1: refused, nothing written.
    parcel.availability = Availability::Retired;
    let on_b = Change { parcels: vec![parcel.clone()], ..Change::default() };
    let err = store.commit_on(Some(&Basis::default()), &on_b, &[about("parcels", 11)], None).await.unwrap_err();
    assert!(matches!(&err, StoreError::Conflict { reason } if reason.contains("parcels 11")), "{err:?}");
    let stored = store.load().await.unwrap();
    assert_eq!(stored.parcels.iter().find(|p| p.id.0 == 11).map(|p| p.availability), Some(Availability::Held));
    // Once B has applied event 1 (or made it itself), the same change goes through; other records never conflict.
    let seen = Basis { applied: sequences[0], own: Vec::new() };
    store.commit_on(Some(&seen), &on_b, &[about("parcels", 11)], None).await.unwrap();
    let own = Basis { applied: 0, own: vec![sequences[0]] };
    let mut other = sample().parcels[0].clone();
    other.availability = Availability::Held;
    let unrelated = Change { parcels: vec![other], ..Change::default() };
    store.commit_on(Some(&own), &unrelated, &[about("parcels", other_id(&unrelated))], None).await.unwrap();
}

fn other_id(change: &Change) -> i64 {
    change.parcels[0].id.0
}

#[tokio::test]
async fn an_unknown_code_in_a_row_is_reported_with_its_record_and_column() {
    let Some(db) = ScratchDatabase::from_env() else { return };
    let store = PostGis::connect(db.url()).await.unwrap();
    store.fill(&sample()).await.unwrap();
    sql(&db).await.execute("update parcel set availability = 'lost' where fid = 11", &[]).await.unwrap();
    let err = store.load().await.unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { table: "parcel", fid: 11, .. }), "{err:?}");
    assert!(err.to_string().starts_with("parcel 11: column availability: unknown availability `lost`"), "{err}");
}

#[tokio::test]
async fn a_line_in_a_polygon_column_cannot_be_stored_and_a_poi_can_be_any_geometry() {
    let Some(db) = ScratchDatabase::from_env() else { return };
    let store = PostGis::connect(db.url()).await.unwrap();
    store.fill(&sample()).await.unwrap();
    let client = sql(&db).await;
    let err = client
        .execute("update building set geom = (select geom from poi where fid = 1) where fid = 21", &[])
        .await
        .unwrap_err();
    assert!(err.as_db_error().is_some_and(|e| e.message().contains("Geometry type")), "{err:?}");
    let kinds: Vec<String> = client
        .query("select geometrytype(geom) from poi order by fid", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(kinds, ["LINESTRING", "POINT"]);
}

#[tokio::test]
async fn a_url_that_is_not_a_connection_string_is_refused_before_connecting() {
    let err = PostGis::connect("postgres://host:notaport/db").await.unwrap_err();
    assert!(matches!(err, StoreError::InvalidUrl(_)), "{err:?}");
    assert_eq!(err.to_string(), "invalid database url");
}

#[tokio::test]
async fn an_unreachable_server_is_a_connection_error() {
    // Port 1 on the loopback interface refuses at once.
    let err = PostGis::connect("postgres://postgres@127.0.0.1:1/landbank").await.unwrap_err();
    assert!(matches!(err, StoreError::Connect(_)), "{err:?}");
    assert_eq!(err.to_string(), "cannot connect to the database");
}

#[tokio::test]
async fn a_filled_database_is_not_filled_again_by_a_second_node() {
    let Some(db) = ScratchDatabase::from_env() else { return };
    let a = PostGis::connect(db.url()).await.unwrap();
    let b = PostGis::connect(db.url()).await.unwrap();
    let parts = sample();
    let (first, second) = tokio::join!(a.fill(&parts), b.fill(&parts));
    let results = [first, second];
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
    assert!(results.iter().any(|r| matches!(r, Err(StoreError::NotEmpty))), "{results:?}");
    assert_eq!(a.load().await.unwrap().parcels.len(), 2);
    let _: InventoryParts = b.load().await.unwrap();
}
