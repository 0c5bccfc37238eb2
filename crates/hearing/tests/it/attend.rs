//! An asynchronous hearing opened by a clerk in a real court-sim, attended step by step: each
//! step recorded from the test source, confirmed, and uploaded in the background while the next
//! step is recorded; the submission arrives complete with the manifests' hashes.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use litigant_court_api::hearings::{AsyncHearing, HearingStatus};
use litigant_hearing::{
    Attendance, HearingError, Manifest, Recorder, RecordingSettings, Source, StepUpload,
    VideoSettings,
};

use crate::court::Court;

/// Records `seconds` with `settings` on a blocking thread, returning the manifest and when the
/// recording stopped.
async fn record(mut settings: RecordingSettings, seconds: u64) -> (Manifest, Instant) {
    tokio::task::spawn_blocking(move || {
        settings.segment_seconds = 2;
        settings.video = VideoSettings::LOW;
        let recorder = Recorder::start(&settings, None).expect("starts");
        thread::sleep(Duration::from_secs(seconds));
        let manifest = recorder.stop().expect("stops");
        (manifest, Instant::now())
    })
    .await
    .expect("recorded")
}

fn files_in(folder: &Path) -> usize {
    std::fs::read_dir(folder).map_or(0, Iterator::count)
}

type Log = Arc<Mutex<Vec<(Instant, StepUpload)>>>;

