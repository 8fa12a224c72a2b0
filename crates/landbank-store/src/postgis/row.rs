//! How inventory records map to PostgreSQL rows: the parameter values of each record (bound in the column order
//! of [`crate::row`], which both backends share) and the decoders that turn rows back into records.

use std::collections::HashSet;
use std::str::FromStr;

use geo::{Geometry, Polygon};
use landbank_inventory::{
    BuildingId, Date, FactoryBuilding, FactoryUnit, IndustrialClass, Industry, InventoryParts, LandUse, Layer, Mu,
    Parcel, ParcelId, Poi, PoiId, Project, ProjectId, SquareMeters, SupplyMethod, UnitId, UnknownCode, Wan, Zone,
    ZoneId, ZonePolicy,
};
use tokio_postgres::Row;
use tokio_postgres::types::{FromSql, ToSql, Type};

use super::geometry::{self, Decoded};
use crate::StoreError;
use crate::row::{BUILDING, PARCEL, POI, PROJECT, Table, UNIT, ZONE};

/// One bound value.
pub(crate) type Value = Box<dyn ToSql + Sync + Send>;

/// The values of one row, in the column order of its table (without `version`).
pub(crate) type Values = Vec<Value>;

/// Borrows values the way statements and `COPY` take them.
pub(crate) fn params(values: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    values.iter().map(|v| &**v as &(dyn ToSql + Sync)).collect()
}

fn codes<T: Copy>(items: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
    items.iter().map(|&i| code(i)).collect()
}

fn id<T: Into<i64>>(value: T) -> i64 {
    value.into()
}

pub(crate) fn zone(z: &Zone) -> Values {
    let p = &z.policy;
    vec![
        Box::new(z.id.0),
        Box::new(z.code.clone()),
        Box::new(z.name_zh.clone()),
        Box::new(z.name_en.clone()),
        Box::new(z.kind.code()),
        Box::new(z.country.code()),
        Box::new(geometry::encode_polygon(&z.boundary)),
        Box::new(z.planned_area.0),
        Box::new(codes(&z.leading_industries, Industry::code)),
        Box::new(codes(&z.allowed_classes, IndustrialClass::code)),
        Box::new(p.intensity_min_wan_per_mu),
        Box::new(p.plot_ratio_min),
        Box::new(p.coverage_min),
        Box::new(p.green_max),
        Box::new(p.admin_max),
        Box::new(p.min_lot_mu),
        Box::new(p.factory_routing_max_mu),
    ]
}

pub(crate) fn parcel(p: &Parcel) -> Values {
    vec![
        Box::new(p.id.0),
        Box::new(p.plot_no.clone()),
        Box::new(p.parcel_code.clone()),
        Box::new(p.zone.0),
        Box::new(geometry::encode_polygon(&p.geometry)),
        Box::new(p.area.0),
        Box::new(p.stated_area.0),
        Box::new(p.land_use.system.code()),
        Box::new(p.land_use.code.clone()),
        Box::new(p.availability.code()),
        Box::new(p.dev_stage.code()),
        Box::new(p.supply_method.map(SupplyMethod::code)),
        Box::new(p.revitalized),
        Box::new(p.term_years.map(i32::from)),
        Box::new(p.price_wan_per_mu),
        Box::new(p.plot_ratio_min),
        Box::new(p.plot_ratio_max),
        Box::new(p.coverage_min),
        Box::new(p.height_max_m),
        Box::new(p.power_available_kva.map(i64::from)),
        Box::new(p.holder.clone()),
        Box::new(p.project.map(|id| id.0)),
        Box::new(p.available_from),
        Box::new(p.supply_date),
        Box::new(p.agreed_start_date),
        Box::new(p.agreed_completion_date),
        Box::new(p.actual_start_date),
        Box::new(p.required_gfa_m2),
        Box::new(p.built_gfa_m2),
        Box::new(p.total_investment_wan),
        Box::new(p.invested_wan),
        Box::new(p.suspended_since),
        Box::new(p.government_caused),
        Box::new(p.land_price_wan),
    ]
}

