//! `/reports/idle-land` and the idle-land and investment-intensity parts of `/stats`, over the Dongxing fixtures,
//! called in-process with `oneshot`.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use landbank_http::{AppState, router};
use landbank_inventory::{Inventory, investment_intensity};
use serde_json::Value;
use tower::ServiceExt;

/// The day the fixtures describe (`landbank_gen::AS_OF`).
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
    let request = Request::builder()
        .uri(uri)
        .header(header::HOST, "landbank.test")
        .header(header::AUTHORIZATION, "Bearer a-planner-secret-long-enough")
        .body(Body::empty())
        .expect("request");
    let response = router(planner_state()).oneshot(request).await.expect("the router answers");
    let status = response.status();
    let content_type =
        response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{uri}: not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
    Answer { status, content_type, body }
}

async fn report(query: &str) -> Value {
    let answer = get(&format!("/reports/idle-land?{query}")).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.content_type, "application/json");
    answer.body
}

fn parcels(report: &Value) -> &[Value] {
    report["parcels"].as_array().expect("parcels")
}

fn find<'a>(report: &'a Value, plot_no: &str) -> &'a Value {
    parcels(report).iter().find(|p| p["plot_no"] == plot_no).unwrap_or_else(|| panic!("{plot_no} missing: {report}"))
}

/// The idle-land cases of the fixtures on 2026-11-27 (see `crates/landbank-gen/src/dongxing/idle.rs`): plot, status,
/// rule, exempt.
const CASES: [(&str, &str, &str, bool); 10] = [
    // Supplied long ago and never started: more than two years past the agreed start.
    ("BHQ-10-02", "reclaimable", "not_started", false), // the stalled project 鸿运纺织印花项目
    ("BHQ-10-03", "reclaimable", "not_started", false),
    ("CL-13-07", "reclaimable", "not_started", false),
    ("CL-14-02", "reclaimable", "not_started", false), // the stalled project 鼎盛新能源材料项目
    // Started, under a quarter of the investment made, suspended for more than two years.
    ("BHQ-02-09", "reclaimable", "stalled", false),
    // One to two years past the agreed start: the fee is due.
    ("KHQ-10-03", "idle", "not_started", false),
    ("JP-08-01", "idle", "not_started", false),
    // Started, under a third of the floor area built, suspended for more than a year.
    ("KHQ-03-02", "idle", "stalled", false),
    // Waiting for the park's roads and power since 2022: idle, but exempt from fee and reclamation.
    ("CL-16-05", "idle", "not_started", true),
    // 45 days before the one-year mark.
    ("JP-07-03", "warning", "not_started", false),
];

#[tokio::test]
async fn the_report_lists_every_idle_land_case_of_the_fixtures_with_its_status_fee_and_exemption() {
    let doc = report(&format!("as_of={AS_OF}")).await;
    assert_eq!(doc["as_of"], AS_OF);
    assert!(doc["basis"].as_str().is_some_and(|b| b.contains("国土资源部令第53号")));
    assert_eq!(parcels(&doc).len(), CASES.len(), "{doc}");
    assert_eq!(doc["numberReturned"], CASES.len());
    for (plot_no, status, rule, exempt) in CASES {
        let p = find(&doc, plot_no);
        assert_eq!((p["idle_status"].as_str(), p["idle_rule"].as_str()), (Some(status), Some(rule)), "{p}");
        assert_eq!(p["exempt"], exempt, "{p}");
        let land_price = p["land_price_wan"].as_f64().expect("a land price");
        match p["idle_fee_wan"].as_f64() {
            Some(fee) => {
                assert!(status != "warning" && !exempt, "{p}");
                assert!((fee - 0.2 * land_price).abs() < 0.006, "{plot_no}: fee {fee} on a price of {land_price}");
            }
            None => assert!(status == "warning" || exempt, "{plot_no} owes a fee: {p}"),
        }
        let days = p["days_idle"].as_i64().expect("days");
        match status {
            "reclaimable" => assert!(days >= 730, "{p}"),
            "idle" if exempt => assert!(days >= 730, "an exempt parcel is never reclaimable: {p}"),
            "idle" => assert!((365..730).contains(&days), "{p}"),
            _ => assert!(days < 365 && p["days_until_idle"].as_i64().is_some_and(|d| d <= 90), "{p}"),
        }
    }
}

