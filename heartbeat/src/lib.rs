//! # gossip-heartbeat
//!
//! The gossip protocol of Dynamo and Cassandra as a sans-IO state machine, a
//! [`gossip_core::Member`] that any driver runs: every node keeps every other's
//! state (generation, heartbeat, STATUS, TOKENS) and a phi accrual failure detector
//! for it, and each round reconciles with one random peer in a Syn, Ack, Ack2
//! exchange. With [`node::Protocol::AllToAll`] the same node heartbeats every other
//! directly instead: the O(N²) baseline gossip replaces.
//!
//! - [`state`]: what is known of one endpoint: generation, versioned values.
//! - [`view`]: a node's map of every endpoint it knows.
//! - [`message`] and [`wire`]: Syn, Ack and Ack2, and their bytes.
//! - [`exchange`]: building each message within the MTU.
//! - [`peers`]: whom to gossip with (Cassandra's rule).
//! - [`detector`]: phi accrual, one per endpoint.
//! - [`profile`]: each system's parameters: Cassandra (the default), chitchat, tuned,
//!   and the one way a run's own values override them.
//! - [`node`]: one node, and how it keeps the contract (`node/member.rs`).
//! - [`ring`]: the hash ring, from everyone's TOKENS.
//! - [`gaps`]: how often a simulated cluster's nodes hear each other.
#![no_std]

extern crate alloc;

pub mod detector;
pub mod exchange;
pub mod gaps;
mod index;
pub mod message;
mod news;
pub mod node;
pub mod peers;
pub mod profile;
pub mod ring;
mod schedule;
pub mod state;
pub mod view;
pub mod wire;

pub use message::{Message, MessageKind};
pub use node::{Mode, Node, NodeConfig, Outgoing};
pub use profile::{Overrides, Profile};
pub use state::{Status, Value};
