//! Electronic service (Art. 29-32): documents the court serves, and the times they were
//! delivered, opened and acknowledged.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::documents::Document;
use chrono::{DateTime, Utc};

use crate::Id;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServedDocument {
    pub id: Id,
    pub case_id: Id,
    pub title: String,
    pub document: Document,
    pub served_at: DateTime<Utc>,
    /// When it reached the party's inbox (service takes effect then, Art. 31).
    pub delivered_at: DateTime<Utc>,
    pub opened_at: Option<DateTime<Utc>>,
    pub receipt_confirmed_at: Option<DateTime<Utc>>,
}

/// The court's record that service happened (送达回证), with the served document's hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceCertificate {
    pub service_id: Id,
    pub case_id: Id,
    pub served_to_account_id: Id,
    pub served_to_name: String,
    pub title: String,
    pub document_sha256: String,
    pub served_at: DateTime<Utc>,
    pub delivered_at: DateTime<Utc>,
    pub opened_at: Option<DateTime<Utc>>,
    pub receipt_confirmed_at: Option<DateTime<Utc>>,
    pub court_name: String,
}
