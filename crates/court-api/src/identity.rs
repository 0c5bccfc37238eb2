//! Real-name identity (Art. 7): registration, SMS codes, face verification, sessions,
//! re-verification and signing keys.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use chrono::{DateTime, Utc};

use crate::Id;

/// The kind of identity document a person or organisation registers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IdType {
    /// 居民身份证 (GB 11643-1999).
    ResidentIdCard,
    /// 港澳台居民居住证 (same structure as the ID card; 81/82/83 prefixes).
    ResidencePermit,
    /// 护照 of the People's Republic of China.
    Passport,
    /// A foreign passport.
    ForeignPassport,
    /// 港澳居民来往内地通行证.
    HkMacaoTravelPermit,
    /// 台湾居民来往大陆通行证.
    TaiwanTravelPermit,
    /// 统一社会信用代码 (GB 32100-2015), for organisations.
    UnifiedSocialCreditCode,
}

/// What an SMS code is for; a code works only for its purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SmsPurpose {
    Register,
    Login,
    Reverify,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SmsCodeRequest {
    /// Mainland mobile number, 11 digits (a +86 prefix is accepted).
    pub mobile: String,
    pub purpose: SmsPurpose,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SmsCodeSent {
    /// The number the code went to, masked.
    pub mobile_masked: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Registration {
    /// The name on the identity document.
    pub name: String,
    pub id_type: IdType,
    pub id_number: String,
    pub mobile: String,
    pub sms_code: String,
}

/// Where an account stands in real-name verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VerificationStatus {
    /// Registered; a face photo is still needed.
    PendingFace,
    /// The platform verified the person.
    Verified,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub id: Id,
    pub name: String,
    pub id_type: IdType,
    /// The identity number with its middle masked; the platform never returns it in full.
    pub id_number_masked: String,
    pub mobile_masked: String,
    pub verification: VerificationStatus,
    pub verified_at: Option<DateTime<Utc>>,
    /// When the person last re-verified (Art. 7(3)); steps that need a recent one check this.
    pub assurance_at: Option<DateTime<Utc>>,
    /// The Ed25519 public key registered for electronic signatures, base64.
    pub signing_public_key: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginRequest {
    pub mobile: String,
    pub sms_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// A login session: a short-lived bearer token and a refresh token that is replaced on each use.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub account: Account,
    pub access_token: String,
    pub access_expires_at: DateTime<Utc>,
    pub refresh_token: String,
    pub refresh_expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for Session {
    // Tokens are credentials: a Debug print (a log line, a panic) must not carry them.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("account", &self.account.id)
            .field("access_token", &"[redacted]")
            .field("access_expires_at", &self.access_expires_at)
            .field("refresh_token", &"[redacted]")
            .field("refresh_expires_at", &self.refresh_expires_at)
            .finish()
    }
}

/// The platform's verdict on a face photo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FaceVerification {
    pub verification: VerificationStatus,
    pub verified_at: Option<DateTime<Utc>>,
    /// What the platform checked, in plain words.
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReverificationRequest {
    /// A code sent with purpose `reverify`.
    pub sms_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Reverification {
    pub assurance_at: DateTime<Utc>,
    /// Until when the assurance satisfies steps that need a recent re-verification.
    pub valid_until: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SigningKeyRegistration {
    /// Ed25519 public key, 32 bytes, standard base64.
    pub public_key: String,
}

/// A message in the simulator's SMS outbox (the simulator writes codes there instead of sending).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OutboxSms {
    pub mobile: String,
    pub purpose: SmsPurpose,
    pub code: String,
    pub sent_at: DateTime<Utc>,
}

/// How long a party served a notice has to complete real-name identity verification
/// (Online Litigation Rules Art. 7 with the notice's period: three days).
pub const IDENTITY_CHECK_DAYS: i64 = 3;

/// Where an identity check the court asked for stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IdentityCheckStatus {
    /// Not done yet; `dueAt` says until when (it stays `due` after that, as missed).
    Due,
    /// The party verified (a face photo, or a re-verification) after the notice.
    Done,
}

/// A real-name identity verification the party owes because the court served them a notice
/// in a case: due within [`IDENTITY_CHECK_DAYS`] of the notice reaching them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IdentityCheck {
    pub id: Id,
    pub case_id: Id,
    /// The served notice (a service id) that set the period.
    pub notice_id: Id,
    pub status: IdentityCheckStatus,
    pub noticed_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
}

/// Simulator clerk: ask a party to verify their identity because of a notice served on them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IdentityCheckRequest {
    /// The service id of the notice, served to the party in this case.
    pub notice_id: Id,
}
