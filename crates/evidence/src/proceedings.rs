//! What a party does with the platform that the case file must remember (Art. 35): submitting
//! catalogued evidence, receiving the other side's evidence and served documents, and signing
//! (Art. 33). Each act checks the platform's hash against the local bytes before it is
//! recorded, so the case file never holds a hash nobody compared.

use std::path::{Path, PathBuf};

use chrono::Utc;
use litigant_court_api::deposit::DepositProof;
use litigant_court_api::evidence::{EvidenceItem, EvidenceItemRequest, EvidenceSubmission};
use litigant_court_api::service::ServedDocument;
use litigant_court_api::signatures::{Signature, SignaturePurpose};
use litigant_court_client::Client;

use crate::casefile::{CaseFile, Entry, EntryKind, NewEntry};
use crate::catalogue::{Catalogue, CatalogueReport};
use crate::error::EvidenceError;
use crate::hash::{sha256_file, sha256_hex};
use crate::proof::{Subject, Verification, verify_proof};
use crate::signing::{
    AccountKey, DetachedSignature, SIGNATURE_VERSION, SignatureFailure, verify_signature,
};
use crate::trust::TrustedKeys;

use crate::error::file_error;

/// A platform id as a file name: letters, digits, `-` and `_` only.
fn safe(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn mismatch(what: &str, platform: &str, local: &str) -> EvidenceError {
    EvidenceError::malformed(
        what.to_owned(),
        format!("the platform holds SHA-256 {platform}, the local copy has {local}"),
    )
}

fn record(
    case_file: &mut CaseFile,
    case_id: &str,
    kind: EntryKind,
    server_id: &str,
    path: &Path,
) -> Result<Entry, EvidenceError> {
    case_file.append(
        case_id,
        NewEntry {
            kind,
            server_id: server_id.to_owned(),
            path: Some(path.to_owned()),
            sha256: None,
        },
    )
}

/// Submits the catalogue's items as evidence of `case_id`, all in the combined PDF `path`
/// already uploaded as `document_id`, each with the page range the catalogue printed and the
/// document's deposit proof when given (the other parties check it themselves); records each
/// accepted item in the case file.
pub async fn submit_catalogued_evidence(
    client: &Client,
    case_file: &mut CaseFile,
    case_id: &str,
    document_id: &str,
    path: &Path,
    catalogue: (&Catalogue, &CatalogueReport),
    proof: Option<&DepositProof>,
) -> Result<Vec<EvidenceItem>, EvidenceError> {
    let (catalogue, report) = catalogue;
    let local = sha256_file(path)?;
    let proof = proof
        .map(serde_json::to_value)
        .transpose()
        .map_err(|e| EvidenceError::malformed("the deposit proof", e))?;
    let submission = EvidenceSubmission {
        items: catalogue
            .items
            .iter()
            .zip(&report.items)
            .map(|(item, placed)| EvidenceItemRequest {
                document_id: document_id.to_owned(),
                name: item.name.trim().to_owned(),
                source: item.source.trim().to_owned(),
                purpose: item.purpose.trim().to_owned(),
                page_range: Some(placed.page_range()),
                deposit_proof: proof.clone(),
            })
            .collect(),
    };
    let items = client.submit_evidence(case_id, &submission).await?;
    for item in &items {
        if item.document_sha256 != local {
            return Err(mismatch(
                &format!("evidence {} ({})", item.id, path.display()),
                &item.document_sha256,
                &local,
            ));
        }
        record(case_file, case_id, EntryKind::Filed, &item.id, path)?;
    }
    Ok(items)
}

/// The platform ids the case's file already records, so nothing is received twice.
fn recorded_ids(case_file: &CaseFile, case_id: &str) -> Result<Vec<String>, EvidenceError> {
    Ok(case_file
        .entries(case_id)?
        .into_iter()
        .map(|e| e.server_id)
        .collect())
}

/// A document from the platform, kept in the data folder and recorded.
#[derive(Debug, Clone)]
pub struct ReceivedDocument {
    /// The evidence item's or service's id.
    pub server_id: String,
    pub title: String,
    pub path: PathBuf,
    pub sha256: String,
    pub case_file_seq: u64,
    /// The offline check of the deposit proof that came with it, when it came with one and
    /// trusted keys were given; `Err` says why the proof could not even be read.
    pub proof: Option<Result<Verification, String>>,
}

/// Downloads `document_id`, checks it against `expected_sha256`, keeps it as `path`.
async fn download(
    client: &Client,
    document_id: &str,
    expected_sha256: &str,
    path: &Path,
) -> Result<String, EvidenceError> {
    let bytes = client.document_content(document_id).await?;
    let sha256 = sha256_hex(&bytes);
    if !sha256.eq_ignore_ascii_case(expected_sha256) {
        return Err(mismatch(
            &format!("document {document_id}"),
            expected_sha256,
            &sha256,
        ));
    }
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(file_error(folder))?;
    }
    std::fs::write(path, &bytes).map_err(file_error(path))?;
    Ok(sha256)
}

