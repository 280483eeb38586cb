//! # gossip-core
//!
//! What every gossip protocol of the lab shares, and names none of them: the
//! contract a protocol's member keeps ([`contract`]), the laws every member is
//! tested against ([`conformance`]), and a deterministic simulator that runs a whole
//! cluster of any protocol's members over a faulty network ([`sim`]). The protocols
//! are crates of their own (`gossip-heartbeat`: Dynamo and Cassandra's gossip, and
//! the all-to-all heartbeat it replaces); this crate depends on none of them.
//!
//! The crate is `no_std` (plus `alloc`) on purpose: nothing in here reads a clock,
//! spawns a thread, does IO or asks the OS for randomness. Time (`now`, in
//! milliseconds) and the random number generator come in from the caller, and what a
//! member wants sent comes out as plain values. That is what lets the same code run
//! natively, in a browser, and under a seeded simulator that reproduces a run exactly.
//!
//! - [`contract`]: the [`Member`] trait, and the values it takes and gives.
//! - [`conformance`]: the laws every member keeps, as one suite.
//! - [`sim`]: a seeded simulator of many members and the network between them.
//! - [`measure`]: what a run's events say (detections, false convictions), by the
//!   same rules for the simulator and a real cluster.
//! - [`toy`]: the smallest member, for the contract's example and the simulator's
//!   own tests.
//! - [`named`]: the one spelling of every choice's values.
//! - [`hash`], [`lookup`]: the platform-independent hash and maps both sides use.
#![no_std]

extern crate alloc;

pub mod conformance;
pub mod contract;
pub mod hash;
pub mod lookup;
pub mod measure;
pub mod named;
pub mod sim;
pub mod toy;

pub use contract::{Member, MemberConfig, NodeEvent, Reachability, Transmit};
pub use named::Named;

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
