//! Query strings: every parameter is known, given once and well formed, or the request is refused with a 400.

use std::cmp::Ordering;

use landbank_geojson::{PropertySpec, PropertyType, PropertyValue};
use landbank_inventory::{BBox, Date, Layer};

use crate::auth::{Access, visible};
use crate::error::ApiError;

/// Items returned when the client gives no `limit`.
pub const DEFAULT_LIMIT: usize = 100;
/// The most items one page holds; larger limits are clamped to it, never refused.
pub const MAX_LIMIT: usize = 10_000;

/// The raw parameters of a request, in order, decoded.
#[derive(Debug, Default, Clone)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(raw: Option<&str>) -> Params {
        Params(form_urlencoded::parse(raw.unwrap_or("").as_bytes()).into_owned().collect())
    }

    /// Refuses any parameter not in `allowed` and any parameter given twice.
    pub fn only(&self, allowed: &[&str]) -> Result<(), ApiError> {
        for (i, (name, _)) in self.0.iter().enumerate() {
            if !allowed.contains(&name.as_str()) {
                let allowed = if allowed.is_empty() { "no parameters".to_owned() } else { allowed.join(", ") };
                return Err(ApiError::UnknownParameter { name: name.clone(), allowed });
            }
            if self.0[..i].iter().any(|(n, _)| n == name) {
                return Err(ApiError::RepeatedParameter { name: name.clone() });
            }
        }
        Ok(())
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The query string with `name` set to `value` (added or replaced), for paging links.
    pub fn with(&self, name: &str, value: &str) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (n, v) in &self.0 {
            if n != name {
                out.append_pair(n, v);
            }
        }
        out.append_pair(name, value);
        out.finish()
    }
}

/// `bbox=minLon,minLat,maxLon,maxLat` in CRS84, or in `bbox-crs` and its axis order (a 6-number 3D box is
/// accepted; heights are ignored). A box in another CRS becomes the CRS84 envelope of its densified edges.
pub fn bbox(params: &Params) -> Result<Option<BBox>, ApiError> {
    let crs = crate::crs::Crs::parse(params, "bbox-crs")?;
    let Some(raw) = params.get("bbox") else { return Ok(None) };
    let numbers: Vec<f64> = raw
        .split(',')
        .map(|n| n.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| ApiError::invalid("bbox", format!("`{raw}` is not a list of numbers")))?;
    let (min_lon, min_lat, max_lon, max_lat) = match numbers[..] {
        [a, b, c, d] => (a, b, c, d),
        [a, b, _, d, e, _] => (a, b, d, e),
        _ => {
            return Err(ApiError::invalid(
                "bbox",
                format!("expected 4 numbers minLon,minLat,maxLon,maxLat, got {}", numbers.len()),
            ));
        }
    };
    let [min_lon, min_lat, max_lon, max_lat] = if min_lon <= max_lon && min_lat <= max_lat {
        crs.bbox_to_crs84([min_lon, min_lat, max_lon, max_lat])
            .ok_or_else(|| ApiError::invalid("bbox", format!("`{raw}` cannot be transformed from {}", crs.uri())))?
    } else {
        [min_lon, min_lat, max_lon, max_lat]
    };
    BBox::new(min_lon, min_lat, max_lon, max_lat).map(Some).ok_or_else(|| {
        ApiError::invalid(
            "bbox",
            "longitudes must lie in -180..180 and latitudes in -90..90, with min ≤ max (boxes across the antimeridian are not supported)",
        )
    })
}

/// `limit`, clamped to `1..=MAX_LIMIT` as OGC API – Features requires; not a number is a 400.
pub fn limit(params: &Params) -> Result<usize, ApiError> {
    match params.get("limit") {
        None => Ok(DEFAULT_LIMIT),
        Some(raw) => raw
            .parse::<i64>()
            .map(|n| n.clamp(1, MAX_LIMIT as i64) as usize)
            .map_err(|_| ApiError::invalid("limit", format!("`{raw}` is not an integer"))),
    }
}

