//! The event feed: a desktop client cannot take callbacks, so it long-polls a cursor.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use chrono::{DateTime, Utc};

use crate::Id;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    FilingReviewed,
    CorrectionRequested,
    DocumentServed,
    HearingOpened,
    ExchangeOpened,
    DeadlineNear,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// Increasing; pass the last one seen as `after` to get what came next.
    pub cursor: u64,
    pub kind: EventKind,
    pub at: DateTime<Utc>,
    pub case_id: Option<Id>,
    /// The filing, served document, hearing or window the event is about.
    pub subject_id: Id,
    /// A sentence for a notification.
    pub summary: String,
    /// The deadline the event sets or reminds of, if any.
    pub due_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventPage {
    pub events: Vec<Event>,
    /// Where to continue from: the last event's cursor, or the `after` given when none came.
    pub next_cursor: u64,
}
