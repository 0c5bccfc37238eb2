//! One page through the pipeline: find the page, decide how to flatten and store it, render it
//! once at its final size, compress it, and check it. The analysis runs on a copy of about
//! 1000 pixels a side; only the final render touches every source pixel.

use std::time::Instant;

use serde::Serialize;

use crate::binarize::{Sauvola, ink_contrast};
use crate::decode::{PageOrigin, SourcePage};
use crate::encode::{BilevelCoding, EncodedImage, ImageCoding, encode_bilevel, encode_jpeg};
use crate::enhance::{Background, Sampling, ToneCurve, render};
use crate::error::PaperError;
use crate::geometry::Homography;
use crate::located::{Located, chosen, locate};
use crate::mode::{ModeDecision, PageMode, choose_mode};
use crate::ocr::{OcrProblem, Tesseract};
use crate::own_pixels;
use crate::pdf::{PaperSize, Placement};
use crate::quality::{self, QualityWarning};
use crate::raster::Raster;
use crate::untouched::{self, PageFacts, StoredJpeg};
use crate::upright::Turn;

/// Side of the analysis copy, in pixels.
const ANALYSIS_SIDE: u32 = 1000;
/// Resolution of the small rendering used to choose the mode and estimate the paper.
const ANALYSIS_DPI: f64 = 100.0;
/// Bilevel pages are stored at 300 dpi: thresholding at that resolution keeps strokes smooth.
const BILEVEL_DPI: f64 = 300.0;
/// Gray and colour pages at 200 dpi, or at the source's own when lower (never invented detail).
const CONTINUOUS_DPI: f64 = 200.0;

/// Settings that apply to every page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSettings {
    pub paper: PaperSize,
    pub forced_mode: Option<PageMode>,
    pub jpeg_quality: u8,
    pub bilevel_coding: BilevelCoding,
}

impl PageSettings {
    pub fn of(options: &crate::ConvertOptions) -> Self {
        Self {
            paper: options.paper,
            forced_mode: options.forced_mode,
            jpeg_quality: options.jpeg_quality.clamp(1, 100),
            bilevel_coding: options.bilevel_coding,
        }
    }
}

/// The external tools a page may use, when asked for.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageTools<'a> {
    /// Detect the text direction and turn the page upright.
    pub orient: Option<&'a Tesseract>,
    /// Keep the rendered page (for OCR, or for a thumbnail).
    pub keep_rendered: bool,
    /// The page's corners in source pixels, chosen by a person: used instead of the
    /// detected outline.
    pub corners: Option<[[f64; 2]; 4]>,
    /// Degrees to turn the page clockwise after any automatic turn: 0, 90, 180 or 270.
    pub turn: u16,
}

/// What text-direction detection decided for a page.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OrientationReport {
    /// Degrees the page was turned clockwise after EXIF orientation: 0, 90, 180 or 270.
    pub rotated: u16,
    /// Tesseract's confidence in the direction it saw; `None` when the page had too little
    /// text to tell (it is then left as it is).
    pub confidence: Option<f32>,
    pub ms: f64,
}

/// What OCR found on a page.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TextReport {
    pub words: usize,
    pub ms: f64,
}

/// How the page was found in its source.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Geometry {
    /// A sheet found in a photo, its corners in source pixels; perspective corrected.
    Sheet { corners: [[f64; 2]; 4] },
    /// The page fills the frame, rotated by this many degrees to straighten its lines.
    FullFrame {
        deskew_degrees: f64,
        /// Set when the page keeps the frame's own pixels and the blank margin that overhung
        /// the sheet was left out (see `own_pixels`): the part kept, as x, y, width and height
        /// in source pixels.
        #[serde(skip_serializing_if = "Option::is_none")]
        kept: Option<[u32; 4]>,
    },
}

/// Milliseconds spent in each stage of a page.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Timings {
    pub analyse_ms: f64,
    pub render_ms: f64,
    pub encode_ms: f64,
}

