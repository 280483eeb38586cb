//! Phi accrual failure detection (Hayashibara et al., 2004), one detector per
//! endpoint, fed by the heartbeat advances a node learns through gossip.
//!
//! Instead of a yes/no timeout, phi says how unlikely the current silence is given
//! the inter-arrival times seen so far: phi = −log10 P(a gap at least this long). A
//! threshold Φ means a wrong conviction has about a 10^−Φ chance. Two models of the
//! gaps are offered, because the same threshold means different things in each:
//!
//! - [`Model::Normal`]: Hayashibara's normal distribution, with Akka's minimum
//!   standard deviation and acceptable pause, so that a very regular heartbeat does
//!   not make the detector over-sensitive.
//! - [`Model::Exponential`]: Cassandra's and chitchat's, phi = t / mean. With the
//!   1/ln 10 factor (Cassandra) it is the true −log10 of the exponential tail, and 8
//!   convicts after about 18.4 mean gaps; without it (chitchat), after 8.
//!
//! All float math goes through libm, so a run is the same on every platform.
//!
//! Why this file runs past 600 lines: 460 lines of the detector and its two models,
//! then 210 of tests that check phi against hand-computed tail probabilities and
//! reference z values for each model.

use core::fmt;
use gossip_core::named::Named;

use gossip_core::Millis;

/// Which distribution the gaps between heartbeats are taken to follow.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Model {
    /// Normal distribution of the window's mean and standard deviation.
    Normal {
        /// The standard deviation never counts as smaller than this (Akka).
        min_std_dev_ms: f64,
        /// Added to the mean: silence this long beyond normal is still fine (Akka).
        acceptable_pause_ms: f64,
    },
    /// Exponential distribution of the window's mean.
    Exponential {
        /// Divide by ln 10, making phi a true −log10 probability (Cassandra); without
        /// it phi = t / mean (chitchat).
        ln10_factor: bool,
    },
}

impl Model {
    /// Hayashibara's normal model with Akka's additions, as this project tuned it: a
    /// minimum deviation of 500 ms and an acceptable pause of 2 s.
    pub const NORMAL: Model = Model::Normal {
        min_std_dev_ms: 500.0,
        acceptable_pause_ms: 2_000.0,
    };
}

/// `normal` ([`Model::NORMAL`]), `exponential` (chitchat) or `exponential-ln10`
/// (Cassandra).
impl Named for Model {
    const ALL: &'static [Model] = &[
        Model::NORMAL,
        Model::Exponential { ln10_factor: false },
        Model::Exponential { ln10_factor: true },
    ];
    const NAMES: &'static [&'static str] = &["normal", "exponential", "exponential-ln10"];

    fn name(self) -> &'static str {
        match self {
            Model::Normal { .. } => "normal",
            Model::Exponential { ln10_factor: false } => "exponential",
            Model::Exponential { ln10_factor: true } => "exponential-ln10",
        }
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Model::Normal { .. } => write!(f, "normal (Hayashibara, Akka)"),
            Model::Exponential { ln10_factor: true } => {
                write!(f, "exponential, t / (mean · ln 10) (Cassandra)")
            }
            Model::Exponential { ln10_factor: false } => {
                write!(f, "exponential, t / mean (chitchat)")
            }
        }
    }
}

/// How every detector of a node behaves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DetectorConfig {
    /// The model of the gaps.
    pub model: Model,
    /// Convict when phi exceeds this.
    pub threshold: f64,
    /// Show an endpoint as suspect when phi exceeds this (and it is not convicted);
    /// above the threshold, the threshold is the suspect level too
    /// ([`DetectorConfig::suspect_level`]).
    pub suspect_phi: f64,
    /// How many recent gaps the statistics are taken over.
    pub window: usize,
    /// Gaps longer than this many refresh periods are not learned from (they are
    /// outages, not jitter). In refresh periods ([`Detector::heartbeat`]), so that it
    /// means the same at any interval and any cluster size.
    pub max_gap_refreshes: u32,
    /// The gap assumed before any was measured, in refresh periods: Cassandra's two
    /// (`FailureDetector`'s initial value, twice `Gossiper.intervalInMillis`, which is
    /// its refresh period: every Syn there carries every digest).
    pub first_gap_refreshes: u32,
    /// If this node's own ticks stop for longer than this (a pause of its own), it
    /// convicts nobody until this long after it resumed.
    pub max_local_pause_ms: Millis,
}

