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

/// The account signed in on this window.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountSummary {
    pub account_id: String,
    pub name: String,
    /// As the platform returns it: masked.
    pub id_number_masked: String,
    pub platform: String,
    /// Whether the session is kept in the system keychain (false: memory only).
    pub kept: bool,
}

/// Where a login code was sent.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SmsCodeNotice {
    pub mobile_masked: String,
}

/// A case in the signed-in account's list.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CaseSummary {
    pub id: String,
    pub case_number: String,
    pub title: String,
    pub open: bool,
}
