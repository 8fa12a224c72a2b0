//! The 48 newly signed investment projects of the Dongxing fixtures and the names of earlier land holders.
//!
//! The four named projects come from the park's published report; every other name, company and figure is
//! synthetic. Investments add up to the published 1,540,200 万元 (154.02 亿元); 10 projects are in production and
//! 18 under construction, as published.

use jiff::civil::date;
use landbank_inventory::{Date, Industry, ProjectStage};

/// Whether a project builds on its own land or rents standard-factory space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Space {
    Land,
    Factory,
}

/// One signed project as the catalogue states it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub company: &'static str,
    pub industry: Industry,
    pub stage: ProjectStage,
    pub space: Space,
    /// Code of the zone the project settles in.
    pub zone: &'static str,
    /// ISO 3166 alpha-2 country of the investor.
    pub country: &'static str,
    /// Total investment, 万元.
    pub investment_wan: u32,
    pub signed: Date,
}

#[allow(clippy::too_many_arguments)]
const fn entry(
    name_zh: &'static str,
    name_en: &'static str,
    company: &'static str,
    industry: Industry,
    stage: ProjectStage,
    space: Space,
    zone: &'static str,
    country: &'static str,
    investment_wan: u32,
    signed: Date,
) -> Entry {
    Entry { name_zh, name_en, company, industry, stage, space, zone, country, investment_wan, signed }
}

use Industry as I;
use ProjectStage as S;
use Space::{Factory, Land};

