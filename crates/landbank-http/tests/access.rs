//! Who may do and see what: every write route against no token, an invalid one, a revoked one, a planner's and an
//! admin's; every read route as anonymous and as a planner, with exactly the fields each may see.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use landbank_http::{AppState, Role, Tokens, router};
use landbank_inventory::{Inventory, Layer};
use landbank_store::{Location, Store};
use serde_json::{Value, json};
use tower::ServiceExt;

const ADMIN: &str = "Bearer an-admin-secret-long-enough";
const PLANNER: &str = "Bearer a-planner-secret-long-enough";
const INVALID: &str = "Bearer not-a-token-anybody-has";

struct Answer {
    status: StatusCode,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn park() -> (AppState, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let location = Location::GeoPackage(dir.path().join("landbank.gpkg"));
    let store = Store::create(&location, landbank_gen::dongxing()).await.expect("the store is created");
    let inventory = Inventory::new(store.load().await.expect("loads")).expect("assembles");
    let tokens = Tokens::configured([
        ("admin".to_owned(), "an-admin-secret-long-enough".to_owned(), Role::Admin),
        ("planner".to_owned(), "a-planner-secret-long-enough".to_owned(), Role::Planner),
    ]);
    (AppState::new(inventory).with_store(store, tokens), dir)
}

async fn send(state: &AppState, method: &str, uri: &str, auth: Option<&str>, body: Option<&Value>) -> Answer {
    let mut request = Request::builder().method(method).uri(uri).header(header::HOST, "landbank.test");
    if let Some(auth) = auth {
        request = request.header(header::AUTHORIZATION, auth);
    }
    if body.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/json").header(header::IF_MATCH, "*");
    }
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    let response = router(state.clone()).oneshot(request.body(body).expect("request")).await.expect("answer");
    let status = response.status();
    let body = response.into_body().collect().await.expect("body").to_bytes().to_vec();
    Answer { status, body }
}

fn restricted(layer: Layer) -> Vec<&'static str> {
    landbank_geojson::schema(layer).iter().filter(|p| p.restricted).map(|p| p.name).collect()
}

