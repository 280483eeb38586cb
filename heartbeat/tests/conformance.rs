//! Every member of the workspace's protocols keeps the contract's laws
//! (`gossip_core::conformance`).

use gossip_core::{NodeId, conformance};
use gossip_heartbeat::node::Protocol;
use gossip_heartbeat::{Node, NodeConfig, Profile};

fn config(protocol: Protocol) -> NodeConfig {
    NodeConfig {
        seeds: vec![NodeId(0)],
        protocol,
        ..Profile::Cassandra.node_config()
    }
}

#[test]
fn heartbeat_gossip_keeps_the_contract() {
    conformance::check::<Node>(&config(Protocol::Gossip));
}

#[test]
fn all_to_all_keeps_the_contract() {
    conformance::check::<Node>(&config(Protocol::AllToAll));
}

#[test]
fn every_profile_keeps_the_contract() {
    for profile in [Profile::Chitchat, Profile::Tuned] {
        conformance::check::<Node>(&NodeConfig {
            seeds: vec![NodeId(0), NodeId(1)],
            ..profile.node_config()
        });
    }
}
