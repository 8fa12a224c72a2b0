//! The store contract: what every backend does, written once and run against each — the GeoPackage file
//! (`geopackage::…`) and PostgreSQL + PostGIS (`postgis::…`, whenever `LANDBANK_TEST_DATABASE_URL` names a server;
//! each test gets its own database).
//!
//! Round trips of every field, bit for bit; filling; replacing a layer atomically; commits of records,
//! reservations, allocations and holds with row versions, idempotent answers and events; the database's refusal
//! of a double booking; history and the event feed in sequence order.
#![allow(clippy::unwrap_used)] // the contract is written as plain async functions, which clippy takes for non-tests

mod sample;

use landbank_inventory::{
    Availability, Change, InventoryParts, Layer, ParcelId, ReservationStatus, SquareMeters, Target, UnitId, UnitStatus,
};
use landbank_store::scratch::ScratchDatabase;
use landbank_store::{Idempotent, Location, NewEvent, Store, StoreError};
use sample::{AT, allocation, assert_same, closed, rect, reservation, sample, sample_with_holdings};

#[derive(Debug, Clone, Copy)]
enum Backend {
    GeoPackage,
    PostGis,
}

/// A new store of one backend, and what must outlive it (its directory or its database).
struct Fresh {
    store: Store,
    location: Location,
    _dir: Option<tempfile::TempDir>,
    _db: Option<ScratchDatabase>,
}

impl Fresh {
    /// A store holding `parts`; `None` (after a note) for PostGIS when no test server is configured.
    async fn new(backend: Backend, parts: InventoryParts) -> Option<Fresh> {
        let (location, dir, db) = match backend {
            Backend::GeoPackage => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                (Location::GeoPackage(dir.path().join("park.gpkg")), Some(dir), None)
            }
            Backend::PostGis => {
                let db = ScratchDatabase::from_env()?;
                (Location::PostGis(db.url().to_owned()), None, Some(db))
            }
        };
        let store = Store::create(&location, parts).await.expect("the store is created");
        Some(Fresh { store, location, _dir: dir, _db: db })
    }

    /// Another handle on the same store, opened anew (another connection, as another node or a restart would).
    async fn reopen(&self) -> Store {
        Store::open(&self.location).await.expect("the store opens again")
    }
}

/// One event about a record, at `at`.
fn event<'a>(kind: &'a str, layer: &'a str, record_id: i64, at: &'a str) -> NewEvent<'a> {
    NewEvent { at, actor: "planner-7", kind, layer, record_id: Some(record_id), before: None, after: Some("{}") }
}

/// A change that reserves parcel `parcel` with reservation `id`, as the inventory plans it.
fn reserve_parcel(parts: &InventoryParts, id: i64, parcel: i64) -> Change {
    let mut held = parts.parcels.iter().find(|p| p.id.0 == parcel).expect("a sample parcel").clone();
    held.availability = Availability::Held;
    Change {
        parcels: vec![held],
        reservations: vec![reservation(id, Target::Parcel(ParcelId(parcel)))],
        kind: "reserve",
        ..Change::default()
    }
}

async fn a_created_store_loads_back_exactly_what_went_in(backend: Backend) {
    let parts = sample_with_holdings();
    let Some(fresh) = Fresh::new(backend, parts.clone()).await else { return };
    assert_same(&fresh.store.load().await.unwrap(), &parts);
    assert!(!fresh.store.is_empty().await.unwrap());
    fresh.store.ping().await.unwrap();
    let again = fresh.reopen().await;
    assert_same(&again.load().await.unwrap(), &parts);
}

async fn coordinates_and_quantities_survive_bit_for_bit(backend: Backend) {
    let mut parts = sample();
    parts.parcels[0].area = SquareMeters(f64::from_bits(0x40E2_A3B4_C5D6_E7F8));
    parts.parcels[0].geometry = rect(107.961_234_567_890_12, 21.531_234_567_890_12, 1e-9, 3e-15);
    parts.parcels[0].invested_wan = Some(f64::MIN_POSITIVE);
    let Some(fresh) = Fresh::new(backend, parts.clone()).await else { return };
    let loaded = fresh.store.load().await.unwrap();
    assert_eq!(loaded.parcels[0].area.0.to_bits(), parts.parcels[0].area.0.to_bits());
    assert_eq!(loaded.parcels[0].invested_wan.map(f64::to_bits), Some(f64::MIN_POSITIVE.to_bits()));
    let bits = |p: &geo::Polygon| p.exterior().coords().map(|c| (c.x.to_bits(), c.y.to_bits())).collect::<Vec<_>>();
    assert_eq!(bits(&loaded.parcels[0].geometry), bits(&parts.parcels[0].geometry));
    assert_eq!(loaded.zones[0].boundary.interiors(), parts.zones[0].boundary.interiors(), "holes survive");
}

