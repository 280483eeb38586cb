//! What the launcher measures of a real cluster, from its nodes' events and the
//! faults it caused. Detections, false convictions and resurrections are counted by
//! the simulator's own rules (`gossip_core::measure::Tally`), a crash timed from the
//! kill; convergence, the partition's heal and the update's spread are read from
//! the nodes' events, as the simulator reads them from its nodes' views.
//!
//! Members are numbered as the scenario numbers nodes (0, 1, ...), and are the
//! core tally's node ids.

use std::collections::{HashMap, HashSet};

use gossip_core::measure::{Distribution, Down, Tally, Truth};
use gossip_core::{Millis, NodeId};
use gossip_scenario::UPDATE_KEY;
use serde::Serialize;

use crate::event::Event;

/// The cluster's truth, as the launcher made it, and what its nodes reported.
#[derive(Debug, Default)]
pub struct Measurements {
    /// When the cluster started (Unix ms): every member was listening.
    started: Millis,
    /// Members started so far, up or not.
    members: usize,
    down: HashMap<usize, Down>,
    generation: HashMap<usize, u32>,
    /// Each member's side of the partition (0 for all when there is none), from the
    /// moment each split or heal took effect: a node's line is judged by the sides
    /// at its own time, since it may reach the launcher after the next change.
    sides: Vec<(Millis, HashMap<usize, u32>)>,
    /// When each member last restarted or changed sides, for the echo rule of
    /// false convictions (`gossip_core::measure::ECHO_MS`).
    moved_at: HashMap<usize, Millis>,
    /// Detections, false convictions and resurrections.
    counted: Tally,
    /// (viewer, endpoint) pairs where the viewer sees the endpoint alive.
    alive: HashSet<(usize, usize)>,
    converged: Option<Millis>,
    /// When the partition was lifted, and when everyone saw everyone again.
    healed_at: Option<Millis>,
    heal: Option<Millis>,
    /// The update followed: its origin, its version and when it was made.
    update: Option<(usize, u32, Millis)>,
    informed: HashSet<usize>,
    spread: Option<Millis>,
    /// Each member's latest count of rejected datagrams.
    rejected: HashMap<usize, u64>,
}

/// The launcher's JSON summary: `gossip-sim`'s fields where they mean the same.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// Members started, restarts not counted twice.
    pub nodes: usize,
    /// Seconds the cluster ran.
    pub seconds: f64,
    /// Seconds from the start until every node up saw every other as alive.
    pub converged_s: Option<f64>,
    /// Seconds from the update until every node up had it; null without one.
    pub full_spread_s: Option<f64>,
    /// (crash, live node) pairs detected.
    pub detections: usize,
    /// Time from each crash until each live node convicted it: mean, p99, max.
    pub detection_mean_s: Option<f64>,
    /// See `detection_mean_s`.
    pub detection_p99_s: Option<f64>,
    /// See `detection_mean_s`.
    pub detection_max_s: Option<f64>,
    /// Convictions of live, reachable nodes, per ordered pair of nodes per hour.
    pub false_convictions_per_pair_hour: f64,
    /// Seconds from lifting the partition until every node up saw every other as
    /// alive; null without a partition or if it never healed.
    pub partition_heal_s: Option<f64>,
    /// Evicted identities that came back into a view (ghosts).
    pub resurrections: u64,
    /// Datagrams the nodes rejected as invalid (0 between honest nodes).
    pub rejected_messages: u64,
}

impl Measurements {
    /// A member is listening, in this generation.
    pub fn started(&mut self, member: usize, generation: u32, now: Millis) {
        self.members = self.members.max(member + 1);
        self.generation.insert(member, generation);
        if self.down.remove(&member).is_some() {
            // A new life: it knows only its seeds, and its old crash is settled.
            self.alive.retain(|&(viewer, _)| viewer != member);
            self.counted.restarted(node(member));
            self.moved_at.insert(member, now);
        }
        self.check(now);
    }

    /// Every member is listening: the clock of the run starts.
    pub fn begin(&mut self, now: Millis) {
        self.started = now;
        self.check(now);
    }

    /// The launcher killed `member`.
    pub fn crashed(&mut self, member: usize, now: Millis) {
        self.down.insert(member, Down::Crashed(now));
        self.check(now);
    }

    /// The launcher sent `member` away.
    pub fn left(&mut self, member: usize, now: Millis) {
        self.down.insert(member, Down::Left);
        self.check(now);
    }

    /// The network is split from `now` on: `side` gives each member's side.
    pub fn partitioned(&mut self, side: HashMap<usize, u32>, now: Millis) {
        self.move_to(side, now);
        self.healed_at = None;
    }

