//! One still photo from a camera, as a JPEG: the face photo for real-name verification (Art. 7),
//! taken in the app instead of chosen from a file.

use std::time::Duration;

use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_app as gst_app;

use crate::capture::{link_tail, to_i32};
use crate::devices::DeviceKind;
use crate::error::{HearingError, Result};
use crate::source::{Input, input_source, make};

/// The photo's size: large enough for a face check, small enough to send quickly.
const STILL_WIDTH: u32 = 640;
const STILL_HEIGHT: u32 = 480;
/// Frames let pass before the one kept: a camera's first frames are often dark while its
/// exposure settles.
const FRAMES_SKIPPED: u32 = 10;

/// Takes one picture from `camera` and returns it as a JPEG; fails if the camera gives no
/// picture within `wait`.
pub fn still_jpeg(camera: &Input, wait: Duration) -> Result<Vec<u8>> {
    crate::init()?;
    let caps = gst::Caps::builder("video/x-raw")
        .field("width", to_i32(STILL_WIDTH))
        .field("height", to_i32(STILL_HEIGHT))
        .build();
    let sample = still_sample(camera, wait, caps, Some("jpegenc"))?;
    let buffer = sample.buffer().ok_or_else(|| no_picture(wait))?;
    let map = buffer
        .map_readable()
        .map_err(|e| HearingError::Pipeline(e.to_string()))?;
    Ok(map.as_slice().to_vec())
}

/// One uncompressed picture: RGB, 3 bytes a pixel, rows `stride` bytes apart (GStreamer pads
/// each row to a multiple of 4 bytes).
#[derive(Clone, PartialEq, Eq)]
pub struct RgbFrame {
    pub width: u32,
    pub height: u32,
    pub stride: usize,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for RgbFrame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "RgbFrame({}x{}, stride {}, {} bytes)",
            self.width,
            self.height,
            self.stride,
            self.bytes.len()
        )
    }
}

/// Takes one uncompressed picture of `width` × `height` from `camera` (a document camera's
/// page), scaled to that size if the camera gives another; fails if the camera gives no
/// picture within `wait`.
pub fn still_frame(camera: &Input, wait: Duration, width: u32, height: u32) -> Result<RgbFrame> {
    crate::init()?;
    let caps = gst::Caps::builder("video/x-raw")
        .field("format", "RGB")
        .field("width", to_i32(width))
        .field("height", to_i32(height))
        .build();
    let sample = still_sample(camera, wait, caps, None)?;
    let info = sample
        .caps()
        .and_then(|c| gstreamer_video::VideoInfo::from_caps(c).ok())
        .ok_or_else(|| HearingError::Pipeline("the camera's picture has no format".to_owned()))?;
    let buffer = sample.buffer().ok_or_else(|| no_picture(wait))?;
    let map = buffer
        .map_readable()
        .map_err(|e| HearingError::Pipeline(e.to_string()))?;
    Ok(RgbFrame {
        width: info.width(),
        height: info.height(),
        stride: usize::try_from(info.stride()[0]).unwrap_or(0),
        bytes: map.as_slice().to_vec(),
    })
}

fn no_picture(wait: Duration) -> HearingError {
    HearingError::Recording {
        message: format!("the camera gave no picture within {} s", wait.as_secs()),
    }
}

/// Runs the camera into `caps` (and `encoder`, when given) and keeps one sample.
fn still_sample(
    camera: &Input,
    wait: Duration,
    caps: gst::Caps,
    encoder: Option<&'static str>,
) -> Result<gst::Sample> {
    let pipeline = gst::Pipeline::new();
    let source = input_source(DeviceKind::Camera, camera)?;
    pipeline
        .add(&source.element)
        .map_err(|e| HearingError::Pipeline(e.to_string()))?;
    let convert = make("videoconvert")?;
    let scale = make("videoscale")?;
    let filter = make("capsfilter")?;
    filter.set_property("caps", caps);
    let sink = gst_app::AppSink::builder()
        .sync(false)
        .max_buffers(2)
        .build();
    let sink_element = sink.clone().upcast::<gst::Element>();
    let mut chain = vec![source.element.clone(), convert, scale, filter];
    if let Some(name) = encoder {
        chain.push(make(name)?);
    }
    chain.push(sink_element);
    let links: Vec<&gst::Element> = chain.iter().collect();
    link_tail(&pipeline, &links)?;
    let taken = take(&pipeline, &sink, wait);
    // Stopped whatever happened, so the camera is free again.
    let _ = pipeline.set_state(gst::State::Null);
    taken
}

fn take(pipeline: &gst::Pipeline, sink: &gst_app::AppSink, wait: Duration) -> Result<gst::Sample> {
    pipeline
        .set_state(gst::State::Playing)
        .map_err(|e| HearingError::Pipeline(format!("the camera did not start: {e}")))?;
    let deadline = std::time::Instant::now() + wait;
    let mut seen = 0;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Err(no_picture(wait));
        }
        let nanos = u64::try_from(left.as_nanos()).unwrap_or(u64::MAX);
        let Some(sample) = sink.try_pull_sample(gst::ClockTime::from_nseconds(nanos)) else {
            return Err(no_picture(wait));
        };
        seen += 1;
        if seen > FRAMES_SKIPPED {
            return Ok(sample);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_pattern_gives_one_jpeg() {
        let jpeg = still_jpeg(&Input::Test, Duration::from_mins(10)).unwrap();
        assert!(jpeg.starts_with(&[0xFF, 0xD8, 0xFF]), "a JPEG");
        assert!(jpeg.ends_with(&[0xFF, 0xD9]), "a whole JPEG");
    }

    #[test]
    fn the_test_pattern_gives_one_rgb_frame_of_the_size_asked() {
        let frame = still_frame(&Input::Test, Duration::from_mins(10), 642, 480).unwrap();
        assert_eq!((frame.width, frame.height), (642, 480));
        // 642 × 3 = 1926 bytes, padded to a multiple of 4.
        assert_eq!(frame.stride, 1928);
        assert!(frame.bytes.len() >= frame.stride * 479 + 642 * 3);
        // The test pattern's colour bars: not one flat colour.
        assert!(frame.bytes[..1926].iter().any(|&b| b != frame.bytes[0]));
    }
}
