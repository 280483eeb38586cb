//! Where each node sits on the canvas. Pure geometry, no web types, so it is tested
//! natively.

use core::f64::consts::TAU;

use gossip_core::NodeId;

use crate::math;

/// A point on the canvas, in canvas pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Pixels from the left edge.
    pub x: f64,
    /// Pixels from the top edge.
    pub y: f64,
}

impl Point {
    /// The point a fraction `t` of the way from `self` to `to`.
    pub fn lerp(self, to: Point, t: f64) -> Point {
        Point {
            x: self.x + (to.x - self.x) * t,
            y: self.y + (to.y - self.y) * t,
        }
    }
}

/// How nodes are placed on the canvas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// On a circle, each at its first token's position on the hash ring.
    #[default]
    Ring,
    /// In rows, by id: every node apart from the others, for large N.
    Grid,
}

/// The ring's radius on a canvas of this size.
pub fn ring_radius(width: f64, height: f64) -> f64 {
    0.42 * width.min(height)
}

/// The canvas angle of `token` on the ring: token 0 at twelve o'clock, growing
/// clockwise.
pub fn token_angle(token: u64) -> f64 {
    TAU * crate::hash_ring::turn(token) - TAU / 4.0
}

/// The point at `angle` on a circle of `radius` round the canvas's centre.
pub fn on_circle(angle: f64, radius: f64, width: f64, height: f64) -> Point {
    Point {
        x: width / 2.0 + radius * math::cos(angle),
        y: height / 2.0 + radius * math::sin(angle),
    }
}

/// Where each node goes, given each node's first token (`None` if it has none).
/// On the ring, token 0 is at twelve o'clock and tokens grow clockwise; a node
/// without a token sits at the top.
pub fn place(
    tokens: &[Option<u64>],
    layout: Layout,
    (width, height): (f64, f64),
    scale: f64,
) -> Vec<Point> {
    let (cx, cy) = (width / 2.0, height / 2.0);
    match layout {
        Layout::Ring => {
            let radius = ring_radius(width, height);
            let gap = (2.0 * node_radius(tokens.len(), width, height, scale) + NODE_SPACE) / radius;
            apart(tokens, gap)
                .into_iter()
                .map(|angle| on_circle(angle, radius, width, height))
                .collect()
        }
        Layout::Grid => {
            let n = tokens.len().max(1);
            let columns = (n as f64).sqrt().ceil() as usize;
            let rows = n.div_ceil(columns);
            let cell = (0.9 * width / columns as f64).min(0.9 * height / rows as f64);
            let (left, top) = (
                cx - cell * columns as f64 / 2.0,
                cy - cell * rows as f64 / 2.0,
            );
            (0..tokens.len())
                .map(|i| Point {
                    x: left + cell * ((i % columns) as f64 + 0.5),
                    y: top + cell * ((i / columns) as f64 + 0.5),
                })
                .collect()
        }
    }
}

/// Pixels kept clear between two nodes on the ring.
const NODE_SPACE: f64 = 3.0;

/// Each node's angle on the ring, at its first token (a node without one at the
/// top), nudged so that neighbours are at least `gap` radians apart (less, if the
/// circle is too small for that), each moved as little as it can: the ring stays
/// faithful to the tokens, and no node hides another.
///
/// The circle is cut at its widest empty arc; along the cut line the least total
/// move that keeps the order and the gaps spreads each crowded run of nodes about
/// its middle (pool adjacent violators, O(n)). If a run spilled over the cut, the
/// nodes are spaced evenly in their order instead.
fn apart(tokens: &[Option<u64>], gap: f64) -> Vec<f64> {
    let n = tokens.len();
    // Sorted as (token, id) pairs, the sort the ring's tokens use: the page carries
    // one copy of it. An angle grows with its token, and ids break ties.
    let mut order: Vec<(u64, NodeId)> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| (t.unwrap_or(0), NodeId(i as u32)))
        .collect();
    order.sort_unstable();
    let sorted: Vec<f64> = order.iter().map(|&(t, _)| token_angle(t)).collect();
    if n < 2 {
        return sorted;
    }
    let gap = gap.min(0.98 * TAU / n as f64);
    // Start after the widest empty arc (the one that wraps round counts too).
    let arc = |k: usize| {
        let d = sorted[(k + 1) % n] - sorted[k];
        if d < 0.0 { d + TAU } else { d }
    };
    let mut widest = 0;
    for k in 1..n {
        if arc(k) > arc(widest) {
            widest = k;
        }
    }
    let widest = (widest + 1) % n;
    let line: Vec<f64> = (0..n)
        .map(|k| {
            let angle = sorted[(widest + k) % n];
            if (widest + k) % n < widest {
                angle + TAU
            } else {
                angle
            }
        })
        .collect();
    // x_k = y_k + k·gap with y nondecreasing and closest to line_k − k·gap.
    let mut blocks: Vec<(f64, usize)> = Vec::with_capacity(n);
    for (k, x) in line.iter().enumerate() {
        let mut block = (x - k as f64 * gap, 1usize);
        while let Some(&(mean, count)) = blocks.last() {
            if mean < block.0 {
                break;
            }
            blocks.pop();
            let total = count + block.1;
            block = (
                (mean * count as f64 + block.0 * block.1 as f64) / total as f64,
                total,
            );
        }
        blocks.push(block);
    }
    let mut placed = Vec::with_capacity(n);
    for (mean, count) in blocks {
        for _ in 0..count {
            placed.push(mean + placed.len() as f64 * gap);
        }
    }
    if placed[n - 1] - placed[0] > TAU - gap {
        let even = TAU / n as f64;
        placed = (0..n).map(|k| placed[0] + k as f64 * even).collect();
    }
    let mut out = vec![0.0; n];
    for (k, angle) in placed.into_iter().enumerate() {
        out[order[(widest + k) % n].1.0 as usize] = angle;
    }
    out
}

