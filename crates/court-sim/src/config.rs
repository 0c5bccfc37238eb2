//! How a simulator is set up: where it keeps its data, the court's policy, token lifetimes.

use std::path::PathBuf;
use std::time::Duration;

use litigant_court_api::policy::{CodeEntry, LitigationLink, Policy};

/// The simulator's settings. `SimConfig::new(data)` gives the demo court's.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Where the database and files live; created private to the user if missing.
    pub data: PathBuf,
    pub policy: Policy,
    /// How long an access token lives. Short, so clients exercise refresh.
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    pub sms_code_ttl: Duration,
    /// The clerk's bearer token. When `None` one is made on first start and kept in
    /// `<data>/clerk-token` (mode 0600), so tests and scripts can read it.
    pub clerk_token: Option<String>,
    /// Seed the demo case set into an empty database.
    pub seed_demo: bool,
}

impl SimConfig {
    pub fn new(data: impl Into<PathBuf>) -> Self {
        Self {
            data: data.into(),
            policy: demo_policy(),
            access_token_ttl: Duration::from_mins(15),
            refresh_token_ttl: Duration::from_hours(720),
            sms_code_ttl: Duration::from_mins(5),
            clerk_token: None,
            seed_demo: true,
        }
    }
}

fn entry(code: &str, zh: &str, en: &str) -> CodeEntry {
    CodeEntry {
        code: code.to_owned(),
        name_zh: zh.to_owned(),
        name_en: en.to_owned(),
    }
}

/// The demo court's policy: PDFs, images and hearing video; sizes that fit scanned bundles
/// and recordings.
pub fn demo_policy() -> Policy {
    const MIB: u64 = 1024 * 1024;
    Policy {
        court_name: "演示法院 (Demo court)".to_owned(),
        demo: true,
        allowed_content_types: [
            "application/pdf",
            "image/jpeg",
            "image/png",
            "video/webm",
            "video/mp4",
            "application/json",
        ]
        .map(str::to_owned)
        .to_vec(),
        max_document_bytes: 2048 * MIB,
        max_filing_bytes: 4096 * MIB,
        min_dpi: 200,
        text_layer_required: false,
        online_links: LitigationLink::ALL.to_vec(),
        case_types: vec![
            entry("civil_first_instance", "民事一审", "Civil, first instance"),
            entry(
                "commercial_first_instance",
                "商事一审",
                "Commercial, first instance",
            ),
            entry(
                "administrative_first_instance",
                "行政一审",
                "Administrative, first instance",
            ),
            entry("enforcement", "执行", "Enforcement"),
        ],
        document_types: vec![
            entry("complaint", "起诉状", "Complaint"),
            entry("evidence", "证据材料", "Evidence"),
            entry("identity", "身份证明", "Proof of identity"),
            entry("power_of_attorney", "授权委托书", "Power of attorney"),
            entry("evidence_catalogue", "证据目录", "Evidence catalogue"),
            entry("hearing_video", "庭审视频", "Hearing video"),
            entry("hearing_manifest", "录制清单", "Recording manifest"),
            entry("court_document", "法院文书", "Court document"),
            entry("other", "其他", "Other"),
        ],
        upload_expiry_seconds: 7 * 24 * 3600,
        reverification_max_age_seconds: 30 * 60,
    }
}
