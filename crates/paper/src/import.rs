//! PDF import: the pages of an existing PDF become source pages for the same pipeline as
//! scans and photos.
//!
//! A file is refused before any page is read when it is encrypted, when it carries active
//! content (JavaScript, launch actions, embedded files, XFA forms), or when its structure is
//! broken (no readable cross-reference table, so objects may be missing; no pages).
//!
//! A page that only shows one upright image (a scan) gives that image at its own resolution:
//! JPEG data goes through the JPEG decoder as it is, CCITT G4 is decoded with `fax`, and
//! Flate, LZW or run-length samples are inflated with a cap of the size the image declares.
//! Every other page (text, vector drawings, JBIG2 or JPEG 2000 images, masks, rotated or
//! cropped placement) is rendered by poppler's `pdftoppm` at 300 dpi and the rendering goes
//! through the pipeline. The output therefore stays an image-only PDF/A-2b whatever the input
//! held: copying arbitrary page content would carry fonts, transparency and colour spaces
//! into the bundle that PDF/A-2b may not allow, and the court sees the page as it looked.

use crate::child::{self, ChildError};
use std::path::{Path, PathBuf};
use std::process::Command;

use lopdf::{Document, Object, ObjectId};

use crate::deadline::decode_time_exceeded;
use crate::decode::{
    DecodeLimits, PageOrigin, SourcePage, check_dimensions, decode_bytes, plausible_dpi,
};
use crate::error::PaperError;
use crate::pdf_page::{
    ColourSpace, GENERIC_FILTERS, ShownImage, active_content, bits, components, decode_inverted,
    int, page_size, single_image,
};
use crate::raster::Raster;

/// Resolution pages are rendered at when they are not a single image.
pub const RENDER_DPI: f64 = 300.0;

/// An opened, checked PDF whose pages are produced one at a time, so that a long file never
/// holds more than one decoded page in memory.
pub struct PdfPages {
    path: PathBuf,
    bytes: Vec<u8>,
    doc: Document,
    pages: Vec<ObjectId>,
    next: usize,
    limits: DecodeLimits,
}

impl std::fmt::Debug for PdfPages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PdfPages({}, {} pages)",
            self.path.display(),
            self.pages.len()
        )
    }
}

