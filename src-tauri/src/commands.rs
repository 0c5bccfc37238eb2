//! The commands the interface may call. Each turns its arguments into one call into a core
//! crate and its error into a [`CommandError`]; nothing else belongs here.
#![allow(
    clippy::needless_pass_by_value,
    reason = "Tauri hands each command its State and arguments by value"
)]

use litigant_settings::{CourtConnection, PlatformChoice, Settings, SettingsPatch};
use tauri::State;

use crate::error::CommandError;
use crate::models::AppInfo;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo, CommandError> {
    let settings = state.settings()?;
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        os: std::env::consts::OS.into(),
        data_dir: state.data_dir().display().to_string(),
        kept_damaged_settings: settings
            .kept_damaged_file()
            .map(|p| p.display().to_string()),
    })
}

#[tauri::command]
#[specta::specta]
pub fn settings_get(state: State<'_, AppState>) -> Result<Settings, CommandError> {
    Ok(state.settings()?.settings().clone())
}

#[tauri::command]
#[specta::specta]
pub fn settings_update(
    state: State<'_, AppState>,
    patch: SettingsPatch,
) -> Result<Settings, CommandError> {
    Ok(state.settings()?.update(patch)?.clone())
}

#[tauri::command]
#[specta::specta]
pub fn platform_set(
    state: State<'_, AppState>,
    choice: PlatformChoice,
) -> Result<Settings, CommandError> {
    Ok(state.settings()?.set_platform(choice)?.clone())
}

#[tauri::command]
#[specta::specta]
pub fn court_status(state: State<'_, AppState>) -> Result<CourtConnection, CommandError> {
    Ok(CourtConnection::for_platform(
        &state.settings()?.settings().platform,
    ))
}
