//! The run: the simulator, the steps it plays (a scenario's and the user's), and
//! what is recorded of it as it goes (the feed, the charts' samples). Everything here
//! is deterministic from its settings and steps, and a clone is a checkpoint the
//! timeline keeps (`model.rs`); what the user looks at is the view's (`view.rs`).

use gossip_heartbeat::Node;
use std::collections::VecDeque;
use std::rc::Rc;

use gossip_core::sim::{Bootstrap, SimConfig, Simulator, Timing, Update, loss_percent, loss_ppm};
use gossip_core::{Millis, NodeId};
use gossip_heartbeat::{MessageKind, NodeConfig, Overrides, wire};
use gossip_scenario::{Action, Player, Step, setup_line, step_line};

use crate::feed::{Feed, Kind};
use crate::opened::{Opened, carries};
use crate::presets;
use crate::settings::{MAX_NODES, Settings};
use crate::timeline::{BYTES_PER_ENTRY, Timeline};

/// Rounds of traffic kept for the charts.
const TRAFFIC_ROUNDS: usize = 60;
/// Rounds of an update's spread kept for the chart.
const SPREAD_ROUNDS: usize = 120;

/// Traffic of one gossip round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RoundTraffic {
    /// Messages sent.
    pub messages: u64,
    /// Bytes sent.
    pub bytes: u64,
}

/// An update being followed as it spreads.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    /// The update.
    pub update: Update,
    /// When it was made.
    pub at_ms: Millis,
    /// Fraction of nodes that knew it at the end of each whole round since.
    pub fractions: Vec<f64>,
}

/// What a run is built from: the settings it started with, and the scenario file
/// it loaded, if any (a preset is named in the settings). Its start is rebuilt
/// from this, not kept.
#[derive(Debug, Default)]
pub struct RunSource {
    /// The settings.
    pub settings: Settings,
    /// The scenario file's text.
    pub file: Option<String>,
}

/// The timeline of a run's checkpoints.
pub type RunTimeline = Timeline<Run>;

/// One run of the simulation and what is recorded of it.
#[derive(Debug, Clone)]
pub struct Run {
    /// The settings, as the controls and the URL show them.
    pub settings: Settings,
    sim: Simulator<Node>,
    /// The run's steps: a scenario's and the user's actions, applied on time.
    player: Player,
    /// The scenario's title, if a scenario runs.
    title: Option<String>,
    /// The configuration the run started from: a saved run's setup.
    start_config: SimConfig<NodeConfig>,
    source: Rc<RunSource>,
    /// Why the last scenario could not be loaded or played.
    pub error: Option<String>,
    /// Simulated time in fractional milliseconds: the simulator runs to its floor,
    /// the drawing interpolates at the exact value.
    sim_time: f64,
    spread: Option<Spread>,
    traffic: VecDeque<RoundTraffic>,
    /// Traffic counters at the start of the current round.
    round_start: RoundTraffic,
    /// Index into the simulator's detections where the last crash's begin.
    last_crash_detections: Option<usize>,
    /// What happened, in words.
    feed: Feed,
    /// A scenario asked to pause on the next Ack that carries the followed update.
    awaiting_ack: bool,
}

impl Run {
    /// A run of these settings. A preset scenario named in them is started (its
    /// setup overrides the cluster settings), and an update named in them is made.
    pub fn new(settings: Settings) -> Self {
        let sim = plain(&settings);
        let mut run = Self {
            start_config: sim.config().clone(),
            source: Rc::new(RunSource {
                settings: settings.clone(),
                file: None,
            }),
            sim,
            settings,
            player: Player::default(),
            title: None,
            error: None,
            sim_time: 0.0,
            spread: None,
            traffic: VecDeque::new(),
            round_start: RoundTraffic::default(),
            last_crash_detections: None,
            feed: Feed::default(),
            awaiting_ack: false,
        };
        run.sim.record_events();
        let preset = run
            .settings
            .scenario
            .as_deref()
            .and_then(presets::find)
            .map(|p| p.text);
        if let Some(text) = preset {
            run.start_scenario(text);
        }
        if let Some(node) = run.settings.update {
            run.act(Action::Update(NodeId(node)));
        }
        run
    }

