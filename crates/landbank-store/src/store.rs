//! The one store the rest of the program uses: a GeoPackage file or a PostgreSQL + PostGIS database behind the
//! same async operations, and the [`Location`] that names either.
//!
//! The GeoPackage is synchronous; its operations run on tokio's blocking thread pool, one at a time behind a
//! mutex. PostGIS operations are async all the way down and share a connection pool.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use landbank_inventory::{Change, InventoryParts, Layer};

use crate::{Basis, Event, GeoPackage, Idempotent, NewEvent, Notifications, PostGis, StoreError};

/// How many events `copy` moves per transaction.
const COPY_BATCH: usize = 10_000;

/// Where an inventory is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A GeoPackage file.
    GeoPackage(PathBuf),
    /// A PostgreSQL database with PostGIS, as a `postgres://` URL.
    PostGis(String),
}

impl Location {
    /// Reads a location as people write it: a `postgres://` or `postgresql://` URL names a database, anything
    /// else a GeoPackage file.
    pub fn parse(text: &str) -> Location {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Location::PostGis(text.to_owned())
        } else {
            Location::GeoPackage(PathBuf::from(text))
        }
    }
}

/// A file path as it is; a database URL without its password, so that it can be logged.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::GeoPackage(path) => write!(f, "{}", path.display()),
            Location::PostGis(url) => f.write_str(&redact_password(url)),
        }
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((user_info, host)) => match user_info.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// What [`Store::copy_to`] moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Copied {
    pub zones: usize,
    pub parcels: usize,
    pub buildings: usize,
    pub units: usize,
    pub projects: usize,
    pub pois: usize,
    pub reservations: usize,
    pub allocations: usize,
    pub events: usize,
}

/// The records a batch of events is about, by layer: what a node that follows the change feed reloads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordIds {
    pub parcels: Vec<i64>,
    pub buildings: Vec<i64>,
    pub units: Vec<i64>,
    pub projects: Vec<i64>,
    pub reservations: Vec<i64>,
    pub allocations: Vec<i64>,
}

impl RecordIds {
    /// The records `events` changed, each once; `None` when an event is about a whole layer (an import) or a
    /// layer a change cannot carry, so that only reloading everything brings a node up to date.
    pub fn of(events: &[Event]) -> Option<RecordIds> {
        let mut ids = RecordIds::default();
        for e in events {
            let list = match e.layer.as_str() {
                "parcels" => &mut ids.parcels,
                "buildings" => &mut ids.buildings,
                "units" => &mut ids.units,
                "projects" => &mut ids.projects,
                "reservations" => &mut ids.reservations,
                "allocations" => &mut ids.allocations,
                _ => return None,
            };
            list.push(e.record_id?);
        }
        for list in [
            &mut ids.parcels,
            &mut ids.buildings,
            &mut ids.units,
            &mut ids.projects,
            &mut ids.reservations,
            &mut ids.allocations,
        ] {
            list.sort_unstable();
            list.dedup();
        }
        Some(ids)
    }
}

/// A durable inventory: the embedded GeoPackage or a shared PostGIS database. Cheap to clone: clones share the
/// file (and its lock) or the connection pool.
#[derive(Debug, Clone)]
pub enum Store {
    GeoPackage(Arc<Mutex<GeoPackage>>),
    PostGis(PostGis),
}

impl From<GeoPackage> for Store {
    fn from(gpkg: GeoPackage) -> Store {
        Store::GeoPackage(Arc::new(Mutex::new(gpkg)))
    }
}

impl From<PostGis> for Store {
    fn from(db: PostGis) -> Store {
        Store::PostGis(db)
    }
}

/// Runs `f` with the GeoPackage on the blocking pool.
async fn blocking<T: Send + 'static>(
    gpkg: &Arc<Mutex<GeoPackage>>,
    f: impl FnOnce(&mut GeoPackage) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    let gpkg = Arc::clone(gpkg);
    tokio::task::spawn_blocking(move || f(&mut gpkg.lock().unwrap_or_else(PoisonError::into_inner)))
        .await
        .map_err(StoreError::Task)?
}

