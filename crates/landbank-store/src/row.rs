//! How inventory records map to table rows: the column lists, the insert statements and the decoders that turn
//! rows back into records.
//!
//! Each table's column list is the single source of its column order: inserts bind values in that order and the
//! decoders read them in that order.

use std::collections::HashMap;
use std::str::FromStr;

use geo::{Geometry, Polygon};
use landbank_inventory::{
    BuildingId, Date, FactoryBuilding, FactoryUnit, IndustrialClass, Industry, InventoryParts, LandUse, Layer, Mu,
    Parcel, ParcelId, Poi, PoiId, Project, ProjectId, SquareMeters, SupplyMethod, UnitId, UnknownCode, Wan, Zone,
    ZoneId, ZonePolicy,
};
use rusqlite::types::FromSql;
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::StoreError;
use crate::blob::{self, Envelope};

/// A table that holds one layer.
#[derive(Debug)]
pub(crate) struct Table {
    pub name: &'static str,
    /// Every column except `version`, `fid` first, in the order records are bound and decoded. The PostGIS
    /// tables have the same columns in the same order.
    pub columns: &'static [&'static str],
    /// Whether the table has a `version` row-version column.
    pub versioned: bool,
}

impl Table {
    fn insert_sql(&self) -> String {
        let mut columns = self.columns.join(", ");
        let mut count = self.columns.len();
        if self.versioned {
            columns.push_str(", version");
            count += 1;
        }
        let placeholders = (1..=count).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
        format!("insert into {} ({columns}) values ({placeholders})", self.name)
    }

    fn select_sql(&self) -> String {
        format!("select {} from {} order by fid", self.columns.join(", "), self.name)
    }
}

pub(crate) const ZONE: Table = Table {
    name: "zone",
    columns: &[
        "fid",
        "code",
        "name_zh",
        "name_en",
        "kind",
        "country",
        "geom",
        "planned_area_m2",
        "leading_industries",
        "allowed_classes",
        "policy_intensity_min_wan_per_mu",
        "policy_plot_ratio_min",
        "policy_coverage_min",
        "policy_green_max",
        "policy_admin_max",
        "policy_min_lot_mu",
        "policy_factory_routing_max_mu",
    ],
    versioned: false,
};

pub(crate) const PARCEL: Table = Table {
    name: "parcel",
    columns: &[
        "fid",
        "plot_no",
        "parcel_code",
        "zone_id",
        "geom",
        "area_m2",
        "stated_area_mu",
        "land_use_system",
        "land_use_code",
        "availability",
        "dev_stage",
        "supply_method",
        "revitalized",
        "term_years",
        "price_wan_per_mu",
        "plot_ratio_min",
        "plot_ratio_max",
        "coverage_min",
        "height_max_m",
        "power_available_kva",
        "holder",
        "project_id",
        "available_from",
        "supply_date",
        "agreed_start_date",
        "agreed_completion_date",
        "actual_start_date",
        "required_gfa_m2",
        "built_gfa_m2",
        "total_investment_wan",
        "invested_wan",
        "suspended_since",
        "government_caused",
        "land_price_wan",
    ],
    versioned: true,
};

pub(crate) const BUILDING: Table = Table {
    name: "building",
    columns: &[
        "fid",
        "building_no",
        "name",
        "zone_id",
        "parcel_id",
        "geom",
        "structure",
        "floors",
        "gross_floor_area_m2",
        "floor_plate_m2",
        "height_1f_m",
        "height_upper_m",
        "load_1f_kn_m2",
        "load_upper_kn_m2",
        "lift_count",
        "lift_capacity_t",
        "transformer_kva",
        "fire_class",
        "status",
        "completion_date",
        "operator",
    ],
    versioned: true,
};

pub(crate) const UNIT: Table = Table {
    name: "unit",
    columns: &[
        "fid",
        "building_id",
        "label",
        "floor",
        "geom",
        "area_m2",
        "whole_floor",
        "height_m",
        "load_kn_m2",
        "power_kva",
        "lift_access",
        "rent_yuan_m2_month",
        "status",
        "available_from",
        "project_id",
    ],
    versioned: true,
};

