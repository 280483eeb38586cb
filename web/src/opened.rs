//! A message opened in the exchange inspector: decoded on demand from the bytes the
//! simulator carries ([`Envelope::message`]), every item explained from the
//! receiver's side. A pure model, tested natively against the core's own decode;
//! `components/message_view.rs` only lays it out.

use gossip_core::Named;
use gossip_core::sim::{Envelope, Simulator, Update};
use gossip_core::{Millis, NodeId};
use gossip_heartbeat::Node;
use gossip_heartbeat::exchange::{Standing, standing};
use gossip_heartbeat::message::{Delta, Request};
use gossip_heartbeat::state::{Generation, Version};
use gossip_heartbeat::{Message, MessageKind, Mode, Value, wire};

/// One line of an opened message: a digest, a request or one entry of a delta.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// What part of the message it is: `digest`, `request` or `delta`.
    pub part: &'static str,
    /// The endpoint it is about.
    pub endpoint: NodeId,
    /// The generation it names.
    pub generation: Generation,
    /// A digest's max version, a request's lower bound, or an entry's version.
    pub version: Version,
    /// An entry's key (`HEARTBEAT`, `STATUS`, `TOKENS`, `LOAD` or the user's).
    pub key: String,
    /// An entry's value, in words.
    pub value: String,
    /// A digest against the receiver's view: `ahead`, `behind`, `equal` or `unknown`.
    pub mark: Option<&'static str>,
    /// What the receiver does about it, in one line; empty for an entry that is not
    /// the first of its delta (the first one says it for the whole delta).
    pub says: String,
}

/// An opened message.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    /// Syn, Ack or Ack2.
    pub kind: MessageKind,
    /// Sender.
    pub from: NodeId,
    /// Receiver.
    pub to: NodeId,
    /// When it left, ms.
    pub sent_at: Millis,
    /// When it arrives (or would have), ms.
    pub arrives_at: Millis,
    /// The network drops it.
    pub lost: bool,
    /// Its size on the wire, bytes.
    pub bytes: usize,
    /// The simulated time it was opened at: the digests are marked against the
    /// receiver's view at that moment.
    pub opened_at: Millis,
    /// Its items, or why its bytes did not decode.
    pub items: Result<Vec<Item>, String>,
}

impl Opened {
    /// Decodes `envelope` and explains it against its receiver's view in `sim` now.
    pub fn new(envelope: &Envelope, sim: &Simulator<Node>) -> Self {
        let receiver = sim.nodes().get(envelope.to.0 as usize);
        let mode = sim.config().node.mode;
        let items = wire::message(&envelope.bytes)
            .map_err(|e| e.to_string())
            .map(|message| match message {
                Message::Syn { digests } => digests
                    .iter()
                    .map(|d| {
                        let stands = receiver.map_or(Standing::Unknown, |r| standing(r.view(), d));
                        let (mark, says) =
                            digest_says(d.endpoint, d.generation, d.max_version, stands, mode);
                        Item {
                            mark: Some(mark),
                            says,
                            ..item("digest", d.endpoint, d.generation, d.max_version)
                        }
                    })
                    .collect(),
                Message::Ack { deltas, requests } => {
                    let mut items = entries(&deltas);
                    items.extend(requests.iter().map(request_item));
                    items
                }
                Message::Ack2 { deltas } => entries(&deltas),
            });
        Self {
            kind: MessageKind::of(envelope.kind).unwrap_or(MessageKind::Syn),
            from: envelope.from,
            to: envelope.to,
            sent_at: envelope.sent_at,
            arrives_at: envelope.arrives_at,
            lost: envelope.lost,
            bytes: envelope.bytes.len(),
            opened_at: sim.now(),
            items,
        }
    }
}

/// True when one of `message`'s deltas carries `update`'s entry. Read from the
/// decoded message, without wording it: a scenario waiting for such a message checks
/// every Ack in flight, and only the one found is opened.
pub fn carries(message: &Message, update: Update) -> bool {
    let deltas = match message {
        Message::Syn { .. } => return false,
        Message::Ack { deltas, .. } | Message::Ack2 { deltas } => deltas,
    };
    deltas.iter().any(|d| {
        (d.endpoint, d.generation) == (update.origin, update.life)
            && d.entries.iter().any(|e| e.version == update.version)
    })
}

fn item(part: &'static str, endpoint: NodeId, generation: Generation, version: Version) -> Item {
    Item {
        part,
        endpoint,
        generation,
        version,
        key: String::new(),
        value: String::new(),
        mark: None,
        says: String::new(),
    }
}

