//! The court's deposit log (Art. 16-19): an append-only Merkle log of every finished document's
//! SHA-256, whose tree heads the court signs with its own Ed25519 key. Any reader of a document
//! can ask for a proof that it is in the log and check it offline against the published key
//! (`docs/deposit-proof.md`). The tree is RFC 6962's, built here from its definition; the
//! client follows audit paths with the RFC's verification algorithm, so the two sides check
//! each other.
//!
//! The key is the court's own, kept in `<data>/deposit-log-key.json` (mode 0600), made on first
//! start and valid for five years from then. This is a court's log, not an external blockchain,
//! and proofs say so through their log id and the key's holder.

use std::path::Path;

use axum::extract::{Path as UrlPath, State};
use base64::Engine;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use ed25519_dalek::Signer;
use litigant_court_api::Problem;
use litigant_court_api::deposit::{
    Anchor, DEPOSIT_PROOF_VERSION, DepositLogKey, DepositProof, KeyValidity, SignedTreeHead,
    signed_tree_head_message,
};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Uploader, hex};
use crate::documents::readable_document;
use crate::error::{ApiResult, SimError};
use crate::state::AppState;

/// The log's name in proofs.
pub const LOG_ID: &str = "litigant-demo-court";

/// How long a new key is valid.
const KEY_LIFETIME: Duration = Duration::days(5 * 365);

pub const SCHEMA: &str = r"
CREATE TABLE deposit_log (
    leaf_index INTEGER PRIMARY KEY, document_id TEXT NOT NULL UNIQUE, sha256 TEXT NOT NULL,
    appended_at TEXT NOT NULL
);
";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(deposit_proof))
        .routes(routes!(log_key))
}

/// Adds a finished document to the log, inside the transaction that records the document, so
/// no document exists without its leaf. Leaves are numbered from 0 in the order they come.
pub fn append(db: &Connection, document_id: &str, sha256: &str) -> rusqlite::Result<()> {
    db.execute(
        "INSERT INTO deposit_log (leaf_index, document_id, sha256, appended_at) \
         VALUES ((SELECT COUNT(*) FROM deposit_log), ?1, ?2, ?3)",
        params![document_id, sha256, Utc::now()],
    )?;
    Ok(())
}

/// The court's log key and what is published about it.
#[derive(Clone)]
pub struct DepositLog {
    key: ed25519_dalek::SigningKey,
    validity: KeyValidity,
    holder: String,
}

impl std::fmt::Debug for DepositLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The private key never prints.
        write!(f, "DepositLog({})", self.published().key_id)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyFile {
    /// The 32-byte Ed25519 private key, standard base64.
    secret_key: String,
    validity: KeyValidity,
}

impl DepositLog {
    /// The key in `<data>/deposit-log-key.json`, made there on first start.
    pub fn open(data: &Path, holder: &str) -> Result<Self, SimError> {
        let path = data.join("deposit-log-key.json");
        let damaged = |cause: &str| {
            SimError::Damaged(format!("the deposit log key {}: {cause}", path.display()))
        };
        let file = match std::fs::read(&path) {
            Ok(bytes) => {
                let file: KeyFile =
                    serde_json::from_slice(&bytes).map_err(|e| damaged(&e.to_string()))?;
                file
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let now = Utc::now().trunc_subsecs(0);
                let secret: [u8; 32] = rand::random();
                let file = KeyFile {
                    secret_key: base64::engine::general_purpose::STANDARD.encode(secret),
                    validity: KeyValidity {
                        not_before: now,
                        not_after: now + KEY_LIFETIME,
                    },
                };
                write_private(&path, &serde_json::to_vec_pretty(&file).unwrap_or_default())?;
                tracing::info!(path = %path.display(), "made the deposit log key");
                file
            }
            Err(source) => return Err(SimError::File { path, source }),
        };
        let secret = base64::engine::general_purpose::STANDARD
            .decode(&file.secret_key)
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
            .ok_or_else(|| damaged("the secret key is not 32 bytes in base64"))?;
        Ok(Self {
            key: ed25519_dalek::SigningKey::from_bytes(&secret),
            validity: file.validity,
            holder: holder.to_owned(),
        })
    }

    pub fn published(&self) -> DepositLogKey {
        let public = self.key.verifying_key();
        DepositLogKey {
            log_id: LOG_ID.to_owned(),
            key_id: hex(&Sha256::digest(public.as_bytes())),
            public_key: base64::engine::general_purpose::STANDARD.encode(public.as_bytes()),
            validity: self.validity,
            holder: self.holder.clone(),
        }
    }

