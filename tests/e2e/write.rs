//! Writes against the running binary: reservations under contention, durability across `kill -9`, idempotent
//! retries, expiry, and refusals that change nothing.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::client::{Response, get, send};
use crate::server::Server;

const TOKEN: &str = "planner:correct-horse-battery-staple";
const BEARER: &str = "Bearer correct-horse-battery-staple";

const OTHER_TOKEN: &str = "zoning:another-long-enough-secret";

fn server(dir: &tempfile::TempDir) -> Server {
    let path = dir.path().join("landbank.gpkg");
    Server::with(&path, &["--token", TOKEN, "--token", OTHER_TOKEN, "--expiry-interval-s", "1"])
}

fn post(server: &Server, path: &str, body: &Value, extra: &[(&str, &str)]) -> Response {
    let mut headers = vec![("Authorization", BEARER), ("Content-Type", "application/json")];
    headers.extend_from_slice(extra);
    send("POST", &server.url(path), &headers, body.to_string().as_bytes())
}

/// An available parcel and a signed project whose class the parcel's land can take.
fn parcel_and_project(server: &Server) -> (i64, i64) {
    let parcels = get(&server.url("/collections/parcels/items?availability=available&class=III&limit=1000")).json();
    let parcel = parcels["features"]
        .as_array()
        .expect("features")
        .iter()
        .find(|f| f["properties"]["available_from"].as_str().is_none_or(|d| d <= "2026-01-01"))
        .and_then(|f| f["id"].as_i64())
        .expect("a class-III parcel available now");
    let projects = get(&server.url("/collections/projects/items?stage=signed&limit=1")).json();
    let project = projects["features"][0]["id"].as_i64().expect("a signed project");
    (parcel, project)
}

fn parcel_availability(server: &Server, parcel: i64) -> String {
    let feature = get(&server.url(&format!("/collections/parcels/items/{parcel}"))).json();
    feature["properties"]["availability"].as_str().expect("availability").to_owned()
}

#[test]
fn fifty_simultaneous_reservations_of_one_parcel_give_exactly_one_hold() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let server = server(&dir);
    let (parcel, project) = parcel_and_project(&server);
    let body = json!({ "project_id": project, "parcel_id": parcel });
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> =
            (0..50).map(|_| scope.spawn(|| post(&server, "/reservations", &body, &[]).status)).collect();
        handles.into_iter().map(|h| h.join().expect("request thread")).collect()
    });
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 49, "{statuses:?}");
    drop(server);

    // After a restart, the store holds exactly one reservation of the parcel.
    let server = self::server(&dir);
    let held = crate::client::get_as(
        &server.url(&format!("/reservations?project_id={project}")),
        "Bearer correct-horse-battery-staple",
    )
    .json();
    let of_parcel: Vec<&Value> =
        held["items"].as_array().expect("items").iter().filter(|r| r["parcel_id"] == parcel).collect();
    assert_eq!(of_parcel.len(), 1, "{held}");
    assert_eq!(parcel_availability(&server, parcel), "held");
}

#[test]
fn a_confirmed_allocation_survives_kill_9_and_a_restart() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let server = server(&dir);
    let (parcel, project) = parcel_and_project(&server);
    let reserved = post(&server, "/reservations", &json!({ "project_id": project, "parcel_id": parcel }), &[]);
    assert_eq!(reserved.status, 201, "{}", String::from_utf8_lossy(&reserved.body));
    let location = reserved.header("location").expect("a Location header").to_owned();
    let confirm = json!({ "supply_method": "transfer_listing", "term_years": 50, "price_wan": 480.5, "contract_ref": "DX-2026-C-0042" });
    let confirmed = post(&server, &format!("{location}/confirm"), &confirm, &[]);
    assert_eq!(confirmed.status, 201, "{}", String::from_utf8_lossy(&confirmed.body));
    let allocation = confirmed.json()["id"].as_i64().expect("allocation id");
    server.kill_hard();

    let server = self::server(&dir);
    let stored = crate::client::get_as(
        &server.url(&format!("/allocations/{allocation}")),
        "Bearer correct-horse-battery-staple",
    )
    .json();
    assert_eq!(stored["status"], "active");
    assert_eq!(stored["contract_ref"], "DX-2026-C-0042");
    assert_eq!(stored["parcel_id"], parcel);
    assert_eq!(parcel_availability(&server, parcel), "supplied");
    let project_now = get(&server.url(&format!("/collections/projects/items/{project}"))).json();
    assert_eq!(project_now["properties"]["stage"], "space_secured", "a project whose space is secured advances");
}

