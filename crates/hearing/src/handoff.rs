//! Handing a finished step's recording to the court client's outbox, and back: the segments and
//! the manifest are queued as uploads (each re-hashed first, so a file changed since it was
//! recorded is never sent), the outbox item ids are kept in `uploads.json` beside them (the app
//! finds them again after a restart), and once every item is done and the platform's hashes
//! match the manifest's, the step's `StepRecordingRequest` is ready. After the platform has
//! confirmed the step, [`remove_recording`] deletes the local copy (Art. 27: recordings are not
//! kept or shared by the client).

use std::path::Path;

use litigant_court_api::hearings::StepRecordingRequest;
use litigant_court_client::{ItemStatus, Outbox};
use serde::{Deserialize, Serialize};

use crate::error::{HearingError, Result};
use crate::files;
use crate::manifest::{MANIFEST_FILE, Manifest};

/// Where the outbox items of a recording are noted, in its folder.
pub const UPLOADS_FILE: &str = "uploads.json";

/// The outbox items that carry one step's recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueuedRecording {
    /// One per segment, in the manifest's order.
    pub segment_items: Vec<i64>,
    pub manifest_item: i64,
}

/// Queues the finished recording in `folder` for `platform`. Queuing the same folder again
/// returns the items already queued.
pub fn enqueue_recording(
    outbox: &Outbox,
    platform: &str,
    folder: &Path,
) -> Result<QueuedRecording> {
    if let Some(queued) = queued_recording(folder)? {
        return Ok(queued);
    }
    let manifest = Manifest::load(folder)?;
    if !manifest.is_finished() {
        return Err(HearingError::NotFinished {
            path: folder.to_owned(),
        });
    }
    for segment in &manifest.segments {
        let (sha256, _) = files::sha256_file(&folder.join(&segment.file))?;
        if sha256 != segment.sha256 {
            return Err(HearingError::SegmentChanged {
                file: folder.join(&segment.file),
            });
        }
    }
    let mut segment_items = Vec::with_capacity(manifest.segments.len());
    for segment in &manifest.segments {
        segment_items.push(outbox.enqueue_upload(
            platform,
            &folder.join(&segment.file),
            "video/webm",
        )?);
    }
    let manifest_item =
        outbox.enqueue_upload(platform, &folder.join(MANIFEST_FILE), "application/json")?;
    let queued = QueuedRecording {
        segment_items,
        manifest_item,
    };
    let json = serde_json::to_vec_pretty(&queued).map_err(|source| HearingError::Manifest {
        path: folder.join(UPLOADS_FILE),
        source,
    })?;
    files::write_atomically(&folder.join(UPLOADS_FILE), &json)?;
    Ok(queued)
}

/// The items a recording was queued as, if it was.
pub fn queued_recording(folder: &Path) -> Result<Option<QueuedRecording>> {
    let path = folder.join(UPLOADS_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|source| HearingError::Manifest { path, source }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(HearingError::io(path, e)),
    }
}

/// The step's recording for the platform once every item has arrived (`None` while some are
/// still queued). An item the platform refused, or a segment whose hash on arrival differs from
/// the manifest's, is an error.
pub fn recording_request(
    outbox: &Outbox,
    folder: &Path,
    queued: &QueuedRecording,
) -> Result<Option<StepRecordingRequest>> {
    let manifest = Manifest::load(folder)?;
    let mut segment_document_ids = Vec::with_capacity(queued.segment_items.len());
    for (segment, id) in manifest.segments.iter().zip(&queued.segment_items) {
        let Some(document) = arrived(outbox, *id, Some(&segment.sha256))? else {
            return Ok(None);
        };
        segment_document_ids.push(document);
    }
    let Some(manifest_document_id) = arrived(outbox, queued.manifest_item, None)? else {
        return Ok(None);
    };
    Ok(Some(StepRecordingRequest {
        segment_document_ids,
        manifest_document_id,
    }))
}

/// The document id of a finished item; `None` while it waits.
fn arrived(outbox: &Outbox, id: i64, expected_sha256: Option<&str>) -> Result<Option<String>> {
    let item = outbox.item(id)?;
    match item.status {
        ItemStatus::Queued => Ok(None),
        ItemStatus::Failed | ItemStatus::Cancelled => Err(HearingError::UploadRefused {
            file: item.label,
            reason: item
                .last_error
                .unwrap_or_else(|| "it was cancelled".to_owned()),
        }),
        ItemStatus::Done => {
            if let Some(expected) = expected_sha256
                && item.server_sha256.as_deref() != Some(expected)
            {
                return Err(HearingError::UploadRefused {
                    file: item.label,
                    reason: "the platform received different bytes than were recorded".into(),
                });
            }
            Ok(item.server_id)
        }
    }
}

/// Deletes the recording in `folder` (segments, manifest, notes, the folder). Call it once the
/// platform has confirmed the step's recording.
pub fn remove_recording(folder: &Path) -> Result<()> {
    std::fs::remove_dir_all(folder).map_err(|e| HearingError::io(folder, e))
}
