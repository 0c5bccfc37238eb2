//! The accounts on this computer (Art. 7, 38): which accounts exist for which platform, kept as
//! a list in the data folder with nothing secret in it, and each account's secrets (the refresh
//! token today; a signing key later) in a [`SecretStore`]: the OS keychain normally, memory
//! only at a court's kiosk, so nothing is left behind when a session ends.

mod error;
mod kiosk;
mod list;
mod store;

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
