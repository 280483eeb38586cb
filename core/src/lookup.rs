//! Maps that the protocol and the simulator only look up, insert into and remove
//! from, never walk in an order that matters: hashbrown with fixed-seeded foldhash.
//! Constant-time lookups, and one hash table's code for all of them, where each
//! `BTreeMap` key type brought its own copy of the tree code into the page. With no
//! order-dependent walk, the hash cannot change the course of a run.

use foldhash::fast::FixedState;

/// A map only looked up.
pub type LookupMap<K, V> = hashbrown::HashMap<K, V, FixedState>;
/// A set only looked up.
pub type LookupSet<K> = hashbrown::HashSet<K, FixedState>;
