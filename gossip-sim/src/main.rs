//! `gossip-sim`: runs a simulated cluster with the real protocol (encoded messages,
//! MTU-bounded) and prints a JSON summary; with `--sweep`, a grid of runs as CSV
//! (`sweep.rs`). A progress bar shows on a terminal (stderr), never in a pipe. See
//! the guide (`book/src/gossip-sim.md`) for every flag and field.

mod faults;
mod soak;
mod sweep;

use gossip_heartbeat::Node;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use gossip_cli::{ProtocolFlags, named};
use gossip_core::measure::Distribution;
use gossip_core::sim::{
    Bootstrap, DEFAULT_JITTER_MS, DEFAULT_LATENCY_MS, SimConfig, Simulator, Timing, loss_percent,
    loss_ppm,
};
use gossip_core::{Millis, Named, NodeId};
use gossip_heartbeat::node::Protocol;
use gossip_heartbeat::{Mode, NodeConfig, Profile};
use gossip_scenario::{Action, Player, Scenario};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

/// Run a simulated gossip cluster and print a JSON summary.
#[derive(Debug, Clone, Parser)]
#[command(
    version,
    about,
    args_override_self = true,
    args_conflicts_with_subcommands = true
)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Number of nodes.
    #[arg(long, default_value_t = 100)]
    nodes: u32,
    #[command(flatten)]
    params: ProtocolFlags,
    /// Which way state flows in an exchange.
    #[arg(long, default_value = Mode::PushPull.name(), value_parser = named::<Mode>())]
    mode: Mode,
    /// Chance that a message is lost, in percent (0 to 100).
    #[arg(long, default_value_t = 0.0, value_parser = percent)]
    loss: f64,
    /// Mean one-way latency in milliseconds (continuous timing).
    #[arg(long, default_value_t = DEFAULT_LATENCY_MS)]
    latency_ms: u64,
    /// Latency jitter in milliseconds: latency is uniform in mean ± jitter.
    #[arg(long, default_value_t = DEFAULT_JITTER_MS)]
    jitter_ms: u64,
    /// Largest message in bytes.
    #[arg(long, default_value_t = NodeConfig::default().mtu)]
    mtu: usize,
    /// Seed of the run: the same seed and flags give the same run.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// How long to run, in gossip rounds (one round = one interval). Default: 60, or
    /// up to the last step of the scenario.
    #[arg(long)]
    rounds: Option<u64>,
    /// Number of seed nodes (ids 0, 1, ...).
    #[arg(long, default_value_t = 1)]
    seeds: u32,
    /// Tokens per node on the hash ring.
    #[arg(long, default_value_t = 4)]
    tokens: u32,
    /// `continuous`: millisecond clock with latency; `rounds`: the papers' model.
    #[arg(long, default_value = "continuous", value_parser = named::<Timing>())]
    timing: Timing,
    /// `converged`: everyone knows everyone at the start; `seeds`: nodes join
    /// through the seeds.
    #[arg(long, default_value = Bootstrap::Converged.name(), value_parser = named::<Bootstrap>())]
    bootstrap: Bootstrap,
    /// `gossip`, or `all-to-all`: the baseline where every node heartbeats every
    /// other node every round.
    #[arg(long, default_value = Protocol::Gossip.name(), value_parser = named::<Protocol>())]
    protocol: Protocol,
    /// Crash this many nodes (never a seed), evenly spread over the middle half of
    /// the run, to measure detection.
    #[arg(long, default_value_t = 0)]
    crashes: u32,
    /// Split the cluster in two halves at this round...
    #[arg(long)]
    partition_at: Option<u64>,
    /// ...for this many rounds, then heal it, to measure how long it takes to heal.
    #[arg(long, default_value_t = 300)]
    partition_rounds: u64,
    /// A scenario file (JSON Lines, see `scenarios/`): its setup overrides the flags,
    /// and its steps run at their times.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// Record the membership table sizes every this many rounds. Default: about 100
    /// samples over the run.
    #[arg(long)]
    sample_every: Option<u64>,
    /// Sweep a flag over values, as `nodes=100,1000`; repeat for a grid (every
    /// combination is run). The output is then CSV, one row per run.
    #[arg(long)]
    sweep: Vec<sweep::Axis>,
    /// With --sweep: run each combination with this many seeds, from --seed on.
    #[arg(long, default_value_t = 1)]
    repeat: u64,
    /// Test-only: how long a removed identity is remembered (0: no tombstones), to
    /// replay what a soak found with its planted bug.
    #[arg(long, hide = true)]
    quarantine_ms: Option<u64>,
}

