//! The lab and everything that changes it, as a reducer: one [`LabAction`] in, a
//! new state out. Pure Rust with no web types (after Yew's boids and todomvc
//! examples), so it is tested natively; the component only feeds it actions and
//! draws it. A lab is a [`Run`] (what a checkpoint holds), a [`View`] (what the
//! user looks at), the run's timeline, and the clock that plays it.

use gossip_core::{Millis, NodeId, Reachability};
use gossip_heartbeat::ring::Ring;
use gossip_scenario::Action;

use crate::feed::Feed;
use crate::hash_ring::{Lookup, look_up};
use crate::opened::Opened;
pub use crate::run::{RoundTraffic, Spread, first_tokens, sim_config};
use crate::run::{Run, RunTimeline, ring_half};
use crate::settings::{MAX_NODES, MAX_SPEED, MIN_SPEED, Settings};
use crate::timeline::{Mark, Timeline};
pub use crate::view::{ColorMode, Column, Seen, View};

/// The longest wall-clock time one frame may advance. After the tab was hidden the
/// lab resumes where it was instead of racing through the lost time.
pub const MAX_FRAME_STEP_MS: f64 = 100.0;

/// What the user, the browser or a scenario asks of the lab.
#[derive(Debug, Clone, PartialEq)]
pub enum LabAction {
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
    /// Nodes on the ring, or in a grid.
    ToggleLayout,
    /// Show or hide the keyboard shortcuts.
    ToggleHelp,
    /// The feed shows everything, or only the selected node's lines.
    ToggleFeedFilter,
    /// Sort the inspector by this column (again: reverse).
    Sort(Column),
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

impl LabAction {
    /// True for what changes only the view or the clock: it goes on during a jump
    /// in time (a change to the run happens at the moment jumped to, so the jump
    /// ends first).
    fn leaves_the_run(&self) -> bool {
        !matches!(
            self,
            LabAction::Step
                | LabAction::PlayTo(_)
                | LabAction::Crash
                | LabAction::Restart
                | LabAction::Leave
                | LabAction::AddNode
                | LabAction::PartitionHalves
                | LabAction::Heal
                | LabAction::InjectUpdate
                | LabAction::Open(_)
        )
    }
}

/// A jump in time under way: where to, from where, and whether to play on arrival.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Jump {
    to: f64,
    from: f64,
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

/// The whole lab.
#[derive(Debug)]
pub struct Lab {
    run: Run,
    view: View,
    /// The run's past: checkpoints (clones of the run) and marks.
    timeline: RunTimeline,
    /// A jump in time under way.
    jump: Option<Jump>,
    playing: bool,
    /// Where `PlayTo` pauses, in simulated ms.
    stop_at: Option<f64>,
}

impl Lab {
    /// A lab with these settings, playing if `playing`. A preset scenario named in
    /// the settings is started; its setup overrides the cluster settings.
    pub fn new(settings: Settings, playing: bool) -> Self {
        let run = Run::new(settings);
        let view = View::new(run.settings.nodes);
        Self::of(run, view, playing)
    }

    /// A lab playing `run` from its start, seen through `view`.
    fn of(run: Run, view: View, playing: bool) -> Self {
        let mut timeline = Timeline::new(run.sim().config().node.interval_ms);
        timeline.observe(run.sim_time(), run.feed());
        let mut lab = Self {
            run,
            view,
            timeline,
            jump: None,
            playing,
            stop_at: None,
        };
        lab.select(lab.view.selected);
        lab.follow_update(None);
        lab
    }

    /// A new run in this lab: a new timeline, and the view reset but for the
    /// user's own choices (sort, filter, help).
    fn start_over(&mut self, run: Run) {
        let view = View {
            sort: self.view.sort,
            feed_filter: self.view.feed_filter,
            help: self.view.help,
            ..View::new(run.settings.nodes)
        };
        *self = Lab::of(run, view, self.playing);
    }

