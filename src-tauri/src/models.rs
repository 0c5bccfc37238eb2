use litigant_settings::DataFolderSource;
use serde::{Deserialize, Serialize};

/// What the About screen and the status bar show about this installation.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    /// The operating system family: "linux", "macos" or "windows".
    pub os: String,
    pub data_dir: String,
    /// Why the data folder is there; one set by `LITIGANT_DATA_DIR` cannot be moved in the app.
    pub data_dir_source: DataFolderSource,
    /// Set when the settings file was unreadable at start and was kept under this name.
    pub kept_damaged_settings: Option<String>,
}

/// The account signed in on this window.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountSummary {
    pub account_id: String,
    pub name: String,
    /// As the platform returns it: masked.
    pub id_number_masked: String,
    pub platform: String,
    /// Whether the session is kept in the system keychain (false: memory only).
    pub kept: bool,
    /// Whether the platform has verified the person (face check passed).
    pub verified: bool,
}

/// Where a login code was sent.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SmsCodeNotice {
    pub mobile_masked: String,
}

/// A case in the signed-in account's list.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CaseSummary {
    pub id: String,
    pub case_number: String,
    pub title: String,
    pub open: bool,
}

/// An account kept on this computer, as the account switcher lists it.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SavedAccountView {
    pub platform: String,
    pub account_id: String,
    pub name: String,
    pub id_number_masked: String,
    /// RFC 3339.
    pub last_used: String,
    /// The account signed in on this window.
    pub current: bool,
}

/// What an SMS code is asked for; a code works only for its purpose.
#[derive(Debug, Clone, Copy, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum SmsPurposeChoice {
    Register,
    Login,
    Reverify,
}

impl From<SmsPurposeChoice> for litigant_court_api::identity::SmsPurpose {
    fn from(choice: SmsPurposeChoice) -> Self {
        match choice {
            SmsPurposeChoice::Register => Self::Register,
            SmsPurposeChoice::Login => Self::Login,
            SmsPurposeChoice::Reverify => Self::Reverify,
        }
    }
}

/// What a registration form sends.
#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationForm {
    pub name: String,
    /// One of litigant-id-number's kinds: `resident_id_card`, `passport`, ...
    pub id_kind: String,
    pub id_number: String,
    pub mobile: String,
    pub sms_code: String,
    pub keep: bool,
}

/// A number that passed the local check, as the form shows it.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct IdNumberCheck {
    pub kind: String,
    pub masked: String,
    /// For ID cards and residence permits: the birth date (YYYY-MM-DD) and the region.
    pub birth_date: Option<String>,
    pub region_zh: Option<String>,
    pub region_en: Option<String>,
}

/// The platform's verdict on a face photo.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FaceResult {
    pub verified: bool,
    /// RFC 3339.
    pub verified_at: Option<String>,
    /// What the platform checked, in its own words.
    pub note: String,
}

/// A litigation link, as a screen names the step it is about to start.
#[derive(Debug, Clone, Copy, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum LinkChoice {
    Filing,
    Mediation,
    EvidenceExchange,
    Inquiry,
    Hearing,
    Service,
}

impl From<LinkChoice> for litigant_court_api::policy::LitigationLink {
    fn from(choice: LinkChoice) -> Self {
        match choice {
            LinkChoice::Filing => Self::Filing,
            LinkChoice::Mediation => Self::Mediation,
            LinkChoice::EvidenceExchange => Self::EvidenceExchange,
            LinkChoice::Inquiry => Self::Inquiry,
            LinkChoice::Hearing => Self::Hearing,
            LinkChoice::Service => Self::Service,
        }
    }
}

/// Whether a step may start now or needs a re-verification first.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AssuranceView {
    /// Whether the step needs a recent re-verification at all.
    pub required: bool,
    /// Re-verify before the step.
    pub needed: bool,
    /// When the last re-verification was (RFC 3339).
    pub assurance_at: Option<String>,
    /// Until when it satisfies such steps (RFC 3339).
    pub valid_until: Option<String>,
}

/// Where a kiosk session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum KioskState {
    /// No session running: the start screen.
    None,
    Active,
    /// The session ends in `left_seconds` unless the person acts.
    Warning,
    /// Idle past the timeout: the interface ends the session.
    Expired,
}

/// A kiosk session's clock, for the timer and the idle warning.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct KioskClockView {
    pub state: KioskState,
    pub elapsed_seconds: u32,
    /// Until the idle timeout ends the session.
    pub left_seconds: u32,
}

/// What ending a kiosk session removed.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct KioskEndView {
    pub files_removed: u32,
    pub bytes_removed: f64,
    pub secrets_forgotten: u32,
}
/// An asynchronous hearing in a case's list.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct HearingSummary {
    pub id: String,
    pub case_id: String,
    pub title: String,
    /// RFC 3339; the whole submission must reach the court before it.
    pub deadline: String,
    /// `open`, `submitted` or `closed` (the deadline passed).
    pub status: String,
    pub steps: u32,
    /// Steps the platform has a recording of.
    pub filed: u32,
}