/// The thresholds the tools offer (the page's control, `gossip-sim --threshold`):
/// from very eager to far more patient than Cassandra's users go (10–12).
pub const THRESHOLDS: core::ops::RangeInclusive<f64> = 0.5..=20.0;

/// A threshold as the command-line tools take it: a number within [`THRESHOLDS`].
pub fn parse_threshold(text: &str) -> Result<f64, alloc::string::String> {
    let value: f64 = text
        .parse()
        .map_err(|_| alloc::format!("`{text}` is not a number"))?;
    if THRESHOLDS.contains(&value) {
        Ok(value)
    } else {
        Err(alloc::format!(
            "{value} is not between {} and {}",
            THRESHOLDS.start(),
            THRESHOLDS.end()
        ))
    }
}

impl DetectorConfig {
    /// The phi above which an endpoint shows as suspect: [`DetectorConfig::suspect_phi`],
    /// or the threshold if that is lower (a threshold below 3 suspects and convicts
    /// at once).
    pub fn suspect_level(&self) -> f64 {
        self.suspect_phi.min(self.threshold)
    }
}

/// How far an endpoint's silence has gone, as its detector last judged it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Heard from as expected.
    #[default]
    Heard,
    /// Phi passed the suspect level.
    Suspected,
    /// Phi passed the threshold.
    Convicted,
}

/// One endpoint's detector: running estimates of the gaps between heartbeat
/// advances, 20 bytes.
///
/// A node keeps one per endpoint, N² in a cluster, so it keeps no window of gaps
/// (Cassandra's 1,000, our former 100 × 4 bytes) but two running estimates of it:
/// until `window` gaps are learned, the exact mean and (population) variance of
/// every gap so far, by Welford's update; after that, an exponentially weighted mean
/// and variance with weight 1 / `window` (West, 1979), whose memory of a gap fades
/// over about `window` gaps as the window's would. The update is plain f32
/// arithmetic, the same on every platform.
///
/// The last heartbeat advance is kept as the low 32 bits of the caller's clock, so
/// a silence is told exactly up to 2³² ms (49 days): far beyond the eviction
/// horizon, which [`crate::NodeConfig::validate`] keeps under 24 days.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Detector {
    /// The last heartbeat advance, `now` modulo 2³²; meaningless while `learned`
    /// is 0.
    last: u32,
    mean: f32,
    variance: f32,
    /// Gaps learned, up to the window: the weight of the next one is 1 / (this + 1).
    learned: u16,
    level: Level,
    /// The node's conviction schedule's mark: which of its entries for this
    /// endpoint is the live one (`schedule.rs`).
    pub(crate) scheduled: u32,
}

impl Detector {
    /// The endpoint's heartbeat advanced at `now`: it is alive. `refresh_ms` is the
    /// refresh period, how often gossip can be expected to bring a given endpoint's
    /// heartbeat: the gossip interval while a Syn's digest page holds the whole view,
    /// and as many intervals as the pages take to go round it once the view outgrows
    /// one page ([`crate::Node::refresh_ms`]). The first gap assumed and the longest
    /// learned follow it, so that a large cluster's longer gaps are learned as normal,
    /// not convicted.
    pub fn heartbeat(&mut self, now: Millis, config: &DetectorConfig, refresh_ms: Millis) {
        self.level = Level::Heard;
        if self.learned == 0 {
            let first = refresh_ms.saturating_mul(Millis::from(config.first_gap_refreshes));
            self.learn(first, config);
        } else {
            let gap = self.silence(now).unwrap_or(0);
            if gap <= refresh_ms.saturating_mul(Millis::from(config.max_gap_refreshes)) {
                self.learn(gap, config);
            }
        }
        self.last = now as u32;
    }

    fn learn(&mut self, gap: Millis, config: &DetectorConfig) {
        let window = u16::try_from(config.window.max(1)).unwrap_or(u16::MAX);
        // The window may have shrunk since the last gap: the weight follows it at once.
        self.learned = self.learned.saturating_add(1).min(window);
        let weight = 1.0 / f32::from(self.learned);
        let delta = gap as f32 - self.mean;
        self.mean += weight * delta;
        self.variance = (1.0 - weight) * (self.variance + weight * delta * delta);
    }

    /// Mean gap in milliseconds, if any was learned.
    pub fn mean_ms(&self) -> Option<f64> {
        (self.learned > 0).then_some(f64::from(self.mean))
    }

