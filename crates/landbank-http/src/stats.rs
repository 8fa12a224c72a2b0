//! `/stats`: the park's figures computed from the inventory, for the park and for each zone, and the idle-land
//! summary on a day.

use std::collections::BTreeMap;

use axum::extract::{RawQuery, State};
use axum::response::Response;
use landbank_inventory::{
    Inventory, Mu, ProjectIntensity, SquareMeters, Tally, Wan, ZoneStatistics, idle_land_summary,
};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::query::Params;
use crate::{AppState, html, report};

pub(crate) fn round(v: f64, decimals: i32) -> f64 {
    let k = 10_f64.powi(decimals);
    (v * k).round() / k
}

fn mu(area: Mu) -> f64 {
    round(area.0, 3)
}

fn m2(area: SquareMeters) -> f64 {
    round(area.0, 2)
}

pub(crate) fn tally(t: &Tally) -> Value {
    json!({ "count": t.count, "stated_area_mu": mu(t.stated_area), "stated_area_m2": m2(t.stated_area.into()) })
}

fn yi(w: Wan) -> f64 {
    round(w.to_yi(), 4)
}

fn by<K: std::fmt::Display, V>(map: &BTreeMap<K, V>, f: impl Fn(&V) -> Value) -> Value {
    Value::Object(map.iter().map(|(k, v)| (k.to_string(), f(v))).collect())
}

fn intensity(inventory: &Inventory, i: &ProjectIntensity) -> Value {
    json!({
        "project_id": i.project.0,
        "code": inventory.project(i.project).map(|p| p.code.as_str()),
        "intensity_wan_per_mu": round(i.intensity_wan_per_mu, 2),
        "threshold_wan_per_mu": round(i.threshold_wan_per_mu, 2),
        "meets": i.meets,
    })
}

fn zone_json(s: &ZoneStatistics, inventory: &Inventory) -> Value {
    let f = &s.factories;
    let p = &s.projects;
    json!({
        "land": {
            "parcels": tally(&s.parcels),
            "by_availability": by(&s.by_availability, tally),
            "by_supply_method": by(&s.by_supply_method, tally),
            "revitalized": tally(&s.revitalized),
        },
        "factories": {
            "buildings": f.buildings,
            "gross_floor_area_m2": m2(f.gross_floor_area),
            "units": f.units,
            "unit_area_m2": m2(f.unit_area),
            "vacant_area_m2": m2(f.vacant_area),
            "reserved_area_m2": m2(f.reserved_area),
            "occupied_area_m2": m2(f.occupied_area),
            "occupancy": f.occupancy().map(|o| round(o, 4)),
        },
        "projects": {
            "count": p.count,
            "total_investment_wan": round(p.total_investment.0, 2),
            "total_investment_yi": yi(p.total_investment),
            "fixed_asset_investment_wan": round(p.fixed_asset_investment.0, 2),
            "by_stage": by(&p.by_stage, |t| json!({ "count": t.count, "total_investment_wan": round(t.total_investment.0, 2) })),
            "by_industry": by(&p.by_industry, |t| json!({ "count": t.count, "total_investment_wan": round(t.total_investment.0, 2) })),
            "intensity": p.intensity.iter().map(|i| intensity(inventory, i)).collect::<Vec<_>>(),
        },
    })
}

pub async fn get_stats(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    params.only(&["f", "as_of"])?;
    let as_of = report::as_of(&params)?;
    let snapshot = state.snapshot();
    let stats = &snapshot.statistics;
    let park = &stats.park;
    let stage = |s| park.projects.by_stage.get(&s).map_or(0, |t| t.count);
    let allocation =
        park.by_supply_method.get(&landbank_inventory::SupplyMethod::Allocation).copied().unwrap_or_default();
    let zones: Vec<Value> = stats
        .zones
        .iter()
        .map(|(id, s)| {
            let zone = snapshot.inventory.zone(*id);
            let mut z = zone_json(s, &snapshot.inventory);
            z["zone_id"] = json!(id.0);
            z["code"] = json!(zone.map(|z| z.code.as_str()));
            z["name_zh"] = json!(zone.map(|z| z.name_zh.as_str()));
            z["name_en"] = json!(zone.map(|z| z.name_en.as_str()));
            z
        })
        .collect();
    Ok(html::json(&json!({
        "figures": {
            "revitalized_land_mu": mu(park.revitalized.stated_area),
            "allocation_supplied_land_mu": mu(allocation.stated_area),
            "standard_factory_gross_floor_area_m2": m2(park.factories.gross_floor_area),
            "projects": park.projects.count,
            "projects_total_investment_yi": yi(park.projects.total_investment),
            "projects_in_production": stage(landbank_inventory::ProjectStage::InProduction),
            "projects_under_construction": stage(landbank_inventory::ProjectStage::UnderConstruction),
        },
        "park": zone_json(park, &snapshot.inventory),
        "zones": zones,
        "idle_land": report::summary_json(&idle_land_summary(&snapshot.inventory, as_of), as_of),
    })))
}
