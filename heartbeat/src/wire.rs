//! The wire format: a 4-byte magic, a protocol version byte, then the cluster id and
//! the message in postcard. Decoding takes untrusted bytes and returns an error for
//! anything malformed: it never panics, and never allocates more than the input could
//! describe (postcard fails as soon as a length prefix runs past the input, and serde
//! caps what it reserves up front).

use alloc::vec::Vec;
use core::fmt;

use postcard::ser_flavors::Size;
use serde::{Deserialize, Serialize};

use crate::message::{Delta, Message};

/// The first bytes of every message: "GLab".
pub const MAGIC: [u8; 4] = *b"GLab";
/// The version of this wire format. A message of another version is rejected.
pub const PROTOCOL_VERSION: u8 = 1;
/// The longest message this format reads; nothing longer is even looked at. A
/// node's MTU is at most this, and each transport sets its own limit below it
/// (`gossip-node`'s UDP carries exactly this much: a datagram's payload).
pub const MAX_MESSAGE: usize = 65_507;
/// An upper bound on the bytes a message adds around its entries: magic, version,
/// cluster id (varint, at most 10), message tag, and two list lengths (varints of at
/// most 3 bytes for any list that fits in a datagram).
pub const FRAME_OVERHEAD: usize = MAGIC.len() + 1 + 10 + 1 + 2 * 3;

/// Which cluster a message belongs to. Messages of another cluster are rejected, as
/// Cassandra rejects a Syn with another cluster name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ClusterId(pub u64);

/// Why bytes could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// Longer than any datagram.
    TooLong(usize),
    /// Does not start with [`MAGIC`].
    BadMagic,
    /// Another protocol version.
    UnsupportedVersion(u8),
    /// The body is not a valid message.
    Malformed,
    /// Bytes left over after the message.
    TrailingBytes(usize),
    /// A delta whose entries are not in increasing version order within
    /// `(from, through]`.
    BadDelta,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::TooLong(n) => write!(f, "{n} bytes is longer than a datagram"),
            DecodeError::BadMagic => write!(f, "not a Gossip Lab message (bad magic)"),
            DecodeError::UnsupportedVersion(v) => {
                write!(
                    f,
                    "protocol version {v} (this node speaks {PROTOCOL_VERSION})"
                )
            }
            DecodeError::Malformed => write!(f, "malformed message body"),
            DecodeError::TrailingBytes(n) => write!(f, "{n} unexpected bytes after the message"),
            DecodeError::BadDelta => write!(f, "delta entries out of order or out of range"),
        }
    }
}

#[derive(Serialize)]
struct BodyRef<'a> {
    cluster: ClusterId,
    message: &'a Message,
}

#[derive(Deserialize)]
struct Body {
    cluster: ClusterId,
    message: Message,
}

/// Encodes a message of `cluster`.
pub fn encode(cluster: ClusterId, message: &Message) -> Vec<u8> {
    encode_into(cluster, message, Vec::new())
}

/// Encodes a message of `cluster` into `buffer`, replacing what it held: a driver
/// that recycles the buffers of delivered messages allocates none per message.
pub fn encode_into(cluster: ClusterId, message: &Message, mut buffer: Vec<u8>) -> Vec<u8> {
    buffer.clear();
    buffer.extend_from_slice(&MAGIC);
    buffer.push(PROTOCOL_VERSION);
    // Serialized straight after the header. Serializing plain data into a Vec cannot
    // fail; if it could, the frame would be refused by the receiver as truncated.
    postcard::to_extend(&BodyRef { cluster, message }, buffer).unwrap_or_default()
}

/// The message in untrusted bytes, whatever its cluster: what an inspector opens.
pub fn message(bytes: &[u8]) -> Result<Message, DecodeError> {
    decode(bytes).map(|(_, message)| message)
}

/// Decodes untrusted bytes into the cluster id and the message.
pub fn decode(bytes: &[u8]) -> Result<(ClusterId, Message), DecodeError> {
    if bytes.len() > MAX_MESSAGE {
        return Err(DecodeError::TooLong(bytes.len()));
    }
    let rest = bytes.strip_prefix(&MAGIC).ok_or(DecodeError::BadMagic)?;
    let (&version, body) = rest.split_first().ok_or(DecodeError::BadMagic)?;
    if version != PROTOCOL_VERSION {
        return Err(DecodeError::UnsupportedVersion(version));
    }
    let (body, trailing): (Body, _) =
        postcard::take_from_bytes(body).map_err(|_| DecodeError::Malformed)?;
    if !trailing.is_empty() {
        return Err(DecodeError::TrailingBytes(trailing.len()));
    }
    let deltas: &[Delta] = match &body.message {
        Message::Syn { .. } => &[],
        Message::Ack { deltas, .. } | Message::Ack2 { deltas } => deltas,
    };
    if !deltas.iter().all(well_formed) {
        return Err(DecodeError::BadDelta);
    }
    Ok((body.cluster, body.message))
}