    /// Standard deviation of the gaps in milliseconds.
    pub fn std_dev_ms(&self) -> Option<f64> {
        (self.learned > 0).then(|| libm::sqrt(f64::from(self.variance.max(0.0))))
    }

    /// Forgets every gap, for an endpoint that restarted: its new life's heartbeats
    /// start afresh. Its place on the schedule stays.
    pub(crate) fn restart(&mut self) {
        *self = Self {
            scheduled: self.scheduled,
            ..Self::default()
        };
    }

    /// True once convicted, until the next heartbeat advance.
    pub fn is_convicted(&self) -> bool {
        self.level == Level::Convicted
    }

    /// Judges the silence at `now` against the suspect level and the threshold.
    /// Returns the level it rose to, if this call raised it (a level is reported
    /// once, until a heartbeat advance resets it).
    pub fn interpret(
        &mut self,
        now: Millis,
        config: &DetectorConfig,
        cutoffs: &Cutoffs,
    ) -> Option<Level> {
        if self.level == Level::Convicted {
            return None;
        }
        let [suspect, convict] = self.limits(config, cutoffs)?;
        let silence = self.silence(now).unwrap_or(0) as f64;
        // The suspect level is at most the threshold, so its limit is the lower one:
        // a node heard from recently (nearly always) is judged by one comparison.
        if silence <= suspect {
            return None;
        }
        let level = if silence > convict {
            Level::Convicted
        } else {
            Level::Suspected
        };
        (level > self.level).then(|| {
            self.level = level;
            level
        })
    }

    /// The first time at which [`Detector::interpret`] would raise the level, if
    /// no heartbeat comes before: what a node schedules its next look at this
    /// detector for. `None` once convicted, or before any heartbeat.
    pub fn rises_at(
        &self,
        now: Millis,
        config: &DetectorConfig,
        cutoffs: &Cutoffs,
    ) -> Option<Millis> {
        let [suspect, convict] = self.limits(config, cutoffs)?;
        let limit = match self.level {
            Level::Heard => suspect,
            Level::Suspected => convict,
            Level::Convicted => return None,
        };
        // Silence must exceed the limit: the first whole millisecond beyond it. A
        // float cast saturates, so an absurd limit only means "never".
        let last = now.saturating_sub(self.silence(now)?);
        Some(last.saturating_add(limit as Millis).saturating_add(1))
    }

    /// The longest silences below the suspect level and below the threshold.
    fn limits(&self, config: &DetectorConfig, cutoffs: &Cutoffs) -> Option<[f64; 2]> {
        let mean = self.counted_mean_ms(cutoffs)?;
        Some(match config.model {
            Model::Exponential { ln10_factor } => {
                let per_mean = if ln10_factor {
                    core::f64::consts::LN_10
                } else {
                    1.0
                } * mean.max(1.0);
                [
                    config.suspect_level() * per_mean,
                    config.threshold * per_mean,
                ]
            }
            Model::Normal {
                min_std_dev_ms,
                acceptable_pause_ms,
            } => {
                // A square root, computed once for both levels.
                let spread = self.floored_std_dev(min_std_dev_ms);
                let beyond = |cutoff: &Cutoff| mean + acceptable_pause_ms + cutoff.z * spread;
                [beyond(&cutoffs.suspect), beyond(&cutoffs.convict)]
            }
        })
    }

    /// The mean gap as judged: the learned one, never below the floor
    /// ([`MIN_MEAN_REFRESHES`]).
    fn counted_mean_ms(&self, cutoffs: &Cutoffs) -> Option<f64> {
        Some(self.mean_ms()?.max(cutoffs.min_mean_ms))
    }

    /// How far the silence has gone, as last judged.
    pub fn level(&self) -> Level {
        self.level
    }

    /// The standard deviation, never below Akka's floor (nor 1 ms, so phi stays
    /// finite for a perfectly regular heartbeat).
    fn floored_std_dev(&self, min_std_dev_ms: f64) -> f64 {
        self.std_dev_ms()
            .unwrap_or(0.0)
            .max(min_std_dev_ms)
            .max(1.0)
    }

    /// How long it has been at `now` since the last heartbeat advance; `None`
    /// before the first.
    pub fn silence(&self, now: Millis) -> Option<Millis> {
        (self.learned > 0).then(|| Millis::from((now as u32).wrapping_sub(self.last)))
    }

