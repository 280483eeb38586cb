//! The hash ring as the selected node sees it: its view's TOKENS, as the core's
//! [`Ring`] orders them, and how that copy differs from the nodes' own TOKENS (during
//! a partition, or before a joiner's TOKENS have spread). A key's lookup is the
//! same ring's: its token, its owner and its replicas. Pure, tested natively; the
//! stage draws it and `components/ring_panel.rs` words it.

use gossip_core::NodeId;
use gossip_core::sim::Simulator;
use gossip_heartbeat::Node;
use gossip_heartbeat::Status;
use gossip_heartbeat::ring::{Ring, TokenRange};
use gossip_heartbeat::state::Token;

/// The replication factor a lookup starts with, as in most Cassandra keyspaces.
pub const DEFAULT_RF: usize = 3;
/// The largest replication factor the key box takes.
pub const MAX_RF: usize = 9;

/// One node's copy of the ring.
#[derive(Debug, Clone, PartialEq)]
pub struct RingView {
    /// The node whose copy it is.
    pub viewer: NodeId,
    /// Its tokens in order, each with its owner.
    pub ring: Ring,
    /// The nodes whose own TOKENS the copy lacks, or holds in an older form, by id.
    pub lacks: Vec<NodeId>,
}

impl RingView {
    /// `viewer`'s ring in `sim` now.
    pub fn of(sim: &Simulator<Node>, viewer: NodeId) -> Self {
        let nodes = sim.nodes();
        let view = nodes[viewer.0 as usize].view();
        let lacks = nodes
            .iter()
            .filter_map(|node| {
                let own = node.view().get(node.id())?;
                let member = !own.tokens().is_empty() && own.status() != Some(Status::Left);
                let copy = view.get(node.id()).map(|s| s.tokens());
                (member && copy != Some(own.tokens())).then_some(node.id())
            })
            .collect();
        Self {
            viewer,
            ring: Ring::from_view(view),
            lacks,
        }
    }

    /// What the copy lacks, in words.
    pub fn difference(&self) -> String {
        let viewer = self.viewer.0;
        match self.lacks.as_slice() {
            [] => format!("Node {viewer}'s ring has every node's tokens."),
            [one] => format!("Node {viewer}'s ring lacks node {}'s tokens.", one.0),
            many => {
                let named: Vec<String> = many.iter().take(5).map(|id| id.0.to_string()).collect();
                let more = many.len().saturating_sub(5);
                let rest = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                format!(
                    "Node {viewer}'s ring lacks the tokens of {} nodes: {}{rest}.",
                    many.len(),
                    named.join(", ")
                )
            }
        }
    }
}

/// A key looked up on a ring.
#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    /// The key's token.
    pub token: Token,
    /// Its replicas, owner first.
    pub replicas: Vec<NodeId>,
}

/// Where `key` lives on `ring` at replication factor `rf`.
pub fn look_up(ring: &Ring, key: &str, rf: usize) -> Lookup {
    let token = Ring::token_of(key.as_bytes());
    Lookup {
        token,
        replicas: ring.replicas(token, rf),
    }
}

/// How far round the ring `token` is, 0 to 1, clockwise from token 0.
pub fn turn(token: Token) -> f64 {
    token as f64 / 2f64.powi(64)
}

/// A range as the share of the ring it spans: "12.3 % → 18.0 %".
pub fn range_text(range: TokenRange) -> String {
    let percent = |t| format!("{:.1} %", 100.0 * turn(t));
    format!("{} → {}", percent(range.start), percent(range.end))
}

#[cfg(test)]
mod tests {
    use gossip_core::sim::SimConfig;
    use gossip_heartbeat::Node;

    use super::*;

    #[test]
    fn a_converged_copy_lacks_nothing_and_a_joiner_is_missing_until_its_tokens_spread() {
        let mut sim = Simulator::<Node>::new(SimConfig {
            nodes: 12,
            seed: 4,
            ..SimConfig::default()
        })
        .unwrap();
        let view = RingView::of(&sim, NodeId(3));
        assert!(view.lacks.is_empty());
        assert_eq!(view.ring.tokens().len(), 12 * 4);
        assert_eq!(view.difference(), "Node 3's ring has every node's tokens.");

        let joiner = sim.join().unwrap();
        let view = RingView::of(&sim, NodeId(3));
        assert_eq!(view.lacks, vec![joiner]);
        assert_eq!(
            view.difference(),
            format!("Node 3's ring lacks node {}'s tokens.", joiner.0)
        );
        assert!(
            RingView::of(&sim, joiner).lacks.len() >= 11,
            "the joiner knows only itself"
        );

        sim.advance_to(60_000);
        assert!(
            RingView::of(&sim, NodeId(3)).lacks.is_empty(),
            "gossip spread them"
        );
    }

    #[test]
    fn a_lookup_names_the_owner_and_the_replicas_of_the_viewers_ring() {
        let sim = Simulator::<Node>::new(SimConfig {
            nodes: 8,
            seed: 1,
            ..SimConfig::default()
        })
        .unwrap();
        let view = RingView::of(&sim, NodeId(0));
        let found = look_up(&view.ring, "user:42", DEFAULT_RF);
        assert_eq!(found.token, Ring::token_of(b"user:42"));
        assert_eq!(found.replicas.len(), DEFAULT_RF);
        assert_eq!(found.replicas[0], view.ring.owner(found.token).unwrap());
        let owned = view.ring.ranges(found.replicas[0]);
        assert!(
            owned.iter().any(|r| if r.start < r.end {
                r.start < found.token && found.token <= r.end
            } else {
                found.token > r.start || found.token <= r.end
            }),
            "the token lies in one of its owner's ranges"
        );
    }

    #[test]
    fn many_lacking_nodes_are_counted_and_the_first_named() {
        let view = RingView {
            viewer: NodeId(4),
            ring: Ring::default(),
            lacks: (10..17).map(NodeId).collect(),
        };
        assert_eq!(
            view.difference(),
            "Node 4's ring lacks the tokens of 7 nodes: 10, 11, 12, 13, 14 and 2 more."
        );
        assert_eq!(
            range_text(TokenRange {
                start: 0,
                end: u64::MAX / 2
            }),
            "0.0 % → 50.0 %"
        );
    }
}
