//! `/availability/land` and `/availability/space`: free parcels and factory space for an investor's need, ranked
//! with reasons, as GeoJSON.
//!
//! The handlers only read and check parameters and write the answer; the search and the scores are
//! [`landbank_inventory::search_land`] and [`landbank_inventory::search_space`].

use std::io::{self, Write as _};
use std::str::FromStr;

use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use geo::Point;
use landbank_geojson::{GeometryRef, RecordRef, write_feature, write_geometry};
use landbank_inventory::{
    BuildingVacancy, Date, FireClass, IndustrialClass, Industry, Inventory, LandMatch, LandQuery, Meters, Mu, PoiKind,
    Reason, SpaceOffer, SpaceQuery, SquareMeters, SupplyMethod, UnknownCode, ZoneId, search_land_best, search_space,
};
use serde_json::{Value, json};

use crate::AppState;
use crate::coordsys::{self, CoordSys, coordsys_parameter};
use crate::error::ApiError;
use crate::link::{Base, GEOJSON, Link};
use crate::query::{self, Params};

/// The parameters `/availability/land` accepts.
pub const LAND_PARAMETERS: [&str; 15] = [
    "zone",
    "min_area_mu",
    "max_area_mu",
    "min_area_m2",
    "max_area_m2",
    "class",
    "industry",
    "supply_method",
    "max_price_wan_per_mu",
    "near",
    "radius_m",
    "max_distance",
    "available_on",
    "limit",
    "coordsys",
];

/// The parameters `/availability/space` accepts.
pub const SPACE_PARAMETERS: [&str; 16] = [
    "min_area_m2",
    "max_area_m2",
    "combine",
    "ground_floor",
    "max_floor",
    "min_height_m",
    "min_load_kn_m2",
    "min_lift_t",
    "min_power_kva",
    "max_rent",
    "available_on",
    "zone",
    "fire_class",
    "max_distance",
    "limit",
    "coordsys",
];

fn round(v: f64, decimals: i32) -> f64 {
    let k = 10_f64.powi(decimals);
    (v * k).round() / k
}

/// A finite number ≥ 0.
fn quantity(params: &Params, name: &str, unit: &str) -> Result<Option<f64>, ApiError> {
    let Some(raw) = params.get(name) else { return Ok(None) };
    match raw.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(Some(v)),
        _ => Err(ApiError::invalid(name, format!("`{raw}` is not a number ≥ 0 ({unit})"))),
    }
}

fn boolean(params: &Params, name: &str) -> Result<bool, ApiError> {
    match params.get(name) {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(raw) => Err(ApiError::invalid(name, format!("`{raw}` is not true or false"))),
    }
}

fn integer<T: TryFrom<u64>>(params: &Params, name: &str, min: u64, max: u64) -> Result<Option<T>, ApiError> {
    let Some(raw) = params.get(name) else { return Ok(None) };
    raw.trim()
        .parse::<u64>()
        .ok()
        .filter(|v| (min..=max).contains(v))
        .and_then(|v| T::try_from(v).ok())
        .map(Some)
        .ok_or_else(|| ApiError::invalid(name, format!("`{raw}` is not a whole number from {min} to {max}")))
}

/// One coded value, e.g. `class=II`; an unknown code lists the known ones.
fn code<T: FromStr<Err = UnknownCode>>(params: &Params, name: &str) -> Result<Option<T>, ApiError> {
    params.get(name).map(|raw| raw.trim().parse::<T>().map_err(|e| ApiError::invalid(name, e.to_string()))).transpose()
}

/// A comma-separated list of coded values, e.g. `fire_class=bing,ding`.
fn codes<T: FromStr<Err = UnknownCode>>(params: &Params, name: &str) -> Result<Vec<T>, ApiError> {
    let Some(raw) = params.get(name) else { return Ok(Vec::new()) };
    raw.split(',').map(|c| c.trim().parse::<T>().map_err(|e| ApiError::invalid(name, e.to_string()))).collect()
}

