//! The smallest member the contract allows: a beacon. Each round a node sends its
//! life and version to every node it knows; a node it has not heard from for
//! [`DEAD_AFTER`] rounds is dead to it. It gossips nothing second-hand. A node that
//! knows no one asks for no timeout at all, and once it hears from someone asks for
//! its round at once: the simulator follows a member's ask after any input.
//!
//! It exists so that the contract's example runs, and so that the simulator and the
//! conformance suite are tested on a protocol other than the ones they were written
//! for (`core/tests/toy.rs`). It is a teaching stand-in, not a protocol to run.

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::fmt;

use rand::RngCore;

use crate::contract::{
    Life, Member, MemberConfig, NodeEvent, Reachability, Seen, Transmit, Update, ValueTooLarge,
    Version,
};
use crate::lookup::LookupMap;
use crate::{Millis, NodeId};

/// Rounds of silence after which a beacon's sender is dead to its receivers.
pub const DEAD_AFTER: u64 = 3;
/// The first byte of every beacon.
const MAGIC: u8 = b'B';
/// A beacon's length: the magic, then life and version, little-endian.
const LEN: usize = 9;

/// A beacon node's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct BeaconConfig {
    /// How often it beacons.
    pub period_ms: Millis,
    /// The nodes it beacons to before it has heard of any other.
    pub seeds: Vec<NodeId>,
}

/// Why a [`BeaconConfig`] was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZeroPeriod;

impl fmt::Display for ZeroPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the beacon period must be positive")
    }
}

impl MemberConfig for BeaconConfig {
    type Error = ZeroPeriod;

    fn validate(&self) -> Result<(), ZeroPeriod> {
        if self.period_ms == 0 {
            return Err(ZeroPeriod);
        }
        Ok(())
    }

    fn period_ms(&self) -> Millis {
        self.period_ms
    }

    fn seeds(&self) -> &[NodeId] {
        &self.seeds
    }

    fn max_message(&self) -> usize {
        LEN
    }

    fn cluster_default() -> Self {
        Self {
            period_ms: 1_000,
            seeds: alloc::vec![NodeId(0)],
        }
    }
}

/// Bytes that are not a beacon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotABeacon;

impl fmt::Display for NotABeacon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a beacon")
    }
}

/// What one beacon node knows of another: its life, its version, when last heard
/// from, and whether it is dead to this node.
#[derive(Debug, Clone, Copy)]
struct Heard {
    life: Life,
    version: Version,
    at: Millis,
    dead: bool,
}

/// One beacon node.
#[derive(Debug, Clone)]
pub struct Beacon {
    id: NodeId,
    config: BeaconConfig,
    life: Life,
    version: Version,
    /// Everyone it has heard from, itself excluded, in the order first heard.
    known: Vec<NodeId>,
    heard: LookupMap<NodeId, Heard>,
    next_at: Millis,
    /// Rounds left once leaving.
    leaving: Option<u32>,
    outbox: VecDeque<NodeId>,
    events: VecDeque<NodeEvent>,
}

impl Beacon {
    fn started(id: NodeId, config: BeaconConfig, life: Life, now: Millis) -> Self {
        Self {
            id,
            config,
            life,
            version: 0,
            known: Vec::new(),
            heard: LookupMap::default(),
            next_at: now,
            leaving: None,
            outbox: VecDeque::new(),
            events: VecDeque::new(),
        }
    }
}