async fn an_empty_inventory_makes_an_empty_store(backend: Backend) {
    let Some(fresh) = Fresh::new(backend, InventoryParts::default()).await else { return };
    assert!(fresh.store.is_empty().await.unwrap());
    assert_same(&fresh.store.load().await.unwrap(), &InventoryParts::default());
    assert!(fresh.store.events(0, 10).await.unwrap().is_empty());
}

async fn an_empty_store_is_filled_once(backend: Backend) {
    let Some(fresh) = Fresh::new(backend, InventoryParts::default()).await else { return };
    fresh.store.fill(sample_with_holdings()).await.unwrap();
    assert_same(&fresh.store.load().await.unwrap(), &sample_with_holdings());
    let err = fresh.store.fill(sample()).await.unwrap_err();
    assert!(matches!(err, StoreError::NotEmpty), "{err:?}");
    assert_eq!(err.to_string(), "the store is not empty");
    let err = Store::create(&fresh.location, sample()).await.unwrap_err();
    assert!(matches!(err, StoreError::NotEmpty), "{err:?}");
}

async fn a_fill_with_a_duplicate_id_is_rejected_and_writes_nothing(backend: Backend) {
    let Some(fresh) = Fresh::new(backend, InventoryParts::default()).await else { return };
    let mut parts = sample();
    parts.parcels[1].id = parts.parcels[0].id;
    let err = fresh.store.fill(parts).await.unwrap_err();
    assert!(matches!(err, StoreError::Rejected { table: "parcel", fid: 10, .. }), "{err:?}");
    assert!(fresh.store.is_empty().await.unwrap());
}

async fn two_live_holds_on_one_parcel_cannot_be_filled_in(backend: Backend) {
    let Some(fresh) = Fresh::new(backend, InventoryParts::default()).await else { return };
    let mut parts = sample();
    parts.reservations =
        vec![reservation(1, Target::Parcel(ParcelId(11))), reservation(2, Target::Parcel(ParcelId(11)))];
    let err = fresh.store.fill(parts).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    assert!(fresh.store.is_empty().await.unwrap());
}

