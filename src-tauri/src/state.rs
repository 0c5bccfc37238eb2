use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use litigant_settings::{SettingsError, SettingsStore};

use crate::error::CommandError;

/// The desktop shell's state: where the data lives and the settings opened from it. One lock
/// per concern, so a slow operation in one never blocks another.
#[derive(Debug)]
pub struct AppState {
    data_dir: PathBuf,
    settings: Mutex<SettingsStore>,
}

impl AppState {
    pub fn open(data_dir: PathBuf) -> Result<Self, SettingsError> {
        let settings = SettingsStore::open(&data_dir)?;
        Ok(Self {
            data_dir,
            settings: Mutex::new(settings),
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn settings(&self) -> Result<MutexGuard<'_, SettingsStore>, CommandError> {
        self.settings
            .lock()
            .map_err(|_| CommandError::state_poisoned())
    }
}
