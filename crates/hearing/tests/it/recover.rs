//! Recovery of a recording whose last segment was cut off mid-write, with a stray file that is
//! not a recording at all.

use std::thread;
use std::time::Duration;

use litigant_hearing::{
    Manifest, Recorder, RecordingSettings, Source, VideoSettings, inspect, recover,
};

use crate::support::{discover, sha256};

#[test]
fn a_cut_off_last_segment_is_kept_as_far_as_it_decodes_and_garbage_is_dropped() {
    let data = tempfile::tempdir().expect("temp dir");
    let folder = data.path().join("step-1");
    let mut settings = RecordingSettings::new(&folder, Source::test());
    settings.segment_seconds = 2;
    settings.video = VideoSettings::LOW;
    let recorder = Recorder::start(&settings, None).expect("starts");
    // Three seconds: a whole segment and one of about a second (never a third, however late the
    // stop arrives).
    thread::sleep(Duration::from_secs(3));
    let mut manifest = recorder.stop().expect("stops");
    assert_eq!(manifest.segments.len(), 2, "{manifest:#?}");

    // As if killed while the second segment was being written: the manifest does not list it yet
    // and its file ends part-way.
    let last = manifest.segments.pop().expect("two");
    manifest.ended_at = None;
    manifest.save(&folder).expect("saved");
    let path = folder.join(&last.file);
    let whole = inspect(&path).expect("inspects");
    let bytes = std::fs::read(&path).expect("read");
    std::fs::write(&path, &bytes[..bytes.len() * 6 / 10]).expect("cut");
    std::fs::write(folder.join("segment-00007.webm"), vec![0_u8; 4096]).expect("garbage");

    let report = recover(&folder).expect("recovers");
    assert_eq!(report.kept.len(), 1, "{report:#?}");
    assert_eq!(report.dropped.len(), 1, "{report:#?}");
    assert_eq!(report.dropped[0].file, "segment-00007.webm");
    assert!(!folder.join("segment-00007.webm").exists());
    let kept = &report.kept[0];
    assert!(kept.recovered);
    assert_eq!(
        (kept.index, kept.file.as_str()),
        (last.index, last.file.as_str())
    );
    assert_eq!(kept.sha256, sha256(&path));
    assert_ne!(kept.sha256, last.sha256);

    let cut = inspect(&path).expect("inspects");
    assert!(
        cut.video_frames > 0 && cut.video_frames < whole.video_frames,
        "cut {cut:?}, whole {whole:?}"
    );
    assert!(kept.duration_ms > 0 && kept.duration_ms < last.duration_ms);
    // An independent reader agrees that what is left plays.
    assert!(discover(&path).text.contains("VP8"));
    assert_eq!(Manifest::load(&folder).expect("manifest"), report.manifest);
    assert!(recover(&folder).expect("again").was_whole());
}
