//! What one node knows of the cluster: for every endpoint, its heartbeat and the local
//! time that heartbeat last changed.
//!
//! The gossiped part (the heartbeats) forms a join semilattice under
//! [`ClusterView::merge`]: pointwise maximum. That is why gossip converges no matter
//! the order, duplication or timing of exchanges; the property tests check the laws.

use alloc::collections::BTreeMap;

use crate::{Millis, NodeId};

/// A node's heartbeat: a counter the node bumps once per gossip round. A higher value
/// is newer information; a value never goes back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Heartbeat(pub u64);

/// What a node knows about one endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointState {
    /// The newest heartbeat heard of, directly or through gossip.
    pub heartbeat: Heartbeat,
    /// Local bookkeeping, never gossiped: when this node last saw the heartbeat
    /// advance. The failure detector will read it.
    pub updated_at: Millis,
}

/// One node's map of every endpoint it knows about, itself included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClusterView {
    endpoints: BTreeMap<NodeId, EndpointState>,
}

impl ClusterView {
    /// An empty view.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of endpoints known, the owner included.
    pub fn len(&self) -> usize {
        self.endpoints.len()
    }

    /// True when no endpoint is known.
    pub fn is_empty(&self) -> bool {
        self.endpoints.is_empty()
    }

    /// What is known of `id`, if anything.
    pub fn get(&self, id: NodeId) -> Option<&EndpointState> {
        self.endpoints.get(&id)
    }

    /// Every known endpoint, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (NodeId, &EndpointState)> {
        self.endpoints.iter().map(|(id, state)| (*id, state))
    }

    /// The gossiped part of the view: every endpoint's heartbeat, in id order.
    pub fn heartbeats(&self) -> impl Iterator<Item = (NodeId, Heartbeat)> + '_ {
        self.endpoints
            .iter()
            .map(|(id, state)| (*id, state.heartbeat))
    }

    /// Learns `heartbeat` for `id` at local time `now`. Keeps the higher of the known
    /// and the offered heartbeat, so a stale or repeated offer changes nothing.
    /// Returns true when the view advanced.
    pub fn observe(&mut self, id: NodeId, heartbeat: Heartbeat, now: Millis) -> bool {
        match self.endpoints.get_mut(&id) {
            Some(known) if known.heartbeat >= heartbeat => false,
            Some(known) => {
                known.heartbeat = heartbeat;
                known.updated_at = now;
                true
            }
            None => {
                self.endpoints.insert(
                    id,
                    EndpointState {
                        heartbeat,
                        updated_at: now,
                    },
                );
                true
            }
        }
    }

    /// Merges gossip into this view: the pointwise maximum of heartbeats.
    /// Commutative, associative and idempotent. Returns how many endpoints advanced.
    pub fn merge(
        &mut self,
        heartbeats: impl IntoIterator<Item = (NodeId, Heartbeat)>,
        now: Millis,
    ) -> usize {
        heartbeats
            .into_iter()
            .filter(|&(id, heartbeat)| self.observe(id, heartbeat, now))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observe_keeps_the_higher_heartbeat_and_stamps_the_change() {
        let mut view = ClusterView::new();
        assert!(view.observe(NodeId(1), Heartbeat(5), 100));
        assert!(
            !view.observe(NodeId(1), Heartbeat(3), 200),
            "older is ignored"
        );
        assert!(
            !view.observe(NodeId(1), Heartbeat(5), 300),
            "same is ignored"
        );
        assert_eq!(view.get(NodeId(1)).unwrap().updated_at, 100);
        assert!(view.observe(NodeId(1), Heartbeat(6), 400));
        assert_eq!(
            view.get(NodeId(1)),
            Some(&EndpointState {
                heartbeat: Heartbeat(6),
                updated_at: 400
            })
        );
    }

    #[test]
    fn merge_counts_what_advanced() {
        let mut view = ClusterView::new();
        view.observe(NodeId(1), Heartbeat(2), 0);
        let advanced = view.merge(
            [
                (NodeId(1), Heartbeat(1)),
                (NodeId(2), Heartbeat(1)),
                (NodeId(1), Heartbeat(3)),
            ],
            10,
        );
        assert_eq!(advanced, 2);
        assert_eq!(view.len(), 2);
    }
}
