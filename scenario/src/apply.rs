//! From a scenario's setup and settings to the simulator's configuration, with every
//! refusal naming the field to blame.

use gossip_core::Profile;
use gossip_core::detector::Model;
use gossip_core::node::NodeConfigError;
use gossip_core::sim::{Bootstrap, ConfigError, Link, PPM, Protocol, SimConfig, Timing};
use gossip_core::{Mode, NodeId};

use crate::control::LinkChange;
use crate::line::{
    BootstrapName, DetectorName, ModeName, ProtocolName, SettingsLine, SetupLine, TimingName,
};

/// A refusal: the field to blame and why.
pub type Refusal = (&'static str, String);

/// The latency a continuous run gets when the base configuration had none.
const DEFAULT_LATENCY: Timing = Timing::Continuous {
    mean_ms: 120,
    jitter_ms: 60,
};

/// Applies the setup on top of `config`. A refusal names a field of the setup,
/// `set.<field>` for one of its settings.
pub(crate) fn setup(config: &mut SimConfig, setup: &SetupLine) -> Result<(), (String, String)> {
    if let Some(profile) = setup.profile {
        take_profile(config, profile.profile());
    }
    if let Some(nodes) = setup.nodes {
        config.nodes = nodes;
    }
    if let Some(seed) = setup.seed {
        config.seed = seed;
    }
    if let Some(interval) = setup.interval_ms {
        config.node.interval_ms = interval;
    }
    if let Some(tokens) = setup.tokens {
        config.tokens_per_node = tokens;
    }
    if let Some(bootstrap) = setup.bootstrap {
        config.bootstrap = match bootstrap {
            BootstrapName::Seeds => Bootstrap::Seeds,
            BootstrapName::Converged => Bootstrap::Converged,
        };
    }
    match (setup.timing, config.timing) {
        (Some(TimingName::Rounds), _) => config.timing = Timing::Rounds,
        (Some(TimingName::Continuous), Timing::Rounds) => config.timing = DEFAULT_LATENCY,
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
pub(crate) fn settings(config: &mut SimConfig, settings: &SettingsLine) -> Result<(), Refusal> {
    if let Some(profile) = settings.profile {
        take_profile(config, profile.profile());
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
    if let Some(fanout) = settings.fanout {
        node.fanout = fanout;
    }
    if let Some(mtu) = settings.mtu {
        node.mtu = mtu;
    }
    if let Some(mode) = settings.mode {
        node.mode = match mode {
            ModeName::Push => Mode::Push,
            ModeName::Pull => Mode::Pull,
            ModeName::PushPull => Mode::PushPull,
        };
    }
    if let Some(detector) = settings.detector {
        node.detector.model = match detector {
            DetectorName::Normal => Model::NORMAL,
            DetectorName::Exponential => Model::Exponential { ln10_factor: false },
            DetectorName::ExponentialLn10 => Model::Exponential { ln10_factor: true },
        };
    }
    if let Some(threshold) = settings.threshold {
        node.detector.threshold = threshold;
    }
    if let Some(forward) = settings.forward_news {
        node.forward_news = forward;
    }
    if let Some(seeds) = &settings.seeds {
        config.node.seeds = seeds.iter().copied().map(NodeId).collect();
    }
    if let Some(protocol) = settings.protocol {
        config.protocol = match protocol {
            ProtocolName::Gossip => Protocol::Gossip,
            ProtocolName::AllToAll => Protocol::AllToAll,
        };
    }
    config.validate().map_err(blame)
}

/// A profile's interval, fanout, detector model and threshold, and whether it
/// forwards fresh news.
fn take_profile(config: &mut SimConfig, profile: Profile) {
    config.node.interval_ms = profile.interval_ms();
    config.node.fanout = profile.fanout();
    config.node.forward_news = profile.forward_news();
    config.node.detector.model = profile.model();
    config.node.detector.threshold = profile.threshold();
}

/// Percent to parts per million; `None` outside 0 to 100.
pub(crate) fn loss_ppm(percent: f64) -> Option<u32> {
    (0.0..=100.0)
        .contains(&percent)
        .then(|| (percent / 100.0 * f64::from(PPM)).round() as u32)
}

/// The scenario field behind a configuration error.
pub(crate) fn blame(error: ConfigError) -> Refusal {
    let field = match error {
        ConfigError::NodeCount(_) => "nodes",
        ConfigError::Node(NodeConfigError::ZeroInterval) => "interval_ms",
        ConfigError::Latency { .. } => "latency_ms",
        ConfigError::Loss(_) => "loss",
        ConfigError::Tokens(_) => "tokens",
        ConfigError::TokensOverMtu { .. } => "mtu",
        ConfigError::Seed(_) => "seeds",
        ConfigError::Node(NodeConfigError::Mtu(_)) => "mtu",
        ConfigError::Node(NodeConfigError::Fanout(_)) => "fanout",
        ConfigError::Node(NodeConfigError::Detector(_)) => "threshold",
        // No scenario field sets the horizon: only a host's own configuration can.
        ConfigError::Node(NodeConfigError::EvictAfter(_) | NodeConfigError::MaxEndpoints(_)) => {
            "setup"
        }
        ConfigError::Fixed(_) => "set",
    };
    (field, error.to_string())
}

/// The link a `link` step asks for, filled in from the cluster-wide network;
/// `Ok(None)` sends the link back to it.
pub(crate) fn link(config: &SimConfig, change: &LinkChange) -> Result<Option<Link>, Refusal> {
    let LinkChange {
        loss,
        latency_ms,
        jitter_ms,
    } = *change;
    if loss.is_none() && latency_ms.is_none() && jitter_ms.is_none() {
        return Ok(None);
    }
    let (mean, jitter) = match config.timing {
        Timing::Continuous { mean_ms, jitter_ms } => (mean_ms, jitter_ms),
        Timing::Rounds if latency_ms.is_some() || jitter_ms.is_some() => {
            return Err(("latency_ms", "the rounds timing has no latency".into()));
        }
        Timing::Rounds => (0, 0),
    };
    let loss_ppm = match loss {
        Some(percent) => {
            loss_ppm(percent).ok_or(("loss", format!("{percent} % is not 0 to 100")))?
        }
        None => config.loss_ppm,
    };
    let link = Link {
        loss_ppm,
        mean_ms: latency_ms.unwrap_or(mean),
        jitter_ms: jitter_ms.unwrap_or(jitter),
    };
    link.validate().map_err(blame)?;
    Ok(Some(link))
}
