//! `gossip-node cluster`: a local cluster of real node processes on loopback, a
//! scenario's lifecycle steps carried out for real, and a JSON summary of what the
//! nodes reported, in `gossip-sim`'s fields.
//!
//! - The seeds start first, on free ports; the others then start knowing only the
//!   seeds' addresses. The run's clock starts once every node listens.
//! - A scenario's steps, at their times: `crash` is kill -9; `restart` is a new
//!   process on the same address in a newer generation; `leave` is SIGTERM;
//!   `join` starts new nodes; `update` sets the key `update` on a node; `partition`,
//!   `split` and `heal` tell each node which addresses to drop datagrams from and to.
//! - Commands go to a node on its stdin (`--control`), which only the launcher holds:
//!   no other process can partition a node, and a node whose launcher died sees
//!   stdin close and leaves.
//! - Whatever it started is stopped when it returns, in a bounded time: every node
//!   is told to leave, and whatever still runs after the leave's rounds is killed.
//!
//! Why this file runs past 600 lines: the launcher's plan, its processes and its
//! `ClusterControl` share one `Cluster`'s state; what stands alone is apart
//! (`measurements.rs`, `serve.rs`, `event.rs`).

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use gossip_core::contract::Update;
use gossip_core::sim::{SimConfig, Timing, loss_percent};
use gossip_core::{Millis, NodeId};
use gossip_heartbeat::node::Protocol;
use gossip_heartbeat::node::{LEAVE_ROUNDS, restart_generation};
use gossip_heartbeat::state::Generation;
use gossip_heartbeat::{Mode, NodeConfig};
use gossip_scenario::{Action, ClusterControl, Player, Refusal, Scenario, Step};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::event::{Event, Line};
use crate::measurements::{Measurements, Summary};
use crate::serve::{self, Hello, ServeArgs, Server};
use crate::settings::{Settings, flags};

/// How long a node may take to start listening.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// Start a local cluster of real nodes, run a scenario on it, print a JSON summary.
#[derive(Debug, Clone, clap::Args)]
pub struct ClusterArgs {
    /// Number of nodes. A scenario's setup may set it instead.
    #[arg(long, default_value_t = 5)]
    pub nodes: u32,
    /// Number of seeds: the first nodes. A scenario's setup may set it instead.
    #[arg(long, default_value_t = 1)]
    pub seeds: u32,
    /// A scenario file: its setup sets the nodes, seeds and protocol, and its
    /// lifecycle steps (crash, restart, leave, join, update, partition, split, heal)
    /// run for real.
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// How long to run, in seconds. Default: to the scenario's last step, or 10.
    #[arg(long)]
    pub seconds: Option<f64>,
    /// Also write every node's events to this file (JSON Lines).
    #[arg(long)]
    pub events: Option<PathBuf>,
    /// The protocol: a scenario's setup overrides these.
    #[command(flatten)]
    pub settings: Settings,
    /// Streaming the cluster to pages, and taking their commands.
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// Runs the cluster and returns its summary: for `--seconds`, or to the scenario's
/// last step, or while serving (`--serve`) until SIGINT or SIGTERM.
pub fn run(args: &ClusterArgs) -> Result<Summary, String> {
    let (config, steps, mut player) = plan(args)?;
    let node = std::env::current_exe().map_err(|e| e.to_string())?;
    let end_ms = match (args.seconds, steps.last()) {
        (Some(s), _) if s.is_finite() && s > 0.0 => Some((s * 1000.0) as Millis),
        (Some(s), _) => return Err(format!("--seconds must be positive, got {s}")),
        (None, _) if args.serve.serve.is_some() => None,
        (None, Some(last)) => Some(last.at_ms),
        (None, None) => Some(10_000),
    };
    let events = match &args.events {
        Some(path) => {
            Some(BufWriter::new(File::create(path).map_err(|e| {
                format!("cannot write {}: {e}", path.display())
            })?))
        }
        None => None,
    };
    let serve = args.serve.address()?;
    let mut cluster = Cluster::launch(node, &config, &args.settings.cluster, events)?;
    let server = match serve {
        Some(address) => Some(cluster.serve(address, &args.serve, &config)?),
        None => None,
    };
    let stop = Arc::new(AtomicBool::new(false));
    if server.is_some() {
        for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
            signal_hook::flag::register(signal, Arc::clone(&stop)).map_err(|e| e.to_string())?;
        }
    }
    let mut steps = steps.into_iter().peekable();
    loop {
        let now = cluster.now();
        if stop.load(Ordering::Relaxed) || end_ms.is_some_and(|end| now >= end) {
            break;
        }
        if let Some(step) = steps.next_if(|s| s.at_ms <= now) {
            player
                .apply(&mut cluster, &step)
                .map_err(|e| e.to_string())?;
            if let Some(server) = &server {
                server.step(gossip_scenario::step_line(&step));
            }
            continue;
        }
        let next = [steps.peek().map(|s| s.at_ms), end_ms]
            .into_iter()
            .flatten()
            .min();
        match &server {
            // A page's command waits at most a poll.
            Some(server) => {
                let poll = next.map_or(now + POLL_MS, |at| at.min(now + POLL_MS));
                cluster.wait_until_run_ms(poll);
                while let Ok(command) = server.commands.try_recv() {
                    cluster.command(server, &mut player, &config, command);
                }
            }
            None => cluster.wait_until_run_ms(next.unwrap_or(now)),
        }
    }
    let summary = cluster.measured.summary(now_ms());
    cluster.stop();
    Ok(summary)
}