/// Where [`receive_evidence`] keeps an item of the other side's evidence.
pub fn received_path(data: &Path, case_id: &str, evidence_id: &str) -> PathBuf {
    data.join("received")
        .join(safe(case_id))
        .join(format!("{}.pdf", safe(evidence_id)))
}

/// Where a served document's local copy is kept: `<data>/served/<case>/<service>-<file name>`.
pub fn served_path(data: &Path, served: &ServedDocument) -> PathBuf {
    data.join("served")
        .join(safe(&served.case_id))
        .join(format!(
            "{}-{}",
            safe(&served.id),
            safe(&served.document.filename)
        ))
}

/// Downloads the other parties' evidence of `case_id` (visible once an exchange has opened)
/// into `<data>/received/<case>/` and records each item not yet in the case file. An item's
/// deposit proof is checked offline against the downloaded bytes and `trusted`, when given.
pub async fn receive_evidence(
    client: &Client,
    case_file: &mut CaseFile,
    data: &Path,
    (case_id, own_account_id): (&str, &str),
    trusted: Option<&TrustedKeys>,
) -> Result<Vec<ReceivedDocument>, EvidenceError> {
    let known = recorded_ids(case_file, case_id)?;
    let mut received = Vec::new();
    for item in client.evidence(case_id).await? {
        if item.submitted_by == own_account_id || known.contains(&item.id) {
            continue;
        }
        let path = received_path(data, case_id, &item.id);
        let sha256 = download(client, &item.document_id, &item.document_sha256, &path).await?;
        let entry = record(case_file, case_id, EntryKind::Received, &item.id, &path)?;
        let proof = match (&item.deposit_proof, trusted) {
            (Some(json), Some(trusted)) => Some(verify_attached_proof(json, &sha256, trusted)),
            _ => None,
        };
        received.push(ReceivedDocument {
            server_id: item.id,
            title: item.name,
            path,
            sha256,
            case_file_seq: entry.seq,
            proof,
        });
    }
    Ok(received)
}

/// Downloads the documents served on this account in `case_id` into `<data>/served/<case>/`,
/// marks each opened and confirms receipt (service takes effect on delivery, Art. 31; the
/// receipt is the party's acknowledgement), and records each not yet in the case file.
pub async fn receive_served(
    client: &Client,
    case_file: &mut CaseFile,
    data: &Path,
    case_id: &str,
) -> Result<Vec<ReceivedDocument>, EvidenceError> {
    let known = recorded_ids(case_file, case_id)?;
    let mut received = Vec::new();
    for served in client.inbox().await? {
        if served.case_id != case_id || known.contains(&served.id) {
            continue;
        }
        let path = served_path(data, &served);
        let sha256 = download(client, &served.document.id, &served.document.sha256, &path).await?;
        client.mark_opened(&served.id).await?;
        client.confirm_receipt(&served.id).await?;
        let entry = record(case_file, case_id, EntryKind::Served, &served.id, &path)?;
        received.push(ReceivedDocument {
            server_id: served.id,
            title: served.title,
            path,
            sha256,
            case_file_seq: entry.seq,
            proof: None,
        });
    }
    Ok(received)
}

/// Checks a proof that came with an item. One that cannot be read is reported with the item,
/// not raised, so the other items are still received.
/// Checks a deposit proof attached to an evidence item (as the platform hands it on) against
/// the local copy's SHA-256; `Err` says why the proof could not be read at all.
pub fn verify_attached_proof(
    json: &serde_json::Value,
    sha256: &str,
    trusted: &TrustedKeys,
) -> Result<Verification, String> {
    let bytes = serde_json::to_vec(json).map_err(|e| e.to_string())?;
    let proof = crate::read_proof(&bytes).map_err(|e| e.to_string())?;
    Ok(verify_proof(
        Subject::Sha256(sha256),
        &proof,
        trusted,
        Utc::now(),
    ))
}

/// Who signs: the account's key and id.
#[derive(Debug, Clone, Copy)]
pub struct Signer<'a> {
    pub key: &'a AccountKey,
    pub account_id: &'a str,
}

/// What is signed: the platform's document, its local copy, and why.
#[derive(Debug, Clone, Copy)]
pub struct ToSign<'a> {
    pub document_id: &'a str,
    pub document: &'a Path,
    pub purpose: SignaturePurpose,
}