/// An event to append, owned so that it can move to the blocking pool.
struct OwnedEvent {
    at: String,
    actor: String,
    kind: String,
    layer: String,
    record_id: Option<i64>,
    before: Option<String>,
    after: Option<String>,
}

impl OwnedEvent {
    fn of(e: &NewEvent<'_>) -> OwnedEvent {
        OwnedEvent {
            at: e.at.to_owned(),
            actor: e.actor.to_owned(),
            kind: e.kind.to_owned(),
            layer: e.layer.to_owned(),
            record_id: e.record_id,
            before: e.before.map(str::to_owned),
            after: e.after.map(str::to_owned),
        }
    }

    fn borrow(&self) -> NewEvent<'_> {
        NewEvent {
            at: &self.at,
            actor: &self.actor,
            kind: &self.kind,
            layer: &self.layer,
            record_id: self.record_id,
            before: self.before.as_deref(),
            after: self.after.as_deref(),
        }
    }
}

/// The records of one layer of `parts`, with the other layers empty.
fn layer_of(parts: &InventoryParts, layer: Layer) -> InventoryParts {
    let mut only = InventoryParts::default();
    match layer {
        Layer::Zones => only.zones.clone_from(&parts.zones),
        Layer::Parcels => only.parcels.clone_from(&parts.parcels),
        Layer::Buildings => only.buildings.clone_from(&parts.buildings),
        Layer::Units => only.units.clone_from(&parts.units),
        Layer::Projects => only.projects.clone_from(&parts.projects),
        Layer::Pois => only.pois.clone_from(&parts.pois),
    }
    only
}

impl Store {
    /// Opens the inventory at `location`: an existing GeoPackage (upgraded when its schema is older), or a
    /// database, migrated to this build's schema.
    pub async fn open(location: &Location) -> Result<Store, StoreError> {
        match location {
            Location::GeoPackage(path) => {
                let path = path.clone();
                let gpkg =
                    tokio::task::spawn_blocking(move || GeoPackage::open(&path)).await.map_err(StoreError::Task)??;
                Ok(gpkg.into())
            }
            Location::PostGis(url) => Ok(PostGis::connect(url).await?.into()),
        }
    }

    /// Creates the inventory `parts` at `location`: a new GeoPackage file, or an existing empty one, or an empty
    /// database (migrated first).
    ///
    /// Fails with [`StoreError::NotEmpty`] when the location already holds an inventory or events.
    pub async fn create(location: &Location, parts: InventoryParts) -> Result<Store, StoreError> {
        match location {
            Location::GeoPackage(path) if !path.exists() => {
                let path = path.clone();
                let gpkg = tokio::task::spawn_blocking(move || GeoPackage::create(&path, &parts))
                    .await
                    .map_err(StoreError::Task)??;
                Ok(gpkg.into())
            }
            _ => {
                let store = Store::open(location).await?;
                store.fill(parts).await?;
                Ok(store)
            }
        }
    }

