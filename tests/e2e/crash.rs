//! Crash safety: eight clients storm the server with reservations, confirmations and releases, the server is killed
//! with SIGKILL mid-storm and restarted on the same store (a GeoPackage, and PostgreSQL + PostGIS whenever
//! `LANDBANK_TEST_DATABASE_URL` is set). Every acknowledged write must be there, nothing half-written may be
//! visible (a reservation without its parcel's hold, an allocation without its confirmed reservation, an event
//! without its change), the GeoPackage must pass `PRAGMA integrity_check` and `PRAGMA foreign_key_check`, a retry
//! of each write that was in flight with its `Idempotency-Key` must be safe, and the restarted server must take new
//! writes.
//!
//! The kill point varies from run to run (it is printed with the seed); the assertions hold wherever it falls.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use landbank_store::GeoPackage;
use landbank_store::scratch::ScratchDatabase;
use serde_json::{Value, json};

use crate::client::{Response, get, send};
use crate::server::Server;

const TOKEN: &str = "planner:correct-horse-battery-staple";
const BEARER: &str = "Bearer correct-horse-battery-staple";

/// Client threads of the storm, and the parcels each owns (a parcel is written by one thread only, so the order
/// of the writes on it is known).
const THREADS: usize = 8;
const PARCELS_PER_THREAD: usize = 5;

/// The storm is cut after at least this many acknowledged writes, plus up to `KILL_SPREAD` more (by the seed).
const KILL_AFTER: usize = 30;
const KILL_SPREAD: u64 = 150;

/// The kill comes at the latest this long after the storm starts, however many writes were acknowledged.
const STORM_LIMIT: Duration = Duration::from_secs(15);

#[test]
fn a_geopackage_keeps_every_acknowledged_write_across_kill_9() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("landbank.gpkg");
    crash_and_check("geopackage", &|| Server::with(&path, &["--token", TOKEN]), Some(&path));
}

#[test]
fn postgis_keeps_every_acknowledged_write_across_kill_9() {
    let Some(db) = ScratchDatabase::from_env() else { return };
    crash_and_check("postgis", &|| Server::with_database(db.url(), &["--token", TOKEN]), None);
}

/// One write of the storm.
#[derive(Debug, Clone)]
enum Op {
    Reserve { parcel: i64, project: i64 },
    Confirm { parcel: i64, reservation: i64 },
    Release { parcel: i64, reservation: i64 },
    ReleaseAllocation { parcel: i64, allocation: i64 },
}

impl Op {
    fn parcel(&self) -> i64 {
        match self {
            Op::Reserve { parcel, .. }
            | Op::Confirm { parcel, .. }
            | Op::Release { parcel, .. }
            | Op::ReleaseAllocation { parcel, .. } => *parcel,
        }
    }

    /// The HTTP request of this write, with its idempotency key.
    fn request(&self, key: String) -> Request {
        let (method, path, body, status) = match self {
            Op::Reserve { parcel, project } => {
                ("POST", "/reservations".to_owned(), json!({ "project_id": project, "parcel_id": parcel }), 201)
            }
            Op::Confirm { reservation, .. } => (
                "POST",
                format!("/reservations/{reservation}/confirm"),
                json!({ "supply_method": "transfer_listing", "term_years": 50, "price_wan": 480.5, "contract_ref": key }),
                201,
            ),
            Op::Release { reservation, .. } => ("DELETE", format!("/reservations/{reservation}"), Value::Null, 200),
            Op::ReleaseAllocation { allocation, .. } => {
                ("POST", format!("/allocations/{allocation}/release"), json!({}), 200)
            }
        };
        let body = if body.is_null() { String::new() } else { body.to_string() };
        Request { op: self.clone(), method, path, body, key, status }
    }

    /// What the parcel holds after this write; `id` is the reservation or allocation it created, when known.
    fn after(&self, id: Option<i64>) -> Holding {
        match self {
            Op::Reserve { .. } => Holding::Held(id),
            Op::Confirm { .. } => Holding::Supplied(id),
            Op::Release { .. } | Op::ReleaseAllocation { .. } => Holding::Free,
        }
    }
}

