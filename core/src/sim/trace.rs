//! A running fingerprint of everything that happens in a simulation, so that two runs
//! can be compared by one number: natively against wasm, or before against after a
//! refactoring that should not change behaviour.

use crate::hash::Fnv1a;
use crate::{Millis, NodeId};

/// FNV-1a over the little-endian bytes of each recorded event. Every value is written
/// with a fixed width, so the hash does not depend on the platform.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trace {
    hash: Fnv1a,
    events: u64,
}

impl Trace {
    /// Records the delivery of a message of `bytes` bytes, of kind index `kind`.
    pub fn delivered(&mut self, at: Millis, from: NodeId, to: NodeId, kind: u8, bytes: usize) {
        // The kind's index, from 1.
        let tag = kind.wrapping_add(1);
        self.hash.write(&at.to_le_bytes());
        self.hash.write(&from.0.to_le_bytes());
        self.hash.write(&to.0.to_le_bytes());
        self.hash.write(&[tag]);
        self.hash.write(&(bytes as u64).to_le_bytes());
        self.events += 1;
    }

    /// How many events were recorded.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// The fingerprint of all events so far.
    pub fn hash(&self) -> u64 {
        self.hash.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_field_changes_the_hash() {
        let one = |at, from, to, kind, bytes| {
            let mut t = Trace::default();
            t.delivered(at, NodeId(from), NodeId(to), kind, bytes);
            t.hash()
        };
        let h = one(5, 1, 2, 0, 10);
        assert_ne!(h, one(6, 1, 2, 0, 10));
        assert_ne!(h, one(5, 2, 1, 0, 10));
        assert_ne!(h, one(5, 1, 2, 1, 10));
        assert_ne!(h, one(5, 1, 2, 0, 11));
    }
}
