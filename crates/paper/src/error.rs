//! The one error type of the paper crate. Each variant carries what a person needs to fix the
//! problem: which file, which page, which limit.

use std::path::PathBuf;

/// Why a conversion stopped. Nothing is written to the output path when any of these occurs.
#[derive(Debug, thiserror::Error)]
pub enum PaperError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{} is empty (0 bytes); scan or photograph the page again", path.display())]
    EmptyFile { path: PathBuf },

    #[error(
        "{} is not a supported file (JPEG, PNG, TIFF, WebP, HEIC and PDF are)",
        path.display()
    )]
    UnsupportedFormat { path: PathBuf },

    #[error("{} (page {page}) is damaged or truncated and cannot be decoded: {detail}", path.display())]
    Corrupt {
        path: PathBuf,
        page: usize,
        detail: String,
    },

    #[error(
        "{} (page {page}) exceeds the {limit} limit: {actual} > {max}; \
         scan at a lower resolution or split the file",
        path.display()
    )]
    DecodeLimitExceeded {
        path: PathBuf,
        page: usize,
        limit: &'static str,
        actual: u64,
        max: u64,
    },

    #[error(
        "{} is encrypted (password-protected or restricted), and a court bundle may not be; \
         save or print an unprotected copy and convert that",
        path.display()
    )]
    PdfEncrypted { path: PathBuf },

    #[error(
        "{} contains {what}, which a court bundle must not carry; \
         print it to a new PDF or scan the paper instead",
        path.display()
    )]
    PdfActiveContent { path: PathBuf, what: &'static str },

    #[error(
        "{} is not a readable PDF: {detail}; download or export it again",
        path.display()
    )]
    PdfBroken { path: PathBuf, detail: String },

    #[error("cannot render page {page} of {}: {detail}", path.display())]
    PdfRender {
        path: PathBuf,
        page: usize,
        detail: String,
    },

    #[error(
        "{} alone makes a file of {bytes} bytes, {} bytes over the {max}-byte limit; \
         split it into smaller files, or scan it at a lower resolution or in gray",
        path.display(),
        bytes - max
    )]
    DocumentTooLarge { path: PathBuf, bytes: u64, max: u64 },

    #[error("the corners chosen for page {page} cannot be used: {detail}")]
    CornersInvalid { page: usize, detail: String },

    #[error("the scan studio has no page {id} (it was deleted, or never added)")]
    StudioPageUnknown { id: u64 },

    #[error("the scan studio has no pages to build a bundle from")]
    StudioEmpty,

    #[error("no input files were given")]
    NoInputs,

    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("encoding page {page} failed: {detail}")]
    Encode { page: usize, detail: String },

    #[error(
        "cannot run the scanning program {} ({detail}); install sane-utils (scripts/lib/setup.sh)",
        program.display()
    )]
    ScannerProgramMissing { program: PathBuf, detail: String },

    #[error(
        "{} is an HEIC photo, and the program that decodes those ({}) is not installed; \
         install the {package} package, or save the photo as JPEG on the phone",
        path.display(),
        program.display()
    )]
    HeifDecoderMissing {
        path: PathBuf,
        program: PathBuf,
        package: &'static str,
    },

    #[error(
        "scanner {device} was not found; check that it is switched on and connected, and \
         pick a device that `litigant scanners` lists"
    )]
    ScannerNotFound { device: String },

    #[error(
        "scanner {device} is busy; wait for the other program using it to finish, or close it, \
         and scan again"
    )]
    ScannerBusy { device: String },

    #[error("scanning with {device} failed: {detail}")]
    ScanFailed { device: String, detail: String },

    #[error("the conversion was cancelled; {} was not written", output.display())]
    Cancelled { output: PathBuf },

    #[error(
        "{url} is not an eSCL scanner address ({detail}); give one like \
         http://192.168.1.20:8080/eSCL or escl://192.168.1.20:8080/eSCL"
    )]
    EsclAddress { url: String, detail: String },

    #[error(
        "cannot reach the scanner at {url} ({detail}); check that it is switched on and on \
         this network"
    )]
    EsclUnreachable { url: String, detail: String },

    #[error(
        "the scanner at {url} refused: HTTP {status}{}; {message}",
        state.as_ref().map(|s| format!(", state {s}")).unwrap_or_default()
    )]
    EsclRefused {
        url: String,
        status: u16,
        /// The scanner's own state (`Idle`, `Processing`, `ScannerAdfJam`, …) when it told it.
        state: Option<String>,
        message: String,
    },

    #[error(
        "the scanner at {url} stayed busy (HTTP 503) through {tries} tries; wait until it has \
         finished the other job and scan again"
    )]
    EsclBusy { url: String, tries: u32 },

    #[error(
        "the document feeder of the scanner at {url} is empty ({state}); put the pages in the \
         feeder and scan again"
    )]
    EsclFeederEmpty { url: String, state: String },

    #[error(
        "page {page} from the scanner at {url} cannot be used: {detail}; {kept} earlier \
         pages are kept in {}; scan the rest again",
        dir.display()
    )]
    EsclPage {
        url: String,
        page: usize,
        kept: usize,
        dir: PathBuf,
        detail: String,
    },

    #[error(
        "cannot look for network scanners on this computer ({detail}); type the scanner's \
         address instead, like http://192.168.1.20:8080/eSCL"
    )]
    EsclDiscovery { detail: String },

    #[error("the scanner at {url} gave an answer that cannot be read: {detail}")]
    EsclReply { url: String, detail: String },

    #[error("scanning with {device} was cancelled after {pages} pages")]
    ScanCancelled { device: String, pages: usize },

    #[error(
        "the camera frame cannot be used: {detail} ({width}x{height}, {stride} bytes a row, \
         {bytes} bytes); the camera code handed over a damaged picture"
    )]
    FrameInvalid {
        width: u32,
        height: u32,
        stride: usize,
        bytes: usize,
        detail: String,
    },

    #[error(
        "the camera frame has {actual} pixels, more than the {max} allowed; set the document \
         camera to a lower resolution"
    )]
    FrameTooLarge { actual: u64, max: u64 },
}

