//! One gossip node as a sans-IO state machine.
//!
//! The driver owns the clock, the network and the random number generator; the node
//! owns nothing but its state. What it wants sent comes back as values, and no input
//! makes it panic: bad bytes, another cluster's messages or absurd generations come
//! back as a [`Rejected`] error and change nothing. Two drivers exist: the simulator
//! ([`gossip_core::sim`]), and `gossip-node`, which runs a node on a UDP socket and gossips
//! its address as a [`Value::Address`], since a real peer must learn where to send.
//!
//! # The contract
//!
//! **Start.** [`Node::boot`] starts a member as Cassandra does: its id, its
//! generation ([`boot_generation`], or [`restart_generation`] after a restart), a
//! [`NodeConfig`] ([`NodeConfig::validate`] says what is refused), its tokens, and
//! STATUS=normal. ([`Node::new`] is a bare node with no state of its own, for tests.)
//!
//! **Inputs**, as they happen:
//! - [`Node::tick`] at [`Node::next_deadline`], with the RNG the peers are drawn
//!   with: one gossip round. It bumps the heartbeat, looks at the failure detectors
//!   whose moment came, evicts the endpoints gone long enough, and returns a Syn for
//!   each peer. The node has no timer of its own besides.
//! - [`Node::handle_bytes`] for every datagram, with the sender's id (from the
//!   transport: the node trusts it for nothing but the reply's address). It returns
//!   the reply, if the message calls for one: an Ack to a Syn, an Ack2 to an Ack.
//!
//! **Commands**, from the operator:
//! - [`Node::set`] changes the node's own state (LOAD, a key...), which gossip
//!   then spreads;
//! - [`Node::leave`] announces STATUS=left; the node gossips [`LEAVE_ROUNDS`] more
//!   rounds, then [`Node::has_left`] says the driver may stop it;
//! - [`Node::reconfigure`] changes its settings and keeps what it knows.
//!
//! **Outputs**, as values: the [`Outgoing`] messages `tick` and `handle_bytes`
//! return ([`Node::encode`] turns one into at most MTU bytes), and
//! [`Node::take_events`], whenever the driver wants to know what the node noticed.
//!
//! **Getters**, at any time: its id, configuration, view, ring, generation and
//! version; how an endpoint looks from here ([`Node::reachability`]); endpoints the
//! full view refused.
//!
//! # The order of calls
//!
//! ```text
//! node = Node::boot(..)
//! loop:
//!     wait for a datagram, or until node.next_deadline()
//!     datagram       → node.handle_bytes(..), send the reply it returns
//!     deadline came  → stop if node.has_left(), else send what node.tick(..) returns
//!     node.take_events() for the driver's own reports
//! ```
//!
//! A driver that ticks late is noticed: a tick more than
//! [`DetectorConfig::max_local_pause_ms`] later than its interval is a pause of the
//! node's own, and it convicts nobody for that long after.
//!
//! # Time
//!
//! `now` is the driver's clock in milliseconds since any epoch it likes (a boot,
//! the Unix epoch), the same for every call, and never going back. The node uses it
//! only for durations: heartbeat gaps, the news window, eviction, quarantine. A
//! generation is another clock: Cassandra's boot time in whole seconds since the
//! Unix epoch, fixed at the start; a restarted node must come back with a larger
//! one. The one place they meet is the corrupt-generation check, which refuses a
//! generation more than a year ahead of `now / 1000`: a driver whose `now` is not
//! Unix milliseconds should give generations in the same seconds as its `now`.
//!
//! # Cost
//!
//! A steady tick costs O(fanout × MTU) plus the detectors that fell due: conviction
//! is scheduled (`schedule.rs`), peers are drawn from the view without listing it,
//! and news is kept apart (`news.rs`). Only the first tick after a change of
//! membership (a conviction, a recovery, a STATUS, an endpoint learned or evicted)
//! walks the view once, to count the live and unreachable endpoints.
//!
//! Why this file runs past 600 lines: the contract's doc above, the node's state and
//! the rules that share its private fields (applying deltas, judging detectors,
//! eviction), and 180 lines of tests; what stands alone is apart (`config`, `events`,
//! `lifecycle`, `member`, and the crate's `exchange`, `detector`, `schedule`, `news`).

mod config;
mod events;
mod lifecycle;
mod member;

