//! Faults on purpose (5xx, 429, cut connections) and a kill -9 in the middle of an upload.

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;

use crate::support::{PLAINTIFF_MOBILE, Sim, assert_problem, bytes, send, sha256_hex};

#[test]
fn the_fault_plan_gives_5xx_and_429_with_retry_after_then_stops() {
    let sim = Sim::start();
    let (_, plan) = send(sim.request(Method::GET, "/clerk/faults", Some(&sim.clerk)));
    assert_eq!(
        plan,
        json!({"latencyMs": 0, "rules": []}),
        "faults are off by default"
    );
    let (status, _) = send(sim.request(Method::PUT, "/clerk/faults", Some(&sim.clerk)).json(&json!({"rules": [
        {"pathPrefix": "/api/v1/policy", "fault": {"kind": "server_error", "status": 503}, "every": 1, "times": 1},
        {"pathPrefix": "/api/v1/cases", "fault": {"kind": "too_many_requests", "retryAfterSeconds": 7}, "every": 2, "times": 1}
    ]})));
    assert_eq!(status.as_u16(), 200);
    assert_problem(
        send(sim.request(Method::GET, "/policy", None)),
        503,
        "injected_fault",
    );
    assert_eq!(
        send(sim.request(Method::GET, "/policy", None)).0.as_u16(),
        200,
        "times: 1"
    );
    let party = sim.login(PLAINTIFF_MOBILE);
    assert_eq!(
        send(sim.request(Method::GET, "/cases", Some(&party.token)))
            .0
            .as_u16(),
        200,
        "every: 2 spares the first"
    );
    let limited = sim
        .request(Method::GET, "/cases", Some(&party.token))
        .send()
        .expect("sent");
    assert_eq!(limited.status().as_u16(), 429);
    assert_eq!(limited.headers()["retry-after"], "7");
    assert_problem(send(sim.request(Method::PUT, "/clerk/faults", Some(&sim.clerk)).json(&json!({"rules": [{"pathPrefix": "", "fault": {"kind": "server_error", "status": 500}, "every": 0}]}))), 422, "validation_failed");
}

#[test]
fn a_cut_connection_keeps_unchecked_bytes_and_drops_a_checksummed_chunk() {
    let sim = Sim::start();
    let party = sim.login(PLAINTIFF_MOBILE);
    let (status, _) = send(sim.request(Method::PUT, "/clerk/faults", Some(&sim.clerk)).json(&json!({
        "rules": [{"method": "PATCH", "pathPrefix": "/api/v1/uploads/", "fault": {"kind": "cut_connection", "afterBytes": 40000}, "every": 1, "times": 2}]
    })));
    assert_eq!(status.as_u16(), 200);
    let file = bytes(100_000, 3);
    let id = sim.create_upload(
        &party.token,
        "a.pdf",
        "application/pdf",
        file.len() as u64,
        Some(&sha256_hex(&file)),
    );

    let patch = |offset: u64, body: &[u8], checksum: Option<String>| {
        let mut request = sim.patch_request(&party.token, &id, offset, body);
        if let Some(checksum) = checksum {
            request = request.header("Upload-Checksum", format!("sha256 {checksum}"));
        }
        request.send()
    };
    let cut = patch(0, &file, None);
    assert!(
        cut.is_err(),
        "the connection is cut, with no answer: {cut:?}"
    );
    assert_eq!(
        sim.offset(&party.token, &id),
        40_000,
        "tus core: the bytes that arrived are kept"
    );

    let cut = patch(
        40_000,
        &file[40_000..],
        Some(crate::support::sha256_b64(&file[40_000..])),
    );
    assert!(cut.is_err(), "the second cut: {cut:?}");
    assert_eq!(
        sim.offset(&party.token, &id),
        40_000,
        "a chunk whose checksum could not be checked is dropped whole"
    );

    let done = sim.patch(&party.token, &id, 40_000, &file[40_000..], None);
    assert_eq!(done.status().as_u16(), 204);
    let (_, document) =
        send(sim.request(Method::GET, &format!("/documents/{id}"), Some(&party.token)));
    assert_eq!(document["sha256"], sha256_hex(&file));
}

