//! How a simulated cluster is set up, and the checks that reject a bad setup with a
//! clear error instead of a panic or a silent wrong answer.

use core::fmt;

use crate::contract::MemberConfig;
use crate::named::{Named, named};
use crate::{Millis, NodeId};

/// The largest cluster the simulator accepts. Full membership holds N² endpoint
/// pairs of about 60 bytes (BENCHMARKS.md): 6 GB at 10,000 nodes, as large as
/// full-membership clusters run; 100,000 would need 600 GB, which no single machine
/// holds, so it is refused with a clear error rather than run out of memory.
pub const MAX_NODES: u32 = 10_000;
/// Loss is given in parts per million, so that it is an exact integer.
pub const PPM: u32 = 1_000_000;
/// The longest latency accepted: an hour.
const HOUR_MS: Millis = 3_600_000;

/// A LAN-like network's mean one-way latency.
pub const DEFAULT_LATENCY_MS: Millis = 120;
/// Its jitter: a latency is uniform in 60 to 180 ms.
pub const DEFAULT_JITTER_MS: Millis = 60;
/// The continuous clock over that network.
pub const DEFAULT_TIMING: Timing = Timing::Continuous {
    mean_ms: DEFAULT_LATENCY_MS,
    jitter_ms: DEFAULT_JITTER_MS,
};

/// Loss given in percent, as parts per million ([`PPM`]); `None` outside 0 to 100.
pub fn loss_ppm(percent: f64) -> Option<u32> {
    (0.0..=100.0)
        .contains(&percent)
        .then(|| libm::round(percent / 100.0 * f64::from(PPM)) as u32)
}

/// Loss in parts per million, as percent.
pub fn loss_percent(ppm: u32) -> f64 {
    f64::from(ppm) / f64::from(PPM) * 100.0
}

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
    /// The papers' model: synchronous rounds, every node opens its exchanges at the
    /// same instant, and what a node learns in a round is passed on only from the next
    /// round. Messages take no time.
    Rounds,
}

/// `continuous` (with the default latency, [`SimConfig::default`]) or `rounds`.
impl Named for Timing {
    const ALL: &'static [Timing] = &[DEFAULT_TIMING, Timing::Rounds];
    const NAMES: &'static [&'static str] = &["continuous", "rounds"];

    fn name(self) -> &'static str {
        match self {
            Timing::Continuous { .. } => "continuous",
            Timing::Rounds => "rounds",
        }
    }
}

/// One direction of one link, when it differs from the rest of the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    /// Chance that a message on this link is lost, in parts per million.
    pub loss_ppm: u32,
    /// Mean one-way latency (continuous timing).
    pub mean_ms: Millis,
    /// Latency is uniform in `[mean - jitter, mean + jitter]` (at least 1 ms).
    pub jitter_ms: Millis,
}

impl Link {
    /// Checks the loss and the latency.
    pub fn validate<E>(&self) -> Result<(), ConfigError<E>> {
        if self.loss_ppm > PPM {
            return Err(ConfigError::Loss(self.loss_ppm));
        }
        if self.mean_ms > HOUR_MS || self.jitter_ms > HOUR_MS {
            return Err(ConfigError::Latency {
                mean_ms: self.mean_ms,
                jitter_ms: self.jitter_ms,
            });
        }
        Ok(())
    }
}

/// What every node knows when the simulation starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bootstrap {
    /// Only itself; it learns the rest through its seeds.
    Seeds,
    /// Everyone's state, as if gossip had converged long ago (nothing is news).
    Converged,
}

named!(Bootstrap {
    Converged => "converged",
    Seeds => "seeds",
});

/// Everything that determines a run. The same config gives the same run, on any
/// platform. `C` is the members' configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig<C> {
    /// Number of nodes, `1..=MAX_NODES`. Ids are `0..nodes`.
    pub nodes: u32,
    /// Seed of the simulation's random number generator.
    pub seed: u64,
    /// How time passes.
    pub timing: Timing,
    /// Chance that any one message is lost, in parts per million.
    pub loss_ppm: u32,
    /// What nodes know at the start.
    pub bootstrap: Bootstrap,
    /// Every node's protocol configuration; its seeds must be ids below `nodes`.
    pub node: C,
}