/// The simulator's network nearest to loopback's (tens of microseconds): its
/// smallest latency, 1 ms, with no jitter.
pub const LOOPBACK: Timing = Timing::Continuous {
    mean_ms: 1,
    jitter_ms: 0,
};

/// How often a serving launcher looks for pages' commands.
const POLL_MS: Millis = 20;

/// The protocol and the steps: from the flags, then the scenario's setup, by the
/// scenario's own rules; refused if a step or setting cannot run on real nodes.
fn plan(args: &ClusterArgs) -> Result<(SimConfig<NodeConfig>, Vec<Step>, Player), String> {
    let node = args.settings.node_config()?;
    let base = SimConfig {
        nodes: args.nodes,
        node: NodeConfig {
            seeds: (0..args.seeds.min(args.nodes)).map(NodeId).collect(),
            ..node
        },
        ..SimConfig::default()
    };
    let Some(path) = &args.scenario else {
        return Ok((base, Vec::new(), Player::default()));
    };
    let scenario = Scenario::read(path)?;
    let (config, player) = scenario
        .plan(base)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let refuse = |what: &str| {
        Err(format!(
            "{}: {what} cannot run on real nodes",
            path.display()
        ))
    };
    if config.loss_ppm != 0 {
        return refuse(&format!("a loss of {} %", loss_percent(config.loss_ppm)));
    }
    if config.timing == Timing::Rounds {
        return refuse("the papers' rounds");
    }
    if config.node.protocol != Protocol::Gossip || config.node.mode != Mode::PushPull {
        return refuse("a protocol other than push-pull gossip");
    }
    for step in &scenario.steps {
        if step
            .action
            .as_ref()
            .is_some_and(Action::needs_the_simulator)
        {
            return refuse(&format!(
                "line {}'s step (only crash, restart, leave, join, update, partition, split and heal)",
                step.line
            ));
        }
    }
    Ok((config, scenario.steps, player))
}

/// One node process, as numbered in the scenario.
#[derive(Debug)]
struct Member {
    address: SocketAddr,
    generation: u32,
    child: Child,
    stdin: Option<ChildStdin>,
}

/// The processes, their events, and what is measured of them. A scenario's steps
/// act on it through [`ClusterControl`]; dropping it kills whatever still runs.
pub struct Cluster {
    /// The `gossip-node` executable each node runs.
    node: PathBuf,
    members: Vec<Option<Member>>,
    /// Address → member.
    by_address: HashMap<String, usize>,
    seeds: Vec<usize>,
    /// The flags of every node's protocol.
    flags: Vec<String>,
    tokens: u32,
    interval_ms: Millis,
    lines: Receiver<(usize, Line)>,
    send_lines: Sender<(usize, Line)>,
    events: Option<BufWriter<File>>,
    /// Lines about a node that came before its own first line.
    early: Vec<(usize, Line)>,
    measured: Measurements,
    /// When the run's clock started (Unix ms), once every node listens.
    started: Millis,
    /// Where every line goes too while serving (`serve.rs`); its nodes then print
    /// their views and datagrams (`watch`).
    tap: Option<Sender<(usize, Line)>>,
}

