//! # gossip-scenario
//!
//! A scenario is plain data: a list of timed events for the simulator (crash,
//! restart, leave, join, an update, a partition and its heal, one link's loss and
//! latency, a change of settings) with captions that narrate them. The same file runs
//! in `gossip-sim` and in the browser, and the same seed gives the same run.
//!
//! The format is JSON Lines: one JSON object per line, so that an error can name its
//! line. Blank lines and lines starting with `#` are skipped.
//!
//! ```text
//! # A crash, and how long the cluster takes to notice.
//! {"setup": {"title": "A node crashes", "nodes": 20, "seeds": 2}}
//! {"at": 0, "caption": "20 nodes gossip once a second."}
//! {"at": 10, "crash": 7, "caption": "Node 7 crashes."}
//! {"at": 30, "set": {"loss": 10}, "caption": "Now 10 % of messages are lost."}
//! {"at": 60, "caption": "Every node has convicted it."}
//! ```
//!
//! A line holds a time (`at`, seconds of simulated time, never earlier than the line
//! before) with at most one action and an optional caption; or, first of all, a
//! `setup` with what is fixed for the whole run. [`Scenario::parse`] checks the text;
//! [`Scenario::start`] checks it against a cluster (node ids, settings) and returns
//! the simulator and a [`Player`] that applies each step on time. Every problem is a
//! [`ScenarioError`] naming the line and the field. A viewer records its user's
//! actions as steps of a player too, and [`setup_line`] and [`step_line`] write a
//! run back as a file that replays it exactly.

mod apply;
mod control;
mod error;
mod fields;
#[cfg(feature = "json")]
mod json;
mod line;
mod player;
mod reader;
mod write;

use gossip_core::{Millis, NodeId};

pub use apply::Refusal;
pub use control::{ClusterControl, LinkChange, UPDATE_KEY};
pub use error::ScenarioError;
pub use fields::{fields, unknown_field};
#[cfg(feature = "json")]
pub use json::SerdeJson;
pub use line::{SettingsLine, SetupLine};
pub use player::Player;
pub use reader::{LineError, LineReader};
pub use write::{setup_line, step_line};

use line::{Line, LinkLine};

/// The latest time a step may have: 30 days of simulated time.
pub const MAX_AT_SECONDS: f64 = 30.0 * 24.0 * 3600.0;

/// A checked scenario file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scenario {
    /// What is fixed for the whole run; empty if the file has no setup line.
    pub setup: SetupLine,
    /// The setup's line, for errors about it.
    setup_line: usize,
    /// The steps, in time order.
    pub steps: Vec<Step>,
}

/// One timed line of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Its line in the file, from 1.
    pub line: usize,
    /// When it happens, in simulated milliseconds since the start.
    pub at_ms: Millis,
    /// What happens, if anything besides the caption.
    pub action: Option<Action>,
    /// Text that narrates the run from here on.
    pub caption: Option<String>,
}

/// What a step does to the simulated cluster.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The node stops sending and receiving.
    Crash(NodeId),
    /// The node comes back in a newer generation, knowing only its seeds.
    Restart(NodeId),
    /// The node announces STATUS=left, then stops.
    Leave(NodeId),
    /// This many new nodes join through the seeds, taking the next free ids.
    Join(u32),
    /// The node sets a key: news to watch spread.
    Update(NodeId),
    /// The network splits into these groups; nodes in none form one more group.
    Partition(Vec<Vec<NodeId>>),
    /// The network splits into this many groups, node `i` in group `i mod k`.
    Split(u32),
    /// Every partition ends.
    Heal,
    /// For a view: pause on the next Ack in flight that carries the update being
    /// followed, and open it. The cluster is untouched (`gossip-sim` skips it).
    OpenAck,
    /// One direction of one link gets its own loss and latency; fields left out
    /// follow the cluster-wide network, and with none the link goes back to it.
    Link {
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
        /// Loss in percent.
        loss: Option<f64>,
        /// Mean latency in ms.
        latency_ms: Option<u64>,
        /// Latency jitter in ms.
        jitter_ms: Option<u64>,
    },
    /// The administrator points `node` at `contact`, which it then reconciles with
    /// as with a seed of its own.
    Introduce {
        /// The node being joined.
        node: NodeId,
        /// The member it is told about.
        contact: NodeId,
    },
    /// Settings change from now on; `seeds` replaces every node's seeds and
    /// introductions.
    Set(SettingsLine),
}

