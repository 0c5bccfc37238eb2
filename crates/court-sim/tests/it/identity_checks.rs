//! Identity checks a notice sets (Art. 7): the demo defendant owes one, a clerk can ask for one
//! on a served notice, and verifying settles what the account owes, and only that account's.

use chrono::{DateTime, Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{DEFENDANT_MOBILE, PLAINTIFF_MOBILE, Sim, assert_problem, send};

const CASE: &str = "case_demo_loan";

fn checks(sim: &Sim, token: &str) -> Vec<Value> {
    let (status, list) = send(sim.request(Method::GET, "/me/identity-checks", Some(token)));
    assert_eq!(status.as_u16(), 200, "{list}");
    list["items"].as_array().expect("items").clone()
}

fn at(value: &Value) -> DateTime<Utc> {
    value.as_str().expect("a time").parse().expect("RFC 3339")
}

#[test]
fn the_served_defendant_owes_a_verification_within_three_days_until_they_verify() {
    let sim = Sim::start();
    let defendant = sim.login(DEFENDANT_MOBILE);
    let plaintiff = sim.login(PLAINTIFF_MOBILE);
    let owed = checks(&sim, &defendant.token);
    assert_eq!(owed.len(), 1, "{owed:?}");
    let check = &owed[0];
    assert_eq!(check["caseId"], CASE);
    assert_eq!(check["noticeId"], "srv_demo_summons");
    assert_eq!(check["status"], "due");
    assert!(check["doneAt"].is_null());
    assert_eq!(
        at(&check["dueAt"]) - at(&check["noticedAt"]),
        Duration::days(3)
    );
    assert!(at(&check["dueAt"]) > Utc::now(), "due in the future");
    assert!(
        checks(&sim, &plaintiff.token).is_empty(),
        "the plaintiff was asked for nothing"
    );

    sim.reverify(&defendant, DEFENDANT_MOBILE);
    let settled = checks(&sim, &defendant.token);
    assert_eq!(settled[0]["status"], "done");
    assert!(at(&settled[0]["doneAt"]) >= at(&check["noticedAt"]));
}

#[test]
fn a_clerk_asks_for_one_on_a_served_notice_once_and_an_unknown_notice_is_refused() {
    let sim = Sim::start();
    let plaintiff = sim.login(PLAINTIFF_MOBILE);
    let path = format!("/clerk/cases/{CASE}/identity-checks");
    assert_problem(
        sim.clerk_post(&path, &json!({"noticeId": "srv_nothing"})),
        404,
        "not_found",
    );
    assert_eq!(sim.count("identity_checks"), 1, "a refusal adds nothing");
    // A party's token is not the clerk's.
    assert_problem(
        send(
            sim.request(Method::POST, &path, Some(&plaintiff.token))
                .json(&json!({"noticeId": "srv_demo_notice"})),
        ),
        403,
        "forbidden",
    );

    let (status, created) = sim.clerk_post(&path, &json!({"noticeId": "srv_demo_notice"}));
    assert_eq!(status.as_u16(), 201, "{created}");
    assert_eq!(created["status"], "due");
    let (_, again) = sim.clerk_post(&path, &json!({"noticeId": "srv_demo_notice"}));
    assert_eq!(again["id"], created["id"], "one check per notice");
    assert_eq!(checks(&sim, &plaintiff.token).len(), 1);

    sim.reverify(&plaintiff, PLAINTIFF_MOBILE);
    assert_eq!(checks(&sim, &plaintiff.token)[0]["status"], "done");
    let defendant = sim.login(DEFENDANT_MOBILE);
    assert_eq!(
        checks(&sim, &defendant.token)[0]["status"],
        "due",
        "the plaintiff's verification settles nothing of the defendant's"
    );
}

#[test]
fn serving_a_party_who_has_not_verified_asks_for_a_verification_and_a_verified_one_is_not_asked() {
    let sim = Sim::start();
    let plaintiff = sim.login(PLAINTIFF_MOBILE);
    let defendant = sim.login(DEFENDANT_MOBILE);
    // The seeded check is settled first, so only a new one can be owed below.
    sim.reverify(&defendant, DEFENDANT_MOBILE);
    // The defendant's face check is undone, as for an account registered but not yet verified
    // (the platform has no call that does this).
    rusqlite::Connection::open(sim.data.join("court.db"))
        .expect("the database opens")
        .execute(
            "UPDATE accounts SET verification = 'pending_face' WHERE id = 'acc_demo_defendant'",
            [],
        )
        .expect("updated");
    let document = sim.upload(
        &sim.clerk,
        "summons.pdf",
        "application/pdf",
        b"%PDF-1.4 summons",
    );
    let (status, served) = sim.clerk_post(
        &format!("/clerk/cases/{CASE}/service"),
        &json!({"title": "传票 (summons)", "documentId": document}),
    );
    assert_eq!(status.as_u16(), 201, "{served}");
    let owed: Vec<Value> = checks(&sim, &defendant.token)
        .into_iter()
        .filter(|c| c["status"] == "due")
        .collect();
    assert_eq!(owed.len(), 1, "{owed:?}");
    assert!(
        served["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|s| s["id"] == owed[0]["noticeId"]),
        "the check names the new service: {owed:?}"
    );
    assert!(
        checks(&sim, &plaintiff.token).is_empty(),
        "a verified party is not asked"
    );
}