pub(crate) const PROJECT: Table = Table {
    name: "project",
    columns: &[
        "fid",
        "code",
        "name_zh",
        "name_en",
        "company",
        "investor_country",
        "industry",
        "required_class",
        "total_investment_wan",
        "fixed_asset_investment_wan",
        "employees",
        "power_need_kva",
        "stage",
        "zone_id",
        "parcel_id",
        "signed_date",
        "start_date",
        "production_date",
    ],
    versioned: true,
};

pub(crate) const POI: Table =
    Table { name: "poi", columns: &["fid", "code", "kind", "name_zh", "name_en", "country", "geom"], versioned: false };

/// The table that holds a layer.
pub(crate) fn table(layer: Layer) -> &'static Table {
    match layer {
        Layer::Zones => &ZONE,
        Layer::Parcels => &PARCEL,
        Layer::Buildings => &BUILDING,
        Layer::Units => &UNIT,
        Layer::Projects => &PROJECT,
        Layer::Pois => &POI,
    }
}

/// The row versions a table had before its rows were replaced; a record keeps counting from its old version.
#[derive(Debug, Default)]
pub(crate) struct Versions(HashMap<i64, i64>);

impl Versions {
    /// The current versions of a versioned table (none for an unversioned one).
    pub(crate) fn read(conn: &Connection, table: &Table) -> Result<Versions, StoreError> {
        if !table.versioned {
            return Ok(Versions::default());
        }
        let mut stmt = conn.prepare(&format!("select fid, version from {}", table.name))?;
        let versions = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<HashMap<i64, i64>, _>>()?;
        Ok(Versions(versions))
    }

    /// The current versions of the given records of a versioned table.
    pub(crate) fn of(conn: &Connection, table: &Table, ids: &[i64]) -> Result<Versions, StoreError> {
        let mut versions = HashMap::new();
        if table.versioned {
            let mut stmt = conn.prepare_cached(&format!("select version from {} where fid = ?1", table.name))?;
            for id in ids {
                if let Some(v) = stmt.query_row([id], |r| r.get(0)).optional()? {
                    versions.insert(*id, v);
                }
            }
        }
        Ok(Versions(versions))
    }

    /// The version a record with this id gets when written.
    fn next(&self, fid: i64) -> i64 {
        self.0.get(&fid).map_or(1, |v| v + 1)
    }
}

/// What writing a layer produced.
#[derive(Debug, Default)]
pub(crate) struct Written {
    pub rows: usize,
    /// The envelope of all geometries written, `None` when there were none.
    pub envelope: Option<Envelope>,
}

/// Inserts the records of one layer. The caller holds the transaction and has emptied the table.
pub(crate) fn write(
    conn: &Connection,
    parts: &InventoryParts,
    layer: Layer,
    versions: &Versions,
) -> Result<Written, StoreError> {
    match layer {
        Layer::Zones => write_zones(conn, &parts.zones),
        Layer::Parcels => write_parcels(conn, &parts.parcels, versions),
        Layer::Buildings => write_buildings(conn, &parts.buildings, versions),
        Layer::Units => write_units(conn, &parts.units, versions),
        Layer::Projects => write_projects(conn, &parts.projects, versions),
        Layer::Pois => write_pois(conn, &parts.pois),
    }
}

fn rejected(table: &'static str, fid: i64) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |source| StoreError::Rejected { table, fid, source: Box::new(source) }
}

fn encode_polygon(
    table: &'static str,
    fid: i64,
    polygon: &Polygon,
    envelope: &mut Option<Envelope>,
) -> Result<Vec<u8>, StoreError> {
    let (bytes, extent) =
        blob::encode_polygon(polygon).map_err(|reason| StoreError::Geometry { table, fid, reason })?;
    blob::extend(envelope, extent);
    Ok(bytes)
}

