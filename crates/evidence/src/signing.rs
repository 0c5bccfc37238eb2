//! Electronic signatures (Art. 33): one Ed25519 key per account, its private half in a
//! [`SecretStore`] (the OS keychain, or memory at a kiosk), its public half registered with the
//! platform. A signature is detached: it covers the document's SHA-256 with the signer, the
//! time and the purpose, in the exact message `litigant_court_api::signatures::signed_message`
//! builds, so the platform and any other party verify the same bytes.

use std::fmt;

use base64::Engine;
use chrono::{DateTime, SubsecRound, Utc};
use ed25519_dalek::{Signer, Verifier};
use litigant_accounts::SecretStore;
use litigant_court_api::identity::SigningKeyRegistration;
use litigant_court_api::signatures::{SignaturePurpose, SignatureRequest, signed_message};
use litigant_court_client::Secret;
use serde::{Deserialize, Serialize};

use crate::error::EvidenceError;
use crate::trust::key_id;

/// The detached signature format this crate writes and reads.
pub const SIGNATURE_VERSION: u32 = 1;

/// What a signing key is filed under in the secret store: one per platform and account.
pub fn signing_key_entry(platform: &str, account_id: &str) -> String {
    format!("signing-key {platform} {account_id}")
}

/// An account's private signing key. It never prints: `Debug` shows only the public key's id.
pub struct AccountKey(ed25519_dalek::SigningKey);

impl AccountKey {
    /// A new key from the operating system's random source.
    pub fn generate() -> Self {
        // rand's thread generator is a CSPRNG seeded from the OS; 32 random bytes are a key.
        Self(ed25519_dalek::SigningKey::from_bytes(&rand::random()))
    }

    pub fn public_key(&self) -> ed25519_dalek::VerifyingKey {
        self.0.verifying_key()
    }

    /// The public key, standard base64, as the platform registers it.
    pub fn public_key_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.public_key().as_bytes())
    }

    pub fn registration(&self) -> SigningKeyRegistration {
        SigningKeyRegistration {
            public_key: self.public_key_base64(),
        }
    }

    /// Keeps the key in `store` under the account's entry.
    pub fn keep(
        &self,
        store: &dyn SecretStore,
        platform: &str,
        account_id: &str,
    ) -> Result<(), EvidenceError> {
        let secret =
            Secret::new(base64::engine::general_purpose::STANDARD.encode(self.0.to_bytes()));
        store.set(&signing_key_entry(platform, account_id), &secret)?;
        Ok(())
    }

    /// The account's kept key.
    pub fn kept(
        store: &dyn SecretStore,
        platform: &str,
        account_id: &str,
    ) -> Result<Self, EvidenceError> {
        let secret = store
            .get(&signing_key_entry(platform, account_id))?
            .ok_or_else(|| EvidenceError::NoSigningKey {
                platform: platform.to_owned(),
                account_id: account_id.to_owned(),
            })?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(secret.expose())
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
            // The cause is not shown: it would describe the secret's bytes.
            .ok_or_else(|| {
                EvidenceError::malformed("the kept signing key", "it is not 32 bytes in base64")
            })?;
        Ok(Self(ed25519_dalek::SigningKey::from_bytes(&bytes)))
    }

    /// Signs a document's hash for `purpose` as `account_id`. The time is cut to whole seconds,
    /// since the signed message carries seconds only.
    pub fn sign(
        &self,
        document_sha256: &str,
        purpose: SignaturePurpose,
        account_id: &str,
        signed_at: DateTime<Utc>,
    ) -> DetachedSignature {
        let signed_at = signed_at.trunc_subsecs(0);
        let document_sha256 = document_sha256.to_ascii_lowercase();
        let message = signed_message(&document_sha256, purpose, account_id, signed_at);
        let signature = self.0.sign(message.as_bytes());
        DetachedSignature {
            version: SIGNATURE_VERSION,
            algorithm: "ed25519".to_owned(),
            document_sha256,
            purpose,
            account_id: account_id.to_owned(),
            signed_at,
            public_key: self.public_key_base64(),
            signature: base64::engine::general_purpose::STANDARD.encode(signature.to_bytes()),
        }
    }
}

