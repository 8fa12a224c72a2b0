//! A small hand-built inventory for the codec's tests: every layer, every field set on one record and left
//! empty on another, coordinates with at most 7 decimals, outer rings counter-clockwise and holes clockwise.

use geo::{Geometry, LineString, Point, Polygon, polygon};
use landbank_inventory::{
    Availability, BuildingId, BuildingStatus, Country, Date, DevStage, FactoryBuilding, FactoryUnit, FireClass,
    IndustrialClass, Industry, Inventory, InventoryParts, LandUse, LandUseSystem, Mu, Parcel, ParcelId, Poi, PoiId,
    PoiKind, Project, ProjectId, ProjectStage, SquareMeters, Structure, SupplyMethod, UnitId, UnitStatus, Wan, Zone,
    ZoneId, ZoneKind, ZonePolicy, geodesic_area,
};

pub(crate) fn date(y: i16, m: i8, d: i8) -> Date {
    Date::new(y, m, d).expect("valid date")
}

/// A counter-clockwise rectangle.
pub(crate) fn rectangle(min_x: f64, min_y: f64, max_x: f64, max_y: f64) -> Polygon {
    polygon![(x: min_x, y: min_y), (x: max_x, y: min_y), (x: max_x, y: max_y), (x: min_x, y: max_y)]
}

pub(crate) fn zones() -> Vec<Zone> {
    vec![
        Zone {
            id: ZoneId(1),
            code: "KHQ".to_owned(),
            name_zh: "跨境经济合作区".to_owned(),
            name_en: "Cross-border \"Economic\" Cooperation Zone \\ Dongxing".to_owned(),
            kind: ZoneKind::CrossBorderCoopZone,
            country: Country::Cn,
            boundary: rectangle(107.95, 21.52, 108.0, 21.56),
            planned_area: SquareMeters(8_413_000.5),
            leading_industries: vec![Industry::Textile, Industry::ElectronicInfo],
            allowed_classes: vec![IndustrialClass::I, IndustrialClass::II],
            policy: ZonePolicy::default(),
        },
        Zone {
            id: ZoneId(2),
            code: "VN-HY".to_owned(),
            name_zh: "越南海河工业园".to_owned(),
            name_en: "Hai Ha twin park".to_owned(),
            kind: ZoneKind::TwinParkCounterpart,
            country: Country::Vn,
            boundary: rectangle(107.9, 21.49, 107.93, 21.51),
            planned_area: SquareMeters(1.0e6),
            leading_industries: Vec::new(),
            allowed_classes: Vec::new(),
            policy: ZonePolicy {
                intensity_min_wan_per_mu: 0.1 + 0.2,
                plot_ratio_min: 1.0 / 3.0,
                ..ZonePolicy::default()
            },
        },
    ]
}

