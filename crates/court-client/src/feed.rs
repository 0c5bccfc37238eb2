//! The event feed consumer: long-polls the platform's events from a cursor kept in the outbox
//! database, so nothing is missed or shown twice across restarts, and keeps the deadlines the
//! events carry.

use chrono::{DateTime, Utc};
use litigant_court_api::events::{Event, EventKind};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::{ClientError, Result};
use crate::outbox::Outbox;

/// A deadline known from the feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deadline {
    pub subject_id: String,
    pub kind: EventKind,
    pub case_id: Option<String>,
    pub summary: String,
    pub due_at: DateTime<Utc>,
}

impl Outbox {
    /// The last event cursor seen for an account.
    pub fn cursor(&self, account_id: &str) -> Result<u64> {
        Ok(self
            .db()
            .query_row(
                "SELECT cursor FROM cursors WHERE account_id = ?1",
                [account_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.error(e))?
            .unwrap_or(0))
    }

    /// Deadlines for an account, soonest first.
    pub fn deadlines(&self, account_id: &str) -> Result<Vec<Deadline>> {
        let db = self.db();
        let mut statement = db
            .prepare("SELECT subject_id, kind, case_id, summary, due_at FROM deadlines WHERE account_id = ?1 ORDER BY due_at")
            .map_err(|e| self.error(e))?;
        statement
            .query_map([account_id], |r| {
                let kind: String = r.get(1)?;
                Ok(Deadline {
                    subject_id: r.get(0)?,
                    kind: serde_json::from_value(serde_json::Value::String(kind)).map_err(|e| {
                        rusqlite::Error::FromSqlConversionFailure(
                            1,
                            rusqlite::types::Type::Text,
                            Box::new(e),
                        )
                    })?,
                    case_id: r.get(2)?,
                    summary: r.get(3)?,
                    due_at: r.get(4)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.error(e))
    }

    /// Waits up to `wait_seconds` for new events of the logged-in account, records the
    /// deadlines they carry and the new cursor in one transaction, and returns them.
    pub async fn poll_events(&self, client: &Client, wait_seconds: u64) -> Result<Vec<Event>> {
        let account_id = client.session().ok_or(ClientError::NotLoggedIn)?.account_id;
        let after = self.cursor(&account_id)?;
        let page = client.events(after, wait_seconds).await?;
        let mut db = self.db();
        let tx = db.transaction().map_err(|e| self.error(e))?;
        for event in &page.events {
            if let Some(due_at) = event.due_at {
                let kind = serde_json::to_value(event.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                tx.execute(
                    "INSERT OR REPLACE INTO deadlines (subject_id, account_id, kind, case_id, summary, due_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![event.subject_id, account_id, kind, event.case_id, event.summary, due_at],
                )
                .map_err(|e| self.error(e))?;
            }
        }
        tx.execute(
            "INSERT INTO cursors (account_id, cursor) VALUES (?1, ?2) ON CONFLICT (account_id) DO UPDATE SET cursor = excluded.cursor",
            params![account_id, page.next_cursor],
        )
        .map_err(|e| self.error(e))?;
        tx.commit().map_err(|e| self.error(e))?;
        Ok(page.events)
    }
}
