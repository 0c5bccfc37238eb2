use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum AccountsError {
    /// The keychain is there but locked, or there is none (no Secret Service running).
    #[error(
        "the system keychain cannot be used: {cause}. Unlock it (or start a keyring service) and try again, or use a session that keeps nothing (kiosk mode)"
    )]
    KeychainUnavailable { cause: String },
    #[error("the system keychain refused: {cause}")]
    Keychain { cause: String },
    #[error("{path}: {source}")]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The account list is not valid JSON; it was kept aside and a new one started.
    #[error("the account list {path} was damaged and was kept as {kept_as}")]
    Damaged { path: PathBuf, kept_as: PathBuf },
}

impl AccountsError {
    /// The values a translated message quotes.
    pub fn details(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::KeychainUnavailable { cause } | Self::Keychain { cause } => {
                vec![("cause", cause.clone())]
            }
            Self::File { path, source } => vec![
                ("path", path.display().to_string()),
                ("cause", source.to_string()),
            ],
            Self::Damaged { path, kept_as } => vec![
                ("path", path.display().to_string()),
                ("keptAs", kept_as.display().to_string()),
            ],
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::KeychainUnavailable { .. } => "accounts.keychain_unavailable",
            Self::Keychain { .. } => "accounts.keychain",
            Self::File { .. } => "accounts.file",
            Self::Damaged { .. } => "accounts.list_damaged",
        }
    }
}
