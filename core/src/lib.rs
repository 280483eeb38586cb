//! # gossip-core
//!
//! The gossip protocol of Dynamo and Cassandra as a sans-IO state machine, and a
//! deterministic simulator that runs a whole cluster of them.
//!
//! The crate is `no_std` (plus `alloc`) on purpose: nothing in here reads a clock,
//! spawns a thread, does IO or asks the OS for randomness. Time (`now`, in
//! milliseconds) and the random number generator come in from the caller, and what a
//! node wants sent comes out as plain values. That is what lets the same code run
//! natively, in a browser, and under a seeded simulator that reproduces a run exactly.
//!
//! - [`state`]: what is known of one endpoint: generation, versioned values.
//! - [`view`]: a node's map of every endpoint it knows.
//! - [`message`] and [`wire`]: Syn, Ack and Ack2, and their bytes.
//! - [`exchange`]: building each message within the MTU.
//! - [`peers`]: whom to gossip with (Cassandra's rule).
//! - [`profile`]: each system's parameters: Cassandra (the default), chitchat, tuned,
//!   and the one way a run's own values override them.
//! - [`named`]: the one spelling of every choice's values.
//! - [`node`]: one node: `tick(now, rng)` and `handle_bytes(from, bytes, now)`.
//! - [`ring`]: the hash ring, from everyone's TOKENS.
//! - [`sim`]: a seeded simulator of many nodes and the network between them.
#![no_std]

extern crate alloc;

pub mod conformance;
pub mod contract;
pub mod detector;
pub mod exchange;
pub mod gaps;
pub mod hash;
mod index;
mod lookup;
pub mod message;
pub mod named;
mod news;
pub mod node;
pub mod peers;
pub mod profile;
pub mod ring;
mod schedule;
pub mod sim;
pub mod state;
pub mod view;
pub mod wire;

pub use contract::{Member, MemberConfig, NodeEvent, Reachability, Transmit};
pub use message::{Message, MessageKind};
pub use named::Named;
pub use node::{Mode, Node, NodeConfig, Outgoing};
pub use profile::{Overrides, Profile};
pub use state::{Status, Value};

/// A point in time or a duration, in milliseconds. The caller's clock; the core never
/// reads one of its own.
pub type Millis = u64;

/// The identity of a node in the cluster.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct NodeId(pub u32);

impl core::fmt::Display for NodeId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "n{}", self.0)
    }
}