/// `offset` (zero-based position of the first item), as written in our own `next` links.
pub fn offset(params: &Params) -> Result<usize, ApiError> {
    match params.get("offset") {
        None => Ok(0),
        Some(raw) => raw
            .parse::<usize>()
            .map_err(|_| ApiError::invalid("offset", format!("`{raw}` is not a non-negative integer"))),
    }
}

/// A calendar date parameter written `YYYY-MM-DD` (e.g. `as_of=2026-11-27`); `None` when it is not given.
pub fn date(params: &Params, name: &str) -> Result<Option<Date>, ApiError> {
    let Some(raw) = params.get(name) else { return Ok(None) };
    let b = raw.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    match raw.parse::<Date>() {
        Ok(date) if shaped => Ok(Some(date)),
        _ => Err(ApiError::invalid(name, format!("`{raw}` is not a date written YYYY-MM-DD"))),
    }
}

/// A `property=value` filter, parsed to the property's type.
#[derive(Debug, Clone)]
pub struct PropertyFilter {
    pub name: &'static str,
    value: Expected,
}

#[derive(Debug, Clone)]
enum Expected {
    Integer(i64),
    Number(f64),
    Boolean(bool),
    Date(Date),
    String(String),
}

impl PropertyFilter {
    pub fn parse(spec: &PropertySpec, raw: &str) -> Result<PropertyFilter, ApiError> {
        let bad = |what: &str| ApiError::invalid(spec.name, format!("`{raw}` is not {what}"));
        let value = match spec.kind {
            PropertyType::Integer => Expected::Integer(raw.parse().map_err(|_| bad("an integer"))?),
            PropertyType::Number => Expected::Number(raw.parse().map_err(|_| bad("a number"))?),
            PropertyType::Boolean => Expected::Boolean(raw.parse().map_err(|_| bad("true or false"))?),
            PropertyType::Date => Expected::Date(raw.parse().map_err(|_| bad("a date (YYYY-MM-DD)"))?),
            PropertyType::String => {
                if let Some(values) = spec.values
                    && !values.contains(&raw)
                {
                    return Err(ApiError::invalid(spec.name, format!("`{raw}` is not one of: {}", values.join(", "))));
                }
                Expected::String(raw.to_owned())
            }
        };
        Ok(PropertyFilter { name: spec.name, value })
    }

    /// Whether a record's value equals the filter value (a list matches when it contains it).
    pub fn matches(&self, value: Option<&PropertyValue<'_>>) -> bool {
        let Some(value) = value else { return false };
        match (&self.value, value) {
            (Expected::Integer(e), PropertyValue::Integer(v)) => e == v,
            (Expected::Integer(e), PropertyValue::Number(v)) => (*e as f64 - v).abs() < f64::EPSILON,
            (Expected::Number(e), PropertyValue::Number(v)) => (e - v).abs() <= f64::EPSILON * e.abs().max(1.0),
            (Expected::Number(e), PropertyValue::Integer(v)) => (e - *v as f64).abs() < f64::EPSILON,
            (Expected::Boolean(e), PropertyValue::Boolean(v)) => e == v,
            (Expected::Date(e), PropertyValue::Date(v)) => e == v,
            (Expected::String(e), PropertyValue::String(v)) => e == v,
            (Expected::String(e), PropertyValue::Text(v)) => e == v,
            (Expected::String(e), PropertyValue::Strings(vs)) => vs.iter().any(|v| v == e),
            (Expected::Integer(e), PropertyValue::Integers(vs)) => vs.contains(e),
            _ => false,
        }
    }
}

/// One `sortby` key: a schema property, ascending unless written with a `-` prefix.
#[derive(Debug, Clone, Copy)]
pub struct SortKey {
    pub name: &'static str,
    pub descending: bool,
}

/// `sortby=-area_mu,plot_no`: schema properties that hold one value each (`+` or no prefix ascending, `-`
/// descending). Unknown names are a 400 naming them.
pub fn sortby(params: &Params, layer: Layer, access: Access) -> Result<Vec<SortKey>, ApiError> {
    let Some(raw) = params.get("sortby") else { return Ok(Vec::new()) };
    raw.split(',')
        .map(|key| {
            // A literal `+` arrives as a space after form decoding.
            let key = key.trim_start_matches([' ', '+']);
            let (descending, name) = match key.strip_prefix('-') {
                Some(name) => (true, name),
                None => (false, key),
            };
            let spec = sortables(layer, access).find(|p| p.name == name).ok_or_else(|| {
                let known = sortables(layer, access).map(|p| p.name).collect::<Vec<_>>().join(", ");
                ApiError::invalid(
                    "sortby",
                    format!("`{name}` is not a sortable property of {}; use one of: {known}", layer.code()),
                )
            })?;
            Ok(SortKey { name: spec.name, descending })
        })
        .collect()
}