pub use config::{
    DEFAULT_MAX_ENDPOINTS, INTERVALS_MS, MAX_EVICT_AFTER_MS, MAX_FANOUT, MAX_GENERATION_AHEAD_SECS,
    MAX_TOKENS_PER_NODE, MIN_MTU, Mode, NodeConfig, NodeConfigError, Protocol,
};
pub use events::{Outgoing, Rejected};
pub use gossip_core::contract::{NodeEvent, Reachability, ValueTooLarge};
pub use lifecycle::{BootError, LEAVE_ROUNDS, boot_generation, restart_generation};

use alloc::vec::Vec;

use rand::RngCore;

#[cfg(doc)]
use crate::detector::DetectorConfig;
use crate::detector::{Cutoffs, Detector, Level};
use crate::exchange::{self, Budget};
use crate::message::{Delta, Message};
use crate::news::News;
use crate::peers::{self, Candidates, ViewPool};
use crate::ring::Ring;
use crate::schedule::Schedule;
use crate::state::{EndpointState, Generation, Status, Value, Version, Versioned};
use crate::view::ClusterView;
use crate::wire::{self, FRAME_OVERHEAD};
use gossip_core::lookup::LookupMap;
use gossip_core::{Millis, NodeId};

/// One member of the cluster.
#[derive(Debug, Clone)]
pub struct Node {
    id: NodeId,
    config: NodeConfig,
    view: ClusterView,
    /// The version counter shared by the heartbeat and the application state.
    version: Version,
    /// Where the digest rotation stopped last round.
    cursor: usize,
    /// The refresh period, as of the last round ([`Node::refresh_ms`]).
    refresh_ms: Millis,
    /// The normal model's suspect level and threshold in standard deviations.
    cutoffs: Cutoffs,
    /// When it was created: its first deadline.
    created_at: Millis,
    /// When this node last ticked, to notice pauses of its own.
    last_tick: Option<Millis>,
    /// When a pause of its own was last noticed; it convicts nobody for a while.
    paused_at: Option<Millis>,
    /// When each endpoint's detector next needs a look.
    schedule: Schedule,
    /// The live and the unreachable endpoints of the view, counted when first needed
    /// after a change of either (a conviction, a heartbeat after one, a STATUS, an
    /// endpoint learned or evicted): a steady round counts nothing.
    census: Option<Census>,
    /// Which endpoints had news (a change other than a heartbeat), and when.
    news: News,
    /// The last Syn page and when it was built, for forwarding fresh news.
    page: Vec<crate::message::Digest>,
    page_at: Option<Millis>,
    /// Removed identities: endpoint → (generation, max version, remembered until).
    tombstones: LookupMap<NodeId, (Generation, Version, Millis)>,
    /// What happened since the driver last asked; the first `events_read` of them
    /// were given out one at a time ([`gossip_core::Member::poll_event`]).
    events: Vec<NodeEvent>,
    events_read: usize,
    /// What it wants sent, last first, for [`gossip_core::Member::poll_transmit`]:
    /// a plain `Vec` popped from its end, since the driver drains it after every
    /// input (a queue type would cost the page its code).
    outbox: Vec<Outgoing>,
    /// Endpoints refused because the view was full (`max_endpoints`).
    endpoints_refused: u64,
    /// Once leaving, the rounds it still gossips ([`Node::leave`]).
    leaving: Option<u32>,
}

/// How many endpoints of the view are live, and how many unreachable: the two pools
/// Cassandra draws peers from.
#[derive(Debug, Clone, Copy)]
struct Census {
    live: usize,
    unreachable: usize,
}

impl Node {
    /// A bare node in `generation`, knowing only itself (and its seeds through its
    /// configuration), with no STATUS or TOKENS yet: a member starts with
    /// [`Node::boot`].
    pub fn new(
        id: NodeId,
        generation: Generation,
        config: NodeConfig,
        now: Millis,
    ) -> Result<Self, NodeConfigError> {
        config.validate()?;
        let mut view = ClusterView::default();
        view.get_or_insert(id, generation);
        let cutoffs = Cutoffs::new(&config.detector, config.interval_ms);
        Ok(Self {
            id,
            refresh_ms: config.interval_ms,
            config,
            view,
            version: 0,
            cursor: 0,
            cutoffs,
            created_at: now,
            last_tick: None,
            paused_at: None,
            schedule: Schedule::new(now),
            census: None,
            news: News::default(),
            page: Vec::new(),
            page_at: None,
            tombstones: LookupMap::default(),
            events: Vec::new(),
            events_read: 0,
            outbox: Vec::new(),
            endpoints_refused: 0,
            leaving: None,
        })
    }

    /// This node's id.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// Its configuration.
    pub fn config(&self) -> &NodeConfig {
        &self.config
    }

