//! Evidence integrity for Litigant (Rules Art. 16-19, 33, 35), with no network and no
//! interface:
//!
//! - [`sha256_file`]: the hash of every file submitted or received.
//! - [`verify_proof`]: a deposit proof (`docs/deposit-proof.md`) checked offline against the
//!   file and the [`TrustedKeys`], reporting every check and what the proof does not show.
//! - [`AccountKey`]: an account's Ed25519 signing key, kept in a `SecretStore`, signing
//!   documents with detached signatures; [`verify_signature`] checks another party's.
//! - [`write_catalogue`]: the evidence catalogue (证据目录) as PDF pages before the evidence,
//!   with a subset CJK font, bookmarks and page labels that match the printed page numbers.
//! - [`OpinionDrafts`]: cross-examination opinions kept as drafts until submitted in the window.
//! - [`submit_catalogued_evidence`], [`receive_evidence`], [`receive_served`], [`sign_document`]:
//!   acts on the platform, each checked against the local bytes and recorded in the case file.
//! - [`CaseFile`]: the local electronic case file, a hash-chained log per case, and its check.

mod casefile;
mod catalogue;
mod error;
mod hash;
mod merkle;
mod opinions;
mod proceedings;
mod proof;
mod signing;
mod trust;

pub use casefile::{
    CaseFile, CaseFileFinding, CaseFileReport, Entry, EntryKind, GENESIS, NewEntry,
};
pub use catalogue::{
    Catalogue, CatalogueItem, CatalogueOptions, CatalogueReport, Language, PlacedItem,
    SYSTEM_CJK_FONTS, write_catalogue,
};
pub use error::EvidenceError;
pub use hash::{sha256_file, sha256_hex};
pub use litigant_court_api::deposit::{
    Anchor, DEPOSIT_PROOF_VERSION, DepositLogKey, DepositProof, KeyValidity, SignedTreeHead,
};
pub use merkle::{Hash, leaf_hash, node_hash, root_from_path};
pub use opinions::{OpinionDraft, OpinionDrafts, SubmittedOpinion};
pub use proceedings::{
    CheckedSignature, ReceivedDocument, SignedDocument, Signer, ToSign, check_signatures,
    receive_evidence, receive_served, received_path, served_path, sign_document,
    submit_catalogued_evidence, verify_attached_proof,
};
pub use proof::{Check, CheckKind, Outcome, ProofFailure, Subject, Verification, verify_proof};
pub use signing::{
    AccountKey, DetachedSignature, SIGNATURE_VERSION, SignatureFailure, signing_key_entry,
    verify_signature,
};
pub use trust::{TrustedKey, TrustedKeys, key_id, verifying_key};

/// Reads a deposit proof from JSON, refusing a format version this crate does not know.
pub fn read_proof(json: &[u8]) -> Result<DepositProof, EvidenceError> {
    let proof: DepositProof = serde_json::from_slice(json)
        .map_err(|e| EvidenceError::malformed("the deposit proof", e))?;
    if proof.version != DEPOSIT_PROOF_VERSION {
        return Err(EvidenceError::ProofVersion {
            found: proof.version,
            supported: DEPOSIT_PROOF_VERSION,
        });
    }
    Ok(proof)
}
