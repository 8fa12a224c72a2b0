//! Idle-land tracking of the Dongxing fixtures: the land price, floor areas and investment of every supplied parcel,
//! and the idle-land cases the fixtures stage on purpose (reference/domain.md §1.4), consistent on [`AS_OF`].
//!
//! Runs after everything else with its own random numbers, so the rest of the fixtures (and the published
//! figures) do not depend on it. The staged cases, as of [`AS_OF`]:
//!
//! - **warning**: the earlier holder's plot whose start was agreed most recently among those idle one to two years
//!   moves its dates so that the one-year mark falls 45 days after [`AS_OF`];
//! - **exemption**: the earlier holder's plot idle longest waited for the park's roads and power (七通一平), so
//!   its idleness is government-caused: idle, but no fee and no reclamation;
//! - **stalled**: of the earlier holders that started building (oldest plot numbers first), one built less than a
//!   third of its floor area and has stood still for a year and four months (idle), one invested less than a
//!   quarter and has stood still for over two years (reclaimable), and one stopped after building more than half
//!   of its floor area with half its investment (suspended, but not idle land under the rules).
//!
//! The idle cases the layout already made (earlier holders and stalled projects that never started) stay as they
//! are: idle for more than one year, and for more than two.

use jiff::ToSpan;
use landbank_inventory::{Availability, DevStage, FactoryBuilding, InventoryParts, Parcel, Project, SupplyMethod};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{AS_OF, SEED};

/// Investment of earlier holders without a project record, 万元 per mu (excluding the land price).
const EARLIER_INVESTMENT_WAN_PER_MU: std::ops::Range<f64> = 250.0..450.0;
/// Building cost of standard factories, 万元 per m² of floor area.
const FACTORY_COST_WAN_PER_M2: f64 = 0.25;

/// Fills the idle-land fields of every supplied parcel and stages the cases listed in the module documentation.
pub(super) fn track(parts: &mut InventoryParts) {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED ^ 0x1d1e);
    for parcel in &mut parts.parcels {
        if parcel.availability == Availability::Supplied {
            record(parcel, &parts.projects, &parts.buildings, &mut rng);
        }
    }
    stage_warning(&mut parts.parcels);
    stage_exemption(&mut parts.parcels);
    stage_stalled(&mut parts.parcels);
}

