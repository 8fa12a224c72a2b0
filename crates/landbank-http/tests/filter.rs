//! CQL2 `filter` on `/collections/{id}/items`, checked against brute-force counts over the Dongxing inventory.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use geo::{BoundingRect, Intersects};
use http_body_util::BodyExt;
use landbank_geojson::{PropertyValue, RecordRef, records};
use landbank_http::{AppState, router};
use landbank_inventory::{Inventory, Layer};
use serde_json::Value;
use tower::ServiceExt;

fn inventory() -> Inventory {
    Inventory::new(landbank_gen::dongxing()).expect("the fixtures assemble")
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

async fn get(uri: &str) -> (StatusCode, Value) {
    let request = Request::builder()
        .uri(uri)
        .header(header::HOST, "landbank.test")
        .header(header::AUTHORIZATION, "Bearer a-planner-secret-long-enough")
        .body(Body::empty())
        .expect("request");
    let response = router(planner_state()).oneshot(request).await.expect("the router answers");
    let status = response.status();
    let body = response.into_body().collect().await.expect("body").to_bytes();
    let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
    (status, json)
}

/// The ids a filter selects on parcels (one big page), or the failing answer.
async fn ids(filter: &str, lang: &str) -> Result<BTreeSet<i64>, (StatusCode, Value)> {
    let uri = format!("/collections/parcels/items?limit=10000&filter-lang={lang}&filter={}", encode(filter));
    let (status, doc) = get(&uri).await;
    if status != StatusCode::OK {
        return Err((status, doc));
    }
    let features = doc["features"].as_array().expect("features");
    assert_eq!(doc["numberMatched"].as_u64(), Some(features.len() as u64), "{filter}");
    Ok(features.iter().map(|f| f["id"].as_i64().expect("id")).collect())
}

fn brute(predicate: impl Fn(&Inventory, RecordRef<'_>) -> bool) -> BTreeSet<i64> {
    let inventory = inventory();
    records(&inventory, Layer::Parcels).filter(|r| predicate(&inventory, *r)).map(RecordRef::id).collect()
}

fn number(inventory: &Inventory, r: RecordRef<'_>, name: &str) -> Option<f64> {
    match r.property(inventory, name)? {
        PropertyValue::Number(n) => Some(n),
        PropertyValue::Integer(i) => Some(i as f64),
        _ => None,
    }
}

fn text(inventory: &Inventory, r: RecordRef<'_>, name: &str) -> Option<String> {
    match r.property(inventory, name)? {
        PropertyValue::String(s) => Some(s.to_owned()),
        PropertyValue::Text(s) => Some(s),
        _ => None,
    }
}

#[tokio::test]
async fn each_operator_selects_what_a_brute_force_selects() {
    type Check = Box<dyn Fn(&Inventory, RecordRef<'_>) -> bool>;
    let area = |i: &Inventory, r: RecordRef<'_>| number(i, r, "area_mu").unwrap_or(f64::NAN);
    let availability = |i: &Inventory, r: RecordRef<'_>| text(i, r, "availability").unwrap_or_default();
    let date = |i: &Inventory, r: RecordRef<'_>| match r.property(i, "available_from") {
        Some(PropertyValue::Date(d)) => Some(d),
        _ => None,
    };
    let day = |s: &str| s.parse::<landbank_inventory::Date>().expect("date");
    let cases: Vec<(&str, Check)> = vec![
        ("area_mu > 50", Box::new(move |i, r| area(i, r) > 50.0)),
        ("area_mu >= 50", Box::new(move |i, r| area(i, r) >= 50.0)),
        ("area_mu < 30", Box::new(move |i, r| area(i, r) < 30.0)),
        ("30 >= area_mu", Box::new(move |i, r| area(i, r) <= 30.0)),
        ("availability = 'available'", Box::new(move |i, r| availability(i, r) == "available")),
        ("availability <> 'available'", Box::new(move |i, r| availability(i, r) != "available")),
        (
            "plot_no LIKE '%-0_'",
            Box::new(|i, r| text(i, r, "plot_no").is_some_and(|p| p.len() >= 4 && p[p.len() - 3..].starts_with("-0"))),
        ),
        ("area_mu BETWEEN 20 AND 60", Box::new(move |i, r| (20.0..=60.0).contains(&area(i, r)))),
        (
            "availability IN ('available', 'reserved')",
            Box::new(move |i, r| ["available", "reserved"].contains(&availability(i, r).as_str())),
        ),
        ("holder IS NULL", Box::new(|i, r| text(i, r, "holder").is_none())),
        ("holder IS NOT NULL", Box::new(|i, r| text(i, r, "holder").is_some())),
        (
            "area_mu > 50 AND NOT (availability = 'available') OR area_mu < 10",
            Box::new(move |i, r| (area(i, r) > 50.0 && availability(i, r) != "available") || area(i, r) < 10.0),
        ),
        (
            "revitalized = true",
            Box::new(|i, r| matches!(r.property(i, "revitalized"), Some(PropertyValue::Boolean(true)))),
        ),
        (
            "available_from < DATE('2028-01-01')",
            Box::new(move |i, r| date(i, r).is_some_and(|d| d < day("2028-01-01"))),
        ),
        (
            "T_AFTER(available_from, DATE('2026-06-30'))",
            Box::new(move |i, r| date(i, r).is_some_and(|d| d > day("2026-06-30"))),
        ),
        (
            "T_INTERSECTS(available_from, INTERVAL('2026-01-01', '2027-12-31'))",
            Box::new(move |i, r| date(i, r).is_some_and(|d| d >= day("2026-01-01") && d <= day("2027-12-31"))),
        ),
    ];
    for (filter, check) in cases {
        let got = ids(filter, "cql2-text").await.unwrap_or_else(|e| panic!("{filter}: {e:?}"));
        let expected = brute(check);
        assert!(!expected.is_empty() && expected.len() < 269, "{filter} should select some parcels, not all");
        assert_eq!(got, expected, "{filter}");
    }
}

#[tokio::test]
async fn a_polygon_literal_selects_the_parcels_its_outline_meets() {
    let inventory = inventory();
    let rect = inventory
        .parcels()
        .iter()
        .filter_map(|p| p.geometry.bounding_rect())
        .reduce(|a, b| {
            geo::Rect::new(
                (a.min().x.min(b.min().x), a.min().y.min(b.min().y)),
                (a.max().x.max(b.max().x), a.max().y.max(b.max().y)),
            )
        })
        .expect("parcels");
    let (cx, cy) = (rect.center().x, rect.center().y);
    let (w, h) = (rect.width() / 4.0, rect.height() / 4.0);
    let triangle =
        geo::Polygon::new(vec![(cx - w, cy - h), (cx + w, cy - h), (cx, cy + h), (cx - w, cy - h)].into(), vec![]);
    let wkt =
        format!("POLYGON(({} {}, {} {}, {} {}, {} {}))", cx - w, cy - h, cx + w, cy - h, cx, cy + h, cx - w, cy - h);
    let expected = brute(|_, r| match r {
        RecordRef::Parcel(p) => p.geometry.intersects(&triangle),
        _ => false,
    });
    assert!(!expected.is_empty(), "the triangle meets some parcels");
    let got = ids(&format!("S_INTERSECTS(geometry, {wkt})"), "cql2-text").await.expect("ok");
    assert_eq!(got, expected);
    let anded = ids(&format!("S_INTERSECTS(geometry, {wkt}) AND area_mu > 0"), "cql2-text").await.expect("ok");
    assert_eq!(anded, expected);
    let disjoint = ids(&format!("S_DISJOINT(geometry, {wkt})"), "cql2-text").await.expect("ok");
    assert_eq!(disjoint.len() + expected.len(), inventory.parcels().len());
    let in_box =
        ids(&format!("S_INTERSECTS(geometry, BBOX({}, {}, {}, {}))", cx - w, cy - h, cx + w, cy + h), "cql2-text")
            .await
            .expect("ok");
    let bbox = geo::Rect::new((cx - w, cy - h), (cx + w, cy + h));
    assert_eq!(in_box, brute(|_, r| matches!(r, RecordRef::Parcel(p) if p.geometry.intersects(&bbox))));
}

#[tokio::test]
async fn cql2_json_selects_the_same_ids_as_the_same_text_filter() {
    let text = "area_mu > 20 AND availability IN ('available','reserved')";
    let json = r#"{"op":"and","args":[{"op":">","args":[{"property":"area_mu"},20]},
        {"op":"in","args":[{"property":"availability"},["available","reserved"]]}]}"#;
    let a = ids(text, "cql2-text").await.expect("text");
    let b = ids(json, "cql2-json").await.expect("json");
    assert!(!a.is_empty());
    assert_eq!(a, b);
}

