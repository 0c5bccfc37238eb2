//! Consent to online handling, per case and per litigation link (Art. 4–5): what the party
//! chose for each link, the full history, and a request to continue offline with reasons.
//!
//! What must hold: no choice is presumed from another (a link with no record shows as
//! undecided); a request to go offline without a reason is refused here, before anything is
//! sent, with words that say what to add.

use chrono::SecondsFormat;
use litigant_court_api::cases::{
    ConsentMode, ConsentRecord, ConsentRequest, Consents, OfflineTransfer, OfflineTransferRequest,
    OfflineTransferStatus,
};
use litigant_court_api::policy::LitigationLink;
use litigant_court_client::Client;
use serde::Serialize;

use crate::error::CommandError;

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ConsentEntry {
    pub sequence: u32,
    pub link: LitigationLink,
    pub mode: ConsentMode,
    pub reason: Option<String>,
    pub recorded_at: String,
}

/// The current choice per link, every link listed; `mode` is `None` where nothing was chosen.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LinkConsent {
    pub link: LitigationLink,
    pub mode: Option<ConsentMode>,
    pub recorded_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CaseConsents {
    pub case_id: String,
    pub links: Vec<LinkConsent>,
    /// Oldest first, as recorded; nothing in it is ever edited.
    pub history: Vec<ConsentEntry>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OfflineRequest {
    pub id: String,
    pub links: Vec<LitigationLink>,
    pub reason: String,
    /// `pending`, `granted` or `refused`.
    pub status: String,
    pub requested_at: String,
}

fn entry(record: ConsentRecord) -> ConsentEntry {
    ConsentEntry {
        sequence: u32::try_from(record.sequence).unwrap_or(u32::MAX),
        link: record.link,
        mode: record.mode,
        reason: record.reason,
        recorded_at: record
            .recorded_at
            .to_rfc3339_opts(SecondsFormat::Secs, true),
    }
}

fn view(case_id: &str, consents: Consents) -> CaseConsents {
    let current: Vec<ConsentEntry> = consents.current.into_iter().map(entry).collect();
    let links = LitigationLink::ALL
        .iter()
        .map(|&link| {
            let chosen = current.iter().find(|c| c.link == link);
            LinkConsent {
                link,
                mode: chosen.map(|c| c.mode),
                recorded_at: chosen.map(|c| c.recorded_at.clone()),
            }
        })
        .collect();
    CaseConsents {
        case_id: case_id.to_owned(),
        links,
        history: consents.history.into_iter().map(entry).collect(),
    }
}

fn reason_required() -> CommandError {
    CommandError::new(
        "consent.reason_required",
        "Say why you cannot continue online; the court decides on the reasons.",
    )
}

pub async fn consents(client: &Client, case_id: &str) -> Result<CaseConsents, CommandError> {
    Ok(view(case_id, client.consents(case_id).await?))
}

/// Records one choice for one link; the history grows by one record.
pub async fn record(
    client: &Client,
    case_id: &str,
    link: LitigationLink,
    mode: ConsentMode,
    reason: Option<String>,
) -> Result<CaseConsents, CommandError> {
    let reason = reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    let request = ConsentRequest { link, mode, reason };
    Ok(view(
        case_id,
        client.record_consent(case_id, &request).await?,
    ))
}

/// Asks the court to continue `links` offline; `reason` must say why (Art. 5).
pub async fn request_offline(
    client: &Client,
    case_id: &str,
    links: Vec<LitigationLink>,
    reason: &str,
) -> Result<OfflineRequest, CommandError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(reason_required());
    }
    if links.is_empty() {
        return Err(CommandError::new(
            "consent.links_required",
            "Choose at least one step to continue offline.",
        ));
    }
    let request = OfflineTransferRequest {
        links,
        reason: reason.to_owned(),
    };
    let transfer: OfflineTransfer = client.request_offline(case_id, &request).await?;
    Ok(OfflineRequest {
        id: transfer.id,
        links: transfer.links,
        reason: transfer.reason,
        status: match transfer.status {
            OfflineTransferStatus::Pending => "pending",
            OfflineTransferStatus::Granted => "granted",
            OfflineTransferStatus::Refused => "refused",
        }
        .to_owned(),
        requested_at: transfer
            .requested_at
            .to_rfc3339_opts(SecondsFormat::Secs, true),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_without_a_record_is_undecided_not_presumed() {
        let consents = Consents {
            current: vec![ConsentRecord {
                sequence: 1,
                account_id: "acc".into(),
                link: LitigationLink::Filing,
                mode: ConsentMode::Online,
                reason: None,
                recorded_at: chrono::Utc::now(),
            }],
            history: Vec::new(),
        };
        let shown = view("case", consents);
        assert_eq!(shown.links.len(), 6);
        assert_eq!(shown.links[0].mode, Some(ConsentMode::Online));
        assert!(shown.links[1..].iter().all(|l| l.mode.is_none()));
    }
}
