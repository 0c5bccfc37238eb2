//! Evidence exchange on the mock runtime against the demo court: the defendant's new items,
//! each with a deposit proof, are downloaded for the plaintiff and the proofs checked offline
//! with the demo court's own key (one proof intact, one with its root altered); opinion drafts
//! are kept in the data folder and thrown away.

use litigant_court_api::evidence::{EvidenceItemRequest, EvidenceSubmission};
use litigant_court_api::identity::{
    LoginRequest, ReverificationRequest, SmsCodeRequest, SmsPurpose,
};
use litigant_court_client::{Client, upload_document_id};
use serde_json::{Value, json};

use super::cases::signed_in_plaintiff;
use super::{Shell, connected_url, demo_court_sms_code};

const DEFENDANT: &str = "13900139000";

async fn defendant_code(client: &Client, shell: &Shell, url: &str, purpose: SmsPurpose) -> String {
    client
        .send_sms_code(&SmsCodeRequest {
            mobile: DEFENDANT.into(),
            purpose,
        })
        .await
        .expect("a code");
    demo_court_sms_code(shell, url)
}

/// The defendant uploads two small PDFs and submits them as evidence, each with the deposit
/// proof the platform issued for it; the second proof's root is altered on the way.
async fn defendant_submits_with_proofs(shell: &Shell, url: &str) -> Vec<String> {
    let client = Client::connect(url).expect("loopback");
    let sms_code = defendant_code(&client, shell, url, SmsPurpose::Login).await;
    client
        .login(&LoginRequest {
            mobile: DEFENDANT.into(),
            sms_code,
        })
        .await
        .expect("the defendant logs in");
    let sms_code = defendant_code(&client, shell, url, SmsPurpose::Reverify).await;
    client
        .reverify(&ReverificationRequest { sms_code })
        .await
        .expect("re-verified");
    let mut items = Vec::new();
    for (name, tamper) in [("收据 (receipt)", false), ("聊天记录 (chat log)", true)] {
        let bytes = format!("%PDF-1.4\n% {name}\n%%EOF\n").into_bytes();
        let upload = client
            .create_upload(
                &client.tus_endpoint(),
                "evidence.pdf",
                "application/pdf",
                bytes.len() as u64,
                None,
            )
            .await
            .expect("an upload");
        client.append(&upload, 0, bytes).await.expect("sent");
        let document_id = upload_document_id(&upload).to_owned();
        let mut proof = serde_json::to_value(
            client
                .deposit_proof(&document_id)
                .await
                .expect("a deposit proof"),
        )
        .expect("JSON");
        if tamper {
            // The same length and alphabet, one character changed.
            let root = proof["root"].as_str().expect("a root").to_owned();
            let first = if root.starts_with('0') { "1" } else { "0" };
            proof["root"] = json!(format!("{first}{}", &root[1..]));
        }
        items.push(EvidenceItemRequest {
            document_id,
            name: name.into(),
            source: "复印件".into(),
            purpose: "证明已还款".into(),
            page_range: None,
            deposit_proof: Some(proof),
        });
    }
    client
        .submit_evidence("case_demo_loan", &EvidenceSubmission { items })
        .await
        .expect("submitted")
        .into_iter()
        .map(|item| item.id)
        .collect()
}

fn item<'a>(view: &'a Value, id: &str) -> &'a Value {
    view["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("{id} in {view}"))
}

#[test]
fn the_other_sides_proofs_are_checked_with_the_demo_courts_key_and_drafts_are_kept() {
    let shell = signed_in_plaintiff();
    let url = connected_url(&shell.ok("court_status", json!({})));
    let ids = tauri::async_runtime::block_on(defendant_submits_with_proofs(&shell, &url));

    let view = shell.ok("exchange_view", json!({"caseId": "case_demo_loan"}));
    assert_eq!(view["windows"][0]["open"], true);
    let intact = item(&view, &ids[0]);
    assert_eq!(intact["intact"], true);
    assert_eq!(intact["proof"]["state"], "verified", "{intact}");
    let anchor = intact["proof"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "AnchorKey")
        .expect("the anchor key was checked");
    assert_eq!(anchor["outcome"], "passed");
    let altered = item(&view, &ids[1]);
    assert_eq!(altered["proof"]["state"], "failed", "{altered}");
    assert!(
        altered["proof"]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["outcome"] == "failed" && c["code"].is_string()),
        "the failure names its check: {altered}"
    );
    // Downloaded into the data folder.
    assert!(
        shell
            .data_dir()
            .join("received/case_demo_loan")
            .join(format!("{}.pdf", ids[0]))
            .exists()
    );

    let aspects = json!([
        {"aspect": "authenticity", "admit": true, "reason": ""},
        {"aspect": "legality", "admit": true, "reason": ""},
        {"aspect": "relevance", "admit": false, "reason": "与借款无关"}
    ]);
    shell.ok(
        "opinion_save",
        json!({"caseId": "case_demo_loan", "evidenceId": ids[0], "aspects": aspects}),
    );
    let view = shell.ok("exchange_view", json!({"caseId": "case_demo_loan"}));
    assert_eq!(item(&view, &ids[0])["draft"][2]["reason"], "与借款无关");
    let incomplete = shell
        .invoke(
            "opinion_save",
            json!({"caseId": "case_demo_loan", "evidenceId": ids[1], "aspects": [{"aspect": "legality", "admit": true, "reason": ""}]}),
        )
        .unwrap_err();
    assert_eq!(incomplete["code"], "evidence.opinion_incomplete");
    shell.ok(
        "opinion_discard",
        json!({"caseId": "case_demo_loan", "evidenceId": ids[0]}),
    );
    let view = shell.ok("exchange_view", json!({"caseId": "case_demo_loan"}));
    assert_eq!(item(&view, &ids[0])["draft"], Value::Null);
}