    /// Phi at `now`: how unlikely the silence since the last heartbeat is. Zero
    /// before any heartbeat.
    pub fn phi(&self, now: Millis, config: &DetectorConfig, cutoffs: &Cutoffs) -> f64 {
        let (Some(silence), Some(mean)) = (self.silence(now), self.counted_mean_ms(cutoffs)) else {
            return 0.0;
        };
        let t = silence as f64;
        match config.model {
            Model::Exponential { ln10_factor } => {
                let phi = t / mean.max(1.0);
                if ln10_factor {
                    phi / core::f64::consts::LN_10
                } else {
                    phi
                }
            }
            Model::Normal {
                min_std_dev_ms,
                acceptable_pause_ms,
            } => normal_phi(
                t,
                mean + acceptable_pause_ms,
                self.floored_std_dev(min_std_dev_ms),
            ),
        }
    }
}

/// The shortest mean gap a detector counts with, in refresh periods
/// ([`Detector::heartbeat`]).
///
/// Akka floors the standard deviation so that a very regular heartbeat does not make
/// its detector over-sensitive; this floors the mean for the same reason. Once the
/// pages take many rounds to go round the view, an endpoint's heartbeat arrives at
/// random, about exponentially spaced. A detector that has learned only a handful of
/// gaps may by chance have seen only short ones, and would then convict after a
/// silence that is ordinary. In the first 600 rounds of 500 nodes sharing 256 B
/// messages (a refresh period of about 10 s, a mean gap of 18 s), that convicted
/// live nodes 36 times; with the floor, never. In a cluster of one page the period
/// is one interval, and a mean gap below half an interval does not occur.
pub const MIN_MEAN_REFRESHES: f64 = 0.5;

/// What every endpoint is judged against: the cutoffs of suspicion and conviction,
/// and the shortest mean gap counted with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cutoffs {
    /// At [`DetectorConfig::suspect_phi`].
    pub suspect: Cutoff,
    /// At [`DetectorConfig::threshold`].
    pub convict: Cutoff,
    /// [`MIN_MEAN_REFRESHES`] refresh periods.
    min_mean_ms: f64,
}

impl Cutoffs {
    /// Both cutoffs of `config`, with the floor of a refresh period of `refresh_ms`.
    /// Only the normal model uses the cutoffs: the exponential model's limit is a
    /// multiple of the mean, so it skips the two bisections that every node would
    /// otherwise run when it is created (a page of 1,000 nodes).
    pub fn new(config: &DetectorConfig, refresh_ms: Millis) -> Self {
        let (suspect, convict) = match config.model {
            Model::Normal { .. } => (
                Cutoff::new(config.suspect_level()),
                Cutoff::new(config.threshold),
            ),
            Model::Exponential { .. } => (Cutoff { z: 0.0 }, Cutoff { z: 0.0 }),
        };
        let mut cutoffs = Self {
            suspect,
            convict,
            min_mean_ms: 0.0,
        };
        cutoffs.set_refresh(refresh_ms);
        cutoffs
    }

    /// The refresh period changed (the view grew or shrank).
    pub fn set_refresh(&mut self, refresh_ms: Millis) {
        self.min_mean_ms = MIN_MEAN_REFRESHES * refresh_ms as f64;
    }
}

/// The normal model's threshold as a number of standard deviations beyond the
/// mean, found once per configuration so that checking every endpoint every round
/// is a multiplication, not an `erfc`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cutoff {
    z: f64,
}

