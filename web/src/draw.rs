//! Paints one frame: the ring, the nodes, and every message in flight as a dot moving
//! from sender to receiver. It reads the simulator and writes pixels; it keeps no
//! state and allocates nothing per frame.

use gossip_core::MessageKind;
use gossip_core::sim::{Envelope, Simulator};
use web_sys::CanvasRenderingContext2d;

use crate::layout::{self, Point};

/// The canvas background. Tests look for pixels of any other colour.
pub const BACKGROUND: &str = "#0b1020";
const RING: &str = "#1e293b";
const NODE: &str = "#34d399";
const DOT_SIZE: f64 = 6.0;
/// Messages the network will drop: still drawn on their way, greyed out.
const LOST: &str = "#475569";

/// The colour of each message kind, so that Syn, Ack and Ack2 can be told apart.
pub const MESSAGE_COLORS: [(MessageKind, &str); 3] = [
    (MessageKind::Syn, "#fbbf24"),
    (MessageKind::Ack, "#38bdf8"),
    (MessageKind::Ack2, "#f472b6"),
];

/// Draws `sim` as it is at time `now` (in fractional milliseconds, between the
/// simulator's clock and the next millisecond), with nodes at `positions`.
pub fn frame(
    ctx: &CanvasRenderingContext2d,
    sim: &Simulator,
    positions: &[Point],
    now: f64,
    (width, height): (f64, f64),
) {
    ctx.set_fill_style_str(BACKGROUND);
    ctx.fill_rect(0.0, 0.0, width, height);
    ring(ctx, positions.len(), width, height);
    nodes(
        ctx,
        positions,
        layout::node_radius(positions.len(), width, height),
    );
    messages(ctx, sim, positions, now);
}

fn ring(ctx: &CanvasRenderingContext2d, n: usize, width: f64, height: f64) {
    if n == 0 {
        return;
    }
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

fn nodes(ctx: &CanvasRenderingContext2d, positions: &[Point], radius: f64) {
    ctx.set_fill_style_str(NODE);
    ctx.begin_path();
    for p in positions {
        ctx.move_to(p.x + radius, p.y);
        // `arc` fails only for a negative radius, which node_radius never returns.
        let _ = ctx.arc(p.x, p.y, radius, 0.0, core::f64::consts::TAU);
    }
    ctx.fill();
}

/// One pass per colour, so the fill style is set once per group: the cheap way to
/// draw many dots on a 2D canvas.
fn messages(ctx: &CanvasRenderingContext2d, sim: &Simulator, positions: &[Point], now: f64) {
    let groups = MESSAGE_COLORS
        .iter()
        .map(|&(kind, color)| (Some(kind), color))
        .chain([(None, LOST)]);
    for (kind, color) in groups {
        ctx.set_fill_style_str(color);
        let in_group = |e: &&Envelope| match kind {
            Some(kind) => !e.lost && e.kind == kind,
            None => e.lost,
        };
        for envelope in sim.in_flight().filter(in_group) {
            let (Some(&from), Some(&to)) = (
                positions.get(envelope.from.0 as usize),
                positions.get(envelope.to.0 as usize),
            ) else {
                continue;
            };
            let t = layout::progress(envelope.sent_at as f64, envelope.arrives_at as f64, now);
            let at = from.lerp(to, t);
            ctx.fill_rect(
                at.x - DOT_SIZE / 2.0,
                at.y - DOT_SIZE / 2.0,
                DOT_SIZE,
                DOT_SIZE,
            );
        }
    }
}
