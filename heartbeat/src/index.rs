//! Where each endpoint of a view sits in its vector.
//!
//! A cluster numbers its nodes densely (the simulator uses 0..N), so ids up to a bound
//! proportional to the view's size are found by direct indexing: one memory access,
//! where a hash table took two or three cache misses, and a round looks up an
//! endpoint a million times at N = 1,000 (BENCHMARKS.md). Any other id, which
//! untrusted input may name, goes to a hash map, so no id can make the direct table
//! large.

use alloc::vec::Vec;

use gossip_core::NodeId;
use gossip_core::lookup::LookupMap;

/// The direct table always covers ids below this, and below 4 × the view's size.
const DENSE_FLOOR: usize = 1024;
/// A free slot of the direct table.
const NONE: u32 = u32::MAX;

/// A map from endpoint id to position, for positions below `u32::MAX`.
#[derive(Debug, Clone, Default)]
pub(crate) struct EndpointIndex {
    dense: Vec<u32>,
    sparse: LookupMap<NodeId, usize>,
}

impl EndpointIndex {
    /// The position of `id`.
    pub(crate) fn get(&self, id: NodeId) -> Option<usize> {
        match self.dense.get(id.0 as usize) {
            Some(&at) if at != NONE => Some(at as usize),
            _ if self.sparse.is_empty() => None,
            _ => self.sparse.get(&id).copied(),
        }
    }

    /// Records `id` at `at`, the last position of the view; `id` must not be present.
    pub(crate) fn insert(&mut self, id: NodeId, at: usize) {
        let slot = id.0 as usize;
        let bound = DENSE_FLOOR.max(at.saturating_add(1).saturating_mul(4));
        match u32::try_from(at) {
            Ok(at) if slot < bound && at != NONE => {
                if slot >= self.dense.len() {
                    self.dense.resize(slot + 1, NONE);
                }
                self.dense[slot] = at;
            }
            _ => {
                self.sparse.insert(id, at);
            }
        }
    }

    /// Moves `id`, present, to position `at`.
    pub(crate) fn set(&mut self, id: NodeId, at: usize) {
        match self.dense.get_mut(id.0 as usize) {
            Some(slot) if *slot != NONE => *slot = at as u32,
            _ => {
                self.sparse.insert(id, at);
            }
        }
    }

    /// Forgets `id`; returns where it was.
    pub(crate) fn remove(&mut self, id: NodeId) -> Option<usize> {
        match self.dense.get_mut(id.0 as usize) {
            Some(slot) if *slot != NONE => Some(core::mem::replace(slot, NONE) as usize),
            _ => self.sparse.remove(&id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_and_sparse_ids_are_found_moved_and_forgotten() {
        let mut index = EndpointIndex::default();
        let ids = [
            NodeId(0),
            NodeId(7),
            NodeId(5_000_000),
            NodeId(u32::MAX),
            NodeId(900),
        ];
        for (at, &id) in ids.iter().enumerate() {
            index.insert(id, at);
        }
        assert!(
            index.dense.len() <= DENSE_FLOOR,
            "a far id stays out of the table"
        );
        for (at, &id) in ids.iter().enumerate() {
            assert_eq!(index.get(id), Some(at));
        }
        assert_eq!(index.get(NodeId(8)), None);
        assert_eq!(index.get(NodeId(5_000_001)), None);
        index.set(NodeId(5_000_000), 9);
        index.set(NodeId(7), 8);
        assert_eq!(index.get(NodeId(5_000_000)), Some(9));
        assert_eq!(index.get(NodeId(7)), Some(8));
        assert_eq!(index.remove(NodeId(7)), Some(8));
        assert_eq!(index.remove(NodeId(u32::MAX)), Some(3));
        assert_eq!(index.remove(NodeId(7)), None);
        assert_eq!(index.get(NodeId(7)), None);
        assert_eq!(index.get(NodeId(u32::MAX)), None);
        assert_eq!(index.get(NodeId(0)), Some(0));
    }
}
