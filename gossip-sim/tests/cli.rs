//! Runs the `gossip-sim` binary as a user would.

use gossip_heartbeat::Node;
use std::process::Command;

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gossip-sim"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn prints_a_json_summary_with_the_documented_fields() {
    let (ok, stdout, stderr) = run(&[
        "--nodes", "50", "--rounds", "20", "--loss", "10", "--seed", "4",
    ]);
    assert!(ok, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let spread = json["rounds_to_full_spread"]
        .as_u64()
        .expect("spread within 20 rounds");
    assert!((3..=20).contains(&spread), "{spread}");
    let max = json["max_message_bytes"].as_u64().unwrap();
    assert!(max > 0 && max <= 1400, "{max}");
    // Each node opens `fanout` exchanges a round (plus the odd seed or unreachable
    // one), each at most three messages of at most 1400 bytes.
    let fanout = json["fanout"].as_f64().unwrap();
    let per_node = json["bytes_per_node_per_round"].as_f64().unwrap();
    assert!(
        per_node > 0.0 && per_node < (fanout + 2.0) * 3.0 * 1400.0,
        "{per_node}"
    );
    let messages = json["messages_per_round"].as_f64().unwrap();
    assert!(
        (50.0 * fanout..=50.0 * (fanout + 2.0) * 3.0).contains(&messages),
        "{messages}"
    );
    assert!(json["lost_messages"].as_u64().unwrap() > 0);
    assert_eq!(json["rejected_messages"], 0);
}

#[test]
fn the_same_flags_give_the_same_run() {
    let args = [
        "--nodes", "30", "--rounds", "10", "--seed", "8", "--mode", "pull", "--timing", "rounds",
    ];
    let (first, second) = (run(&args), run(&args));
    assert!(first.0 && second.0, "{}{}", first.2, second.2);
    let hash = |out: &str| {
        let json: serde_json::Value = serde_json::from_str(out).unwrap();
        json["trace_hash"].as_str().unwrap().to_owned()
    };
    assert_eq!(hash(&first.1), hash(&second.1));
    assert_eq!(first.1, second.1);
}

#[test]
fn bad_flags_get_a_clear_error() {
    let (ok, _, stderr) = run(&["--loss", "150"]);
    assert!(!ok);
    assert!(stderr.contains("150 is not between 0 and 100"), "{stderr}");
    let (ok, _, stderr) = run(&["--nodes", "0"]);
    assert!(!ok);
    assert!(stderr.contains("node count must be between 1"), "{stderr}");
    let (ok, _, stderr) = run(&["--mtu", "50"]);
    assert!(!ok);
    assert!(stderr.contains("MTU must be between"), "{stderr}");
    let (ok, _, stderr) = run(&["--mode", "shout"]);
    assert!(!ok);
    assert!(stderr.contains("invalid value 'shout'"), "{stderr}");
}