pub(crate) fn building(b: &FactoryBuilding) -> Values {
    vec![
        Box::new(b.id.0),
        Box::new(b.building_no.clone()),
        Box::new(b.name.clone()),
        Box::new(b.zone.0),
        Box::new(b.parcel.map(|id| id.0)),
        Box::new(geometry::encode_polygon(&b.footprint)),
        Box::new(b.structure.code()),
        Box::new(i16::from(b.floors)),
        Box::new(b.gross_floor_area.0),
        Box::new(b.floor_plate.0),
        Box::new(b.height_1f_m),
        Box::new(b.height_upper_m),
        Box::new(b.load_1f_kn_m2),
        Box::new(b.load_upper_kn_m2),
        Box::new(i16::from(b.lift_count)),
        Box::new(b.lift_capacity_t),
        Box::new(id(b.transformer_kva)),
        Box::new(b.fire_class.code()),
        Box::new(b.status.code()),
        Box::new(b.completion_date),
        Box::new(b.operator.clone()),
    ]
}

pub(crate) fn unit(u: &FactoryUnit) -> Values {
    vec![
        Box::new(u.id.0),
        Box::new(u.building.0),
        Box::new(u.label.clone()),
        Box::new(i16::from(u.floor)),
        Box::new(u.outline.as_ref().map(geometry::encode_polygon)),
        Box::new(u.area.0),
        Box::new(u.whole_floor),
        Box::new(u.height_m),
        Box::new(u.load_kn_m2),
        Box::new(id(u.power_kva)),
        Box::new(u.lift_access),
        Box::new(u.rent_yuan_m2_month),
        Box::new(u.status.code()),
        Box::new(u.available_from),
        Box::new(u.project.map(|id| id.0)),
    ]
}

pub(crate) fn project(p: &Project) -> Values {
    vec![
        Box::new(p.id.0),
        Box::new(p.code.clone()),
        Box::new(p.name_zh.clone()),
        Box::new(p.name_en.clone()),
        Box::new(p.company.clone()),
        Box::new(p.investor_country.clone()),
        Box::new(p.industry.code()),
        Box::new(p.required_class.code()),
        Box::new(p.total_investment.0),
        Box::new(p.fixed_asset_investment.0),
        Box::new(id(p.employees)),
        Box::new(id(p.power_need_kva)),
        Box::new(p.stage.code()),
        Box::new(p.zone.map(|id| id.0)),
        Box::new(p.parcel.map(|id| id.0)),
        Box::new(p.signed_date),
        Box::new(p.start_date),
        Box::new(p.production_date),
    ]
}

pub(crate) fn poi(p: &Poi) -> Values {
    vec![
        Box::new(p.id.0),
        Box::new(p.code.clone()),
        Box::new(p.kind.code()),
        Box::new(p.name_zh.clone()),
        Box::new(p.name_en.clone()),
        Box::new(p.country.code()),
        Box::new(geometry::encode(p.geometry.clone())),
    ]
}

/// The id and the row values of every record of one layer of `parts`, in the order they appear there.
pub(crate) fn layer_rows(parts: &InventoryParts, layer: Layer) -> Box<dyn Iterator<Item = (i64, Values)> + '_> {
    match layer {
        Layer::Zones => Box::new(parts.zones.iter().map(|r| (r.id.0, zone(r)))),
        Layer::Parcels => Box::new(parts.parcels.iter().map(|r| (r.id.0, parcel(r)))),
        Layer::Buildings => Box::new(parts.buildings.iter().map(|r| (r.id.0, building(r)))),
        Layer::Units => Box::new(parts.units.iter().map(|r| (r.id.0, unit(r)))),
        Layer::Projects => Box::new(parts.projects.iter().map(|r| (r.id.0, project(r)))),
        Layer::Pois => Box::new(parts.pois.iter().map(|r| (r.id.0, poi(r)))),
    }
}

/// The ids of one layer of `parts`.
fn layer_ids(parts: &InventoryParts, layer: Layer) -> Vec<i64> {
    match layer {
        Layer::Zones => parts.zones.iter().map(|r| r.id.0).collect(),
        Layer::Parcels => parts.parcels.iter().map(|r| r.id.0).collect(),
        Layer::Buildings => parts.buildings.iter().map(|r| r.id.0).collect(),
        Layer::Units => parts.units.iter().map(|r| r.id.0).collect(),
        Layer::Projects => parts.projects.iter().map(|r| r.id.0).collect(),
        Layer::Pois => parts.pois.iter().map(|r| r.id.0).collect(),
    }
}

