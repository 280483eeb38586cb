//! Running a scenario: checking it against the cluster it runs on, then applying each
//! step to the simulator at its time.

use gossip_core::sim::{self, MAX_NODES, SimConfig, Simulator, Update};
use gossip_core::{Millis, NodeId};
use gossip_heartbeat::Node;
use gossip_heartbeat::NodeConfig;

use crate::apply::{self, Refusal};
use crate::control::{self, ClusterControl, UPDATE_KEY, split_sides};
use crate::{Action, Scenario, ScenarioError, Step};

/// Applies a scenario's steps to a simulator as its clock reaches them. A viewer
/// records its user's actions here too ([`Player::act`]), so that the steps are the
/// whole run: what a replay applies, and what a saved run file holds. An empty
/// player (`default`) plays a run without a scenario.
#[derive(Debug, Clone, Default)]
pub struct Player {
    steps: Vec<Step>,
    next: usize,
    caption: Option<String>,
    update: Option<Update>,
    healed_at: Option<Millis>,
}

impl Scenario {
    /// The cluster this scenario runs on, planned without building one: `base` with
    /// the setup applied and validated, and every step checked against it (node ids
    /// exist at that time, settings are valid), so a bad file is refused before
    /// anything runs. What a host of real nodes starts from.
    pub fn plan(
        &self,
        base: SimConfig<NodeConfig>,
    ) -> Result<(SimConfig<NodeConfig>, Player), ScenarioError> {
        let mut config = base;
        let at_setup = |field: &str, message| {
            ScenarioError::at(self.setup_line, &format!("setup.{field}"), message)
        };
        apply::setup(&mut config, &self.setup)
            .map_err(|(field, message)| at_setup(&field, message))?;
        self.check(&config)?;
        config.validate().map_err(|e| {
            let (field, message) = apply::blame(e);
            at_setup(field, message)
        })?;
        let player = Player {
            steps: self.steps.clone(),
            next: 0,
            caption: None,
            update: None,
            healed_at: None,
        };
        Ok((config, player))
    }

    /// Builds the simulator this scenario runs on ([`Scenario::plan`]).
    pub fn start(
        &self,
        base: SimConfig<NodeConfig>,
    ) -> Result<(Simulator<Node>, Player), ScenarioError> {
        let (config, player) = self.plan(base)?;
        let sim = Simulator::<Node>::new(config).map_err(|e| {
            let (field, message) = apply::blame(e);
            ScenarioError::at(self.setup_line, &format!("setup.{field}"), message)
        })?;
        Ok((sim, player))
    }

    /// Walks the steps without running them, tracking the node count and settings:
    /// every node named exists at its step's time, and every setting is valid on
    /// `config`. A host that takes steps one by one (a served cluster's commands)
    /// checks each against the cluster as it is.
    pub fn check(&self, config: &SimConfig<NodeConfig>) -> Result<(), ScenarioError> {
        let mut nodes = config.nodes;
        let mut config = config.clone();
        for step in &self.steps {
            let error = |field: &str, message: String| ScenarioError::at(step.line, field, message);
            let exists = |field: &str, id: NodeId| {
                if id.0 < nodes {
                    Ok(())
                } else {
                    Err(error(
                        field,
                        format!(
                            "there is no node {} at this time: the ids are 0 to {}",
                            id.0,
                            nodes - 1
                        ),
                    ))
                }
            };
            match &step.action {
                None | Some(Action::Heal | Action::OpenAck) => {}
                Some(Action::Crash(id)) => exists("crash", *id)?,
                Some(Action::Restart(id)) => exists("restart", *id)?,
                Some(Action::Leave(id)) => exists("leave", *id)?,
                Some(Action::Update(id)) => exists("update", *id)?,
                Some(Action::Join(count)) => {
                    nodes = nodes
                        .checked_add(*count)
                        .filter(|&n| n <= MAX_NODES)
                        .ok_or_else(|| {
                            error("join", format!("more than {MAX_NODES} nodes in all"))
                        })?;
                }
                Some(Action::Partition(groups)) => {
                    let mut seen = vec![false; nodes as usize];
                    for &id in groups.iter().flatten() {
                        exists("partition", id)?;
                        if std::mem::replace(&mut seen[id.0 as usize], true) {
                            return Err(error(
                                "partition",
                                format!("node {} is in two groups", id.0),
                            ));
                        }
                    }
                }
                Some(Action::Split(k)) => {
                    if *k > nodes {
                        return Err(error(
                            "split",
                            format!("{k} groups of {nodes} nodes leaves some empty"),
                        ));
                    }
                }
                Some(Action::Link { from, to, .. }) => {
                    exists("link.from", *from)?;
                    exists("link.to", *to)?;
                    let change = step.action.as_ref().and_then(Action::link_change);
                    if let Some(change) = change {
                        control::link(&config, &change)
                            .map_err(|(field, message)| error(&format!("link.{field}"), message))?;
                    }
                }
                Some(Action::Introduce { node, contact }) => {
                    exists("introduce.node", *node)?;
                    exists("introduce.to", *contact)?;
                }
                Some(Action::Set(settings)) => apply::settings(&mut config, settings)
                    .map_err(|(field, message)| error(&format!("set.{field}"), message))?,
            }
        }
        Ok(())
    }
}

