//! `gossip-node cluster --serve ADDRESS`: the launcher's cluster, streamed to pages
//! over a WebSocket, and driven by them.
//!
//! ```text
//!  node processes ──stdout lines──▶ Cluster::take ──tap──▶ hub thread ──▶ each client thread ──▶ page
//!  page ──command──▶ client thread (parse, rate limit) ──▶ launcher's loop: Player::apply ──step──▶ hub
//! ```
//!
//! - **What a page gets** (JSON text messages, `type` first): `hello` (the nodes'
//!   addresses, the run's setup and steps as scenario lines, the run's clock), then
//!   each node's `line` (its events, its view a few times a second, each datagram
//!   it sent) with nodes and endpoints as numbers, `sampled` when datagrams came
//!   faster than a page can draw, `step` for each step carried out, and `error` for
//!   a command refused.
//! - **What a page sends**: a command is one scenario step without its time, such
//!   as `{"crash": 3}`, read by the scenario's own reader. The launcher carries it
//!   out at once through `Player::apply`, exactly as a scenario file's step.
//! - **Who may connect.** Loopback unless `--public`; a browser's page only from an
//!   allowed origin (`--allow-origin`, by default the demo page's); at most
//!   [`MAX_CLIENTS`] at once, each message at most [`MAX_MESSAGE`] bytes, and
//!   [`Bucket`]'s rate of commands. A client that misbehaves or goes away costs the
//!   cluster nothing.
//!
//! tungstenite without an async runtime: a thread per client, as the launcher
//! already has a thread per node, each polling its socket and its outbox.
//!
//! Why this file runs past 600 lines: 560 lines of one server's threads (hub, pages,
//! handshake, limits), which share its channels, then its unit tests.

use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::time::{Duration, Instant};

use gossip_core::Millis;
use gossip_scenario::{Action, Scenario};
use serde_json::{Value, json};
use tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tungstenite::http::StatusCode;
use tungstenite::protocol::WebSocketConfig;
use tungstenite::{Message, WebSocket};

use crate::event::Line;
use crate::identity::id_of;

/// The page `scripts/serve.sh` serves, allowed when no `--allow-origin` is given.
pub const DEMO_ORIGINS: [&str; 2] = ["http://127.0.0.1:8080", "http://localhost:8080"];
/// Pages connected at once.
pub const MAX_CLIENTS: usize = 16;
/// The longest message a page may send: a command is a few dozen bytes.
pub const MAX_MESSAGE: usize = 4096;
/// Commands a page may send a second, sustained.
pub const COMMANDS_PER_SECOND: f64 = 5.0;
/// Commands a page may send at once, after a quiet while.
pub const COMMAND_BURST: f64 = 10.0;
/// Datagrams passed on to pages in a [`SAMPLE_MS`] window; the rest are counted,
/// and the count said (`sampled`). A page draws about this many in flight.
pub const MAX_SENT: usize = 100;
/// The sampling window.
pub const SAMPLE_MS: Millis = 250;
/// The steps a real cluster takes.
const REAL_STEPS: &str = "crash, restart, leave, join, update, partition, split, heal";
/// How long a page may stall a handshake or a write before it is dropped.
const STALLED: Duration = Duration::from_secs(5);
/// How often a client's thread looks at its socket and its outbox.
const POLL: Duration = Duration::from_millis(20);

/// Where and to whom the launcher serves its cluster.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ServeArgs {
    /// Stream the cluster to pages over a WebSocket at this address, and take
    /// their commands; the cluster then runs until stopped (Ctrl-C) unless
    /// `--seconds` says otherwise. Open the page at `?live=ws://ADDRESS`.
    #[arg(long, value_name = "ADDRESS")]
    pub serve: Option<SocketAddr>,
    /// Let `--serve` listen on an address other than loopback: anyone who reaches
    /// it can crash these nodes.
    #[arg(long, requires = "serve")]
    pub public: bool,
    /// A page origin allowed to connect, such as `http://127.0.0.1:8080`; repeat for
    /// several. Default: the demo page's (`scripts/serve.sh`).
    #[arg(long = "allow-origin", value_name = "ORIGIN", requires = "serve")]
    pub allow_origins: Vec<String>,
}