impl<C: MemberConfig> SimConfig<C> {
    /// The configuration a run takes: in the papers' rounds ([`Timing::Rounds`])
    /// the members' own ([`MemberConfig::for_rounds`]).
    pub(crate) fn for_run(mut self) -> Self {
        if self.timing == Timing::Rounds {
            self.node = self.node.for_rounds();
        }
        self
    }
}

impl<C: MemberConfig> Default for SimConfig<C> {
    /// Sixteen members of the protocol's default ([`MemberConfig::cluster_default`])
    /// over a LAN-like network, converged.
    fn default() -> Self {
        Self {
            nodes: 16,
            seed: 0,
            timing: DEFAULT_TIMING,
            loss_ppm: 0,
            bootstrap: Bootstrap::Converged,
            node: C::cluster_default(),
        }
    }
}

/// Why a [`SimConfig`] was rejected; `E` is why a member's configuration is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigError<E> {
    /// `nodes` was outside `1..=MAX_NODES`.
    NodeCount(u32),
    /// The latency does not fit in the clock.
    Latency {
        /// The mean that was asked for.
        mean_ms: Millis,
        /// The jitter that was asked for.
        jitter_ms: Millis,
    },
    /// Loss above 100 %.
    Loss(u32),
    /// A seed that is not one of the nodes.
    Seed(NodeId),
    /// The node configuration is invalid.
    Member(E),
    /// A running simulation was asked to change a setting fixed at its start.
    Fixed(&'static str),
}

impl<E: fmt::Display> fmt::Display for ConfigError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::NodeCount(n) => {
                write!(f, "node count must be between 1 and {MAX_NODES}, got {n}")
            }
            ConfigError::Latency { mean_ms, jitter_ms } => write!(
                f,
                "latency {mean_ms} ms ± {jitter_ms} ms is out of range (at most one hour)"
            ),
            ConfigError::Loss(ppm) => write!(f, "loss must be at most 100 %, got {ppm} ppm"),
            ConfigError::Seed(id) => write!(f, "seed {id} is not one of the nodes"),
            ConfigError::Member(e) => e.fmt(f),
            ConfigError::Fixed(what) => {
                write!(f, "{what} is fixed when the simulation starts")
            }
        }
    }
}

impl<C: MemberConfig> SimConfig<C> {
    /// Checks every field, so that a simulator built from it cannot misbehave.
    pub fn validate(&self) -> Result<(), ConfigError<C::Error>> {
        if !(1..=MAX_NODES).contains(&self.nodes) {
            return Err(ConfigError::NodeCount(self.nodes));
        }
        if let Timing::Continuous { mean_ms, jitter_ms } = self.timing
            && (mean_ms > HOUR_MS || jitter_ms > HOUR_MS)
        {
            return Err(ConfigError::Latency { mean_ms, jitter_ms });
        }
        if self.loss_ppm > PPM {
            return Err(ConfigError::Loss(self.loss_ppm));
        }
        self.node.validate().map_err(ConfigError::Member)?;
        if let Some(&bad) = self.node.seeds().iter().find(|s| s.0 >= self.nodes) {
            return Err(ConfigError::Seed(bad));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;
    use alloc::vec;

    use super::*;
    use crate::toy::{BeaconConfig, ZeroPeriod};

    #[test]
    fn rejects_bad_fields_with_a_reason() {
        let ok = SimConfig::<BeaconConfig>::default();
        assert_eq!(ok.validate(), Ok(()));
        let bad = |change: fn(&mut SimConfig<BeaconConfig>)| {
            let mut config = SimConfig::default();
            change(&mut config);
            config.validate().unwrap_err()
        };
        assert_eq!(bad(|c| c.nodes = 0), ConfigError::NodeCount(0));
        assert_eq!(
            bad(|c| c.nodes = MAX_NODES + 1),
            ConfigError::NodeCount(MAX_NODES + 1)
        );
        assert_eq!(
            bad(|c| c.node.period_ms = 0),
            ConfigError::Member(ZeroPeriod)
        );
        assert!(matches!(
            bad(|c| c.timing = Timing::Continuous {
                mean_ms: Millis::MAX,
                jitter_ms: 0
            }),
            ConfigError::Latency { .. }
        ));
        assert_eq!(bad(|c| c.loss_ppm = PPM + 1), ConfigError::Loss(PPM + 1));
        assert_eq!(
            bad(|c| c.node.seeds = vec![NodeId(16)]),
            ConfigError::Seed(NodeId(16))
        );
        assert!(bad(|c| c.node.period_ms = 0).to_string().contains("period"));
    }
}
