//! The contract between a gossip protocol and whatever drives it: the simulator,
//! `gossip-node` on real sockets, or the page.
//!
//! A protocol is a [`Member`]: one node's state machine. It never reads a clock,
//! never sends anything and never draws randomness of its own. The driver owns time,
//! the network and the random number generator, and the member is called in four
//! kinds of methods, as quinn-proto's `Connection` is:
//!
//! - **inputs**, as they happen: [`Member::handle_timeout`] when the moment
//!   [`Member::poll_timeout`] named has come, and [`Member::handle_datagram`] for
//!   every message that arrives;
//! - **commands**, from an operator: [`Member::set`], [`Member::leave`],
//!   [`Member::introduce`], [`Member::reconfigure`];
//! - **outputs**, drained after every input or command: [`Member::poll_transmit`]
//!   until it gives `None`, then [`Member::poll_event`] likewise, then
//!   [`Member::poll_timeout`] for when to call next;
//! - **getters**, at any time: [`Member::id`], [`Member::life`], [`Member::seen`],
//!   [`Member::members`], [`Member::knows`], [`Member::has_left`].
//!
//! ```text
//! member = M::boot(id, config, now, rng)
//! loop:
//!     wait for a datagram, or until member.poll_timeout()
//!     datagram      → member.handle_datagram(from, bytes, now)
//!     timeout came  → stop if member.has_left(), else member.handle_timeout(now, rng)
//!     while let Some(t) = member.poll_transmit(&mut buf): send buf to t.to
//!     while let Some(e) = member.poll_event(): report e
//! ```
//!
//! Timers live inside the member (the driver only asks `poll_timeout`), so a clone
//! of a member is a whole checkpoint: it runs on exactly as the original would.
//!
//! # An example: two members of a protocol
//!
//! Any protocol runs the same way. This loop carries two members' messages to each
//! other, here of the smallest protocol ([`crate::toy`]), until each knows the
//! other's news; `gossip_heartbeat::Node` runs in it unchanged:
//!
//! ```
//! use gossip_core::NodeId;
//! use gossip_core::contract::{Member, MemberConfig};
//! use gossip_core::toy::{Beacon, BeaconConfig};
//! use rand::SeedableRng;
//!
//! /// Runs `rounds` rounds of two members of any protocol, `period` apart,
//! /// carrying each message, and every reply to it, until none is left.
//! fn run<M: Member>(members: &mut [M; 2], rounds: u64, period: u64, rng: &mut impl rand::RngCore) {
//!     let mut buf = Vec::new();
//!     for now in (0..rounds).map(|round| round * period) {
//!         for id in 0..2 {
//!             members[id].handle_timeout(now, rng);
//!             let mut wire = vec![];
//!             while let Some(t) = members[id].poll_transmit(&mut buf) {
//!                 wire.push((members[id].id(), t.to, buf.clone()));
//!             }
//!             while let Some((from, to, bytes)) = wire.pop() {
//!                 let receiver = &mut members[to.0 as usize];
//!                 receiver.handle_datagram(from, &bytes, now).expect("valid bytes");
//!                 while let Some(t) = receiver.poll_transmit(&mut buf) {
//!                     wire.push((to, t.to, buf.clone()));
//!                 }
//!             }
//!         }
//!     }
//! }
//!
//! let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
//! let config = BeaconConfig { period_ms: 1_000, seeds: vec![NodeId(0)] };
//! let boot = |id, rng: &mut _| Beacon::boot(NodeId(id), config.clone(), 0, rng);
//! let mut members = [boot(0, &mut rng).unwrap(), boot(1, &mut rng).unwrap()];
//! let update = members[0].set("colour", "blue", 0).unwrap();
//! run(&mut members, 5, config.period_ms(), &mut rng);
//! assert!(members[1].knows(&update));
//! assert_eq!(members[1].members(), 2);
//! ```
//!
//! # How a protocol plugs in
//!
//! A new protocol is a crate of its own that implements [`Member`] (and
//! [`MemberConfig`] for its settings): its message kinds in wire order
//! ([`Member::KINDS`], which every driver counts, colours and names by index), its
//! encoding into the buffer `poll_transmit` is given, its failure detection behind
//! [`Member::seen`], and events in the neutral vocabulary of [`NodeEvent`]. The
//! simulator (`Simulator<M>`) then runs it with every network fault, and the
//! conformance suite ([`crate::conformance::check`]) is the first test to run it
//! through. (The scenario player and the page still drive the heartbeat's
//! `Simulator<Node>` alone: ARCHITECTURE.md, "Not yet".) [`crate::toy`] is the smallest such member;
//! `gossip-heartbeat`'s `node/member.rs` is a real one.

