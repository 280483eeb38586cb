//! A node's recent news: the endpoints whose state changed lately other than by a
//! heartbeat (a STATUS, TOKENS, a user key, a new generation), and when it learned
//! each. Never gossiped. News goes first in the node's Syn pages and its Acks
//! (ARCHITECTURE.md, "Why the digest page puts news first").
//!
//! News is rare, so it is kept apart from the N endpoint states, not as a time in
//! every state: a steady round neither stores nor scans a time per endpoint. The
//! news is a log in (time, id) order: it is learned in time order, so an entry only
//! ever goes among the last ones, those of the same moment. The newest comes first
//! by walking it backwards, without sorting, and a message stops walking once it is
//! full; a map holds each endpoint's latest time, so an entry superseded by a later
//! one, or of an endpoint forgotten, is skipped.

use alloc::vec::Vec;

use gossip_core::lookup::LookupMap;
use gossip_core::{Millis, NodeId};

/// When each endpoint last had news here.
#[derive(Debug, Clone, Default)]
pub(crate) struct News {
    latest: LookupMap<NodeId, Millis>,
    /// Pruned from the front a window at a time; a `Vec` rather than a `VecDeque`,
    /// whose `insert` would cost the page more code than the shifts cost time.
    log: Vec<(Millis, NodeId)>,
}

impl News {
    /// `id` had news at `now` (the caller's clock never goes back).
    pub(crate) fn record(&mut self, id: NodeId, now: Millis) {
        if self.latest.get(&id).is_none_or(|&at| at < now) {
            self.latest.insert(id, now);
            // Among the entries of the same moment, by id: the order a page lists
            // simultaneous news in (the larger id first) does not depend on the
            // order the deltas came in.
            let at = self.log.partition_point(|&entry| entry < (now, id));
            self.log.insert(at, (now, id));
        }
    }

    /// `id` left the view.
    pub(crate) fn forget(&mut self, id: NodeId) {
        self.latest.remove(&id);
    }

    /// True when `id` had news within `window` before `now`. A window of 0 (no
    /// news left) answers without a lookup: a Syn page asks for every digest.
    pub(crate) fn is_news(&self, id: NodeId, now: Millis, window: Millis) -> bool {
        window > 0
            && self
                .latest
                .get(&id)
                .is_some_and(|&at| now.saturating_sub(at) < window)
    }

    /// When the newest news was learned, if any is kept.
    pub(crate) fn latest(&self) -> Option<Millis> {
        self.log.last().map(|&(at, _)| at)
    }

    /// The endpoints with news within `window` before `now`, newest first.
    pub(crate) fn newest_first(
        &self,
        now: Millis,
        window: Millis,
    ) -> impl Iterator<Item = NodeId> + '_ {
        self.walk(move |at| now.saturating_sub(at) < window)
    }

    /// The endpoints with news at `at` or later, newest first.
    pub(crate) fn since(&self, at: Millis) -> impl Iterator<Item = NodeId> + '_ {
        self.walk(move |news_at| news_at >= at)
    }

    /// The log backwards while `recent` holds, each endpoint at its latest entry.
    fn walk(&self, recent: impl Fn(Millis) -> bool + 'static) -> impl Iterator<Item = NodeId> + '_ {
        self.log
            .iter()
            .rev()
            .take_while(move |&&(at, _)| recent(at))
            .filter(|&&(at, id)| self.latest.get(&id) == Some(&at))
            .map(|&(_, id)| id)
    }

    /// Forgets what is no longer news within `window` before `now`.
    pub(crate) fn prune(&mut self, now: Millis, window: Millis) {
        let old = self
            .log
            .partition_point(|&(at, _)| now.saturating_sub(at) >= window);
        for (at, id) in self.log.drain(..old) {
            if self.latest.get(&id) == Some(&at) {
                self.latest.remove(&id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;

    use super::*;

    #[test]
    fn newest_first_within_the_window_each_endpoint_once_and_pruned_after_it() {
        let mut news = News::default();
        news.record(NodeId(3), 50);
        news.record(NodeId(2), 200);
        news.record(NodeId(1), 300);
        news.record(NodeId(3), 400);
        news.record(NodeId(3), 400);
        let newest = |news: &News, now| news.newest_first(now, 10_000).collect::<Vec<_>>();
        assert_eq!(newest(&news, 1_000), [NodeId(3), NodeId(1), NodeId(2)]);
        let mut same_moment = News::default();
        same_moment.record(NodeId(8), 500);
        same_moment.record(NodeId(9), 500);
        same_moment.record(NodeId(7), 500);
        let order: Vec<NodeId> = same_moment.newest_first(1_000, 10_000).collect();
        assert_eq!(
            order,
            [NodeId(9), NodeId(8), NodeId(7)],
            "the larger id first"
        );
        assert!(news.is_news(NodeId(2), 10_199, 10_000));
        assert!(!news.is_news(NodeId(2), 10_200, 10_000));
        news.prune(10_250, 10_000);
        assert_eq!(newest(&news, 10_250), [NodeId(3), NodeId(1)]);
        assert_eq!(news.since(350).collect::<Vec<_>>(), [NodeId(3)]);
        assert_eq!(
            news.newest_first(10_250, 0).count(),
            0,
            "a window of 0: none"
        );
        news.forget(NodeId(1));
        assert_eq!(newest(&news, 10_250), [NodeId(3)]);
        news.prune(20_000, 10_000);
        assert_eq!(newest(&news, 20_000), []);
    }
}
