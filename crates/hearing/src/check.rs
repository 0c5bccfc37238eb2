//! The check before a hearing (Art. 24): camera and microphone present and working, enough light
//! on the picture, a quiet room, free disk for the recording, and an upload fast enough to send
//! it. Each finding says in plain words what was found and, when something is wrong, what to do.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use gstreamer as gst;
use gstreamer::prelude::*;
use serde::Serialize;

use crate::capture::{self, RecorderEvent, VideoSettings};
use crate::devices::{self, DeviceKind};
use crate::error::{HearingError, Result};
use crate::source::{Input, Source, make};

/// Bytes a second a default recording takes on disk and on the line (VP8 at 1.5 Mbit/s, Opus,
/// WebM overhead), as measured on the test pattern.
pub const RECORDING_BYTES_PER_SECOND: u64 = 240_000;

#[derive(Debug, Clone)]
pub struct CheckSettings {
    /// Where recordings are kept (the app's data folder): its disk must hold them.
    pub data_folder: PathBuf,
    pub source: Source,
    /// How many minutes of recording to make room for.
    pub minutes: u32,
    /// How long to look and listen.
    pub listen: Duration,
    /// Upload speed, bytes a second, when it has been measured against the platform.
    pub upload_bytes_per_second: Option<u64>,
}

