//! UDP: one datagram a message, as Dynamo's and Cassandra's first gossip ran.

use std::io::{self, ErrorKind};
use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use super::Transport;

/// The largest UDP payload over IPv4.
pub const MAX_DATAGRAM: usize = 65_507;

/// A UDP socket bound to one address.
#[derive(Debug)]
pub struct Udp {
    socket: UdpSocket,
    address: SocketAddr,
}

impl Udp {
    /// Binds to `address` (port 0: any free port).
    pub fn bind(address: SocketAddr) -> io::Result<Self> {
        let socket = UdpSocket::bind(address)?;
        let address = socket.local_addr()?;
        Ok(Self { socket, address })
    }
}

impl Transport for Udp {
    fn local_addr(&self) -> SocketAddr {
        self.address
    }

    fn max_message(&self) -> usize {
        MAX_DATAGRAM
    }

    fn send(&mut self, to: SocketAddr, bytes: &[u8]) -> io::Result<()> {
        if bytes.len() > MAX_DATAGRAM {
            return Err(io::Error::new(
                ErrorKind::InvalidInput,
                format!("{} bytes do not fit in a datagram", bytes.len()),
            ));
        }
        self.socket.send_to(bytes, to).map(drop)
    }

    fn recv(&mut self, buf: &mut Vec<u8>, timeout: Duration) -> io::Result<Option<SocketAddr>> {
        // A zero timeout would mean "block forever" to the socket.
        self.socket
            .set_read_timeout(Some(timeout.max(Duration::from_millis(1))))?;
        // One byte more than the largest datagram, so that a longer one is noticed.
        buf.resize(MAX_DATAGRAM + 1, 0);
        let received = self.socket.recv_from(buf);
        let len = received.as_ref().map_or(0, |&(len, _)| len);
        buf.truncate(len);
        match received {
            Ok((len, _)) if len > MAX_DATAGRAM => Ok(None),
            Ok((_, from)) => Ok(Some(from)),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => Ok(None),
            // An ICMP error from an earlier send, or a signal: nothing to read.
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::ConnectionRefused | ErrorKind::Interrupted
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}
