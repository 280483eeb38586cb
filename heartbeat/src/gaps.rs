//! How often a simulated heartbeat cluster's nodes hear each other: what their
//! detectors learned against what they expect. Read from a [`Simulator`] of
//! heartbeat nodes, since only the heartbeat has gaps to learn.

use crate::Node;
use gossip_core::sim::Simulator;

/// How often the nodes that are up hear each other's heartbeats: what their
/// detectors learned, and what they expect ([`Node::refresh_ms`]). A heartbeat gap
/// sets how long a silence takes to convict (about 18 mean gaps under Cassandra's
/// detector), so this explains a run's detection time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeartbeatGaps {
    /// The mean gap between heartbeat advances, in milliseconds, over every pair
    /// of up nodes whose detector has learned one.
    pub mean_ms: f64,
    /// The refresh period the nodes expect, in milliseconds, averaged over them.
    pub refresh_ms: f64,
}

/// How often the up nodes of `sim` hear each other's heartbeats; `None` before any
/// detector learned a gap.
pub fn heartbeat_gaps(sim: &Simulator<Node>) -> Option<HeartbeatGaps> {
    let up = || sim.nodes().iter().filter(|n| !sim.is_down(n.id()));
    let (mut sum, mut pairs) = (0.0, 0_u64);
    for node in up() {
        for (_, mean) in node.learned_gaps().filter(|&(id, _)| !sim.is_down(id)) {
            sum += mean;
            pairs += 1;
        }
    }
    let nodes = up().count().max(1) as f64;
    let refresh: f64 = up().map(|n| n.refresh_ms() as f64).sum();
    (pairs > 0).then(|| HeartbeatGaps {
        mean_ms: sum / pairs as f64,
        refresh_ms: refresh / nodes,
    })
}
