//! Turning a rendered page upright: Tesseract's orientation detection says how the text runs,
//! and the page and its placement on the sheet are turned by quarter turns to match.

use std::time::Instant;

use crate::located::Located;
use crate::ocr::{OcrProblem, Tesseract};
use crate::page::{OrientationReport, ms};
use crate::pdf::{PaperSize, Placement};
use crate::raster::Raster;

/// Tesseract's orientation confidence below which a page is left as it is: a page turned
/// wrongly is worse than one left turned.
const MIN_ORIENTATION_CONFIDENCE: f32 = 5.0;

/// Turning a rendered page upright.
pub struct Turn<'a> {
    pub located: &'a Located,
    pub paper: PaperSize,
    /// Resolution of the rendered page.
    pub dpi: f64,
}

impl Turn<'_> {
    /// The placement of the located page turned clockwise by `degrees`.
    pub fn placement(&self, degrees: u16) -> Placement {
        let l = self.located;
        if degrees.is_multiple_of(180) {
            Placement::fit(l.width, l.height, l.dpi, self.paper)
        } else {
            Placement::fit(l.height, l.width, l.dpi, self.paper)
        }
    }

    /// Detects the text direction of `rendered` and turns it and its placement upright.
    pub fn apply(
        &self,
        tesseract: &Tesseract,
        rendered: &mut Raster,
        placement: &mut Placement,
        page: usize,
        file: &str,
    ) -> (Option<OrientationReport>, Option<OcrProblem>) {
        match upright(tesseract, rendered, self.dpi) {
            Ok(found) => {
                if found.rotated != 0 {
                    *rendered = rendered.rotated_clockwise(found.rotated);
                    *placement = self.placement(found.rotated);
                }
                (Some(found), None)
            }
            Err(detail) => (
                None,
                Some(OcrProblem::OrientationFailed {
                    page,
                    file: file.to_owned(),
                    detail,
                }),
            ),
        }
    }
}

/// Asks Tesseract which way the rendered page's text runs. Pages rendered at 300 dpi are
/// halved first: the direction of the letters shows as well at 150 dpi, in a quarter of the
/// time.
fn upright(
    tesseract: &Tesseract,
    rendered: &Raster,
    dpi: f64,
) -> Result<OrientationReport, String> {
    let started = Instant::now();
    let luma = rendered.to_luma_if_rgb();
    let (probe, dpi) = if dpi >= 250.0 {
        (std::borrow::Cow::Owned(luma.downscale(2)), dpi / 2.0)
    } else {
        (luma, dpi)
    };
    let guess = tesseract.orientation(&probe, dpi as u32)?;
    let rotated = guess
        .filter(|g| g.confidence >= MIN_ORIENTATION_CONFIDENCE)
        .map_or(0, |g| g.rotate);
    Ok(OrientationReport {
        rotated,
        confidence: guess.map(|g| g.confidence),
        ms: ms(started),
    })
}
