//! The hash ring as one node sees it: every endpoint's TOKENS, gossiped like any other
//! state, make each node's view a copy of the ring (the seeds' "basically a copy of
//! the hash ring"). A key belongs to the endpoint with the first token at or after
//! the key's token, wrapping around.

use alloc::vec::Vec;

use crate::state::{Status, Token};
use crate::view::ClusterView;
use gossip_core::NodeId;
use gossip_core::hash::fnv1a;

/// A range of tokens `(start, end]`; it wraps around when `start >= end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenRange {
    /// Exclusive start.
    pub start: Token,
    /// Inclusive end: one of the owner's tokens.
    pub end: Token,
}

/// The ring: all tokens of endpoints that have not left, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ring {
    tokens: Vec<(Token, NodeId)>,
}

impl Ring {
    /// The ring described by `view`.
    pub fn from_view(view: &ClusterView) -> Self {
        let mut tokens: Vec<(Token, NodeId)> = view
            .iter()
            .filter(|(_, state)| state.status() != Some(Status::Left))
            .flat_map(|(id, state)| state.tokens().iter().map(move |&t| (t, id)))
            .collect();
        tokens.sort_unstable();
        tokens.dedup_by_key(|(t, _)| *t);
        Self { tokens }
    }

    /// The token of a key.
    pub fn token_of(key: &[u8]) -> Token {
        fnv1a(key)
    }

    /// Who owns `token`: the endpoint with the first token at or after it.
    pub fn owner(&self, token: Token) -> Option<NodeId> {
        let at = self.tokens.partition_point(|&(t, _)| t < token);
        self.tokens
            .get(at)
            .or_else(|| self.tokens.first())
            .map(|&(_, id)| id)
    }

    /// Who owns `key`.
    pub fn owner_of_key(&self, key: &[u8]) -> Option<NodeId> {
        self.owner(Self::token_of(key))
    }

    /// The ranges `node` owns, one per token, in token order.
    pub fn ranges(&self, node: NodeId) -> Vec<TokenRange> {
        let n = self.tokens.len();
        (0..n)
            .filter(|&i| self.tokens[i].1 == node)
            .map(|i| TokenRange {
                start: self.tokens[(i + n - 1) % n].0,
                end: self.tokens[i].0,
            })
            .collect()
    }

    /// The `rf` distinct endpoints that hold `token`'s replicas, owner first: the
    /// owner, then the owners of the next tokens clockwise that are not yet among
    /// them (Cassandra's SimpleStrategy). Fewer if the ring has fewer endpoints.
    pub fn replicas(&self, token: Token, rf: usize) -> Vec<NodeId> {
        let n = self.tokens.len();
        let at = self.tokens.partition_point(|&(t, _)| t < token);
        let mut replicas = Vec::with_capacity(rf);
        for step in 0..n {
            if replicas.len() == rf {
                break;
            }
            let id = self.tokens[(at + step) % n].1;
            if !replicas.contains(&id) {
                replicas.push(id);
            }
        }
        replicas
    }

    /// Every (token, owner) pair, in token order.
    pub fn tokens(&self) -> &[(Token, NodeId)] {
        &self.tokens
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec;

    use super::*;
    use crate::state::{EndpointState, Value};

    fn ring(members: &[(u32, &[Token], Status)]) -> Ring {
        let mut view = ClusterView::default();
        for &(id, tokens, status) in members {
            let mut state = EndpointState::new(1);
            state.set(Value::Tokens(tokens.to_vec()), 1);
            state.set(Value::Status(status), 2);
            view.insert(NodeId(id), state);
        }
        Ring::from_view(&view)
    }

    #[test]
    fn a_token_belongs_to_the_first_token_at_or_after_it() {
        let r = ring(&[
            (1, &[100, 300], Status::Normal),
            (2, &[200], Status::Normal),
        ]);
        assert_eq!(r.owner(50), Some(NodeId(1)));
        assert_eq!(r.owner(100), Some(NodeId(1)));
        assert_eq!(r.owner(101), Some(NodeId(2)));
        assert_eq!(r.owner(250), Some(NodeId(1)));
        assert_eq!(r.owner(301), Some(NodeId(1)), "wraps to the first token");
        assert_eq!(
            r.ranges(NodeId(1)),
            vec![
                TokenRange {
                    start: 300,
                    end: 100
                },
                TokenRange {
                    start: 200,
                    end: 300
                }
            ]
        );
        assert_eq!(
            r.ranges(NodeId(2)),
            vec![TokenRange {
                start: 100,
                end: 200
            }]
        );
    }

    #[test]
    fn replicas_are_the_owner_then_the_next_distinct_owners_clockwise() {
        let r = ring(&[
            (1, &[100, 150], Status::Normal),
            (2, &[200], Status::Normal),
            (3, &[300], Status::Normal),
        ]);
        assert_eq!(r.replicas(120, 3), vec![NodeId(1), NodeId(2), NodeId(3)]);
        assert_eq!(
            r.replicas(90, 2),
            vec![NodeId(1), NodeId(2)],
            "150 is node 1's again"
        );
        assert_eq!(
            r.replicas(250, 3),
            vec![NodeId(3), NodeId(1), NodeId(2)],
            "wraps"
        );
        assert_eq!(r.replicas(250, 9).len(), 3, "no more than the ring has");
        assert_eq!(r.replicas(250, 1), vec![r.owner(250).unwrap()]);
        assert!(Ring::default().replicas(5, 3).is_empty());
    }

    #[test]
    fn nodes_that_left_own_nothing_and_an_empty_ring_owns_nothing() {
        let r = ring(&[(1, &[100], Status::Left), (2, &[200], Status::Leaving)]);
        assert_eq!(r.owner(150), Some(NodeId(2)));
        assert!(r.ranges(NodeId(1)).is_empty());
        assert_eq!(Ring::default().owner_of_key(b"k"), None);
    }
}