/// A signature the platform accepted, with its detached copy kept and recorded.
#[derive(Debug, Clone)]
pub struct SignedDocument {
    pub signature: Signature,
    pub detached: DetachedSignature,
    /// The detached signature's JSON in `<data>/signatures/<case>/`.
    pub path: PathBuf,
    pub case_file_seq: u64,
}

/// Signs the local copy `document` of the platform's `document_id` for `purpose` (a
/// transcript, mediation agreement or service receipt) with the account's key, has the
/// platform verify it, keeps the detached signature and records it in the case file. The
/// local copy must be the platform's: a differing hash stops before anything is signed.
pub async fn sign_document(
    client: &Client,
    case_file: &mut CaseFile,
    data: &Path,
    case_id: &str,
    signer: Signer<'_>,
    to_sign: ToSign<'_>,
) -> Result<SignedDocument, EvidenceError> {
    let ToSign {
        document_id,
        document,
        purpose,
    } = to_sign;
    let local = sha256_file(document)?;
    let platform = client.document(document_id).await?;
    if !platform.sha256.eq_ignore_ascii_case(&local) {
        return Err(mismatch(
            &format!("{} (document {document_id})", document.display()),
            &platform.sha256,
            &local,
        ));
    }
    let detached = signer
        .key
        .sign(&local, purpose, signer.account_id, Utc::now());
    let signature = client.sign(&detached.request(document_id)).await?;
    let path = data
        .join("signatures")
        .join(safe(case_id))
        .join(format!("{}.json", safe(&signature.id)));
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(file_error(folder))?;
    }
    let json = serde_json::to_vec_pretty(&detached)
        .map_err(|e| EvidenceError::malformed("the detached signature", e))?;
    std::fs::write(&path, json).map_err(file_error(&path))?;
    let entry = record(case_file, case_id, EntryKind::Signed, &signature.id, &path)?;
    Ok(SignedDocument {
        signature,
        detached,
        path,
        case_file_seq: entry.seq,
    })
}

/// A signature on a document, checked here with the key the platform holds for its signer.
#[derive(Debug, Clone)]
pub struct CheckedSignature {
    pub signature: Signature,
    /// The signer's name in the case, when the platform has a key for them.
    pub signer: Option<String>,
    pub outcome: Result<(), SignatureFailure>,
}

/// Checks every signature the platform holds on `document_id` against the local copy
/// `document` and the case parties' registered keys: the platform's word that it verified
/// them is not the check. Each one that holds and is not yet in the case file is kept as a
/// detached signature and recorded as received.
pub async fn check_signatures(
    client: &Client,
    case_file: &mut CaseFile,
    data: &Path,
    case_id: &str,
    document_id: &str,
    document: &Path,
) -> Result<Vec<CheckedSignature>, EvidenceError> {
    let local = sha256_file(document)?;
    let keys = client.case_signing_keys(case_id).await?;
    let known = recorded_ids(case_file, case_id)?;
    let mut checked = Vec::new();
    for signature in client.document_signatures(document_id).await? {
        let key = keys.iter().find(|k| k.account_id == signature.account_id);
        let detached = DetachedSignature {
            version: SIGNATURE_VERSION,
            algorithm: "ed25519".to_owned(),
            document_sha256: signature.document_sha256.clone(),
            purpose: signature.purpose,
            account_id: signature.account_id.clone(),
            signed_at: signature.signed_at,
            public_key: key.map(|k| k.public_key.clone()).unwrap_or_default(),
            signature: signature.signature.clone(),
        };
        let outcome = match key {
            None => Err(SignatureFailure::SignerKeyUnknown {
                account_id: signature.account_id.clone(),
            }),
            Some(key) => crate::trust::verifying_key(&key.public_key)
                .ok_or(SignatureFailure::Unreadable {
                    field: "signer's registered key",
                })
                .and_then(|public| verify_signature(&detached, &local, &public)),
        };
        if outcome.is_ok() && !known.contains(&signature.id) {
            let path = data
                .join("signatures")
                .join(safe(case_id))
                .join(format!("{}.json", safe(&signature.id)));
            let json = serde_json::to_vec_pretty(&detached)
                .map_err(|e| EvidenceError::malformed("the detached signature", e))?;
            if let Some(folder) = path.parent() {
                std::fs::create_dir_all(folder).map_err(file_error(folder))?;
            }
            std::fs::write(&path, json).map_err(file_error(&path))?;
            record(
                case_file,
                case_id,
                EntryKind::Received,
                &signature.id,
                &path,
            )?;
        }
        checked.push(CheckedSignature {
            signer: key.map(|k| k.name.clone()),
            signature,
            outcome,
        });
    }
    Ok(checked)
}
