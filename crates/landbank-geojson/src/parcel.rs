//! The parcel layer on the wire: its properties in output order, and reading a parcel back from a feature.

use std::sync::LazyLock;

use landbank_inventory::{
    Availability, DevStage, IndustrialClass, LandUse, LandUseSystem, Mu, Parcel, ParcelId, ProjectId, SupplyMethod,
    ZoneId, geodesic_area,
};

use crate::read::{FeatureReader, Noted};
use crate::schema::{Fields, boolean, codes, date, integer, number, string};
use crate::value::rounded;

pub(crate) static FIELDS: LazyLock<Fields<Parcel>> = LazyLock::new(|| {
    Fields::<Parcel>::new()
        .with(string("plot_no", "Local plot number, e.g. JP-03-12"), |p, _| p.plot_no.as_str().into())
        .with(string("parcel_code", "Parcel code (宗地代码, 19 characters), once registered").nullable(), |p, _| {
            p.parcel_code.as_deref().into()
        })
        .with(string("zone", "Code of the zone, e.g. JP (from zone_id)").nullable().read_only(), |p, inventory| {
            inventory.zone(p.zone).map(|z| z.code.as_str()).into()
        })
        .with(integer("zone_id", "Id of the zone"), |p, _| p.zone.0.into())
        .with(
            string("land_use_system", "Classification system of land_use_code").codes(codes!(LandUseSystem)),
            |p, _| p.land_use.system.code().into(),
        )
        .with(string("land_use_code", "Land-use code in its system, e.g. 100102 or M2"), |p, _| {
            p.land_use.code.as_str().into()
        })
        .with(
            string("class", "Industrial land class the land use allows (from the land use)")
                .codes(codes!(IndustrialClass))
                .nullable()
                .read_only(),
            |p, _| p.class().map(IndustrialClass::code).into(),
        )
        .with(
            string("availability", "Where the parcel stands in the supply cycle").codes(codes!(Availability)),
            |p, _| p.availability.code().into(),
        )
        .with(string("dev_stage", "How far the holder has developed the parcel").codes(codes!(DevStage)), |p, _| {
            p.dev_stage.code().into()
        })
        .with(
            string("supply_method", "How the land-use right was supplied (供地方式)")
                .codes(codes!(SupplyMethod))
                .nullable(),
            |p, _| p.supply_method.map(SupplyMethod::code).into(),
        )
        .with(boolean("revitalized", "Idle existing land brought back into use (盘活存量用地)"), |p, _| {
            p.revitalized.into()
        })
        .with(number("area_m2", "Geodesic area of the outline, m² (computed, 2 decimals)").read_only(), |p, _| {
            rounded(p.area.0, 2).into()
        })
        .with(number("area_mu", "Geodesic area of the outline, mu (computed, 3 decimals)").read_only(), |p, _| {
            rounded(p.area.to_mu().0, 3).into()
        })
        .with(number("stated_area_mu", "Registered (legal) area, mu"), |p, _| p.stated_area.0.into())
        .with(number("stated_area_m2", "Registered (legal) area, m² (computed, 2 decimals)").read_only(), |p, _| {
            rounded(p.stated_area_m2().0, 2).into()
        })
        .with(integer("term_years", "Term of the land-use right, years").nullable(), |p, _| p.term_years.into())
        .with(
            number("price_wan_per_mu", "Listing or transaction price, 万元 (10,000 yuan) per mu").nullable(),
            |p, _| p.price_wan_per_mu.into(),
        )
        .with(number("plot_ratio_min", "Minimum plot ratio (容积率)").nullable(), |p, _| p.plot_ratio_min.into())
        .with(number("plot_ratio_max", "Maximum plot ratio (容积率)").nullable(), |p, _| p.plot_ratio_max.into())
        .with(number("coverage_min", "Minimum building coverage (建筑系数), a fraction").nullable(), |p, _| {
            p.coverage_min.into()
        })
        .with(number("height_max_m", "Maximum building height, m").nullable(), |p, _| p.height_max_m.into())
        .with(integer("power_available_kva", "Power available at the boundary, kVA").nullable(), |p, _| {
            p.power_available_kva.into()
        })
        .with(string("holder", "Holder of the land-use right (使用权人)").nullable().restricted(), |p, _| {
            p.holder.as_deref().into()
        })
        .with(integer("project_id", "Id of the project on the parcel").nullable(), |p, _| {
            p.project.map(|id| id.0).into()
        })
        .with(date("available_from", "First day the parcel can be handed over").nullable(), |p, _| {
            p.available_from.into()
        })
        .with(date("supply_date", "Date the land was supplied").nullable(), |p, _| p.supply_date.into())
        .with(date("agreed_start_date", "Start of construction agreed in the contract").nullable(), |p, _| {
            p.agreed_start_date.into()
        })
        .with(date("agreed_completion_date", "Completion agreed in the contract").nullable(), |p, _| {
            p.agreed_completion_date.into()
        })
        .with(date("actual_start_date", "Date construction actually started").nullable(), |p, _| {
            p.actual_start_date.into()
        })
        .with(
            number(
                "required_gfa_m2",
                "Floor area that should be developed (应动工开发建设面积), m², green space excluded",
            )
            .nullable()
            .not_queryable(),
            |p, _| p.required_gfa_m2.into(),
        )
        .with(number("built_gfa_m2", "Floor area developed so far, m²").nullable().not_queryable(), |p, _| {
            p.built_gfa_m2.into()
        })
        .with(
            number("total_investment_wan", "Total investment as contracted, 万元, excluding the land price")
                .nullable()
                .not_queryable()
                .restricted(),
            |p, _| p.total_investment_wan.into(),
        )
        .with(
            number("invested_wan", "Amount invested so far, 万元, excluding the land price")
                .nullable()
                .not_queryable()
                .restricted(),
            |p, _| p.invested_wan.into(),
        )
        .with(date("suspended_since", "First day of the current suspension of construction").nullable(), |p, _| {
            p.suspended_since.into()
        })
        .with(
            boolean(
                "government_caused",
                "Idleness caused by the government or force majeure (exempt from the idle-land fee)",
            ),
            |p, _| p.government_caused.into(),
        )
        .with(
            number("land_price_wan", "Total price of the land-use right, 万元 (the base of the 20 % idle-land fee)")
                .nullable()
                .not_queryable()
                .restricted(),
            |p, _| p.land_price_wan.into(),
        )
});

