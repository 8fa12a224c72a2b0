//! The shared store: PostgreSQL + PostGIS, reached through a pool of tokio-postgres connections, so that many
//! service nodes keep one inventory.
//!
//! The same operations as the [`GeoPackage`](crate::GeoPackage), with the same semantics (a suite of contract tests
//! runs against both): one transaction per write, row versions, reservations whose live holds the database itself
//! keeps apart (an exclusion constraint), an event log in commit order. Geometry travels as EWKB with SRID 4490;
//! numbers are binary, so every `f64` comes back bit for bit. Reservation and allocation times are `timestamptz`,
//! which keeps microseconds: a time with nanoseconds is rounded to the microsecond.

mod event;
mod geometry;
mod holding;
mod row;
mod schema;

use std::collections::HashMap;
use std::pin::pin;
use std::time::Duration;

use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Object, Pool, RecyclingMethod, Runtime, Transaction};
use futures_util::{StreamExt, TryStreamExt};
use landbank_inventory::{Change, InventoryParts, Layer, UnitId};
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::Type;
use tokio_postgres::{AsyncMessage, IsolationLevel, NoTls, Row};

use crate::event::{Event, NewEvent, timestamp};
use crate::row::{BUILDING, PARCEL, POI, PROJECT, Table, UNIT, ZONE};
use crate::{Idempotent, RecordIds, StoreError};

pub use schema::POSTGIS_SCHEMA_VERSION;

/// How many connections one node keeps at most.
const POOL_SIZE: usize = 16;

/// How long opening a connection may take, unless the URL says otherwise (`connect_timeout=`).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a request waits for a free connection of the pool.
const WAIT_TIMEOUT: Duration = Duration::from_secs(30);

/// The advisory lock key a fill holds, so that two nodes starting on an empty database fill it once: the ASCII
/// bytes of `lbfill!!`.
const FILL_LOCK: i64 = 0x6c62_6669_6c6c_2121;

/// Every table that holds part of an inventory; a store is empty when all of them are.
const CONTENT_TABLES: [&str; 9] =
    ["zone", "parcel", "building", "unit", "project", "poi", "reservation", "allocation", "event"];

/// A landbank inventory in a PostgreSQL database with PostGIS, shared by every node that connects to it.
///
/// Cheap to clone: clones share the pool.
#[derive(Clone)]
pub struct PostGis {
    pool: Pool,
    /// The connection settings, for the dedicated connection that listens to the change feed.
    config: std::sync::Arc<tokio_postgres::Config>,
}

impl std::fmt::Debug for PostGis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let status = self.pool.status();
        f.debug_struct("PostGis")
            .field("connections", &status.size)
            .field("max", &status.max_size)
            .finish_non_exhaustive()
    }
}

impl PostGis {
    /// Connects to the database at `url` (`postgres://user@host:port/database?…`) and brings its schema up to
    /// date (see [`PostGis::migrate`]).
    ///
    /// # Errors
    ///
    /// [`StoreError::InvalidUrl`] for a URL that is not a connection string, [`StoreError::Connect`] when the
    /// server cannot be reached, [`StoreError::SchemaTooNew`] when a newer landbank has migrated it.
    pub async fn connect(url: &str) -> Result<PostGis, StoreError> {
        let store = PostGis::connect_without_migrating(url)?;
        store.migrate().await?;
        Ok(store)
    }

    /// A pool of connections to `url`, opened lazily; the schema is not checked.
    pub fn connect_without_migrating(url: &str) -> Result<PostGis, StoreError> {
        let mut config: tokio_postgres::Config = url.parse().map_err(StoreError::InvalidUrl)?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("landbank");
        }
        let manager =
            Manager::from_config(config.clone(), NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(WAIT_TIMEOUT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(StoreError::Pool)?;
        Ok(PostGis { pool, config: std::sync::Arc::new(config) })
    }

    /// Applies every migration in `migrations/postgres/` that the database lacks, in one transaction under an
    /// advisory lock (two nodes starting at once apply each once), and returns the versions applied.
    pub async fn migrate(&self) -> Result<Vec<i32>, StoreError> {
        let mut client = self.client().await?;
        schema::migrate(&mut client).await
    }

    async fn client(&self) -> Result<Object, StoreError> {
        self.pool.get().await.map_err(StoreError::Connect)
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.client().await?.simple_query("select 1").await?;
        Ok(())
    }

    /// Whether the database holds no record of any layer, no reservation or allocation, and no event.
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let client = self.client().await?;
        is_empty(&client).await
    }