/// The property names of every feature of a GeoJSON answer.
fn keys(answer: &Answer) -> Vec<String> {
    let json = answer.json();
    let features = json["features"].as_array().cloned().unwrap_or_else(|| vec![json.clone()]);
    features
        .iter()
        .flat_map(|f| f["properties"].as_object().map(|p| p.keys().cloned().collect::<Vec<_>>()).unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn every_write_route_knows_who_may_use_it() {
    let (state, _dir) = park().await;
    // A token made and revoked through the API.
    let made = send(&state, "POST", "/tokens", Some(ADMIN), Some(&json!({ "name": "old", "role": "admin" }))).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text());
    let revoked = format!("Bearer {}", made.json()["secret"].as_str().expect("a secret"));
    assert_eq!(send(&state, "DELETE", "/tokens/old", Some(ADMIN), None).await.status, StatusCode::OK);

    let feature = json!({ "type": "Feature", "geometry": null, "properties": {} });
    let token = json!({ "name": "new-one", "role": "planner" });
    // (method, path, body, whether a planner may)
    let routes: Vec<(&str, &str, Value, bool)> = vec![
        ("POST", "/reservations", json!({ "project_id": 1, "parcel_id": 1 }), true),
        ("POST", "/reservations/1/confirm", json!({}), true),
        ("DELETE", "/reservations/1", json!(null), true),
        ("POST", "/allocations/1/release", json!({}), true),
        ("POST", "/parcels/1/split", json!({ "area_mu": 1.0 }), true),
        ("POST", "/parcels/merge", json!({ "parcel_ids": [1, 2] }), true),
        ("POST", "/collections/projects/items", feature.clone(), true),
        ("PATCH", "/collections/projects/items/1", json!({ "properties": {} }), true),
        ("PUT", "/collections/projects/items/1", feature.clone(), true),
        ("DELETE", "/collections/projects/items/1", json!(null), true),
        ("POST", "/collections/parcels/items", feature.clone(), false),
        ("PATCH", "/collections/buildings/items/1", json!({ "properties": {} }), false),
        ("PUT", "/collections/units/items/1", feature.clone(), false),
        ("DELETE", "/collections/parcels/items/1", json!(null), false),
        ("POST", "/tokens", token.clone(), false),
        ("GET", "/tokens", json!(null), false),
        ("DELETE", "/tokens/nobody", json!(null), false),
    ];
    for (method, path, body, planner_may) in routes {
        let body = (!body.is_null()).then_some(body);
        for (who, auth) in
            [("no token", None), ("an invalid token", Some(INVALID)), ("a revoked token", Some(revoked.as_str()))]
        {
            let answer = send(&state, method, path, auth, body.as_ref()).await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{method} {path} with {who}: {}", answer.text());
            assert_eq!(answer.json()["code"], "unauthorized");
        }
        let planner = send(&state, method, path, Some(PLANNER), body.as_ref()).await;
        if planner_may {
            assert!(
                !matches!(planner.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN),
                "{method} {path} as planner: {}",
                planner.text()
            );
        } else {
            assert_eq!(planner.status, StatusCode::FORBIDDEN, "{method} {path} as planner: {}", planner.text());
            assert_eq!(planner.json()["code"], "forbidden");
        }
        let admin = send(&state, method, path, Some(ADMIN), body.as_ref()).await;
        assert!(
            !matches!(admin.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) && admin.status.as_u16() < 500,
            "{method} {path} as admin: {} {}",
            admin.status,
            admin.text()
        );
    }
}

#[tokio::test]
async fn anonymous_readers_see_public_fields_and_planners_see_them_all() {
    let (state, _dir) = park().await;
    let supplied = send(&state, "GET", "/collections/parcels/items?availability=supplied&limit=1", None, None).await;
    let parcel = supplied.json()["features"][0]["id"].as_i64().expect("a supplied parcel");
    for (layer, uri) in [
        (Layer::Parcels, "/collections/parcels/items?limit=1000".to_owned()),
        (Layer::Parcels, format!("/collections/parcels/items/{parcel}")),
        (Layer::Projects, "/collections/projects/items?limit=100".to_owned()),
        (Layer::Projects, "/collections/projects/items/1".to_owned()),
        (Layer::Parcels, "/availability/land?min_area_mu=1".to_owned()),
    ] {
        let hidden = restricted(layer);
        let anonymous = send(&state, "GET", &uri, None, None).await;
        assert_eq!(anonymous.status, StatusCode::OK, "{uri}");
        let seen = keys(&anonymous);
        assert!(!seen.is_empty(), "{uri}");
        assert!(hidden.iter().all(|h| !seen.iter().any(|s| s == h)), "{uri}: anonymous sees one of {hidden:?}");
        let planner = send(&state, "GET", &uri, Some(PLANNER), None).await;
        assert_eq!(planner.status, StatusCode::OK, "{uri}");
        let seen = keys(&planner);
        if !uri.starts_with("/availability") {
            assert!(hidden.iter().all(|h| seen.iter().any(|s| s == h)), "{uri}: a planner misses one of {hidden:?}");
        }
    }
    // HTML, queryables, schema and sortables alike.
    for (uri, hidden) in [
        (format!("/collections/parcels/items/{parcel}?f=html"), "land_price_wan"),
        ("/collections/projects/items?f=html".to_owned(), "company"),
        ("/collections/parcels/queryables".to_owned(), "\"holder\""),
        ("/collections/parcels/schema".to_owned(), "land_price_wan"),
        ("/collections/projects/sortables".to_owned(), "total_investment_wan"),
    ] {
        let anonymous = send(&state, "GET", &uri, None, None).await;
        assert!(!anonymous.text().contains(hidden), "{uri} shows {hidden} to anonymous");
        assert!(send(&state, "GET", &uri, Some(PLANNER), None).await.text().contains(hidden), "{uri} hides {hidden}");
    }
    // Filtering, sorting or selecting a hidden field is a 400 like an unknown name: not an oracle.
    for (query, hidden, unknown) in [
        ("filter=holder%20IS%20NULL", "holder", "filter=colour%20IS%20NULL"),
        ("sortby=-land_price_wan", "land_price_wan", "sortby=-colour"),
        ("properties=holder", "holder", "properties=colour"),
    ] {
        let uri = format!("/collections/parcels/items?{query}");
        let anonymous = send(&state, "GET", &uri, None, None).await;
        assert_eq!(anonymous.status, StatusCode::BAD_REQUEST, "{uri}");
        let unknown = send(&state, "GET", &format!("/collections/parcels/items?{unknown}"), None, None).await;
        assert_eq!(anonymous.text().replace(hidden, "colour"), unknown.text(), "{uri}: the refusal tells more");
        assert_eq!(send(&state, "GET", &uri, Some(PLANNER), None).await.status, StatusCode::OK, "{uri}");
    }
    let company = send(&state, "GET", "/collections/projects/items?company=x", None, None).await;
    assert_eq!(company.status, StatusCode::BAD_REQUEST);
    // Planner-only reads.
    for uri in
        ["/reservations", "/allocations", "/reports/idle-land?as_of=2026-11-27", &format!("/parcels/{parcel}/history")]
    {
        assert_eq!(send(&state, "GET", uri, None, None).await.status, StatusCode::UNAUTHORIZED, "{uri}");
        assert_eq!(send(&state, "GET", uri, Some(PLANNER), None).await.status, StatusCode::OK, "{uri}");
    }
    let plan = json!({ "project_id": 29 });
    assert_eq!(send(&state, "POST", "/allocation-plans", None, Some(&plan)).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(send(&state, "POST", "/allocation-plans", Some(PLANNER), Some(&plan)).await.status, StatusCode::OK);
    // A read with a wrong token is refused, never answered as anonymous.
    let wrong = send(&state, "GET", "/collections/parcels/items?limit=1", Some(INVALID), None).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn no_anonymous_read_carries_a_restricted_field() {
    let (state, _dir) = park().await;
    let names: Vec<&str> = [Layer::Parcels, Layer::Projects].into_iter().flat_map(restricted).collect();
    let reads = [
        "/",
        "/conformance",
        "/collections",
        "/collections/parcels",
        "/collections/projects",
        "/collections/parcels/items?limit=10000",
        "/collections/parcels/items?limit=10000&f=html",
        "/collections/projects/items?limit=100",
        "/collections/projects/items?limit=100&f=html",
        "/collections/parcels/items/1?f=html",
        "/collections/projects/items/1",
        "/collections/parcels/queryables",
        "/collections/parcels/sortables",
        "/collections/parcels/schema",
        "/collections/projects/queryables",
        "/collections/projects/sortables",
        "/collections/projects/schema",
        "/availability/land",
        "/availability/space",
        "/styles/default",
        "/tiles/WebMercatorQuad/tilejson.json",
        "/tiles/WebMercatorQuad/14/7187/13107",
        "/collections/parcels/tiles/WebMercatorQuad/12/1796/3276",
    ];
    // `/stats` is left out: its totals by stage and industry are published aggregates, not any one project's.
    for uri in reads {
        let answer = send(&state, "GET", uri, None, None).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.text());
        // As a JSON key, an HTML cell or a tile's key: the name followed by a quote or a closing tag.
        let text = String::from_utf8_lossy(&answer.body);
        for name in &names {
            for shape in [format!("\"{name}\""), format!(">{name}<"), format!("\u{12}{name}")] {
                assert!(!text.contains(&shape), "{uri} shows `{name}` to anonymous readers");
            }
        }
    }
}
