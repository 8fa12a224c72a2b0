//! OGC API – Features Part 2 over the Dongxing inventory: `crs`, `bbox-crs`, axis order and `Content-Crs`.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use landbank_http::{AppState, router};
use landbank_inventory::Inventory;
use serde_json::Value;
use tower::ServiceExt;

const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
const EPSG: &str = "http://www.opengis.net/def/crs/EPSG/0/";

fn state() -> AppState {
    AppState::new(Inventory::new(landbank_gen::dongxing()).expect("the fixtures assemble"))
}

async fn get(state: &AppState, uri: &str) -> (StatusCode, HeaderMap, Value) {
    let request = Request::builder().uri(uri).header("host", "landbank.test").body(Body::empty()).expect("request");
    let response = router(state.clone()).oneshot(request).await.expect("the router answers");
    let (status, headers) = (response.status(), response.headers().clone());
    let body = response.into_body().collect().await.expect("body").to_bytes();
    let json = serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&body)));
    (status, headers, json)
}

fn encode(uri: &str) -> String {
    uri.replace(':', "%3A").replace('/', "%2F")
}

/// The first point feature of `pois` (a bridge or landmark), its id and CRS84 coordinates.
async fn a_point(state: &AppState) -> (i64, f64, f64) {
    let (_, _, body) = get(state, "/collections/pois/items?limit=1000").await;
    let features = body["features"].as_array().expect("features");
    let point = features.iter().find(|f| f["geometry"]["type"] == "Point").expect("a point feature");
    let c = &point["geometry"]["coordinates"];
    (point["id"].as_i64().expect("integer id"), c[0].as_f64().expect("x"), c[1].as_f64().expect("y"))
}

