//! Paper to electronic materials (Online Litigation Rules Art. 11–13): scans and phone photos of
//! paper pages become one clean, compact PDF/A-2b bundle, with quality findings per page.
//!
//! The pipeline for each page: decode with limits (`decode`), find the sheet or the skew on a
//! small copy (`detect`), choose bilevel, gray or colour (`mode`), render the flat page once at
//! its final resolution while dividing out the illumination (`enhance`), threshold bilevel pages
//! locally (`binarize`), compress (`encode`), check (`quality`) and write (`pdf`).
//!
//! Nothing is ever erased: the crop is the sheet's outline and nothing inside it is blanked;
//! a page whose outline is uncertain is kept whole.

// Pixel code converts between sample, coordinate and size types on nearly every line. The
// values are bounded by the decode limits (sides at most 30 000 pixels, at most 120 M pixels a
// page), which every target type holds; and coordinates and channels are named x, y, w, h,
// r, g, b as in the image-processing literature.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap,
    clippy::many_single_char_names,
    reason = "pixel arithmetic within the decode limits; see the comment above"
)]

mod binarize;
mod child;
mod deadline;
mod decode;
mod detect;
mod encode;
mod enhance;
mod error;
mod escl;
mod frame;
mod geometry;
mod heic;
mod import;
mod jbig2;
mod located;
mod mode;
mod ocr;
mod own_pixels;
mod page;
mod pdf;
mod pdf_page;
mod quality;
mod raster;
mod scan;
mod studio;
mod tiff_pages;
mod untouched;
mod upright;

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Instant, SystemTime};

use serde::Serialize;

pub use decode::{DecodeLimits, PageOrigin};
pub use encode::{BilevelCoding, ImageCoding};
pub use error::PaperError;
pub use escl::{
    DISCOVERY_WAIT, ESCL_PREFIX, ESCL_SERVICE, ESCL_TLS_SERVICE, EsclCapabilities, EsclInputCaps,
    EsclScanner, EsclSource, EsclStatus, discover_escl, is_escl_device,
};
pub use frame::{Frame, FrameFormat};
pub use mode::{ModeDecision, PageMode};
pub use ocr::{OcrOptions, OcrProblem};
pub use page::{Geometry, OrientationReport, PageReport, TextReport, Timings};
pub use pdf::PaperSize;
pub use quality::QualityWarning;
pub use scan::{FoundScanners, ScanOptions, Scanner, find_scanners, list_scanners, scan_pages};
pub use studio::{PageId, ScanStudio, StudioPage, THUMBNAIL_SIDE, Thumbnail};

/// How to convert.
#[derive(Debug, Clone)]
pub struct ConvertOptions {
    pub paper: PaperSize,
    /// Store every page in this mode instead of choosing per page.
    pub forced_mode: Option<PageMode>,
    /// Quality of gray and colour pages, 1–100.
    pub jpeg_quality: u8,
    /// How bilevel pages may be coded; the smaller of JBIG2 and G4 unless told otherwise.
    pub bilevel_coding: BilevelCoding,
    pub limits: DecodeLimits,
    /// The document title in the PDF's metadata.
    pub title: Option<String>,
    /// The creation date recorded in the PDF; now when `None`. Set it for reproducible output.
    pub created: Option<SystemTime>,
    /// The court's size limit for one file. When set, the bundle is written as `NAME-1.pdf`,
    /// `NAME-2.pdf`, … beside the output, each at most this many bytes, split only between
    /// input files; the pages of one input are held in memory (compressed) until it is placed.
    pub max_bytes: Option<u64>,
    /// Add an invisible text layer recognised by Tesseract. When OCR cannot run the bundle is
    /// written without text and `ConversionReport::ocr_problems` says why.
    pub ocr: Option<OcrOptions>,
    /// Detect the text direction of each page (Tesseract's orientation model) and turn it
    /// upright. Uses the program named in `ocr`, or `tesseract` when that is `None`.
    pub orient: bool,
}

