//! Paints one frame: the ring, the nodes coloured by how the selected node sees
//! them, and the messages in flight as dots moving from sender to receiver along a
//! faint line, so that a still frame shows who talks to whom. The selected node's
//! messages are bright and the rest dimmed, and its exchange is labelled; its copy of
//! the ring (token ticks, its ranges, a looked-up key's replicas) and the opened
//! message are marked. It reads
//! the lab and writes pixels; it keeps no state, and draws in one pass per colour
//! (the style set once per group), the cheap way to draw many dots on a canvas.

use core::f64::consts::TAU;

use gossip_core::NodeId;
use gossip_heartbeat::MessageKind;
use gossip_heartbeat::ring::Ring;
use web_sys::CanvasRenderingContext2d;

use crate::focus::{self, Exchange};
use crate::hash_ring::Lookup;
use crate::layout::{self, Point};
use crate::model::{Lab, Seen};
use crate::opened::Opened;

/// The canvas background. Tests look for pixels of any other colour.
pub const BACKGROUND: &str = "#0b1020";
const RING: &str = "#1e293b";
const SELECTED: &str = "#f8fafc";
/// The steps of an exchange that are not on the wire now.
const RING_TEXT: &str = "#64748b";
/// A looked-up key's token and the rings round its replicas.
pub const KEY: &str = "#facc15";
/// The radius of the ring round the opened message, CSS pixels.
const OPENED_RING: f64 = 7.0;
/// Half a token tick's length, canvas pixels.
const TICK: f64 = 5.0;
/// The exchange's label in a figure smaller than the canvas, CSS pixels.
const LABEL_CSS_PX: f64 = 13.0;
/// A message's dot, CSS pixels: big enough to follow with the eye.
const DOT_SIZE: f64 = 6.0;
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
pub const NODE_COLORS: [(Seen, &str, &str); 8] = [
    (Seen::Observer, "#f8fafc", "selected node"),
    (Seen::Unheard, "#64748b", "not heard from yet"),
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

/// What the frame shows of the selected node besides its ring round it.
#[derive(Debug, Clone, Copy)]
pub struct Selection<'a> {
    /// Its exchange on the wire now, labelled.
    pub exchange: Option<Exchange>,
    /// Its id and its copy of the ring, with a looked-up key, if the ring is drawn in
    /// detail.
    pub ring: Option<(NodeId, &'a Ring, Option<&'a Lookup>)>,
}

/// Draws the lab at its current time, with nodes at `positions`, `seen[i]` the look
/// of node `i`, and the `selection`; `flying` is the frame's buffer of messages, kept
/// between frames.
pub fn frame(
    ctx: &CanvasRenderingContext2d,
    lab: &Lab,
    positions: &[Point],
    seen: &[Seen],
    selection: Selection<'_>,
    flying: &mut Vec<Flying>,
    (width, height, scale): (f64, f64, f64),
) -> Drawn {
    let in_flight = collect(lab, positions, flying);
    ctx.set_fill_style_str(BACKGROUND);
    ctx.fill_rect(0.0, 0.0, width, height);
    ring(ctx, width, height);
    let radius = layout::node_radius(positions.len(), width, height, scale);
    if let Some((viewer, ring, lookup)) = selection.ring {
        ring_detail(
            ctx,
            (viewer, ring),
            lookup,
            positions,
            radius,
            (width, height),
        );
    }
    paths(ctx, flying);
    nodes(ctx, positions, seen, radius);
    if positions.len() <= LABELLED_NODES_UP_TO {
        labels(ctx, positions, seen, radius, scale);
    }
    if let Some(p) = positions.get(lab.selected().0 as usize) {
        ctx.set_stroke_style_str(SELECTED);
        ctx.set_line_width(2.0 * scale);
        ctx.begin_path();
        let _ = ctx.arc(p.x, p.y, radius + 4.0 * scale, 0.0, TAU);
        ctx.stroke();
    }
    messages(ctx, flying, DOT_SIZE * scale);
    if let Some(opened) = lab.opened() {
        opened_ring(ctx, opened, positions, lab.sim_time(), scale);
    }
    exchange_label(ctx, selection.exchange, scale);
    Drawn {
        in_flight,
        drawn: flying.len(),
    }
}

