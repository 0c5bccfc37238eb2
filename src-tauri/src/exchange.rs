//! Evidence exchange on the desktop (Art. 14, 16-19): the other side's evidence of a case,
//! downloaded and recorded in the local case file by litigant-evidence, each item's deposit
//! proof checked offline, and this party's cross-examination opinions, kept as drafts in the
//! data folder until submitted within the window.
//!
//! Whose anchor key to trust: with the demo court, the app runs the court itself, so the key it
//! publishes on loopback is the demo court's own and is trusted as such. For any other platform
//! no key is trusted yet, and the verification says the anchor's key was not checked.

use std::path::{Path, PathBuf};

use chrono::Utc;
use litigant_court_api::evidence::{AspectOpinion, ExchangeMode, OpinionRequest, Stance};
use litigant_court_client::Client;
use litigant_evidence::{
    CaseFile, EvidenceError, OpinionDrafts, Outcome, TrustedKey, TrustedKeys, Verification,
    receive_evidence, received_path, sha256_file, verify_attached_proof,
};

use crate::error::CommandError;
use crate::models::{
    AspectView, ExchangeItem, ExchangeView, ExchangeWindowView, ProofCheckView, ProofView,
};

/// What the desktop needs to act on one case's exchange.
pub struct ExchangeContext<'a> {
    pub client: &'a Client,
    pub account_id: &'a str,
    pub data: &'a Path,
    /// Whether the platform is the app's own demo court (see the module's note on trust).
    pub demo: bool,
}

async fn trusted_keys(context: &ExchangeContext<'_>) -> Result<Option<TrustedKeys>, CommandError> {
    if !context.demo {
        return Ok(None);
    }
    let published = context.client.deposit_log_key().await?;
    Ok(Some(
        TrustedKeys::new().with(TrustedKey::from_published(&published)?),
    ))
}

/// Downloads what is new, then describes every item of the other side with its proof check,
/// this party's draft and its submitted opinion.
pub async fn view(
    context: &ExchangeContext<'_>,
    case_id: &str,
) -> Result<ExchangeView, CommandError> {
    let trusted = trusted_keys(context).await?;
    // With no trusted key the proof is still checked as far as it goes; the key check says why not.
    let untrusted = TrustedKeys::new();
    let mut case_file = CaseFile::open(context.data)?;
    receive_evidence(
        context.client,
        &mut case_file,
        context.data,
        (case_id, context.account_id),
        trusted.as_ref(),
    )
    .await?;
    let drafts = OpinionDrafts::open(context.data, case_id)?.list()?;
    let now = Utc::now();
    let windows: Vec<ExchangeWindowView> = context
        .client
        .exchanges(case_id)
        .await?
        .into_iter()
        .map(|w| ExchangeWindowView {
            id: w.id,
            synchronous: w.mode == ExchangeMode::Synchronous,
            opens_at: w.opens_at.to_rfc3339(),
            closes_at: w.closes_at.to_rfc3339(),
            open: w.opens_at <= now && now < w.closes_at,
        })
        .collect();
    let mut items = Vec::new();
    for item in context.client.evidence(case_id).await? {
        if item.submitted_by == context.account_id {
            continue;
        }
        let path: PathBuf = received_path(context.data, case_id, &item.id);
        let local = sha256_file(&path).ok();
        let intact = local.as_deref() == Some(item.document_sha256.as_str());
        let proof = match (&item.deposit_proof, &local) {
            (None, _) => ProofView::none(),
            (Some(_), None) => ProofView::unchecked("the file has not been downloaded"),
            (Some(json), Some(sha256)) => {
                match verify_attached_proof(json, sha256, trusted.as_ref().unwrap_or(&untrusted)) {
                    Ok(verification) => proof_view(&verification),
                    Err(problem) => ProofView::failed_format(&problem),
                }
            }
        };
        let submitted = context
            .client
            .opinions(&item.id)
            .await?
            .into_iter()
            .find(|o| o.account_id == context.account_id);
        items.push(ExchangeItem {
            draft: drafts
                .iter()
                .find(|d| d.evidence_id == item.id)
                .map(|d| aspects(&d.opinion)),
            submitted: submitted.map(|o| {
                aspects(&OpinionRequest {
                    authenticity: o.authenticity,
                    legality: o.legality,
                    relevance: o.relevance,
                })
            }),
            id: item.id,
            name: item.name,
            source: item.source,
            purpose: item.purpose,
            page_range: item.page_range,
            submitted_at: item.submitted_at.to_rfc3339(),
            sha256: item.document_sha256,
            intact,
            proof,
        });
    }
    Ok(ExchangeView {
        case_id: case_id.to_owned(),
        windows,
        items,
    })
}

