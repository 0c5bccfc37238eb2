//! Recording from the test pattern and tone in real time.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use litigant_hearing::{
    Manifest, Recorder, RecorderEvent, RecordingSettings, Source, VideoSettings, inspect,
};

use crate::support::{discover, mode, sha256};

#[test]
fn twelve_seconds_in_five_second_segments_make_three_hashed_decodable_segments() {
    let data = tempfile::tempdir().expect("temp dir");
    let folder = data.path().join("recordings").join("step-0");
    let mut settings = RecordingSettings::new(&folder, Source::test());
    settings.segment_seconds = 5;
    let (sender, events) = mpsc::sync_channel(256);
    let recorder = Recorder::start(&settings, Some(sender)).expect("recording starts");
    thread::sleep(Duration::from_secs(12));
    let manifest = recorder.stop().expect("recording stops cleanly");

    assert!(manifest.is_finished());
    assert_eq!(manifest.video.device, "test pattern");
    assert_eq!(manifest.audio.device, "test tone");
    assert_eq!((manifest.video.width, manifest.video.height), (1280, 720));
    assert_eq!(Manifest::load(&folder).expect("manifest on disk"), manifest);
    let indices: Vec<u32> = manifest.segments.iter().map(|s| s.index).collect();
    assert_eq!(indices, [0, 1, 2], "{manifest:#?}");
    assert_eq!(mode(&folder), 0o700);
    assert_eq!(mode(&folder.join("manifest.json")), 0o600);

    let mut total_ms = 0;
    for (position, segment) in manifest.segments.iter().enumerate() {
        let path = folder.join(&segment.file);
        assert_eq!(mode(&path), 0o600, "{}", segment.file);
        assert_eq!(sha256(&path), segment.sha256, "{}", segment.file);
        assert_eq!(
            std::fs::metadata(&path).expect("segment").len(),
            segment.bytes
        );

        let discovered = discover(&path);
        assert!(discovered.text.contains("VP8"), "{}", discovered.text);
        assert!(discovered.text.contains("Opus"), "{}", discovered.text);
        assert!(
            discovered.text.contains("Width: 1280"),
            "{}",
            discovered.text
        );
        // The manifest's duration (from the splitter's running time) agrees with the file's.
        assert!(
            discovered.duration_ms.abs_diff(segment.duration_ms) <= 100,
            "{}: file {} ms, manifest {} ms",
            segment.file,
            discovered.duration_ms,
            segment.duration_ms
        );
        if position < 2 {
            assert!(
                discovered.duration_ms.abs_diff(5000) <= 100,
                "{}: {} ms",
                segment.file,
                discovered.duration_ms
            );
        }

        let decoded = inspect(&path).expect("inspects");
        assert_eq!(decoded.error, None, "{}", segment.file);
        // Every frame decodes: 30 a second for the file's duration, give or take one.
        let expected = discovered.duration_ms * 30 / 1000;
        assert!(
            decoded.video_frames.abs_diff(expected) <= 1,
            "{}: {} frames in {} ms",
            segment.file,
            decoded.video_frames,
            discovered.duration_ms
        );
        assert!(
            decoded.audio_ms.abs_diff(decoded.video_ms) <= 100,
            "{decoded:?}"
        );
        total_ms += discovered.duration_ms;
    }
    assert!(total_ms.abs_diff(12_000) <= 700, "recorded {total_ms} ms");

    let events: Vec<RecorderEvent> = events.try_iter().collect();
    let previews: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            RecorderEvent::Preview(frame) => Some(frame),
            _ => None,
        })
        .collect();
    let levels = events
        .iter()
        .filter(|e| matches!(e, RecorderEvent::Level(_)))
        .count();
    let closed = events
        .iter()
        .filter(|e| matches!(e, RecorderEvent::SegmentClosed(_)))
        .count();
    assert_eq!(closed, 3);
    // 5 preview frames and 10 levels a second, give or take for the start and the end.
    assert!(previews.len() >= 50, "{} previews", previews.len());
    assert!(levels >= 100, "{levels} levels");
    let frame = previews[0];
    assert_eq!(
        (frame.width, frame.height, frame.rgb.len()),
        (160, 90, 160 * 90 * 3)
    );
    // The test pattern's colour bars: neither black nor white.
    assert!(
        (60.0..200.0).contains(&frame.mean_luma()),
        "{}",
        frame.mean_luma()
    );
    let _ = VideoSettings::LOW;
}