use alloc::vec::Vec;
use core::fmt;

use rand::RngCore;

use crate::{Millis, NodeId};

/// Which life of a node this is: Cassandra's generation (its boot time) or SWIM's
/// incarnation. A larger one means the older state is gone or refuted.
pub type Life = u32;
/// A node's version counter: how far its state has come within one life.
pub type Version = u32;

/// A member's settings: what any driver needs to know of them without knowing the
/// protocol.
pub trait MemberConfig: Clone + PartialEq + fmt::Debug {
    /// Why a configuration is refused.
    type Error: Clone + Copy + PartialEq + fmt::Debug + fmt::Display;
    /// Checks every field, so that a member booted with it cannot misbehave.
    fn validate(&self) -> Result<(), Self::Error>;
    /// How often a member's round comes: a simulator in rounds
    /// ([`crate::sim::Timing::Rounds`]) fires every member's timeout at this
    /// period, and counts rounds by it.
    fn period_ms(&self) -> Millis;
    /// The nodes a member first contacts, which a simulator checks exist.
    fn seeds(&self) -> &[NodeId];
    /// The largest message a member builds: its transport's limit.
    fn max_message(&self) -> usize;
    /// A simulated cluster's configuration when none is given: the protocol's
    /// defaults, with node 0 as the seed.
    fn cluster_default() -> Self;
    /// The configuration for the papers' synchronous rounds, where what is learned
    /// in a round travels on only from the next. Unchanged by default.
    fn for_rounds(self) -> Self {
        self
    }
}

/// A message a member wants sent; its bytes are in the buffer
/// [`Member::poll_transmit`] was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transmit {
    /// The destination.
    pub to: NodeId,
    /// Its kind: an index into [`Member::KINDS`].
    pub kind: u8,
}

/// A piece of news to follow as it spreads: `origin`'s state reaching `version` in
/// life `life`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Update {
    /// The node the news is about.
    pub origin: NodeId,
    /// The origin's life when it made the news.
    pub life: Life,
    /// A node is informed once it knows the origin's state up to this version.
    pub version: Version,
}

/// How one member sees another, now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Seen {
    /// Alive, suspect, dead or not heard from.
    pub reachability: Reachability,
    /// The detector's level: phi for the heartbeat's accrual detector.
    pub score: f64,
    /// The life it knows the other in.
    pub life: Life,
    /// How far it knows the other's state.
    pub version: Version,
}

/// What a member sees of an endpoint's reachability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reachability {
    /// Known (learned through gossip, or from the start) but never heard from: no
    /// heartbeat of it has advanced since this node started. Not alive, as
    /// Cassandra shows such an endpoint down until it is heard; and never convicted
    /// either, since its detector has no gap to judge a silence by.
    Unheard,
    /// Heartbeats arrive as expected.
    Alive,
    /// Silent for longer than usual: phi is above the suspect level.
    Suspect,
    /// Convicted: phi crossed the threshold; stays so until a heartbeat advances.
    Dead,
}

/// Something a member noticed, for the driver's metrics and views: plain values, no
/// words (a view words them). The vocabulary is the protocols' common one, after
/// Cassandra's subscriber callbacks and foca's notifications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NodeEvent {
    /// Its detector's level for an endpoint passed the suspect level.
    Suspected {
        /// The endpoint.
        endpoint: NodeId,
        /// The detector's level (phi) when it was noticed.
        phi: f64,
    },
    /// It convicted an endpoint: the level passed the threshold.
    Convicted {
        /// The endpoint.
        endpoint: NodeId,
        /// The detector's level (phi) when it was convicted.
        phi: f64,
    },
    /// It removed an endpoint in this life from its view, knowing it up to this
    /// version.
    Evicted(NodeId, Life, Version),
    /// It learned of an endpoint in this life that was not in its view, up to this
    /// version.
    Learned(NodeId, Life, Version),
    /// It learned that an endpoint it knew restarted, in this newer life.
    Restarted(NodeId, Life),
    /// It learned that an endpoint is leaving.
    Left(NodeId),
    /// It heard from an endpoint it had convicted: alive again (Cassandra's
    /// `onAlive`).
    Alive(NodeId),
    /// It learned a change of an endpoint's state other than its heartbeat, up to
    /// this version (Cassandra's `onChange`): what a driver watches to see news
    /// arrive.
    Changed(NodeId, Version),
}

