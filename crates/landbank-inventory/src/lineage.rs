//! Splits and merges of parcels: a carve or a union becomes new parcels, the old ones are retired (never
//! deleted), and the change records the lineage from parents to children.

use geo::{MultiPolygon, Validation};

use crate::carve::{Carve, CarveDirection, CarveError, SliverPolicy, carve};
use crate::reservation::Change;
use crate::{Availability, Inventory, Mu, Parcel, ParcelId, geodesic_area};

/// Why a split or merge is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LineageError {
    #[error("parcel {0} does not exist")]
    UnknownParcel(ParcelId),
    #[error("parcel {parcel} is {availability}; only available, reserve or planned land can be split or merged")]
    NotFree { parcel: ParcelId, availability: Availability },
    #[error(transparent)]
    Carve(#[from] CarveError),
    #[error("a merge needs at least two different parcels")]
    TooFew,
    #[error("parcels {a} and {b} lie in different zones")]
    DifferentZones { a: ParcelId, b: ParcelId },
    #[error("parcels {a} and {b} have different land uses ({use_a} and {use_b})")]
    DifferentLandUse { a: ParcelId, b: ParcelId, use_a: String, use_b: String },
    #[error(
        "the parcels do not form one connected piece of land (their union has {parts} parts); merge only parcels that touch"
    )]
    NotAdjacent { parts: usize },
    #[error("the merged outline is not valid: {0}")]
    InvalidUnion(String),
}

fn free(inventory: &Inventory, id: ParcelId) -> Result<&Parcel, LineageError> {
    let parcel = inventory.parcel(id).ok_or(LineageError::UnknownParcel(id))?;
    match parcel.availability {
        Availability::Available | Availability::Reserve | Availability::Planned => Ok(parcel),
        availability => Err(LineageError::NotFree { parcel: id, availability }),
    }
}

/// Registered area rounded to the thousandth of a mu, as areas are stated.
fn thousandths(area: Mu) -> Mu {
    Mu((area.0 * 1_000.0).round() / 1_000.0)
}

/// The totals a parcel carries for its whole area (price, floor areas, investment), scaled by `share`.
fn scale_totals(p: &mut Parcel, share: f64) {
    for total in [
        &mut p.land_price_wan,
        &mut p.required_gfa_m2,
        &mut p.built_gfa_m2,
        &mut p.total_investment_wan,
        &mut p.invested_wan,
    ] {
        *total = total.map(|v| v * share);
    }
}

/// The sum of one total over parcels; `None` when none of them has it.
fn sum_totals(parents: &[&Parcel], total: impl Fn(&Parcel) -> Option<f64>) -> Option<f64> {
    parents.iter().filter_map(|p| total(p)).reduce(|a, b| a + b)
}

/// A new parcel that inherits everything from `parent` but its identity, outline and areas.
fn child(parent: &Parcel, id: ParcelId, plot_no: String, outline: geo::Polygon, stated: Mu) -> Parcel {
    let mut c = parent.clone();
    c.id = id;
    c.plot_no = plot_no;
    c.parcel_code = None;
    c.area = geodesic_area(&outline);
    c.geometry = outline;
    c.stated_area = stated;
    c.project = None;
    c.holder = None;
    c
}

/// Plans carving `target` mu out of a parcel: two children (`<plot>-A` of the target area, `<plot>-B` the rest)
/// replace the parcel, which is retired. The children's stated areas add up to the parent's exactly.
///
/// # Errors
///
/// Unknown parcel; a parcel that is held, supplied or retired; any refusal of [`carve`].
pub fn split(
    inventory: &Inventory,
    id: ParcelId,
    target: Mu,
    direction: CarveDirection,
    policy: &SliverPolicy,
) -> Result<(Change, Carve), LineageError> {
    let parent = free(inventory, id)?;
    let cut = carve(&parent.geometry, target, direction, policy)?;
    let first = inventory.next_parcel_id();
    let second = ParcelId(first.0 + 1);
    let piece_stated = thousandths(target);
    let rest_stated = thousandths(parent.stated_area - piece_stated);
    let mut piece = child(parent, first, format!("{}-A", parent.plot_no), cut.piece.clone(), piece_stated);
    let mut rest = child(parent, second, format!("{}-B", parent.plot_no), cut.remainder.clone(), rest_stated);
    // Totals for the whole parcel are shared by stated area.
    let whole = parent.stated_area.0.max(f64::MIN_POSITIVE);
    scale_totals(&mut piece, piece_stated.0 / whole);
    scale_totals(&mut rest, rest_stated.0 / whole);
    let mut retired = parent.clone();
    retired.availability = Availability::Retired;
    let change = Change {
        parcels: vec![retired, piece, rest],
        lineage: vec![(id, vec![first, second])],
        kind: "split",
        ..Change::default()
    };
    Ok((change, cut))
}