impl PaperError {
    /// A stable code for the interface and scripts; never changes meaning once published.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Read { .. } => "paper.read_failed",
            Self::EmptyFile { .. } => "paper.empty_file",
            Self::UnsupportedFormat { .. } => "paper.unsupported_format",
            Self::Corrupt { .. } => "paper.corrupt_input",
            Self::DecodeLimitExceeded { .. } => "paper.decode_limit_exceeded",
            Self::PdfEncrypted { .. } => "paper.pdf_encrypted",
            Self::PdfActiveContent { .. } => "paper.pdf_active_content",
            Self::PdfBroken { .. } => "paper.pdf_broken",
            Self::PdfRender { .. } => "paper.pdf_render_failed",
            Self::DocumentTooLarge { .. } => "paper.document_too_large",
            Self::NoInputs => "paper.no_inputs",
            Self::CornersInvalid { .. } => "paper.corners_invalid",
            Self::StudioPageUnknown { .. } => "paper.studio.page_unknown",
            Self::StudioEmpty => "paper.studio.empty",
            Self::Write { .. } => "paper.write_failed",
            Self::Encode { .. } => "paper.encode_failed",
            Self::Cancelled { .. } => "paper.cancelled",
            Self::ScannerProgramMissing { .. } => "paper.scan.program_missing",
            Self::HeifDecoderMissing { .. } => "paper.heif_decoder_missing",
            Self::ScannerNotFound { .. } => "paper.scan.not_found",
            Self::ScannerBusy { .. } => "paper.scan.busy",
            Self::ScanFailed { .. } => "paper.scan.failed",
            Self::EsclAddress { .. } => "paper.escl.address",
            Self::EsclUnreachable { .. } => "paper.escl.unreachable",
            Self::EsclDiscovery { .. } => "paper.escl.discovery",
            Self::EsclRefused { .. } => "paper.escl.refused",
            Self::EsclBusy { .. } => "paper.escl.busy",
            Self::EsclFeederEmpty { .. } => "paper.escl.feeder_empty",
            Self::EsclPage { .. } => "paper.escl.page_failed",
            Self::EsclReply { .. } => "paper.escl.reply_unreadable",
            Self::ScanCancelled { .. } => "paper.scan.cancelled",
            Self::FrameInvalid { .. } => "paper.frame.invalid",
            Self::FrameTooLarge { .. } => "paper.frame.too_large",
        }
    }
}
