//! The three messages of a push-pull exchange, after Cassandra's gossiper:
//! the initiator sends its digests (Syn); the receiver answers with what the initiator
//! lacks and asks for what it lacks itself (Ack); the initiator sends what was asked
//! for (Ack2). Pull needs Syn and Ack; push needs all three.

use alloc::vec::Vec;

use crate::{Heartbeat, NodeId};

/// One entry of gossip: an endpoint and its heartbeat. In a Syn it is a digest (what
/// the sender has); in an Ack or Ack2 it is a delta (state for the receiver to merge).
pub type Entry = (NodeId, Heartbeat);

/// A gossip message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// Opens an exchange: the initiator's digest of every endpoint it knows.
    Syn {
        /// One digest per endpoint known to the sender.
        digests: Vec<Entry>,
    },
    /// Answers a Syn.
    Ack {
        /// Entries where the answering node is newer than the Syn's digests.
        deltas: Vec<Entry>,
        /// Endpoints where the Syn's digests are newer: "send me these".
        requests: Vec<NodeId>,
    },
    /// Closes an exchange with the entries the Ack requested.
    Ack2 {
        /// The requested entries.
        deltas: Vec<Entry>,
    },
}

/// Which of the three messages, without its payload: what a view needs to tell them
/// apart when drawing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// See [`Message::Syn`].
    Syn,
    /// See [`Message::Ack`].
    Ack,
    /// See [`Message::Ack2`].
    Ack2,
}

impl Message {
    /// The kind of this message.
    pub fn kind(&self) -> MessageKind {
        match self {
            Message::Syn { .. } => MessageKind::Syn,
            Message::Ack { .. } => MessageKind::Ack,
            Message::Ack2 { .. } => MessageKind::Ack2,
        }
    }
}

impl MessageKind {
    /// The protocol's name for this kind.
    pub fn name(self) -> &'static str {
        match self {
            MessageKind::Syn => "Syn",
            MessageKind::Ack => "Ack",
            MessageKind::Ack2 => "Ack2",
        }
    }
}
