//! The view's index (direct for dense ids, hashed for the rest) against a plain map,
//! over random inserts and removals of near and far ids: every lookup agrees, and
//! iteration holds exactly the endpoints present.

use std::collections::BTreeMap;

use gossip_core::NodeId;
use gossip_heartbeat::state::EndpointState;
use gossip_heartbeat::view::ClusterView;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Insert(u32, u32),
    Remove(u32),
}

/// Ids mostly dense (as a cluster numbers its nodes), some anywhere in u32.
fn id() -> impl Strategy<Value = u32> {
    prop_oneof![4 => 0u32..64, 1 => 64u32..5_000, 1 => any::<u32>()]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (id(), 1u32..1_000).prop_map(|(id, generation)| Op::Insert(id, generation)),
        1 => id().prop_map(Op::Remove),
    ]
}

proptest! {
    #[test]
    fn the_view_agrees_with_a_map(ops in prop::collection::vec(op(), 1..300)) {
        let mut view = ClusterView::default();
        let mut model: BTreeMap<u32, u32> = BTreeMap::new();
        for op in &ops {
            match *op {
                Op::Insert(id, generation) => {
                    view.insert(NodeId(id), EndpointState::new(generation));
                    model.insert(id, generation);
                }
                Op::Remove(id) => {
                    let removed = view.remove(NodeId(id)).map(|s| s.generation());
                    prop_assert_eq!(removed, model.remove(&id));
                }
            }
            prop_assert_eq!(view.len(), model.len());
        }
        for op in &ops {
            let id = match *op { Op::Insert(id, _) | Op::Remove(id) => id };
            let found = view.get(NodeId(id)).map(|s| s.generation());
            prop_assert_eq!(found, model.get(&id).copied());
        }
        let mut listed: Vec<(u32, u32)> =
            view.iter().map(|(id, state)| (id.0, state.generation())).collect();
        listed.sort_unstable();
        prop_assert_eq!(listed, model.into_iter().collect::<Vec<_>>());
    }
}
