//! Compressing a rendered page for the PDF: bilevel pages losslessly as JBIG2 (symbol coded
//! with refinement, or one generic region; `crate::jbig2`) or CCITT Group 4, whichever is
//! smallest; gray and colour pages as baseline JPEG.
//!
//! JBIG2 is coded losslessly (no symbol substitution): every pixel the binarization produced is
//! kept. On the 300 dpi text pages of the benchmark set the symbol coding is 19–41 % smaller
//! than the generic region, which is 17–23 % smaller than G4 (docs/benchmarks.md). All three
//! are coded and the smallest kept: G4 costs little next to the arithmetic coders, the generic
//! region wins on handwriting (too little repeats for a dictionary to pay), and
//! `BilevelCoding::CcittG4` asks for G4 alone (for readers without JBIG2, which PDF 1.4
//! added).

use fax::encoder::Encoder as FaxEncoder;
use fax::{Color, VecWriter};
use serde::Serialize;

use crate::binarize::Sauvola;
use crate::error::PaperError;
use crate::jbig2::{self, Bitmap};
use crate::raster::Raster;

/// How a page image is stored in the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageCoding {
    /// 1 bit a pixel, `/CCITTFaxDecode` with K = −1; 0 bits are black.
    CcittG4,
    /// 1 bit a pixel, `/JBIG2Decode`: one lossless generic region, template 0.
    Jbig2Generic,
    /// 1 bit a pixel, `/JBIG2Decode`: a symbol dictionary and a text region whose instances
    /// are refined to their exact pixels, plus a generic region for what is not text; as
    /// lossless as the generic region.
    Jbig2Text,
    /// 8-bit gray, `/DCTDecode`.
    JpegGray,
    /// 8-bit RGB, `/DCTDecode`.
    JpegRgb,
}

/// A compressed page image ready to be placed in a PDF.
#[derive(Clone, PartialEq, Eq)]
pub struct EncodedImage {
    pub width: u32,
    pub height: u32,
    pub coding: ImageCoding,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for EncodedImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "EncodedImage({}x{} {:?}, {} bytes)",
            self.width,
            self.height,
            self.coding,
            self.bytes.len()
        )
    }
}

/// Which codings a bilevel page may be stored in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BilevelCoding {
    /// JBIG2 (symbol coded or generic region) or CCITT G4, whichever is smallest (all
    /// lossless).
    #[default]
    Smallest,
    /// CCITT G4 only, for readers that predate JBIG2 (PDF 1.4).
    CcittG4,
}

/// Binarizes a gray page and codes it losslessly as `coding` allows. Returns the image and the
/// share of pixels that are ink, which the quality checks use.
pub fn encode_bilevel(
    gray: &Raster,
    params: Sauvola,
    coding: BilevelCoding,
) -> (EncodedImage, f64) {
    let (width, height) = (gray.width(), gray.height());
    let mut encoder = FaxEncoder::new(VecWriter::with_capacity(64 * 1024));
    let mut bitmap = (coding == BilevelCoding::Smallest).then(|| Bitmap::new(width, height));
    let mut ink = 0u64;
    params.rows(gray, |row| {
        ink += row.iter().filter(|&&b| b).count() as u64;
        let pels = row
            .iter()
            .map(|&black| if black { Color::Black } else { Color::White });
        // VecWriter cannot fail: its error type is Infallible.
        let Ok(()) = encoder.encode_line(pels, width);
        if let Some(bitmap) = bitmap.as_mut() {
            bitmap.push_row(row);
        }
    });
    let Ok(writer) = encoder.finish();
    let g4 = writer.finish();
    let total = u64::from(width) * u64::from(height);
    let ink_share = ink as f64 / total.max(1) as f64;
    let mut best = (ImageCoding::CcittG4, g4);
    if let Some(bitmap) = bitmap {
        let generic = jbig2::encode_lossless(&bitmap);
        if generic.len() < best.1.len() {
            best = (ImageCoding::Jbig2Generic, generic);
        }
        if let Some(text) = jbig2::encode_symbols(&bitmap)
            && text.len() < best.1.len()
        {
            best = (ImageCoding::Jbig2Text, text);
        }
    }
    let (coding, bytes) = best;
    (
        EncodedImage {
            width,
            height,
            coding,
            bytes,
        },
        ink_share,
    )
}

