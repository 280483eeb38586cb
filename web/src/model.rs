//! The lab's state and everything that changes it, as a reducer: one [`Action`] in,
//! a new state out. Pure Rust with no web types (after Yew's boids and todomvc
//! examples), so it is tested natively; the component only feeds it actions and
//! draws it.

use std::collections::VecDeque;
use std::rc::Rc;

use gossip_core::detector::DetectorConfig;
use gossip_core::ring::Ring;
use gossip_core::sim::{
    Bootstrap, Protocol, SimConfig, Simulator, Timing, Update, loss_percent, loss_ppm,
};
use gossip_core::{MessageKind, Millis, NodeConfig, NodeId, Profile, Reachability};
use gossip_scenario::{Action as Change, Player, Step, setup_line, step_line};

use crate::feed::{Feed, Kind};
use crate::hash_ring::{DEFAULT_RF, Lookup, MAX_RF, look_up};
use crate::opened::{Opened, carries};
use crate::presets;
use crate::settings::{MAX_NODES, MAX_SPEED, MIN_SPEED, Settings};
use crate::timeline::{BYTES_PER_ENTRY, Mark, Timeline};

/// The longest wall-clock time one frame may advance. After the tab was hidden the
/// lab resumes where it was instead of racing through the lost time.
pub const MAX_FRAME_STEP_MS: f64 = 100.0;
/// Rounds of traffic kept for the charts.
const TRAFFIC_ROUNDS: usize = 60;
/// Rounds of an update's spread kept for the chart.
const SPREAD_ROUNDS: usize = 120;

/// What the user, the browser or a scenario asks of the lab.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A frame, this many wall-clock milliseconds after the previous one.
    Frame(f64),
    /// Play or pause.
    TogglePlay,
    /// Play.
    Play,
    /// Pause (the tab was hidden, or a scenario ended).
    Pause,
    /// Run exactly one more gossip round, then pause.
    Step,
    /// Play, and pause exactly at this simulated time (ms): a lesson's step. A
    /// moment already passed pauses at once.
    PlayTo(f64),
    /// Simulated seconds per wall-clock second, clamped to 0.1–100.
    SetSpeed(f64),
    /// Start over with these settings (any setting but the speed rebuilds the run).
    Configure(Settings),
    /// Choose the node whose view colours the nodes and fills the inspector.
    Select(NodeId),
    /// Crash the selected node.
    Crash,
    /// Restart the selected node in a new generation.
    Restart,
    /// The selected node leaves gracefully.
    Leave,
    /// A new node joins through the seeds.
    AddNode,
    /// Split the ring into two halves by token position.
    PartitionHalves,
    /// End the partition.
    Heal,
    /// The selected node sets a key; its spread is charted.
    InjectUpdate,
    /// Colour nodes by status, or by whether they know the latest update.
    ToggleColorMode,
    /// Open a message in the exchange inspector.
    Open(Pick),
    /// Close the opened message.
    CloseMessage,
    /// Look a key up on the selected node's ring (empty: none).
    LookUp(String),
    /// The replication factor of lookups, clamped to 1 to `MAX_RF`.
    SetRf(usize),
    /// Run a scenario file the user loaded (not a preset): its text, or why it
    /// could not be read.
    LoadScenario(Result<String, String>),
    /// Go to this simulated time (ms), back in the run so far or on ahead of it,
    /// and pause there: a jump, made by `Rewind`.
    Seek(f64),
    /// Back to the present, playing on arrival: a jump, made by `Rewind`.
    Live,
    /// Re-simulate up to this many rounds of the jump under way.
    Rewind(u32),
}

/// A jump in time under way: where to, from where, what was selected, and whether
/// to play on arrival.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Jump {
    to: f64,
    from: f64,
    selected: NodeId,
    then_play: bool,
}

/// Which message to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// The n-th message in flight (the order of `Simulator::in_flight`).
    InFlight(usize),
    /// The n-th of the selected node's last messages (`Simulator::watched`).
    Watched(usize),
}

/// What the node colours show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorMode {
    /// Alive, suspect or dead, as the selected node sees each.
    Status,
    /// Whether each node knows the latest update.
    Update,
}

/// How one node looks from the selected observer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// The observer itself.
    Observer,
    /// Known but never heard from since the observer started: not alive.
    Unheard,
    /// Alive.
    Alive,
    /// Suspect: phi above the suspect mark.
    Suspect,
    /// Convicted.
    Dead,
    /// Not in the observer's view.
    Unknown,
    /// Update mode: knows the latest update.
    Informed,
    /// Update mode: does not know it yet.
    Uninformed,
}

/// Traffic of one gossip round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// The whole lab. A clone is a checkpoint of the run (its timeline stays behind).
#[derive(Debug, Clone)]
pub struct Lab {
    settings: Settings,
    sim: Simulator,
    /// The run's steps: a scenario's and the user's actions, applied on time.
    player: Player,
    /// The scenario's title, if a scenario runs.
    title: Option<String>,
    /// The configuration the run started from: a saved run's setup.
    first: SimConfig,
    /// What the run was built from: its start is rebuilt from it, not kept.
    origin: Rc<Origin>,
    /// Why the last scenario could not be loaded or played.
    error: Option<String>,
    /// Simulated time in fractional milliseconds: the simulator runs to its floor,
    /// the drawing interpolates at the exact value.
    sim_time: f64,
    playing: bool,
    selected: NodeId,
    color_mode: ColorMode,
    spread: Option<Spread>,
    traffic: VecDeque<RoundTraffic>,
    /// Traffic counters at the start of the current round.
    round_start: RoundTraffic,
    /// Index into the simulator's detections where the last crash's begin.
    last_crash_detections: Option<usize>,
    /// What happened, in words.
    feed: Feed,
    /// The message open in the exchange inspector.
    opened: Option<Opened>,
    /// A scenario asked to pause on the next Ack that carries the followed update.
    awaiting_ack: bool,
    /// The key looked up on the selected node's ring (none if empty), and the
    /// replication factor.
    key: (String, usize),
    /// The run's past: checkpoints (clones of the lab) and marks.
    timeline: Past,
    /// A jump in time under way.
    jump: Option<Jump>,
    /// Where `PlayTo` pauses, in simulated ms.
    stop_at: Option<f64>,
}

