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

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use crate::decode::{
    DecodeLimits, PageOrigin, SourcePage, check_dimensions, decode_bytes, plausible_dpi,
};
use crate::error::PaperError;
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
        let mut child = Command::new("pdftoppm")
            .args(["-png", "-singlefile", "-r"])
            .arg(format!("{dpi}"))
            .args(["-f", &page.to_string(), "-l", &page.to_string(), "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                render_err(format!(
                    "cannot run pdftoppm ({e}); install poppler-utils to import PDF pages that \
                     are not a single scanned image"
                ))
            })?;
        // Feed the file from another thread: pdftoppm may write before it has read it all.
        let stdin = child.stdin.take();
        let output = std::thread::scope(|s| {
            s.spawn(|| {
                if let Some(mut stdin) = stdin {
                    // A write error means pdftoppm stopped early; its exit status says why.
                    let _ = stdin.write_all(&self.bytes);
                }
            });
            child.wait_with_output()
        })
        .map_err(|e| render_err(format!("pdftoppm failed: {e}")))?;
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
const GENERIC_FILTERS: [&[u8]; 5] = [
    b"FlateDecode",
    b"LZWDecode",
    b"RunLengthDecode",
    b"ASCII85Decode",
    b"ASCIIHexDecode",
];

/// The one image a page shows and how wide it is drawn, in points.
struct ShownImage<'a> {
    stream: &'a Stream,
    width_pt: f64,
}

/// The image a page shows when its content is nothing but one image drawn upright, not
/// flipped, wholly visible: `q`, `cm`, `Do`, `Q`, a rectangular clip (and `ri`, `i`), and no
/// mask.
fn single_image(doc: &Document, page: ObjectId) -> Option<ShownImage<'_>> {
    let page_dict = doc.get_dictionary(page).ok()?;
    if inherited(doc, page_dict, b"Rotate")
        .and_then(|r| r.as_i64().ok())
        .is_some_and(|r| r.rem_euclid(360) != 0)
    {
        return None;
    }
    let content = doc.get_and_decode_page_content(page).ok()?;
    let (pw, ph) = page_size(doc, page)?;
    let (ox, oy) = page_origin(doc, page)?;
    // The graphics state that matters here: the matrix and the clip (x0, y0, x1, y1).
    let mut ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    let mut clip = [ox, oy, ox + pw, oy + ph];
    let mut stack = Vec::new();
    let mut path: Option<[f64; 4]> = None;
    let mut clipping = false;
    let mut shown = None;
    for op in &content.operations {
        let numbers = || -> Option<Vec<f64>> {
            op.operands
                .iter()
                .map(|o| o.as_float().map(f64::from).ok())
                .collect()
        };
        match op.operator.as_str() {
            "q" => stack.push((ctm, clip)),
            "Q" => (ctm, clip) = stack.pop()?,
            "cm" => {
                let m: [f64; 6] = numbers()?.try_into().ok()?;
                ctm = multiply(&m, &ctm);
            }
            // A rectangle made the clip (`re W n`), as scanners' PDFs often draw around
            // the image.
            "re" if path.is_none() && upright(&ctm) => {
                let [x, y, w, h]: [f64; 4] = numbers()?.try_into().ok()?;
                let [a, _, _, d, e, f] = ctm;
                let (x0, x1) = (e + a * x, e + a * (x + w));
                let (y0, y1) = (f + d * y, f + d * (y + h));
                path = Some([x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)]);
            }
            "W" | "W*" if path.is_some() => clipping = true,
            "n" if clipping => {
                let r = path.take()?;
                clip = [
                    clip[0].max(r[0]),
                    clip[1].max(r[1]),
                    clip[2].min(r[2]),
                    clip[3].min(r[3]),
                ];
                clipping = false;
            }
            // Rendering intent and flatness change nothing in how an image looks here.
            "ri" | "i" => {}
            "Do" if shown.is_none() && path.is_none() => {
                let name = op.operands.first()?.as_name().ok()?;
                shown = Some((name.to_vec(), ctm, clip));
            }
            _ => return None,
        }
    }
    let (name, ctm, clip) = shown?;
    let [a, _, _, d, e, f] = ctm;
    // The whole image must be visible: inside the page and inside any clip.
    let tolerance = 1.0;
    if !upright(&ctm)
        || e < clip[0] - tolerance
        || f < clip[1] - tolerance
        || e + a > clip[2] + tolerance
        || f + d > clip[3] + tolerance
    {
        return None;
    }
    let stream = xobject(doc, page, &name)?;
    let dict = &stream.dict;
    if dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Image".as_slice())
        || dict.has(b"SMask")
        || dict.has(b"Mask")
        || dict.get(b"ImageMask").and_then(Object::as_bool).ok() == Some(true)
    {
        return None;
    }
    Some(ShownImage {
        stream,
        width_pt: a,
    })
}

