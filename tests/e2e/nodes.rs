//! Two `landbank serve` nodes sharing one PostgreSQL database (whenever `LANDBANK_TEST_DATABASE_URL` is set): a
//! write on one becomes visible on the other through the change feed, the database refuses a double booking
//! whichever node commits it, and while the database is unreachable both keep serving reads, refuse writes with
//! 503 and `Retry-After`, and converge once it is back.

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use landbank_store::scratch::ScratchDatabase;
use serde_json::{Value, json};

use crate::client::{Response, get, send};
use crate::server::Server;

const TOKEN: &str = "planner:correct-horse-battery-staple";
const HEADERS: [(&str, &str); 2] =
    [("Authorization", "Bearer correct-horse-battery-staple"), ("Content-Type", "application/json")];

/// How long a node may take to see a change or to reconnect before a test fails.
const DEADLINE: Duration = Duration::from_secs(60);

fn two_nodes(db: &ScratchDatabase) -> (Server, Server) {
    let a = Server::with_database(db.url(), &["--token", TOKEN]);
    let b = Server::with_database(db.url(), &["--token", TOKEN]);
    (a, b)
}

/// Polls `condition` until it holds; panics with `what` when the deadline passes first.
fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    let started = Instant::now();
    while !condition() {
        assert!(started.elapsed() < DEADLINE, "waited {DEADLINE:?} for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Class-III parcels available now, and a signed project to reserve them for.
fn parcels_and_project(server: &Server) -> (Vec<i64>, i64) {
    let available = get(&server.url("/collections/parcels/items?availability=available&class=III&limit=1000")).json();
    let parcels: Vec<i64> = available["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter(|f| f["properties"]["available_from"].as_str().is_none_or(|d| d <= "2026-01-01"))
        .filter_map(|f| f["id"].as_i64())
        .collect();
    assert!(parcels.len() >= 2, "the fixtures have class-III parcels available now");
    let projects = get(&server.url("/collections/projects/items?stage=signed&limit=1")).json();
    (parcels, projects["features"][0]["id"].as_i64().expect("a signed project"))
}

fn reserve(server: &Server, project: i64, parcel: i64) -> Response {
    let body = json!({ "project_id": project, "parcel_id": parcel }).to_string();
    send("POST", &server.url("/reservations"), &HEADERS, body.as_bytes())
}

fn availability(server: &Server, parcel: i64) -> Value {
    get(&server.url(&format!("/collections/parcels/items/{parcel}"))).json()["properties"]["availability"].clone()
}

fn ready(server: &Server) -> Response {
    get(&server.url("/ready"))
}

#[test]
fn a_reservation_on_one_node_becomes_visible_on_the_other() {
    let Some(db) = ScratchDatabase::from_env() else { return };
    let (a, b) = two_nodes(&db);
    let (parcels, project) = parcels_and_project(&b);
    assert_eq!(availability(&b, parcels[0]), "available");

    let reserved = reserve(&a, project, parcels[0]);
    assert_eq!(reserved.status, 201, "{}", String::from_utf8_lossy(&reserved.body));
    wait_until("node B to show the parcel held", || availability(&b, parcels[0]) == "held");
    let id = reserved.json()["id"].clone();
    assert_eq!(
        crate::client::get_as(&b.url(&format!("/reservations/{id}")), "Bearer correct-horse-battery-staple").json()["status"],
        "active"
    );
    wait_until("both nodes to have applied every event", || [&a, &b].iter().all(|n| ready(n).json()["behind"] == 0));
    let report = ready(&b).json();
    assert_eq!((&report["status"], &report["backend"]), (&json!("ready"), &json!("postgis")), "{report}");
}

#[test]
fn fifty_concurrent_reservations_of_one_parcel_across_two_nodes_make_exactly_one_hold() {
    let Some(db) = ScratchDatabase::from_env() else { return };
    let (a, b) = two_nodes(&db);
    let (parcels, project) = parcels_and_project(&a);
    let parcel = parcels[0];
    let bases = [a.base.clone(), b.base.clone()];
    let start = Arc::new(Barrier::new(50));
    let requests: Vec<_> = (0..50)
        .map(|i| {
            let (url, start) = (format!("{}/reservations", bases[i % 2]), Arc::clone(&start));
            std::thread::spawn(move || {
                let body = json!({ "project_id": project, "parcel_id": parcel }).to_string();
                start.wait();
                send("POST", &url, &HEADERS, body.as_bytes()).status
            })
        })
        .collect();
    let mut statuses: Vec<u16> = requests.into_iter().map(|r| r.join().expect("request thread")).collect();
    statuses.sort_unstable();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 49, "{statuses:?}");
    for node in [&a, &b] {
        wait_until("both nodes to show the parcel held", || availability(node, parcel) == "held");
    }
}

#[test]
fn while_the_database_is_away_nodes_serve_reads_refuse_writes_and_converge_after() {
    let Some(db) = ScratchDatabase::from_env() else { return };
    let (a, b) = two_nodes(&db);
    let (parcels, project) = parcels_and_project(&a);
    for node in [&a, &b] {
        assert_eq!(ready(node).status, 200);
    }

    let name = db.name();
    db.run_as_admin(&format!("alter database {name} with allow_connections false")).expect("closing the database");
    db.run_as_admin(&format!("select pg_terminate_backend(pid) from pg_stat_activity where datname = '{name}'"))
        .expect("ending its connections");

    for node in [&a, &b] {
        let read = get(&node.url(&format!("/collections/parcels/items/{}", parcels[0])));
        assert_eq!(read.status, 200, "reads are served from memory");
        let refused = reserve(node, project, parcels[0]);
        assert_eq!(refused.status, 503, "{}", String::from_utf8_lossy(&refused.body));
        assert_eq!(refused.header("retry-after"), Some("5"));
        assert_eq!(refused.json()["code"], "store-unavailable");
        assert_eq!(ready(node).status, 503, "a node without its database is not ready");
        assert_eq!(get(&node.url("/health")).status, 200, "a node without its database is alive");
    }

    db.run_as_admin(&format!("alter database {name} with allow_connections true")).expect("opening the database");
    let mut reserved = reserve(&a, project, parcels[1]);
    let started = Instant::now();
    while reserved.status == 503 && started.elapsed() < DEADLINE {
        std::thread::sleep(Duration::from_millis(50));
        reserved = reserve(&a, project, parcels[1]);
    }
    assert_eq!(reserved.status, 201, "{}", String::from_utf8_lossy(&reserved.body));
    wait_until("node B to show the parcel reserved on A after the outage", || availability(&b, parcels[1]) == "held");
    assert_eq!(availability(&a, parcels[0]), "available", "the write refused during the outage left nothing");
    wait_until("both nodes to report they are not behind", || {
        [&a, &b].iter().all(|n| {
            let r = ready(n);
            r.status == 200 && r.json()["behind"] == 0
        })
    });
}

#[test]
fn a_node_on_a_geopackage_is_always_ready() {
    let server = Server::start();
    let report = ready(&server);
    assert_eq!(report.status, 200);
    assert_eq!(report.json(), json!({ "status": "ready", "backend": "geopackage" }));
}