/// What a run is built from: the settings it started with, and the scenario file
/// it loaded, if any (a preset is named in the settings).
#[derive(Debug, Default)]
struct Origin {
    settings: Settings,
    file: Option<String>,
}

/// A lab's timeline, which its clones (the checkpoints) leave behind.
#[derive(Debug, Default)]
struct Past(Option<Box<Timeline<Lab>>>);

impl Clone for Past {
    fn clone(&self) -> Self {
        Self(None)
    }
}

impl Lab {
    /// A lab with these settings, playing if `playing`. A preset scenario named in
    /// the settings is started; its setup overrides the cluster settings.
    pub fn new(settings: Settings, playing: bool) -> Self {
        let sim = plain(&settings);
        let mut lab = Self {
            first: sim.config().clone(),
            origin: Rc::new(Origin {
                settings: settings.clone(),
                file: None,
            }),
            sim,
            settings,
            player: Player::default(),
            title: None,
            error: None,
            sim_time: 0.0,
            playing,
            selected: NodeId(0),
            color_mode: ColorMode::Status,
            spread: None,
            traffic: VecDeque::new(),
            round_start: RoundTraffic {
                messages: 0,
                bytes: 0,
            },
            last_crash_detections: None,
            feed: Feed::default(),
            opened: None,
            awaiting_ack: false,
            key: (String::new(), DEFAULT_RF),
            timeline: Past::default(),
            jump: None,
            stop_at: None,
        };
        lab.sim.record_events();
        lab.sim.watch(Some(lab.selected));
        let preset = lab
            .settings
            .scenario
            .as_deref()
            .and_then(presets::find)
            .map(|p| p.text);
        if let Some(text) = preset {
            lab.start_scenario(text);
        }
        if let Some(node) = lab.settings.update {
            lab.act(Change::Update(NodeId(node)));
        }
        lab.restart_timeline();
        lab
    }

    /// The timeline of a run that starts here.
    fn restart_timeline(&mut self) {
        let mut timeline = Timeline::new(self.sim.config().node.interval_ms);
        timeline.observe(self.sim_time, &self.feed);
        self.timeline = Past(Some(Box::new(timeline)));
    }

    /// The run's start, built again as it was first: the timeline's first moment.
    fn rebuilt(&self) -> Lab {
        let mut lab = Lab::new(self.origin.settings.clone(), false);
        if let Some(text) = &self.origin.file {
            lab.start_scenario(text);
        }
        lab.origin = self.origin.clone();
        lab
    }

    /// Applies one action.
    pub fn apply(&mut self, action: Action) {
        // A jump under way is driven by `Rewind`. What only changes the view goes on
        // meanwhile (play and pause say what to do on arrival); a change to the run
        // happens at the moment jumped to, so the jump ends first.
        if let Some(jump) = &mut self.jump {
            match action {
                Action::TogglePlay | Action::Play | Action::Pause => {
                    jump.then_play = match action {
                        Action::TogglePlay => !jump.then_play,
                        other => other == Action::Play,
                    };
                    return;
                }
                Action::Select(id) => jump.selected = id,
                Action::Frame(_)
                | Action::Seek(_)
                | Action::Live
                | Action::Rewind(_)
                | Action::SetSpeed(_)
                | Action::Configure(_)
                | Action::ToggleColorMode
                | Action::CloseMessage
                | Action::LookUp(_)
                | Action::SetRf(_)
                | Action::LoadScenario(_) => {}
                _ => self.rewind(u32::MAX),
            }
        }
        match action {
            Action::Frame(wall_ms) => {
                if self.playing {
                    let step = wall_ms.clamp(0.0, MAX_FRAME_STEP_MS) * self.settings.speed;
                    let mut target = self.sim_time + step;
                    // A scenario pauses exactly at its last step (a saved run's end).
                    let end = self.player.end_ms() as f64;
                    if self.title.is_some() && self.sim_time < end {
                        target = target.min(end);
                    }
                    if let Some(stop) = self.stop_at {
                        target = target.min(stop);
                    }
                    self.advance_to(target);
                    if self.stop_at.is_some_and(|stop| self.sim_time >= stop) {
                        self.stop_at = None;
                        self.playing = false;
                    }
                }
            }
            Action::TogglePlay => {
                self.playing = !self.playing;
                self.stop_at = None;
            }
            Action::Play => {
                self.playing = true;
                self.stop_at = None;
            }
            Action::Pause => {
                self.playing = false;
                self.stop_at = None;
            }
            Action::PlayTo(at) => {
                self.playing = at > self.sim_time;
                self.stop_at = self.playing.then_some(at);
            }
            Action::Step => {
                self.playing = false;
                let interval = self.sim.config().node.interval_ms as f64;
                let next = ((self.sim_time / interval).floor() + 1.0) * interval;
                self.advance_to(next);
            }
            Action::SetSpeed(speed) => {
                self.settings.speed = if speed.is_nan() {
                    1.0
                } else {
                    speed.clamp(MIN_SPEED, MAX_SPEED)
                }
            }
            Action::Configure(settings) => *self = Lab::new(settings, self.playing),
            Action::Select(id) if (id.0 as usize) < self.sim.nodes().len() => self.select(id),
            Action::Select(_) => {}
            // A node that is down cannot crash or leave again.
            Action::Crash if !self.sim.is_down(self.selected) => {
                self.act(Change::Crash(self.selected))
            }
            Action::Leave if !self.sim.is_down(self.selected) => {
                self.act(Change::Leave(self.selected))
            }
            Action::Crash | Action::Leave => {}
            Action::Restart => self.act(Change::Restart(self.selected)),
            // Past MAX_NODES the page would run out of memory (N² state).
            Action::AddNode if self.sim.nodes().len() < MAX_NODES as usize => {
                self.act(Change::Join(1));
                self.select(NodeId(self.sim.nodes().len() as u32 - 1));
            }
            Action::AddNode => {}
            Action::PartitionHalves => {
                let low = ring_half(&self.sim);
                self.act(Change::Partition(vec![low]));
            }
            Action::Heal => self.act(Change::Heal),
            Action::InjectUpdate => self.act(Change::Update(self.selected)),
            Action::ToggleColorMode => {
                self.color_mode = match self.color_mode {
                    ColorMode::Status => ColorMode::Update,
                    ColorMode::Update => ColorMode::Status,
                }
            }
            Action::Open(pick) => {
                let envelope = match pick {
                    Pick::InFlight(n) => self.sim.in_flight().nth(n),
                    Pick::Watched(n) => self.sim.watched().nth(n),
                };
                if let Some(envelope) = envelope {
                    self.opened = Some(Opened::new(envelope, &self.sim));
                    self.playing = false;
                }
            }
            Action::CloseMessage => self.opened = None,
            Action::LookUp(key) => self.key.0 = key,
            Action::SetRf(rf) => self.key.1 = rf.clamp(1, MAX_RF),
            Action::LoadScenario(Ok(text)) => {
                let mut settings = self.settings.clone();
                settings.scenario = None;
                settings.update = None;
                *self = Lab::new(settings.clone(), self.playing);
                self.start_scenario(&text);
                self.restart_timeline();
                self.origin = Rc::new(Origin {
                    settings,
                    file: Some(text),
                });
            }
            Action::LoadScenario(Err(why)) => {
                self.error = Some(format!("The scenario file could not be read: {why}"));
            }
            Action::Seek(at) => self.begin_jump(at, false),
            Action::Live => self.begin_jump(self.present(), true),
            Action::Rewind(rounds) => self.rewind(rounds),
        }
    }

