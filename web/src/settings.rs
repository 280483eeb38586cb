//! Every setting of the page in one table, [`SETTINGS`]: its name, type, range,
//! default, unit, label, help text and whether a profile sets it. Everything reads
//! from it: the URL (read with [`from_query`], written with [`to_query`]), the
//! `mount()` options and the custom element's attributes (`embed.rs`), the controls
//! (`components/param_panel.rs`) and the guide's list (`book/src/page.md`, checked by a
//! test). Adding a
//! setting means adding one row and one field of [`Settings`].
//!
//! A control or an option sends a typed [`Value`] to [`edit`]; nothing builds a
//! query string to change a setting. A value out of range is clamped (or, if it does
//! not read, the setting keeps its default) and a [`Problem`] says which and why:
//! the URL shows it, `mount()` throws it.

use core::fmt;

use gossip_core::Named;
use gossip_core::sim::{DEFAULT_JITTER_MS, DEFAULT_LATENCY_MS};
use gossip_heartbeat::detector::{Model, THRESHOLDS};
use gossip_heartbeat::node::{INTERVALS_MS, MAX_FANOUT, MIN_MTU};
use gossip_heartbeat::wire::MAX_MESSAGE;
use gossip_heartbeat::{Mode, Profile};

use crate::presets;

/// The most nodes the page simulates. Every node holds the state of every other, so
/// memory grows as N²: about 67 bytes per endpoint pair (BENCHMARKS.md, "memory per
/// endpoint pair"), 1.7 GB of a tab's 4 GB of wasm memory at 5,000 nodes, the size
/// of Cassandra's largest clusters.
pub const MAX_NODES: u32 = 5_000;
/// Speeds run from 0.1× to 100× on a log scale.
pub const MIN_SPEED: f64 = 0.1;
/// See [`MIN_SPEED`].
pub const MAX_SPEED: f64 = 100.0;
/// The profile choice that matches no profile.
pub const CUSTOM: &str = "custom";

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
    pub detector: Model,
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
    /// What the embedded layout shows beside the canvas.
    pub controls: Controls,
    /// A node that sets a key at the start, so that the page shows it spreading.
    pub update: Option<u32>,
}

impl Settings {
    /// The profile these settings match, if any.
    pub fn profile(&self) -> Option<Profile> {
        Profile::matching(
            self.fanout as usize,
            self.interval_ms,
            self.detector,
            self.threshold,
        )
    }

    /// Takes a profile's values.
    pub fn take_profile(&mut self, profile: Profile) {
        let node = profile.node_config();
        self.fanout = node.fanout as u32;
        self.interval_ms = node.interval_ms;
        self.detector = node.detector.model;
        self.threshold = node.detector.threshold;
    }
}

impl Default for Settings {
    /// Every row's default, and the default profile (Cassandra's) for the rows a
    /// profile sets.
    fn default() -> Self {
        let mut settings = Settings {
            nodes: 0,
            seed: 0,
            fanout: 0,
            interval_ms: 0,
            mtu: 0,
            loss: 0.0,
            latency_ms: 0,
            jitter_ms: 0,
            seeds: 0,
            mode: Mode::PushPull,
            detector: Model::NORMAL,
            threshold: 0.0,
            speed: 0.0,
            scenario: None,
            autoplay: false,
            embed: false,
            controls: Controls::Full,
            update: None,
        };
        for setting in &SETTINGS {
            if let Some(value) = setting.default {
                // Every default is a valid value of its row (the_table_is_consistent).
                let _ = (setting.set)(&mut settings, value);
            }
        }
        settings.take_profile(Profile::default());
        settings
    }
}

/// Where a setting's control sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// Nodes and seeds.
    Cluster,
    /// Loss, latency, jitter, MTU.
    Network,
    /// Fanout, interval, mode.
    Protocol,
    /// The failure detector.
    Detector,
    /// Not a parameter control: set by the play bar, the profile or scenario menus,
    /// or only through the URL.
    Run,
}

