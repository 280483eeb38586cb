//! The command-line flags `gossip-sim` and `gossip-node` share, written once: the
//! profile a run takes and the values that override it ([`ProtocolFlags`]), and a
//! parser for any of the core's named choices ([`named`]), so that a flag takes
//! exactly the names a scenario file or a URL does.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use gossip_core::{Millis, Named};
use gossip_heartbeat::detector::{Model, parse_threshold};
use gossip_heartbeat::node::INTERVALS_MS;
use gossip_heartbeat::{NodeConfig, Overrides, Profile};

/// The protocol's parameters: a profile, and the values that override its own.
#[derive(Debug, Clone, clap::Args)]
pub struct ProtocolFlags {
    /// The system whose parameters the run takes: `cassandra` (one peer a second,
    /// exponential phi with 1/ln 10), `chitchat` (three peers, phi = t / mean) or
    /// `tuned` (four peers, the normal model). `--fanout`, `--interval-ms`,
    /// `--detector`, `--threshold` and `--forward-news` override one of its values.
    #[arg(long, default_value = "cassandra", value_parser = named::<Profile>())]
    pub profile: Profile,
    /// Gossip interval in milliseconds (100 to 10000). Default: the profile's.
    #[arg(long, value_parser = parse_interval)]
    pub interval_ms: Option<Millis>,
    /// Live peers each node gossips with per round. Default: the profile's.
    #[arg(long)]
    pub fanout: Option<usize>,
    /// The failure detector's model: `normal`, `exponential` (chitchat) or
    /// `exponential-ln10` (Cassandra). Default: the profile's.
    #[arg(long, value_parser = named::<Model>())]
    pub detector: Option<Model>,
    /// Convict when phi exceeds this (0.5 to 20). Default: the profile's.
    #[arg(long, value_parser = parse_threshold)]
    pub threshold: Option<f64>,
    /// Forward news learned in an exchange in the Ack2s of the round's other
    /// exchanges (not Cassandra's rule; chitchat's and the tuned profile's; off in
    /// the papers' rounds). Default: the profile's.
    #[arg(long)]
    pub forward_news: Option<bool>,
}

impl ProtocolFlags {
    /// The values given, over the profile's.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            interval_ms: self.interval_ms,
            fanout: self.fanout,
            model: self.detector,
            threshold: self.threshold,
            forward_news: self.forward_news,
        }
    }

    /// The profile's node configuration with the values given over it (not yet
    /// validated: the caller may set more first).
    pub fn node_config(&self) -> NodeConfig {
        self.profile.node_config_with(&self.overrides())
    }
}

/// An interval as the flags take it: a whole number of ms within [`INTERVALS_MS`].
fn parse_interval(text: &str) -> Result<Millis, String> {
    let value: Millis = text
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number of milliseconds"))?;
    if INTERVALS_MS.contains(&value) {
        Ok(value)
    } else {
        Err(format!(
            "{value} ms is not between {} and {} ms",
            INTERVALS_MS.start(),
            INTERVALS_MS.end()
        ))
    }
}

/// Parses a flag's value as one of `T`'s names; `--help` lists them.
pub fn named<T: Named + Clone + Send + Sync>() -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(T::NAMES).try_map(|name| {
        T::from_name(&name).ok_or_else(|| format!("`{name}` is not one of {}", T::NAMES.join(", ")))
    })
}

#[cfg(test)]
mod tests {
    use clap::Parser;
    use gossip_heartbeat::Mode;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        protocol: ProtocolFlags,
        #[arg(long, value_parser = named::<Mode>())]
        mode: Option<Mode>,
    }

    #[test]
    fn flags_override_their_profile_and_take_the_cores_names() {
        let cli = Cli::try_parse_from([
            "run",
            "--profile",
            "tuned",
            "--threshold",
            "12",
            "--mode",
            "push-pull",
        ])
        .unwrap();
        let node = cli.protocol.node_config();
        assert_eq!(node.fanout, Profile::Tuned.fanout());
        assert_eq!(node.detector.threshold, 12.0);
        assert_eq!(cli.mode, Some(Mode::PushPull));
        for (interval, ok) in [
            ("99", false),
            ("100", true),
            ("10000", true),
            ("10001", false),
        ] {
            let parsed = Cli::try_parse_from(["run", "--interval-ms", interval]);
            assert_eq!(parsed.is_ok(), ok, "--interval-ms {interval}");
        }
        let refused = Cli::try_parse_from(["run", "--detector", "gaussian"])
            .err()
            .unwrap()
            .to_string();
        assert!(
            refused.contains("normal, exponential, exponential-ln10"),
            "{refused}"
        );
    }
}