impl Cluster {
    /// Starts `config.nodes` processes of the `node` executable, the seeds first,
    /// each once the one before listens, and starts the run's clock once every node
    /// listens. Their lines go to `events` as well, if given.
    pub fn launch(
        node: PathBuf,
        config: &SimConfig<NodeConfig>,
        cluster: &str,
        events: Option<BufWriter<File>>,
    ) -> Result<Self, String> {
        let (send_lines, lines) = mpsc::channel();
        let mut launched = Self {
            node,
            members: Vec::new(),
            by_address: HashMap::new(),
            seeds: config.node.seeds.iter().map(|s| s.0 as usize).collect(),
            flags: flags(config, cluster),
            tokens: config.node.tokens,
            interval_ms: config.node.interval_ms,
            lines,
            send_lines,
            events,
            early: Vec::new(),
            measured: Measurements::default(),
            started: 0,
            tap: None,
        };
        for member in 0..config.nodes as usize {
            launched.start(member, None)?;
        }
        launched.started = now_ms();
        launched.measured.begin(launched.started);
        Ok(launched)
    }

    /// Serves the cluster to pages at `address` (`serve.rs`): every node is told to
    /// `watch`, and every line goes to the server's hub. Prints where to open the page.
    fn serve(
        &mut self,
        address: SocketAddr,
        args: &ServeArgs,
        config: &SimConfig<NodeConfig>,
    ) -> Result<Server, String> {
        // The simulation beside it runs on the simulator's nearest to loopback, as
        // BENCHMARKS.md's comparison of the two does.
        let simulated = SimConfig {
            timing: LOOPBACK,
            ..config.clone()
        };
        let hello = Hello {
            setup: gossip_scenario::setup_line("A live cluster", &simulated),
            started: self.started,
            interval_ms: self.interval_ms,
        };
        let members = self
            .members
            .iter()
            .map(|m| {
                m.as_ref()
                    .map_or_else(String::new, |m| m.address.to_string())
            })
            .collect();
        let (server, tap) = Server::start(address, args, hello, members)?;
        self.tap = Some(tap);
        for member in 0..self.members.len() {
            self.tell(member, "watch");
        }
        eprintln!(
            "gossip-node: serving {} nodes at ws://{address}; open the page with \
             ?live=ws://{address} (Ctrl-C stops the cluster)",
            self.members.len(),
            address = server.address()
        );
        Ok(server)
    }

    /// Carries out a page's command now, as a scenario step checked against the
    /// cluster as it is (`config` with its nodes now): the step goes to every page,
    /// or the refusal to the page that sent it.
    fn command(
        &mut self,
        server: &Server,
        player: &mut Player,
        config: &SimConfig<NodeConfig>,
        command: serve::Command,
    ) {
        let now = SimConfig {
            nodes: self.node_count(),
            ..config.clone()
        };
        if let Err(e) = command.step.check(&now) {
            server.refuse(command.client, &e.message);
            return;
        }
        let Some(step) = command.step.steps.into_iter().next() else {
            return;
        };
        let step = Step {
            at_ms: self.now(),
            ..step
        };
        match player.apply(self, &step) {
            Ok(()) => server.step(gossip_scenario::step_line(&step)),
            Err(e) => server.refuse(command.client, &e.message),
        }
    }

    /// Takes in the nodes' lines until `at` ms of the run's clock.
    pub fn wait_until_run_ms(&mut self, at: Millis) {
        self.wait_until(self.started.saturating_add(at));
    }

