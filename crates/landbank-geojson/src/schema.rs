//! The feature schema of each layer: property names, types, titles and codes, in output order, with the getter
//! that reads each property from a record.

use landbank_inventory::{Inventory, Layer};

use crate::PropertyValue;

/// The type of a property's value (of each item, for an array property), for queryables, JSON Schema and OpenAPI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PropertyType {
    /// A JSON integer: ids, counts, kVA, years.
    Integer,
    /// A JSON number, possibly fractional.
    Number,
    /// A JSON string; an enumeration code when [`PropertySpec::values`] is set.
    String,
    /// `true` or `false`.
    Boolean,
    /// A calendar date as a string `YYYY-MM-DD` (JSON Schema `format: date`).
    Date,
}

/// One property of a layer's features.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PropertySpec {
    /// The `snake_case` name, with the unit in it where it has one (`area_m2`, `power_kva`).
    pub name: &'static str,
    /// The type of the value, or of each item when `array` is set.
    pub kind: PropertyType,
    /// A short English description, with the unit.
    pub title: &'static str,
    /// The codes an enumeration property takes (for an array property: each item), in declaration order.
    pub values: Option<&'static [&'static str]>,
    /// Whether the property is offered as a `?name=value` filter and in queryables.
    pub queryable: bool,
    /// Whether the value is a JSON array of [`PropertySpec::kind`] items (`leading_industries`, `unit_ids`).
    pub array: bool,
    /// Whether the value may be `null`. When reading, a nullable property may also be left out.
    pub nullable: bool,
    /// Whether the value is computed from other data (areas from the outline, the zone code from the zone id):
    /// it is written, and ignored when reading.
    pub read_only: bool,
    /// Whether only planners and admins may see the value (negotiated prices, investments, the investor's and the
    /// holder's names): it is left out of anonymous answers, and filtering or sorting on it is refused to them.
    pub restricted: bool,
}

impl PropertySpec {
    const fn new(name: &'static str, kind: PropertyType, title: &'static str) -> PropertySpec {
        PropertySpec {
            name,
            kind,
            title,
            values: None,
            queryable: true,
            array: false,
            nullable: false,
            read_only: false,
            restricted: false,
        }
    }

    /// The value may be `null`.
    pub(crate) const fn nullable(mut self) -> PropertySpec {
        self.nullable = true;
        self
    }

    /// The value is computed, not stored.
    pub(crate) const fn read_only(mut self) -> PropertySpec {
        self.read_only = true;
        self
    }

    /// The value (or each item) is one of these codes.
    pub(crate) const fn codes(mut self, values: &'static [&'static str]) -> PropertySpec {
        self.values = Some(values);
        self
    }

    /// The value is an array of items.
    pub(crate) const fn array(mut self) -> PropertySpec {
        self.array = true;
        self
    }

    /// Only planners and admins see the value.
    pub(crate) const fn restricted(mut self) -> PropertySpec {
        self.restricted = true;
        self
    }

    /// Values nobody filters on by exact value (names, amounts).
    pub(crate) const fn not_queryable(mut self) -> PropertySpec {
        self.queryable = false;
        self
    }
}

pub(crate) const fn integer(name: &'static str, title: &'static str) -> PropertySpec {
    PropertySpec::new(name, PropertyType::Integer, title)
}

pub(crate) const fn number(name: &'static str, title: &'static str) -> PropertySpec {
    PropertySpec::new(name, PropertyType::Number, title)
}

pub(crate) const fn string(name: &'static str, title: &'static str) -> PropertySpec {
    PropertySpec::new(name, PropertyType::String, title)
}

pub(crate) const fn boolean(name: &'static str, title: &'static str) -> PropertySpec {
    PropertySpec::new(name, PropertyType::Boolean, title)
}

pub(crate) const fn date(name: &'static str, title: &'static str) -> PropertySpec {
    PropertySpec::new(name, PropertyType::Date, title)
}

