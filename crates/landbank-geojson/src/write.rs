//! Writing features and feature collections straight into a writer, without building a JSON tree.

use std::io::{self, Write};

use landbank_inventory::{BBox, Inventory, Layer};

use crate::geometry::write_degrees;
use crate::value::PropertyValue;
use crate::{RecordRef, records, write_geometry};

/// Writes one GeoJSON `Feature`: `{"type":"Feature","id":…,"geometry":…|null,"properties":{…}}`.
///
/// Properties come in [`crate::schema`] order; `select` limits them to the named ones (names the layer does not
/// have are ignored). The geometry is [`RecordRef::geometry`]. `out` should be buffered: the feature is written
/// in many small pieces.
///
/// # Errors
///
/// Errors of the writer, and [`io::ErrorKind::InvalidData`] for a coordinate that is not a finite number.
pub fn write_feature<W: Write>(
    out: &mut W,
    inventory: &Inventory,
    record: RecordRef<'_>,
    select: Option<&[&str]>,
) -> io::Result<()> {
    out.write_all(b"{\"type\":\"Feature\",\"id\":")?;
    serde_json::to_writer(&mut *out, &record.id())?;
    out.write_all(b",\"geometry\":")?;
    match record.geometry(inventory) {
        Some(geometry) => write_geometry(out, geometry)?,
        None => out.write_all(b"null")?,
    }
    out.write_all(b",\"properties\":{")?;
    let mut first = true;
    let mut next = 0;
    record.try_each_property(inventory, |spec, value| {
        if let Some(names) = select {
            // Selections are usually the schema's own names in schema order (the `&'static str`s properties
            // come with): the next one selected is then the very next name; any other order is looked up.
            if names
                .get(next)
                .is_some_and(|n| std::ptr::eq(n.as_ptr(), spec.name.as_ptr()) && n.len() == spec.name.len())
            {
                next += 1;
            } else if !names.contains(&spec.name) {
                return Ok(());
            }
        }
        if !first {
            out.write_all(b",")?;
        }
        first = false;
        // Property names are snake_case ASCII (tested), so they need no escaping.
        out.write_all(b"\"")?;
        out.write_all(spec.name.as_bytes())?;
        out.write_all(b"\":")?;
        write_value(out, &value)
    })?;
    out.write_all(b"}}")
}

/// One property value as JSON; the common scalar kinds without going through serde.
fn write_value<W: Write>(out: &mut W, value: &PropertyValue<'_>) -> io::Result<()> {
    match value {
        PropertyValue::Null => out.write_all(b"null"),
        PropertyValue::Boolean(true) => out.write_all(b"true"),
        PropertyValue::Boolean(false) => out.write_all(b"false"),
        PropertyValue::Integer(v) => out.write_all(itoa::Buffer::new().format(*v).as_bytes()),
        PropertyValue::Date(d) => {
            let (year, month, day) = (d.year(), d.month(), d.day());
            if (0..=9999).contains(&year) {
                write!(out, "\"{year:04}-{month:02}-{day:02}\"")
            } else {
                serde_json::to_writer(&mut *out, value).map_err(io::Error::from)
            }
        }
        _ => serde_json::to_writer(&mut *out, value).map_err(io::Error::from),
    }
}