#[derive(Debug, Clone, clap::Subcommand)]
enum Command {
    /// Run random fault schedules, one per seed, checking the protocol's invariants;
    /// a failing seed is written as a scenario file that replays it.
    Soak(soak::SoakArgs),
}

fn percent(s: &str) -> Result<f64, String> {
    let value: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=100.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is not between 0 and 100"))
    }
}

/// The membership tables of the nodes that are up, at the end of a round.
#[derive(Debug, Serialize)]
struct MembersSample {
    round: u64,
    /// Nodes up.
    live: usize,
    /// Smallest, largest and mean table.
    min: usize,
    max: usize,
    mean: f64,
}

/// A scenario caption, when it was shown.
#[derive(Debug, Serialize)]
struct Caption {
    at_s: f64,
    text: String,
}

/// Pieces a round runs in, to time the update's spread finer than a round.
const SPREAD_PIECES: u64 = 20;

/// The JSON summary. Field names are a public interface: tests and users parse them.
/// The settings reported are those at the end of the run (a scenario may change them).
#[derive(Debug, Serialize)]
struct Summary {
    nodes: u32,
    /// The profile the run's values match, or `custom`.
    profile: &'static str,
    fanout: usize,
    detector: &'static str,
    threshold: f64,
    mode: &'static str,
    /// Whether Ack2s forwarded fresh news (`--forward-news`).
    forward_news: bool,
    loss_percent: f64,
    mtu: usize,
    interval_ms: Millis,
    /// The latency's mean and jitter; null in the papers' rounds.
    latency_ms: Option<Millis>,
    jitter_ms: Option<Millis>,
    seeds: usize,
    tokens: u32,
    /// Nodes crashed by `--crashes`.
    crashes: u32,
    seed: u64,
    rounds: u64,
    timing: &'static str,
    protocol: &'static str,
    /// Rounds until a key set on the last node at the start reached every node;
    /// null if it had not by the end of the run.
    rounds_to_full_spread: Option<u64>,
    /// Seconds from that key's making until it reached every node, timed to a
    /// twentieth of a round; null if it had not by the end of the run.
    full_spread_s: Option<f64>,
    /// The largest message sent, in bytes.
    max_message_bytes: usize,
    /// Bytes sent per node per round, lost messages included.
    bytes_per_node_per_round: f64,
    /// Messages sent per round, cluster-wide.
    messages_per_round: f64,
    /// Messages the network dropped.
    lost_messages: u64,
    /// Messages a node rejected as invalid (0 between honest nodes).
    rejected_messages: u64,
    /// Time from each crash until each live node convicted it: mean, p99, max, in
    /// seconds; null without crashes.
    detection_mean_s: Option<f64>,
    detection_p99_s: Option<f64>,
    detection_max_s: Option<f64>,
    /// The mean gap between heartbeat advances that the nodes' detectors learned, at
    /// the end, in seconds: about one interval while a Syn's page holds every
    /// digest, longer in a larger cluster. Cassandra's detector convicts after
    /// about 18 of them. Null before any was learned.
    mean_heartbeat_gap_s: Option<f64>,
    /// The refresh period the nodes expect at the end, in seconds: the interval
    /// times the rounds their digest pages take to go round the view.
    refresh_s: Option<f64>,
    /// Convictions of live, reachable nodes, per ordered pair of nodes per hour.
    false_convictions_per_pair_hour: f64,
    /// Seconds from lifting the partition until every node that is up saw every
    /// other as alive; null without a partition or if it never healed.
    partition_heal_s: Option<f64>,
    /// Evicted identities that came back into a view (ghosts).
    resurrections: u64,
    /// The largest membership table of any node, over the run.
    max_members: usize,
    /// Membership table sizes over time.
    members_over_time: Vec<MembersSample>,
    /// The scenario's captions, in order; empty without a scenario.
    captions: Vec<Caption>,
    /// Fingerprint of the run, for comparing two runs.
    trace_hash: String,
}

fn config(args: &Args) -> SimConfig<NodeConfig> {
    let node = args.params.node_config();
    SimConfig {
        nodes: args.nodes,
        seed: args.seed,
        timing: match args.timing {
            Timing::Continuous { .. } => Timing::Continuous {
                mean_ms: args.latency_ms,
                jitter_ms: args.jitter_ms,
            },
            Timing::Rounds => Timing::Rounds,
        },
        // `percent` checked the range.
        loss_ppm: loss_ppm(args.loss).unwrap_or_default(),
        bootstrap: args.bootstrap,
        node: NodeConfig {
            tokens: args.tokens,
            protocol: args.protocol,
            seeds: (0..args.seeds.min(args.nodes)).map(NodeId).collect(),
            mtu: args.mtu,
            mode: args.mode,
            quarantine_ms: args.quarantine_ms.unwrap_or(node.quarantine_ms),
            ..node
        },
    }
}