    /// Changes how this node gossips from now on (fanout, mode, MTU, detector...),
    /// keeping everything it knows. A config that [`NodeConfig::validate`] refuses
    /// changes nothing.
    pub fn reconfigure(&mut self, config: NodeConfig) -> Result<(), NodeConfigError> {
        config.validate()?;
        let rescheduled = config.detector != self.config.detector
            || config.evict_after_ms != self.config.evict_after_ms;
        self.cutoffs = Cutoffs::new(&config.detector, self.refresh_ms);
        self.config = config;
        if rescheduled {
            let epoch = self.last_tick.unwrap_or(0);
            self.reschedule_all(epoch);
        }
        Ok(())
    }

    /// Starts a new schedule at `epoch` with every endpoint's next look on it: after
    /// the detector's settings changed, or when the old epoch's offsets run out.
    fn reschedule_all(&mut self, epoch: Millis) {
        self.schedule = Schedule::new(epoch);
        let ids: Vec<NodeId> = self.view.iter().map(|(id, _)| id).collect();
        for id in ids {
            if let Some((_, detector)) = self.view.entry_mut(id) {
                detector.scheduled = 0;
            }
            self.schedule_look(id, epoch);
        }
    }

    /// Puts `id`'s next look on the schedule: when its detector's level would rise,
    /// or when it is due for eviction (convicted, or gone with STATUS=left, and
    /// silent for the horizon), whichever comes first.
    fn schedule_look(&mut self, id: NodeId, now: Millis) {
        if self.schedule.is_full() {
            let view = &self.view;
            self.schedule
                .drop_stale(|id, mark| view.detector(id).is_some_and(|d| d.scheduled == mark));
        }
        let horizon = self.eviction_horizon();
        let (config, cutoffs) = (&self.config.detector, &self.cutoffs);
        let Some((state, detector)) = self.view.entry_mut(id) else {
            return;
        };
        let rises = detector.rises_at(now, config, cutoffs);
        let gone = (detector.is_convicted() || state.status() == Some(Status::Left))
            .then(|| detector.silence(now))
            .flatten()
            .map(|silence| now.saturating_sub(silence).saturating_add(horizon));
        let at = match (rises, gone) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(at) = at {
            self.schedule.look_by(id, detector, now, at);
        }
    }

    /// How many endpoints gossip introduced that the full view refused
    /// ([`NodeConfig::max_endpoints`]): a driver reports them.
    pub fn endpoints_refused(&self) -> u64 {
        self.endpoints_refused
    }

    /// Its view of the cluster, itself included.
    pub fn view(&self) -> &ClusterView {
        &self.view
    }

    /// Its copy of the hash ring.
    pub fn ring(&self) -> Ring {
        Ring::from_view(&self.view)
    }

    /// Its generation.
    pub fn generation(&self) -> Generation {
        self.view.get(self.id).map_or(0, |s| s.generation())
    }

    /// Its version counter: the version of its newest state.
    pub fn version(&self) -> Version {
        self.version
    }

    /// Sets a piece of this node's own state (STATUS, TOKENS, LOAD or a user key),
    /// which gossip then spreads. Returns the version it was given.
    pub fn set(&mut self, value: Value, now: Millis) -> Result<Version, ValueTooLarge> {
        let len = wire::encoded_len(&Versioned {
            value: value.clone(),
            version: Version::MAX,
        });
        let max = self.config.max_entry_len();
        if len > max {
            return Err(ValueTooLarge { len, max });
        }
        Ok(self.set_own(value, now))
    }

    /// Sets a value of its own state in the next version, checked to fit or known
    /// to (the heartbeat, STATUS).
    fn set_own(&mut self, value: Value, now: Millis) -> Version {
        self.version = self.version.saturating_add(1);
        let (id, generation, version) = (self.id, self.generation(), self.version);
        let (state, _) = self.view.get_or_insert(id, generation);
        if state.set(value, version).news {
            self.news.record(id, now);
        }
        version
    }

    /// The news window for messages built at `now`: 0 when nothing in the view can
    /// be news any more (the newest news is older than the window), so that building
    /// a message need not look for any.
    fn news_window(&self, now: Millis) -> Millis {
        let window = self.config.news_window_ms;
        match self.news.latest() {
            Some(at) if now.saturating_sub(at) < window => window,
            _ => 0,
        }
    }

