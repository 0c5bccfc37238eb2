//! Offline verification of a deposit proof (Art. 16-19): the file's hash, the Merkle path to
//! the root, the root against the signed tree head, the anchor's key and signature, and the
//! times. Each check is reported with what it found, and so is what was not checked, so a
//! person reads exactly how far the proof goes.

use std::fmt;

use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use ed25519_dalek::{Signature, Verifier};
use litigant_court_api::deposit::{DEPOSIT_PROOF_VERSION, DepositProof, signed_tree_head_message};

use crate::hash::{from_hex32, sha256_hex, to_hex};
use crate::merkle::{PathShape, leaf_hash, root_from_path};
use crate::trust::TrustedKeys;

/// How far a tree head's time may be ahead of this computer's clock.
const CLOCK_SKEW: Duration = Duration::minutes(5);

/// What the proof is checked against: the file's bytes, or its hash when the bytes are not here.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    Bytes(&'a [u8]),
    Sha256(&'a str),
}

/// The checks, in the order they are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckKind {
    Format,
    FileHash,
    AuditPath,
    SignedRoot,
    AnchorKey,
    Signature,
    KeyValidity,
    Timestamp,
}

impl CheckKind {
    /// A stable name for an interface to word the check by.
    pub fn name(self) -> &'static str {
        match self {
            Self::Format => "Format",
            Self::FileHash => "FileHash",
            Self::AuditPath => "AuditPath",
            Self::SignedRoot => "SignedRoot",
            Self::AnchorKey => "AnchorKey",
            Self::Signature => "Signature",
            Self::KeyValidity => "KeyValidity",
            Self::Timestamp => "Timestamp",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Self::Format => "proof format",
            Self::FileHash => "file hash",
            Self::AuditPath => "Merkle path to the root",
            Self::SignedRoot => "root signed by the anchor",
            Self::AnchorKey => "anchor key",
            Self::Signature => "anchor signature",
            Self::KeyValidity => "anchor key validity",
            Self::Timestamp => "time of the signed tree head",
        }
    }
}

/// Why a check failed, specifically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProofFailure {
    UnsupportedVersion {
        found: u32,
    },
    /// A field that must be a 64-digit hex hash is not one.
    NotAHash {
        field: String,
        value: String,
    },
    HashMismatch {
        file: String,
        proof: String,
    },
    IndexOutOfRange {
        index: u64,
        size: u64,
    },
    PathWrongLength {
        found: usize,
        expected: usize,
    },
    PathDoesNotReachRoot {
        reached: String,
        root: String,
    },
    RootDiffersFromSignedHead {
        root: String,
        signed: String,
    },
    TreeSizeDiffersFromSignedHead {
        size: u64,
        signed: u64,
    },
    UnknownKey {
        key_id: String,
    },
    LogDiffers {
        proof: String,
        trusted: String,
    },
    SignatureUnreadable,
    BadSignature {
        key_id: String,
    },
    KeyNotYetValid {
        not_before: DateTime<Utc>,
        now: DateTime<Utc>,
    },
    KeyExpired {
        not_after: DateTime<Utc>,
        now: DateTime<Utc>,
    },
    StatedValidityDiffers,
    TimestampOutsideKeyValidity {
        timestamp: DateTime<Utc>,
        not_before: DateTime<Utc>,
        not_after: DateTime<Utc>,
    },
    TimestampInFuture {
        timestamp: DateTime<Utc>,
        now: DateTime<Utc>,
    },
}

impl ProofFailure {
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnsupportedVersion { .. } => "evidence.proof.unsupported_version",
            Self::NotAHash { .. } => "evidence.proof.not_a_hash",
            Self::HashMismatch { .. } => "evidence.proof.hash_mismatch",
            Self::IndexOutOfRange { .. } => "evidence.proof.index_out_of_range",
            Self::PathWrongLength { .. } => "evidence.proof.path_wrong_length",
            Self::PathDoesNotReachRoot { .. } => "evidence.proof.path_does_not_reach_root",
            Self::RootDiffersFromSignedHead { .. } => {
                "evidence.proof.root_differs_from_signed_head"
            }
            Self::TreeSizeDiffersFromSignedHead { .. } => {
                "evidence.proof.tree_size_differs_from_signed_head"
            }
            Self::UnknownKey { .. } => "evidence.proof.unknown_key",
            Self::LogDiffers { .. } => "evidence.proof.log_differs",
            Self::SignatureUnreadable => "evidence.proof.signature_unreadable",
            Self::BadSignature { .. } => "evidence.proof.bad_signature",
            Self::KeyNotYetValid { .. } => "evidence.proof.key_not_yet_valid",
            Self::KeyExpired { .. } => "evidence.proof.key_expired",
            Self::StatedValidityDiffers => "evidence.proof.stated_validity_differs",
            Self::TimestampOutsideKeyValidity { .. } => {
                "evidence.proof.timestamp_outside_key_validity"
            }
            Self::TimestampInFuture { .. } => "evidence.proof.timestamp_in_future",
        }
    }
}

