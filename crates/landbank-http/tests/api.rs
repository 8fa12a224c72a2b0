//! The HTTP surface over the Dongxing inventory, called in-process with `oneshot`.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use landbank_http::{AppState, Basemap, MAX_LIMIT, Web, WebConfig, router};
use landbank_inventory::{Availability, BBox, Inventory};
use serde_json::Value;
use tower::ServiceExt;

fn inventory() -> Inventory {
    Inventory::new(landbank_gen::dongxing()).expect("the fixtures assemble")
}

struct Answer {
    status: StatusCode,
    content_type: String,
    link: Option<String>,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

async fn call(method: Method, uri: &str, accept: Option<&str>) -> Answer {
    let mut request = Request::builder().method(method).uri(uri).header(header::HOST, "landbank.test");
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT, accept);
    }
    let response = router(AppState::new(inventory()))
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("the router answers");
    let status = response.status();
    let content_type =
        response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let link = response.headers().get(header::LINK).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body = response.into_body().collect().await.expect("body").to_bytes().to_vec();
    Answer { status, content_type, link, body }
}

async fn get(uri: &str) -> Answer {
    call(Method::GET, uri, None).await
}

fn link<'a>(doc: &'a Value, rel: &str) -> Option<&'a Value> {
    doc["links"].as_array()?.iter().find(|l| l["rel"] == rel)
}

#[tokio::test]
async fn the_landing_page_links_the_api_conformance_and_data() {
    let doc = get("/").await.json();
    for rel in ["self", "service-desc", "conformance", "data"] {
        assert!(link(&doc, rel).is_some(), "no {rel} link in {doc}");
    }
    assert_eq!(link(&doc, "service-desc").expect("link")["href"], "http://landbank.test/api");
}

#[tokio::test]
async fn conformance_declares_part_1_classes() {
    let doc = get("/conformance").await.json();
    let classes: Vec<&str> = doc["conformsTo"].as_array().expect("list").iter().filter_map(Value::as_str).collect();
    assert!(classes.contains(&"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"));
    assert!(classes.contains(&"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"));
    assert!(classes.contains(&"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"));
}

#[tokio::test]
async fn the_api_document_has_a_concrete_items_path_per_collection_with_limits() {
    let answer = get("/api").await;
    assert_eq!(answer.content_type, "application/vnd.oai.openapi+json;version=3.0");
    let doc = answer.json();
    assert_eq!(doc["openapi"], "3.0.3");
    for id in ["zones", "parcels", "buildings", "units", "projects", "pois"] {
        let params =
            doc["paths"][format!("/collections/{id}/items")]["get"]["parameters"].as_array().expect("parameters");
        let limit = params.iter().find(|p| p["name"] == "limit").expect("a limit parameter");
        assert_eq!(limit["schema"]["maximum"], MAX_LIMIT);
        assert_eq!(limit["schema"]["default"], 100);
    }
    let parcels = doc["paths"]["/collections/parcels/items"]["get"]["parameters"].as_array().expect("parameters");
    let availability = parcels.iter().find(|p| p["name"] == "availability").expect("a queryable parameter");
    assert!(availability["schema"]["enum"].as_array().is_some_and(|e| e.contains(&Value::from("available"))));
}

#[tokio::test]
async fn collections_carry_typed_items_links_and_extents() {
    let doc = get("/collections").await.json();
    let collections = doc["collections"].as_array().expect("collections");
    assert_eq!(collections.len(), 6);
    for c in collections {
        let items = c["links"]
            .as_array()
            .expect("links")
            .iter()
            .find(|l| l["rel"] == "items" && l["type"] == "application/geo+json");
        assert!(items.is_some(), "no GeoJSON items link in {c}");
    }
    let parcels = collections.iter().find(|c| c["id"] == "parcels").expect("parcels");
    let bbox = parcels["extent"]["spatial"]["bbox"][0].as_array().expect("bbox");
    assert!(bbox[0].as_f64().is_some_and(|x| (107.9..108.2).contains(&x)));
}

#[tokio::test]
async fn number_matched_is_exact_for_a_bbox() {
    let inventory = inventory();
    let bbox = BBox::new(107.975, 21.515, 108.03, 21.55).expect("valid");
    let expected = inventory.parcels_in_bbox(bbox).count();
    assert!(expected > 0);
    let doc = get("/collections/parcels/items?bbox=107.975,21.515,108.03,21.55&limit=2").await.json();
    assert_eq!(doc["numberMatched"], expected);
    assert_eq!(doc["numberReturned"], 2.min(expected));
}

