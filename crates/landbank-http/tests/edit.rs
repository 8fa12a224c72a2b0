//! Editing features (OGC API – Features Part 4) in-process, against a real store: a GeoPackage in a temporary
//! directory always, and a scratch PostGIS database when `LANDBANK_TEST_DATABASE_URL` is set.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use geozero::mvt::{Message, Tile};
use http_body_util::BodyExt;
use landbank_http::{AppState, Role, Tokens, router};
use landbank_inventory::Inventory;
use landbank_store::scratch::ScratchDatabase;
use landbank_store::{Location, Store};
use serde_json::{Value, json};
use tower::ServiceExt;

/// Method, path, `If-Match`, body, the status expected and words its detail must contain.
type Case<'a> = (&'a str, &'a str, Option<&'a str>, Value, StatusCode, &'a str);

const BEARER: &str = "Bearer an-editor-secret-long-enough";

struct Answer {
    status: StatusCode,
    etag: Option<String>,
    location: Option<String>,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    fn etag(&self) -> String {
        self.etag.clone().expect("an ETag")
    }

    fn detail(&self) -> String {
        self.json()["detail"].as_str().unwrap_or_default().to_owned()
    }
}

/// A server over the Dongxing fixtures and a store, and what keeps the store alive.
struct Park {
    state: AppState,
    store: Store,
    _dir: Option<tempfile::TempDir>,
    _db: Option<ScratchDatabase>,
}

async fn geopackage() -> Park {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let location = Location::GeoPackage(dir.path().join("landbank.gpkg"));
    park(location, Some(dir), None).await
}

async fn postgis() -> Option<Park> {
    let db = ScratchDatabase::from_env()?;
    let location = Location::PostGis(db.url().to_owned());
    Some(park(location, None, Some(db)).await)
}

async fn park(location: Location, dir: Option<tempfile::TempDir>, db: Option<ScratchDatabase>) -> Park {
    let store = Store::create(&location, landbank_gen::dongxing()).await.expect("the store is created");
    let inventory = Inventory::new(store.load().await.expect("the store loads")).expect("the fixtures assemble");
    let tokens = Tokens::configured([
        ("editor".to_owned(), "an-editor-secret-long-enough".to_owned(), Role::Admin),
        ("planner".to_owned(), "a-planner-secret-long-enough".to_owned(), Role::Planner),
    ]);
    let state = AppState::new(inventory).with_store(store.clone(), tokens);
    Park { state, store, _dir: dir, _db: db }
}

impl Park {
    async fn send(&self, method: &str, uri: &str, headers: &[(&str, &str)], body: Option<&Value>) -> Answer {
        let mut request = Request::builder().method(method).uri(uri).header(header::HOST, "landbank.test");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let body = match body {
            Some(v) => Body::from(v.to_string()),
            None => Body::empty(),
        };
        let response = router(self.state.clone()).oneshot(request.body(body).expect("request")).await.expect("answer");
        let text = |name| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let (status, etag, location) = (response.status(), text(header::ETAG), text(header::LOCATION));
        let body = response.into_body().collect().await.expect("body").to_bytes().to_vec();
        Answer { status, etag, location, body }
    }

    async fn get(&self, uri: &str) -> Answer {
        self.send("GET", uri, &[], None).await
    }

    /// A write with the token, a JSON body and `If-Match` when given.
    async fn write(&self, method: &str, uri: &str, if_match: Option<&str>, body: Option<&Value>) -> Answer {
        let mut headers = vec![("Authorization", BEARER), ("Content-Type", "application/geo+json")];
        if method == "PATCH" {
            headers[1] = ("Content-Type", "application/merge-patch+json");
        }
        if let Some(tag) = if_match {
            headers.push(("If-Match", tag));
        }
        self.send(method, uri, &headers, body).await
    }

    /// The first feature of a collection matching a query, with its `ETag`.
    async fn feature(&self, collection: &str, query: &str) -> (i64, Value, String) {
        let page = self.get(&format!("/collections/{collection}/items?{query}&limit=1")).await.json();
        let id = page["features"][0]["id"].as_i64().unwrap_or_else(|| panic!("a {collection} feature with {query}"));
        let answer = self.get(&format!("/collections/{collection}/items/{id}")).await;
        assert_eq!(answer.status, StatusCode::OK);
        let etag = answer.etag();
        (id, answer.json(), etag)
    }

