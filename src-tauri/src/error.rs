use std::collections::BTreeMap;

use litigant_settings::SettingsError;
use serde::Serialize;

/// What a failed command sends to the interface: a stable `code` it translates, the English
/// `message` as a fallback, and the `details` (path, address, cause) a translation may quote.
/// Never a debug string.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CommandError {
    pub code: String,
    pub message: String,
    pub details: BTreeMap<String, String>,
}

impl CommandError {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            details: BTreeMap::new(),
        }
    }

    #[must_use]
    pub fn with_detail(mut self, key: &str, value: impl Into<String>) -> Self {
        self.details.insert(key.into(), value.into());
        self
    }

    pub fn not_signed_in() -> Self {
        Self::new("account.not_signed_in", "Log in first.")
    }

    pub fn demo_court_unavailable(cause: &str) -> Self {
        Self::new(
            "account.demo_court_unavailable",
            format!("The demo court is not running: {cause}"),
        )
        .with_detail("cause", cause)
    }

    /// Switching needs the account's session in the keychain; after a logout it is gone.
    pub fn session_not_kept(account_id: &str) -> Self {
        Self::new(
            "accounts.session_not_kept",
            "This account's login is not kept on this computer any more; log in again with a code sent by SMS.",
        )
        .with_detail("account", account_id)
    }

    /// A session restored from the keychain knows the mobile number only masked.
    pub fn mobile_unknown() -> Self {
        Self::new(
            "accounts.mobile_unknown",
            "This login was restored from the keychain, which does not keep the mobile number; enter it on the re-verification screen to get a code.",
        )
    }

    /// A kiosk keeps no account, so there is none to switch to.
    pub fn kiosk_keeps_nothing() -> Self {
        Self::new(
            "accounts.kiosk_keeps_nothing",
            "A kiosk keeps no accounts; log in with a code sent by SMS.",
        )
    }

    /// A shared state was left inconsistent by a panic in another command; the app must be
    /// restarted rather than carry on with it.
    pub fn state_poisoned() -> Self {
        Self {
            code: "app.state_poisoned".into(),
            message: "Litigant hit an internal error and must be restarted; nothing was saved \
                      by the last action."
                .into(),
            details: BTreeMap::new(),
        }
    }
}

impl From<SettingsError> for CommandError {
    fn from(error: SettingsError) -> Self {
        tracing::warn!(code = error.code(), "{error}");
        Self {
            code: error.code().into(),
            message: error.to_string(),
            details: error
                .details()
                .into_iter()
                .map(|(k, v)| (k.into(), v))
                .collect(),
        }
    }
}

impl From<litigant_court_client::ClientError> for CommandError {
    fn from(error: litigant_court_client::ClientError) -> Self {
        tracing::warn!(code = error.code(), "{error}");
        let mut command = Self::new(error.code(), error.to_string());
        if let litigant_court_client::ClientError::Problem(problem) = &error {
            if let Some(detail) = &problem.detail {
                command = command.with_detail("detail", detail.clone());
            }
            if let Some(field) = problem.errors.first() {
                command = command.with_detail("field", field.message.clone());
            }
        }
        command
    }
}
