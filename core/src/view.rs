//! One node's map of every endpoint it knows, itself included.
//!
//! Stored as a vector with an index: scanning every endpoint (as the peer choice
//! and the digest page do each round) walks contiguous memory, and lookups take
//! constant time. The index (index.rs) is only looked up, never iterated.

use alloc::vec::Vec;

use crate::index::EndpointIndex;
use crate::message::Digest;
use crate::state::{EndpointState, Generation};
use crate::{Millis, NodeId};

/// Every endpoint a node knows of, with what it knows of each.
#[derive(Debug, Clone, Default)]
pub struct ClusterView {
    endpoints: Vec<(NodeId, EndpointState)>,
    index: EndpointIndex,
}

impl ClusterView {
    /// Number of endpoints known.
    pub fn len(&self) -> usize {
        self.endpoints.len()
    }

    /// True when nothing is known.
    pub fn is_empty(&self) -> bool {
        self.endpoints.is_empty()
    }

    /// What is known of `id`.
    pub fn get(&self, id: NodeId) -> Option<&EndpointState> {
        let at = self.index.get(id)?;
        self.endpoints.get(at).map(|(_, state)| state)
    }

    /// What is known of `id`, to change.
    pub fn get_mut(&mut self, id: NodeId) -> Option<&mut EndpointState> {
        let at = self.index.get(id)?;
        self.endpoints.get_mut(at).map(|(_, state)| state)
    }

    /// What is known of `id`, first creating an empty state in `generation` if
    /// nothing was.
    pub fn get_or_insert(
        &mut self,
        id: NodeId,
        generation: Generation,
        now: Millis,
    ) -> &mut EndpointState {
        let at = match self.index.get(id) {
            Some(at) => at,
            None => {
                let at = self.endpoints.len();
                self.endpoints
                    .push((id, EndpointState::new(generation, now)));
                self.index.insert(id, at);
                at
            }
        };
        &mut self.endpoints[at].1
    }

    /// Makes room for `more` endpoints.
    pub fn reserve(&mut self, more: usize) {
        self.endpoints.reserve(more);
    }

    /// Replaces what is known of `id` with `state`.
    pub fn insert(&mut self, id: NodeId, state: EndpointState) {
        match self.index.get(id) {
            Some(at) => self.endpoints[at].1 = state,
            None => {
                self.index.insert(id, self.endpoints.len());
                self.endpoints.push((id, state));
            }
        }
    }

    /// Forgets `id`. The last endpoint takes its place in [`ClusterView::iter`]'s
    /// order.
    pub fn remove(&mut self, id: NodeId) -> Option<EndpointState> {
        let at = self.index.remove(id)?;
        let (_, state) = self.endpoints.swap_remove(at);
        if let Some((moved, _)) = self.endpoints.get(at) {
            self.index.set(*moved, at);
        }
        Some(state)
    }

    /// Every known endpoint, in the order they were learned.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (NodeId, &EndpointState)> {
        self.endpoints.iter().map(|(id, state)| (*id, state))
    }

    /// Every known endpoint, to change.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (NodeId, &mut EndpointState)> {
        self.endpoints.iter_mut().map(|(id, state)| (*id, state))
    }

    /// The endpoint at position `at` of [`ClusterView::iter`]'s order.
    pub fn nth(&self, at: usize) -> Option<(NodeId, &EndpointState)> {
        self.endpoints.get(at).map(|(id, state)| (*id, state))
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
