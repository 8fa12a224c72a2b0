-- landbank GeoPackage schema, version 2: what the idle-land rules (闲置土地处置办法, 国土资源部令第53号, 2012) need
-- per parcel, beside the dates version 1 already holds (supply, agreed start and completion, actual start).
--
-- Applied by crates/landbank-store (schema.rs) after version 1, when a store is created and when an older store is
-- opened. Forward-only: a later change is a new numbered file, never an edit of this one. The columns are added at
-- the end of the table (after `version`); existing rows get NULL, and `government_caused` false.

alter table parcel add column required_gfa_m2 REAL;        -- floor area that should be developed, green space excluded
alter table parcel add column built_gfa_m2 REAL;           -- floor area developed so far
alter table parcel add column total_investment_wan REAL;   -- as contracted, excluding the land price
alter table parcel add column invested_wan REAL;           -- invested so far, excluding the land price
alter table parcel add column suspended_since DATE;        -- first day of the current suspension of construction
alter table parcel add column government_caused BOOLEAN not null default 0; -- idleness caused by the government or force majeure
alter table parcel add column land_price_wan REAL;         -- total transfer or allocation price: the base of the 20 % fee