    async fn reloaded(&self) -> Inventory {
        Inventory::new(self.store.load().await.expect("the store loads")).expect("the store's records assemble")
    }
}

async fn each_store(test: impl AsyncFn(Park)) {
    test(geopackage().await).await;
    if let Some(park) = postgis().await {
        test(park).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_patch_needs_the_current_etag_and_lands_in_the_store() {
    each_store(async |park| {
        let (id, _, etag) = park.feature("parcels", "availability=available").await;
        let uri = format!("/collections/parcels/items/{id}");
        let patch = json!({ "properties": { "price_wan_per_mu": 18.5 } });

        let missing = park.write("PATCH", &uri, None, Some(&patch)).await;
        assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED, "{}", missing.detail());

        let changed = park.write("PATCH", &uri, Some(&etag), Some(&patch)).await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.detail());
        assert_eq!(changed.json()["properties"]["price_wan_per_mu"], 18.5);
        let new_etag = changed.etag();
        assert_ne!(new_etag, etag);

        let stale =
            park.write("PATCH", &uri, Some(&etag), Some(&json!({ "properties": { "price_wan_per_mu": 1 } }))).await;
        assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED, "{}", stale.detail());
        assert!(stale.detail().contains(&new_etag.replace('"', "")), "{}", stale.detail());

        // The tag GET gives now names the same state as the one the write answered with.
        let read = park.get(&uri).await;
        assert!(read.etag().starts_with(&new_etag[..17]), "{} vs {new_etag}", read.etag());
        let again = park
            .write("PATCH", &uri, Some(&read.etag()), Some(&json!({ "properties": { "power_available_kva": 2500 } })))
            .await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.detail());

        let stored = park.reloaded().await;
        let parcel = stored.parcel(landbank_inventory::ParcelId(id)).expect("the parcel is stored");
        assert_eq!(parcel.price_wan_per_mu, Some(18.5));
        assert_eq!(parcel.power_available_kva, Some(2500));
        let history =
            park.send("GET", &format!("/parcels/{id}/history"), &[("Authorization", BEARER)], None).await.json();
        let kinds: Vec<&str> =
            history["events"].as_array().expect("events").iter().filter_map(|e| e["kind"].as_str()).collect();
        assert_eq!(kinds.iter().filter(|k| **k == "update").count(), 2, "{history}");
    })
    .await;
}

