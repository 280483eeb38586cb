//! How a simulated cluster is set up, and the checks that reject a bad setup with a
//! clear error instead of a panic or a silent wrong answer.

use core::fmt;

use crate::Millis;

/// The largest cluster the simulator accepts: far beyond what a view can draw, small
/// enough that a typo cannot ask for billions of nodes.
pub const MAX_NODES: u32 = 100_000;

/// How time passes in the simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    /// A virtual millisecond clock. Each node ticks once per interval at its own phase,
    /// and every message takes a latency drawn from `mean_ms ± jitter_ms`.
    Continuous {
        /// Mean one-way latency of a message.
        mean_ms: Millis,
        /// Latency is uniform in `[mean - jitter, mean + jitter]` (at least 1 ms).
        jitter_ms: Millis,
    },
    /// The papers' model: synchronous rounds, every node picks one random partner at
    /// the same instant, and what a node learns in a round is passed on only from the
    /// next round. Messages take no time.
    Rounds,
}

/// Everything that determines a run. The same config gives the same run, on any
/// platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimConfig {
    /// Number of nodes, `1..=MAX_NODES`. Ids are `0..nodes`.
    pub nodes: u32,
    /// Seed of the simulation's random number generator.
    pub seed: u64,
    /// Gossip interval: each node starts one exchange per interval.
    pub interval_ms: Millis,
    /// How time passes.
    pub timing: Timing,
}

impl Default for SimConfig {
    /// Cassandra's one-second round over a LAN-like network.
    fn default() -> Self {
        Self {
            nodes: 16,
            seed: 0,
            interval_ms: 1_000,
            timing: Timing::Continuous {
                mean_ms: 120,
                jitter_ms: 60,
            },
        }
    }
}

/// Why a [`SimConfig`] was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigError {
    /// `nodes` was outside `1..=MAX_NODES`.
    NodeCount(u32),
    /// `interval_ms` was zero.
    ZeroInterval,
    /// The latency does not fit in the clock.
    Latency {
        /// The mean that was asked for.
        mean_ms: Millis,
        /// The jitter that was asked for.
        jitter_ms: Millis,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::NodeCount(n) => {
                write!(f, "node count must be between 1 and {MAX_NODES}, got {n}")
            }
            ConfigError::ZeroInterval => write!(f, "gossip interval must be at least 1 ms"),
            ConfigError::Latency { mean_ms, jitter_ms } => write!(
                f,
                "latency {mean_ms} ms ± {jitter_ms} ms is out of range (at most one hour)"
            ),
        }
    }
}

impl SimConfig {
    /// Checks every field, so that a simulator built from it cannot misbehave.
    pub fn validate(&self) -> Result<(), ConfigError> {
        const HOUR_MS: Millis = 3_600_000;
        if !(1..=MAX_NODES).contains(&self.nodes) {
            return Err(ConfigError::NodeCount(self.nodes));
        }
        if self.interval_ms == 0 {
            return Err(ConfigError::ZeroInterval);
        }
        if let Timing::Continuous { mean_ms, jitter_ms } = self.timing
            && (mean_ms > HOUR_MS || jitter_ms > HOUR_MS)
        {
            return Err(ConfigError::Latency { mean_ms, jitter_ms });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_fields_with_a_reason() {
        let ok = SimConfig::default();
        assert_eq!(ok.validate(), Ok(()));
        let none = SimConfig { nodes: 0, ..ok };
        assert_eq!(none.validate(), Err(ConfigError::NodeCount(0)));
        let too_many = SimConfig {
            nodes: MAX_NODES + 1,
            ..ok
        };
        assert!(too_many.validate().is_err());
        let zero = SimConfig {
            interval_ms: 0,
            ..ok
        };
        assert_eq!(zero.validate(), Err(ConfigError::ZeroInterval));
        let slow = SimConfig {
            timing: Timing::Continuous {
                mean_ms: Millis::MAX,
                jitter_ms: 0,
            },
            ..ok
        };
        assert!(slow.validate().is_err());
    }
}
