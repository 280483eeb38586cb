//! Every scenario in `scenarios/` parses, runs, and does what its captions say.

#[path = "fixtures/scenario_run.rs"]
mod scenario_run;

use gossip_core::sim::{SimConfig, Simulator};
use gossip_core::{NodeId, Reachability};
use gossip_heartbeat::Node;
use gossip_scenario::{Player, Scenario};

fn start(name: &str) -> (Simulator<Node>, Player) {
    let path = format!("{}/../scenarios/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let scenario = Scenario::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    scenario.start(SimConfig::default()).unwrap()
}

fn run(sim: &mut Simulator<Node>, player: &mut Player, until_s: u64) {
    player.advance_to(sim, until_s * 1000, |_| {}).unwrap();
}

/// How many nodes that are up see `id` as convicted.
fn convicted_by(sim: &Simulator<Node>, id: NodeId) -> usize {
    sim.nodes()
        .iter()
        .filter(|n| !sim.is_down(n.id()) && n.id() != id)
        .filter(|n| {
            n.reachability(id, sim.now())
                .is_some_and(|(r, _)| r == Reachability::Dead)
        })
        .count()
}

#[test]
fn every_file_in_scenarios_parses_and_runs_to_its_end() {
    let dir = format!("{}/../scenarios", env!("CARGO_MANIFEST_DIR"));
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let (mut sim, mut player) = start(&name);
        assert!(player.end_ms() > 0);
        let end = player.end_ms();
        player.advance_to(&mut sim, end, |_| {}).unwrap();
        assert!(player.is_done(), "{name}");
        assert!(player.caption().is_some(), "{name} narrates");
        assert_eq!(sim.stats().rejected, 0, "{name}");
        count += 1;
    }
    assert!(count >= 6);
}

#[test]
fn crash_is_convicted_as_slowly_as_cassandra_then_as_fast_as_the_tuned_profile() {
    let (mut sim, mut player) = start("crash.jsonl");
    run(&mut sim, &mut player, 20);
    assert_eq!(convicted_by(&sim, NodeId(12)), 0, "Cassandra: none by 10 s");
    run(&mut sim, &mut player, 70);
    assert_eq!(convicted_by(&sim, NodeId(12)), 29, "all 29 within 60 s");
    run(&mut sim, &mut player, 135);
    assert_eq!(convicted_by(&sim, NodeId(20)), 0, "tuned: none by 5 s");
    run(&mut sim, &mut player, 141);
    assert_eq!(convicted_by(&sim, NodeId(20)), 28, "tuned: all 28 by 11 s");
    run(&mut sim, &mut player, 200);
    let members = sim.members();
    assert_eq!(
        (members.min, members.max),
        (28, 28),
        "both evicted by 200 s"
    );
    assert_eq!(player.caption().map(|c| c.contains("evicted")), Some(true));
}

#[test]
fn partition_splits_then_heals_without_a_join() {
    let (mut sim, mut player) = start("partition.jsonl");
    run(&mut sim, &mut player, 25);
    assert_eq!(
        convicted_by(&sim, NodeId(1)),
        20,
        "the even side convicted node 1"
    );
    run(&mut sim, &mut player, 129);
    assert!(!sim.all_up_see_each_other(), "still split at 129 s");
    run(&mut sim, &mut player, 140);
    assert_eq!(player.healed_at(), Some(130_000));
    assert!(sim.all_up_see_each_other(), "whole again by 140 s");
}

#[test]
fn push_pull_spreads_an_update_faster_than_push() {
    let (mut sim, mut player) = start("spread.jsonl");
    let rounds_to_spread = |sim: &mut Simulator<Node>, player: &mut Player, from: u64| {
        (from..from + 29)
            .find(|&s| {
                player.advance_to(sim, s * 1000, |_| {}).unwrap();
                player.update().is_some_and(|u| sim.informed(u) == 100)
            })
            .map(|s| s - (from - 1))
    };
    run(&mut sim, &mut player, 1);
    let push = rounds_to_spread(&mut sim, &mut player, 2).expect("push spreads in 28 rounds");
    run(&mut sim, &mut player, 31);
    let push_pull = rounds_to_spread(&mut sim, &mut player, 32).expect("push-pull spreads");
    println!("rounds to reach all 100: push {push}, push-pull {push_pull}");
    assert!((9..=16).contains(&push), "push {push}");
    assert!((5..=8).contains(&push_pull), "push-pull {push_pull}");
}

#[test]
fn all_to_all_sends_n_times_n_minus_one_messages_a_second() {
    let (mut sim, mut player) = start("all-to-all.jsonl");
    run(&mut sim, &mut player, 25);
    let before = sim.stats().messages;
    run(&mut sim, &mut player, 35);
    assert_eq!(sim.stats().messages - before, 10 * 50 * 49);
    run(&mut sim, &mut player, 70);
    let before = sim.stats().messages;
    run(&mut sim, &mut player, 80);
    let gossip = sim.stats().messages - before;
    println!("gossip: {gossip} messages in 10 s against 24,500 for all-to-all");
    assert!(gossip < 10 * 49 * 49 / 4);
}