#[test]
fn a_retried_request_with_the_same_idempotency_key_gets_the_same_answer_once() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let server = server(&dir);
    let (parcel, project) = parcel_and_project(&server);
    let body = json!({ "project_id": project, "parcel_id": parcel });
    let first = post(&server, "/reservations", &body, &[("Idempotency-Key", "retry-7f3a")]);
    let second = post(&server, "/reservations", &body, &[("Idempotency-Key", "retry-7f3a")]);
    assert_eq!(first.status, 201);
    assert_eq!(second.status, 201, "{}", String::from_utf8_lossy(&second.body));
    assert_eq!(first.json()["id"], second.json()["id"]);
    let other = post(
        &server,
        "/reservations",
        &json!({ "project_id": project, "unit_ids": [1] }),
        &[("Idempotency-Key", "retry-7f3a")],
    );
    assert_eq!(other.status, 422, "a key reused for another request");
    let held = crate::client::get_as(
        &server.url(&format!("/reservations?project_id={project}")),
        "Bearer correct-horse-battery-staple",
    )
    .json();
    assert_eq!(held["numberMatched"], 1);
}

#[test]
fn an_expired_hold_frees_its_parcel_by_itself() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let server = server(&dir);
    let (parcel, project) = parcel_and_project(&server);
    // A hold of about 1.7 s; the server sweeps expired holds every second.
    let body = json!({ "project_id": project, "parcel_id": parcel, "hold_days": 0.00002 });
    let reserved = post(&server, "/reservations", &body, &[]);
    assert_eq!(reserved.status, 201, "{}", String::from_utf8_lossy(&reserved.body));
    let id = reserved.json()["id"].as_i64().expect("id");
    let deadline = Instant::now() + Duration::from_secs(20);
    while parcel_availability(&server, parcel) != "available" {
        assert!(Instant::now() < deadline, "the hold did not expire");
        std::thread::sleep(Duration::from_millis(100));
    }
    let reservation =
        crate::client::get_as(&server.url(&format!("/reservations/{id}")), "Bearer correct-horse-battery-staple")
            .json();
    assert_eq!(reservation["status"], "expired");
    let late = post(&server, &format!("/reservations/{id}/confirm"), &json!({}), &[]);
    assert_eq!(late.status, 409, "an expired reservation cannot be confirmed");
}

