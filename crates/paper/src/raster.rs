//! The pixel buffers the pipeline works on: 8 bits a sample, gray (1 channel) or RGB (3),
//! rows packed without padding. Everything else (alpha, 16 bits, palettes) is folded into
//! these two on decode, so the processing code has two cases, not twenty.

use image::DynamicImage;

/// An 8-bit gray or RGB image.
#[derive(Clone, PartialEq, Eq)]
pub struct Raster {
    width: u32,
    height: u32,
    channels: u8,
    data: Vec<u8>,
}

impl std::fmt::Debug for Raster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Raster({}x{}x{})",
            self.width, self.height, self.channels
        )
    }
}

impl Raster {
    /// A gray image. Panics if `data` does not hold exactly `width × height` samples: a caller
    /// bug, never an input problem (decoders check lengths first).
    pub fn gray(width: u32, height: u32, data: Vec<u8>) -> Self {
        assert_eq!(
            data.len(),
            width as usize * height as usize,
            "gray buffer size"
        );
        Self {
            width,
            height,
            channels: 1,
            data,
        }
    }

    /// An RGB image; panics on a buffer of the wrong size, as [`Raster::gray`] does.
    pub fn rgb(width: u32, height: u32, data: Vec<u8>) -> Self {
        assert_eq!(
            data.len(),
            width as usize * height as usize * 3,
            "rgb buffer size"
        );
        Self {
            width,
            height,
            channels: 3,
            data,
        }
    }

    /// A blank (white) image.
    #[cfg(test)]
    pub fn white(width: u32, height: u32, channels: u8) -> Self {
        Self {
            width,
            height,
            channels,
            data: vec![255; width as usize * height as usize * usize::from(channels)],
        }
    }

    pub fn from_dynamic(image: DynamicImage) -> Self {
        let (w, h) = (image.width(), image.height());
        let gray_like = matches!(
            image,
            DynamicImage::ImageLuma8(_)
                | DynamicImage::ImageLumaA8(_)
                | DynamicImage::ImageLuma16(_)
                | DynamicImage::ImageLumaA16(_)
        );
        if gray_like {
            Self::gray(w, h, image.into_luma8().into_raw())
        } else {
            Self::rgb(w, h, image.into_rgb8().into_raw())
        }
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    pub fn channels(&self) -> u8 {
        self.channels
    }

    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// Samples per row.
    pub fn stride(&self) -> usize {
        self.width as usize * usize::from(self.channels)
    }

    pub fn is_rgb(&self) -> bool {
        self.channels == 3
    }

    #[must_use]
    pub fn inverted(mut self) -> Self {
        for s in &mut self.data {
            *s = 255 - *s;
        }
        self
    }

    /// Rec. 601 luma, in integer arithmetic (weights sum to 256).
    #[must_use]
    pub fn to_luma(&self) -> Raster {
        if self.channels == 1 {
            return self.clone();
        }
        let data = self
            .data
            .chunks_exact(3)
            .map(|p| luma(p[0], p[1], p[2]))
            .collect();
        Raster::gray(self.width, self.height, data)
    }

    /// The luma of this raster, reusing the buffer of a gray one.
    #[must_use]
    pub fn into_luma(self) -> Raster {
        if self.channels == 1 {
            self
        } else {
            self.to_luma()
        }
    }

    /// Averages `factor × factor` blocks; the last partial row and column of blocks are
    /// averaged over the pixels they have, so no edge content is dropped.
    #[must_use]
    pub fn downscale(&self, factor: u32) -> Raster {
        if factor <= 1 {
            return self.clone();
        }
        let ch = usize::from(self.channels);
        let (w, h) = (self.width as usize, self.height as usize);
        let f = factor as usize;
        let (ow, oh) = (w.div_ceil(f), h.div_ceil(f));
        let mut sums = vec![0u32; ow * ch];
        let mut out = Vec::with_capacity(ow * oh * ch);
        for oy in 0..oh {
            sums.fill(0);
            let y0 = oy * f;
            let y1 = (y0 + f).min(h);
            for y in y0..y1 {
                let row = &self.data[y * w * ch..(y + 1) * w * ch];
                for (x, px) in row.chunks_exact(ch).enumerate() {
                    let base = (x / f) * ch;
                    for c in 0..ch {
                        sums[base + c] += u32::from(px[c]);
                    }
                }
            }
            let rows = (y1 - y0) as u32;
            for ox in 0..ow {
                let cols = ((ox * f + f).min(w) - ox * f) as u32;
                let n = rows * cols;
                for c in 0..ch {
                    out.push(((sums[ox * ch + c] + n / 2) / n) as u8);
                }
            }
        }
        Raster {
            width: ow as u32,
            height: oh as u32,
            channels: self.channels,
            data: out,
        }
    }

    /// The raster turned clockwise by `degrees`: 90, 180 or 270 (anything else: unchanged).
    #[must_use]
    pub fn rotated_clockwise(&self, degrees: u16) -> Raster {
        let ch = usize::from(self.channels);
        let (w, h) = (self.width as usize, self.height as usize);
        let (ow, oh) = match degrees {
            90 | 270 => (h, w),
            180 => (w, h),
            _ => return self.clone(),
        };
        let mut data = vec![0u8; self.data.len()];
        for y in 0..h {
            for x in 0..w {
                // Where source pixel (x, y) lands in the turned image.
                let (nx, ny) = match degrees {
                    90 => (h - 1 - y, x),
                    180 => (w - 1 - x, h - 1 - y),
                    _ => (y, w - 1 - x),
                };
                let from = (y * w + x) * ch;
                let to = (ny * ow + nx) * ch;
                data[to..to + ch].copy_from_slice(&self.data[from..from + ch]);
            }
        }
        Raster {
            width: ow as u32,
            height: oh as u32,
            channels: self.channels,
            data,
        }
    }
}

/// Rec. 601 luma with integer weights 77/150/29.
#[inline]
pub fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((77 * u32::from(r) + 150 * u32::from(g) + 29 * u32::from(b) + 128) >> 8) as u8
}

