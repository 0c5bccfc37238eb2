//! The client's one error enum: what went wrong talking to the platform, in terms a person can
//! act on.

use std::path::PathBuf;

use litigant_court_api::{Problem, ProblemCode};

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The address is not one credentials may be sent to (not HTTPS and not loopback, or
    /// malformed).
    #[error("{reason}")]
    InvalidAddress { input: String, reason: String },
    /// No connection, a cut connection, or a timeout, after the retries allowed.
    #[error("cannot reach the court platform at {url} ({attempts} attempts): {cause}")]
    Unreachable {
        url: String,
        attempts: u32,
        cause: String,
    },
    /// The platform refused, with its problem document.
    #[error("{0}")]
    Problem(Box<Problem>),
    /// The platform answered with something that is not the API (a proxy's error page...).
    #[error("the platform answered {status} to {url}, not in the API's format: {body_start}")]
    UnexpectedAnswer {
        url: String,
        status: u16,
        body_start: String,
    },
    /// There is no session: log in first.
    #[error("not logged in to the court platform; log in first")]
    NotLoggedIn,
    #[error("{path}: {source}")]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file changed on disk after it was queued, so what would arrive is not what was
    /// checked.
    #[error("{path} changed after it was queued ({was} then, {now} now); queue it again")]
    FileChanged {
        path: PathBuf,
        was: String,
        now: String,
    },
    /// The platform's hash of a finished upload is not the local file's.
    #[error("the platform stored {path} with SHA-256 {server}, but the file's is {local}")]
    HashMismatch {
        path: PathBuf,
        local: String,
        server: String,
    },
    #[error("the upload of {path} was stopped")]
    Cancelled { path: PathBuf },
    #[error("the outbox {path} cannot be used: {source}")]
    Outbox {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("no outbox item {id}")]
    NoSuchItem { id: i64 },
}

impl ClientError {
    /// A stable code for the interface to pick its words by.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidAddress { .. } => "court_client.invalid_address",
            Self::Unreachable { .. } => "court_client.unreachable",
            Self::Problem(problem) => problem_code(problem.code),
            Self::UnexpectedAnswer { .. } => "court_client.unexpected_answer",
            Self::NotLoggedIn => "court_client.not_logged_in",
            Self::File { .. } => "court_client.file",
            Self::FileChanged { .. } => "court_client.file_changed",
            Self::HashMismatch { .. } => "court_client.hash_mismatch",
            Self::Cancelled { .. } => "court_client.cancelled",
            Self::Outbox { .. } => "court_client.outbox",
            Self::NoSuchItem { .. } => "court_client.no_such_item",
        }
    }

    /// The platform's problem code, when the platform refused.
    pub fn problem_code(&self) -> Option<ProblemCode> {
        match self {
            Self::Problem(problem) => Some(problem.code),
            _ => None,
        }
    }

    /// Whether trying again later could succeed (the network or the platform was down).
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Unreachable { .. } => true,
            Self::Problem(problem) => problem.status == 429 || problem.status >= 500,
            _ => false,
        }
    }
}

fn problem_code(code: ProblemCode) -> &'static str {
    // One prefix for every platform refusal keeps the interface's lookup simple: `platform.<code>`.
    match code {
        ProblemCode::MalformedRequest => "platform.malformed_request",
        ProblemCode::ValidationFailed => "platform.validation_failed",
        ProblemCode::InvalidIdNumber => "platform.invalid_id_number",
        ProblemCode::SmsCodeInvalid => "platform.sms_code_invalid",
        ProblemCode::SmsCodeExpired => "platform.sms_code_expired",
        ProblemCode::AccountExists => "platform.account_exists",
        ProblemCode::FaceImageInvalid => "platform.face_image_invalid",
        ProblemCode::Unauthenticated => "platform.unauthenticated",
        ProblemCode::TokenExpired => "platform.token_expired",
        ProblemCode::TokenInvalid => "platform.token_invalid",
        ProblemCode::Forbidden => "platform.forbidden",
        ProblemCode::ReverificationRequired => "platform.reverification_required",
        ProblemCode::NotFound => "platform.not_found",
        ProblemCode::InvalidState => "platform.invalid_state",
        ProblemCode::DeadlinePassed => "platform.deadline_passed",
        ProblemCode::IdempotencyKeyRequired => "platform.idempotency_key_required",
        ProblemCode::IdempotencyKeyReused => "platform.idempotency_key_reused",
        ProblemCode::DocumentTooLarge => "platform.document_too_large",
        ProblemCode::FilingTooLarge => "platform.filing_too_large",
        ProblemCode::ContentTypeNotAllowed => "platform.content_type_not_allowed",
        ProblemCode::LinkOffline => "platform.link_offline",
        ProblemCode::ChecksumMismatch => "platform.checksum_mismatch",
        ProblemCode::OffsetMismatch => "platform.offset_mismatch",
        ProblemCode::UploadExpired => "platform.upload_expired",
        ProblemCode::TusVersionUnsupported => "platform.tus_version_unsupported",
        ProblemCode::UploadIncomplete => "platform.upload_incomplete",
        ProblemCode::DocumentHashMismatch => "platform.document_hash_mismatch",
        ProblemCode::SignatureInvalid => "platform.signature_invalid",
        ProblemCode::SigningKeyMissing => "platform.signing_key_missing",
        ProblemCode::TooManyRequests => "platform.too_many_requests",
        ProblemCode::Internal => "platform.internal",
        ProblemCode::InjectedFault => "platform.injected_fault",
    }
}

pub type Result<T, E = ClientError> = std::result::Result<T, E>;
