//! The project layer on the wire (attributes only, `geometry` null): its properties in output order, and reading
//! an investment project back from a feature.

use std::sync::LazyLock;

use landbank_inventory::{IndustrialClass, Industry, ParcelId, Project, ProjectId, ProjectStage, UnitId, Wan, ZoneId};

use crate::PropertyValue;
use crate::read::{FeatureReader, Noted};
use crate::schema::{Fields, codes, date, integer, number, string};

pub(crate) static FIELDS: LazyLock<Fields<Project>> = LazyLock::new(|| {
    Fields::<Project>::new()
        .with(string("code", "Project code, e.g. DX-2024-017"), |p, _| p.code.as_str().into())
        .with(string("name_zh", "Name in Chinese").not_queryable(), |p, _| p.name_zh.as_str().into())
        .with(string("name_en", "Name in English").not_queryable(), |p, _| p.name_en.as_str().into())
        .with(string("company", "Investing company").restricted(), |p, _| p.company.as_str().into())
        .with(string("investor_country", "Country of the investor, ISO 3166 alpha-2"), |p, _| {
            p.investor_country.as_str().into()
        })
        .with(string("industry", "Industry of the project").codes(codes!(Industry)), |p, _| p.industry.code().into())
        .with(
            string("required_class", "Industrial land class the project needs").codes(codes!(IndustrialClass)),
            |p, _| p.required_class.code().into(),
        )
        .with(number("total_investment_wan", "Total investment, 万元 (10,000 yuan)").restricted(), |p, _| {
            p.total_investment.0.into()
        })
        .with(
            number("fixed_asset_investment_wan", "Fixed-asset investment, 万元 (10,000 yuan)").restricted(),
            |p, _| p.fixed_asset_investment.0.into(),
        )
        .with(integer("employees", "Expected employees"), |p, _| p.employees.into())
        .with(integer("power_need_kva", "Power the project needs, kVA"), |p, _| p.power_need_kva.into())
        .with(
            string("stage", "Stage: signed → space secured → construction → production").codes(codes!(ProjectStage)),
            |p, _| p.stage.code().into(),
        )
        .with(string("zone", "Code of the zone (from zone_id)").nullable().read_only(), |p, inventory| {
            p.zone.and_then(|id| inventory.zone(id)).map(|z| z.code.as_str()).into()
        })
        .with(integer("zone_id", "Id of the zone").nullable(), |p, _| p.zone.map(|id| id.0).into())
        .with(integer("parcel_id", "Id of the parcel supplied to the project").nullable(), |p, _| {
            p.parcel.map(|id| id.0).into()
        })
        .with(integer("unit_ids", "Ids of the factory units the project occupies").array(), |p, _| {
            PropertyValue::Integers(p.units.iter().map(|id| id.0).collect())
        })
        .with(date("signed_date", "Date the investment contract was signed"), |p, _| p.signed_date.into())
        .with(date("start_date", "Date construction or fit-out started").nullable(), |p, _| p.start_date.into())
        .with(date("production_date", "Date production started").nullable(), |p, _| p.production_date.into())
});

pub(crate) fn read(r: &mut FeatureReader<'_>) -> Result<Project, Noted> {
    let geometry = r.no_geometry();
    let code = r.required("code");
    let name_zh = r.required("name_zh");
    let name_en = r.required("name_en");
    let company = r.required("company");
    let investor_country = r.required("investor_country");
    let industry = r.code("industry");
    let required_class = r.code("required_class");
    let total_investment = r.required("total_investment_wan");
    let fixed_asset_investment = r.required("fixed_asset_investment_wan");
    let employees = r.required("employees");
    let power_need_kva = r.required("power_need_kva");
    let stage = r.code("stage");
    let zone = r.optional("zone_id");
    let parcel = r.optional("parcel_id");
    let units = r.integers("unit_ids");
    let signed_date = r.required("signed_date");
    let start_date = r.optional("start_date");
    let production_date = r.optional("production_date");

    geometry?;
    Ok(Project {
        id: ProjectId(r.id()),
        code: code?,
        name_zh: name_zh?,
        name_en: name_en?,
        company: company?,
        investor_country: investor_country?,
        industry: industry?,
        required_class: required_class?,
        total_investment: Wan(total_investment?),
        fixed_asset_investment: Wan(fixed_asset_investment?),
        employees: employees?,
        power_need_kva: power_need_kva?,
        stage: stage?,
        zone: zone?.map(ZoneId),
        parcel: parcel?.map(ParcelId),
        units: units?.into_iter().map(UnitId).collect(),
        signed_date: signed_date?,
        start_date: start_date?,
        production_date: production_date?,
    })
}
