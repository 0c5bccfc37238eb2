//! RFC 9457 problem documents: how the platform says what went wrong.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What went wrong, as a stable code a client can branch on. The `title` and `detail` of a
/// [`Problem`] are for people; this is for programs. New codes may be added within v1, so a
/// client must treat an unknown code like the HTTP status alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    /// The body is not JSON, or not the JSON this operation takes.
    MalformedRequest,
    /// One or more fields are wrong; `errors` says which and why.
    ValidationFailed,
    /// An identity number fails its standard (length, characters, date, check character).
    InvalidIdNumber,
    /// The SMS code is wrong, used, or belongs to another number.
    SmsCodeInvalid,
    /// The SMS code was right but is too old; ask for a new one.
    SmsCodeExpired,
    /// An account with this identity number already exists; log in instead.
    AccountExists,
    /// The face photo is not a decodable JPEG or PNG of a usable size.
    FaceImageInvalid,
    /// No bearer token was sent.
    Unauthenticated,
    /// The access token has expired; refresh it.
    TokenExpired,
    /// The token is unknown or revoked; log in again.
    TokenInvalid,
    /// The account may not do this (for example, another party's case).
    Forbidden,
    /// The step needs identity re-verification first (Art. 7(3)); `detail` says how recent.
    ReverificationRequired,
    /// Nothing with this identifier exists for this account.
    NotFound,
    /// The resource is not in a state that allows this (for example, a supplement to a filing
    /// that is not waiting for corrections).
    InvalidState,
    /// The window or deadline for this action has passed.
    DeadlinePassed,
    /// A filing submission came without an `Idempotency-Key` header.
    IdempotencyKeyRequired,
    /// The `Idempotency-Key` was already used for a different request.
    IdempotencyKeyReused,
    /// A document is larger than the court's policy allows.
    DocumentTooLarge,
    /// A filing's documents together are larger than the policy allows.
    FilingTooLarge,
    /// The document's type is not one the policy accepts.
    ContentTypeNotAllowed,
    /// The link (filing, hearing, ...) is set to offline for this party (Art. 4-5).
    LinkOffline,
    /// tus: the chunk's checksum does not match its bytes (HTTP 460); the chunk was discarded.
    ChecksumMismatch,
    /// tus: `Upload-Offset` is not where the upload stands; ask with HEAD and resume from there.
    OffsetMismatch,
    /// tus: the upload expired and was removed; start again.
    UploadExpired,
    /// tus: the client speaks a protocol version this server does not.
    TusVersionUnsupported,
    /// The document's upload has not finished.
    UploadIncomplete,
    /// The whole file's SHA-256 is not the one declared at creation.
    DocumentHashMismatch,
    /// An electronic signature does not verify with the account's registered key.
    SignatureInvalid,
    /// The account has no signing key registered.
    SigningKeyMissing,
    /// Too many requests; wait for `Retry-After` seconds.
    TooManyRequests,
    /// The platform failed; the request may be retried.
    Internal,
    /// The simulator injected this failure on purpose (fault injection is on).
    InjectedFault,
}

impl ProblemCode {
    /// The problem type URI (RFC 9457 `type`) for this code.
    pub fn type_uri(self) -> String {
        format!("urn:litigant:problem:{}", self.as_str())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::MalformedRequest => "malformed_request",
            Self::ValidationFailed => "validation_failed",
            Self::InvalidIdNumber => "invalid_id_number",
            Self::SmsCodeInvalid => "sms_code_invalid",
            Self::SmsCodeExpired => "sms_code_expired",
            Self::AccountExists => "account_exists",
            Self::FaceImageInvalid => "face_image_invalid",
            Self::Unauthenticated => "unauthenticated",
            Self::TokenExpired => "token_expired",
            Self::TokenInvalid => "token_invalid",
            Self::Forbidden => "forbidden",
            Self::ReverificationRequired => "reverification_required",
            Self::NotFound => "not_found",
            Self::InvalidState => "invalid_state",
            Self::DeadlinePassed => "deadline_passed",
            Self::IdempotencyKeyRequired => "idempotency_key_required",
            Self::IdempotencyKeyReused => "idempotency_key_reused",
            Self::DocumentTooLarge => "document_too_large",
            Self::FilingTooLarge => "filing_too_large",
            Self::ContentTypeNotAllowed => "content_type_not_allowed",
            Self::LinkOffline => "link_offline",
            Self::ChecksumMismatch => "checksum_mismatch",
            Self::OffsetMismatch => "offset_mismatch",
            Self::UploadExpired => "upload_expired",
            Self::TusVersionUnsupported => "tus_version_unsupported",
            Self::UploadIncomplete => "upload_incomplete",
            Self::DocumentHashMismatch => "document_hash_mismatch",
            Self::SignatureInvalid => "signature_invalid",
            Self::SigningKeyMissing => "signing_key_missing",
            Self::TooManyRequests => "too_many_requests",
            Self::Internal => "internal",
            Self::InjectedFault => "injected_fault",
        }
    }

    /// The HTTP status this code is sent with.
    pub fn status(self) -> u16 {
        match self {
            Self::MalformedRequest | Self::IdempotencyKeyRequired => 400,
            Self::Unauthenticated | Self::TokenExpired | Self::TokenInvalid => 401,
            Self::Forbidden | Self::ReverificationRequired | Self::LinkOffline => 403,
            Self::NotFound => 404,
            Self::AccountExists | Self::InvalidState | Self::OffsetMismatch => 409,
            Self::UploadExpired => 410,
            Self::TusVersionUnsupported => 412,
            Self::DocumentTooLarge | Self::FilingTooLarge => 413,
            Self::ContentTypeNotAllowed => 415,
            Self::ValidationFailed
            | Self::InvalidIdNumber
            | Self::SmsCodeInvalid
            | Self::SmsCodeExpired
            | Self::FaceImageInvalid
            | Self::DeadlinePassed
            | Self::IdempotencyKeyReused
            | Self::UploadIncomplete
            | Self::DocumentHashMismatch
            | Self::SignatureInvalid
            | Self::SigningKeyMissing => 422,
            Self::TooManyRequests => 429,
            Self::ChecksumMismatch => 460,
            Self::Internal => 500,
            Self::InjectedFault => 503,
        }
    }
}

