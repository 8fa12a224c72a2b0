//! `filter` and `filter-lang` (OGC API – Features Part 3): CQL2 text or JSON, parsed with the `cql2` crate and
//! compiled once per request into a typed predicate over the records of a layer.

use std::cmp::Ordering;

use cql2::Expr;
use geo::{BoundingRect, Intersects, Relate};
use landbank_geojson::{GeometryRef, PropertySpec, PropertyType, PropertyValue, RecordRef};
use landbank_inventory::{BBox, Date, Inventory, Layer};

use crate::auth::{Access, visible};
use crate::error::ApiError;
use crate::query::Params;

/// The longest filter accepted, in bytes.
pub const MAX_FILTER_BYTES: usize = 4 * 1024;
/// The deepest nesting of expressions accepted.
pub const MAX_DEPTH: usize = 32;
/// The `filter-lang` values accepted; `cql-text` is what GDAL sends and is read as `cql2-text`.
pub const FILTER_LANGS: [&str; 3] = ["cql2-text", "cql2-json", "cql-text"];
/// The name of the geometry in queryables and filters.
const GEOMETRY: &str = "geometry";

/// A compiled filter: the predicate, and the box every match must meet when one can be told in advance.
#[derive(Debug)]
pub struct Filter {
    predicate: Predicate,
    /// The box of a spatial literal that every match must intersect (used to ask the R-tree first).
    pub prefilter: Option<BBox>,
}

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Number(f64),
    Text(String),
    Boolean(bool),
    Date(Date),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Comparison {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spatial {
    Intersects,
    Disjoint,
    Within,
    Contains,
    Equals,
    Touches,
    Overlaps,
    Crosses,
}

#[derive(Debug)]
enum Predicate {
    Constant(bool),
    And(Vec<Predicate>),
    Or(Vec<Predicate>),
    Not(Box<Predicate>),
    Compare { name: &'static str, op: Comparison, value: Value },
    Like { name: &'static str, pattern: Vec<char> },
    In { name: &'static str, values: Vec<Value> },
    Between { name: &'static str, low: Value, high: Value },
    IsNull { name: &'static str },
    Spatial { op: Spatial, geometry: geo::Geometry },
}

impl Filter {
    /// Whether a record passes the filter.
    pub fn matches(&self, inventory: &Inventory, record: RecordRef<'_>) -> bool {
        self.predicate.eval(inventory, record)
    }
}

/// Reads `filter` and `filter-lang`; `None` when no filter is given.
pub fn parse(params: &Params, layer: Layer, access: Access) -> Result<Option<Filter>, ApiError> {
    let lang = params.get("filter-lang").unwrap_or("cql2-text");
    if !FILTER_LANGS.contains(&lang) {
        return Err(ApiError::invalid(
            "filter-lang",
            format!("`{lang}` is not supported; use one of {}", FILTER_LANGS.join(", ")),
        ));
    }
    let Some(text) = params.get("filter") else { return Ok(None) };
    compile_text(text, lang, layer, access).map(Some)
}

/// Parses and compiles filter text in a `filter-lang`.
pub fn compile_text(text: &str, lang: &str, layer: Layer, access: Access) -> Result<Filter, ApiError> {
    if text.len() > MAX_FILTER_BYTES {
        return Err(ApiError::invalid(
            "filter",
            format!("the filter is {} bytes long; at most {MAX_FILTER_BYTES} are accepted", text.len()),
        ));
    }
    // Bound the nesting before any parser recurses over it.
    let open: &[char] = if lang == "cql2-json" { &['[', '{'] } else { &['('] };
    let mut depth = 0usize;
    let mut deepest = 0usize;
    for c in text.chars() {
        if open.contains(&c) {
            depth += 1;
            deepest = deepest.max(depth);
        } else if matches!(c, ')' | ']' | '}') {
            depth = depth.saturating_sub(1);
        }
    }
    if deepest > 2 * MAX_DEPTH {
        return Err(too_deep());
    }
    let expr = if lang == "cql2-json" {
        cql2::parse_json(text).map_err(|e| ApiError::invalid("filter", format!("invalid CQL2 JSON: {e}")))?
    } else {
        cql2::parse_text(text).map_err(|e| ApiError::invalid("filter", format!("invalid CQL2 text: {e}")))?
    };
    if depth_of(&expr) > MAX_DEPTH {
        return Err(too_deep());
    }
    let predicate = Compiler { layer, access }.predicate(&expr)?;
    let prefilter = prefilter(&predicate);
    Ok(Filter { predicate, prefilter })
}

fn too_deep() -> ApiError {
    ApiError::invalid("filter", format!("the filter nests deeper than {MAX_DEPTH} levels"))
}

fn depth_of(expr: &Expr) -> usize {
    let children: &[Box<Expr>] = match expr {
        Expr::Operation { args, .. } => args,
        Expr::Interval { interval } => interval,
        Expr::Array(items) => items,
        Expr::BBox { bbox } => bbox,
        Expr::Timestamp { timestamp: e } | Expr::Date { date: e } => return 1 + depth_of(e),
        _ => return 1,
    };
    1 + children.iter().map(|c| depth_of(c)).max().unwrap_or(0)
}

/// The box of a spatial literal every match must meet, from a spatial predicate at the top or in the top-level `AND`.
fn prefilter(predicate: &Predicate) -> Option<BBox> {
    let of = |p: &Predicate| match p {
        Predicate::Spatial { op, geometry } if *op != Spatial::Disjoint => {
            geometry.bounding_rect().and_then(|r| BBox::new(r.min().x, r.min().y, r.max().x, r.max().y))
        }
        _ => None,
    };
    match predicate {
        Predicate::And(all) => all.iter().find_map(of),
        other => of(other),
    }
}

struct Compiler {
    layer: Layer,
    /// A property the reader may not see is unknown to the filter: a 400 like any unknown name, not an oracle.
    access: Access,
}

impl Compiler {
    fn property(&self, name: &str) -> Result<&'static PropertySpec, ApiError> {
        visible(self.layer, self.access).find(|p| p.queryable && p.name == name).ok_or_else(|| self.unknown(name))
    }

    /// Whether the layer has a geometry to filter on (projects have none, as their queryables say).
    fn has_geometry(&self) -> bool {
        self.layer != Layer::Projects
    }

    fn unknown(&self, name: &str) -> ApiError {
        let mut known: Vec<&str> = if self.has_geometry() { vec![GEOMETRY] } else { Vec::new() };
        known.extend(visible(self.layer, self.access).filter(|p| p.queryable).map(|p| p.name));
        ApiError::invalid(
            "filter",
            format!(
                "unknown property `{name}`; the queryables of `{}` are: {} (see /collections/{}/queryables)",
                self.layer.code(),
                known.join(", "),
                self.layer.code()
            ),
        )
    }

    fn predicate(&self, expr: &Expr) -> Result<Predicate, ApiError> {
        let Expr::Operation { op, args } = expr else {
            return match expr {
                Expr::Bool(b) => Ok(Predicate::Constant(*b)),
                other => Err(unsupported(&format!("a bare {} as a condition", kind_of(other)))),
            };
        };
        let arity = |n: usize| {
            if args.len() == n {
                Ok(())
            } else {
                Err(ApiError::invalid("filter", format!("`{op}` takes {n} arguments, got {}", args.len())))
            }
        };
        match op.as_str() {
            "and" => Ok(Predicate::And(args.iter().map(|a| self.predicate(a)).collect::<Result<_, _>>()?)),
            "or" => Ok(Predicate::Or(args.iter().map(|a| self.predicate(a)).collect::<Result<_, _>>()?)),
            "not" => {
                arity(1)?;
                Ok(Predicate::Not(Box::new(self.predicate(&args[0])?)))
            }
            "=" | "<>" | "<" | "<=" | ">" | ">=" => {
                arity(2)?;
                let cmp = match op.as_str() {
                    "=" => Comparison::Eq,
                    "<>" => Comparison::Ne,
                    "<" => Comparison::Lt,
                    "<=" => Comparison::Le,
                    ">" => Comparison::Gt,
                    _ => Comparison::Ge,
                };
                let (spec, literal, cmp) = match (&*args[0], &*args[1]) {
                    (Expr::Property { property }, literal) => (self.scalar(property)?, literal, cmp),
                    (literal, Expr::Property { property }) => (self.scalar(property)?, literal, flip(cmp)),
                    _ => return Err(unsupported("a comparison that does not have a property on one side")),
                };
                Ok(Predicate::Compare { name: spec.name, op: cmp, value: Self::value(spec, literal)? })
            }
            "like" => {
                arity(2)?;
                let spec = self.subject(&args[0])?;
                if spec.kind != PropertyType::String {
                    return Err(ApiError::invalid(
                        "filter",
                        format!("LIKE needs a text property; `{}` is not one", spec.name),
                    ));
                }
                let Expr::Literal(pattern) = &*args[1] else {
                    return Err(unsupported(
                        "a LIKE pattern that is not a plain text literal (CASEI/ACCENTI are not supported)",
                    ));
                };
                Ok(Predicate::Like { name: spec.name, pattern: pattern.chars().collect() })
            }
            "in" => {
                arity(2)?;
                let spec = self.subject(&args[0])?;
                let Expr::Array(items) = &*args[1] else { return Err(unsupported("IN without a list of literals")) };
                let values = items.iter().map(|i| Self::value(spec, i)).collect::<Result<_, _>>()?;
                Ok(Predicate::In { name: spec.name, values })
            }
            "between" => {
                arity(3)?;
                let spec = self.subject(&args[0])?;
                Ok(Predicate::Between {
                    name: spec.name,
                    low: Self::value(spec, &args[1])?,
                    high: Self::value(spec, &args[2])?,
                })
            }
            "isNull" => {
                arity(1)?;
                match &*args[0] {
                    Expr::Property { property } if property == GEOMETRY && self.has_geometry() => {
                        Ok(Predicate::Constant(false))
                    }
                    Expr::Property { property } => Ok(Predicate::IsNull { name: self.property(property)?.name }),
                    _ => Err(unsupported("IS NULL on something other than a property")),
                }
            }
            "s_intersects" | "s_disjoint" | "s_within" | "s_contains" | "s_equals" | "s_touches" | "s_overlaps"
            | "s_crosses" => {
                arity(2)?;
                let op = match op.as_str() {
                    "s_intersects" => Spatial::Intersects,
                    "s_disjoint" => Spatial::Disjoint,
                    "s_within" => Spatial::Within,
                    "s_contains" => Spatial::Contains,
                    "s_equals" => Spatial::Equals,
                    "s_touches" => Spatial::Touches,
                    "s_overlaps" => Spatial::Overlaps,
                    _ => Spatial::Crosses,
                };
                let (literal, op) = match (&*args[0], &*args[1]) {
                    (Expr::Property { property }, literal) => (self.geometry_property(property).map(|()| literal)?, op),
                    (literal, Expr::Property { property }) => {
                        self.geometry_property(property)?;
                        let swapped = match op {
                            Spatial::Within => Spatial::Contains,
                            Spatial::Contains => Spatial::Within,
                            other => other,
                        };
                        (literal, swapped)
                    }
                    _ => return Err(unsupported("a spatial function without the `geometry` property as one argument")),
                };
                Ok(Predicate::Spatial { op, geometry: geometry_literal(literal)? })
            }
            "t_before" | "t_after" | "t_equals" | "t_intersects" | "t_during" | "t_disjoint" => {
                arity(2)?;
                self.temporal(op, &args[0], &args[1])
            }
            other => Err(unsupported(&format!("the operator `{other}`"))),
        }
    }

    /// The property a LIKE, IN or BETWEEN applies to.
    fn subject(&self, expr: &Expr) -> Result<&'static PropertySpec, ApiError> {
        match expr {
            Expr::Property { property } => self.scalar(property),
            _ => Err(unsupported("LIKE, IN and BETWEEN on something other than a property")),
        }
    }

    fn scalar(&self, name: &str) -> Result<&'static PropertySpec, ApiError> {
        if name == GEOMETRY && self.has_geometry() {
            return Err(unsupported("comparing `geometry` other than with the S_* spatial functions"));
        }
        let spec = self.property(name)?;
        if spec.array {
            return Err(unsupported(&format!("comparisons on the list property `{name}`")));
        }
        Ok(spec)
    }

    fn geometry_property(&self, name: &str) -> Result<(), ApiError> {
        if name == GEOMETRY && self.has_geometry() {
            Ok(())
        } else if self.property(name).is_ok() {
            Err(ApiError::invalid(
                "filter",
                format!("`{name}` is not a geometry; spatial functions apply to `geometry`"),
            ))
        } else {
            Err(self.unknown(name))
        }
    }

    /// A literal read as the type of the property it is compared with.
    fn value(spec: &PropertySpec, expr: &Expr) -> Result<Value, ApiError> {
        let mismatch = || {
            ApiError::invalid(
                "filter",
                format!("`{}` is {}; {} cannot be compared with it", spec.name, type_name(spec.kind), kind_of(expr)),
            )
        };
        match (spec.kind, expr) {
            (PropertyType::Integer | PropertyType::Number, Expr::Float(n)) => Ok(Value::Number(*n)),
            (PropertyType::String, Expr::Literal(s)) => Ok(Value::Text(s.clone())),
            (PropertyType::Boolean, Expr::Bool(b)) => Ok(Value::Boolean(*b)),
            (PropertyType::Date, e) => date_literal(e).map(Value::Date).ok_or_else(mismatch),
            _ => Err(mismatch()),
        }
    }

    fn temporal(&self, op: &str, left: &Expr, right: &Expr) -> Result<Predicate, ApiError> {
        let Expr::Property { property } = left else {
            return Err(unsupported("a temporal function without a date property as its first argument"));
        };
        let spec = self.scalar(property)?;
        if spec.kind != PropertyType::Date {
            return Err(ApiError::invalid(
                "filter",
                format!("`{property}` is not a date; temporal functions need one"),
            ));
        }
        let name = spec.name;
        // An instant is the interval from the day to itself.
        let (start, end) = match right {
            Expr::Interval { interval } if interval.len() == 2 => (bound(&interval[0])?, bound(&interval[1])?),
            other => {
                let d = date_literal(other).ok_or_else(|| {
                    ApiError::invalid(
                        "filter",
                        format!("`{op}` needs a DATE, TIMESTAMP or INTERVAL, not {}", kind_of(other)),
                    )
                })?;
                (Some(d), Some(d))
            }
        };
        let cmp = |op, d: Option<Date>| d.map(|d| Predicate::Compare { name, op, value: Value::Date(d) });
        let all = |parts: Vec<Option<Predicate>>| Predicate::And(parts.into_iter().flatten().collect());
        let present = Predicate::Not(Box::new(Predicate::IsNull { name }));
        Ok(match op {
            "t_before" => cmp(Comparison::Lt, start).unwrap_or(Predicate::Constant(false)),
            "t_after" => cmp(Comparison::Gt, end).unwrap_or(Predicate::Constant(false)),
            "t_equals" if start == end => cmp(Comparison::Eq, start).unwrap_or(Predicate::Constant(false)),
            "t_equals" => Predicate::Constant(false),
            "t_intersects" => all(vec![Some(present), cmp(Comparison::Ge, start), cmp(Comparison::Le, end)]),
            "t_during" => all(vec![Some(present), cmp(Comparison::Gt, start), cmp(Comparison::Lt, end)]),
            _ => Predicate::Not(Box::new(all(vec![cmp(Comparison::Ge, start), cmp(Comparison::Le, end)]))),
        })
    }
}

/// An interval bound: a date, or `..` for an open end.
fn bound(expr: &Expr) -> Result<Option<Date>, ApiError> {
    if matches!(expr, Expr::Literal(s) if s == "..") {
        return Ok(None);
    }
    date_literal(expr).map(Some).ok_or_else(|| {
        ApiError::invalid("filter", format!("an interval bound must be a date or `..`, not {}", kind_of(expr)))
    })
}

/// `DATE('2026-01-01')`, `TIMESTAMP('2026-01-01T08:00:00Z')` (its UTC day) or a plain `'2026-01-01'`.
fn date_literal(expr: &Expr) -> Option<Date> {
    match expr {
        Expr::Date { date: e } | Expr::Timestamp { timestamp: e } => date_literal(e),
        Expr::Literal(s) => s
            .parse::<jiff::Timestamp>()
            .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
            .ok()
            .or_else(|| s.get(..10).filter(|_| s.len() == 10).and_then(|d| d.parse::<Date>().ok())),
        _ => None,
    }
}

/// A WKT, GeoJSON or BBOX literal as a geo geometry.
fn geometry_literal(expr: &Expr) -> Result<geo::Geometry, ApiError> {
    let bad = |why: String| ApiError::invalid("filter", format!("invalid geometry literal: {why}"));
    match expr {
        Expr::BBox { bbox } => {
            let numbers: Vec<f64> = bbox
                .iter()
                .map(|e| match **e {
                    Expr::Float(v) => Ok(v),
                    _ => Err(bad("BBOX takes numbers".into())),
                })
                .collect::<Result<_, _>>()?;
            let ([west, south, east, north] | [west, south, _, east, north, _]) = numbers[..] else {
                return Err(bad(format!("BBOX takes 4 or 6 numbers, got {}", numbers.len())));
            };
            Ok(geo::Geometry::Polygon(geo::Rect::new((west, south), (east, north)).to_polygon()))
        }
        Expr::Geometry(g) => {
            // Serializing renders a WKT literal as GeoJSON too, so both arrive through one reader.
            let json = serde_json::to_value(g).map_err(|e| bad(e.to_string()))?;
            let geojson: geojson::Geometry = serde_json::from_value(json).map_err(|e| bad(e.to_string()))?;
            geo::Geometry::try_from(&geojson.value).map_err(|e| bad(e.to_string()))
        }
        other => Err(unsupported(&format!("{} where a geometry literal is expected", kind_of(other)))),
    }
}

fn unsupported(what: &str) -> ApiError {
    ApiError::invalid("filter", format!("unsupported: {what}"))
}

fn flip(c: Comparison) -> Comparison {
    match c {
        Comparison::Lt => Comparison::Gt,
        Comparison::Le => Comparison::Ge,
        Comparison::Gt => Comparison::Lt,
        Comparison::Ge => Comparison::Le,
        same => same,
    }
}

fn type_name(kind: PropertyType) -> &'static str {
    match kind {
        PropertyType::Integer | PropertyType::Number => "a number",
        PropertyType::String => "text",
        PropertyType::Boolean => "a boolean",
        PropertyType::Date => "a date",
    }
}

fn kind_of(expr: &Expr) -> &'static str {
    match expr {
        Expr::Operation { .. } => "an operation",
        Expr::Interval { .. } => "an interval",
        Expr::Timestamp { .. } => "a timestamp",
        Expr::Date { .. } => "a date",
        Expr::Property { .. } => "a property",
        Expr::BBox { .. } => "a BBOX",
        Expr::Float(_) => "a number",
        Expr::Literal(_) => "a text literal",
        Expr::Bool(_) => "a boolean",
        Expr::Array(_) => "a list",
        Expr::Geometry(_) => "a geometry",
        Expr::Null => "NULL",
    }
}

/// A record's value as a filter value; `None` for null and for lists.
fn value_of(value: Option<PropertyValue<'_>>) -> Option<Value> {
    match value? {
        PropertyValue::Integer(i) => Some(Value::Number(i as f64)),
        PropertyValue::Number(n) => Some(Value::Number(n)),
        PropertyValue::String(s) => Some(Value::Text(s.to_owned())),
        PropertyValue::Text(s) => Some(Value::Text(s)),
        PropertyValue::Boolean(b) => Some(Value::Boolean(b)),
        PropertyValue::Date(d) => Some(Value::Date(d)),
        _ => None,
    }
}

fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.partial_cmp(y),
        (Value::Text(x), Value::Text(y)) => Some(x.cmp(y)),
        (Value::Boolean(x), Value::Boolean(y)) => Some(x.cmp(y)),
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// SQL LIKE: `%` any run, `_` one character, `\` escapes the next one.
fn like(text: &[char], pattern: &[char]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some(('%', rest)) => (0..=text.len()).any(|i| like(&text[i..], rest)),
        Some(('_', rest)) => !text.is_empty() && like(&text[1..], rest),
        Some(('\\', rest)) if !rest.is_empty() => text.first() == Some(&rest[0]) && like(&text[1..], &rest[1..]),
        Some((c, rest)) => text.first() == Some(c) && like(&text[1..], rest),
    }
}