/// Plans merging adjacent parcels of one zone and land use into one: the union becomes a new parcel whose stated
/// area is the sum of theirs; the parents are retired.
///
/// # Errors
///
/// Fewer than two parcels; unknown, held, supplied or retired parcels; different zones or land uses; parcels that
/// do not touch; a union that is not one valid polygon.
pub fn merge(inventory: &Inventory, ids: &[ParcelId]) -> Result<Change, LineageError> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() < 2 {
        return Err(LineageError::TooFew);
    }
    let parents = ids.iter().map(|id| free(inventory, *id)).collect::<Result<Vec<_>, _>>()?;
    let first = parents[0];
    for p in &parents[1..] {
        if p.zone != first.zone {
            return Err(LineageError::DifferentZones { a: first.id, b: p.id });
        }
        if p.land_use != first.land_use {
            return Err(LineageError::DifferentLandUse {
                a: first.id,
                b: p.id,
                use_a: first.land_use.code.clone(),
                use_b: p.land_use.code.clone(),
            });
        }
    }
    // One union of all the outlines at once: folding pairwise unions snaps each intermediate result to its own
    // precision grid, and an edge shared with the next parcel can then miss it by a hair, leaving two parts.
    let union: MultiPolygon = geo::unary_union(parents.iter().map(|p| &p.geometry));
    if union.0.len() != 1 {
        return Err(LineageError::NotAdjacent { parts: union.0.len() });
    }
    let outline = union.0.into_iter().next().ok_or(LineageError::NotAdjacent { parts: 0 })?;
    outline.check_validation().map_err(|e| LineageError::InvalidUnion(e.to_string()))?;
    let stated = thousandths(parents.iter().map(|p| p.stated_area).sum());
    let plot_no = parents.iter().map(|p| p.plot_no.as_str()).collect::<Vec<_>>().join("+");
    let id = inventory.next_parcel_id();
    let mut merged = child(first, id, plot_no, outline, stated);
    merged.land_price_wan = sum_totals(&parents, |p| p.land_price_wan);
    merged.required_gfa_m2 = sum_totals(&parents, |p| p.required_gfa_m2);
    merged.built_gfa_m2 = sum_totals(&parents, |p| p.built_gfa_m2);
    merged.total_investment_wan = sum_totals(&parents, |p| p.total_investment_wan);
    merged.invested_wan = sum_totals(&parents, |p| p.invested_wan);
    let mut parcels: Vec<Parcel> = parents
        .iter()
        .map(|p| {
            let mut retired = (*p).clone();
            retired.availability = Availability::Retired;
            retired
        })
        .collect();
    parcels.push(merged);
    Ok(Change { parcels, lineage: ids.iter().map(|p| (*p, vec![id])).collect(), kind: "merge", ..Change::default() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{IndustrialClass, InventoryParts, LandUse, ZoneId};
    use geo::polygon;

    fn parcel(id: i64, x: f64) -> Parcel {
        let geometry =
            polygon![(x: x, y: 21.59), (x: x + 0.002, y: 21.59), (x: x + 0.002, y: 21.591), (x: x, y: 21.591)];
        let stated = thousandths(geodesic_area(&geometry).to_mu());
        let land_use = LandUse::industrial(IndustrialClass::II);
        let mut p = Parcel::new(ParcelId(id), &format!("JP-{id:02}"), ZoneId(1), geometry, stated, land_use);
        p.availability = Availability::Available;
        p
    }

    fn inventory(parcels: Vec<Parcel>) -> Inventory {
        Inventory::new(InventoryParts { parcels, ..InventoryParts::default() }).expect("unique ids")
    }

    #[test]
    fn a_split_retires_the_parent_and_keeps_the_stated_total() {
        let inv = inventory(vec![parcel(1, 108.08)]);
        let (change, _) =
            split(&inv, ParcelId(1), Mu(12.0), CarveDirection::Auto, &SliverPolicy::default()).expect("splits");
        assert_eq!(change.parcels[0].availability, Availability::Retired);
        let (a, b) = (&change.parcels[1], &change.parcels[2]);
        assert_eq!((a.plot_no.as_str(), b.plot_no.as_str()), ("JP-01-A", "JP-01-B"));
        assert!((a.stated_area.0 + b.stated_area.0 - change.parcels[0].stated_area.0).abs() < 1e-9);
        assert!((a.area.to_mu().0 - 12.0).abs() <= 0.001);
        assert_eq!(change.lineage, vec![(ParcelId(1), vec![ParcelId(2), ParcelId(3)])]);
    }

    #[test]
    fn a_split_shares_the_parcels_totals_by_area_and_a_merge_adds_them_up() {
        let mut p = parcel(1, 108.08);
        p.land_price_wan = Some(300.0);
        let stated = p.stated_area.0;
        let mut inv = inventory(vec![p, parcel(5, 108.1)]);
        let (change, _) =
            split(&inv, ParcelId(1), Mu(12.0), CarveDirection::Auto, &SliverPolicy::default()).expect("splits");
        let prices: Vec<f64> = change.parcels[1..].iter().map(|c| c.land_price_wan.expect("a share")).collect();
        assert!((prices[0] - 300.0 * 12.0 / stated).abs() < 1e-9);
        assert!((prices[0] + prices[1] - 300.0).abs() < 1e-9);
        inv.apply(&change);
        let merged = merge(&inv, &[ParcelId(6), ParcelId(7)]).expect("the pieces touch");
        let whole = merged.parcels.last().expect("merged");
        assert!((whole.land_price_wan.expect("a sum") - 300.0).abs() < 1e-9);
    }

    #[test]
    fn a_retired_parcel_cannot_be_split_again() {
        let mut inv = inventory(vec![parcel(1, 108.08)]);
        let (change, _) =
            split(&inv, ParcelId(1), Mu(12.0), CarveDirection::Auto, &SliverPolicy::default()).expect("splits");
        inv.apply(&change);
        let again = split(&inv, ParcelId(1), Mu(5.0), CarveDirection::Auto, &SliverPolicy::default());
        assert!(matches!(again, Err(LineageError::NotFree { availability: Availability::Retired, .. })));
    }

    #[test]
    fn touching_parcels_merge_into_one() {
        let inv = inventory(vec![parcel(1, 108.08), parcel(2, 108.082)]);
        let change = merge(&inv, &[ParcelId(2), ParcelId(1)]).expect("merges");
        let merged = change.parcels.last().expect("a new parcel");
        assert_eq!(merged.id, ParcelId(3));
        assert_eq!(merged.plot_no, "JP-01+JP-02");
        assert!((merged.area.0 - inv.parcels().iter().map(|p| p.area.0).sum::<f64>()).abs() < 1.0);
    }

    #[test]
    fn parcels_apart_do_not_merge() {
        let inv = inventory(vec![parcel(1, 108.08), parcel(2, 108.09)]);
        assert!(matches!(merge(&inv, &[ParcelId(1), ParcelId(2)]), Err(LineageError::NotAdjacent { parts: 2 })));
        assert!(matches!(merge(&inv, &[ParcelId(1), ParcelId(1)]), Err(LineageError::TooFew)));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(100))]

        /// A row of touching strips of random widths merges into one valid parcel whose geodesic area is the sum
        /// of theirs (to a square metre) and whose stated area is their sum exactly; splitting it again keeps the
        /// stated total.
        #[test]
        fn merging_touching_strips_keeps_every_area(
            widths in proptest::collection::vec(0.0008f64..0.003, 2..5),
            height in 0.0006f64..0.002,
            target in 0.1f64..0.6,
        ) {
            let mut x = 108.05;
            let parcels: Vec<Parcel> = widths
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let geometry = polygon![(x: x, y: 21.59), (x: x + w, y: 21.59), (x: x + w, y: 21.59 + height), (x: x, y: 21.59 + height)];
                    x += w;
                    let stated = thousandths(geodesic_area(&geometry).to_mu());
                    let land_use = LandUse::industrial(IndustrialClass::II);
                    let mut p = Parcel::new(ParcelId(i as i64 + 1), &format!("JP-{i:02}"), ZoneId(1), geometry, stated, land_use);
                    p.availability = Availability::Available;
                    p
                })
                .collect();
            let stated_sum: f64 = parcels.iter().map(|p| p.stated_area.0).sum();
            let area_sum: f64 = parcels.iter().map(|p| p.area.0).sum();
            let ids: Vec<ParcelId> = parcels.iter().map(|p| p.id).collect();
            let mut inv = inventory(parcels);
            let change = merge(&inv, &ids).expect("touching strips merge");
            let merged = change.parcels.last().expect("the merged parcel").clone();
            proptest::prop_assert!(merged.geometry.is_valid());
            proptest::prop_assert!((merged.area.0 - area_sum).abs() < 1.0, "{} vs {area_sum}", merged.area.0);
            proptest::prop_assert!((merged.stated_area.0 - thousandths(Mu(stated_sum)).0).abs() < 1e-9);
            proptest::prop_assert_eq!(change.parcels.iter().filter(|p| p.availability == Availability::Retired).count(), ids.len());
            inv.apply(&change);
            let want = Mu(merged.stated_area.0 * target);
            if let Ok((split_change, _)) = split(&inv, merged.id, want, CarveDirection::Auto, &SliverPolicy::default()) {
                let (a, b) = (&split_change.parcels[1], &split_change.parcels[2]);
                proptest::prop_assert!((a.stated_area.0 + b.stated_area.0 - merged.stated_area.0).abs() < 1e-9);
                proptest::prop_assert!((a.area.0 + b.area.0 - merged.area.0).abs() < 0.5);
            }
        }
    }
}
