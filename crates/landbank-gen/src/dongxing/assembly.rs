//! The assembly block of the Dongxing fixtures: land on which a 60-mu project gets both an assembly of touching
//! plots and a piece carved off a larger one (issue 3).
//!
//! Appended after every other record, with its own random numbers, so nothing else depends on it. In Jiangping
//! (江平工业园, which leads in seafood processing and takes class II and III land), the zone's next empty block
//! holds four offered class-II plots of about 21 to 25 mu in a 2 × 2 grid, each sharing whole edges with two others:
//! any three of them assemble at least 60 mu and no two do. The block after it holds one offered class-II plot of
//! about 100 mu, squarish, off which 60 mu can be carved leaving more than the zone's 10-mu minimum lot.
//!
//! The grid is one rectangle cut along two lines in metres and placed on the ellipsoid once: neighbours share the
//! very same vertices, before and after rounding to the published precision, so their union is one polygon and
//! `POST /parcels/merge` joins them. Registered areas are the rounded outlines' geodesic areas to the thousandth of
//! a mu. The plots are neither revitalized nor supplied by allocation, so the published figures do not change.

use std::ops::Range;

use geo::{Coord, MapCoordsInPlace};
use landbank_inventory::{Availability, IndustrialClass, InventoryParts, Mu, Parcel, geodesic_area};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{M2_PER_MU, Plot, Role, SEED, Spare, ZONES, blank_parcel, plan_industrial, price, round};
use crate::apportion::Share;
use crate::layout::Rect;
use crate::shape::Outline;

/// The zone of the assembly block.
const ZONE: &str = "JP";
/// Widths of the grid's columns and depths of its rows, metres: plots of 20.9 to 24.6 mu, three of them at least
/// 62.7 mu, two at most 49.2; the grid fits the shallowest block (260 m).
const GRID_SIDE_M: Range<f64> = 118.0..128.0;
/// Registered area of the large plot, mu.
const LARGE_MU: Range<f64> = 95.0..105.0;
/// The large plot's longer side over its shorter: squarish, and within the smallest block (360 × 260 m).
const LARGE_ASPECT: Range<f64> = 1.1..1.3;

/// Appends the assembly block's parcels, with ids after the last parcel's, to the zone's first two empty blocks.
pub(super) fn append(parts: &mut InventoryParts, spare: &[Spare]) {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED ^ 0x00a5_5e3b);
    let zone = ZONES.iter().position(|z| z.code == ZONE).expect("the assembly block's zone is a park zone");
    let built = spare[zone].built;
    let [grid_block, large_block, ..] = spare[zone].blocks[..] else {
        panic!("{ZONE} has two empty blocks for the assembly block");
    };
    let mut next_id = parts.parcels.iter().map(|p| p.id.0).max().unwrap_or(0) + 1;
    let mut offer = |block: usize, seq: usize, ring: Vec<Coord>, rng: &mut ChaCha8Rng| {
        let plot_no = format!("{}-{:02}-{:02}", ZONES[zone].code, block, seq);
        let parcel = offered(zone, next_id, &plot_no, Outline(ring), rng);
        next_id += 1;
        parts.parcels.push(parcel);
    };

    // The grid: one rectangle cut along x = xs[1] and y = ys[1], every vertex computed once.
    let (w, h) = ([0, 1].map(|_| rng.random_range(GRID_SIDE_M)), [0, 1].map(|_| rng.random_range(GRID_SIDE_M)));
    let c = grid_block.centre();
    let x0 = c.x - f64::midpoint(w[0], w[1]);
    let y0 = c.y - f64::midpoint(h[0], h[1]);
    let xs = [x0, x0 + w[0], x0 + w[0] + w[1]];
    let ys = [y0, y0 + h[0], y0 + h[0] + h[1]];
    let mut seq = 0;
    for row in 0..2 {
        for column in 0..2 {
            seq += 1;
            let ring = vec![
                Coord { x: xs[column], y: ys[row] },
                Coord { x: xs[column + 1], y: ys[row] },
                Coord { x: xs[column + 1], y: ys[row + 1] },
                Coord { x: xs[column], y: ys[row + 1] },
            ];
            offer(built + 1, seq, ring, &mut rng);
        }
    }

    // The large plot, centred in the next block, its longer side east-west.
    let area = rng.random_range(LARGE_MU) * M2_PER_MU;
    let aspect = rng.random_range(LARGE_ASPECT);
    let (width, depth) = ((area * aspect).sqrt(), (area / aspect).sqrt());
    let c = large_block.centre();
    let rect = Rect::new(c.x - width / 2.0, c.y - depth / 2.0, c.x + width / 2.0, c.y + depth / 2.0);
    offer(built + 2, 1, rect.ring().to_vec(), &mut rng);
}

/// An offered class-II plot on `outline` (metres of the zone's frame): the zone's planning conditions, a price in
/// its range, available now, its registered area the rounded outline's geodesic area.
fn offered(zone: usize, id: i64, plot_no: &str, outline: Outline, rng: &mut ChaCha8Rng) -> Parcel {
    let mut geometry = ZONES[zone].frame().polygon(&outline.0);
    geometry.map_coords_in_place(round);
    let mut plot = Plot {
        zone,
        cell: outline.bounds(),
        natural: outline,
        role: Role::Industrial,
        share: Share::default(),
        idle: false,
        parcel: blank_parcel(id, plot_no, zone),
    };
    plan_industrial(&mut plot, IndustrialClass::II, rng);
    let mut parcel = plot.parcel;
    parcel.availability = Availability::Available;
    parcel.price_wan_per_mu = Some(price(rng, zone));
    parcel.area = geodesic_area(&geometry);
    parcel.stated_area = Mu((parcel.area.to_mu().0 * 1_000.0).round() / 1_000.0);
    parcel.geometry = geometry;
    parcel
}