fn date(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn join_codes<T: Copy>(items: &[T], code: fn(T) -> &'static str) -> String {
    items.iter().map(|&i| code(i)).collect::<Vec<_>>().join(",")
}

fn write_zones(conn: &Connection, zones: &[Zone]) -> Result<Written, StoreError> {
    let mut stmt = conn.prepare_cached(&ZONE.insert_sql())?;
    let mut envelope = None;
    for z in zones {
        let geom = encode_polygon(ZONE.name, z.id.0, &z.boundary, &mut envelope)?;
        let p = &z.policy;
        stmt.execute(params![
            z.id.0,
            z.code,
            z.name_zh,
            z.name_en,
            z.kind.code(),
            z.country.code(),
            geom,
            z.planned_area.0,
            join_codes(&z.leading_industries, Industry::code),
            join_codes(&z.allowed_classes, IndustrialClass::code),
            p.intensity_min_wan_per_mu,
            p.plot_ratio_min,
            p.coverage_min,
            p.green_max,
            p.admin_max,
            p.min_lot_mu,
            p.factory_routing_max_mu,
        ])
        .map_err(rejected(ZONE.name, z.id.0))?;
    }
    Ok(Written { rows: zones.len(), envelope })
}

fn write_parcels(conn: &Connection, parcels: &[Parcel], versions: &Versions) -> Result<Written, StoreError> {
    let mut stmt = conn.prepare_cached(&PARCEL.insert_sql())?;
    let mut envelope = None;
    for p in parcels {
        let geom = encode_polygon(PARCEL.name, p.id.0, &p.geometry, &mut envelope)?;
        stmt.execute(params![
            p.id.0,
            p.plot_no,
            p.parcel_code,
            p.zone.0,
            geom,
            p.area.0,
            p.stated_area.0,
            p.land_use.system.code(),
            p.land_use.code,
            p.availability.code(),
            p.dev_stage.code(),
            p.supply_method.map(SupplyMethod::code),
            p.revitalized,
            p.term_years,
            p.price_wan_per_mu,
            p.plot_ratio_min,
            p.plot_ratio_max,
            p.coverage_min,
            p.height_max_m,
            p.power_available_kva,
            p.holder,
            p.project.map(|id| id.0),
            date(p.available_from),
            date(p.supply_date),
            date(p.agreed_start_date),
            date(p.agreed_completion_date),
            date(p.actual_start_date),
            p.required_gfa_m2,
            p.built_gfa_m2,
            p.total_investment_wan,
            p.invested_wan,
            date(p.suspended_since),
            p.government_caused,
            p.land_price_wan,
            versions.next(p.id.0),
        ])
        .map_err(rejected(PARCEL.name, p.id.0))?;
    }
    Ok(Written { rows: parcels.len(), envelope })
}

fn write_buildings(
    conn: &Connection,
    buildings: &[FactoryBuilding],
    versions: &Versions,
) -> Result<Written, StoreError> {
    let mut stmt = conn.prepare_cached(&BUILDING.insert_sql())?;
    let mut envelope = None;
    for b in buildings {
        let geom = encode_polygon(BUILDING.name, b.id.0, &b.footprint, &mut envelope)?;
        stmt.execute(params![
            b.id.0,
            b.building_no,
            b.name,
            b.zone.0,
            b.parcel.map(|id| id.0),
            geom,
            b.structure.code(),
            b.floors,
            b.gross_floor_area.0,
            b.floor_plate.0,
            b.height_1f_m,
            b.height_upper_m,
            b.load_1f_kn_m2,
            b.load_upper_kn_m2,
            b.lift_count,
            b.lift_capacity_t,
            b.transformer_kva,
            b.fire_class.code(),
            b.status.code(),
            date(b.completion_date),
            b.operator,
            versions.next(b.id.0),
        ])
        .map_err(rejected(BUILDING.name, b.id.0))?;
    }
    Ok(Written { rows: buildings.len(), envelope })
}

fn write_units(conn: &Connection, units: &[FactoryUnit], versions: &Versions) -> Result<Written, StoreError> {
    let mut stmt = conn.prepare_cached(&UNIT.insert_sql())?;
    let mut envelope = None;
    for u in units {
        let geom =
            u.outline.as_ref().map(|outline| encode_polygon(UNIT.name, u.id.0, outline, &mut envelope)).transpose()?;
        stmt.execute(params![
            u.id.0,
            u.building.0,
            u.label,
            u.floor,
            geom,
            u.area.0,
            u.whole_floor,
            u.height_m,
            u.load_kn_m2,
            u.power_kva,
            u.lift_access,
            u.rent_yuan_m2_month,
            u.status.code(),
            date(u.available_from),
            u.project.map(|id| id.0),
            versions.next(u.id.0),
        ])
        .map_err(rejected(UNIT.name, u.id.0))?;
    }
    Ok(Written { rows: units.len(), envelope })
}

fn write_projects(conn: &Connection, projects: &[Project], versions: &Versions) -> Result<Written, StoreError> {
    let mut stmt = conn.prepare_cached(&PROJECT.insert_sql())?;
    let mut units =
        conn.prepare_cached("insert into project_unit (project_id, position, unit_id) values (?1, ?2, ?3)")?;
    for p in projects {
        stmt.execute(params![
            p.id.0,
            p.code,
            p.name_zh,
            p.name_en,
            p.company,
            p.investor_country,
            p.industry.code(),
            p.required_class.code(),
            p.total_investment.0,
            p.fixed_asset_investment.0,
            p.employees,
            p.power_need_kva,
            p.stage.code(),
            p.zone.map(|id| id.0),
            p.parcel.map(|id| id.0),
            p.signed_date.to_string(),
            date(p.start_date),
            date(p.production_date),
            versions.next(p.id.0),
        ])
        .map_err(rejected(PROJECT.name, p.id.0))?;
        for (position, unit) in p.units.iter().enumerate() {
            units.execute((p.id.0, position as i64, unit.0)).map_err(rejected(PROJECT.name, p.id.0))?;
        }
    }
    Ok(Written { rows: projects.len(), envelope: None })
}

fn write_pois(conn: &Connection, pois: &[Poi]) -> Result<Written, StoreError> {
    let mut stmt = conn.prepare_cached(&POI.insert_sql())?;
    let mut envelope = None;
    for p in pois {
        let (geom, extent) = blob::encode(&p.geometry).map_err(|reason| StoreError::Geometry {
            table: POI.name,
            fid: p.id.0,
            reason,
        })?;
        blob::extend(&mut envelope, extent);
        stmt.execute(params![p.id.0, p.code, p.kind.code(), p.name_zh, p.name_en, p.country.code(), geom,])
            .map_err(rejected(POI.name, p.id.0))?;
    }
    Ok(Written { rows: pois.len(), envelope })
}

/// Every record of every layer, each sorted by id: the parcels, the bulk of a large park, through `parcels` (one statement, so one
/// read transaction) on a thread of its own, everything else through `conn` meanwhile. Both connections must
/// see the same state (see [`crate::GeoPackage::load`]).
pub(crate) fn read_all(conn: &Connection, parcels: Connection) -> Result<InventoryParts, StoreError> {
    std::thread::scope(|scope| {
        let reading = scope.spawn(move || read(&parcels, &PARCEL, parcel));
        let rest = read_all_but_parcels(conn);
        let parcels = reading.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Ok(InventoryParts { parcels: parcels?, ..rest? })
    })
}

fn read_all_but_parcels(conn: &Connection) -> Result<InventoryParts, StoreError> {
    let (reservations, allocations) = crate::holding::read(conn)?;
    Ok(InventoryParts {
        zones: read(conn, &ZONE, zone)?,
        parcels: Vec::new(),
        buildings: read(conn, &BUILDING, building)?,
        units: read(conn, &UNIT, unit)?,
        projects: read_projects(conn)?,
        pois: read(conn, &POI, poi)?,
        reservations,
        allocations,
    })
}

fn read<T>(
    conn: &Connection,
    table: &'static Table,
    decode: fn(&mut Fields<'_, '_>) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = conn.prepare_cached(&table.select_sql())?;
    let mut rows = stmt.query([])?;
    let mut records = Vec::new();
    while let Some(row) = rows.next()? {
        let mut fields = Fields::new(row, table.name)?;
        records.push(decode(&mut fields)?);
    }
    Ok(records)
}

fn zone(f: &mut Fields<'_, '_>) -> Result<Zone, StoreError> {
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

fn parcel(f: &mut Fields<'_, '_>) -> Result<Parcel, StoreError> {
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
        available_from: f.optional_date()?,
        supply_date: f.optional_date()?,
        agreed_start_date: f.optional_date()?,
        agreed_completion_date: f.optional_date()?,
        actual_start_date: f.optional_date()?,
        required_gfa_m2: f.get()?,
        built_gfa_m2: f.get()?,
        total_investment_wan: f.get()?,
        invested_wan: f.get()?,
        suspended_since: f.optional_date()?,
        government_caused: f.get()?,
        land_price_wan: f.get()?,
    })
}

