//! Storing a JPEG page as it came. Every decode and re-encode of a JPEG loses detail, and on a
//! low-resolution scan that detail is what a reader (and OCR) needs: one re-encode at quality
//! 70 cost the 911-pixel VAT invoice of the corpus about a third of the words Tesseract reads
//! on it. So a JPEG page that the pipeline would not improve is stored as it is, as issue #5
//! asks ("JPEG passed through untouched where it is already good").
//!
//! Its metadata (Exif with a phone's location, XMP, comments) is left out; the coded picture is
//! kept byte for byte.
//!
//! "Would not improve" is judged from what the page analysis measured, all of:
//! - it is a gray or colour page (a bilevel page gains from binarization, in legibility and
//!   bytes), and the JPEG has the page's channels (a colour JPEG of a gray page is wasted bytes);
//! - its resolution is at most what gray and colour pages are stored at, so rendering it would
//!   not make it smaller, only soften it;
//! - the page fills the frame, square to it: there is no perspective, skew or margin to remove;
//! - its paper is light everywhere: there is no shadow or tint for flattening to take away;
//! - it is not much larger than the page coded again (a JPEG saved at quality 95 is kept only
//!   while it costs at most [`MAX_GROWTH`] times the bytes).

use crate::encode::{EncodedImage, ImageCoding};
use crate::mode::PageMode;
use crate::page::Geometry;

/// A JPEG file whose data a PDF can hold unchanged as the page image.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredJpeg {
    bytes: Vec<u8>,
    width: u32,
    height: u32,
    colour: bool,
}

impl std::fmt::Debug for StoredJpeg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "StoredJpeg({}x{}, colour {}, {} bytes)",
            self.width,
            self.height,
            self.colour,
            self.bytes.len()
        )
    }
}

impl StoredJpeg {
    /// Three components (gray has one).
    pub fn is_colour(&self) -> bool {
        self.colour
    }

    /// The page image that is the file itself.
    pub fn into_image(self) -> EncodedImage {
        EncodedImage {
            width: self.width,
            height: self.height,
            coding: if self.colour {
                ImageCoding::JpegRgb
            } else {
                ImageCoding::JpegGray
            },
            bytes: self.bytes,
        }
    }
}

/// Checks that `bytes`, a complete JPEG decoded to a `w × h` page with no EXIF turn, can go
/// into a PDF as they are: Huffman-coded baseline, extended or progressive DCT (what
/// `/DCTDecode` readers all take), 8 bits, gray or three-component colour, and the size the
/// decoder produced. CMYK, 12-bit, lossless and arithmetic-coded files are coded again. The
/// metadata segments before the first scan are left out (see [`is_metadata`]); the coded
/// picture is kept byte for byte.
pub fn storable_jpeg(bytes: &[u8], (w, h): (u32, u32)) -> Option<StoredJpeg> {
    let mut kept = Vec::with_capacity(bytes.len());
    kept.extend_from_slice(bytes.get(..2)?); // SOI
    let mut colour = None;
    let mut at = 2;
    loop {
        let header = bytes.get(at..at + 4)?;
        if header[0] != 0xFF {
            return None;
        }
        let marker = header[1];
        if marker == 0xFF {
            at += 1; // a fill byte
            continue;
        }
        let len = usize::from(u16::from_be_bytes([header[2], header[3]]));
        let segment = bytes.get(at..at + 2 + len)?;
        match marker {
            0xC0..=0xC2 => {
                let precision = *segment.get(4)?;
                let height = u32::from(u16::from_be_bytes([*segment.get(5)?, *segment.get(6)?]));
                let width = u32::from(u16::from_be_bytes([*segment.get(7)?, *segment.get(8)?]));
                let components = *segment.get(9)?;
                let fits = precision == 8 && (width, height) == (w, h);
                if !fits || !matches!(components, 1 | 3) {
                    return None;
                }
                colour = Some(components == 3);
            }
            // The first scan: the frame must have come, and the rest is the picture.
            0xDA => {
                kept.extend_from_slice(&bytes[at..]);
                return colour.map(|colour| StoredJpeg {
                    bytes: kept,
                    width: w,
                    height: h,
                    colour,
                });
            }
            // Any other frame type, or the end before a scan.
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF | 0xD9 => return None,
            _ => {}
        }
        if !is_metadata(marker) {
            kept.extend_from_slice(segment);
        }
        at += 2 + len;
    }
}

/// Segments that describe the picture rather than code it: Exif (a phone's photo can carry
/// where and when it was taken, and by which phone), XMP, ICC profiles (a PDF reader does not
/// use them; the bundle's output intent says sRGB), Photoshop and other application data, and
/// comments. A court bundle should not carry them unseen. JFIF (APP0) and Adobe (APP14, which
/// says how the colour is coded) stay.
fn is_metadata(marker: u8) -> bool {
    matches!(marker, 0xE1..=0xED | 0xEF | 0xFE)
}

