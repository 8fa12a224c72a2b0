//! GeoJSON import: `read_layer` for every layer on arbitrary UTF-8 text, then, for what it reads, building an
//! `Inventory` and running the consistency `check` — both from those records alone and with them in place of that
//! layer of the Dongxing inventory (so references to zones, buildings, projects… resolve or dangle).
//!
//! Nothing may panic: bad input is a list of `FeatureProblem`s, an `InventoryError` or a list of `Problem`s.

#![no_main]

use std::sync::OnceLock;

use landbank_geojson::read_layer;
use landbank_inventory::check::check;
use landbank_inventory::{Inventory, InventoryParts, Layer};
use libfuzzer_sys::fuzz_target;

const LAYERS: [Layer; 6] = [Layer::Zones, Layer::Parcels, Layer::Buildings, Layer::Units, Layer::Projects, Layer::Pois];

fn dongxing() -> &'static InventoryParts {
    static PARTS: OnceLock<InventoryParts> = OnceLock::new();
    PARTS.get_or_init(landbank_gen::dongxing)
}

fn assemble_and_check(parts: InventoryParts) {
    if let Ok(inventory) = Inventory::new(parts) {
        let _ = check(&inventory);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for layer in LAYERS {
        let Ok(records) = read_layer(layer, text) else { continue };
        assert_eq!(records.layer(), layer, "read_layer({layer:?}) gave records of another layer");
        if records.is_empty() {
            continue;
        }
        let mut alone = InventoryParts::default();
        records.clone().put_into(&mut alone);
        assemble_and_check(alone);

        let mut mixed = dongxing().clone();
        records.put_into(&mut mixed);
        assemble_and_check(mixed);
    }
});
