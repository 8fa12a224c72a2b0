-- landbank GeoPackage schema, version 1: a GeoPackage 1.4 file holding the inventory layers and the event log.
--
-- Applied by crates/landbank-store (schema.rs) inside the transaction that creates a file. Forward-only: a later
-- change is a new numbered file, never an edit of this one.
--
-- Conventions: identifiers lowercase, tables singular, integer primary key `fid` = the record id (GDAL and QGIS
-- use it as FID), geometry column `geom` in EPSG:4490 (CGCS2000 longitude/latitude). Column types are the
-- GeoPackage type names (TEXT, INTEGER, REAL, BOOLEAN, DATE, POLYGON, GEOMETRY) so GIS clients map them to the
-- right field types. Enumerations are stored as their codes, dates as 'YYYY-MM-DD', quantities as REAL with the
-- unit in the column name. The statements copied from the GeoPackage standard (core tables, R-tree triggers)
-- keep the standard's spelling so that validators comparing their text accept them.
--
-- References between layers (parcel.zone_id, unit.building_id, …) are not foreign keys: the inventory reports a
-- dangling reference as a data-quality problem, and layers are replaced one at a time. The rows of project_unit
-- belong to their project and are removed with it.

PRAGMA application_id = 1196444487; -- 0x47504B47, 'GPKG'
PRAGMA user_version = 10400;        -- GeoPackage 1.4.0

-- GeoPackage core (OGC 12-128r19, clause 1.1.2 and 1.1.3).

CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition  TEXT NOT NULL,
  description TEXT
);

CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE,
  min_y DOUBLE,
  max_x DOUBLE,
  max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);

CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);

CREATE TABLE gpkg_extensions (
  table_name TEXT,
  column_name TEXT,
  extension_name TEXT NOT NULL,
  definition TEXT NOT NULL,
  scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
);

-- The three rows every GeoPackage has, and CGCS2000, the CRS of all landbank geometry.
insert into gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description)
values
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
  ('WGS 84 geodetic', 4326, 'EPSG', 4326,
   'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]',
   'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid'),
  ('China Geodetic Coordinate System 2000', 4490, 'EPSG', 4490,
   'GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4490"]]',
   'CGCS2000 longitude/latitude in decimal degrees; equals WGS 84 to centimetres');

-- The inventory layers.

-- Zones (片区) of the park and the land policy each applies (工业项目建设用地控制指标).
create table zone (
  fid INTEGER primary key not null,
  code TEXT not null,
  name_zh TEXT not null,
  name_en TEXT not null,
  kind TEXT not null,
  country TEXT not null,
  geom POLYGON not null,
  planned_area_m2 REAL not null,
  leading_industries TEXT not null,  -- industry codes, comma-separated, in order
  allowed_classes TEXT not null,     -- industrial class codes (I, II, III), comma-separated, in order
  policy_intensity_min_wan_per_mu REAL not null,
  policy_plot_ratio_min REAL not null,
  policy_coverage_min REAL not null,
  policy_green_max REAL not null,
  policy_admin_max REAL not null,
  policy_min_lot_mu REAL not null,
  policy_factory_routing_max_mu REAL not null
);

-- Land parcels and planning plots (宗地/地块).
create table parcel (
  fid INTEGER primary key not null,
  plot_no TEXT not null,
  parcel_code TEXT,                  -- 宗地代码, once registered
  zone_id INTEGER not null,
  geom POLYGON not null,
  area_m2 REAL not null,             -- geodesic area of geom
  stated_area_mu REAL not null,      -- registered area
  land_use_system TEXT not null,
  land_use_code TEXT not null,
  availability TEXT not null,
  dev_stage TEXT not null,
  supply_method TEXT,
  revitalized BOOLEAN not null,
  term_years INTEGER,
  price_wan_per_mu REAL,
  plot_ratio_min REAL,
  plot_ratio_max REAL,
  coverage_min REAL,
  height_max_m REAL,
  power_available_kva INTEGER,
  holder TEXT,
  project_id INTEGER,
  available_from DATE,
  supply_date DATE,
  agreed_start_date DATE,
  agreed_completion_date DATE,
  actual_start_date DATE,
  version INTEGER not null default 1  -- row version for optimistic concurrency
);

