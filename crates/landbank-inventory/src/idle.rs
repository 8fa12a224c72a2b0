//! Idle land (闲置土地): which supplied parcels lie idle, since when, what the holder owes and when the land can be
//! taken back, under the 闲置土地处置办法 (Measures on the Disposal of Idle Land, 国土资源部令第53号, 2012).
//!
//! # The rules
//!
//! Article 2 makes state-owned construction land idle in two ways:
//!
//! - **not started** ([`IdleRule::NotStarted`]): one full year after the start of construction agreed in the
//!   paid-use contract, or fixed in the allocation decision (划拨决定书), the holder has not started;
//! - **stalled** ([`IdleRule::Stalled`]): construction started, but the floor area developed is less than one
//!   third of the floor area that should be developed, **or** the amount invested is less than 25 % of the total
//!   investment, **and** construction has been suspended for one full year.
//!
//! Article 14: land left undeveloped for one year owes an idle-land fee (土地闲置费) of 20 % of the transfer or
//! allocation price, which may not be booked as a production cost; after two years the land-use right is taken
//! back without compensation (无偿收回). Neither applies when the government or force majeure caused the
//! idleness (Article 8); the holder and the land office then agree on an extension, a change of use or planning
//! conditions, temporary use by the government, reclamation with compensation or a swap (Article 12).
//!
//! # How this module reads them
//!
//! - The clock runs from the agreed start (not started) or from the first day of the suspension (stalled).
//! - A year is a calendar year: the one-year mark is the first anniversary of the clock's start (29 February
//!   rolls to 28 February), the two-year mark the second. On the one-year mark the land is idle and the fee is
//!   due; on the two-year mark it can be reclaimed.
//! - [`IdleStatus::Warning`] starts [`WARNING_DAYS`] days before the one-year mark, so the park can act before
//!   the fee falls due.
//! - A parcel counts as started when its actual start date is on or before the day assessed, or, without a
//!   date, when its development stage is started or suspended. Completed and producing parcels are out of scope.
//! - Areas are floor areas in m², green space excluded; investment amounts exclude the land price and land taxes,
//!   as local implementing rules define them.
//! - An exempt parcel (`government_caused`) is still idle land, but owes no fee and is never
//!   [`IdleStatus::Reclaimable`]: its status stops at [`IdleStatus::Idle`].
//!
//! # Examples
//!
//! ```
//! use jiff::civil::date;
//! use landbank_inventory::idle::{IdleRule, IdleStatus, assess};
//! # use landbank_inventory::*;
//! # let geometry = geo::Polygon::new(vec![(108.0, 21.5), (108.001, 21.5), (108.001, 21.501)].into(), vec![]);
//! # let parcel = Parcel {
//! #     id: ParcelId(7), plot_no: "JP-03-12".into(), parcel_code: None, zone: ZoneId(1),
//! #     area: geodesic_area(&geometry), geometry, stated_area: Mu(40.0),
//! #     land_use: LandUse::industrial(IndustrialClass::II), availability: Availability::Available,
//! #     dev_stage: DevStage::NotStarted, supply_method: None, revitalized: false, term_years: None,
//! #     price_wan_per_mu: None, plot_ratio_min: None, plot_ratio_max: None, coverage_min: None,
//! #     height_max_m: None, power_available_kva: None, holder: None, project: None, available_from: None,
//! #     supply_date: None, agreed_start_date: None, agreed_completion_date: None, actual_start_date: None,
//! #     required_gfa_m2: None, built_gfa_m2: None, total_investment_wan: None, invested_wan: None,
//! #     suspended_since: None, government_caused: false, land_price_wan: None,
//! # };
//! // A 40-mu plot sold for 480 万元 with construction to start on 1 March 2025; nothing has been built.
//! let parcel = Parcel {
//!     availability: Availability::Supplied,
//!     agreed_start_date: Some(date(2025, 3, 1)),
//!     land_price_wan: Some(480.0),
//!     ..parcel
//! };
//! let soon = assess(&parcel, date(2026, 1, 15)).unwrap();
//! assert_eq!((soon.status, soon.days_until_idle), (IdleStatus::Warning, Some(45)));
//! let idle = assess(&parcel, date(2026, 3, 1)).unwrap();
//! assert_eq!((idle.status, idle.rule, idle.days_idle), (IdleStatus::Idle, IdleRule::NotStarted, 365));
//! assert_eq!(idle.fee, Some(Wan(96.0)));
//! ```