fn ring(ctx: &CanvasRenderingContext2d, width: f64, height: f64) {
    ctx.set_stroke_style_str(RING);
    ctx.set_line_width(2.0);
    ctx.begin_path();
    let _ = ctx.arc(
        width / 2.0,
        height / 2.0,
        layout::ring_radius(width, height),
        0.0,
        TAU,
    );
    ctx.stroke();
}

/// The ring as the selected node sees it: a tick for every token of its copy, its
/// own ranges as bright arcs, and a looked-up key's token with its replicas ringed
/// (the owner boldest).
pub fn ring_detail(
    ctx: &CanvasRenderingContext2d,
    (viewer, ring): (NodeId, &Ring),
    lookup: Option<&Lookup>,
    positions: &[Point],
    node_radius: f64,
    (width, height): (f64, f64),
) {
    let radius = layout::ring_radius(width, height);
    let at = |token, r| layout::on_circle(layout::token_angle(token), r, width, height);
    ctx.set_line_width(1.5);
    ctx.set_stroke_style_str(RING_TEXT);
    ctx.begin_path();
    for &(token, _) in ring.tokens() {
        let (inner, outer) = (at(token, radius - TICK), at(token, radius + TICK));
        ctx.move_to(inner.x, inner.y);
        ctx.line_to(outer.x, outer.y);
    }
    ctx.stroke();
    ctx.set_line_width(5.0);
    ctx.set_stroke_style_str(SELECTED);
    ctx.set_global_alpha(0.6);
    for range in ring.ranges(viewer) {
        let start = layout::token_angle(range.start);
        let end = layout::token_angle(range.end);
        // A node holding the only token owns the whole ring.
        let end = if range.start == range.end {
            start + TAU
        } else {
            end
        };
        ctx.begin_path();
        // `arc` fails only for a negative radius.
        let _ = ctx.arc(width / 2.0, height / 2.0, radius, start, end);
        ctx.stroke();
    }
    ctx.set_global_alpha(1.0);
    let Some(lookup) = lookup else {
        return;
    };
    ctx.set_stroke_style_str(KEY);
    ctx.set_line_width(3.0);
    ctx.begin_path();
    let (inner, outer) = (
        at(lookup.token, radius - 3.0 * TICK),
        at(lookup.token, radius + 3.0 * TICK),
    );
    ctx.move_to(inner.x, inner.y);
    ctx.line_to(outer.x, outer.y);
    ctx.stroke();
    for (n, id) in lookup.replicas.iter().enumerate() {
        if let Some(p) = positions.get(id.0 as usize) {
            ctx.set_line_width(if n == 0 { 3.0 } else { 1.5 });
            ctx.begin_path();
            let _ = ctx.arc(p.x, p.y, node_radius + 8.0, 0.0, TAU);
            ctx.stroke();
        }
    }
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
                let _ = ctx.arc(p.x, p.y, radius, 0.0, TAU);
            }
        }
        if !squares {
            ctx.fill();
        }
    }
}

