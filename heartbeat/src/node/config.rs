//! How a node gossips: its settings, their ranges, and why one is refused.

use alloc::vec::Vec;
use core::fmt;

use crate::detector::{DetectorConfig, Model};
use crate::state::{Value, Version, Versioned};
use crate::wire::{ClusterId, FRAME_OVERHEAD, MAX_MESSAGE};
use gossip_core::named::named;
use gossip_core::{Millis, NodeId};

/// A generation more than this many seconds ahead of the local clock is corrupt
/// (Cassandra's one year).
pub const MAX_GENERATION_AHEAD_SECS: u64 = 365 * 24 * 3600;
/// The smallest MTU accepted: room for a frame and a few entries.
pub const MIN_MTU: usize = 256;
/// The longest eviction horizon accepted, 2³¹ ms (24 days): a detector tells
/// silences exactly up to twice that ([`crate::detector::Detector`]).
pub const MAX_EVICT_AFTER_MS: Millis = 1 << 31;
/// The most endpoints a node keeps by default: above the largest cluster the
/// simulator runs ([`gossip_core::sim::MAX_NODES`]), far below what exhausts a host.
pub const DEFAULT_MAX_ENDPOINTS: usize = 16_384;
/// The gossip intervals the tools offer (the page's control, `--interval-ms`, a
/// scenario's setup): 100 ms to 10 s. The node itself takes any positive interval;
/// `core/tests/detection.rs` convicts a crash at each of these.
pub const INTERVALS_MS: core::ops::RangeInclusive<Millis> = 100..=10_000;

/// The most peers a round may gossip with: far more than any system uses (one to
/// four), still bounded so that a round's messages are.
pub const MAX_FANOUT: usize = 64;
/// Tokens per node are bounded so that TOKENS always fits in one message.
pub const MAX_TOKENS_PER_NODE: u32 = 64;

/// Which way state flows in an exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The initiator sends what the receiver lacks: Syn, Ack (requests), Ack2.
    Push,
    /// The initiator fetches what it lacks: Syn, Ack (deltas).
    Pull,
    /// Both, as Cassandra: Syn, Ack (deltas and requests), Ack2.
    PushPull,
}

named!(Mode {
    Push => "push",
    Pull => "pull",
    PushPull => "push-pull",
});

/// How heartbeats travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// The gossip protocol: a few exchanges per node per round, O(N) messages.
    Gossip,
    /// The baseline it replaces: every node heartbeats every other node every
    /// round, N(N − 1) messages.
    AllToAll,
}

named!(Protocol {
    Gossip => "gossip",
    AllToAll => "all-to-all",
});

/// How a node gossips.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeConfig {
    /// Messages of other clusters are rejected.
    pub cluster: ClusterId,
    /// Seeds, known from configuration; a node may be one of its own seeds.
    pub seeds: Vec<NodeId>,
    /// No message is larger than this many bytes.
    pub mtu: usize,
    /// The gossip interval: how often the driver calls [`Node::tick`](super::Node::tick). The node
    /// reads it for one rule: a tick later than `interval_ms` plus
    /// [`DetectorConfig::max_local_pause_ms`] after the one before means this node
    /// itself was paused, so the silence it then sees is its own fault. Deriving
    /// the guard from the interval keeps any interval from silencing the detector.
    pub interval_ms: Millis,
    /// Live peers to gossip with each round.
    pub fanout: usize,
    /// Push, pull or push-pull.
    pub mode: Mode,
    /// How long a change other than a heartbeat counts as news, sent first.
    pub news_window_ms: Millis,
    /// The failure detector of every endpoint.
    pub detector: DetectorConfig,
    /// An endpoint convicted and silent this long, or gone with STATUS=left this
    /// long, is removed from the view; or silent longer, in a cluster so large that
    /// a live endpoint's heartbeats come further apart (the longest gap its
    /// detector learns, [`crate::DetectorConfig::max_gap_refreshes`] refresh
    /// periods, [`crate::Node::refresh_ms`]).
    pub evict_after_ms: Millis,
    /// Forward fresh news in the Ack2: besides what the peer requested, send it
    /// every endpoint with news learned since this node's Syn page was built, so
    /// news learned from one exchange travels on in the others of the same round,
    /// as in an ideal push-pull. From the page's version for an endpoint the page
    /// listed (the peer neither asked for it nor sent it, so it has exactly that),
    /// whole otherwise (the no-gap rule). Not Cassandra's rule, whose Ack2 answers
    /// the requests alone; chitchat's Ack is built from its state after the SynAck
    /// and does the same. Simulators of the papers' rounds turn it off.
    pub forward_news: bool,
    /// How long a removed identity (endpoint and generation) is remembered, so that
    /// stale gossip about it cannot bring it back. A higher generation (a restart)
    /// is always let in.
    pub quarantine_ms: Millis,
    /// A removed identity in the same generation comes back only when gossip shows
    /// it at least this many versions further along than when it was removed: proof
    /// that it is alive (it was partitioned away, or convicted by mistake). A dead
    /// node makes no new versions, and a lagging copy of it is only a few ahead.
    pub proof_of_life_versions: Version,
    /// The most endpoints the view holds, this node included. Past it, endpoints
    /// gossip introduces are refused and counted ([`Node::endpoints_refused`](super::Node::endpoints_refused)):
    /// full membership costs memory per endpoint, so a buggy or hostile peer that
    /// invents endpoints by the million must not be able to exhaust it.
    pub max_endpoints: usize,
    /// TOKENS the node takes on the ring at boot, drawn at random (Cassandra's
    /// `num_tokens`), at most [`MAX_TOKENS_PER_NODE`].
    pub tokens: u32,
    /// How heartbeats travel: gossip, or the all-to-all baseline.
    pub protocol: Protocol,
}

