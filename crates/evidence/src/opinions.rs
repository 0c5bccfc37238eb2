//! Cross-examination opinions (质证意见, Art. 14): per item of the other side's evidence, on
//! authenticity, legality and relevance. An opinion is a draft on this computer
//! (`<data>/opinions/<case>/drafts/<evidence>.json`) until it is submitted within the case's
//! exchange window; the platform's answer is then kept under `submitted/` and recorded in the
//! case file, and the draft goes. A draft is never lost to a refusal: it stays until the
//! platform has accepted it.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use litigant_court_api::evidence::{AspectOpinion, Opinion, OpinionRequest, Stance};
use litigant_court_client::Client;
use serde::{Deserialize, Serialize};

use crate::casefile::{CaseFile, EntryKind, NewEntry};
use crate::error::EvidenceError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpinionDraft {
    pub case_id: String,
    pub evidence_id: String,
    pub opinion: OpinionRequest,
    pub saved_at: DateTime<Utc>,
}

/// One submitted opinion and where it was recorded.
#[derive(Debug, Clone)]
pub struct SubmittedOpinion {
    pub opinion: Opinion,
    /// The platform's answer, kept as JSON.
    pub path: PathBuf,
    pub case_file_seq: u64,
}

/// A case's opinion drafts in the data folder.
#[derive(Debug, Clone)]
pub struct OpinionDrafts {
    case_id: String,
    folder: PathBuf,
}

/// Ids from the platform become file names; anything but letters, digits, `-` and `_` is
/// refused rather than allowed to name another folder.
fn checked_id<'a>(what: &str, id: &'a str) -> Result<&'a str, EvidenceError> {
    if !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Ok(id)
    } else {
        Err(EvidenceError::malformed(
            format!("the {what} id {id:?}"),
            "it may hold only letters, digits, - and _",
        ))
    }
}

use crate::error::file_error;

/// Writes beside and renames, so a crash leaves the old file or the new, never half of one.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), EvidenceError> {
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(file_error(folder))?;
    }
    let partial = path.with_extension("json.part");
    std::fs::write(&partial, bytes).map_err(file_error(&partial))?;
    std::fs::rename(&partial, path).map_err(file_error(path))
}

fn check_aspect(
    evidence_id: &str,
    name: &str,
    aspect: &AspectOpinion,
) -> Result<(), EvidenceError> {
    let reasoned = aspect
        .reason
        .as_deref()
        .is_some_and(|r| !r.trim().is_empty());
    if aspect.stance == Stance::Dispute && !reasoned {
        return Err(EvidenceError::Opinion {
            evidence_id: evidence_id.to_owned(),
            problem: format!("disputing its {name} needs a reason"),
        });
    }
    Ok(())
}

impl OpinionDrafts {
    pub fn open(data: &Path, case_id: &str) -> Result<Self, EvidenceError> {
        Ok(Self {
            case_id: case_id.to_owned(),
            folder: data.join("opinions").join(checked_id("case", case_id)?),
        })
    }

    fn draft_path(&self, evidence_id: &str) -> Result<PathBuf, EvidenceError> {
        Ok(self
            .folder
            .join("drafts")
            .join(format!("{}.json", checked_id("evidence", evidence_id)?)))
    }

    /// Saves (or replaces) the draft on one item. A dispute without a reason is refused here,
    /// as the platform would refuse it later.
    pub fn save(
        &self,
        evidence_id: &str,
        opinion: OpinionRequest,
    ) -> Result<OpinionDraft, EvidenceError> {
        for (name, aspect) in [
            ("authenticity", &opinion.authenticity),
            ("legality", &opinion.legality),
            ("relevance", &opinion.relevance),
        ] {
            check_aspect(evidence_id, name, aspect)?;
        }
        let draft = OpinionDraft {
            case_id: self.case_id.clone(),
            evidence_id: evidence_id.to_owned(),
            opinion,
            saved_at: Utc::now(),
        };
        let json = serde_json::to_vec_pretty(&draft)
            .map_err(|e| EvidenceError::malformed("the opinion draft", e))?;
        write_atomically(&self.draft_path(evidence_id)?, &json)?;
        Ok(draft)
    }

