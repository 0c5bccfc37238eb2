//! The manifest: what a step's recording is made of (segments with their hashes and durations,
//! the devices, the start and end), kept as `manifest.json` beside the segments and replaced
//! atomically each time a segment closes, so a crash leaves a manifest that lists every closed
//! segment. It is uploaded with the segments.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{HearingError, Result};
use crate::files;

/// The manifest's file name inside a recording folder.
pub const MANIFEST_FILE: &str = "manifest.json";
/// Segment files are `segment-00000.webm`, `segment-00001.webm`, … in recording order.
pub const SEGMENT_PREFIX: &str = "segment-";
pub const SEGMENT_EXTENSION: &str = "webm";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// The manifest's own format version.
    pub version: u32,
    /// Container and codecs of every segment.
    pub format: MediaFormat,
    pub video: VideoTrack,
    pub audio: AudioTrack,
    /// Longest a segment runs before the next one opens.
    pub segment_seconds: u32,
    pub started_at: DateTime<Utc>,
    /// Set when the recording was stopped cleanly.
    pub ended_at: Option<DateTime<Utc>>,
    /// Closed segments, in order.
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaFormat {
    pub container: String,
    pub video_codec: String,
    pub audio_codec: String,
}

impl MediaFormat {
    pub(crate) fn webm_vp8_opus() -> Self {
        Self {
            container: "webm".into(),
            video_codec: "vp8".into(),
            audio_codec: "opus".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VideoTrack {
    /// The camera's name as the system gives it, or "test pattern".
    pub device: String,
    pub width: u32,
    pub height: u32,
    pub framerate: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AudioTrack {
    /// The microphone's name as the system gives it, or "test tone".
    pub device: String,
    pub sample_rate: u32,
    pub channels: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Segment {
    /// 0-based position in the recording.
    pub index: u32,
    /// File name inside the recording folder.
    pub file: String,
    pub bytes: u64,
    /// SHA-256 of the file, lower-case hex.
    pub sha256: String,
    pub duration_ms: u64,
    pub closed_at: DateTime<Utc>,
    /// The segment was open when the recorder was killed and was kept by [`crate::recover`].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub recovered: bool,
}

impl Manifest {
    /// Whether the recording was stopped cleanly (not interrupted).
    pub fn is_finished(&self) -> bool {
        self.ended_at.is_some()
    }

    /// Total duration of the closed segments.
    pub fn duration_ms(&self) -> u64 {
        self.segments.iter().map(|s| s.duration_ms).sum()
    }

    /// The index the next segment gets.
    pub fn next_index(&self) -> u32 {
        self.segments.last().map_or(0, |s| s.index + 1)
    }

    pub fn path(folder: &Path) -> PathBuf {
        folder.join(MANIFEST_FILE)
    }

    /// Reads the manifest of the recording in `folder`.
    pub fn load(folder: &Path) -> Result<Self> {
        let path = Self::path(folder);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(HearingError::NotARecording {
                    path: folder.to_owned(),
                });
            }
            Err(e) => return Err(HearingError::io(path, e)),
        };
        serde_json::from_slice(&bytes).map_err(|source| HearingError::Manifest { path, source })
    }

    /// Replaces the manifest in `folder` atomically (0600).
    pub fn save(&self, folder: &Path) -> Result<()> {
        let path = Self::path(folder);
        let json = serde_json::to_vec_pretty(self).map_err(|source| HearingError::Manifest {
            path: path.clone(),
            source,
        })?;
        files::write_atomically(&path, &json)
    }
}

/// The segment file name for `index`.
pub fn segment_file_name(index: u32) -> String {
    format!("{SEGMENT_PREFIX}{index:05}.{SEGMENT_EXTENSION}")
}

/// The index in a segment file name, if it is one.
pub fn segment_index(file_name: &str) -> Option<u32> {
    file_name
        .strip_prefix(SEGMENT_PREFIX)?
        .strip_suffix(SEGMENT_EXTENSION)?
        .strip_suffix('.')?
        .parse()
        .ok()
}

/// Segment files present in `folder`, by index.
pub(crate) fn segment_files(folder: &Path) -> Result<Vec<(u32, String)>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(|e| HearingError::io(folder, e))? {
        let entry = entry.map_err(|e| HearingError::io(folder, e))?;
        if let Some(name) = entry.file_name().to_str()
            && let Some(index) = segment_index(name)
        {
            found.push((index, name.to_owned()));
        }
    }
    found.sort_unstable();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_names_round_trip_and_others_are_not_segments() {
        assert_eq!(segment_file_name(7), "segment-00007.webm");
        assert_eq!(segment_index("segment-00007.webm"), Some(7));
        assert_eq!(segment_index("segment-00007.webm.tmp"), None);
        assert_eq!(segment_index("manifest.json"), None);
        assert_eq!(segment_index("segment-x.webm"), None);
    }
}
