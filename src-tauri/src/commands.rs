//! The commands the interface may call. Each turns its arguments into one call into a core
//! crate and its error into a [`CommandError`]; nothing else belongs here.
#![allow(
    clippy::needless_pass_by_value,
    reason = "Tauri hands each command its State and arguments by value"
)]

use std::path::PathBuf;

use litigant_settings::{
    CourtConnection, MovedDataFolder, PlatformChoice, Settings, SettingsPatch,
};
use tauri::State;

use crate::demo_court::DemoCourt;
use crate::error::CommandError;
use crate::models::{AccountSummary, AppInfo, CaseSummary, SmsCodeNotice};
use crate::signed_in::SignedIn;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo, CommandError> {
    state.with_data(|data| {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            os: std::env::consts::OS.into(),
            data_dir: data.folder.path.display().to_string(),
            data_dir_source: data.folder.source,
            kept_damaged_settings: data
                .settings
                .kept_damaged_file()
                .map(|p| p.display().to_string()),
        })
    })
}

#[tauri::command]
#[specta::specta]
pub fn settings_get(state: State<'_, AppState>) -> Result<Settings, CommandError> {
    state.with_data(|data| Ok(data.settings.settings().clone()))
}

#[tauri::command]
#[specta::specta]
pub fn settings_update(
    state: State<'_, AppState>,
    patch: SettingsPatch,
) -> Result<Settings, CommandError> {
    state.with_data(|data| Ok(data.settings.update(patch)?.clone()))
}

/// Saves the platform; the demo court runs only while it is the chosen one.
#[tauri::command]
#[specta::specta]
pub async fn platform_set(
    state: State<'_, AppState>,
    demo_court: State<'_, DemoCourt>,
    choice: PlatformChoice,
) -> Result<Settings, CommandError> {
    let settings = state.with_data(|data| Ok(data.settings.set_platform(choice)?.clone()))?;
    demo_court.follow(&state).await;
    Ok(settings)
}

/// Waits while the demo court starts, so the answer is connected or why not.
#[tauri::command]
#[specta::specta]
pub async fn court_status(
    state: State<'_, AppState>,
    demo_court: State<'_, DemoCourt>,
) -> Result<CourtConnection, CommandError> {
    let platform = state.with_data(|data| Ok(data.settings.settings().platform.clone()))?;
    Ok(CourtConnection::for_platform(
        &platform,
        &demo_court.report().await,
    ))
}

/// Moves the data folder to `target`, a folder the person picked (new or empty). The demo
/// court's database is inside it, so the court is stopped first and started again afterwards,
/// in the new place or, if the move failed, the old one.
#[tauri::command]
#[specta::specta]
pub async fn data_folder_move(
    state: State<'_, AppState>,
    demo_court: State<'_, DemoCourt>,
    target: PathBuf,
) -> Result<MovedDataFolder, CommandError> {
    demo_court
        .while_stopped(&state, || state.move_data_folder(&target))
        .await
}

/// Sends a login code by SMS to `mobile` (the demo court puts it in its outbox).
#[tauri::command]
#[specta::specta]
pub async fn sms_code_send(
    state: State<'_, AppState>,
    demo_court: State<'_, DemoCourt>,
    signed_in: State<'_, SignedIn>,
    mobile: String,
) -> Result<SmsCodeNotice, CommandError> {
    signed_in.send_code(&state, &demo_court, mobile).await
}

/// Logs in with the code; `keep` keeps the session in the system keychain.
#[tauri::command]
#[specta::specta]
pub async fn account_login(
    state: State<'_, AppState>,
    demo_court: State<'_, DemoCourt>,
    signed_in: State<'_, SignedIn>,
    mobile: String,
    sms_code: String,
    keep: bool,
) -> Result<AccountSummary, CommandError> {
    signed_in
        .log_in(&state, &demo_court, mobile, sms_code, keep)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn account_current(
    signed_in: State<'_, SignedIn>,
) -> Result<Option<AccountSummary>, CommandError> {
    Ok(signed_in.current().await)
}

#[tauri::command]
#[specta::specta]
pub async fn account_logout(signed_in: State<'_, SignedIn>) -> Result<(), CommandError> {
    signed_in.log_out().await
}

/// The signed-in account's cases.
#[tauri::command]
#[specta::specta]
pub async fn cases_list(signed_in: State<'_, SignedIn>) -> Result<Vec<CaseSummary>, CommandError> {
    signed_in.cases().await
}
