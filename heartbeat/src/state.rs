//! What is known of one endpoint: its generation and its versioned state, after
//! Cassandra's `EndpointState`. The heartbeat and the application state share one
//! version counter per node, so "everything up to version v" is a single number.

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use gossip_core::NodeId;
use tinyvec::TinyVec;

/// Changes only on restart, and always grows (Cassandra uses the boot time in
/// seconds). A higher generation means the old state is gone. 32 bits, as in
/// Cassandra: seconds since 1970 fit until 2106, and every node stores one per
/// endpoint, N² in a cluster (ARCHITECTURE.md).
pub type Generation = gossip_core::contract::Life;
/// A node's version counter, shared by its heartbeat and its application state. 32
/// bits, as in Cassandra: a heartbeat a second lasts 136 years.
pub type Version = gossip_core::contract::Version;
/// A position on the hash ring.
pub type Token = u64;

/// Where a node is in its lifecycle (Cassandra's STATUS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    /// Bootstrapping: announced, not yet serving its ranges.
    Joining,
    /// A full member of the ring.
    Normal,
    /// Handing its ranges over before leaving.
    Leaving,
    /// Gone for good; to be removed.
    Left,
}

impl Status {
    /// Its name as people read it, lower case: `joining`, `normal`, `leaving`, `left`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Joining => "joining",
            Status::Normal => "normal",
            Status::Leaving => "leaving",
            Status::Left => "left",
        }
    }
}

/// One piece of an endpoint's state. The heartbeat is a value too: its version is
/// the heartbeat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Value {
    /// The heartbeat; bumped every round.
    #[default]
    Heartbeat,
    /// STATUS.
    Status(Status),
    /// TOKENS: the endpoint's positions on the hash ring.
    Tokens(Vec<Token>),
    /// LOAD, in bytes.
    Load(u64),
    /// An application key of the user's.
    User {
        /// The key.
        key: String,
        /// The value.
        value: String,
    },
    /// Where the endpoint listens, as `host:port`: what a real driver sends its
    /// datagrams to (Cassandra gossips its endpoints' addresses the same way). A
    /// node starts knowing only its seeds' addresses and learns the rest by gossip.
    /// The simulator's nodes have none: its network is its own.
    Address(String),
}

impl Value {
    /// True when `self` and `other` are values of the same key, so one replaces the
    /// other.
    pub fn same_key(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::User { key: a, .. }, Value::User { key: b, .. }) => a == b,
            _ => core::mem::discriminant(self) == core::mem::discriminant(other),
        }
    }
}

/// A value and the version at which it was set. The default, a heartbeat at version
/// 0, is only the filler of [`crate::message::Entries`]'s unused inline room.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Versioned {
    /// The value.
    pub value: Value,
    /// The owner's version counter when it was set.
    pub version: Version,
}

/// A slice of one endpoint's state: every entry with a version in `(from, through]`,
/// in version order. Because nothing in that range is left out (the no-gap rule), a
/// receiver that knew everything up to `from` now knows everything up to `through`,
/// so cutting a delta short at any entry is always safe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delta {
    /// The endpoint the state belongs to.
    pub endpoint: NodeId,
    /// The generation the state belongs to.
    pub generation: Generation,
    /// Exclusive lower bound of the versions included.
    pub from: Version,
    /// Inclusive upper bound of the versions included.
    pub through: Version,
    /// The entries, in increasing version order.
    pub entries: Entries,
}

/// A delta's entries. In steady state a delta carries the heartbeat alone, and a
/// round decodes and builds thousands of them: one entry is kept inline, so those
/// allocate nothing (BENCHMARKS.md). Decoding trusts the untrusted length prefix for
/// at most 4 KB of room, as serde does for a `Vec`.
pub type Entries = TinyVec<[Versioned; 1]>;

