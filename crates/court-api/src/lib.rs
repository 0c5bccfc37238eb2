//! The Litigant court platform API, version 1: every resource, request and problem as serde
//! types, with their `OpenAPI` schemas.
//!
//! No court platform is reachable from a developer's machine and the real ones are closed, so
//! Litigant defines this API and `litigant-court-sim` implements it. The concepts follow OASIS
//! `LegalXML` ECF 5 (court policy, filing review statuses, the case record, service), documents
//! travel by tus 1.0 resumable uploads, and every error is an RFC 9457 problem document.
//!
//! What must hold: JSON field names are camelCase and enum values `snake_case`, on every type
//! here, because clients in other languages are generated from the `OpenAPI` document. This crate
//! does no I/O and knows nothing of HTTP libraries, so the client, the simulator and tests all
//! share one definition of the wire.

pub mod cases;
pub mod clerk;
pub mod deposit;
pub mod documents;
pub mod events;
pub mod evidence;
pub mod filings;
pub mod hearings;
pub mod identity;
pub mod policy;
pub mod problem;
pub mod service;
pub mod signatures;

pub use problem::{FieldProblem, Problem, ProblemCode};

/// Every path of the API starts with this prefix; a breaking change gets a new prefix.
pub const API_PREFIX: &str = "/api/v1";

/// The media type of problem documents (RFC 9457).
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Header that makes a non-idempotent request (a filing's submission) safe to retry: the
/// platform stores the first response under the key and replays it for the same request.
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";

/// Header set on a replayed response so a client can tell it did not create anything new.
pub const IDEMPOTENT_REPLAYED: &str = "Idempotent-Replayed";

/// Opaque identifiers are strings with a type prefix (`acc_`, `case_`, `fil_`, `doc_` ...), so a
/// mixed-up identifier is caught by the platform and obvious in a log.
pub type Id = String;

/// A point in time, always UTC on the wire (RFC 3339).
pub type Timestamp = chrono::DateTime<chrono::Utc>;

/// A page of a list; the platform returns items newest first unless a resource says otherwise.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct List<T> {
    pub items: Vec<T>,
}
