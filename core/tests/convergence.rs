//! The simulator against theory: rounds for one update to reach every node, in the
//! papers' model (synchronous rounds, one random partner, no loss), compared with the
//! Monte Carlo figures in shared/REFERENCE.md.

use gossip_core::NodeId;
use gossip_core::sim::{SimConfig, Simulator, Timing};

/// Rounds until an update injected at node 0 is known by all `nodes`.
fn rounds_to_spread(nodes: u32, seed: u64) -> u64 {
    let mut sim = Simulator::new(SimConfig {
        nodes,
        seed,
        timing: Timing::Rounds,
        ..SimConfig::default()
    })
    .unwrap();
    let update = sim.inject_update(NodeId(0)).unwrap();
    let mut rounds = 0;
    while sim.informed(update) < nodes as usize {
        sim.run_rounds(1);
        rounds += 1;
        assert!(rounds < 100, "seed {seed}: the update stopped spreading");
    }
    rounds
}

/// REFERENCE.md: N = 100, push-pull, mean 6.5 rounds (p99 8). Within ±10 %.
#[test]
fn push_pull_at_100_nodes_matches_the_reference_mean() {
    const SEEDS: u64 = 200;
    let rounds: Vec<u64> = (0..SEEDS).map(|seed| rounds_to_spread(100, seed)).collect();
    let mean = rounds.iter().sum::<u64>() as f64 / SEEDS as f64;
    println!("push-pull, N = 100, {SEEDS} seeds: mean {mean:.2} rounds");
    assert!(
        (6.5 * 0.9..=6.5 * 1.1).contains(&mean),
        "mean {mean:.2} rounds is not within 10 % of 6.5"
    );
    let max = *rounds.iter().max().unwrap();
    assert!(
        max <= 10,
        "slowest run took {max} rounds; reference p99 is 8"
    );
}

/// REFERENCE.md: mean fraction informed after each round at N = 1000, push-pull.
#[test]
fn fraction_informed_per_round_follows_the_reference_curve_at_1000_nodes() {
    const SEEDS: u64 = 20;
    let reference = [(2, 0.009), (4, 0.077), (6, 0.48), (7, 0.81), (8, 0.977)];
    let mut sums = [0.0; 9];
    for seed in 0..SEEDS {
        let mut sim = Simulator::new(SimConfig {
            nodes: 1000,
            seed,
            timing: Timing::Rounds,
            ..SimConfig::default()
        })
        .unwrap();
        let update = sim.inject_update(NodeId(0)).unwrap();
        for sum in sums.iter_mut().skip(1) {
            sim.run_rounds(1);
            *sum += sim.informed(update) as f64 / 1000.0;
        }
    }
    for (round, expected) in reference {
        let mean = sums[round] / SEEDS as f64;
        println!("round {round}: mean fraction informed {mean:.3} (reference {expected})");
        let tolerance = (expected * 0.25_f64).max(0.01);
        assert!(
            (mean - expected).abs() <= tolerance,
            "round {round}: {mean:.3} vs reference {expected}"
        );
    }
}