impl fmt::Debug for AccountKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccountKey(public {})", key_id(&self.public_key()))
    }
}

/// A detached signature, as JSON beside the document or in the case file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DetachedSignature {
    pub version: u32,
    /// Always `ed25519`.
    pub algorithm: String,
    pub document_sha256: String,
    pub purpose: SignaturePurpose,
    pub account_id: String,
    pub signed_at: DateTime<Utc>,
    /// The signer's public key, standard base64; a verifier compares it with the key it knows.
    pub public_key: String,
    /// 64 bytes, standard base64, over `signed_message`.
    pub signature: String,
}

impl DetachedSignature {
    /// What the platform's `POST /signatures` takes for this signature.
    pub fn request(&self, document_id: &str) -> SignatureRequest {
        SignatureRequest {
            document_id: document_id.to_owned(),
            purpose: self.purpose,
            signed_at: self.signed_at,
            signature: self.signature.clone(),
        }
    }
}

/// Why another party's signature is not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureFailure {
    UnsupportedFormat {
        version: u32,
        algorithm: String,
    },
    DocumentMismatch {
        document: String,
        signed: String,
    },
    /// The signature names a key other than the one known for the signer.
    KeyMismatch {
        expected: String,
        named: String,
    },
    Unreadable {
        field: &'static str,
    },
    /// The platform holds no signing key for the signer.
    SignerKeyUnknown {
        account_id: String,
    },
    BadSignature,
}

impl SignatureFailure {
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnsupportedFormat { .. } => "evidence.signature.unsupported_format",
            Self::DocumentMismatch { .. } => "evidence.signature.document_mismatch",
            Self::KeyMismatch { .. } => "evidence.signature.key_mismatch",
            Self::Unreadable { .. } => "evidence.signature.unreadable",
            Self::SignerKeyUnknown { .. } => "evidence.signature.signer_key_unknown",
            Self::BadSignature => "evidence.signature.bad_signature",
        }
    }
}

impl fmt::Display for SignatureFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnsupportedFormat { version, algorithm } => write!(
                f,
                "the signature is format {version} with {algorithm}; this Litigant reads format {SIGNATURE_VERSION} with ed25519"
            ),
            Self::DocumentMismatch { document, signed } => write!(
                f,
                "the signature covers the document {signed}, but this document's SHA-256 is {document}"
            ),
            Self::KeyMismatch { expected, named } => write!(
                f,
                "the signature was made with the key {named}, not with the signer's known key {expected}"
            ),
            Self::Unreadable { field } => write!(f, "the signature's {field} cannot be read"),
            Self::SignerKeyUnknown { account_id } => write!(
                f,
                "the platform holds no signing key for {account_id}, so the signature cannot be checked"
            ),
            Self::BadSignature => f.write_str(
                "the signature does not verify: the signer, time, purpose or hash were altered, or another key signed",
            ),
        }
    }
}

/// Verifies another party's signature over the document with SHA-256 `document_sha256`, given
/// the public key known for the signer (from the platform, or exchanged beforehand).
pub fn verify_signature(
    signature: &DetachedSignature,
    document_sha256: &str,
    signer_key: &ed25519_dalek::VerifyingKey,
) -> Result<(), SignatureFailure> {
    if signature.version != SIGNATURE_VERSION || signature.algorithm != "ed25519" {
        return Err(SignatureFailure::UnsupportedFormat {
            version: signature.version,
            algorithm: signature.algorithm.clone(),
        });
    }
    if !signature
        .document_sha256
        .eq_ignore_ascii_case(document_sha256)
    {
        return Err(SignatureFailure::DocumentMismatch {
            document: document_sha256.to_ascii_lowercase(),
            signed: signature.document_sha256.clone(),
        });
    }
    let expected = base64::engine::general_purpose::STANDARD.encode(signer_key.as_bytes());
    if signature.public_key.trim() != expected {
        return Err(SignatureFailure::KeyMismatch {
            expected,
            named: signature.public_key.clone(),
        });
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(signature.signature.trim())
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b.as_slice()).ok())
        .ok_or(SignatureFailure::Unreadable { field: "signature" })?;
    let message = signed_message(
        &signature.document_sha256.to_ascii_lowercase(),
        signature.purpose,
        &signature.account_id,
        signature.signed_at,
    );
    signer_key
        .verify(
            message.as_bytes(),
            &ed25519_dalek::Signature::from_bytes(&bytes),
        )
        .map_err(|_| SignatureFailure::BadSignature)
}

