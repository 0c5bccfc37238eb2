//! Plane geometry for pages: points, quadrilaterals and the projective map (homography)
//! from the flat output page to the source image.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub fn new(x: f64, y: f64) -> Self {
        Self { x, y }
    }

    pub fn distance(self, other: Point) -> f64 {
        (self.x - other.x).hypot(self.y - other.y)
    }
}

/// Twice the signed area of the triangle a, b, c (positive when counter-clockwise in a
/// y-down image frame means clockwise on screen; only the magnitude and sign change matter).
pub fn cross(a: Point, b: Point, c: Point) -> f64 {
    (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
}

/// Area of a simple polygon (shoelace formula).
pub fn polygon_area(points: &[Point]) -> f64 {
    let n = points.len();
    let mut twice = 0.0;
    for i in 0..n {
        let (a, b) = (points[i], points[(i + 1) % n]);
        twice += a.x * b.y - b.x * a.y;
    }
    twice.abs() / 2.0
}

/// Convex hull by Andrew's monotone chain; returns the hull in order, without repeats.
pub fn convex_hull(mut points: Vec<Point>) -> Vec<Point> {
    points.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    points.dedup();
    if points.len() < 3 {
        return points;
    }
    let mut hull: Vec<Point> = Vec::with_capacity(points.len() * 2);
    for pass in 0..2 {
        let start = hull.len();
        let iter: Box<dyn Iterator<Item = &Point>> = if pass == 0 {
            Box::new(points.iter())
        } else {
            Box::new(points.iter().rev())
        };
        for &p in iter {
            while hull.len() >= start + 2
                && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0
            {
                hull.pop();
            }
            hull.push(p);
        }
        hull.pop();
    }
    hull
}

/// A page outline: corners in the order top-left, top-right, bottom-right, bottom-left.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quad(pub [Point; 4]);

impl Quad {
    /// Orders four corners: top-left has the smallest x+y, bottom-right the largest,
    /// top-right the largest x−y, bottom-left the smallest.
    pub fn from_corners(points: [Point; 4]) -> Self {
        let by = |key: &dyn Fn(&Point) -> f64, max: bool| {
            let mut best = points[0];
            for p in points {
                if (max && key(&p) > key(&best)) || (!max && key(&p) < key(&best)) {
                    best = p;
                }
            }
            best
        };
        let tl = by(&|p| p.x + p.y, false);
        let br = by(&|p| p.x + p.y, true);
        let tr = by(&|p| p.x - p.y, true);
        let bl = by(&|p| p.x - p.y, false);
        Quad([tl, tr, br, bl])
    }

    pub fn scaled(self, s: f64) -> Self {
        Quad(self.0.map(|p| Point::new(p.x * s, p.y * s)))
    }

    /// Mean width and height of the outline, in source pixels.
    pub fn size(self) -> (f64, f64) {
        let [tl, tr, br, bl] = self.0;
        (
            f64::midpoint(tl.distance(tr), bl.distance(br)),
            f64::midpoint(tl.distance(bl), tr.distance(br)),
        )
    }

    pub fn area(self) -> f64 {
        polygon_area(&self.0)
    }

    pub fn is_convex(self) -> bool {
        let p = self.0;
        let signs: Vec<bool> = (0..4)
            .map(|i| cross(p[i], p[(i + 1) % 4], p[(i + 2) % 4]) > 0.0)
            .collect();
        signs.iter().all(|&s| s) || signs.iter().all(|&s| !s)
    }
}

/// A projective map of the plane, `m` row-major with m[8] = 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Homography {
    m: [f64; 9],
}

impl Homography {
    /// The map that takes the unit square's corners (0,0), (1,0), (1,1), (0,1) to the quad's
    /// corners in order. `None` when the quad is degenerate (three corners on a line).
    pub fn unit_square_to(quad: Quad) -> Option<Self> {
        let dst = quad.0;
        let src = [
            Point::new(0.0, 0.0),
            Point::new(1.0, 0.0),
            Point::new(1.0, 1.0),
            Point::new(0.0, 1.0),
        ];
        // Eight equations in the eight unknowns h0..h7.
        let mut a = [[0.0f64; 9]; 8];
        for i in 0..4 {
            let (x, y) = (src[i].x, src[i].y);
            let (u, v) = (dst[i].x, dst[i].y);
            a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
            a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
        }
        let h = solve8(a)?;
        Some(Self {
            m: [h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1.0],
        })
    }

    /// The map from the unit square onto a `w × h` rectangle rotated by `degrees` about the
    /// centre of a `w × h` source: the deskew of a full-frame scan.
    pub fn unit_square_rotated(w: f64, h: f64, degrees: f64) -> Self {
        let (s, c) = degrees.to_radians().sin_cos();
        // (u, v) in the unit square -> centred page coordinates -> rotate -> source.
        let (cx, cy) = (w / 2.0, h / 2.0);
        Self {
            m: [
                c * w,
                -s * h,
                cx - c * cx + s * cy,
                s * w,
                c * h,
                cy - s * cx - c * cy,
                0.0,
                0.0,
                1.0,
            ],
        }
    }

