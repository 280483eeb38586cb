//! The same seed and configuration give the same run.

#[path = "fixtures/reference_run.rs"]
mod reference_run;

use gossip_core::sim::{SimConfig, Simulator, Timing};
use gossip_heartbeat::Node;
use reference_run::{REFERENCE_TRACE_HASH, reference_run};

#[test]
fn the_reference_run_has_the_recorded_trace() {
    let sim = reference_run();
    assert!(sim.trace().events() > 50 * 60 * 3 / 2, "the run did gossip");
    assert_eq!(sim.stats().rejected, 0);
    assert_eq!(
        sim.trace_hash(),
        REFERENCE_TRACE_HASH,
        "the reference run changed: {:#x} (update REFERENCE_TRACE_HASH if intended)",
        sim.trace_hash()
    );
}

#[test]
fn same_seed_same_run_other_seed_other_run() {
    let run = |seed, timing| {
        let mut sim = Simulator::<Node>::new(SimConfig {
            nodes: 30,
            seed,
            timing,
            loss_ppm: 100_000,
            ..SimConfig::default()
        })
        .unwrap();
        sim.advance_to(20_000);
        sim.trace_hash()
    };
    for timing in [Timing::Rounds, gossip_core::sim::DEFAULT_TIMING] {
        assert_eq!(run(1, timing), run(1, timing));
        assert_ne!(run(1, timing), run(2, timing));
    }
}

#[test]
fn advancing_in_small_steps_equals_one_big_step() {
    let config = SimConfig {
        nodes: 20,
        seed: 9,
        ..SimConfig::default()
    };
    let mut stepped = Simulator::<Node>::new(config.clone()).unwrap();
    for t in (0..15_000).step_by(16).chain([15_000]) {
        stepped.advance_to(t);
    }
    let mut jumped = Simulator::<Node>::new(config).unwrap();
    jumped.advance_to(15_000);
    assert_eq!(stepped.trace_hash(), jumped.trace_hash());
    assert_eq!(stepped.now(), jumped.now());
}

/// A clone is a checkpoint: from it, the run goes on exactly as the original does,
/// crashes, restarts and messages in flight included (a viewer's time travel
/// re-simulates from one).
#[test]
fn a_clone_runs_on_exactly_as_the_original() {
    let mut original = Simulator::<Node>::new(SimConfig {
        nodes: 30,
        seed: 4,
        ..SimConfig::default()
    })
    .unwrap();
    original.advance_to(7_321);
    original.crash(gossip_core::NodeId(3));
    original.advance_to(20_005);
    let mut checkpoint = original.clone();
    for sim in [&mut original, &mut checkpoint] {
        sim.restart(gossip_core::NodeId(3));
        sim.advance_to(45_000);
    }
    assert_eq!(original.trace_hash(), checkpoint.trace_hash());
    assert_eq!(original.stats(), checkpoint.stats());
    assert_eq!(
        original.in_flight().collect::<Vec<_>>(),
        checkpoint.in_flight().collect::<Vec<_>>(),
        "the same messages on the wire, in the same order"
    );
}
