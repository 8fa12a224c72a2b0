//! The building layer on the wire: its properties in output order, and reading a standard-factory building back
//! from a feature.

use std::sync::LazyLock;

use landbank_inventory::{
    BuildingId, BuildingStatus, FactoryBuilding, FireClass, ParcelId, SquareMeters, Structure, ZoneId,
};

use crate::read::{FeatureReader, Noted};
use crate::schema::{Fields, codes, date, integer, number, string};

pub(crate) static FIELDS: LazyLock<Fields<FactoryBuilding>> = LazyLock::new(|| {
    Fields::<FactoryBuilding>::new()
        .with(string("building_no", "Building number, e.g. CL-B3"), |b, _| b.building_no.as_str().into())
        .with(string("name", "Name of the building").not_queryable(), |b, _| b.name.as_str().into())
        .with(string("zone", "Code of the zone, e.g. CL (from zone_id)").nullable().read_only(), |b, inventory| {
            inventory.zone(b.zone).map(|z| z.code.as_str()).into()
        })
        .with(integer("zone_id", "Id of the zone"), |b, _| b.zone.0.into())
        .with(integer("parcel_id", "Id of the parcel the building stands on").nullable(), |b, _| {
            b.parcel.map(|id| id.0).into()
        })
        .with(string("structure", "Structural system").codes(codes!(Structure)), |b, _| b.structure.code().into())
        .with(integer("floors", "Storeys above ground"), |b, _| b.floors.into())
        .with(number("gross_floor_area_m2", "Gross floor area (建筑面积), m²"), |b, _| b.gross_floor_area.0.into())
        .with(number("floor_plate_m2", "Floor area of one storey, m²"), |b, _| b.floor_plate.0.into())
        .with(number("height_1f_m", "Storey height of the ground floor, m"), |b, _| b.height_1f_m.into())
        .with(number("height_upper_m", "Storey height of the upper floors, m"), |b, _| b.height_upper_m.into())
        .with(number("load_1f_kn_m2", "Floor load of the ground floor, kN/m²"), |b, _| b.load_1f_kn_m2.into())
        .with(number("load_upper_kn_m2", "Floor load of the upper floors, kN/m²"), |b, _| b.load_upper_kn_m2.into())
        .with(integer("lift_count", "Number of freight lifts"), |b, _| b.lift_count.into())
        .with(number("lift_capacity_t", "Capacity of each freight lift, t"), |b, _| b.lift_capacity_t.into())
        .with(integer("transformer_kva", "Transformer capacity, kVA"), |b, _| b.transformer_kva.into())
        .with(
            string("fire_class", "Fire hazard class of production (GB 50016 甲…戊)").codes(codes!(FireClass)),
            |b, _| b.fire_class.code().into(),
        )
        .with(string("status", "Construction and letting status").codes(codes!(BuildingStatus)), |b, _| {
            b.status.code().into()
        })
        .with(date("completion_date", "Date the building was completed").nullable(), |b, _| b.completion_date.into())
        .with(string("operator", "Owner or operator, often a state platform company").nullable(), |b, _| {
            b.operator.as_deref().into()
        })
});

pub(crate) fn read(r: &mut FeatureReader<'_>) -> Result<FactoryBuilding, Noted> {
    let footprint = r.polygon();
    let building_no = r.required("building_no");
    let name = r.required("name");
    let zone = r.required("zone_id");
    let parcel = r.optional("parcel_id");
    let structure = r.code("structure");
    let floors = r.required("floors");
    let gross_floor_area = r.required("gross_floor_area_m2");
    let floor_plate = r.required("floor_plate_m2");
    let height_1f_m = r.required("height_1f_m");
    let height_upper_m = r.required("height_upper_m");
    let load_1f_kn_m2 = r.required("load_1f_kn_m2");
    let load_upper_kn_m2 = r.required("load_upper_kn_m2");
    let lift_count = r.required("lift_count");
    let lift_capacity_t = r.required("lift_capacity_t");
    let transformer_kva = r.required("transformer_kva");
    let fire_class = r.code("fire_class");
    let status = r.code("status");
    let completion_date = r.optional("completion_date");
    let operator = r.optional("operator");

    Ok(FactoryBuilding {
        id: BuildingId(r.id()),
        building_no: building_no?,
        name: name?,
        zone: ZoneId(zone?),
        parcel: parcel?.map(ParcelId),
        footprint: footprint?,
        structure: structure?,
        floors: floors?,
        gross_floor_area: SquareMeters(gross_floor_area?),
        floor_plate: SquareMeters(floor_plate?),
        height_1f_m: height_1f_m?,
        height_upper_m: height_upper_m?,
        load_1f_kn_m2: load_1f_kn_m2?,
        load_upper_kn_m2: load_upper_kn_m2?,
        lift_count: lift_count?,
        lift_capacity_t: lift_capacity_t?,
        transformer_kva: transformer_kva?,
        fire_class: fire_class?,
        status: status?,
        completion_date: completion_date?,
        operator: operator?,
    })
}
