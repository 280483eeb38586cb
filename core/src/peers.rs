//! Whom to gossip with this round: Cassandra's rule, with a configurable fanout.
//!
//! 1. `fanout` distinct random live endpoints.
//! 2. One unreachable endpoint with probability U / (L + 1), so that partitions heal
//!    by themselves.
//! 3. A seed, if no seed was chosen above or L < the number of seeds: always when
//!    L = 0, otherwise with probability seeds / (L + U). This is what keeps nodes that
//!    were joined one at a time from staying separate logical clusters.
//!
//! Probabilities are drawn as integer comparisons, so the choice is exact and the
//! same on every platform.

use alloc::vec::Vec;

use rand::{Rng, RngCore};

use crate::NodeId;

/// Who is who, as the choosing node sees it (never itself).
pub struct Candidates<'a> {
    /// Endpoints believed alive.
    pub live: &'a [NodeId],
    /// Endpoints believed down.
    pub unreachable: &'a [NodeId],
    /// The configured seeds, possibly including the choosing node.
    pub seeds: &'a [NodeId],
    /// The choosing node.
    pub me: NodeId,
}

/// The peers to open an exchange with this round, without repeats.
pub fn choose(c: &Candidates<'_>, fanout: usize, rng: &mut impl RngCore) -> Vec<NodeId> {
    let mut chosen = Vec::with_capacity(fanout + 2);
    let live = c.live.len();
    // A partial Fisher-Yates over indices would allocate; with a small fanout,
    // redrawing on a repeat is cheap and exact.
    while chosen.len() < fanout.min(live) {
        let pick = c.live[index(rng, live)];
        if !chosen.contains(&pick) {
            chosen.push(pick);
        }
    }
    let unreachable = c.unreachable.len();
    if unreachable > 0 && index(rng, live + 1) < unreachable {
        chosen.push(c.unreachable[index(rng, unreachable)]);
    }
    let seeds: Vec<NodeId> = c.seeds.iter().copied().filter(|&s| s != c.me).collect();
    let gossiped_to_seed = chosen.iter().any(|p| seeds.contains(p));
    if !seeds.is_empty() && (!gossiped_to_seed || live < seeds.len()) {
        let known = live + unreachable;
        if live == 0 || index(rng, known) < seeds.len() {
            let seed = seeds[index(rng, seeds.len())];
            if !chosen.contains(&seed) {
                chosen.push(seed);
            }
        }
    }
    chosen
}

/// A uniform index below `len` (which must be positive), drawn as u32 when it fits so
/// that 32- and 64-bit targets agree.
fn index(rng: &mut impl RngCore, len: usize) -> usize {
    let len = u32::try_from(len).unwrap_or(u32::MAX);
    rng.random_range(0..len) as usize
}

#[cfg(test)]
mod tests {
    use alloc::vec;

    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;

    fn ids(range: core::ops::Range<u32>) -> Vec<NodeId> {
        range.map(NodeId).collect()
    }

    #[test]
    fn picks_fanout_distinct_live_peers() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let live = ids(1..10);
        let c = Candidates {
            live: &live,
            unreachable: &[],
            seeds: &[],
            me: NodeId(0),
        };
        for _ in 0..100 {
            let mut picks = choose(&c, 3, &mut rng);
            assert_eq!(picks.len(), 3);
            picks.sort();
            picks.dedup();
            assert_eq!(picks.len(), 3);
        }
    }

    #[test]
    fn a_node_with_no_live_peer_gossips_to_a_seed() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let seeds = [NodeId(0), NodeId(7)];
        let c = Candidates {
            live: &[],
            unreachable: &[],
            seeds: &seeds,
            me: NodeId(0),
        };
        assert_eq!(choose(&c, 1, &mut rng), vec![NodeId(7)], "never itself");
        let alone = Candidates {
            live: &[],
            unreachable: &[],
            seeds: &[NodeId(0)],
            me: NodeId(0),
        };
        assert!(choose(&alone, 1, &mut rng).is_empty());
    }

    #[test]
    fn unreachable_and_seed_probabilities_follow_cassandra() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let live = ids(10..19); // L = 9
        let unreachable = ids(20..23); // U = 3: probability 3 / 10
        let seeds = [NodeId(1), NodeId(2)]; // not live: probability 2 / 12
        let c = Candidates {
            live: &live,
            unreachable: &unreachable,
            seeds: &seeds,
            me: NodeId(0),
        };
        let (mut to_unreachable, mut to_seed) = (0, 0);
        let rounds = 20_000;
        for _ in 0..rounds {
            let picks = choose(&c, 1, &mut rng);
            to_unreachable += picks.iter().filter(|p| unreachable.contains(p)).count();
            to_seed += picks.iter().filter(|p| seeds.contains(p)).count();
        }
        let p_unreachable = to_unreachable as f64 / rounds as f64;
        let p_seed = to_seed as f64 / rounds as f64;
        assert!((p_unreachable - 0.3).abs() < 0.02, "{p_unreachable}");
        assert!((p_seed - 2.0 / 12.0).abs() < 0.02, "{p_seed}");
    }
}
