//! The simulator and a cluster of real processes run the same scenario file through
//! the same interpreter ([`Player::apply`]), and each step has the same effect on
//! both: the same sides for a partition or a split, a newer generation by the
//! core's rule for a restart.

use std::path::PathBuf;

use gossip_core::sim::{SimConfig, Update};
use gossip_core::{Millis, NodeId};
use gossip_heartbeat::node::restart_generation;
use gossip_heartbeat::state::Generation;
use gossip_node::cluster::Cluster;
use gossip_scenario::{ClusterControl, Player, Refusal, Scenario, Step};

/// Steps with an effect to compare, on four nodes a fifth of a second apart.
const SCENARIO: &str = r#"{"setup": {"nodes": 4, "seeds": 1, "interval_ms": 200}}
{"at": 0.5, "partition": [[0, 1]]}
{"at": 1.0, "heal": true}
{"at": 1.2, "crash": 3}
{"at": 1.6, "restart": 3}
{"at": 2.0, "join": 1}
{"at": 2.4, "split": 2}
{"at": 2.8, "heal": true}
"#;

/// What the interpreter asked of a cluster, step by step.
#[derive(Debug, PartialEq)]
enum Effect {
    Sides(Vec<u32>),
    /// A restart: the generation before, and the one it came back in.
    Restarted(Generation, Generation),
    Other(&'static str),
}

/// A cluster that notes each step's effect, then passes the step on.
struct Recording<'a, C> {
    cluster: &'a mut C,
    effects: &'a mut Vec<Effect>,
}

impl<C: ClusterControl> ClusterControl for Recording<'_, C> {
    fn now(&self) -> Millis {
        self.cluster.now()
    }
    fn node_count(&self) -> u32 {
        self.cluster.node_count()
    }
    fn generation(&self, id: NodeId) -> Option<Generation> {
        self.cluster.generation(id)
    }
    fn crash(&mut self, id: NodeId) -> Result<(), Refusal> {
        self.effects.push(Effect::Other("crash"));
        self.cluster.crash(id)
    }
    fn restart(&mut self, id: NodeId) -> Result<Generation, Refusal> {
        let before = self.cluster.generation(id).expect("it ran");
        let after = self.cluster.restart(id)?;
        self.effects.push(Effect::Restarted(before, after));
        Ok(after)
    }
    fn leave(&mut self, id: NodeId) -> Result<(), Refusal> {
        self.effects.push(Effect::Other("leave"));
        self.cluster.leave(id)
    }
    fn join(&mut self) -> Result<(), Refusal> {
        self.effects.push(Effect::Other("join"));
        self.cluster.join()
    }
    fn update(&mut self, id: NodeId, key: &str, value: String) -> Result<Option<Update>, Refusal> {
        self.effects.push(Effect::Other("update"));
        self.cluster.update(id, key, value)
    }
    fn partition(&mut self, sides: &[u32]) -> Result<(), Refusal> {
        self.effects.push(Effect::Sides(sides.to_vec()));
        self.cluster.partition(sides)
    }
    fn heal(&mut self) -> Result<(), Refusal> {
        self.effects.push(Effect::Other("heal"));
        self.cluster.heal()
    }
}

/// Plays the steps on `cluster`, each once `wait` has brought it to its time.
fn play<C: ClusterControl>(
    cluster: &mut C,
    player: &mut Player,
    steps: &[Step],
    mut wait: impl FnMut(&mut C, Millis),
) -> Vec<Effect> {
    let mut effects = Vec::new();
    for step in steps {
        wait(cluster, step.at_ms);
        let mut recording = Recording {
            cluster: &mut *cluster,
            effects: &mut effects,
        };
        player.apply(&mut recording, step).unwrap();
    }
    effects
}

#[test]
fn a_scenario_has_the_same_effects_on_the_simulator_and_on_real_nodes() {
    let scenario = Scenario::parse(SCENARIO).unwrap();
    let (mut sim, mut player) = scenario.start(SimConfig::default()).unwrap();
    let simulated = play(&mut sim, &mut player, &scenario.steps, |sim, at| {
        sim.advance_to(at)
    });

    let (config, mut player) = {
        let (sim, player) = scenario.start(SimConfig::default()).unwrap();
        (sim.config().clone(), player)
    };
    let node = PathBuf::from(env!("CARGO_BIN_EXE_gossip-node"));
    let mut cluster = Cluster::launch(node, &config, "interpreter", None).unwrap();
    let real = play(&mut cluster, &mut player, &scenario.steps, |c, at| {
        c.wait_until_run_ms(at)
    });
    cluster.stop();

    let sides = |effects: &[Effect]| -> Vec<Vec<u32>> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Sides(s) => Some(s.clone()),
                _ => None,
            })
            .collect()
    };
    assert_eq!(
        sides(&simulated),
        [vec![1, 1, 0, 0], vec![1, 2, 1, 2, 1]],
        "the partition's group on side 1, the rest on 0; the split by id mod 2, the joined node 4 included"
    );
    assert_eq!(sides(&real), sides(&simulated));
    for effects in [&simulated, &real] {
        let restarts: Vec<_> = effects
            .iter()
            .filter_map(|e| match e {
                Effect::Restarted(before, after) => Some((*before, *after)),
                _ => None,
            })
            .collect();
        assert_eq!(restarts.len(), 1);
        let (before, after) = restarts[0];
        assert!(after > before, "{before} → {after}");
    }
    let Effect::Restarted(before, after) = simulated[3] else {
        panic!("the fourth step restarts: {simulated:?}");
    };
    assert_eq!(after, restart_generation(before, 1_600), "the core's rule");
    let kinds = |effects: &[Effect]| -> Vec<String> {
        effects
            .iter()
            .map(|e| match e {
                Effect::Sides(_) => "sides".into(),
                Effect::Restarted(..) => "restart".into(),
                Effect::Other(what) => (*what).into(),
            })
            .collect()
    };
    assert_eq!(kinds(&real), kinds(&simulated));
}
