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
