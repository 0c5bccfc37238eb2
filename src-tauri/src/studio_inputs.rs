//! Where the studio's pages come from besides files: scanners (SANE devices, or eSCL network
//! scanners named `escl:URL`) and the kiosk's document camera. Each writes its pages into a
//! new folder under the window's working folder, which the studio then reads like any file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use litigant_hearing::{DeviceKind, Input};
use litigant_paper::{DecodeLimits, Frame, FrameFormat, PaperError, ScanOptions};
use serde::Serialize;

use crate::error::CommandError;
use crate::identity::CAMERA_ENV;
use crate::studio::blocking;

/// A scanner: a SANE device, or a network scanner found by its announcement (`escl:URL`).
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ScannerView {
    pub device: String,
    pub description: String,
}

/// The scanners SANE sees (`SANE_CONFIG_DIR` in the environment is honoured), then the eSCL
/// network scanners that announce themselves. Where SANE cannot run (no `scanimage`, as on a
/// machine without SANE) the network scanners are still offered; its error is shown only when
/// no scanner at all was found.
pub async fn scanners() -> Result<Vec<ScannerView>, CommandError> {
    blocking(|| {
        let found = litigant_paper::find_scanners(
            Path::new("scanimage"),
            None,
            litigant_paper::DISCOVERY_WAIT,
        )?;
        for e in &found.unsearched {
            tracing::warn!(code = e.code(), error = %e, "one kind of scanner was not searched");
        }
        Ok(found
            .scanners
            .into_iter()
            .map(|s| ScannerView {
                device: s.device,
                description: s.description,
            })
            .collect())
    })
    .await
}

/// Creates `dir` (and its parents) for pages to be kept in.
fn made(dir: PathBuf) -> Result<PathBuf, CommandError> {
    std::fs::create_dir_all(&dir).map_err(|source| {
        CommandError::from(PaperError::Write {
            path: dir.clone(),
            source,
        })
    })?;
    Ok(dir)
}

/// Scans up to `pages` pages from `device` (a SANE device, or `escl:URL`) into a new folder
/// under `folder` (kept: the studio reads its pages from there) and returns the page files in
/// order.
pub async fn scan(
    device: String,
    pages: u32,
    folder: PathBuf,
) -> Result<Vec<PathBuf>, CommandError> {
    blocking(move || {
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S-%3f");
        let dir = made(folder.join("scans").join(format!("scan-{stamp}")))?;
        let mut options = ScanOptions::new(device);
        options.pages = pages.clamp(1, 100);
        Ok(litigant_paper::scan_pages(&options, &dir)?)
    })
    .await
}

/// The size asked of a document camera: 1080p, which document cameras give and which holds an
/// A4 page at about 130 dpi across its long side.
const FRAME_WIDTH: u32 = 1920;
const FRAME_HEIGHT: u32 = 1080;

/// How long the camera may take to give a picture.
const CAMERA_WAIT: Duration = Duration::from_secs(20);

/// The kiosk's document camera: the one `LITIGANT_CAMERA` names (`test` for GStreamer's test
/// pattern), else the system's default camera when it has one.
#[derive(Debug, Clone)]
pub struct DocumentCamera {
    named: Option<Input>,
}

impl DocumentCamera {
    /// `named` when given; otherwise whichever camera the system has.
    pub fn new(named: Option<Input>) -> Self {
        Self { named }
    }

    pub fn from_env() -> Self {
        Self::new(std::env::var(CAMERA_ENV).ok().map(|n| Input::parse(&n)))
    }

    /// Whether there is a camera to take pages with.
    pub async fn available(&self) -> Result<bool, CommandError> {
        if self.named.is_some() {
            return Ok(true);
        }
        blocking(|| {
            let devices = litigant_hearing::list_devices().map_err(CommandError::from)?;
            Ok(devices.iter().any(|d| d.kind == DeviceKind::Camera))
        })
        .await
    }

    /// Takes one frame and checks it as a page; the studio adds it.
    pub async fn frame(&self) -> Result<Frame, CommandError> {
        let camera = self.named.clone().unwrap_or(Input::Default);
        blocking(move || {
            let taken =
                litigant_hearing::still_frame(&camera, CAMERA_WAIT, FRAME_WIDTH, FRAME_HEIGHT)
                    .map_err(CommandError::from)?;
            Ok(Frame::new(
                taken.width,
                taken.height,
                taken.stride,
                FrameFormat::Rgb8,
                taken.bytes,
                &DecodeLimits::default(),
            )?)
        })
        .await
    }
}

/// The folder camera pages are kept in: `folder/scans/camera`.
pub fn camera_folder(folder: &Path) -> Result<PathBuf, CommandError> {
    made(folder.join("scans").join("camera"))
}
