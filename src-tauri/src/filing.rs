//! Online filing on the desktop (Art. 9, 11): a structured complaint with its materials and
//! evidence list, checked against the court's policy before anything is sent, then submitted
//! through the outbox, followed through the court's review, and corrected by supplements.
//!
//! What must hold:
//! - Every problem points at its field (`/parties`, `/claims`, `/materials/2` ...) and carries
//!   a `code` the interface translates, so a person sees plain words next to the field.
//! - Materials are checked here first (the file is there, its bytes are a type the court
//!   accepts, it is within the size limits), so a wrong file is named before any upload.
//! - Every file is recorded in the outbox before its first byte, and the filing is queued with
//!   its idempotency key before it is sent: however often it is sent, the court makes one.
//! - With no drafted complaint among the materials, the structured complaint itself is the
//!   complaint document (JSON); a non-empty evidence list goes along as the evidence catalogue.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use chrono::Utc;
use litigant_court_api::FieldProblem;
use litigant_court_api::filings::{FilingDocument, FilingDraft, FilingParty, SupplementRequest};
use litigant_court_api::policy::Policy;
use litigant_court_client::{Client, Outbox};
use serde::{Deserialize, Serialize};

use crate::error::CommandError;

mod form;
mod review;
pub use form::*;
pub use review::*;

/// Byte counts go to the interface as numbers (a court's limits pass 4 GiB, beyond `u32`).
#[allow(
    clippy::cast_precision_loss,
    reason = "byte counts below 2^53 are exact in an f64"
)]
pub(crate) fn bytes(value: u64) -> f64 {
    value as f64
}

/// One problem: the field it concerns (a JSON pointer into the form), a `code` the interface
/// translates, the court's English message, and the values a translation quotes.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProblemView {
    pub field: String,
    pub code: String,
    pub message: String,
    pub limit: Option<f64>,
    pub size: Option<f64>,
    pub content_type: Option<String>,
}

impl ProblemView {
    fn local(field: String, code: &str, message: String) -> Self {
        Self {
            field,
            code: code.into(),
            message,
            limit: None,
            size: None,
            content_type: None,
        }
    }
}

/// What kind of field a server pointer names, for a plain translated message.
fn code_for(pointer: &str) -> &'static str {
    let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        ["caseType", ..] => "case_type",
        ["title", ..] => "title",
        ["claims", ..] => "claims",
        ["factsAndReasons", ..] => "facts",
        ["parties"] => "parties",
        ["parties", _, "name"] => "party_name",
        ["parties", _, "idNumber" | "idType"] => "party_id",
        ["parties", _, "mobile"] => "party_mobile",
        _ => "other",
    }
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CheckView {
    pub acceptable: bool,
    pub problems: Vec<ProblemView>,
    pub total_bytes: f64,
}

/// The media type a file's first bytes show, if one the app knows.
fn sniff(path: &Path) -> std::io::Result<Option<&'static str>> {
    use std::io::Read;
    let mut head = [0u8; 8];
    let mut file = std::fs::File::open(path)?;
    let read = file.read(&mut head)?;
    let head = &head[..read];
    Ok(if head.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if head.starts_with(b"\x89PNG") {
        Some("image/png")
    } else {
        None
    })
}

/// A material that passed the local check: where it is, its media type and size.
struct Checked {
    path: PathBuf,
    content_type: &'static str,
    document_type: String,
}

/// Checks each material on this computer; returns those that passed and the total size.
fn check_materials(
    policy: &Policy,
    materials: &[MaterialForm],
    problems: &mut Vec<ProblemView>,
) -> (Vec<Checked>, u64) {
    let mut passed = Vec::new();
    let mut total = 0;
    for (i, material) in materials.iter().enumerate() {
        let field = format!("/materials/{i}");
        let path = PathBuf::from(material.path.trim());
        if !policy
            .document_types
            .iter()
            .any(|t| t.code == material.document_type)
        {
            problems.push(ProblemView::local(
                field.clone(),
                "material_kind",
                format!("Choose what kind of document {} is.", path.display()),
            ));
        }
        let size = match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => m.len(),
            _ => {
                problems.push(ProblemView::local(
                    field,
                    "material_missing",
                    format!("There is no file at {}.", path.display()),
                ));
                continue;
            }
        };
        total += size;
        let content_type = sniff(&path).ok().flatten();
        match content_type {
            Some(kind) if policy.allowed_content_types.iter().any(|t| t == kind) => {}
            _ => {
                let mut problem = ProblemView::local(
                    field.clone(),
                    "material_type",
                    format!(
                        "{} is not a PDF, JPEG or PNG file the court accepts.",
                        path.display()
                    ),
                );
                problem.content_type = content_type.map(str::to_owned);
                problems.push(problem);
                continue;
            }
        }
        if size > policy.max_document_bytes {
            let mut problem = ProblemView::local(
                field,
                "material_size",
                format!(
                    "{} has {size} bytes; the court accepts up to {} per document.",
                    path.display(),
                    policy.max_document_bytes
                ),
            );
            problem.size = Some(bytes(size));
            problem.limit = Some(bytes(policy.max_document_bytes));
            problems.push(problem);
            continue;
        }
        passed.push(Checked {
            path,
            content_type: content_type.unwrap_or("application/pdf"),
            document_type: material.document_type.clone(),
        });
    }
    (passed, total)
}