#[test]
fn bad_writes_are_refused_with_problems_and_change_nothing() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let server = server(&dir);
    let (parcel, project) = parcel_and_project(&server);
    let ok = json!({ "project_id": project, "parcel_id": parcel });
    let json_headers = [("Authorization", BEARER), ("Content-Type", "application/json")];
    let cases: Vec<(&str, Response, u16)> = vec![
        (
            "no token",
            send(
                "POST",
                &server.url("/reservations"),
                &[("Content-Type", "application/json")],
                ok.to_string().as_bytes(),
            ),
            401,
        ),
        (
            "wrong token",
            send(
                "POST",
                &server.url("/reservations"),
                &[("Authorization", "Bearer nope"), ("Content-Type", "application/json")],
                ok.to_string().as_bytes(),
            ),
            401,
        ),
        ("malformed JSON", send("POST", &server.url("/reservations"), &json_headers, b"{\"project_id\": "), 400),
        (
            "wrong content type",
            send(
                "POST",
                &server.url("/reservations"),
                &[("Authorization", BEARER), ("Content-Type", "text/plain")],
                ok.to_string().as_bytes(),
            ),
            415,
        ),
        (
            "unknown field",
            post(&server, "/reservations", &json!({ "project_id": project, "parcel_id": parcel, "colour": 1 }), &[]),
            400,
        ),
        (
            "both targets",
            post(
                &server,
                "/reservations",
                &json!({ "project_id": project, "parcel_id": parcel, "unit_ids": [1] }),
                &[],
            ),
            400,
        ),
        (
            "unknown project",
            post(&server, "/reservations", &json!({ "project_id": 999_999, "parcel_id": parcel }), &[]),
            422,
        ),
        (
            "unknown parcel",
            post(&server, "/reservations", &json!({ "project_id": project, "parcel_id": 999_999 }), &[]),
            422,
        ),
        (
            "negative hold",
            post(
                &server,
                "/reservations",
                &json!({ "project_id": project, "parcel_id": parcel, "hold_days": -1 }),
                &[],
            ),
            400,
        ),
        ("unknown reservation", post(&server, "/reservations/424242/confirm", &json!({}), &[]), 404),
        ("unknown allocation", post(&server, "/allocations/424242/release", &json!({}), &[]), 404),
        ("bad supply method", post(&server, "/reservations/1/confirm", &json!({ "supply_method": "gift" }), &[]), 400),
        ("huge body", send("POST", &server.url("/reservations"), &json_headers, &vec![b' '; 2 * 1024 * 1024]), 400),
    ];
    for (what, response, status) in cases {
        assert_eq!(response.status, status, "{what}: {}", String::from_utf8_lossy(&response.body));
        assert_eq!(response.header("content-type"), Some("application/problem+json"), "{what}");
    }
    assert_eq!(parcel_availability(&server, parcel), "available", "refused writes changed nothing");
    assert_eq!(
        crate::client::get_as(&server.url("/reservations"), "Bearer correct-horse-battery-staple").json()["numberMatched"],
        0
    );

    // A reservation is confirmed or released only by whoever made it.
    let reserved = post(&server, "/reservations", &ok, &[]);
    let id = reserved.json()["id"].as_i64().expect("id");
    let other = [("Authorization", "Bearer another-long-enough-secret"), ("Content-Type", "application/json")];
    let foreign = send("POST", &server.url(&format!("/reservations/{id}/confirm")), &other, b"{}");
    assert_eq!(foreign.status, 403, "{}", String::from_utf8_lossy(&foreign.body));
    assert!(foreign.json()["detail"].as_str().is_some_and(|d| d.contains("planner")));
    let foreign = send("DELETE", &server.url(&format!("/reservations/{id}")), &other[..1], b"");
    assert_eq!(foreign.status, 403);
    assert_eq!(parcel_availability(&server, parcel), "held");

    // A released reservation cannot be confirmed, and a second release is a conflict.
    let released = send("DELETE", &server.url(&format!("/reservations/{id}")), &[("Authorization", BEARER)], b"");
    assert_eq!(released.status, 200);
    assert_eq!(parcel_availability(&server, parcel), "available");
    assert_eq!(post(&server, &format!("/reservations/{id}/confirm"), &json!({}), &[]).status, 409);
    let again = send("DELETE", &server.url(&format!("/reservations/{id}")), &[("Authorization", BEARER)], b"");
    assert_eq!(again.status, 409);
}

/// An available parcel of at least `min_mu` stated mu.
fn big_parcel(server: &Server, min_mu: f64) -> (i64, f64) {
    let parcels = get(&server.url("/collections/parcels/items?availability=available&limit=1000")).json();
    parcels["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| (f["id"].as_i64().expect("id"), f["properties"]["stated_area_mu"].as_f64().expect("area")))
        .find(|(_, mu)| *mu >= min_mu)
        .expect("a big enough available parcel")
}

#[test]
fn two_concurrent_carves_of_one_parcel_give_one_split() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let server = server(&dir);
    let (parcel, _) = big_parcel(&server, 40.0);
    let path = format!("/parcels/{parcel}/split");
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let a = scope.spawn(|| post(&server, &path, &json!({ "area_mu": 12.5 }), &[]).status);
        let b = scope.spawn(|| post(&server, &path, &json!({ "area_mu": 15.0 }), &[]).status);
        vec![a.join().expect("thread"), b.join().expect("thread")]
    });
    let mut sorted = statuses.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, vec![201, 409], "{statuses:?}");
    assert_eq!(parcel_availability(&server, parcel), "retired");
}

