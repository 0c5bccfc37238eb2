//! The window's scan studio: one [`ScanStudio`] the interface shows and changes, and what it
//! is doing while files are added (which file, how many done), so the screen can poll and show
//! pages as they finish. Pages are processed on a blocking thread, one file at a time, with the
//! studio locked only for that file: the screen stays responsive and sees each file's pages as
//! soon as they are in.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use base64::Engine;
use litigant_paper::{
    ConvertOptions, Frame, Geometry, OcrOptions, OcrProblem, PageId, PaperError, QualityWarning,
    ScanStudio, StudioPage, Thumbnail,
};
use serde::{Deserialize, Serialize};

use crate::error::CommandError;

/// Longest side of the picture the corners are dragged on.
pub const CROP_PREVIEW_SIDE: u32 = 1000;

/// The studio and the progress of the files being added.
#[derive(Debug, Clone)]
pub struct StudioDesk {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    studio: Mutex<ScanStudio>,
    adding: Mutex<Option<AddingView>>,
}

impl Default for StudioDesk {
    fn default() -> Self {
        Self {
            inner: Arc::new(Inner {
                studio: Mutex::new(new_studio()),
                adding: Mutex::new(None),
            }),
        }
    }
}

fn new_studio() -> ScanStudio {
    ScanStudio::new(ConvertOptions::default())
}

fn locked<T>(mutex: &Mutex<T>) -> Result<MutexGuard<'_, T>, CommandError> {
    mutex.lock().map_err(|_| CommandError::state_poisoned())
}

/// Files being added: how far it has got.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AddingView {
    pub done: u32,
    pub total: u32,
    /// The file being processed now (its name only).
    pub file: String,
}

/// A quality finding on a page, with what to do about it.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct WarningView {
    /// `paper.quality.*`: the interface words it and its fix from this.
    pub code: String,
    /// The English sentence, a fallback.
    pub message: String,
    pub fix: String,
    /// For a likely duplicate: the earlier page it repeats.
    pub of_page: Option<u32>,
    /// For a low resolution: the page's effective dpi.
    pub dpi: Option<f64>,
}

/// A corner of the page, in the source's pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Corner {
    pub x: f64,
    pub y: f64,
}

/// One page as the studio shows it.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PageView {
    /// Stays the same when the page moves.
    pub id: u32,
    /// 1-based, in the current order.
    pub number: u32,
    pub file: String,
    pub page_in_file: u32,
    /// Degrees turned clockwise by the person.
    pub turn: u16,
    /// `data:image/jpeg;base64,…` of the page as it will be stored.
    pub thumbnail: String,
    pub thumbnail_width: u32,
    pub thumbnail_height: u32,
    pub source_width: u32,
    pub source_height: u32,
    /// The outline used, clockwise from top left, in source pixels: the person's, the one
    /// detected in a photo, or the whole frame.
    pub corners: Vec<Corner>,
    /// Whether the outline is the person's rather than the detected one.
    pub crop_chosen: bool,
    pub warnings: Vec<WarningView>,
}

/// Everything the studio screen shows.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StudioView {
    pub pages: Vec<PageView>,
    /// Set while files are being added.
    pub adding: Option<AddingView>,
}

/// A file that could not be added; nothing of it is in the studio.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AddFailure {
    pub file: String,
    pub error: CommandError,
}

/// What adding files did.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AddReport {
    pub pages_added: u32,
    pub failures: Vec<AddFailure>,
    pub studio: StudioView,
}

/// The source of a page, to drag its corners on.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SourceView {
    pub id: u32,
    /// `data:image/jpeg;base64,…`, at most [`CROP_PREVIEW_SIDE`] pixels on its longer side.
    pub image: String,
    pub width: u32,
    pub height: u32,
    /// Corners are in these pixels: the picture's coordinates times `source_width / width`.
    pub source_width: u32,
    pub source_height: u32,
    pub corners: Vec<Corner>,
}

/// A bundle written.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BuildView {
    pub path: String,
    pub pages: u32,
    #[specta(type = f64)]
    pub bytes: u64,
    pub warnings: u32,
    /// Pages that got a text layer (none without OCR).
    pub pages_with_text: u32,
    /// Why OCR could not run, or not on a page; the bundle is complete without it.
    pub ocr_problems: Vec<CommandError>,
    /// The first page's thumbnail, as a preview.
    pub first_page: String,
}

