//! A seeded, deterministic simulator of a whole cluster and the network between its
//! nodes. One [`SimConfig`] (seed included) reproduces a run exactly, natively and in
//! wasm; [`Simulator::trace_hash`] fingerprints it.
//!
//! The simulator is a driver like any other: it owns the clock and the network, and
//! runs any protocol through the contract ([`Member`]): it calls
//! [`Member::handle_timeout`] when a member's [`Member::poll_timeout`] comes and
//! [`Member::handle_datagram`] when a message arrives, and carries the bytes
//! [`Member::poll_transmit`] writes, so the sizes it reports are real.
//!
//! Why this file runs past 600 lines: it is the one `Simulator` type and its every
//! operation, which share its private state; what stands alone is apart (`config`,
//! `queue`, `tally`, `trace`, `distribution`). The network (loss, latency, links,
//! sides) is the next part to move out, as a `Network` of its own (ARCHITECTURE.md,
//! "Not yet").

mod config;
mod queue;
mod trace;

use alloc::collections::VecDeque;
use alloc::vec;
use alloc::vec::Vec;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub use crate::contract::Update;
pub use config::{
    Bootstrap, ConfigError, DEFAULT_JITTER_MS, DEFAULT_LATENCY_MS, DEFAULT_TIMING, Link, MAX_NODES,
    PPM, SimConfig, Timing, loss_percent, loss_ppm,
};
pub use queue::Envelope;
pub use trace::Trace;

use crate::contract::{
    Life, Member, MemberConfig, NodeEvent, Reachability, Transmit, ValueTooLarge,
};
use crate::lookup::LookupMap;
use crate::measure::{Down, Tally, Truth};
use crate::{Millis, NodeId};
use queue::{Agenda, Event};

/// A node's event, with when it happened and which node noticed it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Logged {
    /// When.
    pub at: Millis,
    /// The node that noticed it.
    pub by: NodeId,
    /// What it noticed.
    pub event: NodeEvent,
}

/// The side of each of `nodes` nodes when the network splits into `groups`: group
/// `i` on side `i + 1`, and the nodes in no group together on side 0.
pub fn sides(groups: &[Vec<NodeId>], nodes: usize) -> Vec<u32> {
    let mut side = vec![0; nodes];
    for (number, group) in (1..).zip(groups) {
        for id in group {
            if let Some(s) = side.get_mut(id.0 as usize) {
                *s = number;
            }
        }
    }
    side
}

/// Traffic counted since the start of the run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Messages sent, lost ones included.
    pub messages: u64,
    /// Bytes sent, lost ones included.
    pub bytes: u64,
    /// Messages the network dropped.
    pub lost: u64,
    /// Messages a node rejected (never expected between honest nodes).
    pub rejected: u64,
    /// The largest message sent, in bytes.
    pub max_message_bytes: usize,
    /// Messages longer than the MTU in force when they were sent: never expected,
    /// since every message is built within it (a soak's invariant).
    pub over_mtu: u64,
    /// Convictions of a node that was up and reachable from the convicting node.
    pub false_convictions: u64,
    /// Identities that came back into a view that had evicted them while really
    /// dead, with nothing newer than what was evicted: ghosts (`tally.rs`).
    pub resurrections: u64,
    /// Messages sent of each kind, by the member's kind index
    /// ([`Member::KINDS`]; Syn, Ack, Ack2 for the heartbeat).
    pub by_kind: [u64; MAX_KINDS],
}

/// The most message kinds a protocol may have: [`Stats::by_kind`] counts this many.
pub const MAX_KINDS: usize = 8;

/// Sizes of the membership tables of the nodes that are up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Members {
    /// Nodes that are up.
    pub live: usize,
    /// The smallest table.
    pub min: usize,
    /// The largest table.
    pub max: usize,
    /// All tables together: the cluster's memory, in entries.
    pub total: usize,
}

