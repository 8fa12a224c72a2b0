//! `POST /allocation-plans` over the Dongxing inventory, called in-process with `oneshot`.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use landbank_http::{AppState, router};
use landbank_inventory::{
    Availability, IndustrialClass, Inventory, ParcelId, ProjectStage, SupplyMethod, UnitId, UnitSpecs, lineage,
};
use serde_json::{Value, json};
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

async fn post_raw(content_type: &str, body: String) -> Answer {
    let request = Request::post("/allocation-plans")
        .header(header::HOST, "landbank.test")
        .header(header::CONTENT_TYPE, content_type)
        .header(header::AUTHORIZATION, "Bearer a-planner-secret-long-enough")
        .body(Body::from(body))
        .expect("request");
    let response = router(planner_state()).oneshot(request).await.expect("the router answers");
    let status = response.status();
    let content_type =
        response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
    Answer { status, content_type, body }
}

async fn post(body: &Value) -> Answer {
    post_raw("application/json", body.to_string()).await
}

/// A successful plan for `need` on the fixtures' day.
async fn planned(need: Value) -> Value {
    let mut need = need;
    need["available_on"] = json!(AS_OF);
    let answer = post(&need).await;
    assert_eq!(answer.status, StatusCode::OK, "{need}: {}", answer.body);
    assert_eq!(answer.content_type, "application/json");
    answer.body
}

/// A refusal: its status, problem+json, and its detail.
async fn refused(need: Value, status: StatusCode) -> String {
    let answer = post(&need).await;
    assert_eq!(answer.status, status, "{need}: {}", answer.body);
    assert_eq!(answer.content_type, "application/problem+json");
    assert_eq!(answer.body["status"].as_u64(), Some(u64::from(status.as_u16())));
    answer.body["detail"].as_str().expect("a detail").to_owned()
}

fn candidates(plan: &Value) -> &[Value] {
    plan["candidates"].as_array().expect("candidates")
}

fn kinds(plan: &Value) -> Vec<&str> {
    candidates(plan).iter().filter_map(|c| c["kind"].as_str()).collect()
}

fn number(value: &Value, name: &str) -> f64 {
    value[name].as_f64().unwrap_or_else(|| panic!("no number {name} in {value}"))
}

fn parcel_ids(candidate: &Value) -> Vec<ParcelId> {
    candidate["parcel_ids"].as_array().expect("parcel ids").iter().filter_map(Value::as_i64).map(ParcelId).collect()
}

/// Every position of a GeoJSON geometry.
fn positions(geometry: &Value) -> Vec<&Value> {
    fn walk<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
        match v.as_array() {
            Some(items) if items.first().is_some_and(Value::is_number) => out.push(v),
            Some(items) => items.iter().for_each(|i| walk(i, out)),
            None => {}
        }
    }
    let mut out = Vec::new();
    walk(&geometry["coordinates"], &mut out);
    out
}

/// What every plan answer holds: ranks in order, scores best first and the sum of their breakdown, the checks,
/// a geometry at no more than 7 decimals.
fn well_formed(plan: &Value) {
    assert!(matches!(plan["route"].as_str(), Some("land" | "factory")), "{plan}");
    assert!(plan["reason"].as_str().is_some_and(|r| !r.is_empty()));
    let all = candidates(plan);
    assert!(all.len() <= 20);
    let ranks: Vec<u64> = all.iter().filter_map(|c| c["rank"].as_u64()).collect();
    assert_eq!(ranks, (1..=all.len() as u64).collect::<Vec<_>>());
    let scores: Vec<f64> = all.iter().map(|c| number(c, "score")).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    for c in all {
        let breakdown = c["breakdown"].as_array().expect("breakdown");
        let weights: f64 = breakdown.iter().map(|k| number(k, "weight")).sum();
        let sum: f64 = breakdown.iter().map(|k| number(k, "weight") * number(k, "value")).sum();
        assert!((weights - 1.0).abs() < 1e-9, "{c}");
        assert!((sum - number(c, "score")).abs() < 1e-3, "the score is the weighted sum: {c}");
        assert!((0.0..=1.0).contains(&number(c, "score")));
        assert!(breakdown.iter().all(|k| k["criterion"].is_string() && (0.0..=1.0).contains(&number(k, "value"))));
        let checks = c["checks"].as_array().expect("checks");
        assert!(checks.iter().all(|k| k["name"].is_string() && k["passed"].is_boolean() && k["detail"].is_string()));
        assert!(matches!(c["geometry"]["type"].as_str(), Some("Polygon" | "MultiPolygon")), "{c}");
        for position in positions(&c["geometry"]) {
            for coordinate in position.as_array().expect("a position") {
                let text = coordinate.to_string();
                let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
                assert!(decimals <= 7, "{text}");
            }
        }
    }
}

