//! The inventory the store tests write and read: every field of every record populated, and the optional ones
//! `None` in a second record; plus reservations and allocations in every state.
#![allow(dead_code)] // each test binary uses part of it

use geo::{Geometry, LineString, Point, Polygon, polygon};
use jiff::Timestamp;
use landbank_inventory::{
    Allocation, AllocationId, AllocationStatus, Availability, BuildingId, BuildingStatus, Country, DevStage,
    FactoryBuilding, FactoryUnit, FireClass, IndustrialClass, Industry, InventoryParts, LandUse, LandUseSystem, Mu,
    Parcel, ParcelId, Poi, PoiId, PoiKind, Project, ProjectId, ProjectStage, Reservation, ReservationId,
    ReservationStatus, SquareMeters, Structure, SupplyMethod, Target, UnitId, UnitStatus, Wan, Zone, ZoneId, ZoneKind,
    ZonePolicy,
};

pub const AT: &str = "2026-11-27T09:30:00Z";

pub fn date(y: i16, m: i8, d: i8) -> jiff::civil::Date {
    jiff::civil::Date::new(y, m, d).expect("a valid date")
}

/// A time with microseconds, the precision both backends keep.
pub fn time(text: &str) -> Timestamp {
    text.parse().expect("an RFC 3339 time")
}

/// A rectangle near Dongxing, `w` × `h` degrees, south-west corner at (x, y).
pub fn rect(x: f64, y: f64, w: f64, h: f64) -> Polygon {
    polygon![(x: x, y: y), (x: x + w, y: y), (x: x + w, y: y + h), (x: x, y: y + h), (x: x, y: y)]
}

