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
mod decode;
mod detect;
mod encode;
mod enhance;
mod error;
mod geometry;
mod import;
mod mode;
mod page;
mod pdf;
mod quality;
mod raster;

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Instant, SystemTime};

use serde::Serialize;

pub use decode::{DecodeLimits, PageOrigin};
pub use encode::ImageCoding;
pub use error::PaperError;
pub use mode::{ModeDecision, PageMode};
pub use page::{Geometry, PageReport, Timings};
pub use pdf::PaperSize;
pub use quality::QualityWarning;

/// How to convert.
#[derive(Debug, Clone)]
pub struct ConvertOptions {
    pub paper: PaperSize,
    /// Store every page in this mode instead of choosing per page.
    pub forced_mode: Option<PageMode>,
    /// Quality of gray and colour pages, 1–100.
    pub jpeg_quality: u8,
    pub limits: DecodeLimits,
    /// The document title in the PDF's metadata.
    pub title: Option<String>,
    /// The creation date recorded in the PDF; now when `None`. Set it for reproducible output.
    pub created: Option<SystemTime>,
}

impl Default for ConvertOptions {
    fn default() -> Self {
        Self {
            paper: PaperSize::A4,
            forced_mode: None,
            jpeg_quality: 70,
            limits: DecodeLimits::default(),
            title: None,
            created: None,
        }
    }
}

/// Progress of a conversion, sent after each step.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// An input file is being decoded (1-based index among the inputs).
    Decoding { input: usize, inputs: usize },
    /// A page has been finished and written.
    PageDone {
        page: usize,
        input: usize,
        inputs: usize,
    },
}

/// What a conversion did, page by page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConversionReport {
    pub output: PathBuf,
    pub pages: Vec<PageReport>,
    /// Every page's warnings plus those across pages (duplicates), in page order.
    pub warnings: Vec<QualityWarning>,
    /// Milliseconds spent decoding each input, in input order.
    pub decode_ms: Vec<f64>,
    pub total_ms: f64,
    pub bytes: u64,
}

/// Converts `inputs`, in order, into one PDF/A-2b file at `output`. Each input becomes one
/// bookmark. The file appears only when it is complete: it is written beside `output` under a
/// temporary name and renamed at the end, so a failure or cancellation leaves whatever was at
/// `output` untouched.
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
    let partial = partial_path(output);
    let result = write_bundle(inputs, output, &partial, options, progress, cancel);
    if result.is_err() {
        // The partial file is ours alone; failing to remove it changes nothing for the caller.
        let _ = std::fs::remove_file(&partial);
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

fn write_bundle(
    inputs: &[PathBuf],
    output: &Path,
    partial: &Path,
    options: &ConvertOptions,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<ConversionReport, PaperError> {
    let started = Instant::now();
    let write_err = |source| PaperError::Write {
        path: output.to_path_buf(),
        source,
    };
    let cancelled = || PaperError::Cancelled {
        output: output.to_path_buf(),
    };
    let file = File::create(partial).map_err(write_err)?;
    let mut writer = pdf::PdfWriter::new(BufWriter::new(file)).map_err(write_err)?;
    let settings = page::PageSettings {
        paper: options.paper,
        forced_mode: options.forced_mode,
        jpeg_quality: options.jpeg_quality.clamp(1, 100),
    };
    let mut pages: Vec<PageReport> = Vec::new();
    let mut warnings = Vec::new();
    let mut hashes: Vec<u64> = Vec::new();
    let mut bookmarks = Vec::new();
    let mut decode_ms = Vec::new();
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
        bookmarks.push(pdf::Bookmark {
            title: name.clone(),
            first_page: writer.page_count(),
        });
        for source in sources {
            if cancel.load(Ordering::Relaxed) {
                return Err(cancelled());
            }
            let source = source?;
            let number = writer.page_count() + 1;
            let mut done = page::process_page(source, number, &name, settings)?;
            writer
                .add_page(&done.image, &done.placement)
                .map_err(write_err)?;
            if let Some(of) = hashes
                .iter()
                .position(|&h| (h ^ done.hash).count_ones() <= quality::DUPLICATE_BITS)
            {
                done.report.warnings.push(QualityWarning::LikelyDuplicate {
                    page: number,
                    file: name.clone(),
                    of_page: of + 1,
                });
            }
            hashes.push(done.hash);
            warnings.extend(done.report.warnings.iter().cloned());
            pages.push(done.report);
            progress(Progress::PageDone {
                page: number,
                input: index + 1,
                inputs: inputs.len(),
            });
        }
    }
    let info = pdf::DocumentInfo {
        title: options.title.clone(),
        producer: concat!("Litigant paper ", env!("CARGO_PKG_VERSION")).to_owned(),
        creator: "Litigant".to_owned(),
        created: pdf::xmp::CivilTime::from_system(options.created.unwrap_or_else(SystemTime::now)),
    };
    let sink = writer.finish(&info, &bookmarks).map_err(write_err)?;
    let file = sink.into_inner().map_err(|e| write_err(e.into_error()))?;
    file.sync_all().map_err(write_err)?;
    drop(file);
    if cancel.load(Ordering::Relaxed) {
        return Err(cancelled());
    }
    std::fs::rename(partial, output).map_err(write_err)?;
    let bytes = std::fs::metadata(output).map_err(write_err)?.len();
    Ok(ConversionReport {
        output: output.to_path_buf(),
        pages,
        warnings,
        decode_ms,
        total_ms: started.elapsed().as_secs_f64() * 1000.0,
        bytes,
    })
}