/// Not rotated, skewed or flipped.
fn upright(m: &[f64; 6]) -> bool {
    m[1].abs() < 1e-6 && m[2].abs() < 1e-6 && m[0] > 0.0 && m[3] > 0.0
}

fn multiply(m: &[f64; 6], n: &[f64; 6]) -> [f64; 6] {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

/// A page attribute, looked up through the page tree as the spec allows for inheritable keys.
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..64 {
        if let Ok(value) = node.get(key) {
            return doc.dereference(value).ok().map(|(_, v)| v);
        }
        node = node
            .get(b"Parent")
            .and_then(Object::as_reference)
            .and_then(|id| doc.get_dictionary(id))
            .ok()?;
    }
    None
}

fn visible_box(doc: &Document, page: ObjectId) -> Option<[f64; 4]> {
    let dict = doc.get_dictionary(page).ok()?;
    let rect = inherited(doc, dict, b"CropBox").or_else(|| inherited(doc, dict, b"MediaBox"))?;
    let values: Vec<f64> = rect
        .as_array()
        .ok()?
        .iter()
        .map(|v| doc.dereference(v).ok()?.1.as_float().ok().map(f64::from))
        .collect::<Option<_>>()?;
    let [x0, y0, x1, y1]: [f64; 4] = values.try_into().ok()?;
    let (w, h) = ((x1 - x0).abs(), (y1 - y0).abs());
    (w.is_finite() && h.is_finite() && w >= 1.0 && h >= 1.0).then_some([
        x0.min(x1),
        y0.min(y1),
        w,
        h,
    ])
}

/// The visible page's width and height, in points.
fn page_size(doc: &Document, page: ObjectId) -> Option<(f64, f64)> {
    visible_box(doc, page).map(|b| (b[2], b[3]))
}

fn page_origin(doc: &Document, page: ObjectId) -> Option<(f64, f64)> {
    visible_box(doc, page).map(|b| (b[0], b[1]))
}

/// The image `XObject` called `name` in the page's resources.
fn xobject<'a>(doc: &'a Document, page: ObjectId, name: &[u8]) -> Option<&'a Stream> {
    let (direct, ids) = doc.get_page_resources(page).ok()?;
    let dicts = direct
        .into_iter()
        .chain(ids.iter().filter_map(|id| doc.get_dictionary(*id).ok()));
    for resources in dicts {
        let Ok(xobjects) = resources.get(b"XObject") else {
            continue;
        };
        let Some(xobjects) = doc
            .dereference(xobjects)
            .ok()
            .and_then(|(_, x)| x.as_dict().ok())
        else {
            continue;
        };
        if let Ok(reference) = xobjects.get(name) {
            return doc.dereference(reference).ok()?.1.as_stream().ok();
        }
    }
    None
}

fn int(dict: &Dictionary, key: &[u8]) -> Option<i64> {
    dict.get(key).ok()?.as_i64().ok()
}

fn bits(dict: &Dictionary) -> Option<u8> {
    u8::try_from(int(dict, b"BitsPerComponent")?).ok()
}

/// For 1-bit images: whether the Decode array inverts the samples; `None` for arrays other
/// than `[0 1]` and `[1 0]`.
fn decode_inverted(dict: &Dictionary) -> Option<bool> {
    let Ok(decode) = dict.get(b"Decode") else {
        return Some(false);
    };
    let values: Vec<i64> = decode
        .as_array()
        .ok()?
        .iter()
        .map(|v| match v {
            Object::Integer(i) => Some(*i),
            // Written as reals by some producers; only exact 0 and 1 count.
            Object::Real(r) if r.fract() == 0.0 => Some(*r as i64),
            _ => None,
        })
        .collect::<Option<_>>()?;
    match values.as_slice() {
        [0, 1] => Some(false),
        [1, 0] => Some(true),
        _ => None,
    }
}