#[derive(Debug, Clone)]
struct Request {
    op: Op,
    method: &'static str,
    path: String,
    body: String,
    key: String,
    /// The status of success.
    status: u16,
}

impl Request {
    fn headers(&self) -> Vec<(&str, &str)> {
        let mut headers = vec![("Authorization", BEARER), ("Idempotency-Key", self.key.as_str())];
        if !self.body.is_empty() {
            headers.push(("Content-Type", "application/json"));
        }
        headers
    }
}

/// A write the server answered with success, and the id of the reservation (reserve) or allocation (confirm) it
/// created.
#[derive(Debug, Clone)]
struct Acked {
    op: Op,
    id: i64,
    contract_ref: Option<String>,
}

/// What one client thread saw.
#[derive(Debug, Default)]
struct Log {
    acked: Vec<Acked>,
    /// The write whose answer never came: it may or may not have been committed.
    in_flight: Option<Request>,
    /// Answers that should not have come (a refusal of a write the model says is allowed).
    unexpected: Vec<String>,
}

/// What a parcel of the storm holds; `None` stands for an id nobody was told (a write in flight).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Holding {
    Free,
    Held(Option<i64>),
    Supplied(Option<i64>),
}

impl Holding {
    fn admits(self, actual: Holding) -> bool {
        match (self, actual) {
            (Holding::Free, Holding::Free) => true,
            (Holding::Held(e), Holding::Held(a)) | (Holding::Supplied(e), Holding::Supplied(a)) => {
                e.is_none() || e == a
            }
            _ => false,
        }
    }
}

