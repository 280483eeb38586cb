//! Gossip against the all-to-all heartbeat it replaces: the seeds' O(N²) messages a
//! tick against O(N), with the same failure detector.

use gossip_core::NodeId;
use gossip_core::sim::{SimConfig, Simulator};
use gossip_heartbeat::Node;
use gossip_heartbeat::node::Protocol;
use gossip_heartbeat::{NodeConfig, Profile};

fn cluster(nodes: u32, protocol: Protocol) -> Simulator<Node> {
    Simulator::<Node>::new(SimConfig {
        nodes,
        seed: 31,
        node: NodeConfig {
            protocol,
            seeds: vec![NodeId(0)],
            ..Profile::Tuned.node_config()
        },
        ..SimConfig::default()
    })
    .unwrap()
}

/// Messages sent per round, over rounds 2 and 3.
fn messages_per_round(nodes: u32, protocol: Protocol) -> f64 {
    let mut sim = cluster(nodes, protocol);
    sim.advance_to(1_000);
    let before = sim.stats().messages;
    sim.advance_to(3_000);
    (sim.stats().messages - before) as f64 / 2.0
}

#[test]
fn all_to_all_sends_n_n_minus_1_messages_a_round_and_gossip_o_n() {
    let fanout = Profile::Tuned.fanout() as f64;
    for n in [100u32, 1000] {
        let all_to_all = messages_per_round(n, Protocol::AllToAll);
        let gossip = messages_per_round(n, Protocol::Gossip);
        let n = f64::from(n);
        println!("N = {n}: all-to-all {all_to_all} messages a round, gossip {gossip}");
        assert_eq!(all_to_all, n * (n - 1.0));
        // Each node opens about `fanout` exchanges of at most three messages.
        assert!(
            gossip >= n * fanout && gossip <= n * (fanout + 2.0) * 3.0,
            "{gossip}"
        );
    }
}

#[test]
fn both_detect_a_crash_with_the_same_detector() {
    for protocol in [Protocol::AllToAll, Protocol::Gossip] {
        let mut sim = cluster(100, protocol);
        sim.advance_to(60_000);
        sim.crash(NodeId(42));
        sim.advance_to(90_000);
        let d = sim.detections();
        assert_eq!(
            d.len(),
            99,
            "{protocol:?}: every live node convicts the crash"
        );
        let mean = d.iter().sum::<u64>() as f64 / d.len() as f64 / 1000.0;
        println!("{protocol:?}: detection mean {mean:.2} s");
        assert!(mean < 10.0, "{protocol:?}: {mean:.2} s");
        assert_eq!(sim.stats().false_convictions, 0, "{protocol:?}");
    }
}