#[tokio::test]
async fn a_features_tag_survives_writes_to_other_features_and_answers_304() {
    let park = geopackage().await;
    let (id, _, etag) = park.feature("projects", "stage=signed").await;
    let (other, _, other_etag) = park.feature("buildings", "status=leasable").await;
    let written = park
        .write(
            "PATCH",
            &format!("/collections/buildings/items/{other}"),
            Some(&other_etag),
            Some(&json!({ "properties": { "operator": "东兴边合区投资公司" } })),
        )
        .await;
    assert_eq!(written.status, StatusCode::OK, "{}", written.detail());
    let uri = format!("/collections/projects/items/{id}");
    let not_modified = park.send("GET", &uri, &[("If-None-Match", &etag)], None).await;
    assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
    let unchanged = park.write("PATCH", &uri, Some(&etag), Some(&json!({ "properties": { "employees": 321 } }))).await;
    assert_eq!(unchanged.status, StatusCode::OK, "{}", unchanged.detail());
    let modified = park.send("GET", &uri, &[("If-None-Match", &etag)], None).await;
    assert_eq!(modified.status, StatusCode::OK);
    assert_eq!(modified.json()["properties"]["employees"], 321);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_gives_201_with_location_and_retire_keeps_the_record() {
    each_store(async |park| {
        let (id, feature, etag) = park.feature("parcels", "availability=available").await;
        let uri = format!("/collections/parcels/items/{id}");

        // Retire the parcel: it stays, as `retired`, and cannot retire twice.
        let retired = park.write("DELETE", &uri, Some(&etag), None).await;
        assert_eq!(retired.status, StatusCode::OK, "{}", retired.detail());
        assert_eq!(retired.json()["properties"]["availability"], "retired");
        let twice = park.write("DELETE", &uri, Some(&retired.etag()), None).await;
        assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.detail());
        assert_eq!(park.get(&uri).await.json()["properties"]["availability"], "retired");

        // A new parcel on the retired one's land, under a new plot number.
        let mut new = feature.clone();
        new.as_object_mut().expect("a feature").remove("links");
        new["properties"]["plot_no"] = json!("JP-99-01");
        new["properties"]["parcel_code"] = Value::Null;
        let created = park.write("POST", "/collections/parcels/items", None, Some(&new)).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.detail());
        let location = created.location.clone().expect("a Location");
        let new_id = created.json()["id"].as_i64().expect("an id");
        assert!(new_id > id);
        assert_eq!(location, format!("http://landbank.test/collections/parcels/items/{new_id}"));
        let read = park.get(location.trim_start_matches("http://landbank.test")).await;
        assert_eq!(read.json()["properties"]["plot_no"], "JP-99-01");
        assert!(read.etag().starts_with(&created.etag()[..17]));

        // The same land again overlaps the new, live parcel.
        new["properties"]["plot_no"] = json!("JP-99-02");
        let overlapping = park.write("POST", "/collections/parcels/items", None, Some(&new)).await;
        assert_eq!(overlapping.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", overlapping.detail());
        assert!(overlapping.detail().contains("overlap"), "{}", overlapping.detail());

        let stored = park.reloaded().await;
        assert_eq!(stored.parcel(landbank_inventory::ParcelId(new_id)).map(|p| p.plot_no.as_str()), Some("JP-99-01"));
        assert_eq!(
            stored.parcel(landbank_inventory::ParcelId(id)).map(|p| p.availability),
            Some(landbank_inventory::Availability::Retired)
        );
    })
    .await;
}