/// A digest's mark, and what the receiver of the Syn does about it in `mode` (the
/// rule is the core's [`standing`], which its answer follows): in push mode it only
/// asks for what it lacks, in pull mode it only sends what the initiator lacks.
fn digest_says(
    endpoint: NodeId,
    generation: Generation,
    max: Version,
    stands: Standing,
    mode: Mode,
) -> (&'static str, String) {
    let e = endpoint.0;
    let (mark, acts, says) = match stands {
        Standing::Unknown => (
            "unknown",
            mode != Mode::Pull,
            format!("asks for all of node {e}'s state: it has never heard of it"),
        ),
        Standing::Ahead {
            restarted: true, ..
        } => (
            "ahead",
            mode != Mode::Pull,
            format!("asks for all of node {e}'s new generation {generation}"),
        ),
        Standing::Ahead { ours, .. } => (
            "ahead",
            mode != Mode::Pull,
            format!("asks for node {e}'s state above version {ours}"),
        ),
        Standing::Behind {
            restarted: true, ..
        } => (
            "behind",
            mode != Mode::Push,
            format!("sends node {e}'s new generation whole"),
        ),
        Standing::Behind { ours, .. } => (
            "behind",
            mode != Mode::Push,
            format!("sends node {e}'s state above version {max}, up to its {ours}"),
        ),
        Standing::Equal => (
            "equal",
            true,
            format!("nothing: both know node {e} up to version {max}"),
        ),
    };
    if acts {
        return (mark, says);
    }
    let only = if mode == Mode::Push {
        "asks for what it lacks"
    } else {
        "sends what the initiator lacks"
    };
    let mode = mode.name();
    (
        mark,
        format!("nothing about node {e}: in {mode} mode it only {only}"),
    )
}

/// The entries of `deltas`, the first of each saying what the receiver does.
fn entries(deltas: &[Delta]) -> Vec<Item> {
    let mut items = Vec::new();
    for delta in deltas {
        let e = delta.endpoint.0;
        let says = if delta.from == 0 {
            format!("takes node {e}'s generation {} whole", delta.generation)
        } else {
            format!(
                "takes node {e}'s versions {} to {}",
                delta.from + 1,
                delta.through
            )
        };
        for (n, entry) in delta.entries.iter().enumerate() {
            let (key, value) = key_value(&entry.value);
            items.push(Item {
                key,
                value,
                says: if n == 0 { says.clone() } else { String::new() },
                ..item("delta", delta.endpoint, delta.generation, entry.version)
            });
        }
    }
    items
}

fn request_item(r: &Request) -> Item {
    let e = r.endpoint.0;
    let says = if r.generation == 0 {
        format!("sends all of node {e}'s state")
    } else {
        format!("sends node {e}'s state above version {}", r.from)
    };
    Item {
        says,
        ..item("request", r.endpoint, r.generation, r.from)
    }
}

/// A value's key and its value in words.
fn key_value(value: &Value) -> (String, String) {
    let (key, text) = match value {
        Value::Heartbeat => ("HEARTBEAT", String::new()),
        Value::Status(status) => ("STATUS", status.name().into()),
        Value::Tokens(tokens) => ("TOKENS", format!("{} tokens", tokens.len())),
        Value::Load(bytes) => ("LOAD", format!("{bytes} B")),
        Value::Address(address) => ("ADDRESS", address.clone()),
        Value::User { key, value } => return (key.clone(), value.clone()),
    };
    (key.into(), text)
}

#[cfg(test)]
mod tests {
    use gossip_core::sim::SimConfig;
    use gossip_heartbeat::Node;
    use gossip_heartbeat::wire;

    use super::*;

    /// A cluster of 12 whose node 3 is watched, run until its window holds every
    /// kind of message.
    fn watched_run() -> Simulator<Node> {
        let mut sim = Simulator::<Node>::new(SimConfig {
            nodes: 12,
            seed: 5,
            ..SimConfig::default()
        })
        .unwrap();
        sim.watch(Some(NodeId(3)));
        sim.advance_to(20_000);
        sim
    }

    /// The items a native decode of the same bytes gives, in the inspector's order.
    fn decoded(envelope: &Envelope) -> Vec<(&'static str, NodeId, Generation, Version)> {
        let (_, message) = wire::decode(&envelope.bytes).unwrap();
        let deltas = |deltas: &[Delta]| {
            deltas
                .iter()
                .flat_map(|d| {
                    d.entries
                        .iter()
                        .map(move |e| ("delta", d.endpoint, d.generation, e.version))
                })
                .collect::<Vec<_>>()
        };
        match message {
            Message::Syn { digests } => digests
                .iter()
                .map(|d| ("digest", d.endpoint, d.generation, d.max_version))
                .collect(),
            Message::Ack {
                deltas: d,
                requests,
            } => {
                let mut items = deltas(&d);
                items.extend(
                    requests
                        .iter()
                        .map(|r| ("request", r.endpoint, r.generation, r.from)),
                );
                items
            }
            Message::Ack2 { deltas: d } => deltas(&d),
        }
    }