/// The signed projects, in project-id order.
#[rustfmt::skip]
pub(super) const PROJECTS: [Entry; 48] = [
    // In production (10).
    entry("华信坚果加工项目", "Huaxin Nut Processing", "东兴市华信食品有限公司", I::NutProcessing, S::InProduction, Factory, "KHQ", "CN", 12_000, date(2023, 2, 15)),
    entry("卓夫香料加工厂", "Zhuofu Spice Processing Plant", "广西卓夫香料有限公司", I::SpiceHerbal, S::InProduction, Factory, "BHQ", "CN", 8_600, date(2023, 3, 8)),
    entry("鑫泰服装生产项目", "Xintai Garment Production", "东兴鑫泰服饰有限公司", I::Garment, S::InProduction, Factory, "BHQ", "HK", 6_800, date(2023, 4, 12)),
    entry("海润海产品精深加工项目", "Hairun Seafood Deep Processing", "广西海润水产食品有限公司", I::SeafoodProcessing, S::InProduction, Land, "JP", "CN", 26_000, date(2023, 1, 18)),
    entry("宏图小家电组装项目", "Hongtu Small Appliance Assembly", "东兴宏图电器有限公司", I::SmallAppliance, S::InProduction, Factory, "CL", "CN", 15_000, date(2023, 5, 20)),
    entry("北仑电子元器件生产项目", "Beilun Electronic Components", "广西北仑电子科技有限公司", I::ElectronicInfo, S::InProduction, Land, "CL", "CN", 32_000, date(2023, 3, 28)),
    entry("越桂纺纱项目", "Yuegui Yarn Spinning", "越桂纺织（东兴）有限公司", I::Textile, S::InProduction, Land, "BHQ", "VN", 45_000, date(2023, 6, 6)),
    entry("充能电动汽车充电桩生产项目", "Chongneng EV Charging Pile Manufacturing", "广西充能新能源科技有限公司", I::EvCharging, S::InProduction, Factory, "CL", "CN", 18_000, date(2023, 7, 11)),
    entry("京岛海洋食品加工项目", "Jingdao Marine Food Processing", "东兴京岛食品有限公司", I::SeafoodProcessing, S::InProduction, Factory, "KHQ", "CN", 9_600, date(2023, 2, 27)),
    entry("东盟边贸商品落地加工项目", "ASEAN Border-trade Goods Processing", "东兴东盟商贸加工有限公司", I::BorderTradeProcessing, S::InProduction, Land, "KHQ", "VN", 22_000, date(2023, 5, 9)),
    // Under construction (18).
    entry("全朗生物原料药加工生产项目", "Quanlang Bio-pharmaceutical API Processing", "广西全朗生物医药有限公司", I::Pharmaceutical, S::UnderConstruction, Land, "JP", "CN", 85_000, date(2023, 9, 19)),
    entry("广西东盟中药材香料智慧产业园", "Guangxi ASEAN Herbal Medicine and Spice Smart Industrial Park", "广西东盟中药材香料产业园发展有限公司", I::SpiceHerbal, S::UnderConstruction, Land, "JP", "CN", 150_000, date(2023, 8, 22)),
    entry("钠能钠离子电池生产基地", "Naneng Sodium-ion Battery Base", "广西钠能新能源科技有限公司", I::SodiumIonBattery, S::UnderConstruction, Land, "CL", "CN", 120_000, date(2024, 1, 16)),
    entry("恒达铝材精深加工项目", "Hengda Aluminium Rolling and Processing", "东兴恒达铝业有限公司", I::Metal, S::UnderConstruction, Land, "JP", "CN", 60_000, date(2023, 11, 7)),
    entry("智联电子信息产业园", "Zhilian Electronic Information Industrial Park", "广西智联电子信息产业有限公司", I::ElectronicInfo, S::UnderConstruction, Land, "CL", "SG", 88_000, date(2024, 3, 5)),
    entry("锦程服装智能制造项目", "Jincheng Smart Garment Manufacturing", "锦程制衣（东兴）有限公司", I::Garment, S::UnderConstruction, Land, "BHQ", "HK", 35_000, date(2023, 10, 24)),
    entry("美家小家电产业园", "Meijia Small Appliance Industrial Park", "广西美家电器有限公司", I::SmallAppliance, S::UnderConstruction, Land, "CL", "CN", 60_000, date(2024, 2, 20)),
    entry("越联纺织品生产项目", "Yuelian Textile Production", "越联纺织（广西）有限公司", I::Textile, S::UnderConstruction, Land, "BHQ", "VN", 48_000, date(2024, 4, 18)),
    entry("蓝海冷链海产品加工项目", "Lanhai Cold-chain Seafood Processing", "东兴蓝海冷链食品有限公司", I::SeafoodProcessing, S::UnderConstruction, Land, "KHQ", "CN", 42_000, date(2024, 5, 28)),
    entry("桂越充电桩及储能设备项目", "Guiyue EV Charging and Energy-storage Equipment", "广西桂越新能源设备有限公司", I::EvCharging, S::UnderConstruction, Land, "CL", "CN", 55_000, date(2024, 6, 13)),
    entry("晟光光伏组件项目", "Shengguang PV Modules", "晟光新能源（东兴）有限公司", I::NewEnergyOther, S::UnderConstruction, Land, "JP", "SG", 76_000, date(2024, 7, 2)),
    entry("南药香料提取项目", "Nanyao Spice Extraction", "东兴南药生物科技有限公司", I::SpiceHerbal, S::UnderConstruction, Factory, "BHQ", "CN", 9_000, date(2024, 3, 26)),
    entry("华讯电子线材项目", "Huaxun Electronic Wire", "东兴华讯电子有限公司", I::ElectronicInfo, S::UnderConstruction, Factory, "CL", "CN", 7_500, date(2024, 8, 9)),
    entry("港湾箱包服饰项目", "Gangwan Bags and Apparel", "东兴港湾服饰有限公司", I::Garment, S::UnderConstruction, Factory, "BHQ", "CN", 5_200, date(2024, 9, 17)),
    entry("跨境商品分拣加工中心", "Cross-border Goods Sorting and Processing Centre", "东兴跨境供应链管理有限公司", I::BorderTradeProcessing, S::UnderConstruction, Land, "KHQ", "CN", 30_000, date(2024, 4, 2)),
    entry("智睿智能小家电项目", "Zhirui Smart Small Appliances", "东兴智睿电器有限公司", I::SmallAppliance, S::UnderConstruction, Factory, "KHQ", "CN", 6_600, date(2024, 10, 15)),
    entry("钠源正极材料项目", "Nayuan Cathode Materials", "广西钠源材料科技有限公司", I::SodiumIonBattery, S::UnderConstruction, Land, "JP", "CN", 90_000, date(2024, 11, 20)),
    entry("果乡坚果炒货深加工项目", "Guoxiang Roasted Nut Processing", "东兴果乡食品有限公司", I::NutProcessing, S::UnderConstruction, Land, "KHQ", "CN", 28_000, date(2024, 6, 25)),
    // Signed, not yet settled (8).
    entry("海丰鱼糜制品项目", "Haifeng Surimi Products", "东兴海丰食品有限公司", I::SeafoodProcessing, S::Signed, Land, "JP", "CN", 18_000, date(2026, 3, 12)),
    entry("星辰电子显示模组项目", "Xingchen Display Modules", "广西星辰光电科技有限公司", I::ElectronicInfo, S::Signed, Land, "CL", "CN", 42_000, date(2026, 5, 21)),
    entry("伟业充电模块项目", "Weiye EV Charging Modules", "东兴伟业电气有限公司", I::EvCharging, S::Signed, Factory, "CL", "CN", 8_800, date(2026, 6, 30)),
    entry("红河湾服装加工项目", "Honghewan Garment Processing", "红河湾服饰（东兴）有限公司", I::Garment, S::Signed, Factory, "BHQ", "VN", 4_500, date(2026, 8, 8)),
    entry("百草香料精深加工项目", "Baicao Spice Deep Processing", "广西百草香料科技有限公司", I::SpiceHerbal, S::Signed, Land, "JP", "CN", 25_000, date(2026, 7, 15)),
    entry("储芯钠电储能电池包项目", "Chuxin Sodium-ion Storage Battery Packs", "东兴储芯能源科技有限公司", I::SodiumIonBattery, S::Signed, Land, "CL", "CN", 36_000, date(2026, 9, 10)),
    entry("越华小家电配件项目", "Yuehua Small Appliance Parts", "越华电器配件（东兴）有限公司", I::SmallAppliance, S::Signed, Factory, "KHQ", "VN", 3_600, date(2026, 10, 16)),
    entry("金滩进口坚果分拣加工项目", "Jintan Imported Nut Sorting and Processing", "东兴金滩贸易有限公司", I::NutProcessing, S::Signed, Factory, "KHQ", "CN", 2_800, date(2026, 10, 28)),
    // Land or space secured, not started (7).
    entry("丝路纺织面料项目", "Silu Textile Fabrics", "广西丝路纺织有限公司", I::Textile, S::SpaceSecured, Land, "BHQ", "CN", 28_000, date(2025, 9, 18)),
    entry("睿芯电子信息产品项目", "Ruixin Electronic Information Products", "东兴睿芯电子有限公司", I::ElectronicInfo, S::SpaceSecured, Factory, "CL", "CN", 12_000, date(2025, 11, 6)),
    entry("沿海冻品加工项目", "Yanhai Frozen Seafood Processing", "东兴沿海冷冻食品有限公司", I::SeafoodProcessing, S::SpaceSecured, Land, "KHQ", "CN", 16_000, date(2025, 10, 14)),
    entry("桂南中药饮片项目", "Guinan Herbal Decoction Pieces", "广西桂南药业有限公司", I::Pharmaceutical, S::SpaceSecured, Land, "JP", "CN", 22_000, date(2025, 12, 9)),
    entry("佳美服饰项目", "Jiamei Apparel", "佳美服饰（东兴）有限公司", I::Garment, S::SpaceSecured, Factory, "BHQ", "HK", 5_600, date(2026, 1, 20)),
    entry("源动充电设施项目", "Yuandong Charging Facilities", "广西源动新能源有限公司", I::EvCharging, S::SpaceSecured, Land, "CL", "CN", 26_000, date(2026, 2, 26)),
    entry("东兴边贸食品分装项目", "Dongxing Border-trade Food Packing", "东兴边贸食品有限公司", I::BorderTradeProcessing, S::SpaceSecured, Factory, "KHQ", "CN", 3_200, date(2026, 4, 7)),
    // Built, not yet producing (2).
    entry("安达电子连接器项目", "Anda Electronic Connectors", "东兴安达电子有限公司", I::ElectronicInfo, S::Completed, Land, "CL", "CN", 24_000, date(2024, 2, 8)),
    entry("海宁水产品综合加工项目", "Haining Aquatic Products Processing", "东兴海宁水产有限公司", I::SeafoodProcessing, S::Completed, Land, "JP", "CN", 14_000, date(2024, 1, 10)),
    // Stalled (3).
    entry("鸿运纺织印花项目", "Hongyun Textile Printing", "东兴鸿运纺织有限公司", I::Textile, S::Stalled, Land, "BHQ", "CN", 21_000, date(2023, 4, 20)),
    entry("鼎盛新能源材料项目", "Dingsheng New Energy Materials", "广西鼎盛新材料有限公司", I::NewEnergyOther, S::Stalled, Land, "CL", "CN", 30_000, date(2023, 7, 26)),
    entry("利民电器项目", "Limin Appliances", "东兴利民电器有限公司", I::SmallAppliance, S::Stalled, Factory, "CL", "CN", 7_400, date(2024, 5, 15)),
];

