//! The point-of-interest layer on the wire (roads, bridges, the service centre, the twin park): its properties
//! in output order, and reading a point of interest back from a feature.

use std::sync::LazyLock;

use landbank_inventory::{Country, Poi, PoiId, PoiKind};

use crate::read::{FeatureReader, Noted};
use crate::schema::{Fields, codes, string};

pub(crate) static FIELDS: LazyLock<Fields<Poi>> = LazyLock::new(|| {
    Fields::<Poi>::new()
        .with(string("code", "Short code, e.g. G219"), |p, _| p.code.as_str().into())
        .with(string("kind", "What the feature is").codes(codes!(PoiKind)), |p, _| p.kind.code().into())
        .with(string("name_zh", "Name in Chinese").not_queryable(), |p, _| p.name_zh.as_str().into())
        .with(string("name_en", "Name in English").not_queryable(), |p, _| p.name_en.as_str().into())
        .with(string("country", "Country the feature lies in").codes(codes!(Country)), |p, _| p.country.code().into())
});

pub(crate) fn read(r: &mut FeatureReader<'_>) -> Result<Poi, Noted> {
    let geometry = r.any_geometry();
    let code = r.required("code");
    let kind = r.code("kind");
    let name_zh = r.required("name_zh");
    let name_en = r.required("name_en");
    let country = r.code("country");

    Ok(Poi {
        id: PoiId(r.id()),
        code: code?,
        kind: kind?,
        name_zh: name_zh?,
        name_en: name_en?,
        country: country?,
        geometry: geometry?,
    })
}