/// The square a `size`-pixel canvas's picture fills in a box of `width` × `height`
/// CSS pixels (`object-fit: contain` centres it): its side, and its offset.
pub fn shown_square(width: f64, height: f64) -> (f64, Point) {
    let side = width.min(height).max(1.0);
    let offset = Point {
        x: (width - side).max(0.0) / 2.0,
        y: (height - side).max(0.0) / 2.0,
    };
    (side, offset)
}

/// A point in the box, CSS pixels from its corner, as canvas pixels of a `size`
/// square canvas shown there.
pub fn to_canvas(at: Point, (width, height): (f64, f64), size: f64) -> Point {
    let (side, offset) = shown_square(width, height);
    Point {
        x: (at.x - offset.x) * size / side,
        y: (at.y - offset.y) * size / side,
    }
}

/// The node nearest to `at`, if one is within `reach` pixels.
pub fn nearest(positions: &[Point], at: Point, reach: f64) -> Option<usize> {
    positions
        .iter()
        .map(|p| (p.x - at.x).powi(2) + (p.y - at.y).powi(2))
        .enumerate()
        .filter(|&(_, d2)| d2 <= reach * reach)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// How far along its path a message is at time `now`: 0 when sent, 1 on arrival.
/// Derived from the times alone, so pausing and slow motion need no extra state.
pub fn progress(sent_at: f64, arrives_at: f64, now: f64) -> f64 {
    if arrives_at <= sent_at {
        return 1.0;
    }
    ((now - sent_at) / (arrives_at - sent_at)).clamp(0.0, 1.0)
}

/// A node's radius in canvas pixels: big enough to click and to hold its id when
/// few, small enough not to overlap when many. `scale` is canvas pixels per CSS
/// pixel, so that a small figure's nodes are as big on screen as a large one's.
pub fn node_radius(n: usize, width: f64, height: f64, scale: f64) -> f64 {
    let circumference = TAU * ring_radius(width, height);
    (circumference / n.max(1) as f64 * 0.35).clamp(1.5, 14.0 * scale.max(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_places_nodes_by_token_clockwise_from_the_top() {
        let quarter = 1u64 << 62;
        let points = place(
            &[Some(0), Some(quarter), None],
            Layout::Ring,
            (200.0, 100.0),
            1.0,
        );
        assert!(
            (points[1].x - 142.0).abs() < 1e-9,
            "a quarter turn is at three o'clock"
        );
        // Nodes 0 and 2 share twelve o'clock: nudged apart, either side of it.
        assert!((points[0].x + points[2].x - 200.0).abs() < 1e-9);
        assert!(points[2].x > points[0].x, "the tie keeps the ids' order");
        assert!(
            points[0].y < 20.0 && points[2].y < 20.0,
            "both near the top"
        );
        for p in place(&[Some(u64::MAX); 5], Layout::Ring, (200.0, 100.0), 1.0) {
            assert!((0.0..=200.0).contains(&p.x) && (0.0..=100.0).contains(&p.y));
        }
    }

    #[test]
    fn ring_nudges_overlapping_nodes_apart_and_keeps_their_order() {
        // Two nodes on the same token, and a third just past it.
        let tokens = [
            Some(1u64 << 60),
            Some(1 << 60),
            Some((1 << 60) + 1000),
            Some(1 << 63),
        ];
        let (w, h) = (460.0, 460.0);
        let points = place(&tokens, Layout::Ring, (w, h), 1.0);
        let least = 2.0 * node_radius(tokens.len(), w, h, 1.0) + NODE_SPACE;
        for (i, a) in points.iter().enumerate() {
            for b in &points[i + 1..] {
                let d = ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt();
                // The chord of the least angle is a hair shorter than its arc.
                assert!(d >= 0.99 * least, "{a:?} and {b:?} are {d} px apart");
            }
        }
        // The lone node far away stays at its token.
        let alone = on_circle(token_angle(1 << 63), ring_radius(w, h), w, h);
        assert!((points[3].x - alone.x).abs() < 1e-6 && (points[3].y - alone.y).abs() < 1e-6);
    }

    #[test]
    fn ring_nudging_holds_at_any_size() {
        for n in [2usize, 30, 300, 5000] {
            let tokens: Vec<Option<u64>> = (0..n as u64).map(|i| Some(i % 3)).collect();
            let gap = (0.98 * TAU / n as f64).min(1.0);
            let mut out = apart(&tokens, 1.0);
            out.sort_by(f64::total_cmp);
            for pair in out.windows(2) {
                assert!(pair[1] - pair[0] >= gap - 1e-6, "n = {n}");
            }
            assert!(
                out[0] + TAU - out[n - 1] >= gap - 1e-6,
                "n = {n}: round the top"
            );
        }
    }

    #[test]
    fn grid_keeps_every_node_apart_and_inside() {
        let points = place(&[None; 10], Layout::Grid, (100.0, 100.0), 1.0);
        assert_eq!(points.len(), 10);
        for (i, a) in points.iter().enumerate() {
            assert!((0.0..=100.0).contains(&a.x) && (0.0..=100.0).contains(&a.y));
            assert!(points[i + 1..].iter().all(|b| a != b));
        }
    }

    #[test]
    fn a_click_in_a_letterboxed_box_lands_where_the_picture_is() {
        // A wide box: the square picture sits in its middle.
        let wide = (724.0, 380.0);
        let centre = to_canvas(Point { x: 362.0, y: 190.0 }, wide, 720.0);
        assert_eq!(centre, Point { x: 360.0, y: 360.0 });
        let corner = to_canvas(Point { x: 172.0, y: 0.0 }, wide, 720.0);
        assert_eq!(corner, Point { x: 0.0, y: 0.0 }, "the picture's top-left");
        // A square box, as on the page: a plain scale.
        let page = to_canvas(Point { x: 300.0, y: 150.0 }, (600.0, 600.0), 720.0);
        assert_eq!(page, Point { x: 360.0, y: 180.0 });
        assert_eq!(shown_square(300.0, 500.0).0, 300.0);
    }

    #[test]
    fn nearest_finds_the_clicked_node_within_reach() {
        let points = [Point { x: 0.0, y: 0.0 }, Point { x: 10.0, y: 0.0 }];
        assert_eq!(nearest(&points, Point { x: 8.0, y: 1.0 }, 3.0), Some(1));
        assert_eq!(nearest(&points, Point { x: 5.0, y: 5.0 }, 3.0), None);
    }

    #[test]
    fn progress_runs_from_zero_to_one_and_clamps() {
        assert_eq!(progress(100.0, 200.0, 100.0), 0.0);
        assert_eq!(progress(100.0, 200.0, 150.0), 0.5);
        assert_eq!(progress(100.0, 200.0, 250.0), 1.0);
        assert_eq!(progress(100.0, 200.0, 50.0), 0.0);
        assert_eq!(progress(100.0, 100.0, 100.0), 1.0, "zero latency");
    }

    #[test]
    fn lerp_and_radius() {
        let a = Point { x: 0.0, y: 0.0 };
        let b = Point { x: 10.0, y: -4.0 };
        assert_eq!(a.lerp(b, 0.5), Point { x: 5.0, y: -2.0 });
        assert_eq!(node_radius(3, 720.0, 720.0, 1.0), 14.0);
        assert_eq!(
            node_radius(3, 720.0, 720.0, 1.5),
            21.0,
            "a small figure's nodes"
        );
        assert_eq!(node_radius(100_000, 720.0, 720.0, 1.5), 1.5);
    }
}