/// Refuses a layer in which an id appears twice, naming the record, as SQLite's primary key would.
pub(crate) fn check_unique_ids(parts: &InventoryParts, layer: Layer) -> Result<(), StoreError> {
    let mut seen = HashSet::new();
    for fid in layer_ids(parts, layer) {
        if !seen.insert(fid) {
            let table = crate::row::table(layer).name;
            return Err(StoreError::Rejected { table, fid, source: "the id appears twice".into() });
        }
    }
    Ok(())
}

/// `insert` of every column of a table plus `version`; on an existing id it replaces the row and bumps its
/// version (the `version` parameter is the version of a new row).
pub(crate) fn upsert_sql(table: &Table) -> String {
    let mut columns: Vec<&str> = table.columns.to_vec();
    if table.versioned {
        columns.push("version");
    }
    let placeholders = (1..=columns.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    let mut updates: Vec<String> =
        table.columns.iter().skip(1).map(|c| format!("{c} = excluded.{c}")).collect::<Vec<_>>();
    if table.versioned {
        updates.push(format!("version = {}.version + 1", table.name));
    }
    format!(
        "insert into {name} ({columns}) values ({placeholders}) on conflict (fid) do update set {updates}",
        name = table.name,
        columns = columns.join(", "),
        updates = updates.join(", ")
    )
}

/// Every record of one table, decoded in id order from rows of `select {columns} from {table} order by fid`.
pub(crate) fn select_sql(table: &Table) -> String {
    format!("select {} from {} order by fid", table.columns.join(", "), table.name)
}

pub(crate) fn decode_zone(row: &Row) -> Result<Zone, StoreError> {
    let mut f = Fields::new(row, ZONE.name)?;
    Ok(Zone {
        id: ZoneId(f.fid),
        code: f.get()?,
        name_zh: f.get()?,
        name_en: f.get()?,
        kind: f.code()?,
        country: f.code()?,
        boundary: f.polygon()?,
        planned_area: SquareMeters(f.get()?),
        leading_industries: f.codes()?,
        allowed_classes: f.codes()?,
        policy: ZonePolicy {
            intensity_min_wan_per_mu: f.get()?,
            plot_ratio_min: f.get()?,
            coverage_min: f.get()?,
            green_max: f.get()?,
            admin_max: f.get()?,
            min_lot_mu: f.get()?,
            factory_routing_max_mu: f.get()?,
        },
    })
}

pub(crate) fn decode_parcel(row: &Row) -> Result<Parcel, StoreError> {
    let mut f = Fields::new(row, PARCEL.name)?;
    Ok(Parcel {
        id: ParcelId(f.fid),
        plot_no: f.get()?,
        parcel_code: f.get()?,
        zone: ZoneId(f.get()?),
        geometry: f.polygon()?,
        area: SquareMeters(f.get()?),
        stated_area: Mu(f.get()?),
        land_use: LandUse { system: f.code()?, code: f.get()? },
        availability: f.code()?,
        dev_stage: f.code()?,
        supply_method: f.optional_code()?,
        revitalized: f.get()?,
        term_years: f.optional_int()?,
        price_wan_per_mu: f.get()?,
        plot_ratio_min: f.get()?,
        plot_ratio_max: f.get()?,
        coverage_min: f.get()?,
        height_max_m: f.get()?,
        power_available_kva: f.optional_int()?,
        holder: f.get()?,
        project: f.get::<Option<i64>>()?.map(ProjectId),
        available_from: f.get::<Option<Date>>()?,
        supply_date: f.get::<Option<Date>>()?,
        agreed_start_date: f.get::<Option<Date>>()?,
        agreed_completion_date: f.get::<Option<Date>>()?,
        actual_start_date: f.get::<Option<Date>>()?,
        required_gfa_m2: f.get()?,
        built_gfa_m2: f.get()?,
        total_investment_wan: f.get()?,
        invested_wan: f.get()?,
        suspended_since: f.get::<Option<Date>>()?,
        government_caused: f.get()?,
        land_price_wan: f.get()?,
    })
}

pub(crate) fn decode_building(row: &Row) -> Result<FactoryBuilding, StoreError> {
    let mut f = Fields::new(row, BUILDING.name)?;
    Ok(FactoryBuilding {
        id: BuildingId(f.fid),
        building_no: f.get()?,
        name: f.get()?,
        zone: ZoneId(f.get()?),
        parcel: f.get::<Option<i64>>()?.map(ParcelId),
        footprint: f.polygon()?,
        structure: f.code()?,
        floors: f.int()?,
        gross_floor_area: SquareMeters(f.get()?),
        floor_plate: SquareMeters(f.get()?),
        height_1f_m: f.get()?,
        height_upper_m: f.get()?,
        load_1f_kn_m2: f.get()?,
        load_upper_kn_m2: f.get()?,
        lift_count: f.int()?,
        lift_capacity_t: f.get()?,
        transformer_kva: f.int()?,
        fire_class: f.code()?,
        status: f.code()?,
        completion_date: f.get::<Option<Date>>()?,
        operator: f.get()?,
    })
}

pub(crate) fn decode_unit(row: &Row) -> Result<FactoryUnit, StoreError> {
    let mut f = Fields::new(row, UNIT.name)?;
    Ok(FactoryUnit {
        id: UnitId(f.fid),
        building: BuildingId(f.get()?),
        label: f.get()?,
        floor: f.int()?,
        outline: f.optional_polygon()?,
        area: SquareMeters(f.get()?),
        whole_floor: f.get()?,
        height_m: f.get()?,
        load_kn_m2: f.get()?,
        power_kva: f.int()?,
        lift_access: f.get()?,
        rent_yuan_m2_month: f.get()?,
        status: f.code()?,
        available_from: f.get::<Option<Date>>()?,
        project: f.get::<Option<i64>>()?.map(ProjectId),
    })
}

pub(crate) fn decode_project(row: &Row) -> Result<Project, StoreError> {
    let mut f = Fields::new(row, PROJECT.name)?;
    Ok(Project {
        id: ProjectId(f.fid),
        code: f.get()?,
        name_zh: f.get()?,
        name_en: f.get()?,
        company: f.get()?,
        investor_country: f.get()?,
        industry: f.code()?,
        required_class: f.code()?,
        total_investment: Wan(f.get()?),
        fixed_asset_investment: Wan(f.get()?),
        employees: f.int()?,
        power_need_kva: f.int()?,
        stage: f.code()?,
        zone: f.get::<Option<i64>>()?.map(ZoneId),
        parcel: f.get::<Option<i64>>()?.map(ParcelId),
        units: Vec::new(),
        signed_date: f.get()?,
        start_date: f.get::<Option<Date>>()?,
        production_date: f.get::<Option<Date>>()?,
    })
}

pub(crate) fn decode_poi(row: &Row) -> Result<Poi, StoreError> {
    let mut f = Fields::new(row, POI.name)?;
    Ok(Poi {
        id: PoiId(f.fid),
        code: f.get()?,
        kind: f.code()?,
        name_zh: f.get()?,
        name_en: f.get()?,
        country: f.code()?,
        geometry: f.geometry()?,
    })
}

/// A cursor over the columns of one row, turning SQL values into field values and failures into errors that
/// name the table, the record and the column.
struct Fields<'r> {
    row: &'r Row,
    table: &'static str,
    fid: i64,
    next: usize,
}