impl Cutoff {
    /// The z with normal_phi(z) = threshold, by bisection. It stops once the interval
    /// cannot shrink (its ends are neighbouring floats, after about 60 steps): further
    /// steps change nothing, and every node computes this when it is created.
    pub fn new(threshold: f64) -> Self {
        let (mut lo, mut hi) = (-40.0_f64, 40.0_f64);
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if mid == lo || mid == hi {
                break;
            }
            if normal_phi(mid, 0.0, 1.0) < threshold {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Self { z: 0.5 * (lo + hi) }
    }

    /// Standard deviations beyond the mean at which phi reaches the threshold.
    pub fn z(&self) -> f64 {
        self.z
    }
}

/// −log10 of the chance that a normal(mean, std_dev) gap is longer than `t`.
pub fn normal_phi(t: f64, mean: f64, std_dev: f64) -> f64 {
    let tail = 0.5 * libm::erfc((t - mean) / (std_dev * core::f64::consts::SQRT_2));
    -libm::log10(tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The refresh period the tests' gaps are measured against.
    const INTERVAL: Millis = 1_000;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-3
    }

    fn fed(gaps: &[Millis], config: &DetectorConfig) -> (Detector, Millis) {
        let mut d = Detector::default();
        let mut now = 0;
        d.heartbeat(now, config, INTERVAL);
        for gap in gaps {
            now += gap;
            d.heartbeat(now, config, INTERVAL);
        }
        (d, now)
    }

    #[test]
    fn normal_phi_matches_hand_computed_tail_probabilities() {
        // At the mean, half the gaps are longer: phi = −log10(0.5) = 0.30103.
        assert!(close(
            normal_phi(1000.0, 1000.0, 100.0),
            core::f64::consts::LOG10_2
        ));
        // One standard deviation beyond: tail 0.158655, phi 0.79954.
        assert!(close(normal_phi(1100.0, 1000.0, 100.0), 0.79954));
        // z = 5.61 is REFERENCE.md's silence before suspicion for Φ = 8.
        assert!((normal_phi(1561.0, 1000.0, 100.0) - 8.0).abs() < 0.03);
        // z = 2.33 for Φ = 2.
        assert!((normal_phi(1233.0, 1000.0, 100.0) - 2.0).abs() < 0.01);
        assert!(
            normal_phi(1e9, 1000.0, 100.0).is_infinite(),
            "beyond all doubt"
        );
    }

    #[test]
    fn exponential_phi_with_and_without_the_ln10_factor() {
        let mut config = DetectorConfig {
            model: Model::Exponential { ln10_factor: false },
            first_gap_refreshes: 1,
            ..DetectorConfig::default()
        };
        let (d, last) = fed(&[1000, 1000, 1000], &config);
        assert!(close(d.mean_ms().unwrap(), 1000.0));
        // chitchat: phi = t / mean; 8 after eight mean gaps.
        assert!(close(
            d.phi(last + 8000, &config, &Cutoffs::new(&config, INTERVAL)),
            8.0
        ));
        // Cassandra: phi = t / (mean · ln 10); 8 after 18.42 mean gaps.
        config.model = Model::Exponential { ln10_factor: true };
        assert!(close(
            d.phi(last + 18_421, &config, &Cutoffs::new(&config, INTERVAL)),
            8.0
        ));
        assert!(close(
            d.phi(last + 2303, &config, &Cutoffs::new(&config, INTERVAL)),
            1.0
        ));
    }

    #[test]
    fn the_cutoff_agrees_with_phi_and_reference_z_values() {
        assert!((Cutoff::new(8.0).z() - 5.61).abs() < 0.01);
        assert!((Cutoff::new(2.0).z() - 2.33).abs() < 0.01);
        let config = DetectorConfig {
            model: Model::NORMAL,
            first_gap_refreshes: 1,
            ..DetectorConfig::default()
        };
        let cutoffs = Cutoffs::new(&config, INTERVAL);
        let (mut d, last) = fed(&[1000; 10], &config);
        // Just below the threshold: not convicted; just above: convicted, once.
        let at = |phi_target: f64| {
            (1..100_000)
                .map(|ms| last + ms)
                .find(|&t| d.phi(t, &config, &Cutoffs::new(&config, INTERVAL)) >= phi_target)
                .unwrap()
        };
        let suspected = at(config.suspect_level());
        let crossing = at(config.threshold);
        assert_eq!(d.interpret(suspected - 2, &config, &cutoffs), None);
        assert_eq!(
            d.interpret(suspected + 1, &config, &cutoffs),
            Some(Level::Suspected)
        );
        assert_eq!(
            d.interpret(suspected + 2, &config, &cutoffs),
            None,
            "suspected once"
        );
        assert_eq!(d.interpret(crossing - 2, &config, &cutoffs), None);
        assert_eq!(
            d.interpret(crossing + 1, &config, &cutoffs),
            Some(Level::Convicted)
        );
        assert!(d.is_convicted());
        assert_eq!(
            d.interpret(crossing + 2, &config, &cutoffs),
            None,
            "already convicted"
        );
        d.heartbeat(crossing + 3, &config, INTERVAL);
        assert!(!d.is_convicted(), "a heartbeat clears it");
    }

    #[test]
    fn exact_statistics_until_the_window_fills_then_weighted_ones() {
        let config = DetectorConfig {
            window: 4,
            max_gap_refreshes: 5,
            first_gap_refreshes: 2,
            ..DetectorConfig::default()
        };
        // Gaps learned: 2000 (first), 1000, 3000, [9000 ignored], 500: four gaps, so
        // the exact mean and population deviation of the four.
        let (mut d, last) = fed(&[1000, 3000, 9000, 500], &config);
        assert!((d.mean_ms().unwrap() - 1625.0).abs() < 0.01);
        // Population std dev of 2000, 1000, 3000, 500: sqrt(921875) = 960.14.
        assert!((d.std_dev_ms().unwrap() - 960.14).abs() < 0.05);
        // A fifth gap weighs 1/4: mean 1625 + (4625 − 1625)/4 = 2375; variance
        // (3/4)(921875 + 3000²/4) = 2378906.25, deviation 1542.37.
        d.heartbeat(last + 4625, &config, INTERVAL);
        assert!((d.mean_ms().unwrap() - 2375.0).abs() < 0.01);
        assert!((d.std_dev_ms().unwrap() - 1542.37).abs() < 0.05);
        // Long after, the estimates follow the new regular gap, as a window would.
        let mut now = last + 4625;
        for _ in 0..200 {
            now += 700;
            d.heartbeat(now, &config, INTERVAL);
        }
        assert!((d.mean_ms().unwrap() - 700.0).abs() < 0.5);
        assert!(d.std_dev_ms().unwrap() < 1.0);
    }

    #[test]
    fn a_detector_takes_20_bytes_and_tells_silences_across_the_32_bit_wrap() {
        assert!(core::mem::size_of::<Detector>() <= 20);
        let config = DetectorConfig::default();
        let mut d = Detector::default();
        let before_wrap = (1 << 32) - 500;
        d.heartbeat(before_wrap, &config, INTERVAL);
        assert_eq!(d.silence(before_wrap + 1_500), Some(1_500));
        d.heartbeat(before_wrap + 1_000, &config, INTERVAL);
        assert!(
            (d.mean_ms().unwrap() - 1_500.0).abs() < 0.01,
            "gaps 2000, 1000"
        );
    }

    #[test]
    fn the_mean_counts_as_at_least_half_a_refresh_period() {
        let config = DetectorConfig {
            first_gap_refreshes: 1,
            ..DetectorConfig::default()
        };
        // Gaps of 100 ms, learned against a refresh period of 1 s: by chance short.
        let (d, last) = fed(&[100; 10], &config);
        let early = Cutoffs::new(&config, 0);
        let floored = Cutoffs::new(&config, INTERVAL);
        // Exponential with ln 10: phi = t / (mean · ln 10). The learned mean is
        // (1000 + 10 · 100) / 11 = 181.8 ms; the floor counts 500 ms.
        let mean = d.mean_ms().unwrap();
        assert!((mean - 181.82).abs() < 0.01);
        let phi = |cutoffs| d.phi(last + 1000, &config, cutoffs);
        assert!(close(
            phi(&early),
            1000.0 / (mean * core::f64::consts::LN_10)
        ));
        assert!(close(
            phi(&floored),
            1000.0 / (500.0 * core::f64::consts::LN_10)
        ));
        assert!(d.rises_at(last, &config, &floored) > d.rises_at(last, &config, &early));
    }

    #[test]
    fn normal_model_applies_min_std_dev_and_acceptable_pause() {
        let config = DetectorConfig {
            model: Model::Normal {
                min_std_dev_ms: 500.0,
                acceptable_pause_ms: 3000.0,
            },
            first_gap_refreshes: 1,
            ..DetectorConfig::default()
        };
        // Perfectly regular 1 s heartbeats: std dev 0, floored at 500 ms; mean 1 s
        // plus a 3 s pause: phi 0.30103 at 4 s of silence.
        let (d, last) = fed(&[1000; 10], &config);
        assert!(close(
            d.phi(last + 4000, &config, &Cutoffs::new(&config, INTERVAL)),
            core::f64::consts::LOG10_2
        ));
        assert!(
            (d.phi(
                last + 4000 + 2805,
                &config,
                &Cutoffs::new(&config, INTERVAL)
            ) - 8.0)
                .abs()
                < 0.03
        );
        assert_eq!(
            Detector::default().phi(123, &config, &Cutoffs::new(&config, INTERVAL)),
            0.0,
            "no heartbeat yet"
        );
    }
}
