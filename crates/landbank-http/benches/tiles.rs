//! Benchmark of drawing vector tiles: the parcels layer of z14 tiles about the middle of a synthetic park of 100k
//! parcels, each drawn afresh (no tile cache), in turn — what `bench/run` times as uncached tiles over HTTP. With
//! the allocator of the `landbank` binary.

use std::f64::consts::PI;
use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use landbank_gen::synthetic;
use landbank_http::draw_tile;
use landbank_inventory::{Inventory, Layer};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PARCELS: usize = 100_000;
const SEED: u64 = 42;
const ZOOM: u8 = 14;
/// Tiles drawn in turn: a square of `SIDE × SIDE` about the park's centre.
const SIDE: u32 = 8;

/// The z14 tile column and row holding a longitude/latitude point.
fn tile_of(lon: f64, lat: f64) -> (u32, u32) {
    let n = f64::from(1u32 << ZOOM);
    let x = (lon + 180.0) / 360.0 * n;
    let y = (1.0 - lat.to_radians().tan().asinh() / PI) / 2.0 * n;
    (x as u32, y as u32)
}

fn tiles(c: &mut Criterion) {
    let inventory = Inventory::new(synthetic(PARCELS, SEED)).expect("unique ids");
    let extent = inventory.extent().expect("a non-empty park");
    let (cx, cy) =
        tile_of(f64::midpoint(extent.min_lon, extent.max_lon), f64::midpoint(extent.min_lat, extent.max_lat));
    let tiles: Vec<(u32, u32)> =
        (0..SIDE * SIDE).map(|i| (cx - SIDE / 2 + i % SIDE, cy - SIDE / 2 + i / SIDE)).collect();
    let bytes: usize =
        tiles.iter().map(|&(x, y)| draw_tile(&inventory, &[Layer::Parcels], ZOOM, x, y).expect("a tile").len()).sum();
    eprintln!("{} z{ZOOM} tiles about the centre of {PARCELS} parcels: {bytes} bytes in all", tiles.len());
    let mut group = c.benchmark_group("parcel_tile");
    let mut next = 0;
    group.bench_function(BenchmarkId::from_parameter(PARCELS), |b| {
        b.iter(|| {
            next = (next + 1) % tiles.len();
            let (x, y) = tiles[next];
            draw_tile(black_box(&inventory), &[Layer::Parcels], ZOOM, x, y).map(|t| t.len())
        });
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5))
}

criterion_group! {
    name = benches;
    config = config();
    targets = tiles
}
criterion_main!(benches);
