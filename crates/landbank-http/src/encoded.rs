//! The encoded features of one snapshot: each feature's GeoJSON as an anonymous reader gets it by default (CRS84,
//! every public property), kept after it is first written so the next page that holds it copies bytes instead of
//! formatting some 35 properties and the outline again. Bounded in bytes; `0` keeps nothing.
//!
//! **Invariant:** a cache belongs to exactly one [`crate::Snapshot`] and holds only what that snapshot's inventory
//! writes; a write installs a new snapshot with an empty cache, so nothing is ever invalidated in place.
//!
//! Readers look features up under a shared lock and only mark them used; misses are written outside the lock
//! and kept under the exclusive one. When the cache is full, a sweep drops what no reader asked for since the
//! last sweep (the "second chance" of the CLOCK algorithm), then, if that was not enough, everything older.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{PoisonError, RwLock};

use landbank_inventory::Layer;

/// What one snapshot's feature cache may hold, in bytes of encoded features (plus a fixed charge per entry).
pub const CACHE_BYTES: usize = 64 << 20;

/// What each entry costs beyond its bytes: the key, the box and the map's slot.
const ENTRY_COST: usize = 48;

type Key = (Layer, i64);

struct Entry {
    bytes: Box<[u8]>,
    used: AtomicBool,
}

/// Encoded features by layer and id.
pub struct FeatureCache {
    budget: AtomicUsize,
    entries: RwLock<HashMap<Key, Entry>>,
    bytes: AtomicUsize,
}

impl FeatureCache {
    /// An empty cache that holds at most `budget` bytes.
    pub fn new(budget: usize) -> FeatureCache {
        FeatureCache { budget: AtomicUsize::new(budget), entries: RwLock::default(), bytes: AtomicUsize::new(0) }
    }

    /// Holds at most `budget` bytes from now on (0: nothing is kept); entries beyond it go at the next insert.
    pub fn set_budget(&self, budget: usize) {
        self.budget.store(budget, Ordering::Relaxed);
    }

    /// Whether the cache keeps anything at all.
    pub fn enabled(&self) -> bool {
        self.budget.load(Ordering::Relaxed) > 0
    }

    /// Calls `each` with every id of `ids` (features of `layer`) in turn and its cached encoding, if there is
    /// one, under one shared lock for the whole page; stops at the first error.
    pub fn lookup<E>(
        &self,
        layer: Layer,
        ids: impl IntoIterator<Item = i64>,
        mut each: impl FnMut(i64, Option<&[u8]>) -> Result<(), E>,
    ) -> Result<(), E> {
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        for id in ids {
            let entry = entries.get(&(layer, id));
            if let Some(entry) = entry
                && !entry.used.load(Ordering::Relaxed)
            {
                entry.used.store(true, Ordering::Relaxed);
            }
            each(id, entry.map(|e| &*e.bytes))?;
        }
        Ok(())
    }

    /// Keeps the encodings of features just written, making room when the cache is over its budget. An entry
    /// larger than the whole budget is not kept.
    pub fn insert(&self, layer: Layer, written: impl IntoIterator<Item = (i64, Box<[u8]>)>) {
        let budget = self.budget.load(Ordering::Relaxed);
        if budget == 0 {
            return;
        }
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        let mut bytes = self.bytes.load(Ordering::Relaxed);
        for (id, encoded) in written {
            let cost = encoded.len() + ENTRY_COST;
            if cost > budget {
                continue;
            }
            if bytes + cost > budget {
                bytes = sweep(&mut entries, bytes, budget - cost);
            }
            let entry = Entry { bytes: encoded, used: AtomicBool::new(false) };
            if let Some(old) = entries.insert((layer, id), entry) {
                bytes -= old.bytes.len() + ENTRY_COST;
            }
            bytes += cost;
        }
        self.bytes.store(bytes, Ordering::Relaxed);
    }

