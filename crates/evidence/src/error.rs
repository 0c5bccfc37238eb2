//! The crate's one error enum: what stopped a piece of work from being done at all. What a
//! check finds (a tampered file, a broken chain) is not an error but a finding in the report.

use std::path::PathBuf;

use litigant_accounts::AccountsError;

#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    #[error("{path}: {source}")]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the case file database {path} cannot be used: {source}")]
    CaseFileDatabase {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("case file: {0}")]
    Database(#[from] rusqlite::Error),
    /// A JSON document (proof, signature, key file) that cannot be read.
    #[error("{what} is not valid: {cause}")]
    Malformed { what: String, cause: String },
    #[error(
        "deposit proof version {found} is not supported; this Litigant reads version {supported}"
    )]
    ProofVersion { found: u32, supported: u32 },
    /// The keychain that holds signing keys refused.
    #[error("the signing key could not be kept or read: {0}")]
    Keychain(#[from] AccountsError),
    #[error("no signing key is kept for account {account_id} on {platform}; create one first")]
    NoSigningKey {
        platform: String,
        account_id: String,
    },
}

impl EvidenceError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::File { .. } => "evidence.file",
            Self::CaseFileDatabase { .. } => "evidence.case_file_database",
            Self::Database(_) => "evidence.database",
            Self::Malformed { .. } => "evidence.malformed",
            Self::ProofVersion { .. } => "evidence.proof_version",
            Self::Keychain(_) => "evidence.keychain",
            Self::NoSigningKey { .. } => "evidence.no_signing_key",
        }
    }

    pub(crate) fn malformed(what: impl Into<String>, cause: impl std::fmt::Display) -> Self {
        Self::Malformed {
            what: what.into(),
            cause: cause.to_string(),
        }
    }
}