/// `zone=KHQ,JP`: zone codes of the inventory.
fn zones(params: &Params, inventory: &Inventory) -> Result<Vec<ZoneId>, ApiError> {
    let Some(raw) = params.get("zone") else { return Ok(Vec::new()) };
    raw.split(',')
        .map(|code| {
            inventory.zone_by_code(code.trim()).map(|z| z.id).ok_or_else(|| {
                let known: Vec<&str> = inventory.zones().iter().map(|z| z.code.as_str()).collect();
                ApiError::invalid("zone", format!("unknown zone `{code}`; expected one of: {}", known.join(", ")))
            })
        })
        .collect()
}

/// `available_on=YYYY-MM-DD`, by default today (UTC).
fn available_on(params: &Params) -> Result<Date, ApiError> {
    match params.get("available_on") {
        None => Ok(jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date()),
        Some(raw) => raw
            .trim()
            .parse::<Date>()
            .map_err(|_| ApiError::invalid("available_on", format!("`{raw}` is not a date (YYYY-MM-DD)"))),
    }
}

/// `max_distance=bridge_freight:5000,road:1000`: the most metres to the nearest point of interest of each kind.
fn max_distances(params: &Params) -> Result<Vec<(PoiKind, Meters)>, ApiError> {
    let Some(raw) = params.get("max_distance") else { return Ok(Vec::new()) };
    let kinds: Vec<&str> = PoiKind::ALL.iter().map(|k| k.code()).collect();
    let expected =
        format!("a list of kind:metres, e.g. bridge_freight:5000,road:1000, with kinds {}", kinds.join(", "));
    let mut limits: Vec<(PoiKind, Meters)> = Vec::new();
    for item in raw.split(',') {
        let Some((kind, metres)) = item.split_once(':') else {
            return Err(ApiError::invalid("max_distance", format!("`{item}` is not kind:metres; expected {expected}")));
        };
        let kind: PoiKind =
            kind.trim().parse().map_err(|e: UnknownCode| ApiError::invalid("max_distance", e.to_string()))?;
        let metres =
            metres.trim().parse::<f64>().ok().filter(|m| m.is_finite() && *m >= 0.0).ok_or_else(|| {
                ApiError::invalid("max_distance", format!("`{metres}` is not a distance ≥ 0 in metres"))
            })?;
        if limits.iter().any(|(k, _)| *k == kind) {
            return Err(ApiError::invalid("max_distance", format!("`{kind}` is given more than once")));
        }
        limits.push((kind, Meters(metres)));
    }
    Ok(limits)
}

/// An area range from `min_<unit>`/`max_<unit>` in m² or mu; one of the two units per bound, min ≤ max.
fn area_range(params: &Params, with_mu: bool) -> Result<(Option<SquareMeters>, Option<SquareMeters>), ApiError> {
    let mut bounds = [None, None];
    for (slot, bound) in ["min", "max"].into_iter().enumerate() {
        let m2_name = format!("{bound}_area_m2");
        let mu_name = format!("{bound}_area_mu");
        let m2 = quantity(params, &m2_name, "m²")?.map(|v| (m2_name.clone(), SquareMeters(v)));
        let mu = if with_mu {
            quantity(params, &mu_name, "mu")?.map(|v| (mu_name.clone(), Mu(v).to_square_meters()))
        } else {
            None
        };
        bounds[slot] = match (m2, mu) {
            (Some(_), Some(_)) => {
                return Err(ApiError::invalid(&mu_name, format!("give `{mu_name}` or `{m2_name}`, not both")));
            }
            (one, other) => one.or(other),
        };
    }
    let [min, max] = bounds;
    if let (Some((min_name, min)), Some((max_name, max))) = (&min, &max)
        && min.0 > max.0
    {
        return Err(ApiError::invalid(
            min_name,
            format!(
                "`{min_name}` ({:.0} m²) is more than `{max_name}` ({:.0} m²); the minimum must not exceed the maximum",
                min.0, max.0
            ),
        ));
    }
    Ok((min.map(|(_, a)| a), max.map(|(_, a)| a)))
}

