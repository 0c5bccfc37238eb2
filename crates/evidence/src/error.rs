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
    #[error(
        "no Chinese font was found (looked for {}); install fonts-noto-cjk or name a font file",
        .tried.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    FontMissing { tried: Vec<PathBuf> },
    #[error("the font {path} cannot be used: {cause}")]
    Font { path: PathBuf, cause: String },
    #[error("the font {path} has no glyph for {character:?}")]
    FontLacksCharacter { path: PathBuf, character: char },
    #[error("{path} is not a PDF that can be read: {cause}")]
    PdfInput { path: PathBuf, cause: String },
    #[error("catalogue item {item} ({name}): {problem}")]
    CatalogueItem {
        item: usize,
        name: String,
        problem: String,
    },
    #[error(
        "catalogue item {item} ({name}) names pages {range} of {}, which has {pages} page(s)",
        .file.display()
    )]
    PageRange {
        item: usize,
        name: String,
        range: String,
        file: PathBuf,
        pages: usize,
    },
    #[error("the catalogue has no items; list at least one piece of evidence")]
    NoItems,
    #[error("the catalogue PDF could not be written to {path}: {cause}")]
    PdfOutput { path: PathBuf, cause: String },
    /// The court platform refused or could not be reached.
    #[error("the court platform: {0}")]
    Platform(#[from] litigant_court_client::ClientError),
    #[error("evidence item {evidence_id}: {problem}")]
    Opinion {
        evidence_id: String,
        problem: String,
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
            Self::FontMissing { .. } => "evidence.font_missing",
            Self::Font { .. } => "evidence.font",
            Self::FontLacksCharacter { .. } => "evidence.font_lacks_character",
            Self::PdfInput { .. } => "evidence.pdf_input",
            Self::CatalogueItem { .. } => "evidence.catalogue_item",
            Self::PageRange { .. } => "evidence.page_range",
            Self::NoItems => "evidence.no_items",
            Self::PdfOutput { .. } => "evidence.pdf_output",
            // The platform's own code, so the interface says what the platform refused.
            Self::Platform(error) => error.code(),
            Self::Opinion { .. } => "evidence.opinion",
        }
    }

    pub(crate) fn malformed(what: impl Into<String>, cause: impl std::fmt::Display) -> Self {
        Self::Malformed {
            what: what.into(),
            cause: cause.to_string(),
        }
    }
}

/// The `File` error for `path`, for `map_err`.
pub(crate) fn file_error(path: &std::path::Path) -> impl Fn(std::io::Error) -> EvidenceError + '_ {
    move |source| EvidenceError::File {
        path: path.to_owned(),
        source,
    }
}