/// Writes every record of a layer as a GeoJSON `FeatureCollection`, for files (fixtures, export): every property,
/// a `bbox` member around all geometries (left out when there is none), and a `name` member with the layer's
/// code, which GDAL and QGIS take as the layer name. One feature per line, so files diff well. Nothing follows
/// the closing brace.
///
/// Stored numbers are written with all their digits, so [`crate::read_layer`] reads back exactly the same
/// records; only coordinates (7 decimals) and computed display values are rounded.
///
/// # Errors
///
/// Errors of the writer, and [`io::ErrorKind::InvalidData`] for a coordinate that is not a finite number.
pub fn write_collection<W: Write>(out: &mut W, inventory: &Inventory, layer: Layer) -> io::Result<()> {
    out.write_all(b"{\"type\":\"FeatureCollection\",\"name\":")?;
    serde_json::to_writer(&mut *out, layer.code())?;
    let bbox = records(inventory, layer).filter_map(|r| r.bbox(inventory)).reduce(BBox::union);
    if let Some(b) = bbox {
        out.write_all(b",\"bbox\":[")?;
        for (i, v) in [b.min_lon, b.min_lat, b.max_lon, b.max_lat].into_iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            write_degrees(out, v)?;
        }
        out.write_all(b"]")?;
    }
    out.write_all(b",\"features\":[")?;
    let mut any = false;
    for record in records(inventory, layer) {
        out.write_all(if any { b",\n" } else { b"\n" })?;
        any = true;
        write_feature(out, inventory, record, None)?;
    }
    out.write_all(if any { b"\n]}" } else { b"]}" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{record, sample};
    use geo::{Polygon, Winding};
    use landbank_inventory::{InventoryParts, Parcel};
    use serde_json::Value;

    fn collection(inventory: &Inventory, layer: Layer) -> String {
        let mut out = Vec::new();
        write_collection(&mut out, inventory, layer).expect("writes");
        String::from_utf8(out).expect("utf-8")
    }

    fn feature(inventory: &Inventory, layer: Layer, id: i64, select: Option<&[&str]>) -> Value {
        let mut out = Vec::new();
        let record = record(inventory, layer, id).expect("record exists");
        write_feature(&mut out, inventory, record, select).expect("writes");
        serde_json::from_slice(&out).expect("valid JSON")
    }

    /// Every coordinate number in a written geometry, as written.
    fn coordinate_texts(text: &str) -> Vec<String> {
        fn walk(v: &Value, out: &mut Vec<String>) {
            match v {
                Value::Number(n) => out.push(n.to_string()),
                Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
                _ => {}
            }
        }
        let value: Value = serde_json::from_str(text).expect("valid JSON");
        let mut numbers = Vec::new();
        for f in value["features"].as_array().expect("features") {
            walk(&f["geometry"]["coordinates"], &mut numbers);
        }
        numbers
    }

    #[test]
    fn every_layer_is_written_as_a_feature_collection_with_integer_ids() {
        let inventory = sample::inventory();
        for &layer in Layer::ALL {
            let text = collection(&inventory, layer);
            let value: Value = serde_json::from_str(&text).expect("valid JSON");
            assert_eq!(value["type"], "FeatureCollection");
            assert_eq!(value["name"], layer.code());
            let features = value["features"].as_array().expect("features");
            assert_eq!(features.len(), records(&inventory, layer).len(), "{layer}");
            let ids: Vec<i64> = features.iter().map(|f| f["id"].as_i64().expect("integer id")).collect();
            let expected: Vec<i64> = records(&inventory, layer).map(RecordRef::id).collect();
            assert_eq!(ids, expected, "{layer}: ids in id order");
            for f in features {
                assert_eq!(f["type"], "Feature");
                let names: Vec<&str> =
                    f["properties"].as_object().expect("properties").keys().map(String::as_str).collect();
                let schema_names: Vec<&str> = crate::schema(layer).iter().map(|s| s.name).collect();
                let mut sorted = schema_names.clone();
                sorted.sort_unstable();
                let mut got = names.clone();
                got.sort_unstable();
                assert_eq!(got, sorted, "{layer}: every property, once");
            }
            assert_eq!(value.get("bbox").is_some(), layer.is_spatial(), "{layer}");
        }
    }

    #[test]
    fn properties_are_written_in_schema_order() {
        let inventory = sample::inventory();
        let text = collection(&inventory, Layer::Parcels);
        let first_line = text.lines().nth(1).expect("a feature line");
        let mut last = 0;
        for spec in crate::schema(Layer::Parcels) {
            let at = first_line.find(&format!("\"{}\":", spec.name)).expect("property written");
            assert!(at > last, "{} out of order", spec.name);
            last = at;
        }
    }

    #[test]
    fn the_collection_bbox_holds_every_geometry() {
        let inventory = sample::inventory();
        let value: Value = serde_json::from_str(&collection(&inventory, Layer::Parcels)).expect("valid JSON");
        let bbox: Vec<f64> =
            value["bbox"].as_array().expect("bbox").iter().map(|v| v.as_f64().expect("number")).collect();
        assert_eq!(bbox, vec![107.961_234_5, 21.531_234_5, 107.971, 21.541]);
    }

    #[test]
    fn outer_rings_come_out_counter_clockwise_and_holes_clockwise_whatever_the_stored_order() {
        let mut parcels = sample::parcels();
        for p in &mut parcels {
            // Store every ring the wrong way round.
            let (mut exterior, mut interiors) = p.geometry.clone().into_inner();
            exterior.0.reverse();
            for ring in &mut interiors {
                ring.0.reverse();
            }
            p.geometry = Polygon::new(exterior, interiors);
        }
        assert!(parcels[0].geometry.exterior().is_cw() && parcels[0].geometry.interiors()[0].is_ccw());
        let inventory = Inventory::new(InventoryParts { parcels, ..InventoryParts::default() }).expect("valid");
        let collection: geojson::FeatureCollection = collection(&inventory, Layer::Parcels).parse().expect("GeoJSON");
        for feature in collection.features {
            let polygon = Polygon::<f64>::try_from(feature).expect("a polygon");
            assert!(polygon.exterior().is_ccw());
            assert!(polygon.interiors().iter().all(Winding::is_cw));
        }
    }

    #[test]
    fn coordinates_are_written_with_at_most_seven_decimals() {
        let mut parcels = sample::parcels();
        parcels[1].geometry =
            sample::rectangle(107.970_000_049_9, 21.540_000_05, 107.971_234_567_89, 21.541_111_111_11);
        let inventory = Inventory::new(InventoryParts { parcels, ..InventoryParts::default() }).expect("valid");
        let text = collection(&inventory, Layer::Parcels);
        let numbers = coordinate_texts(&text);
        assert!(!numbers.is_empty());
        for n in &numbers {
            let decimals = n.split_once('.').map_or(0, |(_, d)| d.len());
            assert!(decimals <= 7, "{n}");
            assert!(!n.contains('e') && !n.starts_with("-0"), "{n}");
        }
        assert!(text.contains("[107.97,21.5400001]"), "rounded half away from zero: {text}");
        assert!(text.contains("[107.9712346,21.5411111]"), "{text}");
    }

    #[test]
    fn select_writes_only_the_named_properties_in_schema_order() {
        let inventory = sample::inventory();
        let parcel = record(&inventory, Layer::Parcels, 10).expect("parcel 10");
        let mut out = Vec::new();
        write_feature(&mut out, &inventory, parcel, Some(&["area_mu", "plot_no", "no_such_property"])).expect("writes");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.ends_with(r#","properties":{"plot_no":"KHQ-01-03","area_mu":67.371}}"#), "{text}");
        let none = feature(&inventory, Layer::Parcels, 10, Some(&[]));
        assert_eq!(none["properties"], serde_json::json!({}));
        assert!(none["geometry"].is_object(), "select limits properties, not the geometry");
    }

    #[test]
    fn computed_properties_are_rounded_and_stored_ones_are_not() {
        let inventory = sample::inventory();
        let parcel: &Parcel = &inventory.parcels()[0];
        let value = feature(&inventory, Layer::Parcels, 10, None);
        let props = &value["properties"];
        let area_m2 = props["area_m2"].as_f64().expect("number");
        assert!((area_m2 - parcel.area.0).abs() <= 0.005, "{area_m2}");
        assert_eq!(area_m2.to_string(), "44913.81", "two decimals");
        assert_eq!(props["stated_area_m2"].as_f64(), Some(44_878.67));
        assert_eq!(props["coverage_min"].as_f64(), Some(0.1 + 0.2), "stored values keep every digit");
        assert_eq!(props["zone"], "KHQ");
        assert_eq!(props["class"], "II");
        assert_eq!(props["supply_date"], "2023-03-15");
    }

    #[test]
    fn a_unit_without_an_outline_is_drawn_with_its_building_footprint() {
        let inventory = sample::inventory();
        let unit = feature(&inventory, Layer::Units, 31, None);
        let building = feature(&inventory, Layer::Buildings, 20, None);
        assert_eq!(unit["geometry"], building["geometry"]);
        assert_eq!(unit["properties"]["has_outline"], false);
        assert_eq!(unit["properties"]["building_no"], "KHQ-B1");
        assert_eq!(unit["properties"]["zone"], "KHQ");
    }

    #[test]
    fn a_project_has_a_null_geometry_and_lists_its_units() {
        let inventory = sample::inventory();
        let project = feature(&inventory, Layer::Projects, 40, None);
        assert!(project["geometry"].is_null());
        assert_eq!(project["properties"]["unit_ids"], serde_json::json!([30]));
        assert_eq!(feature(&inventory, Layer::Projects, 41, None)["properties"]["zone"], Value::Null);
    }

    #[test]
    fn text_is_escaped_as_json() {
        let inventory = sample::inventory();
        let zone = feature(&inventory, Layer::Zones, 1, None);
        assert_eq!(zone["properties"]["name_en"], "Cross-border \"Economic\" Cooperation Zone \\ Dongxing");
        assert_eq!(zone["properties"]["leading_industries"], serde_json::json!(["textile", "electronic_info"]));
    }

    #[test]
    fn an_empty_layer_is_an_empty_collection_without_bbox() {
        let inventory = Inventory::new(InventoryParts::default()).expect("valid");
        assert_eq!(
            collection(&inventory, Layer::Zones),
            r#"{"type":"FeatureCollection","name":"zones","features":[]}"#
        );
    }

    #[test]
    fn a_written_parcel_feature_matches_the_snapshot() {
        let inventory = sample::inventory();
        let mut out = Vec::new();
        let parcel = record(&inventory, Layer::Parcels, 10).expect("parcel 10");
        write_feature(&mut out, &inventory, parcel, None).expect("writes");
        insta::assert_snapshot!(String::from_utf8(out).expect("utf-8"));
    }
}
