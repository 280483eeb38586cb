//! One node on a real network: the driver of the heartbeat's sans-IO [`Node`] over a
//! [`Transport`] (UDP, [`Udp`]).
//!
//! The node owns the protocol; the driver owns the clock, the transport, the RNG and
//! the addresses, and calls the node through its contract
//! (`heartbeat/src/node/mod.rs`):
//!
//! ```text
//! loop {
//!     a command from the launcher, or SIGINT/SIGTERM → node.leave(now)
//!     now ≥ next tick → stop if node.has_left(), else node.tick(now, rng): each Syn
//!                       to its peer's address; the next tick at node.next_deadline()
//!     wait for a datagram, at most until the next tick (the transport's timeout)
//!     a datagram → node.handle_bytes(id of its source, bytes, now): send the reply
//!     node.take_events() → JSON Lines on stdout (event.rs)
//! }
//! ```
//!
//! **Identity.** A node's id is its address's hash ([`id_of`]): as in Cassandra, an
//! endpoint is its address, so a seed's id is known from its address, and a datagram's
//! sender from its source. The address itself is gossiped (`Value::Address`), since a
//! hash cannot be turned back into one: a node starts knowing only its seeds'
//! addresses and learns the others' with their state. An address whose hash is not the
//! id it is gossiped for is ignored, so a peer cannot redirect another's traffic. Two
//! addresses with one id are a collision: the first bound is kept, the other's
//! messages and gossiped address are refused and reported ([`crate::identity`]); a
//! seed that collides stops the node before it starts.
//!
//! **Bad input.** Every datagram goes to the core, which rejects garbage, truncated
//! messages and other clusters' without changing anything; the driver counts them
//! and reports the count at most once a round.

use std::collections::HashSet;
use std::io::{self, BufRead, Write};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use gossip_core::{Millis, NodeEvent, NodeId, Reachability};
use gossip_heartbeat::node::{Outgoing, boot_generation};
use gossip_heartbeat::state::Versioned;
use gossip_heartbeat::{Node, NodeConfig, Value};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::event::{Event, Line, MAX_PHI, ViewRow, WATCH_MS};
use crate::identity::{Addresses, Collision, id_of};
use crate::transport::{Transport, Udp};

/// What one node is started with.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where it listens: a specific address (its identity), port 0 for any free port.
    pub listen: SocketAddr,
    /// The seeds' addresses.
    pub seeds: Vec<SocketAddr>,
    /// Its generation; default the Unix time in seconds.
    pub generation: Option<u32>,
    /// Its positions on the hash ring, drawn at random.
    pub tokens: u32,
    /// Take commands on stdin, and leave when stdin closes (started by a launcher).
    pub control: bool,
    /// Its protocol settings, its gossip interval included.
    pub config: NodeConfig,
}

/// Runs a node until it has left. An error is a node that could not start.
pub fn run(options: Options) -> Result<(), String> {
    if options.listen.ip().is_unspecified() {
        return Err(format!(
            "listen on a specific address, not {}: a node's address is its identity",
            options.listen.ip()
        ));
    }
    let transport = Udp::bind(options.listen)
        .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
    if options.config.mtu > transport.max_message() {
        return Err(format!(
            "an MTU of {} bytes is more than the transport carries ({})",
            options.config.mtu,
            transport.max_message()
        ));
    }
    let address = transport.local_addr();
    let clock = Clock::start();
    let now = clock.now();
    let generation = options.generation.unwrap_or(boot_generation(now));
    let mut addresses = Addresses::new(address);
    let mut config = options.config;
    config.seeds = options
        .seeds
        .iter()
        .map(|&seed| addresses.learn(seed))
        .collect::<Result<_, Collision>>()
        .map_err(|c| format!("a seed's id collides: {c}"))?;
    let mut rng = StdRng::from_os_rng();
    let tokens = (0..options.tokens).map(|_| rng.random()).collect();
    let mut node =
        Node::boot(id_of(&address), generation, config, tokens, now).map_err(|e| e.to_string())?;
    node.set(Value::Address(address.to_string()), now)
        .map_err(|e| e.to_string())?;
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop)).map_err(|e| e.to_string())?;
    }
    let mut driver = Driver {
        addresses,
        collisions: HashSet::new(),
        node,
        transport,
        address,
        name: address.to_string(),
        clock,
        rng,
        blocked: HashSet::new(),
        rejected: Counter::default(),
        refused: 0,
        reason: String::new(),
        commands: options.control.then(commands),
        next_view: None,
        stop,
    };
    driver.emit(Event::Listening {
        id: driver.node.id().0,
        generation,
    });
    driver.run()
}