/// Codes a gray or RGB page as baseline JPEG with optimised Huffman tables.
pub fn encode_jpeg(
    page: &Raster,
    quality: u8,
    page_number: usize,
) -> Result<EncodedImage, PaperError> {
    let too_big = || PaperError::Encode {
        page: page_number,
        detail: format!(
            "a {}×{} page is larger than JPEG allows",
            page.width(),
            page.height()
        ),
    };
    let w = u16::try_from(page.width()).map_err(|_| too_big())?;
    let h = u16::try_from(page.height()).map_err(|_| too_big())?;
    let mut bytes = Vec::with_capacity(page.data().len() / 10);
    let mut encoder = jpeg_encoder::Encoder::new(&mut bytes, quality);
    encoder.set_optimized_huffman_tables(true);
    let (colour, coding) = if page.is_rgb() {
        (jpeg_encoder::ColorType::Rgb, ImageCoding::JpegRgb)
    } else {
        (jpeg_encoder::ColorType::Luma, ImageCoding::JpegGray)
    };
    encoder
        .encode(page.data(), w, h, colour)
        .map_err(|e| PaperError::Encode {
            page: page_number,
            detail: e.to_string(),
        })?;
    Ok(EncodedImage {
        width: page.width(),
        height: page.height(),
        coding,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes G4 data with the fax crate's decoder into rows of ink flags.
    fn decode_g4(bytes: &[u8], width: u32, height: u32) -> Vec<Vec<bool>> {
        let mut rows = Vec::new();
        fax::decoder::decode_g4(bytes.iter().copied(), width, Some(height), |t| {
            rows.push(
                fax::decoder::pels(t, width)
                    .map(|c| c == Color::Black)
                    .collect(),
            );
        })
        .expect("valid G4");
        rows
    }

    /// A text-like gray page whose ink is plain to any threshold, and parameters for it.
    fn text_like_page(w: u32, h: u32) -> (Vec<u8>, Sauvola) {
        let mut data = vec![255u8; (w * h) as usize];
        for y in 0..h {
            for x in 0..w {
                let ink = (x * 7 + y * 3) % 23 < 5 || (y % 17 < 2) || x == 0 || x == w - 1;
                if ink {
                    data[(y * w + x) as usize] = 0;
                }
            }
        }
        let params = Sauvola {
            radius: 4,
            k: 0.2,
            range: 128.0,
            paper: 128,
            ink: 128,
        };
        (data, params)
    }

    #[test]
    fn smallest_takes_jbig2_on_text_and_it_holds_the_same_pixels() {
        let (w, h) = (333u32, 97u32);
        let (data, params) = text_like_page(w, h);
        let gray = Raster::gray(w, h, data.clone());
        let (g4, _) = encode_bilevel(&gray, params, BilevelCoding::CcittG4);
        let (image, _) = encode_bilevel(&gray, params, BilevelCoding::Smallest);
        assert_eq!(image.coding, ImageCoding::Jbig2Generic);
        assert!(image.bytes.len() < g4.bytes.len());
        let rows = jbig2::decode_lossless(&image.bytes, w, h);
        let g4_rows = decode_g4(&g4.bytes, w, h);
        for (y, (row, g4_row)) in rows.iter().zip(&g4_rows).enumerate() {
            for (x, (&pixel, &black)) in row.iter().zip(g4_row).enumerate() {
                assert_eq!(pixel == 1, black, "pixel {x},{y}");
                assert_eq!(black, data[y * w as usize + x] == 0, "pixel {x},{y}");
            }
        }
    }

    #[test]
    fn g4_round_trips_text_like_rows() {
        let (w, h) = (333u32, 97u32);
        let (data, params) = text_like_page(w, h);
        let gray = Raster::gray(w, h, data.clone());
        let (image, ink) = encode_bilevel(&gray, params, BilevelCoding::CcittG4);
        assert!(ink > 0.1 && ink < 0.6, "ink share {ink}");
        assert_eq!(image.coding, ImageCoding::CcittG4);
        let rows = decode_g4(&image.bytes, w, h);
        assert_eq!(rows.len(), h as usize);
        for (y, row) in rows.iter().enumerate() {
            for (x, &black) in row.iter().enumerate() {
                assert_eq!(black, data[y * w as usize + x] == 0, "pixel {x},{y}");
            }
        }
    }

    #[test]
    fn jpeg_is_baseline_and_sized() {
        let page = Raster::rgb(64, 32, vec![200; 64 * 32 * 3]);
        let image = encode_jpeg(&page, 70, 1).expect("encodes");
        assert_eq!(image.coding, ImageCoding::JpegRgb);
        assert_eq!(&image.bytes[..2], &[0xFF, 0xD8]);
        let decoded = image::load_from_memory(&image.bytes).expect("decodes");
        assert_eq!((decoded.width(), decoded.height()), (64, 32));
    }
}
