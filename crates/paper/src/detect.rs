//! Finding the page in a downscaled copy of the source: the sheet's outline in a photo, or the
//! skew of the text in a scan that is all page. Everything here runs on an image of about
//! 1000 pixels a side, so it costs milliseconds whatever the camera.

use serde::Serialize;

use crate::geometry::{Point, Quad, convex_hull, cross, polygon_area};
use crate::raster::{Raster, histogram, otsu};

/// What was found in the frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PageOutline {
    /// The sheet's outline, in the coordinates of the image it was found in.
    Sheet {
        quad: Quad,
        /// A corner of the sheet lies on the frame's edge: part of the page may be cut off.
        corner_at_frame_edge: bool,
    },
    /// The page fills the frame (a scan, or a photo taken close): nothing is cropped.
    FullFrame,
}

/// Finds the sheet of paper in a gray image: the largest bright region, if it is shaped like a
/// quadrilateral and covers a fair part of the frame. Anything less certain is `FullFrame`,
/// because cropping a page wrongly would lose content, while not cropping loses nothing.
pub fn find_page(gray: &Raster) -> PageOutline {
    let (w, h) = (gray.width() as usize, gray.height() as usize);
    if w < 16 || h < 16 {
        return PageOutline::FullFrame;
    }
    let blurred = box_blur(gray, 2);
    let t = otsu(&histogram(&blurred));
    let mask: Vec<bool> = blurred.data().iter().map(|&v| v > t).collect();
    let Some(component) = largest_component(&mask, w, h) else {
        return PageOutline::FullFrame;
    };
    let frame_area = (w * h) as f64;
    let area = component.pixels as f64;
    if area < 0.15 * frame_area || area > 0.92 * frame_area {
        return PageOutline::FullFrame;
    }
    // A region that runs along most of three frame edges is a page filling the frame with
    // background showing at one side, not a sheet lying in the picture.
    let long_edges = component
        .edge_run
        .iter()
        .zip([w, w, h, h])
        .filter(|&(&run, len)| run as f64 > 0.6 * len as f64)
        .count();
    if long_edges >= 3 {
        return PageOutline::FullFrame;
    }
    let hull = convex_hull(component.boundary.clone());
    let Some(quad) = reduce_to_quad(&hull, &component.boundary) else {
        return PageOutline::FullFrame;
    };
    let hull_area = polygon_area(&hull);
    let quad_area = quad.area();
    // The region must be shaped like a sheet: it fills most of its hull, and four corners
    // describe the hull well.
    if !quad.is_convex() || area < 0.8 * hull_area || quad_area < 0.9 * hull_area {
        return PageOutline::FullFrame;
    }
    let margin = 2.0;
    let corner_at_frame_edge = quad.0.iter().any(|p| {
        p.x <= margin || p.y <= margin || p.x >= w as f64 - margin || p.y >= h as f64 - margin
    });
    PageOutline::Sheet {
        quad,
        corner_at_frame_edge,
    }
}

struct Component {
    pixels: usize,
    /// Outer pixel corners of the component: the ends of each row and each column it spans.
    boundary: Vec<Point>,
    /// Pixels on the top, bottom, left and right frame edges.
    edge_run: [usize; 4],
}

