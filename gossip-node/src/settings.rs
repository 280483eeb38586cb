//! The protocol settings a node takes on its command line: the cluster's name, the
//! MTU, and the flags `gossip-sim` takes too ([`ProtocolFlags`]: the profile and
//! what overrides it). The launcher writes them back as flags for each node it
//! starts ([`flags`]), from the same `SimConfig` a scenario gives the simulator, so
//! both run the same protocol.

use clap::Args;
use gossip_cli::ProtocolFlags;
use gossip_core::Named;
use gossip_core::hash::fnv1a;
use gossip_core::sim::SimConfig;
use gossip_heartbeat::NodeConfig;
use gossip_heartbeat::wire::ClusterId;

/// How a node gossips.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// The cluster's name: datagrams of another cluster are rejected, as Cassandra
    /// rejects a Syn with another cluster name.
    #[arg(long, default_value = "gossip-lab")]
    pub cluster: String,
    /// Largest datagram sent, in bytes.
    #[arg(long, default_value_t = NodeConfig::default().mtu)]
    pub mtu: usize,
    /// The profile and the values that override it.
    #[command(flatten)]
    pub protocol: ProtocolFlags,
}

impl Settings {
    /// The node's configuration, its gossip interval included, checked.
    pub fn node_config(&self) -> Result<NodeConfig, String> {
        let config = NodeConfig {
            cluster: cluster_id(&self.cluster),
            mtu: self.mtu,
            ..self.protocol.node_config()
        };
        config.validate().map_err(|e| e.to_string())?;
        Ok(config)
    }
}

/// The flags that give a node exactly the protocol of `config` (its node settings
/// and interval), in `cluster`.
pub fn flags(config: &SimConfig<NodeConfig>, cluster: &str) -> Vec<String> {
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
