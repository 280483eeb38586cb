//! Building the messages of an exchange so that each fits the MTU, digests included,
//! at any cluster size.
//!
//! - A Syn carries a page of digests: the node's own, the receivers' (so a receiver
//!   known only as a seed is asked for everything), then recent news (newest first),
//!   then a slice of the rest taken from a rotating cursor, so every endpoint's digest
//!   goes out within ⌈N / page⌉ rounds.
//! - An Ack answers the digests it was sent (deltas most out of date first; requests
//!   for what it lacks), then offers its own news that the page did not mention.
//! - An Ack2 answers the requests.
//!
//! Every delta obeys the no-gap rule: entries go in version order from the version
//! the receiver has, and a delta cut short ends at its last entry.

use alloc::vec::Vec;
use core::cmp::Ordering;

use crate::message::{Delta, Digest, Entries, Request};
use crate::state::{EndpointState, Generation, Version};
use crate::view::ClusterView;
use crate::wire::encoded_len;
use gossip_core::NodeId;

/// Bytes left in the message being built.
#[derive(Debug, Clone, Copy)]
pub struct Budget(pub usize);

impl Budget {
    /// Takes `bytes` if they fit.
    fn take(&mut self, bytes: usize) -> bool {
        let fits = bytes <= self.0;
        if fits {
            self.0 -= bytes;
        }
        fits
    }
}

/// The digest page of a Syn to `peers`. `cursor` is where the rotation stopped last
/// time; `news` lists the endpoints with recent news, newest first, and `is_news`
/// says whether an endpoint is among them.
pub fn syn_page(
    view: &ClusterView,
    me: NodeId,
    peers: &[NodeId],
    cursor: &mut usize,
    news: impl Iterator<Item = NodeId>,
    is_news: impl Fn(NodeId) -> bool,
    mut budget: Budget,
) -> Vec<Digest> {
    let mut page = Vec::new();
    let mut add = |digest: Digest, budget: &mut Budget| {
        let fits = budget.take(encoded_len(&digest));
        if fits {
            page.push(digest);
        }
        fits
    };
    if let Some(own) = view.digest(me) {
        add(own, &mut budget);
    }
    for &peer in peers {
        // Generation 0: "I have nothing of you".
        let known = view.digest(peer).unwrap_or(Digest {
            endpoint: peer,
            generation: 0,
            max_version: 0,
        });
        add(known, &mut budget);
    }
    let listed = |id: NodeId| id == me || peers.contains(&id);
    for id in news.filter(|&id| !listed(id)) {
        if let Some(digest) = view.digest(id)
            && !add(digest, &mut budget)
        {
            return page;
        }
    }
    let n = view.len();
    for step in 0..n {
        let at = (*cursor + step) % n;
        let Some((id, state)) = view.nth(at) else {
            break;
        };
        if listed(id) || is_news(id) {
            continue;
        }
        if !add(digest_of(id, state), &mut budget) {
            *cursor = at;
            return page;
        }
    }
    page
}

/// How a digest stands against a node's copy of its endpoint: the rule by which the
/// receiver of a Syn answers it, and what an inspector marks the digest with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// The receiver has never heard of the endpoint: it asks for everything.
    Unknown,
    /// The digest knows more: a newer generation (`restarted`: the endpoint came back,
    /// so the receiver asks for everything), or more versions of the same one (it asks
    /// for those above `ours`).
    Ahead {
        /// The digest's generation is newer than the receiver's.
        restarted: bool,
        /// The receiver's max version.
        ours: Version,
    },
    /// The receiver knows more: a newer generation (it sends that generation whole),
    /// or more versions of the same one (it sends those above the digest's, up to
    /// `ours`).
    Behind {
        /// The receiver's generation is newer than the digest's.
        restarted: bool,
        /// The receiver's max version.
        ours: Version,
    },
    /// Both know the same: nothing to send either way.
    Equal,
}

/// How `digest` stands against `view`'s copy of its endpoint.
pub fn standing(view: &ClusterView, digest: &Digest) -> Standing {
    let Some(state) = view.get(digest.endpoint) else {
        return Standing::Unknown;
    };
    let ours = state.max_version();
    match state.generation().cmp(&digest.generation) {
        Ordering::Less => Standing::Ahead {
            restarted: true,
            ours,
        },
        Ordering::Greater => Standing::Behind {
            restarted: true,
            ours,
        },
        Ordering::Equal => match ours.cmp(&digest.max_version) {
            Ordering::Less => Standing::Ahead {
                restarted: false,
                ours,
            },
            Ordering::Greater => Standing::Behind {
                restarted: false,
                ours,
            },
            Ordering::Equal => Standing::Equal,
        },
    }
}

