//! Reading a `FeatureCollection` of one layer into records, collecting every problem of every feature.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;
use std::str::FromStr;

use geo::{Geometry, Polygon};
use landbank_inventory::{
    Date, FactoryBuilding, FactoryUnit, InventoryParts, Layer, Parcel, Poi, Project, Record, UnknownCode, Zone,
};
use serde_json::{Map, Value};

use crate::{geometry, schema};

/// One problem with one feature of a file being read, or with the file itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureProblem {
    /// Position of the feature in the `features` array, from 0. A problem with the document as a whole (not
    /// JSON, not a `FeatureCollection`, the wrong layer) is reported alone, with index 0 and no id.
    pub index: usize,
    /// The feature's `id`, when it has a usable one.
    pub id: Option<i64>,
    /// What is wrong, in words a person can act on.
    pub reason: String,
}

impl fmt::Display for FeatureProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "feature {}", self.index)?;
        if let Some(id) = self.id {
            write!(f, " (id {id})")?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl std::error::Error for FeatureProblem {}

/// The records of one layer, as read from a file.
#[derive(Debug, Clone, PartialEq)]
pub enum LayerRecords {
    Zones(Vec<Zone>),
    Parcels(Vec<Parcel>),
    Buildings(Vec<FactoryBuilding>),
    Units(Vec<FactoryUnit>),
    Projects(Vec<Project>),
    Pois(Vec<Poi>),
}

impl LayerRecords {
    /// The layer the records belong to.
    pub fn layer(&self) -> Layer {
        match self {
            LayerRecords::Zones(_) => Layer::Zones,
            LayerRecords::Parcels(_) => Layer::Parcels,
            LayerRecords::Buildings(_) => Layer::Buildings,
            LayerRecords::Units(_) => Layer::Units,
            LayerRecords::Projects(_) => Layer::Projects,
            LayerRecords::Pois(_) => Layer::Pois,
        }
    }

    /// How many records were read.
    pub fn len(&self) -> usize {
        match self {
            LayerRecords::Zones(v) => v.len(),
            LayerRecords::Parcels(v) => v.len(),
            LayerRecords::Buildings(v) => v.len(),
            LayerRecords::Units(v) => v.len(),
            LayerRecords::Projects(v) => v.len(),
            LayerRecords::Pois(v) => v.len(),
        }
    }

    /// Whether no record was read.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Replaces the records of this layer in `parts`.
    pub fn put_into(self, parts: &mut InventoryParts) {
        match self {
            LayerRecords::Zones(v) => parts.zones = v,
            LayerRecords::Parcels(v) => parts.parcels = v,
            LayerRecords::Buildings(v) => parts.buildings = v,
            LayerRecords::Units(v) => parts.units = v,
            LayerRecords::Projects(v) => parts.projects = v,
            LayerRecords::Pois(v) => parts.pois = v,
        }
    }
}

/// Reads a GeoJSON `FeatureCollection` of one layer, as [`crate::write_collection`] writes it.
///
/// Every feature needs an integer `id` (unique in the file), the layer's geometry (a Polygon for zones, parcels
/// and buildings, a Polygon or `null` for units, `null` for projects, any geometry for points of interest) and
/// its stored properties; nullable properties may be left out. Computed properties (`area_m2`, `zone`…) are
/// ignored; a parcel's area is recomputed from its outline. A unit feature with `"has_outline": false` carries
/// its building's footprint, so the unit is read without an outline of its own.
///
/// # Errors
///
/// Every problem with every feature, in feature order: missing or mistyped properties, unknown codes (listing
/// the valid ones), malformed dates, wrong geometry types, open rings, coordinates out of range, duplicate ids,
/// unknown properties. A document that is not a `FeatureCollection` (of this layer) gives one problem.
pub fn read_layer(layer: Layer, text: &str) -> Result<LayerRecords, Vec<FeatureProblem>> {
    let features = features(layer, text).map_err(|reason| vec![FeatureProblem { index: 0, id: None, reason }])?;
    Ok(match layer {
        Layer::Zones => LayerRecords::Zones(read_all(layer, &features, crate::zone::read)?),
        Layer::Parcels => LayerRecords::Parcels(read_all(layer, &features, crate::parcel::read)?),
        Layer::Buildings => LayerRecords::Buildings(read_all(layer, &features, crate::building::read)?),
        Layer::Units => LayerRecords::Units(read_all(layer, &features, crate::unit::read)?),
        Layer::Projects => LayerRecords::Projects(read_all(layer, &features, crate::project::read)?),
        Layer::Pois => LayerRecords::Pois(read_all(layer, &features, crate::poi::read)?),
    })
}

/// Reads one GeoJSON `Feature` of an editable layer (parcels, buildings, units, projects) as the record with
/// `id`, with the rules of [`read_layer`]: what a client sends to create or replace a record. The feature's own
/// `id` member, if any, is ignored — the server names records.
///
/// # Errors
///
/// Every problem with the feature, as sentences; one problem for a layer that cannot be edited this way.
pub fn read_record(layer: Layer, feature: &Value, id: i64) -> Result<Record, Vec<String>> {
    let mut feature = feature.clone();
    if let Value::Object(object) = &mut feature {
        object.insert("id".to_owned(), Value::from(id));
    }
    let empty = Map::new();
    let mut reader = FeatureReader::open(layer, &feature, &empty);
    let record = if reader.is_feature {
        match layer {
            Layer::Parcels => crate::parcel::read(&mut reader).ok().map(Record::Parcel),
            Layer::Buildings => crate::building::read(&mut reader).ok().map(Record::Building),
            Layer::Units => crate::unit::read(&mut reader).ok().map(Record::Unit),
            Layer::Projects => crate::project::read(&mut reader).ok().map(Record::Project),
            Layer::Zones | Layer::Pois => return Err(vec![format!("{layer} cannot be edited feature by feature")]),
        }
    } else {
        None
    };
    reader.check_unknown_properties();
    match record {
        Some(record) if reader.reasons.is_empty() => Ok(record),
        _ if reader.reasons.is_empty() => Err(vec!["the feature could not be read".to_owned()]),
        _ => Err(reader.reasons),
    }
}

/// The `features` of a `FeatureCollection` of `layer`.
fn features(layer: Layer, text: &str) -> Result<Vec<Value>, String> {
    let document: Value = serde_json::from_str(text).map_err(|e| format!("the file is not valid JSON: {e}"))?;
    let Value::Object(mut document) = document else {
        return Err(format!("expected a GeoJSON FeatureCollection object, found {}", describe(&document)));
    };
    match document.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => {}
        Some(other) => {
            return Err(format!("expected a GeoJSON FeatureCollection, found a {other}"));
        }
        None => return Err("expected a GeoJSON FeatureCollection: `type` is missing".to_owned()),
    }
    // GDAL names the layer with a `name` member; refuse a file of another layer before reporting every feature.
    if let Some(name) = document.get("name").and_then(Value::as_str)
        && name != layer.code()
        && let Ok(other) = name.parse::<Layer>()
    {
        return Err(format!("this is a FeatureCollection of {other}, not of {layer}"));
    }
    match document.remove("features") {
        Some(Value::Array(features)) => Ok(features),
        Some(other) => Err(format!("`features` must be an array, found {}", describe(&other))),
        None => Err("the FeatureCollection has no `features` array".to_owned()),
    }
}