/// Colour spaces whose samples this import reads itself.
enum ColourSpace {
    /// Gray (1) or RGB (3), device or ICC-based.
    Direct(usize),
    /// A palette of `base`-component entries (1 or 3).
    Indexed { base: usize, palette: Vec<u8> },
}

impl ColourSpace {
    fn of(doc: &Document, dict: &Dictionary) -> Option<Self> {
        let space = doc.dereference(dict.get(b"ColorSpace").ok()?).ok()?.1;
        if let Ok(array) = space.as_array()
            && array.first().and_then(|n| n.as_name().ok()) == Some(b"Indexed".as_slice())
        {
            let [_, base, hival, lookup] = array.as_slice() else {
                return None;
            };
            let base @ (1 | 3) = direct_components(doc, doc.dereference(base).ok()?.1)? else {
                return None;
            };
            let entries = usize::try_from(doc.dereference(hival).ok()?.1.as_i64().ok()?)
                .ok()?
                .checked_add(1)?;
            let palette = match doc.dereference(lookup).ok()?.1 {
                Object::String(bytes, _) => bytes.clone(),
                Object::Stream(s) => s.decompressed_content_with_limit(256 * 3).ok()?,
                _ => return None,
            };
            (entries <= 256).then_some(Self::Indexed { base, palette })
        } else {
            match direct_components(doc, space)? {
                n @ (1 | 3) => Some(Self::Direct(n)),
                _ => None,
            }
        }
    }

    fn channels(&self) -> usize {
        match self {
            Self::Direct(n) => *n,
            Self::Indexed { .. } => 1,
        }
    }
}

/// Components of a device or ICC-based colour space.
fn direct_components(doc: &Document, space: &Object) -> Option<usize> {
    match space {
        Object::Name(n) if n == b"DeviceGray" || n == b"CalGray" => Some(1),
        Object::Name(n) if n == b"DeviceRGB" || n == b"CalRGB" => Some(3),
        Object::Name(n) if n == b"DeviceCMYK" => Some(4),
        Object::Array(a) => {
            let kind = a.first()?.as_name().ok()?;
            match kind {
                b"ICCBased" => {
                    let stream = doc.dereference(a.get(1)?).ok()?.1.as_stream().ok()?;
                    usize::try_from(int(&stream.dict, b"N")?).ok()
                }
                b"CalGray" => Some(1),
                b"CalRGB" => Some(3),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Components of an image's colour space, for JPEG images.
fn components(doc: &Document, dict: &Dictionary) -> Option<usize> {
    let space = doc.dereference(dict.get(b"ColorSpace").ok()?).ok()?.1;
    direct_components(doc, space)
}

/// Active content anywhere in the file, named for a person: what a court bundle must not
/// carry and a conversion would otherwise drop without a word.
fn active_content(doc: &Document) -> Option<&'static str> {
    doc.objects.values().find_map(|o| active_in(o, 0))
}

fn active_in(object: &Object, depth: usize) -> Option<&'static str> {
    // Direct objects nest only as deep as the file's text; the parser has its own limit.
    if depth > 64 {
        return None;
    }
    let dict = match object {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &s.dict,
        Object::Array(items) => return items.iter().find_map(|o| active_in(o, depth + 1)),
        _ => return None,
    };
    let action = dict.get(b"S").and_then(Object::as_name).ok();
    let kind = dict.get(b"Type").and_then(Object::as_name).ok();
    if action == Some(b"JavaScript".as_slice()) || dict.has(b"JS") || dict.has(b"JavaScript") {
        return Some("JavaScript");
    }
    if action == Some(b"Launch".as_slice()) {
        return Some("a launch action (it starts another program)");
    }
    if kind == Some(b"EmbeddedFile".as_slice()) || dict.has(b"EmbeddedFiles") || dict.has(b"EF") {
        return Some("embedded files");
    }
    if dict.has(b"XFA") {
        return Some("an XFA form (a scripted form)");
    }
    dict.iter().find_map(|(_, v)| active_in(v, depth + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

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