fn building(f: &mut Fields<'_, '_>) -> Result<FactoryBuilding, StoreError> {
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
        completion_date: f.optional_date()?,
        operator: f.get()?,
    })
}

fn unit(f: &mut Fields<'_, '_>) -> Result<FactoryUnit, StoreError> {
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
        available_from: f.optional_date()?,
        project: f.get::<Option<i64>>()?.map(ProjectId),
    })
}

fn project(f: &mut Fields<'_, '_>) -> Result<Project, StoreError> {
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
        signed_date: f.date()?,
        start_date: f.optional_date()?,
        production_date: f.optional_date()?,
    })
}

fn poi(f: &mut Fields<'_, '_>) -> Result<Poi, StoreError> {
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

/// Projects with their units, which come from `project_unit` in the project's order.
fn read_projects(conn: &Connection) -> Result<Vec<Project>, StoreError> {
    let mut projects = read(conn, &PROJECT, project)?;
    let mut stmt =
        conn.prepare_cached("select fid, project_id, unit_id from project_unit order by project_id, position")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (fid, project_id, unit_id): (i64, i64, i64) = (row.get(0)?, row.get(1)?, row.get(2)?);
        let slot = projects.binary_search_by_key(&project_id, |p| p.id.0).map_err(|_| StoreError::Corrupt {
            table: "project_unit",
            fid,
            reason: format!("project {project_id} does not exist"),
        })?;
        projects[slot].units.push(UnitId(unit_id));
    }
    Ok(projects)
}