impl Default for ConvertOptions {
    fn default() -> Self {
        Self {
            paper: PaperSize::A4,
            forced_mode: None,
            jpeg_quality: 70,
            bilevel_coding: BilevelCoding::default(),
            limits: DecodeLimits::default(),
            title: None,
            created: None,
            max_bytes: None,
            ocr: None,
            orient: false,
        }
    }
}

/// Progress of a conversion, sent after each step.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// An input file is being decoded (1-based index among the inputs).
    Decoding { input: usize, inputs: usize },
    /// A page has been finished.
    PageDone {
        page: usize,
        input: usize,
        inputs: usize,
    },
}

/// What a conversion did, page by page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConversionReport {
    /// The output asked for; the files written are in `parts`.
    pub output: PathBuf,
    pub pages: Vec<PageReport>,
    /// Every page's warnings plus those across pages (duplicates), in page order.
    pub warnings: Vec<QualityWarning>,
    /// Milliseconds spent decoding each input, in input order (for a PDF: opening and
    /// checking it; its pages are decoded as they are processed).
    pub decode_ms: Vec<f64>,
    pub total_ms: f64,
    /// Bytes written, over all parts.
    pub bytes: u64,
    /// The files written: the output alone, or its numbered parts when split.
    pub parts: Vec<PartReport>,
    /// Why pages lack a text layer or were not checked for direction, when OCR or
    /// orientation was asked for; the bundle is complete without them.
    pub ocr_problems: Vec<OcrProblem>,
}

/// One file of the bundle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartReport {
    pub path: PathBuf,
    pub bytes: u64,
    /// 1-based number of its first page in the whole bundle.
    pub first_page: usize,
    pub pages: usize,
    /// The input files whose pages it holds, by name.
    pub files: Vec<String>,
}

