//! The cases dashboard of the signed-in account: its cases with their status, and one list of
//! deadlines across them, soonest (and overdue) first.
//!
//! Deadlines come from two places, because neither is complete on its own: the case resources
//! (corrections due on a filing, evidence exchange windows, hearing upload deadlines, identity
//! verifications a notice asked for) say what
//! is due now, and the event feed's deadlines (kept by court-client in the outbox database)
//! cover what the resources do not list, such as notices the court sent with a period. Where
//! both name the same subject, the resource wins: it is the platform's current word.

use std::collections::BTreeSet;

use chrono::{DateTime, SecondsFormat, Utc};
use litigant_court_api::cases::{Case, CaseStatus};
use litigant_court_api::events::EventKind;
use litigant_court_api::filings::FilingStatus;
use litigant_court_api::hearings::HearingStatus;
use litigant_court_api::identity::IdentityCheckStatus;
use litigant_court_client::{Client, Deadline, Outbox};
use serde::Serialize;

use crate::error::CommandError;

/// The outbox database in the data folder: the same file the command line uses, so the feed's
/// cursor is shared and no event is shown twice.
pub const OUTBOX_FILE: &str = "outbox.db";

/// How long a passed deadline stays on the list as missed.
const MISSED_KEPT_DAYS: i64 = 7;

/// What a deadline is for; the interface words each kind in the person's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// Corrections to a filing the court asked for (Art. 10).
    Correction,
    /// An evidence exchange window closes (Art. 14).
    EvidenceWindow,
    /// Everything of an asynchronous hearing must be uploaded (Art. 20).
    HearingUpload,
    /// A period a court notice set, known only from the event feed.
    Notice,
    /// Real-name identity verification a served notice asked for, due within three days of it
    /// (Art. 7); re-verifying (or the face photo) settles it.
    IdentityVerification,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DeadlineItem {
    pub kind: DeadlineKind,
    pub case_id: Option<String>,
    pub case_number: Option<String>,
    /// The filing, window, hearing or notice the deadline is about.
    pub subject_id: String,
    /// The platform's words for it (a title, a summary); empty when the kind says it all.
    pub subject: String,
    /// RFC 3339, UTC.
    pub due_at: String,
    /// Already past: shown as overdue, not hidden.
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DashboardCase {
    pub id: String,
    pub case_number: String,
    pub title: String,
    pub open: bool,
    /// How many of the deadlines below are this case's.
    pub deadlines: u32,
}

/// One account's dashboard. Kept per account, so the dashboards of several accounts can be
/// put side by side.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    pub account_id: String,
    pub cases: Vec<DashboardCase>,
    pub deadlines: Vec<DeadlineItem>,
}