#[tokio::test]
async fn following_next_links_visits_every_parcel_exactly_once() {
    let total = inventory().parcels().len();
    let mut seen = Vec::new();
    let mut url = "/collections/parcels/items?limit=37".to_owned();
    loop {
        let doc = get(&url).await.json();
        seen.extend(
            doc["features"].as_array().expect("features").iter().map(|f| f["id"].as_i64().expect("integer id")),
        );
        match link(&doc, "next") {
            Some(next) => {
                url = next["href"].as_str().expect("href").trim_start_matches("http://landbank.test").to_owned();
            }
            None => break,
        }
    }
    assert_eq!(seen.len(), total);
    let mut sorted = seen.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), total, "a parcel came twice");
    assert_eq!(sorted, seen, "pages come in id order");
}

#[tokio::test]
async fn paging_links_are_also_sent_as_link_headers() {
    let answer = get("/collections/parcels/items?limit=10&offset=10").await;
    let header = answer.link.expect("a Link header");
    assert!(header.contains("rel=\"next\"") && header.contains("rel=\"prev\""), "{header}");
}

#[tokio::test]
async fn a_limit_above_the_maximum_is_clamped() {
    let doc = get("/collections/parcels/items?limit=1000000").await.json();
    assert_eq!(doc["numberReturned"], doc["numberMatched"]);
    assert!(doc["numberReturned"].as_u64().is_some_and(|n| n <= MAX_LIMIT as u64));
}

#[tokio::test]
async fn property_filters_select_matching_features() {
    let expected = inventory().parcels().iter().filter(|p| p.availability == Availability::Available).count();
    let doc = get("/collections/parcels/items?availability=available&limit=1000").await.json();
    assert_eq!(doc["numberMatched"], expected);
    assert!(
        doc["features"].as_array().expect("features").iter().all(|f| f["properties"]["availability"] == "available")
    );
}

#[tokio::test]
async fn features_are_rfc_7946_with_counter_clockwise_rings_and_seven_decimals() {
    let doc = get("/collections/parcels/items?limit=50").await.json();
    for feature in doc["features"].as_array().expect("features") {
        let ring = feature["geometry"]["coordinates"][0].as_array().expect("outer ring");
        assert_eq!(ring.first(), ring.last(), "closed ring");
        let mut twice_area = 0.0;
        for w in ring.windows(2) {
            let (x0, y0) = (w[0][0].as_f64().expect("x"), w[0][1].as_f64().expect("y"));
            let (x1, y1) = (w[1][0].as_f64().expect("x"), w[1][1].as_f64().expect("y"));
            twice_area += x0 * y1 - x1 * y0;
        }
        assert!(twice_area > 0.0, "outer ring of {} is clockwise", feature["id"]);
        for position in ring {
            for n in position.as_array().expect("position") {
                let text = n.to_string();
                let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
                assert!(decimals <= 7, "{text} has more than 7 decimals");
            }
        }
    }
}

#[tokio::test]
async fn one_feature_by_id_links_to_its_collection() {
    let id = inventory().parcels()[3].id.0;
    let answer = get(&format!("/collections/parcels/items/{id}")).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.content_type, "application/geo+json");
    let doc = answer.json();
    assert_eq!(doc["id"], id);
    assert!(link(&doc, "collection").is_some());
}

#[tokio::test]
async fn projects_are_features_without_geometry() {
    let doc = get("/collections/projects/items?limit=48").await.json();
    assert_eq!(doc["numberMatched"], 48);
    assert!(doc["features"].as_array().expect("features").iter().all(|f| f["geometry"].is_null()));
}

#[tokio::test]
async fn stats_reproduce_the_published_figures() {
    let doc = get("/stats").await.json();
    let f = &doc["figures"];
    assert_eq!(f["revitalized_land_mu"], 1699.5);
    assert_eq!(f["allocation_supplied_land_mu"], 1334.8);
    assert_eq!(f["projects"], 48);
    assert_eq!(f["projects_total_investment_yi"], 154.02);
    assert_eq!(f["projects_in_production"], 10);
    assert_eq!(f["projects_under_construction"], 18);
    let zones = doc["zones"].as_array().expect("zones");
    let by_zone: f64 = zones.iter().map(|z| z["land"]["revitalized"]["stated_area_mu"].as_f64().unwrap_or(0.0)).sum();
    assert!((by_zone - 1699.5).abs() < 1e-6, "zones add up to the park: {by_zone}");
}