impl Group {
    /// The parameter groups, in panel order.
    pub const PANEL: [Group; 4] = [
        Group::Cluster,
        Group::Network,
        Group::Protocol,
        Group::Detector,
    ];

    /// The group's heading.
    pub fn title(self) -> &'static str {
        match self {
            Group::Cluster => "Cluster",
            Group::Network => "Network",
            Group::Protocol => "Protocol",
            Group::Detector => "Failure detector",
            Group::Run => "Run",
        }
    }
}

/// A setting's type and range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// A whole number in `min..=max`, in steps of `step` in the control.
    Whole {
        /// Smallest.
        min: u64,
        /// Largest.
        max: u64,
        /// The control's step.
        step: u64,
    },
    /// A decimal number in `min..=max`.
    Decimal {
        /// Smallest.
        min: f64,
        /// Largest.
        max: f64,
        /// The control's step.
        step: f64,
    },
    /// One of these names.
    Choice(&'static [&'static str]),
    /// `1`/`true`/`yes` or `0`/`false`/`no` in the URL; a boolean as an option.
    Flag,
    /// A name checked by the setting itself (the scenario).
    Text,
}

/// A typed value of a setting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// Of a [`Kind::Whole`].
    Whole(u64),
    /// Of a [`Kind::Decimal`].
    Decimal(f64),
    /// Of a [`Kind::Choice`] or [`Kind::Text`]: a name.
    Name(&'static str),
    /// Of a [`Kind::Flag`].
    Flag(bool),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Whole(n) => write!(f, "{n}"),
            Value::Decimal(x) => write!(f, "{x}"),
            Value::Name(name) => f.write_str(name),
            Value::Flag(on) => f.write_str(if *on { "1" } else { "0" }),
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    /// Its name in the URL, as a `mount()` option and as an attribute.
    pub name: &'static str,
    /// The control's label.
    pub label: &'static str,
    /// Its unit, if any.
    pub unit: &'static str,
    /// Where its control sits.
    pub group: Group,
    /// Its type and range.
    pub kind: Kind,
    /// Its default; `None` when the default profile sets it, or when it is unset by
    /// default (`scenario`, `update`).
    pub default: Option<Value>,
    /// What it is, in one line, and what Cassandra uses.
    pub help: &'static str,
    /// Whether a profile sets it.
    pub by_profile: bool,
    /// Its value in `settings`; `None` when unset.
    pub get: Getter,
    /// Sets a value already checked against [`Setting::kind`]; a value the setting
    /// itself refuses (an unknown scenario) gives why.
    pub set: Setter,
}

/// Reads a setting's value.
type Getter = fn(&Settings) -> Option<Value>;
/// Sets a setting's value.
type Setter = fn(&mut Settings, Value) -> Result<(), String>;

/// The accessors of a plain field holding a `Value::$variant`.
macro_rules! field {
    ($variant:ident, $field:ident) => {
        (
            |s: &Settings| Some(Value::$variant(s.$field.into())),
            |s: &mut Settings, v: Value| {
                if let Value::$variant(x) = v {
                    s.$field = x.try_into().unwrap_or(s.$field);
                }
                Ok(())
            },
        )
    };
}

/// A row, with its accessors (from [`field!`] for a plain field).
#[allow(clippy::too_many_arguments)]
const fn row(
    name: &'static str,
    label: &'static str,
    unit: &'static str,
    group: Group,
    kind: Kind,
    default: Option<Value>,
    help: &'static str,
    by_profile: bool,
    (get, set): (Getter, Setter),
) -> Setting {
    Setting {
        name,
        label,
        unit,
        group,
        kind,
        default,
        help,
        by_profile,
        get,
        set,
    }
}

/// The core's profiles, and the choice that matches none.
const PROFILE_NAMES: &[&str] = &[
    Profile::NAMES[0],
    Profile::NAMES[1],
    Profile::NAMES[2],
    CUSTOM,
];
const _: () = assert!(Profile::NAMES.len() == 3, "a new profile needs its choice");
const CONTROLS_NAMES: &[&str] = &["none", "play", "full"];