fn day(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl fmt::Display for ProofFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnsupportedVersion { found } => write!(
                f,
                "the proof is format version {found}; this Litigant reads version {DEPOSIT_PROOF_VERSION}"
            ),
            Self::NotAHash { field, value } => {
                write!(f, "the proof's {field} is not a SHA-256 hash: {value:?}")
            }
            Self::HashMismatch { file, proof } => write!(
                f,
                "the file's SHA-256 is {file}, but the proof is for {proof}: the file is not the one deposited"
            ),
            Self::IndexOutOfRange { index, size } => write!(
                f,
                "the proof puts the file at leaf {index} of a tree of {size} leaves, which has no such leaf"
            ),
            Self::PathWrongLength { found, expected } => write!(
                f,
                "the Merkle path has {found} hashes; this leaf's path in this tree has {expected}"
            ),
            Self::PathDoesNotReachRoot { reached, root } => write!(
                f,
                "the Merkle path does not lead to the root: it leads to {reached}, not to {root}"
            ),
            Self::RootDiffersFromSignedHead { root, signed } => write!(
                f,
                "the proof's root {root} differs from the root {signed} the anchor signed"
            ),
            Self::TreeSizeDiffersFromSignedHead { size, signed } => write!(
                f,
                "the proof is for a tree of {size} leaves, but the anchor signed a tree of {signed}"
            ),
            Self::UnknownKey { key_id } => write!(
                f,
                "the anchor key {key_id} is not among the trusted keys: it may be forged"
            ),
            Self::LogDiffers { proof, trusted } => write!(
                f,
                "the proof names the log {proof:?}, but the trusted key belongs to the log {trusted:?}"
            ),
            Self::SignatureUnreadable => {
                f.write_str("the anchor's signature is not a 64-byte Ed25519 signature in base64")
            }
            Self::BadSignature { key_id } => write!(
                f,
                "the anchor's signature does not verify with the trusted key {key_id}: the signed tree head was altered or signed by another key"
            ),
            Self::KeyNotYetValid { not_before, now } => write!(
                f,
                "the anchor key is not valid yet: it is valid from {}, and it is {} now",
                day(not_before),
                day(now)
            ),
            Self::KeyExpired { not_after, now } => write!(
                f,
                "the anchor key expired on {}; it is {} now",
                day(not_after),
                day(now)
            ),
            Self::StatedValidityDiffers => f.write_str(
                "the proof states a validity for the anchor key that differs from the trusted key's",
            ),
            Self::TimestampOutsideKeyValidity {
                timestamp,
                not_before,
                not_after,
            } => write!(
                f,
                "the tree head was signed at {}, outside the key's validity ({} to {})",
                day(timestamp),
                day(not_before),
                day(not_after)
            ),
            Self::TimestampInFuture { timestamp, now } => write!(
                f,
                "the tree head claims to be signed at {}, after this computer's time {}",
                day(timestamp),
                day(now)
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// What was found, in words.
    Passed(String),
    Failed(ProofFailure),
    /// Why the check could not be made.
    Skipped(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub kind: CheckKind,
    pub outcome: Outcome,
}

/// The result of verifying a proof: every check, and what the proof does not show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub checks: Vec<Check>,
    pub not_checked: Vec<String>,
}

impl Verification {
    /// Every check was made and passed.
    pub fn passed(&self) -> bool {
        self.checks
            .iter()
            .all(|c| matches!(c.outcome, Outcome::Passed(_)))
    }

    pub fn failures(&self) -> impl Iterator<Item = &ProofFailure> {
        self.checks.iter().filter_map(|c| match &c.outcome {
            Outcome::Failed(failure) => Some(failure),
            _ => None,
        })
    }

    pub fn outcome(&self, kind: CheckKind) -> Option<&Outcome> {
        self.checks
            .iter()
            .find(|c| c.kind == kind)
            .map(|c| &c.outcome)
    }

    fn record(&mut self, kind: CheckKind, outcome: Outcome) {
        self.checks.push(Check { kind, outcome });
    }
}

impl fmt::Display for Verification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for check in &self.checks {
            let (mark, text) = match &check.outcome {
                Outcome::Passed(text) => ("ok  ", text.clone()),
                Outcome::Failed(failure) => ("FAIL", failure.to_string()),
                Outcome::Skipped(text) => ("skip", text.clone()),
            };
            writeln!(f, "{mark} {}: {text}", check.kind.describe())?;
        }
        for text in &self.not_checked {
            writeln!(f, "not checked: {text}")?;
        }
        Ok(())
    }
}