/// What happened to one page: the decisions, measurements and findings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageReport {
    /// 1-based number in the output.
    pub page: usize,
    pub file: String,
    /// 1-based page number inside its file.
    pub page_in_file: usize,
    pub origin: PageOrigin,
    pub source_width: u32,
    pub source_height: u32,
    pub geometry: Geometry,
    pub decision: ModeDecision,
    pub coding: ImageCoding,
    pub width: u32,
    pub height: u32,
    /// Resolution of the stored image on the sheet.
    pub dpi: f64,
    /// Resolution the source offered for the page on the sheet: below 200 is a warning.
    pub source_dpi: f64,
    pub bytes: usize,
    pub ink_share: f64,
    pub sharpness: Option<f32>,
    pub contrast: u8,
    pub warnings: Vec<QualityWarning>,
    pub timings: Timings,
    /// Set when text-direction detection ran.
    pub orientation: Option<OrientationReport>,
    /// Set when the page got a text layer.
    pub text: Option<TextReport>,
    /// The source JPEG was stored as it came, not coded again: the page needed nothing done.
    pub untouched: bool,
}

/// A finished page, ready for the PDF writer.
#[derive(Debug)]
pub struct ProcessedPage {
    pub image: EncodedImage,
    pub placement: Placement,
    pub report: PageReport,
    /// Difference hash of the page, for the duplicate check across pages.
    pub hash: u64,
    /// The rendered page and its resolution, kept when asked for.
    pub rendered: Option<(Raster, u32)>,
    /// Why the text direction could not be checked.
    pub problem: Option<OcrProblem>,
}

pub(crate) fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// What the small rendering of the page says.
struct Analysis {
    /// Paper level of the page in the source's channels.
    background: Background,
    /// The same, for the luma of the page.
    background_luma: Background,
    tone: ToneCurve,
    decision: ModeDecision,
    toned_luma: Raster,
    contrast: u8,
    hash: u64,
}

/// Renders the page small (about 100 dpi) from the analysis copy, estimates its paper, chooses
/// its tone curve and mode, and takes the measurements the quality checks need.
fn analyse(
    small: &Raster,
    to_small: &Homography,
    (aw, ah): (u32, u32),
    forced: Option<PageMode>,
) -> Analysis {
    let raw = render(
        small,
        to_small,
        aw,
        ah,
        &Background::flat(usize::from(small.channels())),
        ToneCurve::IDENTITY,
        Sampling::Bilinear,
    );
    let raw_luma = raw.to_luma();
    let background = Background::estimate(&raw);
    let background_luma = if raw.is_rgb() {
        Background::estimate(&raw_luma)
    } else {
        background.clone()
    };
    let flat = render(
        small,
        to_small,
        aw,
        ah,
        &background,
        ToneCurve::IDENTITY,
        Sampling::Bilinear,
    );
    let tone = ToneCurve::for_page(&flat.to_luma());
    let toned = render(
        small,
        to_small,
        aw,
        ah,
        &background,
        tone,
        Sampling::Bilinear,
    );
    let decision = choose_mode(&toned, forced);
    let toned_luma = toned.into_luma();
    Analysis {
        background,
        background_luma,
        tone,
        decision,
        contrast: quality::contrast(&raw_luma),
        hash: quality::difference_hash(&toned_luma),
        toned_luma,
    }
}

