//! The hearing commands that need the platform, as a script runs them against serve-sim with a
//! real Secret Service: `devices --measure-upload` with the kept session, and `hearing attend`
//! re-verifying, recording each step, sending and submitting.

use std::io::Write;
use std::process::Stdio;

use crate::platform::{Setup, text};

/// The hearing `id` of the demo loan case as `hearing list --json` shows it.
fn listed_hearing(setup: &Setup, id: &str) -> serde_json::Value {
    let listed = setup.run(&[
        "hearing",
        "list",
        "case_demo_loan",
        "--platform",
        &setup.sim,
        "--json",
    ]);
    let hearings: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("JSON");
    hearings
        .as_array()
        .expect("a list")
        .iter()
        .find(|h| h["id"] == id)
        .expect("the hearing")
        .clone()
}

/// Runs `hearing attend` with the test camera, confirming every step, and types the SMS code
/// of the re-verification it asks for (the seeded plaintiff has never re-verified).
fn attend_with_code(setup: &Setup, id: &str, seconds: &str) -> std::process::Output {
    let mut attend = setup
        .command(&[
            "hearing",
            "attend",
            id,
            "--platform",
            &setup.sim,
            "--source",
            "test",
            "--seconds",
            seconds,
            "--yes",
            "--mobile",
            "13800138000",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("attend starts");
    let code = setup.sms_code("reverify");
    attend
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{code}\n").as_bytes())
        .expect("the code typed");
    attend.wait_with_output().expect("attend ends")
}

#[test]
fn devices_measures_the_upload_speed_with_the_kept_session() {
    let setup = Setup::start();
    let check = |extra: &[&str]| {
        let mut args = vec!["devices", "--source", "test", "--json", "--platform"];
        args.push(&setup.sim);
        args.extend_from_slice(extra);
        setup.run(&args)
    };
    let unmeasured = check(&[]);
    let json: serde_json::Value = serde_json::from_slice(&unmeasured.stdout).expect("JSON");
    let upload = |json: &serde_json::Value| {
        json["check"]["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["item"] == "upload")
            .cloned()
            .expect("an upload finding")
    };
    assert_eq!(upload(&json)["verdict"], "not_checked", "{json:#}");

    let not_logged_in = check(&["--measure-upload"]);
    assert_eq!(not_logged_in.status.code(), Some(1));
    assert!(
        text(&not_logged_in).contains("litigant login"),
        "{}",
        text(&not_logged_in)
    );

    setup.login(&setup.sim);
    let measured = check(&["--measure-upload"]);
    let json: serde_json::Value = serde_json::from_slice(&measured.stdout).expect("JSON");
    let finding = upload(&json);
    assert_eq!(finding["verdict"], "ok", "{json:#}");
    assert!(
        finding["message"]
            .as_str()
            .is_some_and(|m| m.contains("kbit/s")),
        "{finding}"
    );
}

#[test]
fn hearing_attend_records_each_step_reverifies_and_submits() {
    let setup = Setup::start();
    setup.login(&setup.sim);
    let opened = setup.clerk(
        reqwest::Method::POST,
        "/clerk/cases/case_demo_loan/hearings",
        &serde_json::json!({
            "title": "Questions on the loan",
            "steps": [
                {"index": 0, "prompt": "State your name.", "maxSeconds": 60},
                {"index": 1, "prompt": "Did you receive the money?", "maxSeconds": 60}
            ],
            "deadline": chrono::Utc::now() + chrono::Duration::hours(1),
        }),
    );
    let id = opened["id"].as_str().expect("a hearing id").to_owned();

    let output = attend_with_code(&setup, &id, "2");
    assert!(output.status.success(), "{}", text(&output));
    let said = text(&output);
    for expected in [
        "State your name.",
        "Did you receive the money?",
        "Identity checked",
        "[step 1: filed with the court]",
        "[step 2: filed with the court]",
        "Submitted",
    ] {
        assert!(
            said.contains(expected),
            "{expected:?} missing from:\n{said}"
        );
    }

    let hearing = listed_hearing(&setup, &id);
    assert_eq!(hearing["status"], "submitted");
    assert_eq!(hearing["recordings"].as_array().map(Vec::len), Some(2));
    // Filed recordings are not kept (Art. 27).
    let kept =
        std::fs::read_dir(setup.data().join("hearings").join(&id)).map_or(0, Iterator::count);
    assert_eq!(kept, 0);

    // Submitted once: attending again is refused by the platform, and says so.
    let again = setup.run(&[
        "hearing",
        "attend",
        &id,
        "--platform",
        &setup.sim,
        "--source",
        "test",
        "--seconds",
        "1",
        "--yes",
    ]);
    assert_eq!(again.status.code(), Some(1), "{}", text(&again));
    assert!(
        text(&again).contains("already submitted"),
        "{}",
        text(&again)
    );
}

#[test]
fn hearing_attend_waits_out_a_failing_platform_and_submits_once() {
    let setup = Setup::start();
    setup.login(&setup.sim);
    let opened = setup.clerk(
        reqwest::Method::POST,
        "/clerk/cases/case_demo_loan/hearings",
        &serde_json::json!({
            "title": "One question",
            "steps": [{"index": 0, "prompt": "State your name.", "maxSeconds": 60}],
            "deadline": chrono::Utc::now() + chrono::Duration::hours(1),
        }),
    );
    let id = opened["id"].as_str().expect("a hearing id").to_owned();
    // The submission fails twice with a 503, which the client does not retry on its own (a
    // submission is sent once per try): the command must wait and try again itself.
    setup.clerk(
        reqwest::Method::PUT,
        "/clerk/faults",
        &serde_json::json!({"rules": [{
            "method": "POST",
            "pathPrefix": format!("/api/v1/hearings/{id}/submission"),
            "fault": {"kind": "server_error", "status": 503},
            "every": 1,
            "times": 2,
        }]}),
    );

    let output = attend_with_code(&setup, &id, "1");
    let said = text(&output);
    assert!(output.status.success(), "{said}");
    assert_eq!(
        said.matches("trying again in").count(),
        2,
        "one wait per failed try:\n{said}"
    );
    assert!(said.contains("Submitted"), "{said}");

    let hearing = listed_hearing(&setup, &id);
    assert_eq!(hearing["status"], "submitted", "{hearing:#}");
}
