//! The electronic service inbox (Art. 29–32): documents the court served on the signed-in
//! account; opening one reports the reading back (the platform keeps the first time),
//! confirming receipt, saving a copy where the person chooses, and the service certificate.
//!
//! What must hold for a saved copy: it is written beside the target under a temporary name and
//! renamed only once its bytes hash to what the platform recorded at service, so a failed or
//! tampered download never leaves a file that looks like the document; an existing file is
//! never overwritten.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use litigant_court_api::service::{ServedDocument, ServiceCertificate};
use litigant_court_client::{Client, sha256_file};
use serde::Serialize;

use crate::error::CommandError;

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ServedItem {
    pub id: String,
    pub case_id: String,
    pub title: String,
    pub filename: String,
    pub size: u32,
    pub sha256: String,
    pub served_at: String,
    pub delivered_at: String,
    pub opened_at: Option<String>,
    pub receipt_confirmed_at: Option<String>,
}

impl From<ServedDocument> for ServedItem {
    fn from(served: ServedDocument) -> Self {
        Self {
            id: served.id,
            case_id: served.case_id,
            title: served.title,
            filename: served.document.filename,
            size: u32::try_from(served.document.size).unwrap_or(u32::MAX),
            sha256: served.document.sha256,
            served_at: rfc3339(served.served_at),
            delivered_at: rfc3339(served.delivered_at),
            opened_at: served.opened_at.map(rfc3339),
            receipt_confirmed_at: served.receipt_confirmed_at.map(rfc3339),
        }
    }
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Certificate {
    pub service_id: String,
    pub case_id: String,
    pub served_to_name: String,
    pub title: String,
    pub document_sha256: String,
    pub served_at: String,
    pub delivered_at: String,
    pub opened_at: Option<String>,
    pub receipt_confirmed_at: Option<String>,
    pub court_name: String,
}

impl From<ServiceCertificate> for Certificate {
    fn from(c: ServiceCertificate) -> Self {
        Self {
            service_id: c.service_id,
            case_id: c.case_id,
            served_to_name: c.served_to_name,
            title: c.title,
            document_sha256: c.document_sha256,
            served_at: rfc3339(c.served_at),
            delivered_at: rfc3339(c.delivered_at),
            opened_at: c.opened_at.map(rfc3339),
            receipt_confirmed_at: c.receipt_confirmed_at.map(rfc3339),
            court_name: c.court_name,
        }
    }
}

/// A copy saved where the person chose, with the hash of the bytes on disk.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SavedCopy {
    pub path: String,
    pub sha256: String,
    pub size: u32,
}

pub async fn inbox(client: &Client) -> Result<Vec<ServedItem>, CommandError> {
    Ok(client.inbox().await?.into_iter().map(Into::into).collect())
}

pub async fn open(client: &Client, service_id: &str) -> Result<ServedItem, CommandError> {
    Ok(client.mark_opened(service_id).await?.into())
}

pub async fn confirm(client: &Client, service_id: &str) -> Result<ServedItem, CommandError> {
    Ok(client.confirm_receipt(service_id).await?.into())
}

pub async fn certificate(client: &Client, service_id: &str) -> Result<Certificate, CommandError> {
    Ok(client.service_certificate(service_id).await?.into())
}

fn file_error(code: &str, message: &str, path: &Path, cause: &std::io::Error) -> CommandError {
    CommandError::new(code, format!("{message}: {} ({cause})", path.display()))
        .with_detail("path", path.display().to_string())
        .with_detail("cause", cause.to_string())
}

/// Where a copy may go: a full path to a file that does not exist yet, in a folder that does.
fn check_target(target: &Path) -> Result<(), CommandError> {
    let path = target.display().to_string();
    if !target.is_absolute() || target.file_name().is_none() {
        return Err(CommandError::new(
            "service.target_not_a_file_path",
            format!("“{path}” is not a full path to a file."),
        )
        .with_detail("path", path));
    }
    if target.exists() {
        return Err(CommandError::new(
            "service.target_exists",
            format!("{path} exists already; it was left as it is."),
        )
        .with_detail("path", path));
    }
    match target.parent() {
        Some(parent) if parent.is_dir() => Ok(()),
        _ => Err(CommandError::new(
            "service.target_folder_missing",
            format!("The folder for {path} does not exist."),
        )
        .with_detail("path", path)),
    }
}

/// Downloads the served document to `target`, checking its hash against the one recorded at
/// service before the file takes its name.
pub async fn save_copy(
    client: &Client,
    service_id: &str,
    target: PathBuf,
) -> Result<SavedCopy, CommandError> {
    check_target(&target)?;
    let served = client
        .inbox()
        .await?
        .into_iter()
        .find(|s| s.id == service_id)
        .ok_or_else(|| {
            CommandError::new(
                "service.not_in_inbox",
                format!("{service_id} is not in this account's inbox."),
            )
            .with_detail("id", service_id)
        })?;
    let bytes = client.document_content(&served.document.id).await?;
    let size = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    let dir = target.parent().unwrap_or(Path::new(".")).to_owned();
    // A document can be large: written off the async threads.
    let written = tokio::task::spawn_blocking(move || -> std::io::Result<_> {
        let mut part = tempfile::Builder::new()
            .prefix(".litigant-download-")
            .tempfile_in(dir)?;
        part.write_all(&bytes)?;
        part.as_file().sync_all()?;
        Ok(part)
    })
    .await
    .map_err(|_| CommandError::state_poisoned())?;
    let part = written.map_err(|e| {
        file_error(
            "service.write",
            "The copy could not be written",
            &target,
            &e,
        )
    })?;
    let sha256 = sha256_file(part.path()).await?;
    if sha256 != served.document.sha256 {
        return Err(CommandError::new(
            "service.hash_mismatch",
            format!(
                "The downloaded bytes hash to {sha256}, not to {} recorded at service; nothing was saved.",
                served.document.sha256
            ),
        )
        .with_detail("expected", served.document.sha256)
        .with_detail("actual", sha256));
    }
    // persist_noclobber: a file that appeared at the target meanwhile is kept, not replaced.
    part.persist_noclobber(&target).map_err(|e| {
        file_error(
            "service.write",
            "The copy could not be written",
            &target,
            &e.error,
        )
    })?;
    Ok(SavedCopy {
        path: target.display().to_string(),
        sha256,
        size,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_goes_only_to_a_new_file_in_an_existing_folder() {
        let dir = tempfile::tempdir().unwrap();
        let existing = dir.path().join("kept.pdf");
        std::fs::write(&existing, b"mine").unwrap();
        assert_eq!(
            check_target(&existing).unwrap_err().code,
            "service.target_exists"
        );
        assert_eq!(std::fs::read(&existing).unwrap(), b"mine");
        assert_eq!(
            check_target(Path::new("relative.pdf")).unwrap_err().code,
            "service.target_not_a_file_path"
        );
        assert_eq!(
            check_target(&dir.path().join("missing").join("a.pdf"))
                .unwrap_err()
                .code,
            "service.target_folder_missing"
        );
        assert!(check_target(&dir.path().join("new.pdf")).is_ok());
    }
}