fn sent_while(log: &Log, step: u32, from: Instant, to: Instant) -> bool {
    log.lock().expect("log").iter().any(|(at, report)| {
        matches!(report, StepUpload::Sending { step: s, .. } if *s == step)
            && *at > from
            && *at < to
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_step_uploads_while_the_next_is_recorded_and_the_submission_is_complete() {
    let court = Court::start().await;
    let hearing = court.open_hearing(2, 3600).await;
    let log: Log = Arc::default();
    let sink = log.clone();
    let mut attendance = Attendance::open(
        court.client.clone(),
        court.outbox.clone(),
        hearing.clone(),
        &court.data(),
        Arc::new(move |report| sink.lock().expect("log").push((Instant::now(), report))),
    )
    .expect("opened");

    // Step 0: recorded, thrown away, recorded again, then confirmed.
    assert_eq!(attendance.next_step().map(|s| s.index), Some(0));
    let settings = attendance
        .recording_settings(0, Source::test())
        .expect("step 0");
    let first_take = settings.folder.clone();
    record(settings, 2).await;
    attendance.discard(0).expect("discarded");
    assert!(!first_take.exists());
    assert!(
        court.outbox.items().expect("items").is_empty(),
        "nothing sent unconfirmed"
    );
    let settings = attendance
        .recording_settings(0, Source::test())
        .expect("again");
    let (step0, _) = record(settings, 3).await;
    attendance.confirm(0, &court.outbox).expect("confirmed");
    assert!(matches!(
        attendance.recording_settings(0, Source::test()),
        Err(HearingError::StepConfirmed { step: 0 })
    ));

    // Step 1 is recorded while step 0 is sent.
    assert_eq!(attendance.next_step().map(|s| s.index), Some(1));
    let settings = attendance
        .recording_settings(1, Source::test())
        .expect("step 1");
    let step1_started = Instant::now();
    let (step1, step1_stopped) = record(settings, 4).await;
    assert!(
        sent_while(&log, 0, step1_started, step1_stopped),
        "step 0's upload ran while step 1 was recorded"
    );
    attendance.confirm(1, &court.outbox).expect("confirmed");
    assert!(attendance.next_step().is_none());

    let submitted = attendance.submit().await.expect("submitted");
    assert_eq!(submitted.status, HearingStatus::Submitted);
    assert_eq!(submitted.recordings.len(), 2);
    for (recording, manifest) in submitted.recordings.iter().zip([&step0, &step1]) {
        assert_eq!(
            recording.segment_document_ids.len(),
            manifest.segments.len()
        );
        for (id, segment) in recording
            .segment_document_ids
            .iter()
            .zip(&manifest.segments)
        {
            let document = court.client.document(id).await.expect("a document");
            assert_eq!(document.sha256, segment.sha256);
            assert_eq!(document.size, segment.bytes);
        }
        let bytes = court
            .client
            .document_content(&recording.manifest_document_id)
            .await
            .expect("the manifest");
        let sent: Manifest = serde_json::from_slice(&bytes).expect("a manifest");
        assert_eq!(&sent, manifest);
    }
    // Filed steps leave nothing behind (Art. 27).
    assert_eq!(
        files_in(&court.data().join("hearings").join(&hearing.id)),
        0
    );
    let filed = log
        .lock()
        .expect("log")
        .iter()
        .filter(|(_, r)| matches!(r, StepUpload::Filed { .. }))
        .count();
    assert_eq!(filed, 2);
    court.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_deadline_nothing_is_recorded_and_a_partial_hearing_is_not_submitted() {
    let court = Court::start().await;
    let late = court.open_hearing(1, 2).await;
    let mut attendance = Attendance::open(
        court.client.clone(),
        court.outbox.clone(),
        late,
        &court.data(),
        Arc::new(|_| {}),
    )
    .expect("opened");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let refused = attendance
        .recording_settings(0, Source::test())
        .expect_err("late");
    assert_eq!(refused.code(), "hearing.deadline_passed");
    let missing = attendance.submit().await.expect_err("nothing recorded");
    assert!(matches!(missing, HearingError::StepMissing { step: 0 }));
    court.stop().await;
}

/// A network cut while a step is sent is waited out, not taken as the platform's refusal: the
/// step waits, then is filed once the network is back, and the hearing can be submitted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_network_cut_while_sending_waits_and_then_files() {
    let court = Court::start().await;
    let hearing = court.open_hearing(1, 3600).await;
    let log: Log = Arc::default();
    let sink = log.clone();
    let mut attendance = Attendance::open(
        court.client.clone(),
        court.outbox.clone(),
        hearing,
        &court.data(),
        Arc::new(move |report| sink.lock().expect("log").push((Instant::now(), report))),
    )
    .expect("opened");
    let settings = attendance
        .recording_settings(0, Source::test())
        .expect("step 0");
    record(settings, 2).await;
    court
        .set_faults(serde_json::json!([{
            "method": "PATCH",
            "pathPrefix": "/api/v1/uploads/",
            "fault": {"kind": "cut_connection", "afterBytes": 0},
            "every": 1,
        }]))
        .await;
    attendance.confirm(0, &court.outbox).expect("confirmed");
    let reported =
        |wanted: fn(&StepUpload) -> bool| log.lock().expect("log").iter().any(|(_, r)| wanted(r));
    while !reported(|r| matches!(r, StepUpload::Waiting { step: 0, .. })) {
        assert!(
            !reported(|r| matches!(r, StepUpload::Refused { .. })),
            "a network cut was taken as a refusal"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    court.set_faults(serde_json::json!([])).await;
    let submitted = attendance.submit().await.expect("submitted after the cut");
    assert_eq!(submitted.status, HearingStatus::Submitted);
    assert!(reported(|r| matches!(r, StepUpload::Filed { step: 0 })));
    assert!(!reported(|r| matches!(r, StepUpload::Refused { .. })));
    court.stop().await;
}

/// Records step 0 of `attendance` for 2 s, confirms it and waits until the platform has it.
async fn answer_the_only_step(attendance: &mut Attendance, court: &Court, log: &Log) {
    let settings = attendance
        .recording_settings(0, Source::test())
        .expect("step 0");
    record(settings, 2).await;
    attendance.confirm(0, &court.outbox).expect("confirmed");
    while !log
        .lock()
        .expect("log")
        .iter()
        .any(|(_, r)| matches!(r, StepUpload::Filed { step: 0 }))
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One attendance of a one-step hearing, its reports kept in a log.
fn attend(court: &Court, hearing: AsyncHearing) -> (Attendance, Log) {
    let log: Log = Arc::default();
    let sink = log.clone();
    let attendance = Attendance::open(
        court.client.clone(),
        court.outbox.clone(),
        hearing,
        &court.data(),
        Arc::new(move |report| sink.lock().expect("log").push((Instant::now(), report))),
    )
    .expect("opened");
    (attendance, log)
}

/// A fault plan failing `hearing`'s submission with `fault`, `times` times (always with `None`).
fn submission_fails(
    hearing: &AsyncHearing,
    fault: &serde_json::Value,
    times: Option<u32>,
) -> serde_json::Value {
    serde_json::json!([{
        "method": "POST",
        "pathPrefix": format!("/api/v1/hearings/{}/submission", hearing.id),
        "fault": fault,
        "every": 1,
        "times": times,
    }])
}

async fn status_on_the_platform(court: &Court, hearing: &AsyncHearing) -> HearingStatus {
    court
        .client
        .hearing(&hearing.id)
        .await
        .expect("hearing")
        .status
}

/// A submission that fails leaves the attendance as it was: the platform failing (503) is
/// tried again; a connection cut after the platform took the submission is not submitted a
/// second time (the platform would refuse it), the attendance finds it submitted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_submission_can_be_tried_again_and_files_exactly_one() {
    let court = Court::start().await;
    let hearing = court.open_hearing(1, 3600).await;
    let (mut attendance, log) = attend(&court, hearing.clone());
    answer_the_only_step(&mut attendance, &court, &log).await;

    court
        .set_faults(submission_fails(
            &hearing,
            &serde_json::json!({"kind": "server_error", "status": 503}),
            Some(1),
        ))
        .await;
    let failed = attendance.submit().await.expect_err("the platform failed");
    assert!(failed.can_retry(), "{failed}");
    assert_eq!(
        status_on_the_platform(&court, &hearing).await,
        HearingStatus::Open
    );

    // The platform takes the second one, and the connection breaks before its answer.
    court
        .set_faults(submission_fails(
            &hearing,
            &serde_json::json!({"kind": "cut_connection", "afterBytes": 0}),
            Some(1),
        ))
        .await;
    let cut = attendance.submit().await.expect_err("the answer was lost");
    assert!(cut.can_retry(), "{cut}");
    assert_eq!(
        status_on_the_platform(&court, &hearing).await,
        HearingStatus::Submitted,
        "the platform took it before the cut"
    );

    // Any further submission request would fail: the third try must not send one.
    court
        .set_faults(submission_fails(
            &hearing,
            &serde_json::json!({"kind": "server_error", "status": 500}),
            None,
        ))
        .await;
    let submitted = attendance.submit().await.expect("found submitted");
    assert_eq!(submitted.status, HearingStatus::Submitted);
    assert_eq!(submitted.recordings.len(), 1);
    court.stop().await;
}

/// The platform wants a fresh identity check at the submission: the party re-verifies and
/// submits with the same attendance; nothing is recorded or sent again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lapsed_re_verification_is_renewed_and_the_same_attendance_submits() {
    const PERIOD: u64 = 12;
    let court = Court::start_with(|config| {
        config.policy.reverification_max_age_seconds = PERIOD;
    })
    .await;
    let verified = Instant::now();
    let hearing = court.open_hearing(1, 3600).await;
    let (mut attendance, log) = attend(&court, hearing.clone());
    answer_the_only_step(&mut attendance, &court, &log).await;
    tokio::time::sleep(Duration::from_secs(PERIOD + 1).saturating_sub(verified.elapsed())).await;
    let lapsed = attendance
        .submit()
        .await
        .expect_err("re-verification lapsed");
    assert!(
        matches!(&lapsed, HearingError::Outbox(e) if e.code() == "platform.reverification_required"),
        "{lapsed}"
    );
    assert!(lapsed.can_retry());
    court.reverify().await;
    let submitted = attendance.submit().await.expect("submitted");
    assert_eq!(submitted.status, HearingStatus::Submitted);
    court.stop().await;
}

/// A deadline that passes after every step was filed refuses the submission for good, as
/// often as it is tried.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_passed_deadline_refuses_the_submission_for_good() {
    let court = Court::start().await;
    let hearing = court.open_hearing(1, 10).await;
    let (mut attendance, log) = attend(&court, hearing.clone());
    answer_the_only_step(&mut attendance, &court, &log).await;
    let wait = (hearing.deadline - chrono::Utc::now())
        .to_std()
        .unwrap_or_default();
    tokio::time::sleep(wait + Duration::from_millis(200)).await;
    for _ in 0..2 {
        let late = attendance.submit().await.expect_err("late");
        assert!(
            matches!(late, HearingError::DeadlinePassed { .. }),
            "{late}"
        );
        assert!(!late.can_retry());
    }
    court.stop().await;
}