/// Sends a PATCH's headers and the first `send` bytes of a body of `length`, then stalls.
fn stalled_patch(
    base: &str,
    token: &str,
    id: &str,
    offset: u64,
    length: usize,
    body: &[u8],
) -> TcpStream {
    let address = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).expect("connects");
    write!(
        stream,
        "PATCH /api/v1/uploads/{id} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nTus-Resumable: 1.0.0\r\n\
         Content-Type: application/offset+octet-stream\r\nUpload-Offset: {offset}\r\nContent-Length: {length}\r\n\r\n"
    )
    .expect("headers written");
    stream.write_all(body).expect("part of the body written");
    stream.flush().expect("flushed");
    stream
}

#[test]
fn kill_9_mid_upload_then_restart_resumes_from_the_stored_offset() {
    let mut sim = Sim::start();
    let party = sim.login(PLAINTIFF_MOBILE);
    let file = bytes(3 * 1024 * 1024, 5);
    let mib = 1024 * 1024;
    let id = sim.create_upload(
        &party.token,
        "bundle.pdf",
        "application/pdf",
        file.len() as u64,
        Some(&sha256_hex(&file)),
    );
    assert_eq!(
        sim.patch(&party.token, &id, 0, &file[..mib], None)
            .status()
            .as_u16(),
        204
    );

    // The next two MiB are three-quarters sent when the server dies; the server writes what
    // arrives in blocks of 1 MiB, so at least one is on disk, unacknowledged.
    let _stream = stalled_patch(
        &sim.base,
        &party.token,
        &id,
        mib as u64,
        2 * mib,
        &file[mib..mib + 3 * mib / 2],
    );
    let part = sim.data.join(format!("uploads/{id}.part"));
    let started = Instant::now();
    while std::fs::metadata(&part).map_or(0, |m| m.len()) <= mib as u64 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server never wrote the stalled chunk's bytes"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    sim.kill();
    assert!(
        std::fs::metadata(&part).expect("the part file").len() > mib as u64,
        "unacknowledged bytes are on disk"
    );

    sim.restart();
    let party = sim.login(PLAINTIFF_MOBILE);
    let offset = sim.offset(&party.token, &id);
    assert_eq!(
        offset, mib as u64,
        "the stored offset is what was acknowledged"
    );
    assert_eq!(
        std::fs::metadata(&part).expect("the part file").len(),
        offset,
        "the interrupted chunk was cut off"
    );
    let done = sim.patch(&party.token, &id, offset, &file[mib..], None);
    assert_eq!(
        done.status().as_u16(),
        204,
        "{}",
        done.text().unwrap_or_default()
    );
    let (_, document) =
        send(sim.request(Method::GET, &format!("/documents/{id}"), Some(&party.token)));
    assert_eq!(
        document["sha256"],
        sha256_hex(&file),
        "the finished file is intact"
    );
}

#[test]
fn state_survives_a_restart() {
    let mut sim = Sim::start();
    let party = sim.login(PLAINTIFF_MOBILE);
    let document = sim.upload(&party.token, "kept.pdf", "application/pdf", &bytes(5000, 1));
    let filings = sim.count("filings");
    sim.kill();
    sim.restart();
    let (status, found) = send(sim.request(
        Method::GET,
        &format!("/documents/{document}"),
        Some(&party.token),
    ));
    assert_eq!(
        status.as_u16(),
        200,
        "the old access token and the document survive: {found}"
    );
    assert_eq!(sim.count("filings"), filings);
    assert_eq!(
        sim.count("accounts"),
        2,
        "the demo set is seeded once, not again"
    );
}
