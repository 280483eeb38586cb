//! A running fingerprint of everything that happens in a simulation, so that two runs
//! can be compared by one number: natively against wasm, or before against after a
//! refactoring that should not change behaviour.

use crate::{MessageKind, Millis, NodeId};

const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// 64-bit FNV-1a over the little-endian bytes of each recorded event. Every value is
/// written with a fixed width, so the hash does not depend on the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    hash: u64,
    events: u64,
}

impl Default for Trace {
    fn default() -> Self {
        Self {
            hash: FNV_OFFSET_BASIS,
            events: 0,
        }
    }
}

impl Trace {
    /// Records the delivery of a message.
    pub fn delivered(&mut self, at: Millis, from: NodeId, to: NodeId, kind: MessageKind) {
        let tag: u8 = match kind {
            MessageKind::Syn => 1,
            MessageKind::Ack => 2,
            MessageKind::Ack2 => 3,
        };
        self.write(&at.to_le_bytes());
        self.write(&from.0.to_le_bytes());
        self.write(&to.0.to_le_bytes());
        self.write(&[tag]);
        self.events += 1;
    }

    /// How many events were recorded.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// The fingerprint of all events so far.
    pub fn hash(&self) -> u64 {
        self.hash
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.hash = (self.hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_published_fnv1a_vectors() {
        let mut trace = Trace::default();
        assert_eq!(trace.hash(), 0xcbf2_9ce4_8422_2325, "empty input");
        trace.write(b"a");
        assert_eq!(trace.hash(), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn any_field_changes_the_hash() {
        let base = |at, from, to, kind| {
            let mut t = Trace::default();
            t.delivered(at, NodeId(from), NodeId(to), kind);
            t.hash()
        };
        let h = base(5, 1, 2, MessageKind::Syn);
        assert_ne!(h, base(6, 1, 2, MessageKind::Syn));
        assert_ne!(h, base(5, 2, 1, MessageKind::Syn));
        assert_ne!(h, base(5, 1, 2, MessageKind::Ack));
    }
}