/// The node and everything around it.
struct Driver<T: Transport> {
    node: Node,
    transport: T,
    address: SocketAddr,
    /// Its address as printed.
    name: String,
    clock: Clock,
    rng: StdRng,
    /// Where each known endpoint listens: its own, the seeds', then each one
    /// learned; an address whose id is another's is refused.
    addresses: Addresses,
    /// The addresses refused for a collision, each reported once.
    collisions: HashSet<SocketAddr>,
    /// Addresses cut off by a partition: nothing is sent to them or taken from them.
    blocked: HashSet<SocketAddr>,
    rejected: Counter,
    /// Endpoints refused so far, as last reported.
    refused: u64,
    /// Why the latest datagram was rejected.
    reason: String,
    /// The launcher's commands (`None`: not started by one).
    commands: Option<Receiver<Option<String>>>,
    /// When it next prints its view, once the launcher said `watch`; it then
    /// prints every datagram it sends too.
    next_view: Option<Millis>,
    /// Set by SIGINT or SIGTERM.
    stop: Arc<AtomicBool>,
}

/// Datagrams rejected: how many, and how many were last reported.
#[derive(Debug, Default)]
struct Counter {
    total: u64,
    reported: u64,
}

impl<T: Transport> Driver<T> {
    fn run(&mut self) -> Result<(), String> {
        let mut buffer = Vec::new();
        // The first round at a random moment of the interval, as nodes booted at
        // different times have: nodes started together would otherwise gossip in
        // lockstep, where news travels one hop a round (BENCHMARKS.md, "Issue 17").
        let interval = self.node.config().interval_ms;
        let mut next_tick = self.clock.now() + self.rng.random_range(0..interval);
        let mut leaving = false;
        loop {
            if !leaving && (self.stop.load(Ordering::Relaxed) || self.told_to_leave()) {
                self.node.leave(self.clock.now());
                leaving = true;
            }
            let now = self.clock.now();
            if now >= next_tick {
                if self.node.has_left() {
                    self.emit(Event::Stopped {
                        reason: "left".into(),
                    });
                    return Ok(());
                }
                self.tick(now);
                // A late tick is not made up for: the next is one interval on.
                next_tick = self.node.next_deadline();
            }
            if let Some(at) = self.next_view
                && now >= at
            {
                self.print_view(now);
                self.next_view = Some(now + WATCH_MS);
            }
            let wake = self.next_view.map_or(next_tick, |at| at.min(next_tick));
            let wait = wake.saturating_sub(self.clock.now()).max(1);
            // An error reading is nothing to read: the next round goes on.
            if let Ok(Some(from)) = self
                .transport
                .recv(&mut buffer, Duration::from_millis(wait))
            {
                self.receive(&buffer, from);
            }
        }
    }

    /// A gossip round, and what the driver reports once a round.
    fn tick(&mut self, now: Millis) {
        let out = self.node.tick(now, &mut self.rng);
        for outgoing in out {
            self.send(outgoing);
        }
        self.report();
        if self.rejected.total != self.rejected.reported {
            self.rejected.reported = self.rejected.total;
            self.emit(Event::Rejected {
                total: self.rejected.total,
                reason: self.reason.clone(),
            });
        }
        let refused = self.node.endpoints_refused();
        if refused != self.refused {
            self.refused = refused;
            self.emit(Event::Refused { total: refused });
        }
    }

