-- Reservations (holds with an expiry) and allocations (confirmed supply or lease) of parcels and units.
-- The database itself refuses a double booking: at most one active hold per parcel and per unit.

create table reservation (
  fid integer primary key,
  project_id integer not null,
  status text not null check (status in ('active', 'confirmed', 'released', 'expired')),
  created_at text not null,
  expires_at text not null,
  actor text not null,
  closed_at text,
  version integer not null default 1
);

create table allocation (
  fid integer primary key,
  reservation_id integer not null references reservation(fid),
  project_id integer not null,
  status text not null check (status in ('active', 'released')),
  supply_method text,
  term_years integer,
  price_wan real,
  contract_ref text,
  confirmed_at text not null,
  actor text not null,
  released_at text,
  version integer not null default 1
);

-- What each reservation holds, and whether the hold is live (reserved, or allocated and not released).
create table hold (
  fid integer primary key,
  reservation_id integer not null references reservation(fid),
  allocation_id integer references allocation(fid),
  kind text not null check (kind in ('parcel', 'unit')),
  target_id integer not null,
  position integer not null,
  active integer not null check (active in (0, 1))
);
create unique index hold_one_active_per_target on hold (kind, target_id) where active = 1;
create index hold_by_reservation on hold (reservation_id);

-- Answers to POST requests that carried an Idempotency-Key, so that a retried request gets the same answer.
create table idempotency (
  key text primary key,
  request_hash text not null,
  status integer not null,
  content_type text not null,
  body blob not null,
  at text not null
);

insert into gpkg_contents (table_name, data_type, identifier, description, srs_id) values
  ('reservation', 'attributes', 'reservations', 'Holds on parcels and units for projects, with expiry', null),
  ('allocation', 'attributes', 'allocations', 'Land supplied and space leased to projects', null),
  ('hold', 'attributes', 'holds', 'Parcels and units held by reservations and allocations', null);
