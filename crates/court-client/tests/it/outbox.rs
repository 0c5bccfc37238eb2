//! The outbox: uploads through injected faults, exactly-once filing, the offline queue,
//! cancel and retry, and the event feed's cursor.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use litigant_court_api::cases::PartyRole;
use litigant_court_api::filings::{FilingDocument, FilingDraft, FilingParty};
use litigant_court_client::{ItemStatus, Outbox, Progress};
use serde_json::json;

use crate::support::{Court, PLAINTIFF, bytes, sha256_hex};

fn no_progress() -> Arc<dyn Fn(i64, Progress) + Send + Sync> {
    Arc::new(|_, _| {})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_arrive_intact_through_cut_connections_5xx_and_429() {
    let court = Court::start().await;
    let client = court.client();
    court.login(&client, PLAINTIFF).await;
    let dir = tempfile::tempdir().expect("a folder");
    let outbox = Outbox::open(dir.path().join("outbox.db")).expect("the outbox opens");
    let mut files = Vec::new();
    for (i, size) in [9 << 20, 3 << 20, 1234].into_iter().enumerate() {
        let content = bytes(size, u8::try_from(i).expect("small"));
        let path = dir.path().join(format!("evidence-{i}.pdf"));
        std::fs::write(&path, &content).expect("written");
        let id = outbox
            .enqueue_upload(client.platform().as_str(), &path, "application/pdf")
            .expect("queued");
        files.push((id, content));
    }
    court.faults(json!({"rules": [
        {"method": "PATCH", "pathPrefix": "/api/v1/uploads/", "fault": {"kind": "cut_connection", "afterBytes": 300_000}, "every": 3},
        {"method": "PATCH", "pathPrefix": "/api/v1/uploads/", "fault": {"kind": "server_error", "status": 503}, "every": 4},
        {"method": "HEAD", "pathPrefix": "/api/v1/uploads/", "fault": {"kind": "too_many_requests", "retryAfterSeconds": 0}, "every": 2}
    ]})).await;
    let ended = outbox
        .drain(&client, 2, no_progress(), Arc::new(AtomicBool::new(false)))
        .await
        .expect("drained");
    for (item, (id, content)) in ended.iter().zip(&files) {
        assert_eq!(item.id, *id);
        assert_eq!(item.status, ItemStatus::Done, "{item:?}");
        assert_eq!(
            item.server_sha256.as_deref(),
            Some(sha256_hex(content).as_str()),
            "the platform's hash is the file's"
        );
        let stored = std::fs::read(
            court
                .dir
                .path()
                .join("court/documents")
                .join(item.server_id.as_deref().expect("a document id")),
        )
        .expect("stored");
        assert!(stored == *content, "stored bytes differ for item {id}");
    }
}

fn draft(complaint: &str) -> FilingDraft {
    FilingDraft {
        case_type: "civil_first_instance".into(),
        title: "王小明诉张三借款纠纷".into(),
        parties: vec![
            FilingParty {
                role: PartyRole::Plaintiff,
                name: "王小明".into(),
                id_type: None,
                id_number: None,
                address: None,
                mobile: None,
            },
            FilingParty {
                role: PartyRole::Defendant,
                name: "张三".into(),
                id_type: None,
                id_number: None,
                address: None,
                mobile: None,
            },
        ],
        claims: vec!["Repay CNY 10,000".into()],
        facts_and_reasons: "Lent on 2026-01-01, not repaid.".into(),
        documents: vec![FilingDocument {
            document_id: complaint.into(),
            document_type: "complaint".into(),
        }],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_filing_whose_answer_is_lost_exists_exactly_once() {
    let court = Court::start().await;
    let client = court.client();
    court.login(&client, PLAINTIFF).await;
    let dir = tempfile::tempdir().expect("a folder");
    let outbox = Outbox::open(dir.path().join("outbox.db")).expect("the outbox opens");
    let path = dir.path().join("complaint.pdf");
    std::fs::write(&path, bytes(5000, 9)).expect("written");
    let upload = outbox
        .enqueue_upload(client.platform().as_str(), &path, "application/pdf")
        .expect("queued");
    let stop = AtomicBool::new(false);
    let complaint = outbox
        .send(&client, upload, &mut |_| {}, &stop)
        .await
        .expect("uploaded")
        .server_id
        .expect("an id");

    let filings_before = court.count("filings");
    // The whole request reaches the platform, which files it; then the connection drops
    // before the answer, twice.
    court.faults(json!({"rules": [{"method": "POST", "pathPrefix": "/api/v1/filings", "fault": {"kind": "cut_connection", "afterBytes": 1_000_000}, "every": 1, "times": 2}]})).await;
    let id = outbox
        .enqueue_filing(client.platform().as_str(), &draft(&complaint))
        .expect("queued");
    let item = outbox
        .send(&client, id, &mut |_| {}, &stop)
        .await
        .expect("filed after two lost answers");
    assert_eq!(item.status, ItemStatus::Done);
    assert_eq!(
        court.count("filings"),
        filings_before + 1,
        "exactly one filing exists"
    );
    let filing = client
        .filing(item.server_id.as_deref().expect("a filing id"))
        .await
        .expect("the filing");
    assert_eq!(filing.draft.title, "王小明诉张三借款纠纷");

    // Sending the done item again does nothing.
    outbox
        .send(&client, id, &mut |_| {}, &stop)
        .await
        .expect("a no-op");
    assert_eq!(court.count("filings"), filings_before + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_queues_while_the_platform_is_down_and_drains_when_it_returns() {
    let mut court = Court::start().await;
    let client = court.client();
    court.login(&client, PLAINTIFF).await;
    let dir = tempfile::tempdir().expect("a folder");
    let outbox = Outbox::open(dir.path().join("outbox.db")).expect("the outbox opens");
    let content = bytes(2 << 20, 4);
    let path = dir.path().join("photo.jpg");
    std::fs::write(&path, &content).expect("written");

    court.stop().await;
    let id = outbox
        .enqueue_upload(client.platform().as_str(), &path, "image/jpeg")
        .expect("queued offline");
    let ended = outbox
        .drain(&client, 1, no_progress(), Arc::new(AtomicBool::new(false)))
        .await
        .expect("drained");
    assert_eq!(
        ended[0].status,
        ItemStatus::Queued,
        "still queued: {:?}",
        ended[0]
    );
    assert!(
        ended[0]
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("cannot reach")),
        "{:?}",
        ended[0].last_error
    );

    court.start_again().await;
    let ended = outbox
        .drain(&client, 1, no_progress(), Arc::new(AtomicBool::new(false)))
        .await
        .expect("drained");
    assert_eq!(ended[0].status, ItemStatus::Done, "{:?}", ended[0]);
    assert_eq!(
        ended[0].server_sha256.as_deref(),
        Some(sha256_hex(&content).as_str())
    );
    assert_eq!(
        outbox.item(id).expect("the item").offset,
        content.len() as u64
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_cancel_and_retry_keep_the_outbox_truthful() {
    let court = Court::start().await;
    let client = court.client();
    court.login(&client, PLAINTIFF).await;
    let dir = tempfile::tempdir().expect("a folder");
    let outbox = Outbox::open(dir.path().join("outbox.db")).expect("the outbox opens");
    let path = dir.path().join("bundle.pdf");
    std::fs::write(&path, bytes(20 << 20, 2)).expect("written");
    let id = outbox
        .enqueue_upload(client.platform().as_str(), &path, "application/pdf")
        .expect("queued");

    // Stopped (paused) after the first acknowledged chunk: it stays queued at that offset.
    let stop = AtomicBool::new(false);
    let mut pause_after_first = |p: Progress| {
        if p.sent > 0 {
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    };
    let paused = outbox
        .send(&client, id, &mut pause_after_first, &stop)
        .await
        .expect_err("stopped");
    assert_eq!(paused.code(), "court_client.cancelled");
    let item = outbox.item(id).expect("the item");
    assert_eq!(item.status, ItemStatus::Queued);
    assert!(item.offset > 0 && item.offset < item.size, "{item:?}");

    let cancelled = outbox.cancel(&client, id).await.expect("cancelled");
    assert_eq!(cancelled.status, ItemStatus::Cancelled);
    assert_eq!(
        court.count("uploads"),
        0,
        "the platform's partial upload was removed"
    );
    let retried = outbox.retry(id).expect("queued again");
    assert_eq!(
        (retried.status, retried.offset, retried.upload_url),
        (ItemStatus::Queued, 0, None)
    );
    let done = outbox
        .send(&client, id, &mut |_| {}, &AtomicBool::new(false))
        .await
        .expect("sent");
    assert_eq!(done.status, ItemStatus::Done);

    // A file changed after it was queued is not sent.
    let changed = outbox
        .enqueue_upload(client.platform().as_str(), &path, "application/pdf")
        .expect("queued");
    std::fs::write(&path, b"something else").expect("overwritten");
    let refused = outbox
        .send(&client, changed, &mut |_| {}, &AtomicBool::new(false))
        .await
        .expect_err("changed");
    assert_eq!(refused.code(), "court_client.file_changed");
    assert_eq!(
        outbox.item(changed).expect("the item").status,
        ItemStatus::Failed
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_event_feed_keeps_its_cursor_and_deadlines_across_restarts() {
    let court = Court::start().await;
    let client = court.client();
    court.login(&client, PLAINTIFF).await;
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("outbox.db");
    let outbox = Outbox::open(&path).expect("the outbox opens");
    assert!(
        outbox
            .poll_events(&client, 0)
            .await
            .expect("polled")
            .is_empty()
    );
    court
        .clerk(
            reqwest::Method::POST,
            "/clerk/cases/case_demo_loan/exchanges",
            &json!({"mode": "asynchronous", "closesAt": "2099-06-01T00:00:00Z"}),
        )
        .await;
    let events = outbox.poll_events(&client, 5).await.expect("polled");
    assert_eq!(events.len(), 1);
    drop(outbox);

    let reopened = Outbox::open(&path).expect("the outbox opens again");
    assert!(
        reopened
            .poll_events(&client, 0)
            .await
            .expect("polled")
            .is_empty(),
        "nothing is shown twice"
    );
    let account = client.session().expect("a session").account_id;
    let deadlines = reopened.deadlines(&account).expect("deadlines");
    assert_eq!(deadlines.len(), 1);
    assert_eq!(
        deadlines[0].due_at.to_rfc3339(),
        "2099-06-01T00:00:00+00:00"
    );
}
