//! The tile cache of one snapshot: encoded tiles by layer set and tile, least recently used out first, bounded
//! in bytes.
//!
//! **Invariant:** a cache belongs to exactly one [`crate::Snapshot`], and every tile in it is what that snapshot's
//! inventory draws: a write installs a new snapshot whose cache takes over only the previous tiles that no changed
//! record reaches (see [`super::unchanged_by`]); after a change it cannot bound, the new cache starts empty.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use axum::body::Bytes;

use super::LayerSet;
use super::mercator::TileId;

/// What one snapshot's cache may hold, in bytes of encoded tiles (plus a fixed charge per entry).
pub const CACHE_BYTES: usize = 64 << 20;

/// What each entry costs beyond its bytes, so that many empty tiles still count.
const ENTRY_COST: usize = 64;

/// The identity of an encoded tile within one snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TileKey {
    pub layers: LayerSet,
    pub tile: TileId,
}

/// Encoded tiles (an empty body for an empty tile), shared by every request on one snapshot.
pub struct TileCache {
    budget: AtomicUsize,
    inner: Mutex<Lru>,
}

#[derive(Default)]
struct Lru {
    entries: HashMap<TileKey, (Bytes, u64)>,
    /// Entries by last use, oldest first.
    order: BTreeMap<u64, TileKey>,
    clock: u64,
    bytes: usize,
}

impl TileCache {
    /// An empty cache that holds at most `budget` bytes.
    pub fn new(budget: usize) -> TileCache {
        TileCache { budget: AtomicUsize::new(budget), inner: Mutex::new(Lru::default()) }
    }

    /// Holds at most `budget` bytes from now on (0: nothing is kept); entries beyond it go at the next insert.
    pub fn set_budget(&self, budget: usize) {
        self.budget.store(budget, Ordering::Relaxed);
    }

    /// The cached tile, marked as just used.
    pub fn get(&self, key: TileKey) -> Option<Bytes> {
        if self.budget.load(Ordering::Relaxed) == 0 {
            return None;
        }
        let mut lru = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        lru.clock += 1;
        let now = lru.clock;
        let (bytes, used) = lru.entries.get_mut(&key)?;
        let (bytes, before) = (bytes.clone(), std::mem::replace(used, now));
        lru.order.remove(&before);
        lru.order.insert(now, key);
        Some(bytes)
    }

    /// Keeps a tile, dropping the least recently used ones while the cache is over its budget. A tile larger
    /// than the whole budget is not kept.
    pub fn insert(&self, key: TileKey, tile: Bytes) {
        let cost = tile.len() + ENTRY_COST;
        let budget = self.budget.load(Ordering::Relaxed);
        if cost > budget {
            return;
        }
        let mut lru = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        lru.clock += 1;
        let now = lru.clock;
        if let Some((old, used)) = lru.entries.insert(key, (tile, now)) {
            lru.order.remove(&used);
            lru.bytes -= old.len() + ENTRY_COST;
        }
        lru.order.insert(now, key);
        lru.bytes += cost;
        while lru.bytes > budget {
            let Some((_, oldest)) = lru.order.pop_first() else { break };
            if let Some((gone, _)) = lru.entries.remove(&oldest) {
                lru.bytes -= gone.len() + ENTRY_COST;
            }
        }
    }

    /// Takes over the tiles of `previous` (another snapshot's cache) that `keep` accepts, oldest first, so they
    /// keep their order of use; those beyond this cache's budget are left behind.
    pub fn carry_over(&self, previous: &TileCache, keep: impl Fn(TileKey) -> bool) {
        let kept: Vec<(TileKey, Bytes)> = {
            let old = previous.inner.lock().unwrap_or_else(PoisonError::into_inner);
            old.order
                .values()
                .filter(|key| keep(**key))
                .filter_map(|key| Some((*key, old.entries.get(key)?.0.clone())))
                .collect()
        };
        for (key, tile) in kept {
            self.insert(key, tile);
        }
    }

    /// How many tiles and bytes (with the per-entry charge) the cache holds.
    pub fn usage(&self) -> (usize, usize) {
        let lru = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        (lru.entries.len(), lru.bytes)
    }
}

impl Default for TileCache {
    fn default() -> TileCache {
        TileCache::new(CACHE_BYTES)
    }
}

impl fmt::Debug for TileCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The usage, not the tiles.
        let (tiles, bytes) = self.usage();
        f.debug_struct("TileCache")
            .field("budget", &self.budget.load(Ordering::Relaxed))
            .field("inner", &format_args!("{tiles} tiles, {bytes} bytes"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(x: u32) -> TileKey {
        TileKey { layers: LayerSet::ALL, tile: TileId { z: 10, x, y: 0 } }
    }

    fn tile(len: usize) -> Bytes {
        Bytes::from(vec![7u8; len])
    }

    #[test]
    fn a_cached_tile_comes_back_unchanged() {
        let cache = TileCache::new(10_000);
        cache.insert(key(1), tile(100));
        assert_eq!(cache.get(key(1)), Some(tile(100)));
        assert_eq!(cache.get(key(2)), None);
        assert_eq!(cache.usage(), (1, 100 + ENTRY_COST));
    }

    #[test]
    fn the_least_recently_used_tile_goes_first_when_the_budget_is_exceeded() {
        let cache = TileCache::new(3 * (100 + ENTRY_COST));
        for x in 1..=3 {
            cache.insert(key(x), tile(100));
        }
        assert!(cache.get(key(1)).is_some(), "tile 1 is now the most recently used");
        cache.insert(key(4), tile(100));
        assert!(cache.get(key(2)).is_none(), "tile 2 was the least recently used");
        for x in [1, 3, 4] {
            assert!(cache.get(key(x)).is_some(), "tile {x}");
        }
        assert_eq!(cache.usage(), (3, 3 * (100 + ENTRY_COST)));
    }

    #[test]
    fn replacing_a_tile_counts_its_bytes_once() {
        let cache = TileCache::new(10_000);
        cache.insert(key(1), tile(100));
        cache.insert(key(1), tile(300));
        assert_eq!(cache.usage(), (1, 300 + ENTRY_COST));
    }

    #[test]
    fn a_tile_larger_than_the_budget_is_not_kept() {
        let cache = TileCache::new(1_000);
        cache.insert(key(1), tile(100));
        cache.insert(key(2), tile(5_000));
        assert!(cache.get(key(2)).is_none());
        assert!(cache.get(key(1)).is_some(), "a refused tile evicts nothing");
    }
}