    /// Applies one action.
    pub fn apply(&mut self, action: LabAction) {
        if let Some(jump) = &mut self.jump {
            match action {
                LabAction::TogglePlay | LabAction::Play | LabAction::Pause => {
                    jump.then_play = match action {
                        LabAction::TogglePlay => !jump.then_play,
                        other => other == LabAction::Play,
                    };
                    return;
                }
                _ if action.leaves_the_run() => {}
                _ => self.rewind(u32::MAX),
            }
        }
        let followed = self.run.spread().map(|s| s.update);
        match action {
            LabAction::Frame(wall_ms) => {
                if self.playing {
                    let step = wall_ms.clamp(0.0, MAX_FRAME_STEP_MS) * self.run.settings.speed;
                    let mut target = self.run.sim_time() + step;
                    if let Some(end) = self.run.scenario_end() {
                        target = target.min(end);
                    }
                    if let Some(stop) = self.stop_at {
                        target = target.min(stop);
                    }
                    self.advance_to(target);
                    if self.stop_at.is_some_and(|stop| self.run.sim_time() >= stop) {
                        self.stop_at = None;
                        self.playing = false;
                    }
                }
            }
            LabAction::TogglePlay => self.play(!self.playing),
            LabAction::Play => self.play(true),
            LabAction::Pause => self.play(false),
            LabAction::PlayTo(at) => {
                self.playing = at > self.run.sim_time();
                self.stop_at = self.playing.then_some(at);
            }
            LabAction::Step => {
                self.playing = false;
                let interval = self.run.sim().config().node.interval_ms as f64;
                let next = ((self.run.sim_time() / interval).floor() + 1.0) * interval;
                self.advance_to(next);
            }
            LabAction::SetSpeed(speed) => {
                self.run.settings.speed = if speed.is_nan() {
                    1.0
                } else {
                    speed.clamp(MIN_SPEED, MAX_SPEED)
                }
            }
            LabAction::Configure(settings) => self.start_over(Run::new(settings)),
            LabAction::Select(id) if (id.0 as usize) < self.run.sim().nodes().len() => {
                self.select(id)
            }
            LabAction::Select(_) => {}
            // A node that is down cannot crash or leave again.
            LabAction::Crash if !self.run.sim().is_down(self.view.selected) => {
                self.act(Action::Crash(self.view.selected))
            }
            LabAction::Leave if !self.run.sim().is_down(self.view.selected) => {
                self.act(Action::Leave(self.view.selected))
            }
            LabAction::Crash | LabAction::Leave => {}
            LabAction::Restart => self.act(Action::Restart(self.view.selected)),
            // Past MAX_NODES the page would run out of memory (N² state).
            LabAction::AddNode if self.run.sim().nodes().len() < MAX_NODES as usize => {
                self.act(Action::Join(1));
                self.select(NodeId(self.run.sim().nodes().len() as u32 - 1));
            }
            LabAction::AddNode => {}
            LabAction::PartitionHalves => {
                let low = ring_half(self.run.sim());
                self.act(Action::Partition(vec![low]));
            }
            LabAction::Heal => self.act(Action::Heal),
            LabAction::InjectUpdate => self.act(Action::Update(self.view.selected)),
            LabAction::ToggleColorMode => self.view.toggle_color_mode(),
            LabAction::ToggleLayout => self.view.toggle_layout(),
            LabAction::ToggleHelp => self.view.help = !self.view.help,
            LabAction::ToggleFeedFilter => self.view.feed_filter = !self.view.feed_filter,
            LabAction::Sort(column) => self.view.sort_by(column),
            LabAction::Open(pick) => {
                let sim = self.run.sim();
                let envelope = match pick {
                    Pick::InFlight(n) => sim.in_flight().nth(n),
                    Pick::Watched(n) => sim.watched().nth(n),
                };
                if let Some(opened) = envelope.map(|e| Opened::new(e, sim)) {
                    self.view.opened = Some(opened);
                    self.playing = false;
                }
            }
            LabAction::CloseMessage => self.view.opened = None,
            LabAction::LookUp(key) => self.view.lookup.key = key,
            LabAction::SetRf(rf) => self.view.set_rf(rf),
            LabAction::LoadScenario(Ok(text)) => {
                self.start_over(Run::of_file(self.run.settings.clone(), text))
            }
            LabAction::LoadScenario(Err(why)) => {
                self.run.error = Some(format!("The scenario file could not be read: {why}"));
            }
            LabAction::Seek(at) => self.begin_jump(at, false),
            LabAction::Live => self.begin_jump(self.present(), true),
            LabAction::Rewind(rounds) => self.rewind(rounds),
        }
        self.follow_update(followed);
    }

    /// Plays or pauses, forgetting any moment `PlayTo` was to pause at.
    fn play(&mut self, playing: bool) {
        self.playing = playing;
        self.stop_at = None;
    }

    /// The colours follow the run's update: by who knows it once the run follows a
    /// new one, by status again where it follows none (a jump to before it).
    fn follow_update(&mut self, followed: Option<gossip_core::sim::Update>) {
        let now = self.run.spread().map(|s| s.update);
        if now != followed {
            self.view.color_mode = match now {
                Some(_) => ColorMode::Update,
                None => ColorMode::Status,
            };
        }
    }