    /// Takes `states` as this node's knowledge of those endpoints, already settled:
    /// not news. How a simulator starts from a cluster that converged long ago,
    /// without replaying the gossip that got it there. Skips the node itself.
    pub(crate) fn adopt_all(&mut self, states: &[(NodeId, EndpointState)]) {
        self.view.reserve(states.len());
        // A sixteenth more than one entry each: room for the stale entries between
        // two drops ([`Schedule::drop_stale`]).
        self.schedule.reserve(states.len() + states.len() / 16);
        for (id, state) in states.iter().filter(|(id, _)| *id != self.id) {
            self.view.insert(*id, state.clone());
        }
        self.census = None;
    }

    /// Encodes a message of this node's cluster.
    pub fn encode(&self, message: &Message) -> Vec<u8> {
        wire::encode(self.config.cluster, message)
    }

    /// Encodes a message of this node's cluster into `buffer`, reusing its room.
    pub fn encode_into(&self, message: &Message, buffer: Vec<u8>) -> Vec<u8> {
        wire::encode_into(self.config.cluster, message, buffer)
    }

    /// What the all-to-all baseline sends every endpoint each round: this node's
    /// whole state, in one Ack2.
    pub fn whole_state(&self) -> Option<Message> {
        let own = self.view.get(self.id)?;
        let whole = Delta {
            endpoint: self.id,
            generation: own.generation(),
            from: 0,
            through: own.max_version(),
            entries: own.entries().collect(),
        };
        Some(Message::Ack2 {
            deltas: alloc::vec![whole],
        })
    }

    /// The baseline that gossip replaces: bump the heartbeat and send this node's
    /// whole state straight to every endpoint it knows, N − 1 messages a round from
    /// every node. Same detector, so detection times compare directly.
    pub(crate) fn tick_all_to_all(&mut self, now: Millis) -> Vec<Outgoing> {
        if self.has_left() {
            return Vec::new();
        }
        self.count_leaving_round();
        self.set_own(Value::Heartbeat, now);
        self.judge_due(now);
        let Some(whole) = self.whole_state() else {
            return Vec::new();
        };
        self.view
            .iter()
            .filter(|&(id, state)| id != self.id && state.status() != Some(Status::Left))
            .map(|(to, _)| Outgoing {
                to,
                message: whole.clone(),
            })
            .collect()
    }

    /// When the driver should call [`Node::tick`] next: one interval after the last
    /// tick. Before the first, the moment it was created: a driver may start later,
    /// at a random moment of the interval, since nodes started together should not
    /// gossip in lockstep.
    pub fn next_deadline(&self) -> Millis {
        self.last_tick.map_or(self.created_at, |last| {
            last.saturating_add(self.config.interval_ms)
        })
    }

    /// One gossip round: bump the heartbeat, judge the detectors that fell due,
    /// choose peers by Cassandra's rule, and open an exchange with each. Nothing once
    /// the node [`has_left`](Node::has_left).
    pub fn tick(&mut self, now: Millis, rng: &mut impl RngCore) -> Vec<Outgoing> {
        if self.has_left() {
            return Vec::new();
        }
        self.count_leaving_round();
        self.set_own(Value::Heartbeat, now);
        self.refresh_ms = self.expected_refresh_ms();
        self.cutoffs.set_refresh(self.refresh_ms);
        self.judge_due(now);
        let (me, view) = (self.id, &self.view);
        let Census { live, unreachable } = *self.census.get_or_insert_with(|| {
            let (live, unreachable) = ViewPool::count(view, me);
            Census { live, unreachable }
        });
        let candidates = Candidates {
            live: &ViewPool::new(view, me, false, live),
            unreachable: &ViewPool::new(view, me, true, unreachable),
            seeds: &self.config.seeds,
            me,
        };
        let peers = peers::choose(&candidates, self.config.fanout, rng);
        if peers.is_empty() {
            return Vec::new();
        }
        let (budget, window) = (self.budget(), self.news_window(now));
        let news = &self.news;
        let digests = exchange::syn_page(
            &self.view,
            self.id,
            &peers,
            &mut self.cursor,
            news.newest_first(now, window),
            |id| news.is_news(id, now, window),
            budget,
        );
        if self.config.forward_news {
            self.page.clone_from(&digests);
            self.page_at = Some(now);
        }
        peers
            .into_iter()
            .map(|to| Outgoing {
                to,
                message: Message::Syn {
                    digests: digests.clone(),
                },
            })
            .collect()
    }

