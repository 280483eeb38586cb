//! The three messages of Cassandra's exchange, with Scuttlebutt's deltas:
//! the initiator sends digests (Syn); the receiver answers with deltas for what the
//! initiator lacks and requests for what it lacks itself (Ack); the initiator sends
//! the requested deltas (Ack2). Pull needs Syn and Ack; push needs all three.

use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

pub use crate::state::{Delta, Entries};
use crate::state::{Generation, Version};
use gossip_core::NodeId;

/// What a node has of one endpoint: the claim that it knows every piece of that
/// endpoint's state up to `max_version`, in `generation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    /// The endpoint the digest is about.
    pub endpoint: NodeId,
    /// Its generation, as the sender knows it.
    pub generation: Generation,
    /// The sender knows all of the endpoint's state up to this version.
    pub max_version: Version,
}

/// "Send me `endpoint`'s state newer than `from`, in `generation`." A generation of
/// 0 with `from` 0 asks for everything: the requester has never heard of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// The endpoint wanted.
    pub endpoint: NodeId,
    /// The generation the requester knows (0 if none).
    pub generation: Generation,
    /// The requester's max version in that generation.
    pub from: Version,
}

/// A gossip message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Message {
    /// Opens an exchange with a page of the initiator's digests.
    Syn {
        /// Digests, newest news first, then a rotating slice of the rest.
        digests: Vec<Digest>,
    },
    /// Answers a Syn.
    Ack {
        /// State the initiator lacks, most out of date first.
        deltas: Vec<Delta>,
        /// State the answering node lacks.
        requests: Vec<Request>,
    },
    /// Closes an exchange with the requested state.
    Ack2 {
        /// The requested state.
        deltas: Vec<Delta>,
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
    /// Every kind, in wire order: a kind's index here is its number on the
    /// contract's [`gossip_core::contract::Transmit::kind`].
    pub const ALL: [MessageKind; 3] = [MessageKind::Syn, MessageKind::Ack, MessageKind::Ack2];
    /// Their names, in the same order.
    pub const NAMES: [&'static str; 3] = ["Syn", "Ack", "Ack2"];

    /// The protocol's name for this kind.
    pub fn name(self) -> &'static str {
        Self::NAMES[self.index() as usize]
    }

    /// Its index in [`MessageKind::ALL`].
    pub fn index(self) -> u8 {
        self as u8
    }

    /// The kind of index `index`, if there is one.
    pub fn of(index: u8) -> Option<MessageKind> {
        Self::ALL.get(usize::from(index)).copied()
    }
}
