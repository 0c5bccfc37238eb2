//! Where a page lies in its source: a sheet found in a photo (or outlined by a person), or
//! the whole frame of a scan, straightened or kept at its own pixels; and how that maps onto
//! the output page.

use crate::detect::{PageOutline, find_page, skew_angle};
use crate::error::PaperError;
use crate::geometry::{Homography, Point, Quad};
use crate::own_pixels::Window;
use crate::page::Geometry;
use crate::pdf::{PaperSize, Placement};
use crate::raster::Raster;

/// Skews smaller than this are left alone: resampling costs more sharpness than it gains.
const MIN_DESKEW_DEGREES: f64 = 0.3;

/// Where the page lies in its source and how it maps onto the sheet.
pub struct Located {
    /// From the unit square of the output page to source pixels.
    pub(crate) to_source: Homography,
    /// Size of the page in source pixels.
    pub(crate) width: f64,
    pub(crate) height: f64,
    pub(crate) geometry: Geometry,
    pub(crate) corner_cut: bool,
    /// The source's resolution, when it may be believed for this page.
    pub(crate) dpi: Option<f64>,
}

/// Finds the sheet in a photo, or the skew of a page that fills the frame, on the analysis
/// copy (`factor` times smaller than the source of `sw × sh` pixels).
pub fn locate(small_luma: &Raster, factor: u32, (sw, sh): (u32, u32), dpi: Option<f32>) -> Located {
    let f = f64::from(factor);
    let (w, h) = (f64::from(sw), f64::from(sh));
    if let PageOutline::Sheet {
        quad,
        corner_at_frame_edge,
    } = find_page(small_luma)
    {
        let full = quad.scaled(f);
        if let Some(to_source) = Homography::unit_square_to(full) {
            let (width, height) = full.size();
            return Located {
                to_source,
                width,
                height,
                geometry: Geometry::Sheet {
                    corners: full.0.map(|p| [p.x, p.y]),
                },
                corner_cut: corner_at_frame_edge,
                // A photo's recorded resolution says nothing about the paper.
                dpi: None,
            };
        }
    }
    let angle = skew_angle(small_luma);
    let angle = if angle.abs() >= MIN_DESKEW_DEGREES {
        angle
    } else {
        0.0
    };
    Located::frame((w, h), angle, dpi.map(f64::from), false)
}

impl Located {
    /// The whole `sw × sh` frame, square, in place of this outline, its placement on `paper`
    /// and the resolution that gives; `dpi` is the source's recorded resolution. A page whose
    /// own JPEG is stored shows the whole frame, and is rendered the same for OCR.
    pub fn whole_frame(
        &self,
        (sw, sh): (u32, u32),
        dpi: Option<f32>,
        paper: PaperSize,
    ) -> (Self, Placement, f64) {
        let dpi = self.dpi.or(dpi.map(f64::from));
        let frame = Self::frame((f64::from(sw), f64::from(sh)), 0.0, dpi, self.corner_cut);
        let placement = Placement::fit(frame.width, frame.height, frame.dpi, paper);
        let dpi = placement.dpi_of(frame.width);
        (frame, placement, dpi)
    }

    /// Whether this is the whole frame, not turned.
    pub fn is_square_frame(&self) -> bool {
        matches!(self.geometry, Geometry::FullFrame { deskew_degrees, kept: None } if deskew_degrees == 0.0)
    }

    /// `window` of a square frame, one source pixel to one output pixel at `dpi`.
    pub fn own_pixels(window: Window, dpi: f64, corner_cut: bool) -> Self {
        let (w, h) = (f64::from(window.width), f64::from(window.height));
        Self {
            to_source: Homography::unit_square_rotated(w, h, 0.0)
                .then_shift(f64::from(window.x), f64::from(window.y)),
            width: w,
            height: h,
            geometry: Geometry::FullFrame {
                deskew_degrees: 0.0,
                kept: Some([window.x, window.y, window.width, window.height]),
            },
            corner_cut,
            dpi: Some(dpi),
        }
    }

    /// The whole `w × h` frame, turned by `angle` degrees to straighten it.
    fn frame((w, h): (f64, f64), angle: f64, dpi: Option<f64>, corner_cut: bool) -> Self {
        Self {
            to_source: Homography::unit_square_rotated(w, h, angle),
            width: w,
            height: h,
            geometry: Geometry::FullFrame {
                deskew_degrees: angle,
                kept: None,
            },
            corner_cut,
            dpi,
        }
    }
}

/// The page outline a person chose, checked: four corners inside the source (a pixel of
/// slack), forming a convex shape of some size.
pub fn chosen(
    corners: [[f64; 2]; 4],
    (sw, sh): (u32, u32),
    page: usize,
) -> Result<Located, PaperError> {
    let invalid = |detail: &str| PaperError::CornersInvalid {
        page,
        detail: detail.to_owned(),
    };
    let (w, h) = (f64::from(sw), f64::from(sh));
    let inside = corners
        .iter()
        .all(|[x, y]| (-1.0..=w + 1.0).contains(x) && (-1.0..=h + 1.0).contains(y));
    if !inside {
        return Err(invalid(&format!(
            "a corner lies outside the {sw} × {sh} picture"
        )));
    }
    let quad = Quad::from_corners(corners.map(|[x, y]| Point::new(x, y)));
    let (width, height) = quad.size();
    if !quad.is_convex() || width < 16.0 || height < 16.0 {
        return Err(invalid(
            "the corners do not outline a page; drag each to a corner of the sheet",
        ));
    }
    let to_source =
        Homography::unit_square_to(quad).ok_or_else(|| invalid("the corners are in a line"))?;
    Ok(Located {
        to_source,
        width,
        height,
        geometry: Geometry::Sheet {
            corners: quad.0.map(|p| [p.x, p.y]),
        },
        corner_cut: false,
        dpi: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chosen_corners_are_ordered_and_checked() {
        let located = chosen(
            [[90.0, 10.0], [10.0, 10.0], [10.0, 190.0], [90.0, 190.0]],
            (100, 200),
            3,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((located.width, located.height), (80.0, 180.0));
        let Geometry::Sheet { corners } = located.geometry else {
            panic!("a chosen outline is a sheet");
        };
        let near = |a: [f64; 2], b: [f64; 2]| (a[0] - b[0]).abs() + (a[1] - b[1]).abs() < 1e-9;
        assert!(near(corners[0], [10.0, 10.0]) && near(corners[2], [90.0, 190.0]));
        // The unit square's corners land on the chosen ones.
        let p = located.to_source.apply(1.0, 1.0);
        assert!((p.x - 90.0).abs() < 1e-6 && (p.y - 190.0).abs() < 1e-6);

        let outside = chosen(
            [[0.0, 0.0], [150.0, 0.0], [150.0, 200.0], [0.0, 200.0]],
            (100, 200),
            3,
        );
        assert!(matches!(
            outside,
            Err(PaperError::CornersInvalid { page: 3, .. })
        ));
        let tiny = chosen(
            [[0.0, 0.0], [5.0, 0.0], [5.0, 5.0], [0.0, 5.0]],
            (100, 200),
            3,
        );
        assert!(tiny.is_err());
    }
}