/// What one node knows of one endpoint: the gossiped state alone, 24 bytes. The
/// node's own bookkeeping of the endpoint (its failure detector) is kept apart, in
/// the view (`view.rs`), because a cluster holds N² of both and the two are read
/// at different times.
///
/// Every entry up to [`EndpointState::max_version`] is known (no gaps), so the
/// newest version known is the newest entry's: the heartbeat's or the newest
/// value's, whichever is later.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointState {
    generation: Generation,
    /// The heartbeat's version (0: none heard), kept apart from the other values. In
    /// steady state the heartbeat is all that changes, and a round reads or advances
    /// it in a million endpoint states: kept here, that touches only this struct, not
    /// the values on the heap, whose cache misses were a fifth of a round's time
    /// (BENCHMARKS.md).
    heartbeat: Version,
    /// Every other value: one entry per key, in increasing version order. Shared
    /// between copies until one of them changes: every node of a converged cluster
    /// holds the same values of an endpoint, which rarely change, so a cluster of N
    /// holds them about N times rather than N² times, and copying a state (as a
    /// cluster starting converged does N² times) allocates nothing.
    values: Arc<Vec<Versioned>>,
    /// The version of the newest of `values` (0: none), so that a delta of the
    /// heartbeat alone need not read them.
    values_through: Version,
    /// STATUS, copied out of `values` so that reading it does not chase a pointer.
    status: Option<Status>,
}

/// What applying a delta changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    /// The heartbeat advanced (or a new generation began).
    pub heartbeat: bool,
    /// Something other than the heartbeat changed: news worth spreading first.
    pub news: bool,
}

impl EndpointState {
    /// An endpoint in `generation` of which nothing is known yet.
    pub fn new(generation: Generation) -> Self {
        Self {
            generation,
            heartbeat: 0,
            values: Arc::default(),
            values_through: 0,
            status: None,
        }
    }

    /// The generation.
    pub fn generation(&self) -> Generation {
        self.generation
    }

    /// Every entry up to this version is known.
    pub fn max_version(&self) -> Version {
        self.heartbeat.max(self.values_through)
    }

    /// The heartbeat's version: 0 if none was heard yet.
    pub fn heartbeat(&self) -> Version {
        self.heartbeat
    }

    /// The entries, the heartbeat included, in increasing version order.
    pub fn entries(&self) -> EntriesAfter<'_> {
        self.entries_after(0)
    }

    /// The entry for the key of `probe`.
    pub fn find(&self, probe: &Value) -> Option<Versioned> {
        let version = self.version_of(probe)?;
        match probe {
            Value::Heartbeat => Some(heartbeat_at(version)),
            _ => self.value_of(probe).cloned(),
        }
    }

    /// The version of the entry for the key of `probe`.
    fn version_of(&self, probe: &Value) -> Option<Version> {
        match probe {
            Value::Heartbeat => (self.heartbeat > 0).then_some(self.heartbeat),
            _ => self.value_of(probe).map(|e| e.version),
        }
    }

    fn value_of(&self, probe: &Value) -> Option<&Versioned> {
        self.values.iter().find(|e| e.value.same_key(probe))
    }

    /// STATUS, if known.
    pub fn status(&self) -> Option<Status> {
        self.status
    }

    /// TOKENS, or none.
    pub fn tokens(&self) -> &[Token] {
        self.values
            .iter()
            .find_map(|e| match &e.value {
                Value::Tokens(tokens) => Some(tokens.as_slice()),
                _ => None,
            })
            .unwrap_or(&[])
    }

    /// Entries newer than `from`, oldest first: the body of a delta. Reads the values
    /// on the heap only when one of them is newer than `from`.
    pub fn entries_after(&self, from: Version) -> EntriesAfter<'_> {
        let values = if from < self.values_through {
            let start = self.values.partition_point(|e| e.version <= from);
            &self.values[start..]
        } else {
            &[]
        };
        EntriesAfter {
            values: values.iter(),
            heartbeat: (self.heartbeat > from).then_some(self.heartbeat),
        }
    }

    /// The owner sets a value at `version` (its next counter value, above every
    /// version it gave before).
    pub fn set(&mut self, value: Value, version: Version) -> Applied {
        let applied = Applied {
            heartbeat: true,
            news: !matches!(value, Value::Heartbeat),
        };
        self.upsert(Versioned { value, version });
        applied
    }

    /// Applies a delta for this endpoint, following Cassandra's generation rules and
    /// the no-gap rule. A delta of an older generation, or one that starts beyond
    /// what is known (it would leave a gap), changes nothing. What is known then
    /// reaches the delta's newest entry: a `through` beyond its entries claims
    /// versions it does not carry, and is not believed.
    pub fn apply(&mut self, delta: &Delta) -> Applied {
        let mut applied = Applied::default();
        if delta.generation > self.generation {
            // A restart: the old state is gone. Only a delta from the very start can
            // rebuild it.
            if delta.from != 0 {
                return applied;
            }
            *self = Self::new(delta.generation);
            applied = Applied {
                heartbeat: true,
                news: true,
            };
        } else if delta.generation < self.generation || delta.from > self.max_version() {
            return applied;
        }
        let in_range = |e: &&Versioned| e.version > delta.from && e.version <= delta.through;
        for entry in delta.entries.iter().filter(in_range) {
            if self
                .version_of(&entry.value)
                .is_none_or(|known| known < entry.version)
            {
                if matches!(entry.value, Value::Heartbeat) {
                    applied.heartbeat = true;
                } else {
                    applied.news = true;
                }
                self.upsert(entry.clone());
            }
        }
        applied
    }

    /// Replaces the entry of the same key, keeping the values in version order.
    fn upsert(&mut self, entry: Versioned) {
        match entry.value {
            Value::Heartbeat => {
                self.heartbeat = entry.version;
                return;
            }
            Value::Status(status) => self.status = Some(status),
            _ => {}
        }
        let values = Arc::make_mut(&mut self.values);
        values.retain(|e| !e.value.same_key(&entry.value));
        let at = values.partition_point(|e| e.version < entry.version);
        values.insert(at, entry);
        self.values_through = self.values.last().map_or(0, |e| e.version);
    }
}