/// A value too large to ever fit in one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValueTooLarge {
    /// Its encoded size.
    pub len: usize,
    /// The most that fits.
    pub max: usize,
}

impl fmt::Display for ValueTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "value of {} bytes does not fit in one message (at most {})",
            self.len, self.max
        )
    }
}

/// One node of a protocol, as a sans-IO state machine (the module's doc gives the
/// order of calls). No input makes it panic: bytes that are not a valid message
/// come back as [`Member::Rejected`] and change nothing.
pub trait Member: Clone + fmt::Debug {
    /// Its settings.
    type Config: MemberConfig;
    /// Why a datagram was refused.
    type Rejected: fmt::Debug + fmt::Display;
    /// The protocol's name: `heartbeat`, `all-to-all`, `swim`.
    const PROTOCOL: &'static str;
    /// Its message kinds in wire order, by the names a reader knows them by; a
    /// [`Transmit::kind`] indexes this list.
    const KINDS: &'static [&'static str];

    // Start.

    /// A member starting at `now`, knowing only itself and its seeds. `rng` draws
    /// whatever a protocol picks at random at boot (the heartbeat's tokens).
    fn boot(
        id: NodeId,
        config: Self::Config,
        now: Millis,
        rng: &mut impl RngCore,
    ) -> Result<Self, <Self::Config as MemberConfig>::Error>;
    /// This member started again at `now` with `config`: a new life that keeps what
    /// a real node keeps on its disk (the heartbeat's tokens), knowing only its
    /// seeds.
    fn reboot(
        &self,
        config: Self::Config,
        now: Millis,
        rng: &mut impl RngCore,
    ) -> Result<Self, <Self::Config as MemberConfig>::Error>;
    /// Makes `members` know each other as if gossip had converged long ago, with
    /// nothing left to tell: how a simulation starts from a settled cluster.
    fn converge(members: &mut [Self]);

    // Inputs.

    /// The moment [`Member::poll_timeout`] named has come (or passed): a round.
    fn handle_timeout(&mut self, now: Millis, rng: &mut impl RngCore);
    /// A datagram from `from` (the transport's word for the sender, trusted for
    /// nothing but a reply's address) arrived at `now`. Bytes that are not a valid
    /// message of this member's cluster are refused and change nothing.
    fn handle_datagram(
        &mut self,
        from: NodeId,
        bytes: &[u8],
        now: Millis,
    ) -> Result<(), Self::Rejected>;

    // Commands.

    /// Sets a key of this member's own state, which the protocol then spreads.
    fn set(&mut self, key: &str, value: &str, now: Millis) -> Result<Update, ValueTooLarge>;
    /// Announces that this member leaves; it goes on a while so that the news
    /// spreads, then [`Member::has_left`].
    fn leave(&mut self, now: Millis);
    /// From now on this member reconciles with `contact` as with a seed of its own.
    fn introduce(&mut self, contact: NodeId);
    /// New settings, keeping everything it knows; a refused one changes nothing.
    fn reconfigure(
        &mut self,
        config: Self::Config,
    ) -> Result<(), <Self::Config as MemberConfig>::Error>;

    // Outputs.

    /// The next message to send: its bytes written into `buf` (cleared first), and
    /// where it goes; `None` when there is nothing more to send.
    fn poll_transmit(&mut self, buf: &mut Vec<u8>) -> Option<Transmit>;
    /// When to call [`Member::handle_timeout`] next. It never goes back.
    fn poll_timeout(&self) -> Option<Millis>;
    /// The next thing it noticed, oldest first.
    fn poll_event(&mut self) -> Option<NodeEvent>;

    // Getters.

    /// Its id.
    fn id(&self) -> NodeId;
    /// Its life: the heartbeat's generation.
    fn life(&self) -> Life;
    /// How it sees `of` at `now`; `None` for itself and for nodes it does not know.
    fn seen(&self, of: NodeId, now: Millis) -> Option<Seen>;
    /// How many members it knows, itself included.
    fn members(&self) -> usize;
    /// Whether it knows `update`.
    fn knows(&self, update: &Update) -> bool;
    /// True once a leaving member has done its last round: the driver stops it.
    fn has_left(&self) -> bool;
}
