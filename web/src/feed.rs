//! The event feed: what happens in the cluster, in plain words, newest first. A
//! pure model, tested natively: the lab pushes the nodes' own events (the core's
//! `NodeEvent`s, worded here), the run's steps (the user's and a scenario's) and
//! captions; the view
//! filters and shows them. Bounded: the newest [`MAX_LINES`] are kept.

use std::collections::VecDeque;

use gossip_core::sim::Logged;
use gossip_core::{Millis, NodeEvent, NodeId};
use gossip_scenario::{Action, Step};

/// The most lines kept.
pub const MAX_LINES: usize = 500;

/// One line of the feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Its number in the feed, from 0: a view keys its lines by it, so that new lines
    /// are inserted and old ones removed instead of every line being rewritten.
    pub seq: u64,
    /// Simulated time, ms.
    pub at_ms: Millis,
    /// The node the line is about first (clicking the line selects it), if any.
    pub node: Option<NodeId>,
    /// Another node it is about, for the filter.
    pub other: Option<NodeId>,
    /// What happened.
    pub text: String,
    /// What kind of line it is.
    pub kind: Kind,
}

/// What a line tells. Every kind but [`Kind::Routine`] is important: shown brighter
/// than the nodes' routine news (suspicions, what they learn, evict or hear of
/// restarts and leaves), which at 1,000 nodes comes by the hundred a second, and
/// marked on the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A node crashed.
    Crash,
    /// A node restarted in a new generation.
    Restart,
    /// A node leaves.
    Leave,
    /// A node joined.
    Join,
    /// The network split.
    Split,
    /// The partition healed.
    Heal,
    /// A node made an update.
    Update,
    /// The followed update reached every node.
    Spread,
    /// A node convicted another.
    Conviction,
    /// A scenario's caption.
    Caption,
    /// A node's routine news.
    Routine,
}

impl Kind {
    /// Everything but a node's routine news.
    pub fn important(self) -> bool {
        self != Kind::Routine
    }
}

/// The feed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Feed {
    lines: VecDeque<Line>,
    /// Lines added so far.
    added: u64,
}

impl Feed {
    /// Adds a line about `node` (and `other`) at `at_ms`, dropping the oldest beyond
    /// [`MAX_LINES`].
    pub fn say(
        &mut self,
        at_ms: Millis,
        node: Option<NodeId>,
        other: Option<NodeId>,
        kind: Kind,
        text: String,
    ) {
        if self.lines.len() == MAX_LINES {
            self.lines.pop_front();
        }
        self.lines.push_back(Line {
            seq: self.added,
            at_ms,
            node,
            other,
            text,
            kind,
        });
        self.added += 1;
    }

    /// Words a node's event.
    pub fn node_event(&mut self, logged: &Logged) {
        let by = logged.by.0;
        let (endpoint, kind, text) = match logged.event {
            NodeEvent::Suspected { endpoint, phi } => (
                endpoint,
                Kind::Routine,
                format!("node {by} suspects node {} (phi {phi:.1})", endpoint.0),
            ),
            NodeEvent::Convicted { endpoint, phi } => (
                endpoint,
                Kind::Conviction,
                format!("node {by} convicted node {} at phi {phi:.1}", endpoint.0),
            ),
            NodeEvent::Evicted(endpoint, ..) => (
                endpoint,
                Kind::Routine,
                format!("node {by} evicted node {} from its view", endpoint.0),
            ),
            NodeEvent::Learned(endpoint, ..) => (
                endpoint,
                Kind::Routine,
                format!("node {by} learned of node {}", endpoint.0),
            ),
            NodeEvent::Restarted(endpoint, generation) => (
                endpoint,
                Kind::Routine,
                format!(
                    "node {by} learned that node {} restarted, in generation {generation}",
                    endpoint.0
                ),
            ),
            NodeEvent::Left(endpoint) => (
                endpoint,
                Kind::Routine,
                format!("node {by} learned that node {} is leaving", endpoint.0),
            ),
            // Every node learns every change, and every recovery follows a
            // conviction the feed told: lines of these would drown the rest.
            NodeEvent::Alive(_) | NodeEvent::Changed(..) => return,
        };
        self.say(logged.at, Some(logged.by), Some(endpoint), kind, text);
    }