#[tokio::test]
async fn bad_features_and_forbidden_transitions_are_refused_and_change_nothing() {
    let park = geopackage().await;
    let (id, feature, etag) = park.feature("parcels", "availability=available").await;
    let uri = format!("/collections/parcels/items/{id}");
    let before = park.get(&uri).await.body;

    let mut bowtie = feature.clone();
    bowtie["properties"]["plot_no"] = json!("JP-99-09");
    let ring = bowtie["geometry"]["coordinates"][0].as_array().expect("a ring").clone();
    bowtie["geometry"]["coordinates"][0] = json!([ring[0], ring[2], ring[1], ring[3], ring[0]]);
    let mut huge = feature.clone();
    let around: Vec<Value> = (0..10_001)
        .map(|i| {
            let angle = f64::from(i) / 10_001.0 * std::f64::consts::TAU;
            // Four decimals keep the body under the 256 KiB limit, so the vertex limit is what answers.
            let round = |v: f64| (v * 1e4).round() / 1e4;
            json!([round(108.0 + 0.001 * angle.cos()), round(21.55 + 0.001 * angle.sin())])
        })
        .collect();
    huge["geometry"]["coordinates"] = json!([around]);
    let cases: Vec<Case<'_>> = vec![
        ("POST", "/collections/parcels/items", None, bowtie, StatusCode::UNPROCESSABLE_ENTITY, "invalid_geometry"),
        ("POST", "/collections/parcels/items", None, json!([1, 2]), StatusCode::BAD_REQUEST, "GeoJSON Feature"),
        (
            "POST",
            "/collections/parcels/items",
            None,
            json!({ "type": "Feature", "properties": {} }),
            StatusCode::BAD_REQUEST,
            "plot_no",
        ),
        ("POST", "/collections/zones/items", None, json!({}), StatusCode::METHOD_NOT_ALLOWED, "landbank import"),
        ("POST", "/collections/parcels/items", None, huge, StatusCode::BAD_REQUEST, "10001 positions"),
        ("PATCH", &uri, Some(&etag), json!({ "properties": { "area_m2": 5 } }), StatusCode::BAD_REQUEST, "computed"),
        (
            "PATCH",
            &uri,
            Some(&etag),
            json!({ "properties": { "availability": "held" } }),
            StatusCode::CONFLICT,
            "/reservations",
        ),
        (
            "PATCH",
            &uri,
            Some(&etag),
            json!({ "properties": { "availability": "retired" } }),
            StatusCode::CONFLICT,
            "DELETE",
        ),
        (
            "PATCH",
            &uri,
            Some(&etag),
            json!({ "properties": { "zone_id": 999 } }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "zone 999",
        ),
        ("PATCH", &uri, Some(&etag), json!({ "properties": { "colour": "red" } }), StatusCode::BAD_REQUEST, "colour"),
        ("PATCH", &uri, Some("W/\"weak\""), json!({ "properties": {} }), StatusCode::PRECONDITION_FAILED, "ETag"),
        ("PUT", "/collections/parcels/items/999999", Some("*"), feature.clone(), StatusCode::NOT_FOUND, "999999"),
        ("DELETE", "/collections/parcels/items/abc", Some("*"), json!(null), StatusCode::NOT_FOUND, "abc"),
    ];
    for (method, path, if_match, body, status, needle) in cases {
        let body = (!body.is_null()).then_some(body);
        let answer = park.write(method, path, if_match, body.as_ref()).await;
        assert_eq!(answer.status, status, "{method} {path}: {}", String::from_utf8_lossy(&answer.body));
        assert!(answer.detail().contains(needle), "{method} {path}: `{needle}` not in {}", answer.detail());
    }
    let anonymous = park.send("DELETE", &uri, &[("If-Match", &etag)], None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let wrong_type = park
        .send(
            "PUT",
            &uri,
            &[("Authorization", BEARER), ("If-Match", &etag), ("Content-Type", "text/plain")],
            Some(&feature),
        )
        .await;
    assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(park.get(&uri).await.body, before, "nothing changed");
    assert_eq!(
        park.reloaded().await.parcels().len(),
        Inventory::new(landbank_gen::dongxing()).unwrap().parcels().len()
    );
}

#[tokio::test]
async fn a_put_in_gauss_kruger_comes_back_to_the_same_outline() {
    let park = geopackage().await;
    let (id, original, _) = park.feature("parcels", "availability=available").await;
    let uri = format!("/collections/parcels/items/{id}");
    let projected = park.get(&format!("{uri}?crs=http://www.opengis.net/def/crs/EPSG/0/4545")).await;
    let etag = projected.etag();
    let mut feature = projected.json();
    feature["properties"]["holder"] = json!(null);
    feature["properties"]["price_wan_per_mu"] = json!(21.0);
    let answer = park
        .send(
            "PUT",
            &uri,
            &[
                ("Authorization", BEARER),
                ("If-Match", &etag),
                ("Content-Type", "application/geo+json"),
                ("Content-Crs", "<http://www.opengis.net/def/crs/EPSG/0/4545>"),
            ],
            Some(&feature),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.detail());
    let after = answer.json();
    assert_eq!(after["properties"]["price_wan_per_mu"], 21.0);
    let positions = |f: &Value| -> Vec<f64> {
        f["geometry"]["coordinates"][0]
            .as_array()
            .expect("a ring")
            .iter()
            .flat_map(|p| [p[0].as_f64().unwrap(), p[1].as_f64().unwrap()])
            .collect()
    };
    for (a, b) in positions(&original).iter().zip(positions(&after)) {
        assert!((a - b).abs() < 2e-7, "{a} vs {b}: more than 2 cm apart");
    }
    let bad_crs = park
        .send(
            "PUT",
            &uri,
            &[
                ("Authorization", BEARER),
                ("If-Match", "*"),
                ("Content-Type", "application/json"),
                ("Content-Crs", "EPSG:9999"),
            ],
            Some(&feature),
        )
        .await;
    assert_eq!(bad_crs.status, StatusCode::BAD_REQUEST, "{}", bad_crs.detail());
}

#[tokio::test]
async fn units_buildings_and_projects_retire_only_when_nothing_depends_on_them() {
    let park = geopackage().await;
    let (building, _, etag) = park.feature("buildings", "status=leasable").await;
    let uri = format!("/collections/buildings/items/{building}");
    let refused = park.write("DELETE", &uri, Some(&etag), None).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.detail());
    assert!(refused.detail().contains("unit"), "{}", refused.detail());

    let (unit, _, unit_etag) = park.feature("units", "status=leased").await;
    let leased = park.write("DELETE", &format!("/collections/units/items/{unit}"), Some(&unit_etag), None).await;
    assert_eq!(leased.status, StatusCode::CONFLICT, "{}", leased.detail());

    let (unit, _, unit_etag) = park.feature("units", "status=vacant").await;
    let retired = park.write("DELETE", &format!("/collections/units/items/{unit}"), Some(&unit_etag), None).await;
    assert_eq!(retired.status, StatusCode::OK, "{}", retired.detail());
    assert_eq!(retired.json()["properties"]["status"], "retired");

    let stats_before = park.get("/stats").await.json();
    let (project, _, project_etag) = park.feature("projects", "stage=signed").await;
    let cancelled =
        park.write("DELETE", &format!("/collections/projects/items/{project}"), Some(&project_etag), None).await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.detail());
    assert_eq!(cancelled.json()["properties"]["stage"], "cancelled");
    let stats_after = park.get("/stats").await.json();
    let count = |s: &Value| s["park"]["projects"]["count"].as_u64().unwrap_or_else(|| panic!("a project count in {s}"));
    assert_eq!(count(&stats_after), count(&stats_before) - 1);
}