/// What the analysis of a page says about storing its JPEG as it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageFacts {
    pub mode: PageMode,
    /// The JPEG is in colour (three components).
    pub colour_jpeg: bool,
    /// Resolution the source offers for the page on the sheet.
    pub source_dpi: f64,
    /// The highest resolution gray and colour pages are stored at.
    pub continuous_dpi: f64,
    /// The page fills its frame, square to it (see [`fills_frame`]).
    pub fills_frame: bool,
    /// The darkest paper level found across the page, 0–255 luma.
    pub darkest_paper: f32,
}

/// Paper this light or lighter everywhere needs no flattening: shadows, vignetting and tinted
/// paper all bring some part of the page below it.
pub const LIGHT_PAPER: f32 = 200.0;

/// A corner of the detected sheet this close to the frame's corner (as a share of the frame's
/// side) is the frame's corner: the scanner's own margin, not a sheet lying in a photo.
const FRAME_SLACK: f64 = 0.02;

impl PageFacts {
    /// Whether re-rendering the page could only lose: see the module comment.
    pub fn already_good(&self) -> bool {
        let channels_match = match self.mode {
            PageMode::Colour => self.colour_jpeg,
            PageMode::Gray => !self.colour_jpeg,
            PageMode::Bilevel => false,
        };
        channels_match
            && self.source_dpi <= self.continuous_dpi
            && self.fills_frame
            && self.darkest_paper >= LIGHT_PAPER
    }
}

/// The source's own JPEG is stored while it costs at most this many times the bytes of the
/// page coded again: the VAT invoice's costs 1.4 times and gains 35 legible words (46 to 81);
/// a camera's quality-95 file can cost 5 times.
pub const MAX_GROWTH: f64 = 1.5;

/// The image to store for a page that is already good: its own JPEG (`true`), unless coding
/// it again (`coded`) is much smaller.
pub fn cheaper_of(stored: Option<StoredJpeg>, coded: EncodedImage) -> (EncodedImage, bool) {
    match stored {
        Some(jpeg) if jpeg.bytes.len() as f64 <= coded.bytes.len() as f64 * MAX_GROWTH => {
            (jpeg.into_image(), true)
        }
        _ => (coded, false),
    }
}