/// Land candidates are available, never 划拨, of a class that takes the project's; returns their parcels.
fn land_is_allowed(plan: &Value, inventory: &Inventory, class: IndustrialClass) {
    let on = AS_OF.parse().expect("date");
    for c in candidates(plan) {
        for id in parcel_ids(c) {
            let parcel = inventory.parcel(id).expect("a parcel");
            assert!(parcel.is_available_on(on), "{}", parcel.plot_no);
            assert_ne!(parcel.supply_method, Some(SupplyMethod::Allocation));
            let land = parcel.class().expect("industrial land");
            assert!(class.fits_on(land), "{} is class {land}, the project {class}", parcel.plot_no);
        }
        let class_check = c["checks"].as_array().and_then(|k| k.iter().find(|k| k["name"] == "class"));
        assert_eq!(class_check.map(|k| &k["passed"]), Some(&json!(true)), "{c}");
    }
}

/// Assembled parcels each fall short of the need, share one zone, cover it together and touch, so that
/// `POST /parcels/merge` joins them as they are; carved pieces are the need within 0.001 mu, cut off parcels that
/// keep at least the zone's minimum lot.
fn kinds_keep_their_rules(plan: &Value, inventory: &Inventory) {
    for c in candidates(plan) {
        let need = number(c, "need_mu");
        let parcels: Vec<_> = parcel_ids(c).into_iter().filter_map(|id| inventory.parcel(id)).collect();
        match c["kind"].as_str() {
            Some("single") => assert!(parcels[0].stated_area.0 >= need - 1e-9),
            Some("carved") => {
                assert!((number(c, "area_mu") - need).abs() <= 0.001, "{c}");
                let zone = inventory.zone(parcels[0].zone).expect("zone");
                assert!(parcels[0].stated_area.0 >= need + zone.policy.min_lot_mu, "{c}");
                assert!(number(&c["split"], "remainder_mu") >= zone.policy.min_lot_mu - 0.01, "{c}");
                assert_eq!(c["split"]["parcel_id"].as_i64(), Some(parcels[0].id.0));
            }
            Some("assembled") => {
                assert!((2..=3).contains(&parcels.len()));
                assert!(parcels.iter().all(|p| p.stated_area.0 < need && p.zone == parcels[0].zone));
                assert!(parcels.iter().map(|p| p.stated_area.0).sum::<f64>() >= need);
                let contiguous = c["checks"].as_array().and_then(|k| k.iter().find(|k| k["name"] == "contiguous"));
                assert_eq!(contiguous.map(|k| &k["passed"]), Some(&json!(true)), "{c}");
                assert_eq!(c["geometry"]["type"], "Polygon", "touching parcels draw as one outline: {c}");
                let ids: Vec<ParcelId> = parcels.iter().map(|p| p.id).collect();
                lineage::merge(inventory, &ids).unwrap_or_else(|e| panic!("a merge refuses {ids:?}: {e}"));
            }
            other => panic!("a land plan offers {other:?}"),
        }
    }
}

fn plot_nos(candidate: &Value) -> Vec<&str> {
    candidate["plot_nos"].as_array().expect("plot numbers").iter().filter_map(Value::as_str).collect()
}

fn check<'a>(candidate: &'a Value, name: &str) -> &'a Value {
    let checks = candidate["checks"].as_array().expect("checks");
    checks.iter().find(|k| k["name"] == name).unwrap_or_else(|| panic!("no {name} check in {candidate}"))
}