/// Each node's id, centred on it, at a size that fits two digits inside it, in the
/// colour that reads on its node.
fn labels(
    ctx: &CanvasRenderingContext2d,
    positions: &[Point],
    seen: &[Seen],
    radius: f64,
    scale: f64,
) {
    ctx.set_font(&format!(
        "bold {:.0}px system-ui, sans-serif",
        radius.clamp(7.0 * scale, 13.0 * scale)
    ));
    ctx.set_text_align("center");
    ctx.set_text_baseline("middle");
    let dark = |s: &Seen| {
        matches!(
            s,
            Seen::Unheard | Seen::Unknown | Seen::Uninformed | Seen::Dead
        )
    };
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

/// A message's path (sender to receiver) is drawn this faint behind it, so that a
/// still frame shows who talks to whom.
pub const PATH_ALPHA: f64 = 0.35;
/// Messages that are not the selected node's, and their paths, are drawn this much
/// fainter than its own.
pub const DIMMED: f64 = 0.3;
/// Up to this many messages drawn, each has its whole path; beyond, the lines tangle
/// into a mat, and a software canvas spends more on them than on the simulation.
const WHOLE_PATHS_UP_TO: usize = 300;
/// A trail is this share of its message's way, behind it.
const TRAIL: f64 = 0.2;
/// At most this many trails are drawn (an even sample).
const MAX_TRAILS: usize = 1_000;

/// A message as this frame draws it.
#[derive(Debug, Clone, Copy)]
pub struct Flying {
    /// Its place among the simulator's messages in flight, to open it by.
    index: usize,
    from: Point,
    to: Point,
    /// How far along its way it is, 0 to 1.
    t: f64,
    /// Its colour group: an index into [`MESSAGE_COLORS`], or [`LOST_GROUP`].
    group: usize,
    /// It is the selected node's, in or out.
    focused: bool,
}

/// The colour group of lost messages, after the kinds'.
const LOST_GROUP: usize = MESSAGE_COLORS.len();

/// The colour of each group.
fn group_color(group: usize) -> &'static str {
    MESSAGE_COLORS.get(group).map_or(LOST, |(_, color)| color)
}

/// Fills `flying` with the messages to draw: every one in flight, or above
/// [`MAX_DRAWN_MESSAGES`] an even sample (taken over all of them, so each kind keeps
/// its share). One pass over the simulator's messages a frame, into a buffer the
/// stage keeps, so that the drawing passes run over a small array and a frame
/// allocates nothing. Returns how many are in flight.
fn collect(lab: &Lab, positions: &[Point], flying: &mut Vec<Flying>) -> usize {
    let in_flight = lab.sim().in_flight().count();
    let stride = in_flight.div_ceil(MAX_DRAWN_MESSAGES).max(1);
    let (now, selected) = (lab.sim_time(), lab.selected());
    flying.clear();
    flying.extend(
        lab.sim()
            .in_flight()
            .enumerate()
            .step_by(stride)
            .filter_map(|(index, e)| {
                Some(Flying {
                    index,
                    from: *positions.get(e.from.0 as usize)?,
                    to: *positions.get(e.to.0 as usize)?,
                    t: layout::progress(e.sent_at as f64, e.arrives_at as f64, now),
                    group: if e.lost {
                        LOST_GROUP
                    } else {
                        MESSAGE_COLORS
                            .iter()
                            .position(|(kind, _)| kind.index() == e.kind)?
                    },
                    focused: focus::is_focused(e, selected),
                })
            }),
    );
    in_flight
}

/// The in-flight index of the drawn message nearest `at`, within `reach`: the one a
/// click opens.
pub fn message_at(flying: &[Flying], at: Point, reach: f64) -> Option<usize> {
    let dots: Vec<Point> = flying.iter().map(|m| m.from.lerp(m.to, m.t)).collect();
    layout::nearest(&dots, at, reach).map(|i| flying[i].index)
}

/// The messages of one colour group, the selected node's or the rest.
fn of(flying: &[Flying], group: usize, focused: bool) -> impl Iterator<Item = &Flying> {
    flying
        .iter()
        .filter(move |m| m.group == group && m.focused == focused)
}

