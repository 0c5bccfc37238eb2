//! Rendering the flat page: one pass that maps each output pixel back into the source through
//! the page's homography, samples it bilinearly, divides out the paper's illumination and
//! applies the tone curve that takes the paper to white. One pass means one full-resolution
//! buffer: the output page itself.

use crate::geometry::Homography;
use crate::raster::{Raster, histogram, percentile};

/// The brightness of bare paper across the page, per channel, on a coarse grid that spans the
/// output page. Shadows, vignetting and tinted paper are what it captures; ink is not, because
/// each grid cell takes the brightest values near it and ink is darker than its paper.
#[derive(Debug, Clone)]
pub struct Background {
    width: usize,
    height: usize,
    channels: usize,
    /// Paper level per cell and channel, never below 1.
    levels: Vec<f32>,
}

impl Background {
    /// Flat white paper: rendering with it applies only the tone curve.
    pub fn flat(channels: usize) -> Self {
        Self {
            width: 1,
            height: 1,
            channels,
            levels: vec![255.0; channels],
        }
    }

    /// Estimates the paper level of a small rendering of the page (about 100 dpi).
    pub fn estimate(page: &Raster) -> Self {
        let ch = usize::from(page.channels());
        let (w, h) = (page.width() as usize, page.height() as usize);
        let cell = (w.min(h) / 48).max(4);
        let (gw, gh) = (w.div_ceil(cell), h.div_ceil(cell));
        // Block maximum of a lightly blurred page: a single hot pixel cannot become paper.
        let mut grid = vec![0f32; gw * gh * ch];
        let data = page.data();
        for y in 0..h {
            let y0 = y.saturating_sub(1);
            let y1 = (y + 1).min(h - 1);
            for x in 0..w {
                let x0 = x.saturating_sub(1);
                let x1 = (x + 1).min(w - 1);
                let g = ((y / cell) * gw + x / cell) * ch;
                for c in 0..ch {
                    let at = |xx: usize, yy: usize| u32::from(data[(yy * w + xx) * ch + c]);
                    let v =
                        (at(x0, y) + at(x1, y) + at(x, y0) + at(x, y1) + 4 * at(x, y)) as f32 / 8.0;
                    if v > grid[g + c] {
                        grid[g + c] = v;
                    }
                }
            }
        }
        // Cells wholly inside large dark marks (headings, stamps, table fills) take the paper
        // level of their neighbours; then smoothing makes the field follow light, not text.
        let grid = max_filter(&grid, gw, gh, ch, 2);
        let grid = box_filter(&box_filter(&grid, gw, gh, ch, 2), gw, gh, ch, 2);
        let mut levels = grid;
        // Paper is never taken to be darker than half of the page's typical paper level: a
        // large dark picture stays dark instead of being "flattened" to white.
        for c in 0..ch {
            let mut channel: Vec<f32> = levels.iter().skip(c).step_by(ch).copied().collect();
            channel.sort_by(f32::total_cmp);
            let typical = channel[channel.len() * 9 / 10];
            let floor = (typical * 0.5).max(1.0);
            for v in levels.iter_mut().skip(c).step_by(ch) {
                *v = v.max(floor);
            }
        }
        Self {
            width: gw,
            height: gh,
            channels: ch,
            levels,
        }
    }

    /// The darkest paper level anywhere on the page, in any channel.
    pub fn darkest(&self) -> f32 {
        self.levels.iter().copied().fold(255.0, f32::min)
    }