    /// Starts `member`'s process (anew on its old address, after a crash) and waits
    /// until it listens.
    fn start(&mut self, member: usize, generation: Option<u32>) -> Result<(), String> {
        let listen = match self.members.get(member) {
            Some(Some(old)) => old.address.to_string(),
            _ => "127.0.0.1:0".into(),
        };
        let mut command = Command::new(&self.node);
        command.args(["--listen", &listen, "--control", "--tokens"]);
        command.arg(self.tokens.to_string());
        for &seed in &self.seeds {
            if let Some(Some(seed)) = self.members.get(seed) {
                command.arg("--seed").arg(seed.address.to_string());
            }
        }
        if let Some(generation) = generation {
            command.arg("--generation").arg(generation.to_string());
        }
        let mut child = command
            .args(&self.flags)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start node {member}: {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let stdin = child.stdin.take();
        let send = self.send_lines.clone();
        std::thread::spawn(move || {
            for text in BufReader::new(stdout).lines() {
                let Ok(text) = text else { break };
                match serde_json::from_str::<Line>(&text) {
                    Ok(line) => {
                        if send.send((member, line)).is_err() {
                            break;
                        }
                    }
                    Err(e) => eprintln!("node {member}: {e}: {text}"),
                }
            }
        });
        let deadline = now_ms() + START_TIMEOUT.as_millis() as Millis;
        let placeholder = Member {
            address: listen.parse().map_err(|e| format!("{listen}: {e}"))?,
            generation: 0,
            child,
            stdin,
        };
        if self.members.len() <= member {
            self.members.resize_with(member + 1, || None);
        }
        self.members[member] = Some(placeholder);
        while now_ms() < deadline {
            let wait = Duration::from_millis(deadline.saturating_sub(now_ms()));
            match self.lines.recv_timeout(wait) {
                Ok((from, line)) => {
                    let listening = from == member && matches!(line.event, Event::Listening { .. });
                    self.take(from, line);
                    if listening {
                        if self.tap.is_some() {
                            self.tell(member, "watch");
                        }
                        return Ok(());
                    }
                }
                Err(_) => break,
            }
        }
        Err(format!("node {member} did not start listening"))
    }

    /// Takes in one line of a node's.
    fn take(&mut self, member: usize, line: Line) {
        if let Some(tap) = &self.tap {
            let _ = tap.send((member, line.clone()));
        }
        if let Some(events) = &mut self.events
            && let Ok(text) = serde_json::to_string(&line)
        {
            let _ = writeln!(events, "{text}");
        }
        if let Event::Listening { generation, .. } = line.event
            && let Some(Some(m)) = self.members.get_mut(member)
            && let Ok(address) = line.node.parse()
        {
            (m.address, m.generation) = (address, generation);
            self.by_address.insert(line.node.clone(), member);
            self.measured.started(member, generation, line.at_ms);
            // Lines about it that overtook its own first line, through other
            // nodes' pipes.
            let (early, rest) = std::mem::take(&mut self.early)
                .into_iter()
                .partition(|(_, l)| endpoint_of(&l.event) == Some(line.node.as_str()));
            self.early = rest;
            for (by, l) in early {
                self.measured.observe(by, &l.event, Some(member), l.at_ms);
            }
            return;
        }
        match endpoint_of(&line.event) {
            // Not yet known by its address: nothing the measurements can place.
            Some(e) if e.starts_with('#') => {}
            Some(e) => match self.by_address.get(e).copied() {
                Some(endpoint) => {
                    self.measured
                        .observe(member, &line.event, Some(endpoint), line.at_ms);
                }
                None => self.early.push((member, line)),
            },
            None => self.measured.observe(member, &line.event, None, line.at_ms),
        }
    }

    /// Takes in the nodes' lines until `until` (Unix ms).
    fn wait_until(&mut self, until: Millis) {
        loop {
            let now = now_ms();
            if now >= until {
                return;
            }
            match self.lines.recv_timeout(Duration::from_millis(until - now)) {
                Ok((member, line)) => self.take(member, line),
                Err(RecvTimeoutError::Timeout) => return,
                // Unreachable while `send_lines` is held; waiting on is right anyway.
                Err(RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(Duration::from_millis(until - now));
                }
            }
        }
    }

    /// Tells every node the addresses on other sides than its own.
    fn split(&mut self, side: HashMap<usize, u32>) {
        for m in 0..self.members.len() {
            let others: Vec<String> = self
                .members
                .iter()
                .enumerate()
                .filter(|(o, _)| side.get(o) != side.get(&m))
                .filter_map(|(_, other)| other.as_ref().map(|o| o.address.to_string()))
                .collect();
            self.tell(m, &format!("block {}", others.join(" ")));
        }
        self.measured.partitioned(side, now_ms());
    }

    fn member(&mut self, id: NodeId) -> Result<&mut Member, Refusal> {
        self.members
            .get_mut(id.0 as usize)
            .and_then(Option::as_mut)
            .ok_or_else(|| ("node", format!("no node {}", id.0)))
    }

    /// Sends a command to a node; a node that is gone does not hear it.
    fn tell(&mut self, member: usize, command: &str) {
        if let Some(Some(Member {
            stdin: Some(stdin), ..
        })) = self.members.get_mut(member)
        {
            let _ = writeln!(stdin, "{command}").and_then(|()| stdin.flush());
        }
    }

    /// Every node leaves; whatever still runs after the leave's rounds is killed.
    pub fn stop(&mut self) {
        for member in self.members.iter_mut().flatten() {
            // Its stdin closing is the node's signal to leave.
            member.stdin = None;
        }
        let deadline = now_ms() + self.interval_ms * Millis::from(LEAVE_ROUNDS + 2) + 1_000;
        while now_ms() < deadline && !self.all_exited() {
            self.wait_until((now_ms() + self.interval_ms).min(deadline));
        }
        self.kill_all();
    }

    fn all_exited(&mut self) -> bool {
        self.members
            .iter_mut()
            .flatten()
            .all(|m| matches!(m.child.try_wait(), Ok(Some(_))))
    }

    fn kill_all(&mut self) {
        for member in self.members.iter_mut().flatten() {
            if let Ok(None) = member.child.try_wait() {
                let _ = member.child.kill();
            }
            let _ = member.child.wait();
        }
    }
}

/// A scenario's steps carried out on real processes.
impl ClusterControl for Cluster {
    fn now(&self) -> Millis {
        now_ms().saturating_sub(self.started)
    }

