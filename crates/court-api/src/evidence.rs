//! Evidence and its exchange (Art. 14-19): items with their purpose of proof, exchange windows,
//! and cross-examination opinions on authenticity, legality and relevance.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use chrono::{DateTime, Utc};

use crate::Id;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceItemRequest {
    pub document_id: Id,
    /// 证据名称.
    pub name: String,
    /// 证据来源: where the evidence comes from.
    pub source: String,
    /// 证明目的: what it is meant to prove.
    pub purpose: String,
    /// Pages of the document this item covers, e.g. "3-7".
    pub page_range: Option<String>,
    /// A blockchain deposit proof for the document (Art. 16-19): a JSON object the platform
    /// keeps as given and hands to the other parties, who verify it themselves.
    #[schema(value_type = Option<Object>)]
    pub deposit_proof: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceSubmission {
    pub items: Vec<EvidenceItemRequest>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceItem {
    pub id: Id,
    pub case_id: Id,
    pub submitted_by: Id,
    pub document_id: Id,
    pub document_sha256: String,
    pub name: String,
    pub source: String,
    pub purpose: String,
    pub page_range: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub deposit_proof: Option<serde_json::Value>,
    pub submitted_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExchangeMode {
    /// Parties take part at the same time, on video.
    Synchronous,
    /// Each party gives opinions within the window, at a time of its choosing.
    Asynchronous,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExchangeWindow {
    pub id: Id,
    pub case_id: Id,
    pub mode: ExchangeMode,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

/// Whether a party admits or disputes one aspect of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    Admit,
    Dispute,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AspectOpinion {
    pub stance: Stance,
    /// Required when disputing.
    pub reason: Option<String>,
}

/// A cross-examination opinion (质证意见) on one item of the other side's evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OpinionRequest {
    /// 真实性.
    pub authenticity: AspectOpinion,
    /// 合法性.
    pub legality: AspectOpinion,
    /// 关联性.
    pub relevance: AspectOpinion,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Opinion {
    pub id: Id,
    pub evidence_id: Id,
    pub account_id: Id,
    pub window_id: Id,
    pub authenticity: AspectOpinion,
    pub legality: AspectOpinion,
    pub relevance: AspectOpinion,
    pub submitted_at: DateTime<Utc>,
}
