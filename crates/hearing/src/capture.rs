//! The capture half shared by recording and by the environment check: the camera scaled to the
//! recording size, a tee with a small preview branch (RGB frames for the interface, a few per
//! second), and the microphone through a `level` element that measures loudness.

use std::sync::mpsc::SyncSender;

use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_app as gst_app;
use gstreamer_video as gst_video;
use serde::Serialize;

use crate::devices::DeviceKind;
use crate::error::{HearingError, Result};
use crate::manifest::Segment;
use crate::source::{self, Source, make};

/// Picture size and rate of the recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VideoSettings {
    pub width: u32,
    pub height: u32,
    pub framerate: u32,
}

impl Default for VideoSettings {
    /// 720p at 30 frames a second.
    fn default() -> Self {
        Self::HD
    }
}

impl VideoSettings {
    pub const HD: Self = Self {
        width: 1280,
        height: 720,
        framerate: 30,
    };
    /// For machines that cannot encode 720p in real time.
    pub const LOW: Self = Self {
        width: 640,
        height: 360,
        framerate: 30,
    };
}

/// Size and rate of the preview frames.
pub const PREVIEW_WIDTH: u32 = 160;
pub const PREVIEW_HEIGHT: u32 = 90;
pub const PREVIEW_FPS: i32 = 5;
/// Audio is recorded mono at 48 kHz (Opus's native rate).
pub const AUDIO_RATE: u32 = 48_000;
pub const AUDIO_CHANNELS: u32 = 1;

/// A low-resolution frame of what the camera sees, for the interface's preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewFrame {
    pub width: u32,
    pub height: u32,
    /// Packed RGB, `width * 3` bytes a row, no padding.
    pub rgb: Vec<u8>,
}

impl PreviewFrame {
    /// Mean luma (BT.601), 0 (black) to 255 (white).
    pub fn mean_luma(&self) -> f64 {
        let pixels = self.rgb.len() / 3;
        if pixels == 0 {
            return 0.0;
        }
        let sum: f64 = self
            .rgb
            .chunks_exact(3)
            .map(|p| 0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]))
            .sum();
        #[allow(
            clippy::cast_precision_loss,
            reason = "a pixel count is far below 2^52"
        )]
        let pixels = pixels as f64;
        sum / pixels
    }
}

/// Loudness over the last tenth of a second, in dB relative to full scale (0 is the loudest).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AudioLevel {
    pub rms_db: f64,
    pub peak_db: f64,
}

/// What a recorder or a check reports while it runs. Preview frames and levels are dropped when
/// the receiver falls behind; the manifest, not this channel, is the record of segments.
#[derive(Debug, Clone)]
pub enum RecorderEvent {
    Preview(PreviewFrame),
    Level(AudioLevel),
    SegmentClosed(Segment),
}

pub(crate) struct Capture {
    pub pipeline: gst::Pipeline,
    /// Where the recording branch takes the picture from.
    pub video_tee: gst::Element,
    /// Where the recording branch takes the sound from (after `level`).
    pub audio_out: gst::Element,
    pub video_device: String,
    pub audio_device: String,
}

fn caps_filter(caps: gst::Caps) -> Result<gst::Element> {
    let filter = make("capsfilter")?;
    filter.set_property("caps", caps);
    Ok(filter)
}

/// Adds `elements` to the pipeline and links them in order.
fn add_linked(pipeline: &gst::Pipeline, elements: &[&gst::Element]) -> Result<()> {
    pipeline
        .add_many(elements)
        .and_then(|()| gst::Element::link_many(elements))
        .map_err(|e| HearingError::Pipeline(e.to_string()))
}

