-- landbank PostgreSQL + PostGIS schema, version 1: the inventory layers, reservations, allocations and their
-- holds, idempotent answers and the event log — every column the GeoPackage store has (migrations/gpkg/0001 to
-- 0003), in PostgreSQL types.
--
-- Applied by crates/landbank-store (postgis/schema.rs) in one transaction under an advisory lock, by
-- `landbank migrate` and when a node starts. Forward-only: a later change is a new numbered file, never an edit of
-- this one. landbank_schema records each version applied.
--
-- Conventions as in the GeoPackage: identifiers lowercase, tables singular, primary key `fid` = the record id,
-- geometry column `geom` in EPSG:4490 (CGCS2000 longitude/latitude) with a GiST index, enumerations stored as
-- their codes, quantities as double precision with the unit in the column name, `version` the row version for
-- optimistic concurrency. Lists of codes are text arrays. Reservation and allocation times are timestamptz
-- (microseconds); event times stay the text the caller gave. References between layers are not foreign keys (the
-- inventory reports a dangling reference as a data-quality problem, and layers are replaced one at a time); the
-- rows of project_unit belong to their project and are removed with it.

create extension if not exists postgis;
create extension if not exists btree_gist;

create table zone (
  fid bigint primary key,
  code text not null,
  name_zh text not null,
  name_en text not null,
  kind text not null,
  country text not null,
  geom geometry(polygon, 4490) not null,
  planned_area_m2 double precision not null,
  leading_industries text[] not null,  -- industry codes, in order
  allowed_classes text[] not null,     -- industrial class codes (I, II, III), in order
  policy_intensity_min_wan_per_mu double precision not null,
  policy_plot_ratio_min double precision not null,
  policy_coverage_min double precision not null,
  policy_green_max double precision not null,
  policy_admin_max double precision not null,
  policy_min_lot_mu double precision not null,
  policy_factory_routing_max_mu double precision not null
);
create index zone_geom on zone using gist (geom);

create table parcel (
  fid bigint primary key,
  plot_no text not null,
  parcel_code text,                    -- 宗地代码, once registered
  zone_id bigint not null,
  geom geometry(polygon, 4490) not null,
  area_m2 double precision not null,   -- geodesic area of geom
  stated_area_mu double precision not null,  -- registered area
  land_use_system text not null,
  land_use_code text not null,
  availability text not null,
  dev_stage text not null,
  supply_method text,
  revitalized boolean not null,
  term_years integer,
  price_wan_per_mu double precision,
  plot_ratio_min double precision,
  plot_ratio_max double precision,
  coverage_min double precision,
  height_max_m double precision,
  power_available_kva bigint,
  holder text,
  project_id bigint,
  available_from date,
  supply_date date,
  agreed_start_date date,
  agreed_completion_date date,
  actual_start_date date,
  -- What the idle-land rules (闲置土地处置办法, 2012) need beside the dates above.
  required_gfa_m2 double precision,    -- floor area that should be developed, green space excluded
  built_gfa_m2 double precision,       -- floor area developed so far
  total_investment_wan double precision,  -- as contracted, excluding the land price
  invested_wan double precision,       -- invested so far, excluding the land price
  suspended_since date,                -- first day of the current suspension of construction
  government_caused boolean not null default false,  -- idleness caused by the government or force majeure
  land_price_wan double precision,     -- total transfer or allocation price: the base of the 20 % fee
  version integer not null default 1
);
create index parcel_geom on parcel using gist (geom);

create table building (
  fid bigint primary key,
  building_no text not null,
  name text not null,
  zone_id bigint not null,
  parcel_id bigint,
  geom geometry(polygon, 4490) not null,  -- footprint
  structure text not null,
  floors smallint not null,
  gross_floor_area_m2 double precision not null,
  floor_plate_m2 double precision not null,
  height_1f_m double precision not null,
  height_upper_m double precision not null,
  load_1f_kn_m2 double precision not null,
  load_upper_kn_m2 double precision not null,
  lift_count smallint not null,
  lift_capacity_t double precision not null,
  transformer_kva bigint not null,
  fire_class text not null,
  status text not null,
  completion_date date,
  operator text,
  version integer not null default 1
);
create index building_geom on building using gist (geom);

