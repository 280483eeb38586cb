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
//!
//! The parts: `rows.rs` (the table and its types), `edit.rs` (typed edits and the
//! rules between settings), `query.rs` (the URL), `guide.rs` (the guide's list).

use core::fmt;

use gossip_heartbeat::detector::Model;
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

mod edit;
mod guide;
mod query;
mod rows;

pub use edit::*;
pub use guide::*;
pub use query::*;
pub use rows::*;

#[cfg(test)]
#[path = "../tests/fixtures/decimals.rs"]
mod decimals;

#[cfg(test)]
mod tests;