    /// The same map followed by a uniform scale of the target (source pixels × s).
    #[must_use]
    pub fn then_scale(self, s: f64) -> Self {
        let mut m = self.m;
        for v in &mut m[0..6] {
            *v *= s;
        }
        Self { m }
    }

    /// The same map followed by a shift of the target by `(dx, dy)` source pixels.
    #[must_use]
    pub fn then_shift(self, dx: f64, dy: f64) -> Self {
        let mut m = self.m;
        for i in 0..3 {
            m[i] += dx * m[6 + i];
            m[3 + i] += dy * m[6 + i];
        }
        Self { m }
    }

    #[cfg(test)]
    pub fn apply(&self, x: f64, y: f64) -> Point {
        let m = &self.m;
        let d = m[6] * x + m[7] * y + m[8];
        Point::new(
            (m[0] * x + m[1] * y + m[2]) / d,
            (m[3] * x + m[4] * y + m[5]) / d,
        )
    }

    pub fn coefficients(&self) -> [f64; 9] {
        self.m
    }
}

/// Gauss–Jordan elimination with partial pivoting on an 8×9 augmented matrix.
fn solve8(mut a: [[f64; 9]; 8]) -> Option<[f64; 8]> {
    for col in 0..8 {
        let pivot = (col..8).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        let p = a[col][col];
        for v in &mut a[col] {
            *v /= p;
        }
        for row in 0..8 {
            if row != col {
                let f = a[row][col];
                if f != 0.0 {
                    let pivot_row = a[col];
                    for (v, p) in a[row].iter_mut().zip(pivot_row) {
                        *v -= f * p;
                    }
                }
            }
        }
    }
    let mut x = [0.0; 8];
    for (i, v) in x.iter_mut().enumerate() {
        *v = a[i][8];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Point, b: Point) -> bool {
        a.distance(b) < 1e-6
    }

    #[test]
    fn homography_maps_unit_corners_to_the_quad() {
        let quad = Quad([
            Point::new(10.0, 20.0),
            Point::new(300.0, 5.0),
            Point::new(320.0, 400.0),
            Point::new(0.0, 390.0),
        ]);
        let h = Homography::unit_square_to(quad).expect("a proper quad");
        assert!(close(h.apply(0.0, 0.0), quad.0[0]));
        assert!(close(h.apply(1.0, 0.0), quad.0[1]));
        assert!(close(h.apply(1.0, 1.0), quad.0[2]));
        assert!(close(h.apply(0.0, 1.0), quad.0[3]));
    }

    #[test]
    fn degenerate_quads_have_no_homography() {
        let p = Point::new(1.0, 1.0);
        let line = Quad([
            p,
            Point::new(2.0, 2.0),
            Point::new(3.0, 3.0),
            Point::new(4.0, 4.0),
        ]);
        assert!(Homography::unit_square_to(line).is_none());
    }

    #[test]
    fn zero_rotation_is_a_plain_scale() {
        let h = Homography::unit_square_rotated(200.0, 100.0, 0.0);
        assert!(close(h.apply(1.0, 1.0), Point::new(200.0, 100.0)));
        let r = Homography::unit_square_rotated(200.0, 100.0, 90.0);
        // The centre stays put under rotation.
        assert!(close(r.apply(0.5, 0.5), Point::new(100.0, 50.0)));
    }

    #[test]
    fn a_shift_moves_the_target_also_under_perspective() {
        let window = Homography::unit_square_rotated(80.0, 60.0, 0.0).then_shift(35.0, 5.0);
        assert!(close(window.apply(0.0, 0.0), Point::new(35.0, 5.0)));
        assert!(close(window.apply(1.0, 1.0), Point::new(115.0, 65.0)));
        let quad = Quad::from_corners([
            Point::new(10.0, 20.0),
            Point::new(90.0, 10.0),
            Point::new(100.0, 90.0),
            Point::new(0.0, 80.0),
        ]);
        let h = Homography::unit_square_to(quad).expect("a quad");
        let shifted = h.then_shift(-3.0, 7.0);
        for (u, v) in [(0.0, 0.0), (0.3, 0.8), (1.0, 1.0)] {
            let (p, q) = (h.apply(u, v), shifted.apply(u, v));
            assert!(close(q, Point::new(p.x - 3.0, p.y + 7.0)));
        }
    }

    #[test]
    fn hull_and_corner_order() {
        let pts = vec![
            Point::new(0.0, 0.0),
            Point::new(10.0, 0.0),
            Point::new(5.0, 5.0),
            Point::new(10.0, 10.0),
            Point::new(0.0, 10.0),
        ];
        let hull = convex_hull(pts);
        assert_eq!(hull.len(), 4);
        assert!((polygon_area(&hull) - 100.0).abs() < 1e-9);
        let q = Quad::from_corners([hull[0], hull[1], hull[2], hull[3]]);
        assert_eq!(q.0[0], Point::new(0.0, 0.0));
        assert_eq!(q.0[2], Point::new(10.0, 10.0));
        assert!(q.is_convex());
    }
}