pub(crate) fn to_i32(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// Builds the sources, the preview branch and the level meter.
pub(crate) fn build(
    source: &Source,
    video: VideoSettings,
    events: Option<&SyncSender<RecorderEvent>>,
) -> Result<Capture> {
    crate::init()?;
    let pipeline = gst::Pipeline::with_name("litigant-recorder");

    let camera = source::input_source(DeviceKind::Camera, &source.video)?;
    let convert = make("videoconvert")?;
    let scale = make("videoscale")?;
    let rate = make("videorate")?;
    let size = caps_filter(
        gst::Caps::builder("video/x-raw")
            .field("width", to_i32(video.width))
            .field("height", to_i32(video.height))
            .field("framerate", gst::Fraction::new(to_i32(video.framerate), 1))
            .build(),
    )?;
    let tee = make("tee")?;
    add_linked(
        &pipeline,
        &[&camera.element, &convert, &scale, &rate, &size, &tee],
    )?;

    add_preview(&pipeline, &tee, events)?;

    let microphone = source::input_source(DeviceKind::Microphone, &source.audio)?;
    let audio_convert = make("audioconvert")?;
    let resample = make("audioresample")?;
    let audio_caps = caps_filter(
        gst::Caps::builder("audio/x-raw")
            .field("rate", to_i32(AUDIO_RATE))
            .field("channels", to_i32(AUDIO_CHANNELS))
            .build(),
    )?;
    let level = make("level")?;
    level.set_property("post-messages", true);
    level.set_property("interval", 100_000_000_u64);
    add_linked(
        &pipeline,
        &[
            &microphone.element,
            &audio_convert,
            &resample,
            &audio_caps,
            &level,
        ],
    )?;

    Ok(Capture {
        pipeline,
        video_tee: tee,
        audio_out: level,
        video_device: camera.device,
        audio_device: microphone.device,
    })
}

/// The preview branch: a few small RGB frames a second to `events`.
fn add_preview(
    pipeline: &gst::Pipeline,
    tee: &gst::Element,
    events: Option<&SyncSender<RecorderEvent>>,
) -> Result<()> {
    // Preview: never holds the recording back (leaky queue, appsink drops old frames).
    let queue = make("queue")?;
    queue.set_property_from_str("leaky", "downstream");
    queue.set_property("max-size-buffers", 1_u32);
    let preview_rate = make("videorate")?;
    let preview_scale = make("videoscale")?;
    let preview_convert = make("videoconvert")?;
    let preview_caps = caps_filter(
        gst::Caps::builder("video/x-raw")
            .field("format", "RGB")
            .field("width", to_i32(PREVIEW_WIDTH))
            .field("height", to_i32(PREVIEW_HEIGHT))
            .field("framerate", gst::Fraction::new(PREVIEW_FPS, 1))
            .build(),
    )?;
    let sink = gst_app::AppSink::builder()
        .sync(false)
        .drop(true)
        .max_buffers(1)
        .build();
    // Samples are always taken, even with no one to give them to: an appsink holding a sample
    // nobody pulls holds back the end of the stream, and the last segment would never close.
    let events = events.cloned();
    sink.set_callbacks(
        gst_app::AppSinkCallbacks::builder()
            .new_sample(move |sink| {
                let sample = sink.pull_sample().map_err(|_| gst::FlowError::Eos)?;
                if let Some(events) = &events
                    && let Some(frame) = preview_frame(&sample)
                {
                    let _ = events.try_send(RecorderEvent::Preview(frame));
                }
                Ok(gst::FlowSuccess::Ok)
            })
            .build(),
    );
    let sink = sink.upcast::<gst::Element>();
    link_tail(
        pipeline,
        &[
            tee,
            &queue,
            &preview_rate,
            &preview_scale,
            &preview_convert,
            &preview_caps,
            &sink,
        ],
    )
}

/// Longest a camera and microphone may take to deliver their first data (PulseAudio can take a
/// second or two).
const START_WAIT: gst::ClockTime = gst::ClockTime::from_seconds(15);

/// Starts `pipeline` and waits until data has reached every sink: live sources make the change
/// to playing asynchronous, and it completes only when the devices really deliver.
pub(crate) fn play(pipeline: &gst::Pipeline) -> Result<()> {
    let failed = |detail: String| {
        let _ = pipeline.set_state(gst::State::Null);
        HearingError::Recording {
            message: format!("the camera or microphone did not start ({detail})"),
        }
    };
    pipeline
        .set_state(gst::State::Playing)
        .map_err(|e| failed(e.to_string()))?;
    match pipeline.state(START_WAIT) {
        (Ok(_), gst::State::Playing, _) => Ok(()),
        (Ok(_), state, _) => Err(failed(format!(
            "still {state:?} after {} s",
            START_WAIT.seconds()
        ))),
        (Err(error), _, _) => Err(failed(error.to_string())),
    }
}

/// Adds all but the first of `chain` (already in the pipeline) and links the whole chain.
pub(crate) fn link_tail(pipeline: &gst::Pipeline, chain: &[&gst::Element]) -> Result<()> {
    pipeline
        .add_many(&chain[1..])
        .and_then(|()| gst::Element::link_many(chain))
        .map_err(|e| HearingError::Pipeline(e.to_string()))
}

fn preview_frame(sample: &gst::Sample) -> Option<PreviewFrame> {
    let info = gst_video::VideoInfo::from_caps(sample.caps()?).ok()?;
    let buffer = sample.buffer()?;
    let map = buffer.map_readable().ok()?;
    let row = info.width() as usize * 3;
    let stride = usize::try_from(info.stride()[0]).ok()?;
    let mut rgb = Vec::with_capacity(row * info.height() as usize);
    for line in map.chunks(stride).take(info.height() as usize) {
        rgb.extend_from_slice(line.get(..row)?);
    }
    Some(PreviewFrame {
        width: info.width(),
        height: info.height(),
        rgb,
    })
}

/// Reads a `level` element message: the loudest channel's RMS and peak.
pub(crate) fn audio_level(structure: &gst::StructureRef) -> Option<AudioLevel> {
    if structure.name() != "level" {
        return None;
    }
    let loudest = |field: &str| {
        let values = structure.get::<gst::glib::ValueArray>(field).ok()?;
        values
            .iter()
            .filter_map(|v| v.get::<f64>().ok())
            .reduce(f64::max)
    };
    Some(AudioLevel {
        rms_db: loudest("rms")?,
        peak_db: loudest("peak")?,
    })
}
