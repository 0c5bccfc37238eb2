//! The user's preferences (language, elder mode, how Litigant is used) and the choice of court
//! platform, kept as one small JSON file in the data folder.
//!
//! What must hold: a saved file is never half-written (write to a temporary file, then rename),
//! a damaged file is kept aside rather than overwritten, and a platform address is accepted only
//! over HTTPS unless it is this computer's loopback.

mod error;
mod location;
mod model;
mod platform;
mod store;

pub use error::{Result, SettingsError};
pub use location::{
    DATA_DIR_ENV, DataFolder, DataFolderSource, MoveRefusal, MovedDataFolder, POINTER_FILE,
};
pub use model::{Language, Settings, SettingsPatch, UseMode};
pub use platform::{
    CourtConnection, DemoCourtReport, NotConnectedReason, Platform, PlatformChoice, PlatformUrl,
};
pub use store::{SETTINGS_FILE, SettingsStore};
