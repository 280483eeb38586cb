//! Membership scenarios from the seeds' text and from Cassandra: joining through
//! seeds, and restarts in a new generation.

use gossip_core::NodeId;
use gossip_core::sim::{Bootstrap, SimConfig, Simulator};
use gossip_heartbeat::Node;
use gossip_heartbeat::{NodeConfig, Profile, Value};

fn joining(nodes: u32, seeds: Vec<NodeId>) -> Simulator<Node> {
    Simulator::<Node>::new(SimConfig {
        nodes,
        seed: 11,
        bootstrap: Bootstrap::Seeds,
        node: NodeConfig {
            seeds,
            ..Profile::Tuned.node_config()
        },
        ..SimConfig::default()
    })
    .unwrap()
}

fn view_sizes(sim: &Simulator<Node>) -> Vec<usize> {
    sim.nodes().iter().map(|n| n.view().len()).collect()
}

/// The seeds' example: the admin joins A, then B. With nothing to introduce them,
/// each stays a logical partition of one.
#[test]
fn without_seeds_a_and_b_never_learn_of_each_other() {
    let mut sim = joining(2, vec![]);
    sim.advance_to(120_000);
    assert_eq!(view_sizes(&sim), [1, 1]);
    assert_eq!(sim.stats().messages, 0);
}

/// With A as the seed that every node knows from configuration, B reconciles with it
/// and the two form one cluster.
#[test]
fn with_a_seed_a_and_b_become_one_cluster() {
    let mut sim = joining(2, vec![NodeId(0)]);
    sim.advance_to(5_000);
    assert_eq!(view_sizes(&sim), [2, 2]);
}

/// The same at scale: 200 nodes joined one by one through two seeds all learn of
/// each other, and each one's ring lists every node's tokens.
#[test]
fn two_hundred_nodes_joined_through_two_seeds_converge() {
    let mut sim = joining(200, vec![NodeId(0), NodeId(1)]);
    sim.advance_to(60_000);
    assert!(
        view_sizes(&sim).iter().all(|&n| n == 200),
        "{:?}",
        view_sizes(&sim)
    );
    let ring = sim.nodes()[150].ring();
    assert_eq!(ring.tokens().len(), 200 * 4);
    assert_eq!(
        ring,
        sim.nodes()[3].ring(),
        "every node holds the same ring"
    );
    assert_eq!(sim.stats().rejected, 0);
    assert!(sim.stats().max_message_bytes <= 1400);
}

/// A restarted node comes back in a higher generation; every node replaces the old
/// state (here: a key the old incarnation had set) instead of merging with it.
#[test]
fn a_restart_replaces_the_old_state_on_every_node() {
    let mut sim = Simulator::<Node>::new(SimConfig {
        nodes: 30,
        seed: 5,
        ..SimConfig::default()
    })
    .unwrap();
    let key = Value::User {
        key: "session".into(),
        value: "old".into(),
    };
    let update = sim.set(NodeId(7), "session", "old").unwrap().unwrap();
    sim.advance_to(20_000);
    assert_eq!(sim.informed(update), 30);

    let generation = sim.restart(NodeId(7)).unwrap();
    assert!(generation > update.life);
    sim.advance_to(60_000);
    for node in sim.nodes() {
        let seen = node.view().get(NodeId(7)).expect("still a member");
        assert_eq!(
            seen.generation(),
            generation,
            "{} kept the old generation",
            node.id()
        );
        assert!(
            seen.find(&key).is_none(),
            "{} kept the old incarnation's key",
            node.id()
        );
        assert_eq!(seen.tokens().len(), 4, "{} lost the tokens", node.id());
    }
}

/// A node that joins a running cluster through its seeds is known by everyone, and
/// knows everyone, within half a minute.
#[test]
fn a_node_joining_a_running_cluster_through_its_seeds_is_known_by_all() {
    let mut sim = Simulator::<Node>::new(SimConfig {
        nodes: 50,
        seed: 9,
        ..SimConfig::default()
    })
    .unwrap();
    sim.advance_to(20_000);
    let joined = sim.join().unwrap();
    assert_eq!(joined, NodeId(50));
    sim.advance_to(50_000);
    assert!(
        view_sizes(&sim).iter().all(|&n| n == 51),
        "{:?}",
        view_sizes(&sim)
    );
    assert_eq!(
        sim.nodes()[7].ring().ranges(joined).len(),
        4,
        "its tokens are on everyone's ring"
    );
    assert_eq!(sim.stats().false_convictions, 0);
}

/// A peer that invents endpoints by the thousand (a bug, or an attacker) cannot grow
/// a view past `max_endpoints`: the rest are refused and counted, the endpoints
/// already known keep being updated, and a zero cap is no valid setting.
#[test]
fn a_flood_of_invented_endpoints_stops_at_the_cap_and_is_counted() {
    use gossip_heartbeat::Node;
    let config = NodeConfig {
        max_endpoints: 50,
        ..NodeConfig::default()
    };
    let mut victim = Node::new(NodeId(0), 1, config.clone(), 0).unwrap();
    let mut known = Node::new(NodeId(1), 1, NodeConfig::default(), 0).unwrap();
    let _ = known.set(Value::Status(gossip_heartbeat::Status::Normal), 0);
    let whole = |node: &Node| node.encode(&node.whole_state().unwrap());
    victim.handle_bytes(NodeId(1), &whole(&known), 10).unwrap();
    for id in 2..3_000 {
        let invented = Node::new(NodeId(id), 1, NodeConfig::default(), 0).unwrap();
        victim
            .handle_bytes(NodeId(id), &whole(&invented), 20)
            .unwrap();
    }
    assert_eq!(victim.view().len(), 50, "the node, node 1 and 48 invented");
    assert_eq!(victim.endpoints_refused(), 3_000 - 2 - 48);
    // Node 1 is still followed.
    let _ = known.set(Value::Status(gossip_heartbeat::Status::Left), 30);
    victim.handle_bytes(NodeId(1), &whole(&known), 40).unwrap();
    let seen = victim.view().get(NodeId(1)).unwrap();
    assert_eq!(seen.status(), Some(gossip_heartbeat::Status::Left));
    let none = NodeConfig {
        max_endpoints: 0,
        ..config
    };
    assert!(Node::new(NodeId(0), 1, none, 0).is_err());
}
