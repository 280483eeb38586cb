//! The library behind `gossip-node`: one node's driver on a UDP socket
//! ([`driver`]), and the launcher of a local cluster of node processes that runs a
//! scenario on them ([`cluster`]), through the scenario's one interpreter
//! ([`gossip_scenario::ClusterControl`]).

pub mod cluster;
pub mod driver;
mod event;
pub mod identity;
mod measurements;
pub mod serve;
pub mod settings;
pub mod transport;

pub use measurements::Summary;
