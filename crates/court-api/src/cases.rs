//! Cases, their docket and electronic file (Art. 35), and each party's consent per litigation
//! link (Art. 4-5).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::documents::Document;
use crate::policy::LitigationLink;
use chrono::{DateTime, Utc};

use crate::Id;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    Plaintiff,
    Defendant,
    ThirdParty,
    /// A lawyer or other agent acting for a party.
    Agent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CaseParty {
    pub name: String,
    pub role: PartyRole,
    /// The party's platform account, when it has one.
    pub account_id: Option<Id>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Open,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Case {
    pub id: Id,
    /// The court's case number, e.g. (2026)京0105民初1234号.
    pub case_number: String,
    pub title: String,
    /// A code from the policy's `caseTypes`.
    pub case_type: String,
    pub status: CaseStatus,
    pub parties: Vec<CaseParty>,
    /// The filing this case was opened from, if it was filed online.
    pub filing_id: Option<Id>,
    pub opened_at: DateTime<Utc>,
}

/// One entry of the docket: what happened in the case, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocketEntry {
    pub sequence: u64,
    pub at: DateTime<Utc>,
    pub description: String,
    pub document_id: Option<Id>,
}

/// A document in the case's electronic file and how it got there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CaseDocument {
    pub document: Document,
    /// A code from the policy's `documentTypes`.
    pub document_type: String,
    /// Who put it in the file: `court` or the submitting account's id.
    pub submitted_by: String,
    pub added_at: DateTime<Utc>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMode {
    Online,
    Offline,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConsentRequest {
    pub link: LitigationLink,
    pub mode: ConsentMode,
    /// Why, when choosing offline.
    pub reason: Option<String>,
}

/// One recorded choice. The history is append-only: a change adds a record, none is edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConsentRecord {
    pub sequence: u64,
    pub account_id: Id,
    pub link: LitigationLink,
    pub mode: ConsentMode,
    pub reason: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

/// A party's consents in a case: the current mode per link and the full history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Consents {
    /// The latest choice per link; a link with no record has not been decided.
    pub current: Vec<ConsentRecord>,
    pub history: Vec<ConsentRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OfflineTransferRequest {
    pub links: Vec<LitigationLink>,
    /// Why the party asks to continue offline (Art. 5: e.g. no device, cannot use it).
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OfflineTransferStatus {
    Pending,
    Granted,
    Refused,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OfflineTransfer {
    pub id: Id,
    pub case_id: Id,
    pub account_id: Id,
    pub links: Vec<LitigationLink>,
    pub reason: String,
    pub status: OfflineTransferStatus,
    pub requested_at: DateTime<Utc>,
}
