//! Asynchronous hearings (Online Litigation Rules 2021, Art. 20–27), the local half: the device
//! and environment check before recording (Art. 24), crash-safe recording of a step's answer
//! into hashed WebM segments with a manifest, and recovery after a crash.
//!
//! What must hold: a kill during recording loses at most the open segment; every closed segment
//! is listed in `manifest.json` with its SHA-256 before the next one is far along; recordings
//! live only in the folder they are given (inside the app's data folder), private to the user
//! (0700 folder, 0600 files), and this crate offers no way to export them.

mod attend;
mod capture;
mod check;
mod devices;
mod error;
mod files;
mod handoff;
mod inspect;
mod manifest;
mod recorder;
mod recover;
mod source;
mod still;

pub use attend::{Attendance, StepUpload};
pub use capture::{
    AUDIO_CHANNELS, AUDIO_RATE, AudioLevel, PREVIEW_FPS, PREVIEW_HEIGHT, PREVIEW_WIDTH,
    PreviewFrame, RecorderEvent, VideoSettings,
};
pub use check::{
    CheckItem, CheckSettings, EnvironmentReport, Finding, RECORDING_BYTES_PER_SECOND, Verdict,
    check_environment, judge_disk, judge_light, judge_noise, judge_upload,
};
pub use devices::{DeviceInfo, DeviceKind, list_devices};
pub use error::{HearingError, Result};
pub use files::sha256_file;
pub use handoff::{
    QueuedRecording, UPLOADS_FILE, enqueue_recording, queued_recording, recording_request,
    remove_recording,
};
pub use inspect::{Inspection, inspect};
pub use manifest::{
    AudioTrack, MANIFEST_FILE, Manifest, MediaFormat, Segment, VideoTrack, segment_file_name,
    segment_index,
};
pub use recorder::{Recorder, RecordingSettings};
pub use recover::{DroppedSegment, RecoveryReport, recover};
pub use source::{Input, Source};
pub use still::{RgbFrame, still_frame, still_jpeg};

/// Starts GStreamer once for the process; later calls return at once.
pub fn init() -> Result<()> {
    gstreamer::init().map_err(|e| HearingError::GStreamerInit(e.to_string()))
}