/// Histogram of a gray raster.
pub fn histogram(gray: &Raster) -> [u32; 256] {
    let mut h = [0u32; 256];
    for &v in gray.data() {
        h[usize::from(v)] += 1;
    }
    h
}

/// The sample value below which `fraction` of the samples lie.
pub fn percentile(hist: &[u32; 256], fraction: f32) -> u8 {
    let total: u64 = hist.iter().map(|&c| u64::from(c)).sum();
    let target = (total as f64 * f64::from(fraction)) as u64;
    let mut seen = 0u64;
    for (v, &c) in hist.iter().enumerate() {
        seen += u64::from(c);
        if seen > target {
            return v as u8;
        }
    }
    255
}

/// Otsu's threshold: the gray level that best splits the histogram into two classes.
pub fn otsu(hist: &[u32; 256]) -> u8 {
    let total: f64 = hist.iter().map(|&c| f64::from(c)).sum();
    let sum_all: f64 = hist
        .iter()
        .enumerate()
        .map(|(v, &c)| v as f64 * f64::from(c))
        .sum();
    let (mut w0, mut sum0, mut best, mut best_t) = (0.0, 0.0, -1.0, 127u8);
    for (t, &c) in hist.iter().enumerate() {
        w0 += f64::from(c);
        sum0 += t as f64 * f64::from(c);
        let w1 = total - w0;
        if w0 == 0.0 || w1 == 0.0 {
            continue;
        }
        let m0 = sum0 / w0;
        let m1 = (sum_all - sum0) / w1;
        let between = w0 * w1 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            best_t = t as u8;
        }
    }
    best_t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downscale_keeps_partial_edge_blocks() {
        let img = Raster::gray(5, 3, (0..15).map(|v| v * 10).collect());
        let small = img.downscale(2);
        assert_eq!((small.width(), small.height()), (3, 2));
        // The bottom-right block holds one pixel: it keeps that pixel's value.
        assert_eq!(small.data()[5], 140);
        // The top-left block averages 0, 10, 50, 60.
        assert_eq!(small.data()[0], 30);
    }

    #[test]
    fn quarter_turns_move_corners_clockwise() {
        // 1 2 3
        // 4 5 6
        let img = Raster::gray(3, 2, vec![1, 2, 3, 4, 5, 6]);
        let r90 = img.rotated_clockwise(90);
        assert_eq!((r90.width(), r90.height()), (2, 3));
        assert_eq!(r90.data(), &[4, 1, 5, 2, 6, 3]);
        assert_eq!(img.rotated_clockwise(180).data(), &[6, 5, 4, 3, 2, 1]);
        assert_eq!(img.rotated_clockwise(270).data(), &[3, 6, 2, 5, 1, 4]);
        assert_eq!(r90.rotated_clockwise(270), img);
        let rgb = Raster::rgb(2, 1, vec![1, 2, 3, 4, 5, 6]);
        assert_eq!(rgb.rotated_clockwise(90).data(), &[1, 2, 3, 4, 5, 6]);
        assert_eq!(rgb.rotated_clockwise(180).data(), &[4, 5, 6, 1, 2, 3]);
    }

    #[test]
    fn otsu_splits_two_levels() {
        let mut hist = [0u32; 256];
        hist[30] = 100;
        hist[220] = 300;
        let t = otsu(&hist);
        assert!((30..220).contains(&t), "threshold {t}");
        assert_eq!(percentile(&hist, 0.1), 30);
        assert_eq!(percentile(&hist, 0.5), 220);
    }
}
