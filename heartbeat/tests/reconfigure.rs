//! Settings that change while a simulation runs (a scenario's `set`): they take effect
//! from then on, and what is fixed at the start cannot change.

use gossip_core::NodeId;
use gossip_core::sim::{ConfigError, PPM, SimConfig, Simulator, Timing};
use gossip_heartbeat::Node;
use gossip_heartbeat::node::Protocol;
use gossip_heartbeat::{NodeConfig, Profile};

fn cluster() -> Simulator<Node> {
    Simulator::<Node>::new(SimConfig {
        nodes: 30,
        seed: 51,
        node: NodeConfig {
            seeds: vec![NodeId(0)],
            fanout: 1,
            ..Profile::Tuned.node_config()
        },
        ..SimConfig::default()
    })
    .unwrap()
}

/// Messages sent and lost during the next `seconds`.
fn traffic(sim: &mut Simulator<Node>, seconds: u64) -> (u64, u64) {
    let before = sim.stats();
    sim.advance_to(sim.now() + seconds * 1000);
    let after = sim.stats();
    (after.messages - before.messages, after.lost - before.lost)
}

#[test]
fn a_larger_fanout_and_loss_take_effect_from_then_on() {
    let mut sim = cluster();
    sim.advance_to(10_000);
    let (before, lost_before) = traffic(&mut sim, 20);
    assert_eq!(lost_before, 0);
    let mut config = sim.config().clone();
    config.node.fanout = 3;
    sim.reconfigure(config.clone()).unwrap();
    assert!(sim.nodes().iter().all(|n| n.config().fanout == 3));
    let (after, _) = traffic(&mut sim, 20);
    assert!(
        after > 5 * before / 2,
        "fanout 3 sends about three times what fanout 1 does: {after} vs {before}"
    );
    config.loss_ppm = PPM / 2;
    sim.reconfigure(config).unwrap();
    let (sent, lost) = traffic(&mut sim, 20);
    let share = lost as f64 / sent as f64;
    assert!(
        (0.4..0.6).contains(&share),
        "half the messages lost: {share}"
    );
    let joined = sim.join().unwrap();
    assert_eq!(sim.nodes()[joined.0 as usize].config().fanout, 3);
}

#[test]
fn switching_to_all_to_all_sends_n_squared_messages() {
    let mut sim = cluster();
    sim.advance_to(10_000);
    let mut config = sim.config().clone();
    config.node.protocol = Protocol::AllToAll;
    sim.reconfigure(config).unwrap();
    sim.advance_to(11_000);
    let (messages, _) = traffic(&mut sim, 10);
    // Every node ticks once a second; in flight replies of the last gossip rounds
    // are long delivered.
    assert_eq!(messages, 10 * 30 * 29);
}

#[test]
fn fixed_settings_and_bad_values_are_refused_and_change_nothing() {
    let mut sim = cluster();
    let original = sim.config().clone();
    let refuse = |sim: &mut Simulator<Node>, change: fn(&mut SimConfig<NodeConfig>)| {
        let mut config = sim.config().clone();
        change(&mut config);
        sim.reconfigure(config).unwrap_err()
    };
    assert_eq!(
        refuse(&mut sim, |c| c.nodes = 31),
        ConfigError::Fixed("the node count")
    );
    assert_eq!(
        refuse(&mut sim, |c| c.seed = 1),
        ConfigError::Fixed("the seed")
    );
    assert_eq!(
        refuse(&mut sim, |c| c.timing = Timing::Rounds),
        ConfigError::Fixed("the timing model")
    );
    assert_eq!(
        refuse(&mut sim, |c| c.loss_ppm = PPM + 1),
        ConfigError::Loss(PPM + 1)
    );
    assert!(matches!(
        refuse(&mut sim, |c| c.node.fanout = 0),
        ConfigError::Member(_)
    ));
    assert_eq!(sim.config(), &original);
    assert!(sim.nodes().iter().all(|n| n.config() == &original.node));
    // The latency (not the timing model) may change.
    let mut config = original.clone();
    config.timing = Timing::Continuous {
        mean_ms: 300,
        jitter_ms: 0,
    };
    sim.reconfigure(config).unwrap();
    sim.advance_to(5_000);
    let latencies: Vec<u64> = sim.in_flight().map(|e| e.arrives_at - e.sent_at).collect();
    assert!(!latencies.is_empty(), "messages are in flight to check");
    assert!(latencies.iter().all(|&ms| ms == 300), "{latencies:?}");
}