    /// Selects `id`, whose last messages the simulator then keeps for the inspector.
    fn select(&mut self, id: NodeId) {
        self.view.selected = id;
        self.run.watch(id);
    }

    /// The user changes the run now: a step of the run from here on. In the past,
    /// the run forks: the user's later steps and the timeline's future are dropped.
    fn act(&mut self, action: Action) {
        let now = self.run.sim_time();
        if now < self.timeline.frontier() {
            self.timeline.fork(now, self.run.feed());
            self.run.drop_users_future();
        }
        self.run.act(action);
        self.timeline.observe(now, self.run.feed());
    }

    /// Runs to `target` (fractional ms); pauses on an Ack a scenario asked to open,
    /// and at a scenario's end.
    fn advance_to(&mut self, target: f64) {
        if let Some(ack) = self.run.advance_to(target, &mut self.timeline) {
            self.select(ack.to);
            self.view.opened = Some(ack);
            self.playing = false;
        } else if self.run.scenario_done() {
            self.playing = false;
        }
    }

    /// Starts a jump to time `at` (ms), `Rewind` making it: back in the run so far,
    /// from the last checkpoint before it, or from here if that is nearer; past the
    /// present, the run goes on to it (a lesson's step skipped to its end). On
    /// arrival the lab plays if `then_play`, else it pauses. The run is that of the
    /// moment (an update made since colours by who knows it); the view stays.
    fn begin_jump(&mut self, at: f64, then_play: bool) {
        let at = at.max(0.0);
        let checkpoint = self.timeline.before(at);
        let from = checkpoint.map_or(0.0, |(t, _)| t as f64);
        if !(from..=at).contains(&self.run.sim_time()) {
            let mut past = checkpoint.map_or_else(|| self.run.rebuilt(), |(_, run)| run.clone());
            past.take_steps(&self.run);
            // The speed is the player's, and the notice stays until dismissed.
            past.settings.speed = self.run.settings.speed;
            past.error = self.run.error.take();
            self.run = past;
        }
        self.play(false);
        self.jump = Some(Jump {
            to: at,
            from: self.run.sim_time(),
            then_play,
        });
    }

    /// Re-simulates up to `rounds` rounds of the jump under way (a page spreads a
    /// long one over frames, and shows how far it got), and ends it on arrival.
    fn rewind(&mut self, rounds: u32) {
        let Some(jump) = self.jump else {
            return;
        };
        let interval = self.run.sim().config().node.interval_ms as f64;
        for _ in 0..rounds {
            if self.run.sim_time() >= jump.to {
                break;
            }
            // Round by round; a scenario's pause on an Ack stops one early, and the
            // next goes on past it.
            let round_end = ((self.run.sim_time() / interval).floor() + 1.0) * interval;
            self.advance_to(round_end.min(jump.to));
        }
        if self.run.sim_time() >= jump.to {
            self.jump = None;
            self.view.opened = None;
            self.select(self.view.selected);
            self.run.follow_config();
            self.playing = jump.then_play;
        }
    }

    /// Re-simulates the jump under way round by round while `go_on` says so (a
    /// frame's time budget); true once it has arrived.
    pub fn rewind_while(&mut self, mut go_on: impl FnMut() -> bool) -> bool {
        while self.jump.is_some() && go_on() {
            self.rewind(1);
        }
        self.jump.is_none()
    }

    /// How far the jump under way has come, 0 to 1; `None` if there is none.
    pub fn rewinding(&self) -> Option<f64> {
        let jump = self.jump?;
        let span = jump.to - jump.from;
        Some(if span > 0.0 {
            (self.run.sim_time() - jump.from) / span
        } else {
            1.0
        })
    }

    /// Adds the actions of a link's run code (`run_code.rs`) to the run, to happen
    /// on time; an error leaves the run as it was.
    pub fn schedule(&mut self, code: &str) -> Result<(), String> {
        self.run.schedule(code)
    }

    /// The user's actions as a link's run code; `None` if they do not fit in one.
    pub fn run_code(&self) -> Option<String> {
        self.run.run_code()
    }

    /// The run so far as a scenario file ([`Run::save`]).
    pub fn save(&self) -> String {
        self.run.save()
    }

    /// The run's trace hash so far, as `gossip-sim` prints it.
    pub fn trace_hash(&self) -> u64 {
        self.run.sim().trace_hash()
    }