    /// The refresh period: how often gossip can be expected to bring this node a
    /// given endpoint's heartbeat, which its detectors learn gaps against
    /// ([`Detector::heartbeat`]).
    ///
    /// A Syn carries one MTU's page of digests, and the pages rotate through the view
    /// (`exchange::syn_page`). While one page holds the whole view, every round
    /// refreshes every endpoint, as in Cassandra, whose Syn carries every digest over
    /// TCP: the period is one interval. A larger view takes ⌈N / page⌉ rounds to go
    /// round, so a heartbeat arrives that much less often: at 10,000 endpoints and
    /// 1,400 B a page holds about 270 digests, the period is 37 s, and the gaps the
    /// detectors measure average 60 s (an Ack answers only part of a page). A
    /// detector that expected one a second would convict live nodes. Updated each
    /// round, as the view grows.
    pub fn refresh_ms(&self) -> Millis {
        self.refresh_ms
    }

    /// The refresh period for the view as it is now: the interval times the rounds
    /// a rotation of pages takes, a page being as many digests as this node's own.
    fn expected_refresh_ms(&self) -> Millis {
        let digest = self
            .view
            .digest(self.id)
            .map_or(1, |d| wire::encoded_len(&d));
        let page = (self.budget().0 / digest.max(1)).max(1);
        let rounds = self.view.len().div_ceil(page).max(1);
        self.config
            .interval_ms
            .saturating_mul(Millis::try_from(rounds).unwrap_or(Millis::MAX))
    }

    /// How long a convicted or departed endpoint must stay silent to be evicted:
    /// [`NodeConfig::evict_after_ms`], or the longest gap a detector still learns
    /// as normal if that is longer. In a cluster whose pages take minutes to go
    /// round, a live endpoint may be silent that long; evicted, it would come back
    /// as news that crowds out the heartbeats, and tables would collapse.
    fn eviction_horizon(&self) -> Millis {
        let longest_gap = self
            .refresh_ms
            .saturating_mul(Millis::from(self.config.detector.max_gap_refreshes));
        self.config.evict_after_ms.max(longest_gap)
    }

    /// Judges the endpoints whose moment came: suspects or convicts those whose
    /// detector rose a level, and evicts those gone long enough, as Cassandra's
    /// status check looks at every endpoint each round; unless this node was itself
    /// just paused: then the silence is its own fault, and the judging waits.
    fn judge_due(&mut self, now: Millis) {
        let pause = self.config.detector.max_local_pause_ms;
        let late = self.config.interval_ms.saturating_add(pause);
        if self
            .last_tick
            .is_some_and(|last| now.saturating_sub(last) > late)
        {
            self.paused_at = Some(now);
        }
        self.last_tick = Some(now);
        if self
            .paused_at
            .is_some_and(|at| now.saturating_sub(at) < pause)
        {
            return;
        }
        if self.schedule.needs_new_epoch(now) {
            self.reschedule_all(now);
        }
        let (config, cutoffs) = (self.config.detector, self.cutoffs);
        let horizon = self.eviction_horizon();
        while let Some((endpoint, mark)) = self.schedule.pop_due(now) {
            let Some((state, detector)) = self.view.entry_mut(endpoint) else {
                continue;
            };
            if detector.scheduled != mark {
                continue;
            }
            detector.scheduled = 0;
            if let Some(level) = detector.interpret(now, &config, &cutoffs) {
                let phi = detector.phi(now, &config, &cutoffs);
                self.events.push(match level {
                    Level::Convicted => NodeEvent::Convicted { endpoint, phi },
                    _ => NodeEvent::Suspected { endpoint, phi },
                });
                if level == Level::Convicted {
                    self.census = None;
                }
            }
            if expired(state, detector, now, horizon) {
                self.evict(endpoint, now);
            } else {
                self.schedule_look(endpoint, now);
            }
        }
        self.tombstones.retain(|_, &mut (_, _, until)| until > now);
        self.news.prune(now, self.config.news_window_ms);
    }

    /// Removes `id` from the view, and remembers its identity until the quarantine
    /// ends.
    fn evict(&mut self, id: NodeId, now: Millis) {
        let Some(state) = self.view.remove(id) else {
            return;
        };
        let (generation, version) = (state.generation(), state.max_version());
        let until = now.saturating_add(self.config.quarantine_ms);
        self.tombstones.insert(id, (generation, version, until));
        self.news.forget(id);
        self.census = None;
        self.events
            .push(NodeEvent::Evicted(id, generation, version));
    }

    /// What happened since the last call, oldest first.
    pub fn take_events(&mut self) -> Vec<NodeEvent> {
        let read = core::mem::take(&mut self.events_read);
        let mut events = core::mem::take(&mut self.events);
        events.drain(..read.min(events.len()));
        events
    }