/// Whether the page as located fills its `w × h` source frame square to it: no deskew, and a
/// detected sheet only where its corners are the frame's (within [`FRAME_SLACK`]).
pub fn fills_frame(geometry: &Geometry, (w, h): (u32, u32)) -> bool {
    match geometry {
        Geometry::FullFrame {
            deskew_degrees,
            kept,
        } => *deskew_degrees == 0.0 && kept.is_none(),
        Geometry::Sheet { corners } => {
            let (w, h) = (f64::from(w), f64::from(h));
            // Corners in the order the detector gives them: top-left, top-right, bottom-right,
            // bottom-left.
            let frame = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)];
            corners.iter().zip(frame).all(|(&[x, y], (fx, fy))| {
                (x - fx).abs() <= FRAME_SLACK * w && (y - fy).abs() <= FRAME_SLACK * h
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG header up to its frame: SOI, an APP0 segment, then SOF`kind`.
    fn jpeg(kind: u8, precision: u8, (w, h): (u16, u16), components: u8) -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
        b.extend_from_slice(b"JFIF\0");
        b.extend_from_slice(&[1, 1, 0, 0, 1, 0, 1, 0, 0]);
        b.extend_from_slice(&[
            0xFF,
            kind,
            0,
            8 + 3 * u16::from(components) as u8,
            precision,
        ]);
        b.extend_from_slice(&h.to_be_bytes());
        b.extend_from_slice(&w.to_be_bytes());
        b.push(components);
        for c in 0..components {
            b.extend_from_slice(&[c + 1, 0x11, 0]);
        }
        // A scan header and two bytes of coded data.
        b.extend_from_slice(&[0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, 0x12, 0x34]);
        b.extend_from_slice(&[0xFF, 0xD9]);
        b
    }

    #[test]
    fn metadata_is_left_out_and_the_picture_kept_byte_for_byte() {
        let clean = jpeg(0xC0, 8, (911, 534), 3);
        // The same file with Exif (APP1) and a comment after its JFIF segment.
        let mut tagged = clean[..20].to_vec();
        tagged.extend_from_slice(&[0xFF, 0xE1, 0, 13]);
        tagged.extend_from_slice(b"Exif\0\0GPS\0\0");
        tagged.extend_from_slice(&[0xFF, 0xFE, 0, 7]);
        tagged.extend_from_slice(b"phone");
        tagged.extend_from_slice(&clean[20..]);
        let stored = storable_jpeg(&tagged, (911, 534)).expect("storable");
        assert_eq!(stored.bytes, clean);
        let no_scan = &clean[..clean.len() - 14];
        assert!(storable_jpeg(no_scan, (911, 534)).is_none(), "no picture");
    }

    #[test]
    fn only_jpegs_a_pdf_reader_takes_as_they_are_are_kept() {
        let kept = |bytes: &[u8]| storable_jpeg(bytes, (911, 534)).map(|j| j.colour);
        assert_eq!(kept(&jpeg(0xC0, 8, (911, 534), 3)), Some(true));
        assert_eq!(kept(&jpeg(0xC2, 8, (911, 534), 1)), Some(false));
        assert_eq!(kept(&jpeg(0xC0, 8, (911, 534), 4)), None, "CMYK");
        assert_eq!(kept(&jpeg(0xC1, 12, (911, 534), 3)), None, "12-bit");
        assert_eq!(kept(&jpeg(0xC9, 8, (911, 534), 3)), None, "arithmetic");
        assert_eq!(kept(&jpeg(0xC3, 8, (911, 534), 3)), None, "lossless");
        assert_eq!(
            kept(&jpeg(0xC0, 8, (534, 911), 3)),
            None,
            "the decoder turned the page"
        );
        let header = jpeg(0xC0, 8, (911, 534), 3);
        assert_eq!(kept(&header[..12]), None, "truncated before the frame");
    }

    #[test]
    fn the_stored_image_is_the_file() {
        let bytes = jpeg(0xC0, 8, (911, 534), 1);
        let image = storable_jpeg(&bytes, (911, 534))
            .expect("a gray baseline JPEG is storable")
            .into_image();
        assert_eq!(image.bytes, bytes);
        assert_eq!((image.width, image.height), (911, 534));
        assert_eq!(image.coding, ImageCoding::JpegGray);
    }

    #[test]
    fn the_own_jpeg_is_kept_only_while_it_is_not_much_larger() {
        let own = storable_jpeg(&jpeg(0xC0, 8, (911, 534), 3), (911, 534)).expect("storable");
        let coded = |len: usize| EncodedImage {
            width: 911,
            height: 534,
            coding: ImageCoding::JpegRgb,
            bytes: vec![0; len],
        };
        let size = own.bytes.len();
        let (image, kept) = cheaper_of(Some(own.clone()), coded(size));
        assert!(kept);
        assert_eq!(image.bytes, own.bytes);
        let (image, kept) = cheaper_of(Some(own.clone()), coded(size / 2 - 1));
        assert!(!kept, "more than 1.5 times the bytes");
        assert_eq!(image.bytes.len(), size / 2 - 1);
        assert!(!cheaper_of(None, coded(size)).1);
    }

    fn low_res_colour_scan() -> PageFacts {
        PageFacts {
            mode: PageMode::Colour,
            colour_jpeg: true,
            source_dpi: 77.0,
            continuous_dpi: 200.0,
            fills_frame: true,
            darkest_paper: 236.0,
        }
    }

    #[test]
    fn a_low_resolution_colour_scan_on_white_paper_is_kept() {
        assert!(low_res_colour_scan().already_good());
        let gray = PageFacts {
            mode: PageMode::Gray,
            colour_jpeg: false,
            ..low_res_colour_scan()
        };
        assert!(gray.already_good());
    }

    #[test]
    fn pages_the_pipeline_improves_are_rendered() {
        let base = low_res_colour_scan();
        let cases = [
            (
                PageFacts {
                    mode: PageMode::Bilevel,
                    ..base
                },
                "bilevel text is binarized",
            ),
            (
                PageFacts {
                    mode: PageMode::Gray,
                    ..base
                },
                "a colour JPEG of a gray page",
            ),
            (
                PageFacts {
                    source_dpi: 300.0,
                    ..base
                },
                "above the stored resolution",
            ),
            (
                PageFacts {
                    fills_frame: false,
                    ..base
                },
                "a sheet in a photo",
            ),
            (
                PageFacts {
                    darkest_paper: 150.0,
                    ..base
                },
                "a shadow on the paper",
            ),
        ];
        for (facts, why) in cases {
            assert!(!facts.already_good(), "{why}");
        }
    }

    #[test]
    fn a_sheet_is_the_frame_only_when_its_corners_are_the_frames() {
        let frame = (911, 534);
        let scanner_margin = Geometry::Sheet {
            corners: [[2.0, 3.0], [905.0, 3.0], [905.0, 528.0], [2.0, 528.0]],
        };
        assert!(fills_frame(&scanner_margin, frame));
        let on_a_desk = Geometry::Sheet {
            corners: [[80.0, 40.0], [850.0, 30.0], [870.0, 500.0], [60.0, 520.0]],
        };
        assert!(!fills_frame(&on_a_desk, frame));
        assert!(fills_frame(
            &Geometry::FullFrame {
                deskew_degrees: 0.0,
                kept: None,
            },
            frame
        ));
        assert!(!fills_frame(
            &Geometry::FullFrame {
                deskew_degrees: 1.2,
                kept: None,
            },
            frame
        ));
    }
}
