//! `/reports/idle-land`: the parcels that are idle, reclaimable or about to be idle on a day, under the
//! 闲置土地处置办法 (国土资源部令第53号, 2012), as JSON or as a GeoJSON layer for a map.
//!
//! The rules live in [`landbank_inventory::idle`]; this module only picks the day and shapes the answer. The day is
//! `as_of`, or today's date in UTC: the HTTP layer reads the clock, the inventory never does.

use axum::extract::{RawQuery, State};
use axum::response::Response;
use landbank_geojson::{RecordRef, write_feature};
use landbank_inventory::{Date, IdleAssessment, IdleSummary, Inventory, idle_land_report, idle_land_summary};
use serde_json::{Map, Value, json};

use crate::error::ApiError;
use crate::query::{self, Params};
use crate::stats::{round, tally};
use crate::{AppState, html};

/// The legal basis every answer names.
const BASIS: &str = "闲置土地处置办法 (国土资源部令第53号, 2012)";

/// Today's date in UTC, the default day of reports.
pub(crate) fn today() -> Date {
    jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date()
}

/// The `as_of` parameter, or today.
pub(crate) fn as_of(params: &Params) -> Result<Date, ApiError> {
    Ok(query::date(params, "as_of")?.unwrap_or_else(today))
}

/// The idle-land summary of `/stats` and of the report: parcels on the clock by status, exempt ones, fees due.
pub(crate) fn summary_json(summary: &IdleSummary, as_of: Date) -> Value {
    let by_status: Map<String, Value> =
        summary.by_status.iter().map(|(s, t)| (s.code().to_owned(), tally(t))).collect();
    json!({
        "as_of": as_of.to_string(),
        "by_status": by_status,
        "exempt": tally(&summary.exempt),
        "fees_due_wan": round(summary.fees_due.0, 2),
    })
}

/// What the report adds to a parcel: its place on the idle-land clock.
fn assessment_properties(a: &IdleAssessment) -> Map<String, Value> {
    let share = |s: Option<f64>| s.map(|s| round(s, 4));
    [
        ("idle_status", json!(a.status.code())),
        ("idle_rule", json!(a.rule.code())),
        ("clock_start", json!(a.clock_start.to_string())),
        ("idle_from", json!(a.idle_from.to_string())),
        ("reclaimable_from", json!(a.reclaimable_from.to_string())),
        ("days_idle", json!(a.days_idle)),
        ("days_until_idle", json!(a.days_until_idle)),
        ("developed_share", json!(share(a.developed_share))),
        ("invested_share", json!(share(a.invested_share))),
        ("exempt", json!(a.exempt)),
        ("idle_fee_wan", json!(a.fee.map(|f| round(f.0, 2)))),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect()
}

/// One parcel of the JSON report: who holds what, and its assessment.
fn entry(inventory: &Inventory, a: &IdleAssessment) -> Value {
    let parcel = inventory.parcel(a.parcel);
    let mut map = Map::new();
    map.insert("parcel_id".to_owned(), json!(a.parcel.0));
    map.insert("plot_no".to_owned(), json!(parcel.map(|p| p.plot_no.as_str())));
    map.insert("zone".to_owned(), json!(parcel.and_then(|p| inventory.zone(p.zone)).map(|z| z.code.as_str())));
    map.insert("holder".to_owned(), json!(parcel.and_then(|p| p.holder.as_deref())));
    map.insert("project_id".to_owned(), json!(parcel.and_then(|p| p.project).map(|id| id.0)));
    map.insert("stated_area_mu".to_owned(), json!(parcel.map(|p| p.stated_area.0)));
    map.insert("land_price_wan".to_owned(), json!(parcel.and_then(|p| p.land_price_wan)));
    map.extend(assessment_properties(a));
    Value::Object(map)
}

/// The affected parcels as GeoJSON features: every parcel property, then the assessment.
fn feature_collection(inventory: &Inventory, as_of: Date, report: &[IdleAssessment]) -> Result<Value, ApiError> {
    let mut features = Vec::with_capacity(report.len());
    for a in report {
        let Some(parcel) = inventory.parcel(a.parcel) else { continue };
        let mut buffer = Vec::new();
        write_feature(&mut buffer, inventory, RecordRef::Parcel(parcel), None)
            .map_err(|e| ApiError::Internal(format!("writing parcel {}: {e}", a.parcel)))?;
        let mut feature: Value = serde_json::from_slice(&buffer)
            .map_err(|e| ApiError::Internal(format!("reading back parcel {}: {e}", a.parcel)))?;
        if let Some(properties) = feature["properties"].as_object_mut() {
            properties.extend(assessment_properties(a));
        }
        features.push(feature);
    }
    Ok(json!({
        "type": "FeatureCollection",
        "name": "idle-land",
        "as_of": as_of.to_string(),
        "basis": BASIS,
        "numberReturned": features.len(),
        "features": features,
    }))
}

/// `GET /reports/idle-land?as_of=YYYY-MM-DD&f=json|geojson`.
/// The report names holders and land prices: token holders only.
pub async fn get_idle_land_report(
    State(state): State<AppState>,
    _reader: crate::write::Actor,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    params.only(&["as_of", "f"])?;
    let as_of = as_of(&params)?;
    let geojson = match params.get("f") {
        None | Some("json") => false,
        Some("geojson") => true,
        Some(other) => {
            return Err(ApiError::invalid(
                "f",
                format!("`{other}` is not a format of this report; use `json` or `geojson`"),
            ));
        }
    };
    let snapshot = state.snapshot();
    let inventory = &snapshot.inventory;
    let report = idle_land_report(inventory, as_of);
    if geojson {
        return Ok(html::typed_json(&feature_collection(inventory, as_of, &report)?, "application/geo+json"));
    }
    let parcels: Vec<Value> = report.iter().map(|a| entry(inventory, a)).collect();
    Ok(html::json(&json!({
        "as_of": as_of.to_string(),
        "basis": BASIS,
        "summary": summary_json(&idle_land_summary(inventory, as_of), as_of),
        "numberReturned": parcels.len(),
        "parcels": parcels,
    })))
}
