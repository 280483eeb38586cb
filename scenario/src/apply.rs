//! From a scenario's setup and settings to the simulator's configuration, with every
//! refusal naming the field to blame.

use gossip_core::NodeId;
use gossip_core::sim::{ConfigError, DEFAULT_TIMING, SimConfig, Timing, loss_ppm};
use gossip_heartbeat::NodeConfig;
use gossip_heartbeat::Overrides;
use gossip_heartbeat::node::{INTERVALS_MS, NodeConfigError};

use crate::line::{SettingsLine, SetupLine};

/// A refusal: the field to blame and why.
pub type Refusal = (&'static str, String);

/// Applies the setup on top of `config`. A refusal names a field of the setup,
/// `set.<field>` for one of its settings.
pub(crate) fn setup(
    config: &mut SimConfig<NodeConfig>,
    setup: &SetupLine,
) -> Result<(), (String, String)> {
    if let Some(profile) = setup.profile {
        profile.apply_to(&mut config.node);
    }
    if let Some(nodes) = setup.nodes {
        config.nodes = nodes;
    }
    if let Some(seed) = setup.seed {
        config.seed = seed;
    }
    if let Some(interval) = setup.interval_ms {
        if !INTERVALS_MS.contains(&interval) {
            return Err((
                "interval_ms".into(),
                format!(
                    "{interval} ms is not between {} and {} ms",
                    INTERVALS_MS.start(),
                    INTERVALS_MS.end()
                ),
            ));
        }
        config.node.interval_ms = interval;
    }
    if let Some(tokens) = setup.tokens {
        config.node.tokens = tokens;
    }
    if let Some(bootstrap) = setup.bootstrap {
        config.bootstrap = bootstrap;
    }
    // A continuous run keeps the base's latency; from the rounds, it takes the
    // default network's.
    match (setup.timing, config.timing) {
        (Some(Timing::Rounds), _) => config.timing = Timing::Rounds,
        (Some(Timing::Continuous { .. }), Timing::Rounds) => config.timing = DEFAULT_TIMING,
        _ => {}
    }
    if let Some(seeds) = setup.seeds {
        if seeds > config.nodes {
            return Err((
                "seeds".into(),
                format!("{seeds} seeds among {} nodes", config.nodes),
            ));
        }
        config.node.seeds = (0..seeds).map(NodeId).collect();
    } else {
        // The base's seeds may not all exist in a smaller cluster.
        config.node.seeds.retain(|s| s.0 < config.nodes);
    }
    if let Some(set) = &setup.set {
        return settings(config, set).map_err(|(field, message)| (format!("set.{field}"), message));
    }
    config.validate().map_err(|e| {
        let (field, message) = blame(e);
        (field.to_owned(), message)
    })
}

/// Applies a change of settings on top of `config`.
pub(crate) fn settings(
    config: &mut SimConfig<NodeConfig>,
    settings: &SettingsLine,
) -> Result<(), Refusal> {
    if let Some(profile) = settings.profile {
        profile.apply_to(&mut config.node);
    }
    if let Some(loss) = settings.loss {
        config.loss_ppm = loss_ppm(loss).ok_or(("loss", format!("{loss} % is not 0 to 100")))?;
    }
    if settings.latency_ms.is_some() || settings.jitter_ms.is_some() {
        let Timing::Continuous { mean_ms, jitter_ms } = config.timing else {
            let field = if settings.latency_ms.is_some() {
                "latency_ms"
            } else {
                "jitter_ms"
            };
            return Err((field, "the rounds timing has no latency".into()));
        };
        config.timing = Timing::Continuous {
            mean_ms: settings.latency_ms.unwrap_or(mean_ms),
            jitter_ms: settings.jitter_ms.unwrap_or(jitter_ms),
        };
    }
    let node = &mut config.node;
    Overrides {
        interval_ms: None,
        fanout: settings.fanout,
        model: settings.detector,
        threshold: settings.threshold,
        forward_news: settings.forward_news,
    }
    .apply_to(node);
    node.mtu = settings.mtu.unwrap_or(node.mtu);
    node.mode = settings.mode.unwrap_or(node.mode);
    if let Some(seeds) = &settings.seeds {
        node.seeds = seeds.iter().copied().map(NodeId).collect();
    }
    node.protocol = settings.protocol.unwrap_or(node.protocol);
    config.validate().map_err(blame)
}

/// The scenario field behind a configuration error.
pub(crate) fn blame(error: ConfigError<NodeConfigError>) -> Refusal {
    let field = match error {
        ConfigError::NodeCount(_) => "nodes",
        ConfigError::Member(NodeConfigError::ZeroInterval) => "interval_ms",
        ConfigError::Latency { .. } => "latency_ms",
        ConfigError::Loss(_) => "loss",
        ConfigError::Member(NodeConfigError::Tokens(_)) => "tokens",
        ConfigError::Member(NodeConfigError::TokensOverMtu { .. }) => "mtu",
        ConfigError::Seed(_) => "seeds",
        ConfigError::Member(NodeConfigError::Mtu(_)) => "mtu",
        ConfigError::Member(NodeConfigError::Fanout(_)) => "fanout",
        ConfigError::Member(NodeConfigError::Detector(_)) => "threshold",
        // No scenario field sets the horizon: only a host's own configuration can.
        ConfigError::Member(NodeConfigError::EvictAfter(_) | NodeConfigError::MaxEndpoints(_)) => {
            "setup"
        }
        ConfigError::Fixed(_) => "set",
    };
    (field, error.to_string())
}
