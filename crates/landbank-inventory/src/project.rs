//! Investment projects (招商项目): who invests how much in which industry, and how far they have come.

use crate::code::coded_enum;
use crate::{Date, IndustrialClass, ParcelId, ProjectId, UnitId, Wan, ZoneId};

coded_enum! {
    /// Industry of a project, following the park's leading industries and niches.
    Industry ("industry") {
        Textile = "textile",
        Garment = "garment",
        SmallAppliance = "small_appliance",
        ElectronicInfo = "electronic_info",
        EvCharging = "ev_charging",
        SodiumIonBattery = "sodium_ion_battery",
        NewEnergyOther = "new_energy_other",
        SeafoodProcessing = "seafood_processing",
        SpiceHerbal = "spice_herbal",
        NutProcessing = "nut_processing",
        Pharmaceutical = "pharmaceutical",
        Metal = "metal",
        Logistics = "logistics",
        BorderTradeProcessing = "border_trade_processing",
        Infrastructure = "infrastructure",
        Other = "other",
    }
}

impl Industry {
    /// The usual land class for the industry (GB 50137 examples): light assembly is I, food and herbs II.
    pub fn typical_class(self) -> IndustrialClass {
        match self {
            Industry::Garment
            | Industry::SmallAppliance
            | Industry::ElectronicInfo
            | Industry::EvCharging
            | Industry::Logistics
            | Industry::BorderTradeProcessing
            | Industry::Infrastructure
            | Industry::Other => IndustrialClass::I,
            Industry::Textile
            | Industry::SodiumIonBattery
            | Industry::NewEnergyOther
            | Industry::SeafoodProcessing
            | Industry::SpiceHerbal
            | Industry::NutProcessing
            | Industry::Pharmaceutical => IndustrialClass::II,
            Industry::Metal => IndustrialClass::III,
        }
    }
}

coded_enum! {
    /// Stage of a project: 签约 → 供地/租赁 → 开工 → 竣工 → 投产.
    ProjectStage ("project stage") {
        /// 签约: contract signed.
        Signed = "signed",
        /// 供地/租赁: land supplied or space leased.
        SpaceSecured = "space_secured",
        /// 在建: under construction.
        UnderConstruction = "under_construction",
        /// 竣工: built, not yet producing.
        Completed = "completed",
        /// 投产: built and in production.
        InProduction = "in_production",
        Stalled = "stalled",
        Cancelled = "cancelled",
    }
}

/// An investment project signed with the park.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub id: ProjectId,
    /// Project code, e.g. `DX-2024-017`.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub company: String,
    /// ISO 3166 alpha-2 country of the investor.
    pub investor_country: String,
    pub industry: Industry,
    pub required_class: IndustrialClass,
    pub total_investment: Wan,
    pub fixed_asset_investment: Wan,
    pub employees: u32,
    pub power_need_kva: u32,
    pub stage: ProjectStage,
    pub zone: Option<ZoneId>,
    pub parcel: Option<ParcelId>,
    pub units: Vec<UnitId>,
    pub signed_date: Date,
    pub start_date: Option<Date>,
    pub production_date: Option<Date>,
}