pub(crate) fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn data_url(thumbnail: &Thumbnail) -> String {
    format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&thumbnail.jpeg)
    )
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn warning_view(warning: &QualityWarning) -> WarningView {
    let (of_page, dpi) = match warning {
        QualityWarning::LikelyDuplicate { of_page, .. } => (Some(count(*of_page)), None),
        QualityWarning::LowResolution { dpi, .. } => (None, Some(f64::from(*dpi))),
        _ => (None, None),
    };
    WarningView {
        code: warning.code().to_owned(),
        message: warning.to_string(),
        fix: warning.fix().to_owned(),
        of_page,
        dpi,
    }
}

/// The outline in use, clockwise from top left.
fn outline(page: &StudioPage) -> [[f64; 2]; 4] {
    let report = page.report();
    if let Some(chosen) = page.chosen_corners() {
        return chosen;
    }
    match report.geometry {
        Geometry::Sheet { corners } => corners,
        Geometry::FullFrame { .. } => {
            let (w, h) = (
                f64::from(report.source_width),
                f64::from(report.source_height),
            );
            [[0.0, 0.0], [w, 0.0], [w, h], [0.0, h]]
        }
    }
}

fn corners_view(corners: [[f64; 2]; 4]) -> Vec<Corner> {
    corners.iter().map(|&[x, y]| Corner { x, y }).collect()
}

fn page_id(id: u32) -> PageId {
    PageId(u64::from(id))
}

fn view_of(studio: &ScanStudio, adding: Option<AddingView>) -> StudioView {
    let warnings = studio.warnings();
    let pages = studio
        .pages()
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let report = page.report();
            let thumbnail = page.thumbnail();
            PageView {
                id: u32::try_from(page.id().0).unwrap_or(u32::MAX),
                number: count(i + 1),
                file: report.file.clone(),
                page_in_file: count(report.page_in_file),
                turn: page.turn(),
                thumbnail: data_url(thumbnail),
                thumbnail_width: thumbnail.width,
                thumbnail_height: thumbnail.height,
                source_width: report.source_width,
                source_height: report.source_height,
                corners: corners_view(outline(page)),
                crop_chosen: page.chosen_corners().is_some(),
                warnings: warnings
                    .iter()
                    .filter(|w| w.page() == i + 1)
                    .map(warning_view)
                    .collect(),
            }
        })
        .collect();
    StudioView { pages, adding }
}

impl StudioDesk {
    pub fn view(&self) -> Result<StudioView, CommandError> {
        let adding = locked(&self.inner.adding)?.clone();
        Ok(view_of(&*locked(&self.inner.studio)?, adding))
    }

    /// Starts over with an empty document. Refused while files are being added.
    pub fn reset(&self) -> Result<StudioView, CommandError> {
        if locked(&self.inner.adding)?.is_some() {
            return Err(busy());
        }
        *locked(&self.inner.studio)? = new_studio();
        self.view()
    }

    /// Adds the files in order, each whole or not at all; one that fails is reported and the
    /// others go on. Runs on a blocking thread; the studio can be viewed meanwhile.
    pub async fn add(&self, paths: Vec<PathBuf>) -> Result<AddReport, CommandError> {
        {
            let mut adding = locked(&self.inner.adding)?;
            if adding.is_some() {
                return Err(busy());
            }
            *adding = Some(AddingView {
                done: 0,
                total: count(paths.len()),
                file: paths.first().map(|p| file_name(p)).unwrap_or_default(),
            });
        }
        let inner = Arc::clone(&self.inner);
        let (pages_added, failures) = blocking(move || {
            let result = add_files(&inner, &paths);
            if let Ok(mut adding) = inner.adding.lock() {
                *adding = None;
            }
            result
        })
        .await?;
        Ok(AddReport {
            pages_added,
            failures,
            studio: self.view()?,
        })
    }

    /// Runs `change` on the studio on a blocking thread (a turn or a crop re-processes the
    /// page from its source), then returns the new view.
    async fn change(
        &self,
        change: impl FnOnce(&mut ScanStudio) -> Result<(), PaperError> + Send + 'static,
    ) -> Result<StudioView, CommandError> {
        let inner = Arc::clone(&self.inner);
        blocking(move || {
            let mut studio = locked(&inner.studio)?;
            change(&mut studio).map_err(CommandError::from)
        })
        .await?;
        self.view()
    }