#[cfg(test)]
mod tests {
    use super::*;
    use litigant_accounts::MemoryStore;

    const DOC: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    fn at() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-30T08:00:00.75Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_kept_key_signs_and_never_prints() {
        let store = MemoryStore::default();
        let key = AccountKey::generate();
        key.keep(&store, "https://court.example.cn", "acc_1")
            .unwrap();
        let kept = AccountKey::kept(&store, "https://court.example.cn", "acc_1").unwrap();
        assert_eq!(kept.public_key(), key.public_key());
        let secret = store
            .get(&signing_key_entry("https://court.example.cn", "acc_1"))
            .unwrap()
            .unwrap();
        assert!(!format!("{key:?} {kept:?}").contains(secret.expose()));
        let missing = AccountKey::kept(&store, "https://court.example.cn", "acc_2").unwrap_err();
        assert_eq!(missing.code(), "evidence.no_signing_key");

        let signature = kept.sign(DOC, SignaturePurpose::Transcript, "acc_1", at());
        assert_eq!(signature.signed_at.timestamp_subsec_nanos(), 0);
        verify_signature(&signature, DOC, &key.public_key()).unwrap();
        let json = serde_json::to_string(&signature).unwrap();
        assert!(json.contains("\"documentSha256\"") && json.contains("\"transcript\""));
        let read: DetachedSignature = serde_json::from_str(&json).unwrap();
        verify_signature(&read, DOC, &key.public_key()).unwrap();
    }

    #[test]
    fn each_alteration_is_refused_with_its_reason() {
        let key = AccountKey::generate();
        let other = AccountKey::generate();
        let signature = key.sign(DOC, SignaturePurpose::MediationAgreement, "acc_1", at());
        let public = key.public_key();

        let other_doc = "00".repeat(32);
        assert_eq!(
            verify_signature(&signature, &other_doc, &public)
                .unwrap_err()
                .code(),
            "evidence.signature.document_mismatch"
        );
        assert_eq!(
            verify_signature(&signature, DOC, &other.public_key())
                .unwrap_err()
                .code(),
            "evidence.signature.key_mismatch"
        );
        let mut altered = signature.clone();
        altered.account_id = "acc_2".into();
        assert_eq!(
            verify_signature(&altered, DOC, &public).unwrap_err(),
            SignatureFailure::BadSignature
        );
        let mut altered = signature.clone();
        altered.purpose = SignaturePurpose::ServiceReceipt;
        assert_eq!(
            verify_signature(&altered, DOC, &public).unwrap_err(),
            SignatureFailure::BadSignature
        );
        let mut altered = signature.clone();
        altered.signed_at += chrono::Duration::seconds(1);
        assert_eq!(
            verify_signature(&altered, DOC, &public).unwrap_err(),
            SignatureFailure::BadSignature
        );
        // Another key's signature presented under this key's name.
        let mut forged = other.sign(DOC, SignaturePurpose::MediationAgreement, "acc_1", at());
        forged.public_key = key.public_key_base64();
        assert_eq!(
            verify_signature(&forged, DOC, &public).unwrap_err(),
            SignatureFailure::BadSignature
        );
        let mut unreadable = signature;
        unreadable.signature = "AAAA".into();
        assert_eq!(
            verify_signature(&unreadable, DOC, &public)
                .unwrap_err()
                .code(),
            "evidence.signature.unreadable"
        );
    }
}