    /// Parses and starts a scenario; on error the lab keeps its plain cluster and
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
                self.first = sim.config().clone();
                self.sim = sim;
                self.sim.record_events();
                self.sim.watch(Some(self.selected));
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
    fn follow_config(&mut self) {
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

    /// Selects `id`, whose last messages the simulator then keeps for the inspector.
    fn select(&mut self, id: NodeId) {
        self.selected = id;
        self.sim.watch(Some(id));
    }

    /// The user changes the run now: a step of the run from here on. In the past,
    /// the run forks: the user's later steps and the timeline's future are dropped.
    fn act(&mut self, change: Change) {
        if let Some(timeline) = &mut self.timeline.0
            && self.sim_time < timeline.frontier()
        {
            timeline.fork(self.sim_time, &self.feed);
            self.player.drop_future(|step| step.line == 0);
        }
        let nodes = self.sim.nodes().len() as u32;
        match self.player.act(&mut self.sim, change).cloned() {
            Ok(step) => self.stepped(&step, nodes),
            // The page's own actions are always valid; a refusal is shown, not hidden.
            Err(e) => self.error = Some(e.to_string()),
        }
        if let Some(timeline) = &mut self.timeline.0 {
            timeline.observe(self.sim_time, &self.feed);
        }
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
            Some(Change::Crash(_)) => {
                // The detections of this crash start from here.
                self.last_crash_detections = Some(self.sim.detections().len());
            }
            Some(Change::Set(_)) => self.follow_config(),
            Some(Change::OpenAck) => self.awaiting_ack = true,
            _ => {}
        }
        let followed = self.spread.as_ref().map(|s| s.update);
        if let Some(update) = self.player.update().filter(|u| Some(*u) != followed) {
            self.spread = Some(Spread {
                update,
                at_ms: self.sim.now(),
                fractions: Vec::new(),
            });
            self.color_mode = ColorMode::Update;
        }
    }

    /// Starts a jump to time `at` (ms), `Rewind` making it: back in the run so far,
    /// from the last checkpoint before it, or from here if that is nearer; past the
    /// present, the run goes on to it (a lesson's step skipped to its end). On arrival the
    /// lab plays if `then_play`, else it pauses. The colours are those of that moment
    /// (an update made since colours by who knows it); the selected node and the key
    /// looked up stay.
    fn begin_jump(&mut self, at: f64, then_play: bool) {
        let Some(timeline) = self.timeline.0.take() else {
            return;
        };
        let at = at.max(0.0);
        let selected = self.selected;
        let checkpoint = timeline.before(at);
        let from = checkpoint.map_or(0.0, |(t, _)| t as f64);
        if !(from..=at).contains(&self.sim_time) {
            let mut past = checkpoint.map_or_else(|| self.rebuilt(), |(_, lab)| lab.clone());
            past.player.take_steps(&self.player);
            past.settings.speed = self.settings.speed;
            past.key = std::mem::take(&mut self.key);
            past.error = self.error.take();
            *self = past;
        }
        self.timeline = Past(Some(timeline));
        self.playing = false;
        self.stop_at = None;
        self.jump = Some(Jump {
            to: at,
            from: self.sim_time,
            selected,
            then_play,
        });
    }

    /// Re-simulates up to `rounds` rounds of the jump under way (a page spreads a
    /// long one over frames, and shows how far it got), and ends it on arrival.
    fn rewind(&mut self, rounds: u32) {
        let Some(jump) = self.jump else {
            return;
        };
        let interval = self.sim.config().node.interval_ms as f64;
        for _ in 0..rounds {
            if self.sim_time >= jump.to {
                break;
            }
            // Round by round; a scenario's pause on an Ack stops one early, and the
            // next goes on past it.
            let round_end = ((self.sim_time / interval).floor() + 1.0) * interval;
            self.advance_to(round_end.min(jump.to));
        }
        if self.sim_time >= jump.to {
            self.jump = None;
            self.opened = None;
            self.select(jump.selected);
            self.follow_config();
            self.playing = jump.then_play;
        }
    }

    /// How far the jump under way has come, 0 to 1; `None` if there is none.
    pub fn rewinding(&self) -> Option<f64> {
        let jump = self.jump?;
        let span = jump.to - jump.from;
        Some(if span > 0.0 {
            (self.sim_time - jump.from) / span
        } else {
            1.0
        })
    }

    /// Runs the simulation to `target` (fractional ms), round by round so that
    /// every round is sampled for the charts. At a round's end the round is sampled
    /// first, then the steps of that moment are applied: as when the user acts at a
    /// round's end, so that a replay of the run is the run.
    fn advance_to(&mut self, target: f64) {
        let interval = self.sim.config().node.interval_ms;
        let target_ms = target.max(0.0) as Millis;
        let mut next = (self.sim.now() / interval + 1) * interval;
        while next <= target_ms {
            if !self.run_watching(next - 1) {
                return;
            }
            self.sim.advance_to(next);
            self.end_round();
            self.checkpoint(next);
            next += interval;
        }
        if !self.run_watching(target_ms) {
            return;
        }
        self.sim_time = target.max(self.sim_time);
        if self.player.is_done() && self.sim.now() >= self.player.end_ms() && self.title.is_some() {
            self.playing = false;
        }
        if let Some(timeline) = &mut self.timeline.0 {
            timeline.observe(self.sim_time, &self.feed);
        }
    }

