//! `/availability/land` and `/availability/space` over the Dongxing inventory, called in-process with `oneshot`.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use landbank_http::{AppState, router};
use landbank_inventory::{Availability, Date, IndustrialClass, Industry, Inventory, Mu, SquareMeters, SupplyMethod};
use serde_json::Value;
use tower::ServiceExt;

/// The day the fixtures describe.
const AS_OF: &str = "2026-11-27";

fn inventory() -> Inventory {
    Inventory::new(landbank_gen::dongxing()).expect("the fixtures assemble")
}

struct Answer {
    status: StatusCode,
    content_type: String,
    body: Value,
}

async fn get(uri: &str) -> Answer {
    let request = Request::get(uri).header(header::HOST, "landbank.test").body(Body::empty()).expect("request");
    let response = router(AppState::new(inventory())).oneshot(request).await.expect("the router answers");
    let status = response.status();
    let content_type =
        response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
    Answer { status, content_type, body }
}

/// A successful GeoJSON answer's features.
async fn features(uri: &str) -> (Value, Vec<Value>) {
    let answer = get(uri).await;
    assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.body);
    assert_eq!(answer.content_type, "application/geo+json", "{uri}");
    assert_eq!(answer.body["type"], "FeatureCollection");
    let features = answer.body["features"].as_array().expect("features").clone();
    assert_eq!(answer.body["numberReturned"].as_u64(), Some(features.len() as u64));
    (answer.body, features)
}

fn number(feature: &Value, name: &str) -> f64 {
    feature["properties"][name].as_f64().unwrap_or_else(|| panic!("no number {name} in {feature}"))
}

fn ranked_best_first(features: &[Value]) -> bool {
    let ranks: Vec<u64> = features.iter().filter_map(|f| f["properties"]["rank"].as_u64()).collect();
    let scores: Vec<f64> = features.iter().map(|f| number(f, "score")).collect();
    ranks == (1..=features.len() as u64).collect::<Vec<_>>() && scores.windows(2).all(|w| w[0] >= w[1])
}

fn plot_numbers(features: &[Value]) -> Vec<String> {
    features.iter().filter_map(|f| f["properties"]["plot_no"].as_str()).map(str::to_owned).collect()
}

/// Every parcel the search must consider for a class and area on a date, by brute force over the fixtures.
fn expected_parcels(class: IndustrialClass, min_mu: f64, on: &str) -> Vec<String> {
    let on: Date = on.parse().expect("date");
    let mut plots: Vec<String> = inventory()
        .parcels()
        .iter()
        .filter(|p| p.is_available_on(on) && p.supply_method != Some(SupplyMethod::Allocation))
        .filter(|p| p.class().is_some_and(|land| class.fits_on(land)) && p.stated_area.0 >= min_mu)
        .map(|p| p.plot_no.clone())
        .collect();
    plots.sort();
    plots
}

#[tokio::test]
async fn a_class_ii_seafood_need_gets_ranked_available_class_ii_or_iii_parcels() {
    let uri = format!("/availability/land?min_area_mu=40&class=II&industry=seafood_processing&available_on={AS_OF}");
    let (doc, features) = features(&uri).await;
    assert!(!features.is_empty());
    assert_eq!(doc["numberMatched"].as_u64(), Some(features.len() as u64));
    assert_eq!(doc["available_on"], AS_OF);
    assert!(ranked_best_first(&features));
    let mut got = plot_numbers(&features);
    got.sort();
    assert_eq!(got, expected_parcels(IndustrialClass::II, 40.0, AS_OF));
    for f in &features {
        let p = &f["properties"];
        assert_eq!(p["availability"], "available");
        assert!(matches!(p["class"].as_str(), Some("II" | "III")), "{p}");
        assert!(number(f, "stated_area_mu") >= 40.0);
        assert_eq!(f["geometry"]["type"], "Polygon");
        let reasons = p["reasons"].as_array().expect("reasons");
        let points: f64 = reasons.iter().map(|r| r["points"].as_f64().expect("points")).sum();
        assert!((points - number(f, "score")).abs() < 0.05, "the score is the sum of the reasons' points: {p}");
        let class_fit = reasons.iter().find(|r| r["code"] == "class_fit").expect("a class reason");
        assert!(class_fit["text"].as_str().is_some_and(|t| t.ends_with("takes a class II project")), "{class_fit}");
        assert!(reasons.iter().any(|r| r["code"] == "leading_industry"));
        assert!(p["distances_m"]["bridge_freight"].as_f64().is_some() && p["distances_m"]["road"].as_f64().is_some());
    }
}

