//! Electronic signatures (Art. 33): a party signs a transcript, mediation agreement or service
//! receipt with the Ed25519 key registered to the account, and the platform verifies it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use chrono::{DateTime, Utc};

use crate::Id;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SignaturePurpose {
    Transcript,
    MediationAgreement,
    ServiceReceipt,
}

impl SignaturePurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Transcript => "transcript",
            Self::MediationAgreement => "mediation_agreement",
            Self::ServiceReceipt => "service_receipt",
        }
    }
}

/// The exact bytes a signature covers. Signer and platform must build them the same way, so
/// the format is fixed: five lines joined by `\n`, no trailing newline:
/// `litigant-signature-v1`, the document's SHA-256 in lowercase hex, the purpose, the signing
/// account's id, and the signing time in RFC 3339 with seconds and `Z`.
pub fn signed_message(
    document_sha256: &str,
    purpose: SignaturePurpose,
    account_id: &str,
    signed_at: DateTime<Utc>,
) -> String {
    format!(
        "litigant-signature-v1\n{document_sha256}\n{}\n{account_id}\n{}",
        purpose.as_str(),
        signed_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    )
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignatureRequest {
    pub document_id: Id,
    pub purpose: SignaturePurpose,
    /// When the signer signed; must be within five minutes of the platform's clock.
    pub signed_at: DateTime<Utc>,
    /// Ed25519 signature over [`signed_message`], 64 bytes, standard base64.
    pub signature: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Signature {
    pub id: Id,
    pub document_id: Id,
    pub document_sha256: String,
    pub account_id: Id,
    pub purpose: SignaturePurpose,
    pub signed_at: DateTime<Utc>,
    pub signature: String,
    pub verified_at: DateTime<Utc>,
}

/// A case party's registered signing key: what the other parties check its signatures with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartySigningKey {
    pub account_id: Id,
    pub name: String,
    /// Ed25519 public key, 32 bytes, standard base64.
    pub public_key: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_message_has_a_fixed_layout() {
        let at = DateTime::parse_from_rfc3339("2026-11-30T08:00:00.123+08:00")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            signed_message("ab12", SignaturePurpose::ServiceReceipt, "acc_1", at),
            "litigant-signature-v1\nab12\nservice_receipt\nacc_1\n2026-11-30T00:00:00Z"
        );
    }
}
