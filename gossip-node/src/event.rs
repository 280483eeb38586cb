//! What a node prints on stdout, one JSON object a line, and what the launcher
//! reads back: one type for both ends.
//!
//! ```text
//! {"at_ms":1795000000123,"node":"127.0.0.1:7001","event":"convicted","endpoint":"127.0.0.1:7004","phi":8.3}
//! ```
//!
//! `at_ms` is the node's clock: Unix milliseconds when it started, then advanced by
//! the monotonic clock, so lines of nodes on one host compare. An endpoint is named
//! by its address, or `#id` while its address is not known yet.

use gossip_core::{NodeEvent, NodeId};
use serde::{Deserialize, Serialize};

/// One line of a node's output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// When, in the node's clock (Unix milliseconds).
    pub at_ms: u64,
    /// The node that printed it: its address.
    pub node: String,
    /// What happened.
    #[serde(flatten)]
    pub event: Event,
}

/// What a node reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum Event {
    /// It is up: its socket is bound, and this is its identity.
    Listening {
        /// Its id, derived from its address.
        id: u32,
        /// Its generation: the Unix time in seconds it started at, or later.
        generation: u32,
    },
    /// It learned of an endpoint not in its view.
    Learned {
        /// The endpoint.
        endpoint: String,
        /// Its generation.
        generation: u32,
        /// Its version learned.
        version: u32,
    },
    /// Its phi for an endpoint passed the suspect level.
    Suspected {
        /// The endpoint.
        endpoint: String,
        /// Phi then.
        phi: f64,
    },
    /// It convicted an endpoint.
    Convicted {
        /// The endpoint.
        endpoint: String,
        /// Phi then.
        phi: f64,
    },
    /// It heard again from an endpoint it had convicted.
    Alive {
        /// The endpoint.
        endpoint: String,
    },
    /// It removed an endpoint from its view.
    Evicted {
        /// The endpoint.
        endpoint: String,
        /// The generation removed.
        generation: u32,
        /// The newest version it knew.
        version: u32,
    },
    /// It learned that an endpoint restarted, in a newer generation.
    Restarted {
        /// The endpoint.
        endpoint: String,
        /// The new generation.
        generation: u32,
    },
    /// It learned that an endpoint is leaving.
    Left {
        /// The endpoint.
        endpoint: String,
    },
    /// It learned a change of an endpoint's state besides its heartbeat.
    Changed {
        /// The endpoint.
        endpoint: String,
        /// The endpoint's version it now knows.
        version: u32,
    },
    /// It set one of its own keys (a `set` command).
    Set {
        /// The key.
        key: String,
        /// The version the change has.
        version: u32,
    },
    /// Datagrams it rejected so far: garbage, truncated, of another cluster.
    Rejected {
        /// How many, since it started.
        total: u64,
        /// Why the latest was.
        reason: String,
    },
    /// An address claimed the id of another it knows ([`crate::identity`]): its
    /// messages and its gossiped address are refused, once reported.
    Collision {
        /// The id both addresses hash to.
        id: u32,
        /// The address it keeps for that id.
        kept: String,
        /// The address refused.
        refused: String,
    },
    /// Endpoints it refused so far because its view was full.
    Refused {
        /// How many, since it started.
        total: u64,
    },
    /// Its view, every [`WATCH_MS`] once the launcher said `watch`.
    View {
        /// Each endpoint it knows but itself.
        rows: Vec<ViewRow>,
    },
    /// A datagram it sent, once the launcher said `watch`.
    Sent {
        /// The receiver.
        to: String,
        /// `Syn`, `Ack` or `Ack2`.
        kind: String,
        /// Its size.
        bytes: usize,
    },
    /// It stopped.
    Stopped {
        /// Why: `left` after a leave, or an error.
        reason: String,
    },
}

/// How often a watched node prints its view: a few times a round, enough for a
/// page to colour its nodes as they change.
pub const WATCH_MS: u64 = 250;

/// One endpoint in a node's view, as a page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewRow {
    /// The endpoint.
    pub endpoint: String,
    /// Its generation.
    pub generation: u32,
    /// Its heartbeat.
    pub heartbeat: u32,
    /// How the node sees it: `unheard`, `alive`, `suspect` or `dead`.
    pub seen: String,
    /// Its STATUS (`normal`, `leaving`, `left`), if gossiped.
    pub status: Option<String>,
    /// The node's phi for it, at most [`MAX_PHI`].
    pub phi: f64,
}

/// The largest phi printed: JSON has no infinity, and past the threshold the
/// number says nothing more.
pub const MAX_PHI: f64 = 99.0;

impl Event {
    /// The core's event this line reports, its endpoint being `endpoint`; `None` for
    /// what is the driver's own (listening, set, counts, stopped).
    pub fn node_event(&self, endpoint: NodeId) -> Option<NodeEvent> {
        Some(match *self {
            Event::Learned {
                generation,
                version,
                ..
            } => NodeEvent::Learned(endpoint, generation, version),
            Event::Suspected { phi, .. } => NodeEvent::Suspected { endpoint, phi },
            Event::Convicted { phi, .. } => NodeEvent::Convicted { endpoint, phi },
            Event::Alive { .. } => NodeEvent::Alive(endpoint),
            Event::Evicted {
                generation,
                version,
                ..
            } => NodeEvent::Evicted(endpoint, generation, version),
            Event::Restarted { generation, .. } => NodeEvent::Restarted(endpoint, generation),
            Event::Left { .. } => NodeEvent::Left(endpoint),
            Event::Changed { version, .. } => NodeEvent::Changed(endpoint, version),
            Event::Listening { .. }
            | Event::Set { .. }
            | Event::Rejected { .. }
            | Event::Refused { .. }
            | Event::Collision { .. }
            | Event::View { .. }
            | Event::Sent { .. }
            | Event::Stopped { .. } => return None,
        })
    }
}