    /// Words a step of the run, the user's or a scenario's: its action, then its
    /// caption. `joined` are the ids a join just gave.
    pub fn step(&mut self, step: &Step, joined: std::ops::Range<u32>) {
        let at = step.at_ms;
        let mut tell = |node: Option<NodeId>, kind, text: String| {
            self.say(at, node, None, kind, text);
        };
        match &step.action {
            Some(Action::Crash(n)) => tell(Some(*n), Kind::Crash, format!("node {} crashed", n.0)),
            Some(Action::Restart(n)) => {
                tell(Some(*n), Kind::Restart, format!("node {} restarted", n.0))
            }
            Some(Action::Leave(n)) => tell(Some(*n), Kind::Leave, format!("node {} leaves", n.0)),
            Some(Action::Update(n)) => tell(
                Some(*n),
                Kind::Update,
                format!("node {} made an update", n.0),
            ),
            Some(Action::Join(_)) => {
                for id in joined {
                    let text = format!("node {id} joined through the seeds");
                    tell(Some(NodeId(id)), Kind::Join, text);
                }
            }
            Some(Action::Partition(_) | Action::Split(_)) => {
                tell(None, Kind::Split, "the network splits".to_owned())
            }
            Some(Action::Heal) => tell(None, Kind::Heal, "the partition heals".to_owned()),
            // Introductions are told by the caption; links and settings change no node.
            _ => {}
        }
        if let Some(caption) = &step.caption {
            tell(None, Kind::Caption, caption.clone());
        }
    }

    /// Lines added so far (the next line's `seq`).
    pub fn added(&self) -> u64 {
        self.added
    }

    /// The lines kept whose `seq` is `from` or later, oldest first.
    pub fn since(&self, from: u64) -> impl Iterator<Item = &Line> {
        self.lines.iter().skip_while(move |l| l.seq < from)
    }

    /// The important lines added after line `after` (a `seq`; `None`: from the
    /// start), in one sentence for a screen reader: the newest, and how many more came
    /// with it; with the newest one's `seq`. `None` if there is none. A reader hears
    /// this at a steady pace instead of every line of a busy feed.
    pub fn announcement(&self, after: Option<u64>) -> Option<(u64, String)> {
        let mut fresh = self
            .lines
            .iter()
            .rev()
            .take_while(|l| after.is_none_or(|a| l.seq > a))
            .filter(|l| l.kind.important());
        let newest = fresh.next()?;
        let text = match fresh.count() {
            0 => newest.text.clone(),
            more => format!("{} (and {more} more)", newest.text),
        };
        Some((newest.seq, text))
    }

    /// The lines, newest first: all of them, or only those about `node`.
    pub fn lines(&self, only: Option<NodeId>) -> impl Iterator<Item = &Line> {
        self.lines
            .iter()
            .rev()
            .filter(move |l| only.is_none_or(|n| l.node == Some(n) || l.other == Some(n)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logged(at: Millis, by: u32, event: NodeEvent) -> Logged {
        Logged {
            at,
            by: NodeId(by),
            event,
        }
    }

    #[test]
    fn events_are_worded_newest_first_filtered_and_bounded() {
        let mut feed = Feed::default();
        feed.node_event(&logged(
            1_000,
            2,
            NodeEvent::Suspected {
                endpoint: NodeId(5),
                phi: 3.04,
            },
        ));
        feed.node_event(&logged(
            2_000,
            2,
            NodeEvent::Convicted {
                endpoint: NodeId(5),
                phi: 8.01,
            },
        ));
        feed.say(
            2_500,
            Some(NodeId(9)),
            None,
            Kind::Crash,
            "node 9 crashed".into(),
        );
        let texts: Vec<&str> = feed.lines(None).map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "node 9 crashed",
                "node 2 convicted node 5 at phi 8.0",
                "node 2 suspects node 5 (phi 3.0)"
            ]
        );
        assert_eq!(feed.lines(Some(NodeId(5))).count(), 2, "about node 5");
        assert_eq!(feed.lines(Some(NodeId(2))).count(), 2, "by node 2");
        assert_eq!(feed.lines(Some(NodeId(7))).count(), 0);
        for i in 0..MAX_LINES as u64 {
            feed.say(3_000 + i, None, None, Kind::Routine, format!("{i}"));
        }
        assert_eq!(feed.lines(None).count(), MAX_LINES);
        assert_eq!(feed.lines(None).last().map(|l| l.at_ms), Some(3_000));
    }

    #[test]
    fn a_screen_reader_hears_the_newest_important_line_and_how_many_came_with_it() {
        let mut feed = Feed::default();
        assert_eq!(feed.announcement(None), None);
        feed.say(1, None, None, Kind::Routine, "routine".into());
        assert_eq!(
            feed.announcement(None),
            None,
            "routine lines are not announced"
        );
        feed.step(
            &Step {
                line: 0,
                at_ms: 2,
                action: Some(Action::Crash(NodeId(4))),
                caption: None,
            },
            0..0,
        );
        let (seq, text) = feed.announcement(None).unwrap();
        assert!(text.ends_with("node 4 crashed"), "{text}");
        assert_eq!(
            feed.announcement(Some(seq)),
            None,
            "each line is announced once"
        );
        for by in 0..3 {
            feed.say(
                3,
                Some(NodeId(by)),
                Some(NodeId(4)),
                Kind::Conviction,
                format!("node {by} convicted node 4"),
            );
        }
        let (_, text) = feed.announcement(Some(seq)).unwrap();
        assert_eq!(text, "node 2 convicted node 4 (and 2 more)");
    }
}
