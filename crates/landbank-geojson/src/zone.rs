//! The zone layer on the wire: its properties in output order (the zone policy flattened into `policy_*`), and
//! reading a zone back from a feature.

use std::sync::LazyLock;

use landbank_inventory::{Country, IndustrialClass, Industry, SquareMeters, Zone, ZoneId, ZoneKind, ZonePolicy};

use crate::PropertyValue;
use crate::read::{FeatureReader, Noted};
use crate::schema::{Fields, codes, number, string};

pub(crate) static FIELDS: LazyLock<Fields<Zone>> = LazyLock::new(|| {
    Fields::<Zone>::new()
        .with(string("code", "Short code of the zone, e.g. KHQ"), |z, _| z.code.as_str().into())
        .with(string("name_zh", "Name in Chinese").not_queryable(), |z, _| z.name_zh.as_str().into())
        .with(string("name_en", "Name in English").not_queryable(), |z, _| z.name_en.as_str().into())
        .with(string("kind", "What kind of area the zone is").codes(codes!(ZoneKind)), |z, _| z.kind.code().into())
        .with(string("country", "Country the zone lies in").codes(codes!(Country)), |z, _| z.country.code().into())
        .with(number("planned_area_m2", "Planned area as published, m²"), |z, _| z.planned_area.0.into())
        .with(string("leading_industries", "Leading industries of the zone").codes(codes!(Industry)).array(), |z, _| {
            PropertyValue::Strings(z.leading_industries.iter().map(|i| i.code()).collect())
        })
        .with(
            string("allowed_classes", "Industrial land classes the zone allows").codes(codes!(IndustrialClass)).array(),
            |z, _| PropertyValue::Strings(z.allowed_classes.iter().map(|c| c.code()).collect()),
        )
        .with(
            number(
                "policy_intensity_min_wan_per_mu",
                "Minimum fixed-asset investment intensity, 万元 (10,000 yuan) per mu",
            ),
            |z, _| z.policy.intensity_min_wan_per_mu.into(),
        )
        .with(number("policy_plot_ratio_min", "Minimum plot ratio (容积率)"), |z, _| z.policy.plot_ratio_min.into())
        .with(number("policy_coverage_min", "Minimum building coverage (建筑系数), a fraction"), |z, _| {
            z.policy.coverage_min.into()
        })
        .with(number("policy_green_max", "Maximum green share (绿地率), a fraction"), |z, _| {
            z.policy.green_max.into()
        })
        .with(number("policy_admin_max", "Maximum admin and living share of site area, a fraction"), |z, _| {
            z.policy.admin_max.into()
        })
        .with(number("policy_min_lot_mu", "Smallest plot the zone supplies, mu"), |z, _| z.policy.min_lot_mu.into())
        .with(
            number("policy_factory_routing_max_mu", "Land need below which projects go to standard factories, mu"),
            |z, _| z.policy.factory_routing_max_mu.into(),
        )
});

pub(crate) fn read(r: &mut FeatureReader<'_>) -> Result<Zone, Noted> {
    let boundary = r.polygon();
    let code = r.required("code");
    let name_zh = r.required("name_zh");
    let name_en = r.required("name_en");
    let kind = r.code("kind");
    let country = r.code("country");
    let planned_area = r.required("planned_area_m2");
    let leading_industries = r.codes("leading_industries");
    let allowed_classes = r.codes("allowed_classes");
    let intensity_min_wan_per_mu = r.required("policy_intensity_min_wan_per_mu");
    let plot_ratio_min = r.required("policy_plot_ratio_min");
    let coverage_min = r.required("policy_coverage_min");
    let green_max = r.required("policy_green_max");
    let admin_max = r.required("policy_admin_max");
    let min_lot_mu = r.required("policy_min_lot_mu");
    let factory_routing_max_mu = r.required("policy_factory_routing_max_mu");

    Ok(Zone {
        id: ZoneId(r.id()),
        code: code?,
        name_zh: name_zh?,
        name_en: name_en?,
        kind: kind?,
        country: country?,
        boundary: boundary?,
        planned_area: SquareMeters(planned_area?),
        leading_industries: leading_industries?,
        allowed_classes: allowed_classes?,
        policy: ZonePolicy {
            intensity_min_wan_per_mu: intensity_min_wan_per_mu?,
            plot_ratio_min: plot_ratio_min?,
            coverage_min: coverage_min?,
            green_max: green_max?,
            admin_max: admin_max?,
            min_lot_mu: min_lot_mu?,
            factory_routing_max_mu: factory_routing_max_mu?,
        },
    })
}