/// What an embedded lab shows beside its canvas (the `controls` setting): a lesson's
/// figure shows only what its step needs. The exchange inspector and the ring
/// panel appear in any of them while a message is open or a key looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Controls {
    /// The canvas alone: the host page drives the lab through the JS API.
    None,
    /// Play, step and speed.
    Play,
    /// Those and the timeline.
    Full,
}

impl Controls {
    /// Its name in the settings table.
    pub fn name(self) -> &'static str {
        match self {
            Controls::None => "none",
            Controls::Play => "play",
            Controls::Full => "full",
        }
    }

    /// The controls of this name; anything else is `Full` (names are checked
    /// against the table first).
    fn from_name(name: &str) -> Self {
        match name {
            "none" => Controls::None,
            "play" => Controls::Play,
            _ => Controls::Full,
        }
    }
}

/// Every setting. The profile comes first: reading a URL or options, it is applied
/// before the settings it sets, so that `profile=tuned&threshold=10` is the tuned
/// profile with another threshold (a custom run).
pub const SETTINGS: [Setting; 19] = [
    row(
        "profile",
        "Profile",
        "",
        Group::Run,
        Kind::Choice(PROFILE_NAMES),
        None,
        "Sets fanout, interval and detector as a real system does: Cassandra (the default), chitchat, or Gossip Lab's tuning. chitchat and the tuning also forward news learned in an exchange in the round's other exchanges; Cassandra, and a custom setup, do not.",
        false,
        (
            |s| Some(Value::Name(s.profile().map_or(CUSTOM, Profile::name))),
            |s, v| {
                if let Value::Name(name) = v
                    && let Some(profile) = Profile::from_name(name)
                {
                    s.take_profile(profile);
                }
                Ok(())
            },
        ),
    ),
    row(
        "nodes",
        "Nodes",
        "",
        Group::Cluster,
        Kind::Whole {
            min: 1,
            max: MAX_NODES as u64,
            step: 1,
        },
        Some(Value::Whole(30)),
        "How many nodes the cluster has; each keeps the state of every other.",
        false,
        field!(Whole, nodes),
    ),
    row(
        "seeds",
        "Seeds",
        "",
        Group::Cluster,
        Kind::Whole {
            min: 1,
            max: MAX_NODES as u64,
            step: 1,
        },
        Some(Value::Whole(1)),
        "Seed nodes (ids 0, 1, …) that every node gossips with now and then, so the cluster cannot split into rings that never meet.",
        false,
        field!(Whole, seeds),
    ),
    row(
        "loss",
        "Loss",
        "%",
        Group::Network,
        Kind::Decimal {
            min: 0.0,
            max: 100.0,
            step: 1.0,
        },
        Some(Value::Decimal(0.0)),
        "The chance that the network drops any one message.",
        false,
        field!(Decimal, loss),
    ),
    row(
        "latency",
        "Latency",
        "ms",
        Group::Network,
        Kind::Whole {
            min: 1,
            max: 5_000,
            step: 1,
        },
        Some(Value::Whole(DEFAULT_LATENCY_MS)),
        "The mean one-way delay of a message.",
        false,
        field!(Whole, latency_ms),
    ),
    row(
        "jitter",
        "Jitter",
        "ms",
        Group::Network,
        Kind::Whole {
            min: 0,
            max: 5_000,
            step: 1,
        },
        Some(Value::Whole(DEFAULT_JITTER_MS)),
        "Each delay is uniform in latency ± jitter.",
        false,
        field!(Whole, jitter_ms),
    ),
    row(
        "mtu",
        "MTU",
        "bytes",
        Group::Network,
        Kind::Whole {
            min: MIN_MTU as u64,
            max: MAX_MESSAGE as u64,
            step: 1,
        },
        Some(Value::Whole(1400)),
        "The largest message: a Syn carries as many digests as fit. Cassandra's messages are unbounded; 1400 fits one UDP packet.",
        false,
        field!(Whole, mtu),
    ),
    row(
        "fanout",
        "Fanout",
        "peers",
        Group::Protocol,
        Kind::Whole {
            min: 1,
            max: MAX_FANOUT as u64,
            step: 1,
        },
        None,
        "Live peers each node starts an exchange with every round. Cassandra: 1, chitchat: 3.",
        true,
        field!(Whole, fanout),
    ),
    row(
        "interval",
        "Interval",
        "ms",
        Group::Protocol,
        Kind::Whole {
            min: *INTERVALS_MS.start(),
            max: *INTERVALS_MS.end(),
            step: 100,
        },
        None,
        "How often each node gossips. Cassandra: every second.",
        true,
        field!(Whole, interval_ms),
    ),
    row(
        "mode",
        "Mode",
        "",
        Group::Protocol,
        Kind::Choice(Mode::NAMES),
        Some(Value::Name("push-pull")),
        "Which way state flows: push (the initiator sends), pull (it asks), or both, as Cassandra's Syn, Ack and Ack2 do.",
        false,
        (
            |s| Some(Value::Name(s.mode.name())),
            |s, v| {
                if let Value::Name(name) = v
                    && let Some(mode) = Mode::from_name(name)
                {
                    s.mode = mode;
                }
                Ok(())
            },
        ),
    ),
    row(
        "detector",
        "Model",
        "",
        Group::Detector,
        Kind::Choice(Model::NAMES),
        None,
        "How phi reads a silence: normal (Akka), exponential t/mean (chitchat) or exponential t/(mean·ln 10) (Cassandra).",
        true,
        (
            |s| Some(Value::Name(s.detector.name())),
            |s, v| {
                if let Value::Name(name) = v
                    && let Some(model) = Model::from_name(name)
                {
                    s.detector = model;
                }
                Ok(())
            },
        ),
    ),
    row(
        "threshold",
        "Threshold",
        "phi",
        Group::Detector,
        Kind::Decimal {
            min: *THRESHOLDS.start(),
            max: *THRESHOLDS.end(),
            step: 0.5,
        },
        None,
        "Convict a node when its phi passes this. Cassandra: 8; users on noisy networks raise it to 10–12.",
        true,
        field!(Decimal, threshold),
    ),
    row(
        "seed",
        "Seed",
        "",
        Group::Run,
        Kind::Whole {
            min: 0,
            max: u64::MAX,
            step: 1,
        },
        Some(Value::Whole(1)),
        "The seed of the run: the same seed and actions give the same run.",
        false,
        field!(Whole, seed),
    ),
    row(
        "speed",
        "Speed",
        "×",
        Group::Run,
        Kind::Decimal {
            min: MIN_SPEED,
            max: MAX_SPEED,
            step: 0.01,
        },
        Some(Value::Decimal(1.0)),
        "Simulated seconds per second of wall time.",
        false,
        field!(Decimal, speed),
    ),
    row(
        "scenario",
        "Scenario",
        "",
        Group::Run,
        Kind::Text,
        None,
        "A guided scenario, by name.",
        false,
        (
            |s| {
                let preset = s.scenario.as_deref().and_then(presets::find)?;
                Some(Value::Name(preset.name))
            },
            |s, v| match v {
                Value::Name("") => {
                    s.scenario = None;
                    Ok(())
                }
                Value::Name(name) => match presets::find(name) {
                    Some(preset) => {
                        s.scenario = Some(preset.name.to_owned());
                        Ok(())
                    }
                    None => Err(format!(
                        "no such scenario; the scenarios are {}",
                        presets::names()
                    )),
                },
                _ => Ok(()),
            },
        ),
    ),
    row(
        "autoplay",
        "Autoplay",
        "",
        Group::Run,
        Kind::Flag,
        Some(Value::Flag(true)),
        "Start playing at once (a user who prefers reduced motion starts paused).",
        false,
        field!(Flag, autoplay),
    ),
    row(
        "embed",
        "Embed",
        "",
        Group::Run,
        Kind::Flag,
        Some(Value::Flag(false)),
        "Compact controls without page chrome, for a docs page.",
        false,
        field!(Flag, embed),
    ),
    row(
        "controls",
        "Controls",
        "",
        Group::Run,
        Kind::Choice(CONTROLS_NAMES),
        Some(Value::Name("full")),
        "What an embedded lab shows beside its canvas: nothing (a figure the host page drives), play and step, or those and the timeline.",
        false,
        (
            |s| Some(Value::Name(s.controls.name())),
            |s, v| {
                if let Value::Name(name) = v {
                    s.controls = Controls::from_name(name);
                }
                Ok(())
            },
        ),
    ),
    row(
        "update",
        "Update at",
        "",
        Group::Run,
        Kind::Whole {
            min: 0,
            max: MAX_NODES as u64 - 1,
            step: 1,
        },
        None,
        "A node that sets a key at the start, to watch it spread.",
        false,
        (
            |s| s.update.map(|n| Value::Whole(n.into())),
            |s, v| {
                if let Value::Whole(n) = v {
                    s.update = u32::try_from(n).ok();
                }
                Ok(())
            },
        ),
    ),
];