#[tokio::test]
async fn a_tile_changes_after_a_write() {
    let park = geopackage().await;
    let (id, feature, etag) = park.feature("parcels", "availability=available").await;
    let first = &feature["geometry"]["coordinates"][0][0];
    let (lon, lat) = (first[0].as_f64().unwrap(), first[1].as_f64().unwrap());
    let z = 15u32;
    let n = f64::from(1u32 << z);
    let x = ((lon + 180.0) / 360.0 * n).floor();
    let y = ((1.0 - lat.to_radians().tan().asinh() / std::f64::consts::PI) / 2.0 * n).floor();
    let tile_uri = format!("/collections/parcels/tiles/WebMercatorQuad/{z}/{y}/{x}");
    let availability = |bytes: &[u8]| -> String {
        let tile = Tile::decode(bytes).expect("a vector tile");
        let layer = tile.layers.iter().find(|l| l.name == "parcels").expect("a parcels layer");
        let feature = layer.features.iter().find(|f| f.id == Some(id as u64)).expect("the parcel is in its tile");
        let key = layer.keys.iter().position(|k| k == "availability").expect("an availability key") as u32;
        let value = feature.tags.chunks(2).find(|t| t[0] == key).expect("the parcel's availability")[1];
        layer.values[value as usize].string_value.clone().expect("a string")
    };
    let before = park.get(&tile_uri).await;
    assert_eq!(before.status, StatusCode::OK);
    assert_eq!(availability(&before.body), "available");
    let written = park
        .write(
            "PATCH",
            &format!("/collections/parcels/items/{id}"),
            Some(&etag),
            Some(&json!({ "properties": { "availability": "reserve" } })),
        )
        .await;
    assert_eq!(written.status, StatusCode::OK, "{}", written.detail());
    let after = park.get(&tile_uri).await;
    assert_ne!(after.etag, before.etag);
    assert_eq!(availability(&after.body), "reserve");
}

/// The body of an anonymous `GET` on a server over `inventory` that keeps no encoded features.
async fn written_afresh(inventory: Inventory, uri: &str) -> Vec<u8> {
    let state = AppState::new(inventory).with_feature_cache(0);
    let request = Request::get(uri).header(header::HOST, "landbank.test").body(Body::empty()).expect("request");
    let response = router(state).oneshot(request).await.expect("answer");
    assert_eq!(response.status(), StatusCode::OK);
    response.into_body().collect().await.expect("body").to_bytes().to_vec()
}