    /// Writes every record of `parts` — layers, reservations, allocations and their holds — into this database,
    /// which must be empty, in one transaction, with binary `COPY`.
    ///
    /// Fails with [`StoreError::NotEmpty`] when the database holds any record or event, and with
    /// [`StoreError::Rejected`] when an id appears twice in a layer; nothing is written then.
    pub async fn fill(&self, parts: &InventoryParts) -> Result<(), StoreError> {
        for &layer in Layer::ALL {
            row::check_unique_ids(parts, layer)?;
        }
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute("select pg_advisory_xact_lock($1)", &[&FILL_LOCK]).await?;
        if !is_empty(&tx).await? {
            return Err(StoreError::NotEmpty);
        }
        // Building a spatial index once over all rows is several times faster than growing it row by row (1M
        // parcels: 1.5 s against 11 s), so the geometry tables' GiST indexes are dropped and made again.
        let spatial = tx
            .query(
                "select indexname::text, indexdef from pg_indexes where schemaname = current_schema() \
                 and tablename = any($1) and indexdef like '% USING gist %'",
                &[&["zone", "parcel", "building", "unit", "poi"].as_slice()],
            )
            .await?;
        for index in &spatial {
            tx.batch_execute(&format!("drop index {}", index.try_get::<_, &str>(0)?)).await?;
        }
        for &layer in Layer::ALL {
            copy_layer(&tx, parts, layer, &HashMap::new()).await?;
        }
        for index in &spatial {
            tx.batch_execute(index.try_get::<_, &str>(1)?).await?;
        }
        holding::write_all(&tx, &parts.reservations, &parts.allocations).await?;
        tx.commit().await?;
        // Fresh statistics, so that the planner knows the tables are no longer empty; autovacuum would get there
        // too, so a failure is only worth a warning.
        if let Err(e) = client.batch_execute(&format!("analyze {}", CONTENT_TABLES.join(", "))).await {
            tracing::warn!(error = %e, "analyzing the filled tables failed");
        }
        Ok(())
    }

    /// Reads every record of every layer from one consistent snapshot. Each layer comes back sorted by id.
    pub async fn load(&self) -> Result<InventoryParts, StoreError> {
        let mut client = self.client().await?;
        let tx =
            client.build_transaction().isolation_level(IsolationLevel::RepeatableRead).read_only(true).start().await?;
        let zones = read(&tx, &ZONE, row::decode_zone).await?;
        let parcels = read(&tx, &PARCEL, row::decode_parcel).await?;
        let buildings = read(&tx, &BUILDING, row::decode_building).await?;
        let units = read(&tx, &UNIT, row::decode_unit).await?;
        let mut projects = read(&tx, &PROJECT, row::decode_project).await?;
        for r in
            tx.query("select fid, project_id, unit_id from project_unit order by project_id, position", &[]).await?
        {
            let (fid, project_id, unit_id): (i64, i64, i64) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
            let slot = projects.binary_search_by_key(&project_id, |p| p.id.0).map_err(|_| StoreError::Corrupt {
                table: "project_unit",
                fid,
                reason: format!("project {project_id} does not exist"),
            })?;
            projects[slot].units.push(UnitId(unit_id));
        }
        let pois = read(&tx, &POI, row::decode_poi).await?;
        let (reservations, allocations) = holding::read(&tx).await?;
        tx.commit().await?;
        Ok(InventoryParts { zones, parcels, buildings, units, projects, pois, reservations, allocations })
    }

    /// Replaces every row of one layer with that layer's records in `parts` (the other layers of `parts` are
    /// ignored) and appends one `import` event, in one transaction. Returns the number of records written.
    ///
    /// A record whose id was already present gets the next row version; a new one starts at version 1. When
    /// anything fails, the layer keeps its old rows.
    pub async fn replace_layer(
        &self,
        parts: &InventoryParts,
        layer: Layer,
        actor: &str,
        at: &str,
    ) -> Result<usize, StoreError> {
        timestamp(at)?;
        row::check_unique_ids(parts, layer)?;
        let table = crate::row::table(layer);
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let before: i64 = tx.query_one(&format!("select count(*) from {}", table.name), &[]).await?.try_get(0)?;
        let mut versions = HashMap::new();
        if table.versioned {
            for r in tx.query(&format!("select fid, version from {}", table.name), &[]).await? {
                versions.insert(r.try_get::<_, i64>(0)?, r.try_get::<_, i32>(1)?);
            }
        }
        // Deleting a project deletes its project_unit rows with it.
        tx.execute(&format!("delete from {}", table.name), &[]).await?;
        let written = copy_layer(&tx, parts, layer, &versions).await?;
        let (before, after) = (format!("{{\"count\":{before}}}"), format!("{{\"count\":{written}}}"));
        event::lock(&tx).await?;
        let sequence = event::append(
            &tx,
            &NewEvent {
                at,
                actor,
                kind: "import",
                layer: layer.code(),
                record_id: None,
                before: Some(&before),
                after: Some(&after),
            },
        )
        .await?;
        event::notify(&tx, sequence).await?;
        tx.commit().await?;
        Ok(written)
    }