/// The row called `name`.
pub fn setting(name: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.name == name)
}

/// Every setting's name, for error messages.
pub fn names() -> String {
    SETTINGS.map(|s| s.name).join(", ")
}

/// A change of the settings, which starts the run over.
#[derive(Debug, Clone, PartialEq)]
pub enum Restart {
    /// A setting changed to a typed value (a control never builds a query string).
    Edit(&'static str, Value),
    /// The seed typed, as text.
    Seed(String),
    /// A preset scenario by name, or none (`""`).
    Preset(String),
}

impl Restart {
    /// Changes `settings`: a changed cluster ends any scenario, a new seed replays
    /// it. A value that could not be used as given is a [`Problem`].
    pub fn apply(self, settings: &mut Settings) -> Result<(), Problem> {
        match self {
            Restart::Edit(name, value) => {
                settings.scenario = None;
                edit(settings, name, value)
            }
            Restart::Seed(seed) => edit_text(settings, "seed", seed.trim()).map_err(|p| Problem {
                instead: "the same seed".into(),
                ..p
            }),
            Restart::Preset(name) => {
                settings.scenario = presets::find(&name).map(|p| p.name.to_owned());
                Ok(())
            }
        }
    }
}

/// A setting that was not used as given.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The setting's name.
    pub name: &'static str,
    /// The value as it was given.
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

impl Setting {
    /// Reads `text` as this setting's type, without checking the range.
    pub fn read(&self, text: &str) -> Option<Value> {
        match self.kind {
            Kind::Whole { .. } => text.parse().ok().map(Value::Whole),
            Kind::Decimal { .. } => decimal_number(text).map(Value::Decimal),
            Kind::Choice(names) => names.iter().find(|n| **n == text).map(|n| Value::Name(n)),
            Kind::Flag => match text {
                "1" | "true" | "yes" => Some(Value::Flag(true)),
                "0" | "false" | "no" => Some(Value::Flag(false)),
                _ => None,
            },
            Kind::Text => presets::find(text)
                .map(|p| Value::Name(p.name))
                .or((text.is_empty()).then_some(Value::Name(""))),
        }
    }

