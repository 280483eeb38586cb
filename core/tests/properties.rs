//! The laws gossip relies on, checked over random inputs: merge is a join
//! (commutative, associative, idempotent), and what a node knows never goes back.

use gossip_core::{ClusterView, Heartbeat, Message, Node, NodeId};
use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn heartbeats() -> impl Strategy<Value = Vec<(NodeId, Heartbeat)>> {
    prop::collection::vec((0u32..12, 0u64..50), 0..20).prop_map(|entries| {
        entries
            .into_iter()
            .map(|(id, hb)| (NodeId(id), Heartbeat(hb)))
            .collect()
    })
}

/// The gossiped part of the view that results from merging `parts` in order.
fn merged(parts: &[&[(NodeId, Heartbeat)]]) -> Vec<(NodeId, Heartbeat)> {
    let mut view = ClusterView::new();
    for part in parts {
        view.merge(part.iter().copied(), 0);
    }
    view.heartbeats().collect()
}

proptest! {
    #[test]
    fn merge_is_commutative(a in heartbeats(), b in heartbeats()) {
        prop_assert_eq!(merged(&[&a, &b]), merged(&[&b, &a]));
    }

    #[test]
    fn merge_is_associative(a in heartbeats(), b in heartbeats(), c in heartbeats()) {
        let ab = merged(&[&a, &b]);
        let bc = merged(&[&b, &c]);
        prop_assert_eq!(merged(&[&ab, &c]), merged(&[&a, &bc]));
    }

    #[test]
    fn merge_is_idempotent(a in heartbeats(), b in heartbeats()) {
        let ab = merged(&[&a, &b]);
        prop_assert_eq!(merged(&[&ab, &ab]), ab.clone());
        prop_assert_eq!(merged(&[&ab, &b]), ab);
    }

    /// Whatever a node is fed (ticks, and any message from anyone, in any order),
    /// no heartbeat it knows ever goes down and no endpoint is forgotten.
    #[test]
    fn heartbeats_never_go_back(
        seed in any::<u64>(),
        inputs in prop::collection::vec((0u8..4, 0u32..6, heartbeats()), 1..40),
    ) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut node = Node::new(NodeId(0), [NodeId(1), NodeId(2)], 0);
        for (now, (what, from, entries)) in (1..).zip(inputs) {
            let before: Vec<_> = node.view().heartbeats().collect();
            let from = NodeId(from);
            match what {
                0 => { node.tick(now, &mut rng); }
                1 => { node.handle(from, Message::Syn { digests: entries }, now); }
                2 => {
                    let requests = entries.iter().map(|(id, _)| *id).collect();
                    node.handle(from, Message::Ack { deltas: entries, requests }, now);
                }
                _ => { node.handle(from, Message::Ack2 { deltas: entries }, now); }
            }
            for (id, old) in before {
                let new = node.view().get(id).map(|s| s.heartbeat);
                prop_assert!(new >= Some(old), "{id}: {old:?} became {new:?}");
            }
        }
    }

    /// One full exchange leaves both sides with the join of what they had.
    #[test]
    fn an_exchange_leaves_both_sides_with_the_join(a in heartbeats(), b in heartbeats()) {
        let mut alice = Node::new(NodeId(100), [NodeId(101)], 0);
        let mut bob = Node::new(NodeId(101), [NodeId(100)], 0);
        alice.handle(NodeId(7), Message::Ack2 { deltas: a }, 1);
        bob.handle(NodeId(7), Message::Ack2 { deltas: b }, 1);
        let expected = merged(&[
            &alice.view().heartbeats().collect::<Vec<_>>(),
            &bob.view().heartbeats().collect::<Vec<_>>(),
        ]);
        let syn = Message::Syn { digests: alice.view().heartbeats().collect() };
        let ack = bob.handle(alice.id(), syn, 2).expect("a Syn is answered").message;
        let ack2 = alice.handle(bob.id(), ack, 3).expect("an Ack is answered").message;
        prop_assert!(bob.handle(alice.id(), ack2, 4).is_none(), "an Ack2 ends it");
        prop_assert_eq!(alice.view().heartbeats().collect::<Vec<_>>(), expected.clone());
        prop_assert_eq!(bob.view().heartbeats().collect::<Vec<_>>(), expected);
    }
}
