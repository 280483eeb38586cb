//! The table itself: each setting's row (name, type, range, default, unit, label,
//! help, whether a profile sets it), and the types a row is made of.

use core::fmt;

use gossip_core::Named;
use gossip_core::sim::{DEFAULT_JITTER_MS, DEFAULT_LATENCY_MS};
use gossip_heartbeat::detector::{Model, THRESHOLDS};
use gossip_heartbeat::node::{INTERVALS_MS, MAX_FANOUT, MIN_MTU};
use gossip_heartbeat::wire::MAX_MESSAGE;
use gossip_heartbeat::{Mode, Profile};

use crate::presets;

use super::{CUSTOM, MAX_NODES, MAX_SPEED, MIN_SPEED, Settings};

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
pub(super) const PROFILE_NAMES: &[&str] = &[
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