/// A cursor over the columns of one row, turning SQL values into field values and failures into errors that
/// name the table, the record and the column.
struct Fields<'r, 's> {
    row: &'r Row<'s>,
    table: &'static str,
    fid: i64,
    next: usize,
}

impl<'r, 's> Fields<'r, 's> {
    /// Starts at the column after `fid`, which is always the first.
    fn new(row: &'r Row<'s>, table: &'static str) -> Result<Self, StoreError> {
        Ok(Fields { row, table, fid: row.get(0)?, next: 1 })
    }

    /// The index of the next column, advancing the cursor.
    fn advance(&mut self) -> usize {
        self.next += 1;
        self.next - 1
    }

    fn corrupt(&self, column: usize, reason: impl std::fmt::Display) -> StoreError {
        let name = self.row.as_ref().column_name(column).unwrap_or("?");
        StoreError::Corrupt { table: self.table, fid: self.fid, reason: format!("column {name}: {reason}") }
    }

    fn get<T: FromSql>(&mut self) -> Result<T, StoreError> {
        let i = self.advance();
        self.row.get(i).map_err(|e| self.corrupt(i, e))
    }

    /// Text borrowed from the row, or `None` for NULL.
    fn optional_str(&mut self) -> Result<(usize, Option<&'r str>), StoreError> {
        let i = self.advance();
        let value = self.row.get_ref(i)?;
        let text = value.as_str_or_null().map_err(|e| self.corrupt(i, e))?;
        Ok((i, text))
    }

    fn str(&mut self) -> Result<(usize, &'r str), StoreError> {
        match self.optional_str()? {
            (i, Some(text)) => Ok((i, text)),
            (i, None) => Err(self.corrupt(i, "unexpected null")),
        }
    }

    fn code<T: FromStr<Err = UnknownCode>>(&mut self) -> Result<T, StoreError> {
        let (i, text) = self.str()?;
        text.parse().map_err(|e| self.corrupt(i, e))
    }