    /// Keeps a checkpoint at `at`, a round's end, if the timeline wants one.
    fn checkpoint(&mut self, at: Millis) {
        let sim = &self.sim;
        let Some(bytes) = self
            .timeline
            .0
            .as_ref()
            .and_then(|t| t.wants(at, || sim.members().total * BYTES_PER_ENTRY))
        else {
            return;
        };
        let mut checkpoint = self.clone();
        checkpoint.sim_time = at as f64;
        if let Some(timeline) = &mut self.timeline.0 {
            timeline.observe(at as f64, &self.feed);
            timeline.keep(at, checkpoint, bytes);
        }
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

    /// Runs to `at`, like [`Lab::run_to`]; while a scenario awaits an Ack, in steps
    /// shorter than a message's flight, so that one is caught on the wire. False if
    /// the run stopped early, paused on that Ack.
    fn run_watching(&mut self, at: Millis) -> bool {
        let step = (self.settings.latency_ms / 2).clamp(1, 20);
        while self.awaiting_ack && self.sim.now() + step < at {
            self.run_to(self.sim.now() + step);
            if self.open_ack_in_flight() {
                self.sim_time = self.sim.now() as f64;
                return false;
            }
        }
        self.run_to(at);
        true
    }

    /// Opens the first Ack in flight that carries the followed update, and pauses on
    /// it, as a scenario asked. True if it found one.
    fn open_ack_in_flight(&mut self) -> bool {
        let Some(update) = self.spread.as_ref().map(|s| s.update) else {
            return false;
        };
        let found = self.sim.in_flight().find(|e| {
            e.kind == MessageKind::Ack && !e.lost && e.message().is_ok_and(|m| carries(&m, update))
        });
        if let Some(opened) = found.map(|e| Opened::new(e, &self.sim)) {
            self.select(opened.to);
            self.opened = Some(opened);
            self.playing = false;
            self.awaiting_ack = false;
        }
        !self.awaiting_ack
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
        for (at, change) in crate::run_code::decode(code, nodes, MAX_NODES)? {
            self.player.schedule(at, change);
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
        let mut text = setup_line(title, &self.first);
        for step in steps.chain([&end]) {
            text.push('\n');
            text.push_str(&step_line(step));
        }
        text.push('\n');
        text
    }

    /// The run's trace hash so far, as `gossip-sim` prints it.
    pub fn trace_hash(&self) -> u64 {
        self.sim.trace_hash()
    }

    /// The present, in simulated ms: how far the run has gone (the timeline's end).
    pub fn present(&self) -> f64 {
        self.timeline
            .0
            .as_ref()
            .map_or(self.sim_time, |t| t.frontier())
    }

    /// The timeline's marks, in time order.
    pub fn marks(&self) -> &[Mark] {
        self.timeline.0.as_ref().map_or(&[], |t| t.marks())
    }

    /// How many checkpoints the timeline keeps, and how far apart (ms).
    pub fn checkpoints(&self) -> (usize, Millis) {
        self.timeline.0.as_ref().map_or((0, 0), |t| t.checkpoints())
    }

    /// The settings, as the controls and the URL show them.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The key looked up, and the replication factor.
    pub fn key(&self) -> (&str, usize) {
        (&self.key.0, self.key.1)
    }

    /// The looked-up key on `ring`, if a key is given.
    pub fn lookup(&self, ring: &Ring) -> Option<Lookup> {
        let (key, rf) = self.key();
        (!key.is_empty()).then(|| look_up(ring, key, rf))
    }

    /// The message open in the exchange inspector.
    pub fn opened(&self) -> Option<&Opened> {
        self.opened.as_ref()
    }

    /// The simulator.
    pub fn sim(&self) -> &Simulator {
        &self.sim
    }

    /// Simulated time in fractional milliseconds.
    pub fn sim_time(&self) -> f64 {
        self.sim_time
    }

    /// True while time runs; during a jump, whether it will run on arrival.
    pub fn playing(&self) -> bool {
        self.jump.map_or(self.playing, |jump| jump.then_play)
    }

    /// The node whose view is shown.
    pub fn selected(&self) -> NodeId {
        self.selected
    }

    /// What the colours show.
    pub fn color_mode(&self) -> ColorMode {
        self.color_mode
    }

    /// True while a partition is in force.
    pub fn partitioned(&self) -> bool {
        self.sim.is_partitioned()
    }

    /// The scenario's title and latest caption, if one is playing, and whether it
    /// has ended.
    pub fn scenario(&self) -> Option<(&str, Option<&str>, bool)> {
        let done = self.player.is_done() && self.sim.now() >= self.player.end_ms();
        Some((self.title.as_deref()?, self.player.caption(), done))
    }

    /// What happened, in words.
    pub fn feed(&self) -> &Feed {
        &self.feed
    }

    /// Why the last scenario failed, if it did.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The update being followed.
    pub fn spread(&self) -> Option<&Spread> {
        self.spread.as_ref()
    }

    /// Traffic of the recent rounds, oldest first.
    pub fn traffic(&self) -> &VecDeque<RoundTraffic> {
        &self.traffic
    }

    /// How `id` looks to the selected node, in the current colour mode.
    pub fn seen(&self, id: NodeId) -> Seen {
        if self.color_mode == ColorMode::Update {
            let informed = self
                .spread
                .as_ref()
                .is_some_and(|s| self.sim.knows(id, s.update));
            return if informed {
                Seen::Informed
            } else {
                Seen::Uninformed
            };
        }
        self.status_seen(id)
    }

    /// How `id` looks to the selected node's failure detector, whatever the colours
    /// show: the observer itself, alive, suspect, dead or unknown.
    pub fn status_seen(&self, id: NodeId) -> Seen {
        let observer = self.selected;
        if id == observer {
            return Seen::Observer;
        }
        let Some(node) = self.sim.nodes().get(observer.0 as usize) else {
            return Seen::Unknown;
        };
        match node.reachability(id, self.sim.now()) {
            Some((Reachability::Unheard, _)) => Seen::Unheard,
            Some((Reachability::Alive, _)) => Seen::Alive,
            Some((Reachability::Suspect, _)) => Seen::Suspect,
            Some((Reachability::Dead, _)) => Seen::Dead,
            None => Seen::Unknown,
        }
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
fn plain(settings: &Settings) -> Simulator {
    Simulator::new(sim_config(settings))
        .or_else(|_| Simulator::new(SimConfig::default()))
        .unwrap_or_else(|e| unreachable!("the default config is valid: {e}"))
}

/// The simulator's configuration for the page's settings (already clamped).
pub fn sim_config(settings: &Settings) -> SimConfig {
    let detector = DetectorConfig {
        model: settings.detector,
        threshold: settings.threshold,
        ..DetectorConfig::default()
    };
    SimConfig {
        nodes: settings.nodes,
        seed: settings.seed,
        timing: Timing::Continuous {
            mean_ms: settings.latency_ms,
            jitter_ms: settings.jitter_ms.min(settings.latency_ms),
        },
        // The settings table clamps the loss to 0 to 100.
        loss_ppm: loss_ppm(settings.loss).unwrap_or_default(),
        tokens_per_node: 4,
        bootstrap: Bootstrap::Converged,
        protocol: Protocol::Gossip,
        node: NodeConfig {
            seeds: (0..settings.seeds.min(settings.nodes))
                .map(NodeId)
                .collect(),
            mtu: settings.mtu as usize,
            interval_ms: settings.interval_ms,
            fanout: settings.fanout as usize,
            mode: settings.mode,
            detector,
            // A profile's rule; a custom setup keeps Cassandra's (the settings' help).
            forward_news: settings.profile().is_some_and(Profile::forward_news),
            ..NodeConfig::default()
        },
    }
}

/// Each node's first token on the ring, which places it in the picture.
pub fn first_tokens(sim: &Simulator) -> Vec<Option<u64>> {
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
fn ring_half(sim: &Simulator) -> Vec<NodeId> {
    first_tokens(sim)
        .into_iter()
        .zip((0..).map(NodeId))
        .filter(|(token, _)| token.unwrap_or(0) < u64::MAX / 2)
        .map(|(_, id)| id)
        .collect()
}

#[cfg(test)]
mod tests {
    use gossip_core::Status;

    use super::*;

    /// A lab of `nodes` with the tuned profile, which convicts within the 30 s the
    /// tests play (Cassandra's, the default, takes about a minute).
    fn lab(nodes: u32) -> Lab {
        let mut settings = Settings {
            nodes,
            ..Settings::default()
        };
        settings.take_profile(gossip_core::Profile::Tuned);
        Lab::new(settings, true)
    }

    /// A lab playing the preset scenario `name`.
    fn scenario_lab(name: &str) -> Lab {
        Lab::new(
            Settings {
                scenario: Some(name.into()),
                ..Settings::default()
            },
            true,
        )
    }

    /// Plays `seconds` of simulated time at 100×, in 100 ms frames.
    fn play(lab: &mut Lab, seconds: u64) {
        lab.apply(Action::SetSpeed(100.0));
        for _ in 0..seconds / 10 {
            lab.apply(Action::Frame(100.0));
        }
    }

    #[test]
    fn play_to_pauses_exactly_at_its_moment_and_a_seek_ahead_runs_the_same_run() {
        let mut played = lab(10);
        played.apply(Action::SetSpeed(7.0));
        played.apply(Action::PlayTo(6_500.0));
        assert!(played.playing());
        for _ in 0..100 {
            played.apply(Action::Frame(100.0));
        }
        assert!(!played.playing(), "it pauses on arrival");
        assert_eq!(played.sim_time(), 6_500.0, "exactly at its moment");
        played.apply(Action::PlayTo(1_000.0));
        assert!(!played.playing(), "a moment passed already just pauses");

        // A lesson's step skipped to its end: the same run, reached at once.
        let mut skipped = lab(10);
        skipped.apply(Action::Pause);
        seek(&mut skipped, 6_500.0);
        assert_eq!(skipped.sim_time(), 6_500.0);
        assert_eq!(skipped.trace_hash(), played.trace_hash());
        assert_eq!(skipped.present(), 6_500.0, "the present moved on with it");

        // Play stops a `PlayTo` from pausing later: the reader took over.
        skipped.apply(Action::PlayTo(9_000.0));
        skipped.apply(Action::Play);
        play(&mut skipped, 10);
        assert!(skipped.playing() && skipped.sim_time() > 9_000.0);
    }

    #[test]
    fn frames_advance_time_only_while_playing_and_never_by_more_than_the_clamp() {
        let mut lab = lab(10);
        lab.apply(Action::Frame(16.0));
        assert_eq!(lab.sim_time(), 16.0);
        lab.apply(Action::Frame(60_000.0));
        assert_eq!(lab.sim_time(), 116.0, "a long hidden spell is clamped");
        lab.apply(Action::TogglePlay);
        assert!(!lab.playing());
        lab.apply(Action::Play);
        assert!(lab.playing());
        lab.apply(Action::Pause);
        assert!(!lab.playing());
        lab.apply(Action::Frame(16.0));
        assert_eq!(lab.sim_time(), 116.0);
        lab.apply(Action::SetSpeed(1e9));
        assert_eq!(lab.settings().speed, MAX_SPEED);
        lab.apply(Action::SetSpeed(0.0));
        assert_eq!(lab.settings().speed, MIN_SPEED);
    }

    #[test]
    fn step_runs_to_the_next_round_and_pauses() {
        let mut lab = lab(10);
        lab.apply(Action::Frame(16.0));
        lab.apply(Action::Step);
        assert!(!lab.playing());
        assert_eq!((lab.sim_time(), lab.sim().round()), (1000.0, 1));
        lab.apply(Action::Step);
        assert_eq!(lab.sim().round(), 2);
        assert_eq!(lab.traffic().len(), 2, "one traffic sample per round");
        assert!(lab.traffic()[1].messages > 0);
    }

    #[test]
    fn configure_rebuilds_and_select_ignores_missing_nodes() {
        let mut lab = lab(10);
        play(&mut lab, 10);
        let mut settings = lab.settings().clone();
        settings.nodes = 25;
        lab.apply(Action::Configure(settings));
        assert_eq!((lab.sim().nodes().len(), lab.sim_time()), (25, 0.0));
        lab.apply(Action::Select(NodeId(24)));
        assert_eq!(lab.selected(), NodeId(24));
        lab.apply(Action::Select(NodeId(25)));
        assert_eq!(lab.selected(), NodeId(24));
    }

    #[test]
    fn a_crash_is_seen_dead_and_its_detection_times_are_kept() {
        let mut lab = lab(20);
        play(&mut lab, 10);
        lab.apply(Action::Select(NodeId(5)));
        lab.apply(Action::Crash);
        lab.apply(Action::Select(NodeId(0)));
        assert_eq!(lab.seen(NodeId(5)), Seen::Alive);
        play(&mut lab, 30);
        assert_eq!(lab.seen(NodeId(5)), Seen::Dead);
        assert_eq!(lab.seen(NodeId(0)), Seen::Observer);
        assert_eq!(lab.last_crash_detections().len(), 19);
    }

    /// Every threshold the control offers runs the cluster asked for. Below the
    /// suspect level (3) the node configuration was refused, and the page silently
    /// fell back to the default cluster.
    #[test]
    fn every_threshold_offered_runs_as_set() {
        for threshold in [0.5, 2.5, 8.0, 20.0] {
            let lab = Lab::new(
                Settings {
                    nodes: 12,
                    threshold,
                    ..Settings::default()
                },
                true,
            );
            let config = lab.sim().config();
            assert_eq!(
                (config.nodes, config.node.detector.threshold),
                (12, threshold)
            );
        }
    }

    #[test]
    fn the_feed_tells_a_crash_and_each_conviction_in_time_order() {
        let mut lab = lab(12);
        play(&mut lab, 10);
        lab.apply(Action::Select(NodeId(5)));
        lab.apply(Action::Crash);
        play(&mut lab, 30);
        let lines: Vec<_> = lab.feed().lines(None).collect();
        let crashed = lines.iter().find(|l| l.text == "node 5 crashed").unwrap();
        let convictions: Vec<_> = lines
            .iter()
            .filter(|l| l.text.contains("convicted node 5 at phi"))
            .collect();
        assert_eq!(convictions.len(), 11, "every other node's");
        let max_detection = *lab.last_crash_detections().iter().max().unwrap();
        for line in &convictions {
            assert!(line.at_ms - crashed.at_ms <= max_detection, "{line:?}");
        }
        assert!(
            lines.windows(2).all(|w| w[0].at_ms >= w[1].at_ms),
            "newest first"
        );
        assert_eq!(
            lab.feed()
                .lines(Some(NodeId(3)))
                .filter(|l| l.kind.important())
                .count(),
            1
        );
    }

    #[test]
    fn the_feed_tells_a_scenarios_steps_and_captions() {
        let mut lab = scenario_lab("spread");
        play(&mut lab, 40);
        let texts: Vec<&str> = lab.feed().lines(None).map(|l| l.text.as_str()).collect();
        assert!(texts.contains(&"node 5 made an update"), "{texts:?}");
        assert!(texts.iter().any(|t| t.starts_with("Push only")));
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("the update from node 5 reached every node after"))
        );
    }

    #[test]
    fn the_spread_scenario_pauses_on_an_ack_carrying_its_update() {
        let mut lab = scenario_lab("spread");
        play(&mut lab, 60);
        assert!(!lab.playing(), "paused on the Ack");
        let opened = lab.opened().expect("an Ack is open");
        let update = lab.spread().unwrap().update;
        assert_eq!((opened.kind, update.origin), (MessageKind::Ack, NodeId(50)));
        let items = opened.items.as_ref().unwrap();
        assert!(
            items
                .iter()
                .any(|i| (i.part, i.endpoint, i.generation, i.version)
                    == ("delta", update.origin, update.generation, update.version))
        );
        assert!(
            (31_500..40_000).contains(&opened.sent_at),
            "{}",
            opened.sent_at
        );
        assert_eq!(lab.selected(), opened.to, "its receiver is selected");
        lab.apply(Action::Play);
        play(&mut lab, 60);
        assert_eq!(
            lab.scenario().map(|s| s.2),
            Some(true),
            "it goes on to its end"
        );
    }

    #[test]
    fn a_picked_message_opens_paused_and_a_key_is_looked_up_at_a_bounded_rf() {
        let mut lab = lab(10);
        play(&mut lab, 10);
        lab.apply(Action::Select(NodeId(2)));
        assert_eq!(
            lab.sim().watched().count(),
            0,
            "a new selection starts its window"
        );
        lab.apply(Action::Open(Pick::Watched(0)));
        assert!(lab.opened().is_none(), "nothing to open yet");
        play(&mut lab, 10);
        let newest = lab.sim().watched().count() - 1;
        lab.apply(Action::Open(Pick::Watched(newest)));
        let opened = lab.opened().expect("opened");
        assert!(opened.from == NodeId(2) || opened.to == NodeId(2));
        assert!(!lab.playing(), "opening a message pauses");
        lab.apply(Action::CloseMessage);
        assert!(lab.opened().is_none());

        let ring = Ring::from_view(lab.sim().nodes()[2].view());
        assert_eq!(lab.lookup(&ring), None, "no key, no lookup");
        lab.apply(Action::LookUp("user:42".into()));
        for (asked, kept) in [(0, 1), (2, 2), (99, MAX_RF)] {
            lab.apply(Action::SetRf(asked));
            assert_eq!(lab.key().1, kept);
        }
        assert_eq!(lab.lookup(&ring).unwrap().replicas.len(), MAX_RF);
    }

    #[test]
    fn restart_leave_and_add_change_the_cluster() {
        let mut lab = lab(10);
        play(&mut lab, 10);
        lab.apply(Action::Select(NodeId(3)));
        let before = lab.sim().nodes()[3].generation();
        lab.apply(Action::Restart);
        assert!(lab.sim().nodes()[3].generation() > before);
        lab.apply(Action::Select(NodeId(4)));
        lab.apply(Action::Leave);
        let own = lab.sim().nodes()[4].view().get(NodeId(4)).unwrap();
        assert_eq!(own.status(), Some(Status::Left));
        lab.apply(Action::AddNode);
        assert_eq!((lab.sim().nodes().len(), lab.selected()), (11, NodeId(10)));
    }

    #[test]
    fn a_partition_splits_the_ring_into_halves_until_healed() {
        let mut lab = lab(20);
        play(&mut lab, 10);
        lab.apply(Action::PartitionHalves);
        assert!(lab.partitioned());
        play(&mut lab, 30);
        let dead = (0..20)
            .filter(|&i| lab.seen(NodeId(i)) == Seen::Dead)
            .count();
        assert!(
            (5..=15).contains(&dead),
            "the other half is convicted: {dead}"
        );
        lab.apply(Action::Heal);
        assert!(!lab.partitioned());
        play(&mut lab, 20);
        assert!(lab.sim().all_up_see_each_other());
    }

    #[test]
    fn an_injected_update_is_charted_until_everyone_knows_it() {
        let mut lab = lab(30);
        lab.apply(Action::Select(NodeId(7)));
        lab.apply(Action::InjectUpdate);
        assert_eq!(lab.color_mode(), ColorMode::Update);
        assert_eq!(lab.seen(NodeId(7)), Seen::Informed);
        assert_eq!(lab.seen(NodeId(8)), Seen::Uninformed);
        play(&mut lab, 20);
        let fractions = &lab.spread().unwrap().fractions;
        assert!(fractions.len() >= 19);
        assert!(fractions.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(fractions.last(), Some(&1.0));
        lab.apply(Action::ToggleColorMode);
        assert_eq!(lab.color_mode(), ColorMode::Status);
    }

    #[test]
    fn an_update_named_in_the_settings_is_injected_at_the_start() {
        let lab = Lab::new(
            Settings {
                update: Some(4),
                ..Settings::default()
            },
            true,
        );
        let spread = lab.spread().expect("followed from the start");
        assert_eq!(spread.update.origin, NodeId(4));
        assert_eq!(lab.color_mode(), ColorMode::Update);
    }

    #[test]
    fn scenarios_run_to_their_end_or_say_why_they_cannot() {
        let mut lab = scenario_lab("crash");
        let (title, caption, done) = lab.scenario().unwrap();
        assert!(title.contains("crash") && caption.is_none() && !done);
        assert_eq!(
            lab.settings().profile(),
            Some(gossip_core::Profile::Cassandra)
        );
        play(&mut lab, 200);
        let (_, caption, done) = lab.scenario().unwrap();
        assert!(done && caption.unwrap().contains("evicted"));
        assert!(!lab.playing(), "a finished scenario pauses");
        assert_eq!(lab.last_crash_detections().len(), 28, "the second crash's");
        assert_eq!(
            lab.settings().profile(),
            Some(gossip_core::Profile::Tuned),
            "the controls follow the scenario's `set`"
        );

        lab.apply(Action::LoadScenario(Err("NotReadableError".into())));
        let error = lab.error().unwrap();
        assert!(
            error.contains("could not be read: NotReadableError"),
            "{error}"
        );
        lab.apply(Action::LoadScenario(
            Ok("{\"at\": 1, \"crash\": 99}".into()),
        ));
        let error = lab.error().unwrap();
        assert!(error.contains("line 1, field `crash`"), "{error}");
        assert!(lab.scenario().is_none());
        lab.apply(Action::LoadScenario(Ok(
            "{\"at\": 1, \"crash\": 2, \"caption\": \"mine\"}".into(),
        )));
        assert_eq!(lab.error(), None);
        assert_eq!(lab.scenario().map(|s| s.0), Some("Scenario"));

        // More nodes than a tab's memory holds: refused, naming the line that grows it.
        lab.apply(Action::LoadScenario(Ok(
            "{\"setup\": {\"nodes\": 4500}}\n{\"at\": 1, \"join\": 600}".into(),
        )));
        let error = lab.error().unwrap();
        assert!(
            error.contains("line 2, field `join`: the cluster would reach 5100 nodes"),
            "{error}"
        );
    }

    #[test]
    fn a_profile_that_forwards_fresh_news_makes_the_nodes_forward_it() {
        let mut settings = Settings::default();
        assert!(!sim_config(&settings).node.forward_news, "Cassandra's rule");
        settings.take_profile(Profile::Chitchat);
        assert!(sim_config(&settings).node.forward_news);
        settings.fanout = 2;
        assert!(
            !sim_config(&settings).node.forward_news,
            "custom: Cassandra's rule"
        );
    }

    #[test]
    fn the_all_to_all_baseline_is_n_times_n_minus_one_messages() {
        let lab = lab(40);
        let baseline = lab.all_to_all_per_round();
        assert_eq!(baseline.messages, 40 * 39);
        assert!(baseline.bytes > baseline.messages * 20);
    }

    type Looks = (
        (u64, f64, NodeId),
        Vec<String>,
        (VecDeque<RoundTraffic>, Option<Spread>),
        Vec<Seen>,
        Vec<gossip_core::sim::Envelope>,
    );

    /// Jumps to `at` and waits for the jump to end.
    fn seek(lab: &mut Lab, at: f64) {
        lab.apply(Action::Seek(at));
        lab.apply(Action::Rewind(u32::MAX));
        assert!(!lab.playing(), "a jump pauses");
    }

    /// Everything the page draws from the lab at its time: the trace, the clock, the
    /// feed, the charts, the colours and the messages in flight.
    fn looks(lab: &Lab) -> Looks {
        let nodes = lab.sim().nodes().len() as u32;
        (
            (lab.trace_hash(), lab.sim_time(), lab.selected()),
            lab.feed()
                .lines(None)
                .map(|l| l.text.clone())
                .collect::<Vec<_>>(),
            (lab.traffic().clone(), lab.spread().cloned()),
            (0..nodes).map(|i| lab.seen(NodeId(i))).collect::<Vec<_>>(),
            lab.sim().in_flight().cloned().collect::<Vec<_>>(),
        )
    }

    #[test]
    fn a_moment_scrubbed_back_to_looks_as_it_did_when_it_was_drawn() {
        let mut lab = lab(30);
        lab.apply(Action::SetSpeed(37.3));
        let mut drawn = Vec::new();
        for frame in 0..120 {
            lab.apply(Action::Frame(16.7));
            match frame {
                20 => {
                    lab.apply(Action::Select(NodeId(5)));
                    lab.apply(Action::Crash);
                    lab.apply(Action::Select(NodeId(0)));
                }
                50 => lab.apply(Action::InjectUpdate),
                70 => lab.apply(Action::PartitionHalves),
                90 => lab.apply(Action::Heal),
                _ => {}
            }
            if frame % 7 == 3 {
                drawn.push((lab.sim_time(), looks(&lab)));
            }
        }
        let present = lab.sim_time();
        assert_eq!(lab.present(), present);
        // Back and forth, in any order: each moment is what was drawn.
        for (at, seen) in drawn.iter().rev().chain(drawn.iter().step_by(3)) {
            seek(&mut lab, *at);
            let now = looks(&lab);
            assert_eq!(now.0, seen.0, "at {at} ms");
            assert!(
                now.1 == seen.1,
                "the feed at {at} ms: {:?} {:?}",
                &now.1[..3],
                &seen.1[..3]
            );
            assert!(now.2 == seen.2, "the charts at {at} ms");
            assert!(
                now.3 == seen.3,
                "the colours at {at} ms: {:?} {:?} {:?}",
                now.3,
                seen.3,
                lab.color_mode()
            );
            assert!(now.4 == seen.4, "the messages in flight at {at} ms");
        }
        let kinds: Vec<_> = lab.marks().iter().map(|m| m.kind).collect();
        for kind in [
            Kind::Crash,
            Kind::Conviction,
            Kind::Update,
            Kind::Split,
            Kind::Heal,
        ] {
            assert!(kinds.contains(&Some(kind)), "{kind:?} in {kinds:?}");
        }
        lab.apply(Action::Seek(25_000.5));
        assert!(lab.rewinding().is_some());
        lab.apply(Action::Rewind(3));
        assert!(
            lab.rewinding().is_some_and(|p| p > 0.0 && p < 1.0),
            "a jump goes round by round"
        );
        lab.apply(Action::Live);
        lab.apply(Action::Rewind(u32::MAX));
        assert!(lab.playing() && lab.sim_time() == present && lab.rewinding().is_none());
    }

    #[test]
    fn acting_in_the_past_forks_the_run_and_drops_its_future() {
        let mut lab = lab(20);
        play(&mut lab, 10);
        lab.apply(Action::Select(NodeId(3)));
        lab.apply(Action::Crash);
        play(&mut lab, 20);
        assert_eq!(lab.run_code().as_deref(), Some("c3t10000"));
        lab.apply(Action::Seek(5_000.0));
        lab.apply(Action::Select(NodeId(4)));
        lab.apply(Action::TogglePlay);
        assert!(
            lab.rewinding().is_some(),
            "selecting and playing wait for the jump"
        );
        lab.apply(Action::Crash);
        assert_eq!(
            lab.sim_time(),
            5_000.0,
            "a change to the run ends the jump first"
        );
        assert!(lab.playing(), "and then plays, as asked meanwhile");
        lab.apply(Action::Pause);
        lab.apply(Action::Crash);
        assert_eq!(lab.present(), 5_000.0, "the future is gone");
        assert_eq!(
            lab.run_code().as_deref(),
            Some("c4t5000"),
            "and node 3's crash"
        );
        let fork = lab.marks().iter().find(|m| m.kind.is_none());
        assert_eq!(fork.map(|m| m.at_ms), Some(5_000), "the fork is marked");
        play(&mut lab, 30);
        assert!(lab.sim().is_down(NodeId(4)) && !lab.sim().is_down(NodeId(3)));
    }

    #[test]
    fn a_saved_run_replays_to_the_same_trace_natively_and_in_a_new_lab() {
        let mut saved = lab(25);
        play(&mut saved, 10);
        saved.apply(Action::Select(NodeId(6)));
        saved.apply(Action::Crash);
        saved.apply(Action::AddNode);
        saved.apply(Action::InjectUpdate);
        play(&mut saved, 10);
        saved.apply(Action::Frame(33.3));
        saved.apply(Action::Restart);
        saved.apply(Action::PartitionHalves);
        play(&mut saved, 10);
        let text = saved.save();

        let scenario = crate::scenario_text::parse(&text).unwrap();
        let (mut sim, mut player) = scenario.start(SimConfig::default()).unwrap();
        player
            .advance_to(&mut sim, player.end_ms(), |_| ())
            .unwrap();
        assert_eq!(sim.now(), saved.sim().now());
        assert_eq!(sim.trace_hash(), saved.trace_hash(), "{text}");

        let mut loaded = Lab::new(Settings::default(), true);
        loaded.apply(Action::LoadScenario(Ok(text)));
        play(&mut loaded, 40);
        assert!(
            loaded.scenario().is_some_and(|s| s.2),
            "it ends where it was saved"
        );
        assert_eq!(loaded.trace_hash(), saved.trace_hash());

        let mut linked = lab(25);
        linked.schedule(&saved.run_code().unwrap()).unwrap();
        linked.apply(Action::SetSpeed(100.0));
        while linked.sim_time() < saved.sim_time() {
            linked.apply(Action::Frame(10.0));
        }
        seek(&mut linked, saved.sim_time());
        assert_eq!(
            linked.trace_hash(),
            saved.trace_hash(),
            "a link replays it too"
        );
        assert!(linked.schedule("c99t5").is_err());
    }

    #[test]
    fn checkpoints_stay_within_their_budget_growing_sparser() {
        let mut lab = lab(300);
        lab.apply(Action::SetSpeed(100.0));
        for _ in 0..100 {
            lab.apply(Action::Frame(100.0));
        }
        let (count, spacing) = lab.checkpoints();
        let bytes = lab.sim().members().total * BYTES_PER_ENTRY;
        assert!(
            count * bytes <= crate::timeline::BUDGET_BYTES,
            "{count} × {bytes}"
        );
        assert!(spacing > 10_000, "sparser than at the start: {spacing} ms");
        assert!(count >= 10, "{count}");
    }
}
