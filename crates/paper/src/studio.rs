//! The scan studio: a document of pages being put together before it becomes a bundle. Each
//! page keeps where it came from (file and page), the person's choices (a quarter turn, the
//! four corners of the sheet) and the result of the pipeline with those choices: the
//! compressed page, its report and a small thumbnail. Changing a choice re-runs the pipeline on
//! that page alone, from its source file; reordering and deleting touch nothing else. The
//! desktop shows this model; it holds no interface state of its own.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use crate::decode::{self, display_name};
use crate::encode::encode_jpeg;
use crate::error::PaperError;
use crate::frame::Frame;
use crate::ocr::queue::{Recognised, TextQueue};
use crate::ocr::{OcrOptions, OcrProblem, Tesseract};
use crate::page::{self, PageReport, PageTools, TextReport};
use crate::pdf::PageContent;
use crate::quality::{self, QualityWarning};
use crate::raster::Raster;
use crate::{ConversionReport, ConvertOptions, OpenPart, document_info, write_error};

/// Longest side of a thumbnail, in pixels.
pub const THUMBNAIL_SIDE: u32 = 320;
const THUMBNAIL_QUALITY: u8 = 60;

/// A page's identity in the studio; it stays the same when the page moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub struct PageId(pub u64);

/// A small JPEG of the page as it will be stored (turned and cropped).
#[derive(Clone, PartialEq, Eq)]
pub struct Thumbnail {
    pub width: u32,
    pub height: u32,
    pub jpeg: Vec<u8>,
}

impl std::fmt::Debug for Thumbnail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Thumbnail({}x{}, {} bytes)",
            self.width,
            self.height,
            self.jpeg.len()
        )
    }
}

/// One page of the studio's document.
#[derive(Debug)]
pub struct StudioPage {
    id: PageId,
    source: PathBuf,
    page_in_file: usize,
    turn: u16,
    corners: Option<[[f64; 2]; 4]>,
    content: PageContent,
    report: PageReport,
    hash: u64,
    thumbnail: Thumbnail,
    /// Why its text direction could not be checked.
    problem: Option<OcrProblem>,
}

impl StudioPage {
    pub fn id(&self) -> PageId {
        self.id
    }

    /// The file the page came from, and its 1-based page number there.
    pub fn source(&self) -> (&Path, usize) {
        (&self.source, self.page_in_file)
    }

    /// Degrees the person turned the page clockwise (after any automatic turn).
    pub fn turn(&self) -> u16 {
        self.turn
    }

    /// The corners the person chose, in source pixels; `None` while the detected outline is
    /// used (the report's geometry shows that one).
    pub fn chosen_corners(&self) -> Option<[[f64; 2]; 4]> {
        self.corners
    }

    /// What the pipeline decided and found; page numbers follow the current order.
    pub fn report(&self) -> &PageReport {
        &self.report
    }

    pub fn thumbnail(&self) -> &Thumbnail {
        &self.thumbnail
    }
}

/// The document being put together.
#[derive(Debug)]
pub struct ScanStudio {
    options: ConvertOptions,
    tesseract: Option<Tesseract>,
    /// Why the text direction is not checked at all.
    setup_problems: Vec<OcrProblem>,
    pages: Vec<StudioPage>,
    next_id: u64,
}

impl ScanStudio {
    /// An empty document converted with `options` (paper, mode, quality, limits, title, date,
    /// text direction). OCR is asked for when building ([`Self::build_with_text`]); splitting
    /// by size is left to `convert` for now.
    pub fn new(options: ConvertOptions) -> Self {
        let mut problems = Vec::new();
        let tesseract = if options.orient {
            let ocr = options.ocr.clone().unwrap_or_default();
            Tesseract::probe(&ocr, false, true)
                .map_err(|p| problems.push(p))
                .ok()
        } else {
            None
        };
        Self {
            options,
            tesseract,
            setup_problems: problems,
            pages: Vec::new(),
            next_id: 1,
        }
    }

    pub fn pages(&self) -> &[StudioPage] {
        &self.pages
    }

    /// Why the text direction is not being checked, or could not be for a page (numbered in
    /// the current order).
    pub fn ocr_problems(&self) -> Vec<OcrProblem> {
        let pages = self.pages.iter().filter_map(|p| p.problem.clone());
        self.setup_problems.iter().cloned().chain(pages).collect()
    }