async fn replacing_a_layer_swaps_its_rows_bumps_versions_and_logs_an_import(backend: Backend) {
    let Some(fresh) = Fresh::new(backend, sample()).await else { return };
    let store = &fresh.store;
    let mut next = sample();
    next.parcels.remove(1);
    next.parcels[0].availability = Availability::Reclaimed;
    let mut added = next.parcels[0].clone();
    added.id = ParcelId(12);
    added.plot_no = "KHQ-01-05".into();
    added.geometry = rect(108.2, 21.7, 0.001, 0.001);
    next.parcels.push(added);
    next.zones.clear(); // other layers of `parts` are ignored

    assert_eq!(store.row_version(Layer::Parcels, 10).await.unwrap(), Some(1));
    let written = store.replace_layer(&next, Layer::Parcels, "admin", AT).await.unwrap();
    assert_eq!(written, 2);
    let loaded = store.load().await.unwrap();
    assert_eq!(loaded.parcels, next.parcels);
    assert_eq!(loaded.zones, sample().zones);
    assert_eq!(store.row_version(Layer::Parcels, 10).await.unwrap(), Some(2));
    assert_eq!(store.row_version(Layer::Parcels, 11).await.unwrap(), None);
    assert_eq!(store.row_version(Layer::Parcels, 12).await.unwrap(), Some(1));
    assert_eq!(store.row_version(Layer::Zones, 1).await.unwrap(), None, "zones keep no versions");

    let events = store.events(0, 100).await.unwrap();
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(
        (e.kind.as_str(), e.layer.as_str(), e.actor.as_str(), e.at.as_str()),
        ("import", "parcels", "admin", AT)
    );
    assert_eq!(e.record_id, None);
    assert_eq!(e.before.as_deref(), Some(r#"{"count":2}"#));
    assert_eq!(e.after.as_deref(), Some(r#"{"count":2}"#));
}

async fn replacing_projects_rewrites_their_units_in_order(backend: Backend) {
    let Some(fresh) = Fresh::new(backend, sample()).await else { return };
    let store = &fresh.store;
    let mut next = sample();
    next.projects[0].units = vec![UnitId(32), UnitId(30), UnitId(31)];
    next.projects[1].units = vec![UnitId(31)];
    store.replace_layer(&next, Layer::Projects, "admin", AT).await.unwrap();
    assert_eq!(store.load().await.unwrap().projects, next.projects);
    next.projects.clear();
    assert_eq!(store.replace_layer(&next, Layer::Projects, "admin", AT).await.unwrap(), 0);
    assert!(store.load().await.unwrap().projects.is_empty());
}

async fn a_failing_replace_keeps_the_old_rows_and_logs_nothing(backend: Backend) {
    let Some(fresh) = Fresh::new(backend, sample()).await else { return };
    let mut bad = sample();
    bad.parcels[0].availability = Availability::Retired;
    bad.parcels.push(bad.parcels[0].clone()); // duplicate id 10: refused

    let err = fresh.store.replace_layer(&bad, Layer::Parcels, "admin", AT).await.unwrap_err();
    assert!(matches!(err, StoreError::Rejected { table: "parcel", fid: 10, .. }), "{err:?}");
    assert!(err.to_string().starts_with("parcel 10: row rejected"), "{err}");
    assert_same(&fresh.store.load().await.unwrap(), &sample());
    assert!(fresh.store.events(0, 10).await.unwrap().is_empty());
    assert_eq!(fresh.store.row_version(Layer::Parcels, 10).await.unwrap(), Some(1));
}

async fn a_replace_with_a_bad_time_changes_nothing(backend: Backend) {
    let Some(fresh) = Fresh::new(backend, sample()).await else { return };
    let err =
        fresh.store.replace_layer(&InventoryParts::default(), Layer::Zones, "admin", "yesterday").await.unwrap_err();
    assert!(matches!(err, StoreError::InvalidTimestamp { .. }), "{err:?}");
    assert_eq!(fresh.store.load().await.unwrap().zones.len(), 2);
}

async fn a_commit_writes_records_holds_and_events_together(backend: Backend) {
    let Some(fresh) = Fresh::new(backend, sample()).await else { return };
    let store = &fresh.store;
    let change = reserve_parcel(&sample(), 1, 11);
    let sequences = store
        .commit(&change, &[event("reserve", "parcels", 11, AT), event("reserve", "reservations", 1, AT)], None)
        .await
        .unwrap();
    assert_eq!(sequences.len(), 2);
    assert!(sequences[0] < sequences[1], "{sequences:?}");
    let loaded = fresh.reopen().await.load().await.unwrap();
    assert_eq!(loaded.parcels[1], change.parcels[0]);
    assert_eq!(loaded.reservations, change.reservations);
    assert_eq!(store.row_version(Layer::Parcels, 11).await.unwrap(), Some(2));
    assert_eq!(store.row_version(Layer::Parcels, 10).await.unwrap(), Some(1));
    let events = store.events(0, 10).await.unwrap();
    assert_eq!(events.iter().map(|e| e.sequence).collect::<Vec<_>>(), sequences);
}

async fn reserving_a_held_parcel_is_a_conflict_and_writes_nothing(backend: Backend) {
    let Some(fresh) = Fresh::new(backend, sample()).await else { return };
    let store = &fresh.store;
    store.commit(&reserve_parcel(&sample(), 1, 11), &[event("reserve", "parcels", 11, AT)], None).await.unwrap();
    let before = store.load().await.unwrap();

    let mut again = reserve_parcel(&sample(), 2, 11);
    again.units.push(sample().units[2].clone()); // written before the hold is refused, then rolled back
    again.units[0].status = UnitStatus::Reserved;
    let answer = Idempotent {
        key: "retry-1".into(),
        request_hash: "abc".into(),
        status: 201,
        content_type: "application/json".into(),
        body: b"{}".to_vec(),
    };
    let err = store.commit(&again, &[event("reserve", "parcels", 11, AT)], Some(&answer)).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict { reason } if reason == "parcel 11 is already held by another reservation"),
        "{err:?}"
    );
    assert_same(&store.load().await.unwrap(), &before);
    assert_eq!(store.events(0, 10).await.unwrap().len(), 1);
    assert_eq!(store.remembered("retry-1").await.unwrap(), None);
    assert_eq!(store.row_version(Layer::Units, 32).await.unwrap(), Some(1));
}

async fn a_released_reservation_frees_its_parcel_for_the_next(backend: Backend) {
    let Some(fresh) = Fresh::new(backend, sample()).await else { return };
    let store = &fresh.store;
    let first = reserve_parcel(&sample(), 1, 11);
    store.commit(&first, &[], None).await.unwrap();
    let release = Change {
        reservations: vec![closed(first.reservations[0].clone(), ReservationStatus::Released)],
        kind: "release",
        ..Change::default()
    };
    store.commit(&release, &[], None).await.unwrap();
    store.commit(&reserve_parcel(&sample(), 2, 11), &[], None).await.unwrap();
    let loaded = store.load().await.unwrap();
    let statuses: Vec<_> = loaded.reservations.iter().map(|r| (r.id.0, r.status)).collect();
    assert_eq!(statuses, [(1, ReservationStatus::Released), (2, ReservationStatus::Active)]);
    assert_eq!(loaded.reservations[0].closed_at, release.reservations[0].closed_at);
}

async fn an_allocation_keeps_the_hold_until_it_is_released(backend: Backend) {
    let Some(fresh) = Fresh::new(backend, sample()).await else { return };
    let store = &fresh.store;
    let reserved = reserve_parcel(&sample(), 1, 11);
    store.commit(&reserved, &[], None).await.unwrap();
    let confirmed = closed(reserved.reservations[0].clone(), ReservationStatus::Confirmed);
    let allocated = allocation(1, &confirmed);
    let confirm = Change {
        reservations: vec![confirmed],
        allocations: vec![allocated.clone()],
        kind: "confirm",
        ..Change::default()
    };
    store.commit(&confirm, &[], None).await.unwrap();
    let err = store.commit(&reserve_parcel(&sample(), 2, 11), &[], None).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "a confirmed parcel stays held: {err:?}");

    let mut released = allocated;
    released.status = landbank_inventory::AllocationStatus::Released;
    released.released_at = Some(sample::time("2027-01-01T00:00:00Z"));
    store
        .commit(&Change { allocations: vec![released.clone()], kind: "release", ..Change::default() }, &[], None)
        .await
        .unwrap();
    store.commit(&reserve_parcel(&sample(), 2, 11), &[], None).await.unwrap();
    let loaded = store.load().await.unwrap();
    assert_eq!(loaded.allocations, [released]);
    assert_eq!(loaded.reservations.len(), 2);
}

async fn units_are_held_one_by_one(backend: Backend) {
    let Some(fresh) = Fresh::new(backend, sample_with_holdings()).await else { return };
    let store = &fresh.store;
    // Units 31 and 32 are held by reservation 3; unit 30's allocation was released.
    let both = Change {
        reservations: vec![reservation(5, Target::Units(vec![UnitId(30), UnitId(32)]))],
        kind: "reserve",
        ..Change::default()
    };
    let err = store.commit(&both, &[], None).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict { reason } if reason == "unit 32 is already held by another reservation"),
        "{err:?}"
    );
    let free = Change {
        reservations: vec![reservation(5, Target::Units(vec![UnitId(30)]))],
        kind: "reserve",
        ..Change::default()
    };
    store.commit(&free, &[], None).await.unwrap();
    let loaded = store.load().await.unwrap();
    assert_eq!(loaded.reservations.last().map(|r| &r.target), Some(&Target::Units(vec![UnitId(30)])));
}