    fn optional_code<T: FromStr<Err = UnknownCode>>(&mut self) -> Result<Option<T>, StoreError> {
        match self.optional_str()? {
            (i, Some(text)) => text.parse().map(Some).map_err(|e| self.corrupt(i, e)),
            (_, None) => Ok(None),
        }
    }

    /// A comma-separated list of codes; the empty text is the empty list.
    fn codes<T: FromStr<Err = UnknownCode>>(&mut self) -> Result<Vec<T>, StoreError> {
        let (i, text) = self.str()?;
        if text.is_empty() {
            return Ok(Vec::new());
        }
        text.split(',').map(|code| code.parse().map_err(|e| self.corrupt(i, e))).collect()
    }

    fn int<T: TryFrom<i64>>(&mut self) -> Result<T, StoreError> {
        let i = self.next;
        let value: i64 = self.get()?;
        T::try_from(value).map_err(|_| self.corrupt(i, format!("{value} is out of range")))
    }

    fn optional_int<T: TryFrom<i64>>(&mut self) -> Result<Option<T>, StoreError> {
        let i = self.next;
        match self.get::<Option<i64>>()? {
            Some(value) => {
                T::try_from(value).map(Some).map_err(|_| self.corrupt(i, format!("{value} is out of range")))
            }
            None => Ok(None),
        }
    }

    fn date(&mut self) -> Result<Date, StoreError> {
        let (i, text) = self.str()?;
        parse_date(text).ok_or_else(|| self.corrupt(i, format!("`{text}` is not a date")))
    }

    fn optional_date(&mut self) -> Result<Option<Date>, StoreError> {
        match self.optional_str()? {
            (i, Some(text)) => {
                parse_date(text).map(Some).ok_or_else(|| self.corrupt(i, format!("`{text}` is not a date")))
            }
            (_, None) => Ok(None),
        }
    }

    fn optional_blob(&mut self) -> Result<Option<&'r [u8]>, StoreError> {
        let i = self.advance();
        let value = self.row.get_ref(i)?;
        value.as_blob_or_null().map_err(|e| self.geometry_error(e))
    }

    fn blob(&mut self) -> Result<&'r [u8], StoreError> {
        self.optional_blob()?.ok_or_else(|| self.geometry_error("unexpected null"))
    }

    fn geometry_error(&self, reason: impl std::fmt::Display) -> StoreError {
        StoreError::Geometry { table: self.table, fid: self.fid, reason: reason.to_string() }
    }

    fn polygon(&mut self) -> Result<Polygon, StoreError> {
        let bytes = self.blob()?;
        blob::decode_polygon(bytes).map_err(|e| self.geometry_error(e))
    }

    fn optional_polygon(&mut self) -> Result<Option<Polygon>, StoreError> {
        match self.optional_blob()? {
            Some(bytes) => blob::decode_polygon(bytes).map(Some).map_err(|e| self.geometry_error(e)),
            None => Ok(None),
        }
    }

    fn geometry(&mut self) -> Result<Geometry, StoreError> {
        let bytes = self.blob()?;
        blob::decode(bytes).map_err(|e| self.geometry_error(e))
    }
}

/// Parses an ISO date, `YYYY-MM-DD` directly and any other form jiff accepts (years beyond 9999) the slow way.
fn parse_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let number = |digits: &[u8]| {
            digits.iter().try_fold(0i16, |n, &d| d.is_ascii_digit().then(|| n * 10 + i16::from(d - b'0')))
        };
        let (year, month, day) = (number(&b[..4])?, number(&b[5..7])?, number(&b[8..])?);
        return Date::new(year, month as i8, day as i8).ok();
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_parse_on_the_fast_path_and_the_slow_one() {
        assert_eq!(parse_date("2024-02-29"), Date::new(2024, 2, 29).ok());
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2024-1a-01"), None);
        let far = Date::new(-5, 3, 1).unwrap();
        assert_eq!(parse_date(&far.to_string()), Some(far));
    }

    #[test]
    fn insert_statements_bind_every_column_and_the_version() {
        assert_eq!(
            POI.insert_sql(),
            "insert into poi (fid, code, kind, name_zh, name_en, country, geom) \
             values (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        );
        assert!(
            UNIT.insert_sql()
                .ends_with("version) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)")
        );
    }
}