/// A small deterministic generator (xorshift64*), seeded from the clock; the seed is printed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn crash_and_check(label: &str, start: &dyn Fn() -> Server, file: Option<&Path>) {
    let seed =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64) | 1;
    let kill_after = KILL_AFTER + (seed % KILL_SPREAD) as usize;
    let server = start();
    let (parcels, projects) = parcels_and_projects(&server, THREADS * PARCELS_PER_THREAD + 1);
    let (spare, storm_parcels) = parcels.split_first().expect("parcels");

    // The storm, cut by SIGKILL once enough writes were acknowledged.
    let base = server.base.clone();
    let acked = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let started = Instant::now();
    let mut logs: Vec<Log> = std::thread::scope(|scope| {
        let handles: Vec<_> = storm_parcels
            .chunks(PARCELS_PER_THREAD)
            .enumerate()
            .map(|(t, owned)| {
                let (base, acked, stop) = (&base, &acked, &stop);
                let project = projects[t % projects.len()];
                scope.spawn(move || storm(base, t, owned, project, seed, acked, stop))
            })
            .collect();
        while acked.load(Ordering::SeqCst) < kill_after && started.elapsed() < STORM_LIMIT {
            std::thread::sleep(Duration::from_millis(1));
        }
        server.kill_hard();
        stop.store(true, Ordering::SeqCst);
        handles.into_iter().map(|h| h.join().expect("storm thread")).collect()
    });
    let unexpected: Vec<&String> = logs.iter().flat_map(|l| &l.unexpected).collect();
    assert!(unexpected.is_empty(), "{label}: the storm got answers it should not have: {unexpected:#?}");
    let total: usize = logs.iter().map(|l| l.acked.len()).sum();
    let in_flight: Vec<&Request> = logs.iter().filter_map(|l| l.in_flight.as_ref()).collect();
    eprintln!(
        "{label}: seed {seed}, killed after {total} acknowledged writes ({:?}), {} in flight: {:?}",
        started.elapsed(),
        in_flight.len(),
        in_flight.iter().map(|r| format!("{} {}", r.method, r.path)).collect::<Vec<_>>()
    );
    assert!(total > 0, "{label}: no write was acknowledged before the kill");

    // The file as the crash left it.
    if let Some(path) = file {
        check_file(path);
    }

    // Restarted: every acknowledged write is there, and nothing half-written.
    let server = start();
    let seen = Seen::read(&server, storm_parcels);
    let problems = check(&seen, &logs);
    assert!(problems.is_empty(), "{label} (seed {seed}) after kill -9 and a restart:\n{}", problems.join("\n"));

    // A retry of each write in flight, with its key, is safe: the same answer when it was committed, else done now.
    let (acked_reservations, acked_allocations) = (logs_ids(&logs, true), logs_ids(&logs, false));
    let (mut committed, in_flight_count) = (0, logs.iter().filter(|l| l.in_flight.is_some()).count());
    for log in &mut logs {
        let Some(request) = log.in_flight.take() else { continue };
        let r = send(request.method, &server.url(&request.path), &request.headers(), request.body.as_bytes());
        assert_eq!(
            r.status,
            request.status,
            "{label}: a retry of {} {} after the restart: {}",
            request.method,
            request.path,
            String::from_utf8_lossy(&r.body)
        );
        let answer = r.json();
        let id = answer["id"].as_i64().expect("an id");
        match &request.op {
            Op::Reserve { parcel, .. } => {
                let found: Vec<i64> = unacked(&seen.reservations, &acked_reservations)
                    .filter(|(_, r)| r["parcel_id"] == *parcel)
                    .map(|(id, _)| *id)
                    .collect();
                assert!(found.is_empty() || found == [id], "{label}: the retry answered {id}, the store had {found:?}");
                committed += found.len();
            }
            Op::Confirm { reservation, .. } => {
                let found: Vec<i64> = unacked(&seen.allocations, &acked_allocations)
                    .filter(|(_, a)| a["reservation_id"] == *reservation)
                    .map(|(id, _)| *id)
                    .collect();
                assert!(found.is_empty() || found == [id], "{label}: the retry answered {id}, the store had {found:?}");
                committed += found.len();
            }
            Op::Release { reservation, .. } => {
                assert_eq!(answer["status"], "released", "{label}: {answer}");
                committed += usize::from(seen.reservations[reservation]["status"] == "released");
            }
            Op::ReleaseAllocation { allocation, .. } => {
                assert_eq!(answer["status"], "released", "{label}: {answer}");
                committed += usize::from(seen.allocations[allocation]["status"] == "released");
            }
        }
        let contract_ref = answer["contract_ref"].as_str().map(str::to_owned);
        log.acked.push(Acked { op: request.op, id, contract_ref });
    }
    eprintln!("{label}: {committed} of the {in_flight_count} writes in flight had been committed before the kill");
    let seen = Seen::read(&server, storm_parcels);
    let problems = check(&seen, &logs);
    assert!(problems.is_empty(), "{label} (seed {seed}) after the retries:\n{}", problems.join("\n"));

    // The restarted server takes new writes.
    let fresh = Op::Reserve { parcel: *spare, project: projects[0] }.request("crash-after-restart".to_owned());
    let r = send(fresh.method, &server.url(&fresh.path), &fresh.headers(), fresh.body.as_bytes());
    assert_eq!(r.status, 201, "{label}: a reservation after the restart: {}", String::from_utf8_lossy(&r.body));
    assert_eq!(availability(&server, *spare).0, "held");
    drop(server);
    if let Some(path) = file {
        check_file(path);
    }
}

