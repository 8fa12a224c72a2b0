//! The Dongxing fixtures: embedded in the binary for the first start, and written to files by `landbank fixtures`.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use landbank_geojson::{read_layer, write_collection};
use landbank_inventory::{Inventory, InventoryParts, Layer};

/// The committed fixture files, one per layer, as compiled into the binary.
const EMBEDDED: [(Layer, &str); 6] = [
    (Layer::Zones, include_str!("../../../fixtures/dongxing/zones.geojson")),
    (Layer::Parcels, include_str!("../../../fixtures/dongxing/parcels.geojson")),
    (Layer::Buildings, include_str!("../../../fixtures/dongxing/buildings.geojson")),
    (Layer::Units, include_str!("../../../fixtures/dongxing/units.geojson")),
    (Layer::Projects, include_str!("../../../fixtures/dongxing/projects.geojson")),
    (Layer::Pois, include_str!("../../../fixtures/dongxing/pois.geojson")),
];

/// The Dongxing inventory as shipped in `fixtures/dongxing/`.
pub fn embedded() -> Result<InventoryParts> {
    let mut parts = InventoryParts::default();
    for (layer, text) in EMBEDDED {
        match read_layer(layer, text) {
            Ok(records) => records.put_into(&mut parts),
            Err(problems) => {
                let list: Vec<String> = problems.iter().take(10).map(ToString::to_string).collect();
                bail!("the embedded {layer} fixture is invalid: {}", list.join("; "));
            }
        }
    }
    Ok(parts)
}

/// Writes the generated Dongxing inventory as `<layer>.geojson` files.
pub fn write(dir: &Path) -> Result<()> {
    let inventory = Inventory::new(landbank_gen::dongxing()).context("assembling the Dongxing inventory")?;
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for (layer, _) in EMBEDDED {
        let path = dir.join(format!("{layer}.geojson"));
        let mut out = Vec::new();
        write_collection(&mut out, &inventory, layer).with_context(|| format!("writing {layer}"))?;
        out.push(b'\n');
        fs::write(&path, out).with_context(|| format!("writing {}", path.display()))?;
        tracing::info!(path = %path.display(), "wrote fixture");
    }
    Ok(())
}
