//! Paints one frame: the ring, the nodes coloured by how the selected node sees
//! them, and the messages in flight as dots moving from sender to receiver. It reads
//! the lab and writes pixels; it keeps no state, and draws in one pass per colour
//! (the fill style set once per group), the cheap way to draw many dots on a canvas.

use gossip_core::MessageKind;
use gossip_core::sim::Envelope;
use web_sys::CanvasRenderingContext2d;

use crate::layout::{self, Point};
use crate::model::{Lab, Seen};

/// The canvas background. Tests look for pixels of any other colour.
pub const BACKGROUND: &str = "#0b1020";
const RING: &str = "#1e293b";
const SELECTED: &str = "#f8fafc";
const DOT_SIZE: f64 = 5.0;
/// Messages the network will drop: greyed, fading out on their way.
const LOST: &str = "#94a3b8";
/// Above this many messages in flight, only an even sample of them is drawn.
pub const MAX_DRAWN_MESSAGES: usize = 3_000;
/// Above this many nodes, nodes are squares: arcs cost too much.
const SQUARE_NODES_ABOVE: usize = 400;
/// Up to this many nodes, each is labelled with its id: beyond, the labels no
/// longer fit inside the nodes.
pub const LABELLED_NODES_UP_TO: usize = 60;
/// The colour of a node's id: dark on the light node colours, light on the dark ones.
const LABEL: &str = "#0b1020";
/// See [`LABEL`].
const LABEL_ON_DARK: &str = "#e2e8f0";

/// The colour of each message kind, so that Syn, Ack and Ack2 can be told apart.
pub const MESSAGE_COLORS: [(MessageKind, &str); 3] = [
    (MessageKind::Syn, "#fbbf24"),
    (MessageKind::Ack, "#38bdf8"),
    (MessageKind::Ack2, "#f472b6"),
];

/// The colour of each way a node can look, with its legend text.
pub const NODE_COLORS: [(Seen, &str, &str); 7] = [
    (Seen::Observer, "#f8fafc", "selected node"),
    (Seen::Alive, "#34d399", "alive"),
    (Seen::Suspect, "#fb923c", "suspect"),
    (Seen::Dead, "#ef4444", "dead (convicted)"),
    (Seen::Unknown, "#475569", "unknown to it"),
    (Seen::Informed, "#a78bfa", "knows the update"),
    (Seen::Uninformed, "#334155", "does not know it yet"),
];

/// How many messages were in flight, and how many of them were drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Drawn {
    /// Messages on the wire.
    pub in_flight: usize,
    /// Messages drawn: all of them, or an even sample above [`MAX_DRAWN_MESSAGES`].
    pub drawn: usize,
}

/// Draws the lab at its current time, with nodes at `positions` and `seen[i]` the
/// look of node `i`.
pub fn frame(
    ctx: &CanvasRenderingContext2d,
    lab: &Lab,
    positions: &[Point],
    seen: &[Seen],
    (width, height): (f64, f64),
) -> Drawn {
    ctx.set_fill_style_str(BACKGROUND);
    ctx.fill_rect(0.0, 0.0, width, height);
    ring(ctx, width, height);
    let radius = layout::node_radius(positions.len(), width, height);
    nodes(ctx, positions, seen, radius);
    if positions.len() <= LABELLED_NODES_UP_TO {
        labels(ctx, positions, seen, radius);
    }
    if let Some(p) = positions.get(lab.selected().0 as usize) {
        ctx.set_stroke_style_str(SELECTED);
        ctx.set_line_width(2.0);
        ctx.begin_path();
        let _ = ctx.arc(p.x, p.y, radius + 4.0, 0.0, core::f64::consts::TAU);
        ctx.stroke();
    }
    messages(ctx, lab, positions)
}

fn ring(ctx: &CanvasRenderingContext2d, width: f64, height: f64) {
    ctx.set_stroke_style_str(RING);
    ctx.set_line_width(2.0);
    ctx.begin_path();
    let _ = ctx.arc(
        width / 2.0,
        height / 2.0,
        0.42 * width.min(height),
        0.0,
        core::f64::consts::TAU,
    );
    ctx.stroke();
}

fn nodes(ctx: &CanvasRenderingContext2d, positions: &[Point], seen: &[Seen], radius: f64) {
    let squares = positions.len() > SQUARE_NODES_ABOVE;
    for (look, color, _) in NODE_COLORS {
        ctx.set_fill_style_str(color);
        if !squares {
            ctx.begin_path();
        }
        for (p, _) in positions.iter().zip(seen).filter(|(_, s)| **s == look) {
            if squares {
                ctx.fill_rect(p.x - radius, p.y - radius, 2.0 * radius, 2.0 * radius);
            } else {
                ctx.move_to(p.x + radius, p.y);
                // `arc` fails only for a negative radius, which node_radius never returns.
                let _ = ctx.arc(p.x, p.y, radius, 0.0, core::f64::consts::TAU);
            }
        }
        if !squares {
            ctx.fill();
        }
    }
}

/// Each node's id, centred on it, at a size that fits two digits inside it, in the
/// colour that reads on its node.
fn labels(ctx: &CanvasRenderingContext2d, positions: &[Point], seen: &[Seen], radius: f64) {
    ctx.set_font(&format!(
        "bold {:.0}px system-ui, sans-serif",
        radius.clamp(7.0, 13.0)
    ));
    ctx.set_text_align("center");
    ctx.set_text_baseline("middle");
    let dark = |s: &Seen| matches!(s, Seen::Unknown | Seen::Uninformed | Seen::Dead);
    for (color, on_dark) in [(LABEL, false), (LABEL_ON_DARK, true)] {
        ctx.set_fill_style_str(color);
        for (id, (p, _)) in positions
            .iter()
            .zip(seen)
            .enumerate()
            .filter(|(_, (_, s))| dark(s) == on_dark)
        {
            let _ = ctx.fill_text(&id.to_string(), p.x, p.y);
        }
    }
}

fn messages(ctx: &CanvasRenderingContext2d, lab: &Lab, positions: &[Point]) -> Drawn {
    let in_flight = lab.sim().in_flight().count();
    let stride = in_flight.div_ceil(MAX_DRAWN_MESSAGES).max(1);
    let now = lab.sim_time();
    let groups = MESSAGE_COLORS
        .iter()
        .map(|&(kind, color)| (Some(kind), color))
        .chain([(None, LOST)]);
    let mut drawn = 0;
    for (kind, color) in groups {
        ctx.set_fill_style_str(color);
        let in_group = |e: &&Envelope| match kind {
            Some(kind) => !e.lost && e.kind == kind,
            None => e.lost,
        };
        // The sample is taken over all messages (step_by before the filter), so
        // each kind keeps its share.
        for envelope in lab.sim().in_flight().step_by(stride).filter(in_group) {
            let (Some(&from), Some(&to)) = (
                positions.get(envelope.from.0 as usize),
                positions.get(envelope.to.0 as usize),
            ) else {
                continue;
            };
            let t = layout::progress(envelope.sent_at as f64, envelope.arrives_at as f64, now);
            if envelope.lost {
                ctx.set_global_alpha(1.0 - 0.85 * t);
            }
            let at = from.lerp(to, t);
            ctx.fill_rect(
                at.x - DOT_SIZE / 2.0,
                at.y - DOT_SIZE / 2.0,
                DOT_SIZE,
                DOT_SIZE,
            );
            drawn += 1;
        }
    }
    ctx.set_global_alpha(1.0);
    Drawn { in_flight, drawn }
}
