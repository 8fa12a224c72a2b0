//! Borrowed records of any layer: their id, properties, geometry and box, and iteration over a layer in id order.

use std::iter::FusedIterator;
use std::ops::Range;

use geo::{BoundingRect, Geometry, Polygon};
use landbank_inventory::{
    BBox, BuildingId, FactoryBuilding, FactoryUnit, Inventory, Layer, Parcel, ParcelId, Poi, PoiId, Project, ProjectId,
    UnitId, Zone, ZoneId,
};

use crate::{PropertySpec, PropertyValue};

/// A borrowed record of any layer.
#[derive(Debug, Clone, Copy)]
pub enum RecordRef<'a> {
    Zone(&'a Zone),
    Parcel(&'a Parcel),
    Building(&'a FactoryBuilding),
    Unit(&'a FactoryUnit),
    Project(&'a Project),
    Poi(&'a Poi),
}

/// A borrowed geometry, as stored (EPSG:4490 lon/lat).
#[derive(Debug, Clone, Copy)]
pub enum GeometryRef<'a> {
    /// A parcel outline, building footprint, unit outline or zone boundary.
    Polygon(&'a Polygon),
    /// A point of interest: point, line or polygon.
    Other(&'a Geometry),
}

impl GeometryRef<'_> {
    /// The box around the geometry, or `None` when it is empty.
    pub fn bbox(self) -> Option<BBox> {
        match self {
            GeometryRef::Polygon(p) => BBox::of_polygon(p),
            GeometryRef::Other(g) => g.bounding_rect().map(BBox::from),
        }
    }
}

impl<'a> RecordRef<'a> {
    /// The layer the record belongs to.
    pub fn layer(self) -> Layer {
        match self {
            RecordRef::Zone(_) => Layer::Zones,
            RecordRef::Parcel(_) => Layer::Parcels,
            RecordRef::Building(_) => Layer::Buildings,
            RecordRef::Unit(_) => Layer::Units,
            RecordRef::Project(_) => Layer::Projects,
            RecordRef::Poi(_) => Layer::Pois,
        }
    }

    /// The record's id, which is also its feature id.
    pub fn id(self) -> i64 {
        match self {
            RecordRef::Zone(z) => z.id.0,
            RecordRef::Parcel(p) => p.id.0,
            RecordRef::Building(b) => b.id.0,
            RecordRef::Unit(u) => u.id.0,
            RecordRef::Project(p) => p.id.0,
            RecordRef::Poi(p) => p.id.0,
        }
    }

    /// The value of the named property (see [`crate::schema`]), or `None` when the layer has no such property.
    /// Computed properties (the zone code, areas in m² and mu…) look up what they need in `inventory`.
    pub fn property(self, inventory: &'a Inventory, name: &str) -> Option<PropertyValue<'a>> {
        match self {
            RecordRef::Zone(z) => crate::zone::FIELDS.get(z, inventory, name),
            RecordRef::Parcel(p) => crate::parcel::FIELDS.get(p, inventory, name),
            RecordRef::Building(b) => crate::building::FIELDS.get(b, inventory, name),
            RecordRef::Unit(u) => crate::unit::FIELDS.get(u, inventory, name),
            RecordRef::Project(p) => crate::project::FIELDS.get(p, inventory, name),
            RecordRef::Poi(p) => crate::poi::FIELDS.get(p, inventory, name),
        }
    }

    /// Calls `f` with every property and its value, in schema order, until it fails.
    pub fn try_each_property<E>(
        self,
        inventory: &'a Inventory,
        f: impl FnMut(&'static PropertySpec, PropertyValue<'a>) -> Result<(), E>,
    ) -> Result<(), E> {
        match self {
            RecordRef::Zone(z) => crate::zone::FIELDS.try_each(z, inventory, f),
            RecordRef::Parcel(p) => crate::parcel::FIELDS.try_each(p, inventory, f),
            RecordRef::Building(b) => crate::building::FIELDS.try_each(b, inventory, f),
            RecordRef::Unit(u) => crate::unit::FIELDS.try_each(u, inventory, f),
            RecordRef::Project(p) => crate::project::FIELDS.try_each(p, inventory, f),
            RecordRef::Poi(p) => crate::poi::FIELDS.try_each(p, inventory, f),
        }
    }

    /// The geometry written for the record: a unit's own outline or else its building's footprint; `None` for
    /// projects (and for a unit without outline whose building is missing).
    pub fn geometry(self, inventory: &'a Inventory) -> Option<GeometryRef<'a>> {
        match self {
            RecordRef::Zone(z) => Some(GeometryRef::Polygon(&z.boundary)),
            RecordRef::Parcel(p) => Some(GeometryRef::Polygon(&p.geometry)),
            RecordRef::Building(b) => Some(GeometryRef::Polygon(&b.footprint)),
            RecordRef::Unit(u) => inventory.unit_outline(u).map(GeometryRef::Polygon),
            RecordRef::Project(_) => None,
            RecordRef::Poi(p) => Some(GeometryRef::Other(&p.geometry)),
        }
    }

    /// The box around the record's geometry, or `None` when it has none.
    pub fn bbox(self, inventory: &Inventory) -> Option<BBox> {
        self.geometry(inventory).and_then(GeometryRef::bbox)
    }
}

/// The records of one layer in id order, see [`records`].
#[derive(Debug, Clone)]
pub struct Records<'a> {
    inventory: &'a Inventory,
    layer: Layer,
    slots: Range<usize>,
}

impl<'a> Records<'a> {
    fn at(&self, slot: usize) -> RecordRef<'a> {
        let inventory = self.inventory;
        match self.layer {
            Layer::Zones => RecordRef::Zone(&inventory.zones()[slot]),
            Layer::Parcels => RecordRef::Parcel(&inventory.parcels()[slot]),
            Layer::Buildings => RecordRef::Building(&inventory.buildings()[slot]),
            Layer::Units => RecordRef::Unit(&inventory.units()[slot]),
            Layer::Projects => RecordRef::Project(&inventory.projects()[slot]),
            Layer::Pois => RecordRef::Poi(&inventory.pois()[slot]),
        }
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = RecordRef<'a>;

    fn next(&mut self) -> Option<RecordRef<'a>> {
        self.slots.next().map(|slot| self.at(slot))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.slots.size_hint()
    }

    fn nth(&mut self, n: usize) -> Option<RecordRef<'a>> {
        self.slots.nth(n).map(|slot| self.at(slot))
    }
}

impl DoubleEndedIterator for Records<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.slots.next_back().map(|slot| self.at(slot))
    }
}

impl ExactSizeIterator for Records<'_> {}

impl FusedIterator for Records<'_> {}

/// Every record of a layer, in id order. Skipping (`skip`, `nth`) costs nothing, which suits paging.
pub fn records(inventory: &Inventory, layer: Layer) -> Records<'_> {
    let count = match layer {
        Layer::Zones => inventory.zones().len(),
        Layer::Parcels => inventory.parcels().len(),
        Layer::Buildings => inventory.buildings().len(),
        Layer::Units => inventory.units().len(),
        Layer::Projects => inventory.projects().len(),
        Layer::Pois => inventory.pois().len(),
    };
    Records { inventory, layer, slots: 0..count }
}

/// The record of a layer with the given id.
pub fn record(inventory: &Inventory, layer: Layer, id: i64) -> Option<RecordRef<'_>> {
    match layer {
        Layer::Zones => inventory.zone(ZoneId(id)).map(RecordRef::Zone),
        Layer::Parcels => inventory.parcel(ParcelId(id)).map(RecordRef::Parcel),
        Layer::Buildings => inventory.building(BuildingId(id)).map(RecordRef::Building),
        Layer::Units => inventory.unit(UnitId(id)).map(RecordRef::Unit),
        Layer::Projects => inventory.project(ProjectId(id)).map(RecordRef::Project),
        Layer::Pois => inventory.poi(PoiId(id)).map(RecordRef::Poi),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PropertyType, sample, schema};

    fn matches(spec: &PropertySpec, value: &PropertyValue<'_>) -> bool {
        let code_ok = |code: &str| spec.values.is_none_or(|values| values.contains(&code));
        match (value, spec.kind, spec.array) {
            (PropertyValue::Null, _, false) => spec.nullable,
            (PropertyValue::Integer(_), PropertyType::Integer, false)
            | (PropertyValue::Number(_), PropertyType::Number, false)
            | (PropertyValue::Boolean(_), PropertyType::Boolean, false)
            | (PropertyValue::Date(_), PropertyType::Date, false)
            | (PropertyValue::Integers(_), PropertyType::Integer, true) => true,
            (PropertyValue::String(s), PropertyType::String, false) => code_ok(s),
            (PropertyValue::Text(s), PropertyType::String, false) => code_ok(s),
            (PropertyValue::Strings(items), PropertyType::String, true) => items.iter().all(|s| code_ok(s)),
            _ => false,
        }
    }

    #[test]
    fn every_property_value_matches_its_declared_type() {
        let inventory = sample::inventory();
        for &layer in Layer::ALL {
            for record in records(&inventory, layer) {
                for spec in schema(layer) {
                    let value = record.property(&inventory, spec.name).expect("declared property");
                    assert!(matches(spec, &value), "{layer} {} {}: {value:?}", record.id(), spec.name);
                }
            }
        }
    }

    #[test]
    fn an_undeclared_property_has_no_value() {
        let inventory = sample::inventory();
        let parcel = record(&inventory, Layer::Parcels, 10).expect("parcel 10");
        assert_eq!(parcel.property(&inventory, "area_mu"), Some(PropertyValue::Number(67.371)));
        assert_eq!(parcel.property(&inventory, "colour"), None);
        assert_eq!(parcel.property(&inventory, "id"), None);
    }

    #[test]
    fn records_come_in_id_order_and_skip_without_walking() {
        let inventory = sample::inventory();
        let ids: Vec<i64> = records(&inventory, Layer::Pois).map(RecordRef::id).collect();
        assert_eq!(ids, [50, 51, 52]);
        let mut pois = records(&inventory, Layer::Pois);
        assert_eq!(pois.len(), 3);
        assert_eq!(pois.nth(1).map(RecordRef::id), Some(51));
        assert_eq!(pois.next_back().map(RecordRef::id), Some(52));
        assert!(pois.next().is_none());
        assert!(record(&inventory, Layer::Pois, 53).is_none());
        assert_eq!(record(&inventory, Layer::Units, 31).map(RecordRef::layer), Some(Layer::Units));
    }

    #[test]
    fn a_unit_has_the_box_of_its_outline_or_of_its_building() {
        let inventory = sample::inventory();
        let own = record(&inventory, Layer::Units, 30).and_then(|u| u.bbox(&inventory)).expect("box");
        let borrowed = record(&inventory, Layer::Units, 31).and_then(|u| u.bbox(&inventory)).expect("box");
        let building = record(&inventory, Layer::Buildings, 20).and_then(|b| b.bbox(&inventory)).expect("box");
        assert_eq!(borrowed, building);
        assert!(own.max_lon < building.max_lon);
        assert!(record(&inventory, Layer::Projects, 40).and_then(|p| p.bbox(&inventory)).is_none());
    }
}