/// Converts `inputs`, in order, into one PDF/A-2b file at `output`, or into numbered parts
/// when `options.max_bytes` is set. Each input becomes one bookmark. Files appear only when
/// the whole conversion is complete: they are written beside `output` under temporary names
/// and renamed at the end, so a failure or cancellation leaves whatever was there untouched.
pub fn convert(
    inputs: &[PathBuf],
    output: &Path,
    options: &ConvertOptions,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<ConversionReport, PaperError> {
    if inputs.is_empty() {
        return Err(PaperError::NoInputs);
    }
    let mut partials = Vec::new();
    let result = write_bundle(inputs, output, options, progress, cancel, &mut partials);
    if result.is_err() {
        for partial in &partials {
            // The partial files are ours alone; failing to remove one changes nothing for
            // the caller.
            let _ = std::fs::remove_file(partial);
        }
    }
    result
}

fn partial_path(output: &Path) -> PathBuf {
    let mut name = output
        .file_name()
        .map_or_else(|| "bundle.pdf".into(), std::ffi::OsStr::to_os_string);
    name.push(".part");
    output.with_file_name(name)
}

/// `dir/NAME-n.EXT` for `dir/NAME.EXT`.
fn numbered_path(output: &Path, n: usize) -> PathBuf {
    let stem = output
        .file_stem()
        .map_or_else(|| "bundle".into(), |s| s.to_string_lossy().into_owned());
    let name = match output.extension() {
        Some(ext) => format!("{stem}-{n}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{n}"),
    };
    output.with_file_name(name)
}

fn write_error(path: &Path) -> impl Fn(std::io::Error) -> PaperError + '_ {
    move |source| PaperError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// One file of the bundle being written.
struct OpenPart {
    writer: pdf::PdfWriter<BufWriter<File>>,
    partial: PathBuf,
    path: PathBuf,
    bookmarks: Vec<pdf::Bookmark>,
    first_page: usize,
}

impl OpenPart {
    fn create(
        path: PathBuf,
        first_page: usize,
        partials: &mut Vec<PathBuf>,
    ) -> Result<Self, PaperError> {
        let partial = partial_path(&path);
        let file = File::create(&partial).map_err(write_error(&path))?;
        partials.push(partial.clone());
        let writer = pdf::PdfWriter::new(BufWriter::new(file)).map_err(write_error(&path))?;
        Ok(Self {
            writer,
            partial,
            path,
            bookmarks: Vec::new(),
            first_page,
        })
    }

    /// Starts a document whose first page will be the part's page `first_page` (0-based);
    /// pages still waiting for OCR are counted, though not yet written.
    fn begin_document(&mut self, title: &str, document: usize, first_page: usize) {
        self.bookmarks.push(pdf::Bookmark {
            title: title.to_owned(),
            first_page,
            document,
        });
    }

    /// Finishes the file under its temporary name; `rename` puts it in place later.
    fn finish(self, info: &pdf::DocumentInfo) -> Result<(PartReport, PathBuf), PaperError> {
        let err = write_error(&self.path);
        let pages = self.writer.page_count();
        let sink = self.writer.finish(info, &self.bookmarks).map_err(&err)?;
        let file = sink.into_inner().map_err(|e| err(e.into_error()))?;
        file.sync_all().map_err(&err)?;
        let bytes = file.metadata().map_err(&err)?.len();
        let report = PartReport {
            path: self.path.clone(),
            bytes,
            first_page: self.first_page,
            pages,
            files: self.bookmarks.into_iter().map(|b| b.title).collect(),
        };
        Ok((report, self.partial))
    }
}

fn write_bundle(
    inputs: &[PathBuf],
    output: &Path,
    options: &ConvertOptions,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
    partials: &mut Vec<PathBuf>,
) -> Result<ConversionReport, PaperError> {
    let started = Instant::now();
    let cancelled = || PaperError::Cancelled {
        output: output.to_path_buf(),
    };
    let settings = page::PageSettings::of(options);
    let info = document_info(options);
    let mut out = Output {
        pages: Vec::new(),
        warnings: Vec::new(),
        hashes: Vec::new(),
        ocr_problems: Vec::new(),
        current: match options.max_bytes {
            None => Some(OpenPart::create(output.to_path_buf(), 1, partials)?),
            Some(_) => None,
        },
        held: Vec::new(),
    };
    let tesseract = probe_tesseract(options, &mut out.ocr_problems);
    let tools = page::PageTools {
        orient: tesseract.as_ref().filter(|_| options.orient),
        keep_rendered: options.ocr.is_some(),
        ..page::PageTools::default()
    };
    let parallel = options.ocr.as_ref().map_or(1, |o| o.parallel);
    let mut queue = ocr::queue::TextQueue::new(tesseract.clone(), parallel);
    let mut decode_ms = Vec::new();
    let mut finished: Vec<(PartReport, PathBuf)> = Vec::new();
    for (index, path) in inputs.iter().enumerate() {
        if cancel.load(Ordering::Relaxed) {
            return Err(cancelled());
        }
        progress(Progress::Decoding {
            input: index + 1,
            inputs: inputs.len(),
        });
        let decode_started = Instant::now();
        let sources = decode::decode_file(path, &options.limits)?;
        decode_ms.push(decode_started.elapsed().as_secs_f64() * 1000.0);
        let name = decode::display_name(path);
        let first_page = out.pages.len() + 1;
        // Without a size limit pages stream into the one file; with one they wait until the
        // whole document's size is known.
        if options.max_bytes.is_none()
            && let Some(part) = out.current.as_mut()
        {
            part.begin_document(&name, index + 1, first_page - 1);
        }
        for source in sources {
            if cancel.load(Ordering::Relaxed) {
                return Err(cancelled());
            }
            let source = source?;
            let number = out.pages.len() + 1;
            let done = page::process_page(source, number, &name, settings, tools)?;
            out.add(done, &name, &mut queue, options.max_bytes.is_some())?;
            progress(Progress::PageDone {
                page: number,
                input: index + 1,
                inputs: inputs.len(),
            });
        }
        if let Some(max) = options.max_bytes {
            out.flush(&mut queue, true)?;
            let document = Document {
                path,
                name: &name,
                number: index + 1,
                first_page,
                pages: std::mem::take(&mut out.held),
            };
            place_document(
                &document,
                max,
                output,
                &info,
                &mut out.current,
                &mut finished,
                partials,
            )?;
        }
    }
    out.flush(&mut queue, options.max_bytes.is_some())?;
    if let Some(part) = out.current.take() {
        finished.push(part.finish(&info)?);
    }
    if cancel.load(Ordering::Relaxed) {
        return Err(cancelled());
    }
    let parts = put_in_place(finished)?;
    Ok(ConversionReport {
        output: output.to_path_buf(),
        pages: out.pages,
        warnings: out.warnings,
        decode_ms,
        total_ms: started.elapsed().as_secs_f64() * 1000.0,
        bytes: parts.iter().map(|p| p.bytes).sum(),
        parts,
        ocr_problems: out.ocr_problems,
    })
}

/// Renames the finished parts from their temporary names to their own.
fn put_in_place(finished: Vec<(PartReport, PathBuf)>) -> Result<Vec<PartReport>, PaperError> {
    let mut parts = Vec::new();
    for (report, partial) in finished {
        std::fs::rename(&partial, &report.path).map_err(write_error(&report.path))?;
        parts.push(report);
    }
    Ok(parts)
}

/// Tesseract, checked once per conversion when OCR or orientation is asked for; when it cannot
/// run, the reason goes into `problems` and the conversion goes on without it.
fn probe_tesseract(
    options: &ConvertOptions,
    problems: &mut Vec<OcrProblem>,
) -> Option<ocr::Tesseract> {
    if options.ocr.is_none() && !options.orient {
        return None;
    }
    let ocr_options = options.ocr.clone().unwrap_or_default();
    match ocr::Tesseract::probe(&ocr_options, options.ocr.is_some(), options.orient) {
        Ok(tesseract) => Some(tesseract),
        Err(problem) => {
            problems.push(problem);
            None
        }
    }
}

/// Where finished pages go: the open part, or the current document's pages held back until
/// its size is known.
struct Output {
    pages: Vec<PageReport>,
    warnings: Vec<QualityWarning>,
    /// Difference hashes of the pages so far, for the duplicate check.
    hashes: Vec<u64>,
    ocr_problems: Vec<OcrProblem>,
    current: Option<OpenPart>,
    held: Vec<pdf::PageContent>,
}

impl Output {
    /// Takes a processed page: checks it against the earlier ones, records its findings, and
    /// queues it for OCR; the pages the queue lets go are delivered.
    fn add(
        &mut self,
        mut done: page::ProcessedPage,
        file: &str,
        queue: &mut ocr::queue::TextQueue,
        hold: bool,
    ) -> Result<(), PaperError> {
        check_duplicate(&mut done, &mut self.hashes, file);
        self.warnings.extend(done.report.warnings.iter().cloned());
        self.ocr_problems.extend(done.problem.take());
        let number = done.report.page;
        self.pages.push(done.report);
        let content = pdf::PageContent {
            image: done.image,
            placement: done.placement,
            text: None,
        };
        for ready in queue.push(content, number, file, done.rendered) {
            self.deliver(ready, hold)?;
        }
        Ok(())
    }

    /// Waits for the pages still in OCR and delivers them.
    fn flush(&mut self, queue: &mut ocr::queue::TextQueue, hold: bool) -> Result<(), PaperError> {
        for ready in queue.drain() {
            self.deliver(ready, hold)?;
        }
        Ok(())
    }

    /// Records what OCR made of a page and writes the page, or holds it when `hold`.
    fn deliver(&mut self, ready: ocr::queue::Recognised, hold: bool) -> Result<(), PaperError> {
        match ready.outcome {
            Some(Ok(text)) => self.pages[ready.number - 1].text = Some(text),
            Some(Err(problem)) => self.ocr_problems.push(problem),
            None => {}
        }
        if let Some(part) = self.current.as_mut().filter(|_| !hold) {
            return part
                .writer
                .add_page(&ready.page)
                .map_err(write_error(&part.path));
        }
        self.held.push(ready.page);
        Ok(())
    }
}

fn document_info(options: &ConvertOptions) -> pdf::DocumentInfo {
    pdf::DocumentInfo {
        title: options.title.clone(),
        producer: concat!("Litigant paper ", env!("CARGO_PKG_VERSION")).to_owned(),
        creator: "Litigant".to_owned(),
        created: pdf::xmp::CivilTime::from_system(options.created.unwrap_or_else(SystemTime::now)),
    }
}

/// Warns when a page looks like an earlier one, and remembers it for the pages after.
fn check_duplicate(done: &mut page::ProcessedPage, hashes: &mut Vec<u64>, file: &str) {
    if let Some(of) = hashes
        .iter()
        .position(|&h| (h ^ done.hash).count_ones() <= quality::DUPLICATE_BITS)
    {
        done.report.warnings.push(QualityWarning::LikelyDuplicate {
            page: done.report.page,
            file: file.to_owned(),
            of_page: of + 1,
        });
    }
    hashes.push(done.hash);
}

/// One input's finished pages, waiting to be placed in a part of a split bundle.
struct Document<'a> {
    path: &'a Path,
    name: &'a str,
    number: usize,
    first_page: usize,
    pages: Vec<pdf::PageContent>,
}

