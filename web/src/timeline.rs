//! The run's past: checkpoints to go back to, and marks of what happened, for the
//! timeline under the canvas. The past is recomputed, not recorded frame by frame:
//! a lab goes back to time t by cloning the last checkpoint before t (or rebuilding
//! the run's start, which costs no memory) and re-simulating (the simulator is
//! deterministic), so what it shows at t is what was drawn at t. Pure Rust, tested
//! natively.

use gossip_core::{Millis, NodeId};

use crate::feed::{Feed, Kind};

/// The most memory the checkpoints may take, at any cluster size.
pub const BUDGET_BYTES: usize = 256 << 20;
/// What one endpoint entry of one view costs in a checkpoint: its id, gossiped state,
/// detector, index slot and schedule entries (ARCHITECTURE.md), rounded up.
pub const BYTES_PER_ENTRY: usize = 64;
/// Checkpoints start this many rounds apart; each time the budget fills, every other
/// one is dropped and the spacing doubles.
const FIRST_SPACING_ROUNDS: u64 = 10;

/// A moment worth marking on the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// When, in simulated ms.
    pub at_ms: Millis,
    /// What kind of moment: a feed line's kind, or `None` for a fork.
    pub kind: Option<Kind>,
    /// What happened, in words (shown on hover).
    pub text: String,
    /// The node it happened to, if one.
    pub node: Option<NodeId>,
}

/// The checkpoints and marks of a run. `T` is what a checkpoint holds (a lab); the
/// run's start is no checkpoint: it is rebuilt from its settings.
#[derive(Debug)]
pub struct Timeline<T> {
    checkpoints: Vec<(Millis, T)>,
    spacing_ms: Millis,
    /// The furthest time the run has reached: the present.
    frontier: f64,
    marks: Vec<Mark>,
    /// Feed lines seen so far (a feed line's `seq`): the ones after are new.
    marked: u64,
}

impl<T> Timeline<T> {
    /// The timeline of a run that starts now, gossiping every `interval_ms`.
    pub fn new(interval_ms: Millis) -> Self {
        Self {
            checkpoints: Vec::new(),
            spacing_ms: FIRST_SPACING_ROUNDS * interval_ms,
            frontier: 0.0,
            marks: Vec::new(),
            marked: 0,
        }
    }

    /// What a checkpoint at `at` (a round's end) would cost, if one is due: the run
    /// is at its present, a spacing past the last one (or the start), and one of
    /// `bytes()` fits the budget at all (at 5,000 nodes none does: every jump starts
    /// from the start). The cost is asked only once the time is due: it walks the
    /// cluster.
    pub fn wants(&self, at: Millis, bytes: impl FnOnce() -> usize) -> Option<usize> {
        let last = self.checkpoints.last().map_or(0, |(t, _)| *t);
        let due = at as f64 >= self.frontier && at >= last + self.spacing_ms;
        due.then(bytes).filter(|&b| b <= BUDGET_BYTES)
    }

    /// Keeps `checkpoint` of time `at`. Each costs about `bytes`: past the budget,
    /// every other one goes (the later of each pair) and the spacing doubles.
    pub fn keep(&mut self, at: Millis, checkpoint: T, bytes: usize) {
        self.checkpoints.push((at, checkpoint));
        let most = BUDGET_BYTES / bytes.max(1);
        while self.checkpoints.len() > most {
            let mut index = 0;
            self.checkpoints.retain(|_| {
                index += 1;
                index % 2 == 0
            });
            self.spacing_ms *= 2;
        }
    }

    /// The last checkpoint at or before `at`, and its time; `None`: start from the
    /// run's start.
    pub fn before(&self, at: f64) -> Option<(Millis, &T)> {
        let after = self.checkpoints.partition_point(|(t, _)| *t as f64 <= at);
        let (t, checkpoint) = self.checkpoints.get(after.checked_sub(1)?)?;
        Some((*t, checkpoint))
    }

    /// Called as the run goes on: at its present, the feed's new lines worth a mark
    /// become marks, and the present moves to `now`.
    pub fn observe(&mut self, now: f64, feed: &Feed) {
        if now < self.frontier {
            return;
        }
        self.frontier = now;
        for line in feed.since(self.marked).filter(|l| l.kind.important()) {
            let node = match line.kind {
                Kind::Conviction => line.other,
                _ => line.node,
            };
            // The first conviction of a node that crashed or left is the moment a
            // learner looks for; the others (every node convicts it, and a partition
            // convicts every node across it) would bury the timeline.
            if line.kind == Kind::Conviction {
                let last = self.marks.iter().rev().find(|m| m.node == node);
                if !last.is_some_and(|m| matches!(m.kind, Some(Kind::Crash | Kind::Leave))) {
                    continue;
                }
            }
            self.marks.push(Mark {
                at_ms: line.at_ms,
                kind: Some(line.kind),
                text: line.text.clone(),
                node,
            });
        }
        self.marked = feed.added();
    }

    /// The user acted at `now`, in the past: the future is discarded, and the fork
    /// is marked. `feed` is the lab's at `now`.
    pub fn fork(&mut self, now: f64, feed: &Feed) {
        if now >= self.frontier {
            return;
        }
        let at = now as Millis;
        self.checkpoints.retain(|(t, _)| *t <= at);
        self.marks.retain(|m| m.at_ms <= at);
        self.marks.push(Mark {
            at_ms: at,
            kind: None,
            text: format!(
                "forked at {:.1} s: the run went another way from here",
                now / 1000.0
            ),
            node: None,
        });
        self.frontier = now;
        self.marked = feed.added();
    }

    /// The present: how far the run has gone.
    pub fn frontier(&self) -> f64 {
        self.frontier
    }

    /// The marks, in time order.
    pub fn marks(&self) -> &[Mark] {
        &self.marks
    }

    /// How many checkpoints there are, and how far apart they are now.
    pub fn checkpoints(&self) -> (usize, Millis) {
        (self.checkpoints.len(), self.spacing_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_thin_out_within_the_budget_and_none_is_kept_past_it() {
        let mut timeline = Timeline::<u64>::new(1_000);
        let bytes = BUDGET_BYTES / 4;
        let mut kept = Vec::new();
        for at in (1_000..=200_000).step_by(1_000) {
            timeline.observe(at as f64, &Feed::default());
            if timeline.wants(at, || bytes).is_some() {
                timeline.keep(at, at, bytes);
                kept.push(at);
            }
        }
        let (count, spacing) = timeline.checkpoints();
        assert!((2..=4).contains(&count), "{count}");
        assert_eq!(spacing, 80_000, "10 rounds, doubled three times");
        assert_eq!(timeline.before(500.0), None, "before the first: the start");
        assert_eq!(timeline.before(170_000.5), Some((160_000, &160_000)));
        assert!(
            timeline.wants(400_000, || BUDGET_BYTES + 1).is_none(),
            "a clone past the budget"
        );
    }
}