/// The Ack's answer to a page of digests: deltas for what the initiator lacks
/// (`is_news` endpoints first), and requests for what this node lacks, then this
/// node's `news` (newest first) that the page did not mention. `with_deltas` and
/// `with_requests` select pull, push or both.
pub fn answer_syn(
    view: &ClusterView,
    me: NodeId,
    mut theirs: Vec<Digest>,
    news: impl Iterator<Item = NodeId>,
    is_news: impl Fn(NodeId) -> bool,
    (with_deltas, with_requests): (bool, bool),
    budget: Budget,
) -> (Vec<Delta>, Vec<Request>) {
    highest_claims(&mut theirs);

    // (priority, endpoint, from): the version gap, or MAX for a whole new generation.
    let mut wanted: Vec<(Version, NodeId, Version)> = Vec::with_capacity(theirs.len());
    let mut requests = Vec::new();
    for digest in &theirs {
        let everything = Request {
            endpoint: digest.endpoint,
            generation: 0,
            from: 0,
        };
        match standing(view, digest) {
            Standing::Unknown
            | Standing::Ahead {
                restarted: true, ..
            } => {
                requests.push(everything);
            }
            Standing::Ahead { ours, .. } => requests.push(Request {
                endpoint: digest.endpoint,
                generation: digest.generation,
                from: ours,
            }),
            Standing::Behind {
                restarted: true, ..
            } => wanted.push((Version::MAX, digest.endpoint, 0)),
            Standing::Behind { ours, .. } => wanted.push((
                // News goes before the heartbeats' gaps, however small its own.
                if is_news(digest.endpoint) {
                    Version::MAX - 1
                } else {
                    ours - digest.max_version
                },
                digest.endpoint,
                digest.max_version,
            )),
            Standing::Equal => {}
        }
    }
    if !with_requests {
        requests.clear();
    }
    // Requests may use at most half the message, so deltas always get room.
    let requests_len: usize = requests.iter().map(encoded_len).sum();
    let reserved = requests_len.min(budget.0 / 2);
    let mut delta_budget = Budget(budget.0 - reserved);
    let deltas = if with_deltas {
        // Most out of date first; restarts and unknowns (from 0) before everything.
        wanted.sort_unstable_by(most_behind_first);
        let (restarts, stale) = wanted.split_at(wanted.partition_point(|w| w.0 == Version::MAX));
        let news = news
            .filter(|&id| id != me && theirs.binary_search_by_key(&id, |d| d.endpoint).is_err());
        let order = restarts
            .iter()
            .map(|w| (w.1, w.2))
            .chain(news.map(|id| (id, 0)))
            .chain(stale.iter().map(|w| (w.1, w.2)));
        fill(view, order, &mut delta_budget)
    } else {
        Vec::new()
    };
    let mut budget = Budget(delta_budget.0 + reserved);
    let requests = requests
        .into_iter()
        .take_while(|r| budget.take(encoded_len(r)))
        .collect();
    (deltas, requests)
}

/// The Ack2's answer: the `fresh` news to forward first, `(endpoint, from)` in the
/// order given, for endpoints not requested; then the requests, most out of date
/// first.
pub fn answer_requests(
    view: &ClusterView,
    requests: &[Request],
    fresh: &[(NodeId, Version)],
    mut budget: Budget,
) -> Vec<Delta> {
    // A request is the requester's claim to have everything up to `from`.
    let mut asked: Vec<Digest> = requests
        .iter()
        .map(|r| Digest {
            endpoint: r.endpoint,
            generation: r.generation,
            max_version: r.from,
        })
        .collect();
    highest_claims(&mut asked);
    let mut wanted: Vec<(Version, NodeId, Version)> = asked
        .iter()
        .filter_map(|r| {
            let state = view.get(r.endpoint)?;
            let from = match state.generation().cmp(&r.generation) {
                Ordering::Greater => 0,
                Ordering::Equal if state.max_version() > r.max_version => r.max_version,
                _ => return None,
            };
            Some((state.max_version() - from, r.endpoint, from))
        })
        .collect();
    wanted.sort_unstable_by(most_behind_first);
    let unrequested = fresh
        .iter()
        .copied()
        .filter(|&(id, _)| asked.binary_search_by_key(&id, |d| d.endpoint).is_err());
    fill(
        view,
        unrequested.chain(
            wanted
                .into_iter()
                .map(|(_, endpoint, from)| (endpoint, from)),
        ),
        &mut budget,
    )
}