#[tokio::test]
async fn browsers_get_html_and_clients_get_json() {
    let html =
        call(Method::GET, "/collections/parcels/items?limit=2", Some("text/html,application/xhtml+xml,*/*;q=0.8"))
            .await;
    assert!(html.content_type.starts_with("text/html"));
    let json =
        call(Method::GET, "/collections/parcels/items?limit=2", Some("application/geo+json, application/json")).await;
    assert_eq!(json.content_type, "application/geo+json");
    let forced = call(Method::GET, "/collections?f=json", Some("text/html")).await;
    assert_eq!(forced.content_type, "application/json");
}

#[tokio::test]
async fn html_escapes_what_it_shows() {
    let answer = get("/collections/projects/items?f=html&limit=48").await;
    let text = String::from_utf8_lossy(&answer.body);
    assert!(!text.contains("<script"), "no markup from data");
    assert!(text.contains("<table>"));
}

#[tokio::test]
async fn bad_input_is_a_problem_with_a_message() {
    let cases = [
        ("/collections/parcels/items?bbox=108,21", StatusCode::BAD_REQUEST, "bbox"),
        ("/collections/parcels/items?bbox=108,21.6,107,21.5", StatusCode::BAD_REQUEST, "min"),
        ("/collections/parcels/items?bbox=a,b,c,d", StatusCode::BAD_REQUEST, "numbers"),
        ("/collections/parcels/items?bbox-crs=EPSG:4543&bbox=1,2,3,4", StatusCode::BAD_REQUEST, "bbox-crs"),
        ("/collections/parcels/items?foo=bar", StatusCode::BAD_REQUEST, "foo"),
        ("/collections/parcels/items?limit=1&limit=2", StatusCode::BAD_REQUEST, "more than once"),
        ("/collections/parcels/items?offset=-3", StatusCode::BAD_REQUEST, "offset"),
        ("/collections/parcels/items?revitalized=maybe", StatusCode::BAD_REQUEST, "true or false"),
        ("/collections/parcels/items?availability=sold", StatusCode::BAD_REQUEST, "available"),
        ("/collections/parcels/items?f=csv", StatusCode::BAD_REQUEST, "json"),
        ("/collections/mines", StatusCode::NOT_FOUND, "parcels"),
        ("/collections/parcels/items/0", StatusCode::NOT_FOUND, "no feature"),
        ("/collections/parcels/items/1.5", StatusCode::NOT_FOUND, "no feature"),
        ("/stats?zone=KHQ", StatusCode::BAD_REQUEST, "zone"),
        ("/does/not/exist", StatusCode::NOT_FOUND, "landing page"),
    ];
    for (uri, status, needle) in cases {
        let answer = get(uri).await;
        assert_eq!(answer.status, status, "{uri}");
        assert_eq!(answer.content_type, "application/problem+json", "{uri}");
        let problem = answer.json();
        assert_eq!(problem["status"], status.as_u16());
        let detail = problem["detail"].as_str().expect("detail");
        assert!(detail.contains(needle), "{uri}: {detail}");
    }
}

