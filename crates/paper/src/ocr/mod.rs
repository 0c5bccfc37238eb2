//! Optical character recognition and text-direction detection with the Tesseract 5 command-line
//! program. It runs as a child process with `OMP_THREAD_LIMIT=1` (one core per page; pages are
//! the unit of parallelism) and is fed the rendered page as PNM on its standard input, so no
//! temporary files are made.
//!
//! OCR never stops a conversion: when Tesseract, a language pack or the glyphless font is
//! missing, or a page fails, the report says so and the page is written without text.

pub mod parse;
pub mod queue;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use crate::child::{self, ChildError};
use crate::pdf::font::GlyphlessFont;
use crate::pdf::text::TextLayer;
use crate::raster::Raster;
pub use parse::OrientationGuess;

/// How to run OCR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcrOptions {
    /// The Tesseract program: a name looked up on `PATH`, or a path.
    pub program: PathBuf,
    /// Language packs joined by `+`, most likely first.
    pub languages: String,
    /// Most pages recognised at the same time (each is one Tesseract process on one core).
    pub parallel: usize,
    /// A page that takes longer than this is abandoned and written without text.
    pub page_timeout: Duration,
}

impl Default for OcrOptions {
    fn default() -> Self {
        Self {
            program: PathBuf::from("tesseract"),
            languages: "chi_sim+eng".to_owned(),
            parallel: std::thread::available_parallelism().map_or(1, |n| n.get().min(4)),
            page_timeout: Duration::from_mins(3),
        }
    }
}

/// Why a page, or the whole bundle, has no text layer. The PDF is written all the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OcrProblem {
    #[error(
        "no text layer: cannot run the OCR program {program} ({detail}); \
         install tesseract-ocr (scripts/lib/setup.sh)"
    )]
    ProgramMissing { program: String, detail: String },

    #[error(
        "no text layer: the Tesseract language pack '{language}' is not installed in {tessdata}; \
         install tesseract-ocr-{}",
        language.replace('_', "-")
    )]
    LanguageMissing { language: String, tessdata: String },

    #[error(
        "no text layer: the glyphless font {path} cannot be used ({detail}); reinstall tesseract-ocr"
    )]
    FontUnusable { path: String, detail: String },

    #[error("page {page} ({file}) has no text layer: OCR failed ({detail})")]
    PageFailed {
        page: usize,
        file: String,
        detail: String,
    },

    #[error("page {page} ({file}): the text direction could not be checked ({detail})")]
    OrientationFailed {
        page: usize,
        file: String,
        detail: String,
    },
}

impl OcrProblem {
    /// Renumbers a page's problem when the page moves (the scan studio reorders pages).
    pub fn set_page(&mut self, to: usize) {
        match self {
            Self::PageFailed { page, .. } | Self::OrientationFailed { page, .. } => *page = to,
            Self::ProgramMissing { .. }
            | Self::LanguageMissing { .. }
            | Self::FontUnusable { .. } => {}
        }
    }

    /// A stable code for the interface.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ProgramMissing { .. } => "paper.ocr.program_missing",
            Self::LanguageMissing { .. } => "paper.ocr.language_missing",
            Self::FontUnusable { .. } => "paper.ocr.font_unusable",
            Self::PageFailed { .. } => "paper.ocr.page_failed",
            Self::OrientationFailed { .. } => "paper.ocr.orientation_failed",
        }
    }
}

/// A checked Tesseract installation.
#[derive(Debug, Clone)]
pub struct Tesseract {
    program: PathBuf,
    languages: String,
    timeout: Duration,
    /// The glyphless font from the installation's tessdata folder; only needed for OCR.
    font: Option<Arc<GlyphlessFont>>,
}