    /// Commits a change in one transaction: its records (replacing rows with the same id, with the next row
    /// version), reservations, allocations and holds, the given events, and the answer to remember for an
    /// idempotency key. Returns the events' sequence numbers. Nothing is written when anything fails.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] when the database refuses a double booking (a parcel or unit already held), a
    /// reservation or allocation id that another node took meanwhile, or an idempotency key already used;
    /// [`StoreError::InvalidTimestamp`] for an event time that is not RFC 3339; other errors when PostgreSQL fails.
    pub async fn commit(
        &self,
        change: &Change,
        events: &[NewEvent<'_>],
        idempotent: Option<&Idempotent>,
    ) -> Result<Vec<i64>, StoreError> {
        self.commit_on(None, change, events, idempotent).await
    }

    /// [`PostGis::commit`], refused with [`StoreError::Conflict`] when another node changed any of the records
    /// of `change` after `basis` — the state the change was planned on. This is the optimistic version check
    /// between nodes: the event log records every change, in commit order, under one lock.
    ///
    /// # Errors
    ///
    /// As [`PostGis::commit`], and a conflict when the basis is stale for these records.
    pub async fn commit_on(
        &self,
        basis: Option<&Basis>,
        change: &Change,
        events: &[NewEvent<'_>],
        idempotent: Option<&Idempotent>,
    ) -> Result<Vec<i64>, StoreError> {
        for e in events {
            timestamp(e.at)?;
        }
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // Commits take the event lock first: the check below and the appends after it see one order of commits.
        event::lock(&tx).await?;
        if let Some(basis) = basis {
            changed_since(&tx, basis, change).await?;
        }
        upsert(&tx, &PARCEL, change.parcels.iter().map(row::parcel)).await?;
        upsert(&tx, &BUILDING, change.buildings.iter().map(row::building)).await?;
        upsert(&tx, &UNIT, change.units.iter().map(row::unit)).await?;
        upsert(&tx, &PROJECT, change.projects.iter().map(row::project)).await?;
        for p in &change.projects {
            tx.execute("delete from project_unit where project_id = $1", &[&p.id.0]).await?;
            let insert = tx
                .prepare_cached("insert into project_unit (project_id, position, unit_id) values ($1, $2, $3)")
                .await?;
            for (position, unit) in p.units.iter().enumerate() {
                tx.execute(&insert, &[&p.id.0, &(position as i32), &unit.0]).await?;
            }
        }
        for reservation in &change.reservations {
            holding::write_reservation(&tx, reservation).await?;
        }
        for allocation in &change.allocations {
            holding::write_allocation(&tx, allocation).await?;
        }
        let mut sequences = Vec::with_capacity(events.len());
        for e in events {
            sequences.push(event::append(&tx, e).await?);
        }
        if let Some(last) = sequences.last() {
            event::notify(&tx, *last).await?;
        }
        if let Some(answer) = idempotent {
            let insert = tx
                .prepare_cached(
                    "insert into idempotency (key, request_hash, status, content_type, body, at) \
                     values ($1, $2, $3, $4, $5, $6)",
                )
                .await?;
            tx.execute(
                &insert,
                &[
                    &answer.key,
                    &answer.request_hash,
                    &i32::from(answer.status),
                    &answer.content_type,
                    &answer.body,
                    &events.first().map_or("", |e| e.at),
                ],
            )
            .await
            .map_err(|e| {
                holding::conflict(e, || format!("idempotency key `{}` was used by another request", answer.key))
            })?;
        }
        tx.commit().await?;
        Ok(sequences)
    }

    /// The answer remembered for an idempotency key, if a committed request carried it.
    pub async fn remembered(&self, key: &str) -> Result<Option<Idempotent>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached("select key, request_hash, status, content_type, body from idempotency where key = $1")
            .await?;
        let Some(r) = client.query_opt(&stmt, &[&key]).await? else { return Ok(None) };
        let status: i32 = r.try_get(2)?;
        Ok(Some(Idempotent {
            key: r.try_get(0)?,
            request_hash: r.try_get(1)?,
            status: u16::try_from(status).map_err(|_| StoreError::Corrupt {
                table: "idempotency",
                fid: 0,
                reason: format!("column status: {status} is out of range"),
            })?,
            content_type: r.try_get(3)?,
            body: r.try_get(4)?,
        }))
    }

    /// Every event about one record of a layer, oldest first: its history.
    pub async fn history(&self, layer: Layer, record_id: i64) -> Result<Vec<Event>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!("{} where layer = $1 and record_id = $2 order by sequence", event::SELECT))
            .await?;
        client.query(&stmt, &[&layer.code(), &record_id]).await?.iter().map(event::decode).collect()
    }

    /// Up to `limit` events with a sequence number above `after_sequence`, in sequence order; `0` reads from the
    /// start.
    pub async fn events(&self, after_sequence: i64, limit: usize) -> Result<Vec<Event>, StoreError> {
        let client = self.client().await?;
        let stmt =
            client.prepare_cached(&format!("{} where sequence > $1 order by sequence limit $2", event::SELECT)).await?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        client.query(&stmt, &[&after_sequence, &limit]).await?.iter().map(event::decode).collect()
    }

    /// Appends events exactly as another store recorded them, sequence numbers included, in one transaction
    /// (used to copy a store); the sequence continues after the highest.
    pub async fn restore_events(&self, events: &[Event]) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        event::lock(&tx).await?;
        event::restore(&tx, events).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every bearer token, revoked ones too, by name.
    pub async fn tokens(&self) -> Result<Vec<crate::Token>, StoreError> {
        let client = self.client().await?;
        let rows = client.query(crate::token::SELECT, &[]).await?;
        rows.iter()
            .map(|r| {
                Ok(crate::Token {
                    name: r.try_get(0)?,
                    role: r.try_get(1)?,
                    secret_sha256: r.try_get(2)?,
                    created_at: r.try_get(3)?,
                    revoked_at: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// Stores a new token; a name or secret that exists is a conflict.
    pub async fn create_token(&self, token: &crate::Token) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "insert into token (name, role, secret_sha256, created_at, revoked_at) values ($1, $2, $3, $4, $5)",
                &[&token.name, &token.role, &token.secret_sha256, &token.created_at, &token.revoked_at],
            )
            .await
            .map_err(|e| {
                holding::conflict(e, || format!("a token named `{}` exists (names are never reused)", token.name))
            })?;
        Ok(())
    }

    /// Revokes the named token at `at`; `false` when there is no such live token.
    pub async fn revoke_token(&self, name: &str, at: &str) -> Result<bool, StoreError> {
        let client = self.client().await?;
        let changed = client
            .execute("update token set revoked_at = $2 where name = $1 and revoked_at is null", &[&name, &at])
            .await?;
        Ok(changed == 1)
    }

    /// The highest sequence number of the event log, `0` when it is empty.
    pub async fn last_sequence(&self) -> Result<i64, StoreError> {
        let client = self.client().await?;
        Ok(client.query_one("select coalesce(max(sequence), 0)::int8 from event", &[]).await?.try_get(0)?)
    }

    /// The current rows of the given parcels, units, projects, reservations and allocations, as a change that
    /// upserts them (kind `follow`); ids that no longer exist are left out.
    pub async fn records(&self, ids: &RecordIds) -> Result<Change, StoreError> {
        let mut client = self.client().await?;
        let tx =
            client.build_transaction().isolation_level(IsolationLevel::RepeatableRead).read_only(true).start().await?;
        let parcels = read_ids(&tx, &PARCEL, &ids.parcels, row::decode_parcel).await?;
        let buildings = read_ids(&tx, &BUILDING, &ids.buildings, row::decode_building).await?;
        let units = read_ids(&tx, &UNIT, &ids.units, row::decode_unit).await?;
        let mut projects = read_ids(&tx, &PROJECT, &ids.projects, row::decode_project).await?;
        if !projects.is_empty() {
            let wanted: Vec<i64> = projects.iter().map(|p| p.id.0).collect();
            for r in tx
                .query(
                    "select project_id, unit_id from project_unit where project_id = any($1) \
                     order by project_id, position",
                    &[&wanted],
                )
                .await?
            {
                let (project_id, unit_id): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
                if let Ok(slot) = projects.binary_search_by_key(&project_id, |p| p.id.0) {
                    projects[slot].units.push(UnitId(unit_id));
                }
            }
        }
        let (mut reservations, mut allocations) = if ids.reservations.is_empty() && ids.allocations.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            holding::read(&tx).await?
        };
        reservations.retain(|r| ids.reservations.contains(&r.id.0));
        allocations.retain(|a| ids.allocations.contains(&a.id.0));
        tx.commit().await?;
        Ok(Change {
            parcels,
            buildings,
            units,
            projects,
            reservations,
            allocations,
            lineage: Vec::new(),
            kind: "follow",
        })
    }

    /// Opens a connection of its own that listens to the change feed (`LISTEN landbank_events`).
    pub async fn listen(&self) -> Result<Notifications, StoreError> {
        let (client, mut connection) = self.config.connect(NoTls).await?;
        let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
            while let Some(message) = messages.next().await {
                match message {
                    Ok(AsyncMessage::Notification(n)) => {
                        if sender.send(n.payload().parse().unwrap_or(0)).is_err() {
                            return;
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "the change feed connection failed");
                        return;
                    }
                }
            }
        });
        client.batch_execute(&format!("listen {}", event::CHANNEL)).await?;
        Ok(Notifications { _client: client, receiver })
    }

    /// The row version of one record, `None` when the record does not exist or its layer keeps no versions
    /// (zones and points of interest).
    pub async fn row_version(&self, layer: Layer, record_id: i64) -> Result<Option<i64>, StoreError> {
        let table = crate::row::table(layer);
        if !table.versioned {
            return Ok(None);
        }
        let client = self.client().await?;
        let row =
            client.query_opt(&format!("select version from {} where fid = $1", table.name), &[&record_id]).await?;
        row.map(|r| r.try_get::<_, i32>(0).map(i64::from)).transpose().map_err(Into::into)
    }
}