/// Holders of land supplied before the current investment drive (synthetic names).
pub(super) const EARLIER_HOLDERS: [&str; 24] = [
    "东兴市北部湾木业有限公司",
    "广西东兴红木家具有限公司",
    "东兴市边贸物流有限公司",
    "东兴海洋生物科技有限公司",
    "东兴金海湾食品有限公司",
    "东兴市南方建材有限公司",
    "东兴中越商贸城开发有限公司",
    "广西京族海产品有限公司",
    "东兴市兴港冷链仓储有限公司",
    "东兴市宏达包装有限公司",
    "东兴市江平渔业加工有限公司",
    "广西东兴天成服饰有限公司",
    "东兴市利达五金制品有限公司",
    "东兴市富源农产品加工有限公司",
    "东兴市万利电子有限公司",
    "广西防城港海联物流有限公司",
    "东兴市德信织造有限公司",
    "东兴市龙腾机械有限公司",
    "东兴市绿源饲料有限公司",
    "东兴市佳和塑料制品有限公司",
    "东兴市顺安仓储有限公司",
    "东兴市明珠工艺品有限公司",
    "广西东兴中泰橡胶有限公司",
    "东兴市海川水产冷冻有限公司",
];

/// The park's investment and platform company, which holds allocated plots and runs the standard factories.
pub(super) const PARK_COMPANY: &str = "东兴产业园投资开发有限公司";