    /// The present, in simulated ms: how far the run has gone (the timeline's end).
    pub fn present(&self) -> f64 {
        self.timeline.frontier()
    }

    /// The timeline's marks, in time order.
    pub fn marks(&self) -> &[Mark] {
        self.timeline.marks()
    }

    /// How many checkpoints the timeline keeps, and how far apart (ms).
    pub fn checkpoints(&self) -> (usize, Millis) {
        self.timeline.checkpoints()
    }

    /// The settings, as the controls and the URL show them.
    pub fn settings(&self) -> &Settings {
        &self.run.settings
    }

    /// What the user looks at.
    pub fn view(&self) -> &View {
        &self.view
    }

    /// The key looked up, and the replication factor.
    pub fn key(&self) -> (&str, usize) {
        (&self.view.lookup.key, self.view.lookup.rf)
    }

    /// The looked-up key on `ring`, if a key is given.
    pub fn lookup(&self, ring: &Ring) -> Option<Lookup> {
        let (key, rf) = self.key();
        (!key.is_empty()).then(|| look_up(ring, key, rf))
    }

    /// The message open in the exchange inspector.
    pub fn opened(&self) -> Option<&Opened> {
        self.view.opened.as_ref()
    }

    /// The simulator.
    pub fn sim(&self) -> &gossip_core::sim::Simulator<gossip_heartbeat::Node> {
        self.run.sim()
    }

    /// Simulated time in fractional milliseconds.
    pub fn sim_time(&self) -> f64 {
        self.run.sim_time()
    }

    /// True while time runs; during a jump, whether it will run on arrival.
    pub fn playing(&self) -> bool {
        self.jump.map_or(self.playing, |jump| jump.then_play)
    }

    /// The node whose view is shown.
    pub fn selected(&self) -> NodeId {
        self.view.selected
    }

    /// What the colours show.
    pub fn color_mode(&self) -> ColorMode {
        self.view.color_mode
    }

    /// True while a partition is in force.
    pub fn partitioned(&self) -> bool {
        self.run.sim().is_partitioned()
    }

    /// The scenario's title and latest caption, if one is playing, and whether it
    /// has ended.
    pub fn scenario(&self) -> Option<(&str, Option<&str>, bool)> {
        self.run.scenario()
    }

    /// What happened, in words.
    pub fn feed(&self) -> &Feed {
        self.run.feed()
    }

    /// Why the last scenario failed, if it did.
    pub fn error(&self) -> Option<&str> {
        self.run.error.as_deref()
    }

    /// The update being followed.
    pub fn spread(&self) -> Option<&Spread> {
        self.run.spread()
    }

    /// Traffic of the recent rounds, oldest first.
    pub fn traffic(&self) -> &std::collections::VecDeque<RoundTraffic> {
        self.run.traffic()
    }

    /// Detection times (ms) of the last crash so far, by every node that convicted it.
    pub fn last_crash_detections(&self) -> &[Millis] {
        self.run.last_crash_detections()
    }

    /// What the all-to-all heartbeat would cost per round here.
    pub fn all_to_all_per_round(&self) -> RoundTraffic {
        self.run.all_to_all_per_round()
    }

    /// How `id` looks to the selected node, in the current colour mode.
    pub fn seen(&self, id: NodeId) -> Seen {
        if self.view.color_mode == ColorMode::Update {
            let sim = self.run.sim();
            let informed = self.spread().is_some_and(|s| sim.knows(id, s.update));
            return if informed {
                Seen::Informed
            } else {
                Seen::Uninformed
            };
        }
        self.status_seen(id)
    }

    /// How `id` looks to the selected node's failure detector, whatever the colours
    /// show: the observer itself, not heard from yet, alive, suspect, dead or
    /// unknown.
    pub fn status_seen(&self, id: NodeId) -> Seen {
        let observer = self.view.selected;
        if id == observer {
            return Seen::Observer;
        }
        let sim = self.run.sim();
        let Some(node) = sim.nodes().get(observer.0 as usize) else {
            return Seen::Unknown;
        };
        match node.reachability(id, sim.now()) {
            Some((Reachability::Unheard, _)) => Seen::Unheard,
            Some((Reachability::Alive, _)) => Seen::Alive,
            Some((Reachability::Suspect, _)) => Seen::Suspect,
            Some((Reachability::Dead, _)) => Seen::Dead,
            None => Seen::Unknown,
        }
    }
}

#[cfg(test)]
mod tests;