/// The faint line from each drawn message's sender to its receiver, under the nodes.
/// Above [`WHOLE_PATHS_UP_TO`] messages, the others' than the selected node's get a
/// trail instead: the last [`TRAIL`] of their way, which shows their direction; and
/// above [`MAX_TRAILS`] only an even sample of them has one.
fn paths(ctx: &CanvasRenderingContext2d, flying: &[Flying]) {
    let trails = flying.len() > WHOLE_PATHS_UP_TO;
    let every = flying.len().div_ceil(MAX_TRAILS).max(1);
    ctx.set_line_width(1.0);
    for group in 0..=LOST_GROUP {
        ctx.set_stroke_style_str(group_color(group));
        for focused in [false, true] {
            ctx.begin_path();
            let sample = if focused { 1 } else { every };
            for m in of(flying, group, focused).step_by(sample) {
                let (start, end) = if trails && !focused {
                    (
                        m.from.lerp(m.to, (m.t - TRAIL).max(0.0)),
                        m.from.lerp(m.to, m.t),
                    )
                } else {
                    (m.from, m.to)
                };
                ctx.move_to(start.x, start.y);
                ctx.line_to(end.x, end.y);
            }
            ctx.set_global_alpha(PATH_ALPHA * if focused { 1.0 } else { DIMMED });
            ctx.stroke();
        }
    }
    ctx.set_global_alpha(1.0);
}

/// Each drawn message as a dot `dot` canvas pixels wide at (now − sent) /
/// (arrives − sent) of its way; lost ones fade out on their way.
fn messages(ctx: &CanvasRenderingContext2d, flying: &[Flying], dot: f64) {
    for group in 0..=LOST_GROUP {
        ctx.set_fill_style_str(group_color(group));
        for focused in [false, true] {
            let alpha = if focused { 1.0 } else { DIMMED };
            ctx.set_global_alpha(alpha);
            for m in of(flying, group, focused) {
                if group == LOST_GROUP {
                    ctx.set_global_alpha(alpha * (1.0 - 0.85 * m.t));
                }
                let at = m.from.lerp(m.to, m.t);
                ctx.fill_rect(at.x - dot / 2.0, at.y - dot / 2.0, dot, dot);
            }
        }
    }
    ctx.set_global_alpha(1.0);
}

/// The opened message ringed where it is on its way, while it is on its way.
fn opened_ring(
    ctx: &CanvasRenderingContext2d,
    m: &Opened,
    positions: &[Point],
    now: f64,
    scale: f64,
) {
    let (sent, arrives) = (m.sent_at as f64, m.arrives_at as f64);
    let (Some(from), Some(to)) = (
        positions.get(m.from.0 as usize),
        positions.get(m.to.0 as usize),
    ) else {
        return;
    };
    if !(sent..=arrives).contains(&now) {
        return;
    }
    let at = from.lerp(*to, layout::progress(sent, arrives, now));
    ctx.set_stroke_style_str(SELECTED);
    ctx.set_line_width(2.0 * scale);
    ctx.begin_path();
    let _ = ctx.arc(at.x, at.y, OPENED_RING * scale, 0.0, TAU);
    ctx.stroke();
}

/// The selected node's exchange, labelled in the canvas's top-left corner: who
/// opened it with whom, and Syn → Ack → Ack2 with the message on the wire now in its
/// colour.
fn exchange_label(ctx: &CanvasRenderingContext2d, exchange: Option<Exchange>, scale: f64) {
    let Some(x) = exchange else {
        return;
    };
    // 15 canvas pixels on the full page, and 13 CSS pixels in a smaller figure: any
    // larger, and its two lines reach the nodes at the ring's top.
    let scale = (LABEL_CSS_PX * scale).max(15.0) / 15.0;
    ctx.set_font(&format!("bold {:.0}px system-ui, sans-serif", 15.0 * scale));
    ctx.set_text_align("left");
    ctx.set_text_baseline("top");
    ctx.set_fill_style_str(SELECTED);
    let _ = ctx.fill_text(
        &format!("node {} → node {}", x.initiator.0, x.peer.0),
        12.0 * scale,
        12.0 * scale,
    );
    for (i, (kind, color)) in MESSAGE_COLORS.iter().enumerate() {
        let now = *kind == x.step;
        ctx.set_fill_style_str(if now { color } else { RING_TEXT });
        let arrow = if i == 0 { "" } else { "→ " };
        let _ = ctx.fill_text(
            &format!("{arrow}{}", kind.name()),
            (12.0 + 58.0 * i as f64) * scale,
            34.0 * scale,
        );
    }
}