fn read_all<T>(
    layer: Layer,
    features: &[Value],
    read: fn(&mut FeatureReader<'_>) -> Result<T, Noted>,
) -> Result<Vec<T>, Vec<FeatureProblem>> {
    let mut records = Vec::with_capacity(features.len());
    let mut problems = Vec::new();
    let mut seen: HashMap<i64, usize> = HashMap::with_capacity(features.len());
    let empty = Map::new();
    for (index, feature) in features.iter().enumerate() {
        let mut reader = FeatureReader::open(layer, feature, &empty);
        if let Some(id) = reader.id {
            match seen.entry(id) {
                Entry::Occupied(first) => {
                    let first = *first.get();
                    reader.problem(format!("id {id} is also used by feature {first}"));
                }
                Entry::Vacant(slot) => {
                    slot.insert(index);
                }
            }
        }
        let record = if reader.is_feature { read(&mut reader).ok() } else { None };
        reader.check_unknown_properties();
        if reader.reasons.is_empty() {
            if let Some(record) = record {
                records.push(record);
            }
        } else {
            let id = reader.id;
            problems.extend(reader.reasons.into_iter().map(|reason| FeatureProblem { index, id, reason }));
        }
    }
    if problems.is_empty() { Ok(records) } else { Err(problems) }
}

/// A short description of a JSON value for messages: its type, and the value itself when short.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.chars().count() <= 40 => format!("the string {value}"),
        Value::String(_) => "a long string".to_owned(),
        Value::Array(a) => format!("an array of {} item(s)", a.len()),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// A value a property can hold, read from JSON.
pub(crate) trait FromJson: Sized {
    /// What the property must be, for messages: "a string", "an integer from 0 to 255".
    const EXPECTED: &'static str;
    fn from_json(value: &Value) -> Option<Self>;
}

impl FromJson for String {
    const EXPECTED: &'static str = "a string";
    fn from_json(value: &Value) -> Option<Self> {
        value.as_str().map(str::to_owned)
    }
}

impl FromJson for f64 {
    const EXPECTED: &'static str = "a number";
    fn from_json(value: &Value) -> Option<Self> {
        value.as_f64()
    }
}

impl FromJson for bool {
    const EXPECTED: &'static str = "true or false";
    fn from_json(value: &Value) -> Option<Self> {
        value.as_bool()
    }
}

impl FromJson for i64 {
    const EXPECTED: &'static str = "an integer";
    fn from_json(value: &Value) -> Option<Self> {
        value.as_i64()
    }
}

impl FromJson for u8 {
    const EXPECTED: &'static str = "an integer from 0 to 255";
    fn from_json(value: &Value) -> Option<Self> {
        value.as_u64().and_then(|v| u8::try_from(v).ok())
    }
}

impl FromJson for u16 {
    const EXPECTED: &'static str = "an integer from 0 to 65535";
    fn from_json(value: &Value) -> Option<Self> {
        value.as_u64().and_then(|v| u16::try_from(v).ok())
    }
}

impl FromJson for u32 {
    const EXPECTED: &'static str = "an integer from 0 to 4294967295";
    fn from_json(value: &Value) -> Option<Self> {
        value.as_u64().and_then(|v| u32::try_from(v).ok())
    }
}

impl FromJson for Date {
    const EXPECTED: &'static str = "a date written YYYY-MM-DD";
    fn from_json(value: &Value) -> Option<Self> {
        let text = value.as_str()?;
        let b = text.as_bytes();
        let shaped = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if shaped { text.parse().ok() } else { None }
    }
}

/// A problem has been noted in the [`FeatureReader`]; the record cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Noted;

/// Reads the properties and geometry of one feature, noting every problem instead of stopping at the first.
///
/// Each getter returns `Err(Noted)` after noting a problem, so a layer's reader calls them all and only then
/// builds the record with `?`.
pub(crate) struct FeatureReader<'a> {
    layer: Layer,
    /// Whether the value is a JSON object with `"type": "Feature"`.
    is_feature: bool,
    id: Option<i64>,
    properties: &'a Map<String, Value>,
    geometry: Option<&'a Value>,
    reasons: Vec<String>,
}