fn aspects(opinion: &OpinionRequest) -> Vec<AspectView> {
    [
        ("authenticity", &opinion.authenticity),
        ("legality", &opinion.legality),
        ("relevance", &opinion.relevance),
    ]
    .into_iter()
    .map(|(aspect, a)| AspectView {
        aspect: aspect.into(),
        admit: a.stance == Stance::Admit,
        reason: a.reason.clone().unwrap_or_default(),
    })
    .collect()
}

/// The three aspects from the interface, in the order authenticity, legality, relevance.
pub fn opinion_from(aspects: &[AspectView]) -> Result<OpinionRequest, CommandError> {
    let find = |name: &str| {
        aspects
            .iter()
            .find(|a| a.aspect == name)
            .map(|a| AspectOpinion {
                stance: if a.admit {
                    Stance::Admit
                } else {
                    Stance::Dispute
                },
                reason: Some(a.reason.trim().to_owned()).filter(|r| !r.is_empty()),
            })
            .ok_or_else(|| {
                CommandError::new(
                    "evidence.opinion_incomplete",
                    format!("Say whether you admit its {name}."),
                )
                .with_detail("aspect", name)
            })
    };
    Ok(OpinionRequest {
        authenticity: find("authenticity")?,
        legality: find("legality")?,
        relevance: find("relevance")?,
    })
}

fn proof_view(verification: &Verification) -> ProofView {
    let checks = verification
        .checks
        .iter()
        .map(|check| {
            let (outcome, detail, code) = match &check.outcome {
                Outcome::Passed(text) => ("passed", text.clone(), None),
                Outcome::Failed(failure) => (
                    "failed",
                    failure.to_string(),
                    Some(failure.code().to_owned()),
                ),
                Outcome::Skipped(text) => ("skipped", text.clone(), None),
            };
            ProofCheckView {
                kind: check.kind.name().into(),
                outcome: outcome.into(),
                detail,
                code,
            }
        })
        .collect::<Vec<_>>();
    let state = if verification.failures().next().is_some() {
        "failed"
    } else if verification.passed() {
        "verified"
    } else {
        "partial"
    };
    ProofView {
        state: state.into(),
        checks,
        not_checked: verification.not_checked.clone(),
    }
}

impl ProofView {
    fn none() -> Self {
        Self {
            state: "none".into(),
            checks: Vec::new(),
            not_checked: Vec::new(),
        }
    }

    fn unchecked(why: &str) -> Self {
        Self {
            state: "unchecked".into(),
            checks: Vec::new(),
            not_checked: vec![why.to_owned()],
        }
    }

    fn failed_format(problem: &str) -> Self {
        Self {
            state: "failed".into(),
            checks: vec![ProofCheckView {
                kind: "Format".into(),
                outcome: "failed".into(),
                detail: problem.to_owned(),
                code: Some("evidence.proof_format".into()),
            }],
            not_checked: Vec::new(),
        }
    }
}

/// Keeps the opinion on `evidence_id` as a draft on this computer.
pub fn save_draft(
    data: &Path,
    case_id: &str,
    evidence_id: &str,
    aspects: &[AspectView],
) -> Result<(), CommandError> {
    OpinionDrafts::open(data, case_id)?.save(evidence_id, opinion_from(aspects)?)?;
    Ok(())
}

pub fn discard_draft(data: &Path, case_id: &str, evidence_id: &str) -> Result<(), CommandError> {
    Ok(OpinionDrafts::open(data, case_id)?.discard(evidence_id)?)
}

/// Submits every draft of the case within its open window; returns how many went. A refusal
/// keeps the drafts not yet accepted.
pub async fn submit_drafts(
    client: &Client,
    data: &Path,
    case_id: &str,
) -> Result<u32, CommandError> {
    let mut case_file = CaseFile::open(data)?;
    let submitted = OpinionDrafts::open(data, case_id)?
        .submit(client, &mut case_file)
        .await?;
    Ok(u32::try_from(submitted.len()).unwrap_or(u32::MAX))
}

impl From<EvidenceError> for CommandError {
    fn from(error: EvidenceError) -> Self {
        match error {
            EvidenceError::Platform(refusal) => Self::from(refusal),
            other => {
                tracing::warn!(code = other.code(), "{other}");
                let command = Self::new(other.code(), other.to_string());
                match other {
                    EvidenceError::Opinion {
                        evidence_id,
                        problem,
                    } => command
                        .with_detail("evidence", evidence_id)
                        .with_detail("problem", problem),
                    _ => command,
                }
            }
        }
    }
}