impl CheckSettings {
    pub fn new(data_folder: impl Into<PathBuf>, source: Source) -> Self {
        Self {
            data_folder: data_folder.into(),
            source,
            minutes: 30,
            listen: Duration::from_secs(2),
            upload_bytes_per_second: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckItem {
    Camera,
    Microphone,
    Light,
    Noise,
    Disk,
    Upload,
}

impl CheckItem {
    /// The name the report serializes it as.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Camera => "camera",
            Self::Microphone => "microphone",
            Self::Light => "light",
            Self::Noise => "noise",
            Self::Disk => "disk",
            Self::Upload => "upload",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ok,
    NotChecked,
    Warning,
    Problem,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub item: CheckItem,
    pub verdict: Verdict,
    /// A stable name of what was found (`light.dark`), for an interface that words it in the
    /// person's language; `values` holds the figures and names its wording quotes.
    pub key: &'static str,
    pub values: BTreeMap<&'static str, String>,
    /// What was found, in plain (English) words.
    pub message: String,
    /// What to do about it, when something is to be done.
    pub fix: Option<String>,
}

impl Finding {
    fn new(
        item: CheckItem,
        verdict: Verdict,
        key: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            item,
            verdict,
            key,
            values: BTreeMap::new(),
            message: message.into(),
            fix: None,
        }
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.values.insert(name, value.into());
        self
    }

    fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentReport {
    pub findings: Vec<Finding>,
    /// Mean brightness of the preview, 0–255.
    pub mean_luma: Option<f64>,
    /// Loudness of the room while nobody speaks, dB full scale.
    pub noise_db: Option<f64>,
    pub free_bytes: u64,
    pub needed_bytes: u64,
}

impl EnvironmentReport {
    /// The worst verdict: recording should not start on a `Problem`.
    pub fn worst(&self) -> Verdict {
        self.findings
            .iter()
            .map(|f| f.verdict)
            .max()
            .unwrap_or(Verdict::Ok)
    }
}

/// Looks and listens for `settings.listen` and measures the disk; seconds, not minutes.
pub fn check_environment(settings: &CheckSettings) -> Result<EnvironmentReport> {
    crate::init()?;
    let mut findings = Vec::new();
    let camera = presence(DeviceKind::Camera, &settings.source.video)?;
    let microphone = presence(DeviceKind::Microphone, &settings.source.audio)?;
    let present = camera.verdict == Verdict::Ok && microphone.verdict == Verdict::Ok;
    findings.extend([camera, microphone]);

    let (mut mean_luma, mut noise_db) = (None, None);
    if present {
        let probe = probe(&settings.source, settings.listen)?;
        if let Some(failure) = probe.failure {
            findings.push(
                Finding::new(
                    CheckItem::Camera,
                    Verdict::Problem,
                    "devices.start_failed",
                    format!("The camera or microphone did not start: {failure}."),
                )
                .with("cause", failure.clone())
                .fix(
                    "Close other programs that may be using them (video calls), then check again.",
                ),
            );
        }
        mean_luma = probe.mean_luma;
        noise_db = probe.noise_db;
        findings.push(mean_luma.map_or_else(
            || {
                Finding::new(
                    CheckItem::Camera,
                    Verdict::Problem,
                    "camera.no_picture",
                    "The camera sent no picture.",
                )
                .fix("Open the camera's shutter or cover, reconnect it, then check again.")
            },
            judge_light,
        ));
        findings.push(noise_db.map_or_else(
            || {
                Finding::new(
                    CheckItem::Microphone,
                    Verdict::Problem,
                    "microphone.no_sound",
                    "The microphone sent no sound.",
                )
                .fix("Reconnect the microphone and choose it in the system's sound settings.")
            },
            judge_noise,
        ));
    } else {
        for item in [CheckItem::Light, CheckItem::Noise] {
            findings.push(Finding::new(
                item,
                Verdict::NotChecked,
                "needs_devices",
                "Not checked: it needs the camera and the microphone.",
            ));
        }
    }

    let needed_bytes = u64::from(settings.minutes) * 60 * RECORDING_BYTES_PER_SECOND;
    let free_bytes = fs4::available_space(&settings.data_folder)
        .map_err(|e| HearingError::io(&settings.data_folder, e))?;
    findings.push(judge_disk(free_bytes, needed_bytes, settings.minutes));
    findings.push(judge_upload(settings.upload_bytes_per_second, needed_bytes));
    Ok(EnvironmentReport {
        findings,
        mean_luma,
        noise_db,
        free_bytes,
        needed_bytes,
    })
}

fn presence(kind: DeviceKind, input: &Input) -> Result<Finding> {
    let item = match kind {
        DeviceKind::Camera => CheckItem::Camera,
        DeviceKind::Microphone => CheckItem::Microphone,
    };
    let noun = kind.noun();
    let found = match input {
        Input::Test => {
            return Ok(Finding::new(
                item,
                Verdict::Ok,
                match kind {
                    DeviceKind::Camera => "camera.test",
                    DeviceKind::Microphone => "microphone.test",
                },
                format!(
                    "Using the test {} instead of a {noun}.",
                    match kind {
                        DeviceKind::Camera => "pattern",
                        DeviceKind::Microphone => "tone",
                    }
                ),
            ));
        }
        Input::Default => devices::gst_devices(kind)?
            .first()
            .map(|d| d.display_name().to_string()),
        Input::Device(name) => devices::gst_devices(kind)?
            .iter()
            .find(|d| devices::answers_to(d, name))
            .map(|d| d.display_name().to_string()),
    };
    Ok(match found {
        Some(name) => Finding::new(
            item,
            Verdict::Ok,
            match kind {
                DeviceKind::Camera => "camera.present",
                DeviceKind::Microphone => "microphone.present",
            },
            format!("The {noun} \"{name}\" is there."),
        )
        .with("name", name),
        None => Finding::new(
            item,
            Verdict::Problem,
            match kind {
                DeviceKind::Camera => "camera.missing",
                DeviceKind::Microphone => "microphone.missing",
            },
            format!("No {noun} was found."),
        )
        .fix(match kind {
            DeviceKind::Camera => {
                "Connect a camera (or switch on the built-in one) and allow Litigant to use it."
            }
            DeviceKind::Microphone => {
                "Connect a microphone or headset and allow Litigant to use it."
            }
        }),
    })
}

struct Probe {
    mean_luma: Option<f64>,
    noise_db: Option<f64>,
    failure: Option<String>,
}

/// Runs the capture without recording: the last preview frame's brightness, and the room's
/// loudness as the power mean of the level meter's readings.
fn probe(source: &Source, listen: Duration) -> Result<Probe> {
    let (sender, events) = mpsc::sync_channel(64);
    let capture = capture::build(source, VideoSettings::LOW, Some(&sender))?;
    drop(sender);
    let sink = make("fakesink")?;
    capture::link_tail(&capture.pipeline, &[&capture.audio_out, &sink])?;
    let pipeline = capture.pipeline;
    let bus = pipeline
        .bus()
        .ok_or_else(|| HearingError::Pipeline("the pipeline has no bus".into()))?;
    let mut failure = capture::play(&pipeline).err().map(|e| e.to_string());
    let (mut luma, mut power, mut readings) = (None, 0.0, 0_u32);
    let until = Instant::now() + listen;
    while failure.is_none() {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        if let Ok(RecorderEvent::Preview(frame)) =
            events.recv_timeout(left.min(Duration::from_millis(50)))
        {
            luma = Some(frame.mean_luma());
        }
        while let Some(message) = bus.pop() {
            match message.view() {
                gst::MessageView::Element(element) => {
                    if let Some(level) = element.structure().and_then(capture::audio_level) {
                        power += 10_f64.powf(level.rms_db / 10.0);
                        readings += 1;
                    }
                }
                gst::MessageView::Error(error) => failure = Some(error.error().to_string()),
                _ => {}
            }
        }
    }
    let _ = pipeline.set_state(gst::State::Null);
    Ok(Probe {
        mean_luma: luma,
        noise_db: (readings > 0).then(|| 10.0 * (power / f64::from(readings)).log10()),
        failure,
    })
}

/// Brightness 0–255 of the picture.
pub fn judge_light(mean_luma: f64) -> Finding {
    if mean_luma < 50.0 {
        Finding::new(
            CheckItem::Light,
            Verdict::Problem,
            "light.dark",
            format!("The picture is too dark for the court to see your face (brightness {mean_luma:.0} of 255)."),
        )
        .with("luma", format!("{mean_luma:.0}"))
        .fix("Turn on a light in front of you or face a window; do not sit with a bright window behind you.")
    } else if mean_luma > 220.0 {
        Finding::new(
            CheckItem::Light,
            Verdict::Warning,
            "light.bright",
            format!("The picture is very bright (brightness {mean_luma:.0} of 255); your face may be washed out."),
        )
        .with("luma", format!("{mean_luma:.0}"))
        .fix("Move away from direct sunlight or turn the light away from the camera.")
    } else {
        Finding::new(
            CheckItem::Light,
            Verdict::Ok,
            "light.ok",
            format!("The light is good (brightness {mean_luma:.0} of 255)."),
        )
        .with("luma", format!("{mean_luma:.0}"))
    }
}

/// Loudness of the room while nobody speaks, dB relative to full scale.
pub fn judge_noise(noise_db: f64) -> Finding {
    if noise_db > -30.0 {
        Finding::new(
            CheckItem::Noise,
            Verdict::Problem,
            "noise.loud",
            format!("It is loud around you ({noise_db:.0} dB); the court may not hear you clearly."),
        )
        .with("db", format!("{noise_db:.0}"))
        .fix("Close windows and doors, switch off the television, radio and fans, or move to a quieter room.")
    } else if noise_db > -45.0 {
        Finding::new(
            CheckItem::Noise,
            Verdict::Warning,
            "noise.some",
            format!("There is some background noise ({noise_db:.0} dB)."),
        )
        .with("db", format!("{noise_db:.0}"))
        .fix("If you can, close the door and switch off what makes noise near you.")
    } else if noise_db < -90.0 {
        Finding::new(
            CheckItem::Noise,
            Verdict::Warning,
            "noise.silent", "The microphone hears nothing at all; it may be muted.",
        )
        .fix("Check the microphone's mute switch and that it is the one chosen in the system's sound settings.")
    } else {
        Finding::new(
            CheckItem::Noise,
            Verdict::Ok,
            "noise.quiet",
            format!("The room is quiet ({noise_db:.0} dB)."),
        )
        .with("db", format!("{noise_db:.0}"))
    }
}

fn megabytes(bytes: u64) -> u64 {
    bytes / 1_000_000
}

pub fn judge_disk(free_bytes: u64, needed_bytes: u64, minutes: u32) -> Finding {
    let (free, needed) = (megabytes(free_bytes), megabytes(needed_bytes));
    if free_bytes < needed_bytes {
        Finding::new(
            CheckItem::Disk,
            Verdict::Problem,
            "disk.short",
            format!("The disk has {free} MB free; {minutes} minutes of recording need about {needed} MB."),
        )
        .with("free", free.to_string()).with("needed", needed.to_string()).with("minutes", minutes.to_string())
        .fix("Free some space (empty the wastebasket, remove large files you no longer need), then check again.")
    } else if free_bytes < needed_bytes.saturating_mul(2) {
        Finding::new(
            CheckItem::Disk,
            Verdict::Warning,
            "disk.tight",
            format!(
                "The disk has {free} MB free, only just enough for {minutes} minutes ({needed} MB)."
            ),
        )
        .with("free", free.to_string())
        .with("needed", needed.to_string())
        .with("minutes", minutes.to_string())
        .fix("Free some space so that a re-recording also fits.")
    } else {
        Finding::new(
            CheckItem::Disk,
            Verdict::Ok,
            "disk.ok",
            format!("The disk has room ({free} MB free, {needed} MB needed)."),
        )
        .with("free", free.to_string())
        .with("needed", needed.to_string())
    }
}

pub fn judge_upload(bytes_per_second: Option<u64>, needed_bytes: u64) -> Finding {
    let Some(rate) = bytes_per_second.filter(|r| *r > 0) else {
        return Finding::new(
            CheckItem::Upload,
            Verdict::NotChecked,
            "upload.not_measured",
            "The upload speed has not been measured.",
        )
        .fix("It is measured when Litigant is connected to the court platform.");
    };
    let minutes = needed_bytes / rate / 60;
    let speed = rate * 8 / 1000;
    if minutes > 60 {
        Finding::new(
            CheckItem::Upload,
            Verdict::Warning,
            "upload.slow",
            format!("Sending the recording will take about {minutes} minutes ({speed} kbit/s)."),
        )
        .with("minutes", minutes.to_string()).with("speed", speed.to_string())
        .fix("Use a faster connection (a cable instead of Wi-Fi), and leave time before the deadline.")
    } else {
        Finding::new(
            CheckItem::Upload,
            Verdict::Ok,
            "upload.ok",
            format!(
                "The connection is fast enough ({speed} kbit/s; about {minutes} minutes to send)."
            ),
        )
        .with("minutes", minutes.to_string())
        .with("speed", speed.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judgements_follow_their_thresholds_and_say_what_to_do() {
        assert_eq!(judge_light(20.0).verdict, Verdict::Problem);
        assert!(judge_light(20.0).fix.is_some_and(|f| f.contains("light")));
        assert_eq!(judge_light(120.0).verdict, Verdict::Ok);
        assert_eq!(judge_light(240.0).verdict, Verdict::Warning);
        assert_eq!(judge_noise(-10.0).verdict, Verdict::Problem);
        assert_eq!(judge_noise(-40.0).verdict, Verdict::Warning);
        assert_eq!(judge_noise(-60.0).verdict, Verdict::Ok);
        assert!(judge_noise(-120.0).message.contains("muted"));
        assert_eq!(judge_noise(-120.0).key, "noise.silent");
        assert_eq!(judge_light(20.0).values["luma"], "20");
        assert_eq!(judge_disk(10, 20, 1).verdict, Verdict::Problem);
        assert_eq!(judge_disk(30, 20, 1).verdict, Verdict::Warning);
        assert_eq!(judge_disk(50, 20, 1).verdict, Verdict::Ok);
        assert_eq!(judge_upload(None, 1).verdict, Verdict::NotChecked);
        assert_eq!(
            judge_upload(Some(1000), 432_000_000).verdict,
            Verdict::Warning
        );
        assert_eq!(
            judge_upload(Some(1_000_000), 432_000_000).verdict,
            Verdict::Ok
        );
    }
}
