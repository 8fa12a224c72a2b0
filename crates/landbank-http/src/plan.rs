//! `POST /allocation-plans`: where a project or a stated need should go — land of its own or standard-factory
//! space — and ranked candidates with their score breakdowns and land-control checks. It only reads: nothing is
//! held or committed, so it needs no token.
//!
//! The body is checked field by field, so every problem names the field; the planning itself is
//! [`landbank_inventory::plan`], run on the blocking pool because it may carve a few parcels.

use std::str::FromStr;

use axum::extract::State;
use axum::response::Response;
use geo::Point;
use landbank_geojson::{GeometryRef, write_geometry};
use landbank_inventory::{
    AllocationPlan, Candidate, CandidateKind, Date, IndustrialClass, Industry, Inventory, Mu, Need, PlanError,
    ProjectId, Route, SquareMeters, UnknownCode, Wan, plan,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::write::Body;
use crate::{AppState, html};

/// `POST /allocation-plans` body: a project (`project_id`), a stated need (at least `industry` and
/// `fixed_asset_investment_wan`), or a project with some of its figures restated. Fields are read as JSON values
/// and checked one by one, so that a wrong type or range names its field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    project_id: Option<Value>,
    industry: Option<Value>,
    class: Option<Value>,
    fixed_asset_investment_wan: Option<Value>,
    employees: Option<Value>,
    floor_area_m2: Option<Value>,
    power_kva: Option<Value>,
    min_load_kn_m2: Option<Value>,
    preferred_zone: Option<Value>,
    near: Option<Value>,
    land_mu: Option<Value>,
    available_on: Option<Value>,
}

fn invalid(field: &str, expected: &str, got: &Value) -> ApiError {
    ApiError::InvalidBody(format!("`{field}` must be {expected}, not {got}"))
}

fn positive(field: &str, v: &Value) -> Result<f64, ApiError> {
    v.as_f64().filter(|x| x.is_finite() && *x > 0.0).ok_or_else(|| invalid(field, "a number greater than 0", v))
}

fn non_negative(field: &str, v: &Value) -> Result<f64, ApiError> {
    v.as_f64().filter(|x| x.is_finite() && *x >= 0.0).ok_or_else(|| invalid(field, "a number of at least 0", v))
}

fn whole(field: &str, v: &Value) -> Result<u32, ApiError> {
    v.as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| invalid(field, &format!("a whole number from 0 to {}", u32::MAX), v))
}

fn text<'v>(field: &str, v: &'v Value) -> Result<&'v str, ApiError> {
    v.as_str().ok_or_else(|| invalid(field, "a string", v))
}

/// A coded value; an unknown code lists the known ones.
fn coded<T: FromStr<Err = UnknownCode>>(field: &str, v: &Value) -> Result<T, ApiError> {
    text(field, v)?.trim().parse().map_err(|e: UnknownCode| ApiError::InvalidBody(format!("`{field}`: {e}")))
}

/// `[lon, lat]` in CRS84 degrees.
fn point(field: &str, v: &Value) -> Result<Point, ApiError> {
    let numbers: Option<Vec<f64>> = v.as_array().and_then(|a| a.iter().map(Value::as_f64).collect());
    match numbers.as_deref() {
        Some(&[lon, lat]) if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) => {
            Ok(Point::new(lon, lat))
        }
        _ => Err(invalid(field, "[lon, lat] in CRS84 degrees (longitude -180..180, latitude -90..90)", v)),
    }
}

fn date(field: &str, v: &Value) -> Result<Date, ApiError> {
    text(field, v)?.trim().parse::<Date>().map_err(|_| invalid(field, "a date (YYYY-MM-DD)", v))
}

fn today() -> Date {
    jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date()
}

