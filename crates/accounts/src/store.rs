//! Where secrets live.

use std::collections::HashMap;
use std::sync::Mutex;

use litigant_court_client::Secret;

use crate::error::AccountsError;

/// A place for secrets, by key.
pub trait SecretStore: Send + Sync + std::fmt::Debug {
    fn get(&self, key: &str) -> Result<Option<Secret>, AccountsError>;
    fn set(&self, key: &str, secret: &Secret) -> Result<(), AccountsError>;
    fn delete(&self, key: &str) -> Result<(), AccountsError>;
}

/// The operating system's keychain (Secret Service, macOS Keychain, Windows Credential Manager).
#[derive(Debug, Clone)]
pub struct Keychain {
    service: String,
}

impl Keychain {
    /// Entries are filed under `service` (the app's identifier).
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    fn entry(&self, key: &str) -> Result<keyring::Entry, AccountsError> {
        keyring::Entry::new(&self.service, key).map_err(refused)
    }
}

fn refused(error: keyring::Error) -> AccountsError {
    match error {
        keyring::Error::NoStorageAccess(cause) | keyring::Error::PlatformFailure(cause) => {
            AccountsError::KeychainUnavailable {
                cause: cause.to_string(),
            }
        }
        other => AccountsError::Keychain {
            cause: other.to_string(),
        },
    }
}

impl SecretStore for Keychain {
    fn get(&self, key: &str) -> Result<Option<Secret>, AccountsError> {
        match self.entry(key)?.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(refused(error)),
        }
    }

    fn set(&self, key: &str, secret: &Secret) -> Result<(), AccountsError> {
        self.entry(key)?
            .set_password(secret.expose())
            .map_err(refused)
    }

    fn delete(&self, key: &str) -> Result<(), AccountsError> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(refused(error)),
        }
    }
}

/// Secrets in memory only: a kiosk's session, gone when the process ends or [`Self::wipe`] runs.
#[derive(Debug, Default)]
pub struct MemoryStore {
    secrets: Mutex<HashMap<String, Secret>>,
}

impl MemoryStore {
    /// How many secrets it holds.
    pub fn len(&self) -> usize {
        self.secrets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every secret.
    pub fn wipe(&self) {
        self.secrets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<Secret>, AccountsError> {
        Ok(self
            .secrets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(key)
            .cloned())
    }

    fn set(&self, key: &str, secret: &Secret) -> Result<(), AccountsError> {
        self.secrets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(key.to_owned(), secret.clone());
        Ok(())
    }

    fn delete(&self, key: &str) -> Result<(), AccountsError> {
        self.secrets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(key);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memory_store_keeps_and_wipes() {
        let store = MemoryStore::default();
        store.set("a", &Secret::new("1")).unwrap();
        assert_eq!(
            store
                .get("a")
                .unwrap()
                .map(|s| s.expose().to_owned())
                .as_deref(),
            Some("1")
        );
        store.wipe();
        assert!(store.get("a").unwrap().is_none());
        store.delete("missing").unwrap();
    }
}
