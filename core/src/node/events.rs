//! What comes out of a node: messages to send, what it noticed, and why an input
//! was refused.

use core::fmt;

use crate::NodeId;
use crate::message::Message;
use crate::state::{Generation, Version};
use crate::wire::{ClusterId, DecodeError};

/// Why a message was not processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejected {
    /// The bytes are not a valid message.
    Decode(DecodeError),
    /// The message belongs to another cluster.
    WrongCluster {
        /// This node's cluster.
        ours: ClusterId,
        /// The message's.
        theirs: ClusterId,
    },
    /// A generation absurdly far ahead of the local clock: corrupt.
    GenerationTooFarAhead {
        /// The endpoint it was claimed for.
        endpoint: NodeId,
        /// The claimed generation.
        generation: Generation,
    },
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejected::Decode(e) => write!(f, "undecodable message: {e}"),
            Rejected::WrongCluster { ours, theirs } => {
                write!(
                    f,
                    "message of cluster {} (this is cluster {})",
                    theirs.0, ours.0
                )
            }
            Rejected::GenerationTooFarAhead {
                endpoint,
                generation,
            } => write!(
                f,
                "generation {generation} of {endpoint} is more than a year ahead of the local clock"
            ),
        }
    }
}

/// A value too large to ever fit in a message of this node's MTU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValueTooLarge {
    /// Its encoded size.
    pub len: usize,
    /// The most that fits.
    pub max: usize,
}

impl fmt::Display for ValueTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "value of {} bytes does not fit in one message (at most {})",
            self.len, self.max
        )
    }
}

/// A message a node wants sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The destination.
    pub to: NodeId,
    /// What to send; [`Node::encode`](super::Node::encode) turns it into at most MTU bytes.
    pub message: Message,
}

/// Something a node noticed, for the driver's metrics and views: plain values, no
/// words (a view words them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NodeEvent {
    /// Its phi for an endpoint passed the suspect level.
    Suspected {
        /// The endpoint.
        endpoint: NodeId,
        /// Phi when it was noticed.
        phi: f64,
    },
    /// It convicted an endpoint: phi passed the threshold.
    Convicted {
        /// The endpoint.
        endpoint: NodeId,
        /// Phi when it was convicted.
        phi: f64,
    },
    /// It removed an endpoint in this generation from its view, knowing it up to
    /// this version.
    Evicted(NodeId, Generation, Version),
    /// It learned of an endpoint in this generation that was not in its view, up to
    /// this version.
    Learned(NodeId, Generation, Version),
    /// It learned that an endpoint it knew restarted, in this newer generation.
    Restarted(NodeId, Generation),
    /// It learned that an endpoint is leaving (STATUS=left).
    Left(NodeId),
    /// It heard from an endpoint it had convicted: alive again (Cassandra's
    /// `onAlive`).
    Alive(NodeId),
    /// It learned a change of an endpoint's state other than its heartbeat (STATUS,
    /// TOKENS, LOAD, ADDRESS, a key), up to this version (Cassandra's `onChange`):
    /// what a driver watches to see news arrive.
    Changed(NodeId, Version),
}

/// What a node sees of an endpoint's reachability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reachability {
    /// Known (learned through gossip, or from the start) but never heard from: no
    /// heartbeat of it has advanced since this node started. Not alive, as
    /// Cassandra shows such an endpoint down until it is heard; and never convicted
    /// either, since its detector has no gap to judge a silence by.
    Unheard,
    /// Heartbeats arrive as expected.
    Alive,
    /// Silent for longer than usual: phi is above the suspect level.
    Suspect,
    /// Convicted: phi crossed the threshold; stays so until a heartbeat advances.
    Dead,
}
