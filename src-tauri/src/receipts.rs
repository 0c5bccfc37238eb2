//! Signing a served document's receipt electronically (Art. 33): the account's Ed25519 key is
//! taken from where the session keeps its secrets (the system keychain, or memory for a session
//! that keeps nothing), made and registered with the platform the first time; the served
//! document is downloaded into the working folder (its digest checked on the way), signed by
//! litigant-evidence over its hash, verified by the platform, and recorded in the case file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use litigant_accounts::{Keychain, MemoryStore, SecretStore};
use litigant_court_api::service::ServedDocument;
use litigant_court_api::signatures::SignaturePurpose;
use litigant_court_client::Client;
use litigant_evidence::{
    AccountKey, CaseFile, EvidenceError, Signer, ToSign, served_path, sign_document,
};

use crate::error::CommandError;
use crate::models::ReceiptSignature;
use crate::signed_in::KEYCHAIN_SERVICE;

/// The signed-in session as signing needs it.
#[derive(Debug)]
pub struct SigningSession {
    pub client: Client,
    pub account_id: String,
    /// What the account's secrets are filed under (the platform's address, or `demo-court`).
    pub platform: String,
    /// The session's own store when it keeps nothing; the system keychain otherwise.
    pub memory: Option<Arc<MemoryStore>>,
}

/// Runs `work` against the session's secret store, off the async threads (a keychain can be
/// slow to answer).
async fn with_store<T: Send + 'static>(
    memory: Option<Arc<MemoryStore>>,
    work: impl FnOnce(&dyn SecretStore) -> Result<T, EvidenceError> + Send + 'static,
) -> Result<T, CommandError> {
    tokio::task::spawn_blocking(move || match memory {
        Some(memory) => work(memory.as_ref()),
        None => work(&Keychain::new(KEYCHAIN_SERVICE)),
    })
    .await
    .map_err(|_| CommandError::state_poisoned())?
    .map_err(CommandError::from)
}

/// The account's signing key; made, kept and registered on first use, and registered again
/// when the platform holds another one (a key replaced on another machine).
async fn account_key(session: &SigningSession) -> Result<AccountKey, CommandError> {
    let (platform, account) = (session.platform.clone(), session.account_id.clone());
    let key = with_store(session.memory.clone(), move |store| match AccountKey::kept(
        store, &platform, &account,
    ) {
        Ok(key) => Ok(key),
        Err(EvidenceError::NoSigningKey { .. }) => {
            let key = AccountKey::generate();
            key.keep(store, &platform, &account)?;
            Ok(key)
        }
        Err(other) => Err(other),
    })
    .await?;
    let registered = session.client.me().await?.signing_public_key;
    if registered.as_deref() != Some(key.public_key_base64().as_str()) {
        session
            .client
            .register_signing_key(&key.registration())
            .await?;
    }
    Ok(key)
}

/// Downloads the served document where litigant-evidence keeps served copies, in the working
/// folder.
async fn local_copy(
    client: &Client,
    folder: &Path,
    served: &ServedDocument,
) -> Result<PathBuf, CommandError> {
    let bytes = client.document_content(&served.document.id).await?;
    let path = served_path(folder, served);
    let written = path.clone();
    tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        if let Some(parent) = written.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let partial = written.with_extension("part");
        std::fs::write(&partial, bytes)?;
        std::fs::rename(&partial, &written)
    })
    .await
    .map_err(|_| CommandError::state_poisoned())?
    .map_err(|e| {
        CommandError::new("receipt.write", format!("{}: {e}", path.display()))
            .with_detail("path", path.display().to_string())
    })?;
    Ok(path)
}

/// Signs the receipt of the served document `service_id`.
pub async fn sign_receipt(
    session: &SigningSession,
    folder: &Path,
    service_id: &str,
) -> Result<ReceiptSignature, CommandError> {
    let served = session
        .client
        .inbox()
        .await?
        .into_iter()
        .find(|s| s.id == service_id)
        .ok_or_else(|| {
            CommandError::new("receipt.not_served", "That document was not served on you.")
        })?;
    let key = account_key(session).await?;
    let path = local_copy(&session.client, folder, &served).await?;
    let mut case_file = CaseFile::open(folder)?;
    let signed = sign_document(
        &session.client,
        &mut case_file,
        folder,
        &served.case_id,
        Signer {
            key: &key,
            account_id: &session.account_id,
        },
        ToSign {
            document_id: &served.document.id,
            document: &path,
            purpose: SignaturePurpose::ServiceReceipt,
        },
    )
    .await?;
    Ok(ReceiptSignature {
        service_id: served.id,
        signature_id: signed.signature.id,
        signed_at: signed.signature.signed_at.to_rfc3339(),
        document_sha256: signed.signature.document_sha256,
        key_id: litigant_evidence::key_id(&key.public_key()),
    })
}
