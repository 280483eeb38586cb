//! News forwarded at once ([`NodeConfig::forward_news`]) against Cassandra's rule,
//! and both against the ideal push-pull, in continuous time.
//!
//! With fanout 3, a node that learns news from one peer's Ack cannot pass it on in
//! the Ack2s to its other peers that round under Cassandra's rule: an Ack2 answers
//! only what each peer requested against the Syn page built at tick time. Forwarding
//! adds the news learned since the page to every Ack2, and should bring a full
//! spread close to the ideal model's.

use gossip_core::sim::{SimConfig, Simulator, Timing};
use gossip_core::{Millis, NodeId};
use gossip_heartbeat::Node;
use gossip_heartbeat::NodeConfig;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const FANOUT: usize = 3;
const INTERVAL_MS: Millis = 1_000;

/// The ideal push-pull, in continuous time: each of `n` nodes ticks once per
/// interval at its own phase (uniform in the interval), and each tick exchanges with
/// `FANOUT` distinct other nodes drawn uniformly; an exchange takes no time and
/// carries all that both ends know, so afterwards both are informed if either was.
/// News starts at a random node at the start of a round, as if injected at a random
/// moment of every node's phase. Returns the milliseconds until all know it.
pub fn ideal_spread_ms(n: usize, rng: &mut impl Rng) -> Millis {
    let mut phases: Vec<(Millis, usize)> = (0..n)
        .map(|node| (rng.random_range(0..INTERVAL_MS), node))
        .collect();
    phases.sort_unstable();
    let mut informed = vec![false; n];
    informed[rng.random_range(0..n)] = true;
    let mut count = 1;
    for round in 0.. {
        for &(phase, node) in &phases {
            let mut peers: Vec<usize> = Vec::with_capacity(FANOUT);
            while peers.len() < FANOUT {
                let peer = rng.random_range(0..n);
                if peer != node && !peers.contains(&peer) {
                    peers.push(peer);
                }
            }
            for peer in peers {
                if informed[node] != informed[peer] {
                    informed[node] = true;
                    informed[peer] = true;
                    count += 1;
                }
            }
            if count == n {
                return round * INTERVAL_MS + phase;
            }
        }
    }
    unreachable!("the loop returns once everyone knows")
}

/// The mean of the ideal model's full-spread time over `trials` runs, in seconds.
pub fn ideal_mean_s(n: usize, trials: u64) -> f64 {
    let mut rng = ChaCha8Rng::seed_from_u64(n as u64);
    let total: Millis = (0..trials).map(|_| ideal_spread_ms(n, &mut rng)).sum();
    total as f64 / trials as f64 / 1000.0
}

/// Gossip Lab's full-spread time, in seconds, of a key set at a random node of a
/// converged cluster of `n` after 10 s, with fanout 3 and a 1 ms network; and the
/// bytes sent per node per round while it spread.
pub fn spread_s(n: u32, seed: u64, forward_news: bool) -> (f64, f64) {
    let mut sim = Simulator::<Node>::new(SimConfig {
        nodes: n,
        seed,
        timing: Timing::Continuous {
            mean_ms: 1,
            jitter_ms: 0,
        },
        node: NodeConfig {
            interval_ms: INTERVAL_MS,
            fanout: FANOUT,
            forward_news,
            seeds: vec![NodeId(0)],
            ..NodeConfig::default()
        },
        ..SimConfig::default()
    })
    .expect("a valid configuration");
    sim.advance_to(10_000);
    let origin = NodeId(ChaCha8Rng::seed_from_u64(seed).random_range(0..n));
    let (start, bytes) = (sim.now(), sim.stats().bytes);
    let update = sim.set(origin, "k", "v").expect("a node").expect("fits");
    while sim.informed(update) < n as usize {
        sim.advance_to(sim.now() + 10);
        assert!(sim.now() - start < 60_000, "the update never spread");
    }
    let seconds = (sim.now() - start) as f64 / 1000.0;
    let per_node_round = (sim.stats().bytes - bytes) as f64 / f64::from(n) / seconds;
    (seconds, per_node_round)
}

#[test]
fn forwarding_fresh_news_spreads_faster_on_the_same_seeds_and_near_the_ideal() {
    let (n, seeds) = (300, 1..=16);
    let mean = |forward| {
        let runs: Vec<(f64, f64)> = seeds
            .clone()
            .map(|seed| spread_s(n, seed, forward))
            .collect();
        let count = runs.len() as f64;
        let seconds = runs.iter().map(|r| r.0).sum::<f64>() / count;
        let bytes = runs.iter().map(|r| r.1).sum::<f64>() / count;
        (seconds, bytes)
    };
    let ((off, off_bytes), (on, on_bytes)) = (mean(false), mean(true));
    let ideal = ideal_mean_s(n as usize, 1_000);
    eprintln!(
        "N = {n}: ideal {ideal:.2} s; forwarding {on:.2} s, {on_bytes:.0} B per node-round; \
         Cassandra's rule {off:.2} s, {off_bytes:.0} B per node-round"
    );
    assert!(on < off, "forwarding {on:.2} s, without {off:.2} s");
    assert!(
        on <= ideal * 1.10,
        "forwarding {on:.2} s against the ideal {ideal:.2} s"
    );
}

#[test]
fn the_ideal_model_matches_its_mean_field_estimate() {
    // In the ideal push-pull with fanout f, the informed share x grows at rate about
    // (1 + f)·x(1 − x) per interval, while the last few need log(N)/(1 + f) more:
    // a full spread takes about 2·ln(N)/(1 + f) intervals, 2.85 s at N = 300.
    let mean = ideal_mean_s(300, 400);
    assert!((1.5..3.5).contains(&mean), "{mean:.2} s");
}
