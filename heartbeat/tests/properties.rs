//! The laws gossip relies on, over random inputs:
//! - merging what two nodes know is commutative, associative and idempotent;
//! - versions and generations never go back, whatever arrives;
//! - a delta cut short at any size never leaves a gap.

use gossip_core::NodeId;
use gossip_heartbeat::exchange::{Budget, answer_requests};
use gossip_heartbeat::message::{Delta, Message, Request};
use gossip_heartbeat::state::{EndpointState, Generation, Value, Version, Versioned};
use gossip_heartbeat::view::ClusterView;
use gossip_heartbeat::{Node, NodeConfig};
use proptest::prelude::*;

/// The value an owner sets at `version`: a deterministic history per endpoint, so
/// that the same (endpoint, generation, version) always names the same value, as it
/// does in a real cluster.
fn history_value(endpoint: u32, generation: Generation, version: Version) -> Value {
    match version % 4 {
        0 => Value::Heartbeat,
        1 => Value::Load(u64::from(version) * 10 + u64::from(endpoint)),
        2 => Value::User {
            key: format!("k{}", version % 3),
            value: format!("{generation}.{version}"),
        },
        _ => Value::Heartbeat,
    }
}

/// The owner's own state after setting versions 1..=max in `generation`.
fn owner_state(endpoint: u32, generation: Generation, max: Version) -> EndpointState {
    let mut state = EndpointState::new(generation);
    for version in 1..=max {
        state.set(history_value(endpoint, generation, version), version);
    }
    state
}

/// Knowledge of one endpoint: which generation, and how far into it.
type Knowledge = Vec<(u32, Generation, Version)>;

fn knowledge() -> impl Strategy<Value = Knowledge> {
    prop::collection::vec((1u32..5, 1u32..4, 0u32..12), 0..8)
}

/// Everything `knowledge` describes, as full deltas (from version 0).
fn deltas(knowledge: &Knowledge) -> Vec<Delta> {
    knowledge
        .iter()
        .filter(|&&(_, _, max)| max > 0)
        .map(|&(endpoint, generation, max)| {
            let state = owner_state(endpoint, generation, max);
            Delta {
                endpoint: NodeId(endpoint),
                generation,
                from: 0,
                through: max,
                entries: state.entries().collect(),
            }
        })
        .collect()
}

/// The gossiped part of a view: per endpoint, generation, max version and entries.
type Gossiped = Vec<(NodeId, Generation, Version, Vec<Versioned>)>;

fn gossiped(node: &Node) -> Gossiped {
    let mut out: Gossiped = node
        .view()
        .iter()
        .filter(|(id, _)| *id != node.id())
        .map(|(id, s)| {
            (
                id,
                s.generation(),
                s.max_version(),
                s.entries().collect::<Vec<_>>(),
            )
        })
        .collect();
    out.sort_by_key(|g| g.0);
    out
}

/// A fresh node that has received `parts`, in order.
fn merged(parts: &[&Knowledge]) -> Node {
    let parts: Vec<Vec<Delta>> = parts.iter().map(|part| deltas(part)).collect();
    merged_deltas(&parts)
}

/// A fresh node that has received these deltas, one message a part, in order.
fn merged_deltas(parts: &[Vec<Delta>]) -> Node {
    let mut node = Node::new(NodeId(0), 1, NodeConfig::default(), 0).unwrap();
    for part in parts {
        node.handle(
            NodeId(9),
            Message::Ack2 {
                deltas: part.clone(),
            },
            1,
        )
        .unwrap();
    }
    node
}

/// What `node` knows of the others, as full deltas: what it would gossip.
fn known(node: &Node) -> Vec<Delta> {
    gossiped(node)
        .into_iter()
        .map(|(endpoint, generation, max, entries)| Delta {
            endpoint,
            generation,
            from: 0,
            through: max,
            entries: entries.into_iter().collect(),
        })
        .collect()
}

