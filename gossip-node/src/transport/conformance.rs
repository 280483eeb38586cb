//! What every [`Transport`] must do, as one suite: a second transport runs
//! `check` with its own constructor, as the UDP one does in `tests/transport.rs`.
//!
//! - a message arrives whole, with its sender's address;
//! - a message of exactly [`Transport::max_message`] bytes arrives whole, and a
//!   longer one is refused at the sender with an error;
//! - waiting with nothing to receive returns `None` once the timeout has passed;
//! - many messages each way all arrive (loopback loses nothing), in any order.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use super::Transport;

/// How long the suite waits for a message that must come.
const PATIENCE: Duration = Duration::from_secs(5);

/// Receives until a message comes from `from`, or [`PATIENCE`] runs out.
fn recv_from(t: &mut impl Transport, from: SocketAddr) -> Option<Vec<u8>> {
    let deadline = Instant::now() + PATIENCE;
    let mut buf = Vec::new();
    while Instant::now() < deadline {
        let sender = t.recv(&mut buf, Duration::from_millis(100)).expect("recv");
        if sender == Some(from) {
            return Some(buf);
        }
    }
    None
}

/// Runs the suite on two transports bound on loopback by `bind`. Panics, naming
/// the law, on the first that breaks.
pub fn check<T: Transport>(mut bind: impl FnMut() -> T) {
    let (mut a, mut b) = (bind(), bind());
    let (at_a, at_b) = (a.local_addr(), b.local_addr());
    assert_ne!(at_a, at_b, "two transports share an address");

    a.send(at_b, b"hello").expect("send");
    assert_eq!(
        recv_from(&mut b, at_a).as_deref(),
        Some(&b"hello"[..]),
        "whole, with its sender"
    );

    let largest = vec![7; a.max_message()];
    a.send(at_b, &largest).expect("the largest message is sent");
    assert_eq!(
        recv_from(&mut b, at_a),
        Some(largest),
        "the largest message whole"
    );
    let longer = vec![7; a.max_message() + 1];
    assert!(
        a.send(at_b, &longer).is_err(),
        "a longer message is refused"
    );

    let started = Instant::now();
    let wait = Duration::from_millis(50);
    assert!(
        b.recv(&mut Vec::new(), wait).expect("recv").is_none(),
        "nothing was sent"
    );
    assert!(started.elapsed() >= wait, "the wait lasted its timeout");

    let count = 100_u32;
    for n in 0..count {
        a.send(at_b, &n.to_le_bytes()).expect("send");
        b.send(at_a, &n.to_le_bytes()).expect("send");
    }
    for (receiver, sender) in [(&mut b, at_a), (&mut a, at_b)] {
        let mut seen: Vec<u32> = (0..count)
            .map(|_| recv_from(receiver, sender).expect("every message arrives"))
            .map(|bytes| u32::from_le_bytes(bytes.try_into().expect("whole")))
            .collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..count).collect::<Vec<_>>());
    }
}
