use std::path::{Path, PathBuf};
use std::sync::Mutex;

use litigant_settings::{
    DataFolder, DataFolderSource, MovedDataFolder, SettingsError, SettingsStore,
};

use crate::error::CommandError;

/// The desktop shell's state. The data folder and the stores opened from it share one lock,
/// because moving the folder reopens them all; later concerns (outbox, accounts) get locks of
/// their own.
///
/// If the data folder cannot be used at start, the window still opens: every command then
/// returns that error, so the person reads what is wrong in their language instead of seeing
/// the app vanish.
#[derive(Debug)]
pub struct AppState {
    config_dir: PathBuf,
    data: Mutex<Result<Data, CommandError>>,
}

#[derive(Debug)]
pub struct Data {
    pub folder: DataFolder,
    pub settings: SettingsStore,
}

impl AppState {
    /// `config_dir` holds the pointer to a data folder the person moved; `folder` is the data
    /// folder for this start, or why it could not be found (see [`DataFolder::resolve`]).
    pub fn open(config_dir: PathBuf, folder: Result<DataFolder, SettingsError>) -> Self {
        let data = folder
            .and_then(|folder| {
                Ok(Data {
                    settings: SettingsStore::open(&folder.path)?,
                    folder,
                })
            })
            .map_err(CommandError::from);
        Self {
            config_dir,
            data: Mutex::new(data),
        }
    }

    /// Runs `f` on the data under its lock; the start-up error if there is no usable data.
    pub fn with_data<T>(
        &self,
        f: impl FnOnce(&mut Data) -> Result<T, CommandError>,
    ) -> Result<T, CommandError> {
        let mut guard = self
            .data
            .lock()
            .map_err(|_| CommandError::state_poisoned())?;
        match guard.as_mut() {
            Ok(data) => f(data),
            Err(start_error) => Err(start_error.clone()),
        }
    }

    /// Moves the data folder and reopens the stores from the new place, all under the lock so
    /// no command sees the folder half-moved.
    pub fn move_data_folder(&self, target: &Path) -> Result<MovedDataFolder, CommandError> {
        self.with_data(|data| {
            let moved = data.folder.move_to(&self.config_dir, target)?;
            let folder = DataFolder {
                path: moved.path.clone(),
                source: DataFolderSource::Chosen,
            };
            data.settings = SettingsStore::open(&folder.path)?;
            data.folder = folder;
            Ok(moved)
        })
    }
}
