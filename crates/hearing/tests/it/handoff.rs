//! A finished recording through the court client's outbox to a real court-sim on loopback: the
//! platform receives every segment with the manifest's hash, and a changed file is never sent.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::thread;
use std::time::Duration;

use litigant_hearing::{
    HearingError, Manifest, Recorder, RecordingSettings, Source, VideoSettings, enqueue_recording,
    queued_recording, recording_request, remove_recording,
};

use crate::court::Court;

/// Records 3 s into `folder` on a blocking thread (the recorder blocks; the runtime must not).
async fn record(folder: PathBuf) -> Manifest {
    tokio::task::spawn_blocking(move || {
        let mut settings = RecordingSettings::new(folder, Source::test());
        settings.segment_seconds = 2;
        settings.video = VideoSettings::LOW;
        let recorder = Recorder::start(&settings, None).expect("starts");
        thread::sleep(Duration::from_secs(3));
        recorder.stop().expect("stops")
    })
    .await
    .expect("recorded")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_finished_recording_reaches_the_platform_with_the_manifests_hashes() {
    let court = Court::start().await;
    let (client, outbox) = (&court.client, &court.outbox);
    let folder = court.work.path().join("step-0");
    let recorded = record(folder.clone()).await;
    assert_eq!(recorded.segments.len(), 2);

    let platform = client.platform().as_str().to_owned();
    let queued = enqueue_recording(outbox, &platform, &folder).expect("queued");
    assert_eq!(queued.segment_items.len(), 2);
    assert_eq!(
        queued_recording(&folder).expect("noted"),
        Some(queued.clone())
    );
    assert_eq!(
        enqueue_recording(outbox, &platform, &folder).expect("again"),
        queued,
        "queued once"
    );
    assert_eq!(
        recording_request(outbox, &folder, &queued).expect("pending"),
        None
    );

    outbox
        .drain(
            client,
            2,
            Arc::new(|_, _| {}),
            Arc::new(AtomicBool::new(false)),
        )
        .await
        .expect("drained");
    let request = recording_request(outbox, &folder, &queued)
        .expect("arrived")
        .expect("complete");
    assert_eq!(request.segment_document_ids.len(), 2);
    for (id, segment) in request.segment_document_ids.iter().zip(&recorded.segments) {
        let document = client.document(id).await.expect("document");
        assert_eq!(document.sha256, segment.sha256);
        assert_eq!(document.size, segment.bytes);
        assert_eq!(document.content_type, "video/webm");
    }
    let manifest = client
        .document(&request.manifest_document_id)
        .await
        .expect("manifest");
    assert_eq!(manifest.content_type, "application/json");

    // Confirmed: the local copy goes.
    remove_recording(&folder).expect("removed");
    assert!(!folder.exists());

    // A segment changed after recording is refused before anything is queued.
    let other = court.work.path().join("step-1");
    let second = record(other.clone()).await;
    let path = other.join(&second.segments[0].file);
    let mut bytes = std::fs::read(&path).expect("read");
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&path, bytes).expect("written");
    let before = outbox.items().expect("items").len();
    let refused = enqueue_recording(outbox, &platform, &other).expect_err("refused");
    assert!(
        matches!(refused, HearingError::SegmentChanged { .. }),
        "{refused}"
    );
    assert_eq!(refused.code(), "hearing.segment_changed");
    assert_eq!(outbox.items().expect("items").len(), before);

    court.stop().await;
}