impl PdfPages {
    /// Opens and checks a PDF held in memory; `path` names it in errors.
    pub fn open(path: &Path, bytes: Vec<u8>, limits: &DecodeLimits) -> Result<Self, PaperError> {
        let broken = |detail: &dyn std::fmt::Display| PaperError::PdfBroken {
            path: path.to_path_buf(),
            detail: detail.to_string(),
        };
        let encrypted = || PaperError::PdfEncrypted {
            path: path.to_path_buf(),
        };
        let doc = match Document::load_mem(&bytes) {
            Ok(doc) => doc,
            Err(lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_)) => {
                return Err(encrypted());
            }
            Err(e) => return Err(broken(&e)),
        };
        // An empty user password opens a file for reading, but it is still encrypted (often
        // with restrictions on copying); and PDF/A forbids encryption.
        if doc.was_encrypted() || doc.trailer.has(b"Encrypt") {
            return Err(encrypted());
        }
        if matches!(
            doc.xref_recovery,
            Some(lopdf::xref::XrefRecovery::Reconstructed)
        ) {
            return Err(broken(
                &"its cross-reference table is missing or unreadable, so pages may be lost \
                  (the file is probably truncated)",
            ));
        }
        if let Some(what) = active_content(&doc) {
            return Err(PaperError::PdfActiveContent {
                path: path.to_path_buf(),
                what,
            });
        }
        let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
        if pages.is_empty() {
            return Err(broken(&"it has no pages"));
        }
        if pages.len() > limits.max_pages {
            return Err(PaperError::DecodeLimitExceeded {
                path: path.to_path_buf(),
                page: limits.max_pages + 1,
                limit: "pages in one file",
                actual: pages.len() as u64,
                max: limits.max_pages as u64,
            });
        }
        Ok(Self {
            path: path.to_path_buf(),
            bytes,
            doc,
            pages,
            next: 0,
            limits: *limits,
        })
    }

    fn page(&self, index: usize) -> Result<SourcePage, PaperError> {
        let number = index + 1;
        let id = self.pages[index];
        let raster_and_dpi = match single_image(&self.doc, id) {
            Some(shown) => self.extract(number, &shown)?,
            None => None,
        };
        let ((raster, dpi), origin) = match raster_and_dpi {
            Some(found) => (found, PageOrigin::PdfImage),
            None => (self.render(number, id)?, PageOrigin::PdfRendered),
        };
        Ok(SourcePage {
            raster,
            dpi,
            page_in_file: number,
            origin,
            jpeg: None,
        })
    }

    /// The image's pixels, or `None` when its coding is one this import leaves to poppler.
    fn extract(
        &self,
        page: usize,
        shown: &ShownImage<'_>,
    ) -> Result<Option<(Raster, Option<f32>)>, PaperError> {
        let dict = &shown.stream.dict;
        let (Some(w), Some(h)) = (int(dict, b"Width"), int(dict, b"Height")) else {
            return Ok(None);
        };
        let (Ok(w), Ok(h)) = (u32::try_from(w), u32::try_from(h)) else {
            return Ok(None);
        };
        check_dimensions(&self.path, page, (w, h), &self.limits)?;
        let dpi = plausible_dpi(f64::from(w) as f32 / (shown.width_pt / 72.0) as f32);
        let filters: Vec<&[u8]> = shown.stream.filters().unwrap_or_default();
        let raster = match filters.as_slice() {
            [b"DCTDecode"] => self.jpeg(page, shown, (w, h))?,
            [b"CCITTFaxDecode"] => self.ccitt(page, shown, (w, h))?,
            _ if filters.iter().all(|f| GENERIC_FILTERS.contains(f)) => {
                self.samples(page, shown, (w, h))?
            }
            _ => None,
        };
        Ok(raster.map(|r| (r, dpi)))
    }

    fn jpeg(
        &self,
        page: usize,
        shown: &ShownImage<'_>,
        (w, h): (u32, u32),
    ) -> Result<Option<Raster>, PaperError> {
        let components = components(&self.doc, &shown.stream.dict);
        // CMYK JPEGs (often inverted, by Adobe's convention) are left to poppler.
        if !matches!(components, Some(1 | 3)) || shown.stream.dict.has(b"Decode") {
            return Ok(None);
        }
        let mut pages = decode_bytes(&self.path, &shown.stream.content, &self.limits)
            .map_err(|e| self.renumber(e, page))?;
        let raster = pages.pop().map(|p| p.raster);
        // PDF viewers ignore EXIF orientation; a JPEG whose EXIF turned it is left to poppler
        // so that the page looks as it does in every viewer.
        Ok(raster.filter(|r| r.width() == w && r.height() == h))
    }

    fn ccitt(
        &self,
        page: usize,
        shown: &ShownImage<'_>,
        (w, h): (u32, u32),
    ) -> Result<Option<Raster>, PaperError> {
        let dict = &shown.stream.dict;
        let params = dict
            .get(b"DecodeParms")
            .ok()
            .and_then(|p| match p {
                Object::Array(a) => a.first(),
                other => Some(other),
            })
            .and_then(|p| self.doc.dereference(p).ok())
            .and_then(|(_, p)| p.as_dict().ok());
        let param = |key: &[u8]| params.and_then(|p| p.get(key).ok());
        let k = param(b"K").and_then(|v| v.as_i64().ok()).unwrap_or(0);
        let columns = param(b"Columns")
            .and_then(|v| v.as_i64().ok())
            .unwrap_or(1728);
        let black_is_1 = param(b"BlackIs1").and_then(|v| v.as_bool().ok()) == Some(true);
        let byte_align = param(b"EncodedByteAlign").and_then(|v| v.as_bool().ok()) == Some(true);
        // Only Group 4 without byte alignment here; Group 3 goes to poppler.
        if k >= 0 || byte_align || columns != i64::from(w) || bits(dict) != Some(1) {
            return Ok(None);
        }
        let Some(inverted) = decode_inverted(dict) else {
            return Ok(None);
        };
        let (wu, hu) = (w as usize, h as usize);
        let mut gray = Vec::with_capacity(wu * hu);
        let decoded = fax::decoder::decode_g4(
            shown.stream.content.iter().copied(),
            w,
            Some(h),
            |transitions| {
                if gray.len() < wu * hu {
                    gray.extend(fax::decoder::pels(transitions, w).map(|c| {
                        // The filter gives 1 for black when BlackIs1, else 0; the colour space
                        // (with its Decode array) then reads 1 as white.
                        let bit = (c == fax::Color::Black) == black_is_1;
                        if bit == inverted { 0 } else { 255 }
                    }));
                }
            },
        );
        if decoded.is_none() || gray.len() != wu * hu {
            return Err(self.corrupt(page, &"the CCITT G4 image data cannot be decoded"));
        }
        Ok(Some(Raster::gray(w, h, gray)))
    }

    fn samples(
        &self,
        page: usize,
        shown: &ShownImage<'_>,
        (w, h): (u32, u32),
    ) -> Result<Option<Raster>, PaperError> {
        let dict = &shown.stream.dict;
        let Some(space) = ColourSpace::of(&self.doc, dict) else {
            return Ok(None);
        };
        let Some(bpc) = bits(dict) else {
            return Ok(None);
        };
        let channels = space.channels();
        let supported = match space {
            ColourSpace::Indexed { .. } => matches!(bpc, 1 | 2 | 4 | 8),
            _ if channels == 1 => matches!(bpc, 1 | 8 | 16),
            ColourSpace::Direct(_) => matches!(bpc, 8 | 16),
        };
        if !supported {
            return Ok(None);
        }
        let inverted = if bpc == 1 && !matches!(space, ColourSpace::Indexed { .. }) {
            match decode_inverted(dict) {
                Some(inverted) => inverted,
                None => return Ok(None),
            }
        } else if dict.has(b"Decode") {
            return Ok(None);
        } else {
            false
        };
        let (wu, hu) = (w as usize, h as usize);
        let stride = (wu * channels * bpc as usize).div_ceil(8);
        let expected = stride * hu;
        // PNG predictors inflate to one tag byte a row more than the samples.
        let data = shown
            .stream
            .decompressed_content_with_limit(expected + hu)
            .map_err(|e| self.corrupt(page, &format!("the image data cannot be decoded: {e}")))?;
        if data.len() < expected {
            return Err(self.corrupt(
                page,
                &format!(
                    "the image holds {} bytes of the {expected} it declares (it is truncated)",
                    data.len()
                ),
            ));
        }
        let sample = |row: &[u8], i: usize| -> u8 {
            match bpc {
                8 => row[i],
                16 => row[i * 2],
                _ => {
                    let per_byte = 8 / bpc as usize;
                    let shift = 8 - bpc as usize * (i % per_byte + 1);
                    (row[i / per_byte] >> shift) & ((1u8 << bpc) - 1)
                }
            }
        };
        let rows = data[..expected].chunks_exact(stride);
        let raster = match &space {
            ColourSpace::Indexed { base, palette } => {
                let mut out = Vec::with_capacity(wu * hu * base);
                for row in rows {
                    for x in 0..wu {
                        let at = usize::from(sample(row, x)) * base;
                        let entry = palette.get(at..at + base).unwrap_or(&[0, 0, 0][..*base]);
                        out.extend_from_slice(entry);
                    }
                }
                if *base == 1 {
                    Raster::gray(w, h, out)
                } else {
                    Raster::rgb(w, h, out)
                }
            }
            _ if channels == 1 => {
                let mut out = Vec::with_capacity(wu * hu);
                for row in rows {
                    out.extend((0..wu).map(|x| {
                        let v = sample(row, x);
                        match (bpc, inverted) {
                            (1, false) => v * 255,
                            (1, true) => (1 - v) * 255,
                            _ => v,
                        }
                    }));
                }
                Raster::gray(w, h, out)
            }
            ColourSpace::Direct(_) => {
                let mut out = Vec::with_capacity(wu * hu * 3);
                for row in rows {
                    out.extend((0..wu * 3).map(|i| sample(row, i)));
                }
                Raster::rgb(w, h, out)
            }
        };
        Ok(Some(raster))
    }

    /// Renders a page with poppler, at 300 dpi or less when the page is too large for the
    /// decode limits at that resolution.
    fn render(&self, page: usize, id: ObjectId) -> Result<(Raster, Option<f32>), PaperError> {
        let render_err = |detail: String| PaperError::PdfRender {
            path: self.path.clone(),
            page,
            detail,
        };
        let (w_pt, h_pt) = page_size(&self.doc, id)
            .ok_or_else(|| self.broken(format!("page {page} has no usable MediaBox")))?;
        let max_side = f64::from(self.limits.max_side);
        let dpi = RENDER_DPI
            .min(max_side * 72.0 / w_pt.max(h_pt))
            .min((self.limits.max_pixels as f64 / (w_pt * h_pt)).sqrt() * 72.0)
            .floor();
        if dpi < 1.0 {
            return Err(self.broken(format!(
                "page {page} is {w_pt:.0} × {h_pt:.0} points, too large to render"
            )));
        }
        let mut command = Command::new("pdftoppm");
        command
            .args(["-png", "-singlefile", "-r"])
            .arg(format!("{dpi}"))
            .args(["-f", &page.to_string(), "-l", &page.to_string(), "-"]);
        let output =
            child::run(command, &self.bytes, self.limits.max_decode_time).map_err(|e| match e {
                ChildError::Start(e) => render_err(format!(
                    "cannot run pdftoppm ({e}); install poppler-utils to import PDF pages that \
                     are not a single scanned image"
                )),
                ChildError::TimedOut(limit) => {
                    decode_time_exceeded(&self.path, page, limit, &self.limits)
                }
                ChildError::Wait(e) => render_err(format!("pdftoppm failed: {e}")),
            })?;
        if !output.status.success() || output.stdout.is_empty() {
            return Err(render_err(format!(
                "pdftoppm failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        let mut pages = decode_bytes(&self.path, &output.stdout, &self.limits)
            .map_err(|e| self.renumber(e, page))?;
        let raster = pages
            .pop()
            .map(|p| p.raster)
            .ok_or_else(|| render_err("pdftoppm gave no image".into()))?;
        Ok((raster, Some(dpi as f32)))
    }

    fn corrupt(&self, page: usize, detail: &dyn std::fmt::Display) -> PaperError {
        PaperError::Corrupt {
            path: self.path.clone(),
            page,
            detail: detail.to_string(),
        }
    }

    fn broken(&self, detail: String) -> PaperError {
        PaperError::PdfBroken {
            path: self.path.clone(),
            detail,
        }
    }

    /// Errors from decoding one page's image name page 1; this is the page of the PDF.
    fn renumber(&self, error: PaperError, page: usize) -> PaperError {
        match error {
            PaperError::Corrupt { detail, .. } => self.corrupt(page, &detail),
            PaperError::DecodeLimitExceeded {
                limit, actual, max, ..
            } => PaperError::DecodeLimitExceeded {
                path: self.path.clone(),
                page,
                limit,
                actual,
                max,
            },
            other => other,
        }
    }
}

impl Iterator for PdfPages {
    type Item = Result<SourcePage, PaperError>;

    fn next(&mut self) -> Option<Self::Item> {
        let index = self.next;
        if index >= self.pages.len() {
            return None;
        }
        self.next += 1;
        Some(self.page(index))
    }
}

/// Filters whose output is raw samples, which lopdf inflates with a cap.
#[cfg(test)]
mod tests {
    use lopdf::Dictionary;

    use super::*;
    use crate::pdf_page::{active_in, multiply};

    #[test]
    fn matrices_compose_in_pdf_order() {
        // Scale then translate: the translation is not scaled.
        let scale = [2.0, 0.0, 0.0, 3.0, 0.0, 0.0];
        let translate = [1.0, 0.0, 0.0, 1.0, 10.0, 20.0];
        let whole = |m: [f64; 6]| m.map(|v| v.round() as i64);
        assert_eq!(whole(multiply(&scale, &translate)), [2, 0, 0, 3, 10, 20]);
        assert_eq!(whole(multiply(&translate, &scale)), [2, 0, 0, 3, 20, 60]);
    }

    #[test]
    fn active_content_is_found_however_deep() {
        let mut js = Dictionary::new();
        js.set("S", Object::Name(b"JavaScript".to_vec()));
        js.set("JS", Object::string_literal("app.alert(1)"));
        let mut aa = Dictionary::new();
        aa.set("O", Object::Dictionary(js));
        let mut page = Dictionary::new();
        page.set("AA", Object::Array(vec![Object::Dictionary(aa)]));
        assert_eq!(active_in(&Object::Dictionary(page), 0), Some("JavaScript"));

        let mut launch = Dictionary::new();
        launch.set("S", Object::Name(b"Launch".to_vec()));
        assert!(
            active_in(&Object::Dictionary(launch), 0)
                .is_some_and(|w| w.starts_with("a launch action"))
        );

        let mut plain = Dictionary::new();
        plain.set("Type", Object::Name(b"Page".to_vec()));
        assert_eq!(active_in(&Object::Dictionary(plain), 0), None);
    }

    #[test]
    fn decode_arrays_of_one_bit_images() {
        let mut dict = Dictionary::new();
        assert_eq!(decode_inverted(&dict), Some(false));
        dict.set("Decode", Object::Array(vec![1.into(), 0.into()]));
        assert_eq!(decode_inverted(&dict), Some(true));
        dict.set("Decode", Object::Array(vec![0.into(), 0.5.into()]));
        assert_eq!(decode_inverted(&dict), None);
    }
}
