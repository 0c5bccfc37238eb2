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
    let pipeline = gst::Pipeline::new();
    let source = input_source(DeviceKind::Camera, camera)?;
    pipeline
        .add(&source.element)
        .map_err(|e| HearingError::Pipeline(e.to_string()))?;
    let convert = make("videoconvert")?;
    let scale = make("videoscale")?;
    let caps = make("capsfilter")?;
    caps.set_property(
        "caps",
        gst::Caps::builder("video/x-raw")
            .field("width", to_i32(STILL_WIDTH))
            .field("height", to_i32(STILL_HEIGHT))
            .build(),
    );
    let encode = make("jpegenc")?;
    let sink = gst_app::AppSink::builder()
        .sync(false)
        .max_buffers(2)
        .build();
    let sink_element = sink.clone().upcast::<gst::Element>();
    link_tail(
        &pipeline,
        &[
            &source.element,
            &convert,
            &scale,
            &caps,
            &encode,
            &sink_element,
        ],
    )?;
    let taken = take(&pipeline, &sink, wait);
    // Stopped whatever happened, so the camera is free again.
    let _ = pipeline.set_state(gst::State::Null);
    taken
}

fn take(pipeline: &gst::Pipeline, sink: &gst_app::AppSink, wait: Duration) -> Result<Vec<u8>> {
    pipeline
        .set_state(gst::State::Playing)
        .map_err(|e| HearingError::Pipeline(format!("the camera did not start: {e}")))?;
    let deadline = std::time::Instant::now() + wait;
    let mut seen = 0;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let no_picture = || HearingError::Recording {
            message: format!("the camera gave no picture within {} s", wait.as_secs()),
        };
        if left.is_zero() {
            return Err(no_picture());
        }
        let nanos = u64::try_from(left.as_nanos()).unwrap_or(u64::MAX);
        let Some(sample) = sink.try_pull_sample(gst::ClockTime::from_nseconds(nanos)) else {
            return Err(no_picture());
        };
        seen += 1;
        if seen <= FRAMES_SKIPPED {
            continue;
        }
        let buffer = sample.buffer().ok_or_else(no_picture)?;
        let map = buffer
            .map_readable()
            .map_err(|e| HearingError::Pipeline(e.to_string()))?;
        return Ok(map.as_slice().to_vec());
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
}