/// A camera the hearing room can record from.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DeviceChoice {
    /// What to pass back as `source`.
    pub value: String,
    pub label: String,
    /// The test pattern and tone (offered with the demo court only).
    pub test: bool,
}

/// One finding of the pre-hearing check, for the interface to word in the person's language.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CheckFindingView {
    /// `camera`, `microphone`, `light`, `noise`, `disk` or `upload`.
    pub item: String,
    /// `ok`, `not_checked`, `warning` or `problem`.
    pub verdict: String,
    /// What was found (`light.dark`); the interface's text is `hearing.check.<key>`.
    pub key: String,
    /// The figures and names the text quotes.
    pub values: std::collections::BTreeMap<String, String>,
    /// Whether there is something to do about it (`hearing.fix.<key>`).
    pub has_fix: bool,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CheckReport {
    pub findings: Vec<CheckFindingView>,
    /// False when a finding would spoil the recording.
    pub can_record: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    Todo,
    Recording,
    /// Recorded here, waiting for the party to confirm or record again.
    Recorded,
    /// Cut off by a crash and recovered up to its last whole segment: continue or record again.
    Interrupted,
    /// Confirmed; queued to send.
    Confirmed,
    Sending,
    /// The platform cannot be reached; sending resumes by itself.
    Waiting,
    /// The platform has it; the local copy is gone.
    Filed,
    Refused,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StepView {
    pub index: u32,
    pub prompt: String,
    pub max_seconds: u32,
    pub state: StepState,
    pub recorded_ms: Option<u32>,
    /// Bytes the platform has of this step's files, of all of them (while sending).
    #[specta(type = f64)]
    pub sent: u64,
    #[specta(type = f64)]
    pub total: u64,
    /// Why sending waits or was refused.
    pub problem: Option<String>,
}

/// The open hearing as the room shows it.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RoomView {
    pub hearing: HearingSummary,
    pub steps: Vec<StepView>,
    /// The first step neither filed nor confirmed.
    pub next_step: Option<u32>,
    /// The step being recorded now.
    pub recording: Option<u32>,
}

/// The newest preview frame and sound level while recording.
#[derive(Debug, Clone, Default, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LivePreview {
    pub width: u32,
    pub height: u32,
    /// Packed RGB, `width * 3` bytes a row, base64.
    pub rgb_base64: String,
    /// Loudness over the last tenth of a second, dB full scale.
    pub level_db: Option<f64>,
    /// Frames received so far (the interface redraws when it changes).
    pub frames: u32,
    pub segments: u32,
}

/// How long the last identity check (Art. 7(3)) lasts for steps that need a recent one.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Assurance {
    /// RFC 3339; `None` when there is no check that still counts.
    pub valid_until: Option<String>,
}

/// An exchange window of a case.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ExchangeWindowView {
    pub id: String,
    /// Both parties at once, on video; otherwise each within the window.
    pub synchronous: bool,
    pub opens_at: String,
    pub closes_at: String,
    pub open: bool,
}

/// One aspect of a cross-examination opinion: authenticity, legality or relevance.
#[derive(Debug, Clone, Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AspectView {
    /// `authenticity`, `legality` or `relevance`.
    pub aspect: String,
    pub admit: bool,
    /// Needed when disputing.
    pub reason: String,
}

/// One check of a deposit proof.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProofCheckView {
    /// `Format`, `FileHash`, `AuditPath`, `SignedRoot`, `AnchorKey`, `Signature`,
    /// `KeyValidity` or `Timestamp`.
    pub kind: String,
    /// `passed`, `failed` or `skipped`.
    pub outcome: String,
    /// What was found, or why it failed (technical, English).
    pub detail: String,
    /// The failure's stable code, for the interface's wording.
    pub code: Option<String>,
}

/// A deposit proof's verification, as the exchange screen shows it.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProofView {
    /// `verified` (every check passed), `partial` (none failed, some not made), `failed`,
    /// `none` (the item has no proof) or `unchecked` (the file is not here yet).
    pub state: String,
    pub checks: Vec<ProofCheckView>,
    /// What the proof does not show, in words.
    pub not_checked: Vec<String>,
}

/// An item of the other side's evidence.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ExchangeItem {
    pub id: String,
    pub name: String,
    pub source: String,
    pub purpose: String,
    pub page_range: Option<String>,
    pub submitted_at: String,
    pub sha256: String,
    /// The local copy's hash equals the platform's.
    pub intact: bool,
    pub proof: ProofView,
    /// This party's draft opinion, kept on this computer until submitted.
    pub draft: Option<Vec<AspectView>>,
    /// This party's submitted opinion.
    pub submitted: Option<Vec<AspectView>>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ExchangeView {
    pub case_id: String,
    pub windows: Vec<ExchangeWindowView>,
    pub items: Vec<ExchangeItem>,
}

/// A served document's receipt, signed electronically and verified by the platform.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReceiptSignature {
    pub service_id: String,
    pub signature_id: String,
    pub signed_at: String,
    /// The SHA-256 the signature covers: the served document's.
    pub document_sha256: String,
    /// The signing key's id (a short hash of its public key).
    pub key_id: String,
}
