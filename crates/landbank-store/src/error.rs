//! Errors of the store: what went wrong reading or writing a durable inventory.

use std::path::PathBuf;

impl StoreError {
    /// Whether the database could not be reached (refused or lost connection, server shutting down): the
    /// operation may succeed when it is retried later, unlike a refused statement.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Connect(_) => true,
            StoreError::Postgres(e) => {
                e.is_closed()
                    || e.code().is_some_and(|c| {
                        let code = c.code();
                        code.starts_with("08") || code.starts_with("57P") || code == "55000"
                    })
                    || std::error::Error::source(e).is_some_and(<dyn std::error::Error>::is::<std::io::Error>)
            }
            _ => false,
        }
    }
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused a statement (constraint, I/O, lock…).
    #[error("database statement failed")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL refused a statement, or the connection broke while it ran.
    #[error("postgresql statement failed")]
    Postgres(#[from] tokio_postgres::Error),
    /// The database URL cannot be read as a PostgreSQL connection string.
    #[error("invalid database url")]
    InvalidUrl(#[source] tokio_postgres::Error),
    /// No connection to PostgreSQL could be had from the pool (the server is down, refuses us, or is too busy).
    #[error("cannot connect to the database")]
    Connect(#[source] deadpool_postgres::PoolError),
    /// The connection pool could not be set up.
    #[error("cannot build the connection pool")]
    Pool(#[source] deadpool_postgres::BuildError),
    /// A store task on the blocking thread pool panicked or was cancelled.
    #[error("store task failed")]
    Task(#[source] tokio::task::JoinError),
    /// The store already holds an inventory or events; filling or copying into it would mix two inventories.
    #[error("the store is not empty")]
    NotEmpty,
    /// The file system refused to create the file.
    #[error("cannot create {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// SQLite could not open the file (missing, unreadable, locked).
    #[error("cannot open {}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    /// `create` was given a path that exists; the store never overwrites a file.
    #[error("{} already exists", path.display())]
    Exists { path: PathBuf },
    /// The file is not an SQLite database with the GeoPackage application id.
    #[error("{} is not a geopackage", path.display())]
    NotAGeoPackage { path: PathBuf },
    /// The file is a GeoPackage, but not one written by landbank (no `landbank_schema` table).
    #[error("{} is a geopackage without the landbank schema", path.display())]
    NotALandbankStore { path: PathBuf },
    /// The file or database was written by a newer landbank with a schema this build does not know.
    #[error("schema version {found} is newer than the supported version {supported}")]
    SchemaTooNew { found: i64, supported: i64 },
    /// The database refused a record's row (a duplicate id, a NOT NULL column…); the transaction was rolled back.
    #[error("{table} {fid}: row rejected")]
    Rejected {
        table: &'static str,
        fid: i64,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A geometry blob could not be written or read, or has the wrong geometry type for its table.
    #[error("{table} {fid}: bad geometry: {reason}")]
    Geometry { table: &'static str, fid: i64, reason: String },
    /// A stored value cannot be a field of the record (unknown enumeration code, bad date, out-of-range number).
    #[error("{table} {fid}: {reason}")]
    Corrupt { table: &'static str, fid: i64, reason: String },
    /// The database refused the change because it conflicts with the state it holds (a double booking).
    #[error("conflict: {reason}")]
    Conflict { reason: String },
    /// An event time that is not an RFC 3339 timestamp.
    #[error("event time `{at}` is not an rfc 3339 timestamp")]
    InvalidTimestamp { at: String },
}