/// The properties a layer can be sorted by: those with one value per feature the reader may see.
pub fn sortables(layer: Layer, access: Access) -> impl Iterator<Item = &'static PropertySpec> + Clone {
    visible(layer, access).filter(|p| !p.array)
}

/// Orders two property values of the same property; `null` (or a missing value) sorts after every value.
pub fn compare(a: Option<&PropertyValue<'_>>, b: Option<&PropertyValue<'_>>, descending: bool) -> Ordering {
    let a = a.filter(|v| !matches!(v, PropertyValue::Null));
    let b = b.filter(|v| !matches!(v, PropertyValue::Null));
    let (a, b) = match (a, b) {
        (None, None) => return Ordering::Equal,
        (None, Some(_)) => return Ordering::Greater,
        (Some(_), None) => return Ordering::Less,
        (Some(a), Some(b)) => (a, b),
    };
    #[allow(clippy::cast_precision_loss, reason = "integer properties are far below 2^52")]
    let order = match (a, b) {
        (PropertyValue::Integer(x), PropertyValue::Integer(y)) => x.cmp(y),
        (PropertyValue::Number(x), PropertyValue::Number(y)) => x.total_cmp(y),
        (PropertyValue::Integer(x), PropertyValue::Number(y)) => (*x as f64).total_cmp(y),
        (PropertyValue::Number(x), PropertyValue::Integer(y)) => x.total_cmp(&(*y as f64)),
        (PropertyValue::String(x), PropertyValue::String(y)) => x.cmp(y),
        (PropertyValue::Text(x), PropertyValue::Text(y)) => x.cmp(y),
        (PropertyValue::String(x), PropertyValue::Text(y)) => (*x).cmp(y.as_str()),
        (PropertyValue::Text(x), PropertyValue::String(y)) => x.as_str().cmp(y),
        (PropertyValue::Boolean(x), PropertyValue::Boolean(y)) => x.cmp(y),
        (PropertyValue::Date(x), PropertyValue::Date(y)) => x.cmp(y),
        (PropertyValue::Strings(x), PropertyValue::Strings(y)) => x.cmp(y),
        (PropertyValue::Integers(x), PropertyValue::Integers(y)) => x.cmp(y),
        _ => Ordering::Equal,
    };
    if descending { order.reverse() } else { order }
}

