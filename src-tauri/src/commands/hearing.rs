//! Re-verification (Art. 7(3)) and the asynchronous hearing room (Art. 20-27).

use tauri::State;

use crate::error::CommandError;
use crate::hearing_room::{self, HearingRoom};
use crate::kiosk_desk::KioskDesk;
use crate::models::{
    Assurance, CheckReport, DeviceChoice, HearingSummary, LivePreview, RoomView, SmsCodeNotice,
};
use crate::signed_in::SignedIn;
use crate::state::AppState;

/// Until when the last identity check counts for hearings, evidence exchange and mediation.
#[tauri::command]
#[specta::specta]
pub async fn account_assurance(signed_in: State<'_, SignedIn>) -> Result<Assurance, CommandError> {
    signed_in.assurance().await
}

/// Sends a re-verification code to the signed-in account's mobile.
#[tauri::command]
#[specta::specta]
pub async fn reverify_code_send(
    signed_in: State<'_, SignedIn>,
) -> Result<SmsCodeNotice, CommandError> {
    signed_in.send_reverify_code().await
}

#[tauri::command]
#[specta::specta]
pub async fn reverify(
    signed_in: State<'_, SignedIn>,
    sms_code: String,
) -> Result<Assurance, CommandError> {
    signed_in.reverify(sms_code).await
}

/// A case's asynchronous hearings.
#[tauri::command]
#[specta::specta]
pub async fn hearings_list(
    signed_in: State<'_, SignedIn>,
    case_id: String,
) -> Result<Vec<HearingSummary>, CommandError> {
    let hearings = signed_in.client().await?.hearings(&case_id).await?;
    Ok(hearings.iter().map(hearing_room::summary).collect())
}

/// Cameras to record from (with the demo court, also the test pattern).
#[tauri::command]
#[specta::specta]
pub async fn hearing_devices(
    state: State<'_, AppState>,
) -> Result<Vec<DeviceChoice>, CommandError> {
    let demo = state.with_data(|data| {
        Ok(data.settings.settings().platform == litigant_settings::Platform::Demo)
    })?;
    hearing_room::devices(demo).await
}

/// The pre-hearing check (Art. 24) with `source`; the upload speed is measured when signed in.
#[tauri::command]
#[specta::specta]
pub async fn hearing_check(
    state: State<'_, AppState>,
    signed_in: State<'_, SignedIn>,
    source: String,
) -> Result<CheckReport, CommandError> {
    let data = state.with_data(|data| Ok(data.folder.path.clone()))?;
    hearing_room::check(data, &source, signed_in.client().await.ok()).await
}

#[tauri::command]
#[specta::specta]
pub async fn hearing_open(
    state: State<'_, AppState>,
    kiosk: State<'_, KioskDesk>,
    signed_in: State<'_, SignedIn>,
    room: State<'_, HearingRoom>,
    hearing_id: String,
) -> Result<RoomView, CommandError> {
    // At a kiosk the recordings go in the session's folder, which its end removes.
    let data = kiosk.working_folder(&state)?;
    room.open(signed_in.client().await?, data, &hearing_id)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn hearing_room(room: State<'_, HearingRoom>) -> Result<RoomView, CommandError> {
    room.view().await
}

/// Starts recording `step`; `resume` continues a take that a crash cut off.
#[tauri::command]
#[specta::specta]
pub async fn hearing_record_start(
    room: State<'_, HearingRoom>,
    step: u32,
    source: String,
    resume: bool,
) -> Result<RoomView, CommandError> {
    room.start(step, &source, resume).await
}

#[tauri::command]
#[specta::specta]
pub async fn hearing_record_stop(room: State<'_, HearingRoom>) -> Result<RoomView, CommandError> {
    room.stop().await
}

#[tauri::command]
#[specta::specta]
pub fn hearing_live(room: State<'_, HearingRoom>) -> Result<LivePreview, CommandError> {
    room.live()
}

#[tauri::command]
#[specta::specta]
pub async fn hearing_discard(
    room: State<'_, HearingRoom>,
    step: u32,
) -> Result<RoomView, CommandError> {
    room.discard(step).await
}

#[tauri::command]
#[specta::specta]
pub async fn hearing_confirm(
    room: State<'_, HearingRoom>,
    step: u32,
) -> Result<RoomView, CommandError> {
    room.confirm(step).await
}

/// Waits for every step to reach the court, then submits the hearing.
#[tauri::command]
#[specta::specta]
pub async fn hearing_submit(room: State<'_, HearingRoom>) -> Result<HearingSummary, CommandError> {
    room.submit().await
}

#[tauri::command]
#[specta::specta]
pub async fn hearing_close(room: State<'_, HearingRoom>) -> Result<(), CommandError> {
    room.close().await;
    Ok(())
}