/// The largest 4-connected region of `true` pixels, found with an explicit stack.
fn largest_component(mask: &[bool], w: usize, h: usize) -> Option<Component> {
    let mut label = vec![0u32; w * h];
    let mut best: Option<(u32, usize)> = None;
    let mut next = 0u32;
    let mut stack = Vec::new();
    for start in 0..w * h {
        if !mask[start] || label[start] != 0 {
            continue;
        }
        next += 1;
        let mut count = 0usize;
        label[start] = next;
        stack.push(start);
        while let Some(i) = stack.pop() {
            count += 1;
            let (x, y) = (i % w, i / w);
            let mut visit = |j: usize| {
                if mask[j] && label[j] == 0 {
                    label[j] = next;
                    stack.push(j);
                }
            };
            if x > 0 {
                visit(i - 1);
            }
            if x + 1 < w {
                visit(i + 1);
            }
            if y > 0 {
                visit(i - w);
            }
            if y + 1 < h {
                visit(i + w);
            }
        }
        if best.is_none_or(|(_, c)| count > c) {
            best = Some((next, count));
        }
    }
    let (id, pixels) = best?;
    let mut boundary = Vec::new();
    let mut edge_run = [0usize; 4];
    for y in 0..h {
        let row = &label[y * w..(y + 1) * w];
        if let (Some(l), Some(r)) = (
            row.iter().position(|&v| v == id),
            row.iter().rposition(|&v| v == id),
        ) {
            boundary.push(Point::new(l as f64, y as f64));
            boundary.push(Point::new((r + 1) as f64, y as f64));
            boundary.push(Point::new(l as f64, (y + 1) as f64));
            boundary.push(Point::new((r + 1) as f64, (y + 1) as f64));
        }
        if row[0] == id {
            edge_run[2] += 1;
        }
        if row[w - 1] == id {
            edge_run[3] += 1;
        }
    }
    for x in 0..w {
        let column = || (0..h).map(|y| label[y * w + x]);
        if let (Some(t), Some(b)) = (
            column().position(|v| v == id),
            column().collect::<Vec<_>>().iter().rposition(|&v| v == id),
        ) {
            boundary.push(Point::new(x as f64, t as f64));
            boundary.push(Point::new((x + 1) as f64, t as f64));
            boundary.push(Point::new(x as f64, (b + 1) as f64));
            boundary.push(Point::new((x + 1) as f64, (b + 1) as f64));
        }
    }
    edge_run[0] = label[..w].iter().filter(|&&v| v == id).count();
    edge_run[1] = label[(h - 1) * w..].iter().filter(|&&v| v == id).count();
    Some(Component {
        pixels,
        boundary,
        edge_run,
    })
}

/// Simplifies a convex hull to four corners by dropping, one at a time, the vertex whose
/// removal loses the least area; then moves each corner to where its two neighbouring sides,
/// fitted as lines through the outline points along them, meet. The second step undoes the
/// corner-cutting of the first on pages whose corners are rounded or dog-eared.
fn reduce_to_quad(hull: &[Point], outline: &[Point]) -> Option<Quad> {
    if hull.len() < 4 {
        return None;
    }
    let mut poly: Vec<Point> = hull.to_vec();
    while poly.len() > 4 {
        let n = poly.len();
        let (idx, _) = (0..n)
            .map(|i| {
                let a = poly[(i + n - 1) % n];
                let c = poly[(i + 1) % n];
                (i, cross(a, poly[i], c).abs())
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))?;
        poly.remove(idx);
    }
    let rough = Quad::from_corners([poly[0], poly[1], poly[2], poly[3]]);
    Some(refine_corners(rough, outline).unwrap_or(rough))
}

