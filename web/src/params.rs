//! The page's settings and their URL form. A link reproduces a run, so every setting
//! lives in the query string under a stable name that embedding pages rely on:
//! `nodes`, `seed`, `fanout`, `interval`, `mtu`, `loss`, `latency`, `jitter`,
//! `seeds`, `mode`, `detector`, `threshold`, `speed`, `scenario`, `autoplay`.
//!
//! Bad values never blank the page: each is clamped into range or replaced by its
//! default, and a [`Problem`] says which and why, for the page to show.

use core::fmt;

use gossip_core::Mode;
use gossip_core::node::MIN_MTU;
use gossip_core::wire::MAX_DATAGRAM;

use crate::presets;

/// The most nodes the page simulates. Every node holds the state of every other, so
/// memory grows as N²: about 780 bytes per endpoint state (measured natively) once
/// the failure detectors' windows of 100 gaps are full, 1.8 GB at 1,500 nodes; and at 1,500 the
/// simulation already needs about a second of wasm per simulated second
/// (BENCHMARKS.md). More would run out of a browser tab's 4 GB of wasm memory and
/// abort (10,000 did); past this the URL and the options are clamped, with the
/// reason shown.
pub const MAX_NODES: u32 = 1_500;
/// Speeds run from 0.1× to 100× on a log scale.
pub const MIN_SPEED: f64 = 0.1;
/// See [`MIN_SPEED`].
pub const MAX_SPEED: f64 = 100.0;

/// The failure detector's model, by the name the page and the URL use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetectorKind {
    /// Hayashibara's normal model with Akka's minimum deviation and pause.
    Normal,
    /// chitchat's: phi = t / mean.
    Exponential,
    /// Cassandra's: phi = t / (mean · ln 10).
    ExponentialLn10,
}

impl DetectorKind {
    /// Every kind, in menu order.
    pub const ALL: [DetectorKind; 3] = [
        DetectorKind::Normal,
        DetectorKind::Exponential,
        DetectorKind::ExponentialLn10,
    ];

    /// The URL and menu value.
    pub fn name(self) -> &'static str {
        match self {
            DetectorKind::Normal => "normal",
            DetectorKind::Exponential => "exponential",
            DetectorKind::ExponentialLn10 => "exponential-ln10",
        }
    }

    /// What the user reads in the menu.
    pub fn label(self) -> &'static str {
        match self {
            DetectorKind::Normal => "normal (Akka)",
            DetectorKind::Exponential => "exponential, t/mean (chitchat)",
            DetectorKind::ExponentialLn10 => "exponential, t/(mean·ln 10) (Cassandra)",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// The URL and menu value of a dissemination mode.
pub fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Push => "push",
        Mode::Pull => "pull",
        Mode::PushPull => "push-pull",
    }
}

/// Every mode, in menu order.
pub const MODES: [Mode; 3] = [Mode::Push, Mode::Pull, Mode::PushPull];

/// Everything a user can set, as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Cluster size.
    pub nodes: u32,
    /// Seed of the run.
    pub seed: u64,
    /// Live peers per round.
    pub fanout: u32,
    /// Gossip interval, ms.
    pub interval_ms: u64,
    /// Largest message, bytes.
    pub mtu: u32,
    /// Message loss, percent.
    pub loss: f64,
    /// Mean one-way latency, ms.
    pub latency_ms: u64,
    /// Latency jitter, ms.
    pub jitter_ms: u64,
    /// Seed nodes: ids 0 to seeds − 1.
    pub seeds: u32,
    /// Push, pull or push-pull.
    pub mode: Mode,
    /// The detector's model.
    pub detector: DetectorKind,
    /// Convict above this phi.
    pub threshold: f64,
    /// Simulated seconds per wall-clock second.
    pub speed: f64,
    /// A preset scenario, by name.
    pub scenario: Option<String>,
    /// Start playing at once (unless the user prefers reduced motion).
    pub autoplay: bool,
    /// Compact controls without page chrome, for embedding.
    pub embed: bool,
    /// A node that sets a key at the start, so that the page shows it spreading.
    pub update: Option<u32>,
}