/// Why a [`NodeConfig`] was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeConfigError {
    /// The MTU was outside `MIN_MTU..=MAX_MESSAGE`.
    Mtu(usize),
    /// The fanout was outside `1..=MAX_FANOUT`.
    Fanout(usize),
    /// The gossip interval was zero.
    ZeroInterval,
    /// A failure detector setting is out of range; the text says which.
    Detector(&'static str),
    /// The eviction horizon was above [`MAX_EVICT_AFTER_MS`].
    EvictAfter(Millis),
    /// The view may hold no endpoint, not even the node itself.
    MaxEndpoints(usize),
    /// Too many tokens per node.
    Tokens(u32),
    /// A node's TOKENS would not fit in one message of this MTU.
    TokensOverMtu {
        /// Tokens per node.
        tokens: u32,
        /// The MTU, bytes.
        mtu: usize,
    },
}

impl fmt::Display for NodeConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NodeConfigError::Mtu(mtu) => {
                write!(
                    f,
                    "MTU must be between {MIN_MTU} and {MAX_MESSAGE} bytes, got {mtu}"
                )
            }
            NodeConfigError::Fanout(n) => {
                write!(f, "fanout must be between 1 and {MAX_FANOUT}, got {n}")
            }
            NodeConfigError::ZeroInterval => f.write_str("the gossip interval must be positive"),
            NodeConfigError::Detector(what) => write!(f, "failure detector: {what}"),
            NodeConfigError::EvictAfter(ms) => write!(
                f,
                "the eviction horizon must be at most {MAX_EVICT_AFTER_MS} ms, got {ms}"
            ),
            NodeConfigError::MaxEndpoints(n) => {
                write!(
                    f,
                    "a view must hold at least the node itself, got {n} endpoints"
                )
            }
            NodeConfigError::Tokens(n) => {
                write!(
                    f,
                    "tokens per node must be at most {MAX_TOKENS_PER_NODE}, got {n}"
                )
            }
            NodeConfigError::TokensOverMtu { tokens, mtu } => write!(
                f,
                "{tokens} tokens per node do not fit in a message of MTU {mtu} bytes: \
                 lower the tokens per node or raise the MTU"
            ),
        }
    }
}

impl NodeConfig {
    /// Checks every field.
    pub fn validate(&self) -> Result<(), NodeConfigError> {
        if !(MIN_MTU..=MAX_MESSAGE).contains(&self.mtu) {
            return Err(NodeConfigError::Mtu(self.mtu));
        }
        if !(1..=MAX_FANOUT).contains(&self.fanout) {
            return Err(NodeConfigError::Fanout(self.fanout));
        }
        if self.interval_ms == 0 {
            return Err(NodeConfigError::ZeroInterval);
        }
        if self.evict_after_ms > MAX_EVICT_AFTER_MS {
            return Err(NodeConfigError::EvictAfter(self.evict_after_ms));
        }
        if self.max_endpoints == 0 {
            return Err(NodeConfigError::MaxEndpoints(self.max_endpoints));
        }
        if self.tokens > MAX_TOKENS_PER_NODE {
            return Err(NodeConfigError::Tokens(self.tokens));
        }
        if tokens_len(self.tokens) > self.max_entry_len() {
            return Err(NodeConfigError::TokensOverMtu {
                tokens: self.tokens,
                mtu: self.mtu,
            });
        }
        let d = &self.detector;
        let check = |ok: bool, what| {
            if ok {
                Ok(())
            } else {
                Err(NodeConfigError::Detector(what))
            }
        };
        check(
            d.threshold.is_finite() && d.threshold > 0.0,
            "threshold must be a positive number",
        )?;
        check(
            d.suspect_phi.is_finite() && d.suspect_phi > 0.0,
            "suspect phi must be a positive number",
        )?;
        check(
            (1..=10_000).contains(&d.window),
            "window must be between 1 and 10000 gaps",
        )?;
        check(
            d.max_gap_refreshes > 0 && d.first_gap_refreshes > 0,
            "the first and the longest gap learned must be at least one refresh period",
        )?;
        if let Model::Normal {
            min_std_dev_ms,
            acceptable_pause_ms,
        } = d.model
        {
            check(
                min_std_dev_ms.is_finite() && min_std_dev_ms >= 0.0,
                "minimum standard deviation must be zero or more",
            )?;
            check(
                acceptable_pause_ms.is_finite() && acceptable_pause_ms >= 0.0,
                "acceptable pause must be zero or more",
            )?;
        }
        Ok(())
    }

    /// The largest entry that always fits in one message.
    pub(crate) fn max_entry_len(&self) -> usize {
        self.mtu - FRAME_OVERHEAD - 64
    }
}

/// The largest encoded TOKENS entry of `tokens` tokens: every token at its longest.
fn tokens_len(tokens: u32) -> usize {
    crate::wire::encoded_len(&Versioned {
        value: Value::Tokens(alloc::vec![u64::MAX; tokens as usize]),
        version: Version::MAX,
    })
}
