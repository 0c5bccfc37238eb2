//! Documents over tus 1.0: creation, checksummed chunks, offsets, limits, termination, the
//! server's re-hash, and reading a document back.

use reqwest::Method;

use crate::support::{PLAINTIFF_MOBILE, Sim, assert_problem, bytes, send, sha256_b64, sha256_hex};

#[test]
fn a_chunked_upload_becomes_a_document_with_the_servers_hash() {
    let sim = Sim::start();
    let party = sim.login(PLAINTIFF_MOBILE);
    let file = bytes(300_000, 7);
    let id = sim.create_upload(
        &party.token,
        "evidence.pdf",
        "application/pdf",
        file.len() as u64,
        Some(&sha256_hex(&file)),
    );
    assert_eq!(sim.offset(&party.token, &id), 0);

    let (first, rest) = file.split_at(100_000);
    let response = sim.patch(&party.token, &id, 0, first, Some(&sha256_b64(first)));
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(response.headers()["upload-offset"], "100000");
    assert_eq!(response.headers()["tus-resumable"], "1.0.0");

    // A damaged chunk is refused with 460 and the offset stays where it was.
    let mut damaged = rest.to_vec();
    damaged[5] ^= 0xff;
    let refused = sim.patch(
        &party.token,
        &id,
        100_000,
        &damaged,
        Some(&sha256_b64(rest)),
    );
    assert_eq!(refused.status().as_u16(), 460);
    assert_eq!(sim.offset(&party.token, &id), 100_000);

    // The wrong offset is a conflict that says where the upload stands.
    let conflict = sim.patch(&party.token, &id, 50, rest, None);
    assert_eq!(conflict.status().as_u16(), 409);
    assert!(conflict.text().unwrap_or_default().contains("100000"));

    let response = sim.patch(&party.token, &id, 100_000, rest, Some(&sha256_b64(rest)));
    assert_eq!(response.status().as_u16(), 204);
    let (status, document) =
        send(sim.request(Method::GET, &format!("/documents/{id}"), Some(&party.token)));
    assert_eq!(status.as_u16(), 200, "{document}");
    assert_eq!(document["sha256"], sha256_hex(&file));
    assert_eq!(document["size"], 300_000);

    let content = sim
        .request(
            Method::GET,
            &format!("/documents/{id}/content"),
            Some(&party.token),
        )
        .send()
        .expect("sent");
    assert_eq!(
        content.headers()["repr-digest"].to_str().expect("text"),
        format!("sha-256=:{}:", sha256_b64(&file))
    );
    assert_eq!(content.bytes().expect("body").as_ref(), file.as_slice());
    // The other party cannot read it: it is in no case of theirs.
    let other = sim.login(crate::support::DEFENDANT_MOBILE);
    assert_problem(
        send(sim.request(Method::GET, &format!("/documents/{id}"), Some(&other.token))),
        404,
        "not_found",
    );
}

#[test]
fn limits_types_and_versions_are_refused_before_any_byte_is_stored() {
    let sim = Sim::start_with(&["--max-document-bytes", "1000"]);
    let party = sim.login(PLAINTIFF_MOBILE);
    let create = |length: &str, metadata: &str, version: &str| {
        send(
            sim.request(Method::POST, "/uploads", Some(&party.token))
                .header("Tus-Resumable", version)
                .header("Upload-Length", length)
                .header("Upload-Metadata", metadata),
        )
    };
    let pdf = "filename ZS5wZGY=,contentType YXBwbGljYXRpb24vcGRm";
    let problem = assert_problem(create("1001", pdf, "1.0.0"), 413, "document_too_large");
    assert_eq!(problem["limit"], 1000);
    assert_problem(
        create(
            "10",
            "filename ZS5leGU=,contentType YXBwbGljYXRpb24veC1tc2Rvd25sb2Fk",
            "1.0.0",
        ),
        415,
        "content_type_not_allowed",
    );
    assert_problem(create("10", pdf, "0.2.2"), 412, "tus_version_unsupported");
    assert_problem(create("ten", pdf, "1.0.0"), 400, "malformed_request");
    assert_problem(
        create("10", "filename %%%", "1.0.0"),
        400,
        "malformed_request",
    );
    assert_eq!(sim.count("uploads"), 0);

    let options = sim
        .request(Method::OPTIONS, "/uploads", None)
        .send()
        .expect("sent");
    assert_eq!(options.headers()["tus-max-size"], "1000");
    assert_eq!(
        options.headers()["tus-extension"],
        "creation,checksum,termination,expiration"
    );
}

