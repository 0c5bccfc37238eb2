use std::path::{Path, PathBuf};

use crate::location::MoveRefusal;

/// Everything that can go wrong with the user's settings, each variant carrying what a person
/// needs to put it right (the file, the address they typed).
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("Litigant cannot use the data folder {path}: {source}")]
    DataFolder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "The data folder {path} is a file, not a folder; move the file away or choose another folder"
    )]
    DataFolderIsAFile { path: PathBuf },
    #[error("Litigant cannot read its settings file {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("Litigant cannot save its settings to {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}", .reason.describe(.target))]
    DataFolderMove {
        target: PathBuf,
        reason: MoveRefusal,
    },
    #[error("“{input}” is not a web address ({reason}); type it as https://court.example.cn")]
    PlatformUrlInvalid { input: String, reason: String },
    #[error(
        "The platform address {url} must begin with https://; plain http:// is allowed only for \
         a platform on this computer (127.0.0.1, ::1 or localhost)"
    )]
    PlatformUrlInsecure { url: String },
    #[error("The platform address {url} must not contain a user name or password")]
    PlatformUrlHasCredentials { url: String },
}

impl SettingsError {
    /// A stable code the interface uses to pick a translated message.
    pub fn code(&self) -> &'static str {
        match self {
            Self::DataFolder { .. } => "settings.data_folder",
            Self::DataFolderIsAFile { .. } => "settings.data_folder_is_a_file",
            Self::Read { .. } => "settings.read",
            Self::Write { .. } => "settings.write",
            Self::DataFolderMove { reason, .. } => match reason {
                MoveRefusal::SetByEnvironment => "settings.data_folder_env",
                MoveRefusal::NotAbsolute => "settings.data_folder_not_absolute",
                MoveRefusal::Overlaps => "settings.data_folder_overlaps",
                MoveRefusal::NotEmpty => "settings.data_folder_not_empty",
            },
            Self::PlatformUrlInvalid { .. } => "settings.platform_url_invalid",
            Self::PlatformUrlInsecure { .. } => "settings.platform_url_insecure",
            Self::PlatformUrlHasCredentials { .. } => "settings.platform_url_credentials",
        }
    }

    /// The values a translated message may quote, by name.
    pub fn details(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::DataFolder { path, source }
            | Self::Read { path, source }
            | Self::Write { path, source } => vec![
                ("path", path.display().to_string()),
                ("cause", source.to_string()),
            ],
            Self::DataFolderMove { target, .. } => vec![("path", target.display().to_string())],
            Self::DataFolderIsAFile { path } => vec![("path", path.display().to_string())],
            Self::PlatformUrlInvalid { input, reason } => {
                vec![("input", input.clone()), ("cause", reason.clone())]
            }
            Self::PlatformUrlInsecure { url } | Self::PlatformUrlHasCredentials { url } => {
                vec![("url", url.clone())]
            }
        }
    }
}

impl MoveRefusal {
    fn describe(self, target: &Path) -> String {
        let target = target.display();
        match self {
            Self::SetByEnvironment => "The data folder is set by LITIGANT_DATA_DIR, so it cannot \
                                       be moved from Litigant; change that variable instead"
                .to_owned(),
            Self::NotAbsolute => format!("“{target}” is not a full folder path"),
            Self::Overlaps => format!(
                "The data folder cannot move to {target}: the new folder would be inside the \
                 current one, or contain it"
            ),
            Self::NotEmpty => {
                format!("{target} is not empty; choose a new or empty folder for the data")
            }
        }
    }
}

pub type Result<T, E = SettingsError> = std::result::Result<T, E>;