/// Adds a document to the current part when the part stays within `max` bytes with it, and
/// otherwise finishes that part and starts the next with it.
fn place_document(
    document: &Document<'_>,
    max: u64,
    output: &Path,
    info: &pdf::DocumentInfo,
    current: &mut Option<OpenPart>,
    finished: &mut Vec<(PartReport, PathBuf)>,
    partials: &mut Vec<PathBuf>,
) -> Result<(), PaperError> {
    let pages: Vec<&pdf::PageContent> = document.pages.iter().collect();
    let size_with = |part: &OpenPart| {
        let mut bookmarks = part.bookmarks.clone();
        bookmarks.push(pdf::Bookmark {
            title: document.name.to_owned(),
            first_page: part.writer.page_count(),
            document: document.number,
        });
        part.writer
            .size_with(&pages, info, &bookmarks)
            .map_err(write_error(&part.path))
    };
    let fits = match current.as_ref() {
        Some(part) => size_with(part)? <= max,
        None => false,
    };
    if !fits {
        if let Some(part) = current.take() {
            finished.push(part.finish(info)?);
        }
        let path = numbered_path(output, finished.len() + 1);
        let part = OpenPart::create(path, document.first_page, partials)?;
        let alone = size_with(&part)?;
        if alone > max {
            return Err(PaperError::DocumentTooLarge {
                path: document.path.to_path_buf(),
                bytes: alone,
                max,
            });
        }
        *current = Some(part);
    }
    let Some(part) = current.as_mut() else {
        unreachable!("a part was opened above when none was");
    };
    let first = part.writer.page_count();
    part.begin_document(document.name, document.number, first);
    for page in &document.pages {
        part.writer
            .add_page(page)
            .map_err(write_error(&part.path))?;
    }
    Ok(())
}

/// Reads an input held in memory as [`convert`] reads a file (an image file's pages, or a
/// PDF's, each decoded) and returns how many pages it has, or the first refusal. What must hold,
/// whatever the bytes: the answer is a count or a [`PaperError`], within the limits — never a
/// panic, a hang past the time limit or an allocation past the pixel limits. The fuzz targets
/// (`crates/paper/fuzz`) and the replay test feed it arbitrary and damaged inputs.
pub fn count_pages(
    name: &Path,
    bytes: Vec<u8>,
    limits: &DecodeLimits,
) -> Result<usize, PaperError> {
    let mut count = 0;
    for page in decode::open_bytes(name, bytes, limits)? {
        page?;
        count += 1;
    }
    Ok(count)
}