#[tokio::test]
async fn the_worst_cases_come_first() {
    let doc = report(&format!("as_of={AS_OF}")).await;
    let rank = |s: &str| ["warning", "idle", "reclaimable"].iter().position(|k| *k == s).expect("a reported status");
    let ranks: Vec<usize> = parcels(&doc).iter().map(|p| rank(p["idle_status"].as_str().expect("status"))).collect();
    assert!(ranks.windows(2).all(|w| w[0] >= w[1]), "{ranks:?}");
}

#[tokio::test]
async fn stalled_cases_show_what_they_built_and_invested_and_when_they_stopped() {
    let doc = report(&format!("as_of={AS_OF}")).await;
    let short_of_floor_area = find(&doc, "KHQ-03-02");
    assert!(short_of_floor_area["developed_share"].as_f64().is_some_and(|s| s < 1.0 / 3.0));
    assert!(short_of_floor_area["invested_share"].as_f64().is_some_and(|s| s >= 0.25));
    let short_of_investment = find(&doc, "BHQ-02-09");
    assert!(short_of_investment["developed_share"].as_f64().is_some_and(|s| s >= 1.0 / 3.0));
    assert!(short_of_investment["invested_share"].as_f64().is_some_and(|s| s < 0.25));
    let inventory = inventory();
    for p in [short_of_floor_area, short_of_investment] {
        let parcel = inventory.parcels().iter().find(|x| p["plot_no"] == x.plot_no.as_str()).expect("in the fixtures");
        assert_eq!(p["clock_start"], parcel.suspended_since.expect("suspended").to_string());
    }
    // The third suspended parcel built and invested enough: it is not idle land.
    let suspended: Vec<&str> =
        inventory.parcels().iter().filter(|p| p.suspended_since.is_some()).map(|p| p.plot_no.as_str()).collect();
    assert_eq!(suspended.len(), 3);
    assert_eq!(suspended.iter().filter(|plot| parcels(&doc).iter().any(|p| p["plot_no"] == **plot)).count(), 2);
}

#[tokio::test]
async fn a_warning_counts_the_days_to_the_one_year_mark_and_turns_idle_on_it() {
    let doc = report(&format!("as_of={AS_OF}")).await;
    let warning = find(&doc, "JP-07-03");
    assert_eq!((warning["days_until_idle"].as_i64(), warning["idle_fee_wan"].is_null()), (Some(45), true));
    assert_eq!(warning["idle_from"], "2027-01-11");
    let later = report("as_of=2027-01-11").await;
    let idle = find(&later, "JP-07-03");
    assert_eq!((idle["idle_status"].as_str(), idle["days_idle"].as_i64()), (Some("idle"), Some(365)));
    assert!(idle["idle_fee_wan"].as_f64().is_some_and(|fee| fee > 0.0));
}

#[tokio::test]
async fn the_summary_counts_parcels_by_status_and_adds_up_the_fees() {
    let doc = report(&format!("as_of={AS_OF}")).await;
    let summary = &doc["summary"];
    assert_eq!(summary["as_of"], AS_OF);
    for (status, count) in [("warning", 1), ("idle", 4), ("reclaimable", 5)] {
        assert_eq!(summary["by_status"][status]["count"], count, "{summary}");
    }
    assert!(summary["by_status"]["ok"]["count"].as_u64().is_some_and(|n| n >= 4), "{summary}");
    assert_eq!(summary["exempt"]["count"], 1);
    let fees: f64 = parcels(&doc).iter().filter_map(|p| p["idle_fee_wan"].as_f64()).sum();
    assert!((summary["fees_due_wan"].as_f64().expect("fees") - fees).abs() < 0.05, "{summary}");
}

#[tokio::test]
async fn geojson_gives_the_affected_parcels_as_a_map_layer() {
    let answer = get(&format!("/reports/idle-land?as_of={AS_OF}&f=geojson")).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.content_type, "application/geo+json");
    let doc = answer.body;
    assert_eq!(doc["type"], "FeatureCollection");
    let features = doc["features"].as_array().expect("features");
    assert_eq!(features.len(), CASES.len());
    let json = report(&format!("as_of={AS_OF}")).await;
    let ids = |list: &[Value], key: &str| list.iter().map(|v| v[key].as_i64().expect("id")).collect::<Vec<_>>();
    assert_eq!(ids(features, "id"), ids(parcels(&json), "parcel_id"), "the same parcels in the same order");
    for f in features {
        assert_eq!(f["geometry"]["type"], "Polygon");
        let p = &f["properties"];
        for name in ["plot_no", "availability", "land_price_wan", "idle_status", "idle_rule", "days_idle", "exempt"] {
            assert!(p.get(name).is_some(), "{name} missing from {p}");
        }
    }
    let exempt = features.iter().find(|f| f["properties"]["plot_no"] == "CL-16-05").expect("the exemption");
    assert_eq!(exempt["properties"]["government_caused"], true);
    assert!(exempt["properties"]["idle_fee_wan"].is_null());
}

