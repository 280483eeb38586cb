//! The lab as its user drives it: actions in, what the page shows out.
use std::collections::VecDeque;

use gossip_core::sim::SimConfig;
use gossip_heartbeat::{MessageKind, Profile, Status};

use super::*;
use crate::feed::Kind;
use crate::hash_ring::MAX_RF;
use crate::timeline::BYTES_PER_ENTRY;

/// A lab of `nodes` with the tuned profile, which convicts within the 30 s the
/// tests play (Cassandra's, the default, takes about a minute).
fn lab(nodes: u32) -> Lab {
    let mut settings = Settings {
        nodes,
        ..Settings::default()
    };
    settings.take_profile(gossip_heartbeat::Profile::Tuned);
    Lab::new(settings, true)
}

/// A lab playing the preset scenario `name`.
fn scenario_lab(name: &str) -> Lab {
    Lab::new(
        Settings {
            scenario: Some(name.into()),
            ..Settings::default()
        },
        true,
    )
}

/// Plays `seconds` of simulated time at 100×, in 100 ms frames.
fn play(lab: &mut Lab, seconds: u64) {
    lab.apply(LabAction::SetSpeed(100.0));
    for _ in 0..seconds / 10 {
        lab.apply(LabAction::Frame(100.0));
    }
}

#[test]
fn play_to_pauses_exactly_at_its_moment_and_a_seek_ahead_runs_the_same_run() {
    let mut played = lab(10);
    played.apply(LabAction::SetSpeed(7.0));
    played.apply(LabAction::PlayTo(6_500.0));
    assert!(played.playing());
    for _ in 0..100 {
        played.apply(LabAction::Frame(100.0));
    }
    assert!(!played.playing(), "it pauses on arrival");
    assert_eq!(played.sim_time(), 6_500.0, "exactly at its moment");
    played.apply(LabAction::PlayTo(1_000.0));
    assert!(!played.playing(), "a moment passed already just pauses");

    // A lesson's step skipped to its end: the same run, reached at once.
    let mut skipped = lab(10);
    skipped.apply(LabAction::Pause);
    seek(&mut skipped, 6_500.0);
    assert_eq!(skipped.sim_time(), 6_500.0);
    assert_eq!(skipped.trace_hash(), played.trace_hash());
    assert_eq!(skipped.present(), 6_500.0, "the present moved on with it");

    // Play stops a `PlayTo` from pausing later: the reader took over.
    skipped.apply(LabAction::PlayTo(9_000.0));
    skipped.apply(LabAction::Play);
    play(&mut skipped, 10);
    assert!(skipped.playing() && skipped.sim_time() > 9_000.0);
}

#[test]
fn frames_advance_time_only_while_playing_and_never_by_more_than_the_clamp() {
    let mut lab = lab(10);
    lab.apply(LabAction::Frame(16.0));
    assert_eq!(lab.sim_time(), 16.0);
    lab.apply(LabAction::Frame(60_000.0));
    assert_eq!(lab.sim_time(), 116.0, "a long hidden spell is clamped");
    lab.apply(LabAction::TogglePlay);
    assert!(!lab.playing());
    lab.apply(LabAction::Play);
    assert!(lab.playing());
    lab.apply(LabAction::Pause);
    assert!(!lab.playing());
    lab.apply(LabAction::Frame(16.0));
    assert_eq!(lab.sim_time(), 116.0);
    lab.apply(LabAction::SetSpeed(1e9));
    assert_eq!(lab.settings().speed, MAX_SPEED);
    lab.apply(LabAction::SetSpeed(0.0));
    assert_eq!(lab.settings().speed, MIN_SPEED);
}

#[test]
fn step_runs_to_the_next_round_and_pauses() {
    let mut lab = lab(10);
    lab.apply(LabAction::Frame(16.0));
    lab.apply(LabAction::Step);
    assert!(!lab.playing());
    assert_eq!((lab.sim_time(), lab.sim().round()), (1000.0, 1));
    lab.apply(LabAction::Step);
    assert_eq!(lab.sim().round(), 2);
    assert_eq!(lab.traffic().len(), 2, "one traffic sample per round");
    assert!(lab.traffic()[1].messages > 0);
}

#[test]
fn configure_rebuilds_and_select_ignores_missing_nodes() {
    let mut lab = lab(10);
    play(&mut lab, 10);
    let mut settings = lab.settings().clone();
    settings.nodes = 25;
    lab.apply(LabAction::Configure(settings));
    assert_eq!((lab.sim().nodes().len(), lab.sim_time()), (25, 0.0));
    lab.apply(LabAction::Select(NodeId(24)));
    assert_eq!(lab.selected(), NodeId(24));
    lab.apply(LabAction::Select(NodeId(25)));
    assert_eq!(lab.selected(), NodeId(24));
}

