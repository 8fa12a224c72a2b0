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
}

impl Parcel {
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
