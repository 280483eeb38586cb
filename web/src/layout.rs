//! Where each node sits on the canvas. Pure geometry, no web types, so it is tested
//! natively.

use core::f64::consts::TAU;

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
pub fn place(tokens: &[Option<u64>], layout: Layout, width: f64, height: f64) -> Vec<Point> {
    let (cx, cy) = (width / 2.0, height / 2.0);
    match layout {
        Layout::Ring => {
            let radius = ring_radius(width, height);
            tokens
                .iter()
                .map(|token| on_circle(token_angle(token.unwrap_or(0)), radius, width, height))
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

/// A node's radius in pixels: big enough to click when few, small enough not to
/// overlap when many.
pub fn node_radius(n: usize, width: f64, height: f64) -> f64 {
    let circumference = TAU * ring_radius(width, height);
    (circumference / n.max(1) as f64 * 0.35).clamp(1.5, 14.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_places_nodes_by_token_clockwise_from_the_top() {
        let quarter = 1u64 << 62;
        let points = place(&[Some(0), Some(quarter), None], Layout::Ring, 200.0, 100.0);
        assert!((points[0].x - 100.0).abs() < 1e-9);
        assert!((points[0].y - (50.0 - 42.0)).abs() < 1e-9);
        assert!(
            (points[1].x - 142.0).abs() < 1e-9,
            "a quarter turn is at three o'clock"
        );
        assert_eq!(points[2], points[0]);
        for p in place(&[Some(u64::MAX); 5], Layout::Ring, 200.0, 100.0) {
            assert!((0.0..=200.0).contains(&p.x) && (0.0..=100.0).contains(&p.y));
        }
    }

    #[test]
    fn grid_keeps_every_node_apart_and_inside() {
        let points = place(&[None; 10], Layout::Grid, 100.0, 100.0);
        assert_eq!(points.len(), 10);
        for (i, a) in points.iter().enumerate() {
            assert!((0.0..=100.0).contains(&a.x) && (0.0..=100.0).contains(&a.y));
            assert!(points[i + 1..].iter().all(|b| a != b));
        }
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
        assert_eq!(node_radius(3, 720.0, 720.0), 14.0);
        assert_eq!(node_radius(100_000, 720.0, 720.0), 1.5);
    }
}