/// To the hundredth (of a 万元: 100 yuan), written with few digits.
fn cents(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// To ten 万元.
fn tens(value: f64) -> f64 {
    (value / 10.0).round() * 10.0
}

/// Land price, floor areas and investment of a supplied parcel, as its development stage implies.
fn record(parcel: &mut Parcel, projects: &[Project], buildings: &[FactoryBuilding], rng: &mut ChaCha8Rng) {
    let mu = parcel.stated_area.0;
    let allocated = parcel.supply_method == Some(SupplyMethod::Allocation);
    if !allocated {
        parcel.land_price_wan = parcel.price_wan_per_mu.map(|price| cents(price * mu));
    }
    // Only plots with a plot ratio have floor area to develop: industry and the standard-factory platforms, not
    // roads, utilities or the service centre.
    let Some(ratio) = parcel.plot_ratio_min else { return };
    let required = (parcel.stated_area_m2().0 * ratio).round();
    let factories: f64 = buildings.iter().filter(|b| b.parcel == Some(parcel.id)).map(|b| b.gross_floor_area.0).sum();
    let built = match parcel.dev_stage {
        DevStage::NotStarted => 0.0,
        DevStage::Started | DevStage::Suspended => (required * rng.random_range(0.4..0.9)).round(),
        DevStage::Completed | DevStage::InProduction if factories > 0.0 => factories,
        DevStage::Completed | DevStage::InProduction => (required * rng.random_range(1.0..1.25)).round(),
    };
    let project = parcel.project.and_then(|id| projects.iter().find(|p| p.id == id));
    let total = match project {
        Some(p) => cents(p.total_investment.0 - parcel.land_price_wan.unwrap_or(0.0)),
        None if allocated => tens(required.max(built) * FACTORY_COST_WAN_PER_M2),
        None => tens(mu * rng.random_range(EARLIER_INVESTMENT_WAN_PER_MU)),
    };
    let invested = match parcel.dev_stage {
        DevStage::NotStarted => total * rng.random_range(0.0..0.03),
        DevStage::Started | DevStage::Suspended => total * rng.random_range(0.35..0.85),
        DevStage::Completed => total * rng.random_range(0.95..1.0),
        DevStage::InProduction => total,
    };
    parcel.required_gfa_m2 = Some(required);
    parcel.built_gfa_m2 = Some(built);
    parcel.total_investment_wan = Some(total);
    parcel.invested_wan = Some(cents(invested));
}

/// Supplied, not started, and held by an earlier holder (no project record, not re-supplied as revitalized land).
fn earlier_holder_not_started(p: &Parcel) -> bool {
    p.availability == Availability::Supplied
        && p.dev_stage == DevStage::NotStarted
        && p.actual_start_date.is_none()
        && p.project.is_none()
        && !p.revitalized
        && p.supply_method != Some(SupplyMethod::Allocation)
}

fn stage_warning(parcels: &mut [Parcel]) {
    let idle_one_to_two_years = |p: &Parcel| {
        p.agreed_start_date.is_some_and(|d| d <= AS_OF.saturating_sub(1.year()) && d > AS_OF.saturating_sub(2.years()))
    };
    let chosen = parcels
        .iter_mut()
        .filter(|p| earlier_holder_not_started(p) && idle_one_to_two_years(p))
        .max_by_key(|p| p.agreed_start_date);
    if let Some(p) = chosen {
        let agreed = AS_OF.saturating_sub(1.year()).saturating_add(45.days());
        p.supply_date = Some(agreed.saturating_sub(12.months()));
        p.agreed_start_date = Some(agreed);
        p.agreed_completion_date = Some(agreed.saturating_add(24.months()));
    }
}

fn stage_exemption(parcels: &mut [Parcel]) {
    let chosen = parcels
        .iter_mut()
        .filter(|p| earlier_holder_not_started(p) && p.agreed_start_date.is_some())
        .min_by_key(|p| p.agreed_start_date);
    if let Some(p) = chosen {
        p.government_caused = true;
    }
}

fn stage_stalled(parcels: &mut [Parcel]) {
    let started = |p: &Parcel| {
        p.availability == Availability::Supplied
            && p.dev_stage == DevStage::Started
            && p.project.is_none()
            && !p.revitalized
            && p.required_gfa_m2.is_some()
    };
    // (share of floor area built, share of investment made, days suspended)
    let cases = [(0.22, 0.40, 365 + 120), (0.45, 0.18, 2 * 365 + 200), (0.55, 0.50, 3 * 365)];
    let chosen = parcels.iter_mut().filter(|p| started(p));
    for (p, (built, invested, days)) in chosen.zip(cases) {
        let since = AS_OF.saturating_sub(i64::from(days).days());
        if p.actual_start_date.is_some_and(|start| start >= since) {
            continue;
        }
        p.dev_stage = DevStage::Suspended;
        p.suspended_since = Some(since);
        p.built_gfa_m2 = p.required_gfa_m2.map(|r| (r * built).round());
        p.invested_wan = p.total_investment_wan.map(|t| cents(t * invested));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use landbank_inventory::Inventory;
    use landbank_inventory::idle::{IdleAssessment, IdleRule, IdleStatus, assess};

    fn inventory() -> Inventory {
        Inventory::new(crate::dongxing()).expect("unique ids")
    }

    fn assessed(inventory: &Inventory) -> Vec<(&Parcel, IdleAssessment)> {
        inventory.parcels().iter().filter_map(|p| assess(p, AS_OF).map(|a| (p, a))).collect()
    }

    #[test]
    fn the_fixtures_stage_every_idle_land_case() {
        let inventory = inventory();
        let cases = assessed(&inventory);
        let with = |status: IdleStatus, rule: IdleRule| {
            cases.iter().filter(move |(_, a)| a.status == status && a.rule == rule && !a.exempt)
        };
        // Not started a year after the agreed start: the fee is due; two years: reclaimable.
        assert!(with(IdleStatus::Idle, IdleRule::NotStarted).count() >= 2);
        assert!(with(IdleStatus::Reclaimable, IdleRule::NotStarted).count() >= 2);
        assert!(cases.iter().filter(|(_, a)| a.status >= IdleStatus::Idle).all(|(_, a)| a.fee.is_some() != a.exempt));
        // One warning, 45 days before the one-year mark.
        let warnings: Vec<_> = cases.iter().filter(|(_, a)| a.status == IdleStatus::Warning).collect();
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].1.days_until_idle, Some(45));
        // Stalled: one short of a third of its floor area, one short of a quarter of its investment, both suspended
        // for more than a year.
        let stalled: Vec<_> = cases.iter().filter(|(_, a)| a.rule == IdleRule::Stalled).collect();
        assert_eq!(stalled.len(), 2, "{stalled:?}");
        let short = |a: &IdleAssessment| {
            (a.developed_share.is_some_and(|s| s < 1.0 / 3.0), a.invested_share.is_some_and(|s| s < 0.25))
        };
        assert!(stalled.iter().any(|(_, a)| short(a) == (true, false) && a.status == IdleStatus::Idle));
        assert!(stalled.iter().any(|(_, a)| short(a) == (false, true) && a.status == IdleStatus::Reclaimable));
        assert!(stalled.iter().all(|(p, a)| a.days_idle >= 365 && p.dev_stage == DevStage::Suspended));
        // A suspended parcel that built and invested enough is not idle land.
        let suspended = inventory.parcels().iter().filter(|p| p.suspended_since.is_some()).count();
        assert_eq!(suspended, 3);
        // One government-caused exemption: idle for more than two years, yet neither fee nor reclamation.
        let exempt: Vec<_> = cases.iter().filter(|(_, a)| a.exempt).collect();
        assert_eq!(exempt.len(), 1);
        let (_, a) = exempt[0];
        assert_eq!((a.status, a.fee), (IdleStatus::Idle, None));
        assert!(a.days_idle > 730);
    }

    #[test]
    fn supplied_parcels_record_what_the_idle_land_rules_need() {
        let inventory = inventory();
        for p in inventory.parcels() {
            if p.availability != Availability::Supplied {
                assert_eq!(p.land_price_wan, None, "{}", p.plot_no);
                assert_eq!(p.required_gfa_m2, None, "{}", p.plot_no);
                continue;
            }
            if let Some(price) = p.price_wan_per_mu {
                let land = p.land_price_wan.expect("a land price");
                assert!((land - price * p.stated_area.0).abs() <= 0.005 + 1e-9, "{}", p.plot_no);
            }
            if p.plot_ratio_min.is_none() {
                continue;
            }
            let (required, built) = (p.required_gfa_m2.expect("required"), p.built_gfa_m2.expect("built"));
            let (total, invested) = (p.total_investment_wan.expect("total"), p.invested_wan.expect("invested"));
            assert!(required > 0.0 && total > 0.0 && (0.0..=total).contains(&invested), "{}", p.plot_no);
            match p.dev_stage {
                DevStage::NotStarted => assert!(built == 0.0 && invested < 0.05 * total, "{}", p.plot_no),
                DevStage::Started | DevStage::Suspended => assert!(built < required, "{}", p.plot_no),
                // Standard-factory platforms count the buildings of phase one.
                DevStage::Completed | DevStage::InProduction => assert!(built > 0.0, "{}", p.plot_no),
            }
            if let Some(since) = p.suspended_since {
                assert!(p.actual_start_date.is_some_and(|start| start < since) && since < AS_OF, "{}", p.plot_no);
            }
        }
    }
}