/// A deadline before it is ordered and worded for the interface.
struct Due {
    kind: DeadlineKind,
    case_id: Option<String>,
    subject_id: String,
    subject: String,
    at: DateTime<Utc>,
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Collects the dashboard from the platform and the feed's deadlines kept in `outbox`.
pub async fn dashboard(
    client: &Client,
    outbox: &Outbox,
    account_id: &str,
    now: DateTime<Utc>,
) -> Result<Dashboard, CommandError> {
    let cases = client.cases().await?;
    let mut due: Vec<Due> = Vec::new();
    // Every subject the resources name, due or not: a feed deadline about one of them is
    // superseded (a hearing submitted, corrections made), not a deadline of its own.
    let mut known: BTreeSet<String> = BTreeSet::new();
    for filing in client.filings().await? {
        known.insert(filing.id.clone());
        if filing.status == FilingStatus::CorrectionRequested
            && let Some(at) = filing.correction_due_at
        {
            due.push(Due {
                kind: DeadlineKind::Correction,
                case_id: filing.case_id.clone(),
                subject_id: filing.id.clone(),
                subject: filing.draft.title.clone(),
                at,
            });
        }
    }
    for case in cases.iter().filter(|c| c.status == CaseStatus::Open) {
        for window in client.exchanges(&case.id).await? {
            known.insert(window.id.clone());
            due.push(Due {
                kind: DeadlineKind::EvidenceWindow,
                case_id: Some(case.id.clone()),
                subject_id: window.id,
                subject: String::new(),
                at: window.closes_at,
            });
        }
        for hearing in client.hearings(&case.id).await? {
            known.insert(hearing.id.clone());
            if hearing.status == HearingStatus::Open {
                due.push(Due {
                    kind: DeadlineKind::HearingUpload,
                    case_id: Some(case.id.clone()),
                    subject_id: hearing.id,
                    subject: hearing.title,
                    at: hearing.deadline,
                });
            }
        }
    }
    for check in client.identity_checks().await? {
        known.insert(check.id.clone());
        if check.status == IdentityCheckStatus::Due {
            due.push(Due {
                kind: DeadlineKind::IdentityVerification,
                case_id: Some(check.case_id),
                subject_id: check.id,
                subject: String::new(),
                at: check.due_at,
            });
        }
    }
    let feed = outbox.deadlines(account_id)?;
    Ok(assemble(account_id, &cases, due, &known, feed, now))
}

/// Puts the deadlines from the resources and the feed in one list, soonest first. A deadline
/// that passed a while ago is history and left out (corrections, hearing uploads and identity
/// verifications excepted: those the platform still lists are still owed); one that passed within the week stays,
/// marked overdue, so a missed one is seen.
fn assemble(
    account_id: &str,
    cases: &[Case],
    mut due: Vec<Due>,
    known: &BTreeSet<String>,
    feed: Vec<Deadline>,
    now: DateTime<Utc>,
) -> Dashboard {
    let history = now - chrono::Duration::days(MISSED_KEPT_DAYS);
    due.extend(
        feed.into_iter()
            .filter(|f| !known.contains(&f.subject_id))
            .map(from_feed),
    );
    due.retain(|d| {
        d.at > history
            || matches!(
                d.kind,
                DeadlineKind::Correction
                    | DeadlineKind::HearingUpload
                    | DeadlineKind::IdentityVerification
            )
    });
    due.sort_by(|a, b| {
        a.at.cmp(&b.at)
            .then_with(|| a.subject_id.cmp(&b.subject_id))
    });
    let case_number = |id: &Option<String>| {
        id.as_ref().and_then(|id| {
            cases
                .iter()
                .find(|c| &c.id == id)
                .map(|c| c.case_number.clone())
        })
    };
    let deadlines: Vec<DeadlineItem> = due
        .into_iter()
        .map(|d| DeadlineItem {
            kind: d.kind,
            case_number: case_number(&d.case_id),
            case_id: d.case_id,
            subject_id: d.subject_id,
            subject: d.subject,
            due_at: rfc3339(d.at),
            overdue: d.at <= now,
        })
        .collect();
    let cases = cases
        .iter()
        .map(|case| DashboardCase {
            id: case.id.clone(),
            case_number: case.case_number.clone(),
            title: case.title.clone(),
            open: case.status == CaseStatus::Open,
            deadlines: u32::try_from(
                deadlines
                    .iter()
                    .filter(|d| d.case_id.as_deref() == Some(case.id.as_str()))
                    .count(),
            )
            .unwrap_or(u32::MAX),
        })
        .collect();
    Dashboard {
        account_id: account_id.to_owned(),
        cases,
        deadlines,
    }
}

fn from_feed(feed: Deadline) -> Due {
    let kind = match feed.kind {
        EventKind::CorrectionRequested => DeadlineKind::Correction,
        EventKind::ExchangeOpened => DeadlineKind::EvidenceWindow,
        EventKind::HearingOpened => DeadlineKind::HearingUpload,
        EventKind::FilingReviewed | EventKind::DocumentServed | EventKind::DeadlineNear => {
            DeadlineKind::Notice
        }
    };
    Due {
        kind,
        case_id: feed.case_id,
        subject_id: feed.subject_id,
        subject: feed.summary,
        at: feed.due_at,
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    fn case(id: &str) -> Case {
        Case {
            id: id.into(),
            case_number: format!("(2026){id}"),
            title: "t".into(),
            case_type: "civil_first_instance".into(),
            status: CaseStatus::Open,
            parties: Vec::new(),
            filing_id: None,
            opened_at: Utc::now(),
        }
    }

    fn due(kind: DeadlineKind, subject: &str, at: DateTime<Utc>) -> Due {
        Due {
            kind,
            case_id: Some("c1".into()),
            subject_id: subject.into(),
            subject: String::new(),
            at,
        }
    }

    fn feed(kind: EventKind, subject: &str, at: DateTime<Utc>) -> Deadline {
        Deadline {
            subject_id: subject.into(),
            kind,
            case_id: Some("c1".into()),
            summary: "s".into(),
            due_at: at,
        }
    }

    #[test]
    fn one_list_soonest_first_the_resources_winning_over_the_feed() {
        let now = Utc::now();
        let resources = vec![
            due(
                DeadlineKind::EvidenceWindow,
                "window",
                now + Duration::days(6),
            ),
            due(
                DeadlineKind::HearingUpload,
                "hearing",
                now + Duration::days(3),
            ),
        ];
        let known = ["window", "hearing", "submitted"].map(String::from).into();
        let from_feed = vec![
            // The feed said the window closes sooner; the platform's current word wins.
            feed(EventKind::DeadlineNear, "window", now + Duration::days(1)),
            // A hearing already submitted: the resources know it, nothing is due.
            feed(
                EventKind::HearingOpened,
                "submitted",
                now + Duration::days(2),
            ),
            // A notice only the feed knows.
            feed(EventKind::DeadlineNear, "notice", now + Duration::days(4)),
        ];
        let board = assemble("acc", &[case("c1")], resources, &known, from_feed, now);
        let order: Vec<(&str, DeadlineKind)> = board
            .deadlines
            .iter()
            .map(|d| (d.subject_id.as_str(), d.kind))
            .collect();
        assert_eq!(
            order,
            [
                ("hearing", DeadlineKind::HearingUpload),
                ("notice", DeadlineKind::Notice),
                ("window", DeadlineKind::EvidenceWindow),
            ]
        );
        assert_eq!(board.cases[0].deadlines, 3);
        assert_eq!(board.deadlines[0].case_number.as_deref(), Some("(2026)c1"));
    }

    #[test]
    fn a_missed_deadline_is_overdue_for_a_week_and_owed_work_until_done() {
        let now = Utc::now();
        let resources = vec![
            due(
                DeadlineKind::EvidenceWindow,
                "closed-long-ago",
                now - Duration::days(30),
            ),
            due(
                DeadlineKind::EvidenceWindow,
                "closed-today",
                now - Duration::hours(2),
            ),
            due(
                DeadlineKind::Correction,
                "corrections-late",
                now - Duration::days(30),
            ),
            due(
                DeadlineKind::IdentityVerification,
                "identity-late",
                now - Duration::days(20),
            ),
        ];
        let board = assemble("acc", &[], resources, &BTreeSet::new(), Vec::new(), now);
        let shown: Vec<(&str, bool)> = board
            .deadlines
            .iter()
            .map(|d| (d.subject_id.as_str(), d.overdue))
            .collect();
        assert_eq!(
            shown,
            [
                ("corrections-late", true),
                ("identity-late", true),
                ("closed-today", true)
            ]
        );
        assert_eq!(board.deadlines[0].case_number, None, "no such case listed");
    }
}
