//! Filings (Art. 9): check, submit exactly once, review, correct, accept into a case.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{
    DEFENDANT_MOBILE, PLAINTIFF_MOBILE, Party, Sim, assert_problem, bytes, id_card, send,
};

fn draft(complaint: &str) -> Value {
    json!({
        "caseType": "civil_first_instance",
        "title": "王小明诉张三买卖合同纠纷",
        "parties": [
            {"role": "plaintiff", "name": "王小明", "idType": "resident_id_card", "idNumber": "11010519491231002X"},
            {"role": "defendant", "name": "张三", "idType": "resident_id_card", "idNumber": id_card("31010119800101001")}
        ],
        "claims": ["Pay CNY 12,000"],
        "factsAndReasons": "Goods delivered, never paid.",
        "documents": [{"documentId": complaint, "documentType": "complaint"}]
    })
}

fn submit(
    sim: &Sim,
    party: &Party,
    key: Option<&str>,
    body: &Value,
) -> (reqwest::StatusCode, Value) {
    let mut request = sim
        .request(Method::POST, "/filings", Some(&party.token))
        .json(body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    send(request)
}

#[test]
fn a_draft_is_checked_field_by_field_without_being_filed() {
    let sim = Sim::start();
    let party = sim.login(PLAINTIFF_MOBILE);
    let mut bad = draft("doc_missing");
    bad["caseType"] = json!("divorce_on_mars");
    bad["parties"][1]["idNumber"] = json!("310101198001010010");
    bad["claims"] = json!([" "]);
    let (status, check) = send(
        sim.request(Method::POST, "/filings/check", Some(&party.token))
            .json(&bad),
    );
    assert_eq!(status.as_u16(), 200);
    assert_eq!(check["acceptable"], false);
    let pointers: Vec<&str> = check["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter_map(|p| p["pointer"].as_str())
        .collect();
    for pointer in [
        "/caseType",
        "/claims",
        "/parties/1/idNumber",
        "/documents/0/documentId",
    ] {
        assert!(
            pointers.contains(&pointer),
            "{pointer} missing from {pointers:?}"
        );
    }
    assert_eq!(sim.count("filings"), 1, "only the seeded filing exists");
}

#[test]
fn a_filing_is_submitted_exactly_once_per_idempotency_key() {
    let sim = Sim::start();
    let party = sim.login(PLAINTIFF_MOBILE);
    let complaint = sim.upload(
        &party.token,
        "complaint.pdf",
        "application/pdf",
        &bytes(2000, 3),
    );
    let body = draft(&complaint);
    assert_problem(
        submit(&sim, &party, None, &body),
        400,
        "idempotency_key_required",
    );

    let (status, first) = submit(&sim, &party, Some("key-1"), &body);
    assert_eq!(status.as_u16(), 201, "{first}");
    assert_eq!(first["status"], "received");
    assert!(
        first["draft"]["parties"][0]["idNumber"]
            .as_str()
            .is_some_and(|n| n.contains('*')),
        "party numbers come back masked"
    );

    let replay = sim
        .request(Method::POST, "/filings", Some(&party.token))
        .header("Idempotency-Key", "key-1")
        .json(&body)
        .send()
        .expect("sent");
    assert_eq!(replay.status().as_u16(), 201);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(replay.json::<Value>().expect("json")["id"], first["id"]);

    let mut other = body.clone();
    other["title"] = json!("Another dispute");
    assert_problem(
        submit(&sim, &party, Some("key-1"), &other),
        422,
        "idempotency_key_reused",
    );
    assert_eq!(
        sim.count("filings"),
        2,
        "the seeded filing and exactly one new one"
    );
}

#[test]
fn review_corrections_supplement_and_acceptance_open_a_case() {
    let sim = Sim::start();
    let party = sim.login(PLAINTIFF_MOBILE);
    let complaint = sim.upload(
        &party.token,
        "complaint.pdf",
        "application/pdf",
        &bytes(2000, 4),
    );
    let (_, filing) = submit(&sim, &party, Some("k"), &draft(&complaint));
    let id = filing["id"].as_str().expect("id");
    let review = |body: Value| sim.clerk_post(&format!("/clerk/filings/{id}/review"), &body);

    assert_problem(
        send(
            sim.request(
                Method::POST,
                &format!("/clerk/filings/{id}/review"),
                Some(&party.token),
            )
            .json(&json!({"decision": "accept"})),
        ),
        403,
        "forbidden",
    );
    let supplement = |documents: Value| {
        send(
            sim.request(
                Method::POST,
                &format!("/filings/{id}/supplements"),
                Some(&party.token),
            )
            .json(&json!({"note": "added", "documents": documents})),
        )
    };
    assert_problem(supplement(json!([])), 409, "invalid_state");

    let (status, _) = review(json!({"decision": "begin_review"}));
    assert_eq!(status.as_u16(), 200);
    assert_problem(
        review(json!({"decision": "request_corrections", "deficiencies": []})),
        422,
        "validation_failed",
    );
    let (status, corrected) = review(
        json!({"decision": "request_corrections", "deficiencies": [{"description": "Attach the contract"}], "dueAt": "2099-01-01T00:00:00Z"}),
    );
    assert_eq!(status.as_u16(), 200, "{corrected}");
    assert_eq!(corrected["status"], "correction_requested");

    let (_, events) = send(sim.request(Method::GET, "/events", Some(&party.token)));
    let event = events["events"]
        .as_array()
        .and_then(|e| e.last())
        .expect("an event");
    assert_eq!(event["kind"], "correction_requested");
    assert_eq!(event["dueAt"], "2099-01-01T00:00:00Z");

    let contract = sim.upload(
        &party.token,
        "contract.pdf",
        "application/pdf",
        &bytes(1500, 5),
    );
    let (status, after) = supplement(json!([{"documentId": contract, "documentType": "evidence"}]));
    assert_eq!(status.as_u16(), 201, "{after}");
    assert_eq!(after["status"], "under_review");

    let (status, accepted) = review(json!({"decision": "accept"}));
    assert_eq!(status.as_u16(), 200);
    let case_id = accepted["caseId"].as_str().expect("a case was opened");
    let (_, documents) = send(sim.request(
        Method::GET,
        &format!("/cases/{case_id}/documents"),
        Some(&party.token),
    ));
    assert_eq!(
        documents["items"].as_array().map(Vec::len),
        Some(2),
        "complaint and supplement are in the case file"
    );
    assert_problem(
        review(json!({"decision": "reject", "reason": "late"})),
        409,
        "invalid_state",
    );
    assert_problem(
        send(sim.request(
            Method::POST,
            &format!("/filings/{id}/cancel"),
            Some(&party.token),
        )),
        409,
        "invalid_state",
    );
}

#[test]
fn a_filing_over_the_policy_size_is_refused_with_the_limit() {
    let sim = Sim::start();
    let party = sim.login(PLAINTIFF_MOBILE);
    let (_, policy) = send(sim.request(Method::GET, "/policy", None));
    assert!(policy["maxFilingBytes"].as_u64().is_some_and(|m| m > 0));
    // An upload in progress is not a document yet.
    let pending = sim.create_upload(&party.token, "big.pdf", "application/pdf", 100, None);
    let problem = assert_problem(
        submit(&sim, &party, Some("p"), &draft(&pending)),
        422,
        "validation_failed",
    );
    assert!(
        problem["errors"].to_string().contains("has not finished"),
        "{problem}"
    );
}

#[test]
fn another_accounts_case_and_filing_are_forbidden() {
    let sim = Sim::start();
    let party = sim.login(PLAINTIFF_MOBILE);
    let complaint = sim.upload(
        &party.token,
        "complaint.pdf",
        "application/pdf",
        &bytes(2000, 6),
    );
    let (_, filing) = submit(&sim, &party, Some("k"), &draft(&complaint));
    let id = filing["id"].as_str().expect("id");
    let (_, accepted) = sim.clerk_post(
        &format!("/clerk/filings/{id}/review"),
        &json!({"decision": "accept"}),
    );
    let case_id = accepted["caseId"].as_str().expect("a case was opened");
    // The defendant of the demo case has an account but is no party to this one.
    let other = sim.login(DEFENDANT_MOBILE);
    assert_problem(
        send(sim.request(
            Method::GET,
            &format!("/cases/{case_id}"),
            Some(&other.token),
        )),
        403,
        "forbidden",
    );
    assert_problem(
        send(sim.request(
            Method::GET,
            &format!("/cases/{case_id}/documents"),
            Some(&other.token),
        )),
        403,
        "forbidden",
    );
    assert_problem(
        send(sim.request(Method::GET, &format!("/filings/{id}"), Some(&other.token))),
        403,
        "forbidden",
    );
    assert_problem(
        send(sim.request(
            Method::GET,
            &format!("/documents/{complaint}"),
            Some(&other.token),
        )),
        404,
        "not_found",
    );
    let (_, cases) = send(sim.request(Method::GET, "/cases", Some(&other.token)));
    assert!(!cases.to_string().contains(case_id));
}
