//! What a run's node events say of the protocol's promises, by one set of rules for
//! the simulator and for a real cluster (`gossip-node cluster`), so that their
//! figures compare:
//!
//! - a **detection** is a node's first conviction of a crashed node, timed from the
//!   crash;
//! - a **false conviction** is of a node that is up and on the same side of any
//!   partition as the node convicting it, with neither of them back in reach
//!   within the last [`ECHO_MS`]: a conviction just after a heal or a restart is
//!   the echo of the silence before it, a late true conviction, not a false one;
//! - a **resurrection** is an identity back in a view that evicted it, while it is
//!   really dead (down, or restarted since), with nothing newer than what the view
//!   knew when it evicted it: stale gossip. An identity back with newer versions in
//!   the same generation is news the view missed (it lived on, behind a partition,
//!   before it crashed or left), which the tombstones let in on purpose.
//!
//! The run, not any node, knows the truth: it is asked of each node as a [`Truth`].

use alloc::vec::Vec;

use crate::contract::{Life, NodeEvent, Version};
use crate::lookup::{LookupMap, LookupSet};
use crate::{Millis, NodeId};

/// How long after a node restarts or changes sides a conviction between it and
/// another node is still the echo of the silence before: a detector that stopped
/// hearing a node across a partition keeps rising until news of it crosses the
/// healed network, a few rounds, more under loss. Cassandra's convicts after about
/// 18 mean intervals of silence, so a partition shorter than that ends in
/// convictions just after its heal (the soak found them by the hundred: the guide,
/// `book/src/gossip-sim.md`).
pub const ECHO_MS: Millis = 30_000;

/// Why a node is down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Down {
    /// Crashed at this time: its convictions are detections.
    Crashed(Millis),
    /// Left gracefully: its convictions are neither detections nor false.
    Left,
}

/// What is true of one node now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Truth {
    /// Why it is down, if it is.
    pub down: Option<Down>,
    /// Its side of the partition; the same for all when there is none.
    pub side: u32,
    /// The life it runs in (its latest, if it is down).
    pub life: Life,
    /// When it last restarted or changed sides, if it has: until [`ECHO_MS`] after,
    /// a conviction of it or by it is no false one.
    pub moved_at: Option<Millis>,
}

/// Detections, false convictions and resurrections, counted from node events.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// For every crash, how long each node took to convict it.
    detections: Vec<Millis>,
    /// (crashed, detector) pairs already counted in `detections`.
    detected: LookupSet<(NodeId, NodeId)>,
    /// What a viewer knew of each identity it evicted: (viewer, endpoint) →
    /// (generation, version).
    evicted: LookupMap<(NodeId, NodeId), (Life, Version)>,
    false_convictions: u64,
    resurrections: u64,
}

impl Tally {
    /// `by` reported `event` at `now`; `truth` says what is true of a node, `None`
    /// for an id the run does not know.
    pub fn observe(
        &mut self,
        now: Millis,
        by: NodeId,
        event: NodeEvent,
        truth: impl Fn(NodeId) -> Option<Truth>,
    ) {
        match event {
            NodeEvent::Convicted { endpoint, .. } => {
                let (Some(convicted), Some(viewer)) = (truth(endpoint), truth(by)) else {
                    return;
                };
                match convicted.down {
                    Some(Down::Crashed(crashed_at)) => {
                        let first = self.detected.insert((endpoint, by));
                        if first {
                            self.detections.push(now.saturating_sub(crashed_at));
                        }
                    }
                    Some(Down::Left) => {}
                    None if convicted.side == viewer.side
                        && [convicted, viewer]
                            .iter()
                            .all(|t| t.moved_at.is_none_or(|at| now >= at + ECHO_MS)) =>
                    {
                        self.false_convictions += 1;
                    }
                    None => {}
                }
            }
            NodeEvent::Evicted(id, generation, version) => {
                self.evicted.insert((by, id), (generation, version));
            }
            NodeEvent::Learned(id, generation, version) => {
                let dead = truth(id).is_some_and(|t| t.down.is_some() || t.life > generation);
                let stale = self
                    .evicted
                    .get(&(by, id))
                    .is_some_and(|&gone| (generation, version) <= gone);
                if dead && stale {
                    self.resurrections += 1;
                }
            }
            NodeEvent::Suspected { .. }
            | NodeEvent::Restarted(..)
            | NodeEvent::Left(_)
            | NodeEvent::Alive(_)
            | NodeEvent::Changed(..) => {}
        }
    }

    /// `id` restarted: its crash is settled (a later one counts anew), and it
    /// remembers nothing it evicted.
    pub fn restarted(&mut self, id: NodeId) {
        self.detected.retain(|&(crashed, _)| crashed != id);
        self.evicted.retain(|&(viewer, _), _| viewer != id);
    }

    /// How long each node took to convict each crash, in the order counted.
    pub fn detections(&self) -> &[Millis] {
        &self.detections
    }

    /// Convictions of nodes that were up and reachable, and had been for
    /// [`ECHO_MS`].
    pub fn false_convictions(&self) -> u64 {
        self.false_convictions
    }

    /// Evicted identities back in a view while really dead.
    pub fn resurrections(&self) -> u64 {
        self.resurrections
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIEWER: NodeId = NodeId(1);
    const ENDPOINT: NodeId = NodeId(2);

    fn convicted(tally: &mut Tally, now: Millis, endpoint: Truth, viewer: Truth) {
        let event = NodeEvent::Convicted {
            endpoint: ENDPOINT,
            phi: 8.5,
        };
        tally.observe(now, VIEWER, event, |id| {
            Some(if id == ENDPOINT { endpoint } else { viewer })
        });
    }

    const UP: Truth = Truth {
        down: None,
        side: 0,
        life: 1,
        moved_at: None,
    };

    #[test]
    fn a_conviction_within_the_echo_of_a_move_is_not_false_and_after_it_is() {
        let mut tally = Tally::default();
        let healed = Truth {
            moved_at: Some(100_000),
            ..UP
        };
        convicted(&mut tally, 100_000 + ECHO_MS - 1, healed, UP);
        convicted(&mut tally, 100_000 + ECHO_MS - 1, UP, healed);
        assert_eq!(tally.false_convictions(), 0, "either end's move excuses");
        convicted(&mut tally, 100_000 + ECHO_MS, healed, UP);
        assert_eq!(tally.false_convictions(), 1, "the echo has passed");
        let across = Truth { side: 1, ..UP };
        convicted(&mut tally, 500_000, across, UP);
        assert_eq!(tally.false_convictions(), 1, "across a partition: true");
        convicted(&mut tally, 500_000, UP, UP);
        assert_eq!(tally.false_convictions(), 2);
    }

    #[test]
    fn an_identity_back_with_news_the_view_missed_is_no_ghost_and_stale_it_is() {
        let mut tally = Tally::default();
        let left = Truth {
            down: Some(Down::Left),
            ..UP
        };
        let truth = |id: NodeId| Some(if id == ENDPOINT { left } else { UP });
        tally.observe(1_000, VIEWER, NodeEvent::Evicted(ENDPOINT, 1, 10), truth);
        tally.observe(2_000, VIEWER, NodeEvent::Learned(ENDPOINT, 1, 45), truth);
        assert_eq!(tally.resurrections(), 0, "newer than evicted: news");
        tally.observe(3_000, VIEWER, NodeEvent::Evicted(ENDPOINT, 1, 45), truth);
        tally.observe(4_000, VIEWER, NodeEvent::Learned(ENDPOINT, 1, 45), truth);
        assert_eq!(tally.resurrections(), 1, "nothing newer: a ghost");
    }
}
