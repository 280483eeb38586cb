//! How detection times are reported: the same summary for a simulated cluster
//! (`gossip-sim`) and a real one (`gossip-node cluster`), so the two compare.

use alloc::vec::Vec;

use crate::Millis;

/// The mean, 99th percentile and maximum of some durations, in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Distribution {
    /// The mean.
    pub mean_s: f64,
    /// The smallest duration at least 99 % of them do not exceed.
    pub p99_s: f64,
    /// The longest.
    pub max_s: f64,
}

impl Distribution {
    /// The distribution of `samples`; `None` when there are none.
    pub fn of(samples: &[Millis]) -> Option<Self> {
        let mut sorted: Vec<Millis> = samples.to_vec();
        sorted.sort_unstable();
        let seconds = |ms: Millis| ms as f64 / 1000.0;
        let max = *sorted.last()?;
        let sum: Millis = sorted.iter().sum();
        Some(Self {
            mean_s: seconds(sum) / sorted.len() as f64,
            p99_s: seconds(sorted[(sorted.len() * 99).div_ceil(100) - 1]),
            max_s: seconds(max),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_p99_of_a_hundred_is_the_ninety_ninth() {
        let samples: Vec<Millis> = (1..=100).rev().map(|s| s * 1000).collect();
        let d = Distribution::of(&samples).unwrap();
        assert_eq!((d.mean_s, d.p99_s, d.max_s), (50.5, 99.0, 100.0));
        let one = Distribution::of(&[1500]).unwrap();
        assert_eq!((one.mean_s, one.p99_s, one.max_s), (1.5, 1.5, 1.5));
        assert_eq!(Distribution::of(&[]), None);
    }
}