/// Processes one decoded page. `page` is its 1-based number in the output and `file` the name
/// used in warnings.
pub fn process_page(
    source: SourcePage,
    page: usize,
    file: &str,
    settings: PageSettings,
    tools: PageTools<'_>,
) -> Result<ProcessedPage, PaperError> {
    let started = Instant::now();
    let raster = source.raster;
    let (sw, sh) = (raster.width(), raster.height());
    let factor = sw.max(sh).div_ceil(ANALYSIS_SIDE).max(1);
    let f = f64::from(factor);
    let small = raster.downscale(factor);
    let mut located = match tools.corners {
        Some(corners) => chosen(corners, (sw, sh), page)?,
        None => locate(&small.to_luma(), factor, (sw, sh), source.dpi),
    };
    let mut placement = Placement::fit(located.width, located.height, located.dpi, settings.paper);
    let mut source_dpi = placement.dpi_of(located.width);
    let analysis_dpi = ANALYSIS_DPI.min(source_dpi / f).max(20.0);
    let analysis = analyse(
        &small,
        &located.to_source.then_scale(1.0 / f),
        pixels_at(&placement, analysis_dpi),
        settings.forced_mode,
    );
    drop(small);
    let mut stored = (source.jpeg)
        .filter(|jpeg| already_good(jpeg, &tools, &analysis, source_dpi, &located, (sw, sh)));
    if stored.is_some() {
        (located, placement, source_dpi) =
            located.whole_frame((sw, sh), source.dpi, settings.paper);
    } else if let Some(own) = own_window(&raster, &located, &placement, &analysis, settings.paper) {
        (located, placement, source_dpi) = own;
    }
    let analyse_ms = ms(started);

    // The one full-resolution pass.
    let started = Instant::now();
    let target_dpi = stored_dpi(analysis.decision.mode, source_dpi);
    let (ow, oh) = pixels_at(&placement, target_dpi);
    let colour = analysis.decision.mode == PageMode::Colour && raster.is_rgb();
    let (mut rendered, sharpness) = render_full(raster, &located, (ow, oh), colour, &analysis);
    let render_ms = ms(started);

    let turn = Turn {
        located: &located,
        paper: settings.paper,
        dpi: target_dpi,
    };
    let (orientation, problem) = match tools.orient {
        Some(tesseract) => turn.apply(tesseract, &mut rendered, &mut placement, page, file),
        None => (None, None),
    };
    // A turned page keeps the whole frame, but must be stored as rendered (upright).
    let turned = orientation.is_some_and(|o| o.rotated != 0) || !tools.turn.is_multiple_of(360);
    stored = stored.filter(|_| !turned);
    if !tools.turn.is_multiple_of(360) {
        let total = (orientation.map_or(0, |o| o.rotated) + tools.turn) % 360;
        rendered = rendered.rotated_clockwise(tools.turn % 360);
        placement = turn.placement(total);
    }

    let started = Instant::now();
    let dpis = (analysis_dpi, target_dpi);
    let (image, ink_share, untouched) = encode(&rendered, &analysis, dpis, stored, settings, page)?;
    let encode_ms = ms(started);

    let findings = quality::Findings {
        page,
        file,
        ink_share: ink_share.max(quality::ink_share(&analysis.toned_luma)),
        contrast: analysis.contrast,
        sharpness,
        source_dpi,
        corner_cut: located.corner_cut,
    };
    let report = PageReport {
        page,
        file: file.to_owned(),
        page_in_file: source.page_in_file,
        origin: source.origin,
        source_width: sw,
        source_height: sh,
        geometry: located.geometry,
        decision: analysis.decision,
        coding: image.coding,
        width: image.width,
        height: image.height,
        dpi: placement.dpi_of(f64::from(image.width)),
        source_dpi,
        bytes: image.bytes.len(),
        ink_share,
        sharpness,
        contrast: analysis.contrast,
        warnings: findings.warnings(),
        timings: Timings {
            analyse_ms,
            render_ms,
            encode_ms,
        },
        orientation,
        text: None,
        untouched,
    };
    Ok(ProcessedPage {
        image,
        placement,
        report,
        hash: analysis.hash,
        rendered: tools.keep_rendered.then_some((rendered, target_dpi as u32)),
        problem,
    })
}

/// The resolution a page in `mode` is stored at, given what its source offers.
fn stored_dpi(mode: PageMode, source_dpi: f64) -> f64 {
    match mode {
        PageMode::Bilevel => BILEVEL_DPI,
        PageMode::Gray | PageMode::Colour => CONTINUOUS_DPI.min(source_dpi).max(72.0),
    }
}

/// Compresses the rendered page in its mode: bilevel with the binarization suited to its ink
/// (measured on the analysis rendering at `analysis_dpi`), gray or colour as JPEG unless its
/// own JPEG (`stored`) is to be kept. Returns the image, its ink share, and whether it is the
/// source's JPEG.
fn encode(
    rendered: &Raster,
    analysis: &Analysis,
    (analysis_dpi, target_dpi): (f64, f64),
    stored: Option<StoredJpeg>,
    settings: PageSettings,
    page: usize,
) -> Result<(EncodedImage, f64, bool), PaperError> {
    Ok(match analysis.decision.mode {
        PageMode::Bilevel => {
            let contrast = ink_contrast(&analysis.toned_luma, analysis_dpi);
            let params = Sauvola::for_page(target_dpi as u32, contrast);
            let (image, ink) = encode_bilevel(rendered, params, settings.bilevel_coding);
            (image, ink, false)
        }
        PageMode::Gray | PageMode::Colour => {
            let coded = encode_jpeg(rendered, settings.jpeg_quality, page)?;
            let (image, untouched) = untouched::cheaper_of(stored, coded);
            (image, quality::ink_share(&analysis.toned_luma), untouched)
        }
    })
}

