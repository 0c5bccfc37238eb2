//! Local-threshold binarization (Sauvola): a pixel is ink when it is darker than its
//! neighbourhood's mean, lowered in proportion to how flat that neighbourhood is. The window
//! sums come from running column sums, the streaming form of an integral image: memory is
//! two rows of counters, and each pixel costs a constant number of additions.

use crate::raster::{Raster, percentile};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sauvola {
    /// Half the window side, in pixels.
    pub radius: usize,
    /// Sensitivity: larger keeps less faint ink.
    pub k: f32,
    /// The dynamic range of the standard deviation.
    pub range: f32,
    /// At or above this value a pixel is paper whatever its neighbourhood (the page has been
    /// flattened and its paper taken to white before this step).
    pub paper: u8,
    /// Below this value a pixel is ink whatever its neighbourhood: the inside of a large solid
    /// mark has a flat neighbourhood and would otherwise come out hollow.
    pub ink: u8,
}

impl Sauvola {
    /// Parameters for a page at `dpi`: a window of about 3.5 mm, a little more than the height
    /// of a lower-case letter in 10 pt type.
    pub fn for_dpi(dpi: u32) -> Self {
        Self {
            radius: (dpi as usize * 7 / 100).max(5),
            k: 0.2,
            range: 128.0,
            paper: 235,
            ink: 60,
        }
    }

    /// Parameters for a page at `dpi` whose ink shows `ink_contrast` against its paper (see
    /// [`ink_contrast`]). Faint ink (pencil, a washed-out copy) gets half the sensitivity: with
    /// k = 0.2 the threshold of a window on faint strokes falls below their darkest pixels and
    /// the strokes break up (the low-contrast cheat sheet of the corpus: 60 legible words at
    /// 0.2, 103 at 0.1), while on black print a lower k thickens strokes until small Chinese
    /// characters merge (the journal page: 1282 words at 0.2, 1268 at 0.1).
    pub fn for_page(dpi: u32, ink_contrast: f32) -> Self {
        let base = Self::for_dpi(dpi);
        if ink_contrast < FAINT_INK_CONTRAST {
            Self { k: 0.1, ..base }
        } else {
            base
        }
    }

    /// Thresholds `gray` row by row, handing each row to `emit` as `true` for ink.
    pub fn rows(&self, gray: &Raster, mut emit: impl FnMut(&[bool])) {
        assert_eq!(gray.channels(), 1, "binarization takes a gray page");
        let (w, h) = (gray.width() as usize, gray.height() as usize);
        let data = gray.data();
        let r = self.radius;
        let mut col_sum = vec![0u32; w];
        let mut col_sq = vec![0u32; w];
        let add_row = |y: usize, sign: bool, col_sum: &mut [u32], col_sq: &mut [u32]| {
            for (x, &p) in data[y * w..(y + 1) * w].iter().enumerate() {
                let (p, p2) = (u32::from(p), u32::from(p) * u32::from(p));
                if sign {
                    col_sum[x] += p;
                    col_sq[x] += p2;
                } else {
                    col_sum[x] -= p;
                    col_sq[x] -= p2;
                }
            }
        };
        for y in 0..=r.min(h - 1) {
            add_row(y, true, &mut col_sum, &mut col_sq);
        }
        let mut out = vec![false; w];
        for y in 0..h {
            let rows = (y + r).min(h - 1) + 1 - y.saturating_sub(r);
            let row = &data[y * w..(y + 1) * w];
            // Horizontal running sums over the column sums.
            let (mut s, mut q) = (0u64, 0u64);
            for x in 0..=r.min(w - 1) {
                s += u64::from(col_sum[x]);
                q += u64::from(col_sq[x]);
            }
            for x in 0..w {
                let p = row[x];
                out[x] = if p >= self.paper {
                    false
                } else if p < self.ink {
                    true
                } else {
                    let cols = (x + r).min(w - 1) + 1 - x.saturating_sub(r);
                    let n = (rows * cols) as f32;
                    let mean = s as f32 / n;
                    let var = (q as f32 / n - mean * mean).max(0.0);
                    let t = mean * (1.0 + self.k * (var.sqrt() / self.range - 1.0));
                    f32::from(p) < t
                };
                if x + r + 1 < w {
                    s += u64::from(col_sum[x + r + 1]);
                    q += u64::from(col_sq[x + r + 1]);
                }
                if x >= r {
                    s -= u64::from(col_sum[x - r]);
                    q -= u64::from(col_sq[x - r]);
                }
            }
            emit(&out);
            if y + r + 1 < h {
                add_row(y + r + 1, true, &mut col_sum, &mut col_sq);
            }
            if y >= r {
                add_row(y - r, false, &mut col_sum, &mut col_sq);
            }
        }
    }
}

