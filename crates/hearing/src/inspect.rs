//! Decoding a segment end to end to learn what it really holds: how many video frames decode,
//! the span of their timestamps, whether sound decodes, and where decoding stopped if it broke.
//! Recovery uses it to judge a segment that was open at a crash.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gstreamer as gst;
use gstreamer::prelude::*;
use serde::Serialize;

use crate::error::{HearingError, Result};
use crate::source::make;

/// Longest an inspection may take; a segment is seconds long and decodes far faster.
const INSPECT_WAIT: Duration = Duration::from_mins(2);

/// What decoding a file showed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inspection {
    /// Video frames that decoded.
    pub video_frames: u64,
    /// From the first frame's start to the last frame's end.
    pub video_ms: u64,
    /// Audio buffers that decoded.
    pub audio_buffers: u64,
    /// From the first audio buffer's start to the last one's end.
    pub audio_ms: u64,
    /// Why decoding stopped before the end, if it did.
    pub error: Option<String>,
}

impl Inspection {
    /// Whether the file holds picture and sound that decode, whether or not it breaks off later.
    pub fn has_media(&self) -> bool {
        self.video_frames > 0 && self.audio_buffers > 0
    }
}

#[derive(Default)]
struct Span {
    buffers: u64,
    first: Option<u64>,
    end: u64,
}

impl Span {
    fn add(&mut self, buffer: &gst::BufferRef) {
        self.buffers += 1;
        if let Some(pts) = buffer.pts() {
            let start = pts.nseconds();
            self.first.get_or_insert(start);
            let end = start + buffer.duration().map_or(0, gst::ClockTime::nseconds);
            self.end = self.end.max(end);
        }
    }

    fn millis(&self) -> u64 {
        self.end.saturating_sub(self.first.unwrap_or(0)) / 1_000_000
    }
}

/// Decodes `path` completely (not in real time) and reports what came out.
pub fn inspect(path: &Path) -> Result<Inspection> {
    crate::init()?;
    let failed = |message: String| HearingError::Inspect {
        path: path.to_owned(),
        message,
    };
    let pipeline = gst::Pipeline::with_name("litigant-inspect");
    let file = make("filesrc")?;
    file.set_property("location", path.to_string_lossy().into_owned());
    let decode = make("decodebin")?;
    pipeline
        .add_many([&file, &decode])
        .and_then(|()| file.link(&decode))
        .map_err(|e| failed(e.to_string()))?;

    let video = Arc::new(Mutex::new(Span::default()));
    let audio = Arc::new(Mutex::new(Span::default()));
    let weak = pipeline.downgrade();
    let (video_seen, audio_seen) = (video.clone(), audio.clone());
    decode.connect_pad_added(move |_, pad| {
        let Some(pipeline) = weak.upgrade() else {
            return;
        };
        let media = pad
            .current_caps()
            .and_then(|c| c.structure(0).map(|s| s.name().to_string()))
            .unwrap_or_default();
        let span = if media.starts_with("video/") {
            video_seen.clone()
        } else if media.starts_with("audio/") {
            audio_seen.clone()
        } else {
            return;
        };
        let Ok(sink) = make("fakesink") else {
            return;
        };
        sink.set_property("sync", false);
        if pipeline.add(&sink).is_err() || sink.sync_state_with_parent().is_err() {
            return;
        }
        if let Some(sink_pad) = sink.static_pad("sink") {
            sink_pad.add_probe(gst::PadProbeType::BUFFER, move |_, info| {
                if let Some(buffer) = info.buffer()
                    && let Ok(mut span) = span.lock()
                {
                    span.add(buffer);
                }
                gst::PadProbeReturn::Ok
            });
            let _ = pad.link(&sink_pad);
        }
    });

    pipeline
        .set_state(gst::State::Playing)
        .map_err(|e| failed(e.to_string()))?;
    let bus = pipeline
        .bus()
        .ok_or_else(|| failed("the pipeline has no bus".into()))?;
    let timeout =
        gst::ClockTime::from_nseconds(u64::try_from(INSPECT_WAIT.as_nanos()).unwrap_or(u64::MAX));
    let ending = bus.timed_pop_filtered(timeout, &[gst::MessageType::Eos, gst::MessageType::Error]);
    let _ = pipeline.set_state(gst::State::Null);
    let error = match ending.as_ref().map(|m| m.view()) {
        Some(gst::MessageView::Eos(_)) => None,
        Some(gst::MessageView::Error(error)) => Some(error.error().to_string()),
        _ => Some(format!(
            "decoding took longer than {} s",
            INSPECT_WAIT.as_secs()
        )),
    };
    let (video, audio) = (
        video.lock().map_err(|_| failed("poisoned".into()))?,
        audio.lock().map_err(|_| failed("poisoned".into()))?,
    );
    Ok(Inspection {
        video_frames: video.buffers,
        video_ms: video.millis(),
        audio_buffers: audio.buffers,
        audio_ms: audio.millis(),
        error,
    })
}