/// The simulator, and the scenario's player if a scenario was given.
fn start(args: &Args) -> Result<(Simulator<Node>, Option<Player>), String> {
    let base = config(args);
    let Some(path) = &args.scenario else {
        return Ok((
            Simulator::<Node>::new(base).map_err(|e| e.to_string())?,
            None,
        ));
    };
    let (_, sim, player) = Scenario::load(path, base)?;
    Ok((sim, Some(player)))
}

fn run(args: &Args, progress: &ProgressBar) -> Result<Summary, String> {
    let (mut sim, mut player) = start(args)?;
    let interval = sim.config().node.interval_ms;
    let rounds = match (args.rounds, &player) {
        (Some(0), _) => return Err("--rounds must be at least 1".into()),
        (Some(rounds), _) => rounds,
        (None, Some(player)) => player.end_ms().div_ceil(interval).max(1),
        (None, None) => 60,
    };
    let nodes = sim.config().nodes;
    // A scenario is the whole run (a saved one replays the page's exactly): its own
    // `update` steps are followed. Without one, the last node makes an update at the
    // start. Either way, with the round it was made in.
    let mut followed = match &player {
        Some(_) => None,
        None => {
            let update = sim
                .set(NodeId(nodes - 1), "gossip-sim", "update")
                .ok_or("no node to set the update on")?
                .map_err(|e| e.to_string())?;
            Some((update, 0))
        }
    };
    // A scenario without --rounds runs to its last step exactly.
    let stop = match (&player, args.rounds) {
        (Some(player), None) => player.end_ms(),
        _ => rounds * interval,
    };
    let seeds = sim.config().node.seeds.len() as u32;
    let crash_round = |k: u64| rounds / 4 + (k + 1) * (rounds / 2) / (u64::from(args.crashes) + 1);
    let crash_victim = |k: u32| NodeId(seeds + k * (nodes - seeds) / args.crashes.max(1));
    if args.crashes > nodes.saturating_sub(seeds) {
        return Err(format!(
            "--crashes {} is more than the {} nodes that are not seeds",
            args.crashes,
            nodes - seeds
        ));
    }
    let sample_every = args.sample_every.unwrap_or(rounds.div_ceil(100)).max(1);
    let partition = args
        .partition_at
        .map(|at| (at, at.saturating_add(args.partition_rounds)));
    let mut rounds_to_full_spread = None;
    let (mut full_spread_s, mut update_made_at) = (None, 0);
    let mut healed_at: Option<Millis> = None;
    let mut partition_heal_s = None;
    let mut max_members = sim.members().max;
    let mut members_over_time = Vec::new();
    let mut captions = Vec::new();
    progress.set_length(rounds);
    for round in 1..=rounds {
        progress.inc(1);
        for k in (0..args.crashes).filter(|&k| crash_round(u64::from(k)) == round) {
            sim.crash(crash_victim(k));
        }
        if partition.is_some_and(|(at, _)| at == round) {
            let (left, right): (Vec<NodeId>, Vec<NodeId>) =
                (0..nodes).map(NodeId).partition(|id| id.0 % 2 == 0);
            sim.partition(&[left, right]);
        }
        if partition.is_some_and(|(_, heal)| heal == round) {
            sim.heal();
            (healed_at, partition_heal_s) = (Some(sim.now()), None);
        }
        // Each round runs in pieces, so that the update's spread is timed finer than
        // a round: splitting a run into shorter advances does not change it.
        for piece in 1..=SPREAD_PIECES {
            let until = ((round - 1) * interval + interval * piece / SPREAD_PIECES).min(stop);
            match &mut player {
                Some(player) => player
                    .advance_to(&mut sim, until, |step| {
                        if step.action == Some(Action::Heal) {
                            (healed_at, partition_heal_s) = (Some(step.at_ms), None);
                        }
                        if let Some(Action::Update(_)) = step.action {
                            update_made_at = step.at_ms;
                        }
                        if let Some(text) = &step.caption {
                            captions.push(Caption {
                                at_s: step.at_ms as f64 / 1000.0,
                                text: text.clone(),
                            });
                        }
                    })
                    .map_err(|e| e.to_string())?,
                None => sim.advance_to(until),
            }
            if let Some(update) = player.as_ref().and_then(Player::update)
                && followed.is_none_or(|(f, _)| f != update)
            {
                followed = Some((update, round - 1));
                (rounds_to_full_spread, full_spread_s) = (None, None);
            }
            if let Some((update, _)) = followed
                && full_spread_s.is_none()
                && sim.informed(update) == nodes as usize
            {
                full_spread_s = Some(until.saturating_sub(update_made_at) as f64 / 1000.0);
            }
        }
        if let Some((_, made)) = followed
            && rounds_to_full_spread.is_none()
            && full_spread_s.is_some()
        {
            rounds_to_full_spread = Some(round - made);
        }
        if let Some(at) = healed_at
            && partition_heal_s.is_none()
            && sim.all_up_see_each_other()
        {
            partition_heal_s = Some((sim.now() - at) as f64 / 1000.0);
        }
        let members = sim.members();
        max_members = max_members.max(members.max);
        if round % sample_every == 0 || round == rounds {
            members_over_time.push(MembersSample {
                round,
                live: members.live,
                min: members.min,
                max: members.max,
                mean: members.total as f64 / members.live.max(1) as f64,
            });
        }
    }
    let stats = sim.stats();
    let gaps = gossip_heartbeat::gaps::heartbeat_gaps(&sim);
    let detection = Distribution::of(sim.detections());
    let pairs = f64::from(nodes) * f64::from(nodes.saturating_sub(1));
    let hours = sim.now() as f64 / 3_600_000.0;
    let config = sim.config();
    let detector = config.node.detector;
    Ok(Summary {
        nodes,
        profile: Profile::matching(
            config.node.fanout,
            config.node.interval_ms,
            detector.model,
            detector.threshold,
        )
        .map_or("custom", Profile::name),
        fanout: config.node.fanout,
        detector: detector.model.name(),
        threshold: detector.threshold,
        mode: config.node.mode.name(),
        forward_news: config.node.forward_news,
        loss_percent: loss_percent(config.loss_ppm),
        mtu: config.node.mtu,
        interval_ms: config.node.interval_ms,
        latency_ms: match config.timing {
            Timing::Continuous { mean_ms, .. } => Some(mean_ms),
            Timing::Rounds => None,
        },
        jitter_ms: match config.timing {
            Timing::Continuous { jitter_ms, .. } => Some(jitter_ms),
            Timing::Rounds => None,
        },
        seeds: config.node.seeds.len(),
        tokens: config.node.tokens,
        crashes: args.crashes,
        seed: config.seed,
        rounds,
        timing: config.timing.name(),
        protocol: config.node.protocol.name(),
        rounds_to_full_spread,
        full_spread_s,
        max_message_bytes: stats.max_message_bytes,
        bytes_per_node_per_round: stats.bytes as f64 / f64::from(nodes) / rounds as f64,
        messages_per_round: stats.messages as f64 / rounds as f64,
        lost_messages: stats.lost,
        rejected_messages: stats.rejected,
        detection_mean_s: detection.map(|d| d.mean_s),
        detection_p99_s: detection.map(|d| d.p99_s),
        detection_max_s: detection.map(|d| d.max_s),
        mean_heartbeat_gap_s: gaps.map(|g| g.mean_ms / 1000.0),
        refresh_s: gaps.map(|g| g.refresh_ms / 1000.0),
        false_convictions_per_pair_hour: if pairs > 0.0 {
            stats.false_convictions as f64 / pairs / hours
        } else {
            0.0
        },
        partition_heal_s,
        resurrections: stats.resurrections,
        max_members,
        members_over_time,
        captions,
        trace_hash: format!("{:#018x}", sim.trace_hash()),
    })
}

/// A progress bar on stderr; indicatif draws nothing when stderr is not a terminal.
fn progress_bar(what: &str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    let template =
        format!("{{elapsed_precise}} [{{wide_bar}}] {{pos}}/{{len}} {what} (eta {{eta}})");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}

fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(Command::Soak(soak)) = &args.command {
        let progress = progress_bar("seeds");
        let report = soak::run(soak, &progress);
        progress.finish_and_clear();
        return match report {
            Ok((report, held)) => {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).expect("plain data serializes")
                );
                if held {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        };
    }
    let output = if args.sweep.is_empty() {
        let progress = progress_bar("rounds");
        let summary = run(&args, &progress);
        progress.finish_and_clear();
        summary.map(|summary| {
            serde_json::to_string_pretty(&summary).expect("plain data serializes") + "\n"
        })
    } else {
        let progress = progress_bar("runs");
        let argv: Vec<String> = std::env::args().collect();
        let csv = sweep::run(&sweep::base_argv(&argv), &args, &progress);
        progress.finish_and_clear();
        csv
    };
    match output {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