/// The codes of a coded enumeration of the inventory, in declaration order, as a `&'static` slice.
macro_rules! codes {
    ($enum:ty) => {{
        static CODES: std::sync::LazyLock<Vec<&'static str>> =
            std::sync::LazyLock::new(|| <$enum>::ALL.iter().map(|member| member.code()).collect());
        CODES.as_slice()
    }};
}
pub(crate) use codes;

/// Reads one property from a record of type `T`.
pub(crate) type Getter<T> = for<'a> fn(&'a T, &'a Inventory) -> PropertyValue<'a>;

/// A layer's properties in output order, each with its getter.
pub(crate) struct Fields<T: 'static> {
    specs: Vec<PropertySpec>,
    getters: Vec<Getter<T>>,
}

impl<T> Fields<T> {
    pub(crate) fn new() -> Fields<T> {
        Fields { specs: Vec::new(), getters: Vec::new() }
    }

    /// Appends a property.
    pub(crate) fn with(mut self, spec: PropertySpec, getter: Getter<T>) -> Fields<T> {
        debug_assert!(self.specs.iter().all(|s| s.name != spec.name), "property `{}` declared twice", spec.name);
        self.specs.push(spec);
        self.getters.push(getter);
        self
    }

    pub(crate) fn specs(&self) -> &[PropertySpec] {
        &self.specs
    }

    /// The value of the named property, or `None` when the layer has no such property.
    pub(crate) fn get<'a>(&self, record: &'a T, inventory: &'a Inventory, name: &str) -> Option<PropertyValue<'a>> {
        let at = self.specs.iter().position(|s| s.name == name)?;
        Some((self.getters[at])(record, inventory))
    }

    /// Calls `f` with every property and its value, in output order, until it fails.
    pub(crate) fn try_each<'a, E>(
        &'static self,
        record: &'a T,
        inventory: &'a Inventory,
        mut f: impl FnMut(&'static PropertySpec, PropertyValue<'a>) -> Result<(), E>,
    ) -> Result<(), E> {
        for (spec, getter) in self.specs.iter().zip(&self.getters) {
            f(spec, getter(record, inventory))?;
        }
        Ok(())
    }
}

/// The properties of a layer's features, in the order they are written.
///
/// # Examples
///
/// ```
/// use landbank_geojson::{PropertyType, schema};
/// use landbank_inventory::Layer;
///
/// let area = schema(Layer::Parcels).iter().find(|p| p.name == "area_mu").unwrap();
/// assert_eq!(area.kind, PropertyType::Number);
/// assert!(area.read_only);
/// ```
pub fn schema(layer: Layer) -> &'static [PropertySpec] {
    match layer {
        Layer::Zones => crate::zone::FIELDS.specs(),
        Layer::Parcels => crate::parcel::FIELDS.specs(),
        Layer::Buildings => crate::building::FIELDS.specs(),
        Layer::Units => crate::unit::FIELDS.specs(),
        Layer::Projects => crate::project::FIELDS.specs(),
        Layer::Pois => crate::poi::FIELDS.specs(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use landbank_inventory::Availability;

    #[test]
    fn property_names_are_snake_case_and_unique_in_every_layer() {
        for &layer in Layer::ALL {
            let specs = schema(layer);
            assert!(!specs.is_empty(), "{layer}");
            for (i, spec) in specs.iter().enumerate() {
                assert!(
                    spec.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                    "{layer}.{}",
                    spec.name
                );
                assert!(!spec.title.is_empty(), "{layer}.{}", spec.name);
                assert!(specs[..i].iter().all(|s| s.name != spec.name), "{layer}.{} twice", spec.name);
            }
        }
    }

    #[test]
    fn enumeration_properties_list_the_codes_of_their_enum() {
        let availability = schema(Layer::Parcels)
            .iter()
            .find(|p| p.name == "availability")
            .and_then(|p| p.values)
            .expect("availability has codes");
        let expected: Vec<&str> = Availability::ALL.iter().map(|a| a.code()).collect();
        assert_eq!(availability, expected.as_slice());
    }
}