/// A running simulation. A clone is an exact checkpoint: it runs on as the original
/// would (its RNG, agenda and every node's state are copied), which is what lets a
/// viewer go back in time by re-simulating from one.
#[derive(Debug, Clone)]
pub struct Simulator<M: Member> {
    config: SimConfig<M::Config>,
    nodes: Vec<M>,
    /// Each node's timer, and what its member last asked for.
    timers: Vec<Timer>,
    rng: ChaCha8Rng,
    now: Millis,
    agenda: Agenda,
    trace: Trace,
    stats: Stats,
    /// Why and since when each node is down, if it is.
    down: Vec<Option<Down>>,
    /// Per-link overrides of loss and latency: (from, to).
    links: LookupMap<(NodeId, NodeId), Link>,
    /// Each node's side of the current partition; all 0 when whole.
    side: Vec<u32>,
    /// When each node last restarted or changed sides, for the tally's echo rule.
    moved_at: Vec<Option<Millis>>,
    /// Detections, false convictions and resurrections, from the nodes' events.
    tally: Tally,
    /// The nodes' events since the driver last took them, if it asked for them.
    log: Option<Vec<Logged>>,
    /// The byte buffers of delivered messages, reused to encode new ones: a round
    /// sends thousands of messages of up to the MTU, and allocating each anew
    /// fragmented the heap (BENCHMARKS.md).
    spare_buffers: SpareBuffers,
    /// The node whose last messages are kept for an inspector, and those messages.
    watched: Option<(NodeId, VecDeque<Envelope>)>,
}

/// A node's timer: when it fires, and the moment its member last asked for
/// ([`Member::poll_timeout`]). The timer follows the member whenever the member
/// changes its ask, after any input or command; a node starts at a random phase of
/// its period, and keeps its phase while it is down and across a restart, as a
/// machine's clock does.
#[derive(Debug, Clone, Copy, Default)]
struct Timer {
    /// When it fires next; an event of the agenda for another moment is stale.
    due: Option<Millis>,
    /// What the member asked for when last asked.
    asked: Option<Millis>,
}

/// Delivered messages' buffers, kept for reuse. A clone starts with none: they hold
/// no state, only capacity, and a checkpoint should not pay for them.
#[derive(Debug, Default)]
struct SpareBuffers(Vec<Vec<u8>>);

impl Clone for SpareBuffers {
    fn clone(&self) -> Self {
        Self::default()
    }
}

/// How many of a watched node's last messages are kept: its last few exchanges.
pub const WATCHED: usize = 12;

impl<M: Member> Simulator<M> {
    /// A cluster of `config.nodes` members booted at time 0, knowing what
    /// `config.bootstrap` says.
    pub fn new(
        config: SimConfig<M::Config>,
    ) -> Result<Self, ConfigError<<M::Config as MemberConfig>::Error>> {
        config.validate()?;
        let config = config.for_run();
        let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
        let mut nodes = Vec::with_capacity(config.nodes as usize);
        for id in (0..config.nodes).map(NodeId) {
            nodes.push(M::boot(id, config.node.clone(), 0, &mut rng).map_err(ConfigError::Member)?);
        }
        if config.bootstrap == Bootstrap::Converged {
            M::converge(&mut nodes);
        }
        let mut sim = Self {
            config: config.clone(),
            nodes,
            timers: Vec::with_capacity(config.nodes as usize),
            rng,
            now: 0,
            agenda: Agenda::default(),
            trace: Trace::default(),
            stats: Stats::default(),
            down: vec![None; config.nodes as usize],
            links: LookupMap::default(),
            side: vec![0; config.nodes as usize],
            moved_at: vec![None; config.nodes as usize],
            tally: Tally::default(),
            log: None,
            spare_buffers: SpareBuffers::default(),
            watched: None,
        };
        for id in (0..sim.config.nodes).map(NodeId) {
            sim.start_timer(id, 0);
        }
        Ok(sim)
    }

    /// Starts a booted node's timer: at a random phase of its period after `now`,
    /// as real nodes boot at different moments (a driver may call a member later
    /// than it asked).
    fn start_timer(&mut self, id: NodeId, now: Millis) {
        let asked = self.nodes.get(id.0 as usize).and_then(Member::poll_timeout);
        self.timers.push(Timer { due: None, asked });
        if let (Some(_), Timing::Continuous { .. }) = (asked, self.config.timing) {
            let phase = self.rng.random_range(0..self.period_ms());
            self.set_timer(id, now + phase);
        }
    }

