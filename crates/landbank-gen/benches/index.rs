//! Benchmarks of the inventory's R-tree over synthetic parks of 10k, 100k and 1M parcels: a bbox query that
//! returns about 100 parcels, a point lookup, bulk loading 100k parcels, and generating 100k parcels.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use geo::{Centroid, Point};
use landbank_gen::synthetic;
use landbank_inventory::{BBox, Inventory};

const SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];
const SEED: u64 = 42;
/// Parcels a bbox query should return.
const BBOX_TARGET: f64 = 100.0;

/// A box about the middle of the park sized to hold about [`BBOX_TARGET`] parcels.
fn query_box(inventory: &Inventory) -> BBox {
    let extent = inventory.extent().expect("a non-empty park");
    let n = inventory.parcels().len() as f64;
    let fraction = (BBOX_TARGET / n).sqrt();
    let (cx, cy) = (f64::midpoint(extent.min_lon, extent.max_lon), f64::midpoint(extent.min_lat, extent.max_lat));
    let half_w = (extent.max_lon - extent.min_lon) * fraction / 2.0;
    let half_h = (extent.max_lat - extent.min_lat) * fraction / 2.0;
    BBox::new(cx - half_w, cy - half_h, cx + half_w, cy + half_h).expect("a valid box")
}

/// Points to look up: the centroids of parcels spread over the park, so every lookup hits.
fn lookup_points(inventory: &Inventory) -> Vec<Point> {
    let parcels = inventory.parcels();
    let step = (parcels.len() / 1_024).max(1);
    parcels.iter().step_by(step).filter_map(|p| p.geometry.centroid()).collect()
}

fn queries(c: &mut Criterion) {
    let mut bbox_group = c.benchmark_group("parcels_in_bbox");
    let inventories: Vec<(usize, Inventory)> = SIZES
        .iter()
        .map(|&n| {
            let started = Instant::now();
            let parts = synthetic(n, SEED);
            let generated = started.elapsed();
            let started = Instant::now();
            let inventory = Inventory::new(parts).expect("unique ids");
            eprintln!("{n} parcels: generated in {generated:.2?}, indexed in {:.2?}", started.elapsed());
            (n, inventory)
        })
        .collect();
    for (n, inventory) in &inventories {
        let bbox = query_box(inventory);
        let found = inventory.parcels_in_bbox(bbox).count();
        eprintln!("{n} parcels: the query box returns {found} parcels");
        bbox_group.bench_with_input(BenchmarkId::from_parameter(n), &bbox, |b, &bbox| {
            b.iter(|| inventory.parcels_in_bbox(black_box(bbox)).count());
        });
    }
    bbox_group.finish();

    let mut point_group = c.benchmark_group("parcels_at");
    for (n, inventory) in &inventories {
        let points = lookup_points(inventory);
        let mut next = 0;
        point_group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                next = (next + 1) % points.len();
                inventory.parcels_at(black_box(points[next])).count()
            });
        });
    }
    point_group.finish();
}

fn bulk_load(c: &mut Criterion) {
    let parts = synthetic(100_000, SEED);
    let mut group = c.benchmark_group("inventory_new");
    group.sample_size(10);
    group.bench_function(BenchmarkId::from_parameter(100_000), |b| {
        b.iter_batched(|| parts.clone(), |parts| Inventory::new(parts).expect("unique ids"), BatchSize::LargeInput);
    });
    group.finish();
}

fn generate(c: &mut Criterion) {
    let mut group = c.benchmark_group("synthetic");
    group.sample_size(10);
    group.bench_function(BenchmarkId::from_parameter(100_000), |b| {
        b.iter(|| synthetic(black_box(100_000), SEED));
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = queries, bulk_load, generate
}
criterion_main!(benches);
