//! The case, consent and service commands on the mock runtime, against the demo court: the
//! dashboard's deadlines in order, consent per link with its history, and the inbox from
//! opening a document to a hash-checked copy.

use serde_json::{Value, json};

use super::{Shell, connected_url, demo_court_sms_code, log_in_to_demo_court, shell};

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
        ("cases_dashboard_all", json!({})),
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

fn kinds(deadlines: &Value, pick: &str) -> Vec<String> {
    deadlines
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d[pick]["kind"].as_str().unwrap().to_owned())
        .collect()
}

/// The plaintiff, listed as kept on this computer; whether its session can be restored is up
/// to the keychain (on a test machine there is no entry for it, or no keychain at all).
fn list_plaintiff_as_kept(shell: &Shell) {
    use litigant_court_api::identity::{Account, IdType, VerificationStatus};
    let plaintiff = Account {
        id: "acc_demo_plaintiff".into(),
        name: "王小明".into(),
        id_type: IdType::ResidentIdCard,
        id_number_masked: "1101**********002X".into(),
        mobile_masked: "138****8000".into(),
        verification: VerificationStatus::Verified,
        verified_at: None,
        assurance_at: None,
        signing_public_key: None,
        created_at: chrono::Utc::now(),
    };
    litigant_accounts::AccountList::open(&shell.data_dir())
        .unwrap()
        .remember_login("demo-court", &plaintiff)
        .unwrap();
}

#[test]
fn every_accounts_dashboard_merges_and_one_that_cannot_be_restored_hides_nothing() {
    let shell = shell();
    log_in_to_demo_court(&shell, "13900139000");
    list_plaintiff_as_kept(&shell);

    // The defendant owes the identity verification the summons asked for, the most urgent.
    let own = shell.ok("cases_dashboard", json!({}));
    let own_kinds: Vec<&str> = own["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        own_kinds,
        ["identity_verification", "hearing_upload", "evidence_window"]
    );
    assert_eq!(own["deadlines"][0]["caseNumber"], "(2026)演0101民初1000号");

    let all = shell.ok("cases_dashboard_all", json!({}));
    let accounts = all["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 2, "{all}");
    assert_eq!(accounts[0]["accountId"], "acc_demo_defendant");
    assert_eq!(accounts[0]["current"], true);
    assert_eq!(accounts[0]["cases"], 1);
    assert!(accounts[0]["problem"].is_null());
    assert_eq!(accounts[1]["accountId"], "acc_demo_plaintiff");
    assert_eq!(accounts[1]["idNumberMasked"], "1101**********002X");
    let problem = &accounts[1]["problem"];
    assert!(problem["error"]["code"].is_string(), "{all}");
    assert!(
        !problem["error"]["message"]
            .as_str()
            .unwrap()
            .contains("11010519491231002X"),
        "no whole number in a message"
    );
    // The plaintiff's failure hides nothing of the defendant's.
    assert_eq!(all["cases"][0]["accountId"], "acc_demo_defendant");
    assert_eq!(
        kinds(&all["deadlines"], "deadline"),
        ["identity_verification", "hearing_upload", "evidence_window"]
    );
    assert!(
        all["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["accountId"] == "acc_demo_defendant")
    );
    assert_eq!(
        shell.ok("account_current", json!({}))["accountId"],
        "acc_demo_defendant",
        "reading the others switched nothing"
    );

    // Re-verifying settles the identity check: the deadline is gone.
    let url = connected_url(&shell.ok("court_status", json!({})));
    shell.ok("reverify_code_send", json!({}));
    let code = demo_court_sms_code(&shell, &url);
    shell.ok("reverify", json!({"smsCode": code}));
    let after = shell.ok("cases_dashboard_all", json!({}));
    assert_eq!(
        kinds(&after["deadlines"], "deadline"),
        ["hearing_upload", "evidence_window"]
    );
}
