//! The cases dashboard of every account kept on this computer, in one view: a lawyer with
//! several client accounts (or a family sharing a computer) sees every case and one list of
//! deadlines, the most urgent first, without switching back and forth.
//!
//! What must hold: an account whose session cannot be restored (its refresh token expired or
//! revoked, the keychain locked, the platform unreachable) is listed with its problem and
//! hides nothing of the others; nothing here makes another account the signed-in one; an
//! account is shown by name and masked number only.

use std::path::Path;

use chrono::{DateTime, Utc};
use litigant_court_client::Outbox;
use serde::Serialize;

use crate::cases::{Dashboard, DashboardCase, DeadlineItem, dashboard};
use crate::demo_court::DemoCourt;
use crate::error::CommandError;
use crate::signed_in::SignedIn;
use crate::state::AppState;

/// An account as the combined dashboard names it, with what went wrong when its cases could
/// not be fetched.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountBoard {
    pub account_id: String,
    pub name: String,
    pub id_number_masked: String,
    /// The account signed in on this window; acting on another's case switches to it first.
    pub current: bool,
    /// How many cases of it are listed (0 when there is a problem).
    pub cases: u32,
    /// Why its cases are not shown; `None` when they are.
    pub problem: Option<AccountProblem>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountProblem {
    /// The session is gone (expired, revoked, logged out elsewhere): only logging in again
    /// with an SMS code brings the account back. Otherwise trying again later may do.
    pub sign_in_again: bool,
    pub error: CommandError,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountCase {
    pub account_id: String,
    pub case: DashboardCase,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountDeadline {
    pub account_id: String,
    pub deadline: DeadlineItem,
}

/// Every account's cases and one list of deadlines across them.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CombinedDashboard {
    /// The signed-in account first, then the others as the account list orders them.
    pub accounts: Vec<AccountBoard>,
    pub cases: Vec<AccountCase>,
    /// Overdue first, then the soonest due.
    pub deadlines: Vec<AccountDeadline>,
}

/// Who an account is, before its dashboard is fetched.
#[derive(Debug, Clone)]
pub struct AccountLabel {
    pub account_id: String,
    pub name: String,
    pub id_number_masked: String,
    pub current: bool,
}

/// Codes that mean the kept session is gone for good and a new login is the way back.
const SESSION_GONE: [&str; 5] = [
    "accounts.session_not_kept",
    "platform.token_invalid",
    "platform.token_expired",
    "platform.unauthenticated",
    "court_client.not_logged_in",
];

/// Puts the accounts' dashboards (or why each could not be had) into one view. Deadlines are
/// ordered overdue first, then by when they are due; ties by account and subject, so the
/// order is the same on every refresh.
pub fn merge(fetched: Vec<(AccountLabel, Result<Dashboard, CommandError>)>) -> CombinedDashboard {
    let mut combined = CombinedDashboard {
        accounts: Vec::with_capacity(fetched.len()),
        cases: Vec::new(),
        deadlines: Vec::new(),
    };
    for (label, result) in fetched {
        let (cases, problem) = match result {
            Ok(board) => {
                let count = u32::try_from(board.cases.len()).unwrap_or(u32::MAX);
                combined
                    .cases
                    .extend(board.cases.into_iter().map(|case| AccountCase {
                        account_id: label.account_id.clone(),
                        case,
                    }));
                combined
                    .deadlines
                    .extend(board.deadlines.into_iter().map(|deadline| AccountDeadline {
                        account_id: label.account_id.clone(),
                        deadline,
                    }));
                (count, None)
            }
            Err(error) => (
                0,
                Some(AccountProblem {
                    sign_in_again: SESSION_GONE.contains(&error.code.as_str()),
                    error,
                }),
            ),
        };
        combined.accounts.push(AccountBoard {
            account_id: label.account_id,
            name: label.name,
            id_number_masked: label.id_number_masked,
            current: label.current,
            cases,
            problem,
        });
    }
    combined.deadlines.sort_by(|a, b| {
        let due = |d: &AccountDeadline| DateTime::parse_from_rfc3339(&d.deadline.due_at).ok();
        b.deadline
            .overdue
            .cmp(&a.deadline.overdue)
            .then_with(|| due(a).cmp(&due(b)))
            .then_with(|| a.account_id.cmp(&b.account_id))
            .then_with(|| a.deadline.subject_id.cmp(&b.deadline.subject_id))
    });
    combined
}

/// Fetches the signed-in account's dashboard and, one after another, those of the other
/// accounts kept for the same platform (restored from the keychain without asking the person
/// anything, once, then read with the same session while it works), and merges them. At a kiosk nothing is kept, so only the signed-in account.
pub async fn combined_dashboard(
    signed_in: &SignedIn,
    state: &AppState,
    demo_court: &DemoCourt,
    outbox: &Path,
    now: DateTime<Utc>,
) -> Result<CombinedDashboard, CommandError> {
    let current = signed_in
        .current()
        .await
        .ok_or_else(CommandError::not_signed_in)?;
    let (client, _) = signed_in.session().await?;
    let outbox = Outbox::open(outbox)?;
    let mut fetched = vec![(
        AccountLabel {
            account_id: current.account_id.clone(),
            name: current.name.clone(),
            id_number_masked: current.id_number_masked.clone(),
            current: true,
        },
        dashboard(&client, &outbox, &current.account_id, now).await,
    )];
    if !crate::signed_in::kiosk_mode(state)? {
        let others = signed_in
            .accounts(state)
            .await?
            .into_iter()
            .filter(|saved| saved.platform == current.platform && !saved.current);
        for saved in others {
            let result = match signed_in
                .other_session(state, demo_court, &saved.platform, &saved.account_id)
                .await
            {
                Ok(client) => dashboard(&client, &outbox, &saved.account_id, now).await,
                Err(error) => Err(error),
            };
            if result.is_err() {
                signed_in
                    .drop_other_session(&saved.platform, &saved.account_id)
                    .await;
            }
            fetched.push((
                AccountLabel {
                    account_id: saved.account_id,
                    name: saved.name,
                    id_number_masked: saved.id_number_masked,
                    current: false,
                },
                result,
            ));
        }
    }
    Ok(merge(fetched))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::DeadlineKind;

    fn label(id: &str, current: bool) -> AccountLabel {
        AccountLabel {
            account_id: id.into(),
            name: format!("name of {id}"),
            id_number_masked: "1101**********002X".into(),
            current,
        }
    }

    fn deadline(subject: &str, due_at: &str, overdue: bool) -> DeadlineItem {
        DeadlineItem {
            kind: DeadlineKind::IdentityVerification,
            case_id: Some("c".into()),
            case_number: None,
            subject_id: subject.into(),
            subject: String::new(),
            due_at: due_at.into(),
            overdue,
        }
    }

    fn board(id: &str, deadlines: Vec<DeadlineItem>) -> Dashboard {
        Dashboard {
            account_id: id.into(),
            cases: vec![DashboardCase {
                id: format!("case-{id}"),
                case_number: format!("(2026){id}"),
                title: "t".into(),
                open: true,
                deadlines: u32::try_from(deadlines.len()).unwrap(),
            }],
            deadlines,
        }
    }

    #[test]
    fn deadlines_of_all_accounts_are_one_list_overdue_first_then_soonest() {
        let combined = merge(vec![
            (
                label("a", true),
                Ok(board(
                    "a",
                    vec![
                        deadline("a-later", "2026-12-09T00:00:00Z", false),
                        deadline("a-overdue", "2026-11-29T00:00:00Z", true),
                    ],
                )),
            ),
            (
                label("b", false),
                Ok(board(
                    "b",
                    vec![
                        deadline("b-soon", "2026-12-01T00:00:00Z", false),
                        deadline("b-overdue-longer", "2026-11-20T00:00:00Z", true),
                    ],
                )),
            ),
        ]);
        let order: Vec<(&str, &str)> = combined
            .deadlines
            .iter()
            .map(|d| (d.account_id.as_str(), d.deadline.subject_id.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                ("b", "b-overdue-longer"),
                ("a", "a-overdue"),
                ("b", "b-soon"),
                ("a", "a-later"),
            ]
        );
        let cases: Vec<(&str, &str)> = combined
            .cases
            .iter()
            .map(|c| (c.account_id.as_str(), c.case.id.as_str()))
            .collect();
        assert_eq!(cases, [("a", "case-a"), ("b", "case-b")]);
        assert!(combined.accounts.iter().all(|a| a.problem.is_none()));
        assert_eq!(combined.accounts[0].cases, 1);
    }

    #[test]
    fn an_account_that_cannot_be_restored_says_why_and_hides_nothing_of_the_others() {
        let combined = merge(vec![
            (
                label("a", true),
                Ok(board(
                    "a",
                    vec![deadline("a1", "2026-12-01T00:00:00Z", false)],
                )),
            ),
            (
                label("revoked", false),
                Err(CommandError::new(
                    "platform.token_invalid",
                    "This refresh token was used, revoked or has expired; log in again.",
                )),
            ),
            (
                label("offline", false),
                Err(CommandError::new(
                    "court_client.unreachable",
                    "The platform cannot be reached.",
                )),
            ),
        ]);
        assert_eq!(combined.deadlines.len(), 1);
        assert_eq!(combined.cases.len(), 1);
        let problems: Vec<(&str, Option<bool>, u32)> = combined
            .accounts
            .iter()
            .map(|a| {
                (
                    a.account_id.as_str(),
                    a.problem.as_ref().map(|p| p.sign_in_again),
                    a.cases,
                )
            })
            .collect();
        assert_eq!(
            problems,
            [
                ("a", None, 1),
                ("revoked", Some(true), 0),
                ("offline", Some(false), 0)
            ]
        );
        assert_eq!(
            combined.accounts[1].problem.as_ref().unwrap().error.code,
            "platform.token_invalid"
        );
    }
}