    fn receive(&mut self, bytes: &[u8], from: SocketAddr) {
        if self.blocked.contains(&from) {
            return;
        }
        let id = match self.addresses.check(from) {
            Ok(id) => id,
            Err(collision) => return self.collided(collision),
        };
        match self.node.handle_bytes(id, bytes, self.clock.now()) {
            Ok(reply) => {
                // Checked above, so it binds.
                let _ = self.addresses.learn(from);
                if let Some(reply) = reply {
                    self.send(reply);
                }
            }
            Err(rejected) => {
                self.rejected.total += 1;
                self.reason = rejected.to_string();
            }
        }
        self.report();
    }

    fn send(&mut self, outgoing: Outgoing) {
        let Some(to) = self.address_of(outgoing.to) else {
            return;
        };
        if self.blocked.contains(&to) || to == self.address {
            return;
        }
        let bytes = self.node.encode(&outgoing.message);
        // The network may lose a message anyway; gossip is built for it.
        let _ = self.transport.send(to, &bytes);
        if self.next_view.is_some() {
            self.emit(Event::Sent {
                to: to.to_string(),
                kind: outgoing.message.kind().name().into(),
                bytes: bytes.len(),
            });
        }
    }

    /// Prints its view as it sees it at `now`: a watching page's colours and table.
    fn print_view(&mut self, now: Millis) {
        // Two passes: naming an endpoint (`endpoint`) may learn its address, which
        // needs the driver mutably while the view is borrowed.
        let known: Vec<(NodeId, u32, u32, Option<&'static str>)> = self
            .node
            .view()
            .iter()
            .filter(|&(id, _)| id != self.node.id())
            .map(|(id, state)| {
                let status = state.status().map(|s| s.name());
                (id, state.generation(), state.heartbeat(), status)
            })
            .collect();
        let rows = known
            .into_iter()
            .map(|(id, generation, heartbeat, status)| {
                let (seen, phi) = self
                    .node
                    .reachability(id, now)
                    .unwrap_or((Reachability::Unheard, 0.0));
                ViewRow {
                    endpoint: self.endpoint(id),
                    generation,
                    heartbeat,
                    seen: seen_name(seen).into(),
                    status: status.map(Into::into),
                    phi: if phi.is_nan() { 0.0 } else { phi.min(MAX_PHI) },
                }
            })
            .collect();
        self.emit(Event::View { rows });
    }

    /// Refuses an address whose id is another's, and reports it the first time.
    fn collided(&mut self, collision: Collision) {
        if self.collisions.insert(collision.refused) {
            self.emit(Event::Collision {
                id: collision.id.0,
                kept: collision.kept.to_string(),
                refused: collision.refused.to_string(),
            });
        }
    }

    /// Where `id` listens: known, or read from its gossiped state.
    fn address_of(&mut self, id: NodeId) -> Option<SocketAddr> {
        if let Some(address) = self.addresses.get(id) {
            return Some(address);
        }
        let state = self.node.view().get(id)?;
        let Some(Versioned {
            value: Value::Address(text),
            ..
        }) = state.find(&Value::Address(String::new()))
        else {
            return None;
        };
        let address: SocketAddr = text.parse().ok()?;
        if id_of(&address) != id {
            return None;
        }
        match self.addresses.learn(address) {
            Ok(_) => Some(address),
            Err(collision) => {
                self.collided(collision);
                None
            }
        }
    }

    /// An endpoint as printed: its address, or `#id` until that is known.
    fn endpoint(&mut self, id: NodeId) -> String {
        self.address_of(id)
            .map_or_else(|| format!("#{}", id.0), |a| a.to_string())
    }

    /// Prints what the node noticed.
    fn report(&mut self) {
        for event in self.node.take_events() {
            let event = match event {
                NodeEvent::Learned(id, generation, version) => Event::Learned {
                    endpoint: self.endpoint(id),
                    generation,
                    version,
                },
                NodeEvent::Suspected { endpoint, phi } => Event::Suspected {
                    endpoint: self.endpoint(endpoint),
                    phi,
                },
                NodeEvent::Convicted { endpoint, phi } => Event::Convicted {
                    endpoint: self.endpoint(endpoint),
                    phi,
                },
                NodeEvent::Alive(id) => Event::Alive {
                    endpoint: self.endpoint(id),
                },
                NodeEvent::Evicted(id, generation, version) => Event::Evicted {
                    endpoint: self.endpoint(id),
                    generation,
                    version,
                },
                NodeEvent::Restarted(id, generation) => Event::Restarted {
                    endpoint: self.endpoint(id),
                    generation,
                },
                NodeEvent::Left(id) => Event::Left {
                    endpoint: self.endpoint(id),
                },
                NodeEvent::Changed(id, version) => Event::Changed {
                    endpoint: self.endpoint(id),
                    version,
                },
            };
            self.emit(event);
        }
    }

    /// Carries out the launcher's commands that arrived; true once the launcher said
    /// `leave` or is gone (its end of stdin closed).
    fn told_to_leave(&mut self) -> bool {
        let Some(commands) = &self.commands else {
            return false;
        };
        let mut lines = Vec::new();
        let mut leave = false;
        loop {
            match commands.try_recv() {
                Ok(Some(line)) => lines.push(line),
                Ok(None) | Err(TryRecvError::Disconnected) => {
                    leave = true;
                    break;
                }
                Err(TryRecvError::Empty) => break,
            }
        }
        for line in lines {
            leave |= self.command(&line);
        }
        leave
    }

    /// One command: `block ADDRESS...`, `heal`, `set KEY VALUE`, `watch` (print the
    /// view a few times a second and every datagram sent) or `leave`. True for
    /// `leave`.
    fn command(&mut self, line: &str) -> bool {
        let mut words = line.split_whitespace();
        match words.next() {
            Some("block") => {
                self.blocked = words.filter_map(|w| w.parse().ok()).collect();
            }
            Some("heal") => self.blocked.clear(),
            Some("watch") => self.next_view = Some(self.clock.now()),
            Some("set") => {
                let (Some(key), value) = (words.next(), words.collect::<Vec<_>>().join(" ")) else {
                    eprintln!("{}: `set` needs a key", self.name);
                    return false;
                };
                let value = Value::User {
                    key: key.into(),
                    value,
                };
                match self.node.set(value, self.clock.now()) {
                    Ok(version) => self.emit(Event::Set {
                        key: key.into(),
                        version,
                    }),
                    Err(e) => eprintln!("{}: {e}", self.name),
                }
            }
            Some("leave") => return true,
            _ => eprintln!("{}: unknown command `{line}`", self.name),
        }
        false
    }

    /// Prints one line; a closed stdout (the launcher gone) stops the node.
    fn emit(&self, event: Event) {
        let line = Line {
            at_ms: self.clock.now(),
            node: self.name.clone(),
            event,
        };
        let Ok(text) = serde_json::to_string(&line) else {
            return;
        };
        if writeln!(io::stdout().lock(), "{text}").is_err() {
            self.stop.store(true, Ordering::Relaxed);
        }
    }
}

/// How a watching page words a node's verdict on an endpoint.
fn seen_name(seen: Reachability) -> &'static str {
    match seen {
        Reachability::Unheard => "unheard",
        Reachability::Alive => "alive",
        Reachability::Suspect => "suspect",
        Reachability::Dead => "dead",
    }
}

/// Lines of stdin, read on a thread; `None` when stdin closes.
fn commands() -> Receiver<Option<String>> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if send.send(Some(line)).is_err() {
                return;
            }
        }
        let _ = send.send(None);
    });
    receive
}

/// Unix milliseconds at the start, advanced by the monotonic clock: never going
/// back (the core's rule for `now`), and comparable between nodes on one host.
#[derive(Debug, Clone, Copy)]
struct Clock {
    started: Instant,
    epoch_ms: Millis,
}

impl Clock {
    fn start() -> Self {
        let epoch_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as Millis);
        Self {
            started: Instant::now(),
            epoch_ms,
        }
    }

    fn now(&self) -> Millis {
        self.epoch_ms + self.started.elapsed().as_millis() as Millis
    }
}
