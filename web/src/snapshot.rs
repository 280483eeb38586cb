//! What a lab shows now, as one JSON object for the host page (`state()` in the JS
//! API): the lesson's text reads its numbers from it, and its tests check each
//! step's claim against it. Written by hand, as `scenario::write` is, so that the
//! page carries no JSON serializer.

use core::fmt::Write;

use gossip_core::NodeId;

use crate::hash_ring::RingView;
use crate::model::{Lab, Seen};

/// Up to this many nodes the snapshot says how many copies of the ring are whole:
/// each copy is compared with every node's own tokens, O(N²).
const RING_CHECK_MAX: usize = 300;

/// A JSON array of the items written by `item`.
fn array<T>(
    out: &mut String,
    items: impl IntoIterator<Item = T>,
    mut item: impl FnMut(&mut String, T),
) {
    out.push('[');
    for (n, x) in items.into_iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        item(out, x);
    }
    out.push(']');
}

/// A float as JSON: `null` when not finite.
fn number(out: &mut String, x: f64) {
    if x.is_finite() {
        let _ = write!(out, "{x}");
    } else {
        out.push_str("null");
    }
}

/// The lab's state now. Fields, all about the moment shown:
/// - `time_s`, `round`, `playing`, `jumping` (a seek under way), `nodes`,
///   `selected`, `interval_s`;
/// - `up` (each node is up), `members` (how many endpoints each node's view holds);
/// - `seen` and `phi`: how the selected node sees each node (`self`, `alive`,
///   `suspect`, `dead`, `unknown`) and its phi of each (`null` where it has none);
/// - `informed` (how many nodes know the followed update, `null` with none),
///   `fractions` (the fraction that knew it after each round since it was made),
///   `spread_rounds` (the rounds it took to reach every node, `null` until it has);
/// - `messages_last_round`, `all_to_all_per_round`, `max_message_bytes`, `interval_s`;
/// - `whole_rings` (how many nodes up hold every node's own tokens, `null` above
///   300 nodes), `lookup` (`owner` and `replicas` of the key looked up, or `null`);
/// - `detections_s` (the last crash's detection times), `false_convictions`,
///   `opened` (the kind of the message opened, or `null`).
pub fn json(lab: &Lab) -> String {
    let sim = lab.sim();
    let nodes = sim.nodes();
    let now = sim.now();
    let selected = lab.selected();
    let observer = &nodes[selected.0 as usize];
    let mut out = String::with_capacity(64 + nodes.len() * 24);
    let _ = write!(
        out,
        "{{\"time_s\":{},\"round\":{},\"playing\":{},\"jumping\":{},\"nodes\":{},\"selected\":{},\"interval_s\":{}",
        lab.sim_time() / 1000.0,
        sim.round(),
        lab.playing(),
        lab.rewinding().is_some(),
        nodes.len(),
        selected.0,
        sim.config().node.interval_ms as f64 / 1000.0,
    );
    out.push_str(",\"up\":");
    array(&mut out, nodes, |o, n| {
        o.push_str(if sim.is_down(n.id()) { "false" } else { "true" })
    });
    out.push_str(",\"members\":");
    array(&mut out, nodes, |o, n| {
        let _ = write!(o, "{}", n.view().len());
    });
    out.push_str(",\"seen\":");
    array(&mut out, nodes, |o, n| {
        let seen = match lab.status_seen(n.id()) {
            Seen::Observer => "self",
            Seen::Unheard => "unheard",
            Seen::Alive => "alive",
            Seen::Suspect => "suspect",
            Seen::Dead => "dead",
            _ => "unknown",
        };
        let _ = write!(o, "\"{seen}\"");
    });
    out.push_str(",\"phi\":");
    array(&mut out, nodes, |o, n| {
        match observer.reachability(n.id(), now) {
            Some((_, phi)) if n.id() != selected => number(o, phi),
            _ => o.push_str("null"),
        }
    });
    let spread = lab.spread();
    out.push_str(",\"informed\":");
    match spread {
        Some(s) => {
            let _ = write!(out, "{}", sim.informed(s.update));
        }
        None => out.push_str("null"),
    }
    out.push_str(",\"fractions\":");
    array(
        &mut out,
        spread.map_or(&[][..], |s| &s.fractions),
        |o, f| number(o, *f),
    );
    out.push_str(",\"spread_rounds\":");
    match spread.and_then(|s| s.fractions.iter().position(|f| *f >= 1.0)) {
        Some(n) => {
            let _ = write!(out, "{}", n + 1);
        }
        None => out.push_str("null"),
    }
    let stats = sim.stats();
    let _ = write!(
        out,
        ",\"messages_last_round\":{},\"all_to_all_per_round\":{},\"max_message_bytes\":{},\"false_convictions\":{}",
        lab.traffic().back().map_or(0, |t| t.messages),
        lab.all_to_all_per_round().messages,
        stats.max_message_bytes,
        stats.false_convictions,
    );
    out.push_str(",\"whole_rings\":");
    if nodes.len() <= RING_CHECK_MAX {
        let whole = nodes
            .iter()
            .filter(|n| !sim.is_down(n.id()) && RingView::of(sim, n.id()).lacks.is_empty())
            .count();
        let _ = write!(out, "{whole}");
    } else {
        out.push_str("null");
    }
    out.push_str(",\"lookup\":");
    match lab.lookup(&observer.ring()) {
        Some(l) => {
            out.push_str("{\"owner\":");
            let _ = write!(out, "{}", l.replicas.first().map_or(-1, |r| i64::from(r.0)));
            out.push_str(",\"replicas\":");
            array(&mut out, &l.replicas, |o, r: &NodeId| {
                let _ = write!(o, "{}", r.0);
            });
            out.push('}');
        }
        None => out.push_str("null"),
    }
    out.push_str(",\"detections_s\":");
    array(&mut out, lab.last_crash_detections(), |o, ms| {
        number(o, *ms as f64 / 1000.0)
    });
    out.push_str(",\"opened\":");
    match lab.opened() {
        Some(m) => {
            let _ = write!(out, "\"{}\"", m.kind.name());
        }
        None => out.push_str("null"),
    }
    out.push('}');
    out
}
