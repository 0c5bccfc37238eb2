use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use litigant_settings::{
    DataFolder, DataFolderSource, MovedDataFolder, SettingsError, SettingsStore,
};

use crate::error::CommandError;

/// The desktop shell's state. The data folder and the stores opened from it share one lock,
/// because moving the folder reopens them all; later concerns (outbox, accounts) get locks of
/// their own.
#[derive(Debug)]
pub struct AppState {
    config_dir: PathBuf,
    data: Mutex<Data>,
}

#[derive(Debug)]
pub struct Data {
    pub folder: DataFolder,
    pub settings: SettingsStore,
}

impl AppState {
    /// `config_dir` holds the pointer to a data folder the person moved; `folder` is the data
    /// folder for this start (see [`DataFolder::resolve`]).
    pub fn open(config_dir: PathBuf, folder: DataFolder) -> Result<Self, SettingsError> {
        let settings = SettingsStore::open(&folder.path)?;
        Ok(Self {
            config_dir,
            data: Mutex::new(Data { folder, settings }),
        })
    }

    pub fn data(&self) -> Result<MutexGuard<'_, Data>, CommandError> {
        self.data.lock().map_err(|_| CommandError::state_poisoned())
    }

    /// Moves the data folder and reopens the stores from the new place, all under the lock so
    /// no command sees the folder half-moved.
    pub fn move_data_folder(&self, target: &Path) -> Result<MovedDataFolder, CommandError> {
        let mut data = self.data()?;
        let moved = data.folder.move_to(&self.config_dir, target)?;
        let folder = DataFolder {
            path: moved.path.clone(),
            source: DataFolderSource::Chosen,
        };
        data.settings = SettingsStore::open(&folder.path)?;
        data.folder = folder;
        Ok(moved)
    }
}
