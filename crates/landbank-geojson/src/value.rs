//! Property values borrowed from records, and how they serialize to JSON.

use landbank_inventory::Date;
use serde::{Serialize, Serializer};

/// The value of one property of one record, borrowed from the record where it can be.
#[derive(Debug, Clone, PartialEq)]
pub enum PropertyValue<'a> {
    /// No value (`null`): an optional field that is not set, or a reference to a missing record.
    Null,
    Integer(i64),
    Number(f64),
    /// Text or an enumeration code.
    String(&'a str),
    /// Computed text (rare).
    Text(String),
    Boolean(bool),
    /// Written as `YYYY-MM-DD`.
    Date(Date),
    /// A list of codes, e.g. `leading_industries`.
    Strings(Vec<&'a str>),
    /// A list of integers, e.g. `unit_ids`.
    Integers(Vec<i64>),
}

/// `value` rounded half away from zero to `decimals` places, for computed display values.
pub(crate) fn rounded(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    let r = (value * scale).round() / scale;
    // Never write `-0.0`.
    if r == 0.0 { 0.0 } else { r }
}

impl Serialize for PropertyValue<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            PropertyValue::Null => serializer.serialize_unit(),
            PropertyValue::Integer(v) => serializer.serialize_i64(*v),
            PropertyValue::Number(v) => serializer.serialize_f64(*v),
            PropertyValue::String(v) => serializer.serialize_str(v),
            PropertyValue::Text(v) => serializer.serialize_str(v),
            PropertyValue::Boolean(v) => serializer.serialize_bool(*v),
            PropertyValue::Date(v) => serializer.collect_str(v),
            PropertyValue::Strings(v) => v.serialize(serializer),
            PropertyValue::Integers(v) => v.serialize(serializer),
        }
    }
}

impl<'a> From<&'a str> for PropertyValue<'a> {
    fn from(v: &'a str) -> Self {
        PropertyValue::String(v)
    }
}

impl From<i64> for PropertyValue<'_> {
    fn from(v: i64) -> Self {
        PropertyValue::Integer(v)
    }
}

impl From<u32> for PropertyValue<'_> {
    fn from(v: u32) -> Self {
        PropertyValue::Integer(i64::from(v))
    }
}

impl From<u16> for PropertyValue<'_> {
    fn from(v: u16) -> Self {
        PropertyValue::Integer(i64::from(v))
    }
}

impl From<u8> for PropertyValue<'_> {
    fn from(v: u8) -> Self {
        PropertyValue::Integer(i64::from(v))
    }
}

impl From<f64> for PropertyValue<'_> {
    fn from(v: f64) -> Self {
        PropertyValue::Number(v)
    }
}

impl From<bool> for PropertyValue<'_> {
    fn from(v: bool) -> Self {
        PropertyValue::Boolean(v)
    }
}

impl From<Date> for PropertyValue<'_> {
    fn from(v: Date) -> Self {
        PropertyValue::Date(v)
    }
}

impl<'a, T: Into<PropertyValue<'a>>> From<Option<T>> for PropertyValue<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(PropertyValue::Null, Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_serialize_as_plain_json() {
        let date = Date::new(2024, 3, 1).expect("valid date");
        let json = |v: PropertyValue<'_>| serde_json::to_string(&v).expect("serializes");
        assert_eq!(json(PropertyValue::Null), "null");
        assert_eq!(json(PropertyValue::Integer(-3)), "-3");
        assert_eq!(json(PropertyValue::Number(40.318)), "40.318");
        assert_eq!(json(PropertyValue::String("a \"b\"\n")), r#""a \"b\"\n""#);
        assert_eq!(json(PropertyValue::Date(date)), r#""2024-03-01""#);
        assert_eq!(json(PropertyValue::Strings(vec!["I", "II"])), r#"["I","II"]"#);
        assert_eq!(json(PropertyValue::Integers(vec![4, 5])), "[4,5]");
    }

    #[test]
    fn display_values_round_half_away_from_zero_and_never_to_minus_zero() {
        let text = |v: f64| v.to_string();
        assert_eq!(text(rounded(26_878.666_666, 2)), "26878.67");
        assert_eq!(text(rounded(-1.5, 0)), "-2");
        assert_eq!(text(rounded(40.3185, 3)), "40.319");
        assert!(rounded(-0.000_1, 2).is_sign_positive());
    }
}