/// The notifications of the change feed, on a connection of their own.
pub struct Notifications {
    /// Keeps the connection open; dropping it closes the connection.
    _client: tokio_postgres::Client,
    receiver: tokio::sync::mpsc::UnboundedReceiver<i64>,
}

impl std::fmt::Debug for Notifications {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Notifications").finish_non_exhaustive()
    }
}

impl Notifications {
    /// The sequence number of the last event of the next commit; `None` once the connection is lost.
    pub async fn next(&mut self) -> Option<i64> {
        self.receiver.recv().await
    }
}

async fn is_empty(client: &impl GenericClient) -> Result<bool, StoreError> {
    let sql = CONTENT_TABLES.map(|t| format!("not exists (select 1 from {t})")).join(" and ");
    Ok(client.query_one(&format!("select {sql}"), &[]).await?.try_get(0)?)
}

/// Reads a whole table, row by row, in id order.
async fn read<T>(
    tx: &Transaction<'_>,
    table: &Table,
    decode: fn(&Row) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let stmt = tx.prepare(&row::select_sql(table)).await?;
    let mut rows = pin!(tx.query_raw(&stmt, std::iter::empty::<i32>()).await?);
    let mut records = Vec::new();
    while let Some(r) = rows.try_next().await? {
        records.push(decode(&r)?);
    }
    Ok(records)
}