proptest! {
    #[test]
    fn merge_is_commutative(a in knowledge(), b in knowledge()) {
        prop_assert_eq!(gossiped(&merged(&[&a, &b])), gossiped(&merged(&[&b, &a])));
    }

    #[test]
    fn merge_is_associative(a in knowledge(), b in knowledge(), c in knowledge()) {
        // (a ⊔ b) ⊔ c: one node merges a and b, and a third merges what it knows with c.
        let ab = known(&merged(&[&a, &b]));
        let left = merged_deltas(&[ab, deltas(&c)]);
        // a ⊔ (b ⊔ c): another node merges b and c first, and a third merges a with that.
        let bc = known(&merged(&[&b, &c]));
        let right = merged_deltas(&[deltas(&a), bc]);
        prop_assert_eq!(gossiped(&left), gossiped(&right));
    }

    #[test]
    fn merge_is_idempotent(a in knowledge(), b in knowledge()) {
        prop_assert_eq!(gossiped(&merged(&[&a, &b, &b])), gossiped(&merged(&[&a, &b])));
        prop_assert_eq!(gossiped(&merged(&[&a, &a])), gossiped(&merged(&[&a])));
    }

    /// Whatever deltas arrive (any generation, any starting version, cut anywhere),
    /// no endpoint's (generation, max version) ever decreases, and none is forgotten.
    #[test]
    fn versions_and_generations_never_go_back(
        arrivals in prop::collection::vec((1u32..5, 1u32..4, 0u32..12, 0u32..12), 1..30),
    ) {
        let mut node = Node::new(NodeId(0), 1, NodeConfig::default(), 0).unwrap();
        for (now, (endpoint, generation, from, through)) in (1..).zip(arrivals) {
            let (from, through) = (from.min(through), from.max(through));
            let state = owner_state(endpoint, generation, through);
            let delta = Delta {
                endpoint: NodeId(endpoint),
                generation,
                from,
                through,
                entries: state.entries_after(from).collect(),
            };
            let before: Vec<_> = node.view().iter().map(|(id, s)| (id, (s.generation(), s.max_version()))).collect();
            node.handle(NodeId(9), Message::Ack2 { deltas: vec![delta] }, now).unwrap();
            for (id, old) in before {
                let new = node.view().get(id).map(|s| (s.generation(), s.max_version()));
                prop_assert!(new >= Some(old), "{}: {:?} became {:?}", id, old, new);
            }
        }
    }

    /// A receiver that knew an endpoint up to `known` asks for the rest; the answer is
    /// cut to `budget` bytes. Whatever arrives, every entry the owner has at or below
    /// the receiver's new max version is present at the receiver: no gap.
    #[test]
    fn a_delta_cut_short_never_leaves_a_gap(
        owner_max in 1u32..40,
        known in 0u32..40,
        budget in 0usize..400,
    ) {
        let known = known.min(owner_max);
        let owner = owner_state(1, 1, owner_max);
        let mut owner_view = ClusterView::default();
        owner_view.insert(NodeId(1), owner.clone());
        let request = Request { endpoint: NodeId(1), generation: 1, from: known };
        let answer = answer_requests(&owner_view, &[request], &[], Budget(budget));

        let mut receiver = Node::new(NodeId(0), 1, NodeConfig::default(), 0).unwrap();
        if known > 0 {
            let so_far = owner_state(1, 1, known);
            let full = Delta { endpoint: NodeId(1), generation: 1, from: 0, through: known, entries: so_far.entries().collect() };
            receiver.handle(NodeId(1), Message::Ack2 { deltas: vec![full] }, 1).unwrap();
        }
        receiver.handle(NodeId(1), Message::Ack2 { deltas: answer }, 2).unwrap();
        let Some(got) = receiver.view().get(NodeId(1)) else {
            prop_assert_eq!(known, 0);
            return Ok(());
        };
        for entry in owner.entries().filter(|e| e.version <= got.max_version()) {
            let held = got.find(&entry.value).map(|e| e.version);
            prop_assert!(held >= Some(entry.version), "{:?} missing below {}", entry, got.max_version());
        }
    }
}