    /// Adds every page of a file at the end. Either all its pages are added or, on an error,
    /// none.
    pub fn add_file(&mut self, path: &Path) -> Result<Vec<PageId>, PaperError> {
        let mut added = Vec::new();
        for (i, source) in decode::decode_file(path, &self.options.limits)?.enumerate() {
            let number = self.pages.len() + added.len() + 1;
            let source = source?;
            let choices = Choices {
                turn: 0,
                corners: None,
            };
            let id = PageId(self.next_id + added.len() as u64);
            added.push(self.process(id, path, i + 1, source, number, choices)?);
        }
        self.next_id += added.len() as u64;
        let ids = added.iter().map(|p| p.id).collect();
        self.pages.extend(added);
        self.renumber();
        Ok(ids)
    }

    /// Adds a camera frame as a page at the end: kept in `dir` as a PNG (the page's source
    /// from then on, as a file is) and treated like a photo. On an error nothing is added and
    /// the PNG is removed.
    pub fn add_frame(&mut self, frame: &Frame, dir: &Path) -> Result<PageId, PaperError> {
        let path = frame.keep_in(dir)?;
        match self.add_file(&path) {
            Ok(ids) => ids.first().copied().ok_or_else(|| PaperError::Corrupt {
                path: path.clone(),
                page: 1,
                detail: "the frame gave no page".to_owned(),
            }),
            Err(error) => {
                // Ours alone, and of no use without its page.
                let _ = std::fs::remove_file(&path);
                Err(error)
            }
        }
    }

    fn index(&self, id: PageId) -> Result<usize, PaperError> {
        self.pages
            .iter()
            .position(|p| p.id == id)
            .ok_or(PaperError::StudioPageUnknown { id: id.0 })
    }

    /// Moves a page to position `to` (0-based; past the end means last).
    pub fn move_page(&mut self, id: PageId, to: usize) -> Result<(), PaperError> {
        let from = self.index(id)?;
        let page = self.pages.remove(from);
        let to = to.min(self.pages.len());
        self.pages.insert(to, page);
        self.renumber();
        Ok(())
    }

    pub fn delete(&mut self, id: PageId) -> Result<(), PaperError> {
        let at = self.index(id)?;
        self.pages.remove(at);
        self.renumber();
        Ok(())
    }

    /// Turns a page by `quarter_turns` quarter turns, clockwise (negative: anticlockwise).
    pub fn rotate(&mut self, id: PageId, quarter_turns: i32) -> Result<(), PaperError> {
        let at = self.index(id)?;
        let turn = (i32::from(self.pages[at].turn) + 90 * quarter_turns).rem_euclid(360);
        let choices = Choices {
            turn: u16::try_from(turn).unwrap_or(0),
            corners: self.pages[at].corners,
        };
        self.redo(at, choices)
    }

    /// Crops a page to the sheet outlined by four corners in source pixels, in any order;
    /// `None` goes back to the detected outline. The page is warped again from its source.
    pub fn recrop(&mut self, id: PageId, corners: Option<[[f64; 2]; 4]>) -> Result<(), PaperError> {
        let at = self.index(id)?;
        let choices = Choices {
            turn: self.pages[at].turn,
            corners,
        };
        self.redo(at, choices)
    }

    /// The page's source as decoded (upright by its EXIF orientation, before any turn), at
    /// most `side` pixels on its longer side: what a person drags the corners on. Corners
    /// given to [`Self::recrop`] are in the source's pixels, so they are this picture's
    /// coordinates times `source_width / width`.
    pub fn source_preview(&self, id: PageId, side: u32) -> Result<Thumbnail, PaperError> {
        let page = &self.pages[self.index(id)?];
        let source = self.decode_source(&page.source, page.page_in_file)?;
        fitted(&source.raster, side.max(1), page.report.page)
    }

    /// Every page's findings in the current order, with likely duplicates among the pages.
    pub fn warnings(&self) -> Vec<QualityWarning> {
        let mut warnings = Vec::new();
        for (i, page) in self.pages.iter().enumerate() {
            warnings.extend(page.report.warnings.iter().cloned());
            let earlier = self.pages[..i]
                .iter()
                .position(|p| (p.hash ^ page.hash).count_ones() <= quality::DUPLICATE_BITS);
            if let Some(of) = earlier {
                warnings.push(QualityWarning::LikelyDuplicate {
                    page: i + 1,
                    file: page.report.file.clone(),
                    of_page: of + 1,
                });
            }
        }
        warnings
    }

