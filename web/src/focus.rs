//! The selected node's exchanges: which messages in flight are its own (drawn
//! bright, the rest dimmed), and the exchange it is in right now, for its label.
//! Pure, tested natively.

use gossip_core::NodeId;
use gossip_core::sim::Envelope;
use gossip_heartbeat::MessageKind;

/// One Syn → Ack → Ack2 exchange, at one of its steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exchange {
    /// The node that sent the Syn.
    pub initiator: NodeId,
    /// The node it gossips with.
    pub peer: NodeId,
    /// The message on the wire now.
    pub step: MessageKind,
}

/// Whether `message` is one of `node`'s, in or out.
pub fn is_focused(message: &Envelope, node: NodeId) -> bool {
    message.from == node || message.to == node
}

/// The exchange `node` is in right now: the one of its messages in flight sent last
/// (a lost message ends its exchange, so it does not count).
pub fn current_exchange<'a>(
    in_flight: impl Iterator<Item = &'a Envelope>,
    node: NodeId,
) -> Option<Exchange> {
    let latest = in_flight
        .filter(|m| !m.lost && is_focused(m, node))
        .max_by_key(|m| m.sent_at)?;
    // A Syn and an Ack2 go from the initiator, an Ack back to it.
    let step = MessageKind::of(latest.kind)?;
    let (initiator, peer) = match step {
        MessageKind::Ack => (latest.to, latest.from),
        MessageKind::Syn | MessageKind::Ack2 => (latest.from, latest.to),
    };
    Some(Exchange {
        initiator,
        peer,
        step,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(from: u32, to: u32, sent_at: u64, kind: MessageKind, lost: bool) -> Envelope {
        Envelope {
            from: NodeId(from),
            to: NodeId(to),
            sent_at,
            arrives_at: sent_at + 100,
            kind: kind.index(),
            bytes: Vec::new(),
            lost,
        }
    }

    #[test]
    fn the_current_exchange_is_the_nodes_latest_message() {
        let flying = [
            message(3, 7, 10, MessageKind::Syn, false),
            message(5, 3, 20, MessageKind::Ack, false),
            message(9, 1, 30, MessageKind::Syn, false),
            message(3, 8, 40, MessageKind::Syn, true),
        ];
        // Node 3's latest live message is the Ack node 5 sends back to it: node 3
        // opened that exchange.
        assert_eq!(
            current_exchange(flying.iter(), NodeId(3)),
            Some(Exchange {
                initiator: NodeId(3),
                peer: NodeId(5),
                step: MessageKind::Ack
            })
        );
        assert_eq!(current_exchange(flying.iter(), NodeId(4)), None);
        assert!(is_focused(&flying[0], NodeId(7)) && !is_focused(&flying[2], NodeId(7)));
    }
}