    /// What a value that does not read should be, in words.
    fn expected(&self) -> String {
        match self.kind {
            Kind::Whole { min, max, .. } => format!("not a whole number from {min} to {max}"),
            Kind::Decimal { .. } => "not a valid number".into(),
            Kind::Choice(names) => format!("not one of {}", names.join(", ")),
            Kind::Flag => "not 1 or 0".into(),
            Kind::Text => format!("no such scenario; the scenarios are {}", presets::names()),
        }
    }

    /// `value` clamped into range, with why if it had to be.
    fn clamp(&self, value: Value) -> (Value, Option<String>) {
        match (self.kind, value) {
            (Kind::Whole { min, .. }, Value::Whole(n)) if n < min => {
                (Value::Whole(min), Some(format!("below {min}")))
            }
            (Kind::Whole { max, .. }, Value::Whole(n)) if n > max => {
                (Value::Whole(max), Some(format!("above {max}")))
            }
            (Kind::Decimal { min, .. }, Value::Decimal(x)) if x < min => {
                (Value::Decimal(min), Some(format!("below {min}")))
            }
            (Kind::Decimal { max, .. }, Value::Decimal(x)) if x > max => {
                (Value::Decimal(max), Some(format!("above {max}")))
            }
            _ => (value, None),
        }
    }

