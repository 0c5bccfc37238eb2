//! The hearing room on the mock runtime against the demo court, with GStreamer's test source:
//! a take recorded and stopped waits for confirmation, also after the room is opened again; a
//! take cut off by a crash (its last segment written but not yet in the manifest) is recovered
//! on opening and offered to be continued, and continuing records on in the same folder.

use std::time::Duration;

use serde_json::{Value, json};

use super::cases::signed_in_plaintiff;

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
