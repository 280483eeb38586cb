//! One node's map of every endpoint it knows, itself included.
//!
//! A cluster of N holds N² of these entries, so they are laid out as structure of
//! arrays: the ids, the gossiped states ([`EndpointState`], 24 bytes) and the local
//! bookkeeping ([`Detector`], 24 bytes) in three vectors, plus an index from id to
//! position (index.rs: direct for dense ids, a hash map for the rest). Building a
//! message reads ids and states; a heartbeat's arrival writes one state and one
//! detector; neither drags the other's bytes through the cache.

use alloc::vec::Vec;

use crate::detector::Detector;
use crate::index::EndpointIndex;
use crate::message::Digest;
use crate::state::{EndpointState, Generation};
use gossip_core::NodeId;

/// Every endpoint a node knows of, with what it knows of each.
#[derive(Debug, Clone, Default)]
pub struct ClusterView {
    ids: Vec<NodeId>,
    states: Vec<EndpointState>,
    detectors: Vec<Detector>,
    index: EndpointIndex,
}

impl ClusterView {
    /// Number of endpoints known.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when nothing is known.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// What is known of `id`.
    pub fn get(&self, id: NodeId) -> Option<&EndpointState> {
        self.states.get(self.index.get(id)?)
    }

    /// What is known of `id`, to change.
    pub fn get_mut(&mut self, id: NodeId) -> Option<&mut EndpointState> {
        self.states.get_mut(self.index.get(id)?)
    }

    /// The failure detector this node keeps for `id`.
    pub fn detector(&self, id: NodeId) -> Option<&Detector> {
        self.detectors.get(self.index.get(id)?)
    }

    /// The state and the detector of `id`, to change.
    pub(crate) fn entry_mut(&mut self, id: NodeId) -> Option<(&mut EndpointState, &mut Detector)> {
        let at = self.index.get(id)?;
        Some((self.states.get_mut(at)?, self.detectors.get_mut(at)?))
    }

    /// The state and detector of `id`, first creating an empty state in
    /// `generation` if nothing was known.
    pub(crate) fn get_or_insert(
        &mut self,
        id: NodeId,
        generation: Generation,
    ) -> (&mut EndpointState, &mut Detector) {
        let at = match self.index.get(id) {
            Some(at) => at,
            None => self.push(id, EndpointState::new(generation)),
        };
        (&mut self.states[at], &mut self.detectors[at])
    }

    fn push(&mut self, id: NodeId, state: EndpointState) -> usize {
        let at = self.ids.len();
        self.ids.push(id);
        self.states.push(state);
        self.detectors.push(Detector::default());
        self.index.insert(id, at);
        at
    }

    /// Makes room for `more` endpoints.
    pub fn reserve(&mut self, more: usize) {
        self.ids.reserve_exact(more);
        self.states.reserve_exact(more);
        self.detectors.reserve_exact(more);
    }

    /// Replaces what is known of `id` with `state`; a new endpoint gets a fresh
    /// detector.
    pub fn insert(&mut self, id: NodeId, state: EndpointState) {
        match self.index.get(id) {
            Some(at) => self.states[at] = state,
            None => {
                self.push(id, state);
            }
        }
    }

    /// Forgets `id`. The last endpoint takes its place in [`ClusterView::iter`]'s
    /// order.
    pub fn remove(&mut self, id: NodeId) -> Option<EndpointState> {
        let at = self.index.remove(id)?;
        self.ids.swap_remove(at);
        self.detectors.swap_remove(at);
        let state = self.states.swap_remove(at);
        if let Some(&moved) = self.ids.get(at) {
            self.index.set(moved, at);
        }
        Some(state)
    }

    /// Every known endpoint, in the order they were learned (until a removal).
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (NodeId, &EndpointState)> {
        self.ids.iter().copied().zip(self.states.iter())
    }

    /// Every known endpoint with its detector.
    pub fn iter_detectors(&self) -> impl ExactSizeIterator<Item = (NodeId, &Detector)> {
        self.ids.iter().copied().zip(self.detectors.iter())
    }

    /// The endpoint at position `at` of [`ClusterView::iter`]'s order.
    pub fn nth(&self, at: usize) -> Option<(NodeId, &EndpointState)> {
        Some((*self.ids.get(at)?, self.states.get(at)?))
    }

    /// The endpoint at position `at`, with its state and detector.
    pub(crate) fn nth_entry(&self, at: usize) -> Option<(NodeId, &EndpointState, &Detector)> {
        Some((
            *self.ids.get(at)?,
            self.states.get(at)?,
            self.detectors.get(at)?,
        ))
    }

    /// The digest of `id`: its generation and max version as known here.
    pub fn digest(&self, id: NodeId) -> Option<Digest> {
        self.get(id).map(|state| Digest {
            endpoint: id,
            generation: state.generation(),
            max_version: state.max_version(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endpoint_pair_costs_at_most_56_bytes_of_view() {
        let per_pair = core::mem::size_of::<NodeId>()
            + core::mem::size_of::<EndpointState>()
            + core::mem::size_of::<Detector>()
            + core::mem::size_of::<u32>(); // the dense index's slot
        assert!(per_pair <= 56, "{per_pair} bytes");
    }

    #[test]
    fn removing_keeps_ids_states_and_detectors_together() {
        let mut view = ClusterView::default();
        for id in 0..4 {
            view.insert(NodeId(id), EndpointState::new(id + 1));
        }
        view.remove(NodeId(1));
        for (id, state) in view.iter() {
            assert_eq!(state.generation(), id.0 + 1);
            assert_eq!(view.digest(id).map(|d| d.generation), Some(id.0 + 1));
        }
        assert_eq!(view.len(), 3);
        assert!(view.get(NodeId(1)).is_none());
    }
}