#[test]
fn a_split_creates_two_parcels_of_the_right_areas_and_records_lineage() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let server = server(&dir);
    let (parcel, stated) = big_parcel(&server, 40.0);

    let preview = post(&server, &format!("/parcels/{parcel}/split"), &json!({ "area_mu": 20.0, "preview": true }), &[]);
    assert_eq!(preview.status, 200, "{}", String::from_utf8_lossy(&preview.body));
    assert_eq!(preview.json()["features"].as_array().map(Vec::len), Some(2));
    assert_eq!(parcel_availability(&server, parcel), "available", "a preview changes nothing");

    let split = post(&server, &format!("/parcels/{parcel}/split"), &json!({ "area_mu": 20.0 }), &[]);
    assert_eq!(split.status, 201, "{}", String::from_utf8_lossy(&split.body));
    let doc = split.json();
    assert_eq!(doc["retired"], json!([parcel]));
    let pieces = doc["features"].as_array().expect("features");
    let areas: Vec<f64> = pieces.iter().map(|f| f["properties"]["area_mu"].as_f64().expect("area")).collect();
    assert!((areas[0] - 20.0).abs() <= 0.001, "{areas:?}");
    let stated_sum: f64 = pieces.iter().map(|f| f["properties"]["stated_area_mu"].as_f64().expect("stated")).sum();
    assert!((stated_sum - stated).abs() < 1e-6, "children's stated areas add up to the parent's");

    let history = crate::client::get_as(
        &server.url(&format!("/parcels/{parcel}/history")),
        "Bearer correct-horse-battery-staple",
    )
    .json();
    let events = history["events"].as_array().expect("events");
    let last = events.last().expect("an event");
    assert_eq!(last["kind"], "retire");
    assert_eq!(last["actor"], "planner");
    assert_eq!(last["after"]["properties"]["availability"], "retired");
    let child = pieces[0]["id"].as_i64().expect("child id");
    let child_history =
        crate::client::get_as(&server.url(&format!("/parcels/{child}/history")), "Bearer correct-horse-battery-staple")
            .json();
    assert_eq!(child_history["events"][0]["kind"], "split");
    assert!(child_history["events"][0]["before"].is_null(), "the child did not exist before");

    // The two children touch: merging them gives one parcel back with the parent's stated area.
    let ids: Vec<i64> = pieces.iter().map(|f| f["id"].as_i64().expect("id")).collect();
    let merged = post(&server, "/parcels/merge", &json!({ "parcel_ids": ids }), &[]);
    assert_eq!(merged.status, 201, "{}", String::from_utf8_lossy(&merged.body));
    let merged = merged.json();
    let whole = merged["features"][0]["properties"]["stated_area_mu"].as_f64().expect("stated");
    assert!((whole - stated).abs() < 1e-6);
}

#[test]
fn a_reservation_can_carve_the_piece_it_holds() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let server = server(&dir);
    let (parcel, _) = big_parcel(&server, 40.0);
    let projects = get(&server.url("/collections/projects/items?stage=signed&required_class=I&limit=1")).json();
    let project = projects["features"][0]["id"].as_i64().expect("a signed class-I project");
    let body = json!({ "project_id": project, "carve": { "parcel_id": parcel, "area_mu": 18.0 } });
    let reserved = post(&server, "/reservations", &body, &[]);
    assert_eq!(reserved.status, 201, "{}", String::from_utf8_lossy(&reserved.body));
    let piece = reserved.json()["parcel_id"].as_i64().expect("the carved piece");
    assert_ne!(piece, parcel);
    assert_eq!(parcel_availability(&server, parcel), "retired");
    assert_eq!(parcel_availability(&server, piece), "held");
}

#[test]
fn carves_that_cannot_be_done_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let server = server(&dir);
    let (parcel, stated) = big_parcel(&server, 10.0);
    for (body, status) in [
        (json!({ "area_mu": stated + 5.0 }), 422),
        (json!({ "area_mu": 0 }), 422),
        (json!({ "area_mu": -3 }), 422),
        (json!({ "area_mu": "ten" }), 400),
        (json!({ "area": 5 }), 400),
    ] {
        let r = post(&server, &format!("/parcels/{parcel}/split"), &body, &[]);
        assert_eq!(r.status, status, "{body}: {}", String::from_utf8_lossy(&r.body));
        assert!(r.json()["detail"].as_str().is_some_and(|d| !d.is_empty()));
    }
    assert_eq!(post(&server, "/parcels/999999/split", &json!({ "area_mu": 5 }), &[]).status, 404);
    assert_eq!(parcel_availability(&server, parcel), "available");
}