#[tokio::test]
async fn every_returned_parcel_is_available_and_class_compatible() {
    for (class, land_classes) in [("I", &["I", "II", "III"][..]), ("II", &["II", "III"]), ("III", &["III"])] {
        let (_, features) = features(&format!("/availability/land?class={class}&available_on={AS_OF}")).await;
        let needs: IndustrialClass = class.parse().expect("class");
        assert_eq!(features.len(), expected_parcels(needs, 0.0, AS_OF).len(), "class {class}");
        for f in &features {
            let p = &f["properties"];
            assert_eq!(p["availability"], Availability::Available.code());
            assert!(land_classes.contains(&p["class"].as_str().unwrap_or("none")), "class {class}: {p}");
            assert_ne!(p["supply_method"], "allocation");
            assert!(p["available_from"].as_str().is_none_or(|d| d <= AS_OF), "{p}");
        }
    }
}

#[tokio::test]
async fn a_later_date_brings_in_land_that_becomes_free_and_leading_zones_gain_points() {
    let need = "min_area_mu=40&class=II&industry=seafood_processing";
    let (_, now) = features(&format!("/availability/land?{need}&available_on={AS_OF}")).await;
    let (_, later) = features(&format!("/availability/land?{need}&available_on=2027-06-30")).await;
    assert!(later.len() > now.len());
    let mut got = plot_numbers(&later);
    got.sort();
    assert_eq!(got, expected_parcels(IndustrialClass::II, 40.0, "2027-06-30"));
    let inventory = inventory();
    let leads = |zone: &Value| {
        inventory
            .zone_by_code(zone.as_str().expect("zone code"))
            .is_some_and(|z| z.leading_industries.contains(&Industry::SeafoodProcessing))
    };
    for f in &later {
        let reasons = f["properties"]["reasons"].as_array().expect("reasons");
        let industry = reasons.iter().find(|r| r["code"] == "leading_industry").expect("an industry reason");
        let points = if leads(&f["properties"]["zone"]) { 15.0 } else { 0.0 };
        assert_eq!(industry["points"].as_f64(), Some(points), "{industry}");
    }
    assert!(later.iter().any(|f| leads(&f["properties"]["zone"])), "JP and KHQ lead in seafood processing");
}

#[tokio::test]
async fn distance_and_point_filters_narrow_the_land_answer() {
    let all = format!("/availability/land?available_on={AS_OF}");
    let (_, every) = features(&all).await;
    let (_, near_bridge) = features(&format!("{all}&max_distance=bridge_freight:3000")).await;
    assert!(!near_bridge.is_empty() && near_bridge.len() < every.len());
    assert!(near_bridge.iter().all(|f| f["properties"]["distances_m"]["bridge_freight"].as_f64() <= Some(3_000.0)));
    let (_, near_road) = features(&format!("{all}&max_distance=bridge_freight:3000,road:200")).await;
    assert!(near_road.len() <= near_bridge.len());
    assert!(near_road.iter().all(|f| f["properties"]["distances_m"]["road"].as_f64() <= Some(200.0)));

    // Around the centre of the first parcel found: it is at distance 0 and everything else within the radius.
    let first = &every[0]["geometry"]["coordinates"][0][0];
    let (lon, lat) = (first[0].as_f64().expect("lon"), first[1].as_f64().expect("lat"));
    let (_, around) = features(&format!("{all}&near={lon},{lat}&radius_m=500")).await;
    assert!(!around.is_empty() && around.len() < every.len());
    assert!(around.iter().all(|f| number(f, "distance_to_point_m") <= 500.0));
    assert!(around.iter().any(|f| f["id"] == every[0]["id"]));
    let (_, cheap) = features(&format!("{all}&max_price_wan_per_mu=10")).await;
    assert!(!cheap.is_empty() && cheap.len() < every.len());
    assert!(cheap.iter().all(|f| number(f, "price_wan_per_mu") <= 10.0));
    let (_, khq) = features(&format!("{all}&zone=KHQ&min_area_m2=20000&max_area_mu=50")).await;
    assert!(!khq.is_empty());
    for f in &khq {
        assert_eq!(f["properties"]["zone"], "KHQ");
        let mu = number(f, "stated_area_mu");
        assert!(mu >= Mu::from(SquareMeters(20_000.0)).0 && mu <= 50.0, "{mu}");
    }
}