/// `near=lon,lat` with `radius_m`: both or neither.
fn near(params: &Params) -> Result<Option<(Point, Meters)>, ApiError> {
    let radius = params.get("radius_m").map(|raw| {
        raw.trim()
            .parse::<f64>()
            .ok()
            .filter(|r| r.is_finite() && *r >= 0.0)
            .ok_or_else(|| ApiError::invalid("radius_m", format!("`{raw}` is not a distance ≥ 0 in metres")))
    });
    let Some(raw) = params.get("near") else {
        return match radius {
            Some(_) => Err(ApiError::invalid("radius_m", "needs `near=lon,lat`, the point to measure from")),
            None => Ok(None),
        };
    };
    let numbers: Option<Vec<f64>> = raw.split(',').map(|n| n.trim().parse::<f64>().ok()).collect();
    let point = match numbers.as_deref() {
        Some(&[lon, lat]) if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) => Point::new(lon, lat),
        _ => {
            return Err(ApiError::invalid(
                "near",
                format!("`{raw}` is not lon,lat in CRS84 degrees (longitude -180..180, latitude -90..90)"),
            ));
        }
    };
    let Some(radius) = radius else {
        return Err(ApiError::invalid("near", "needs `radius_m`, the distance in metres around the point"));
    };
    Ok(Some((point, Meters(radius?))))
}

/// The land query a request asks for.
pub fn land_query(params: &Params, inventory: &Inventory) -> Result<LandQuery, ApiError> {
    let (min_area, max_area) = area_range(params, true)?;
    let supply_methods: Vec<SupplyMethod> = codes(params, "supply_method")?;
    if supply_methods.contains(&SupplyMethod::Allocation) {
        let offered: Vec<&str> =
            SupplyMethod::ALL.iter().filter(|m| **m != SupplyMethod::Allocation).map(|m| m.code()).collect();
        return Err(ApiError::invalid(
            "supply_method",
            format!("allocation (划拨) is not offered to investors; expected one of: {}", offered.join(", ")),
        ));
    }
    Ok(LandQuery {
        zones: zones(params, inventory)?,
        min_area,
        max_area,
        project_class: code::<IndustrialClass>(params, "class")?,
        industry: code::<Industry>(params, "industry")?,
        supply_methods,
        max_price_wan_per_mu: quantity(params, "max_price_wan_per_mu", "万元 per mu")?,
        near: near(params)?,
        near_poi: max_distances(params)?,
        available_on: available_on(params)?,
    })
}

/// The space query a request asks for.
pub fn space_query(params: &Params, inventory: &Inventory) -> Result<SpaceQuery, ApiError> {
    let (min_area, max_area) = area_range(params, false)?;
    let ground_floor_only = boolean(params, "ground_floor")?;
    let max_floor = integer::<u8>(params, "max_floor", 1, u64::from(u8::MAX))?;
    Ok(SpaceQuery {
        min_area,
        max_area,
        combine_adjacent: boolean(params, "combine")?,
        ground_floor_only,
        max_floor,
        min_height_m: quantity(params, "min_height_m", "metres")?,
        min_load_kn_m2: quantity(params, "min_load_kn_m2", "kN/m²")?,
        min_lift_t: quantity(params, "min_lift_t", "tonnes")?,
        min_power_kva: integer::<u32>(params, "min_power_kva", 0, u64::from(u32::MAX))?,
        max_rent_yuan_m2_month: quantity(params, "max_rent", "元 per m² per month")?,
        available_on: available_on(params)?,
        zones: zones(params, inventory)?,
        fire_classes: codes::<FireClass>(params, "fire_class")?,
        near_poi: max_distances(params)?,
    })
}

fn reasons_json(reasons: &[Reason]) -> Value {
    Value::Array(
        reasons
            .iter()
            .map(|r| json!({ "code": r.code.code(), "text": r.text, "points": round(r.points, 2) }))
            .collect(),
    )
}

fn distances_json(distances: &[(PoiKind, Meters)]) -> Value {
    Value::Object(distances.iter().map(|(k, d)| (k.code().to_owned(), json!(round(d.0, 0)))).collect())
}

/// Appends members to an object the buffer ends with: `…}` (or `…}}` when `depth` is 2, the properties of a
/// feature), keeping their order.
fn append_members(out: &mut Vec<u8>, depth: usize, members: &[(&str, Value)]) -> io::Result<()> {
    let closing = &b"}}"[..depth];
    if !out.ends_with(closing) {
        return Err(io::Error::other("the written object does not end as expected"));
    }
    out.truncate(out.len() - depth);
    for (name, value) in members {
        if !out.ends_with(b"{") {
            out.push(b',');
        }
        serde_json::to_writer(&mut *out, name)?;
        out.push(b':');
        serde_json::to_writer(&mut *out, value)?;
    }
    out.extend_from_slice(closing);
    Ok(())
}