use std::collections::BTreeMap;

use jiff::ToSpan;

use crate::code::coded_enum;
use crate::{Availability, Date, DevStage, Inventory, Parcel, ParcelId, Tally, Wan};

/// Days before the one-year mark from which a parcel is [`IdleStatus::Warning`].
pub const WARNING_DAYS: i32 = 90;

/// Share of the transfer or allocation price owed as the idle-land fee (Article 14).
pub const FEE_SHARE: f64 = 0.2;

coded_enum! {
    /// Where a parcel stands on the idle-land clock, least severe first.
    IdleStatus ("idle status") {
        /// On the clock, more than [`WARNING_DAYS`] days before the one-year mark.
        Ok = "ok",
        /// Within [`WARNING_DAYS`] days of the one-year mark: idle land soon.
        Warning = "warning",
        /// Idle for one year or more: the 20 % idle-land fee is due (unless exempt).
        Idle = "idle",
        /// Idle for two years or more: the right can be taken back without compensation.
        Reclaimable = "reclaimable",
    }
}

coded_enum! {
    /// Which test of Article 2 the clock runs under.
    IdleRule ("idle rule") {
        /// Not started after the agreed start of construction.
        NotStarted = "not_started",
        /// Started, less than a third of the floor area developed or less than a quarter of the investment made,
        /// and suspended.
        Stalled = "stalled",
    }
}

/// Where one parcel stands on the idle-land clock on the day assessed.
#[derive(Debug, Clone, PartialEq)]
pub struct IdleAssessment {
    pub parcel: ParcelId,
    pub status: IdleStatus,
    /// The test the clock runs under.
    pub rule: IdleRule,
    /// The day the clock runs from: the agreed start of construction, or the first day of the suspension.
    pub clock_start: Date,
    /// The first anniversary of `clock_start`: the land is idle and the fee due from this day.
    pub idle_from: Date,
    /// The second anniversary of `clock_start`: the land can be reclaimed from this day (unless exempt).
    pub reclaimable_from: Date,
    /// Days from `clock_start` to the day assessed; 0 while the clock has not started.
    pub days_idle: i32,
    /// Days left until `idle_from`; `None` from that day on.
    pub days_until_idle: Option<i32>,
    /// Floor area developed ÷ floor area that should be developed, when both are known.
    pub developed_share: Option<f64>,
    /// Amount invested ÷ total investment, when both are known.
    pub invested_share: Option<f64>,
    /// Whether the government or force majeure caused the idleness: no fee, no reclamation without compensation.
    pub exempt: bool,
    /// The idle-land fee: 20 % of the land price, once idle and not exempt; `None` before, when exempt, or when
    /// the land price is not recorded.
    pub fee: Option<Wan>,
}

