//! Profiles: the protocol's parameters as a real system sets them, so that a run can
//! be the seeds' protocol as Cassandra runs it (the default), chitchat's, or the
//! tuning this project measured. A profile sets the fanout, the interval and the
//! failure detector; the rest of a [`NodeConfig`] (MTU, mode, eviction) is the same
//! in all three. Values and sources: `../shared/REFERENCE.md`, "Profiles".

use crate::Millis;
use crate::detector::{DetectorConfig, Model};
use crate::node::NodeConfig;

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

impl Profile {
    /// Every profile, the default first.
    pub const ALL: [Profile; 3] = [Profile::Cassandra, Profile::Chitchat, Profile::Tuned];

    /// The name URLs, options, scenario files and `--profile` use.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Cassandra => "cassandra",
            Profile::Chitchat => "chitchat",
            Profile::Tuned => "tuned",
        }
    }

    /// The profile called `name`, if any.
    pub fn from_name(name: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.name() == name)
    }

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

    /// The failure detector's configuration.
    pub fn detector(self) -> DetectorConfig {
        DetectorConfig {
            model: self.model(),
            threshold: self.threshold(),
            ..DetectorConfig::default()
        }
    }

    /// A node configuration with this profile's interval, fanout and detector, and
    /// the defaults for everything else.
    pub fn node_config(self) -> NodeConfig {
        NodeConfig {
            interval_ms: self.interval_ms(),
            fanout: self.fanout(),
            detector: self.detector(),
            forward_news: self.forward_news(),
            ..NodeConfig::default()
        }
    }

    /// The profile whose values these are, if one's are; `None` is a custom setup.
    pub fn matching(
        fanout: usize,
        interval_ms: Millis,
        model: Model,
        threshold: f64,
    ) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| {
            p.fanout() == fanout
                && p.interval_ms() == interval_ms
                && p.model() == model
                && p.threshold() == threshold
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_each_profile_is_recognised_by_its_values() {
        for p in Profile::ALL {
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
    fn the_default_node_is_cassandras() {
        assert_eq!(NodeConfig::default(), Profile::Cassandra.node_config());
        assert_eq!(Profile::default(), Profile::Cassandra);
    }
}