impl<'r> Fields<'r> {
    /// Starts at the column after `fid`, which is always the first.
    fn new(row: &'r Row, table: &'static str) -> Result<Self, StoreError> {
        let fid = row.try_get(0).map_err(|e| StoreError::Corrupt { table, fid: 0, reason: e.to_string() })?;
        Ok(Fields { row, table, fid, next: 1 })
    }

    /// The index of the next column, advancing the cursor.
    fn advance(&mut self) -> usize {
        self.next += 1;
        self.next - 1
    }

    fn corrupt(&self, column: usize, reason: impl std::fmt::Display) -> StoreError {
        let name = self.row.columns().get(column).map_or("?", |c| c.name());
        StoreError::Corrupt { table: self.table, fid: self.fid, reason: format!("column {name}: {reason}") }
    }

    fn get<T: FromSql<'r>>(&mut self) -> Result<T, StoreError> {
        let i = self.advance();
        self.row.try_get(i).map_err(|e| match std::error::Error::source(&e) {
            Some(source) => self.corrupt(i, source),
            None => self.corrupt(i, e),
        })
    }

    fn code<T: FromStr<Err = UnknownCode>>(&mut self) -> Result<T, StoreError> {
        let i = self.next;
        let text: &str = self.get()?;
        text.parse().map_err(|e| self.corrupt(i, e))
    }

    fn optional_code<T: FromStr<Err = UnknownCode>>(&mut self) -> Result<Option<T>, StoreError> {
        let i = self.next;
        match self.get::<Option<&str>>()? {
            Some(text) => text.parse().map(Some).map_err(|e| self.corrupt(i, e)),
            None => Ok(None),
        }
    }

    fn codes<T: FromStr<Err = UnknownCode>>(&mut self) -> Result<Vec<T>, StoreError> {
        let i = self.next;
        let texts: Vec<&str> = self.get()?;
        texts.into_iter().map(|code| code.parse().map_err(|e| self.corrupt(i, e))).collect()
    }

    /// An integer of any width (smallint, integer, bigint), or NULL.
    fn integer(&mut self) -> Result<Option<i64>, StoreError> {
        let i = self.next;
        match self.row.columns().get(i).map(|c| c.type_().clone()) {
            Some(Type::INT2) => Ok(self.get::<Option<i16>>()?.map(i64::from)),
            Some(Type::INT4) => Ok(self.get::<Option<i32>>()?.map(i64::from)),
            _ => self.get::<Option<i64>>(),
        }
    }

    fn int<T: TryFrom<i64>>(&mut self) -> Result<T, StoreError> {
        let i = self.next;
        match self.integer()? {
            Some(value) => T::try_from(value).map_err(|_| self.corrupt(i, format!("{value} is out of range"))),
            None => Err(self.corrupt(i, "unexpected null")),
        }
    }

    fn optional_int<T: TryFrom<i64>>(&mut self) -> Result<Option<T>, StoreError> {
        let i = self.next;
        match self.integer()? {
            Some(value) => {
                T::try_from(value).map(Some).map_err(|_| self.corrupt(i, format!("{value} is out of range")))
            }
            None => Ok(None),
        }
    }

    fn geometry_error(&self, reason: impl std::fmt::Display) -> StoreError {
        StoreError::Geometry { table: self.table, fid: self.fid, reason: reason.to_string() }
    }

    fn optional_geometry(&mut self) -> Result<Option<Geometry>, StoreError> {
        let i = self.advance();
        let decoded: Decoded = self.row.try_get(i).map_err(|e| match std::error::Error::source(&e) {
            Some(source) => self.geometry_error(source),
            None => self.geometry_error(e),
        })?;
        Ok(decoded.geometry)
    }

    fn geometry(&mut self) -> Result<Geometry, StoreError> {
        self.optional_geometry()?.ok_or_else(|| self.geometry_error("unexpected null"))
    }

    fn optional_polygon(&mut self) -> Result<Option<Polygon>, StoreError> {
        match self.optional_geometry()? {
            Some(Geometry::Polygon(p)) => Ok(Some(p)),
            Some(other) => Err(self.geometry_error(format!("expected a polygon, found {}", kind(&other)))),
            None => Ok(None),
        }
    }

    fn polygon(&mut self) -> Result<Polygon, StoreError> {
        self.optional_polygon()?.ok_or_else(|| self.geometry_error("unexpected null"))
    }
}

/// How the GeoPackage store names a geometry type in its errors.
fn kind(geometry: &Geometry) -> &'static str {
    match geometry {
        Geometry::Point(_) => "a point",
        Geometry::Line(_) | Geometry::LineString(_) => "a linestring",
        Geometry::Polygon(_) => "a polygon",
        Geometry::MultiPoint(_) => "a multipoint",
        Geometry::MultiLineString(_) => "a multilinestring",
        Geometry::MultiPolygon(_) => "a multipolygon",
        Geometry::GeometryCollection(_) => "a geometry collection",
        Geometry::Rect(_) => "a rectangle",
        Geometry::Triangle(_) => "a triangle",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upsert_replaces_every_column_and_bumps_the_version() {
        let sql = upsert_sql(&POI);
        assert_eq!(
            sql,
            "insert into poi (fid, code, kind, name_zh, name_en, country, geom) values ($1, $2, $3, $4, $5, $6, $7) \
             on conflict (fid) do update set code = excluded.code, kind = excluded.kind, name_zh = excluded.name_zh, \
             name_en = excluded.name_en, country = excluded.country, geom = excluded.geom"
        );
        assert!(upsert_sql(&UNIT).ends_with("project_id = excluded.project_id, version = unit.version + 1"));
    }
}