/// Available parcels (available now) and the projects of class I, which any industrial land can take.
fn parcels_and_projects(server: &Server, wanted: usize) -> (Vec<i64>, Vec<i64>) {
    let available = get(&server.url("/collections/parcels/items?availability=available&limit=1000")).json();
    let parcels: Vec<i64> = available["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter(|f| f["properties"]["class"].is_string())
        .filter(|f| f["properties"]["available_from"].as_str().is_none_or(|d| d <= "2026-01-01"))
        .filter_map(|f| f["id"].as_i64())
        .take(wanted)
        .collect();
    assert_eq!(parcels.len(), wanted, "the fixtures have {wanted} industrial parcels available now");
    let projects = get(&server.url("/collections/projects/items?required_class=I&limit=1000")).json();
    let projects: Vec<i64> =
        projects["features"].as_array().expect("features").iter().filter_map(|f| f["id"].as_i64()).collect();
    assert!(!projects.is_empty(), "the fixtures have class-I projects");
    (parcels, projects)
}

/// One client of the storm: picks one of its parcels at random and writes what the parcel's state allows (reserve
/// a free parcel; confirm, or sometimes release, a held one; sometimes release a supplied one), until the server
/// stops answering or `stop` is set.
fn storm(
    base: &str,
    t: usize,
    parcels: &[i64],
    project: i64,
    seed: u64,
    acked: &AtomicUsize,
    stop: &AtomicBool,
) -> Log {
    let mut rng = Rng(seed ^ (t as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut state = vec![Holding::Free; parcels.len()];
    let mut log = Log::default();
    let mut n = 0;
    while !stop.load(Ordering::SeqCst) {
        let i = rng.below(parcels.len());
        let parcel = parcels[i];
        let op = match state[i] {
            Holding::Free => Op::Reserve { parcel, project },
            Holding::Held(Some(reservation)) if rng.below(4) == 0 => Op::Release { parcel, reservation },
            Holding::Held(Some(reservation)) => Op::Confirm { parcel, reservation },
            Holding::Supplied(Some(allocation)) if rng.below(3) == 0 => Op::ReleaseAllocation { parcel, allocation },
            Holding::Supplied(Some(_)) => continue,
            Holding::Held(None) | Holding::Supplied(None) => unreachable!("a client knows its ids"),
        };
        n += 1;
        let request = op.request(format!("crash-{t}-{n}"));
        let url = format!("{base}{}", request.path);
        match try_send(request.method, &url, &request.headers(), request.body.as_bytes()) {
            Err(_) => {
                log.in_flight = Some(request);
                break;
            }
            Ok(r) if r.status == request.status => {
                let answer: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
                let id = answer["id"].as_i64().unwrap_or(-1);
                let contract_ref = answer["contract_ref"].as_str().map(str::to_owned);
                state[i] = op.after(Some(id));
                log.acked.push(Acked { op, id, contract_ref });
                acked.fetch_add(1, Ordering::SeqCst);
            }
            Ok(r) => {
                log.unexpected.push(format!(
                    "{} {} → {} {}",
                    request.method,
                    request.path,
                    r.status,
                    String::from_utf8_lossy(&r.body)
                ));
                break;
            }
        }
    }
    log
}

/// What the restarted server shows.
struct Seen {
    reservations: BTreeMap<i64, Value>,
    allocations: BTreeMap<i64, Value>,
    /// Availability and project of each parcel of the storm.
    parcels: BTreeMap<i64, (String, Value)>,
    /// The events of each parcel of the storm.
    history: BTreeMap<i64, Vec<Value>>,
}

impl Seen {
    fn read(server: &Server, parcels: &[i64]) -> Seen {
        let by_id = |path: &str| -> BTreeMap<i64, Value> {
            let listing = crate::client::get_as(&server.url(path), BEARER).json();
            listing["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|i| (i["id"].as_i64().expect("id"), i.clone()))
                .collect()
        };
        Seen {
            reservations: by_id("/reservations"),
            allocations: by_id("/allocations"),
            parcels: parcels.iter().map(|p| (*p, availability(server, *p))).collect(),
            history: parcels
                .iter()
                .map(|p| {
                    let history = crate::client::get_as(
                        &server.url(&format!("/parcels/{p}/history")),
                        "Bearer correct-horse-battery-staple",
                    )
                    .json();
                    (*p, history["events"].as_array().expect("events").clone())
                })
                .collect(),
        }
    }
}

fn availability(server: &Server, parcel: i64) -> (String, Value) {
    let feature = get(&server.url(&format!("/collections/parcels/items/{parcel}"))).json();
    let availability = feature["properties"]["availability"].as_str().expect("availability").to_owned();
    (availability, feature["properties"]["project_id"].clone())
}

/// The ids of reservations (`true`) or allocations (`false`) some acknowledged write created.
fn logs_ids(logs: &[Log], reservations: bool) -> BTreeSet<i64> {
    logs.iter()
        .flat_map(|l| &l.acked)
        .filter(|a| matches!((&a.op, reservations), (Op::Reserve { .. }, true) | (Op::Confirm { .. }, false)))
        .map(|a| a.id)
        .collect()
}

fn unacked<'a>(items: &'a BTreeMap<i64, Value>, acked: &BTreeSet<i64>) -> impl Iterator<Item = (&'a i64, &'a Value)> {
    items.iter().filter(|(id, _)| !acked.contains(id))
}

/// What an acknowledged allocation must show.
struct ExpectedAllocation {
    parcel: i64,
    reservation: i64,
    /// The status of the last acknowledged write about it, and the next one when a release was in flight.
    statuses: Vec<&'static str>,
    contract_ref: Option<String>,
}

/// Every way the store after the restart differs from what the clients were told, or is half-written.
fn check(seen: &Seen, logs: &[Log]) -> Vec<String> {
    let mut problems = Vec::new();
    let in_flight: Vec<&Request> = logs.iter().filter_map(|l| l.in_flight.as_ref()).collect();

    // What each reservation and allocation may show: the status of the last acknowledged write, or the next one
    // when a write about it was in flight.
    let mut reservation_status: BTreeMap<i64, (i64, Vec<&str>)> = BTreeMap::new();
    let mut allocation_status: BTreeMap<i64, ExpectedAllocation> = BTreeMap::new();
    let mut holding: BTreeMap<i64, Holding> = seen.parcels.keys().map(|p| (*p, Holding::Free)).collect();
    for a in logs.iter().flat_map(|l| &l.acked) {
        match &a.op {
            Op::Reserve { parcel, .. } => {
                reservation_status.insert(a.id, (*parcel, vec!["active"]));
            }
            Op::Confirm { parcel, reservation } => {
                reservation_status.insert(*reservation, (*parcel, vec!["confirmed"]));
                let expected = ExpectedAllocation {
                    parcel: *parcel,
                    reservation: *reservation,
                    statuses: vec!["active"],
                    contract_ref: a.contract_ref.clone(),
                };
                allocation_status.insert(a.id, expected);
            }
            Op::Release { parcel, reservation } => {
                reservation_status.insert(*reservation, (*parcel, vec!["released"]));
            }
            Op::ReleaseAllocation { allocation, .. } => {
                if let Some(entry) = allocation_status.get_mut(allocation) {
                    entry.statuses = vec!["released"];
                }
            }
        }
        holding.insert(a.op.parcel(), a.op.after(Some(a.id)));
    }
    let mut possible: BTreeMap<i64, Vec<Holding>> = holding.iter().map(|(p, h)| (*p, vec![*h])).collect();
    for r in &in_flight {
        match &r.op {
            Op::Confirm { reservation, .. } => {
                if let Some(entry) = reservation_status.get_mut(reservation) {
                    entry.1.push("confirmed");
                }
            }
            Op::Release { reservation, .. } => {
                if let Some(entry) = reservation_status.get_mut(reservation) {
                    entry.1.push("released");
                }
            }
            Op::ReleaseAllocation { allocation, .. } => {
                if let Some(entry) = allocation_status.get_mut(allocation) {
                    entry.statuses.push("released");
                }
            }
            Op::Reserve { .. } => {}
        }
        possible.entry(r.op.parcel()).or_default().push(r.op.after(None));
    }

    // Every acknowledged reservation and allocation is there, as the last acknowledged write left it.
    for (id, (parcel, statuses)) in &reservation_status {
        match seen.reservations.get(id) {
            None => problems.push(format!("acknowledged reservation {id} of parcel {parcel} is missing")),
            Some(r) => {
                if r["parcel_id"] != *parcel || !statuses.iter().any(|s| r["status"] == *s) {
                    problems.push(format!("reservation {id} should be {statuses:?} of parcel {parcel}: {r}"));
                }
            }
        }
    }
    for (id, ExpectedAllocation { parcel, reservation, statuses, contract_ref }) in &allocation_status {
        match seen.allocations.get(id) {
            None => problems.push(format!("acknowledged allocation {id} of parcel {parcel} is missing")),
            Some(a) => {
                if a["parcel_id"] != *parcel
                    || a["reservation_id"] != *reservation
                    || a["contract_ref"].as_str() != contract_ref.as_deref()
                    || !statuses.iter().any(|s| a["status"] == *s)
                {
                    problems.push(format!(
                        "allocation {id} should be {statuses:?} of parcel {parcel} and reservation {reservation}: {a}"
                    ));
                }
            }
        }
    }

    // Anything nobody was told about comes from a write in flight: at most one new reservation per reserve in
    // flight, one new allocation per confirmation in flight.
    let unacked_reservations: Vec<(&i64, &Value)> =
        unacked(&seen.reservations, &reservation_status.keys().copied().collect()).collect();
    for (id, r) in &unacked_reservations {
        let from_flight =
            in_flight.iter().any(|f| matches!(f.op, Op::Reserve { parcel, .. } if r["parcel_id"] == parcel));
        let twins = unacked_reservations.iter().filter(|(_, o)| o["parcel_id"] == r["parcel_id"]).count();
        if !from_flight || twins > 1 || r["status"] != "active" {
            problems.push(format!("reservation {id} was never acknowledged and no reserve in flight made it: {r}"));
        }
    }
    let unacked_allocations: Vec<(&i64, &Value)> =
        unacked(&seen.allocations, &allocation_status.keys().copied().collect()).collect();
    for (id, a) in &unacked_allocations {
        let from_flight = in_flight
            .iter()
            .any(|f| matches!(f.op, Op::Confirm { reservation, .. } if a["reservation_id"] == reservation));
        let twins = unacked_allocations.iter().filter(|(_, o)| o["reservation_id"] == a["reservation_id"]).count();
        if !from_flight || twins > 1 || a["status"] != "active" {
            problems.push(format!("allocation {id} was never acknowledged and no confirmation in flight made it: {a}"));
        }
    }

    // A confirmed reservation has exactly one allocation, and an allocation's reservation is confirmed.
    for (id, r) in &seen.reservations {
        let allocations = seen.allocations.values().filter(|a| a["reservation_id"] == *id).count();
        let expected = usize::from(r["status"] == "confirmed");
        if allocations != expected {
            problems.push(format!("reservation {id} has {allocations} allocations: {r}"));
        }
    }
    for (id, a) in &seen.allocations {
        let reservation = a["reservation_id"].as_i64().and_then(|r| seen.reservations.get(&r));
        if reservation.is_none_or(|r| r["status"] != "confirmed" || r["parcel_id"] != a["parcel_id"]) {
            problems.push(format!("allocation {id} has no confirmed reservation of its parcel: {a}"));
        }
    }

    // Each parcel shows exactly what its live reservation or allocation says, and what the clients may expect.
    for (parcel, (availability, project)) in &seen.parcels {
        let active = |items: &BTreeMap<i64, Value>| -> Vec<(i64, Value)> {
            items
                .iter()
                .filter(|(_, v)| v["parcel_id"] == *parcel && v["status"] == "active")
                .map(|(id, v)| (*id, v["project_id"].clone()))
                .collect()
        };
        let (reservations, allocations) = (active(&seen.reservations), active(&seen.allocations));
        let actual = match (availability.as_str(), reservations.as_slice(), allocations.as_slice()) {
            ("available", [], []) if project.is_null() => Holding::Free,
            ("held", [(id, owner)], []) if owner == project => Holding::Held(Some(*id)),
            ("supplied", [], [(id, owner)]) if owner == project => Holding::Supplied(Some(*id)),
            _ => {
                problems.push(format!(
                    "parcel {parcel} is {availability} for project {project} with active reservations \
                     {reservations:?} and active allocations {allocations:?}"
                ));
                continue;
            }
        };
        let allowed = &possible[parcel];
        if !allowed.iter().any(|h| h.admits(actual)) {
            problems.push(format!("parcel {parcel} is {actual:?}; the acknowledged writes allow only {allowed:?}"));
        }
    }

    // Each parcel's history is one unbroken chain from available to what it shows now, one event per write.
    for (parcel, events) in &seen.history {
        let of = |e: &Value, side: &str| e[side]["properties"]["availability"].as_str().unwrap_or("?").to_owned();
        let mut previous = "available".to_owned();
        for e in events {
            let (kind, before, after) = (e["kind"].as_str().unwrap_or("?"), of(e, "before"), of(e, "after"));
            let fits = match kind {
                "reserve" => before == "available" && after == "held",
                "confirm" => before == "held" && after == "supplied",
                "release" => (before == "held" || before == "supplied") && after == "available",
                _ => false,
            };
            if !fits || before != previous {
                problems.push(format!(
                    "parcel {parcel}: a {kind} event from {before} to {after} after {previous} (sequence {})",
                    e["sequence"]
                ));
            }
            previous = after;
        }
        if previous != seen.parcels[parcel].0 {
            problems.push(format!("parcel {parcel} is {} but its history ends {previous}", seen.parcels[parcel].0));
        }
        let count = |kind: &str| events.iter().filter(|e| e["kind"] == kind).count();
        let of_parcel = |items: &BTreeMap<i64, Value>, status: Option<&str>| {
            items.values().filter(|v| v["parcel_id"] == *parcel && status.is_none_or(|s| v["status"] == s)).count()
        };
        let reserves = of_parcel(&seen.reservations, None);
        let confirms = of_parcel(&seen.allocations, None);
        let releases = of_parcel(&seen.reservations, Some("released")) + of_parcel(&seen.allocations, Some("released"));
        if (count("reserve"), count("confirm"), count("release")) != (reserves, confirms, releases) {
            problems.push(format!(
                "parcel {parcel}: {} reserve, {} confirm, {} release events for {reserves} reservations, {confirms} \
                 allocations and {releases} releases",
                count("reserve"),
                count("confirm"),
                count("release")
            ));
        }
    }
    problems
}

/// `PRAGMA integrity_check` and `PRAGMA foreign_key_check` on the GeoPackage while no server has it open.
fn check_file(path: &Path) {
    let store = GeoPackage::open(path).expect("the GeoPackage opens");
    assert_eq!(store.integrity_check().expect("integrity_check runs"), ["ok"], "PRAGMA integrity_check");
    drop(store);
    match Command::new("sqlite3").arg(path).arg("pragma foreign_key_check;").output() {
        Ok(out) => {
            assert!(out.status.success(), "sqlite3 failed: {}", String::from_utf8_lossy(&out.stderr));
            let rows = String::from_utf8_lossy(&out.stdout);
            assert!(rows.trim().is_empty(), "PRAGMA foreign_key_check found rows:\n{rows}");
        }
        Err(_) => eprintln!("note: sqlite3 not found; skipping PRAGMA foreign_key_check"),
    }
}

/// Like [`crate::client::send`], but a server that dies mid-request is an error, not a panic: no connection, a
/// reset, or an answer cut short.
fn try_send(method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> io::Result<Response> {
    let rest = url.strip_prefix("http://").expect("an http URL");
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = TcpStream::connect(authority)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n");
    for (n, v) in headers {
        let _ = write!(head, "{n}: {v}\r\n");
    }
    let _ = write!(head, "Content-Length: {}\r\n\r\n", body.len());
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let cut = || io::Error::new(io::ErrorKind::UnexpectedEof, "the answer was cut short");
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(cut)?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).ok_or_else(cut)?;
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':').map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))).collect();
    let response = Response { status, headers, body: raw[split + 4..].to_vec() };
    let length: usize = response
        .header("content-length")
        .and_then(|l| l.parse().ok())
        .expect("the server answers writes with a Content-Length");
    if response.body.len() < length {
        return Err(cut());
    }
    Ok(response)
}
