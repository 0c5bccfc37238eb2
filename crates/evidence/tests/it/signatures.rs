//! A signature made here is the one the platform verifies: same message, same key.

use chrono::Utc;
use litigant_accounts::MemoryStore;
use litigant_court_api::signatures::SignaturePurpose;
use litigant_evidence::{AccountKey, verify_signature};

use crate::support::{Court, upload};

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
