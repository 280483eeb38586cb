//! A node's recent news: the endpoints whose state changed lately other than by a
//! heartbeat (a STATUS, TOKENS, a user key, a new generation), and when it learned
//! each. Never gossiped. News goes first in the node's Syn pages and its Acks
//! (ARCHITECTURE.md, "Why the digest page puts news first").
//!
//! News is rare, so it is kept apart from the N endpoint states, in a map of the few
//! endpoints it concerns, not as a time in every state: the steady round neither
//! stores nor scans a time per endpoint.

use alloc::vec::Vec;

use crate::lookup::LookupMap;
use crate::{Millis, NodeId};

/// When each endpoint last had news here.
#[derive(Debug, Clone, Default)]
pub(crate) struct News {
    at: LookupMap<NodeId, Millis>,
}

impl News {
    /// `id` had news at `now`.
    pub(crate) fn record(&mut self, id: NodeId, now: Millis) {
        let at = self.at.entry(id).or_insert(now);
        *at = (*at).max(now);
    }

    /// `id` left the view.
    pub(crate) fn forget(&mut self, id: NodeId) {
        self.at.remove(&id);
    }

    /// True when `id` had news within `window` before `now`.
    pub(crate) fn is_news(&self, id: NodeId, now: Millis, window: Millis) -> bool {
        self.at
            .get(&id)
            .is_some_and(|&at| now.saturating_sub(at) < window)
    }

    /// The endpoints with news within `window` before `now`, newest first (ties: the
    /// larger id first), into `into`.
    pub(crate) fn newest_first(&self, now: Millis, window: Millis, into: &mut Vec<NodeId>) {
        self.listed(|at| now.saturating_sub(at) < window, into);
    }

    /// The endpoints with news at `at` or later, newest first, into `into`.
    pub(crate) fn since(&self, at: Millis, into: &mut Vec<NodeId>) {
        self.listed(|news_at| news_at >= at, into);
    }

    fn listed(&self, keep: impl Fn(Millis) -> bool, into: &mut Vec<NodeId>) {
        into.clear();
        if self.at.is_empty() {
            return;
        }
        let mut kept: Vec<(Millis, NodeId)> = self
            .at
            .iter()
            .filter(|&(_, &at)| keep(at))
            .map(|(&id, &at)| (at, id))
            .collect();
        kept.sort_unstable();
        into.extend(kept.iter().rev().map(|&(_, id)| id));
    }

    /// Forgets what is no longer news within `window` before `now`.
    pub(crate) fn prune(&mut self, now: Millis, window: Millis) {
        self.at.retain(|_, &mut at| now.saturating_sub(at) < window);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_first_within_the_window_and_pruned_after_it() {
        let mut news = News::default();
        news.record(NodeId(3), 100);
        news.record(NodeId(1), 300);
        news.record(NodeId(2), 200);
        news.record(NodeId(3), 50);
        let mut ids = Vec::new();
        news.newest_first(1_000, 10_000, &mut ids);
        assert_eq!(ids, [NodeId(1), NodeId(2), NodeId(3)]);
        assert!(news.is_news(NodeId(3), 10_099, 10_000));
        assert!(!news.is_news(NodeId(3), 10_100, 10_000));
        news.prune(10_150, 10_000);
        news.newest_first(10_150, 10_000, &mut ids);
        assert_eq!(ids, [NodeId(1), NodeId(2)]);
        news.since(200, &mut ids);
        assert_eq!(ids, [NodeId(1), NodeId(2)]);
        news.newest_first(10_150, 0, &mut ids);
        assert!(ids.is_empty(), "a window of 0: nothing is news");
    }
}