impl Player {
    /// Runs the simulator up to `until`, applying every step due by then at its own
    /// time, and calling `on_step` with each after it is applied.
    pub fn advance_to(
        &mut self,
        sim: &mut Simulator<Node>,
        until: Millis,
        mut on_step: impl FnMut(&Step),
    ) -> Result<(), ScenarioError> {
        while self.next_at().is_some_and(|at| at <= until) {
            if let Some(step) = self.apply_next(sim)? {
                on_step(&step);
            }
        }
        sim.advance_to(until);
        Ok(())
    }

    /// When the next step not yet applied happens.
    pub fn next_at(&self) -> Option<Millis> {
        self.steps.get(self.next).map(|s| s.at_ms)
    }

    /// Runs the simulator to the next step's time and applies it (a viewer that
    /// tells what happens step by step); `None` once every step is applied.
    pub fn apply_next(&mut self, sim: &mut Simulator<Node>) -> Result<Option<Step>, ScenarioError> {
        let Some(step) = self.steps.get(self.next).cloned() else {
            return Ok(None);
        };
        self.next += 1;
        sim.advance_to(step.at_ms);
        self.apply(sim, &step)?;
        if let Some(caption) = &step.caption {
            self.caption = Some(caption.clone());
        }
        Ok(Some(step))
    }

    /// Applies `action` now, as the next step (its line is 0: no file's), after every
    /// step due by now. A viewer calls it for its user's actions. An error leaves
    /// the step out.
    pub fn act(
        &mut self,
        sim: &mut Simulator<Node>,
        action: Action,
    ) -> Result<&Step, ScenarioError> {
        let step = Step {
            line: 0,
            at_ms: sim.now(),
            action: Some(action),
            caption: None,
        };
        self.advance_to(sim, step.at_ms, |_| ())?;
        self.apply(sim, &step)?;
        self.steps.insert(self.next, step);
        self.next += 1;
        Ok(&self.steps[self.next - 1])
    }

    /// Adds a step of the user's (line 0) to apply on time, after the steps already
    /// there for its moment: a run read back from a viewer's link.
    pub fn schedule(&mut self, at_ms: Millis, action: Action) {
        let later = self.steps[self.next..].partition_point(|s| s.at_ms <= at_ms);
        let step = Step {
            line: 0,
            at_ms,
            action: Some(action),
            caption: None,
        };
        self.steps.insert(self.next + later, step);
    }

    /// Every step, applied or not, in time order.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Drops the steps not yet applied for which `drop` is true: a viewer's fork
    /// discards its user's future.
    pub fn drop_future(&mut self, mut drop: impl FnMut(&Step) -> bool) {
        let mut index = 0;
        let next = self.next;
        self.steps.retain(|step| {
            index += 1;
            index <= next || !drop(step)
        });
    }

    /// Takes `newer`'s steps, a player of the same run further on (a checkpoint
    /// going back to the present's list of steps). The steps this player has
    /// applied must be the first of `newer`'s.
    pub fn take_steps(&mut self, newer: &Player) {
        debug_assert_eq!(self.steps[..self.next], newer.steps[..self.next]);
        self.steps.clone_from(&newer.steps);
    }

    /// The latest caption shown so far.
    pub fn caption(&self) -> Option<&str> {
        self.caption.as_deref()
    }

    /// The latest `update` step's news, to follow its spread.
    pub fn update(&self) -> Option<Update> {
        self.update
    }

    /// When the latest `heal` happened.
    pub fn healed_at(&self) -> Option<Millis> {
        self.healed_at
    }

    /// When the last step happens.
    pub fn end_ms(&self) -> Millis {
        self.steps.last().map_or(0, |s| s.at_ms)
    }

    /// True once every step has been applied.
    pub fn is_done(&self) -> bool {
        self.next >= self.steps.len()
    }

    /// Carries out `step` on `cluster` now: the one reading of a step's action, for
    /// the simulator and for real nodes alike. A refusal names the step's line.
    pub fn apply(
        &mut self,
        cluster: &mut impl ClusterControl,
        step: &Step,
    ) -> Result<(), ScenarioError> {
        let error = |(field, message): Refusal| ScenarioError::at(step.line, field, message);
        let Some(action) = &step.action else {
            return Ok(());
        };
        match action {
            Action::Crash(id) => cluster.crash(*id),
            Action::Restart(id) => cluster.restart(*id).map(drop),
            Action::Leave(id) => cluster.leave(*id),
            Action::Join(count) => (0..*count).try_for_each(|_| cluster.join()),
            Action::Update(id) => {
                let value = format!("made at {} ms", cluster.now());
                cluster.update(*id, UPDATE_KEY, value).map(|update| {
                    if update.is_some() {
                        self.update = update;
                    }
                })
            }
            Action::Partition(groups) => {
                cluster.partition(&sim::sides(groups, cluster.node_count() as usize))
            }
            Action::Split(groups) => cluster.partition(&split_sides(*groups, cluster.node_count())),
            Action::Heal => cluster
                .heal()
                .map(|()| self.healed_at = Some(cluster.now())),
            Action::Link { from, to, .. } => {
                let change = action.link_change().unwrap_or_default();
                cluster.link(*from, *to, &change)
            }
            Action::Introduce { node, contact } => cluster.introduce(*node, *contact),
            Action::OpenAck => Ok(()),
            Action::Set(settings) => cluster.configure(settings),
        }
        .map_err(error)
    }
}