async fn an_idempotent_answer_is_remembered_with_its_commit(backend: Backend) {
    let Some(fresh) = Fresh::new(backend, sample()).await else { return };
    let store = &fresh.store;
    let answer = Idempotent {
        key: "9f1c-reserve-11".into(),
        request_hash: "0123456789abcdef".into(),
        status: 201,
        content_type: "application/json".into(),
        body: "{\"id\":1,\"note\":\"保留\"}\u{0}".as_bytes().to_vec(),
    };
    assert_eq!(store.remembered(&answer.key).await.unwrap(), None);
    store
        .commit(&reserve_parcel(&sample(), 1, 11), &[event("reserve", "parcels", 11, AT)], Some(&answer))
        .await
        .unwrap();
    assert_eq!(store.remembered(&answer.key).await.unwrap(), Some(answer.clone()));
    assert_eq!(fresh.reopen().await.remembered(&answer.key).await.unwrap(), Some(answer.clone()));
    let err = store.commit(&Change::default(), &[], Some(&answer)).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "a key is answered once: {err:?}");
}

async fn a_commit_with_a_bad_event_time_writes_nothing(backend: Backend) {
    let Some(fresh) = Fresh::new(backend, sample()).await else { return };
    let store = &fresh.store;
    let err = store
        .commit(&reserve_parcel(&sample(), 1, 11), &[event("reserve", "parcels", 11, "2026-11-27")], None)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "event time `2026-11-27` is not an rfc 3339 timestamp");
    assert_same(&store.load().await.unwrap(), &sample());
    assert_eq!(store.row_version(Layer::Parcels, 11).await.unwrap(), Some(1));
}