/// Assesses one parcel against the idle-land rules on `as_of` (see the [module documentation](self)).
///
/// Returns `None` when no idle-land clock runs for the parcel: it is not supplied (planned, offered, held,
/// reclaimed, retired), it is completed or in production, it started and is neither suspended nor short of a
/// third of its floor area or a quarter of its investment, or the date the clock would run from is not recorded.
/// A parcel on the clock but far from the one-year mark is [`IdleStatus::Ok`].
pub fn assess(parcel: &Parcel, as_of: Date) -> Option<IdleAssessment> {
    if parcel.availability != Availability::Supplied
        || matches!(parcel.dev_stage, DevStage::Completed | DevStage::InProduction)
    {
        return None;
    }
    let started = match parcel.actual_start_date {
        Some(day) => day <= as_of,
        None => matches!(parcel.dev_stage, DevStage::Started | DevStage::Suspended),
    };
    let (rule, clock_start) = if started {
        let short_of_floor_area = below(parcel.built_gfa_m2, parcel.required_gfa_m2, 3.0);
        let short_of_investment = below(parcel.invested_wan, parcel.total_investment_wan, 4.0);
        if !(short_of_floor_area || short_of_investment) {
            return None;
        }
        (IdleRule::Stalled, parcel.suspended_since.filter(|&day| day <= as_of)?)
    } else {
        (IdleRule::NotStarted, parcel.agreed_start_date?)
    };

    let idle_from = clock_start.saturating_add(1.year());
    let reclaimable_from = clock_start.saturating_add(2.years());
    let days_idle = days(clock_start, as_of).max(0);
    let days_until_idle = (as_of < idle_from).then(|| days(as_of, idle_from));
    let exempt = parcel.government_caused;
    let status = if as_of >= reclaimable_from && !exempt {
        IdleStatus::Reclaimable
    } else if as_of >= idle_from {
        IdleStatus::Idle
    } else if days_until_idle.is_some_and(|d| d <= WARNING_DAYS) {
        IdleStatus::Warning
    } else {
        IdleStatus::Ok
    };
    let fee =
        if status >= IdleStatus::Idle && !exempt { parcel.land_price_wan.map(|p| Wan(p * FEE_SHARE)) } else { None };
    Some(IdleAssessment {
        parcel: parcel.id,
        status,
        rule,
        clock_start,
        idle_from,
        reclaimable_from,
        days_idle,
        days_until_idle,
        developed_share: share(parcel.built_gfa_m2, parcel.required_gfa_m2),
        invested_share: share(parcel.invested_wan, parcel.total_investment_wan),
        exempt,
        fee,
    })
}

/// Whether `part` is below `whole ÷ parts` (a third: 3, a quarter: 4), when both are known.
fn below(part: Option<f64>, whole: Option<f64>, parts: f64) -> bool {
    matches!((part, whole), (Some(part), Some(whole)) if part * parts < whole)
}

fn share(part: Option<f64>, whole: Option<f64>) -> Option<f64> {
    match (part, whole) {
        (Some(part), Some(whole)) if whole > 0.0 => Some(part / whole),
        _ => None,
    }
}

/// Whole days from `from` to `to`, negative when `to` comes first.
fn days(from: Date, to: Date) -> i32 {
    from.until(to).map_or(0, |span| span.get_days())
}

/// Every parcel that is idle, reclaimable or about to be idle on `as_of`, most severe first: reclaimable, idle,
/// warning; within a status the longest idle first, then by parcel id. Parcels in good standing
/// ([`IdleStatus::Ok`]) and parcels off the clock are left out.
///
/// # Examples
///
/// ```
/// use landbank_inventory::{Inventory, InventoryParts, idle_land_report};
/// let inventory = Inventory::new(InventoryParts::default()).unwrap();
/// assert!(idle_land_report(&inventory, jiff::civil::date(2026, 11, 27)).is_empty());
/// ```
pub fn idle_land_report(inventory: &Inventory, as_of: Date) -> Vec<IdleAssessment> {
    let mut report: Vec<IdleAssessment> =
        inventory.parcels().iter().filter_map(|p| assess(p, as_of)).filter(|a| a.status != IdleStatus::Ok).collect();
    report.sort_by(|a, b| b.status.cmp(&a.status).then(b.days_idle.cmp(&a.days_idle)).then(a.parcel.cmp(&b.parcel)));
    report
}

/// The parcels on the idle-land clock on one day, counted by status.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IdleSummary {
    /// Parcels on the clock and their registered areas, by status; every status is present.
    pub by_status: BTreeMap<IdleStatus, Tally>,
    /// Idle parcels exempt because the government or force majeure caused the idleness.
    pub exempt: Tally,
    /// Sum of the idle-land fees due, 万元.
    pub fees_due: Wan,
}

