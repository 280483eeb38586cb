//! `gossip-node cluster --serve`: a real cluster streamed over a WebSocket, and
//! clients that misbehave. Each gets its error; the cluster stays up and converged,
//! and stops with the launcher. Every wait is for a message, with a deadline.

use std::io::{BufRead, BufReader};
use std::net::{TcpStream, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use gossip_node::serve::{COMMAND_BURST, COMMANDS_PER_SECOND, MAX_CLIENTS};
use serde_json::Value;
use tungstenite::client::IntoClientRequest;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

const BINARY: &str = env!("CARGO_BIN_EXE_gossip-node");
/// The page's origin these tests claim, allowed on the command line.
const ORIGIN: &str = "http://127.0.0.1:1234";
/// The longest any wait here may take.
const PATIENCE: Duration = Duration::from_secs(20);

/// A launcher serving `nodes` nodes, and the address it serves at.
struct Launcher {
    child: Child,
    url: String,
}

impl Launcher {
    fn start(nodes: u32) -> Self {
        let mut child = Command::new(BINARY)
            .args(["cluster", "--nodes", &nodes.to_string(), "--seeds", "2"])
            .args(["--interval-ms", "200", "--serve", "127.0.0.1:0"])
            .args(["--allow-origin", ORIGIN])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let mut lines = BufReader::new(stderr).lines();
        let url = loop {
            let line = lines
                .next()
                .expect("the launcher says where it serves")
                .unwrap();
            if let Some(at) = line.find("ws://") {
                let url: String = line[at..].chars().take_while(|c| *c != ';').collect();
                break url;
            }
        };
        // Keep reading, so that the launcher never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Self { child, url }
    }

    /// A client claiming `origin` (none: a program, not a page).
    fn connect(&self, origin: Option<&str>) -> Result<Client, tungstenite::Error> {
        let mut request = self.url.as_str().into_client_request()?;
        if let Some(origin) = origin {
            request
                .headers_mut()
                .insert("origin", origin.parse().unwrap());
        }
        let (socket, _) = tungstenite::connect(request)?;
        if let MaybeTlsStream::Plain(stream) = socket.get_ref() {
            stream
                .set_read_timeout(Some(Duration::from_millis(200)))
                .unwrap();
        }
        Ok(Client { socket })
    }

    /// Stops the launcher as Ctrl-C does, and waits for it to exit.
    fn stop(mut self) -> std::process::ExitStatus {
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).unwrap();
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the launcher stops in time");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Launcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Client {
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
}

impl Client {
    fn send(&mut self, text: &str) {
        self.socket.send(Message::text(text)).unwrap();
    }

    /// The next message for which `wanted` is true, within the patience.
    fn wait_for(&mut self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            match self.socket.read() {
                Ok(Message::Text(text)) => {
                    let value: Value = serde_json::from_str(text.as_str()).unwrap();
                    if wanted(&value) {
                        return value;
                    }
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => panic!("the connection broke waiting for {what}: {e}"),
            }
        }
        panic!("no {what} within {PATIENCE:?}");
    }

    fn error(&mut self) -> String {
        let error = self.wait_for("an error", |v| v["type"] == "error");
        error["message"].as_str().unwrap().to_owned()
    }

    /// Waits until every one of `nodes` nodes sees every other alive in its view.
    fn wait_converged(&mut self, nodes: usize) {
        let mut whole = vec![false; nodes];
        let deadline = Instant::now() + PATIENCE;
        while whole.contains(&false) {
            assert!(Instant::now() < deadline, "converged within {PATIENCE:?}");
            let view = self.wait_for("a view", |v| v["event"] == "view");
            let rows = view["rows"].as_array().unwrap();
            let alive = rows.iter().filter(|r| r["seen"] == "alive").count();
            whole[view["node"].as_u64().unwrap() as usize] = alive == nodes - 1;
        }
    }
}

#[test]
fn a_page_sees_the_cluster_and_drives_it() {
    let launcher = Launcher::start(4);
    let mut page = launcher.connect(Some(ORIGIN)).unwrap();
    let hello = page.wait_for("the hello", |v| v["type"] == "hello");
    assert_eq!(hello["nodes"].as_array().unwrap().len(), 4);
    let setup = hello["setup"].as_str().unwrap();
    assert!(setup.contains("\"nodes\": 4"), "{setup}");
    // Simulated on the simulator's nearest to loopback.
    assert!(
        setup.contains("\"latency_ms\": 1") && setup.contains("\"jitter_ms\": 0"),
        "{setup}"
    );
    page.wait_converged(4);
    let sent = page.wait_for("a datagram", |v| v["event"] == "sent");
    assert!(sent["to"].as_u64().unwrap() < 4 && sent["bytes"].as_u64().unwrap() > 0);
    page.send(r#"{"crash": 3}"#);
    let step = page.wait_for("the step", |v| v["type"] == "step");
    assert!(step["line"].as_str().unwrap().contains("\"crash\": 3"));
    let mut convicted = std::collections::HashSet::new();
    while convicted.len() < 3 {
        let line = page.wait_for("a conviction", |v| {
            v["event"] == "convicted" && v["endpoint"] == 3
        });
        convicted.insert(line["node"].as_u64().unwrap());
    }
    // A node that joins is numbered next, and says where it listens.
    page.send(r#"{"join": 1}"#);
    let joined = page.wait_for("the new node", |v| v["event"] == "listening");
    assert_eq!(joined["node"], 4);
    assert!(
        joined["address"]
            .as_str()
            .unwrap()
            .starts_with("127.0.0.1:")
    );
    // A page that connects later hears the steps so far, and every node.
    let mut late = launcher.connect(None).unwrap();
    let hello = late.wait_for("the hello", |v| v["type"] == "hello");
    assert_eq!(hello["steps"].as_array().unwrap().len(), 2);
    assert_eq!(hello["nodes"].as_array().unwrap().len(), 5);
    let addresses: Vec<String> = hello["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_owned())
        .collect();
    assert!(launcher.stop().success());
    // Every node it started stopped too: their ports are free again.
    for address in &addresses {
        UdpSocket::bind(address.as_str())
            .unwrap_or_else(|e| panic!("{address} is still taken: {e}"));
    }
}

#[test]
fn bad_clients_get_their_errors_and_the_cluster_goes_on() {
    let launcher = Launcher::start(4);
    let began = Instant::now();
    // A page from another origin is refused at the handshake.
    let refused = launcher.connect(Some("http://evil.example")).err();
    match refused {
        Some(tungstenite::Error::Http(response)) => assert_eq!(response.status(), 403),
        other => panic!("another origin must be refused with 403, got {other:?}"),
    }
    let mut page = launcher.connect(Some(ORIGIN)).unwrap();
    page.wait_for("the hello", |v| v["type"] == "hello");
    for (command, why) in [
        ("crash 3", "must be JSON"),
        ("[1, 2]", "JSON object"),
        (r#"{"crash": 9}"#, "no node 9"),
        (r#"{"partition": [[0, 1], [1, 2]]}"#, "in two groups"),
        (r#"{"crash": "three"}"#, "crash"),
        (r#"{"explode": 1}"#, "explode"),
        (r#"{"at": 2, "crash": 1}"#, "leave out `at`"),
        (
            r#"{"link": {"from": 0, "to": 1, "loss": 50}}"#,
            "run on real nodes",
        ),
        (r#"{"caption": "hello"}"#, "needs an action"),
    ] {
        page.send(command);
        let error = page.error();
        assert!(
            error.contains(why),
            "{command}: {error:?} should say {why:?}"
        );
    }
    // A client that vanishes mid-stream costs the cluster nothing, and nor do
    // connections that never finish their handshake, more than the pages allowed.
    let gone = launcher.connect(Some(ORIGIN)).unwrap();
    drop(gone);
    let address = launcher.url.trim_start_matches("ws://").to_owned();
    let silent: Vec<TcpStream> = (0..MAX_CLIENTS)
        .map(|_| TcpStream::connect(address.as_str()).unwrap())
        .collect();
    // A flood: the first burst is carried out, the rest refused, and the launcher
    // answers on.
    for _ in 0..200 {
        page.send(r#"{"update": 0}"#);
    }
    let limited = page.error();
    assert!(limited.contains("too many commands"), "{limited}");
    page.wait_converged(4);
    page.send(r#"{"heal": true}"#);
    page.wait_for("the heal", |v| {
        v["type"] == "step" && v["line"].as_str().is_some_and(|l| l.contains("heal"))
    });
    // Once the silent ones are dropped for stalling, a page gets in again.
    let deadline = Instant::now() + PATIENCE;
    let mut after = loop {
        match launcher.connect(Some(ORIGIN)) {
            Ok(page) => break page,
            Err(e) => assert!(Instant::now() < deadline, "no page let in again: {e}"),
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    drop(silent);
    let hello = after.wait_for("the hello", |v| v["type"] == "hello");
    let carried = hello["steps"].as_array().unwrap().len() as f64;
    // Every message takes a token, the refused ones too: at most the burst and
    // what the time since earned, of the 210 commands sent.
    let most = COMMAND_BURST + COMMANDS_PER_SECOND * began.elapsed().as_secs_f64();
    assert!(
        (2.0..=most).contains(&carried),
        "{carried} steps carried out, at most {most}"
    );
    after.wait_converged(4);
    assert!(launcher.stop().success());
}

#[test]
fn serving_beyond_loopback_needs_public() {
    let output = Command::new(BINARY)
        .args(["cluster", "--nodes", "2", "--serve", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--public"), "{stderr}");
}

#[test]
fn serving_beyond_loopback_with_public_says_so() {
    let output = Command::new(BINARY)
        .args(["cluster", "--nodes", "1", "--seconds", "0.5"])
        .args(["--serve", "0.0.0.0:0", "--public"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("WARNING") && stderr.contains("not loopback"),
        "{stderr}"
    );
}
