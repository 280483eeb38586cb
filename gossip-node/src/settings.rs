//! The protocol settings a node takes on its command line: the profile, and the
//! values `gossip-sim` also takes (fanout, interval, MTU, detector, threshold). The
//! launcher writes them back as flags for each node it starts ([`flags`]), from the
//! same `SimConfig` a scenario gives the simulator, so both run the same protocol.

use clap::Args;
use gossip_core::detector::{Model, parse_threshold};
use gossip_core::hash::fnv1a;
use gossip_core::sim::SimConfig;
use gossip_core::wire::ClusterId;
use gossip_core::{Millis, NodeConfig, Profile};

/// How a node gossips.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// The cluster's name: datagrams of another cluster are rejected, as Cassandra
    /// rejects a Syn with another cluster name.
    #[arg(long, default_value = "gossip-lab")]
    pub cluster: String,
    /// The system whose parameters the node takes: `cassandra` (one peer a second,
    /// exponential phi with 1/ln 10), `chitchat` or `tuned`. The flags below
    /// override one of its values.
    #[arg(long, default_value = "cassandra", value_parser = profile)]
    pub profile: Profile,
    /// Live peers to gossip with per round. Default: the profile's.
    #[arg(long)]
    pub fanout: Option<usize>,
    /// Gossip interval in milliseconds. Default: the profile's.
    #[arg(long)]
    pub interval_ms: Option<Millis>,
    /// Largest datagram sent, in bytes.
    #[arg(long, default_value_t = NodeConfig::default().mtu)]
    pub mtu: usize,
    /// The failure detector's model: `normal`, `exponential` or `exponential-ln10`.
    /// Default: the profile's.
    #[arg(long, value_parser = model)]
    pub detector: Option<Model>,
    /// Convict when phi exceeds this (0.5 to 20). Default: the profile's.
    #[arg(long, value_parser = parse_threshold)]
    pub threshold: Option<f64>,
    /// Forward news learned in an exchange in the Ack2s of the round's other
    /// exchanges. Default: the profile's.
    #[arg(long)]
    pub forward_news: Option<bool>,
}

impl Settings {
    /// The node's configuration, its gossip interval included, checked.
    pub fn node_config(&self) -> Result<NodeConfig, String> {
        let mut config = self.profile.node_config();
        config.cluster = cluster_id(&self.cluster);
        config.interval_ms = self.interval_ms.unwrap_or(config.interval_ms);
        config.fanout = self.fanout.unwrap_or(config.fanout);
        config.mtu = self.mtu;
        config.detector.model = self.detector.unwrap_or(config.detector.model);
        config.detector.threshold = self.threshold.unwrap_or(config.detector.threshold);
        config.forward_news = self.forward_news.unwrap_or(config.forward_news);
        config.validate().map_err(|e| e.to_string())?;
        Ok(config)
    }
}

/// The flags that give a node exactly the protocol of `config` (its node settings
/// and interval), in `cluster`.
pub fn flags(config: &SimConfig, cluster: &str) -> Vec<String> {
    let node = &config.node;
    [
        ("--cluster", cluster.to_string()),
        ("--fanout", node.fanout.to_string()),
        ("--interval-ms", node.interval_ms.to_string()),
        ("--mtu", node.mtu.to_string()),
        ("--detector", node.detector.model.name().to_string()),
        ("--threshold", node.detector.threshold.to_string()),
        ("--forward-news", node.forward_news.to_string()),
    ]
    .into_iter()
    .flat_map(|(flag, value)| [flag.to_string(), value])
    .collect()
}

/// A cluster's id on the wire: its name's hash.
pub fn cluster_id(name: &str) -> ClusterId {
    ClusterId(fnv1a(name.as_bytes()))
}

fn profile(s: &str) -> Result<Profile, String> {
    Profile::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = Profile::ALL.iter().map(|p| p.name()).collect();
        format!("`{s}` is not a profile ({})", names.join(", "))
    })
}

fn model(s: &str) -> Result<Model, String> {
    Model::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = Model::ALL.iter().map(|m| m.name()).collect();
        format!("`{s}` is not a detector ({})", names.join(", "))
    })
}