async fn history_lists_the_events_of_one_record_oldest_first(backend: Backend) {
    let Some(fresh) = Fresh::new(backend, sample()).await else { return };
    let store = &fresh.store;
    for (i, (layer, id)) in [("parcels", 11), ("parcels", 10), ("units", 11), ("parcels", 11)].into_iter().enumerate() {
        let at = format!("2026-11-27T10:0{i}:00+08:00");
        store.commit(&Change::default(), &[event("update", layer, id, &at)], None).await.unwrap();
    }
    let history = store.history(Layer::Parcels, 11).await.unwrap();
    let times: Vec<&str> = history.iter().map(|e| e.at.as_str()).collect();
    assert_eq!(times, ["2026-11-27T10:00:00+08:00", "2026-11-27T10:03:00+08:00"]);
    assert!(history.windows(2).all(|w| w[0].sequence < w[1].sequence));
    assert!(store.history(Layer::Parcels, 99).await.unwrap().is_empty());
}

async fn events_come_back_in_sequence_order_from_any_point(backend: Backend) {
    let Some(fresh) = Fresh::new(backend, sample()).await else { return };
    let store = &fresh.store;
    let mut sequences = Vec::new();
    for (i, kind) in ["reserve", "confirm", "release"].into_iter().enumerate() {
        let after = format!(r#"{{"availability":"{kind}"}}"#);
        let at = format!("2026-11-27T10:0{i}:00+08:00");
        let e = NewEvent {
            at: &at,
            actor: "planner-7",
            kind,
            layer: "parcels",
            record_id: Some(11),
            before: (i > 0).then_some(r#"{"availability":"held"}"#),
            after: Some(&after),
        };
        sequences.extend(store.commit(&Change::default(), &[e], None).await.unwrap());
    }
    assert!(sequences.windows(2).all(|w| w[0] < w[1]), "{sequences:?}");

    let all = store.events(0, 100).await.unwrap();
    assert_eq!(all.iter().map(|e| e.sequence).collect::<Vec<_>>(), sequences);
    assert_eq!(all.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(), ["reserve", "confirm", "release"]);
    assert_eq!(all[0].before, None);
    assert_eq!(all[1].before.as_deref(), Some(r#"{"availability":"held"}"#));
    assert_eq!(all[2].at, "2026-11-27T10:02:00+08:00");
    assert_eq!(all[2].record_id, Some(11));

    assert_eq!(store.events(sequences[0], 100).await.unwrap(), all[1..]);
    assert_eq!(store.events(0, 1).await.unwrap(), all[..1]);
    assert!(store.events(sequences[2], 100).await.unwrap().is_empty());
    assert_eq!(fresh.reopen().await.events(0, 100).await.unwrap(), all);
}

async fn restored_events_keep_their_sequence_numbers_and_the_log_continues(backend: Backend) {
    let Some(source) = Fresh::new(backend, sample()).await else { return };
    for at in ["2026-11-27T10:00:00Z", "2026-11-27T10:01:00Z"] {
        source.store.commit(&Change::default(), &[event("update", "parcels", 10, at)], None).await.unwrap();
    }
    let mut events = source.store.events(0, 10).await.unwrap();
    events[1].sequence += 40; // a gap, as a log with rolled-back sequence numbers has
    let Some(target) = Fresh::new(backend, sample()).await else { return };
    target.store.restore_events(events.clone()).await.unwrap();
    assert_eq!(target.store.events(0, 10).await.unwrap(), events);
    let next = target.store.commit(&Change::default(), &[event("update", "parcels", 10, AT)], None).await.unwrap();
    assert!(next[0] > events[1].sequence, "{next:?} follows {}", events[1].sequence);
}

/// Declares each contract test once per backend, as `geopackage::<name>` and `postgis::<name>`.
macro_rules! contract {
    ($($test:ident),* $(,)?) => {
        mod geopackage {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test(super::Backend::GeoPackage).await;
                }
            )*
        }
        mod postgis {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test(super::Backend::PostGis).await;
                }
            )*
        }
    };
}