fn parse_code<T: for<'de> Deserialize<'de>>(value: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(value.to_owned())).ok()
}

/// The draft as the court reads it, without documents (those are named once uploaded). A role
/// or identity type the court does not know is a problem on its field.
fn draft_of(form: &FilingForm, problems: &mut Vec<ProblemView>) -> FilingDraft {
    let blank = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let mut parties = Vec::new();
    for (i, party) in form.parties.iter().enumerate() {
        let Some(role) = parse_code(&party.role) else {
            problems.push(ProblemView::local(
                format!("/parties/{i}/role"),
                "party_role",
                "Say whether this party is plaintiff, defendant or third party.".into(),
            ));
            continue;
        };
        parties.push(FilingParty {
            role,
            name: party.name.trim().to_owned(),
            id_type: blank(&party.id_type).and_then(|t| parse_code(&t)),
            id_number: blank(&party.id_number),
            address: blank(&party.address),
            mobile: blank(&party.mobile),
        });
    }
    FilingDraft {
        case_type: form.case_type.clone(),
        title: form.title.trim().to_owned(),
        parties,
        claims: form.claims.iter().map(|c| c.trim().to_owned()).collect(),
        facts_and_reasons: form.facts_and_reasons.trim().to_owned(),
        documents: Vec::new(),
    }
}

/// The court's problems in the form's terms. The complaint document is always supplied (a
/// drafted one, or the structured complaint), so the court's "attach the complaint" does not
/// apply to a draft checked before its upload.
fn court_problems(problems: Vec<FieldProblem>) -> impl Iterator<Item = ProblemView> {
    problems
        .into_iter()
        .filter(|p| p.pointer != "/documents")
        .map(|p| ProblemView {
            code: code_for(&p.pointer).into(),
            field: p.pointer,
            message: p.message,
            limit: None,
            size: None,
            content_type: None,
        })
}

/// Everything wrong with the form, here and by the court's own check.
pub async fn check(client: &Client, form: &FilingForm) -> Result<CheckView, CommandError> {
    let policy = client.policy().await?;
    Ok(check_with(client, &policy, form).await?.0)
}

async fn check_with(
    client: &Client,
    policy: &Policy,
    form: &FilingForm,
) -> Result<(CheckView, FilingDraft, Vec<Checked>), CommandError> {
    let mut problems = Vec::new();
    let draft = draft_of(form, &mut problems);
    let (passed, total) = check_materials(policy, &form.materials, &mut problems);
    let court = client.check_filing(&draft).await?;
    problems.extend(court_problems(court.problems));
    if total > policy.max_filing_bytes {
        let mut problem = ProblemView::local(
            "/materials".into(),
            "filing_size",
            format!(
                "The materials come to {total} bytes; the court accepts up to {} per filing.",
                policy.max_filing_bytes
            ),
        );
        problem.size = Some(bytes(total));
        problem.limit = Some(bytes(policy.max_filing_bytes));
        problems.push(problem);
    }
    for (i, entry) in form.evidence.iter().enumerate() {
        if entry.name.trim().is_empty() {
            problems.push(ProblemView::local(
                format!("/evidence/{i}/name"),
                "evidence_name",
                "Name this piece of evidence.".into(),
            ));
        }
        if entry
            .material
            .is_some_and(|m| m as usize >= form.materials.len())
        {
            problems.push(ProblemView::local(
                format!("/evidence/{i}/material"),
                "evidence_material",
                "Choose one of the materials added above.".into(),
            ));
        }
    }
    let view = CheckView {
        acceptable: problems.is_empty(),
        problems,
        total_bytes: bytes(total),
    };
    Ok((view, draft, passed))
}

/// How a submission is going, sent to the window after each step.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FilingProgress {
    /// `upload` while files go, `filing` when the filing itself is sent.
    pub stage: String,
    pub label: String,
    /// 1-based position of this file among `files`.
    pub file: u32,
    pub files: u32,
    pub sent: f64,
    pub total: f64,
}

/// What a submission ended with: the filing, or the problems that stopped it before sending.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SubmitOutcome {
    pub check: CheckView,
    pub filing: Option<FilingView>,
}

/// Where the documents the app writes for one submission go (the structured complaint, the
/// evidence catalogue): kept, as the outbox names them.
fn written_folder(working: &Path) -> Result<PathBuf, CommandError> {
    let folder = working
        .join("filings")
        .join(Utc::now().format("%Y%m%dT%H%M%S%.3fZ").to_string());
    std::fs::create_dir_all(&folder).map_err(|e| file_error(&folder, &e))?;
    Ok(folder)
}

fn file_error(path: &Path, error: &std::io::Error) -> CommandError {
    CommandError::new(
        "filing.file",
        format!("Could not write {}: {error}", path.display()),
    )
    .with_detail("path", path.display().to_string())
}