create table unit (
  fid bigint primary key,
  building_id bigint not null,
  label text not null,
  floor smallint not null,
  geom geometry(polygon, 4490),        -- outline, when surveyed
  area_m2 double precision not null,
  whole_floor boolean not null,
  height_m double precision not null,
  load_kn_m2 double precision not null,
  power_kva bigint not null,
  lift_access boolean not null,
  rent_yuan_m2_month double precision not null,
  status text not null,
  available_from date,
  project_id bigint,
  version integer not null default 1
);
create index unit_geom on unit using gist (geom);

create table poi (
  fid bigint primary key,
  code text not null,
  kind text not null,
  name_zh text not null,
  name_en text not null,
  country text not null,
  geom geometry(geometry, 4490) not null
);
create index poi_geom on poi using gist (geom);

create table project (
  fid bigint primary key,
  code text not null,
  name_zh text not null,
  name_en text not null,
  company text not null,
  investor_country text not null,      -- ISO 3166 alpha-2
  industry text not null,
  required_class text not null,
  total_investment_wan double precision not null,
  fixed_asset_investment_wan double precision not null,
  employees bigint not null,
  power_need_kva bigint not null,
  stage text not null,
  zone_id bigint,
  parcel_id bigint,
  signed_date date not null,
  start_date date,
  production_date date,
  version integer not null default 1
);

create table project_unit (
  fid bigserial primary key,
  project_id bigint not null references project (fid) on delete cascade,
  position integer not null,
  unit_id bigint not null,
  unique (project_id, position)
);

-- Reservations (holds with an expiry) and allocations (confirmed supply or lease) of parcels and units.

create table reservation (
  fid bigint primary key,
  project_id bigint not null,
  status text not null check (status in ('active', 'confirmed', 'released', 'expired')),
  created_at timestamptz not null,
  expires_at timestamptz not null,
  actor text not null,
  closed_at timestamptz,
  version integer not null default 1
);

create table allocation (
  fid bigint primary key,
  reservation_id bigint not null references reservation (fid),
  project_id bigint not null,
  status text not null check (status in ('active', 'released')),
  supply_method text,
  term_years integer,
  price_wan double precision,
  contract_ref text,
  confirmed_at timestamptz not null,
  actor text not null,
  released_at timestamptz,
  version integer not null default 1
);

-- What each reservation holds, and whether the hold is live (reserved, or allocated and not released). The
-- exclusion constraint is the database's own refusal of a double booking: no two live holds on one parcel or
-- one unit, whichever node commits them.
create table hold (
  fid bigserial primary key,
  reservation_id bigint not null references reservation (fid),
  allocation_id bigint references allocation (fid),
  kind text not null check (kind in ('parcel', 'unit')),
  target_id bigint not null,
  position integer not null,
  active boolean not null,
  constraint hold_one_active_per_target exclude using gist (kind with =, target_id with =) where (active)
);
create index hold_by_reservation on hold (reservation_id);

-- Answers to requests that carried an Idempotency-Key, so that a retried request gets the same answer.
create table idempotency (
  key text primary key,
  request_hash text not null,
  status integer not null,
  content_type text not null,
  body bytea not null,
  at text not null
);

-- The change feed: one row per change, in commit order (commits append under a lock, so a reader that has seen
-- sequence n never later finds a smaller one).
create table event (
  sequence bigserial primary key,
  at text not null,                    -- RFC 3339 timestamp given by the caller
  actor text not null,
  kind text not null,
  layer text not null,
  record_id bigint,
  before text,                         -- JSON of the record before the change
  after text                           -- JSON of the record after the change
);
create index event_by_record on event (layer, record_id, sequence);
