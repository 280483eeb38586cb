//! The simulator against theory: rounds for one update to reach every node, in the
//! papers' model (synchronous rounds, one random partner), compared with the Monte
//! Carlo figures in shared/REFERENCE.md. The update travels through the real protocol:
//! encoded Syn, Ack and Ack2 messages of at most 1400 bytes.

use gossip_core::NodeId;
use gossip_core::sim::{PPM, SimConfig, Simulator, Timing};
use gossip_heartbeat::Node;
use gossip_heartbeat::{Mode, NodeConfig, Profile};

/// Rounds until a key set on the last node is known by all `nodes`.
fn rounds_to_spread(nodes: u32, seed: u64, loss_percent: u32, mode: Mode) -> u64 {
    let mut sim = Simulator::<Node>::new(SimConfig {
        nodes,
        seed,
        timing: Timing::Rounds,
        loss_ppm: loss_percent * PPM / 100,
        // The papers' model: one random partner a round.
        node: NodeConfig {
            mode,
            fanout: 1,
            seeds: vec![NodeId(0)],
            ..Profile::Tuned.node_config()
        },
        ..SimConfig::default()
    })
    .unwrap();
    let update = sim.set(NodeId(nodes - 1), "k", "v").unwrap().unwrap();
    let mut rounds = 0;
    while sim.informed(update) < nodes as usize {
        sim.run_rounds(1);
        rounds += 1;
        assert!(rounds < 200, "seed {seed}: the update stopped spreading");
    }
    assert!(sim.stats().max_message_bytes <= 1400);
    rounds
}

/// Mean rounds over `seeds` seeds.
fn mean_rounds(nodes: u32, seeds: u64, loss_percent: u32, mode: Mode) -> f64 {
    let total: u64 = (0..seeds)
        .map(|s| rounds_to_spread(nodes, s, loss_percent, mode))
        .sum();
    total as f64 / seeds as f64
}

fn assert_within_10_percent(what: &str, measured: f64, reference: f64) {
    println!("{what}: mean {measured:.2} rounds (reference {reference})");
    assert!(
        (measured - reference).abs() <= reference * 0.1,
        "{what}: mean {measured:.2} rounds is not within 10 % of {reference}"
    );
}

#[test]
fn three_message_exchange_at_100_nodes_matches_the_reference() {
    for (loss, reference) in [(0, 6.5), (10, 8.1), (30, 13.8)] {
        let mean = mean_rounds(100, 200, loss, Mode::PushPull);
        assert_within_10_percent(&format!("N = 100, {loss} % loss"), mean, reference);
    }
}

// N = 1000 needs paged digests (a full digest list is ~7 KB). One test per loss
// level, so that the test harness runs them in parallel.
#[test]
fn three_message_exchange_at_1000_nodes_without_loss_matches_the_reference() {
    let mean = mean_rounds(1000, 100, 0, Mode::PushPull);
    assert_within_10_percent("N = 1000, 0 % loss", mean, 9.2);
}

#[test]
fn three_message_exchange_at_1000_nodes_with_10_percent_loss_matches_the_reference() {
    let mean = mean_rounds(1000, 100, 10, Mode::PushPull);
    assert_within_10_percent("N = 1000, 10 % loss", mean, 11.6);
}

#[test]
fn three_message_exchange_at_1000_nodes_with_30_percent_loss_matches_the_reference() {
    let mean = mean_rounds(1000, 100, 30, Mode::PushPull);
    assert_within_10_percent("N = 1000, 30 % loss", mean, 19.8);
}

#[test]
fn push_and_pull_alone_match_the_reference() {
    assert_within_10_percent("push, N = 100", mean_rounds(100, 200, 0, Mode::Push), 12.3);
    assert_within_10_percent("pull, N = 100", mean_rounds(100, 200, 0, Mode::Pull), 9.7);
}