#[cfg(test)]
mod tests {
    use geo::{BooleanOps, MultiPolygon, Validation};
    use landbank_inventory::{Inventory, ParcelId, SupplyMethod, lineage, shared_boundary};

    use super::*;
    use crate::dongxing::{AS_OF, dongxing};

    fn block(inventory: &Inventory, prefix: &str) -> Vec<Parcel> {
        inventory.parcels().iter().filter(|p| p.plot_no.starts_with(prefix)).cloned().collect()
    }

    #[test]
    fn the_block_comes_after_every_other_parcel_as_offered_class_ii_land_in_jiangping() {
        let inventory = Inventory::new(dongxing()).expect("unique ids");
        let parcels = inventory.parcels();
        let added: Vec<&Parcel> = parcels.iter().filter(|p| p.id.0 > 264).collect();
        let plots: Vec<&str> = added.iter().map(|p| p.plot_no.as_str()).collect();
        assert_eq!(plots, ["JP-18-01", "JP-18-02", "JP-18-03", "JP-18-04", "JP-19-01"]);
        let ids: Vec<i64> = added.iter().map(|p| p.id.0).collect();
        assert_eq!(ids, [265, 266, 267, 268, 269]);
        let jp = inventory.zone_by_code("JP").expect("JP");
        for p in added {
            assert_eq!(p.zone, jp.id);
            assert_eq!(p.land_use.code, "100102");
            assert!(p.is_available_on(AS_OF) && p.available_from.is_none(), "{}", p.plot_no);
            assert!(!p.revitalized && p.supply_method != Some(SupplyMethod::Allocation), "{}", p.plot_no);
            assert!(p.price_wan_per_mu.is_some_and(|v| (8.0..=12.0).contains(&v)), "{}", p.plot_no);
            assert!(p.plot_ratio_min.is_some() && p.coverage_min.is_some() && p.power_available_kva.is_some());
            let mu = p.stated_area.0;
            assert!((mu * 1_000.0 - (mu * 1_000.0).round()).abs() < 1e-6, "{} is not in thousandths", p.plot_no);
            assert!(p.area_drift().abs() < 5e-4, "{} drifts {}", p.plot_no, p.area_drift());
        }
    }

    #[test]
    fn the_grid_plots_share_whole_edges_and_any_three_of_them_merge_into_60_mu_or_more() {
        let inventory = Inventory::new(dongxing()).expect("unique ids");
        let grid = block(&inventory, "JP-18-");
        assert_eq!(grid.len(), 4);
        let mu: Vec<f64> = grid.iter().map(|p| p.stated_area.0).collect();
        assert!(mu.iter().all(|m| (20.0..=28.0).contains(m)), "{mu:?}");
        // SW-SE, SW-NW, SE-NE and NW-NE share an edge; the diagonals meet at one corner.
        for (a, b, shared) in [(0, 1, true), (0, 2, true), (1, 3, true), (2, 3, true), (0, 3, false), (1, 2, false)] {
            let run = shared_boundary(&grid[a].geometry, &grid[b].geometry, landbank_inventory::Meters(0.01)).0;
            assert_eq!(run >= 100.0, shared, "{} and {}: {run} m", grid[a].plot_no, grid[b].plot_no);
        }
        for left_out in 0..4 {
            let three: Vec<ParcelId> = (0..4).filter(|&i| i != left_out).map(|i| grid[i].id).collect();
            let total: f64 = (0..4).filter(|&i| i != left_out).map(|i| mu[i]).sum();
            assert!(total >= 60.0, "{total}");
            let change = lineage::merge(&inventory, &three).expect("the three touch");
            let merged = change.parcels.last().expect("the merged parcel");
            assert!(merged.geometry.is_valid());
            assert!((merged.area.to_mu().0 - total).abs() < 0.01, "{} for {total}", merged.area.to_mu().0);
        }
        for (a, b) in [(0, 1), (0, 2), (1, 3), (2, 3)] {
            assert!(mu[a] + mu[b] < 60.0);
            let union = MultiPolygon::new(vec![grid[a].geometry.clone()])
                .union(&MultiPolygon::new(vec![grid[b].geometry.clone()]));
            assert_eq!(union.0.len(), 1);
        }
    }

    #[test]
    fn the_large_plot_is_squarish_and_big_enough_to_carve_60_mu_with_a_lot_to_spare() {
        let inventory = Inventory::new(dongxing()).expect("unique ids");
        let large = block(&inventory, "JP-19-");
        assert_eq!(large.len(), 1);
        let p = &large[0];
        assert!((90.0..=110.0).contains(&p.stated_area.0), "{}", p.stated_area.0);
        let min_lot = inventory.zone(p.zone).expect("zone").policy.min_lot_mu;
        assert!(p.stated_area.0 - 60.0 >= min_lot);
        let (split, _) = lineage::split(
            &inventory,
            p.id,
            Mu(60.0),
            landbank_inventory::CarveDirection::Auto,
            &landbank_inventory::SliverPolicy::default(),
        )
        .expect("60 mu carves off");
        assert!((split.parcels[1].area.to_mu().0 - 60.0).abs() <= 0.001);
        assert!(split.parcels[2].stated_area.0 >= min_lot);
    }
}
