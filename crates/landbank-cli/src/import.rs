//! `landbank import`: validate every feature of a GeoJSON file, then replace one layer of the store, or write
//! nothing and list every problem.

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use indicatif::ProgressBar;
use landbank_geojson::read_layer;
use landbank_inventory::{Inventory, Layer, check};
use landbank_store::{Location, Store};

pub async fn import(file: &Path, layer: Layer, location: &Location) -> Result<ExitCode> {
    let progress = ProgressBar::new_spinner();
    progress.enable_steady_tick(Duration::from_millis(120));
    progress.set_message(format!("reading {}", file.display()));
    let text = fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    progress.set_message(format!("validating {layer}"));
    let records = read_layer(layer, &text);
    progress.finish_and_clear();
    let records = match records {
        Ok(records) => records,
        Err(problems) => {
            for p in &problems {
                eprintln!("{}: {p}", file.display());
            }
            eprintln!("{} problems in {}; nothing was imported", problems.len(), file.display());
            return Ok(ExitCode::FAILURE);
        }
    };
    let count = records.len();
    let store = Store::open(location).await.with_context(|| format!("opening store at {location}"))?;
    let mut parts = store.load().await.with_context(|| format!("loading {location}"))?;
    records.put_into(&mut parts);

    // Feature index of each id in the file, so that problems point at the feature a person has to fix.
    let index: HashMap<i64, usize> = ids_in_file(&text).into_iter().enumerate().map(|(i, id)| (id, i)).collect();
    let inventory = match Inventory::new(parts.clone()) {
        Ok(inventory) => inventory,
        Err(e) => {
            eprintln!("{}: {e}; nothing was imported", file.display());
            return Ok(ExitCode::FAILURE);
        }
    };
    let progress = ProgressBar::new_spinner();
    progress.enable_steady_tick(Duration::from_millis(120));
    progress.set_message(format!("checking {count} {layer} against the inventory"));
    let problems: Vec<_> = check::check(&inventory).into_iter().filter(|p| p.layer == layer.code()).collect();
    progress.finish_and_clear();
    if !problems.is_empty() {
        for p in &problems {
            match index.get(&p.id) {
                Some(i) => eprintln!("{}: feature {i} (id {}): {}: {}", file.display(), p.id, p.kind.code(), p.detail),
                None => eprintln!("{}: {p}", file.display()),
            }
        }
        eprintln!("{} problems in {}; nothing was imported", problems.len(), file.display());
        return Ok(ExitCode::FAILURE);
    }
    let progress = ProgressBar::new_spinner();
    progress.enable_steady_tick(Duration::from_millis(120));
    progress.set_message(format!("writing {count} {layer} to {location}"));
    let at = jiff::Timestamp::now().to_string();
    store
        .replace_layer(&parts, layer, "cli:import", &at)
        .await
        .with_context(|| format!("writing {layer} to {location}"))?;
    progress.finish_and_clear();
    println!("imported {count} {layer} from {}", file.display());
    Ok(ExitCode::SUCCESS)
}

/// The integer ids of the features, in file order.
fn ids_in_file(text: &str) -> Vec<i64> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else { return Vec::new() };
    value["features"]
        .as_array()
        .map(|fs| fs.iter().map(|f| f["id"].as_i64().unwrap_or(-1)).collect())
        .unwrap_or_default()
}