/// The need a request states: the project's, with any field the body gives taking precedence; or the body's.
fn need_of(request: &PlanRequest, inventory: &Inventory) -> Result<(Need, Option<ProjectId>), ApiError> {
    let project = match &request.project_id {
        Some(v) => {
            let id = ProjectId(v.as_i64().ok_or_else(|| invalid("project_id", "a whole number", v))?);
            let project = inventory.project(id).ok_or_else(|| {
                ApiError::Unprocessable(format!(
                    "`project_id`: project {id} does not exist; see /collections/projects for the projects"
                ))
            })?;
            Some(project)
        }
        None => None,
    };
    let industry = request.industry.as_ref().map(|v| coded::<Industry>("industry", v)).transpose()?;
    let investment =
        request.fixed_asset_investment_wan.as_ref().map(|v| positive("fixed_asset_investment_wan", v)).transpose()?;
    let mut need = match (project, industry, investment) {
        (Some(project), _, _) => Need::for_project(project),
        (None, Some(industry), Some(investment)) => Need::new(industry, Wan(investment)),
        (None, None, _) => {
            return Err(ApiError::InvalidBody(
                "`industry` is required for a stated need (or give `project_id` to plan for a project)".into(),
            ));
        }
        (None, Some(_), None) => {
            return Err(ApiError::InvalidBody(
                "`fixed_asset_investment_wan` is required for a stated need (or give `project_id` to plan for a \
                 project)"
                    .into(),
            ));
        }
    };
    if let Some(industry) = industry {
        need.industry = industry;
    }
    if let Some(investment) = investment {
        need.fixed_asset_investment = Wan(investment);
    }
    if let Some(v) = &request.class {
        need.class = Some(coded::<IndustrialClass>("class", v)?);
    }
    if let Some(v) = &request.employees {
        need.employees = Some(whole("employees", v)?);
    }
    if let Some(v) = &request.floor_area_m2 {
        need.floor_area = Some(SquareMeters(positive("floor_area_m2", v)?));
    }
    if let Some(v) = &request.power_kva {
        need.power_kva = Some(whole("power_kva", v)?);
    }
    if let Some(v) = &request.min_load_kn_m2 {
        need.min_load_kn_m2 = Some(non_negative("min_load_kn_m2", v)?);
    }
    if let Some(v) = &request.preferred_zone {
        let code = text("preferred_zone", v)?.trim();
        let zone = inventory.zone_by_code(code).ok_or_else(|| {
            let known: Vec<&str> = inventory.zones().iter().map(|z| z.code.as_str()).collect();
            ApiError::Unprocessable(format!(
                "`preferred_zone`: there is no zone `{code}`; expected one of: {}",
                known.join(", ")
            ))
        })?;
        need.preferred_zone = Some(zone.id);
    }
    if let Some(v) = &request.near {
        need.near = Some(point("near", v)?);
    }
    if let Some(v) = &request.land_mu {
        need.land_mu = Some(Mu(positive("land_mu", v)?));
    }
    Ok((need, project.map(|p| p.id)))
}

/// A refusal of the planner as a problem naming the field (or the project) it comes from.
fn plan_error(e: &PlanError, project: Option<ProjectId>) -> ApiError {
    let field = match e {
        PlanError::NonPositiveInvestment { .. } => "fixed_asset_investment_wan",
        PlanError::NonPositiveArea { field: "floor_area", .. } => "floor_area_m2",
        PlanError::NonPositiveArea { field, .. } | PlanError::Negative { field, .. } => field,
        PlanError::InvalidPoint { .. } => "near",
        PlanError::UnknownZone(_) => "preferred_zone",
        PlanError::NoZonePolicy => return ApiError::Unprocessable(e.to_string()),
    };
    match project {
        Some(id) => ApiError::Unprocessable(format!("project {id}: `{field}`: {e}")),
        None => ApiError::Unprocessable(format!("`{field}`: {e}")),
    }
}

fn round(v: f64, decimals: i32) -> f64 {
    let k = 10_f64.powi(decimals);
    (v * k).round() / k
}