    /// The paper levels of one output row, per pixel and channel, as fixed-point gains
    /// (255 × 256 / level) that turn a sample into its value on white paper.
    fn row_gains(&self, v: f32, out_w: usize, gains: &mut Vec<u32>) {
        gains.clear();
        let ch = self.channels;
        let gy = (v * self.height as f32 - 0.5).clamp(0.0, (self.height - 1) as f32);
        let y0 = gy as usize;
        let y1 = (y0 + 1).min(self.height - 1);
        let ay = gy - y0 as f32;
        for u in 0..out_w {
            let s = (u as f32 + 0.5) / out_w as f32;
            let gx = (s * self.width as f32 - 0.5).clamp(0.0, (self.width - 1) as f32);
            let x0 = gx as usize;
            let x1 = (x0 + 1).min(self.width - 1);
            let ax = gx - x0 as f32;
            for c in 0..ch {
                let at = |x: usize, y: usize| self.levels[(y * self.width + x) * ch + c];
                let top = at(x0, y0) * (1.0 - ax) + at(x1, y0) * ax;
                let bottom = at(x0, y1) * (1.0 - ax) + at(x1, y1) * ax;
                let level = (top * (1.0 - ay) + bottom * ay).max(1.0);
                gains.push((255.0 * 256.0 / level) as u32);
            }
        }
    }
}

fn max_filter(grid: &[f32], w: usize, h: usize, ch: usize, r: usize) -> Vec<f32> {
    let mut out = grid.to_vec();
    for y in 0..h {
        for x in 0..w {
            for c in 0..ch {
                let mut m = 0f32;
                for yy in y.saturating_sub(r)..=(y + r).min(h - 1) {
                    for xx in x.saturating_sub(r)..=(x + r).min(w - 1) {
                        m = m.max(grid[(yy * w + xx) * ch + c]);
                    }
                }
                out[(y * w + x) * ch + c] = m;
            }
        }
    }
    out
}

fn box_filter(grid: &[f32], w: usize, h: usize, ch: usize, r: usize) -> Vec<f32> {
    let mut out = grid.to_vec();
    for y in 0..h {
        for x in 0..w {
            for c in 0..ch {
                let (mut sum, mut n) = (0f32, 0f32);
                for yy in y.saturating_sub(r)..=(y + r).min(h - 1) {
                    for xx in x.saturating_sub(r)..=(x + r).min(w - 1) {
                        sum += grid[(yy * w + xx) * ch + c];
                        n += 1.0;
                    }
                }
                out[(y * w + x) * ch + c] = sum / n;
            }
        }
    }
    out
}

/// The tone curve applied after flattening: values at or above the paper point become white
/// (the background goes to pure white, which also makes it cheap to compress), the darkest ink
/// becomes black, and what lies between is stretched linearly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ToneCurve {
    pub black: u8,
    pub white: u8,
}

impl ToneCurve {
    pub const IDENTITY: ToneCurve = ToneCurve {
        black: 0,
        white: 255,
    };

    /// Chooses the curve from the flattened page's luma: black at the darkest half percent of
    /// the page (but never so light that faint ink would be crushed into paper), white a little
    /// below the paper level.
    pub fn for_page(flat_luma: &Raster) -> Self {
        let hist = histogram(flat_luma);
        let white = 225u8;
        let black = percentile(&hist, 0.005).min(white - 90).min(110);
        Self { black, white }
    }

    pub fn table(self) -> [u8; 256] {
        let mut lut = [0u8; 256];
        let (b, w) = (f32::from(self.black), f32::from(self.white));
        for (v, out) in lut.iter_mut().enumerate() {
            let v = v as f32;
            *out = if v <= b {
                0
            } else if v >= w {
                255
            } else {
                ((v - b) / (w - b) * 255.0 + 0.5) as u8
            };
        }
        lut
    }
}

/// How a source pixel value is interpolated between samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sampling {
    /// The four neighbours, linearly.
    Bilinear,
    /// The sixteen neighbours with the Mitchell-Netravali cubic (B = C = 1/3): smooth, and
    /// without the overshoot of Catmull-Rom (whose sharpening read 1259 words on the journal
    /// page of the corpus, against bilinear's 1265, as means like those below).
    Cubic,
}

/// Pages enlarged at least this many times are sampled with the cubic. Bilinear interpolation
/// is only continuous: its slope jumps at every source pixel, so on a page enlarged three or
/// more times the contour that a threshold draws has a kink every few output pixels, while the
/// cubic's is smooth. Measured (Tesseract words, mean over renderings at 294, 297, 300, 303
/// and 306 dpi): the 65 dpi ledger form of the corpus (enlarged 4.6 times) 9.4 -> 18.8 words,
/// more at every one of the five; at 1.3-2 times the difference is within the measure's noise
/// (journal page 1265 -> 1272, customs form 159 -> 163, cheat sheet 105 -> 102) while the
/// cubic costs half as much CPU again, so those pages keep bilinear.
pub const CUBIC_ENLARGEMENT: f64 = 3.0;

