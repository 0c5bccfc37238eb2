//! The hearing room on the mock runtime against the demo court, with GStreamer's test source:
//! a take recorded and stopped waits for confirmation, also after the room is opened again; a
//! take cut off by a crash (its last segment written but not yet in the manifest) is recovered
//! on opening and offered to be continued, and continuing records on in the same folder. A
//! submission the platform fails keeps the room open for "submit again"; one after the deadline
//! closes it.

use std::time::Duration;

use serde_json::{Value, json};

use super::cases::signed_in_plaintiff;
use tauri::test::get_ipc_response;

use super::{DEMO_COURT_DIR, Shell, connected_url, demo_court_sms_code, request};

fn step(view: &Value, index: u64) -> &Value {
    view["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["index"] == index)
        .unwrap()
}

fn segments(folder: &std::path::Path) -> usize {
    std::fs::read_dir(folder)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".webm"))
        })
        .count()
}

#[test]
fn an_interrupted_take_is_recovered_on_opening_and_can_be_continued() {
    let shell = signed_in_plaintiff();
    let view = shell.ok("hearing_open", json!({"hearingId": "hrg_demo"}));
    assert_eq!(view["nextStep"], 0);
    let record = |resume: bool, seconds: u64| {
        shell.ok(
            "hearing_record_start",
            json!({"step": 0, "source": "test", "resume": resume}),
        );
        std::thread::sleep(Duration::from_secs(seconds));
        shell.ok("hearing_record_stop", json!({}))
    };
    let view = record(false, 3);
    assert_eq!(step(&view, 0)["state"], "recorded");

    // Opened again, the finished take still waits for confirmation.
    shell.ok("hearing_close", json!({}));
    let view = shell.ok("hearing_open", json!({"hearingId": "hrg_demo"}));
    assert_eq!(step(&view, 0)["state"], "recorded");

    // A crash after the segment was written and before the manifest listed it, as kill -9
    // between the two leaves it.
    let folder = shell.data_dir().join("hearings/hrg_demo/step-0");
    let manifest_path = folder.join("manifest.json");
    let mut manifest: Value =
        serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
    manifest["segments"] = json!([]);
    manifest["endedAt"] = Value::Null;
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();
    shell.ok("hearing_close", json!({}));

    let view = shell.ok("hearing_open", json!({"hearingId": "hrg_demo"}));
    let interrupted = step(&view, 0);
    assert_eq!(interrupted["state"], "interrupted", "{view}");
    let kept = interrupted["recordedMs"].as_u64().unwrap();
    assert!(
        kept >= 2000,
        "the recovered segment holds the take: {kept} ms"
    );

    let view = record(true, 2);
    let continued = step(&view, 0);
    assert_eq!(continued["state"], "recorded");
    assert!(
        continued["recordedMs"].as_u64().unwrap() > kept,
        "continued, not replaced: {continued}"
    );
    assert_eq!(segments(&folder), 2, "recorded on in the same folder");

    // Recording again instead replaces the take.
    let view = record(false, 2);
    assert!(step(&view, 0)["recordedMs"].as_u64().unwrap() < kept + 1500);
    assert_eq!(segments(&folder), 1);
}

/// A clerk's request to the demo court (`PUT /clerk/faults`, `POST /clerk/cases/...`), as any
/// HTTP client sends it; returns the JSON answer.
fn clerk(shell: &Shell, method: &str, path: &str, body: &Value) -> Value {
    use std::io::{Read, Write};
    let url = connected_url(&shell.ok("court_status", json!({})));
    let token =
        std::fs::read_to_string(shell.data_dir().join(DEMO_COURT_DIR).join("clerk-token")).unwrap();
    let address = url.strip_prefix("http://").unwrap();
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    let body = body.to_string();
    write!(
        stream,
        "{method} /api/v1{path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 2"), "{answer}");
    serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap()).unwrap()
}