/// The candidate's geometry as GeoJSON (≤ 7 decimals, counter-clockwise outer rings).
fn geometry_json(candidate: &Candidate) -> Result<Value, ApiError> {
    let mut out = Vec::new();
    write_geometry(&mut out, GeometryRef::Other(&candidate.geometry))
        .map_err(|e| ApiError::Internal(format!("writing a plan geometry: {e}")))?;
    serde_json::from_slice(&out).map_err(|e| ApiError::Internal(format!("reading back a plan geometry: {e}")))
}

fn candidate_json(inventory: &Inventory, rank: usize, c: &Candidate) -> Result<Value, ApiError> {
    let mut v = json!({
        "rank": rank,
        "kind": c.kind.code(),
        "score": round(c.score, 4),
        "breakdown": c.breakdown.iter()
            .map(|k| json!({ "criterion": k.name, "weight": k.weight, "value": round(k.value, 4) }))
            .collect::<Vec<_>>(),
        "checks": c.checks.iter()
            .map(|k| json!({ "name": k.name, "passed": k.passed, "detail": k.detail }))
            .collect::<Vec<_>>(),
        "zone": inventory.zone(c.zone).map(|z| z.code.as_str()),
    });
    let members = match c.kind {
        CandidateKind::Single | CandidateKind::Carved | CandidateKind::Assembled => {
            let plots: Vec<Option<&str>> =
                c.parcels.iter().map(|id| inventory.parcel(*id).map(|p| p.plot_no.as_str())).collect();
            let mut members = json!({
                "parcel_ids": c.parcels.iter().map(|p| p.0).collect::<Vec<_>>(),
                "plot_nos": plots,
                "area_mu": round(c.area.to_mu().0, 3),
                "area_m2": round(c.area.0, 2),
                "need_mu": round(c.need.to_mu().0, 3),
                "leftover_mu": round(c.leftover.to_mu().0, 3),
            });
            if let Some(piece) = &c.carve {
                members["split"] = json!({
                    "parcel_id": piece.parent.0,
                    "area_mu": round(c.need.to_mu().0, 3),
                    "bearing_deg": piece.sweep_bearing_deg,
                    "along_frontage": piece.along_frontage,
                    "remainder_mu": round(piece.remainder_area.to_mu().0, 3),
                });
            }
            members
        }
        CandidateKind::Units => {
            let units: Vec<_> = c.units.iter().filter_map(|id| inventory.unit(*id)).collect();
            let rent: f64 = units.iter().map(|u| u.area.0 * u.rent_yuan_m2_month).sum();
            let building = c.building.and_then(|b| inventory.building(b));
            json!({
                "unit_ids": c.units.iter().map(|u| u.0).collect::<Vec<_>>(),
                "labels": units.iter().map(|u| u.label.as_str()).collect::<Vec<_>>(),
                "building_id": c.building.map(|b| b.0),
                "building_no": building.map(|b| b.building_no.as_str()),
                "floor": units.first().map(|u| u.floor),
                "area_m2": round(c.area.0, 2),
                "need_m2": round(c.need.0, 2),
                "leftover_m2": round(c.leftover.0, 2),
                "rent_yuan_m2_month": (c.area.0 > 0.0).then(|| round(rent / c.area.0, 2)),
                "rent_yuan_month": round(rent, 2),
            })
        }
    };
    if let (Some(obj), Value::Object(members)) = (v.as_object_mut(), members) {
        obj.extend(members);
        obj.insert("geometry".into(), geometry_json(c)?);
    }
    Ok(v)
}

