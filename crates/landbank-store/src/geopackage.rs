//! The embedded store: one GeoPackage 1.4 file holding the inventory layers, their R-tree indexes and the event
//! log, readable by GDAL and QGIS.

use std::fs::OpenOptions;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::Duration;

use landbank_inventory::{Change, InventoryParts, Layer};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};

use crate::blob::Envelope;
use crate::event::{self, Event, NewEvent};
use crate::row::{self, Versions};
use crate::{Idempotent, StoreError, commit, function, holding, schema};

/// How long a statement waits for another connection's write lock before failing with "database is locked".
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The page cache of a connection, as SQLite's `cache_size` takes it: negative means KiB.
const CACHE_KIB: i64 = -65_536;

/// The page cache while the whole store is read once (SQLite's default size).
const READ_CACHE_KIB: i64 = -2_000;

/// An open landbank GeoPackage.
///
/// Every method is synchronous; async callers run them on a blocking thread. Every write is one transaction.
#[derive(Debug)]
pub struct GeoPackage {
    path: PathBuf,
    conn: Connection,
}

impl GeoPackage {
    /// Creates a new file at `path` holding every record of `parts`, in one transaction.
    ///
    /// Fails with [`StoreError::Exists`] when `path` exists. When anything fails, no file is left behind.
    pub fn create(path: &Path, parts: &InventoryParts) -> Result<GeoPackage, StoreError> {
        // Claim the path atomically: SQLite itself would happily open an existing database.
        OpenOptions::new().write(true).create_new(true).open(path).map_err(|source| match source.kind() {
            ErrorKind::AlreadyExists => StoreError::Exists { path: path.to_owned() },
            _ => StoreError::Io { path: path.to_owned(), source },
        })?;
        Self::initialize(path, parts).inspect_err(|_| remove_database_files(path))
    }

