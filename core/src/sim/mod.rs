//! A seeded, deterministic simulator of a whole cluster and the network between its
//! nodes. One [`SimConfig`] (seed included) reproduces a run exactly, natively and in
//! wasm; [`Simulator::trace_hash`] fingerprints it.
//!
//! The simulator is a driver like any other: it owns the clock and the network, calls
//! [`Node::tick`] and [`Node::handle`], and carries the messages they return.

mod config;
mod queue;
mod trace;

use alloc::vec::Vec;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub use config::{ConfigError, MAX_NODES, SimConfig, Timing};
pub use queue::Envelope;
pub use trace::Trace;

use crate::{Heartbeat, Millis, Node, NodeId, Outgoing};
use queue::{Agenda, Event};

/// A piece of news to follow as it spreads: `origin`'s heartbeat reaching `heartbeat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Update {
    /// The node the news is about.
    pub origin: NodeId,
    /// A node is informed once it knows this heartbeat or a newer one.
    pub heartbeat: Heartbeat,
}

/// A running simulation.
#[derive(Debug)]
pub struct Simulator {
    config: SimConfig,
    nodes: Vec<Node>,
    rng: ChaCha8Rng,
    now: Millis,
    agenda: Agenda,
    trace: Trace,
}

impl Simulator {
    /// A cluster of `config.nodes` nodes that all know each other, at time 0.
    pub fn new(config: SimConfig) -> Result<Self, ConfigError> {
        config.validate()?;
        let ids = || (0..config.nodes).map(NodeId);
        let nodes = ids()
            .map(|id| Node::new(id, ids().filter(|&peer| peer != id), 0))
            .collect();
        let mut sim = Self {
            config,
            nodes,
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            now: 0,
            agenda: Agenda::default(),
            trace: Trace::default(),
        };
        match config.timing {
            // Each node's timer starts at its own phase, as real nodes boot at
            // different moments.
            Timing::Continuous { .. } => {
                for id in ids() {
                    let phase = sim.rng.random_range(0..config.interval_ms);
                    sim.agenda.push(phase, Event::Tick(id));
                }
            }
            // Rounds happen at multiples of the interval, starting at the first.
            Timing::Rounds => {}
        }
        Ok(sim)
    }

    /// The configuration this run was built from.
    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    /// The simulated clock.
    pub fn now(&self) -> Millis {
        self.now
    }

    /// Completed gossip rounds: whole intervals elapsed.
    pub fn round(&self) -> u64 {
        self.now / self.config.interval_ms
    }

    /// All nodes, indexed by id.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Messages on the wire right now.
    pub fn in_flight(&self) -> impl Iterator<Item = &Envelope> {
        self.agenda.in_flight()
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
                let interval = self.config.interval_ms;
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
        let interval = self.config.interval_ms;
        self.advance_to((self.round() + rounds).saturating_mul(interval));
    }

    /// Makes `origin` produce news now (a heartbeat bump), and returns it so that its
    /// spread can be followed with [`Simulator::informed`]. `None` if there is no such
    /// node.
    pub fn inject_update(&mut self, origin: NodeId) -> Option<Update> {
        let node = self.nodes.get_mut(origin.0 as usize)?;
        let heartbeat = node.beat(self.now);
        Some(Update { origin, heartbeat })
    }

    /// How many nodes know `update`.
    pub fn informed(&self, update: Update) -> usize {
        self.nodes
            .iter()
            .filter(|node| {
                node.view()
                    .get(update.origin)
                    .is_some_and(|known| known.heartbeat >= update.heartbeat)
            })
            .count()
    }

    /// One event of the continuous model.
    fn run(&mut self, event: Event) {
        match event {
            Event::Tick(id) => {
                self.agenda
                    .push(self.now + self.config.interval_ms, Event::Tick(id));
                let now = self.now;
                let node = self.nodes.get_mut(id.0 as usize);
                if let Some(out) = node.and_then(|node| node.tick(now, &mut self.rng)) {
                    self.send(id, out);
                }
            }
            Event::Deliver(envelope) => {
                if let Some((from, reply)) = self.deliver(envelope) {
                    self.send(from, reply);
                }
            }
        }
    }

    /// Puts a message on the wire with a random latency.
    fn send(&mut self, from: NodeId, out: Outgoing) {
        let Timing::Continuous { mean_ms, jitter_ms } = self.config.timing else {
            return;
        };
        let latency = mean_ms
            .saturating_sub(jitter_ms)
            .saturating_add(self.rng.random_range(0..=jitter_ms.saturating_mul(2)))
            .max(1);
        let envelope = Envelope {
            from,
            to: out.to,
            sent_at: self.now,
            arrives_at: self.now + latency,
            message: out.message,
        };
        self.agenda
            .push(envelope.arrives_at, Event::Deliver(envelope));
    }

    /// Hands a message to its receiver; returns the reply, with who sends it.
    fn deliver(&mut self, envelope: Envelope) -> Option<(NodeId, Outgoing)> {
        let Envelope {
            from, to, message, ..
        } = envelope;
        self.trace.delivered(self.now, from, to, message.kind());
        let now = self.now;
        let reply = self
            .nodes
            .get_mut(to.0 as usize)?
            .handle(from, message, now)?;
        Some((to, reply))
    }

    /// One round of the papers' model. Every node opens an exchange at once, then the
    /// messages are delivered a phase at a time: all Syns, then all Acks, then all
    /// Ack2s. A Syn carries only digests, so every Ack is built from start-of-round
    /// state, and every Ack2 from state that the round has not added to (with one
    /// partner each): news learned in a round travels on only from the next round.
    fn lockstep_round(&mut self) {
        let now = self.now;
        let mut phase: Vec<Envelope> = Vec::with_capacity(self.nodes.len());
        for node in &mut self.nodes {
            if let Some(out) = node.tick(now, &mut self.rng) {
                phase.push(Envelope {
                    from: node.id(),
                    to: out.to,
                    sent_at: now,
                    arrives_at: now,
                    message: out.message,
                });
            }
        }
        while !phase.is_empty() {
            phase = phase
                .into_iter()
                .filter_map(|envelope| self.deliver(envelope))
                .map(|(from, out)| Envelope {
                    from,
                    to: out.to,
                    sent_at: now,
                    arrives_at: now,
                    message: out.message,
                })
                .collect();
        }
    }
}