#[test]
fn a_crash_is_seen_dead_and_its_detection_times_are_kept() {
    let mut lab = lab(20);
    play(&mut lab, 10);
    lab.apply(LabAction::Select(NodeId(5)));
    lab.apply(LabAction::Crash);
    lab.apply(LabAction::Select(NodeId(0)));
    assert_eq!(lab.seen(NodeId(5)), Seen::Alive);
    play(&mut lab, 30);
    assert_eq!(lab.seen(NodeId(5)), Seen::Dead);
    assert_eq!(lab.seen(NodeId(0)), Seen::Observer);
    assert_eq!(lab.last_crash_detections().len(), 19);
}

/// Every threshold the control offers runs the cluster asked for. Below the
/// suspect level (3) the node configuration was refused, and the page silently
/// fell back to the default cluster.
#[test]
fn every_threshold_offered_runs_as_set() {
    for threshold in [0.5, 2.5, 8.0, 20.0] {
        let lab = Lab::new(
            Settings {
                nodes: 12,
                threshold,
                ..Settings::default()
            },
            true,
        );
        let config = lab.sim().config();
        assert_eq!(
            (config.nodes, config.node.detector.threshold),
            (12, threshold)
        );
    }
}

#[test]
fn the_feed_tells_a_crash_and_each_conviction_in_time_order() {
    let mut lab = lab(12);
    play(&mut lab, 10);
    lab.apply(LabAction::Select(NodeId(5)));
    lab.apply(LabAction::Crash);
    play(&mut lab, 30);
    let lines: Vec<_> = lab.feed().lines(None).collect();
    let crashed = lines.iter().find(|l| l.text == "node 5 crashed").unwrap();
    let convictions: Vec<_> = lines
        .iter()
        .filter(|l| l.text.contains("convicted node 5 at phi"))
        .collect();
    assert_eq!(convictions.len(), 11, "every other node's");
    let max_detection = *lab.last_crash_detections().iter().max().unwrap();
    for line in &convictions {
        assert!(line.at_ms - crashed.at_ms <= max_detection, "{line:?}");
    }
    assert!(
        lines.windows(2).all(|w| w[0].at_ms >= w[1].at_ms),
        "newest first"
    );
    assert_eq!(
        lab.feed()
            .lines(Some(NodeId(3)))
            .filter(|l| l.kind.important())
            .count(),
        1
    );
}

#[test]
fn the_feed_tells_a_scenarios_steps_and_captions() {
    let mut lab = scenario_lab("spread");
    play(&mut lab, 40);
    let texts: Vec<&str> = lab.feed().lines(None).map(|l| l.text.as_str()).collect();
    assert!(texts.contains(&"node 5 made an update"), "{texts:?}");
    assert!(texts.iter().any(|t| t.starts_with("Push only")));
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("the update from node 5 reached every node after"))
    );
}

#[test]
fn the_spread_scenario_pauses_on_an_ack_carrying_its_update() {
    let mut lab = scenario_lab("spread");
    play(&mut lab, 60);
    assert!(!lab.playing(), "paused on the Ack");
    let opened = lab.opened().expect("an Ack is open");
    let update = lab.spread().unwrap().update;
    assert_eq!((opened.kind, update.origin), (MessageKind::Ack, NodeId(50)));
    let items = opened.items.as_ref().unwrap();
    assert!(
        items
            .iter()
            .any(|i| (i.part, i.endpoint, i.generation, i.version)
                == ("delta", update.origin, update.life, update.version))
    );
    assert!(
        (31_500..40_000).contains(&opened.sent_at),
        "{}",
        opened.sent_at
    );
    assert_eq!(lab.selected(), opened.to, "its receiver is selected");
    lab.apply(LabAction::Play);
    play(&mut lab, 60);
    assert_eq!(
        lab.scenario().map(|s| s.2),
        Some(true),
        "it goes on to its end"
    );
}