    pub async fn move_page(&self, id: u32, to: u32) -> Result<StudioView, CommandError> {
        self.change(move |s| s.move_page(page_id(id), to as usize))
            .await
    }

    pub async fn rotate(&self, id: u32, quarter_turns: i32) -> Result<StudioView, CommandError> {
        self.change(move |s| s.rotate(page_id(id), quarter_turns))
            .await
    }

    pub async fn delete(&self, id: u32) -> Result<StudioView, CommandError> {
        self.change(move |s| s.delete(page_id(id))).await
    }

    /// `corners` in source pixels, four of them in any order; `None` goes back to the outline
    /// the studio detected.
    pub async fn recrop(
        &self,
        id: u32,
        corners: Option<Vec<Corner>>,
    ) -> Result<StudioView, CommandError> {
        let corners = match corners {
            None => None,
            Some(given) => Some(four(&given)?),
        };
        self.change(move |s| s.recrop(page_id(id), corners)).await
    }

    /// The page's source and its outline, to drag the corners on.
    pub async fn source(&self, id: u32) -> Result<SourceView, CommandError> {
        let inner = Arc::clone(&self.inner);
        blocking(move || {
            let studio = locked(&inner.studio)?;
            let preview = studio.source_preview(page_id(id), CROP_PREVIEW_SIDE)?;
            let page = studio
                .pages()
                .iter()
                .find(|p| p.id() == page_id(id))
                .ok_or_else(|| {
                    CommandError::from(PaperError::StudioPageUnknown { id: id.into() })
                })?;
            Ok(SourceView {
                id,
                image: data_url(&preview),
                width: preview.width,
                height: preview.height,
                source_width: page.report().source_width,
                source_height: page.report().source_height,
                corners: corners_view(outline(page)),
            })
        })
        .await
    }

    /// Writes the bundle to `output`, replacing a file there only once the new one is complete;
    /// with `ocr`, with a text layer (slower: every page is recognised by Tesseract).
    pub async fn build(&self, output: PathBuf, ocr: bool) -> Result<BuildView, CommandError> {
        let inner = Arc::clone(&self.inner);
        blocking(move || {
            let studio = locked(&inner.studio)?;
            if let Some(parent) = output.parent() {
                std::fs::create_dir_all(parent).map_err(|source| {
                    CommandError::from(PaperError::Write {
                        path: parent.to_path_buf(),
                        source,
                    })
                })?;
            }
            let options = OcrOptions::default();
            let report = studio.build_with_text(&output, ocr.then_some(&options))?;
            Ok(BuildView {
                path: output.display().to_string(),
                pages: count(report.pages.len()),
                bytes: report.bytes,
                warnings: count(report.warnings.len()),
                pages_with_text: count(report.pages.iter().filter(|p| p.text.is_some()).count()),
                ocr_problems: report.ocr_problems.iter().map(ocr_problem).collect(),
                first_page: studio
                    .pages()
                    .first()
                    .map(|p| data_url(p.thumbnail()))
                    .unwrap_or_default(),
            })
        })
        .await
    }

    /// Adds a camera frame as a page, kept as a PNG in `dir`; refused while files are being
    /// added.
    pub async fn add_frame(&self, frame: Frame, dir: PathBuf) -> Result<AddReport, CommandError> {
        if locked(&self.inner.adding)?.is_some() {
            return Err(busy());
        }
        let inner = Arc::clone(&self.inner);
        blocking(move || {
            locked(&inner.studio)?
                .add_frame(&frame, &dir)
                .map_err(CommandError::from)
        })
        .await?;
        Ok(AddReport {
            pages_added: 1,
            failures: Vec::new(),
            studio: self.view()?,
        })
    }

    /// Clears the studio (a kiosk session ended: its files are gone).
    pub fn close(&self) -> Result<(), CommandError> {
        *locked(&self.inner.studio)? = new_studio();
        Ok(())
    }
}

/// Runs pixel work off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, CommandError> + Send + 'static,
) -> Result<T, CommandError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| {
            CommandError::new(
                "studio.stopped",
                format!("The scan studio stopped unexpectedly; try again: {e}"),
            )
        })?
}