-- Standard-factory buildings (标准厂房).
create table building (
  fid INTEGER primary key not null,
  building_no TEXT not null,
  name TEXT not null,
  zone_id INTEGER not null,
  parcel_id INTEGER,
  geom POLYGON not null,             -- footprint
  structure TEXT not null,
  floors INTEGER not null,
  gross_floor_area_m2 REAL not null,
  floor_plate_m2 REAL not null,
  height_1f_m REAL not null,
  height_upper_m REAL not null,
  load_1f_kn_m2 REAL not null,
  load_upper_kn_m2 REAL not null,
  lift_count INTEGER not null,
  lift_capacity_t REAL not null,
  transformer_kva INTEGER not null,
  fire_class TEXT not null,
  status TEXT not null,
  completion_date DATE,
  operator TEXT,
  version INTEGER not null default 1
);

-- Lettable factory units (出租单元); geom is NULL when the unit has no outline of its own (the building's footprint).
create table unit (
  fid INTEGER primary key not null,
  building_id INTEGER not null,
  label TEXT not null,
  floor INTEGER not null,
  geom POLYGON,
  area_m2 REAL not null,
  whole_floor BOOLEAN not null,
  height_m REAL not null,
  load_kn_m2 REAL not null,
  power_kva INTEGER not null,
  lift_access BOOLEAN not null,
  rent_yuan_m2_month REAL not null,
  status TEXT not null,
  available_from DATE,
  project_id INTEGER,
  version INTEGER not null default 1
);

-- Points and lines of interest: roads, border bridges, the service centre, the twin park.
create table poi (
  fid INTEGER primary key not null,
  code TEXT not null,
  kind TEXT not null,
  name_zh TEXT not null,
  name_en TEXT not null,
  country TEXT not null,
  geom GEOMETRY not null
);

-- Investment projects (招商项目).
create table project (
  fid INTEGER primary key not null,
  code TEXT not null,
  name_zh TEXT not null,
  name_en TEXT not null,
  company TEXT not null,
  investor_country TEXT not null,    -- ISO 3166 alpha-2
  industry TEXT not null,
  required_class TEXT not null,
  total_investment_wan REAL not null,
  fixed_asset_investment_wan REAL not null,
  employees INTEGER not null,
  power_need_kva INTEGER not null,
  stage TEXT not null,
  zone_id INTEGER,
  parcel_id INTEGER,
  signed_date DATE not null,
  start_date DATE,
  production_date DATE,
  version INTEGER not null default 1
);

-- The units a project occupies, in the project's order.
create table project_unit (
  fid INTEGER primary key not null,
  project_id INTEGER not null references project (fid) on delete cascade,
  position INTEGER not null,
  unit_id INTEGER not null,
  unique (project_id, position)
);

-- The change feed: one row per change, numbered without gaps being reused; before/after are JSON text.
create table event (
  sequence INTEGER primary key autoincrement,
  at TEXT not null,                  -- RFC 3339 timestamp given by the caller
  actor TEXT not null,
  kind TEXT not null,
  layer TEXT not null,
  record_id INTEGER,
  before TEXT,
  after TEXT
);

-- The landbank schema versions applied to this file, one row per migration, written by the migration runner
-- (PRAGMA user_version belongs to the GeoPackage standard).
create table landbank_schema (
  version INTEGER primary key not null,
  name TEXT not null
);

-- Registration of the layers. Bounding boxes are written with the data.
insert into gpkg_contents (table_name, data_type, identifier, description, srs_id) values
  ('zone', 'features', 'zones', 'Zones (片区) of the park', 4490),
  ('parcel', 'features', 'parcels', 'Land parcels and planning plots (宗地/地块)', 4490),
  ('building', 'features', 'buildings', 'Standard-factory buildings (标准厂房)', 4490),
  ('unit', 'features', 'units', 'Lettable factory units (出租单元)', 4490),
  ('poi', 'features', 'pois', 'Roads, border bridges, service centre, twin park', 4490),
  ('project', 'attributes', 'projects', 'Investment projects (招商项目)', null),
  ('project_unit', 'attributes', 'project_units', 'Units occupied by each project', null),
  ('event', 'attributes', 'events', 'Change feed of the inventory', null);

insert into gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) values
  ('zone', 'geom', 'POLYGON', 4490, 0, 0),
  ('parcel', 'geom', 'POLYGON', 4490, 0, 0),
  ('building', 'geom', 'POLYGON', 4490, 0, 0),
  ('unit', 'geom', 'POLYGON', 4490, 0, 0),
  ('poi', 'geom', 'GEOMETRY', 4490, 0, 0);