/// `properties=a,b`: the schema properties to write (an empty value writes none); unknown names, and names the
/// reader may not see, are a 400 alike.
pub fn properties(params: &Params, layer: Layer, access: Access) -> Result<Option<Vec<&'static str>>, ApiError> {
    let Some(raw) = params.get("properties") else { return Ok(None) };
    raw.split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(|name| {
            visible(layer, access).find(|p| p.name == name).map(|p| p.name).ok_or_else(|| {
                ApiError::invalid("properties", format!("`{name}` is not a property of {}", layer.code()))
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// The date property `datetime` applies to in each layer, if it has one.
pub fn temporal_property(layer: Layer) -> Option<&'static str> {
    match layer {
        Layer::Parcels | Layer::Units => Some("available_from"),
        Layer::Projects => Some("signed_date"),
        Layer::Buildings => Some("completion_date"),
        Layer::Zones | Layer::Pois => None,
    }
}

/// A `datetime` instant or closed interval on a layer's date property, in whole UTC days, ends included.
#[derive(Debug, Clone, Copy)]
pub struct DateRange {
    pub name: &'static str,
    start: Option<Date>,
    end: Option<Date>,
}

impl DateRange {
    /// Whether a record's date lies in the range; a record without a date never does.
    pub fn matches(&self, value: Option<&PropertyValue<'_>>) -> bool {
        let Some(PropertyValue::Date(d)) = value else { return false };
        self.start.is_none_or(|s| s <= *d) && self.end.is_none_or(|e| *d <= e)
    }
}

/// `datetime`: an RFC 3339 date or date-time, or an interval `a/b`, `../b`, `a/..` (an empty end is open too).
pub fn datetime(params: &Params, layer: Layer) -> Result<Option<DateRange>, ApiError> {
    let Some(raw) = params.get("datetime") else { return Ok(None) };
    let Some(name) = temporal_property(layer) else {
        return Err(ApiError::invalid(
            "datetime",
            format!("collection `{}` has no temporal property to filter on", layer.code()),
        ));
    };
    let day = |text: &str| -> Result<Option<Date>, ApiError> {
        if text.is_empty() || text == ".." {
            return Ok(None);
        }
        if let Ok(instant) = text.parse::<jiff::Timestamp>() {
            return Ok(Some(instant.to_zoned(jiff::tz::TimeZone::UTC).date()));
        }
        match text.parse::<Date>() {
            Ok(date) if text.len() == 10 => Ok(Some(date)),
            _ => Err(ApiError::invalid(
                "datetime",
                format!("`{text}` is not an RFC 3339 date (2026-01-31) or date-time (2026-01-31T08:00:00Z)"),
            )),
        }
    };
    let Some((a, b)) = raw.split_once('/') else {
        let Some(at) = day(raw)? else {
            return Err(ApiError::invalid("datetime", "an instant must be a date or date-time, not `..`"));
        };
        return Ok(Some(DateRange { name, start: Some(at), end: Some(at) }));
    };
    let (start, end) = (day(a)?, day(b)?);
    if let (Some(s), Some(e)) = (start, end)
        && s > e
    {
        return Err(ApiError::invalid("datetime", format!("`{raw}` ends before it starts")));
    }
    Ok(Some(DateRange { name, start, end }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_above_the_maximum_is_clamped_not_refused() {
        assert_eq!(limit(&Params::parse(Some("limit=50000"))).ok(), Some(MAX_LIMIT));
        assert_eq!(limit(&Params::parse(Some("limit=0"))).ok(), Some(1));
        assert!(limit(&Params::parse(Some("limit=ten"))).is_err());
    }

    #[test]
    fn unknown_and_repeated_parameters_are_refused() {
        let p = Params::parse(Some("bbox=1,2,3,4&colour=red"));
        assert!(matches!(p.only(&["bbox"]), Err(ApiError::UnknownParameter { name, .. }) if name == "colour"));
        let p = Params::parse(Some("limit=1&limit=2"));
        assert!(matches!(p.only(&["limit"]), Err(ApiError::RepeatedParameter { .. })));
    }

    #[test]
    fn a_bbox_out_of_range_is_refused() {
        assert!(bbox(&Params::parse(Some("bbox=107,21,200,22"))).is_err());
        assert!(bbox(&Params::parse(Some("bbox=108,22,107,21"))).is_err());
        assert!(bbox(&Params::parse(Some("bbox=1,2,3"))).is_err());
        assert!(bbox(&Params::parse(Some("bbox=107.9,21.5,108.1,21.6"))).is_ok_and(|b| b.is_some()));
    }

    #[test]
    fn dates_must_be_real_days_written_year_month_day() {
        let date_of = |q: &str| date(&Params::parse(Some(q)), "as_of");
        assert_eq!(date_of("as_of=2026-11-27").ok().flatten(), Date::new(2026, 11, 27).ok());
        assert!(date_of("limit=1").is_ok_and(|d| d.is_none()));
        for bad in ["as_of=2026-02-30", "as_of=27.11.2026", "as_of=20261127", "as_of=2026-11-27T00:00", "as_of="] {
            assert!(matches!(date_of(bad), Err(ApiError::InvalidParameter { name, .. }) if name == "as_of"), "{bad}");
        }
    }

    #[test]
    fn paging_links_replace_the_offset() {
        let p = Params::parse(Some("bbox=1%2C2%2C3%2C4&offset=10&limit=5"));
        assert_eq!(p.with("offset", "15"), "bbox=1%2C2%2C3%2C4&limit=5&offset=15");
    }
}