/// Re-verifies the signed-in plaintiff, opens a one-step hearing due in `deadline_seconds`,
/// records and confirms its step, and waits until the court has it. Returns the hearing's id.
fn one_step_filed(shell: &Shell, deadline_seconds: i64) -> String {
    let url = connected_url(&shell.ok("court_status", json!({})));
    shell.ok("reverify_code_send", json!({}));
    let code = demo_court_sms_code(shell, &url);
    shell.ok("reverify", json!({"smsCode": code}));
    let deadline = chrono::Utc::now() + chrono::Duration::seconds(deadline_seconds);
    let hearing = clerk(
        shell,
        "POST",
        "/clerk/cases/case_demo_loan/hearings",
        &json!({
            "title": "One question",
            "steps": [{"index": 0, "prompt": "Say your name.", "maxSeconds": 60}],
            "deadline": deadline,
        }),
    );
    let id = hearing["id"].as_str().unwrap().to_owned();
    shell.ok("hearing_open", json!({"hearingId": id}));
    shell.ok(
        "hearing_record_start",
        json!({"step": 0, "source": "test", "resume": false}),
    );
    std::thread::sleep(Duration::from_secs(2));
    shell.ok("hearing_record_stop", json!({}));
    shell.ok("hearing_confirm", json!({"step": 0}));
    while step(&shell.ok("hearing_room", json!({})), 0)["state"] != "filed" {
        std::thread::sleep(Duration::from_millis(200));
    }
    id
}

/// The demo court answers `id`'s submission with a 503, `times` times (always with `None`),
/// after `latency_ms` (which every request but the clerk's waits).
fn submission_fails(shell: &Shell, id: &str, latency_ms: u64, times: Option<u32>) {
    clerk(
        shell,
        "PUT",
        "/clerk/faults",
        &json!({"latencyMs": latency_ms, "rules": [{
            "method": "POST",
            "pathPrefix": format!("/api/v1/hearings/{id}/submission"),
            "fault": {"kind": "server_error", "status": 503},
            "every": 1,
            "times": times,
        }]}),
    );
}

#[test]
fn a_submission_the_platform_fails_keeps_the_room_open_to_submit_again() {
    let shell = signed_in_plaintiff();
    let id = one_step_filed(&shell, 3600);
    submission_fails(&shell, &id, 0, Some(1));
    let failed = shell.invoke("hearing_submit", json!({})).unwrap_err();
    assert_eq!(failed["code"], "platform.injected_fault", "{failed}");
    assert_eq!(failed["details"]["room"], "open");
    // Still the same room: the answer is with the court, nothing to record again.
    let view = shell.ok("hearing_room", json!({}));
    assert_eq!(view["hearing"]["id"], id.as_str());
    assert_eq!(view["nextStep"], Value::Null);
    assert_eq!(step(&view, 0)["state"], "filed");

    let submitted = shell.ok("hearing_submit", json!({}));
    assert_eq!(submitted["status"], "submitted");
    assert_eq!(submitted["filed"], 1);
    let closed = shell.invoke("hearing_room", json!({})).unwrap_err();
    assert_eq!(closed["code"], "hearing.no_room");
}

#[test]
fn a_submission_after_the_deadline_closes_the_room_with_the_reason() {
    let shell = signed_in_plaintiff();
    one_step_filed(&shell, 12);
    let due = shell.ok("hearing_room", json!({}))["hearing"]["deadline"]
        .as_str()
        .unwrap()
        .parse::<chrono::DateTime<chrono::Utc>>()
        .unwrap();
    let wait = (due - chrono::Utc::now()).to_std().unwrap_or_default();
    std::thread::sleep(wait + Duration::from_millis(200));
    let late = shell.invoke("hearing_submit", json!({})).unwrap_err();
    assert_eq!(late["code"], "hearing.deadline_passed", "{late}");
    assert_eq!(late["details"]["room"], "closed");
    let closed = shell.invoke("hearing_room", json!({})).unwrap_err();
    assert_eq!(closed["code"], "hearing.no_room");
}

/// The window leaves while the submission is on its way: a failure that could be tried again
/// does not bring back the room the person left.
#[test]
fn a_room_left_during_the_submission_stays_closed_when_it_fails() {
    let shell = signed_in_plaintiff();
    let id = one_step_filed(&shell, 3600);
    submission_fails(&shell, &id, 1500, None);
    let window = shell.window.clone();
    let submitting = std::thread::spawn(move || {
        get_ipc_response(&window, request("hearing_submit", json!({})))
            .map(|body| body.deserialize::<Value>().unwrap())
    });
    std::thread::sleep(Duration::from_millis(500));
    shell.ok("hearing_close", json!({}));
    let failed = submitting.join().unwrap().unwrap_err();
    assert_eq!(failed["code"], "platform.injected_fault", "{failed}");
    assert_eq!(failed["details"]["room"], "closed");
    let closed = shell.invoke("hearing_room", json!({})).unwrap_err();
    assert_eq!(closed["code"], "hearing.no_room");
}