#[tokio::test]
async fn without_as_of_the_report_is_for_today_in_utc() {
    let today = || jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date().to_string();
    let before = today();
    let doc = report("").await;
    let after = today();
    let day = doc["as_of"].as_str().expect("as_of");
    assert!(day == before || day == after, "{day}");
}

#[tokio::test]
async fn a_bad_as_of_is_a_problem_naming_the_parameter() {
    for bad in ["2026-13-01", "2026-02-30", "27.11.2026", "20261127", "today", ""] {
        for path in ["/reports/idle-land", "/stats"] {
            let answer = get(&format!("{path}?as_of={bad}")).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{path} {bad}");
            assert_eq!(answer.content_type, "application/problem+json", "{path} {bad}");
            assert_eq!(answer.body["code"], "invalid-parameter");
            let detail = answer.body["detail"].as_str().expect("detail");
            assert!(detail.contains("`as_of`") && detail.contains("YYYY-MM-DD"), "{detail}");
        }
    }
}

#[tokio::test]
async fn unknown_repeated_and_unsupported_parameters_are_refused() {
    for (query, needle) in [
        ("bogus=1", "bogus"),
        ("as_of=2026-11-27&zone=KHQ", "zone"),
        ("as_of=2026-11-27&as_of=2026-11-28", "more than once"),
        ("f=html", "geojson"),
    ] {
        let answer = get(&format!("/reports/idle-land?{query}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(answer.content_type, "application/problem+json", "{query}");
        let detail = answer.body["detail"].as_str().expect("detail");
        assert!(detail.contains(needle), "{query}: {detail}");
    }
}

#[tokio::test]
async fn stats_carry_the_idle_land_summary_of_the_day() {
    let stats = get(&format!("/stats?as_of={AS_OF}")).await;
    assert_eq!(stats.status, StatusCode::OK);
    let doc = report(&format!("as_of={AS_OF}")).await;
    assert_eq!(stats.body["idle_land"], doc["summary"]);
    let figures = &stats.body["figures"];
    assert_eq!((figures["revitalized_land_mu"].as_f64(), figures["projects"].as_u64()), (Some(1699.5), Some(48)));
}

#[tokio::test]
async fn stats_measure_every_land_project_against_its_zone_minimum_intensity() {
    let inventory = inventory();
    let doc = get("/stats").await.body;
    let park = doc["park"]["projects"]["intensity"].as_array().expect("intensity");
    let land_projects: Vec<_> = inventory.projects().iter().filter(|p| p.parcel.is_some()).collect();
    assert_eq!(park.len(), land_projects.len());
    assert!(!land_projects.is_empty());
    for (entry, project) in park.iter().zip(&land_projects) {
        let expected = investment_intensity(&inventory, project).expect("a land project");
        let parcel = inventory.parcel(project.parcel.expect("land")).expect("parcel");
        let zone = inventory.zone(parcel.zone).expect("zone");
        assert_eq!(entry["project_id"], project.id.0);
        assert_eq!(entry["code"], project.code);
        let intensity = entry["intensity_wan_per_mu"].as_f64().expect("intensity");
        assert!((intensity - project.fixed_asset_investment.0 / parcel.stated_area.0).abs() < 0.006, "{entry}");
        assert_eq!(entry["threshold_wan_per_mu"].as_f64(), Some(zone.policy.intensity_min_wan_per_mu));
        assert_eq!(entry["meets"], expected.meets);
        assert_eq!(expected.meets, expected.intensity_wan_per_mu >= zone.policy.intensity_min_wan_per_mu);
    }
    let by_zone: usize = doc["zones"]
        .as_array()
        .expect("zones")
        .iter()
        .map(|z| z["projects"]["intensity"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(by_zone, park.len(), "every land project is listed under its zone too");
}

/// A read-only server that knows one planner token; the requests here carry it, so they see every field.
fn planner_state() -> AppState {
    let planner = ("planner".to_owned(), "a-planner-secret-long-enough".to_owned(), landbank_http::Role::Planner);
    AppState::new(inventory()).with_tokens(landbank_http::Tokens::configured([planner]))
}