#[test]
fn lifecycle_ends_with_the_left_node_gone_and_the_restarted_one_renewed() {
    let (mut sim, mut player) = start("lifecycle.jsonl");
    run(&mut sim, &mut player, 100);
    assert_eq!(sim.nodes().len(), 22, "two joined");
    let generation = sim.nodes()[9].generation();
    assert!(generation > 1);
    for node in sim.nodes().iter().filter(|n| !sim.is_down(n.id())) {
        assert!(
            node.view().get(NodeId(6)).is_none(),
            "{} forgot 6",
            node.id()
        );
        assert_eq!(
            node.view().get(NodeId(9)).map(|s| s.generation()),
            Some(generation)
        );
        assert_eq!(node.view().len(), 21);
    }
    assert_eq!(sim.stats().false_convictions, 0);
}

#[test]
fn a_scenario_is_the_same_run_as_the_same_calls_made_by_hand() {
    let text = "{\"setup\": {\"nodes\": 20, \"seed\": 5}}\n\
                {\"at\": 3.5, \"crash\": 4}\n\
                {\"at\": 10, \"split\": 2}\n\
                {\"at\": 30, \"heal\": true, \"caption\": \"healed\"}\n";
    let scenario = Scenario::parse(text).unwrap();
    let (mut sim, mut player) = scenario.start(SimConfig::default()).unwrap();
    let mut seen = Vec::new();
    player
        .advance_to(&mut sim, 40_000, |step| seen.push((step.line, step.at_ms)))
        .unwrap();
    assert_eq!(seen, [(2, 3_500), (3, 10_000), (4, 30_000)]);

    let mut by_hand = Simulator::<Node>::new(SimConfig {
        nodes: 20,
        seed: 5,
        ..SimConfig::default()
    })
    .unwrap();
    by_hand.advance_to(3_500);
    by_hand.crash(NodeId(4));
    by_hand.advance_to(10_000);
    let (even, odd) = (0..20).map(NodeId).partition(|id| id.0 % 2 == 0);
    by_hand.partition(&[even, odd]);
    by_hand.advance_to(30_000);
    by_hand.heal();
    by_hand.advance_to(40_000);
    assert_eq!(sim.trace_hash(), by_hand.trace_hash());
    assert_eq!(sim.stats(), by_hand.stats());
}

#[test]
fn the_lifecycle_scenario_gives_the_recorded_trace() {
    let hash = scenario_run::scenario_run(Scenario::parse).trace_hash();
    println!("scenario trace hash: {hash:#x}");
    assert_eq!(hash, scenario_run::SCENARIO_TRACE_HASH, "{hash:#x}");
}

#[test]
fn without_seeds_two_introduced_rings_stay_apart_until_a_seed_joins_them() {
    let (mut sim, mut player) = start("seeds.jsonl");
    run(&mut sim, &mut player, 39);
    let sizes: Vec<usize> = sim.nodes().iter().map(|n| n.view().len()).collect();
    assert_eq!(sizes, [6; 12], "two rings of six at 39 s");
    assert!(sim.nodes()[0].view().get(NodeId(6)).is_none());
    run(&mut sim, &mut player, 60);
    let sizes: Vec<usize> = sim.nodes().iter().map(|n| n.view().len()).collect();
    assert_eq!(sizes, [12; 12], "one cluster by 60 s");
    assert!(sim.all_up_see_each_other());
}

#[test]
fn a_latency_spike_convicts_live_nodes_under_tight_detectors_and_not_cassandras() {
    let path = format!(
        "{}/../scenarios/false-convictions.jsonl",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    let with = |profile: &str| {
        let text = text.replace(
            "\"profile\": \"tuned\"",
            &format!("\"profile\": \"{profile}\""),
        );
        Scenario::parse(&text)
            .unwrap()
            .start(SimConfig::default())
            .unwrap()
    };
    let (mut sim, mut player) = with("tuned");
    run(&mut sim, &mut player, 40);
    assert_eq!(sim.stats().false_convictions, 0, "tuned: loss alone, none");
    run(&mut sim, &mut player, 50);
    let spiked = sim.stats().false_convictions;
    assert!(spiked > 30, "tuned: {spiked} in the 10 s after the spike");
    run(&mut sim, &mut player, 100);
    assert!(sim.all_up_see_each_other(), "tuned: all alive again");

    let (mut sim, mut player) = with("chitchat");
    run(&mut sim, &mut player, 100);
    let chitchat = sim.stats().false_convictions;
    assert!((1..spiked).contains(&chitchat), "chitchat: {chitchat}");

    let (mut sim, mut player) = with("cassandra");
    run(&mut sim, &mut player, 100);
    assert_eq!(sim.stats().false_convictions, 0, "Cassandra: none");
}