    /// Writes the pages, in order, as one PDF/A-2b file: a bookmark for each run of pages
    /// from the same file. Like `convert`, the file appears only when complete.
    pub fn build(&self, output: &Path) -> Result<ConversionReport, PaperError> {
        self.build_with_text(output, None)
    }

    /// Like [`Self::build`], with an invisible text layer recognised by Tesseract when `ocr`
    /// is given. Each page is rendered again from its source for that (the studio keeps only
    /// the compressed page); the stored page itself is written unchanged. When OCR cannot run,
    /// the bundle is written without text and the report's `ocr_problems` say why.
    pub fn build_with_text(
        &self,
        output: &Path,
        ocr: Option<&OcrOptions>,
    ) -> Result<ConversionReport, PaperError> {
        if self.pages.is_empty() {
            return Err(PaperError::StudioEmpty);
        }
        let started = Instant::now();
        let mut partials = Vec::new();
        let mut written = Written {
            texts: vec![None; self.pages.len()],
            problems: self.ocr_problems(),
        };
        let result = self.write(output, ocr, &mut written, &mut partials);
        if result.is_err() {
            for partial in &partials {
                // Ours alone; a leftover changes nothing for the caller.
                let _ = std::fs::remove_file(partial);
            }
        }
        let part = result?;
        let pages = self.pages.iter().zip(written.texts);
        Ok(ConversionReport {
            output: output.to_path_buf(),
            pages: pages
                .map(|(p, text)| PageReport {
                    text,
                    ..p.report.clone()
                })
                .collect(),
            warnings: self.warnings(),
            decode_ms: Vec::new(),
            total_ms: started.elapsed().as_secs_f64() * 1000.0,
            bytes: part.bytes,
            parts: vec![part],
            ocr_problems: written.problems,
        })
    }

    fn write(
        &self,
        output: &Path,
        ocr: Option<&OcrOptions>,
        written: &mut Written,
        partials: &mut Vec<PathBuf>,
    ) -> Result<crate::PartReport, PaperError> {
        let tesseract = ocr.and_then(|o| {
            Tesseract::probe(o, true, false)
                .map_err(|problem| written.problems.push(problem))
                .ok()
        });
        let mut queue = TextQueue::new(tesseract.clone(), ocr.map_or(1, |o| o.parallel));
        let mut part = OpenPart::create(output.to_path_buf(), 1, partials)?;
        let mut documents = 0;
        for (i, page) in self.pages.iter().enumerate() {
            if i == 0 || self.pages[i - 1].source != page.source {
                documents += 1;
                part.begin_document(&display_name(&page.source), documents, i);
            }
            let rendered = match tesseract {
                Some(_) => Some(self.render(page, i + 1)?),
                None => None,
            };
            let file = &page.report.file;
            for ready in queue.push(page.content.clone(), i + 1, file, rendered) {
                written.deliver(ready, &mut part, output)?;
            }
        }
        for ready in queue.drain() {
            written.deliver(ready, &mut part, output)?;
        }
        let (report, partial) = part.finish(&document_info(&self.options))?;
        std::fs::rename(&partial, &report.path).map_err(write_error(&report.path))?;
        Ok(report)
    }

    /// Runs the page at `at` through the pipeline again from its source with new choices;
    /// on an error the page stays as it was.
    fn redo(&mut self, at: usize, choices: Choices) -> Result<(), PaperError> {
        let (id, path, in_file) = {
            let p = &self.pages[at];
            (p.id, p.source.clone(), p.page_in_file)
        };
        let source = self.decode_source(&path, in_file)?;
        self.pages[at] = self.process(id, &path, in_file, source, at + 1, choices)?;
        self.renumber();
        Ok(())
    }

    /// The page rendered again from its source with the same choices, at its final resolution
    /// (for OCR: the studio keeps only the compressed page).
    fn render(&self, page: &StudioPage, number: usize) -> Result<(Raster, u32), PaperError> {
        let source = self.decode_source(&page.source, page.page_in_file)?;
        let tools = PageTools {
            orient: self.tesseract.as_ref(),
            keep_rendered: true,
            corners: page.corners,
            turn: page.turn,
        };
        let settings = page::PageSettings::of(&self.options);
        let done =
            page::process_page(source, number, &display_name(&page.source), settings, tools)?;
        let Some(rendered) = done.rendered else {
            unreachable!("the rendered page was asked to be kept");
        };
        Ok(rendered)
    }