impl Action {
    /// A `link` step's network change; `None` for any other step.
    pub fn link_change(&self) -> Option<LinkChange> {
        match *self {
            Action::Link {
                loss,
                latency_ms,
                jitter_ms,
                ..
            } => Some(LinkChange {
                loss,
                latency_ms,
                jitter_ms,
            }),
            _ => None,
        }
    }
}

impl Scenario {
    /// Reads a scenario file with serde_json. Checks everything that does not depend
    /// on the cluster it will run on; [`Scenario::start`] checks the rest.
    #[cfg(feature = "json")]
    pub fn parse(text: &str) -> Result<Self, ScenarioError> {
        Self::parse_with(text, &SerdeJson)
    }

    #[cfg(feature = "json")]
    /// Reads and parses the scenario file at `path`; every error names the file.
    pub fn read(path: &std::path::Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    #[cfg(feature = "json")]
    /// Reads, parses and starts the scenario file at `path` on `base`
    /// ([`Scenario::start`]): what a runner does with a file it is given. Every
    /// error names the file.
    pub fn load(
        path: &std::path::Path,
        base: gossip_core::sim::SimConfig<gossip_heartbeat::NodeConfig>,
    ) -> Result<
        (
            Self,
            gossip_core::sim::Simulator<gossip_heartbeat::Node>,
            Player,
        ),
        String,
    > {
        let scenario = Self::read(path)?;
        let (sim, player) = scenario
            .start(base)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok((scenario, sim, player))
    }

    /// Reads a scenario file, each line's JSON read by `reader`: the same checks as
    /// [`Scenario::parse`], for a host with a JSON parser of its own.
    pub fn parse_with(text: &str, reader: &impl LineReader) -> Result<Self, ScenarioError> {
        let mut scenario = Scenario::default();
        let mut content_lines = 0;
        for (index, raw) in text.lines().enumerate() {
            let number = index + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            content_lines += 1;
            let mut line: Line = reader
                .read(trimmed)
                .map_err(|e| ScenarioError::from_line(number, e))?;
            if let Some(setup) = line.setup.take() {
                if content_lines != 1 {
                    return Err(ScenarioError::at(
                        number,
                        "setup",
                        "the setup must be the first line",
                    ));
                }
                let rest = named_fields(&line);
                if let Some(extra) = rest.first() {
                    return Err(ScenarioError::at(
                        number,
                        extra,
                        "a setup line holds only the setup",
                    ));
                }
                scenario.setup = setup;
                scenario.setup_line = number;
                continue;
            }
            let step = step(number, line)?;
            if let Some(last) = scenario.steps.last()
                && step.at_ms < last.at_ms
            {
                return Err(ScenarioError::at(
                    number,
                    "at",
                    format!(
                        "{} s is earlier than line {}'s {} s: steps go in time order",
                        step.at_ms as f64 / 1000.0,
                        last.line,
                        last.at_ms as f64 / 1000.0
                    ),
                ));
            }
            scenario.steps.push(step);
        }
        if scenario.steps.is_empty() {
            return Err(ScenarioError::whole("the scenario has no steps"));
        }
        Ok(scenario)
    }

    /// Refuses a scenario whose cluster would grow past `most` nodes (a host's memory
    /// limit: every node holds every other's state), naming the setup or the join
    /// that crosses it. `nodes` is the cluster size when the setup names none.
    pub fn check_most_nodes(&self, nodes: u32, most: u32) -> Result<(), ScenarioError> {
        let mut count = u64::from(self.setup.nodes.unwrap_or(nodes));
        if count > u64::from(most) {
            return Err(ScenarioError::at(
                self.setup_line,
                "setup.nodes",
                format!("{count} nodes: at most {most} run here"),
            ));
        }
        for step in &self.steps {
            if let Some(Action::Join(joining)) = step.action {
                count += u64::from(joining);
                if count > u64::from(most) {
                    return Err(ScenarioError::at(
                        step.line,
                        "join",
                        format!("the cluster would reach {count} nodes: at most {most} run here"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// When the last step happens: the scenario's length.
    pub fn end_ms(&self) -> Millis {
        self.steps.last().map_or(0, |s| s.at_ms)
    }
}

/// The names of the fields a line sets, other than `setup`, in file order of the
/// format.
fn named_fields(line: &Line) -> Vec<&'static str> {
    let mut names = Vec::new();
    let mut add = |present: bool, name| {
        if present {
            names.push(name);
        }
    };
    add(line.at.is_some(), "at");
    add(line.caption.is_some(), "caption");
    add(line.crash.is_some(), "crash");
    add(line.restart.is_some(), "restart");
    add(line.leave.is_some(), "leave");
    add(line.join.is_some(), "join");
    add(line.update.is_some(), "update");
    add(line.partition.is_some(), "partition");
    add(line.split.is_some(), "split");
    add(line.heal.is_some(), "heal");
    add(line.open_ack.is_some(), "open_ack");
    add(line.link.is_some(), "link");
    add(line.introduce.is_some(), "introduce");
    add(line.set.is_some(), "set");
    names
}

/// Turns a timed line into a step, checking what one line alone can show.
fn step(number: usize, line: Line) -> Result<Step, ScenarioError> {
    let error = |field: &str, message: &str| ScenarioError::at(number, field, message);
    let at = line.at.ok_or_else(|| {
        error(
            "at",
            "missing: every step needs a time, in seconds since the start",
        )
    })?;
    if !(0.0..=MAX_AT_SECONDS).contains(&at) {
        return Err(error(
            "at",
            &format!("{at} s is not between 0 and {MAX_AT_SECONDS} s (30 days)"),
        ));
    }
    let actions: Vec<&str> = named_fields(&line)
        .into_iter()
        .filter(|name| !matches!(*name, "at" | "caption"))
        .collect();
    if let [first, second, ..] = actions[..] {
        return Err(error(
            second,
            &format!("one action per line, and this line also has `{first}`"),
        ));
    }
    let node = |id: u32| NodeId(id);
    let action = if let Some(id) = line.crash {
        Some(Action::Crash(node(id)))
    } else if let Some(id) = line.restart {
        Some(Action::Restart(node(id)))
    } else if let Some(id) = line.leave {
        Some(Action::Leave(node(id)))
    } else if let Some(count) = line.join {
        if count == 0 {
            return Err(error("join", "at least one node must join"));
        }
        Some(Action::Join(count))
    } else if let Some(id) = line.update {
        Some(Action::Update(node(id)))
    } else if let Some(groups) = line.partition {
        Some(Action::Partition(
            groups
                .into_iter()
                .map(|g| g.into_iter().map(node).collect())
                .collect(),
        ))
    } else if let Some(k) = line.split {
        if k < 2 {
            return Err(error("split", "split into at least 2 groups"));
        }
        Some(Action::Split(k))
    } else if let Some(heal) = line.heal {
        if !heal {
            return Err(error("heal", "write `\"heal\": true` to end a partition"));
        }
        Some(Action::Heal)
    } else if let Some(open) = line.open_ack {
        if !open {
            return Err(error(
                "open_ack",
                "write `\"open_ack\": true` to open an Ack",
            ));
        }
        Some(Action::OpenAck)
    } else if let Some(LinkLine {
        from,
        to,
        loss,
        latency_ms,
        jitter_ms,
    }) = line.link
    {
        Some(Action::Link {
            from: node(from.ok_or_else(|| error("link.from", "missing: the sending node"))?),
            to: node(to.ok_or_else(|| error("link.to", "missing: the receiving node"))?),
            loss,
            latency_ms,
            jitter_ms,
        })
    } else if let Some(introduce) = line.introduce {
        let node_id = introduce
            .node
            .ok_or_else(|| error("introduce.node", "missing: the node told"))?;
        let contact = introduce
            .to
            .ok_or_else(|| error("introduce.to", "missing: its new contact"))?;
        Some(Action::Introduce {
            node: node(node_id),
            contact: node(contact),
        })
    } else {
        line.set.map(Action::Set)
    };
    if action.is_none() && line.caption.is_none() {
        return Err(error(
            "at",
            "nothing happens at this time: add an action or a caption",
        ));
    }
    Ok(Step {
        line: number,
        // Exact for every whole millisecond; `at` is bounded above.
        at_ms: (at * 1000.0).round() as Millis,
        action,
        caption: line.caption,
    })
}
