//! The filing form as the window sends it, and the court's policy as the form needs it.

use litigant_court_api::policy::{CodeEntry, Policy};
use serde::{Deserialize, Serialize};

use super::bytes;

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CodeName {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

/// What the court accepts, as the form needs it.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FilingPolicyView {
    pub court_name: String,
    pub demo: bool,
    pub allowed_content_types: Vec<String>,
    pub max_document_bytes: f64,
    pub max_filing_bytes: f64,
    pub case_types: Vec<CodeName>,
    pub document_types: Vec<CodeName>,
}

fn code_names(entries: &[CodeEntry]) -> Vec<CodeName> {
    entries
        .iter()
        .map(|e| CodeName {
            code: e.code.clone(),
            name_zh: e.name_zh.clone(),
            name_en: e.name_en.clone(),
        })
        .collect()
}

impl From<&Policy> for FilingPolicyView {
    fn from(policy: &Policy) -> Self {
        Self {
            court_name: policy.court_name.clone(),
            demo: policy.demo,
            allowed_content_types: policy.allowed_content_types.clone(),
            max_document_bytes: bytes(policy.max_document_bytes),
            max_filing_bytes: bytes(policy.max_filing_bytes),
            case_types: code_names(&policy.case_types),
            document_types: code_names(&policy.document_types),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PartyForm {
    /// `plaintiff`, `defendant`, `third_party` or `agent`.
    pub role: String,
    pub name: String,
    /// `resident_id_card`, `passport` ...; empty when no number is given.
    pub id_type: Option<String>,
    pub id_number: Option<String>,
    pub address: Option<String>,
    pub mobile: Option<String>,
}

/// A file on this computer to file (a PDF from `litigant convert`, later the scan studio).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MaterialForm {
    pub path: String,
    /// A code from the policy's document types.
    pub document_type: String,
}

/// One line of the evidence list (证据目录).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceEntry {
    pub name: String,
    /// What it is meant to prove.
    pub purpose: String,
    /// Which material holds it (index into the materials), if one.
    pub material: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FilingForm {
    pub case_type: String,
    pub title: String,
    pub parties: Vec<PartyForm>,
    pub claims: Vec<String>,
    pub facts_and_reasons: String,
    pub materials: Vec<MaterialForm>,
    pub evidence: Vec<EvidenceEntry>,
}
