//! One line of a scenario file, exactly as written: the serde form. Every field, in
//! nested objects too, is optional here so that a missing one gets our own message
//! naming it (and so that each field can be read on its own: see
//! `web/src/scenario_text.rs`); unknown fields are refused, so that a typo is an
//! error instead of a silently skipped step.

use gossip_core::Named;
use gossip_core::sim::{Bootstrap, Timing};
use gossip_heartbeat::detector::Model;
use gossip_heartbeat::node::Protocol;
use gossip_heartbeat::{Mode, Profile};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

/// Reads a choice by the core's name for it ([`Named`]), refused as serde refuses
/// an unknown variant.
fn named<'de, D: Deserializer<'de>, T: Named>(d: D) -> Result<Option<T>, D::Error> {
    let Some(name) = Option::<String>::deserialize(d)? else {
        return Ok(None);
    };
    T::from_name(&name)
        .map(Some)
        .ok_or_else(|| D::Error::unknown_variant(&name, T::NAMES))
}

/// A line: the setup (first line only), or a step at a time.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Line {
    pub setup: Option<SetupLine>,
    /// Seconds of simulated time since the start.
    pub at: Option<f64>,
    pub caption: Option<String>,
    pub crash: Option<u32>,
    pub restart: Option<u32>,
    pub leave: Option<u32>,
    pub join: Option<u32>,
    pub update: Option<u32>,
    pub partition: Option<Vec<Vec<u32>>>,
    pub split: Option<u32>,
    pub heal: Option<bool>,
    pub open_ack: Option<bool>,
    pub link: Option<LinkLine>,
    pub introduce: Option<IntroduceLine>,
    pub set: Option<SettingsLine>,
}

/// The administrator points `node` at `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IntroduceLine {
    pub node: Option<u32>,
    pub to: Option<u32>,
}

/// What is fixed when the run starts.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetupLine {
    /// Shown as the scenario's name.
    pub title: Option<String>,
    /// Number of nodes at the start.
    pub nodes: Option<u32>,
    /// Seed of the run.
    pub seed: Option<u64>,
    /// Number of seed nodes: ids 0, 1, ...
    pub seeds: Option<u32>,
    /// Gossip interval in milliseconds.
    pub interval_ms: Option<u64>,
    /// Tokens per node on the ring.
    pub tokens: Option<u32>,
    /// What nodes know at the start.
    #[serde(default, deserialize_with = "named")]
    pub bootstrap: Option<Bootstrap>,
    /// How time passes.
    #[serde(default, deserialize_with = "named")]
    pub timing: Option<Timing>,
    /// The system whose parameters the run takes (fanout, interval, detector);
    /// without one, the run's own (the page's or `gossip-sim`'s flags).
    #[serde(default, deserialize_with = "named")]
    pub profile: Option<Profile>,
    /// Settings from the very start, applied after the fields above: what a saved
    /// run pins so that it replays exactly on any host, whatever its own defaults.
    pub set: Option<SettingsLine>,
}

/// One direction of one link. Fields left out follow the cluster-wide network; with
/// none, the link goes back to it.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LinkLine {
    pub from: Option<u32>,
    pub to: Option<u32>,
    /// Percent, 0 to 100.
    pub loss: Option<f64>,
    pub latency_ms: Option<u64>,
    pub jitter_ms: Option<u64>,
}

/// Settings that may change while the run goes on.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsLine {
    /// A system's fanout and detector, applied before the fields below (which may
    /// then change one of them).
    #[serde(default, deserialize_with = "named")]
    pub profile: Option<Profile>,
    /// Cluster-wide loss, percent.
    pub loss: Option<f64>,
    /// Cluster-wide mean latency, ms.
    pub latency_ms: Option<u64>,
    /// Cluster-wide latency jitter, ms.
    pub jitter_ms: Option<u64>,
    /// Live peers per round.
    pub fanout: Option<usize>,
    /// Which way state flows.
    #[serde(default, deserialize_with = "named")]
    pub mode: Option<Mode>,
    /// Largest message, bytes.
    pub mtu: Option<usize>,
    /// Gossip or the all-to-all baseline.
    #[serde(default, deserialize_with = "named")]
    pub protocol: Option<Protocol>,
    /// The failure detector's model.
    #[serde(default, deserialize_with = "named")]
    pub detector: Option<Model>,
    /// Convict above this phi.
    pub threshold: Option<f64>,
    /// Whether an Ack2 also carries the news learned since its Syn page.
    pub forward_news: Option<bool>,
    /// Every node's seeds, by id (replacing any introductions).
    pub seeds: Option<Vec<u32>>,
}