    fn node_count(&self) -> u32 {
        self.members.len() as u32
    }

    fn generation(&self, id: NodeId) -> Option<Generation> {
        Some(self.members.get(id.0 as usize)?.as_ref()?.generation)
    }

    /// kill -9.
    fn crash(&mut self, id: NodeId) -> Result<(), Refusal> {
        let m = self.member(id)?;
        let _ = m.child.kill();
        let _ = m.child.wait();
        self.measured.crashed(id.0 as usize, now_ms());
        Ok(())
    }

    /// A new process on the same address.
    fn restart(&mut self, id: NodeId) -> Result<Generation, Refusal> {
        let m = self.member(id)?;
        // A node that left may still be gossiping its last rounds.
        let _ = m.child.kill();
        let _ = m.child.wait();
        let generation = restart_generation(m.generation, now_ms());
        self.start(id.0 as usize, Some(generation))
            .map_err(|e| ("restart", e))?;
        Ok(generation)
    }

    /// SIGTERM.
    fn leave(&mut self, id: NodeId) -> Result<(), Refusal> {
        let m = self.member(id)?;
        let pid = Pid::from_raw(m.child.id() as i32);
        kill(pid, Signal::SIGTERM).map_err(|e| ("leave", e.to_string()))?;
        self.measured.left(id.0 as usize, now_ms());
        Ok(())
    }

    fn join(&mut self) -> Result<(), Refusal> {
        self.start(self.members.len(), None)
            .map_err(|e| ("join", e))
    }

    /// The node's `set` command; its `set` line tells the measurements what to follow.
    fn update(&mut self, id: NodeId, key: &str, value: String) -> Result<Option<Update>, Refusal> {
        self.tell(id.0 as usize, &format!("set {key} {value}"));
        Ok(None)
    }

    fn partition(&mut self, sides: &[u32]) -> Result<(), Refusal> {
        let side = (0..self.members.len())
            .map(|m| (m, sides.get(m).copied().unwrap_or(0)))
            .collect();
        self.split(side);
        Ok(())
    }

    fn heal(&mut self) -> Result<(), Refusal> {
        for m in 0..self.members.len() {
            self.tell(m, "heal");
        }
        self.measured.healed(now_ms());
        Ok(())
    }
}

impl Drop for Cluster {
    /// An error or a panic half way must not leave nodes running.
    fn drop(&mut self) {
        self.kill_all();
        if let Some(events) = &mut self.events {
            let _ = events.flush();
        }
    }
}

/// The endpoint an event is about.
fn endpoint_of(event: &Event) -> Option<&str> {
    match event {
        Event::Learned { endpoint, .. }
        | Event::Suspected { endpoint, .. }
        | Event::Convicted { endpoint, .. }
        | Event::Alive { endpoint }
        | Event::Evicted { endpoint, .. }
        | Event::Restarted { endpoint, .. }
        | Event::Left { endpoint }
        | Event::Changed { endpoint, .. } => Some(endpoint),
        Event::Collision { refused, .. } => Some(refused),
        Event::Listening { .. }
        | Event::Set { .. }
        | Event::Rejected { .. }
        | Event::Refused { .. }
        | Event::View { .. }
        | Event::Sent { .. }
        | Event::Stopped { .. } => None,
    }
}

/// The launcher's clock: Unix milliseconds, as the nodes' lines are stamped.
fn now_ms() -> Millis {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as Millis)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: ClusterArgs,
    }

    #[test]
    fn the_experiment_file_sets_the_cluster_and_its_protocol() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/sim-vs-real.jsonl");
        let cli = Cli::parse_from(["cluster", "--nodes", "3", "--scenario", path]);
        let (config, steps, _) = plan(&cli.args).unwrap();
        assert_eq!((config.nodes, config.node.interval_ms), (20, 200));
        assert_eq!(config.node.seeds, [NodeId(0), NodeId(1)]);
        assert_eq!(config.node.fanout, 1, "Cassandra's, as gossip-sim runs it");
        let crashes = steps
            .iter()
            .filter(|s| matches!(s.action, Some(Action::Crash(_))))
            .count();
        assert_eq!(crashes, 5);
    }
}