    fn initialize(path: &Path, parts: &InventoryParts) -> Result<GeoPackage, StoreError> {
        let mut conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|source| StoreError::Open { path: path.to_owned(), source })?;
        configure(&conn)?;
        let tx = conn.transaction()?;
        schema::migrate(&tx, 0)?;
        write_inventory(&tx, parts)?;
        tx.commit()?;
        Ok(GeoPackage { path: path.to_owned(), conn })
    }

    /// Writes every record of `parts` — layers, reservations, allocations and their holds — into this store,
    /// which must be empty ([`GeoPackage::is_empty`]), in one transaction.
    ///
    /// Fails with [`StoreError::NotEmpty`] when the store holds any record or event.
    pub fn fill(&mut self, parts: &InventoryParts) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        if !is_empty(&tx)? {
            return Err(StoreError::NotEmpty);
        }
        write_inventory(&tx, parts)?;
        tx.commit()?;
        Ok(())
    }

    /// Whether the store holds no record of any layer, no reservation or allocation, and no event.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        is_empty(&self.conn)
    }

    /// Opens an existing landbank GeoPackage, upgrading its schema when it is older than this build's.
    ///
    /// Fails with [`StoreError::NotAGeoPackage`] for any other file, [`StoreError::NotALandbankStore`] for a
    /// GeoPackage written by another program, and [`StoreError::SchemaTooNew`] for a file from a newer landbank.
    pub fn open(path: &Path) -> Result<GeoPackage, StoreError> {
        let mut conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|source| StoreError::Open { path: path.to_owned(), source })?;
        let version = schema::check(&conn, path)?;
        configure(&conn)?;
        if version < schema::SCHEMA_VERSION {
            let tx = conn.transaction()?;
            schema::migrate(&tx, version)?;
            tx.commit()?;
        }
        Ok(GeoPackage { path: path.to_owned(), conn })
    }

    /// The file this store writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads every record of every layer from one consistent snapshot. Each layer comes back sorted by id.
    ///
    /// The parcels are read on a second connection, in parallel with the other layers. Both read the same state:
    /// this connection takes the write lock first (`BEGIN IMMEDIATE`, waiting for a writer as any write does), so
    /// nothing can commit until the second connection's read transaction has read what it needs.
    pub fn load(&self) -> Result<InventoryParts, StoreError> {
        let parcels =
            Connection::open_with_flags(&self.path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|source| StoreError::Open { path: self.path.clone(), source })?;
        function::register_sql_functions(&parcels)?;
        // One pass over every row gains nothing from a large page cache, and filling one costs fresh memory.
        parcels.pragma_update(None, "cache_size", READ_CACHE_KIB)?;
        self.conn.pragma_update(None, "cache_size", READ_CACHE_KIB)?;
        let read = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(StoreError::from)
            .and_then(|tx| {
                let parts = row::read_all(&tx, parcels)?;
                tx.commit()?;
                Ok(parts)
            });
        self.conn.pragma_update(None, "cache_size", CACHE_KIB)?;
        read
    }

    /// Replaces every row of one layer with that layer's records in `parts` (the other layers of `parts` are
    /// ignored) and appends one `import` event, in one transaction. Returns the number of records written.
    ///
    /// A record whose id was already present gets the next row version; a new one starts at version 1. When
    /// anything fails, the layer keeps its old rows.
    pub fn replace_layer(
        &mut self,
        parts: &InventoryParts,
        layer: Layer,
        actor: &str,
        at: &str,
    ) -> Result<usize, StoreError> {
        event::timestamp(at)?;
        let table = row::table(layer);
        let tx = self.conn.transaction()?;
        let before: i64 = tx.query_row(&format!("select count(*) from {}", table.name), [], |r| r.get(0))?;
        let versions = Versions::read(&tx, table)?;
        if layer == Layer::Projects {
            tx.execute("delete from project_unit", [])?;
        }
        tx.execute(&format!("delete from {}", table.name), [])?;
        let written = row::write(&tx, parts, layer, &versions)?;
        update_contents(&tx, layer, written.envelope, Some(at))?;
        let (before, after) = (format!("{{\"count\":{before}}}"), format!("{{\"count\":{}}}", written.rows));
        event::append(
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
        )?;
        tx.commit()?;
        Ok(written.rows)
    }

    /// Commits a change in one transaction: its records (replacing rows with the same id, with the next row
    /// version), reservations, allocations and holds, the given events, and the answer to remember for an
    /// idempotency key. Returns the events' sequence numbers. Nothing is written when anything fails.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] when the database refuses a double booking (a parcel or unit already held);
    /// other errors when SQLite fails.
    pub fn commit(
        &mut self,
        change: &Change,
        events: &[NewEvent<'_>],
        idempotent: Option<&Idempotent>,
    ) -> Result<Vec<i64>, StoreError> {
        let tx = self.conn.transaction()?;
        let sequences = commit::commit(&tx, change, events, idempotent)?;
        tx.commit()?;
        Ok(sequences)
    }

    /// The answer remembered for an idempotency key, if a committed request carried it.
    pub fn remembered(&self, key: &str) -> Result<Option<Idempotent>, StoreError> {
        commit::remembered(&self.conn, key)
    }

    /// Every event about one record of a layer, oldest first: its history.
    pub fn history(&self, layer: Layer, record_id: i64) -> Result<Vec<Event>, StoreError> {
        event::about(&self.conn, layer.code(), record_id)
    }

    /// The row version of one record, `None` when the record does not exist or its layer keeps no versions
    /// (zones and points of interest). A record starts at version 1; every write of it adds one.
    pub fn row_version(&self, layer: Layer, record_id: i64) -> Result<Option<i64>, StoreError> {
        let table = row::table(layer);
        if !table.versioned {
            return Ok(None);
        }
        let sql = format!("select version from {} where fid = ?1", table.name);
        Ok(self.conn.query_row(&sql, [record_id], |r| r.get(0)).optional()?)
    }

    /// Appends events exactly as another store recorded them, sequence numbers included, in one transaction
    /// (used to copy a store). Each sequence number must be above every one the log holds.
    pub fn restore_events(&mut self, events: &[Event]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        event::restore(&tx, events)?;
        tx.commit()?;
        Ok(())
    }

    /// Appends an event to the log and returns its sequence number.
    pub fn append_event(&mut self, event: &NewEvent<'_>) -> Result<i64, StoreError> {
        event::append(&self.conn, event)
    }

    /// Up to `limit` events with a sequence number above `after_sequence`, in sequence order; `0` reads from the
    /// start.
    pub fn events(&self, after_sequence: i64, limit: usize) -> Result<Vec<Event>, StoreError> {
        event::after(&self.conn, after_sequence, limit)
    }

    /// Every bearer token, revoked ones too, by name.
    pub fn tokens(&self) -> Result<Vec<crate::Token>, StoreError> {
        let mut stmt = self.conn.prepare_cached(crate::token::SELECT)?;
        let rows = stmt.query_map([], |r| {
            Ok(crate::Token {
                name: r.get(0)?,
                role: r.get(1)?,
                secret_sha256: r.get(2)?,
                created_at: r.get(3)?,
                revoked_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Stores a new token; a name that exists (even revoked) is a conflict.
    pub fn create_token(&self, token: &crate::Token) -> Result<(), StoreError> {
        self.conn
            .execute(
                "insert into token (name, role, secret_sha256, created_at, revoked_at) values (?1, ?2, ?3, ?4, ?5)",
                (&token.name, &token.role, &token.secret_sha256, &token.created_at, &token.revoked_at),
            )
            .map_err(|e| {
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
                    crate::token::already(&token.name)
                } else {
                    e.into()
                }
            })?;
        Ok(())
    }

    /// Revokes the named token at `at`; `false` when there is no such live token.
    pub fn revoke_token(&self, name: &str, at: &str) -> Result<bool, StoreError> {
        let changed =
            self.conn.execute("update token set revoked_at = ?2 where name = ?1 and revoked_at is null", (name, at))?;
        Ok(changed == 1)
    }

    /// The highest sequence number of the event log, `0` when it is empty.
    pub fn last_sequence(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("select coalesce(max(sequence), 0) from event", [], |r| r.get(0))?)
    }

    /// Checks that the file answers a query.
    pub fn ping(&self) -> Result<(), StoreError> {
        self.conn.query_row("select 1", [], |_| Ok(()))?;
        Ok(())
    }

    /// The messages of `PRAGMA integrity_check`: `["ok"]` when the file is sound.
    pub fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare("pragma integrity_check")?;
        let messages = stmt.query_map([], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?;
        Ok(messages)
    }
}

/// Writes every layer and the reservations and allocations of `parts` into empty tables. The caller holds the
/// transaction.
fn write_inventory(conn: &Connection, parts: &InventoryParts) -> Result<(), StoreError> {
    for &layer in Layer::ALL {
        let written = row::write(conn, parts, layer, &Versions::default())?;
        update_contents(conn, layer, written.envelope, None)?;
    }
    holding::write_all(conn, &parts.reservations, &parts.allocations)
}

fn is_empty(conn: &Connection) -> Result<bool, StoreError> {
    let tables = ["zone", "parcel", "building", "unit", "project", "poi", "reservation", "allocation", "event"];
    let sql = tables.map(|t| format!("not exists (select 1 from {t})")).join(" and ");
    Ok(conn.query_row(&format!("select {sql}"), [], |r| r.get(0))?)
}

/// Registers the SQL functions and sets the pragmas every connection needs.
fn configure(conn: &Connection) -> Result<(), StoreError> {
    function::register_sql_functions(conn)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(%mode, "the file system refused write-ahead logging");
    }
    conn.pragma_update(None, "synchronous", "full")?;
    conn.pragma_update(None, "foreign_keys", "on")?;
    // Statement journals (every insert that fires an R-tree trigger needs one) stay in memory instead of a temp
    // file, and a bigger page cache keeps bulk writes from spilling: together they make `create` several times
    // faster.
    conn.pragma_update(None, "temp_store", "memory")?;
    conn.pragma_update(None, "cache_size", CACHE_KIB)?;
    Ok(())
}

/// Records a layer's new extent (and, when given, the time of the change) in `gpkg_contents`.
fn update_contents(
    conn: &Connection,
    layer: Layer,
    envelope: Option<Envelope>,
    at: Option<&str>,
) -> Result<(), StoreError> {
    let last_change = at.map(event::timestamp).transpose()?.map(|t| t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string());
    let tables: &[&str] = match layer {
        Layer::Projects => &["project", "project_unit"],
        _ => &[row::table(layer).name],
    };
    for table in tables {
        conn.execute(
            "update gpkg_contents set min_x = ?2, min_y = ?3, max_x = ?4, max_y = ?5, \
             last_change = coalesce(?6, last_change) where table_name = ?1",
            (
                table,
                envelope.map(|e| e.min_x),
                envelope.map(|e| e.min_y),
                envelope.map(|e| e.max_x),
                envelope.map(|e| e.max_y),
                &last_change,
            ),
        )?;
    }
    Ok(())
}

/// Removes a database file and the journal files SQLite may have made next to it.
fn remove_database_files(path: &Path) {
    let mut paths = vec![path.to_owned()];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        paths.push(PathBuf::from(name));
    }
    for p in paths {
        if let Err(e) = std::fs::remove_file(&p)
            && e.kind() != ErrorKind::NotFound
        {
            tracing::warn!(path = %p.display(), error = %e, "cannot remove a partly created store");
        }
    }
}
