//! Benchmark of allocation planning over synthetic parks of 100k and 1M parcels: a 60-mu class-II seafood plant
//! near the middle of the park (single parcels, carved pieces and assembled neighbours, all scored and checked),
//! and the same need with no point, which scans the whole park.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use geo::Point;
use jiff::civil::date;
use landbank_inventory::{CandidateKind, IndustrialClass, Industry, Inventory, Mu, Need, Wan, plan};

const SIZES: [usize; 2] = [100_000, 1_000_000];
const SEED: u64 = 42;

/// A 60-mu class-II seafood-processing need at the middle of the park's extent.
fn need(inventory: &Inventory) -> Need {
    let extent = inventory.extent().expect("a non-empty park");
    let middle =
        Point::new(f64::midpoint(extent.min_lon, extent.max_lon), f64::midpoint(extent.min_lat, extent.max_lat));
    Need {
        class: Some(IndustrialClass::II),
        near: Some(middle),
        land_mu: Some(Mu(60.0)),
        ..Need::new(Industry::SeafoodProcessing, Wan(15_000.0))
    }
}

fn plans(c: &mut Criterion) {
    let on = date(2026, 11, 27);
    let mut group = c.benchmark_group("plan");
    let mut anywhere = Vec::new();
    for n in SIZES {
        let started = Instant::now();
        let inventory = Inventory::new(landbank_gen::synthetic(n, SEED)).expect("unique ids");
        eprintln!("{n} parcels: generated and indexed in {:.2?}", started.elapsed());
        let need = need(&inventory);
        let started = Instant::now();
        let once = plan(&inventory, &need, on).expect("a plan");
        let count = |kind| once.candidates.iter().filter(|c| c.kind == kind).count();
        eprintln!(
            "{n} parcels: one plan in {:.2?}: {} candidates ({} single, {} carved, {} assembled), best score {:.3}",
            started.elapsed(),
            once.candidates.len(),
            count(CandidateKind::Single),
            count(CandidateKind::Carved),
            count(CandidateKind::Assembled),
            once.candidates.first().map_or(0.0, |c| c.score),
        );
        group.bench_with_input(BenchmarkId::from_parameter(n), &need, |b, need| {
            b.iter(|| plan(black_box(&inventory), black_box(need), on).expect("a plan"));
        });
        anywhere.push((n, inventory, Need { near: None, ..need }));
    }
    group.finish();

    let mut group = c.benchmark_group("plan_whole_park");
    for (n, inventory, need) in &anywhere {
        group.bench_with_input(BenchmarkId::from_parameter(n), need, |b, need| {
            b.iter(|| plan(black_box(inventory), black_box(need), on).expect("a plan"));
        });
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = plans
}
criterion_main!(benches);