pub(crate) fn parcels() -> Vec<Parcel> {
    let with_hole = Polygon::new(
        LineString::from(vec![
            (107.961_234_5, 21.531_234_5),
            (107.963_456_7, 21.531_234_5),
            (107.963_456_7, 21.533_001),
            (107.961_234_5, 21.533_001),
            (107.961_234_5, 21.531_234_5),
        ]),
        vec![LineString::from(vec![
            (107.962, 21.532),
            (107.962, 21.5321),
            (107.9621, 21.5321),
            (107.9621, 21.532),
            (107.962, 21.532),
        ])],
    );
    let bare = rectangle(107.97, 21.54, 107.971, 21.541);
    vec![
        Parcel {
            id: ParcelId(10),
            plot_no: "KHQ-01-03".to_owned(),
            parcel_code: Some("450681103005GB00027".to_owned()),
            zone: ZoneId(1),
            area: geodesic_area(&with_hole),
            geometry: with_hole,
            stated_area: Mu(67.318),
            land_use: LandUse::industrial(IndustrialClass::II),
            availability: Availability::Supplied,
            dev_stage: DevStage::Started,
            supply_method: Some(SupplyMethod::TransferListing),
            revitalized: true,
            term_years: Some(50),
            price_wan_per_mu: Some(9.6),
            plot_ratio_min: Some(0.8),
            plot_ratio_max: Some(2.5),
            coverage_min: Some(0.1 + 0.2),
            height_max_m: Some(24.0),
            power_available_kva: Some(2_500),
            holder: Some("广西东兴某纺织有限公司".to_owned()),
            project: Some(ProjectId(40)),
            available_from: Some(date(2023, 1, 1)),
            supply_date: Some(date(2023, 3, 15)),
            agreed_start_date: Some(date(2023, 9, 15)),
            agreed_completion_date: Some(date(2025, 9, 15)),
            actual_start_date: Some(date(2023, 10, 2)),
            required_gfa_m2: Some(53_854.4),
            built_gfa_m2: Some(17_950.0),
            total_investment_wan: Some(31_353.8),
            invested_wan: Some(0.1 + 0.2),
            suspended_since: Some(date(2024, 11, 30)),
            government_caused: true,
            land_price_wan: Some(646.252_8),
        },
        Parcel {
            id: ParcelId(11),
            plot_no: "KHQ-01-04".to_owned(),
            parcel_code: None,
            zone: ZoneId(1),
            area: geodesic_area(&bare),
            geometry: bare,
            stated_area: Mu(16.5),
            land_use: LandUse { system: LandUseSystem::Gb50137, code: "M1".to_owned() },
            availability: Availability::Available,
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
        },
    ]
}

pub(crate) fn buildings() -> Vec<FactoryBuilding> {
    vec![
        FactoryBuilding {
            id: BuildingId(20),
            building_no: "KHQ-B1".to_owned(),
            name: "1号标准厂房".to_owned(),
            zone: ZoneId(1),
            parcel: Some(ParcelId(10)),
            footprint: rectangle(107.9615, 21.5315, 107.9619, 21.5318),
            structure: Structure::RcFrame,
            floors: 4,
            gross_floor_area: SquareMeters(5_432.1),
            floor_plate: SquareMeters(1_358.025),
            height_1f_m: 8.0,
            height_upper_m: 4.5,
            load_1f_kn_m2: 20.0,
            load_upper_kn_m2: 8.0,
            lift_count: 2,
            lift_capacity_t: 3.0,
            transformer_kva: 1_250,
            fire_class: FireClass::Bing,
            status: BuildingStatus::Leasable,
            completion_date: Some(date(2022, 6, 30)),
            operator: Some("东兴产业园投资有限公司".to_owned()),
        },
        FactoryBuilding {
            id: BuildingId(21),
            building_no: "KHQ-B2".to_owned(),
            name: "2号标准厂房".to_owned(),
            zone: ZoneId(1),
            parcel: None,
            footprint: rectangle(107.9702, 21.5402, 107.9706, 21.5405),
            structure: Structure::SteelPortal,
            floors: 1,
            gross_floor_area: SquareMeters(1_500.0),
            floor_plate: SquareMeters(1_500.0),
            height_1f_m: 9.5,
            height_upper_m: 0.0,
            load_1f_kn_m2: 30.0,
            load_upper_kn_m2: 0.0,
            lift_count: 0,
            lift_capacity_t: 0.0,
            transformer_kva: 630,
            fire_class: FireClass::Wu,
            status: BuildingStatus::UnderConstruction,
            completion_date: None,
            operator: None,
        },
    ]
}