#[tokio::test]
async fn the_cql_text_alias_is_read_as_cql2_text() {
    let a = ids("area_mu > 20", "cql2-text").await.expect("cql2-text");
    assert_eq!(ids("area_mu > 20", "cql-text").await.expect("cql-text"), a);
}

#[tokio::test]
async fn invalid_cql2_is_a_400_naming_the_position() {
    let (status, doc) = ids("area_mu >> 20 AND", "cql2-text").await.expect_err("refused");
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let detail = doc["detail"].as_str().expect("detail");
    assert!(detail.contains("1:"), "{detail}");
    let (status, doc) = ids("{\"op\":", "cql2-json").await.expect_err("refused");
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(doc["detail"].as_str().expect("detail").contains("column"), "{doc}");
}

#[tokio::test]
async fn an_unknown_property_is_a_400_naming_it_and_the_queryables() {
    let (status, doc) = ids("colour = 'red'", "cql2-text").await.expect_err("refused");
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let detail = doc["detail"].as_str().expect("detail");
    assert!(detail.contains("colour") && detail.contains("area_mu"), "{detail}");
    let (status, _) = ids("area_mu + 1 > 2", "cql2-text").await.expect_err("unsupported");
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = ids("area_mu > 1", "ecql").await.expect_err("unknown language");
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn paging_with_a_filter_visits_every_match_once() {
    let filter = "area_mu > 10";
    let expected = ids(filter, "cql2-text").await.expect("ok");
    let mut seen = Vec::new();
    let mut uri = Some(format!("/collections/parcels/items?limit=7&filter={}", encode(filter)));
    while let Some(next) = uri {
        let (status, doc) = get(&next).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(doc["numberMatched"].as_u64(), Some(expected.len() as u64));
        seen.extend(doc["features"].as_array().expect("features").iter().map(|f| f["id"].as_i64().expect("id")));
        uri = doc["links"].as_array().expect("links").iter().find(|l| l["rel"] == "next").map(|l| {
            let href = l["href"].as_str().expect("href");
            assert!(href.contains("filter="), "{href}");
            href.trim_start_matches("http://landbank.test").to_owned()
        });
    }
    assert_eq!(seen.len(), expected.len());
    assert_eq!(seen.into_iter().collect::<BTreeSet<_>>(), expected);
}

#[tokio::test]
async fn the_cql2_crate_examples_evaluate_or_are_refused_cleanly() {
    let home = std::env::var("CARGO_HOME").map_or_else(
        |_| std::path::PathBuf::from(std::env::var("HOME").expect("HOME")).join(".cargo"),
        std::path::PathBuf::from,
    );
    let crate_dir = std::fs::read_dir(home.join("registry/src"))
        .expect("the cargo registry")
        .flatten()
        .flat_map(|index| std::fs::read_dir(index.path()).into_iter().flatten().flatten())
        .map(|e| e.path())
        .find(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("cql2-0.6")))
        .expect("the cql2 0.6 sources");
    let mut checked = 0;
    for (dir, lang) in [("text", "cql2-text"), ("json", "cql2-json")] {
        for entry in std::fs::read_dir(crate_dir.join("examples").join(dir)).expect("examples").flatten() {
            let filter = std::fs::read_to_string(entry.path()).expect("example");
            for layer in ["parcels", "pois"] {
                let uri =
                    format!("/collections/{layer}/items?limit=1&filter-lang={lang}&filter={}", encode(filter.trim()));
                let (status, doc) = get(&uri).await;
                assert!(
                    status == StatusCode::OK || (status == StatusCode::BAD_REQUEST && doc["detail"].is_string()),
                    "{}: {status} {doc}",
                    entry.path().display()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} examples");
}

#[tokio::test]
async fn projects_have_no_geometry_to_filter_on_as_their_queryables_say() {
    let (status, queryables) = get("/collections/projects/queryables").await;
    assert_eq!(status, StatusCode::OK);
    assert!(queryables["properties"].get("geometry").is_none());
    let uri = format!("/collections/projects/items?filter={}", encode("S_INTERSECTS(geometry, BBOX(0, 0, 1, 1))"));
    let (status, doc) = get(&uri).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(doc["detail"].as_str().expect("detail").contains("geometry"), "{doc}");
}

#[tokio::test]
async fn a_long_chain_of_nots_is_refused_as_too_deep() {
    let filter = format!("{}area_mu > 1", "NOT ".repeat(500));
    let (status, doc) = ids(&filter, "cql2-text").await.expect_err("refused");
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(doc["detail"].as_str().expect("detail").contains("deeper"), "{doc}");
}

#[tokio::test]
async fn the_api_offers_filter_lang_with_cql_text_and_conformance_declares_filtering() {
    let (_, api) = get("/api").await;
    let parameters = api["paths"]["/collections/parcels/items"]["get"]["parameters"].as_array().expect("parameters");
    let lang = parameters.iter().find(|p| p["name"] == "filter-lang").expect("filter-lang");
    assert!(lang["schema"]["enum"].as_array().expect("enum").iter().any(|v| v == "cql-text"), "{lang}");
    assert!(parameters.iter().any(|p| p["name"] == "filter"));
    let (_, conformance) = get("/conformance").await;
    let classes = conformance["conformsTo"].as_array().expect("classes");
    for class in
        ["ogcapi-features-3/1.0/conf/filter", "cql2/1.0/conf/cql2-json", "cql2/1.0/conf/basic-spatial-functions"]
    {
        assert!(classes.iter().any(|c| c.as_str().is_some_and(|c| c.ends_with(class))), "{class}");
    }
}

/// A read-only server that knows one planner token; the requests here carry it, so they see every field.
fn planner_state() -> AppState {
    let planner = ("planner".to_owned(), "a-planner-secret-long-enough".to_owned(), landbank_http::Role::Planner);
    AppState::new(inventory()).with_tokens(landbank_http::Tokens::configured([planner]))
}