/// The rows of a table with the given ids, in id order.
async fn read_ids<T>(
    tx: &Transaction<'_>,
    table: &Table,
    ids: &[i64],
    decode: fn(&Row) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("select {} from {} where fid = any($1) order by fid", table.columns.join(", "), table.name);
    tx.query(&sql, &[&ids]).await?.iter().map(decode).collect()
}

/// Writes the records of one layer with binary `COPY` into a table the caller has emptied; a record whose id is in
/// `versions` gets the next version, any other version 1. A project's units go to `project_unit` with it.
async fn copy_layer(
    tx: &Transaction<'_>,
    parts: &InventoryParts,
    layer: Layer,
    versions: &HashMap<i64, i32>,
) -> Result<usize, StoreError> {
    let table = crate::row::table(layer);
    let mut columns = table.columns.to_vec();
    if table.versioned {
        columns.push("version");
    }
    let columns = columns.join(", ");
    let written = {
        let types = column_types(tx, table.name, &columns).await?;
        let sink = tx.copy_in(&format!("copy {} ({columns}) from stdin (format binary)", table.name)).await?;
        let mut writer = pin!(BinaryCopyInWriter::new(sink, &types));
        let mut written = 0;
        for (fid, mut values) in row::layer_rows(parts, layer) {
            if table.versioned {
                values.push(Box::new(versions.get(&fid).map_or(1, |v| v + 1)));
            }
            writer.as_mut().write(&row::params(&values)).await?;
            written += 1;
        }
        writer.finish().await?;
        written
    };
    if layer == Layer::Projects {
        let columns = "project_id, position, unit_id";
        let types = column_types(tx, "project_unit", columns).await?;
        let sink = tx.copy_in(&format!("copy project_unit ({columns}) from stdin (format binary)")).await?;
        let mut writer = pin!(BinaryCopyInWriter::new(sink, &types));
        for p in &parts.projects {
            for (position, unit) in p.units.iter().enumerate() {
                writer.as_mut().write(&[&p.id.0, &(position as i32), &unit.0]).await?;
            }
        }
        writer.finish().await?;
    }
    Ok(written)
}

