//! Geometry on the wire to PostGIS: EWKB with SRID 4490 written by geozero's `wkb::Encode`, read back by
//! `wkb::Decode`, bit for bit.
//!
//! The SRID travels inside the EWKB, so one value serves prepared statements and binary `COPY` alike (`COPY` cannot
//! call `ST_SetSRID`), and PostGIS checks it against the column's `geometry(…, 4490)` type.

use geo::{Geometry, Polygon};
use geozero::wkb::{Decode, Encode};
use geozero::{GeomProcessor, GeozeroGeometry};

use crate::blob::SRS_ID;

/// A geometry in CGCS2000 longitude/latitude (EPSG:4490), as geozero's EWKB writer wants it: with its SRID.
#[derive(Debug)]
pub(crate) struct Cgcs2000(pub Geometry);

impl GeozeroGeometry for Cgcs2000 {
    fn process_geom<P: GeomProcessor>(&self, processor: &mut P) -> geozero::error::Result<()> {
        geozero::geo_types::process_geom(&self.0, processor)
    }

    fn srid(&self) -> Option<i32> {
        Some(SRS_ID)
    }
}

/// The parameter value of a geometry column.
pub(crate) fn encode(geometry: Geometry) -> Encode<Cgcs2000> {
    Encode(Cgcs2000(geometry))
}

/// The parameter value of a polygon column (geozero encodes `Geometry` values only, so the polygon is copied).
pub(crate) fn encode_polygon(polygon: &Polygon) -> Encode<Cgcs2000> {
    encode(Geometry::Polygon(polygon.clone()))
}

/// What a geometry column holds: `None` for NULL.
pub(crate) type Decoded = Decode<Geometry>;