#[tokio::test]
async fn limit_cuts_the_page_but_not_the_count() {
    let (doc, features) = features(&format!("/availability/land?available_on={AS_OF}&limit=3")).await;
    assert_eq!(features.len(), 3);
    assert!(doc["numberMatched"].as_u64() > Some(3));
    assert_eq!(doc["links"][0]["rel"], "self");
}

#[tokio::test]
async fn a_2000_m2_garment_workshop_needing_5_kn_gets_factory_units() {
    let uri = format!("/availability/space?min_area_m2=2000&min_load_kn_m2=5&combine=true&available_on={AS_OF}");
    let (doc, offers) = features(&uri).await;
    assert!(!offers.is_empty());
    assert!(ranked_best_first(&offers));
    for offer in &offers {
        let p = &offer["properties"];
        assert!(number(offer, "total_area_m2") >= 2_000.0, "{p}");
        assert!(number(offer, "load_kn_m2") >= 5.0, "{p}");
        assert!(matches!(offer["geometry"]["type"].as_str(), Some("Polygon" | "MultiPolygon")));
        assert_eq!(p["unit_ids"].as_array().map(Vec::len), p["unit_count"].as_u64().map(|n| n as usize));
        assert!(p["building_no"].is_string() && p["zone"].is_string() && p["reasons"].is_array());
    }
    let vacancy = doc["vacancy"].as_array().expect("vacancy per building");
    assert!(!vacancy.is_empty());
    for v in vacancy {
        assert!(v["vacant_area_m2"].as_f64() > Some(0.0) && v["vacant_units"].as_u64() >= Some(1), "{v}");
    }
    for offer in &offers {
        let building = &offer["properties"]["building_id"];
        assert!(vacancy.iter().any(|v| &v["building_id"] == building), "every offered building has vacancy");
    }
}

#[tokio::test]
async fn adjacent_bays_are_combined_only_when_asked() {
    let need = format!("/availability/space?min_area_m2=1500&available_on={AS_OF}");
    let (_, combined) = features(&format!("{need}&combine=true")).await;
    let pairs: Vec<&Value> = combined.iter().filter(|o| o["properties"]["combined"] == true).collect();
    assert!(!pairs.is_empty(), "two adjacent ground-floor bays of JP-B3 make 1,693 m²");
    for pair in &pairs {
        let p = &pair["properties"];
        assert!(p["unit_count"].as_u64() >= Some(2) && p["unit_count"].as_u64() <= Some(4));
        assert_eq!(pair["geometry"]["type"], "Polygon", "adjacent bays draw as one outline");
        assert!(pair["id"].as_str().is_some_and(|id| id.contains('+')));
    }
    let (_, single) = features(&need).await;
    assert!(single.iter().all(|o| o["properties"]["combined"] == false));
    assert_eq!(single.len() + pairs.len(), combined.len());
}

#[tokio::test]
async fn floor_rent_and_distance_filters_narrow_the_space_answer() {
    let all = format!("/availability/space?available_on={AS_OF}");
    let (_, every) = features(&all).await;
    let (_, ground) = features(&format!("{all}&ground_floor=true")).await;
    assert!(!ground.is_empty() && ground.len() < every.len());
    assert!(ground.iter().all(|o| o["properties"]["floor"] == 1));
    let (_, low) = features(&format!("{all}&max_floor=2")).await;
    assert!(low.len() > ground.len() && low.iter().all(|o| o["properties"]["floor"].as_u64() <= Some(2)));
    let (_, cheap) = features(&format!("{all}&max_rent=9")).await;
    assert!(!cheap.is_empty() && cheap.len() < every.len());
    assert!(cheap.iter().all(|o| number(o, "rent_yuan_m2_month") <= 9.0));
    let (_, near) = features(&format!("{all}&max_distance=bridge_freight:3000")).await;
    assert!(!near.is_empty() && near.len() < every.len());
    assert!(near.iter().all(|o| o["properties"]["distances_m"]["bridge_freight"].as_f64() <= Some(3_000.0)));
    let (_, lifted) = features(&format!("{all}&min_lift_t=5")).await;
    assert!(lifted.iter().all(|o| o["properties"]["floor"] == 1 || o["properties"]["lift_t"].as_f64() >= Some(5.0)));
    let (_, jp) = features(&format!("{all}&zone=JP&fire_class=bing")).await;
    assert!(
        !jp.is_empty() && jp.iter().all(|o| o["properties"]["zone"] == "JP" && o["properties"]["fire_class"] == "bing")
    );
}