pub(crate) fn units() -> Vec<FactoryUnit> {
    vec![
        FactoryUnit {
            id: UnitId(30),
            building: BuildingId(20),
            label: "KHQ-B1-2F-A".to_owned(),
            floor: 2,
            outline: Some(rectangle(107.9615, 21.5315, 107.9617, 21.5318)),
            area: SquareMeters(679.012_5),
            whole_floor: false,
            height_m: 4.5,
            load_kn_m2: 8.0,
            power_kva: 150,
            lift_access: true,
            rent_yuan_m2_month: 12.5,
            status: UnitStatus::Leased,
            available_from: Some(date(2024, 7, 1)),
            project: Some(ProjectId(40)),
        },
        FactoryUnit {
            id: UnitId(31),
            building: BuildingId(20),
            label: "KHQ-B1-3F".to_owned(),
            floor: 3,
            outline: None,
            area: SquareMeters(1_358.025),
            whole_floor: true,
            height_m: 4.5,
            load_kn_m2: 8.0,
            power_kva: 300,
            lift_access: true,
            rent_yuan_m2_month: 11.0,
            status: UnitStatus::Vacant,
            available_from: None,
            project: None,
        },
    ]
}

pub(crate) fn projects() -> Vec<Project> {
    vec![
        Project {
            id: ProjectId(40),
            code: "DX-2023-007".to_owned(),
            name_zh: "华信坚果加工".to_owned(),
            name_en: "Huaxin nut processing".to_owned(),
            company: "华信食品有限公司".to_owned(),
            investor_country: "CN".to_owned(),
            industry: Industry::NutProcessing,
            required_class: IndustrialClass::II,
            total_investment: Wan(32_000.0),
            fixed_asset_investment: Wan(21_500.5),
            employees: 350,
            power_need_kva: 800,
            stage: ProjectStage::InProduction,
            zone: Some(ZoneId(1)),
            parcel: Some(ParcelId(10)),
            units: vec![UnitId(30)],
            signed_date: date(2022, 11, 8),
            start_date: Some(date(2023, 10, 2)),
            production_date: Some(date(2024, 12, 1)),
        },
        Project {
            id: ProjectId(41),
            code: "DX-2024-017".to_owned(),
            name_zh: "钠离子电池项目".to_owned(),
            name_en: "Sodium-ion battery project".to_owned(),
            company: "Example Energy Ltd.".to_owned(),
            investor_country: "VN".to_owned(),
            industry: Industry::SodiumIonBattery,
            required_class: IndustrialClass::II,
            total_investment: Wan(50_000.0),
            fixed_asset_investment: Wan(40_000.0),
            employees: 0,
            power_need_kva: 5_000,
            stage: ProjectStage::Signed,
            zone: None,
            parcel: None,
            units: Vec::new(),
            signed_date: date(2024, 5, 20),
            start_date: None,
            production_date: None,
        },
    ]
}

pub(crate) fn pois() -> Vec<Poi> {
    vec![
        Poi {
            id: PoiId(50),
            code: "G219".to_owned(),
            kind: PoiKind::Road,
            name_zh: "G219国道".to_owned(),
            name_en: "National road G219".to_owned(),
            country: Country::Cn,
            geometry: Geometry::LineString(LineString::from(vec![
                (107.95, 21.55),
                (107.975_123_4, 21.547_654_3),
                (108.0, 21.54),
            ])),
        },
        Poi {
            id: PoiId(51),
            code: "BR1".to_owned(),
            kind: PoiKind::BridgePeople,
            name_zh: "北仑河一桥".to_owned(),
            name_en: "Beilun River Bridge 1".to_owned(),
            country: Country::Cn,
            geometry: Geometry::Point(Point::new(107.972_5, 21.538_1)),
        },
        Poi {
            id: PoiId(52),
            code: "VN-HY".to_owned(),
            kind: PoiKind::TwinPark,
            name_zh: "海河工业园".to_owned(),
            name_en: "Hai Ha industrial park".to_owned(),
            country: Country::Vn,
            geometry: Geometry::Polygon(rectangle(107.9, 21.49, 107.93, 21.51)),
        },
    ]
}

pub(crate) fn parts() -> InventoryParts {
    InventoryParts {
        zones: zones(),
        parcels: parcels(),
        buildings: buildings(),
        units: units(),
        projects: projects(),
        pois: pois(),
        reservations: Vec::new(),
        allocations: Vec::new(),
    }
}

pub(crate) fn inventory() -> Inventory {
    Inventory::new(parts()).expect("unique ids")
}