    /// A proof for the document's leaf in the tree as it stands now, with a fresh signed head.
    fn prove(
        &self,
        db: &Connection,
        document_id: &str,
        now: DateTime<Utc>,
    ) -> ApiResult<DepositProof> {
        let index: Option<u64> = db
            .query_row(
                "SELECT leaf_index FROM deposit_log WHERE document_id = ?1",
                [document_id],
                |r| r.get(0),
            )
            .optional()?;
        let index = index.ok_or_else(|| {
            SimError::Damaged(format!(
                "document {document_id} has no leaf in the deposit log"
            ))
        })?;
        let rows: Vec<String> = db
            .prepare("SELECT sha256 FROM deposit_log ORDER BY leaf_index")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let leaves = rows
            .iter()
            .map(|sha256| {
                let bytes = (0..sha256.len())
                    .step_by(2)
                    .filter_map(|i| u8::from_str_radix(sha256.get(i..i + 2)?, 16).ok())
                    .collect::<Vec<u8>>();
                if bytes.len() == 32 {
                    Ok(leaf_hash(&bytes))
                } else {
                    Err(SimError::Damaged(format!(
                        "the deposit log holds {sha256:?}, which is not a SHA-256"
                    )))
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        let position = usize::try_from(index)
            .ok()
            .filter(|&i| i < leaves.len())
            .ok_or_else(|| SimError::Damaged(format!("leaf {index} is past the log's end")))?;
        let root = hex(&tree_hash(&leaves));
        let head = SignedTreeHead {
            tree_size: leaves.len() as u64,
            root: root.clone(),
            // The signed message carries whole seconds; the head says exactly what was signed.
            timestamp: now.trunc_subsecs(0),
        };
        let signature = self
            .key
            .sign(signed_tree_head_message(LOG_ID, &head).as_bytes());
        Ok(DepositProof {
            version: DEPOSIT_PROOF_VERSION,
            document_sha256: rows[position].clone(),
            leaf_index: index,
            tree_size: head.tree_size,
            audit_path: audit_path(position, &leaves)
                .iter()
                .map(|h| hex(h))
                .collect(),
            root,
            anchor: Anchor {
                log_id: LOG_ID.to_owned(),
                signed_tree_head: head,
                signature: base64::engine::general_purpose::STANDARD.encode(signature.to_bytes()),
                key_id: self.published().key_id,
            },
            key_validity: self.validity,
        })
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), SimError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let error = |source| SimError::File {
        path: path.to_owned(),
        source,
    };
    let mut file = options.open(path).map_err(error)?;
    file.write_all(bytes).map_err(error)?;
    file.sync_all().map_err(error)
}

type Hash = [u8; 32];

fn leaf_hash(data: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x00]);
    hasher.update(data);
    hasher.finalize().into()
}

/// RFC 6962 §2.1's MTH: split at the largest power of two smaller than the number of leaves.
fn tree_hash(leaves: &[Hash]) -> Hash {
    match leaves {
        [] => Sha256::digest([]).into(),
        [leaf] => *leaf,
        _ => {
            let (left, right) = leaves.split_at(split(leaves.len()));
            let mut hasher = Sha256::new();
            hasher.update([0x01]);
            hasher.update(tree_hash(left));
            hasher.update(tree_hash(right));
            hasher.finalize().into()
        }
    }
}

/// RFC 6962 §2.1.1's PATH(m, D[n]), from the leaf up.
fn audit_path(index: usize, leaves: &[Hash]) -> Vec<Hash> {
    if leaves.len() < 2 {
        return Vec::new();
    }
    let (left, right) = leaves.split_at(split(leaves.len()));
    let (mut path, sibling) = if index < left.len() {
        (audit_path(index, left), tree_hash(right))
    } else {
        (audit_path(index - left.len(), right), tree_hash(left))
    };
    path.push(sibling);
    path
}

/// The largest power of two below `n` (n ≥ 2): the highest set bit of n - 1.
fn split(n: usize) -> usize {
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

/// A proof that the document is in the court's deposit log, signed now: its leaf, the audit
/// path to the current root, and the signed tree head. Anyone who may read the document may ask.
#[utoipa::path(get, path = "/documents/{id}/deposit-proof", tag = "documents", security(("party" = []), ("clerk" = [])),
    params(("id" = String, Path, description = "Document id")),
    responses((status = 200, body = DepositProof),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn deposit_proof(
    State(state): State<AppState>,
    uploader: Uploader,
    UrlPath(id): UrlPath<String>,
) -> ApiResult<axum::Json<DepositProof>> {
    let db = state.store.db();
    readable_document(&db, &id, &uploader)?;
    Ok(axum::Json(state.deposit.prove(&db, &id, Utc::now())?))
}

/// The court's deposit-log key, for readers to save as trusted and check proofs with offline.
#[utoipa::path(get, path = "/deposit-log/key", tag = "documents",
    responses((status = 200, body = DepositLogKey)))]
async fn log_key(State(state): State<AppState>) -> axum::Json<DepositLogKey> {
    axum::Json(state.deposit.published())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_split_is_the_largest_power_of_two_below_n() {
        for (n, k) in [(2, 1), (3, 2), (4, 2), (5, 4), (8, 4), (9, 8), (17, 16)] {
            assert_eq!(split(n), k, "n = {n}");
        }
    }

    #[test]
    fn a_two_leaf_tree_matches_the_rfc_definition() {
        let (a, b) = (leaf_hash(b"a"), leaf_hash(b"b"));
        let mut node = vec![0x01];
        node.extend_from_slice(&a);
        node.extend_from_slice(&b);
        let expected: Hash = Sha256::digest(&node).into();
        assert_eq!(tree_hash(&[a, b]), expected);
        assert_eq!(audit_path(0, &[a, b]), [b]);
        assert_eq!(audit_path(1, &[a, b]), [a]);
    }
}
