//! Decoding input files into pages, with limits checked before any pixel buffer is allocated:
//! a file that declares 100 000 × 100 000 pixels fails on its header, not after eating memory.

use std::io::Cursor;
use std::path::Path;
use std::time::Duration;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};

use crate::deadline::decode_within;
use crate::error::PaperError;
use crate::import::PdfPages;
use crate::raster::Raster;
use crate::untouched::{self, StoredJpeg};

/// Limits applied to every input file. The defaults admit a 108 MP camera frame and a
/// 600 dpi A3 colour scan, and nothing that only an attack would produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeLimits {
    /// Largest file read, in bytes.
    pub max_file_bytes: u64,
    /// Largest page, in pixels (width × height).
    pub max_pixels: u64,
    /// Largest side of a page, in pixels.
    pub max_side: u32,
    /// Most pages taken from one multi-page file.
    pub max_pages: usize,
    /// Longest time decoding one image file, or rendering one PDF page, may take. The pixel
    /// limits bound memory; this bounds a decoder that crawls through hostile data.
    pub max_decode_time: Duration,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        Self {
            max_file_bytes: 256 * 1024 * 1024,
            max_pixels: 120_000_000,
            max_side: 30_000,
            max_pages: 2_000,
            max_decode_time: Duration::from_mins(2),
        }
    }
}

/// One page as it came out of its file, upright (EXIF orientation applied).
#[derive(Debug)]
pub struct SourcePage {
    pub raster: Raster,
    /// Resolution recorded in the file, when it is plausible for a scan (50–2400 dpi).
    pub dpi: Option<f32>,
    /// 1-based page number inside its file.
    pub page_in_file: usize,
    pub origin: PageOrigin,
    /// The file's own JPEG data, when a PDF can hold it as it is: the page may then be stored
    /// without being coded again (see `untouched`).
    pub jpeg: Option<StoredJpeg>,
}

/// Where a page's pixels came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PageOrigin {
    /// An image file (JPEG, PNG, TIFF, WebP).
    Image,
    /// The one image on a PDF page, taken at its own resolution.
    PdfImage,
    /// A PDF page rendered by poppler: it held text, drawings, or an image coding or
    /// placement that is not taken directly. Its text is pixels now.
    PdfRendered,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Jpeg,
    Png,
    Tiff,
    WebP,
    Heif,
    Pdf,
}

fn sniff(bytes: &[u8]) -> Option<Kind> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some(Kind::Jpeg),
        [0x89, b'P', b'N', b'G', ..] => Some(Kind::Png),
        [b'I', b'I', 42 | 43, 0, ..] | [b'M', b'M', 0, 42, ..] => Some(Kind::Tiff),
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => Some(Kind::WebP),
        _ if crate::heic::is_heif(bytes) => Some(Kind::Heif),
        // Readers accept the header anywhere in the first kilobyte (ISO 32000-2, 7.5.2).
        _ if bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-") =>
        {
            Some(Kind::Pdf)
        }
        _ => None,
    }
}

/// The pages of one input file, produced one at a time: an image file's are decoded at once,
/// a PDF's as they are asked for, so a long PDF never holds more than one page in memory.
#[derive(Debug)]
pub enum Pages {
    Decoded(std::vec::IntoIter<SourcePage>),
    Pdf(Box<PdfPages>),
}

impl Iterator for Pages {
    type Item = Result<SourcePage, PaperError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Self::Decoded(pages) => pages.next().map(Ok),
            Self::Pdf(pages) => pages.next(),
        }
    }
}

/// Reads a file and opens its pages, in file order. Everything that can be checked about the
/// whole file is checked here, before the first page.
pub fn decode_file(path: &Path, limits: &DecodeLimits) -> Result<Pages, PaperError> {
    let read_err = |source| PaperError::Read {
        path: path.to_path_buf(),
        source,
    };
    // Asked before reading, so a huge file is refused without being read.
    within_file_size(
        path,
        std::fs::metadata(path).map_err(read_err)?.len(),
        limits,
    )?;
    let bytes = std::fs::read(path).map_err(read_err)?;
    open_bytes(path, bytes, limits)
}

