//! Recording a step's answer: the capture (see [`crate::capture`]) into VP8 and Opus, cut by
//! `splitmuxsink` into WebM segments of a few seconds. Each segment is hashed as it closes and
//! the manifest is replaced at once, so a kill loses at most the segment that was open (and even
//! that one usually decodes up to the kill: see [`crate::recover`]).
//!
//! GStreamer runs on its own threads; the recorder's bus is read by one thread of ours, which
//! hashes closed segments and keeps the manifest. Nothing here blocks an async runtime except
//! [`Recorder::stop`], which waits for the last segment to be written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread;
use std::time::Duration;

use chrono::Utc;
use gstreamer as gst;
use gstreamer::prelude::*;

use crate::capture::{self, AUDIO_CHANNELS, AUDIO_RATE, RecorderEvent, VideoSettings, to_i32};
use crate::error::{HearingError, Result};
use crate::files;
use crate::manifest::{
    AudioTrack, Manifest, MediaFormat, SEGMENT_EXTENSION, SEGMENT_PREFIX, Segment, VideoTrack,
    segment_files,
};
use crate::source::{Source, make};

/// How long [`Recorder::stop`] waits for the last segment to be finished.
const STOP_WAIT: Duration = Duration::from_secs(30);
const ABANDON: &str = "litigant-abandon";

#[derive(Debug, Clone)]
pub struct RecordingSettings {
    /// The step's recording folder, inside the app's data folder.
    pub folder: PathBuf,
    pub source: Source,
    pub video: VideoSettings,
    /// Longest a segment runs; a kill loses at most this much.
    pub segment_seconds: u32,
    /// VP8 target, bits a second.
    pub video_bitrate: u32,
}

impl RecordingSettings {
    /// 720p30 at 1.5 Mbit/s in 10-second segments.
    pub fn new(folder: impl Into<PathBuf>, source: Source) -> Self {
        Self {
            folder: folder.into(),
            source,
            video: VideoSettings::default(),
            segment_seconds: 10,
            video_bitrate: 1_500_000,
        }
    }
}

/// A recording in progress. Dropping it without [`Recorder::stop`] abandons the open segment,
/// as a crash would; [`crate::recover`] then finds it.
#[derive(Debug)]
pub struct Recorder {
    pipeline: gst::Pipeline,
    folder: PathBuf,
    outcome: Option<Receiver<Result<Manifest>>>,
}

impl Recorder {
    /// Starts recording into `settings.folder`. A folder with an interrupted, recovered
    /// recording is continued (segment numbers go on); a finished one is refused.
    pub fn start(
        settings: &RecordingSettings,
        events: Option<SyncSender<RecorderEvent>>,
    ) -> Result<Self> {
        crate::init()?;
        let folder = settings.folder.clone();
        files::private_folder(&folder)?;
        let existing = match Manifest::load(&folder) {
            Ok(manifest) => Some(manifest),
            Err(HearingError::NotARecording { .. }) => None,
            Err(error) => return Err(error),
        };
        if let Some(manifest) = &existing {
            if manifest.is_finished() {
                return Err(HearingError::AlreadyFinished { path: folder });
            }
            let listed: Vec<&str> = manifest.segments.iter().map(|s| s.file.as_str()).collect();
            if segment_files(&folder)?
                .iter()
                .any(|(_, name)| !listed.contains(&name.as_str()))
            {
                return Err(HearingError::NeedsRecovery { path: folder });
            }
        }

        let capture = capture::build(&settings.source, settings.video, events.as_ref())?;
        let manifest = existing.unwrap_or_else(|| Manifest {
            version: 1,
            format: MediaFormat::webm_vp8_opus(),
            video: VideoTrack {
                device: capture.video_device.clone(),
                width: settings.video.width,
                height: settings.video.height,
                framerate: settings.video.framerate,
            },
            audio: AudioTrack {
                device: capture.audio_device.clone(),
                sample_rate: AUDIO_RATE,
                channels: AUDIO_CHANNELS,
            },
            segment_seconds: settings.segment_seconds,
            started_at: Utc::now(),
            ended_at: None,
            segments: Vec::new(),
        });
        manifest.save(&folder)?;

        let video_queue = make("queue")?;
        let encoder = make("vp8enc")?;
        // One thread and the real-time deadline: a modest machine keeps up at 720p30.
        encoder.set_property("threads", 1_i32);
        encoder.set_property("deadline", 1_i64);
        encoder.set_property("target-bitrate", to_i32(settings.video_bitrate));
        let audio_queue = make("queue")?;
        let opus = make("opusenc")?;
        let split = make("splitmuxsink")?;
        split.set_property("muxer", make("webmmux")?);
        split.set_property(
            "location",
            folder
                .join(format!("{SEGMENT_PREFIX}%05d.{SEGMENT_EXTENSION}"))
                .to_string_lossy()
                .into_owned(),
        );
        split.set_property(
            "max-size-time",
            u64::from(settings.segment_seconds) * 1_000_000_000,
        );
        split.set_property("send-keyframe-requests", true);
        split.set_property("start-index", to_i32(manifest.next_index()));
        let pipeline = capture.pipeline;
        capture::link_tail(&pipeline, &[&capture.video_tee, &video_queue, &encoder])?;
        capture::link_tail(&pipeline, &[&capture.audio_out, &audio_queue, &opus])?;
        pipeline
            .add(&split)
            .map_err(|e| HearingError::Pipeline(e.to_string()))?;
        link_request(&encoder, &split, "video")?;
        link_request(&opus, &split, "audio_%u")?;

        let (sender, outcome) = mpsc::channel();
        let bus = pipeline
            .bus()
            .ok_or_else(|| HearingError::Pipeline("the pipeline has no bus".into()))?;
        let watched = pipeline.clone();
        let watched_folder = folder.clone();
        thread::Builder::new()
            .name("litigant-recorder-bus".into())
            .spawn(move || {
                let result = watch(&bus, &watched_folder, manifest, events.as_ref());
                let _ = watched.set_state(gst::State::Null);
                let _ = sender.send(result);
            })
            .map_err(|e| HearingError::Pipeline(e.to_string()))?;

        // Returns once picture and sound reach the files, so a caller's clock starts with them.
        if let Err(error) = capture::play(&pipeline) {
            let _ = pipeline.post_message(gst::message::Application::new(
                gst::Structure::new_empty(ABANDON),
            ));
            return Err(error);
        }
        Ok(Self {
            pipeline,
            folder,
            outcome: Some(outcome),
        })
    }

    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// Stops cleanly: the open segment is finished and hashed, and the final manifest (with its
    /// end time) is written and returned.
    pub fn stop(mut self) -> Result<Manifest> {
        let outcome = self.outcome.take().ok_or_else(|| HearingError::Recording {
            message: "the recorder has already stopped".into(),
        })?;
        self.pipeline.send_event(gst::event::Eos::new());
        let result = outcome.recv_timeout(STOP_WAIT).map_err(|_| {
            let _ = self.pipeline.set_state(gst::State::Null);
            HearingError::StopTimedOut {
                seconds: STOP_WAIT.as_secs(),
            }
        })?;
        let mut manifest = result?;
        manifest.ended_at = Some(Utc::now());
        manifest.save(&self.folder)?;
        Ok(manifest)
    }

