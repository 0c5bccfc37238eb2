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