/// A small inventory with every field of every record populated, and the optional ones `None` in a second record.
pub fn sample() -> InventoryParts {
    let zone = Zone {
        id: ZoneId(1),
        code: "KHQ".into(),
        name_zh: "跨境经济合作区".into(),
        name_en: "Cross-border Economic Cooperation Zone".into(),
        kind: ZoneKind::CrossBorderCoopZone,
        country: Country::Cn,
        boundary: Polygon::new(
            LineString::from(vec![(107.95, 21.52), (108.0, 21.52), (108.0, 21.56), (107.95, 21.56), (107.95, 21.52)]),
            vec![LineString::from(vec![(107.97, 21.53), (107.975, 21.53), (107.975, 21.535), (107.97, 21.53)])],
        ),
        planned_area: SquareMeters(8_471_234.567_891_23),
        leading_industries: vec![Industry::Textile, Industry::ElectronicInfo, Industry::SodiumIonBattery],
        allowed_classes: vec![IndustrialClass::I, IndustrialClass::II],
        policy: ZonePolicy { intensity_min_wan_per_mu: 260.5, ..ZonePolicy::default() },
    };
    let twin = Zone {
        id: ZoneId(2),
        code: "MC".into(),
        name_zh: "芒街".into(),
        name_en: "Mong Cai counterpart".into(),
        kind: ZoneKind::TwinParkCounterpart,
        country: Country::Vn,
        boundary: rect(107.96, 21.50, 0.02, 0.01),
        planned_area: SquareMeters(0.1 + 0.2),
        leading_industries: vec![],
        allowed_classes: vec![],
        policy: ZonePolicy::default(),
    };
    let full_parcel = Parcel {
        id: ParcelId(10),
        plot_no: "KHQ-01-03".into(),
        parcel_code: Some("450681103005GB00027".into()),
        zone: ZoneId(1),
        geometry: rect(107.961_234_567_890_1, 21.531_234_567_890_1, 0.0021, 0.0017),
        area: SquareMeters(38_123.456_789_012_34),
        stated_area: Mu(57.185),
        land_use: LandUse::industrial(IndustrialClass::II),
        availability: Availability::Supplied,
        dev_stage: DevStage::InProduction,
        supply_method: Some(SupplyMethod::TransferListing),
        revitalized: true,
        term_years: Some(50),
        price_wan_per_mu: Some(18.75),
        plot_ratio_min: Some(1.0),
        plot_ratio_max: Some(2.5),
        coverage_min: Some(0.4),
        height_max_m: Some(24.0),
        power_available_kva: Some(2_500),
        holder: Some("东兴华信坚果加工有限公司".into()),
        project: Some(ProjectId(100)),
        available_from: Some(date(2023, 1, 1)),
        supply_date: Some(date(2023, 3, 15)),
        agreed_start_date: Some(date(2023, 9, 15)),
        agreed_completion_date: Some(date(2025, 9, 14)),
        actual_start_date: Some(date(2023, 10, 8)),
        required_gfa_m2: Some(45_750.125),
        built_gfa_m2: Some(15_249.5),
        total_investment_wan: Some(25_600.5),
        invested_wan: Some(0.1 + 0.2),
        suspended_since: Some(date(2024, 12, 1)),
        government_caused: true,
        land_price_wan: Some(1_072.218_75),
    };
    let bare_parcel = Parcel {
        id: ParcelId(11),
        plot_no: "KHQ-01-04".into(),
        parcel_code: None,
        zone: ZoneId(1),
        geometry: rect(107.965, 21.531, 0.002, 0.0015),
        area: SquareMeters(33_000.0),
        stated_area: Mu(49.5),
        land_use: LandUse { system: LandUseSystem::Gb50137, code: "M1".into() },
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
    };
    let building =
        |id: i64, parcel: Option<ParcelId>, date_: Option<jiff::civil::Date>, operator: Option<&str>| FactoryBuilding {
            id: BuildingId(id),
            building_no: format!("KHQ-B{id}"),
            name: format!("标准厂房 {id} 号"),
            zone: ZoneId(1),
            parcel,
            footprint: rect(107.9615 + id as f64 * 0.0004, 21.5315, 0.0003, 0.0002),
            structure: Structure::RcFrame,
            floors: 4,
            gross_floor_area: SquareMeters(8_640.0),
            floor_plate: SquareMeters(2_160.0),
            height_1f_m: 8.0,
            height_upper_m: 5.4,
            load_1f_kn_m2: 15.0,
            load_upper_kn_m2: 8.0,
            lift_count: 2,
            lift_capacity_t: 3.0,
            transformer_kva: 1_250,
            fire_class: FireClass::Bing,
            status: BuildingStatus::Leasable,
            completion_date: date_,
            operator: operator.map(str::to_owned),
        };
    let unit = |id: i64, outline: Option<Polygon>, project: Option<ProjectId>| FactoryUnit {
        id: UnitId(id),
        building: BuildingId(20),
        label: format!("KHQ-B20-{id}F"),
        floor: 1 + (id % 4) as u8,
        outline,
        area: SquareMeters(2_160.0),
        whole_floor: id % 2 == 0,
        height_m: 5.4,
        load_kn_m2: 8.0,
        power_kva: 250,
        lift_access: true,
        rent_yuan_m2_month: 12.5,
        status: if project.is_some() { UnitStatus::Leased } else { UnitStatus::Vacant },
        available_from: project.is_none().then(|| date(2026, 12, 1)),
        project,
    };
    let project = Project {
        id: ProjectId(100),
        code: "DX-2023-004".into(),
        name_zh: "华信坚果加工".into(),
        name_en: "Huaxin nut processing".into(),
        company: "东兴华信坚果加工有限公司".into(),
        investor_country: "CN".into(),
        industry: Industry::NutProcessing,
        required_class: IndustrialClass::II,
        total_investment: Wan(32_000.0),
        fixed_asset_investment: Wan(25_600.5),
        employees: 320,
        power_need_kva: 1_600,
        stage: ProjectStage::InProduction,
        zone: Some(ZoneId(1)),
        parcel: Some(ParcelId(10)),
        units: vec![UnitId(31), UnitId(30)],
        signed_date: date(2022, 11, 18),
        start_date: Some(date(2023, 10, 8)),
        production_date: Some(date(2025, 6, 30)),
    };
    let bare_project = Project {
        id: ProjectId(101),
        code: "DX-2025-031".into(),
        name_zh: "钠离子电池".into(),
        name_en: "Sodium-ion batteries".into(),
        company: "Pin Co.".into(),
        investor_country: "VN".into(),
        industry: Industry::SodiumIonBattery,
        required_class: IndustrialClass::II,
        total_investment: Wan(150_000.0),
        fixed_asset_investment: Wan(120_000.0),
        employees: 0,
        power_need_kva: 0,
        stage: ProjectStage::Signed,
        zone: None,
        parcel: None,
        units: vec![],
        signed_date: date(2025, 12, 31),
        start_date: None,
        production_date: None,
    };
    let pois = vec![
        Poi {
            id: PoiId(1),
            code: "G219".into(),
            kind: PoiKind::Road,
            name_zh: "国道G219".into(),
            name_en: "National road G219".into(),
            country: Country::Cn,
            geometry: Geometry::LineString(LineString::from(vec![(107.95, 21.6), (107.97, 21.58), (107.99, 21.55)])),
        },
        Poi {
            id: PoiId(2),
            code: "BR1".into(),
            kind: PoiKind::BridgePeople,
            name_zh: "北仑河一桥".into(),
            name_en: "Beilun River Bridge 1".into(),
            country: Country::Cn,
            geometry: Geometry::Point(Point::new(107.970_123_456_789, 21.530_987_654_321)),
        },
    ];
    InventoryParts {
        zones: vec![zone, twin],
        parcels: vec![full_parcel, bare_parcel],
        buildings: vec![
            building(20, Some(ParcelId(10)), Some(date(2021, 12, 30)), Some("东兴产投")),
            building(21, None, None, None),
        ],
        units: vec![
            unit(30, Some(rect(107.9695, 21.5315, 0.0001, 0.0002)), Some(ProjectId(100))),
            unit(31, None, Some(ProjectId(100))),
            unit(32, None, None),
        ],
        projects: vec![project, bare_project],
        pois,
        reservations: Vec::new(),
        allocations: Vec::new(),
    }
}

