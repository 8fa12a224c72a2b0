//! Throw-away PostgreSQL databases for tests: each test gets its own `landbank_test_<random>` database (with
//! PostGIS and `btree_gist`) on the server named by `LANDBANK_TEST_DATABASE_URL`, dropped when the test ends, so
//! tests run in parallel without seeing each other's rows.
//!
//! Without the variable the PostGIS tests print a note and pass, except under `CI=true`, where a missing database
//! is a failure: CI must never skip them.

use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};

use tokio_postgres::NoTls;

use crate::StoreError;

/// The environment variable naming the server tests may create databases on, e.g.
/// `postgres://postgres@127.0.0.1:5432/test` (the user must be allowed to create databases and extensions).
pub const TEST_DATABASE_URL: &str = "LANDBANK_TEST_DATABASE_URL";

/// A database that exists from [`ScratchDatabase::create`] until the value is dropped.
#[derive(Debug)]
pub struct ScratchDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl ScratchDatabase {
    /// A fresh database on the server of `LANDBANK_TEST_DATABASE_URL`, or `None` (after a note on standard error)
    /// when the variable is not set.
    ///
    /// # Panics
    ///
    /// When the variable is not set and `CI` is `true`, and when the database cannot be created.
    pub fn from_env() -> Option<ScratchDatabase> {
        let Ok(url) = std::env::var(TEST_DATABASE_URL) else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{TEST_DATABASE_URL} is not set; CI must provide a PostgreSQL server with PostGIS (see .ci/run)"
            );
            eprintln!("note: {TEST_DATABASE_URL} is not set; skipping a PostGIS test");
            return None;
        };
        match ScratchDatabase::create(&url) {
            Ok(db) => Some(db),
            Err(e) => panic!("cannot create a test database on {TEST_DATABASE_URL}: {}", chain(&e)),
        }
    }

    /// Creates a database named `landbank_test_<random>` through the server at `admin_url`, with the `postgis`
    /// and `btree_gist` extensions.
    ///
    /// # Panics
    ///
    /// When `admin_url` is a connection string of `key=value` pairs rather than a URL.
    pub fn create(admin_url: &str) -> Result<ScratchDatabase, StoreError> {
        let name = format!("landbank_test_{:016x}", random());
        admin_url.parse::<tokio_postgres::Config>().map_err(StoreError::InvalidUrl)?;
        let url = with_database(admin_url, &name)
            .unwrap_or_else(|| panic!("{TEST_DATABASE_URL} must be a postgres:// url, not key=value pairs"));
        run(admin_url, format!("create database {name}"))?;
        let db = ScratchDatabase { admin_url: admin_url.to_owned(), name, url };
        run(&db.url, "create extension if not exists postgis; create extension if not exists btree_gist".into())?;
        Ok(db)
    }

    /// The URL of the database, for `PostGis::connect` or `landbank --database-url`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Runs statements through the server's admin connection (not this database), e.g. to refuse connections
    /// to it for a while: `alter database <name> with allow_connections false`.
    pub fn run_as_admin(&self, sql: &str) -> Result<(), StoreError> {
        run(&self.admin_url, sql.to_owned())
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        // A test may have left it refusing connections; `drop … with (force)` works either way.
        if let Err(e) = run(&self.admin_url, format!("drop database if exists {} with (force)", self.name)) {
            eprintln!("warning: cannot drop test database {}: {}", self.name, chain(&e));
        }
    }
}

/// Runs statements on a private thread with its own runtime, so that sync and async tests alike can create and
/// drop databases (a runtime cannot be blocked on from inside another).
fn run(url: &str, sql: String) -> Result<(), StoreError> {
    let url = url.to_owned();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
        runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(&url, NoTls).await?;
            let connection = tokio::spawn(connection);
            let result = client.batch_execute(&sql).await;
            drop(client);
            let _ = connection.await;
            result.map_err(StoreError::from)
        })
    })
    .join()
    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// A random number: a fresh hasher seed, a clock and a counter, mixed.
fn random() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    RandomState::new().hash_one((nanos, std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed)))
}

/// `url` with its database name replaced by `name`; `None` when it is not a `postgres://` URL.
fn with_database(url: &str, name: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "postgres" && scheme != "postgresql" {
        return None;
    }
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let query = tail.find('?').map_or("", |i| &tail[i..]);
    Some(format!("{scheme}://{authority}/{name}{query}"))
}

/// An error with its sources, for a test's panic message.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_name_of_a_url_is_replaced() {
        let url = |u: &str| with_database(u, "landbank_test_1");
        assert_eq!(
            url("postgres://postgres@127.0.0.1:5432/test").as_deref(),
            Some("postgres://postgres@127.0.0.1:5432/landbank_test_1")
        );
        assert_eq!(
            url("postgresql://u:p@h/test?sslmode=disable").as_deref(),
            Some("postgresql://u:p@h/landbank_test_1?sslmode=disable")
        );
        assert_eq!(url("postgres://h").as_deref(), Some("postgres://h/landbank_test_1"));
        assert_eq!(
            url("postgres://h?application_name=x").as_deref(),
            Some("postgres://h/landbank_test_1?application_name=x")
        );
        assert_eq!(url("host=localhost dbname=test"), None);
    }

    #[test]
    fn random_names_differ() {
        assert_ne!(random(), random());
    }
}