/// The answer: the route and why, the needs, and the candidates best first.
pub fn plan_json(
    inventory: &Inventory,
    need: &Need,
    project: Option<ProjectId>,
    plan: &AllocationPlan,
) -> Result<Value, ApiError> {
    let zone_code = |id| inventory.zone(id).map(|z| z.code.as_str());
    let candidates: Vec<Value> = plan
        .candidates
        .iter()
        .enumerate()
        .map(|(i, c)| candidate_json(inventory, i + 1, c))
        .collect::<Result<_, _>>()?;
    Ok(json!({
        "route": plan.route.code(),
        "reason": plan.reason,
        "project_id": project.map(|p| p.0),
        "industry": need.industry.code(),
        "class": plan.class.code(),
        "fixed_asset_investment_wan": need.fixed_asset_investment.0,
        "land_need_mu": round(plan.land_need.0, 3),
        "floor_area_need_m2": plan.floor_area_need.map(|a| round(a.0, 2)),
        "zone_needs": plan.zone_needs.iter().map(|z| json!({
            "zone": zone_code(z.zone),
            "land_need_mu": round(z.land_need.0, 3),
            "intensity_min_wan_per_mu": z.intensity_min_wan_per_mu,
            "factory_routing_max_mu": z.factory_routing_max_mu,
        })).collect::<Vec<_>>(),
        "available_on": plan.available_on.to_string(),
        "candidates": candidates,
    }))
}

/// `POST /allocation-plans`: plans a project's or a stated need's land or factory space; commits nothing.
pub async fn create_allocation_plan(
    State(state): State<AppState>,
    access: crate::auth::Access,
    body: Body<PlanRequest>,
) -> Result<Response, ApiError> {
    let snapshot = state.snapshot();
    let request = body.value;
    if request.project_id.is_some() && access == crate::auth::Access::Public {
        return Err(ApiError::Unauthorized(
            "planning for a project reads its investment figures: send a token, or state the need instead \
             (`industry`, `fixed_asset_investment_wan`, …)"
                .into(),
        ));
    }
    let on = request.available_on.as_ref().map(|v| date("available_on", v)).transpose()?.unwrap_or_else(today);
    let answer = tokio::task::spawn_blocking(move || {
        let inventory = &snapshot.inventory;
        let (need, project) = need_of(&request, inventory)?;
        let plan = plan(inventory, &need, on).map_err(|e| plan_error(&e, project))?;
        plan_json(inventory, &need, project, &plan)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("planning task failed: {e}")))??;
    Ok(html::json(&answer))
}

/// A JSON Schema for a number greater than 0.
fn positive_number(description: &str) -> Value {
    json!({ "type": "number", "exclusiveMinimum": true, "minimum": 0, "description": description })
}