/// One field that is wrong, named by a JSON pointer into the request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FieldProblem {
    /// JSON pointer (RFC 6901) to the field, e.g. `/parties/0/idNumber`.
    pub pointer: String,
    /// What is wrong with it, in plain English, never echoing a personal number.
    pub message: String,
}

/// An RFC 9457 problem document with Litigant's extension members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// `urn:litigant:problem:<code>`.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// Short summary of the problem type.
    pub title: String,
    /// HTTP status code.
    pub status: u16,
    /// What happened in this occurrence and what to do about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The request path this problem is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Extension: the machine-readable code.
    pub code: ProblemCode,
    /// Extension: the fields at fault, for `validation_failed` and `invalid_id_number`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// Extension: the limit that was exceeded, in bytes, where one was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    /// Extension: for `too_many_requests` and injected 5xx, seconds to wait before retrying.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
}

impl Problem {
    pub fn new(code: ProblemCode, detail: impl Into<String>) -> Self {
        Self {
            type_uri: code.type_uri(),
            title: title(code).to_owned(),
            status: code.status(),
            detail: Some(detail.into()),
            instance: None,
            code,
            errors: Vec::new(),
            limit: None,
            retry_after_seconds: None,
        }
    }

    #[must_use]
    pub fn with_errors(mut self, errors: Vec<FieldProblem>) -> Self {
        self.errors = errors;
        self
    }

    #[must_use]
    pub fn with_limit(mut self, limit: u64) -> Self {
        self.limit = Some(limit);
        self
    }

    #[must_use]
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after_seconds = Some(seconds);
        self
    }

    #[must_use]
    pub fn at(mut self, instance: impl Into<String>) -> Self {
        self.instance = Some(instance.into());
        self
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.detail {
            Some(detail) => write!(f, "{} ({}): {detail}", self.title, self.code.as_str()),
            None => write!(f, "{} ({})", self.title, self.code.as_str()),
        }
    }
}

fn title(code: ProblemCode) -> &'static str {
    match code {
        ProblemCode::MalformedRequest => "The request could not be read",
        ProblemCode::ValidationFailed => "Some fields are not valid",
        ProblemCode::InvalidIdNumber => "The identity number is not valid",
        ProblemCode::SmsCodeInvalid => "The SMS code is not right",
        ProblemCode::SmsCodeExpired => "The SMS code has expired",
        ProblemCode::AccountExists => "An account already exists",
        ProblemCode::FaceImageInvalid => "The face photo cannot be used",
        ProblemCode::Unauthenticated => "Log in first",
        ProblemCode::TokenExpired => "The session has expired",
        ProblemCode::TokenInvalid => "The session is not valid",
        ProblemCode::Forbidden => "Not allowed for this account",
        ProblemCode::ReverificationRequired => "Verify your identity again first",
        ProblemCode::NotFound => "Not found",
        ProblemCode::InvalidState => "Not possible in the current state",
        ProblemCode::DeadlinePassed => "The deadline has passed",
        ProblemCode::IdempotencyKeyRequired => "An Idempotency-Key header is required",
        ProblemCode::IdempotencyKeyReused => "The Idempotency-Key was used for another request",
        ProblemCode::DocumentTooLarge => "The document is too large",
        ProblemCode::FilingTooLarge => "The filing is too large",
        ProblemCode::ContentTypeNotAllowed => "This type of file is not accepted",
        ProblemCode::LinkOffline => "This step is set to take place offline",
        ProblemCode::ChecksumMismatch => "The uploaded chunk is damaged",
        ProblemCode::OffsetMismatch => "The upload is at a different offset",
        ProblemCode::UploadExpired => "The upload has expired",
        ProblemCode::TusVersionUnsupported => "Unsupported upload protocol version",
        ProblemCode::UploadIncomplete => "The upload has not finished",
        ProblemCode::DocumentHashMismatch => "The document's hash does not match",
        ProblemCode::SignatureInvalid => "The signature does not verify",
        ProblemCode::SigningKeyMissing => "No signing key is registered",
        ProblemCode::TooManyRequests => "Too many requests",
        ProblemCode::Internal => "The platform failed",
        ProblemCode::InjectedFault => "Injected fault",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_strings_match_their_serde_names() {
        for code in [
            ProblemCode::MalformedRequest,
            ProblemCode::ReverificationRequired,
            ProblemCode::ChecksumMismatch,
            ProblemCode::IdempotencyKeyReused,
        ] {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, code.as_str());
        }
    }

    #[test]
    fn problem_serialises_as_rfc_9457_with_extensions() {
        let problem = Problem::new(ProblemCode::DocumentTooLarge, "2 MB over")
            .with_limit(10)
            .at("/api/v1/uploads");
        let json = serde_json::to_value(&problem).unwrap();
        assert_eq!(json["type"], "urn:litigant:problem:document_too_large");
        assert_eq!(json["status"], 413);
        assert_eq!(json["limit"], 10);
        assert_eq!(json["instance"], "/api/v1/uploads");
        assert!(json.get("errors").is_none());
        let back: Problem = serde_json::from_value(json).unwrap();
        assert_eq!(back, problem);
    }
}