    /// The drafts not yet submitted, by evidence id.
    pub fn list(&self) -> Result<Vec<OpinionDraft>, EvidenceError> {
        let folder = self.folder.join("drafts");
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(file_error(&folder)(e)),
        };
        let mut drafts = Vec::new();
        for entry in entries {
            let path = entry.map_err(file_error(&folder))?.path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let bytes = std::fs::read(&path).map_err(file_error(&path))?;
            let draft: OpinionDraft = serde_json::from_slice(&bytes).map_err(|e| {
                EvidenceError::malformed(format!("the opinion draft {}", path.display()), e)
            })?;
            drafts.push(draft);
        }
        drafts.sort_by(|a, b| a.evidence_id.cmp(&b.evidence_id));
        Ok(drafts)
    }

    pub fn discard(&self, evidence_id: &str) -> Result<(), EvidenceError> {
        let path = self.draft_path(evidence_id)?;
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(file_error(&path)(e)),
            _ => Ok(()),
        }
    }

    /// Submits every draft within the case's open exchange window, in evidence-id order. The
    /// window is checked here first so that a closed window is said plainly; the platform
    /// still decides (consent to online exchange, a recent re-verification). Stops at the
    /// first refusal; what was accepted before it is recorded and its draft removed.
    pub async fn submit(
        &self,
        client: &Client,
        case_file: &mut CaseFile,
    ) -> Result<Vec<SubmittedOpinion>, EvidenceError> {
        let drafts = self.list()?;
        if drafts.is_empty() {
            return Err(EvidenceError::Opinion {
                evidence_id: String::new(),
                problem: format!("there are no opinion drafts for case {}", self.case_id),
            });
        }
        let now = Utc::now();
        let windows = client.exchanges(&self.case_id).await?;
        if !windows
            .iter()
            .any(|w| w.opens_at <= now && now <= w.closes_at)
        {
            let told: Vec<String> = windows
                .iter()
                .map(|w| {
                    format!(
                        "{} to {}",
                        w.opens_at.to_rfc3339(),
                        w.closes_at.to_rfc3339()
                    )
                })
                .collect();
            return Err(EvidenceError::Opinion {
                evidence_id: drafts[0].evidence_id.clone(),
                problem: if told.is_empty() {
                    format!(
                        "case {} has no evidence exchange window; the drafts are kept",
                        self.case_id
                    )
                } else {
                    format!(
                        "no evidence exchange window of case {} is open now (windows: {}); the drafts are kept",
                        self.case_id,
                        told.join(", ")
                    )
                },
            });
        }
        let mut submitted = Vec::new();
        for draft in drafts {
            let opinion = client
                .give_opinion(&draft.evidence_id, &draft.opinion)
                .await?;
            let path = self
                .folder
                .join("submitted")
                .join(format!("{}.json", checked_id("opinion", &opinion.id)?));
            let json = serde_json::to_vec_pretty(&opinion)
                .map_err(|e| EvidenceError::malformed("the submitted opinion", e))?;
            write_atomically(&path, &json)?;
            let entry = case_file.append(
                &self.case_id,
                NewEntry {
                    kind: EntryKind::Filed,
                    server_id: opinion.id.clone(),
                    path: Some(path.clone()),
                    sha256: None,
                },
            )?;
            self.discard(&draft.evidence_id)?;
            submitted.push(SubmittedOpinion {
                opinion,
                path,
                case_file_seq: entry.seq,
            });
        }
        Ok(submitted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aspect(stance: Stance, reason: Option<&str>) -> AspectOpinion {
        AspectOpinion {
            stance,
            reason: reason.map(Into::into),
        }
    }

    fn opinion(relevance: AspectOpinion) -> OpinionRequest {
        OpinionRequest {
            authenticity: aspect(Stance::Admit, None),
            legality: aspect(Stance::Admit, None),
            relevance,
        }
    }

    #[test]
    fn drafts_are_kept_replaced_and_discarded() {
        let data = tempfile::tempdir().unwrap();
        let drafts = OpinionDrafts::open(data.path(), "case_demo_loan").unwrap();
        assert!(drafts.list().unwrap().is_empty());
        drafts
            .save("evi_b", opinion(aspect(Stance::Admit, None)))
            .unwrap();
        drafts
            .save(
                "evi_a",
                opinion(aspect(Stance::Dispute, Some("另一笔借款"))),
            )
            .unwrap();
        drafts
            .save("evi_b", opinion(aspect(Stance::Dispute, Some("无关"))))
            .unwrap();
        let listed = drafts.list().unwrap();
        assert_eq!(
            listed
                .iter()
                .map(|d| d.evidence_id.as_str())
                .collect::<Vec<_>>(),
            ["evi_a", "evi_b"]
        );
        assert_eq!(listed[1].opinion.relevance.reason.as_deref(), Some("无关"));
        drafts.discard("evi_a").unwrap();
        drafts.discard("evi_a").unwrap();
        assert_eq!(drafts.list().unwrap().len(), 1);
    }

    #[test]
    fn a_dispute_without_reason_and_a_path_in_an_id_are_refused() {
        let data = tempfile::tempdir().unwrap();
        let drafts = OpinionDrafts::open(data.path(), "case_demo_loan").unwrap();
        let refused = drafts
            .save("evi_a", opinion(aspect(Stance::Dispute, Some("  "))))
            .unwrap_err();
        assert!(
            refused.to_string().contains("relevance needs a reason"),
            "{refused}"
        );
        assert!(drafts.list().unwrap().is_empty());
        assert_eq!(
            drafts
                .save("../evi", opinion(aspect(Stance::Admit, None)))
                .unwrap_err()
                .code(),
            "evidence.malformed"
        );
        assert!(OpinionDrafts::open(data.path(), "../x").is_err());
    }
}
