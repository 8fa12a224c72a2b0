//! The unit layer on the wire: its properties in output order, and reading a lettable factory unit back from a
//! feature.

use std::sync::LazyLock;

use landbank_inventory::{BuildingId, FactoryUnit, ProjectId, SquareMeters, UnitId, UnitStatus};

use crate::read::{FeatureReader, Noted};
use crate::schema::{Fields, boolean, codes, date, integer, number, string};

pub(crate) static FIELDS: LazyLock<Fields<FactoryUnit>> = LazyLock::new(|| {
    Fields::<FactoryUnit>::new()
        .with(string("label", "Unit label, e.g. CL-B3-2F-A"), |u, _| u.label.as_str().into())
        .with(integer("building_id", "Id of the building"), |u, _| u.building.0.into())
        .with(
            string("building_no", "Number of the building, e.g. CL-B3 (from building_id)").nullable().read_only(),
            |u, inventory| inventory.building(u.building).map(|b| b.building_no.as_str()).into(),
        )
        .with(
            string("zone", "Code of the building's zone (from building_id)").nullable().read_only(),
            |u, inventory| {
                inventory.building(u.building).and_then(|b| inventory.zone(b.zone)).map(|z| z.code.as_str()).into()
            },
        )
        .with(integer("floor", "Floor, 1 = ground floor"), |u, _| u.floor.into())
        .with(boolean("whole_floor", "Whether the unit is a whole floor"), |u, _| u.whole_floor.into())
        .with(number("area_m2", "Gross area (建筑面积), m²"), |u, _| u.area.0.into())
        .with(number("height_m", "Storey height (层高), m"), |u, _| u.height_m.into())
        .with(number("load_kn_m2", "Floor load, kN/m²"), |u, _| u.load_kn_m2.into())
        .with(integer("power_kva", "Power allocated to the unit, kVA"), |u, _| u.power_kva.into())
        .with(boolean("lift_access", "Whether a freight lift serves the unit"), |u, _| u.lift_access.into())
        .with(number("rent_yuan_m2_month", "Rent, yuan per m² per month"), |u, _| u.rent_yuan_m2_month.into())
        .with(string("status", "Letting status").codes(codes!(UnitStatus)), |u, _| u.status.code().into())
        .with(date("available_from", "First day the unit can be let").nullable(), |u, _| u.available_from.into())
        .with(integer("project_id", "Id of the project in the unit").nullable(), |u, _| u.project.map(|id| id.0).into())
        .with(
            boolean("has_outline", "Whether the geometry is the unit's own outline (false: the building's footprint)")
                .read_only(),
            |u, _| u.outline.is_some().into(),
        )
});

pub(crate) fn read(r: &mut FeatureReader<'_>) -> Result<FactoryUnit, Noted> {
    let geometry = r.optional_polygon();
    // Computed on writing, but it says whether the geometry is the unit's own or its building's.
    let has_outline: Result<Option<bool>, Noted> = r.optional("has_outline");
    let label = r.required("label");
    let building = r.required("building_id");
    let floor = r.required("floor");
    let whole_floor = r.required("whole_floor");
    let area = r.required("area_m2");
    let height_m = r.required("height_m");
    let load_kn_m2 = r.required("load_kn_m2");
    let power_kva = r.required("power_kva");
    let lift_access = r.required("lift_access");
    let rent_yuan_m2_month = r.required("rent_yuan_m2_month");
    let status = r.code("status");
    let available_from = r.optional("available_from");
    let project = r.optional("project_id");

    let outline = if has_outline? == Some(false) { None } else { geometry? };
    Ok(FactoryUnit {
        id: UnitId(r.id()),
        building: BuildingId(building?),
        label: label?,
        floor: floor?,
        outline,
        area: SquareMeters(area?),
        whole_floor: whole_floor?,
        height_m: height_m?,
        load_kn_m2: load_kn_m2?,
        power_kva: power_kva?,
        lift_access: lift_access?,
        rent_yuan_m2_month: rent_yuan_m2_month?,
        status: status?,
        available_from: available_from?,
        project: project?.map(ProjectId),
    })
}
