//! Scan-studio commands (Art. 11–12): put pages together from files and scanners, fix them,
//! and build the bundle. Each is a thin call into [`StudioDesk`], which holds the window's
//! studio; files the studio writes (scans, bundles) go in the window's working folder, which
//! at a kiosk is the session's.

use std::path::PathBuf;

use tauri::State;

use crate::error::CommandError;
use crate::kiosk_desk::KioskDesk;
use crate::signed_in::kiosk_mode;
use crate::state::AppState;
use crate::studio::{self, AddReport, BuildView, Corner, SourceView, StudioDesk, StudioView};
use crate::studio_inputs::{self, DocumentCamera, ScannerView};

/// The studio as it is: its pages in order with thumbnails and warnings, and how far adding
/// has got. The screen polls it while files are being added.
#[tauri::command]
#[specta::specta]
pub async fn studio_view(desk: State<'_, StudioDesk>) -> Result<StudioView, CommandError> {
    desk.view()
}

/// Starts a new, empty document in the window's studio.
#[tauri::command]
#[specta::specta]
pub async fn studio_new(desk: State<'_, StudioDesk>) -> Result<StudioView, CommandError> {
    desk.reset()
}

/// Adds files (images, PDFs) at the end, in the order given; each whole or not at all.
#[tauri::command]
#[specta::specta]
pub async fn studio_add(
    desk: State<'_, StudioDesk>,
    paths: Vec<PathBuf>,
) -> Result<AddReport, CommandError> {
    desk.add(paths).await
}

/// Moves a page to position `to` (0-based).
#[tauri::command]
#[specta::specta]
pub async fn studio_move(
    desk: State<'_, StudioDesk>,
    id: u32,
    to: u32,
) -> Result<StudioView, CommandError> {
    desk.move_page(id, to).await
}

/// Turns a page by quarter turns, clockwise (negative: anticlockwise).
#[tauri::command]
#[specta::specta]
pub async fn studio_rotate(
    desk: State<'_, StudioDesk>,
    id: u32,
    quarter_turns: i32,
) -> Result<StudioView, CommandError> {
    desk.rotate(id, quarter_turns).await
}

#[tauri::command]
#[specta::specta]
pub async fn studio_delete(
    desk: State<'_, StudioDesk>,
    id: u32,
) -> Result<StudioView, CommandError> {
    desk.delete(id).await
}

/// Crops a page to four corners in source pixels (see `studio_source`); none: back to the
/// detected outline.
#[tauri::command]
#[specta::specta]
pub async fn studio_recrop(
    desk: State<'_, StudioDesk>,
    id: u32,
    corners: Option<Vec<Corner>>,
) -> Result<StudioView, CommandError> {
    desk.recrop(id, corners).await
}

/// A page's source picture and outline, for dragging its corners.
#[tauri::command]
#[specta::specta]
pub async fn studio_source(
    desk: State<'_, StudioDesk>,
    id: u32,
) -> Result<SourceView, CommandError> {
    desk.source(id).await
}

/// Writes the bundle as PDF/A-2b to `path`, or without one into the working folder; with `ocr`
/// a text layer is added. At a kiosk only the session's folder is used, so its end removes the
/// bundle too.
#[tauri::command]
#[specta::specta]
pub async fn studio_build(
    state: State<'_, AppState>,
    kiosk: State<'_, KioskDesk>,
    desk: State<'_, StudioDesk>,
    path: Option<PathBuf>,
    ocr: bool,
) -> Result<BuildView, CommandError> {
    let folder = kiosk.working_folder(&state)?;
    let output = match path {
        Some(_) if kiosk_mode(&state)? => {
            return Err(CommandError::new(
                "studio.kiosk_keeps_in_session",
                "At a kiosk the bundle stays in this session; build it without choosing a place.",
            ));
        }
        Some(path) => path,
        None => studio::default_output(&folder),
    };
    desk.build(output, ocr).await
}

/// The scanners SANE finds on this computer.
#[tauri::command]
#[specta::specta]
pub async fn studio_scanners() -> Result<Vec<ScannerView>, CommandError> {
    studio_inputs::scanners().await
}

/// Scans up to `pages` pages from `device` (a SANE device, or an eSCL network scanner as
/// `escl:http://HOST:PORT/eSCL`) into the working folder and adds them.
#[tauri::command]
#[specta::specta]
pub async fn studio_scan(
    state: State<'_, AppState>,
    kiosk: State<'_, KioskDesk>,
    desk: State<'_, StudioDesk>,
    device: String,
    pages: u32,
) -> Result<AddReport, CommandError> {
    let folder = kiosk.working_folder(&state)?;
    let scanned = studio_inputs::scan(device, pages, folder).await?;
    desk.add(scanned).await
}

/// Whether a document camera is there to take pages with (the screen shows its button only
/// then).
#[tauri::command]
#[specta::specta]
pub async fn studio_camera_available(
    camera: State<'_, DocumentCamera>,
) -> Result<bool, CommandError> {
    camera.available().await
}

/// Takes one page with the document camera, keeps it in the working folder and adds it, as a
/// photo of the page.
#[tauri::command]
#[specta::specta]
pub async fn studio_camera_page(
    state: State<'_, AppState>,
    kiosk: State<'_, KioskDesk>,
    desk: State<'_, StudioDesk>,
    camera: State<'_, DocumentCamera>,
) -> Result<AddReport, CommandError> {
    let folder = studio_inputs::camera_folder(&kiosk.working_folder(&state)?)?;
    let frame = camera.frame().await?;
    desk.add_frame(frame, folder).await
}
