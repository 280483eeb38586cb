//! One gossip node as a sans-IO state machine.
//!
//! The driver owns the clock, the network and the random number generator. It calls
//! [`Node::tick`] once per gossip interval and [`Node::handle`] for every message that
//! arrives; each returns the message the node wants sent, as a value. Nothing here can
//! fail or panic on any input: a message about unknown endpoints simply teaches the
//! node about them.

use alloc::collections::BTreeMap;

use rand::{Rng, RngCore};

use crate::message::Entry;
use crate::{ClusterView, Heartbeat, Message, Millis, NodeId};

/// A message a node wants sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The destination.
    pub to: NodeId,
    /// What to send.
    pub message: Message,
}

/// One member of the cluster.
#[derive(Debug, Clone)]
pub struct Node {
    id: NodeId,
    view: ClusterView,
}

impl Node {
    /// A node that knows of itself (heartbeat 0) and of `peers`, whose heartbeats it
    /// has not heard yet (also 0).
    pub fn new(id: NodeId, peers: impl IntoIterator<Item = NodeId>, now: Millis) -> Self {
        let mut view = ClusterView::new();
        view.observe(id, Heartbeat(0), now);
        for peer in peers {
            view.observe(peer, Heartbeat(0), now);
        }
        Self { id, view }
    }

    /// This node's id.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// This node's view of the cluster, itself included.
    pub fn view(&self) -> &ClusterView {
        &self.view
    }

    /// This node's own heartbeat.
    pub fn heartbeat(&self) -> Heartbeat {
        self.view
            .get(self.id)
            .map(|own| own.heartbeat)
            .unwrap_or_default()
    }

    /// Bumps this node's own heartbeat: new information that gossip will spread.
    /// Returns the new heartbeat.
    pub fn beat(&mut self, now: Millis) -> Heartbeat {
        let next = Heartbeat(self.heartbeat().0.saturating_add(1));
        self.view.observe(self.id, next, now);
        next
    }

    /// One gossip round: bump the heartbeat, pick one random peer and open an
    /// exchange with it. `None` when the node knows no peer.
    pub fn tick(&mut self, now: Millis, rng: &mut impl RngCore) -> Option<Outgoing> {
        self.beat(now);
        let to = self.random_peer(rng)?;
        Some(Outgoing {
            to,
            message: Message::Syn {
                digests: self.view.heartbeats().collect(),
            },
        })
    }

    /// Handles a message from `from` that arrived at local time `now`, and returns the
    /// reply it calls for, if any.
    pub fn handle(&mut self, from: NodeId, message: Message, now: Millis) -> Option<Outgoing> {
        let reply = match message {
            Message::Syn { digests } => Some(self.answer_syn(&digests)),
            Message::Ack { deltas, requests } => {
                self.view.merge(deltas, now);
                Some(Message::Ack2 {
                    deltas: requests
                        .into_iter()
                        .filter_map(|id| Some((id, self.view.get(id)?.heartbeat)))
                        .collect(),
                })
            }
            Message::Ack2 { deltas } => {
                self.view.merge(deltas, now);
                None
            }
        };
        reply.map(|message| Outgoing { to: from, message })
    }

    /// Compares the initiator's digests with this view. Nothing is merged here: a
    /// digest carries no state, only a claim of what the sender has.
    fn answer_syn(&self, digests: &[Entry]) -> Message {
        // Untrusted input may repeat an endpoint; its highest claim counts.
        let mut theirs = BTreeMap::new();
        for &(id, heartbeat) in digests {
            theirs
                .entry(id)
                .and_modify(|known: &mut Heartbeat| *known = (*known).max(heartbeat))
                .or_insert(heartbeat);
        }
        let deltas = self
            .view
            .heartbeats()
            .filter(|(id, ours)| theirs.get(id).is_none_or(|their| their < ours))
            .collect();
        let requests = theirs
            .iter()
            .filter(|&(id, their)| {
                self.view
                    .get(*id)
                    .is_none_or(|ours| ours.heartbeat < *their)
            })
            .map(|(id, _)| *id)
            .collect();
        Message::Ack { deltas, requests }
    }

    /// A uniformly random known endpoint other than this node.
    fn random_peer(&self, rng: &mut impl RngCore) -> Option<NodeId> {
        let peers = u32::try_from(self.view.len().saturating_sub(1)).ok()?;
        if peers == 0 {
            return None;
        }
        // Sampled as u32 so the choice is the same on 32- and 64-bit targets.
        let pick = rng.random_range(0..peers) as usize;
        self.view
            .iter()
            .map(|(id, _)| id)
            .filter(|&id| id != self.id)
            .nth(pick)
    }
}
