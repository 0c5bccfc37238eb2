//! Deposit proofs (Art. 16-19): the platform keeps an append-only Merkle log of every finished
//! document and hands out, for any document, a proof that its SHA-256 is a leaf of a tree whose
//! head the log's key signed. A reader checks the proof offline; the format is documented in
//! `docs/deposit-proof.md`.
//!
//! The tree is RFC 6962's: a leaf's hash is SHA-256(0x00 || data), an inner node's is
//! SHA-256(0x01 || left || right), and the data of a leaf is the 32 bytes of the document's
//! SHA-256 (not its hex text).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use chrono::{DateTime, Utc};

/// The proof format this API speaks; a reader refuses any other.
pub const DEPOSIT_PROOF_VERSION: u32 = 1;

/// That a document's hash is in the log, as of a signed tree head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DepositProof {
    /// [`DEPOSIT_PROOF_VERSION`].
    pub version: u32,
    /// The document's SHA-256, lowercase hex: the leaf's data.
    pub document_sha256: String,
    /// The leaf's position in the log, from 0.
    pub leaf_index: u64,
    /// How many leaves the tree this proof is for has.
    pub tree_size: u64,
    /// RFC 6962 audit path from the leaf up, lowercase hex hashes.
    pub audit_path: Vec<String>,
    /// The tree's root the path leads to, lowercase hex.
    pub root: String,
    pub anchor: Anchor,
    /// The anchor key's validity as the log states it; a reader trusts its own copy of the key.
    pub key_validity: KeyValidity,
}

/// Who vouches for the root: a log's signed tree head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Anchor {
    /// The log's name, e.g. `litigant-demo-court`.
    pub log_id: String,
    pub signed_tree_head: SignedTreeHead,
    /// Ed25519 signature over [`signed_tree_head_message`], 64 bytes, standard base64.
    pub signature: String,
    /// The signing key's id: lowercase hex SHA-256 of its 32 public-key bytes.
    pub key_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignedTreeHead {
    pub tree_size: u64,
    /// Lowercase hex.
    pub root: String,
    /// When the log signed this head.
    pub timestamp: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KeyValidity {
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
}

/// The log's public key, as the platform publishes it (`GET /deposit-log/key`). A reader saves
/// it as a trusted key file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DepositLogKey {
    pub log_id: String,
    /// Lowercase hex SHA-256 of the public key's bytes.
    pub key_id: String,
    /// Ed25519 public key, 32 bytes, standard base64.
    pub public_key: String,
    pub validity: KeyValidity,
    /// Who holds the key, in words (e.g. "演示法院 (Demo court)").
    pub holder: String,
}

/// The exact bytes a tree head's signature covers: five lines joined by `\n`, no trailing
/// newline: `litigant-tree-head-v1`, the log id, the tree size in decimal, the root in
/// lowercase hex, and the timestamp in RFC 3339 with seconds and `Z`.
pub fn signed_tree_head_message(log_id: &str, head: &SignedTreeHead) -> String {
    format!(
        "litigant-tree-head-v1\n{log_id}\n{}\n{}\n{}",
        head.tree_size,
        head.root,
        head.timestamp
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_head_message_has_a_fixed_layout() {
        let head = SignedTreeHead {
            tree_size: 7,
            root: "ab".into(),
            timestamp: DateTime::parse_from_rfc3339("2026-11-30T08:00:00.9+08:00")
                .unwrap()
                .with_timezone(&Utc),
        };
        assert_eq!(
            signed_tree_head_message("litigant-demo-court", &head),
            "litigant-tree-head-v1\nlitigant-demo-court\n7\nab\n2026-11-30T00:00:00Z"
        );
    }
}