/// The entries of a state after some version, in version order: its values with the
/// heartbeat merged in at its place. A plain iterator rather than a chain of
/// adapters, which cost the page about 400 bytes more.
#[derive(Debug, Clone)]
pub struct EntriesAfter<'a> {
    values: core::slice::Iter<'a, Versioned>,
    heartbeat: Option<Version>,
}

impl Iterator for EntriesAfter<'_> {
    type Item = Versioned;

    fn next(&mut self) -> Option<Versioned> {
        let value_first = match (self.values.as_slice().first(), self.heartbeat) {
            (Some(value), Some(heartbeat)) => value.version < heartbeat,
            (value, _) => value.is_some(),
        };
        if value_first {
            self.values.next().cloned()
        } else {
            self.heartbeat.take().map(heartbeat_at)
        }
    }
}

fn heartbeat_at(version: Version) -> Versioned {
    Versioned {
        value: Value::Heartbeat,
        version,
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;

    use super::*;

    #[test]
    fn the_heartbeat_kept_apart_comes_back_in_version_order() {
        let mut state = EndpointState::new(1);
        state.set(Value::Status(Status::Normal), 1);
        state.set(Value::Heartbeat, 2);
        state.set(Value::Load(7), 3);
        state.set(Value::Heartbeat, 4);
        state.set(Value::Load(8), 5);
        let versions = |from| -> Vec<(Version, bool)> {
            state
                .entries_after(from)
                .map(|e| (e.version, e.value == Value::Heartbeat))
                .collect()
        };
        assert_eq!(versions(0), [(1, false), (4, true), (5, false)]);
        assert_eq!(versions(4), [(5, false)]);
        assert_eq!(versions(3), [(4, true), (5, false)]);
        assert_eq!(versions(5), []);
        assert_eq!(state.heartbeat(), 4);
        assert_eq!(state.find(&Value::Heartbeat).map(|e| e.version), Some(4));
        assert_eq!(
            state.find(&Value::Load(0)).map(|e| e.value),
            Some(Value::Load(8))
        );
    }
}
