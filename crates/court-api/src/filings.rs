//! Online filing (立案, Art. 9): a draft is checked, submitted once, reviewed by the court, and
//! corrected by supplements.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::cases::PartyRole;
use crate::identity::IdType;
use chrono::{DateTime, Utc};

use crate::{FieldProblem, Id};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FilingParty {
    pub role: PartyRole,
    pub name: String,
    pub id_type: Option<IdType>,
    /// Checked against its standard when given; returned masked.
    pub id_number: Option<String>,
    pub address: Option<String>,
    pub mobile: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FilingDocument {
    pub document_id: Id,
    /// A code from the policy's `documentTypes` (complaint, evidence, identity, power of
    /// attorney ...).
    pub document_type: String,
}

/// What a party files: a structured complaint and its documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FilingDraft {
    /// A code from the policy's `caseTypes`.
    pub case_type: String,
    pub title: String,
    pub parties: Vec<FilingParty>,
    /// 诉讼请求, one per entry.
    pub claims: Vec<String>,
    /// 事实与理由.
    pub facts_and_reasons: String,
    pub documents: Vec<FilingDocument>,
}

/// The result of checking a draft without submitting it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FilingCheck {
    /// True when the draft would be received as it is.
    pub acceptable: bool,
    /// Every problem found, each pointing at its field.
    pub problems: Vec<FieldProblem>,
    pub total_bytes: u64,
}

/// Review statuses, after ECF 5's filing review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FilingStatus {
    Received,
    UnderReview,
    CorrectionRequested,
    Accepted,
    PartiallyAccepted,
    Rejected,
    Cancelled,
}

impl FilingStatus {
    /// No further review or change happens from a final status.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Accepted | Self::PartiallyAccepted | Self::Rejected | Self::Cancelled
        )
    }
}

/// What the court says is missing or wrong, with when it must be fixed by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Deficiency {
    pub description: String,
    /// The document it concerns, if one.
    pub document_id: Option<Id>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Supplement {
    pub sequence: u64,
    pub note: String,
    pub documents: Vec<FilingDocument>,
    pub submitted_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Filing {
    pub id: Id,
    pub account_id: Id,
    pub status: FilingStatus,
    pub draft: FilingDraft,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set while the status is `correction_requested`.
    pub deficiencies: Vec<Deficiency>,
    pub correction_due_at: Option<DateTime<Utc>>,
    /// The court's reasons for a rejection or partial acceptance.
    pub decision_reason: Option<String>,
    pub supplements: Vec<Supplement>,
    /// The case opened when the filing was accepted.
    pub case_id: Option<Id>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SupplementRequest {
    pub note: String,
    pub documents: Vec<FilingDocument>,
}