    /// The mean gap each endpoint's detector has learned between its heartbeat
    /// advances, in milliseconds, for every other endpoint heard from: how often
    /// gossip actually brings this node each heartbeat, against the
    /// [`refresh_ms`](Node::refresh_ms) it expects.
    pub fn learned_gaps(&self) -> impl Iterator<Item = (NodeId, f64)> + '_ {
        self.view
            .iter_detectors()
            .filter(|&(id, _)| id != self.id)
            .filter_map(|(id, detector)| Some((id, detector.mean_ms()?)))
    }

    /// How `id` looks from here at `now`, with its phi; `None` for unknown endpoints
    /// and for this node itself.
    pub fn reachability(&self, id: NodeId, now: Millis) -> Option<(Reachability, f64)> {
        let detector = self.view.detector(id).filter(|_| id != self.id)?;
        let phi = detector.phi(now, &self.config.detector, &self.cutoffs);
        let seen = if detector.mean_ms().is_none() {
            Reachability::Unheard
        } else if detector.is_convicted() {
            Reachability::Dead
        } else if phi > self.config.detector.suspect_level() {
            Reachability::Suspect
        } else {
            Reachability::Alive
        };
        Some((seen, phi))
    }

    /// Handles a datagram from `from` that arrived at local time `now`.
    pub fn handle_bytes(
        &mut self,
        from: NodeId,
        bytes: &[u8],
        now: Millis,
    ) -> Result<Option<Outgoing>, Rejected> {
        let (cluster, message) = wire::decode(bytes).map_err(Rejected::Decode)?;
        if cluster != self.config.cluster {
            return Err(Rejected::WrongCluster {
                ours: self.config.cluster,
                theirs: cluster,
            });
        }
        self.handle(from, message, now)
    }

    /// Handles a decoded message of this node's cluster; returns the reply it calls
    /// for, if any.
    pub fn handle(
        &mut self,
        from: NodeId,
        message: Message,
        now: Millis,
    ) -> Result<Option<Outgoing>, Rejected> {
        self.check_generations(&message, now)?;
        let reply = match message {
            Message::Syn { digests } => {
                let flows = match self.config.mode {
                    Mode::Push => (false, true),
                    Mode::Pull => (true, false),
                    Mode::PushPull => (true, true),
                };
                let (window, news) = (self.news_window(now), &self.news);
                let (deltas, requests) = exchange::answer_syn(
                    &self.view,
                    self.id,
                    digests,
                    news.newest_first(now, window),
                    |id| news.is_news(id, now, window),
                    flows,
                    self.budget(),
                );
                Some(Message::Ack { deltas, requests })
            }
            Message::Ack { deltas, requests } => {
                self.apply(&deltas, now);
                let fresh = self.fresh_news(&deltas);
                let deltas =
                    exchange::answer_requests(&self.view, &requests, &fresh, self.budget());
                (!deltas.is_empty()).then_some(Message::Ack2 { deltas })
            }
            Message::Ack2 { deltas } => {
                self.apply(&deltas, now);
                None
            }
        };
        Ok(reply.map(|message| Outgoing { to: from, message }))
    }

    /// With [`NodeConfig::forward_news`], the news learned since the last Syn page
    /// that the peer, whose Ack carried `sent`, lacks: `(endpoint, from)`.
    fn fresh_news(&self, sent: &[Delta]) -> Vec<(NodeId, Version)> {
        let Some(page_at) = self.page_at.filter(|_| self.config.forward_news) else {
            return Vec::new();
        };
        self.news
            .since(page_at)
            .filter(|&id| sent.iter().all(|d| d.endpoint != id))
            .filter_map(|id| {
                let state = self.view.get(id)?;
                let from = self
                    .page
                    .iter()
                    .find(|d| d.endpoint == id && d.generation == state.generation())
                    .map_or(0, |d| d.max_version);
                (state.max_version() > from).then_some((id, from))
            })
            .collect()
    }

    fn apply(&mut self, deltas: &[Delta], now: Millis) {
        for delta in deltas {
            // A node is the only authority on itself; and a delta that does not start
            // from nothing cannot introduce an endpoint.
            let known_generation = self.view.get(delta.endpoint).map(|s| s.generation());
            let known = known_generation.is_some();
            if delta.endpoint == self.id || (!known && delta.from != 0) {
                continue;
            }
            if !known {
                if self.view.len() >= self.config.max_endpoints {
                    self.endpoints_refused += 1;
                    continue;
                }
                // A removed identity stays out, unless it restarted (a newer
                // generation) or has clearly lived on since (proof_of_life_versions).
                if let Some(&(generation, version, _)) = self.tombstones.get(&delta.endpoint) {
                    let alive = version.saturating_add(self.config.proof_of_life_versions);
                    if delta.generation < generation
                        || (delta.generation == generation && delta.through < alive)
                    {
                        continue;
                    }
                    self.tombstones.remove(&delta.endpoint);
                }
                self.events.push(NodeEvent::Learned(
                    delta.endpoint,
                    delta.generation,
                    delta.through,
                ));
            }
            let (state, detector) = self.view.get_or_insert(delta.endpoint, delta.generation);
            let (status, convicted) = (state.status(), detector.is_convicted());
            let applied = state.apply(delta);
            let restarted = known_generation.is_some_and(|g| g < state.generation());
            if restarted {
                // A new life: what was learned of the old one's heartbeats is void.
                detector.restart();
                self.events
                    .push(NodeEvent::Restarted(delta.endpoint, state.generation()));
            }
            // Any advance is a sign of life, as in Cassandra's failure detector.
            if applied.heartbeat || applied.news {
                detector.heartbeat(now, &self.config.detector, self.refresh_ms);
            }
            let leaving = Value::Status(Status::Left);
            let left = state.status() == Some(Status::Left);
            if applied.news && left && delta.entries.iter().any(|e| e.value == leaving) {
                self.events.push(NodeEvent::Left(delta.endpoint));
            }
            if convicted && !detector.is_convicted() {
                self.events.push(NodeEvent::Alive(delta.endpoint));
            }
            if applied.news {
                self.events
                    .push(NodeEvent::Changed(delta.endpoint, state.max_version()));
            }
            if !known || convicted || status != state.status() {
                self.census = None;
            }
            if applied.heartbeat || applied.news {
                self.schedule_look(delta.endpoint, now);
            }
            if applied.news {
                self.news.record(delta.endpoint, now);
            }
        }
    }

    /// Cassandra rejects a generation more than a year ahead of local time as corrupt.
    fn check_generations(&self, message: &Message, now: Millis) -> Result<(), Rejected> {
        let limit = Generation::try_from((now / 1000).saturating_add(MAX_GENERATION_AHEAD_SECS))
            .unwrap_or(Generation::MAX);
        let corrupt = |endpoint: NodeId, generation: Generation| {
            (generation > limit).then_some(Rejected::GenerationTooFarAhead {
                endpoint,
                generation,
            })
        };
        let in_deltas = |deltas: &[Delta]| {
            deltas
                .iter()
                .find_map(|d| corrupt(d.endpoint, d.generation))
        };
        let found = match message {
            Message::Syn { digests } => digests
                .iter()
                .find_map(|d| corrupt(d.endpoint, d.generation)),
            Message::Ack { deltas, requests } => in_deltas(deltas).or_else(|| {
                requests
                    .iter()
                    .find_map(|r| corrupt(r.endpoint, r.generation))
            }),
            Message::Ack2 { deltas } => in_deltas(deltas),
        };
        found.map_or(Ok(()), Err)
    }

    fn budget(&self) -> Budget {
        Budget(self.config.mtu - FRAME_OVERHEAD)
    }
}