/// Why there is no text layer, in the form the interface translates (`ocr.*` codes).
fn ocr_problem(problem: &OcrProblem) -> CommandError {
    let error = CommandError::new(problem.code(), problem.to_string());
    match problem {
        OcrProblem::PageFailed { page, file, .. }
        | OcrProblem::OrientationFailed { page, file, .. } => error
            .with_detail("page", page.to_string())
            .with_detail("file", file.clone()),
        OcrProblem::LanguageMissing { language, .. } => {
            error.with_detail("language", language.clone())
        }
        OcrProblem::ProgramMissing { .. } | OcrProblem::FontUnusable { .. } => error,
    }
}

fn busy() -> CommandError {
    CommandError::new(
        "studio.busy",
        "Files are still being added; wait until they are in.",
    )
}

fn four(given: &[Corner]) -> Result<[[f64; 2]; 4], CommandError> {
    match given {
        [a, b, c, d] => Ok([[a.x, a.y], [b.x, b.y], [c.x, c.y], [d.x, d.y]]),
        _ => Err(CommandError::new(
            "studio.corners_count",
            format!("A page has four corners; {} were given.", given.len()),
        )
        .with_detail("count", given.len().to_string())),
    }
}

/// Adds each file under the studio's lock, then updates the progress; returns the pages added
/// and the files that failed.
fn add_files(inner: &Inner, paths: &[PathBuf]) -> Result<(u32, Vec<AddFailure>), CommandError> {
    let mut added = 0;
    let mut failures = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        if let Some(adding) = locked(&inner.adding)?.as_mut() {
            adding.file = file_name(path);
            adding.done = count(i);
        }
        let result = locked(&inner.studio)?.add_file(path);
        match result {
            Ok(ids) => added += count(ids.len()),
            Err(error) => failures.push(AddFailure {
                file: file_name(path),
                error: error.into(),
            }),
        }
    }
    Ok((added, failures))
}

/// Where a bundle goes when the person did not choose a place.
pub fn default_output(folder: &Path) -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    folder.join("bundles").join(format!("bundle-{stamp}.pdf"))
}

impl From<PaperError> for CommandError {
    fn from(error: PaperError) -> Self {
        tracing::warn!(code = error.code(), "{error}");
        let mut details = BTreeMap::new();
        let mut put = |key: &str, value: String| {
            details.insert(key.to_owned(), value);
        };
        match &error {
            PaperError::Read { path, .. }
            | PaperError::EmptyFile { path }
            | PaperError::UnsupportedFormat { path }
            | PaperError::PdfEncrypted { path }
            | PaperError::PdfActiveContent { path, .. }
            | PaperError::PdfBroken { path, .. }
            | PaperError::DocumentTooLarge { path, .. }
            | PaperError::HeifDecoderMissing { path, .. }
            | PaperError::Write { path, .. } => put("file", file_name(path)),
            PaperError::Corrupt { path, page, .. }
            | PaperError::DecodeLimitExceeded { path, page, .. }
            | PaperError::PdfRender { path, page, .. } => {
                put("file", file_name(path));
                put("page", page.to_string());
            }
            PaperError::CornersInvalid { page, .. } | PaperError::Encode { page, .. } => {
                put("page", page.to_string());
            }
            PaperError::ScannerNotFound { device }
            | PaperError::ScannerBusy { device }
            | PaperError::ScanFailed { device, .. }
            | PaperError::ScanCancelled { device, .. } => put("device", device.clone()),
            PaperError::EsclAddress { url, .. }
            | PaperError::EsclUnreachable { url, .. }
            | PaperError::EsclBusy { url, .. }
            | PaperError::EsclReply { url, .. } => put("device", url.clone()),
            PaperError::EsclFeederEmpty { url, state } => {
                put("device", url.clone());
                put("state", state.clone());
            }
            PaperError::EsclRefused {
                url, status, state, ..
            } => {
                put("device", url.clone());
                put("status", status.to_string());
                put("state", state.clone().unwrap_or_default());
            }
            PaperError::EsclPage {
                url, page, kept, ..
            } => {
                put("device", url.clone());
                put("page", page.to_string());
                put("kept", kept.to_string());
            }
            _ => {}
        }
        Self {
            code: error.code().to_owned(),
            message: error.to_string(),
            details,
        }
    }
}