/// Entries strictly increasing in version, all within `(from, through]`.
fn well_formed(delta: &Delta) -> bool {
    let mut last = delta.from;
    delta.entries.iter().all(|e| {
        let ok = e.version > last && e.version <= delta.through;
        last = e.version;
        ok
    }) && delta.from <= delta.through
}

/// The postcard size of `value`: what it adds to a message.
pub fn encoded_len<T: Serialize + ?Sized>(value: &T) -> usize {
    postcard::serialize_with_flavor(value, Size::default()).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use alloc::vec;

    use super::*;
    use crate::message::{Digest, Request};
    use crate::state::{Status, Value, Versioned};
    use gossip_core::NodeId;

    fn sample() -> Message {
        Message::Ack {
            deltas: vec![Delta {
                endpoint: NodeId(3),
                generation: 7,
                from: 1,
                through: 4,
                entries: tinyvec::tiny_vec![
                    Versioned {
                        value: Value::Status(Status::Normal),
                        version: 2,
                    },
                    Versioned {
                        value: Value::Heartbeat,
                        version: 4,
                    }
                ],
            }],
            requests: vec![Request {
                endpoint: NodeId(9),
                generation: 0,
                from: 0,
            }],
        }
    }

    #[test]
    fn round_trips_and_length_is_exact() {
        let message = sample();
        let bytes = encode(ClusterId(42), &message);
        assert_eq!(decode(&bytes), Ok((ClusterId(42), message.clone())));
        assert!(bytes.len() <= encoded_len(&message) + FRAME_OVERHEAD);
        let syn = Message::Syn {
            digests: vec![Digest {
                endpoint: NodeId(1),
                generation: 1,
                max_version: 5,
            }],
        };
        assert_eq!(decode(&encode(ClusterId(1), &syn)), Ok((ClusterId(1), syn)));
    }

    #[test]
    fn rejects_bad_frames_with_a_reason() {
        let good = encode(ClusterId(1), &sample());
        assert_eq!(decode(b""), Err(DecodeError::BadMagic));
        assert_eq!(decode(b"GLa"), Err(DecodeError::BadMagic));
        assert_eq!(decode(b"XLab\x01"), Err(DecodeError::BadMagic));
        assert_eq!(
            decode(b"GLab\x09rest"),
            Err(DecodeError::UnsupportedVersion(9))
        );
        assert_eq!(decode(&good[..good.len() - 1]), Err(DecodeError::Malformed));
        let mut longer = good.clone();
        longer.push(0);
        assert_eq!(decode(&longer), Err(DecodeError::TrailingBytes(1)));
        assert_eq!(
            decode(&vec![0; MAX_MESSAGE + 1]),
            Err(DecodeError::TooLong(MAX_MESSAGE + 1))
        );
    }

    #[test]
    fn a_huge_length_prefix_is_an_error_not_an_allocation() {
        // Syn (tag 0) claiming 4 billion digests, then nothing.
        let mut bytes = vec![b'G', b'L', b'a', b'b', PROTOCOL_VERSION, 1, 0];
        bytes.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f]);
        assert_eq!(decode(&bytes), Err(DecodeError::Malformed));
    }

    #[test]
    fn rejects_deltas_that_break_the_no_gap_shape() {
        let Message::Ack {
            mut deltas,
            requests,
        } = sample()
        else {
            unreachable!()
        };
        deltas[0].entries.swap(0, 1);
        let bytes = encode(
            ClusterId(1),
            &Message::Ack {
                deltas: deltas.clone(),
                requests,
            },
        );
        assert_eq!(decode(&bytes), Err(DecodeError::BadDelta));
        deltas[0].entries.swap(0, 1);
        deltas[0].through = 3;
        let bytes = encode(ClusterId(1), &Message::Ack2 { deltas });
        assert_eq!(decode(&bytes), Err(DecodeError::BadDelta));
    }
}
