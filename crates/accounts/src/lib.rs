//! The accounts on this computer (Art. 7, 38): which accounts exist for which platform, kept as
//! a list in the data folder with nothing secret in it, and each account's secrets (the refresh
//! token today; a signing key later) in a [`SecretStore`]: the OS keychain normally, memory
//! only at a court's kiosk, so nothing is left behind when a session ends.

mod assurance;
mod error;
mod kiosk;
mod list;
mod store;

pub use assurance::{Assurance, STEP_MARGIN, assurance_for, needs_recent_assurance};
pub use error::AccountsError;
pub use kiosk::{KioskClock, KioskEnd, KioskSession};
pub use list::{AccountList, SavedAccount};
pub use store::{Keychain, MemoryStore, SecretStore};

use litigant_court_client::{Secret, SessionTokens};

/// What an account's refresh token is filed under: one entry per platform and account.
pub fn refresh_token_key(platform: &str, account_id: &str) -> String {
    format!("refresh-token {platform} {account_id}")
}

/// Keeps a session's refresh token (the platform replaces it on every refresh, so this is
/// called for each new session).
pub fn keep_session(
    store: &dyn SecretStore,
    platform: &str,
    tokens: &SessionTokens,
) -> Result<(), AccountsError> {
    store.set(
        &refresh_token_key(platform, &tokens.account_id),
        &tokens.refresh,
    )
}

/// The kept refresh token of an account, if any.
pub fn kept_refresh_token(
    store: &dyn SecretStore,
    platform: &str,
    account_id: &str,
) -> Result<Option<Secret>, AccountsError> {
    store.get(&refresh_token_key(platform, account_id))
}

/// Removes an account from this computer: its secrets from `store` first (so a failure leaves
/// it listed, and removable again), then its line in the list.
pub fn forget_account(
    store: &dyn SecretStore,
    list: &mut AccountList,
    platform: &str,
    account_id: &str,
) -> Result<(), AccountsError> {
    store.delete(&refresh_token_key(platform, account_id))?;
    list.forget(platform, account_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forgetting_an_account_removes_its_secret_and_its_line_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = MemoryStore::default();
        let mut list = AccountList::open(dir.path()).unwrap();
        for id in ["acc_1", "acc_2"] {
            store
                .set(&refresh_token_key("demo-court", id), &Secret::new(id))
                .unwrap();
            list.remember(SavedAccount {
                platform: "demo-court".into(),
                account_id: id.into(),
                name: "王小明".into(),
                id_number_masked: "1101**********002X".into(),
                last_used: chrono::Utc::now(),
            })
            .unwrap();
        }
        forget_account(&store, &mut list, "demo-court", "acc_1").unwrap();
        assert!(
            kept_refresh_token(&store, "demo-court", "acc_1")
                .unwrap()
                .is_none()
        );
        assert!(
            kept_refresh_token(&store, "demo-court", "acc_2")
                .unwrap()
                .is_some()
        );
        let reopened = AccountList::open(dir.path()).unwrap();
        let ids: Vec<_> = reopened
            .accounts()
            .iter()
            .map(|a| a.account_id.as_str())
            .collect();
        assert_eq!(ids, ["acc_2"]);
    }
}