impl<'a> FeatureReader<'a> {
    fn open(layer: Layer, feature: &'a Value, empty: &'a Map<String, Value>) -> FeatureReader<'a> {
        let mut reader = FeatureReader {
            layer,
            is_feature: false,
            id: None,
            properties: empty,
            geometry: None,
            reasons: Vec::new(),
        };
        let Value::Object(feature) = feature else {
            reader.problem(format!("expected a Feature object, found {}", describe(feature)));
            return reader;
        };
        match feature.get("type") {
            Some(Value::String(t)) if t == "Feature" => reader.is_feature = true,
            Some(other) => reader.problem(format!("`type` must be \"Feature\", found {}", describe(other))),
            None => reader.problem("`type` is missing; it must be \"Feature\"".to_owned()),
        }
        match feature.get("id") {
            Some(id) => match id.as_i64() {
                Some(id) => reader.id = Some(id),
                None => reader.problem(format!("`id` must be an integer, found {}", describe(id))),
            },
            None => reader.problem("`id` is missing; every feature needs an integer id".to_owned()),
        }
        match feature.get("properties") {
            Some(Value::Object(properties)) => reader.properties = properties,
            None | Some(Value::Null) => {}
            Some(other) => reader.problem(format!("`properties` must be an object, found {}", describe(other))),
        }
        reader.geometry = feature.get("geometry").filter(|g| !g.is_null());
        reader
    }

    /// The feature's id (0 when it has none; the record is then discarded anyway).
    pub(crate) fn id(&self) -> i64 {
        self.id.unwrap_or_default()
    }

    fn problem(&mut self, reason: String) {
        self.reasons.push(reason);
    }

    /// Notes a problem and fails.
    fn fail<T>(&mut self, reason: String) -> Result<T, Noted> {
        self.reasons.push(reason);
        Err(Noted)
    }

    /// A property that must be present and not null.
    pub(crate) fn required<T: FromJson>(&mut self, name: &'static str) -> Result<T, Noted> {
        match self.properties.get(name) {
            None => self.fail(format!("property `{name}` is missing; it must be {}", T::EXPECTED)),
            Some(Value::Null) => self.fail(format!("property `{name}` is null; it must be {}", T::EXPECTED)),
            Some(value) => self.convert(name, value),
        }
    }

    /// A property that may be absent or null.
    pub(crate) fn optional<T: FromJson>(&mut self, name: &'static str) -> Result<Option<T>, Noted> {
        match self.properties.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => self.convert(name, value).map(Some),
        }
    }

    fn convert<T: FromJson>(&mut self, name: &str, value: &Value) -> Result<T, Noted> {
        match T::from_json(value) {
            Some(converted) => Ok(converted),
            None => self.fail(format!("property `{name}` must be {}, found {}", T::EXPECTED, describe(value))),
        }
    }

    /// An enumeration code that must be present.
    pub(crate) fn code<T: FromStr<Err = UnknownCode>>(&mut self, name: &'static str) -> Result<T, Noted> {
        let text: String = self.required(name)?;
        self.parse_code(name, &text)
    }

    /// An enumeration code that may be absent or null.
    pub(crate) fn optional_code<T: FromStr<Err = UnknownCode>>(
        &mut self,
        name: &'static str,
    ) -> Result<Option<T>, Noted> {
        match self.optional::<String>(name)? {
            None => Ok(None),
            Some(text) => self.parse_code(name, &text).map(Some),
        }
    }

    fn parse_code<T: FromStr<Err = UnknownCode>>(&mut self, name: &str, text: &str) -> Result<T, Noted> {
        match text.parse() {
            Ok(code) => Ok(code),
            Err(e) => self.fail(format!("property `{name}`: {e}")),
        }
    }

    /// An array of enumeration codes that must be present (possibly empty).
    pub(crate) fn codes<T: FromStr<Err = UnknownCode>>(&mut self, name: &'static str) -> Result<Vec<T>, Noted> {
        let items = self.array(name, "an array of codes")?;
        let mut codes = Vec::with_capacity(items.len());
        let mut outcome = Ok(());
        for item in items {
            let code = if let Some(text) = item.as_str() {
                self.parse_code(name, text)
            } else {
                self.fail(format!("property `{name}` must hold code strings, found {}", describe(item)))
            };
            match code {
                Ok(code) => codes.push(code),
                Err(noted) => outcome = Err(noted),
            }
        }
        outcome.map(|()| codes)
    }

    /// An array of integers that must be present (possibly empty).
    pub(crate) fn integers(&mut self, name: &'static str) -> Result<Vec<i64>, Noted> {
        let items = self.array(name, "an array of integers")?;
        match items.iter().map(Value::as_i64).collect() {
            Some(integers) => Ok(integers),
            None => self
                .fail(format!("property `{name}` must be an array of integers, found {}", Value::Array(items.clone()))),
        }
    }

    fn array(&mut self, name: &'static str, expected: &str) -> Result<&'a Vec<Value>, Noted> {
        match self.properties.get(name) {
            Some(Value::Array(items)) => Ok(items),
            None => self.fail(format!("property `{name}` is missing; it must be {expected}")),
            Some(other) => self.fail(format!("property `{name}` must be {expected}, found {}", describe(other))),
        }
    }

    fn parse_geometry(&mut self) -> Result<Option<geojson::Geometry>, Noted> {
        let Some(value) = self.geometry else {
            return Ok(None);
        };
        match geometry::parse(value) {
            Ok(g) => Ok(Some(g)),
            Err(reason) => self.fail(reason),
        }
    }

    /// The feature's geometry, which must be a polygon.
    pub(crate) fn polygon(&mut self) -> Result<Polygon, Noted> {
        if let Some(polygon) = self.optional_polygon()? {
            Ok(polygon)
        } else {
            let layer = self.layer;
            self.fail(format!("geometry is null; {layer} need a Polygon"))
        }
    }

    /// The feature's geometry, which must be a polygon or null.
    pub(crate) fn optional_polygon(&mut self) -> Result<Option<Polygon>, Noted> {
        let Some(g) = self.parse_geometry()? else {
            return Ok(None);
        };
        geometry::to_polygon(&g.value, self.layer, &mut self.reasons).map(Some).ok_or(Noted)
    }

    /// The feature's geometry, of any type but not null.
    pub(crate) fn any_geometry(&mut self) -> Result<Geometry, Noted> {
        let Some(g) = self.parse_geometry()? else {
            let layer = self.layer;
            return self.fail(format!("geometry is null; {layer} need a geometry"));
        };
        geometry::to_geometry(&g.value, &mut self.reasons).ok_or(Noted)
    }

    /// Checks that the feature has no geometry (`null`), for layers without one.
    pub(crate) fn no_geometry(&mut self) -> Result<(), Noted> {
        if self.geometry.is_none() {
            Ok(())
        } else {
            let layer = self.layer;
            self.fail(format!("{layer} have no geometry; set `geometry` to null"))
        }
    }

    /// Notes every property the layer does not have, suggesting the nearest name.
    fn check_unknown_properties(&mut self) {
        let specs = schema(self.layer);
        for name in self.properties.keys() {
            if specs.iter().any(|s| s.name == name) {
                continue;
            }
            let nearest = specs.iter().map(|s| (edit_distance(name, s.name), s.name)).min().filter(|(d, _)| *d <= 2);
            let reason = if let Some((_, known)) = nearest {
                format!("unknown property `{name}`; did you mean `{known}`?")
            } else {
                let known: Vec<&str> = specs.iter().map(|s| s.name).collect();
                format!("unknown property `{name}`; {} have: {}", self.layer, known.join(", "))
            };
            self.reasons.push(reason);
        }
    }
}

