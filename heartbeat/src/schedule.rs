//! A node's conviction schedule: when each endpoint's detector next needs a look.
//!
//! A detector's verdict changes with time only at known moments: when silence
//! passes the suspect limit, then the conviction limit, then the eviction horizon
//! ([`crate::detector::Detector::rises_at`]). So a tick does not run N detectors:
//! it pops the entries that fell due and looks at those alone. The schedule is a
//! binary min-heap of 8-byte entries (milliseconds after the schedule's epoch, then
//! the endpoint), with lazy deletion: an endpoint's live entry is the one its
//! detector's `scheduled` mark names, and any other is skipped when popped.
//!
//! A heartbeat nearly always moves an endpoint's moment later, and then its entry is
//! left alone: it comes up early, the look finds nothing, and the next one is
//! pushed. Only a moment moved earlier (a gap much shorter than the mean) pushes a
//! second entry, which leaves the first stale. When the heap is full, the stale
//! entries are dropped before it would grow ([`Schedule::drop_stale`]). Offsets are 32 bits: every 2³¹ ms (24 days) the node moves the
//! epoch and schedules every endpoint afresh ([`Schedule::needs_new_epoch`]).

use alloc::collections::BinaryHeap;
use core::cmp::Reverse;

use crate::detector::Detector;
use gossip_core::{Millis, NodeId};

/// How long an epoch lasts before offsets are rebased.
const EPOCH_SPAN: Millis = 1 << 31;

/// The endpoints' next looks, soonest first.
#[derive(Debug, Clone, Default)]
pub(crate) struct Schedule {
    epoch: Millis,
    heap: BinaryHeap<Reverse<u64>>,
}

impl Schedule {
    /// An empty schedule whose offsets count from `epoch`.
    pub(crate) fn new(epoch: Millis) -> Self {
        Self {
            epoch,
            heap: BinaryHeap::new(),
        }
    }

    /// The mark of moment `at`: its offset plus one (0 means nothing scheduled).
    /// Moments before the epoch come up at once; those beyond the span, early.
    fn mark(&self, at: Millis) -> u32 {
        let offset = at
            .saturating_sub(self.epoch)
            .min(Millis::from(u32::MAX - 1));
        offset as u32 + 1
    }

    /// Makes room for `more` entries.
    pub(crate) fn reserve(&mut self, more: usize) {
        self.heap.reserve_exact(more);
    }

    /// Makes sure `detector` (of `id`) is looked at after `now` and no later than
    /// `by`: keeps its entry if that comes up soon enough.
    pub(crate) fn look_by(&mut self, id: NodeId, detector: &mut Detector, now: Millis, by: Millis) {
        if detector.scheduled == 0 || self.mark(by) < detector.scheduled {
            let mark = self.mark(by.max(now + 1));
            detector.scheduled = mark;
            self.heap
                .push(Reverse((u64::from(mark) << 32) | u64::from(id.0)));
        }
    }

    /// True when the next entry would make the heap grow.
    pub(crate) fn is_full(&self) -> bool {
        self.heap.len() == self.heap.capacity()
    }

    /// Drops the stale entries: those for which `live(endpoint, mark)` is false.
    /// Called when the heap is full, so that stale entries never make it grow: a
    /// detector still learning its first gaps, long ones, moves its moment earlier
    /// often, and at 2,000 nodes the stale entries had taken the heap past its
    /// room of 1.5 entries per endpoint, to twice that. Keys are unique, so the
    /// order entries come up in does not change.
    ///
    /// A drop walks the whole heap, so it must free room for many entries: if it
    /// freed less than a sixteenth, the heap grows by an eighth, and the next drop
    /// comes only after that many pushes.
    pub(crate) fn drop_stale(&mut self, live: impl Fn(NodeId, u32) -> bool) {
        self.heap
            .retain(|&Reverse(entry)| live(NodeId(entry as u32), (entry >> 32) as u32));
        let len = self.heap.len();
        if self.heap.capacity() - len < len / 16 {
            self.heap.reserve_exact(len / 8 + 1);
        }
    }

    /// The next endpoint whose entry fell due at `now`, and that entry's mark, to
    /// compare with its detector's: equal means the entry is live.
    pub(crate) fn pop_due(&mut self, now: Millis) -> Option<(NodeId, u32)> {
        let &Reverse(top) = self.heap.peek()?;
        let mark = (top >> 32) as u32;
        if mark > self.mark(now) {
            return None;
        }
        self.heap.pop();
        Some((NodeId(top as u32), mark))
    }

    /// True when offsets from the epoch are about to run out: the caller then
    /// starts a new schedule at `now` and schedules every endpoint on it.
    pub(crate) fn needs_new_epoch(&self, now: Millis) -> bool {
        now.saturating_sub(self.epoch) >= EPOCH_SPAN
    }

    /// Entries held, live and stale.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.heap.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropping_stale_entries_keeps_the_live_ones_in_order() {
        let mut schedule = Schedule::new(0);
        let mut detectors = [Detector::default(), Detector::default()];
        for (at, id) in [(9_000, 0), (8_000, 1), (5_000, 0), (2_000, 1)] {
            schedule.look_by(NodeId(id), &mut detectors[id as usize], 0, at);
        }
        assert_eq!(schedule.len(), 4);
        schedule.drop_stale(|id, mark| detectors[id.0 as usize].scheduled == mark);
        assert_eq!(schedule.len(), 2, "the two later entries were stale");
        assert_eq!(schedule.pop_due(2_000).map(|e| e.0), Some(NodeId(1)));
        assert_eq!(schedule.pop_due(5_000).map(|e| e.0), Some(NodeId(0)));
        assert_eq!(schedule.pop_due(u64::MAX), None);
    }

    #[test]
    fn entries_come_up_in_time_order_and_a_later_moment_keeps_the_earlier_entry() {
        let mut schedule = Schedule::new(1_000);
        let (mut a, mut b) = (Detector::default(), Detector::default());
        schedule.look_by(NodeId(1), &mut a, 1_000, 8_000);
        schedule.look_by(NodeId(2), &mut b, 1_000, 4_500);
        schedule.look_by(NodeId(1), &mut a, 1_000, 8_500);
        assert_eq!(schedule.len(), 2, "a later moment keeps the entry");
        schedule.look_by(NodeId(1), &mut a, 1_000, 3_100);
        assert_eq!(schedule.len(), 3, "an earlier one adds an entry");
        assert_eq!(schedule.pop_due(3_099), None);
        assert_eq!(schedule.pop_due(3_100), Some((NodeId(1), a.scheduled)));
        assert_eq!(schedule.pop_due(4_499), None);
        assert_eq!(schedule.pop_due(4_500), Some((NodeId(2), b.scheduled)));
        let stale = schedule.pop_due(8_000).unwrap();
        assert_ne!(stale.1, a.scheduled, "the entry for 8.0 s is stale");
        let mut c = Detector::default();
        schedule.look_by(NodeId(3), &mut c, 8_000, 8_000);
        assert_eq!(
            schedule.pop_due(8_000),
            None,
            "never due at the moment it is made"
        );
        assert_eq!(schedule.pop_due(8_001), Some((NodeId(3), c.scheduled)));
        assert_eq!(schedule.pop_due(u64::MAX), None);
        assert!(!schedule.needs_new_epoch(1_000 + EPOCH_SPAN - 1));
        assert!(schedule.needs_new_epoch(1_000 + EPOCH_SPAN));
    }
}