#[test]
fn crashes_and_a_partition_report_detection_and_healing() {
    let args = [
        "--profile",
        "tuned",
        "--nodes",
        "60",
        "--rounds",
        "150",
        "--seed",
        "2",
        "--crashes",
        "3",
        "--partition-at",
        "20",
        "--partition-rounds",
        "40",
    ];
    let (ok, stdout, stderr) = run(&args);
    assert!(ok, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let mean = json["detection_mean_s"]
        .as_f64()
        .expect("crashes were detected");
    let p99 = json["detection_p99_s"].as_f64().unwrap();
    let max = json["detection_max_s"].as_f64().unwrap();
    assert!(
        0.0 < mean && mean <= p99 && p99 <= max && max < 30.0,
        "{mean} {p99} {max}"
    );
    let heal = json["partition_heal_s"]
        .as_f64()
        .expect("the partition healed");
    assert!(heal <= 60.0, "{heal}");
    assert_eq!(json["resurrections"], 0);
    assert_eq!(json["max_members"], 60);
    assert_eq!(json["false_convictions_per_pair_hour"], 0.0);
}

/// Detection (mean, max) of 3 crashes among 60 nodes, with these extra flags.
fn detection(flags: &[&str]) -> (serde_json::Value, f64, f64) {
    let mut args = vec![
        "--nodes",
        "60",
        "--rounds",
        "150",
        "--seed",
        "4",
        "--crashes",
        "3",
    ];
    args.extend_from_slice(flags);
    let (ok, stdout, stderr) = run(&args);
    assert!(ok, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let mean = json["detection_mean_s"].as_f64().expect("detected");
    let max = json["detection_max_s"].as_f64().unwrap();
    (json, mean, max)
}

#[test]
fn profiles_set_each_systems_parameters_and_a_flag_overrides_one() {
    // The default is Cassandra: one peer, exponential phi with 1/ln 10, about 18.4
    // mean gaps of heartbeat news before a conviction.
    let (json, cassandra, _) = detection(&[]);
    assert_eq!(json["profile"], "cassandra");
    assert_eq!(
        (json["fanout"].as_u64(), json["detector"].as_str()),
        (Some(1), Some("exponential-ln10"))
    );
    assert!(
        (18.0..60.0).contains(&cassandra),
        "cassandra: {cassandra} s"
    );
    let (json, chitchat, _) = detection(&["--profile", "chitchat"]);
    assert_eq!(
        (json["fanout"].as_u64(), json["detector"].as_str()),
        (Some(3), Some("exponential"))
    );
    let (json, tuned, tuned_max) = detection(&["--profile", "tuned"]);
    assert_eq!(
        (json["fanout"].as_u64(), json["detector"].as_str()),
        (Some(4), Some("normal"))
    );
    assert!(
        tuned <= 9.0 && tuned_max <= 12.0,
        "tuned: {tuned} s, max {tuned_max} s"
    );
    assert!(
        tuned < chitchat && chitchat < cassandra,
        "{tuned} {chitchat} {cassandra}"
    );
    // One value changed: the run is custom, and the change took effect.
    let (json, _, _) = detection(&[
        "--profile",
        "tuned",
        "--threshold",
        "12",
        "--detector",
        "exponential",
    ]);
    assert_eq!(json["profile"], "custom");
    assert_eq!(
        (json["threshold"].as_f64(), json["detector"].as_str()),
        (Some(12.0), Some("exponential"))
    );
    let (ok, _, stderr) = run(&["--threshold", "30"]);
    assert!(
        !ok && stderr.contains("30 is not between 0.5 and 20"),
        "{stderr}"
    );
    let (ok, _, stderr) = run(&["--profile", "akka"]);
    assert!(!ok && stderr.contains("invalid value 'akka'"), "{stderr}");
}

#[test]
fn too_many_crashes_is_an_error() {
    let (ok, _, stderr) = run(&["--nodes", "5", "--crashes", "9"]);
    assert!(!ok);
    assert!(stderr.contains("--crashes 9 is more than"), "{stderr}");
}

fn scenario(name: &str) -> String {
    format!("{}/../scenarios/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_scenario_runs_to_its_end_with_its_captions_and_table_sizes() {
    let path = scenario("partition.jsonl");
    let (ok, stdout, stderr) = run(&["--scenario", &path]);
    assert!(ok, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    // The setup line overrides the flags' defaults; the run ends at the last step.
    assert_eq!(json["nodes"], 40);
    assert_eq!(json["seed"], 8);
    assert_eq!(json["rounds"], 140);
    let captions = json["captions"].as_array().unwrap();
    assert_eq!(captions.len(), 5);
    assert_eq!(captions[3]["at_s"], 130.0);
    let heal = json["partition_heal_s"].as_f64().expect("healed");
    assert!(heal <= 10.0, "{heal}");
    // Each side evicts the other during the partition, and learns it back after.
    let samples = json["members_over_time"].as_array().unwrap();
    let at = |round: u64| {
        samples
            .iter()
            .find(|s| s["round"] == round)
            .unwrap_or_else(|| panic!("no sample at round {round}"))
    };
    assert_eq!(at(2)["max"], 40);
    assert_eq!(
        (at(120)["min"].clone(), at(120)["max"].clone()),
        (20.into(), 20.into())
    );
    assert_eq!(
        (at(140)["min"].clone(), at(140)["mean"].clone()),
        (40.into(), 40.0.into())
    );
    assert!(samples.iter().all(|s| s["live"] == 40));
}

#[test]
fn crashed_nodes_leave_the_tables_after_the_horizon() {
    let (ok, stdout, stderr) = run(&[
        "--nodes",
        "30",
        "--crashes",
        "3",
        "--rounds",
        "200",
        "--sample-every",
        "10",
        "--seed",
        "6",
    ]);
    assert!(ok, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let samples = json["members_over_time"].as_array().unwrap();
    assert_eq!(samples.len(), 20);
    let last = samples.last().unwrap();
    assert_eq!(
        (last["live"].clone(), last["max"].clone()),
        (27.into(), 27.into())
    );
    assert_eq!(json["max_members"], 30);
}

#[test]
fn a_bad_scenario_file_gets_an_error_naming_line_and_field() {
    let dir = std::env::temp_dir().join(format!("gossip-sim-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.jsonl");
    std::fs::write(
        &path,
        "{\"at\": 0, \"caption\": \"hi\"}\n{\"at\": 5, \"link\": {\"from\": 1, \"to\": 2, \"loss\": \"x\"}}\n",
    )
    .unwrap();
    let (ok, stdout, stderr) = run(&["--scenario", path.to_str().unwrap()]);
    assert!(!ok);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("bad.jsonl: line 2, field `link.loss`: invalid type"),
        "{stderr}"
    );
    let (ok, _, stderr) = run(&["--scenario", "/no/such/file.jsonl"]);
    assert!(!ok);
    assert!(
        stderr.contains("cannot read /no/such/file.jsonl"),
        "{stderr}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// A sweep writes one CSV row per combination and seed, each the run that the same
/// flags give alone; and with stderr not a terminal, no progress bar is drawn.
#[test]
fn a_sweep_writes_a_csv_row_per_run() {
    let (ok, stdout, stderr) = run(&[
        "--rounds",
        "8",
        "--sweep",
        "nodes=12,24",
        "--sweep",
        "fanout=1,3",
        "--repeat",
        "2",
        "--seed",
        "3",
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(stderr, "", "no progress bar in a pipe");
    let mut lines = stdout.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 2 * 2 * 2);
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (nodes, fanout, seed, hash) = (
        column("nodes"),
        column("fanout"),
        column("seed"),
        column("trace_hash"),
    );
    assert_eq!(
        (rows[7][nodes], rows[7][fanout], rows[7][seed]),
        ("24", "3", "4")
    );
    let (_, alone, _) = run(&[
        "--rounds", "8", "--nodes", "24", "--fanout", "3", "--seed", "4",
    ]);
    let json: serde_json::Value = serde_json::from_str(&alone).unwrap();
    assert_eq!(json["trace_hash"], rows[7][hash]);
    let scalars: Vec<&str> = json
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, value)| !value.is_array())
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(header, scalars, "a row is the summary but for its lists");
    assert!(header.contains(&"full_spread_s") && header.contains(&"forward_news"));

    let (ok, _, stderr) = run(&["--rounds", "8", "--sweep", "loss=5,200"]);
    assert!(
        !ok && stderr.contains("in the sweep") && stderr.contains("200"),
        "{stderr}"
    );
    let (ok, _, stderr) = run(&[
        "--sweep",
        "nodes=5",
        "--seed",
        "18446744073709551615",
        "--repeat",
        "2",
    ]);
    assert!(!ok && stderr.contains("largest seed"), "{stderr}");
}

/// A run saved as a scenario file (what the page's "Save run" writes) replays to
/// exactly its last line, not to the next round's end, with the trace of the run
/// it was saved from, and no update of gossip-sim's own mixed in.
#[test]
fn a_saved_run_replays_to_its_last_line_with_the_same_trace() {
    use gossip_core::NodeId;
    use gossip_core::sim::{SimConfig, Simulator};
    use gossip_scenario::{Action, Player, Step, setup_line, step_line};

    let config = SimConfig {
        nodes: 15,
        seed: 21,
        ..SimConfig::default()
    };
    let mut sim = Simulator::<Node>::new(config.clone()).unwrap();
    let mut player = Player::default();
    player.advance_to(&mut sim, 2_500, |_| ()).unwrap();
    player.act(&mut sim, Action::Update(NodeId(3))).unwrap();
    player.advance_to(&mut sim, 9_321, |_| ()).unwrap();
    player.act(&mut sim, Action::Crash(NodeId(7))).unwrap();
    let end = 12_345;
    player.advance_to(&mut sim, end, |_| ()).unwrap();
    let last = Step {
        line: 0,
        at_ms: end,
        action: None,
        caption: Some("saved here".into()),
    };
    let mut text = setup_line("saved", &config);
    for step in player.steps().iter().chain([&last]) {
        text.push('\n');
        text.push_str(&step_line(step));
    }
    let path = std::env::temp_dir().join(format!("saved-run-{}.jsonl", std::process::id()));
    std::fs::write(&path, text).unwrap();
    let (ok, stdout, stderr) = run(&["--scenario", path.to_str().unwrap()]);
    std::fs::remove_file(&path).unwrap();
    assert!(ok, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        json["trace_hash"].as_str().unwrap(),
        format!("{:#018x}", sim.trace_hash())
    );
    let spread = json["rounds_to_full_spread"]
        .as_u64()
        .expect("the run's own update");
    assert!((1..=8).contains(&spread), "{spread}");
}

/// CI's short soak: a few hundred random fault schedules at 30 nodes, every
/// invariant holding.
#[test]
fn a_short_soak_holds_every_invariant() {
    let out = std::env::temp_dir().join(format!("soak-ci-{}", std::process::id()));
    let out = out.to_str().unwrap();
    let (ok, stdout, stderr) = run(&["soak", "--seeds", "0..300", "--out", out]);
    let report: serde_json::Value = serde_json::from_str(&stdout).expect(&stderr);
    assert_eq!(report["failures"], serde_json::json!([]), "{stdout}");
    assert!(ok);
    assert_eq!(report["seeds"], 300);
    assert!(report["invariants_checked"].as_u64().unwrap() > 300 * 7);
}

/// With the tombstones off (a test-only switch), the soak finds the ghosts they
/// keep out, and the file it writes replays the run to that moment exactly.
#[test]
fn the_soak_finds_a_planted_bug_and_its_file_replays_it() {
    let out = std::env::temp_dir().join(format!("soak-planted-{}", std::process::id()));
    let out = out.to_str().unwrap();
    let (ok, stdout, _) = run(&[
        "soak",
        "--seeds",
        "0..20",
        "--quarantine-ms",
        "0",
        "--out",
        out,
    ]);
    assert!(!ok, "the soak fails");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let failure = &report["failures"][0];
    assert_eq!(failure["invariant"], "no-ghost", "{stdout}");
    let file = failure["file"].as_str().unwrap();
    let (ok, stdout, stderr) = run(&["--scenario", file, "--quarantine-ms", "0"]);
    assert!(ok, "{stderr}");
    let replay: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(replay["trace_hash"], failure["trace_hash"]);
    assert!(replay["resurrections"].as_u64().unwrap() > 0);
    assert_eq!(
        replay["rounds"].as_f64().unwrap(),
        failure["at_s"].as_f64().unwrap(),
        "the replay ends where the invariant broke (one-second rounds)"
    );
}

#[test]
fn a_soak_needs_a_range_of_seeds() {
    for bad in ["5", "9..3", "a..b"] {
        let (ok, _, stderr) = run(&["soak", "--seeds", bad]);
        assert!(!ok && stderr.contains("--seeds"), "{bad}: {stderr}");
    }
}