impl Tesseract {
    /// Checks that the program runs and has what is asked for: the OCR languages and the
    /// glyphless font when `ocr`, the orientation model when `orient`.
    pub fn probe(options: &OcrOptions, ocr: bool, orient: bool) -> Result<Self, OcrProblem> {
        let program = options.program.as_path();
        let missing = |detail: String| OcrProblem::ProgramMissing {
            program: program.display().to_string(),
            detail,
        };
        let output = Command::new(program)
            .arg("--list-langs")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| missing(e.to_string()))?;
        if !output.status.success() {
            return Err(missing(format!(
                "--list-langs failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        let listing = String::from_utf8_lossy(&output.stdout);
        // `List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (3):`
        let tessdata = listing
            .lines()
            .next()
            .and_then(|l| l.split('"').nth(1))
            .map(PathBuf::from)
            .ok_or_else(|| missing(format!("unexpected --list-langs output: {listing}")))?;
        let installed: Vec<&str> = listing.lines().skip(1).map(str::trim).collect();
        let needed = ocr
            .then(|| options.languages.split('+'))
            .into_iter()
            .flatten()
            .chain(orient.then_some("osd"));
        for language in needed {
            if !installed.contains(&language) {
                return Err(OcrProblem::LanguageMissing {
                    language: language.to_owned(),
                    tessdata: tessdata.display().to_string(),
                });
            }
        }
        let font = if ocr {
            let path = tessdata.join("pdf.ttf");
            let font = GlyphlessFont::load(&path).map_err(|p| OcrProblem::FontUnusable {
                path: p.path.display().to_string(),
                detail: p.detail,
            })?;
            Some(Arc::new(font))
        } else {
            None
        };
        Ok(Self {
            program: program.to_path_buf(),
            languages: options.languages.clone(),
            timeout: options.page_timeout,
            font,
        })
    }

    pub fn font(&self) -> Option<&Arc<GlyphlessFont>> {
        self.font.as_ref()
    }

    /// Recognises the words of a page rendered at `dpi`.
    pub fn recognise(&self, page: &Raster, dpi: u32) -> Result<TextLayer, String> {
        let dpi = dpi.to_string();
        let args = ["-", "-", "-l", &self.languages, "--dpi", &dpi, "tsv"];
        let tsv = self.run(&args, page)?;
        Ok(parse::words(&tsv, page.width(), page.height()))
    }

    /// Which way the text of a page rendered at `dpi` is turned. `Ok(None)` when the page
    /// has too little text to tell.
    pub fn orientation(&self, page: &Raster, dpi: u32) -> Result<Option<OrientationGuess>, String> {
        let dpi = dpi.to_string();
        let args = ["-", "-", "--psm", "0", "-l", "osd", "--dpi", &dpi];
        match self.run(&args, page) {
            Ok(report) => Ok(parse::orientation(&report)),
            // Tesseract exits with an error when a page has too few characters to judge.
            Err(detail) if detail.contains("Too few characters") => Ok(None),
            Err(detail) => Err(detail),
        }
    }

    /// Runs Tesseract on `page` and returns its standard output.
    fn run(&self, args: &[&str], page: &Raster) -> Result<String, String> {
        let mut command = Command::new(&self.program);
        command.args(args).env("OMP_THREAD_LIMIT", "1");
        let done = child::run(command, &pnm(page), self.timeout).map_err(|e| match e {
            ChildError::Start(e) => format!("cannot start {}: {e}", self.program.display()),
            ChildError::TimedOut(limit) => format!("gave up after {} s", limit.as_secs()),
            ChildError::Wait(e) => e.to_string(),
        })?;
        if !done.status.success() {
            let err = String::from_utf8_lossy(&done.stderr);
            let last = err.lines().rfind(|l| !l.trim().is_empty());
            return Err(format!(
                "tesseract {}: {}",
                done.status,
                last.unwrap_or("no message")
            ));
        }
        Ok(String::from_utf8_lossy(&done.stdout).into_owned())
    }
}

/// The raster as binary PGM (gray) or PPM (RGB), which Leptonica reads from memory.
fn pnm(page: &Raster) -> Vec<u8> {
    let magic = if page.is_rgb() { "P6" } else { "P5" };
    let mut out = format!("{magic}\n{} {}\n255\n", page.width(), page.height()).into_bytes();
    out.extend_from_slice(page.data());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pnm_headers_match_the_raster() {
        let gray = pnm(&Raster::gray(3, 2, vec![0; 6]));
        assert!(gray.starts_with(b"P5\n3 2\n255\n"));
        assert_eq!(gray.len(), 11 + 6);
        let rgb = pnm(&Raster::rgb(1, 1, vec![1, 2, 3]));
        assert_eq!(rgb, b"P6\n1 1\n255\n\x01\x02\x03");
    }

    #[test]
    fn a_missing_program_is_named_with_the_package_to_install() {
        let options = OcrOptions {
            program: "/nonexistent/tesseract".into(),
            ..OcrOptions::default()
        };
        let problem = Tesseract::probe(&options, true, true).expect_err("no such program");
        assert_eq!(problem.code(), "paper.ocr.program_missing");
        assert!(
            problem.to_string().contains("install tesseract-ocr"),
            "{problem}"
        );
    }

    #[test]
    fn a_missing_language_names_its_package() {
        let problem = OcrProblem::LanguageMissing {
            language: "chi_sim".into(),
            tessdata: "/t".into(),
        };
        assert!(
            problem.to_string().contains("tesseract-ocr-chi-sim"),
            "{problem}"
        );
    }
}