fn within_file_size(path: &Path, len: u64, limits: &DecodeLimits) -> Result<(), PaperError> {
    if len > limits.max_file_bytes {
        return Err(PaperError::DecodeLimitExceeded {
            path: path.to_path_buf(),
            page: 1,
            limit: "file size (bytes)",
            actual: len,
            max: limits.max_file_bytes,
        });
    }
    Ok(())
}

/// Opens the pages of an input already in memory, as [`decode_file`] does a file's; `path`
/// names it in errors.
pub fn open_bytes(path: &Path, bytes: Vec<u8>, limits: &DecodeLimits) -> Result<Pages, PaperError> {
    within_file_size(path, bytes.len() as u64, limits)?;
    if !bytes.is_empty() && sniff(&bytes) == Some(Kind::Pdf) {
        return Ok(Pages::Pdf(Box::new(PdfPages::open(path, bytes, limits)?)));
    }
    decode_within(path, bytes, limits).map(|pages| Pages::Decoded(pages.into_iter()))
}

/// Decodes pages from bytes already in memory, within the time limit; `path` names them in
/// errors.
pub fn decode_bytes(
    path: &Path,
    bytes: &[u8],
    limits: &DecodeLimits,
) -> Result<Vec<SourcePage>, PaperError> {
    decode_within(path, bytes.to_vec(), limits)
}