    /// Returns the error that ended the recording early, if one has (device unplugged, disk
    /// full); `None` while it runs.
    pub fn failure(&self) -> Option<HearingError> {
        let outcome = self.outcome.as_ref()?;
        match outcome.try_recv() {
            Ok(Err(error)) => Some(error),
            Ok(Ok(_)) | Err(_) => None,
        }
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        if self.outcome.is_some() {
            let _ = self.pipeline.post_message(gst::message::Application::new(
                gst::Structure::new_empty(ABANDON),
            ));
        }
    }
}

fn link_request(from: &gst::Element, split: &gst::Element, template: &str) -> Result<()> {
    let pad = split
        .request_pad_simple(template)
        .ok_or_else(|| HearingError::Pipeline(format!("splitmuxsink gave no {template} pad")))?;
    let source = from
        .static_pad("src")
        .ok_or_else(|| HearingError::Pipeline("an encoder has no src pad".into()))?;
    source
        .link(&pad)
        .map(|_| ())
        .map_err(|e| HearingError::Pipeline(format!("{template}: {e:?}")))
}

/// Reads the bus until the end of the stream: segments as they open and close, levels, errors.
fn watch(
    bus: &gst::Bus,
    folder: &Path,
    mut manifest: Manifest,
    events: Option<&SyncSender<RecorderEvent>>,
) -> Result<Manifest> {
    let mut opened: HashMap<String, u64> = HashMap::new();
    for message in bus.iter_timed(gst::ClockTime::NONE) {
        match message.view() {
            gst::MessageView::Element(element) => {
                let Some(structure) = element.structure() else {
                    continue;
                };
                match structure.name().as_str() {
                    "splitmuxsink-fragment-opened" => {
                        let (location, running) = fragment(structure)?;
                        files::private_file(Path::new(&location))?;
                        opened.insert(location, running);
                    }
                    "splitmuxsink-fragment-closed" => {
                        let (location, running) = fragment(structure)?;
                        let start = opened.remove(&location).unwrap_or(running);
                        let segment = close_segment(&location, running.saturating_sub(start))?;
                        manifest.segments.push(segment.clone());
                        manifest.save(folder)?;
                        if let Some(events) = events {
                            let _ = events.try_send(RecorderEvent::SegmentClosed(segment));
                        }
                    }
                    _ => {
                        if let (Some(events), Some(level)) =
                            (events, capture::audio_level(structure))
                        {
                            let _ = events.try_send(RecorderEvent::Level(level));
                        }
                    }
                }
            }
            gst::MessageView::Application(application)
                if application.structure().is_some_and(|s| s.name() == ABANDON) =>
            {
                return Err(HearingError::Recording {
                    message: "the recording was abandoned".into(),
                });
            }
            gst::MessageView::Eos(_) => return Ok(manifest),
            gst::MessageView::Error(error) => {
                let from = error
                    .src()
                    .map(|s| s.path_string().to_string())
                    .unwrap_or_default();
                return Err(HearingError::Recording {
                    message: format!("{} ({from})", error.error()),
                });
            }
            _ => {}
        }
    }
    Err(HearingError::Recording {
        message: "the recorder's message bus closed".into(),
    })
}

fn fragment(structure: &gst::StructureRef) -> Result<(String, u64)> {
    let location = structure
        .get::<String>("location")
        .map_err(|e| HearingError::Pipeline(e.to_string()))?;
    let running = structure
        .get::<u64>("running-time")
        .map_err(|e| HearingError::Pipeline(e.to_string()))?;
    Ok((location, running))
}

fn close_segment(location: &str, duration_ns: u64) -> Result<Segment> {
    let path = Path::new(location);
    files::private_file(path)?;
    let (sha256, bytes) = files::sha256_file(path)?;
    let file = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(location)
        .to_owned();
    let index = crate::manifest::segment_index(&file)
        .ok_or_else(|| HearingError::Pipeline(format!("unexpected segment name {file}")))?;
    Ok(Segment {
        index,
        file,
        bytes,
        sha256,
        duration_ms: duration_ns / 1_000_000,
        closed_at: Utc::now(),
        recovered: false,
    })
}