#[test]
fn a_picked_message_opens_paused_and_a_key_is_looked_up_at_a_bounded_rf() {
    let mut lab = lab(10);
    play(&mut lab, 10);
    lab.apply(LabAction::Select(NodeId(2)));
    assert_eq!(
        lab.sim().watched().count(),
        0,
        "a new selection starts its window"
    );
    lab.apply(LabAction::Open(Pick::Watched(0)));
    assert!(lab.opened().is_none(), "nothing to open yet");
    play(&mut lab, 10);
    let newest = lab.sim().watched().count() - 1;
    lab.apply(LabAction::Open(Pick::Watched(newest)));
    let opened = lab.opened().expect("opened");
    assert!(opened.from == NodeId(2) || opened.to == NodeId(2));
    assert!(!lab.playing(), "opening a message pauses");
    lab.apply(LabAction::CloseMessage);
    assert!(lab.opened().is_none());

    let ring = Ring::from_view(lab.sim().nodes()[2].view());
    assert_eq!(lab.lookup(&ring), None, "no key, no lookup");
    lab.apply(LabAction::LookUp("user:42".into()));
    for (asked, kept) in [(0, 1), (2, 2), (99, MAX_RF)] {
        lab.apply(LabAction::SetRf(asked));
        assert_eq!(lab.key().1, kept);
    }
    assert_eq!(lab.lookup(&ring).unwrap().replicas.len(), MAX_RF);
}

#[test]
fn restart_leave_and_add_change_the_cluster() {
    let mut lab = lab(10);
    play(&mut lab, 10);
    lab.apply(LabAction::Select(NodeId(3)));
    let before = lab.sim().nodes()[3].generation();
    lab.apply(LabAction::Restart);
    assert!(lab.sim().nodes()[3].generation() > before);
    lab.apply(LabAction::Select(NodeId(4)));
    lab.apply(LabAction::Leave);
    let own = lab.sim().nodes()[4].view().get(NodeId(4)).unwrap();
    assert_eq!(own.status(), Some(Status::Left));
    lab.apply(LabAction::AddNode);
    assert_eq!((lab.sim().nodes().len(), lab.selected()), (11, NodeId(10)));
}

#[test]
fn a_partition_splits_the_ring_into_halves_until_healed() {
    let mut lab = lab(20);
    play(&mut lab, 10);
    lab.apply(LabAction::PartitionHalves);
    assert!(lab.partitioned());
    play(&mut lab, 30);
    let dead = (0..20)
        .filter(|&i| lab.seen(NodeId(i)) == Seen::Dead)
        .count();
    assert!(
        (5..=15).contains(&dead),
        "the other half is convicted: {dead}"
    );
    lab.apply(LabAction::Heal);
    assert!(!lab.partitioned());
    play(&mut lab, 20);
    assert!(lab.sim().all_up_see_each_other());
}