/// Compares two inventories layer by layer so a failure names the layer.
pub fn assert_same(left: &InventoryParts, right: &InventoryParts) {
    assert_eq!(left.zones, right.zones);
    assert_eq!(left.parcels, right.parcels);
    assert_eq!(left.buildings, right.buildings);
    assert_eq!(left.units, right.units);
    assert_eq!(left.projects, right.projects);
    assert_eq!(left.pois, right.pois);
    assert_eq!(left.reservations, right.reservations);
    assert_eq!(left.allocations, right.allocations);
}

/// An active reservation of `target` for project 101, made at 09:30:00.123456 and held for a day.
pub fn reservation(id: i64, target: Target) -> Reservation {
    Reservation {
        id: ReservationId(id),
        project: ProjectId(101),
        target,
        status: ReservationStatus::Active,
        created_at: time("2026-11-27T09:30:00.123456Z"),
        expires_at: time("2026-11-28T09:30:00.123456Z"),
        actor: "planner-7".into(),
        closed_at: None,
    }
}

/// The same reservation, closed with `status` at 10:00.
pub fn closed(mut r: Reservation, status: ReservationStatus) -> Reservation {
    r.status = status;
    r.closed_at = Some(time("2026-11-27T10:00:00.000001Z"));
    r
}

/// The allocation that confirming `r` makes, with every term set.
pub fn allocation(id: i64, r: &Reservation) -> Allocation {
    Allocation {
        id: AllocationId(id),
        reservation: r.id,
        project: r.project,
        target: r.target.clone(),
        status: AllocationStatus::Active,
        supply_method: Some(SupplyMethod::TransferListing),
        term_years: Some(50),
        price_wan: Some(480.5 + f64::EPSILON * 512.0),
        contract_ref: Some("DX-2026-C-0042".into()),
        confirmed_at: time("2026-11-27T10:00:00.000001Z"),
        actor: "planner-7".into(),
        released_at: None,
    }
}

/// The sample with reservations and allocations in every state: one confirmed and allocated (parcel 10), one
/// released (parcel 11), one active on two units, one confirmed on a unit whose allocation was released.
pub fn sample_with_holdings() -> InventoryParts {
    let mut parts = sample();
    let allocated = closed(reservation(1, Target::Parcel(ParcelId(10))), ReservationStatus::Confirmed);
    let released = closed(reservation(2, Target::Parcel(ParcelId(11))), ReservationStatus::Released);
    let units = reservation(3, Target::Units(vec![UnitId(32), UnitId(31)]));
    let let_go = closed(reservation(4, Target::Units(vec![UnitId(30)])), ReservationStatus::Confirmed);
    let mut gone = allocation(2, &let_go);
    gone.status = AllocationStatus::Released;
    gone.supply_method = None;
    gone.term_years = None;
    gone.price_wan = None;
    gone.contract_ref = None;
    gone.released_at = Some(time("2026-11-27T11:00:00Z"));
    parts.allocations = vec![allocation(1, &allocated), gone];
    parts.reservations = vec![allocated, released, units, let_go];
    parts
}
