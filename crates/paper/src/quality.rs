//! Quality checks before anything is sent (Online Litigation Rules Art. 12(2): materials must be
//! complete and clear). Each finding names the page and says how to fix it; none stops the
//! conversion, because only the person can judge whether a page is as it should be.

use serde::Serialize;

use crate::raster::{Raster, histogram, percentile};

/// A finding about one page of the output.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QualityWarning {
    Blurry {
        page: usize,
        file: String,
        /// 0–1: the steepness of the sharpest edges relative to their contrast.
        sharpness: f32,
    },
    LowResolution {
        page: usize,
        file: String,
        dpi: f32,
    },
    CornerOutsideFrame {
        page: usize,
        file: String,
    },
    BlankPage {
        page: usize,
        file: String,
    },
    LikelyDuplicate {
        page: usize,
        file: String,
        of_page: usize,
    },
    LowContrast {
        page: usize,
        file: String,
        /// Difference between paper and ink, 0–255.
        contrast: u8,
    },
}

/// Below this the text's edges are smeared over several pixels.
pub const MIN_SHARPNESS: f32 = 0.28;
/// Courts ask for at least 200 dpi; below it small characters stop being legible.
pub const MIN_DPI: f32 = 200.0;
/// Paper and ink closer than this are hard to read and to binarize.
pub const MIN_CONTRAST: u8 = 70;
/// A page with less ink than this share of its area is taken for blank.
pub const BLANK_INK_SHARE: f64 = 0.0005;
/// Pages whose 64-bit difference hashes differ in at most this many bits look the same.
pub const DUPLICATE_BITS: u32 = 4;

impl QualityWarning {
    /// The 1-based page number in the output.
    pub fn page(&self) -> usize {
        match self {
            Self::Blurry { page, .. }
            | Self::LowResolution { page, .. }
            | Self::CornerOutsideFrame { page, .. }
            | Self::BlankPage { page, .. }
            | Self::LikelyDuplicate { page, .. }
            | Self::LowContrast { page, .. } => *page,
        }
    }

    /// Renumbers the finding when its page moves (the scan studio reorders pages).
    pub fn set_page(&mut self, to: usize) {
        match self {
            Self::Blurry { page, .. }
            | Self::LowResolution { page, .. }
            | Self::CornerOutsideFrame { page, .. }
            | Self::BlankPage { page, .. }
            | Self::LikelyDuplicate { page, .. }
            | Self::LowContrast { page, .. } => *page = to,
        }
    }

    /// A stable code for the interface.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Blurry { .. } => "paper.quality.blurry",
            Self::LowResolution { .. } => "paper.quality.low_resolution",
            Self::CornerOutsideFrame { .. } => "paper.quality.corner_outside_frame",
            Self::BlankPage { .. } => "paper.quality.blank_page",
            Self::LikelyDuplicate { .. } => "paper.quality.likely_duplicate",
            Self::LowContrast { .. } => "paper.quality.low_contrast",
        }
    }

    /// What the person should do about it.
    pub fn fix(&self) -> &'static str {
        match self {
            Self::Blurry { .. } => {
                "hold the phone still and let it focus, or scan the page instead"
            }
            Self::LowResolution { .. } => {
                "move the camera closer so the page fills the picture, or scan at 300 dpi"
            }
            Self::CornerOutsideFrame { .. } => {
                "take the photo again with all four corners of the page in the picture"
            }
            Self::BlankPage { .. } => {
                "remove the page if it is meant to be empty; otherwise scan it again"
            }
            Self::LikelyDuplicate { .. } => {
                "remove the repeated page unless it is there on purpose"
            }
            Self::LowContrast { .. } => {
                "photograph in brighter, even light, or scan with a darker setting"
            }
        }
    }
}

impl std::fmt::Display for QualityWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Blurry { page, file, .. } => write!(f, "page {page} ({file}) is blurred"),
            Self::LowResolution { page, file, dpi } => write!(
                f,
                "page {page} ({file}) has only {dpi:.0} dpi, below the {MIN_DPI:.0} dpi courts ask for"
            ),
            Self::CornerOutsideFrame { page, file } => {
                write!(f, "page {page} ({file}) has a corner outside the picture")
            }
            Self::BlankPage { page, file } => write!(f, "page {page} ({file}) looks blank"),
            Self::LikelyDuplicate {
                page,
                file,
                of_page,
            } => write!(f, "page {page} ({file}) looks the same as page {of_page}"),
            Self::LowContrast { page, file, .. } => {
                write!(f, "page {page} ({file}) has very low contrast")
            }
        }?;
        write!(f, ": {}", self.fix())
    }
}

/// Paper-to-ink contrast of an unprocessed page: the gap between the paper level (90th
/// percentile) and the darkest ink (0.5th percentile).
pub fn contrast(raw_luma: &Raster) -> u8 {
    let hist = histogram(raw_luma);
    percentile(&hist, 0.9).saturating_sub(percentile(&hist, 0.005))
}

/// Share of a flattened page that is ink (darker than mid-gray).
pub fn ink_share(flat_luma: &Raster) -> f64 {
    let ink = flat_luma.data().iter().filter(|&&v| v < 128).count();
    ink as f64 / flat_luma.data().len().max(1) as f64
}