/// Counts the parcels on the idle-land clock on `as_of` by status, with the fees due.
///
/// # Examples
///
/// ```
/// use landbank_inventory::{IdleStatus, Inventory, InventoryParts, idle_land_summary};
/// let inventory = Inventory::new(InventoryParts::default()).unwrap();
/// let summary = idle_land_summary(&inventory, jiff::civil::date(2026, 11, 27));
/// assert_eq!(summary.by_status[&IdleStatus::Reclaimable].count, 0);
/// ```
pub fn idle_land_summary(inventory: &Inventory, as_of: Date) -> IdleSummary {
    let mut summary = IdleSummary {
        by_status: IdleStatus::ALL.iter().map(|&s| (s, Tally::default())).collect(),
        ..IdleSummary::default()
    };
    for parcel in inventory.parcels() {
        let Some(a) = assess(parcel, as_of) else { continue };
        summary.by_status.entry(a.status).or_default().add(parcel.stated_area);
        if a.exempt && a.status >= IdleStatus::Idle {
            summary.exempt.add(parcel.stated_area);
        }
        if let Some(fee) = a.fee {
            summary.fees_due += fee;
        }
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{IndustrialClass, InventoryParts, LandUse, Mu, SquareMeters, SupplyMethod, ZoneId};
    use approx::assert_relative_eq;
    use geo::polygon;
    use jiff::civil::date;

    /// A 40-mu plot sold for 480 万元 with construction agreed to start on 1 March 2025 and not started.
    fn not_started() -> Parcel {
        Parcel {
            id: ParcelId(7),
            plot_no: "JP-03-12".to_owned(),
            parcel_code: None,
            zone: ZoneId(1),
            geometry: polygon![(x: 108.0, y: 21.5), (x: 108.001, y: 21.5), (x: 108.001, y: 21.501)],
            area: SquareMeters(26_666.7),
            stated_area: Mu(40.0),
            land_use: LandUse::industrial(IndustrialClass::II),
            availability: Availability::Supplied,
            dev_stage: DevStage::NotStarted,
            supply_method: Some(SupplyMethod::TransferListing),
            revitalized: false,
            term_years: Some(50),
            price_wan_per_mu: Some(12.0),
            plot_ratio_min: Some(1.0),
            plot_ratio_max: None,
            coverage_min: None,
            height_max_m: None,
            power_available_kva: None,
            holder: Some("东兴某食品有限公司".to_owned()),
            project: None,
            available_from: None,
            supply_date: Some(date(2024, 3, 1)),
            agreed_start_date: Some(date(2025, 3, 1)),
            agreed_completion_date: Some(date(2027, 3, 1)),
            actual_start_date: None,
            required_gfa_m2: Some(26_667.0),
            built_gfa_m2: Some(0.0),
            total_investment_wan: Some(12_000.0),
            invested_wan: Some(0.0),
            suspended_since: None,
            government_caused: false,
            land_price_wan: Some(480.0),
        }
    }

    /// The same plot started on 1 April 2025, with `built` of 30,000 m² and `invested` of 10,000 万元 done, and
    /// suspended since 1 June 2025.
    fn stalled(built: f64, invested: f64) -> Parcel {
        Parcel {
            dev_stage: DevStage::Suspended,
            actual_start_date: Some(date(2025, 4, 1)),
            required_gfa_m2: Some(30_000.0),
            built_gfa_m2: Some(built),
            total_investment_wan: Some(10_000.0),
            invested_wan: Some(invested),
            suspended_since: Some(date(2025, 6, 1)),
            ..not_started()
        }
    }

    fn status(parcel: &Parcel, as_of: Date) -> Option<IdleStatus> {
        assess(parcel, as_of).map(|a| a.status)
    }

    #[test]
    fn exactly_one_year_after_the_agreed_start_the_land_is_idle_and_owes_a_fifth_of_its_price() {
        let a = assess(&not_started(), date(2026, 3, 1)).expect("on the clock");
        assert_eq!(
            (a.status, a.rule, a.days_idle, a.days_until_idle),
            (IdleStatus::Idle, IdleRule::NotStarted, 365, None)
        );
        assert_eq!(
            (a.clock_start, a.idle_from, a.reclaimable_from),
            (date(2025, 3, 1), date(2026, 3, 1), date(2027, 3, 1))
        );
        assert_relative_eq!(a.fee.expect("a fee").0, 96.0);
        assert!(!a.exempt);
    }

    #[test]
    fn the_day_before_the_one_year_mark_is_a_warning_without_a_fee() {
        let a = assess(&not_started(), date(2026, 2, 28)).expect("on the clock");
        assert_eq!((a.status, a.days_idle, a.days_until_idle, a.fee), (IdleStatus::Warning, 364, Some(1), None));
    }

    #[test]
    fn warnings_start_ninety_days_before_the_one_year_mark() {
        let mark = date(2026, 3, 1);
        let before = |days: i64| status(&not_started(), mark.saturating_sub(days.days()));
        assert_eq!(before(89), Some(IdleStatus::Warning));
        assert_eq!(before(90), Some(IdleStatus::Warning));
        assert_eq!(before(91), Some(IdleStatus::Ok));
        assert_eq!(assess(&not_started(), mark.saturating_sub(90.days())).and_then(|a| a.days_until_idle), Some(90));
    }

    #[test]
    fn a_parcel_whose_agreed_start_lies_ahead_is_on_the_clock_in_good_standing() {
        let a = assess(&not_started(), date(2024, 12, 1)).expect("on the clock");
        assert_eq!((a.status, a.days_idle, a.days_until_idle), (IdleStatus::Ok, 0, Some(455)));
    }

    #[test]
    fn two_years_after_the_agreed_start_the_land_can_be_taken_back() {
        assert_eq!(status(&not_started(), date(2027, 2, 28)), Some(IdleStatus::Idle));
        let a = assess(&not_started(), date(2027, 3, 1)).expect("on the clock");
        assert_eq!((a.status, a.days_idle), (IdleStatus::Reclaimable, 730));
        assert_relative_eq!(a.fee.expect("the fee stays due").0, 96.0);
    }

    #[test]
    fn the_one_year_mark_is_the_anniversary_even_across_a_leap_day() {
        let parcel = Parcel { agreed_start_date: Some(date(2023, 6, 1)), ..not_started() };
        assert_eq!(status(&parcel, date(2024, 5, 31)), Some(IdleStatus::Warning));
        let a = assess(&parcel, date(2024, 6, 1)).expect("on the clock");
        assert_eq!((a.status, a.days_idle), (IdleStatus::Idle, 366));
        let leap = Parcel { agreed_start_date: Some(date(2024, 2, 29)), ..not_started() };
        assert_eq!(assess(&leap, date(2025, 2, 28)).map(|a| a.idle_from), Some(date(2025, 2, 28)));
    }

    #[test]
    fn idleness_caused_by_the_government_owes_no_fee_and_is_never_reclaimable() {
        let parcel = Parcel { government_caused: true, ..not_started() };
        let a = assess(&parcel, date(2028, 3, 1)).expect("on the clock");
        assert_eq!((a.status, a.exempt, a.fee, a.days_idle), (IdleStatus::Idle, true, None, 1096));
        assert_eq!(status(&parcel, date(2026, 1, 1)), Some(IdleStatus::Warning));
    }

    #[test]
    fn without_a_land_price_the_fee_is_unknown() {
        let parcel = Parcel { land_price_wan: None, ..not_started() };
        let a = assess(&parcel, date(2026, 6, 1)).expect("on the clock");
        assert_eq!((a.status, a.fee), (IdleStatus::Idle, None));
    }

    #[test]
    fn less_than_a_third_of_the_floor_area_and_a_year_suspended_is_stalled_idle_land() {
        let parcel = stalled(9_999.0, 5_000.0);
        assert_eq!(status(&parcel, date(2026, 5, 31)), Some(IdleStatus::Warning));
        let a = assess(&parcel, date(2026, 6, 1)).expect("on the clock");
        assert_eq!(
            (a.status, a.rule, a.clock_start, a.days_idle),
            (IdleStatus::Idle, IdleRule::Stalled, date(2025, 6, 1), 365)
        );
        assert_relative_eq!(a.developed_share.expect("known"), 0.3333, epsilon = 1e-4);
        assert_relative_eq!(a.invested_share.expect("known"), 0.5);
        assert_eq!(status(&parcel, date(2027, 6, 1)), Some(IdleStatus::Reclaimable));
    }

    #[test]
    fn less_than_a_quarter_of_the_investment_and_a_year_suspended_is_stalled_idle_land() {
        let parcel = stalled(15_000.0, 2_499.0);
        let a = assess(&parcel, date(2026, 6, 1)).expect("on the clock");
        assert_eq!((a.status, a.rule), (IdleStatus::Idle, IdleRule::Stalled));
    }

    #[test]
    fn a_third_built_and_a_quarter_invested_is_not_idle_however_long_suspended() {
        assert_eq!(assess(&stalled(10_000.0, 2_500.0), date(2030, 1, 1)), None);
    }

    #[test]
    fn a_started_parcel_short_of_the_thresholds_is_off_the_clock_until_it_is_suspended() {
        let working = Parcel { dev_stage: DevStage::Started, suspended_since: None, ..stalled(1_000.0, 500.0) };
        assert_eq!(assess(&working, date(2027, 1, 1)), None);
        let later = Parcel { suspended_since: Some(date(2027, 1, 1)), ..working };
        assert_eq!(assess(&later, date(2026, 12, 31)), None, "the suspension has not begun");
        assert_eq!(status(&later, date(2027, 1, 1)), Some(IdleStatus::Ok));
    }

    #[test]
    fn a_start_recorded_after_the_day_assessed_counts_as_not_started() {
        let parcel = Parcel { actual_start_date: Some(date(2026, 4, 1)), ..not_started() };
        let a = assess(&parcel, date(2026, 3, 1)).expect("not started on that day");
        assert_eq!((a.status, a.rule), (IdleStatus::Idle, IdleRule::NotStarted));
        assert_eq!(assess(&parcel, date(2026, 4, 1)), None, "started on the day");
    }

    #[test]
    fn land_not_supplied_or_already_built_is_off_the_clock() {
        let day = date(2028, 1, 1);
        for availability in
            [Availability::Available, Availability::Held, Availability::Reclaimed, Availability::Retired]
        {
            assert_eq!(assess(&Parcel { availability, ..not_started() }, day), None, "{availability}");
        }
        for dev_stage in [DevStage::Completed, DevStage::InProduction] {
            assert_eq!(assess(&Parcel { dev_stage, ..not_started() }, day), None, "{dev_stage}");
        }
        assert_eq!(assess(&Parcel { agreed_start_date: None, ..not_started() }, day), None);
    }

    fn inventory() -> Inventory {
        let parcel =
            |id: i64, agreed: Date| Parcel { id: ParcelId(id), agreed_start_date: Some(agreed), ..not_started() };
        let parcels = vec![
            parcel(1, date(2026, 1, 1)),                                       // ok on 2026-06-01
            parcel(2, date(2025, 8, 1)),                                       // warning
            parcel(3, date(2024, 1, 1)),                                       // reclaimable
            parcel(4, date(2025, 3, 1)),                                       // idle
            parcel(5, date(2024, 5, 1)),                                       // reclaimable, shorter
            Parcel { government_caused: true, ..parcel(6, date(2023, 1, 1)) }, // idle, exempt
            Parcel { availability: Availability::Available, ..parcel(7, date(2020, 1, 1)) },
        ];
        Inventory::new(InventoryParts { parcels, ..InventoryParts::default() }).expect("unique ids")
    }

    #[test]
    fn the_report_lists_the_worst_first_and_leaves_out_parcels_in_good_standing() {
        let report = idle_land_report(&inventory(), date(2026, 6, 1));
        let order: Vec<(i64, IdleStatus)> = report.iter().map(|a| (a.parcel.0, a.status)).collect();
        assert_eq!(
            order,
            [
                (3, IdleStatus::Reclaimable),
                (5, IdleStatus::Reclaimable),
                (6, IdleStatus::Idle),
                (4, IdleStatus::Idle),
                (2, IdleStatus::Warning),
            ]
        );
    }

    #[test]
    fn the_summary_counts_every_status_and_adds_up_the_fees() {
        let summary = idle_land_summary(&inventory(), date(2026, 6, 1));
        let count = |s| summary.by_status[&s].count;
        assert_eq!(
            (
                count(IdleStatus::Ok),
                count(IdleStatus::Warning),
                count(IdleStatus::Idle),
                count(IdleStatus::Reclaimable)
            ),
            (1, 1, 2, 2)
        );
        assert_eq!(summary.exempt.count, 1);
        assert_relative_eq!(summary.by_status[&IdleStatus::Idle].stated_area.0, 80.0);
        assert_relative_eq!(summary.fees_due.0, 3.0 * 96.0);
    }
}