    /// The value now in `settings`, as the URL writes it; `none` when unset.
    pub fn current(&self, settings: &Settings) -> String {
        (self.get)(settings).map_or_else(|| "none".into(), |v| v.to_string())
    }
}

/// Sets `name` to `value` in `settings`, clamped into range. A value out of range
/// is clamped and one of the wrong type leaves the setting as it was; either way
/// the problem is returned.
pub fn edit(settings: &mut Settings, name: &str, value: Value) -> Result<(), Problem> {
    let Some(setting) = setting(name) else {
        return Err(Problem {
            name: "option",
            given: name.to_owned(),
            why: format!("no such setting; the settings are {}", names()),
            instead: "nothing".into(),
        });
    };
    // An empty number box reads as NaN, and JS may pass Infinity: neither is a number.
    let fits = !matches!(value, Value::Decimal(x) if !x.is_finite())
        && matches!(
            (setting.kind, value),
            (Kind::Whole { .. }, Value::Whole(_))
                | (Kind::Decimal { .. }, Value::Decimal(_))
                | (Kind::Choice(_) | Kind::Text, Value::Name(_))
                | (Kind::Flag, Value::Flag(_))
        );
    let problem = |why: String, settings: &Settings| Problem {
        name: setting.name,
        given: value.to_string(),
        why,
        instead: setting.current(settings),
    };
    if !fits {
        return Err(problem(setting.expected(), settings));
    }
    let (clamped, why) = setting.clamp(value);
    if let Err(why) = (setting.set)(settings, clamped) {
        return Err(problem(why, settings));
    }
    match why {
        Some(why) => Err(problem(why, settings)),
        None => Ok(()),
    }
}

/// Sets `name` from the text `raw` (a URL value), as [`edit`] does.
pub fn edit_text(settings: &mut Settings, name: &str, raw: &str) -> Result<(), Problem> {
    let Some(setting) = setting(name) else {
        return Ok(());
    };
    match setting.read(raw) {
        Some(value) => edit(settings, name, value).map_err(|p| Problem {
            given: raw.to_owned(),
            ..p
        }),
        None => Err(Problem {
            name: setting.name,
            given: raw.to_owned(),
            why: setting.expected(),
            instead: setting.current(settings),
        }),
    }
}

/// The checks across settings: seeds no more than nodes, the update at a node that
/// exists. Settings are fixed and the problems returned.
pub fn reconcile(settings: &mut Settings) -> Vec<Problem> {
    let mut problems = Vec::new();
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
    problems
}

/// `items` with the profile first, so that the settings it sets can then be changed;
/// the rest in their order. (Not a sort: a stable sort costs the page 4 KB.)
pub fn profile_first<T>(items: &[T], name: impl Fn(&T) -> &str + Copy) -> impl Iterator<Item = &T> {
    let profile = move |item: &&T| name(item) == "profile";
    items
        .iter()
        .filter(profile)
        .chain(items.iter().filter(move |item| !profile(item)))
}

/// Reads settings from a query string such as `?nodes=50&loss=10`. Unknown
/// parameters are left alone (the embedding page may use its own); known ones with
/// bad values are clamped or left at their defaults, each with a [`Problem`]. The
/// seed is `None` when the URL has none (or a bad one), so that the caller can pick
/// a random one.
pub fn from_query(query: &str) -> (Settings, Option<u64>, Vec<Problem>) {
    let mut settings = Settings::default();
    let mut problems = Vec::new();
    let query = query.strip_prefix('?').unwrap_or(query);
    let pairs: Vec<(&str, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (name, raw) = pair.split_once('=').unwrap_or((pair, ""));
            (name, decode(raw))
        })
        .collect();
    let mut seed = None;
    for (name, raw) in profile_first(&pairs, |(name, _)| name) {
        match edit_text(&mut settings, name, raw) {
            Ok(()) if *name == "seed" => seed = Some(settings.seed),
            Ok(()) => {}
            Err(problem) if problem.name == "seed" => problems.push(Problem {
                instead: "a random seed".into(),
                ..problem
            }),
            Err(problem) => problems.push(problem),
        }
    }
    problems.extend(reconcile(&mut settings));
    (settings, seed, problems)
}

