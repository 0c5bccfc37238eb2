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

use crate::error::CommandError;
use crate::models::AppInfo;
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

#[tauri::command]
#[specta::specta]
pub fn platform_set(
    state: State<'_, AppState>,
    choice: PlatformChoice,
) -> Result<Settings, CommandError> {
    state.with_data(|data| Ok(data.settings.set_platform(choice)?.clone()))
}

#[tauri::command]
#[specta::specta]
pub fn court_status(state: State<'_, AppState>) -> Result<CourtConnection, CommandError> {
    state.with_data(|data| {
        Ok(CourtConnection::for_platform(
            &data.settings.settings().platform,
        ))
    })
}

/// Moves the data folder to `target`, a folder the person picked (new or empty).
#[tauri::command]
#[specta::specta]
pub fn data_folder_move(
    state: State<'_, AppState>,
    target: PathBuf,
) -> Result<MovedDataFolder, CommandError> {
    state.move_data_folder(&target)
}
