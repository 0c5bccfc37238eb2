//! Consent, evidence exchange, hearings, service, signatures and the event feed, on the seeded
//! demo case.

use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use reqwest::Method;
use serde_json::json;

use crate::support::{DEFENDANT_MOBILE, PLAINTIFF_MOBILE, Sim, assert_problem, bytes, send};

const CASE: &str = "case_demo_loan";

#[test]
fn consent_history_is_append_only_and_offline_blocks_the_link() {
    let sim = Sim::start();
    let defendant = sim.login(DEFENDANT_MOBILE);
    sim.reverify(&defendant, DEFENDANT_MOBILE);
    let consent = |mode: &str| {
        send(
            sim.request(
                Method::POST,
                &format!("/cases/{CASE}/consents"),
                Some(&defendant.token),
            )
            .json(
                &json!({"link": "evidence_exchange", "mode": mode, "reason": "no camera at home"}),
            ),
        )
    };
    let (status, consents) = consent("offline");
    assert_eq!(status.as_u16(), 201);
    let history = consents["history"].as_array().expect("history").len();
    let opinion = json!({"authenticity": {"stance": "dispute", "reason": "not signed by me"}, "legality": {"stance": "admit"}, "relevance": {"stance": "admit"}});
    assert_problem(
        send(
            sim.request(
                Method::PUT,
                "/evidence/evi_demo_iou/opinion",
                Some(&defendant.token),
            )
            .json(&opinion),
        ),
        403,
        "link_offline",
    );

    let (_, consents) = consent("online");
    assert_eq!(
        consents["history"].as_array().expect("history").len(),
        history + 1,
        "a change adds a record"
    );
    let current = consents["current"].as_array().expect("current");
    assert!(
        current
            .iter()
            .any(|c| c["link"] == "evidence_exchange" && c["mode"] == "online")
    );

    let (status, given) = send(
        sim.request(
            Method::PUT,
            "/evidence/evi_demo_iou/opinion",
            Some(&defendant.token),
        )
        .json(&opinion),
    );
    assert_eq!(status.as_u16(), 200, "{given}");
    assert_problem(
        send(
            sim.request(
                Method::PUT,
                "/evidence/evi_demo_transfer/opinion",
                Some(&defendant.token),
            )
            .json(&opinion),
        ),
        409,
        "invalid_state",
    );

    let (status, transfer) = send(
        sim.request(
            Method::POST,
            &format!("/cases/{CASE}/offline-transfers"),
            Some(&defendant.token),
        )
        .json(&json!({"links": ["hearing"], "reason": "hospitalised"})),
    );
    assert_eq!(status.as_u16(), 201);
    assert_eq!(transfer["status"], "pending");
    assert_problem(
        send(
            sim.request(
                Method::POST,
                &format!("/cases/{CASE}/offline-transfers"),
                Some(&defendant.token),
            )
            .json(&json!({"links": [], "reason": ""})),
        ),
        422,
        "validation_failed",
    );
}