#[test]
fn an_injected_update_is_charted_until_everyone_knows_it() {
    let mut lab = lab(30);
    lab.apply(LabAction::Select(NodeId(7)));
    lab.apply(LabAction::InjectUpdate);
    assert_eq!(lab.color_mode(), ColorMode::Update);
    assert_eq!(lab.seen(NodeId(7)), Seen::Informed);
    assert_eq!(lab.seen(NodeId(8)), Seen::Uninformed);
    play(&mut lab, 20);
    let fractions = &lab.spread().unwrap().fractions;
    assert!(fractions.len() >= 19);
    assert!(fractions.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(fractions.last(), Some(&1.0));
    lab.apply(LabAction::ToggleColorMode);
    assert_eq!(lab.color_mode(), ColorMode::Status);
}

#[test]
fn an_update_named_in_the_settings_is_injected_at_the_start() {
    let lab = Lab::new(
        Settings {
            update: Some(4),
            ..Settings::default()
        },
        true,
    );
    let spread = lab.spread().expect("followed from the start");
    assert_eq!(spread.update.origin, NodeId(4));
    assert_eq!(lab.color_mode(), ColorMode::Update);
}

#[test]
fn scenarios_run_to_their_end_or_say_why_they_cannot() {
    let mut lab = scenario_lab("crash");
    let (title, caption, done) = lab.scenario().unwrap();
    assert!(title.contains("crash") && caption.is_none() && !done);
    assert_eq!(
        lab.settings().profile(),
        Some(gossip_heartbeat::Profile::Cassandra)
    );
    play(&mut lab, 200);
    let (_, caption, done) = lab.scenario().unwrap();
    assert!(done && caption.unwrap().contains("evicted"));
    assert!(!lab.playing(), "a finished scenario pauses");
    assert_eq!(lab.last_crash_detections().len(), 28, "the second crash's");
    assert_eq!(
        lab.settings().profile(),
        Some(gossip_heartbeat::Profile::Tuned),
        "the controls follow the scenario's `set`"
    );

    lab.apply(LabAction::LoadScenario(Err("NotReadableError".into())));
    let error = lab.error().unwrap();
    assert!(
        error.contains("could not be read: NotReadableError"),
        "{error}"
    );
    lab.apply(LabAction::LoadScenario(Ok(
        "{\"at\": 1, \"crash\": 99}".into()
    )));
    let error = lab.error().unwrap();
    assert!(error.contains("line 1, field `crash`"), "{error}");
    assert!(lab.scenario().is_none());
    lab.apply(LabAction::LoadScenario(Ok(
        "{\"at\": 1, \"crash\": 2, \"caption\": \"mine\"}".into(),
    )));
    assert_eq!(lab.error(), None);
    assert_eq!(lab.scenario().map(|s| s.0), Some("Scenario"));

    // More nodes than a tab's memory holds: refused, naming the line that grows it.
    lab.apply(LabAction::LoadScenario(Ok(
        "{\"setup\": {\"nodes\": 4500}}\n{\"at\": 1, \"join\": 600}".into(),
    )));
    let error = lab.error().unwrap();
    assert!(
        error.contains("line 2, field `join`: the cluster would reach 5100 nodes"),
        "{error}"
    );
}

#[test]
fn a_profile_that_forwards_fresh_news_makes_the_nodes_forward_it() {
    let mut settings = Settings::default();
    assert!(!sim_config(&settings).node.forward_news, "Cassandra's rule");
    settings.take_profile(Profile::Chitchat);
    assert!(sim_config(&settings).node.forward_news);
    settings.fanout = 2;
    assert!(
        !sim_config(&settings).node.forward_news,
        "custom: Cassandra's rule"
    );
}

#[test]
fn the_all_to_all_baseline_is_n_times_n_minus_one_messages() {
    let lab = lab(40);
    let baseline = lab.all_to_all_per_round();
    assert_eq!(baseline.messages, 40 * 39);
    assert!(baseline.bytes > baseline.messages * 20);
}

type Looks = (
    (u64, f64, NodeId),
    Vec<String>,
    (VecDeque<RoundTraffic>, Option<Spread>),
    Vec<Seen>,
    Vec<gossip_core::sim::Envelope>,
);

/// Jumps to `at` and waits for the jump to end.
fn seek(lab: &mut Lab, at: f64) {
    lab.apply(LabAction::Seek(at));
    lab.apply(LabAction::Rewind(u32::MAX));
    assert!(!lab.playing(), "a jump pauses");
}

/// Everything the page draws from the lab at its time: the trace, the clock, the
/// feed, the charts, the colours and the messages in flight.
fn looks(lab: &Lab) -> Looks {
    let nodes = lab.sim().nodes().len() as u32;
    (
        (lab.trace_hash(), lab.sim_time(), lab.selected()),
        lab.feed()
            .lines(None)
            .map(|l| l.text.clone())
            .collect::<Vec<_>>(),
        (lab.traffic().clone(), lab.spread().cloned()),
        (0..nodes).map(|i| lab.seen(NodeId(i))).collect::<Vec<_>>(),
        lab.sim().in_flight().cloned().collect::<Vec<_>>(),
    )
}

#[test]
fn a_moment_scrubbed_back_to_looks_as_it_did_when_it_was_drawn() {
    let mut lab = lab(30);
    lab.apply(LabAction::SetSpeed(37.3));
    let mut drawn = Vec::new();
    for frame in 0..120 {
        lab.apply(LabAction::Frame(16.7));
        match frame {
            20 => {
                lab.apply(LabAction::Select(NodeId(5)));
                lab.apply(LabAction::Crash);
                lab.apply(LabAction::Select(NodeId(0)));
            }
            50 => lab.apply(LabAction::InjectUpdate),
            70 => lab.apply(LabAction::PartitionHalves),
            90 => lab.apply(LabAction::Heal),
            _ => {}
        }
        if frame % 7 == 3 {
            drawn.push((lab.sim_time(), looks(&lab)));
        }
    }
    let present = lab.sim_time();
    assert_eq!(lab.present(), present);
    // Back and forth, in any order: each moment is what was drawn.
    for (at, seen) in drawn.iter().rev().chain(drawn.iter().step_by(3)) {
        seek(&mut lab, *at);
        let now = looks(&lab);
        assert_eq!(now.0, seen.0, "at {at} ms");
        assert!(
            now.1 == seen.1,
            "the feed at {at} ms: {:?} {:?}",
            &now.1[..3],
            &seen.1[..3]
        );
        assert!(now.2 == seen.2, "the charts at {at} ms");
        assert!(
            now.3 == seen.3,
            "the colours at {at} ms: {:?} {:?} {:?}",
            now.3,
            seen.3,
            lab.color_mode()
        );
        assert!(now.4 == seen.4, "the messages in flight at {at} ms");
    }
    let kinds: Vec<_> = lab.marks().iter().map(|m| m.kind).collect();
    for kind in [
        Kind::Crash,
        Kind::Conviction,
        Kind::Update,
        Kind::Split,
        Kind::Heal,
    ] {
        assert!(kinds.contains(&Some(kind)), "{kind:?} in {kinds:?}");
    }
    lab.apply(LabAction::Seek(25_000.5));
    assert!(lab.rewinding().is_some());
    lab.apply(LabAction::Rewind(3));
    assert!(
        lab.rewinding().is_some_and(|p| p > 0.0 && p < 1.0),
        "a jump goes round by round"
    );
    lab.apply(LabAction::Live);
    lab.apply(LabAction::Rewind(u32::MAX));
    assert!(lab.playing() && lab.sim_time() == present && lab.rewinding().is_none());
}

#[test]
fn acting_in_the_past_forks_the_run_and_drops_its_future() {
    let mut lab = lab(20);
    play(&mut lab, 10);
    lab.apply(LabAction::Select(NodeId(3)));
    lab.apply(LabAction::Crash);
    play(&mut lab, 20);
    assert_eq!(lab.run_code().as_deref(), Some("c3t10000"));
    lab.apply(LabAction::Seek(5_000.0));
    lab.apply(LabAction::Select(NodeId(4)));
    lab.apply(LabAction::TogglePlay);
    assert!(
        lab.rewinding().is_some(),
        "selecting and playing wait for the jump"
    );
    lab.apply(LabAction::Crash);
    assert_eq!(
        lab.sim_time(),
        5_000.0,
        "a change to the run ends the jump first"
    );
    assert!(lab.playing(), "and then plays, as asked meanwhile");
    lab.apply(LabAction::Pause);
    lab.apply(LabAction::Crash);
    assert_eq!(lab.present(), 5_000.0, "the future is gone");
    assert_eq!(
        lab.run_code().as_deref(),
        Some("c4t5000"),
        "and node 3's crash"
    );
    let fork = lab.marks().iter().find(|m| m.kind.is_none());
    assert_eq!(fork.map(|m| m.at_ms), Some(5_000), "the fork is marked");
    play(&mut lab, 30);
    assert!(lab.sim().is_down(NodeId(4)) && !lab.sim().is_down(NodeId(3)));
}

#[test]
fn a_saved_run_replays_to_the_same_trace_natively_and_in_a_new_lab() {
    let mut saved = lab(25);
    play(&mut saved, 10);
    saved.apply(LabAction::Select(NodeId(6)));
    saved.apply(LabAction::Crash);
    saved.apply(LabAction::AddNode);
    saved.apply(LabAction::InjectUpdate);
    play(&mut saved, 10);
    saved.apply(LabAction::Frame(33.3));
    saved.apply(LabAction::Restart);
    saved.apply(LabAction::PartitionHalves);
    play(&mut saved, 10);
    let text = saved.save();

    let scenario = crate::scenario_text::parse(&text).unwrap();
    let (mut sim, mut player) = scenario.start(SimConfig::default()).unwrap();
    player
        .advance_to(&mut sim, player.end_ms(), |_| ())
        .unwrap();
    assert_eq!(sim.now(), saved.sim().now());
    assert_eq!(sim.trace_hash(), saved.trace_hash(), "{text}");

    let mut loaded = Lab::new(Settings::default(), true);
    loaded.apply(LabAction::LoadScenario(Ok(text)));
    play(&mut loaded, 40);
    assert!(
        loaded.scenario().is_some_and(|s| s.2),
        "it ends where it was saved"
    );
    assert_eq!(loaded.trace_hash(), saved.trace_hash());

    let mut linked = lab(25);
    linked.schedule(&saved.run_code().unwrap()).unwrap();
    linked.apply(LabAction::SetSpeed(100.0));
    while linked.sim_time() < saved.sim_time() {
        linked.apply(LabAction::Frame(10.0));
    }
    seek(&mut linked, saved.sim_time());
    assert_eq!(
        linked.trace_hash(),
        saved.trace_hash(),
        "a link replays it too"
    );
    assert!(linked.schedule("c99t5").is_err());
}

#[test]
fn checkpoints_stay_within_their_budget_growing_sparser() {
    let mut lab = lab(300);
    lab.apply(LabAction::SetSpeed(100.0));
    for _ in 0..100 {
        lab.apply(LabAction::Frame(100.0));
    }
    let (count, spacing) = lab.checkpoints();
    let bytes = lab.sim().members().total * BYTES_PER_ENTRY;
    assert!(
        count * bytes <= crate::timeline::BUDGET_BYTES,
        "{count} × {bytes}"
    );
    assert!(spacing > 10_000, "sparser than at the start: {spacing} ms");
    assert!(count >= 10, "{count}");
}
