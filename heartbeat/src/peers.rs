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

use crate::state::Status;
use crate::view::ClusterView;
use gossip_core::NodeId;

/// Endpoints to draw from, uniformly.
pub trait Pool {
    /// How many there are.
    fn len(&self) -> usize;
    /// True when there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// One of them, uniformly at random; only called when there is one.
    fn draw(&self, rng: &mut impl RngCore) -> NodeId;
}

impl Pool for [NodeId] {
    fn len(&self) -> usize {
        <[NodeId]>::len(self)
    }

    fn draw(&self, rng: &mut impl RngCore) -> NodeId {
        self[index(rng, <[NodeId]>::len(self))]
    }
}

/// Who is who, as the choosing node sees it (never itself).
pub struct Candidates<'a, L: Pool + ?Sized, U: Pool + ?Sized> {
    /// Endpoints believed alive.
    pub live: &'a L,
    /// Endpoints believed down.
    pub unreachable: &'a U,
    /// The configured seeds, possibly including the choosing node.
    pub seeds: &'a [NodeId],
    /// The choosing node.
    pub me: NodeId,
}

/// The peers to open an exchange with this round, without repeats.
pub fn choose<L: Pool + ?Sized, U: Pool + ?Sized>(
    c: &Candidates<'_, L, U>,
    fanout: usize,
    rng: &mut impl RngCore,
) -> Vec<NodeId> {
    let mut chosen = Vec::with_capacity(fanout + 2);
    let live = c.live.len();
    // A partial Fisher-Yates over indices would allocate; with a small fanout,
    // redrawing on a repeat is cheap and exact.
    while chosen.len() < fanout.min(live) {
        let pick = c.live.draw(rng);
        if !chosen.contains(&pick) {
            chosen.push(pick);
        }
    }
    let unreachable = c.unreachable.len();
    if unreachable > 0 && index(rng, live + 1) < unreachable {
        chosen.push(c.unreachable.draw(rng));
    }
    let seeds = || c.seeds.iter().copied().filter(|&s| s != c.me);
    let seed_count = seeds().count();
    let gossiped_to_seed = chosen.iter().any(|p| seeds().any(|s| s == *p));
    if seed_count > 0 && (!gossiped_to_seed || live < seed_count) {
        let known = live + unreachable;
        if live == 0 || index(rng, known) < seed_count {
            let seed = seeds().nth(index(rng, seed_count)).unwrap_or(c.me);
            if seed != c.me && !chosen.contains(&seed) {
                chosen.push(seed);
            }
        }
    }
    chosen
}

/// The endpoints of a view that are live, or those that are unreachable, as the
/// view's owner sees them: never itself, never one that left. A draw picks a random
/// position of the view and keeps it if it belongs, so it takes O(1) time while the
/// pool holds at least a quarter of the view (always, for the live endpoints of a
/// healthy cluster); a smaller pool is walked for its k-th member instead. Either
/// way, each member is drawn with the same chance, and nothing is listed.
pub struct ViewPool<'a> {
    view: &'a ClusterView,
    me: NodeId,
    unreachable: bool,
    len: usize,
}

impl<'a> ViewPool<'a> {
    /// The live (or, with `unreachable`, the convicted) endpoints of `me`'s view, of
    /// which there are `len` (the owner keeps the counts).
    pub fn new(view: &'a ClusterView, me: NodeId, unreachable: bool, len: usize) -> Self {
        Self {
            view,
            me,
            unreachable,
            len,
        }
    }

    /// Counts the live and the unreachable endpoints of `me`'s view.
    pub fn count(view: &ClusterView, me: NodeId) -> (usize, usize) {
        let mut counts = (0, 0);
        for at in 0..view.len() {
            match Self::class(view, me, at) {
                Some(false) => counts.0 += 1,
                Some(true) => counts.1 += 1,
                None => {}
            }
        }
        counts
    }

    /// Whether the endpoint at `at` is unreachable, live, or neither (`None`).
    fn class(view: &ClusterView, me: NodeId, at: usize) -> Option<bool> {
        let (id, state, detector) = view.nth_entry(at)?;
        (id != me && state.status() != Some(Status::Left)).then(|| detector.is_convicted())
    }

    fn belongs(&self, at: usize) -> bool {
        Self::class(self.view, self.me, at) == Some(self.unreachable)
    }
}

impl Pool for ViewPool<'_> {
    fn len(&self) -> usize {
        self.len
    }

    fn draw(&self, rng: &mut impl RngCore) -> NodeId {
        let n = self.view.len();
        let id = |at| self.view.nth(at).map_or(self.me, |(id, _)| id);
        if self.len.saturating_mul(4) >= n {
            // At least one chance in four a try: 64 all miss less than once in 10⁸
            // draws, and the walk below is as uniform.
            for _ in 0..64 {
                let at = index(rng, n);
                if self.belongs(at) {
                    return id(at);
                }
            }
        }
        let k = index(rng, self.len);
        (0..n)
            .filter(|&at| self.belongs(at))
            .nth(k)
            .map_or(self.me, id)
    }
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

    const NONE: &[NodeId] = &[];

    fn ids(range: core::ops::Range<u32>) -> Vec<NodeId> {
        range.map(NodeId).collect()
    }

    #[test]
    fn picks_fanout_distinct_live_peers() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let live = ids(1..10);
        let c = Candidates {
            live: live.as_slice(),
            unreachable: NONE,
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
            live: NONE,
            unreachable: NONE,
            seeds: &seeds,
            me: NodeId(0),
        };
        assert_eq!(choose(&c, 1, &mut rng), vec![NodeId(7)], "never itself");
        let alone = Candidates {
            live: NONE,
            unreachable: NONE,
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
            live: live.as_slice(),
            unreachable: unreachable.as_slice(),
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