impl Predicate {
    fn eval(&self, inventory: &Inventory, record: RecordRef<'_>) -> bool {
        let get = |name: &str| value_of(record.property(inventory, name));
        match self {
            Predicate::Constant(b) => *b,
            Predicate::And(all) => all.iter().all(|p| p.eval(inventory, record)),
            Predicate::Or(any) => any.iter().any(|p| p.eval(inventory, record)),
            Predicate::Not(p) => !p.eval(inventory, record),
            Predicate::Compare { name, op, value } => {
                get(name).and_then(|v| order(&v, value)).is_some_and(|o| match op {
                    Comparison::Eq => o.is_eq(),
                    Comparison::Ne => o.is_ne(),
                    Comparison::Lt => o.is_lt(),
                    Comparison::Le => o.is_le(),
                    Comparison::Gt => o.is_gt(),
                    Comparison::Ge => o.is_ge(),
                })
            }
            Predicate::Like { name, pattern } => match get(name) {
                Some(Value::Text(t)) => like(&t.chars().collect::<Vec<_>>(), pattern),
                _ => false,
            },
            Predicate::In { name, values } => {
                get(name).is_some_and(|v| values.iter().any(|x| order(&v, x).is_some_and(Ordering::is_eq)))
            }
            Predicate::Between { name, low, high } => get(name).is_some_and(|v| {
                order(&v, low).is_some_and(Ordering::is_ge) && order(&v, high).is_some_and(Ordering::is_le)
            }),
            Predicate::IsNull { name } => {
                matches!(record.property(inventory, name), None | Some(PropertyValue::Null))
            }
            Predicate::Spatial { op, geometry } => match record.geometry(inventory) {
                Some(GeometryRef::Polygon(p)) => spatial(*op, p, geometry),
                Some(GeometryRef::Other(g)) => spatial(*op, g, geometry),
                None => *op == Spatial::Disjoint,
            },
        }
    }
}