/// A 64-bit difference hash: each bit says whether a cell of a 9×8 grid of the page is
/// brighter than its right neighbour. Near-identical pages have near-identical hashes.
pub fn difference_hash(flat_luma: &Raster) -> u64 {
    let (w, h) = (flat_luma.width() as usize, flat_luma.height() as usize);
    let mut cells = [[0u64; 9]; 8];
    let mut counts = [[0u64; 9]; 8];
    for y in 0..h {
        let cy = y * 8 / h;
        for x in 0..w {
            let cx = x * 9 / w;
            cells[cy][cx] += u64::from(flat_luma.data()[y * w + x]);
            counts[cy][cx] += 1;
        }
    }
    let mut hash = 0u64;
    for y in 0..8 {
        for x in 0..8 {
            let a = cells[y][x] * counts[y][x + 1].max(1);
            let b = cells[y][x + 1] * counts[y][x].max(1);
            hash = (hash << 1) | u64::from(a > b);
        }
    }
    hash
}

/// How steep the source's edges are, 0–1: on sampled rows, for every edge with at least
/// 60 levels of contrast over 6 pixels, the largest single-pixel step divided by the contrast,
/// taken as the median over edges. `None` when the page has too few edges to judge.
pub fn sharpness(luma: &Raster) -> Option<f32> {
    let (w, h) = (luma.width() as usize, luma.height() as usize);
    if w < 16 || h < 16 {
        return None;
    }
    let step_rows = (h / 300).max(1);
    let mut ratios: Vec<f32> = Vec::new();
    for y in (0..h).step_by(step_rows) {
        let row = &luma.data()[y * w..(y + 1) * w];
        let mut x = 0;
        while x + 6 < w {
            let window = &row[x..x + 6];
            let (lo, hi) = window
                .iter()
                .fold((255u8, 0u8), |(lo, hi), &v| (lo.min(v), hi.max(v)));
            let range = hi - lo;
            if range >= 60 {
                let step = window
                    .windows(2)
                    .map(|p| p[0].abs_diff(p[1]))
                    .max()
                    .unwrap_or(0);
                ratios.push(f32::from(step) / f32::from(range));
                x += 6;
            } else {
                x += 3;
            }
        }
    }
    if ratios.len() < 50 {
        return None;
    }
    let mid = ratios.len() / 2;
    ratios.select_nth_unstable_by(mid, f32::total_cmp);
    Some(ratios[mid])
}

/// The measurements of one page that the quality checks judge.
pub(crate) struct Findings<'a> {
    pub(crate) page: usize,
    pub(crate) file: &'a str,
    pub(crate) ink_share: f64,
    pub(crate) contrast: u8,
    pub(crate) sharpness: Option<f32>,
    pub(crate) source_dpi: f64,
    pub(crate) corner_cut: bool,
}

impl Findings<'_> {
    pub(crate) fn warnings(&self) -> Vec<QualityWarning> {
        let (page, file) = (self.page, || self.file.to_owned());
        let mut warnings = Vec::new();
        // A blank page has no contrast to speak of: report only that it is blank.
        if self.ink_share < BLANK_INK_SHARE {
            warnings.push(QualityWarning::BlankPage { page, file: file() });
        } else if self.contrast < MIN_CONTRAST {
            warnings.push(QualityWarning::LowContrast {
                page,
                file: file(),
                contrast: self.contrast,
            });
        }
        if let Some(s) = self.sharpness.filter(|&s| s < MIN_SHARPNESS) {
            warnings.push(QualityWarning::Blurry {
                page,
                file: file(),
                sharpness: s,
            });
        }
        if self.source_dpi < f64::from(MIN_DPI) {
            warnings.push(QualityWarning::LowResolution {
                page,
                file: file(),
                dpi: self.source_dpi as f32,
            });
        }
        if self.corner_cut {
            warnings.push(QualityWarning::CornerOutsideFrame { page, file: file() });
        }
        warnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripes(transition: usize) -> Raster {
        // Vertical bars 30 px wide whose edges ramp over `transition` pixels.
        let (w, h) = (600usize, 64usize);
        let mut data = Vec::with_capacity(w * h);
        for _ in 0..h {
            for x in 0..w {
                let phase = x % 60;
                let v = if phase < 30 {
                    (phase as f32 / transition as f32).min(1.0)
                } else {
                    1.0 - ((phase - 30) as f32 / transition as f32).min(1.0)
                };
                data.push((30.0 + v * 200.0) as u8);
            }
        }
        Raster::gray(w as u32, h as u32, data)
    }

    #[test]
    fn sharp_edges_score_higher_than_blurred_ones() {
        let sharp = sharpness(&stripes(1)).expect("edges");
        let blurred = sharpness(&stripes(8)).expect("edges");
        assert!(sharp > MIN_SHARPNESS, "sharp {sharp}");
        assert!(blurred < MIN_SHARPNESS, "blurred {blurred}");
    }

    #[test]
    fn hashes_tell_pages_apart() {
        let a = stripes(1);
        let b = Raster::gray(
            600,
            64,
            (0..600 * 64).map(|i| ((i / 600) * 4) as u8).collect(),
        );
        let ha = difference_hash(&a);
        assert_eq!(ha, difference_hash(&a.clone()));
        assert!((ha ^ difference_hash(&b)).count_ones() > DUPLICATE_BITS);
    }

    #[test]
    fn warnings_name_page_and_fix() {
        let w = QualityWarning::LowResolution {
            page: 3,
            file: "合同.jpg".into(),
            dpi: 96.0,
        };
        let text = w.to_string();
        assert!(text.contains("page 3") && text.contains("合同.jpg") && text.contains("300 dpi"));
        assert_eq!(w.code(), "paper.quality.low_resolution");
    }

    #[test]
    fn contrast_and_ink() {
        let mut data = vec![200u8; 1000];
        data[..50].fill(150);
        let page = Raster::gray(100, 10, data);
        assert_eq!(contrast(&page), 50);
        assert!(ink_share(&page) < f64::EPSILON);
    }
}