/// Keeps one claim per endpoint, the highest, in endpoint order: untrusted digests
/// or requests may name an endpoint twice. Both answers share it, and so the page
/// carries one copy of the sort.
fn highest_claims(claims: &mut Vec<Digest>) {
    claims.sort_unstable_by_key(|d| {
        (
            d.endpoint,
            core::cmp::Reverse((d.generation, d.max_version)),
        )
    });
    claims.dedup_by_key(|d| d.endpoint);
}

/// The order deltas are sent in, by both answers: the largest version gap first,
/// then by endpoint.
fn most_behind_first(a: &(Version, NodeId, Version), b: &(Version, NodeId, Version)) -> Ordering {
    b.0.cmp(&a.0).then(a.1.cmp(&b.1))
}

/// Deltas for `(endpoint, from)` in the order given, until the budget runs out. A
/// delta cut short is the last one: the budget is spent.
fn fill(
    view: &ClusterView,
    order: impl Iterator<Item = (NodeId, Version)>,
    budget: &mut Budget,
) -> Vec<Delta> {
    let mut deltas = Vec::new();
    for (endpoint, from) in order {
        let Some((delta, complete)) = view
            .get(endpoint)
            .and_then(|state| delta(endpoint, state, from, budget))
        else {
            break;
        };
        deltas.push(delta);
        if !complete {
            break;
        }
    }
    deltas
}

fn digest_of(id: NodeId, state: &EndpointState) -> Digest {
    Digest {
        endpoint: id,
        generation: state.generation(),
        max_version: state.max_version(),
    }
}

/// The entries of `state` after `from`, as many as fit, in version order. `None` when
/// not even one entry fits; the flag says whether everything fit.
fn delta(
    endpoint: NodeId,
    state: &EndpointState,
    from: Version,
    budget: &mut Budget,
) -> Option<(Delta, bool)> {
    let generation: Generation = state.generation();
    let mut delta = Delta {
        endpoint,
        generation,
        from,
        through: from,
        entries: Entries::new(),
    };
    // The header with `through` at its final size (it can only grow to max_version),
    // plus room for the entry count to grow past one byte.
    let header = encoded_len(&Delta {
        through: state.max_version(),
        ..delta.clone()
    }) + 2;
    let mut left = Budget(budget.0.checked_sub(header)?);
    let mut complete = true;
    for entry in state.entries_after(from) {
        if !left.take(encoded_len(&entry)) {
            complete = false;
            break;
        }
        delta.through = entry.version;
        delta.entries.push(entry);
    }
    if delta.entries.is_empty() {
        return None;
    }
    budget.0 = left.0;
    Some((delta, complete))
}

#[cfg(test)]
mod tests {
    use alloc::collections::BTreeSet;
    use alloc::vec;

    use super::*;
    use crate::state::Value;

    fn view(n: u32) -> ClusterView {
        let mut view = ClusterView::default();
        for id in 0..n {
            let mut state = EndpointState::new(1);
            state.set(Value::Heartbeat, id * 1000);
            view.insert(NodeId(id), state);
        }
        view
    }

    #[test]
    fn the_rotation_sends_every_digest_within_a_bounded_number_of_pages() {
        let view = view(1000);
        let budget = Budget(1400 - crate::wire::FRAME_OVERHEAD);
        let mut cursor = 0;
        let mut seen = BTreeSet::new();
        let mut pages = 0;
        let mut smallest = usize::MAX;
        while seen.len() < 1000 {
            let page = syn_page(
                &view,
                NodeId(0),
                &[NodeId(5)],
                &mut cursor,
                [].into_iter(),
                |_| false,
                budget,
            );
            assert_eq!(page[0].endpoint, NodeId(0), "own digest first");
            assert_eq!(page[1].endpoint, NodeId(5), "then the receiver's");
            let len: usize = page.iter().map(encoded_len).sum();
            assert!(len <= budget.0);
            smallest = smallest.min(page.len());
            seen.extend(page.iter().map(|d| d.endpoint));
            pages += 1;
            assert!(pages <= 1000, "the rotation is stuck");
        }
        assert!(smallest > 100, "pages of {smallest} digests are too small");
        assert!(
            pages <= 1000_usize.div_ceil(smallest - 2) + 1,
            "{pages} pages"
        );
    }

