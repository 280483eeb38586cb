//! A random fault schedule for one soak seed, written as a scenario file, so that
//! what the soak runs is exactly what `gossip-sim --scenario` and the page replay.
//!
//! The bounds, documented in the guide's soak section (`book/src/gossip-sim.md`):
//! - after 20 s of warm-up (`WARM_UP_MS`), the faults span 30 to 180 s, with 3 to
//!   15 steps at random times in it;
//! - a step is one of: crash, restart, leave, join (1 or 2 nodes), a partition into
//!   random groups of a half or a third of the nodes (a remainder forms one more),
//!   heal, a loss spike (5 to 30 %), a latency spike (300 to
//!   1,500 ms, jitter up to 300), a one-way link fault (all lost, or 2 s late), an MTU
//!   change (512 to the base) with a fanout change (1 to 4), or an update;
//! - seeds (ids below the seed count) never crash or leave, as `--crashes` spares
//!   them: a cluster whose every seed is gone cannot heal a partition, by design;
//!   at most a third of the nodes are down at once, and at most 5 join;
//! - then every fault is lifted at once (heal, the base network, MTU and fanout,
//!   every link back to it), and the run settles for `SETTLE_MS`.

use gossip_core::Millis;
use gossip_core::NodeId;
use gossip_core::sim::{SimConfig, Timing, loss_percent};
use gossip_heartbeat::NodeConfig;
use gossip_scenario::{Action, SettingsLine, Step, setup_line, step_line};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// How long the run goes on after the faults are lifted: the eviction horizon
/// (60 s) after the slowest conviction, with room to spare, so that every dead or
/// departed node is out of every view.
pub const SETTLE_MS: Millis = 180_000;
/// How long the cluster runs before the first fault. A converged start arms each
/// endpoint's failure detector at its first heartbeat heard, as Cassandra does; a
/// node that crashed before any node heard it would never be convicted (Cassandra
/// keeps such an endpoint, down, for three days). By 20 s every detector has heard,
/// at 200 nodes too. The soak found this (the guide, "gossip-sim soak").
const WARM_UP_MS: Millis = 20_000;
/// The most nodes that join during a run.
const MOST_JOINS: u32 = 5;

/// Where a node is, as the schedule has made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Life {
    Up,
    Crashed,
    Left,
}

/// The schedule of `seed` on `base` (its RNG seed set to `seed` too).
pub fn schedule(seed: u64, base: &SimConfig<NodeConfig>) -> Schedule {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let config = SimConfig {
        seed,
        ..base.clone()
    };
    let seeds = config.node.seeds.len() as u32;
    let mut life = vec![Life::Up; config.nodes as usize];
    let span: Millis = rng.random_range(30_000..=180_000);
    let count = rng.random_range(3..=15);
    let mut times: Vec<Millis> = (0..count)
        .map(|_| rng.random_range(WARM_UP_MS..=WARM_UP_MS + span) / 100 * 100)
        .collect();
    times.sort_unstable();
    let mut steps = Vec::new();
    let mut links = Vec::new();
    let mut joined = 0;
    for at in times {
        if let Some(action) = fault(&mut rng, &config, &mut life, seeds, &mut joined, &mut links) {
            steps.push(step(at, action, None));
        }
    }
    let lifted = WARM_UP_MS + span + 1_000;
    steps.push(step(lifted, Action::Heal, Some("every fault is lifted")));
    let (latency_ms, jitter_ms) = match config.timing {
        Timing::Continuous { mean_ms, jitter_ms } => (Some(mean_ms), Some(jitter_ms)),
        Timing::Rounds => (None, None),
    };
    steps.push(step(
        lifted,
        Action::Set(SettingsLine {
            loss: Some(loss_percent(config.loss_ppm)),
            latency_ms,
            jitter_ms,
            mtu: Some(config.node.mtu),
            fanout: Some(config.node.fanout),
            ..SettingsLine::default()
        }),
        None,
    ));
    links.sort_unstable();
    links.dedup();
    for (from, to) in links {
        let reset = Action::Link {
            from,
            to,
            loss: None,
            latency_ms: None,
            jitter_ms: None,
        };
        steps.push(step(lifted, reset, None));
    }
    steps.push(Step {
        line: 0,
        at_ms: lifted + SETTLE_MS,
        action: None,
        caption: Some("settled: the invariants are checked".into()),
    });
    Schedule {
        setup: setup_line(&format!("soak seed {seed}"), &config),
        steps,
        lifted,
    }
}

/// A seed's run as scenario lines.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// The setup line: every setting pinned.
    pub setup: String,
    /// The steps, in time order.
    pub steps: Vec<Step>,
    /// When every fault is lifted.
    pub lifted: Millis,
}