/// Dead (convicted) or gone (STATUS=left), and silent for the `horizon`.
fn expired(state: &EndpointState, detector: &Detector, now: Millis, horizon: Millis) -> bool {
    let gone = detector.is_convicted() || state.status() == Some(Status::Left);
    gone && detector
        .silence(now)
        .is_some_and(|silence| silence >= horizon)
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;
    use alloc::vec;

    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::message::Digest;
    use crate::wire::{ClusterId, DecodeError};

    fn node(id: u32) -> Node {
        Node::new(
            NodeId(id),
            1,
            NodeConfig {
                seeds: vec![NodeId(0)],
                ..NodeConfig::default()
            },
            0,
        )
        .unwrap()
    }

    /// A and B run one full exchange by bytes; returns the bytes sent.
    fn exchange(a: &mut Node, b: &mut Node, now: Millis, rng: &mut ChaCha8Rng) -> Vec<usize> {
        let mut sizes = Vec::new();
        for syn in a.tick(now, rng) {
            assert_eq!(syn.to, b.id());
            let bytes = a.encode(&syn.message);
            sizes.push(bytes.len());
            let Some(ack) = b.handle_bytes(a.id(), &bytes, now).unwrap() else {
                continue;
            };
            let bytes = b.encode(&ack.message);
            sizes.push(bytes.len());
            if let Some(ack2) = a.handle_bytes(b.id(), &bytes, now).unwrap() {
                let bytes = a.encode(&ack2.message);
                sizes.push(bytes.len());
                assert_eq!(b.handle_bytes(a.id(), &bytes, now).unwrap(), None);
            }
        }
        sizes
    }

    #[test]
    fn a_joining_node_and_its_seed_learn_everything_of_each_other() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut seed = node(0);
        let mut joiner = node(1);
        seed.set(Value::Tokens(vec![10, 20]), 0).unwrap();
        joiner.set(Value::Tokens(vec![15]), 0).unwrap();
        joiner.set(Value::Status(Status::Joining), 0).unwrap();
        let sizes = exchange(&mut joiner, &mut seed, 1, &mut rng);
        assert_eq!(sizes.len(), 3, "Syn, Ack and Ack2");
        for n in [&seed, &joiner] {
            assert_eq!(n.view().len(), 2);
            assert_eq!(n.ring().owner(12), Some(NodeId(1)));
            assert_eq!(n.ring().owner(21), Some(NodeId(0)), "wraps around");
        }
        assert_eq!(
            seed.view().get(NodeId(1)).unwrap().status(),
            Some(Status::Joining)
        );
    }

    #[test]
    fn rejects_other_clusters_garbage_and_absurd_generations() {
        let mut a = node(0);
        let other = Node::new(
            NodeId(5),
            1,
            NodeConfig {
                cluster: ClusterId(9),
                ..NodeConfig::default()
            },
            0,
        )
        .unwrap();
        let syn = Message::Syn { digests: vec![] };
        assert_eq!(
            a.handle_bytes(NodeId(5), &other.encode(&syn), 0),
            Err(Rejected::WrongCluster {
                ours: ClusterId(0),
                theirs: ClusterId(9)
            })
        );
        assert_eq!(
            a.handle_bytes(NodeId(5), b"hello", 0),
            Err(Rejected::Decode(DecodeError::BadMagic))
        );
        let absurd = Message::Syn {
            digests: vec![Digest {
                endpoint: NodeId(3),
                generation: u32::MAX,
                max_version: 1,
            }],
        };
        let err = a.handle(NodeId(5), absurd, 10_000).unwrap_err();
        assert!(err.to_string().contains("more than a year ahead"), "{err}");
        assert_eq!(
            a.view().len(),
            1,
            "nothing was learned from rejected messages"
        );
    }

    #[test]
    fn nobody_else_can_rewrite_a_nodes_own_state() {
        let mut a = node(0);
        a.set(Value::Load(5), 0).unwrap();
        let forged = Delta {
            endpoint: NodeId(0),
            generation: 2,
            from: 0,
            through: 100,
            entries: tinyvec::tiny_vec![Versioned {
                value: Value::Load(999),
                version: 100,
            }],
        };
        a.handle(
            NodeId(3),
            Message::Ack2 {
                deltas: vec![forged],
            },
            1,
        )
        .unwrap();
        let own = a.view().get(NodeId(0)).unwrap();
        assert_eq!((own.generation(), own.max_version()), (1, 1));
        assert_eq!(
            own.find(&Value::Load(0)).map(|e| e.value),
            Some(Value::Load(5))
        );
    }

    #[test]
    fn values_too_large_for_the_mtu_are_refused() {
        let mut a = node(0);
        let huge = Value::User {
            key: "k".into(),
            value: "x".repeat(2000),
        };
        let err = a.set(huge, 0).unwrap_err();
        assert!(err.len > err.max);
        assert_eq!(a.version(), 0, "nothing was set");
    }

    #[test]
    fn config_is_validated() {
        let bad = NodeConfig {
            mtu: 100,
            ..NodeConfig::default()
        };
        assert_eq!(
            Node::new(NodeId(0), 1, bad, 0).unwrap_err(),
            NodeConfigError::Mtu(100)
        );
        let bad = NodeConfig {
            fanout: 0,
            ..NodeConfig::default()
        };
        assert_eq!(
            Node::new(NodeId(0), 1, bad, 0).unwrap_err(),
            NodeConfigError::Fanout(0)
        );
        let bad = NodeConfig {
            evict_after_ms: MAX_EVICT_AFTER_MS + 1,
            ..NodeConfig::default()
        };
        assert_eq!(
            Node::new(NodeId(0), 1, bad, 0).unwrap_err(),
            NodeConfigError::EvictAfter(MAX_EVICT_AFTER_MS + 1)
        );
    }
}