    /// `geopackage` or `postgis`, for logs and metrics.
    pub fn backend(&self) -> &'static str {
        match self {
            Store::GeoPackage(_) => "geopackage",
            Store::PostGis(_) => "postgis",
        }
    }

    /// Checks that the store answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        match self {
            Store::GeoPackage(gpkg) => blocking(gpkg, |g| g.ping()).await,
            Store::PostGis(db) => db.ping().await,
        }
    }

    /// Whether the store holds no record of any layer, no reservation or allocation, and no event.
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        match self {
            Store::GeoPackage(gpkg) => blocking(gpkg, |g| g.is_empty()).await,
            Store::PostGis(db) => db.is_empty().await,
        }
    }

    /// Writes every record of `parts` into this store, which must be empty, in one transaction.
    pub async fn fill(&self, parts: InventoryParts) -> Result<(), StoreError> {
        match self {
            Store::GeoPackage(gpkg) => blocking(gpkg, move |g| g.fill(&parts)).await,
            Store::PostGis(db) => db.fill(&parts).await,
        }
    }

    /// Reads every record of every layer from one consistent snapshot. Each layer comes back sorted by id.
    pub async fn load(&self) -> Result<InventoryParts, StoreError> {
        match self {
            Store::GeoPackage(gpkg) => blocking(gpkg, |g| g.load()).await,
            Store::PostGis(db) => db.load().await,
        }
    }

    /// Replaces every row of one layer with that layer's records in `parts` and appends one `import` event, in
    /// one transaction. Returns the number of records written.
    pub async fn replace_layer(
        &self,
        parts: &InventoryParts,
        layer: Layer,
        actor: &str,
        at: &str,
    ) -> Result<usize, StoreError> {
        match self {
            Store::GeoPackage(gpkg) => {
                let (only, actor, at) = (layer_of(parts, layer), actor.to_owned(), at.to_owned());
                blocking(gpkg, move |g| g.replace_layer(&only, layer, &actor, &at)).await
            }
            Store::PostGis(db) => db.replace_layer(parts, layer, actor, at).await,
        }
    }

    /// Commits a change in one transaction: records with their next row version, reservations, allocations and
    /// holds, events, and the idempotent answer. Returns the events' sequence numbers.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] when the database refuses a double booking; other errors when the store fails.
    pub async fn commit(
        &self,
        change: &Change,
        events: &[NewEvent<'_>],
        idempotent: Option<&Idempotent>,
    ) -> Result<Vec<i64>, StoreError> {
        match self {
            Store::GeoPackage(gpkg) => {
                let change = change.clone();
                let events: Vec<OwnedEvent> = events.iter().map(OwnedEvent::of).collect();
                let idempotent = idempotent.cloned();
                blocking(gpkg, move |g| {
                    let events: Vec<NewEvent<'_>> = events.iter().map(OwnedEvent::borrow).collect();
                    g.commit(&change, &events, idempotent.as_ref())
                })
                .await
            }
            Store::PostGis(db) => db.commit(change, events, idempotent).await,
        }
    }

    /// [`Store::commit`] of a change planned on `basis`: on PostGIS it is refused with
    /// [`StoreError::Conflict`] when another node changed one of its records after the basis. A GeoPackage has
    /// one writer, so there is nothing to check.
    ///
    /// # Errors
    ///
    /// As [`Store::commit`], and a conflict when the basis is stale for these records.
    pub async fn commit_on(
        &self,
        basis: &Basis,
        change: &Change,
        events: &[NewEvent<'_>],
        idempotent: Option<&Idempotent>,
    ) -> Result<Vec<i64>, StoreError> {
        match self {
            Store::GeoPackage(_) => self.commit(change, events, idempotent).await,
            Store::PostGis(db) => db.commit_on(Some(basis), change, events, idempotent).await,
        }
    }

    /// The answer remembered for an idempotency key, if a committed request carried it.
    pub async fn remembered(&self, key: &str) -> Result<Option<Idempotent>, StoreError> {
        match self {
            Store::GeoPackage(gpkg) => {
                let key = key.to_owned();
                blocking(gpkg, move |g| g.remembered(&key)).await
            }
            Store::PostGis(db) => db.remembered(key).await,
        }
    }

    /// Every event about one record of a layer, oldest first.
    pub async fn history(&self, layer: Layer, record_id: i64) -> Result<Vec<Event>, StoreError> {
        match self {
            Store::GeoPackage(gpkg) => blocking(gpkg, move |g| g.history(layer, record_id)).await,
            Store::PostGis(db) => db.history(layer, record_id).await,
        }
    }

    /// Up to `limit` events with a sequence number above `after_sequence`, in sequence order.
    pub async fn events(&self, after_sequence: i64, limit: usize) -> Result<Vec<Event>, StoreError> {
        match self {
            Store::GeoPackage(gpkg) => blocking(gpkg, move |g| g.events(after_sequence, limit)).await,
            Store::PostGis(db) => db.events(after_sequence, limit).await,
        }
    }

    /// Every bearer token, revoked ones too, by name.
    pub async fn tokens(&self) -> Result<Vec<crate::Token>, StoreError> {
        match self {
            Store::GeoPackage(gpkg) => blocking(gpkg, |g| g.tokens()).await,
            Store::PostGis(db) => db.tokens().await,
        }
    }

    /// Stores a new token; a name that exists (even revoked) is [`StoreError::Conflict`].
    pub async fn create_token(&self, token: crate::Token) -> Result<(), StoreError> {
        match self {
            Store::GeoPackage(gpkg) => blocking(gpkg, move |g| g.create_token(&token)).await,
            Store::PostGis(db) => db.create_token(&token).await,
        }
    }

    /// Revokes the named token at `at` (RFC 3339); `false` when there is no such live token.
    pub async fn revoke_token(&self, name: &str, at: &str) -> Result<bool, StoreError> {
        match self {
            Store::GeoPackage(gpkg) => {
                let (name, at) = (name.to_owned(), at.to_owned());
                blocking(gpkg, move |g| g.revoke_token(&name, &at)).await
            }
            Store::PostGis(db) => db.revoke_token(name, at).await,
        }
    }

    /// The highest sequence number of the event log, `0` when it is empty.
    pub async fn last_sequence(&self) -> Result<i64, StoreError> {
        match self {
            Store::GeoPackage(gpkg) => blocking(gpkg, |g| g.last_sequence()).await,
            Store::PostGis(db) => db.last_sequence().await,
        }
    }

    /// The current state of the given records, as a change that upserts them; ids that do not exist are left
    /// out. Used by nodes that follow the change feed of a shared database.
    pub async fn records(&self, ids: &RecordIds) -> Result<Change, StoreError> {
        match self {
            Store::GeoPackage(gpkg) => {
                let parts = blocking(gpkg, |g| g.load()).await?;
                Ok(Change {
                    parcels: parts.parcels.into_iter().filter(|r| ids.parcels.contains(&r.id.0)).collect(),
                    buildings: parts.buildings.into_iter().filter(|r| ids.buildings.contains(&r.id.0)).collect(),
                    units: parts.units.into_iter().filter(|r| ids.units.contains(&r.id.0)).collect(),
                    projects: parts.projects.into_iter().filter(|r| ids.projects.contains(&r.id.0)).collect(),
                    reservations: parts
                        .reservations
                        .into_iter()
                        .filter(|r| ids.reservations.contains(&r.id.0))
                        .collect(),
                    allocations: parts.allocations.into_iter().filter(|r| ids.allocations.contains(&r.id.0)).collect(),
                    lineage: Vec::new(),
                    kind: "follow",
                })
            }
            Store::PostGis(db) => db.records(ids).await,
        }
    }

    /// A connection that listens to the change feed of a shared database; `None` for a GeoPackage, which one
    /// node alone writes.
    pub async fn listen(&self) -> Result<Option<Notifications>, StoreError> {
        match self {
            Store::GeoPackage(_) => Ok(None),
            Store::PostGis(db) => db.listen().await.map(Some),
        }
    }

    /// Appends events exactly as another store recorded them, sequence numbers included.
    pub async fn restore_events(&self, events: Vec<Event>) -> Result<(), StoreError> {
        match self {
            Store::GeoPackage(gpkg) => blocking(gpkg, move |g| g.restore_events(&events)).await,
            Store::PostGis(db) => db.restore_events(&events).await,
        }
    }

    /// The row version of one record; `None` when it does not exist or its layer keeps no versions.
    pub async fn row_version(&self, layer: Layer, record_id: i64) -> Result<Option<i64>, StoreError> {
        match self {
            Store::GeoPackage(gpkg) => blocking(gpkg, move |g| g.row_version(layer, record_id)).await,
            Store::PostGis(db) => db.row_version(layer, record_id).await,
        }
    }

    /// Copies this store — every layer, the reservations and allocations, and the event log with its sequence
    /// numbers — to `to`, which must be a new GeoPackage file or an empty store, and returns the new store.
    /// Row versions start again at 1; remembered idempotent answers are not copied.
    ///
    /// The inventory is written in one transaction, then the events in batches of 10 000: when a batch fails,
    /// `to` keeps the inventory and the events before it (and, being no longer empty, refuses another copy).
    ///
    /// Fails with [`StoreError::NotEmpty`] when `to` holds an inventory or events.
    pub async fn copy_to(&self, to: &Location) -> Result<(Store, Copied), StoreError> {
        let parts = self.load().await?;
        let mut copied = Copied {
            zones: parts.zones.len(),
            parcels: parts.parcels.len(),
            buildings: parts.buildings.len(),
            units: parts.units.len(),
            projects: parts.projects.len(),
            pois: parts.pois.len(),
            reservations: parts.reservations.len(),
            allocations: parts.allocations.len(),
            events: 0,
        };
        let target = Store::create(to, parts).await?;
        let mut after = 0;
        loop {
            let batch = self.events(after, COPY_BATCH).await?;
            let Some(last) = batch.last() else { break };
            after = last.sequence;
            copied.events += batch.len();
            target.restore_events(batch).await?;
        }
        Ok((target, copied))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postgres_url_is_a_database_and_anything_else_a_file() {
        assert_eq!(
            Location::parse("postgres://postgres@127.0.0.1/landbank"),
            Location::PostGis("postgres://postgres@127.0.0.1/landbank".into())
        );
        assert!(matches!(Location::parse("postgresql://db/x"), Location::PostGis(_)));
        assert_eq!(Location::parse("park.gpkg"), Location::GeoPackage("park.gpkg".into()));
        assert_eq!(Location::parse("postgres.gpkg"), Location::GeoPackage("postgres.gpkg".into()));
    }

    fn event(sequence: i64, layer: &str, record_id: Option<i64>) -> Event {
        Event {
            sequence,
            at: "2026-11-27T09:30:00Z".into(),
            actor: "test".into(),
            kind: "reserve".into(),
            layer: layer.into(),
            record_id,
            before: None,
            after: None,
        }
    }

    #[test]
    fn events_name_each_changed_record_once_and_an_import_needs_a_full_reload() {
        let events = [
            event(1, "parcels", Some(7)),
            event(2, "reservations", Some(3)),
            event(3, "parcels", Some(5)),
            event(4, "parcels", Some(7)),
        ];
        let ids = RecordIds::of(&events).expect("records");
        assert_eq!(ids.parcels, [5, 7]);
        assert_eq!(ids.reservations, [3]);
        assert!(ids.units.is_empty() && ids.projects.is_empty() && ids.allocations.is_empty());
        assert_eq!(RecordIds::of(&[event(5, "units", None)]), None, "an import of a whole layer");
        assert_eq!(RecordIds::of(&[event(6, "zones", Some(1))]), None, "a layer a change cannot carry");
    }

    #[test]
    fn a_shown_database_url_hides_its_password() {
        let shown = Location::parse("postgres://landbank:s3cr3t@db.example:5432/park?sslmode=disable").to_string();
        assert_eq!(shown, "postgres://landbank:***@db.example:5432/park?sslmode=disable");
        assert_eq!(Location::parse("postgres://root@localhost/x").to_string(), "postgres://root@localhost/x");
        assert_eq!(Location::parse("/var/lib/landbank.gpkg").to_string(), "/var/lib/landbank.gpkg");
    }
}
