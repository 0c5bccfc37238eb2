//! After a crash or a kill: the manifest lists every segment that closed; the segment that was
//! open (and any other file the manifest does not list) is decoded in full. One that holds
//! picture and sound is kept, hashed and added to the manifest as recovered; one that does not
//! decode is removed. The recording can then be continued ([`crate::Recorder::start`] on the
//! same folder numbers on) or stopped where it is.

use std::path::Path;

use chrono::Utc;
use serde::Serialize;

use crate::error::{HearingError, Result};
use crate::files;
use crate::inspect::inspect;
use crate::manifest::{MANIFEST_FILE, Manifest, Segment, segment_files};

/// What [`recover`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryReport {
    /// Segments that were not in the manifest, decoded, and are now listed (as recovered).
    pub kept: Vec<Segment>,
    /// Segments that did not decode and were removed.
    pub dropped: Vec<DroppedSegment>,
    /// Files the manifest lists that are no longer there.
    pub missing: Vec<String>,
    /// The manifest as it now stands.
    pub manifest: Manifest,
}

impl RecoveryReport {
    /// Whether the folder was already whole (nothing kept, dropped or missing).
    pub fn was_whole(&self) -> bool {
        self.kept.is_empty() && self.dropped.is_empty() && self.missing.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DroppedSegment {
    pub file: String,
    pub bytes: u64,
    /// Why it could not be kept, in plain words.
    pub reason: String,
}

/// Finds and repairs an interrupted recording in `folder`. Safe to run on a whole recording
/// (it then changes nothing) and to run again after it was interrupted itself.
pub fn recover(folder: &Path) -> Result<RecoveryReport> {
    crate::init()?;
    let mut manifest = Manifest::load(folder)?;
    let aside = folder.join(MANIFEST_FILE).with_extension("json.tmp");
    if aside.exists() {
        std::fs::remove_file(&aside).map_err(|e| HearingError::io(&aside, e))?;
    }
    let present = segment_files(folder)?;
    let missing: Vec<String> = manifest
        .segments
        .iter()
        .filter(|s| !present.iter().any(|(_, name)| *name == s.file))
        .map(|s| s.file.clone())
        .collect();

    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for (index, name) in present {
        if manifest.segments.iter().any(|s| s.file == name) {
            continue;
        }
        let path = folder.join(&name);
        let bytes = std::fs::metadata(&path)
            .map_err(|e| HearingError::io(&path, e))?
            .len();
        let decoded = inspect(&path)?;
        if decoded.has_media() {
            files::private_file(&path)?;
            let (sha256, bytes) = files::sha256_file(&path)?;
            kept.push(Segment {
                index,
                file: name,
                bytes,
                sha256,
                duration_ms: decoded.video_ms.max(decoded.audio_ms),
                closed_at: Utc::now(),
                recovered: true,
            });
        } else {
            std::fs::remove_file(&path).map_err(|e| HearingError::io(&path, e))?;
            dropped.push(DroppedSegment {
                file: name,
                bytes,
                reason: decoded.error.unwrap_or_else(|| {
                    "it holds no picture and sound that can be played".to_owned()
                }),
            });
        }
    }
    if !kept.is_empty() {
        manifest.segments.extend(kept.iter().cloned());
        manifest.segments.sort_by_key(|s| s.index);
        manifest.save(folder)?;
    }
    Ok(RecoveryReport {
        kept,
        dropped,
        missing,
        manifest,
    })
}
