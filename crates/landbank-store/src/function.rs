//! The SQL functions the GeoPackage R-tree triggers call (`ST_IsEmpty`, `ST_MinX`, `ST_MaxX`, `ST_MinY`,
//! `ST_MaxY`), registered on every connection the store opens.
//!
//! Like GDAL's versions, they return NULL for NULL and for a blob that is not a GeoPackage geometry, so such a
//! row is left out of the spatial index instead of failing the statement; `load` reports it.

use rusqlite::Connection;
use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::ValueRef;

use crate::blob::{self, Envelope};

/// Registers `ST_IsEmpty`, `ST_MinX`, `ST_MaxX`, `ST_MinY` and `ST_MaxY` on a connection.
///
/// Every statement that writes a feature table of a GeoPackage fires the R-tree triggers, which call these
/// functions; a connection without them fails with "no such function: `ST_IsEmpty`". The store registers them on
/// its own connections; call this on any other connection that writes to a landbank GeoPackage.
pub fn register_sql_functions(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function("ST_IsEmpty", 1, flags, |ctx| Ok(blob_arg(ctx).and_then(|b| blob::is_empty(b).ok())))?;
    let bound = |pick: fn(&Envelope) -> f64| {
        move |ctx: &mut Context<'_>| -> rusqlite::Result<Option<f64>> {
            Ok(blob_arg(ctx).and_then(|b| blob::extent(b).ok().flatten()).map(|e| pick(&e)))
        }
    };
    conn.create_scalar_function("ST_MinX", 1, flags, bound(|e| e.min_x))?;
    conn.create_scalar_function("ST_MaxX", 1, flags, bound(|e| e.max_x))?;
    conn.create_scalar_function("ST_MinY", 1, flags, bound(|e| e.min_y))?;
    conn.create_scalar_function("ST_MaxY", 1, flags, bound(|e| e.max_y))?;
    Ok(())
}

/// The first argument when it is a blob.
fn blob_arg<'a>(ctx: &'a Context<'_>) -> Option<&'a [u8]> {
    match ctx.get_raw(0) {
        ValueRef::Blob(b) => Some(b),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Geometry, Point};

    #[test]
    fn the_functions_read_the_envelope_of_a_blob() {
        let conn = Connection::open_in_memory().unwrap();
        register_sql_functions(&conn).unwrap();
        let (blob, _) = blob::encode(&Geometry::Point(Point::new(108.25, 21.5))).unwrap();
        let row: (Option<bool>, f64, f64, f64, f64) = conn
            .query_row("select ST_IsEmpty(?1), ST_MinX(?1), ST_MaxX(?1), ST_MinY(?1), ST_MaxY(?1)", [&blob], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap();
        assert_eq!(row, (Some(false), 108.25, 108.25, 21.5, 21.5));
    }

    #[test]
    fn the_functions_answer_null_for_null_and_garbage() {
        let conn = Connection::open_in_memory().unwrap();
        register_sql_functions(&conn).unwrap();
        let row: (Option<bool>, Option<f64>) =
            conn.query_row("select ST_IsEmpty(null), ST_MinX(x'00ff')", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        assert_eq!(row, (None, None));
    }
}
