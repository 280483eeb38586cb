//! What an inspector reads from a running simulation: a watched node's last
//! messages, decoded on demand from the bytes the simulator carries.

use gossip_core::NodeId;
use gossip_core::sim::{SimConfig, Simulator, WATCHED};
use gossip_heartbeat::Node;
use gossip_heartbeat::{Message, wire};

#[test]
fn a_watched_node_keeps_its_last_messages_which_decode_to_what_was_sent() {
    let mut sim = Simulator::<Node>::new(SimConfig {
        nodes: 20,
        seed: 3,
        ..SimConfig::default()
    })
    .unwrap();
    assert_eq!(sim.watched().count(), 0, "nobody watched, nothing kept");
    let node = NodeId(4);
    sim.watch(Some(node));
    sim.advance_to(30_000);
    let kept: Vec<_> = sim.watched().cloned().collect();
    assert_eq!(kept.len(), WATCHED, "a busy node fills the window");
    assert!(kept.iter().all(|e| e.from == node || e.to == node));
    assert!(
        kept.windows(2).all(|w| w[0].sent_at <= w[1].sent_at),
        "oldest first"
    );
    assert!(kept.iter().any(|e| e.from == node) && kept.iter().any(|e| e.to == node));
    for envelope in &kept {
        let message = wire::message(&envelope.bytes).expect("the simulator carries valid bytes");
        assert_eq!(message.kind().index(), envelope.kind);
        let (_, native) = wire::decode(&envelope.bytes).unwrap();
        assert_eq!(message, native);
        if let Message::Syn { digests } = &message {
            assert!(
                !digests.is_empty(),
                "a Syn carries at least its sender's digest"
            );
        }
    }

    // Watching the same node again keeps what was kept; another starts afresh.
    sim.watch(Some(node));
    assert_eq!(sim.watched().count(), WATCHED);
    sim.watch(Some(NodeId(5)));
    assert_eq!(sim.watched().count(), 0);
    sim.watch(None);
    sim.advance_to(35_000);
    assert_eq!(sim.watched().count(), 0);
}

#[test]
fn watching_does_not_change_the_run() {
    let run = |watch| {
        let mut sim = Simulator::<Node>::new(SimConfig {
            nodes: 20,
            seed: 8,
            ..SimConfig::default()
        })
        .unwrap();
        sim.watch(watch);
        sim.advance_to(20_000);
        sim.trace_hash()
    };
    assert_eq!(run(None), run(Some(NodeId(2))));
}