impl Member for Beacon {
    type Config = BeaconConfig;
    type Rejected = NotABeacon;
    const PROTOCOL: &'static str = "beacon";
    const KINDS: &'static [&'static str] = &["beacon"];

    fn boot(
        id: NodeId,
        config: BeaconConfig,
        now: Millis,
        _rng: &mut impl RngCore,
    ) -> Result<Self, ZeroPeriod> {
        config.validate()?;
        Ok(Self::started(id, config, 1, now))
    }

    fn reboot(
        &self,
        config: BeaconConfig,
        now: Millis,
        _rng: &mut impl RngCore,
    ) -> Result<Self, ZeroPeriod> {
        config.validate()?;
        Ok(Self::started(self.id, config, self.life + 1, now))
    }

    fn converge(members: &mut [Self]) {
        let all: Vec<(NodeId, Life)> = members.iter().map(|m| (m.id, m.life)).collect();
        for member in members {
            for &(id, life) in all.iter().filter(|(id, _)| *id != member.id) {
                member.known.push(id);
                let heard = Heard {
                    life,
                    version: 0,
                    at: member.next_at,
                    dead: false,
                };
                member.heard.insert(id, heard);
            }
        }
    }

    fn handle_timeout(&mut self, now: Millis, _rng: &mut impl RngCore) {
        if self.has_left() {
            return;
        }
        if let Some(rounds) = &mut self.leaving {
            *rounds = rounds.saturating_sub(1);
        }
        self.version += 1;
        self.next_at = now + self.config.period_ms;
        let silence = DEAD_AFTER * self.config.period_ms;
        // In the order first heard: a hash map's order must never steer a run.
        for &id in &self.known {
            if let Some(heard) = self.heard.get_mut(&id)
                && !heard.dead
                && now.saturating_sub(heard.at) > silence
            {
                heard.dead = true;
                let phi = DEAD_AFTER as f64;
                self.events
                    .push_back(NodeEvent::Convicted { endpoint: id, phi });
            }
        }
        let seeds = self.config.seeds.iter().copied();
        let targets = self.known.iter().copied().chain(seeds);
        let mut sent = Vec::new();
        for to in targets.filter(|&to| to != self.id) {
            if !sent.contains(&to) {
                sent.push(to);
                self.outbox.push_back(to);
            }
        }
    }

    fn handle_datagram(
        &mut self,
        from: NodeId,
        bytes: &[u8],
        now: Millis,
    ) -> Result<(), NotABeacon> {
        let [MAGIC, l0, l1, l2, l3, v0, v1, v2, v3] = *bytes else {
            return Err(NotABeacon);
        };
        let life = Life::from_le_bytes([l0, l1, l2, l3]);
        let version = Version::from_le_bytes([v0, v1, v2, v3]);
        if from == self.id {
            return Ok(());
        }
        match self.heard.get_mut(&from) {
            None => {
                self.known.push(from);
                self.events
                    .push_back(NodeEvent::Learned(from, life, version));
            }
            Some(heard) if heard.dead => self.events.push_back(NodeEvent::Alive(from)),
            Some(heard) if life > heard.life => {
                self.events.push_back(NodeEvent::Restarted(from, life));
            }
            Some(_) => {}
        }
        let heard = Heard {
            life,
            version,
            at: now,
            dead: false,
        };
        self.heard.insert(from, heard);
        Ok(())
    }

    fn set(&mut self, _key: &str, _value: &str, _now: Millis) -> Result<Update, ValueTooLarge> {
        self.version += 1;
        Ok(Update {
            origin: self.id,
            life: self.life,
            version: self.version,
        })
    }

    fn leave(&mut self, _now: Millis) {
        self.leaving.get_or_insert(2);
    }

    fn introduce(&mut self, contact: NodeId) {
        if !self.config.seeds.contains(&contact) {
            self.config.seeds.push(contact);
        }
    }

    fn reconfigure(&mut self, config: BeaconConfig) -> Result<(), ZeroPeriod> {
        config.validate()?;
        self.config = config;
        Ok(())
    }

    fn poll_transmit(&mut self, buf: &mut Vec<u8>) -> Option<Transmit> {
        let to = self.outbox.pop_front()?;
        buf.clear();
        buf.push(MAGIC);
        buf.extend_from_slice(&self.life.to_le_bytes());
        buf.extend_from_slice(&self.version.to_le_bytes());
        Some(Transmit { to, kind: 0 })
    }

    /// None while it knows no one to beacon to: a beacon alone waits to be heard.
    fn poll_timeout(&self) -> Option<Millis> {
        (!self.known.is_empty() || !self.config.seeds.iter().all(|&s| s == self.id))
            .then_some(self.next_at)
    }

    fn poll_event(&mut self) -> Option<NodeEvent> {
        self.events.pop_front()
    }

    fn id(&self) -> NodeId {
        self.id
    }

    fn life(&self) -> Life {
        self.life
    }

    fn seen(&self, of: NodeId, now: Millis) -> Option<Seen> {
        let heard = self.heard.get(&of)?;
        let rounds = now.saturating_sub(heard.at) as f64 / self.config.period_ms as f64;
        Some(Seen {
            reachability: if heard.dead {
                Reachability::Dead
            } else {
                Reachability::Alive
            },
            score: rounds,
            life: heard.life,
            version: heard.version,
        })
    }

    fn members(&self) -> usize {
        self.known.len() + 1
    }

    fn knows(&self, update: &Update) -> bool {
        if update.origin == self.id {
            return update.life == self.life && update.version <= self.version;
        }
        self.heard
            .get(&update.origin)
            .is_some_and(|h| h.life == update.life && h.version >= update.version)
    }

    fn has_left(&self) -> bool {
        self.leaving == Some(0)
    }
}