#[tokio::test]
async fn issue_3_a_60_mu_seafood_plant_gets_a_carve_and_an_assembly_of_touching_parcels() {
    // The documented example (docs/API.md, "Allocation plans").
    let plan = planned(json!({
        "industry": "seafood_processing", "class": "II", "fixed_asset_investment_wan": 15000, "land_mu": 60
    }))
    .await;
    well_formed(&plan);
    assert_eq!(plan["route"], "land");
    assert_eq!(plan["land_need_mu"], json!(60.0));
    assert_eq!(plan["class"], "II");
    assert_eq!(plan["available_on"], AS_OF);
    let kinds = kinds(&plan);
    for kind in ["single", "carved", "assembled"] {
        assert!(kinds.contains(&kind), "{kinds:?}");
    }
    let inventory = inventory();
    land_is_allowed(&plan, &inventory, IndustrialClass::II);
    kinds_keep_their_rules(&plan, &inventory);
    for c in candidates(&plan).iter().filter(|c| c["kind"] == "carved") {
        assert!((number(c, "area_mu") - 60.0).abs() <= 0.001, "{c}");
        assert_eq!(c["geometry"]["type"], "Polygon");
        assert_eq!(c["split"]["area_mu"], json!(60.0));
    }
    for c in candidates(&plan).iter().filter(|c| c["kind"] == "assembled") {
        let detail = check(c, "contiguous")["detail"].as_str().expect("detail");
        assert!(detail.ends_with("one piece of land, which POST /parcels/merge joins as it is"), "{detail}");
    }
    // The documented top three: a 60-mu piece of JP-19-01, then three of the four JP-18 plots.
    let top: Vec<(&str, Vec<&str>)> =
        candidates(&plan).iter().take(3).map(|c| (c["kind"].as_str().unwrap_or(""), plot_nos(c))).collect();
    assert_eq!(
        top,
        [
            ("carved", vec!["JP-19-01"]),
            ("assembled", vec!["JP-18-02", "JP-18-03", "JP-18-04"]),
            ("assembled", vec!["JP-18-01", "JP-18-03", "JP-18-04"]),
        ]
    );
    // 15,000 万元 over 60 mu, or over the 67 mu of three JP-18 plots, is at least JP's 200 万元/mu.
    for c in &candidates(&plan)[..3] {
        assert_eq!(check(c, "intensity")["passed"], true, "{c}");
        assert!(c["checks"].as_array().is_some_and(|k| k.iter().all(|k| k["passed"] == true)), "{c}");
    }
    let checks: Vec<&str> =
        candidates(&plan)[0]["checks"].as_array().expect("checks").iter().filter_map(|k| k["name"].as_str()).collect();
    for name in ["intensity", "class", "plot_ratio", "coverage", "admin_share", "green_share"] {
        assert!(checks.contains(&name), "{checks:?}");
    }
}

#[tokio::test]
async fn a_60_mu_seafood_plant_gets_every_parcel_that_fits_and_no_carve_that_strands_a_sliver() {
    let plan = planned(json!({
        "industry": "seafood_processing", "class": "II", "fixed_asset_investment_wan": 15000, "land_mu": 60
    }))
    .await;
    well_formed(&plan);
    assert_eq!(plan["route"], "land");
    let inventory = inventory();
    land_is_allowed(&plan, &inventory, IndustrialClass::II);
    kinds_keep_their_rules(&plan, &inventory);
    // Every available class II or III parcel of at least 60 mu is offered whole.
    let on = AS_OF.parse().expect("date");
    let mut fitting: Vec<ParcelId> = inventory
        .parcels()
        .iter()
        .filter(|p| p.is_available_on(on) && p.supply_method != Some(SupplyMethod::Allocation))
        .filter(|p| p.class().is_some_and(|c| IndustrialClass::II.fits_on(c)) && p.stated_area.0 >= 60.0)
        .map(|p| p.id)
        .collect();
    fitting.sort_unstable();
    let mut singles: Vec<ParcelId> =
        candidates(&plan).iter().filter(|c| c["kind"] == "single").flat_map(parcel_ids).collect();
    singles.sort_unstable();
    assert_eq!(singles, fitting);
    // Carved only from those that keep the zone's minimum lot: not BHQ-09-02, whose 63.123 mu would leave 3.123.
    let mut carvable: Vec<ParcelId> = fitting
        .iter()
        .filter_map(|&id| inventory.parcel(id))
        .filter(|p| inventory.zone(p.zone).is_some_and(|z| p.stated_area.0 >= 60.0 + z.policy.min_lot_mu))
        .map(|p| p.id)
        .collect();
    carvable.sort_unstable();
    let mut carved: Vec<ParcelId> =
        candidates(&plan).iter().filter(|c| c["kind"] == "carved").flat_map(parcel_ids).collect();
    carved.sort_unstable();
    assert!(!carved.is_empty());
    assert_eq!(carved, carvable);
    // 15,000 万元 over more than 60 mu is below 250 万元/mu: the intensity check says so where a zone asks more.
    for c in candidates(&plan).iter().filter(|c| c["kind"] == "single") {
        let intensity = c["checks"].as_array().and_then(|k| k.iter().find(|k| k["name"] == "intensity"));
        let intensity = intensity.expect("an intensity check");
        let detail = intensity["detail"].as_str().expect("detail");
        assert!(detail.starts_with("15000 万元 over "), "{detail}");
    }
}

