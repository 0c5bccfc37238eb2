//! The cameras and microphones the system offers (GStreamer's device monitor: `V4L2` and
//! PipeWire/PulseAudio on Linux, AVFoundation on macOS, Media Foundation/`WASAPI` on Windows),
//! with what each can do.

use std::fmt::Write as _;

use gstreamer as gst;
use gstreamer::prelude::*;
use serde::Serialize;

use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    Camera,
    Microphone,
}

impl DeviceKind {
    fn class(self) -> &'static str {
        match self {
            Self::Camera => "Video/Source",
            Self::Microphone => "Audio/Source",
        }
    }

    pub(crate) fn noun(self) -> &'static str {
        match self {
            Self::Camera => "camera",
            Self::Microphone => "microphone",
        }
    }
}

/// A camera or microphone as the system describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceInfo {
    pub kind: DeviceKind,
    /// The name to show and to pass to `--source` / `--microphone`.
    pub name: String,
    /// The system's own name for it (device path, PulseAudio source), when it has one.
    pub system_name: Option<String>,
    /// Whether the system calls it the default.
    pub default: bool,
    /// What it can deliver, one entry per distinct format (e.g. `raw 1280×720 @ 30/1`).
    pub capabilities: Vec<String>,
}

pub(crate) fn gst_devices(kind: DeviceKind) -> Result<Vec<gst::Device>> {
    crate::init()?;
    let monitor = gst::DeviceMonitor::new();
    monitor.add_filter(Some(kind.class()), None);
    // Without start() the monitor probes once, synchronously, which is what a listing needs.
    Ok(monitor.devices().into_iter().collect())
}

pub(crate) fn is_default(device: &gst::Device) -> bool {
    device
        .properties()
        .and_then(|p| p.get::<bool>("is-default").ok())
        .unwrap_or(false)
}

/// The system's own name: the element's `device` property (a `V4L2` path, a PulseAudio source).
fn system_name(device: &gst::Device) -> Option<String> {
    let element = device.create_element(None).ok()?;
    element.find_property("device")?;
    let value = element.property_value("device");
    value.get::<Option<String>>().ok().flatten()
}

/// Whether `name` is this device's display name, its system name or one of its properties.
pub(crate) fn answers_to(device: &gst::Device, name: &str) -> bool {
    if device.display_name() == name || system_name(device).as_deref() == Some(name) {
        return true;
    }
    device.properties().is_some_and(|properties| {
        properties
            .iter()
            .any(|(_, value)| value.get::<&str>().is_ok_and(|v| v == name))
    })
}

/// The cameras and microphones present now.
pub fn list_devices() -> Result<Vec<DeviceInfo>> {
    let mut listed = Vec::new();
    for kind in [DeviceKind::Camera, DeviceKind::Microphone] {
        for device in gst_devices(kind)? {
            listed.push(DeviceInfo {
                kind,
                name: device.display_name().to_string(),
                system_name: system_name(&device),
                default: is_default(&device),
                capabilities: device.caps().map(|c| describe_caps(&c)).unwrap_or_default(),
            });
        }
    }
    Ok(listed)
}

/// One line per distinct structure: the format and the fixed sizes, rates and channels.
fn describe_caps(caps: &gst::CapsRef) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for structure in caps.iter() {
        let media = structure.name();
        let kind = media.split('/').nth(1).unwrap_or(media.as_str());
        let mut line = kind.to_owned();
        if let (Ok(width), Ok(height)) = (
            structure.get::<i32>("width"),
            structure.get::<i32>("height"),
        ) {
            let _ = write!(line, " {width}×{height}");
        }
        if let Ok(rate) = structure.get::<gst::Fraction>("framerate") {
            let _ = write!(line, " @ {}/{}", rate.numer(), rate.denom());
        }
        if let Ok(rate) = structure.get::<i32>("rate") {
            let _ = write!(line, " {rate} Hz");
        }
        if let Ok(channels) = structure.get::<i32>("channels") {
            let _ = write!(line, " {channels} ch");
        }
        if line == kind {
            // Ranges and lists: say them as GStreamer writes them, without the media type.
            let text = structure.to_string();
            let rest = text.split_once(',').map_or("", |(_, rest)| rest.trim());
            if !rest.is_empty() {
                line.push(' ');
                line.push_str(rest);
            }
        }
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    lines
}