contract![
    a_created_store_loads_back_exactly_what_went_in,
    coordinates_and_quantities_survive_bit_for_bit,
    an_empty_inventory_makes_an_empty_store,
    an_empty_store_is_filled_once,
    a_fill_with_a_duplicate_id_is_rejected_and_writes_nothing,
    two_live_holds_on_one_parcel_cannot_be_filled_in,
    replacing_a_layer_swaps_its_rows_bumps_versions_and_logs_an_import,
    replacing_projects_rewrites_their_units_in_order,
    a_failing_replace_keeps_the_old_rows_and_logs_nothing,
    a_replace_with_a_bad_time_changes_nothing,
    a_commit_writes_records_holds_and_events_together,
    reserving_a_held_parcel_is_a_conflict_and_writes_nothing,
    a_released_reservation_frees_its_parcel_for_the_next,
    an_allocation_keeps_the_hold_until_it_is_released,
    units_are_held_one_by_one,
    an_idempotent_answer_is_remembered_with_its_commit,
    a_commit_with_a_bad_event_time_writes_nothing,
    history_lists_the_events_of_one_record_oldest_first,
    events_come_back_in_sequence_order_from_any_point,
    restored_events_keep_their_sequence_numbers_and_the_log_continues,
];

/// Moving an inventory between backends: GeoPackage → PostGIS → GeoPackage keeps every record, reservation,
/// allocation and event, and a store that holds anything is never a destination.
#[tokio::test]
async fn copying_between_backends_keeps_everything() {
    let Some(db) = ScratchDatabase::from_env() else { return };
    let dir = tempfile::tempdir().unwrap();
    let source = Store::create(&Location::GeoPackage(dir.path().join("a.gpkg")), sample_with_holdings()).await.unwrap();
    source.commit(&reserve_parcel(&sample(), 5, 11), &[event("reserve", "parcels", 11, AT)], None).await.unwrap();
    source.replace_layer(&sample(), Layer::Zones, "admin", AT).await.unwrap();
    let parts = source.load().await.unwrap();
    let events = source.events(0, 100).await.unwrap();

    let (postgis, copied) = source.copy_to(&Location::PostGis(db.url().to_owned())).await.unwrap();
    assert_eq!((copied.parcels, copied.reservations, copied.allocations, copied.events), (2, 5, 2, 2));
    assert_same(&postgis.load().await.unwrap(), &parts);
    assert_eq!(postgis.events(0, 100).await.unwrap(), events);

    let back = Location::GeoPackage(dir.path().join("b.gpkg"));
    let (gpkg, _) = postgis.copy_to(&back).await.unwrap();
    assert_same(&gpkg.load().await.unwrap(), &parts);
    assert_eq!(gpkg.events(0, 100).await.unwrap(), events);

    let err = gpkg.copy_to(&Location::PostGis(db.url().to_owned())).await.unwrap_err();
    assert!(matches!(err, StoreError::NotEmpty), "{err:?}");
    let err = postgis.copy_to(&back).await.unwrap_err();
    assert!(matches!(err, StoreError::NotEmpty), "{err:?}");
}
