//! Every message fits the MTU, digests included, at any cluster size, so the bytes a
//! node sends per round do not grow with N.

use gossip_core::NodeId;
use gossip_core::sim::{Bootstrap, SimConfig, Simulator, Stats};
use gossip_heartbeat::Node;
use gossip_heartbeat::{NodeConfig, Profile};

const MTU: usize = 1400;
const FANOUT: usize = 1;

/// Bytes per node per round over rounds 10..20 of a cluster joining through seeds,
/// and the largest message of the whole run.
fn traffic(nodes: u32) -> (f64, usize) {
    let mut sim = Simulator::<Node>::new(SimConfig {
        nodes,
        seed: 3,
        bootstrap: Bootstrap::Seeds,
        // Fanout 1 (Cassandra's): traffic scales with the fanout, not with N, and one
        // exchange a round keeps the 10,000-node run short.
        node: NodeConfig {
            seeds: vec![NodeId(0), NodeId(1), NodeId(2)],
            mtu: MTU,
            fanout: FANOUT,
            ..Profile::Tuned.node_config()
        },
        ..SimConfig::default()
    })
    .unwrap();
    sim.advance_to(10_000);
    let before: Stats = sim.stats();
    sim.advance_to(20_000);
    let after = sim.stats();
    assert_eq!(after.rejected, 0);
    let per_node_round = (after.bytes - before.bytes) as f64 / f64::from(nodes) / 10.0;
    (per_node_round, after.max_message_bytes)
}

#[test]
fn messages_fit_the_mtu_and_traffic_per_node_does_not_grow_with_n() {
    let mut rows = Vec::new();
    for nodes in [100, 1_000, 10_000] {
        let (per_node_round, max) = traffic(nodes);
        println!(
            "N = {nodes}: {per_node_round:.0} bytes per node per round, largest message {max} B"
        );
        assert!(max <= MTU, "N = {nodes}: a {max}-byte message");
        rows.push(per_node_round);
    }
    // A node opens at most fanout + 2 exchanges a round (live peers, one unreachable,
    // one seed), each at most three messages of at most MTU bytes: a bound with no N.
    let bound = (FANOUT + 2) as f64 * 3.0 * MTU as f64;
    assert!(rows.iter().all(|&b| b <= bound), "{rows:?} vs {bound}");
    assert!(
        rows[2] <= rows[1] * 1.25,
        "traffic grew from N = 1000 to 10,000: {rows:?}"
    );
}