impl Default for Settings {
    /// 30 nodes in a LAN-like network, with the protocol's defaults.
    fn default() -> Self {
        Self {
            nodes: 30,
            seed: 1,
            fanout: 4,
            interval_ms: 1000,
            mtu: 1400,
            loss: 0.0,
            latency_ms: 120,
            jitter_ms: 60,
            seeds: 1,
            mode: Mode::PushPull,
            detector: DetectorKind::Normal,
            threshold: 8.0,
            speed: 1.0,
            scenario: None,
            autoplay: true,
            embed: false,
            update: None,
        }
    }
}

/// A URL parameter that was not used as given.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The parameter's name.
    pub name: &'static str,
    /// The value as it was in the URL.
    pub given: String,
    /// What was wrong.
    pub why: String,
    /// What is used instead.
    pub instead: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}={}: {}; using {}",
            self.name, self.given, self.why, self.instead
        )
    }
}

/// Reads settings from a query string such as `?nodes=50&loss=10`. Unknown
/// parameters are left alone (the embedding page may use its own); known ones with
/// bad values are clamped or defaulted, each with a [`Problem`]. `seed` is `None`
/// when the URL has none, so that the caller can pick a random one.
pub fn from_query(query: &str) -> (Settings, Option<u64>, Vec<Problem>) {
    let mut settings = Settings::default();
    let mut seed = None;
    let mut problems = Vec::new();
    let query = query.strip_prefix('?').unwrap_or(query);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let value = decode(raw);
        let mut problem = |name: &'static str, why: String, instead: String| {
            problems.push(Problem {
                name,
                given: value.clone(),
                why,
                instead,
            })
        };
        match name {
            "nodes" => settings.nodes = whole(&value, 1, MAX_NODES, 30, "nodes", &mut problem),
            "seed" => match value.parse() {
                Ok(s) => {
                    settings.seed = s;
                    seed = Some(s);
                }
                Err(_) => problem(
                    "seed",
                    "not a whole number from 0 to 18446744073709551615".into(),
                    "a random seed".into(),
                ),
            },
            "fanout" => settings.fanout = whole(&value, 1, 64, 4, "fanout", &mut problem),
            "interval" => {
                settings.interval_ms = whole(&value, 100, 10_000, 1000, "interval", &mut problem)
            }
            "mtu" => {
                settings.mtu = whole(
                    &value,
                    MIN_MTU as u32,
                    MAX_DATAGRAM as u32,
                    1400,
                    "mtu",
                    &mut problem,
                )
            }
            "loss" => settings.loss = decimal(&value, 0.0, 100.0, 0.0, "loss", &mut problem),
            "latency" => {
                settings.latency_ms = whole(&value, 1, 5_000, 120, "latency", &mut problem)
            }
            "jitter" => settings.jitter_ms = whole(&value, 0, 5_000, 60, "jitter", &mut problem),
            "seeds" => settings.seeds = whole(&value, 1, MAX_NODES, 1, "seeds", &mut problem),
            "mode" => match MODES.into_iter().find(|&m| mode_name(m) == value) {
                Some(mode) => settings.mode = mode,
                None => problem(
                    "mode",
                    "not push, pull or push-pull".into(),
                    "push-pull".into(),
                ),
            },
            "detector" => match DetectorKind::from_name(&value) {
                Some(kind) => settings.detector = kind,
                None => problem(
                    "detector",
                    "not normal, exponential or exponential-ln10".into(),
                    "normal".into(),
                ),
            },
            "threshold" => {
                settings.threshold = decimal(&value, 0.5, 20.0, 8.0, "threshold", &mut problem)
            }
            "speed" => {
                settings.speed = decimal(&value, MIN_SPEED, MAX_SPEED, 1.0, "speed", &mut problem)
            }
            "scenario" if value.is_empty() => {}
            "scenario" => match presets::find(&value) {
                Some(preset) => settings.scenario = Some(preset.name.to_owned()),
                None => problem(
                    "scenario",
                    format!("no such scenario; the scenarios are {}", presets::names()),
                    "none".into(),
                ),
            },
            "update" => {
                settings.update = Some(whole(&value, 0, MAX_NODES - 1, 0, "update", &mut problem))
            }
            "autoplay" => match flag(&value) {
                Some(on) => settings.autoplay = on,
                None => problem("autoplay", "not 1 or 0".into(), "1".into()),
            },
            "embed" => match flag(&value) {
                Some(on) => settings.embed = on,
                None => problem("embed", "not 1 or 0".into(), "0".into()),
            },
            _ => {}
        }
    }
    if let Some(node) = settings.update.filter(|&n| n >= settings.nodes) {
        problems.push(Problem {
            name: "update",
            given: node.to_string(),
            why: format!("there is no node {node} among {}", settings.nodes),
            instead: "0".into(),
        });
        settings.update = Some(0);
    }
    if settings.seeds > settings.nodes {
        problems.push(Problem {
            name: "seeds",
            given: settings.seeds.to_string(),
            why: format!("more seeds than the {} nodes", settings.nodes),
            instead: settings.nodes.to_string(),
        });
        settings.seeds = settings.nodes;
    }
    (settings, seed, problems)
}

