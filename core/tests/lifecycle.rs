//! The membership lifecycle: graceful leaves, and crashes that are evicted after the
//! horizon, with no dead identity coming back.

use gossip_core::sim::{SimConfig, Simulator};
use gossip_core::{NodeConfig, NodeId, Status};

fn cluster(nodes: u32, seed: u64) -> Simulator {
    Simulator::new(SimConfig {
        nodes,
        seed,
        node: NodeConfig {
            seeds: vec![NodeId(0), NodeId(1)],
            ..NodeConfig::default()
        },
        ..SimConfig::default()
    })
    .unwrap()
}

/// Every node that is up has exactly the live nodes in its view.
fn views_hold_exactly_the_live_nodes(sim: &Simulator) -> bool {
    let live = sim.live_count();
    sim.nodes()
        .iter()
        .filter(|n| !sim.is_down(n.id()))
        .all(|n| n.view().len() == live && n.view().iter().all(|(id, _)| !sim.is_down(id)))
}

#[test]
fn a_graceful_leave_spreads_then_the_node_is_removed_everywhere() {
    let mut sim = cluster(40, 1);
    sim.advance_to(20_000);
    sim.leave(NodeId(9));
    sim.advance_to(25_000);
    let saw_left = sim
        .nodes()
        .iter()
        .filter(|n| n.view().get(NodeId(9)).and_then(|s| s.status()) == Some(Status::Left))
        .count();
    assert!(
        saw_left >= 39,
        "STATUS=left reached {saw_left} of 40 nodes in 5 s"
    );
    assert!(
        sim.nodes()[3].ring().ranges(NodeId(9)).is_empty(),
        "a node that left owns nothing"
    );
    sim.advance_to(120_000);
    assert!(views_hold_exactly_the_live_nodes(&sim));
    assert_eq!(sim.stats().false_convictions, 0);
    assert!(sim.detections().is_empty(), "a leave is not a crash");
}

#[test]
fn a_crashed_node_is_evicted_after_the_horizon_and_stays_out() {
    let mut sim = cluster(40, 2);
    sim.advance_to(20_000);
    sim.crash(NodeId(5));
    sim.advance_to(40_000);
    assert!(
        sim.nodes()
            .iter()
            .filter(|n| n.id() != NodeId(5))
            .all(|n| n.view().len() == 40),
        "not yet evicted before the 60 s horizon"
    );
    sim.advance_to(120_000);
    assert!(views_hold_exactly_the_live_nodes(&sim));
    assert_eq!(sim.max_members(), 39);
    sim.advance_to(600_000);
    assert!(views_hold_exactly_the_live_nodes(&sim));
    assert_eq!(sim.stats().resurrections, 0);
}