    /// Page `in_file` (1-based) of a source file, decoded again.
    fn decode_source(&self, path: &Path, in_file: usize) -> Result<decode::SourcePage, PaperError> {
        decode::decode_file(path, &self.options.limits)?
            .nth(in_file - 1)
            .ok_or_else(|| PaperError::Corrupt {
                path: path.to_path_buf(),
                page: in_file,
                detail: "the page is no longer in the file".to_owned(),
            })?
    }

    fn process(
        &self,
        id: PageId,
        path: &Path,
        page_in_file: usize,
        source: decode::SourcePage,
        number: usize,
        choices: Choices,
    ) -> Result<StudioPage, PaperError> {
        let settings = page::PageSettings::of(&self.options);
        let tools = PageTools {
            orient: self.tesseract.as_ref(),
            keep_rendered: true,
            corners: choices.corners,
            turn: choices.turn,
        };
        let mut done = page::process_page(source, number, &display_name(path), settings, tools)?;
        let Some((rendered, _)) = done.rendered.take() else {
            unreachable!("the rendered page was asked to be kept");
        };
        Ok(StudioPage {
            id,
            source: path.to_path_buf(),
            page_in_file,
            turn: choices.turn,
            corners: choices.corners,
            thumbnail: thumbnail(&rendered, number)?,
            content: PageContent {
                image: done.image,
                placement: done.placement,
                text: None,
            },
            report: done.report,
            hash: done.hash,
            problem: done.problem.take(),
        })
    }

    /// Page numbers in reports and findings follow the current order.
    fn renumber(&mut self) {
        for (i, page) in self.pages.iter_mut().enumerate() {
            page.report.page = i + 1;
            for w in &mut page.report.warnings {
                w.set_page(i + 1);
            }
            if let Some(problem) = &mut page.problem {
                problem.set_page(i + 1);
            }
        }
    }
}

/// What building found out while writing: each page's text layer, and why OCR could not run.
struct Written {
    texts: Vec<Option<TextReport>>,
    problems: Vec<OcrProblem>,
}

impl Written {
    /// Records what OCR made of a page and writes it.
    fn deliver(
        &mut self,
        ready: Recognised,
        part: &mut OpenPart,
        output: &Path,
    ) -> Result<(), PaperError> {
        match ready.outcome {
            Some(Ok(text)) => self.texts[ready.number - 1] = Some(text),
            Some(Err(problem)) => self.problems.push(problem),
            None => {}
        }
        part.writer
            .add_page(&ready.page)
            .map_err(write_error(output))
    }
}

/// What a person chose for a page.
#[derive(Debug, Clone, Copy)]
struct Choices {
    turn: u16,
    corners: Option<[[f64; 2]; 4]>,
}

fn thumbnail(rendered: &Raster, page: usize) -> Result<Thumbnail, PaperError> {
    fitted(rendered, THUMBNAIL_SIDE, page)
}

/// A JPEG of `rendered` shrunk by a whole factor to at most `side` pixels on its longer side.
fn fitted(rendered: &Raster, side: u32, page: usize) -> Result<Thumbnail, PaperError> {
    let factor = rendered
        .width()
        .max(rendered.height())
        .div_ceil(side)
        .max(1);
    let small = rendered.downscale(factor);
    let jpeg = encode_jpeg(&small, THUMBNAIL_QUALITY, page)?;
    Ok(Thumbnail {
        width: jpeg.width,
        height: jpeg.height,
        jpeg: jpeg.bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbnails_fit_their_side_and_keep_the_shape() {
        let page = Raster::gray(2480, 3508, vec![200; 2480 * 3508]);
        let thumb = thumbnail(&page, 1).expect("encodes");
        assert!(thumb.width.max(thumb.height) <= THUMBNAIL_SIDE);
        let aspect = f64::from(thumb.width) / f64::from(thumb.height);
        assert!((aspect - 2480.0 / 3508.0).abs() < 0.01, "{thumb:?}");
        assert_eq!(&thumb.jpeg[..2], &[0xFF, 0xD8]);
        // A page smaller than a thumbnail is not enlarged.
        let small = thumbnail(&Raster::gray(100, 50, vec![0; 5000]), 1).expect("encodes");
        assert_eq!((small.width, small.height), (100, 50));
    }
}