/// The query string that reproduces `settings`, with every setting spelled out.
pub fn to_query(settings: &Settings) -> String {
    let mut query = format!(
        "?nodes={}&seed={}&fanout={}&interval={}&mtu={}&loss={}&latency={}&jitter={}&seeds={}&mode={}&detector={}&threshold={}&speed={}",
        settings.nodes,
        settings.seed,
        settings.fanout,
        settings.interval_ms,
        settings.mtu,
        settings.loss,
        settings.latency_ms,
        settings.jitter_ms,
        settings.seeds,
        mode_name(settings.mode),
        settings.detector.name(),
        settings.threshold,
        round_speed(settings.speed),
    );
    if let Some(scenario) = &settings.scenario {
        query.push_str("&scenario=");
        query.push_str(scenario);
    }
    if !settings.autoplay {
        query.push_str("&autoplay=0");
    }
    if settings.embed {
        query.push_str("&embed=1");
    }
    if let Some(node) = settings.update {
        query.push_str(&format!("&update={node}"));
    }
    query
}

/// `1`/`true`/`yes` or `0`/`false`/`no`.
fn flag(value: &str) -> Option<bool> {
    match value {
        "1" | "true" | "yes" => Some(true),
        "0" | "false" | "no" => Some(false),
        _ => None,
    }
}

/// Speeds as the URL shows them: three significant digits are plenty.
fn round_speed(speed: f64) -> f64 {
    (speed * 100.0).round() / 100.0
}