/// The OpenAPI 3.0 path item of `/allocation-plans`.
pub fn openapi_path() -> Value {
    let industries: Vec<&str> = Industry::ALL.iter().map(|i| i.code()).collect();
    let classes: Vec<&str> = IndustrialClass::ALL.iter().map(|c| c.code()).collect();
    let routes: Vec<&str> = Route::ALL.iter().map(|r| r.code()).collect();
    let kinds: Vec<&str> = CandidateKind::ALL.iter().map(|k| k.code()).collect();
    let number = positive_number;
    let whole = |description: &str| json!({ "type": "integer", "minimum": 0, "description": description });
    let text = |description: &str| json!({ "type": "string", "description": description });
    let properties = json!({
        "project_id": { "type": "integer", "description": "Plan for this project: its industry, class, fixed-asset \
            investment, employees, power and zone; other fields given here take precedence." },
        "industry": { "type": "string", "enum": industries,
                      "description": "The project's industry; required without `project_id`." },
        "class": { "type": "string", "enum": classes,
                   "description": "The project's industrial class; the industry's typical class when absent." },
        "fixed_asset_investment_wan":
            number("Fixed-asset investment (plant, equipment, land), 万元; required without `project_id`."),
        "employees": whole("Employees."),
        "floor_area_m2":
            number("Process floor area needed, m²: the factory space sought, and the plot-ratio check on land."),
        "power_kva": whole("Power needed, kVA (factory offers must carry it)."),
        "min_load_kn_m2": { "type": "number", "minimum": 0, "description": "Floor load needed, kN/m²." },
        "preferred_zone": text("Zone code whose intensity minimum sets the land need; its land is searched first \
            and scores higher."),
        "near": { "type": "array", "items": { "type": "number" }, "minItems": 2, "maxItems": 2,
                  "description": "[lon, lat] (CRS84) to be near; land around it is searched first." },
        "land_mu": number("Land asked for explicitly, mu: overrides the need the investment supports and the \
            routing to factories."),
        "available_on": { "type": "string", "format": "date",
                          "description": "The day the land or space must be free; default today (UTC)." },
    });
    json!({ "post": {
        "operationId": "createAllocationPlan",
        "summary": "Land or factory-space candidates for a project or a stated need, ranked with checks",
        "description": "Routes the need to land or standard-factory space by the zone's land-control indicators and \
            ranks candidates — a whole parcel, a piece carved off a larger one, neighbouring parcels assembled, or \
            factory units — each with a score breakdown (`criterion`, `weight`, `value`) and compliance checks. \
            Reads only; nothing is held.",
        "tags": ["Availability"],
        "requestBody": { "required": true, "content": { "application/json": { "schema": {
            "type": "object", "additionalProperties": false, "properties": properties } } } },
        "responses": {
            "200": { "description": "The plan", "content": { "application/json": { "schema": {
                "type": "object", "properties": {
                    "route": { "type": "string", "enum": routes },
                    "reason": { "type": "string" },
                    "land_need_mu": { "type": "number" },
                    "candidates": { "type": "array", "items": { "type": "object", "properties": {
                        "rank": { "type": "integer" }, "kind": { "type": "string", "enum": kinds },
                        "score": { "type": "number", "minimum": 0, "maximum": 1 },
                        "breakdown": { "type": "array", "items": { "type": "object" } },
                        "checks": { "type": "array", "items": { "type": "object" } },
                        "geometry": { "type": "object" } } } } } } } } },
            "400": { "$ref": "#/components/responses/Problem" },
            "415": { "$ref": "#/components/responses/Problem" },
            "422": { "$ref": "#/components/responses/Problem" },
        } } })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields of [`PlanRequest`].
    const FIELDS: [&str; 12] = [
        "project_id",
        "industry",
        "class",
        "fixed_asset_investment_wan",
        "employees",
        "floor_area_m2",
        "power_kva",
        "min_load_kn_m2",
        "preferred_zone",
        "near",
        "land_mu",
        "available_on",
    ];

    #[test]
    fn the_openapi_body_documents_exactly_the_accepted_fields() {
        let path = openapi_path();
        let properties = path["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]
            .as_object()
            .expect("properties");
        let mut documented: Vec<&str> = properties.keys().map(String::as_str).collect();
        documented.sort_unstable();
        let mut accepted = FIELDS.to_vec();
        accepted.sort_unstable();
        assert_eq!(documented, accepted);
        let unknown = serde_json::from_value::<PlanRequest>(json!({ "colour": "red" })).expect_err("refused");
        for field in FIELDS {
            assert!(unknown.to_string().contains(field), "{unknown}");
        }
    }

    #[test]
    fn a_wrong_type_or_range_names_the_field() {
        let cases: [(Result<(), ApiError>, &str); 4] = [
            (positive("land_mu", &json!(0)).map(drop), "`land_mu` must be a number greater than 0, not 0"),
            (whole("employees", &json!(-3)).map(drop), "`employees` must be a whole number"),
            (point("near", &json!([108.0])).map(drop), "`near` must be [lon, lat]"),
            (date("available_on", &json!("27/11/2026")).map(drop), "`available_on` must be a date"),
        ];
        for (result, expected) in cases {
            let message = result.expect_err("refused").to_string();
            assert!(message.contains(expected), "{message}");
        }
    }
}
