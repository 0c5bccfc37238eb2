//! The case, consent and service commands on the mock runtime, against the demo court: the
//! dashboard's deadlines in order, consent per link with its history, and the inbox from
//! opening a document to a hash-checked copy.

use serde_json::{Value, json};

use super::{Shell, log_in_to_demo_court, shell};

pub(super) fn signed_in_plaintiff() -> Shell {
    let shell = shell();
    log_in_to_demo_court(&shell, "13800138000");
    shell
}

fn subjects(deadlines: &Value) -> Vec<&str> {
    deadlines
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["subjectId"].as_str().unwrap())
        .collect()
}

#[test]
fn the_new_commands_want_a_login_first() {
    let shell = shell();
    for (cmd, args) in [
        ("cases_dashboard", json!({})),
        ("feed_watch", json!({})),
        ("consents_get", json!({"caseId": "case_demo_loan"})),
        ("service_inbox", json!({})),
    ] {
        let refused = shell.invoke(cmd, args).unwrap_err();
        assert_eq!(refused["code"], "account.not_signed_in", "{cmd}: {refused}");
    }
}

#[test]
fn the_dashboard_lists_the_case_and_every_deadline_soonest_first() {
    let shell = signed_in_plaintiff();
    let board = shell.ok("cases_dashboard", json!({}));
    assert_eq!(board["accountId"], "acc_demo_plaintiff");
    assert_eq!(board["cases"][0]["caseNumber"], "(2026)演0101民初1000号");
    assert_eq!(board["cases"][0]["open"], true);
    // The hearing (3 days), the filing's corrections (5 days), the exchange window (6 days).
    assert_eq!(
        subjects(&board["deadlines"]),
        ["hrg_demo", "fil_demo_sales", "exw_demo"]
    );
    let kinds: Vec<&str> = board["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["hearing_upload", "correction", "evidence_window"]);
    assert!(
        board["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["overdue"] == false)
    );
    assert_eq!(
        board["cases"][0]["deadlines"], 2,
        "the filing has no case yet"
    );
    shell.ok("feed_watch", json!({}));
    // Watching twice is one watch, not two.
    shell.ok("feed_watch", json!({}));
}

#[test]
fn a_consent_change_adds_to_the_history_and_going_offline_needs_a_reason() {
    let shell = signed_in_plaintiff();
    let before = shell.ok("consents_get", json!({"caseId": "case_demo_loan"}));
    assert_eq!(before["links"].as_array().unwrap().len(), 6);
    assert!(
        before["links"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["mode"] == "online")
    );
    let history = before["history"].as_array().unwrap().len();

    let after = shell.ok(
        "consent_record",
        json!({"caseId": "case_demo_loan", "link": "mediation", "mode": "offline", "reason": "  no camera at home "}),
    );
    let mediation = after["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["link"] == "mediation")
        .unwrap();
    assert_eq!(mediation["mode"], "offline");
    let records = after["history"].as_array().unwrap();
    assert_eq!(records.len(), history + 1);
    assert_eq!(records.last().unwrap()["reason"], "no camera at home");

    let refused = shell
        .invoke(
            "offline_request",
            json!({"caseId": "case_demo_loan", "links": ["hearing"], "reason": "   "}),
        )
        .unwrap_err();
    assert_eq!(refused["code"], "consent.reason_required", "{refused}");
    let refused = shell
        .invoke(
            "consent_record",
            json!({"caseId": "case_demo_loan", "link": "court", "mode": "online"}),
        )
        .unwrap_err();
    assert!(refused.to_string().contains("unknown variant"), "{refused}");
    let asked = shell.ok(
        "offline_request",
        json!({"caseId": "case_demo_loan", "links": ["hearing"], "reason": "I cannot use a computer"}),
    );
    assert_eq!(asked["status"], "pending");
    assert_eq!(asked["links"], json!(["hearing"]));
}

#[test]
fn a_served_document_is_opened_acknowledged_and_saved_with_its_hash() {
    let shell = signed_in_plaintiff();
    let inbox = shell.ok("service_inbox", json!({}));
    let served = &inbox[0];
    assert_eq!(served["id"], "srv_demo_notice");
    assert_eq!(served["openedAt"], Value::Null);

    let opened = shell.ok("service_open", json!({"serviceId": "srv_demo_notice"}));
    assert!(opened["openedAt"].is_string());
    let confirmed = shell.ok("service_confirm", json!({"serviceId": "srv_demo_notice"}));
    assert!(confirmed["receiptConfirmedAt"].is_string());
    let certificate = shell.ok(
        "service_certificate",
        json!({"serviceId": "srv_demo_notice"}),
    );
    assert_eq!(certificate["documentSha256"], served["sha256"]);
    assert_eq!(certificate["servedToName"], "王小明");

    let target = shell.data_dir().join("notice.pdf");
    let saved = shell.ok(
        "service_save",
        json!({"serviceId": "srv_demo_notice", "target": target}),
    );
    assert_eq!(saved["sha256"], served["sha256"]);
    assert!(std::fs::read(&target).unwrap().starts_with(b"%PDF-"));
    let again = shell
        .invoke(
            "service_save",
            json!({"serviceId": "srv_demo_notice", "target": target}),
        )
        .unwrap_err();
    assert_eq!(again["code"], "service.target_exists", "{again}");
    let unknown = shell
        .invoke(
            "service_save",
            json!({"serviceId": "srv_nope", "target": shell.data_dir().join("x.pdf")}),
        )
        .unwrap_err();
    assert_eq!(unknown["code"], "service.not_in_inbox", "{unknown}");
    assert!(!shell.data_dir().join("x.pdf").exists());
}

#[test]
fn a_copy_whose_bytes_differ_from_the_record_is_not_saved() {
    let shell = signed_in_plaintiff();
    // The stored bytes change behind the court's back, keeping their length.
    let stored = shell
        .data_dir()
        .join(crate::DEMO_COURT_DIR)
        .join("documents")
        .join("doc_demo_notice");
    let mut bytes = std::fs::read(&stored).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 0x20;
    std::fs::write(&stored, &bytes).unwrap();

    let folder = shell.data_dir().join("copies");
    std::fs::create_dir(&folder).unwrap();
    let refused = shell
        .invoke(
            "service_save",
            json!({"serviceId": "srv_demo_notice", "target": folder.join("notice.pdf")}),
        )
        .unwrap_err();
    assert_eq!(
        refused["code"], "court_client.unexpected_answer",
        "{refused}"
    );
    assert_eq!(
        std::fs::read_dir(&folder).unwrap().count(),
        0,
        "neither the copy nor a part of it is left"
    );
}