/// A command from a page, to carry out.
#[derive(Debug)]
pub struct Command {
    /// Who sent it, for the reply.
    pub client: usize,
    /// What to do: a scenario of one step, to check against the cluster as it is
    /// ([`Scenario::check`]) and carry out now.
    pub step: Scenario,
}

/// What goes to the hub thread.
enum Hub {
    /// A page connected: its outbox.
    Joined(usize, Sender<String>),
    /// A page went away.
    Left(usize),
    /// A node's line.
    Line(usize, Line),
    /// A step carried out, as its scenario line, to every page.
    Step(String),
    /// An answer to one page.
    Reply(usize, String),
}

/// The running server: commands come in, steps and replies go out.
pub struct Server {
    /// Commands from the pages, in order.
    pub commands: Receiver<Command>,
    hub: Sender<Hub>,
    address: SocketAddr,
}

impl ServeArgs {
    /// The address to serve at, if any: loopback, unless `--public` says otherwise
    /// (then with a warning). Checked before any node starts.
    pub fn address(&self) -> Result<Option<SocketAddr>, String> {
        let Some(address) = self.serve else {
            return Ok(None);
        };
        if !address.ip().is_loopback() {
            if !self.public {
                return Err(format!(
                    "--serve {address} is not a loopback address: add --public to let anyone \
                     who reaches it crash these nodes"
                ));
            }
            eprintln!(
                "gossip-node: WARNING: serving on {address}, not loopback: anyone who reaches \
                 it can crash, restart and partition these nodes"
            );
        }
        Ok(Some(address))
    }
}

impl Server {
    /// Listens at `address` and starts the hub: `setup` is the run's setup line,
    /// `started` the run clock's start (Unix ms), `members` the nodes' addresses.
    /// Returns the server and the tap for the nodes' lines.
    pub fn start(
        address: SocketAddr,
        args: &ServeArgs,
        hello: Hello,
        members: Vec<String>,
    ) -> Result<(Self, Sender<(usize, Line)>), String> {
        let listener =
            TcpListener::bind(address).map_err(|e| format!("cannot serve on {address}: {e}"))?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        let origins: Vec<String> = if args.allow_origins.is_empty() {
            DEMO_ORIGINS.iter().map(|o| o.to_string()).collect()
        } else {
            args.allow_origins.clone()
        };
        let (hub, inbox) = mpsc::channel();
        let (send_commands, commands) = mpsc::channel();
        let (tap, lines) = mpsc::channel();
        let to_hub = hub.clone();
        std::thread::spawn(move || {
            for (member, line) in lines {
                if to_hub.send(Hub::Line(member, line)).is_err() {
                    return;
                }
            }
        });
        std::thread::spawn(move || run_hub(&inbox, hello, &members));
        let for_clients = hub.clone();
        std::thread::spawn(move || accept(&listener, &origins, &for_clients, &send_commands));
        let server = Self {
            commands,
            hub,
            address,
        };
        Ok((server, tap))
    }

    /// Where it listens (the port chosen, for port 0).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Tells every page about a step carried out, as its scenario line.
    pub fn step(&self, line: String) {
        let _ = self.hub.send(Hub::Step(line));
    }

    /// Tells one page why its command was refused.
    pub fn refuse(&self, client: usize, why: &str) {
        let _ = self.hub.send(Hub::Reply(client, error_text(why)));
    }
}

fn error_text(why: &str) -> String {
    json!({"type": "error", "message": why}).to_string()
}

