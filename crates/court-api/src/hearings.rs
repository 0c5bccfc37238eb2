//! Asynchronous hearings (Art. 20-27): ordered steps, each answered by a video recording
//! uploaded as documents, then one submission before the deadline.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use chrono::{DateTime, Utc};

use crate::Id;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HearingStep {
    /// 0-based position; steps are answered in order.
    pub index: u32,
    /// What the court asks, shown to the party in large text.
    pub prompt: String,
    /// Longest recording accepted for this step.
    pub max_seconds: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HearingStatus {
    Open,
    Submitted,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StepRecording {
    pub step_index: u32,
    /// The video segments, in order.
    pub segment_document_ids: Vec<Id>,
    /// The manifest describing segments, hashes, durations and devices.
    pub manifest_document_id: Id,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AsyncHearing {
    pub id: Id,
    pub case_id: Id,
    pub title: String,
    pub steps: Vec<HearingStep>,
    pub opened_at: DateTime<Utc>,
    /// Everything must be submitted before this.
    pub deadline: DateTime<Utc>,
    /// This account's status in the hearing.
    pub status: HearingStatus,
    /// This account's recordings so far.
    pub recordings: Vec<StepRecording>,
    pub submitted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StepRecordingRequest {
    pub segment_document_ids: Vec<Id>,
    pub manifest_document_id: Id,
}
