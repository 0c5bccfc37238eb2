//! The court platform client, used by the desktop app and the `litigant` command line.
//!
//! - [`Client`]: one typed method per platform operation (`litigant-court-api`), HTTPS required
//!   for any host but loopback, the access token refreshed when it expires, transient failures
//!   (connection errors, 5xx, 429 with `Retry-After`) retried with backoff and jitter, and every
//!   refusal turned into the platform's problem document. A call that could act twice
//!   (registration, a consent record) is never repeated blindly; a filing is repeated only with
//!   its `Idempotency-Key`, so it is never made twice.
//! - Uploads: tus 1.0 with a SHA-256 checksum per chunk, adaptive chunk size, progress with rate
//!   and time left, stop, and resumption from the platform's offset.
//! - [`Outbox`]: `SQLite`, written before the first byte goes out; survives a crash, a kill -9 or
//!   a reboot, queues work while the platform is unreachable and drains it when it returns.
//! - [`Client::measure_upload_speed`]: the upload rate to the platform, for the pre-hearing check.
//! - The event feed's cursor and the deadlines it brings, in the same database.

mod api;
mod client;
mod error;
mod feed;
mod outbox;
mod readahead;
mod retry;
mod secret;
mod speed;
mod upload;

pub use client::{Client, Retry, SessionListener, SessionTokens};
pub use error::{ClientError, Result};
pub use feed::Deadline;
pub use outbox::{ItemKind, ItemStatus, Outbox, OutboxItem};
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use speed::{SpeedProbe, UploadSpeed};
pub use upload::{Chunking, FileTransfer, Progress, sha256_file, upload_document_id};