    /// A run of the scenario file `text` the user loaded, on these settings (a
    /// preset and an update they name are left out).
    pub fn of_file(mut settings: Settings, text: String) -> Self {
        settings.scenario = None;
        settings.update = None;
        let mut run = Run::new(settings.clone());
        run.start_scenario(&text);
        run.source = Rc::new(RunSource {
            settings,
            file: Some(text),
        });
        run
    }

    /// The run's start, built again as it was first: the timeline's first moment.
    pub fn rebuilt(&self) -> Run {
        let run = match &self.source.file {
            Some(text) => Run::of_file(self.source.settings.clone(), text.clone()),
            None => Run::new(self.source.settings.clone()),
        };
        Run {
            source: self.source.clone(),
            ..run
        }
    }

    /// Parses and starts a scenario; on error the run keeps its plain cluster and
    /// remembers why.
    fn start_scenario(&mut self, text: &str) {
        let started = crate::scenario_text::parse(text).and_then(|s| {
            s.check_most_nodes(self.settings.nodes, MAX_NODES)?;
            let title = s.setup.title.clone().unwrap_or_else(|| "Scenario".into());
            let (sim, player) = s.start(sim_config(&self.settings))?;
            Ok((sim, player, title))
        });
        match started {
            Ok((sim, player, title)) => {
                self.settings.nodes = sim.config().nodes;
                self.settings.seed = sim.config().seed;
                self.settings.seeds = sim.config().node.seeds.len() as u32;
                self.start_config = sim.config().clone();
                self.sim = sim;
                self.sim.record_events();
                self.follow_config();
                self.player = player;
                self.title = Some(title);
                self.error = None;
            }
            Err(e) => {
                self.settings.scenario = None;
                self.error = Some(format!("This scenario cannot run: {e}"));
            }
        }
    }

    /// The settings a scenario may change as it runs (its setup's profile, a `set`
    /// step), read back from the simulator so that the controls show them.
    pub fn follow_config(&mut self) {
        let config = self.sim.config();
        let s = &mut self.settings;
        s.interval_ms = config.node.interval_ms;
        s.fanout = config.node.fanout as u32;
        s.mode = config.node.mode;
        s.mtu = config.node.mtu as u32;
        s.detector = config.node.detector.model;
        s.threshold = config.node.detector.threshold;
        s.loss = loss_percent(config.loss_ppm);
    }

    /// Keeps the messages of `id` for the inspector.
    pub fn watch(&mut self, id: NodeId) {
        self.sim.watch(Some(id));
    }

