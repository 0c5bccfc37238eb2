use serde::{Deserialize, Serialize};

use crate::platform::Platform;

/// The interface language. Chinese is the default: the Rules are Chinese and so are most users.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Language {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

/// Who sits at this computer, chosen on first start. It decides defaults elsewhere: a kiosk
/// keeps nothing after a session, a lawyer sees every client account's cases together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum UseMode {
    Personal,
    Lawyer,
    Kiosk,
}

/// The saved preferences. Every field has a default so a file written by an older version, or
/// missing fields, still loads.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, rename_all = "camelCase")]
pub struct Settings {
    pub language: Language,
    /// `None` until the person has chosen on the start screen.
    pub use_mode: Option<UseMode>,
    /// Large text, big targets, one task per screen.
    pub elder_mode: bool,
    /// Black and white with a contrast ratio of at least 7:1.
    pub high_contrast: bool,
    pub platform: Platform,
}

/// A change to some of the preferences; fields left out stay as they are. The platform is
/// changed through [`crate::PlatformChoice`] because its address must be checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default, rename_all = "camelCase")]
pub struct SettingsPatch {
    #[cfg_attr(feature = "specta", specta(optional))]
    pub language: Option<Language>,
    #[cfg_attr(feature = "specta", specta(optional))]
    pub use_mode: Option<UseMode>,
    #[cfg_attr(feature = "specta", specta(optional))]
    pub elder_mode: Option<bool>,
    #[cfg_attr(feature = "specta", specta(optional))]
    pub high_contrast: Option<bool>,
}

impl Settings {
    pub(crate) fn apply(&mut self, patch: SettingsPatch) {
        let SettingsPatch {
            language,
            use_mode,
            elder_mode,
            high_contrast,
        } = patch;
        if let Some(language) = language {
            self.language = language;
        }
        if use_mode.is_some() {
            self.use_mode = use_mode;
        }
        if let Some(elder_mode) = elder_mode {
            self.elder_mode = elder_mode;
        }
        if let Some(high_contrast) = high_contrast {
            self.high_contrast = high_contrast;
        }
    }
}