fn hash_field(field: &str, value: &str) -> Result<[u8; 32], ProofFailure> {
    from_hex32(value).ok_or_else(|| ProofFailure::NotAHash {
        field: field.to_owned(),
        value: value.chars().take(80).collect(),
    })
}

/// Verifies `proof` for `subject` against the trusted keys, as of `now`.
pub fn verify_proof(
    subject: Subject<'_>,
    proof: &DepositProof,
    trusted: &TrustedKeys,
    now: DateTime<Utc>,
) -> Verification {
    let mut result = Verification {
        checks: Vec::new(),
        not_checked: Vec::new(),
    };
    if proof.version != DEPOSIT_PROOF_VERSION {
        result.record(
            CheckKind::Format,
            Outcome::Failed(ProofFailure::UnsupportedVersion {
                found: proof.version,
            }),
        );
        result
            .not_checked
            .push("anything else: the proof's format is unknown".to_owned());
        return result;
    }
    result.record(
        CheckKind::Format,
        Outcome::Passed(format!("version {DEPOSIT_PROOF_VERSION}")),
    );
    check_file_hash(&mut result, subject, proof);
    check_path(&mut result, proof);
    check_anchor(&mut result, proof, trusted, now);
    let holder = trusted
        .get(&proof.anchor.key_id)
        .map_or("an unknown party", |k| k.holder.as_str());
    result.not_checked.push(format!(
        "the anchor is the log {:?} kept by {holder} and signed with its own key; it is not an \
         external blockchain, and no third party witnessed the deposit",
        proof.anchor.log_id
    ));
    result.not_checked.push(
        "that the log was never rewritten: only one signed tree head was seen, so no \
         consistency between heads was checked"
            .to_owned(),
    );
    result.not_checked.push(
        "who the anchor key really belongs to: it is trusted because its key file was given as \
         trusted"
            .to_owned(),
    );
    result
}

fn check_file_hash(result: &mut Verification, subject: Subject<'_>, proof: &DepositProof) {
    let file = match subject {
        Subject::Bytes(bytes) => sha256_hex(bytes),
        Subject::Sha256(hash) => {
            result
                .not_checked
                .push("the file's bytes: only its hash was given".to_owned());
            hash.to_ascii_lowercase()
        }
    };
    let outcome = if file.eq_ignore_ascii_case(&proof.document_sha256) {
        Outcome::Passed(format!("the file's SHA-256 is {file}, as deposited"))
    } else {
        Outcome::Failed(ProofFailure::HashMismatch {
            file,
            proof: proof.document_sha256.clone(),
        })
    };
    result.record(CheckKind::FileHash, outcome);
}

fn check_path(result: &mut Verification, proof: &DepositProof) {
    let outcome = path_outcome(proof).map_or_else(Outcome::Failed, Outcome::Passed);
    result.record(CheckKind::AuditPath, outcome);
    let head = &proof.anchor.signed_tree_head;
    let outcome = if proof.tree_size != head.tree_size {
        Outcome::Failed(ProofFailure::TreeSizeDiffersFromSignedHead {
            size: proof.tree_size,
            signed: head.tree_size,
        })
    } else if !proof.root.eq_ignore_ascii_case(&head.root) {
        Outcome::Failed(ProofFailure::RootDiffersFromSignedHead {
            root: proof.root.clone(),
            signed: head.root.clone(),
        })
    } else {
        Outcome::Passed(format!(
            "the anchor signed this root for a tree of {} leaves",
            head.tree_size
        ))
    };
    result.record(CheckKind::SignedRoot, outcome);
}

