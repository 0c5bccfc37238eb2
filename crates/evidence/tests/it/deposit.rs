//! The court issues a proof; the client checks it offline, and each tampering is refused with
//! its own reason.

use base64::Engine;
use chrono::{Duration, Utc};
use litigant_evidence::{
    CheckKind, DepositProof, Outcome, ProofFailure, Subject, TrustedKey, TrustedKeys, Verification,
    verify_proof,
};

use crate::support::{Court, upload};

fn codes(result: &Verification) -> Vec<&'static str> {
    result.failures().map(ProofFailure::code).collect()
}

fn flip_hex(hex: &str) -> String {
    let mut text = hex.to_owned();
    let last = if text.ends_with('0') { "1" } else { "0" };
    text.replace_range(text.len() - 1.., last);
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proof_from_the_court_verifies_offline_and_tampering_is_named() {
    let court = Court::start().await;
    let client = court.plaintiff().await;
    let file = b"%PDF-1.7 a bank transfer record, page 1".to_vec();
    let id = upload(&client, "transfer.pdf", &file).await;
    // More documents after it: the proof must hold in a tree that grew.
    for n in 0..4 {
        upload(
            &client,
            "other.pdf",
            format!("%PDF-1.7 other {n}").as_bytes(),
        )
        .await;
    }
    let proof = client.deposit_proof(&id).await.expect("a proof");
    let published = client.deposit_log_key().await.expect("the court's key");
    let trusted = TrustedKeys::new().with(TrustedKey::from_published(&published).expect("a key"));
    // The seeded demo documents come first, so the file is not leaf 0 and has a real path.
    assert!(proof.leaf_index > 0 && proof.tree_size >= proof.leaf_index + 5);
    assert!(!proof.audit_path.is_empty());

    // Round trip through JSON, as a proof travels.
    let proof: DepositProof =
        litigant_evidence::read_proof(&serde_json::to_vec(&proof).expect("JSON")).expect("read");
    let now = Utc::now();
    let sound = verify_proof(Subject::Bytes(&file), &proof, &trusted, now);
    assert!(sound.passed(), "{sound}");
    assert!(
        sound.to_string().contains("演示法院 (Demo court)"),
        "the holder is named: {sound}"
    );

    let mut tampered_file = file.clone();
    tampered_file[0] ^= 1;
    let result = verify_proof(Subject::Bytes(&tampered_file), &proof, &trusted, now);
    assert_eq!(codes(&result), ["evidence.proof.hash_mismatch"]);

    let mut path = proof.clone();
    path.audit_path[0] = flip_hex(&path.audit_path[0]);
    let result = verify_proof(Subject::Bytes(&file), &path, &trusted, now);
    assert_eq!(codes(&result), ["evidence.proof.path_does_not_reach_root"]);

    // A wrong root, consistently claimed in the proof and the head: the path and the
    // signature both give it away.
    let mut root = proof.clone();
    root.root = flip_hex(&root.root);
    root.anchor.signed_tree_head.root.clone_from(&root.root);
    let result = verify_proof(Subject::Bytes(&file), &root, &trusted, now);
    assert_eq!(
        codes(&result),
        [
            "evidence.proof.path_does_not_reach_root",
            "evidence.proof.bad_signature"
        ]
    );

    let mut signature = proof.clone();
    let mut bytes = base64::engine::general_purpose::STANDARD
        .decode(&signature.anchor.signature)
        .expect("base64");
    bytes[10] ^= 0x20;
    signature.anchor.signature = base64::engine::general_purpose::STANDARD.encode(bytes);
    let result = verify_proof(Subject::Bytes(&file), &signature, &trusted, now);
    assert_eq!(codes(&result), ["evidence.proof.bad_signature"]);

    // The same proof a while after the key's end, and with a trusted copy whose window ended.
    let late = verify_proof(
        Subject::Bytes(&file),
        &proof,
        &trusted,
        published.validity.not_after + Duration::days(1),
    );
    assert_eq!(codes(&late), ["evidence.proof.key_expired"]);
    let mut ended = published.clone();
    ended.validity.not_before -= Duration::days(10);
    ended.validity.not_after = ended.validity.not_before + Duration::days(1);
    let short = TrustedKeys::new().with(TrustedKey::from_published(&ended).expect("a key"));
    let result = verify_proof(Subject::Bytes(&file), &proof, &short, now);
    assert_eq!(
        codes(&result),
        [
            "evidence.proof.key_expired",
            "evidence.proof.timestamp_outside_key_validity"
        ]
    );

    // A key the reader never trusted: a forged anchor.
    let stranger = TrustedKeys::new();
    let result = verify_proof(Subject::Bytes(&file), &proof, &stranger, now);
    assert_eq!(codes(&result), ["evidence.proof.unknown_key"]);
    assert!(matches!(
        result.outcome(CheckKind::Signature),
        Some(Outcome::Skipped(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_survives_a_restart_and_its_file_is_private() {
    let court = Court::start().await;
    let key = court.dir.path().join("court/deposit-log-key.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key)
            .expect("the key file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let first = court
        .plaintiff()
        .await
        .deposit_log_key()
        .await
        .expect("a key");
    // A second server on the same folder publishes the same key.
    let again = litigant_court_sim::CourtSim::bind(
        litigant_court_sim::SimConfig::new(court.dir.path().join("court")),
        "127.0.0.1:0".parse().expect("an address"),
    )
    .await
    .expect("binds");
    let base = format!("http://{}", again.local_addr().expect("an address"));
    tokio::spawn(again.serve());
    let second = litigant_court_client::Client::connect(&base)
        .expect("loopback")
        .deposit_log_key()
        .await
        .expect("a key");
    assert_eq!(first, second);
}

/// The defendant submits evidence with the court's proof attached, once as issued and once
/// with its root altered; the plaintiff receives both and checks each proof offline.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proofs_that_come_with_the_other_sides_evidence_are_checked_on_receipt() {
    use litigant_court_api::evidence::{EvidenceItemRequest, EvidenceSubmission};
    use litigant_evidence::{CaseFile, receive_evidence};

    let court = Court::start().await;
    let plaintiff = court.plaintiff().await;
    let defendant = court.login(crate::support::DEFENDANT).await;
    let bytes = b"%PDF-1.7 repayment receipt signed by the plaintiff".to_vec();
    let document = upload(&defendant, "receipt.pdf", &bytes).await;
    let proof = defendant.deposit_proof(&document).await.expect("a proof");
    let mut altered = proof.clone();
    altered.root = flip_hex(&altered.root);
    let item = |name: &str, proof: &DepositProof| EvidenceItemRequest {
        document_id: document.clone(),
        name: name.into(),
        source: "原件".into(),
        purpose: "证明借款已部分归还".into(),
        page_range: None,
        deposit_proof: Some(serde_json::to_value(proof).expect("JSON")),
    };
    defendant
        .submit_evidence(
            "case_demo_loan",
            &EvidenceSubmission {
                items: vec![item("还款收据", &proof), item("还款收据（副本）", &altered)],
            },
        )
        .await
        .expect("submitted");

    let published = plaintiff.deposit_log_key().await.expect("the court's key");
    let trusted = TrustedKeys::new().with(TrustedKey::from_published(&published).expect("a key"));
    let data = tempfile::tempdir().expect("a data folder");
    let mut case_file = CaseFile::open(data.path()).expect("the case file");
    let me = plaintiff.me().await.expect("the account");
    let received = receive_evidence(
        &plaintiff,
        &mut case_file,
        data.path(),
        ("case_demo_loan", &me.id),
        Some(&trusted),
    )
    .await
    .expect("received");
    let verdict = |name: &str| {
        received
            .iter()
            .find(|r| r.title == name)
            .and_then(|r| r.proof.clone())
            .expect("a checked proof")
            .expect("a readable proof")
    };
    assert!(verdict("还款收据").passed(), "{}", verdict("还款收据"));
    assert_eq!(
        codes(&verdict("还款收据（副本）")),
        [
            "evidence.proof.path_does_not_reach_root",
            "evidence.proof.root_differs_from_signed_head"
        ]
    );
    // The seeded items came without proofs; all are received and recorded all the same.
    assert!(received.iter().any(|r| r.proof.is_none()));
    assert_eq!(
        case_file.entries("case_demo_loan").expect("entries").len(),
        received.len()
    );
}
