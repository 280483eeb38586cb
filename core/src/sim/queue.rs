//! The simulator's agenda: events ordered by time, ties broken by the order they were
//! scheduled, so that a run never depends on heap internals.

use alloc::collections::BinaryHeap;
use core::cmp::Ordering;

use alloc::vec::Vec;

use crate::{Millis, NodeId};

/// A message on the wire: plain data that a view can draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// The sender.
    pub from: NodeId,
    /// The receiver.
    pub to: NodeId,
    /// When it left the sender.
    pub sent_at: Millis,
    /// When it reaches the receiver, or would have if it were not lost.
    pub arrives_at: Millis,
    /// Its kind: an index into the member's [`crate::Member::KINDS`].
    pub kind: u8,
    /// The message as encoded on the wire.
    pub bytes: Vec<u8>,
    /// The network drops it: it travels (so a view can show it) but never arrives.
    pub lost: bool,
}

/// Something that happens at an instant.
#[derive(Debug, Clone)]
pub enum Event {
    /// A node's gossip timer fires.
    Tick(NodeId),
    /// A message arrives.
    Deliver(Envelope),
}

#[derive(Debug, Clone)]
struct Scheduled {
    at: Millis,
    seq: u64,
    event: Event,
}

// Ordered by (at, seq) only; seq is unique, so this is a total order. Reversed so
// that the max-heap pops the earliest event first.
impl Ord for Scheduled {
    fn cmp(&self, other: &Self) -> Ordering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}
impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Scheduled {}

/// A deterministic priority queue of events.
#[derive(Debug, Clone, Default)]
pub struct Agenda {
    heap: BinaryHeap<Scheduled>,
    next_seq: u64,
}

impl Agenda {
    /// Schedules `event` at `at`.
    pub fn push(&mut self, at: Millis, event: Event) {
        self.heap.push(Scheduled {
            at,
            seq: self.next_seq,
            event,
        });
        self.next_seq += 1;
    }

    /// Removes and returns the earliest event due at or before `until`.
    pub fn pop_due(&mut self, until: Millis) -> Option<(Millis, Event)> {
        if self.heap.peek()?.at > until {
            return None;
        }
        self.heap.pop().map(|s| (s.at, s.event))
    }

    /// Every message still on the wire, in no particular order.
    pub fn in_flight(&self) -> impl Iterator<Item = &Envelope> {
        self.heap.iter().filter_map(|s| match &s.event {
            Event::Deliver(envelope) => Some(envelope),
            Event::Tick(_) => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_order_then_in_scheduling_order() {
        let mut agenda = Agenda::default();
        agenda.push(20, Event::Tick(NodeId(0)));
        agenda.push(10, Event::Tick(NodeId(1)));
        agenda.push(10, Event::Tick(NodeId(2)));
        let order: alloc::vec::Vec<_> = core::iter::from_fn(|| agenda.pop_due(15))
            .map(|(at, event)| match event {
                Event::Tick(id) => (at, id.0),
                Event::Deliver(_) => unreachable!(),
            })
            .collect();
        assert_eq!(order, [(10, 1), (10, 2)]);
        assert!(agenda.pop_due(19).is_none());
        assert!(agenda.pop_due(20).is_some());
    }
}
