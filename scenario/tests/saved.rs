//! A run written as a scenario file (what a viewer's "Save run" does) reads back as
//! the same run: the same configuration, the same steps, the same trace.

use gossip_core::sim::{Bootstrap, SimConfig, Simulator, Timing};
use gossip_core::{Millis, Named, NodeId};
use gossip_heartbeat::Mode;
use gossip_heartbeat::Node;
use gossip_heartbeat::NodeConfig;
use gossip_heartbeat::detector::Model;
use gossip_heartbeat::node::Protocol;
use gossip_scenario::{Action, Player, Scenario, SettingsLine, setup_line, step_line};

/// A configuration far from every default, so that nothing is left to the host.
fn unusual() -> SimConfig<NodeConfig> {
    let mut config = SimConfig::<NodeConfig> {
        nodes: 17,
        seed: 99,
        timing: Timing::Continuous {
            mean_ms: 40,
            jitter_ms: 13,
        },
        loss_ppm: 12_345,
        bootstrap: Bootstrap::Seeds,
        ..SimConfig::default()
    };
    config.node.interval_ms = 700;
    config.node.tokens = 3;
    config.node.seeds = vec![NodeId(0), NodeId(5), NodeId(9)];
    config.node.fanout = 2;
    config.node.mtu = 900;
    config.node.mode = Mode::Pull;
    config.node.forward_news = true;
    config.node.detector.model = Model::Exponential { ln10_factor: false };
    config.node.detector.threshold = 6.25;
    config
}

/// The user's actions, of every kind a viewer records, and one of each other kind.
fn actions() -> Vec<(Millis, Action)> {
    vec![
        (1_234, Action::Update(NodeId(3))),
        (5_001, Action::Crash(NodeId(4))),
        (
            9_999,
            Action::Partition(vec![vec![NodeId(0), NodeId(1)], vec![NodeId(2)]]),
        ),
        (15_000, Action::Heal),
        (16_500, Action::Restart(NodeId(4))),
        (17_000, Action::Join(2)),
        (18_000, Action::Leave(NodeId(6))),
        (19_000, Action::Split(3)),
        (20_000, Action::Heal),
        (
            21_000,
            Action::Link {
                from: NodeId(1),
                to: NodeId(2),
                loss: Some(12.5),
                latency_ms: Some(90),
                jitter_ms: None,
            },
        ),
        (
            22_000,
            Action::Introduce {
                node: NodeId(7),
                contact: NodeId(8),
            },
        ),
        (
            23_000,
            Action::Set(SettingsLine {
                loss: Some(3.0),
                threshold: Some(9.5),
                ..SettingsLine::default()
            }),
        ),
    ]
}

#[test]
fn a_saved_run_replays_with_the_same_config_steps_and_trace() {
    let config = unusual();
    let mut sim = Simulator::<Node>::new(config.clone()).unwrap();
    let mut player = Player::default();
    for (at, action) in actions() {
        player.advance_to(&mut sim, at, |_| ()).unwrap();
        player.act(&mut sim, action).unwrap();
    }
    let end = 31_337;
    player.advance_to(&mut sim, end, |_| ()).unwrap();

    let title = "a \"saved\" run\\ with\ttabs";
    let mut text = setup_line(title, &config);
    for step in player.steps() {
        text.push('\n');
        text.push_str(&step_line(step));
    }
    let saved = Scenario::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(saved.setup.title.as_deref(), Some(title));
    let written: Vec<_> = saved
        .steps
        .iter()
        .map(|s| (s.at_ms, s.action.clone()))
        .collect();
    let recorded: Vec<_> = player
        .steps()
        .iter()
        .map(|s| (s.at_ms, s.action.clone()))
        .collect();
    assert_eq!(written, recorded);

    // On a host whose defaults are all different.
    let (mut replay, mut replayer) = saved.start(SimConfig::default()).unwrap();
    assert_eq!(replay.config(), &config);
    replayer.advance_to(&mut replay, end, |_| ()).unwrap();
    assert_eq!(replay.trace_hash(), sim.trace_hash());
    assert_eq!(replay.stats(), sim.stats());
}

#[test]
fn a_fork_drops_only_the_future_steps_it_is_asked_to() {
    let mut sim = Simulator::<Node>::new(SimConfig::default()).unwrap();
    let mut player = Player::default();
    player.act(&mut sim, Action::Crash(NodeId(1))).unwrap();
    player.advance_to(&mut sim, 2_000, |_| ()).unwrap();
    let mut later = player.clone();
    later.advance_to(&mut sim, 5_000, |_| ()).unwrap();
    later.act(&mut sim, Action::Crash(NodeId(2))).unwrap();
    later.act(&mut sim, Action::Heal).unwrap();
    // Back at 2 s, with the later list of steps.
    player.take_steps(&later);
    assert_eq!(player.steps().len(), 3);
    player.drop_future(|s| s.action == Some(Action::Crash(NodeId(2))));
    let left: Vec<_> = player.steps().iter().map(|s| s.action.clone()).collect();
    assert_eq!(left, [Some(Action::Crash(NodeId(1))), Some(Action::Heal)]);
}

/// The names `setup_line` writes for modes, protocols, detectors, bootstraps and
/// timings are written by hand (the page carries no serializer) apart from the ones
/// the reader's derives accept: every one of each reads back as itself.
#[test]
fn every_named_setting_reads_back_as_itself() {
    let modes = [Mode::Push, Mode::Pull, Mode::PushPull];
    let protocols = [Protocol::Gossip, Protocol::AllToAll];
    let bootstraps = [Bootstrap::Seeds, Bootstrap::Converged];
    let timings = [
        Timing::Rounds,
        Timing::Continuous {
            mean_ms: 5,
            jitter_ms: 1,
        },
    ];
    for (i, &model) in Model::ALL.iter().enumerate() {
        let mut config = unusual();
        config.node.mode = modes[i % modes.len()];
        config.node.protocol = protocols[i % protocols.len()];
        config.bootstrap = bootstraps[i % bootstraps.len()];
        config.timing = timings[i % timings.len()];
        config.node.detector.model = model;
        if config.timing == Timing::Rounds {
            config.node.forward_news = false;
        }
        let text = format!(
            "{}\n{{\"at\": 1, \"caption\": \"names\"}}",
            setup_line("names", &config)
        );
        let (sim, _) = Scenario::parse(&text)
            .unwrap()
            .start(SimConfig::default())
            .unwrap();
        let back = sim.config();
        assert_eq!(
            (
                back.node.mode,
                back.node.protocol,
                back.bootstrap,
                back.timing
            ),
            (
                config.node.mode,
                config.node.protocol,
                config.bootstrap,
                config.timing
            ),
            "{text}"
        );
        assert_eq!(back.node.detector.model, model, "{text}");
    }
    // The combinations above cover each name at least once.
    assert!(Model::ALL.len() >= modes.len().max(protocols.len()));
}