async fn point_in(state: &AppState, id: i64, crs: &str) -> (f64, f64, HeaderMap) {
    let (status, headers, body) = get(state, &format!("/collections/pois/items/{id}?crs={}", encode(crs))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let c = &body["geometry"]["coordinates"];
    (c[0].as_f64().expect("first"), c[1].as_f64().expect("second"), headers)
}

/// Closed-form spherical Web Mercator, written here independently of the server.
fn web_mercator(lon: f64, lat: f64) -> (f64, f64) {
    let r = 6_378_137.0_f64;
    (r * lon.to_radians(), r * (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0).tan().ln())
}

#[tokio::test]
async fn a_point_round_trips_through_every_crs_in_its_authority_axis_order() {
    let state = state();
    let (id, lon, lat) = a_point(&state).await;

    // The first point is the People's Bridge (人民桥) at exactly 107.971E, 21.537N.
    assert_eq!((lon, lat), (107.971, 21.537));
    let (x, y, headers) = point_in(&state, id, CRS84).await;
    assert_eq!((x, y), (lon, lat));
    assert_eq!(headers.get("content-crs").expect("Content-Crs"), &format!("<{CRS84}>"));

    for code in ["4326", "4490"] {
        let (first, second, headers) = point_in(&state, id, &format!("EPSG:{code}")).await;
        assert!((first - lat).abs() < 1e-7 && (second - lon).abs() < 1e-7, "EPSG:{code} is lat,lon: {first} {second}");
        assert_eq!(headers.get("content-crs").expect("Content-Crs"), &format!("<{EPSG}{code}>"));
    }

    let (x, y, headers) = point_in(&state, id, "EPSG:3857").await;
    let (mx, my) = web_mercator(lon, lat);
    assert!((x - mx).abs() < 1e-2 && (y - my).abs() < 1e-2, "3857: {x} {y} vs {mx} {my}");
    // PROJ (pyproj 3, EPSG:4326 → EPSG:3857): 12019276.740440542, 2456026.5031334707.
    assert!((x - 12_019_276.740_440_542).abs() < 1e-2 && (y - 2_456_026.503_133_470_7).abs() < 1e-2);
    assert_eq!(headers.get("content-crs").expect("Content-Crs"), &format!("<{EPSG}3857>"));

    let (northing, easting, headers) = point_in(&state, id, &format!("{EPSG}4545")).await;
    // PROJ (pyproj 3, EPSG:4490 → EPSG:4545, northing first): 2382534.0785573446, 496995.7744458023.
    assert!((northing - 2_382_534.078_557_344_6).abs() < 1e-3, "4545 northing first: {northing}");
    assert!((easting - 496_995.774_445_802_3).abs() < 1e-3, "4545 easting second: {easting}");
    assert_eq!(headers.get("content-crs").expect("Content-Crs"), &format!("<{EPSG}4545>"));
}

#[tokio::test]
async fn every_features_answer_names_its_crs_in_content_crs() {
    let state = state();
    let (_, headers, _) = get(&state, "/collections/parcels/items?limit=2").await;
    assert_eq!(headers.get("content-crs").expect("Content-Crs"), &format!("<{CRS84}>"));
    let (_, headers, body) = get(&state, "/collections/parcels/items?limit=2&crs=EPSG%3A4545").await;
    assert_eq!(headers.get("content-crs").expect("Content-Crs"), &format!("<{EPSG}4545>"));
    let ring = &body["features"][0]["geometry"]["coordinates"][0];
    let first = ring[0][0].as_f64().expect("northing");
    assert!(first > 2_300_000.0, "{first}");
    let text = ring[0][1].to_string();
    assert!(text.split('.').nth(1).is_none_or(|d| d.len() <= 3), "millimetres at most: {text}");
}

#[tokio::test]
async fn a_bbox_in_gauss_kruger_selects_the_same_parcels_as_the_crs84_box() {
    let state = state();
    let crs84 = [107.985, 21.535, 108.005, 21.555];
    let uri = format!("/collections/parcels/items?limit=1000&bbox={},{},{},{}", crs84[0], crs84[1], crs84[2], crs84[3]);
    let (_, _, plain) = get(&state, &uri).await;
    let ids = |body: &Value| -> Vec<i64> {
        body["features"].as_array().expect("features").iter().map(|f| f["id"].as_i64().expect("id")).collect()
    };
    let expected = ids(&plain);
    assert!(!expected.is_empty(), "the box holds parcels");
    // The envelope of the box's corners in EPSG:4545 (northing, easting), computed with PROJ (pyproj).
    let (south_west, north_east) = ((2_382_312.359_6, 498_446.069_0), (2_384_526.909_7, 500_517.977_0));
    let uri = format!(
        "/collections/parcels/items?limit=1000&bbox={},{},{},{}&bbox-crs={}",
        south_west.0,
        south_west.1,
        north_east.0,
        north_east.1,
        encode(&format!("{EPSG}4545"))
    );
    let (status, _, projected) = get(&state, &uri).await;
    assert_eq!(status, StatusCode::OK, "{projected}");
    assert_eq!(ids(&projected), expected);
    // EPSG:4326 boxes come latitude first.
    let uri = format!(
        "/collections/parcels/items?limit=1000&bbox={},{},{},{}&bbox-crs=EPSG:4326",
        crs84[1], crs84[0], crs84[3], crs84[2]
    );
    let (_, _, swapped) = get(&state, &uri).await;
    assert_eq!(ids(&swapped), expected);
}

#[tokio::test]
async fn an_unsupported_crs_is_a_400_listing_the_supported_ones() {
    let state = state();
    for uri in [
        "/collections/parcels/items?crs=EPSG%3A4543",
        "/collections/parcels/items?bbox=1,2,3,4&bbox-crs=EPSG%3A2000",
        "/collections/parcels/items/1?crs=EPSG%3A4543",
    ] {
        let (status, _, body) = get(&state, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(body["detail"].as_str().expect("detail").contains(&format!("{EPSG}4545")), "{body}");
    }
}

#[tokio::test]
async fn gcj02_cannot_be_combined_with_a_projected_crs() {
    let state = state();
    let (status, _, body) = get(&state, "/collections/parcels/items?coordsys=gcj02&crs=EPSG%3A3857").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["detail"].as_str().expect("detail").contains("cannot be combined"), "{body}");
}

#[tokio::test]
async fn collections_list_every_crs_and_crs84_as_storage_crs() {
    let state = state();
    let (_, _, body) = get(&state, "/collections/parcels").await;
    let crs: Vec<&str> = body["crs"].as_array().expect("crs").iter().filter_map(Value::as_str).collect();
    for code in ["4326", "4490", "3857", "4545"] {
        assert!(crs.contains(&format!("{EPSG}{code}").as_str()), "{code}");
    }
    assert!(crs.contains(&CRS84));
    assert_eq!(body["storageCrs"], CRS84);
    let (_, _, conformance) = get(&state, "/conformance").await;
    let classes = conformance["conformsTo"].to_string();
    assert!(classes.contains("ogcapi-features-2/1.0/conf/crs"), "{classes}");
}