/// Accepts connections, each on its own thread, up to [`MAX_CLIENTS`] at once.
fn accept(
    listener: &TcpListener,
    origins: &[String],
    hub: &Sender<Hub>,
    commands: &Sender<Command>,
) {
    let open = Arc::new(AtomicUsize::new(0));
    for (client, stream) in listener.incoming().enumerate() {
        let Ok(stream) = stream else { continue };
        let (origins, hub, commands, open) = (
            origins.to_vec(),
            hub.clone(),
            commands.clone(),
            Arc::clone(&open),
        );
        std::thread::spawn(move || {
            let full = open.fetch_add(1, Ordering::SeqCst) >= MAX_CLIENTS;
            if let Some(socket) = handshake(stream, &origins, full) {
                serve_client(client, socket, &hub, &commands);
            }
            open.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

/// The WebSocket handshake, refused with 403 for an origin not allowed and 503
/// when `full`. No Origin header is a program, not a browser's page: a local
/// program can kill the nodes anyway, while a web page cannot leave the header out.
// tungstenite's callback type returns its `ErrorResponse`, large or not.
#[allow(clippy::result_large_err)]
fn handshake(stream: TcpStream, origins: &[String], full: bool) -> Option<WebSocket<TcpStream>> {
    let check = |request: &Request, response: Response| {
        let refuse = |status, why: String| {
            let mut refusal = ErrorResponse::new(Some(why));
            *refusal.status_mut() = status;
            Err(refusal)
        };
        if full {
            return refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("at most {MAX_CLIENTS} pages at once"),
            );
        }
        match request.headers().get("origin").map(|o| o.to_str()) {
            None => Ok(response),
            Some(Ok(origin)) if origins.iter().any(|o| o == origin) => Ok(response),
            Some(origin) => refuse(
                StatusCode::FORBIDDEN,
                format!(
                    "origin {} is not allowed: start the launcher with --allow-origin",
                    origin.unwrap_or("(unreadable)")
                ),
            ),
        }
    };
    let config = WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE))
        .max_frame_size(Some(MAX_MESSAGE));
    // A connection that never completes its handshake, or a page that stops
    // reading, gives up its thread after a while instead of holding it.
    stream.set_read_timeout(Some(STALLED)).ok()?;
    stream.set_write_timeout(Some(STALLED)).ok()?;
    let socket = tungstenite::accept_hdr_with_config(stream, check, Some(config)).ok()?;
    socket.get_ref().set_read_timeout(Some(POLL)).ok()?;
    Some(socket)
}

/// One page: its commands in, the hub's messages out, until either end closes.
fn serve_client(
    client: usize,
    mut socket: WebSocket<TcpStream>,
    hub: &Sender<Hub>,
    commands: &Sender<Command>,
) {
    let (outbox, messages) = mpsc::channel();
    if hub.send(Hub::Joined(client, outbox)).is_err() {
        return;
    }
    let mut bucket = Bucket::new(Instant::now());
    loop {
        match socket.read() {
            Ok(Message::Text(text)) => {
                let answer = if !bucket.take(Instant::now()) {
                    Err(format!(
                        "too many commands: at most {COMMANDS_PER_SECOND} a second; this one was \
                         dropped"
                    ))
                } else {
                    command(text.as_str())
                };
                let sent = match answer {
                    Ok(step) => commands.send(Command { client, step }).is_ok(),
                    Err(why) => socket.send(Message::text(error_text(&why))).is_ok(),
                };
                if !sent {
                    break;
                }
            }
            Ok(Message::Close(_)) => break,
            Ok(_) => {}
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            // Closed, reset, or a message over the size limit: the page is gone.
            Err(_) => break,
        }
        let mut alive = true;
        loop {
            match messages.try_recv() {
                Ok(text) => {
                    if socket.write(Message::text(text)).is_err() {
                        alive = false;
                        break;
                    }
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    alive = false;
                    break;
                }
            }
        }
        if !alive || socket.flush().is_err() {
            break;
        }
    }
    let _ = hub.send(Hub::Left(client));
}

/// Reads a page's command: one scenario step without its time, through the
/// scenario's reader, so that it means what the same step in a file means. Steps
/// only the simulator takes are refused; node numbers are checked by the launcher,
/// which knows the cluster.
pub fn command(text: &str) -> Result<Scenario, String> {
    let mut value: Value =
        serde_json::from_str(text).map_err(|e| format!("a command must be JSON: {e}"))?;
    let object = value.as_object_mut().ok_or(
        "a command is a JSON object, a scenario step without its time, such as {\"crash\": 3}",
    )?;
    if object.contains_key("at") {
        return Err("a command happens when it arrives: leave out `at`".into());
    }
    object.insert("at".into(), 0.into());
    let scenario = Scenario::parse(&value.to_string()).map_err(|e| match e.field {
        Some(field) => format!("`{field}`: {}", e.message),
        None => e.message,
    })?;
    let Some(action) = scenario.steps.first().and_then(|s| s.action.as_ref()) else {
        return Err(format!("a command needs an action: {REAL_STEPS}"));
    };
    if action.needs_the_simulator() || *action == Action::OpenAck {
        return Err(format!("only these run on real nodes: {REAL_STEPS}"));
    }
    Ok(scenario)
}

/// A token bucket: [`COMMAND_BURST`] commands at once, [`COMMANDS_PER_SECOND`] on.
#[derive(Debug, Clone, Copy)]
pub struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    /// A full bucket.
    pub fn new(now: Instant) -> Self {
        Self {
            tokens: COMMAND_BURST,
            at: now,
        }
    }

    /// Takes one command's token; false if there is none.
    pub fn take(&mut self, now: Instant) -> bool {
        let earned = now.saturating_duration_since(self.at).as_secs_f64() * COMMANDS_PER_SECOND;
        self.tokens = (self.tokens + earned).min(COMMAND_BURST);
        self.at = now;
        if self.tokens < 1.0 {
            return false;
        }
        self.tokens -= 1.0;
        true
    }
}