fn path_outcome(proof: &DepositProof) -> Result<String, ProofFailure> {
    let document = hash_field("documentSha256", &proof.document_sha256)?;
    let root = hash_field("root", &proof.root)?;
    let path = proof
        .audit_path
        .iter()
        .enumerate()
        .map(|(i, h)| hash_field(&format!("auditPath[{i}]"), h))
        .collect::<Result<Vec<_>, _>>()?;
    let reached = root_from_path(
        proof.leaf_index,
        proof.tree_size,
        leaf_hash(&document),
        &path,
    )
    .map_err(|shape| match shape {
        PathShape::IndexOutOfRange => ProofFailure::IndexOutOfRange {
            index: proof.leaf_index,
            size: proof.tree_size,
        },
        PathShape::TooLong { expected } | PathShape::TooShort { expected } => {
            ProofFailure::PathWrongLength {
                found: path.len(),
                expected,
            }
        }
    })?;
    if reached == root {
        Ok(format!(
            "leaf {} of {} leads through {} hashes to the root {}",
            proof.leaf_index,
            proof.tree_size,
            path.len(),
            proof.root
        ))
    } else {
        Err(ProofFailure::PathDoesNotReachRoot {
            reached: to_hex(&reached),
            root: proof.root.clone(),
        })
    }
}

fn check_anchor(
    result: &mut Verification,
    proof: &DepositProof,
    trusted: &TrustedKeys,
    now: DateTime<Utc>,
) {
    let anchor = &proof.anchor;
    let Some(key) = trusted.get(&anchor.key_id) else {
        result.record(
            CheckKind::AnchorKey,
            Outcome::Failed(ProofFailure::UnknownKey {
                key_id: anchor.key_id.clone(),
            }),
        );
        for kind in [
            CheckKind::Signature,
            CheckKind::KeyValidity,
            CheckKind::Timestamp,
        ] {
            result.record(
                kind,
                Outcome::Skipped("the anchor key is not trusted".to_owned()),
            );
        }
        return;
    };
    let outcome = if key.log_id == anchor.log_id {
        Outcome::Passed(format!(
            "key {} of the log {:?}, held by {}",
            key.key_id, key.log_id, key.holder
        ))
    } else {
        Outcome::Failed(ProofFailure::LogDiffers {
            proof: anchor.log_id.clone(),
            trusted: key.log_id.clone(),
        })
    };
    result.record(CheckKind::AnchorKey, outcome);

    let message = signed_tree_head_message(&anchor.log_id, &anchor.signed_tree_head);
    let signature = base64::engine::general_purpose::STANDARD
        .decode(anchor.signature.trim())
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b.as_slice()).ok())
        .map(|b| Signature::from_bytes(&b));
    let outcome = match signature {
        None => Outcome::Failed(ProofFailure::SignatureUnreadable),
        Some(signature) => match key.public_key.verify(message.as_bytes(), &signature) {
            Ok(()) => Outcome::Passed(
                "the signed tree head verifies with the trusted key (Ed25519)".to_owned(),
            ),
            Err(_) => Outcome::Failed(ProofFailure::BadSignature {
                key_id: key.key_id.clone(),
            }),
        },
    };
    result.record(CheckKind::Signature, outcome);

    let validity = key.validity;
    let outcome = if now < validity.not_before {
        Outcome::Failed(ProofFailure::KeyNotYetValid {
            not_before: validity.not_before,
            now,
        })
    } else if now > validity.not_after {
        Outcome::Failed(ProofFailure::KeyExpired {
            not_after: validity.not_after,
            now,
        })
    } else if proof.key_validity != validity {
        Outcome::Failed(ProofFailure::StatedValidityDiffers)
    } else {
        Outcome::Passed(format!(
            "valid from {} to {}",
            day(&validity.not_before),
            day(&validity.not_after)
        ))
    };
    result.record(CheckKind::KeyValidity, outcome);

    let timestamp = anchor.signed_tree_head.timestamp;
    let outcome = if !key.valid_at(timestamp) {
        Outcome::Failed(ProofFailure::TimestampOutsideKeyValidity {
            timestamp,
            not_before: validity.not_before,
            not_after: validity.not_after,
        })
    } else if timestamp > now + CLOCK_SKEW {
        Outcome::Failed(ProofFailure::TimestampInFuture { timestamp, now })
    } else {
        Outcome::Passed(format!(
            "signed at {}, within the key's validity",
            day(&timestamp)
        ))
    };
    result.record(CheckKind::Timestamp, outcome);
}

#[cfg(test)]
#[path = "proof_tests.rs"]
mod tests;