    #[test]
    fn an_opened_message_shows_what_the_core_decodes_from_its_bytes() {
        let sim = watched_run();
        let mut kinds = Vec::new();
        for envelope in sim.watched() {
            let opened = Opened::new(envelope, &sim);
            let items = opened.items.as_ref().unwrap();
            let shown: Vec<_> = items
                .iter()
                .map(|i| (i.part, i.endpoint, i.generation, i.version))
                .collect();
            assert_eq!(shown, decoded(envelope), "{:?}", envelope.kind);
            assert_eq!(
                (opened.bytes, opened.kind),
                (
                    envelope.bytes.len(),
                    MessageKind::of(envelope.kind).unwrap()
                )
            );
            kinds.push(opened.kind);
            if opened.kind == MessageKind::Syn {
                // Every digest is marked, and its words follow the mark.
                for i in items {
                    let stands = standing(
                        sim.nodes()[envelope.to.0 as usize].view(),
                        &gossip_heartbeat::message::Digest {
                            endpoint: i.endpoint,
                            generation: i.generation,
                            max_version: i.version,
                        },
                    );
                    assert_eq!(
                        digest_says(i.endpoint, i.generation, i.version, stands, Mode::PushPull).0,
                        i.mark.unwrap()
                    );
                    assert!(
                        i.says.contains(&format!("node {}", i.endpoint.0)),
                        "{}",
                        i.says
                    );
                }
            }
        }
        for kind in [MessageKind::Syn, MessageKind::Ack] {
            assert!(
                kinds.contains(&kind),
                "the window holds a {kind:?}: {kinds:?}"
            );
        }
    }

    #[test]
    fn the_words_name_the_versions_asked_for_and_sent() {
        let says = |stands| digest_says(NodeId(7), 2, 41, stands, Mode::PushPull);
        assert_eq!(
            says(Standing::Ahead {
                restarted: false,
                ours: 38
            })
            .1,
            "asks for node 7's state above version 38"
        );
        assert_eq!(
            says(Standing::Behind {
                restarted: true,
                ours: 9
            })
            .1,
            "sends node 7's new generation whole"
        );
        assert_eq!(says(Standing::Equal).0, "equal");
        assert_eq!(says(Standing::Unknown).0, "unknown");
        // Push only asks, pull only sends: the mark stays, the receiver does nothing.
        let behind = Standing::Behind {
            restarted: false,
            ours: 45,
        };
        assert_eq!(
            digest_says(NodeId(7), 2, 41, behind, Mode::Push),
            (
                "behind",
                "nothing about node 7: in push mode it only asks for what it lacks".into()
            )
        );
        assert_eq!(
            digest_says(NodeId(7), 2, 41, Standing::Unknown, Mode::Pull).1,
            "nothing about node 7: in pull mode it only sends what the initiator lacks"
        );
        assert!(
            digest_says(NodeId(7), 2, 41, behind, Mode::Pull)
                .1
                .starts_with("sends")
        );
        let request = Request {
            endpoint: NodeId(3),
            generation: 0,
            from: 0,
        };
        assert_eq!(request_item(&request).says, "sends all of node 3's state");
    }

    #[test]
    fn an_update_in_an_ack_is_found_and_explained() {
        let mut sim = Simulator::<Node>::new(SimConfig {
            nodes: 6,
            seed: 2,
            ..SimConfig::default()
        })
        .unwrap();
        sim.advance_to(10_000);
        let update = sim.set(NodeId(1), "lab", "hello").unwrap().unwrap();
        sim.watch(Some(NodeId(1)));
        let carrying = (1..=50)
            .find_map(|step| {
                sim.advance_to(10_000 + step * 100);
                sim.watched()
                    .find(|e| {
                        e.kind != MessageKind::Syn.index()
                            && wire::message(&e.bytes).is_ok_and(|m| carries(&m, update))
                    })
                    .map(|e| Opened::new(e, &sim))
            })
            .expect("node 1's update leaves in one of its messages within 5 s");
        let entry = carrying
            .items
            .unwrap()
            .into_iter()
            .find(|i| i.key == "lab")
            .unwrap();
        assert_eq!(entry.value, "hello");
    }

    #[test]
    fn bytes_that_do_not_decode_say_why() {
        let sim = watched_run();
        let mut envelope = sim.watched().next().unwrap().clone();
        envelope.bytes.truncate(3);
        assert!(
            Opened::new(&envelope, &sim)
                .items
                .unwrap_err()
                .contains("magic")
        );
    }
}
