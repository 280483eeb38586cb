//! What comes out of a node: messages to send, and why an input was refused. What
//! it noticed is the contract's [`gossip_core::contract::NodeEvent`].

use core::fmt;

use crate::message::Message;
use crate::state::Generation;
use crate::wire::{ClusterId, DecodeError};
use gossip_core::NodeId;

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

/// A message a node wants sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The destination.
    pub to: NodeId,
    /// What to send; [`Node::encode`](super::Node::encode) turns it into at most MTU bytes.
    pub message: Message,
}