    /// Sets node `id`'s timer for `at`; the one set before, if any, is stale.
    fn set_timer(&mut self, id: NodeId, at: Millis) {
        if let Some(timer) = self.timers.get_mut(id.0 as usize) {
            timer.due = Some(at);
            self.agenda.push(at, Event::Tick(id));
        }
    }

    /// Moves node `id`'s timer to what its member asks for now, if that changed:
    /// what a driver does after every input. Never to a moment already past, so
    /// that a member is not called twice at one instant; in rounds, members run at
    /// each round and their asks are only noted.
    fn follow_timer(&mut self, id: NodeId) {
        let at = id.0 as usize;
        let (Some(node), Some(timer)) = (self.nodes.get(at), self.timers.get_mut(at)) else {
            return;
        };
        let asked = node.poll_timeout();
        if asked == timer.asked {
            return;
        }
        timer.asked = asked;
        if let (Some(asked), Timing::Continuous { .. }) = (asked, self.config.timing) {
            self.set_timer(id, asked.max(self.now + 1));
        }
    }

    /// The members' period ([`MemberConfig::period_ms`]): a round.
    fn period_ms(&self) -> Millis {
        self.config.node.period_ms()
    }

    /// The name of message kind `kind` ([`Member::KINDS`]), or `"?"` for an index
    /// the protocol does not have.
    pub fn kind_name(kind: u8) -> &'static str {
        M::KINDS.get(usize::from(kind)).copied().unwrap_or("?")
    }

    /// The configuration this run was built from.
    pub fn config(&self) -> &SimConfig<M::Config> {
        &self.config
    }

    /// The simulated clock.
    pub fn now(&self) -> Millis {
        self.now
    }

    /// Completed gossip rounds: whole intervals elapsed.
    pub fn round(&self) -> u64 {
        self.now / self.period_ms()
    }

    /// All nodes, indexed by id.
    pub fn nodes(&self) -> &[M] {
        &self.nodes
    }

    /// Messages on the wire right now, lost ones included.
    pub fn in_flight(&self) -> impl Iterator<Item = &Envelope> {
        self.agenda.in_flight()
    }

    /// Traffic so far, with the false convictions and resurrections counted.
    pub fn stats(&self) -> Stats {
        Stats {
            false_convictions: self.tally.false_convictions(),
            resurrections: self.tally.resurrections(),
            ..self.stats
        }
    }

    /// The fingerprint of every delivery so far.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// Shorthand for `trace().hash()`.
    pub fn trace_hash(&self) -> u64 {
        self.trace.hash()
    }

    /// Runs every event up to and including time `until`, then sets the clock to it.
    /// A time in the past changes nothing: the clock never goes back.
    pub fn advance_to(&mut self, until: Millis) {
        match self.config.timing {
            Timing::Continuous { .. } => {
                while let Some((at, event)) = self.agenda.pop_due(until) {
                    self.now = at;
                    self.run(event);
                }
            }
            Timing::Rounds => {
                let interval = self.period_ms();
                while (self.round() + 1).saturating_mul(interval) <= until {
                    self.now = (self.round() + 1) * interval;
                    self.lockstep_round();
                }
            }
        }
        self.now = self.now.max(until);
    }

    /// Runs `rounds` more gossip intervals.
    pub fn run_rounds(&mut self, rounds: u64) {
        let interval = self.period_ms();
        self.advance_to((self.round() + rounds).saturating_mul(interval));
    }

    /// Has `origin` set `key` to `value` now, and returns the update so that its
    /// spread can be followed with [`Simulator::informed`]. `None` if there is no
    /// such node.
    pub fn set(
        &mut self,
        origin: NodeId,
        key: &str,
        value: &str,
    ) -> Option<Result<Update, ValueTooLarge>> {
        let now = self.now;
        let node = self.nodes.get_mut(origin.0 as usize)?;
        let update = node.set(key, value, now);
        self.drain(origin, &mut Vec::new());
        Some(update)
    }

    /// How many nodes know `update`.
    pub fn informed(&self, update: Update) -> usize {
        self.nodes.iter().filter(|node| node.knows(&update)).count()
    }

    /// Whether node `id` knows `update`.
    pub fn knows(&self, id: NodeId, update: Update) -> bool {
        self.nodes
            .get(id.0 as usize)
            .is_some_and(|node| node.knows(&update))
    }

    /// A datagram from outside the protocol (a corrupt packet, an attacker's) reaches
    /// `to` now, as if from `from`: a member refuses what is not a message of its
    /// own, and the run counts it ([`Stats::rejected`]). The kind it is traced and
    /// counted as is none of the protocol's.
    pub fn inject(&mut self, from: NodeId, to: NodeId, bytes: Vec<u8>) {
        let envelope = Envelope {
            from,
            to,
            sent_at: self.now,
            arrives_at: self.now,
            kind: u8::MAX,
            bytes,
            lost: false,
        };
        let mut sent = Vec::new();
        self.deliver(envelope, &mut sent);
        self.put_on_wire(sent);
    }

    /// True while a partition splits the network.
    pub fn is_partitioned(&self) -> bool {
        self.side.windows(2).any(|pair| pair[0] != pair[1])
    }

    /// Keeps the nodes' events from now on, for [`Simulator::take_events`] (a view's
    /// event feed). Off by default: a run that never takes them keeps none.
    pub fn record_events(&mut self) {
        self.log.get_or_insert_with(Vec::new);
    }

    /// The nodes' events since the last call, oldest first; empty unless
    /// [`Simulator::record_events`] was called.
    pub fn take_events(&mut self) -> Vec<Logged> {
        self.log.as_mut().map(core::mem::take).unwrap_or_default()
    }

    /// Keeps copies of the last [`WATCHED`] messages `node` sends or is sent (lost ones
    /// too), for [`Simulator::watched`]; `None` keeps none. Only the watched node's
    /// are copied, so an inspector costs a run nothing while nobody is watched.
    pub fn watch(&mut self, node: Option<NodeId>) {
        if self.watched.as_ref().map(|w| w.0) != node {
            self.watched = node.map(|id| (id, VecDeque::with_capacity(WATCHED)));
        }
    }

    /// The watched node's last messages, oldest first, as they were sent.
    pub fn watched(&self) -> impl DoubleEndedIterator<Item = &Envelope> + ExactSizeIterator {
        const NONE: &VecDeque<Envelope> = &VecDeque::new();
        self.watched.as_ref().map_or(NONE, |(_, kept)| kept).iter()
    }

    /// Crashes `id`: from now on it neither sends nor receives.
    pub fn crash(&mut self, id: NodeId) {
        if let Some(down) = self.down.get_mut(id.0 as usize) {
            down.get_or_insert(Down::Crashed(self.now));
        }
    }

    /// `id` leaves gracefully ([`Member::leave`]): it tells the others, goes on a few
    /// rounds so the news spreads, then stops (the heartbeat's STATUS=left).
    pub fn leave(&mut self, id: NodeId) {
        let now = self.now;
        if let Some(node) = self.nodes.get_mut(id.0 as usize) {
            node.leave(now);
            self.drain(id, &mut Vec::new());
        }
    }

    /// True when `id` is crashed or has left.
    pub fn is_down(&self, id: NodeId) -> bool {
        self.down.get(id.0 as usize).is_some_and(Option::is_some)
    }

    /// Nodes that are up.
    pub fn live_count(&self) -> usize {
        self.down.iter().filter(|d| d.is_none()).count()
    }

    /// The sizes of the views (membership tables) of the nodes that are up: what
    /// the cluster costs in memory, and whether cleanup brought it back to the live
    /// membership.
    pub fn members(&self) -> Members {
        let up = || self.nodes.iter().filter(|n| !self.is_down(n.id()));
        let sizes = || up().map(|n| n.members());
        let live = up().count();
        Members {
            live,
            min: sizes().min().unwrap_or(0),
            max: sizes().max().unwrap_or(0),
            total: sizes().sum(),
        }
    }

    /// Changes the settings that may change while the simulation runs: loss, latency
    /// (not the timing model) and every node's configuration. Joining and restarting
    /// nodes take the new node configuration too. The count of nodes, the seed, the
    /// interval (the members' period), the bootstrap and the timing model are fixed
    /// at the start; a change to them, or an invalid value, is refused and changes
    /// nothing. A member's configuration may fix more (the heartbeat's tokens:
    /// they are drawn at boot, so a change takes effect for new nodes only).
    pub fn reconfigure(
        &mut self,
        config: SimConfig<M::Config>,
    ) -> Result<(), ConfigError<<M::Config as MemberConfig>::Error>> {
        let fixed = [
            (config.nodes != self.config.nodes, "the node count"),
            (config.seed != self.config.seed, "the seed"),
            (
                config.node.period_ms() != self.config.node.period_ms(),
                "the interval",
            ),
            (config.bootstrap != self.config.bootstrap, "the bootstrap"),
            (
                core::mem::discriminant(&config.timing)
                    != core::mem::discriminant(&self.config.timing),
                "the timing model",
            ),
        ];
        if let Some((_, what)) = fixed.iter().find(|(changed, _)| *changed) {
            return Err(ConfigError::Fixed(what));
        }
        config.validate()?;
        let config = config.for_run();
        for node in &mut self.nodes {
            node.reconfigure(config.node.clone())
                .map_err(ConfigError::Member)?;
        }
        self.config = config;
        Ok(())
    }

    /// Splits the network: messages between nodes of different groups are lost.
    /// Nodes in no group form one more group together.
    pub fn partition(&mut self, groups: &[Vec<NodeId>]) {
        self.set_sides(&sides(groups, self.side.len()));
    }

    /// Puts every node on its side, `sides[id]` (0 for a node left out): messages
    /// between sides are lost. Notes when each node moved, for the tally.
    pub fn set_sides(&mut self, sides: &[u32]) {
        let sides = (0..self.side.len()).map(|at| sides.get(at).copied().unwrap_or(0));
        for ((old, new), moved_at) in self.side.iter_mut().zip(sides).zip(&mut self.moved_at) {
            if *old != new {
                *moved_at = Some(self.now);
            }
            *old = new;
        }
    }

    /// Each node's side of the network, by id: all 0 when whole.
    pub fn sides(&self) -> &[u32] {
        &self.side
    }

    /// Gives messages from `from` to `to` their own loss and latency, instead of the
    /// cluster-wide ones. `None` goes back to the cluster-wide network.
    pub fn set_link(
        &mut self,
        from: NodeId,
        to: NodeId,
        link: Option<Link>,
    ) -> Result<(), ConfigError<<M::Config as MemberConfig>::Error>> {
        match link {
            Some(link) => {
                link.validate()?;
                self.links.insert((from, to), link);
            }
            None => {
                self.links.remove(&(from, to));
            }
        }
        Ok(())
    }

    /// Ends any partition.
    pub fn heal(&mut self) {
        self.set_sides(&[]);
    }

    /// For every crash so far, the time each live node took to convict it.
    pub fn detections(&self) -> &[Millis] {
        self.tally.detections()
    }

    /// True when every node that is up sees every other node that is up as not
    /// convicted: the cluster is whole again.
    pub fn all_up_see_each_other(&self) -> bool {
        let up: Vec<&M> = self
            .nodes
            .iter()
            .filter(|n| !self.is_down(n.id()))
            .collect();
        up.iter().all(|a| {
            up.iter().all(|b| {
                a.id() == b.id()
                    || a.seen(b.id(), self.now)
                        .is_some_and(|seen| seen.reachability != Reachability::Dead)
            })
        })
    }

    /// A new node joins: it knows only its seeds, and they introduce it to the rest.
    /// Returns its id, the next free one.
    pub fn join(&mut self) -> Option<NodeId> {
        let id = NodeId(u32::try_from(self.nodes.len()).ok()?);
        let now = self.now;
        let node = M::boot(id, self.config.node.clone(), now, &mut self.rng);
        self.nodes.push(node.ok()?);
        self.down.push(None);
        self.side.push(0);
        self.moved_at.push(None);
        self.start_timer(id, now);
        Some(id)
    }

    /// The administrator tells `node` about `contact`, as one joins a node to a ring
    /// by naming a member: from now on `node` reconciles with it as with a seed of
    /// its own. Without common seeds, nodes introduced to different members form
    /// rings that never learn of each other: a logical partition.
    pub fn introduce(&mut self, node: NodeId, contact: NodeId) {
        if contact.0 as usize >= self.nodes.len() {
            return;
        }
        if let Some(n) = self.nodes.get_mut(node.0 as usize) {
            n.introduce(contact);
            let mut sent = Vec::new();
            self.drain(node, &mut sent);
            self.put_on_wire(sent);
        }
    }

    /// Restarts `id` ([`Member::reboot`]): the heartbeat comes back in a larger
    /// generation knowing only its seeds, with its tokens, as a rebooted Cassandra
    /// node does. Returns the new life. The node keeps its timer's phase: it first
    /// runs when its next round would have come.
    pub fn restart(&mut self, id: NodeId) -> Option<Life> {
        let now = self.now;
        let old = self.nodes.get(id.0 as usize)?;
        let node = old
            .reboot(self.config.node.clone(), now, &mut self.rng)
            .ok()?;
        let life = node.life();
        // The timer keeps its phase: what the new member asks for is only noted.
        self.timers[id.0 as usize].asked = node.poll_timeout();
        self.nodes[id.0 as usize] = node;
        self.down[id.0 as usize] = None;
        self.moved_at[id.0 as usize] = Some(now);
        self.tally.restarted(id);
        Some(life)
    }

    /// One event of the continuous model.
    fn run(&mut self, event: Event) {
        match event {
            Event::Tick(id) => {
                if self.timers.get(id.0 as usize).and_then(|t| t.due) != Some(self.now) {
                    return; // A timer set again since: stale.
                }
                let mut sent = Vec::new();
                // The next timer is set (by the member's ask, or a round on while it
                // is down) before the messages go on the wire, so that events due at
                // the same moment keep their order.
                if !self.tick(id, &mut sent) {
                    self.set_timer(id, self.now + self.period_ms());
                }
                self.put_on_wire(sent);
            }
            Event::Deliver(envelope) => {
                let mut sent = Vec::new();
                self.deliver(envelope, &mut sent);
                self.put_on_wire(sent);
            }
        }
    }

    /// Schedules each envelope's arrival, in the order sent.
    fn put_on_wire(&mut self, sent: Vec<Envelope>) {
        for envelope in sent {
            self.agenda
                .push(envelope.arrives_at, Event::Deliver(envelope));
        }
    }

    /// A node's round, its messages put in `sent` as envelopes on the wire. False
    /// when the node is down (or gone), and so did nothing.
    fn tick(&mut self, id: NodeId, sent: &mut Vec<Envelope>) -> bool {
        let now = self.now;
        let Some(node) = self.nodes.get_mut(id.0 as usize) else {
            return false;
        };
        if node.has_left() {
            self.down[id.0 as usize].get_or_insert(Down::Left);
        }
        if self.is_down(id) {
            return false;
        }
        self.nodes[id.0 as usize].handle_timeout(now, &mut self.rng);
        self.drain(id, sent);
        true
    }

    /// Takes everything a member wants sent into `sent`, then its events into the
    /// run's metrics, then moves its timer to its ask: what a driver does after
    /// every input or command.
    fn drain(&mut self, id: NodeId, sent: &mut Vec<Envelope>) {
        let at = id.0 as usize;
        let mut buffer = self.spare_buffers.0.pop().unwrap_or_default();
        while let Some(transmit) = self
            .nodes
            .get_mut(at)
            .and_then(|n| n.poll_transmit(&mut buffer))
        {
            sent.push(self.send(id, transmit, buffer));
            buffer = self.spare_buffers.0.pop().unwrap_or_default();
        }
        self.spare_buffers.0.push(buffer);
        self.observe(id);
        self.follow_timer(id);
    }

    /// Takes a node's events into the run's metrics.
    fn observe(&mut self, viewer: NodeId) {
        let at = viewer.0 as usize;
        while let Some(event) = self.nodes.get_mut(at).and_then(|n| n.poll_event()) {
            if let Some(log) = &mut self.log {
                log.push(Logged {
                    at: self.now,
                    by: viewer,
                    event,
                });
            }
            let (down, side, moved_at) = (&self.down, &self.side, &self.moved_at);
            let nodes = &self.nodes;
            self.tally.observe(self.now, viewer, event, |id| {
                let at = id.0 as usize;
                Some(Truth {
                    down: *down.get(at)?,
                    side: *side.get(at)?,
                    life: nodes.get(at)?.life(),
                    moved_at: *moved_at.get(at)?,
                })
            });
        }
    }

    /// Counts a message a member wrote into `bytes`, and decides its latency and
    /// whether it is lost.
    fn send(&mut self, from: NodeId, transmit: Transmit, bytes: Vec<u8>) -> Envelope {
        let Transmit { to, kind } = transmit;
        let link = self.links.get(&(from, to)).copied();
        let latency = match (self.config.timing, link) {
            (Timing::Rounds, _) => 0,
            (
                _,
                Some(Link {
                    mean_ms, jitter_ms, ..
                }),
            )
            | (Timing::Continuous { mean_ms, jitter_ms }, None) => mean_ms
                .saturating_sub(jitter_ms)
                .saturating_add(self.rng.random_range(0..=jitter_ms.saturating_mul(2)))
                .max(1),
        };
        let loss_ppm = link.map_or(self.config.loss_ppm, |l| l.loss_ppm);
        let cut_off = self.side.get(from.0 as usize) != self.side.get(to.0 as usize);
        let lost = cut_off || (loss_ppm > 0 && self.rng.random_range(0..PPM) < loss_ppm);
        self.stats.messages += 1;
        self.stats.bytes += bytes.len() as u64;
        self.stats.lost += u64::from(lost);
        self.stats.max_message_bytes = self.stats.max_message_bytes.max(bytes.len());
        self.stats.over_mtu += u64::from(bytes.len() > self.config.node.max_message());
        if let Some(count) = self.stats.by_kind.get_mut(usize::from(kind)) {
            *count += 1;
        }
        let envelope = Envelope {
            from,
            to,
            sent_at: self.now,
            arrives_at: self.now + latency,
            kind,
            bytes,
            lost,
        };
        if let Some((id, kept)) = &mut self.watched
            && (*id == from || *id == to)
        {
            if kept.len() == WATCHED {
                kept.pop_front();
            }
            kept.push_back(envelope.clone());
        }
        envelope
    }

    /// Delivers a message ([`Simulator::receive`]) and puts the receiver's replies in
    /// `sent`.
    fn deliver(&mut self, envelope: Envelope, sent: &mut Vec<Envelope>) {
        let to = envelope.to;
        let arrived = self.receive(&envelope);
        self.spare_buffers.0.push(envelope.bytes);
        if arrived {
            self.drain(to, sent);
        }
    }

    /// The receiving node handles `envelope`, if it arrives; a message the receiver
    /// rejects is counted.
    fn receive(&mut self, envelope: &Envelope) -> bool {
        if envelope.lost || self.is_down(envelope.to) {
            return false;
        }
        let (from, to, now) = (envelope.from, envelope.to, self.now);
        self.trace
            .delivered(now, from, to, envelope.kind, envelope.bytes.len());
        let Some(node) = self.nodes.get_mut(to.0 as usize) else {
            return false;
        };
        if node.handle_datagram(from, &envelope.bytes, now).is_err() {
            self.stats.rejected += 1;
        }
        true
    }

    /// One round of the papers' model. Every node's timeout fires at once, then the
    /// messages are delivered a phase at a time: for the heartbeat all Syns, then all
    /// Acks, then all Ack2s. A Syn carries only digests, so every Ack is built from
    /// start-of-round state, and every Ack2 from state that the round has not added
    /// to (with one partner each): news learned in a round travels on only from the
    /// next round.
    fn lockstep_round(&mut self) {
        let mut phase: Vec<Envelope> = Vec::with_capacity(self.nodes.len());
        for id in (0..self.nodes.len() as u32).map(NodeId) {
            self.tick(id, &mut phase);
        }
        while !phase.is_empty() {
            let mut replies = Vec::with_capacity(phase.len());
            for envelope in phase {
                self.deliver(envelope, &mut replies);
            }
            phase = replies;
        }
    }
}
