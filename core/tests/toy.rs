//! The simulator on the smallest protocol ([`gossip_core::toy::Beacon`]), so that
//! what it does for any member is tested apart from the protocols it was written
//! for: the contract's laws, crash detection and its tally, partitions, and the
//! same run from the same seed.

use gossip_core::sim::{Bootstrap, SimConfig, Simulator, Timing};
use gossip_core::toy::{Beacon, BeaconConfig, DEAD_AFTER};
use gossip_core::{NodeId, conformance};

fn cluster(nodes: u32, seed: u64) -> Simulator<Beacon> {
    Simulator::new(SimConfig {
        nodes,
        seed,
        ..SimConfig::default()
    })
    .expect("a valid config")
}

#[test]
fn the_toy_keeps_the_contract() {
    conformance::check::<Beacon>(&SimConfig::<BeaconConfig>::default().node);
}

#[test]
fn a_crash_is_detected_by_every_live_node_within_the_protocols_bound() {
    let mut sim = cluster(8, 1);
    sim.advance_to(5_000);
    sim.crash(NodeId(3));
    sim.advance_to(15_000);
    let detections = sim.detections();
    assert_eq!(
        detections.len(),
        7,
        "every live node convicts the crash once"
    );
    let bound = (DEAD_AFTER + 2) * 1_000;
    assert!(
        detections
            .iter()
            .all(|&d| d > DEAD_AFTER * 1_000 - 1_000 && d <= bound),
        "{detections:?}"
    );
    assert_eq!(sim.stats().false_convictions, 0);
    assert!(
        sim.all_up_see_each_other(),
        "the live ones still see each other"
    );
}

#[test]
fn a_partition_is_convicted_across_the_cut_and_heals() {
    let mut sim = cluster(6, 2);
    sim.advance_to(3_000);
    sim.partition(&[vec![NodeId(0), NodeId(1), NodeId(2)]]);
    sim.advance_to(10_000);
    assert!(!sim.all_up_see_each_other());
    // Across the cut, both ways: no crash to detect, and no false conviction.
    for (viewer, other) in [(0, 4), (4, 0)] {
        let seen = gossip_core::Member::seen(&sim.nodes()[viewer], NodeId(other), sim.now());
        assert_eq!(
            seen.map(|s| s.reachability),
            Some(gossip_core::Reachability::Dead)
        );
    }
    assert!(sim.detections().is_empty());
    assert_eq!(sim.stats().false_convictions, 0);
    sim.heal();
    sim.advance_to(20_000);
    assert!(
        sim.all_up_see_each_other(),
        "healed, everyone hears everyone"
    );
}

#[test]
fn the_same_seed_gives_the_same_run_and_a_clone_runs_on_as_the_original() {
    let run = |seed| {
        let mut sim = Simulator::<Beacon>::new(SimConfig {
            nodes: 10,
            seed,
            loss_ppm: 100_000,
            bootstrap: Bootstrap::Seeds,
            ..SimConfig::default()
        })
        .unwrap();
        sim.advance_to(4_000);
        sim.crash(NodeId(4));
        sim
    };
    let (mut a, mut b) = (run(9), run(9));
    let mut clone = a.clone();
    for sim in [&mut a, &mut b, &mut clone] {
        sim.advance_to(12_000);
    }
    assert_eq!(a.trace_hash(), b.trace_hash());
    assert_eq!(a.trace_hash(), clone.trace_hash());
    assert_ne!(a.trace_hash(), run(10).trace_hash());
    assert!(a.stats().lost > 0, "the network dropped some beacons");
}

#[test]
fn the_rounds_timing_fires_every_member_once_a_period() {
    let mut sim = Simulator::<Beacon>::new(SimConfig {
        nodes: 5,
        timing: Timing::Rounds,
        ..SimConfig::default()
    })
    .unwrap();
    sim.run_rounds(3);
    assert_eq!(sim.round(), 3);
    // Converged: each of 5 beacons to the 4 others, every round.
    assert_eq!(sim.stats().messages, 3 * 5 * 4);
    assert_eq!(sim.stats().by_kind[0], 3 * 5 * 4);
}

#[test]
fn a_members_timer_follows_its_ask_after_any_input() {
    // Beacons that know no one ask for no timeout; a long period shows the
    // difference between answering at once and waiting for the next round.
    let mut sim = Simulator::<Beacon>::new(SimConfig {
        nodes: 2,
        bootstrap: Bootstrap::Seeds,
        node: BeaconConfig {
            period_ms: 60_000,
            seeds: vec![],
        },
        ..SimConfig::default()
    })
    .unwrap();
    sim.record_events();
    sim.advance_to(100_000);
    assert_eq!(sim.stats().messages, 0, "alone, nobody beacons");
    sim.introduce(NodeId(1), NodeId(0));
    let introduced = sim.now();
    sim.advance_to(introduced + 1_000);
    let learned: Vec<(u64, u32)> = sim
        .take_events()
        .iter()
        .filter(|l| matches!(l.event, gossip_core::NodeEvent::Learned(..)))
        .map(|l| (l.at - introduced, l.by.0))
        .collect();
    // Node 1 asks for its round at once; node 0, once it hears node 1, too: both
    // know each other within a few latencies, not a 60 s period.
    assert_eq!(
        learned.iter().map(|&(_, by)| by).collect::<Vec<_>>(),
        [0, 1]
    );
    assert!(
        learned.iter().all(|&(after, _)| after < 1_000),
        "{learned:?}"
    );
}
