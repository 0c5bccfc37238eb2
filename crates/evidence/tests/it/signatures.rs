//! A signature made here is the one the platform verifies: same message, same key.

use chrono::Utc;
use litigant_accounts::MemoryStore;
use litigant_court_api::evidence::{EvidenceItemRequest, EvidenceSubmission};
use litigant_court_api::signatures::SignaturePurpose;
use litigant_evidence::{
    AccountKey, CaseFile, EntryKind, Signer, ToSign, check_signatures, sign_document,
    verify_signature,
};

use crate::support::{Court, DEFENDANT, upload};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_platform_accepts_a_signature_made_with_the_kept_key() {
    let court = Court::start().await;
    let client = court.plaintiff().await;
    let me = client.me().await.expect("the account");
    let store = MemoryStore::default();
    AccountKey::generate()
        .keep(&store, &court.base, &me.id)
        .expect("kept");
    let key = AccountKey::kept(&store, &court.base, &me.id).expect("read back");
    client
        .register_signing_key(&key.registration())
        .await
        .expect("registered");

    let transcript = b"%PDF-1.7 hearing transcript".to_vec();
    let id = upload(&client, "transcript.pdf", &transcript).await;
    let sha256 = litigant_evidence::sha256_hex(&transcript);
    let signature = key.sign(&sha256, SignaturePurpose::Transcript, &me.id, Utc::now());
    let accepted = client
        .sign(&signature.request(&id))
        .await
        .expect("the platform verifies it");
    assert_eq!(accepted.document_sha256, sha256);
    verify_signature(&signature, &sha256, &key.public_key()).expect("it verifies here too");

    // The platform refuses a signature over another purpose than the one claimed.
    let mut altered = signature.request(&id);
    altered.purpose = SignaturePurpose::MediationAgreement;
    let refused = client.sign(&altered).await.expect_err("refused");
    assert_eq!(refused.code(), "platform.signature_invalid");
}

/// A new key for the account, registered with the platform (replacing any before).
async fn registered(client: &litigant_court_client::Client) -> (AccountKey, String) {
    let me = client.me().await.expect("the account");
    let key = AccountKey::generate();
    client
        .register_signing_key(&key.registration())
        .await
        .expect("registered");
    (key, me.id)
}

/// A mediation agreement the plaintiff put in the case (as evidence), so both parties can
/// read and sign it: its local copy and its document id.
async fn agreement_in_the_case(
    plaintiff: &litigant_court_client::Client,
    data: &std::path::Path,
) -> (std::path::PathBuf, String) {
    let agreement = data.join("mediation.pdf");
    std::fs::write(
        &agreement,
        b"%PDF-1.7 mediation agreement: 50,000 yuan by 31 December",
    )
    .expect("written");
    let document = upload(
        plaintiff,
        "mediation.pdf",
        &std::fs::read(&agreement).expect("read"),
    )
    .await;
    plaintiff
        .submit_evidence(
            "case_demo_loan",
            &EvidenceSubmission {
                items: vec![EvidenceItemRequest {
                    document_id: document.clone(),
                    name: "调解协议".into(),
                    source: "原件".into(),
                    purpose: "证明双方已达成调解".into(),
                    page_range: None,
                    deposit_proof: None,
                }],
            },
        )
        .await
        .expect("submitted");
    (agreement, document)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_parties_signatures_on_an_agreement_are_checked_with_the_platforms_keys() {
    let court = Court::start().await;
    let plaintiff = court.plaintiff().await;
    let defendant = court.login(DEFENDANT).await;
    let (plaintiff_key, plaintiff_id) = registered(&plaintiff).await;
    let (defendant_key, defendant_id) = registered(&defendant).await;

    let data = tempfile::tempdir().expect("a data folder");
    let (agreement, document) = agreement_in_the_case(&plaintiff, data.path()).await;
    let mut case_file = CaseFile::open(data.path()).expect("the case file");
    let to_sign = ToSign {
        document_id: &document,
        document: &agreement,
        purpose: SignaturePurpose::MediationAgreement,
    };
    let signer = |key, account_id| Signer { key, account_id };
    sign_document(
        &plaintiff,
        &mut case_file,
        data.path(),
        "case_demo_loan",
        signer(&plaintiff_key, &plaintiff_id),
        to_sign,
    )
    .await
    .expect("the plaintiff signs");
    let other = tempfile::tempdir().expect("the defendant's data folder");
    let mut other_file = CaseFile::open(other.path()).expect("a case file");
    sign_document(
        &defendant,
        &mut other_file,
        other.path(),
        "case_demo_loan",
        signer(&defendant_key, &defendant_id),
        to_sign,
    )
    .await
    .expect("the defendant signs");

    let check = async |case_file: &mut CaseFile, file: &std::path::Path| {
        check_signatures(
            &plaintiff,
            case_file,
            data.path(),
            "case_demo_loan",
            &document,
            file,
        )
        .await
        .expect("checked")
    };
    let checked = check(&mut case_file, &agreement).await;
    assert_eq!(checked.len(), 2);
    assert!(checked.iter().all(|c| c.outcome.is_ok()), "{checked:?}");
    assert!(
        checked.iter().any(|c| c.signer.as_deref() == Some("李华")),
        "{checked:?}"
    );
    let kinds: Vec<EntryKind> = case_file
        .entries("case_demo_loan")
        .expect("entries")
        .iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [EntryKind::Signed, EntryKind::Received],
        "the defendant's is received once"
    );

    // A local copy that differs from what was signed.
    let altered = data.path().join("altered.pdf");
    std::fs::write(&altered, b"%PDF-1.7 mediation agreement: 5,000 yuan").expect("written");
    let mismatched = check(&mut case_file, &altered).await;
    assert!(mismatched.iter().all(|c| {
        c.outcome
            .as_ref()
            .is_err_and(|f| f.code() == "evidence.signature.document_mismatch")
    }));

    // The defendant's key replaced since: the old signature no longer checks with the key
    // the platform now holds.
    registered(&defendant).await;
    let rekeyed = check(&mut case_file, &agreement).await;
    let failed: Vec<&str> = rekeyed
        .iter()
        .filter_map(|c| c.outcome.as_ref().err())
        .map(litigant_evidence::SignatureFailure::code)
        .collect();
    assert_eq!(failed, ["evidence.signature.bad_signature"]);
    assert_eq!(
        case_file.entries("case_demo_loan").expect("entries").len(),
        2,
        "a failing signature is not recorded"
    );
    assert!(
        case_file
            .verify("case_demo_loan")
            .expect("verified")
            .intact()
    );
}
