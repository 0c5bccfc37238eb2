use litigant_settings::DataFolderSource;
use serde::Serialize;

/// What the About screen and the status bar show about this installation.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    /// The operating system family: "linux", "macos" or "windows".
    pub os: String,
    pub data_dir: String,
    /// Why the data folder is there; one set by `LITIGANT_DATA_DIR` cannot be moved in the app.
    pub data_dir_source: DataFolderSource,
    /// Set when the settings file was unreadable at start and was kept under this name.
    pub kept_damaged_settings: Option<String>,
}