fn spatial<G>(op: Spatial, feature: &G, literal: &geo::Geometry) -> bool
where
    G: Intersects<geo::Geometry> + Relate<f64>,
{
    match op {
        Spatial::Intersects => feature.intersects(literal),
        Spatial::Disjoint => !feature.intersects(literal),
        _ => {
            let m = feature.relate(literal);
            match op {
                Spatial::Within => m.is_within(),
                Spatial::Contains => m.is_contains(),
                Spatial::Equals => m.is_equal_topo(),
                Spatial::Touches => m.is_touches(),
                Spatial::Overlaps => m.is_overlaps(),
                _ => m.is_crosses(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_match_runs_single_characters_and_escapes() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(like(&chars("DX-01-007"), &chars("DX-%")));
        assert!(like(&chars("DX-01-007"), &chars("DX-__-0%7")));
        assert!(!like(&chars("DX-01-007"), &chars("DX-_-%")));
        assert!(like(&chars("50%"), &chars("50\\%")));
        assert!(!like(&chars("500"), &chars("50\\%")));
    }

    #[test]
    fn filters_nested_too_deeply_or_too_long_are_refused() {
        let deep = format!("{}area_mu > 1{}", "(".repeat(80), ")".repeat(80));
        assert!(compile_text(&deep, "cql2-text", Layer::Parcels, Access::Full).is_err());
        let long = format!("plot_no = '{}'", "x".repeat(MAX_FILTER_BYTES));
        assert!(compile_text(&long, "cql2-text", Layer::Parcels, Access::Full).is_err());
    }
}