/// The page at the frame's own pixels, its placement and resolution, when a square scan is a
/// little larger than the sheet and what overhangs it is blank: see `own_pixels`.
fn own_window(
    raster: &Raster,
    located: &Located,
    placement: &Placement,
    analysis: &Analysis,
    paper: PaperSize,
) -> Option<(Located, Placement, f64)> {
    if !located.is_square_frame() {
        return None;
    }
    let source_dpi = placement.dpi_of(located.width);
    let dpi = stored_dpi(analysis.decision.mode, source_dpi);
    let sheet = (placement.sheet_width, placement.sheet_height);
    // A mark is anything the tone curve takes below mid-gray.
    let ink_below = analysis.tone.black / 2 + analysis.tone.white / 2;
    let window = own_pixels::window(raster, source_dpi, dpi, sheet, ink_below)?;
    let own = Located::own_pixels(window, dpi, located.corner_cut);
    let placement = Placement::fit(own.width, own.height, Some(dpi), paper);
    Some((own, placement, dpi))
}

/// Whether the page's own JPEG can be stored as it is: see `untouched`. A page a person
/// re-cropped is one they want changed.
fn already_good(
    jpeg: &StoredJpeg,
    tools: &PageTools<'_>,
    analysis: &Analysis,
    source_dpi: f64,
    located: &Located,
    frame: (u32, u32),
) -> bool {
    tools.corners.is_none()
        && PageFacts {
            mode: analysis.decision.mode,
            colour_jpeg: jpeg.is_colour(),
            source_dpi,
            continuous_dpi: CONTINUOUS_DPI,
            fills_frame: untouched::fills_frame(&located.geometry, frame),
            darkest_paper: analysis.background_luma.darkest(),
        }
        .already_good()
}

/// The one full-resolution pass: the page at `ow × oh` pixels, flattened and toned, in colour
/// or gray; and the sharpness of the source.
fn render_full(
    raster: Raster,
    located: &Located,
    (ow, oh): (u32, u32),
    colour: bool,
    analysis: &Analysis,
) -> (Raster, Option<f32>) {
    let full = if colour { raster } else { raster.into_luma() };
    let sharpness = quality::sharpness(&full.to_luma_if_rgb());
    // Shrinking by two or more: average blocks first, so that bilinear sampling does not alias.
    let pre = ((located.width / f64::from(ow))
        .min(located.height / f64::from(oh))
        .floor() as u32)
        .max(1);
    let (full, to_full) = if pre >= 2 {
        (
            full.downscale(pre),
            located.to_source.then_scale(1.0 / f64::from(pre)),
        )
    } else {
        (full, located.to_source)
    };
    let background = if colour {
        &analysis.background
    } else {
        &analysis.background_luma
    };
    let sampling = Sampling::for_scale(f64::from(ow) / located.width);
    (
        render(&full, &to_full, ow, oh, background, analysis.tone, sampling),
        sharpness,
    )
}

/// The pixel size of the placed content at `dpi`, at least one pixel each way.
fn pixels_at(placement: &Placement, dpi: f64) -> (u32, u32) {
    let w = (placement.width / 72.0 * dpi).round().max(1.0) as u32;
    let h = (placement.height / 72.0 * dpi).round().max(1.0) as u32;
    (w, h)
}

impl Raster {
    /// The luma of an RGB raster; a gray raster is borrowed as it is.
    pub(crate) fn to_luma_if_rgb(&self) -> std::borrow::Cow<'_, Raster> {
        if self.is_rgb() {
            std::borrow::Cow::Owned(self.to_luma())
        } else {
            std::borrow::Cow::Borrowed(self)
        }
    }
}