pub(crate) fn decode_now(
    path: &Path,
    bytes: &[u8],
    limits: &DecodeLimits,
) -> Result<Vec<SourcePage>, PaperError> {
    if bytes.is_empty() {
        return Err(PaperError::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    match sniff(bytes) {
        Some(Kind::Tiff) => crate::tiff_pages::decode_tiff(path, bytes, limits),
        Some(Kind::Pdf) => PdfPages::open(path, bytes.to_vec(), limits)?.collect(),
        Some(Kind::Heif) => {
            let mut pages = decode_now(path, &crate::heic::to_jpeg(path, bytes, limits)?, limits)?;
            // The JPEG's density is the decoder's default, not the photo's; and the JPEG is our
            // conversion, not the file, so it is never stored as it is.
            for page in &mut pages {
                page.dpi = None;
                page.jpeg = None;
            }
            Ok(pages)
        }
        Some(kind) => {
            // JPEG decoders fill a truncated image with gray and say nothing: a page cut off by
            // an interrupted transfer would go to court half empty. Check the structure first.
            if kind == Kind::Jpeg && !jpeg_is_complete(bytes) {
                return Err(corrupt(
                    path,
                    1,
                    &"the JPEG data ends before its end-of-image marker (the file is truncated)",
                ));
            }
            let format = match kind {
                Kind::Jpeg => ImageFormat::Jpeg,
                Kind::Png => ImageFormat::Png,
                _ => ImageFormat::WebP,
            };
            let (page, upright) = decode_single(path, bytes, format, limits)?;
            let jpeg = (kind == Kind::Jpeg && upright)
                .then(|| untouched::storable_jpeg(bytes, (page.width(), page.height())))
                .flatten();
            let dpi = match kind {
                Kind::Jpeg => jfif_dpi(bytes),
                Kind::Png => png_dpi(bytes),
                _ => None,
            };
            Ok(vec![SourcePage {
                raster: page,
                dpi,
                page_in_file: 1,
                origin: PageOrigin::Image,
                jpeg,
            }])
        }
        None => Err(PaperError::UnsupportedFormat {
            path: path.to_path_buf(),
        }),
    }
}

pub(crate) fn check_dimensions(
    path: &Path,
    page: usize,
    (w, h): (u32, u32),
    limits: &DecodeLimits,
) -> Result<(), PaperError> {
    let exceeded = |limit, actual, max| PaperError::DecodeLimitExceeded {
        path: path.to_path_buf(),
        page,
        limit,
        actual,
        max,
    };
    let side = w.max(h);
    if side > limits.max_side {
        return Err(exceeded(
            "side (pixels)",
            u64::from(side),
            u64::from(limits.max_side),
        ));
    }
    let pixels = u64::from(w) * u64::from(h);
    if pixels > limits.max_pixels {
        return Err(exceeded("page area (pixels)", pixels, limits.max_pixels));
    }
    if w == 0 || h == 0 {
        return Err(corrupt(path, page, &"the image has no pixels"));
    }
    Ok(())
}

pub(crate) fn corrupt(path: &Path, page: usize, detail: &dyn std::fmt::Display) -> PaperError {
    PaperError::Corrupt {
        path: path.to_path_buf(),
        page,
        detail: detail.to_string(),
    }
}

fn decode_single(
    path: &Path,
    bytes: &[u8],
    format: ImageFormat,
    limits: &DecodeLimits,
) -> Result<(Raster, bool), PaperError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut image_limits = image::Limits::default();
    image_limits.max_image_width = Some(limits.max_side);
    image_limits.max_image_height = Some(limits.max_side);
    // Room for the decoded page at 4 bytes a pixel plus the decoder's own buffers.
    image_limits.max_alloc = Some(limits.max_pixels.saturating_mul(5));
    reader.limits(image_limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| map_image_error(path, e, limits))?;
    check_dimensions(path, 1, decoder.dimensions(), limits)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image =
        DynamicImage::from_decoder(decoder).map_err(|e| map_image_error(path, e, limits))?;
    image.apply_orientation(orientation);
    let upright = orientation == image::metadata::Orientation::NoTransforms;
    Ok((Raster::from_dynamic(image), upright))
}

fn map_image_error(path: &Path, error: image::ImageError, limits: &DecodeLimits) -> PaperError {
    match error {
        image::ImageError::Limits(_) => PaperError::DecodeLimitExceeded {
            path: path.to_path_buf(),
            page: 1,
            limit: "decoder memory (bytes)",
            actual: limits.max_pixels.saturating_mul(5).saturating_add(1),
            max: limits.max_pixels.saturating_mul(5),
        },
        image::ImageError::IoError(e) => corrupt(path, 1, &e),
        other => corrupt(path, 1, &other),
    }
}

/// A recorded resolution is believed only within what scanners produce; 72 is the default that
/// software writes when it knows nothing, so it is not believed either.
pub(crate) fn plausible_dpi(dpi: f32) -> Option<f32> {
    (dpi.is_finite() && (100.0..=2400.0).contains(&dpi)).then_some(dpi)
}

/// Walks a JPEG's segments and entropy-coded scans from SOI to EOI; false when the data ends
/// first. Bytes after EOI (some cameras append data) are allowed.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut at = 2; // after SOI
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return false;
        }
        let marker = bytes[at + 1];
        match marker {
            0xD9 => return true,
            // Fill bytes, and markers without a length (TEM, RSTn).
            0xFF => at += 1,
            0x01 | 0xD0..=0xD7 => at += 2,
            _ => {
                let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
                at += 2 + len;
                if marker == 0xDA {
                    // Entropy-coded data runs to the next marker that is not a stuffed zero
                    // or a restart marker.
                    while at + 1 < bytes.len()
                        && !(bytes[at] == 0xFF
                            && bytes[at + 1] != 0
                            && !(0xD0..=0xD7).contains(&bytes[at + 1]))
                    {
                        at += 1;
                    }
                }
            }
        }
    }
    at + 2 <= bytes.len() && bytes[at] == 0xFF && bytes[at + 1] == 0xD9
}

/// The density in a JFIF APP0 segment, when it is in dots per inch or per centimetre.
fn jfif_dpi(bytes: &[u8]) -> Option<f32> {
    let app0 = bytes.get(2..20)?;
    if app0[0..2] != [0xFF, 0xE0] || &app0[4..9] != b"JFIF\0" {
        return None;
    }
    let unit = app0[11];
    let x = f32::from(u16::from_be_bytes([app0[12], app0[13]]));
    match unit {
        1 => plausible_dpi(x),
        2 => plausible_dpi(x * 2.54),
        _ => None,
    }
}

