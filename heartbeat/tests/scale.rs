//! A cluster larger than one message's page of digests, as 10,000 nodes are at
//! 1,400 B: an endpoint's heartbeat reaches a node only every few rounds, and the
//! detector must expect that (`Node::refresh_ms`). Here 500 nodes share 256 B
//! messages, the same regime at a size every test run affords. Before the detector
//! followed the refresh period, this run convicted live nodes about 3 times per
//! pair-hour, evicted them, and lost up to 5 of them from some tables.

use gossip_core::sim::{SimConfig, Simulator};
use gossip_core::{Millis, NodeId};
use gossip_heartbeat::Node;
use gossip_heartbeat::NodeConfig;

const NODES: u32 = 500;
const CRASHED: NodeId = NodeId(250);
const CRASH_AT_MS: Millis = 100_000;
/// Long enough for every node to convict the crash: about 18 gaps of 18 s.
const ROUNDS: u64 = 1000;

/// Cassandra's detector convicts after threshold · ln 10 mean gaps of silence.
const CONVICTING_GAPS: f64 = 8.0 * core::f64::consts::LN_10;

/// Every node that is up holds every other node that is up.
fn every_live_node_in_every_table(sim: &Simulator<Node>) -> bool {
    let up: Vec<NodeId> = (0..NODES)
        .map(NodeId)
        .filter(|&id| !sim.is_down(id))
        .collect();
    up.iter().all(|&node| {
        let view = sim.nodes()[node.0 as usize].view();
        up.iter().all(|&id| view.get(id).is_some())
    })
}

#[test]
fn a_cluster_of_many_pages_holds_together_and_still_convicts_a_crash() {
    let mut sim = Simulator::<Node>::new(SimConfig {
        nodes: NODES,
        seed: 1,
        node: NodeConfig {
            mtu: 256,
            ..SimConfig::default().node
        },
        ..SimConfig::default()
    })
    .unwrap();
    let interval = sim.config().node.interval_ms;
    for round in 1..=ROUNDS {
        let now = round * interval;
        if now == CRASH_AT_MS {
            sim.crash(CRASHED);
        }
        sim.advance_to(now);
        if round % 10 == 0 {
            assert!(
                every_live_node_in_every_table(&sim),
                "a live node missing from a table at round {round}"
            );
        }
    }
    assert_eq!(
        sim.stats().false_convictions,
        0,
        "live nodes convicted in {ROUNDS} rounds"
    );
    assert_eq!(sim.stats().resurrections, 0);

    // The pages take several rounds to go round the view, and a heartbeat comes
    // less often than that from any one page: so the refresh period counts
    // several intervals, and the gaps learned are longer still.
    let gaps = gossip_heartbeat::gaps::heartbeat_gaps(&sim).unwrap();
    let refresh_rounds = gaps.refresh_ms / interval as f64;
    println!(
        "refresh period {:.1} s, mean heartbeat gap {:.1} s",
        gaps.refresh_ms / 1000.0,
        gaps.mean_ms / 1000.0
    );
    assert!(
        (5.0..20.0).contains(&refresh_rounds),
        "{refresh_rounds} rounds"
    );
    assert!(
        (1.0..3.0).contains(&(gaps.mean_ms / gaps.refresh_ms)),
        "{gaps:?}"
    );

    // The crash is still convicted by every live node, after about as many mean
    // gaps of silence as the detector's threshold asks; a little later, as the
    // crashed node's last heartbeat still spreads for a while after the crash.
    let detections = sim.detections();
    assert_eq!(detections.len(), NODES as usize - 1, "all convicted it");
    let mean_s = detections.iter().sum::<Millis>() as f64 / detections.len() as f64 / 1000.0;
    let expected_s = CONVICTING_GAPS * gaps.mean_ms / 1000.0;
    println!("detection: mean {mean_s:.0} s, {CONVICTING_GAPS:.1} mean gaps {expected_s:.0} s");
    assert!(
        (0.8..1.6).contains(&(mean_s / expected_s)),
        "detection {mean_s:.0} s against {expected_s:.0} s"
    );
}