/// The platform hashes the file as chunks arrive; a restart loses that running hash, and the
/// stored bytes are then read again. Either way the document's hash is the file's.
#[test]
fn the_documents_hash_is_right_with_and_without_a_restart_between_chunks() {
    let mut sim = Sim::start();
    let party = sim.login(PLAINTIFF_MOBILE);
    // Chunks on 64-byte boundaries, as the client sends them, and one that is not.
    let file = bytes(3 * 65_536 + 1000, 11);
    let cuts = [0, 65_536, 131_072, 131_072 + 999, file.len()];
    for restart_after in [None, Some(1)] {
        let mut token = party.token.clone();
        let id = sim.create_upload(
            &token,
            "bundle.pdf",
            "application/pdf",
            file.len() as u64,
            None,
        );
        for (index, window) in cuts.windows(2).enumerate() {
            let chunk = &file[window[0]..window[1]];
            // Every other chunk without a checksum: the file's hash runs on either way.
            let checksum = (index % 2 == 0).then(|| sha256_b64(chunk));
            let response = sim.patch(&token, &id, window[0] as u64, chunk, checksum.as_deref());
            assert_eq!(response.status().as_u16(), 204, "chunk {index}");
            if restart_after == Some(index) {
                sim.kill();
                sim.restart();
                token = sim.login(PLAINTIFF_MOBILE).token;
            }
        }
        let (status, document) =
            send(sim.request(Method::GET, &format!("/documents/{id}"), Some(&token)));
        assert_eq!(status.as_u16(), 200, "{document}");
        assert_eq!(
            document["sha256"],
            sha256_hex(&file),
            "restart after {restart_after:?}"
        );
    }
}

#[test]
fn a_file_that_does_not_match_its_declared_hash_is_not_kept() {
    let sim = Sim::start();
    let party = sim.login(PLAINTIFF_MOBILE);
    let file = bytes(4096, 1);
    let id = sim.create_upload(
        &party.token,
        "a.pdf",
        "application/pdf",
        4096,
        Some(&sha256_hex(b"something else")),
    );
    let response = sim.patch(&party.token, &id, 0, &file, None);
    assert_eq!(response.status().as_u16(), 422);
    assert_eq!(sim.count(&format!("documents WHERE id = '{id}'")), 0);
    assert_eq!(sim.count(&format!("uploads WHERE id = '{id}'")), 0);
    assert_problem(
        send(sim.request(Method::GET, &format!("/documents/{id}"), Some(&party.token))),
        404,
        "not_found",
    );
}

#[test]
fn termination_removes_the_upload_and_its_bytes() {
    let sim = Sim::start();
    let party = sim.login(PLAINTIFF_MOBILE);
    let id = sim.create_upload(&party.token, "a.pdf", "application/pdf", 10, None);
    assert_eq!(
        sim.patch(&party.token, &id, 0, b"12345", None)
            .status()
            .as_u16(),
        204
    );
    let (status, _) = send(
        sim.request(
            Method::DELETE,
            &format!("/uploads/{id}"),
            Some(&party.token),
        )
        .header("Tus-Resumable", "1.0.0"),
    );
    assert_eq!(status.as_u16(), 204);
    assert!(!sim.data.join(format!("uploads/{id}.part")).exists());
    let head = sim
        .request(Method::HEAD, &format!("/uploads/{id}"), Some(&party.token))
        .header("Tus-Resumable", "1.0.0")
        .send()
        .expect("sent");
    assert_eq!(head.status().as_u16(), 404);
}

#[test]
fn an_expired_upload_is_gone_with_410() {
    let sim = Sim::start_with(&["--upload-expiry-seconds", "1"]);
    let party = sim.login(PLAINTIFF_MOBILE);
    let id = sim.create_upload(&party.token, "a.pdf", "application/pdf", 10, None);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let head = sim
        .request(Method::HEAD, &format!("/uploads/{id}"), Some(&party.token))
        .header("Tus-Resumable", "1.0.0")
        .send()
        .expect("sent");
    assert_eq!(head.status().as_u16(), 410);
    assert_problem(
        send(sim.patch_request(&party.token, &id, 0, b"12345")),
        404,
        "not_found",
    );
    assert!(
        !sim.data.join(format!("uploads/{id}.part")).exists(),
        "the bytes went with it"
    );
}

#[test]
fn a_finished_upload_still_answers_head_and_a_repeated_last_patch() {
    let sim = Sim::start();
    let party = sim.login(PLAINTIFF_MOBILE);
    let file = bytes(1000, 2);
    let id = sim.upload(&party.token, "a.pdf", "application/pdf", &file);
    assert_eq!(
        sim.offset(&party.token, &id),
        1000,
        "HEAD says it is complete"
    );
    let again = sim.patch(&party.token, &id, 1000, b"", None);
    assert_eq!(
        again.status().as_u16(),
        204,
        "a repeated last PATCH is acknowledged"
    );
    assert_eq!(again.headers()["upload-offset"], "1000");
    assert_eq!(
        sim.patch(&party.token, &id, 0, &file, None)
            .status()
            .as_u16(),
        409
    );
    let delete = sim
        .request(
            Method::DELETE,
            &format!("/uploads/{id}"),
            Some(&party.token),
        )
        .header("Tus-Resumable", "1.0.0")
        .send()
        .expect("sent");
    assert_eq!(
        delete.status().as_u16(),
        409,
        "a document is not terminated"
    );
}
