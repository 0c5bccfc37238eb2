//! Documents and their tus 1.0 uploads.
//!
//! An upload is created with `POST /uploads` (tus creation), filled with `PATCH` carrying
//! `Upload-Checksum: sha256 <base64>` per chunk (tus checksum), removable with `DELETE` (tus
//! termination) and expires after the policy's `uploadExpirySeconds` (tus expiration). When the
//! last byte arrives the platform re-hashes the whole file and the upload becomes a
//! [`Document`] with the same id.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use chrono::{DateTime, Utc};

use crate::Id;

/// The tus protocol version spoken.
pub const TUS_VERSION: &str = "1.0.0";
/// The tus extensions implemented.
pub const TUS_EXTENSIONS: &str = "creation,checksum,termination,expiration";
/// The checksum algorithms accepted in `Upload-Checksum`.
pub const TUS_CHECKSUM_ALGORITHMS: &str = "sha256";

/// `Upload-Metadata` keys the platform reads (values base64, as tus requires).
pub mod metadata {
    /// The file's name as the person knows it.
    pub const FILENAME: &str = "filename";
    /// Its media type; checked against the policy.
    pub const CONTENT_TYPE: &str = "contentType";
    /// The whole file's SHA-256, lowercase hex. When given, the finished upload must match it.
    pub const SHA256: &str = "sha256";
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    pub id: Id,
    pub filename: String,
    pub content_type: String,
    pub size: u64,
    /// Computed by the platform over the stored bytes, lowercase hex.
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}