impl Sampling {
    /// The sampling for a page drawn `scale` output pixels per source pixel.
    pub fn for_scale(scale: f64) -> Self {
        if scale >= CUBIC_ENLARGEMENT {
            Self::Cubic
        } else {
            Self::Bilinear
        }
    }
}

/// `x.floor()` as an integer. Without SSE4.1 (not in the x86-64 baseline that release builds
/// target) `f64::floor` is a call into libm, about a tenth of the render's time; truncation and
/// one comparison give the same for every value the render meets (finite, far inside `i64`).
fn floor(x: f64) -> i64 {
    let t = x as i64;
    if (t as f64) > x { t - 1 } else { t }
}

/// Renders the page: `out_w × out_h` pixels, where output pixel (u, v) shows the source at
/// `to_source((u + ½) / out_w, (v + ½) / out_h)`. The output has the source's channels.
pub fn render(
    source: &Raster,
    to_source: &Homography,
    out_w: u32,
    out_h: u32,
    background: &Background,
    tone: ToneCurve,
    sampling: Sampling,
) -> Raster {
    let ch = usize::from(source.channels());
    assert_eq!(
        ch, background.channels,
        "background and source channels differ"
    );
    let (ow, oh) = (out_w as usize, out_h as usize);
    let (sw, sh) = (i64::from(source.width()), i64::from(source.height()));
    let stride = source.stride();
    let src = source.data();
    let lut = tone.table();
    let m = to_source.coefficients();
    let mut out = vec![255u8; ow * oh * ch];
    let mut gains = Vec::with_capacity(ow * ch);
    let du = 1.0 / ow as f64;
    for (v, row) in out.chunks_exact_mut(ow * ch).enumerate() {
        let t = (v as f64 + 0.5) / oh as f64;
        background.row_gains(t as f32, ow, &mut gains);
        // Numerators and denominator are linear in s: step them along the row.
        let s0 = 0.5 * du;
        let mut nx = m[0] * s0 + m[1] * t + m[2];
        let mut ny = m[3] * s0 + m[4] * t + m[5];
        let mut d = m[6] * s0 + m[7] * t + m[8];
        let (sx, sy, sd) = (m[0] * du, m[3] * du, m[6] * du);
        for u in 0..ow {
            // Source position with pixel centres at +0.5, shifted to sample-index space.
            let x = nx / d - 0.5;
            let y = ny / d - 0.5;
            nx += sx;
            ny += sy;
            d += sd;
            let (x0, y0) = (floor(x), floor(y));
            let (xf, yf) = (x0 as f64, y0 as f64);
            if x0 < -1 || y0 < -1 || x0 >= sw || y0 >= sh {
                continue; // outside the source: paper, already white
            }
            if sampling == Sampling::Cubic {
                let weights = (cubic_weights(x - xf), cubic_weights(y - yf));
                for c in 0..ch {
                    let value = cubic_at(source, (x0, y0), weights, c);
                    let flat = ((value * gains[u * ch + c]) >> 8).min(255);
                    row[u * ch + c] = lut[flat as usize];
                }
                continue;
            }
            let ax = ((x - xf) * 256.0) as u32;
            let ay = ((y - yf) * 256.0) as u32;
            let inside = x0 >= 0 && y0 >= 0 && x0 + 1 < sw && y0 + 1 < sh;
            for c in 0..ch {
                let value = if inside {
                    let i = y0 as usize * stride + x0 as usize * ch + c;
                    let p00 = u32::from(src[i]);
                    let p01 = u32::from(src[i + ch]);
                    let p10 = u32::from(src[i + stride]);
                    let p11 = u32::from(src[i + stride + ch]);
                    let top = p00 * (256 - ax) + p01 * ax;
                    let bottom = p10 * (256 - ax) + p11 * ax;
                    (top * (256 - ay) + bottom * ay) >> 16
                } else {
                    let at = |xx: i64, yy: i64| -> u32 {
                        if xx < 0 || yy < 0 || xx >= sw || yy >= sh {
                            255
                        } else {
                            u32::from(src[yy as usize * stride + xx as usize * ch + c])
                        }
                    };
                    let top = at(x0, y0) * (256 - ax) + at(x0 + 1, y0) * ax;
                    let bottom = at(x0, y0 + 1) * (256 - ax) + at(x0 + 1, y0 + 1) * ax;
                    (top * (256 - ay) + bottom * ay) >> 16
                };
                let flat = ((value * gains[u * ch + c]) >> 8).min(255);
                row[u * ch + c] = lut[flat as usize];
            }
        }
    }
    if ch == 1 {
        Raster::gray(out_w, out_h, out)
    } else {
        Raster::rgb(out_w, out_h, out)
    }
}