#[tokio::test]
async fn a_garment_workshop_of_2000_m2_on_5_kn_is_routed_to_factory_units() {
    let plan = planned(
        json!({ "industry": "garment", "fixed_asset_investment_wan": 800, "floor_area_m2": 2000, "min_load_kn_m2": 5 }),
    )
    .await;
    well_formed(&plan);
    assert_eq!(plan["route"], "factory", "{}", plan["reason"]);
    assert!(plan["reason"].as_str().is_some_and(|r| r.contains("standard-factory space")), "{}", plan["reason"]);
    assert_eq!(plan["floor_area_need_m2"], json!(2_000.0));
    assert!(!candidates(&plan).is_empty());
    let inventory = inventory();
    let on = AS_OF.parse().expect("date");
    for c in candidates(&plan) {
        assert_eq!(c["kind"], "units");
        assert!(number(c, "area_m2") >= 2_000.0, "{c}");
        let ids = c["unit_ids"].as_array().expect("unit ids");
        assert!(!ids.is_empty() && c["parcel_ids"].is_null());
        for id in ids.iter().filter_map(Value::as_i64) {
            let unit = inventory.unit(UnitId(id)).expect("a unit");
            let building = inventory.building(unit.building).expect("its building");
            assert!(unit.is_available_on(on));
            assert!(UnitSpecs::of(unit, building).load_kn_m2 >= 5.0, "{}", unit.label);
        }
    }
}

#[tokio::test]
async fn a_signed_project_is_planned_from_its_own_figures() {
    let inventory = inventory();
    let project = inventory
        .projects()
        .iter()
        .find(|p| p.stage == ProjectStage::Signed)
        .expect("a signed project in the fixtures");
    let plan = planned(json!({ "project_id": project.id.0 })).await;
    well_formed(&plan);
    assert_eq!(plan["project_id"].as_i64(), Some(project.id.0));
    assert_eq!(plan["industry"], project.industry.code());
    assert_eq!(plan["class"], project.required_class.code());
    assert_eq!(plan["fixed_asset_investment_wan"], json!(project.fixed_asset_investment.0));
    // The project's zone sets the land need.
    let zone = inventory.zone(project.zone.expect("a zone")).expect("the zone");
    let need = project.fixed_asset_investment.0 / zone.policy.intensity_min_wan_per_mu;
    assert!((number(&plan, "land_need_mu") - need).abs() < 0.001, "{plan}");
    assert!(plan["reason"].as_str().is_some_and(|r| r.contains(&zone.code)), "{}", plan["reason"]);
    land_is_allowed(&plan, &inventory, project.required_class);
    // Stated fields take precedence over the project's.
    let restated = planned(json!({ "project_id": project.id.0, "land_mu": 40 })).await;
    assert_eq!(restated["route"], "land");
    assert_eq!(restated["land_need_mu"], json!(40.0));
}

#[tokio::test]
async fn a_stated_need_with_a_zone_and_a_point_scores_them() {
    let plan = planned(json!({
        "industry": "seafood_processing", "class": "II", "fixed_asset_investment_wan": 15000, "employees": 200,
        "floor_area_m2": 20000, "power_kva": 800, "preferred_zone": "KHQ", "near": [108.0, 21.55], "land_mu": 60
    }))
    .await;
    well_formed(&plan);
    assert_eq!(plan["route"], "land");
    for c in candidates(&plan) {
        let criteria: Vec<&str> =
            c["breakdown"].as_array().expect("breakdown").iter().filter_map(|k| k["criterion"].as_str()).collect();
        assert!(criteria.contains(&"near") && criteria.contains(&"preferred_zone"), "{criteria:?}");
        let ratio = c["checks"].as_array().and_then(|k| k.iter().find(|k| k["name"] == "plot_ratio")).expect("ratio");
        assert!(ratio["detail"].as_str().is_some_and(|d| d.starts_with("20000 m² of floor area on")), "{ratio}");
    }
}

