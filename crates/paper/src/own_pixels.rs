//! Keeping a scan's own pixels. A scan a little larger than the sheet (a Letter page, 8.5 in
//! wide, on A4, 8.27 in) would be shrunk by a few per cent to fit, and that resampling smears
//! every stroke edge over two pixels for no gain: the page's resolution barely changes. When
//! the scan is already at about the resolution the page is stored at, the page keeps its own
//! pixels, one for one, at its true size on the sheet, and only the strip of margin that
//! overhangs the sheet is left out, and only when that strip is blank paper: nothing that
//! carries a mark is ever cut (issue #5: "never erase content").
//!
//! The Letter scan of the corpus (2550 × 3300 pixels at 300 dpi) read 710 words when shrunk
//! onto A4 and 712 at its own pixels (Tesseract at 300 dpi; 707.8 and 711.6 as means of five
//! renderings, docs/benchmarks.md); its 35-pixel side margins are blank.

use crate::raster::{Raster, luma};

/// A page is kept at its own pixels when fitting it to the sheet would shrink it by no more
/// than this factor; beyond it the page is genuinely larger than the sheet (A3, Legal) or at a
/// higher resolution than is stored, and is scaled.
pub const MAX_SHRINK: f64 = 1.05;

/// A window of a source frame, in whole pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// The window of `frame` to keep at its own pixels on a sheet of `sheet` points stored at
/// `target_dpi`, when the frame fitted to the sheet is at `fitted_dpi`, at most [`MAX_SHRINK`]
/// above `target_dpi`, and what overhangs the sheet is blank (no pixel below `ink_below`);
/// `None` when the page should be scaled instead.
pub fn window(
    frame: &Raster,
    fitted_dpi: f64,
    target_dpi: f64,
    sheet: (f64, f64),
    ink_below: u8,
) -> Option<Window> {
    let window = fitting(
        (frame.width(), frame.height()),
        fitted_dpi,
        target_dpi,
        sheet,
    )?;
    blank_outside(frame, window, ink_below).then_some(window)
}

/// The part of a `w × h` frame that fits a sheet of `sheet` points at `target_dpi`, centred,
/// when the frame's fitted resolution `fitted_dpi` is above `target_dpi` by at most
/// [`MAX_SHRINK`].
fn fitting(
    (w, h): (u32, u32),
    fitted_dpi: f64,
    target_dpi: f64,
    (sheet_w, sheet_h): (f64, f64),
) -> Option<Window> {
    if fitted_dpi <= target_dpi || fitted_dpi > target_dpi * MAX_SHRINK {
        return None;
    }
    // Whole pixels, so that output pixel centres fall on source pixel centres.
    let fit = |side: u32, points: f64| side.min((points / 72.0 * target_dpi).floor() as u32);
    let (width, height) = (fit(w, sheet_w), fit(h, sheet_h));
    Some(Window {
        x: (w - width) / 2,
        y: (h - height) / 2,
        width,
        height,
    })
}

/// Whether every pixel of `frame` outside `window` is lighter than `ink_below` (in luma): the
/// strips that would be left out carry no mark.
fn blank_outside(frame: &Raster, window: Window, ink_below: u8) -> bool {
    let (w, h) = (frame.width() as usize, frame.height() as usize);
    let ch = usize::from(frame.channels());
    let data = frame.data();
    let (x0, y0) = (window.x as usize, window.y as usize);
    let (x1, y1) = (x0 + window.width as usize, y0 + window.height as usize);
    let dark = |x: usize, y: usize| {
        let i = (y * w + x) * ch;
        let v = if ch == 3 {
            luma(data[i], data[i + 1], data[i + 2])
        } else {
            data[i]
        };
        v < ink_below
    };
    for y in 0..h {
        let spans = if (y0..y1).contains(&y) {
            [0..x0, x1..w]
        } else {
            [0..w, 0..0]
        };
        if spans.into_iter().flatten().any(|x| dark(x, y)) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const A4: (f64, f64) = (595.276, 841.89);

    #[test]
    fn a_letter_scan_on_a4_keeps_its_pixels_and_loses_only_side_margin() {
        // 2550 × 3300 at 300 dpi fits A4's width at 308 dpi.
        let fitted = 2550.0 / (A4.0 / 72.0);
        let window = fitting((2550, 3300), fitted, 300.0, A4).expect("kept at its own pixels");
        assert_eq!(
            window,
            Window {
                x: 35,
                y: 0,
                width: 2480,
                height: 3300
            }
        );
    }

    #[test]
    fn pages_that_need_real_scaling_are_scaled() {
        // An A4 scan at 300 dpi already fits; one at 600 dpi, or A3 at 300, is scaled down.
        assert_eq!(fitting((2480, 3508), 300.0, 300.0, A4), None);
        assert_eq!(fitting((4960, 7016), 600.0, 300.0, A4), None);
        assert_eq!(fitting((3508, 4961), 424.0, 300.0, A4), None);
        // A 150 dpi page is enlarged, not cut.
        assert_eq!(fitting((1240, 1754), 150.0, 300.0, A4), None);
    }

    #[test]
    fn a_mark_in_the_overhang_keeps_the_page_whole() {
        // 94 pixels on a sheet 90 pixels wide at 72 dpi: two blank columns overhang each side.
        let sheet = (90.0, 200.0);
        let fitted = 94.0 / 90.0 * 72.0;
        let mut data = vec![250u8; 94 * 60];
        let kept = window(
            &Raster::gray(94, 60, data.clone()),
            fitted,
            72.0,
            sheet,
            128,
        );
        assert_eq!(kept.map(|w| (w.x, w.width, w.height)), Some((2, 90, 60)));
        data[20 * 94 + 1] = 30;
        assert_eq!(
            window(&Raster::gray(94, 60, data), fitted, 72.0, sheet, 128),
            None
        );
    }

    #[test]
    fn only_blank_margin_is_left_out() {
        let mut frame = Raster::white(100, 60, 1);
        let window = Window {
            x: 5,
            y: 0,
            width: 90,
            height: 60,
        };
        assert!(blank_outside(&frame, window, 128));
        // A mark inside the window does not matter; one in the strip does.
        let mut data = frame.data().to_vec();
        data[30 * 100 + 50] = 0;
        frame = Raster::gray(100, 60, data.clone());
        assert!(blank_outside(&frame, window, 128));
        data[30 * 100 + 97] = 40;
        assert!(!blank_outside(&Raster::gray(100, 60, data), window, 128));
        // Light paper tone in the strip is not a mark.
        let mut rgb = vec![255u8; 100 * 60 * 3];
        rgb[(10 * 100 + 2) * 3..(10 * 100 + 3) * 3].copy_from_slice(&[200, 190, 180]);
        assert!(blank_outside(&Raster::rgb(100, 60, rgb), window, 128));
    }
}