/// The query string that reproduces `settings`: every setting that has a value,
/// but the flags only when they differ from their default.
pub fn to_query(settings: &Settings) -> String {
    let mut query = String::new();
    for setting in &SETTINGS {
        let Some(value) = (setting.get)(settings) else {
            continue;
        };
        let text = match value {
            Value::Flag(_) if Some(value) == setting.default => continue,
            // Three significant digits are plenty for a speed.
            Value::Decimal(speed) if setting.name == "speed" => {
                ((speed * 100.0).round() / 100.0).to_string()
            }
            _ => value.to_string(),
        };
        query.push(if query.is_empty() { '?' } else { '&' });
        query.push_str(setting.name);
        query.push('=');
        query.push_str(&text);
    }
    query
}

/// The query string of a link to a run: its settings (`to_query`) and, if any, the
/// user's actions as a run code (`run_code.rs`), which `param(query, "run")` reads back.
pub fn link(settings: &Settings, run: Option<&str>) -> String {
    let query = to_query(settings);
    match run {
        Some(code) if !code.is_empty() => format!("{query}&run={code}"),
        _ => query,
    }
}

/// A query string's parameter `name`, decoded, if it has one: for the parameters
/// read beside the table (`run`, a run code; `live`, a cluster's address).
pub fn param(query: &str, name: &str) -> Option<String> {
    let query = query.strip_prefix('?').unwrap_or(query);
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
        .map(decode)
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

/// The guide's list of settings, as a Markdown table made from [`SETTINGS`].
pub fn markdown_table() -> String {
    let mut out = String::from(
        "| name | type and range | default | unit | what it is |\n|---|---|---|---|---|\n",
    );
    for s in &SETTINGS {
        let kind = match s.kind {
            Kind::Whole { min, max, .. } => format!("whole, {min} to {max}"),
            Kind::Decimal { min, max, .. } => format!("decimal, {min} to {max}"),
            Kind::Choice(names) => format!("`{}`", names.join("`, `")),
            Kind::Flag => "`1` or `0`".into(),
            Kind::Text => format!("`{}`", presets::names().replace(", ", "`, `")),
        };
        let default = match s.default {
            _ if s.by_profile => "the profile's".into(),
            Some(value) => format!("`{value}`"),
            None if s.name == "profile" => format!("`{}`", Profile::default().name()),
            None => "none".into(),
        };
        out.push_str(&format!(
            "| `{}` | {kind} | {default} | {} | {} |\n",
            s.name, s.unit, s.help
        ));
    }
    out.push_str(&format!(
        "| `{}` | a `ws://` or `wss://` address | none | | {} |\n",
        crate::live::OPTION,
        crate::live::HELP
    ));
    out
}

#[cfg(test)]
#[path = "../tests/fixtures/decimals.rs"]
mod decimals;

#[cfg(test)]
mod tests;
