//! Real nodes on loopback: processes of the `gossip-node` binary, driven by its
//! launcher or directly, each test bounded to well under 60 s of wall time. Every
//! wait is for a condition (a line a node prints, a process exiting), with a
//! deadline that fails the test.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, UdpSocket};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use gossip_core::{NodeId, hash::fnv1a};
use gossip_heartbeat::message::{Digest, Message};
use gossip_heartbeat::wire::{self, ClusterId};
use gossip_node::identity::{first_collision, id_of, loopback_candidates};
use serde_json::Value;

const BINARY: &str = env!("CARGO_BIN_EXE_gossip-node");
/// The longest any launcher run here may take, its start and stop included.
const RUN_LIMIT: Duration = Duration::from_secs(50);

/// A file in the target directory, unique to a test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    dir.join(format!("{name}-{}", std::process::id()))
}

/// Runs `gossip-node cluster` with these flags and this scenario (if any):
/// its summary, and every line its nodes printed.
fn cluster(name: &str, scenario: Option<&str>, flags: &[&str]) -> (Value, Vec<Value>) {
    let events = scratch(&format!("{name}.events.jsonl"));
    let mut command = Command::new(BINARY);
    command
        .arg("cluster")
        .args(flags)
        .arg("--events")
        .arg(&events);
    if let Some(text) = scenario {
        let path = scratch(&format!("{name}.jsonl"));
        std::fs::write(&path, text).unwrap();
        command.arg("--scenario").arg(&path);
    }
    let child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(child.wait_with_output());
    });
    let output = finished
        .recv_timeout(RUN_LIMIT)
        .expect("the launcher finishes in time")
        .unwrap();
    assert!(
        output.status.success(),
        "the launcher failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    let lines = std::fs::read_to_string(&events)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (summary, lines)
}

/// The address of each node, in the order they started listening (the
/// scenario's numbering: the launcher starts them in order and waits for each).
fn addresses(lines: &[Value]) -> Vec<String> {
    let mut seen = Vec::new();
    for line in lines.iter().filter(|l| l["event"] == "listening") {
        let node = line["node"].as_str().unwrap().to_string();
        if !seen.contains(&node) {
            seen.push(node);
        }
    }
    seen
}

/// The nodes that printed `event` about `endpoint`.
fn reporters(lines: &[Value], event: &str, endpoint: &str) -> HashSet<String> {
    lines
        .iter()
        .filter(|l| l["event"] == event && l["endpoint"] == endpoint)
        .map(|l| l["node"].as_str().unwrap().to_string())
        .collect()
}

/// Everyone but `one`.
fn others(addresses: &[String], one: &str) -> HashSet<String> {
    addresses.iter().filter(|a| *a != one).cloned().collect()
}

#[test]
fn ten_real_nodes_converge() {
    let (summary, lines) = cluster(
        "converge",
        None,
        &[
            "--nodes",
            "10",
            "--seeds",
            "2",
            "--interval-ms",
            "200",
            "--seconds",
            "4",
        ],
    );
    let nodes = addresses(&lines);
    assert_eq!(nodes.len(), 10);
    for node in &nodes {
        let learned: HashSet<&str> = lines
            .iter()
            .filter(|l| l["node"] == node.as_str() && l["event"] == "learned")
            .map(|l| l["endpoint"].as_str().unwrap())
            .collect();
        assert_eq!(learned.len(), 9, "{node} learned {learned:?}");
        assert!(
            !learned.iter().any(|e| e.starts_with('#')),
            "addresses learned"
        );
    }
    // Within the run, however loaded the machine: how fast is the simulator's
    // business (BENCHMARKS.md), not a test's.
    summary["converged_s"].as_f64().expect("converged");
    assert_eq!(summary["detections"], 0);
    assert_eq!(summary["false_convictions_per_pair_hour"], 0.0);
    assert_eq!(summary["rejected_messages"], 0);
}

#[test]
fn a_killed_node_is_convicted_by_all_the_others() {
    let (summary, lines) = cluster(
        "crash",
        Some(
            r#"{"setup": {"nodes": 10, "seeds": 2, "interval_ms": 200}}
{"at": 2, "crash": 4}
{"at": 20, "caption": "everyone has convicted node 4"}
"#,
        ),
        &[],
    );
    let nodes = addresses(&lines);
    let crashed = &nodes[4];
    assert_eq!(
        reporters(&lines, "convicted", crashed),
        others(&nodes, crashed),
        "every other node convicted the killed one"
    );
    assert_eq!(summary["detections"], 9);
    // A loaded machine may only make detection slower, never faster than the
    // detector's threshold allows: five silent intervals at the least.
    let mean = summary["detection_mean_s"].as_f64().unwrap();
    assert!(mean >= 1.0, "detected in {mean} s on average");
    assert_eq!(summary["false_convictions_per_pair_hour"], 0.0);
}