/// What a page is told when it connects, besides what happened so far.
#[derive(Debug, Clone)]
pub struct Hello {
    /// The run's setup, as a scenario's setup line: what the page's simulation
    /// beside the cluster starts from.
    pub setup: String,
    /// When the run's clock started (Unix ms).
    pub started: Millis,
    /// The gossip interval.
    pub interval_ms: Millis,
}

/// What the hub knows of the members, to name them by number.
#[derive(Default)]
struct Names {
    by_address: HashMap<String, usize>,
    /// `#id`, as a node prints an endpoint whose address it has not learned.
    by_id: HashMap<String, usize>,
    addresses: Vec<String>,
}

impl Names {
    fn learn(&mut self, member: usize, address: &str) {
        if self.by_address.contains_key(address) {
            return;
        }
        if let Ok(parsed) = address.parse::<SocketAddr>() {
            self.by_id.insert(format!("#{}", id_of(&parsed).0), member);
        }
        self.by_address.insert(address.to_owned(), member);
        if self.addresses.len() <= member {
            self.addresses.resize(member + 1, String::new());
        }
        self.addresses[member] = address.to_owned();
    }

    fn number(&self, endpoint: &str) -> Option<usize> {
        self.by_address
            .get(endpoint)
            .or_else(|| self.by_id.get(endpoint))
            .copied()
    }

    /// The line with its node and endpoints as numbers and its time on the run's
    /// clock; `None` if it names an endpoint not known yet.
    fn number_line(&self, member: usize, line: &Line, started: Millis) -> Option<Value> {
        let mut value = serde_json::to_value(line).ok()?;
        let object = value.as_object_mut()?;
        object.insert("type".into(), "line".into());
        object.insert("node".into(), member.into());
        if matches!(line.event, crate::event::Event::Listening { .. }) {
            // A node that starts (a join, a restart) says where it listens.
            object.insert("address".into(), line.node.clone().into());
        }
        let at = line.at_ms.saturating_sub(started);
        object.insert("at_ms".into(), at.into());
        for field in ["endpoint", "to"] {
            if let Some(Value::String(name)) = object.get(field) {
                let number = self.number(name)?;
                object.insert(field.into(), number.into());
            }
        }
        if let Some(Value::Array(rows)) = object.get_mut("rows") {
            rows.retain_mut(|row| {
                let name = row.get("endpoint").and_then(Value::as_str).unwrap_or("");
                match self.number(name) {
                    Some(number) => {
                        row["endpoint"] = number.into();
                        true
                    }
                    None => false,
                }
            });
        }
        Some(value)
    }
}