fn collection_head(out: &mut Vec<u8>, matched: usize, returned: usize, on: Date, links: &[Link]) -> io::Result<()> {
    write!(out, "{{\"type\":\"FeatureCollection\",\"numberMatched\":{matched},\"numberReturned\":{returned}")?;
    write!(out, ",\"available_on\":\"{on}\",\"links\":")?;
    serde_json::to_writer(&mut *out, links)?;
    Ok(())
}

fn land_collection(
    inventory: &Inventory,
    query: &LandQuery,
    matched: usize,
    page: &[LandMatch<'_>],
    links: &[Link],
    coordsys: CoordSys,
) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(512 + page.len() * 2_400);
    collection_head(&mut out, matched, page.len(), query.available_on, links)?;
    out.extend_from_slice(b",\"features\":[");
    for (i, m) in page.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let record = RecordRef::Parcel(m.parcel);
        let mut feature = Vec::with_capacity(2_048);
        // Investors search here: the answer carries public fields only, whoever asks.
        write_feature(
            &mut feature,
            inventory,
            record,
            Some(crate::auth::public_names(landbank_inventory::Layer::Parcels)),
        )?;
        out.extend_from_slice(&coordsys::feature_in(coordsys, inventory, record, feature));
        let mut members = vec![
            ("rank", json!(i + 1)),
            ("score", json!(round(m.score, 2))),
            ("reasons", reasons_json(&m.reasons)),
            ("distances_m", distances_json(&m.distances)),
        ];
        if let Some(d) = m.distance_to_point {
            members.push(("distance_to_point_m", json!(round(d.0, 0))));
        }
        append_members(&mut out, 2, &members)?;
    }
    out.extend_from_slice(b"]}");
    Ok(out)
}

fn offer_feature(
    out: &mut Vec<u8>,
    inventory: &Inventory,
    rank: usize,
    offer: &SpaceOffer<'_>,
    coordsys: CoordSys,
) -> io::Result<()> {
    let ids: Vec<i64> = offer.units.iter().map(|u| u.id.0).collect();
    let id = ids.iter().map(i64::to_string).collect::<Vec<_>>().join("+");
    out.extend_from_slice(b"{\"type\":\"Feature\",\"id\":");
    serde_json::to_writer(&mut *out, &id)?;
    out.extend_from_slice(b",\"geometry\":");
    let mut geometry = Vec::with_capacity(512);
    write_geometry(&mut geometry, GeometryRef::Other(&offer.outline()))?;
    let vietnamese = coordsys::in_vietnam(inventory, RecordRef::Building(offer.building));
    if coordsys == CoordSys::Gcj02 && !vietnamese {
        let mut value: Value = serde_json::from_slice(&geometry)?;
        coordsys::shift_geometry(&mut value);
        serde_json::to_writer(&mut *out, &value)?;
    } else {
        out.extend_from_slice(&geometry);
    }
    out.extend_from_slice(b",\"properties\":{}}");
    let building = offer.building;
    let specs = &offer.specs;
    append_members(
        out,
        2,
        &[
            ("rank", json!(rank)),
            ("score", json!(round(offer.score, 2))),
            ("unit_ids", json!(ids)),
            ("labels", json!(offer.units.iter().map(|u| u.label.as_str()).collect::<Vec<_>>())),
            ("unit_count", json!(offer.units.len())),
            ("combined", json!(offer.is_combined())),
            ("has_outline", json!(offer.units.iter().all(|u| u.outline.is_some()))),
            ("building_id", json!(building.id.0)),
            ("building_no", json!(building.building_no)),
            ("building_name", json!(building.name)),
            ("zone", json!(inventory.zone(building.zone).map(|z| z.code.as_str()))),
            ("floor", json!(offer.floor)),
            ("total_area_m2", json!(round(offer.total_area.0, 2))),
            ("rent_yuan_m2_month", json!(round(offer.rent_yuan_m2_month, 2))),
            ("rent_yuan_month", json!(round(offer.rent_yuan_month, 2))),
            ("height_m", json!(specs.height_m)),
            ("load_kn_m2", json!(specs.load_kn_m2)),
            ("power_kva", json!(specs.power_kva)),
            ("lift_t", json!(specs.lift_t)),
            ("structure", json!(building.structure.code())),
            ("fire_class", json!(building.fire_class.code())),
            ("available_from", json!(offer.available_from.map(|d| d.to_string()))),
            ("reasons", reasons_json(&offer.reasons)),
            ("distances_m", distances_json(&offer.distances)),
        ],
    )
}