/// Channel `c` of `source` interpolated with the cubic `(wx, wy)` weights of the 4 × 4
/// samples around `(x0, y0)`, the sample just before the position; samples outside the
/// source are paper.
fn cubic_at(
    source: &Raster,
    (x0, y0): (i64, i64),
    (wx, wy): ([f32; 4], [f32; 4]),
    c: usize,
) -> u32 {
    let (sw, sh) = (i64::from(source.width()), i64::from(source.height()));
    let (src, stride, ch) = (
        source.data(),
        source.stride(),
        usize::from(source.channels()),
    );
    let mut value = 0f32;
    if x0 >= 1 && y0 >= 1 && x0 + 2 < sw && y0 + 2 < sh {
        // The 4 × 4 neighbourhood, indexed directly.
        let corner = (y0 as usize - 1) * stride + (x0 as usize - 1) * ch + c;
        for (j, wy) in wy.iter().enumerate() {
            let r = corner + j * stride;
            let across = wx[0] * f32::from(src[r])
                + wx[1] * f32::from(src[r + ch])
                + wx[2] * f32::from(src[r + 2 * ch])
                + wx[3] * f32::from(src[r + 3 * ch]);
            value += wy * across;
        }
    } else {
        let at = |dx: i64, dy: i64| -> f32 {
            let (xx, yy) = (x0 + dx, y0 + dy);
            if xx >= 0 && yy >= 0 && xx < sw && yy < sh {
                f32::from(src[yy as usize * stride + xx as usize * ch + c])
            } else {
                255.0
            }
        };
        for (j, wy) in wy.iter().enumerate() {
            let across: f32 = wx
                .iter()
                .enumerate()
                .map(|(i, wx)| wx * at(i as i64 - 1, j as i64 - 1))
                .sum();
            value += wy * across;
        }
    }
    value.clamp(0.0, 255.0) as u32
}