#[tokio::test]
async fn without_a_date_the_search_is_for_today() {
    let today = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date().to_string();
    for path in ["/availability/land", "/availability/space"] {
        let (doc, _) = features(path).await;
        assert_eq!(doc["available_on"], today.as_str(), "{path}");
    }
}

#[tokio::test]
async fn bad_requests_are_problems_that_name_the_parameter() {
    let cases = [
        ("/availability/land?class=IV", "class", "I, II, III"),
        ("/availability/land?industry=shipbuilding", "industry", "seafood_processing"),
        ("/availability/land?min_area_mu=60&max_area_mu=40", "min_area_mu", "maximum"),
        ("/availability/land?min_area_mu=40&min_area_m2=30000", "min_area_mu", "not both"),
        ("/availability/land?min_area_mu=-5", "min_area_mu", "≥ 0"),
        ("/availability/land?near=108.0,21.55&radius_m=-10", "radius_m", "≥ 0"),
        ("/availability/land?near=108.0,21.55", "near", "radius_m"),
        ("/availability/land?radius_m=500", "radius_m", "near"),
        ("/availability/land?near=200,21.55&radius_m=500", "near", "lon,lat"),
        ("/availability/land?supply_method=allocation", "supply_method", "transfer_listing"),
        ("/availability/land?supply_method=gift", "supply_method", "lease"),
        ("/availability/land?zone=XYZ", "zone", "KHQ"),
        ("/availability/land?max_distance=bridge:5000", "max_distance", "bridge_freight"),
        ("/availability/land?max_distance=road", "max_distance", "kind:metres"),
        ("/availability/land?available_on=tomorrow", "available_on", "YYYY-MM-DD"),
        ("/availability/land?max_price_wan_per_mu=cheap", "max_price_wan_per_mu", "number"),
        ("/availability/land?limit=many", "limit", "integer"),
        ("/availability/land?colour=red", "colour", "min_area_mu"),
        ("/availability/land?class=I&class=II", "class", "more than once"),
        ("/availability/space?combine=maybe", "combine", "true or false"),
        ("/availability/space?max_floor=0", "max_floor", "1 to 255"),
        ("/availability/space?fire_class=hot", "fire_class", "bing"),
        ("/availability/space?min_area_m2=3000&max_area_m2=2000", "min_area_m2", "maximum"),
        ("/availability/space?min_area_mu=3", "min_area_mu", "min_area_m2"),
        ("/availability/space?min_power_kva=-1", "min_power_kva", "whole number"),
        ("/availability/space?max_rent=NaN", "max_rent", "≥ 0"),
    ];
    for (uri, name, hint) in cases {
        let answer = get(uri).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri}: {}", answer.body);
        assert_eq!(answer.content_type, "application/problem+json", "{uri}");
        assert_eq!(answer.body["status"], 400);
        let detail = answer.body["detail"].as_str().expect("detail");
        assert!(detail.contains(&format!("`{name}`")), "{uri}: {detail}");
        assert!(detail.contains(hint), "{uri}: {detail}");
    }
}

#[tokio::test]
async fn the_api_document_describes_both_searches() {
    let answer = get("/api").await;
    let doc = answer.body;
    for (path, parameter) in [("/availability/land", "max_distance"), ("/availability/space", "combine")] {
        let parameters = doc["paths"][path]["get"]["parameters"].as_array().expect("parameters");
        assert!(parameters.iter().any(|p| p["name"] == parameter), "{path}");
    }
}