#[test]
fn a_restarted_node_is_taken_back_with_its_newer_generation() {
    let (summary, lines) = cluster(
        "restart",
        Some(
            r#"{"setup": {"nodes": 10, "seeds": 2, "interval_ms": 200}}
{"at": 2, "crash": 6}
{"at": 3, "restart": 6}
{"at": 8, "caption": "everyone knows its new generation"}
"#,
        ),
        &[],
    );
    let nodes = addresses(&lines);
    let restarted = &nodes[6];
    let generations: Vec<u64> = lines
        .iter()
        .filter(|l| l["event"] == "listening" && l["node"] == restarted.as_str())
        .map(|l| l["generation"].as_u64().unwrap())
        .collect();
    assert_eq!(generations.len(), 2, "it started twice");
    assert!(generations[1] > generations[0], "{generations:?}");
    let taken_back: HashSet<String> = lines
        .iter()
        .filter(|l| {
            l["event"] == "restarted"
                && l["endpoint"] == restarted.as_str()
                && l["generation"] == generations[1]
        })
        .map(|l| l["node"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(taken_back, others(&nodes, restarted));
    assert_eq!(summary["resurrections"], 0);
}

#[test]
fn a_node_sent_sigterm_is_seen_as_left() {
    let (_, lines) = cluster(
        "leave",
        Some(
            r#"{"setup": {"nodes": 10, "seeds": 2, "interval_ms": 200}}
{"at": 2, "leave": 3}
{"at": 6, "caption": "everyone knows node 3 left"}
"#,
        ),
        &[],
    );
    let nodes = addresses(&lines);
    let leaver = &nodes[3];
    // Its own lines: it stopped after leaving, before the launcher stopped the rest.
    let stopped = lines
        .iter()
        .position(|l| l["event"] == "stopped" && l["node"] == leaver.as_str())
        .expect("the node stopped");
    assert_eq!(lines[stopped]["reason"], "left");
    let first_other_stop = lines
        .iter()
        .position(|l| l["event"] == "stopped" && l["node"] != leaver.as_str())
        .unwrap();
    let before_the_end = &lines[..first_other_stop];
    assert_eq!(
        reporters(before_the_end, "left", leaver),
        others(&nodes, leaver),
        "every other node learned it left, before the run ended"
    );
    // Seen as leaving, not as failing: each node learned that it left before its
    // detector found the silence suspect (the order of a node's own lines, which
    // its pipe keeps, whatever the machine's load; its detector goes on, and
    // convicts the silent node in the end, as Cassandra's does).
    for node in others(&nodes, leaver) {
        let about_the_leaver = |event: &str| {
            lines.iter().position(|l| {
                l["node"] == node.as_str()
                    && l["event"] == event
                    && l["endpoint"] == leaver.as_str()
            })
        };
        let left = about_the_leaver("left").expect("it learned it left");
        for doubt in ["suspected", "convicted"] {
            assert!(
                about_the_leaver(doubt).is_none_or(|at| at > left),
                "{node} {doubt} {leaver} before it learned it left"
            );
        }
    }
}

#[test]
fn a_partition_set_through_the_launcher_heals_after_it_is_lifted() {
    let (summary, lines) = cluster(
        "partition",
        Some(
            r#"{"setup": {"nodes": 10, "seeds": 2, "interval_ms": 200}}
{"at": 2, "split": 2}
{"at": 20, "heal": true}
{"at": 24, "caption": "healed"}
"#,
        ),
        &[],
    );
    let nodes = addresses(&lines);
    let side: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, a)| (a.as_str(), i % 2))
        .collect();
    let across = lines
        .iter()
        .filter(|l| l["event"] == "convicted")
        .filter(|l| {
            let (by, of) = (l["node"].as_str().unwrap(), l["endpoint"].as_str().unwrap());
            side.contains_key(by) && side.get(by) != side.get(of)
        })
        .count();
    assert!(
        across >= 25,
        "the sides convicted each other: {across} convictions"
    );
    summary["partition_heal_s"].as_f64().expect("it healed");
    assert_eq!(summary["false_convictions_per_pair_hour"], 0.0);
    assert_eq!(summary["resurrections"], 0);
}

/// A node started directly, with its lines read on a thread.
struct Running {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<Value>,
    address: SocketAddr,
}

impl Running {
    fn start(flags: &[&str]) -> Self {
        Self::start_at("127.0.0.1:0", flags)
    }