/// The Mitchell-Netravali (B = C = 1/3) weights of the samples at offsets −1, 0, 1, 2 from a
/// position `f` (0 ≤ f < 1) past the second; they sum to one.
fn cubic_weights(f: f64) -> [f32; 4] {
    let (b, c) = (1.0f32 / 3.0, 1.0f32 / 3.0);
    let k = |x: f32| {
        let x = x.abs();
        let (x2, x3) = (x * x, x * x * x);
        if x < 1.0 {
            ((12.0 - 9.0 * b - 6.0 * c) * x3 + (-18.0 + 12.0 * b + 6.0 * c) * x2 + (6.0 - 2.0 * b))
                / 6.0
        } else if x < 2.0 {
            ((-b - 6.0 * c) * x3
                + (6.0 * b + 30.0 * c) * x2
                + (-12.0 * b - 48.0 * c) * x
                + (8.0 * b + 24.0 * c))
                / 6.0
        } else {
            0.0
        }
    };
    let f = f as f32;
    [k(f + 1.0), k(f), k(1.0 - f), k(2.0 - f)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_is_the_floor() {
        for x in [
            -1.5,
            -1.0,
            -0.999,
            -0.0,
            0.0,
            0.25,
            0.999_999,
            2.5,
            4_095.000_1,
            -3.000_001,
        ] {
            assert_eq!(floor(x), x.floor() as i64, "{x}");
        }
    }

    #[test]
    fn a_shadow_is_flattened_and_ink_kept() {
        // Paper that darkens from 240 on the left to 120 on the right, with a dark dot.
        let (w, h) = (200u32, 100u32);
        let mut data = Vec::new();
        for y in 0..h {
            for x in 0..w {
                let paper = 240.0 - 120.0 * f64::from(x) / f64::from(w);
                let ink = (45..55).contains(&y) && (150..160).contains(&x);
                data.push(if ink {
                    (paper * 0.2) as u8
                } else {
                    paper as u8
                });
            }
        }
        let page = Raster::gray(w, h, data);
        let bg = Background::estimate(&page);
        let unit = Homography::unit_square_rotated(f64::from(w), f64::from(h), 0.0);
        let flat = render(
            &page,
            &unit,
            w,
            h,
            &bg,
            ToneCurve::for_page(&page),
            Sampling::Bilinear,
        );
        let at = |x: u32, y: u32| flat.data()[(y * w + x) as usize];
        assert_eq!(at(10, 10), 255, "bright paper is white");
        assert_eq!(at(190, 90), 255, "shadowed paper is white too");
        assert!(
            at(155, 50) < 80,
            "ink in the shadow stays dark: {}",
            at(155, 50)
        );
    }

    #[test]
    fn tone_curve_sends_paper_to_white_and_ink_to_black() {
        let lut = ToneCurve {
            black: 40,
            white: 220,
        }
        .table();
        assert_eq!(lut[30], 0);
        assert_eq!(lut[230], 255);
        assert!(lut[130] > 100 && lut[130] < 160);
    }

    #[test]
    fn only_pages_enlarged_three_times_or_more_get_the_cubic() {
        assert_eq!(Sampling::for_scale(4.6), Sampling::Cubic);
        assert_eq!(Sampling::for_scale(3.0), Sampling::Cubic);
        assert_eq!(Sampling::for_scale(2.0), Sampling::Bilinear);
        assert_eq!(Sampling::for_scale(0.5), Sampling::Bilinear);
        for f in [0.0, 0.25, 0.5, 0.9] {
            let sum: f32 = cubic_weights(f).iter().sum();
            assert!((sum - 1.0).abs() < 1e-5, "weights at {f} sum to {sum}");
        }
        // A dot of ink two pixels wide enlarged four times: solid in its middle, paper white
        // away from it (no ringing), and a smooth falloff in between.
        let mut data = vec![255u8; 10 * 10];
        for (x, y) in [(4, 4), (5, 4), (4, 5), (5, 5)] {
            data[y * 10 + x] = 0;
        }
        let dot = Raster::gray(10, 10, data);
        let unit = Homography::unit_square_rotated(10.0, 10.0, 0.0);
        let out = render(
            &dot,
            &unit,
            40,
            40,
            &Background::flat(1),
            ToneCurve::IDENTITY,
            Sampling::Cubic,
        );
        let at = |x: usize, y: usize| out.data()[y * 40 + x];
        assert!(at(20, 20) < 20, "middle {}", at(20, 20));
        assert_eq!((at(2, 2), at(37, 20), at(20, 37)), (255, 255, 255));
        let across: Vec<u8> = (20..30).map(|x| at(x, 20)).collect();
        assert!(across.windows(2).all(|p| p[0] <= p[1]), "{across:?}");
    }

    #[test]
    fn outside_the_source_is_white() {
        let page = Raster::gray(10, 10, vec![0; 100]);
        // Map the output onto a region twice the size of the source.
        let h = Homography::unit_square_rotated(20.0, 20.0, 0.0);
        let out = render(
            &page,
            &h,
            20,
            20,
            &Background::flat(1),
            ToneCurve::IDENTITY,
            Sampling::Bilinear,
        );
        assert_eq!(out.data()[0], 0);
        assert_eq!(out.data()[19 * 20 + 19], 255);
    }
}
