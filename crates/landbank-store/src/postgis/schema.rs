//! The schema of a landbank PostgreSQL database: the numbered, forward-only migrations in `migrations/postgres/`
//! and the runner that applies them, one node at a time.

use tokio_postgres::Client;

use crate::StoreError;

/// The newest PostgreSQL schema version this build writes and reads.
pub const POSTGIS_SCHEMA_VERSION: i32 = MIGRATIONS[MIGRATIONS.len() - 1].version;

/// The advisory lock key the runner holds while it migrates: the ASCII bytes of `landbank`. Every node that
/// starts at the same time waits for the first one, then finds the schema current.
const MIGRATION_LOCK: i64 = 0x6c61_6e64_6261_6e6b;

/// One step of the schema.
struct Migration {
    version: i32,
    name: &'static str,
    sql: &'static str,
}

/// Every migration, oldest first; versions count up from 1 without gaps. Version `n` is the file
/// `migrations/postgres/{n:04}_{name}.sql` (a test checks that every file there is listed here).
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "inventory",
        sql: include_str!("../../../../migrations/postgres/0001_inventory.sql"),
    },
    Migration { version: 2, name: "token", sql: include_str!("../../../../migrations/postgres/0002_token.sql") },
];

/// Brings the database's schema up to [`POSTGIS_SCHEMA_VERSION`] and returns the versions applied (none when it
/// was current).
///
/// Everything happens in one transaction that first takes an advisory lock, so two nodes starting at once apply
/// each migration once, and a failed migration leaves the schema as it was.
///
/// # Errors
///
/// [`StoreError::SchemaTooNew`] when a newer landbank has migrated the database; a database error when a
/// migration fails (for example because the `postgis` extension is not installed on the server).
pub(crate) async fn migrate(client: &mut Client) -> Result<Vec<i32>, StoreError> {
    let tx = client.transaction().await?;
    tx.execute("select pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
    // "extension already exists, skipping" and the like are not news.
    tx.batch_execute("set local client_min_messages = warning").await?;
    tx.batch_execute(
        "create table if not exists landbank_schema (\
           version integer primary key, \
           name text not null, \
           applied_at timestamptz not null default now())",
    )
    .await?;
    let found: i32 = tx.query_one("select coalesce(max(version), 0) from landbank_schema", &[]).await?.get(0);
    if found > POSTGIS_SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew { found: found.into(), supported: POSTGIS_SCHEMA_VERSION.into() });
    }
    let mut applied = Vec::new();
    for migration in MIGRATIONS.iter().filter(|m| m.version > found) {
        tracing::info!(version = migration.version, name = migration.name, "migrating the database schema");
        tx.batch_execute(migration.sql).await?;
        tx.execute(
            "insert into landbank_schema (version, name) values ($1, $2)",
            &[&migration.version, &migration.name],
        )
        .await?;
        applied.push(migration.version);
    }
    tx.commit().await?;
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn migrations_count_up_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i32::try_from(i).expect("few migrations") + 1);
        }
    }

    #[test]
    fn every_postgres_migration_file_is_applied_in_the_order_of_its_number() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations/postgres");
        let mut files: Vec<(i32, String, String)> = std::fs::read_dir(&dir)
            .expect("the migrations folder")
            .map(|entry| entry.expect("an entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "sql"))
            .map(|path| {
                let stem = path.file_stem().and_then(|s| s.to_str()).expect("a file name").to_owned();
                let (number, name) = stem.split_once('_').expect("named NNNN_name.sql");
                let sql = std::fs::read_to_string(&path).expect("readable");
                (number.parse().expect("a numbered file"), name.to_owned(), sql)
            })
            .collect();
        files.sort();
        let listed: Vec<(i32, &str)> = MIGRATIONS.iter().map(|m| (m.version, m.name)).collect();
        let found: Vec<(i32, &str)> = files.iter().map(|(v, name, _)| (*v, name.as_str())).collect();
        assert_eq!(listed, found, "every file in migrations/postgres must be listed in MIGRATIONS, in order");
        for (migration, (_, _, sql)) in MIGRATIONS.iter().zip(&files) {
            assert_eq!(migration.sql, sql, "migration {} is compiled from its file", migration.version);
        }
    }

    #[test]
    fn postgres_migrations_are_lowercase_sql() {
        for m in MIGRATIONS {
            for line in m.sql.lines() {
                let code = line.split("--").next().unwrap_or("");
                let shouting = code.split(|c: char| !c.is_ascii_alphabetic()).any(|w| {
                    w.len() > 1 && w.chars().all(|c| c.is_ascii_uppercase()) && !matches!(w, "II" | "III" | "GB")
                });
                assert!(!shouting, "migration {}: keep SQL lowercase: {line}", m.version);
            }
        }
    }
}