/// Fits a line to the outline points near each side of `quad` and intersects neighbouring lines.
fn refine_corners(quad: Quad, outline: &[Point]) -> Option<Quad> {
    let c = quad.0;
    let mut lines = Vec::with_capacity(4);
    for i in 0..4 {
        let (a, b) = (c[i], c[(i + 1) % 4]);
        let len = a.distance(b);
        let tolerance = (len * 0.02).max(2.0);
        let near: Vec<Point> = outline
            .iter()
            .copied()
            .filter(|&p| {
                let d = cross(a, b, p).abs() / len;
                let t = ((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / (len * len);
                d <= tolerance && (0.1..=0.9).contains(&t)
            })
            .collect();
        lines.push(if near.len() >= 2 {
            fit_line(&near)?
        } else {
            line_through(a, b)
        });
    }
    let mut out = [Point::new(0.0, 0.0); 4];
    for i in 0..4 {
        // Corner i is where side i-1 (ending at it) meets side i (starting at it).
        out[i] = intersect(lines[(i + 3) % 4], lines[i])?;
        // A refined corner that moved far from the rough one is a bad fit: keep the rough one.
        if out[i].distance(c[i]) > 0.1 * quad.size().0.min(quad.size().1) {
            out[i] = c[i];
        }
    }
    Some(Quad(out))
}

/// A line as (point, unit direction).
type Line = (Point, Point);

fn line_through(a: Point, b: Point) -> Line {
    let len = a.distance(b).max(1e-9);
    (a, Point::new((b.x - a.x) / len, (b.y - a.y) / len))
}

/// Total least squares line through points: the principal axis of their scatter.
fn fit_line(points: &[Point]) -> Option<Line> {
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.x).sum::<f64>() / n;
    let my = points.iter().map(|p| p.y).sum::<f64>() / n;
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for p in points {
        let (dx, dy) = (p.x - mx, p.y - my);
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    let angle = 0.5 * (2.0 * sxy).atan2(sxx - syy);
    let dir = Point::new(angle.cos(), angle.sin());
    (dir.x.is_finite() && dir.y.is_finite()).then_some((Point::new(mx, my), dir))
}

fn intersect((p, d): Line, (q, e): Line) -> Option<Point> {
    let denom = d.x * e.y - d.y * e.x;
    if denom.abs() < 1e-9 {
        return None;
    }
    let t = ((q.x - p.x) * e.y - (q.y - p.y) * e.x) / denom;
    Some(Point::new(p.x + t * d.x, p.y + t * d.y))
}

/// A separable box blur of radius `r`, edges clamped.
pub fn box_blur(gray: &Raster, r: usize) -> Raster {
    let (w, h) = (gray.width() as usize, gray.height() as usize);
    let src = gray.data();
    let mut tmp = vec![0u8; w * h];
    let n = (2 * r + 1) as u32;
    for y in 0..h {
        let row = &src[y * w..(y + 1) * w];
        let at = |x: isize| u32::from(row[x.clamp(0, w as isize - 1) as usize]);
        let mut sum: u32 = (-(r as isize)..=r as isize).map(at).sum();
        for x in 0..w {
            tmp[y * w + x] = (sum / n) as u8;
            sum += at(x as isize + r as isize + 1);
            sum -= at(x as isize - r as isize);
        }
    }
    let mut out = vec![0u8; w * h];
    for x in 0..w {
        let at = |y: isize| u32::from(tmp[y.clamp(0, h as isize - 1) as usize * w + x]);
        let mut sum: u32 = (-(r as isize)..=r as isize).map(at).sum();
        for y in 0..h {
            out[y * w + x] = (sum / n) as u8;
            sum += at(y as isize + r as isize + 1);
            sum -= at(y as isize - r as isize);
        }
    }
    Raster::gray(w as u32, h as u32, out)
}

/// The angle, in degrees (y down, clockwise positive), by which text lines in a gray page slope;
/// zero when there is too little text to tell. Searches ±5° for the rotation under which the
/// rows of dark pixels are most sharply concentrated (the projection-profile method).
pub fn skew_angle(gray: &Raster) -> f64 {
    let (w, h) = (gray.width() as usize, gray.height() as usize);
    let t = otsu(&histogram(gray)).min(160);
    let mut ink: Vec<(f64, f64)> = Vec::new();
    for y in 0..h {
        for x in 0..w {
            if gray.data()[y * w + x] <= t {
                ink.push((x as f64 - w as f64 / 2.0, y as f64 - h as f64 / 2.0));
            }
        }
    }
    // Too little ink, or so much that it is a picture rather than text.
    if ink.len() < 200 || ink.len() > w * h / 3 {
        return 0.0;
    }
    let bins = h * 2 + w;
    let score = |deg: f64| -> f64 {
        let (s, c) = deg.to_radians().sin_cos();
        let mut hist = vec![0u32; bins];
        for &(x, y) in &ink {
            let r = y * c - x * s + bins as f64 / 2.0;
            if r >= 0.0 && (r as usize) < bins {
                hist[r as usize] += 1;
            }
        }
        hist.iter().map(|&v| f64::from(v) * f64::from(v)).sum()
    };
    let search = |from: f64, to: f64, step: f64| -> (f64, f64) {
        let mut best = (0.0, f64::MIN);
        let mut a = from;
        while a <= to + 1e-9 {
            let s = score(a);
            if s > best.1 {
                best = (a, s);
            }
            a += step;
        }
        best
    };
    let (coarse, _) = search(-5.0, 5.0, 0.5);
    let (fine, best) = search(coarse - 0.5, coarse + 0.5, 0.1);
    // A clear peak only: a page whose profile barely changes with angle has no text lines.
    let level = score(0.0);
    if best < level * 1.02 { 0.0 } else { fine }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet_on_table(w: u32, h: u32, corners: [Point; 4]) -> Raster {
        let quad = Quad(corners);
        let mut data = vec![40u8; (w * h) as usize];
        for y in 0..h {
            for x in 0..w {
                let p = Point::new(f64::from(x) + 0.5, f64::from(y) + 0.5);
                // Distance inside each edge; text keeps a margin of 15 pixels.
                let depth = (0..4)
                    .map(|i| {
                        let (a, b) = (quad.0[i], quad.0[(i + 1) % 4]);
                        cross(a, b, p) / a.distance(b)
                    })
                    .fold(f64::MAX, f64::min);
                if depth >= 0.0 {
                    let text = depth > 15.0 && y % 20 < 3 && x % 7 < 5;
                    data[(y * w + x) as usize] = if text { 30 } else { 230 };
                }
            }
        }
        Raster::gray(w, h, data)
    }

    #[test]
    fn finds_a_tilted_sheet() {
        let corners = [
            Point::new(60.0, 40.0),
            Point::new(330.0, 70.0),
            Point::new(310.0, 460.0),
            Point::new(40.0, 430.0),
        ];
        let img = sheet_on_table(400, 500, corners);
        let PageOutline::Sheet {
            quad,
            corner_at_frame_edge,
        } = find_page(&img)
        else {
            panic!("the sheet was not found");
        };
        assert!(!corner_at_frame_edge);
        for (found, want) in quad.0.iter().zip(corners) {
            assert!(found.distance(want) < 6.0, "{found:?} vs {want:?}");
        }
    }

    #[test]
    fn a_page_filling_the_frame_is_not_cropped() {
        let img = sheet_on_table(
            300,
            400,
            [
                Point::new(0.0, 0.0),
                Point::new(300.0, 0.0),
                Point::new(300.0, 400.0),
                Point::new(0.0, 400.0),
            ],
        );
        assert_eq!(find_page(&img), PageOutline::FullFrame);
    }

    #[test]
    fn measures_the_skew_of_text_lines() {
        let (w, h) = (600u32, 400u32);
        let slope = 2.0f64.to_radians().tan();
        let mut data = vec![255u8; (w * h) as usize];
        for line in 0..12 {
            for x in 50..550u32 {
                let y = 40.0 + f64::from(line) * 28.0 + f64::from(x) * slope;
                for dy in 0..4 {
                    let yy = y as u32 + dy;
                    if yy < h && x % 9 < 6 {
                        data[(yy * w + x) as usize] = 0;
                    }
                }
            }
        }
        let angle = skew_angle(&Raster::gray(w, h, data));
        assert!((angle - 2.0).abs() <= 0.15, "found {angle}");
    }

    #[test]
    fn blank_pages_have_no_skew() {
        assert!(skew_angle(&Raster::white(300, 300, 1)).abs() < f64::EPSILON);
    }
}
