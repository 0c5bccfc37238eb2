//! The clerk's side, used by tests and demos to drive scenarios: review filings, serve
//! documents, open hearings and exchange windows, and inject faults. A separate bearer token
//! authorises these calls; a party's token never does.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::evidence::ExchangeMode;
use crate::filings::Deficiency;
use crate::hearings::HearingStep;
use chrono::{DateTime, Utc};

use crate::Id;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    /// received → `under_review`.
    BeginReview,
    Accept,
    PartiallyAccept,
    RequestCorrections,
    Reject,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReviewRequest {
    pub decision: ReviewDecision,
    /// For `request_corrections`.
    #[serde(default)]
    pub deficiencies: Vec<Deficiency>,
    /// For `request_corrections`: when corrections are due.
    pub due_at: Option<DateTime<Utc>>,
    /// For `reject` and `partially_accept`.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServeRequest {
    pub title: String,
    /// A document the clerk uploaded.
    pub document_id: Id,
    /// The accounts to serve; all parties with accounts when empty.
    #[serde(default)]
    pub account_ids: Vec<Id>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OpenHearingRequest {
    pub title: String,
    pub steps: Vec<HearingStep>,
    pub deadline: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OpenExchangeRequest {
    pub mode: ExchangeMode,
    pub closes_at: DateTime<Utc>,
}

/// What a fault rule does to a matching request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Fault {
    /// Answer with this 5xx status and an `injected_fault` problem, before doing anything.
    ServerError { status: u16 },
    /// Answer 429 with `Retry-After`, before doing anything.
    TooManyRequests {
        #[serde(rename = "retryAfterSeconds")]
        retry_after_seconds: u64,
    },
    /// Take this many bytes of the request body (an upload keeps them, as a real server
    /// would), then drop the connection without an answer.
    CutConnection {
        #[serde(rename = "afterBytes")]
        after_bytes: u64,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FaultRule {
    /// Only requests with this method (any when absent).
    pub method: Option<String>,
    /// Only paths starting with this, e.g. `/api/v1/uploads/`.
    pub path_prefix: String,
    pub fault: Fault,
    /// Apply to every n-th matching request (1 = every one).
    pub every: u32,
    /// Stop after this many applications (forever when absent).
    pub times: Option<u32>,
}

/// Fault injection, off by default: empty rules and no latency.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FaultPlan {
    /// Added before every response, in milliseconds.
    #[serde(default)]
    pub latency_ms: u64,
    #[serde(default)]
    pub rules: Vec<FaultRule>,
}
