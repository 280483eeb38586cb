//! Per-link loss and latency: one direction of one link can differ from the rest of
//! the network.

use gossip_core::NodeId;
use gossip_core::sim::{ConfigError, Link, PPM, SimConfig, Simulator};
use gossip_heartbeat::Node;
use gossip_heartbeat::{NodeConfig, Profile};

fn cluster() -> Simulator<Node> {
    Simulator::<Node>::new(SimConfig {
        nodes: 20,
        seed: 41,
        node: NodeConfig {
            seeds: vec![NodeId(0)],
            ..Profile::Tuned.node_config()
        },
        ..SimConfig::default()
    })
    .unwrap()
}

#[test]
fn a_slow_link_delays_only_its_own_messages() {
    let mut sim = cluster();
    let slow = Link {
        loss_ppm: 0,
        mean_ms: 700,
        jitter_ms: 0,
    };
    for to in (0..20).map(NodeId).filter(|&id| id != NodeId(5)) {
        sim.set_link(NodeId(5), to, Some(slow)).unwrap();
    }
    let (mut from_5, mut others) = (0, 0);
    for t in (1..=60).map(|s| s * 500) {
        sim.advance_to(t);
        for e in sim.in_flight() {
            let latency = e.arrives_at - e.sent_at;
            if e.from == NodeId(5) {
                assert_eq!(latency, 700);
                from_5 += 1;
            } else {
                assert!((60..=180).contains(&latency), "{latency}");
                others += 1;
            }
        }
    }
    assert!(from_5 > 0 && others > 0);
    assert_eq!(
        sim.stats().false_convictions,
        0,
        "a slow link is not a dead node"
    );
}

#[test]
fn a_dead_link_loses_everything_on_it_but_gossip_goes_around_it() {
    let mut sim = cluster();
    let dead = Link {
        loss_ppm: PPM,
        mean_ms: 120,
        jitter_ms: 60,
    };
    sim.set_link(NodeId(3), NodeId(4), Some(dead)).unwrap();
    sim.set_link(NodeId(4), NodeId(3), Some(dead)).unwrap();
    sim.advance_to(120_000);
    // Every message between 3 and 4 was lost, yet each still sees the other alive
    // through everyone else's gossip.
    assert!(sim.all_up_see_each_other());
    assert_eq!(sim.stats().false_convictions, 0);
    assert!(sim.stats().lost > 0);
    sim.set_link(NodeId(3), NodeId(4), None).unwrap();
    assert_eq!(
        sim.set_link(
            NodeId(1),
            NodeId(2),
            Some(Link {
                loss_ppm: PPM + 1,
                mean_ms: 1,
                jitter_ms: 0
            })
        ),
        Err(ConfigError::Loss(PPM + 1))
    );
}