#[test]
fn evidence_is_submitted_and_opinions_need_a_recent_reverification() {
    let sim = Sim::start();
    let plaintiff = sim.login(PLAINTIFF_MOBILE);
    let document = sim.upload(
        &plaintiff.token,
        "receipt.pdf",
        "application/pdf",
        &bytes(900, 9),
    );
    let (status, items) = send(sim.request(Method::POST, &format!("/cases/{CASE}/evidence"), Some(&plaintiff.token)).json(&json!({"items": [
        {"documentId": document, "name": "送货单", "source": "original", "purpose": "Proves delivery", "depositProof": {"anchor": "demo"}}
    ]})));
    assert_eq!(status.as_u16(), 201, "{items}");
    assert_eq!(
        items["items"][0]["documentSha256"].as_str().map(str::len),
        Some(64)
    );
    assert_problem(send(sim.request(Method::POST, &format!("/cases/{CASE}/evidence"), Some(&plaintiff.token)).json(&json!({"items": [{"documentId": "doc_nope", "name": "", "source": "x", "purpose": "y"}]}))), 422, "validation_failed");

    let (_, listed) = send(sim.request(
        Method::GET,
        &format!("/cases/{CASE}/evidence"),
        Some(&plaintiff.token),
    ));
    assert!(
        listed["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["id"] == "evi_demo_transfer"),
        "the other side's evidence is visible in the exchange"
    );

    let opinion = json!({"authenticity": {"stance": "admit"}, "legality": {"stance": "admit"}, "relevance": {"stance": "dispute", "reason": "a different loan"}});
    assert_problem(
        send(
            sim.request(
                Method::PUT,
                "/evidence/evi_demo_transfer/opinion",
                Some(&plaintiff.token),
            )
            .json(&opinion),
        ),
        403,
        "reverification_required",
    );
    sim.reverify(&plaintiff, PLAINTIFF_MOBILE);
    let (status, _) = send(
        sim.request(
            Method::PUT,
            "/evidence/evi_demo_transfer/opinion",
            Some(&plaintiff.token),
        )
        .json(&opinion),
    );
    assert_eq!(status.as_u16(), 200);
    let (_, opinions) = send(sim.request(
        Method::GET,
        "/evidence/evi_demo_transfer/opinions",
        Some(&plaintiff.token),
    ));
    assert_eq!(
        opinions["items"][0]["relevance"]["reason"],
        "a different loan"
    );
}

#[test]
fn an_async_hearing_is_recorded_in_order_and_submitted_once() {
    let sim = Sim::start();
    let plaintiff = sim.login(PLAINTIFF_MOBILE);
    let step = |index: u32, segment: &str, manifest: &str| {
        send(
            sim.request(
                Method::PUT,
                &format!("/hearings/hrg_demo/steps/{index}/recording"),
                Some(&plaintiff.token),
            )
            .json(&json!({"segmentDocumentIds": [segment], "manifestDocumentId": manifest})),
        )
    };
    let segment = sim.upload(
        &plaintiff.token,
        "step0.webm",
        "video/webm",
        &bytes(5000, 2),
    );
    let manifest = sim.upload(
        &plaintiff.token,
        "step0.json",
        "application/json",
        br#"{"segments":[]}"#,
    );
    assert_problem(step(0, &segment, &manifest), 403, "reverification_required");
    sim.reverify(&plaintiff, PLAINTIFF_MOBILE);
    assert_problem(step(1, &segment, &manifest), 409, "invalid_state");
    assert_problem(
        step(0, "doc_demo_transfer", &manifest),
        422,
        "validation_failed",
    );
    assert_problem(
        send(sim.request(
            Method::POST,
            "/hearings/hrg_demo/submission",
            Some(&plaintiff.token),
        )),
        409,
        "invalid_state",
    );
    for index in 0..3 {
        let (status, hearing) = step(index, &segment, &manifest);
        assert_eq!(status.as_u16(), 200, "{hearing}");
    }
    let (status, hearing) = send(sim.request(
        Method::POST,
        "/hearings/hrg_demo/submission",
        Some(&plaintiff.token),
    ));
    assert_eq!(status.as_u16(), 200, "{hearing}");
    assert_eq!(hearing["status"], "submitted");
    assert_problem(
        send(sim.request(
            Method::POST,
            "/hearings/hrg_demo/submission",
            Some(&plaintiff.token),
        )),
        409,
        "invalid_state",
    );
    let (_, documents) = send(sim.request(
        Method::GET,
        &format!("/cases/{CASE}/documents"),
        Some(&plaintiff.token),
    ));
    assert!(
        documents["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|d| d["documentType"] == "hearing_video")
    );
}

#[test]
fn service_is_delivered_opened_acknowledged_and_certified() {
    let sim = Sim::start();
    let defendant = sim.login(DEFENDANT_MOBILE);
    let notice = sim.upload(
        &sim.clerk,
        "judgment.pdf",
        "application/pdf",
        &bytes(3000, 8),
    );
    let (status, served) = sim.clerk_post(
        &format!("/clerk/cases/{CASE}/service"),
        &json!({"title": "民事判决书", "documentId": notice}),
    );
    assert_eq!(status.as_u16(), 201, "{served}");
    let (_, inbox) = send(sim.request(Method::GET, "/service", Some(&defendant.token)));
    let item = inbox["items"]
        .as_array()
        .and_then(|i| i.iter().find(|s| s["title"] == "民事判决书"))
        .expect("served")
        .clone();
    assert!(item["openedAt"].is_null());
    let id = item["id"].as_str().expect("id");
    let content = sim
        .request(
            Method::GET,
            &format!("/documents/{notice}/content"),
            Some(&defendant.token),
        )
        .send()
        .expect("sent");
    assert_eq!(
        content.status().as_u16(),
        200,
        "a served party can read the document"
    );
    let (_, opened) = send(sim.request(
        Method::POST,
        &format!("/service/{id}/opened"),
        Some(&defendant.token),
    ));
    assert!(opened["openedAt"].is_string());
    let (_, receipt) = send(sim.request(
        Method::POST,
        &format!("/service/{id}/receipt"),
        Some(&defendant.token),
    ));
    assert!(receipt["receiptConfirmedAt"].is_string());
    let (_, certificate) = send(sim.request(
        Method::GET,
        &format!("/service/{id}/certificate"),
        Some(&defendant.token),
    ));
    assert_eq!(certificate["documentSha256"], item["document"]["sha256"]);
    assert_eq!(certificate["servedToName"], "李华");
    let plaintiff = sim.login(PLAINTIFF_MOBILE);
    assert_problem(
        send(sim.request(
            Method::POST,
            &format!("/service/{id}/receipt"),
            Some(&plaintiff.token),
        )),
        404,
        "not_found",
    );
}

#[test]
fn signatures_verify_against_the_registered_key() {
    let sim = Sim::start();
    let party = sim.login(PLAINTIFF_MOBILE);
    let key = SigningKey::from_bytes(&[7u8; 32]);
    let sign = |signature: &str, at: &str| {
        send(sim.request(Method::POST, "/signatures", Some(&party.token)).json(&json!({"documentId": "doc_demo_notice", "purpose": "service_receipt", "signedAt": at, "signature": signature})))
    };
    assert_problem(
        sign("AAAA", "2026-01-01T00:00:00Z"),
        422,
        "signing_key_missing",
    );
    let public = base64::engine::general_purpose::STANDARD.encode(key.verifying_key().as_bytes());
    let (status, _) = send(
        sim.request(Method::PUT, "/me/signing-key", Some(&party.token))
            .json(&json!({"publicKey": public})),
    );
    assert_eq!(status.as_u16(), 200);
    let (_, document) = send(sim.request(
        Method::GET,
        "/documents/doc_demo_notice",
        Some(&party.token),
    ));
    let now = chrono::Utc::now().with_nanosecond_zero();
    let at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let message = litigant_court_api::signatures::signed_message(
        document["sha256"].as_str().expect("hash"),
        litigant_court_api::signatures::SignaturePurpose::ServiceReceipt,
        &party.account_id,
        now,
    );
    let good =
        base64::engine::general_purpose::STANDARD.encode(key.sign(message.as_bytes()).to_bytes());
    let forged = base64::engine::general_purpose::STANDARD.encode(
        SigningKey::from_bytes(&[8u8; 32])
            .sign(message.as_bytes())
            .to_bytes(),
    );
    assert_problem(sign(&forged, &at), 422, "signature_invalid");
    assert_problem(
        sign(&good, "2020-01-01T00:00:00Z"),
        422,
        "signature_invalid",
    );
    let (status, signature) = sign(&good, &at);
    assert_eq!(status.as_u16(), 201, "{signature}");
    assert_eq!(signature["documentSha256"], document["sha256"]);
}

#[test]
fn the_event_feed_long_polls_until_the_court_acts() {
    let sim = Sim::start();
    let party = sim.login(PLAINTIFF_MOBILE);
    let (_, page) = send(sim.request(Method::GET, "/events", Some(&party.token)));
    let cursor = page["nextCursor"].as_u64().expect("cursor");
    std::thread::scope(|scope| {
        let poll = scope.spawn(|| {
            send(sim.request(
                Method::GET,
                &format!("/events?after={cursor}&wait=20"),
                Some(&party.token),
            ))
        });
        std::thread::sleep(std::time::Duration::from_millis(300));
        let (status, _) = sim.clerk_post(
            &format!("/clerk/cases/{CASE}/exchanges"),
            &json!({"mode": "synchronous", "closesAt": "2099-01-01T00:00:00Z"}),
        );
        assert_eq!(status.as_u16(), 201);
        let (status, page) = poll.join().expect("the poll returns");
        assert_eq!(status.as_u16(), 200);
        assert_eq!(page["events"][0]["kind"], "exchange_opened");
        assert!(page["nextCursor"].as_u64().expect("cursor") > cursor);
    });
}

trait NanosecondZero {
    fn with_nanosecond_zero(self) -> Self;
}

impl NanosecondZero for chrono::DateTime<chrono::Utc> {
    fn with_nanosecond_zero(self) -> Self {
        chrono::Timelike::with_nanosecond(&self, 0).expect("0 is a valid nanosecond")
    }
}
