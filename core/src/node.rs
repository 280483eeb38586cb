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

#[cfg(test)]
mod tests {
    use alloc::vec;

    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;

    #[test]
    fn a_lone_node_beats_but_sends_nothing() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut node = Node::new(NodeId(0), [], 0);
        assert_eq!(node.tick(10, &mut rng), None);
        assert_eq!(node.heartbeat(), Heartbeat(1));
    }

    #[test]
    fn tick_opens_an_exchange_with_every_peer_over_time_and_never_with_itself() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let mut node = Node::new(NodeId(3), (0..6).map(NodeId), 0);
        let mut seen = [0u32; 6];
        for now in 1..=600 {
            let out = node.tick(now, &mut rng).expect("has peers");
            assert_ne!(out.to, NodeId(3));
            assert!(matches!(out.message, Message::Syn { .. }));
            seen[out.to.0 as usize] += 1;
        }
        assert_eq!(seen[3], 0);
        for (peer, &count) in seen.iter().enumerate().filter(|(p, _)| *p != 3) {
            assert!(
                (80..=160).contains(&count),
                "peer {peer} chosen {count} times of 600"
            );
        }
    }

    #[test]
    fn a_syn_is_answered_with_what_each_side_lacks() {
        let mut bob = Node::new(NodeId(1), [NodeId(0), NodeId(2)], 0);
        bob.handle(
            NodeId(2),
            Message::Ack2 {
                deltas: vec![(NodeId(2), Heartbeat(9))],
            },
            1,
        );
        let syn = Message::Syn {
            digests: vec![
                (NodeId(0), Heartbeat(4)),
                (NodeId(1), Heartbeat(0)),
                (NodeId(5), Heartbeat(1)),
            ],
        };
        let ack = bob.handle(NodeId(0), syn, 2).unwrap();
        assert_eq!(ack.to, NodeId(0));
        assert_eq!(
            ack.message,
            Message::Ack {
                deltas: vec![(NodeId(2), Heartbeat(9))],
                requests: vec![NodeId(0), NodeId(5)],
            }
        );
        assert_eq!(
            bob.view().get(NodeId(0)).unwrap().heartbeat,
            Heartbeat(0),
            "a digest is not state"
        );
    }
}