    #[test]
    fn news_goes_first_and_an_unknown_receiver_is_asked_for_everything() {
        let view = view(500);
        let news = [NodeId(321)];
        let mut cursor = 0;
        let page = syn_page(
            &view,
            NodeId(0),
            &[NodeId(9999)],
            &mut cursor,
            news.into_iter(),
            |id| news.contains(&id),
            Budget(300),
        );
        assert_eq!(
            page[1],
            Digest {
                endpoint: NodeId(9999),
                generation: 0,
                max_version: 0
            }
        );
        assert_eq!(page[2].endpoint, NodeId(321));
        // A receiver seeing generation 0 for itself sends all of its state first, then
        // its news, though the page did not mention it.
        let unknown = Digest {
            endpoint: NodeId(7),
            generation: 0,
            max_version: 0,
        };
        let (deltas, requests) = answer_syn(
            &view,
            NodeId(7),
            vec![unknown],
            news.into_iter(),
            |id| news.contains(&id),
            (true, true),
            Budget(1000),
        );
        assert!(requests.is_empty());
        let sent: Vec<_> = deltas.iter().map(|d| (d.endpoint, d.from)).collect();
        assert_eq!(sent, [(NodeId(7), 0), (NodeId(321), 0)]);
    }

    #[test]
    fn an_endpoint_named_twice_is_answered_once_from_its_highest_claim() {
        let view = view(10);
        // Endpoint 3 is at version 3000 here.
        let asked = |from| Request {
            endpoint: NodeId(3),
            generation: 1,
            from,
        };
        let deltas = answer_requests(&view, &[asked(0), asked(2999), asked(5)], &[], Budget(1000));
        let sent: Vec<_> = deltas.iter().map(|d| (d.endpoint, d.from)).collect();
        assert_eq!(sent, [(NodeId(3), 2999)]);

        let claim = |max_version| Digest {
            endpoint: NodeId(3),
            generation: 1,
            max_version,
        };
        let (deltas, requests) = answer_syn(
            &view,
            NodeId(0),
            vec![claim(10), claim(3001), claim(20)],
            [].into_iter(),
            |_| false,
            (true, true),
            Budget(1000),
        );
        assert!(deltas.is_empty(), "the highest claim is ahead of this view");
        assert_eq!(requests, [asked(3000)]);
    }

    #[test]
    fn a_digest_stands_ahead_behind_equal_or_unknown_and_the_ack_answers_by_it() {
        let view = view(10); // endpoint 3: generation 1, version 3000
        let digest = |endpoint, generation, max_version| Digest {
            endpoint: NodeId(endpoint),
            generation,
            max_version,
        };
        let cases = [
            (digest(3, 1, 3000), Standing::Equal),
            (
                digest(3, 1, 3005),
                Standing::Ahead {
                    restarted: false,
                    ours: 3000,
                },
            ),
            (
                digest(3, 2, 4),
                Standing::Ahead {
                    restarted: true,
                    ours: 3000,
                },
            ),
            (
                digest(3, 1, 2990),
                Standing::Behind {
                    restarted: false,
                    ours: 3000,
                },
            ),
            (
                digest(3, 0, 0),
                Standing::Behind {
                    restarted: true,
                    ours: 3000,
                },
            ),
            (digest(42, 1, 7), Standing::Unknown),
        ];
        for (digest, expected) in cases {
            assert_eq!(standing(&view, &digest), expected, "{digest:?}");
            let (deltas, requests) = answer_syn(
                &view,
                NodeId(0),
                vec![digest],
                [].into_iter(),
                |_| false,
                (true, true),
                Budget(1000),
            );
            let (sends, asks) = match expected {
                Standing::Equal => (None, None),
                Standing::Ahead {
                    restarted: false,
                    ours,
                } => (None, Some((1, ours))),
                Standing::Ahead {
                    restarted: true, ..
                }
                | Standing::Unknown => (None, Some((0, 0))),
                Standing::Behind {
                    restarted: false, ..
                } => (Some(digest.max_version), None),
                Standing::Behind {
                    restarted: true, ..
                } => (Some(0), None),
            };
            assert_eq!(deltas.first().map(|d| d.from), sends, "{digest:?}");
            assert_eq!(
                requests.first().map(|r| (r.generation, r.from)),
                asks,
                "{digest:?}"
            );
        }
    }
}