#[tokio::test]
async fn land_the_class_cannot_take_is_never_offered() {
    let inventory = inventory();
    for (industry, class) in [("metal", IndustrialClass::III), ("seafood_processing", IndustrialClass::III)] {
        let plan = planned(json!({
            "industry": industry, "class": class.code(), "fixed_asset_investment_wan": 20000, "land_mu": 20
        }))
        .await;
        well_formed(&plan);
        land_is_allowed(&plan, &inventory, class);
        kinds_keep_their_rules(&plan, &inventory);
    }
    // Class I fits any industrial land, so a class-I plan has at least the candidates a class-III one has.
    let wide =
        planned(json!({ "industry": "garment", "class": "I", "fixed_asset_investment_wan": 20000, "land_mu": 20 }))
            .await;
    assert!(!candidates(&wide).is_empty());
    land_is_allowed(&wide, &inventory, IndustrialClass::I);
    assert!(inventory.parcels().iter().any(|p| p.availability == Availability::Available));
}

#[tokio::test]
async fn bad_requests_are_problems_that_name_the_field() {
    let stated = |extra: Value| {
        let mut need = json!({ "industry": "seafood_processing", "fixed_asset_investment_wan": 15000 });
        if let (Some(need), Value::Object(extra)) = (need.as_object_mut(), extra) {
            need.extend(extra);
        }
        need
    };
    let detail = refused(stated(json!({ "land_mu": 0 })), StatusCode::BAD_REQUEST).await;
    assert!(detail.contains("`land_mu` must be a number greater than 0"), "{detail}");
    let detail = refused(stated(json!({ "floor_area_m2": -2000 })), StatusCode::BAD_REQUEST).await;
    assert!(detail.contains("`floor_area_m2`"), "{detail}");
    let detail = refused(stated(json!({ "fixed_asset_investment_wan": 0 })), StatusCode::BAD_REQUEST).await;
    assert!(detail.contains("`fixed_asset_investment_wan`"), "{detail}");
    let detail = refused(stated(json!({ "industry": "fish" })), StatusCode::BAD_REQUEST).await;
    assert!(detail.contains("`industry`") && detail.contains("seafood_processing, spice_herbal"), "{detail}");
    let detail = refused(stated(json!({ "class": "IV" })), StatusCode::BAD_REQUEST).await;
    assert!(detail.contains("`class`") && detail.contains("I, II, III"), "{detail}");
    let detail = refused(stated(json!({ "near": [108.0] })), StatusCode::BAD_REQUEST).await;
    assert!(detail.contains("`near`"), "{detail}");
    let detail = refused(stated(json!({ "colour": "blue" })), StatusCode::BAD_REQUEST).await;
    assert!(detail.contains("unknown field `colour`") && detail.contains("land_mu"), "{detail}");
    let detail = refused(json!({ "fixed_asset_investment_wan": 15000 }), StatusCode::BAD_REQUEST).await;
    assert!(detail.contains("`industry` is required"), "{detail}");
    let detail = refused(json!({ "industry": "garment" }), StatusCode::BAD_REQUEST).await;
    assert!(detail.contains("`fixed_asset_investment_wan` is required"), "{detail}");
    let detail = refused(json!({ "project_id": 99_999 }), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(detail.contains("`project_id`") && detail.contains("99999"), "{detail}");
    let detail = refused(stated(json!({ "preferred_zone": "XYZ" })), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(detail.contains("`preferred_zone`") && detail.contains("KHQ"), "{detail}");
    let answer = post_raw("text/plain", "{}".into()).await;
    assert_eq!(answer.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let answer = post_raw("application/json", "{\"industry\": ".into()).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.content_type, "application/problem+json");
}

#[tokio::test]
async fn the_openapi_document_describes_the_plan_endpoint() {
    let request = Request::get("/api").header(header::HOST, "landbank.test").body(Body::empty()).expect("request");
    let response = router(AppState::new(inventory())).oneshot(request).await.expect("the router answers");
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    let doc: Value = serde_json::from_slice(&bytes).expect("JSON");
    let post = &doc["paths"]["/allocation-plans"]["post"];
    assert_eq!(post["operationId"], "createAllocationPlan");
    let properties = &post["requestBody"]["content"]["application/json"]["schema"]["properties"];
    for field in ["project_id", "industry", "class", "fixed_asset_investment_wan", "land_mu", "min_load_kn_m2"] {
        assert!(properties[field].is_object(), "{field}");
    }
}

/// A read-only server that knows one planner token; plans for a project need it.
fn planner_state() -> AppState {
    let planner = ("planner".to_owned(), "a-planner-secret-long-enough".to_owned(), landbank_http::Role::Planner);
    AppState::new(inventory()).with_tokens(landbank_http::Tokens::configured([planner]))
}
