//! The deposit log: every finished document gets a leaf, a reader gets a signed proof, the key
//! is published, and a database from before the log gets one on start.

use reqwest::{Method, StatusCode};

use crate::support::{DEFENDANT_MOBILE, PLAINTIFF_MOBILE, Sim, assert_problem, send, sha256_hex};

#[test]
fn each_finished_document_is_a_leaf_and_its_reader_gets_a_signed_proof() {
    let sim = Sim::start();
    let seeded = sim.count("documents");
    assert_eq!(sim.count("deposit_log"), seeded);
    let plaintiff = sim.login(PLAINTIFF_MOBILE);
    let file = b"%PDF-1.7 receipt".to_vec();
    let id = sim.upload(&plaintiff.token, "receipt.pdf", "application/pdf", &file);
    assert_eq!(sim.count("deposit_log"), seeded + 1);

    let (status, proof) = send(sim.request(
        Method::GET,
        &format!("/documents/{id}/deposit-proof"),
        Some(&plaintiff.token),
    ));
    assert_eq!(status, StatusCode::OK, "{proof}");
    assert_eq!(proof["version"], 1);
    assert_eq!(proof["documentSha256"], sha256_hex(&file));
    assert_eq!(proof["leafIndex"], seeded);
    assert_eq!(proof["treeSize"], seeded + 1);
    assert_eq!(proof["anchor"]["logId"], "litigant-demo-court");
    assert_eq!(proof["anchor"]["signedTreeHead"]["root"], proof["root"]);

    // The key is public, and its id is the hash of its bytes.
    let (status, key) = send(sim.request(Method::GET, "/deposit-log/key", None));
    assert_eq!(status, StatusCode::OK, "{key}");
    assert_eq!(key["keyId"], proof["anchor"]["keyId"]);
    assert_eq!(key["validity"], proof["keyValidity"]);

    // Someone who may not read the document gets no proof of it either.
    let defendant = sim.login(DEFENDANT_MOBILE);
    assert_problem(
        send(sim.request(
            Method::GET,
            &format!("/documents/{id}/deposit-proof"),
            Some(&defendant.token),
        )),
        404,
        "not_found",
    );
}

#[test]
fn a_database_from_before_the_log_gets_one_on_start() {
    let mut sim = Sim::start();
    let plaintiff = sim.login(PLAINTIFF_MOBILE);
    sim.upload(&plaintiff.token, "a.pdf", "application/pdf", b"%PDF-1.7 a");
    sim.kill();
    {
        let db = rusqlite::Connection::open(sim.data.join("court.db")).expect("the database");
        db.execute_batch("DROP TABLE deposit_log; PRAGMA user_version = 1;")
            .expect("made a version 1 database");
    }
    sim.restart();
    assert_eq!(sim.count("deposit_log"), sim.count("documents"));
    let plaintiff = sim.login(PLAINTIFF_MOBILE);
    let id = sim.upload(&plaintiff.token, "b.pdf", "application/pdf", b"%PDF-1.7 b");
    let (status, proof) = send(sim.request(
        Method::GET,
        &format!("/documents/{id}/deposit-proof"),
        Some(&plaintiff.token),
    ));
    assert_eq!(status, StatusCode::OK, "{proof}");
    assert_eq!(proof["treeSize"], sim.count("documents"));
}