    /// How many features and bytes (with the per-entry charge) the cache holds.
    pub fn usage(&self) -> (usize, usize) {
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        (entries.len(), self.bytes.load(Ordering::Relaxed))
    }
}

/// Drops entries until at most `target` bytes remain: first those not used since the last sweep (clearing the
/// mark of the others), then, while still over, any. Returns the bytes left.
fn sweep(entries: &mut HashMap<Key, Entry>, mut bytes: usize, target: usize) -> usize {
    // Sweep to three quarters of the target, so a full cache is not swept again at the very next insert.
    let target = target - target / 4;
    entries.retain(|_, entry| {
        if bytes <= target || entry.used.swap(false, Ordering::Relaxed) {
            return true;
        }
        bytes -= entry.bytes.len() + ENTRY_COST;
        false
    });
    entries.retain(|_, entry| {
        if bytes <= target {
            return true;
        }
        bytes -= entry.bytes.len() + ENTRY_COST;
        false
    });
    bytes
}

impl Default for FeatureCache {
    fn default() -> FeatureCache {
        FeatureCache::new(CACHE_BYTES)
    }
}

impl std::fmt::Debug for FeatureCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (features, bytes) = self.usage();
        // The usage, not the features.
        f.debug_struct("FeatureCache")
            .field("budget", &self.budget.load(Ordering::Relaxed))
            .field("entries", &format_args!("{features} features"))
            .field("bytes", &bytes)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(len: usize) -> Box<[u8]> {
        vec![b'x'; len].into_boxed_slice()
    }

    fn cached(cache: &FeatureCache, ids: &[i64]) -> Vec<Option<usize>> {
        let mut out = Vec::new();
        cache
            .lookup(Layer::Parcels, ids.iter().copied(), |_, bytes| {
                out.push(bytes.map(<[u8]>::len));
                Ok::<_, ()>(())
            })
            .unwrap();
        out
    }

    #[test]
    fn a_kept_feature_comes_back_and_another_layer_does_not_share_it() {
        let cache = FeatureCache::new(10_000);
        cache.insert(Layer::Parcels, [(1, encoded(100)), (2, encoded(200))]);
        assert_eq!(cached(&cache, &[2, 3, 1]), [Some(200), None, Some(100)]);
        let mut other = None;
        cache
            .lookup(Layer::Buildings, [1], |_, bytes| {
                other = bytes.map(<[u8]>::len);
                Ok::<_, ()>(())
            })
            .unwrap();
        assert_eq!(other, None);
        assert_eq!(cache.usage(), (2, 300 + 2 * ENTRY_COST));
    }

    #[test]
    fn a_full_cache_drops_what_nobody_asked_for_since_the_last_sweep() {
        let cost = 100 + ENTRY_COST;
        let cache = FeatureCache::new(4 * cost);
        cache.insert(Layer::Parcels, (1..=4).map(|id| (id, encoded(100))));
        assert_eq!(cached(&cache, &[1, 3]), [Some(100), Some(100)]);
        cache.insert(Layer::Parcels, [(5, encoded(100))]);
        let left = cached(&cache, &[1, 2, 3, 4, 5]);
        assert_eq!(left, [Some(100), None, Some(100), None, Some(100)], "2 and 4 were not asked for");
        let (_, bytes) = cache.usage();
        assert!(bytes <= 4 * cost, "{bytes}");
    }

    #[test]
    fn replacing_counts_once_and_nothing_is_kept_without_a_budget() {
        let cache = FeatureCache::new(10_000);
        cache.insert(Layer::Parcels, [(1, encoded(100)), (1, encoded(300))]);
        assert_eq!(cache.usage(), (1, 300 + ENTRY_COST));
        cache.insert(Layer::Parcels, [(2, encoded(20_000))]);
        assert_eq!(cached(&cache, &[2]), [None], "larger than the whole budget");
        let off = FeatureCache::new(0);
        off.insert(Layer::Parcels, [(1, encoded(10))]);
        assert_eq!(off.usage(), (0, 0));
        assert!(!off.enabled());
    }
}
