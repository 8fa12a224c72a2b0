//! `/stats`: the park's figures computed from the inventory, for the park and for each zone.

use std::collections::BTreeMap;

use axum::extract::{RawQuery, State};
use axum::response::Response;
use landbank_inventory::{Mu, SquareMeters, Tally, Wan, ZoneStatistics};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::query::Params;
use crate::{AppState, html};

fn round(v: f64, decimals: i32) -> f64 {
    let k = 10_f64.powi(decimals);
    (v * k).round() / k
}

fn mu(area: Mu) -> f64 {
    round(area.0, 3)
}

fn m2(area: SquareMeters) -> f64 {
    round(area.0, 2)
}

fn tally(t: &Tally) -> Value {
    json!({ "count": t.count, "stated_area_mu": mu(t.stated_area), "stated_area_m2": m2(t.stated_area.into()) })
}

fn yi(w: Wan) -> f64 {
    round(w.to_yi(), 4)
}

fn by<K: std::fmt::Display, V>(map: &BTreeMap<K, V>, f: impl Fn(&V) -> Value) -> Value {
    Value::Object(map.iter().map(|(k, v)| (k.to_string(), f(v))).collect())
}

fn zone_json(s: &ZoneStatistics) -> Value {
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
        },
    })
}

pub async fn get_stats(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref()).only(&["f"])?;
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
            let mut z = zone_json(s);
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
        "park": zone_json(park),
        "zones": zones,
    })))
}