fn vacancy_json(inventory: &Inventory, vacancy: &[BuildingVacancy<'_>]) -> Value {
    Value::Array(
        vacancy
            .iter()
            .map(|v| {
                let b = v.building;
                let gfa = b.gross_floor_area.0;
                json!({
                    "building_id": b.id.0,
                    "building_no": b.building_no,
                    "zone": inventory.zone(b.zone).map(|z| z.code.as_str()),
                    "gross_floor_area_m2": round(gfa, 2),
                    "vacant_area_m2": round(v.vacant_area.0, 2),
                    "vacant_units": v.vacant_units,
                    "vacancy_rate": (gfa > 0.0).then(|| round(v.vacant_area.0 / gfa, 4)),
                })
            })
            .collect(),
    )
}

fn self_link(base: &Base, path: &str, params: &Params) -> Link {
    let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(params.iter()).finish();
    let href = if query.is_empty() { format!("{}{path}", base.0) } else { format!("{}{path}?{query}", base.0) };
    Link::new(href, "self", GEOJSON, "This answer")
}

fn geojson(body: io::Result<Vec<u8>>) -> Result<Response, ApiError> {
    let body = body.map_err(|e| ApiError::Internal(format!("writing the availability answer: {e}")))?;
    Ok(([(header::CONTENT_TYPE, GEOJSON)], body).into_response())
}

/// `GET /availability/land`: available parcels for a need, ranked.
pub async fn get_land_availability(
    State(state): State<AppState>,
    base: Base,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    params.only(&LAND_PARAMETERS)?;
    let snapshot = state.snapshot();
    let inventory = &snapshot.inventory;
    let query = land_query(&params, inventory)?;
    let limit = query::limit(&params)?;
    let coordsys = CoordSys::parse(&params)?;
    let (matched, best) = search_land_best(inventory, &query, limit);
    let links = [self_link(&base, "/availability/land", &params)];
    geojson(land_collection(inventory, &query, matched, &best, &links, coordsys))
}

/// `GET /availability/space`: free factory units (single or adjacent ones combined) for a need, ranked, with the
/// vacant space of each building.
pub async fn get_space_availability(
    State(state): State<AppState>,
    base: Base,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    params.only(&SPACE_PARAMETERS)?;
    let snapshot = state.snapshot();
    let inventory = &snapshot.inventory;
    let query = space_query(&params, inventory)?;
    let limit = query::limit(&params)?;
    let answer = search_space(inventory, &query);
    let coordsys = CoordSys::parse(&params)?;
    let links = [self_link(&base, "/availability/space", &params)];
    let body = (|| {
        let page = &answer.offers[..answer.offers.len().min(limit)];
        let mut out = Vec::with_capacity(1_024 + page.len() * 2_000);
        collection_head(&mut out, answer.offers.len(), page.len(), query.available_on, &links)?;
        out.extend_from_slice(b",\"vacancy\":");
        serde_json::to_writer(&mut out, &vacancy_json(inventory, &answer.vacancy))?;
        out.extend_from_slice(b",\"features\":[");
        for (i, offer) in page.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            offer_feature(&mut out, inventory, i + 1, offer, coordsys)?;
        }
        out.extend_from_slice(b"]}");
        Ok(out)
    })();
    geojson(body)
}

fn parameter(name: &str, description: &str, schema: &Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "style": "form", "explode": false,
            "description": description, "schema": schema })
}

fn code_list(values: &[&str]) -> Value {
    json!({ "type": "string", "description": format!("One of {}, or several separated by commas.", values.join(", ")) })
}

