//! A member's life, as every driver runs it: boot with STATUS=normal and its tokens,
//! leave by announcing STATUS=left and gossiping on a while, come back after a
//! restart in a newer generation. Written once here so that the simulator and
//! `gossip-node` cannot disagree on it.

use alloc::vec::Vec;
use core::fmt;

use super::{Node, NodeConfig, NodeConfigError, ValueTooLarge};
use crate::state::{Generation, Status, Token, Value};
use gossip_core::{Millis, NodeId};

/// Rounds a leaving node keeps gossiping after it announced STATUS=left, so that the
/// news reaches everyone before it goes: one-peer push-pull informs a cluster of N
/// in about log₂ N + ln N rounds, ten for a few dozen nodes. Fewer, and the others
/// convict it instead of knowing it left.
pub const LEAVE_ROUNDS: u32 = 10;

/// The generation of a node first started at `now`: Cassandra's boot time in whole
/// seconds, and at least 1 (a simulator's clock starts at 0).
pub fn boot_generation(now: Millis) -> Generation {
    Generation::try_from(now / 1000)
        .unwrap_or(Generation::MAX)
        .max(1)
}

/// The generation of a node restarted at `now` that ran in `previous` before: its
/// boot time, but always above the old one, so that the others take it for a new
/// life even after a restart within the same second or with a clock behind.
pub fn restart_generation(previous: Generation, now: Millis) -> Generation {
    boot_generation(now).max(previous.saturating_add(1))
}

/// Why a node could not boot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BootError {
    /// Its configuration was refused.
    Config(NodeConfigError),
    /// Its tokens do not fit in one message of its MTU.
    Tokens(ValueTooLarge),
}

impl fmt::Display for BootError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BootError::Config(e) => e.fmt(f),
            BootError::Tokens(e) => write!(f, "tokens: {e}"),
        }
    }
}

impl Node {
    /// A member starting in `generation` at `now`, as Cassandra's boots: STATUS=normal
    /// and its `tokens` on the ring, knowing only itself (and its seeds through its
    /// configuration).
    pub fn boot(
        id: NodeId,
        generation: Generation,
        config: NodeConfig,
        tokens: Vec<Token>,
        now: Millis,
    ) -> Result<Self, BootError> {
        let mut node = Node::new(id, generation, config, now).map_err(BootError::Config)?;
        // STATUS is a few bytes: whatever MTU validated fits it.
        node.set_own(Value::Status(Status::Normal), now);
        node.set(Value::Tokens(tokens), now)
            .map_err(BootError::Tokens)?;
        Ok(node)
    }

    /// Announces that this node leaves (STATUS=left). It gossips [`LEAVE_ROUNDS`]
    /// more rounds so the news spreads, and then [`Node::has_left`]. Leaving again
    /// changes nothing.
    pub fn leave(&mut self, now: Millis) {
        if self.leaving.is_none() {
            self.set_own(Value::Status(Status::Left), now);
            self.leaving = Some(LEAVE_ROUNDS);
        }
    }

    /// True once a leaving node has gossiped its last round: the driver stops it.
    pub fn has_left(&self) -> bool {
        self.leaving == Some(0)
    }

    /// Counts one of a leaving node's last rounds.
    pub(super) fn count_leaving_round(&mut self) {
        if let Some(rounds) = &mut self.leaving {
            *rounds = rounds.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restart_always_comes_back_newer() {
        assert_eq!(boot_generation(0), 1, "a simulator's first second");
        assert_eq!(boot_generation(1_700_000_123_456), 1_700_000_123);
        assert_eq!(restart_generation(1, 90_000), 90, "its boot time");
        assert_eq!(restart_generation(90, 90_500), 91, "within the same second");
        assert_eq!(restart_generation(500, 90_000), 501, "a clock behind");
        assert_eq!(restart_generation(Generation::MAX, 0), Generation::MAX);
    }

    #[test]
    fn a_leaving_node_gossips_its_last_rounds_then_has_left() {
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(1);
        let config = NodeConfig {
            seeds: alloc::vec![NodeId(1)],
            ..NodeConfig::default()
        };
        let mut node = Node::boot(NodeId(0), 1, config, alloc::vec![7], 0).unwrap();
        node.leave(0);
        node.leave(0);
        let own = node.view().get(NodeId(0)).unwrap();
        assert_eq!(own.status(), Some(Status::Left));
        for round in 0..LEAVE_ROUNDS {
            assert!(!node.has_left(), "round {round}");
            assert_eq!(node.tick(Millis::from(round) * 1000, &mut rng).len(), 1);
        }
        assert!(node.has_left());
    }

    #[test]
    fn tokens_too_large_for_the_mtu_are_refused_at_boot() {
        let config = NodeConfig {
            mtu: crate::node::MIN_MTU,
            ..NodeConfig::default()
        };
        let err = Node::boot(NodeId(0), 1, config, alloc::vec![Token::MAX; 100], 0).unwrap_err();
        assert!(matches!(err, BootError::Tokens(_)), "{err}");
    }
}
