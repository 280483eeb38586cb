//! How a node's bytes reach its peers: a [`Transport`], whatever carries them. The
//! driver sends and receives through this trait alone, so that a second transport
//! (a stream, for Cassandra's whole Syn) plugs in beside [`Udp`] and passes the same
//! suite ([`conformance::check`]). The transport, not the wire format, sets the
//! largest message: the driver refuses a node whose MTU is above it.

pub mod conformance;
mod udp;

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

pub use udp::Udp;

/// A way to carry whole messages between addresses.
pub trait Transport {
    /// The address it receives on: the node's identity.
    fn local_addr(&self) -> SocketAddr;
    /// The largest message it carries whole.
    fn max_message(&self) -> usize;
    /// Sends `bytes` to `to`. A message longer than [`Transport::max_message`] is
    /// refused with an error, never cut short; delivery is not promised.
    fn send(&mut self, to: SocketAddr, bytes: &[u8]) -> io::Result<()>;
    /// Waits at most `timeout` for a message, puts it in `buf` (replacing what was
    /// there) and returns its sender's address; `None` when none came in time. A
    /// message longer than [`Transport::max_message`] is never returned: it is
    /// dropped.
    fn recv(&mut self, buf: &mut Vec<u8>, timeout: Duration) -> io::Result<Option<SocketAddr>>;
}