/// The types of some columns of a table, as `COPY` needs them (geometry's type is the server's own).
async fn column_types(tx: &Transaction<'_>, table: &str, columns: &str) -> Result<Vec<Type>, StoreError> {
    let stmt = tx.prepare(&format!("select {columns} from {table} limit 0")).await?;
    Ok(stmt.columns().iter().map(|c| c.type_().clone()).collect())
}

/// Inserts or replaces records, bumping the version of each replaced one.
async fn upsert(
    tx: &Transaction<'_>,
    table: &Table,
    rows: impl Iterator<Item = row::Values>,
) -> Result<(), StoreError> {
    let mut stmt = None;
    for mut values in rows {
        let stmt = match &stmt {
            Some(stmt) => stmt,
            None => stmt.insert(tx.prepare_cached(&row::upsert_sql(table)).await?),
        };
        if table.versioned {
            values.push(Box::new(1_i32));
        }
        tx.execute(stmt, &row::params(&values)).await?;
    }
    Ok(())
}

/// The state a change was planned on: the last event a node applied from the feed, and the events it committed
/// itself after that (already part of its state).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Basis {
    pub applied: i64,
    pub own: Vec<i64>,
}

/// Refuses the change when an event after `basis` (not one of the node's own) is about one of its records, or
/// replaced a whole layer it touches.
async fn changed_since(tx: &Transaction<'_>, basis: &Basis, change: &Change) -> Result<(), StoreError> {
    let parcels: Vec<i64> = change.parcels.iter().map(|p| p.id.0).collect();
    let buildings: Vec<i64> = change.buildings.iter().map(|b| b.id.0).collect();
    let units: Vec<i64> = change.units.iter().map(|u| u.id.0).collect();
    let projects: Vec<i64> = change.projects.iter().map(|p| p.id.0).collect();
    let reservations: Vec<i64> = change.reservations.iter().map(|r| r.id.0).collect();
    let allocations: Vec<i64> = change.allocations.iter().map(|a| a.id.0).collect();
    let stmt = tx
        .prepare_cached(
            "select layer, record_id, sequence from event \
             where sequence > $1 and not (sequence = any($2)) \
               and ((layer = 'parcels' and (record_id = any($3) or (record_id is null and cardinality($3) > 0))) \
                 or (layer = 'units' and (record_id = any($4) or (record_id is null and cardinality($4) > 0))) \
                 or (layer = 'projects' and (record_id = any($5) or (record_id is null and cardinality($5) > 0))) \
                 or (layer = 'reservations' and record_id = any($6)) \
                 or (layer = 'allocations' and record_id = any($7)) \
                 or (layer = 'buildings' and (record_id = any($8) or (record_id is null and cardinality($8) > 0)))) \
             order by sequence limit 1",
        )
        .await?;
    let row = tx
        .query_opt(
            &stmt,
            &[&basis.applied, &basis.own, &parcels, &units, &projects, &reservations, &allocations, &buildings],
        )
        .await?;
    if let Some(row) = row {
        let layer: String = row.try_get(0)?;
        let record: Option<i64> = row.try_get(1)?;
        let sequence: i64 = row.try_get(2)?;
        let what = record.map_or_else(|| format!("the {layer} layer"), |id| format!("{layer} {id}"));
        return Err(StoreError::Conflict {
            reason: format!("{what} was changed by another node (event {sequence}) after this node planned; retry"),
        });
    }
    Ok(())
}