/// Percent-decoding of the few characters a value may carry (`+` is a space).
fn decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| core::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A setting that must read as `T` within `min..=max`: clamped into range, or the
/// default if it does not read, each time with a problem reported.
fn number<T>(
    value: &str,
    (min, max, default): (T, T, T),
    read: fn(&str) -> Option<T>,
    name: &'static str,
    problem: &mut impl FnMut(&'static str, String, String),
) -> T
where
    T: PartialOrd + Copy + fmt::Display,
{
    match read(value) {
        Some(n) if n < min => {
            problem(name, format!("below {min}"), min.to_string());
            min
        }
        Some(n) if n > max => {
            problem(name, format!("above {max}"), max.to_string());
            max
        }
        Some(n) => n,
        None => {
            problem(name, "not a valid number".into(), default.to_string());
            default
        }
    }
}

/// A whole-number setting, as [`number`].
fn whole<T: core::str::FromStr + PartialOrd + Copy + fmt::Display>(
    value: &str,
    min: T,
    max: T,
    default: T,
    name: &'static str,
    problem: &mut impl FnMut(&'static str, String, String),
) -> T {
    number(
        value,
        (min, max, default),
        |v| v.parse().ok(),
        name,
        problem,
    )
}

/// A decimal setting, as [`number`], read by [`decimal_number`].
fn decimal(
    value: &str,
    min: f64,
    max: f64,
    default: f64,
    name: &'static str,
    problem: &mut impl FnMut(&'static str, String, String),
) -> f64 {
    number(value, (min, max, default), decimal_number, name, problem)
}

/// Reads a plain decimal number: digits with an optional sign, point and exponent
/// (`12`, `-0.5`, `.5`, `1e3`), nothing else (no `inf`, `NaN`, hex or spaces). In
/// the browser the checked text goes to JS's `parseFloat`, which rounds to the
/// nearest double exactly as Rust's parser does, so that the page carries no float
/// parser of its own: Rust's tables alone are 5 KB of incompressible wasm.
pub fn decimal_number(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let mut at = 0;
    let sign = |at: &mut usize| {
        if matches!(bytes.get(*at), Some(b'+' | b'-')) {
            *at += 1;
        }
    };
    let digits = |at: &mut usize| {
        let start = *at;
        while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
            *at += 1;
        }
        *at - start
    };
    sign(&mut at);
    let mut mantissa = digits(&mut at);
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        mantissa += digits(&mut at);
    }
    if mantissa == 0 {
        return None;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        sign(&mut at);
        if digits(&mut at) == 0 {
            return None;
        }
    }
    if at != bytes.len() {
        return None;
    }
    #[cfg(target_arch = "wasm32")]
    return Some(js_sys::parse_float(text));
    #[cfg(not(target_arch = "wasm32"))]
    return text.parse().ok();
}

#[cfg(test)]
#[path = "../tests/fixtures/decimals.rs"]
mod decimals;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_parameter() {
        let (s, seed, problems) = from_query(
            "?nodes=37&seed=9&fanout=2&interval=500&mtu=1200&loss=12.5&latency=80&jitter=10\
             &seeds=3&mode=push&detector=exponential-ln10&threshold=10&speed=4&scenario=crash\
             &autoplay=0&unrelated=x",
        );
        assert_eq!(problems, []);
        assert_eq!(seed, Some(9));
        assert_eq!(
            (s.nodes, s.fanout, s.interval_ms, s.mtu, s.loss),
            (37, 2, 500, 1200, 12.5)
        );
        assert_eq!((s.latency_ms, s.jitter_ms, s.seeds), (80, 10, 3));
        assert_eq!(
            (s.mode, s.detector),
            (Mode::Push, DetectorKind::ExponentialLn10)
        );
        assert_eq!((s.threshold, s.speed), (10.0, 4.0));
        assert_eq!(s.scenario.as_deref(), Some("crash"));
        assert!(!s.autoplay);
    }

    #[test]
    fn clamps_or_defaults_bad_values_and_says_so() {
        let (s, seed, problems) = from_query(
            "?nodes=0&seed=x&fanout=999&loss=-5&speed=1e9&mode=shout&scenario=nope&threshold=NaN",
        );
        assert_eq!(seed, None);
        assert_eq!(
            (s.nodes, s.fanout, s.loss, s.speed),
            (1, 64, 0.0, MAX_SPEED)
        );
        assert_eq!((s.mode, s.threshold), (Mode::PushPull, 8.0));
        assert_eq!(s.scenario, None);
        let names: Vec<&str> = problems.iter().map(|p| p.name).collect();
        assert_eq!(
            names,
            [
                "nodes",
                "seed",
                "fanout",
                "loss",
                "speed",
                "mode",
                "scenario",
                "threshold"
            ]
        );
        assert_eq!(problems[0].to_string(), "nodes=0: below 1; using 1");
        assert!(problems[6].why.contains("crash"), "lists the scenarios");
        let (s, _, problems) = from_query("?nodes=5&seeds=9");
        assert_eq!(s.seeds, 5);
        assert_eq!(problems.len(), 1); // Past what fits a tab's memory (10,000 nodes aborted the page): clamped.
        let (s, _, problems) = from_query("?nodes=10000");
        assert_eq!(s.nodes, MAX_NODES);
        assert_eq!(
            problems[0].to_string(),
            "nodes=10000: above 1500; using 1500"
        );
    }

    use super::decimals::{DECIMALS, NOT_DECIMALS};

    /// The grammar [`decimal_number`] accepts (the same in the browser, where
    /// web/tests/browser.rs checks the values JS gives).
    #[test]
    fn reads_plain_decimals_only() {
        for (text, value) in DECIMALS {
            assert_eq!(decimal_number(text), Some(*value), "{text}");
        }
        for text in NOT_DECIMALS {
            assert_eq!(decimal_number(text), None, "{text:?}");
        }
    }

    #[test]
    fn the_query_round_trips() {
        let settings = Settings {
            nodes: 123,
            seed: 77,
            loss: 2.5,
            mode: Mode::Pull,
            detector: DetectorKind::Exponential,
            scenario: Some("partition".into()),
            autoplay: false,
            embed: true,
            update: Some(3),
            ..Settings::default()
        };
        let (back, seed, problems) = from_query(&to_query(&settings));
        assert_eq!(problems, []);
        assert_eq!(seed, Some(77));
        assert_eq!(back, settings);
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(decode("push%2Dpull"), "push-pull");
        assert_eq!(decode("a+b%"), "a b%");
    }
}
