//! `landbank serve` answers as the README promises, and refuses bad input with problem+json.

use crate::client::{get, request};
use crate::fixture_count;
use crate::server::Server;

const DONGXING: &str = "107.95,21.5,108.13,21.62";

#[test]
fn the_run_command_serves_parcels_in_a_bbox_with_a_next_link() {
    let server = Server::start();
    let r = get(&server.url(&format!("/collections/parcels/items?bbox={DONGXING}&limit=5")));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/geo+json"));
    let doc = r.json();
    assert_eq!(doc["type"], "FeatureCollection");
    assert_eq!(doc["numberReturned"], 5);
    assert_eq!(doc["numberMatched"], fixture_count("parcels"));
    let next = doc["links"].as_array().expect("links").iter().find(|l| l["rel"] == "next").expect("a next link");
    assert_eq!(next["type"], "application/geo+json");
    let next_page = get(next["href"].as_str().expect("href")).json();
    assert_eq!(next_page["numberReturned"], 5);
    assert_ne!(next_page["features"][0]["id"], doc["features"][0]["id"]);
    let first = &doc["features"][0];
    assert!(first["id"].is_i64(), "integer feature ids");
    assert_eq!(first["geometry"]["type"], "Polygon");
}

#[test]
fn stats_reproduce_the_published_figures() {
    let server = Server::start();
    let figures = get(&server.url("/stats")).json()["figures"].clone();
    assert_eq!(figures["revitalized_land_mu"], 1699.5);
    assert_eq!(figures["allocation_supplied_land_mu"], 1334.8);
    let gfa = figures["standard_factory_gross_floor_area_m2"].as_f64().expect("a number");
    assert!((172_000.0..173_000.0).contains(&gfa), "{gfa}");
    assert_eq!(figures["projects"], 48);
    assert_eq!(figures["projects_total_investment_yi"], 154.02);
    assert_eq!(figures["projects_in_production"], 10);
    assert_eq!(figures["projects_under_construction"], 18);
}

#[test]
fn bad_requests_get_problem_details_never_a_5xx() {
    let server = Server::start();
    let cases = [
        ("GET", "/collections/parcels/items?bbox=1,2,3", 400),
        ("GET", "/collections/parcels/items?bbox=100,95,101,96", 400),
        ("GET", "/collections/parcels/items?colour=red", 400),
        ("GET", "/collections/parcels/items?limit=many", 400),
        ("GET", "/collections/parcels/items?availability=gone", 400),
        ("GET", "/collections/rivers/items", 404),
        ("GET", "/collections/parcels/items/999999", 404),
        ("GET", "/collections/parcels/items/abc", 404),
        ("GET", "/nowhere", 404),
        ("GET", "/?f=xml", 400),
        ("POST", "/collections/zones/items", 405),
        ("POST", "/collections/parcels/items", 401),
        ("DELETE", "/stats", 405),
    ];
    for (method, path, status) in cases {
        let r = request(method, &server.url(path), &[]);
        assert_eq!(r.status, status, "{method} {path}: {}", String::from_utf8_lossy(&r.body));
        assert_eq!(r.header("content-type"), Some("application/problem+json"), "{method} {path}");
        let problem = r.json();
        assert_eq!(problem["status"], status);
        assert!(problem["detail"].as_str().is_some_and(|d| d.len() > 10), "{method} {path}: {problem}");
    }
}

#[test]
fn a_browser_gets_html_pages() {
    let server = Server::start();
    let r = request("GET", &server.url("/collections/parcels/items?limit=3"), &[("Accept", "text/html,*/*;q=0.8")]);
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").is_some_and(|c| c.starts_with("text/html")));
    assert!(String::from_utf8_lossy(&r.body).contains("<table>"));
}

#[test]
fn a_restarted_server_serves_the_store_it_created() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = dir.path().join("landbank.gpkg");
    let first = get(&Server::on(&store).url("/collections/units/items?limit=1")).json();
    let second = get(&Server::on(&store).url("/collections/units/items?limit=1")).json();
    assert_eq!(first["numberMatched"], second["numberMatched"]);
    assert_eq!(first["features"], second["features"]);
}

#[test]
fn a_client_that_trickles_its_headers_is_cut_off_and_others_are_served() {
    use std::io::{Read as _, Write as _};
    let dir = tempfile::tempdir().expect("temporary directory");
    let server = Server::with(&dir.path().join("landbank.gpkg"), &["--header-timeout-s", "1"]);
    let address = server.base.trim_start_matches("http://").trim_end_matches('/').to_owned();
    let mut slow = std::net::TcpStream::connect(&address).expect("connects");
    slow.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n").expect("writes half a request");
    slow.set_read_timeout(Some(std::time::Duration::from_secs(10))).expect("a read timeout");
    let started = std::time::Instant::now();
    let mut rest = Vec::new();
    // The server closes the connection (with a 408 or nothing) once the header deadline passes.
    let _ = slow.read_to_end(&mut rest);
    assert!(started.elapsed() < std::time::Duration::from_secs(9), "the connection was held open");
    assert_eq!(get(&server.url("/health")).status, 200, "others are still served");
}

#[test]
fn anonymous_clients_are_rate_limited_and_token_holders_are_not() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let server = Server::with(
        &dir.path().join("landbank.gpkg"),
        &["--anonymous-rate", "2", "--token", "ops:a-long-enough-secret-for-ops"],
    );
    let statuses: Vec<u16> = (0..20).map(|_| get(&server.url("/collections")).status).collect();
    assert!(statuses.contains(&429), "{statuses:?}");
    let limited = (0..20).map(|_| get(&server.url("/collections"))).find(|r| r.status == 429).expect("a 429");
    assert_eq!(limited.header("content-type"), Some("application/problem+json"));
    assert!(limited.header("retry-after").is_some_and(|s| s.parse::<u64>().is_ok()));
    let bearer = [("Authorization", "Bearer a-long-enough-secret-for-ops")];
    for _ in 0..20 {
        assert_eq!(crate::client::request("GET", &server.url("/collections"), &bearer).status, 200);
    }
}