    /// Changes the run now: a step of the run from here on. A refusal is shown,
    /// not hidden (the page's own actions are always valid).
    pub fn act(&mut self, action: Action) {
        let nodes = self.sim.nodes().len() as u32;
        match self.player.act(&mut self.sim, action).cloned() {
            Ok(step) => self.stepped(&step, nodes),
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Drops the user's steps not yet applied: the run forks here.
    pub fn drop_users_future(&mut self) {
        self.player.drop_future(|step| step.line == 0);
    }

    /// Takes the steps of `newer`, the same run further on: a checkpoint going back
    /// keeps the present's list of steps.
    pub fn take_steps(&mut self, newer: &Run) {
        self.player.take_steps(&newer.player);
    }

    /// What a step of the run just did, told and followed: the nodes' events up to
    /// it, then the step, in the feed; its update, settings, crash or open Ack.
    /// `nodes` is how many there were before it (a join adds some).
    fn stepped(&mut self, step: &Step, nodes: u32) {
        for event in self.sim.take_events() {
            self.feed.node_event(&event);
        }
        self.feed.step(step, nodes..self.sim.nodes().len() as u32);
        match step.action {
            Some(Action::Crash(_)) => {
                // The detections of this crash start from here.
                self.last_crash_detections = Some(self.sim.detections().len());
            }
            Some(Action::Set(_)) => self.follow_config(),
            Some(Action::OpenAck) => self.awaiting_ack = true,
            _ => {}
        }
        let followed = self.spread.as_ref().map(|s| s.update);
        if let Some(update) = self.player.update().filter(|u| Some(*u) != followed) {
            self.spread = Some(Spread {
                update,
                at_ms: self.sim.now(),
                fractions: Vec::new(),
            });
        }
    }

    /// Runs the simulation to `target` (fractional ms), round by round so that
    /// every round is sampled for the charts, keeping the checkpoints `timeline`
    /// wants. At a round's end the round is sampled first, then the steps of that
    /// moment are applied: as when the user acts at a round's end, so that a replay
    /// of the run is the run. Stops early on an Ack a scenario asked to open, and
    /// returns it.
    pub fn advance_to(&mut self, target: f64, timeline: &mut RunTimeline) -> Option<Opened> {
        let interval = self.sim.config().node.interval_ms;
        let target_ms = target.max(0.0) as Millis;
        let mut next = (self.sim.now() / interval + 1) * interval;
        while next <= target_ms {
            if let Some(ack) = self.run_watching(next - 1) {
                return Some(ack);
            }
            self.sim.advance_to(next);
            self.end_round();
            self.checkpoint(next, timeline);
            next += interval;
        }
        if let Some(ack) = self.run_watching(target_ms) {
            return Some(ack);
        }
        self.sim_time = target.max(self.sim_time);
        timeline.observe(self.sim_time, &self.feed);
        None
    }

    /// Keeps a checkpoint at `at`, a round's end, if the timeline wants one.
    fn checkpoint(&mut self, at: Millis, timeline: &mut RunTimeline) {
        let sim = &self.sim;
        let Some(bytes) = timeline.wants(at, || sim.members().total * BYTES_PER_ENTRY) else {
            return;
        };
        let mut checkpoint = self.clone();
        checkpoint.sim_time = at as f64;
        timeline.observe(at as f64, &self.feed);
        timeline.keep(at, checkpoint, bytes);
    }

    /// Runs to `at`: the steps due by then, each told after the nodes' events before
    /// it, then the rest of the events.
    fn run_to(&mut self, at: Millis) {
        while self.player.next_at().is_some_and(|next| next <= at) {
            let nodes = self.sim.nodes().len() as u32;
            match self.player.apply_next(&mut self.sim) {
                Ok(Some(step)) => self.stepped(&step, nodes),
                Ok(None) => break,
                Err(e) => {
                    self.error = Some(format!("The scenario stopped: {e}"));
                    self.player.drop_future(|_| true);
                }
            }
        }
        self.sim.advance_to(at);
        for event in self.sim.take_events() {
            self.feed.node_event(&event);
        }
    }

    /// Runs to `at`, like [`Run::run_to`]; while a scenario awaits an Ack, in steps
    /// shorter than a message's flight, so that one is caught on the wire. The Ack
    /// caught, if the run stopped on one.
    fn run_watching(&mut self, at: Millis) -> Option<Opened> {
        let step = (self.settings.latency_ms / 2).clamp(1, 20);
        while self.awaiting_ack && self.sim.now() + step < at {
            self.run_to(self.sim.now() + step);
            if let Some(ack) = self.ack_in_flight() {
                self.sim_time = self.sim.now() as f64;
                self.awaiting_ack = false;
                return Some(ack);
            }
        }
        self.run_to(at);
        None
    }

    /// The first Ack in flight that carries the followed update, opened.
    fn ack_in_flight(&self) -> Option<Opened> {
        let update = self.spread.as_ref()?.update;
        let found = self.sim.in_flight().find(|e| {
            e.kind == MessageKind::Ack.index()
                && !e.lost
                && wire::message(&e.bytes).is_ok_and(|m| carries(&m, update))
        });
        found.map(|e| Opened::new(e, &self.sim))
    }

    /// Samples the charts at the end of a round.
    fn end_round(&mut self) {
        let stats = self.sim.stats();
        let now = RoundTraffic {
            messages: stats.messages,
            bytes: stats.bytes,
        };
        self.traffic.push_back(RoundTraffic {
            messages: now.messages - self.round_start.messages,
            bytes: now.bytes - self.round_start.bytes,
        });
        if self.traffic.len() > TRAFFIC_ROUNDS {
            self.traffic.pop_front();
        }
        self.round_start = now;
        if let Some(spread) = &mut self.spread
            && spread.fractions.len() < SPREAD_ROUNDS
        {
            let informed = self.sim.informed(spread.update) as f64;
            let fraction = informed / self.sim.nodes().len().max(1) as f64;
            if fraction == 1.0 && spread.fractions.last() != Some(&1.0) {
                let text = format!(
                    "the update from node {} reached every node after {} rounds",
                    spread.update.origin.0,
                    spread.fractions.len() + 1
                );
                self.feed.say(
                    self.sim.now(),
                    Some(spread.update.origin),
                    None,
                    Kind::Spread,
                    text,
                );
            }
            spread.fractions.push(fraction);
        }
    }

    /// Adds the actions of a link's run code (`run_code.rs`) to the run, to happen
    /// on time; an error leaves the run as it was.
    pub fn schedule(&mut self, code: &str) -> Result<(), String> {
        let nodes = self.sim.nodes().len() as u32;
        for (at, action) in crate::run_code::decode(code, nodes, MAX_NODES)? {
            self.player.schedule(at, action);
        }
        Ok(())
    }

    /// The user's actions as a link's run code; `None` if they do not fit in one.
    pub fn run_code(&self) -> Option<String> {
        let mine = self.player.steps().iter().filter(|s| s.line == 0);
        let code =
            crate::run_code::encode(mine.filter_map(|s| Some((s.at_ms, s.action.as_ref()?))))?;
        (code.len() <= crate::run_code::MAX_CODE_CHARS).then_some(code)
    }

    /// The run so far as a scenario file: the setup it started from, every step up
    /// to now, and a last line at now, so that a replay (the page's or
    /// `gossip-sim --scenario`) runs to exactly this moment.
    pub fn save(&self) -> String {
        let now = self.sim.now();
        let title = self
            .title
            .as_deref()
            .unwrap_or("A run saved from Gossip Lab");
        let end = Step {
            line: 0,
            at_ms: now,
            action: None,
            caption: Some(format!("Saved here, at {:.3} s.", now as f64 / 1000.0)),
        };
        let steps = self.player.steps().iter().filter(|s| s.at_ms <= now);
        let mut text = setup_line(title, &self.start_config);
        for step in steps.chain([&end]) {
            text.push('\n');
            text.push_str(&step_line(step));
        }
        text.push('\n');
        text
    }

    /// The simulator.
    pub fn sim(&self) -> &Simulator<Node> {
        &self.sim
    }

    /// Simulated time in fractional milliseconds.
    pub fn sim_time(&self) -> f64 {
        self.sim_time
    }

    /// The scenario's title and latest caption, if one is playing, and whether it
    /// has ended.
    pub fn scenario(&self) -> Option<(&str, Option<&str>, bool)> {
        Some((
            self.title.as_deref()?,
            self.player.caption(),
            self.scenario_done(),
        ))
    }

    /// True once a scenario has played its last step: where its run pauses.
    pub fn scenario_done(&self) -> bool {
        self.title.is_some() && self.player.is_done() && self.sim.now() >= self.player.end_ms()
    }

    /// Where a playing scenario pauses: its last step (a saved run's end), until
    /// reached.
    pub fn scenario_end(&self) -> Option<f64> {
        let end = self.player.end_ms() as f64;
        (self.title.is_some() && self.sim_time < end).then_some(end)
    }

    /// What happened, in words.
    pub fn feed(&self) -> &Feed {
        &self.feed
    }

    /// The update being followed.
    pub fn spread(&self) -> Option<&Spread> {
        self.spread.as_ref()
    }

    /// Traffic of the recent rounds, oldest first.
    pub fn traffic(&self) -> &VecDeque<RoundTraffic> {
        &self.traffic
    }

    /// Detection times (ms) of the last crash so far, by every node that convicted it.
    pub fn last_crash_detections(&self) -> &[Millis] {
        self.last_crash_detections
            .and_then(|from| self.sim.detections().get(from..))
            .unwrap_or(&[])
    }

    /// What the all-to-all heartbeat would cost per round here: N(N − 1) messages,
    /// each carrying one node's whole state.
    pub fn all_to_all_per_round(&self) -> RoundTraffic {
        let n = self.sim.nodes().len() as u64;
        let own = &self.sim.nodes()[0];
        let bytes = own
            .whole_state()
            .map_or(0, |whole| own.encode(&whole).len()) as u64;
        let messages = n * n.saturating_sub(1);
        RoundTraffic {
            messages,
            bytes: messages * bytes,
        }
    }
}

/// The simulator for `settings` without a scenario. The settings are clamped by
/// `settings`, so the config is valid; the default cluster stands in if not.
fn plain(settings: &Settings) -> Simulator<Node> {
    Simulator::<Node>::new(sim_config(settings))
        .or_else(|_| Simulator::<Node>::new(SimConfig::default()))
        .unwrap_or_else(|e| unreachable!("the default config is valid: {e}"))
}

/// The simulator's configuration for the page's settings (already clamped).
pub fn sim_config(settings: &Settings) -> SimConfig<NodeConfig> {
    // The profile the settings match, or Cassandra's for a custom setup (whose news
    // forwarding it keeps: the settings' help), with the page's own values over it.
    let profile = settings.profile().unwrap_or_default();
    let node = profile.node_config_with(&Overrides {
        interval_ms: Some(settings.interval_ms),
        fanout: Some(settings.fanout as usize),
        model: Some(settings.detector),
        threshold: Some(settings.threshold),
        forward_news: None,
    });
    SimConfig {
        nodes: settings.nodes,
        seed: settings.seed,
        timing: Timing::Continuous {
            mean_ms: settings.latency_ms,
            jitter_ms: settings.jitter_ms.min(settings.latency_ms),
        },
        // The settings table clamps the loss to 0 to 100.
        loss_ppm: loss_ppm(settings.loss).unwrap_or_default(),
        bootstrap: Bootstrap::Converged,
        node: NodeConfig {
            seeds: (0..settings.seeds.min(settings.nodes))
                .map(NodeId)
                .collect(),
            mtu: settings.mtu as usize,
            mode: settings.mode,
            ..node
        },
    }
}

/// Each node's first token on the ring, which places it in the picture.
pub fn first_tokens(sim: &Simulator<Node>) -> Vec<Option<u64>> {
    sim.nodes()
        .iter()
        .map(|n| {
            n.view()
                .get(n.id())
                .and_then(|s| s.tokens().first().copied())
        })
        .collect()
}

/// The nodes whose first token lies in the lower half of the ring: one half of the
/// picture (the rest are the other).
pub fn ring_half(sim: &Simulator<Node>) -> Vec<NodeId> {
    first_tokens(sim)
        .into_iter()
        .zip((0..).map(NodeId))
        .filter(|(token, _)| token.unwrap_or(0) < u64::MAX / 2)
        .map(|(_, id)| id)
        .collect()
}
