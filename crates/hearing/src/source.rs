//! Where a recording's picture and sound come from: a test pattern and tone, the system's
//! default camera and microphone, or devices named as the system names them.

use gstreamer as gst;
use gstreamer::prelude::*;

use crate::devices::{self, DeviceKind};
use crate::error::{HearingError, Result};

/// One input of a recording: the camera or the microphone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// GStreamer's test pattern (`videotestsrc`, moving) or test tone (`audiotestsrc`), for
    /// tests and demonstrations.
    Test,
    /// The system's default camera or microphone (the first camera it lists).
    Default,
    /// A device by its name (as `litigant devices` shows it) or its system name (a camera's
    /// device path, a PulseAudio source such as `null.monitor`).
    Device(String),
}

impl Input {
    /// `test`, `default`, or a device name.
    pub fn parse(text: &str) -> Self {
        match text {
            "test" => Self::Test,
            "default" => Self::Default,
            name => Self::Device(name.to_owned()),
        }
    }
}

/// A camera and a microphone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub video: Input,
    pub audio: Input,
}

impl Source {
    pub fn test() -> Self {
        Self {
            video: Input::Test,
            audio: Input::Test,
        }
    }

    pub fn default_devices() -> Self {
        Self {
            video: Input::Default,
            audio: Input::Default,
        }
    }
}

/// A source element and the name the manifest records for it.
pub(crate) struct Made {
    pub element: gst::Element,
    pub device: String,
}

pub(crate) fn make(factory: &'static str) -> Result<gst::Element> {
    gst::ElementFactory::make(factory)
        .build()
        .map_err(|_| HearingError::MissingElement {
            element: factory,
            package: package_of(factory),
        })
}

fn package_of(factory: &str) -> &'static str {
    match factory {
        "vp8enc" | "webmmux" | "matroskademux" | "splitmuxsink" | "level" | "pulsesrc"
        | "v4l2src" => "gstreamer1.0-plugins-good",
        _ => "gstreamer1.0-plugins-base",
    }
}

/// The element that delivers `input`'s picture (`kind` camera) or sound (`kind` microphone).
pub(crate) fn input_source(kind: DeviceKind, input: &Input) -> Result<Made> {
    match input {
        Input::Test => {
            let (factory, device) = match kind {
                DeviceKind::Camera => ("videotestsrc", "test pattern"),
                DeviceKind::Microphone => ("audiotestsrc", "test tone"),
            };
            let element = make(factory)?;
            element.set_property("is-live", true);
            if kind == DeviceKind::Microphone {
                // A tone at the loudness of a little background noise (about -37 dB RMS), not
                // audiotestsrc's default 0.8 of full scale: with that, the pre-hearing check
                // rightly finds the "room" far too loud and the test source could never record
                // a hearing in a demonstration.
                element.set_property("volume", 0.02_f64);
            }
            Ok(Made {
                element,
                device: device.into(),
            })
        }
        Input::Default => from_device(kind, None),
        Input::Device(name) => from_device(kind, Some(name)),
    }
}

fn from_device(kind: DeviceKind, name: Option<&str>) -> Result<Made> {
    let found = devices::gst_devices(kind)?;
    let chosen = match name {
        None => found
            .iter()
            .find(|d| devices::is_default(d))
            .or_else(|| found.first())
            .cloned(),
        Some(name) => found.into_iter().find(|d| devices::answers_to(d, name)),
    };
    let device = chosen.ok_or_else(|| HearingError::DeviceNotFound {
        kind: kind.noun(),
        name: name.unwrap_or("(default)").to_owned(),
    })?;
    let element = device
        .create_element(None)
        .map_err(|e| HearingError::Pipeline(format!("{}: {e}", device.display_name())))?;
    Ok(Made {
        element,
        device: device.display_name().to_string(),
    })
}