impl Schedule {
    /// The highest loss the network had, in percent: the base's or a spike's.
    pub fn peak_loss(&self) -> f64 {
        self.steps
            .iter()
            .filter_map(|s| match &s.action {
                Some(Action::Set(set)) => set.loss,
                _ => None,
            })
            .fold(0.0, f64::max)
    }

    /// The whole run as a scenario file.
    pub fn text(&self) -> String {
        self.lines(&self.steps)
    }

    /// The run up to `at` as a scenario file, ending there with `caption`: a replay
    /// stops where the invariant broke.
    pub fn text_until(&self, at: Millis, caption: &str) -> String {
        let mut steps: Vec<Step> = self
            .steps
            .iter()
            .filter(|s| s.at_ms <= at)
            .cloned()
            .collect();
        steps.push(Step {
            line: 0,
            at_ms: at,
            action: None,
            caption: Some(caption.into()),
        });
        self.lines(&steps)
    }

    fn lines(&self, steps: &[Step]) -> String {
        let mut text = self.setup.clone();
        for s in steps {
            text.push('\n');
            text.push_str(&step_line(s));
        }
        text.push('\n');
        text
    }
}

fn step(at_ms: Millis, action: Action, caption: Option<&str>) -> Step {
    Step {
        line: 0,
        at_ms,
        action: Some(action),
        caption: caption.map(str::to_owned),
    }
}

/// One random fault that the cluster, as the schedule has made it, can take.
fn fault(
    rng: &mut ChaCha8Rng,
    config: &SimConfig<NodeConfig>,
    life: &mut Vec<Life>,
    seeds: u32,
    joined: &mut u32,
    links: &mut Vec<(NodeId, NodeId)>,
) -> Option<Action> {
    let nodes = life.len() as u32;
    let pick = |rng: &mut ChaCha8Rng, life: &[Life], want: Life, spare_seeds: bool| {
        let candidates: Vec<u32> = (0..nodes)
            .filter(|&i| life[i as usize] == want && !(spare_seeds && i < seeds))
            .collect();
        candidates
            .get(rng.random_range(0..candidates.len().max(1)))
            .copied()
    };
    let down = life.iter().filter(|l| **l != Life::Up).count() as u32;
    Some(match rng.random_range(0..12) {
        0 | 1 if (down + 1) * 3 <= nodes => {
            let id = pick(rng, life, Life::Up, true)?;
            life[id as usize] = Life::Crashed;
            Action::Crash(NodeId(id))
        }
        2 => {
            let id = pick(rng, life, Life::Crashed, false)?;
            life[id as usize] = Life::Up;
            Action::Restart(NodeId(id))
        }
        3 if (down + 1) * 3 <= nodes => {
            let id = pick(rng, life, Life::Up, true)?;
            life[id as usize] = Life::Left;
            Action::Leave(NodeId(id))
        }
        4 if *joined < MOST_JOINS => {
            let count = rng.random_range(1..=2).min(MOST_JOINS - *joined);
            *joined += count;
            life.extend((0..count).map(|_| Life::Up));
            Action::Join(count)
        }
        5 => {
            let mut ids: Vec<NodeId> = (0..nodes).map(NodeId).collect();
            ids.shuffle(rng);
            let groups = rng.random_range(2..=3);
            let cuts = ids.len() / groups;
            Action::Partition(ids.chunks(cuts.max(1)).map(<[NodeId]>::to_vec).collect())
        }
        6 => Action::Heal,
        7 => Action::Set(SettingsLine {
            loss: Some(f64::from(rng.random_range(5..=30_u32))),
            ..SettingsLine::default()
        }),
        8 => Action::Set(SettingsLine {
            latency_ms: Some(rng.random_range(300..=1_500)),
            jitter_ms: Some(rng.random_range(0..=300)),
            ..SettingsLine::default()
        }),
        9 => {
            let from = NodeId(rng.random_range(0..nodes));
            let to = NodeId(rng.random_range(0..nodes));
            if from == to {
                return None;
            }
            links.push((from, to));
            let lost = rng.random_bool(0.5);
            Action::Link {
                from,
                to,
                loss: lost.then_some(100.0),
                latency_ms: (!lost).then_some(2_000),
                jitter_ms: None,
            }
        }
        10 => {
            let low = 512.min(config.node.mtu);
            Action::Set(SettingsLine {
                mtu: Some(rng.random_range(low..=config.node.mtu)),
                fanout: Some(rng.random_range(1..=4)),
                ..SettingsLine::default()
            })
        }
        _ => Action::Update(NodeId(pick(rng, life, Life::Up, false)?)),
    })
}
