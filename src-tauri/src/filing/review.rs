//! A filing as the list and the detail show it: its review status, the corrections asked for
//! with their due time (and whether it has passed), the court's reasons and the supplements.

use chrono::{DateTime, SecondsFormat, Utc};
use litigant_court_api::filings::{Filing, FilingStatus};
use litigant_court_client::Client;
use serde::Serialize;

use crate::error::CommandError;

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DeficiencyView {
    pub description: String,
    pub document_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SupplementView {
    pub sequence: u32,
    pub note: String,
    pub documents: u32,
    pub submitted_at: String,
}

/// One filing as the list and the detail show it.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FilingView {
    pub id: String,
    /// `received`, `under_review`, `correction_requested`, `accepted` ...
    pub status: String,
    pub title: String,
    pub case_type: String,
    pub claims: Vec<String>,
    pub parties: Vec<String>,
    pub documents: u32,
    pub submitted_at: String,
    pub updated_at: String,
    pub deficiencies: Vec<DeficiencyView>,
    pub correction_due_at: Option<String>,
    /// Corrections were due and the time has passed.
    pub overdue: bool,
    pub decision_reason: Option<String>,
    pub supplements: Vec<SupplementView>,
    pub case_id: Option<String>,
    pub can_supplement: bool,
    pub can_cancel: bool,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl FilingView {
    pub fn of(filing: Filing, now: DateTime<Utc>) -> Self {
        let waiting = filing.status == FilingStatus::CorrectionRequested;
        let overdue = waiting && filing.correction_due_at.is_some_and(|due| due <= now);
        Self {
            id: filing.id,
            status: serde_json::to_value(filing.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            title: filing.draft.title,
            case_type: filing.draft.case_type,
            claims: filing.draft.claims,
            parties: filing.draft.parties.into_iter().map(|p| p.name).collect(),
            documents: count(filing.draft.documents.len()),
            submitted_at: rfc3339(filing.submitted_at),
            updated_at: rfc3339(filing.updated_at),
            deficiencies: filing
                .deficiencies
                .into_iter()
                .map(|d| DeficiencyView {
                    description: d.description,
                    document_id: d.document_id,
                })
                .collect(),
            correction_due_at: filing.correction_due_at.map(rfc3339),
            overdue,
            decision_reason: filing.decision_reason,
            supplements: filing
                .supplements
                .into_iter()
                .map(|s| SupplementView {
                    sequence: u32::try_from(s.sequence).unwrap_or(u32::MAX),
                    note: s.note,
                    documents: count(s.documents.len()),
                    submitted_at: rfc3339(s.submitted_at),
                })
                .collect(),
            case_id: filing.case_id,
            can_supplement: waiting && !overdue,
            can_cancel: !filing.status.is_final(),
        }
    }
}

/// The account's filings, newest first.
pub async fn list(client: &Client) -> Result<Vec<FilingView>, CommandError> {
    let now = Utc::now();
    let mut filings: Vec<FilingView> = client
        .filings()
        .await?
        .into_iter()
        .map(|f| FilingView::of(f, now))
        .collect();
    filings.sort_by(|a, b| b.submitted_at.cmp(&a.submitted_at));
    Ok(filings)
}