/// The hub: numbers the nodes' lines, samples their datagrams, keeps the steps for
/// pages that connect later, and passes everything on to every page.
fn run_hub(inbox: &Receiver<Hub>, hello: Hello, members: &[String]) {
    let mut names = Names::default();
    for (member, address) in members.iter().enumerate() {
        names.learn(member, address);
    }
    let mut pages: HashMap<usize, Sender<String>> = HashMap::new();
    let mut steps: Vec<String> = Vec::new();
    let mut sampler = Sampler::default();
    let started = Instant::now();
    for message in inbox {
        let now = hello.started + started.elapsed().as_millis() as Millis;
        if let Some(sent) = sampler.ended(now) {
            let said = json!({"type": "sampled", "shown": MAX_SENT, "sent": sent,
                              "window_ms": SAMPLE_MS});
            broadcast(&mut pages, &said.to_string());
        }
        match message {
            Hub::Joined(page, outbox) => {
                let text = json!({
                    "type": "hello",
                    "nodes": names.addresses,
                    "setup": hello.setup,
                    "steps": steps,
                    "run_ms": now.saturating_sub(hello.started),
                    "interval_ms": hello.interval_ms,
                });
                if outbox.send(text.to_string()).is_ok() {
                    pages.insert(page, outbox);
                }
            }
            Hub::Left(page) => {
                pages.remove(&page);
            }
            Hub::Line(member, line) => {
                names.learn(member, &line.node);
                if matches!(line.event, crate::event::Event::Sent { .. }) && !sampler.admit() {
                    continue;
                }
                if let Some(value) = names.number_line(member, &line, hello.started) {
                    broadcast(&mut pages, &value.to_string());
                }
            }
            Hub::Step(line) => {
                let text = json!({"type": "step", "line": line}).to_string();
                steps.push(line);
                broadcast(&mut pages, &text);
            }
            Hub::Reply(page, text) => {
                if let Some(outbox) = pages.get(&page)
                    && outbox.send(text).is_err()
                {
                    pages.remove(&page);
                }
            }
        }
    }
}

/// Datagrams passed on: the first [`MAX_SENT`] of each [`SAMPLE_MS`] window.
#[derive(Debug, Default, Clone, Copy)]
pub struct Sampler {
    /// The window's start (ms).
    start: Millis,
    /// Datagrams sent in it so far.
    sent: usize,
}

impl Sampler {
    /// Moves to the window of `now`; the count of the one that ended, if more were
    /// sent in it than passed on.
    pub fn ended(&mut self, now: Millis) -> Option<usize> {
        let start = now - now % SAMPLE_MS;
        if start == self.start {
            return None;
        }
        let sent = std::mem::replace(self, Self { start, sent: 0 }).sent;
        (sent > MAX_SENT).then_some(sent)
    }

    /// Counts one datagram; whether to pass it on.
    pub fn admit(&mut self) -> bool {
        self.sent += 1;
        self.sent <= MAX_SENT
    }
}

fn broadcast(pages: &mut HashMap<usize, Sender<String>>, text: &str) {
    pages.retain(|_, outbox| outbox.send(text.to_owned()).is_ok());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datagrams_past_the_cap_are_counted_and_said() {
        let mut sampler = Sampler::default();
        assert_eq!(sampler.ended(1_000), None);
        let passed = (0..MAX_SENT + 40).filter(|_| sampler.admit()).count();
        assert_eq!(passed, MAX_SENT);
        assert_eq!(
            sampler.ended(1_000 + SAMPLE_MS - 1),
            None,
            "the same window"
        );
        assert_eq!(sampler.ended(1_000 + SAMPLE_MS), Some(MAX_SENT + 40));
        assert!(sampler.admit());
        assert_eq!(
            sampler.ended(1_000 + 2 * SAMPLE_MS),
            None,
            "one was no sample"
        );
    }

    #[test]
    fn the_bucket_holds_a_burst_then_refills_at_its_rate() {
        let start = Instant::now();
        let mut bucket = Bucket::new(start);
        let burst = (0..100).filter(|_| bucket.take(start)).count();
        assert_eq!(burst as f64, COMMAND_BURST);
        assert!(!bucket.take(start));
        let later = start + Duration::from_secs_f64(2.5 / COMMANDS_PER_SECOND);
        assert_eq!((0..100).filter(|_| bucket.take(later)).count(), 2);
    }

    #[test]
    fn a_command_is_a_step_without_its_time() {
        let step = command(r#"{"crash": 3}"#).unwrap();
        assert_eq!(
            step.steps[0].action,
            Some(Action::Crash(gossip_core::NodeId(3)))
        );
        assert!(command(r#"{"set": {"fanout": 2}}"#).is_err());
        assert!(command("{}").is_err());
    }
}