#[tokio::test]
async fn every_endpoint_refuses_an_unknown_parameter() {
    let id = inventory().parcels()[0].id.0;
    let endpoints = [
        "/".to_owned(),
        "/conformance".to_owned(),
        "/api".to_owned(),
        "/collections".to_owned(),
        "/collections/parcels".to_owned(),
        "/collections/parcels/items".to_owned(),
        format!("/collections/parcels/items/{id}"),
        "/collections/parcels/queryables".to_owned(),
        "/collections/parcels/schema".to_owned(),
        "/stats".to_owned(),
        "/health".to_owned(),
        "/ready".to_owned(),
    ];
    for endpoint in endpoints {
        let ok = get(&endpoint).await;
        assert_eq!(ok.status, StatusCode::OK, "{endpoint}");
        let answer = get(&format!("{endpoint}?bogus=1")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{endpoint}");
        assert_eq!(answer.content_type, "application/problem+json", "{endpoint}");
        assert!(answer.json()["detail"].as_str().is_some_and(|d| d.contains("bogus")), "{endpoint}");
    }
}

#[tokio::test]
async fn writes_a_collection_does_not_take_and_a_server_without_a_store_say_so() {
    for method in [Method::PUT, Method::DELETE, Method::PATCH] {
        let answer = call(method.clone(), "/collections/parcels/items", None).await;
        assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
        assert_eq!(answer.content_type, "application/problem+json");
    }
    let zones = call(Method::POST, "/collections/zones/items", None).await;
    assert_eq!(zones.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(zones.json()["code"], "not-editable");
    // This state has no store: a write that could be made is refused as read-only.
    let parcels = call(Method::POST, "/collections/parcels/items", None).await;
    assert_eq!(parcels.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(parcels.json()["code"], "read-only");
}

#[tokio::test]
async fn head_requests_are_answered_without_a_body() {
    let answer = call(Method::HEAD, "/collections/parcels/items?limit=1", None).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.body.is_empty());
}

const BROWSER: &str = "text/html,application/xhtml+xml,*/*;q=0.8";

/// Status, `Content-Type`, `Cache-Control` and body of a GET on `state`'s router.
async fn call_on(state: AppState, uri: &str, accept: &str) -> (StatusCode, String, String, String) {
    let request = Request::builder().uri(uri).header(header::HOST, "landbank.test").header(header::ACCEPT, accept);
    let response = router(state).oneshot(request.body(Body::empty()).expect("request")).await.expect("answer");
    let status = response.status();
    let header = |name| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let (content_type, cache_control) = (header(header::CONTENT_TYPE), header(header::CACHE_CONTROL));
    let body = response.into_body().collect().await.expect("body").to_bytes().to_vec();
    (status, content_type, cache_control, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn browsers_get_the_web_map_at_the_root_and_its_files_under_app() {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::create_dir(dir.path().join("assets")).expect("assets");
    std::fs::write(dir.path().join("index.html"), "<!doctype html><title>map</title><div id=map></div>").expect("page");
    std::fs::write(dir.path().join("assets/main-1a2b.js"), "export const x = 1;").expect("script");
    let web = WebConfig {
        source: Web::Dir(dir.path().into()),
        basemap: Some(Basemap { tiles: "https://tiles.test/{z}/{x}/{y}.png".into(), attribution: "© test".into() }),
    };
    let state = AppState::new(inventory()).with_web(web);

    let (status, content_type, cache, body) = call_on(state.clone(), "/", BROWSER).await;
    assert_eq!(
        (status, content_type.as_str(), cache.as_str()),
        (StatusCode::OK, "text/html; charset=utf-8", "no-cache")
    );
    assert!(body.contains("<div id=map>"), "{body}");
    // The page's own state travels in the query of its address; `/app/` is the same page.
    for address in ["/?lang=en&view=planner&map=14/21.55/108.0", "/app/"] {
        let (status, _, _, body) = call_on(state.clone(), address, BROWSER).await;
        assert_eq!(status, StatusCode::OK, "{address}");
        assert!(body.contains("<div id=map>"), "{address}: {body}");
    }
    // The landing page stays one `f=html` away, and links the map; JSON clients still get the landing document.
    let (_, _, _, landing) = call_on(state.clone(), "/?f=html", BROWSER).await;
    assert!(landing.contains("web map</a>") && landing.contains("/collections?f=html"), "{landing}");
    let (_, content_type, _, _) = call_on(state.clone(), "/", "application/json").await;
    assert_eq!(content_type, "application/json");

    let (status, content_type, cache, body) = call_on(state.clone(), "/app/assets/main-1a2b.js", "*/*").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "text/javascript; charset=utf-8");
    assert_eq!(cache, "public, max-age=31536000, immutable");
    assert_eq!(body, "export const x = 1;");
    let (_, _, _, config) = call_on(state.clone(), "/app/config.json", "*/*").await;
    let config: Value = serde_json::from_str(&config).expect("JSON");
    assert_eq!(config["basemap"]["tiles"][0], "https://tiles.test/{z}/{x}/{y}.png");
    for outside in ["/app/missing.js", "/app/%2e%2e/%2e%2e/Cargo.toml", "/app/assets/..%2F..%2Findex.html"] {
        let (status, content_type, _, _) = call_on(state.clone(), outside, "*/*").await;
        assert_eq!((status, content_type.as_str()), (StatusCode::NOT_FOUND, "application/problem+json"), "{outside}");
    }
}

#[tokio::test]
async fn without_a_built_page_the_root_says_how_to_build_it() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let state = AppState::new(inventory()).with_web(WebConfig { source: Web::Dir(dir.path().into()), basemap: None });
    let (status, content_type, _, body) = call_on(state.clone(), "/", "text/html").await;
    assert_eq!((status, content_type.as_str()), (StatusCode::OK, "text/html; charset=utf-8"));
    assert!(body.contains("npm ci --prefix web"), "{body}");
    let (_, _, _, config) = call_on(state, "/app/config.json", "*/*").await;
    assert_eq!(config, r#"{"basemap":null}"#);
}
