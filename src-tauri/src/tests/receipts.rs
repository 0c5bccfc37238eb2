//! Signing a served document's receipt on the mock runtime against the demo court: the key is
//! made and registered once and reused, the platform verifies each signature, the detached
//! signature is kept and the case file records it; a document not served is refused.

use serde_json::json;

use super::cases::signed_in_plaintiff;

#[test]
fn a_served_documents_receipt_is_signed_with_one_key_and_recorded() {
    let shell = signed_in_plaintiff();
    let first = shell.ok("service_sign", json!({"serviceId": "srv_demo_notice"}));
    assert_eq!(first["serviceId"], "srv_demo_notice");
    assert_eq!(first["documentSha256"].as_str().map(str::len), Some(64));
    let kept = shell
        .data_dir()
        .join("signatures/case_demo_loan")
        .join(format!("{}.json", first["signatureId"].as_str().unwrap()));
    assert!(kept.exists(), "{}", kept.display());
    // The local copy that was signed is the platform's.
    assert!(shell.data_dir().join("served/case_demo_loan").exists());

    let second = shell.ok("service_sign", json!({"serviceId": "srv_demo_notice"}));
    assert_eq!(second["keyId"], first["keyId"], "the key is made once");
    assert_ne!(second["signatureId"], first["signatureId"]);

    let case_file = litigant_evidence::CaseFile::open(&shell.data_dir()).unwrap();
    let report = case_file.verify("case_demo_loan").unwrap();
    assert!(report.intact(), "{report:?}");
    let signed = case_file
        .entries("case_demo_loan")
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == litigant_evidence::EntryKind::Signed)
        .count();
    assert_eq!(signed, 2);

    let refused = shell
        .invoke("service_sign", json!({"serviceId": "srv_nope"}))
        .unwrap_err();
    assert_eq!(refused["code"], "receipt.not_served");
}