fn operation(id: &str, summary: &str, description: &str, parameters: &[Value]) -> Value {
    json!({ "get": { "operationId": id, "summary": summary, "description": description, "tags": ["Availability"],
        "parameters": parameters,
        "responses": {
            "200": { "description": "A FeatureCollection, best first, with `numberMatched` and `numberReturned`",
                     "content": { GEOJSON: { "schema": { "type": "object" } } } },
            "400": { "$ref": "#/components/responses/Problem" },
        } } })
}

/// The OpenAPI 3.0 path items of `/availability/land` and `/availability/space`, one parameter per entry of
/// [`LAND_PARAMETERS`] and [`SPACE_PARAMETERS`].
pub fn openapi_paths() -> [(String, Value); 2] {
    let number = |unit: &str| json!({ "type": "number", "minimum": 0, "description": unit });
    let kinds: Vec<&str> = PoiKind::ALL.iter().map(|k| k.code()).collect();
    let max_distance = parameter(
        "max_distance",
        "Most metres to the nearest point of interest of each kind, as kind:metres pairs, e.g. `bridge_freight:5000,road:1000`.",
        &json!({ "type": "string", "description": format!("Kinds: {}.", kinds.join(", ")) }),
    );
    let available_on = parameter(
        "available_on",
        "The day the space must be free; default today (UTC).",
        &json!({ "type": "string", "format": "date" }),
    );
    let zone = parameter("zone", "Zone codes, comma-separated (e.g. `KHQ,JP`).", &json!({ "type": "string" }));
    let limit = parameter(
        "limit",
        &format!("Answers returned; values above {} are clamped.", query::MAX_LIMIT),
        &json!({ "type": "integer", "minimum": 1, "maximum": query::MAX_LIMIT, "default": query::DEFAULT_LIMIT }),
    );
    let classes: Vec<&str> = IndustrialClass::ALL.iter().map(|c| c.code()).collect();
    let industries: Vec<&str> = Industry::ALL.iter().map(|i| i.code()).collect();
    let methods: Vec<&str> =
        SupplyMethod::ALL.iter().filter(|m| **m != SupplyMethod::Allocation).map(|m| m.code()).collect();
    let fire_classes: Vec<&str> = FireClass::ALL.iter().map(|c| c.code()).collect();
    let land = vec![
        zone.clone(),
        parameter("min_area_mu", "Registered area at least this, mu.", &number("mu")),
        parameter("max_area_mu", "Registered area at most this, mu.", &number("mu")),
        parameter("min_area_m2", "Registered area at least this, m² (instead of `min_area_mu`).", &number("m²")),
        parameter("max_area_m2", "Registered area at most this, m² (instead of `max_area_mu`).", &number("m²")),
        parameter(
            "class",
            "The project's industrial class: I fits I/II/III land, II fits II/III, III only III.",
            &json!({ "type": "string", "enum": classes }),
        ),
        parameter(
            "industry",
            "The project's industry: zones leading in it rank higher; gives the class when `class` is absent.",
            &json!({ "type": "string", "enum": industries }),
        ),
        parameter(
            "supply_method",
            "Supply methods wanted (land whose method is not yet fixed matches any); allocation (划拨) is refused.",
            &code_list(&methods),
        ),
        parameter("max_price_wan_per_mu", "Listing price at most this, 万元 per mu.", &number("万元 per mu")),
        parameter("near", "A point lon,lat (CRS84); needs `radius_m`.", &json!({ "type": "string" })),
        parameter("radius_m", "Only land within this many metres of `near`.", &number("metres")),
        max_distance.clone(),
        available_on.clone(),
        limit.clone(),
        coordsys_parameter(),
    ];
    let space = vec![
        parameter("min_area_m2", "Total area of an offer at least this, m².", &number("m²")),
        parameter("max_area_m2", "Total area of an offer at most this, m².", &number("m²")),
        parameter(
            "combine",
            "Also offer up to 4 adjacent units on one floor of one building, combined to reach `min_area_m2`.",
            &json!({ "type": "boolean", "default": false }),
        ),
        parameter("ground_floor", "Only ground-floor units.", &json!({ "type": "boolean", "default": false })),
        parameter("max_floor", "Only units on this floor or below.", &json!({ "type": "integer", "minimum": 1 })),
        parameter("min_height_m", "Storey height at least this, metres.", &number("metres")),
        parameter("min_load_kn_m2", "Floor load at least this, kN/m².", &number("kN/m²")),
        parameter("min_lift_t", "A freight lift of at least this many tonnes (ground floors need none).", &number("t")),
        parameter(
            "min_power_kva",
            "Power of the whole offer at least this, kVA.",
            &json!({ "type": "integer", "minimum": 0 }),
        ),
        parameter("max_rent", "Rent of every unit at most this, 元 per m² per month.", &number("元/m²/month")),
        available_on,
        zone,
        parameter("fire_class", "Fire classes of the building (GB 50016).", &code_list(&fire_classes)),
        max_distance,
        limit,
        coordsys_parameter(),
    ];
    [
        (
            "/availability/land".to_owned(),
            operation(
                "getLandAvailability",
                "Available land for a project, ranked",
                "Available parcels that meet the need, best first; each feature's properties are the parcel's plus \
                 `rank`, `score` (0–100), `reasons` [{code, text, points}] and `distances_m`.",
                &land,
            ),
        ),
        (
            "/availability/space".to_owned(),
            operation(
                "getSpaceAvailability",
                "Free factory space for a tenant, ranked",
                "Offers of one unit or adjacent units combined, best first, with `rank`, `score`, `reasons` and specs; \
                 the top-level `vacancy` lists the vacant space of each building searched.",
                &space,
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_openapi_paths_document_exactly_the_accepted_parameters() {
        let [(_, land), (_, space)] = openapi_paths();
        for (item, accepted) in [(land, &LAND_PARAMETERS[..]), (space, &SPACE_PARAMETERS[..])] {
            let names: Vec<&str> = item["get"]["parameters"]
                .as_array()
                .expect("parameters")
                .iter()
                .filter_map(|p| p["name"].as_str())
                .collect();
            assert_eq!(names, accepted);
        }
    }

    #[test]
    fn an_area_given_in_mu_and_m2_at_once_is_refused() {
        let p = Params::parse(Some("min_area_mu=40&min_area_m2=30000"));
        assert!(matches!(area_range(&p, true), Err(ApiError::InvalidParameter { name, .. }) if name == "min_area_mu"));
    }

    #[test]
    fn a_minimum_above_the_maximum_is_refused() {
        let p = Params::parse(Some("min_area_mu=60&max_area_mu=40"));
        assert!(matches!(area_range(&p, true), Err(ApiError::InvalidParameter { name, .. }) if name == "min_area_mu"));
        let p = Params::parse(Some("min_area_mu=40&max_area_m2=40000"));
        let (min, max) = area_range(&p, true).expect("40 mu is about 26,667 m²");
        assert!(min.zip(max).is_some_and(|(a, b)| a.0 < b.0));
    }

    #[test]
    fn distances_are_kind_and_metres() {
        let p = Params::parse(Some("max_distance=bridge_freight:5000,road:1000"));
        assert_eq!(
            max_distances(&p).expect("valid"),
            vec![(PoiKind::BridgeFreight, Meters(5_000.0)), (PoiKind::Road, Meters(1_000.0))]
        );
        for bad in ["bridge:5000", "road", "road:-1", "road:1,road:2", "road:far"] {
            let p = Params::parse(Some(&format!("max_distance={bad}")));
            assert!(max_distances(&p).is_err(), "{bad}");
        }
    }

    #[test]
    fn members_are_appended_inside_the_properties() {
        let mut out = br#"{"type":"Feature","properties":{"a":1}}"#.to_vec();
        append_members(&mut out, 2, &[("rank", json!(1))]).expect("ends with properties");
        assert_eq!(out, br#"{"type":"Feature","properties":{"a":1,"rank":1}}"#);
        let mut empty = br#"{"properties":{}}"#.to_vec();
        append_members(&mut empty, 2, &[("rank", json!(2)), ("score", json!(3.5))]).expect("valid");
        assert_eq!(empty, br#"{"properties":{"rank":2,"score":3.5}}"#);
    }
}