#[tokio::test]
async fn pages_from_the_feature_cache_are_the_pages_written_afresh_before_and_after_a_write() {
    let park = geopackage().await;
    let uri = "/collections/parcels/items?limit=300";
    let first = park.get(uri).await;
    let again = park.get(uri).await;
    let afresh = written_afresh(park.reloaded().await, uri).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body == afresh && again.body == afresh, "a page from the cache differs from one written afresh");

    let (id, _, etag) = park.feature("parcels", "availability=available").await;
    let patch = json!({ "properties": { "price_wan_per_mu": 21.25 } });
    let written = park.write("PATCH", &format!("/collections/parcels/items/{id}"), Some(&etag), Some(&patch)).await;
    assert_eq!(written.status, StatusCode::OK, "{}", written.detail());
    let after = park.get(uri).await;
    let page = after.json();
    let feature = page["features"].as_array().unwrap().iter().find(|f| f["id"] == id).expect("the parcel is listed");
    assert_eq!(feature["properties"]["price_wan_per_mu"], 21.25);
    assert_eq!(after.body, written_afresh(park.reloaded().await, uri).await);
}

#[tokio::test]
async fn planners_edit_projects_admins_edit_the_inventory_and_tokens() {
    let park = geopackage().await;
    let planner = "Bearer a-planner-secret-long-enough";
    let as_planner = |method: &'static str, uri: String, tag: String, body: Value| {
        let park = &park;
        async move {
            let headers =
                [("Authorization", planner), ("If-Match", tag.as_str()), ("Content-Type", "application/json")];
            park.send(method, &uri, &headers, Some(&body)).await
        }
    };
    let (parcel, _, tag) = park.feature("parcels", "availability=available").await;
    let refused =
        as_planner("PATCH", format!("/collections/parcels/items/{parcel}"), tag, json!({ "properties": {} })).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.detail());
    assert!(refused.detail().contains("admin"), "{}", refused.detail());
    let (project, _, tag) = park.feature("projects", "stage=signed").await;
    let allowed = as_planner(
        "PATCH",
        format!("/collections/projects/items/{project}"),
        tag,
        json!({ "properties": { "employees": 12 } }),
    )
    .await;
    assert_eq!(allowed.status, StatusCode::OK, "{}", allowed.detail());
    let no_tokens = park.send("GET", "/tokens", &[("Authorization", planner)], None).await;
    assert_eq!(no_tokens.status, StatusCode::FORBIDDEN);

    // An admin makes a token; its secret works at once, and stops working when revoked.
    let admin = [("Authorization", BEARER), ("Content-Type", "application/json")];
    let created =
        park.send("POST", "/tokens", &admin, Some(&json!({ "name": "zoning-office", "role": "planner" }))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&created.body));
    let secret = created.json()["secret"].as_str().expect("the secret, once").to_owned();
    let again = park.send("POST", "/tokens", &admin, Some(&json!({ "name": "zoning-office", "role": "admin" }))).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let listed = park.send("GET", "/tokens", &admin, None).await.json();
    assert_eq!(listed["tokens"][0]["name"], "zoning-office");
    assert!(listed["tokens"][0].get("secret").is_none() && !listed.to_string().contains(&secret));
    let stored = park.store.tokens().await.expect("tokens");
    assert_eq!(stored[0].secret_sha256, landbank_http::secret_digest(&secret), "only the digest is stored");

    let bearer = format!("Bearer {secret}");
    let (project, _, tag) = park.feature("projects", "stage=signed").await;
    let uri = format!("/collections/projects/items/{project}");
    let with_new =
        [("Authorization", bearer.as_str()), ("If-Match", tag.as_str()), ("Content-Type", "application/json")];
    let used = park.send("PATCH", &uri, &with_new, Some(&json!({ "properties": { "employees": 13 } }))).await;
    assert_eq!(used.status, StatusCode::OK, "{}", used.detail());
    let history = park.get(&format!("/collections/projects/items/{project}")).await.json();
    assert_eq!(history["properties"]["employees"], 13);

    let revoked = park.send("DELETE", "/tokens/zoning-office", &admin, None).await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", String::from_utf8_lossy(&revoked.body));
    let refused = park.send("PATCH", &uri, &with_new, Some(&json!({ "properties": { "employees": 14 } }))).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(park.send("DELETE", "/tokens/zoning-office", &admin, None).await.status, StatusCode::NOT_FOUND);
}