pub(crate) fn read(r: &mut FeatureReader<'_>) -> Result<Parcel, Noted> {
    let geometry = r.polygon();
    let plot_no = r.required("plot_no");
    let parcel_code = r.optional("parcel_code");
    let zone = r.required("zone_id");
    let system = r.code("land_use_system");
    let code = r.required("land_use_code");
    let availability = r.code("availability");
    let dev_stage = r.code("dev_stage");
    let supply_method = r.optional_code("supply_method");
    let revitalized = r.required("revitalized");
    let stated_area = r.required("stated_area_mu");
    let term_years = r.optional("term_years");
    let price_wan_per_mu = r.optional("price_wan_per_mu");
    let plot_ratio_min = r.optional("plot_ratio_min");
    let plot_ratio_max = r.optional("plot_ratio_max");
    let coverage_min = r.optional("coverage_min");
    let height_max_m = r.optional("height_max_m");
    let power_available_kva = r.optional("power_available_kva");
    let holder = r.optional("holder");
    let project = r.optional("project_id");
    let available_from = r.optional("available_from");
    let supply_date = r.optional("supply_date");
    let agreed_start_date = r.optional("agreed_start_date");
    let agreed_completion_date = r.optional("agreed_completion_date");
    let actual_start_date = r.optional("actual_start_date");
    let required_gfa_m2 = r.optional("required_gfa_m2");
    let built_gfa_m2 = r.optional("built_gfa_m2");
    let total_investment_wan = r.optional("total_investment_wan");
    let invested_wan = r.optional("invested_wan");
    let suspended_since = r.optional("suspended_since");
    let government_caused = r.required("government_caused");
    let land_price_wan = r.optional("land_price_wan");

    let geometry = geometry?;
    Ok(Parcel {
        id: ParcelId(r.id()),
        plot_no: plot_no?,
        parcel_code: parcel_code?,
        zone: ZoneId(zone?),
        area: geodesic_area(&geometry),
        geometry,
        stated_area: Mu(stated_area?),
        land_use: LandUse { system: system?, code: code? },
        availability: availability?,
        dev_stage: dev_stage?,
        supply_method: supply_method?,
        revitalized: revitalized?,
        term_years: term_years?,
        price_wan_per_mu: price_wan_per_mu?,
        plot_ratio_min: plot_ratio_min?,
        plot_ratio_max: plot_ratio_max?,
        coverage_min: coverage_min?,
        height_max_m: height_max_m?,
        power_available_kva: power_available_kva?,
        holder: holder?,
        project: project?.map(ProjectId),
        available_from: available_from?,
        supply_date: supply_date?,
        agreed_start_date: agreed_start_date?,
        agreed_completion_date: agreed_completion_date?,
        actual_start_date: actual_start_date?,
        required_gfa_m2: required_gfa_m2?,
        built_gfa_m2: built_gfa_m2?,
        total_investment_wan: total_investment_wan?,
        invested_wan: invested_wan?,
        suspended_since: suspended_since?,
        government_caused: government_caused?,
        land_price_wan: land_price_wan?,
    })
}
