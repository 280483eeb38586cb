//! Profiles: the protocol's parameters as a real system sets them, so that a run can
//! be the seeds' protocol as Cassandra runs it (the default), chitchat's, or the
//! tuning this project measured. A profile sets the fanout, the interval and the
//! failure detector; the rest of a [`NodeConfig`] (MTU, mode, eviction) is the same
//! in all three. Values and sources: `../shared/REFERENCE.md`, "Profiles".

use alloc::vec::Vec;

use crate::detector::{DetectorConfig, Model};
use crate::node::{DEFAULT_MAX_ENDPOINTS, Mode, NodeConfig, Protocol};
use crate::wire::ClusterId;
use gossip_core::Millis;
use gossip_core::named::{Named, named};

/// A system whose gossip parameters a run can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// Cassandra's `Gossiper` and `FailureDetector`: one random live peer a second
    /// (plus the unreachable-node and seed rules), exponential phi with the 1/ln 10
    /// factor, Φ = 8. A crash is convicted after about 18.4 mean gaps.
    #[default]
    Cassandra,
    /// quickwit-oss/chitchat: three live peers a second (`GOSSIP_COUNT = 3`),
    /// exponential phi = t / mean, Φ = 8.
    Chitchat,
    /// Gossip Lab's tuning (BENCHMARKS.md, core/tests/detection.rs): four live peers
    /// and Akka's normal model, the least fanout that convicts a crash in under 9 s
    /// on average at 10 % loss with no false conviction in an hour at 30 % loss.
    Tuned,
}

named!(Profile {
    Cassandra => "cassandra",
    Chitchat => "chitchat",
    Tuned => "tuned",
});

impl Profile {
    /// What a reader sees.
    pub fn label(self) -> &'static str {
        match self {
            Profile::Cassandra => "Cassandra",
            Profile::Chitchat => "chitchat",
            Profile::Tuned => "Gossip Lab tuned",
        }
    }

    /// Where the values come from.
    pub fn source(self) -> &'static str {
        match self {
            Profile::Cassandra => "Cassandra's Gossiper and FailureDetector",
            Profile::Chitchat => "quickwit-oss/chitchat (GOSSIP_COUNT = 3)",
            Profile::Tuned => "measured in BENCHMARKS.md: no false convictions at 30 % loss",
        }
    }

    /// Live peers each node gossips with per round.
    pub fn fanout(self) -> usize {
        match self {
            Profile::Cassandra => 1,
            Profile::Chitchat => 3,
            Profile::Tuned => 4,
        }
    }

    /// The gossip interval: one second in all three.
    pub fn interval_ms(self) -> Millis {
        1_000
    }

    /// Whether news learned in an exchange is forwarded in the round's other
    /// exchanges' Ack2s ([`NodeConfig::forward_news`]): not Cassandra's rule;
    /// chitchat's, whose Ack is built after the SynAck; on in the tuned profile.
    pub fn forward_news(self) -> bool {
        !matches!(self, Profile::Cassandra)
    }

    /// The failure detector's model.
    pub fn model(self) -> Model {
        match self {
            Profile::Cassandra => Model::Exponential { ln10_factor: true },
            Profile::Chitchat => Model::Exponential { ln10_factor: false },
            Profile::Tuned => Model::NORMAL,
        }
    }

    /// The conviction threshold Φ: 8 in all three.
    pub fn threshold(self) -> f64 {
        8.0
    }

    /// A node configuration with this profile's interval, fanout and detector, and
    /// the defaults for everything else.
    pub fn node_config(self) -> NodeConfig {
        self.node_config_with(&Overrides::default())
    }

    /// This profile's node configuration with a run's own values over it: how every
    /// tool turns `--profile` and the flags that override it into a configuration.
    pub fn node_config_with(self, overrides: &Overrides) -> NodeConfig {
        let mut node = NodeConfig::default();
        self.apply_to(&mut node);
        overrides.apply_to(&mut node);
        node
    }

    /// Sets this profile's values in `node` (its interval, fanout, detector model and
    /// threshold, and whether it forwards news), keeping the rest.
    pub fn apply_to(self, node: &mut NodeConfig) {
        node.interval_ms = self.interval_ms();
        node.fanout = self.fanout();
        node.forward_news = self.forward_news();
        node.detector.model = self.model();
        node.detector.threshold = self.threshold();
    }

    /// The profile whose values these are, if one's are; `None` is a custom setup.
    pub fn matching(
        fanout: usize,
        interval_ms: Millis,
        model: Model,
        threshold: f64,
    ) -> Option<Profile> {
        Profile::ALL.iter().copied().find(|p| {
            p.fanout() == fanout
                && p.interval_ms() == interval_ms
                && p.model() == model
                && p.threshold() == threshold
        })
    }
}