    /// A node listening on `listen`.
    fn start_at(listen: &str, flags: &[&str]) -> Self {
        let mut child = Command::new(BINARY)
            .args(["--listen", listen, "--control", "--interval-ms", "100"])
            .args(flags)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let (send, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if send.send(serde_json::from_str(&line).unwrap()).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take().unwrap();
        let mut running = Self {
            child,
            stdin,
            lines,
            address: "0.0.0.0:0".parse().unwrap(),
        };
        let listening = running.wait_for(|l| l["event"] == "listening");
        running.address = listening["node"].as_str().unwrap().parse().unwrap();
        running
    }

    /// The first line from now on that `matches`; fails after 20 s.
    fn wait_for(&mut self, mut matches: impl FnMut(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self
                .lines
                .recv_timeout(left)
                .expect("the line came in time");
            if matches(&line) {
                return line;
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn garbage_datagrams_are_rejected_and_counted_and_the_node_gossips_on() {
    let mut a = Running::start(&[]);
    let seed = a.address.to_string();
    let mut b = Running::start(&["--seed", &seed]);
    let b_address = b.address.to_string();
    a.wait_for(|l| l["event"] == "learned" && l["endpoint"] == b_address.as_str());

    let ours = ClusterId(fnv1a(b"gossip-lab"));
    let syn = Message::Syn {
        digests: vec![Digest {
            endpoint: NodeId(1),
            generation: 1,
            max_version: 5,
        }],
    };
    let valid = wire::encode(ours, &syn);
    let garbage: Vec<Vec<u8>> = vec![
        b"hello, is this the gossip port?".to_vec(),
        Vec::new(),
        valid[..valid.len() - 2].to_vec(),
        wire::encode(ClusterId(7), &syn),
        vec![0x47; 65_000],
        [valid.as_slice(), b"trailing"].concat(),
    ];
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    for datagram in &garbage {
        socket.send_to(datagram, a.address).unwrap();
    }
    let count = garbage.len() as u64;
    let rejected = a.wait_for(|l| l["event"] == "rejected" && l["total"].as_u64() == Some(count));
    assert!(!rejected["reason"].as_str().unwrap().is_empty());

    // Still gossiping: a key set on it now reaches its peer.
    writeln!(a.stdin, "set probe after the garbage").unwrap();
    let set = a.wait_for(|l| l["event"] == "set");
    let version = set["version"].as_u64().unwrap();
    let a_address = a.address.to_string();
    b.wait_for(|l| {
        l["event"] == "changed"
            && l["endpoint"] == a_address.as_str()
            && l["version"].as_u64() >= Some(version)
    });
}

#[test]
fn two_nodes_whose_ids_collide_are_refused_and_reported_never_taken_for_one() {
    let (first, second) = first_collision(loopback_candidates()).expect("a colliding pair");
    assert_eq!(id_of(&first), id_of(&second));
    let mut hub = Running::start(&[]);
    let seed = hub.address.to_string();
    let _a = Running::start_at(&first.to_string(), &["--seed", &seed]);
    let _b = Running::start_at(&second.to_string(), &["--seed", &seed]);
    let (first, second) = (first.to_string(), second.to_string());
    let mut named = Vec::new();
    let collision = hub.wait_for(|l| {
        if let Some(endpoint) = l["endpoint"].as_str() {
            named.push(endpoint.to_string());
        }
        l["event"] == "collision"
    });
    let (kept, refused) = (
        collision["kept"].as_str().unwrap(),
        collision["refused"].as_str().unwrap(),
    );
    assert_eq!(
        collision["id"].as_u64(),
        Some(u64::from(id_of(&first.parse().unwrap()).0))
    );
    let mut pair = [kept, refused];
    pair.sort_unstable();
    let mut expected = [first.as_str(), second.as_str()];
    expected.sort_unstable();
    assert_eq!(pair, expected, "the collision names both addresses");
    assert!(
        !named.iter().any(|e| e == refused),
        "the refused address was never taken for the id: {named:?}"
    );
}

#[test]
fn a_step_real_nodes_cannot_take_is_refused_before_anything_starts() {
    let path = scratch("refused.jsonl");
    std::fs::write(
        &path,
        "{\"setup\": {\"nodes\": 4}}\n{\"at\": 1, \"set\": {\"loss\": 10}}\n",
    )
    .unwrap();
    let output = Command::new(BINARY)
        .args(["cluster", "--scenario"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        error.contains("line 2") && error.contains("cannot run on real nodes"),
        "{error}"
    );
    assert!(output.stdout.is_empty(), "no summary: nothing ran");
}
