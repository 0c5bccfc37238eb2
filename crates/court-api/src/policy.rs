//! The court's policy (ECF's "court policy"): what it accepts online, checked by clients before
//! they send anything.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A litigation link (诉讼环节) that a party may agree to take online or offline (Art. 4-5).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LitigationLink {
    Filing,
    Mediation,
    EvidenceExchange,
    Inquiry,
    Hearing,
    Service,
}

impl LitigationLink {
    pub const ALL: [Self; 6] = [
        Self::Filing,
        Self::Mediation,
        Self::EvidenceExchange,
        Self::Inquiry,
        Self::Hearing,
        Self::Service,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Filing => "filing",
            Self::Mediation => "mediation",
            Self::EvidenceExchange => "evidence_exchange",
            Self::Inquiry => "inquiry",
            Self::Hearing => "hearing",
            Self::Service => "service",
        }
    }
}

/// One entry of a code list: a stable code and its names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CodeEntry {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

/// What the court accepts. Sizes are bytes; a client checks a filing against this before it
/// submits (`POST /filings/check` does the same on the server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    /// The court's name, e.g. "演示法院 (Demo court)".
    pub court_name: String,
    /// True for a simulator or demo court: nothing filed there has legal effect.
    pub demo: bool,
    /// Media types accepted for documents, e.g. `application/pdf`.
    pub allowed_content_types: Vec<String>,
    pub max_document_bytes: u64,
    pub max_filing_bytes: u64,
    /// Lowest effective resolution for scanned pages (Art. 12).
    pub min_dpi: u32,
    /// Whether PDFs must carry a text layer (OCR) so the court can search them.
    pub text_layer_required: bool,
    /// Links that may take place online at this court.
    pub online_links: Vec<LitigationLink>,
    pub case_types: Vec<CodeEntry>,
    pub document_types: Vec<CodeEntry>,
    /// Seconds an unfinished upload is kept before it expires (tus expiration).
    pub upload_expiry_seconds: u64,
    /// How recent an identity re-verification must be before mediation, evidence exchange and
    /// hearings (Art. 7(3)), in seconds.
    pub reverification_max_age_seconds: u64,
}
