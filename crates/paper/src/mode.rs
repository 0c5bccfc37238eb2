//! The per-page choice of bilevel, gray or colour. Bilevel is smallest and most legible for
//! text; gray keeps photographs and shading; colour keeps what colour means on court papers:
//! a red seal (公章) must stay red, and coloured annotations must stay distinguishable.

use serde::{Deserialize, Serialize};

use crate::raster::{Raster, luma};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageMode {
    Bilevel,
    Gray,
    Colour,
}

/// Why a page got its mode, with the measurements behind the choice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModeDecision {
    pub mode: PageMode,
    /// Red marks, such as a seal, were found.
    pub red_marks: bool,
    /// Share of the page in saturated colour (any hue).
    pub colour_share: f64,
    /// Share of the page in red.
    pub red_share: f64,
    /// Share of the page in smooth mid-tones: photographs, shading, halftones.
    pub picture_share: f64,
}

/// A page is colour when more than this share of it is saturated colour...
const COLOUR_SHARE: f64 = 0.002;
/// ...or when this share of it is red (a seal ring on A4 is 0.5–2 %; its faint remains more).
const RED_SHARE: f64 = 0.0004;
/// How much redder than green and blue a pixel must be to count as red ink.
const RED_MARGIN: i32 = 28;
/// A page is gray when this share of it is smooth mid-tone.
const PICTURE_SHARE: f64 = 0.03;

/// Chooses the mode from a small (about 100 dpi) rendering of the page that has been flattened
/// and whose paper is white. `forced` overrides the choice but the measurements are reported.
pub fn choose_mode(flat: &Raster, forced: Option<PageMode>) -> ModeDecision {
    let (w, h) = (flat.width() as usize, flat.height() as usize);
    let total = (w * h).max(1) as f64;
    let (mut colour, mut red) = (0usize, 0usize);
    let mut lum = Vec::with_capacity(w * h);
    if flat.is_rgb() {
        for p in flat.data().chunks_exact(3) {
            let (r, g, b) = (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]));
            let l = luma(p[0], p[1], p[2]);
            lum.push(l);
            let chroma = r.max(g).max(b) - r.min(g).min(b);
            if chroma >= 70 && l < 235 {
                colour += 1;
            }
            // Red is judged against the other two channels only: on a flattened page the paper
            // is neutral, so even thin or faded red print (seals, the red rules of invoices)
            // stands out by a few tens of levels where a blur has washed out its saturation.
            // Hue within about 12° of red towards yellow: brown and orange colour fringes around
            // black print in cheap scans are not red marks.
            let red_hue = 5 * (g - b) <= r - g.min(b);
            if l < 235 && r >= 120 && r - g.max(b) >= RED_MARGIN && red_hue {
                red += 1;
            }
        }
    } else {
        lum.extend_from_slice(flat.data());
    }
    let mut picture = 0usize;
    for y in 1..h.saturating_sub(1) {
        for x in 1..w.saturating_sub(1) {
            let l = lum[y * w + x];
            if !(50..=200).contains(&l) {
                continue;
            }
            let gx = i32::from(lum[y * w + x + 1]) - i32::from(lum[y * w + x - 1]);
            let gy = i32::from(lum[(y + 1) * w + x]) - i32::from(lum[(y - 1) * w + x]);
            if gx.abs() + gy.abs() < 24 {
                picture += 1;
            }
        }
    }
    let colour_share = colour as f64 / total;
    let red_share = red as f64 / total;
    let picture_share = picture as f64 / total;
    let red_marks = red_share >= RED_SHARE;
    let measured = if red_marks || colour_share >= COLOUR_SHARE {
        PageMode::Colour
    } else if picture_share >= PICTURE_SHARE {
        PageMode::Gray
    } else {
        PageMode::Bilevel
    };
    ModeDecision {
        mode: forced.unwrap_or(measured),
        red_marks,
        colour_share,
        red_share,
        picture_share,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_with(fill: impl Fn(usize, usize) -> [u8; 3]) -> Raster {
        let (w, h) = (200usize, 280usize);
        let mut data = Vec::with_capacity(w * h * 3);
        for y in 0..h {
            for x in 0..w {
                data.extend_from_slice(&fill(x, y));
            }
        }
        Raster::rgb(w as u32, h as u32, data)
    }

    fn text(x: usize, y: usize) -> bool {
        y % 12 < 2 && x % 5 < 3 && (20..180).contains(&x)
    }

    #[test]
    fn black_text_is_bilevel() {
        let page = page_with(|x, y| if text(x, y) { [0; 3] } else { [255; 3] });
        assert_eq!(choose_mode(&page, None).mode, PageMode::Bilevel);
    }

    #[test]
    fn a_red_seal_keeps_the_page_in_colour() {
        let page = page_with(|x, y| {
            let (dx, dy) = (x as f64 - 140.0, y as f64 - 200.0);
            let ring = (dx.hypot(dy) - 30.0).abs() < 2.0;
            if ring {
                [210, 40, 50]
            } else if text(x, y) {
                [0; 3]
            } else {
                [255; 3]
            }
        });
        let decision = choose_mode(&page, None);
        assert_eq!(decision.mode, PageMode::Colour);
        assert!(decision.red_marks);
    }

    #[test]
    fn a_photograph_is_gray() {
        let page = page_with(|x, y| {
            if (30..170).contains(&x) && (30..130).contains(&y) {
                let v = (60 + (x + y) / 3) as u8;
                [v; 3]
            } else {
                [255; 3]
            }
        });
        assert_eq!(choose_mode(&page, None).mode, PageMode::Gray);
    }

    #[test]
    fn a_forced_mode_wins() {
        let page = page_with(|_, _| [255; 3]);
        assert_eq!(
            choose_mode(&page, Some(PageMode::Gray)).mode,
            PageMode::Gray
        );
    }
}
