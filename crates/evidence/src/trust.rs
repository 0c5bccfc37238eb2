//! The anchor keys a reader trusts. Trust is given, not found: a key comes from a key file the
//! person saved (the platform publishes its own at `GET /deposit-log/key`), and the reader's
//! copy, never the proof's, decides which key and which validity window count.

use std::path::Path;

use base64::Engine;
use chrono::{DateTime, Utc};
use ed25519_dalek::VerifyingKey;
use litigant_court_api::deposit::{DepositLogKey, KeyValidity};

use crate::error::EvidenceError;
use crate::hash::sha256_hex;

/// One trusted anchor key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedKey {
    pub log_id: String,
    /// Lowercase hex SHA-256 of the public key's bytes, recomputed here, never taken on faith.
    pub key_id: String,
    pub public_key: VerifyingKey,
    pub validity: KeyValidity,
    /// Who holds the key, in words.
    pub holder: String,
}

/// An Ed25519 public key from standard base64 (as the platform registers and publishes keys);
/// `None` when it is not 32 bytes or not a valid point.
pub fn verifying_key(base64: &str) -> Option<VerifyingKey> {
    base64::engine::general_purpose::STANDARD
        .decode(base64.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
        .and_then(|b| VerifyingKey::from_bytes(&b).ok())
}

impl TrustedKey {
    /// A key as the platform publishes it. Its `keyId` must be the hash of its key.
    pub fn from_published(published: &DepositLogKey) -> Result<Self, EvidenceError> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(published.public_key.trim())
            .map_err(|e| EvidenceError::malformed("the key's publicKey", e))?;
        let bytes = <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| {
            EvidenceError::malformed(
                "the key's publicKey",
                format!("{} bytes, an Ed25519 key has 32", bytes.len()),
            )
        })?;
        let public_key = VerifyingKey::from_bytes(&bytes)
            .map_err(|e| EvidenceError::malformed("the key's publicKey", e))?;
        let key_id = key_id(&public_key);
        if !published.key_id.eq_ignore_ascii_case(&key_id) {
            return Err(EvidenceError::malformed(
                "the key's keyId",
                format!(
                    "it says {}, but the public key's hash is {key_id}",
                    published.key_id
                ),
            ));
        }
        if published.validity.not_after <= published.validity.not_before {
            return Err(EvidenceError::malformed(
                "the key's validity",
                "it ends before it begins",
            ));
        }
        Ok(Self {
            log_id: published.log_id.clone(),
            key_id,
            public_key,
            validity: published.validity,
            holder: published.holder.clone(),
        })
    }

    /// Whether the key may be used at `at`.
    pub fn valid_at(&self, at: DateTime<Utc>) -> bool {
        self.validity.not_before <= at && at <= self.validity.not_after
    }
}

/// The key id the deposit log uses: lowercase hex SHA-256 of the 32 public-key bytes.
pub fn key_id(key: &VerifyingKey) -> String {
    sha256_hex(key.as_bytes())
}

/// The set of trusted anchor keys.
#[derive(Debug, Clone, Default)]
pub struct TrustedKeys {
    keys: Vec<TrustedKey>,
}

impl TrustedKeys {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, key: TrustedKey) {
        self.keys.retain(|k| k.key_id != key.key_id);
        self.keys.push(key);
    }

    #[must_use]
    pub fn with(mut self, key: TrustedKey) -> Self {
        self.add(key);
        self
    }

    /// A key file: one published key (`GET /deposit-log/key`'s answer) or a JSON array of them.
    pub fn load(path: &Path) -> Result<Self, EvidenceError> {
        let bytes = std::fs::read(path).map_err(|source| EvidenceError::File {
            path: path.to_owned(),
            source,
        })?;
        let what = || format!("the key file {}", path.display());
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| EvidenceError::malformed(what(), e))?;
        let published: Vec<DepositLogKey> = if value.is_array() {
            serde_json::from_value(value)
        } else {
            serde_json::from_value(value).map(|key| vec![key])
        }
        .map_err(|e| EvidenceError::malformed(what(), e))?;
        let mut keys = Self::new();
        for key in &published {
            keys.add(TrustedKey::from_published(key)?);
        }
        Ok(keys)
    }

    pub fn get(&self, key_id: &str) -> Option<&TrustedKey> {
        self.keys
            .iter()
            .find(|k| k.key_id.eq_ignore_ascii_case(key_id))
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}