-- R-tree spatial indexes (GeoPackage 1.4 Annex F.3, extension gpkg_rtree_index) and the triggers that keep them
-- current. The triggers call ST_IsEmpty, ST_MinX, ST_MaxX, ST_MinY and ST_MaxY, which every connection must
-- provide (landbank-store registers them; GDAL and QGIS register their own).

insert into gpkg_extensions (table_name, column_name, extension_name, definition, scope) values
  ('zone', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec140/index.html#extension_rtree', 'write-only'),
  ('parcel', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec140/index.html#extension_rtree', 'write-only'),
  ('building', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec140/index.html#extension_rtree', 'write-only'),
  ('unit', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec140/index.html#extension_rtree', 'write-only'),
  ('poi', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec140/index.html#extension_rtree', 'write-only');

-- Spatial index of zone.geom.

CREATE VIRTUAL TABLE rtree_zone_geom USING rtree(id, minx, maxx, miny, maxy);

/* Conditions: Insertion of non-empty geometry
   Actions   : Insert record into R-tree */
CREATE TRIGGER rtree_zone_geom_insert AFTER INSERT ON zone
  WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO rtree_zone_geom VALUES (
    NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom),
    ST_MinY(NEW.geom), ST_MaxY(NEW.geom)
  );
END;

/* Conditions: Update a non-empty geometry with an empty geometry
               No row ID change
   Actions   : Remove record from R-tree for fid */
CREATE TRIGGER rtree_zone_geom_update2 AFTER UPDATE OF geom ON zone
  WHEN OLD.fid = NEW.fid AND
       (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_zone_geom WHERE id = OLD.fid;
END;

/* Conditions: Update of any column
               Row ID change
               Empty geometry
   Actions   : Remove record from R-tree for old and new fid */
CREATE TRIGGER rtree_zone_geom_update4 AFTER UPDATE ON zone
  WHEN OLD.fid != NEW.fid AND
       (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_zone_geom WHERE id IN (OLD.fid, NEW.fid);
END;

/* Conditions: Update of any column
               Row ID change
               Non-empty geometry
   Actions   : Remove record from R-tree for old fid
               Insert record into R-tree for new fid */
CREATE TRIGGER rtree_zone_geom_update5 AFTER UPDATE ON zone
  WHEN OLD.fid != NEW.fid AND
       (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_zone_geom WHERE id = OLD.fid;
  INSERT OR REPLACE INTO rtree_zone_geom VALUES (
    NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom),
    ST_MinY(NEW.geom), ST_MaxY(NEW.geom)
  );
END;

/* Conditions: Update a non-empty geometry with another non-empty geometry
   Actions   : Replace record from R-tree for fid */
CREATE TRIGGER rtree_zone_geom_update6 AFTER UPDATE OF geom ON zone
  WHEN OLD.fid = NEW.fid AND
       (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) AND
       (OLD.geom NOTNULL AND NOT ST_IsEmpty(OLD.geom))
BEGIN
  UPDATE rtree_zone_geom SET
    minx = ST_MinX(NEW.geom),
    maxx = ST_MaxX(NEW.geom),
    miny = ST_MinY(NEW.geom),
    maxy = ST_MaxY(NEW.geom)
  WHERE id = NEW.fid;
END;

/* Conditions: Update a null/empty geometry with a non-empty geometry
   Actions : Insert record into R-tree for new fid */
CREATE TRIGGER rtree_zone_geom_update7 AFTER UPDATE OF geom ON zone
  WHEN OLD.fid = NEW.fid AND
       (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) AND
       (OLD.geom ISNULL OR ST_IsEmpty(OLD.geom))
BEGIN
  INSERT INTO rtree_zone_geom VALUES (
    NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom),
    ST_MinY(NEW.geom), ST_MaxY(NEW.geom)
  );
END;

/* Conditions: Row deleted
   Actions   : Remove record from R-tree for old fid */
CREATE TRIGGER rtree_zone_geom_delete AFTER DELETE ON zone
  WHEN old.geom NOT NULL
BEGIN
  DELETE FROM rtree_zone_geom WHERE id = OLD.fid;
END;

-- Spatial index of parcel.geom.

CREATE VIRTUAL TABLE rtree_parcel_geom USING rtree(id, minx, maxx, miny, maxy);

/* Conditions: Insertion of non-empty geometry
   Actions   : Insert record into R-tree */
CREATE TRIGGER rtree_parcel_geom_insert AFTER INSERT ON parcel
  WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO rtree_parcel_geom VALUES (
    NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom),
    ST_MinY(NEW.geom), ST_MaxY(NEW.geom)
  );
END;

/* Conditions: Update a non-empty geometry with an empty geometry
               No row ID change
   Actions   : Remove record from R-tree for fid */
CREATE TRIGGER rtree_parcel_geom_update2 AFTER UPDATE OF geom ON parcel
  WHEN OLD.fid = NEW.fid AND
       (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_parcel_geom WHERE id = OLD.fid;
END;

/* Conditions: Update of any column
               Row ID change
               Empty geometry
   Actions   : Remove record from R-tree for old and new fid */
CREATE TRIGGER rtree_parcel_geom_update4 AFTER UPDATE ON parcel
  WHEN OLD.fid != NEW.fid AND
       (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_parcel_geom WHERE id IN (OLD.fid, NEW.fid);
END;

/* Conditions: Update of any column
               Row ID change
               Non-empty geometry
   Actions   : Remove record from R-tree for old fid
               Insert record into R-tree for new fid */
CREATE TRIGGER rtree_parcel_geom_update5 AFTER UPDATE ON parcel
  WHEN OLD.fid != NEW.fid AND
       (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_parcel_geom WHERE id = OLD.fid;
  INSERT OR REPLACE INTO rtree_parcel_geom VALUES (
    NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom),
    ST_MinY(NEW.geom), ST_MaxY(NEW.geom)
  );
END;

/* Conditions: Update a non-empty geometry with another non-empty geometry
   Actions   : Replace record from R-tree for fid */
CREATE TRIGGER rtree_parcel_geom_update6 AFTER UPDATE OF geom ON parcel
  WHEN OLD.fid = NEW.fid AND
       (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) AND
       (OLD.geom NOTNULL AND NOT ST_IsEmpty(OLD.geom))
BEGIN
  UPDATE rtree_parcel_geom SET
    minx = ST_MinX(NEW.geom),
    maxx = ST_MaxX(NEW.geom),
    miny = ST_MinY(NEW.geom),
    maxy = ST_MaxY(NEW.geom)
  WHERE id = NEW.fid;
END;

/* Conditions: Update a null/empty geometry with a non-empty geometry
   Actions : Insert record into R-tree for new fid */
CREATE TRIGGER rtree_parcel_geom_update7 AFTER UPDATE OF geom ON parcel
  WHEN OLD.fid = NEW.fid AND
       (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) AND
       (OLD.geom ISNULL OR ST_IsEmpty(OLD.geom))
BEGIN
  INSERT INTO rtree_parcel_geom VALUES (
    NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom),
    ST_MinY(NEW.geom), ST_MaxY(NEW.geom)
  );
END;

/* Conditions: Row deleted
   Actions   : Remove record from R-tree for old fid */
CREATE TRIGGER rtree_parcel_geom_delete AFTER DELETE ON parcel
  WHEN old.geom NOT NULL
BEGIN
  DELETE FROM rtree_parcel_geom WHERE id = OLD.fid;
END;

-- Spatial index of building.geom.

CREATE VIRTUAL TABLE rtree_building_geom USING rtree(id, minx, maxx, miny, maxy);

/* Conditions: Insertion of non-empty geometry
   Actions   : Insert record into R-tree */
CREATE TRIGGER rtree_building_geom_insert AFTER INSERT ON building
  WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO rtree_building_geom VALUES (
    NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom),
    ST_MinY(NEW.geom), ST_MaxY(NEW.geom)
  );
END;

/* Conditions: Update a non-empty geometry with an empty geometry
               No row ID change
   Actions   : Remove record from R-tree for fid */
CREATE TRIGGER rtree_building_geom_update2 AFTER UPDATE OF geom ON building
  WHEN OLD.fid = NEW.fid AND
       (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_building_geom WHERE id = OLD.fid;
END;

/* Conditions: Update of any column
               Row ID change
               Empty geometry
   Actions   : Remove record from R-tree for old and new fid */
CREATE TRIGGER rtree_building_geom_update4 AFTER UPDATE ON building
  WHEN OLD.fid != NEW.fid AND
       (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_building_geom WHERE id IN (OLD.fid, NEW.fid);
END;

/* Conditions: Update of any column
               Row ID change
               Non-empty geometry
   Actions   : Remove record from R-tree for old fid
               Insert record into R-tree for new fid */
CREATE TRIGGER rtree_building_geom_update5 AFTER UPDATE ON building
  WHEN OLD.fid != NEW.fid AND
       (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_building_geom WHERE id = OLD.fid;
  INSERT OR REPLACE INTO rtree_building_geom VALUES (
    NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom),
    ST_MinY(NEW.geom), ST_MaxY(NEW.geom)
  );
END;

/* Conditions: Update a non-empty geometry with another non-empty geometry
   Actions   : Replace record from R-tree for fid */
CREATE TRIGGER rtree_building_geom_update6 AFTER UPDATE OF geom ON building
  WHEN OLD.fid = NEW.fid AND
       (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) AND
       (OLD.geom NOTNULL AND NOT ST_IsEmpty(OLD.geom))
BEGIN
  UPDATE rtree_building_geom SET
    minx = ST_MinX(NEW.geom),
    maxx = ST_MaxX(NEW.geom),
    miny = ST_MinY(NEW.geom),
    maxy = ST_MaxY(NEW.geom)
  WHERE id = NEW.fid;
END;

/* Conditions: Update a null/empty geometry with a non-empty geometry
   Actions : Insert record into R-tree for new fid */
CREATE TRIGGER rtree_building_geom_update7 AFTER UPDATE OF geom ON building
  WHEN OLD.fid = NEW.fid AND
       (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) AND
       (OLD.geom ISNULL OR ST_IsEmpty(OLD.geom))
BEGIN
  INSERT INTO rtree_building_geom VALUES (
    NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom),
    ST_MinY(NEW.geom), ST_MaxY(NEW.geom)
  );
END;

/* Conditions: Row deleted
   Actions   : Remove record from R-tree for old fid */
CREATE TRIGGER rtree_building_geom_delete AFTER DELETE ON building
  WHEN old.geom NOT NULL
BEGIN
  DELETE FROM rtree_building_geom WHERE id = OLD.fid;
END;

-- Spatial index of unit.geom.

CREATE VIRTUAL TABLE rtree_unit_geom USING rtree(id, minx, maxx, miny, maxy);

/* Conditions: Insertion of non-empty geometry
   Actions   : Insert record into R-tree */
CREATE TRIGGER rtree_unit_geom_insert AFTER INSERT ON unit
  WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO rtree_unit_geom VALUES (
    NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom),
    ST_MinY(NEW.geom), ST_MaxY(NEW.geom)
  );
END;

/* Conditions: Update a non-empty geometry with an empty geometry
               No row ID change
   Actions   : Remove record from R-tree for fid */
CREATE TRIGGER rtree_unit_geom_update2 AFTER UPDATE OF geom ON unit
  WHEN OLD.fid = NEW.fid AND
       (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_unit_geom WHERE id = OLD.fid;
END;

/* Conditions: Update of any column
               Row ID change
               Empty geometry
   Actions   : Remove record from R-tree for old and new fid */
CREATE TRIGGER rtree_unit_geom_update4 AFTER UPDATE ON unit
  WHEN OLD.fid != NEW.fid AND
       (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_unit_geom WHERE id IN (OLD.fid, NEW.fid);
END;

/* Conditions: Update of any column
               Row ID change
               Non-empty geometry
   Actions   : Remove record from R-tree for old fid
               Insert record into R-tree for new fid */
CREATE TRIGGER rtree_unit_geom_update5 AFTER UPDATE ON unit
  WHEN OLD.fid != NEW.fid AND
       (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_unit_geom WHERE id = OLD.fid;
  INSERT OR REPLACE INTO rtree_unit_geom VALUES (
    NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom),
    ST_MinY(NEW.geom), ST_MaxY(NEW.geom)
  );
END;

/* Conditions: Update a non-empty geometry with another non-empty geometry
   Actions   : Replace record from R-tree for fid */
CREATE TRIGGER rtree_unit_geom_update6 AFTER UPDATE OF geom ON unit
  WHEN OLD.fid = NEW.fid AND
       (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) AND
       (OLD.geom NOTNULL AND NOT ST_IsEmpty(OLD.geom))
BEGIN
  UPDATE rtree_unit_geom SET
    minx = ST_MinX(NEW.geom),
    maxx = ST_MaxX(NEW.geom),
    miny = ST_MinY(NEW.geom),
    maxy = ST_MaxY(NEW.geom)
  WHERE id = NEW.fid;
END;

/* Conditions: Update a null/empty geometry with a non-empty geometry
   Actions : Insert record into R-tree for new fid */
CREATE TRIGGER rtree_unit_geom_update7 AFTER UPDATE OF geom ON unit
  WHEN OLD.fid = NEW.fid AND
       (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) AND
       (OLD.geom ISNULL OR ST_IsEmpty(OLD.geom))
BEGIN
  INSERT INTO rtree_unit_geom VALUES (
    NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom),
    ST_MinY(NEW.geom), ST_MaxY(NEW.geom)
  );
END;

/* Conditions: Row deleted
   Actions   : Remove record from R-tree for old fid */
CREATE TRIGGER rtree_unit_geom_delete AFTER DELETE ON unit
  WHEN old.geom NOT NULL
BEGIN
  DELETE FROM rtree_unit_geom WHERE id = OLD.fid;
END;

-- Spatial index of poi.geom.

CREATE VIRTUAL TABLE rtree_poi_geom USING rtree(id, minx, maxx, miny, maxy);

/* Conditions: Insertion of non-empty geometry
   Actions   : Insert record into R-tree */
CREATE TRIGGER rtree_poi_geom_insert AFTER INSERT ON poi
  WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO rtree_poi_geom VALUES (
    NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom),
    ST_MinY(NEW.geom), ST_MaxY(NEW.geom)
  );
END;

/* Conditions: Update a non-empty geometry with an empty geometry
               No row ID change
   Actions   : Remove record from R-tree for fid */
CREATE TRIGGER rtree_poi_geom_update2 AFTER UPDATE OF geom ON poi
  WHEN OLD.fid = NEW.fid AND
       (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_poi_geom WHERE id = OLD.fid;
END;

/* Conditions: Update of any column
               Row ID change
               Empty geometry
   Actions   : Remove record from R-tree for old and new fid */
CREATE TRIGGER rtree_poi_geom_update4 AFTER UPDATE ON poi
  WHEN OLD.fid != NEW.fid AND
       (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_poi_geom WHERE id IN (OLD.fid, NEW.fid);
END;

/* Conditions: Update of any column
               Row ID change
               Non-empty geometry
   Actions   : Remove record from R-tree for old fid
               Insert record into R-tree for new fid */
CREATE TRIGGER rtree_poi_geom_update5 AFTER UPDATE ON poi
  WHEN OLD.fid != NEW.fid AND
       (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_poi_geom WHERE id = OLD.fid;
  INSERT OR REPLACE INTO rtree_poi_geom VALUES (
    NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom),
    ST_MinY(NEW.geom), ST_MaxY(NEW.geom)
  );
END;

/* Conditions: Update a non-empty geometry with another non-empty geometry
   Actions   : Replace record from R-tree for fid */
CREATE TRIGGER rtree_poi_geom_update6 AFTER UPDATE OF geom ON poi
  WHEN OLD.fid = NEW.fid AND
       (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) AND
       (OLD.geom NOTNULL AND NOT ST_IsEmpty(OLD.geom))
BEGIN
  UPDATE rtree_poi_geom SET
    minx = ST_MinX(NEW.geom),
    maxx = ST_MaxX(NEW.geom),
    miny = ST_MinY(NEW.geom),
    maxy = ST_MaxY(NEW.geom)
  WHERE id = NEW.fid;
END;

/* Conditions: Update a null/empty geometry with a non-empty geometry
   Actions : Insert record into R-tree for new fid */
CREATE TRIGGER rtree_poi_geom_update7 AFTER UPDATE OF geom ON poi
  WHEN OLD.fid = NEW.fid AND
       (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) AND
       (OLD.geom ISNULL OR ST_IsEmpty(OLD.geom))
BEGIN
  INSERT INTO rtree_poi_geom VALUES (
    NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom),
    ST_MinY(NEW.geom), ST_MaxY(NEW.geom)
  );
END;

/* Conditions: Row deleted
   Actions   : Remove record from R-tree for old fid */
CREATE TRIGGER rtree_poi_geom_delete AFTER DELETE ON poi
  WHEN old.geom NOT NULL
BEGIN
  DELETE FROM rtree_poi_geom WHERE id = OLD.fid;
END;