/// The pHYs chunk of a PNG (pixels per metre), when present before the image data.
fn png_dpi(bytes: &[u8]) -> Option<f32> {
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().ok()?) as usize;
        let kind = &bytes[at + 4..at + 8];
        if kind == b"IDAT" {
            return None;
        }
        if kind == b"pHYs" {
            let body = bytes.get(at + 8..at + 8 + 9)?;
            let ppm = u32::from_be_bytes(body[0..4].try_into().ok()?);
            return (body[8] == 1)
                .then_some(ppm as f32 * 0.0254)
                .and_then(plausible_dpi);
        }
        at += 12 + len;
    }
    None
}

/// Names the file in the report: the file name alone, since full paths may hold personal data.
pub fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_formats_by_content_not_name() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(Kind::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n"), Some(Kind::Png));
        assert_eq!(sniff(b"II*\0"), Some(Kind::Tiff));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(Kind::WebP));
        assert_eq!(sniff(b"%PDF-1.7"), Some(Kind::Pdf));
        assert_eq!(sniff(b"junk before %PDF-1.4"), Some(Kind::Pdf));
        assert_eq!(sniff(b"plain text"), None);
    }

    #[test]
    fn a_declared_bomb_fails_before_allocation() {
        let limits = DecodeLimits::default();
        let err = check_dimensions(Path::new("bomb.png"), 1, (100_000, 100_000), &limits)
            .expect_err("a 10 gigapixel page must be refused");
        assert_eq!(err.code(), "paper.decode_limit_exceeded");
        assert!(err.to_string().contains("bomb.png"));
    }

    #[test]
    fn jfif_density_in_inches_and_centimetres() {
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
        jpeg.extend_from_slice(b"JFIF\0");
        jpeg.extend_from_slice(&[1, 2, 1, 1, 44, 1, 44, 0, 0]);
        assert_eq!(jfif_dpi(&jpeg), Some(300.0));
        jpeg[13] = 2;
        jpeg[14..16].copy_from_slice(&118u16.to_be_bytes());
        let dpi = jfif_dpi(&jpeg).expect("118 per cm is about 300 dpi");
        assert!((dpi - 299.72).abs() < 0.01);
        jpeg[13] = 0;
        assert_eq!(jfif_dpi(&jpeg), None, "an aspect ratio is not a resolution");
    }

    #[test]
    fn unknown_and_empty_inputs_have_their_own_errors() {
        let limits = DecodeLimits::default();
        let empty = decode_bytes(Path::new("a.jpg"), &[], &limits).expect_err("empty");
        assert_eq!(empty.code(), "paper.empty_file");
        let text = decode_bytes(Path::new("a.jpg"), b"hello", &limits).expect_err("text");
        assert_eq!(text.code(), "paper.unsupported_format");
    }

    #[test]
    fn truncated_jpegs_are_told_apart_from_complete_ones() {
        let mut jpeg = vec![0xFF, 0xD8];
        // A DQT-like segment of 4 bytes, then a scan with a stuffed zero and a restart marker.
        jpeg.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x04, 0x01, 0x02]);
        jpeg.extend_from_slice(&[
            0xFF, 0xDA, 0x00, 0x02, 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56,
        ]);
        let mut complete = jpeg.clone();
        complete.extend_from_slice(&[0xFF, 0xD9, 0x00, 0x00]);
        assert!(jpeg_is_complete(&complete));
        assert!(!jpeg_is_complete(&jpeg));
        assert!(!jpeg_is_complete(&complete[..complete.len() - 3]));
    }

    #[test]
    fn names_files_without_their_folders() {
        assert_eq!(display_name(Path::new("/home/x/合同.jpg")), "合同.jpg");
    }
}
