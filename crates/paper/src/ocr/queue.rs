//! Pages waiting for their text layer. OCR of a page runs on its own thread (one Tesseract
//! process) while the pipeline goes on with the next pages; at most `parallel` pages wait at
//! once, and pages leave the queue in the order they came, so the writer sees them in order.

use std::collections::VecDeque;
use std::thread::JoinHandle;
use std::time::Instant;

use super::{OcrProblem, Tesseract};
use crate::page::TextReport;
use crate::pdf::text::TextLayer;
use crate::pdf::{PageContent, PageText};
use crate::raster::Raster;

type Job = JoinHandle<(Result<TextLayer, String>, f64)>;

struct Pending {
    page: PageContent,
    number: usize,
    file: String,
    job: Option<Job>,
}

/// A page whose text layer is settled.
#[derive(Debug)]
pub struct Recognised {
    pub page: PageContent,
    /// 1-based number in the output.
    pub number: usize,
    /// What OCR made of it; `None` when it was not asked for (or could not run at all).
    pub outcome: Option<Result<TextReport, OcrProblem>>,
}

pub struct TextQueue {
    tesseract: Option<Tesseract>,
    parallel: usize,
    pending: VecDeque<Pending>,
}

impl std::fmt::Debug for TextQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TextQueue({} pending)", self.pending.len())
    }
}

impl TextQueue {
    /// A queue that recognises pages with `tesseract` (which must have its font), or passes
    /// pages straight through when it is `None`.
    pub fn new(tesseract: Option<Tesseract>, parallel: usize) -> Self {
        Self {
            tesseract: tesseract.filter(|t| t.font().is_some()),
            parallel: parallel.max(1),
            pending: VecDeque::new(),
        }
    }

    /// Adds a page, starting OCR of `input` (the rendered page and its dpi) when there is
    /// one, and returns the pages now ready, in order.
    pub fn push(
        &mut self,
        page: PageContent,
        number: usize,
        file: &str,
        input: Option<(Raster, u32)>,
    ) -> Vec<Recognised> {
        let job = match (&self.tesseract, input) {
            (Some(tesseract), Some((raster, dpi))) => {
                let tesseract = tesseract.clone();
                Some(std::thread::spawn(move || {
                    let started = Instant::now();
                    let result = tesseract.recognise(&raster, dpi);
                    (result, started.elapsed().as_secs_f64() * 1000.0)
                }))
            }
            _ => None,
        };
        self.pending.push_back(Pending {
            page,
            number,
            file: file.to_owned(),
            job,
        });
        let mut ready = Vec::new();
        while let Some(front) = self.pending.front() {
            let done = front.job.as_ref().is_none_or(JoinHandle::is_finished);
            if !done && self.pending.len() <= self.parallel {
                break;
            }
            if let Some(pending) = self.pending.pop_front() {
                ready.push(self.settle(pending));
            }
        }
        ready
    }

    /// Waits for every page still queued and returns them, in order.
    pub fn drain(&mut self) -> Vec<Recognised> {
        let pending: Vec<Pending> = self.pending.drain(..).collect();
        pending.into_iter().map(|p| self.settle(p)).collect()
    }

    fn settle(&self, pending: Pending) -> Recognised {
        let Pending {
            mut page,
            number,
            file,
            job,
        } = pending;
        let outcome = job.map(|job| {
            let (result, ms) = job
                .join()
                .unwrap_or_else(|_| (Err("the OCR thread panicked".to_owned()), 0.0));
            match (result, self.tesseract.as_ref().and_then(Tesseract::font)) {
                (Ok(layer), Some(font)) => {
                    let report = TextReport {
                        words: layer.words.len(),
                        ms,
                    };
                    page.text = Some(PageText {
                        layer,
                        font: font.clone(),
                    });
                    Ok(report)
                }
                (Ok(_), None) => unreachable!("jobs start only with a font"),
                (Err(detail), _) => Err(OcrProblem::PageFailed {
                    page: number,
                    file,
                    detail,
                }),
            }
        });
        Recognised {
            page,
            number,
            outcome,
        }
    }
}