/// The values a profile sets that a run may set otherwise: each `None` keeps the
/// profile's (or the configuration's, applied on their own).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Overrides {
    /// The gossip interval.
    pub interval_ms: Option<Millis>,
    /// Live peers per round.
    pub fanout: Option<usize>,
    /// The failure detector's model.
    pub model: Option<Model>,
    /// Its conviction threshold.
    pub threshold: Option<f64>,
    /// Whether Ack2s forward fresh news.
    pub forward_news: Option<bool>,
}

impl Overrides {
    /// Sets in `node` the values given.
    pub fn apply_to(&self, node: &mut NodeConfig) {
        node.interval_ms = self.interval_ms.unwrap_or(node.interval_ms);
        node.fanout = self.fanout.unwrap_or(node.fanout);
        node.detector.model = self.model.unwrap_or(node.detector.model);
        node.detector.threshold = self.threshold.unwrap_or(node.detector.threshold);
        node.forward_news = self.forward_news.unwrap_or(node.forward_news);
    }
}

/// The defaults are the default profile's, Cassandra's: written here, with the
/// profiles, so that a system's values are in one place.
impl Default for NodeConfig {
    /// The seeds' protocol as Cassandra runs it ([`Profile::default`]): push-pull to
    /// one live peer a round, in 1400-byte messages, with Cassandra's detector. Other
    /// systems' parameters are [`Profile`]s.
    fn default() -> Self {
        Self {
            cluster: ClusterId(0),
            seeds: Vec::new(),
            mtu: 1400,
            interval_ms: Profile::Cassandra.interval_ms(),
            fanout: Profile::Cassandra.fanout(),
            mode: Mode::PushPull,
            news_window_ms: 30_000,
            detector: DetectorConfig::default(),
            evict_after_ms: 60_000,
            quarantine_ms: 3_600_000,
            proof_of_life_versions: 30,
            forward_news: Profile::Cassandra.forward_news(),
            max_endpoints: DEFAULT_MAX_ENDPOINTS,
            tokens: 4,
            protocol: Protocol::Gossip,
        }
    }
}

impl Default for DetectorConfig {
    /// The default profile's model and threshold (Cassandra's), with a window of
    /// 100 gaps as Cassandra keeps.
    fn default() -> Self {
        let profile = Profile::Cassandra;
        Self {
            model: profile.model(),
            threshold: profile.threshold(),
            suspect_phi: 3.0,
            window: 100,
            max_gap_refreshes: 10,
            first_gap_refreshes: 2,
            max_local_pause_ms: 5_000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detector::DetectorConfig;

    #[test]
    fn names_round_trip_and_each_profile_is_recognised_by_its_values() {
        for &p in Profile::ALL {
            assert_eq!(Profile::from_name(p.name()), Some(p));
            let c = p.node_config();
            assert_eq!(
                Profile::matching(
                    c.fanout,
                    p.interval_ms(),
                    c.detector.model,
                    c.detector.threshold
                ),
                Some(p)
            );
            assert_eq!(c.validate(), Ok(()));
        }
        assert_eq!(Profile::from_name("custom"), None);
        assert_eq!(
            Profile::matching(2, 1_000, Profile::Tuned.model(), 8.0),
            None
        );
    }

    #[test]
    fn an_override_changes_its_value_alone() {
        let tuned = Profile::Tuned.node_config();
        let custom = Profile::Tuned.node_config_with(&Overrides {
            threshold: Some(12.0),
            ..Overrides::default()
        });
        assert_eq!(custom.detector.threshold, 12.0);
        assert_eq!(
            NodeConfig {
                detector: DetectorConfig {
                    threshold: 8.0,
                    ..custom.detector
                },
                ..custom
            },
            tuned
        );
    }

    #[test]
    fn the_default_node_is_cassandras() {
        assert_eq!(NodeConfig::default(), Profile::Cassandra.node_config());
        assert_eq!(Profile::default(), Profile::Cassandra);
    }
}