    /// The partition is lifted.
    pub fn healed(&mut self, now: Millis) {
        self.move_to(HashMap::new(), now);
        (self.healed_at, self.heal) = (Some(now), None);
        self.check(now);
    }

    /// The sides from `now` on, noting who moved.
    fn move_to(&mut self, side: HashMap<usize, u32>, now: Millis) {
        let before = self.sides.last().map(|(_, s)| s);
        for m in 0..self.members {
            let of = |s: Option<&HashMap<usize, u32>>| s.and_then(|s| s.get(&m)).copied();
            if of(before).unwrap_or(0) != of(Some(&side)).unwrap_or(0) {
                self.moved_at.insert(m, now);
            }
        }
        self.sides.push((now, side));
    }

    /// `member` reported `event` at `at`; `endpoint` is the member it is about, if
    /// it names one the launcher knows.
    pub fn observe(&mut self, member: usize, event: &Event, endpoint: Option<usize>, at: Millis) {
        if let Some(e) = endpoint
            && let Some(reported) = event.node_event(node(e))
        {
            let side = self
                .sides
                .iter()
                .rev()
                .find(|(since, _)| *since <= at)
                .map(|(_, side)| side);
            let (down, generation, moved_at) = (&self.down, &self.generation, &self.moved_at);
            self.counted.observe(at, node(member), reported, |id| {
                let m = id.0 as usize;
                Some(Truth {
                    down: down.get(&m).copied(),
                    side: side.and_then(|s| s.get(&m)).copied().unwrap_or(0),
                    life: *generation.get(&m)?,
                    moved_at: moved_at.get(&m).copied(),
                })
            });
        }
        match (event, endpoint) {
            (Event::Convicted { .. } | Event::Evicted { .. }, Some(e)) => {
                self.alive.remove(&(member, e));
            }
            (Event::Alive { .. } | Event::Learned { .. } | Event::Restarted { .. }, Some(e)) => {
                self.alive.insert((member, e));
            }
            (Event::Set { key, version }, _) if key == UPDATE_KEY => {
                self.update = Some((member, *version, at));
                (self.informed, self.spread) = (HashSet::from([member]), None);
            }
            (Event::Changed { version, .. }, Some(e))
                if self
                    .update
                    .is_some_and(|(origin, made, _)| origin == e && *version >= made) =>
            {
                self.informed.insert(member);
            }
            (Event::Rejected { total, .. }, _) => {
                self.rejected.insert(member, *total);
            }
            _ => {}
        }
        self.check(at);
    }

    /// Notes the moments the cluster converged, healed and had the update.
    fn check(&mut self, now: Millis) {
        let up: Vec<usize> = (0..self.members)
            .filter(|m| !self.down.contains_key(m))
            .collect();
        if let Some((_, _, made)) = self.update
            && self.spread.is_none()
            && up.iter().all(|m| self.informed.contains(m))
        {
            self.spread = Some(now.saturating_sub(made));
        }
        let waiting = self.converged.is_none() || self.healed_at.is_some() && self.heal.is_none();
        if !waiting || self.started == 0 {
            return;
        }
        let everyone = up
            .iter()
            .all(|&v| up.iter().all(|&e| v == e || self.alive.contains(&(v, e))));
        if everyone {
            self.converged
                .get_or_insert(now.saturating_sub(self.started));
            if let Some(at) = self.healed_at {
                self.heal.get_or_insert(now.saturating_sub(at));
            }
        }
    }

    /// The summary, `now` being the end of the run.
    pub fn summary(&self, now: Millis) -> Summary {
        let seconds = |ms: Millis| ms as f64 / 1000.0;
        let detection = Distribution::of(self.counted.detections());
        let pairs = self.members as f64 * self.members.saturating_sub(1) as f64;
        let hours = now.saturating_sub(self.started) as f64 / 3_600_000.0;
        Summary {
            nodes: self.members,
            seconds: seconds(now.saturating_sub(self.started)),
            converged_s: self.converged.map(seconds),
            full_spread_s: self.spread.map(seconds),
            detections: self.counted.detections().len(),
            detection_mean_s: detection.map(|d| d.mean_s),
            detection_p99_s: detection.map(|d| d.p99_s),
            detection_max_s: detection.map(|d| d.max_s),
            false_convictions_per_pair_hour: if pairs > 0.0 && hours > 0.0 {
                self.counted.false_convictions() as f64 / pairs / hours
            } else {
                0.0
            },
            partition_heal_s: self.heal.map(seconds),
            resurrections: self.counted.resurrections(),
            rejected_messages: self.rejected.values().sum(),
        }
    }
}

/// A member as the core tally's node id.
fn node(member: usize) -> NodeId {
    NodeId(member as u32)
}
