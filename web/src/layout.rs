//! Where each node sits on the canvas. Pure geometry, no web types, so it is tested
//! natively.

use core::f64::consts::TAU;

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

/// `n` points evenly spaced on a circle that fills a `width` × `height` canvas, the
/// first at twelve o'clock, going clockwise: the picture of a hash ring.
pub fn ring(n: usize, width: f64, height: f64) -> Vec<Point> {
    let radius = 0.42 * width.min(height);
    let (cx, cy) = (width / 2.0, height / 2.0);
    (0..n)
        .map(|i| {
            let angle = TAU * i as f64 / n as f64 - TAU / 4.0;
            Point {
                x: cx + radius * angle.cos(),
                y: cy + radius * angle.sin(),
            }
        })
        .collect()
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
    let circumference = TAU * 0.42 * width.min(height);
    (circumference / n.max(1) as f64 * 0.35).clamp(1.5, 14.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_starts_at_the_top_and_stays_inside_the_canvas() {
        let points = ring(4, 200.0, 100.0);
        assert_eq!(points.len(), 4);
        assert!((points[0].x - 100.0).abs() < 1e-9);
        assert!((points[0].y - (50.0 - 42.0)).abs() < 1e-9);
        assert!(
            points[1].x > 100.0,
            "second node is clockwise, to the right"
        );
        for p in ring(97, 200.0, 100.0) {
            assert!((0.0..=200.0).contains(&p.x) && (0.0..=100.0).contains(&p.y));
        }
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
