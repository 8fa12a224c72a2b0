//! HTTP manners over the Dongxing inventory: `ETag`s and 304s, Cache-Control, sorting, projection, time and GCJ-02.

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use landbank_http::{AppState, router};
use landbank_inventory::Inventory;
use serde_json::Value;
use tower::ServiceExt;

fn inventory() -> Inventory {
    Inventory::new(landbank_gen::dongxing()).expect("the fixtures assemble")
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

async fn call(state: &AppState, method: Method, uri: &str, extra: &[(header::HeaderName, &str)]) -> Answer {
    let mut request = Request::builder().method(method).uri(uri).header(header::HOST, "landbank.test");
    for (name, value) in extra {
        request = request.header(name, *value);
    }
    let response =
        router(state.clone()).oneshot(request.body(Body::empty()).expect("request")).await.expect("the router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.expect("body").to_bytes().to_vec();
    Answer { status, headers, body }
}

async fn get(state: &AppState, uri: &str) -> Answer {
    call(state, Method::GET, uri, &[]).await
}

const READ_PATHS: [&str; 16] = [
    "/",
    "/conformance",
    "/api",
    "/collections",
    "/collections/parcels",
    "/collections/parcels/items?limit=3",
    "/collections/parcels/queryables",
    "/collections/parcels/schema",
    "/collections/parcels/sortables",
    "/stats",
    "/availability/land?available_on=2026-11-27",
    "/collections/parcels/tiles/WebMercatorQuad/tilejson.json",
    "/tiles/WebMercatorQuad/tilejson.json",
    "/tiles/WebMercatorQuad/14/7187/13106",
    "/styles/default",
    "/collections/zones/items?f=html",
];

#[tokio::test]
async fn every_read_answer_has_a_strong_etag_that_is_stable_for_the_same_snapshot() {
    let state = AppState::new(inventory());
    for path in READ_PATHS {
        let first = get(&state, path).await;
        assert_eq!(first.status, StatusCode::OK, "{path}");
        let etag = first.header(header::ETAG).unwrap_or_else(|| panic!("no ETag on {path}")).to_owned();
        assert!(etag.starts_with('"') && etag.ends_with('"'), "a strong tag on {path}: {etag}");
        assert_eq!(first.header(header::CACHE_CONTROL), Some("public, max-age=60"), "{path}");
        assert_eq!(first.header(header::VARY).map(|v| v.contains("Accept")), Some(true), "{path}");
        let again = get(&state, path).await;
        assert_eq!(again.header(header::ETAG), Some(etag.as_str()), "{path}");
    }
}

#[tokio::test]
async fn a_matching_if_none_match_is_answered_304_without_a_body() {
    let state = AppState::new(inventory());
    let id = get(&state, "/collections/parcels/items?limit=1").await.json()["features"][0]["id"].clone();
    for path in ["/collections/parcels/items?limit=5".to_owned(), format!("/collections/parcels/items/{id}")] {
        let first = get(&state, &path).await;
        let etag = first.header(header::ETAG).expect("etag").to_owned();
        for wanted in [etag.clone(), format!("W/{etag}"), format!("\"other\", {etag}"), "*".to_owned()] {
            let again = call(&state, Method::GET, &path, &[(header::IF_NONE_MATCH, &wanted)]).await;
            assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{path} with {wanted}");
            assert!(again.body.is_empty());
            assert_eq!(again.header(header::ETAG), Some(etag.as_str()));
            assert_eq!(again.header(header::CACHE_CONTROL), Some("public, max-age=60"));
        }
        let stale = call(&state, Method::GET, &path, &[(header::IF_NONE_MATCH, "\"stale\"")]).await;
        assert_eq!(stale.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn head_answers_carry_the_same_etag_and_honour_if_none_match() {
    let state = AppState::new(inventory());
    let etag = get(&state, "/collections").await.header(header::ETAG).expect("etag").to_owned();
    let head = call(&state, Method::HEAD, "/collections", &[]).await;
    assert_eq!(head.header(header::ETAG), Some(etag.as_str()));
    let head = call(&state, Method::HEAD, "/collections", &[(header::IF_NONE_MATCH, &etag)]).await;
    assert_eq!(head.status, StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn replacing_the_inventory_changes_every_etag() {
    let state = AppState::new(inventory());
    let before = get(&state, "/collections/parcels/items").await.header(header::ETAG).expect("etag").to_owned();
    state.replace(inventory());
    let after = call(&state, Method::GET, "/collections/parcels/items", &[(header::IF_NONE_MATCH, &before)]).await;
    assert_eq!(after.status, StatusCode::OK, "the old tag no longer matches");
    assert_ne!(after.header(header::ETAG), Some(before.as_str()));
}

#[tokio::test]
async fn different_formats_and_encodings_get_different_etags() {
    let state = AppState::new(inventory());
    let json = get(&state, "/collections").await;
    let html = call(&state, Method::GET, "/collections", &[(header::ACCEPT, "text/html")]).await;
    let gzip = call(&state, Method::GET, "/collections", &[(header::ACCEPT_ENCODING, "gzip")]).await;
    assert_eq!(gzip.header(header::CONTENT_ENCODING), Some("gzip"));
    let tags = [&json, &html, &gzip].map(|a| a.header(header::ETAG).expect("etag").to_owned());
    assert_ne!(tags[0], tags[1]);
    assert_ne!(tags[0], tags[2], "a compressed body is another representation");
    assert!(gzip.header(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none_or(|v| v == "*"));
}

#[tokio::test]
async fn errors_never_get_an_etag_or_a_304() {
    let state = AppState::new(inventory());
    for path in ["/collections/nothing", "/collections/parcels/items?sortby=nope", "/collections/parcels/items/0"] {
        let answer = call(&state, Method::GET, path, &[(header::IF_NONE_MATCH, "*")]).await;
        assert!(answer.status.is_client_error(), "{path}: {}", answer.status);
        assert!(answer.header(header::ETAG).is_none(), "{path}");
    }
}

#[tokio::test]
async fn health_and_writes_are_never_stored() {
    let state = AppState::new(inventory());
    let health = get(&state, "/health").await;
    assert_eq!(health.header(header::CACHE_CONTROL), Some("no-store"));
    assert!(health.header(header::ETAG).is_none());
    let write = call(&state, Method::POST, "/reservations", &[(header::CONTENT_TYPE, "application/json")]).await;
    assert_eq!(write.header(header::CACHE_CONTROL), Some("no-store"));
}

fn features(doc: &Value) -> &Vec<Value> {
    doc["features"].as_array().expect("features")
}

#[tokio::test]
async fn sortby_orders_like_a_brute_force_sort_with_ties_in_id_order() {
    let state = AppState::new(inventory());
    let all = get(&state, "/collections/parcels/items?limit=10000").await.json();
    let mut expected: Vec<&Value> = features(&all).iter().collect();
    expected.sort_by(|a, b| {
        let area = |f: &Value| f["properties"]["area_mu"].as_f64().expect("area_mu");
        area(b)
            .total_cmp(&area(a))
            .then_with(|| {
                let plot = |f: &Value| f["properties"]["plot_no"].as_str().map(str::to_owned);
                // Nulls last.
                match (plot(a), plot(b)) {
                    (Some(x), Some(y)) => x.cmp(&y),
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, None) => std::cmp::Ordering::Equal,
                }
            })
            .then_with(|| a["id"].as_i64().cmp(&b["id"].as_i64()))
    });
    let sorted = get(&state, "/collections/parcels/items?limit=10000&sortby=-area_mu,%2Bplot_no").await.json();
    let ids = |fs: &[&Value]| fs.iter().map(|f| f["id"].clone()).collect::<Vec<_>>();
    assert_eq!(ids(&features(&sorted).iter().collect::<Vec<_>>()), ids(&expected));
    assert_eq!(sorted["numberMatched"], all["numberMatched"]);
}

#[tokio::test]
async fn paging_links_keep_sortby_properties_and_datetime() {
    let state = AppState::new(inventory());
    let page =
        get(&state, "/collections/parcels/items?limit=2&sortby=-area_mu&properties=area_mu&datetime=../2030-01-01")
            .await
            .json();
    let next = page["links"].as_array().expect("links").iter().find(|l| l["rel"] == "next").expect("a next link");
    let href = next["href"].as_str().expect("href");
    for part in ["sortby=-area_mu", "properties=area_mu", "datetime=..%2F2030-01-01", "offset=2"] {
        assert!(href.contains(part), "{part} missing from {href}");
    }
}

#[tokio::test]
async fn properties_returns_only_the_named_properties() {
    let state = AppState::new(inventory());
    let page = get(&state, "/collections/parcels/items?limit=5&properties=plot_no,area_mu").await.json();
    for f in features(&page) {
        let mut names: Vec<&str> =
            f["properties"].as_object().expect("properties").keys().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(names, ["area_mu", "plot_no"]);
        assert!(f["geometry"].is_object());
    }
    let id = features(&page)[0]["id"].clone();
    let item = get(&state, &format!("/collections/parcels/items/{id}?properties=plot_no")).await.json();
    assert_eq!(item["properties"].as_object().map(serde_json::Map::len), Some(1));
}

#[tokio::test]
async fn datetime_keeps_the_features_whose_date_lies_in_the_interval() {
    let state = AppState::new(inventory());
    let all = get(&state, "/collections/parcels/items?limit=10000").await.json();
    let dates: Vec<(i64, Option<String>)> = features(&all)
        .iter()
        .map(|f| (f["id"].as_i64().expect("id"), f["properties"]["available_from"].as_str().map(str::to_owned)))
        .collect();
    let some_date = dates.iter().find_map(|(_, d)| d.clone()).expect("a parcel with available_from");
    let cases = [
        (format!("{some_date}/.."), some_date.clone(), "9999-12-31".to_owned()),
        (format!("../{some_date}"), "0000-01-01".to_owned(), some_date.clone()),
        (format!("{some_date}T10:00:00Z"), some_date.clone(), some_date.clone()),
        ("2020-01-01/2027-06-30".to_owned(), "2020-01-01".to_owned(), "2027-06-30".to_owned()),
    ];
    for (datetime, from, to) in cases {
        let expected: Vec<i64> = dates
            .iter()
            .filter(|(_, d)| d.as_deref().is_some_and(|d| from.as_str() <= d && d <= to.as_str()))
            .map(|(id, _)| *id)
            .collect();
        let page = get(&state, &format!("/collections/parcels/items?limit=10000&datetime={datetime}")).await.json();
        let got: Vec<i64> = features(&page).iter().map(|f| f["id"].as_i64().expect("id")).collect();
        assert_eq!(got, expected, "{datetime}");
        assert_eq!(page["numberMatched"].as_u64(), Some(expected.len() as u64));
    }
}

fn first_position(geometry: &Value) -> (f64, f64) {
    let mut v = &geometry["coordinates"];
    while v[0].is_array() {
        v = &v[0];
    }
    (v[0].as_f64().expect("lon"), v[1].as_f64().expect("lat"))
}

fn metres_between((lon1, lat1): (f64, f64), (lon2, lat2): (f64, f64)) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6_371_008.8 * a.sqrt().asin()
}

#[tokio::test]
async fn gcj02_shifts_a_dongxing_parcel_a_few_hundred_metres_and_leaves_vietnam_alone() {
    let state = AppState::new(inventory());
    let id = get(&state, "/collections/parcels/items?limit=1").await.json()["features"][0]["id"].clone();
    let wgs = get(&state, &format!("/collections/parcels/items/{id}")).await.json();
    let gcj = get(&state, &format!("/collections/parcels/items/{id}?coordsys=gcj02")).await.json();
    let shift = metres_between(first_position(&wgs["geometry"]), first_position(&gcj["geometry"]));
    assert!((300.0..=600.0).contains(&shift), "shifted {shift} m");

    for layer in ["zones", "pois", "parcels", "projects"] {
        let wgs = get(&state, &format!("/collections/{layer}/items?limit=10000")).await.json();
        let gcj = get(&state, &format!("/collections/{layer}/items?limit=10000&coordsys=gcj02")).await.json();
        for (w, g) in features(&wgs).iter().zip(features(&gcj)) {
            let vietnamese = w["properties"]["country"] == "VN" || w["properties"]["zone"] == "VN-HY";
            if vietnamese || w["geometry"].is_null() {
                assert_eq!(w["geometry"], g["geometry"], "{layer} {} must not move", w["id"]);
            }
        }
    }
}

#[tokio::test]
async fn bad_sortby_properties_datetime_and_coordsys_are_refused_naming_the_problem() {
    let state = AppState::new(inventory());
    for (query, needle) in [
        ("parcels/items?sortby=-colour", "colour"),
        ("parcels/items?properties=plot_no,colour", "colour"),
        ("parcels/items?coordsys=bd09", "bd09"),
        ("parcels/items?datetime=yesterday", "yesterday"),
        ("parcels/items?datetime=2027-01-01/2026-01-01", "ends before"),
        ("zones/items?datetime=2026-01-01", "no temporal property"),
        ("parcels/items/1?coordsys=mars", "mars"),
    ] {
        let answer = get(&state, &format!("/collections/{query}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
        let detail = answer.json()["detail"].as_str().unwrap_or_default().to_owned();
        assert!(detail.contains(needle), "{query}: {detail}");
    }
}

#[tokio::test]
async fn sortables_list_the_single_valued_properties() {
    let state = AppState::new(inventory());
    let doc = get(&state, "/collections/parcels/sortables").await.json();
    assert!(doc["properties"]["area_mu"].is_object());
    assert!(doc["properties"].get("geometry").is_none());
    let collection = get(&state, "/collections/parcels").await.json();
    assert_eq!(collection["temporalProperty"], "available_from");
}

#[tokio::test]
async fn availability_answers_can_be_shifted_to_gcj02_too() {
    let state = AppState::new(inventory());
    for path in ["/availability/land?available_on=2026-11-27", "/availability/space?available_on=2026-11-27"] {
        let wgs = get(&state, path).await.json();
        let gcj = get(&state, &format!("{path}&coordsys=gcj02")).await;
        assert_eq!(gcj.status, StatusCode::OK, "{}", String::from_utf8_lossy(&gcj.body));
        let gcj = gcj.json();
        let (w, g) = (&features(&wgs)[0], &features(&gcj)[0]);
        assert_eq!(w["id"], g["id"]);
        let shift = metres_between(first_position(&w["geometry"]), first_position(&g["geometry"]));
        assert!((300.0..=600.0).contains(&shift), "{path}: shifted {shift} m");
        let bad = get(&state, &format!("{path}&coordsys=bd09")).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn the_openapi_document_lists_sortby_properties_datetime_and_coordsys() {
    let state = AppState::new(inventory());
    let api = get(&state, "/api").await.json();
    let names = |path: &str| -> Vec<String> {
        api["paths"][path]["get"]["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .filter_map(|p| p["name"].as_str().map(str::to_owned))
            .collect()
    };
    let parcels = names("/collections/parcels/items");
    for name in ["sortby", "properties", "datetime", "coordsys"] {
        assert!(parcels.iter().any(|n| n == name), "{name} missing from {parcels:?}");
    }
    assert!(!names("/collections/zones/items").iter().any(|n| n == "datetime"), "zones have no temporal property");
    assert!(names("/collections/parcels/items/{featureId}").iter().any(|n| n == "coordsys"));
    assert!(api["paths"]["/collections/parcels/sortables"].is_object());
}