fn write_json(path: &Path, value: &impl Serialize) -> Result<(), CommandError> {
    let text = serde_json::to_vec_pretty(value).unwrap_or_default();
    std::fs::write(path, text).map_err(|e| file_error(path, &e))
}

/// Uploads each file through the outbox (recorded first), in order; returns the documents.
async fn upload_all(
    client: &Client,
    outbox: &Outbox,
    files: &[Checked],
    progress: &mut (dyn FnMut(FilingProgress) + Send),
) -> Result<Vec<FilingDocument>, CommandError> {
    let platform = client.platform().as_str().to_owned();
    let stop = AtomicBool::new(false);
    let count = u32::try_from(files.len()).unwrap_or(u32::MAX);
    let mut documents = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let id = outbox.enqueue_upload(&platform, &file.path, file.content_type)?;
        let label = file
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let position = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let mut report = |p: litigant_court_client::Progress| {
            progress(FilingProgress {
                stage: "upload".into(),
                label: label.clone(),
                file: position,
                files: count,
                sent: bytes(p.sent),
                total: bytes(p.total),
            });
        };
        let item = outbox.send(client, id, &mut report, &stop).await?;
        documents.push(FilingDocument {
            document_id: item.server_id.unwrap_or_default(),
            document_type: file.document_type.clone(),
        });
    }
    Ok(documents)
}

/// Checks, then uploads the materials and submits the filing through the outbox.
pub async fn submit(
    client: &Client,
    outbox: &Outbox,
    working: &Path,
    form: &FilingForm,
    progress: &mut (dyn FnMut(FilingProgress) + Send),
) -> Result<SubmitOutcome, CommandError> {
    let policy = client.policy().await?;
    let (check, mut draft, mut files) = check_with(client, &policy, form).await?;
    if !check.acceptable {
        return Ok(SubmitOutcome {
            check,
            filing: None,
        });
    }
    let folder = written_folder(working)?;
    if !files.iter().any(|f| f.document_type == "complaint") {
        let path = folder.join("complaint.json");
        write_json(&path, &draft)?;
        files.insert(
            0,
            Checked {
                path,
                content_type: "application/json",
                document_type: "complaint".into(),
            },
        );
    }
    if !form.evidence.is_empty() {
        let path = folder.join("evidence-catalogue.json");
        write_json(&path, &form.evidence)?;
        files.push(Checked {
            path,
            content_type: "application/json",
            document_type: "evidence_catalogue".into(),
        });
    }
    draft.documents = upload_all(client, outbox, &files, progress).await?;
    progress(FilingProgress {
        stage: "filing".into(),
        label: draft.title.clone(),
        file: 0,
        files: 0,
        sent: 0.0,
        total: 0.0,
    });
    let platform = client.platform().as_str().to_owned();
    let id = outbox.enqueue_filing(&platform, &draft)?;
    send_filing(client, outbox, id)
        .await
        .map(|filing| SubmitOutcome {
            check,
            filing: Some(filing),
        })
}

/// Sends a queued filing (again): its key is kept with it, so the court makes one filing.
pub async fn send_filing(
    client: &Client,
    outbox: &Outbox,
    item: i64,
) -> Result<FilingView, CommandError> {
    let mut quiet = |_| {};
    let sent = outbox
        .send(client, item, &mut quiet, &AtomicBool::new(false))
        .await
        .map_err(|e| CommandError::from(e).with_detail("outboxItem", item.to_string()))?;
    let filing_id = sent.server_id.ok_or_else(|| {
        CommandError::new(
            "filing.not_sent",
            "This filing was not sent; it was stopped or refused.",
        )
        .with_detail("outboxItem", item.to_string())
    })?;
    Ok(FilingView::of(client.filing(&filing_id).await?, Utc::now()))
}

/// Adds a supplement (a note and materials) to a filing waiting for corrections.
pub async fn supplement(
    client: &Client,
    outbox: &Outbox,
    filing_id: &str,
    note: &str,
    materials: &[MaterialForm],
    progress: &mut (dyn FnMut(FilingProgress) + Send),
) -> Result<SupplementOutcome, CommandError> {
    let policy = client.policy().await?;
    let mut problems = Vec::new();
    if note.trim().is_empty() && materials.is_empty() {
        problems.push(ProblemView::local(
            "/note".into(),
            "supplement_empty",
            "Say what you corrected, or add a file.".into(),
        ));
    }
    let (files, total) = check_materials(&policy, materials, &mut problems);
    if !problems.is_empty() {
        return Ok(SupplementOutcome {
            check: CheckView {
                acceptable: false,
                problems,
                total_bytes: bytes(total),
            },
            filing: None,
        });
    }
    let documents = upload_all(client, outbox, &files, progress).await?;
    let request = SupplementRequest {
        note: note.trim().to_owned(),
        documents,
    };
    let filing = client.add_supplement(filing_id, &request).await?;
    Ok(SupplementOutcome {
        check: CheckView {
            acceptable: true,
            problems: Vec::new(),
            total_bytes: bytes(total),
        },
        filing: Some(FilingView::of(filing, Utc::now())),
    })
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SupplementOutcome {
    pub check: CheckView,
    pub filing: Option<FilingView>,
}

#[cfg(test)]
mod tests;
