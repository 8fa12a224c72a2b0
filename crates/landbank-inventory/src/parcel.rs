//! Land parcels and planning plots (宗地/地块): where they are, what they may be used for, who holds them.

use geo::Polygon;

use crate::code::coded_enum;
use crate::{Date, IndustrialClass, LandUse, Mu, ParcelId, ProjectId, SquareMeters, ZoneId};

coded_enum! {
    /// Where a parcel stands in the supply cycle.
    Availability ("availability") {
        /// 规划: in the plan, not yet assembled.
        Planned = "planned",
        /// 储备: in the land reserve, not yet offered.
        Reserve = "reserve",
        /// 可供: offered, free to allocate.
        Available = "available",
        /// 预留: held for a project.
        Held = "held",
        /// 已供: supplied to a holder.
        Supplied = "supplied",
        /// 收回: taken back from a holder.
        Reclaimed = "reclaimed",
        /// Retired by a split or merge; kept for lineage.
        Retired = "retired",
    }
}

coded_enum! {
    /// How far the holder has developed a supplied parcel.
    DevStage ("development stage") {
        NotStarted = "not_started",
        /// 已动工.
        Started = "started",
        Suspended = "suspended",
        /// 竣工.
        Completed = "completed",
        /// 投产.
        InProduction = "in_production",
    }
}

coded_enum! {
    /// How the land-use right was supplied (供地方式).
    SupplyMethod ("supply method") {
        /// 划拨: allocation, free and open-ended (infrastructure, public use).
        Allocation = "allocation",
        /// 出让 by 招标.
        TransferTender = "transfer_tender",
        /// 出让 by 拍卖.
        TransferAuction = "transfer_auction",
        /// 出让 by 挂牌.
        TransferListing = "transfer_listing",
        /// 协议出让.
        TransferAgreement = "transfer_agreement",
        /// 租赁.
        Lease = "lease",
        /// 先租后让.
        LeaseThenTransfer = "lease_then_transfer",
        /// 作价出资/入股.
        CapitalContribution = "capital_contribution",
    }
}

/// A land parcel or planning plot.
#[derive(Debug, Clone, PartialEq)]
pub struct Parcel {
    pub id: ParcelId,
    /// Local plot number, e.g. `JP-03-12`; every parcel has one.
    pub plot_no: String,
    /// 宗地代码 (19 characters), once registered.
    pub parcel_code: Option<String>,
    pub zone: ZoneId,
    /// Outline in EPSG:4490 lon/lat.
    pub geometry: Polygon,
    /// Geodesic area of `geometry`.
    pub area: SquareMeters,
    /// Registered (legal) area, in mu to 0.001 as Chinese listings state it.
    pub stated_area: Mu,
    pub land_use: LandUse,
    pub availability: Availability,
    pub dev_stage: DevStage,
    pub supply_method: Option<SupplyMethod>,
    /// Whether the parcel is idle existing land brought back into use (盘活存量用地).
    pub revitalized: bool,
    /// Term of the land-use right in years (50 at most for industry).
    pub term_years: Option<u16>,
    /// Listing or transaction price, 万元 per mu.
    pub price_wan_per_mu: Option<f64>,
    pub plot_ratio_min: Option<f64>,
    pub plot_ratio_max: Option<f64>,
    pub coverage_min: Option<f64>,
    pub height_max_m: Option<f64>,
    /// Power available at the boundary, kVA.
    pub power_available_kva: Option<u32>,
    /// 使用权人, once supplied.
    pub holder: Option<String>,
    pub project: Option<ProjectId>,
    /// First day the parcel can be handed over.
    pub available_from: Option<Date>,
    pub supply_date: Option<Date>,
    /// Start of construction agreed in the contract or allocation decision (idle-land clock).
    pub agreed_start_date: Option<Date>,
    pub agreed_completion_date: Option<Date>,
    pub actual_start_date: Option<Date>,
    /// Floor area that should be developed (应动工开发建设面积), m², green space excluded: the base of the
    /// one-third test of the idle-land rules ([`crate::idle`]).
    pub required_gfa_m2: Option<f64>,
    /// Floor area developed so far, m².
    pub built_gfa_m2: Option<f64>,
    /// Total investment as contracted, 万元, excluding the land price and land taxes: the base of the 25 % test.
    pub total_investment_wan: Option<f64>,
    /// Amount invested so far, 万元, excluding the land price and land taxes.
    pub invested_wan: Option<f64>,
    /// First day of the current suspension of construction (中止开发建设), while work stands still.
    pub suspended_since: Option<Date>,
    /// Whether idleness is caused by the government or by force majeure, which exempts the holder from the
    /// idle-land fee and from reclamation without compensation.
    pub government_caused: bool,
    /// Total price of the land-use right (出让价款 or 划拨价款), 万元: the base of the 20 % idle-land fee.
    pub land_price_wan: Option<f64>,
}

impl Parcel {
    /// A planned parcel with its outline and registered area, every optional field empty; the computed area is
    /// the outline's geodesic area.
    pub fn new(
        id: ParcelId,
        plot_no: &str,
        zone: ZoneId,
        geometry: Polygon,
        stated_area: Mu,
        land_use: LandUse,
    ) -> Parcel {
        Parcel {
            id,
            plot_no: plot_no.to_owned(),
            parcel_code: None,
            zone,
            area: crate::geodesic_area(&geometry),
            geometry,
            stated_area,
            land_use,
            availability: Availability::Planned,
            dev_stage: DevStage::NotStarted,
            supply_method: None,
            revitalized: false,
            term_years: None,
            price_wan_per_mu: None,
            plot_ratio_min: None,
            plot_ratio_max: None,
            coverage_min: None,
            height_max_m: None,
            power_available_kva: None,
            holder: None,
            project: None,
            available_from: None,
            supply_date: None,
            agreed_start_date: None,
            agreed_completion_date: None,
            actual_start_date: None,
            required_gfa_m2: None,
            built_gfa_m2: None,
            total_investment_wan: None,
            invested_wan: None,
            suspended_since: None,
            government_caused: false,
            land_price_wan: None,
        }
    }

    /// The industrial class its land use allows, if it is industrial land.
    pub fn class(&self) -> Option<IndustrialClass> {
        self.land_use.industrial_class()
    }

    /// The registered area in square metres.
    pub fn stated_area_m2(&self) -> SquareMeters {
        self.stated_area.into()
    }

    /// Relative difference between the computed and the registered area.
    pub fn area_drift(&self) -> f64 {
        let stated = self.stated_area_m2().0;
        if stated > 0.0 { (self.area.0 - stated) / stated } else { f64::INFINITY }
    }

    /// Whether the parcel is free to allocate on `date`.
    pub fn is_available_on(&self, date: Date) -> bool {
        self.availability == Availability::Available && self.available_from.is_none_or(|d| d <= date)
    }
}
