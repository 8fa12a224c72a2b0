//! The schema of a landbank GeoPackage: the numbered, forward-only migrations in `migrations/gpkg/` and the
//! checks that a file is a GeoPackage this build can use.

use std::path::Path;

use rusqlite::{Connection, ErrorCode, OptionalExtension};

use crate::StoreError;

/// `PRAGMA application_id` of a GeoPackage: the ASCII bytes `GPKG`.
pub const APPLICATION_ID: i64 = 0x4750_4B47;

/// `PRAGMA user_version` of a GeoPackage 1.4 file.
pub const GEOPACKAGE_VERSION: i64 = 10_400;

/// The newest landbank schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].version;

/// One step of the schema.
struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

/// Every migration, oldest first; versions count up from 1 without gaps. Version `n` is the file
/// `migrations/gpkg/{n:04}_{name}.sql` (a test checks that every file there is listed here).
const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "inventory", sql: include_str!("../../../migrations/gpkg/0001_inventory.sql") },
    Migration { version: 2, name: "idle_land", sql: include_str!("../../../migrations/gpkg/0002_idle_land.sql") },
    Migration { version: 3, name: "allocation", sql: include_str!("../../../migrations/gpkg/0003_allocation.sql") },
    Migration { version: 4, name: "token", sql: include_str!("../../../migrations/gpkg/0004_token.sql") },
];

/// Applies every migration newer than `from` and records each in `landbank_schema`. The caller holds the
/// transaction.
pub(crate) fn migrate(conn: &Connection, from: i64) -> Result<(), StoreError> {
    for migration in MIGRATIONS.iter().filter(|m| m.version > from) {
        if from > 0 {
            tracing::info!(version = migration.version, name = migration.name, "upgrading the store schema");
        }
        conn.execute_batch(migration.sql)?;
        conn.execute(
            "insert into landbank_schema (version, name) values (?1, ?2)",
            (migration.version, migration.name),
        )?;
    }
    Ok(())
}

/// Checks that an open file is a landbank GeoPackage this build can read, and returns its schema version.
pub(crate) fn check(conn: &Connection, path: &Path) -> Result<i64, StoreError> {
    let not_a_geopackage = || StoreError::NotAGeoPackage { path: path.to_owned() };
    let application_id: i64 = match conn.pragma_query_value(None, "application_id", |r| r.get(0)) {
        Ok(id) => id,
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::NotADatabase) => {
            return Err(not_a_geopackage());
        }
        Err(e) => return Err(e.into()),
    };
    if application_id != APPLICATION_ID {
        return Err(not_a_geopackage());
    }
    let has_schema_table = conn
        .query_row("select 1 from sqlite_master where type = 'table' and name = 'landbank_schema'", [], |_| Ok(()))
        .optional()?
        .is_some();
    if !has_schema_table {
        return Err(StoreError::NotALandbankStore { path: path.to_owned() });
    }
    let found: i64 = conn.query_row("select coalesce(max(version), 0) from landbank_schema", [], |r| r.get(0))?;
    if found < 1 {
        return Err(StoreError::NotALandbankStore { path: path.to_owned() });
    }
    if found > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew { found, supported: SCHEMA_VERSION });
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_count_up_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1);
        }
    }

    #[test]
    fn every_migration_file_is_applied_in_the_order_of_its_number() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations/gpkg");
        let mut files: Vec<(i64, String, String)> = std::fs::read_dir(&dir)
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
        let listed: Vec<(i64, &str)> = MIGRATIONS.iter().map(|m| (m.version, m.name)).collect();
        let found: Vec<(i64, &str)> = files.iter().map(|(v, name, _)| (*v, name.as_str())).collect();
        assert_eq!(listed, found, "every file in migrations/gpkg must be listed in MIGRATIONS, in order");
        for (migration, (_, _, sql)) in MIGRATIONS.iter().zip(&files) {
            assert_eq!(migration.sql, sql, "migration {} is compiled from its file", migration.version);
        }
    }

    #[test]
    fn the_application_id_spells_gpkg() {
        assert_eq!(&APPLICATION_ID.to_be_bytes()[4..], b"GPKG");
    }
}