/// The Levenshtein distance between two short names.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{sample, write_collection};
    use landbank_inventory::Inventory;

    fn written(layer: Layer) -> String {
        let mut out = Vec::new();
        write_collection(&mut out, &sample::inventory(), layer).expect("writes");
        String::from_utf8(out).expect("utf-8")
    }

    /// The written collection of `layer` after `edit` changed its features.
    fn edited(layer: Layer, edit: impl FnOnce(&mut Vec<Value>)) -> String {
        let mut value: Value = serde_json::from_str(&written(layer)).expect("valid JSON");
        edit(value["features"].as_array_mut().expect("features"));
        value.to_string()
    }

    fn problems(layer: Layer, text: &str) -> Vec<FeatureProblem> {
        read_layer(layer, text).expect_err("the file has problems")
    }

    #[test]
    fn every_layer_reads_back_exactly_what_was_written() {
        let parts = sample::parts();
        for &layer in Layer::ALL {
            let read = read_layer(layer, &written(layer)).unwrap_or_else(|p| panic!("{layer}: {p:?}"));
            assert_eq!(read.layer(), layer);
            let expected = match layer {
                Layer::Zones => LayerRecords::Zones(parts.zones.clone()),
                Layer::Parcels => LayerRecords::Parcels(parts.parcels.clone()),
                Layer::Buildings => LayerRecords::Buildings(parts.buildings.clone()),
                Layer::Units => LayerRecords::Units(parts.units.clone()),
                Layer::Projects => LayerRecords::Projects(parts.projects.clone()),
                Layer::Pois => LayerRecords::Pois(parts.pois.clone()),
            };
            assert_eq!(read, expected, "{layer}");
        }
    }

    #[test]
    fn the_layers_read_back_assemble_into_the_same_inventory() {
        let mut parts = InventoryParts::default();
        for &layer in Layer::ALL {
            read_layer(layer, &written(layer)).expect("reads").put_into(&mut parts);
        }
        let inventory = Inventory::new(parts).expect("unique ids");
        let mut again = Vec::new();
        write_collection(&mut again, &inventory, Layer::Parcels).expect("writes");
        assert_eq!(String::from_utf8(again).expect("utf-8"), written(Layer::Parcels));
    }

    #[test]
    fn three_bad_features_give_three_problems_with_their_indexes() {
        let text = edited(Layer::Pois, |features| {
            features[0]["properties"]["kind"] = Value::from("river");
            features[1]["id"] = Value::from("BR1");
            features[2]["properties"].as_object_mut().expect("object").remove("name_en");
        });
        let problems = problems(Layer::Pois, &text);
        let summary: Vec<(usize, Option<i64>)> = problems.iter().map(|p| (p.index, p.id)).collect();
        assert_eq!(summary, [(0, Some(50)), (1, None), (2, Some(52))], "{problems:#?}");
        assert_eq!(problems[1].reason, "`id` must be an integer, found the string \"BR1\"");
        assert_eq!(problems[2].to_string(), "feature 2 (id 52): property `name_en` is missing; it must be a string");
    }

    #[test]
    fn an_unknown_code_lists_the_valid_codes() {
        let text = edited(Layer::Parcels, |features| features[1]["properties"]["availability"] = Value::from("free"));
        let problems = problems(Layer::Parcels, &text);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].to_string(),
            "feature 1 (id 11): property `availability`: unknown availability `free`; expected one of: planned, \
             reserve, available, held, supplied, reclaimed, retired"
        );
    }

    #[test]
    fn one_feature_with_several_problems_reports_each_of_them() {
        let text = edited(Layer::Buildings, |features| {
            let props = &mut features[0]["properties"];
            props["floors"] = Value::from(3.5);
            props["completion_date"] = Value::from("30/06/2022");
            props["fire_class"] = Value::Null;
            props["transformer_kva"] = Value::from(-1);
            features[0]["geometry"] = serde_json::json!({"type": "Point", "coordinates": [107.96, 21.53]});
        });
        let reasons: Vec<String> = problems(Layer::Buildings, &text).into_iter().map(|p| p.reason).collect();
        assert_eq!(
            reasons,
            [
                "geometry is a Point; buildings need a Polygon",
                "property `floors` must be an integer from 0 to 255, found 3.5",
                "property `transformer_kva` must be an integer from 0 to 4294967295, found -1",
                "property `fire_class` is null; it must be a string",
                "property `completion_date` must be a date written YYYY-MM-DD, found the string \"30/06/2022\"",
            ]
        );
    }

    #[test]
    fn a_duplicate_id_names_the_feature_that_has_it_first() {
        let text = edited(Layer::Units, |features| features[1]["id"] = Value::from(30));
        let problems = problems(Layer::Units, &text);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].to_string(), "feature 1 (id 30): id 30 is also used by feature 0");
    }

    #[test]
    fn an_unknown_property_is_reported_with_the_nearest_name() {
        let text = edited(Layer::Parcels, |features| {
            features[0]["properties"]["holdr"] = Value::from("someone");
            features[0]["properties"]["colour"] = Value::from("red");
        });
        let reasons: Vec<String> = problems(Layer::Parcels, &text).into_iter().map(|p| p.reason).collect();
        assert_eq!(reasons.len(), 2);
        assert!(reasons.contains(&"unknown property `holdr`; did you mean `holder`?".to_owned()), "{reasons:?}");
        assert!(
            reasons.iter().any(|r| r.starts_with("unknown property `colour`; parcels have: plot_no, ")),
            "{reasons:?}"
        );
    }

    #[test]
    fn nullable_properties_may_be_left_out() {
        let text = edited(Layer::Parcels, |features| {
            let props = features[1]["properties"].as_object_mut().expect("object");
            props.retain(|_, v| !v.is_null());
        });
        let LayerRecords::Parcels(parcels) = read_layer(Layer::Parcels, &text).expect("reads") else {
            panic!("parcels expected");
        };
        assert_eq!(parcels[1], sample::parcels()[1]);
    }

    #[test]
    fn computed_properties_are_ignored_and_the_area_is_recomputed() {
        let text = edited(Layer::Parcels, |features| {
            let props = features[0]["properties"].as_object_mut().expect("object");
            props.insert("area_m2".to_owned(), Value::from(1.0));
            props.insert("zone".to_owned(), Value::from("nowhere"));
            props.remove("area_mu");
        });
        let LayerRecords::Parcels(parcels) = read_layer(Layer::Parcels, &text).expect("reads") else {
            panic!("parcels expected");
        };
        assert_eq!(parcels[0], sample::parcels()[0]);
    }

    #[test]
    fn geometry_must_suit_the_layer() {
        let text = edited(Layer::Parcels, |features| features[0]["geometry"] = Value::Null);
        assert_eq!(problems(Layer::Parcels, &text)[0].reason, "geometry is null; parcels need a Polygon");
        let text = edited(Layer::Projects, |features| {
            features[1]["geometry"] = serde_json::json!({"type": "Point", "coordinates": [108, 21.5]});
        });
        assert_eq!(problems(Layer::Projects, &text)[0].reason, "projects have no geometry; set `geometry` to null");
        let text = edited(Layer::Pois, |features| {
            features[0]["geometry"] = serde_json::json!({"type": "LineString", "coordinates": [[108, 21.5]]});
        });
        assert_eq!(problems(Layer::Pois, &text)[0].reason, "a LineString has 1 position(s); it needs at least 2");
        let text = edited(Layer::Zones, |features| {
            features[0]["geometry"] = serde_json::json!({"type": "Polygonal", "coordinates": []});
        });
        assert!(problems(Layer::Zones, &text)[0].reason.starts_with("geometry is not valid GeoJSON: unknown variant"));
    }

    #[test]
    fn a_unit_marked_without_outline_is_read_without_one() {
        let LayerRecords::Units(units) = read_layer(Layer::Units, &written(Layer::Units)).expect("reads") else {
            panic!("units expected");
        };
        assert!(units[0].outline.is_some());
        assert!(units[1].outline.is_none());
    }

    #[test]
    fn a_problem_names_the_feature_and_its_id() {
        let problem = FeatureProblem { index: 12, id: Some(340), reason: "property `floors` is missing".to_owned() };
        assert_eq!(problem.to_string(), "feature 12 (id 340): property `floors` is missing");
    }

    #[test]
    fn dates_must_be_written_year_month_day() {
        let date = |s: &str| Date::from_json(&Value::String(s.to_owned()));
        assert_eq!(date("2024-03-01"), Date::new(2024, 3, 1).ok());
        assert_eq!(date("2024-02-30"), None);
        assert_eq!(date("20240301"), None);
        assert_eq!(date("2024-03-01T00:00:00"), None);
        assert_eq!(date("1/3/2024"), None);
    }

    #[test]
    fn close_names_are_a_small_edit_apart() {
        assert_eq!(edit_distance("holdr", "holder"), 1);
        assert_eq!(edit_distance("availabilty", "availability"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn text_that_is_not_a_feature_collection_is_one_problem() {
        for (text, expected) in [
            ("{", "the file is not valid JSON"),
            ("[]", "expected a GeoJSON FeatureCollection object, found an array"),
            (r#"{"type":"Feature"}"#, "expected a GeoJSON FeatureCollection, found a Feature"),
            (r#"{"type":"FeatureCollection"}"#, "the FeatureCollection has no `features` array"),
            (
                r#"{"type":"FeatureCollection","name":"buildings","features":[]}"#,
                "this is a FeatureCollection of buildings, not of parcels",
            ),
        ] {
            let problems = read_layer(Layer::Parcels, text).expect_err(text);
            assert_eq!(problems.len(), 1, "{text}");
            assert!(problems[0].reason.starts_with(expected), "{text}: {}", problems[0].reason);
        }
    }
}
