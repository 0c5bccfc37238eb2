//! The event feed: per account, a cursor and a long poll.

use std::time::Duration;

use axum::extract::{Query, State};
use chrono::{DateTime, Utc};
use litigant_court_api::Problem;
use litigant_court_api::events::{Event, EventKind, EventPage};
use rusqlite::{Connection, params};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::store::{from_text, to_text};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(events))
}

/// What an event says, for [`record`].
#[derive(Debug)]
pub struct NewEvent<'a> {
    pub kind: EventKind,
    pub case_id: Option<&'a str>,
    pub subject_id: &'a str,
    pub summary: &'a str,
    pub due_at: Option<DateTime<Utc>>,
}

/// Records an event for each account. The caller wakes waiting polls after its commit
/// (`state.events.notify_waiters()`).
pub fn record(db: &Connection, accounts: &[String], event: &NewEvent<'_>) -> ApiResult<()> {
    let now = Utc::now();
    for account in accounts {
        db.execute(
            "INSERT INTO events (account_id, kind, at, case_id, subject_id, summary, due_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![account, to_text(&event.kind), now, event.case_id, event.subject_id, event.summary, event.due_at],
        )?;
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
struct FeedQuery {
    /// The last cursor seen; 0 for the beginning.
    #[serde(default)]
    after: u64,
    /// Seconds to wait for an event when none is there yet (long poll), at most 30.
    #[serde(default)]
    wait: u64,
}

fn page(db: &Connection, account_id: &str, after: u64) -> ApiResult<Vec<Event>> {
    Ok(db
        .prepare("SELECT cursor, kind, at, case_id, subject_id, summary, due_at FROM events WHERE account_id = ?1 AND cursor > ?2 ORDER BY cursor LIMIT 100")?
        .query_map(params![account_id, after], |r| {
            Ok(Event {
                cursor: r.get(0)?,
                kind: from_text(&r.get::<_, String>(1)?)?,
                at: r.get(2)?,
                case_id: r.get(3)?,
                subject_id: r.get(4)?,
                summary: r.get(5)?,
                due_at: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Events for this account after a cursor, waiting up to `wait` seconds for the first one.
#[utoipa::path(get, path = "/events", tag = "events", security(("party" = [])),
    params(("after" = Option<u64>, Query, description = "The last cursor seen; 0 or absent for the beginning"),
        ("wait" = Option<u64>, Query, description = "Seconds to wait for an event when none is there yet (long poll), at most 30")),
    responses((status = 200, body = EventPage),
        (status = "default", description = "A problem (RFC 9457)", body = Problem, content_type = "application/problem+json")))]
async fn events(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<FeedQuery>,
) -> ApiResult<axum::Json<EventPage>> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(query.wait.min(30));
    loop {
        // Register for the wake-up before reading, so an event committed in between is not missed.
        let notified = state.events.notified();
        let events = page(&state.store.db(), &caller.account_id, query.after)?;
        if !events.is_empty() || tokio::time::Instant::now() >= deadline {
            let next_cursor = events.last().map_or(query.after, |e| e.cursor);
            return Ok(axum::Json(EventPage {
                events,
                next_cursor,
            }));
        }
        let _ = tokio::time::timeout_at(deadline, notified).await;
    }
}

/// A deadline to remind of: account, case, subject, due time, summary.
type DueRow = (String, Option<String>, String, DateTime<Utc>, String);

/// Records a `deadline_near` event, once per deadline and account, for hearing deadlines,
/// correction due times and exchange windows that end within a day. Returns how many.
pub fn remind_deadlines(db: &Connection) -> ApiResult<usize> {
    let now = Utc::now();
    let soon = now + chrono::Duration::hours(24);
    let due: Vec<DueRow> = db
        .prepare(
            "SELECT p.account_id, h.case_id, h.id, h.deadline, 'The hearing deadline is near: ' || h.title FROM hearings h \
               JOIN case_parties p ON p.case_id = h.case_id AND p.account_id IS NOT NULL \
               WHERE h.deadline > ?1 AND h.deadline <= ?2 \
             UNION ALL SELECT f.account_id, NULL, f.id, f.correction_due_at, 'Corrections to your filing are due soon.' FROM filings f \
               WHERE f.status = 'correction_requested' AND f.correction_due_at > ?1 AND f.correction_due_at <= ?2 \
             UNION ALL SELECT p.account_id, x.case_id, x.id, x.closes_at, 'The evidence exchange closes soon.' FROM exchanges x \
               JOIN case_parties p ON p.case_id = x.case_id AND p.account_id IS NOT NULL \
               WHERE x.closes_at > ?1 AND x.closes_at <= ?2",
        )?
        .query_map(params![now, soon], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut sent = 0;
    for (account, case_id, subject, due_at, summary) in due {
        let reminded: bool = db.query_row(
            "SELECT EXISTS (SELECT 1 FROM events WHERE account_id = ?1 AND subject_id = ?2 AND kind = 'deadline_near')",
            params![account, subject],
            |r| r.get(0),
        )?;
        if !reminded {
            record(
                db,
                &[account],
                &NewEvent {
                    kind: EventKind::DeadlineNear,
                    case_id: case_id.as_deref(),
                    subject_id: &subject,
                    summary: &summary,
                    due_at: Some(due_at),
                },
            )?;
            sent += 1;
        }
    }
    Ok(sent)
}