/// How strongly the marks of a page stand out from their paper: the 90th percentile of the
/// standard deviation in windows of the binarization's size, measured on a small (about 50–100
/// dpi) gray rendering of the page at `dpi`. On a page of print the top tenth of windows lie on
/// black strokes (54–88 on the corpus's scans and photos of print); faint pencil stays lower
/// (33 on the low-contrast cheat sheet).
pub fn ink_contrast(small: &Raster, dpi: f64) -> f32 {
    assert_eq!(small.channels(), 1, "ink contrast is measured on gray");
    let (w, h) = (small.width() as usize, small.height() as usize);
    let r = Sauvola::for_dpi(dpi as u32).radius;
    // Integral images of the samples and their squares, with a row and a column of zeros first.
    let (iw, data) = (w + 1, small.data());
    let mut sum = vec![0u64; iw * (h + 1)];
    let mut sq = vec![0u64; iw * (h + 1)];
    for y in 0..h {
        let (mut row_sum, mut row_sq) = (0u64, 0u64);
        for x in 0..w {
            let v = u64::from(data[y * w + x]);
            row_sum += v;
            row_sq += v * v;
            sum[(y + 1) * iw + x + 1] = sum[y * iw + x + 1] + row_sum;
            sq[(y + 1) * iw + x + 1] = sq[y * iw + x + 1] + row_sq;
        }
    }
    let mut hist = [0u32; 256];
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
            let window =
                |t: &[u64]| t[y1 * iw + x1] + t[y0 * iw + x0] - t[y0 * iw + x1] - t[y1 * iw + x0];
            let n = ((y1 - y0) * (x1 - x0)) as f64;
            let mean = window(&sum) as f64 / n;
            let var = (window(&sq) as f64 / n - mean * mean).max(0.0);
            hist[(var.sqrt() as usize).min(255)] += 1;
        }
    }
    f32::from(percentile(&hist, 0.9))
}

/// Below this [`ink_contrast`] a page's ink is faint.
pub const FAINT_INK_CONTRAST: f32 = 45.0;

#[cfg(test)]
mod tests {
    use super::*;

    fn binarize(gray: &Raster, params: Sauvola) -> Vec<bool> {
        let mut all = Vec::new();
        params.rows(gray, |row| all.extend_from_slice(row));
        all
    }

    #[test]
    fn faint_strokes_on_paper_are_ink_and_paper_is_not() {
        // Paper at 230 with a faint vertical stroke at 170, and a solid black block.
        let (w, h) = (120u32, 60u32);
        let mut data = vec![230u8; (w * h) as usize];
        for y in 10..50 {
            for x in 20..23 {
                data[(y * w + x) as usize] = 170;
            }
            for x in 60..110 {
                data[(y * w + x) as usize] = 10;
            }
        }
        let params = Sauvola::for_dpi(150);
        let out = binarize(&Raster::gray(w, h, data), params);
        let at = |x: u32, y: u32| out[(y * w + x) as usize];
        assert!(at(21, 30), "the faint stroke is kept");
        assert!(!at(40, 30), "paper beside it is white");
        assert!(
            at(85, 30),
            "the middle of the solid block is not hollowed out"
        );
        assert!(!at(5, 5), "paper in the corner is white");
    }

    /// A 100 dpi page of white paper with dense lines of strokes `ink` levels dark.
    fn lines_of(ink: u8) -> Raster {
        let (w, h) = (400u32, 500u32);
        let data = (0..w * h)
            .map(|i| {
                let (x, y) = (i % w, i / w);
                if y % 10 < 6 && x % 4 < 2 { ink } else { 255 }
            })
            .collect();
        Raster::gray(w, h, data)
    }

    #[test]
    fn faint_ink_gets_a_gentler_threshold_and_print_does_not() {
        let print = ink_contrast(&lines_of(0), 100.0);
        let pencil = ink_contrast(&lines_of(190), 100.0);
        assert!(print >= FAINT_INK_CONTRAST, "black print: {print}");
        assert!(pencil < FAINT_INK_CONTRAST, "pencil: {pencil}");
        assert_eq!(Sauvola::for_page(300, print), Sauvola::for_dpi(300));
        let faint = Sauvola::for_page(300, pencil);
        assert!(faint.k < Sauvola::for_dpi(300).k);

        // A stroke at 200 in windows of paper at 235, standard deviation about 17: lost at the
        // usual sensitivity, kept at the faint-ink one.
        let (w, h) = (90u32, 90u32);
        let data = (0..w * h)
            .map(|i| if (i % w) % 6 < 2 { 200 } else { 234 })
            .collect();
        let page = Raster::gray(w, h, data);
        let ink_at = |params: Sauvola| binarize(&page, params)[(45 * w + 42) as usize];
        assert!(!ink_at(Sauvola::for_dpi(300)));
        assert!(ink_at(faint));
    }

    #[test]
    fn matches_a_direct_window_computation() {
        // Compare the running sums against the definition on a small noisy image.
        let (w, h) = (23usize, 17usize);
        let data: Vec<u8> = (0..w * h).map(|i| ((i * 7919) % 251) as u8).collect();
        let params = Sauvola {
            radius: 3,
            k: 0.3,
            range: 128.0,
            paper: 255,
            ink: 0,
        };
        let fast = binarize(&Raster::gray(w as u32, h as u32, data.clone()), params);
        for y in 0..h {
            for x in 0..w {
                let (mut s, mut q, mut n) = (0f64, 0f64, 0f64);
                for yy in y.saturating_sub(3)..=(y + 3).min(h - 1) {
                    for xx in x.saturating_sub(3)..=(x + 3).min(w - 1) {
                        let v = f64::from(data[yy * w + xx]);
                        s += v;
                        q += v * v;
                        n += 1.0;
                    }
                }
                let mean = s / n;
                let sd = (q / n - mean * mean).max(0.0).sqrt();
                let t = mean * (1.0 + 0.3 * (sd / 128.0 - 1.0));
                let p = f64::from(data[y * w + x]);
                // Skip values within float noise of the threshold.
                if (p - t).abs() > 0.01 {
                    assert_eq!(fast[y * w + x], p < t, "pixel {x},{y}");
                }
            }
        }
    }
}
